/*
 * Micro-benchmarks (mode=bench). Each prints one parseable line:
 *   bench <name> median=<cycles> min=<cycles> max=<cycles> batches=<n> iters=<n>
 * Cycles are rdtsc ticks per operation, median over the batches. A
 * benchmark that cannot run (its hypercalls fail) prints instead
 *   bench <name> failed: <why>
 */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/events.h>
#include <guest/lib.h>
#include <guest/mm.h>
#include <guest/user.h>
#include <public/event_channel.h>
#include <public/grant_table.h>
#include <public/version.h>

#include "../tests/frames.h"

#define BATCHES 11
#define ITERS   2000

static void report_iters(const char *name, uint64_t *per_op, unsigned int iters)
{
	sort_u64(per_op, BATCHES);
	printf("bench %s median=%lu min=%lu max=%lu batches=%u iters=%u\n", name,
	       per_op[BATCHES / 2], per_op[0], per_op[BATCHES - 1], BATCHES, iters);
}

static void report(const char *name, uint64_t *per_op)
{
	report_iters(name, per_op, ITERS);
}

static void report_failed(const char *name, const char *why, long rc)
{
	printf("bench %s failed: %s (%ld)\n", name, why, rc);
}

/*
 * A figure is only worth printing if the operation did its job: a
 * hypercall that fails fast would look like a fast hypercall.
 */
static bool null_hypercall_works(const char *name, long version)
{
	if (version >= 0x00030000)	/* major.minor, Xen 3.0 or later */
		return true;
	report_failed(name, "xen_version(XENVER_version)", version);
	return false;
}

/* xen_version(XENVER_version) round trip through the hypercall page. */
static void bench_null_hypercall(void)
{
	uint64_t per_op[BATCHES];

	if (!null_hypercall_works("null_hypercall_cycles",
				  HYPERVISOR_xen_version(XENVER_version, NULL)))
		return;
	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < ITERS; i++)
			HYPERVISOR_xen_version(XENVER_version, NULL);
		per_op[b] = (rdtsc() - t0) / ITERS;
	}
	report("null_hypercall_cycles", per_op);
}

/* The same through an inline `syscall`, as Linux 6.1 issues it. */
static void bench_null_hypercall_direct(void)
{
	uint64_t per_op[BATCHES];

	if (!null_hypercall_works("null_hypercall_direct_cycles",
				  hypercall_direct(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0)))
		return;
	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < ITERS; i++)
			hypercall_direct(__HYPERVISOR_xen_version, XENVER_version, 0, 0, 0, 0);
		per_op[b] = (rdtsc() - t0) / ITERS;
	}
	report("null_hypercall_direct_cycles", per_op);
}

/* An exception bounced to the guest and returned with the iret hypercall. */
static void bench_int3_roundtrip(void)
{
	uint64_t per_op[BATCHES];

	trap_record_reset();
	trap_expect(3);
	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < ITERS / 10; i++)
			__asm__ __volatile__("int3" ::: "memory");
		per_op[b] = (rdtsc() - t0) / (ITERS / 10);
	}
	trap_expect_none();
	/* Every int3 must have reached our handler: hv may not swallow one. */
	if (last_trap.count != BATCHES * (ITERS / 10) || last_trap.vector != 3) {
		report_failed("int3_bounce_iret_cycles", "int3s delivered", last_trap.count);
		return;
	}
	report("int3_bounce_iret_cycles", per_op);
}

/*
 * Event-channel round trip inside one domain: two ports bound to each
 * other (alloc_unbound + bind_interdomain to ourselves); send on one, see
 * the other pending, answer, see the first pending.
 */
static void bench_evtchn_loopback(void)
{
	struct evtchn_alloc_unbound au = { .dom = DOMID_SELF, .remote_dom = DOMID_SELF };
	struct evtchn_bind_interdomain bi = { .remote_dom = DOMID_SELF };
	uint64_t per_op[BATCHES];

	long rc = shared_info ? HYPERVISOR_event_channel_op(EVTCHNOP_alloc_unbound, &au) : -1;

	if (rc) {
		report_failed("evtchn_loopback_roundtrip_cycles", "alloc_unbound", rc);
		return;
	}
	bi.remote_port = au.port;
	rc = HYPERVISOR_event_channel_op(EVTCHNOP_bind_interdomain, &bi);
	if (rc) {
		report_failed("evtchn_loopback_roundtrip_cycles", "bind_interdomain", rc);
		return;
	}
	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < ITERS / 10; i++) {
			struct evtchn_send s = { .port = bi.local_port };

			HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
			while (!evtchn_test_pending(au.port))
				;
			evtchn_clear_pending(au.port);
			s.port = au.port;
			HYPERVISOR_event_channel_op(EVTCHNOP_send, &s);
			while (!evtchn_test_pending(bi.local_port))
				;
			evtchn_clear_pending(bi.local_port);
		}
		per_op[b] = (rdtsc() - t0) / (ITERS / 10);
	}
	report("evtchn_loopback_roundtrip_cycles", per_op);
}

