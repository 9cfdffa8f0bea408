/*
 * Modes for runs with several domains (hv's domu= boot domains):
 *
 *   mode=pong   (a domU) offer a port to dom0, answer every event on it;
 *               rounds=N: stop (poweroff) after N answers
 *   mode=ping   (dom0) find domain `peer`'s offered port, bind it, bounce
 *               `rounds` events off it and report the round-trip cycles
 *   mode=spin   burn CPU forever, making no hypercall (scheduler tests)
 *   mode=sleep  (dom0) sleep `ms` milliseconds on VIRQ_TIMER (`times` times
 *               over), then return, saying how late it woke at worst
 *   mode=hammer (a domU) random hypercalls with hostile arguments
 *   mode=ctlhammer (dom0 on hv) hv's control interface with hostile input
 *
 * No event callback is involved: ports are polled after SCHEDOP_block,
 * which returns once an upcall is due.
 */
#include <guest/arch.h>
#include <guest/control.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define MAX_SAMPLES 2048

static uint64_t cmdline_number(const char *key, uint64_t dflt)
{
	char buf[24];
	uint64_t v = 0;

	if (!cmdline_get(key, buf, sizeof(buf)))
		return dflt;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

/*
 * Sleep until `port` is pending, then consume it. As the 2-level protocol
 * asks, the selector is cleared with the upcall flag: hv (like Xen) only
 * raises the upcall when it sets a selector bit that was clear.
 */
static void wait_port(uint32_t port)
{
	for (;;) {
		vcpu0->evtchn_upcall_pending = 0;
		__atomic_exchange_n(&vcpu0->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
		__asm__ __volatile__("" ::: "memory");
		if (evtchn_test_pending(port)) {
			evtchn_clear_pending(port);
			return;
		}
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	}
}

static long send(uint32_t port)
{
	struct evtchn_send s = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

void pong_run(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = 0 };
	uint64_t rounds = cmdline_number("rounds", 0);
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au);

	if (rc)
		panic("pong: alloc_unbound: %ld", rc);
	printf("guest-pv: pong: offering port %u to dom0\n", au.port);
	for (uint64_t n = 1; !rounds || n <= rounds; n++) {
		wait_port(au.port);
		send(au.port);
		if (n % 1000 == 0)
			printf("guest-pv: pong: %lu rounds\n", n);
	}
	printf("guest-pv: pong: done\n");
}

/* The first port of `peer` that waits for us, once the peer has made it. */
static uint32_t find_offered_port(domid_t peer)
{
	for (unsigned int tries = 0; tries < 100000; tries++) {
		for (uint32_t p = 1; p < 64; p++) {
			struct evtchn_status st = { .dom = peer, .port = p };

			if (!HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) &&
			    st.status == EVTCHNSTAT_unbound && st.u.unbound.dom == 0)
				return p;
		}
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	panic("ping: domain %u never offered a port", peer);
}

void ping_run(void)
{
	static uint64_t samples[MAX_SAMPLES];
	domid_t peer = (domid_t)cmdline_number("peer", 1);
	uint64_t rounds = cmdline_number("rounds", 1000);
	struct evtchn_bind_interdomain bi = { .remote_dom = peer };
	long rc;

	if (rounds > MAX_SAMPLES)
		rounds = MAX_SAMPLES;
	bi.remote_port = find_offered_port(peer);
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi);
	if (rc)
		panic("ping: bind_interdomain(%u, %u): %ld", peer, bi.remote_port, rc);
	printf("guest-pv: ping: bound local port %u to domain %u port %u\n", bi.local_port, peer,
	       bi.remote_port);
	evtchn_clear_pending(bi.local_port);	/* a new binding starts pending */
	for (uint64_t n = 0; n < rounds; n++) {
		uint64_t t0 = rdtsc();

		send(bi.local_port);
		wait_port(bi.local_port);
		samples[n] = rdtsc() - t0;
	}
	sort_u64(samples, rounds);
	printf("guest-pv: ping: %lu round trips with domain %u\n", rounds, peer);
	printf("bench evtchn_interdomain_roundtrip_cycles median=%lu min=%lu max=%lu batches=1 iters=%lu\n",
	       samples[rounds / 2], samples[0], samples[rounds - 1], rounds);
}

void __noreturn spin_run(void)
{
	volatile uint64_t n = 0;

	printf("guest-pv: spin: burning CPU\n");
	for (;;)
		n++;
}

