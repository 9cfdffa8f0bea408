/*
 * The PV MMU's entry points for page-table writes: update_va_mapping
 * (#14) and mmu_update (#1). New tables built from our own frames at
 * every level, and the isolation rules that must refuse the rest: page
 * tables never writable, hypervisor L4 slots untouchable, no PSE, no
 * reserved bits above L1, no frame of someone else; batches, `done`
 * counts, foreigndom and the M2P command.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <public/errno.h>

static uint8_t scratch[4][PAGE_SIZE] __aligned(PAGE_SIZE);

/* A table entry as guests write them. */
#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_US | PTE_A)

/*
 * An L4 slot of the guest half that guest-pv leaves empty, and the
 * address it covers: 300 << 39, sign-extended.
 */
#define TEST_L4_SLOT    300
#define TEST_VA         0xffff960000000000UL

/* A frame of the initial region, through its read-only mapping there. */
static const uint64_t *table_va(uint64_t mfn)
{
	return (const uint64_t *)(VIRT_BASE + (M2P[mfn] << PAGE_SHIFT));
}

static uint64_t l4_slot_maddr(unsigned int slot)
{
	return (cr3_mfn() << PAGE_SHIFT) + slot * 8;
}

static long map(const void *va, uint64_t mfn, uint64_t flags)
{
	return map_va(va, mfn, flags);
}

TEST(mmu, page_tables_reachable)
{
	uint64_t cr3 = cr3_mfn();

	CHECK_EQ("cr3 frame is pt_base's", p2m[(start_info->pt_base - VIRT_BASE) >> PAGE_SHIFT], cr3);
	CHECK_EQ("L1 entry of scratch[0]", virt_to_mfn(scratch[0]),
		 pte_mfn(pte_lookup((uint64_t)scratch[0], 1, NULL)));
	CHECK(!(pte_lookup((uint64_t)table_va(cr3), 1, NULL) & PTE_RW), "the L4 is mapped writable");
}

TEST(mmu, remap_own_frame)
{
	uint64_t a = virt_to_mfn(scratch[0]), b = virt_to_mfn(scratch[1]);
	volatile uint64_t *pa = (volatile uint64_t *)scratch[0];
	uint64_t e;

	memset(scratch[0], 0, PAGE_SIZE);
	memset(scratch[1], 0, PAGE_SIZE);
	CHECK_RC("map scratch[0] -> frame of scratch[1]", 0, map(scratch[0], b, PTE_RW_FLAGS));
	*pa = 0x1234abcd;
	CHECK_EQ("write seen through the other mapping", 0x1234abcd, *(volatile uint64_t *)scratch[1]);
	e = pte_lookup((uint64_t)scratch[0], 1, NULL);
	CHECK_EQ("L1 entry frame", b, pte_mfn(e));
	CHECK((e & (PTE_P | PTE_RW)) == (PTE_P | PTE_RW), "L1 entry flags %#lx", e & 0xfff);
	CHECK_RC("restore scratch[0]", 0, map(scratch[0], a, PTE_RW_FLAGS));
	CHECK_EQ("restored contents", 0, *pa);
}

TEST(mmu, update_va_mapping_invalid)
{
	CHECK_RC("va in the hypervisor hole", -XEN_EINVAL,
		 HYPERVISOR_update_va_mapping(HYPERVISOR_VIRT_START + 0x1000, 0, UVMF_INVLPG));
	CHECK_RC("va with no L1 table", -XEN_EINVAL,
		 HYPERVISOR_update_va_mapping(0x10000, 0, UVMF_INVLPG));
	CHECK_RC("non-canonical va", -XEN_EINVAL,
		 HYPERVISOR_update_va_mapping(0x0000800000001000UL, 0, UVMF_INVLPG));
}

TEST(mmu, page_table_never_writable)
{
	uint64_t l4 = cr3_mfn(), a = virt_to_mfn(scratch[0]);

	/* Xen: a frame that cannot take the writable type is -EBUSY. */
	CHECK_RC("map the L4 writable", -XEN_EBUSY, map(scratch[0], l4, PTE_RW_FLAGS));
	CHECK_RC("map the L4 read-only", 0, map(scratch[0], l4, PTE_RO_FLAGS));
	CHECK_EQ("read the L4 through it", table_va(l4)[511], ((volatile uint64_t *)scratch[0])[511]);
	CHECK_RC("restore scratch[0]", 0, map(scratch[0], a, PTE_RW_FLAGS));
}

