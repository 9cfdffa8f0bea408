/*
 * hv's virtual memory layout. hv lives in the range Xen reserves for itself
 * in every 64-bit PV address space (L4 slots 256-271), and uses Xen's
 * addresses inside it so that guests and debuggers see familiar values:
 *
 *   0xffff800000000000 - 0xffff803fffffffff  read-only M2P (slot 256)
 *   0xffff82c000000000 - +128 KiB            GDT and LDT windows (slot 261)
 *   0xffff82d040000000 - ...                 hv's image (slot 261)
 *   0xffff830000000000 - 0xffff87ffffffffff  direct map of all RAM (262-271)
 *
 * The image is linked at HV_VIRT_START + its load address, so its virtual
 * and physical addresses differ by a constant.
 */
#ifndef HV_LAYOUT_H
#define HV_LAYOUT_H

#define HV_VIRT_START      0xffff82d040000000
#define HV_LOAD_ADDR       0x200000
#define DIRECTMAP_START    0xffff830000000000
#define DIRECTMAP_END      0xffff880000000000
#define M2P_VIRT_START     0xffff800000000000
/* The running vCPU's GDT (16 pages) and LDT (16 pages), as the CPU sees them. */
#define GDT_WINDOW_VIRT    0xffff82c000000000
#define LDT_WINDOW_VIRT    (GDT_WINDOW_VIRT + 0x10000)
#define M2P_VIRT_END       0xffff804000000000

#define HV_SLOT_FIRST 256
#define HV_SLOT_LAST 271

#ifndef __ASSEMBLER__
#include <hv/types.h>

static inline void *maddr_to_virt(paddr_t pa)
{
	return (void *)(DIRECTMAP_START + pa);
}

static inline paddr_t virt_to_maddr(const void *va)
{
	uintptr_t v = (uintptr_t)va;

	if (v >= HV_VIRT_START && v < DIRECTMAP_START)
		return v - HV_VIRT_START;
	return v - DIRECTMAP_START;
}

static inline void *mfn_to_virt(mfn_t mfn)
{
	return maddr_to_virt(mfn << PAGE_SHIFT);
}

/* A 48-bit canonical address: bits 63..47 all equal. */
static inline bool is_canonical(uint64_t va)
{
	return (uint64_t)((int64_t)(va << 16) >> 16) == va;
}
#endif

#endif