/*
 * Sleep `ms` milliseconds, `times` times over, and say how late the
 * wake-ups came: a domain hogging the CPU inside hv shows up here.
 */
void sleep_run(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	uint64_t ms = cmdline_number("ms", 1000), times = cmdline_number("times", 1), worst = 0;
	struct vcpu_set_singleshot_timer t;

	if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv))
		panic("sleep: cannot bind VIRQ_TIMER");
	HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL);
	printf("guest-pv: sleep: %lu ms%s\n", ms, times > 1 ? ", again and again" : "");
	for (uint64_t n = 0; n < times; n++) {
		uint64_t woke;

		t.timeout_abs_ns = now_ns() + ms * 1000000UL;
		t.flags = 0;
		evtchn_clear_pending(bv.port);
		HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
		wait_port(bv.port);
		woke = now_ns();
		if (woke > t.timeout_abs_ns && woke - t.timeout_abs_ns > worst)
			worst = woke - t.timeout_abs_ns;
	}
	printf("guest-pv: sleep: woke up %lu time%s, at worst %lu us late\n", times,
	       times == 1 ? "" : "s", worst / 1000);
}

/*
 * mode=hammer (a domU): hypercalls with random numbers and hostile
 * arguments (null, hv's range, non-canonical, huge, small, our own
 * memory), `calls` of them (0 = forever). hv must answer each with an
 * error or do what was asked of this domain alone; the others run on.
 * Left out, unless all=1: calls whose only possible effect is to wreck
 * this guest's own setup (iret, sched_op, its trap table and callbacks,
 * its own mappings) or to flood the console — they would end or drown
 * the hammering rather than test hv.
 */
static bool self_destructive(unsigned long nr)
{
	switch (nr) {
	case __HYPERVISOR_iret:
	case __HYPERVISOR_sched_op:
	case __HYPERVISOR_set_trap_table:
	case __HYPERVISOR_set_callbacks:
	case __HYPERVISOR_callback_op:
	case __HYPERVISOR_mmu_update:
	case __HYPERVISOR_update_va_mapping:
	case __HYPERVISOR_mmuext_op:
	case __HYPERVISOR_console_io:
	/* Its entries are random hypercalls, the ones above included, and hv
	 * writes each result back, count * 64 bytes from a random pointer. */
	case __HYPERVISOR_multicall:
		return true;
	default:
		return false;
	}
}

/*
 * Sub-operations that name our frames by MFN for hv to write into (a
 * vcpu_info placement, a grant copy to a frame of ours), change our own
 * mappings (grant maps) or give our memory away: with random arguments
 * they would overwrite or free this guest's own code and data.
 */
static bool self_destructive_op(unsigned long nr, unsigned long cmd)
{
	switch (nr) {
	case __HYPERVISOR_vcpu_op:
		/* Placing vcpu_info by MFN; taking our only vCPU down stops us for good. */
		return cmd == VCPUOP_register_vcpu_info || cmd == VCPUOP_down;
	case __HYPERVISOR_memory_op:
		return cmd == XENMEM_decrease_reservation || cmd == XENMEM_exchange;
	case __HYPERVISOR_grant_table_op:
		return cmd == GNTTABOP_copy || cmd == GNTTABOP_map_grant_ref ||
		       cmd == GNTTABOP_unmap_grant_ref || cmd == GNTTABOP_unmap_and_replace;
	default:
		return false;
	}
}

static uint64_t rng_state = 0x9e3779b97f4a7c15UL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Hostile pointers aim into the first half of scratch; the second half is
 * room for what a hypercall writes there (up to a page, e.g. a 1 KiB
 * xen_version string), so hv's legitimate writes stay inside scratch.
 */
static uint8_t scratch[16384] __attribute__((aligned(4096)));

static unsigned long hostile(void)
{
	switch (rng() % 8) {
	case 0: return 0;
	case 1: return rng();
	case 2: return 0xffff800000000000UL + (rng() & 0x7ffffffffffUL);	/* hv's range */
	case 3: return 0x8000000000000000UL | (rng() >> 17);		/* non-canonical */
	case 4: return rng() % 64;
	case 5: return ~0UL;
	case 6: return (unsigned long)scratch + (rng() % (sizeof(scratch) / 2));	/* our own memory */
	default: return rng() & 0xfff;
	}
}

