/*
 * Changing a domain's memory (memory_op, pv-abi.md §12.1):
 * increase_reservation and populate_physmap give it frames, the second
 * also recording their PFNs in the M2P; decrease_reservation takes frames
 * back (ballooning, Linux's E820 holes); exchange trades frames for ones
 * with other properties, e.g. machine-contiguous below 4 GiB (swiotlb).
 *
 * As on Xen the reservation ops return how many extents were done and
 * stop at the first that cannot be; a long list is continued in slices,
 * the extent to resume at riding in the command's upper bits. A frame
 * given back is freed once nothing maps it any more (mm/page_types.c), so
 * a domain cannot free memory still in use as its own page table.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/m2p.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <hv/panic.h>
#include <hv/sched.h>
#include <public/memory.h>

/* Largest extent a domain may ask for: 2 MiB, 1 GiB for dom0 (Xen's defaults). */
static unsigned int max_order(const struct domain *d)
{
	return d->privileged ? 18 : 9;
}

/* The MFN every frame must lie below for address_bits (0: anywhere). */
static mfn_t bits_limit(uint32_t mem_flags)
{
	unsigned int bits = XENMEMF_get_address_bits(mem_flags);

	if (!bits || bits >= 52)
		return 0;
	return bits <= PAGE_SHIFT ? 1 : 1UL << (bits - PAGE_SHIFT);
}

/*
 * One frame back from d (Xen's guest_remove_page). It stays allocated,
 * counted and mapped (a pin, a mapping) until its last reference goes.
 */
static int remove_frame(struct domain *d, mfn_t mfn)
{
	struct frame *f = mfn_to_frame(mfn);

	if (frame_get(f, d))
		return -EINVAL;
	if ((f->flags & FRAME_HV_PAGE) || !(f->flags & FRAME_ASSIGNED)) {
		frame_put(f);
		return -EINVAL;
	}
	domain_unassign_frame(f);
	frame_put(f);
	return 0;
}

static bool one_extent(unsigned int op, struct domain *d, const struct xen_memory_reservation *r,
		       uint64_t i)
{
	uint64_t slot = r->extent_start + i * sizeof(xen_pfn_t);
	unsigned int n = 1u << r->extent_order;
	xen_pfn_t x = 0;
	mfn_t mfn;

	if (op != XENMEM_increase_reservation && copy_from_guest(&x, slot, sizeof(x)))
		return false;
	if (op == XENMEM_decrease_reservation) {
		for (unsigned int j = 0; j < n; j++)
			if (remove_frame(d, x + j))
				return false;
		return true;
	}
	mfn = domain_alloc_frames(d, r->extent_order, bits_limit(r->mem_flags));
	if (mfn == INVALID_MFN)
		return false;
	if (op == XENMEM_populate_physmap)
		for (unsigned int j = 0; j < n; j++)
			m2p_set(mfn + j, x + j);
	/* PV guests learn the frames they got; a NULL list is allowed for increase. */
	if (r->extent_start && copy_to_guest(slot, &mfn, sizeof(mfn)))
		return false;
	return true;
}

long memory_reservation_op(unsigned int op, uint64_t start, uint64_t arg)
{
	struct xen_memory_reservation r;
	struct domain *d;
	uint64_t i;

	/* As on Xen, these ops never fail as a whole: they say how far they got. */
	if (copy_from_guest(&r, arg, sizeof(r)))
		return (long)start;
	if (start >= r.nr_extents || r.nr_extents > (~0U >> MEMOP_EXTENT_SHIFT))
		return (long)start;
	if ((r.extent_start || op != XENMEM_increase_reservation) &&
	    !guest_range_ok(r.extent_start, r.nr_extents * sizeof(xen_pfn_t)))
		return (long)start;
	/* Not a dying domain (as in Xen: its memory only goes). */
	if (domain_lookup_target(r.domid, 0, &d) || r.extent_order > max_order(current->domain))
		return (long)start;
	for (i = start; i < r.nr_extents; i++) {
		if (i > start && hypercall_preempt_check())
			return hypercall_continuation(__HYPERVISOR_memory_op,
						      op | (i << MEMOP_EXTENT_SHIFT), arg, 0, 0, 0);
		if (!one_extent(op, d, &r, i))
			break;
	}
	return (long)i;
}

/* ---- exchange ------------------------------------------------------------ */

/* Frames an exchange may take: the owner's alone, unmapped, of no type. */
static bool exchangeable(const struct domain *d, mfn_t mfn)
{
	const struct frame *f = mfn_to_frame(mfn);

	return f && f->state == FRAME_ALLOCATED && f->owner == d && f->refs == 1 &&
	       f->flags == FRAME_ASSIGNED && !f->type_count;
}

/*
 * One chunk: take every input frame, get the output frames, and only
 * then trade, so a failure leaves the domain as it was. The guest's list
 * is read once, into `in`. Each input frame holds a reference of ours
 * from its check to its removal: a frame named twice (or by overlapping
 * extents) fails its second check, since it is no longer referenced by
 * its allocation alone, and nothing can change a checked frame before it
 * goes. So exactly as many frames leave the domain as the chunk gives it.
 */
