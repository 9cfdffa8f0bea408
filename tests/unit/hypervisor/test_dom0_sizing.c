/*
 * dom0_mem= and dom0_max_vcpus= through the real option descriptors, as
 * the hypervisor registers them. Each test runs in its own process (Check
 * forks), so option state from one does not leak into the next.
 */
#include "harness.h"

#include <hv/cmdline.h>
#include <hv/dom0.h>

#define MIB (1UL << 20)
#define GIB (1UL << 30)

static void opts(const char *s)
{
	log_clear();
	cmdline_parse(s, __start_hv_params, __stop_hv_params);
}

START_TEST(test_default_leaves_reserve)
{
	/* No option: everything but min(1/16, 128 MiB). */
	ck_assert_uint_eq(dom0_mem_size(1 * GIB), 1 * GIB - 64 * MIB);
	ck_assert_uint_eq(dom0_mem_size(8 * GIB), 8 * GIB - 128 * MIB);
	ck_assert_uint_eq(dom0_vcpus(4), 4);
}
END_TEST

START_TEST(test_plain_amount)
{
	opts("dom0_mem=512M");
	ck_assert_str_eq(log_text(), "");
	ck_assert_uint_eq(dom0_mem_size(4 * GIB), 512 * MIB);
	ck_assert_uint_eq(dom0_mem_max(4 * GIB), 512 * MIB);
}
END_TEST

START_TEST(test_amount_and_max)
{
	opts("dom0_mem=512M,max:1G");
	ck_assert_uint_eq(dom0_mem_size(4 * GIB), 512 * MIB);
	ck_assert_uint_eq(dom0_mem_max(4 * GIB), 1 * GIB);
	/* A host smaller than max: max is capped at the host. */
	ck_assert_uint_eq(dom0_mem_max(768 * MIB), 768 * MIB);
}
END_TEST

START_TEST(test_min_max_clamp)
{
	opts("dom0_mem=min:256M,max:2G,4G");
	ck_assert_uint_eq(dom0_mem_size(8 * GIB), 2 * GIB);
	opts("dom0_mem=min:256M,64M");
	ck_assert_uint_eq(dom0_mem_size(8 * GIB), 256 * MIB);
}
END_TEST

START_TEST(test_all_but_and_percent)
{
	opts("dom0_mem=-1G");
	ck_assert_uint_eq(dom0_mem_size(4 * GIB), 3 * GIB);
	opts("dom0_mem=50%");
	ck_assert_uint_eq(dom0_mem_size(4 * GIB), 2 * GIB);
	/* More than the host has is cut to what remains after hv's reserve. */
	opts("dom0_mem=64G");
	ck_assert_uint_eq(dom0_mem_size(1 * GIB), 1 * GIB - 64 * MIB);
}
END_TEST

START_TEST(test_kib_default_unit)
{
	opts("dom0_mem=262144");
	ck_assert_uint_eq(dom0_mem_size(4 * GIB), 256 * MIB);
}
END_TEST

START_TEST(test_malformed_mem_keeps_default)
{
	static const char *const bad[] = {
		"dom0_mem=", "dom0_mem=lots", "dom0_mem=512M,", "dom0_mem=max:",
		"dom0_mem=512X", "dom0_mem=101%", "dom0_mem=-5%", "dom0_mem=min:1G,max:zz",
	};

	for (unsigned int i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		opts(bad[i]);
		ck_assert_msg(log_contains("bad value"), "no complaint about %s", bad[i]);
		ck_assert_uint_eq(dom0_mem_size(1 * GIB), 1 * GIB - 64 * MIB);
	}
}
END_TEST

START_TEST(test_max_vcpus)
{
	opts("dom0_max_vcpus=2");
	ck_assert_uint_eq(dom0_vcpus(8), 2);
	ck_assert_uint_eq(dom0_vcpus(1), 1);
	opts("dom0_max_vcpus=2-4");
	ck_assert_uint_eq(dom0_vcpus(8), 4);
	ck_assert_uint_eq(dom0_vcpus(1), 2);
	opts("dom0_max_vcpus=0");
	ck_assert(log_contains("bad value '0'"));
	opts("dom0_max_vcpus=4-2");
	ck_assert(log_contains("bad value '4-2'"));
	opts("dom0_max_vcpus=x");
	ck_assert(log_contains("bad value 'x'"));
	ck_assert_uint_eq(dom0_vcpus(8), 4);	/* the last good value stands */
}
END_TEST

Suite *dom0_sizing_suite(void)
{
	Suite *s = suite_create("dom0_sizing");
	TCase *tc = tcase_create("options");

	tcase_add_test(tc, test_default_leaves_reserve);
	tcase_add_test(tc, test_plain_amount);
	tcase_add_test(tc, test_amount_and_max);
	tcase_add_test(tc, test_min_max_clamp);
	tcase_add_test(tc, test_all_but_and_percent);
	tcase_add_test(tc, test_kib_default_unit);
	tcase_add_test(tc, test_malformed_mem_keeps_default);
	tcase_add_test(tc, test_max_vcpus);
	suite_add_tcase(s, tc);
	return s;
}
