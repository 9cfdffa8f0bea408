/*
 * Exceptions. Those taken in a guest (ring 3) go to the PV code; those hv
 * expects while touching guest memory resume at their fixup; any other is
 * a bug in hv: print everything needed to find it (registers, control
 * registers, the faulting address, a symbolised stack trace) and panic.
 */
#include <hv/cmdline.h>
#include <hv/apic.h>
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/lib.h>
#include <hv/panic.h>
#include <hv/sched.h>
#include <hv/symbols.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>

#define MAX_TRACE_FRAMES 32

static const char *const trap_names[32] = {
	"#DE divide error", "#DB debug", "NMI", "#BP breakpoint", "#OF overflow",
	"#BR bound range", "#UD invalid opcode", "#NM device not available",
	"#DF double fault", "coprocessor overrun", "#TS invalid TSS",
	"#NP segment not present", "#SS stack fault", "#GP general protection",
	"#PF page fault", "reserved", "#MF x87 error", "#AC alignment check",
	"#MC machine check", "#XM SIMD error", "#VE virtualisation",
	"#CP control protection",
};

static void print_symbol(const char *prefix, uintptr_t addr)
{
	uintptr_t off, size;
	const char *name = symbol_lookup(addr, &off, &size);

	if (name)
		printk(KLOG_ERR "%s[<%016lx>] %s+%#lx/%#lx\n", prefix, addr, name, off, size);
	else
		printk(KLOG_ERR "%s[<%016lx>]\n", prefix, addr);
}

void show_stack_trace(uintptr_t rbp, uintptr_t rip)
{
	uintptr_t lo, hi;

	pr_err("Stack trace (innermost first):\n");
	print_symbol("   ", rip);
	if (!stack_bounds(rbp, &lo, &hi)) {
		pr_err("   (frame pointer %016lx is not on a known hv stack)\n", rbp);
		return;
	}
	/* Follow saved frame pointers while they stay on this stack, upwards. */
	for (unsigned int i = 0; i < MAX_TRACE_FRAMES; i++) {
		const uintptr_t *frame = (const uintptr_t *)rbp;
		uintptr_t next;

		if (rbp < lo || rbp + 16 > hi || (rbp & 7))
			return;
		if (!frame[1])
			return;
		print_symbol("   ", frame[1]);
		next = frame[0];
		if (next <= rbp)
			return;
		rbp = next;
	}
}

void show_registers(const struct cpu_regs *r)
{
	print_symbol("RIP:    ", r->rip);
	pr_err("CS: %04lx  RFLAGS: %016lx  SS: %04lx  RSP: %016lx\n", r->cs, r->rflags,
	       r->ss, r->rsp);
	pr_err("rax: %016lx  rbx: %016lx  rcx: %016lx\n", r->rax, r->rbx, r->rcx);
	pr_err("rdx: %016lx  rsi: %016lx  rdi: %016lx\n", r->rdx, r->rsi, r->rdi);
	pr_err("rbp: %016lx  r8:  %016lx  r9:  %016lx\n", r->rbp, r->r8, r->r9);
	pr_err("r10: %016lx  r11: %016lx  r12: %016lx\n", r->r10, r->r11, r->r12);
	pr_err("r13: %016lx  r14: %016lx  r15: %016lx\n", r->r13, r->r14, r->r15);
	pr_err("cr0: %016lx  cr2: %016lx  cr3: %016lx  cr4: %016lx\n", read_cr0(),
	       read_cr2(), read_cr3(), read_cr4());
}

static void describe_page_fault(uint32_t ec, uintptr_t cr2)
{
	pr_err("Faulting address (cr2): %016lx: %s %s in %s mode%s%s\n", cr2,
	       ec & 1 ? "protection violation on" : "no page for",
	       ec & 16 ? "an instruction fetch" : ec & 2 ? "a write" : "a read",
	       ec & 4 ? "user" : "supervisor", ec & 8 ? ", reserved bit set" : "",
	       ec & 32 ? ", protection key" : "");
}

