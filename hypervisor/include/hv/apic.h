/* The local APIC: hv's timer interrupt (arch/x86/apic.c). */
#ifndef HV_APIC_H
#define HV_APIC_H

#include <hv/types.h>

#define TIMER_VECTOR 0xf0
#define SPURIOUS_VECTOR 0xff

void apic_init(void);
/* Interrupt at system time `deadline_ns` (or as soon as possible). */
void apic_timer_program(uint64_t deadline_ns);
void apic_timer_stop(void);
void apic_eoi(void);
/* Interrupts: vectors >= 32 taken in hv or in a guest. */
void do_irq(unsigned int vector);

#endif
