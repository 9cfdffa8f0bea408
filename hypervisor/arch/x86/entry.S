/*
 * Exception and interrupt entry. Every IDT vector has a stub that makes
 * the stack look the same (an error code slot, whose high half holds the
 * vector), then common code saves the general registers as struct cpu_regs
 * and calls do_trap(regs). Guest entry points (syscall, PV traps) join
 * this file when guests run.
 */
#include <asm/traps.h>

/* Vectors for which the CPU pushes an error code. */
#define HAS_ERRCODE(v) ((v) == 8 || ((v) >= 10 && (v) <= 14) || (v) == 17 || (v) == 21 || (v) == 29 || (v) == 30)

	.text
	.balign 16
trap_common:
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
	mov	%rsp, %rdi
	call	do_trap
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
	add	$8, %rsp		/* error code and vector */
	iretq

/* One 16-byte-aligned stub per vector; trap_stubs[v] is at trap_stubs + 16*v. */
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
