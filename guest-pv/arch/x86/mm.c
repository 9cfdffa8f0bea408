/*
 * PV MMU helpers for the tests and benchmarks (see guest/mm.h): walks
 * of the current page tables, one-op hypercall wrappers, the frame pool
 * and the search for a frame that is not ours.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/mm.h>
#include <public/memory.h>

/*
 * The pool's home addresses, and a window through which frame_peek()
 * reads any frame of ours. The window's own frame is simply left
 * unmapped after its first use.
 */
static uint8_t pool[FRAME_POOL_PAGES][PAGE_SIZE] __aligned(PAGE_SIZE)
	__attribute__((section(".bss.page_aligned")));
static uint8_t peek_window[PAGE_SIZE] __aligned(PAGE_SIZE)
	__attribute__((section(".bss.page_aligned")));

/* Slot state: free (mapped RW at home, ours to hand out) or handed out. */
static bool pool_busy[FRAME_POOL_PAGES];

uint64_t virt_to_mfn(const void *va)
{
	return p2m[((uint64_t)va - VIRT_BASE) >> PAGE_SHIFT];
}

bool mfn_is_ours(uint64_t mfn)
{
	uint64_t pfn;

	if (!probe_read_u64(&M2P[mfn], &pfn))
		return false;
	return pfn < start_info->nr_pages && p2m[pfn] == mfn;
}

uint64_t cr3_mfn(void)
{
	uint64_t cr3;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
	return cr3 >> PAGE_SHIFT;
}

long map_va(const void *va, uint64_t mfn, uint64_t flags)
{
	return HYPERVISOR_update_va_mapping((unsigned long)va, mfn ? pte_make(mfn, flags) : 0,
					    UVMF_INVLPG);
}

long mmu_write(uint64_t maddr, uint64_t val)
{
	struct mmu_update u = { .ptr = maddr | MMU_NORMAL_PT_UPDATE, .val = val };

	return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF);
}

long mmuext(unsigned int cmd, uint64_t arg1, uint64_t arg2)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = arg1 };

	switch (cmd) {
	case MMUEXT_COPY_PAGE:
		op.arg2.src_mfn = arg2;
		break;
	case MMUEXT_TLB_FLUSH_MULTI:
	case MMUEXT_INVLPG_MULTI:
		op.arg2.vcpumask = arg2;
		break;
	default:
		op.arg2.nr_ents = (uint32_t)arg2;
		break;
	}
	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

long pin_table(int level, uint64_t mfn)
{
	return mmuext(MMUEXT_PIN_L1_TABLE + (unsigned int)(level - 1), mfn, 0);
}

long unpin_table(uint64_t mfn)
{
	return mmuext(MMUEXT_UNPIN_TABLE, mfn, 0);
}

void invlpg(const void *va)
{
	mmuext(MMUEXT_INVLPG_LOCAL, (uint64_t)va, 0);
}

uint64_t frame_peek(uint64_t mfn, unsigned int idx)
{
	uint64_t v = ~0UL;

	if (map_va(peek_window, mfn, PTE_RO_FLAGS))
		return ~0UL;
	if (!probe_read_u64(&((volatile uint64_t *)peek_window)[idx], &v))
		v = ~0UL;
	map_va(peek_window, 0, 0);
	return v;
}

void frame_copy_out(uint64_t mfn, void *buf)
{
	if (map_va(peek_window, mfn, PTE_RO_FLAGS)) {
		memset(buf, 0xff, PAGE_SIZE);
		return;
	}
	memcpy(buf, peek_window, PAGE_SIZE);
	map_va(peek_window, 0, 0);
}

uint64_t pte_lookup(uint64_t va, int level, uint64_t *maddr)
{
	uint64_t mfn = cr3_mfn();

	for (int l = 4; l >= level; l--) {
		unsigned int idx = pt_index(va, l);
		uint64_t e = frame_peek(mfn, idx);

		if (l == level) {
			if (maddr)
				*maddr = (mfn << PAGE_SHIFT) + idx * 8;
			return e;
		}
		if (!(e & PTE_P) || e == ~0UL)
			break;
		mfn = pte_mfn(e);
	}
	if (maddr)
		*maddr = 0;
	return 0;
}

static int pool_slot(uint64_t mfn)
{
	uint64_t pfn, first = ((uint64_t)pool - VIRT_BASE) >> PAGE_SHIFT;

	if (!probe_read_u64(&M2P[mfn], &pfn) || pfn < first || pfn >= first + FRAME_POOL_PAGES)
		return -1;
	if (p2m[pfn] != mfn)
		return -1;
	return (int)(pfn - first);
}

uint64_t frame_alloc(void)
{
	for (int i = 0; i < FRAME_POOL_PAGES; i++) {
		uint64_t mfn;

		if (pool_busy[i])
			continue;
		mfn = virt_to_mfn(pool[i]);
		memset(pool[i], 0, PAGE_SIZE);
		if (map_va(pool[i], 0, 0))
			return 0;
		pool_busy[i] = true;
		return mfn;
	}
	return 0;
}

bool frame_free(uint64_t mfn)
{
	int i = pool_slot(mfn);

	if (i < 0 || !pool_busy[i])
		return false;
	/* A frame still typed as a table (or descriptor page) stays out of the pool. */
	if (map_va(pool[i], mfn, PTE_RW_FLAGS))
		return false;
	pool_busy[i] = false;
	return true;
}

