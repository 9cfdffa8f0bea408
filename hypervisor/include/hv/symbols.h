/* hv's own symbol table, for stack traces (generated at link time). */
#ifndef HV_SYMBOLS_H
#define HV_SYMBOLS_H

#include <hv/types.h>

/* The function containing addr, or NULL; *offset and *size describe it. */
const char *symbol_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size);

#endif
