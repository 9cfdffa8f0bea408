/*
 * private.h - libhv internals shared by its source files.
 */
#ifndef LIBHV_PRIVATE_H
#define LIBHV_PRIVATE_H

#include <stdarg.h>

#include "libhv.h"

struct hv_handle {
	int fd;				/* privcmd, or -1 with a backend */
	struct hv_backend be;		/* used when fd < 0 */
	void *(*be_map)(void *ctx, uint16_t dom, uint64_t mfn);	/* the backend's foreign maps */
	void (*be_unmap)(void *ctx, void *page);
	char path[128];			/* for messages */
	char err[256];			/* hv_last_error() */
};

/*
 * A hypercall of op with up to 5 arguments (core.c). On failure the error
 * is "what: " and then hv_hypercall()'s account, e.g. "pin L4 0x1234
 * (domain 3): hypercall 26: Invalid argument" or "...: /dev/null is not a
 * privcmd device (ioctl: ...)".
 */
long hv_call(struct hv_handle *h, const char *what, uint64_t op, uint64_t a1, uint64_t a2,
	     uint64_t a3, uint64_t a4, uint64_t a5);

/* Record the last error as printf would; returns `rc` for tail calls. */
int hv_set_error(struct hv_handle *h, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LIBHV_PRIVATE_H */
