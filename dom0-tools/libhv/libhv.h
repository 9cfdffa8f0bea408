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
void hv_close(struct hv_handle *h);

/* The last failure on this handle, e.g. "xen_version(1): Operation not permitted". */
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

#endif /* LIBHV_H */
