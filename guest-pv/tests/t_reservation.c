/*
 * memory_op (#12) changing our own memory: increase_reservation,
 * decrease_reservation, populate_physmap and exchange, with the
 * reservation counts, the M2P and our mappings checked around each, and
 * the argument errors. Every test gives back what it took and repopulates
 * what it gave, so the domain ends with as many pages as it started with
 * and a p2m that agrees with the M2P (frames.h: the spare pool). Group
 * memory_res, apart from memory_op's queries so that hv's scenario can take
 * these up as hv catches up with Xen.
 *
 * Xen's rules these tests pin down (xen/common/memory.c):
 *  - the reservation ops return how many extents were done, never an
 *    errno: a bad argument, list or domain is "0 done" (or the start
 *    extent carried in cmd >> 6);
 *  - a frame given back while something still references it (a mapping,
 *    a pin) stays allocated until that reference goes: the count drops
 *    then, and the M2P entry becomes invalid then;
 *  - exchange trades whole chunks; a chunk that fails is undone.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <guest/xenctl.h>
#include <public/errno.h>
#include <public/hvctl.h>
#include <public/memory.h>
#include "frames.h"

#define SENTINEL    0x5a5a5a5aUL
/* Past every order a PV domain may ask for on Xen 4.17 (18 for a control domain). */
#define ORDER_TOO_BIG 19

/* Windows: our own pages, pointed at other frames for a while. */
static uint8_t win[3][PAGE_SIZE] __aligned(PAGE_SIZE);

static long increase(xen_pfn_t *list, unsigned long nr, unsigned int order, unsigned int flags)
{
	return reservation(XENMEM_increase_reservation, list, nr, order, flags, DOMID_SELF);
}

static long decrease(xen_pfn_t *list, unsigned long nr, unsigned int order)
{
	return reservation(XENMEM_decrease_reservation, list, nr, order, 0, DOMID_SELF);
}

static long exchange(struct xen_memory_exchange *x)
{
	return HYPERVISOR_memory_op(XENMEM_exchange, x);
}

/* Fill a list with something no hypervisor would return. */
static void fill(xen_pfn_t *list, unsigned int n)
{
	for (unsigned int i = 0; i < n; i++)
		list[i] = SENTINEL + i;
}

/* Write a pattern through win[w] mapped at mfn and read it back. */
static void check_usable(unsigned int w, uint64_t mfn, const char *what)
{
	volatile uint64_t *p = (volatile uint64_t *)win[w];

	CHECK_RC(what, 0, map_va(win[w], mfn, PTE_RW_FLAGS));
	p[0] = 0x1122334455667788UL ^ mfn;
	p[511] = ~mfn;
	CHECK(p[0] == (0x1122334455667788UL ^ mfn) && p[511] == ~mfn, "%s: pattern lost", what);
	CHECK_RC("restore the window", 0, restore_va(win[w]));
}

/* The frame is no longer ours: not in the M2P, not ownable, not mappable. */
static void check_gone(uint64_t mfn, const char *what)
{
	CHECK(m2p_of(mfn) == M2P_INVALID, "%s: M2P[%#lx] = %#lx, expected invalid", what, mfn,
	      m2p_of(mfn));
	CHECK(!frame_is_ours(mfn), "%s: frame %#lx still ours", what, mfn);
	/* Xen: mapping a frame nobody owns fails in get_page_from_l1e with -EBUSY. */
	CHECK_RC(what, -XEN_EBUSY, map_va(win[2], mfn, PTE_RW_FLAGS));
	restore_va(win[2]);
}

/* Our page count before the first test here, for the last one to compare. */
static long pages_at_start;

TEST(memory_res, increase_decrease_order0)
{
	long cur = current_pages(), max = maximum_pages();
	xen_pfn_t list[4];
	long rc;

	pages_at_start = cur;
	fill(list, 4);
	rc = increase(list, 4, 0, 0);
	CHECK_RC("increase_reservation(4 x order 0)", 4, rc);
	CHECK_EQ("current_reservation after", cur + rc, current_pages());
	for (long i = 0; i < rc; i++) {
		CHECK(list[i] != SENTINEL + (uint64_t)i, "extent %ld not written", i);
		for (long j = 0; j < i; j++)
			CHECK(list[i] != list[j], "extents %ld and %ld are both %#lx", j, i, list[i]);
		/* Nobody's PFN yet: the M2P of a new frame is invalid until we set it. */
		CHECK_EQ("M2P of a new frame", M2P_INVALID, m2p_of(list[i]));
		CHECK(frame_is_ours(list[i]), "new frame %#lx not ours", list[i]);
	}
	if (rc > 0)
		check_usable(0, list[0], "map a new frame");

	CHECK_RC("decrease_reservation(4)", rc, decrease(list, rc, 0));
	CHECK_EQ("current_reservation back", cur, current_pages());
	for (long i = 0; i < rc; i++)
		check_gone(list[i], "frame given back");
	CHECK_EQ("maximum_reservation unchanged", max, maximum_pages());
}

