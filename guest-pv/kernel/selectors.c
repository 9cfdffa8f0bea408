/*
 * mode=selectors: a domain's data selectors stay its own while it is
 * switched out and other domains run (hv's domu= domains beside dom0).
 *
 * The domain loads DS, ES, FS and GS with selectors of its own, chosen by
 * `load=`:
 *   null  all four null (what 64-bit guests run on)
 *   gdt   entries 1-4 of a GDT of its own: 0x0b, 0x13, 0x1b, 0x23
 *   ldt   entries 1-4 of an LDT of its own: 0x0f, 0x17, 0x1f, 0x27. Once
 *         they are loaded the LDT moves to a second frame with the same
 *         descriptors, whose page the hypervisor has not mapped yet: the
 *         first reload after a switch takes that page fault itself.
 * Then it yields, over and over, for `ms` milliseconds (1000), reading
 * the four selectors back after each yield and counting the times its
 * vCPU was switched out (its runstate's runnable time grows at each). A
 * value other than the one it loaded (another domain's, or null) is
 * printed as WRONG. At the end, if it was switched out at least `rounds`
 * times (100):
 *   guest-pv: selectors: <load> ds .. es .. fs .. gs .. kept across N switches
 * and the domain powers off; dom0 first waits for the others to stop
 * (mode=watch's loop). The loop runs for a time, not a count: the credit
 * scheduler need not share switches out evenly, and a domain that ran
 * out of peers to yield to would wait for ever.
 *
 * drop=1 (load=gdt or ldt): the table is dropped once the selectors are
 * loaded (they stay usable), so the next reload after a switch fails:
 * the hypervisor nulls them and calls the failsafe callback with the old
 * values, which this mode registers and reports; with failsafe=0 it
 * registers none, and the hypervisor must crash this domain alone.
 */
#include <guest/arch.h>
#include <guest/control.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/mm.h>
#include <public/callback.h>
#include <public/sched.h>
#include <public/vcpu.h>

#define DESC_DATA_DPL3  0x00cff2000000ffffUL
#define MAX_REPORTS     5

extern char failsafe_callback_entry[];

struct sel4 {
	uint16_t ds, es, fs, gs;
};

static void read_sel(struct sel4 *s)
{
	__asm__ __volatile__("mov %%ds, %0" : "=r"(s->ds));
	__asm__ __volatile__("mov %%es, %0" : "=r"(s->es));
	__asm__ __volatile__("mov %%fs, %0" : "=r"(s->fs));
	__asm__ __volatile__("mov %%gs, %0" : "=r"(s->gs));
}

static void load_sel(const struct sel4 *s)
{
	__asm__ __volatile__("mov %0, %%ds" : : "r"((uint32_t)s->ds) : "memory");
	__asm__ __volatile__("mov %0, %%es" : : "r"((uint32_t)s->es) : "memory");
	__asm__ __volatile__("mov %0, %%fs" : : "r"((uint32_t)s->fs) : "memory");
	__asm__ __volatile__("mov %0, %%gs" : : "r"((uint32_t)s->gs) : "memory");
}

static bool same(const struct sel4 *a, const struct sel4 *b)
{
	return a->ds == b->ds && a->es == b->es && a->fs == b->fs && a->gs == b->gs;
}

static uint64_t number(const char *key, uint64_t dflt)
{
	char buf[24];
	uint64_t v = 0;

	if (!cmdline_get(key, buf, sizeof(buf)))
		return dflt;
	for (const char *p = buf; *p >= '0' && *p <= '9'; p++)
		v = v * 10 + (uint64_t)(*p - '0');
	return v;
}

/* A frame of descriptors: entry 0 null, 1-4 flat DPL-3 data; unmapped (for set_gdt) or read-only. */
static uint64_t desc_frame(bool read_only)
{
	uint64_t f = frame_alloc();
	volatile uint64_t *v;

	if (!f || frame_map_rw(f))
		panic("selectors: no frame for a descriptor table");
	v = frame_home(f);
	v[0] = 0;
	for (unsigned int i = 1; i <= 4; i++)
		v[i] = DESC_DATA_DPL3;
	if (frame_unmap(f) || (read_only && frame_map_ro(f)))
		panic("selectors: cannot remap the descriptor frame");
	return f;
}

static void set_ldt(uint64_t frame)
{
	long rc = mmuext(MMUEXT_SET_LDT, frame ? (uint64_t)frame_home(frame) : 0, frame ? 5 : 0);

	if (rc)
		panic("selectors: SET_LDT: %ld", rc);
}

/*
 * Install the tables `load` names and load its selectors: which. With
 * drop, the table goes once they are loaded.
 */
static struct sel4 prepare(const char *load, bool drop)
{
	struct sel4 s = { 0, 0, 0, 0 };

