/*
 * guest-pv as dom0's toolstack: building, running and tearing down other
 * domains, on hv or on Xen 4.17.
 *
 * The toolstack talks to the hypervisor through a backend (struct
 * ctl_backend), chosen by target= on the command line: hv's own control
 * interface (public/hvctl.h, kernel/hvctl.c) by default, or Xen 4.17's
 * domctl/sysctl (guest/xenctl.h, kernel/xenctl.c) with target=xen. What
 * is the same on both goes straight to the hypercalls: populating another
 * domain's memory, mapping its frames (mmu_update naming it), its M2P
 * entries, pinning its L4, event channels, waiting with a deadline
 * (kernel/toolstack.c). The shared domain builder (dom0-tools/builder)
 * sits on top of both. kernel/control.c and tests/t_domctl.c use it.
 */
#ifndef GUEST_CONTROL_H
#define GUEST_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <public/hvctl.h>
#include <public/xen.h>

#include "pvbuild.h"

/* ---- the backend: one per hypervisor ----------------------------------- */

/* A domain's state as the toolstack sees it (the values of HV_DOMSTATE_*). */
enum dom_state {
	DOM_RUNNING = HV_DOMSTATE_running,
	DOM_PAUSED = HV_DOMSTATE_paused,
	DOM_SHUTDOWN = HV_DOMSTATE_shutdown,    /* stopped by itself: shutdown_reason */
	DOM_CRASHED = HV_DOMSTATE_crashed,
	DOM_DYING = HV_DOMSTATE_dying,          /* destroyed, some frame still referenced */
	DOM_BLOCKED = HV_DOMSTATE_blocked,      /* every vCPU waits for an event */
};

struct dom_info {
	domid_t domain;
	unsigned int state;                     /* DOM_* */
	unsigned int shutdown_reason;           /* SHUTDOWN_*, when shut down or crashed */
	unsigned int nr_vcpus;                  /* online */
	uint64_t tot_pages, max_pages;
	uint64_t shared_info_frame;             /* MFN */
};

/* The machine, for leak checks. */
struct sys_info {
	uint64_t total_pages, free_pages;
	uint32_t nr_domains;                    /* dom0 and every domain not yet freed */
	uint32_t cpu_khz;
	bool hv_counters;                       /* hv also reports these: */
	uint64_t heap_bytes;
	uint32_t active_timers;
	uint32_t evtchn_open;                   /* ports open, all domains together */
	uint32_t grant_mappings;                /* grant maps held, all domains together */
};

struct ctl_backend {
	const char *name;                       /* "hv", "xen" */
	/*
	 * The hypervisor prints what a domU writes with console_io (hv does;
	 * a release build of Xen refuses it). Otherwise the toolstack gives
	 * the domU a console ring and prints what comes out of it.
	 */
	bool domu_console_io;
	/* A paused, empty domain with room for max_pages and max_vcpus vCPUs; *id 0 = any. */
	long (*create)(domid_t *id, uint64_t max_pages, uint32_t max_vcpus);
	long (*destroy)(domid_t id);
	long (*pause)(domid_t id);
	long (*unpause)(domid_t id);
	/* -ESRCH when no domain has that id. */
	long (*getinfo)(domid_t id, struct dom_info *info);
	long (*max_mem)(domid_t id, uint64_t max_pages);
	long (*set_vcpu_context)(domid_t id, unsigned int vcpu, const struct vcpu_guest_context *c);
	/* NULL when the context's VGCF_online already brings the vCPU up (Xen). */
	long (*vcpu_up)(domid_t id, unsigned int vcpu);
	/* An unbound port of domain id that `remote` may bind. */
	long (*evtchn_alloc)(domid_t id, domid_t remote, uint32_t *port);
	/* NULL: the builder writes the hypercall page; else the hypervisor fills frame mfn. */
	long (*hypercall_init)(domid_t id, uint64_t mfn);
	long (*sys_info)(struct sys_info *s);
};