TEST(mmu, hypervisor_l4_slots)
{
	uint64_t l4 = cr3_mfn();
	struct mmu_update u = { .ptr = (l4 << PAGE_SHIFT) + 256 * 8 + MMU_NORMAL_PT_UPDATE, .val = 0 };
	unsigned int done = 99;

	CHECK_RC("clear L4 slot 256", -XEN_EINVAL, HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF));
	CHECK_EQ("done", 0, done);
	u.ptr = (l4 << PAGE_SHIFT) + 271 * 8;
	CHECK_RC("clear L4 slot 271", -XEN_EINVAL, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK(table_va(l4)[256] & PTE_P, "L4 slot 256 (the M2P) is gone");
}

TEST(mmu, hypervisor_l4_slots_valid_entry)
{
	uint64_t l4 = cr3_mfn(), l3 = frame_alloc();
	uint64_t before[16];
	char what[48];

	if (!l3)
		SKIP("frame pool empty");
	CHECK_RC("pin an empty L3", 0, pin_table(3, l3));
	for (unsigned int s = 256; s < 272; s++)
		before[s - 256] = table_va(l4)[s];
	/* Every slot of the hole, even with an entry that would be valid elsewhere. */
	for (unsigned int s = 256; s < 272; s++) {
		snprintf(what, sizeof(what), "L4 slot %u -> our L3", s);
		CHECK_RC(what, -XEN_EINVAL, mmu_write(l4_slot_maddr(s), pte_make(l3, TABLE_FLAGS)));
	}
	for (unsigned int s = 256; s < 272; s++)
		if (table_va(l4)[s] != before[s - 256]) {
			test_fail("L4 slot %u changed: %#lx -> %#lx", s, before[s - 256], table_va(l4)[s]);
			break;
		}
	CHECK_RC("unpin the L3", 0, unpin_table(l3));
	CHECK(frame_free(l3), "the L3 frame stayed typed");
}

TEST(mmu, no_superpages)
{
	uint64_t maddr, v = (uint64_t)scratch[0];
	uint64_t l2e = pte_lookup(v, 2, &maddr);
	uint64_t l2mfn = maddr >> PAGE_SHIFT;
	unsigned int slot = 400;        /* empty: far above the initial region */

	CHECK(l2e & PTE_P, "no L2 entry for scratch[0]");
	CHECK_EQ("L2 slot 400 empty", 0, table_va(l2mfn)[slot]);
	maddr = (l2mfn << PAGE_SHIFT) + slot * 8;
	CHECK_RC("2 MiB mapping in an L2", -XEN_EINVAL,
		 mmu_write(maddr, (virt_to_mfn(scratch[0]) << PAGE_SHIFT & ~0x1fffffUL) | PTE_P | PTE_PSE | PTE_US));
	if (table_va(l2mfn)[slot])
		mmu_write(maddr, 0);
}

TEST(mmu, no_superpages_l3)
{
	uint64_t l3 = frame_alloc(), data = frame_alloc();

	if (!l3 || !data)
		SKIP("frame pool empty");
	CHECK_RC("pin an empty L3", 0, pin_table(3, l3));
	/* A 1 GiB mapping: the same PSE bit one level up. */
	CHECK_RC("1 GiB mapping in an L3", -XEN_EINVAL,
		 mmu_write(l3 << PAGE_SHIFT, pte_make(data & ~0x3ffffUL, PTE_P | PTE_PSE | PTE_US | PTE_A)));
	CHECK_EQ("L3[0] unchanged", 0, frame_peek(l3, 0));
	CHECK_RC("unpin", 0, unpin_table(l3));
	CHECK(frame_free(l3) && frame_free(data), "a frame stayed typed");
}

/*
 * The whole path of a new mapping, built bottom-up from our own frames
 * with one mmu_update per level, used, and torn down from the top.
 */
