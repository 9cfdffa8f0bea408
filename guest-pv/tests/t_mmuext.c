/*
 * mmuext_op (#26) beyond pinning: the kernel and user base pointers, TLB
 * and cache flushes, CLEAR_PAGE / COPY_PAGE, SET_LDT's arguments, unknown
 * commands, bad pointers, `done` counts and foreigndom.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <public/errno.h>

/*
 * A fresh L4 holding the guest half of the current one. The hypervisor's
 * slots (256-271) get garbage on purpose: validation must overwrite them.
 */
#define HV_SLOT_GARBAGE (0xdead000UL | PTE_P)

static uint64_t fresh_l4(void)
{
	return frame_alloc_l4_copy(HV_SLOT_GARBAGE);
}

static long mmuext_dom(unsigned int cmd, uint64_t arg1, unsigned int dom)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = arg1 };

	return HYPERVISOR_mmuext_op(&op, 1, NULL, dom);
}

TEST(mmuext, new_baseptr_fresh_l4)
{
	uint64_t old = cr3_mfn(), l4 = fresh_l4(), v = 0;
	unsigned int hv_slots_kept = 0;

	if (!l4)
		SKIP("frame pool empty");
	CHECK_RC("pin the new L4", 0, pin_table(4, l4));
	for (unsigned int i = 256; i < 272; i++)
		hv_slots_kept += frame_peek(l4, i) == HV_SLOT_GARBAGE;
	CHECK_EQ("garbage left in the hypervisor's slots", 0, hv_slots_kept);
	CHECK_EQ("guest slot 511 copied", pte_mfn(frame_peek(old, 511)), pte_mfn(frame_peek(l4, 511)));
	CHECK_RC("NEW_BASEPTR to it", 0, mmuext(MMUEXT_NEW_BASEPTR, l4, 0));
	CHECK_EQ("cr3", l4, cr3_mfn());
	/* Kernel code, data and the M2P all still reachable. */
	CHECK(probe_read_u64(&M2P[p2m[0]], &v) && v == 0, "M2P unreadable on the new L4 (%#lx)", v);
	CHECK_EQ("the M2P slot is present once in use", PTE_P, frame_peek(l4, 256) & PTE_P);
	CHECK_EQ("start_info through the new L4", start_info->nr_pages, ((volatile struct start_info *)start_info)->nr_pages);
	CHECK_RC("NEW_BASEPTR back", 0, mmuext(MMUEXT_NEW_BASEPTR, old, 0));
	CHECK_EQ("cr3 back", old, cr3_mfn());
	CHECK_RC("NEW_BASEPTR to the current L4 again", 0, mmuext(MMUEXT_NEW_BASEPTR, old, 0));
	CHECK_RC("unpin", 0, unpin_table(l4));
	CHECK(frame_free(l4), "the L4 stayed typed");
}

/*
 * Without m2p_strict, a new L4 gets the read-only M2P only when it first
 * becomes a kernel base pointer (Xen: created blank, filled on use).
 */
TEST(mmuext, m2p_slot_filled_on_use)
{
	uint64_t old = cr3_mfn(), l4 = fresh_l4();

	if (!l4)
		SKIP("frame pool empty");
	CHECK_RC("pin the new L4", 0, pin_table(4, l4));
	CHECK_EQ("slot 256 blank after validation", 0, frame_peek(l4, 256));
	CHECK_RC("install as user L4", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, l4, 0));
	CHECK_EQ("slot 256 still blank as a user L4", 0, frame_peek(l4, 256));
	CHECK_RC("clear the user L4", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0));
	CHECK_RC("NEW_BASEPTR to it", 0, mmuext(MMUEXT_NEW_BASEPTR, l4, 0));
	CHECK_EQ("slot 256 is the running L4's", frame_peek(old, 256), frame_peek(l4, 256));
	CHECK_RC("NEW_BASEPTR back", 0, mmuext(MMUEXT_NEW_BASEPTR, old, 0));
	CHECK_RC("unpin", 0, unpin_table(l4));
	CHECK(frame_free(l4), "the L4 stayed typed");
}

/* With m2p_strict it is the other way round: present from validation, zapped for user use. */
TEST(mmuext, m2p_strict)
{
	uint64_t l4 = fresh_l4();

	if (!l4)
		SKIP("frame pool empty");
	CHECK_RC("enable m2p_strict", 0, HYPERVISOR_vm_assist(VMASST_CMD_enable, VMASST_TYPE_m2p_strict));
	CHECK_RC("pin the new L4", 0, pin_table(4, l4));
	CHECK_EQ("slot 256 is the running L4's", frame_peek(cr3_mfn(), 256), frame_peek(l4, 256));
	CHECK_RC("install as user L4", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, l4, 0));
	CHECK_EQ("slot 256 zapped for user use", 0, frame_peek(l4, 256));
	CHECK_RC("clear the user L4", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0));
	CHECK_RC("unpin", 0, unpin_table(l4));
	CHECK_RC("disable m2p_strict", 0, HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_m2p_strict));
	CHECK(frame_free(l4), "the L4 stayed typed");
}

