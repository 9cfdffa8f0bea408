/*
 * The buddy allocator over a frame zone (see <hv/mm.h> for the
 * representation). Every operation checks the frame states it relies on, so
 * a double free or a free of a frame the zone never handed out is refused
 * with -EINVAL instead of corrupting the free lists.
 *
 * Pure: no mappings, no locks (hv runs this on one CPU for now); the unit
 * tests drive it with a plain array.
 */
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/mm.h>

static struct frame *frame_of(struct frame_zone *z, mfn_t mfn)
{
	return (mfn >= z->base && mfn - z->base < z->nr) ? &z->table[mfn - z->base] : NULL;
}

static mfn_t mfn_of(struct frame_zone *z, struct frame *f)
{
	return z->base + (mfn_t)(f - z->table);
}

static void mark_block(struct frame_zone *z, mfn_t mfn, unsigned int order, uint8_t head,
		       uint8_t tail)
{
	struct frame *f = frame_of(z, mfn);

	f->state = head;
	f->order = (uint8_t)order;
	for (mfn_t i = 1; i < (1UL << order); i++) {
		f[i].state = tail;
		f[i].order = 0;
	}
}

static void push_free(struct frame_zone *z, mfn_t mfn, unsigned int order)
{
	mark_block(z, mfn, order, FRAME_FREE, FRAME_FREE_TAIL);
	list_add(&frame_of(z, mfn)->list, &z->free[order]);
	z->free_frames += 1UL << order;
}

static void pop_free(struct frame_zone *z, struct frame *f)
{
	list_del(&f->list);
	z->free_frames -= 1UL << f->order;
}

void zone_init(struct frame_zone *z, struct frame *table, mfn_t base, mfn_t nr)
{
	z->table = table;
	z->base = base;
	z->nr = nr;
	z->free_frames = z->total_frames = 0;
	for (unsigned int o = 0; o <= MAX_ORDER; o++)
		list_init(&z->free[o]);
	memset(table, 0, nr * sizeof(*table));	/* all FRAME_RESERVED */
}

/*
 * Insert a free block and merge it with its buddies for as long as they
 * are free blocks of the same order.
 */
static void insert_and_merge(struct frame_zone *z, mfn_t mfn, unsigned int order)
{
	while (order < MAX_ORDER) {
		mfn_t buddy = mfn ^ (1UL << order);
		struct frame *b = frame_of(z, buddy);

		if (!b || b->state != FRAME_FREE || b->order != order)
			break;
		pop_free(z, b);
		mark_block(z, buddy, order, FRAME_FREE_TAIL, FRAME_FREE_TAIL);
		mfn &= ~(1UL << order);
		order++;
	}
	push_free(z, mfn, order);
}

uint64_t zone_add_range(struct frame_zone *z, mfn_t start, mfn_t end)
{
	uint64_t added = 0;

	if (start < z->base)
		start = z->base;
	if (end > z->base + z->nr)
		end = z->base + z->nr;
	/* Carve [start, end) into the largest naturally aligned blocks. */
	while (start < end) {
		unsigned int order = 0;

		while (order < MAX_ORDER && !(start & (1UL << order)) &&
		       start + (2UL << order) <= end)
			order++;
		for (mfn_t i = 0; i < (1UL << order); i++) {
			if (frame_of(z, start + i)->state != FRAME_RESERVED) {
				/* Already given: add the frames one by one, skipping it. */
				order = 0;
				break;
			}
		}
		if (frame_of(z, start)->state == FRAME_RESERVED) {
			insert_and_merge(z, start, order);
			added += 1UL << order;
			z->total_frames += 1UL << order;
		}
		start += 1UL << order;
	}
	return added;
}

/* Take free block f (of order >= order) off its list; keep its first 2^order frames. */
static mfn_t take_block(struct frame_zone *z, struct frame *f, unsigned int order)
{
	unsigned int o = f->order;
	mfn_t mfn = mfn_of(z, f);

	pop_free(z, f);
	/* Split: give back the upper halves until the block has our order. */
	while (o > order) {
		o--;
		push_free(z, mfn + (1UL << o), o);
	}
	mark_block(z, mfn, order, FRAME_ALLOCATED, FRAME_ALLOCATED_TAIL);
	return mfn;
}

mfn_t zone_alloc(struct frame_zone *z, unsigned int order)
{
	unsigned int o;

	if (order > MAX_ORDER)
		return INVALID_MFN;
	for (o = order; o <= MAX_ORDER && list_empty(&z->free[o]); o++)
		;
	if (o > MAX_ORDER)
		return INVALID_MFN;
	return take_block(z, list_first_entry(&z->free[o], struct frame, list), order);
}

mfn_t zone_alloc_below(struct frame_zone *z, unsigned int order, mfn_t limit)
{
	struct list_head *p;

	if (order > MAX_ORDER)
		return INVALID_MFN;
	/* A block's first frames are its lowest: they are what we keep. */
	for (unsigned int o = order; o <= MAX_ORDER; o++)
		list_for_each(p, &z->free[o]) {
			struct frame *f = list_entry(p, struct frame, list);

			if (mfn_of(z, f) + (1UL << order) <= limit)
				return take_block(z, f, order);
		}
	return INVALID_MFN;
}

void zone_split(struct frame_zone *z, mfn_t mfn, unsigned int order)
{
	for (mfn_t i = 0; i < (1UL << order); i++)
		mark_block(z, mfn + i, 0, FRAME_ALLOCATED, FRAME_ALLOCATED_TAIL);
}

int zone_free(struct frame_zone *z, mfn_t mfn, unsigned int order)
{
	struct frame *f = frame_of(z, mfn);

	if (order > MAX_ORDER || !f || f->state != FRAME_ALLOCATED || f->order != order ||
	    (mfn & ((1UL << order) - 1)) || !frame_of(z, mfn + (1UL << order) - 1))
		return -EINVAL;
	insert_and_merge(z, mfn, order);
	return 0;
}

int zone_reserve(struct frame_zone *z, mfn_t mfn)
{
	struct frame *f = frame_of(z, mfn);
	mfn_t head;
	unsigned int o;

	if (!f || (f->state != FRAME_FREE && f->state != FRAME_FREE_TAIL))
		return -EBUSY;
	/* Find the free block holding mfn: its head is an aligned MFN below. */
	for (o = 0; o <= MAX_ORDER; o++) {
		struct frame *h;

		head = mfn & ~((1UL << o) - 1);
		h = frame_of(z, head);
		if (h && h->state == FRAME_FREE && h->order >= o &&
		    mfn < head + (1UL << h->order))
			break;
	}
	if (o > MAX_ORDER)
		return -EBUSY;
	o = frame_of(z, head)->order;
	pop_free(z, frame_of(z, head));
	mark_block(z, head, o, FRAME_RESERVED, FRAME_RESERVED);
	/* Give back everything in the block except mfn itself. */
	if (mfn > head)
		zone_add_range(z, head, mfn);
	if (mfn + 1 < head + (1UL << o))
		zone_add_range(z, mfn + 1, head + (1UL << o));
	/* zone_add_range counted the given-back frames again. */
	z->total_frames -= 1UL << o;
	return 0;
}
