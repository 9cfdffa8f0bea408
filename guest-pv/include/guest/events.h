/*
 * Event channels, 2-level ABI: the upcall handler and its bookkeeping.
 * Events stay masked (vcpu_info.evtchn_upcall_mask = 1) except inside
 * events_deliver(), which opens the window once and records what arrives.
 */
#ifndef GUEST_EVENTS_H
#define GUEST_EVENTS_H

#include <stdint.h>
#include <public/xen.h>

extern struct shared_info *shared_info;

/* vCPU 0's vcpu_info: in shared_info, or where register_vcpu_info moved it. */
extern struct vcpu_info *vcpu0;

#define EVENTS_MAX_SEEN 64

struct events_seen {
	unsigned int upcalls;           /* event callback invocations */
	unsigned int nr_ports;          /* ports recorded (at most EVENTS_MAX_SEEN) */
	uint32_t ports[EVENTS_MAX_SEEN];
};
extern volatile struct events_seen events_seen;

/* Called from trap_handler for the event callback. */
void events_upcall(void);
/* Unmask upcalls, force a delivery check with a cheap hypercall, mask again. */
void events_deliver(void);
void events_seen_reset(void);
/*
 * Register the callbacks with an upcall that only acknowledges (clears
 * upcall_pending) and leaves the ports pending, for code that polls ports
 * around SCHEDOP_block: Xen's block unmasks events, so an upcall is
 * delivered on the way back and needs a callback to land in.
 */
void events_ack_only(void);
int events_port_seen(uint32_t port);

static inline int evtchn_test_pending(uint32_t port)
{
	return shared_info && ((shared_info->evtchn_pending[port / 64] >> (port % 64)) & 1);
}

static inline void evtchn_clear_pending(uint32_t port)
{
	__asm__ __volatile__("lock btrq %1, %0"
			     : "+m"(shared_info->evtchn_pending[port / 64])
			     : "r"((uint64_t)(port % 64)) : "memory");
}

#endif /* GUEST_EVENTS_H */
