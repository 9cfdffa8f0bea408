/*
 * Frame references and types: the bookkeeping behind the PV MMU's
 * isolation invariant (include/hv/page_types.h states it; pv-abi.md §8.1
 * and the essay atop Xen's mm.c describe the same model).
 *
 * Every frame a domain owns carries a general count (who holds it: the
 * owner's allocation, mappings, pins, hv) and a type with its own count.
 * Entry references are taken when a table becomes valid and when one of
 * its entries changes; they are dropped when the entry changes again or
 * the table's last type reference goes. There is no concurrency here:
 * hv runs one pCPU with interrupts off in hypercalls, so the counts are
 * plain integers and validation can recurse (at most four levels).
 *
 * Only the I/O-frame policy, the frame contents and the end of a frame's
 * life come from outside (see the hooks in page_types.h), so this file
 * runs unchanged in the host unit tests.
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/page_types.h>
#include <hv/panic.h>

#define MAX_COUNT 0x7fffffffu

/* Entry bits a guest may set: L1 (cache bits only with I/O rights), L2-L4. */
#define L1_ALLOWED (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY | \
		    _PAGE_GLOBAL | _PAGE_AVAIL | (_PAGE_AVAIL_HIGH & ~_PAGE_GNTTAB) | _PAGE_NX | \
		    PTE_ADDR_MASK)
#define LN_ALLOWED (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY | \
		    _PAGE_AVAIL | _PAGE_AVAIL_HIGH | _PAGE_NX | PTE_ADDR_MASK)
/* Bits an entry may change in place, without new references. */
#define L1_FAST_BITS (_PAGE_NX | _PAGE_AVAIL_HIGH | _PAGE_AVAIL | _PAGE_GLOBAL | _PAGE_DIRTY | \
		      _PAGE_ACCESSED | _PAGE_USER)
#define LN_FAST_BITS (L1_FAST_BITS | _PAGE_RW)

static bool validated_type(unsigned int type)
{
	return pt_level(type) || type == FT_SEG_DESC;
}

static bool is_hv_l4_slot(unsigned int idx)
{
	return idx >= HV_SLOT_FIRST && idx <= HV_SLOT_LAST;
}

int frame_get(struct frame *f, const struct domain *d)
{
	if (!f || !d || f->state != FRAME_ALLOCATED || f->owner != d || !f->refs ||
	    f->refs >= MAX_COUNT)
		return -EINVAL;
	f->refs++;
	return 0;
}

void frame_put(struct frame *f)
{
	BUG_ON(!f->refs);
	if (--f->refs == 0)
		frame_release(f);
}

/* ---- Entries ---------------------------------------------------------- */

static pte_t l1_allowed(const struct domain *d)
{
	/* Cache attributes are for domains that drive devices (Xen: I/O rights). */
	return L1_ALLOWED | (d->privileged ? _PAGE_CACHE_L1 : 0);
}

/*
 * The memory type an L1 entry selects through PAT (hv programs Xen's PAT:
 * WB, WT, UC-, UC, WC, WP, UC, UC). I/O frames must not be cacheable: an
 * entry asking for WB, WT or WP becomes UC, as on Xen.
 */
static pte_t io_cache_fixup(pte_t e)
{
	unsigned int idx = (e & _PAGE_PWT ? 1 : 0) | (e & _PAGE_PCD ? 2 : 0) | (e & _PAGE_PAT ? 4 : 0);

	switch (idx) {
	case 2: case 3: case 4: case 6: case 7:		/* UC-, UC, WC: already uncached */
		return e;
	default:
		return (e & ~_PAGE_CACHE_L1) | _PAGE_PCD | _PAGE_PWT;
	}
}

/*
 * The references of a present L1 entry: a general one on its frame, which
 * must be pg_owner's, and a FT_WRITABLE one if it is writable. I/O frames
 * hold none but need the rights of both the mapper and pg_owner. The entry
 * may be adjusted (cache bits of I/O frames).
 */
