/*
 * guest-pv as dom0's toolstack: building, running and tearing down other
 * domains through the control interface alone — hv's (public/hvctl.h) or,
 * with target=xen, Xen 4.17's own domctl/sysctl (guest/control.h says
 * how the backend is chosen).
 *
 *   mode=control  (dom0) dom0's initrd is guest-pv's own ELF. Build it
 *                 into a new domain with the shared builder, start it in
 *                 mode=peer, exchange data with it over a granted ring
 *                 kicked by an interdomain event channel, wait for it to
 *                 power off, unmap, destroy (odd rounds: destroy while
 *                 the ring is still mapped, then unmap), and check that
 *                 the hypervisor's free frames (and hv's heap and timers)
 *                 are back where they were after the warm-up. After the
 *                 first round the hypercall page is compared with the
 *                 builder's, and a domain built the same way runs the ABI
 *                 suite as a domU (domu_tests=globs, domu_tests_run=0
 *                 skips it). rounds=N (3), count=N requests (200).
 *                 Where the hypervisor does not print a domU's console_io
 *                 (Xen), each domain gets a console ring that dom0 prints
 *                 as "(dN) ..." lines.
 *   mode=peer     (the domU) grant dom0 the ring page at ref `gref`, send
 *                 `count` requests, check every response, report, power off.
 *   mode=churn    (dom0, hv only) create and destroy `count` (default
 *                 1000) small domains — populate, an event channel bound
 *                 by dom0, one frame mapped by dom0 across the destroy —
 *                 building and running a real one every `every` (50)
 *                 cycles (a short peer session, or an idle domain
 *                 destroyed while it runs or after a domctl shutdown);
 *                 then the same leak check, and the median
 *                 create+destroy time.
 *   mode=watch    (dom0, hv only) wait until every other domain has
 *                 stopped, report and destroy each, then return.
 *
 * Results are one line each: "PASS name: detail" or "FAIL name: why",
 * then "control: N passed, M failed" (or "churn: ...").
 */
#include <guest/arch.h>
#include <guest/control.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/io/console.h>
#include <public/io/ring.h>
#include <public/sched.h>

#define MS              1000000UL
#define PEER_PAGES      1280            /* 5 MiB: guest-pv's 4 MiB region and room */
#define PEER_GREF       8               /* the first ref the toolstack does not reserve */
#define PEER_COUNT      200
#define PEER_INITRD     5000            /* bytes of a made-up initrd for the peer */
#define SESSION_TIMEOUT (10000 * MS)   /* a round takes ~0.1 s under TCG */
#define DOMU_TEST_PAGES 2048            /* 8 MiB: room for the tests' frames */
#define DOMU_TEST_SLACK 8192            /* max_mem above that: memory_res grows by 16 MiB */
/*
 * guest-pv's ABI suite as a domU (domu_tests= overrides), but for what a
 * release build of Xen 4.17 keeps from unprivileged domains and hv does
 * not (console_io: -EPERM on Xen; hv prints a domU's lines, as a debug Xen).
 */
#define DOMU_TESTS      "*,!console_io.*"

/* ---- results --------------------------------------------------------- */

static unsigned int passes, failures;

static void __printf(3, 4) result(bool ok, const char *name, const char *fmt, ...)
{
	char msg[200];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	printf("%s %s: %s\n", ok ? "PASS" : "FAIL", name, msg);
	if (ok)
		passes++;
	else
		failures++;
}

static uint64_t cmdline_num(const char *key, uint64_t dflt)
{
	char buf[24];
	const char *end;
	uint64_t v;

	if (!cmdline_get(key, buf, sizeof(buf)))
		return dflt;
	v = strtoul(buf, &end, 0);
	return *end ? dflt : v;
}

/* FNV-1a: the initrd's fingerprint, passed on the peer's command line. */
static uint32_t fnv1a(const uint8_t *p, size_t n)
{
	uint32_t h = 2166136261u;

	for (size_t i = 0; i < n; i++)
		h = (h ^ p[i]) * 16777619u;
	return h;
}

/* ---- the ring dom0 and the peer share ---------------------------------- */

#define PEER_DATA       1
#define PEER_DONE       2
#define PEER_PAYLOAD    52

struct peer_request {
	uint32_t id;
	uint16_t op;            /* PEER_DATA, PEER_DONE */
	uint16_t len;           /* bytes of data used */
	uint8_t data[PEER_PAYLOAD];
	uint32_t _pad;
};

struct peer_response {
	uint32_t id;
	int16_t status;         /* 0, or -1: the request was not what it should be */
	uint16_t len;
	uint8_t data[PEER_PAYLOAD];
	uint32_t _pad;
};

DEFINE_RING_TYPES(peer, struct peer_request, struct peer_response);

/* What the peer reports in its PEER_DONE request. */
struct peer_report {
	uint32_t responses_ok, responses_bad, initrd_ok;
};

static uint16_t request_len(uint32_t id)
{
	return (uint16_t)(1 + id % PEER_PAYLOAD);
}

static uint8_t request_byte(uint32_t id, unsigned int k)
{
	return (uint8_t)(id * 31 + k * 7 + 1);
}

/* dom0's answer to a request byte: the other direction's data. */
static uint8_t response_byte(uint32_t id, unsigned int k, uint8_t in)
{
	return (uint8_t)(in ^ 0x5a ^ k ^ (id >> 2));
}

/* ---- dom0: one domain's life --------------------------------------------- */

static struct pvb_build builder;
static uint8_t ring_window[PAGE_SIZE] __aligned(PAGE_SIZE);   /* the peer's ring, granted */
static uint8_t ring_window2[PAGE_SIZE] __aligned(PAGE_SIZE);  /* a second mapping of it */
static uint8_t peer_initrd[PEER_INITRD];

struct session {
	domid_t dom;
	uint32_t local_port, remote_port;
	uint64_t nr_pages;
	uint32_t console_port;          /* ours, when we relay the domain's console ring */
	uint32_t console_remote;        /* the domain's end of it */
	bool ring_mapped;
	grant_handle_t handle;
	uint32_t requests_ok, requests_bad;
	struct peer_report report;
	bool report_seen;
};

/* Why a ring stalled: both ends' indices and the peer's event state, seen from dom0. */
static void report_stuck(const struct session *s, const struct peer_back_ring *back)
{
	const struct peer_sring *sr = back->sring;
	struct dom_info info;
	const struct shared_info *si;
	long rc;

	printf("control: ring: req_prod %u req_event %u rsp_prod %u rsp_event %u; "
	       "dom0 req_cons %u rsp_prod_pvt %u; our port %u pending %d\n", sr->req_prod,
	       sr->req_event, sr->rsp_prod, sr->rsp_event, back->req_cons, back->rsp_prod_pvt,
	       s->local_port, evtchn_test_pending(s->local_port));
	if (ctl->getinfo(s->dom, &info))
		return;
	si = foreign_map(s->dom, info.shared_info_frame, &rc);
	if (!si) {
		printf("control: cannot map domain %u's shared_info: %s\n", s->dom, rc_str(rc));
		return;
	}
	printf("control: domain %u state %u: port %u pending %lu masked %lu; vCPU 0 upcall "
	       "pending %u mask %u sel %#lx\n", s->dom, info.state, s->remote_port,
	       (si->evtchn_pending[s->remote_port / 64] >> (s->remote_port % 64)) & 1,
	       (si->evtchn_mask[s->remote_port / 64] >> (s->remote_port % 64)) & 1,
	       si->vcpu_info[0].evtchn_upcall_pending, si->vcpu_info[0].evtchn_upcall_mask,
	       si->vcpu_info[0].evtchn_pending_sel);
	foreign_unmap((void *)si);
}

