/*
 * transport_ring.h - domains' shared-ring connections.
 *
 * A ring connection reads requests from and writes replies to a mapped
 * struct xenstore_domain_interface (ring.c does the byte work) and kicks
 * the domain's event channel after progress. All rings share the one
 * /dev/xen/evtchn descriptor the main loop polls.
 */
#ifndef XS_TRANSPORT_RING_H
#define XS_TRANSPORT_RING_H

#include <stdbool.h>
#include <stdint.h>

struct connection;

/* Open the Xen devices; bind VIRQ_DOM_EXC. */
int ring_transport_init(void);
void ring_transport_exit(void);
/* The descriptor to poll, -1 when the Xen devices are absent. */
int ring_transport_fd(void);
/* Drain pending event-channel ports (call when the fd is readable). */
void ring_transport_events(void);

int ring_conn_open(unsigned int domid, uint64_t gfn, uint32_t port,
		   uint32_t features, struct connection **out);
int ring_conn_rebind(struct connection *c, uint32_t port);
/* Serve dom0's own kernel through /proc/xen/xsd_kva. */
int ring_conn_open_dom0(void);

#endif /* XS_TRANSPORT_RING_H */
