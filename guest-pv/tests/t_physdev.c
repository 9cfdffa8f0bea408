/* physdev_op (#33): the calls every PV domain may make. */
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/physdev.h>

TEST(physdev_op, set_iopl)
{
	struct physdev_set_iopl s = { .iopl = 1 };

	/* Linux sets IOPL 1 at boot; any domain may. */
	CHECK_RC("set_iopl(1)", 0, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &s));
	s.iopl = 0;
	CHECK_RC("set_iopl(0)", 0, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &s));
	s.iopl = 4;
	CHECK_RC("set_iopl(4)", -XEN_EINVAL, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &s));
	CHECK_RC("set_iopl from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, BAD_PTR_UNMAPPED));
}

TEST(physdev_op, unknown_cmd)
{
	char buf[64] = { 0 };

	CHECK_RC("cmd 99", -XEN_ENOSYS, HYPERVISOR_physdev_op(99, buf));
}