static int l1e_get(pte_t *pe, const struct domain *d, const struct domain *pg_owner)
{
	pte_t e = *pe;
	mfn_t mfn = pte_mfn(e);
	struct frame *f;

	if (e & ~l1_allowed(d))
		return -EINVAL;
	if (mfn_is_io(mfn)) {
		if (!io_frame_permitted(pg_owner, mfn) || !io_frame_permitted(d, mfn))
			return -EPERM;
		*pe = io_cache_fixup(e);
		return 0;
	}
	f = mfn_to_frame(mfn);
	if (frame_get(f, pg_owner))
		return -EBUSY;
	if ((e & _PAGE_RW) && frame_get_type(f, FT_WRITABLE)) {
		frame_put(f);
		return -EBUSY;
	}
	if ((e & _PAGE_CACHE_L1) && (f->flags & FRAME_HV_PAGE)) {
		if (e & _PAGE_RW)
			frame_put_type(f);
		frame_put(f);
		return -EACCES;
	}
	return 0;
}

static void l1e_put(pte_t e)
{
	mfn_t mfn = pte_mfn(e);
	struct frame *f;

	/* A grant mapping's references belong to the mapping (grant_map.c). */
	if (!(e & _PAGE_PRESENT) || (e & _PAGE_GNTTAB) || mfn_is_io(mfn))
		return;
	f = mfn_to_frame(mfn);
	tlb_note_stale();
	if (e & _PAGE_RW)
		frame_put_type(f);
	frame_put(f);
}

/* An L2/L3/L4 entry holds its frame as a table of the level below. */
static int lne_get(pte_t e, unsigned int level, const struct domain *d)
{
	if (e & ~LN_ALLOWED)
		return -EINVAL;
	return frame_get_and_type(pte_mfn(e), d, level - 1);
}

static void lne_put(pte_t e)
{
	if (!(e & _PAGE_PRESENT))
		return;
	tlb_note_stale();
	frame_put_and_type(mfn_to_frame(pte_mfn(e)));
}

/*
 * What hv stores for a guest's present entry, exactly as Xen does (guests
 * read it back): the guest kernel runs in ring 3, so every level gets U;
 * an L1 entry the guest left without U is the guest kernel's and is
 * tagged so (bit 52), any other becomes global, which saves the user's
 * TLB entries across kernel entries; an L4 entry is also marked accessed.
 */
static pte_t adjust_entry(pte_t e, unsigned int level)
{
	switch (level) {
	case 1:
		if (!(e & _PAGE_USER))
			e |= _PAGE_USER | PTE_GUEST_KERNEL;
		if (!(e & PTE_GUEST_KERNEL))
			e |= _PAGE_GLOBAL;
		return e;
	case 4:
		return e | _PAGE_USER | _PAGE_ACCESSED;
	default:
		return e | _PAGE_USER;
	}
}

static int entry_get(pte_t *pe, unsigned int level, const struct domain *d,
		     const struct domain *pg_owner)
{
	return level == 1 ? l1e_get(pe, d, pg_owner) : lne_get(*pe, level, d);
}

static void entry_put(pte_t e, unsigned int level)
{
	if (level == 1)
		l1e_put(e);
	else
		lne_put(e);
}

/* ---- Validation of whole frames --------------------------------------- */

static void devalidate_table(pte_t *t, unsigned int level, unsigned int upto)
{
	for (unsigned int i = 0; i < upto; i++)
		if (!(level == 4 && is_hv_l4_slot(i)))
			entry_put(t[i], level);
}

static int validate_table(struct frame *f, mfn_t mfn, unsigned int level)
{
	pte_t *t = frame_contents(mfn);

	for (unsigned int i = 0; i < PT_ENTRIES; i++) {
		int rc;

		if ((level == 4 && is_hv_l4_slot(i)) || !(t[i] & _PAGE_PRESENT))
			continue;
		rc = entry_get(&t[i], level, f->owner, f->owner);
		if (rc) {
			devalidate_table(t, level, i);
			return rc;
		}
		t[i] = adjust_entry(t[i], level);
	}
	/* An L4 always carries hv's own slots, whatever the guest left there. */
	if (level == 4)
		fill_hv_l4_slots(t, f->owner);
	return 0;
}