TEST(memory_res, increase_decrease_order2)
{
	long cur = current_pages();
	xen_pfn_t list[2];
	long rc;

	fill(list, 2);
	rc = increase(list, 2, 2, 0);
	CHECK_RC("increase_reservation(2 x order 2)", 2, rc);
	CHECK_EQ("current_reservation after", cur + 4 * rc, current_pages());
	for (long i = 0; i < rc; i++) {
		CHECK_EQ("extent alignment", 0, list[i] & 3);
		for (unsigned int j = 0; j < 4; j++)
			CHECK(frame_is_ours(list[i] + j), "frame %u of extent %#lx not ours", j, list[i]);
	}
	if (rc > 0)
		check_usable(0, list[0] + 3, "map the last frame of an extent");
	CHECK_RC("decrease_reservation(2 x order 2)", rc, decrease(list, rc, 2));
	CHECK_EQ("current_reservation back", cur, current_pages());
	for (long i = 0; i < rc; i++)
		CHECK(!frame_is_ours(list[i] + 2), "frame %#lx still ours", list[i] + 2);

	fill(list, 1);
	CHECK_RC("increase_reservation(order 19)", 0, increase(list, 1, ORDER_TOO_BIG, 0));
	CHECK_EQ("list untouched", SENTINEL, list[0]);
	CHECK_EQ("current_reservation unchanged", cur, current_pages());
}

TEST(memory_res, increase_address_bits)
{
	long cur = current_pages();
	xen_pfn_t list[2];
	long rc;

	/* 28 address bits: every frame below 256 MiB. */
	fill(list, 2);
	rc = increase(list, 2, 0, XENMEMF_address_bits(28));
	CHECK_RC("increase_reservation(address_bits 28)", 2, rc);
	for (long i = 0; i < rc; i++)
		CHECK(list[i] < (1UL << (28 - PAGE_SHIFT)), "frame %#lx above 256 MiB", list[i]);
	CHECK_RC("give them back", rc, decrease(list, rc, 0));

	/* Too few bits to hold any frame: Xen refuses the request outright. */
	fill(list, 2);
	CHECK_RC("increase_reservation(address_bits 12)", 0, increase(list, 2, 0, XENMEMF_address_bits(12)));
	CHECK_EQ("list untouched", SENTINEL, list[0]);
	CHECK_EQ("current_reservation unchanged", cur, current_pages());
}

/*
 * A large extent got without a list, found again by probing the frames
 * aligned to its size (the extent is naturally aligned) for ownership;
 * `hint` first: the allocator tends to hand back the extent just freed.
 * A candidate counts only if all its frames are ours, so a single
 * page the hypervisor shares with us (shared_info, a grant-table frame)
 * that happens to sit on such a boundary is never taken for it.
 */
static bool whole_extent_ours(uint64_t base, unsigned int order)
{
	uint64_t pfn;

	/* Our own pages (in the p2m) are ours anyway. */
	if (m2p_get(base, &pfn) && pfn < start_info->nr_pages && p2m[pfn] == base)
		return false;
	for (uint64_t j = 0; j < (1UL << order); j++)
		if (!frame_is_ours(base + j))
			return false;
	return true;
}

static uint64_t find_unlisted_extent(uint64_t hint, unsigned int order)
{
	long top = HYPERVISOR_memory_op(XENMEM_maximum_ram_page, NULL);

	if (whole_extent_ours(hint, order))
		return hint;
	for (uint64_t base = 0; top > 0 && base < (uint64_t)top; base += 1UL << order)
		if (base != hint && whole_extent_ours(base, order))
			return base;
	return 0;
}

TEST(memory_res, increase_without_list)
{
	/* 16 MiB; an unprivileged domain may ask for 2 MiB at most (Xen's and hv's limit). */
	unsigned int order = is_initial_domain() ? 12 : 9;
	long cur = current_pages();
	xen_pfn_t ext = SENTINEL;
	uint64_t found;
	long rc;

	CHECK_RC("increase_reservation(0 extents, no list)", 0, increase(NULL, 0, 0, 0));
	/* Starting at extent 1 of 1: nothing to do, the start comes back. */
	CHECK_RC("increase_reservation(cmd | 1 << 6, 1 extent, no list)", 1,
		 HYPERVISOR_memory_op(XENMEM_increase_reservation | (1 << MEMOP_EXTENT_SHIFT),
				      &(struct xen_memory_reservation){ .nr_extents = 1,
								       .domid = DOMID_SELF }));
	CHECK_EQ("current_reservation unchanged", cur, current_pages());

	/* Learn where such an extent comes from, give it back, then ask again without a list. */
	rc = increase(&ext, 1, order, 0);
	CHECK_RC("increase_reservation(large order)", 1, rc);
	if (rc != 1)
		return;
	CHECK_RC("give it back", 1, decrease(&ext, 1, order));
	CHECK_RC("one order more than allowed", 0, increase(&ext, 1, is_initial_domain() ? 19 : 10, 0));
	rc = increase(NULL, 1, order, 0);
	CHECK_RC("increase_reservation(large order, no list)", 1, rc);
	CHECK_EQ("current_reservation after", cur + (rc == 1 ? 1L << order : 0), current_pages());
	if (rc != 1)
		return;
	found = find_unlisted_extent(ext, order);
	CHECK(found, "the extent allocated without a list is not found; it stays with the domain");
	if (!found)
		return;
	CHECK_RC("give back the extent allocated without a list", 1, decrease(&found, 1, order));
	CHECK_EQ("current_reservation back", cur, current_pages());
}

