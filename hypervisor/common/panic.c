/* panic(): the end of the line for a bug in hv. */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/panic.h>
#include <hv/power.h>
#include <hv/serial.h>
#include <asm/processor.h>

void panic(const char *fmt, ...)
{
	static bool in_panic;
	char msg[256];
	va_list ap;

	cli();
	if (in_panic)			/* a fault while panicking: just stop */
		halt_forever();
	in_panic = true;
	va_start(ap, fmt);
	vsnprintf(msg, sizeof(msg), fmt, ap);
	va_end(ap);
	console_force_output();
	pr_err("****************************************\n");
	pr_err("**** hv PANIC on CPU 0: %s\n", msg);
	pr_err("****************************************\n");
	machine_crash_stop();
}
