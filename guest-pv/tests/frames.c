/*
 * Frame helpers shared by the memory_op and grant-table tests (frames.h).
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/grant_table.h>
#include <public/memory.h>
#include "frames.h"

static const volatile uint64_t *const m2p_table = (const volatile uint64_t *)MACH2PHYS_VIRT_START;

uint64_t *p2m_table(void)
{
	/* start_info's mfn_list sits in the initial region, mapped writable. */
	return (uint64_t *)(uintptr_t)p2m;
}

uint64_t va_to_pfn(const void *va)
{
	return ((uint64_t)va - VIRT_BASE) >> PAGE_SHIFT;
}

uint64_t va_to_mfn(const void *va)
{
	return p2m[va_to_pfn(va)];
}

bool m2p_get(uint64_t mfn, uint64_t *pfn)
{
	if (mfn >= (MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) / 8)
		return false;
	return probe_read_u64(&m2p_table[mfn], pfn);
}

uint64_t m2p_of(uint64_t mfn)
{
	uint64_t pfn;

	return m2p_get(mfn, &pfn) ? pfn : M2P_INVALID - 1;
}

static uint64_t read_cr3(void)
{
	uint64_t cr3;

	__asm__ __volatile__("mov %%cr3, %0" : "=r"(cr3));
	return cr3;
}

/* Page-table frames live in the initial region; find them through the M2P. */
static const volatile uint64_t *table_at(uint64_t mfn)
{
	return (const volatile uint64_t *)(VIRT_BASE + (m2p_table[mfn] << PAGE_SHIFT));
}

uint64_t l1e_of(const void *va, uint64_t *maddr)
{
	uint64_t v = (uint64_t)va, mfn = read_cr3() >> PAGE_SHIFT;

	for (int level = 3; level > 0; level--) {
		uint64_t e = table_at(mfn)[(v >> (PAGE_SHIFT + 9 * level)) & 511];

		if (!(e & PTE_P))
			return 0;
		mfn = (e & PTE_ADDR) >> PAGE_SHIFT;
	}
	if (maddr)
		*maddr = (mfn << PAGE_SHIFT) + ((v >> PAGE_SHIFT) & 511) * 8;
	return table_at(mfn)[(v >> PAGE_SHIFT) & 511];
}

uint64_t hypervisor_frame(void)
{
	return (table_at(read_cr3() >> PAGE_SHIFT)[256] & PTE_ADDR) >> PAGE_SHIFT;
}

long restore_va(void *va)
{
	return map_va(va, va_to_mfn(va), PTE_RW_FLAGS);
}

bool va_readable(const void *va)
{
	uint64_t v;

	return probe_read_u64((const volatile uint64_t *)va, &v);
}

bool va_writable(void *va)
{
	volatile uint64_t *p = va;
	uint64_t v;

	/* Write back what is there, so that a successful probe changes nothing. */
	return probe_read_u64(p, &v) && probe_write_u64(p, v);
}

long reservation(unsigned int cmd, xen_pfn_t *list, unsigned long nr, unsigned int order,
		 unsigned int mem_flags, domid_t dom)
{
	struct xen_memory_reservation r = {
		.extent_start = (uint64_t)list,
		.nr_extents = nr,
		.extent_order = order,
		.mem_flags = mem_flags,
		.domid = dom,
	};

	return HYPERVISOR_memory_op(cmd, &r);
}

long current_pages(void)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
}

long maximum_pages(void)
{
	domid_t self = DOMID_SELF;

	return HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);
}

static uint64_t spare_base(void)
{
	return (start_info->nr_pages & ~(uint64_t)(SPARE_NR - 1)) - SPARE_NR;
}

uint64_t spare_pfn(unsigned int i)
{
	return spare_base() + i;
}

