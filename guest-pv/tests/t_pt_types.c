/*
 * Page types and counts (pv-abi.md §8.1): pinning and unpinning at each
 * level, the rule that a frame changes type only when its type count is
 * 0, and its consequences — a page table (pinned, linked or in use as
 * CR3) is never mapped writable, a writably mapped frame never becomes a
 * table, and a frame is ordinary again once the last use is gone.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <public/errno.h>

#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_US | PTE_A)

TEST(pt_types, pin_each_level)
{
	char what[48];

	for (int level = 1; level <= 4; level++) {
		uint64_t f = frame_alloc();

		if (!f)
			SKIP("frame pool empty");
		snprintf(what, sizeof(what), "pin an empty frame as L%d", level);
		CHECK_RC(what, 0, pin_table(level, f));
		snprintf(what, sizeof(what), "pin it again as L%d", level);
		CHECK_RC(what, -XEN_EINVAL, pin_table(level, f));
		snprintf(what, sizeof(what), "unpin the L%d", level);
		CHECK_RC(what, 0, unpin_table(f));
		snprintf(what, sizeof(what), "unpin the L%d again", level);
		CHECK_RC(what, -XEN_EINVAL, unpin_table(f));
		CHECK(frame_free(f), "L%d frame stayed typed after unpin", level);
	}
}

TEST(pt_types, unpin_never_pinned)
{
	uint64_t f = frame_alloc();

	if (!f)
		SKIP("frame pool empty");
	CHECK_RC("unpin a plain unmapped frame", -XEN_EINVAL, unpin_table(f));
	CHECK_RC("map it writable", 0, frame_map_rw(f));
	CHECK_RC("unpin a writably mapped frame", -XEN_EINVAL, unpin_table(f));
	CHECK(frame_free(f), "the frame stayed typed");
}

TEST(pt_types, pin_writable_mapped_refused)
{
	uint64_t f = frame_alloc();
	volatile uint64_t *v;
	char what[48];

	if (!f)
		SKIP("frame pool empty");
	CHECK_RC("map it writable", 0, frame_map_rw(f));
	v = frame_home(f);
	for (int level = 1; level <= 4; level++) {
		snprintf(what, sizeof(what), "pin a writably mapped frame as L%d", level);
		CHECK_RC(what, -XEN_EINVAL, pin_table(level, f));
	}
	CHECK(probe_write_u64(v, 42), "the frame is no longer writable");
	CHECK_RC("unpin (it never was pinned)", -XEN_EINVAL, unpin_table(f));
	CHECK(frame_free(f), "the frame stayed typed");
}

/* A pinned table at any level takes no writable mapping, by either hypercall. */
TEST(pt_types, pinned_never_writable)
{
	uint64_t slot_maddr;
	char what[64];

	for (int level = 1; level <= 4; level++) {
		uint64_t f = frame_alloc(), probe = frame_alloc();
		const volatile uint64_t *home;

		if (!f || !probe)
			SKIP("frame pool empty");
		CHECK_RC("pin", 0, pin_table(level, f));
		home = frame_home(f);
		snprintf(what, sizeof(what), "update_va_mapping: pinned L%d writable", level);
		CHECK_RC(what, -XEN_EBUSY, frame_map_rw(f));
		/* mmu_update on the L1 entry behind a home address of ours. */
		CHECK_RC("map a probe frame", 0, frame_map_rw(probe));
		pte_lookup((uint64_t)frame_home(probe), 1, &slot_maddr);
		snprintf(what, sizeof(what), "mmu_update: pinned L%d writable", level);
		CHECK_RC(what, -XEN_EBUSY, mmu_write(slot_maddr, pte_make(f, PTE_RW_FLAGS)));
		CHECK_EQ("probe's entry unchanged", probe, pte_mfn(pte_lookup((uint64_t)frame_home(probe), 1, NULL)));
		snprintf(what, sizeof(what), "pinned L%d read-only", level);
		CHECK_RC(what, 0, frame_map_ro(f));
		CHECK_EQ("readable", 0, home[0]);
		CHECK_RC("unmap", 0, frame_unmap(f));
		CHECK_RC("unpin", 0, unpin_table(f));
		CHECK(frame_free(f) && frame_free(probe), "a frame stayed typed");
	}
}

/* The type count keeps a frame's type: a table of one level is no other. */
TEST(pt_types, no_type_change_while_typed)
{
	uint64_t f = frame_alloc();
	char what[48];

	if (!f)
		SKIP("frame pool empty");
	CHECK_RC("pin as L1", 0, pin_table(1, f));
	for (int level = 2; level <= 4; level++) {
		snprintf(what, sizeof(what), "pin the L1 as L%d", level);
		CHECK_RC(what, -XEN_EINVAL, pin_table(level, f));
	}
	CHECK_RC("unpin", 0, unpin_table(f));
	/* At count 0 the type may change. */
	CHECK_RC("pin as L2 now", 0, pin_table(2, f));
	CHECK_RC("pin the L2 as L1", -XEN_EINVAL, pin_table(1, f));
	CHECK_RC("unpin", 0, unpin_table(f));
	CHECK(frame_free(f), "the frame stayed typed");
}

