/*
 * sched_op (#29). SCHEDOP_shutdown(poweroff) is the suite's final act
 * (main.c), so it is exercised by every run; here only the calls that
 * return.
 */
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/sched.h>

TEST(sched_op, yield)
{
	CHECK_RC("yield", 0, HYPERVISOR_sched_op(SCHEDOP_yield, NULL));
	/* The argument is ignored. */
	CHECK_RC("yield with a bad pointer", 0, HYPERVISOR_sched_op(SCHEDOP_yield, BAD_PTR_UNMAPPED));
}

TEST(sched_op, shutdown_bad_pointer)
{
	CHECK_RC("shutdown from an unmapped argument", -XEN_EFAULT,
		 HYPERVISOR_sched_op(SCHEDOP_shutdown, BAD_PTR_UNMAPPED));
	CHECK_RC("shutdown from the hypervisor", -XEN_EFAULT,
		 HYPERVISOR_sched_op(SCHEDOP_shutdown, BAD_PTR_HV));
}

TEST(sched_op, poll_bad_pointer)
{
	CHECK_RC("poll from an unmapped argument", -XEN_EFAULT,
		 HYPERVISOR_sched_op(SCHEDOP_poll, BAD_PTR_UNMAPPED));
}

TEST(sched_op, unknown_cmd)
{
	CHECK_RC("cmd 8", -XEN_ENOSYS, HYPERVISOR_sched_op(8, NULL));
	CHECK_RC("cmd 100", -XEN_ENOSYS, HYPERVISOR_sched_op(100, NULL));
	CHECK_RC("cmd -1", -XEN_ENOSYS, HYPERVISOR_sched_op(-1, NULL));
}
