/*
 * guest-pv's vsnprintf, string helpers and glob matcher against libc and
 * against the cases the test runner relies on (tests=glob,... selection).
 */
#include <check.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

int gp_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int gp_snprintf(char *buf, size_t size, const char *fmt, ...);
bool gp_glob_match(const char *pat, const char *str);
unsigned long gp_strtoul(const char *s, const char **end, int base);
size_t gp_strnlen(const char *s, size_t max);
char *gp_strstr(const char *hay, const char *needle);

/* printf() in the guest ends in console_write(); capture it. */
static char captured[1024];
void gp_console_write(const char *s, size_t len);
void gp_console_write(const char *s, size_t len)
{
	strncat(captured, s, len);
}

#define SAME_AS_LIBC(fmt, ...) do {                                             \
	char ours[256], libc[256];                                              \
	int n1 = gp_snprintf(ours, sizeof(ours), fmt, __VA_ARGS__);             \
	int n2 = snprintf(libc, sizeof(libc), fmt, __VA_ARGS__);                \
	ck_assert_str_eq(ours, libc);                                           \
	ck_assert_int_eq(n1, n2);                                               \
} while (0)

START_TEST(printf_matches_libc)
{
	SAME_AS_LIBC("%d|%i|%u", -42, 7, 3000000000U);
	SAME_AS_LIBC("%ld|%lu|%lx|%lX", -9223372036854775807L - 1, 18446744073709551615UL,
		     0xdeadbeefcafeUL, 0xabcdefUL);
	SAME_AS_LIBC("%5d|%-5d|%05d|%-5s|%5s", 42, 42, -42, "ab", "ab");
	SAME_AS_LIBC("%#x|%#lx|%x", 0x1fU, 0xffff800000000000UL, 0U);
	SAME_AS_LIBC("%.3s|%.32s|%s", "abcdef", "short", "");
	SAME_AS_LIBC("%c%c|%%|%016lx", 'o', 'k', 0x1234UL);
	SAME_AS_LIBC("%zu|%lu", (size_t)12345, 0UL);
}
END_TEST

START_TEST(printf_truncates_and_counts)
{
	char buf[8];
	int n = gp_snprintf(buf, sizeof(buf), "%s-%d", "abcdef", 12345);

	ck_assert_int_eq(n, 12);
	ck_assert_str_eq(buf, "abcdef-");
	n = gp_snprintf(buf, 0, "%d", 5);
	ck_assert_int_eq(n, 1);
	n = gp_snprintf(NULL, 0, "%s", "xyz");
	ck_assert_int_eq(n, 3);
}
END_TEST

START_TEST(printf_pointer_and_null_string)
{
	char buf[64];

	gp_snprintf(buf, sizeof(buf), "%p", (void *)0xffffffff80001000UL);
	ck_assert_str_eq(buf, "0xffffffff80001000");
	gp_snprintf(buf, sizeof(buf), "%s", (char *)NULL);
	ck_assert_str_eq(buf, "(null)");
}
END_TEST

START_TEST(glob)
{
	ck_assert(gp_glob_match("*", "xen_version.version"));
	ck_assert(gp_glob_match("xen_version.*", "xen_version.pagesize"));
	ck_assert(!gp_glob_match("xen_version.*", "evtchn.invalid"));
	ck_assert(gp_glob_match("*.invalid", "evtchn.invalid"));
	ck_assert(gp_glob_match("m?u.*", "mmu.remap_own_frame"));
	ck_assert(gp_glob_match("*_*_*", "a_b_c"));
	ck_assert(!gp_glob_match("a*b", "acbd"));
	ck_assert(gp_glob_match("a*b*", "acbd"));
	ck_assert(gp_glob_match("", ""));
	ck_assert(!gp_glob_match("", "x"));
	ck_assert(gp_glob_match("**", ""));
}
END_TEST

START_TEST(strings)
{
	const char *end;

	ck_assert_uint_eq(gp_strtoul("0x1f,", &end, 0), 0x1f);
	ck_assert_int_eq(*end, ',');
	ck_assert_uint_eq(gp_strtoul("1234abc", &end, 10), 1234);
	ck_assert_int_eq(*end, 'a');
	ck_assert_uint_eq(gp_strtoul("ff", NULL, 16), 255);
	ck_assert_uint_eq(gp_strnlen("abcdef", 3), 3);
	ck_assert_uint_eq(gp_strnlen("ab", 3), 2);
	ck_assert_ptr_null(gp_strstr("capabilities", "xen"));
	ck_assert_str_eq(gp_strstr("xen-3.0-x86_64 ", "x86"), "x86_64 ");
}
END_TEST

int main(void)
{
	Suite *s = suite_create("guest-pv lib");
	TCase *tc = tcase_create("lib");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, printf_matches_libc);
	tcase_add_test(tc, printf_truncates_and_counts);
	tcase_add_test(tc, printf_pointer_and_null_string);
	tcase_add_test(tc, glob);
	tcase_add_test(tc, strings);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
