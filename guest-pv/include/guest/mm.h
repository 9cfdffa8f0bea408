/*
 * The PV MMU from the guest's side: page-table entry bits, walks of the
 * current tables, one-op wrappers of mmu_update / mmuext_op, and a pool
 * of spare frames that tests turn into page tables, GDT or LDT pages and
 * give back afterwards.
 *
 * Pool frames come from a page-aligned array in .bss: a frame is handed
 * out zeroed and *unmapped* (so nothing holds a writable type on it), and
 * frame_free() maps it read-write at its home address again, which only
 * succeeds once the frame is an ordinary page once more. A test that
 * leaves a frame pinned or linked thus shows up as a failed frame_free().
 */
#ifndef GUEST_MM_H
#define GUEST_MM_H

#include <stdbool.h>
#include <stdint.h>
#include <guest/arch.h>
#include <public/xen.h>

#define PTE_P       0x001UL
#define PTE_RW      0x002UL
#define PTE_US      0x004UL
#define PTE_PWT     0x008UL
#define PTE_PCD     0x010UL
#define PTE_A       0x020UL
#define PTE_D       0x040UL
#define PTE_PSE     0x080UL     /* PAT in an L1 entry */
#define PTE_G       0x100UL
#define PTE_NX      (1UL << 63)
#define PTE_ADDR    0x000ffffffffff000UL

/* A present, writable, accessed and dirty leaf or table entry. */
#define PTE_RW_FLAGS    (PTE_P | PTE_RW | PTE_US | PTE_A | PTE_D)
#define PTE_RO_FLAGS    (PTE_P | PTE_US | PTE_A)

static inline uint64_t pte_mfn(uint64_t e)
{
	return (e & PTE_ADDR) >> PAGE_SHIFT;
}

static inline uint64_t pte_make(uint64_t mfn, uint64_t flags)
{
	return (mfn << PAGE_SHIFT) | flags;
}

/* Slot of va in the table of the given level (1 = L1 ... 4 = L4). */
static inline unsigned int pt_index(uint64_t va, int level)
{
	return (unsigned int)(va >> (PAGE_SHIFT + 9 * (level - 1))) & 511;
}

/* The read-only M2P, as the hypervisor maps it into every guest. */
#define M2P ((const volatile uint64_t *)MACH2PHYS_VIRT_START)

/* MFN of a page of our image or of the initial region (through the p2m). */
uint64_t virt_to_mfn(const void *va);
/* Whether the M2P and our p2m agree that mfn is ours. */
bool mfn_is_ours(uint64_t mfn);
/* MFN of the current (kernel) L4, from the emulated mov %cr3. */
uint64_t cr3_mfn(void);

/* Entry idx of any frame of ours, read through a temporary read-only mapping. */
uint64_t frame_peek(uint64_t mfn, unsigned int idx);
/* Copy a whole frame of ours (through the same temporary mapping). */
void frame_copy_out(uint64_t mfn, void *buf);
/*
 * The entry of the given level that maps va in the current tables, and
 * its machine address; 0 (and *maddr = 0) if a table on the way is absent.
 */
uint64_t pte_lookup(uint64_t va, int level, uint64_t *maddr);

/* update_va_mapping(va, mfn|flags, INVLPG); mfn 0 unmaps. */
long map_va(const void *va, uint64_t mfn, uint64_t flags);
/* One MMU_NORMAL_PT_UPDATE for DOMID_SELF. */
long mmu_write(uint64_t maddr, uint64_t val);
/* One mmuext op for DOMID_SELF. */
long mmuext(unsigned int cmd, uint64_t arg1, uint64_t arg2);
long pin_table(int level, uint64_t mfn);
long unpin_table(uint64_t mfn);
void invlpg(const void *va);

/* The frame pool. */
#define FRAME_POOL_PAGES 64
/* A zeroed, unmapped frame of ours, or 0 when the pool is empty. */
uint64_t frame_alloc(void);
/* Map it at its home address again (false: it is still typed or pinned). */
bool frame_free(uint64_t mfn);
/* Its home address, and (re)mapping it there read-only or read-write. */
void *frame_home(uint64_t mfn);
long frame_map_ro(uint64_t mfn);
long frame_map_rw(uint64_t mfn);
long frame_unmap(uint64_t mfn);
unsigned int frames_in_use(void);
/*
 * A pool frame holding the guest half of the running L4 (slots 0-255 and
 * 272-511), with hv_slot_fill in the hypervisor's slots 256-271, which
 * are not the guest's to fill. Unmapped, not yet typed.
 */
uint64_t frame_alloc_l4_copy(uint64_t hv_slot_fill);

/*
 * A large read-only region whose pages all show one frame: `chunks`
 * 2 MiB chunks of `data` (at most 511) from the start of L4 slot `slot`
 * of the running tables, then, if `tail` is not 0, one page of `tail`.
 * Four pool frames hold the tables (L3, L2, one L1 linked `chunks`
 * times, the tail's L1). A guest can so hand the hypervisor a request
 * array of any length backed by a single frame.
 */
struct alias_region {
	unsigned int slot;
	bool pinned, linked;
	uint64_t va;                        /* where the region starts */
	uint64_t l3, l2, l1, l1_tail;       /* keep in this order */
};
long alias_region_map(struct alias_region *r, unsigned int slot, uint64_t data,
		      unsigned int chunks, uint64_t tail);
/* Unlink and give the table frames back; false if one stayed typed. */
bool alias_region_unmap(struct alias_region *r);

/*
 * A RAM frame that is certainly not ours (from the host memory map and
 * the M2P), or 0 if none was found. Only the initial domain can ask.
 */
uint64_t foreign_frame(void);

#endif /* GUEST_MM_H */
