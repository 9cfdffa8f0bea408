/* printk and panic for hypervisor code running on the host. */
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "harness.h"

#include <hv/console.h>
#include <hv/panic.h>

enum log_level console_loglvl = LOG_ALL, console_guest_loglvl = LOG_ALL;
static char logbuf[1 << 16];
static size_t loglen;
int panic_count;

void vprintk(const char *fmt, va_list ap)
{
	int n;

	if (fmt[0] == '\001' && fmt[1])
		fmt += 2;
	n = vsnprintf(logbuf + loglen, sizeof(logbuf) - loglen, fmt, ap);
	if (n > 0)
		loglen = loglen + (size_t)n < sizeof(logbuf) ? loglen + (size_t)n : sizeof(logbuf) - 1;
}

void printk(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vprintk(fmt, ap);
	va_end(ap);
}

void panic(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	fprintf(stderr, "hv panic in unit test: ");
	vfprintf(stderr, fmt, ap);
	fputc('\n', stderr);
	va_end(ap);
	panic_count++;
	ck_abort_msg("panic() called");
	abort();
}

const char *log_text(void)
{
	return logbuf;
}

void log_clear(void)
{
	loglen = 0;
	logbuf[0] = '\0';
}

bool log_contains(const char *needle)
{
	return strstr(logbuf, needle) != NULL;
}

int main(void)
{
	SRunner *sr = srunner_create(multiboot2_suite());
	int failed;

	srunner_add_suite(sr, frame_alloc_suite());
	srunner_add_suite(sr, heap_suite());
	srunner_add_suite(sr, cmdline_suite());
	srunner_add_suite(sr, dom0_sizing_suite());
	srunner_add_suite(sr, vsnprintf_suite());
	srunner_add_suite(sr, page_types_suite());
	srunner_add_suite(sr, xz_suite());
	srunner_add_suite(sr, bzimage_suite());
	srunner_add_suite(sr, string_suite());
	srunner_add_suite(sr, io_permission_suite());
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}

/* hv's lib/string.c is replaced by libc here, which lacks strlcpy. */
size_t strlcpy(char *dst, const char *src, size_t size);
size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = '\0';
	}
	return len;
}