TEST(mmuext, new_baseptr_refused)
{
	uint64_t old = cr3_mfn(), x = frame_alloc(), l3 = frame_alloc(), f = foreign_frame();

	if (!x || !l3)
		SKIP("frame pool empty");
	CHECK_RC("map x writable", 0, frame_map_rw(x));
	CHECK_RC("NEW_BASEPTR to a writable frame", -XEN_EINVAL, mmuext(MMUEXT_NEW_BASEPTR, x, 0));
	CHECK_RC("NEW_USER_BASEPTR to a writable frame", -XEN_EINVAL, mmuext(MMUEXT_NEW_USER_BASEPTR, x, 0));
	CHECK_RC("pin an L3", 0, pin_table(3, l3));
	CHECK_RC("NEW_BASEPTR to an L3", -XEN_EINVAL, mmuext(MMUEXT_NEW_BASEPTR, l3, 0));
	CHECK_RC("NEW_USER_BASEPTR to an L3", -XEN_EINVAL, mmuext(MMUEXT_NEW_USER_BASEPTR, l3, 0));
	if (f) {
		CHECK_RC("NEW_BASEPTR to a frame not ours", -XEN_EINVAL, mmuext(MMUEXT_NEW_BASEPTR, f, 0));
		CHECK_RC("NEW_USER_BASEPTR to a frame not ours", -XEN_EINVAL,
			 mmuext(MMUEXT_NEW_USER_BASEPTR, f, 0));
	}
	CHECK_EQ("cr3 unchanged", old, cr3_mfn());
	CHECK(probe_write_u64(frame_home(x), 7), "x is no longer writable");
	CHECK_RC("unpin the L3", 0, unpin_table(l3));
	CHECK(frame_free(x) && frame_free(l3), "a frame stayed typed");
}

TEST(mmuext, new_user_baseptr_set_clear)
{
	uint64_t l4 = fresh_l4();

	if (!l4)
		SKIP("frame pool empty");
	CHECK_RC("pin an L4", 0, pin_table(4, l4));
	CHECK_RC("set the user L4", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, l4, 0));
	CHECK_RC("set it again (no change)", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, l4, 0));
	/* XTF uses one L4 for both. */
	CHECK_RC("the kernel L4 as user L4", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, cr3_mfn(), 0));
	CHECK_RC("clear", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0));
	CHECK_RC("clear again", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0));
	CHECK_RC("unpin", 0, unpin_table(l4));
	CHECK(frame_free(l4), "the L4 stayed typed");
}

TEST(mmuext, flushes)
{
	static uint64_t vcpus = 1;
	uint64_t va = (uint64_t)start_info;
	struct mmuext_op ops[6] = {
		{ .cmd = MMUEXT_TLB_FLUSH_LOCAL },
		{ .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = va },
		{ .cmd = MMUEXT_TLB_FLUSH_MULTI, .arg2.vcpumask = (uint64_t)&vcpus },
		{ .cmd = MMUEXT_INVLPG_MULTI, .arg1.linear_addr = va, .arg2.vcpumask = (uint64_t)&vcpus },
		{ .cmd = MMUEXT_TLB_FLUSH_ALL },
		{ .cmd = MMUEXT_INVLPG_ALL, .arg1.linear_addr = va },
	};
	unsigned int done = 0;

	CHECK_RC("six flushes", 0, HYPERVISOR_mmuext_op(ops, 6, &done, DOMID_SELF));
	CHECK_EQ("done", 6, done);
	/* Addresses nobody could map are no error: there is nothing to flush. */
	ops[0].cmd = MMUEXT_INVLPG_LOCAL;
	ops[0].arg1.linear_addr = 0x0000800000000000UL;
	ops[1].cmd = MMUEXT_INVLPG_ALL;
	ops[1].arg1.linear_addr = HYPERVISOR_VIRT_START;
	ops[2].cmd = MMUEXT_INVLPG_MULTI;
	ops[2].arg1.linear_addr = 0x0000800000000000UL;
	CHECK_RC("invlpg of non-guest addresses", 0, HYPERVISOR_mmuext_op(ops, 3, &done, DOMID_SELF));
	CHECK_EQ("done", 3, done);
}

