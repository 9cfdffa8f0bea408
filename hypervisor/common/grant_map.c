/*
 * Mapping granted frames (pv-abi.md §10): GNTTABOP_map_grant_ref,
 * unmap_grant_ref and unmap_and_replace, for PV host mappings.
 *
 * A mapping is recorded twice: in the grantee's maptrack (the handle it
 * gets back, saying what it mapped and where) and in the granter's active
 * entry (how many mappings pin the entry, by whom, of which frame), which
 * keeps GTF_reading/GTF_writing set in the shared entry for as long as a
 * mapping exists. The mapping holds a general reference on the frame, and
 * a FT_WRITABLE one if it is writable, so a granted frame can neither be
 * freed nor become a page table while mapped. The PTE itself is built and
 * placed by arch/x86/pv/grant_table.c; it carries _PAGE_GNTTAB: only these
 * ops may remove it (mm/page_types.c).
 *
 * Status values and the order of the checks follow Xen 4.17.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/grant_table.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <public/grant_table.h>
#include <asm/page.h>
#include <asm/pv.h>

#define MAP_KINDS (GNTMAP_host_map | GNTMAP_device_map)

/* ---- maptrack ------------------------------------------------------------ */

static struct maptrack *maptrack_entry(struct grant_table *gt, uint32_t handle)
{
	if (handle >= gt->maptrack_chunks * MAPTRACK_CHUNK)
		return NULL;
	return &gt->maptrack[handle / MAPTRACK_CHUNK][handle % MAPTRACK_CHUNK];
}

/*
 * The free handle the next mapping gets (the free list's first), growing
 * the table by a chunk when none is left; MAPTRACK_NONE if it cannot
 * grow. The handle stays free until maptrack_use() takes it.
 */
static uint32_t maptrack_free_handle(struct grant_table *gt)
{
	struct maptrack *chunk;
	uint32_t base;

	if (gt->maptrack_free != MAPTRACK_NONE)
		return gt->maptrack_free;
	if (gt->maptrack_chunks == MAPTRACK_MAX_CHUNKS)
		return MAPTRACK_NONE;
	chunk = xzalloc(MAPTRACK_CHUNK * sizeof(struct maptrack));
	if (!chunk)
		return MAPTRACK_NONE;
	/* Its handles join the list lowest first. */
	base = gt->maptrack_chunks * MAPTRACK_CHUNK;
	for (uint32_t i = 0; i < MAPTRACK_CHUNK; i++)
		chunk[i].next_free = i + 1 < MAPTRACK_CHUNK ? base + i + 1 : MAPTRACK_NONE;
	gt->maptrack[gt->maptrack_chunks++] = chunk;
	gt->maptrack_free = base;
	return base;
}

/* The handle maptrack_free_handle() gave is in use now. */
static struct maptrack *maptrack_use(struct grant_table *gt, uint32_t handle)
{
	struct maptrack *mt = maptrack_entry(gt, handle);

	gt->maptrack_free = mt->next_free;
	gt->maptrack_used++;
	return mt;
}

static void maptrack_put(struct grant_table *gt, uint32_t handle)
{
	struct maptrack *mt = maptrack_entry(gt, handle);

	mt->flags = 0;
	mt->next_free = gt->maptrack_free;
	gt->maptrack_free = handle;
	gt->maptrack_used--;
}

unsigned int grant_mappings_held(const struct domain *d)
{
	return d->grant_table->maptrack_used;
}

/* ---- map -------------------------------------------------------------------- */

static void map_one(struct gnttab_map_grant_ref *op)
{
	struct domain *ld = current->domain, *rd;
	bool readonly = op->flags & GNTMAP_readonly;
	struct maptrack *mt;
	struct frame *f;
	uint32_t handle;
	mfn_t frame;
	int16_t rc;

	if (!(op->flags & MAP_KINDS)) {
		op->status = GNTST_bad_gntref;
		return;
	}
	rd = domain_by_id(op->dom);
	if (!rd) {
		op->status = GNTST_bad_domain;
		return;
	}
	handle = maptrack_free_handle(ld->grant_table);
	if (handle == MAPTRACK_NONE) {
		op->status = GNTST_no_space;
		return;
	}
	/* The pin checks the entry and keeps it in use while the mapping exists. */
	rc = grant_pin(rd, op->ref, ld->id, GRANT_PIN_MAP | (readonly ? 0 : GRANT_PIN_WRITE), &frame);
	if (rc) {
		op->status = rc;
		return;
	}
	f = mfn_to_frame(frame);
	/* The mapping's references: the frame must be the granter's own. */
	rc = GNTST_bad_page;
	if (frame_get(f, rd))
		goto undo_pin;
	rc = GNTST_general_error;
	if (!readonly && frame_get_type(f, FT_WRITABLE))
		goto undo_ref;
	if ((op->flags & GNTMAP_host_map) && pv_create_grant_mapping(op->host_addr, frame, op->flags))
		goto undo_type;
	mt = maptrack_use(ld->grant_table, handle);
	mt->flags = op->flags & (MAP_KINDS | GNTMAP_readonly | GNTMAP_contains_pte);
	mt->ref = op->ref;
	mt->granter = rd->id;
	mt->host_addr = op->host_addr;
	op->handle = handle;
	op->dev_bus_addr = frame << PAGE_SHIFT;	/* no IOMMU: bus addresses are machine ones */
	op->status = GNTST_okay;
	return;

undo_type:
	if (!readonly)
		frame_put_type(f);
undo_ref:
	frame_put(f);
undo_pin:
	grant_unpin(rd, op->ref, !readonly);
	op->status = rc;
}