/* hv's own domctl (public/hvctl.h) does the same on hv. */
static long hv_set_max_pages(uint64_t pages)
{
	struct hv_domctl d = {
		.cmd = HV_DOMCTL_max_mem,
		.interface_version = HVCTL_INTERFACE_VERSION,
		.domain = DOMID_SELF,
		.u.max_mem.max_pages = pages,
	};

	return HCALL(__HYPERVISOR_domctl, &d, 0, 0, 0, 0);
}

/* Xen 4.17's (guest/xenctl.h). */
static long xen_set_max_pages(uint64_t pages)
{
	struct xen417_domctl d = {
		.cmd = XEN417_DOMCTL_max_mem,
		.interface_version = XEN417_DOMCTL_VERSION,
		.domain = 0,
		.u.max_mem.max_memkb = pages << (PAGE_SHIFT - 10),
	};

	return HCALL(__HYPERVISOR_domctl, &d, 0, 0, 0, 0);
}

TEST(memory_res, increase_over_max)
{
	long cur = current_pages(), max = maximum_pages(), room, rc;
	bool lowered = false;
	xen_pfn_t list[5];

	if (max - cur > 64) {
		/*
		 * dom0 may grow to all free memory (on Xen and on hv); bound it for
		 * a while with the hypervisor's own domctl.
		 */
		const char *t = target_hypervisor();
		long (*set_max)(uint64_t) = !t ? NULL : !strcmp(t, "xen") ? xen_set_max_pages :
						 !strcmp(t, "hv") ? hv_set_max_pages : NULL;

		if (!set_max || !is_initial_domain())
			SKIP("maximum_reservation %ld is far above current %ld", max, cur);
		CHECK_RC("domctl max_mem(current + 2)", 0, set_max(cur + 2));
		CHECK_EQ("maximum_reservation lowered", cur + 2, maximum_pages());
		lowered = true;
	}
	room = maximum_pages() - cur;
	fill(list, 5);
	rc = increase(list, 5, 0, 0);
	/* As many extents as fit below the maximum, then a stop: a partial count. */
	CHECK_RC("increase_reservation(5) with room for fewer", room, rc);
	CHECK_EQ("current_reservation at the maximum", maximum_pages(), current_pages());
	CHECK_EQ("extent past the maximum not written", SENTINEL + 4, list[4]);
	CHECK_RC("increase_reservation(1) at the maximum", 0, increase(list + 4, 1, 0, 0));
	if (rc > 0)
		CHECK_RC("give them back", rc, decrease(list, rc, 0));
	if (lowered) {
		const char *t = target_hypervisor();

		CHECK_RC("domctl max_mem(restore)", 0,
			 (!strcmp(t, "xen") ? xen_set_max_pages : hv_set_max_pages)((uint64_t)max));
		CHECK_EQ("maximum_reservation restored", max, maximum_pages());
	}
	CHECK_EQ("current_reservation back", cur, current_pages());
}

/* Put spare PFN i's frame back in the p2m (after a test gave it away). */
static void repopulate(unsigned int i, unsigned int n)
{
	CHECK_RC("repopulate spare PFNs", n, populate_pfns(spare_pfn(i), n));
}

TEST(memory_res, decrease_stops_at_foreign_frame)
{
	long cur = current_pages();
	uint64_t a = p2m[spare_pfn(0)], c = p2m[spare_pfn(1)];
	xen_pfn_t list[3] = { a, a, c };
	xen_pfn_t beyond = 1UL << 40;

	if (!spare_pool_ok())
		SKIP("the spare PFNs are not free for the taking");
	/* The second entry is the first again: no longer ours when its turn comes. */
	CHECK_RC("decrease_reservation(a, a, c)", 1, decrease(list, 3, 0));
	p2m_table()[spare_pfn(0)] = M2P_INVALID;
	CHECK_EQ("current_reservation", cur - 1, current_pages());
	check_gone(a, "the frame given back");
	CHECK(frame_is_ours(c), "the frame after the stop was given back too");
	CHECK_EQ("M2P of the frame after the stop", spare_pfn(1), m2p_of(c));
	CHECK_RC("decrease_reservation(a frame beyond RAM)", 0, decrease(&beyond, 1, 0));
	list[0] = hypervisor_frame();
	CHECK_RC("decrease_reservation(the hypervisor's frame)", 0, decrease(list, 1, 0));
	CHECK_EQ("current_reservation", cur - 1, current_pages());
	repopulate(0, 1);
	CHECK_EQ("current_reservation back", cur, current_pages());
}