TEST(mmu, build_tables_every_level)
{
	uint64_t l3 = frame_alloc(), l2 = frame_alloc(), l1 = frame_alloc(), data = frame_alloc();
	volatile uint64_t *va = (volatile uint64_t *)TEST_VA;
	const volatile uint64_t *home;
	uint64_t v = 0, maddr = 0;

	if (!l3 || !l2 || !l1 || !data)
		SKIP("frame pool empty");
	CHECK_EQ("L4 slot 300 is free", 0, frame_peek(cr3_mfn(), TEST_L4_SLOT));
	/* Empty tables validate trivially; pinning makes mmu_update treat them as tables. */
	CHECK_RC("pin the L1", 0, pin_table(1, l1));
	CHECK_RC("pin the L2", 0, pin_table(2, l2));
	CHECK_RC("pin the L3", 0, pin_table(3, l3));
	CHECK_RC("L1[0] -> data frame, writable", 0, mmu_write(l1 << PAGE_SHIFT, pte_make(data, PTE_RW_FLAGS)));
	CHECK_RC("L2[0] -> L1", 0, mmu_write(l2 << PAGE_SHIFT, pte_make(l1, TABLE_FLAGS)));
	CHECK_RC("L3[0] -> L2", 0, mmu_write(l3 << PAGE_SHIFT, pte_make(l2, TABLE_FLAGS)));
	CHECK_RC("L4[300] -> L3", 0, mmu_write(l4_slot_maddr(TEST_L4_SLOT), pte_make(l3, TABLE_FLAGS)));

	/* Live: write through the new address, read the frame through another mapping. */
	CHECK(probe_write_u64(va, 0xfeedface0001UL), "write through the new tables faulted");
	CHECK(probe_write_u64(va + 511, 0xfeedface0002UL), "write to the end of the page faulted");
	CHECK(probe_read_u64(va, &v) && v == 0xfeedface0001UL, "read back %#lx", v);
	CHECK_RC("map the data frame read-only at home", 0, frame_map_ro(data));
	home = frame_home(data);
	CHECK_EQ("the frame holds the write", 0xfeedface0001UL, home[0]);
	CHECK_EQ("the frame holds the last word", 0xfeedface0002UL, home[511]);
	CHECK_EQ("walk: L1 entry maps the data frame", data, pte_mfn(pte_lookup(TEST_VA, 1, &maddr)));
	CHECK_EQ("walk: through our L1", l1 << PAGE_SHIFT, maddr);

	/* The links hold the types now; the pins can go. */
	CHECK_RC("unpin the L1", 0, unpin_table(l1));
	CHECK_RC("unpin the L2", 0, unpin_table(l2));
	CHECK_RC("unpin the L3", 0, unpin_table(l3));
	CHECK(probe_read_u64(va, &v), "the mapping went away with the pins");

	/* Unlinking the top releases the whole chain. */
	CHECK_RC("clear L4[300]", 0, mmu_write(l4_slot_maddr(TEST_L4_SLOT), 0));
	CHECK(!probe_read_u64(va, &v), "the address still maps after unlinking");
	CHECK(frame_free(l3), "the L3 stayed typed");
	CHECK(frame_free(l2), "the L2 stayed typed");
	CHECK(frame_free(l1), "the L1 stayed typed");
	CHECK(frame_free(data), "the data frame could not be given back");
}

/* A table entry may only point at a frame that can take the next level's type. */
TEST(mmu, link_writable_frame_refused)
{
	uint64_t l3 = frame_alloc(), l2 = frame_alloc(), x = frame_alloc();
	volatile uint64_t *xv;

	if (!l3 || !l2 || !x)
		SKIP("frame pool empty");
	CHECK_RC("map x writable", 0, frame_map_rw(x));
	xv = frame_home(x);
	CHECK_RC("pin an empty L2", 0, pin_table(2, l2));
	CHECK_RC("pin an empty L3", 0, pin_table(3, l3));
	CHECK_RC("L2[0] -> writable x", -XEN_EINVAL, mmu_write(l2 << PAGE_SHIFT, pte_make(x, TABLE_FLAGS)));
	CHECK_EQ("L2[0] unchanged", 0, frame_peek(l2, 0));
	CHECK_RC("L3[0] -> writable x", -XEN_EINVAL, mmu_write(l3 << PAGE_SHIFT, pte_make(x, TABLE_FLAGS)));
	CHECK_EQ("L3[0] unchanged", 0, frame_peek(l3, 0));
	CHECK_RC("L4[300] -> writable x", -XEN_EINVAL,
		 mmu_write(l4_slot_maddr(TEST_L4_SLOT), pte_make(x, TABLE_FLAGS)));
	CHECK_EQ("L4[300] unchanged", 0, frame_peek(cr3_mfn(), TEST_L4_SLOT));
	/* And x kept its writable mapping. */
	CHECK(probe_write_u64(xv, 0x5a), "x is no longer writable");
	CHECK_RC("unpin the L2", 0, unpin_table(l2));
	CHECK_RC("unpin the L3", 0, unpin_table(l3));
	CHECK(frame_free(l2) && frame_free(l3) && frame_free(x), "a frame stayed typed");
}

