/*
 * PV kernel images for hv's own builder: the builder's checks (pvbuild.h),
 * then what only a dom0 must have, and the segments copied out.
 */
#include <hv/console.h>
#include <hv/elf_pv.h>
#include <hv/errno.h>
#include <public/features.h>

int pv_image_parse(const char *who, const void *file, size_t size, bool dom0,
		   struct pvb_image *img)
{
	char why[PVB_ERR_LEN];
	int rc = pvb_parse_image(img, why, sizeof(why), file, size);

	if (rc) {
		pr_err("%s: %s; not loaded\n", who, why);
		return rc;
	}
	if (dom0 && !(img->supported_features & (1u << XENFEAT_dom0))) {
		pr_err("%s: the kernel does not declare support for running as dom0; not loaded\n", who);
		return -ENOEXEC;
	}
	return 0;
}

void pv_image_load(const struct pvb_image *img,
		   void (*write)(void *ctx, uint64_t va, const void *src, size_t len),
		   void (*zero)(void *ctx, uint64_t va, size_t len), void *ctx)
{
	for (unsigned int i = 0; i < img->nr_segs; i++) {
		const struct pvb_segment *s = &img->segs[i];

		if (s->filesz)
			write(ctx, s->va, img->file + s->offset, s->filesz);
		if (s->memsz > s->filesz)
			zero(ctx, s->va + s->filesz, s->memsz - s->filesz);
	}
}
