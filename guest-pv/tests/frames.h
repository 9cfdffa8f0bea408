/*
 * Frame helpers for the memory_op and grant-table tests: our p2m and the
 * M2P, the L1 entry behind a VA, remapping a VA for a while, and a pool
 * of spare PFNs whose frames tests may give back and get again.
 *
 * The spare pool is the last SPARE_NR PFNs of the initial allocation
 * (aligned to SPARE_NR): the builder maps only the initial region, so
 * nothing uses them. A test that releases some must repopulate them before
 * it ends, so that every PFN is backed and the p2m and M2P agree again.
 *
 * Also our grant table's first frame, mapped once for the grant tests.
 */
#ifndef GUEST_TESTS_FRAMES_H
#define GUEST_TESTS_FRAMES_H

#include <guest/arch.h>
#include <guest/mm.h>
#include <public/memory.h>

/* Entry bits beyond guest/mm.h's. */
#define PTE_AVAIL   0xe00UL

/* What the M2P holds for a frame that is nobody's PFN. */
#define M2P_INVALID (~0UL)

#define SPARE_NR    32

/* Our p2m, writable: tests that trade frames keep it up to date. */
uint64_t *p2m_table(void);
uint64_t va_to_pfn(const void *va);
uint64_t va_to_mfn(const void *va);

/* M2P[mfn] through the read-only table; false if that entry is not mapped. */
bool m2p_get(uint64_t mfn, uint64_t *pfn);
/* M2P[mfn], or M2P_INVALID - 1 if it cannot be read (never a valid answer). */
uint64_t m2p_of(uint64_t mfn);

/* The L1 entry mapping va in the current page tables (0 if none) and its machine address. */
uint64_t l1e_of(const void *va, uint64_t *maddr);
/* map_va() (point va at mfn with flags, 0 unmaps) is guest/mm.h's. */
/* Map va back to its own frame (the p2m's), read-write. */
long restore_va(void *va);
/* Whether va can be read / written now (a fault is caught, not fatal). */
bool va_readable(const void *va);
bool va_writable(void *va);

/* memory_op on a reservation; returns what the hypercall returned. */
long reservation(unsigned int cmd, xen_pfn_t *list, unsigned long nr, unsigned int order,
		 unsigned int mem_flags, domid_t dom);
long current_pages(void);
long maximum_pages(void);

/* PFN i (< SPARE_NR) of the spare pool; SKIPs-worthy false if the pool is unusable. */
bool spare_pool_ok(void);
uint64_t spare_pfn(unsigned int i);
/* Give back the frames of PFNs [pfn, pfn+n) (decrease_reservation); the p2m forgets them. */
long release_pfns(uint64_t pfn, unsigned int n);
/* Back PFNs [pfn, pfn+n) with new frames (populate_physmap, order 0); the p2m learns them. */
long populate_pfns(uint64_t pfn, unsigned int n);

/* A frame of the hypervisor's, never ours: the table behind our L4 slot 256 (the M2P). */
uint64_t hypervisor_frame(void);

/* mmuext_op with one frame argument (pin, unpin): its result. */
long mmuext_on(unsigned int cmd, uint64_t mfn);

/* Whether mfn is one of ours: an M2P update to its current value (no change) succeeds. */
bool frame_is_ours(uint64_t mfn);

/* A grant status by name ("GNTST_bad_handle"), or the number. */
const char *gntst_str(long st);
/* Equality of per-element grant statuses, printed by name. */
#define CHECK_ST(what, expected, got) do {                                      \
	long st_e_ = (long)(expected), st_g_ = (long)(got);                     \
	if (st_e_ != st_g_)                                                     \
		test_fail("%s: expected %s got %s", (what), gntst_str(st_e_),   \
			  gntst_str(st_g_));                                    \
} while (0)

/* Our grant table (frame 0, set up and mapped on first use), or NULL if that fails. */
struct grant_entry_v1 *grant_entries(void);
/* Grant page to domid (flags: GTF_permit_access and friends) in entry ref. */
void grant_page(unsigned int ref, const void *page, domid_t domid, uint16_t flags);

#endif /* GUEST_TESTS_FRAMES_H */
