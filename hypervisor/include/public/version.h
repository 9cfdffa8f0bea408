/*
 * hv public ABI: xen_version (#17). Sub-op in rdi, argument buffer in rsi.
 */
#ifndef HV_PUBLIC_VERSION_H
#define HV_PUBLIC_VERSION_H

#include "xen.h"

/* Returns major << 16 | minor directly; the argument is ignored. */
#define XENVER_version              0

/* arg: char[16], e.g. ".7" or "-unstable". */
#define XENVER_extraversion         1
typedef char xen_extraversion_t[16];
#define XEN_EXTRAVERSION_LEN        16

/* arg: struct xen_compile_info. */
#define XENVER_compile_info         2
struct xen_compile_info {
	char compiler[64];          /* OUT */
	char compile_by[16];        /* OUT */
	char compile_domain[32];    /* OUT */
	char compile_date[32];      /* OUT */
};
typedef struct xen_compile_info xen_compile_info_t;

/* arg: char[1024], space-separated guest types, e.g. "xen-3.0-x86_64 ". */
#define XENVER_capabilities         3
typedef char xen_capabilities_info_t[1024];
#define XEN_CAPABILITIES_INFO_LEN   1024

/* arg: char[64], the source revision. */
#define XENVER_changeset            4
typedef char xen_changeset_info_t[64];
#define XEN_CHANGESET_INFO_LEN      64

/* arg: struct xen_platform_parameters. */
#define XENVER_platform_parameters  5
struct xen_platform_parameters {
	xen_ulong_t virt_start;     /* OUT: lowest VA the hypervisor reserves */
};
typedef struct xen_platform_parameters xen_platform_parameters_t;

/* arg: struct xen_feature_info; submap 0 only (XENFEAT_NR_SUBMAPS). */
#define XENVER_get_features         6
struct xen_feature_info {
	uint32_t submap_idx;        /* IN: which 32-bit submap */
	uint32_t submap;            /* OUT: XENFEAT_* bits of that submap */
};
typedef struct xen_feature_info xen_feature_info_t;

/* Returns the page size directly (4096); arg must be NULL. */
#define XENVER_pagesize             7

/* arg: xen_domain_handle_t, the caller's 16-byte UUID. */
#define XENVER_guest_handle         8

/* arg: char[1024], the hypervisor command line (privileged). */
#define XENVER_commandline          9
typedef char xen_commandline_t[1024];

/*
 * arg: struct xen_varbuf followed by `len` bytes of buffer; returns the
 * bytes written. A NULL arg asks for the size.
 */
#define XENVER_build_id             10
struct xen_varbuf {
	uint32_t len;               /* IN: buffer bytes that follow this header */
	/* uint8_t buf[len] follows: OUT */
};
typedef struct xen_varbuf xen_varbuf_t;

#endif /* HV_PUBLIC_VERSION_H */
