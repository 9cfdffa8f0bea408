/*
 * hv public ABI: physdev_op (#33). Command in rdi, argument pointer in rsi.
 * set_iopl and set_iobitmap are for every PV domain; the rest is dom0's
 * (interrupts and PCI).
 */
#ifndef HV_PUBLIC_PHYSDEV_H
#define HV_PUBLIC_PHYSDEV_H

#include "xen.h"

#define PHYSDEVOP_IRQ_UNMASK_NOTIFY 4   /* obsolete */
#define PHYSDEVOP_irq_status_query  5
#define PHYSDEVOP_set_iopl          6
#define PHYSDEVOP_set_iobitmap      7
#define PHYSDEVOP_apic_read         8
#define PHYSDEVOP_apic_write        9
#define PHYSDEVOP_alloc_irq_vector  10
#define PHYSDEVOP_free_irq_vector   11
#define PHYSDEVOP_eoi               12
#define PHYSDEVOP_map_pirq          13
#define PHYSDEVOP_unmap_pirq        14
#define PHYSDEVOP_manage_pci_add    15
#define PHYSDEVOP_manage_pci_remove 16
#define PHYSDEVOP_pirq_eoi_gmfn_v1  17
#define PHYSDEVOP_restore_msi       19
#define PHYSDEVOP_manage_pci_add_ext 20
#define PHYSDEVOP_setup_gsi         21
#define PHYSDEVOP_get_free_pirq     23
#define PHYSDEVOP_pci_mmcfg_reserved 24
#define PHYSDEVOP_pci_device_add    25
#define PHYSDEVOP_pci_device_remove 26
#define PHYSDEVOP_restore_msi_ext   27
#define PHYSDEVOP_pirq_eoi_gmfn_v2  28
#define PHYSDEVOP_dbgp_op           29
#define PHYSDEVOP_prepare_msix      30
#define PHYSDEVOP_release_msix      31

struct physdev_eoi {
	uint32_t irq;               /* IN: pirq */
};
typedef struct physdev_eoi physdev_eoi_t;

struct physdev_pirq_eoi_gmfn {
	xen_pfn_t gmfn;             /* IN: frame of the EOI bitmap */
};
typedef struct physdev_pirq_eoi_gmfn physdev_pirq_eoi_gmfn_t;

#define _XENIRQSTAT_needs_eoi   0
#define XENIRQSTAT_needs_eoi    (1U << _XENIRQSTAT_needs_eoi)
#define _XENIRQSTAT_shared      1
#define XENIRQSTAT_shared       (1U << _XENIRQSTAT_shared)

struct physdev_irq_status_query {
	uint32_t irq;               /* IN: pirq */
	uint32_t flags;             /* OUT: XENIRQSTAT_* */
};
typedef struct physdev_irq_status_query physdev_irq_status_query_t;

/* Virtual IOPL 0..3 for `in`/`out` in guest kernel mode. */
struct physdev_set_iopl {
	uint32_t iopl;              /* IN */
};
typedef struct physdev_set_iopl physdev_set_iopl_t;

struct physdev_set_iobitmap {
	XEN_GUEST_HANDLE(uint8_t) bitmap;   /* IN: VA of a TSS-style I/O bitmap */
	uint32_t nr_ports;          /* IN */
	uint32_t _pad0;             /* IN: zero */
};
typedef struct physdev_set_iobitmap physdev_set_iobitmap_t;

struct physdev_apic {
	uint64_t apic_physbase;     /* IN: IO-APIC base */
	uint32_t reg;               /* IN */
	uint32_t value;             /* IN (write) / OUT (read) */
};
typedef struct physdev_apic physdev_apic_t;

struct physdev_irq {
	uint32_t irq;               /* IN */
	uint32_t vector;            /* OUT (alloc) / IN (free) */
};
typedef struct physdev_irq physdev_irq_t;

