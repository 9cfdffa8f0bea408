/* Exception entry: the frame entry.S builds, and the C handlers. */
#ifndef ASM_TRAPS_H
#define ASM_TRAPS_H

#define TRAP_DE 0
#define TRAP_DB 1
#define TRAP_NMI 2
#define TRAP_BP 3
#define TRAP_OF 4
#define TRAP_BR 5
#define TRAP_UD 6
#define TRAP_NM 7
#define TRAP_DF 8
#define TRAP_TS 10
#define TRAP_NP 11
#define TRAP_SS 12
#define TRAP_GP 13
#define TRAP_PF 14
#define TRAP_MF 16
#define TRAP_AC 17
#define TRAP_MC 18
#define TRAP_XM 19
#define TRAP_VE 20
#define TRAP_CP 21
#define TRAP_INT80 0x80	/* a DPL-3 gate: guests' int $0x80 */
/* Page-fault error code bits. */
#define PFEC_P 0x01
#define PFEC_W 0x02
#define PFEC_U 0x04
#define PFEC_RSVD 0x08
#define PFEC_I 0x10
/* Pseudo-vectors in cpu_regs.entry_vector for guest syscalls. */
#define TRAP_SYSCALL 0x100
#define TRAP_SYSCALL32 0x101

#ifndef __ASSEMBLER__
#include <hv/types.h>

/* Saved by entry.S; the order matches Xen's cpu_user_regs up to ss. */
struct cpu_regs {
	uint64_t r15, r14, r13, r12, rbp, rbx, r11, r10, r9, r8;
	uint64_t rax, rcx, rdx, rsi, rdi;
	uint32_t error_code, entry_vector;
	uint64_t rip, cs, rflags, rsp, ss;
};

void do_trap(struct cpu_regs *regs);
void do_syscall(struct cpu_regs *regs);
/* Load `frame` (at the top of the guest stack) and return to the guest. */
void __noreturn enter_guest(struct cpu_regs *frame);
/* Where a guest's registers live while hv handles its entry. */
struct cpu_regs *guest_regs(void);
/* The iretq of restore_all, where a return to a guest may fault (entry.S). */
extern char iret_to_guest[];
/* Guest exceptions and the upcall check on return (arch/x86/pv/traps.c). */
void pv_trap(struct cpu_regs *regs);
/* That iretq faulted returning to the guest: deliver the fault to it (pv/traps.c). */
void __noreturn pv_exit_fault(const struct cpu_regs *fault);
/* int $0x80 through hv's DPL-3 gate (arch/x86/pv/traps.c). */
void pv_int80(struct cpu_regs *regs);
void pv_check_events(struct cpu_regs *regs);
/* Print registers, fault address and a stack trace. */
void show_registers(const struct cpu_regs *regs);
void show_stack_trace(uintptr_t rbp, uintptr_t rip);
/* test_fault=: fault on purpose (integration tests of the crash dump). */
void traps_run_fault_test(void);
#endif

#endif
