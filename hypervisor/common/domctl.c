/*
 * The control interface (public/hvctl.h): domctl (#36) and sysctl (#35),
 * for dom0 alone. A domain is created empty and paused; dom0 gives it
 * memory (memory_op on its behalf), builds it through foreign mappings
 * (mmu_update/mmuext_op naming it), sets vCPU 0's context, brings the
 * vCPU up and unpauses it. Destroying it releases everything at once;
 * the domain itself goes when the last of its frames does.
 *
 * Every argument is checked here, before it reaches the domain code.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/grant_table.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <public/hvctl.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define DEFAULT_DOMU_EVTCHNS 1024

static uint64_t domain_cpu_time(const struct domain *d)
{
	uint64_t ns = 0;

	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		const struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		ns += v->runstate.time[RUNSTATE_running];
		if (v->runstate.state == RUNSTATE_running)
			ns += system_time_ns() - v->runstate.state_entry_time;
	}
	return ns;
}

static uint16_t domain_state_of(const struct domain *d)
{
	bool all_blocked = true;

	switch (d->state) {
	case DOMAIN_SHUTDOWN:
		return HV_DOMSTATE_shutdown;
	case DOMAIN_CRASHED:
		return HV_DOMSTATE_crashed;
	case DOMAIN_DYING:
		return HV_DOMSTATE_dying;
	default:
		break;
	}
	if (d->pause_count)
		return HV_DOMSTATE_paused;
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i] && d->vcpus[i]->runstate.state != RUNSTATE_blocked &&
		    d->vcpus[i]->runstate.state != RUNSTATE_offline)
			all_blocked = false;
	return all_blocked ? HV_DOMSTATE_blocked : HV_DOMSTATE_running;
}

void domain_get_info(const struct domain *d, struct hv_domctl_info *info)
{
	memset(info, 0, sizeof(*info));
	info->domain = d->id;
	info->state = domain_state_of(d);
	info->shutdown_reason = d->shutdown_reason;
	info->flags = d->privileged ? 1 : 0;
	info->nr_vcpus = d->max_vcpus;
	info->tot_pages = d->tot_pages;
	info->max_pages = d->max_pages;
	info->shared_info_frame = d->shared_info_mfn;
	info->cpu_time_ns = domain_cpu_time(d);
	info->weight = d->weight;
	info->cap = d->cap;
	memcpy(info->handle, d->handle, sizeof(info->handle));
}

static long create(struct hv_domctl *op)
{
	struct hv_domctl_create *c = &op->u.create;
	domid_t id = op->domain ? op->domain : domain_free_id();
	struct domain *d;

	if (c->flags || !c->max_vcpus || c->max_vcpus > MAX_VIRT_CPUS ||
	    c->max_evtchns > EVTCHN_2L_NR_CHANNELS || c->max_grant_frames > GRANT_MAX_FRAMES ||
	    c->max_pages > (frames_total_count() + 1))
		return -EINVAL;
	if (id == DOMID_INVALID)
		return -ENOSPC;
	/* Ids hv's table cannot hold are as invalid as the reserved ones. */
	if (id > domain_max_id())
		return -EINVAL;
	if (domain_by_id(id))
		return -EEXIST;
	d = domain_create(id, &(struct domain_config){
		.max_vcpus = c->max_vcpus, .max_pages = c->max_pages,
		.max_evtchns = c->max_evtchns ? c->max_evtchns : DEFAULT_DOMU_EVTCHNS,
		.max_grant_frames = c->max_grant_frames });
	if (!d)
		return -ENOMEM;
	memcpy(d->handle, c->handle, sizeof(d->handle));
	/* Built by dom0 while paused: it runs when dom0 says so. */
	d->pause_count = 1;
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		d->vcpus[i]->blocked = true;
	op->domain = id;
	pr_info("domain %u: created by dom0 (%u vCPUs, up to %lu MiB)\n", id, c->max_vcpus,
		(c->max_pages << PAGE_SHIFT) >> 20);
	return 0;
}

