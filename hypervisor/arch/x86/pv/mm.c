/*
 * The PV MMU, first part: update_va_mapping for page tables the builder
 * made. Page-table frames get their type (FT_L1..FT_L4) from the builder
 * and no hypercall can change a frame's type yet (pinning, mmu_update and
 * new base pointers come with the full PV MMU), so the invariants hold by
 * checking each new entry alone:
 *
 *   - the entry lives in an L1 of the calling domain, reached through its
 *     own current page tables, outside hv's range;
 *   - a present entry maps a frame the domain owns (or its shared_info),
 *     with only the flags a PV guest may use;
 *   - a page-table frame is never mapped writable; shared_info only WB.
 *
 * Reference counts arrive with the type changes that need them.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/m2p.h>
#include <hv/mm.h>
#include <public/xen.h>
#include <asm/page.h>
#include <asm/processor.h>

/* Flags a PV L1 entry may carry; cache bits need I/O privilege. */
#define L1_ALLOWED (_PAGE_PRESENT | _PAGE_RW | _PAGE_USER | _PAGE_ACCESSED | _PAGE_DIRTY | \
		    _PAGE_GLOBAL | _PAGE_NX | (7UL << 9) | (0x7ffUL << 52))
#define L1_CACHE_BITS (_PAGE_PWT | _PAGE_PCD | 0x80UL)	/* PWT, PCD, PAT */

static bool frame_is(const struct domain *d, mfn_t mfn, enum frame_type t)
{
	const struct frame *f = mfn_to_frame(mfn);

	return f && f->owner == d && f->type == t;
}

/* The L1 entry mapping va in d's kernel page tables, or NULL. */
static pte_t *find_l1e(const struct domain *d, mfn_t l4, uint64_t va)
{
	static const enum frame_type level[] = { FT_L4, FT_L3, FT_L2, FT_L1 };
	static const unsigned int shift[] = { L4_SHIFT, L3_SHIFT, L2_SHIFT, L1_SHIFT };
	mfn_t mfn = l4;

	for (unsigned int i = 0; i < 4; i++) {
		pte_t *table, e;

		if (!frame_is(d, mfn, level[i]))
			return NULL;
		table = mfn_to_virt(mfn);
		if (i == 3)
			return &table[pt_index(va, shift[i])];
		e = table[pt_index(va, shift[i])];
		if (!(e & _PAGE_PRESENT) || (e & _PAGE_PSE))
			return NULL;
		mfn = (e & PTE_ADDR_MASK) >> PAGE_SHIFT;
	}
	return NULL;
}

/* Is `val` an L1 entry domain d may install? */
static bool l1e_ok(const struct domain *d, pte_t val)
{
	const struct frame *f;
	mfn_t mfn;

	if (!(val & _PAGE_PRESENT))
		return true;
	if (val & ~(L1_ALLOWED | L1_CACHE_BITS | PTE_ADDR_MASK))
		return false;
	if ((val & L1_CACHE_BITS) && !d->privileged)
		return false;
	mfn = (val & PTE_ADDR_MASK) >> PAGE_SHIFT;
	f = mfn_to_frame(mfn);
	if (!f || f->owner != d || f->state != FRAME_ALLOCATED)
		return false;
	switch (f->type) {
	case FT_NONE:
		return true;
	case FT_SHARED:
		return !(val & L1_CACHE_BITS);
	default:
		return !(val & _PAGE_RW);	/* page tables and descriptors: read-only */
	}
}

long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags)
{
	struct vcpu *v = current;
	pte_t *l1e;

	if (!guest_range_ok(va, 1))
		return -EINVAL;
	l1e = find_l1e(v->domain, v->kernel_l4, va);
	if (!l1e)
		return -EINVAL;
	if (!l1e_ok(v->domain, val))
		return -EINVAL;
	if (val & _PAGE_PRESENT)
		val |= _PAGE_USER;		/* the guest kernel runs in ring 3 */
	__atomic_store_n(l1e, val, __ATOMIC_RELEASE);

	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
		write_cr3(read_cr3());
		break;
	case UVMF_INVLPG:
		invlpg((void *)va);
		break;
	default:
		break;
	}
	return 0;
}
