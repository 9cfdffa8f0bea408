/*
 * Guest memory copies with fault recovery. A fault inside the copy lands
 * in the exception table's fixup, which returns the bytes left; see
 * <hv/guest_access.h> for the checks done before getting here.
 */
	.text
	.globl raw_copy_guest
/*
 * Quadwords, then the tail by bytes (as lib/string.c's memcpy: fewer
 * emulated steps under TCG, the same speed on hardware). A fault among
 * the quadwords leaves %rcx quadwords and the %rdx tail bytes uncopied.
 */
raw_copy_guest:			/* (dst, src, len) → bytes not copied */
	mov	%rdx, %rcx
	shr	$3, %rcx
	and	$7, %edx
1:	rep movsq
	mov	%rdx, %rcx
2:	rep movsb
	xor	%eax, %eax
	ret
3:	lea	(%rdx, %rcx, 8), %rax
	ret
4:	mov	%rcx, %rax
	ret

	.section .ex_table, "a"
	.balign 8
	.quad 1b, 3b
	.quad 2b, 4b
