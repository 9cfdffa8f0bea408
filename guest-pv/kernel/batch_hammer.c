/*
 * mode=batch_hammer (a domU): the longest hypercalls a guest can ask for
 * at almost no cost of its own, one after the other, forever: an
 * mmu_update, an mmuext_op and a set_trap_table whose arrays span
 * `chunks` × 2 MiB (default 16: about 2 million page-table writes in one
 * call) but are each one frame seen through an aliased region. A
 * hypervisor that runs such a call to its end with interrupts off
 * freezes every other domain meanwhile (dom0's mode=sleep says how late
 * it woke); one that continues it in slices (Xen, hv) keeps them on time.
 * Each finished call is checked: rc 0 and `done` counting every request,
 * else a line with WRONG.
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/mm.h>

#define SLOT_MMU        301
#define SLOT_MMUEXT     302
#define SLOT_TRAPS      303

static unsigned int cmdline_uint(const char *key, unsigned int dflt)
{
	char buf[12];
	unsigned int v = 0;

	if (!cmdline_get(key, buf, sizeof(buf)))
		return dflt;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (unsigned int)(*p - '0');
	return v;
}

/* A pool frame mapped read-write at home. */
static volatile uint64_t *data_frame(uint64_t *mfn)
{
	*mfn = frame_alloc();
	if (!*mfn || frame_map_rw(*mfn))
		panic("batch_hammer: frame pool empty");
	return frame_home(*mfn);
}

static void report(const char *what, unsigned int count, long rc, unsigned int done, uint64_t t0)
{
	printf("guest-pv: batch_hammer: %s of %u: rc %ld, done %u, %lu ms%s\n", what, count, rc,
	       done, (now_ns() - t0) / 1000000, rc || done != count ? " WRONG" : "");
}

void batch_hammer_run(void)
{
	unsigned int chunks = cmdline_uint("chunks", 16), n_mmu, n_ext;
	struct alias_region mmu, ext, traps;
	uint64_t l1 = frame_alloc(), dm, de, dt, tail;
	volatile uint64_t *vm = data_frame(&dm), *ve = data_frame(&de), *vt = data_frame(&dt);
	struct trap_info e = guest_trap_table[3];

	(void)data_frame(&tail);		/* zero: the trap list's end */
	if (!l1 || pin_table(1, l1))
		panic("batch_hammer: no L1 to write into");
	if (chunks < 1 || chunks > 511)
		chunks = 16;
	/* mmu_update: clear entries 0-255 of our empty L1, page after page. */
	for (unsigned int i = 0; i < 256; i++) {
		vm[2 * i] = (l1 << PAGE_SHIFT) + i * 8 + MMU_NORMAL_PT_UPDATE;
		vm[2 * i + 1] = 0;
	}
	/* mmuext_op: all 7s read as MMUEXT_INVLPG_LOCAL(7) at any offset. */
	for (unsigned int i = 0; i < 512; i++)
		ve[i] = MMUEXT_INVLPG_LOCAL;
	/* set_trap_table: int3's own entry, again and again, then the zero tail. */
	for (unsigned int i = 0; i < 256; i++)
		memcpy((void *)(vt + 2 * i), &e, sizeof(e));
	if (alias_region_map(&mmu, SLOT_MMU, dm, chunks, 0) ||
	    alias_region_map(&ext, SLOT_MMUEXT, de, chunks, 0) ||
	    alias_region_map(&traps, SLOT_TRAPS, dt, chunks, tail))
		panic("batch_hammer: cannot map the aliased regions");
	n_mmu = (unsigned int)(((uint64_t)chunks << 21) / sizeof(struct mmu_update));
	n_ext = (unsigned int)(((uint64_t)chunks << 21) / sizeof(struct mmuext_op));
	printf("guest-pv: batch_hammer: %u mmu_update requests, %u mmuext ops and a trap table of "
	       "%u entries per call, each backed by one frame\n", n_mmu, n_ext, n_mmu);
	for (;;) {
		unsigned int done = 0;
		uint64_t t0 = now_ns();
		long rc;

		rc = HYPERVISOR_mmu_update((const struct mmu_update *)mmu.va, n_mmu, &done, DOMID_SELF);
		report("mmu_update", n_mmu, rc, done, t0);
		done = 0;
		t0 = now_ns();
		rc = HYPERVISOR_mmuext_op((struct mmuext_op *)ext.va, n_ext, &done, DOMID_SELF);
		report("mmuext_op", n_ext, rc, done, t0);
		t0 = now_ns();
		rc = HYPERVISOR_set_trap_table((const struct trap_info *)traps.va);
		report("set_trap_table", n_mmu, rc, n_mmu, t0);
	}
}
