/*
 * Grant tables v1 (pv-abi.md §10): how a domain lets another use one of
 * its frames. The table is hv-owned pages the granting domain maps and
 * fills (flags, grantee domid, frame); hv only reads it, and sets/clears
 * GTF_reading / GTF_writing while it uses a grant, with an atomic
 * compare-and-swap on the {flags, domid} word so a concurrent revocation
 * by the granter either wins cleanly or sees the grant in use.
 *
 * This part serves the table itself (setup_table, query_size,
 * get/set_version), the pin protocol every use of a grant goes through
 * (grant_pin/grant_unpin) and hv-mediated copies (copy); grant_map.c maps
 * granted frames into the grantee's page tables.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/grant_table.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <hv/sched.h>
#include <public/grant_table.h>

#define ENTRIES_PER_FRAME GRANT_ENTRIES_PER_FRAME

int grant_table_init(struct domain *d, unsigned int max_frames)
{
	d->grant_table = xzalloc(sizeof(*d->grant_table));
	if (!d->grant_table)
		return -ENOMEM;
	d->grant_table->max_frames = max_frames;
	d->grant_table->maptrack_free = MAPTRACK_NONE;
	return 0;
}

/*
 * The table lives as long as the domain, dying included, as on Xen:
 * others may still map or copy its grants while they map its frames, and
 * unmapping one clears its entry's flags. Its frames are hv's pages the
 * domain shares, each held by the table (its allocation reference) and
 * by whoever maps it. They count as idle when only the table holds them.
 */
unsigned int grant_table_idle_frames(const struct domain *d)
{
	const struct grant_table *gt = d->grant_table;
	unsigned int idle = 0;

	for (unsigned int i = 0; gt && i < gt->nr_frames; i++) {
		const struct frame *f = mfn_to_frame(gt->frames[i]);

		if ((f->flags & FRAME_ASSIGNED) && f->refs == 1)
			idle++;
	}
	return idle;
}

/* The domain is freed: so are the table's frames (idle by now) and the rest. */
void grant_table_free(struct domain *d)
{
	struct grant_table *gt = d->grant_table;

	if (!gt)
		return;
	for (unsigned int i = 0; i < gt->nr_frames; i++) {
		domain_unassign_frame(mfn_to_frame(gt->frames[i]));
		xfree(gt->active[i]);
	}
	for (unsigned int i = 0; i < gt->maptrack_chunks; i++)
		xfree(gt->maptrack[i]);
	xfree(gt);
	d->grant_table = NULL;
}

/* Grow d's table to n frames (hv's pages the domain may map). */
static int grow(struct domain *d, unsigned int n)
{
	struct grant_table *gt = d->grant_table;

	while (gt->nr_frames < n) {
		mfn_t mfn = alloc_frames(0);
		struct frame *f;

		if (mfn == INVALID_MFN)
			return -ENOMEM;
		gt->active[gt->nr_frames] = xzalloc(ENTRIES_PER_FRAME * sizeof(struct active_grant));
		if (!gt->active[gt->nr_frames]) {
			free_frames(mfn, 0);
			return -ENOMEM;
		}
		memset(mfn_to_virt(mfn), 0, PAGE_SIZE);
		f = mfn_to_frame(mfn);
		domain_share_hv_page(d, f);
		gt->frames[gt->nr_frames++] = mfn;
	}
	return 0;
}

struct grant_entry_v1 *grant_entry(struct domain *d, grant_ref_t ref)
{
	struct grant_table *gt = d->grant_table;

	if (ref >= gt->nr_frames * ENTRIES_PER_FRAME)
		return NULL;
	return (struct grant_entry_v1 *)mfn_to_virt(gt->frames[ref / ENTRIES_PER_FRAME]) +
	       ref % ENTRIES_PER_FRAME;
}

struct active_grant *grant_active(struct domain *d, grant_ref_t ref)
{
	struct grant_table *gt = d->grant_table;

	if (ref >= gt->nr_frames * ENTRIES_PER_FRAME)
		return NULL;
	return &gt->active[ref / ENTRIES_PER_FRAME][ref % ENTRIES_PER_FRAME];
}

