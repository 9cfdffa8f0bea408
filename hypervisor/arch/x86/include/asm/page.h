/* x86-64 page-table entries. */
#ifndef ASM_PAGE_H
#define ASM_PAGE_H

#define _PAGE_PRESENT 0x001UL
#define _PAGE_RW 0x002UL
#define _PAGE_USER 0x004UL
#define _PAGE_PWT 0x008UL
#define _PAGE_PCD 0x010UL
#define _PAGE_ACCESSED 0x020UL
#define _PAGE_DIRTY 0x040UL
#define _PAGE_PSE 0x080UL
#define _PAGE_GLOBAL 0x100UL
#define _PAGE_PAT 0x080UL		/* in an L1 entry: the same bit as PSE */
#define _PAGE_AVAIL (7UL << 9)
#define _PAGE_AVAIL_HIGH (0x7ffUL << 52)
#define _PAGE_GNTTAB (1UL << 62)	/* Xen's grant-mapping marker: not the guest's */
#define _PAGE_NX (1UL << 63)
#define _PAGE_CACHE_L1 (_PAGE_PWT | _PAGE_PCD | _PAGE_PAT)
#define PTE_ADDR_MASK 0x000ffffffffff000UL

#define L1_SHIFT 12
#define L2_SHIFT 21
#define L3_SHIFT 30
#define L4_SHIFT 39
#define PT_ENTRIES 512
#define pt_index(va, shift) (((va) >> (shift)) & (PT_ENTRIES - 1))

#ifndef __ASSEMBLER__
#include <hv/types.h>
typedef uint64_t pte_t;

/* hv's own page tables (arch/x86/paging.c). */
struct boot_info;
void paging_init(const struct boot_info *bi);
/* Load a guest's (or hv's) top-level table; flushes every mapping, global ones too. */
void load_cr3(paddr_t cr3);
/* Between one vCPU's kernel and user tables: the global (user) entries stay. */
void switch_guest_mode_cr3(paddr_t cr3);
void flush_tlb_local(void);
/* A guest L4's read-only M2P slot: there, or not (pv-abi.md §5.4, m2p_strict). */
void l4_m2p_slot(pte_t *l4, bool present);
/* The L1 entry mapping va in hv's own range, its tables made as needed. */
pte_t *hv_l1e(uintptr_t va);
/* Map one user-accessible page (only for test_fault=smep). */
void map_user_page_for_test(uintptr_t va, paddr_t pa);
/* Map [pa, pa + size) uncached at a fresh VA for device registers. */
void *ioremap(paddr_t pa, size_t size);
#endif

#endif
