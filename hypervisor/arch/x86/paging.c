/*
 * hv's own page tables. head.S leaves a boot map (4 GiB identity, the same
 * in the direct map, 1 GiB at HV_VIRT_START); paging_init replaces it with
 * the map hv keeps:
 *
 *   - the direct map of [0, 4 GiB) and of all RAM above, 2 MiB pages, NX;
 *   - hv's image with per-section rights: text RX, rodata R, data RW;
 *   - nothing at low addresses: a NULL dereference faults.
 *
 * The L4 slots hv uses are the ones every guest L4 will share (256-271).
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/m2p.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <hv/multiboot2.h>
#include <hv/panic.h>
#include <asm/page.h>
#include <asm/processor.h>

extern char _start[], _etext[], _erodata[], _end[];

pte_t *idle_l4;		/* hv's L4: the template for every address space */
static pte_t nx_bit;	/* _PAGE_NX if the CPU has it, else 0 */
static uintptr_t ioremap_next = DIRECTMAP_END - (1UL << 30);	/* last GiB: devices */

/* A zeroed page for hv's page tables, from whichever allocator is up. */
static paddr_t pt_alloc(void)
{
	void *p;

	if (!frames_ready())
		return early_alloc_page();
	p = alloc_page();
	if (!p)
		panic("paging: out of memory for page tables");
	return virt_to_maddr(p);
}

/* The next-level table under table[idx]; `user` opens the path to ring 3. */
static pte_t *table_at(pte_t *table, unsigned int idx, bool user)
{
	if (!(table[idx] & _PAGE_PRESENT))
		table[idx] = pt_alloc() | _PAGE_PRESENT | _PAGE_RW;
	if (user)
		table[idx] |= _PAGE_USER;
	ASSERT(!(table[idx] & _PAGE_PSE));
	return maddr_to_virt(table[idx] & PTE_ADDR_MASK);
}

static void map_4k_flags(uintptr_t va, paddr_t pa, pte_t flags, bool user)
{
	pte_t *l3 = table_at(idle_l4, pt_index(va, L4_SHIFT), user);
	pte_t *l2 = table_at(l3, pt_index(va, L3_SHIFT), user);
	pte_t *l1 = table_at(l2, pt_index(va, L2_SHIFT), user);

	l1[pt_index(va, L1_SHIFT)] = pa | flags;
}

static void map_4k(uintptr_t va, paddr_t pa, pte_t flags)
{
	map_4k_flags(va, pa, flags, false);
}

static void map_2m(uintptr_t va, paddr_t pa, pte_t flags)
{
	pte_t *l3 = table_at(idle_l4, pt_index(va, L4_SHIFT), false);
	pte_t *l2 = table_at(l3, pt_index(va, L3_SHIFT), false);

	l2[pt_index(va, L2_SHIFT)] = pa | flags | _PAGE_PSE;
}

static void map_image(void)
{
	for (uintptr_t va = (uintptr_t)_start; va < (uintptr_t)_end; va += PAGE_SIZE) {
		pte_t flags = _PAGE_PRESENT | _PAGE_GLOBAL;

		if (va >= (uintptr_t)_erodata)
			flags |= _PAGE_RW | nx_bit;
		else if (va >= (uintptr_t)_etext)
			flags |= nx_bit;
		map_4k(va, virt_to_maddr((void *)va), flags);
	}
}

static void map_direct(const struct boot_info *bi)
{
	paddr_t top = 4UL << 30;

	for (unsigned int i = 0; i < bi->nr_regions; i++)
		if (bi->regions[i].type == MEM_RAM && bi->regions[i].end > top)
			top = ALIGN_UP(bi->regions[i].end, 1UL << L2_SHIFT);
	if (top > DIRECTMAP_END - DIRECTMAP_START - (1UL << 30))
		panic("paging: %lu GiB of RAM is more than the direct map holds", top >> 30);
	for (paddr_t pa = 0; pa < top; pa += 1UL << L2_SHIFT)
		map_2m(DIRECTMAP_START + pa, pa, _PAGE_PRESENT | _PAGE_RW | _PAGE_GLOBAL | nx_bit);
}

