/* The heap over a page provider backed by aligned host memory. */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <hv/mm.h>

static int pages_out;
static int fail_after = -1;	/* pages to hand out before failing */

static void *get(unsigned int order)
{
	if (fail_after == 0)
		return NULL;
	if (fail_after > 0)
		fail_after--;
	pages_out += 1 << order;
	return aligned_alloc(4096, 4096UL << order);
}

static void put(void *p, unsigned int order)
{
	pages_out -= 1 << order;
	free(p);
}

static const struct heap_pages provider = { get, put };

static void setup(void)
{
	pages_out = 0;
	fail_after = -1;
	heap_init(&provider);
}

START_TEST(test_sizes_and_alignment)
{
	void *p[64];

	setup();
	for (int i = 0; i < 64; i++) {
		size_t sz = (size_t)1 << (i % 14);

		p[i] = xmalloc(sz);
		ck_assert_ptr_nonnull(p[i]);
		ck_assert_uint_eq((uintptr_t)p[i] & 15, 0);
		memset(p[i], 0xa5, sz);		/* ASan: the whole object is ours */
	}
	for (int i = 0; i < 64; i++)
		xfree(p[i]);
}
END_TEST

START_TEST(test_zero_and_overflow)
{
	setup();
	ck_assert_ptr_null(xmalloc(0));
	ck_assert_ptr_null(xmalloc(SIZE_MAX));
	ck_assert_ptr_null(xmalloc(SIZE_MAX - 8));
	xfree(NULL);
}
END_TEST

START_TEST(test_reuse_after_free)
{
	void *a, *b;

	setup();
	a = xmalloc(100);
	xfree(a);
	b = xmalloc(100);
	ck_assert_ptr_eq(a, b);
	xfree(b);
}
END_TEST

START_TEST(test_xzalloc_zeroes)
{
	unsigned char *p;

	setup();
	p = xmalloc(200);
	memset(p, 0xff, 200);
	xfree(p);
	p = xzalloc(200);
	for (int i = 0; i < 200; i++)
		ck_assert_uint_eq(p[i], 0);
	xfree(p);
}
END_TEST

START_TEST(test_large_returns_pages)
{
	void *p;

	setup();
	p = xmalloc(3 * 4096);
	ck_assert_ptr_nonnull(p);
	ck_assert_int_eq(pages_out, 4);
	memset(p, 1, 3 * 4096);
	xfree(p);
	ck_assert_int_eq(pages_out, 0);
}
END_TEST

START_TEST(test_double_free_detected)
{
	void *p;

	setup();
	p = xmalloc(64);
	xfree(p);
	log_clear();
	xfree(p);
	ck_assert(log_contains("double free"));
	/* The free list is intact: two allocations get two objects. */
	ck_assert_ptr_ne(xmalloc(64), xmalloc(64));
}
END_TEST

START_TEST(test_foreign_pointer_refused)
{
	static uint64_t not_heap[8] __attribute__((aligned(16)));
	char *p;

	setup();
	log_clear();
	xfree(&not_heap[4]);
	ck_assert(log_contains("not an allocated object"));
	p = xmalloc(64);
	log_clear();
	xfree(p + 8);			/* misaligned interior pointer */
	ck_assert(log_contains("not an allocated object"));
	xfree(p);
}
END_TEST

START_TEST(test_out_of_pages)
{
	setup();
	fail_after = 0;
	ck_assert_ptr_null(xmalloc(10));
	ck_assert_ptr_null(xmalloc(100000));
}
END_TEST

Suite *heap_suite(void)
{
	Suite *s = suite_create("heap");
	TCase *tc = tcase_create("xmalloc");

	tcase_add_test(tc, test_sizes_and_alignment);
	tcase_add_test(tc, test_zero_and_overflow);
	tcase_add_test(tc, test_reuse_after_free);
	tcase_add_test(tc, test_xzalloc_zeroes);
	tcase_add_test(tc, test_large_returns_pages);
	tcase_add_test(tc, test_double_free_detected);
	tcase_add_test(tc, test_foreign_pointer_refused);
	tcase_add_test(tc, test_out_of_pages);
	suite_add_tcase(s, tc);
	return s;
}
