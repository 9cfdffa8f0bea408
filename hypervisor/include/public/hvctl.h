/*
 * hv's control interface: how the privileged domain (dom0) builds, runs
 * and manages other domains. It travels on Xen's hypercall numbers —
 * domctl (36) and sysctl (35) — so Linux's /dev/xen/privcmd passes it
 * through unchanged, but the structures are hv's own (Xen's change with
 * every release anyway; design.md decision 2).
 *
 *   domctl(struct hv_domctl *op)   one domain: create, destroy, run, ask
 *   sysctl(struct hv_sysctl *op)   the machine: domain list, physical info
 *
 * Every call carries HVCTL_INTERFACE_VERSION; a different value is
 * -EACCES, so a tool built for another version fails loudly instead of
 * misreading fields. Only dom0 may call either: others get -EPERM.
 * Results: 0 or -errno (Xen's values), outputs written back into *op.
 * All structures have fixed sizes and explicit padding (checked below).
 */
#ifndef HV_PUBLIC_HVCTL_H
#define HV_PUBLIC_HVCTL_H

#include "xen.h"

#define HVCTL_INTERFACE_VERSION 0x68760002u	/* "hv" 0002 */

/* ---- domctl ---------------------------------------------------------- */

#define HV_DOMCTL_create            1   /* u.create; domain: wanted id (1..255) or 0 (any); OUT domain */
#define HV_DOMCTL_destroy           2   /* release everything; the id is free once all frames are */
#define HV_DOMCTL_pause             3   /* nested: n pauses need n unpauses */
#define HV_DOMCTL_unpause           4
#define HV_DOMCTL_shutdown          5   /* u.shutdown: as if the guest had asked */
#define HV_DOMCTL_getinfo           6   /* OUT u.info */
#define HV_DOMCTL_max_mem           7   /* u.max_mem: new max, >= what it has */
#define HV_DOMCTL_sched_get         8   /* OUT u.sched */
#define HV_DOMCTL_sched_set         9   /* u.sched: weight 1..65535, cap 0..100 */
#define HV_DOMCTL_set_vcpu_context  10  /* u.vcpu_context: registers, CR3, callbacks of a vCPU */
#define HV_DOMCTL_vcpu_up           11  /* u.vcpu: runnable once unpaused */
#define HV_DOMCTL_ioport_permission 12  /* u.range: first port, count, allow */
#define HV_DOMCTL_iomem_permission  13  /* u.range: first MFN, count, allow */
#define HV_DOMCTL_irq_permission    14  /* u.range: first IRQ, count, allow */
#define HV_DOMCTL_evtchn_alloc      15  /* u.evtchn: an unbound port of `domain` for remote_dom */
#define HV_DOMCTL_set_memory_map    16  /* u.memory_map: the E820 XENMEM_memory_map returns */

/* hv_domctl_create.flags */
#define HV_CREATE_PRIVILEGED        (1u << 0)   /* reserved: refused (hv has one dom0) */

struct hv_domctl_create {
	uint32_t max_vcpus;         /* IN: 1..32 */
	uint32_t flags;             /* IN: HV_CREATE_*, 0 */
	uint64_t max_pages;         /* IN: memory ceiling, in 4 KiB pages */
	uint8_t  handle[16];        /* IN: UUID, reported by xen_version(guest_handle) */
	uint32_t max_evtchns;       /* IN: ports 0..n-1, n <= 4096; 0 = default (1024) */
	uint32_t max_grant_frames;  /* IN: 1..64; 0 = default (64) */
};

/* hv_domctl_info.state */
#define HV_DOMSTATE_running   0
#define HV_DOMSTATE_paused    1
#define HV_DOMSTATE_shutdown  2     /* stopped by itself: see shutdown_reason */
#define HV_DOMSTATE_crashed   3
#define HV_DOMSTATE_dying     4     /* destroyed, some frames still referenced */
#define HV_DOMSTATE_blocked   5     /* running, every vCPU waiting for an event */

struct hv_domctl_info {
	domid_t  domain;            /* OUT */
	uint16_t state;             /* OUT: HV_DOMSTATE_* */
	uint32_t shutdown_reason;   /* OUT: SHUTDOWN_* when shut down */
	uint32_t flags;             /* OUT: bit 0 privileged */
	uint32_t nr_vcpus;          /* OUT: vCPUs created */
	uint64_t tot_pages;         /* OUT */
	uint64_t max_pages;         /* OUT */
	uint64_t shared_info_frame; /* OUT: MFN, for the builder */
	uint64_t cpu_time_ns;       /* OUT: CPU time used by all its vCPUs */
	uint32_t weight, cap;       /* OUT: scheduler parameters */
	uint8_t  handle[16];        /* OUT */
};

struct hv_domctl_shutdown {
	uint32_t reason;            /* IN: SHUTDOWN_* */
	uint32_t _pad;
};

struct hv_domctl_max_mem {
	uint64_t max_pages;         /* IN */
};

struct hv_domctl_sched {
	uint32_t weight;            /* INOUT: share relative to others, 1..65535 (256 default) */
	uint32_t cap;               /* INOUT: % of one CPU, 0 = none, up to 100 */
};

struct hv_domctl_vcpu_context {
	uint32_t vcpu;              /* IN */
	uint32_t _pad;
	uint64_t ctxt;              /* IN: guest address of a struct vcpu_guest_context */
};

struct hv_domctl_vcpu {
	uint32_t vcpu;              /* IN */
	uint32_t _pad;
};

struct hv_domctl_range {
	uint64_t first;             /* IN */
	uint64_t count;             /* IN: 1.. */
	uint32_t allow;             /* IN: 1 grant, 0 revoke */
	uint32_t _pad;
};

struct hv_domctl_evtchn {
	domid_t  remote_dom;        /* IN: who may bind it */
	uint16_t _pad;
	uint32_t port;              /* OUT */
};

struct hv_domctl_memory_map {
	uint32_t nr_entries;        /* IN: 1..8 */
	uint32_t _pad;
	uint64_t buffer;            /* IN: guest address of struct xen_e820_entry[nr_entries] */
};

struct hv_domctl {
	uint32_t cmd;               /* IN: HV_DOMCTL_* */
	uint32_t interface_version; /* IN: HVCTL_INTERFACE_VERSION */
	domid_t  domain;            /* IN (OUT for create) */
	uint16_t _pad[3];
	union {
		struct hv_domctl_create create;
		struct hv_domctl_info info;
		struct hv_domctl_shutdown shutdown;
		struct hv_domctl_max_mem max_mem;
		struct hv_domctl_sched sched;
		struct hv_domctl_vcpu_context vcpu_context;
		struct hv_domctl_vcpu vcpu;
		struct hv_domctl_range range;
		struct hv_domctl_evtchn evtchn;
		struct hv_domctl_memory_map memory_map;
		uint8_t raw[128];
	} u;
};

/* ---- sysctl ---------------------------------------------------------- */

#define HV_SYSCTL_domain_list       1   /* u.list */
#define HV_SYSCTL_physinfo          2   /* OUT u.physinfo */
#define HV_SYSCTL_readconsole       3   /* u.console: hv's console ring (like `xl dmesg`) */

struct hv_sysctl_list {
	domid_t  first_domain;      /* IN: list domains with id >= this */
	uint16_t _pad;
	uint32_t max;               /* IN: room in buffer */
	uint64_t buffer;            /* IN: guest address of struct hv_domctl_info[max] */
	uint32_t count;             /* OUT: entries written */
	uint32_t _pad2;
};

struct hv_sysctl_physinfo {
	uint32_t nr_cpus;           /* OUT */
	uint32_t cpu_khz;           /* OUT */
	uint64_t total_pages;       /* OUT: RAM hv manages */
	uint64_t free_pages;        /* OUT: not given to any domain or to hv */
	uint64_t max_mfn;           /* OUT */
	uint32_t nr_domains;        /* OUT */
	uint32_t active_timers;     /* OUT: hv timers armed (leak checks) */
	uint64_t heap_bytes;        /* OUT: hv heap in use (leak checks) */
	uint64_t heap_cache_pages;  /* OUT: pages hv's heap keeps for small objects: they
	                             * never return, so free_pages + this is constant
	                             * when nothing leaks */
	uint32_t evtchn_open;       /* OUT: event channels open in all domains (leak checks) */
	uint32_t grant_mappings;    /* OUT: grant maps held by all domains (leak checks) */
};

struct hv_sysctl_console {
	uint64_t buffer;            /* IN: guest address */
	uint32_t size;              /* IN: bytes of room; OUT: bytes written */
	uint32_t _pad;
	uint64_t offset;            /* INOUT: where to read from (bytes ever printed); OUT: next */
};

struct hv_sysctl {
	uint32_t cmd;               /* IN: HV_SYSCTL_* */
	uint32_t interface_version; /* IN: HVCTL_INTERFACE_VERSION */
	union {
		struct hv_sysctl_list list;
		struct hv_sysctl_physinfo physinfo;
		struct hv_sysctl_console console;
		uint8_t raw[128];
	} u;
};

/* The layout is ABI: every component checks the same sizes. */
#ifndef __cplusplus
_Static_assert(sizeof(struct hv_domctl_info) == 72, "hv_domctl_info layout");
_Static_assert(sizeof(struct hv_domctl) == 144, "hv_domctl layout");
_Static_assert(sizeof(struct hv_sysctl) == 136, "hv_sysctl layout");
#endif

#endif /* HV_PUBLIC_HVCTL_H */
