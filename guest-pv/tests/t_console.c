/* console_io (#18): write, read, bad pointers, unknown sub-ops. */
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>

TEST(console_io, write)
{
	static const char msg[] = "  (console_io write test line)\n";

	/* Xen returns 0, not the count. */
	CHECK_RC("write", 0, HYPERVISOR_console_io(CONSOLEIO_write, sizeof(msg) - 1, msg));
	CHECK_RC("write of 0 bytes", 0, HYPERVISOR_console_io(CONSOLEIO_write, 0, msg));
	CHECK_RC("write of 0 bytes from NULL", 0, HYPERVISOR_console_io(CONSOLEIO_write, 0, NULL));
}

TEST(console_io, write_bad_pointer)
{
	CHECK_RC("write from an unmapped buffer", -XEN_EFAULT,
		 HYPERVISOR_console_io(CONSOLEIO_write, 8, BAD_PTR_UNMAPPED));
	CHECK_RC("write from the hypervisor", -XEN_EFAULT,
		 HYPERVISOR_console_io(CONSOLEIO_write, 8, BAD_PTR_HV));
	CHECK_RC("write from a non-canonical address", -XEN_EFAULT,
		 HYPERVISOR_console_io(CONSOLEIO_write, 8, BAD_PTR_NONCANON));
}

TEST(console_io, read)
{
	char buf[16];
	long n;

	if (!is_initial_domain())
		SKIP("console input belongs to the initial domain");
	/* Nothing is typed during the run: 0 bytes (never more than asked). */
	n = HYPERVISOR_console_io(CONSOLEIO_read, sizeof(buf), buf);
	CHECK(n >= 0 && n <= (long)sizeof(buf), "read returned %s", rc_str(n));
	CHECK_RC("read of 0 bytes", 0, HYPERVISOR_console_io(CONSOLEIO_read, 0, buf));
}

TEST(console_io, read_count_too_big)
{
	char buf[16];

	if (!is_initial_domain())
		SKIP("console input belongs to the initial domain");
	/* The count must fit the (positive) return value. */
	CHECK_RC("read of 2^31 bytes", -XEN_E2BIG, HYPERVISOR_console_io(CONSOLEIO_read, 0x80000000U, buf));
}

TEST(console_io, unknown_subop)
{
	char buf[8] = "x";

	CHECK_RC("sub-op 2", -XEN_ENOSYS, HYPERVISOR_console_io(2, 1, buf));
	CHECK_RC("sub-op 0xffff", -XEN_ENOSYS, HYPERVISOR_console_io(0xffff, 1, buf));
}
