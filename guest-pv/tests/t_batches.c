/*
 * Long batches (pv-abi.md §1.1, continuations): mmu_update, mmuext_op
 * and a multicall of 65536 requests or more each, and a trap table
 * of as many entries, each array backed by a single frame that an
 * aliased region shows at every page (so a guest can ask this of any
 * hypervisor for the cost of five frames). A hypervisor may stop such a
 * call part way and continue it later (hv does whenever the vCPU's slice
 * is up; Xen when it has other work); either way the guest sees one call
 * that did everything, the requests at the very end included, with
 * `done` counting each one. The continuation protocol itself is
 * guest-visible: a count flagged MMU_UPDATE_PREEMPTED adds to what
 * *pdone already holds.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/version.h>

/* An L4 slot guest-pv leaves empty (t_mmu.c uses 300). */
#define ALIAS_SLOT      301
/*
 * One 2 MiB chunk: 131072 mmu_update requests in 512 pages of one frame,
 * enough for hv to continue such a call a dozen times or more, and not so
 * many that a domU on Xen under TCG (control_xen_peer) runs out of time.
 */
#define CHUNKS          1
#define REGION_BYTES    ((uint64_t)CHUNKS << 21)

/* A pool frame mapped read-write at home, filled by the caller. */
static volatile uint64_t *data_frame(uint64_t *mfn)
{
	*mfn = frame_alloc();
	if (!*mfn || frame_map_rw(*mfn))
		return NULL;
	return frame_home(*mfn);
}

/* One mmu_update request writing val into entry idx of table l1. */
static void put_req(volatile uint64_t *slot, uint64_t l1, unsigned int idx, uint64_t val)
{
	slot[0] = (l1 << PAGE_SHIFT) + idx * 8 + MMU_NORMAL_PT_UPDATE;
	slot[1] = val;
}

/*
 * Every page clears entries 0-255 of a pinned L1 (already clear: no
 * effect), and the tail page's first request maps `mark` at entry 511:
 * seeing it there proves the last request of the array ran.
 */
TEST(mmu, long_batch)
{
	uint64_t l1 = frame_alloc(), mark = frame_alloc(), d, t;
	volatile uint64_t *dv = data_frame(&d), *tv = data_frame(&t);
	unsigned int count = (unsigned int)(REGION_BYTES / sizeof(struct mmu_update)) + 1, done = 7;
	struct alias_region r;

	if (!l1 || !mark || !dv || !tv)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	for (unsigned int i = 0; i < PAGE_SIZE / sizeof(struct mmu_update); i++)
		put_req(dv + 2 * i, l1, i, 0);
	put_req(tv, l1, 511, pte_make(mark, PTE_RO_FLAGS));
	CHECK_RC("map the aliased region", 0, alias_region_map(&r, ALIAS_SLOT, d, CHUNKS, t));
	CHECK_RC("one call, all requests", 0,
		 HYPERVISOR_mmu_update((const struct mmu_update *)r.va, count, &done, DOMID_SELF));
	CHECK_EQ("done", count, done);
	CHECK_EQ("the last request ran: entry 511 maps", mark, pte_mfn(frame_peek(l1, 511)));
	CHECK(alias_region_unmap(&r), "a table frame of the region stayed typed");
	CHECK_RC("clear entry 511", 0, mmu_write((l1 << PAGE_SHIFT) + 511 * 8, 0));
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(l1) && frame_free(mark) && frame_free(d) && frame_free(t),
	      "a frame stayed typed");
}

/* The continuation's own form: MMU_UPDATE_PREEMPTED in count adds to *pdone. */
TEST(mmu, preempted_count_adds_to_done)
{
	uint64_t l1 = frame_alloc();
	struct mmu_update u[3];
	unsigned int done = 1000;

	if (!l1)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	for (unsigned int i = 0; i < 3; i++) {
		u[i].ptr = (l1 << PAGE_SHIFT) + i * 8 + MMU_NORMAL_PT_UPDATE;
		u[i].val = 0;
	}
	CHECK_RC("3 requests flagged as a continuation", 0,
		 HYPERVISOR_mmu_update(u, 3 | MMU_UPDATE_PREEMPTED, &done, DOMID_SELF));
	CHECK_EQ("done: 1000 before, 3 now", 1003, done);
	/* A failing request in a continued call: done still adds on. */
	u[1].ptr = (cr3_mfn() << PAGE_SHIFT) + 256 * 8 + MMU_NORMAL_PT_UPDATE;
	done = 50;
	CHECK_RC("a continued call failing at its second request", -XEN_EINVAL,
		 HYPERVISOR_mmu_update(u, 3 | MMU_UPDATE_PREEMPTED, &done, DOMID_SELF));
	CHECK_EQ("done: 50 before, 1 now", 51, done);
	CHECK_RC("no done pointer", 0, HYPERVISOR_mmu_update(u, 1 | MMU_UPDATE_PREEMPTED, NULL, DOMID_SELF));
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(l1), "the L1 stayed typed");
}

/*
 * mmuext_op requests are 24 bytes, so they straddle pages at every
 * phase: a frame of nothing but 7s reads as MMUEXT_INVLPG_LOCAL(7)
 * (cmd 7, arg1 7, arg2 7) wherever a request starts.
 */
