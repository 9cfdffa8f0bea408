/*
 * The PV MMU (update_va_mapping #14, mmu_update #1, mmuext_op #26): remap
 * our own frames, and the isolation rules that must refuse the rest —
 * page tables never writable, hypervisor L4 slots untouchable, no PSE,
 * pin/unpin bookkeeping.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>

#define PTE_P       0x001UL
#define PTE_RW      0x002UL
#define PTE_US      0x004UL
#define PTE_A       0x020UL
#define PTE_D       0x040UL
#define PTE_PSE     0x080UL
#define PTE_ADDR    0x000ffffffffff000UL

static uint8_t scratch[4][PAGE_SIZE] __aligned(PAGE_SIZE);

static const volatile uint64_t *const m2p = (const volatile uint64_t *)MACH2PHYS_VIRT_START;

static uint64_t virt_to_mfn(const void *va)
{
	return p2m[((uint64_t)va - VIRT_BASE) >> PAGE_SHIFT];
}

/* A page-table frame of the initial region, through its read-only mapping. */
static const uint64_t *table_va(uint64_t mfn)
{
	return (const uint64_t *)(VIRT_BASE + (m2p[mfn] << PAGE_SHIFT));
}

static uint64_t read_cr3(void)
{
	uint64_t cr3;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

/* The L1 entry mapping va, and the machine address of that entry. */
static uint64_t l1e_of(const void *va, uint64_t *maddr)
{
	uint64_t v = (uint64_t)va, mfn = read_cr3() >> PAGE_SHIFT;

	for (int level = 3; level >= 0; level--) {
		unsigned int idx = (v >> (12 + 9 * level)) & 511;
		uint64_t e = table_va(mfn)[idx];

		if (level == 0) {
			if (maddr)
				*maddr = (mfn << PAGE_SHIFT) + idx * 8;
			return e;
		}
		if (!(e & PTE_P))
			return 0;
		mfn = (e & PTE_ADDR) >> PAGE_SHIFT;
	}
	return 0;
}

static long map(const void *va, uint64_t mfn, uint64_t flags)
{
	return HYPERVISOR_update_va_mapping((unsigned long)va, mfn ? (mfn << PAGE_SHIFT) | flags : 0,
					    UVMF_INVLPG);
}

#define RW_FLAGS (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)

TEST(mmu, page_tables_reachable)
{
	uint64_t cr3 = read_cr3();

	CHECK(!(cr3 & 0xfff), "cr3 %#lx has low bits", cr3);
	CHECK_EQ("cr3 frame is pt_base's", p2m[(start_info->pt_base - VIRT_BASE) >> PAGE_SHIFT],
		 cr3 >> PAGE_SHIFT);
	CHECK_EQ("L1 entry of scratch[0]", virt_to_mfn(scratch[0]),
		 (l1e_of(scratch[0], NULL) & PTE_ADDR) >> PAGE_SHIFT);
	CHECK(!(l1e_of(table_va(cr3 >> PAGE_SHIFT), NULL) & PTE_RW), "the L4 is mapped writable");
}

TEST(mmu, remap_own_frame)
{
	uint64_t a = virt_to_mfn(scratch[0]), b = virt_to_mfn(scratch[1]);
	volatile uint64_t *pa = (volatile uint64_t *)scratch[0];
	uint64_t e;

	memset(scratch[0], 0, PAGE_SIZE);
	memset(scratch[1], 0, PAGE_SIZE);
	CHECK_RC("map scratch[0] -> frame of scratch[1]", 0, map(scratch[0], b, RW_FLAGS));
	*pa = 0x1234abcd;
	CHECK_EQ("write seen through the other mapping", 0x1234abcd, *(volatile uint64_t *)scratch[1]);
	e = l1e_of(scratch[0], NULL);
	CHECK_EQ("L1 entry frame", b, (e & PTE_ADDR) >> PAGE_SHIFT);
	CHECK((e & (PTE_P | PTE_RW)) == (PTE_P | PTE_RW), "L1 entry flags %#lx", e & 0xfff);
	CHECK_RC("restore scratch[0]", 0, map(scratch[0], a, RW_FLAGS));
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
	uint64_t l4 = read_cr3() >> PAGE_SHIFT, a = virt_to_mfn(scratch[0]);

	/* Xen: a frame that cannot take the writable type is -EBUSY. */
	CHECK_RC("map the L4 writable", -XEN_EBUSY, map(scratch[0], l4, RW_FLAGS));
	CHECK_RC("map the L4 read-only", 0, map(scratch[0], l4, PTE_P | PTE_US | PTE_A));
	CHECK_EQ("read the L4 through it", table_va(l4)[511], ((volatile uint64_t *)scratch[0])[511]);
	CHECK_RC("restore scratch[0]", 0, map(scratch[0], a, RW_FLAGS));
}

TEST(mmu, hypervisor_l4_slots)
{
	uint64_t l4 = read_cr3() >> PAGE_SHIFT;
	struct mmu_update u = { .ptr = (l4 << PAGE_SHIFT) + 256 * 8 + MMU_NORMAL_PT_UPDATE, .val = 0 };
	unsigned int done = 99;

	CHECK_RC("clear L4 slot 256", -XEN_EINVAL, HYPERVISOR_mmu_update(&u, 1, &done, DOMID_SELF));
	CHECK_EQ("done", 0, done);
	u.ptr = (l4 << PAGE_SHIFT) + 271 * 8;
	CHECK_RC("clear L4 slot 271", -XEN_EINVAL, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK(table_va(l4)[256] & PTE_P, "L4 slot 256 (the M2P) is gone");
}

TEST(mmu, no_superpages)
{
	uint64_t maddr, v = (uint64_t)scratch[0];
	uint64_t l4 = read_cr3() >> PAGE_SHIFT;
	uint64_t l4e = table_va(l4)[(v >> 39) & 511];
	uint64_t l3e = table_va((l4e & PTE_ADDR) >> PAGE_SHIFT)[(v >> 30) & 511];
	uint64_t l2mfn = (l3e & PTE_ADDR) >> PAGE_SHIFT;
	unsigned int slot = 400;        /* empty: far above the initial region */
	struct mmu_update u;

	CHECK_EQ("L2 slot 400 empty", 0, table_va(l2mfn)[slot]);
	maddr = (l2mfn << PAGE_SHIFT) + slot * 8;
	u.ptr = maddr | MMU_NORMAL_PT_UPDATE;
	u.val = (virt_to_mfn(scratch[0]) << PAGE_SHIFT & ~0x1fffffUL) | PTE_P | PTE_PSE | PTE_US;
	CHECK_RC("2 MiB mapping in an L2", -XEN_EINVAL, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	if (table_va(l2mfn)[slot]) {
		u.val = 0;
		HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
	}
}

TEST(mmu, pin_and_type_rules)
{
	uint64_t c = virt_to_mfn(scratch[2]), l4 = read_cr3() >> PAGE_SHIFT;
	struct mmuext_op op = { .cmd = MMUEXT_PIN_L4_TABLE, .arg1.mfn = l4 };

	CHECK_RC("pin the pinned L4", -XEN_EINVAL, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
	op.cmd = MMUEXT_UNPIN_TABLE;
	op.arg1.mfn = c;
	CHECK_RC("unpin a frame never pinned", -XEN_EINVAL, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
	op.cmd = MMUEXT_PIN_L1_TABLE;
	CHECK_RC("pin a writably mapped frame as L1", -XEN_EINVAL,
		 HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));

	/* Unmapped and empty, the same frame becomes a valid L1 ... */
	memset(scratch[2], 0, PAGE_SIZE);
	CHECK_RC("unmap scratch[2]", 0, map(scratch[2], 0, 0));
	CHECK_RC("pin it as L1", 0, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
	/* ... which may be mapped read-only, never writable. */
	CHECK_RC("map the pinned L1 writable", -XEN_EBUSY, map(scratch[3], c, RW_FLAGS));
	CHECK_RC("map the pinned L1 read-only", 0, map(scratch[3], c, PTE_P | PTE_US | PTE_A));
	CHECK_RC("restore scratch[3]", 0, map(scratch[3], virt_to_mfn(scratch[3]), RW_FLAGS));
	op.cmd = MMUEXT_UNPIN_TABLE;
	CHECK_RC("unpin it", 0, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
	CHECK_RC("unpin it again", -XEN_EINVAL, HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF));
	CHECK_RC("map scratch[2] writable again", 0, map(scratch[2], c, RW_FLAGS));
	scratch[2][0] = 1;
}

TEST(mmu, mmuext_flushes)
{
	struct mmuext_op ops[3] = {
		{ .cmd = MMUEXT_TLB_FLUSH_LOCAL },
		{ .cmd = MMUEXT_INVLPG_LOCAL, .arg1.linear_addr = (uint64_t)scratch[0] },
		{ .cmd = MMUEXT_TLB_FLUSH_ALL },
	};
	unsigned int done = 0;

	CHECK_RC("three flushes", 0, HYPERVISOR_mmuext_op(ops, 3, &done, DOMID_SELF));
	CHECK_EQ("done", 3, done);
	ops[0].cmd = 14;
	CHECK_RC("unknown cmd 14", -XEN_ENOSYS, HYPERVISOR_mmuext_op(ops, 1, NULL, DOMID_SELF));
	CHECK_RC("ops from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_mmuext_op(BAD_PTR_UNMAPPED, 1, NULL, DOMID_SELF));
}

TEST(mmu, machphys_update)
{
	uint64_t a = virt_to_mfn(scratch[0]);
	uint64_t pfn = ((uint64_t)scratch[0] - VIRT_BASE) >> PAGE_SHIFT;
	struct mmu_update u = { .ptr = (a << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE, .val = pfn };

	CHECK_RC("M2P of our own frame (unchanged)", 0, HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF));
	CHECK_EQ("m2p entry", pfn, m2p[a]);
	CHECK_RC("updates from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_mmu_update(BAD_PTR_UNMAPPED, 1, NULL, DOMID_SELF));
}
