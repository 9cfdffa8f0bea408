/*
 * Domains and vCPUs. A domain owns frames (listed in its page list, each
 * frame's owner pointing back), a shared_info page and its vCPUs; a vCPU
 * holds the guest state hv keeps while the guest is not running and the
 * PV-specific registrations (trap table, callbacks, stacks, segment bases).
 *
 * Lifecycle: domain_create → (builder fills memory, vcpu 0 state) →
 * running → shutdown or crash (recorded with a reason) → destroyed.
 * hv runs one pCPU and one vCPU at a time for now: `current` is the vCPU
 * whose guest state sits at the top of the guest entry stack.
 */
#ifndef HV_DOMAIN_H
#define HV_DOMAIN_H

#include <hv/list.h>
#include <hv/timer.h>
#include <hv/types.h>
#include <public/xen.h>
#include <public/callback.h>
#include <public/vcpu.h>
#include <public/memory.h>
#include <asm/traps.h>

#define MAX_VIRT_CPUS 32
#define NR_TRAPS 256
#define HYPERCALL_TRACE 16
#define DOMAIN_MAX_IO_RANGES 16
#define DOMAIN_MAX_E820 8

struct domain;
struct evtchn;
struct grant_table;

struct pv_callback {
	uint64_t address;	/* 0: not registered */
	bool mask_events;
};

struct vcpu {
	unsigned int id;
	struct domain *domain;
	struct vcpu_info *vcpu_info;	/* in shared_info until moved */

	/* Guest registers while hv runs something else (the live copy is on the stack). */
	struct cpu_regs regs;

	/* PV state (pv-abi.md §6). */
	bool kernel_mode;		/* hv's TF_kernel_mode: syscall = hypercall */
	mfn_t kernel_l4, user_l4;	/* CR3 frames; user_l4 0 = none */
	uint64_t kernel_ss, kernel_sp;	/* stack_switch */
	struct trap_info traps[NR_TRAPS];
	struct pv_callback event_cb, failsafe_cb, syscall_cb, syscall32_cb, sysenter_cb, nmi_cb;
	uint64_t fs_base, gs_base_kernel, gs_base_user;
	bool fpu_ts;			/* virtual CR0.TS (fpu_taskswitch) */
	uint64_t dr[8];			/* set_debugreg: DR0-3, DR6, DR7 (4 and 5 alias 6, 7) */
	unsigned int iopl;		/* virtual IOPL (physdev set_iopl) */
	/* Descriptor tables (arch/x86/pv/descriptor_tables.c). */
	mfn_t gdt_frames[FIRST_RESERVED_GDT_PAGE];	/* each holds a FT_SEG_DESC ref */
	unsigned int gdt_ents;
	uint64_t ldt_base;		/* guest VA, MMUEXT_SET_LDT */
	unsigned int ldt_ents;
	mfn_t ldt_mapped[16];		/* LDT pages mapped in hv's window (0: not yet) */
	uint16_t ldt_mapped_bits;	/* which entries of ldt_mapped are set */

	/* Events and time. */
	uint32_t virq_to_port[NR_VIRQS];
	bool vcpu_info_registered;	/* VCPUOP_register_vcpu_info done */
	mfn_t vcpu_info_mfn;		/* its frame, held writable while registered */
	struct timer singleshot_timer;	/* VCPUOP_set_singleshot_timer, set_timer_op */
	struct timer periodic_timer;	/* armed only while the vCPU runs, as on Xen */
	uint64_t periodic_period_ns;	/* 0: stopped */
	uint64_t periodic_last_ns;	/* when it last raised VIRQ_TIMER */
	bool periodic_missed;		/* it fell due while the vCPU was off the CPU */
	struct vcpu_runstate_info runstate;
	uint64_t runstate_guest;	/* guest VA of its runstate area, 0: none */

	bool initialised;		/* has a context: built, or VCPUOP_initialise / domctl */
	bool down;			/* took itself down (VCPUOP_down): offline once switched out */

	/* Scheduling (common/schedule.c). */
	struct list_head runq_link;	/* on the run queue while runnable */
	bool on_runq, blocked;
	int64_t credit;			/* ns it may still run this period */
	uint64_t period_used;		/* ns run this period (for the cap) */

