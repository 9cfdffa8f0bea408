/*
 * The toolstack's Xen 4.17 backend (guest/control.h, target=xen): the
 * same requests as hv's backend, made of Xen's own domctl and sysctl
 * (guest/xenctl.h) and, where Xen has no domctl for it, of the ordinary
 * hypercalls a privileged domain may aim at another one.
 *
 * How it differs from hv's control interface, and why the functions below
 * do more than one call:
 *   - createdomain only sizes the vCPU array; XEN_DOMCTL_max_vcpus
 *     creates the vCPUs, and a new domain may own no memory until
 *     XEN_DOMCTL_max_mem raises its limit (in KiB) from 0. create does
 *     all three, and destroys the domain if a later step fails.
 *   - getdomaininfo answers with the next domain whose id is >= the one
 *     asked for, so a missing domain can look like another one: the id
 *     is checked. Its state is a set of flags, turned into one DOM_*.
 *   - a vCPU comes up with the context that has VGCF_online: no vcpu_up.
 *   - an unbound port for another domain is EVTCHNOP_alloc_unbound with
 *     .dom naming it (dom0 may), not a domctl.
 *   - Xen fills a PV guest's hypercall page itself (hypercall_init), as
 *     its own toolstack asks it to.
 *   - physinfo reports free pages but nothing like hv's heap or timer
 *     counts; the number of domains comes from getdomaininfolist.
 */
#include <guest/arch.h>
#include <guest/control.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/xenctl.h>
#include <public/errno.h>
#include <public/event_channel.h>
#include <public/sched.h>

#define XEN_MAX_EVTCHN_PORT 1023        /* what Xen's own toolstack gives a guest */
#define MAX_LISTED_DOMAINS  64

static long xen_domctl(struct xen417_domctl *op)
{
	op->interface_version = XEN417_DOMCTL_VERSION;
	return HCALL(__HYPERVISOR_domctl, op, 0, 0, 0, 0);
}

static long xen_sysctl(struct xen417_sysctl *op)
{
	op->interface_version = XEN417_SYSCTL_VERSION;
	return HCALL(__HYPERVISOR_sysctl, op, 0, 0, 0, 0);
}

static long simple(uint32_t cmd, domid_t id)
{
	struct xen417_domctl op = { .cmd = cmd, .domain = id };

	return xen_domctl(&op);
}

static long xen_destroy(domid_t id)
{
	return simple(XEN417_DOMCTL_destroydomain, id);
}

static long xen_pause(domid_t id)
{
	return simple(XEN417_DOMCTL_pausedomain, id);
}

static long xen_unpause(domid_t id)
{
	return simple(XEN417_DOMCTL_unpausedomain, id);
}

static long xen_max_mem(domid_t id, uint64_t max_pages)
{
	struct xen417_domctl op = { .cmd = XEN417_DOMCTL_max_mem, .domain = id };

	op.u.max_mem.max_memkb = max_pages * (PAGE_SIZE / 1024);
	return xen_domctl(&op);
}

static long xen_create(domid_t *id, uint64_t max_pages, uint32_t max_vcpus)
{
	struct xen417_domctl op = { .cmd = XEN417_DOMCTL_createdomain, .domain = *id };
	struct xen417_domctl_createdomain *c = &op.u.createdomain;
	long rc;

	c->flags = 0;                           /* PV */
	c->max_vcpus = max_vcpus;
	c->max_evtchn_port = XEN_MAX_EVTCHN_PORT;
	c->max_grant_frames = -1;
	c->max_maptrack_frames = -1;
	c->grant_opts = XEN417_GRANT_version(1);
	c->arch.emulation_flags = 0;            /* a PV domain emulates no device */
	rc = xen_domctl(&op);
	if (rc)
		return rc;
	*id = op.domain;
	op = (struct xen417_domctl){ .cmd = XEN417_DOMCTL_max_vcpus, .domain = *id };
	op.u.max_vcpus.max = max_vcpus;
	rc = xen_domctl(&op);
	if (!rc)
		rc = xen_max_mem(*id, max_pages);
	if (rc)
		xen_destroy(*id);
	return rc;
}

