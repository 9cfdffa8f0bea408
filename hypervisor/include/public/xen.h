/*
 * hv public ABI: the core of the Xen-compatible x86_64 PV guest interface.
 *
 * Hypercall numbers, domain ids, the structures shared between the
 * hypervisor and every PV guest (start_info, shared_info, vcpu_info) and
 * the argument structures of the core hypercalls. Layouts are Xen's,
 * to the bit; docs/pv-abi.md explains each of them.
 *
 * Rules for every header in this directory: fixed-width types only, only
 * <stdint.h> from outside, explicit padding, and an IN/OUT note on every
 * field: IN = written by the caller (guest) and read by the hypervisor,
 * OUT = written by the hypervisor, INOUT = both. C declarations sit
 * under #ifndef __ASSEMBLY__ so assembly sources can use the constants.
 */
#ifndef HV_PUBLIC_XEN_H
#define HV_PUBLIC_XEN_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

/*
 * A guest virtual address passed inside a hypercall argument. The type
 * names what it points at; the value is always 64 bits so hypervisor code
 * can never dereference it by accident.
 */
#define XEN_GUEST_HANDLE(type)      uint64_t
#define XEN_GUEST_HANDLE_64(type)   uint64_t

#ifndef __ASSEMBLY__
typedef uint64_t xen_ulong_t;       /* a guest "unsigned long" */
typedef int64_t  xen_long_t;        /* a guest "long" */
typedef uint64_t xen_pfn_t;         /* a frame number (MFN for PV guests) */
typedef uint16_t domid_t;           /* a domain id */
#endif

#include "arch-x86_64.h"

/* Hypercall numbers: rax at `syscall` (guest kernel mode), or stub index. */
#define __HYPERVISOR_set_trap_table                 0
#define __HYPERVISOR_mmu_update                     1
#define __HYPERVISOR_set_gdt                        2
#define __HYPERVISOR_stack_switch                   3
#define __HYPERVISOR_set_callbacks                  4
#define __HYPERVISOR_fpu_taskswitch                 5
#define __HYPERVISOR_sched_op_compat                6
#define __HYPERVISOR_platform_op                    7
#define __HYPERVISOR_set_debugreg                   8
#define __HYPERVISOR_get_debugreg                   9
#define __HYPERVISOR_update_descriptor              10
/* 11 is unused. */
#define __HYPERVISOR_memory_op                      12
#define __HYPERVISOR_multicall                      13
#define __HYPERVISOR_update_va_mapping              14
#define __HYPERVISOR_set_timer_op                   15
#define __HYPERVISOR_event_channel_op_compat        16
#define __HYPERVISOR_xen_version                    17
#define __HYPERVISOR_console_io                     18
#define __HYPERVISOR_physdev_op_compat              19
#define __HYPERVISOR_grant_table_op                 20
#define __HYPERVISOR_vm_assist                      21
#define __HYPERVISOR_update_va_mapping_otherdomain  22
#define __HYPERVISOR_iret                           23
#define __HYPERVISOR_vcpu_op                        24
#define __HYPERVISOR_set_segment_base               25
#define __HYPERVISOR_mmuext_op                      26
#define __HYPERVISOR_xsm_op                         27
#define __HYPERVISOR_nmi_op                         28
#define __HYPERVISOR_sched_op                       29
#define __HYPERVISOR_callback_op                    30
#define __HYPERVISOR_xenoprof_op                    31
#define __HYPERVISOR_event_channel_op               32
#define __HYPERVISOR_physdev_op                     33
#define __HYPERVISOR_hvm_op                         34
#define __HYPERVISOR_sysctl                         35
#define __HYPERVISOR_domctl                         36
#define __HYPERVISOR_kexec_op                       37
#define __HYPERVISOR_tmem_op                        38
#define __HYPERVISOR_argo_op                        39
#define __HYPERVISOR_xenpmu_op                      40
#define __HYPERVISOR_dm_op                          41
#define __HYPERVISOR_hypfs_op                       42
#define __HYPERVISOR_arch_0                         48   /* x86: mca */
#define __HYPERVISOR_arch_1                         49
#define __HYPERVISOR_arch_2                         50
#define __HYPERVISOR_arch_3                         51
#define __HYPERVISOR_arch_4                         52
#define __HYPERVISOR_arch_5                         53
#define __HYPERVISOR_arch_6                         54
#define __HYPERVISOR_arch_7                         55
#define __HYPERVISOR_mca                            __HYPERVISOR_arch_0