void do_trap(struct cpu_regs *regs)
{
	unsigned int vec = regs->entry_vector;

	if (vec == TRAP_INT80 && (regs->cs & 3) == 3) {
		pv_int80(regs);
		return;
	}
	if (vec >= 32) {
		do_irq(vec);
		if ((regs->cs & 3) == 3) {
			sched_maybe_preempt();
			pv_check_events(regs);
		}
		return;
	}
	if ((regs->cs & 3) == 3) {
		pv_trap(regs);
		return;
	}
	/*
	 * The iretq back to a guest faulted on a selector of the guest's
	 * (entry.S, iret_to_guest): the fault is the guest's, and hv goes on.
	 * Only the faults a selector can raise there, and only on the way to
	 * ring 3 from the guest frame at the top of the guest stack; anything
	 * else at that instruction is hv's own bug.
	 */
	if (regs->rip == (uintptr_t)iret_to_guest &&
	    (vec == TRAP_NP || vec == TRAP_SS || vec == TRAP_GP) && current &&
	    regs->rsp == (uintptr_t)&guest_regs()->rip && (guest_regs()->cs & 3) == 3)
		pv_exit_fault(regs);
	/*
	 * hv loading a selector of the current guest's (its vCPU switched in,
	 * set_segment_base) reached an LDT page not yet in hv's window: map
	 * it, as for the guest's own loads, and the load runs again. A page
	 * that cannot be mapped is the load's fixup's to handle.
	 */
	if (vec == TRAP_PF && current && !(regs->error_code & (PFEC_U | PFEC_RSVD))) {
		uint64_t cr2 = read_cr2(), at;

		if (cr2 >= LDT_WINDOW_VIRT && cr2 < LDT_WINDOW_VIRT + 16 * PAGE_SIZE &&
		    pv_map_ldt_page(regs, cr2, &at))
			return;
	}
	/*
	 * A fault hv expects (guest memory access, loading a guest's
	 * selector, which may also find its descriptor not present): resume
	 * at its fixup.
	 */
	if ((vec == TRAP_PF || vec == TRAP_GP || vec == TRAP_NP) && fixup_exception(&regs->rip))
		return;
	/*
	 * A guest's data breakpoint hit while hv copied guest memory: the
	 * guest asked to watch that address, not to stop hv. Note it in the
	 * guest's DR6 and carry on.
	 */
	if (vec == TRAP_DB && current) {
		uint64_t dr6;

		asm volatile("mov %%db6, %0" : "=r"(dr6));
		if (dr6 & 0xf) {
			current->dr[6] |= dr6 & 0xf;
			asm volatile("mov %0, %%db6" : : "r"(0xffff0ff0UL));
			return;
		}
	}
	console_force_output();
	pr_err("**** FATAL TRAP %u: %s, error code %#x, in hv (ring %lu) ****\n", vec,
	       trap_names[vec] ? trap_names[vec] : "reserved", regs->error_code,
	       regs->cs & 3);
	if (vec == TRAP_PF)
		describe_page_fault(regs->error_code, read_cr2());
	show_registers(regs);
	show_stack_trace(regs->rbp, regs->rip);
	panic("fatal trap %u (%s) at %016lx", vec, trap_names[vec], regs->rip);
}

/*
 * test_fault=<kind>: take an exception on purpose at the end of boot, so
 * the integration tests can check the crash dump. Kinds: pf (write to an
 * unmapped address), gp (non-canonical access), ud (ud2), de (divide by 0),
 * smep (call into a user-accessible page, as if into guest memory).
 */
static char opt_test_fault[8];
HV_PARAM_STRING("test_fault", opt_test_fault);

static void __attribute__((noinline)) fault_now(const char *kind)
{
	volatile uint64_t *p;

	if (!strcmp(kind, "pf")) {
		p = (volatile uint64_t *)0xdead000;
		*p = 1;
	} else if (!strcmp(kind, "gp")) {
		p = (volatile uint64_t *)0x8000000000000000UL;
		(void)*p;
	} else if (!strcmp(kind, "ud")) {
		asm volatile("ud2");
	} else if (!strcmp(kind, "smep")) {
		uint8_t *page = alloc_page();

		page[0] = 0xc3;				/* ret: harmless if it ever ran */
		map_user_page_for_test(0x400000, virt_to_maddr(page));
		((void (*)(void))0x400000)();
	} else if (!strcmp(kind, "de")) {
		volatile unsigned int zero = 0;

		(void)(1 / zero);
	} else {
		pr_warn("test_fault: unknown kind '%s' (pf, gp, ud, de, smep)\n", kind);
	}
}

void traps_run_fault_test(void)
{
	if (opt_test_fault[0]) {
		pr_info("test_fault: taking a deliberate '%s' fault\n", opt_test_fault);
		fault_now(opt_test_fault);
	}
}
