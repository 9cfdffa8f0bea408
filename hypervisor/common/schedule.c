/*
 * sched_op (#29). hv runs one vCPU for now, so yield returns at once and
 * block sleeps the pCPU until the vCPU has an event to take (a timer or
 * another interrupt wakes it). Shutdown records the reason and stops the
 * domain (for dom0: the machine, as on Xen).
 */
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <public/sched.h>
#include <asm/processor.h>


long do_sched_op(unsigned int cmd, uint64_t arg)
{
	struct domain *d = current->domain;

	switch (cmd) {
	case SCHEDOP_yield:
		return 0;
	case SCHEDOP_block:
		vcpu_block(current);
		return 0;
	case SCHEDOP_shutdown: {
		struct sched_shutdown s;

		if (copy_from_guest(&s, arg, sizeof(s)))
			return -EFAULT;
		if (s.reason > SHUTDOWN_MAX)
			return -EINVAL;
		domain_shutdown(d, s.reason);
	}
	case SCHEDOP_shutdown_code: {
		struct sched_shutdown s;

		if (copy_from_guest(&s, arg, sizeof(s)))
			return -EFAULT;
		if (s.reason > SHUTDOWN_MAX)
			return -EINVAL;
		d->shutdown_code = s.reason;
		return 0;
	}
	case SCHEDOP_poll: {
		struct sched_poll p;

		if (copy_from_guest(&p, arg, sizeof(p)))
			return -EFAULT;
		return -ENOSYS;		/* needs event channels */
	}
	case SCHEDOP_remote_shutdown:
	case SCHEDOP_watchdog:
	case SCHEDOP_pin_override:
		return d->privileged ? -ENOSYS : -EPERM;
	default:
		return -ENOSYS;
	}
}