static long exchange_chunk(struct domain *d, struct xen_memory_exchange *x, uint64_t in_first,
			   uint64_t in_count, mfn_t *in, mfn_t *out)
{
	uint64_t out_first = (in_first << x->in.extent_order) >> x->out.extent_order;
	uint64_t out_count = (in_count << x->in.extent_order) >> x->out.extent_order, k;
	unsigned int in_n = 1u << x->in.extent_order, out_n = 1u << x->out.extent_order;
	uint64_t taken = 0, before;
	xen_pfn_t mfn, gpfn;
	long rc;

	for (uint64_t i = 0; i < in_count; i++) {
		rc = -EFAULT;
		if (copy_from_guest(&mfn, x->in.extent_start + (in_first + i) * sizeof(mfn),
				    sizeof(mfn)))
			goto undo;
		in[i] = mfn;
		rc = -EINVAL;
		for (unsigned int j = 0; j < in_n; j++, taken++)
			if (!exchangeable(d, mfn + j) || frame_get(mfn_to_frame(mfn + j), d))
				goto undo;
	}
	for (k = 0; k < out_count; k++) {
		mfn_t limit = bits_limit(x->out.mem_flags);

		out[k] = limit ? alloc_frames_below(x->out.extent_order, limit) :
				 alloc_frames(x->out.extent_order);
		if (out[k] == INVALID_MFN)
			break;
	}
	if (k < out_count) {
		while (k--)
			free_frames(out[k], x->out.extent_order);
		rc = -ENOMEM;
		goto undo;
	}
	/* Each input frame goes back to hv as our reference drops. */
	before = d->tot_pages;
	for (uint64_t i = 0; i < in_count; i++)
		for (unsigned int j = 0; j < in_n; j++) {
			BUG_ON(remove_frame(d, in[i] + j));
			frame_put(mfn_to_frame(in[i] + j));
		}
	BUG_ON(d->tot_pages != before - taken);
	for (k = 0; k < out_count; k++) {
		uint64_t slot = x->out.extent_start + (out_first + k) * sizeof(mfn);

		domain_assign_frames(d, out[k], x->out.extent_order);
		/* The list was readable above; a guest racing itself only hurts itself. */
		if (copy_from_guest(&gpfn, slot, sizeof(gpfn)))
			gpfn = INVALID_M2P_ENTRY;
		for (unsigned int j = 0; j < out_n; j++)
			m2p_set(out[k] + j, gpfn + j);
		(void)copy_to_guest(slot, &out[k], sizeof(out[k]));
	}
	return 0;

undo:
	while (taken--)
		frame_put(mfn_to_frame(in[taken / in_n] + taken % in_n));
	return rc;
}

/* An exchange refused before any work: nr_exchanged still goes back. */
static long exchange_fail(uint64_t arg, const struct xen_memory_exchange *x, long rc)
{
	if (copy_to_guest(arg + offsetof(struct xen_memory_exchange, nr_exchanged),
			  &x->nr_exchanged, sizeof(x->nr_exchanged)))
		return -EFAULT;
	return rc;
}

long memory_exchange(uint64_t arg)
{
	struct xen_memory_exchange x;
	struct domain *d;
	uint64_t chunk, pages;
	mfn_t *in, *out;
	long rc = 0;

	if (copy_from_guest(&x, arg, sizeof(x)))
		return -EFAULT;
	/* The checks in Xen's order, so each mistake gets Xen's errno. */
	if (MAX(x.in.extent_order, x.out.extent_order) > max_order(current->domain))
		return exchange_fail(arg, &x, -EPERM);
	if (x.nr_exchanged > x.in.nr_extents || x.in.domid != x.out.domid ||
	    (~0UL >> x.in.extent_order) < x.in.nr_extents ||
	    (~0UL >> x.out.extent_order) < x.out.nr_extents ||
	    (x.in.nr_extents << x.in.extent_order) != (x.out.nr_extents << x.out.extent_order))
		return exchange_fail(arg, &x, -EINVAL);
	if (x.nr_exchanged == x.in.nr_extents)
		return 0;
	if (!guest_range_ok(x.in.extent_start, x.in.nr_extents * sizeof(xen_pfn_t)) ||
	    !guest_range_ok(x.out.extent_start, x.out.nr_extents * sizeof(xen_pfn_t)))
		return exchange_fail(arg, &x, -EFAULT);
	/* A dying domain's frames only go: -EINVAL, Xen's assign_pages error for it. */
	rc = domain_lookup_target(x.in.domid, 0, &d);
	if (rc)
		return exchange_fail(arg, &x, rc);
	/* Work in chunks of the larger extent: both sides end on a whole extent. */
	pages = 1UL << MAX(x.in.extent_order, x.out.extent_order);
	chunk = pages >> x.in.extent_order;
	if (x.nr_exchanged % chunk)
		return -EINVAL;
	in = xmalloc(chunk * sizeof(*in));
	out = xmalloc((pages >> x.out.extent_order) * sizeof(*out));
	if (!in || !out) {
		xfree(in);
		xfree(out);
		return -ENOMEM;
	}
	while (x.nr_exchanged < x.in.nr_extents) {
		if (hypercall_preempt_check()) {
			xfree(in);
			xfree(out);
			rc = copy_to_guest(arg, &x, sizeof(x));
			return rc ? rc : hypercall_continuation(__HYPERVISOR_memory_op, XENMEM_exchange,
								arg, 0, 0, 0);
		}
		rc = exchange_chunk(d, &x, x.nr_exchanged, chunk, in, out);
		if (rc)
			break;
		x.nr_exchanged += chunk;
	}
	xfree(in);
	xfree(out);
	if (copy_to_guest(arg + offsetof(struct xen_memory_exchange, nr_exchanged),
			  &x.nr_exchanged, sizeof(x.nr_exchanged)))
		return -EFAULT;
	return rc;
}
