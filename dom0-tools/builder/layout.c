/*
 * layout.c - where everything of a new PV domain goes (pvbuild.h), and
 * the plan of its bootstrap page tables. Pure arithmetic on the checked
 * image and the parameters: nothing is built, so a layout that does not
 * fit is refused before the domain gets a single frame.
 *
 * The page tables map the region that holds them, so their number and
 * the region's end depend on each other: grow the count until the tables
 * needed for the region it implies are no more than the count (the first
 * such count needs exactly that many; both only grow).
 */
#include "private.h"

#define REGION_ALIGN    (4 * PVB_MIB)
#define REGION_SLACK    (512 * 1024UL)  /* at least this much free after the stack */
/* The domain's memory, in pages, the builder accepts (16 TiB). */
#define MAX_NR_PAGES    (1UL << 32)

/* Tables needed to map [start, end): one L4, and an L3, L2, L1 per 512 GiB, 1 GiB, 2 MiB touched. */
static uint64_t tables_for(uint64_t start, uint64_t end)
{
	uint64_t n = 1;

	for (unsigned int level = 3; level >= 1; level--) {
		unsigned int span = pvb_level_shift(level + 1);

		n += ((end - 1) >> span) - (start >> span) + 1;
	}
	return n;
}

static bool ranges_overlap(uint64_t a, uint64_t a_end, uint64_t b, uint64_t b_end)
{
	return a < b_end && b < a_end;
}

static int check_params(struct pvb_build *b, const struct pvb_params *p)
{
	if (!p->nr_pages || p->nr_pages > MAX_NR_PAGES)
		return pvb_fail(b, -PVB_EINVAL, "memory: %lu pages is not a size the builder takes (1..%lu)",
				(unsigned long)p->nr_pages, (unsigned long)MAX_NR_PAGES);
	if (!p->p2m)
		return pvb_fail(b, -PVB_EINVAL, "no room given for the p2m");
	if (p->cmdline && strnlen(p->cmdline, MAX_GUEST_CMDLINE) >= MAX_GUEST_CMDLINE)
		return pvb_fail(b, -PVB_E2BIG, "the command line is longer than %u bytes",
				MAX_GUEST_CMDLINE - 1);
	if (p->initrd_size && !p->initrd)
		return pvb_fail(b, -PVB_EINVAL, "initrd: %lu bytes but no data",
				(unsigned long)p->initrd_size);
	if (p->initrd_size > p->nr_pages * PVB_PAGE_SIZE)
		return pvb_fail(b, -PVB_E2BIG, "initrd: %lu bytes do not fit in %lu KiB of memory",
				(unsigned long)p->initrd_size,
				(unsigned long)(p->nr_pages * PVB_PAGE_SIZE / 1024));
	return 0;
}

static uint64_t pfn_of(const struct pvb_layout *l, uint64_t va)
{
	return (va - l->v_start) >> PVB_PAGE_SHIFT;
}

/* The bootstrap region: everything mapped from VIRT_BASE up to the padding. */
static int place_region(struct pvb_build *b, const struct pvb_params *p)
{
	const struct pvb_image *img = &b->img;
	struct pvb_layout *l = &b->lay;
	uint64_t initrd_pages = PVB_ALIGN_UP((uint64_t)p->initrd_size, PVB_PAGE_SIZE) >> PVB_PAGE_SHIFT;
	uint64_t va = img->kend;

	l->v_start = img->virt_base;
	l->initrd_pages = initrd_pages;
	if (initrd_pages && !img->mod_start_pfn) {
		l->initrd_va = va;
		va += initrd_pages << PVB_PAGE_SHIFT;
	}
	l->p2m_pages = PVB_ALIGN_UP(p->nr_pages * 8, PVB_PAGE_SIZE) >> PVB_PAGE_SHIFT;
	if (!img->init_p2m) {
		l->p2m_va = va;
		va += l->p2m_pages << PVB_PAGE_SHIFT;
	}
	l->si_va = va;
	va += PVB_PAGE_SIZE;
	if (p->store_evtchn) {
		l->store_va = va;
		va += PVB_PAGE_SIZE;
	}
	if (p->console_evtchn) {
		l->console_va = va;
		va += PVB_PAGE_SIZE;
	}
	l->pt_va = va;
	for (l->nr_pt = 1;; l->nr_pt++) {
		l->stack_va = l->pt_va + (l->nr_pt << PVB_PAGE_SHIFT);
		l->v_end = PVB_ALIGN_UP(l->stack_va + PVB_PAGE_SIZE + REGION_SLACK, REGION_ALIGN);
		/* The additions above are far below 2^64: a wrap shows as an end below the image. */
		if (l->v_end < img->kend || l->nr_pt > PVB_MAX_TABLES)
			break;
		if (tables_for(l->v_start, l->v_end) <= l->nr_pt)
			break;
	}
	if (l->v_end < img->kend || !pvb_canonical(l->v_start) || !pvb_canonical(l->v_end - 1) ||
	    (l->v_start >> 47) != ((l->v_end - 1) >> 47) || pvb_in_hv_hole(l->v_start, l->v_end))
		return pvb_fail(b, -PVB_EINVAL,
				"the boot region from %#lx would not fit a guest's address space",
				(unsigned long)l->v_start);
	if (l->nr_pt > PVB_MAX_TABLES)
		return pvb_fail(b, -PVB_E2BIG, "the boot region would need more than %u page tables",
				PVB_MAX_TABLES);
	l->boot_pfns = (l->v_end - l->v_start) >> PVB_PAGE_SHIFT;
	l->initrd_pfn = l->initrd_va ? pfn_of(l, l->initrd_va) : l->boot_pfns;
	return 0;
}

