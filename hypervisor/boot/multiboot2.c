/*
 * Multiboot2 information parsing. The info block comes from the boot
 * loader and is trusted no further than its own sizes allow: every tag is
 * bounds-checked against the block, strings must be terminated inside
 * their tag, and the memory map is sanitised (sorted, overlaps resolved in
 * favour of the non-RAM type) before anything uses it. Structural damage
 * (bad magic, sizes, no end tag, no memory map) fails the boot with a
 * message; a bad individual entry is reported and skipped.
 *
 * Pure: only printk, so the unit tests compile it as it is.
 */
#include <hv/console.h>
#include <hv/errno.h>
#include <hv/lib.h>
#include <hv/multiboot2.h>

enum {
	TAG_END = 0,
	TAG_CMDLINE = 1,
	TAG_LOADER = 2,
	TAG_MODULE = 3,
	TAG_MMAP = 6,
	TAG_ACPI_OLD = 14,
	TAG_ACPI_NEW = 15,
};

struct mb2_tag {
	uint32_t type, size;
};

struct mb2_mmap_entry {
	uint64_t base, len;
	uint32_t type, reserved;
};

const char *mem_type_name(uint32_t type)
{
	switch (type) {
	case MEM_RAM: return "RAM";
	case MEM_RESERVED: return "reserved";
	case MEM_ACPI: return "ACPI data";
	case MEM_NVS: return "ACPI NVS";
	case MEM_BAD: return "bad memory";
	default: return "unknown";
	}
}

/* A string inside a tag: must end with a NUL before the tag does. */
static const char *tag_string(const uint8_t *s, size_t max)
{
	return strnlen((const char *)s, max) < max ? (const char *)s : NULL;
}

static void sort_u64(uint64_t *v, unsigned int n)
{
	for (unsigned int i = 1; i < n; i++) {
		uint64_t x = v[i];
		unsigned int j = i;

		for (; j > 0 && v[j - 1] > x; j--)
			v[j] = v[j - 1];
		v[j] = x;
	}
}

unsigned int mem_regions_sanitize(struct mem_region *r, unsigned int n, unsigned int max)
{
	static uint64_t points[2 * MB2_MAX_REGIONS];
	static struct mem_region out[2 * MB2_MAX_REGIONS];
	unsigned int np = 0, nout = 0, i, j;

	if (n > MB2_MAX_REGIONS)
		n = MB2_MAX_REGIONS;
	for (i = 0; i < n; i++) {
		points[np++] = r[i].start;
		points[np++] = r[i].end;
	}
	sort_u64(points, np);

	/* Each elementary interval takes the strongest type covering it. */
	for (i = 0; i + 1 < np; i++) {
		uint64_t s = points[i], e = points[i + 1];
		uint32_t type = 0;

		if (s == e)
			continue;
		for (j = 0; j < n; j++)
			if (r[j].start <= s && r[j].end >= e && r[j].type > type)
				type = r[j].type;
		if (!type)
			continue;
		if (nout && out[nout - 1].end == s && out[nout - 1].type == type)
			out[nout - 1].end = e;
		else
			out[nout++] = (struct mem_region){ s, e, type };
	}
	if (nout > max) {
		pr_warn("mb2: memory map has %u ranges after sanitising; using the first %u\n",
			nout, max);
		nout = max;
	}
	memcpy(r, out, nout * sizeof(*out));
	return nout;
}

static void report_overlaps(const struct mem_region *r, unsigned int n)
{
	unsigned int reported = 0;

	for (unsigned int i = 0; i < n; i++) {
		for (unsigned int j = i + 1; j < n; j++) {
			if (r[i].start >= r[j].end || r[j].start >= r[i].end)
				continue;
			if (reported++ < 8)
				pr_warn("mb2: memory map entries overlap: [%#lx-%#lx) %s and [%#lx-%#lx) %s; the overlap counts as %s\n",
					r[i].start, r[i].end, mem_type_name(r[i].type),
					r[j].start, r[j].end, mem_type_name(r[j].type),
					mem_type_name(MAX(r[i].type, r[j].type)));
		}
	}
}

static int parse_mmap(const struct mb2_tag *tag, struct boot_info *bi)
{
	const uint8_t *p = (const uint8_t *)tag + 16;
	uint32_t entry_size, count;

	if (tag->size < 16) {
		pr_err("mb2: memory map tag of %u bytes is too short\n", tag->size);
		return -EINVAL;
	}
	entry_size = ((const uint32_t *)tag)[2];
	if (entry_size < sizeof(struct mb2_mmap_entry) || entry_size % 8) {
		pr_err("mb2: memory map entry size %u is invalid\n", entry_size);
		return -EINVAL;
	}
	count = (tag->size - 16) / entry_size;
	if ((tag->size - 16) % entry_size)
		pr_warn("mb2: memory map tag has %u trailing bytes; ignored\n",
			(tag->size - 16) % entry_size);

	for (uint32_t i = 0; i < count; i++, p += entry_size) {
		const struct mb2_mmap_entry *e = (const void *)p;
		uint32_t type = e->type;

		if (!e->len)
			continue;
		if (e->base + e->len < e->base) {
			pr_warn("mb2: memory map entry %u [%#lx + %#lx) wraps around; ignored\n",
				i, e->base, e->len);
			continue;
		}
		if (bi->nr_regions == MB2_MAX_REGIONS) {
			pr_warn("mb2: more than %u memory map entries; the rest are ignored\n",
				MB2_MAX_REGIONS);
			break;
		}
		if (type < MEM_RAM || type > MEM_BAD)
			type = MEM_RESERVED;	/* unknown types are never RAM */
		bi->regions[bi->nr_regions++] = (struct mem_region){ e->base, e->base + e->len, type };
	}
	return 0;
}

static void parse_module(const struct mb2_tag *tag, struct boot_info *bi)
{
	const uint32_t *w = (const uint32_t *)tag;
	const char *cmd;

	if (tag->size < 17) {
		pr_warn("mb2: module tag of %u bytes is too short; ignored\n", tag->size);
		return;
	}
	cmd = tag_string((const uint8_t *)tag + 16, tag->size - 16);
	if (!cmd) {
		pr_warn("mb2: module %u has an unterminated command line; ignored\n", bi->nr_modules);
		return;
	}
	if (w[3] < w[2]) {
		pr_warn("mb2: module %u ends (%#x) before it starts (%#x); ignored\n",
			bi->nr_modules, w[3], w[2]);
		return;
	}
	if (bi->nr_modules == MB2_MAX_MODULES) {
		pr_warn("mb2: more than %u modules; '%s' ignored\n", MB2_MAX_MODULES, cmd);
		return;
	}
	bi->modules[bi->nr_modules++] = (struct boot_module){ w[2], w[3], cmd };
}

/* Modules must lie in RAM and not overlap each other or the info block. */
static void check_modules(struct boot_info *bi)
{
	unsigned int i, j, k = 0;

	for (i = 0; i < bi->nr_modules; i++) {
		struct boot_module *m = &bi->modules[i];
		bool in_ram = false, clash = false;

		for (j = 0; j < bi->nr_regions; j++)
			if (bi->regions[j].type == MEM_RAM && m->start >= bi->regions[j].start &&
			    m->end <= bi->regions[j].end)
				in_ram = true;
		for (j = 0; j < k; j++)
			if (m->start < bi->modules[j].end && bi->modules[j].start < m->end)
				clash = true;
		if (m->start < bi->info_end && bi->info_start < m->end)
			clash = true;
		if (!in_ram || clash) {
			pr_warn("mb2: module %u [%#lx-%#lx) %s; ignored\n", i, m->start, m->end,
				!in_ram ? "is not inside RAM" : "overlaps another module or the boot info");
			continue;
		}
		bi->modules[k++] = *m;
	}
	bi->nr_modules = k;
}

int mb2_parse(uint32_t magic, const void *info, uint64_t info_pa, struct boot_info *bi)
{
	const uint8_t *base = info;
	uint32_t total, off;
	bool have_mmap = false, have_end = false;

	memset(bi, 0, sizeof(*bi));
	bi->cmdline = "";
	bi->loader = "unknown";
	if (magic != MB2_BOOTLOADER_MAGIC) {
		pr_err("mb2: boot loader magic %#x is not multiboot2's (%#x)\n", magic,
		       MB2_BOOTLOADER_MAGIC);
		return -EINVAL;
	}
	if (!info || (info_pa & 7)) {
		pr_err("mb2: info block address %#lx is null or misaligned\n", info_pa);
		return -EINVAL;
	}
	total = *(const uint32_t *)base;
	if (total < 16 || total > MB2_MAX_INFO_SIZE) {
		pr_err("mb2: info block size %u is out of range [16, %u]\n", total, MB2_MAX_INFO_SIZE);
		return -EINVAL;
	}
	bi->info_start = info_pa;
	bi->info_end = info_pa + total;

	for (off = 8; off + sizeof(struct mb2_tag) <= total; off += ALIGN_UP(((const struct mb2_tag *)(base + off))->size, 8)) {
		const struct mb2_tag *tag = (const void *)(base + off);
		const char *s;

		if (tag->size < 8 || tag->size > total - off) {
			pr_err("mb2: tag type %u at offset %u has size %u, outside the %u-byte block\n",
			       tag->type, off, tag->size, total);
			return -EINVAL;
		}
		switch (tag->type) {
		case TAG_END:
			have_end = true;
			break;
		case TAG_CMDLINE:
		case TAG_LOADER:
			s = tag_string(base + off + 8, tag->size - 8);
			if (!s)
				pr_warn("mb2: %s tag is not terminated; ignored\n",
					tag->type == TAG_CMDLINE ? "command line" : "loader name");
			else if (tag->type == TAG_CMDLINE)
				bi->cmdline = s;
			else
				bi->loader = s;
			break;
		case TAG_MODULE:
			parse_module(tag, bi);
			break;
		case TAG_MMAP:
			if (have_mmap) {
				pr_warn("mb2: second memory map tag ignored\n");
				break;
			}
			if (parse_mmap(tag, bi))
				return -EINVAL;
			have_mmap = true;
			break;
		case TAG_ACPI_OLD:
		case TAG_ACPI_NEW:
			/* Prefer the ACPI 2.0+ RSDP when both are present. */
			if (tag->size > 8 && (!bi->rsdp || tag->type == TAG_ACPI_NEW)) {
				bi->rsdp = base + off + 8;
				bi->rsdp_len = tag->size - 8;
			}
			break;
		default:
			break;
		}
		if (have_end)
			break;
	}
	if (!have_end) {
		pr_err("mb2: info block has no end tag\n");
		return -EINVAL;
	}
	if (!have_mmap || !bi->nr_regions) {
		pr_err("mb2: the boot loader gave no memory map; hv cannot know where RAM is\n");
		return -EINVAL;
	}
	report_overlaps(bi->regions, bi->nr_regions);
	bi->nr_regions = mem_regions_sanitize(bi->regions, bi->nr_regions, MB2_MAX_REGIONS);
	check_modules(bi);
	return 0;
}