	if (!strcmp(load, "gdt")) {
		unsigned long frames[1] = { desc_frame(false) };
		long rc = HYPERVISOR_set_gdt(frames, 16);

		if (rc)
			panic("selectors: set_gdt: %ld", rc);
		s = (struct sel4){ 0x0b, 0x13, 0x1b, 0x23 };
		load_sel(&s);
		if (drop && (rc = HYPERVISOR_set_gdt(NULL, 0)))
			panic("selectors: dropping the GDT: %ld", rc);
	} else if (!strcmp(load, "ldt")) {
		s = (struct sel4){ 0x0f, 0x17, 0x1f, 0x27 };
		set_ldt(desc_frame(true));
		load_sel(&s);
		set_ldt(drop ? 0 : desc_frame(true));
	} else if (!strcmp(load, "null")) {
		load_sel(&s);
	} else {
		panic("selectors: load=%s: null, gdt or ldt", load);
	}
	return s;
}

static uint64_t runnable_ns(void)
{
	struct vcpu_runstate_info r;

	if (HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &r))
		panic("selectors: VCPUOP_get_runstate_info failed");
	return r.time[RUNSTATE_runnable];
}

/*
 * drop=1, before the table goes: any switch from then on may be the one
 * whose reload fails, so the failsafe callback must be there already.
 */
static void expect_failsafe(bool failsafe)
{
	struct callback_register cb = {
		.type = CALLBACKTYPE_failsafe, .flags = CALLBACKF_mask_events,
		.address = (uint64_t)failsafe_callback_entry,
	};

	if (failsafe && HYPERVISOR_callback_op(CALLBACKOP_register, &cb))
		panic("selectors: cannot register the failsafe callback");
	trap_record_reset();
	trap_expect(VEC_FAILSAFE);
}

/* drop=1: the failsafe callback (or the hypervisor crashing us) after the next switch. */
static void await_failsafe(const char *load, const struct sel4 *loaded, bool failsafe)
{
	uint64_t was = runnable_ns();
	struct sel4 now;

	printf("guest-pv: selectors: %s ds %#x es %#x fs %#x gs %#x, table dropped; failsafe "
	       "callback: %s\n", load, loaded->ds, loaded->es, loaded->fs, loaded->gs,
	       failsafe ? "yes" : "none");
	while (!last_trap.count && runnable_ns() == was)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	trap_expect_none();
	read_sel(&now);
	printf("guest-pv: selectors: switched back: %u failsafe callback(s), frame ds %#lx es %#lx "
	       "fs %#lx gs %#lx, now ds %#x es %#x fs %#x gs %#x: %s\n", last_trap.count,
	       failsafe_selectors[0], failsafe_selectors[1], failsafe_selectors[2],
	       failsafe_selectors[3], now.ds, now.es, now.fs, now.gs,
	       failsafe && last_trap.count == 1 && failsafe_selectors[0] == loaded->ds &&
	       failsafe_selectors[1] == loaded->es && failsafe_selectors[2] == loaded->fs &&
	       failsafe_selectors[3] == loaded->gs && !now.ds && !now.es && !now.fs && !now.gs
	       ? "as expected" : "WRONG");
}

void selectors_run(void)
{
	char load[8] = "null";
	uint64_t rounds = number("rounds", 100), switches = 0, wrong = 0, was;
	uint64_t ms = number("ms", 1000), deadline = now_ns() + ms * 1000000UL;
	bool drop = number("drop", 0), failsafe = number("failsafe", 1);
	struct sel4 mine, now;

	cmdline_get("load", load, sizeof(load));
	if (drop)
		expect_failsafe(failsafe);
	mine = prepare(load, drop);
	if (drop) {
		await_failsafe(load, &mine, failsafe);
		return;
	}
	printf("guest-pv: selectors: %s ds %#x es %#x fs %#x gs %#x loaded; yielding\n", load,
	       mine.ds, mine.es, mine.fs, mine.gs);
	was = runnable_ns();
	while (now_ns() < deadline) {
		uint64_t r;

		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
		read_sel(&now);
		r = runnable_ns();
		if (r != was) {
			switches++;
			was = r;
		}
		if (same(&now, &mine))
			continue;
		if (++wrong <= MAX_REPORTS)
			printf("guest-pv: selectors: WRONG after %lu switches: ds %#x es %#x fs %#x "
			       "gs %#x\n", switches, now.ds, now.es, now.fs, now.gs);
		load_sel(&mine);
	}
	if (wrong)
		printf("guest-pv: selectors: %s: WRONG %lu times in %lu switches\n", load, wrong,
		       switches);
	else if (switches < rounds)
		printf("guest-pv: selectors: %s: only %lu switches in %lu ms, not %lu\n", load,
		       switches, ms, rounds);
	else
		printf("guest-pv: selectors: %s ds %#x es %#x fs %#x gs %#x kept across %lu "
		       "switches\n", load, mine.ds, mine.es, mine.fs, mine.gs, switches);
	if (is_initial_domain())
		watch_run();
}
