/*
 * bzImages (common/bzimage.c) and kernel modules as ELF images
 * (common/kernel_image.c): synthetic bzImages around payloads from xz(1)
 * and gzip(1) must be found, unpacked and checked, or refused with a
 * message naming the problem; kernel_image_get/put must hand back every
 * frame and heap page they took, whatever happened.
 *
 * kernel_image.c runs against stand-ins for hv's frame allocator and
 * clock, below. hv reaches memory through its direct map, maddr_to_virt(pa)
 * = DIRECTMAP_START + pa; here a "machine address" is a host pointer minus
 * DIRECTMAP_START, so the same arithmetic leads back to host memory.
 */
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"
#include "xz_tool.h"

#include <hv/bzimage.h>
#include <hv/errno.h>
#include <hv/kernel_image.h>
#include <hv/layout.h>
#include <hv/mm.h>
#include <hv/time.h>
#include <hv/xz.h>

#define WHO "test kernel"
#define LINUX_XZ "--check=crc32 --x86 --lzma2"

/* --- Stand-ins for hv's frame allocator, heap pages and clock ----------- */

static long frames_out, heap_pages_out;
static bool frames_fail;
static unsigned int last_order;

mfn_t alloc_frames(unsigned int order)
{
	void *p;

	last_order = order;
	if (frames_fail)
		return INVALID_MFN;
	p = aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
	ck_assert_ptr_nonnull(p);
	frames_out += 1L << order;
	return ((uintptr_t)p - DIRECTMAP_START) >> PAGE_SHIFT;
}

void free_frames(mfn_t mfn, unsigned int order)
{
	ck_assert_uint_eq(order, last_order);
	frames_out -= 1L << order;
	free(mfn_to_virt(mfn));
}

uint64_t system_time_ns(void)
{
	return 0;
}

static void *heap_get(unsigned int order)
{
	heap_pages_out += 1L << order;
	return aligned_alloc(PAGE_SIZE, PAGE_SIZE << order);
}

static void heap_put(void *p, unsigned int order)
{
	heap_pages_out -= 1L << order;
	free(p);
}

static void setup(void)
{
	static const struct heap_pages provider = { heap_get, heap_put };

	frames_out = heap_pages_out = 0;
	frames_fail = false;
	heap_init(&provider);
	log_clear();
}

/* --- Synthetic bzImages ------------------------------------------------- */

struct bz_spec {
	uint8_t setup_sects;		/* as in the header; 0 means 4 */
	uint16_t version;		/* 0: 0x020f */
	uint32_t payload_offset;	/* filler before the payload */
	int64_t length_delta;		/* payload_length off by this */
	uint32_t trailer_delta;		/* added to the true unpacked size */
};

/* setup | protected-mode code: filler, payload (+ size trailer), tail */
static uint8_t *make_bzimage(const struct bz_spec *s, const uint8_t *payload, size_t len,
			     uint32_t unpacked, size_t *n)
{
	size_t sects = s->setup_sects ? s->setup_sects : 4;
	size_t pm = (sects + 1) * 512, total = pm + s->payload_offset + len + 4 + 100;
	uint8_t *img = calloc(1, total);
	uint32_t trailer = unpacked + s->trailer_delta;
	uint32_t length = (uint32_t)((int64_t)len + 4 + s->length_delta);
	uint16_t version = s->version ? s->version : 0x020f;

	img[0x1fe] = 0x55;
	img[0x1ff] = 0xaa;
	img[0x1f1] = s->setup_sects;
	memcpy(img + 0x202, "HdrS", 4);
	memcpy(img + 0x206, &version, 2);
	memcpy(img + 0x248, &s->payload_offset, 4);
	memcpy(img + 0x24c, &length, 4);
	memset(img + pm, 0x90, s->payload_offset);
	memcpy(img + pm + s->payload_offset, payload, len);
	memcpy(img + pm + s->payload_offset + len, &trailer, 4);
	memset(img + pm + s->payload_offset + len + 4, 0xcc, 100);
	*n = total;
	return img;
}

/* Where the last byte of the (single) block's CRC32 lies in an .xz stream. */
static size_t crc_byte(const uint8_t *z, size_t zn)
{
	uint32_t backward;

	memcpy(&backward, z + zn - 8, 4);
	return zn - 12 - ((size_t)backward + 1) * 4 - 1;
}

