/*
 * hv's machine memory: the early page allocator used while the page tables
 * and the frame table are built, then one buddy zone over all RAM.
 *
 * Frames never handed to the allocator: the first MiB (firmware), hv's
 * image, the multiboot2 info block, the boot modules (until their consumer
 * frees them) and whatever the early allocator took.
 */
#include <hv/console.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/multiboot2.h>
#include <hv/page_types.h>
#include <hv/panic.h>

#define MAX_RESERVED (MB2_MAX_MODULES + 8)
#define EARLY_LIMIT (4UL << 30)		/* the boot map covers only 4 GiB */

struct range {
	paddr_t start, end;
};

static struct range reserved[MAX_RESERVED];
static unsigned int nr_reserved;
static const struct boot_info *boot;
/* The early allocator takes pages downwards from early_top. */
static paddr_t early_top, early_next;
static struct frame_zone zone;
static mfn_t max_mfn;

static void reserve(paddr_t start, paddr_t end)
{
	BUG_ON(nr_reserved == MAX_RESERVED);
	reserved[nr_reserved++] = (struct range){ ALIGN_DOWN(start, PAGE_SIZE),
						  ALIGN_UP(end, PAGE_SIZE) };
}

static bool is_reserved(paddr_t pa)
{
	for (unsigned int i = 0; i < nr_reserved; i++)
		if (pa >= reserved[i].start && pa < reserved[i].end)
			return true;
	return false;
}

/* Pick the highest RAM below 4 GiB for early allocations. */
void early_mm_init(const struct boot_info *bi, paddr_t hv_start, paddr_t hv_end)
{
	boot = bi;
	reserve(0, 1UL << 20);
	reserve(hv_start, hv_end);
	reserve(bi->info_start, bi->info_end);
	for (unsigned int i = 0; i < bi->nr_modules; i++)
		reserve(bi->modules[i].start, bi->modules[i].end);
	for (unsigned int i = 0; i < bi->nr_regions; i++) {
		const struct mem_region *r = &bi->regions[i];

		if (r->type == MEM_RAM && r->start < EARLY_LIMIT)
			early_top = MAX(early_top, ALIGN_DOWN(MIN(r->end, EARLY_LIMIT), PAGE_SIZE));
	}
	early_next = early_top;
}

static bool is_ram(paddr_t pa)
{
	for (unsigned int i = 0; i < boot->nr_regions; i++)
		if (boot->regions[i].type == MEM_RAM && pa >= boot->regions[i].start &&
		    pa + PAGE_SIZE <= boot->regions[i].end)
			return true;
	return false;
}

paddr_t early_alloc_page(void)
{
	BUG_ON(zone.table);	/* after frames_init, use alloc_frames */
	while (early_next > PAGE_SIZE) {
		paddr_t pa = early_next - PAGE_SIZE;

		early_next = pa;
		if (is_ram(pa) && !is_reserved(pa)) {
			memset(maddr_to_virt(pa), 0, PAGE_SIZE);
			return pa;
		}
	}
	panic("mm: out of memory for early allocations");
}

/* Contiguous early pages (the frame table): returns the lowest address. */
static paddr_t early_alloc_contig(uint64_t pages)
{
	paddr_t lowest = early_alloc_page();
	uint64_t run = 1;

	while (run < pages) {
		paddr_t pa = early_alloc_page();

		/* A hole or a reserved page breaks the run: start again below it. */
		run = pa == lowest - PAGE_SIZE ? run + 1 : 1;
		lowest = pa;
	}
	return lowest;
}

static void add_ram(paddr_t start, paddr_t end)
{
	start = ALIGN_UP(start, PAGE_SIZE);
	end = ALIGN_DOWN(end, PAGE_SIZE);
	for (paddr_t pa = start; pa < end;) {
		paddr_t run = pa;

		while (run < end && !is_reserved(run))
			run += PAGE_SIZE;
		if (run > pa)
			zone_add_range(&zone, pa >> PAGE_SHIFT, run >> PAGE_SHIFT);
		pa = run + PAGE_SIZE;	/* skip the reserved page at `run` */
		while (pa < end && is_reserved(pa))
			pa += PAGE_SIZE;
	}
}

