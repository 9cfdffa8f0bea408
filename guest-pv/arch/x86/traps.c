/*
 * The virtual trap table and the C side of exception entry.
 *
 * Every exception a test does not expect is fatal: we print the vector,
 * rip, error code and cr2 and shut down with SHUTDOWN_crash, so a broken
 * hypervisor path is visible instead of a silent hang. Tests that provoke
 * an exception on purpose either list the faulting instruction in the
 * .ex_table (probe helpers) or announce the vector with trap_expect().
 */
#include <guest/arch.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/lib.h>
#include <guest/user.h>
#include <public/sched.h>

extern const uint64_t trap_entries[32];
extern const struct ex_entry __start_ex_table[], __stop_ex_table[];

volatile struct trap_record last_trap;
static volatile uint64_t expected_vectors;
static volatile bool failsafe_expected;

/* Vectors 0..31, then the terminating entry (address 0). */
struct trap_info guest_trap_table[33];

static const char *const vector_names[32] = {
	"#DE", "#DB", "NMI", "#BP", "#OF", "#BR", "#UD", "#NM",
	"#DF", "CSO", "#TS", "#NP", "#SS", "#GP", "#PF", "RSV",
	"#MF", "#AC", "#MC", "#XM", "#VE", "#CP",
};

void trap_record_reset(void)
{
	last_trap.count = 0;
	last_trap.vector = ~0U;
	last_trap.error_code = 0;
	last_trap.rip = 0;
	last_trap.cr2 = 0;
}

void trap_expect(unsigned int vector)
{
	if (vector == VEC_FAILSAFE)
		failsafe_expected = true;
	else
		expected_vectors |= 1ULL << vector;
}

void trap_expect_none(void)
{
	expected_vectors = 0;
	failsafe_expected = false;
}

void traps_init(void)
{
	long rc;

	for (unsigned int v = 0; v < 32; v++) {
		struct trap_info *t = &guest_trap_table[v];

		t->vector = (uint8_t)v;
		/* int3 and into are allowed from any ring, like on hardware. */
		t->flags = (v == 3 || v == 4) ? 3 : 0;
		t->cs = FLAT_KERNEL_CS;
		t->address = trap_entries[v];
	}
	guest_trap_table[32].address = 0;
	rc = HYPERVISOR_set_trap_table(guest_trap_table);
	if (rc)
		panic("set_trap_table failed: %ld", rc);
	trap_record_reset();
}

static uint64_t fixup_for(uint64_t rip)
{
	for (const struct ex_entry *e = __start_ex_table; e < __stop_ex_table; e++)
		if (e->fault_rip == rip)
			return e->fixup_rip;
	return 0;
}

static const char *vector_name(uint64_t v)
{
	if (v < 32 && vector_names[v])
		return vector_names[v];
	if (v == VEC_EVENT)
		return "event upcall";
	if (v == VEC_FAILSAFE)
		return "failsafe callback";
	if (v == VEC_SYSCALL)
		return "user syscall";
	return "?";
}

void trap_handler(struct trap_frame *f)
{
	uint64_t fixup, cr2 = 0;

	/* System calls and exceptions of a user program (guest/user.h). */
	if (user_trap(f))
		return;
	fixup = fixup_for(f->rip);
	if (f->vector == VEC_EVENT && vcpu0 && shared_info) {
		events_upcall();
		return;
	}
	if (f->vector == 14 && vcpu0)
		cr2 = vcpu0->arch.cr2;
	last_trap.count++;
	last_trap.vector = (unsigned int)f->vector;
	last_trap.error_code = f->error_code;
	last_trap.rip = f->rip;
	last_trap.cs = f->cs;
	last_trap.rflags = f->rflags;
	last_trap.cr2 = cr2;

	if (f->vector == VEC_FAILSAFE && failsafe_expected)
		return;
	if (f->vector < 64 && (expected_vectors & (1ULL << f->vector))) {
		if (fixup)
			f->rip = fixup;
		return;
	}
	if (fixup && f->vector < 32) {
		f->rip = fixup;
		return;
	}

	printf("guest-pv: unexpected exception vec=%lu (%s) rip=%lx err=%lx cr2=%lx%s\n",
	       f->vector, vector_name(f->vector), f->rip, f->error_code, cr2,
	       vcpu0 ? "" : " (cr2 unknown: no shared_info)");
	printf("  cs=%lx rflags=%lx rsp=%lx ss=%lx\n", f->cs, f->rflags, f->rsp, f->ss);
	printf("  rax=%lx rbx=%lx rcx=%lx rdx=%lx\n", f->rax, f->rbx, f->rcx, f->rdx);
	printf("  rsi=%lx rdi=%lx rbp=%lx r8=%lx\n", f->rsi, f->rdi, f->rbp, f->r8);
	printf("  r9=%lx r10=%lx r11=%lx r12=%lx\n", f->r9, f->r10, f->r11, f->r12);
	printf("  r13=%lx r14=%lx r15=%lx\n", f->r13, f->r14, f->r15);
	shutdown(SHUTDOWN_crash);
}
