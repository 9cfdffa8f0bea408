/*
 * event_channel_op (#32), 2-level ABI: allocation, binding, status, send,
 * delivery through the upcall, close; and the invalid cases.
 */
#include <guest/arch.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/sched.h>
#include <public/vcpu.h>

static long evtchn_close(uint32_t port)
{
	struct evtchn_close c = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

static long evtchn_send(uint32_t port)
{
	struct evtchn_send s = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

static long evtchn_status(uint32_t port, struct evtchn_status *st)
{
	memset(st, 0, sizeof(*st));
	st->dom = DOMID_SELF;
	st->port = port;
	return HYPERVISOR_event_channel_op(EVTCHNOP_status, st);
}

TEST(evtchn, alloc_unbound_and_loopback)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	struct evtchn_status st;

	if (!shared_info)
		SKIP("shared_info not mapped");
	CHECK_RC("alloc_unbound(self, self)", 0, HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au));
	CHECK(au.port > 0 && au.port < EVTCHN_2L_NR_CHANNELS, "port %u", au.port);
	CHECK_RC("status(unbound)", 0, evtchn_status(au.port, &st));
	CHECK_EQ("status", EVTCHNSTAT_unbound, st.status);

	bi.remote_port = au.port;
	CHECK_RC("bind_interdomain to our own port", 0,
		 HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi));
	CHECK(bi.local_port > 0 && bi.local_port != au.port, "local port %u", bi.local_port);
	CHECK_RC("status(interdomain)", 0, evtchn_status(bi.local_port, &st));
	CHECK_EQ("status", EVTCHNSTAT_interdomain, st.status);
	CHECK_EQ("peer port", au.port, st.u.interdomain.port);

	/* A send on one end raises the other; upcalls stay masked. */
	evtchn_clear_pending(au.port);
	CHECK_RC("send", 0, evtchn_send(bi.local_port));
	CHECK(evtchn_test_pending(au.port), "peer port %u not pending after send", au.port);
	evtchn_clear_pending(au.port);
	evtchn_clear_pending(bi.local_port);

	CHECK_RC("close local", 0, evtchn_close(bi.local_port));
	/* The peer falls back to unbound. */
	CHECK_RC("status(peer)", 0, evtchn_status(au.port, &st));
	CHECK_EQ("peer status after close", EVTCHNSTAT_unbound, st.status);
	CHECK_RC("close peer", 0, evtchn_close(au.port));
	CHECK_RC("status(closed)", 0, evtchn_status(au.port, &st));
	CHECK_EQ("status after close", EVTCHNSTAT_closed, st.status);
}

TEST(evtchn, ipi_upcall)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	struct evtchn_status st;

	if (!shared_info)
		SKIP("shared_info not mapped");
	CHECK_RC("bind_ipi", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi));
	CHECK_RC("status(ipi)", 0, evtchn_status(ipi.port, &st));
	CHECK_EQ("status", EVTCHNSTAT_ipi, st.status);
	CHECK_EQ("status vcpu", 0, st.vcpu);

	CHECK_RC("send", 0, evtchn_send(ipi.port));
	CHECK(evtchn_test_pending(ipi.port), "port %u not pending", ipi.port);
	CHECK(vcpu0->evtchn_upcall_pending, "upcall_pending not set");
	CHECK(vcpu0->evtchn_pending_sel & (1UL << (ipi.port / 64)), "selector bit not set");

	events_seen_reset();
	events_deliver();
	CHECK(events_seen.upcalls >= 1, "no upcall after unmasking");
	CHECK(events_port_seen(ipi.port), "upcall did not report port %u", ipi.port);
	CHECK(!evtchn_test_pending(ipi.port), "port %u still pending", ipi.port);
	CHECK_EQ("upcall mask restored by iret", 1, vcpu0->evtchn_upcall_mask);
	CHECK_RC("close", 0, evtchn_close(ipi.port));
}

TEST(evtchn, masked_port_not_delivered)
{
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	struct evtchn_unmask um;
	uint64_t bit;

	if (!shared_info)
		SKIP("shared_info not mapped");
	CHECK_RC("bind_ipi", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi));
	bit = 1UL << (ipi.port % 64);
	__atomic_or_fetch(&shared_info->evtchn_mask[ipi.port / 64], bit, __ATOMIC_SEQ_CST);
	CHECK_RC("send", 0, evtchn_send(ipi.port));
	events_seen_reset();
	events_deliver();
	CHECK(!events_port_seen(ipi.port), "masked port %u was delivered", ipi.port);
	CHECK(evtchn_test_pending(ipi.port), "masked port %u lost its pending bit", ipi.port);

	/* EVTCHNOP_unmask clears the mask and re-raises the pending port. */
	um.port = ipi.port;
	CHECK_RC("unmask", 0, HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &um));
	CHECK(!(shared_info->evtchn_mask[ipi.port / 64] & bit), "mask bit still set");
	events_seen_reset();
	events_deliver();
	CHECK(events_port_seen(ipi.port), "unmasked port %u not delivered", ipi.port);
	CHECK_RC("close", 0, evtchn_close(ipi.port));
}

