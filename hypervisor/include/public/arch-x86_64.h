/*
 * hv public ABI: the x86_64 PV machine interface.
 *
 * Everything here is specific to 64-bit PV guests: the reserved virtual
 * range, the flat selectors, the virtual trap table, the saved register
 * frame and the per-vCPU guest context. Included through <public/xen.h>;
 * do not include it on its own.
 *
 * Field annotations: IN = written by the guest (or the caller) and read by
 * the hypervisor, OUT = written by the hypervisor, INOUT = both.
 */
#ifndef HV_PUBLIC_ARCH_X86_64_H
#define HV_PUBLIC_ARCH_X86_64_H

#ifndef __ASSEMBLY__
#include <stdint.h>
#endif

/*
 * The hypervisor hole: L4 slots 256..271 of every PV address space belong to
 * the hypervisor. Guests cannot write those L4 entries.
 */
#define HYPERVISOR_VIRT_START   0xffff800000000000ULL
#define HYPERVISOR_VIRT_END     0xffff880000000000ULL

/* The read-only machine-to-physical table at the base of the hole (256 GiB). */
#define MACH2PHYS_VIRT_START    0xffff800000000000ULL
#define MACH2PHYS_VIRT_END      0xffff804000000000ULL
#define MACH2PHYS_NR_ENTRIES    ((MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START) >> 3)

/* M2P entry values that are not PFNs. */
#define INVALID_M2P_ENTRY       (~0ULL)
#define SHARED_M2P_ENTRY        (~0ULL - 1ULL)

/*
 * Flat segment selectors in the hypervisor's reserved GDT page. The guest
 * kernel and guest user both run at CPL 3, so kernel and user aliases are
 * the same selectors.
 */
#define FLAT_RING3_CS32         0xe023
#define FLAT_RING3_CS64         0xe033
#define FLAT_RING3_DS32         0xe02b
#define FLAT_RING3_DS64         0x0000
#define FLAT_RING3_SS32         0xe02b
#define FLAT_RING3_SS64         0xe02b

#define FLAT_KERNEL_CS64        FLAT_RING3_CS64
#define FLAT_KERNEL_DS64        FLAT_RING3_DS64
#define FLAT_KERNEL_SS64        FLAT_RING3_SS64
#define FLAT_KERNEL_CS32        FLAT_RING3_CS32
#define FLAT_KERNEL_DS32        FLAT_RING3_DS32
#define FLAT_KERNEL_SS32        FLAT_RING3_SS32
#define FLAT_KERNEL_CS          FLAT_KERNEL_CS64
#define FLAT_KERNEL_DS          FLAT_KERNEL_DS64
#define FLAT_KERNEL_SS          FLAT_KERNEL_SS64

#define FLAT_USER_CS64          FLAT_RING3_CS64
#define FLAT_USER_DS64          FLAT_RING3_DS64
#define FLAT_USER_SS64          FLAT_RING3_SS64
#define FLAT_USER_CS32          FLAT_RING3_CS32
#define FLAT_USER_DS32          FLAT_RING3_DS32
#define FLAT_USER_SS32          FLAT_RING3_SS32
#define FLAT_USER_CS            FLAT_USER_CS64
#define FLAT_USER_DS            FLAT_USER_DS64
#define FLAT_USER_SS            FLAT_USER_SS64

/* GDT entries 0..FIRST_RESERVED_GDT_ENTRY-1 are the guest's (14 pages). */
#define FIRST_RESERVED_GDT_PAGE  14
#define FIRST_RESERVED_GDT_BYTE  (FIRST_RESERVED_GDT_PAGE * 4096)
#define FIRST_RESERVED_GDT_ENTRY (FIRST_RESERVED_GDT_BYTE / 8)

/* set_segment_base (#25) selectors. */
#define SEGBASE_FS              0   /* FS base */
#define SEGBASE_GS_USER         1   /* user GS base (inactive in kernel mode) */
#define SEGBASE_GS_KERNEL       2   /* kernel GS base */
#define SEGBASE_GS_USER_SEL     3   /* load the user %gs selector (base & 0xffff) */

/* Shared-info slots for vCPUs; later vCPUs need VCPUOP_register_vcpu_info. */
#define XEN_LEGACY_MAX_VCPUS    32