/* A domain_lookup_target error as a grant status. */
int16_t grant_lookup_status(int rc)
{
	switch (rc) {
	case 0:
		return GNTST_okay;
	case -EPERM:
		return GNTST_permission_denied;
	default:
		return GNTST_bad_domain;	/* no such domain, or dying */
	}
}

static long query_size(uint64_t arg)
{
	struct gnttab_query_size q;
	struct domain *d;

	if (copy_from_guest(&q, arg, sizeof(q)))
		return -EFAULT;
	q.status = grant_lookup_status(domain_lookup_target(q.dom, DOMAIN_LOOKUP_DYING, &d));
	if (q.status == GNTST_okay) {
		q.nr_frames = d->grant_table->nr_frames;
		q.max_nr_frames = d->grant_table->max_frames;
	}
	return copy_to_guest(arg, &q, sizeof(q));
}

static long setup_table(uint64_t arg)
{
	struct gnttab_setup_table st;
	struct domain *d;

	if (copy_from_guest(&st, arg, sizeof(st)))
		return -EFAULT;
	if (!guest_range_ok(st.frame_list, (uint64_t)st.nr_frames * sizeof(uint64_t)))
		return -EFAULT;
	st.status = grant_lookup_status(domain_lookup_target(st.dom, DOMAIN_LOOKUP_DYING, &d));
	if (st.status == GNTST_okay && st.nr_frames > d->grant_table->max_frames)
		st.status = GNTST_general_error;
	if (st.status == GNTST_okay && grow(d, st.nr_frames))
		st.status = GNTST_general_error;
	for (unsigned int i = 0; st.status == GNTST_okay && i < st.nr_frames; i++) {
		uint64_t mfn = d->grant_table->frames[i];

		if (copy_to_guest(st.frame_list + i * sizeof(mfn), &mfn, sizeof(mfn)))
			st.status = GNTST_bad_virt_addr;
	}
	return copy_to_guest(arg, &st, sizeof(st));
}

/*
 * The pin protocol, one for copies and maps (Xen 4.17's _set_status_v1 and
 * its callers). The first pin checks the shared entry (permit_access, to
 * the grantee, and for a map no GTF_sub_page) and reads its frame, which
 * must be the granter's; every later pin, by the same grantee only, uses
 * that frame whatever the granter wrote since. GTF_reading is set for
 * any use, GTF_writing too for a writable one, and each stays set while a
 * pin needs it. The granter may change the entry under us, hence
 * compare-and-swap on its {flags, domid} word, five times at most.
 */
static int16_t mark_in_use(struct grant_entry_v1 *e, bool first, domid_t grantee,
			   unsigned int how)
{
	uint16_t type_mask = GTF_type_mask | ((how & GRANT_PIN_MAP) ? GTF_sub_page : 0);
	uint32_t *word = (uint32_t *)e;

	for (unsigned int tries = 0; tries < 5; tries++) {
		uint32_t old = __atomic_load_n(word, __ATOMIC_SEQ_CST), new = old | GTF_reading;
		uint16_t flags = (uint16_t)old;

		if (first && ((flags & type_mask) != GTF_permit_access ||
			      (domid_t)(old >> 16) != grantee))
			return GNTST_general_error;
		if (how & GRANT_PIN_WRITE) {
			if (flags & GTF_readonly)
				return GNTST_general_error;
			new |= GTF_writing;
		}
		if (__atomic_compare_exchange_n(word, &old, new, false, __ATOMIC_SEQ_CST,
						__ATOMIC_SEQ_CST))
			return GNTST_okay;
	}
	return GNTST_general_error;	/* the granter keeps changing it */
}

/* The flags no pin needs any more go. */
static void clear_unused(struct grant_entry_v1 *e, const struct active_grant *act)
{
	uint16_t clear = 0;

	if (!act->pins_rw)
		clear |= GTF_writing;
	if (!act->pins_ro && !act->pins_rw)
		clear |= GTF_reading;
	if (clear)
		__atomic_fetch_and(&e->flags, (uint16_t)~clear, __ATOMIC_SEQ_CST);
}