TEST(evtchn, virq_timer)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct vcpu_set_singleshot_timer t = { .timeout_abs_ns = 1 };

	if (!shared_info)
		SKIP("shared_info not mapped");
	CHECK_RC("bind_virq(TIMER)", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	CHECK_RC("bind_virq(TIMER) again", -XEN_EEXIST, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	CHECK_RC("stop_periodic_timer", 0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
	evtchn_clear_pending(bv.port);
	/* A one-shot timer in the past fires at once. */
	CHECK_RC("set_singleshot_timer(past)", 0, HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t));
	CHECK(evtchn_test_pending(bv.port), "VIRQ_TIMER port %u not pending", bv.port);
	events_seen_reset();
	events_deliver();
	CHECK(events_port_seen(bv.port), "VIRQ_TIMER not delivered");
	CHECK_RC("close", 0, evtchn_close(bv.port));
}

/*
 * The periodic timer runs only while its vCPU runs: Xen stops it when the
 * vCPU is descheduled and raises the tick it missed at the next
 * schedule-in. So a vCPU blocked with a 10 ms period sleeps until its
 * one-shot timer 60 ms ahead: two or three wakes (a tick due at the first
 * block, the one-shot, a missed tick with it), never one per period.
 */
TEST(evtchn, periodic_timer_stops_while_blocked)
{
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct vcpu_set_periodic_timer p = { .period_ns = 10000000 };
	struct vcpu_set_singleshot_timer t;
	unsigned int wakes = 0;
	uint64_t deadline;

	if (!shared_info)
		SKIP("shared_info not mapped");
	events_deliver();			/* the callbacks are registered */
	CHECK_RC("bind_virq(TIMER)", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	CHECK_RC("set_periodic_timer(10ms)", 0, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	deadline = now_ns() + 60000000;
	t = (struct vcpu_set_singleshot_timer){ .timeout_abs_ns = deadline };
	CHECK_RC("set_singleshot_timer(+60ms)", 0, HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t));
	while (now_ns() < deadline && wakes < 20) {
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);	/* unmasks; the upcall acks */
		vcpu0->evtchn_upcall_mask = 1;
		wakes++;
	}
	CHECK_RC("stop_periodic_timer", 0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
	CHECK(now_ns() >= deadline, "the one-shot deadline never came (%u wakes)", wakes);
	CHECK(wakes <= 3, "blocked with a 10 ms periodic timer: woken %u times in 60 ms", wakes);
	CHECK_RC("close", 0, evtchn_close(bv.port));
}

static long evtchn_bind_vcpu(uint32_t port, uint32_t vcpu)
{
	struct evtchn_bind_vcpu b = { .port = port, .vcpu = vcpu };

	return HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, &b);
}

/*
 * EVTCHNOP_bind_vcpu moves the vCPU a port notifies: allowed for unbound
 * and interdomain ports and global VIRQs, refused (-EINVAL) for IPIs and
 * per-vCPU VIRQs, whose vCPU is fixed at bind time. As on Xen the vCPU is
 * checked first: one the domain lacks is -ENOENT whatever the port.
 * dom0 has one vCPU on both hypervisors, so vCPU 0 is the only target.
 */
TEST(evtchn, bind_vcpu)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	struct evtchn_bind_virq timer = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_bind_virq console = { .virq = VIRQ_CONSOLE, .vcpu = 0 };
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	struct evtchn_status st;

	if (!shared_info)
		SKIP("shared_info not mapped");
	CHECK_RC("alloc_unbound", 0, HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au));
	CHECK_RC("bind_vcpu(unbound, 0)", 0, evtchn_bind_vcpu(au.port, 0));
	CHECK_RC("status(unbound)", 0, evtchn_status(au.port, &st));
	CHECK_EQ("unbound port's vcpu", 0, st.vcpu);
	bi.remote_port = au.port;
	CHECK_RC("bind_interdomain (loopback)", 0,
		 HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi));
	CHECK_RC("bind_vcpu(interdomain, 0)", 0, evtchn_bind_vcpu(bi.local_port, 0));
	CHECK_RC("status(interdomain)", 0, evtchn_status(bi.local_port, &st));
	CHECK_EQ("status", EVTCHNSTAT_interdomain, st.status);
	CHECK_EQ("interdomain port's vcpu", 0, st.vcpu);
	/* Still delivered on its (re)bound vCPU. */
	evtchn_clear_pending(au.port);
	CHECK_RC("send", 0, evtchn_send(bi.local_port));
	events_seen_reset();
	events_deliver();
	CHECK(events_port_seen(au.port), "port %u not delivered after bind_vcpu", au.port);

	CHECK_RC("bind_virq(CONSOLE)", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &console));
	CHECK_RC("bind_vcpu(global VIRQ, 0)", 0, evtchn_bind_vcpu(console.port, 0));
	CHECK_RC("bind_virq(TIMER)", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &timer));
	CHECK_RC("bind_vcpu(per-vCPU VIRQ)", -XEN_EINVAL, evtchn_bind_vcpu(timer.port, 0));
	CHECK_RC("bind_ipi", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi));
	CHECK_RC("bind_vcpu(IPI)", -XEN_EINVAL, evtchn_bind_vcpu(ipi.port, 0));

	CHECK_RC("bind_vcpu(port 0)", -XEN_EINVAL, evtchn_bind_vcpu(0, 0));
	CHECK_RC("bind_vcpu(beyond the ABI)", -XEN_EINVAL, evtchn_bind_vcpu(EVTCHN_2L_NR_CHANNELS + 5, 0));
	CHECK_RC("bind_vcpu(unbound, vcpu 1)", -XEN_ENOENT, evtchn_bind_vcpu(au.port, 1));
	CHECK_RC("bind_vcpu(unbound, vcpu 4096)", -XEN_ENOENT, evtchn_bind_vcpu(au.port, 4096));
	/* The vCPU is looked at before the port. */
	CHECK_RC("bind_vcpu(IPI, vcpu 1)", -XEN_ENOENT, evtchn_bind_vcpu(ipi.port, 1));
	CHECK_RC("bind_vcpu(beyond the ABI, vcpu 1)", -XEN_ENOENT,
		 evtchn_bind_vcpu(EVTCHN_2L_NR_CHANNELS + 5, 1));
	CHECK_RC("bind_vcpu from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_event_channel_op(EVTCHNOP_bind_vcpu, BAD_PTR_UNMAPPED));

	CHECK_RC("close ipi", 0, evtchn_close(ipi.port));
	CHECK_RC("close timer", 0, evtchn_close(timer.port));
	CHECK_RC("close console", 0, evtchn_close(console.port));
	CHECK_RC("close local", 0, evtchn_close(bi.local_port));
	CHECK_RC("close peer", 0, evtchn_close(au.port));
	CHECK_RC("bind_vcpu(closed port)", -XEN_EINVAL, evtchn_bind_vcpu(au.port, 0));
}