TEST(mmuext, long_batch)
{
	uint64_t d;
	volatile uint64_t *dv = data_frame(&d);
	unsigned int count = (unsigned int)(REGION_BYTES / sizeof(struct mmuext_op)), done = 7;
	struct alias_region r;

	if (!dv)
		SKIP("frame pool empty");
	for (unsigned int i = 0; i < PAGE_SIZE / 8; i++)
		dv[i] = MMUEXT_INVLPG_LOCAL;
	CHECK_RC("map the aliased region", 0, alias_region_map(&r, ALIAS_SLOT, d, CHUNKS, 0));
	CHECK_RC("one call, all requests", 0,
		 HYPERVISOR_mmuext_op((struct mmuext_op *)r.va, count, &done, DOMID_SELF));
	CHECK_EQ("done", count, done);
	CHECK(alias_region_unmap(&r), "a table frame of the region stayed typed");
	CHECK(frame_free(d), "the data frame stayed typed");
}

TEST(mmuext, preempted_count_adds_to_done)
{
	struct mmuext_op ops[2] = { { .cmd = MMUEXT_TLB_FLUSH_LOCAL }, { .cmd = MMUEXT_TLB_FLUSH_LOCAL } };
	unsigned int done = 500;

	CHECK_RC("2 ops flagged as a continuation", 0,
		 HYPERVISOR_mmuext_op(ops, 2 | MMU_UPDATE_PREEMPTED, &done, DOMID_SELF));
	CHECK_EQ("done: 500 before, 2 now", 502, done);
}

/*
 * A long mmu_update inside a multicall: the entry's result is 0, its
 * done counts everything, and the batch goes on to the next entry.
 */
TEST(multicall, long_entry)
{
	uint64_t l1 = frame_alloc(), d;
	volatile uint64_t *dv = data_frame(&d);
	unsigned int count = (unsigned int)(REGION_BYTES / sizeof(struct mmu_update)) / 2, done = 7;
	struct multicall_entry mc[2];
	struct alias_region r;

	if (!l1 || !dv)
		SKIP("frame pool empty");
	CHECK_RC("pin L1", 0, pin_table(1, l1));
	for (unsigned int i = 0; i < PAGE_SIZE / sizeof(struct mmu_update); i++)
		put_req(dv + 2 * i, l1, i, 0);
	CHECK_RC("map the aliased region", 0, alias_region_map(&r, ALIAS_SLOT, d, CHUNKS, 0));
	memset(mc, 0, sizeof(mc));
	mc[0].op = __HYPERVISOR_mmu_update;
	mc[0].args[0] = r.va;
	mc[0].args[1] = count;
	mc[0].args[2] = (uint64_t)&done;
	mc[0].args[3] = DOMID_SELF;
	mc[0].result = 99;
	mc[1].op = __HYPERVISOR_xen_version;
	mc[1].args[0] = XENVER_version;
	mc[1].result = 99;
	CHECK_RC("multicall", 0, HYPERVISOR_multicall(mc, 2));
	CHECK_RC("the mmu_update entry", 0, mc[0].result);
	CHECK_EQ("its done", count, done);
	CHECK_EQ("the next entry ran", HYPERVISOR_xen_version(XENVER_version, NULL), mc[1].result);
	CHECK(alias_region_unmap(&r), "a table frame of the region stayed typed");
	CHECK_RC("unpin", 0, unpin_table(l1));
	CHECK(frame_free(l1) && frame_free(d), "a frame stayed typed");
}

/*
 * A trap table list as long as the region: every entry points int3 at
 * the #BR stub; the tail page's first entry points it back at the #BP
 * stub and its second ends the list. int3 reaching the #BP stub proves
 * the list was read to its end.
 */
TEST(trap_table, long_list)
{
	uint64_t d, t;
	volatile uint64_t *dv = data_frame(&d), *tv = data_frame(&t);
	struct trap_info e = guest_trap_table[3];
	struct alias_region r;

	if (!dv || !tv)
		SKIP("frame pool empty");
	e.address = guest_trap_table[5].address;
	for (unsigned int i = 0; i < PAGE_SIZE / sizeof(e); i++)
		memcpy((void *)(dv + 2 * i), &e, sizeof(e));
	memcpy((void *)tv, &guest_trap_table[3], sizeof(e));
	CHECK_RC("map the aliased region", 0, alias_region_map(&r, ALIAS_SLOT, d, CHUNKS, t));
	CHECK_RC("one call, the whole list", 0, HYPERVISOR_set_trap_table((const struct trap_info *)r.va));
	trap_record_reset();
	trap_expect(3);
	trap_expect(5);
	__asm__ __volatile__("int3" ::: "memory");
	CHECK_EQ("int3 went to the handler of the list's last entry", 3, last_trap.vector);
	trap_expect_none();
	CHECK_RC("our own table again", 0, HYPERVISOR_set_trap_table(guest_trap_table));
	CHECK(alias_region_unmap(&r), "a table frame of the region stayed typed");
	CHECK(frame_free(d) && frame_free(t), "a frame stayed typed");
}