/* Serve the peer's requests until its PEER_DONE (or the deadline). */
static bool serve_ring(struct session *s, uint64_t deadline)
{
	struct peer_back_ring back;
	struct gnttab_map_grant_ref map = {
		.host_addr = (uint64_t)ring_window, .flags = GNTMAP_host_map, .ref = PEER_GREF,
		.dom = s->dom,
	};
	uint32_t next_id = 0;

	/* The first kick says the ring page is granted and initialised. */
	if (!wait_port_until(s->local_port, deadline)) {
		printf("control: domain %u never kicked its event channel\n", s->dom);
		return false;
	}
	if (HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &map, 1) || map.status != GNTST_okay) {
		printf("control: map_grant_ref(domain %u, ref %u): status %d\n", s->dom, PEER_GREF,
		       map.status);
		return false;
	}
	s->ring_mapped = true;
	s->handle = map.handle;
	BACK_RING_INIT(&back, (struct peer_sring *)ring_window, PAGE_SIZE);
	for (;;) {
		bool done = false;
		int notify, more;

		while (RING_HAS_UNCONSUMED_REQUESTS(&back)) {
			struct peer_request rq;
			struct peer_response *rs = RING_GET_RESPONSE(&back, back.rsp_prod_pvt);
			bool ok;

			RING_COPY_REQUEST(&back, back.req_cons, &rq);
			back.req_cons++;
			memset(rs, 0, sizeof(*rs));
			rs->id = rq.id;
			if (rq.op == PEER_DONE) {
				memcpy(&s->report, rq.data, sizeof(s->report));
				s->report_seen = done = true;
			} else {
				ok = rq.op == PEER_DATA && rq.id == next_id && rq.len == request_len(rq.id);
				for (unsigned int k = 0; ok && k < rq.len; k++)
					ok = rq.data[k] == request_byte(rq.id, k);
				next_id++;
				if (ok)
					s->requests_ok++;
				else
					s->requests_bad++;
				rs->status = ok ? 0 : -1;
				rs->len = rq.len <= PEER_PAYLOAD ? rq.len : 0;
				for (unsigned int k = 0; k < rs->len; k++)
					rs->data[k] = response_byte(rq.id, k, rq.data[k]);
			}
			back.rsp_prod_pvt++;
		}
		RING_PUSH_RESPONSES_AND_CHECK_NOTIFY(&back, notify);
		if (notify)
			evtchn_notify(s->local_port);
		if (done)
			return true;
		RING_FINAL_CHECK_FOR_REQUESTS(&back, more);
		if (!more && !wait_port_until(s->local_port, deadline)) {
			printf("control: domain %u stopped sending after %u requests\n", s->dom, next_id);
			report_stuck(s, &back);
			return false;
		}
	}
}

/* VIRQ_DOM_EXC: hv tells dom0 a domain stopped (bound once, 0 if that failed). */
static uint32_t dom_exc_port(void)
{
	static uint32_t port;
	struct evtchn_bind_virq bv = { .virq = VIRQ_DOM_EXC, .vcpu = 0 };

	if (!port && !HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv))
		port = bv.port;
	return port;
}

/*
 * Wait until the domain stops by itself; its final state, and whether
 * VIRQ_DOM_EXC said so. getinfo is asked again at every tick too, so a
 * missing VIRQ shows as exc false, not as a hang.
 */
static bool wait_stopped(domid_t dom, uint64_t deadline, struct dom_info *info, bool *exc)
{
	uint32_t tick = tick_port(), virq = dom_exc_port();

	for (;;) {
		if (virq && take_port(virq))
			*exc = true;
		if (ctl->getinfo(dom, info))
			return false;
		if (info->state == DOM_SHUTDOWN || info->state == DOM_CRASHED) {
			if (virq && take_port(virq))
				*exc = true;
			return true;
		}
		if (!wait_port_until(tick, deadline))
			return false;
	}
}

/* The domain is gone: the next domctl does not find it (-ESRCH). */
static long gone(domid_t dom, struct dom_info *info)
{
	return ctl->getinfo(dom, info);
}

static bool unmap_ring(struct session *s, const char *name)
{
	struct gnttab_unmap_grant_ref unmap = { .host_addr = (uint64_t)ring_window,
						.handle = s->handle };
	long rc;

	if (!s->ring_mapped)
		return true;
	rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &unmap, 1);
	remap_own_page(ring_window);
	s->ring_mapped = false;
	if (rc || unmap.status != GNTST_okay) {
		result(false, name, "unmap_grant_ref: %s, status %d", rc_str(rc), unmap.status);
		return false;
	}
	return true;
}

/*
 * The domain's console, where the hypervisor does not print it (Xen): the
 * builder gives the domain a console ring, and we print what comes out
 * of it, a line at a time, as "(d<id>) <line>" — what hv prints for a
 * domU's console_io — from every wake-up of wait_port_until.
 */
static struct {
	domid_t dom;
	uint32_t port;
	struct xencons_interface *ring;
	char line[200];
	size_t len;
} relay;

static void console_relay_flush(void)
{
	if (!relay.len)
		return;
	relay.line[relay.len] = '\0';
	printf("(d%u) %s\n", relay.dom, relay.line);
	relay.len = 0;
}

static void console_relay_drain(void)
{
	struct xencons_interface *r = relay.ring;
	XENCONS_RING_IDX cons, prod;

	if (!r)
		return;
	take_port(relay.port);
	cons = r->out_cons;
	prod = *(volatile XENCONS_RING_IDX *)&r->out_prod;
	__asm__ __volatile__("" ::: "memory");     /* x86: the bytes are there once prod is */
	if (cons == prod)
		return;
	for (; cons != prod; cons++) {
		char c = r->out[MASK_XENCONS_IDX(cons, r->out)];

		if (c == '\n')
			console_relay_flush();
		else if (c != '\r')
			relay.line[relay.len++] = c;
		if (relay.len == sizeof(relay.line) - 1)
			console_relay_flush();
	}
	__asm__ __volatile__("" ::: "memory");
	r->out_cons = cons;
	/*
	 * No kick back: guest-pv polls out_cons when its ring is full, and an
	 * event on its console port would reach tests that count upcalls.
	 */
}

