/*
 * memory_op (#12): what a guest may learn about memory; the changes it may
 * make to its own are in reservation.c. Other domains' figures are for the
 * privileged domain only.
 */
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/m2p.h>
#include <hv/mm.h>
#include <hv/multiboot2.h>
#include <public/memory.h>

static const struct boot_info *host_boot_info;

void memory_op_init(const struct boot_info *bi)
{
	host_boot_info = bi;
}

/* The domain an argument names: the caller, or (privileged) any, dying or not. */
static long target_domain(uint64_t arg, struct domain **out)
{
	domid_t id;

	if (copy_from_guest(&id, arg, sizeof(id)))
		return -EFAULT;
	return domain_lookup_target(id, DOMAIN_LOOKUP_DYING, out);
}

/* The host's E820, from the boot loader's memory map (dom0 only). */
static long machine_memory_map(uint64_t arg)
{
	const struct boot_info *bi = host_boot_info;
	struct xen_memory_map map;
	unsigned int n;

	if (!current->domain->privileged)
		return -EPERM;
	if (copy_from_guest(&map, arg, sizeof(map)))
		return -EFAULT;
	if (!map.buffer) {
		map.nr_entries = bi->nr_regions;
		return copy_to_guest(arg, &map, sizeof(map));
	}
	n = MIN(map.nr_entries, bi->nr_regions);
	for (unsigned int i = 0; i < n; i++) {
		struct xen_e820_entry e = {
			.addr = bi->regions[i].start,
			.size = bi->regions[i].end - bi->regions[i].start,
			.type = bi->regions[i].type,
		};

		if (copy_to_guest(map.buffer + i * sizeof(e), &e, sizeof(e)))
			return -EFAULT;
	}
	map.nr_entries = n;
	return copy_to_guest(arg, &map, sizeof(map));
}

/*
 * The caller's pseudo-physical E820. As on Xen, a PV dom0 has none (it
 * reads the machine map: -ENOSYS); other domains see one RAM range over
 * their pages, as Xen's toolstack sets for a PV guest. Like Xen, the
 * caller gets min(its buffer's size, the map's) entries.
 */
static long memory_map(uint64_t arg)
{
	struct domain *d = current->domain;
	struct xen_e820_entry e = { .addr = 0, .type = XEN_E820_RAM };
	struct xen_memory_map map;

	if (copy_from_guest(&map, arg, sizeof(map)))
		return -EFAULT;
	if (d->initial)
		return -ENOSYS;
	if (d->nr_e820) {
		/* The one the toolstack set (HV_DOMCTL_set_memory_map). */
		map.nr_entries = MIN(map.nr_entries, d->nr_e820);
		if (map.nr_entries &&
		    copy_to_guest(map.buffer, d->e820, map.nr_entries * sizeof(d->e820[0])))
			return -EFAULT;
		return copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
	}
	e.size = d->max_pages << PAGE_SHIFT;
	map.nr_entries = MIN(map.nr_entries, 1u);
	if (map.nr_entries && copy_to_guest(map.buffer, &e, sizeof(e)))
		return -EFAULT;
	return copy_to_guest(arg, &map, sizeof(map)) ? -EFAULT : 0;
}

long do_memory_op(uint64_t cmd_arg, uint64_t arg)
{
	unsigned int cmd = cmd_arg & MEMOP_CMD_MASK;
	uint64_t start = cmd_arg >> MEMOP_EXTENT_SHIFT;
	struct domain *d;
	long rc;

	switch (cmd) {
	case XENMEM_increase_reservation:
	case XENMEM_decrease_reservation:
	case XENMEM_populate_physmap:
		return memory_reservation_op(cmd, start, arg);
	default:
		break;
	}
	/* Only the reservation ops are ever continued: a resume point is a mistake. */
	if (start)
		return -EINVAL;
	switch (cmd) {
	case XENMEM_exchange:
		return memory_exchange(arg);
	case XENMEM_current_reservation:
	case XENMEM_maximum_reservation:
		rc = target_domain(arg, &d);
		if (rc)
			return rc;
		return cmd == XENMEM_current_reservation ? (long)d->tot_pages : (long)d->max_pages;
	case XENMEM_maximum_ram_page:
		return (long)frames_max_mfn();
	case XENMEM_machphys_mapping: {
		struct xen_machphys_mapping m = {
			.v_start = MACH2PHYS_VIRT_START,
			.v_end = MACH2PHYS_VIRT_END,
			.max_mfn = MACH2PHYS_NR_ENTRIES - 1,
		};

		return copy_to_guest(arg, &m, sizeof(m));
	}
	case XENMEM_memory_map:
		return memory_map(arg);
	case XENMEM_machine_memory_map:
		return machine_memory_map(arg);
	default:
		return -ENOSYS;
	}
}
