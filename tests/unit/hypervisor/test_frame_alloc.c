/* The buddy allocator over a zone backed by a plain array. */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <hv/errno.h>
#include <hv/mm.h>

#define NR 4096		/* frames in the test zone: 16 MiB */
#define BASE 0x100	/* the zone starts at MFN 0x100 */

static struct frame_zone z;
static struct frame table[NR];

static void setup(void)
{
	zone_init(&z, table, BASE, NR);
}

START_TEST(test_add_range_counts)
{
	setup();
	ck_assert_uint_eq(zone_add_range(&z, BASE, BASE + NR), NR);
	ck_assert_uint_eq(z.free_frames, NR);
	ck_assert_uint_eq(z.total_frames, NR);
	/* Adding the same frames again adds nothing. */
	ck_assert_uint_eq(zone_add_range(&z, BASE + 10, BASE + 20), 0);
	ck_assert_uint_eq(z.free_frames, NR);
	/* Ranges outside the zone are clipped. */
	setup();
	ck_assert_uint_eq(zone_add_range(&z, 0, BASE + 3), 3);
	ck_assert_uint_eq(zone_add_range(&z, BASE + NR - 2, BASE + NR + 100), 2);
}
END_TEST

START_TEST(test_alloc_orders_aligned)
{
	setup();
	zone_add_range(&z, BASE, BASE + NR);
	for (unsigned int order = 0; order <= 8; order++) {
		mfn_t m = zone_alloc(&z, order);

		ck_assert_uint_ne(m, INVALID_MFN);
		ck_assert_uint_eq(m & ((1UL << order) - 1), 0);
		ck_assert(m >= BASE && m + (1UL << order) <= BASE + NR);
	}
	ck_assert_uint_eq(z.free_frames, NR - 511);
}
END_TEST

START_TEST(test_free_coalesces_back)
{
	mfn_t m[64];

	setup();
	zone_add_range(&z, BASE, BASE + NR);
	for (int i = 0; i < 64; i++)
		m[i] = zone_alloc(&z, 0);
	for (int i = 63; i >= 0; i -= 2)
		ck_assert_int_eq(zone_free(&z, m[i], 0), 0);
	for (int i = 0; i < 64; i += 2)
		ck_assert_int_eq(zone_free(&z, m[i], 0), 0);
	ck_assert_uint_eq(z.free_frames, NR);
	/*
	 * Fully merged: [0x100, 0x1100) is again 0x100/8, 0x200/9, 0x400/10,
	 * 0x800/11 and 0x1000/8, so the large blocks come back whole.
	 */
	ck_assert_uint_eq(zone_alloc(&z, 11), 0x800);
	ck_assert_uint_eq(zone_alloc(&z, 10), 0x400);
	ck_assert_uint_eq(zone_alloc(&z, 9), 0x200);
}
END_TEST

START_TEST(test_merge_to_largest_block)
{
	setup();
	/* An aligned 2^12-frame range becomes one block after churn. */
	zone_init(&z, table, 0x1000, NR);
	zone_add_range(&z, 0x1000, 0x1000 + NR);
	ck_assert_uint_eq(zone_alloc(&z, 12), 0x1000);
	ck_assert_uint_eq(z.free_frames, 0);
	ck_assert_int_eq(zone_free(&z, 0x1000, 12), 0);
	for (int i = 0; i < 100; i++)
		ck_assert_int_eq(zone_free(&z, zone_alloc(&z, (unsigned int)(i % 5)), (unsigned int)(i % 5)), 0);
	ck_assert_uint_eq(zone_alloc(&z, 12), 0x1000);
}
END_TEST

START_TEST(test_double_free_refused)
{
	mfn_t m;

	setup();
	zone_add_range(&z, BASE, BASE + NR);
	m = zone_alloc(&z, 2);
	ck_assert_int_eq(zone_free(&z, m, 2), 0);
	ck_assert_int_eq(zone_free(&z, m, 2), -EINVAL);
	ck_assert_uint_eq(z.free_frames, NR);
}
END_TEST

START_TEST(test_bad_frees_refused)
{
	mfn_t m;

	setup();
	zone_add_range(&z, BASE, BASE + NR);
	m = zone_alloc(&z, 3);
	ck_assert_int_eq(zone_free(&z, m, 2), -EINVAL);		/* wrong order */
	ck_assert_int_eq(zone_free(&z, m + 1, 0), -EINVAL);	/* inside a block */
	ck_assert_int_eq(zone_free(&z, BASE + NR, 0), -EINVAL);	/* outside the zone */
	ck_assert_int_eq(zone_free(&z, 0, 0), -EINVAL);
	ck_assert_int_eq(zone_free(&z, m, MAX_ORDER + 1), -EINVAL);
	ck_assert_int_eq(zone_free(&z, m + 8, 0), -EINVAL);	/* a free frame */
	ck_assert_int_eq(zone_free(&z, m, 3), 0);
}
END_TEST