/* Hypercall page: 128 stubs of 32 bytes, stub i at page + 32 * i. */
#define HYPERCALL_STUB_SIZE     32
#define HYPERCALL_NR_STUBS      128

/* CPUID: the hypervisor leaves, reached through the forced-emulation prefix. */
#define XEN_CPUID_FIRST_LEAF    0x40000000U
#define XEN_CPUID_SIGNATURE_EBX 0x566e6558U   /* "XenV" */
#define XEN_CPUID_SIGNATURE_ECX 0x65584d4dU   /* "MMXe" */
#define XEN_CPUID_SIGNATURE_EDX 0x4d4d566eU   /* "nVMM" */
/* ud2 ; .ascii "xen" — followed by the cpuid opcode 0f a2. */
#define XEN_CPUID_FORCED_EMUL_PREFIX ".byte 0x0f,0x0b,0x78,0x65,0x6e ; "

/*
 * One entry of the virtual trap table (set_trap_table, #0). The list ends
 * at the first entry whose address is 0.
 */
#ifndef __ASSEMBLY__
struct trap_info {
	uint8_t  vector;        /* IN: exception/interrupt vector */
	uint8_t  flags;         /* IN: TI_* below */
	uint16_t cs;            /* IN: code selector (ignored for 64-bit guests) */
	uint32_t _pad0;         /* IN: zero */
	uint64_t address;       /* IN: handler VA; 0 ends the list */
};
#endif

/* trap_info.flags: bits 0-1 the DPL `int n` needs, bit 2 masks events. */
#define TI_DPL_MASK             0x3
#define TI_GET_DPL(ti)          ((ti)->flags & TI_DPL_MASK)
#define TI_GET_IF(ti)           (((ti)->flags >> 2) & 1)
#define TI_SET_DPL(ti, dpl)     ((ti)->flags = (uint8_t)(((ti)->flags & ~TI_DPL_MASK) | ((dpl) & TI_DPL_MASK)))
#define TI_SET_IF(ti, on)       ((ti)->flags = (uint8_t)(((ti)->flags & ~4) | ((on) ? 4 : 0)))

/*
 * The register frame the hypervisor saves for a vCPU (200 bytes). Used
 * inside vcpu_guest_context; also the layout of hv's own entry frames.
 */
#ifndef __ASSEMBLY__
struct cpu_user_regs {
	uint64_t r15;           /* INOUT */
	uint64_t r14;           /* INOUT */
	uint64_t r13;           /* INOUT */
	uint64_t r12;           /* INOUT */
	uint64_t rbp;           /* INOUT */
	uint64_t rbx;           /* INOUT */
	uint64_t r11;           /* INOUT */
	uint64_t r10;           /* INOUT */
	uint64_t r9;            /* INOUT */
	uint64_t r8;            /* INOUT */
	uint64_t rax;           /* INOUT */
	uint64_t rcx;           /* INOUT */
	uint64_t rdx;           /* INOUT */
	uint64_t rsi;           /* INOUT */
	uint64_t rdi;           /* INOUT */
	uint32_t error_code;    /* OUT: hardware error code, if any */
	uint32_t entry_vector;  /* OUT: vector that entered the hypervisor */
	uint64_t rip;           /* INOUT */
	uint16_t cs;            /* INOUT */
	uint16_t _pad0;         /* zero */
	uint8_t  saved_upcall_mask; /* INOUT: upcall mask at the time of entry */
	uint8_t  _pad1[3];      /* zero */
	uint64_t rflags;        /* INOUT */
	uint64_t rsp;           /* INOUT */
	uint16_t ss;            /* INOUT */
	uint16_t _pad2[3];      /* zero */
	uint16_t es;            /* INOUT */
	uint16_t _pad3[3];      /* zero */
	uint16_t ds;            /* INOUT */
	uint16_t _pad4[3];      /* zero */
	uint16_t fs;            /* INOUT */
	uint16_t _pad5[3];      /* zero */
	uint16_t gs;            /* INOUT */
	uint16_t _pad6[3];      /* zero */
};
#endif

/*
 * The frame the guest leaves on its stack for the iret hypercall (#23),
 * lowest address first. Bit VGCF_in_syscall in flags: return as from a
 * syscall (rcx and r11 are not restored).
 */