static long evtchn_reset(domid_t dom)
{
	struct evtchn_reset r = { .dom = dom };

	return HYPERVISOR_event_channel_op(EVTCHNOP_reset, &r);
}

/*
 * The first open port at or after `from`, 0 if none. A port the domain
 * never reached may be -EINVAL (Xen grows its table in buckets): the
 * scan ends there.
 */
static uint32_t first_open_port(uint32_t from)
{
	struct evtchn_status st;

	for (uint32_t p = from; p < EVTCHN_2L_NR_CHANNELS; p++) {
		if (evtchn_status(p, &st))
			return 0;
		if (st.status != EVTCHNSTAT_closed)
			return p;
	}
	return 0;
}

/* Ports of every kind, each left pending, for a reset to close. */
struct some_ports {
	uint32_t unbound, local, peer, ipi, timer, console;
};

static void open_ports(struct some_ports *p)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	struct evtchn_bind_virq timer = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_bind_virq console = { .virq = VIRQ_CONSOLE, .vcpu = 0 };
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };

	memset(p, 0, sizeof(*p));
	CHECK_RC("alloc_unbound", 0, HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au));
	p->unbound = au.port;
	CHECK_RC("alloc_unbound (peer)", 0, HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au));
	p->peer = au.port;
	bi.remote_port = p->peer;
	CHECK_RC("bind_interdomain (loopback)", 0,
		 HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi));
	p->local = bi.local_port;
	CHECK_RC("bind_ipi", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi));
	p->ipi = ipi.port;
	CHECK_RC("bind_virq(TIMER)", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &timer));
	p->timer = timer.port;
	CHECK_RC("bind_virq(CONSOLE)", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &console));
	p->console = console.port;
	CHECK_RC("send (loopback)", 0, evtchn_send(p->local));
	CHECK_RC("send (ipi)", 0, evtchn_send(p->ipi));
}

