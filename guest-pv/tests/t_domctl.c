/*
 * hv's control interface (public/hvctl.h): domctl (#36) and sysctl (#35).
 * hv-only: on Xen these numbers carry Xen's own, different structures.
 *
 * Every command with valid and invalid input: a wrong interface version
 * is -EACCES, an unknown command -ENOSYS, an unknown domain -ESRCH, a
 * vCPU the domain lacks -ENOENT, bad sizes, weights and caps -EINVAL, a
 * bad pointer -EFAULT; what makes no sense on dom0 itself is refused;
 * destroyed domains are gone (or dying while dom0 still maps a frame).
 * A domU gets -EPERM for everything (domctl.domu_refused). Each test
 * destroys what it created.
 */
#include <guest/arch.h>
#include <guest/control.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/hvctl.h>
#include <public/memory.h>
#include <public/sched.h>
#include "frames.h"

#define HV_ONLY() ONLY_ON("hv", "domctl/sysctl are hv's own structures")
#define DOM0_ONLY() do {                                                        \
	HV_ONLY();                                                              \
	if (!is_initial_domain())                                               \
		SKIP("the control interface is dom0's");                        \
} while (0)

/* Commands that name no argument structure hv could trip on. */
static const uint32_t all_domctls[] = {
	HV_DOMCTL_create, HV_DOMCTL_destroy, HV_DOMCTL_pause, HV_DOMCTL_unpause,
	HV_DOMCTL_shutdown, HV_DOMCTL_getinfo, HV_DOMCTL_max_mem, HV_DOMCTL_sched_get,
	HV_DOMCTL_sched_set, HV_DOMCTL_set_vcpu_context, HV_DOMCTL_vcpu_up,
	HV_DOMCTL_ioport_permission, HV_DOMCTL_iomem_permission, HV_DOMCTL_irq_permission,
	HV_DOMCTL_evtchn_alloc, HV_DOMCTL_set_memory_map,
};

static struct vcpu_guest_context ctxt;
static uint8_t ctxt_ro[PAGE_SIZE] __aligned(PAGE_SIZE);

/* A new empty paused domain; 0 (and a failed check) if it cannot be made. */
static domid_t new_domain(uint64_t max_pages, uint32_t vcpus)
{
	domid_t dom = 0;

	CHECK_RC("create", 0, dom_create(&dom, max_pages, vcpus));
	return dom;
}

static void destroy(domid_t dom)
{
	if (dom)
		CHECK_RC("destroy", 0, dom_op(dom, HV_DOMCTL_destroy));
}

static long op_on(domid_t dom, uint32_t cmd, const void *u, size_t len)
{
	struct hv_domctl op = { .cmd = cmd, .domain = dom };

	if (u)
		memcpy(&op.u, u, len);
	return domctl(&op);
}

static long range_op(domid_t dom, uint32_t cmd, uint64_t first, uint64_t count, uint32_t allow)
{
	struct hv_domctl_range r = { .first = first, .count = count, .allow = allow };

	return op_on(dom, cmd, &r, sizeof(r));
}

static long sched_set(domid_t dom, uint32_t weight, uint32_t cap)
{
	struct hv_domctl_sched s = { .weight = weight, .cap = cap };

	return op_on(dom, HV_DOMCTL_sched_set, &s, sizeof(s));
}

static long set_context(domid_t dom, uint32_t vcpu, const void *c)
{
	struct hv_domctl_vcpu_context vc = { .vcpu = vcpu, .ctxt = (uint64_t)c };

	return op_on(dom, HV_DOMCTL_set_vcpu_context, &vc, sizeof(vc));
}

static long vcpu_up(domid_t dom, uint32_t vcpu)
{
	struct hv_domctl_vcpu v = { .vcpu = vcpu };

	return op_on(dom, HV_DOMCTL_vcpu_up, &v, sizeof(v));
}

static long list_domains(domid_t first, uint32_t max, void *buf, uint32_t *count)
{
	struct hv_sysctl op = { .cmd = HV_SYSCTL_domain_list };
	long rc;

	op.u.list.first_domain = first;
	op.u.list.max = max;
	op.u.list.buffer = (uint64_t)buf;
	rc = sysctl(&op);
	*count = op.u.list.count;
	return rc;
}

static unsigned int state_of(domid_t dom)
{
	struct hv_domctl_info info;

	if (dom_getinfo(dom, &info))
		return 0xffff;
	return info.state;
}

/*
 * Everything a destroyed domain held is back: domains, free frames, hv's
 * heap, timers, ports and grant maps as they were in `before`.
 */
static void machine_back(const struct hv_sysctl_physinfo *before)
{
	struct hv_sysctl_physinfo after;

	CHECK_RC("physinfo", 0, physinfo(&after));
	CHECK_EQ("domains back", before->nr_domains, after.nr_domains);
	CHECK_EQ("free pages back", before->free_pages, after.free_pages);
	CHECK_EQ("heap back", before->heap_bytes, after.heap_bytes);
	CHECK_EQ("timers back", before->active_timers, after.active_timers);
	CHECK_EQ("ports back", before->evtchn_open, after.evtchn_open);
	CHECK_EQ("grant maps back", before->grant_mappings, after.grant_mappings);
}

TEST(domctl, version)
{
	struct hv_domctl d = { .cmd = HV_DOMCTL_getinfo, .domain = DOMID_SELF };
	struct hv_sysctl s = { .cmd = HV_SYSCTL_physinfo };

	DOM0_ONLY();
	d.interface_version = 0;
	CHECK_RC("domctl, version 0", -XEN_EACCES, HYPERVISOR_domctl(&d));
	d.interface_version = HVCTL_INTERFACE_VERSION + 1;
	CHECK_RC("domctl, next version", -XEN_EACCES, HYPERVISOR_domctl(&d));
	d.interface_version = HVCTL_INTERFACE_VERSION;
	CHECK_RC("domctl, this version", 0, HYPERVISOR_domctl(&d));
	s.interface_version = 0x00000001;
	CHECK_RC("sysctl, version 1", -XEN_EACCES, HYPERVISOR_sysctl(&s));
	s.interface_version = HVCTL_INTERFACE_VERSION;
	CHECK_RC("sysctl, this version", 0, HYPERVISOR_sysctl(&s));
	/* The version is checked before the command and the domain. */
	d.cmd = 999;
	d.domain = 0x7777;
	d.interface_version = 7;
	CHECK_RC("unknown cmd and domain, bad version", -XEN_EACCES, HYPERVISOR_domctl(&d));
}

TEST(domctl, bad_pointers)
{
	DOM0_ONLY();
	CHECK_RC("domctl(NULL-ish)", -XEN_EFAULT, HYPERVISOR_domctl(BAD_PTR_UNMAPPED));
	CHECK_RC("domctl(hv's range)", -XEN_EFAULT, HYPERVISOR_domctl(BAD_PTR_HV));
	CHECK_RC("domctl(non-canonical)", -XEN_EFAULT, HYPERVISOR_domctl(BAD_PTR_NONCANON));
	CHECK_RC("sysctl(NULL-ish)", -XEN_EFAULT, HYPERVISOR_sysctl(BAD_PTR_UNMAPPED));
	CHECK_RC("sysctl(hv's range)", -XEN_EFAULT, HYPERVISOR_sysctl(BAD_PTR_HV));
}

TEST(domctl, unknown_commands)
{
	struct hv_sysctl s = { .cmd = 0 };
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(16, 1);
	if (!dom)
		return;
	CHECK_RC("domctl 0 on a domU", -XEN_ENOSYS, op_on(dom, 0, NULL, 0));
	CHECK_RC("domctl 999 on a domU", -XEN_ENOSYS, op_on(dom, 999, NULL, 0));
	/* No such domain: that is found first. */
	CHECK_RC("domctl 999 on no domain", -XEN_ESRCH, op_on(200, 999, NULL, 0));
	CHECK_RC("sysctl 0", -XEN_ENOSYS, sysctl(&s));
	s.cmd = 0x12345;
	CHECK_RC("sysctl 0x12345", -XEN_ENOSYS, sysctl(&s));
	destroy(dom);
}

