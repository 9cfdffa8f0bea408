/*
 * ring.c - byte-stream logic of the xenstore ring page (see ring.h).
 *
 * Ordering: the peer may run on another CPU. Read the peer's index, then
 * fence before touching the bytes it covers; write the bytes, then fence
 * before publishing our index.
 */
#include <errno.h>
#include <string.h>

#include "ring.h"

#define ring_rmb() __atomic_thread_fence(__ATOMIC_ACQUIRE)
#define ring_wmb() __atomic_thread_fence(__ATOMIC_RELEASE)
#define ring_mb()  __atomic_thread_fence(__ATOMIC_SEQ_CST)

int ring_avail(XENSTORE_RING_IDX cons, XENSTORE_RING_IDX prod)
{
	XENSTORE_RING_IDX used = prod - cons;

	return used > XENSTORE_RING_SIZE ? -EIO : (int)used;
}

int ring_space(XENSTORE_RING_IDX cons, XENSTORE_RING_IDX prod)
{
	int used = ring_avail(cons, prod);

	return used < 0 ? used : XENSTORE_RING_SIZE - used;
}

int ring_consume(const char *ring, volatile XENSTORE_RING_IDX *cons,
		 const volatile XENSTORE_RING_IDX *prod, void *dst, size_t len)
{
	XENSTORE_RING_IDX c = *cons, p = *prod;
	size_t done = 0;
	int avail;

	ring_rmb();
	avail = ring_avail(c, p);
	if (avail < 0)
		return avail;
	if (len > (size_t)avail)
		len = (size_t)avail;
	while (done < len) {
		size_t off = MASK_XENSTORE_IDX(c);
		size_t chunk = XENSTORE_RING_SIZE - off;

		if (chunk > len - done)
			chunk = len - done;
		memcpy((char *)dst + done, ring + off, chunk);
		done += chunk;
		c += (XENSTORE_RING_IDX)chunk;
	}
	ring_mb();
	*cons = c;
	return (int)done;
}

int ring_produce(char *ring, const volatile XENSTORE_RING_IDX *cons,
		 volatile XENSTORE_RING_IDX *prod, const void *src, size_t len)
{
	XENSTORE_RING_IDX c = *cons, p = *prod;
	size_t done = 0;
	int space;

	ring_mb();
	space = ring_space(c, p);
	if (space < 0)
		return space;
	if (len > (size_t)space)
		len = (size_t)space;
	while (done < len) {
		size_t off = MASK_XENSTORE_IDX(p);
		size_t chunk = XENSTORE_RING_SIZE - off;

		if (chunk > len - done)
			chunk = len - done;
		memcpy(ring + off, (const char *)src + done, chunk);
		done += chunk;
		p += (XENSTORE_RING_IDX)chunk;
	}
	ring_wmb();
	*prod = p;
	return (int)done;
}

int ring_server_read(struct xenstore_domain_interface *intf, void *dst,
		     size_t len)
{
	return ring_consume(intf->req, &intf->req_cons, &intf->req_prod,
			    dst, len);
}

int ring_server_write(struct xenstore_domain_interface *intf,
		      const void *src, size_t len)
{
	return ring_produce(intf->rsp, &intf->rsp_cons, &intf->rsp_prod,
			    src, len);
}

int ring_guest_write(struct xenstore_domain_interface *intf,
		     const void *src, size_t len)
{
	return ring_produce(intf->req, &intf->req_cons, &intf->req_prod,
			    src, len);
}

int ring_guest_read(struct xenstore_domain_interface *intf, void *dst,
		    size_t len)
{
	return ring_consume(intf->rsp, &intf->rsp_cons, &intf->rsp_prod,
			    dst, len);
}