TEST(memory_res, decrease_mapped_frame)
{
	long cur = current_pages();
	uint64_t pfn = spare_pfn(2), a = p2m[pfn];
	volatile uint64_t *w = (volatile uint64_t *)win[1];

	if (!spare_pool_ok())
		SKIP("the spare PFNs are not free for the taking");
	CHECK_RC("map the frame", 0, map_va(win[1], a, PTE_RW_FLAGS));
	w[0] = 0xfeedfacecafef00dUL;
	/* Xen takes it (1 done) but the mapping keeps the frame alive and counted. */
	CHECK_RC("decrease_reservation(a mapped frame)", 1, decrease(&a, 1, 0));
	p2m_table()[pfn] = M2P_INVALID;
	CHECK_EQ("current_reservation while still mapped", cur, current_pages());
	CHECK_EQ("M2P while still mapped", pfn, m2p_of(a));
	CHECK_EQ("contents through the mapping", 0xfeedfacecafef00dUL, w[0]);
	/* Dropping the mapping drops the last reference: now it is gone. */
	CHECK_RC("unmap it", 0, restore_va(win[1]));
	CHECK_EQ("current_reservation once unmapped", cur - 1, current_pages());
	check_gone(a, "the frame once unmapped");
	repopulate(2, 1);
	CHECK_EQ("current_reservation back", cur, current_pages());
}

TEST(memory_res, decrease_pinned_frame)
{
	long cur = current_pages();
	uint64_t pfn = spare_pfn(3), a = p2m[pfn];

	if (!spare_pool_ok())
		SKIP("the spare PFNs are not free for the taking");
	/* An empty L1 table: zeroed through a window, unmapped, pinned. */
	CHECK_RC("map the frame", 0, map_va(win[1], a, PTE_RW_FLAGS));
	memset(win[1], 0, PAGE_SIZE);
	CHECK_RC("unmap it", 0, restore_va(win[1]));
	CHECK_RC("pin it as an L1", 0, mmuext_on(MMUEXT_PIN_L1_TABLE, a));

	/* Xen takes it, but the pin keeps it allocated, counted and unpinnable. */
	CHECK_RC("decrease_reservation(a pinned L1)", 1, decrease(&a, 1, 0));
	p2m_table()[pfn] = M2P_INVALID;
	CHECK_EQ("current_reservation while pinned", cur, current_pages());
	CHECK_EQ("M2P while pinned", pfn, m2p_of(a));
	CHECK_RC("unpin it", 0, mmuext_on(MMUEXT_UNPIN_TABLE, a));
	CHECK_EQ("current_reservation once unpinned", cur - 1, current_pages());
	check_gone(a, "the frame once unpinned");
	CHECK_RC("unpin it again", -XEN_EINVAL, mmuext_on(MMUEXT_UNPIN_TABLE, a));
	repopulate(3, 1);
	CHECK_EQ("current_reservation back", cur, current_pages());
}

TEST(memory_res, populate_physmap)
{
	long cur = current_pages();
	uint64_t pfn = spare_pfn(4), big = spare_pfn(8);
	xen_pfn_t list[4];
	long rc;

	if (!spare_pool_ok())
		SKIP("the spare PFNs are not free for the taking");
	CHECK_RC("give back 4 frames", 4, release_pfns(pfn, 4));
	CHECK_EQ("current_reservation", cur - 4, current_pages());

	/* PFNs in, MFNs out; the M2P learns the PFNs. */
	for (unsigned int i = 0; i < 4; i++)
		list[i] = pfn + i;
	rc = reservation(XENMEM_populate_physmap, list, 4, 0, 0, DOMID_SELF);
	CHECK_RC("populate_physmap(4 x order 0)", 4, rc);
	for (long i = 0; i < rc; i++) {
		CHECK_EQ("M2P of a populated frame", pfn + i, m2p_of(list[i]));
		p2m_table()[pfn + i] = list[i];
	}
	CHECK_EQ("current_reservation", cur - 4 + rc, current_pages());
	if (rc > 0)
		check_usable(0, list[0], "map a populated frame");
	if (rc < 4)
		repopulate(4 + (unsigned int)rc, 4 - (unsigned int)rc);

	/* One order-2 extent over 4 aligned PFNs. */
	CHECK_RC("give back 4 more", 4, release_pfns(big, 4));
	list[0] = big;
	rc = reservation(XENMEM_populate_physmap, list, 1, 2, 0, DOMID_SELF);
	CHECK_RC("populate_physmap(1 x order 2)", 1, rc);
	if (rc == 1) {
		CHECK_EQ("extent alignment", 0, list[0] & 3);
		for (unsigned int j = 0; j < 4; j++) {
			CHECK_EQ("M2P of the extent's frames", big + j, m2p_of(list[0] + j));
			p2m_table()[big + j] = list[0] + j;
		}
	} else {
		repopulate(8, 4);
	}

	/* Refusals do nothing. */
	CHECK_RC("populate_physmap(list at an unmapped address)", 0,
		 reservation(XENMEM_populate_physmap, BAD_PTR_UNMAPPED, 1, 0, 0, DOMID_SELF));
	list[0] = pfn;
	CHECK_RC("populate_physmap(order 19)", 0,
		 reservation(XENMEM_populate_physmap, list, 1, ORDER_TOO_BIG, 0, DOMID_SELF));
	CHECK_EQ("current_reservation back", cur, current_pages());
	CHECK_EQ("M2P of a spare PFN's frame", pfn, m2p_of(p2m[pfn]));
}