TEST(domctl, getinfo_dom0)
{
	struct hv_domctl_info self, zero;

	DOM0_ONLY();
	CHECK_RC("getinfo(DOMID_SELF)", 0, dom_getinfo(DOMID_SELF, &self));
	CHECK_RC("getinfo(0)", 0, dom_getinfo(0, &zero));
	CHECK_EQ("DOMID_SELF is domain 0", 0, self.domain);
	CHECK(!memcmp(&self, &zero, offsetof(struct hv_domctl_info, cpu_time_ns)),
	      "getinfo(DOMID_SELF) and getinfo(0) differ");
	CHECK_EQ("privileged", 1, self.flags & 1);
	CHECK_EQ("state running", HV_DOMSTATE_running, self.state);
	CHECK_EQ("one vCPU", 1, self.nr_vcpus);
	CHECK(self.tot_pages >= start_info->nr_pages, "tot_pages %lu < nr_pages %lu", self.tot_pages,
	      start_info->nr_pages);
	CHECK(self.max_pages >= self.tot_pages, "max_pages %lu < tot_pages %lu", self.max_pages,
	      self.tot_pages);
	CHECK_EQ("shared_info frame", start_info->shared_info >> PAGE_SHIFT, self.shared_info_frame);
	CHECK(self.cpu_time_ns > 0, "no CPU time used");
	CHECK(self.weight >= 1 && self.weight <= 65535, "weight %u", self.weight);
}

TEST(domctl, unknown_domains)
{
	static const domid_t ids[] = { 200, 255, 256, 1000, DOMID_IO, DOMID_XEN, DOMID_INVALID, 0x7fff, 0xffff };
	struct hv_domctl_info info;

	DOM0_ONLY();
	for (unsigned int i = 0; i < ARRAY_SIZE(ids); i++) {
		char what[48];

		snprintf(what, sizeof(what), "getinfo(%#x)", ids[i]);
		CHECK_RC(what, -XEN_ESRCH, dom_getinfo(ids[i], &info));
		snprintf(what, sizeof(what), "destroy(%#x)", ids[i]);
		CHECK_RC(what, -XEN_ESRCH, dom_op(ids[i], HV_DOMCTL_destroy));
		snprintf(what, sizeof(what), "unpause(%#x)", ids[i]);
		CHECK_RC(what, -XEN_ESRCH, dom_op(ids[i], HV_DOMCTL_unpause));
	}
}

TEST(domctl, create_refusals)
{
	struct hv_domctl op;
	struct hv_sysctl_physinfo pi;
	domid_t dom;

	DOM0_ONLY();
#define CREATE(what, rc, field, value) do {                                     \
	memset(&op, 0, sizeof(op));                                             \
	op.cmd = HV_DOMCTL_create;                                              \
	op.u.create.max_vcpus = 1;                                              \
	op.u.create.max_pages = 16;                                             \
	field = value;                                                          \
	CHECK_RC(what, rc, domctl(&op));                                        \
	if (op.domain && !rc)                                                   \
		dom_op(op.domain, HV_DOMCTL_destroy);                           \
} while (0)
	CREATE("0 vCPUs", -XEN_EINVAL, op.u.create.max_vcpus, 0);
	CREATE("33 vCPUs", -XEN_EINVAL, op.u.create.max_vcpus, 33);
	CREATE("~0 vCPUs", -XEN_EINVAL, op.u.create.max_vcpus, ~0u);
	CREATE("HV_CREATE_PRIVILEGED", -XEN_EINVAL, op.u.create.flags, HV_CREATE_PRIVILEGED);
	CREATE("unknown flag", -XEN_EINVAL, op.u.create.flags, 1u << 7);
	CREATE("4097 event channels", -XEN_EINVAL, op.u.create.max_evtchns, 4097);
	CREATE("2^20 grant frames", -XEN_EINVAL, op.u.create.max_grant_frames, 1u << 20);
	CREATE("max_pages beyond the machine", -XEN_EINVAL, op.u.create.max_pages, 1UL << 40);
	CREATE("wanted id DOMID_SELF", -XEN_EINVAL, op.domain, DOMID_SELF);
	CREATE("wanted id 0x7fff", -XEN_EINVAL, op.domain, 0x7fff);
	if (!physinfo(&pi))
		CREATE("max_pages = all RAM", 0, op.u.create.max_pages, pi.total_pages);
	/* A wanted id: given, then taken. */
	memset(&op, 0, sizeof(op));
	op.cmd = HV_DOMCTL_create;
	op.domain = 77;
	op.u.create.max_vcpus = 32;
	CHECK_RC("create as 77", 0, domctl(&op));
	CHECK_EQ("id", 77, op.domain);
	dom = op.domain;
	op.domain = 77;
	CHECK_RC("create 77 again", -XEN_EEXIST, domctl(&op));
	destroy(dom);
#undef CREATE
}

TEST(domctl, create_getinfo_destroy)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_create };
	struct hv_sysctl_physinfo before, during;
	struct hv_domctl_info info;
	static const uint8_t handle[16] = "guest-pv-domctl";
	domid_t dom;

	DOM0_ONLY();
	/* Warm up whatever hv allocates on its first domain. */
	destroy(new_domain(16, 2));
	CHECK_RC("physinfo", 0, physinfo(&before));
	op.u.create.max_vcpus = 2;
	op.u.create.max_pages = 64;
	memcpy(op.u.create.handle, handle, sizeof(handle));
	CHECK_RC("create", 0, domctl(&op));
	dom = op.domain;
	if (!dom)
		return;
	CHECK(dom > 0 && dom < DOMID_FIRST_RESERVED, "new domain id %u", dom);
	CHECK_RC("getinfo", 0, dom_getinfo(dom, &info));
	CHECK_EQ("domain", dom, info.domain);
	CHECK_EQ("created paused", HV_DOMSTATE_paused, info.state);
	CHECK_EQ("no pages yet", 0, info.tot_pages);
	CHECK_EQ("max_pages", 64, info.max_pages);
	CHECK_EQ("nr_vcpus", 2, info.nr_vcpus);
	CHECK_EQ("not privileged", 0, info.flags);
	CHECK(info.shared_info_frame != 0, "no shared_info frame");
	CHECK_EQ("no CPU time", 0, info.cpu_time_ns);
	CHECK_EQ("default weight", 256, info.weight);
	CHECK_EQ("no cap", 0, info.cap);
	CHECK(!memcmp(info.handle, handle, sizeof(handle)), "handle not kept");
	CHECK_RC("physinfo", 0, physinfo(&during));
	CHECK_EQ("one more domain", before.nr_domains + 1, during.nr_domains);
	CHECK(during.heap_bytes > before.heap_bytes, "heap %lu -> %lu for a new domain",
	      before.heap_bytes, during.heap_bytes);
	CHECK_RC("destroy", 0, dom_op(dom, HV_DOMCTL_destroy));
	CHECK_RC("getinfo after destroy", -XEN_ESRCH, dom_getinfo(dom, &info));
	CHECK_RC("destroy again", -XEN_ESRCH, dom_op(dom, HV_DOMCTL_destroy));
	machine_back(&before);
}

TEST(domctl, pause_unpause)
{
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(16, 1);
	if (!dom)
		return;
	CHECK_EQ("created paused", HV_DOMSTATE_paused, state_of(dom));
	CHECK_RC("pause", 0, dom_op(dom, HV_DOMCTL_pause));
	CHECK_RC("unpause", 0, dom_op(dom, HV_DOMCTL_unpause));
	CHECK_EQ("one pause left", HV_DOMSTATE_paused, state_of(dom));
	CHECK_RC("unpause", 0, dom_op(dom, HV_DOMCTL_unpause));
	/* No vCPU is up: nothing can run. */
	CHECK_EQ("unpaused, no vCPU up", HV_DOMSTATE_blocked, state_of(dom));
	CHECK_RC("unpause once more", 0, dom_op(dom, HV_DOMCTL_unpause));
	CHECK_RC("pause", 0, dom_op(dom, HV_DOMCTL_pause));
	CHECK_EQ("paused by one pause (no count below zero)", HV_DOMSTATE_paused, state_of(dom));
	destroy(dom);
}

TEST(domctl, shutdown)
{
	struct hv_domctl_shutdown s = { .reason = SHUTDOWN_MAX + 1 };
	struct hv_domctl_info info;
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(16, 1);
	if (!dom)
		return;
	CHECK_RC("reason SHUTDOWN_MAX + 1", -XEN_EINVAL, op_on(dom, HV_DOMCTL_shutdown, &s, sizeof(s)));
	s.reason = ~0u;
	CHECK_RC("reason ~0", -XEN_EINVAL, op_on(dom, HV_DOMCTL_shutdown, &s, sizeof(s)));
	s.reason = SHUTDOWN_reboot;
	CHECK_RC("reboot", 0, op_on(dom, HV_DOMCTL_shutdown, &s, sizeof(s)));
	CHECK_RC("getinfo", 0, dom_getinfo(dom, &info));
	CHECK_EQ("state", HV_DOMSTATE_shutdown, info.state);
	CHECK_EQ("reason", SHUTDOWN_reboot, info.shutdown_reason);
	/* Once stopped, a second shutdown changes nothing. */
	s.reason = SHUTDOWN_poweroff;
	CHECK_RC("poweroff after reboot", 0, op_on(dom, HV_DOMCTL_shutdown, &s, sizeof(s)));
	CHECK_RC("getinfo", 0, dom_getinfo(dom, &info));
	CHECK_EQ("reason kept", SHUTDOWN_reboot, info.shutdown_reason);
	destroy(dom);
}