/* A kernel-like ELF image and its XZ payload. */
static uint8_t *kernel_payload(size_t n, const char *opts, uint8_t **elf, size_t *zn)
{
	*elf = data_x86(n);
	memcpy(*elf, "\177ELF", 4);
	return xz_tool_compress(*elf, n, opts, zn);
}

START_TEST(test_parse_and_unpack)
{
	static const struct bz_spec specs[] = {
		{ .setup_sects = 27 }, { .setup_sects = 0, .payload_offset = 0x3a5 },
		{ .setup_sects = 39, .payload_offset = 0x2cc, .version = 0x0208 },
	};
	const size_t n = 400000;
	uint8_t *elf, *img, *out;
	size_t zn, in;
	uint8_t *z = kernel_payload(n, LINUX_XZ, &elf, &zn);
	void *scratch = malloc(XZ_SCRATCH_SIZE);
	struct bzimage bz;

	for (size_t i = 0; i < sizeof(specs) / sizeof(specs[0]); i++) {
		img = make_bzimage(&specs[i], z, zn, (uint32_t)n, &in);
		ck_assert(bzimage_probe(img, in));
		ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), 0);
		ck_assert_uint_eq(bz.unpacked_size, n);
		ck_assert_uint_eq(bz.payload_size, zn);
		ck_assert(!memcmp(bz.payload, z, zn));
		out = malloc(n);
		ck_assert_int_eq(bzimage_unpack(WHO, &bz, out, scratch), 0);
		ck_assert(!memcmp(out, elf, n));
		free(out);
		free(img);
	}
	free(scratch);
	free(z);
	free(elf);
}
END_TEST

START_TEST(test_refused_headers)
{
	const size_t n = 20000;
	uint8_t *elf, *img;
	size_t zn, in;
	uint8_t *z = kernel_payload(n, LINUX_XZ, &elf, &zn);
	struct bz_spec s = { .setup_sects = 3 };
	struct bzimage bz;

	log_clear();
	ck_assert(!bzimage_probe(elf, n));
	ck_assert(!bzimage_probe("HdrS", 4));
	ck_assert_int_eq(bzimage_parse(WHO, elf, n, &bz), -EINVAL);
	ck_assert(log_contains("test kernel: not a bzImage (no HdrS setup header)"));

	s.version = 0x0207;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), -EINVAL);
	ck_assert(log_contains("test kernel: bzImage boot protocol 2.07 is older than 2.08"));
	/* Cut inside the setup header, then inside the payload. */
	s.version = 0;
	free(img);
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, 0x220, &bz), -EINVAL);
	ck_assert(log_contains("test kernel: bzImage truncated inside its setup header"));
	ck_assert_int_eq(bzimage_parse(WHO, img, 4 * 512 + zn / 2, &bz), -EINVAL);
	ck_assert(log_contains("test kernel: bzImage truncated: payload at 0x800"));
	free(img);
	/* A payload_length reaching past the file, and a huge payload_offset. */
	s.length_delta = 1000;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), -EINVAL);
	free(img);
	s.length_delta = 0;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	memcpy(img + 0x248, "\xff\xff\xff\xff", 4);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), -EINVAL);
	free(img);
	/* A payload too short to hold anything. */
	s.length_delta = -(int64_t)zn + 2;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), -EINVAL);
	ck_assert(log_contains("test kernel: bzImage payload too short for XZ data and its size"));
	free(img);
	/* A trailer of zero. */
	s.length_delta = 0;
	s.trailer_delta = (uint32_t)-n;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), -EINVAL);
	ck_assert(log_contains("test kernel: bzImage payload says it unpacks to 0 bytes"));
	free(img);
	free(z);
	free(elf);
}
END_TEST