/* An exchange request: nr_in extents of order in_order for out extents of out_order. */
static void exchange_req(struct xen_memory_exchange *x, xen_pfn_t *in, unsigned long nr_in,
			 unsigned int in_order, xen_pfn_t *out, unsigned long nr_out,
			 unsigned int out_order, unsigned int out_flags)
{
	memset(x, 0, sizeof(*x));
	x->in.extent_start = (uint64_t)in;
	x->in.nr_extents = nr_in;
	x->in.extent_order = in_order;
	x->in.domid = DOMID_SELF;
	x->out.extent_start = (uint64_t)out;
	x->out.nr_extents = nr_out;
	x->out.extent_order = out_order;
	x->out.mem_flags = out_flags;
	x->out.domid = DOMID_SELF;
}

TEST(memory_res, exchange_for_contiguous)
{
	long cur = current_pages();
	uint64_t pfn = spare_pfn(12);
	xen_pfn_t in[4], out[4];
	struct xen_memory_exchange x;

	if (!spare_pool_ok())
		SKIP("the spare PFNs are not free for the taking");
	/* As Linux's swiotlb: four single frames for one order-2 extent below 4 GiB. */
	for (unsigned int i = 0; i < 4; i++)
		in[i] = p2m[pfn + i];
	out[0] = pfn;
	exchange_req(&x, in, 4, 0, out, 1, 2, XENMEMF_address_bits(32));
	CHECK_RC("exchange(4 x order 0 -> 1 x order 2, 32 bits)", 0, exchange(&x));
	CHECK_EQ("nr_exchanged", 4, x.nr_exchanged);
	if (x.nr_exchanged == 4) {
		CHECK_EQ("extent alignment", 0, out[0] & 3);
		CHECK(out[0] + 3 < (1UL << (32 - PAGE_SHIFT)), "extent %#lx above 4 GiB", out[0]);
		for (unsigned int j = 0; j < 4; j++) {
			CHECK_EQ("M2P of the contiguous extent", pfn + j, m2p_of(out[0] + j));
			p2m_table()[pfn + j] = out[0] + j;
			CHECK(m2p_of(in[j]) == M2P_INVALID, "old frame %#lx still has an M2P entry", in[j]);
			CHECK(!frame_is_ours(in[j]), "old frame %#lx still ours", in[j]);
		}
		check_usable(0, out[0] + 2, "map a frame of the extent");
	}
	CHECK_EQ("current_reservation unchanged", cur, current_pages());

	/* And back: the extent for four single frames. */
	in[0] = p2m[pfn];
	for (unsigned int i = 0; i < 4; i++)
		out[i] = pfn + i;
	exchange_req(&x, in, 1, 2, out, 4, 0, 0);
	CHECK_RC("exchange(1 x order 2 -> 4 x order 0)", 0, exchange(&x));
	CHECK_EQ("nr_exchanged", 1, x.nr_exchanged);
	if (x.nr_exchanged == 1)
		for (unsigned int j = 0; j < 4; j++) {
			CHECK_EQ("M2P of a single frame", pfn + j, m2p_of(out[j]));
			p2m_table()[pfn + j] = out[j];
		}
	CHECK_EQ("current_reservation unchanged", cur, current_pages());
}