TEST(domctl, max_mem)
{
	struct hv_domctl_max_mem m;
	struct hv_domctl_info info;
	uint64_t list[4] = { 0, 1, 2, 3 }, one = 4;
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(4, 1);
	if (!dom)
		return;
	CHECK_RC("populate 4 of 4", 4, dom_populate(dom, list, 4));
	CHECK_RC("populate a 5th", 0, dom_populate(dom, &one, 1));
	m.max_pages = 3;
	CHECK_RC("max_mem below tot_pages", -XEN_EINVAL, op_on(dom, HV_DOMCTL_max_mem, &m, sizeof(m)));
	m.max_pages = 4;
	CHECK_RC("max_mem = tot_pages", 0, op_on(dom, HV_DOMCTL_max_mem, &m, sizeof(m)));
	m.max_pages = 5;
	CHECK_RC("max_mem 5", 0, op_on(dom, HV_DOMCTL_max_mem, &m, sizeof(m)));
	CHECK_RC("populate a 5th now", 1, dom_populate(dom, &one, 1));
	CHECK_RC("getinfo", 0, dom_getinfo(dom, &info));
	CHECK_EQ("tot_pages", 5, info.tot_pages);
	CHECK_EQ("max_pages", 5, info.max_pages);
	destroy(dom);
}

TEST(domctl, sched)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_sched_get };
	uint32_t w0;
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(16, 1);
	if (!dom)
		return;
	op.domain = dom;
	CHECK_RC("sched_get", 0, domctl(&op));
	CHECK_EQ("default weight", 256, op.u.sched.weight);
	CHECK_EQ("default cap", 0, op.u.sched.cap);
	CHECK_RC("weight 0", -XEN_EINVAL, sched_set(dom, 0, 0));
	CHECK_RC("weight 65536", -XEN_EINVAL, sched_set(dom, 65536, 0));
	CHECK_RC("cap 101", -XEN_EINVAL, sched_set(dom, 256, 101));
	CHECK_RC("weight 65535 cap 100", 0, sched_set(dom, 65535, 100));
	CHECK_RC("weight 1 cap 50", 0, sched_set(dom, 1, 50));
	op.u.sched.weight = op.u.sched.cap = 0;
	CHECK_RC("sched_get", 0, domctl(&op));
	CHECK_EQ("weight set", 1, op.u.sched.weight);
	CHECK_EQ("cap set", 50, op.u.sched.cap);
	destroy(dom);
	/* dom0's own parameters may be read and set. */
	op.domain = 0;
	CHECK_RC("sched_get(dom0)", 0, domctl(&op));
	w0 = op.u.sched.weight;
	CHECK_RC("sched_set(dom0) to what it was", 0, sched_set(0, w0, op.u.sched.cap));
	CHECK_RC("sched_set(dom0) weight 0", -XEN_EINVAL, sched_set(0, 0, 0));
}

/* An L4 hv validates: an empty table in the domain's frame, pinned. */
static long pin_empty_l4(domid_t dom, uint64_t *mfn)
{
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L4_TABLE };
	uint64_t pfn = 0;
	long rc = dom_populate(dom, &pfn, 1);

	if (rc != 1)
		return rc < 0 ? rc : -XEN_ENOMEM;
	*mfn = pfn;
	pin.arg1.mfn = pfn;
	return HYPERVISOR_mmuext_op(&pin, 1, NULL, dom);
}