/* Virtual IRQs (event_channel_op bind_virq). V = per vCPU, G = global. */
#define VIRQ_TIMER          0   /* V: timer tick / one-shot expiry */
#define VIRQ_DEBUG          1   /* V: dump debug state */
#define VIRQ_CONSOLE        2   /* G: dom0 console input */
#define VIRQ_DOM_EXC        3   /* G: a domain died or crashed */
#define VIRQ_TBUF           4   /* G: trace buffers */
#define VIRQ_DEBUGGER       6   /* G: a domain paused for the debugger */
#define VIRQ_XENOPROF       7   /* V: profiling sample */
#define VIRQ_CON_RING       8   /* G: hypervisor console ring */
#define VIRQ_PCPU_STATE     9   /* G: physical CPU state change */
#define VIRQ_MEM_EVENT      10  /* G: memory event */
#define VIRQ_ARGO           11  /* G: Argo message */
#define VIRQ_ENOMEM         12  /* G: hypervisor low on memory */
#define VIRQ_XENPMU         13  /* V: PMU interrupt */
#define VIRQ_ARCH_0         16
#define VIRQ_ARCH_1         17
#define VIRQ_ARCH_2         18
#define VIRQ_ARCH_3         19
#define VIRQ_ARCH_4         20
#define VIRQ_ARCH_5         21
#define VIRQ_ARCH_6         22
#define VIRQ_ARCH_7         23
#define VIRQ_MCA            VIRQ_ARCH_0
#define NR_VIRQS            24

/*
 * mmu_update (#1): ptr & 3 selects the command, ptr & ~3 is a machine
 * address.
 */
#define MMU_NORMAL_PT_UPDATE        0   /* checked write of val to the PTE at ptr */
#define MMU_MACHPHYS_UPDATE         1   /* M2P[ptr >> 12] = val */
#define MMU_PT_UPDATE_PRESERVE_AD   2   /* as 0, OR-ing in the current A/D bits */
#define MMU_PT_UPDATE_NO_TRANSLATE  3   /* as 0 for PV */

#ifndef __ASSEMBLY__
struct mmu_update {
	uint64_t ptr;           /* IN: machine address | command */
	uint64_t val;           /* IN: new entry value (or PFN for MACHPHYS) */
};
typedef struct mmu_update mmu_update_t;
#endif

/* In count: a continuation of a preempted mmu_update/mmuext_op (done is read back). */
#define MMU_UPDATE_PREEMPTED        (~(~0U >> 1))

/* mmuext_op (#26) commands. */
#define MMUEXT_PIN_L1_TABLE         0
#define MMUEXT_PIN_L2_TABLE         1
#define MMUEXT_PIN_L3_TABLE         2
#define MMUEXT_PIN_L4_TABLE         3
#define MMUEXT_UNPIN_TABLE          4
#define MMUEXT_NEW_BASEPTR          5
#define MMUEXT_TLB_FLUSH_LOCAL      6
#define MMUEXT_INVLPG_LOCAL         7
#define MMUEXT_TLB_FLUSH_MULTI      8
#define MMUEXT_INVLPG_MULTI         9
#define MMUEXT_TLB_FLUSH_ALL        10
#define MMUEXT_INVLPG_ALL           11
#define MMUEXT_FLUSH_CACHE          12
#define MMUEXT_SET_LDT              13
/* 14 is unused. */
#define MMUEXT_NEW_USER_BASEPTR     15
#define MMUEXT_CLEAR_PAGE           16
#define MMUEXT_COPY_PAGE            17
#define MMUEXT_FLUSH_CACHE_GLOBAL   18
#define MMUEXT_MARK_SUPER           19
#define MMUEXT_UNMARK_SUPER         20

#ifndef __ASSEMBLY__
struct mmuext_op {
	uint32_t cmd;           /* IN: MMUEXT_* */
	uint32_t _pad0;         /* IN: zero */
	union {
		xen_pfn_t mfn;          /* IN: PIN_*, UNPIN, NEW_*BASEPTR, CLEAR/COPY_PAGE (dst), MARK/UNMARK_SUPER */
		uint64_t linear_addr;   /* IN: INVLPG_*, SET_LDT */
	} arg1;
	union {
		uint32_t nr_ents;                   /* IN: SET_LDT */
		XEN_GUEST_HANDLE(void) vcpumask;    /* IN: TLB_FLUSH_MULTI, INVLPG_MULTI: VA of a vCPU bitmap */
		xen_pfn_t src_mfn;                  /* IN: COPY_PAGE */
	} arg2;
};
typedef struct mmuext_op mmuext_op_t;
#endif

/* update_va_mapping (#14) flags: flush type in bits 0-1, scope above. */
#define UVMF_NONE           0x0ULL
#define UVMF_TLB_FLUSH      0x1ULL
#define UVMF_INVLPG         0x2ULL
#define UVMF_FLUSHTYPE_MASK 0x3ULL
#define UVMF_MULTI          0x0ULL  /* | VA of a vCPU bitmap */
#define UVMF_LOCAL          0x0ULL
#define UVMF_ALL            0x4ULL