static long set_vcpu_context(struct domain *d, const struct hv_domctl_vcpu_context *vc)
{
	struct vcpu_guest_context *c;
	struct vcpu *v;
	long rc;

	if (vc->vcpu >= d->max_vcpus || !(v = d->vcpus[vc->vcpu]))
		return -ENOENT;
	/* Only a vCPU that is not running takes a new state. */
	if (v->runstate.state != RUNSTATE_offline && !d->pause_count)
		return -EBUSY;
	c = xmalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	rc = copy_from_guest(c, vc->ctxt, sizeof(*c)) ? -EFAULT : arch_set_vcpu_context(v, c);
	xfree(c);
	if (!rc)
		v->initialised = true;
	return rc;
}

static long vcpu_up(struct domain *d, const struct hv_domctl_vcpu *vu)
{
	struct vcpu *v;

	if (vu->vcpu >= d->max_vcpus || !(v = d->vcpus[vu->vcpu]))
		return -ENOENT;
	if (!v->initialised)
		return -EINVAL;		/* no context yet */
	return vcpu_bring_up(v);
}

static long set_sched(struct domain *d, const struct hv_domctl_sched *s)
{
	if (!s->weight || s->weight > 65535 || s->cap > 100)
		return -EINVAL;
	d->weight = s->weight;
	d->cap = s->cap;
	return 0;
}

static long set_memory_map(struct domain *d, const struct hv_domctl_memory_map *m)
{
	struct xen_e820_entry e[DOMAIN_MAX_E820];

	if (!m->nr_entries || m->nr_entries > DOMAIN_MAX_E820)
		return -EINVAL;
	if (copy_from_guest(e, m->buffer, m->nr_entries * sizeof(e[0])))
		return -EFAULT;
	memcpy(d->e820, e, m->nr_entries * sizeof(e[0]));
	d->nr_e820 = m->nr_entries;
	return 0;
}

static long on_domain(struct hv_domctl *op, struct domain *d)
{
	switch (op->cmd) {
	case HV_DOMCTL_destroy:
		return domain_destroy(d);
	case HV_DOMCTL_pause:
		domain_pause(d);
		return 0;
	case HV_DOMCTL_unpause:
		domain_unpause(d);
		return 0;
	case HV_DOMCTL_shutdown:
		if (op->u.shutdown.reason > SHUTDOWN_MAX)
			return -EINVAL;
		domain_shutdown_other(d, op->u.shutdown.reason);
		return 0;
	case HV_DOMCTL_getinfo:
		domain_get_info(d, &op->u.info);
		return 0;
	case HV_DOMCTL_max_mem:
		/* A ceiling only: above the machine's memory is allowed, as on Xen. */
		if (op->u.max_mem.max_pages < d->tot_pages)
			return -EINVAL;
		d->max_pages = op->u.max_mem.max_pages;
		return 0;
	case HV_DOMCTL_sched_get:
		op->u.sched.weight = d->weight;
		op->u.sched.cap = d->cap;
		return 0;
	case HV_DOMCTL_sched_set:
		return set_sched(d, &op->u.sched);
	case HV_DOMCTL_set_vcpu_context:
		return set_vcpu_context(d, &op->u.vcpu_context);
	case HV_DOMCTL_vcpu_up:
		return vcpu_up(d, &op->u.vcpu);
	case HV_DOMCTL_ioport_permission:
	case HV_DOMCTL_iomem_permission:
	case HV_DOMCTL_irq_permission:
		return domain_set_io_permission(d, op->cmd, &op->u.range);
	case HV_DOMCTL_evtchn_alloc: {
		struct hv_domctl_evtchn *e = &op->u.evtchn;

		struct domain *remote;
		long rc = domain_lookup_target(e->remote_dom, DOMAIN_LOOKUP_DYING, &remote);

		return rc ? rc : evtchn_alloc_unbound_for(d, remote->id, &e->port);
	}
	case HV_DOMCTL_set_memory_map:
		return set_memory_map(d, &op->u.memory_map);
	default:
		return -ENOSYS;
	}
}