	/* The last hypercalls, printed when the domain crashes (bring-up aid). */
	struct hypercall_record {
		uint64_t nr, args[5];
		long rc;
	} trace[HYPERCALL_TRACE];
	unsigned int trace_next;
	bool in_multicall;		/* running a multicall entry */
	bool mc_continued;		/* ... which asked to continue, with mc_args */
	uint64_t mc_args[5];
	uint64_t nr_user_entries, nr_user_exits;	/* iret to user / back to the kernel */

	/* State hv saves while the vCPU is not running (arch/x86/pv/context.c). */
	uint8_t fpu[512] __aligned(16);	/* FXSAVE image */
	bool fpu_initialised;
	/*
	 * Data selectors, Xen's user_regs.ds/es/fs/gs: the guest loads them
	 * itself and hv leaves them in the CPU while the vCPU runs; they are
	 * saved when it is switched out and loaded again when it comes back.
	 */
	struct pv_selectors { uint16_t ds, es, fs, gs; } __aligned(8) sel;
};

enum domain_state {
	DOMAIN_RUNNING,
	DOMAIN_SHUTDOWN,	/* asked to stop, with shutdown_reason */
	DOMAIN_CRASHED,
	DOMAIN_DYING,		/* destroyed; freed once no frame of it is referenced */
};

struct domain {
	domid_t id;
	bool privileged;		/* dom0: SIF_PRIVILEGED / control interface */
	bool initial;			/* dom0: SIF_INITDOMAIN */
	enum domain_state state;
	unsigned int shutdown_reason;	/* SHUTDOWN_* */
	unsigned int shutdown_code;	/* SCHEDOP_shutdown_code, -1u = none */
	uint8_t handle[16];		/* UUID (xen_version guest_handle) */

	struct list_head pages;		/* frames the domain owns */
	uint64_t tot_pages, max_pages;
	unsigned int hv_pages;		/* hv's pages shared with it, not yet freed */
	unsigned int pause_count;	/* HV_DOMCTL_pause: its vCPUs do not run while > 0 */
	uint64_t vm_assist;		/* VMASST_TYPE_* bits */

	struct shared_info *shared_info;	/* hv-allocated, mapped by the guest */
	mfn_t shared_info_mfn;
	/* Pseudo-physical map the guest sees (XENMEM_memory_map): [0, nr_pages). */
	uint64_t p2m_size;

	struct vcpu *vcpus[MAX_VIRT_CPUS];
	unsigned int max_vcpus;

	struct evtchn *evtchn;		/* port table (common/event_channel.c) */
	unsigned int max_evtchns;

	struct grant_table *grant_table;	/* common/grant_table.c */

	/* I/O resources dom0 granted (HV_DOMCTL_*_permission). */
	struct io_range { uint64_t first, count; } ioports[DOMAIN_MAX_IO_RANGES],
		iomem[DOMAIN_MAX_IO_RANGES], irqs[DOMAIN_MAX_IO_RANGES];
	unsigned int nr_ioports, nr_iomem, nr_irqs;
	/* Pseudo-physical E820 the toolstack set (XENMEM_memory_map); 0: the default. */
	struct xen_e820_entry e820[DOMAIN_MAX_E820];
	unsigned int nr_e820;

	char con_line[160];		/* console_io output until its newline */
	unsigned int con_len;

	unsigned int weight;		/* credit scheduler share (default 256) */
	unsigned int cap;		/* % of one CPU, 0 = no cap */
};

/* vm_assist (#21): the assists a 64-bit PV guest may turn on. */
#define PV64_VALID_ASSISTS ((1UL << VMASST_TYPE_4gb_segments) | \
			    (1UL << VMASST_TYPE_4gb_segments_notify) | \
			    (1UL << VMASST_TYPE_writable_pagetables) | \
			    (1UL << VMASST_TYPE_pae_extended_cr3) | \
			    (1UL << VMASST_TYPE_architectural_iopl) | \
			    (1UL << VMASST_TYPE_runstate_update_flag) | \
			    (1UL << VMASST_TYPE_m2p_strict))

