/* callback_op (#30) and the older set_callbacks (#4). */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/callback.h>
#include <public/errno.h>

extern char event_callback_entry[], failsafe_callback_entry[], syscall_callback_entry[];

#define NONCANON 0x0000800000000000UL

static long reg(unsigned int type, uint64_t address, unsigned int flags)
{
	struct callback_register r = {
		.type = (uint16_t)type, .flags = (uint16_t)flags, .address = address,
	};

	return HYPERVISOR_callback_op(CALLBACKOP_register, &r);
}

static long unreg(unsigned int type)
{
	struct callback_unregister u = { .type = (uint16_t)type };

	return HYPERVISOR_callback_op(CALLBACKOP_unregister, &u);
}

TEST(callback_op, register_each_type)
{
	CHECK_RC("event", 0, reg(CALLBACKTYPE_event, (uint64_t)event_callback_entry, 0));
	CHECK_RC("failsafe", 0, reg(CALLBACKTYPE_failsafe, (uint64_t)failsafe_callback_entry,
				    CALLBACKF_mask_events));
	CHECK_RC("syscall", 0, reg(CALLBACKTYPE_syscall, (uint64_t)syscall_callback_entry,
				   CALLBACKF_mask_events));
	/* 32-bit entry points must register even where the CPU lacks them. */
	CHECK_RC("syscall32", 0, reg(CALLBACKTYPE_syscall32, (uint64_t)syscall_callback_entry, 0));
	CHECK_RC("sysenter", 0, reg(CALLBACKTYPE_sysenter, (uint64_t)syscall_callback_entry, 0));
	CHECK_RC("nmi", 0, reg(CALLBACKTYPE_nmi, (uint64_t)event_callback_entry, 0));
	CHECK_RC("unregister nmi", 0, unreg(CALLBACKTYPE_nmi));
}

TEST(callback_op, noncanonical)
{
	CHECK_RC("event", -XEN_EINVAL, reg(CALLBACKTYPE_event, NONCANON, 0));
	CHECK_RC("failsafe", -XEN_EINVAL, reg(CALLBACKTYPE_failsafe, NONCANON, 0));
	CHECK_RC("syscall", -XEN_EINVAL, reg(CALLBACKTYPE_syscall, NONCANON, 0));
	CHECK_RC("nmi", -XEN_EINVAL, reg(CALLBACKTYPE_nmi, NONCANON, 0));
	/* The address is checked before the type. */
	CHECK_RC("unknown type 6, non-canonical", -XEN_EINVAL, reg(6, NONCANON, 0));
}

TEST(callback_op, unknown_type)
{
	uint64_t ok = (uint64_t)event_callback_entry;

	/* 3 is the 32-bit-only deprecated sysenter alias: unknown to 64-bit guests. */
	CHECK_RC("type 3", -XEN_ENOSYS, reg(CALLBACKTYPE_sysenter_deprecated, ok, 0));
	CHECK_RC("type 6", -XEN_ENOSYS, reg(6, ok, 0));
	CHECK_RC("type 8", -XEN_ENOSYS, reg(8, ok, 0));
	CHECK_RC("type 0xffff", -XEN_ENOSYS, reg(0xffff, ok, 0));
}

TEST(callback_op, unregister)
{
	/* Only the NMI callback can be unregistered. */
	CHECK_RC("unregister event", -XEN_EINVAL, unreg(CALLBACKTYPE_event));
	CHECK_RC("unregister failsafe", -XEN_EINVAL, unreg(CALLBACKTYPE_failsafe));
	CHECK_RC("unregister syscall", -XEN_EINVAL, unreg(CALLBACKTYPE_syscall));
	CHECK_RC("unregister syscall32", -XEN_EINVAL, unreg(CALLBACKTYPE_syscall32));
	CHECK_RC("unregister sysenter", -XEN_EINVAL, unreg(CALLBACKTYPE_sysenter));
	CHECK_RC("unregister nmi", 0, unreg(CALLBACKTYPE_nmi));
	CHECK_RC("unregister type 6", -XEN_ENOSYS, unreg(6));
}

TEST(callback_op, bad_cmd_and_pointer)
{
	struct callback_register r = { .type = CALLBACKTYPE_event, .address = (uint64_t)event_callback_entry };

	CHECK_RC("cmd 2", -XEN_ENOSYS, HYPERVISOR_callback_op(2, &r));
	CHECK_RC("cmd -1", -XEN_ENOSYS, HYPERVISOR_callback_op(-1, &r));
	CHECK_RC("register from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_callback_op(CALLBACKOP_register, BAD_PTR_UNMAPPED));
	CHECK_RC("unregister from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_callback_op(CALLBACKOP_unregister, BAD_PTR_HV));
}

TEST(set_callbacks, register_three)
{
	CHECK_RC("set_callbacks", 0,
		 HYPERVISOR_set_callbacks((unsigned long)event_callback_entry,
					  (unsigned long)failsafe_callback_entry,
					  (unsigned long)syscall_callback_entry));
	/* Xen ignores the individual results: always 0, bad addresses are not stored. */
	CHECK_RC("set_callbacks(non-canonical)", 0,
		 HYPERVISOR_set_callbacks(NONCANON, NONCANON, NONCANON));
}
