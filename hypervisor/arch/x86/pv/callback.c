/*
 * Per-vCPU registrations of a PV guest (pv-abi.md §6.7): its virtual trap
 * table, event/failsafe/syscall callbacks, kernel stack, segment bases and
 * virtual CR0.TS. Every address is checked canonical before it is kept, so
 * nothing stored here can later make hv's own iretq fault.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <public/callback.h>
#include <asm/processor.h>


long do_set_trap_table(uint64_t traps)
{
	struct vcpu *v = current;
	struct trap_info t;

	if (!traps) {
		memset(v->traps, 0, sizeof(v->traps));
		return 0;
	}
	/* Entries up to the one whose address is 0; a bad entry stops the copy. */
	for (unsigned int i = 0;; i++) {
		if (copy_from_guest(&t, traps + i * sizeof(t), sizeof(t)))
			return -EFAULT;
		if (!t.address)
			return 0;
		if (!is_canonical(t.address))
			return -EINVAL;
		v->traps[t.vector] = t;
	}
}

static struct pv_callback *callback_slot(struct vcpu *v, unsigned int type)
{
	switch (type) {
	case CALLBACKTYPE_event: return &v->event_cb;
	case CALLBACKTYPE_failsafe: return &v->failsafe_cb;
	case CALLBACKTYPE_syscall: return &v->syscall_cb;
	case CALLBACKTYPE_syscall32: return &v->syscall32_cb;
	case CALLBACKTYPE_sysenter: return &v->sysenter_cb;
	case CALLBACKTYPE_nmi: return &v->nmi_cb;
	default: return NULL;
	}
}

static long register_callback(const struct callback_register *cb)
{
	struct pv_callback *slot;

	/* Xen checks the address before the type. */
	if (!is_canonical(cb->address))
		return -EINVAL;
	slot = callback_slot(current, cb->type);
	if (!slot)
		return -ENOSYS;
	slot->address = cb->address;
	slot->mask_events = cb->flags & CALLBACKF_mask_events;
	return 0;
}

long do_callback_op(unsigned int cmd, uint64_t arg)
{
	switch (cmd) {
	case CALLBACKOP_register: {
		struct callback_register cb;

		if (copy_from_guest(&cb, arg, sizeof(cb)))
			return -EFAULT;
		return register_callback(&cb);
	}
	case CALLBACKOP_unregister: {
		struct callback_unregister cb;

		if (copy_from_guest(&cb, arg, sizeof(cb)))
			return -EFAULT;
		if (cb.type == CALLBACKTYPE_nmi) {
			current->nmi_cb.address = 0;
			return 0;
		}
		/* The other callbacks cannot be withdrawn, only replaced. */
		return callback_slot(current, cb.type) ? -EINVAL : -ENOSYS;
	}
	default:
		return -ENOSYS;
	}
}

/* The old three-in-one form: like Xen, it never fails, and keeps only canonical addresses. */
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall)
{
	struct vcpu *v = current;

	if (is_canonical(event))
		v->event_cb.address = event;
	if (is_canonical(failsafe))
		v->failsafe_cb.address = failsafe;
	if (is_canonical(syscall))
		v->syscall_cb.address = syscall;
	return 0;
}

long do_stack_switch(uint64_t ss, uint64_t sp)
{
	current->kernel_ss = ss;
	current->kernel_sp = sp;
	return 0;
}

long do_fpu_taskswitch(int set)
{
	current->fpu_ts = set != 0;
	write_cr0(set ? read_cr0() | X86_CR0_TS : read_cr0() & ~(uint64_t)X86_CR0_TS);
	return 0;
}

long do_set_segment_base(unsigned int which, uint64_t base)
{
	struct vcpu *v = current;

	switch (which) {
	case SEGBASE_FS:
		if (!is_canonical(base))
			return -EINVAL;
		wrmsr(MSR_FS_BASE, base);
		v->fs_base = base;
		return 0;
	case SEGBASE_GS_USER:
		if (!is_canonical(base))
			return -EINVAL;
		/* In guest kernel mode the user GS base is the inactive (shadow) one. */
		wrmsr(MSR_KERNEL_GS_BASE, base);
		v->gs_base_user = base;
		return 0;
	case SEGBASE_GS_KERNEL:
		if (!is_canonical(base))
			return -EINVAL;
		wrmsr(MSR_GS_BASE, base);
		v->gs_base_kernel = base;
		return 0;
	case SEGBASE_GS_USER_SEL: {
		/* Load the user %gs selector; the shadow base swaps in around it. */
		uint16_t sel = (uint16_t)base;

		if (sel != 0 && (sel & 3) != 3)
			sel = 0;
		asm volatile("swapgs\n\t"
			     "1: mov %w0, %%gs\n\t"
			     "2: swapgs\n\t"
			     ".section .ex_table, \"a\"\n\t"
			     ".balign 8\n\t"
			     ".quad 1b, 2b\n\t"
			     ".previous"
			     : : "r"(sel));
		return 0;
	}
	default:
		return -EINVAL;
	}
}
