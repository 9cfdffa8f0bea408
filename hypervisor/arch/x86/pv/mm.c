/*
 * The PV MMU hypercalls (pv-abi.md §8): mmu_update, update_va_mapping and
 * mmuext_op. Guests build their own page tables; every change goes through
 * mm/page_types.c, which checks the new entry and keeps the references
 * that make the isolation invariant hold. This file decodes the requests,
 * finds the tables, picks the domains involved and does the TLB upkeep.
 *
 * Errors follow Xen 4.17 case by case (the guest-pv suite checks them on
 * both): a batch stops at the first failing request, whose error is the
 * result, and `done` reports how many went through.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/m2p.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <hv/sched.h>
#include <public/hvctl.h>
#include <public/xen.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>

/*
 * The device pages hv keeps for itself: the local APIC and the I/O APIC
 * (Xen withholds the same from dom0; Linux reaches the I/O APIC through
 * PHYSDEVOP_apic_read/write).
 */
static bool hv_device_frame(mfn_t mfn)
{
	return mfn == 0xfee00 || mfn == 0xfec00;
}

/* I/O memory: dom0 may map all of it but hv's own devices; others what dom0 gave them. */
bool io_frame_permitted(const struct domain *d, mfn_t mfn)
{
	if (d == dom_io)
		d = current->domain;	/* DOMID_IO maps with the caller's rights */
	if (hv_device_frame(mfn))
		return false;
	return d->privileged || domain_io_allowed(d, HV_DOMCTL_iomem_permission, mfn, 1);
}

/*
 * The domain whose frames a batch maps (foreigndom's low half): the
 * caller, DOMID_IO, or another domain for a privileged caller (checked by
 * the callers, where Xen checks it). As on Xen, a domain naming itself by
 * number is -ESRCH (only DOMID_SELF is self), and a dying domain's frames
 * may still be mapped while they last: that makes no frame live longer
 * than its mapping.
 */
static long pg_owner_of(unsigned int foreigndom, struct domain **out)
{
	domid_t id = (domid_t)foreigndom;

	if (id != DOMID_SELF && id == current->domain->id)
		return -ESRCH;
	if (id == DOMID_IO || id == DOMID_XEN) {
		*out = id == DOMID_IO ? dom_io : dom_xen;
		return 0;
	}
	return domain_lookup_target(id, DOMAIN_LOOKUP_ANY_CALLER | DOMAIN_LOOKUP_DYING, out);
}

/* The L1 frame and slot mapping va in the address space rooted at l4. */
static bool find_l1(mfn_t l4, uint64_t va, mfn_t *l1, unsigned int *idx)
{
	static const unsigned int shift[] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };
	mfn_t mfn = l4;

	for (unsigned int i = 0; i < 3; i++) {
		pte_t e = ((pte_t *)frame_contents(mfn))[pt_index(va, shift[i])];

		/* Validated tables: a present entry names a validated table. */
		if (!(e & _PAGE_PRESENT))
			return false;
		mfn = pte_mfn(e);
	}
	*l1 = mfn;
	*idx = pt_index(va, L1_SHIFT);
	return true;
}

pte_t *guest_kernel_l1e(const struct vcpu *v, uint64_t va, mfn_t *l1)
{
	unsigned int idx;
	mfn_t mfn;

	if (!guest_range_ok(va, 1) || !is_canonical(va) || !find_l1(v->kernel_l4, va, &mfn, &idx))
		return NULL;
	if (l1)
		*l1 = mfn;
	return (pte_t *)frame_contents(mfn) + idx;
}

/*
 * A guest's vCPU bitmap (TLB_FLUSH_MULTI & co.): hv has one pCPU, which
 * every flush already covers, but the bitmap must be readable as on Xen.
 */
static bool vcpumask_readable(uint64_t mask)
{
	unsigned int words = (current->domain->max_vcpus + 63) / 64;
	uint64_t w;

	for (unsigned int i = 0; i < words; i++)
		if (copy_from_guest(&w, mask + i * sizeof(w), sizeof(w)))
			return false;
	return true;
}