/* INIT_P2M: the p2m at the kernel's address, its frames after the region's (and the initrd's). */
static int place_p2m(struct pvb_build *b)
{
	const struct pvb_image *img = &b->img;
	struct pvb_layout *l = &b->lay;
	uint64_t end = img->init_p2m + (l->p2m_pages << PVB_PAGE_SHIFT);

	if (!img->init_p2m) {
		l->p2m_pfn = pfn_of(l, l->p2m_va);
		return 0;
	}
	l->p2m_va = img->init_p2m;
	if (end <= img->init_p2m || !pvb_canonical(end - 1) || (img->init_p2m >> 47) != ((end - 1) >> 47) ||
	    pvb_in_hv_hole(img->init_p2m, end) || ranges_overlap(img->init_p2m, end, l->v_start, l->v_end))
		return pvb_fail(b, -PVB_EINVAL,
				"the p2m at INIT_P2M %#lx (%lu pages) would overlap the boot region, "
				"the hypervisor's range or the address-space hole",
				(unsigned long)img->init_p2m, (unsigned long)l->p2m_pages);
	l->p2m_pfn = l->boot_pfns + (l->initrd_va ? 0 : l->initrd_pages);
	l->p2m_pt_pfn = l->p2m_pfn + l->p2m_pages;
	return 0;
}

int pvb_parse(struct pvb_build *b, const void *file, size_t size)
{
	char why[PVB_ERR_LEN];
	int rc;

	b->err[0] = '\0';
	if (!file) {
		memset(&b->img, 0, sizeof(b->img));
		return pvb_fail(b, -PVB_EINVAL, "kernel: no image given");
	}
	rc = pvb_parse_image(&b->img, why, sizeof(why), file, size);
	return rc ? pvb_fail(b, rc, "kernel: %s", why) : 0;
}


int pvb_layout(struct pvb_build *b, const struct pvb_params *p)
{
	struct pvb_layout *l = &b->lay;
	int rc;

	memset(l, 0, sizeof(*l));
	b->nr_tables = 0;
	rc = pvb_parse(b, p->kernel, p->kernel_size);
	if (!rc)
		rc = check_params(b, p);
	if (!rc)
		rc = place_region(b, p);
	if (!rc)
		rc = place_p2m(b);
	if (!rc)
		rc = pvb_plan_tables(b);
	if (rc)
		return rc;
	l->pfns_used = b->img.init_p2m ? l->p2m_pt_pfn + l->nr_p2m_pt : l->initrd_pfn +
		       (l->initrd_va ? 0 : l->initrd_pages);
	l->pfns_used = PVB_MAX(l->pfns_used, l->boot_pfns);
	if (l->pfns_used > p->nr_pages)
		return pvb_fail(b, -PVB_ENOMEM,
				"memory: the kernel needs %lu pages (%lu KiB) to boot but the domain has %lu (%lu KiB)",
				(unsigned long)l->pfns_used, (unsigned long)(l->pfns_used * 4),
				(unsigned long)p->nr_pages, (unsigned long)(p->nr_pages * 4));
	return 0;
}

/* ---- the page-table plan -------------------------------------------- */

const struct pvb_table *pvb_find_table(const struct pvb_build *b, unsigned int level,
				       uint64_t base)
{
	for (unsigned int i = 0; i < b->nr_tables; i++)
		if (b->tables[i].level == level && b->tables[i].base == base)
			return &b->tables[i];
	return NULL;
}

/*
 * Add the tables of `level` needed for [start, end) that are not planned
 * yet, their PFNs from *next_pfn on.
 */
static int plan_level(struct pvb_build *b, unsigned int level, uint64_t start, uint64_t end,
		      uint64_t *next_pfn)
{
	unsigned int span = pvb_level_shift(level + 1);

	for (uint64_t i = start >> span; i <= (end - 1) >> span; i++) {
		uint64_t base = pvb_sign_extend(i << span);

		if (pvb_find_table(b, level, base))
			continue;
		if (b->nr_tables == PVB_MAX_TABLES)
			return pvb_fail(b, -PVB_E2BIG, "the domain would need more than %u page tables",
					PVB_MAX_TABLES);
		b->tables[b->nr_tables++] = (struct pvb_table){ .base = base, .pfn = (*next_pfn)++,
								.level = level };
	}
	return 0;
}

/*
 * The region's tables get its page-table PFNs in the order L4, L3s, L2s,
 * L1s (the toolstack's order, which Linux expects); the INIT_P2M mapping
 * then adds the tables it does not share, after the p2m frames.
 */
int pvb_plan_tables(struct pvb_build *b)
{
	struct pvb_layout *l = &b->lay;
	uint64_t next = pfn_of(l, l->pt_va);
	int rc = 0;

	b->nr_tables = 0;
	b->tables[b->nr_tables++] = (struct pvb_table){ .base = 0, .pfn = next++, .level = 4 };
	for (unsigned int level = 3; level >= 1 && !rc; level--)
		rc = plan_level(b, level, l->v_start, l->v_end, &next);
	if (rc)
		return rc;
	if (b->nr_tables != l->nr_pt)
		return pvb_fail(b, -PVB_EINVAL, "internal error: %u tables planned for %lu frames",
				b->nr_tables, (unsigned long)l->nr_pt);
	if (!b->img.init_p2m)
		return 0;
	next = l->p2m_pt_pfn;
	for (unsigned int level = 3; level >= 1 && !rc; level--)
		rc = plan_level(b, level, l->p2m_va, l->p2m_va + (l->p2m_pages << PVB_PAGE_SHIFT), &next);
	l->nr_p2m_pt = next - l->p2m_pt_pfn;
	return rc;
}
