/*
 * Entry and exit. Every IDT vector has a stub that makes the stack look
 * the same (an error code slot whose high half holds the vector); common
 * code saves the general registers as struct cpu_regs and calls C.
 *
 * Guests enter hv three ways, all of which leave a struct cpu_regs at the
 * top of guest_stack (TSS.rsp0): exceptions and interrupts from ring 3
 * (the CPU switches to rsp0), and `syscall`, which does not switch stacks,
 * so syscall_entry does it by hand. hv runs one vCPU on one pCPU for now,
 * so a single scratch word holds the guest rsp across the switch (IF is
 * clear from SFMASK until the frame is built).
 */
#include <asm/desc.h>
#include <asm/traps.h>

#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

.macro SAVE_ALL
	push	%rdi
	push	%rsi
	push	%rdx
	push	%rcx
	push	%rax
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	cld
.endm

.macro RESTORE_ALL
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rax
	pop	%rcx
	pop	%rdx
	pop	%rsi
	pop	%rdi
.endm

	.text
	.balign 16
trap_common:
	SAVE_ALL
	mov	%rsp, %rdi
	call	do_trap
	/* fall through */
	.globl restore_all
restore_all:
	RESTORE_ALL
	add	$8, %rsp		/* error code and vector */
/*
 * Returning to a guest, this iretq loads what the guest chose: CS and SS
 * from its own GDT, which it may change between hv's check and here (a
 * second vCPU's update_descriptor). A fault on it is the guest's, not
 * hv's: do_trap recognises this address and hands the fault to the guest
 * (pv_exit_fault), its general registers being those just restored.
 */
	.globl iret_to_guest
iret_to_guest:
	iretq

/* enter_guest(frame): load a prepared struct cpu_regs and return to it. */
	.globl enter_guest
enter_guest:
	mov	%rdi, %rsp
	jmp	restore_all

/* 64-bit syscall from ring 3: a hypercall or a guest system call. */
	.balign 16
	.globl syscall_entry
syscall_entry:
	mov	%rsp, syscall_scratch_rsp(%rip)
	lea	guest_stack_top(%rip), %rsp
	pushq	$FLAT_RING3_DS32	/* ss */
	pushq	syscall_scratch_rsp(%rip)
	push	%r11			/* rflags */
	pushq	$FLAT_RING3_CS64	/* cs */
	push	%rcx			/* rip */
	pushq	$0
	movl	$TRAP_SYSCALL, 4(%rsp)
	SAVE_ALL
	mov	%rsp, %rdi
	call	do_syscall
	jmp	restore_all

/* Compatibility-mode syscall: hv runs 64-bit guests only. */
	.balign 16
	.globl syscall32_entry
syscall32_entry:
	mov	%rsp, syscall_scratch_rsp(%rip)
	lea	guest_stack_top(%rip), %rsp
	pushq	$FLAT_RING3_DS32
	pushq	syscall_scratch_rsp(%rip)
	push	%r11
	pushq	$FLAT_RING3_CS32
	push	%rcx
	pushq	$0
	movl	$TRAP_SYSCALL32, 4(%rsp)
	SAVE_ALL
	mov	%rsp, %rdi
	call	do_syscall
	jmp	restore_all

	.bss
	.balign 8
syscall_scratch_rsp:
	.quad 0

/* One 16-byte-aligned stub per vector; trap_stubs[v] is at trap_stubs + 16*v. */
	.text
	.balign 16
	.globl trap_stubs
trap_stubs:
	.set vec, 0
	.rept 256
	.balign 16
	.if HAS_ERRCODE(vec)
	movl	$vec, 4(%rsp)
	.else
	push	$0
	movl	$vec, 4(%rsp)
	.endif
	jmp	trap_common
	.set vec, vec + 1
	.endr
