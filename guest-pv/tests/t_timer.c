/*
 * Timers that raise VIRQ_TIMER: the old one-shot set_timer_op (#15) and
 * the periodic timer of vcpu_op (#24), watched from a running vCPU.
 *
 * set_timer_op shares the vCPU's one-shot timer with
 * VCPUOP_set_singleshot_timer: 0 stops it, a deadline already past
 * fires at once, and (Xen's workaround for Linux's wrapped jiffies) a
 * deadline 2^50 ns or more ahead, or negative as a signed value, fires
 * 100 ms from now instead. Deadlines are checked with the guest's own
 * clock (now_ns(), the same vcpu_time_info scale the hypervisor uses), so
 * "not early" allows only a little slack.
 */
#include <guest/arch.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define MS 1000000UL
#define SLACK (1 * MS)          /* how early a deadline may look on our clock */

static long evtchn_close(uint32_t port)
{
	struct evtchn_close c = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

/*
 * VIRQ_TIMER bound with no timer running and nothing pending, the
 * callbacks registered; 0 (and a failed check) if it cannot be bound.
 */
static uint32_t timer_setup(void)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

	CHECK_RC("stop_periodic_timer", 0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
	CHECK_RC("set_timer_op(0)", 0, HYPERVISOR_set_timer_op(0));
	events_deliver();
	if (HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv)) {
		test_fail("cannot bind VIRQ_TIMER");
		return 0;
	}
	evtchn_clear_pending(bv.port);
	return bv.port;
}

static void timer_teardown(uint32_t port)
{
	CHECK_RC("set_timer_op(0)", 0, HYPERVISOR_set_timer_op(0));
	CHECK_RC("stop_periodic_timer", 0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
	CHECK_RC("close", 0, evtchn_close(port));
	events_deliver();			/* leave no upcall pending behind */
}

/*
 * Spin, events masked, until `port` is pending or the clock passes
 * `limit`. Returns when it was first seen pending (read after seeing it,
 * so never before it fired), 0 if it never was.
 */
static uint64_t spin_until_pending(uint32_t port, uint64_t limit)
{
	for (;;) {
		if (evtchn_test_pending(port))
			return now_ns();
		if (now_ns() >= limit)
			return 0;
		cpu_relax();
	}
}

/* Microseconds from a to b, signed, for messages. */
static long us(uint64_t a, uint64_t b)
{
	return ((long)(b - a)) / 1000;
}

TEST(set_timer_op, fires_at_deadline)
{
	uint64_t deadline, fired;
	unsigned int blocks = 0;
	uint32_t port;

	if (!shared_info)
		SKIP("shared_info not mapped");
	port = timer_setup();
	if (!port)
		return;
	deadline = now_ns() + 20 * MS;
	CHECK_RC("set_timer_op(+20ms)", 0, HYPERVISOR_set_timer_op(deadline));
	CHECK(!evtchn_test_pending(port), "VIRQ_TIMER pending at once for a deadline 20 ms ahead");
	fired = spin_until_pending(port, deadline + 5000 * MS);
	CHECK(fired, "VIRQ_TIMER did not come within 5 s of its deadline");
	if (!fired) {
		timer_teardown(port);
		return;
	}
	CHECK(fired + SLACK >= deadline, "VIRQ_TIMER came %ld us before its deadline", us(fired, deadline));

	/* It also wakes a blocked vCPU (block unmasks; the upcall records the port). */
	evtchn_clear_pending(port);
	events_seen_reset();
	deadline = now_ns() + 20 * MS;
	CHECK_RC("set_timer_op(+20ms) again", 0, HYPERVISOR_set_timer_op(deadline));
	while (!events_port_seen(port) && blocks < 100) {
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
		vcpu0->evtchn_upcall_mask = 1;
		blocks++;
	}
	fired = now_ns();
	CHECK(events_port_seen(port), "blocked %u times, VIRQ_TIMER never delivered", blocks);
	CHECK(fired + SLACK >= deadline, "blocked vCPU woken %ld us before the deadline",
	      us(fired, deadline));
	timer_teardown(port);
}

/*
 * Arm with `arm` (a deadline `ahead` ns from now), then run `then`; true
 * if `then` ran before the deadline could pass. Under TCG the host may
 * stall the vCPU for longer than any deadline, so a check of what happens
 * "before the deadline" retries until the two calls really came in time.
 */
#define ARMED_IN_TIME(t0, ahead, arm, then) ({                                  \
	bool ok_ = false;                                                       \
	for (unsigned int try_ = 0; try_ < 10 && !ok_; try_++) {                \
		evtchn_clear_pending(port);                                     \
		(t0) = now_ns();                                                \
		arm;                                                            \
		then;                                                           \
		ok_ = now_ns() < (t0) + (ahead) && !evtchn_test_pending(port);  \
	}                                                                       \
	ok_;                                                                    \
})