#ifndef __ASSEMBLY__
struct iret_context {
	uint64_t rax;           /* IN */
	uint64_t r11;           /* IN */
	uint64_t rcx;           /* IN */
	uint64_t flags;         /* IN: VGCF_in_syscall or 0 */
	uint64_t rip;           /* IN */
	uint64_t cs;            /* IN */
	uint64_t rflags;        /* IN */
	uint64_t rsp;           /* IN */
	uint64_t ss;            /* IN */
};
#endif

/* Per-vCPU arch part of vcpu_info. */
#ifndef __ASSEMBLY__
struct arch_vcpu_info {
	uint64_t cr2;           /* OUT: faulting address of the last #PF injected */
	uint64_t _pad;          /* reserved */
};
#endif

/* Why dom0 got an NMI (arch_shared_info.nmi_reason bits). */
#define _XEN_NMIREASON_io_error     0
#define XEN_NMIREASON_io_error      (1U << _XEN_NMIREASON_io_error)
#define _XEN_NMIREASON_pci_serr     1
#define XEN_NMIREASON_pci_serr      (1U << _XEN_NMIREASON_pci_serr)

/* Arch part of shared_info (48 bytes). */
#ifndef __ASSEMBLY__
struct arch_shared_info {
	uint64_t max_pfn;                   /* IN: guest: size of its p2m, for tools */
	uint64_t pfn_to_mfn_frame_list_list;/* IN: guest: MFN of the p2m tree root, ~0 = virtual p2m */
	uint64_t nmi_reason;                /* OUT: XEN_NMIREASON_* (dom0) */
	uint64_t p2m_cr3;                   /* IN: guest: CR3 of the virtual p2m */
	uint64_t p2m_vaddr;                 /* IN: guest: VA of the virtual p2m */
	uint64_t p2m_generation;            /* IN: guest: bumped on every p2m change */
};
#endif

/* vcpu_guest_context.flags */
#define VGCF_I387_VALID             (1U << 0)
#define VGCF_IN_KERNEL              (1U << 2)
#define _VGCF_i387_valid            0
#define VGCF_i387_valid             (1U << _VGCF_i387_valid)
#define _VGCF_in_kernel             2
#define VGCF_in_kernel              (1U << _VGCF_in_kernel)
#define _VGCF_failsafe_disables_events 3
#define VGCF_failsafe_disables_events (1U << _VGCF_failsafe_disables_events)
#define _VGCF_syscall_disables_events 4
#define VGCF_syscall_disables_events (1U << _VGCF_syscall_disables_events)
#define _VGCF_online                5
#define VGCF_online                 (1U << _VGCF_online)
/* In iret_context.flags only. */
#define _VGCF_in_syscall            8
#define VGCF_in_syscall             (1U << _VGCF_in_syscall)

/*
 * A vCPU's complete guest-visible state (5168 bytes), for
 * VCPUOP_initialise and the toolstack.
 */
#ifndef __ASSEMBLY__
struct vcpu_guest_context {
	uint8_t  fpu_ctxt[512];             /* INOUT: FXSAVE image */
	uint64_t flags;                     /* INOUT: VGCF_* */
	struct cpu_user_regs user_regs;     /* INOUT */
	struct trap_info trap_ctxt[256];    /* INOUT: virtual trap table */
	uint64_t ldt_base;                  /* INOUT: LDT VA */
	uint64_t ldt_ents;                  /* INOUT: LDT entries */
	uint64_t gdt_frames[16];            /* INOUT: GDT frame MFNs */
	uint64_t gdt_ents;                  /* INOUT: GDT entries */
	uint64_t kernel_ss;                 /* INOUT: stack_switch ss */
	uint64_t kernel_sp;                 /* INOUT: stack_switch sp */
	uint64_t ctrlreg[8];                /* INOUT: [1] user CR3, [3] kernel CR3 (mfn << 12) */
	uint64_t debugreg[8];               /* INOUT: DR0-DR7 */
	uint64_t event_callback_eip;        /* INOUT */
	uint64_t failsafe_callback_eip;     /* INOUT */
	uint64_t syscall_callback_eip;      /* INOUT */
	uint64_t vm_assist;                 /* INOUT: VMASST_TYPE_* bitmap */
	uint64_t fs_base;                   /* INOUT */
	uint64_t gs_base_kernel;            /* INOUT */
	uint64_t gs_base_user;              /* INOUT */
};
#endif

#endif /* HV_PUBLIC_ARCH_X86_64_H */
