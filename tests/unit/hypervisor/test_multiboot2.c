/*
 * The multiboot2 parser against crafted info blocks: well-formed ones must
 * parse exactly; malformed ones must be refused or trimmed with a message,
 * never read out of bounds (ASan watches every case, and a random-bytes
 * run at the end).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <hv/errno.h>
#include <hv/multiboot2.h>

#define INFO_PA 0x10000

/* An info block under construction; tags are appended 8-aligned. */
struct blk {
	uint8_t *buf;
	uint32_t len;
};

static struct boot_info bi;

static void blk_init(struct blk *b)
{
	b->buf = calloc(1, 1 << 16);
	b->len = 8;
}

static void *blk_tag(struct blk *b, uint32_t type, uint32_t size)
{
	uint8_t *t = b->buf + b->len;

	memcpy(t, &type, 4);
	memcpy(t + 4, &size, 4);
	b->len += (size + 7) & ~7u;
	return t;
}

static void blk_string(struct blk *b, uint32_t type, const char *s)
{
	uint32_t size = 8 + (uint32_t)strlen(s) + 1;

	memcpy((uint8_t *)blk_tag(b, type, size) + 8, s, strlen(s) + 1);
}

static void blk_module(struct blk *b, uint32_t start, uint32_t end, const char *cmd)
{
	uint32_t size = 16 + (uint32_t)strlen(cmd) + 1;
	uint8_t *t = blk_tag(b, 3, size);

	memcpy(t + 8, &start, 4);
	memcpy(t + 12, &end, 4);
	memcpy(t + 16, cmd, strlen(cmd) + 1);
}

struct ent {
	uint64_t base, len;
	uint32_t type;
};

static void blk_mmap(struct blk *b, const struct ent *e, unsigned int n, uint32_t esize)
{
	uint8_t *t = blk_tag(b, 6, 16 + n * esize);
	uint32_t ver = 0;

	memcpy(t + 8, &esize, 4);
	memcpy(t + 12, &ver, 4);
	for (unsigned int i = 0; i < n; i++) {
		memcpy(t + 16 + i * esize, &e[i].base, 8);
		memcpy(t + 16 + i * esize + 8, &e[i].len, 8);
		memcpy(t + 16 + i * esize + 16, &e[i].type, 4);
	}
}

static void blk_end(struct blk *b)
{
	blk_tag(b, 0, 8);
	memcpy(b->buf, &b->len, 4);
}

static int parse(struct blk *b)
{
	log_clear();
	return mb2_parse(MB2_BOOTLOADER_MAGIC, b->buf, INFO_PA, &bi);
}

static const struct ent pc_map[] = {
	{ 0, 0x9fc00, 1 },
	{ 0x9fc00, 0x400, 2 },
	{ 0xf0000, 0x10000, 2 },
	{ 0x100000, 0x3fee0000, 1 },
	{ 0xfffc0000, 0x40000, 2 },
};

START_TEST(test_well_formed)
{
	struct blk b;

	blk_init(&b);
	blk_string(&b, 1, "console=com1 loglvl=all");
	blk_string(&b, 2, "GRUB 2.06");
	blk_mmap(&b, pc_map, 5, 24);
	blk_module(&b, 0x1000000, 0x1200000, "dom0 kernel");
	blk_module(&b, 0x1200000, 0x1300000, "initrd");
	blk_end(&b);
	ck_assert_int_eq(parse(&b), 0);
	ck_assert_str_eq(bi.cmdline, "console=com1 loglvl=all");
	ck_assert_str_eq(bi.loader, "GRUB 2.06");
	ck_assert_uint_eq(bi.nr_regions, 5);
	ck_assert_uint_eq(bi.regions[3].start, 0x100000);
	ck_assert_uint_eq(bi.regions[3].end, 0x3ffe0000);
	ck_assert_uint_eq(bi.regions[3].type, MEM_RAM);
	ck_assert_uint_eq(bi.nr_modules, 2);
	ck_assert_uint_eq(bi.modules[0].start, 0x1000000);
	ck_assert_uint_eq(bi.modules[0].end, 0x1200000);
	ck_assert_str_eq(bi.modules[1].cmdline, "initrd");
	ck_assert_uint_eq(bi.info_start, INFO_PA);
	ck_assert_uint_eq(bi.info_end, INFO_PA + b.len);
	ck_assert_str_eq(log_text(), "");
	free(b.buf);
}
END_TEST