static long console_relay_start(domid_t dom, uint32_t port, uint64_t mfn)
{
	long rc;

	relay.ring = foreign_map(dom, mfn, &rc);
	if (!relay.ring)
		return rc;
	relay.dom = dom;
	relay.port = port;
	relay.len = 0;
	wait_hook = console_relay_drain;
	console_relay_drain();
	return 0;
}

static void console_relay_stop(void)
{
	if (!relay.ring)
		return;
	console_relay_drain();
	console_relay_flush();
	wait_hook = NULL;
	foreign_unmap(relay.ring);
	relay.ring = NULL;
}

/*
 * Undo what dom0 holds of the session and destroy the domain; it must
 * then be gone. With `destroy_first` the domain is destroyed while dom0
 * still maps its granted ring: it must linger, dying, still let dom0 map
 * the same grant a second time, and go once both mappings are gone.
 */
static bool teardown(struct session *s, const char *name, bool destroy_first)
{
	struct gnttab_map_grant_ref again = {
		.host_addr = (uint64_t)ring_window2, .flags = GNTMAP_host_map, .ref = PEER_GREF,
		.dom = s->dom,
	};
	struct dom_info info;
	bool ok = true;
	long rc;

	if (!destroy_first && !unmap_ring(s, name))
		ok = false;
	console_relay_stop();
	if (s->console_port && (rc = evtchn_close(s->console_port))) {
		result(false, name, "closing the console port %u: %s", s->console_port, rc_str(rc));
		ok = false;
	}
	s->console_port = 0;
	if (s->local_port && (rc = evtchn_close(s->local_port))) {
		result(false, name, "closing our port %u: %s", s->local_port, rc_str(rc));
		ok = false;
	}
	s->local_port = 0;
	rc = ctl->destroy(s->dom);
	if (rc) {
		result(false, name, "destroy domain %u: %s", s->dom, rc_str(rc));
		return false;
	}
	if (destroy_first && s->ring_mapped) {
		rc = ctl->getinfo(s->dom, &info);
		if (rc || info.state != DOM_DYING || info.tot_pages != 1) {
			result(false, name, "destroyed with its ring granted to us: getinfo %s, state %u, "
			       "%lu pages (expected dying, 1)", rc_str(rc), rc ? 0 : info.state,
			       rc ? 0 : info.tot_pages);
			ok = false;
		}
		/*
		 * A second mapping of the dying domain's grant, elsewhere: the
		 * grant was never revoked and the page is still the dying
		 * domain's, so hv and Xen both grant it. It must unmap cleanly,
		 * or the domain could never go.
		 */
		rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &again, 1);
		if (rc || again.status != GNTST_okay) {
			result(false, name, "a second mapping of the dying domain's grant: %s, status %d",
			       rc_str(rc), again.status);
			ok = false;
		} else {
			struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)ring_window2,
							    .handle = again.handle };

			rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
			if (rc || u.status != GNTST_okay) {
				result(false, name, "unmapping the second mapping: %s, status %d",
				       rc_str(rc), u.status);
				ok = false;
			}
		}
		remap_own_page(ring_window2);
		if (!unmap_ring(s, name))
			ok = false;
	}
	rc = gone(s->dom, &info);
	if (rc != -XEN_ESRCH) {
		result(false, name, "domain %u after destroy: getinfo %s (state %u, %lu pages): not gone",
		       s->dom, rc_str(rc), rc ? 0 : info.state, rc ? 0 : info.tot_pages);
		ok = false;
	}
	return ok;
}

/*
 * A new domain, in two steps so the caller can put its port on the
 * command line. session_create: create it (nr_pages, one vCPU), an event
 * channel to us (its port in s->remote_port, ours in s->local_port) and,
 * where the hypervisor does not print a domU's console_io, a console
 * channel. session_build: build `elf` into it with `cmdline`, start it,
 * and relay its console ring if it has one. On failure the result is
 * reported, what was made is torn down, and false returned.
 */
static bool session_create(struct session *s, const char *name, uint64_t nr_pages)
{
	long rc;

	s->nr_pages = nr_pages;
	rc = ctl->create(&s->dom, nr_pages, 1);
	if (rc) {
		result(false, name, "create: %s", rc_str(rc));
		return false;
	}
	rc = ctl->evtchn_alloc(s->dom, 0, &s->remote_port);
	if (!rc)
		rc = evtchn_bind_interdomain(s->dom, s->remote_port, &s->local_port);
	if (!rc && !ctl->domu_console_io) {
		rc = ctl->evtchn_alloc(s->dom, 0, &s->console_remote);
		if (!rc)
			rc = evtchn_bind_interdomain(s->dom, s->console_remote, &s->console_port);
	}
	if (rc) {
		result(false, name, "event channels to domain %u: %s", s->dom, rc_str(rc));
		teardown(s, name, false);
		return false;
	}
	take_port(s->local_port);       /* a new binding may start pending */
	return true;
}

static bool session_build(struct session *s, const char *name, const void *elf, size_t elf_size,
			  const char *cmdline)
{
	struct build_args a = {
		.dom = s->dom, .elf = elf, .elf_size = elf_size, .initrd = peer_initrd,
		.initrd_size = sizeof(peer_initrd), .cmdline = cmdline, .nr_pages = s->nr_pages,
		.console_evtchn = s->console_remote, .start = true,
	};
	long rc;
	int brc;

	brc = build_domain(&builder, &a);
	if (brc) {
		result(false, name, "building domain %u: %s", s->dom, builder.err);
		teardown(s, name, false);
		return false;
	}
	if (s->console_port && (rc = console_relay_start(s->dom, s->console_port, builder.console_mfn))) {
		result(false, name, "mapping domain %u's console ring: %s", s->dom, rc_str(rc));
		teardown(s, name, false);
		return false;
	}
	return true;
}

/*
 * The domain stops by itself, powered off, and VIRQ_DOM_EXC says so;
 * false with the result reported otherwise.
 */
static bool session_powered_off(struct session *s, const char *name, uint64_t deadline)
{
	struct dom_info info;
	bool exc = false;

	if (!wait_stopped(s->dom, deadline, &info, &exc)) {
		result(false, name, "domain %u did not stop by itself", s->dom);
		return false;
	}
	if (info.state != DOM_SHUTDOWN || info.shutdown_reason != SHUTDOWN_poweroff) {
		result(false, name, "domain %u stopped in state %u, reason %u (expected poweroff)",
		       s->dom, info.state, info.shutdown_reason);
		return false;
	}
	if (!exc) {
		result(false, name, "domain %u powered off but VIRQ_DOM_EXC did not come", s->dom);
		return false;
	}
	return true;
}

/*
 * Conformance: the domain's hypercall page (filled by the hypervisor on
 * Xen, by the builder on hv) holds exactly what the builder would write.
 */