TEST(set_timer_op, zero_cancels)
{
	struct vcpu_set_singleshot_timer s;
	uint64_t t0 = 0, fired;
	uint32_t port;

	if (!shared_info)
		SKIP("shared_info not mapped");
	port = timer_setup();
	if (!port)
		return;
	CHECK(ARMED_IN_TIME(t0, 100 * MS, HYPERVISOR_set_timer_op(t0 + 100 * MS),
			    HYPERVISOR_set_timer_op(0)),
	      "could not arm and cancel within 100 ms in 10 tries");
	CHECK(!spin_until_pending(port, t0 + 200 * MS), "a cancelled set_timer_op deadline fired");

	/* The same one-shot timer as VCPUOP_set_singleshot_timer. */
	CHECK(ARMED_IN_TIME(t0, 100 * MS,
			    (s = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = t0 + 100 * MS },
			     HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &s)),
			    HYPERVISOR_set_timer_op(0)),
	      "could not arm and cancel within 100 ms in 10 tries");
	CHECK(!spin_until_pending(port, t0 + 200 * MS), "set_timer_op(0) left the singleshot timer armed");

	/* A new deadline replaces the old one. */
	CHECK(ARMED_IN_TIME(t0, 100 * MS, HYPERVISOR_set_timer_op(t0 + 100 * MS),
			    HYPERVISOR_set_timer_op(t0 + 300 * MS)),
	      "could not arm twice within 100 ms in 10 tries");
	fired = spin_until_pending(port, t0 + 5000 * MS);
	CHECK(fired, "the replacing deadline never fired");
	CHECK(!fired || fired + SLACK >= t0 + 300 * MS,
	      "fired %ld us after arming: the replaced 100 ms deadline still ran", us(t0, fired));
	timer_teardown(port);
}

TEST(set_timer_op, past_fires_at_once)
{
	uint32_t port;
	uint64_t now;

	if (!shared_info)
		SKIP("shared_info not mapped");
	port = timer_setup();
	if (!port)
		return;
	CHECK_RC("set_timer_op(1)", 0, HYPERVISOR_set_timer_op(1));
	CHECK(evtchn_test_pending(port), "a deadline at 1 ns of system time did not fire at once");
	evtchn_clear_pending(port);
	now = now_ns();
	CHECK_RC("set_timer_op(now - 1ms)", 0, HYPERVISOR_set_timer_op(now - MS));
	CHECK(evtchn_test_pending(port), "a deadline 1 ms ago did not fire at once");
	timer_teardown(port);
}

/* Xen's "huge timeout" rule: fire 100 ms from now instead. */
static void check_huge(uint32_t port, uint64_t timeout, const char *what)
{
	uint64_t t0 = now_ns(), fired;

	evtchn_clear_pending(port);
	CHECK_RC(what, 0, HYPERVISOR_set_timer_op(timeout));
	fired = spin_until_pending(port, t0 + 5000 * MS);
	CHECK(fired, "%s: no VIRQ_TIMER within 5 s (as if the deadline were taken as given)", what);
	if (!fired)
		return;
	CHECK(fired + SLACK >= t0 + 100 * MS, "%s: VIRQ_TIMER after %ld us, before 100 ms", what,
	      us(t0, fired));
}

