/*
 * libhv.h - dom0's door to the hypervisor: hypercalls through Linux's
 * /dev/xen/privcmd.
 *
 * A handle owns the open privcmd descriptor. Every call returns a
 * non-negative result or a negative errno, and leaves a one-line account
 * of what failed in hv_last_error(): tools print it as it is.
 *
 * Memory a hypercall reads or writes must stay mapped while the
 * hypervisor touches it: pass buffers from hv_buffer_alloc() (locked,
 * zeroed pages), never the stack.
 *
 * Tests replace the device with a hv_backend: the same library code runs
 * on the host against a fake hypervisor.
 */
#ifndef LIBHV_H
#define LIBHV_H

#include <stddef.h>
#include <stdint.h>

#define HV_PRIVCMD_DEFAULT "/dev/xen/privcmd"

struct hv_handle;

/* What reaches the hypervisor: a hypercall number and five arguments. */
struct hv_hypercall {
	uint64_t op;
	uint64_t arg[5];
};

/* A fake hypervisor for tests: returns the result or a negative errno. */
struct hv_backend {
	long (*hypercall)(void *ctx, const struct hv_hypercall *call);
	void *ctx;
};

/*
 * Open the privcmd device at `path` (NULL: HV_PRIVCMD_DEFAULT). On
 * failure return NULL with errno set; hv_open_error() then says why.
 */
struct hv_handle *hv_open(const char *path);
const char *hv_open_error(void);
/* A handle whose hypercalls go to `be` instead of a device. */
struct hv_handle *hv_open_backend(const struct hv_backend *be);
/*
 * A backend's stand-ins for privcmd's foreign mappings (hv_map_foreign),
 * called with the backend's ctx; without them hv_map_foreign fails with
 * -ENOSYS. -EINVAL on a device handle.
 */
int hv_backend_foreign(struct hv_handle *h, void *(*map)(void *ctx, uint16_t dom, uint64_t mfn),
		       void (*unmap)(void *ctx, void *page));
void hv_close(struct hv_handle *h);

/* The last failure on this handle, e.g. "xen_version(version): hypercall 17: Operation not permitted". */
const char *hv_last_error(const struct hv_handle *h);

/*
 * Issue one hypercall. The result is the hypervisor's; a negative value
 * is -errno. Results that do not fit an int cannot be told from errors
 * (the ioctl returns int), so callers use calls whose results are small.
 */
long hv_hypercall(struct hv_handle *h, const struct hv_hypercall *call);

/* Locked, zeroed memory for hypercall arguments; NULL on failure. */
void *hv_buffer_alloc(struct hv_handle *h, size_t size);
void hv_buffer_free(struct hv_handle *h, void *buf, size_t size);

/* ---- xen_version --------------------------------------------------- */

struct hv_version {
	unsigned int major, minor;
	char extra[17];		/* XENVER_extraversion, e.g. ".3" or "-hv0.1" */
	char changeset[65];	/* XENVER_changeset */
	char capabilities[1025];/* XENVER_capabilities */
};

/* Fill `v` with the version, extra version, changeset and capabilities. */
int hv_xen_version(struct hv_handle *h, struct hv_version *v);
/* "4.17.3" into buf; returns the length snprintf would have written. */
int hv_version_string(const struct hv_version *v, char *buf, size_t len);
/*
 * Copy a string the hypervisor wrote into a fixed field of `size` bytes:
 * stop at the first NUL or at `size`, replace bytes that are not printable
 * ASCII by '?', always terminate (dst holds size + 1 bytes).
 */
void hv_copy_field(char *dst, const char *field, size_t size);

/* ---- the control interface (public/hvctl.h, dom0 only) --------------- */

struct hv_domctl_info;
struct hv_sysctl_physinfo;

/*
 * Every domain, lowest id first: up to `max` entries into `out`, how many
 * in *count. 0 or -errno (-EACCES: the hypervisor is not hv, or speaks
 * another version of its interface; -EPERM: not dom0).
 */