extern const struct ctl_backend hv_ctl_backend;    /* kernel/hvctl.c */
extern const struct ctl_backend xen_ctl_backend;   /* kernel/xenctl.c */
/* The backend in use: Xen's with target=xen, else hv's (set by ctl_select). */
extern const struct ctl_backend *ctl;
const struct ctl_backend *ctl_select(void);

/* ---- hv's control interface (kernel/hvctl.c): hv-only tests and modes ---- */

/* domctl / sysctl with interface_version filled in: the hypercall's result. */
long domctl(struct hv_domctl *op);
long sysctl(struct hv_sysctl *op);

/* Shorthands, each one domctl. */
long dom_create(domid_t *id, uint64_t max_pages, uint32_t max_vcpus);
long dom_op(domid_t id, uint32_t cmd);      /* destroy, pause, unpause: no arguments */
long dom_getinfo(domid_t id, struct hv_domctl_info *info);
long dom_evtchn_alloc(domid_t id, domid_t remote, uint32_t *port);
long physinfo(struct hv_sysctl_physinfo *p);

/* ---- the same on both hypervisors (kernel/toolstack.c) ------------------- */

/* populate_physmap for domain dom: list holds PFNs, gets MFNs; extents done. */
long dom_populate(domid_t dom, uint64_t *list, uint64_t n);

/*
 * Foreign mappings: one of dom's frames mapped writable into one of our
 * windows (a page of ours whose L1 entry is repointed with mmu_update
 * naming dom). foreign_unmap puts our own frame back. NULL / errno.
 */
#define FOREIGN_WINDOWS 4
void *foreign_map(domid_t dom, uint64_t mfn, long *rc);
long foreign_unmap(void *va);

/* Our own page at va: its frame back in its L1 entry (after a grant unmap). */
long remap_own_page(void *va);
uint64_t own_mfn(const void *va);

/*
 * Build the PV kernel `elf` into domain dom (created, empty, paused) and
 * start it. The domain's p2m lives in a static array: at most
 * BUILD_MAX_PAGES pages. On failure b->err says why and the caller
 * destroys the domain.
 */
#define BUILD_MAX_PAGES 16384
struct build_args {
	domid_t dom;
	const void *elf;
	size_t elf_size;
	const void *initrd;
	size_t initrd_size;
	const char *cmdline;
	uint64_t nr_pages;
	uint32_t console_evtchn;    /* nonzero: a console ring page, kicked on this port of the domain */
	bool start;                 /* vCPU 0 up + unpause at the end */
};
int build_domain(struct pvb_build *b, const struct build_args *a);
/* The MFN behind PFN pfn of the domain built last. */
uint64_t built_mfn(uint64_t pfn);
/* HV_DOMCTL_set_vcpu_context for vCPU 0 of dom, on hv: the domctl's result. */
long build_set_context(domid_t dom, const struct vcpu_guest_context *vc);


/* Bind VIRQ_TIMER once (the tick wait_port_until arms); the port. */
uint32_t tick_port(void);
/*
 * Block until `port` is pending (then consume it) or until deadline_ns
 * (system time) passes: true if the event came. With a deadline, a
 * single-shot timer wakes the waiter at least every 10 ms (VIRQ_TIMER,
 * the tick); without one (UINT64_MAX), only events do.
 * Xen's SCHEDOP_block unmasks events and delivers them to the event
 * callback, so the first wait registers one that only acknowledges the
 * upcall: the ports stay pending for the waiter. wait_hook, if set, runs
 * at every wake-up (the console relay).
 */
bool wait_port_until(uint32_t port, uint64_t deadline_ns);
extern void (*wait_hook)(void);
/* Poll `port` once: true (and consumed) if it was pending. */
bool take_port(uint32_t port);

long evtchn_bind_interdomain(domid_t remote, uint32_t remote_port, uint32_t *local);
long evtchn_close(uint32_t port);
long evtchn_notify(uint32_t port);

/* Modes (kernel/control.c). */
void control_run(void);
void churn_run(void);
void peer_run(void);
void watch_run(void);
void bench_domu_run(void);
void bench_peer_run(void);

#endif /* GUEST_CONTROL_H */
