/*
 * PV host mappings of granted frames: where a mapping goes in the
 * grantee's page tables and the PTE it gets. common/grant_map.c keeps
 * the grant's books (maptrack, pins, the frame's references) and calls
 * these once it has checked the grant.
 *
 * host_addr is the machine address of an L1 entry with
 * GNTMAP_contains_pte, else a linear address in the current vCPU's
 * kernel page tables. The PTE carries _PAGE_GNTTAB and its references
 * are the grant's (mm/page_types.c).
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/page_types.h>
#include <public/grant_table.h>
#include <asm/page.h>
#include <asm/pv.h>

/* The L1 slot host_addr names. */
static bool host_slot(uint64_t host_addr, uint32_t flags, mfn_t *l1, unsigned int *idx)
{
	struct vcpu *v = current;

	if (flags & GNTMAP_contains_pte) {
		if (host_addr & 7)
			return false;
		*l1 = host_addr >> PAGE_SHIFT;
		*idx = (host_addr & (PAGE_SIZE - 1)) / 8;
		return domain_owns(v->domain, *l1);
	}
	return guest_kernel_l1e(v, host_addr, l1) && (*idx = pt_index(host_addr, L1_SHIFT), true);
}

static pte_t grant_pte(mfn_t frame, uint32_t flags)
{
	pte_t e = (frame << PAGE_SHIFT) | _PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_DIRTY | _PAGE_NX;

	if (!(flags & GNTMAP_readonly))
		e |= _PAGE_RW;
	/* The guest's avail bits (GNTMAP_guest_avail*) go to the PTE's bits 9-11. */
	return e | (((pte_t)(flags >> _GNTMAP_guest_avail0) & 7) << 9);
}

int pv_create_grant_mapping(uint64_t host_addr, mfn_t frame, uint32_t flags)
{
	unsigned int idx;
	mfn_t l1;

	if (!host_slot(host_addr, flags, &l1, &idx))
		return -EINVAL;
	return pt_install_grant(l1, idx, grant_pte(frame, flags));
}

/*
 * new_addr (unmap_and_replace, linear mappings only) is looked at only
 * here, when a host mapping really goes, so that an op which removes none
 * leaves it alone.
 */
int pv_replace_grant_mapping(uint64_t host_addr, mfn_t frame, uint32_t flags, uint64_t new_addr)
{
	bool writable = !(flags & GNTMAP_readonly);
	unsigned int idx;
	mfn_t l1, new_l1;

	if (!host_slot(host_addr, flags, &l1, &idx))
		return -EINVAL;
	if (!new_addr)
		return pt_remove_grant(l1, idx, frame, writable);
	if ((flags & GNTMAP_contains_pte) || !guest_kernel_l1e(current, new_addr, &new_l1))
		return -EINVAL;
	return pt_replace_grant(l1, idx, frame, writable, new_l1, pt_index(new_addr, L1_SHIFT));
}
