/*
 * Guest user mode: entering it through the iret hypercall, leaving it for
 * good, and the user programs themselves.
 */
#include <public/xen.h>
#include <guest/user.h>

	.text
/*
 * void user_enter(uint64_t rip, uint64_t rsp, uint64_t arg, uint64_t rflags,
 *                 uint64_t cs)
 *
 * Saves the callee-saved registers and the stack pointer, then returns
 * "to" user mode: an iret frame with a user CS (RPL 3: FLAT_USER_CS, or a
 * code selector of our own GDT) makes the hypervisor switch to the user
 * page tables. The run comes back through user_leave(), on the kernel
 * stack given to stack_switch.
 */
	.globl user_enter
user_enter:
	push	%rbx
	push	%rbp
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, user_kernel_rsp(%rip)
	push	$FLAT_USER_SS
	push	%rsi			/* rsp */
	push	%rcx			/* rflags */
	push	%r8			/* cs */
	push	%rdi			/* rip */
	mov	%rdx, %rdi		/* the program's argument */
	/* Nothing of the kernel's registers reaches user mode. */
	xor	%eax, %eax
	xor	%ebx, %ebx
	xor	%ecx, %ecx
	xor	%edx, %edx
	xor	%esi, %esi
	xor	%ebp, %ebp
	xor	%r8d, %r8d
	xor	%r9d, %r9d
	xor	%r10d, %r10d
	xor	%r11d, %r11d
	xor	%r12d, %r12d
	xor	%r13d, %r13d
	xor	%r14d, %r14d
	xor	%r15d, %r15d
	jmp	hypercall_iret

/*
 * void user_leave(void): back to user_enter's caller, abandoning the
 * kernel-entry stack the current trap frame lives on.
 */
	.globl user_leave
user_leave:
	mov	user_kernel_rsp(%rip), %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%rbp
	pop	%rbx
	ret

	.bss
	.p2align 3
user_kernel_rsp:
	.quad	0

/*
 * The user programs: one page, mapped read-only at USER_CODE_VA in the
 * user address space. Position independent; each ends with USYS_EXIT.
 */
.macro user_exit
	mov	$USYS_EXIT, %eax
	syscall
	ud2
.endm

	.section .text.user, "ax", @progbits
	.p2align 12
	.globl user_page_start
user_page_start:

/* exit(arg + 1, rsp) */
	.globl user_prog_exit, user_prog_exit_syscall
user_prog_exit:
	lea	1(%rdi), %rdi
	mov	%rsp, %rsi
	mov	$USYS_EXIT, %eax
user_prog_exit_syscall:
	syscall
	ud2

/* exit(echo(arg), callee-saved registers survived the bounce ? 1 : 0) */
	.globl user_prog_echo
user_prog_echo:
	mov	$0x1234, %r12
	mov	$0x5678, %rbx
	mov	$0x9abc, %r15
	mov	$USYS_ECHO, %eax
	syscall
	mov	%rax, %rdi
	xor	%esi, %esi
	cmp	$0x1234, %r12
	jne	1f
	cmp	$0x5678, %rbx
	jne	1f
	cmp	$0x9abc, %r15
	jne	1f
	mov	$1, %esi
1:	user_exit

/* *(uint64_t *)arg = 1, then spin until something else ends the run. */
	.globl user_prog_mark_spin
user_prog_mark_spin:
	movq	$1, (%rdi)
1:	pause
	jmp	1b

/* exit(*(uint64_t *)arg) */
	.globl user_prog_read
user_prog_read:
	mov	(%rdi), %rdi
	user_exit

/* *(uint64_t *)arg = 0x600d; exit(0) */
	.globl user_prog_write
user_prog_write:
	movq	$0x600d, (%rdi)
	xor	%edi, %edi
	user_exit

/* A privileged instruction in user mode. */
	.globl user_prog_priv, user_prog_priv_insn
user_prog_priv:
user_prog_priv_insn:
	mov	%cr0, %rax
	xor	%edi, %edi
	user_exit

/* exit(int $0x80 with rax = 7: the kernel adds 100) */
	.globl user_prog_int80
user_prog_int80:
	mov	$7, %eax
	int	$0x80
	mov	%rax, %rdi
	user_exit

/* int3, then exit(3) */
	.globl user_prog_int3
user_prog_int3:
	int3
	mov	$3, %edi
	user_exit

/* exit(%gs:0, %fs:0) */
	.globl user_prog_segs
user_prog_segs:
	mov	%gs:0, %rdi
	mov	%fs:0, %rsi
	user_exit

/* arg USYS_NOP system calls; exit(rdtsc ticks they took) */
	.globl user_prog_loop
user_prog_loop:
	mov	%rdi, %rbx
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	mov	%rdx, %r12
1:	mov	$USYS_NOP, %eax
	syscall
	dec	%rbx
	jnz	1b
	lfence
	rdtsc
	shl	$32, %rdx
	or	%rax, %rdx
	sub	%r12, %rdx
	mov	%rdx, %rdi
	xor	%esi, %esi
	user_exit

	.p2align 12
	.globl user_page_end
user_page_end:
