/*
 * Domain lifecycle and frame ownership. Frames a domain owns are on its
 * page list with frame->owner = d, and their allocation holds one general
 * reference (FRAME_ASSIGNED); the frame returns to hv's allocator when its
 * last reference goes (frame_release). hv's pages a domain may map
 * (shared_info, grant-table frames) name it as owner too, marked
 * FRAME_HV_PAGE, but are neither on its list nor counted in tot_pages.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/grant_table.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/m2p.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <hv/panic.h>
#include <hv/power.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <public/sched.h>

#define MAX_DOMAINS 256

struct vcpu *current;
static struct domain *domains[MAX_DOMAINS];
static unsigned int nr_dying;		/* destroyed domains not yet freed */
/* DOMID_IO: the owner named when a privileged domain maps I/O memory. */
static struct domain dom_io_domain = { .id = DOMID_IO };
struct domain *const dom_io = &dom_io_domain;
/* DOMID_XEN: hv itself, which owns no page a guest may name. */
static struct domain dom_xen_domain = { .id = DOMID_XEN };
struct domain *const dom_xen = &dom_xen_domain;

static const char *const shutdown_names[] = {
	"poweroff", "reboot", "suspend", "crash", "watchdog", "soft_reset",
};

struct domain *domain_by_id(domid_t id)
{
	return id < MAX_DOMAINS ? domains[id] : NULL;
}

int domain_lookup_target(domid_t id, unsigned int flags, struct domain **out)
{
	struct domain *self = current->domain, *d;

	*out = NULL;
	if (id == DOMID_SELF || id == self->id) {
		*out = self;
		return 0;
	}
	/* As Xen: an unknown domain is -ESRCH before a foreign one is -EPERM. */
	d = domain_by_id(id);
	if (!d)
		return -ESRCH;
	if (!(flags & DOMAIN_LOOKUP_ANY_CALLER) && !self->privileged)
		return -EPERM;
	if (!(flags & DOMAIN_LOOKUP_DYING) && domain_is_dying(d))
		return -EINVAL;
	*out = d;
	return 0;
}

static struct vcpu *vcpu_create(struct domain *d, unsigned int id)
{
	struct vcpu *v = xzalloc(sizeof(*v));

	if (!v)
		return NULL;
	v->id = id;
	v->domain = d;
	v->vcpu_info = &d->shared_info->vcpu_info[id];
	v->kernel_mode = true;
	vcpu_init_time(v);
	return v;
}

struct domain *domain_create(domid_t id, const struct domain_config *cfg)
{
	unsigned int max_vcpus = cfg->max_vcpus, max_evtchns = cfg->max_evtchns;
	struct domain *d;
	struct frame *f;

	if (id >= MAX_DOMAINS || domains[id] || !max_vcpus || max_vcpus > MAX_VIRT_CPUS ||
	    cfg->max_grant_frames > GRANT_MAX_FRAMES)
		return NULL;
	d = xzalloc(sizeof(*d));
	if (!d)
		return NULL;
	d->id = id;
	d->privileged = cfg->privileged;
	d->initial = cfg->privileged && id == 0;
	d->max_pages = cfg->max_pages;
	d->max_vcpus = max_vcpus;
	d->shutdown_code = ~0u;
	d->weight = 256;
	list_init(&d->pages);

	/* shared_info: hv's page, which the guest may map (FT_SHARED). */
	d->shared_info_mfn = alloc_frames(0);
	if (d->shared_info_mfn == INVALID_MFN)
		goto fail;
	d->shared_info = mfn_to_virt(d->shared_info_mfn);
	memset(d->shared_info, 0, PAGE_SIZE);
	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++) {
		d->shared_info->vcpu_info[i].evtchn_upcall_mask = 1;
		time_fill_vcpu(&d->shared_info->vcpu_info[i].time);
	}
	time_fill_wallclock(d->shared_info);
	f = mfn_to_frame(d->shared_info_mfn);
	domain_share_hv_page(d, f);

	if (!max_evtchns)
		max_evtchns = d->initial ? 4096 : 1024;
	if (evtchn_domain_init(d, max_evtchns) ||
	    grant_table_init(d, cfg->max_grant_frames ? cfg->max_grant_frames : GRANT_MAX_FRAMES))
		goto fail;
	for (unsigned int i = 0; i < max_vcpus; i++) {
		d->vcpus[i] = vcpu_create(d, i);
		if (!d->vcpus[i])
			goto fail;
	}
	domains[id] = d;
	return d;

fail:
	for (unsigned int i = 0; i < max_vcpus; i++)
		xfree(d->vcpus[i]);
	if (d->shared_info)
		free_frames(d->shared_info_mfn, 0);
	xfree(d->evtchn);
	grant_table_free(d);
	xfree(d);
	return NULL;
}

domid_t domain_free_id(void)
{
	static domid_t last;

	for (unsigned int n = 0; n < MAX_DOMAINS - 1; n++) {
		domid_t id = (domid_t)(last % (MAX_DOMAINS - 1) + 1);	/* 1..MAX_DOMAINS-1 */

		last = id;
		if (!domains[id])
			return id;
	}
	return DOMID_INVALID;
}

domid_t domain_max_id(void)
{
	return MAX_DOMAINS - 1;
}

/*
 * Hand d the allocated block [mfn, mfn + 2^order), zeroed (the frames'
 * last owner's data must not show), as frames it owns one by one.
 */
void domain_assign_frames(struct domain *d, mfn_t mfn, unsigned int order)
{
	/* A TLB entry left from the frames' last user must not reach the new one. */
	tlb_flush_if_stale();
	split_frames(mfn, order);
	for (mfn_t i = 0; i < (1UL << order); i++) {
		struct frame *f = mfn_to_frame(mfn + i);

		memset(mfn_to_virt(mfn + i), 0, PAGE_SIZE);
		f->owner = d;
		f->type = FT_NONE;
		f->type_count = 0;
		f->flags = FRAME_ASSIGNED;
		f->refs = 1;
		list_add_tail(&f->list, &d->pages);
	}
	d->tot_pages += 1UL << order;
}

mfn_t domain_alloc_frames(struct domain *d, unsigned int order, mfn_t limit)
{
	mfn_t mfn;

	/* A dying domain only gives frames back: a new one would keep it alive. */
	if (d->state == DOMAIN_DYING || d->tot_pages + (1UL << order) > d->max_pages)
		return INVALID_MFN;
	mfn = limit ? alloc_frames_below(order, limit) : alloc_frames(order);
	if (mfn != INVALID_MFN)
		domain_assign_frames(d, mfn, order);
	return mfn;
}

mfn_t domain_alloc_frame(struct domain *d)
{
	return domain_alloc_frames(d, 0, 0);
}

void domain_share_hv_page(struct domain *d, struct frame *f)
{
	d->hv_pages++;
	f->owner = d;
	f->type = FT_NONE;
	f->type_count = 0;
	f->flags = FRAME_ASSIGNED | FRAME_HV_PAGE;
	f->refs = 1;
}

/* A frame's last reference went: hv takes it back (page_types.h). */
void frame_release(struct frame *f)
{
	struct domain *d = f->owner;
	mfn_t mfn = frame_to_mfn(f);

	BUG_ON(f->type_count || (f->flags & (FRAME_PINNED | FRAME_ASSIGNED)));
	if (d && !(f->flags & FRAME_HV_PAGE)) {
		list_del(&f->list);
		d->tot_pages--;
		m2p_set(mfn, INVALID_M2P_ENTRY);
	} else if (d) {
		d->hv_pages--;
	}
	f->owner = NULL;
	f->type = FT_NONE;
	f->flags = 0;
	tlb_flush_if_stale();
	free_frames(mfn, 0);
}

/* The owner lets go of a frame; it is freed once nothing else holds it. */
void domain_unassign_frame(struct frame *f)
{
	if (f->flags & FRAME_ASSIGNED) {
		f->flags &= (uint8_t)~FRAME_ASSIGNED;
		frame_put(f);
	}
}

bool domain_owns(const struct domain *d, mfn_t mfn)
{
	const struct frame *f = mfn_to_frame(mfn);

	return f && f->state == FRAME_ALLOCATED && f->owner == d && f->refs;
}

/* Take d's vCPUs off the CPU for good, their timers stopped. */
static void stop_vcpus(struct domain *d)
{
	for (unsigned int i = 0; i < d->max_vcpus; i++) {
		struct vcpu *v = d->vcpus[i];

		if (!v)
			continue;
		timer_stop(&v->singleshot_timer);
		timer_stop(&v->periodic_timer);
		sched_remove(v);
		if (v->runstate.state != RUNSTATE_offline)
			vcpu_runstate_change(v, RUNSTATE_offline);
	}
}

static void notify_dom0(void)
{
	if (domain_by_id(0))
		send_global_virq(domain_by_id(0), VIRQ_DOM_EXC);
}

/*
 * The current domain stopped itself (or was crashed). dom0 stopping stops
 * the machine, as on Xen. Another domain just stops running; dom0 hears
 * of it through VIRQ_DOM_EXC and destroys it when it likes.
 */
static void __noreturn stop_current(struct domain *d)
{
	if (!d->initial) {
		stop_vcpus(d);
		notify_dom0();
		schedule();
	}
	sched_report();
	switch (d->state == DOMAIN_CRASHED ? SHUTDOWN_crash : d->shutdown_reason) {
	case SHUTDOWN_poweroff:
		machine_power_off();
	case SHUTDOWN_reboot:
		machine_restart();
	default:
		pr_err("Domain %u crashed: stopping the machine.\n", d->id);
		machine_crash_stop();
	}
}