static void check_all_closed(const struct some_ports *p, const char *after)
{
	const uint32_t ports[] = { p->unbound, p->local, p->peer, p->ipi, p->timer, p->console };
	struct evtchn_status st;

	for (unsigned int i = 0; i < ARRAY_SIZE(ports); i++) {
		CHECK_RC("status", 0, evtchn_status(ports[i], &st));
		CHECK(st.status == EVTCHNSTAT_closed, "%s: port %u still open (status %u)",
		      after, ports[i], st.status);
		CHECK(!evtchn_test_pending(ports[i]), "%s: port %u still pending", after, ports[i]);
	}
}

/*
 * EVTCHNOP_reset closes every port of the domain, of every kind, as if
 * each were closed: pending bits cleared, VIRQs and IPIs free to bind
 * again. It would also close the ports the kernel itself holds, but in
 * mode=tests guest-pv holds none between tests (each closes what it
 * binds; the toolstack's VIRQ_TIMER/DOM_EXC ports belong to the other
 * modes), which the test checks first. DOMID_SELF and our own id are the
 * same domain.
 */
TEST(evtchn, reset)
{
	struct evtchn_bind_virq timer = { .virq = VIRQ_TIMER, .vcpu = 0 };
	struct evtchn_bind_ipi ipi = { .vcpu = 0 };
	struct some_ports p;
	uint32_t open;

	if (!shared_info)
		SKIP("shared_info not mapped");
	open = first_open_port(1);
	if (open)
		SKIP("port %u is open before the test: a reset would close it", open);

	open_ports(&p);
	CHECK(evtchn_test_pending(p.peer) && evtchn_test_pending(p.ipi), "sends did not raise the ports");
	CHECK_RC("reset(DOMID_SELF)", 0, evtchn_reset(DOMID_SELF));
	check_all_closed(&p, "reset(DOMID_SELF)");
	CHECK_EQ("no port left open", 0, first_open_port(1));

	/* What was bound can be bound again: the VIRQ and vCPU slots are free. */
	CHECK_RC("bind_virq(TIMER) after reset", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &timer));
	CHECK_RC("bind_ipi after reset", 0, HYPERVISOR_event_channel_op(EVTCHNOP_bind_ipi, &ipi));
	CHECK_RC("send on the new ipi", 0, evtchn_send(ipi.port));
	events_seen_reset();
	events_deliver();
	CHECK(events_port_seen(ipi.port), "new ipi port %u not delivered after reset", ipi.port);
	CHECK_RC("close timer", 0, evtchn_close(timer.port));
	CHECK_RC("close ipi", 0, evtchn_close(ipi.port));

	/* Our own domid (dom0's is 0) names the same domain. */
	if (is_initial_domain()) {
		open_ports(&p);
		CHECK_RC("reset(0)", 0, evtchn_reset(0));
		check_all_closed(&p, "reset(0)");
	}
	CHECK_RC("reset with nothing open", 0, evtchn_reset(DOMID_SELF));
	CHECK_EQ("no port left open", 0, first_open_port(1));
}

TEST(evtchn, reset_refused)
{
	CHECK_RC("reset(no such domain)", -XEN_ESRCH, evtchn_reset(1000));
	CHECK_RC("reset(DOMID_IO)", -XEN_ESRCH, evtchn_reset(DOMID_IO));
	CHECK_RC("reset from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_event_channel_op(EVTCHNOP_reset, BAD_PTR_UNMAPPED));
}

TEST(evtchn, invalid)
{
	struct evtchn_bind_virq bv = { .virq = NR_VIRQS, .vcpu = 0 };
	struct evtchn_unmask um = { .port = EVTCHN_2L_NR_CHANNELS + 5 };
	struct evtchn_status st;

	CHECK_RC("close(0)", -XEN_EINVAL, evtchn_close(0));
	CHECK_RC("close(beyond the ABI)", -XEN_EINVAL, evtchn_close(EVTCHN_2L_NR_CHANNELS + 5));
	CHECK_RC("send(beyond the ABI)", -XEN_EINVAL, evtchn_send(EVTCHN_2L_NR_CHANNELS + 5));
	CHECK_RC("unmask(beyond the ABI)", -XEN_EINVAL, HYPERVISOR_event_channel_op(EVTCHNOP_unmask, &um));
	CHECK_RC("status(beyond the ABI)", -XEN_EINVAL, evtchn_status(EVTCHN_2L_NR_CHANNELS + 5, &st));
	CHECK_RC("bind_virq(NR_VIRQS)", -XEN_EINVAL, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	bv.virq = VIRQ_TIMER;
	bv.vcpu = 1;
	CHECK_RC("bind_virq(TIMER, vcpu 1)", -XEN_ENOENT, HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv));
	CHECK_RC("unknown cmd 99", -XEN_ENOSYS, HYPERVISOR_event_channel_op(99, &st));
	CHECK_RC("status from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_event_channel_op(EVTCHNOP_status, BAD_PTR_UNMAPPED));
	CHECK_RC("alloc_unbound from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, BAD_PTR_HV));
}
