/*
 * physdev_op (#33). For now the one every PV kernel calls: set_iopl, the
 * virtual I/O privilege level that decides whether emulated port I/O is
 * allowed from guest kernel mode. Device ops for dom0 come with dom0.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <public/physdev.h>

long do_physdev_op(unsigned int cmd, uint64_t arg)
{
	switch (cmd) {
	case PHYSDEVOP_set_iopl: {
		struct physdev_set_iopl s;

		if (copy_from_guest(&s, arg, sizeof(s)))
			return -EFAULT;
		if (s.iopl > 3)
			return -EINVAL;
		current->iopl = s.iopl;
		return 0;
	}
	default:
		return -ENOSYS;
	}
}