/*
 * mmu_update of an L1 entry does not flush the TLB (Linux flushes itself):
 * each flush op must make the new translation visible. A page is read
 * through one frame (so the translation is cached), its entry switched to
 * another frame by mmu_update, then the op under test runs.
 */
TEST(mmuext, flush_makes_update_visible)
{
	static uint64_t vcpus = 1;
	static const struct { unsigned int cmd; bool va, mask; const char *what; } ops[] = {
		{ MMUEXT_TLB_FLUSH_LOCAL, false, false, "TLB_FLUSH_LOCAL" },
		{ MMUEXT_INVLPG_LOCAL, true, false, "INVLPG_LOCAL" },
		{ MMUEXT_TLB_FLUSH_MULTI, false, true, "TLB_FLUSH_MULTI" },
		{ MMUEXT_INVLPG_MULTI, true, true, "INVLPG_MULTI" },
		{ MMUEXT_TLB_FLUSH_ALL, false, false, "TLB_FLUSH_ALL" },
		{ MMUEXT_INVLPG_ALL, true, false, "INVLPG_ALL" },
	};
	uint64_t p = frame_alloc(), a = frame_alloc(), b = frame_alloc(), maddr = 0, v = 0;
	volatile uint64_t *va;

	if (!p || !a || !b)
		SKIP("frame pool empty");
	va = frame_home(p);
	CHECK_RC("map a at home", 0, frame_map_rw(a));
	((volatile uint64_t *)frame_home(a))[0] = 0xa;
	CHECK_RC("map b at home", 0, frame_map_rw(b));
	((volatile uint64_t *)frame_home(b))[0] = 0xb;
	for (unsigned int i = 0; i < ARRAY_SIZE(ops); i++) {
		struct mmuext_op op = { .cmd = ops[i].cmd };

		if (ops[i].va)
			op.arg1.linear_addr = (uint64_t)va;
		if (ops[i].mask)
			op.arg2.vcpumask = (uint64_t)&vcpus;
		CHECK_RC("map the probe page to a", 0, map_va((void *)va, a, PTE_RW_FLAGS));
		CHECK(probe_read_u64(va, &v) && v == 0xa, "%s: reading through a gave %#lx", ops[i].what, v);
		pte_lookup((uint64_t)va, 1, &maddr);
		CHECK_RC("switch the entry to b", 0, mmu_write(maddr, pte_make(b, PTE_RW_FLAGS)));
		CHECK_RC(ops[i].what, 0, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
		CHECK(probe_read_u64(va, &v) && v == 0xb, "after %s the page still reads %#lx", ops[i].what, v);
	}
	CHECK_RC("unmap the probe page", 0, map_va((void *)va, 0, 0));
	CHECK(frame_free(p) && frame_free(a) && frame_free(b), "a frame stayed typed");
}

/* An unreadable vCPU bitmap is -EINVAL (not -EFAULT), and stops the batch there. */
TEST(mmuext, flush_multi_bad_bitmap)
{
	struct mmuext_op ops[3] = {
		{ .cmd = MMUEXT_TLB_FLUSH_LOCAL },
		{ .cmd = MMUEXT_TLB_FLUSH_MULTI, .arg2.vcpumask = (uint64_t)BAD_PTR_UNMAPPED },
		{ .cmd = MMUEXT_TLB_FLUSH_LOCAL },
	};
	unsigned int done = 99;

	CHECK_RC("TLB_FLUSH_MULTI, bad bitmap", -XEN_EINVAL, HYPERVISOR_mmuext_op(ops, 3, &done, DOMID_SELF));
	CHECK_EQ("done", 1, done);
	ops[1].cmd = MMUEXT_INVLPG_MULTI;
	ops[1].arg2.vcpumask = (uint64_t)BAD_PTR_HV;
	CHECK_RC("INVLPG_MULTI, bitmap in the hypervisor", -XEN_EINVAL,
		 HYPERVISOR_mmuext_op(ops, 3, &done, DOMID_SELF));
	CHECK_EQ("done", 1, done);
}

/* wbinvd on behalf of a domain with I/O resources (dom0); others get -EACCES / -EINVAL. */
TEST(mmuext, flush_cache)
{
	long local = mmuext(MMUEXT_FLUSH_CACHE, 0, 0), global = mmuext(MMUEXT_FLUSH_CACHE_GLOBAL, 0, 0);

	if (is_initial_domain()) {
		CHECK_RC("FLUSH_CACHE", 0, local);
		CHECK_RC("FLUSH_CACHE_GLOBAL", 0, global);
	} else {
		CHECK_RC("FLUSH_CACHE", -XEN_EACCES, local);
		CHECK_RC("FLUSH_CACHE_GLOBAL", -XEN_EINVAL, global);
	}
}

TEST(mmuext, clear_page)
{
	uint64_t x = frame_alloc(), l1 = frame_alloc(), f = foreign_frame();
	volatile uint64_t *v;
	unsigned int nonzero = 0;

	if (!x || !l1)
		SKIP("frame pool empty");
	CHECK_RC("map x writable", 0, frame_map_rw(x));
	v = frame_home(x);
	for (unsigned int i = 0; i < 512; i++)
		v[i] = 0x0101010101010101UL * (i | 1);
	CHECK_RC("CLEAR_PAGE of a writably mapped frame", 0, mmuext(MMUEXT_CLEAR_PAGE, x, 0));
	for (unsigned int i = 0; i < 512; i++)
		nonzero += v[i] != 0;
	CHECK_EQ("words left non-zero", 0, nonzero);
	v[9] = 9;
	CHECK_RC("unmap x", 0, frame_unmap(x));
	CHECK_RC("CLEAR_PAGE of an unmapped frame", 0, mmuext(MMUEXT_CLEAR_PAGE, x, 0));
	CHECK_EQ("cleared", 0, frame_peek(x, 9));
	/* Page tables are refused, and keep their contents. */
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	CHECK_RC("fill an entry", 0, mmu_write((l1 << PAGE_SHIFT) + 8, pte_make(x, PTE_RO_FLAGS)));
	CHECK_RC("CLEAR_PAGE of a page table", -XEN_EINVAL, mmuext(MMUEXT_CLEAR_PAGE, l1, 0));
	CHECK_EQ("entry kept", x, pte_mfn(frame_peek(l1, 1)));
	if (f)
		CHECK_RC("CLEAR_PAGE of a frame not ours", -XEN_EINVAL, mmuext(MMUEXT_CLEAR_PAGE, f, 0));
	CHECK_RC("clear the entry", 0, mmu_write((l1 << PAGE_SHIFT) + 8, 0));
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(x) && frame_free(l1), "a frame stayed typed");
}

