/*
 * hv's heap. Small objects come from power-of-two size classes carved out
 * of single pages; anything larger than the biggest class gets its own
 * block of pages. Every object is preceded by a 16-byte header naming its
 * class (or page order) and whether it is in use, so xfree() can refuse a
 * pointer it never handed out or one already freed instead of corrupting
 * the free lists. Objects are 16-byte aligned.
 */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/mm.h>

#define HDR_SIZE 16
#define MIN_CLASS_SHIFT 5	/* 32 bytes: header + 16 */
#define MAX_CLASS_SHIFT 11	/* 2048 bytes */
#define NR_CLASSES (MAX_CLASS_SHIFT - MIN_CLASS_SHIFT + 1)
#define MAGIC_USED 0x68764855u	/* "UHvh" */
#define MAGIC_FREE 0x68764846u	/* "FHvh" */
#define CLASS_LARGE 0xffu

struct heap_hdr {
	uint32_t magic;
	uint8_t class;		/* index into free_lists, or CLASS_LARGE */
	uint8_t order;		/* CLASS_LARGE: page order of the block */
	uint16_t pad;
	uint64_t pad2;
};

struct free_obj {
	struct heap_hdr hdr;
	struct free_obj *next;
};

static struct heap_pages pages;
static struct free_obj *free_lists[NR_CLASSES];

void heap_init(const struct heap_pages *p)
{
	pages = *p;
	memset(free_lists, 0, sizeof(free_lists));
}

static unsigned int class_of(size_t total)
{
	unsigned int c = 0;

	while ((1UL << (c + MIN_CLASS_SHIFT)) < total)
		c++;
	return c;
}

/* Pages carved into small objects: they stay with the heap for good. */
static size_t class_pages;

size_t heap_class_pages(void)
{
	return class_pages;
}

static bool refill(unsigned int c)
{
	size_t size = 1UL << (c + MIN_CLASS_SHIFT);
	char *page = pages.get ? pages.get(0) : NULL;

	if (!page)
		return false;
	class_pages++;
	for (size_t off = 0; off + size <= PAGE_SIZE; off += size) {
		struct free_obj *o = (struct free_obj *)(page + off);

		o->hdr.magic = MAGIC_FREE;
		o->hdr.class = (uint8_t)c;
		o->next = free_lists[c];
		free_lists[c] = o;
	}
	return true;
}

/* Bytes handed out and not yet freed (for leak checks: sysctl physinfo). */
static size_t bytes_in_use;

size_t heap_bytes_in_use(void)
{
	return bytes_in_use;
}

static void *alloc_large(size_t total)
{
	unsigned int order = 0;
	struct heap_hdr *h;

	while ((PAGE_SIZE << order) < total)
		if (++order > MAX_ORDER)
			return NULL;
	h = pages.get ? pages.get(order) : NULL;
	if (!h)
		return NULL;
	h->magic = MAGIC_USED;
	h->class = CLASS_LARGE;
	h->order = (uint8_t)order;
	bytes_in_use += PAGE_SIZE << order;
	return (char *)h + HDR_SIZE;
}

void *xmalloc(size_t size)
{
	size_t total = size + HDR_SIZE;
	struct free_obj *o;
	unsigned int c;

	if (size == 0 || total < size)
		return NULL;
	if (total > (1UL << MAX_CLASS_SHIFT))
		return alloc_large(total);
	c = class_of(total);
	if (!free_lists[c] && !refill(c))
		return NULL;
	o = free_lists[c];
	free_lists[c] = o->next;
	o->hdr.magic = MAGIC_USED;
	bytes_in_use += 1UL << (c + MIN_CLASS_SHIFT);
	return (char *)o + HDR_SIZE;
}

void *xzalloc(size_t size)
{
	void *p = xmalloc(size);

	if (p)
		memset(p, 0, size);
	return p;
}

void xfree(void *p)
{
	struct heap_hdr *h;

	if (!p)
		return;
	h = (struct heap_hdr *)((char *)p - HDR_SIZE);
	if (((uintptr_t)p & (HDR_SIZE - 1)) || h->magic != MAGIC_USED ||
	    (h->class != CLASS_LARGE && h->class >= NR_CLASSES)) {
		pr_err("heap: xfree(%p): not an allocated object (%s); ignored\n", p,
		       h->magic == MAGIC_FREE ? "double free" : "bad header");
		return;
	}
	if (h->class == CLASS_LARGE) {
		h->magic = MAGIC_FREE;
		bytes_in_use -= PAGE_SIZE << h->order;
		pages.put(h, h->order);
		return;
	}
	h->magic = MAGIC_FREE;
	bytes_in_use -= 1UL << (h->class + MIN_CLASS_SHIFT);
	((struct free_obj *)h)->next = free_lists[h->class];
	free_lists[h->class] = (struct free_obj *)h;
}
