/*
 * Xen 4.17's own control interface, as far as guest-pv's toolstack uses
 * it on real Xen (mode=control target=xen, kernel/xenctl.c).
 *
 * This is NOT hv's interface: hv speaks public/hvctl.h on the same
 * hypercall numbers (domctl 36, sysctl 35) and does not implement these
 * structures. Xen changes them from release to release and guards them
 * with an interface version, so everything here is the layout of Xen
 * 4.17 exactly (XEN_DOMCTL_INTERFACE_VERSION and
 * XEN_SYSCTL_INTERFACE_VERSION 0x15), written out for the x86_64 PV
 * case; another Xen refuses it with -EACCES. Names carry "xen417" so no
 * one mistakes them for hv's public ABI. Sizes and offsets are checked
 * at the end of the file.
 */
#ifndef GUEST_XENCTL_H
#define GUEST_XENCTL_H

#include <stddef.h>
#include <stdint.h>
#include <public/xen.h>

#define XEN417_DOMCTL_VERSION           0x00000015u
#define XEN417_SYSCTL_VERSION           0x00000015u

/* ---- domctl (hypercall 36) -------------------------------------------- */

/* The commands guest-pv uses (Xen numbers them up to 86 and gdbsx 1000+). */
#define XEN417_DOMCTL_createdomain      1
#define XEN417_DOMCTL_destroydomain     2
#define XEN417_DOMCTL_pausedomain       3
#define XEN417_DOMCTL_unpausedomain     4
#define XEN417_DOMCTL_getdomaininfo     5   /* the next domain with id >= domain */
#define XEN417_DOMCTL_max_mem           11
#define XEN417_DOMCTL_setvcpucontext    12
#define XEN417_DOMCTL_getvcpucontext    13
#define XEN417_DOMCTL_max_vcpus         15  /* creates the vCPUs createdomain sized for */
#define XEN417_DOMCTL_hypercall_init    22  /* Xen fills a PV guest's hypercall page */

/* createdomain.flags: 0 is a PV domain. */
#define XEN417_CDF_hvm                  (1u << 0)
#define XEN417_CDF_hap                  (1u << 1)
#define XEN417_CDF_oos_off              (1u << 3)   /* Xen sets it itself for PV */

/* createdomain.grant_opts: the highest grant table version allowed (1 or 2). */
#define XEN417_GRANT_version(v)         ((uint32_t)(v) & 0xfu)

/* x86's part of a domain's configuration; a PV domain emulates nothing (0). */
struct xen417_arch_domainconfig {
	uint32_t emulation_flags;
	uint32_t misc_flags;
};

struct xen417_domctl_createdomain {
	uint32_t ssidref;               /* XSM label; 0 without XSM */
	uint8_t  handle[16];            /* UUID */
	uint32_t flags;                 /* XEN417_CDF_* */
	uint32_t iommu_opts;
	uint32_t max_vcpus;             /* >= 1 */
	uint32_t max_evtchn_port;
	int32_t  max_grant_frames;      /* < 0: Xen's default */
	int32_t  max_maptrack_frames;   /* < 0: Xen's default */
	uint32_t grant_opts;            /* XEN417_GRANT_version(n); 0 is refused */
	uint32_t vmtrace_size;          /* 0 (PV has none) */
	uint32_t cpupool_id;            /* 0: the default pool */
	struct xen417_arch_domainconfig arch;
};

/* getdomaininfo.flags */
#define XEN417_DOMINF_dying             (1u << 0)   /* destroyed, not yet freed */
#define XEN417_DOMINF_hvm_guest         (1u << 1)
#define XEN417_DOMINF_shutdown          (1u << 2)   /* reason in the code bits */
#define XEN417_DOMINF_paused            (1u << 3)   /* by the toolstack */
#define XEN417_DOMINF_blocked           (1u << 4)   /* every online vCPU waits */
#define XEN417_DOMINF_running           (1u << 5)   /* some vCPU is on a CPU */
#define XEN417_DOMINF_shutdown_shift    16          /* SHUTDOWN_* code, 8 bits */
#define XEN417_DOMINF_shutdown_mask     0xffu

struct xen417_domctl_getdomaininfo {
	domid_t  domain;                /* the domain reported (may differ from the one asked) */
	uint16_t _pad1;
	uint32_t flags;                 /* XEN417_DOMINF_* */
	uint64_t tot_pages;
	uint64_t max_pages;
	uint64_t outstanding_pages;
	uint64_t shr_pages;
	uint64_t paged_pages;
	uint64_t shared_info_frame;     /* for PV: the MFN */
	uint64_t cpu_time;              /* ns */
	uint32_t nr_online_vcpus;
	uint32_t max_vcpu_id;           /* ~0: no vCPU yet */
	uint32_t ssidref;
	uint8_t  handle[16];
	uint32_t cpupool;
	uint8_t  gpaddr_bits;
	uint8_t  _pad2[7];
	struct xen417_arch_domainconfig arch_config;
};

struct xen417_domctl_max_mem {
	uint64_t max_memkb;             /* KiB, not pages */
};

struct xen417_domctl_vcpucontext {
	uint32_t vcpu;
	uint32_t _pad;
	uint64_t ctxt;                  /* address of a struct vcpu_guest_context; 0 resets */
};