TEST(mmuext, copy_page)
{
	uint64_t src = frame_alloc(), dst = frame_alloc(), l1 = frame_alloc(), f = foreign_frame();
	volatile uint64_t *s;
	unsigned int wrong = 0;

	if (!src || !dst || !l1)
		SKIP("frame pool empty");
	CHECK_RC("map src writable", 0, frame_map_rw(src));
	s = frame_home(src);
	for (unsigned int i = 0; i < 512; i++)
		s[i] = 0x5000 + i;
	CHECK_RC("COPY_PAGE to an unmapped frame", 0, mmuext(MMUEXT_COPY_PAGE, dst, src));
	CHECK_RC("map dst read-only", 0, frame_map_ro(dst));
	for (unsigned int i = 0; i < 512; i++)
		wrong += ((volatile uint64_t *)frame_home(dst))[i] != 0x5000 + i;
	CHECK_EQ("words copied wrong", 0, wrong);
	/* The source may be anything of ours, a page table included; the destination may not. */
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	CHECK_RC("fill an entry", 0, mmu_write((l1 << PAGE_SHIFT) + 16, pte_make(src, PTE_RO_FLAGS)));
	CHECK_RC("COPY_PAGE into a page table", -XEN_EINVAL, mmuext(MMUEXT_COPY_PAGE, l1, src));
	CHECK_EQ("table unchanged", src, pte_mfn(frame_peek(l1, 2)));
	CHECK_RC("COPY_PAGE from a page table", 0, mmuext(MMUEXT_COPY_PAGE, dst, l1));
	CHECK_EQ("table entry copied", frame_peek(l1, 2), ((volatile uint64_t *)frame_home(dst))[2]);
	if (f) {
		CHECK_RC("COPY_PAGE from a frame not ours", -XEN_EINVAL, mmuext(MMUEXT_COPY_PAGE, dst, f));
		CHECK_RC("COPY_PAGE to a frame not ours", -XEN_EINVAL, mmuext(MMUEXT_COPY_PAGE, f, src));
	}
	CHECK_RC("clear the entry", 0, mmu_write((l1 << PAGE_SHIFT) + 16, 0));
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(src) && frame_free(dst) && frame_free(l1), "a frame stayed typed");
}