int16_t grant_pin(struct domain *rd, grant_ref_t ref, domid_t grantee, unsigned int how,
		  mfn_t *mfn)
{
	struct grant_entry_v1 *e = grant_entry(rd, ref);
	struct active_grant *act = grant_active(rd, ref);
	bool write = how & GRANT_PIN_WRITE;
	uint32_t pins;
	int16_t rc;

	if (!e)
		return GNTST_bad_gntref;
	/* One grantee per entry at a time; counts must not wrap. */
	pins = act->pins_ro + act->pins_rw;
	if (pins && (act->grantee != grantee || pins >= 0xffff))
		return GNTST_general_error;
	if (!pins || (write && !act->pins_rw)) {
		rc = mark_in_use(e, !pins, grantee, how);
		if (rc)
			return rc;
	}
	if (!pins) {
		mfn_t frame = __atomic_load_n(&e->frame, __ATOMIC_SEQ_CST);

		if (!domain_owns(rd, frame)) {
			clear_unused(e, act);
			return GNTST_bad_page;
		}
		act->frame = frame;
		act->grantee = grantee;
	}
	if (write)
		act->pins_rw++;
	else
		act->pins_ro++;
	*mfn = act->frame;
	return GNTST_okay;
}

void grant_unpin(struct domain *rd, grant_ref_t ref, bool write)
{
	struct active_grant *act = grant_active(rd, ref);

	if (write)
		act->pins_rw--;
	else
		act->pins_ro--;
	clear_unused(grant_entry(rd, ref), act);
}

/*
 * One side of a batch's copies. netback and blkback copy many pieces of the
 * same granted page in one batch, so a side stays acquired (grant flag set,
 * destination typed writable) while consecutive ops name the same grant or
 * frame, and is let go when the next op names another one or the batch ends.
 * Nothing else runs during the hypercall, so what was checked stays true.
 */
struct copy_buf {
	bool held, gref, write;
	domid_t domid;			/* as the op named it (DOMID_SELF or an id) */
	uint64_t key;			/* the grant ref, or the frame */
	struct domain *granter;
	mfn_t mfn;
};

static void copy_buf_release(struct copy_buf *b)
{
	if (!b->held)
		return;
	if (b->write)
		frame_put_and_type(mfn_to_frame(b->mfn));
	if (b->gref)
		grant_unpin(b->granter, (grant_ref_t)b->key, b->write);
	b->held = false;
}

/* Take the side `p` names: a grant of `domid`, or a frame the caller owns. */
static int16_t copy_buf_acquire(struct copy_buf *b, const struct gnttab_copy_ptr *p, bool gref)
{
	uint64_t key = gref ? p->u.ref : p->u.gmfn;
	int16_t status = GNTST_okay;

	if (b->held && b->gref == gref && b->domid == p->domid && b->key == key)
		return GNTST_okay;
	copy_buf_release(b);
	if (gref) {
		/* Anyone may use a grant made to it: the entry names the grantee. */
		if (domain_lookup_target(p->domid, DOMAIN_LOOKUP_ANY_CALLER | DOMAIN_LOOKUP_DYING,
					 &b->granter))
			return GNTST_bad_domain;
		status = grant_pin(b->granter, p->u.ref, current->domain->id,
				   b->write ? GRANT_PIN_WRITE : 0, &b->mfn);
		if (status != GNTST_okay)
			return status;
	} else {
		/* A frame side is one's own frame, named by DOMID_SELF alone (as Xen). */
		if (p->domid != DOMID_SELF)
			return GNTST_permission_denied;
		if (!domain_owns(current->domain, p->u.gmfn))
			return GNTST_bad_page;
		b->granter = current->domain;
		b->mfn = p->u.gmfn;
	}
	/* The destination must be able to take writes: never a page table. */
	if (b->write && frame_get_and_type(b->mfn, mfn_to_frame(b->mfn)->owner, FT_WRITABLE)) {
		if (gref)
			grant_unpin(b->granter, p->u.ref, true);
		return GNTST_general_error;
	}
	b->held = true;
	b->gref = gref;
	b->domid = p->domid;
	b->key = key;
	return GNTST_okay;
}

static int16_t do_one_copy(const struct gnttab_copy *c, struct copy_buf *src,
			   struct copy_buf *dst)
{
	int16_t status;

