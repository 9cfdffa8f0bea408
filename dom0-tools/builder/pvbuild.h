/*
 * pvbuild.h - the PV domain builder: a 64-bit PV kernel (ELF with Xen's
 * notes), a memory size, a command line and an optional initrd become a
 * domain ready to run, laid out as pv-abi.md §5 says such a kernel
 * expects to find itself.
 *
 * The builder never touches a hypervisor itself. Everything it does to
 * the domain goes through a small table of callbacks (struct pvb_ops):
 * get frames, map one frame for writing, record M2P entries, pin the L4,
 * set vCPU 0's context. So the same sources build
 *   - freestanding into guest-pv (dom0 on hv, hypercalls direct),
 *   - into a Linux dom0 tool (libhv over /dev/xen/privcmd),
 *   - on the host, where the unit tests build a domain into a buffer.
 * The code needs no C library beyond memcpy, memset, memcmp, strncmp,
 * strnlen, strlen and vsnprintf, and no allocation: the caller provides
 * the state (struct pvb_build) and the p2m array.
 *
 * Use:
 *   pvb_parse()   check the image completely: headers, segments, notes,
 *                 Xen's loader rules. Nothing is built.
 *   pvb_layout()  place every element and check that it all fits the
 *                 memory given. Nothing is built.
 *   pvb_build()   both of the above, then: populate, load, write the
 *                 p2m, M2P, start_info and page tables, mask every
 *                 vCPU's event upcalls in shared_info, pin the L4, set
 *                 vCPU 0's context (and start it, if ops->start is set).
 * Every function returns 0 or a negative errno and leaves a one-line
 * reason in b->err. Bad input is refused by the first two steps, before
 * the first callback; if a callback fails half-way the domain is left
 * half-built and the caller destroys it.
 *
 * The bootstrap region starts at VIRT_BASE and maps PFN n at
 * VIRT_BASE + n * 4 KiB. In order, page aligned:
 *
 *   kernel | [initrd] | [p2m] | start_info | [xenstore] | [console]
 *          | page tables (read-only; L4, L3s, L2s, L1s) | stack
 *
 * padded to a 4 MiB boundary with at least 512 KiB after the stack. The
 * initrd is left unmapped when the kernel accepts that (MOD_START_PFN:
 * start_info.mod_start is then its first PFN); the p2m goes to the
 * kernel's INIT_P2M address when it asks, with page tables of its own.
 * Their PFNs follow the region's. Every other PFN is RAM the kernel may
 * use, unmapped.
 */
#ifndef PVBUILD_H
#define PVBUILD_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/xen.h>

#define PVB_MAX_SEGMENTS    16
#define PVB_MAX_TABLES      1024    /* page-table frames the builder can plan */
#define PVB_ERR_LEN         200

/* One PT_LOAD segment, relocated. */
struct pvb_segment {
	uint64_t va;            /* where it is loaded */
	uint64_t offset;        /* in the file */
	uint64_t filesz, memsz; /* bytes copied; bytes in memory (the rest zeroed) */
};

/* What pvb_parse() found in a kernel image. */
struct pvb_image {
	const uint8_t *file;
	size_t size;
	struct pvb_segment segs[PVB_MAX_SEGMENTS];
	unsigned int nr_segs;
	uint64_t kstart, kend;          /* the image's span, page aligned */
	uint64_t entry;                 /* ENTRY note, else e_entry */
	uint64_t virt_base;             /* VIRT_BASE note, else 0 */
	uint64_t paddr_offset;          /* PADDR_OFFSET note, else 0 */
	uint64_t hypercall_page;        /* VA to fill, 0 = none asked for */
	uint64_t init_p2m;              /* VA for the p2m, 0 = inside the region */
	bool mod_start_pfn;             /* an unmapped initrd is fine */
	uint32_t supported_features;    /* SUPPORTED_FEATURES, submap 0 */
	uint32_t required_features;     /* "!name" in FEATURES, as XENFEAT_ bits */
	char guest_os[32], guest_version[32], loader[32], xen_version[32];
};

/* Where everything goes: virtual addresses, and PFNs where not mapped. */
struct pvb_layout {
	uint64_t v_start, v_end;        /* the bootstrap region */
	uint64_t boot_pfns;             /* (v_end - v_start) / 4 KiB */
	uint64_t initrd_va;             /* 0 when unmapped */
	uint64_t initrd_pfn, initrd_pages;
	uint64_t p2m_va, p2m_pfn, p2m_pages;
	uint64_t si_va, store_va, console_va;   /* store/console 0 when none */
	uint64_t pt_va, nr_pt;          /* the region's page tables */
	uint64_t stack_va;
	uint64_t p2m_pt_pfn, nr_p2m_pt; /* INIT_P2M: the p2m's own page tables */
	uint64_t pfns_used;             /* PFNs the layout needs */
};