static void check_hypercall_page(const struct session *s)
{
	static uint8_t want[PAGE_SIZE];
	uint64_t pfn = (builder.img.hypercall_page - builder.lay.v_start) >> PAGE_SHIFT;
	const uint8_t *page;
	const char *how;
	unsigned int off;
	long rc;

	pvb_hypercall_page(want);
	page = foreign_map(s->dom, built_mfn(pfn), &rc);
	if (!page) {
		result(false, "control.hypercall_page", "mapping domain %u's PFN %#lx: %s", s->dom, pfn,
		       rc_str(rc));
		return;
	}
	for (off = 0; off < PAGE_SIZE && page[off] == want[off]; off++)
		;
	how = ctl->hypercall_init ? "filled by the hypervisor (hypercall_init)" : "written by the builder";
	if (off == PAGE_SIZE)
		result(true, "control.hypercall_page", "domain %u's page at %#lx, %s, is the builder's "
		       "byte for byte", s->dom, builder.img.hypercall_page, how);
	else
		result(false, "control.hypercall_page", "domain %u's page at %#lx, %s, differs from "
		       "the builder's at byte %#x: %#x, not %#x", s->dom, builder.img.hypercall_page,
		       how, off, page[off], want[off]);
	foreign_unmap((void *)page);
}

/*
 * One round: create, build from `elf`, run the peer, check the ring in
 * both directions and the peer's own report, tear down (see teardown()
 * for destroy_first). `verbose` prints one PASS line per step.
 */
static bool peer_session(const void *elf, size_t elf_size, unsigned int count, const char *round,
			 bool verbose, bool destroy_first)
{
	struct session s = { .dom = 0 };
	char cmdline[160], name[48];
	uint64_t t0 = now_ns(), deadline = t0 + SESSION_TIMEOUT;
	bool ok = true;

	snprintf(name, sizeof(name), "control.%s", round);
	if (!session_create(&s, name, PEER_PAGES))
		return false;
	snprintf(cmdline, sizeof(cmdline), "peer mode=peer port=%u gref=%u count=%u sum=%#x target=%s",
		 s.remote_port, PEER_GREF, count, fnv1a(peer_initrd, sizeof(peer_initrd)), ctl->name);
	if (!session_build(&s, name, elf, elf_size, cmdline))
		return false;
	/* Stale news of earlier domains: from now on VIRQ_DOM_EXC is about this one. */
	if (dom_exc_port())
		take_port(dom_exc_port());
	if (verbose) {
		result(true, "control.build", "domain %u: %s %s, entry %#lx, %u pages, region %#lx-%#lx, "
		       "%lu page tables", s.dom, builder.img.guest_os, builder.img.guest_version,
		       builder.img.entry, PEER_PAGES, builder.lay.v_start, builder.lay.v_end,
		       builder.lay.nr_pt);
		check_hypercall_page(&s);
	}

	if (!serve_ring(&s, deadline)) {
		result(false, name, "the ring with domain %u failed", s.dom);
		ok = false;
	} else if (s.requests_ok != count || s.requests_bad || s.report.responses_ok != count ||
		   s.report.responses_bad || !s.report.initrd_ok) {
		result(false, name, "dom0 checked %u requests (%u bad), the peer %u responses (%u bad), "
		       "initrd %s; expected %u each", s.requests_ok, s.requests_bad,
		       s.report.responses_ok, s.report.responses_bad,
		       s.report.initrd_ok ? "intact" : "WRONG", count);
		ok = false;
	} else if (verbose) {
		result(true, "control.ring", "%u requests and %u responses verified over grant ref %u "
		       "and ports %u/%u; the peer found its initrd intact", s.requests_ok,
		       s.report.responses_ok, PEER_GREF, s.local_port, s.remote_port);
	}
	if (ok && !session_powered_off(&s, name, deadline))
		ok = false;
	if (!teardown(&s, name, destroy_first))
		ok = false;
	else if (ok && verbose)
		result(true, "control.teardown", "domain %u powered off (VIRQ_DOM_EXC came), %s, "
		       "destroyed and gone (round took %lu ms)", s.dom,
		       destroy_first ? "destroyed while its ring was still granted to us, then unmapped" :
		       "grant unmapped, port closed", (now_ns() - t0) / MS);
	return ok;
}

/* ---- leak checks -------------------------------------------------------- */

static bool same_resources(const char *name, const struct sys_info *before,
			   const struct sys_info *after)
{
	bool ok = before->free_pages == after->free_pages && before->nr_domains == after->nr_domains;

	if (!before->hv_counters) {
		result(ok, name, "free_pages %lu -> %lu, domains %u -> %u (%s reports no heap or "
		       "timer counts)", before->free_pages, after->free_pages, before->nr_domains,
		       after->nr_domains, ctl->name);
		return ok;
	}
	ok = ok && before->heap_bytes == after->heap_bytes &&
	     before->active_timers == after->active_timers &&
	     before->evtchn_open == after->evtchn_open &&
	     before->grant_mappings == after->grant_mappings;
	result(ok, name, "free_pages %lu -> %lu, heap_bytes %lu -> %lu, active_timers %u -> %u, "
	       "ports %u -> %u, grant maps %u -> %u, domains %u -> %u", before->free_pages,
	       after->free_pages, before->heap_bytes, after->heap_bytes, before->active_timers,
	       after->active_timers, before->evtchn_open, after->evtchn_open,
	       before->grant_mappings, after->grant_mappings, before->nr_domains,
	       after->nr_domains);
	return ok;
}

/*
 * The machine's resources once the last teardown has settled. hv frees a
 * destroyed domain at once; Xen frees the last of it (the domain
 * structure, its xenheap pages) after an RCU grace period, some ticks
 * later: on Xen the counts are asked every tick until they have not
 * changed for SETTLE_NS (or two seconds have passed).
 */
#define SETTLE_NS (100 * MS)

static bool resources_settled(struct sys_info *s)
{
	uint64_t deadline = now_ns() + 2000 * MS, since = now_ns();
	struct sys_info prev;

	if (ctl->sys_info(s)) {
		result(false, "control.sys_info", "%s: physinfo failed", ctl->name);
		return false;
	}
	if (s->hv_counters)
		return true;
	while (now_ns() - since < SETTLE_NS) {
		prev = *s;
		if (!wait_port_until(tick_port(), deadline))
			return true;
		if (ctl->sys_info(s)) {
			result(false, "control.sys_info", "%s: physinfo failed", ctl->name);
			return false;
		}
		if (s->free_pages != prev.free_pages || s->nr_domains != prev.nr_domains)
			since = now_ns();
	}
	return true;
}

/*
 * The machine's resources now, for a comparison with `base`: on Xen a
 * different count is asked again every tick for up to a second first
 * (see resources_settled).
 */
static bool resources_now(const struct sys_info *base, struct sys_info *now)
{
	uint64_t deadline = now_ns() + 1000 * MS;

	for (;;) {
		if (ctl->sys_info(now)) {
			result(false, "control.sys_info", "%s: physinfo failed", ctl->name);
			return false;
		}
		if (base->hv_counters || (now->free_pages == base->free_pages &&
					  now->nr_domains == base->nr_domains))
			return true;
		if (!wait_port_until(tick_port(), deadline))
			return true;
	}
}

