/*
 * guest-pv as dom0's toolstack (guest/control.h): what is the same on hv
 * and on Xen — the backend chosen by target=, populating and mapping
 * another domain's frames, event channels, waiting, time — and the shared
 * PV domain builder wired to them.
 *
 * A foreign frame is reached through a window: a page of our own image
 * whose L1 entry we repoint at the other domain's frame with mmu_update
 * (foreigndom = that domain), then invalidate with mmuext_op; putting our
 * own frame back with update_va_mapping undoes both. Our page tables sit
 * in the initial region, found through the M2P, as the builder made them.
 */
#include <guest/arch.h>
#include <guest/control.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/memory.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define PTE_P       0x001UL
#define PTE_RW      0x002UL
#define PTE_US      0x004UL
#define PTE_A       0x020UL
#define PTE_D       0x040UL
#define PTE_ADDR    0x000ffffffffff000UL
#define PTE_PAGE_RW (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)

const struct ctl_backend *ctl = &hv_ctl_backend;

const struct ctl_backend *ctl_select(void)
{
	const char *t = target_hypervisor();

	ctl = t && !strcmp(t, "xen") ? &xen_ctl_backend : &hv_ctl_backend;
	return ctl;
}

long dom_populate(domid_t dom, uint64_t *list, uint64_t n)
{
	struct xen_memory_reservation r = {
		.extent_start = (uint64_t)list, .nr_extents = n, .domid = dom,
	};

	return HYPERVISOR_memory_op(XENMEM_populate_physmap, &r);
}

/* ---- event channels and time ----------------------------------------- */

long evtchn_bind_interdomain(domid_t remote, uint32_t remote_port, uint32_t *local)
{
	struct evtchn_bind_interdomain bi = { .remote_dom = remote, .remote_port = remote_port };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi);

	if (!rc)
		*local = bi.local_port;
	return rc;
}

long evtchn_close(uint32_t port)
{
	struct evtchn_close c = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_close, &c);
}

long evtchn_notify(uint32_t port)
{
	struct evtchn_send s = { .port = port };

	return HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
}

uint64_t now_ns(void)
{
	const volatile struct vcpu_time_info *t;
	uint64_t ns, delta;
	uint32_t version;

	if (!vcpu0)
		return 0;
	t = &vcpu0->time;
	do {
		version = t->version;
		__asm__ __volatile__("" ::: "memory");
		delta = rdtsc() - t->tsc_timestamp;
		if (t->tsc_shift < 0)
			delta >>= -t->tsc_shift;
		else
			delta <<= t->tsc_shift;
		ns = t->system_time + (uint64_t)(((unsigned __int128)delta * t->tsc_to_system_mul) >> 32);
		__asm__ __volatile__("" ::: "memory");
	} while ((version & 1) || version != t->version);
	return ns;
}

uint32_t tick_port(void)
{
	static uint32_t port;
	struct evtchn_bind_virq bv = { .virq = VIRQ_TIMER, .vcpu = 0 };

	if (!port && !HYPERVISOR_event_channel_op(EVTCHNOP_bind_virq, &bv))
		port = bv.port;
	return port;
}

bool take_port(uint32_t port)
{
	if (!evtchn_test_pending(port))
		return false;
	evtchn_clear_pending(port);
	return true;
}

void (*wait_hook)(void);

#define TICK_NS 10000000UL      /* a blocked waiter with a deadline wakes this often */

/*
 * As the 2-level protocol asks, the upcall flag and the selector are
 * cleared before the ports are looked at: the hypervisor raises the
 * upcall (and wakes a blocked vCPU) only when it sets a selector bit that
 * was clear. Events are masked while we look, so one that comes after
 * the look leaves upcall_pending set and SCHEDOP_block returns at once;
 * block unmasks, and the upcall it lets through lands in the
 * acknowledging callback. We return with events masked again.
 */
