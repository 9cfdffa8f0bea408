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
	char path[128];			/* for messages */
	char err[256];			/* hv_last_error() */
};

/* Record the last error as printf would; returns `rc` for tail calls. */
int hv_set_error(struct hv_handle *h, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

#endif /* LIBHV_PRIVATE_H */