/* Above L1, PWT, PCD, PSE and G are reserved for PV guests. */
TEST(mmu, reserved_flags_upper_levels)
{
	static const struct { uint64_t bit; const char *name; } bad[] = {
		{ PTE_PWT, "PWT" }, { PTE_PCD, "PCD" }, { PTE_G, "G" },
	};
	uint64_t l3 = frame_alloc(), l2 = frame_alloc(), l1 = frame_alloc(), l3b = frame_alloc();
	uint64_t l4slot = l4_slot_maddr(TEST_L4_SLOT);
	char what[48];

	if (!l3 || !l2 || !l1 || !l3b)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	CHECK_RC("pin L2", 0, pin_table(2, l2));
	CHECK_RC("pin L3", 0, pin_table(3, l3));
	CHECK_RC("pin a second L3", 0, pin_table(3, l3b));
	for (unsigned int i = 0; i < ARRAY_SIZE(bad); i++) {
		snprintf(what, sizeof(what), "L2 entry with %s", bad[i].name);
		CHECK_RC(what, -XEN_EINVAL, mmu_write(l2 << PAGE_SHIFT, pte_make(l1, TABLE_FLAGS | bad[i].bit)));
		snprintf(what, sizeof(what), "L3 entry with %s", bad[i].name);
		CHECK_RC(what, -XEN_EINVAL, mmu_write(l3 << PAGE_SHIFT, pte_make(l2, TABLE_FLAGS | bad[i].bit)));
		snprintf(what, sizeof(what), "L4 entry with %s", bad[i].name);
		CHECK_RC(what, -XEN_EINVAL, mmu_write(l4slot, pte_make(l3b, TABLE_FLAGS | bad[i].bit)));
	}
	CHECK_EQ("L2[0] unchanged", 0, frame_peek(l2, 0));
	CHECK_EQ("L3[0] unchanged", 0, frame_peek(l3, 0));
	CHECK_EQ("L4[300] unchanged", 0, frame_peek(cr3_mfn(), TEST_L4_SLOT));
	/* The same entries without the bit are fine (so the bit was the reason). */
	CHECK_RC("L2 entry, plain", 0, mmu_write(l2 << PAGE_SHIFT, pte_make(l1, TABLE_FLAGS)));
	CHECK_RC("L3 entry, plain", 0, mmu_write(l3 << PAGE_SHIFT, pte_make(l2, TABLE_FLAGS)));
	CHECK_RC("L4 entry, plain", 0, mmu_write(l4slot, pte_make(l3b, TABLE_FLAGS)));
	CHECK_RC("clear L4[300]", 0, mmu_write(l4slot, 0));
	CHECK_RC("clear L3[0]", 0, mmu_write(l3 << PAGE_SHIFT, 0));
	CHECK_RC("clear L2[0]", 0, mmu_write(l2 << PAGE_SHIFT, 0));
	for (uint64_t *f = (uint64_t[]){ l1, l2, l3, l3b, 0 }; *f; f++)
		CHECK_RC("unpin", 0, unpin_table(*f));
	CHECK(frame_free(l1) && frame_free(l2) && frame_free(l3) && frame_free(l3b), "a frame stayed typed");
}

/*
 * Cache attributes in an L1 entry need I/O resources: the initial domain
 * has them and may use PWT/PCD on its own RAM; other domains may not.
 */
TEST(mmu, l1_cache_attributes)
{
	uint64_t a = virt_to_mfn(scratch[2]);
	long rc = map(scratch[2], a, PTE_RW_FLAGS | PTE_PCD | PTE_PWT);

	if (is_initial_domain()) {
		CHECK_RC("UC mapping of our own frame (dom0)", 0, rc);
		CHECK_EQ("PCD|PWT kept", PTE_PCD | PTE_PWT,
			 pte_lookup((uint64_t)scratch[2], 1, NULL) & (PTE_PCD | PTE_PWT));
	} else {
		CHECK_RC("UC mapping of our own frame (domU)", -XEN_EINVAL, rc);
	}
	CHECK_RC("restore", 0, map(scratch[2], a, PTE_RW_FLAGS));
	CHECK_EQ("restored without PCD|PWT", 0,
		 pte_lookup((uint64_t)scratch[2], 1, NULL) & (PTE_PCD | PTE_PWT));
}

