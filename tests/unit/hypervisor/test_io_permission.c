/*
 * I/O permission lists (common/io_permission.c) against a model: a bitmap
 * of the ports a domain holds. Random grants and revocations over a small
 * space; after each one the domain must hold what the model says, its
 * list must be sorted with no two ranges overlapping or touching (as few
 * ranges as the rights need), and a change is refused (-ENOSPC) exactly
 * when those rights would need more than DOMAIN_MAX_IO_RANGES ranges, in
 * which case nothing changed.
 */
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <hv/domain.h>
#include <hv/errno.h>
#include <public/hvctl.h>

#define SPACE 256

static struct domain d;
static bool model[SPACE];

static long set(uint64_t first, uint64_t count, uint32_t allow)
{
	struct hv_domctl_range p = { .first = first, .count = count, .allow = allow };

	return domain_set_io_permission(&d, HV_DOMCTL_ioport_permission, &p);
}

/* Maximal runs of held ports in a model. */
static unsigned int runs(const bool *m)
{
	unsigned int n = 0;

	for (unsigned int i = 0; i < SPACE; i++)
		n += m[i] && (i == 0 || !m[i - 1]);
	return n;
}

static void check_against_model(void)
{
	for (unsigned int i = 0; i < SPACE; i++)
		ck_assert_msg(domain_io_allowed(&d, HV_DOMCTL_ioport_permission, i, 1) == model[i],
			      "port %u: held %d, model %d", i, !model[i], model[i]);
	ck_assert_uint_eq(d.nr_ioports, runs(model));
	for (unsigned int i = 0; i + 1 < d.nr_ioports; i++)
		ck_assert_uint_lt(d.ioports[i].first + d.ioports[i].count, d.ioports[i + 1].first);
}

START_TEST(test_full_list_refuses_without_change)
{
	memset(&d, 0, sizeof(d));
	for (unsigned int i = 0; i < DOMAIN_MAX_IO_RANGES; i++)
		ck_assert_int_eq(set(0x100 * i, 0x10, 1), 0);
	ck_assert_int_eq(set(0x2000, 1, 1), -ENOSPC);
	/* Over a range's end: merged, not trimmed and then refused. */
	ck_assert_int_eq(set(0x8, 0x10, 1), 0);
	ck_assert(domain_io_allowed(&d, HV_DOMCTL_ioport_permission, 0, 0x18));
	/* A hole needs a 17th range: refused, the range stays whole. */
	ck_assert_int_eq(set(0x104, 4, 0), -ENOSPC);
	ck_assert(domain_io_allowed(&d, HV_DOMCTL_ioport_permission, 0x100, 0x10));
	ck_assert_uint_eq(d.nr_ioports, DOMAIN_MAX_IO_RANGES);
}
END_TEST

START_TEST(test_random_changes_match_model)
{
	srand(12345);
	memset(&d, 0, sizeof(d));
	memset(model, 0, sizeof(model));
	for (unsigned int step = 0; step < 20000; step++) {
		uint64_t first = (uint64_t)rand() % SPACE;
		uint64_t count = 1 + (uint64_t)rand() % 24;
		uint32_t allow = (uint32_t)rand() % 3 != 0;	/* grants outnumber revocations */
		bool next[SPACE];
		long rc;

		if (first + count > SPACE)
			count = SPACE - first;
		memcpy(next, model, sizeof(next));
		for (uint64_t p = first; p < first + count; p++)
			next[p] = allow;
		rc = set(first, count, allow);
		if (runs(next) > DOMAIN_MAX_IO_RANGES) {
			ck_assert_int_eq(rc, -ENOSPC);
		} else {
			ck_assert_int_eq(rc, 0);
			memcpy(model, next, sizeof(model));
		}
		check_against_model();
	}
}
END_TEST

START_TEST(test_bad_ranges)
{
	memset(&d, 0, sizeof(d));
	ck_assert_int_eq(set(5, 0, 1), -EINVAL);
	ck_assert_int_eq(set(0xffff, 2, 1), -EINVAL);
	ck_assert_int_eq(set(8, ~0UL, 1), -EINVAL);
	ck_assert_int_eq(set(8, 1, 2), -EINVAL);
	ck_assert_int_eq(set(0xffff, 1, 1), 0);
	ck_assert_uint_eq(d.nr_ioports, 1);
}
END_TEST

Suite *io_permission_suite(void)
{
	Suite *s = suite_create("io_permission");
	TCase *tc = tcase_create("core");

	tcase_add_test(tc, test_full_list_refuses_without_change);
	tcase_add_test(tc, test_random_changes_match_model);
	tcase_add_test(tc, test_bad_ranges);
	suite_add_tcase(s, tc);
	return s;
}