static int validate(struct frame *f)
{
	if (f->type == FT_SEG_DESC)
		return seg_desc_page_ok(frame_contents(frame_to_mfn(f)), f->owner) ? 0 : -EINVAL;
	return validate_table(f, frame_to_mfn(f), pt_level(f->type));
}

static void devalidate(struct frame *f)
{
	if (pt_level(f->type))
		devalidate_table(frame_contents(frame_to_mfn(f)), pt_level(f->type), PT_ENTRIES);
}

int frame_get_type(struct frame *f, unsigned int type)
{
	int rc;

	if (f->type_count) {
		/* A table still being validated cannot be referenced (a loop). */
		if (f->type != type || f->type_count >= MAX_COUNT ||
		    (validated_type(type) && !(f->flags & FRAME_VALIDATED)))
			return -EINVAL;
		f->type_count++;
		return 0;
	}
	if (f->type != type) {
		if ((f->flags & FRAME_HV_PAGE) && type != FT_WRITABLE)
			return -EINVAL;		/* hv's shared pages are data, never tables */
		/* The TLB must not remember the frame in its old role. */
		tlb_flush_if_stale();
		f->type = (uint8_t)type;
		f->flags &= (uint8_t)~FRAME_VALIDATED;
	}
	f->type_count = 1;
	if (validated_type(type) && !(f->flags & FRAME_VALIDATED)) {
		rc = validate(f);
		if (rc) {
			f->type_count = 0;
			return rc;
		}
		f->flags |= FRAME_VALIDATED;
	}
	return 0;
}

void frame_put_type(struct frame *f)
{
	BUG_ON(!f->type_count);
	if (--f->type_count)
		return;
	if (validated_type(f->type)) {
		f->flags &= (uint8_t)~FRAME_VALIDATED;
		devalidate(f);
		/* Paging-structure caches may still hold the table. */
		tlb_note_stale();
	}
}

int frame_get_and_type(mfn_t mfn, const struct domain *d, unsigned int type)
{
	struct frame *f = mfn_to_frame(mfn);
	int rc;

	if (frame_get(f, d))
		return -EINVAL;
	rc = frame_get_type(f, type);
	if (rc)
		frame_put(f);
	return rc;
}

void frame_put_and_type(struct frame *f)
{
	frame_put_type(f);
	frame_put(f);
}

/* ---- Updates, pins ---------------------------------------------------- */

int pt_update_entry(mfn_t table, unsigned int level, unsigned int idx, pte_t val,
		    struct domain *d, struct domain *pg_owner, bool preserve_ad)
{
	pte_t *t = frame_contents(table), old = t[idx];
	int rc;

	if (level == 4 && is_hv_l4_slot(idx))
		return -EINVAL;
	/* A grant mapping goes only through the grant ops that made it. */
	if (level == 1 && (old & _PAGE_PRESENT) && (old & _PAGE_GNTTAB))
		return -EINVAL;
	if (val & _PAGE_PRESENT) {
		if (val & ~(level == 1 ? l1_allowed(d) : LN_ALLOWED))
			return -EINVAL;
		val = adjust_entry(val, level);
		if (preserve_ad)
			val |= old & (_PAGE_ACCESSED | _PAGE_DIRTY);
		/* Same frame, only harmless bits differ: no references change. */
		if ((old & _PAGE_PRESENT) && pte_mfn(old) == pte_mfn(val) &&
		    !((old ^ val) & ~(level == 1 ? L1_FAST_BITS : LN_FAST_BITS))) {
			__atomic_store_n(&t[idx], val, __ATOMIC_RELEASE);
			return 0;
		}
		rc = entry_get(&val, level, d, pg_owner);
		if (rc)
			return rc;
	}
	__atomic_store_n(&t[idx], val, __ATOMIC_RELEASE);
	entry_put(old, level);
	return 0;
}