/* A frame that belongs to someone else (or to nobody) is never mapped. */
TEST(mmu, foreign_frame_refused)
{
	uint64_t f = foreign_frame(), a = virt_to_mfn(scratch[0]), maddr, e;

	if (!is_initial_domain())
		SKIP("needs the host memory map to find a frame that is not ours");
	if (!f)
		SKIP("no RAM frame outside the domain found");
	printf("  (frame %#lx is not ours)\n", f);
	e = pte_lookup((uint64_t)scratch[0], 1, &maddr);
	/* Xen: get_page_from_l1e finds another owner: -EBUSY, read-only or not. */
	CHECK_RC("update_va_mapping, read-only", -XEN_EBUSY, map(scratch[0], f, PTE_RO_FLAGS));
	CHECK_RC("update_va_mapping, writable", -XEN_EBUSY, map(scratch[0], f, PTE_RW_FLAGS));
	CHECK_RC("mmu_update, read-only", -XEN_EBUSY, mmu_write(maddr, pte_make(f, PTE_RO_FLAGS)));
	CHECK_EQ("the L1 entry is unchanged", e, pte_lookup((uint64_t)scratch[0], 1, NULL));
	CHECK_EQ("still our frame", a, pte_mfn(pte_lookup((uint64_t)scratch[0], 1, NULL)));
}