START_TEST(test_other_compressions_named)
{
	static const struct {
		const char *magic;
		size_t len;
		const char *name;
	} others[] = {
		{ "BZh91AY&SY", 10, "bzip2" },
		{ "\x5d\x00\x00\x80\x00\xff\xff", 7, "LZMA" },
		{ "\x89LZO\x00\r\n", 7, "LZO" },
		{ "\x02\x21\x4c\x18\x00\x00", 6, "LZ4" },
		{ "\x28\xb5\x2f\xfd\x00\x58", 6, "zstd" },
	};
	const size_t n = 20000;
	uint8_t *elf = data_x86(n), *img, *z;
	size_t zn, in;
	struct bz_spec s = { .setup_sects = 5 };
	struct bzimage bz;
	char want[128];

	log_clear();
	z = xz_tool_gzip(elf, n, &zn);
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), -ENOEXEC);
	ck_assert(log_contains("test kernel: bzImage payload is gzip-compressed; hv unpacks XZ only"));
	free(img);
	free(z);
	for (size_t i = 0; i < sizeof(others) / sizeof(others[0]); i++) {
		uint8_t fake[64] = { 0 };

		memcpy(fake, others[i].magic, others[i].len);
		img = make_bzimage(&s, fake, sizeof(fake), (uint32_t)n, &in);
		ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), -ENOEXEC);
		snprintf(want, sizeof(want), "bzImage payload is %s-compressed", others[i].name);
		ck_assert_msg(log_contains(want), "no \"%s\" in: %s", want, log_text());
		free(img);
	}
	{
		uint8_t fake[64] = { 'n', 'o', 'n', 'e' };

		img = make_bzimage(&s, fake, sizeof(fake), (uint32_t)n, &in);
		ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), -ENOEXEC);
		ck_assert(log_contains("bzImage payload compressed with an unknown method"));
		free(img);
	}
	free(elf);
}
END_TEST

START_TEST(test_refused_payloads)
{
	const size_t n = 50000;
	uint8_t *elf, *img, *out = malloc(n + 8);
	size_t zn, in;
	uint8_t *z = kernel_payload(n, LINUX_XZ, &elf, &zn);
	void *scratch = malloc(XZ_SCRATCH_SIZE);
	struct bz_spec s = { .setup_sects = 1 };
	struct bzimage bz;

	log_clear();
	/* The CRC32 of the data, just before the index. */
	z[crc_byte(z, zn)] ^= 0x40;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), 0);
	ck_assert_int_eq(bzimage_unpack(WHO, &bz, out, scratch), -EINVAL);
	ck_assert_msg(log_contains("test kernel: bzImage XZ payload rejected, integrity check "
				   "failed: CRC32 of block data mismatch"), "%s", log_text());
	z[crc_byte(z, zn)] ^= 0x40;
	free(img);
	/* Corrupt compressed data. */
	z[zn / 2] ^= 0x01;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), 0);
	ck_assert_int_eq(bzimage_unpack(WHO, &bz, out, scratch), -EINVAL);
	ck_assert(log_contains("test kernel: bzImage XZ payload rejected, "));
	z[zn / 2] ^= 0x01;
	free(img);
	/* Trailers that lie, both ways. */
	s.trailer_delta = (uint32_t)-1;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), 0);
	ck_assert_int_eq(bzimage_unpack(WHO, &bz, out, scratch), -EINVAL);
	ck_assert(log_contains("unpacks to more than the 49999 bytes its trailer says"));
	free(img);
	s.trailer_delta = 8;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	ck_assert_int_eq(bzimage_parse(WHO, img, in, &bz), 0);
	ck_assert_int_eq(bzimage_unpack(WHO, &bz, out, scratch), -EINVAL);
	ck_assert(log_contains("unpacks to 50000 bytes but its trailer says 50008"));
	free(img);
	free(scratch);
	free(out);
	free(z);
	free(elf);
}
END_TEST

/* --- kernel_image_get / put --------------------------------------------- */

static struct boot_module module_of(const void *p, size_t n)
{
	paddr_t start = (paddr_t)((uintptr_t)p - DIRECTMAP_START);

	return (struct boot_module){ .start = start, .end = start + n, .cmdline = "kernel x=1" };
}

START_TEST(test_kernel_image_elf_passes_through)
{
	uint8_t *elf = data_x86(10000);
	struct boot_module m = module_of(elf, 10000);
	struct kernel_image k;

	setup();
	ck_assert_int_eq(kernel_image_get(WHO, &m, &k), 0);
	ck_assert_uint_eq(k.module.start, m.start);
	ck_assert_uint_eq(k.module.end, m.end);
	ck_assert_str_eq(k.module.cmdline, "kernel x=1");
	ck_assert_uint_eq(k.mfn, INVALID_MFN);
	ck_assert_int_eq(frames_out, 0);
	kernel_image_put(&k);
	ck_assert_int_eq(frames_out, 0);
	ck_assert_str_eq(log_text(), "");
	free(elf);
}
END_TEST