long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags)
{
	struct vcpu *v = current;
	unsigned int idx;
	mfn_t l1;
	long rc;

	if (!guest_range_ok(va, 1) || !is_canonical(va) || !find_l1(v->kernel_l4, va, &l1, &idx))
		return -EINVAL;
	rc = pt_update_entry(l1, 1, idx, val, v->domain, v->domain, false);
	if (rc)
		return rc;
	switch (flags & UVMF_FLUSHTYPE_MASK) {
	case UVMF_TLB_FLUSH:
		flush_tlb_local();
		break;
	case UVMF_INVLPG:
		invlpg((void *)va);
		break;
	default:
		break;
	}
	/* Beyond LOCAL and ALL, the flags hold a vCPU bitmap's address. */
	flags &= ~UVMF_FLUSHTYPE_MASK;
	if (flags != UVMF_LOCAL && flags != UVMF_ALL && !vcpumask_readable(flags))
		return -EFAULT;
	return 0;
}

/* ---- mmu_update ------------------------------------------------------- */

/* MMU_NORMAL_PT_UPDATE and its variants: one entry of pt_owner's frame. */
static long normal_update(const struct mmu_update *req, struct domain *pt_owner,
			  struct domain *pg_owner, bool *flush)
{
	mfn_t mfn = req->ptr >> PAGE_SHIFT;
	unsigned int idx = (req->ptr & (PAGE_SIZE - 1)) >> 3;
	bool preserve_ad = (req->ptr & 7) == MMU_PT_UPDATE_PRESERVE_AD;
	struct frame *f = mfn_to_frame(mfn);
	unsigned int level;
	long rc = -EINVAL;

	if (frame_get(f, pt_owner))
		return -EINVAL;
	level = f->type_count ? pt_level(f->type) : 0;
	if (level) {
		/* Only leaf entries may name another domain's frames. */
		if (level == 1 || pg_owner == pt_owner)
			rc = pt_update_entry(mfn, level, idx, req->val, pt_owner, pg_owner,
					     preserve_ad);
		if (!rc && level > 1)
			*flush = true;
	} else if (!(f->type_count && f->type == FT_SEG_DESC) && !frame_get_type(f, FT_WRITABLE)) {
		/* Not a table: a plain write into an ordinary frame. */
		((uint64_t *)frame_contents(mfn))[idx] = req->val;
		frame_put_type(f);
		rc = 0;
	}
	frame_put(f);
	return rc;
}

/* MMU_MACHPHYS_UPDATE: record the PFN of one of pg_owner's frames. */
static long machphys_update(const struct mmu_update *req, struct domain *pt_owner,
			    struct domain *pg_owner)
{
	mfn_t mfn = req->ptr >> PAGE_SHIFT;
	struct frame *f = mfn_to_frame(mfn);

	if (pt_owner != current->domain)
		return -EPERM;
	if (frame_get(f, pg_owner))
		return -EINVAL;
	m2p_set(mfn, req->val);
	frame_put(f);
	return 0;
}

