/*
 * guest-pv start of day, ELF notes, hypercall page and exception entry.
 *
 * The domain builder enters _start in 64-bit mode at CPL 3 with
 * rsi = VA of start_info and rsp = top of its own boot stack. We switch to
 * our stack (in .bss, so its size is ours to choose) and go to C.
 */
#include <public/elfnote.h>
#include <public/xen.h>
#include <public/features.h>

#define VIRT_BASE 0xffffffff80000000

/* One "Xen" ELF note: namesz, descsz, type, "Xen\0", desc, padded to 4. */
.macro xen_note type:req, desc:vararg
	.pushsection .note.Xen, "a", @note
	.p2align 2
	.long 2f - 1f
	.long 4f - 3f
	.long \type
1:	.asciz "Xen"
2:	.p2align 2
3:	\desc
4:	.p2align 2
	.popsection
.endm

	xen_note XEN_ELFNOTE_GUEST_OS,       .asciz "guest-pv"
	xen_note XEN_ELFNOTE_GUEST_VERSION,  .asciz "0.1"
	xen_note XEN_ELFNOTE_XEN_VERSION,    .asciz "xen-3.0"
	xen_note XEN_ELFNOTE_LOADER,         .asciz "generic"
	xen_note XEN_ELFNOTE_VIRT_BASE,      .quad VIRT_BASE
	xen_note XEN_ELFNOTE_PADDR_OFFSET,   .quad 0
	xen_note XEN_ELFNOTE_ENTRY,          .quad _start
	xen_note XEN_ELFNOTE_HYPERCALL_PAGE, .quad hypercall_page
	xen_note XEN_ELFNOTE_FEATURES,       .asciz "!writable_page_tables"
	xen_note XEN_ELFNOTE_SUPPORTED_FEATURES, .long (1 << XENFEAT_dom0)

	.section .text.head, "ax", @progbits
	.code64
	.globl _start
_start:
	cld
	lea	boot_stack_top(%rip), %rsp
	xor	%ebp, %ebp
	mov	%rsi, %rdi		/* start_info */
	call	guest_start
	ud2				/* guest_start never returns */

/*
 * The hypercall page: the builder overwrites it with 128 32-byte stubs.
 * Until then every byte is int3, so a call before the builder filled it
 * traps at once instead of running off into data.
 */
	.section .text.hypercall_page, "ax", @progbits
	.p2align 12
	.globl hypercall_page
hypercall_page:
	.fill 4096, 1, 0xcc

/*
 * Exception entry. hv/Xen bounce a guest exception onto the current stack
 * as rcx, r11, [error code], rip, cs, rflags, rsp, ss (lowest first) and
 * jump to the handler from the trap table. Each stub restores rcx/r11,
 * pushes a uniform error code and its vector, then the common path saves
 * the general registers as struct trap_frame (arch.h) and calls C.
 */
.macro trap_stub vec:req, has_err:req
	.p2align 4
trap_entry_\vec:
	pop	%rcx
	pop	%r11
	.if \has_err == 0
	push	$0
	.endif
	push	$\vec
	jmp	trap_common
.endm

	.text
	trap_stub 0, 0
	trap_stub 1, 0
	trap_stub 2, 0
	trap_stub 3, 0
	trap_stub 4, 0
	trap_stub 5, 0
	trap_stub 6, 0
	trap_stub 7, 0
	trap_stub 8, 1
	trap_stub 9, 0
	trap_stub 10, 1
	trap_stub 11, 1
	trap_stub 12, 1
	trap_stub 13, 1
	trap_stub 14, 1
	trap_stub 15, 0
	trap_stub 16, 0
	trap_stub 17, 1
	trap_stub 18, 0
	trap_stub 19, 0
	trap_stub 20, 0
	trap_stub 21, 1
	trap_stub 22, 0
	trap_stub 23, 0
	trap_stub 24, 0
	trap_stub 25, 0
	trap_stub 26, 0
	trap_stub 27, 0
	trap_stub 28, 0
	trap_stub 29, 0
	trap_stub 30, 0
	trap_stub 31, 0
	/* int $0x80, registered by the user-mode tests (DPL 3). */
	trap_stub 128, 0
	.globl trap_entry_128

	.section .rodata
	.p2align 3
	.globl trap_entries
trap_entries:
	.irp v, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	.quad trap_entry_\v
	.endr

	.text
trap_common:
	push	%rax
	push	%rbx
	push	%rcx
	push	%rdx
	push	%rsi
	push	%rdi
	push	%rbp
	push	%r8
	push	%r9
	push	%r10
	push	%r11
	push	%r12
	push	%r13
	push	%r14
	push	%r15
	mov	%rsp, %rdi
	mov	%rsp, %rbx
	and	$~15, %rsp		/* the bounce frame is 16-aligned, but be sure */
	call	trap_handler
	mov	%rbx, %rsp
	pop	%r15
	pop	%r14
	pop	%r13
	pop	%r12
	pop	%r11
	pop	%r10
	pop	%r9
	pop	%r8
	pop	%rbp
	pop	%rdi
	pop	%rsi
	pop	%rdx
	pop	%rcx
	pop	%rbx
	pop	%rax
	add	$16, %rsp		/* vector, error code */
	/* Now rip, cs, rflags, rsp, ss: return through the iret hypercall. */
	.globl hypercall_iret
hypercall_iret:
	push	$0			/* iret flags: not returning from a syscall */
	jmp	hypercall_page + __HYPERVISOR_iret * 32

/* The event upcall and the failsafe callback go through trap_handler too. */
	.globl event_callback_entry
event_callback_entry:
	pop	%rcx
	pop	%r11
	push	$0
	push	$256			/* pseudo vector: event upcall */
	jmp	trap_common

	.globl failsafe_callback_entry
failsafe_callback_entry:
	pop	%rcx
	pop	%r11
	/* ds, es, fs, gs as the hypervisor found them: kept for the tests, dropped. */
	push	%rax
	mov	8(%rsp), %rax
	mov	%rax, failsafe_selectors(%rip)
	mov	16(%rsp), %rax
	mov	%rax, failsafe_selectors+8(%rip)
	mov	24(%rsp), %rax
	mov	%rax, failsafe_selectors+16(%rip)
	mov	32(%rsp), %rax
	mov	%rax, failsafe_selectors+24(%rip)
	pop	%rax
	add	$32, %rsp
	push	$0
	push	$257			/* pseudo vector: failsafe callback */
	jmp	trap_common

	.globl syscall_callback_entry
syscall_callback_entry:
	pop	%rcx
	pop	%r11
	push	$0
	push	$258			/* pseudo vector: guest-user syscall */
	jmp	trap_common

	.bss
	.p2align 3
	.globl failsafe_selectors
failsafe_selectors:
	.skip 32

	.section .bss.stack, "aw", @nobits
	.p2align 12
boot_stack:
	.skip 16384
	.globl boot_stack_top
boot_stack_top:
