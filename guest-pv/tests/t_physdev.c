/* physdev_op (#33): the calls every PV domain may make. */
#include <guest/arch.h>
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

/*
 * Port I/O from the guest kernel (pv-abi §7.3): without a virtual IOPL an
 * `in` faults (#GP, as on hardware); with IOPL 1 it is emulated, and a port
 * the hypervisor keeps for itself (its serial line's status register here)
 * reads as all-ones.
 */
TEST(port_io, iopl_gates_access)
{
	struct physdev_set_iopl s = { .iopl = 0 };
	uint32_t val = 0;

	CHECK_RC("set_iopl(0)", 0, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &s));
	trap_expect(13);
	__asm__ __volatile__("1: inb %%dx, %%al\n\t"
			     "2:\n\t"
			     EX_TABLE(1b, 2b)
			     : "+a"(val) : "d"(0x3fd) : "memory");
	CHECK_EQ("#GP deliveries for in without IOPL", 1, last_trap.count);
	CHECK_EQ("vector", 13, last_trap.vector);
	trap_expect_none();

	s.iopl = 1;
	CHECK_RC("set_iopl(1)", 0, HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &s));
	val = 0;
	__asm__ __volatile__("inb %%dx, %%al" : "+a"(val) : "d"(0x3fd) : "memory");
	CHECK_EQ("the hypervisor's UART status reads as all-ones", 0xff, val & 0xff);
	s.iopl = 0;
	HYPERVISOR_physdev_op(PHYSDEVOP_set_iopl, &s);
}
