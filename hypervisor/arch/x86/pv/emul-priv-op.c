/*
 * The privileged instructions a PV kernel still executes at ring 3 (they
 * #GP there) and CPUID behind the forced-emulation prefix (#UD). pv-abi.md
 * §7 lists them. What is not recognised is left to the caller, which
 * bounces the fault to the guest as a real machine would raise it.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <asm/processor.h>
#include <asm/pv.h>
#include <asm/traps.h>

#define MSR_TSC 0x10
#define MSR_APIC_BASE 0x1b
#define MSR_FEATURE_CONTROL 0x3a
#define MSR_SPEC_CTRL 0x48
#define MSR_UCODE_REV 0x8b
#define MSR_ARCH_CAPABILITIES 0x10a
#define MSR_MISC_ENABLE 0x1a0
#define MSR_PAT 0x277
/* Xen's PAT: WB, WT, UC-, UC, WC, WP, UC, UC (Linux derives its cache bits from it). */
#define XEN_PAT 0x0000050100070406UL

static const uint8_t forced_prefix[] = { 0x0f, 0x0b, 'x', 'e', 'n', 0x0f, 0xa2 };

/* A general register by its x86 encoding number. */
static uint64_t *gpr(struct cpu_regs *r, unsigned int n)
{
	uint64_t *const map[16] = {
		&r->rax, &r->rcx, &r->rdx, &r->rbx, &r->rsp, &r->rbp, &r->rsi, &r->rdi,
		&r->r8, &r->r9, &r->r10, &r->r11, &r->r12, &r->r13, &r->r14, &r->r15,
	};

	return map[n & 15];
}


static bool read_msr(struct vcpu *v, uint32_t msr, uint64_t *val)
{
	switch (msr) {
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
		*val = rdmsr(msr);
		return true;
	case MSR_EFER:
		*val = rdmsr(MSR_EFER) & (EFER_SCE | EFER_LME | EFER_NXE | (1u << 10) /* LMA */);
		return true;
	case MSR_PAT:
		*val = XEN_PAT;
		return true;
	case MSR_APIC_BASE:
		*val = 0xfee00800UL | (v->id == 0 ? 0x100 : 0);
		return true;
	case MSR_TSC:
		*val = rdtsc();
		return true;
	case MSR_MISC_ENABLE:
		*val = (1u << 11) | (1u << 12);		/* BTS and PEBS unavailable */
		return true;
	case MSR_UCODE_REV:
		*val = 0;
		return true;
	default:
		return false;
	}
}

static bool write_msr(struct vcpu *v, uint32_t msr, uint64_t val)
{
	switch (msr) {
	case MSR_FS_BASE:
	case MSR_GS_BASE:
	case MSR_KERNEL_GS_BASE:
		if (!is_canonical(val))
			return false;
		wrmsr(msr, val);
		if (msr == MSR_FS_BASE)
			v->fs_base = val;
		else if (msr == MSR_GS_BASE)
			v->gs_base_kernel = val;
		else
			v->gs_base_user = val;
		return true;
	case MSR_EFER: {
		uint64_t cur;

		read_msr(v, MSR_EFER, &cur);
		return val == cur;
	}
	case MSR_PAT:
	case MSR_APIC_BASE:
	case MSR_TSC:
	case MSR_MISC_ENABLE:
	case MSR_UCODE_REV:
		return true;			/* accepted and ignored: never to hardware */
	default:
		return false;
	}
}

static bool read_cr(struct vcpu *v, unsigned int cr, uint64_t *val)
{
	switch (cr) {
	case 0:
		*val = (read_cr0() & ~(uint64_t)X86_CR0_TS) | (v->fpu_ts ? X86_CR0_TS : 0);
		return true;
	case 2:
		*val = v->vcpu_info->arch.cr2;
		return true;
	case 3:
		*val = (v->kernel_mode ? v->kernel_l4 : v->user_l4) << PAGE_SHIFT;
		return true;
	case 4:
		*val = read_cr4() & (X86_CR4_PAE | X86_CR4_OSFXSR | X86_CR4_OSXMMEXCPT | (1u << 6));
		return true;
	default:
		return false;
	}
}

static bool write_cr(struct vcpu *v, unsigned int cr, uint64_t val)
{
	switch (cr) {
	case 0:
		/* Only TS is the guest's (fpu_taskswitch); the rest stays as hv set it. */
		v->fpu_ts = val & X86_CR0_TS;
		write_cr0(v->fpu_ts ? read_cr0() | X86_CR0_TS : read_cr0() & ~(uint64_t)X86_CR0_TS);
		return true;
	case 4:
		return true;			/* nothing in CR4 is the guest's to change yet */
	default:
		return false;
	}
}

bool pv_emulate_privileged(struct cpu_regs *regs)
{
	struct vcpu *v = current;
	uint8_t insn[4] = { 0 };
	unsigned int len = 0, rex = 0;
	uint64_t val;

	if (copy_from_guest(insn, regs->rip, 2) && copy_from_guest(insn, regs->rip, 1))
		return false;
	(void)copy_from_guest(insn + 2, regs->rip + 2, 2);
	if ((insn[0] & 0xf0) == 0x40) {			/* REX */
		rex = insn[0];
		memmove(insn, insn + 1, 3);
		len = 1;
	}
	if (insn[0] == 0xf4) {				/* hlt: the guest is idle */
		regs->rip += len + 1;
		return true;
	}
	if (insn[0] != 0x0f)
		return false;
	switch (insn[1]) {
	case 0x09:					/* wbinvd: no device DMA yet */
		break;
	case 0x30:					/* wrmsr */
		if (!write_msr(v, (uint32_t)regs->rcx, (regs->rdx << 32) | (uint32_t)regs->rax))
			return false;
		break;
	case 0x32:					/* rdmsr */
		if (!read_msr(v, (uint32_t)regs->rcx, &val))
			return false;
		regs->rax = (uint32_t)val;
		regs->rdx = val >> 32;
		break;
	case 0x20:					/* mov %crN, reg */
	case 0x22: {					/* mov reg, %crN */
		unsigned int modrm = insn[2], cr = ((modrm >> 3) & 7) | (rex & 4 ? 8 : 0);
		uint64_t *reg = gpr(regs, (modrm & 7) | (rex & 1 ? 8 : 0));

		if ((modrm >> 6) != 3)
			return false;
		if (insn[1] == 0x20 ? !read_cr(v, cr, reg) : !write_cr(v, cr, *reg))
			return false;
		len++;
		break;
	}
	default:
		return false;
	}
	regs->rip += len + 2;
	return true;
}

bool pv_emulate_forced_cpuid(struct cpu_regs *regs)
{
	uint8_t insn[sizeof(forced_prefix)];
	uint32_t r[4];

	if (copy_from_guest(insn, regs->rip, sizeof(insn)) ||
	    memcmp(insn, forced_prefix, sizeof(insn)))
		return false;
	guest_cpuid(current->domain, (uint32_t)regs->rax, (uint32_t)regs->rcx, r);
	regs->rax = r[0];
	regs->rbx = r[1];
	regs->rcx = r[2];
	regs->rdx = r[3];
	regs->rip += sizeof(forced_prefix);
	return true;
}