int frame_pin(mfn_t mfn, const struct domain *d, unsigned int level)
{
	struct frame *f = mfn_to_frame(mfn);
	int rc;

	if (frame_get(f, d))
		return -EINVAL;
	rc = frame_get_type(f, level);
	if (rc) {
		frame_put(f);
		return rc;
	}
	if (f->flags & FRAME_PINNED) {
		frame_put_and_type(f);
		return -EINVAL;
	}
	f->flags |= FRAME_PINNED;
	return 0;
}

int frame_unpin(mfn_t mfn, const struct domain *d)
{
	struct frame *f = mfn_to_frame(mfn);

	if (frame_get(f, d))
		return -EINVAL;
	if (!(f->flags & FRAME_PINNED)) {
		frame_put(f);
		return -EINVAL;
	}
	f->flags &= (uint8_t)~FRAME_PINNED;
	frame_put_and_type(f);		/* the pin's */
	frame_put(f);			/* ours */
	return 0;
}

/* ---- Grant mappings ---------------------------------------------------- */

static pte_t *validated_l1_slot(mfn_t l1, unsigned int idx)
{
	const struct frame *f = mfn_to_frame(l1);

	if (!f || f->type != FT_L1 || !f->type_count || !(f->flags & FRAME_VALIDATED) ||
	    idx >= PT_ENTRIES)
		return NULL;
	return (pte_t *)frame_contents(l1) + idx;
}

int pt_install_grant(mfn_t l1, unsigned int idx, pte_t val)
{
	pte_t *e = validated_l1_slot(l1, idx), old;

	if (!e)
		return -EINVAL;
	old = *e;
	if ((old & _PAGE_PRESENT) && (old & _PAGE_GNTTAB))
		return -EBUSY;
	__atomic_store_n(e, adjust_entry(val, 1) | _PAGE_GNTTAB, __ATOMIC_RELEASE);
	l1e_put(old);
	return 0;
}

/* The grant PTE at idx of l1, if it still maps `frame` as it was mapped. */
static pte_t *grant_slot(mfn_t l1, unsigned int idx, mfn_t frame, bool writable)
{
	pte_t *e = validated_l1_slot(l1, idx), old;

	if (!e)
		return NULL;
	old = *e;
	if (!(old & _PAGE_PRESENT) || !(old & _PAGE_GNTTAB) || pte_mfn(old) != frame ||
	    !(old & _PAGE_RW) != !writable)
		return NULL;
	return e;
}

int pt_remove_grant(mfn_t l1, unsigned int idx, mfn_t frame, bool writable)
{
	pte_t *e = grant_slot(l1, idx, frame, writable);

	if (!e)
		return -EINVAL;
	__atomic_store_n(e, 0, __ATOMIC_RELEASE);
	tlb_note_stale();
	return 0;
}

/*
 * Both slots are checked before either changes, so a refusal leaves both
 * as they were. The moved entry keeps its references: it stays in the
 * same domain's tables, only its place changes.
 */
int pt_replace_grant(mfn_t l1, unsigned int idx, mfn_t frame, bool writable, mfn_t from_l1,
		     unsigned int from_idx)
{
	pte_t *e = grant_slot(l1, idx, frame, writable), *from = validated_l1_slot(from_l1, from_idx);
	pte_t moved;

	if (!e || !from)
		return -EINVAL;
	moved = *from;
	/* A grant PTE's references are its grant's: only grant ops move it. */
	if ((moved & _PAGE_PRESENT) && (moved & _PAGE_GNTTAB))
		return -EINVAL;
	__atomic_store_n(from, 0, __ATOMIC_RELEASE);
	__atomic_store_n(e, moved, __ATOMIC_RELEASE);
	tlb_note_stale();
	return 0;
}