void hammer_run(void)
{
	uint64_t calls = cmdline_number("calls", 0);
	bool all = cmdline_number("all", 0) != 0;
	unsigned long args[5];
	uint64_t n;

	printf("guest-pv: hammer: random hypercalls with hostile arguments\n");
	for (n = 1; !calls || n <= calls; n++) {
		unsigned long nr;

		do
			nr = rng() % 64;
		while (nr == __HYPERVISOR_iret || nr == __HYPERVISOR_sched_op ||
		       (!all && self_destructive(nr)));
		/* Random garbage also lands in our scratch buffer, never in our code. */
		for (unsigned int i = 0; i < 4; i++)
			((uint64_t *)scratch)[rng() % (sizeof(scratch) / 8)] = hostile();
		for (unsigned int i = 0; i < 5; i++)
			args[i] = hostile();
		if (all || !self_destructive_op(nr, args[0]))
			HCALL(nr, args[0], args[1], args[2], args[3], args[4]);
		if (n % 5000 == 0)
			printf("guest-pv: hammer: %lu calls\n", n);
	}
	printf("guest-pv: hammer: done\n");
}

/*
 * mode=ctlhammer (dom0 on hv): `calls` domctls and sysctls (default
 * 20000; seed=N picks another random sequence) with the right interface version but otherwise hostile input:
 * random commands (known and not), domain ids (dom0, DOMID_SELF, two
 * victim domains, random), and every argument field random or a hostile
 * pointer. The victims have no memory, so no context can ever make them
 * run. Then every domain but dom0 is destroyed, and hv's free frames,
 * heap, timers and domain count must be what they were: nothing a
 * rejected or accepted command did may leak or crash hv.
 *
 * Left out, as they would only wreck this test rather than hv: a
 * scheduler cap on dom0 itself (it would crawl), and output buffers
 * larger than the half of scratch left for hv's writes.
 */
#define CTL_VICTIMS 2
#define CTL_RESULTS 8

static const long ctl_errnos[CTL_RESULTS] = {
	0, -XEN_EINVAL, -XEN_ESRCH, -XEN_EFAULT, -XEN_ENOSYS, -XEN_EEXIST, -XEN_ENOENT,
};

static domid_t ctl_domain(const domid_t *victims)
{
	switch (rng() % 6) {
	case 0: return 0;
	case 1: return DOMID_SELF;
	case 2: return victims[0];
	case 3: return victims[1];
	case 4: return (domid_t)(rng() % 300);
	default: return (domid_t)rng();
	}
}

/* Random bytes, then hostile values in every 8-byte field. */
static void ctl_fill(uint8_t *raw, size_t len)
{
	for (size_t i = 0; i + 8 <= len; i += 8) {
		uint64_t v = rng() % 3 ? hostile() : rng();

		memcpy(raw + i, &v, sizeof(v));
	}
}

static long ctl_random_domctl(const domid_t *victims)
{
	static struct hv_domctl op;

	ctl_fill((uint8_t *)&op, sizeof(op));
	op.cmd = (uint32_t)(rng() % 20);
	op.domain = ctl_domain(victims);
	if (op.cmd == HV_DOMCTL_sched_set && (op.domain == 0 || op.domain == DOMID_SELF))
		op.cmd = HV_DOMCTL_sched_get;
	if (op.cmd == HV_DOMCTL_create && rng() % 2) {
		op.domain = 0;			/* any id: most creates then succeed */
		op.u.create.flags = 0;
		op.u.create.max_vcpus = (uint32_t)(rng() % 4);
		op.u.create.max_pages = rng() % 4096;
		op.u.create.max_evtchns = (uint32_t)(rng() % 5000);
		op.u.create.max_grant_frames = (uint32_t)(rng() % 80);
	}
	return domctl(&op);
}

static long ctl_random_sysctl(void)
{
	static struct hv_sysctl op;

	ctl_fill((uint8_t *)&op, sizeof(op));
	op.cmd = (uint32_t)(rng() % 6);
	/* hv writes max * 72 bytes of list, or `size` bytes of console. */
	op.u.list.max = (uint32_t)(rng() % 100);
	if (op.cmd == HV_SYSCTL_readconsole)
		op.u.console.size = (uint32_t)(rng() % 8192);
	return sysctl(&op);
}