/*
 * mmu_update batches as Linux issues them: 512 L1 entries per call, of a
 * pinned L1 (not hung anywhere), alternately all mapping one frame
 * read-only and all cleared, so every entry takes and drops a reference.
 */
#define MMU_BATCH   512
#define MMU_CALLS   20

static void bench_mmu_update_batch(void)
{
	static const char name[] = "mmu_update_batch512_per_entry_cycles";
	static struct mmu_update u[MMU_BATCH];
	uint64_t l1 = frame_alloc(), data = frame_alloc(), per_op[BATCHES];
	long rc;

	if (!l1 || !data) {
		report_failed(name, "no frames", 0);
		goto out;
	}
	if ((rc = pin_table(1, l1))) {
		report_failed(name, "pin L1", rc);
		goto out;
	}
	for (unsigned int i = 0; i < MMU_BATCH; i++)
		u[i].ptr = (l1 << PAGE_SHIFT) + i * 8;
	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int c = 0; c < MMU_CALLS; c++) {
			uint64_t val = (c & 1) ? 0 : pte_make(data, PTE_RO_FLAGS);
			unsigned int done = 0;

			for (unsigned int i = 0; i < MMU_BATCH; i++)
				u[i].val = val;
			rc = HYPERVISOR_mmu_update(u, MMU_BATCH, &done, DOMID_SELF);
			if (rc || done != MMU_BATCH) {
				report_failed(name, "mmu_update", rc);
				goto unpin;
			}
		}
		per_op[b] = (rdtsc() - t0) / (MMU_CALLS * MMU_BATCH);
	}
	report_iters(name, per_op, MMU_CALLS * MMU_BATCH);
unpin:
	for (unsigned int i = 0; i < MMU_BATCH; i++)
		u[i].val = 0;
	HYPERVISOR_mmu_update(u, MMU_BATCH, NULL, DOMID_SELF);
	unpin_table(l1);
out:
	if (l1)
		frame_free(l1);
	if (data)
		frame_free(data);
}

/* update_va_mapping of one address, alternating between two frames, with INVLPG. */
static void bench_update_va_mapping(void)
{
	static const char name[] = "update_va_mapping_cycles";
	uint64_t a = frame_alloc(), b = frame_alloc(), per_op[BATCHES];
	void *va = a ? frame_home(a) : NULL;
	long rc = 0;

	if (!a || !b) {
		report_failed(name, "no frames", 0);
		goto out;
	}
	for (unsigned int n = 0; n < BATCHES; n++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < ITERS / 2; i++) {
			rc |= map_va(va, b, PTE_RW_FLAGS);
			rc |= map_va(va, a, PTE_RW_FLAGS);
		}
		per_op[n] = (rdtsc() - t0) / ITERS;
		if (rc) {
			report_failed(name, "update_va_mapping", rc);
			goto out;
		}
	}
	report(name, per_op);
out:
	if (a) {
		map_va(va, 0, 0);
		frame_free(a);
	}
	if (b)
		frame_free(b);
}

/*
 * A guest-user system call bounced to the guest kernel's callback and
 * returned to user mode with iret, timed in user mode (rdtsc there).
 */
#define USER_CALLS 200

static void bench_user_syscall(void)
{
	static const char name[] = "user_syscall_bounce_iret_cycles";
	struct user_space us;
	struct user_run r;
	uint64_t per_op[BATCHES];
	long rc = user_space_create(&us);

	if (rc) {
		report_failed(name, "user address space", rc);
		goto out;
	}
	for (unsigned int b = 0; b < BATCHES; b++) {
		user_run(user_prog_loop, USER_CALLS, 0x2, &r);
		if (r.how != USER_EXITED || r.syscalls != USER_CALLS) {
			report_failed(name, "user run", (long)r.vector);
			goto out;
		}
		per_op[b] = r.value / USER_CALLS;
	}
	report_iters(name, per_op, USER_CALLS);
out:
	user_space_destroy(&us);
}

/*
 * Grants as a backend uses them, dom0 granting its own page to itself
 * (its id, 0: on Xen without a toolstack it is the only domain):
 * map_grant_ref at a host VA then unmap_grant_ref, one pair per
 * iteration; and grant copies of a whole page from a grant reference
 * into one of our frames, one per call and 16 per call (a netback-sized
 * batch), per copy.
 */
