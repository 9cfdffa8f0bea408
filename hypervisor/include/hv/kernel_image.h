/*
 * A PV kernel boot module as an ELF image: the module itself when it is
 * an ELF file, or, for a bzImage, its payload unpacked into frames hv
 * allocates for the duration of the domain build (<hv/bzimage.h>).
 *
 *   struct kernel_image k;
 *
 *   if (kernel_image_get("dom0 kernel", &bi->modules[0], &k))
 *           return NULL;              (refused, message printed, nothing held)
 *   ... build from k.module, an ELF image in [start, end) ...
 *   kernel_image_put(&k);             (frees what get allocated, if anything)
 */
#ifndef HV_KERNEL_IMAGE_H
#define HV_KERNEL_IMAGE_H

#include <hv/multiboot2.h>
#include <hv/types.h>

struct kernel_image {
	struct boot_module module;	/* the ELF image, with the module's command line */
	mfn_t mfn;			/* the unpacked image's frames; INVALID_MFN: none */
	unsigned int order;
};

/*
 * Returns 0, or after printing why (prefixed by `who`): -EINVAL for a bad
 * bzImage, -ENOEXEC for a payload hv cannot unpack, -ENOMEM.
 * Anything that is not a bzImage is passed on as it is, for the ELF
 * loader to judge.
 */
int kernel_image_get(const char *who, const struct boot_module *m, struct kernel_image *k);
void kernel_image_put(struct kernel_image *k);

#endif
