/* hv's vsnprintf against libc's for the conversions hv uses. */
#include <stdarg.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "harness.h"

int hv_snprintf(char *buf, size_t size, const char *fmt, ...);

#define SAME(fmt, ...) do { \
	char a[128], b[128]; \
	int na = hv_snprintf(a, sizeof(a), fmt, __VA_ARGS__); \
	int nb = snprintf(b, sizeof(b), fmt, __VA_ARGS__); \
	ck_assert_str_eq(a, b); \
	ck_assert_int_eq(na, nb); \
} while (0)

START_TEST(test_conversions)
{
	SAME("%d %i %u", -42, 7, 3000000000u);
	SAME("%x %X %#x %#lx", 0xbeefu, 0xbeefu, 0x10u, 0xffff82d040200000UL);
	SAME("%016lx|%-6d|%6d|%06d", 0x1234UL, 5, -5, -5);
	SAME("%ld %lu %zu", -1L, ~0UL, (size_t)99);
	SAME("%s|%.3s|%8s|%-8s|", "abc", "abcdef", "r", "l");
	SAME("%c%c %%", 'h', 'v');
	SAME("%hhu %hu %hd", 300, 70000, -2);
	SAME("%lld %llx", -9000000000LL, 0x123456789abcULL);
	SAME("%08x %#010x", 0xabu, 0xabu);
}
END_TEST

START_TEST(test_truncation)
{
	char buf[8];

	ck_assert_int_eq(hv_snprintf(buf, sizeof(buf), "%s", "0123456789"), 10);
	ck_assert_str_eq(buf, "0123456");
	ck_assert_int_eq(hv_snprintf(buf, 0, "%d", 12345), 5);
	ck_assert_int_eq(hv_snprintf(buf, 1, "%d", 12345), 5);
	ck_assert_str_eq(buf, "");
}
END_TEST

START_TEST(test_null_string_and_pointer)
{
	char buf[64];

	hv_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
	ck_assert_str_eq(buf, "(null)");
	hv_snprintf(buf, sizeof(buf), "%p", (void *)0x1234);
	ck_assert_str_eq(buf, "0x0000000000001234");
}
END_TEST

Suite *vsnprintf_suite(void)
{
	Suite *s = suite_create("vsnprintf");
	TCase *tc = tcase_create("format");

	tcase_add_test(tc, test_conversions);
	tcase_add_test(tc, test_truncation);
	tcase_add_test(tc, test_null_string_and_pointer);
	suite_add_tcase(s, tc);
	return s;
}