/* What to build. */
struct pvb_params {
	const void *kernel;
	size_t kernel_size;
	const void *initrd;             /* NULL or initrd_size 0: none */
	size_t initrd_size;
	const char *cmdline;            /* NULL = empty; at most 1023 bytes */
	uint64_t nr_pages;              /* memory the domain gets */
	uint64_t shared_info_mfn;       /* from the hypervisor (domctl getinfo) */
	uint32_t si_flags;              /* extra SIF_* for start_info (normally 0) */
	uint32_t store_evtchn;          /* nonzero: a xenstore ring page, this port */
	uint32_t console_evtchn;        /* nonzero: a console ring page, this port */
	uint64_t *p2m;                  /* nr_pages entries, OUT: the domain's PFN -> MFN */
};

/*
 * How the builder reaches the domain. ctx is passed back unchanged.
 * Every int-returning callback returns 0 or a negative errno.
 */
struct pvb_ops {
	/*
	 * Give the domain n frames: list holds PFNs on entry and the frames'
	 * MFNs on return. The frames must come zeroed (hv and Xen hand a
	 * domain only scrubbed memory).
	 */
	int (*populate)(void *ctx, uint64_t *list, uint64_t n);
	/*
	 * Map one of the domain's frames writable into the caller: its
	 * address, or NULL. Also asked for the shared_info frame.
	 */
	void *(*map)(void *ctx, uint64_t mfn);
	void (*unmap)(void *ctx, void *page);
	/* M2P[mfns[i]] = first_pfn + i for i < n. */
	int (*set_m2p)(void *ctx, const uint64_t *mfns, uint64_t first_pfn, uint64_t n);
	/* Pin mfn as the domain's L4 (the hypervisor validates the whole tree). */
	int (*pin_l4)(void *ctx, uint64_t mfn);
	int (*set_vcpu_context)(void *ctx, unsigned int vcpu, const struct vcpu_guest_context *c);
	/* Optional: bring vCPU 0 up and unpause. NULL: the caller does it. */
	int (*start)(void *ctx);
	/*
	 * Optional: have the hypervisor fill the hypercall page, the frame
	 * mfn, as Xen's toolstack does (XEN_DOMCTL_hypercall_init). NULL: the
	 * builder writes Xen's stubs itself (pvb_hypercall_page).
	 */
	int (*hypercall_page)(void *ctx, uint64_t mfn);
};

/* One page-table frame of the plan: the span it maps and its PFN. */
struct pvb_table {
	uint64_t base;                  /* first VA of the span it covers */
	uint64_t pfn;
	uint64_t mfn;                   /* once populated */
	unsigned int level;             /* 1..4 */
};

/* The builder's state, owned by the caller (no allocation inside). */
struct pvb_build {
	struct pvb_image img;
	struct pvb_layout lay;
	struct pvb_table tables[PVB_MAX_TABLES];
	unsigned int nr_tables;
	uint64_t l4_mfn, si_mfn, store_mfn, console_mfn;
	struct vcpu_guest_context ctxt; /* what vCPU 0 was given */
	char err[PVB_ERR_LEN];          /* why the last call failed */
};

/* Check a kernel image; fills b->img. -ENOEXEC (bad image) or -EINVAL. */
int pvb_parse(struct pvb_build *b, const void *file, size_t size);

/*
 * The same checks on their own, for a loader with its own builder (hv
 * builds dom0 at boot): fills img; on -ENOEXEC, err (errlen bytes) says
 * why in one line, without a prefix. Needs only memcpy, memset, memcmp,
 * strncmp, strnlen, strlen and vsnprintf.
 */
int pvb_parse_image(struct pvb_image *img, char *err, size_t errlen, const void *file,
		    size_t size);

/* pvb_parse, then place everything for p; fills b->lay and the table plan. */
int pvb_layout(struct pvb_build *b, const struct pvb_params *p);

/* pvb_layout, then build the domain through ops. */
int pvb_build(struct pvb_build *b, const struct pvb_params *p, const struct pvb_ops *ops,
	      void *ctx);

/* Fill a hypercall page (4 KiB): Xen's 128 stubs of 32 bytes, int3 between. */
void pvb_hypercall_page(uint8_t *page);

#endif /* PVBUILD_H */
