/* memory_op (#12): reservations, memory maps, the M2P location. */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/memory.h>

TEST(memory_op, current_reservation)
{
	domid_t self = DOMID_SELF;
	long n = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);

	CHECK(n > 0, "current_reservation returned %s", rc_str(n));
	/* The builder's pages, plus what it kept for itself (e.g. shared_info is not ours). */
	CHECK(n >= (long)start_info->nr_pages, "current %ld < nr_pages %lu", n, start_info->nr_pages);
	printf("  (current_reservation %ld, nr_pages %lu)\n", n, start_info->nr_pages);
}

TEST(memory_op, maximum_reservation)
{
	domid_t self = DOMID_SELF;
	long cur = HYPERVISOR_memory_op(XENMEM_current_reservation, &self);
	long max = HYPERVISOR_memory_op(XENMEM_maximum_reservation, &self);

	CHECK(max >= cur, "maximum %s < current %ld", rc_str(max), cur);
}

TEST(memory_op, reservation_bad_pointer)
{
	CHECK_RC("current from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_memory_op(XENMEM_current_reservation, BAD_PTR_UNMAPPED));
	CHECK_RC("maximum from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_memory_op(XENMEM_maximum_reservation, BAD_PTR_HV));
}

TEST(memory_op, reservation_bad_domain)
{
	domid_t d = 0x7ff4;     /* DOMID_INVALID */

	CHECK_RC("current of DOMID_INVALID", -XEN_ESRCH,
		 HYPERVISOR_memory_op(XENMEM_current_reservation, &d));
}

TEST(memory_op, machphys_mapping)
{
	struct xen_machphys_mapping m = { 0 };

	CHECK_RC("machphys_mapping", 0, HYPERVISOR_memory_op(XENMEM_machphys_mapping, &m));
	CHECK_EQ("v_start", MACH2PHYS_VIRT_START, m.v_start);
	CHECK_EQ("v_end", MACH2PHYS_VIRT_END, m.v_end);
	for (uint64_t pfn = 0; pfn < start_info->nr_pages; pfn++)
		if (p2m[pfn] > m.max_mfn) {
			test_fail("max_mfn %#lx below our mfn %#lx", m.max_mfn, p2m[pfn]);
			break;
		}
	if (!is_initial_domain())
		CHECK_EQ("domU max_mfn", (1UL << 35) - 1, m.max_mfn);
	CHECK_RC("machphys_mapping to a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_memory_op(XENMEM_machphys_mapping, BAD_PTR_UNMAPPED));
}

static struct xen_e820_entry e820[64];

TEST(memory_op, memory_map)
{
	struct xen_memory_map map = { .nr_entries = ARRAY_SIZE(e820), .buffer = (uint64_t)e820 };
	long rc = HYPERVISOR_memory_op(XENMEM_memory_map, &map);

	/* -ENOSYS means "no map set": guests then assume one RAM range. */
	if (rc == -XEN_ENOSYS) {
		printf("  (memory_map: -ENOSYS, no pseudo-physical map set)\n");
		return;
	}
	CHECK_RC("memory_map", 0, rc);
	CHECK(map.nr_entries >= 1 && map.nr_entries <= ARRAY_SIZE(e820), "nr_entries %u", map.nr_entries);
	CHECK_EQ("first entry type", XEN_E820_RAM, e820[0].type);
}

TEST(memory_op, memory_map_bad_pointer)
{
	CHECK_RC("memory_map from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_memory_op(XENMEM_memory_map, BAD_PTR_UNMAPPED));
}

TEST(memory_op, machine_memory_map)
{
	struct xen_memory_map map = { .nr_entries = 0, .buffer = 0 };
	unsigned int ram = 0;

	if (!is_initial_domain()) {
		map.nr_entries = ARRAY_SIZE(e820);
		map.buffer = (uint64_t)e820;
		CHECK_RC("machine_memory_map as a domU", -XEN_EPERM,
			 HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map));
		return;
	}
	/* A NULL buffer asks for the count. */
	CHECK_RC("machine_memory_map(count)", 0, HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map));
	CHECK(map.nr_entries > 0 && map.nr_entries < ARRAY_SIZE(e820), "count %u", map.nr_entries);
	map.nr_entries = ARRAY_SIZE(e820);
	map.buffer = (uint64_t)e820;
	CHECK_RC("machine_memory_map", 0, HYPERVISOR_memory_op(XENMEM_machine_memory_map, &map));
	for (unsigned int i = 0; i < map.nr_entries && i < ARRAY_SIZE(e820); i++)
		ram += e820[i].type == XEN_E820_RAM;
	CHECK(ram > 0, "no RAM in the host map of %u entries", map.nr_entries);
}

TEST(memory_op, unknown_cmd)
{
	char buf[64] = { 0 };

	CHECK_RC("cmd 8 (retired)", -XEN_ENOSYS, HYPERVISOR_memory_op(8, buf));
	CHECK_RC("cmd 63", -XEN_ENOSYS, HYPERVISOR_memory_op(63, buf));
}
