/*
 * hv's lib/string.c on the host, renamed hv_* (see the Makefile), against
 * byte-by-byte references: every length around the quadword split, every
 * alignment, and memmove's overlaps in both directions.
 */
#include <stdint.h>
#include <string.h>

#include "harness.h"

void *hv_memset(void *s, int c, size_t n);
void *hv_memcpy(void *dst, const void *src, size_t n);
void *hv_memmove(void *dst, const void *src, size_t n);

#define AREA 256

static unsigned char buf[AREA], want[AREA];

static void pattern(unsigned char *p, size_t n, unsigned int seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (unsigned char)(i * 7 + seed * 13 + 1);
}

START_TEST(test_memset_lengths_and_alignments)
{
	for (size_t off = 0; off < 9; off++)
		for (size_t n = 0; n + off < 80; n++) {
			pattern(buf, AREA, (unsigned int)n);
			memcpy(want, buf, AREA);
			for (size_t i = 0; i < n; i++)
				want[off + i] = 0xa5;
			ck_assert_ptr_eq(hv_memset(buf + off, 0x1a5, n), buf + off);
			ck_assert_msg(!memcmp(buf, want, AREA), "memset off %zu len %zu", off, n);
		}
}
END_TEST

START_TEST(test_memcpy_lengths_and_alignments)
{
	static unsigned char src[AREA];

	pattern(src, AREA, 3);
	for (size_t soff = 0; soff < 9; soff++)
		for (size_t doff = 0; doff < 9; doff++)
			for (size_t n = 0; n < 70; n++) {
				memset(buf, 0, AREA);
				memset(want, 0, AREA);
				for (size_t i = 0; i < n; i++)
					want[doff + i] = src[soff + i];
				ck_assert_ptr_eq(hv_memcpy(buf + doff, src + soff, n), buf + doff);
				ck_assert_msg(!memcmp(buf, want, AREA), "memcpy %zu->%zu len %zu",
					      soff, doff, n);
			}
}
END_TEST

/* Reference: what memmove means, one byte at a time through a copy. */
static void ref_move(unsigned char *area, size_t d, size_t s, size_t n)
{
	unsigned char tmp[AREA];

	for (size_t i = 0; i < n; i++)
		tmp[i] = area[s + i];
	for (size_t i = 0; i < n; i++)
		area[d + i] = tmp[i];
}

START_TEST(test_memmove_overlaps)
{
	for (size_t s = 0; s < 24; s++)
		for (size_t d = 0; d < 24; d++)
			for (size_t n = 0; n < 40; n++) {
				pattern(buf, AREA, (unsigned int)(s + d));
				memcpy(want, buf, AREA);
				ref_move(want, d, s, n);
				ck_assert_ptr_eq(hv_memmove(buf + d, buf + s, n), buf + d);
				ck_assert_msg(!memcmp(buf, want, AREA), "memmove %zu->%zu len %zu",
					      s, d, n);
			}
}
END_TEST

/* A whole page, the size grant copies and scrubbing use. */
START_TEST(test_page_sized)
{
	static uint64_t a[512], b[512];

	for (unsigned int i = 0; i < 512; i++)
		a[i] = i * 0x9e3779b97f4a7c15UL;
	hv_memcpy(b, a, sizeof(a));
	ck_assert(!memcmp(a, b, sizeof(a)));
	hv_memset(b, 0, sizeof(b));
	for (unsigned int i = 0; i < 512; i++)
		ck_assert_uint_eq(b[i], 0);
}
END_TEST

Suite *string_suite(void)
{
	Suite *s = suite_create("string");
	TCase *tc = tcase_create("mem");

	tcase_add_test(tc, test_memset_lengths_and_alignments);
	tcase_add_test(tc, test_memcpy_lengths_and_alignments);
	tcase_add_test(tc, test_memmove_overlaps);
	tcase_add_test(tc, test_page_sized);
	suite_add_tcase(s, tc);
	return s;
}