TEST(memory_res, exchange_refusals)
{
	long cur = current_pages();
	uint64_t pfn = spare_pfn(16);
	xen_pfn_t in[2], out[2];
	struct xen_memory_exchange x;

	if (!spare_pool_ok())
		SKIP("the spare PFNs are not free for the taking");
	in[0] = p2m[pfn];
	in[1] = p2m[pfn + 1];
	out[0] = out[1] = pfn;

	exchange_req(&x, in, 2, 0, out, 2, 1, 0);
	CHECK_RC("exchange(2 pages for 4)", -XEN_EINVAL, exchange(&x));
	CHECK_EQ("nr_exchanged", 0, x.nr_exchanged);
	exchange_req(&x, in, 2, 0, out, 1, 1, 0);
	x.out.domid = 0;
	/* Xen compares the two domids as given: DOMID_SELF and our own id differ. */
	CHECK_RC("exchange(in DOMID_SELF, out domid 0)", -XEN_EINVAL, exchange(&x));
	exchange_req(&x, in, 2, 0, out, 1, 1, 0);
	x.nr_exchanged = 3;
	CHECK_RC("exchange(nr_exchanged past the end)", -XEN_EINVAL, exchange(&x));
	exchange_req(&x, in, 2, 0, out, 1, 1, 0);
	x.nr_exchanged = 2;
	CHECK_RC("exchange(already done)", 0, exchange(&x));
	CHECK_EQ("nr_exchanged", 2, x.nr_exchanged);
	/* Orders beyond the caller's limit are -EPERM, before any other check. */
	exchange_req(&x, in, 1UL << ORDER_TOO_BIG, 0, out, 1, ORDER_TOO_BIG, 0);
	CHECK_RC("exchange(order 19)", -XEN_EPERM, exchange(&x));
	exchange_req(&x, in, 2, 0, out, 1, 1, 0);
	x.in.domid = x.out.domid = DOMID_INVALID;
	CHECK_RC("exchange(DOMID_INVALID)", -XEN_ESRCH, exchange(&x));
	exchange_req(&x, BAD_PTR_HV, 2, 0, out, 1, 1, 0);
	CHECK_RC("exchange(in list in the hypervisor)", -XEN_EFAULT, exchange(&x));
	exchange_req(&x, in, 2, 0, BAD_PTR_HV, 1, 1, 0);
	CHECK_RC("exchange(out list in the hypervisor)", -XEN_EFAULT, exchange(&x));
	CHECK_RC("exchange(a bad pointer)", -XEN_EFAULT, exchange(BAD_PTR_UNMAPPED));
	exchange_req(&x, in, 2, 0, out, 1, 1, 0);
	CHECK_RC("exchange with cmd | 1 << 6", -XEN_EINVAL,
		 HYPERVISOR_memory_op(XENMEM_exchange | (1 << MEMOP_EXTENT_SHIFT), &x));
	CHECK_EQ("nothing moved: current_reservation", cur, current_pages());
	CHECK_EQ("nothing moved: M2P", pfn, m2p_of(in[0]));
	CHECK_EQ("nothing moved: M2P", pfn + 1, m2p_of(in[1]));

	/* No frame below 8 KiB to give: the stolen frame goes back, nothing lost. */
	exchange_req(&x, in, 1, 0, out, 1, 0, XENMEMF_address_bits(13));
	CHECK_RC("exchange(for a frame below 8 KiB)", -XEN_ENOMEM, exchange(&x));
	CHECK_EQ("nr_exchanged", 0, x.nr_exchanged);
	CHECK(frame_is_ours(in[0]), "frame %#lx lost", in[0]);
	CHECK_EQ("M2P kept", pfn, m2p_of(in[0]));
	CHECK_EQ("current_reservation", cur, current_pages());
}

TEST(memory_res, exchange_foreign_or_mapped_frame)
{
	long cur = current_pages();
	uint64_t pfn = spare_pfn(18);
	xen_pfn_t in[2], out[2];
	struct xen_memory_exchange x;

	if (!spare_pool_ok())
		SKIP("the spare PFNs are not free for the taking");
	/* A frame still mapped cannot be traded: -EINVAL, it stays ours and mapped. */
	in[0] = p2m[pfn];
	out[0] = pfn;
	CHECK_RC("map the frame", 0, map_va(win[1], in[0], PTE_RW_FLAGS));
	*(volatile uint64_t *)win[1] = 0x0123456789abcdefUL;
	exchange_req(&x, in, 1, 0, out, 1, 0, 0);
	CHECK_RC("exchange(a mapped frame)", -XEN_EINVAL, exchange(&x));
	CHECK_EQ("nr_exchanged", 0, x.nr_exchanged);
	CHECK_EQ("contents through the mapping", 0x0123456789abcdefUL, *(volatile uint64_t *)win[1]);
	CHECK_EQ("M2P kept", pfn, m2p_of(in[0]));
	CHECK_RC("unmap it", 0, restore_va(win[1]));

	/* The second of two is the hypervisor's: the first chunk is traded, then -EINVAL. */
	in[0] = p2m[pfn];
	in[1] = hypervisor_frame();
	out[0] = pfn;
	out[1] = pfn + 1;
	exchange_req(&x, in, 2, 0, out, 2, 0, 0);
	CHECK_RC("exchange(ours, the hypervisor's)", -XEN_EINVAL, exchange(&x));
	CHECK_EQ("nr_exchanged", 1, x.nr_exchanged);
	if (x.nr_exchanged == 1) {
		CHECK_EQ("M2P of the traded frame", pfn, m2p_of(out[0]));
		CHECK(!frame_is_ours(in[0]), "the old frame %#lx is still ours", in[0]);
		p2m_table()[pfn] = out[0];
	}
	CHECK_EQ("second out slot untouched", pfn + 1, out[1]);
	CHECK(!frame_is_ours(in[1]), "the hypervisor's frame %#lx became ours", in[1]);
	CHECK_EQ("current_reservation unchanged", cur, current_pages());

	/* Only the hypervisor's frame: nothing traded at all. */
	in[0] = hypervisor_frame();
	out[0] = pfn;
	exchange_req(&x, in, 1, 0, out, 1, 0, 0);
	CHECK_RC("exchange(the hypervisor's frame)", -XEN_EINVAL, exchange(&x));
	CHECK_EQ("nr_exchanged", 0, x.nr_exchanged);
	CHECK_EQ("out slot untouched", pfn, out[0]);
	CHECK_EQ("current_reservation unchanged", cur, current_pages());
}