static bool have_kernel(const void **elf, size_t *size)
{
	if (!start_info->mod_start || !start_info->mod_len) {
		result(false, "control.image", "no initrd: boot guest-pv's ELF as dom0's second module");
		return false;
	}
	if (start_info->flags & SIF_MOD_START_PFN) {
		result(false, "control.image", "the initrd is not mapped (SIF_MOD_START_PFN)");
		return false;
	}
	*elf = (const void *)start_info->mod_start;
	*size = start_info->mod_len;
	return true;
}

/* Refusals: a bad image never makes a domain, a too small one is refused before it is touched. */
static void check_refusals(const void *elf, size_t size)
{
	struct dom_info info;
	struct build_args a = { .elf = elf, .elf_size = 300, .cmdline = "", .nr_pages = PEER_PAGES };
	domid_t dom = 0;
	long rc;
	int brc;

	rc = ctl->create(&dom, PEER_PAGES, 1);
	if (rc) {
		result(false, "control.refusals", "create: %s", rc_str(rc));
		return;
	}
	a.dom = dom;
	brc = build_domain(&builder, &a);
	result(brc == -XEN_ENOEXEC && strstr(builder.err, "lies outside the file"), "control.bad_image",
	       "a 300-byte cut of the image: %d, \"%s\"", brc, builder.err);
	a.elf_size = size;
	a.nr_pages = 1000;
	brc = build_domain(&builder, &a);
	result(brc == -XEN_ENOMEM && strstr(builder.err, "needs 1024 pages"), "control.too_small",
	       "1000 pages: %d, \"%s\"", brc, builder.err);
	rc = ctl->getinfo(dom, &info);
	result(!rc && info.tot_pages == 0, "control.untouched", "domain %u after both refusals: "
	       "getinfo %s, %lu pages", dom, rc_str(rc), rc ? 0 : info.tot_pages);
	rc = ctl->destroy(dom);
	if (rc)
		result(false, "control.refusals", "destroy: %s", rc_str(rc));
}

/*
 * Conformance of what the builder makes, judged by the domain itself: a
 * domain built like the peer (with room to grow its memory) runs
 * guest-pv's ABI suite as a domU — start_info, shared_info, the M2P, the
 * hypercall page and its page tables first — and powers off; the
 * scenario reads its results on the console. The same selection runs on
 * hv and on Xen, so a difference shows as a failure on one of them.
 */
static void domu_tests(const void *elf, size_t size)
{
	static char globs[120];
	struct session s = { .dom = 0 };
	char cmdline[200];
	const char *name = "control.domu_tests";
	uint64_t t0 = now_ns();
	long rc;

	if (!cmdline_get("domu_tests", globs, sizeof(globs)))
		snprintf(globs, sizeof(globs), "%s", DOMU_TESTS);
	if (!session_create(&s, name, DOMU_TEST_PAGES))
		return;
	rc = ctl->max_mem(s.dom, DOMU_TEST_PAGES + DOMU_TEST_SLACK);
	if (rc) {
		result(false, name, "max_mem of domain %u: %s", s.dom, rc_str(rc));
		teardown(&s, name, false);
		return;
	}
	snprintf(cmdline, sizeof(cmdline), "tests mode=tests tests=%s target=%s", globs, ctl->name);
	if (!session_build(&s, name, elf, size, cmdline))
		return;
	if (dom_exc_port())
		take_port(dom_exc_port());
	if (session_powered_off(&s, name, t0 + SESSION_TIMEOUT) && teardown(&s, name, false))
		result(true, name, "domain %u ran tests=%s and powered off (%lu ms)", s.dom, globs,
		       (now_ns() - t0) / MS);
	else
		teardown(&s, name, false);
}

void control_run(void)
{
	unsigned int rounds = (unsigned int)cmdline_num("rounds", 3);
	unsigned int count = (unsigned int)cmdline_num("count", PEER_COUNT);
	struct sys_info base, now;
	const void *elf;
	size_t size;
	char round[16];

	ctl_select();
	if (!is_initial_domain() || !shared_info || !have_kernel(&elf, &size)) {
		result(false, "control.setup", "needs to be dom0 with shared_info mapped and an initrd");
		goto out;
	}
	for (unsigned int i = 0; i < sizeof(peer_initrd); i++)
		peer_initrd[i] = (uint8_t)(i * 11 + (i >> 7));
	printf("control: kernel image at %p, %lu bytes; %u rounds of %u requests; %s's control "
	       "interface\n", elf, size, rounds, count, ctl->name);
	if (!dom_exc_port())
		result(false, "control.setup", "cannot bind VIRQ_DOM_EXC");
	check_refusals(elf, size);
	/* Round 1 warms up what stays allocated (our ports, the hypervisor's first-use tables). */
	peer_session(elf, size, count, "round1", true, false);
	if (cmdline_num("domu_tests_run", 1))
		domu_tests(elf, size);
	if (!resources_settled(&base))
		goto out;
	/* Every other round destroys the domain while its ring is still mapped. */
	for (unsigned int r = 2; r <= rounds; r++) {
		bool destroy_first = r % 2 == 1;

		snprintf(round, sizeof(round), "round%u", r);
		if (peer_session(elf, size, count, round, false, destroy_first))
			result(true, "control.round", "%u: domain built, %u requests and responses "
			       "verified, %s", r, count, destroy_first ?
			       "destroyed while its ring was mapped, then unmapped" : "torn down");
		if (resources_now(&base, &now))
			same_resources("control.no_leak", &base, &now);
	}
out:
	printf("control: %u passed, %u failed\n", passes, failures);
}

/* ---- the peer (a domU) ------------------------------------------------------ */

static uint8_t peer_ring_page[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t peer_gnttab_page[PAGE_SIZE] __aligned(PAGE_SIZE);

static struct grant_entry_v1 *peer_grant_table(void)
{
	uint64_t frame = 0;
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1,
					 .frame_list = (uint64_t)&frame };
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);

	if (rc || st.status != GNTST_okay)
		panic("peer: setup_table: %ld, status %d", rc, st.status);
	rc = HYPERVISOR_update_va_mapping((unsigned long)peer_gnttab_page,
					  (frame << PAGE_SHIFT) | 0x67, UVMF_INVLPG);
	if (rc)
		panic("peer: cannot map the grant table frame %#lx: %ld", frame, rc);
	return (struct grant_entry_v1 *)peer_gnttab_page;
}

static bool peer_initrd_ok(void)
{
	uint64_t want = cmdline_num("sum", 0);

	if (!start_info->mod_len)
		return false;
	if (start_info->flags & SIF_MOD_START_PFN)
		return false;   /* guest-pv has no MOD_START_PFN note: it must be mapped */
	return fnv1a((const uint8_t *)start_info->mod_start, start_info->mod_len) == want;
}

static void peer_wait(uint32_t port)
{
	wait_port_until(port, UINT64_MAX);
}

