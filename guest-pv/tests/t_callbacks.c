/* callback_op (#30) and the older set_callbacks (#4). */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <guest/xenctl.h>
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

#define DESC_DATA_DPL3 0x00cff2000000ffffUL
#define LDT_SEL        0x0f                     /* LDT entry 1, RPL 3 */

static uint16_t read_es(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%es, %0" : "=r"(s));
	return s;
}

/* Xen 4.17's XEN_SYSCTL_cpu_hotplug (sysctl.h, interface version 0x15). */
#define XEN417_SYSCTL_cpu_hotplug       11
#define XEN417_SYSCTL_CPU_HOTPLUG_OFFLINE 1

struct xen417_sysctl_hotplug {
	uint32_t cmd;
	uint32_t interface_version;
	uint32_t cpu;
	uint32_t op;
	uint8_t pad[120];
};

/*
 * The failsafe callback: when the hypervisor resumes a vCPU and one of
 * its data selectors no longer loads, it nulls that selector and enters
 * the failsafe callback with rcx, r11, ds, es, fs, gs and an iret frame
 * to where the vCPU was going. Xen reloads the selectors only when it
 * switches the vCPU back in after another vCPU's state was loaded on the
 * pCPU. dom0 alone gets that from a hypercall Xen finishes in a tasklet:
 * XEN_SYSCTL_cpu_hotplug (take CPU 0 offline: refused, -EINVAL) runs on
 * CPU 0's idle vCPU, which first saves dom0's state. So: %es from an LDT,
 * the LDT dropped (the loaded %es stays usable), that sysctl, and the
 * failsafe callback comes on its way back.
 *
 * Xen only: hv has no such hypercall and never reloads a guest's data
 * selectors (it does not switch them between vCPUs), so it has no
 * failsafe path yet. This pins what Xen does.
 */
TEST(callback_op, failsafe_on_bad_selector)
{
	struct xen417_sysctl_hotplug op = {
		.cmd = XEN417_SYSCTL_cpu_hotplug, .interface_version = XEN417_SYSCTL_VERSION,
		.cpu = 0, .op = XEN417_SYSCTL_CPU_HOTPLUG_OFFLINE,
	};
	uint64_t ldt;
	volatile uint64_t *v;
	long rc;

	ONLY_ON("xen", "hv never reloads data selectors, so never calls the failsafe callback");
	if (!is_initial_domain())
		SKIP("sysctl is dom0's");
	ldt = frame_alloc();
	if (!ldt || frame_map_rw(ldt))
		SKIP("frame pool empty");
	v = frame_home(ldt);
	v[0] = 0;
	v[1] = DESC_DATA_DPL3;
	CHECK_RC("unmap the LDT frame", 0, frame_unmap(ldt));
	CHECK_RC("map the LDT frame read-only", 0, frame_map_ro(ldt));
	CHECK_RC("failsafe", 0, reg(CALLBACKTYPE_failsafe, (uint64_t)failsafe_callback_entry,
				    CALLBACKF_mask_events));
	CHECK_RC("SET_LDT(2 entries)", 0, mmuext(MMUEXT_SET_LDT, (uint64_t)frame_home(ldt), 2));
	CHECK(probe_load_es(LDT_SEL), "loading %%es from the LDT faulted");
	CHECK_RC("drop the LDT", 0, mmuext(MMUEXT_SET_LDT, 0, 0));
	CHECK_EQ("%es still loaded", LDT_SEL, read_es());

	memset((void *)failsafe_selectors, 0xff, sizeof(failsafe_selectors));
	trap_record_reset();
	trap_expect(VEC_FAILSAFE);
	rc = HCALL(__HYPERVISOR_sysctl, &op, 0, 0, 0, 0);
	trap_expect_none();
	CHECK_RC("sysctl cpu_hotplug(offline CPU 0)", -XEN_EINVAL, rc);
	CHECK_EQ("failsafe callbacks", 1, last_trap.count);
	CHECK_EQ("vector", VEC_FAILSAFE, last_trap.vector);
	/* It resumes where the hypervisor was returning to: the sysctl stub. */
	CHECK(last_trap.rip > (uint64_t)hypercall_page + __HYPERVISOR_sysctl * 32 &&
	      last_trap.rip < (uint64_t)hypercall_page + (__HYPERVISOR_sysctl + 1) * 32,
	      "failsafe frame rip %#lx is not in the sysctl stub", last_trap.rip);
	CHECK_EQ("frame's %es", LDT_SEL, failsafe_selectors[1] & 0xffff);
	CHECK_EQ("%es after the failsafe callback", 0, read_es());
	CHECK(frame_free(ldt), "the LDT frame stayed typed");
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