void *frame_home(uint64_t mfn)
{
	int i = pool_slot(mfn);

	return i < 0 ? NULL : pool[i];
}

long frame_map_ro(uint64_t mfn)
{
	int i = pool_slot(mfn);

	return i < 0 ? -1 : map_va(pool[i], mfn, PTE_RO_FLAGS);
}

long frame_map_rw(uint64_t mfn)
{
	int i = pool_slot(mfn);

	return i < 0 ? -1 : map_va(pool[i], mfn, PTE_RW_FLAGS);
}

long frame_unmap(uint64_t mfn)
{
	int i = pool_slot(mfn);

	return i < 0 ? -1 : map_va(pool[i], 0, 0);
}

uint64_t frame_alloc_l4_copy(uint64_t hv_slot_fill)
{
	static uint64_t cur[512];
	uint64_t l4 = frame_alloc();
	volatile uint64_t *v;

	if (!l4)
		return 0;
	frame_copy_out(cr3_mfn(), cur);
	if (frame_map_rw(l4))
		return 0;
	v = frame_home(l4);
	for (unsigned int i = 0; i < 512; i++)
		v[i] = (i >= 256 && i < 272) ? hv_slot_fill : cur[i];
	frame_unmap(l4);
	return l4;
}

unsigned int frames_in_use(void)
{
	unsigned int n = 0;

	for (int i = 0; i < FRAME_POOL_PAGES; i++)
		n += pool_busy[i];
	return n;
}

uint64_t foreign_frame(void)
{
	static struct xen_e820_entry map[64];
	struct xen_memory_map mm = { .nr_entries = ARRAY_SIZE(map), .buffer = (uint64_t)map };

	if (HYPERVISOR_memory_op(XENMEM_machine_memory_map, &mm))
		return 0;
	/* RAM above 16 MiB: below it lie legacy ranges Xen hands to DOMID_IO. */
	for (unsigned int i = 0; i < mm.nr_entries && i < ARRAY_SIZE(map); i++) {
		uint64_t first = (map[i].addr + PAGE_SIZE - 1) >> PAGE_SHIFT;
		uint64_t end = (map[i].addr + map[i].size) >> PAGE_SHIFT;

		if (map[i].type != XEN_E820_RAM)
			continue;
		if (first < 0x1000)
			first = 0x1000;
		for (uint64_t mfn = first; mfn < end; mfn += 0x100)
			if (!mfn_is_ours(mfn))
				return mfn;
	}
	return 0;
}

/* Fill a handed-out pool frame with `n` copies of `val` from entry `first`. */
static long frame_fill(uint64_t mfn, unsigned int first, unsigned int n, uint64_t val)
{
	volatile uint64_t *v;
	long rc = frame_map_rw(mfn);

	if (rc)
		return rc;
	v = frame_home(mfn);
	for (unsigned int i = first; i < first + n; i++)
		v[i] = val;
	return frame_unmap(mfn);
}

long alias_region_map(struct alias_region *r, unsigned int slot, uint64_t data,
		      unsigned int chunks, uint64_t tail)
{
	const uint64_t table = PTE_P | PTE_RW | PTE_US | PTE_A;
	long rc;

	memset(r, 0, sizeof(*r));
	if (!chunks || chunks > 511 || slot >= 512 || (slot >= 256 && slot < 272))
		return -1;
	r->slot = slot;
	r->l3 = frame_alloc();
	r->l2 = frame_alloc();
	r->l1 = frame_alloc();
	if (tail)
		r->l1_tail = frame_alloc();
	if (!r->l3 || !r->l2 || !r->l1 || (tail && !r->l1_tail))
		return -1;
	/* Plain frames filled first, then typed in one pin of the L3. */
	if ((rc = frame_fill(r->l1, 0, 512, pte_make(data, PTE_RO_FLAGS))) ||
	    (tail && (rc = frame_fill(r->l1_tail, 0, 1, pte_make(tail, PTE_RO_FLAGS)))) ||
	    (rc = frame_fill(r->l2, 0, chunks, pte_make(r->l1, table))) ||
	    (tail && (rc = frame_fill(r->l2, chunks, 1, pte_make(r->l1_tail, table)))) ||
	    (rc = frame_fill(r->l3, 0, 1, pte_make(r->l2, table))) ||
	    (rc = pin_table(3, r->l3)))
		return rc;
	r->pinned = true;
	rc = mmu_write((cr3_mfn() << PAGE_SHIFT) + slot * 8, pte_make(r->l3, table));
	if (rc)
		return rc;
	r->linked = true;
	r->va = (uint64_t)((int64_t)((uint64_t)slot << 39 << 16) >> 16);
	return 0;
}

bool alias_region_unmap(struct alias_region *r)
{
	bool ok = true;

	if (r->linked && mmu_write((cr3_mfn() << PAGE_SHIFT) + r->slot * 8, 0))
		ok = false;
	if (r->pinned && unpin_table(r->l3))
		ok = false;
	for (uint64_t *f = &r->l3; f <= &r->l1_tail; f++)
		if (*f && !frame_free(*f))
			ok = false;
	memset(r, 0, sizeof(*r));
	return ok;
}
