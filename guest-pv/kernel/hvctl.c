/*
 * hv's control interface (public/hvctl.h) for guest-pv's toolstack: the
 * domctl/sysctl wrappers the hv-only tests (tests/t_domctl.c) and modes
 * (churn, watch) call directly, and the backend control mode uses on hv
 * (guest/control.h). Xen's counterpart is kernel/xenctl.c.
 */
#include <guest/control.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <public/errno.h>

/* ---- domctl / sysctl ------------------------------------------------- */

long domctl(struct hv_domctl *op)
{
	op->interface_version = HVCTL_INTERFACE_VERSION;
	return HYPERVISOR_domctl(op);
}

long sysctl(struct hv_sysctl *op)
{
	op->interface_version = HVCTL_INTERFACE_VERSION;
	return HYPERVISOR_sysctl(op);
}

long dom_create(domid_t *id, uint64_t max_pages, uint32_t max_vcpus)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_create, .domain = *id };
	long rc;

	op.u.create.max_vcpus = max_vcpus;
	op.u.create.max_pages = max_pages;
	rc = domctl(&op);
	if (!rc)
		*id = op.domain;
	return rc;
}

long dom_op(domid_t id, uint32_t cmd)
{
	struct hv_domctl op = { .cmd = cmd, .domain = id };

	return domctl(&op);
}

long dom_getinfo(domid_t id, struct hv_domctl_info *info)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_getinfo, .domain = id };
	long rc = domctl(&op);

	if (!rc)
		*info = op.u.info;
	return rc;
}

long dom_evtchn_alloc(domid_t id, domid_t remote, uint32_t *port)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_evtchn_alloc, .domain = id };
	long rc;

	op.u.evtchn.remote_dom = remote;
	rc = domctl(&op);
	if (!rc)
		*port = op.u.evtchn.port;
	return rc;
}

long physinfo(struct hv_sysctl_physinfo *p)
{
	struct hv_sysctl op = { .cmd = HV_SYSCTL_physinfo };
	long rc = sysctl(&op);

	if (!rc)
		*p = op.u.physinfo;
	return rc;
}

/* ---- the backend ------------------------------------------------------ */

static long hv_destroy(domid_t id)
{
	return dom_op(id, HV_DOMCTL_destroy);
}

static long hv_pause(domid_t id)
{
	return dom_op(id, HV_DOMCTL_pause);
}

static long hv_unpause(domid_t id)
{
	return dom_op(id, HV_DOMCTL_unpause);
}

static long hv_getinfo(domid_t id, struct dom_info *info)
{
	struct hv_domctl_info i;
	long rc = dom_getinfo(id, &i);

	if (rc)
		return rc;
	*info = (struct dom_info){
		.domain = i.domain, .state = i.state, .shutdown_reason = i.shutdown_reason,
		.nr_vcpus = i.nr_vcpus, .tot_pages = i.tot_pages, .max_pages = i.max_pages,
		.shared_info_frame = i.shared_info_frame,
	};
	return 0;
}

static long hv_max_mem(domid_t id, uint64_t max_pages)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_max_mem, .domain = id };

	op.u.max_mem.max_pages = max_pages;
	return domctl(&op);
}

static long hv_set_vcpu_context(domid_t id, unsigned int vcpu, const struct vcpu_guest_context *c)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_set_vcpu_context, .domain = id };

	op.u.vcpu_context.vcpu = vcpu;
	op.u.vcpu_context.ctxt = (uint64_t)c;
	return domctl(&op);
}

long build_set_context(domid_t dom, const struct vcpu_guest_context *vc)
{
	return hv_set_vcpu_context(dom, 0, vc);
}

static long hv_vcpu_up(domid_t id, unsigned int vcpu)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_vcpu_up, .domain = id };

	op.u.vcpu.vcpu = vcpu;
	return domctl(&op);
}

static long hv_sys_info(struct sys_info *s)
{
	struct hv_sysctl_physinfo p;
	long rc = physinfo(&p);

	if (rc)
		return rc;
	*s = (struct sys_info){
		.total_pages = p.total_pages, .free_pages = p.free_pages, .nr_domains = p.nr_domains,
		.cpu_khz = p.cpu_khz, .hv_counters = true, .heap_bytes = p.heap_bytes,
		.active_timers = p.active_timers, .evtchn_open = p.evtchn_open,
		.grant_mappings = p.grant_mappings,
	};
	return 0;
}

const struct ctl_backend hv_ctl_backend = {
	.name = "hv",
	.domu_console_io = true,
	.create = dom_create,
	.destroy = hv_destroy,
	.pause = hv_pause,
	.unpause = hv_unpause,
	.getinfo = hv_getinfo,
	.max_mem = hv_max_mem,
	.set_vcpu_context = hv_set_vcpu_context,
	.vcpu_up = hv_vcpu_up,
	.evtchn_alloc = dom_evtchn_alloc,
	.hypercall_init = NULL,         /* the builder writes the stubs */
	.sys_info = hv_sys_info,
};
