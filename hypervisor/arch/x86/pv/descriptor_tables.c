/*
 * Guest descriptor tables: set_gdt (#2), update_descriptor (#10) and
 * MMUEXT_SET_LDT (pv-abi.md §6.7).
 *
 * The CPU's GDT is a 16-page window in hv's range: pages 0-13 show the
 * running vCPU's GDT frames (a read-only zero page where it has none) and
 * pages 14-15 hold hv's own selectors. A guest GDT frame is FT_SEG_DESC
 * for as long as it is installed, so its descriptors stay validated and
 * the guest can map it read-only at most. The LDT window beside it is
 * filled lazily, as on Xen: the first use of an LDT page faults in hv,
 * which then maps the guest's page if it can take FT_SEG_DESC, or hands
 * the guest a #PF at its own LDT address. hv has one pCPU, so one window
 * serves every vCPU: a context switch repoints it. The pages a vCPU has
 * faulted in stay its own (typed FT_SEG_DESC) while it is switched out,
 * as Xen's per-vCPU shadow LDT does, until its LDT or page tables change.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <hv/panic.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>

#define WINDOW_PAGES 16
#define LDT_MAX_ENTRIES 8192
#define HV_PTE (_PAGE_PRESENT | _PAGE_ACCESSED | _PAGE_NX)

static pte_t *gdt_ptes, *ldt_ptes;	/* the windows' L1 entries */
static pte_t zero_pte;
static struct vcpu *ldt_window_vcpu;	/* whose LDT pages the window holds */
static uint16_t ldt_window_bits;	/* which of its pages are present */

void pv_descriptor_tables_init(void)
{
	void *zero = alloc_page();

	if (!zero)
		panic("descriptor tables: no memory for the zero page");
	zero_pte = virt_to_maddr(zero) | HV_PTE;
	/* Both windows lie in one L1: 32 consecutive entries. */
	gdt_ptes = hv_l1e(GDT_WINDOW_VIRT);
	ldt_ptes = hv_l1e(LDT_WINDOW_VIRT);
	for (unsigned int i = 0; i < WINDOW_PAGES; i++) {
		gdt_ptes[i] = i < FIRST_RESERVED_GDT_PAGE ? zero_pte :
			      hv_gdt_page(i) | HV_PTE | _PAGE_RW | _PAGE_DIRTY;
		ldt_ptes[i] = 0;
	}
	flush_tlb_local();
	gdt_load_window(GDT_WINDOW_VIRT);
}

static unsigned int gdt_frames_of(unsigned int entries)
{
	return (entries + 511) / 512;
}

/* Show v's GDT frames in the window (hv writes accessed bits: mapped RW). */
static void show_gdt(const struct vcpu *v)
{
	unsigned int n = gdt_frames_of(v->gdt_ents);

	for (unsigned int i = 0; i < FIRST_RESERVED_GDT_PAGE; i++) {
		pte_t e = i < n ? (v->gdt_frames[i] << PAGE_SHIFT) | HV_PTE | _PAGE_RW | _PAGE_DIRTY
				: zero_pte;

		if (gdt_ptes[i] != e) {
			gdt_ptes[i] = e;
			invlpg((void *)(GDT_WINDOW_VIRT + i * PAGE_SIZE));
		}
	}
}

static void put_gdt_frames(struct vcpu *v)
{
	for (unsigned int i = 0; i < gdt_frames_of(v->gdt_ents); i++)
		frame_put_and_type(mfn_to_frame(v->gdt_frames[i]));
	v->gdt_ents = 0;
}

/* Install a GDT of `entries` on v from frames (MFNs); the old one is released. */
long pv_set_gdt(struct vcpu *v, const uint64_t *frames, unsigned int entries)
{
	unsigned int i, n = gdt_frames_of(entries);

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -EINVAL;
	for (i = 0; i < n; i++) {
		if (frame_get_and_type(frames[i], v->domain, FT_SEG_DESC)) {
			while (i--)
				frame_put_and_type(mfn_to_frame(frames[i]));
			return -EINVAL;
		}
	}
	put_gdt_frames(v);
	memcpy(v->gdt_frames, frames, n * sizeof(frames[0]));
	v->gdt_ents = entries;
	if (v == current)
		show_gdt(v);
	return 0;
}

long do_set_gdt(uint64_t frame_list, unsigned int entries)
{
	uint64_t frames[FIRST_RESERVED_GDT_PAGE];

	if (entries > FIRST_RESERVED_GDT_ENTRY)
		return -EINVAL;
	if (copy_from_guest(frames, frame_list, gdt_frames_of(entries) * sizeof(frames[0])))
		return -EFAULT;
	return pv_set_gdt(current, frames, entries);
}

/*
 * One descriptor, at a machine address: the frame must be the caller's
 * and either a descriptor page (which stays valid: the new descriptor is
 * checked) or ordinary memory that can be written.
 */
