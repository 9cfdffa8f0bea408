/*
 * xen_glue.c - Linux Xen device glue (see xen_glue.h).
 *
 * The ioctl numbers and argument layouts below are Linux's ABI for
 * /dev/xen/evtchn and /dev/xen/gntdev (include/uapi/xen/evtchn.h and
 * gntdev.h), restated here so the daemon builds without Xen headers.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>
#include <unistd.h>

#include "xen_glue.h"

struct evtchn_virq_arg { uint32_t virq; };
struct evtchn_interdomain_arg { uint32_t remote_domain, remote_port; };
struct evtchn_port_arg { uint32_t port; };

#define EVTCHN_BIND_VIRQ \
	_IOC(_IOC_NONE, 'E', 0, sizeof(struct evtchn_virq_arg))
#define EVTCHN_BIND_INTERDOMAIN \
	_IOC(_IOC_NONE, 'E', 1, sizeof(struct evtchn_interdomain_arg))
#define EVTCHN_UNBIND \
	_IOC(_IOC_NONE, 'E', 3, sizeof(struct evtchn_port_arg))
#define EVTCHN_NOTIFY \
	_IOC(_IOC_NONE, 'E', 4, sizeof(struct evtchn_port_arg))

struct gnt_ref { uint32_t domid, ref; };
struct gnt_map_arg {
	uint32_t count;
	uint32_t pad;
	uint64_t index;		/* OUT: mmap offset */
	struct gnt_ref refs[1];
};
struct gnt_unmap_arg {
	uint64_t index;
	uint32_t count;
	uint32_t pad;
};

#define GNTDEV_MAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 0, sizeof(struct gnt_map_arg))
#define GNTDEV_UNMAP_GRANT_REF \
	_IOC(_IOC_NONE, 'G', 1, sizeof(struct gnt_unmap_arg))

#define RING_PAGE 4096

static int evtchn_fd = -1;
static int gntdev_fd = -1;

/* Mapped rings remember their gntdev index for the unmap. */
struct mapped_ring {
	struct mapped_ring *next;
	void *addr;
	uint64_t index;
	int via_gntdev;
};
static struct mapped_ring *rings;

int xen_glue_open(void)
{
	evtchn_fd = open("/dev/xen/evtchn", O_RDWR | O_CLOEXEC | O_NONBLOCK);
	if (evtchn_fd < 0)
		return -errno;
	gntdev_fd = open("/dev/xen/gntdev", O_RDWR | O_CLOEXEC);
	/* Without gntdev only dom0's own ring can be served. */
	return 0;
}

void xen_glue_close(void)
{
	if (evtchn_fd >= 0)
		close(evtchn_fd);
	if (gntdev_fd >= 0)
		close(gntdev_fd);
	evtchn_fd = gntdev_fd = -1;
}

int xen_evtchn_fd(void)
{
	return evtchn_fd;
}

int xen_evtchn_bind_interdomain(unsigned int domid, uint32_t remote_port)
{
	struct evtchn_interdomain_arg a = { domid, remote_port };
	int rc = ioctl(evtchn_fd, EVTCHN_BIND_INTERDOMAIN, &a);

	return rc < 0 ? -errno : rc;
}

int xen_evtchn_bind_virq(uint32_t virq)
{
	struct evtchn_virq_arg a = { virq };
	int rc = ioctl(evtchn_fd, EVTCHN_BIND_VIRQ, &a);

	return rc < 0 ? -errno : rc;
}

int xen_evtchn_unbind(uint32_t port)
{
	struct evtchn_port_arg a = { port };

	return ioctl(evtchn_fd, EVTCHN_UNBIND, &a) < 0 ? -errno : 0;
}

int xen_evtchn_notify(uint32_t port)
{
	struct evtchn_port_arg a = { port };

	return ioctl(evtchn_fd, EVTCHN_NOTIFY, &a) < 0 ? -errno : 0;
}

int xen_evtchn_pending(uint32_t *port)
{
	ssize_t n = read(evtchn_fd, port, sizeof(*port));

	if (n == (ssize_t)sizeof(*port))
		return 1;
	if (n < 0 && errno != EAGAIN && errno != EINTR)
		return -errno;
	return 0;
}

int xen_evtchn_unmask(uint32_t port)
{
	/* Writing a port number back re-enables its delivery. */
	return write(evtchn_fd, &port, sizeof(port)) == sizeof(port) ?
	       0 : -errno;
}

static void *remember(void *addr, uint64_t index, int via_gntdev, int *err)
{
	struct mapped_ring *m = malloc(sizeof(*m));

	if (!m) {
		*err = -ENOMEM;
		return NULL;
	}
	m->addr = addr;
	m->index = index;
	m->via_gntdev = via_gntdev;
	m->next = rings;
	rings = m;
	return addr;
}

void *xen_map_ring(unsigned int domid, uint64_t gfn, int *err)
{
	struct gnt_map_arg a = {
		.count = 1,
		.refs = { { domid, XS_GNTTAB_RESERVED_XENSTORE } },
	};
	struct gnt_unmap_arg u;
	void *p;

	(void)gfn;	/* grant mapping needs no frame number */
	if (gntdev_fd < 0) {
		*err = -ENODEV;
		return NULL;
	}
	if (ioctl(gntdev_fd, GNTDEV_MAP_GRANT_REF, &a) < 0) {
		*err = -errno;
		return NULL;
	}
	p = mmap(NULL, RING_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED,
		 gntdev_fd, (off_t)a.index);
	if (p == MAP_FAILED) {
		*err = -errno;
		u.index = a.index;
		u.count = 1;
		u.pad = 0;
		ioctl(gntdev_fd, GNTDEV_UNMAP_GRANT_REF, &u);
		return NULL;
	}
	return remember(p, a.index, 1, err);
}

void *xen_map_dom0_ring(uint32_t *port, int *err)
{
	char buf[32] = "";
	void *p;
	int fd;
	ssize_t n;

	fd = open("/proc/xen/xsd_port", O_RDONLY | O_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	n = read(fd, buf, sizeof(buf) - 1);
	close(fd);
	if (n <= 0) {
		*err = -EIO;
		return NULL;
	}
	*port = (uint32_t)strtoul(buf, NULL, 10);
	fd = open("/proc/xen/xsd_kva", O_RDWR | O_CLOEXEC);
	if (fd < 0) {
		*err = -errno;
		return NULL;
	}
	p = mmap(NULL, RING_PAGE, PROT_READ | PROT_WRITE, MAP_SHARED, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		*err = -errno;
		return NULL;
	}
	return remember(p, 0, 0, err);
}

void xen_unmap_ring(void *ring)
{
	struct mapped_ring **pp, *m;
	struct gnt_unmap_arg u = { .count = 1 };

	for (pp = &rings; (m = *pp); pp = &m->next) {
		if (m->addr != ring)
			continue;
		*pp = m->next;
		munmap(ring, RING_PAGE);
		if (m->via_gntdev) {
			u.index = m->index;
			ioctl(gntdev_fd, GNTDEV_UNMAP_GRANT_REF, &u);
		}
		free(m);
		return;
	}
}