TEST(domctl, vcpu_context)
{
	uint64_t l4 = 0;
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(16, 2);
	if (!dom)
		return;
	memset(&ctxt, 0, sizeof(ctxt));
	ctxt.flags = VGCF_in_kernel;
	ctxt.user_regs.rip = 0xffffffff80000000UL;
	ctxt.user_regs.rsp = 0xffffffff80001000UL;
	CHECK_RC("vcpu_up before any context", -XEN_EINVAL, vcpu_up(dom, 0));
	CHECK_RC("vcpu_up(2) of 2", -XEN_ENOENT, vcpu_up(dom, 2));
	CHECK_RC("context for vCPU 2 of 2", -XEN_ENOENT, set_context(dom, 2, &ctxt));
	CHECK_RC("context for vCPU ~0", -XEN_ENOENT, set_context(dom, ~0u, &ctxt));
	CHECK_RC("context from an unmapped pointer", -XEN_EFAULT, set_context(dom, 0, BAD_PTR_UNMAPPED));
	CHECK_RC("context from hv's range", -XEN_EFAULT, set_context(dom, 0, BAD_PTR_HV));
	CHECK_RC("pin an empty L4 in the domain", 0, pin_empty_l4(dom, &l4));
	/* A page table, even another domain's, is never mapped writable: not by dom0 either. */
	if (l4) {
		long rc = 0;
		void *w = foreign_map(dom, l4, &rc);

		CHECK(!w && rc < 0, "dom0 mapped the domain's pinned L4 writable (%s)", rc_str(rc));
		if (w)
			foreign_unmap(w);
	}
	ctxt.ctrlreg[3] = l4 << PAGE_SHIFT;
	ctxt.flags = 0;
	CHECK_RC("context without VGCF_in_kernel", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.flags = VGCF_in_kernel;
	ctxt.user_regs.rip = 0x0000800000000000UL;
	CHECK_RC("non-canonical rip", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.user_regs.rip = 0xffffffff80000000UL;
	ctxt.gdt_ents = FIRST_RESERVED_GDT_ENTRY + 1;
	CHECK_RC("too many GDT entries", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.gdt_ents = 0;
	/* Every other field is checked too, before anything changes. */
	ctxt.ldt_ents = 1;
	ctxt.ldt_base = 0xffff830000000000UL;		/* hv's direct map */
	CHECK_RC("an LDT in hv's range", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.ldt_base = 0xffffffff80000800UL;
	CHECK_RC("an LDT not page aligned", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.ldt_base = 0xffffffff80000000UL;
	ctxt.ldt_ents = 8193;
	CHECK_RC("an LDT of 8193 entries", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.ldt_ents = 0x100000001UL;
	CHECK_RC("an LDT of 2^32 + 1 entries", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.ldt_ents = 0;
	ctxt.ldt_base = 0;
	ctxt.vm_assist = 1UL << 40;
	CHECK_RC("an unknown vm_assist", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.vm_assist = 0;
	ctxt.event_callback_eip = 0x0000800000000000UL;
	CHECK_RC("a non-canonical event callback", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.event_callback_eip = 0;
	ctxt.trap_ctxt[14].address = 0x8000000000000000UL;
	CHECK_RC("a non-canonical trap handler", -XEN_EINVAL, set_context(dom, 0, &ctxt));
	ctxt.trap_ctxt[14].address = 0;
	ctxt.ctrlreg[3] = l4 << PAGE_SHIFT;
	ctxt.ctrlreg[1] = own_mfn(ctxt_ro) << PAGE_SHIFT;
	CHECK(set_context(dom, 0, &ctxt) < 0, "dom0's own frame accepted as the domain's user L4");
	ctxt.ctrlreg[1] = 0;
	ctxt.gdt_ents = 16;
	ctxt.gdt_frames[0] = own_mfn(ctxt_ro);
	CHECK(set_context(dom, 0, &ctxt) < 0, "dom0's own frame accepted as the domain's GDT");
	ctxt.gdt_ents = 0;
	ctxt.gdt_frames[0] = 0;
	/* CR3 must be one of the domain's frames that can be an L4. */
	ctxt.ctrlreg[3] = own_mfn(ctxt_ro) << PAGE_SHIFT;
	CHECK(set_context(dom, 0, &ctxt) < 0, "dom0's own frame accepted as the domain's CR3");
	ctxt.ctrlreg[3] = 0;
	CHECK(set_context(dom, 0, &ctxt) < 0, "CR3 0 accepted");
	ctxt.ctrlreg[3] = l4 << PAGE_SHIFT;
	CHECK_RC("a good context", 0, set_context(dom, 0, &ctxt));
	CHECK_RC("and again (replaces it)", 0, set_context(dom, 0, &ctxt));
	CHECK_RC("vcpu_up", 0, vcpu_up(dom, 0));
	CHECK_RC("vcpu_up twice", 0, vcpu_up(dom, 0));
	CHECK_EQ("still paused", HV_DOMSTATE_paused, state_of(dom));
	destroy(dom);
}

TEST(domctl, io_permissions)
{
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(16, 1);
	if (!dom)
		return;
	CHECK_RC("ioports: count 0", -XEN_EINVAL, range_op(dom, HV_DOMCTL_ioport_permission, 0x3f8, 0, 1));
	CHECK_RC("ioports: past 0xffff", -XEN_EINVAL, range_op(dom, HV_DOMCTL_ioport_permission, 0xffff, 2, 1));
	CHECK_RC("ioports: wrapping", -XEN_EINVAL, range_op(dom, HV_DOMCTL_ioport_permission, 8, ~0UL, 1));
	CHECK_RC("ioports: allow 2", -XEN_EINVAL, range_op(dom, HV_DOMCTL_ioport_permission, 0x3f8, 8, 2));
	CHECK_RC("ioports: grant 0x3f8+8", 0, range_op(dom, HV_DOMCTL_ioport_permission, 0x3f8, 8, 1));
	CHECK_RC("ioports: grant it again", 0, range_op(dom, HV_DOMCTL_ioport_permission, 0x3f8, 8, 1));
	CHECK_RC("ioports: revoke a middle part", 0, range_op(dom, HV_DOMCTL_ioport_permission, 0x3fa, 2, 0));
	CHECK_RC("ioports: revoke what it lacks", 0, range_op(dom, HV_DOMCTL_ioport_permission, 0x60, 1, 0));
	CHECK_RC("irqs: 255", 0, range_op(dom, HV_DOMCTL_irq_permission, 255, 1, 1));
	CHECK_RC("irqs: 256", -XEN_EINVAL, range_op(dom, HV_DOMCTL_irq_permission, 256, 1, 1));
	CHECK_RC("iomem: 2^40", -XEN_EINVAL, range_op(dom, HV_DOMCTL_iomem_permission, 1UL << 40, 1, 1));
	CHECK_RC("iomem: a page", 0, range_op(dom, HV_DOMCTL_iomem_permission, 0xfeb00, 1, 1));
	destroy(dom);
}

/*
 * A domain holds at most 16 ranges of each kind of I/O resource. A grant
 * that needs a 17th is -ENOSPC and changes nothing; one that overlaps or
 * touches a range it holds merges with it, so it fits however many there
 * are. With the list full, granting what is held already succeeds and
 * anything new that touches no range is refused: `held` reads the list
 * that way.
 */
#define IO_RANGES 16

static bool held(domid_t dom, uint64_t first, uint64_t count)
{
	return !range_op(dom, HV_DOMCTL_ioport_permission, first, count, 1);
}

TEST(domctl, io_permission_ranges_full)
{
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(16, 1);
	if (!dom)
		return;
	/* Ports 0x1000 + 0x100 * i, 16 of them each. */
	for (unsigned int i = 0; i < IO_RANGES; i++)
		CHECK_RC("grant a range", 0,
			 range_op(dom, HV_DOMCTL_ioport_permission, 0x1000 + 0x100 * i, 0x10, 1));
	CHECK_RC("a 17th range", -XEN_ENOSPC, range_op(dom, HV_DOMCTL_ioport_permission, 0x7000, 1, 1));
	for (unsigned int i = 0; i < IO_RANGES; i++)
		CHECK(held(dom, 0x1000 + 0x100 * i, 0x10), "range %u lost", i);

	/* Over the end of a range, or next to one: merged, nothing lost. */
	CHECK_RC("grant over a range's end", 0,
		 range_op(dom, HV_DOMCTL_ioport_permission, 0x1008, 0x10, 1));
	CHECK(held(dom, 0x1008, 8), "ports 0x1008-0x100f, held before, lost");
	CHECK(held(dom, 0x1000, 0x18), "ports 0x1000-0x1017 not all held");
	CHECK_RC("grant next to a range", 0, range_op(dom, HV_DOMCTL_ioport_permission, 0x1110, 8, 1));
	CHECK(held(dom, 0x1100, 0x18), "ports 0x1100-0x1117 not all held");
	/* Two ranges and the gap between them become one: room for another. */
	CHECK_RC("grant across two ranges", 0,
		 range_op(dom, HV_DOMCTL_ioport_permission, 0x1200, 0x110, 1));
	CHECK_RC("then a new range fits", 0, range_op(dom, HV_DOMCTL_ioport_permission, 0x7000, 1, 1));
	CHECK_RC("but not one more", -XEN_ENOSPC, range_op(dom, HV_DOMCTL_ioport_permission, 0x7100, 1, 1));
	CHECK(held(dom, 0x1200, 0x110), "ports 0x1200-0x130f not all held");

	/* A hole in a range needs a range more: refused, the range stays whole. */
	CHECK_RC("revoke inside a range", -XEN_ENOSPC,
		 range_op(dom, HV_DOMCTL_ioport_permission, 0x1404, 4, 0));
	CHECK(held(dom, 0x1400, 0x10), "range 0x1400 cut");
	CHECK_RC("revoke a whole range", 0, range_op(dom, HV_DOMCTL_ioport_permission, 0x1500, 0x10, 0));
	CHECK_RC("now the hole fits", 0, range_op(dom, HV_DOMCTL_ioport_permission, 0x1404, 4, 0));
	CHECK_RC("and the list is full again", -XEN_ENOSPC,
		 range_op(dom, HV_DOMCTL_ioport_permission, 0x1500, 1, 1));
	CHECK(held(dom, 0x1400, 4) && held(dom, 0x1408, 8), "the rest of range 0x1400 lost");
	destroy(dom);
}

TEST(domctl, evtchn_alloc)
{
	struct evtchn_status st;
	struct hv_domctl_evtchn e = { .remote_dom = 999 };
	uint32_t port = 0, port2 = 0, local = 0;
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(16, 1);
	if (!dom)
		return;
	CHECK_RC("for an unknown remote", -XEN_ESRCH, op_on(dom, HV_DOMCTL_evtchn_alloc, &e, sizeof(e)));
	CHECK_RC("for dom0", 0, dom_evtchn_alloc(dom, 0, &port));
	CHECK(port > 0, "port %u", port);
	CHECK_RC("for DOMID_SELF (= dom0)", 0, dom_evtchn_alloc(dom, DOMID_SELF, &port2));
	CHECK(port2 != port && port2 > 0, "second port %u (first %u)", port2, port);
	memset(&st, 0, sizeof(st));
	st.dom = dom;
	st.port = port2;
	CHECK_RC("status", 0, HYPERVISOR_event_channel_op(EVTCHNOP_status, &st));
	CHECK_EQ("unbound", EVTCHNSTAT_unbound, st.status);
	CHECK_EQ("for dom0", 0, st.u.unbound.dom);
	CHECK_RC("dom0 binds it", 0, evtchn_bind_interdomain(dom, port, &local));
	st.port = port;
	CHECK_RC("status", 0, HYPERVISOR_event_channel_op(EVTCHNOP_status, &st));
	CHECK_EQ("interdomain", EVTCHNSTAT_interdomain, st.status);
	destroy(dom);
	/* The domain went: our end waits, unbound, for its domid, until we close it. */
	if (!local)
		return;
	memset(&st, 0, sizeof(st));
	st.dom = DOMID_SELF;
	st.port = local;
	CHECK_RC("status of our end", 0, HYPERVISOR_event_channel_op(EVTCHNOP_status, &st));
	CHECK_EQ("our end unbound", EVTCHNSTAT_unbound, st.status);
	CHECK_EQ("waiting for the dead domain's id", dom, st.u.unbound.dom);
	CHECK_RC("send on it: dropped", 0, evtchn_notify(local));
	CHECK_RC("close our end", 0, evtchn_close(local));
}

TEST(domctl, memory_map)
{
	static struct xen_e820_entry map[9] = {
		{ .addr = 0, .size = 0x100000, .type = XEN_E820_RAM },
		{ .addr = 0x100000, .size = 0x1000, .type = 2 },
	};
	struct hv_domctl_memory_map m = { .nr_entries = 0, .buffer = (uint64_t)map };
	domid_t dom;

	DOM0_ONLY();
	dom = new_domain(16, 1);
	if (!dom)
		return;
	CHECK_RC("0 entries", -XEN_EINVAL, op_on(dom, HV_DOMCTL_set_memory_map, &m, sizeof(m)));
	m.nr_entries = 9;
	CHECK_RC("9 entries", -XEN_EINVAL, op_on(dom, HV_DOMCTL_set_memory_map, &m, sizeof(m)));
	m.nr_entries = 2;
	m.buffer = (uint64_t)BAD_PTR_UNMAPPED;
	CHECK_RC("unmapped buffer", -XEN_EFAULT, op_on(dom, HV_DOMCTL_set_memory_map, &m, sizeof(m)));
	m.buffer = (uint64_t)map;
	CHECK_RC("2 entries", 0, op_on(dom, HV_DOMCTL_set_memory_map, &m, sizeof(m)));
	m.nr_entries = 8;
	CHECK_RC("8 entries", 0, op_on(dom, HV_DOMCTL_set_memory_map, &m, sizeof(m)));
	destroy(dom);
}

/* What is about another domain's life makes no sense on dom0 itself. */
TEST(domctl, refused_on_dom0)
{
	struct hv_domctl_shutdown s = { .reason = SHUTDOWN_poweroff };
	struct hv_domctl_evtchn e = { .remote_dom = 0 };
	static const domid_t self[] = { 0, DOMID_SELF };

	DOM0_ONLY();
	for (unsigned int i = 0; i < ARRAY_SIZE(self); i++) {
		domid_t d = self[i];

		CHECK_RC("destroy dom0", -XEN_EINVAL, dom_op(d, HV_DOMCTL_destroy));
		CHECK_RC("pause dom0", -XEN_EINVAL, dom_op(d, HV_DOMCTL_pause));
		CHECK_RC("unpause dom0", -XEN_EINVAL, dom_op(d, HV_DOMCTL_unpause));
		CHECK_RC("shutdown dom0", -XEN_EINVAL, op_on(d, HV_DOMCTL_shutdown, &s, sizeof(s)));
		CHECK_RC("set dom0's vCPU context", -XEN_EINVAL, set_context(d, 0, &ctxt));
		CHECK_RC("vcpu_up dom0", -XEN_EINVAL, vcpu_up(d, 0));
		CHECK_RC("io ports for dom0", -XEN_EINVAL,
			 range_op(d, HV_DOMCTL_ioport_permission, 0x80, 1, 0));
		CHECK_RC("evtchn_alloc in dom0", -XEN_EINVAL, op_on(d, HV_DOMCTL_evtchn_alloc, &e, sizeof(e)));
	}
	CHECK_EQ("dom0 still running", HV_DOMSTATE_running, state_of(0));
}

/* dom0's own memory ceiling may be set (a Linux dom0 balloons), within the same rules. */
TEST(domctl, max_mem_dom0)
{
	struct hv_domctl_info before, after;
	struct hv_domctl_max_mem m;

	DOM0_ONLY();
	CHECK_RC("getinfo(dom0)", 0, dom_getinfo(0, &before));
	m.max_pages = before.tot_pages - 1;
	CHECK_RC("dom0 max_mem below its pages", -XEN_EINVAL, op_on(0, HV_DOMCTL_max_mem, &m, sizeof(m)));
	m.max_pages = before.max_pages;
	CHECK_RC("dom0 max_mem as it is", 0, op_on(DOMID_SELF, HV_DOMCTL_max_mem, &m, sizeof(m)));
	CHECK_RC("getinfo(dom0)", 0, dom_getinfo(0, &after));
	CHECK_EQ("max_pages unchanged", before.max_pages, after.max_pages);
}

/* A domain dying because dom0 maps its frame *frame at *page. 0 if none could be made. */
static domid_t dying_domain(uint64_t *frame, uint8_t **page)
{
	domid_t dom = new_domain(16, 1);
	long rc;

	if (!dom)
		return 0;
	*frame = 0;
	CHECK_RC("populate 1", 1, dom_populate(dom, frame, 1));
	*page = foreign_map(dom, *frame, &rc);
	CHECK_RC("map its frame", 0, rc);
	if (!*page) {
		destroy(dom);
		return 0;
	}
	CHECK_RC("destroy", 0, dom_op(dom, HV_DOMCTL_destroy));
	CHECK_EQ("dying while mapped", HV_DOMSTATE_dying, state_of(dom));
	return dom;
}

/* Our last mapping of a dying domain goes: so does the domain. */
static void let_go(domid_t dom, uint8_t *page)
{
	struct hv_domctl_info info;

	CHECK_RC("unmap its frame", 0, foreign_unmap(page));
	CHECK_RC("getinfo once the last mapping went: gone", -XEN_ESRCH, dom_getinfo(dom, &info));
}

/*
 * dom0 maps one of a domain's frames, then destroys it: the domain stays,
 * dying, refusing everything but getinfo, sched and destroy, until the
 * mapping goes; then it is gone at once.
 */
TEST(domctl, destroy_while_mapped)
{
	struct hv_domctl_info info;
	uint32_t count = 0;
	static struct hv_domctl_info all[8];
	uint64_t frame;
	uint8_t *page;
	domid_t dom;

	DOM0_ONLY();
	dom = dying_domain(&frame, &page);
	if (!dom)
		return;
	CHECK_RC("getinfo while mapped", 0, dom_getinfo(dom, &info));
	CHECK_EQ("dying", HV_DOMSTATE_dying, info.state);
	CHECK_EQ("one frame left", 1, info.tot_pages);
	page[100] = 0xab;
	CHECK_EQ("our frame still ours to use", 0xab, page[100]);
	CHECK_RC("pause a dying domain", -XEN_EINVAL, dom_op(dom, HV_DOMCTL_pause));
	CHECK_RC("evtchn_alloc in a dying domain", -XEN_EINVAL, dom_evtchn_alloc(dom, 0, &count));
	CHECK_RC("destroy again", 0, dom_op(dom, HV_DOMCTL_destroy));
	CHECK_RC("domain_list", 0, list_domains(dom, ARRAY_SIZE(all), all, &count));
	CHECK(count >= 1 && all[0].domain == dom && all[0].state == HV_DOMSTATE_dying,
	      "domain_list does not show domain %u dying", dom);
	let_go(dom, page);
}
TEST(domctl, domain_list)
{
	static struct hv_domctl_info all[16];
	struct hv_domctl_info info;
	uint32_t count = 0;
	domid_t a, b;

	DOM0_ONLY();
	a = new_domain(16, 1);
	b = new_domain(16, 1);
	if (!a || !b)
		goto out;
	CHECK(b > a, "ids %u then %u", a, b);
	CHECK_RC("list all", 0, list_domains(0, ARRAY_SIZE(all), all, &count));
	CHECK(count >= 3, "%u domains listed", count);
	CHECK_EQ("dom0 first", 0, all[0].domain);
	for (uint32_t i = 1; i < count; i++)
		CHECK(all[i].domain > all[i - 1].domain, "not in id order at %u", i);
	CHECK_RC("getinfo a", 0, dom_getinfo(a, &info));
	for (uint32_t i = 0; i < count; i++)
		if (all[i].domain == a)
			CHECK(!memcmp(&all[i], &info, sizeof(info)), "list entry differs from getinfo");
	CHECK_RC("list from b", 0, list_domains(b, ARRAY_SIZE(all), all, &count));
	CHECK(count >= 1 && all[0].domain == b, "from %u: %u entries, first %u", b, count, all[0].domain);
	CHECK_RC("room for 1", 0, list_domains(0, 1, all, &count));
	CHECK_EQ("1 entry", 1, count);
	CHECK_RC("room for 0", 0, list_domains(0, 0, BAD_PTR_UNMAPPED, &count));
	CHECK_EQ("0 entries", 0, count);
	CHECK_RC("from DOMID_FIRST_RESERVED", 0, list_domains(DOMID_FIRST_RESERVED, 16, all, &count));
	CHECK_EQ("0 entries", 0, count);
	CHECK_RC("into an unmapped buffer", -XEN_EFAULT, list_domains(0, 16, BAD_PTR_UNMAPPED, &count));
	CHECK_RC("into hv's range", -XEN_EFAULT, list_domains(0, 16, BAD_PTR_HV, &count));
out:
	destroy(a);
	destroy(b);
}

TEST(domctl, physinfo)
{
	struct hv_sysctl_physinfo p, q;
	uint64_t list[8] = { 0, 1, 2, 3, 4, 5, 6, 7 };
	domid_t dom;

	DOM0_ONLY();
	CHECK_RC("physinfo", 0, physinfo(&p));
	CHECK(p.nr_cpus >= 1, "nr_cpus %u", p.nr_cpus);
	CHECK(p.cpu_khz > 1000, "cpu_khz %u", p.cpu_khz);
	CHECK(p.total_pages > p.free_pages && p.free_pages > 0, "total %lu free %lu", p.total_pages,
	      p.free_pages);
	CHECK(p.max_mfn >= p.total_pages / 2, "max_mfn %#lx for %lu pages", p.max_mfn, p.total_pages);
	CHECK(p.nr_domains >= 1, "nr_domains %u", p.nr_domains);
	CHECK(p.heap_bytes > 0, "heap_bytes 0");
	CHECK(p.active_timers >= 1, "no timer armed (dom0's periodic tick?)");
	dom = new_domain(16, 1);
	if (!dom)
		return;
	CHECK_RC("populate 8", 8, dom_populate(dom, list, 8));
	CHECK_RC("physinfo", 0, physinfo(&q));
	CHECK(q.free_pages <= p.free_pages - 8, "free pages %lu -> %lu after 8 given away",
	      p.free_pages, q.free_pages);
	CHECK_EQ("total unchanged", p.total_pages, q.total_pages);
	destroy(dom);
}

/* Read hv's console ring from `offset` until it has no more; the offset after. */
static uint64_t console_end(uint64_t offset)
{
	static char chunk[4096];
	struct hv_sysctl op = { .cmd = HV_SYSCTL_readconsole };

	for (;;) {
		op.u.console.buffer = (uint64_t)chunk;
		op.u.console.size = sizeof(chunk);
		op.u.console.offset = offset;
		if (sysctl(&op) || !op.u.console.size)
			return offset;
		offset = op.u.console.offset;
	}
}

TEST(domctl, readconsole)
{
	static char buf[512];
	struct hv_sysctl op = { .cmd = HV_SYSCTL_readconsole };
	uint64_t end;

	DOM0_ONLY();
	op.u.console.buffer = (uint64_t)buf;
	op.u.console.size = sizeof(buf);
	op.u.console.offset = 0;
	CHECK_RC("read from 0", 0, sysctl(&op));
	CHECK(op.u.console.size > 0 && op.u.console.size <= sizeof(buf), "%u bytes read",
	      op.u.console.size);
	CHECK(op.u.console.offset >= op.u.console.size, "offset %lu after %u bytes",
	      op.u.console.offset, op.u.console.size);
	end = console_end(op.u.console.offset);
	printf("  (console ring: %lu bytes printed so far)\n", end);
	op.u.console.offset = end;
	op.u.console.size = sizeof(buf) - 1;
	memset(buf, 0, sizeof(buf));
	CHECK_RC("read what was just printed", 0, sysctl(&op));
	CHECK(op.u.console.size > 0 && strstr(buf, "console ring: ") != NULL,
	      "our own line not read back (%u bytes)", op.u.console.size);
	CHECK_EQ("offset advanced by what was read", end + op.u.console.size, op.u.console.offset);
	op.u.console.offset = ~0UL >> 1;
	op.u.console.size = sizeof(buf);
	CHECK_RC("read far past the end", 0, sysctl(&op));
	CHECK_EQ("nothing there", 0, op.u.console.size);
	op.u.console.offset = 0;
	op.u.console.size = sizeof(buf);
	op.u.console.buffer = (uint64_t)BAD_PTR_UNMAPPED;
	CHECK_RC("into an unmapped buffer", -XEN_EFAULT, sysctl(&op));
	op.u.console.size = 0;
	CHECK_RC("0 bytes", 0, sysctl(&op));
	CHECK_EQ("0 read", 0, op.u.console.size);
}

/* A burst of create/destroy cycles leaves hv as it was. */
TEST(domctl, create_destroy_no_leak)
{
	struct hv_sysctl_physinfo before;
	uint64_t list[4] = { 0, 1, 2, 3 };
	uint32_t port;

	DOM0_ONLY();
	destroy(new_domain(8, 1));
	CHECK_RC("physinfo", 0, physinfo(&before));
	for (unsigned int i = 0; i < 50; i++) {
		domid_t dom = new_domain(8, 1 + i % 4);

		if (!dom)
			return;
		CHECK_RC("populate", 4, dom_populate(dom, list, 4));
		CHECK_RC("evtchn_alloc", 0, dom_evtchn_alloc(dom, 0, &port));
		destroy(dom);
	}
	machine_back(&before);
}

/* A domU: everything is -EPERM, before even the version or the pointer is looked at. */
TEST(domctl, domu_refused)
{
	struct hv_domctl d;
	struct hv_sysctl s;

	HV_ONLY();
	if (is_initial_domain())
		SKIP("dom0 may use the control interface");
	for (unsigned int i = 0; i < ARRAY_SIZE(all_domctls); i++) {
		char what[32];

		memset(&d, 0, sizeof(d));
		d.cmd = all_domctls[i];
		d.domain = DOMID_SELF;
		d.u.create.max_vcpus = 1;
		snprintf(what, sizeof(what), "domctl %u", d.cmd);
		CHECK_RC(what, -XEN_EPERM, domctl(&d));
	}
	memset(&d, 0, sizeof(d));
	d.cmd = HV_DOMCTL_getinfo;
	d.domain = 0;
	CHECK_RC("getinfo(dom0)", -XEN_EPERM, domctl(&d));
	d.interface_version = 0;
	CHECK_RC("bad version", -XEN_EPERM, HYPERVISOR_domctl(&d));
	CHECK_RC("bad pointer", -XEN_EPERM, HYPERVISOR_domctl(BAD_PTR_UNMAPPED));
	for (uint32_t cmd = 0; cmd <= 4; cmd++) {
		char what[32];

		memset(&s, 0, sizeof(s));
		s.cmd = cmd;
		snprintf(what, sizeof(what), "sysctl %u", cmd);
		CHECK_RC(what, -XEN_EPERM, sysctl(&s));
	}
	CHECK_RC("sysctl, bad pointer", -XEN_EPERM, HYPERVISOR_sysctl(BAD_PTR_HV));
}

/*
 * ---- rules found broken on hv once (first reported as domctl_bugs.*) ---
 */

/* An unknown command is -ENOSYS whatever the domain, dom0 included. */
TEST(domctl, unknown_command_on_dom0)
{
	DOM0_ONLY();
	CHECK_RC("domctl 999 on dom0", -XEN_ENOSYS, op_on(0, 999, NULL, 0));
	CHECK_RC("domctl 999 on DOMID_SELF", -XEN_ENOSYS, op_on(DOMID_SELF, 999, NULL, 0));
}

/* hv keeps 256 domains: an id it cannot hold is invalid, not a lack of memory. */
TEST(domctl, create_id_out_of_range)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_create, .domain = 300 };

	DOM0_ONLY();
	op.u.create.max_vcpus = 1;
	CHECK_RC("create as domain 300", -XEN_EINVAL, domctl(&op));
	if (op.domain == 300)
		dom_op(300, HV_DOMCTL_destroy);
}

/*
 * A dying domain gets no new memory (Xen: assign_pages refuses is_dying).
 * A frame given to it after relinquish would keep it dying for ever: its
 * frames and hv's heap for it would never come back.
 */
TEST(domctl, populate_dying_domain)
{
	uint64_t frame, more = 1;
	uint8_t *page;
	domid_t dom;

	DOM0_ONLY();
	dom = dying_domain(&frame, &page);
	if (!dom)
		return;
	CHECK_RC("populate the dying domain", 0, dom_populate(dom, &more, 1));
	let_go(dom, page);
}

/*
 * When dom0 drops the last reference to a dying domain's last frame, the
 * domain is gone: the very next getinfo is -ESRCH (Xen frees the domain
 * with its last page), and physinfo no longer counts it or its heap.
 */
TEST(domctl, gone_when_last_frame_goes)
{
	struct hv_sysctl_physinfo before;
	uint64_t frame;
	uint8_t *page;
	domid_t dom;

	DOM0_ONLY();
	CHECK_RC("physinfo", 0, physinfo(&before));
	dom = dying_domain(&frame, &page);
	if (!dom)
		return;
	let_go(dom, page);
	machine_back(&before);
}

/*
 * A domain id is not handed out again at once. Xen's "any id" takes the
 * next one after the last given (a rover), so a port dom0 left waiting
 * for a dead domain, or a stale id in a toolstack, does not meet a new
 * domain under the old name.
 */
TEST(domctl, domid_not_reused_at_once)
{
	struct evtchn_status st;
	uint32_t port = 0, local = 0;
	domid_t a, b;

	DOM0_ONLY();
	a = new_domain(16, 1);
	if (!a)
		return;
	CHECK_RC("evtchn_alloc", 0, dom_evtchn_alloc(a, 0, &port));
	CHECK_RC("bind", 0, evtchn_bind_interdomain(a, port, &local));
	destroy(a);
	b = new_domain(16, 1);
	CHECK(b != a, "the next domain got the dead one's id %u", a);
	/* Our end, left open, now waits for whoever holds that id. */
	memset(&st, 0, sizeof(st));
	st.dom = DOMID_SELF;
	st.port = local;
	if (!HYPERVISOR_event_channel_op(EVTCHNOP_status, &st) && st.status == EVTCHNSTAT_unbound)
		CHECK(st.u.unbound.dom != b, "our port %u left for domain %u is open to its successor %u",
		      local, a, b);
	destroy(b);
	if (local)
		evtchn_close(local);
}

/*
 * The limits create takes are the domain's limits: max_evtchns ports
 * (numbered below it) and max_grant_frames grant-table frames.
 */
TEST(domctl, create_limits_applied)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_create };
	struct gnttab_query_size q = { .dom = 0 };
	uint32_t port = 0;
	unsigned int got = 0;
	domid_t dom;
	long rc;

	DOM0_ONLY();
	op.u.create.max_vcpus = 1;
	op.u.create.max_pages = 16;
	op.u.create.max_evtchns = 8;
	op.u.create.max_grant_frames = 2;
	CHECK_RC("create with 8 ports and 2 grant frames", 0, domctl(&op));
	dom = op.domain;
	if (!dom)
		return;
	while (got < 20 && !(rc = dom_evtchn_alloc(dom, 0, &port)))
		got++;
	CHECK_EQ("ports 1..7 allocated, then no more", 7, got);
	q.dom = dom;
	CHECK_RC("query_size of the domain", 0, HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1));
	CHECK_EQ("max_nr_frames", 2, q.max_nr_frames);
	/* dom0 sets up the domain's table for it: 2 frames go, 3 do not. */
	{
		uint64_t frames[3];
		struct gnttab_setup_table st = { .dom = dom, .nr_frames = 3,
					       .frame_list = (uint64_t)frames };

		CHECK_RC("setup_table(3) for it", 0, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1));
		CHECK_EQ("3 frames refused", GNTST_general_error, st.status);
		st.nr_frames = 2;
		CHECK_RC("setup_table(2) for it", 0, HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1));
		CHECK_EQ("2 frames given", GNTST_okay, st.status);
	}
	destroy(dom);
}

/*
 * ---- dying domains: nothing new may reach them ----------------------------
 *
 * A destroyed domain that something still maps stays "dying" until the
 * last mapping goes. Its ports and memory are already gone: an op that
 * would make a new reference to it (a port, memory) is refused, or the
 * reference would outlive the domain, or keep it dying for ever. Its
 * grant table stays, as on Xen, until the domain goes. Ops that only
 * read it or let go of something still work.
 */

#define DYING_REF    8          /* the grant entry these tests use */
#define OTHER_PAGES  64        /* frames another domain gets while one is dying */
#define NO_STATUS    0x7fff     /* the hypercall itself failed */

static uint8_t host_page[PAGE_SIZE] __aligned(PAGE_SIZE);

static int16_t setup_table_of(domid_t dom, uint32_t nr_frames, uint64_t *frames)
{
	struct gnttab_setup_table st = {
		.dom = dom, .nr_frames = nr_frames, .frame_list = (uint64_t)frames,
		.status = NO_STATUS,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1);

	CHECK_RC("setup_table's result", 0, rc);
	return rc ? NO_STATUS : st.status;
}

/* Write entry `ref` of dom's table (frame gt_mfn): its frame `mfn`, to dom0. */
static bool grant_to_dom0(domid_t dom, uint64_t gt_mfn, unsigned int ref, uint64_t mfn)
{
	struct grant_entry_v1 *e;
	long rc;

	e = foreign_map(dom, gt_mfn, &rc);
	CHECK_RC("map its grant table", 0, rc);
	if (!e)
		return false;
	e[ref].domid = 0;
	e[ref].frame = (uint32_t)mfn;
	__atomic_store_n(&e[ref].flags, GTF_permit_access, __ATOMIC_SEQ_CST);
	CHECK_RC("unmap its grant table", 0, foreign_unmap(e));
	return true;
}

/* Map dom's grant `ref` at host_page (our own frame comes back if that fails). */
static int16_t map_grant_of(domid_t dom, unsigned int ref, grant_handle_t *handle)
{
	struct gnttab_map_grant_ref m = {
		.host_addr = (uint64_t)host_page, .flags = GNTMAP_host_map, .ref = ref,
		.dom = dom, .status = NO_STATUS,
	};
	long rc;

	CHECK_RC("empty host_page's PTE", 0, map_va(host_page, 0, 0));
	rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
	CHECK_RC("map_grant_ref's result", 0, rc);
	if (rc || m.status != GNTST_okay)
		CHECK_RC("host_page back", 0, remap_own_page(host_page));
	*handle = m.handle;
	return rc ? NO_STATUS : m.status;
}

static int16_t unmap_grant_at_host(grant_handle_t handle)
{
	struct gnttab_unmap_grant_ref u = {
		.host_addr = (uint64_t)host_page, .handle = handle, .status = NO_STATUS,
	};
	long rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);

	CHECK_RC("unmap_grant_ref's result", 0, rc);
	CHECK_RC("host_page back", 0, remap_own_page(host_page));
	return rc ? NO_STATUS : u.status;
}

/*
 * A domain with a grant table of one frame (*gt_mfn) whose entry
 * DYING_REF grants dom0 its frame *frame; with `map`, dom0 maps that grant
 * at host_page (*handle). 0 if that could not be done (a check failed).
 */
static domid_t granting_domain(uint64_t *gt_mfn, uint64_t *frame, bool map,
			       grant_handle_t *handle)
{
	domid_t dom = new_domain(16, 1);

	if (!dom)
		return 0;
	*frame = 0;
	*gt_mfn = 0;
	CHECK_RC("populate 1", 1, dom_populate(dom, frame, 1));
	CHECK_ST("setup_table(dom, 1)", GNTST_okay, setup_table_of(dom, 1, gt_mfn));
	if (!*gt_mfn || !grant_to_dom0(dom, *gt_mfn, DYING_REF, *frame) ||
	    (map && map_grant_of(dom, DYING_REF, handle) != GNTST_okay)) {
		destroy(dom);
		return 0;
	}
	return dom;
}

/* Warm up what dom0's first grant mapping allocates (its maptrack), for leak checks. */
static void warm_up_grant_mapping(void)
{
	grant_handle_t handle = 0;
	uint64_t gt_mfn, frame;
	domid_t dom = granting_domain(&gt_mfn, &frame, true, &handle);

	if (!dom)
		return;
	CHECK_ST("unmap", GNTST_okay, unmap_grant_at_host(handle));
	destroy(dom);
}

/* Entry DYING_REF's flags in dom's table frame gt_mfn, read through a mapping (~0 if none). */
static uint32_t entry_flags(domid_t dom, uint64_t gt_mfn)
{
	const struct grant_entry_v1 *e;
	uint32_t flags;
	long rc;

	e = foreign_map(dom, gt_mfn, &rc);
	CHECK_RC("map its grant table", 0, rc);
	if (!e)
		return ~0u;
	flags = e[DYING_REF].flags;
	CHECK_RC("unmap its grant table", 0, foreign_unmap((void *)e));
	return flags;
}

/* Fill each of dom's frames with `byte`, or (check) report the first that holds another. */
static void fill_frames(domid_t dom, const uint64_t *mfns, unsigned int n, uint8_t byte, bool check)
{
	for (unsigned int i = 0; i < n; i++) {
		uint8_t *page;
		unsigned int j;
		long rc;

		page = foreign_map(dom, mfns[i], &rc);
		CHECK_RC("map a frame of the other domain", 0, rc);
		if (!page)
			return;
		if (!check)
			memset(page, byte, PAGE_SIZE);
		for (j = 0; check && j < PAGE_SIZE && page[j] == byte; j++)
			;
		CHECK(!check || j == PAGE_SIZE, "byte %u of the other domain's frame %#lx became %#x",
		      j, mfns[i], j < PAGE_SIZE ? page[j] : 0);
		CHECK_RC("unmap it", 0, foreign_unmap(page));
	}
}

/*
 * dom0 maps a grant of a domain, then destroys the domain: our mapping
 * keeps it dying, and its grant table lives as long as it does, as on
 * Xen. Unmapping the grant clears the entry's flags in that table and
 * writes nowhere else, in particular not in the pages another domain gets
 * meanwhile (hv once freed the table at destruction, and the unmap then
 * cleared two bits in whoever's page the frame had become). Once the
 * mapping is gone, so is the domain, with every frame and heap byte.
 */
TEST(domctl, grant_unmap_after_granter_destroyed)
{
	static uint64_t list[OTHER_PAGES];
	struct hv_sysctl_physinfo before;
	struct hv_domctl_info info;
	uint64_t gt_mfn, frame;
	grant_handle_t handle = 0;
	domid_t dom, other;

	DOM0_ONLY();
	warm_up_grant_mapping();
	CHECK_RC("physinfo", 0, physinfo(&before));
	other = new_domain(OTHER_PAGES, 1);
	dom = granting_domain(&gt_mfn, &frame, true, &handle);
	if (!dom || !other) {
		destroy(dom);
		destroy(other);
		return;
	}
	CHECK_RC("destroy the granter", 0, dom_op(dom, HV_DOMCTL_destroy));
	CHECK_EQ("dying while we map its grant", HV_DOMSTATE_dying, state_of(dom));
	CHECK_EQ("the entry, in use", GTF_permit_access | GTF_reading | GTF_writing,
		 entry_flags(dom, gt_mfn));

	/* Pages another domain gets now, all 0xff: the unmap must leave them so. */
	for (unsigned int i = 0; i < OTHER_PAGES; i++)
		list[i] = i;
	CHECK_RC("populate the other domain", OTHER_PAGES, dom_populate(other, list, OTHER_PAGES));
	fill_frames(other, list, OTHER_PAGES, 0xff, false);
	CHECK_ST("unmap the dying granter's grant", GNTST_okay, unmap_grant_at_host(handle));
	fill_frames(other, list, OTHER_PAGES, 0xff, true);
	CHECK_EQ("the entry, in use no more", GTF_permit_access, entry_flags(dom, gt_mfn));

	destroy(other);
	CHECK_RC("getinfo once our mappings went: gone", -XEN_ESRCH, dom_getinfo(dom, &info));
	machine_back(&before);
}

/*
 * A dying domain's grant table is still there, as on Xen: dom0 may map
 * and copy its grants while the granted frame lasts (they were never
 * revoked), and setup_table may even grow the table. None of that keeps the domain: once dom0's last mapping is
 * gone, it is freed with its table, every frame and heap byte back (hv
 * once shared a frame grown then with the domain for ever, so it never
 * went).
 */
TEST(domctl, grant_table_while_dying)
{
	struct hv_sysctl_physinfo before;
	struct gnttab_query_size q = { .status = NO_STATUS };
	struct gnttab_copy c = { .status = NO_STATUS };
	uint64_t gt_mfn, frame, frames[2] = { 0, 0 };
	grant_handle_t handle = 0;
	uint8_t *page;
	domid_t dom;
	long rc;

	DOM0_ONLY();
	warm_up_grant_mapping();
	CHECK_RC("physinfo", 0, physinfo(&before));
	dom = granting_domain(&gt_mfn, &frame, false, NULL);
	if (!dom)
		return;
	/* dom0 maps the granted frame: that keeps it, and the domain dying. */
	page = foreign_map(dom, frame, &rc);
	CHECK_RC("map the granted frame", 0, rc);
	if (!page) {
		destroy(dom);
		return;
	}
	CHECK_RC("destroy", 0, dom_op(dom, HV_DOMCTL_destroy));
	CHECK_EQ("dying while mapped", HV_DOMSTATE_dying, state_of(dom));

	CHECK_ST("map the dying domain's grant", GNTST_okay, map_grant_of(dom, DYING_REF, &handle));
	CHECK_ST("unmap it", GNTST_okay, unmap_grant_at_host(handle));
	c.source.u.ref = DYING_REF;
	c.source.domid = dom;
	c.dest.u.gmfn = virt_to_mfn(host_page);
	c.dest.domid = DOMID_SELF;
	c.len = 8;
	c.flags = GNTCOPY_source_gref;
	CHECK_RC("copy's result", 0, HYPERVISOR_grant_table_op(GNTTABOP_copy, &c, 1));
	CHECK_ST("copy from the dying domain's grant", GNTST_okay, c.status);
	CHECK_EQ("the entry after both", GTF_permit_access, entry_flags(dom, gt_mfn));
	CHECK_ST("setup_table(dying domain, 2)", GNTST_okay, setup_table_of(dom, 2, frames));
	CHECK_EQ("its first frame", gt_mfn, frames[0]);
	q.dom = dom;
	CHECK_RC("query_size's result", 0, HYPERVISOR_grant_table_op(GNTTABOP_query_size, &q, 1));
	CHECK_ST("query_size", GNTST_okay, q.status);
	CHECK_EQ("nr_frames", 2, q.nr_frames);
	let_go(dom, page);
	machine_back(&before);
}

/*
 * A dying domain's ports are all closed and it gets no new one: dom0's
 * alloc_unbound in it is -EINVAL (Xen's get_free_port on a dying domain),
 * so no port of ours can end up bound to a domain about to be freed.
 * Naming it in bind_interdomain finds no port waiting (-EINVAL); status,
 * which only reads, is answered.
 */
TEST(domctl, evtchn_on_dying_domain)
{
	struct evtchn_alloc_unbound a = { .remote_dom = 0 };
	struct evtchn_status st = { .port = 1 };
	uint32_t local = 0;
	uint64_t frame;
	uint8_t *page;
	domid_t dom;
	long rc;

	DOM0_ONLY();
	dom = dying_domain(&frame, &page);
	if (!dom)
		return;
	a.dom = dom;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &a);
	CHECK_RC("alloc_unbound in a dying domain", -XEN_EINVAL, rc);
	if (!rc) {
		rc = evtchn_bind_interdomain(dom, a.port, &local);
		CHECK_RC("bind to the dying domain's new port", -XEN_EINVAL, rc);
		/* Closed while the domain is still there to point at. */
		if (!rc)
			evtchn_close(local);
	}
	rc = evtchn_bind_interdomain(dom, 1, &local);
	CHECK_RC("bind to a dying domain's port 1", -XEN_EINVAL, rc);
	if (!rc)
		evtchn_close(local);
	st.dom = dom;
	CHECK_RC("status of a dying domain's port", 0,
		 HYPERVISOR_event_channel_op(EVTCHNOP_status, &st));
	CHECK_EQ("closed", EVTCHNSTAT_closed, st.status);
	let_go(dom, page);
}

