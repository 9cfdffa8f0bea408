/*
 * multicall (#13): run a batch of hypercalls, storing each one's result in
 * its entry. The call itself fails only when the list cannot be read or
 * written; an iret entry ends the batch, and a nested multicall is refused.
 * A long batch stops when the vCPU's slice is up and continues with the
 * rest, even inside an entry that itself continues.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/sched.h>
#include <public/xen.h>

long do_multicall(uint64_t list, unsigned int nr)
{
	for (unsigned int i = 0; i < nr; i++) {
		if (i && hypercall_preempt_check())
			return hypercall_continuation(__HYPERVISOR_multicall,
						      list + (uint64_t)i * sizeof(struct multicall_entry),
						      nr - i, 0, 0, 0);
		uint64_t at = list + (uint64_t)i * sizeof(struct multicall_entry);
		struct multicall_entry e;
		long rc;

		if (copy_from_guest(&e, at, sizeof(e)))
			return -EFAULT;
		if (e.op == __HYPERVISOR_iret)
			break;
		if (e.op == __HYPERVISOR_multicall)
			rc = -EINVAL;
		else {
			current->in_multicall = true;
			current->mc_continued = false;
			rc = hypercall_dispatch(e.op, e.args);
			current->in_multicall = false;
			/*
			 * The entry stopped part-way (a long console write, say): it
			 * gets its new arguments and the batch resumes at it.
			 */
			if (current->mc_continued) {
				if (copy_to_guest(at + offsetof(struct multicall_entry, args),
						  current->mc_args, sizeof(current->mc_args)))
					return -EFAULT;
				return hypercall_continuation(__HYPERVISOR_multicall, at, nr - i, 0, 0, 0);
			}
		}
		e.result = (uint64_t)rc;
		if (copy_to_guest(at + offsetof(struct multicall_entry, result), &e.result,
				  sizeof(e.result)))
			return -EFAULT;
	}
	return 0;
}