bool wait_port_until(uint32_t port, uint64_t deadline_ns)
{
	static bool callbacks;
	uint32_t tick = tick_port();
	bool armed = false, came = false;
	uint64_t now;

	if (!callbacks) {
		events_ack_only();
		callbacks = true;
	}
	for (;;) {
		vcpu0->evtchn_upcall_mask = 1;
		__asm__ __volatile__("" ::: "memory");
		vcpu0->evtchn_upcall_pending = 0;
		__atomic_exchange_n(&vcpu0->evtchn_pending_sel, 0, __ATOMIC_SEQ_CST);
		if (wait_hook)
			wait_hook();
		if (take_port(port)) {
			came = true;
			break;
		}
		if (tick)
			take_port(tick);
		now = now_ns();
		if (now >= deadline_ns)
			break;
		/*
		 * Xen stops a vCPU's periodic timer while it is descheduled:
		 * a deadline needs a timer of its own to end a block.
		 */
		if (deadline_ns != UINT64_MAX) {
			struct vcpu_set_singleshot_timer t = {
				.timeout_abs_ns = deadline_ns - now < TICK_NS ? deadline_ns : now + TICK_NS,
			};

			armed = !HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &t);
		}
		HYPERVISOR_sched_op(SCHEDOP_block, NULL);
	}
	/* No timer left behind (hv counts them in its leak checks). */
	if (armed)
		HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL);
	return came;
}

/* ---- foreign mappings ------------------------------------------------- */

static uint8_t windows[FOREIGN_WINDOWS][PAGE_SIZE] __aligned(PAGE_SIZE);
static bool window_used[FOREIGN_WINDOWS];