/* Linked (an L2 entry points at it) but not pinned: still a table. */
TEST(pt_types, linked_unpinned_not_writable)
{
	uint64_t l2 = frame_alloc(), l1 = frame_alloc();

	if (!l2 || !l1)
		SKIP("frame pool empty");
	CHECK_RC("pin L2", 0, pin_table(2, l2));
	CHECK_RC("link the unpinned frame as L1", 0, mmu_write(l2 << PAGE_SHIFT, pte_make(l1, TABLE_FLAGS)));
	CHECK_RC("map the linked L1 writable", -XEN_EBUSY, frame_map_rw(l1));
	CHECK_RC("pin it as L2", -XEN_EINVAL, pin_table(2, l1));
	CHECK_RC("pin it as L1 (a pin on top of the link)", 0, pin_table(1, l1));
	CHECK_RC("unpin it", 0, unpin_table(l1));
	CHECK_RC("map it writable, still linked", -XEN_EBUSY, frame_map_rw(l1));
	CHECK_RC("unlink", 0, mmu_write(l2 << PAGE_SHIFT, 0));
	CHECK_RC("map the unlinked frame writable", 0, frame_map_rw(l1));
	CHECK_RC("unpin L2", 0, unpin_table(l2));
	CHECK(frame_free(l1) && frame_free(l2), "a frame stayed typed");
}

/* Pinning validates downwards: the whole tree gets typed, and released with the pin. */
TEST(pt_types, recursive_validation)
{
	uint64_t l4 = frame_alloc(), l3 = frame_alloc(), l2 = frame_alloc(), l1 = frame_alloc(),
		 data = frame_alloc();
	volatile uint64_t *v;

	if (!l4 || !l3 || !l2 || !l1 || !data)
		SKIP("frame pool empty");
	/* Fill the tables while they are plain frames. */
	CHECK_RC("map L1", 0, frame_map_rw(l1));
	v = frame_home(l1);
	v[7] = pte_make(data, PTE_RW_FLAGS);
	CHECK_RC("map L2", 0, frame_map_rw(l2));
	((volatile uint64_t *)frame_home(l2))[0] = pte_make(l1, TABLE_FLAGS);
	CHECK_RC("map L3", 0, frame_map_rw(l3));
	((volatile uint64_t *)frame_home(l3))[0] = pte_make(l2, TABLE_FLAGS);
	CHECK_RC("map L4", 0, frame_map_rw(l4));
	((volatile uint64_t *)frame_home(l4))[0] = pte_make(l3, TABLE_FLAGS);
	/* Still mapped writable: the pin must fail, at the top already. */
	CHECK_RC("pin the L4 while the tables are writable", -XEN_EINVAL, pin_table(4, l4));
	CHECK_RC("unmap L4", 0, frame_unmap(l4));
	CHECK_RC("pin the L4 while L3..L1 are writable", -XEN_EINVAL, pin_table(4, l4));
	CHECK_RC("map L4 writable again (the failed pin left no type)", 0, frame_map_rw(l4));
	CHECK_RC("unmap L4", 0, frame_unmap(l4));
	CHECK_RC("unmap L3", 0, frame_unmap(l3));
	CHECK_RC("unmap L2", 0, frame_unmap(l2));
	CHECK_RC("unmap L1", 0, frame_unmap(l1));
	CHECK_RC("pin the L4", 0, pin_table(4, l4));
	CHECK_RC("map the L3 writable", -XEN_EBUSY, frame_map_rw(l3));
	CHECK_RC("map the L2 writable", -XEN_EBUSY, frame_map_rw(l2));
	CHECK_RC("map the L1 writable", -XEN_EBUSY, frame_map_rw(l1));
	/* The L1's writable entry holds a writable type on data: no table there. */
	CHECK_RC("pin data as L1", -XEN_EINVAL, pin_table(1, data));
	CHECK_RC("unpin the L4", 0, unpin_table(l4));
	CHECK_RC("pin data as L1 once the tree is gone", 0, pin_table(1, data));
	CHECK_RC("unpin data", 0, unpin_table(data));
	CHECK(frame_free(l4) && frame_free(l3) && frame_free(l2) && frame_free(l1) && frame_free(data),
	      "a frame stayed typed after the unpin");
}