/*
 * With a console ring (the toolstack relays it because the hypervisor
 * would not print our console_io), say what console_io itself answers:
 * the scenario checks that Xen refuses it.
 */
static void peer_console_io_probe(void)
{
	static const char probe[] = "guest-pv: peer: this line went through console_io\n";
	long rc;

	if (!start_info->console.domU.mfn)
		return;
	rc = HYPERVISOR_console_io(CONSOLEIO_write, sizeof(probe) - 1, probe);
	printf("guest-pv: peer: console_io write from this domU: %s\n", rc_str(rc));
}

void peer_run(void)
{
	uint32_t port = (uint32_t)cmdline_num("port", 0);
	uint32_t gref = (uint32_t)cmdline_num("gref", PEER_GREF);
	uint32_t count = (uint32_t)cmdline_num("count", PEER_COUNT);
	struct peer_sring *sring = (struct peer_sring *)peer_ring_page;
	struct peer_report rep = { .initrd_ok = peer_initrd_ok() };
	struct grant_entry_v1 *gt;
	struct peer_front_ring front;
	uint32_t sent = 0, received = 0;
	bool done = false;

	if (!port || !shared_info)
		panic("peer: needs port= and shared_info");
	printf("guest-pv: peer: initrd %s; ring at ref %u, port %u, %u requests\n",
	       rep.initrd_ok ? "intact" : "WRONG", gref, port, count);
	peer_console_io_probe();
	gt = peer_grant_table();
	SHARED_RING_INIT(sring);
	FRONT_RING_INIT(&front, sring, PAGE_SIZE);
	gt[gref].domid = 0;
	gt[gref].frame = (uint32_t)own_mfn(peer_ring_page);
	__asm__ __volatile__("" ::: "memory");
	gt[gref].flags = GTF_permit_access;

	while (!done) {
		bool consumed = false;
		int notify, more;

		while (sent <= count && !RING_FULL(&front)) {
			struct peer_request *rq = RING_GET_REQUEST(&front, front.req_prod_pvt);

			memset(rq, 0, sizeof(*rq));
			rq->id = sent;
			if (sent == count) {
				/* Last: the report, once every response is in. */
				if (received < count)
					break;
				rq->op = PEER_DONE;
				memcpy(rq->data, &rep, sizeof(rep));
			} else {
				rq->op = PEER_DATA;
				rq->len = request_len(sent);
				for (unsigned int k = 0; k < rq->len; k++)
					rq->data[k] = request_byte(sent, k);
			}
			front.req_prod_pvt++;
			sent++;
		}
		RING_PUSH_REQUESTS_AND_CHECK_NOTIFY(&front, notify);
		if (notify)
			evtchn_notify(port);
		while (RING_HAS_UNCONSUMED_RESPONSES(&front)) {
			struct peer_response rs;
			bool ok;

			RING_COPY_RESPONSE(&front, front.rsp_cons, &rs);
			front.rsp_cons++;
			consumed = true;
			if (rs.id == count) {
				done = true;
				break;
			}
			ok = rs.id == received && !rs.status && rs.len == request_len(rs.id);
			for (unsigned int k = 0; ok && k < rs.len; k++)
				ok = rs.data[k] == response_byte(rs.id, k, request_byte(rs.id, k));
			received++;
			if (ok)
				rep.responses_ok++;
			else
				rep.responses_bad++;
		}
		/* Responses free slots: fill them before sleeping. */
		if (done || consumed)
			continue;
		RING_FINAL_CHECK_FOR_RESPONSES(&front, more);
		if (!more)
			peer_wait(port);
	}
	printf("guest-pv: peer: %u responses verified, %u wrong\n", rep.responses_ok,
	       rep.responses_bad);
}

/* ---- benchmarks across two domains ------------------------------------------ */

/*
 * mode=bench_domu (dom0) builds a domain in mode=bench_peer through the
 * toolstack and times what a backend does with a frontend: an event
 * channel round trip (dom0 sends, the domU answers, dom0 has it back),
 * both sides waiting in SCHEDOP_block; and a map_grant_ref +
 * unmap_grant_ref pair of the page the domU granted. The code is the same
 * on hv and on Xen; only the control backend that builds the domain
 * differs, and it is not timed. Lines as bench.c prints them:
 *   bench <name> median=<cycles> min=<cycles> max=<cycles> batches=<n> iters=<n>
 */
#define XBENCH_BATCHES  11
#define XBENCH_ITERS    200

static uint8_t bench_host[PAGE_SIZE] __aligned(PAGE_SIZE);

static void xbench_report(const char *name, uint64_t *per_op)
{
	sort_u64(per_op, XBENCH_BATCHES);
	printf("bench %s median=%lu min=%lu max=%lu batches=%u iters=%u\n", name,
	       per_op[XBENCH_BATCHES / 2], per_op[0], per_op[XBENCH_BATCHES - 1], XBENCH_BATCHES,
	       XBENCH_ITERS);
}

static bool xbench_evtchn(const struct session *s)
{
	uint64_t per_op[XBENCH_BATCHES];

	for (unsigned int b = 0; b < XBENCH_BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < XBENCH_ITERS; i++) {
			evtchn_notify(s->local_port);
			wait_port_until(s->local_port, UINT64_MAX);
		}
		per_op[b] = (rdtsc() - t0) / XBENCH_ITERS;
	}
	xbench_report("evtchn_domu_roundtrip_cycles", per_op);
	return true;
}

static bool xbench_grant_map(const struct session *s)
{
	static const char name[] = "grant_map_unmap_domu_cycles";
	uint64_t per_op[XBENCH_BATCHES];
	long rc;

	/* As bench.c's own-grant figure: mappings go into an empty PTE. */
	rc = HYPERVISOR_update_va_mapping((unsigned long)bench_host, 0, UVMF_INVLPG);
	if (rc) {
		printf("bench %s failed: emptying the host PTE (%ld)\n", name, rc);
		return false;
	}
	for (unsigned int b = 0; b < XBENCH_BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < XBENCH_ITERS; i++) {
			struct gnttab_map_grant_ref m = {
				.host_addr = (uint64_t)bench_host, .flags = GNTMAP_host_map,
				.ref = PEER_GREF, .dom = s->dom,
			};
			struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)bench_host };

			rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
			if (rc || m.status != GNTST_okay) {
				printf("bench %s failed: map_grant_ref (%ld, status %d)\n", name, rc,
				       m.status);
				remap_own_page(bench_host);
				return false;
			}
			u.handle = m.handle;
			rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
			if (rc || u.status != GNTST_okay) {
				printf("bench %s failed: unmap_grant_ref (%ld, status %d)\n", name, rc,
				       u.status);
				remap_own_page(bench_host);
				return false;
			}
		}
		per_op[b] = (rdtsc() - t0) / XBENCH_ITERS;
	}
	remap_own_page(bench_host);
	xbench_report(name, per_op);
	return true;
}