static long xen_info(domid_t id, struct xen417_domctl_getdomaininfo *out)
{
	struct xen417_domctl op = { .cmd = XEN417_DOMCTL_getdomaininfo, .domain = id };
	long rc = xen_domctl(&op);

	if (rc)
		return rc;
	if (op.u.getdomaininfo.domain != id)
		return -XEN_ESRCH;              /* that was the next domain up */
	*out = op.u.getdomaininfo;
	return 0;
}

static void to_dom_info(const struct xen417_domctl_getdomaininfo *x, struct dom_info *info)
{
	unsigned int code = (x->flags >> XEN417_DOMINF_shutdown_shift) & XEN417_DOMINF_shutdown_mask;

	*info = (struct dom_info){
		.domain = x->domain, .nr_vcpus = x->nr_online_vcpus, .tot_pages = x->tot_pages,
		.max_pages = x->max_pages, .shared_info_frame = x->shared_info_frame,
	};
	if (x->flags & XEN417_DOMINF_dying) {
		info->state = DOM_DYING;
	} else if (x->flags & XEN417_DOMINF_shutdown) {
		info->state = code == SHUTDOWN_crash ? DOM_CRASHED : DOM_SHUTDOWN;
		info->shutdown_reason = code;
	} else if (x->flags & XEN417_DOMINF_paused) {
		info->state = DOM_PAUSED;
	} else if (x->flags & XEN417_DOMINF_blocked) {
		info->state = DOM_BLOCKED;
	} else {
		info->state = DOM_RUNNING;      /* on a CPU or waiting for one */
	}
}

static long xen_getinfo(domid_t id, struct dom_info *info)
{
	struct xen417_domctl_getdomaininfo x;
	long rc = xen_info(id, &x);

	if (!rc)
		to_dom_info(&x, info);
	return rc;
}

static long xen_set_vcpu_context(domid_t id, unsigned int vcpu, const struct vcpu_guest_context *c)
{
	struct xen417_domctl op = { .cmd = XEN417_DOMCTL_setvcpucontext, .domain = id };

	op.u.vcpucontext.vcpu = vcpu;
	op.u.vcpucontext.ctxt = (uint64_t)c;
	return xen_domctl(&op);
}

static long xen_evtchn_alloc(domid_t id, domid_t remote, uint32_t *port)
{
	struct evtchn_alloc_unbound au = { .dom = id, .remote_dom = remote };
	long rc = HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au);

	if (!rc)
		*port = au.port;
	return rc;
}

static long xen_hypercall_init(domid_t id, uint64_t mfn)
{
	struct xen417_domctl op = { .cmd = XEN417_DOMCTL_hypercall_init, .domain = id };

	op.u.hypercall_init.gmfn = mfn;
	return xen_domctl(&op);
}

static long xen_sys_info(struct sys_info *s)
{
	static struct xen417_domctl_getdomaininfo list[MAX_LISTED_DOMAINS];
	struct xen417_sysctl op = { .cmd = XEN417_SYSCTL_physinfo };
	long rc = xen_sysctl(&op);

	if (rc)
		return rc;
	*s = (struct sys_info){
		.total_pages = op.u.physinfo.total_pages, .free_pages = op.u.physinfo.free_pages,
		.cpu_khz = op.u.physinfo.cpu_khz,
	};
	op = (struct xen417_sysctl){ .cmd = XEN417_SYSCTL_getdomaininfolist };
	op.u.getdomaininfolist.first_domain = 0;
	op.u.getdomaininfolist.max_domains = MAX_LISTED_DOMAINS;
	op.u.getdomaininfolist.buffer = (uint64_t)list;
	rc = xen_sysctl(&op);
	if (rc)
		return rc;
	s->nr_domains = op.u.getdomaininfolist.num_domains;
	return 0;
}

const struct ctl_backend xen_ctl_backend = {
	.name = "xen",
	.domu_console_io = false,       /* refused unless Xen is a debug build */
	.create = xen_create,
	.destroy = xen_destroy,
	.pause = xen_pause,
	.unpause = xen_unpause,
	.getinfo = xen_getinfo,
	.max_mem = xen_max_mem,
	.set_vcpu_context = xen_set_vcpu_context,
	.vcpu_up = NULL,                /* VGCF_online in the context */
	.evtchn_alloc = xen_evtchn_alloc,
	.hypercall_init = xen_hypercall_init,
	.sys_info = xen_sys_info,
};
