/*
 * Writable page tables (VMASST_TYPE_writable_pagetables, pv-abi.md §8.6):
 * with the assist, a guest-kernel write to a read-only mapping of an L1
 * in use is emulated — decoded, validated like MMU_NORMAL_PT_UPDATE and
 * stored — for the instruction forms Linux uses on PTEs. A write the
 * validation refuses, a write to a higher-level table, or (except for
 * the hardware domain) any write without the assist, is the guest's #PF
 * (present, write: error code 3).
 *
 * The L1 under test is a pool frame hung into slot 400 of our bootstrap
 * L2, so its entries map TEST_VA onwards, and mapped read-only at its
 * home address, through which the tests write it.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <public/errno.h>

#define TABLE_FLAGS (PTE_P | PTE_RW | PTE_US | PTE_A)
#define L2_SLOT     400
#define TEST_VA     (VIRT_BASE + L2_SLOT * 0x200000UL)
#define PF_PRESENT_WRITE 3

struct ptwr_env {
	uint64_t l1, a, b;              /* the L1 and two data frames */
	uint64_t l2_maddr;              /* the L2 slot the L1 hangs in */
	volatile uint64_t *pte;         /* the L1, mapped read-only */
};

static bool env_setup(struct ptwr_env *e)
{
	uint64_t l2e_maddr;

	memset(e, 0, sizeof(*e));
	e->l1 = frame_alloc();
	e->a = frame_alloc();
	e->b = frame_alloc();
	if (!e->l1 || !e->a || !e->b)
		return false;
	pte_lookup(VIRT_BASE, 2, &l2e_maddr);
	e->l2_maddr = (l2e_maddr & ~(PAGE_SIZE - 1)) + L2_SLOT * 8;
	CHECK_EQ("bootstrap L2 slot 400 free", 0, frame_peek(l2e_maddr >> PAGE_SHIFT, L2_SLOT));
	CHECK_RC("pin the L1", 0, pin_table(1, e->l1));
	CHECK_RC("hang it into L2 slot 400", 0, mmu_write(e->l2_maddr, pte_make(e->l1, TABLE_FLAGS)));
	CHECK_RC("map the L1 read-only", 0, frame_map_ro(e->l1));
	CHECK_RC("map frame a writable", 0, frame_map_rw(e->a));
	CHECK_RC("map frame b writable", 0, frame_map_rw(e->b));
	((volatile uint64_t *)frame_home(e->a))[0] = 0xaaaa;
	((volatile uint64_t *)frame_home(e->b))[0] = 0xbbbb;
	e->pte = frame_home(e->l1);
	return true;
}

static void env_teardown(struct ptwr_env *e)
{
	HYPERVISOR_vm_assist(VMASST_CMD_disable, VMASST_TYPE_writable_pagetables);
	if (e->l2_maddr)
		CHECK_RC("unhang the L1", 0, mmu_write(e->l2_maddr, 0));
	if (e->l1)
		CHECK_RC("unpin the L1", 0, unpin_table(e->l1));
	CHECK(frame_free(e->l1) && frame_free(e->a) && frame_free(e->b), "a frame stayed typed");
}

/* What slot i of the L1 maps, read through the mapping (after an invlpg). */
static bool read_through(unsigned int i, uint64_t *v)
{
	volatile uint64_t *p = (volatile uint64_t *)(TEST_VA + i * PAGE_SIZE);

	invlpg((const void *)p);
	return probe_read_u64(p, v);
}

static long assist(unsigned int cmd)
{
	return HYPERVISOR_vm_assist(cmd, VMASST_TYPE_writable_pagetables);
}

/*
 * Without the assist a write to an L1 is the guest's #PF — except for the
 * hardware domain: Xen 4.17 emulates its L1 writes regardless (its check
 * for read-only MMIO pages falls through to the page-table emulation).
 */