/* Every spare PFN is backed, agrees with the M2P and has no 1:1 mapping. */
bool spare_pool_ok(void)
{
	if (start_info->nr_pages < 4 * SPARE_NR)
		return false;
	for (unsigned int i = 0; i < SPARE_NR; i++) {
		uint64_t pfn = spare_pfn(i);

		if (m2p_of(p2m[pfn]) != pfn)
			return false;
		if (l1e_of((const void *)(VIRT_BASE + (pfn << PAGE_SHIFT)), NULL) & PTE_P)
			return false;
	}
	return true;
}

long release_pfns(uint64_t pfn, unsigned int n)
{
	xen_pfn_t list[SPARE_NR];
	long rc;

	if (n > SPARE_NR)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		list[i] = p2m[pfn + i];
	rc = reservation(XENMEM_decrease_reservation, list, n, 0, 0, DOMID_SELF);
	for (long i = 0; i < rc && i < (long)n; i++)
		p2m_table()[pfn + i] = M2P_INVALID;
	return rc;
}

long populate_pfns(uint64_t pfn, unsigned int n)
{
	xen_pfn_t list[SPARE_NR];
	long rc;

	if (n > SPARE_NR)
		return -1;
	for (unsigned int i = 0; i < n; i++)
		list[i] = pfn + i;
	rc = reservation(XENMEM_populate_physmap, list, n, 0, 0, DOMID_SELF);
	for (long i = 0; i < rc && i < (long)n; i++)
		p2m_table()[pfn + i] = list[i];
	return rc;
}

bool frame_is_ours(uint64_t mfn)
{
	struct mmu_update u = { .ptr = (mfn << PAGE_SHIFT) | MMU_MACHPHYS_UPDATE };

	if (!m2p_get(mfn, &u.val))
		return false;
	return HYPERVISOR_mmu_update(&u, 1, NULL, DOMID_SELF) == 0;
}

long mmuext_on(unsigned int cmd, uint64_t mfn)
{
	struct mmuext_op op = { .cmd = cmd, .arg1.mfn = mfn };

	return HYPERVISOR_mmuext_op(&op, 1, NULL, DOMID_SELF);
}

static uint8_t grant_page0[PAGE_SIZE] __aligned(PAGE_SIZE);
static struct grant_entry_v1 *grant_table0;

struct grant_entry_v1 *grant_entries(void)
{
	uint64_t frame = 0;
	struct gnttab_setup_table st = { .dom = DOMID_SELF, .nr_frames = 1, .frame_list = (uint64_t)&frame };

	if (grant_table0)
		return grant_table0;
	if (HYPERVISOR_grant_table_op(GNTTABOP_setup_table, &st, 1) || st.status != GNTST_okay || !frame)
		return NULL;
	if (map_va(grant_page0, frame, PTE_RW_FLAGS))
		return NULL;
	grant_table0 = (struct grant_entry_v1 *)grant_page0;
	return grant_table0;
}

void grant_page(unsigned int ref, const void *page, domid_t domid, uint16_t flags)
{
	struct grant_entry_v1 *e = &grant_table0[ref];

	/* The hypervisor reads flags last: fill in the rest first. */
	e->domid = domid;
	e->frame = (uint32_t)va_to_mfn(page);
	__asm__ __volatile__("" ::: "memory");
	e->flags = flags;
}

const char *gntst_str(long st)
{
	static const char *const names[] = {
		"GNTST_okay", "GNTST_general_error", "GNTST_bad_domain", "GNTST_bad_gntref",
		"GNTST_bad_handle", "GNTST_bad_virt_addr", "GNTST_bad_dev_addr",
		"GNTST_no_device_space", "GNTST_permission_denied", "GNTST_bad_page",
		"GNTST_bad_copy_arg", "GNTST_address_too_big", "GNTST_eagain", "GNTST_no_space",
	};
	static char bufs[2][24];
	static unsigned int which;
	char *b = bufs[which++ & 1];

	if (st <= 0 && -st < (long)ARRAY_SIZE(names))
		return names[-st];
	snprintf(b, sizeof(bufs[0]), "%ld", st);
	return b;
}