#define GRANT_REF    20
#define GRANT_ITERS  200
#define COPY_BATCH   16

static uint8_t grant_src[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t grant_host[PAGE_SIZE] __aligned(PAGE_SIZE);
static uint8_t grant_dst[PAGE_SIZE] __aligned(PAGE_SIZE);

static struct grant_entry_v1 *bench_grant_table(const char *name)
{
	struct grant_entry_v1 *gt;

	if (!is_initial_domain()) {
		report_failed(name, "grants to itself need dom0's id", 0);
		return NULL;
	}
	gt = grant_entries();
	if (!gt)
		report_failed(name, "no grant table", 0);
	return gt;
}

static void bench_grant_map_unmap(void)
{
	static const char name[] = "grant_map_unmap_cycles";
	struct grant_entry_v1 *gt = bench_grant_table(name);
	uint64_t per_op[BATCHES];
	long rc;

	if (!gt)
		return;
	grant_page(GRANT_REF, grant_src, 0, GTF_permit_access);
	rc = map_va(grant_host, 0, 0);		/* grant mappings go into empty PTEs */
	if (rc) {
		report_failed(name, "empty the host PTE", rc);
		goto out;
	}
	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < GRANT_ITERS; i++) {
			struct gnttab_map_grant_ref m = {
				.host_addr = (uint64_t)grant_host, .flags = GNTMAP_host_map,
				.ref = GRANT_REF, .dom = 0,
			};
			struct gnttab_unmap_grant_ref u = { .host_addr = (uint64_t)grant_host };

			rc = HYPERVISOR_grant_table_op(GNTTABOP_map_grant_ref, &m, 1);
			if (rc || m.status != GNTST_okay) {
				report_failed(name, "map_grant_ref", rc ? rc : m.status);
				goto out;
			}
			u.handle = m.handle;
			rc = HYPERVISOR_grant_table_op(GNTTABOP_unmap_grant_ref, &u, 1);
			if (rc || u.status != GNTST_okay) {
				report_failed(name, "unmap_grant_ref", rc ? rc : u.status);
				goto out;
			}
		}
		per_op[b] = (rdtsc() - t0) / GRANT_ITERS;
	}
	report_iters(name, per_op, GRANT_ITERS);
out:
	restore_va(grant_host);
	gt[GRANT_REF].flags = 0;
}

static void bench_grant_copy_batch(const char *name, unsigned int batch)
{
	static struct gnttab_copy ops[COPY_BATCH];
	struct grant_entry_v1 *gt = bench_grant_table(name);
	uint64_t per_op[BATCHES], dst = va_to_mfn(grant_dst);
	long rc;

	if (!gt)
		return;
	grant_page(GRANT_REF, grant_src, 0, GTF_permit_access | GTF_readonly);
	for (unsigned int b = 0; b < BATCHES; b++) {
		uint64_t t0 = rdtsc();

		for (unsigned int i = 0; i < GRANT_ITERS / batch; i++) {
			for (unsigned int k = 0; k < batch; k++)
				ops[k] = (struct gnttab_copy){
					.source = { .u.ref = GRANT_REF, .domid = 0 },
					.dest = { .u.gmfn = dst, .domid = DOMID_SELF },
					.len = PAGE_SIZE, .flags = GNTCOPY_source_gref,
				};
			rc = HYPERVISOR_grant_table_op(GNTTABOP_copy, ops, batch);
			for (unsigned int k = 0; !rc && k < batch; k++)
				if (ops[k].status != GNTST_okay)
					rc = ops[k].status;
			if (rc) {
				report_failed(name, "copy", rc);
				goto out;
			}
		}
		per_op[b] = (rdtsc() - t0) / (GRANT_ITERS / batch * batch);
	}
	report_iters(name, per_op, GRANT_ITERS / batch * batch);
out:
	gt[GRANT_REF].flags = 0;
}

void bench_run(void)
{
	printf("guest-pv: benchmarks (rdtsc cycles per operation)\n");
	bench_null_hypercall();
	bench_null_hypercall_direct();
	bench_int3_roundtrip();
	bench_evtchn_loopback();
	/* The PV MMU and user mode last: a hypervisor without them may not survive. */
	bench_mmu_update_batch();
	bench_update_va_mapping();
	bench_user_syscall();
	bench_grant_map_unmap();
	bench_grant_copy_batch("grant_copy_4k_cycles", 1);
	bench_grant_copy_batch("grant_copy_4k_batch16_per_copy_cycles", COPY_BATCH);
}