void bench_domu_run(void)
{
	const char *name = "bench_domu";
	struct session s = { .dom = 0 };
	void (*hook)(void);
	char cmdline[160];
	const void *elf;
	size_t size;
	bool ok;

	ctl_select();
	if (!is_initial_domain() || !shared_info || !have_kernel(&elf, &size)) {
		result(false, name, "needs to be dom0 with shared_info mapped and an initrd");
		goto out;
	}
	dom_exc_port();
	if (!session_create(&s, name, PEER_PAGES))
		goto out;
	snprintf(cmdline, sizeof(cmdline), "benchpeer mode=bench_peer port=%u gref=%u rounds=%u "
		 "target=%s", s.remote_port, PEER_GREF, XBENCH_BATCHES * XBENCH_ITERS, ctl->name);
	if (!session_build(&s, name, elf, size, cmdline))
		goto out;
	if (dom_exc_port())
		take_port(dom_exc_port());
	/* The first kick: the page is granted and the domU waits for us. */
	if (!wait_port_until(s.local_port, now_ns() + SESSION_TIMEOUT)) {
		result(false, name, "domain %u never said it was ready", s.dom);
		teardown(&s, name, false);
		goto out;
	}
	/* Nothing but the two domains' own steps inside the timed loops. */
	hook = wait_hook;
	wait_hook = NULL;
	ok = xbench_evtchn(&s) && xbench_grant_map(&s);
	wait_hook = hook;
	evtchn_notify(s.local_port);    /* done: the domU powers off */
	if (session_powered_off(&s, name, now_ns() + SESSION_TIMEOUT) && teardown(&s, name, false))
		result(ok, name, "domain %u (%s's control interface): %u event round trips and %u "
		       "grant map+unmap pairs timed; powered off and destroyed", s.dom, ctl->name,
		       XBENCH_BATCHES * XBENCH_ITERS, ok ? XBENCH_BATCHES * XBENCH_ITERS : 0);
	else
		teardown(&s, name, false);
out:
	printf("bench_domu: %u passed, %u failed\n", passes, failures);
}

/* mode=bench_peer (the domU): grant the page, say ready, answer `rounds` events, wait for the end. */
void bench_peer_run(void)
{
	uint32_t port = (uint32_t)cmdline_num("port", 0);
	uint32_t gref = (uint32_t)cmdline_num("gref", PEER_GREF);
	uint64_t rounds = cmdline_num("rounds", 0);
	struct grant_entry_v1 *gt;

	if (!port || !shared_info)
		panic("bench_peer: needs port= and shared_info");
	gt = peer_grant_table();
	gt[gref].domid = 0;
	gt[gref].frame = (uint32_t)own_mfn(peer_ring_page);
	__asm__ __volatile__("" ::: "memory");
	gt[gref].flags = GTF_permit_access;
	printf("guest-pv: bench_peer: page granted at ref %u; answering %lu events on port %u\n",
	       gref, rounds, port);
	evtchn_notify(port);
	for (uint64_t n = 0; n < rounds; n++) {
		wait_port_until(port, UINT64_MAX);
		evtchn_notify(port);
	}
	wait_port_until(port, UINT64_MAX);
	gt[gref].flags = 0;
	printf("guest-pv: bench_peer: %lu events answered\n", rounds);
}

/* ---- churn ------------------------------------------------------------------- */

#define CHURN_PAGES     4
#define CHURN_MAX       4096

static uint64_t churn_samples[CHURN_MAX];

/*
 * One small domain's life: create, populate, an event channel bound by
 * us, one of its frames mapped by us across its destruction. Returns the
 * cycles create and destroy took, or 0 with the failure reported.
 */
static uint64_t churn_cycle(unsigned int i)
{
	uint64_t list[CHURN_PAGES], t0, t1, t2, t3;
	struct hv_domctl_info info;
	uint32_t remote, local = 0;
	domid_t dom = 0;
	uint8_t *page = NULL;
	const char *step;
	long rc;

	t0 = rdtsc();
	rc = dom_create(&dom, CHURN_PAGES * 2, 1);
	t1 = rdtsc();
	if (rc) {
		result(false, "churn.cycle", "%u: create: %s", i, rc_str(rc));
		return 0;
	}
	for (unsigned int k = 0; k < CHURN_PAGES; k++)
		list[k] = k;
	step = "populate";
	rc = dom_populate(dom, list, CHURN_PAGES);
	if (rc == CHURN_PAGES) {
		step = "evtchn_alloc";
		rc = dom_evtchn_alloc(dom, 0, &remote);
	}
	if (!rc) {
		step = "bind_interdomain";
		rc = evtchn_bind_interdomain(dom, remote, &local);
	}
	if (!rc) {
		step = "foreign map";
		page = foreign_map(dom, list[i % CHURN_PAGES], &rc);
	}
	if (rc) {
		result(false, "churn.cycle", "%u: %s: %s", i, step, rc_str(rc));
		dom_op(dom, HV_DOMCTL_destroy);
		return 0;
	}
	page[i % PAGE_SIZE] = (uint8_t)i;
	t2 = rdtsc();
	rc = dom_op(dom, HV_DOMCTL_destroy);
	t3 = rdtsc();
	step = "destroy";
	if (!rc) {
		/* Our mapping holds one frame: the domain lingers, dying. */
		step = "getinfo while mapped";
		rc = dom_getinfo(dom, &info);
		if (!rc && (info.state != HV_DOMSTATE_dying || info.tot_pages != 1))
			rc = -XEN_EEXIST;
	}
	if (!rc) {
		step = "unmap";
		rc = foreign_unmap(page);
		page = NULL;
	}
	if (!rc) {
		/* Gone once its last frame went: the very next domctl misses it. */
		step = "getinfo after unmap";
		rc = dom_getinfo(dom, &info);
		rc = rc == -XEN_ESRCH ? 0 : rc ? rc : -XEN_EEXIST;
	}
	if (!rc) {
		step = "close";
		rc = evtchn_close(local);
	}
	if (page)
		foreign_unmap(page);
	if (rc) {
		result(false, "churn.cycle", "%u: domain %u: %s: %s", i, dom, step, rc_str(rc));
		return 0;
	}
	return (t1 - t0) + (t3 - t2);
}

