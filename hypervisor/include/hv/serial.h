/* The 16550 UART serial console (com1, com2). */
#ifndef HV_SERIAL_H
#define HV_SERIAL_H

#include <hv/types.h>

/* Program UART `index` as configured by com1=/com2= and register it. */
void serial_console_init(unsigned int index);
/* Non-blocking read of one byte from the console UART; -1 if none. */
int serial_getc(void);

#endif