/* The entry written must lie in a frame of ours. */
TEST(mmu, ptr_in_foreign_frame)
{
	uint64_t f = foreign_frame();
	unsigned int done = 99;
	struct mmu_update u;

	if (!is_initial_domain())
		SKIP("needs the host memory map to find a frame that is not ours");
	if (!f)
		SKIP("no RAM frame outside the domain found");
	u.ptr = (f << PAGE_SHIFT) | MMU_NORMAL_PT_UPDATE;
	u.val = 0;
	CHECK_RC("write into a frame not ours", -XEN_EINVAL, HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF));
	CHECK_EQ("done", 0, done);
	u.ptr = (f << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE;
	u.val = 5;
	CHECK_RC("M2P of a frame not ours", -XEN_EINVAL, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK(M2P[f] != 5, "the M2P entry of a foreign frame changed");
}

/*
 * A ptr into a frame of ours that is not a page table is no error: Xen
 * takes a writable type on the frame for the moment and writes the word.
 */
TEST(mmu, ptr_in_plain_frame)
{
	uint64_t x = frame_alloc();
	const volatile uint64_t *xv;

	if (!x)
		SKIP("frame pool empty");
	CHECK_RC("write into an unmapped plain frame", 0, mmu_write((x << PAGE_SHIFT) + 16, 0x77));
	CHECK_RC("map it writable", 0, frame_map_rw(x));
	xv = frame_home(x);
	CHECK_EQ("word 2", 0x77, xv[2]);
	CHECK_RC("write into a writably mapped plain frame", 0, mmu_write((x << PAGE_SHIFT) + 8, 0xabcdef));
	CHECK_EQ("word 1", 0xabcdef, xv[1]);
	CHECK(frame_free(x), "the frame stayed typed");
}

TEST(mmu, machphys_update)
{
	uint64_t a = virt_to_mfn(scratch[0]);
	uint64_t pfn = ((uint64_t)scratch[0] - VIRT_BASE) >> PAGE_SHIFT;
	struct mmu_update u = { .ptr = (a << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, .val = pfn };

	CHECK_RC("M2P of our own frame (unchanged)", 0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK_EQ("m2p entry", pfn, M2P[a]);
	/* Another value sticks, and can be put back. */
	u.val = 0x123456;
	CHECK_RC("M2P of our own frame (changed)", 0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK_EQ("m2p entry changed", 0x123456, M2P[a]);
	u.val = pfn;
	CHECK_RC("M2P restored", 0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK_EQ("m2p entry restored", pfn, M2P[a]);
	CHECK_RC("updates from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_mmu_update(BAD_PTR_UNMAPPED, 1, NULL, DOMID_SELF));
}

/* MMU_PT_UPDATE_PRESERVE_AD ORs the entry's current A/D bits into the new value. */
TEST(mmu, preserve_ad)
{
	uint64_t l1 = frame_alloc(), data = frame_alloc();
	struct mmu_update u;

	if (!l1 || !data)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	CHECK_RC("entry with A and D", 0, mmu_write(l1 << PAGE_SHIFT, pte_make(data, PTE_P | PTE_US | PTE_A | PTE_D)));
	CHECK_EQ("A|D set", PTE_A | PTE_D, frame_peek(l1, 0) & (PTE_A | PTE_D));
	u.ptr = (l1 << PAGE_SHIFT) | MMU_PT_UPDATE_PRESERVE_AD;
	u.val = pte_make(data, PTE_P | PTE_US);
	CHECK_RC("PRESERVE_AD update without A|D", 0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK_EQ("A|D preserved", PTE_A | PTE_D, frame_peek(l1, 0) & (PTE_A | PTE_D));
	CHECK_EQ("same frame", data, pte_mfn(frame_peek(l1, 0)));
	/* A normal update with the same value drops them. */
	CHECK_RC("normal update without A|D", 0, mmu_write(l1 << PAGE_SHIFT, pte_make(data, PTE_P | PTE_US)));
	CHECK_EQ("A|D gone", 0, frame_peek(l1, 0) & (PTE_A | PTE_D));
	/* Preserving does not invent bits that were clear. */
	u.val = pte_make(data, PTE_P | PTE_US | PTE_RW);
	CHECK_RC("PRESERVE_AD update adding RW", 0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK_EQ("no A|D appeared", 0, frame_peek(l1, 0) & (PTE_A | PTE_D));
	CHECK_EQ("RW now set", PTE_RW, frame_peek(l1, 0) & PTE_RW);
	CHECK_RC("clear", 0, mmu_write(l1 << PAGE_SHIFT, 0));
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(l1) && frame_free(data), "a frame stayed typed");
}

/* MMU_PT_UPDATE_NO_TRANSLATE is a normal update for a PV guest. */
TEST(mmu, no_translate_cmd)
{
	uint64_t l1 = frame_alloc(), data = frame_alloc();
	struct mmu_update u;

	if (!l1 || !data)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	u.ptr = ((l1 << PAGE_SHIFT) + 8) | MMU_PT_UPDATE_NO_TRANSLATE;
	u.val = pte_make(data, PTE_RO_FLAGS);
	CHECK_RC("NO_TRANSLATE update", 0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK_EQ("entry 1 maps data", data, pte_mfn(frame_peek(l1, 1)));
	u.val = 0;
	CHECK_RC("NO_TRANSLATE clear", 0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(l1) && frame_free(data), "a frame stayed typed");
}

TEST(mmu, unknown_cmd)
{
	uint64_t l1 = frame_alloc();
	struct mmu_update u;
	unsigned int done = 99;

	if (!l1)
		SKIP("frame pool empty");
	/* The command is ptr & 7: 4..7 are unknown. */
	for (unsigned int cmd = 4; cmd < 8; cmd++) {
		u.ptr = (l1 << PAGE_SHIFT) | cmd;
		u.val = 0;
		CHECK_RC("unknown mmu_update command", -XEN_ENOSYS, HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF));
		CHECK_EQ("done", 0, done);
	}
	CHECK(frame_free(l1), "the frame stayed typed");
}

/* A batch stops at its first failure; `done` counts what was applied. */
TEST(mmu, batch_partial_failure)
{
	uint64_t l1 = frame_alloc(), data = frame_alloc();
	struct mmu_update u[4];
	unsigned int done = 99;

	if (!l1 || !data)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	for (unsigned int i = 0; i < 4; i++) {
		u[i].ptr = (l1 << PAGE_SHIFT) + i * 8;
		u[i].val = pte_make(data, PTE_RO_FLAGS);
	}
	u[2].ptr = l4_slot_maddr(256);     /* refused: the hypervisor's slot */
	u[2].val = 0;
	CHECK_RC("batch with a bad third entry", -XEN_EINVAL, HYPERVISOR_mmu_update(u, 4, &done, DOMID_SELF));
	CHECK_EQ("done", 2, done);
	CHECK_EQ("entry 0 applied", data, pte_mfn(frame_peek(l1, 0)));
	CHECK_EQ("entry 1 applied", data, pte_mfn(frame_peek(l1, 1)));
	CHECK_EQ("entry 3 not applied", 0, frame_peek(l1, 3));
	for (unsigned int i = 0; i < 4; i++)
		u[i].val = 0;
	u[2].ptr = (l1 << PAGE_SHIFT) + 16;
	CHECK_RC("clear the batch", 0, HYPERVISOR_mmu_update(u, 4, &done, DOMID_SELF));
	CHECK_EQ("done", 4, done);
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(l1) && frame_free(data), "a frame stayed typed");
}

/* One call filling a whole L1 (Linux batches like this), then emptying it. */
TEST(mmu, batch_whole_table)
{
	static struct mmu_update u[512];
	uint64_t l1 = frame_alloc(), data = frame_alloc();
	unsigned int done = 0, wrong = 0;

	if (!l1 || !data)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	for (unsigned int i = 0; i < 512; i++) {
		u[i].ptr = (l1 << PAGE_SHIFT) + i * 8;
		u[i].val = pte_make(data, PTE_RO_FLAGS);
	}
	CHECK_RC("512 updates", 0, HYPERVISOR_mmu_update(u, 512, &done, DOMID_SELF));
	CHECK_EQ("done", 512, done);
	for (unsigned int i = 0; i < 512; i++)
		wrong += pte_mfn(frame_peek(l1, i)) != data;
	CHECK_EQ("entries not mapping the frame", 0, wrong);
	for (unsigned int i = 0; i < 512; i++)
		u[i].val = 0;
	CHECK_RC("512 clears", 0, HYPERVISOR_mmu_update(u, 512, &done, DOMID_SELF));
	CHECK_EQ("done", 512, done);
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(l1) && frame_free(data), "a frame stayed typed");
}

/*
 * foreigndom: bits 15:0 name the owner of the mapped frames (DOMID_SELF,
 * or a foreign domain; naming ourselves by number is refused), bits
 * 31:16 the owner of the tables plus one (0 = ourselves).
 */
TEST(mmu, foreigndom)
{
	uint64_t l1 = frame_alloc(), data = frame_alloc();
	struct mmu_update u;
	unsigned int done;

	if (!l1 || !data)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	u.ptr = l1 << PAGE_SHIFT;
	u.val = pte_make(data, PTE_RO_FLAGS);
	CHECK_RC("DOMID_SELF", 0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	/* Tables owned by domain 0: ourselves in dom0; a domU may not name them. */
	CHECK_RC("table owner 0+1, DOMID_SELF", is_initial_domain() ? 0 : -XEN_EPERM,
		 HYPERVISOR_mmu_update(&u, 1, NULL, (1U << 16) | DOMID_SELF));
	done = 99;
	CHECK_RC("frames of domain 100 (none)", -XEN_ESRCH, HYPERVISOR_mmu_update(&u, 1, &done, 100));
	CHECK_EQ("done", 0, done);
	CHECK_RC("tables of domain 100 (none)", -XEN_ESRCH,
		 HYPERVISOR_mmu_update(&u, 1, NULL, (101U << 16) | DOMID_SELF));
	if (is_initial_domain())
		CHECK_RC("ourselves by number (0)", -XEN_ESRCH, HYPERVISOR_mmu_update(&u, 1, NULL, 0));
	CHECK_RC("clear", 0, mmu_write(l1 << PAGE_SHIFT, 0));
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(l1) && frame_free(data), "a frame stayed typed");
}

TEST(mmu, bad_pointer_done)
{
	unsigned int done = 99;

	/* A guest address that faults: processed nothing, says so. */
	CHECK_RC("requests at an unmapped address", -XEN_EFAULT,
		 HYPERVISOR_mmu_update(BAD_PTR_UNMAPPED, 1, &done, DOMID_SELF));
	CHECK_EQ("done after a faulting read", 0, done);
	/* An address outside the guest's range is refused before anything else. */
	done = 99;
	CHECK_RC("requests in the hypervisor", -XEN_EFAULT,
		 HYPERVISOR_mmu_update(BAD_PTR_HV, 1, &done, DOMID_SELF));
	CHECK_EQ("done untouched", 99, done);
	CHECK_RC("zero requests from a bad pointer", 0, HYPERVISOR_mmu_update(BAD_PTR_UNMAPPED, 0, NULL, DOMID_SELF));
}

/*
 * update_va_mapping's flush flags: local / all / a vCPU bitmap. With a
 * bitmap Xen cannot read, the entry is already written: -EFAULT comes
 * after the update.
 */
TEST(mmu, update_va_mapping_flush_flags)
{
	uint64_t a = virt_to_mfn(scratch[3]), b = virt_to_mfn(scratch[2]);
	static uint64_t vcpus = 1;
	unsigned long va = (unsigned long)scratch[3];

	CHECK_RC("no flush", 0, HYPERVISOR_update_va_mapping(va, pte_make(a, PTE_RW_FLAGS), UVMF_NONE));
	CHECK_RC("TLB flush, local", 0, HYPERVISOR_update_va_mapping(va, pte_make(a, PTE_RW_FLAGS), UVMF_TLB_FLUSH));
	CHECK_RC("TLB flush, all", 0,
		 HYPERVISOR_update_va_mapping(va, pte_make(a, PTE_RW_FLAGS), UVMF_TLB_FLUSH | UVMF_ALL));
	CHECK_RC("invlpg, all", 0,
		 HYPERVISOR_update_va_mapping(va, pte_make(a, PTE_RW_FLAGS), UVMF_INVLPG | UVMF_ALL));
	CHECK_RC("invlpg, vCPU bitmap", 0,
		 HYPERVISOR_update_va_mapping(va, pte_make(a, PTE_RW_FLAGS), UVMF_INVLPG | (unsigned long)&vcpus));
	CHECK_RC("TLB flush, unreadable bitmap", -XEN_EFAULT,
		 HYPERVISOR_update_va_mapping(va, pte_make(b, PTE_RW_FLAGS), UVMF_TLB_FLUSH | 0x10));
	CHECK_EQ("the entry was written anyway", b, pte_mfn(pte_lookup(va, 1, NULL)));
	CHECK_RC("restore", 0, map(scratch[3], a, PTE_RW_FLAGS));
	CHECK_EQ("restored", a, pte_mfn(pte_lookup(va, 1, NULL)));
}

/*
 * What a guest reads back from the entries it wrote. The guest kernel
 * runs in ring 3, so every present entry gets US; an L1 entry the guest
 * wrote without US is a kernel page: Xen marks it with bit 52 (its
 * "guest kernel" tag, visible to the guest). A user L1 entry (US, bit 52
 * clear) becomes global. L4 entries also get A.
 */
#define PTE_XEN_GUEST_KERNEL (1UL << 52)

TEST(mmu, entry_adjustments)
{
	static const struct { uint64_t in, out; const char *what; } l1[] = {
		{ PTE_P | PTE_RW, PTE_P | PTE_RW | PTE_US | PTE_XEN_GUEST_KERNEL, "kernel RW page" },
		{ PTE_P, PTE_P | PTE_US | PTE_XEN_GUEST_KERNEL, "kernel RO page" },
		{ PTE_P | PTE_RW | PTE_US, PTE_P | PTE_RW | PTE_US | PTE_G, "user RW page" },
		{ PTE_P | PTE_US | PTE_G, PTE_P | PTE_US | PTE_G, "user global page" },
		{ PTE_P | PTE_US | PTE_XEN_GUEST_KERNEL, PTE_P | PTE_US | PTE_XEN_GUEST_KERNEL, "tagged by the guest" },
		{ 0x0000000000000e00UL, 0x0000000000000e00UL, "not present: kept as is" },
	};
	uint64_t t1 = frame_alloc(), t2 = frame_alloc(), t3 = frame_alloc(), t4 = frame_alloc(), d = frame_alloc();
	char what[64];

	if (!t1 || !t2 || !t3 || !t4 || !d)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, t1));
	CHECK_RC("pin L2", 0, pin_table(2, t2));
	CHECK_RC("pin L3", 0, pin_table(3, t3));
	CHECK_RC("pin L4", 0, pin_table(4, t4));
	for (unsigned int i = 0; i < ARRAY_SIZE(l1); i++) {
		uint64_t in = (l1[i].in & PTE_P) ? pte_make(d, l1[i].in) : l1[i].in;
		uint64_t out = (l1[i].out & PTE_P) ? pte_make(d, l1[i].out) : l1[i].out;

		snprintf(what, sizeof(what), "L1: %s", l1[i].what);
		CHECK_RC(what, 0, mmu_write((t1 << PAGE_SHIFT) + i * 8, in));
		CHECK_EQ(what, out, frame_peek(t1, i));
	}
	CHECK_RC("L2 entry, P only", 0, mmu_write(t2 << PAGE_SHIFT, pte_make(t1, PTE_P)));
	CHECK_EQ("L2 entry read back", pte_make(t1, PTE_P | PTE_US), frame_peek(t2, 0));
	CHECK_RC("L3 entry, P only", 0, mmu_write(t3 << PAGE_SHIFT, pte_make(t2, PTE_P)));
	CHECK_EQ("L3 entry read back", pte_make(t2, PTE_P | PTE_US), frame_peek(t3, 0));
	CHECK_RC("L4 entry, P only", 0, mmu_write(t4 << PAGE_SHIFT, pte_make(t3, PTE_P)));
	CHECK_EQ("L4 entry read back", pte_make(t3, PTE_P | PTE_US | PTE_A), frame_peek(t4, 0));
	CHECK_RC("clear L4[0]", 0, mmu_write(t4 << PAGE_SHIFT, 0));
	CHECK_RC("clear L3[0]", 0, mmu_write(t3 << PAGE_SHIFT, 0));
	CHECK_RC("clear L2[0]", 0, mmu_write(t2 << PAGE_SHIFT, 0));
	for (unsigned int i = 0; i < ARRAY_SIZE(l1); i++)
		CHECK_RC("clear L1 entry", 0, mmu_write((t1 << PAGE_SHIFT) + i * 8, 0));
	CHECK_RC("unpin L1", 0, unpin_table(t1));
	CHECK_RC("unpin L2", 0, unpin_table(t2));
	CHECK_RC("unpin L3", 0, unpin_table(t3));
	CHECK_RC("unpin L4", 0, unpin_table(t4));
	CHECK(frame_free(t1) && frame_free(t2) && frame_free(t3) && frame_free(t4) && frame_free(d),
	      "a frame stayed typed");
}
