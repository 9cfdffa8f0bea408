/* Fatal errors. */
#ifndef HV_PANIC_H
#define HV_PANIC_H

#include <hv/types.h>

void panic(const char *fmt, ...) __printf(1, 2) __noreturn;

#define BUG() panic("BUG at %s:%d", __FILE__, __LINE__)
#define BUG_ON(c) do { if (unlikely(c)) panic("BUG_ON(%s) at %s:%d", #c, __FILE__, __LINE__); } while (0)
#define ASSERT(c) BUG_ON(!(c))

#endif