void domain_crash(struct domain *d, const char *why)
{
	pr_err("domain %u crashed: %s\n", d->id, why);
	d->state = DOMAIN_CRASHED;
	stop_current(d);
}

static void record_shutdown(struct domain *d, unsigned int reason)
{
	d->state = DOMAIN_SHUTDOWN;
	d->shutdown_reason = reason;
	pr_info("domain %u shut down: %s\n", d->id,
		reason < ARRAY_SIZE(shutdown_names) ? shutdown_names[reason] : "unknown");
}

void domain_shutdown(struct domain *d, unsigned int reason)
{
	record_shutdown(d, reason);
	stop_current(d);
}

void domain_shutdown_other(struct domain *d, unsigned int reason)
{
	if (d->state != DOMAIN_RUNNING)
		return;
	record_shutdown(d, reason);
	stop_vcpus(d);
	notify_dom0();
}

void domain_pause(struct domain *d)
{
	d->pause_count++;
}

void domain_unpause(struct domain *d)
{
	if (d->pause_count && !--d->pause_count)
		sched_poke();
}

/* ---- Destruction ------------------------------------------------------- */

/* What a vCPU holds: its page tables, descriptor tables, vcpu_info frame. */
static void release_vcpu(struct vcpu *v)
{
	arch_vcpu_release(v);
	if (v->vcpu_info_registered) {
		v->vcpu_info = &v->domain->shared_info->vcpu_info[v->id];
		v->vcpu_info_registered = false;
		frame_put_and_type(mfn_to_frame(v->vcpu_info_mfn));
	}
}

/*
 * Give back every frame. Unpinning drops the tables' type references from
 * the top down, so after the pins and the vCPUs' references no table holds
 * another; then each frame loses its allocation reference and is freed,
 * unless someone else (a grant mapping, dom0's foreign mapping) still
 * holds it: the domain lingers, dying, until those go too. The grant
 * table stays until then (grant_table_idle_frames): mappings of the
 * domain's grants still come and go, and unmapping one writes its entry.
 */
static void relinquish_memory(struct domain *d)
{
	struct list_head *p, *next;

	list_for_each(p, &d->pages) {
		struct frame *f = list_entry(p, struct frame, list);

		if (f->flags & FRAME_PINNED) {
			f->flags &= (uint8_t)~FRAME_PINNED;
			frame_put_and_type(f);
		}
	}
	/* Only the frame being let go can be freed here: the list stays walkable. */
	for (p = d->pages.next; p != &d->pages; p = next) {
		next = p->next;
		domain_unassign_frame(list_entry(p, struct frame, list));
	}
	domain_unassign_frame(mfn_to_frame(d->shared_info_mfn));
}

int domain_destroy(struct domain *d)
{
	if (d->initial || (current && d == current->domain))
		return -EINVAL;
	if (d->state == DOMAIN_DYING)
		return 0;
	stop_vcpus(d);
	d->state = DOMAIN_DYING;
	d->pause_count = 0;
	evtchn_domain_release(d);
	grant_release_mappings(d);
	for (unsigned int i = 0; i < d->max_vcpus; i++)
		if (d->vcpus[i])
			release_vcpu(d->vcpus[i]);
	relinquish_memory(d);
	nr_dying++;
	notify_dom0();
	domain_reap();
	return 0;
}

/*
 * Free destroyed domains whose last frame has gone: none of their own,
 * not shared_info, and of the grant table's only what the table alone
 * holds. Their ids become free.
 */
void domain_reap(void)
{
	if (!nr_dying)
		return;
	for (domid_t id = 1; id < MAX_DOMAINS; id++) {
		struct domain *d = domains[id];

		if (!d || d->state != DOMAIN_DYING || d->tot_pages ||
		    d->hv_pages != grant_table_idle_frames(d))
			continue;
		domains[id] = NULL;
		nr_dying--;
		for (unsigned int i = 0; i < d->max_vcpus; i++)
			xfree(d->vcpus[i]);
		xfree(d->evtchn);
		grant_table_free(d);
		BUG_ON(d->hv_pages);
		xfree(d);
	}
}

long do_vm_assist(unsigned int cmd, unsigned int type)
{
	struct domain *d = current->domain;

	/* Xen checks the type first, then the command. */
	if (type >= 64 || !(PV64_VALID_ASSISTS & (1UL << type)))
		return -EINVAL;
	switch (cmd) {
	case VMASST_CMD_enable:
		d->vm_assist |= 1UL << type;
		return 0;
	case VMASST_CMD_disable:
		d->vm_assist &= ~(1UL << type);
		return 0;
	default:
		return -ENOSYS;
	}
}
