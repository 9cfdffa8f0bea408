/*
 * Micro-benchmarks (mode=bench). Each prints one parseable line:
 *   bench <name> median=<cycles> min=<cycles> max=<cycles> batches=<n> iters=<n>
 * Cycles are rdtsc ticks per operation, median over the batches.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/events.h>
#include <guest/lib.h>
#include <public/event_channel.h>
#include <public/version.h>

#define BATCHES 11
#define ITERS   2000

static void report(const char *name, uint64_t *per_op)
{
	sort_u64(per_op, BATCHES);
	printf("bench %s median=%lu min=%lu max=%lu batches=%u iters=%u\n", name,
	       per_op[BATCHES / 2], per_op[0], per_op[BATCHES - 1], BATCHES, ITERS);
}

/* xen_version(XENVER_version) round trip through the hypercall page. */
static void bench_null_hypercall(void)
{
	uint64_t per_op[BATCHES];

	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < ITERS; i++)
			HYPERVISOR_xen_version(XENVER_version, NULL);
		per_op[b] = (rdtsc() - t0) / ITERS;
	}
	report("null_hypercall_cycles", per_op);
}

/* The same through an inline `syscall`, as Linux 6.1 issues it. */
static void bench_null_hypercall_direct(void)
{
	uint64_t per_op[BATCHES];

	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < ITERS; i++)
			hypercall_direct(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
		per_op[b] = (rdtsc() - t0) / ITERS;
	}
	report("null_hypercall_direct_cycles", per_op);
}

/* An exception bounced to the guest and returned with the iret hypercall. */
static void bench_int3_roundtrip(void)
{
	uint64_t per_op[BATCHES];

	trap_expect(3);
	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < ITERS / 10; i++)
			__asm__ __volatile__("int3" ::: "memory");
		per_op[b] = (rdtsc() - t0) / (ITERS / 10);
	}
	trap_expect_none();
	report("int3_bounce_iret_cycles", per_op);
}

/*
 * Event-channel round trip inside one domain: two ports bound to each
 * other (alloc_unbound + bind_interdomain to ourselves); send on one, see
 * the other pending, answer, see the first pending.
 */
static void bench_evtchn_loopback(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	uint64_t per_op[BATCHES];

	if (!shared_info || HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au))
		return;
	bi.remote_port = au.port;
	if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi))
		return;
	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < ITERS / 10; i++) {
			struct evtchn_send s = { .port = bi.local_port };

			HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
			while (!evtchn_test_pending(au.port))
				;
			evtchn_clear_pending(au.port);
			s.port = au.port;
			HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
			while (!evtchn_test_pending(bi.local_port))
				;
			evtchn_clear_pending(bi.local_port);
		}
		per_op[b] = (rdtsc() - t0) / (ITERS / 10);
	}
	report("evtchn_loopback_roundtrip_cycles", per_op);
}

void bench_run(void)
{
	printf("guest-pv: benchmarks (rdtsc cycles per operation)\n");
	bench_null_hypercall();
	bench_null_hypercall_direct();
	bench_int3_roundtrip();
	bench_evtchn_loopback();
}
