/*
 * Descriptor tables. hv's GDT spans 16 pages like Xen's: entries below
 * 7168 (byte 0xe000) belong to the guest, hv's own selectors sit above.
 * Ring-3 flat selectors are those of Xen's PV ABI, and their order lets
 * SYSRET (STAR[63:48] = 0xe023) load CS 0xe033 and SS 0xe02b.
 */
#ifndef ASM_DESC_H
#define ASM_DESC_H

#include <public/arch-x86_64.h>	/* FLAT_RING3_*, FIRST_RESERVED_GDT_BYTE */

#define GDT_ENTRIES 8192

#define HV_CS 0xe008
#define HV_DS 0xe010
#define HV_TSS 0xe040
#define HV_LDT 0xe050

/* Interrupt stack table slots. */
#define IST_DF 1
#define IST_NMI 2
#define IST_MC 3

#ifndef __ASSEMBLER__
void descriptors_init(void);
/* The GDT window (pv/descriptor_tables.c) and hv's pages in it. */
paddr_t hv_gdt_page(unsigned int page);
void gdt_load_window(uintptr_t va);
void ldt_load(uintptr_t base, unsigned int entries);
/* A guest segment descriptor, checked and fixed up (pv/descriptor_check.c). */
bool check_descriptor(uint64_t *desc);
/* Bounds of the stack the CPU is running on (for stack traces). */
bool stack_bounds(uintptr_t sp, uintptr_t *lo, uintptr_t *hi);

/*
 * Load data segment register `seg` ("ds", "es", "fs", "gs") with a
 * guest's selector sel, in ring 0. If the descriptor refuses (#GP, #NP,
 * or a #PF on an LDT page hv cannot map for the guest), the exception
 * table's fixup loads the null selector instead and the expression is
 * false. A load of FS or GS also sets that base (the active GS base).
 */
#define load_selector_or_null(seg, sel) ({				\
	uint32_t sel_ = (sel);						\
	bool ok_ = true;						\
	asm volatile("1: mov %k1, %%" seg "\n\t"			\
		     "2:\n\t"						\
		     ".pushsection .text.fixup, \"ax\"\n"		\
		     "3: xor %k1, %k1\n\t"				\
		     "mov %k1, %%" seg "\n\t"				\
		     "movb $0, %0\n\t"					\
		     "jmp 2b\n\t"					\
		     ".popsection\n\t"					\
		     ".pushsection .ex_table, \"a\"\n\t"		\
		     ".balign 8\n\t"					\
		     ".quad 1b, 3b\n\t"					\
		     ".popsection"					\
		     : "+qm"(ok_), "+r"(sel_) : : "memory");		\
	ok_;								\
})
#endif

#endif
