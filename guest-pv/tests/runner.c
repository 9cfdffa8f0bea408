/*
 * Runs the registered tests in link order and reports them.
 */
#include <guest/arch.h>
#include <guest/test.h>

extern const struct test __start_tests[], __stop_tests[];

enum status { ST_PASS, ST_SKIP, ST_FAIL };

static enum status status;
static char message[200];
static unsigned int extra_failures;

static void raise_status(enum status s, const char *fmt, va_list ap)
{
	if (s == ST_FAIL && status == ST_FAIL) {
		extra_failures++;
		return;
	}
	if (s < status)
		return;
	status = s;
	vsnprintf(message, sizeof(message), fmt, ap);
}

void test_fail(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	raise_status(ST_FAIL, fmt, ap);
	va_end(ap);
}

void test_skip(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	raise_status(ST_SKIP, fmt, ap);
	va_end(ap);
}

static const struct {
	long err;
	const char *name;
} errno_names[] = {
	{ 1, "-EPERM" }, { 2, "-ENOENT" }, { 3, "-ESRCH" }, { 6, "-ENXIO" }, { 7, "-E2BIG" },
	{ 11, "-EAGAIN" }, { 12, "-ENOMEM" }, { 13, "-EACCES" }, { 14, "-EFAULT" },
	{ 16, "-EBUSY" }, { 17, "-EEXIST" }, { 19, "-ENODEV" }, { 22, "-EINVAL" },
	{ 28, "-ENOSPC" }, { 34, "-ERANGE" }, { 38, "-ENOSYS" }, { 61, "-ENODATA" },
	{ 95, "-EOPNOTSUPP" }, { 105, "-ENOBUFS" },
};

const char *rc_str(long rc)
{
	static char bufs[2][24];
	static unsigned int which;
	char *b = bufs[which++ & 1];

	for (unsigned int i = 0; i < ARRAY_SIZE(errno_names); i++)
		if (rc == -errno_names[i].err)
			return errno_names[i].name;
	snprintf(b, sizeof(bufs[0]), "%ld", rc);
	return b;
}

/*
 * The filter is a comma-separated list of globs; a name is selected when
 * it matches one of them and none of those written "!glob".
 */
static bool selected(const char *name, const char *filter)
{
	char pat[64];
	const char *p = filter;
	bool in = false;

	while (*p) {
		size_t n = 0;

		while (*p && *p != ',' && n + 1 < sizeof(pat))
			pat[n++] = *p++;
		pat[n] = '\0';
		if (*p == ',')
			p++;
		if (n > 1 && pat[0] == '!' && glob_match(pat + 1, name))
			return false;
		if (n && pat[0] != '!' && glob_match(pat, name))
			in = true;
	}
	return in;
}

void tests_run(const char *filter)
{
	unsigned int passed = 0, failed = 0, skipped = 0, total = 0;

	for (const struct test *t = __start_tests; t < __stop_tests; t++)
		total += selected(t->name, filter);
	printf("guest-pv: running %u of %u tests (tests=%s)\n", total,
	       (unsigned int)(__stop_tests - __start_tests), filter);

	for (const struct test *t = __start_tests; t < __stop_tests; t++) {
		if (!selected(t->name, filter))
			continue;
		status = ST_PASS;
		message[0] = '\0';
		extra_failures = 0;
		trap_expect_none();
		trap_record_reset();

		t->fn();

		trap_expect_none();
		switch (status) {
		case ST_PASS:
			passed++;
			printf("PASS %s\n", t->name);
			break;
		case ST_SKIP:
			skipped++;
			printf("SKIP %s: %s\n", t->name, message);
			break;
		case ST_FAIL:
			failed++;
			if (extra_failures)
				printf("FAIL %s: %s (+%u more)\n", t->name, message, extra_failures);
			else
				printf("FAIL %s: %s\n", t->name, message);
			break;
		}
	}
	if (skipped)
		printf("guest-pv: %u skipped\n", skipped);
	printf("guest-pv: %u passed, %u failed\n", passed, failed);
}