START_TEST(test_kernel_image_unpacks_and_frees)
{
	const size_t n = 500000;
	uint8_t *elf, *img;
	size_t zn, in;
	uint8_t *z = kernel_payload(n, LINUX_XZ, &elf, &zn);
	struct bz_spec s = { .setup_sects = 30 };
	struct boot_module m;
	struct kernel_image k;
	char want[128];

	setup();
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	m = module_of(img, in);
	ck_assert_int_eq(kernel_image_get(WHO, &m, &k), 0);
	ck_assert_uint_eq(k.order, 7);			/* 123 pages */
	ck_assert_int_eq(frames_out, 128);
	ck_assert_int_eq(heap_pages_out, 0);		/* the decoder's scratch is back */
	ck_assert_uint_eq(k.module.end - k.module.start, n);
	ck_assert_uint_eq(k.module.start, k.mfn << PAGE_SHIFT);
	ck_assert_str_eq(k.module.cmdline, "kernel x=1");
	ck_assert(!memcmp(maddr_to_virt(k.module.start), elf, n));
	snprintf(want, sizeof(want), "test kernel: bzImage, XZ payload %zu bytes -> %zu bytes ELF",
		 zn, n);
	ck_assert_msg(log_contains(want), "%s", log_text());
	kernel_image_put(&k);
	ck_assert_int_eq(frames_out, 0);
	ck_assert_uint_eq(k.mfn, INVALID_MFN);
	kernel_image_put(&k);				/* twice is harmless */
	ck_assert_int_eq(frames_out, 0);
	free(img);
	free(z);
	free(elf);
}
END_TEST

START_TEST(test_kernel_image_failures_hold_nothing)
{
	const size_t n = 100000;
	uint8_t *elf, *img, *gz;
	size_t zn, gn, in;
	uint8_t *z = kernel_payload(n, LINUX_XZ, &elf, &zn);
	struct bz_spec s = { .setup_sects = 2 };
	struct boot_module m;
	struct kernel_image k;

	/* A CRC mismatch: frames taken for the output, then given back. */
	setup();
	z[crc_byte(z, zn)] ^= 0x01;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	m = module_of(img, in);
	ck_assert_int_eq(kernel_image_get(WHO, &m, &k), -EINVAL);
	ck_assert(log_contains("CRC32 of block data mismatch"));
	ck_assert_int_eq(frames_out, 0);
	ck_assert_int_eq(heap_pages_out, 0);
	ck_assert_uint_eq(k.mfn, INVALID_MFN);
	kernel_image_put(&k);
	ck_assert_int_eq(frames_out, 0);
	z[crc_byte(z, zn)] ^= 0x01;
	free(img);

	/* No memory for the output. */
	setup();
	frames_fail = true;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	m = module_of(img, in);
	ck_assert_int_eq(kernel_image_get(WHO, &m, &k), -ENOMEM);
	ck_assert(log_contains("test kernel: no memory to unpack the bzImage (1 MiB)"));
	ck_assert_int_eq(heap_pages_out, 0);
	kernel_image_put(&k);
	free(img);

	/* gzip: refused before anything is allocated. */
	setup();
	gz = xz_tool_gzip(elf, n, &gn);
	img = make_bzimage(&s, gz, gn, (uint32_t)n, &in);
	m = module_of(img, in);
	ck_assert_int_eq(kernel_image_get(WHO, &m, &k), -ENOEXEC);
	ck_assert_int_eq(frames_out, 0);
	ck_assert_int_eq(heap_pages_out, 0);
	kernel_image_put(&k);
	free(img);
	free(gz);

	/* An absurd trailer: more than the allocator's largest block. */
	setup();
	s.trailer_delta = 0xf0000000u;
	img = make_bzimage(&s, z, zn, (uint32_t)n, &in);
	m = module_of(img, in);
	ck_assert_int_eq(kernel_image_get(WHO, &m, &k), -ENOMEM);
	ck_assert_int_eq(frames_out, 0);
	ck_assert_int_eq(heap_pages_out, 0);
	free(img);
	free(z);
	free(elf);
}
END_TEST

Suite *bzimage_suite(void)
{
	Suite *s = suite_create("bzimage");
	TCase *tc = tcase_create("bzimage");

	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_parse_and_unpack);
	tcase_add_test(tc, test_refused_headers);
	tcase_add_test(tc, test_other_compressions_named);
	tcase_add_test(tc, test_refused_payloads);
	tcase_add_test(tc, test_kernel_image_elf_passes_through);
	tcase_add_test(tc, test_kernel_image_unpacks_and_frees);
	tcase_add_test(tc, test_kernel_image_failures_hold_nothing);
	suite_add_tcase(s, tc);
	return s;
}