TEST(ptwr, without_assist)
{
	struct ptwr_env e;
	uint64_t v = 0;
	bool emulated;

	if (!env_setup(&e))
		SKIP("frame pool empty");
	CHECK_RC("disable the assist", 0, assist(VMASST_CMD_disable));
	emulated = probe_write_u64(&e.pte[0], pte_make(e.a, PTE_RW_FLAGS));
	if (is_initial_domain()) {
		CHECK(emulated, "dom0's write to an L1 faulted (vector %u, error %#lx)", last_trap.vector,
		      last_trap.error_code);
		CHECK_EQ("entry maps a", e.a, pte_mfn(e.pte[0]));
		CHECK(read_through(0, &v) && v == 0xaaaa, "through the mapping: %#lx", v);
		/* Validation applies all the same. */
		CHECK(!probe_write_u64(&e.pte[1], pte_make(e.l1, PTE_RW_FLAGS)),
		      "mapping the L1 writable did not fault");
		CHECK_EQ("error code", PF_PRESENT_WRITE, last_trap.error_code);
		CHECK_EQ("entry 1 unchanged", 0, e.pte[1]);
		CHECK(probe_write_u64(&e.pte[0], 0), "clearing faulted");
	} else {
		CHECK(!emulated, "write to the L1 did not fault");
		CHECK_EQ("vector", 14, last_trap.vector);
		CHECK_EQ("error code (present, write)", PF_PRESENT_WRITE, last_trap.error_code);
		CHECK_EQ("cr2", (uint64_t)&e.pte[0], last_trap.cr2);
		CHECK_EQ("the entry is unchanged", 0, e.pte[0]);
	}
	env_teardown(&e);
}

TEST(ptwr, mov_full_entry)
{
	struct ptwr_env e;
	uint64_t v = 0;

	if (!env_setup(&e))
		SKIP("frame pool empty");
	CHECK_RC("enable", 0, assist(VMASST_CMD_enable));
	CHECK(probe_write_u64(&e.pte[0], pte_make(e.a, PTE_RW_FLAGS)), "mov to the L1 faulted (vector %u)",
	      last_trap.vector);
	CHECK_EQ("entry maps a", e.a, pte_mfn(e.pte[0]));
	CHECK(read_through(0, &v) && v == 0xaaaa, "through the mapping: %#lx", v);
	/* The mapping is writable and live. */
	CHECK(probe_write_u64((volatile uint64_t *)TEST_VA + 1, 0x1111), "write through the new mapping faulted");
	CHECK_EQ("seen in frame a", 0x1111, ((volatile uint64_t *)frame_home(e.a))[1]);
	/* Replace it, then clear it. */
	CHECK(probe_write_u64(&e.pte[0], pte_make(e.b, PTE_RO_FLAGS)), "second mov faulted");
	CHECK(read_through(0, &v) && v == 0xbbbb, "through the mapping: %#lx", v);
	CHECK(probe_write_u64(&e.pte[0], 0), "clearing mov faulted");
	CHECK_EQ("entry cleared", 0, e.pte[0]);
	CHECK(!read_through(0, &v), "slot 0 still maps after clearing");
	env_teardown(&e);
}

TEST(ptwr, xchg)
{
	struct ptwr_env e;
	uint64_t old = 1, v = 0;

	if (!env_setup(&e))
		SKIP("frame pool empty");
	CHECK_RC("enable", 0, assist(VMASST_CMD_enable));
	CHECK_RC("entry 1 -> a", 0, mmu_write((e.l1 << PAGE_SHIFT) + 8, pte_make(e.a, PTE_RW_FLAGS)));
	/* ptep_get_and_clear. */
	CHECK(probe_xchg_u64(&e.pte[1], 0, &old), "xchg faulted");
	CHECK_EQ("xchg returned the old entry's frame", e.a, pte_mfn(old));
	CHECK_EQ("entry cleared", 0, e.pte[1]);
	CHECK(!read_through(1, &v), "slot 1 still maps");
	CHECK(probe_xchg_u64(&e.pte[1], pte_make(e.b, PTE_RO_FLAGS), &old), "xchg in faulted");
	CHECK_EQ("old value", 0, old);
	CHECK(read_through(1, &v) && v == 0xbbbb, "through the mapping: %#lx", v);
	CHECK(probe_xchg_u64(&e.pte[1], 0, &old), "xchg out faulted");
	env_teardown(&e);
}