/*
 * A frame listed twice within one chunk is still one frame: the exchange
 * is refused (Xen: -EINVAL, the second steal finds the frame no longer
 * ours) and undone. Were it taken for two, the domain would gain a page
 * per repeat, past its maximum.
 */
TEST(memory_res, exchange_repeated_frame)
{
	long cur = current_pages();
	uint64_t pfn = spare_pfn(20);
	xen_pfn_t in[4], out[2];
	struct xen_memory_exchange x;

	if (!spare_pool_ok())
		SKIP("the spare PFNs are not free for the taking");
	in[0] = in[1] = p2m[pfn];
	out[0] = pfn;
	exchange_req(&x, in, 2, 0, out, 1, 1, 0);
	CHECK_RC("exchange(the same frame twice -> 1 x order 1)", -XEN_EINVAL, exchange(&x));
	CHECK_EQ("nr_exchanged", 0, x.nr_exchanged);
	CHECK_EQ("out slot untouched", pfn, out[0]);
	CHECK(frame_is_ours(in[0]), "frame %#lx lost", in[0]);
	CHECK_EQ("M2P kept", pfn, m2p_of(in[0]));
	CHECK_EQ("current_reservation unchanged", cur, current_pages());

	/* Among others: the whole chunk is refused, none of its frames traded. */
	in[0] = p2m[pfn];
	in[1] = p2m[pfn + 1];
	in[2] = p2m[pfn];
	in[3] = p2m[pfn + 2];
	out[0] = out[1] = pfn;
	exchange_req(&x, in, 4, 0, out, 1, 2, 0);
	CHECK_RC("exchange(4 frames, one of them twice -> 1 x order 2)", -XEN_EINVAL, exchange(&x));
	CHECK_EQ("nr_exchanged", 0, x.nr_exchanged);
	CHECK_EQ("out slot untouched", pfn, out[0]);
	for (unsigned int i = 0; i < 3; i++) {
		CHECK(frame_is_ours(p2m[pfn + i]), "frame %#lx lost", p2m[pfn + i]);
		CHECK_EQ("M2P kept", pfn + i, m2p_of(p2m[pfn + i]));
	}
	CHECK_EQ("current_reservation unchanged", cur, current_pages());
}

