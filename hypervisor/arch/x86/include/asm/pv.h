/* The PV side of arch/x86: what traps.c and the hypercalls share. */
#ifndef ASM_PV_H
#define ASM_PV_H

#include <hv/types.h>

struct cpu_regs;
struct domain;
struct vcpu;

/* Deliver exception `vec` to the current guest's handler (or crash it). */
void pv_inject(struct cpu_regs *regs, unsigned int vec, bool errcode, uint32_t ec);
/*
 * Switching the current vCPU in, hv could not load one of its data
 * selectors: run its failsafe callback from regs (its saved frame), or
 * crash its domain if it has none (pv/traps.c).
 */
void pv_failsafe(struct cpu_regs *regs);
/* Stop the current guest for breaking the rules, with its registers in the log. */
void __noreturn pv_crash(struct cpu_regs *regs, const char *fmt, ...) __printf(2, 3);
/* #GP from guest kernel mode: emulate a privileged instruction? (emul-priv-op.c) */
bool pv_emulate_privileged(struct cpu_regs *regs);
/* #UD at the forced-emulation prefix: emulate CPUID. */
bool pv_emulate_forced_cpuid(struct cpu_regs *regs);
/* Put a vCPU's debug registers into the CPU (arch/x86/pv/callback.c). */
void load_debug_registers(const struct vcpu *v);
/* The L1 entry mapping va in v's kernel page tables, or NULL (pv/mm.c). */
uint64_t *guest_kernel_l1e(const struct vcpu *v, uint64_t va, uint64_t *l1_mfn);
/*
 * Grant host mappings (pv/grant_table.c): put a grant PTE for frame where
 * host_addr says; take it away again, checking it still maps frame as
 * mapped, the entry at new_addr taking its place if that is given
 * (unmap_and_replace). 0 or -EINVAL, with nothing changed on error.
 */
int pv_create_grant_mapping(uint64_t host_addr, mfn_t frame, uint32_t flags);
int pv_replace_grant_mapping(uint64_t host_addr, mfn_t frame, uint32_t flags, uint64_t new_addr);
/* Writable page tables: emulate a guest write to one of its L1s (pv/ro_page_fault.c). */
bool pv_emulate_pt_write(struct cpu_regs *regs, uint64_t addr);
/* Descriptor tables (pv/descriptor_tables.c). */
void pv_descriptor_tables_init(void);
/* An LDT of `entries` at base is one pv_set_ldt takes (aligned, in guest space). */
bool pv_ldt_ok(uint64_t base, unsigned int entries);
long pv_set_ldt(struct vcpu *v, uint64_t base, unsigned int entries);
long pv_set_gdt(struct vcpu *v, const uint64_t *frames, unsigned int entries);
void pv_destroy_ldt_mappings(struct vcpu *v);
/* A #PF in hv's LDT window: map the guest's LDT page, or say where it failed. */
bool pv_map_ldt_page(struct cpu_regs *regs, uint64_t addr, uint64_t *guest_addr);
/* Make v's GDT and LDT the CPU's (context switch). */
void pv_load_descriptor_tables(struct vcpu *v);
/* Descriptor `sel` of v's GDT (0 if none), for checking iret's selectors. */
uint64_t pv_gdt_descriptor(const struct vcpu *v, unsigned int sel);
/* Release everything a vCPU's descriptor tables hold (domain teardown). */
void pv_destroy_descriptor_tables(struct vcpu *v);
/* The CPUID a PV guest sees (arch/x86/cpuid.c). */
void guest_cpuid(const struct domain *d, uint32_t leaf, uint32_t sub, uint32_t r[4]);

#endif
