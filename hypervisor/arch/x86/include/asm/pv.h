/* The PV side of arch/x86: what traps.c and the hypercalls share. */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <hv/types.h>

struct cpu_regs;
struct domain;
struct vcpu;

/* Deliver exception `vec` to the current guest's handler (or crash it). */
void pv_inject(struct cpu_regs *regs, unsigned int vec, bool errcode, uint32_t ec);
/* Stop the current guest for breaking the rules, with its registers in the log. */
void __noreturn pv_crash(struct cpu_regs *regs, const char *fmt, ...) __printf(2, 3);
/* #GP from guest kernel mode: emulate a privileged instruction? (emul-priv-op.c) */
bool pv_emulate_privileged(struct cpu_regs *regs);
/* #UD at the forced-emulation prefix: emulate CPUID. */
bool pv_emulate_forced_cpuid(struct cpu_regs *regs);
/* Put a vCPU's debug registers into the CPU (arch/x86/pv/callback.c). */
void load_debug_registers(const struct vcpu *v);
/* The CPUID a PV guest sees (arch/x86/cpuid.c). */
void guest_cpuid(const struct domain *d, uint32_t leaf, uint32_t sub, uint32_t r[4]);

#endif
