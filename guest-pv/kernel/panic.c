/* The ways out: orderly shutdown, and panic for what must not happen. */
#include <guest/lib.h>
#include <guest/hypercall.h>
#include <public/sched.h>

void __noreturn shutdown(unsigned int reason)
{
	struct sched_shutdown s = { .reason = reason };

	HYPERVISOR_sched_op(SCHEDOP_shutdown, &s);
	/* Still here: the hypervisor refused. Spin politely. */
	for (;;)
		HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
}

void __noreturn panic(const char *fmt, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	printf("guest-pv: PANIC: %s\n", buf);
	shutdown(SHUTDOWN_crash);
}
