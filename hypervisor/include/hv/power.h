/* Powering the machine off or restarting it. */
#ifndef HV_POWER_H
#define HV_POWER_H

#include <hv/types.h>

struct boot_info;
void acpi_init(const struct boot_info *bi);
void __noreturn machine_power_off(void);
void __noreturn machine_restart(void);
/* After a panic: tell a test harness (exit_port=), then restart or halt. */
void __noreturn machine_crash_stop(void);

/* ACPI facts power management needs (arch/x86/acpi.c). */
struct acpi_sleep {
	uint16_t pm1a_cnt, pm1b_cnt;	/* I/O ports; 0 if absent */
	uint16_t slp_typa, slp_typb;	/* S5 sleep types */
	uint32_t smi_cmd;
	uint8_t acpi_enable;
	bool valid;
};
extern struct acpi_sleep acpi_s5;

#endif