int hv_domain_list(struct hv_handle *h, struct hv_domctl_info *out,
		   unsigned int max, unsigned int *count);
/* The machine: CPUs, memory, domains, hv's own allocations. */
int hv_physinfo(struct hv_handle *h, struct hv_sysctl_physinfo *out);
/* xl's letters: r running, b blocked, p paused, s shutdown, c crashed, d dying. */
char hv_domain_state_letter(const struct hv_domctl_info *info);

/* ---- domains: domctl, and what a domain builder does (dom0 only) ----- */

/* Domain ids are domid_t (uint16_t) as in <public/xen.h>. */
struct hv_domctl;
struct hv_sysctl;
struct hv_domctl_create;
struct vcpu_guest_context;

/*
 * One domctl / sysctl: `op` is copied into locked memory with
 * HVCTL_INTERFACE_VERSION filled in, and copied back (outputs included)
 * on success. On failure hv_last_error() names the command and domain,
 * e.g. "domctl(destroy, domain 3): hypercall 36: No such process".
 */
int hv_domctl(struct hv_handle *h, struct hv_domctl *op);
int hv_sysctl(struct hv_handle *h, struct hv_sysctl *op);

/* A new empty, paused domain; *dom: the id wanted (0 = any), then the id given. */
int hv_domain_create(struct hv_handle *h, const struct hv_domctl_create *c, uint16_t *dom);
int hv_domain_destroy(struct hv_handle *h, uint16_t dom);
int hv_domain_pause(struct hv_handle *h, uint16_t dom);
int hv_domain_unpause(struct hv_handle *h, uint16_t dom);
int hv_domain_getinfo(struct hv_handle *h, uint16_t dom, struct hv_domctl_info *info);
/* An unbound port of dom that `remote` may bind. */
int hv_evtchn_alloc(struct hv_handle *h, uint16_t dom, uint16_t remote, uint32_t *port);
int hv_vcpu_up(struct hv_handle *h, uint16_t dom, unsigned int vcpu);
int hv_set_vcpu_context(struct hv_handle *h, uint16_t dom, unsigned int vcpu,
			const struct vcpu_guest_context *c);

/*
 * populate_physmap for dom: list holds n PFNs, gets their MFNs. 0 if all n
 * were given, -ENOMEM if fewer, -EIO (list untouched) if more were claimed.
 */
int hv_populate_physmap(struct hv_handle *h, uint16_t dom, uint64_t *list, size_t n);
/* M2P[mfns[i]] = first_pfn + i for dom's frames (MMU_MACHPHYS_UPDATE, batched). */
int hv_set_m2p(struct hv_handle *h, uint16_t dom, const uint64_t *mfns, uint64_t first_pfn,
	       size_t n);
/* MMUEXT_PIN_L4_TABLE of dom's frame mfn (the hypervisor validates the tree). */
int hv_pin_l4(struct hv_handle *h, uint16_t dom, uint64_t mfn);

/*
 * One of dom's frames mapped read-write into this process (privcmd
 * IOCTL_PRIVCMD_MMAPBATCH_V2), or NULL; undo with hv_unmap_foreign.
 */
void *hv_map_foreign(struct hv_handle *h, uint16_t dom, uint64_t mfn);
void hv_unmap_foreign(struct hv_handle *h, void *page);

/*
 * Build a PV kernel into dom (created, empty, paused) with the shared
 * builder (dom0-tools/builder, libpvbuild.a) and, if `start`, bring vCPU
 * 0 up and unpause it. p->shared_info_mfn is filled from getinfo. On
 * failure b->err (and hv_last_error()) say why; the caller destroys dom.
 */
struct pvb_build;
struct pvb_params;
int hv_build_pv(struct hv_handle *h, uint16_t dom, struct pvb_params *p, struct pvb_build *b,
		int start);

#endif /* LIBHV_H */