/* console_io (#18) commands. */
#define CONSOLEIO_write     0
#define CONSOLEIO_read      1

/* vm_assist (#21) commands and types. */
#define VMASST_CMD_enable                   0
#define VMASST_CMD_disable                  1
#define VMASST_TYPE_4gb_segments            0
#define VMASST_TYPE_4gb_segments_notify     1
#define VMASST_TYPE_writable_pagetables     2
#define VMASST_TYPE_pae_extended_cr3        3
#define VMASST_TYPE_architectural_iopl      4
#define VMASST_TYPE_runstate_update_flag    5
#define VMASST_TYPE_m2p_strict              32

/* Domain ids. Ids from DOMID_FIRST_RESERVED up are not real domains. */
#define DOMID_FIRST_RESERVED    0x7ff0U
#define DOMID_SELF              0x7ff0U
#define DOMID_IO                0x7ff1U
#define DOMID_XEN               0x7ff2U
#define DOMID_COW               0x7ff3U
#define DOMID_INVALID           0x7ff4U
#define DOMID_IDLE              0x7fffU
#define DOMID_MASK              0x7fffU

/*
 * multicall (#13): each entry runs as hypercall `op` with args[0..5]; the
 * return value lands in `result`.
 */
#ifndef __ASSEMBLY__
struct multicall_entry {
	xen_ulong_t op;         /* IN: hypercall number */
	xen_ulong_t result;     /* OUT: its return value */
	xen_ulong_t args[6];    /* IN: its arguments */
};
typedef struct multicall_entry multicall_entry_t;
#endif

/* Event channels: the 2-level ABI has 64 * 64 ports. */
#define EVTCHN_2L_NR_CHANNELS   4096
#define NR_EVENT_CHANNELS       EVTCHN_2L_NR_CHANNELS

/*
 * System time for one vCPU (32 bytes): now = system_time +
 * scale(rdtsc() - tsc_timestamp, tsc_to_system_mul, tsc_shift). `version`
 * is odd while the hypervisor updates the record.
 */
#ifndef __ASSEMBLY__
struct vcpu_time_info {
	uint32_t version;           /* OUT */
	uint32_t _pad0;             /* zero */
	uint64_t tsc_timestamp;     /* OUT: TSC when system_time was taken */
	uint64_t system_time;       /* OUT: ns since the hypervisor booted */
	uint32_t tsc_to_system_mul; /* OUT: TSC->ns multiplier (32.32) */
	int8_t   tsc_shift;         /* OUT: pre-shift of the TSC delta */
	uint8_t  flags;             /* OUT: XEN_PVCLOCK_* */
	uint8_t  _pad1[2];          /* zero */
};
typedef struct vcpu_time_info vcpu_time_info_t;
#endif

#define XEN_PVCLOCK_TSC_STABLE_BIT  (1U << 0)
#define XEN_PVCLOCK_GUEST_STOPPED   (1U << 1)

/* Per-vCPU event and time state (64 bytes). */
#ifndef __ASSEMBLY__
struct vcpu_info {
	uint8_t  evtchn_upcall_pending; /* INOUT: hv sets, guest clears */
	uint8_t  evtchn_upcall_mask;    /* IN: nonzero = no upcalls (virtual IF clear) */
	uint8_t  _pad0[6];              /* zero */
	xen_ulong_t evtchn_pending_sel; /* INOUT: words of evtchn_pending to scan */
	struct arch_vcpu_info arch;     /* OUT */
	struct vcpu_time_info time;     /* OUT */
};
typedef struct vcpu_info vcpu_info_t;
#endif

/* The shared-info page (3136 bytes used of 4096). */
#ifndef __ASSEMBLY__
struct shared_info {
	struct vcpu_info vcpu_info[XEN_LEGACY_MAX_VCPUS];   /* INOUT */
	xen_ulong_t evtchn_pending[64];     /* INOUT: hv sets, guest clears */
	xen_ulong_t evtchn_mask[64];        /* IN: guest owns the mask */
	uint32_t wc_version;                /* OUT: odd while updating */
	uint32_t wc_sec;                    /* OUT: UTC seconds at system time 0 */
	uint32_t wc_nsec;                   /* OUT: nanoseconds of the same */
	uint32_t wc_sec_hi;                 /* OUT: high 32 bits of wc_sec */
	struct arch_shared_info arch;       /* INOUT */
};
typedef struct shared_info shared_info_t;
#endif

