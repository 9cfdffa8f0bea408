/*
 * Accessors that may fault on purpose. Each faulting instruction has an
 * .ex_table entry; trap_handler resumes at the fixup, which returns false.
 */
#include <public/xen.h>

.macro ex_entry fault:req, fixup:req
	.pushsection .ex_table, "a"
	.p2align 3
	.quad \fault, \fixup
	.popsection
.endm

	.text
/* bool probe_read_u64(const volatile uint64_t *addr, uint64_t *val) */
	.globl probe_read_u64
probe_read_u64:
1:	mov	(%rdi), %rax
	mov	%rax, (%rsi)
	mov	$1, %eax
	ret
2:	xor	%eax, %eax
	ret
	ex_entry 1b, 2b

/* bool probe_write_u64(volatile uint64_t *addr, uint64_t val) */
	.globl probe_write_u64
probe_write_u64:
1:	mov	%rsi, (%rdi)
	mov	$1, %eax
	ret
2:	xor	%eax, %eax
	ret
	ex_entry 1b, 2b

/* bool probe_rdmsr(uint32_t msr, uint64_t *val) */
	.globl probe_rdmsr
probe_rdmsr:
	mov	%edi, %ecx
1:	rdmsr
	shl	$32, %rdx
	or	%rdx, %rax
	mov	%rax, (%rsi)
	mov	$1, %eax
	ret
2:	xor	%eax, %eax
	ret
	ex_entry 1b, 2b