void frames_init(const struct boot_info *bi)
{
	uint64_t table_pages;
	paddr_t table;

	for (unsigned int i = 0; i < bi->nr_regions; i++)
		if (bi->regions[i].type == MEM_RAM)
			max_mfn = MAX(max_mfn, bi->regions[i].end >> PAGE_SHIFT);
	table_pages = ALIGN_UP(max_mfn * sizeof(struct frame), PAGE_SIZE) >> PAGE_SHIFT;
	table = early_alloc_contig(table_pages);
	/* Everything the early allocator handed out stays hv's. */
	reserve(early_next, early_top);

	zone_init(&zone, maddr_to_virt(table), 0, max_mfn);
	for (unsigned int i = 0; i < bi->nr_regions; i++)
		if (bi->regions[i].type == MEM_RAM)
			add_ram(bi->regions[i].start, bi->regions[i].end);
	pr_info("mm: %lu MiB of RAM, %lu MiB free for allocation, frame table %lu KiB\n",
		(max_mfn << PAGE_SHIFT) >> 20, (zone.free_frames << PAGE_SHIFT) >> 20,
		(table_pages << PAGE_SHIFT) >> 10);
}

mfn_t alloc_frames(unsigned int order)
{
	return zone_alloc(&zone, order);
}

mfn_t alloc_frames_below(unsigned int order, mfn_t limit)
{
	return zone_alloc_below(&zone, order, limit);
}

void split_frames(mfn_t mfn, unsigned int order)
{
	zone_split(&zone, mfn, order);
}

void free_frames(mfn_t mfn, unsigned int order)
{
	/* No trace of a last owner may survive into the next allocation. */
	for (mfn_t i = 0; i < (1UL << order); i++) {
		struct frame *f = mfn_to_frame(mfn + i);

		if (f) {
			f->owner = NULL;
			f->type = FT_NONE;
			f->flags = 0;
			f->type_count = 0;
			f->refs = 0;
		}
	}
	if (zone_free(&zone, mfn, order))
		panic("mm: free_frames(%#lx, %u): not an allocated block", mfn, order);
}

void *alloc_page(void)
{
	mfn_t mfn = alloc_frames(0);
	void *va;

	if (mfn == INVALID_MFN)
		return NULL;
	va = mfn_to_virt(mfn);
	memset(va, 0, PAGE_SIZE);
	return va;
}

void free_page(void *va)
{
	free_frames(virt_to_maddr(va) >> PAGE_SHIFT, 0);
}

uint64_t frames_free_count(void)
{
	return zone.free_frames;
}

uint64_t frames_total_count(void)
{
	return zone.total_frames;
}

mfn_t frames_max_mfn(void)
{
	return max_mfn;
}

struct frame *mfn_to_frame(mfn_t mfn)
{
	return zone.table && mfn < zone.nr ? &zone.table[mfn] : NULL;
}

/*
 * I/O memory, as Xen sees it: the first MiB and every frame the memory map
 * does not call RAM. Such frames have no owner; who may map them is the
 * PV MMU's question (io_frame_permitted).
 */
bool mfn_is_io(mfn_t mfn)
{
	return mfn < ((1UL << 20) >> PAGE_SHIFT) || mfn >= (1UL << 40) ||
	       !is_ram(mfn << PAGE_SHIFT);
}

void *frame_contents(mfn_t mfn)
{
	return mfn_to_virt(mfn);
}

mfn_t frame_to_mfn(const struct frame *f)
{
	return (mfn_t)(f - zone.table) + zone.base;
}

bool frames_ready(void)
{
	return zone.table != NULL;
}
