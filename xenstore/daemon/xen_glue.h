/*
 * xen_glue.h - the Linux Xen devices the ring transport needs.
 *
 * /dev/xen/evtchn (bind, notify, pending ports), /dev/xen/gntdev (map a
 * domain's grant reference 1, the store ring) and /proc/xen/xsd_kva +
 * xsd_port (dom0's own kernel ring). None of this exists on an ordinary
 * host, so it is not exercised by the unit tests; the byte logic on top
 * of it (ring.c) is.
 */
#ifndef XS_XEN_GLUE_H
#define XS_XEN_GLUE_H

#include <stdint.h>

/* The grant reference toolstacks reserve for the store ring. */
#define XS_GNTTAB_RESERVED_XENSTORE 1
/* Xen's virtual IRQ for "a domain changed state". */
#define XS_VIRQ_DOM_EXC 3

int xen_glue_open(void);
void xen_glue_close(void);
int xen_evtchn_fd(void);

/* Return the local port, or a negative errno. */
int xen_evtchn_bind_interdomain(unsigned int domid, uint32_t remote_port);
int xen_evtchn_bind_virq(uint32_t virq);
int xen_evtchn_unbind(uint32_t port);
int xen_evtchn_notify(uint32_t port);
/* Take one pending port: 1 (in *port), 0 none, or negative errno. */
int xen_evtchn_pending(uint32_t *port);
int xen_evtchn_unmask(uint32_t port);

/* Map a domain's store ring through its reserved grant. */
void *xen_map_ring(unsigned int domid, uint64_t gfn, int *err);
void xen_unmap_ring(void *ring);
/* Map dom0's kernel ring and read its port. */
void *xen_map_dom0_ring(uint32_t *port, int *err);

#endif /* XS_XEN_GLUE_H */
