/*
 * The legacy 8259 PICs. The BIOS leaves them delivering IRQ 0-7 on vectors
 * 8-15, which are CPU exceptions; once a guest runs with interrupts on, a
 * timer tick would look like a double fault. Move them out of the way
 * (vectors 0x20-0x2f) and mask every line: hv uses the local APIC.
 */
#include <hv/console.h>
#include <asm/processor.h>

#define PIC1_CMD 0x20
#define PIC1_DATA 0x21
#define PIC2_CMD 0xa0
#define PIC2_DATA 0xa1

void i8259_disable(void)
{
	outb(PIC1_CMD, 0x11);		/* ICW1: init, expect ICW4 */
	outb(PIC2_CMD, 0x11);
	outb(PIC1_DATA, 0x20);		/* ICW2: vector base */
	outb(PIC2_DATA, 0x28);
	outb(PIC1_DATA, 0x04);		/* ICW3: slave on IRQ2 */
	outb(PIC2_DATA, 0x02);
	outb(PIC1_DATA, 0x01);		/* ICW4: 8086 mode */
	outb(PIC2_DATA, 0x01);
	outb(PIC1_DATA, 0xff);		/* mask everything */
	outb(PIC2_DATA, 0xff);
	pr_debug("i8259: remapped to 0x20-0x2f and masked\n");
}