/* A table whose validation fails leaves every frame as it was. */
TEST(pt_types, failed_validation_leaves_nothing)
{
	uint64_t l2 = frame_alloc(), l1 = frame_alloc(), x = frame_alloc(), l4 = cr3_mfn();
	volatile uint64_t *v;

	if (!l2 || !l1 || !x)
		SKIP("frame pool empty");
	/* An L2 pointing at a writably mapped frame. */
	CHECK_RC("map x writable", 0, frame_map_rw(x));
	CHECK_RC("map L2", 0, frame_map_rw(l2));
	((volatile uint64_t *)frame_home(l2))[3] = pte_make(x, TABLE_FLAGS);
	CHECK_RC("unmap L2", 0, frame_unmap(l2));
	CHECK_RC("pin an L2 whose entry is a writable frame", -XEN_EINVAL, pin_table(2, l2));
	CHECK(probe_write_u64(frame_home(x), 1), "x is no longer writable");
	CHECK_RC("the L2 maps writable again", 0, frame_map_rw(l2));
	((volatile uint64_t *)frame_home(l2))[3] = 0;
	/* An L1 mapping a page table (the running L4) writable. */
	CHECK_RC("map L1", 0, frame_map_rw(l1));
	v = frame_home(l1);
	v[5] = pte_make(l4, PTE_RW_FLAGS);
	CHECK_RC("unmap L1", 0, frame_unmap(l1));
	CHECK_RC("pin an L1 mapping the L4 writable", -XEN_EBUSY, pin_table(1, l1));
	CHECK_RC("the L1 maps writable again", 0, frame_map_rw(l1));
	/* The same entry read-only is fine. */
	v[5] = pte_make(l4, PTE_RO_FLAGS);
	CHECK_RC("unmap L1", 0, frame_unmap(l1));
	CHECK_RC("pin an L1 mapping the L4 read-only", 0, pin_table(1, l1));
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(l1) && frame_free(l2) && frame_free(x), "a frame stayed typed");
}

TEST(pt_types, pin_foreign_frame)
{
	uint64_t f = foreign_frame();

	if (!is_initial_domain())
		SKIP("needs the host memory map to find a frame that is not ours");
	if (!f)
		SKIP("no RAM frame outside the domain found");
	for (int level = 1; level <= 4; level++)
		CHECK_RC("pin a frame not ours", -XEN_EINVAL, pin_table(level, f));
	CHECK_RC("unpin a frame not ours", -XEN_EINVAL, unpin_table(f));
}

/* The builder pins the bootstrap L4; CR3 keeps it typed while we unpin and re-pin it. */
TEST(pt_types, unpin_repin_running_l4)
{
	uint64_t l4 = cr3_mfn(), p = frame_alloc();

	if (!p)
		SKIP("frame pool empty");
	CHECK_RC("unpin the running L4", 0, unpin_table(l4));
	CHECK_RC("unpin it again", -XEN_EINVAL, unpin_table(l4));
	CHECK_RC("map it writable", -XEN_EBUSY, map_va(frame_home(p), l4, PTE_RW_FLAGS));
	CHECK_RC("pin it again", 0, pin_table(4, l4));
	CHECK_RC("pin it twice", -XEN_EINVAL, pin_table(4, l4));
	CHECK(frame_free(p), "the probe frame could not be given back");
}

/* CR3 holds its own type reference: unpinned, the running L4 is still a table. */
TEST(pt_types, baseptr_holds_type)
{
	uint64_t old = cr3_mfn(), l4 = frame_alloc_l4_copy(0);

	if (!l4)
		SKIP("frame pool empty");
	CHECK_RC("pin the copy", 0, pin_table(4, l4));
	CHECK_RC("switch to it", 0, mmuext(MMUEXT_NEW_BASEPTR, l4, 0));
	CHECK_EQ("cr3", l4, cr3_mfn());
	CHECK_RC("unpin the running L4", 0, unpin_table(l4));
	CHECK_RC("map the running L4 writable", -XEN_EBUSY, frame_map_rw(l4));
	CHECK_RC("pin it as L1", -XEN_EINVAL, pin_table(1, l4));
	CHECK_RC("switch back", 0, mmuext(MMUEXT_NEW_BASEPTR, old, 0));
	CHECK_EQ("cr3 back", old, cr3_mfn());
	/* The last reference is gone: an ordinary frame again. */
	CHECK(frame_free(l4), "the old L4 stayed typed");
}

/* The user base pointer holds one too. */
TEST(pt_types, user_baseptr_holds_type)
{
	uint64_t l4 = frame_alloc_l4_copy(0);

	if (!l4)
		SKIP("frame pool empty");
	CHECK_RC("install as user L4 (validates it)", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, l4, 0));
	CHECK_RC("map it writable", -XEN_EBUSY, frame_map_rw(l4));
	CHECK_RC("unpin (never pinned)", -XEN_EINVAL, unpin_table(l4));
	CHECK_RC("clear the user L4", 0, mmuext(MMUEXT_NEW_USER_BASEPTR, 0, 0));
	CHECK(frame_free(l4), "the old user L4 stayed typed");
}
