/*
 * The PV MMU's frame bookkeeping (mm/page_types.c): who may map a frame,
 * as what, and how many times. This is the isolation invariant of hv:
 *
 *   - every present page-table entry holds a general reference on the
 *     frame it names, which the entry's domain may reach (it owns it, or
 *     it is an I/O frame the domain may map);
 *   - a present writable L1 entry also holds a FT_WRITABLE type reference,
 *     an L2/L3/L4 entry a type reference of the level below, so a frame is
 *     never at once a page table (or descriptor page) and mapped writable;
 *   - a frame changes type only when no reference of its old type is
 *     left; taking the first reference of a table type validates every
 *     entry (taking their references), dropping the last releases them;
 *   - a frame goes back to the allocator only when its last general
 *     reference goes.
 *
 * Errors are Xen's: -EINVAL for a bad entry, a wrong type or a frame that
 * is not the table owner's; -EBUSY when an L1 entry's frame cannot be
 * taken (not the mapper's, or not writable); -EPERM for I/O memory the
 * domain has no right to; -EACCES for non-WB maps of hv's shared pages.
 */
#ifndef HV_PAGE_TYPES_H
#define HV_PAGE_TYPES_H

#include <hv/mm.h>
#include <hv/types.h>
#include <asm/page.h>

/* Xen's tag for a guest-kernel L1 entry (one of the guest-visible avail bits). */
#define PTE_GUEST_KERNEL (1UL << 52)

static inline mfn_t pte_mfn(pte_t e)
{
	return (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
}

/* General references: 0, or -EINVAL if the frame is not d's (or is full). */
int frame_get(struct frame *f, const struct domain *d);
void frame_put(struct frame *f);
/* Type references; the first of a table type validates the frame. */
int frame_get_type(struct frame *f, unsigned int type);
void frame_put_type(struct frame *f);
/* Both, on the frame mfn of domain d: 0 or an error with nothing taken. */
int frame_get_and_type(mfn_t mfn, const struct domain *d, unsigned int type);
void frame_put_and_type(struct frame *f);

/*
 * Replace entry `idx` of the validated table `table` (level 1-4, owned by
 * d) with `val`: validate, take the new entry's references, write, drop
 * the old one's. L1 targets must belong to pg_owner (normally d). With
 * preserve_ad the old entry's accessed/dirty bits are kept.
 */
int pt_update_entry(mfn_t table, unsigned int level, unsigned int idx, pte_t val,
		    struct domain *d, struct domain *pg_owner, bool preserve_ad);

/*
 * Grant mappings (common/grant_map.c): entries of validated L1s that carry
 * _PAGE_GNTTAB and whose references are the grant mapping's. Install one
 * (the old entry's references are dropped); remove one, checking it still
 * maps `frame` as mapped; or replace one with the ordinary entry at
 * from_idx of the validated L1 from_l1, which moves with its references
 * and leaves its slot empty (unmap_and_replace). Nothing changes on error.
 */
int pt_install_grant(mfn_t l1, unsigned int idx, pte_t val);
int pt_remove_grant(mfn_t l1, unsigned int idx, mfn_t frame, bool writable);
int pt_replace_grant(mfn_t l1, unsigned int idx, mfn_t frame, bool writable, mfn_t from_l1,
		     unsigned int from_idx);

/* Pin a validated table of `level` (MMUEXT_PIN_Ln_TABLE) / unpin it. */
int frame_pin(mfn_t mfn, const struct domain *d, unsigned int level);
int frame_unpin(mfn_t mfn, const struct domain *d);

/* The table level of type t (FT_L1..FT_L4), 0 for other types. */
static inline unsigned int pt_level(unsigned int t)
{
	return t >= FT_L1 && t <= FT_L4 ? t : 0;
}

/*
 * What the bookkeeping needs from the rest of hv (the unit tests provide
 * their own): the frame's contents, whether an MFN is I/O memory and who
 * may map it, hv's own L4 slots, the end of a frame's life, TLB flushes,
 * and the check of a descriptor page.
 */
void *frame_contents(mfn_t mfn);
bool mfn_is_io(mfn_t mfn);
bool io_frame_permitted(const struct domain *d, mfn_t mfn);
void fill_hv_l4_slots(pte_t *l4, const struct domain *owner);
void frame_release(struct frame *f);
/* A mapping went away: the TLB may hold it until the next flush. */
void tlb_note_stale(void);
/* Flush if a mapping went away since the last flush. */
void tlb_flush_if_stale(void);
/* Validate (and fix up) the 512 descriptors of a frame becoming FT_SEG_DESC. */
bool seg_desc_page_ok(uint64_t *descs, const struct domain *d);

#endif
