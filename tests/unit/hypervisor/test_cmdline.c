/* Command-line parsing: Xen's syntax, unknown and malformed options. */
#include <string.h>

#include "harness.h"

#include <hv/cmdline.h>
#include <hv/errno.h>

static bool flag;
static uint64_t number;
static char word[8];
static char seen[32];

static int custom(const char *v)
{
	if (!strcmp(v, "bad"))
		return -EINVAL;
	strncpy(seen, v, sizeof(seen) - 1);
	return 0;
}

static const struct hv_param params[] = {
	{ "flag", PARAM_BOOL, &flag, 0, NULL },
	{ "number", PARAM_UINT, &number, 0, NULL },
	{ "word", PARAM_STRING, word, sizeof(word), NULL },
	{ "custom", PARAM_CUSTOM, NULL, 0, custom },
};

static void parse(const char *s)
{
	flag = false;
	number = 42;
	strcpy(word, "dflt");
	memset(seen, 0, sizeof(seen));
	log_clear();
	cmdline_parse(s, params, params + 4);
}

START_TEST(test_values)
{
	parse("  flag number=0x10\tword=abc custom=x,y:z  ");
	ck_assert(flag);
	ck_assert_uint_eq(number, 16);
	ck_assert_str_eq(word, "abc");
	ck_assert_str_eq(seen, "x,y:z");
	ck_assert_str_eq(log_text(), "");
}
END_TEST

START_TEST(test_booleans)
{
	parse("flag=yes");
	ck_assert(flag);
	parse("flag no-flag");
	ck_assert(!flag);
	parse("flag=off");
	ck_assert(!flag);
	parse("flag=maybe");
	ck_assert(!flag);
	ck_assert(log_contains("bad value 'maybe' for option 'flag'"));
	/* no- only negates booleans */
	parse("no-number");
	ck_assert(log_contains("unknown option 'no-number'"));
}
END_TEST

START_TEST(test_malformed_keeps_default)
{
	parse("number=12abc word=toolongvalue custom=bad number=");
	ck_assert_uint_eq(number, 42);
	ck_assert_str_eq(word, "dflt");
	ck_assert_str_eq(seen, "");
	ck_assert(log_contains("bad value '12abc' for option 'number'"));
	ck_assert(log_contains("bad value 'toolongvalue' for option 'word'"));
	ck_assert(log_contains("bad value 'bad' for option 'custom'"));
	ck_assert(log_contains("bad value '' for option 'number'"));
	parse("number=99999999999999999999");	/* overflows 64 bits */
	ck_assert_uint_eq(number, 42);
}
END_TEST

START_TEST(test_unknown_reported_once)
{
	const char *t;

	parse("zork=1 zork=2 zork");
	t = log_text();
	ck_assert(strstr(t, "unknown option 'zork' ignored"));
	ck_assert_ptr_null(strstr(strstr(t, "zork") + 4, "zork"));
}
END_TEST

START_TEST(test_last_one_wins_and_empty)
{
	parse("number=1 number=2");
	ck_assert_uint_eq(number, 2);
	parse("");
	ck_assert_uint_eq(number, 42);
	ck_assert_str_eq(log_text(), "");
}
END_TEST

START_TEST(test_overlong_token)
{
	char s[600];

	memset(s, 'a', sizeof(s) - 1);
	s[sizeof(s) - 1] = '\0';
	memcpy(s + 300, " number=7 ", 10);
	parse(s);
	ck_assert(log_contains("longer than 255 characters"));
	ck_assert_uint_eq(number, 7);
}
END_TEST

START_TEST(test_parse_size_units)
{
	uint64_t v;
	const char *end;

	ck_assert_int_eq(parse_size("512M", NULL, &v), 0);
	ck_assert_uint_eq(v, 512UL << 20);
	ck_assert_int_eq(parse_size("2g", NULL, &v), 0);
	ck_assert_uint_eq(v, 2UL << 30);
	ck_assert_int_eq(parse_size("4096", NULL, &v), 0);	/* KiB by default */
	ck_assert_uint_eq(v, 4096UL << 10);
	ck_assert_int_eq(parse_size("100B", NULL, &v), 0);
	ck_assert_uint_eq(v, 100);
	ck_assert_int_eq(parse_size("1T", NULL, &v), 0);
	ck_assert_uint_eq(v, 1UL << 40);
	ck_assert_int_eq(parse_size("M", NULL, &v), -EINVAL);
	ck_assert_int_eq(parse_size("12Q", NULL, &v), -EINVAL);
	ck_assert_int_eq(parse_size("99999999999T", NULL, &v), -ERANGE);
	ck_assert_int_eq(parse_size("3M,x", &end, &v), 0);
	ck_assert_str_eq(end, ",x");
}
END_TEST

Suite *cmdline_suite(void)
{
	Suite *s = suite_create("cmdline");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_values);
	tcase_add_test(tc, test_booleans);
	tcase_add_test(tc, test_malformed_keeps_default);
	tcase_add_test(tc, test_unknown_reported_once);
	tcase_add_test(tc, test_last_one_wins_and_empty);
	tcase_add_test(tc, test_overlong_token);
	tcase_add_test(tc, test_parse_size_units);
	suite_add_tcase(s, tc);
	return s;
}