void paging_init(const struct boot_info *bi)
{
	uint32_t a, b, c, d;

	cpuid(0x80000001, 0, &a, &b, &c, &d);
	if (d & (1u << 20)) {
		nx_bit = _PAGE_NX;
		wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_NXE);
	}
	idle_l4 = maddr_to_virt(early_alloc_page());
	/*
	 * Every hv slot gets its L3 now: guest L4s copy these entries when
	 * they are built, so whatever hv maps later must land below them.
	 */
	for (unsigned int slot = HV_SLOT_FIRST; slot <= HV_SLOT_LAST; slot++)
		table_at(idle_l4, slot, slot == pt_index(M2P_VIRT_START, L4_SHIFT));
	map_image();
	map_direct(bi);
	load_cr3(virt_to_maddr(idle_l4));
	/* Xen's PAT, which PV guests' cache bits assume: WB, WT, UC-, UC, WC, WP, UC, UC. */
	wrmsr(MSR_PAT, XEN_PAT);
	/* Global pages for hv; FXSAVE/SSE state for guests (hv itself uses no SSE). */
	write_cr4(read_cr4() | X86_CR4_PGE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT);
	/*
	 * SMEP: hv never executes a user-accessible page. Every page of a PV
	 * guest is one (its kernel runs in ring 3), so a stray jump into guest
	 * memory faults instead of running the guest's code with hv's rights.
	 */
	cpuid(7, 0, &a, &b, &c, &d);
	if (b & (1u << 7))
		write_cr4(read_cr4() | X86_CR4_SMEP);
	pr_debug("paging: direct map and image mapped, NX %s, SMEP %s\n", nx_bit ? "on" : "unavailable",
		 read_cr4() & X86_CR4_SMEP ? "on" : "unavailable");
}

void map_guest_readonly(uintptr_t va, mfn_t mfn, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		map_4k_flags(va + (i << PAGE_SHIFT), (mfn + i) << PAGE_SHIFT,
			     _PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED | nx_bit, true);
}

/* A user-accessible, executable page at va (test_fault=smep). */
void map_user_page_for_test(uintptr_t va, paddr_t pa)
{
	map_4k_flags(va, pa, _PAGE_PRESENT | _PAGE_USER | _PAGE_RW, true);
}

/*
 * hv's L4 slots in a guest L4 being validated. The read-only M2P slot is
 * there only for a domain in m2p_strict mode; otherwise, as on Xen, it
 * appears when the L4 becomes a kernel base pointer (l4_m2p_slot), so a
 * user-only L4 has no M2P.
 */
void fill_hv_l4_slots(pte_t *l4, const struct domain *owner)
{
	unsigned int m2p = pt_index(M2P_VIRT_START, L4_SHIFT);

	for (unsigned int slot = HV_SLOT_FIRST; slot <= HV_SLOT_LAST; slot++)
		l4[slot] = idle_l4[slot] | _PAGE_ACCESSED;
	if (!(owner->vm_assist & (1UL << VMASST_TYPE_m2p_strict)))
		l4[m2p] = 0;
}

void l4_m2p_slot(pte_t *l4, bool present)
{
	unsigned int m2p = pt_index(M2P_VIRT_START, L4_SHIFT);

	l4[m2p] = present ? idle_l4[m2p] | _PAGE_ACCESSED : 0;
}

/* The L1 entry for va in hv's own tables (shared by every address space). */
pte_t *hv_l1e(uintptr_t va)
{
	pte_t *l3 = table_at(idle_l4, pt_index(va, L4_SHIFT), false);
	pte_t *l2 = table_at(l3, pt_index(va, L3_SHIFT), false);
	pte_t *l1 = table_at(l2, pt_index(va, L2_SHIFT), false);

	return &l1[pt_index(va, L1_SHIFT)];
}

/*
 * TLB upkeep. Guest user mappings are global (as on Xen), so switching
 * between a vCPU's kernel and user tables keeps them; any other change of
 * address space, and every flush done for a guest, flushes global entries
 * too (toggling CR4.PGE). When a guest mapping goes away the TLB may still
 * hold it; before the frame behind it changes role (type) or owner, the
 * stale entry must go: tlb_flush_if_stale() flushes only if some mapping
 * went away since the last full flush.
 */
static bool tlb_stale;

static void flush_all_entries(void)
{
	uint64_t cr4 = read_cr4();

	write_cr4(cr4 & ~(uint64_t)X86_CR4_PGE);
	write_cr4(cr4);
	tlb_stale = false;
}

void load_cr3(paddr_t cr3)
{
	write_cr3(cr3);
	flush_all_entries();
}

void switch_guest_mode_cr3(paddr_t cr3)
{
	write_cr3(cr3);
}

void flush_tlb_local(void)
{
	flush_all_entries();
}

void tlb_note_stale(void)
{
	tlb_stale = true;
}

void tlb_flush_if_stale(void)
{
	if (tlb_stale)
		flush_tlb_local();
}

void *ioremap(paddr_t pa, size_t size)
{
	paddr_t base = ALIGN_DOWN(pa, PAGE_SIZE);
	size_t len = ALIGN_UP(pa + size, PAGE_SIZE) - base;
	uintptr_t va = ioremap_next;

	if (va + len > DIRECTMAP_END)
		return NULL;
	ioremap_next += len;
	for (size_t off = 0; off < len; off += PAGE_SIZE)
		map_4k(va + off, base + off,
		       _PAGE_PRESENT | _PAGE_RW | _PAGE_PCD | _PAGE_PWT | nx_bit);
	return (void *)(va + (pa - base));
}