TEST(mmuext, set_ldt_arguments)
{
	uint64_t va = (uint64_t)start_info;     /* page aligned, ours */

	CHECK_RC("one entry", 0, mmuext(MMUEXT_SET_LDT, va, 1));
	CHECK_RC("8192 entries (the most)", 0, mmuext(MMUEXT_SET_LDT, va, 8192));
	CHECK_RC("8193 entries", -XEN_EINVAL, mmuext(MMUEXT_SET_LDT, va, 8193));
	CHECK_RC("misaligned base", -XEN_EINVAL, mmuext(MMUEXT_SET_LDT, va + 8, 1));
	CHECK_RC("base in the hypervisor", -XEN_EINVAL, mmuext(MMUEXT_SET_LDT, HYPERVISOR_VIRT_START, 1));
	CHECK_RC("non-canonical base", -XEN_EINVAL, mmuext(MMUEXT_SET_LDT, 0x0000800000000000UL, 1));
	/* No entries: the base is ignored. */
	CHECK_RC("none, with a bad base", 0, mmuext(MMUEXT_SET_LDT, 0x0000800000000008UL, 0));
	CHECK_RC("none", 0, mmuext(MMUEXT_SET_LDT, 0, 0));
}

TEST(mmuext, unknown_commands)
{
	unsigned int done = 99;
	struct mmuext_op op = { .cmd = 14 };

	CHECK_RC("cmd 14", -XEN_ENOSYS, HYPERVISOR_mmuext_op(&op, 1, &done, DOMID_SELF));
	CHECK_EQ("done", 0, done);
	op.cmd = 21;
	CHECK_RC("cmd 21", -XEN_ENOSYS, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
	op.cmd = ~0U;
	CHECK_RC("cmd ~0", -XEN_ENOSYS, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
	/* Superpage marking is a retired PV feature. */
	CHECK_RC("MARK_SUPER", -XEN_EOPNOTSUPP, mmuext(MMUEXT_MARK_SUPER, p2m[0], 0));
	CHECK_RC("UNMARK_SUPER", -XEN_EOPNOTSUPP, mmuext(MMUEXT_UNMARK_SUPER, p2m[0], 0));
}

TEST(mmuext, batch_done_and_pointers)
{
	struct mmuext_op ops[4] = {
		{ .cmd = MMUEXT_TLB_FLUSH_LOCAL },
		{ .cmd = MMUEXT_TLB_FLUSH_LOCAL },
		{ .cmd = 14 },
		{ .cmd = MMUEXT_TLB_FLUSH_LOCAL },
	};
	unsigned int done = 99;

	CHECK_RC("batch with an unknown third op", -XEN_ENOSYS, HYPERVISOR_mmuext_op(ops, 4, &done, DOMID_SELF));
	CHECK_EQ("done", 2, done);
	done = 99;
	CHECK_RC("ops at an unmapped address", -XEN_EFAULT,
		 HYPERVISOR_mmuext_op(BAD_PTR_UNMAPPED, 1, &done, DOMID_SELF));
	CHECK_EQ("done after a faulting read", 0, done);
	done = 99;
	CHECK_RC("ops in the hypervisor", -XEN_EFAULT, HYPERVISOR_mmuext_op(BAD_PTR_HV, 1, &done, DOMID_SELF));
	CHECK_EQ("done untouched", 99, done);
	CHECK_RC("zero ops", 0, HYPERVISOR_mmuext_op(BAD_PTR_UNMAPPED, 0, NULL, DOMID_SELF));
}

TEST(mmuext, foreigndom)
{
	CHECK_RC("DOMID_SELF", 0, mmuext_dom(MMUEXT_TLB_FLUSH_LOCAL, 0, DOMID_SELF));
	CHECK_RC("domain 100 (none)", -XEN_ESRCH, mmuext_dom(MMUEXT_TLB_FLUSH_LOCAL, 0, 100));
	if (is_initial_domain())
		CHECK_RC("ourselves by number (0)", -XEN_ESRCH, mmuext_dom(MMUEXT_TLB_FLUSH_LOCAL, 0, 0));
	/*
	 * DOMID_IO and DOMID_XEN are accepted as owners, but a flush is only
	 * for one's own tables: the op itself says -EPERM.
	 */
	CHECK_RC("flush for DOMID_IO", -XEN_EPERM, mmuext_dom(MMUEXT_TLB_FLUSH_LOCAL, 0, DOMID_IO));
	CHECK_RC("flush for DOMID_XEN", -XEN_EPERM, mmuext_dom(MMUEXT_TLB_FLUSH_LOCAL, 0, DOMID_XEN));
	CHECK_RC("NEW_BASEPTR for DOMID_IO", -XEN_EPERM, mmuext_dom(MMUEXT_NEW_BASEPTR, cr3_mfn(), DOMID_IO));
}