TEST(set_timer_op, huge_timeout_fires_in_100ms)
{
	uint32_t port;
	uint64_t t0;

	if (!shared_info)
		SKIP("shared_info not mapped");
	port = timer_setup();
	if (!port)
		return;
	check_huge(port, now_ns() + (1UL << 51), "set_timer_op(now + 2^51 ns)");
	check_huge(port, ~0UL, "set_timer_op(-1)");
	check_huge(port, 1UL << 63, "set_timer_op(2^63)");
	/* Less than 2^50 ns ahead is an ordinary deadline. */
	evtchn_clear_pending(port);
	t0 = now_ns();
	CHECK_RC("set_timer_op(now + 2^49 ns)", 0, HYPERVISOR_set_timer_op(t0 + (1UL << 49)));
	CHECK(!spin_until_pending(port, t0 + 200 * MS), "a deadline 2^49 ns ahead fired within 200 ms");
	timer_teardown(port);
}

/*
 * Spin for `ns` with events unmasked, the upcall recording each port it
 * finds; returns how often `port` came, and in *ran how long it spun.
 */
static unsigned int count_upcalls(uint32_t port, uint64_t ns, uint64_t *ran)
{
	uint64_t start, end;
	unsigned int n = 0;

	events_seen_reset();
	start = now_ns();
	end = start + ns;
	__asm__ __volatile__("" ::: "memory");
	vcpu0->evtchn_upcall_mask = 0;
	__asm__ __volatile__("" ::: "memory");
	HYPERVISOR_xen_version(0, NULL);	/* deliver what is already pending */
	while (now_ns() < end)
		cpu_relax();
	__asm__ __volatile__("" ::: "memory");
	vcpu0->evtchn_upcall_mask = 1;
	__asm__ __volatile__("" ::: "memory");
	*ran = now_ns() - start;
	for (unsigned int i = 0; i < events_seen.nr_ports; i++)
		n += events_seen.ports[i] == port;
	return n;
}

/*
 * The counterpart of evtchn.periodic_timer_stops_while_blocked: while the
 * vCPU runs, the periodic timer does tick, about once a period (the first
 * may come at once when set), and VCPUOP_stop_periodic_timer stops it.
 */
TEST(periodic_timer, ticks_while_running)
{
	struct vcpu_set_periodic_timer p = { .period_ns = 10 * MS };
	unsigned int ticks;
	uint64_t ran;
	uint32_t port;

	if (!shared_info)
		SKIP("shared_info not mapped");
	port = timer_setup();
	if (!port)
		return;
	CHECK_RC("set_periodic_timer(10ms)", 0, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	ticks = count_upcalls(port, 200 * MS, &ran);
	CHECK(ticks >= 5 && ticks <= ran / (10 * MS) + 2,
	      "10 ms period: %u ticks in %lu ms of running", ticks, ran / MS);

	/* The period is the one asked for (a host stall only ever loses ticks). */
	p.period_ns = 25 * MS;
	CHECK_RC("set_periodic_timer(25ms)", 0, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	ticks = count_upcalls(port, 400 * MS, &ran);
	CHECK(ticks >= 4 && ticks <= ran / (25 * MS) + 2,
	      "25 ms period: %u ticks in %lu ms of running", ticks, ran / MS);

	CHECK_RC("stop_periodic_timer", 0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
	evtchn_clear_pending(port);
	ticks = count_upcalls(port, 50 * MS, &ran);
	CHECK_EQ("ticks in 50 ms after stop_periodic_timer", 0, ticks);
	timer_teardown(port);
}

TEST(periodic_timer, period_limits)
{
	struct vcpu_set_periodic_timer p = { .period_ns = MS };

	CHECK_RC("set_periodic_timer(1ms)", 0, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	p.period_ns = MS - 1;
	CHECK_RC("set_periodic_timer(1ms - 1ns)", -XEN_EINVAL,
		 HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	/* Xen refuses periods beyond its largest time delta, 2^62 - 1 ns. */
	p.period_ns = (1UL << 62) - 1;
	CHECK_RC("set_periodic_timer(2^62 - 1 ns)", 0, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	p.period_ns = 1UL << 62;
	CHECK_RC("set_periodic_timer(2^62 ns)", -XEN_EINVAL,
		 HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	p.period_ns = ~0UL;
	CHECK_RC("set_periodic_timer(~0)", -XEN_EINVAL, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	CHECK_RC("stop_periodic_timer", 0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
}
