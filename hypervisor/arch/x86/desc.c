/*
 * The GDT, TSS and IDT of the boot CPU. The GDT is laid out for PV guests
 * from the start (see <asm/desc.h>): 16 pages, hv's selectors at 0xe000+.
 * Double faults, NMIs and machine checks run on their own IST stacks so a
 * broken stack pointer still gets a register dump.
 */
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/types.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/traps.h>

static void syscall_init(void);

#define IST_STACK_SIZE 8192

struct __packed tss64 {
	uint32_t rsvd0;
	uint64_t rsp[3];
	uint64_t rsvd1;
	uint64_t ist[7];
	uint64_t rsvd2;
	uint16_t rsvd3;
	uint16_t iomap_base;
};

struct __packed idt_gate {
	uint16_t offset_lo;
	uint16_t selector;
	uint8_t ist;
	uint8_t type_attr;
	uint16_t offset_mid;
	uint32_t offset_hi;
	uint32_t rsvd;
};

struct __packed desc_ptr {
	uint16_t limit;
	uint64_t base;
};

extern char trap_stubs[];
extern char boot_stack[], boot_stack_top[];
extern char syscall_entry[], syscall32_entry[];

/* Ring-3 entries land here (TSS.rsp0, syscall_entry): struct cpu_regs at the top. */
#define GUEST_STACK_SIZE 16384
uint8_t guest_stack[GUEST_STACK_SIZE] __aligned(64);
asm(".globl guest_stack_top\n.set guest_stack_top, guest_stack + 16384");

static uint64_t gdt[GDT_ENTRIES] __aligned(PAGE_SIZE);
static struct idt_gate idt[256] __aligned(PAGE_SIZE);
static struct tss64 tss __aligned(128);
static uint8_t ist_stacks[3][IST_STACK_SIZE] __aligned(16);

static void set_gdt_entry(unsigned int sel, uint64_t desc)
{
	gdt[sel >> 3] = desc;
}