TEST(ptwr, cmpxchg)
{
	struct ptwr_env e;
	uint64_t expect, cur, v = 0;

	if (!env_setup(&e))
		SKIP("frame pool empty");
	CHECK_RC("enable", 0, assist(VMASST_CMD_enable));
	CHECK_RC("entry 2 -> a", 0, mmu_write((e.l1 << PAGE_SHIFT) + 16, pte_make(e.a, PTE_RO_FLAGS)));
	cur = e.pte[2];
	/* A stale expected value: nothing changes, the current entry is reported. */
	expect = cur ^ PTE_A;
	CHECK(probe_cmpxchg_u64(&e.pte[2], &expect, pte_make(e.b, PTE_RO_FLAGS)), "failing cmpxchg faulted");
	CHECK_EQ("failing cmpxchg reports the entry", cur, expect);
	CHECK_EQ("entry unchanged", cur, e.pte[2]);
	/* The right expected value: swapped. */
	expect = cur;
	CHECK(probe_cmpxchg_u64(&e.pte[2], &expect, pte_make(e.b, PTE_RO_FLAGS)), "cmpxchg faulted");
	CHECK_EQ("cmpxchg saw the old entry", cur, expect);
	CHECK_EQ("entry maps b", e.b, pte_mfn(e.pte[2]));
	CHECK(read_through(2, &v) && v == 0xbbbb, "through the mapping: %#lx", v);
	CHECK_RC("clear", 0, mmu_write((e.l1 << PAGE_SHIFT) + 16, 0));
	env_teardown(&e);
}

/* ptep_set_wrprotect: clearing RW with a locked one-byte and, or a locked btr. */
TEST(ptwr, clear_rw_bit)
{
	struct ptwr_env e;

	if (!env_setup(&e))
		SKIP("frame pool empty");
	CHECK_RC("enable", 0, assist(VMASST_CMD_enable));
	CHECK_RC("entry 3 -> a, writable", 0, mmu_write((e.l1 << PAGE_SHIFT) + 24, pte_make(e.a, PTE_RW_FLAGS)));
	CHECK_RC("entry 4 -> b, writable", 0, mmu_write((e.l1 << PAGE_SHIFT) + 32, pte_make(e.b, PTE_RW_FLAGS)));
	invlpg((void *)(TEST_VA + 3 * PAGE_SIZE));
	CHECK(probe_write_u64((volatile uint64_t *)(TEST_VA + 3 * PAGE_SIZE) + 2, 0), "slot 3 not writable at first");
	CHECK(probe_lock_and_u8((volatile uint8_t *)&e.pte[3], (uint8_t)~PTE_RW), "lock andb faulted");
	CHECK_EQ("RW cleared by the byte op", 0, e.pte[3] & PTE_RW);
	CHECK_EQ("frame kept", e.a, pte_mfn(e.pte[3]));
	CHECK(probe_lock_btr_u64(&e.pte[4], 1), "lock btr faulted");
	CHECK_EQ("RW cleared by btr", 0, e.pte[4] & PTE_RW);
	CHECK_EQ("frame kept", e.b, pte_mfn(e.pte[4]));
	/* Both mappings are read-only now. */
	invlpg((void *)(TEST_VA + 3 * PAGE_SIZE));
	CHECK(!probe_write_u64((volatile uint64_t *)(TEST_VA + 3 * PAGE_SIZE), 0), "slot 3 still writable");
	CHECK_EQ("#PF error code", PF_PRESENT_WRITE, last_trap.error_code);
	/* Once no writable mapping is left, frame a can become a table. */
	CHECK_RC("unmap a at home", 0, frame_unmap(e.a));
	CHECK_RC("pin a as L1", 0, pin_table(1, e.a));
	CHECK_RC("unpin a", 0, unpin_table(e.a));
	CHECK(probe_write_u64(&e.pte[3], 0) && probe_write_u64(&e.pte[4], 0), "clearing faulted");
	env_teardown(&e);
}