#define MAP_PIRQ_TYPE_MSI       0x0
#define MAP_PIRQ_TYPE_GSI       0x1
#define MAP_PIRQ_TYPE_UNKNOWN   0x2
#define MAP_PIRQ_TYPE_MSI_SEG   0x3
#define MAP_PIRQ_TYPE_MULTI_MSI 0x4

struct physdev_map_pirq {
	domid_t  domid;             /* IN */
	uint16_t _pad0;             /* IN: zero */
	int32_t  type;              /* IN: MAP_PIRQ_TYPE_* */
	int32_t  index;             /* IN: GSI or MSI index */
	int32_t  pirq;              /* IN: wanted pirq or -1; OUT: the pirq */
	int32_t  bus;               /* IN: MSI: bus (MSI_SEG: seg << 16 | bus) */
	int32_t  devfn;             /* IN: MSI */
	int32_t  entry_nr;          /* IN: MSI-X entry / OUT: MULTI_MSI count */
	uint32_t _pad1;             /* IN: zero */
	uint64_t table_base;        /* IN: MSI-X table base */
};
typedef struct physdev_map_pirq physdev_map_pirq_t;

struct physdev_unmap_pirq {
	domid_t  domid;             /* IN */
	uint16_t _pad0;             /* IN: zero */
	int32_t  pirq;              /* IN */
};
typedef struct physdev_unmap_pirq physdev_unmap_pirq_t;

struct physdev_manage_pci {
	uint8_t bus;                /* IN */
	uint8_t devfn;              /* IN */
};
typedef struct physdev_manage_pci physdev_manage_pci_t;

struct physdev_restore_msi {
	uint8_t bus;                /* IN */
	uint8_t devfn;              /* IN */
};
typedef struct physdev_restore_msi physdev_restore_msi_t;

struct physdev_setup_gsi {
	int32_t gsi;                /* IN */
	uint8_t triggering;         /* IN: 0 edge, 1 level */
	uint8_t polarity;           /* IN: 0 high, 1 low */
	uint8_t _pad0[2];           /* IN: zero */
};
typedef struct physdev_setup_gsi physdev_setup_gsi_t;

struct physdev_get_free_pirq {
	int32_t  type;              /* IN: MAP_PIRQ_TYPE_* */
	uint32_t pirq;              /* OUT */
};
typedef struct physdev_get_free_pirq physdev_get_free_pirq_t;

#define XEN_PCI_MMCFG_RESERVED  0x1

struct physdev_pci_mmcfg_reserved {
	uint64_t address;           /* IN */
	uint16_t segment;           /* IN */
	uint8_t  start_bus;         /* IN */
	uint8_t  end_bus;           /* IN */
	uint32_t flags;             /* IN: XEN_PCI_MMCFG_* */
};
typedef struct physdev_pci_mmcfg_reserved physdev_pci_mmcfg_reserved_t;

#define XEN_PCI_DEV_EXTFN       0x1
#define XEN_PCI_DEV_VIRTFN      0x2
#define XEN_PCI_DEV_PXM         0x4

/* Followed by optional u32 values (PXM) when flags ask for them. */
struct physdev_pci_device_add {
	uint16_t seg;               /* IN */
	uint8_t  bus;               /* IN */
	uint8_t  devfn;             /* IN */
	uint32_t flags;             /* IN: XEN_PCI_DEV_* */
	struct {
		uint8_t bus;            /* IN */
		uint8_t devfn;          /* IN */
	} physfn;
	uint16_t _pad0;             /* IN: zero */
};
typedef struct physdev_pci_device_add physdev_pci_device_add_t;

/* pci_device_remove, restore_msi_ext, prepare_msix, release_msix. */
struct physdev_pci_device {
	uint16_t seg;               /* IN */
	uint8_t  bus;               /* IN */
	uint8_t  devfn;             /* IN */
};
typedef struct physdev_pci_device physdev_pci_device_t;

#endif /* HV_PUBLIC_PHYSDEV_H */
