/*
 * Switching the pCPU from one vCPU to another: everything of the guest's
 * that lives in the CPU rather than in the saved frame — page tables,
 * data selectors, segment bases, FPU/SSE state, virtual CR0.TS — and the
 * guest's view of time, refreshed whenever a vCPU is scheduled in.
 *
 * Data selectors (DS, ES, FS, GS) are the guest's to load, from ring 3,
 * and nothing hv does on an entry or exit touches them; so they stay in
 * the CPU while the vCPU runs, across hypercalls and traps, and only a
 * switch to another vCPU saves them and loads the next one's. Loading
 * reads the descriptor from the incoming vCPU's GDT or LDT as they are
 * now, which may have changed while it was out (an LDT dropped, a GDT
 * entry made not present): then the selector is left null and, as on
 * Xen, the guest's failsafe callback hears of it (pv/traps.c).
 */
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/page_types.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <asm/desc.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/pv.h>

static void save_vcpu(struct vcpu *v)
{
	v->fs_base = rdmsr(MSR_FS_BASE);
	if (v->kernel_mode) {
		v->gs_base_kernel = rdmsr(MSR_GS_BASE);
		v->gs_base_user = rdmsr(MSR_KERNEL_GS_BASE);
	} else {
		v->gs_base_user = rdmsr(MSR_GS_BASE);
		v->gs_base_kernel = rdmsr(MSR_KERNEL_GS_BASE);
	}
	asm volatile("clts; fxsave %0" : "=m"(v->fpu));
	v->fpu_initialised = true;
}

/* The data selectors in the CPU now. */
static void read_selectors(struct pv_selectors *s)
{
	asm volatile("mov %%ds, %0" : "=m"(s->ds));
	asm volatile("mov %%es, %0" : "=m"(s->es));
	asm volatile("mov %%fs, %0" : "=m"(s->fs));
	asm volatile("mov %%gs, %0" : "=m"(s->gs));
}

/* All four selectors in one word, to test them at once. */
static uint64_t selectors_word(const struct pv_selectors *s)
{
	uint64_t w;

	__builtin_memcpy(&w, s, sizeof(w));
	return w;
}

/*
 * v's selectors, over those of `cpu` (what the CPU holds), once the
 * tables their descriptors come from are v's. A register null on both
 * sides keeps its null; any other is loaded, even the value the CPU
 * already holds, because the descriptor behind it is now v's. A load of
 * FS or GS sets that base too, so v's is written again after it. False
 * if one could not be loaded (it is null now).
 */
static bool __attribute__((noinline)) reload_selectors(const struct vcpu *v,
							const struct pv_selectors *cpu)
{
	const struct pv_selectors *want = &v->sel;
	bool ok = true;

	if (want->ds | cpu->ds)
		ok &= load_selector_or_null("ds", want->ds);
	if (want->es | cpu->es)
		ok &= load_selector_or_null("es", want->es);
	if (want->fs | cpu->fs) {
		ok &= load_selector_or_null("fs", want->fs);
		wrmsr(MSR_FS_BASE, v->fs_base);
	}
	if (want->gs | cpu->gs) {
		ok &= load_selector_or_null("gs", want->gs);
		wrmsr(MSR_GS_BASE, v->kernel_mode ? v->gs_base_kernel : v->gs_base_user);
	}
	return ok;
}

/*
 * 64-bit guests run on null data selectors nearly all the time: when
 * the CPU's and v's are all null, which one test of the four together
 * tells, there is nothing to load. False if a selector did not load.
 */
static bool load_selectors(const struct vcpu *v, const struct pv_selectors *cpu)
{
	if (!(selectors_word(&v->sel) | selectors_word(cpu)))
		return true;
	return reload_selectors(v, cpu);
}