START_TEST(test_bad_magic)
{
	struct blk b;

	blk_init(&b);
	blk_mmap(&b, pc_map, 5, 24);
	blk_end(&b);
	log_clear();
	ck_assert_int_eq(mb2_parse(0x2badb002, b.buf, INFO_PA, &bi), -EINVAL);
	ck_assert(log_contains("magic 0x2badb002"));
	ck_assert_str_eq(bi.cmdline, "");
	free(b.buf);
}
END_TEST

START_TEST(test_null_and_misaligned)
{
	struct blk b;

	blk_init(&b);
	blk_mmap(&b, pc_map, 5, 24);
	blk_end(&b);
	log_clear();
	ck_assert_int_eq(mb2_parse(MB2_BOOTLOADER_MAGIC, NULL, 0, &bi), -EINVAL);
	ck_assert_int_eq(mb2_parse(MB2_BOOTLOADER_MAGIC, b.buf, INFO_PA + 4, &bi), -EINVAL);
	ck_assert(log_contains("misaligned"));
	free(b.buf);
}
END_TEST

START_TEST(test_total_size_out_of_range)
{
	struct blk b;
	uint32_t v;

	blk_init(&b);
	blk_mmap(&b, pc_map, 5, 24);
	blk_end(&b);
	v = 8;
	memcpy(b.buf, &v, 4);
	ck_assert_int_eq(parse(&b), -EINVAL);
	ck_assert(log_contains("out of range"));
	v = MB2_MAX_INFO_SIZE + 8;
	memcpy(b.buf, &v, 4);
	ck_assert_int_eq(parse(&b), -EINVAL);
	free(b.buf);
}
END_TEST

START_TEST(test_tag_too_small)
{
	struct blk b;
	uint8_t *t;
	uint32_t four = 4;

	blk_init(&b);
	t = blk_tag(&b, 1, 16);
	blk_mmap(&b, pc_map, 5, 24);
	blk_end(&b);
	memcpy(t + 4, &four, 4);
	ck_assert_int_eq(parse(&b), -EINVAL);
	ck_assert(log_contains("has size 4"));
	free(b.buf);
}
END_TEST

START_TEST(test_tag_past_end)
{
	struct blk b;
	uint8_t *t;
	uint32_t big = 4000;

	blk_init(&b);
	blk_mmap(&b, pc_map, 5, 24);
	t = blk_tag(&b, 1, 16);
	blk_end(&b);
	memcpy(t + 4, &big, 4);
	ck_assert_int_eq(parse(&b), -EINVAL);
	ck_assert(log_contains("outside the"));
	free(b.buf);
}
END_TEST

START_TEST(test_no_end_tag)
{
	struct blk b;

	blk_init(&b);
	blk_mmap(&b, pc_map, 5, 24);
	memcpy(b.buf, &b.len, 4);	/* no end tag appended */
	ck_assert_int_eq(parse(&b), -EINVAL);
	ck_assert(log_contains("no end tag"));
	free(b.buf);
}
END_TEST

START_TEST(test_no_memory_map)
{
	struct blk b;

	blk_init(&b);
	blk_string(&b, 1, "x");
	blk_end(&b);
	ck_assert_int_eq(parse(&b), -EINVAL);
	ck_assert(log_contains("no memory map"));
	free(b.buf);
}
END_TEST

START_TEST(test_mmap_all_empty)
{
	static const struct ent zero[] = { { 0x1000, 0, 1 } };
	struct blk b;

	blk_init(&b);
	blk_mmap(&b, zero, 1, 24);
	blk_end(&b);
	ck_assert_int_eq(parse(&b), -EINVAL);
	ck_assert(log_contains("no memory map"));
	free(b.buf);
}
END_TEST

START_TEST(test_mmap_bad_entry_size)
{
	struct blk b;

	blk_init(&b);
	blk_mmap(&b, pc_map, 2, 16);
	blk_end(&b);
	ck_assert_int_eq(parse(&b), -EINVAL);
	ck_assert(log_contains("entry size 16"));
	free(b.buf);
}
END_TEST

START_TEST(test_mmap_larger_entries)
{
	struct blk b;

	/* A loader may use bigger entries; only the first 24 bytes count. */
	blk_init(&b);
	blk_mmap(&b, pc_map, 5, 32);
	blk_end(&b);
	ck_assert_int_eq(parse(&b), 0);
	ck_assert_uint_eq(bi.nr_regions, 5);
	ck_assert_uint_eq(bi.regions[4].start, 0xfffc0000);
	free(b.buf);
}
END_TEST

START_TEST(test_overlapping_regions)
{
	/* RAM with a reserved hole punched in it, listed out of order. */
	static const struct ent m[] = {
		{ 0x100000, 0x100000, 1 },
		{ 0, 0x200000, 1 },
		{ 0x180000, 0x10000, 2 },
	};
	struct blk b;

	blk_init(&b);
	blk_mmap(&b, m, 3, 24);
	blk_end(&b);
	ck_assert_int_eq(parse(&b), 0);
	ck_assert(log_contains("overlap"));
	ck_assert_uint_eq(bi.nr_regions, 3);
	ck_assert_uint_eq(bi.regions[0].start, 0);
	ck_assert_uint_eq(bi.regions[0].end, 0x180000);
	ck_assert_uint_eq(bi.regions[0].type, MEM_RAM);
	ck_assert_uint_eq(bi.regions[1].start, 0x180000);
	ck_assert_uint_eq(bi.regions[1].end, 0x190000);
	ck_assert_uint_eq(bi.regions[1].type, MEM_RESERVED);
	ck_assert_uint_eq(bi.regions[2].start, 0x190000);
	ck_assert_uint_eq(bi.regions[2].end, 0x200000);
	ck_assert_uint_eq(bi.regions[2].type, MEM_RAM);
	free(b.buf);
}
END_TEST

START_TEST(test_wrapping_and_unknown_types)
{
	static const struct ent m[] = {
		{ 0xfffffffffffff000ULL, 0x2000, 1 },	/* wraps: dropped */
		{ 0, 0x100000, 1 },
		{ 0x100000, 0x1000, 42 },		/* unknown: reserved */
		{ 0x101000, 0x1000, 1 },
		{ 0x102000, 0x1000, 1 },		/* adjacent RAM: merged */
	};
	struct blk b;

	blk_init(&b);
	blk_mmap(&b, m, 5, 24);
	blk_end(&b);
	ck_assert_int_eq(parse(&b), 0);
	ck_assert(log_contains("wraps around"));
	ck_assert_uint_eq(bi.nr_regions, 3);
	ck_assert_uint_eq(bi.regions[1].type, MEM_RESERVED);
	ck_assert_uint_eq(bi.regions[2].start, 0x101000);
	ck_assert_uint_eq(bi.regions[2].end, 0x103000);
	free(b.buf);
}
END_TEST

START_TEST(test_bad_modules)
{
	struct blk b;

	blk_init(&b);
	blk_mmap(&b, pc_map, 5, 24);
	blk_module(&b, 0x2000000, 0x1000000, "backwards");
	blk_module(&b, 0xfffc0000, 0xfffd0000, "in firmware");
	blk_module(&b, 0x1000000, 0x1100000, "good");
	blk_module(&b, 0x1080000, 0x1180000, "overlaps good");
	blk_module(&b, INFO_PA, INFO_PA + 0x100, "over the info block");
	blk_end(&b);
	ck_assert_int_eq(parse(&b), 0);
	ck_assert_uint_eq(bi.nr_modules, 1);
	ck_assert_str_eq(bi.modules[0].cmdline, "good");
	ck_assert(log_contains("ends (0x1000000) before it starts"));
	ck_assert(log_contains("is not inside RAM"));
	ck_assert(log_contains("overlaps another module"));
	free(b.buf);
}
END_TEST

START_TEST(test_unterminated_strings)
{
	struct blk b;
	uint8_t *t;

	blk_init(&b);
	t = blk_tag(&b, 1, 12);
	memcpy(t + 8, "abcd", 4);		/* no NUL inside the tag */
	t = blk_tag(&b, 3, 20);
	memset(t + 8, 0, 8);
	memcpy(t + 16, "wxyz", 4);
	blk_mmap(&b, pc_map, 5, 24);
	blk_end(&b);
	ck_assert_int_eq(parse(&b), 0);
	ck_assert_str_eq(bi.cmdline, "");
	ck_assert_uint_eq(bi.nr_modules, 0);
	ck_assert(log_contains("command line tag is not terminated"));
	ck_assert(log_contains("unterminated command line"));
	free(b.buf);
}
END_TEST

START_TEST(test_too_many_modules)
{
	struct blk b;

	blk_init(&b);
	blk_mmap(&b, pc_map, 5, 24);
	for (unsigned int i = 0; i < MB2_MAX_MODULES + 2; i++)
		blk_module(&b, 0x1000000 + i * 0x1000, 0x1000000 + (i + 1) * 0x1000, "m");
	blk_end(&b);
	ck_assert_int_eq(parse(&b), 0);
	ck_assert_uint_eq(bi.nr_modules, MB2_MAX_MODULES);
	ck_assert(log_contains("more than 16 modules"));
	free(b.buf);
}
END_TEST

START_TEST(test_acpi_rsdp_prefers_new)
{
	struct blk b;
	uint8_t *old, *new;

	blk_init(&b);
	blk_mmap(&b, pc_map, 5, 24);
	old = blk_tag(&b, 14, 8 + 20);
	new = blk_tag(&b, 15, 8 + 36);
	blk_end(&b);
	ck_assert_int_eq(parse(&b), 0);
	ck_assert_ptr_eq(bi.rsdp, new + 8);
	ck_assert_uint_eq(bi.rsdp_len, 36);
	(void)old;
	free(b.buf);
}
END_TEST

START_TEST(test_sanitize_many_regions)
{
	static struct mem_region r[MB2_MAX_REGIONS];

	/* Alternating types: nothing merges, the output is capped at max. */
	for (unsigned int i = 0; i < MB2_MAX_REGIONS; i++)
		r[i] = (struct mem_region){ i * 0x1000ULL, (i + 1) * 0x1000ULL, 1 + (i & 1) };
	log_clear();
	ck_assert_uint_eq(mem_regions_sanitize(r, MB2_MAX_REGIONS, 10), 10);
	ck_assert(log_contains("using the first 10"));
	ck_assert_uint_eq(r[9].end, 0xa000);
}
END_TEST

/* Random bytes behind a valid header: the parser may refuse, never overrun. */
START_TEST(test_random_blocks)
{
	uint8_t *buf = malloc(4096);

	srand(12345);
	for (int round = 0; round < 2000; round++) {
		uint32_t len = 16 + (uint32_t)(rand() % 4080);

		for (uint32_t i = 0; i < len; i++)
			buf[i] = (uint8_t)rand();
		memcpy(buf, &len, 4);
		/* Often give a plausible tag size so parsing goes deeper. */
		if (round & 1) {
			uint32_t sz = 8 + (uint32_t)(rand() % 64);

			memcpy(buf + 12, &sz, 4);
		}
		log_clear();
		(void)mb2_parse(MB2_BOOTLOADER_MAGIC, buf, INFO_PA, &bi);
		ck_assert_uint_le(bi.nr_regions, MB2_MAX_REGIONS);
		ck_assert_uint_le(bi.nr_modules, MB2_MAX_MODULES);
	}
	free(buf);
}
END_TEST

Suite *multiboot2_suite(void)
{
	Suite *s = suite_create("multiboot2");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_well_formed);
	tcase_add_test(tc, test_bad_magic);
	tcase_add_test(tc, test_null_and_misaligned);
	tcase_add_test(tc, test_total_size_out_of_range);
	tcase_add_test(tc, test_tag_too_small);
	tcase_add_test(tc, test_tag_past_end);
	tcase_add_test(tc, test_no_end_tag);
	tcase_add_test(tc, test_no_memory_map);
	tcase_add_test(tc, test_mmap_all_empty);
	tcase_add_test(tc, test_mmap_bad_entry_size);
	tcase_add_test(tc, test_mmap_larger_entries);
	tcase_add_test(tc, test_overlapping_regions);
	tcase_add_test(tc, test_wrapping_and_unknown_types);
	tcase_add_test(tc, test_bad_modules);
	tcase_add_test(tc, test_unterminated_strings);
	tcase_add_test(tc, test_too_many_modules);
	tcase_add_test(tc, test_acpi_rsdp_prefers_new);
	tcase_add_test(tc, test_sanitize_many_regions);
	tcase_add_test(tc, test_random_blocks);
	suite_add_tcase(s, tc);
	return s;
}
