/*
 * ring.h - byte-stream logic of the xenstore ring page (pure, unit-tested).
 *
 * struct xenstore_domain_interface holds two 1024-byte rings with
 * free-running u32 indices (split-drivers.md section 1.7). These helpers
 * move bytes in and out of one ring, handle the wrap, and refuse indices
 * that claim more than a ring's worth of data. They never touch event
 * channels: the caller notifies the peer after any progress.
 */
#ifndef XS_RING_H
#define XS_RING_H

#include <stddef.h>

#include <public/io/xs_wire.h>

/*
 * Consume up to `len` bytes from `ring` into `dst`, advancing *cons.
 * Returns the bytes copied (0 if empty) or -EIO if prod - cons exceeds
 * the ring size (a corrupt or hostile peer).
 */
int ring_consume(const char *ring, volatile XENSTORE_RING_IDX *cons,
		 const volatile XENSTORE_RING_IDX *prod, void *dst, size_t len);

/*
 * Produce up to `len` bytes from `src` into `ring`, advancing *prod.
 * Returns the bytes copied (0 if full) or -EIO on corrupt indices.
 */
int ring_produce(char *ring, const volatile XENSTORE_RING_IDX *cons,
		 volatile XENSTORE_RING_IDX *prod, const void *src, size_t len);

/* Bytes waiting to be consumed / room to produce; -EIO if corrupt. */
int ring_avail(XENSTORE_RING_IDX cons, XENSTORE_RING_IDX prod);
int ring_space(XENSTORE_RING_IDX cons, XENSTORE_RING_IDX prod);

/* Server side of a domain's page: read requests, write replies. */
int ring_server_read(struct xenstore_domain_interface *intf, void *dst,
		     size_t len);
int ring_server_write(struct xenstore_domain_interface *intf,
		      const void *src, size_t len);

/* Guest side, used by tests and by in-guest clients. */
int ring_guest_write(struct xenstore_domain_interface *intf,
		     const void *src, size_t len);
int ring_guest_read(struct xenstore_domain_interface *intf, void *dst,
		    size_t len);

#endif /* XS_RING_H */