/* Destroy every domain but dom0; how many are left afterwards. */
static unsigned int ctl_destroy_all(void)
{
	static struct hv_domctl_info all[64];
	uint32_t count = 0;
	struct hv_sysctl op = { .cmd = HV_SYSCTL_domain_list };

	op.u.list.max = ARRAY_SIZE(all);
	op.u.list.buffer = (uint64_t)all;
	if (sysctl(&op))
		return ~0u;
	count = op.u.list.count;
	for (uint32_t i = 0; i < count; i++)
		if (all[i].domain != 0)
			dom_op(all[i].domain, HV_DOMCTL_destroy);
	op.u.list.count = 0;
	if (sysctl(&op))
		return ~0u;
	return op.u.list.count;
}

void ctlhammer_run(void)
{
	uint64_t calls = cmdline_number("calls", 20000), counts[CTL_RESULTS + 1] = { 0 };
	struct hv_sysctl_physinfo before, after;
	domid_t victims[CTL_VICTIMS] = { 0, 0 };
	unsigned int left;

	if (cmdline_number("seed", 0))
		rng_state = cmdline_number("seed", 0);
	printf("guest-pv: ctlhammer: %lu random domctls and sysctls\n", calls);
	if (physinfo(&before))
		panic("ctlhammer: sysctl physinfo refused: not dom0 on hv?");
	for (uint64_t n = 1; n <= calls; n++) {
		unsigned int k;
		long rc;

		for (unsigned int v = 0; v < CTL_VICTIMS; v++) {
			struct hv_domctl_info info;

			if (!victims[v] || dom_getinfo(victims[v], &info)) {
				victims[v] = 0;		/* destroyed by the hammer: a new one */
				dom_create(&victims[v], 16, 1);
			}
		}
		for (unsigned int i = 0; i < 4; i++)
			((uint64_t *)scratch)[rng() % (sizeof(scratch) / 16)] = hostile();
		rc = rng() % 4 ? ctl_random_domctl(victims) : ctl_random_sysctl();
		for (k = 0; k < CTL_RESULTS - 1 && ctl_errnos[k] != rc; k++)
			;
		counts[k]++;
		if (n % 5000 == 0) {
			printf("guest-pv: ctlhammer: %lu calls\n", n);
			ctl_destroy_all();	/* keep the domain table from filling up */
		}
	}
	printf("guest-pv: ctlhammer: results: 0 %lu, EINVAL %lu, ESRCH %lu, EFAULT %lu, "
	       "ENOSYS %lu, EEXIST %lu, ENOENT %lu, other %lu\n", counts[0], counts[1],
	       counts[2], counts[3], counts[4], counts[5], counts[6], counts[7]);
	left = ctl_destroy_all();
	if (physinfo(&after))
		panic("ctlhammer: sysctl physinfo refused afterwards");
	/* Pages the heap took for small objects stay with it: count them as free. */
	before.free_pages += before.heap_cache_pages;
	after.free_pages += after.heap_cache_pages;
	printf("guest-pv: ctlhammer: %u domain(s) left; free pages (+ heap cache) %lu -> %lu, "
	       "heap %lu -> %lu, timers %u -> %u, ports %u -> %u, grant maps %u -> %u\n", left,
	       before.free_pages, after.free_pages, before.heap_bytes, after.heap_bytes,
	       before.active_timers, after.active_timers, before.evtchn_open, after.evtchn_open,
	       before.grant_mappings, after.grant_mappings);
	if (left == 1 && after.free_pages == before.free_pages &&
	    after.heap_bytes == before.heap_bytes && after.active_timers == before.active_timers &&
	    after.evtchn_open == before.evtchn_open && after.grant_mappings == before.grant_mappings)
		printf("PASS ctlhammer.no_leak\n");
	else
		printf("FAIL ctlhammer.no_leak\n");
}

/*
 * mode=echo (dom0): wait for VIRQ_CONSOLE, read the console input with
 * console_io and print it back as "echo: ..." lines; a line "quit" ends it.
 */
void echo_run(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_CONSOLE, .vcpu = 0 };
	char line[128];
	size_t len = 0;

	if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv))
		panic("echo: cannot bind VIRQ_CONSOLE");
	printf("guest-pv: echo: type a line\n");
	for (;;) {
		char buf[32];
		long n;

		wait_port(bv.port);
		while ((n = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf)) > 0) {
			for (long i = 0; i < n; i++) {
				if (buf[i] != '\r' && buf[i] != '\n') {
					if (len < sizeof(line) - 1)
						line[len++] = buf[i];
					continue;
				}
				line[len] = '\0';
				printf("guest-pv: echo: %s\n", line);
				if (!strcmp(line, "quit"))
					return;
				len = 0;
			}
		}
	}
}