extern struct vcpu *current;
/* The pseudo-domain DOMID_IO names as the owner of I/O memory. */
extern struct domain *const dom_io;
extern struct domain *const dom_xen;

/* What a domain is created with; zero limits take the defaults. */
struct domain_config {
	bool privileged;
	unsigned int max_vcpus;		/* 1..MAX_VIRT_CPUS */
	uint64_t max_pages;
	unsigned int max_evtchns;	/* ports 0..n-1 (0: 4096 for dom0, 1024 otherwise) */
	unsigned int max_grant_frames;	/* 0: GRANT_MAX_FRAMES */
};

struct domain *domain_create(domid_t id, const struct domain_config *cfg);
/* The domain with that id, dying or not: for hv's own records (a mapping's granter). */
struct domain *domain_by_id(domid_t id);

static inline bool domain_is_dying(const struct domain *d)
{
	return d->state == DOMAIN_DYING;
}

/*
 * The domain a hypercall argument names, with Xen's errors. DOMID_SELF
 * and the caller's own id are the caller. Another domain is -ESRCH if
 * there is none; -EPERM unless the caller is privileged, or the op
 * carries the other domain's own consent (DOMAIN_LOOKUP_ANY_CALLER: a
 * grant entry or an unbound port that names the caller); -EINVAL if it
 * is dying, unless the op only reads it or lets go of something
 * (DOMAIN_LOOKUP_DYING). A dying domain has let go of its ports and
 * memory: nothing may give it a new one, which would outlive it or keep
 * it dying for ever (Xen refuses the same with -EINVAL in get_free_port
 * and assign_pages).
 */
#define DOMAIN_LOOKUP_DYING		(1u << 0)
#define DOMAIN_LOOKUP_ANY_CALLER	(1u << 1)
int domain_lookup_target(domid_t id, unsigned int flags, struct domain **out);
/* Give the domain one new frame (zeroed); INVALID_MFN when out of memory or over max. */
mfn_t domain_alloc_frame(struct domain *d);
/* 2^order contiguous frames, below MFN limit if nonzero; INVALID_MFN if none or over max. */
mfn_t domain_alloc_frames(struct domain *d, unsigned int order, mfn_t limit);
/* Give d an allocated block, zeroed, whatever its max (memory exchange). */
void domain_assign_frames(struct domain *d, mfn_t mfn, unsigned int order);
bool domain_owns(const struct domain *d, mfn_t mfn);
struct frame;
/* Make hv's page f one d may map (shared_info, grant frames). */
void domain_share_hv_page(struct domain *d, struct frame *f);
/* The owner lets go of f (ballooning, destruction); freed at its last reference. */
void domain_unassign_frame(struct frame *f);
/*
 * An unused domain id above 0, DOMID_INVALID if none: the next free one
 * after the last handed out, as Xen does, so a dead domain's id (and
 * what others still hold under it, e.g. an unbound port) is not given to
 * the next domain at once.
 */
domid_t domain_free_id(void);
/* The highest domain id hv can hold (its table's size). */
domid_t domain_max_id(void);
/* Stop another domain as if it had shut down (HV_DOMCTL_shutdown). */
void domain_shutdown_other(struct domain *d, unsigned int reason);
void domain_pause(struct domain *d);
void domain_unpause(struct domain *d);
/* Release everything d holds; it is freed (domain_reap) once nobody maps its frames. */
int domain_destroy(struct domain *d);
void domain_reap(void);
struct hv_domctl_info;
struct hv_domctl_range;
void domain_get_info(const struct domain *d, struct hv_domctl_info *info);
/* Grant or revoke I/O ports, I/O memory or IRQs (HV_DOMCTL_*_permission). */
long domain_set_io_permission(struct domain *d, unsigned int cmd, const struct hv_domctl_range *r);
/* Does d hold [first, first + count) of the ports / MFNs / IRQs given to it? */
bool domain_io_allowed(const struct domain *d, unsigned int cmd, uint64_t first, uint64_t count);
/* A guest broke the rules: record, report, and stop it (dom0: stop the machine). */
void __noreturn domain_crash(struct domain *d, const char *why);
/* The guest asked to stop (SCHEDOP_shutdown). */
void __noreturn domain_shutdown(struct domain *d, unsigned int reason);

#endif
