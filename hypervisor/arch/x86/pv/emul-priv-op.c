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
#include <public/hvctl.h>
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

/*
 * Ports the hardware domain may never touch: hv's own devices and those
 * whose misuse hurts everyone (Xen denies the same set).
 */
static bool port_reserved(uint16_t port)
{
	return (port >= 0x20 && port <= 0x21) || (port >= 0xa0 && port <= 0xa1) ||	/* PICs */
	       (port >= 0x40 && port <= 0x43) || port == 0x61 ||			/* PIT */
	       port == 0x92 || port == 0xcf9 ||					/* resets */
	       port <= 0x1f || (port >= 0xc0 && port <= 0xdf) ||			/* ISA DMA */
	       port == 0xf0 || (port >= 0x3f8 && port <= 0x3ff) ||		/* FPU, com1 */
	       (port >= 0x600 && port <= 0x63f) ||				/* ACPI PM */
	       (port >= 0x70 && port <= 0x71) || port == 0xf4;			/* RTC, exit */
}

/*
 * in/out from the guest kernel (pv-abi §7.3). Without a virtual IOPL the
 * instruction faults as on hardware (#GP to the guest). With one, dom0
 * reaches real ports except hv's own; other domains reach none: reads see
 * all-ones, writes vanish.
 */
static bool emulate_port_io(struct cpu_regs *regs, const uint8_t *insn, unsigned int prefix_len)
{
	struct vcpu *v = current;
	unsigned int size = insn[0] & 1 ? (prefix_len ? 2 : 4) : 1, len = 1;
	bool in = !(insn[0] & 2);
	uint16_t port;
	bool real;

	if (insn[0] >= 0xe4 && insn[0] <= 0xe7) {
		port = insn[1];
		len = 2;
	} else if (insn[0] >= 0xec && insn[0] <= 0xef) {
		port = (uint16_t)regs->rdx;
	} else {
		return false;
	}
	if (v->iopl < 1)
		return false;
	real = !port_reserved(port) && !port_reserved((uint16_t)(port + size - 1)) &&
	       (v->domain->initial ||
		domain_io_allowed(v->domain, HV_DOMCTL_ioport_permission, port, size));
	if (in) {
		uint32_t val = 0xffffffff;

		if (real)
			val = size == 1 ? inb(port) : size == 2 ? inw(port) : inl(port);
		if (size == 4)
			regs->rax = val;
		else
			regs->rax = (regs->rax & ~((1UL << (size * 8)) - 1)) | (val & ((1UL << (size * 8)) - 1));
	} else if (real) {
		if (size == 1)
			outb(port, (uint8_t)regs->rax);
		else if (size == 2)
			outw(port, (uint16_t)regs->rax);
		else
			outl(port, (uint32_t)regs->rax);
	}
	regs->rip += prefix_len + len;
	return true;
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
	/*
	 * cli/sti with a virtual IOPL: skipped, as Xen does (its event mask
	 * would stay set through a popf it cannot see). Linux runs one in
	 * this_cpu_cmpxchg16b_emu before its alternatives are patched.
	 */
	if ((insn[0] == 0xfa || insn[0] == 0xfb) && v->iopl >= 1) {
		regs->rip += len + 1;
		return true;
	}
	if (insn[0] == 0x66) {				/* operand size: 16-bit port I/O */
		uint8_t op[2] = { 0 };

		(void)copy_from_guest(op, regs->rip + 1, 2);
		return emulate_port_io(regs, op, 1);
	}
	if ((insn[0] >= 0xe4 && insn[0] <= 0xe7) || (insn[0] >= 0xec && insn[0] <= 0xef))
		return emulate_port_io(regs, insn, 0);
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