long do_update_descriptor(uint64_t maddr, uint64_t desc)
{
	struct domain *d = current->domain;
	mfn_t mfn = maddr >> PAGE_SHIFT;
	struct frame *f = mfn_to_frame(mfn);
	unsigned int type;

	if ((maddr & 7) || !check_descriptor(&desc))
		return -EINVAL;
	if (frame_get(f, d))
		return -EINVAL;
	type = f->type == FT_SEG_DESC ? FT_SEG_DESC : FT_WRITABLE;
	if (frame_get_type(f, type)) {
		frame_put(f);
		return -EINVAL;
	}
	__atomic_store_n((uint64_t *)frame_contents(mfn) + (maddr & (PAGE_SIZE - 1)) / 8, desc,
			 __ATOMIC_RELEASE);
	frame_put_and_type(f);
	return 0;
}

/* ---- LDT ---------------------------------------------------------------- */

static void ldt_window_set(unsigned int i, mfn_t mfn)
{
	ldt_ptes[i] = mfn ? (mfn << PAGE_SHIFT) | HV_PTE | _PAGE_RW | _PAGE_DIRTY : 0;
	invlpg((void *)(LDT_WINDOW_VIRT + i * PAGE_SIZE));
	if (mfn)
		ldt_window_bits |= (uint16_t)(1u << i);
	else
		ldt_window_bits &= (uint16_t)~(1u << i);
}

/*
 * Point the window at v's LDT pages; other vCPUs keep theirs referenced.
 * Only the pages either vCPU has are touched: most have none.
 */
static void ldt_window_show(struct vcpu *v)
{
	unsigned int todo;

	if (ldt_window_vcpu == v)
		return;
	todo = ldt_window_bits | v->ldt_mapped_bits;
	for (; todo; todo &= todo - 1)
		ldt_window_set((unsigned int)__builtin_ctz(todo), v->ldt_mapped[__builtin_ctz(todo)]);
	ldt_window_vcpu = v;
}

void pv_destroy_ldt_mappings(struct vcpu *v)
{
	v->ldt_mapped_bits = 0;
	for (unsigned int i = 0; i < WINDOW_PAGES; i++) {
		if (!v->ldt_mapped[i])
			continue;
		if (ldt_window_vcpu == v)
			ldt_window_set(i, 0);
		frame_put_and_type(mfn_to_frame(v->ldt_mapped[i]));
		v->ldt_mapped[i] = 0;
	}
}

static void load_ldt(const struct vcpu *v)
{
	ldt_load(LDT_WINDOW_VIRT, v->ldt_ents);
}

bool pv_ldt_ok(uint64_t base, unsigned int entries)
{
	return entries <= LDT_MAX_ENTRIES &&
	       (!entries || (!(base & (PAGE_SIZE - 1)) && guest_range_ok(base, 1)));
}

long pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int entries)
{
	if (!pv_ldt_ok(base, entries))
		return -EINVAL;
	if (!entries)
		base = 0;
	if (v->ldt_ents == entries && v->ldt_base == base)
		return 0;
	pv_destroy_ldt_mappings(v);
	v->ldt_base = base;
	v->ldt_ents = entries;
	load_ldt(v);
	return 0;
}

bool pv_map_ldt_page(struct cpu_regs *regs, uint64_t addr, uint64_t *guest_addr)
{
	struct vcpu *v = current;
	uint64_t off = addr - LDT_WINDOW_VIRT;
	unsigned int page = (unsigned int)(off >> PAGE_SHIFT);
	pte_t *gl1e;

	(void)regs;
	*guest_addr = v->ldt_base + off;
	if (off >= (uint64_t)v->ldt_ents * 8)
		return false;
	ldt_window_show(v);
	gl1e = guest_kernel_l1e(v, v->ldt_base + ((uint64_t)page << PAGE_SHIFT), NULL);
	if (!gl1e || !(*gl1e & _PAGE_PRESENT) || v->ldt_mapped[page] ||
	    frame_get_and_type(pte_mfn(*gl1e), v->domain, FT_SEG_DESC))
		return false;
	v->ldt_mapped[page] = pte_mfn(*gl1e);
	v->ldt_mapped_bits |= (uint16_t)(1u << page);
	ldt_window_set(page, v->ldt_mapped[page]);
	return true;
}

void pv_load_descriptor_tables(struct vcpu *v)
{
	ldt_window_show(v);
	show_gdt(v);
	load_ldt(v);
}

void pv_destroy_descriptor_tables(struct vcpu *v)
{
	pv_destroy_ldt_mappings(v);
	if (ldt_window_vcpu == v)
		ldt_window_vcpu = NULL;		/* v may be freed: never compare with it again */
	v->ldt_ents = 0;
	put_gdt_frames(v);
}

/* A descriptor of v's GDT as the CPU would read it, or 0 if out of range. */
uint64_t pv_gdt_descriptor(const struct vcpu *v, unsigned int sel)
{
	unsigned int idx = sel >> 3;

	if ((sel & 4) || idx >= v->gdt_ents)
		return 0;
	return ((const uint64_t *)frame_contents(v->gdt_frames[idx / 512]))[idx % 512];
}