/* A 4-byte store to the upper half (NX lives there) is merged into the whole entry. */
TEST(ptwr, partial_write)
{
	struct ptwr_env e;

	if (!env_setup(&e))
		SKIP("frame pool empty");
	CHECK_RC("enable", 0, assist(VMASST_CMD_enable));
	CHECK_RC("entry 5 -> a", 0, mmu_write((e.l1 << PAGE_SHIFT) + 40, pte_make(e.a, PTE_RO_FLAGS)));
	CHECK(probe_write_u32((volatile uint32_t *)&e.pte[5] + 1, 0x80000000U), "movl to the upper half faulted");
	CHECK_EQ("NX set", PTE_NX, e.pte[5] & PTE_NX);
	CHECK_EQ("frame kept", e.a, pte_mfn(e.pte[5]));
	CHECK_EQ("present kept", PTE_P, e.pte[5] & PTE_P);
	CHECK(probe_write_u32((volatile uint32_t *)&e.pte[5], 0), "movl to the lower half faulted");
	CHECK_EQ("now not present", 0, e.pte[5] & PTE_P);
	CHECK(probe_write_u64(&e.pte[5], 0), "clearing faulted");
	env_teardown(&e);
}

/* Validation still applies: no page table writable, no frame of someone else. */
TEST(ptwr, refused_writes_fault)
{
	struct ptwr_env e;
	uint64_t f = foreign_frame(), old = 0;

	if (!env_setup(&e))
		SKIP("frame pool empty");
	CHECK_RC("enable", 0, assist(VMASST_CMD_enable));
	CHECK(!probe_write_u64(&e.pte[6], pte_make(cr3_mfn(), PTE_RW_FLAGS)), "mapping the L4 writable did not fault");
	CHECK_EQ("vector", 14, last_trap.vector);
	CHECK_EQ("error code", PF_PRESENT_WRITE, last_trap.error_code);
	CHECK_EQ("cr2", (uint64_t)&e.pte[6], last_trap.cr2);
	CHECK_EQ("entry unchanged", 0, e.pte[6]);
	CHECK(!probe_write_u64(&e.pte[6], pte_make(e.l1, PTE_RW_FLAGS)), "mapping the L1 itself writable did not fault");
	CHECK(!probe_xchg_u64(&e.pte[6], pte_make(e.l1, PTE_RW_FLAGS), &old), "xchg of a bad entry did not fault");
	CHECK_EQ("entry unchanged", 0, e.pte[6]);
	/* Read-only the same is fine. */
	CHECK(probe_write_u64(&e.pte[6], pte_make(e.l1, PTE_RO_FLAGS)), "mapping the L1 read-only faulted");
	CHECK(probe_write_u64(&e.pte[6], 0), "clearing faulted");
	if (f) {
		CHECK(!probe_write_u64(&e.pte[7], pte_make(f, PTE_RO_FLAGS)), "mapping a frame not ours did not fault");
		CHECK_EQ("error code", PF_PRESENT_WRITE, last_trap.error_code);
		CHECK_EQ("entry unchanged", 0, e.pte[7]);
	}
	env_teardown(&e);
}

/* Only L1s are emulated: a write to a read-only L2 faults even with the assist. */
TEST(ptwr, only_l1)
{
	struct ptwr_env e;
	uint64_t l2 = frame_alloc();

	if (!l2)
		SKIP("frame pool empty");
	if (!env_setup(&e))
		SKIP("frame pool empty");
	CHECK_RC("enable", 0, assist(VMASST_CMD_enable));
	CHECK_RC("pin an L2", 0, pin_table(2, l2));
	CHECK_RC("map it read-only", 0, frame_map_ro(l2));
	CHECK(!probe_write_u64((volatile uint64_t *)frame_home(l2), pte_make(e.l1, TABLE_FLAGS)),
	      "write to an L2 did not fault");
	CHECK_EQ("error code", PF_PRESENT_WRITE, last_trap.error_code);
	CHECK_EQ("L2 unchanged", 0, frame_peek(l2, 0));
	/* Nor is any other read-only page (the M2P). */
	CHECK(!probe_write_u64((volatile uint64_t *)&M2P[p2m[0]], 0), "write to the M2P did not fault");
	CHECK_RC("unpin the L2", 0, unpin_table(l2));
	CHECK(frame_free(l2), "the L2 stayed typed");
	env_teardown(&e);
}
