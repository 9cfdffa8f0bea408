/*
 * hv public ABI: memory_op (#12). Command in rdi, argument pointer in rsi.
 * PV guests are not translated: every frame number here is an MFN unless
 * a field says PFN.
 */
#ifndef HV_PUBLIC_MEMORY_H
#define HV_PUBLIC_MEMORY_H

#include "xen.h"

#define XENMEM_increase_reservation 0   /* arg: struct xen_memory_reservation; returns extents done */
#define XENMEM_decrease_reservation 1   /* arg: struct xen_memory_reservation; returns extents done */
#define XENMEM_maximum_ram_page     2   /* arg: NULL; returns the highest MFN */
#define XENMEM_current_reservation  3   /* arg: domid_t *; returns pages */
#define XENMEM_maximum_reservation  4   /* arg: domid_t *; returns pages */
#define XENMEM_machphys_mfn_list    5   /* arg: struct xen_machphys_mfn_list */
#define XENMEM_populate_physmap     6   /* arg: struct xen_memory_reservation */
#define XENMEM_add_to_physmap       7   /* arg: struct xen_add_to_physmap (HVM) */
#define XENMEM_memory_map           9   /* arg: struct xen_memory_map (own E820) */
#define XENMEM_machine_memory_map   10  /* arg: struct xen_memory_map (host E820, dom0) */
#define XENMEM_exchange             11  /* arg: struct xen_memory_exchange */
#define XENMEM_machphys_mapping     12  /* arg: struct xen_machphys_mapping */
#define XENMEM_set_memory_map       13  /* arg: struct xen_foreign_memory_map (tools) */
#define XENMEM_maximum_gpfn         14  /* arg: domid_t * */
#define XENMEM_remove_from_physmap  15
#define XENMEM_add_to_physmap_batch 23
#define XENMEM_claim_pages          24
#define XENMEM_machphys_compat_mfn_list 25
#define XENMEM_get_vnumainfo        26
#define XENMEM_reserved_device_memory_map 27
#define XENMEM_acquire_resource     28

/* memory_op's cmd: the op in the low bits, where a continued call resumes above. */
#define MEMOP_EXTENT_SHIFT          6
#define MEMOP_CMD_MASK              ((1U << MEMOP_EXTENT_SHIFT) - 1)

/* xen_memory_reservation.mem_flags: low 8 bits = highest address bit wanted. */
#define XENMEMF_address_bits(x)     ((uint32_t)(x) & 0xffU)
#define XENMEMF_get_address_bits(x) ((uint32_t)(x) & 0xffU)
#define XENMEMF_node(x)             (((uint32_t)(x) + 1U) << 8)
#define XENMEMF_populate_on_demand  (1U << 16)
#define XENMEMF_exact_node_request  (1U << 17)
#define XENMEMF_vnode               (1U << 18)

struct xen_memory_reservation {
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* IN/OUT: frame list (PV: MFNs; populate: PFNs in, MFNs out) */
	xen_ulong_t nr_extents;     /* IN */
	uint32_t extent_order;      /* IN: log2 pages per extent */
	uint32_t mem_flags;         /* IN: XENMEMF_* */
	domid_t  domid;             /* IN: usually DOMID_SELF */
	uint16_t _pad0[3];          /* IN: zero */
};
typedef struct xen_memory_reservation xen_memory_reservation_t;

/* Trade `in` extents for `out` extents (e.g. contiguous below 4 GiB). */
struct xen_memory_exchange {
	struct xen_memory_reservation in;   /* IN */
	struct xen_memory_reservation out;  /* IN/OUT */
	xen_ulong_t nr_exchanged;           /* OUT: input extents done */
};
typedef struct xen_memory_exchange xen_memory_exchange_t;

/* List the MFNs of the M2P table's frames. */
struct xen_machphys_mfn_list {
	uint32_t max_extents;       /* IN: room in extent_start */
	uint32_t _pad0;             /* IN: zero */
	XEN_GUEST_HANDLE(xen_pfn_t) extent_start;   /* OUT */
	uint32_t nr_extents;        /* OUT */
	uint32_t _pad1;             /* zero */
};
typedef struct xen_machphys_mfn_list xen_machphys_mfn_list_t;

/* Where the read-only M2P lives in every PV address space. */
struct xen_machphys_mapping {
	xen_ulong_t v_start;        /* OUT: first VA */
	xen_ulong_t v_end;          /* OUT: end VA (exclusive) */
	xen_ulong_t max_mfn;        /* OUT: highest MFN the table covers */
};
typedef struct xen_machphys_mapping xen_machphys_mapping_t;

/* add_to_physmap spaces (HVM/PVH; PV guests do not use them). */
#define XENMAPSPACE_shared_info     0
#define XENMAPSPACE_grant_table     1
#define XENMAPSPACE_gmfn            2
#define XENMAPSPACE_gmfn_range      3
#define XENMAPSPACE_gmfn_foreign    4
#define XENMAPSPACE_dev_mmio        5
#define XENMAPIDX_grant_table_status 0x80000000U

struct xen_add_to_physmap {
	domid_t  domid;             /* IN */
	uint16_t size;              /* IN: gmfn_range only */
	uint32_t space;             /* IN: XENMAPSPACE_* */
	xen_ulong_t idx;            /* IN: index in the space */
	xen_pfn_t gpfn;             /* IN: where to map it */
};
typedef struct xen_add_to_physmap xen_add_to_physmap_t;

/* One packed E820 entry as the memory maps return them (20 bytes). */
struct xen_e820_entry {
	uint64_t addr;              /* OUT */
	uint64_t size;              /* OUT */
	uint32_t type;              /* OUT: E820_* */
} __attribute__((packed));
typedef struct xen_e820_entry xen_e820_entry_t;

#define XEN_E820_RAM            1
#define XEN_E820_RESERVED       2
#define XEN_E820_ACPI           3
#define XEN_E820_NVS            4
#define XEN_E820_UNUSABLE       5

/* memory_map / machine_memory_map. A NULL buffer asks for the count. */
struct xen_memory_map {
	uint32_t nr_entries;        /* IN: room in buffer; OUT: entries written */
	uint32_t _pad0;             /* IN: zero */
	XEN_GUEST_HANDLE(xen_e820_entry_t) buffer;  /* IN: VA of the entries */
};
typedef struct xen_memory_map xen_memory_map_t;

/* set_memory_map (tools): a domain's E820. */
struct xen_foreign_memory_map {
	domid_t  domid;             /* IN */
	uint16_t _pad0[3];          /* IN: zero */
	struct xen_memory_map map;  /* IN */
};
typedef struct xen_foreign_memory_map xen_foreign_memory_map_t;

#endif /* HV_PUBLIC_MEMORY_H */
