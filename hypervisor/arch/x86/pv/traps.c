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
#include <asm/page.h>
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
	hypercall_trace_dump(current);
	domain_crash(d, why);
}

/*
 * Guest kernel ⇄ guest user (pv-abi.md §6.2): the page table, the active
 * GS base (swapgs exchanges it with the saved one) and the mode flag that
 * decides whether `syscall` is a hypercall. Only hv toggles them.
 */
static void toggle_guest_mode(struct vcpu *v)
{
	v->kernel_mode = !v->kernel_mode;
	if (v->kernel_mode)
		v->nr_user_exits++;
	else
		v->nr_user_entries++;
	switch_guest_mode_cr3((v->kernel_mode ? v->kernel_l4 : v->user_l4) << PAGE_SHIFT);
	asm volatile("swapgs");
}

/*
 * Push the bounce frame (pv-abi.md §6.3) on the guest kernel stack and
 * resume the guest at `handler`, with events masked if asked. From guest
 * user mode the vCPU first enters kernel mode, on the stack registered
 * with stack_switch; the frame then shows the user CS as it was.
 */
static void bounce_to(struct cpu_regs *regs, uint64_t handler, bool errcode, uint32_t ec,
		      bool mask_events, const char *what)
{
	struct vcpu *v = current;
	uint8_t mask = v->vcpu_info->evtchn_upcall_mask;
	uint64_t frame[8], rsp, base = regs->rsp, cs = regs->cs & ~3UL;
	unsigned int n = 0;

	if (!v->kernel_mode) {
		if (!v->kernel_sp)
			pv_crash(regs, "%s in guest user mode with no kernel stack (stack_switch)", what);
		toggle_guest_mode(v);
		base = v->kernel_sp;
		cs = regs->cs;
	}
	frame[n++] = regs->rcx;
	frame[n++] = regs->r11;
	if (errcode)
		frame[n++] = ec;
	frame[n++] = regs->rip;
	/* The guest kernel sees its own CS with RPL 0, and its event mask. */
	frame[n++] = cs | ((uint64_t)mask << 32);
	frame[n++] = (regs->rflags & ~(uint64_t)(X86_EFLAGS_IF | X86_EFLAGS_IOPL)) |
		     (mask ? 0 : X86_EFLAGS_IF);
	frame[n++] = regs->rsp;
	frame[n++] = regs->ss;
	rsp = ((base & ~15UL) - n * 8);
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
 * The failsafe callback (pv-abi.md §6.5), as Xen's load_segments runs it:
 * on the guest kernel stack {rcx, r11, ds, es, fs, gs} below the iret
 * frame of where the vCPU was going, the selectors as they were before
 * the failed load (the CPU now holds null for the ones that failed),
 * events masked if the callback was registered so. A guest with no
 * failsafe callback cannot be resumed correctly: it is crashed.
 *
 * bounce_to writes the frame an upcall gets, {rcx, r11} below the same
 * iret frame; the selectors go in between by writing its bottom two
 * words again as six, 32 bytes lower. (bounce_to keeps the shape of the
 * hot paths, exceptions and upcalls, which this rare one does not slow.)
 */
void pv_failsafe(struct cpu_regs *regs)
{
	struct vcpu *v = current;
	const struct pv_selectors *s = &v->sel;
	uint64_t bottom[6];

	trace_guest_event(v, TRACE_FAILSAFE, regs->rip, s->ds | (uint64_t)s->es << 16,
			  s->fs | (uint64_t)s->gs << 16, v->kernel_mode);
	if (!v->failsafe_cb.address)
		pv_crash(regs, "cannot load data selectors ds %#x es %#x fs %#x gs %#x, and no "
			 "failsafe callback", s->ds, s->es, s->fs, s->gs);
	bounce_to(regs, v->failsafe_cb.address, false, 0, v->failsafe_cb.mask_events,
		  "the failsafe callback");
	bottom[0] = regs->rcx;
	bottom[1] = regs->r11;
	bottom[2] = s->ds;
	bottom[3] = s->es;
	bottom[4] = s->fs;
	bottom[5] = s->gs;
	if (copy_to_guest(regs->rsp - 32, bottom, sizeof(bottom)))
		pv_crash(regs, "cannot write the failsafe callback's frame at %#lx", regs->rsp - 32);
	regs->rsp -= 32;
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

/*
 * `int $N` reaches hv as #GP through a DPL-0 gate (the error code's format
 * differs between hardware and TCG, so the instruction itself says which
 * vector). The guest's trap table decides who may raise it: DPL 3 anyone,
 * 1-2 the guest kernel only, 0 nobody (the #GP then stands).
 */
static bool software_interrupt(struct cpu_regs *regs)
{
	uint8_t insn[2];
	unsigned int dpl;

	if (!(regs->error_code & 2) || copy_from_guest(insn, regs->rip, 2) || insn[0] != 0xcd)
		return false;
	dpl = TI_GET_DPL(&current->traps[insn[1]]);
	if (!current->traps[insn[1]].address || dpl == 0 || (!current->kernel_mode && dpl < 3))
		return false;
	regs->rip += 2;			/* a trap: the handler returns after the int */
	pv_inject(regs, insn[1], false, 0);
	return true;
}

/*
 * Whose page-table writes are emulated: domains with the writable-page-
 * tables assist, and the hardware domain always (Xen 4.17 behaves so: its
 * check for read-only MMIO falls through to page-table emulation for dom0).
 */
static bool writes_emulated(const struct domain *d)
{
	return d->initial || (d->vm_assist & (1UL << VMASST_TYPE_writable_pagetables));
}

/* Emulate, bounce, or crash: what an exception in the guest leads to. */
static void guest_exception(struct cpu_regs *regs)
{
	unsigned int vec = regs->entry_vector;
	uint32_t ec = regs->error_code;

	trace_guest_event(current, TRACE_EXCEPTION + vec, regs->rip, ec,
			  vec == TRAP_PF ? read_cr2() : 0, current->kernel_mode);

	switch (vec) {
	case TRAP_GP:
		if (software_interrupt(regs))
			return;
		if (current->kernel_mode && pv_emulate_privileged(regs))
			return;
		break;
	case TRAP_UD:
		if (pv_emulate_forced_cpuid(regs))
			return;
		break;
	case TRAP_PF: {
		uint64_t cr2 = read_cr2(), at;

		/*
		 * The CPU reached an LDT page hv maps only on first use: its own
		 * descriptor reads are supervisor accesses; the guest touching the
		 * window itself (U set) gets an ordinary #PF there.
		 */
		if (cr2 >= LDT_WINDOW_VIRT && cr2 < LDT_WINDOW_VIRT + 16 * PAGE_SIZE &&
		    !(ec & PFEC_U)) {
			if (!(ec & PFEC_RSVD) && pv_map_ldt_page(regs, cr2, &at))
				return;
			cr2 = at;
		} else if (current->kernel_mode && (ec & (PFEC_P | PFEC_W | PFEC_RSVD)) == (PFEC_P | PFEC_W) &&
			   writes_emulated(current->domain) && pv_emulate_pt_write(regs, cr2)) {
			return;
		}
		current->vcpu_info->arch.cr2 = cr2;
		/* Hardware says "user" for every ring-3 access; the guest wants its own mode. */
		if (current->kernel_mode)
			ec &= ~PFEC_U;
		break;
	}
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

/*
 * int $0x80 (Linux's 32-bit system calls) arrives through hv's DPL-3
 * gate. As on Xen, a handler the guest registered without the
 * event-masking flag gets it directly, whatever its DPL; otherwise it
 * goes the way of any other `int $N`: a #GP the trap's DPL may turn into
 * a delivery.
 */
void pv_int80(struct cpu_regs *regs)
{
	const struct trap_info *ti = &current->traps[TRAP_INT80];

	trace_guest_event(current, TRACE_EXCEPTION + TRAP_INT80, regs->rip, 0, 0,
			  current->kernel_mode);
	if (ti->address && !TI_GET_IF(ti)) {
		bounces_in_a_row = 0;
		pv_inject(regs, TRAP_INT80, false, 0);
	} else {
		regs->rip -= 2;
		regs->entry_vector = TRAP_GP;
		regs->error_code = (TRAP_INT80 << 3) | 2;
		guest_exception(regs);
	}
	sched_maybe_preempt();
	pv_check_events(regs);
}

void pv_trap(struct cpu_regs *regs)
{
	guest_exception(regs);
	pv_check_events(regs);
}

/*
 * The iretq that returns to the guest faulted (do_trap saw it at
 * iret_to_guest). pv_iret checked the selectors when the guest asked for
 * them, but the guest's GDT can change before the vCPU next runs: another
 * of its vCPUs may make the descriptor not present with update_descriptor.
 * The CPU has the last word, and hv must not die of it. As on Xen, the
 * fault is the guest's: it is delivered as if the guest had taken it in
 * the context hv was returning to (#NP, #SS or #GP with the selector as
 * error code), through its trap table; a guest with no handler for it is
 * crashed, and the other domains run on. Nothing is emulated: the
 * instruction at that RIP never ran.
 *
 * `fault` lies on the guest stack just below the guest's frame and
 * overlaps its register slots: its general registers are the guest's
 * (restored just before the iretq), while the guest's rip..ss above it
 * are intact. Both go back together into the guest frame, which is then
 * resumed from scratch.
 */
void __noreturn pv_exit_fault(const struct cpu_regs *fault)
{
	struct vcpu *v = current;
	struct cpu_regs *g = guest_regs();
	const struct cpu_regs f = *fault;	/* before g's register slots overwrite it */

	memcpy(g, &f, offsetof(struct cpu_regs, error_code));
	g->entry_vector = f.entry_vector;
	g->error_code = f.error_code;
	pr_info("d%uv%u: the return to %04lx:%016lx faulted (vector %u, error code %#x): "
		"passed to the guest\n", v->domain->id, v->id, g->cs, g->rip, f.entry_vector,
		f.error_code);
	trace_guest_event(v, TRACE_EXCEPTION + f.entry_vector, g->rip, f.error_code, 0,
			  v->kernel_mode);
	pv_inject(g, f.entry_vector, true, f.error_code);
	pv_check_events(g);
	enter_guest(g);
}

#define DESC_P (1UL << 47)
#define DESC_S (1UL << 44)		/* code or data */
#define DESC_CODE (1UL << 43)
#define DESC_WRITABLE (1UL << 41)	/* data: writable */
#define DESC_DPL3 (3UL << 45)
#define DESC_L (1UL << 53)

/*
 * The selectors iret may load: the flat ring-3 ones, or a present DPL-3
 * code (CS) or writable data (SS) descriptor of the guest's own GDT —
 * Linux returns to user space on its __USER_CS/__USER_DS. Checked here to
 * refuse a bad frame at once, with the guest's hypercall in the log; the
 * GDT stays the guest's to change until the vCPU runs again, so the real
 * iretq may still fault, and pv_exit_fault takes it then.
 */
static bool iret_cs_ok(const struct vcpu *v, uint64_t cs)
{
	uint64_t d;

	if ((cs | 3) == FLAT_RING3_CS64 || (cs | 3) == FLAT_RING3_CS32)
		return true;
	d = pv_gdt_descriptor(v, (unsigned int)cs);
	return (d & (DESC_P | DESC_S | DESC_CODE | DESC_DPL3)) == (DESC_P | DESC_S | DESC_CODE | DESC_DPL3);
}

static bool iret_ss_ok(const struct vcpu *v, uint64_t ss)
{
	uint64_t d;

	if ((ss | 3) == FLAT_RING3_SS64)
		return true;
	d = pv_gdt_descriptor(v, (unsigned int)ss);
	return (d & (DESC_P | DESC_S | DESC_CODE | DESC_WRITABLE | DESC_DPL3)) ==
	       (DESC_P | DESC_S | DESC_WRITABLE | DESC_DPL3);
}

/*
 * iret (#23): the guest's stack holds struct iret_context. Everything in it
 * is the guest's choice, so each field is checked before it reaches the
 * real iretq (a non-canonical RIP would fault there; see iret_cs_ok for
 * the selectors).
 */
static void pv_iret(struct cpu_regs *regs)
{
	struct vcpu *v = current;
	struct iret_context c;

	if (copy_from_guest(&c, regs->rsp, sizeof(c)))
		pv_crash(regs, "iret: unreadable frame at %#lx", regs->rsp);
	trace_guest_event(v, TRACE_IRET, c.rip, c.cs, c.rsp, 0);
	/* Bits 32+ of a bounce frame's CS hold the saved event mask: not a selector. */
	c.cs &= 0xffff;
	c.ss &= 0xffff;
	if (!is_canonical(c.rip) || !is_canonical(c.rsp))
		pv_crash(regs, "iret: non-canonical rip %#lx or rsp %#lx", c.rip, c.rsp);
	if (!iret_cs_ok(v, c.cs) || !iret_ss_ok(v, c.ss))
		pv_crash(regs, "iret: cs %#lx or ss %#lx is not a usable ring-3 selector", c.cs, c.ss);
	/* RPL 3 in the frame returns to guest user mode, on the user page table. */
	if ((c.cs & 3) == 3 && v->kernel_mode) {
		if (!v->user_l4)
			pv_crash(regs, "iret to guest user mode with no user page table");
		toggle_guest_mode(v);
	}

	regs->rip = c.rip;
	regs->rsp = c.rsp;
	regs->cs = c.cs | 3;
	regs->ss = c.ss | 3;
	regs->rflags = (c.rflags & ~(uint64_t)(X86_EFLAGS_IOPL | X86_EFLAGS_VM)) | X86_EFLAGS_IF;
	if (!(c.flags & (1u << _VGCF_in_syscall))) {
		regs->r11 = c.r11;
		regs->rcx = c.rcx;
	}
	v->vcpu_info->evtchn_upcall_mask = !(c.rflags & X86_EFLAGS_IF);
	regs->rax = c.rax;
}

/*
 * `syscall` in guest user mode is the guest's system call: enter the guest
 * kernel at its syscall callback (syscall32 for 32-bit code), with the
 * frame {rcx, r11, rip, cs, rflags, rsp, ss} on its kernel stack. Without
 * a callback the guest gets #UD at the instruction, as hardware would.
 */
static void user_syscall(struct cpu_regs *regs)
{
	struct vcpu *v = current;
	const struct pv_callback *cb =
		regs->entry_vector == TRAP_SYSCALL32 ? &v->syscall32_cb : &v->syscall_cb;

	trace_guest_event(v, TRACE_USER_SYSCALL, regs->rax, regs->rip, 0, 0);
	if (!cb->address) {
		regs->rip -= 2;
		pv_inject(regs, TRAP_UD, false, 0);
		return;
	}
	regs->rflags &= ~(uint64_t)X86_EFLAGS_DF;
	bounce_to(regs, cb->address, false, 0, cb->mask_events, "a system call");
}

void do_syscall(struct cpu_regs *regs)
{
	bounces_in_a_row = 0;
	if (!current->kernel_mode) {
		user_syscall(regs);
		sched_maybe_preempt();
		pv_check_events(regs);
		return;
	}
	if (regs->entry_vector == TRAP_SYSCALL32)
		pv_crash(regs, "32-bit syscall from the guest kernel: hv runs 64-bit kernels only");
	if (regs->rax == __HYPERVISOR_iret)
		pv_iret(regs);
	else
		pv_hypercall(regs);
	sched_maybe_preempt();
	pv_check_events(regs);
}
