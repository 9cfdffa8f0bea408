/*
 * The machine-to-physical table: m2p[mfn] = the PFN that frame has in its
 * owning PV domain, INVALID_M2P_ENTRY otherwise. hv writes it through the
 * direct map; every PV guest reads it at MACH2PHYS_VIRT_START, mapped
 * read-only and user-accessible (Linux reads it constantly, pv-abi §5.4).
 */
#include <hv/console.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/m2p.h>
#include <hv/panic.h>
#include <asm/page.h>

static uint64_t *m2p;
static mfn_t m2p_entries;

void m2p_init(void)
{
	uint64_t bytes, pages;
	unsigned int order = 0;
	mfn_t base;

	m2p_entries = frames_max_mfn();
	bytes = m2p_entries * sizeof(uint64_t);
	pages = ALIGN_UP(bytes, PAGE_SIZE) >> PAGE_SHIFT;
	while ((1UL << order) < pages)
		order++;
	if (bytes > M2P_VIRT_END - M2P_VIRT_START)
		panic("m2p: %lu frames do not fit the M2P window", m2p_entries);
	base = alloc_frames(order);
	if (base == INVALID_MFN)
		panic("m2p: no %lu contiguous pages for the M2P", pages);
	m2p = mfn_to_virt(base);
	memset(m2p, 0xff, PAGE_SIZE << order);		/* INVALID_M2P_ENTRY */
	map_guest_readonly(M2P_VIRT_START, base, pages);
	pr_info("m2p: %lu entries at %#lx (%lu KiB)\n", m2p_entries, M2P_VIRT_START,
		(pages << PAGE_SHIFT) >> 10);
}

void m2p_set(mfn_t mfn, uint64_t pfn)
{
	if (mfn < m2p_entries)
		m2p[mfn] = pfn;
}

uint64_t m2p_get(mfn_t mfn)
{
	return mfn < m2p_entries ? m2p[mfn] : ~0UL;
}

mfn_t m2p_max_mfn(void)
{
	return m2p_entries;
}