START_TEST(test_reserved_frames_never_allocated)
{
	setup();
	zone_add_range(&z, BASE, BASE + 100);
	zone_add_range(&z, BASE + 200, BASE + 300);
	for (;;) {
		mfn_t m = zone_alloc(&z, 0);

		if (m == INVALID_MFN)
			break;
		ck_assert(m < BASE + 100 || (m >= BASE + 200 && m < BASE + 300));
	}
	ck_assert_uint_eq(z.free_frames, 0);
	ck_assert_uint_eq(zone_free(&z, BASE + 150, 0), -EINVAL);
}
END_TEST

START_TEST(test_exhaustion_and_too_big)
{
	setup();
	zone_add_range(&z, BASE, BASE + 8);
	ck_assert_uint_eq(zone_alloc(&z, 4), INVALID_MFN);
	ck_assert_uint_eq(zone_alloc(&z, MAX_ORDER + 1), INVALID_MFN);
	ck_assert_uint_ne(zone_alloc(&z, 3), INVALID_MFN);
	ck_assert_uint_eq(zone_alloc(&z, 0), INVALID_MFN);
}
END_TEST

START_TEST(test_reserve_specific_frame)
{
	setup();
	zone_add_range(&z, BASE, BASE + NR);
	ck_assert_int_eq(zone_reserve(&z, BASE + 77), 0);
	ck_assert_uint_eq(z.free_frames, NR - 1);
	ck_assert_uint_eq(z.total_frames, NR - 1);
	ck_assert_int_eq(zone_reserve(&z, BASE + 77), -EBUSY);
	for (;;) {
		mfn_t m = zone_alloc(&z, 0);

		if (m == INVALID_MFN)
			break;
		ck_assert_uint_ne(m, BASE + 77);
	}
}
END_TEST

/* Random alloc/free: blocks never overlap, counts always add up. */
START_TEST(test_random_churn)
{
	static unsigned char owner[NR];
	struct { mfn_t m; unsigned int o; } live[512];
	unsigned int nlive = 0;
	uint64_t used = 0;

	setup();
	zone_add_range(&z, BASE, BASE + NR);
	memset(owner, 0, sizeof(owner));
	srand(7);
	for (int i = 0; i < 20000; i++) {
		if (nlive < 512 && (rand() & 1)) {
			unsigned int o = (unsigned int)(rand() % 6);
			mfn_t m = zone_alloc(&z, o);

			if (m == INVALID_MFN)
				continue;
			for (mfn_t f = m; f < m + (1UL << o); f++) {
				ck_assert_int_eq(owner[f - BASE], 0);
				owner[f - BASE] = 1;
			}
			live[nlive].m = m;
			live[nlive++].o = o;
			used += 1UL << o;
		} else if (nlive) {
			unsigned int k = (unsigned int)rand() % nlive;

			for (mfn_t f = live[k].m; f < live[k].m + (1UL << live[k].o); f++)
				owner[f - BASE] = 0;
			ck_assert_int_eq(zone_free(&z, live[k].m, live[k].o), 0);
			used -= 1UL << live[k].o;
			live[k] = live[--nlive];
		}
		ck_assert_uint_eq(z.free_frames + used, NR);
	}
	while (nlive) {
		nlive--;
		ck_assert_int_eq(zone_free(&z, live[nlive].m, live[nlive].o), 0);
	}
	ck_assert_uint_eq(z.free_frames, NR);
}
END_TEST

Suite *frame_alloc_suite(void)
{
	Suite *s = suite_create("frame_alloc");
	TCase *tc = tcase_create("buddy");

	tcase_add_test(tc, test_add_range_counts);
	tcase_add_test(tc, test_alloc_orders_aligned);
	tcase_add_test(tc, test_free_coalesces_back);
	tcase_add_test(tc, test_merge_to_largest_block);
	tcase_add_test(tc, test_double_free_refused);
	tcase_add_test(tc, test_bad_frees_refused);
	tcase_add_test(tc, test_reserved_frames_never_allocated);
	tcase_add_test(tc, test_exhaustion_and_too_big);
	tcase_add_test(tc, test_reserve_specific_frame);
	tcase_add_test(tc, test_random_churn);
	suite_add_tcase(s, tc);
	return s;
}