static void set_tss_desc(unsigned int sel, const struct tss64 *t)
{
	uint64_t base = (uintptr_t)t, limit = sizeof(*t) - 1;

	gdt[sel >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x89UL << 40) |
			(((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[(sel >> 3) + 1] = base >> 32;
}

static void set_gate(unsigned int vec, unsigned int dpl, unsigned int ist)
{
	uintptr_t addr = (uintptr_t)trap_stubs + 16 * vec;

	idt[vec] = (struct idt_gate){
		.offset_lo = addr & 0xffff,
		.selector = HV_CS,
		.ist = (uint8_t)ist,
		.type_attr = (uint8_t)(0x8e | (dpl << 5)),	/* present interrupt gate */
		.offset_mid = (addr >> 16) & 0xffff,
		.offset_hi = (uint32_t)(addr >> 32),
	};
}

static void load_tables(void)
{
	struct desc_ptr gdtr = { sizeof(gdt) - 1, (uintptr_t)gdt };
	struct desc_ptr idtr = { sizeof(idt) - 1, (uintptr_t)idt };

	asm volatile("lgdt %0" : : "m"(gdtr));
	/* Reload CS through a far return, then the data segments and TR. */
	asm volatile("pushq %0\n\t"
		     "leaq 1f(%%rip), %%rax\n\t"
		     "pushq %%rax\n\t"
		     "lretq\n"
		     "1:"
		     : : "i"(HV_CS) : "rax", "memory");
	asm volatile("mov %0, %%ds; mov %0, %%es; mov %0, %%ss" : : "r"(HV_DS));
	asm volatile("ltr %w0" : : "r"(HV_TSS));
	asm volatile("lidt %0" : : "m"(idtr));
}

/*
 * Once paging is up, the CPU's GDT becomes a window of 16 pages: the first
 * 14 show the running vCPU's GDT frames (pv/descriptor_tables.c), the last
 * two are the static table's own pages, with hv's selectors and the TSS.
 */
paddr_t hv_gdt_page(unsigned int page)
{
	return virt_to_maddr((char *)gdt + page * PAGE_SIZE);
}

void gdt_load_window(uintptr_t va)
{
	struct desc_ptr gdtr = { sizeof(gdt) - 1, va };

	asm volatile("lgdt %0" : : "m"(gdtr));
}

/* The LDT descriptor in hv's page points at base; 0 entries: no LDT. */
void ldt_load(uintptr_t base, unsigned int entries)
{
	uint64_t limit = entries * 8UL - 1;

	if (!entries) {
		asm volatile("lldt %w0" : : "r"(0));
		return;
	}
	gdt[HV_LDT >> 3] = (limit & 0xffff) | ((base & 0xffffff) << 16) | (0x82UL << 40) |
			   (((limit >> 16) & 0xf) << 48) | (((base >> 24) & 0xff) << 56);
	gdt[(HV_LDT >> 3) + 1] = base >> 32;
	asm volatile("lldt %w0" : : "r"(HV_LDT));
}

void descriptors_init(void)
{
	set_gdt_entry(HV_CS, 0x00af9a000000ffffUL);		/* 64-bit code, DPL 0 */
	set_gdt_entry(HV_DS, 0x00cf92000000ffffUL);		/* data, DPL 0 */
	set_gdt_entry(FLAT_RING3_CS32, 0x00cffa000000ffffUL);	/* 32-bit code, DPL 3 */
	set_gdt_entry(FLAT_RING3_DS32, 0x00cff2000000ffffUL);	/* data, DPL 3 */
	set_gdt_entry(FLAT_RING3_CS64, 0x00affa000000ffffUL);	/* 64-bit code, DPL 3 */

	tss.ist[IST_DF - 1] = (uintptr_t)ist_stacks[0] + IST_STACK_SIZE;
	tss.ist[IST_NMI - 1] = (uintptr_t)ist_stacks[1] + IST_STACK_SIZE;
	tss.ist[IST_MC - 1] = (uintptr_t)ist_stacks[2] + IST_STACK_SIZE;
	tss.rsp[0] = (uintptr_t)(guest_stack + GUEST_STACK_SIZE);
	tss.iomap_base = sizeof(tss);	/* no I/O bitmap: ring 3 gets #GP */
	set_tss_desc(HV_TSS, &tss);

	for (unsigned int v = 0; v < 256; v++)
		set_gate(v, 0, 0);
	/* int3 and into stay usable from ring 3, as on Xen. */
	set_gate(TRAP_BP, 3, 0);
	set_gate(TRAP_OF, 3, 0);
	/* int $0x80 from guest user mode: Xen's fast path to the guest kernel. */
	set_gate(TRAP_INT80, 3, 0);
	set_gate(TRAP_DF, 0, IST_DF);
	set_gate(TRAP_NMI, 0, IST_NMI);
	set_gate(TRAP_MC, 0, IST_MC);
	load_tables();
	syscall_init();
}

/*
 * syscall from ring 3 enters hv on the 64-bit path; SYSRET's selectors
 * (STAR[63:48]) give ring 3 CS 0xe033 / SS 0xe02b. The flags mask clears
 * IF, so hv runs with interrupts off until it chooses otherwise.
 */
static void syscall_init(void)
{
	wrmsr(MSR_STAR, ((uint64_t)FLAT_RING3_CS32 << 48) | ((uint64_t)HV_CS << 32));
	wrmsr(MSR_LSTAR, (uintptr_t)syscall_entry);
	wrmsr(MSR_CSTAR, (uintptr_t)syscall32_entry);
	wrmsr(MSR_FMASK, X86_EFLAGS_IF | X86_EFLAGS_DF | X86_EFLAGS_TF | X86_EFLAGS_NT |
			 X86_EFLAGS_AC);
	wrmsr(MSR_EFER, rdmsr(MSR_EFER) | EFER_SCE);
}

struct cpu_regs *guest_regs(void)
{
	return (struct cpu_regs *)(guest_stack + GUEST_STACK_SIZE) - 1;
}

bool stack_bounds(uintptr_t sp, uintptr_t *lo, uintptr_t *hi)
{
	if (sp >= (uintptr_t)guest_stack && sp < (uintptr_t)guest_stack + GUEST_STACK_SIZE) {
		*lo = (uintptr_t)guest_stack;
		*hi = (uintptr_t)guest_stack + GUEST_STACK_SIZE;
		return true;
	}
	if (sp >= (uintptr_t)boot_stack && sp < (uintptr_t)boot_stack_top) {
		*lo = (uintptr_t)boot_stack;
		*hi = (uintptr_t)boot_stack_top;
		return true;
	}
	for (unsigned int i = 0; i < 3; i++) {
		uintptr_t base = (uintptr_t)ist_stacks[i];

		if (sp >= base && sp < base + IST_STACK_SIZE) {
			*lo = base;
			*hi = base + IST_STACK_SIZE;
			return true;
		}
	}
	return false;
}
