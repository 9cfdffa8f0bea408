/*
 * Kernel boot modules as ELF images (see <hv/kernel_image.h>): a bzImage's
 * payload is unpacked into one block of contiguous frames from the frame
 * allocator, sized from the payload's trailer, which the domain builder
 * reads as if it were the module and which is freed once the domain is
 * built. The XZ decoder's working memory comes from the heap and goes back
 * as soon as the payload is unpacked.
 */
#include <hv/bzimage.h>
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/kernel_image.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/time.h>
#include <hv/xz.h>

#define MIB (1UL << 20)

static unsigned int order_for(uint64_t pages)
{
	unsigned int order = 0;

	while ((1UL << order) < pages)
		order++;
	return order;
}

int kernel_image_get(const char *who, const struct boot_module *m, struct kernel_image *k)
{
	const void *image = maddr_to_virt(m->start);
	size_t size = m->end - m->start;
	struct bzimage bz;
	uint64_t pages, t0;
	void *scratch, *out;
	int rc;

	k->module = *m;
	k->mfn = INVALID_MFN;
	k->order = 0;
	if (!bzimage_probe(image, size))
		return 0;

	rc = bzimage_parse(who, image, size, &bz);
	if (rc)
		return rc;
	pages = ALIGN_UP((uint64_t)bz.unpacked_size, PAGE_SIZE) >> PAGE_SHIFT;
	k->order = order_for(pages);
	k->mfn = k->order <= MAX_ORDER ? alloc_frames(k->order) : INVALID_MFN;
	scratch = xmalloc(XZ_SCRATCH_SIZE);
	if (k->mfn == INVALID_MFN || !scratch) {
		pr_err("%s: no memory to unpack the bzImage (%lu MiB)\n", who,
		       (unsigned long)(bz.unpacked_size / MIB + 1));
		rc = -ENOMEM;
		goto out;
	}
	out = mfn_to_virt(k->mfn);
	t0 = system_time_ns();
	rc = bzimage_unpack(who, &bz, out, scratch);
	if (rc)
		goto out;
	pr_info("%s: bzImage, XZ payload %lu bytes -> %lu bytes ELF (%lu ms)\n", who,
		(unsigned long)bz.payload_size, (unsigned long)bz.unpacked_size,
		(unsigned long)((system_time_ns() - t0) / 1000000));
	k->module.start = k->mfn << PAGE_SHIFT;
	k->module.end = k->module.start + bz.unpacked_size;
out:
	if (scratch)
		xfree(scratch);
	if (rc)
		kernel_image_put(k);
	return rc;
}

void kernel_image_put(struct kernel_image *k)
{
	if (k->mfn != INVALID_MFN)
		free_frames(k->mfn, k->order);
	k->mfn = INVALID_MFN;
}
