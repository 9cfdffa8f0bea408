/*
 * core.c - libhv handles and the privcmd hypercall path (see libhv.h).
 *
 * Linux's privcmd driver passes a hypercall from dom0 user space to the
 * hypervisor: ioctl IOCTL_PRIVCMD_HYPERCALL with {op, arg[5]} (Linux's
 * include/uapi/xen/privcmd.h; the layout and number are restated here).
 * The ioctl returns the hypervisor's result, or -1 with errno = -result;
 * only ENOTTY means the descriptor is not privcmd at all.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "private.h"

struct privcmd_hypercall_arg {
	uint64_t op;
	uint64_t arg[5];
};
_Static_assert(sizeof(struct privcmd_hypercall_arg) == 48,
	       "privcmd_hypercall is op + 5 arguments");

#define IOCTL_PRIVCMD_HYPERCALL \
	_IOC(_IOC_NONE, 'P', 0, sizeof(struct privcmd_hypercall_arg))

static char open_err[256];

int hv_set_error(struct hv_handle *h, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(h->err, sizeof(h->err), fmt, ap);
	va_end(ap);
	return rc;
}

const char *hv_open_error(void)
{
	return open_err;
}

const char *hv_last_error(const struct hv_handle *h)
{
	return h->err[0] ? h->err : "no error";
}

struct hv_handle *hv_open(const char *path)
{
	struct hv_handle *h;
	int e;

	if (!path)
		path = HV_PRIVCMD_DEFAULT;
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(open_err, sizeof(open_err), "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	h->fd = open(path, O_RDWR | O_CLOEXEC);
	if (h->fd < 0) {
		e = errno;
		snprintf(open_err, sizeof(open_err), "cannot open %s: %s%s", path,
			 strerror(e), e == ENOENT ?
			 " (not dom0 on hv/Xen, or module xen-privcmd not loaded?)" : "");
		free(h);
		errno = e;
		return NULL;
	}
	snprintf(h->path, sizeof(h->path), "%s", path);
	return h;
}

struct hv_handle *hv_open_backend(const struct hv_backend *be)
{
	struct hv_handle *h;

	if (!be || !be->hypercall) {
		snprintf(open_err, sizeof(open_err), "no backend");
		errno = EINVAL;
		return NULL;
	}
	h = calloc(1, sizeof(*h));
	if (!h) {
		snprintf(open_err, sizeof(open_err), "out of memory");
		errno = ENOMEM;
		return NULL;
	}
	h->fd = -1;
	h->be = *be;
	snprintf(h->path, sizeof(h->path), "(backend)");
	return h;
}

void hv_close(struct hv_handle *h)
{
	if (!h)
		return;
	if (h->fd >= 0)
		close(h->fd);
	free(h);
}

long hv_hypercall(struct hv_handle *h, const struct hv_hypercall *call)
{
	struct privcmd_hypercall_arg a;
	long rc;
	int e;

	if (h->fd < 0) {
		rc = h->be.hypercall(h->be.ctx, call);
		if (rc < 0)
			hv_set_error(h, (int)rc, "hypercall %llu: %s",
				     (unsigned long long)call->op, strerror((int)-rc));
		return rc;
	}
	a.op = call->op;
	memcpy(a.arg, call->arg, sizeof(a.arg));
	rc = ioctl(h->fd, IOCTL_PRIVCMD_HYPERCALL, &a);
	if (rc >= 0)
		return rc;
	e = errno;
	/*
	 * A device without the ioctl (/dev/null, a regular file) says
	 * ENOTTY. EINVAL is no such sign: privcmd hands back the
	 * hypervisor's -EINVAL as its own, and hv says it often.
	 */
	if (e == ENOTTY)
		return hv_set_error(h, -e, "%s is not a privcmd device "
				    "(ioctl: %s)", h->path, strerror(e));
	return hv_set_error(h, -e, "hypercall %llu: %s",
			    (unsigned long long)call->op, strerror(e));
}

long hv_call(struct hv_handle *h, const char *what, uint64_t op, uint64_t a1, uint64_t a2,
	     uint64_t a3, uint64_t a4, uint64_t a5)
{
	struct hv_hypercall call = { .op = op, .arg = { a1, a2, a3, a4, a5 } };
	char why[sizeof(h->err)];
	long rc = hv_hypercall(h, &call);

	if (rc >= 0)
		return rc;
	snprintf(why, sizeof(why), "%s", hv_last_error(h));
	return hv_set_error(h, (int)rc, "%s: %s", what, why);
}

void *hv_buffer_alloc(struct hv_handle *h, size_t size)
{
	void *p;

	if (size == 0) {
		hv_set_error(h, -EINVAL, "hypercall buffer of 0 bytes");
		return NULL;
	}
	p = mmap(NULL, size, PROT_READ | PROT_WRITE,
		 MAP_PRIVATE | MAP_ANONYMOUS | MAP_POPULATE, -1, 0);
	if (p == MAP_FAILED) {
		hv_set_error(h, -errno, "hypercall buffer of %zu bytes: %s",
			     size, strerror(errno));
		return NULL;
	}
	/*
	 * The hypervisor must find the pages present: locked memory cannot
	 * be paged out. Without the privilege to lock (unit tests as a
	 * user), populated pages are enough where nothing swaps.
	 */
	(void)mlock(p, size);
	memset(p, 0, size);
	return p;
}

void hv_buffer_free(struct hv_handle *h, void *buf, size_t size)
{
	if (!buf)
		return;
	munlock(buf, size);
	munmap(buf, size);
}
