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
#include <hv/sched.h>
#include <public/callback.h>
#include <asm/desc.h>
#include <asm/processor.h>
#include <asm/pv.h>


long do_set_trap_table(uint64_t traps)
{
	struct vcpu *v = current;
	struct trap_info t;

	if (!traps) {
		memset(v->traps, 0, sizeof(v->traps));
		return 0;
	}
	/*
	 * Entries up to the one whose address is 0; a bad entry stops the copy.
	 * Nothing bounds the list (its pages may all be one frame), so when the
	 * slice is up the call continues after the entries taken, as on Xen.
	 * The clock costs about what an entry does: it is read every 64.
	 */
	for (uint64_t i = 0;; i++) {
		if (copy_from_guest(&t, traps + i * sizeof(t), sizeof(t)))
			return -EFAULT;
		if (!t.address)
			return 0;
		if (!is_canonical(t.address))
			return -EINVAL;
		v->traps[t.vector] = t;
		if (!((i + 1) % 64) && hypercall_preempt_check())
			return hypercall_continuation(__HYPERVISOR_set_trap_table,
						      traps + (i + 1) * sizeof(t), 0, 0, 0, 0);
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
		/*
		 * Load the user %gs selector; the shadow base swaps in around
		 * it. One that does not load leaves %gs null, as on Xen.
		 */
		uint16_t sel = (uint16_t)base;

		if (sel != 0 && (sel & 3) != 3)
			sel = 0;
		asm volatile("swapgs" : : : "memory");
		load_selector_or_null("gs", sel);
		asm volatile("swapgs" : : : "memory");
		return 0;
	}
	default:
		return -EINVAL;
	}
}

/*
 * Debug registers (#8, #9). Breakpoints may only watch guest addresses
 * (-EPERM otherwise, as Xen); general detect and I/O breakpoints are
 * refused; DR4/5 alias DR6/7. The values go into the CPU at once and at
 * every switch to this vCPU.
 */
#define DR6_DEFAULT 0xffff0ff0UL
#define DR7_DEFAULT 0x400UL
#define DR7_GD (1UL << 13)
#define DR7_RESERVED (0xffffffff00000000UL | (3UL << 11) | (3UL << 14))

static bool dr7_ok(uint64_t v)
{
	if (v & (DR7_RESERVED | DR7_GD))
		return false;
	for (unsigned int i = 0; i < 4; i++)
		if (((v >> (16 + 4 * i)) & 3) == 2 && (v & (3UL << (2 * i))))
			return false;		/* I/O breakpoints need CR4.DE */
	return true;
}

void load_debug_registers(const struct vcpu *v)
{
	asm volatile("mov %0, %%db0" : : "r"(v->dr[0]));
	asm volatile("mov %0, %%db1" : : "r"(v->dr[1]));
	asm volatile("mov %0, %%db2" : : "r"(v->dr[2]));
	asm volatile("mov %0, %%db3" : : "r"(v->dr[3]));
	asm volatile("mov %0, %%db6" : : "r"(v->dr[6] ? v->dr[6] : DR6_DEFAULT));
	asm volatile("mov %0, %%db7" : : "r"(v->dr[7] ? v->dr[7] : DR7_DEFAULT));
}

long do_set_debugreg(unsigned int reg, uint64_t value)
{
	struct vcpu *v = current;

	switch (reg) {
	case 0: case 1: case 2: case 3:
		if (!is_canonical(value) || !guest_range_ok(value, sizeof(uint64_t)))
			return -EPERM;
		v->dr[reg] = value;
		break;
	case 4: case 6:
		v->dr[6] = (value & 0xe00fUL) | DR6_DEFAULT;
		break;
	case 5: case 7:
		if (!dr7_ok(value))
			return -EPERM;
		v->dr[7] = value | DR7_DEFAULT;
		break;
	default:
		return -ENODEV;
	}
	load_debug_registers(v);
	return 0;
}

long do_get_debugreg(unsigned int reg)
{
	const struct vcpu *v = current;

	switch (reg) {
	case 0: case 1: case 2: case 3:
		return (long)v->dr[reg];
	case 4: case 6:
		return (long)(v->dr[6] ? v->dr[6] : DR6_DEFAULT);
	case 5: case 7:
		return (long)(v->dr[7] ? v->dr[7] : DR7_DEFAULT);
	default:
		return -ENODEV;
	}
}