/* Commands that make no sense on dom0 itself (or on a domain being torn down). */
static bool refused_on(const struct hv_domctl *op, const struct domain *d)
{
	switch (op->cmd) {
	case HV_DOMCTL_getinfo:
	case HV_DOMCTL_sched_get:
	case HV_DOMCTL_sched_set:
	case HV_DOMCTL_max_mem:
		return false;
	case HV_DOMCTL_destroy:
		return d->initial;
	default:
		return d->initial || d->state == DOMAIN_DYING;
	}
}

long do_domctl(uint64_t arg)
{
	struct hv_domctl op;
	struct domain *d;
	long rc;

	if (!current->domain->privileged)
		return -EPERM;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.interface_version != HVCTL_INTERFACE_VERSION)
		return -EACCES;
	domain_reap();		/* a domain whose last frame went is gone for this call */
	if (op.cmd == HV_DOMCTL_create) {
		rc = create(&op);
	} else {
		/*
		 * As Xen: the domain first (-ESRCH), then the command (-ENOSYS).
		 * A dying one too: refused_on says what may be done to it.
		 */
		if (domain_lookup_target(op.domain, DOMAIN_LOOKUP_DYING, &d))
			return -ESRCH;
		if (op.cmd < HV_DOMCTL_destroy || op.cmd > HV_DOMCTL_set_memory_map)
			rc = -ENOSYS;
		else
			rc = refused_on(&op, d) ? -EINVAL : on_domain(&op, d);
	}
	domain_reap();
	if (!rc && copy_to_guest(arg, &op, sizeof(op)))
		return -EFAULT;
	return rc;
}

/* ---- sysctl ----------------------------------------------------------- */

static long domain_list(struct hv_sysctl_list *l)
{
	struct hv_domctl_info info;

	l->count = 0;
	for (uint32_t id = l->first_domain; id < DOMID_FIRST_RESERVED && l->count < l->max; id++) {
		struct domain *d = domain_by_id((domid_t)id);

		if (!d)
			continue;
		domain_get_info(d, &info);
		if (copy_to_guest(l->buffer + (uint64_t)l->count * sizeof(info), &info, sizeof(info)))
			return -EFAULT;
		l->count++;
	}
	return 0;
}

static void physinfo(struct hv_sysctl_physinfo *p)
{
	memset(p, 0, sizeof(*p));
	p->nr_cpus = 1;
	p->cpu_khz = (uint32_t)(tsc_khz());
	p->total_pages = frames_total_count();
	p->free_pages = frames_free_count();
	p->max_mfn = frames_max_mfn();
	for (uint32_t id = 0; id < DOMID_FIRST_RESERVED; id++) {
		struct domain *d = domain_by_id((domid_t)id);

		if (!d)
			continue;
		p->nr_domains++;
		p->evtchn_open += evtchn_open_count(d);
		p->grant_mappings += grant_mappings_held(d);
	}
	p->heap_bytes = heap_bytes_in_use();
	p->heap_cache_pages = heap_class_pages();
	p->active_timers = timers_active();
}

long do_sysctl(uint64_t arg)
{
	struct hv_sysctl op;
	long rc;

	if (!current->domain->privileged)
		return -EPERM;
	if (copy_from_guest(&op, arg, sizeof(op)))
		return -EFAULT;
	if (op.interface_version != HVCTL_INTERFACE_VERSION)
		return -EACCES;
	domain_reap();		/* the list and counts leave out what has gone */
	switch (op.cmd) {
	case HV_SYSCTL_domain_list:
		rc = domain_list(&op.u.list);
		break;
	case HV_SYSCTL_physinfo:
		physinfo(&op.u.physinfo);
		rc = 0;
		break;
	case HV_SYSCTL_readconsole:
		rc = console_read_ring(&op.u.console);
		break;
	default:
		rc = -ENOSYS;
		break;
	}
	if (!rc && copy_to_guest(arg, &op, sizeof(op)))
		return -EFAULT;
	return rc;
}
