/*
 * hv's first instructions. GRUB enters start32 in 32-bit protected mode,
 * paging off, with eax = multiboot2 magic and ebx = the info block's
 * physical address. We zero .bss, build just enough page tables to run in
 * long mode at our link address (the first 4 GiB mapped at 0, in the direct
 * map, and the first 1 GiB again at HV_VIRT_START), switch, and call
 * start_hv(magic, info). C code then builds the real tables.
 *
 * Until paging is on, every address is physical: symbol - HV_VIRT_START.
 */
#include <hv/layout.h>
#include <asm/processor.h>

#define PHYS(x) ((x) - HV_VIRT_START)
#define MB2_HEADER_MAGIC 0xe85250d6
#define PTE_P 0x1
#define PTE_RW 0x2
#define PTE_PS 0x80

	.section .multiboot2, "a"
	.balign 8
mb2_header:
	.long MB2_HEADER_MAGIC
	.long 0				/* architecture: i386 protected mode */
	.long mb2_header_end - mb2_header
	.long -(MB2_HEADER_MAGIC + (mb2_header_end - mb2_header))
	/* Entry address tag: our ELF entry is virtual, GRUB needs physical. */
	.balign 8
	.short 3, 0
	.long 12
	.long PHYS(start32)
	.balign 8
	.short 0, 0			/* end tag */
	.long 8
mb2_header_end:

	.section .text.boot, "ax"
	.code32
	.globl start32
start32:
	cli
	cld
	mov	%eax, %edi		/* keep magic and info for start_hv */
	mov	%ebx, %esi
	mov	$PHYS(boot_stack_top), %esp

	/* Long mode or nothing. */
	mov	$0x80000000, %eax
	cpuid
	cmp	$0x80000001, %eax
	jb	no_long_mode
	mov	$0x80000001, %eax
	cpuid
	bt	$29, %edx
	jnc	no_long_mode

	/* Zero .bss: nothing below may assume the loader did. */
	mov	%edi, %ebp		/* the stack is in .bss: keep the magic in ebp */
	mov	$PHYS(__bss_start), %edi
	mov	$PHYS(__bss_end), %ecx
	sub	%edi, %ecx
	xor	%eax, %eax
	rep stosb
	mov	%ebp, %edi

	/* 2 MiB mappings of [0, 4 GiB) in the four boot L2 pages. */
	mov	$PHYS(boot_l2), %ebx
	xor	%ecx, %ecx
1:	mov	%ecx, %eax
	shl	$21, %eax
	or	$(PTE_P | PTE_RW | PTE_PS), %eax
	mov	%eax, (%ebx, %ecx, 8)
	mov	%ecx, %eax
	shr	$11, %eax		/* high dword: bits 32+ of ecx << 21 */
	mov	%eax, 4(%ebx, %ecx, 8)
	inc	%ecx
	cmp	$2048, %ecx
	jb	1b

	mov	$PHYS(boot_l4), %eax
	mov	%eax, %cr3
	mov	%cr4, %eax
	or	$X86_CR4_PAE, %eax
	mov	%eax, %cr4
	mov	$MSR_EFER, %ecx
	rdmsr
	or	$EFER_LME, %eax
	wrmsr
	mov	%cr0, %eax
	or	$(X86_CR0_PG | X86_CR0_WP | X86_CR0_PE), %eax
	mov	%eax, %cr0

	lgdt	PHYS(boot_gdtr)
	ljmp	$0x08, $PHYS(start64_low)

no_long_mode:
	mov	$PHYS(msg_no_lm), %ebx
2:	movb	(%ebx), %al
	test	%al, %al
	jz	3f
	mov	$0x3fd, %dx		/* wait for the 16550 to take a byte */
4:	inb	%dx, %al
	test	$0x20, %al
	jz	4b
	movb	(%ebx), %al
	mov	$0x3f8, %dx
	outb	%al, %dx
	inc	%ebx
	jmp	2b
3:	hlt
	jmp	3b

	.code64
start64_low:
	mov	$0x10, %eax
	mov	%eax, %ds
	mov	%eax, %es
	mov	%eax, %ss
	xor	%eax, %eax
	mov	%eax, %fs
	mov	%eax, %gs
	movabs	$start64_high, %rax
	jmp	*%rax

start64_high:
	movabs	$boot_stack_top, %rsp
	mov	%edi, %edi		/* zero-extend magic and info */
	mov	%esi, %esi
	xor	%ebp, %ebp
	call	start_hv
	ud2

	.section .rodata.boot, "a"
msg_no_lm:
	.asciz "hv: this CPU has no long mode; hv needs an x86_64 CPU.\r\n"

	.balign 8
boot_gdt:
	.quad 0
	.quad 0x00af9a000000ffff	/* 0x08: 64-bit code */
	.quad 0x00cf92000000ffff	/* 0x10: data */
boot_gdt_end:
boot_gdtr:
	.word boot_gdt_end - boot_gdt - 1
	.long PHYS(boot_gdt)

	.section .data.boot, "aw"
	.balign 4096
	.globl boot_l4
boot_l4:
	.quad PHYS(boot_l3_low) + (PTE_P | PTE_RW)	/* 0: identity */
	.fill 260, 8, 0
	.quad PHYS(boot_l3_hv) + (PTE_P | PTE_RW)	/* 261: hv image */
	.quad PHYS(boot_l3_low) + (PTE_P | PTE_RW)	/* 262: direct map */
	.fill 249, 8, 0
boot_l3_low:
	.quad PHYS(boot_l2) + 0x0000 + (PTE_P | PTE_RW)
	.quad PHYS(boot_l2) + 0x1000 + (PTE_P | PTE_RW)
	.quad PHYS(boot_l2) + 0x2000 + (PTE_P | PTE_RW)
	.quad PHYS(boot_l2) + 0x3000 + (PTE_P | PTE_RW)
	.fill 508, 8, 0
boot_l3_hv:
	.fill 0x141, 8, 0
	.quad PHYS(boot_l2) + (PTE_P | PTE_RW)	/* HV_VIRT_START: first GiB */
	.fill 512 - 0x142, 8, 0

	.section .bss.boot, "aw", @nobits
	.balign 4096
boot_l2:
	.skip 4 * 4096
	.globl boot_stack, boot_stack_top
boot_stack:
	.skip 16384
boot_stack_top:
