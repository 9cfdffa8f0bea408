/*
 * PV kernel images: ELF64 files carrying Xen's ELF notes. pv_image_parse()
 * checks the file completely (headers, segments, notes, Xen's loader rules)
 * before a single byte is copied; pv_image_load() then copies the segments
 * through a callback. Pure: the unit tests run it on crafted files.
 */
#ifndef HV_ELF_PV_H
#define HV_ELF_PV_H

#include <hv/types.h>

#define PV_MAX_SEGMENTS 16

struct pv_segment {
	uint64_t va;		/* relocated virtual address */
	uint64_t offset;	/* in the file */
	uint64_t filesz, memsz;
};

struct pv_image {
	const uint8_t *file;
	size_t size;
	struct pv_segment segs[PV_MAX_SEGMENTS];
	unsigned int nr_segs;
	uint64_t vstart, vend;		/* relocated image span, page aligned */
	uint64_t entry;
	uint64_t virt_base, paddr_offset;
	uint64_t hypercall_page;	/* 0: none requested */
	uint64_t init_p2m;		/* 0: p2m inside the initial region */
	bool mod_start_pfn;
	uint32_t supported_features;	/* SUPPORTED_FEATURES submap 0 */
	uint32_t required_features;	/* "!name" entries of FEATURES */
	char guest_os[32], guest_version[32], loader[32], xen_version[32];
};

/*
 * Returns 0, or -EINVAL / -ENOEXEC after printing why (prefixed by `who`,
 * e.g. "dom0 kernel"). `dom0`: the kernel must declare XENFEAT_dom0.
 */
int pv_image_parse(const char *who, const void *file, size_t size, bool dom0,
		   struct pv_image *img);

/* Copy every segment: write(va, src, len) and zero(va, len) per piece. */
void pv_image_load(const struct pv_image *img,
		   void (*write)(void *ctx, uint64_t va, const void *src, size_t len),
		   void (*zero)(void *ctx, uint64_t va, size_t len), void *ctx);

#endif
