/*
 * guest-pv as hv's dom0 toolstack: the control interface (public/hvctl.h)
 * and what building other domains needs on top of it — mapping their
 * frames, the shared domain builder (dom0-tools/builder) wired to
 * hypercalls, waiting for events with a deadline, and time.
 * kernel/hvctl.c implements it; kernel/control.c and tests/t_domctl.c use it.
 */
#ifndef GUEST_CONTROL_H
#define GUEST_CONTROL_H

#include <stdbool.h>
#include <stdint.h>
#include <public/hvctl.h>
#include <public/xen.h>

#include "pvbuild.h"

/* domctl / sysctl with interface_version filled in: the hypercall's result. */
long domctl(struct hv_domctl *op);
long sysctl(struct hv_sysctl *op);

/* Shorthands, each one domctl. */
long dom_create(domid_t *id, uint64_t max_pages, uint32_t max_vcpus);
long dom_op(domid_t id, uint32_t cmd);      /* destroy, pause, unpause: no arguments */
long dom_getinfo(domid_t id, struct hv_domctl_info *info);
long dom_evtchn_alloc(domid_t id, domid_t remote, uint32_t *port);
long physinfo(struct hv_sysctl_physinfo *p);

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
	bool start;                 /* vcpu_up + unpause at the end */
};
int build_domain(struct pvb_build *b, const struct build_args *a);
/* HV_DOMCTL_set_vcpu_context for vCPU 0 of dom: the domctl's result. */
long build_set_context(domid_t dom, const struct vcpu_guest_context *vc);

/* System time in ns, from our vcpu_info (0 if shared_info is not mapped). */
uint64_t now_ns(void);

/* Bind VIRQ_TIMER once, so a blocked vCPU wakes at least every tick; the port. */
uint32_t tick_port(void);
/*
 * Block until `port` is pending (then consume it) or until deadline_ns
 * (system time) passes: true if the event came. Wakes on the tick.
 */
bool wait_port_until(uint32_t port, uint64_t deadline_ns);
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

#endif /* GUEST_CONTROL_H */
