/*
 * transport_ring.c - shared-ring connections (see transport_ring.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <public/io/xs_wire.h>

#include "connection.h"
#include "domain.h"
#include "log.h"
#include "ring.h"
#include "transport_ring.h"
#include "xen_glue.h"

struct ring_conn {
	struct xenstore_domain_interface *intf;
	uint32_t port;		/* our local end */
	bool progress;		/* kick the peer after this round */
};

static int virq_port = -1;

static struct ring_conn *rc_of(const struct connection *c)
{
	return c->tp;
}

static int ring_read(struct connection *c, void *buf, size_t len)
{
	struct ring_conn *rc = rc_of(c);
	int n = ring_server_read(rc->intf, buf, len);

	if (n < 0) {
		rc->intf->error = XENSTORE_ERROR_RINGIDX;
		return n;
	}
	if (n > 0)
		rc->progress = true;
	return n;
}

static int ring_write(struct connection *c, const void *buf, size_t len)
{
	struct ring_conn *rc = rc_of(c);
	int n = ring_server_write(rc->intf, buf, len);

	if (n < 0) {
		rc->intf->error = XENSTORE_ERROR_RINGIDX;
		return n;
	}
	if (n > 0)
		rc->progress = true;
	return n;
}

static int ring_fd(const struct connection *c)
{
	return -1;
}

static void ring_kick(struct connection *c)
{
	struct ring_conn *rc = rc_of(c);

	if (!rc->progress)
		return;
	rc->progress = false;
	xen_evtchn_notify(rc->port);
}

static void ring_destroy(struct connection *c)
{
	struct ring_conn *rc = rc_of(c);

	/* A protocol violation is reported to the guest before we go. */
	if (c->in_hdr.len > XENSTORE_PAYLOAD_MAX)
		rc->intf->error = XENSTORE_ERROR_PROTO;
	xen_evtchn_unbind(rc->port);
	xen_unmap_ring(rc->intf);
	free(rc);
}

static const struct transport_ops ring_ops = {
	.name = "ring",
	.read = ring_read,
	.write = ring_write,
	.fd = ring_fd,
	.kick = ring_kick,
	.destroy = ring_destroy,
};

int ring_transport_init(void)
{
	int rc = xen_glue_open();

	if (rc)
		return rc;
	virq_port = xen_evtchn_bind_virq(XS_VIRQ_DOM_EXC);
	if (virq_port < 0)
		log_warn("cannot bind VIRQ_DOM_EXC: %s", strerror(-virq_port));
	return 0;
}

void ring_transport_exit(void)
{
	xen_glue_close();
}

int ring_transport_fd(void)
{
	return xen_evtchn_fd();
}

void ring_transport_events(void)
{
	uint32_t port;

	while (xen_evtchn_pending(&port) == 1) {
		xen_evtchn_unmask(port);
		if ((int)port == virq_port) {
			/*
			 * Finding which domain died needs the domain-info
			 * control call of hv's tools ABI (hvctl.h), which does
			 * not exist yet; until then the toolstack sends
			 * RELEASE when it destroys a domain.
			 */
			log_debug("VIRQ_DOM_EXC: domain state changed");
		}
	}
	/* The main loop services every ring after this. */
}

static int ring_conn_make(unsigned int domid, bool privileged, void *page,
			  uint32_t port, struct connection **out)
{
	struct ring_conn *rc = calloc(1, sizeof(*rc));
	struct connection *c;

	if (!rc)
		return -ENOMEM;
	rc->intf = page;
	rc->port = port;
	c = conn_new(&ring_ops, rc, domid, privileged);
	if (!c) {
		free(rc);
		return -ENOMEM;
	}
	*out = c;
	return 0;
}

int ring_conn_open(unsigned int domid, uint64_t gfn, uint32_t port,
		   uint32_t features, struct connection **out)
{
	struct xenstore_domain_interface *intf;
	int err = 0, local;

	if (xen_evtchn_fd() < 0)
		return -ENODEV;
	intf = xen_map_ring(domid, gfn, &err);
	if (!intf)
		return err;
	/* A dom0less builder may have named the port in the page. */
	if (intf->evtchn_port)
		port = intf->evtchn_port;
	local = xen_evtchn_bind_interdomain(domid, port);
	if (local < 0) {
		xen_unmap_ring(intf);
		return local;
	}
	intf->server_features = features;
	intf->connection = XENSTORE_CONNECTED;
	err = ring_conn_make(domid, false, intf, (uint32_t)local, out);
	if (err) {
		xen_evtchn_unbind((uint32_t)local);
		xen_unmap_ring(intf);
		return err;
	}
	xen_evtchn_notify((uint32_t)local);
	return 0;
}

int ring_conn_rebind(struct connection *c, uint32_t port)
{
	struct ring_conn *rc = rc_of(c);
	int local;

	xen_evtchn_unbind(rc->port);
	local = xen_evtchn_bind_interdomain(c->domid, port);
	if (local < 0)
		return local;
	rc->port = (uint32_t)local;
	return 0;
}

int ring_conn_open_dom0(void)
{
	struct connection *c;
	uint32_t port = 0;
	int err = 0, local;
	void *page = xen_map_dom0_ring(&port, &err);

	if (!page)
		return err;
	/* dom0's kernel allocated the port unbound for itself. */
	local = xen_evtchn_bind_interdomain(0, port);
	if (local < 0) {
		xen_unmap_ring(page);
		return local;
	}
	err = ring_conn_make(0, true, page, (uint32_t)local, &c);
	if (err) {
		xen_evtchn_unbind((uint32_t)local);
		xen_unmap_ring(page);
		return err;
	}
	xen_evtchn_notify((uint32_t)local);
	return 0;
}