long do_mmu_update(uint64_t reqs, unsigned int count, uint64_t pdone, unsigned int foreigndom)
{
	struct domain *d = current->domain, *pt_owner = d, *pg_owner = NULL;
	unsigned int i = 0, done = 0, pt_dom = foreigndom >> 16;
	bool flush = false;
	long rc;

	if (count & MMU_UPDATE_PREEMPTED) {
		count &= ~MMU_UPDATE_PREEMPTED;
		if (pdone)
			(void)copy_from_guest(&done, pdone, sizeof(done));
	}
	if (!guest_range_ok(reqs, (uint64_t)count * sizeof(struct mmu_update)))
		return -EFAULT;
	/*
	 * foreigndom's high half: 1 + the domain whose tables are updated. A bad
	 * domain still reports 0 done, as on Xen.
	 */
	rc = 0;
	if (pt_dom && !(pt_owner = domain_by_id((domid_t)(pt_dom - 1))))
		rc = -ESRCH;
	if (!rc)
		rc = pg_owner_of(foreigndom, &pg_owner);
	for (i = 0; !rc && i < count; i++) {
		struct mmu_update req;

		/*
		 * A long batch gives the CPU back when the slice is up (Xen's
		 * protocol): `done` so far goes out now, and the call continues
		 * with the rest, flagged MMU_UPDATE_PREEMPTED so that it adds on.
		 * Reading the clock costs about what a request does: every 64.
		 */
		if (i && !(i % 64) && hypercall_preempt_check())
			break;
		if (copy_from_guest(&req, reqs + (uint64_t)i * sizeof(req), sizeof(req))) {
			rc = -EFAULT;
			break;
		}
		/* Anything beyond one's own tables and frames is for dom0 alone. */
		if ((pt_owner != d || pg_owner != d) && !d->privileged) {
			rc = -EPERM;
			break;
		}
		switch (req.ptr & 7) {
		case MMU_NORMAL_PT_UPDATE:
		case MMU_PT_UPDATE_PRESERVE_AD:
		case MMU_PT_UPDATE_NO_TRANSLATE:
			rc = normal_update(&req, pt_owner, pg_owner, &flush);
			break;
		case MMU_MACHPHYS_UPDATE:
			rc = machphys_update(&req, pt_owner, pg_owner);
			break;
		default:
			rc = -ENOSYS;
			break;
		}
		if (rc)
			break;
	}
	/* A changed L2-L4 entry may linger in the paging-structure caches. */
	if (flush)
		flush_tlb_local();
	done += i;
	if (pdone)
		(void)copy_to_guest(pdone, &done, sizeof(done));
	if (!rc && i < count)
		return hypercall_continuation(__HYPERVISOR_mmu_update,
					      reqs + (uint64_t)i * sizeof(struct mmu_update),
					      (count - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom, 0);
	return rc;
}

/* ---- mmuext_op -------------------------------------------------------- */

/* NEW_BASEPTR / NEW_USER_BASEPTR: the L4 takes a reference while in use. */
static long new_baseptr(struct vcpu *v, mfn_t mfn, bool user)
{
	mfn_t *slot = user ? &v->user_l4 : &v->kernel_l4, old = *slot;
	long rc;

	if (old == mfn) {
		if (!user)
			flush_tlb_local();
		return 0;
	}
	if (mfn || !user) {
		rc = frame_get_and_type(mfn, v->domain, FT_L4);
		if (rc)
			return rc;
	}
	*slot = mfn;
	if (user) {
		/* m2p_strict: guest user code does not see the M2P. */
		if (mfn && (v->domain->vm_assist & (1UL << VMASST_TYPE_m2p_strict)))
			l4_m2p_slot(frame_contents(mfn), false);
	} else {
		if (!(v->domain->vm_assist & (1UL << VMASST_TYPE_m2p_strict)))
			l4_m2p_slot(frame_contents(mfn), true);
		/* The LDT's pages came from the old tables. */
		pv_destroy_ldt_mappings(v);
		load_cr3(mfn << PAGE_SHIFT);
	}
	if (old)
		frame_put_and_type(mfn_to_frame(old));
	return 0;
}

/* CLEAR_PAGE / COPY_PAGE: frames that can take writes (never tables). */
static long clear_or_copy(const struct mmuext_op *op, struct domain *pg_owner)
{
	struct frame *dst = mfn_to_frame(op->arg1.mfn), *src = NULL;

	if (op->cmd == MMUEXT_COPY_PAGE) {
		src = mfn_to_frame(op->arg2.src_mfn);
		if (frame_get(src, pg_owner))
			return -EINVAL;
	}
	if (frame_get_and_type(op->arg1.mfn, pg_owner, FT_WRITABLE)) {
		if (src)
			frame_put(src);
		return -EINVAL;
	}
	if (src) {
		memcpy(frame_contents(op->arg1.mfn), frame_contents(op->arg2.src_mfn), PAGE_SIZE);
		frame_put(src);
	} else {
		memset(frame_contents(op->arg1.mfn), 0, PAGE_SIZE);
	}
	frame_put_and_type(dst);
	return 0;
}

static bool invlpg_ok(uint64_t va)
{
	return guest_range_ok(va, 1) && is_canonical(va);
}

static long one_mmuext_op(const struct mmuext_op *op, struct domain *pg_owner)
{
	struct vcpu *v = current;
	bool self = pg_owner == v->domain;

	switch (op->cmd) {
	case MMUEXT_PIN_L1_TABLE:
	case MMUEXT_PIN_L2_TABLE:
	case MMUEXT_PIN_L3_TABLE:
	case MMUEXT_PIN_L4_TABLE: {
		long rc = frame_pin(op->arg1.mfn, pg_owner, FT_L1 + op->cmd - MMUEXT_PIN_L1_TABLE);

		/*
		 * A dying domain's pins went when it was destroyed; one made now
		 * would keep the domain dying until someone unpins it. As Xen
		 * does when it races destruction, the pin is validated, reported
		 * done and dropped at once.
		 */
		if (!rc && domain_is_dying(pg_owner))
			frame_unpin(op->arg1.mfn, pg_owner);
		return rc;
	}
	case MMUEXT_UNPIN_TABLE:
		return frame_unpin(op->arg1.mfn, pg_owner);
	case MMUEXT_NEW_BASEPTR:
	case MMUEXT_NEW_USER_BASEPTR:
		if (!self)
			return -EPERM;
		return new_baseptr(v, op->arg1.mfn, op->cmd == MMUEXT_NEW_USER_BASEPTR);
	case MMUEXT_TLB_FLUSH_LOCAL:
	case MMUEXT_TLB_FLUSH_ALL:
		if (!self)
			return -EPERM;
		flush_tlb_local();
		return 0;
	case MMUEXT_INVLPG_LOCAL:
	case MMUEXT_INVLPG_ALL:
		if (!self)
			return -EPERM;
		if (invlpg_ok(op->arg1.linear_addr))
			invlpg((void *)op->arg1.linear_addr);
		return 0;
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_INVLPG_MULTI:
		if (!self)
			return -EPERM;
		if (!vcpumask_readable(op->arg2.vcpumask))
			return -EINVAL;
		if (op->cmd == MMUEXT_TLB_FLUSH_MULTI)
			flush_tlb_local();
		else if (invlpg_ok(op->arg1.linear_addr))
			invlpg((void *)op->arg1.linear_addr);
		return 0;
	case MMUEXT_FLUSH_CACHE:
	case MMUEXT_FLUSH_CACHE_GLOBAL:
		if (!self)
			return -EPERM;
		/* Only domains with devices need it; Xen refuses the two with different errors. */
		if (!v->domain->privileged)
			return op->cmd == MMUEXT_FLUSH_CACHE ? -EACCES : -EINVAL;
		asm volatile("wbinvd" ::: "memory");
		return 0;
	case MMUEXT_SET_LDT:
		if (!self)
			return -EPERM;
		return pv_set_ldt(v, op->arg1.linear_addr, op->arg2.nr_ents);
	case MMUEXT_CLEAR_PAGE:
	case MMUEXT_COPY_PAGE:
		return clear_or_copy(op, pg_owner);
	case MMUEXT_MARK_SUPER:
	case MMUEXT_UNMARK_SUPER:
		return -EOPNOTSUPP;
	default:
		return -ENOSYS;
	}
}

long do_mmuext_op(uint64_t ops, unsigned int count, uint64_t pdone, unsigned int foreigndom)
{
	struct domain *d = current->domain, *pg_owner;
	unsigned int i, done = 0;
	long rc;

	if (count & MMU_UPDATE_PREEMPTED) {
		count &= ~MMU_UPDATE_PREEMPTED;
		if (pdone)
			(void)copy_from_guest(&done, pdone, sizeof(done));
	}
	if (!guest_range_ok(ops, (uint64_t)count * sizeof(struct mmuext_op)))
		return -EFAULT;
	rc = pg_owner_of(foreigndom, &pg_owner);
	if (rc)
		return rc;
	if (pg_owner != d && !d->privileged)
		return -EPERM;
	for (i = 0; i < count; i++) {
		struct mmuext_op op;

		/* As mmu_update: continue with the rest once the slice is up. */
		if (i && !(i % 64) && hypercall_preempt_check())
			break;
		if (copy_from_guest(&op, ops + (uint64_t)i * sizeof(op), sizeof(op))) {
			rc = -EFAULT;
			break;
		}
		rc = one_mmuext_op(&op, pg_owner);
		if (rc)
			break;
	}
	done += i;
	if (pdone)
		(void)copy_to_guest(pdone, &done, sizeof(done));
	if (!rc && i < count)
		return hypercall_continuation(__HYPERVISOR_mmuext_op,
					      ops + (uint64_t)i * sizeof(struct mmuext_op),
					      (count - i) | MMU_UPDATE_PREEMPTED, pdone, foreigndom, 0);
	return rc;
}
