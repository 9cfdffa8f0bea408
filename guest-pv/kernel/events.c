/*
 * The event upcall. hv/Xen enters event_callback_entry (head.S) with
 * upcalls masked; we clear upcall_pending, take the selector word by word
 * and clear and record every pending, unmasked port, then return with the
 * iret hypercall, which restores the mask from the frame's IF.
 */
#include <guest/arch.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <public/callback.h>
#include <public/version.h>

struct vcpu_info *vcpu0;
volatile struct events_seen events_seen;

static inline uint64_t xchg64(volatile uint64_t *p, uint64_t v)
{
	__asm__ __volatile__("xchg %0, %1" : "+r"(v), "+m"(*p) :: "memory");
	return v;
}

void events_seen_reset(void)
{
	events_seen.upcalls = 0;
	events_seen.nr_ports = 0;
}

int events_port_seen(uint32_t port)
{
	for (unsigned int i = 0; i < events_seen.nr_ports; i++)
		if (events_seen.ports[i] == port)
			return 1;
	return 0;
}

/* Set by events_ack_only(): the upcall leaves the ports to a poller. */
static bool ack_only;

void events_upcall(void)
{
	events_seen.upcalls++;
	if (ack_only) {
		vcpu0->evtchn_upcall_pending = 0;
		return;
	}
	vcpu0->evtchn_upcall_pending = 0;
	for (uint64_t sel = xchg64(&vcpu0->evtchn_pending_sel, 0); sel; sel &= sel - 1) {
		unsigned int w = (unsigned int)__builtin_ctzll(sel);
		uint64_t bits = shared_info->evtchn_pending[w] & ~shared_info->evtchn_mask[w];

		for (; bits; bits &= bits - 1) {
			uint32_t port = w * 64 + (uint32_t)__builtin_ctzll(bits);

			evtchn_clear_pending(port);
			if (events_seen.nr_ports < EVENTS_MAX_SEEN)
				events_seen.ports[events_seen.nr_ports++] = port;
		}
	}
}

extern char event_callback_entry[], failsafe_callback_entry[];

/* The callbacks are registered on first use, so boot needs no callback_op. */
static void events_register_callbacks(void)
{
	static int done;
	struct callback_register ev = {
		.type = CALLBACKTYPE_event, .address = (uint64_t)event_callback_entry,
	};
	struct callback_register fs = {
		.type = CALLBACKTYPE_failsafe, .flags = CALLBACKF_mask_events,
		.address = (uint64_t)failsafe_callback_entry,
	};

	if (done)
		return;
	if (HYPERVISOR_callback_op(CALLBACKOP_register, &ev) ||
	    HYPERVISOR_callback_op(CALLBACKOP_register, &fs))
		panic("cannot register the event/failsafe callbacks");
	done = 1;
}

void events_ack_only(void)
{
	ack_only = true;
	events_register_callbacks();
}

void events_deliver(void)
{
	events_register_callbacks();
	__asm__ __volatile__("" ::: "memory");
	vcpu0->evtchn_upcall_mask = 0;
	__asm__ __volatile__("" ::: "memory");
	/* Every return to the guest checks for pending events. */
	HYPERVISOR_xen_version(XENVER_version, NULL);
	__asm__ __volatile__("" ::: "memory");
	vcpu0->evtchn_upcall_mask = 1;
	__asm__ __volatile__("" ::: "memory");
}