/*
 * dom0 pins a table of a dying domain (mmuext_op naming it): the domain's
 * pins all went when it was destroyed, and one made now would hold the
 * frame, and keep the domain dying, until someone unpins it. As on Xen
 * (which races domain destruction the same way), the pin is validated,
 * reported done and dropped at once: once dom0's read-only mapping of
 * the frame goes, so does the domain.
 */
TEST(domctl, pin_in_dying_domain)
{
	struct mmuext_op pin = { .cmd = MMUEXT_PIN_L1_TABLE };
	struct mmu_update u;
	struct hv_domctl_info info;
	uint64_t frame = 0, maddr = 0;
	domid_t dom;
	long rc;

	DOM0_ONLY();
	dom = new_domain(16, 1);
	if (!dom)
		return;
	CHECK_RC("populate 1", 1, dom_populate(dom, &frame, 1));
	/* Read-only, so nothing types the frame writable: it can become an L1. */
	l1e_of(host_page, &maddr);
	u.ptr = maddr | MMU_NORMAL_PT_UPDATE;
	u.val = (frame << PAGE_SHIFT) | PTE_RO_FLAGS;
	rc = HYPERVISOR_mmu_update(&u, 1, NULL, dom);
	CHECK_RC("map its frame read-only at host_page", 0, rc);
	if (rc) {
		destroy(dom);
		return;
	}
	invlpg(host_page);
	CHECK_RC("destroy", 0, dom_op(dom, HV_DOMCTL_destroy));
	CHECK_EQ("dying while mapped", HV_DOMSTATE_dying, state_of(dom));
	pin.arg1.mfn = frame;
	CHECK_RC("pin its frame as an L1", 0, HYPERVISOR_mmuext_op(&pin, 1, NULL, dom));
	CHECK_RC("host_page back", 0, remap_own_page(host_page));
	rc = dom_getinfo(dom, &info);
	CHECK_RC("getinfo once our mapping went: gone", -XEN_ESRCH, rc);
	if (!rc) {
		/* The pin stuck: take it off, so the domain can go. */
		pin.cmd = MMUEXT_UNPIN_TABLE;
		HYPERVISOR_mmuext_op(&pin, 1, NULL, dom);
		CHECK_RC("getinfo after unpinning", -XEN_ESRCH, dom_getinfo(dom, &info));
	}
}

