/*
 * Guest entries into hv other than hypercalls' own work: exceptions taken
 * in the guest, `syscall` from either guest mode, and the iret hypercall.
 *
 * An exception is first offered to emulation (the privileged instructions
 * a PV kernel still executes, CPUID behind the forced-emulation prefix),
 * then bounced to the handler the guest registered with set_trap_table,
 * through a frame on the guest kernel stack (pv-abi.md §6.3). A guest with
 * no handler, an unwritable stack or a fault loop is crashed; hv goes on.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/sched.h>
#include <public/arch-x86_64.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>

/* Bounces in a row with no hypercall (a handler's iret is one) = a loop. */
#define MAX_NESTED_BOUNCES 16

static unsigned int bounces_in_a_row;

static bool has_error_code(unsigned int vec)
{
	return vec == TRAP_DF || (vec >= TRAP_TS && vec <= TRAP_PF) || vec == TRAP_AC ||
	       vec == TRAP_CP;
}


void __noreturn pv_crash(struct cpu_regs *regs, const char *fmt, ...)
{
	struct domain *d = current->domain;
	char why[160];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(why, sizeof(why), fmt, ap);
	va_end(ap);
	pr_err("d%uv%u: %s\n", d->id, current->id, why);
	pr_err("guest RIP %04lx:%016lx RSP %016lx RFLAGS %016lx (%s mode)\n", regs->cs, regs->rip,
	       regs->rsp, regs->rflags, current->kernel_mode ? "kernel" : "user");
	pr_err("rax %016lx rbx %016lx rcx %016lx rdx %016lx\n", regs->rax, regs->rbx, regs->rcx,
	       regs->rdx);
	pr_err("rsi %016lx rdi %016lx rbp %016lx cr2 %016lx\n", regs->rsi, regs->rdi, regs->rbp,
	       read_cr2());
	domain_crash(d, why);
}

/*
 * Push the bounce frame (pv-abi.md §6.3) on the guest kernel stack and
 * resume the guest at `handler`, with events masked if asked.
 */
static void bounce_to(struct cpu_regs *regs, uint64_t handler, bool errcode, uint32_t ec,
		      bool mask_events, const char *what)
{
	struct vcpu *v = current;
	uint8_t mask = v->vcpu_info->evtchn_upcall_mask;
	uint64_t frame[8], rsp;
	unsigned int n = 0;

	if (!v->kernel_mode)
		pv_crash(regs, "%s in guest user mode: not supported yet", what);
	frame[n++] = regs->rcx;
	frame[n++] = regs->r11;
	if (errcode)
		frame[n++] = ec;
	frame[n++] = regs->rip;
	/* The guest kernel sees its own CS with RPL 0, and its event mask. */
	frame[n++] = (regs->cs & ~3UL) | ((uint64_t)mask << 32);
	frame[n++] = (regs->rflags & ~(uint64_t)(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
		     (mask ? 0 : X86_EFLAGS_IF);
	frame[n++] = regs->rsp;
	frame[n++] = regs->ss;
	rsp = ((regs->rsp & ~15UL) - n * 8);
	if (copy_to_guest(rsp, frame, n * 8))
		pv_crash(regs, "cannot write the frame for %s at %#lx", what, rsp);

	if (mask_events)
		v->vcpu_info->evtchn_upcall_mask = 1;
	regs->rip = handler;
	regs->cs = FLAT_KERNEL_CS;
	regs->ss = FLAT_KERNEL_SS;
	regs->rsp = rsp;
	regs->rflags &= ~(uint64_t)(X86_EFLAGS_TF | X86_EFLAGS_NT | X86_EFLAGS_RF |
				    X86_EFLAGS_VM | X86_EFLAGS_AC);
}

/* Deliver exception `vec` to the guest's handler, or crash the guest. */
void pv_inject(struct cpu_regs *regs, unsigned int vec, bool errcode, uint32_t ec)
{
	const struct trap_info *ti = &current->traps[vec];

	if (!ti->address)
		pv_crash(regs, "unhandled exception %u (error code %#x) with no handler registered",
			 vec, ec);
	if (++bounces_in_a_row > MAX_NESTED_BOUNCES)
		pv_crash(regs, "exception %u while delivering exceptions: a fault loop", vec);
	bounce_to(regs, ti->address, errcode, ec, TI_GET_IF(ti), "an exception");
}

/*
 * Every return to the guest: an unmasked pending upcall runs the event
 * callback first (Linux forces delivery this way with a null hypercall).
 */
void pv_check_events(struct cpu_regs *regs)
{
	struct vcpu *v = current;
	const struct vcpu_info *vi = v->vcpu_info;

	if (!vi->evtchn_upcall_pending || vi->evtchn_upcall_mask || !v->event_cb.address)
		return;
	bounce_to(regs, v->event_cb.address, false, 0, true, "an event upcall");
}

/* Emulate, bounce, or crash: what an exception in the guest leads to. */
static void guest_exception(struct cpu_regs *regs)
{
	unsigned int vec = regs->entry_vector;
	uint32_t ec = regs->error_code;

	switch (vec) {
	case TRAP_GP:
		if (current->kernel_mode && pv_emulate_privileged(regs))
			return;
		break;
	case TRAP_UD:
		if (pv_emulate_forced_cpuid(regs))
			return;
		break;
	case TRAP_PF:
		current->vcpu_info->arch.cr2 = read_cr2();
		/* Hardware says "user" for every ring-3 access; the guest wants its own mode. */
		if (current->kernel_mode)
			ec &= ~4u;
		break;
	case TRAP_NM:
		/* Lazy FPU: the guest set its virtual TS; the first FPU use clears it. */
		asm volatile("clts");
		if (!current->fpu_ts)
			return;
		current->fpu_ts = false;
		break;
	case TRAP_NMI:
	case TRAP_MC:
		pr_warn("d%u: %s while the guest ran; ignored\n", current->domain->id,
			vec == TRAP_NMI ? "NMI" : "machine check");
		return;
	default:
		break;
	}
	pv_inject(regs, vec, has_error_code(vec), ec);
}

void pv_trap(struct cpu_regs *regs)
{
	guest_exception(regs);
	pv_check_events(regs);
}

/*
 * iret (#23): the guest's stack holds struct iret_context. Everything in it
 * is the guest's choice, so each field is checked before it reaches the
 * real iretq (which would fault inside hv on a bad RIP or selector).
 */
static void pv_iret(struct cpu_regs *regs)
{
	struct vcpu *v = current;
	struct iret_context c;

	if (copy_from_guest(&c, regs->rsp, sizeof(c)))
		pv_crash(regs, "iret: unreadable frame at %#lx", regs->rsp);
	/* Bits 32+ of a bounce frame's CS hold the saved event mask: not a selector. */
	c.cs &= 0xffff;
	c.ss &= 0xffff;
	if (!is_canonical(c.rip) || !is_canonical(c.rsp))
		pv_crash(regs, "iret: non-canonical rip %#lx or rsp %#lx", c.rip, c.rsp);
	if ((c.cs | 3) != FLAT_RING3_CS64 || (c.ss | 3) != FLAT_RING3_SS64)
		pv_crash(regs, "iret: selectors cs %#lx ss %#lx are not the flat ring-3 ones", c.cs, c.ss);
	if ((c.cs & 3) == 3)
		pv_crash(regs, "iret to guest user mode: not supported yet");

	regs->rip = c.rip;
	regs->rsp = c.rsp;
	regs->cs = FLAT_RING3_CS64;
	regs->ss = FLAT_RING3_SS64;
	regs->rflags = (c.rflags & ~(uint64_t)(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF;
	if (!(c.flags & (1u << _VGCF_in_syscall))) {
		regs->r11 = c.r11;
		regs->rcx = c.rcx;
	}
	v->vcpu_info->evtchn_upcall_mask = !(c.rflags & X86_EFLAGS_IF);
	regs->rax = c.rax;
}

void do_syscall(struct cpu_regs *regs)
{
	bounces_in_a_row = 0;
	if (regs->entry_vector == TRAP_SYSCALL32)
		pv_crash(regs, "32-bit syscall: hv runs 64-bit guests only");
	if (!current->kernel_mode)
		pv_crash(regs, "syscall from guest user mode: not supported yet");
	if (regs->rax == __HYPERVISOR_iret)
		pv_iret(regs);
	else
		pv_hypercall(regs);
	sched_maybe_preempt();
	pv_check_events(regs);
}