static uint64_t read_cr3(void)
{
	uint64_t cr3;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

/* Machine address of the L1 entry mapping va (our tables are in the initial region). */
static uint64_t l1e_maddr(const void *va)
{
	const volatile uint64_t *m2p = (const volatile uint64_t *)MACH2PHYS_VIRT_START;
	uint64_t v = (uint64_t)va, mfn = read_cr3() >> PAGE_SHIFT;

	for (int level = 4; level > 1; level--) {
		const uint64_t *t = (const uint64_t *)(VIRT_BASE + (m2p[mfn] << PAGE_SHIFT));
		uint64_t e = t[(v >> (PAGE_SHIFT + 9 * (level - 1))) & 511];

		if (!(e & PTE_P))
			return 0;
		mfn = (e & PTE_ADDR) >> PAGE_SHIFT;
	}
	return (mfn << PAGE_SHIFT) + ((v >> PAGE_SHIFT) & 511) * 8;
}

uint64_t own_mfn(const void *va)
{
	return p2m[((uint64_t)va - VIRT_BASE) >> PAGE_SHIFT];
}

long remap_own_page(void *va)
{
	return HYPERVISOR_update_va_mapping((unsigned long)va,
					    (own_mfn(va) << PAGE_SHIFT) | PTE_PAGE_RW, UVMF_INVLPG);
}

void *foreign_map(domid_t dom, uint64_t mfn, long *rc)
{
	struct mmu_update u;
	struct mmuext_op inv = { .cmd = MMUEXT_INVLPG_LOCAL };
	unsigned int w;

	for (w = 0; w < FOREIGN_WINDOWS && window_used[w]; w++)
		;
	if (w == FOREIGN_WINDOWS) {
		*rc = -XEN_EBUSY;
		return NULL;
	}
	u.ptr = l1e_maddr(windows[w]);
	if (!u.ptr) {
		*rc = -XEN_EFAULT;
		return NULL;
	}
	u.ptr |= MMU_NORMAL_PT_UPDATE;
	u.val = (mfn << PAGE_SHIFT) | PTE_PAGE_RW;
	*rc = HYPERVISOR_mmu_update(&u, 1, NULL, dom);
	if (*rc)
		return NULL;
	inv.arg1.linear_addr = (uint64_t)windows[w];
	*rc = HYPERVISOR_mmuext_op(&inv, 1, NULL, DOMID_SELF);
	if (*rc) {
		remap_own_page(windows[w]);
		return NULL;
	}
	window_used[w] = true;
	return windows[w];
}

long foreign_unmap(void *va)
{
	for (unsigned int w = 0; w < FOREIGN_WINDOWS; w++) {
		if (va != windows[w] || !window_used[w])
			continue;
		window_used[w] = false;
		return remap_own_page(va);
	}
	return -XEN_EINVAL;
}

/* ---- the builder over hypercalls -------------------------------------- */

static uint64_t build_p2m[BUILD_MAX_PAGES];

uint64_t built_mfn(uint64_t pfn)
{
	return pfn < BUILD_MAX_PAGES ? build_p2m[pfn] : 0;
}

struct build_ctx {
	domid_t dom;
};

static int b_populate(void *ctx, uint64_t *list, uint64_t n)
{
	const struct build_ctx *c = ctx;
	long done = dom_populate(c->dom, list, n);

	if (done < 0)
		return (int)done;
	return (uint64_t)done == n ? 0 : -XEN_ENOMEM;
}

static void *b_map(void *ctx, uint64_t mfn)
{
	const struct build_ctx *c = ctx;
	long rc;

	return foreign_map(c->dom, mfn, &rc);
}

static void b_unmap(void *ctx, void *page)
{
	foreign_unmap(page);
}

static int b_set_m2p(void *ctx, const uint64_t *mfns, uint64_t first_pfn, uint64_t n)
{
	const struct build_ctx *c = ctx;
	struct mmu_update u[64];

	for (uint64_t i = 0; i < n; ) {
		unsigned int k = 0;
		long rc;

		for (; k < ARRAY_SIZE(u) && i < n; k++, i++) {
			u[k].ptr = (mfns[i] << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
			u[k].val = first_pfn + i;
		}
		rc = HYPERVISOR_mmu_update(u, k, NULL, c->dom);
		if (rc)
			return (int)rc;
	}
	return 0;
}

static int b_pin_l4(void *ctx, uint64_t mfn)
{
	const struct build_ctx *c = ctx;
	struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = mfn };

	return (int)HYPERVISOR_mmuext_op(&op, 1, NULL, c->dom);
}

static int b_set_vcpu_context(void *ctx, unsigned int vcpu, const struct vcpu_guest_context *vc)
{
	const struct build_ctx *c = ctx;

	return (int)ctl->set_vcpu_context(c->dom, vcpu, vc);
}

static int b_hypercall_page(void *ctx, uint64_t mfn)
{
	const struct build_ctx *c = ctx;

	return (int)ctl->hypercall_init(c->dom, mfn);
}

static int b_start(void *ctx)
{
	const struct build_ctx *c = ctx;
	long rc = ctl->vcpu_up ? ctl->vcpu_up(c->dom, 0) : 0;

	if (!rc)
		rc = ctl->unpause(c->dom);
	return (int)rc;
}

int build_domain(struct pvb_build *b, const struct build_args *a)
{
	struct build_ctx c = { .dom = a->dom };
	struct pvb_ops ops = {
		.populate = b_populate, .map = b_map, .unmap = b_unmap, .set_m2p = b_set_m2p,
		.pin_l4 = b_pin_l4, .set_vcpu_context = b_set_vcpu_context,
		.start = a->start ? b_start : NULL,
		.hypercall_page = ctl->hypercall_init ? b_hypercall_page : NULL,
	};
	struct pvb_params p = {
		.kernel = a->elf, .kernel_size = a->elf_size,
		.initrd = a->initrd, .initrd_size = a->initrd_size,
		.cmdline = a->cmdline, .nr_pages = a->nr_pages, .p2m = build_p2m,
		.console_evtchn = a->console_evtchn,
	};
	struct dom_info info;
	long rc;

	if (a->nr_pages > BUILD_MAX_PAGES) {
		snprintf(b->err, sizeof(b->err), "memory: %lu pages, guest-pv builds at most %u",
			 a->nr_pages, BUILD_MAX_PAGES);
		return -XEN_E2BIG;
	}
	rc = ctl->getinfo(a->dom, &info);
	if (rc) {
		snprintf(b->err, sizeof(b->err), "domain %u: getinfo: %s", a->dom, rc_str(rc));
		return (int)rc;
	}
	p.shared_info_mfn = info.shared_info_frame;
	return pvb_build(b, &p, &ops, &c);
}