TEST(memory_res, reservation_refusals)
{
	long cur = current_pages();
	xen_pfn_t list[2];

	/* Not errnos: "0 extents done", or the start extent when one is given. */
	CHECK_RC("increase(bad pointer)", 0,
		 HYPERVISOR_memory_op(XENMEM_increase_reservation, BAD_PTR_UNMAPPED));
	CHECK_RC("decrease(bad pointer)", 0,
		 HYPERVISOR_memory_op(XENMEM_decrease_reservation, BAD_PTR_HV));
	CHECK_RC("populate(bad pointer)", 0, HYPERVISOR_memory_op(XENMEM_populate_physmap, BAD_PTR_UNMAPPED));
	CHECK_RC("increase(cmd | 3 << 6, bad pointer)", 3,
		 HYPERVISOR_memory_op(XENMEM_increase_reservation | (3 << MEMOP_EXTENT_SHIFT),
				      BAD_PTR_UNMAPPED));
	CHECK_RC("increase(list in the hypervisor)", 0, increase(BAD_PTR_HV, 1, 0, 0));
	CHECK_RC("decrease(list at an unmapped address)", 0,
		 reservation(XENMEM_decrease_reservation, BAD_PTR_UNMAPPED, 1, 0, 0, DOMID_SELF));
	fill(list, 2);
	CHECK_RC("increase(DOMID_INVALID)", 0,
		 reservation(XENMEM_increase_reservation, list, 1, 0, 0, DOMID_INVALID));
	CHECK_RC("increase(domain 0x1234)", 0,
		 reservation(XENMEM_increase_reservation, list, 1, 0, 0, 0x1234));
	CHECK_RC("decrease(domain 0x1234)", 0,
		 reservation(XENMEM_decrease_reservation, list, 1, 0, 0, 0x1234));
	CHECK_RC("increase(too many extents to continue)", 0,
		 increase(list, (~0U >> MEMOP_EXTENT_SHIFT) + 1UL, 0, 0));
	CHECK_EQ("list untouched", SENTINEL, list[0]);
	CHECK_EQ("current_reservation unchanged", cur, current_pages());
	CHECK_RC("current_reservation(domain 0x1234)", -XEN_ESRCH,
		 HYPERVISOR_memory_op(XENMEM_current_reservation, &(domid_t){ 0x1234 }));
	CHECK_RC("maximum_reservation(DOMID_INVALID)", -XEN_ESRCH,
		 HYPERVISOR_memory_op(XENMEM_maximum_reservation, &(domid_t){ DOMID_INVALID }));

	/* Our own id is as good as DOMID_SELF (dom0 knows it: 0). */
	if (!is_initial_domain())
		return;
	CHECK_RC("increase(domain 0)", 1, reservation(XENMEM_increase_reservation, list, 1, 0, 0, 0));
	CHECK_EQ("current_reservation", cur + 1, current_pages());
	CHECK_RC("decrease(domain 0)", 1, reservation(XENMEM_decrease_reservation, list, 1, 0, 0, 0));
	CHECK_EQ("current_reservation back", cur, current_pages());
}

TEST(memory_res, continuation_encoding)
{
	long cur = current_pages();
	xen_pfn_t list[3];

	/* cmd >> 6 is the extent to start at: extents before it are not touched. */
	fill(list, 3);
	CHECK_RC("increase(cmd | 2 << 6, 3 extents)", 3,
		 HYPERVISOR_memory_op(XENMEM_increase_reservation | (2 << MEMOP_EXTENT_SHIFT),
				      &(struct xen_memory_reservation){ .extent_start = (uint64_t)list,
								       .nr_extents = 3,
								       .domid = DOMID_SELF }));
	CHECK_EQ("extent 0 untouched", SENTINEL, list[0]);
	CHECK_EQ("extent 1 untouched", SENTINEL + 1, list[1]);
	CHECK(list[2] != SENTINEL + 2, "extent 2 not written");
	CHECK_EQ("current_reservation", cur + 1, current_pages());
	/* Entries 0 and 1 are not frames of ours: were they looked at, this would stop at 0. */
	CHECK_RC("decrease(cmd | 2 << 6, 3 extents)", 3,
		 HYPERVISOR_memory_op(XENMEM_decrease_reservation | (2 << MEMOP_EXTENT_SHIFT),
				      &(struct xen_memory_reservation){ .extent_start = (uint64_t)list,
								       .nr_extents = 3,
								       .domid = DOMID_SELF }));
	CHECK_EQ("current_reservation back", cur, current_pages());
	/* A start at or past the end: nothing done, the start comes back. */
	CHECK_RC("increase(cmd | 5 << 6, 3 extents)", 5,
		 HYPERVISOR_memory_op(XENMEM_increase_reservation | (5 << MEMOP_EXTENT_SHIFT),
				      &(struct xen_memory_reservation){ .extent_start = (uint64_t)list,
								       .nr_extents = 3,
								       .domid = DOMID_SELF }));
	CHECK_EQ("current_reservation unchanged", cur, current_pages());
	/* Ops that cannot be continued refuse a start extent. */
	CHECK_RC("current_reservation with cmd | 1 << 6", -XEN_EINVAL,
		 HYPERVISOR_memory_op(XENMEM_current_reservation | (1 << MEMOP_EXTENT_SHIFT),
				      &(domid_t){ DOMID_SELF }));
	CHECK_RC("maximum_reservation with cmd | 1 << 6", -XEN_EINVAL,
		 HYPERVISOR_memory_op(XENMEM_maximum_reservation | (1 << MEMOP_EXTENT_SHIFT),
				      &(domid_t){ DOMID_SELF }));
}

/* After all of the above: as many pages as before, every PFN backed by a frame whose M2P names it. */
TEST(memory_res, domain_as_found)
{
	if (pages_at_start)
		CHECK_EQ("current_reservation as before these tests", pages_at_start, current_pages());
	for (uint64_t pfn = 0; pfn < start_info->nr_pages; pfn++)
		if (m2p_of(p2m[pfn]) != pfn) {
			test_fail("p2m[%#lx] = %#lx but M2P says %#lx", pfn, p2m[pfn], m2p_of(p2m[pfn]));
			break;
		}
}