/*
 * memory_op naming a dying domain: its figures can be read; it gets no
 * frame (0 extents done) and an exchange is -EINVAL (Xen: assign_pages
 * refuses a dying domain), not the -EPERM of an unprivileged caller.
 */
TEST(domctl, memory_ops_on_dying_domain)
{
	struct xen_memory_exchange x;
	uint64_t frame, in, out = 0, list[1] = { 0 };
	uint8_t *page;
	domid_t dom;

	DOM0_ONLY();
	dom = dying_domain(&frame, &page);
	if (!dom)
		return;
	CHECK_RC("current_reservation: the frame we map", 1,
		 HYPERVISOR_memory_op(XENMEM_current_reservation, &dom));
	CHECK_RC("maximum_reservation", 16, HYPERVISOR_memory_op(XENMEM_maximum_reservation, &dom));
	CHECK_RC("increase_reservation: none done", 0,
		 reservation(XENMEM_increase_reservation, list, 1, 0, 0, dom));
	in = frame;
	memset(&x, 0, sizeof(x));
	x.in.extent_start = (uint64_t)&in;
	x.in.nr_extents = 1;
	x.in.domid = dom;
	x.out.extent_start = (uint64_t)&out;
	x.out.nr_extents = 1;
	x.out.domid = dom;
	CHECK_RC("exchange in a dying domain", -XEN_EINVAL, HYPERVISOR_memory_op(XENMEM_exchange, &x));
	CHECK_EQ("nr_exchanged", 0, x.nr_exchanged);
	let_go(dom, page);
}
