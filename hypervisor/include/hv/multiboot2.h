/*
 * The boot loader's hand-over (multiboot2), parsed into what hv needs.
 * mb2_parse() validates every tag; whatever it returns is consistent: a
 * sorted, non-overlapping memory map and modules that lie inside it.
 */
#ifndef HV_MULTIBOOT2_H
#define HV_MULTIBOOT2_H

#include <hv/types.h>

#define MB2_BOOTLOADER_MAGIC 0x36d76289

#define MB2_MAX_REGIONS 128
#define MB2_MAX_MODULES 16
/* hv refuses info blocks larger than this: GRUB's are a few KiB. */
#define MB2_MAX_INFO_SIZE (1u << 20)

/* E820 / multiboot2 memory types; a higher value wins where regions overlap. */
enum mem_type {
	MEM_RAM = 1,
	MEM_RESERVED = 2,
	MEM_ACPI = 3,
	MEM_NVS = 4,
	MEM_BAD = 5,
};

struct mem_region {
	uint64_t start, end;	/* [start, end), bytes */
	uint32_t type;
};

struct boot_module {
	uint64_t start, end;	/* physical, [start, end) */
	const char *cmdline;	/* never NULL */
};

struct boot_info {
	const char *cmdline;		/* hv's own command line, never NULL */
	const char *loader;		/* boot loader name, never NULL */
	struct mem_region regions[MB2_MAX_REGIONS];
	unsigned int nr_regions;
	struct boot_module modules[MB2_MAX_MODULES];
	unsigned int nr_modules;
	const void *rsdp;		/* copy of the ACPI RSDP, or NULL */
	uint32_t rsdp_len;
	uint64_t info_start, info_end;	/* where the info block itself lies */
};

/*
 * Parse the info block at `info` (mapped), which lies at physical address
 * `info_pa`. Returns 0, or -EINVAL with a message printed for a block hv
 * cannot boot from (bad magic, broken tags, no memory map).
 */
int mb2_parse(uint32_t magic, const void *info, uint64_t info_pa, struct boot_info *bi);

/* Sort and merge `r`, resolving overlaps in favour of the stronger type. */
unsigned int mem_regions_sanitize(struct mem_region *r, unsigned int n, unsigned int max);

const char *mem_type_name(uint32_t type);

#endif
