/*
 * Stopping the machine: ACPI S5 power-off, reset through the PCI reset
 * register, the keyboard controller or a triple fault, and the crash stop
 * used after a panic (restart unless `noreboot`).
 *
 * exit_port=<port> (hv's own option, for test harnesses): before stopping
 * with a failure, write the status to that I/O port. QEMU's isa-debug-exit
 * device then exits with (status << 1) | 1, so a test can tell a panic (3)
 * from a clean ACPI power-off (0).
 */
#include <hv/cmdline.h>
#include <hv/console.h>
#include <hv/power.h>
#include <asm/processor.h>

#define EXIT_STATUS_POWEROFF_FAILED 0
#define EXIT_STATUS_PANIC 1

static uint64_t opt_exit_port;
HV_PARAM_UINT("exit_port", opt_exit_port);

static bool opt_noreboot;
HV_PARAM_BOOL("noreboot", opt_noreboot);

static void test_exit(uint32_t status)
{
	if (opt_exit_port && opt_exit_port <= 0xfffc)
		outl((uint16_t)opt_exit_port, status);
}

static void acpi_enable_if_needed(void)
{
	if (inw(acpi_s5.pm1a_cnt) & 1)		/* SCI_EN: already in ACPI mode */
		return;
	if (!acpi_s5.smi_cmd || !acpi_s5.acpi_enable)
		return;
	outb((uint16_t)acpi_s5.smi_cmd, acpi_s5.acpi_enable);
	for (unsigned int i = 0; i < 1000000 && !(inw(acpi_s5.pm1a_cnt) & 1); i++)
		asm volatile("pause");
}

void machine_power_off(void)
{
	cli();
	pr_info("Powering off.\n");
	if (acpi_s5.valid) {
		acpi_enable_if_needed();
		outw(acpi_s5.pm1a_cnt, (uint16_t)(acpi_s5.slp_typa << 10 | 1u << 13));
		if (acpi_s5.pm1b_cnt)
			outw(acpi_s5.pm1b_cnt, (uint16_t)(acpi_s5.slp_typb << 10 | 1u << 13));
		for (unsigned int i = 0; i < 1000000; i++)
			asm volatile("pause");
	}
	pr_err("power-off did not take effect; halting\n");
	test_exit(EXIT_STATUS_POWEROFF_FAILED);
	halt_forever();
}

void machine_restart(void)
{
	struct __packed { uint16_t limit; uint64_t base; } no_idt = { 0, 0 };

	cli();
	pr_info("Restarting.\n");
	outb(0xcf9, 0x02);			/* PCI reset control: hard reset */
	outb(0xcf9, 0x06);
	for (unsigned int i = 0; i < 100000; i++)
		if (!(inb(0x64) & 0x02))		/* keyboard controller input empty */
			break;
	outb(0x64, 0xfe);			/* pulse the reset line */
	/* Last resort: a fault with no IDT is a triple fault, i.e. a reset. */
	asm volatile("lidt %0; int3" : : "m"(no_idt));
	halt_forever();
}

void machine_crash_stop(void)
{
	test_exit(EXIT_STATUS_PANIC);
	if (opt_noreboot) {
		pr_err("noreboot: halting.\n");
		halt_forever();
	}
	machine_restart();
}
