/*
 * Switching the pCPU from one vCPU to another: everything of the guest's
 * that lives in the CPU rather than in the saved frame — page tables,
 * segment bases, FPU/SSE state, virtual CR0.TS — and the guest's view of
 * time, refreshed whenever a vCPU is scheduled in.
 */
#include <hv/domain.h>
#include <hv/sched.h>
#include <hv/time.h>
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

static void load_vcpu(struct vcpu *v)
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
}

void arch_switch_to(struct vcpu *prev, struct vcpu *next)
{
	if (prev && prev->domain->state == DOMAIN_RUNNING)
		save_vcpu(prev);
	load_vcpu(next);
}
