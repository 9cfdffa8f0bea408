/*
 * Machine memory: the frame table, the frame (buddy) allocator and the heap.
 *
 * Every machine frame hv manages has a struct frame in the frame table,
 * indexed by MFN. The allocator links free blocks through these entries and
 * never touches the free memory itself, which keeps its logic independent
 * of any mapping (and testable on the host with a plain array).
 *
 * A free block of 2^order frames is represented by its first frame, which
 * carries FRAME_FREE and the order; the other frames of the block carry
 * FRAME_FREE_TAIL. Blocks are naturally aligned, so a block's buddy is at
 * mfn ^ (1 << order).
 */
#ifndef HV_MM_H
#define HV_MM_H

#include <hv/list.h>
#include <hv/types.h>

#define MAX_ORDER 18		/* largest block: 2^18 frames = 1 GiB */

enum frame_state {
	FRAME_RESERVED = 0,	/* not RAM, or kept by hv: never allocated */
	FRAME_FREE,		/* head of a free block */
	FRAME_FREE_TAIL,	/* inside a free block */
	FRAME_ALLOCATED,	/* head of a block handed out by zone_alloc */
	FRAME_ALLOCATED_TAIL,	/* inside an allocated block */
};

/*
 * What a domain's frame is used as: the PV MMU's page types (see
 * mm/page_types.c). A frame holds one type at a time; the type can change
 * only while no reference of the old type remains.
 */
enum frame_type {
	FT_NONE = 0,		/* no use recorded yet */
	FT_L1, FT_L2, FT_L3, FT_L4,	/* page-table levels, entries validated */
	FT_SEG_DESC,		/* GDT/LDT frame, descriptors validated */
	FT_WRITABLE,		/* mapped writable somewhere */
};

/* struct frame flags. */
#define FRAME_VALIDATED 0x01	/* a page-table/descriptor type's entries hold their refs */
#define FRAME_PINNED 0x02	/* MMUEXT_PIN_*: holds one type and one general ref */
#define FRAME_HV_PAGE 0x04	/* hv's page shared with its owner (shared_info, grant frames) */
#define FRAME_ASSIGNED 0x08	/* the owner's allocation holds one general ref */

struct domain;

struct frame {
	struct list_head list;	/* free list, or the owner's page list */
	uint8_t state;		/* enum frame_state */
	uint8_t order;		/* FRAME_FREE / ALLOCATED heads: block order */
	uint8_t type;		/* enum frame_type */
	uint8_t flags;		/* FRAME_* */
	uint32_t type_count;	/* references of `type` */
	uint32_t refs;		/* general references: mappings, pins, hv's own uses */
	uint32_t rsvd;
	struct domain *owner;	/* NULL: hv or free */
};

struct frame_zone {
	struct frame *table;	/* indexed by MFN - base */
	mfn_t base, nr;		/* frames [base, base + nr) */
	struct list_head free[MAX_ORDER + 1];
	uint64_t free_frames;
	uint64_t total_frames;	/* frames ever given to the zone */
};

/* Allocator core: operates on a zone whose table the caller provides. */
void zone_init(struct frame_zone *z, struct frame *table, mfn_t base, mfn_t nr);
/* Give [start, end) to the zone as free memory; returns frames added. */
uint64_t zone_add_range(struct frame_zone *z, mfn_t start, mfn_t end);
mfn_t zone_alloc(struct frame_zone *z, unsigned int order);
/* As zone_alloc, with every frame of the block below MFN `limit`. */
mfn_t zone_alloc_below(struct frame_zone *z, unsigned int order, mfn_t limit);
/* Make an allocated block of 2^order frames 2^order blocks of one frame. */
void zone_split(struct frame_zone *z, mfn_t mfn, unsigned int order);
/* Returns 0, or -EINVAL for a frame that is not an allocated block head. */
int zone_free(struct frame_zone *z, mfn_t mfn, unsigned int order);
/* Take one specific free frame out of the zone (0 or -EBUSY). */
int zone_reserve(struct frame_zone *z, mfn_t mfn);

/* hv's machine memory (one zone over all RAM). */
struct boot_info;
/* Reserve firmware, hv, boot info and modules; start the early allocator. */
void early_mm_init(const struct boot_info *bi, paddr_t hv_start, paddr_t hv_end);
/* Build the frame table and give all remaining RAM to the allocator. */
void frames_init(const struct boot_info *bi);
mfn_t alloc_frames(unsigned int order);
mfn_t alloc_frames_below(unsigned int order, mfn_t limit);
void split_frames(mfn_t mfn, unsigned int order);
void free_frames(mfn_t mfn, unsigned int order);
void *alloc_page(void);			/* one zeroed page, mapped; NULL if none */
void free_page(void *va);
uint64_t frames_free_count(void);
uint64_t frames_total_count(void);
mfn_t frames_max_mfn(void);
/* The frame-table entry of an allocator-managed frame, or NULL. */
struct frame *mfn_to_frame(mfn_t mfn);
mfn_t frame_to_mfn(const struct frame *f);

/* True once frames_init has run: alloc_frames works, early_alloc_page does not. */
bool frames_ready(void);
/* Early allocation before frames_init (from the boot loader's free RAM). */
paddr_t early_alloc_page(void);

/* memory_op needs the host's memory map (common/memory.c). */
void memory_op_init(const struct boot_info *bi);

/* Heap: small objects, any size; NULL when memory is short. */
void *xmalloc(size_t size);
void *xzalloc(size_t size);
void xfree(void *p);
size_t heap_bytes_in_use(void);
/* Pages the small-object classes took; never given back (leak checks add them in). */
size_t heap_class_pages(void);
/* Page provider the heap draws from (hv: alloc_page/free_page). */
struct heap_pages {
	void *(*get)(unsigned int order);
	void (*put)(void *p, unsigned int order);
};
void heap_init(const struct heap_pages *pages);

#endif
