/* callback_op (#30) and the older set_callbacks (#4). */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/mm.h>
#include <guest/test.h>
#include <public/sched.h>
#include <public/callback.h>
#include <public/errno.h>
#include "spinner.h"

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

static uint16_t read_ds(void)
{
	uint16_t s;

	__asm__ __volatile__("mov %%ds, %0" : "=r"(s));
	return s;
}

/*
 * The failsafe callback: when the hypervisor resumes a vCPU and one of
 * its data selectors no longer loads, it nulls that selector and enters
 * the failsafe callback with rcx, r11, ds, es, fs, gs and an iret frame
 * to where the vCPU was going (pv-abi.md 6.5). Selectors are reloaded
 * when the vCPU is switched back in after another vCPU ran on the pCPU,
 * so dom0 builds a second domain that only spins (spinner.h) and yields
 * to it: %es from an LDT, the LDT dropped (the loaded %es stays usable),
 * the spinner let run, and the failsafe callback comes on dom0's way
 * back, at a hypercall's return (the unpause or a yield).
 */
TEST(callback_op, failsafe_on_bad_selector)
{
	char why[200];
	uint64_t ldt, deadline;
	volatile uint64_t *v;
	uint16_t ds = read_ds();
	domid_t spinner;

	if (!is_initial_domain())
		SKIP("the control interface is dom0's");
	ldt = frame_alloc();
	if (!ldt || frame_map_rw(ldt))
		SKIP("frame pool empty");
	spinner = spinner_build(why, sizeof(why));
	CHECK(spinner, "no domain to switch to: %s", why);
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
	if (spinner) {
		CHECK_RC("start the spinner", 0, spinner_start(spinner));
		deadline = now_ns() + 2000000000UL;
		while (!last_trap.count && now_ns() < deadline)
			HYPERVISOR_sched_op(SCHEDOP_yield, NULL);
	}
	trap_expect_none();
	CHECK_EQ("failsafe callbacks", 1, last_trap.count);
	CHECK_EQ("vector", VEC_FAILSAFE, last_trap.vector);
	/* It resumes where the hypervisor was returning to: a hypercall's return. */
	CHECK(last_trap.rip > (uint64_t)hypercall_page &&
	      last_trap.rip < (uint64_t)hypercall_page + PAGE_SIZE,
	      "failsafe frame rip %#lx is not in the hypercall page", last_trap.rip);
	CHECK_EQ("frame's %es", LDT_SEL, failsafe_selectors[1] & 0xffff);
	CHECK_EQ("frame's %ds", ds, failsafe_selectors[0] & 0xffff);
	CHECK_EQ("%es after the failsafe callback", 0, read_es());
	CHECK_EQ("%ds after the failsafe callback", ds, read_ds());
	if (spinner)
		CHECK_RC("destroy the spinner", 0, spinner_destroy(spinner));
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
