/*
 * foreign.c - mapping another domain's frames into this process.
 *
 * Linux's privcmd maps foreign frames into a range of its own device
 * mapping: mmap the device (shared, read-write), then ioctl
 * IOCTL_PRIVCMD_MMAPBATCH_V2 with {count, domain, address, MFN list,
 * per-page error list} (Linux's include/uapi/xen/privcmd.h; the layout
 * and number are restated here). munmap undoes it. A test backend maps
 * through its own callbacks instead.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <sys/mman.h>

#include "private.h"

#define PAGE_BYTES 4096

struct privcmd_mmapbatch_v2_arg {
	uint32_t num;           /* pages */
	uint16_t dom;
	uint16_t _pad;
	uint64_t addr;          /* start of the device mapping */
	uint64_t arr;           /* const uint64_t *: the MFNs */
	uint64_t err;           /* int *: one error per page, out */
};
_Static_assert(sizeof(struct privcmd_mmapbatch_v2_arg) == 32, "privcmd_mmapbatch_v2");

#define IOCTL_PRIVCMD_MMAPBATCH_V2 \
	_IOC(_IOC_NONE, 'P', 4, sizeof(struct privcmd_mmapbatch_v2_arg))

int hv_backend_foreign(struct hv_handle *h, void *(*map)(void *ctx, uint16_t dom, uint64_t mfn),
		       void (*unmap)(void *ctx, void *page))
{
	if (h->fd >= 0)
		return hv_set_error(h, -EINVAL, "%s is a device, not a test backend", h->path);
	h->be_map = map;
	h->be_unmap = unmap;
	return 0;
}

void *hv_map_foreign(struct hv_handle *h, uint16_t dom, uint64_t mfn)
{
	struct privcmd_mmapbatch_v2_arg a;
	uint64_t arr = mfn;
	int err = 0, e;
	void *p;

	if (h->fd < 0) {
		if (!h->be_map) {
			hv_set_error(h, -ENOSYS, "map frame %#lx of domain %u: the backend cannot map",
				     (unsigned long)mfn, dom);
			return NULL;
		}
		p = h->be_map(h->be.ctx, dom, mfn);
		if (!p)
			hv_set_error(h, -EINVAL, "map frame %#lx of domain %u: refused",
				     (unsigned long)mfn, dom);
		return p;
	}
	p = mmap(NULL, PAGE_BYTES, PROT_READ | PROT_WRITE, MAP_SHARED, h->fd, 0);
	if (p == MAP_FAILED) {
		hv_set_error(h, -errno, "map frame %#lx of domain %u: mmap of %s: %s",
			     (unsigned long)mfn, dom, h->path, strerror(errno));
		return NULL;
	}
	memset(&a, 0, sizeof(a));
	a.num = 1;
	a.dom = dom;
	a.addr = (uint64_t)(uintptr_t)p;
	a.arr = (uint64_t)(uintptr_t)&arr;
	a.err = (uint64_t)(uintptr_t)&err;
	if (ioctl(h->fd, IOCTL_PRIVCMD_MMAPBATCH_V2, &a) < 0 || err) {
		e = err ? -err : errno;
		hv_set_error(h, -e, "map frame %#lx of domain %u: %s", (unsigned long)mfn, dom,
			     strerror(e));
		munmap(p, PAGE_BYTES);
		return NULL;
	}
	return p;
}

void hv_unmap_foreign(struct hv_handle *h, void *page)
{
	if (!page)
		return;
	if (h->fd < 0) {
		if (h->be_unmap)
			h->be_unmap(h->be.ctx, page);
		return;
	}
	munmap(page, PAGE_BYTES);
}