/* A real domain now and then: a short peer session, or one destroyed while it runs. */
static bool churn_build(const void *elf, size_t size, unsigned int n)
{
	struct hv_domctl_info info;
	struct build_args a = { .elf = elf, .elf_size = size, .cmdline = "idle mode=idle",
				.nr_pages = 1024, .start = true };
	uint64_t deadline;
	long rc;
	int brc;

	if (n % 2 == 0)
		return peer_session(elf, size, 40, "churn_build", false, n % 4 == 0);
	rc = dom_create(&a.dom, a.nr_pages, 1);
	if (rc) {
		result(false, "churn.build", "create: %s", rc_str(rc));
		return false;
	}
	brc = build_domain(&builder, &a);
	if (brc) {
		result(false, "churn.build", "domain %u: %s", a.dom, builder.err);
		dom_op(a.dom, HV_DOMCTL_destroy);
		return false;
	}
	/* Let it boot and block. */
	deadline = now_ns() + SESSION_TIMEOUT;
	for (;;) {
		rc = dom_getinfo(a.dom, &info);
		if (rc || info.state != HV_DOMSTATE_running || now_ns() > deadline)
			break;
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	if (rc || info.state != HV_DOMSTATE_blocked) {
		result(false, "churn.build", "idle domain %u: getinfo %s, state %u (expected blocked)",
		       a.dom, rc_str(rc), rc ? 0 : info.state);
		dom_op(a.dom, HV_DOMCTL_destroy);
		return false;
	}
	/* A vCPU that is up and not paused takes no new context. */
	rc = build_set_context(a.dom, &builder.ctxt);
	if (rc != -XEN_EBUSY) {
		result(false, "churn.build", "idle domain %u: new context for its running vCPU: %s "
		       "(expected -EBUSY)", a.dom, rc_str(rc));
		dom_op(a.dom, HV_DOMCTL_destroy);
		return false;
	}
	/* Then destroy it under its feet, or shut it down first as a toolstack would. */
	if (n % 4 == 3) {
		struct hv_domctl op = { .cmd = HV_DOMCTL_shutdown, .domain = a.dom };

		op.u.shutdown.reason = SHUTDOWN_poweroff;
		rc = domctl(&op);
		if (!rc)
			rc = dom_getinfo(a.dom, &info);
		if (rc || info.state != HV_DOMSTATE_shutdown) {
			result(false, "churn.build", "shutting down idle domain %u: %s, state %u", a.dom,
			       rc_str(rc), rc ? 0 : info.state);
			dom_op(a.dom, HV_DOMCTL_destroy);
			return false;
		}
	}
	rc = dom_op(a.dom, HV_DOMCTL_destroy);
	if (!rc)
		rc = dom_getinfo(a.dom, &info) == -XEN_ESRCH ? 0 : -XEN_EEXIST;
	if (rc)
		result(false, "churn.build", "destroying idle domain %u: %s", a.dom, rc_str(rc));
	return !rc;
}

void churn_run(void)
{
	unsigned int count = (unsigned int)cmdline_num("count", 1000);
	unsigned int every = (unsigned int)cmdline_num("every", 50);
	struct sys_info base, now;
	unsigned int done = 0, builds = 0, built = 0;
	uint64_t t0, khz, median;
	const void *elf = NULL;
	size_t size = 0;

	if (!is_initial_domain() || !shared_info) {
		result(false, "churn.setup", "needs to be dom0 with shared_info mapped");
		goto out;
	}
	/* hv's control interface only: churn also uses hv's shutdown domctl. */
	if (ctl_select() != &hv_ctl_backend) {
		result(false, "churn.setup", "churn runs on hv only");
		goto out;
	}
	if (count > CHURN_MAX)
		count = CHURN_MAX;
	dom_exc_port();
	if (every && !have_kernel(&elf, &size))
		every = 0;
	for (unsigned int i = 0; i < sizeof(peer_initrd); i++)
		peer_initrd[i] = (uint8_t)(i * 11 + (i >> 7));
	/* Warm-up: one of each kind. */
	churn_cycle(0);
	if (every) {
		churn_build(elf, size, 0);
		churn_build(elf, size, 1);
	}
	if (ctl->sys_info(&base)) {
		result(false, "churn.physinfo", "sysctl physinfo failed");
		goto out;
	}
	printf("churn: %u create/destroy cycles, a real domain every %u; hv has %lu free pages, "
	       "%lu heap bytes, %u timers\n", count, every, base.free_pages, base.heap_bytes,
	       base.active_timers);
	t0 = now_ns();
	for (unsigned int i = 0; i < count; i++) {
		uint64_t c = churn_cycle(i);

		if (!c)
			break;
		churn_samples[done++] = c;
		if (every && i % every == every / 2) {
			builds++;
			if (!churn_build(elf, size, builds))
				break;
			built++;
		}
		if ((i + 1) % 250 == 0)
			printf("churn: %u cycles, %u domains built (%lu ms)\n", i + 1, built,
			       (now_ns() - t0) / MS);
	}
	result(done == count, "churn.cycles", "%u of %u domains created, populated, bound, mapped, "
	       "destroyed while mapped and reaped; %u of %u built and run", done, count, built, builds);
	if (ctl->sys_info(&now))
		result(false, "churn.physinfo", "sysctl physinfo failed");
	else
		same_resources("churn.no_leak", &base, &now);
	if (done) {
		khz = now.cpu_khz ? now.cpu_khz : 1;
		sort_u64(churn_samples, done);
		median = churn_samples[done / 2];
		printf("churn: median create+destroy %lu cycles (%lu us), min %lu, max %lu; "
		       "whole run %lu ms\n", median, median * 1000 / khz, churn_samples[0],
		       churn_samples[done - 1], (now_ns() - t0) / MS);
		printf("bench domain_create_destroy_cycles median=%lu min=%lu max=%lu batches=1 iters=%u\n",
		       median, churn_samples[0], churn_samples[done - 1], done);
		printf("bench domain_create_destroy_us median=%lu\n", median * 1000 / khz);
	}
out:
	printf("churn: %u passed, %u failed\n", passes, failures);
}

/* ---- watch --------------------------------------------------------------------- */

static const char *const state_names[] = {
	"running", "paused", "shutdown", "crashed", "dying", "blocked",
};

static const char *const reason_names[] = {
	"poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

void watch_run(void)
{
	static struct hv_domctl_info list[16];
	uint64_t deadline = now_ns() + cmdline_num("ms", 60000) * MS;
	uint32_t tick = tick_port();
	unsigned int stopped = 0;

	printf("guest-pv: watch: waiting for the other domains to stop\n");
	for (;;) {
		struct hv_sysctl op = { .cmd = HV_SYSCTL_domain_list };
		unsigned int alive = 0;

		op.u.list.first_domain = 1;
		op.u.list.max = ARRAY_SIZE(list);
		op.u.list.buffer = (uint64_t)list;
		if (sysctl(&op)) {
			result(false, "watch", "sysctl domain_list failed");
			break;
		}
		for (unsigned int i = 0; i < op.u.list.count; i++) {
			const struct hv_domctl_info *d = &list[i];

			if (d->state != HV_DOMSTATE_shutdown && d->state != HV_DOMSTATE_crashed) {
				alive++;
				continue;
			}
			printf("guest-pv: watch: domain %u %s (%s)\n", d->domain,
			       d->state < ARRAY_SIZE(state_names) ? state_names[d->state] : "?",
			       d->shutdown_reason < ARRAY_SIZE(reason_names) ?
			       reason_names[d->shutdown_reason] : "?");
			dom_op(d->domain, HV_DOMCTL_destroy);
			stopped++;
		}
		if (!alive && stopped)
			break;
		if (!wait_port_until(tick, deadline)) {
			result(false, "watch", "%u domains still running after the deadline", alive);
			break;
		}
	}
	printf("guest-pv: watch: %u domains stopped\n", stopped);
}
