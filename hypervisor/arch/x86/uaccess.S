/*
 * Guest memory copies with fault recovery. A fault inside the copy lands
 * in the exception table's fixup, which returns the bytes left; see
 * <hv/guest_access.h> for the checks done before getting here.
 */
	.text
	.globl raw_copy_guest
raw_copy_guest:			/* (dst, src, len) → bytes not copied */
	mov	%rdx, %rcx
1:	rep movsb
	xor	%eax, %eax
	ret
2:	mov	%rcx, %rax
	ret

	.section .ex_table, "a"
	.balign 8
	.quad 1b, 2b
