/*
 * PV kernel images: ELF64 files carrying Xen's ELF notes. The checks are
 * the domain builder's (dom0-tools/builder/elf.c, compiled into hv), so
 * dom0 at boot and every domU the toolstack builds are held to the same
 * rules: pv_image_parse() checks the file completely (headers, segments,
 * notes, Xen's loader rules) before a single byte is copied;
 * pv_image_load() then copies the segments through a callback.
 */
#ifndef HV_ELF_PV_H
#define HV_ELF_PV_H

#include <hv/types.h>

#include "pvbuild.h"

/*
 * Returns 0, or -ENOEXEC after printing why (prefixed by `who`, e.g.
 * "dom0 kernel"). `dom0`: the kernel must declare XENFEAT_dom0.
 */
int pv_image_parse(const char *who, const void *file, size_t size, bool dom0,
		   struct pvb_image *img);

/* Copy every segment: write(va, src, len) and zero(va, len) per piece. */
void pv_image_load(const struct pvb_image *img,
		   void (*write)(void *ctx, uint64_t va, const void *src, size_t len),
		   void (*zero)(void *ctx, uint64_t va, size_t len), void *ctx);

#endif
