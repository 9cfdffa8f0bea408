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

/*
 * The instruction forms Linux uses on page-table entries, each able to
 * fault: a write #PF that the hypervisor does not emulate lands here.
 */

/* bool probe_write_u32(volatile uint32_t *addr, uint32_t val) */
	.globl probe_write_u32
probe_write_u32:
1:	movl	%esi, (%rdi)
	mov	$1, %eax
	ret
2:	xor	%eax, %eax
	ret
	ex_entry 1b, 2b

/* bool probe_xchg_u64(volatile uint64_t *addr, uint64_t val, uint64_t *old) */
	.globl probe_xchg_u64
probe_xchg_u64:
1:	xchg	%rsi, (%rdi)
	mov	%rsi, (%rdx)
	mov	$1, %eax
	ret
2:	xor	%eax, %eax
	ret
	ex_entry 1b, 2b

/*
 * bool probe_cmpxchg_u64(volatile uint64_t *addr, uint64_t *expected, uint64_t new)
 * *expected receives what was in memory (rax after the cmpxchg).
 */
	.globl probe_cmpxchg_u64
probe_cmpxchg_u64:
	mov	(%rsi), %rax
1:	lock cmpxchg %rdx, (%rdi)
	mov	%rax, (%rsi)
	mov	$1, %eax
	ret
2:	xor	%eax, %eax
	ret
	ex_entry 1b, 2b

/* bool probe_lock_and_u8(volatile uint8_t *addr, uint8_t mask) */
	.globl probe_lock_and_u8
probe_lock_and_u8:
1:	lock andb %sil, (%rdi)
	mov	$1, %eax
	ret
2:	xor	%eax, %eax
	ret
	ex_entry 1b, 2b

/* bool probe_lock_btr_u64(volatile uint64_t *addr, uint64_t bit) */
	.globl probe_lock_btr_u64
probe_lock_btr_u64:
1:	lock btrq %rsi, (%rdi)
	mov	$1, %eax
	ret
2:	xor	%eax, %eax
	ret
	ex_entry 1b, 2b

/*
 * bool probe_load_{ds,es,fs}(uint16_t sel): load a data segment register;
 * false (the register unchanged) if the selector faulted.
 */
.macro probe_load_seg seg:req
	.globl probe_load_\seg
probe_load_\seg:
1:	mov	%di, %\seg
	mov	$1, %eax
	ret
2:	xor	%eax, %eax
	ret
	ex_entry 1b, 2b
.endm
	probe_load_seg ds
	probe_load_seg es
	probe_load_seg fs