/* False if one of v's data selectors could not be loaded (pv_failsafe then). */
static bool load_vcpu(struct vcpu *v, const struct pv_selectors *cpu)
{
	load_cr3((v->kernel_mode ? v->kernel_l4 : v->user_l4) << PAGE_SHIFT);
	pv_load_descriptor_tables(v);
	wrmsr(MSR_FS_BASE, v->fs_base);
	wrmsr(MSR_GS_BASE, v->kernel_mode ? v->gs_base_kernel : v->gs_base_user);
	wrmsr(MSR_KERNEL_GS_BASE, v->kernel_mode ? v->gs_base_user : v->gs_base_kernel);
	asm volatile("clts");
	if (v->fpu_initialised) {
		asm volatile("fxrstor %0" : : "m"(v->fpu));
	} else {
		static const uint32_t mxcsr_default = 0x1f80;

		asm volatile("fninit; ldmxcsr %0" : : "m"(mxcsr_default));
	}
	if (v->fpu_ts)
		write_cr0(read_cr0() | X86_CR0_TS);
	load_debug_registers(v);
	time_fill_vcpu(&v->vcpu_info->time);
	/* After the descriptor tables, whose entries the selectors name. */
	return load_selectors(v, cpu);
}

/*
 * `next` is already `current`: a #PF on its LDT while its selectors load
 * maps its page (arch/x86/traps.c), and the failsafe callback is its.
 * The selectors are read from the CPU even when prev is not saved (its
 * domain is dead): they tell which registers must be loaded.
 */
void arch_switch_to(struct vcpu *prev, struct vcpu *next)
{
	struct pv_selectors cpu;

	read_selectors(&cpu);
	if (prev && prev->domain->state == DOMAIN_RUNNING) {
		save_vcpu(prev);
		prev->sel = cpu;
	}
	if (!load_vcpu(next, &cpu))
		pv_failsafe(&next->regs);
}

/* A dying vCPU's page-table and descriptor-table references. */
void arch_vcpu_release(struct vcpu *v)
{
	if (v->kernel_l4)
		frame_put_and_type(mfn_to_frame(v->kernel_l4));
	if (v->user_l4)
		frame_put_and_type(mfn_to_frame(v->user_l4));
	v->kernel_l4 = v->user_l4 = 0;
	pv_destroy_descriptor_tables(v);
}

/* Everything of a context that becomes an address must be canonical. */
static bool context_addresses_ok(const struct vcpu_guest_context *c)
{
	const uint64_t a[] = {
		c->user_regs.rip, c->user_regs.rsp, c->kernel_sp, c->event_callback_eip,
		c->failsafe_callback_eip, c->syscall_callback_eip, c->fs_base, c->gs_base_kernel,
		c->gs_base_user, c->ldt_base,
	};

	for (unsigned int i = 0; i < ARRAY_SIZE(a); i++)
		if (!is_canonical(a[i]))
			return false;
	for (unsigned int i = 0; i < NR_TRAPS; i++)
		if (c->trap_ctxt[i].address && !is_canonical(c->trap_ctxt[i].address))
			return false;
	return true;
}

/*
 * A vCPU's whole state from the toolstack (HV_DOMCTL_set_vcpu_context,
 * like Xen's setvcpucontext): registers, page tables, descriptor tables,
 * trap table, callbacks. Everything is checked and the page-table
 * references taken before anything changes, so a refused context leaves
 * the vCPU as it was, with one exception: GDT frames are checked as they
 * are taken, so a refused GDT leaves the vCPU on the new page tables with
 * no GDT and its old registers (safe for hv: both are the domain's and
 * validated; the toolstack sets a whole context again, as on Xen, whose
 * arch_set_info_guest also fails half way there). The vCPU starts in
 * guest kernel mode on the flat selectors.
 */
long arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c)
{
	struct domain *d = v->domain;
	mfn_t cr3 = c->ctrlreg[3] >> PAGE_SHIFT, ucr3 = c->ctrlreg[1] >> PAGE_SHIFT;
	const struct cpu_user_regs *r = &c->user_regs;
	long rc;

	if (!(c->flags & VGCF_in_kernel) || !context_addresses_ok(c) ||
	    c->gdt_ents > FIRST_RESERVED_GDT_ENTRY || (c->vm_assist & ~PV64_VALID_ASSISTS) ||
	    c->ldt_ents > UINT32_MAX || !pv_ldt_ok(c->ldt_base, (unsigned int)c->ldt_ents))
		return -EINVAL;
	rc = frame_get_and_type(cr3, d, FT_L4);
	if (rc)
		return rc;
	if (ucr3 && (rc = frame_get_and_type(ucr3, d, FT_L4))) {
		frame_put_and_type(mfn_to_frame(cr3));
		return rc;
	}
	/* The old page tables and descriptor tables go; the new GDT comes. */
	arch_vcpu_release(v);
	v->kernel_l4 = cr3;
	v->user_l4 = ucr3;
	/* The assists are the domain's: vCPU 0's context sets them, as on Xen
	 * (Linux brings its other vCPUs up with vm_assist 0). */
	if (v->id == 0)
		d->vm_assist = c->vm_assist;
	if (!(d->vm_assist & (1UL << VMASST_TYPE_m2p_strict)))
		l4_m2p_slot(frame_contents(cr3), true);
	rc = pv_set_gdt(v, c->gdt_frames, (unsigned int)c->gdt_ents);
	if (rc)
		return rc;		/* the page tables stay: a GDT can be set later */
	rc = pv_set_ldt(v, c->ldt_base, (unsigned int)c->ldt_ents);
	if (rc)
		return rc;		/* not reached: checked above, before anything changed */

	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.r15 = r->r15; v->regs.r14 = r->r14; v->regs.r13 = r->r13; v->regs.r12 = r->r12;
	v->regs.rbp = r->rbp; v->regs.rbx = r->rbx; v->regs.r11 = r->r11; v->regs.r10 = r->r10;
	v->regs.r9 = r->r9; v->regs.r8 = r->r8; v->regs.rax = r->rax; v->regs.rcx = r->rcx;
	v->regs.rdx = r->rdx; v->regs.rsi = r->rsi; v->regs.rdi = r->rdi;
	v->regs.rip = r->rip;
	v->regs.rsp = r->rsp;
	v->regs.cs = FLAT_KERNEL_CS;
	v->regs.ss = FLAT_KERNEL_SS;
	v->regs.rflags = (r->rflags & ~(uint64_t)(X86_EFLAGS_IOPL | X86_EFLAGS_VM | X86_EFLAGS_NT)) |
			 X86_EFLAGS_IF | 2;
	v->kernel_mode = true;
	memcpy(v->traps, c->trap_ctxt, sizeof(v->traps));
	for (unsigned int i = 0; i < NR_TRAPS; i++)
		v->traps[i].vector = (uint8_t)i;
	v->event_cb = (struct pv_callback){ c->event_callback_eip, true };
	v->failsafe_cb = (struct pv_callback){ c->failsafe_callback_eip,
					       c->flags & VGCF_failsafe_disables_events };
	v->syscall_cb = (struct pv_callback){ c->syscall_callback_eip,
					      c->flags & VGCF_syscall_disables_events };
	v->kernel_ss = c->kernel_ss;
	v->kernel_sp = c->kernel_sp;
	/* Loaded when the vCPU first runs: a bad one gets the failsafe callback, as on Xen. */
	v->sel = (struct pv_selectors){ r->ds, r->es, r->fs, r->gs };
	v->fs_base = c->fs_base;
	v->gs_base_kernel = c->gs_base_kernel;
	v->gs_base_user = c->gs_base_user;
	v->fpu_initialised = c->flags & VGCF_i387_valid;
	if (v->fpu_initialised) {
		memcpy(v->fpu, c->fpu_ctxt, sizeof(v->fpu));
		/* MXCSR (bytes 24-27) with reserved bits would make fxrstor fault in hv. */
		v->fpu[26] = v->fpu[27] = 0;
		v->fpu[24] &= (uint8_t)~0x40;
	}
	return 0;
}