	if ((c->flags & ~(GNTCOPY_source_gref | GNTCOPY_dest_gref)) ||
	    (uint32_t)c->source.offset + c->len > PAGE_SIZE ||
	    (uint32_t)c->dest.offset + c->len > PAGE_SIZE)
		return GNTST_bad_copy_arg;
	status = copy_buf_acquire(src, &c->source, c->flags & GNTCOPY_source_gref);
	if (status == GNTST_okay)
		status = copy_buf_acquire(dst, &c->dest, c->flags & GNTCOPY_dest_gref);
	if (status != GNTST_okay)
		return status;
	/* Source and destination may be the same frame, overlapping. */
	memmove((char *)mfn_to_virt(dst->mfn) + c->dest.offset,
		(const char *)mfn_to_virt(src->mfn) + c->source.offset, c->len);
	return GNTST_okay;
}

bool grant_batch_preempt(unsigned int done)
{
	return done && !(done % GRANT_PREEMPT_EVERY) && hypercall_preempt_check();
}

/* How many of the `count` copies were done (fewer if preempted), or -EFAULT. */
static long copy_batch(uint64_t arg, unsigned int count)
{
	struct copy_buf src = { .write = false }, dst = { .write = true };
	unsigned int i;
	long rc = 0;

	for (i = 0; i < count && !rc && !grant_batch_preempt(i); i++) {
		uint64_t at = arg + (uint64_t)i * sizeof(struct gnttab_copy);
		struct gnttab_copy c;

		if (copy_from_guest(&c, at, sizeof(c))) {
			rc = -EFAULT;
			break;
		}
		c.status = do_one_copy(&c, &src, &dst);
		if (copy_to_guest(at + offsetof(struct gnttab_copy, status), &c.status,
				  sizeof(c.status)))
			rc = -EFAULT;
	}
	copy_buf_release(&src);
	copy_buf_release(&dst);
	return rc ? rc : i;
}

static long set_version(uint64_t arg)
{
	struct gnttab_set_version v;

	if (copy_from_guest(&v, arg, sizeof(v)))
		return -EFAULT;
	if (v.version != 1)
		return -EINVAL;		/* hv offers v1 only; Linux then stays on v1 */
	return 0;
}

static long get_version(uint64_t arg)
{
	struct gnttab_get_version g;
	struct domain *d;
	int rc;

	if (copy_from_guest(&g, arg, sizeof(g)))
		return -EFAULT;
	rc = domain_lookup_target(g.dom, DOMAIN_LOOKUP_DYING, &d);
	if (rc)
		return rc;
	g.version = 1;
	return copy_to_guest(arg, &g, sizeof(g));
}

/*
 * Batched ops take `count` entries, as many as the guest likes: a long
 * batch stops when preempted and continues as a new call on the rest
 * (the pointer moved past what was done, the count what is left), as
 * Xen's does; the two table queries take one each.
 */
long do_grant_table_op(unsigned int cmd, uint64_t arg, unsigned int count)
{
	size_t size;
	long done;

	/*
	 * The upper bits are Xen's continuation state, which none of the ops
	 * hv serves uses: never the guest's to set. A count Xen reads as
	 * negative is refused as there.
	 */
	if ((cmd >> 12) || (int)count < 0)
		return -EINVAL;
	switch (cmd) {
	case GNTTABOP_query_size:
		return count == 1 ? query_size(arg) : -EINVAL;
	case GNTTABOP_setup_table:
		return count == 1 ? setup_table(arg) : -EINVAL;
	case GNTTABOP_copy:
		size = sizeof(struct gnttab_copy);
		done = copy_batch(arg, count);
		break;
	case GNTTABOP_map_grant_ref:
		size = sizeof(struct gnttab_map_grant_ref);
		done = grant_map_batch(arg, count);
		break;
	case GNTTABOP_unmap_grant_ref:
		size = sizeof(struct gnttab_unmap_grant_ref);
		done = grant_unmap_batch(arg, count);
		break;
	case GNTTABOP_unmap_and_replace:
		size = sizeof(struct gnttab_unmap_and_replace);
		done = grant_unmap_and_replace_batch(arg, count);
		break;
	case GNTTABOP_set_version:
		return set_version(arg);
	case GNTTABOP_get_version:
		return get_version(arg);
	default:
		return -ENOSYS;		/* v2, transfers and swaps: never */
	}
	if (done < 0)
		return done;
	if ((unsigned long)done == count)
		return 0;
	return hypercall_continuation(__HYPERVISOR_grant_table_op, cmd, arg + (uint64_t)done * size,
				      count - (unsigned long)done, 0, 0);
}
