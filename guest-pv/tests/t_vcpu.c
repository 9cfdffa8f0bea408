/*
 * vcpu_op (#24): the calls Linux makes for every vCPU. register_vcpu_info
 * runs last: it moves vcpu_info for good.
 */
#include <guest/arch.h>
#include <guest/events.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/vcpu.h>

static struct vcpu_runstate_info runstate __aligned(64);
static uint8_t vcpu_info_page[PAGE_SIZE] __aligned(PAGE_SIZE);

static uint64_t virt_to_mfn(const void *va)
{
	return p2m[((uint64_t)va - VIRT_BASE) >> PAGE_SHIFT];
}

TEST(vcpu_op, is_up)
{
	CHECK_RC("is_up(0)", 1, HYPERVISOR_vcpu_op(VCPUOP_is_up, 0, NULL));
	/* One vCPU: dom0_max_vcpus=1 on Xen, one vCPU on hv. */
	CHECK_RC("is_up(1)", -XEN_ENOENT, HYPERVISOR_vcpu_op(VCPUOP_is_up, 1, NULL));
	CHECK_RC("is_up(4096)", -XEN_ENOENT, HYPERVISOR_vcpu_op(VCPUOP_is_up, 4096, NULL));
}

TEST(vcpu_op, runstate)
{
	struct vcpu_register_runstate_memory_area area = { .addr = (uint64_t)&runstate };
	struct vcpu_runstate_info info;
	uint64_t area_running;

	memset(&runstate, 0xff, sizeof(runstate));
	CHECK_RC("register_runstate_memory_area", 0,
		 HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area));
	/* Written at once. The area's times only grow at state changes (may be 0 here). */
	CHECK_EQ("state", RUNSTATE_running, runstate.state);
	CHECK(runstate.time[RUNSTATE_running] != ~0UL, "running time not written");
	CHECK(runstate.state_entry_time != ~0UL, "state_entry_time not written");
	/*
	 * get_runstate_info adds the time since the last state change. The
	 * area is read first: with other domains about, a switch after the
	 * call may update it beyond what the call returned.
	 */
	area_running = ((volatile struct vcpu_runstate_info *)&runstate)->time[RUNSTATE_running];
	CHECK_RC("get_runstate_info", 0, HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, &info));
	CHECK_EQ("get_runstate_info state", RUNSTATE_running, info.state);
	CHECK(info.time[RUNSTATE_running] > 0, "get_runstate_info: running time 0");
	CHECK(info.time[RUNSTATE_running] >= area_running, "running time went back");
	CHECK_RC("get_runstate_info to a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_vcpu_op(VCPUOP_get_runstate_info, 0, BAD_PTR_UNMAPPED));
	area.addr = (uint64_t)BAD_PTR_HV;
	CHECK_RC("register_runstate_memory_area(hypervisor)", -XEN_EFAULT,
		 HYPERVISOR_vcpu_op(VCPUOP_register_runstate_memory_area, 0, &area));
}

TEST(vcpu_op, timers)
{
	struct vcpu_set_periodic_timer p = { .period_ns = 10000000 };
	struct vcpu_set_singleshot_timer s = { .timeout_abs_ns = ~0UL >> 2 };

	CHECK_RC("stop_periodic_timer", 0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
	CHECK_RC("set_periodic_timer(10ms)", 0, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	p.period_ns = 999999;
	CHECK_RC("set_periodic_timer(<1ms)", -XEN_EINVAL, HYPERVISOR_vcpu_op(VCPUOP_set_periodic_timer, 0, &p));
	CHECK_RC("stop_periodic_timer again", 0, HYPERVISOR_vcpu_op(VCPUOP_stop_periodic_timer, 0, NULL));
	CHECK_RC("set_singleshot_timer(far future)", 0, HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, &s));
	CHECK_RC("stop_singleshot_timer", 0, HYPERVISOR_vcpu_op(VCPUOP_stop_singleshot_timer, 0, NULL));
	CHECK_RC("set_singleshot_timer from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_vcpu_op(VCPUOP_set_singleshot_timer, 0, BAD_PTR_UNMAPPED));
}

TEST(vcpu_op, invalid)
{
	static struct vcpu_guest_context ctx;

	CHECK_RC("unknown cmd 99", -XEN_ENOSYS, HYPERVISOR_vcpu_op(99, 0, NULL));
	CHECK_RC("initialise(0): already running", -XEN_EEXIST,
		 HYPERVISOR_vcpu_op(VCPUOP_initialise, 0, &ctx));
	CHECK_RC("up(1): no such vCPU", -XEN_ENOENT, HYPERVISOR_vcpu_op(VCPUOP_up, 1, NULL));
}

TEST(vcpu_op, register_vcpu_info)
{
	struct vcpu_register_vcpu_info info = {
		.mfn = virt_to_mfn(vcpu_info_page), .offset = 0x40,
	};
	struct vcpu_info *moved = (struct vcpu_info *)(vcpu_info_page + 0x40);

	if (!shared_info)
		SKIP("shared_info not mapped");
	/* Xen: an offset that would cross the page is -ENXIO. */
	info.offset = PAGE_SIZE - 32;
	CHECK_RC("vcpu_info crossing a page", -XEN_ENXIO,
		 HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info));
	info.offset = 0x44;
	CHECK_RC("misaligned vcpu_info", -XEN_ENXIO,
		 HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info));
	info.offset = 0x40;
	CHECK_RC("register_vcpu_info", 0, HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info));
	vcpu0 = moved;
	CHECK_EQ("moved upcall mask", 1, moved->evtchn_upcall_mask);
	CHECK(moved->time.tsc_to_system_mul != 0, "moved time info is empty");
	CHECK(!(moved->time.version & 1), "moved time version %u odd", moved->time.version);
	CHECK_RC("register_vcpu_info again", -XEN_EINVAL,
		 HYPERVISOR_vcpu_op(VCPUOP_register_vcpu_info, 0, &info));
	/* Events still arrive through the new location. */
	events_seen_reset();
	events_deliver();
	CHECK_EQ("upcall mask after delivery", 1, moved->evtchn_upcall_mask);
}