/* ---- unmap ------------------------------------------------------------------ */

/*
 * The handle's last mapping went: its references go, the granter's entry
 * is unpinned. The granter is touched before the frame reference drops,
 * since that may be the last thing keeping a dying granter alive.
 */
static void drop_handle(struct domain *ld, struct domain *rd, uint32_t handle)
{
	const struct maptrack *mt = maptrack_entry(ld->grant_table, handle);
	struct frame *f = mfn_to_frame(grant_active(rd, mt->ref)->frame);
	bool readonly = mt->flags & GNTMAP_readonly;

	grant_unpin(rd, mt->ref, !readonly);
	maptrack_put(ld->grant_table, handle);
	if (!readonly)
		frame_put_type(f);
	frame_put(f);
}

/*
 * Undo (part of) the mapping behind `handle`: the host mapping if host_addr
 * is given (replaced by new_addr's entry if that is given), the device one
 * if dev_bus_addr is. The handle goes when nothing of it is left.
 */
static int16_t unmap_one(uint32_t handle, uint64_t host_addr, uint64_t dev_bus_addr,
			 uint64_t new_addr)
{
	struct domain *ld = current->domain, *rd;
	struct maptrack *mt = maptrack_entry(ld->grant_table, handle);
	uint32_t done = 0;
	struct active_grant *act;

	if (!mt || !mt->flags)
		return GNTST_bad_handle;
	rd = domain_by_id(mt->granter);
	if (!rd || !(act = grant_active(rd, mt->ref)))
		return GNTST_bad_handle;
	if (dev_bus_addr && (mt->flags & GNTMAP_device_map) &&
	    dev_bus_addr != act->frame << PAGE_SHIFT)
		return GNTST_bad_dev_addr;
	if (host_addr && (mt->flags & GNTMAP_host_map)) {
		if (host_addr != mt->host_addr ||
		    pv_replace_grant_mapping(host_addr, act->frame, mt->flags, new_addr))
			return GNTST_general_error;
		done |= GNTMAP_host_map;
	}
	if (dev_bus_addr && (mt->flags & GNTMAP_device_map))
		done |= GNTMAP_device_map;
	if (!done)
		return GNTST_okay;
	mt->flags &= ~done;
	if (mt->flags & MAP_KINDS)
		return GNTST_okay;	/* the other kind of mapping remains */

	drop_handle(ld, rd, handle);
	return GNTST_okay;
}

/* A dying domain's mappings of others' grants (its page tables go separately). */
void grant_release_mappings(struct domain *d)
{
	struct grant_table *gt = d->grant_table;

	for (uint32_t h = 0; h < gt->maptrack_chunks * MAPTRACK_CHUNK; h++) {
		struct maptrack *mt = maptrack_entry(gt, h);
		struct domain *rd;

		if (mt->flags && (rd = domain_by_id(mt->granter)))
			drop_handle(d, rd, h);
	}
}

/* ---- batches ---------------------------------------------------------------- */

/*
 * Each batch returns how many of its `count` ops it did, fewer when it
 * was preempted (do_grant_table_op continues it), or -EFAULT.
 */
long grant_map_batch(uint64_t arg, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count && !grant_batch_preempt(i); i++) {
		uint64_t at = arg + (uint64_t)i * sizeof(struct gnttab_map_grant_ref);
		struct gnttab_map_grant_ref op;

		if (copy_from_guest(&op, at, sizeof(op)))
			return -EFAULT;
		map_one(&op);
		if (copy_to_guest(at, &op, sizeof(op)))
			return -EFAULT;
	}
	return i;
}

long grant_unmap_batch(uint64_t arg, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count && !grant_batch_preempt(i); i++) {
		uint64_t at = arg + (uint64_t)i * sizeof(struct gnttab_unmap_grant_ref);
		struct gnttab_unmap_grant_ref op;

		if (copy_from_guest(&op, at, sizeof(op)))
			return -EFAULT;
		op.status = unmap_one(op.handle, op.host_addr, op.dev_bus_addr, 0);
		if (copy_to_guest(at, &op, sizeof(op)))
			return -EFAULT;
	}
	return i;
}

/*
 * unmap_and_replace: the host mapping at host_addr is replaced by the
 * entry found at new_addr, which is cleared (Xen's way of unmapping
 * without leaving a hole). Linear addresses only.
 */
long grant_unmap_and_replace_batch(uint64_t arg, unsigned int count)
{
	unsigned int i;

	for (i = 0; i < count && !grant_batch_preempt(i); i++) {
		uint64_t at = arg + (uint64_t)i * sizeof(struct gnttab_unmap_and_replace);
		struct gnttab_unmap_and_replace op;

		if (copy_from_guest(&op, at, sizeof(op)))
			return -EFAULT;
		op.status = unmap_one(op.handle, op.host_addr, 0, op.new_addr);
		if (copy_to_guest(at, &op, sizeof(op)))
			return -EFAULT;
	}
	return i;
}