/* start_info.flags */
#define SIF_PRIVILEGED      (1U << 0)   /* domain is privileged */
#define SIF_INITDOMAIN      (1U << 1)   /* domain is the initial domain (dom0) */
#define SIF_MULTIBOOT_MOD   (1U << 2)   /* mod_start is a multiboot module list */
#define SIF_MOD_START_PFN   (1U << 3)   /* mod_start is a PFN, not a VA */
#define SIF_VIRT_P2M_4TOOLS (1U << 4)   /* tools understand the virtual p2m */
#define SIF_PM_MASK         (0xffU << 8)

#define MAX_GUEST_CMDLINE   1024

/*
 * The start-of-day page (1168 bytes), VA in rsi at the entry point. All
 * fields are written by the domain builder (OUT).
 */
#ifndef __ASSEMBLY__
struct start_info {
	char     magic[32];         /* OUT: "xen-<version>-x86_64", NUL padded */
	uint64_t nr_pages;          /* OUT: pages given to the domain */
	uint64_t shared_info;       /* OUT: machine address of shared_info */
	uint32_t flags;             /* OUT: SIF_* */
	uint32_t _pad0;             /* zero */
	xen_pfn_t store_mfn;        /* OUT: xenstore ring MFN (domU) */
	uint32_t store_evtchn;      /* OUT: xenstore port (domU) */
	uint32_t _pad1;             /* zero */
	union {
		struct {
			xen_pfn_t mfn;      /* OUT: console ring MFN */
			uint32_t evtchn;    /* OUT: console port */
			uint32_t _pad2;     /* zero */
		} domU;
		struct {
			uint32_t info_off;  /* OUT: offset of dom0_vga_console_info in this page */
			uint32_t info_size; /* OUT: its size */
		} dom0;
	} console;
	uint64_t pt_base;           /* OUT: VA of the bootstrap L4 */
	uint64_t nr_pt_frames;      /* OUT: bootstrap page-table frames */
	uint64_t mfn_list;          /* OUT: VA of the p2m array */
	uint64_t mod_start;         /* OUT: initrd VA (or PFN with SIF_MOD_START_PFN) */
	uint64_t mod_len;           /* OUT: initrd bytes (0 = none) */
	char     cmd_line[MAX_GUEST_CMDLINE]; /* OUT: NUL-terminated command line */
	uint64_t first_p2m_pfn;     /* OUT: first PFN of the separately mapped p2m */
	uint64_t nr_p2m_frames;     /* OUT: number of such frames */
};
typedef struct start_info start_info_t;
#endif

/* dom0_vga_console_info.video_type */
#define XEN_VGATYPE_TEXT_MODE_3 0x03
#define XEN_VGATYPE_VESA_LFB    0x23
#define XEN_VGATYPE_EFI_LFB     0x70

/* The boot console dom0 inherits (40 bytes, right after start_info). */
#ifndef __ASSEMBLY__
struct dom0_vga_console_info {
	uint8_t video_type;         /* OUT: XEN_VGATYPE_* */
	uint8_t _pad0[3];           /* zero */
	union {
		struct {
			uint16_t font_height;   /* OUT */
			uint16_t cursor_x;      /* OUT */
			uint16_t cursor_y;      /* OUT */
			uint16_t rows;          /* OUT */
			uint16_t columns;       /* OUT */
		} text_mode_3;
		struct {
			uint16_t width;         /* OUT: pixels */
			uint16_t height;        /* OUT: pixels */
			uint16_t bytes_per_line;/* OUT */
			uint16_t bits_per_pixel;/* OUT */
			uint32_t lfb_base;      /* OUT: low 32 bits of the frame buffer address */
			uint32_t lfb_size;      /* OUT: in 64 KiB units */
			uint8_t  red_pos;       /* OUT */
			uint8_t  red_size;      /* OUT */
			uint8_t  green_pos;     /* OUT */
			uint8_t  green_size;    /* OUT */
			uint8_t  blue_pos;      /* OUT */
			uint8_t  blue_size;     /* OUT */
			uint8_t  rsvd_pos;      /* OUT */
			uint8_t  rsvd_size;     /* OUT */
			uint32_t gbl_caps;      /* OUT */
			uint16_t mode_attrs;    /* OUT */
			uint16_t _pad1;         /* zero */
			uint32_t ext_lfb_base;  /* OUT: high 32 bits of the frame buffer address */
		} vesa_lfb;
	} u;
};
typedef struct dom0_vga_console_info dom0_vga_console_info_t;
#endif

/* A 16-byte domain handle (UUID). */
#ifndef __ASSEMBLY__
typedef uint8_t xen_domain_handle_t[16];
#endif

#endif /* HV_PUBLIC_XEN_H */
