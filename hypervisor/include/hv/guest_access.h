/*
 * The only way hv touches guest memory named by a guest. Guest addresses
 * are plain uint64_t (never pointers), checked against hv's own range and
 * the canonical hole, then accessed through the current vCPU's page tables
 * with fault recovery: a bad address gives -EFAULT, never a hv fault. The
 * accesses honour the guest's page protections (CR0.WP), so a guest cannot
 * make hv write where it could not write itself.
 */
#ifndef HV_GUEST_ACCESS_H
#define HV_GUEST_ACCESS_H

#include <hv/errno.h>
#include <hv/layout.h>
#include <hv/types.h>

/* Copy with recovery: returns the number of bytes NOT copied (uaccess.S). */
size_t raw_copy_guest(void *dst, const void *src, size_t len);

/* [va, va + len) lies in guest-addressable space (not hv's, not the hole). */
static inline bool guest_range_ok(uint64_t va, size_t len)
{
	uint64_t end = va + len;

	if (end < va)
		return false;
	if (end <= 0x0000800000000000UL)
		return true;
	return va >= DIRECTMAP_END;
}

static inline int copy_from_guest(void *dst, uint64_t src, size_t len)
{
	if (!guest_range_ok(src, len))
		return -EFAULT;
	return raw_copy_guest(dst, (const void *)src, len) ? -EFAULT : 0;
}

static inline int copy_to_guest(uint64_t dst, const void *src, size_t len)
{
	if (!guest_range_ok(dst, len))
		return -EFAULT;
	return raw_copy_guest((void *)dst, src, len) ? -EFAULT : 0;
}

/* Fault recovery for hv code that touches guest memory (asm/traps). */
bool fixup_exception(uint64_t *rip);

#endif