struct xen417_domctl_max_vcpus {
	uint32_t max;                   /* must equal createdomain's max_vcpus */
};

struct xen417_domctl_hypercall_init {
	uint64_t gmfn;                  /* for PV: the MFN of the page to fill */
};

struct xen417_domctl {
	uint32_t cmd;
	uint32_t interface_version;     /* XEN417_DOMCTL_VERSION */
	domid_t  domain;
	uint16_t _pad[3];
	union {
		struct xen417_domctl_createdomain createdomain;
		struct xen417_domctl_getdomaininfo getdomaininfo;
		struct xen417_domctl_max_mem max_mem;
		struct xen417_domctl_vcpucontext vcpucontext;
		struct xen417_domctl_max_vcpus max_vcpus;
		struct xen417_domctl_hypercall_init hypercall_init;
		uint8_t pad[128];
	} u;
};

/* ---- sysctl (hypercall 35) -------------------------------------------- */

#define XEN417_SYSCTL_physinfo          3
#define XEN417_SYSCTL_getdomaininfolist 6

struct xen417_sysctl_physinfo {
	uint32_t threads_per_core;
	uint32_t cores_per_socket;
	uint32_t nr_cpus;
	uint32_t max_cpu_id;
	uint32_t nr_nodes;
	uint32_t max_node_id;
	uint32_t cpu_khz;
	uint32_t capabilities;
	uint32_t arch_capabilities;
	uint32_t _pad;
	uint64_t total_pages;
	uint64_t free_pages;            /* includes pages still to be scrubbed */
	uint64_t scrub_pages;
	uint64_t outstanding_pages;
	uint64_t max_mfn;
	uint32_t hw_cap[8];
};

struct xen417_sysctl_getdomaininfolist {
	domid_t  first_domain;
	uint16_t _pad;
	uint32_t max_domains;
	uint64_t buffer;                /* struct xen417_domctl_getdomaininfo[max_domains] */
	uint32_t num_domains;           /* OUT */
	uint32_t _pad2;
};

struct xen417_sysctl {
	uint32_t cmd;
	uint32_t interface_version;     /* XEN417_SYSCTL_VERSION */
	union {
		struct xen417_sysctl_physinfo physinfo;
		struct xen417_sysctl_getdomaininfolist getdomaininfolist;
		uint8_t pad[128];
	} u;
};

/* The layout is Xen 4.17's: a mistake here is a -EINVAL or garbage there. */
_Static_assert(sizeof(struct xen417_arch_domainconfig) == 8, "arch_domainconfig");
_Static_assert(sizeof(struct xen417_domctl_createdomain) == 64, "createdomain size");
_Static_assert(offsetof(struct xen417_domctl_createdomain, flags) == 20, "createdomain.flags");
_Static_assert(offsetof(struct xen417_domctl_createdomain, max_vcpus) == 28, "createdomain.max_vcpus");
_Static_assert(offsetof(struct xen417_domctl_createdomain, grant_opts) == 44, "createdomain.grant_opts");
_Static_assert(offsetof(struct xen417_domctl_createdomain, arch) == 56, "createdomain.arch");
_Static_assert(sizeof(struct xen417_domctl_getdomaininfo) == 112, "getdomaininfo size");
_Static_assert(offsetof(struct xen417_domctl_getdomaininfo, tot_pages) == 8, "getdomaininfo.tot_pages");
_Static_assert(offsetof(struct xen417_domctl_getdomaininfo, shared_info_frame) == 48,
	       "getdomaininfo.shared_info_frame");
_Static_assert(offsetof(struct xen417_domctl_getdomaininfo, nr_online_vcpus) == 64,
	       "getdomaininfo.nr_online_vcpus");
_Static_assert(offsetof(struct xen417_domctl_getdomaininfo, handle) == 76, "getdomaininfo.handle");
_Static_assert(offsetof(struct xen417_domctl_getdomaininfo, gpaddr_bits) == 96,
	       "getdomaininfo.gpaddr_bits");
_Static_assert(offsetof(struct xen417_domctl_getdomaininfo, arch_config) == 104,
	       "getdomaininfo.arch_config");
_Static_assert(sizeof(struct xen417_domctl_vcpucontext) == 16, "vcpucontext");
_Static_assert(offsetof(struct xen417_domctl, domain) == 8, "domctl.domain");
_Static_assert(offsetof(struct xen417_domctl, u) == 16, "domctl.u");
_Static_assert(sizeof(struct xen417_domctl) == 144, "domctl size");
_Static_assert(sizeof(struct xen417_sysctl_physinfo) == 112, "physinfo size");
_Static_assert(offsetof(struct xen417_sysctl_physinfo, total_pages) == 40, "physinfo.total_pages");
_Static_assert(offsetof(struct xen417_sysctl_physinfo, free_pages) == 48, "physinfo.free_pages");
_Static_assert(offsetof(struct xen417_sysctl_physinfo, max_mfn) == 72, "physinfo.max_mfn");
_Static_assert(sizeof(struct xen417_sysctl_getdomaininfolist) == 24, "getdomaininfolist");
_Static_assert(offsetof(struct xen417_sysctl, u) == 8, "sysctl.u");
_Static_assert(sizeof(struct xen417_sysctl) == 136, "sysctl size");

#endif /* GUEST_XENCTL_H */
