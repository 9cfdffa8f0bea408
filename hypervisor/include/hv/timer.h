/*
 * Software timers on system time (ns). One list, sorted by expiry; the
 * local APIC timer is programmed for the earliest. Callbacks run from the
 * timer interrupt with interrupts off.
 */
#ifndef HV_TIMER_H
#define HV_TIMER_H

#include <hv/list.h>
#include <hv/types.h>

struct timer {
	struct list_head link;
	uint64_t expires;		/* system time, ns */
	void (*fn)(void *data);
	void *data;
	bool active;
};

void timer_init(struct timer *t, void (*fn)(void *data), void *data);
/* (Re)arm t; an expiry in the past runs fn now. */
void timer_set(struct timer *t, uint64_t expires);
void timer_stop(struct timer *t);
/* From the APIC timer interrupt: run what has expired, re-arm the hardware. */
void timer_interrupt(void);
unsigned int timers_active(void);
/* Has some timer expired, waiting for its interrupt? */
bool timer_due(uint64_t now);

#endif
