/*
 * output.c - buffered output and value escaping for the CLI.
 */
#include <err.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

static char *buf;
static size_t used, cap;

static void reserve(size_t more)
{
	if (used + more <= cap)
		return;
	cap = (used + more) * 2 + 1024;
	buf = realloc(buf, cap);
	if (!buf)
		err(1, "malloc");
}

void out_printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		err(1, "output");
	reserve((size_t)n + 1);
	va_start(ap, fmt);
	vsnprintf(buf + used, (size_t)n + 1, fmt, ap);
	va_end(ap);
	used += (size_t)n;
}

void out_raw(const void *data, unsigned int len)
{
	reserve(len);
	memcpy(buf + used, data, len);
	used += len;
}

void out_reset(void)
{
	used = 0;
}

void out_flush(void)
{
	if (used)
		fwrite(buf, 1, used, stdout);
	used = 0;
	fflush(stdout);
}

/*
 * Printable ASCII other than '\' passes; \t \n \r \\ get C escapes;
 * bytes below 010 become \ooo and everything else \xNN (Xen's format).
 */
const char *sanitise(const char *val, unsigned int len)
{
	static char *s;
	static size_t scap;
	size_t o = 0, i;

	if (scap < (size_t)len * 4 + 1) {
		scap = (size_t)len * 4 + 1;
		free(s);
		s = malloc(scap);
		if (!s)
			err(1, "malloc");
	}
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char)val[i];

		if (c >= ' ' && c <= '~' && c != '\\') {
			s[o++] = (char)c;
			continue;
		}
		s[o++] = '\\';
		switch (c) {
		case '\t': s[o++] = 't'; break;
		case '\n': s[o++] = 'n'; break;
		case '\r': s[o++] = 'r'; break;
		case '\\': s[o++] = '\\'; break;
		default:
			o += (size_t)sprintf(s + o, c < 010 ? "%03o" : "x%02x",
					     c);
		}
	}
	s[o] = '\0';
	return s;
}

static int hexval(char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

char *unsanitise(const char *in, unsigned int *len)
{
	char *out = malloc(strlen(in) + 1), *o = out;
	int v, d, n;

	if (!out)
		err(1, "malloc");
	while (*in) {
		if (*in != '\\') {
			*o++ = *in++;
			continue;
		}
		in++;
		switch (*in) {
		case 't': *o++ = '\t'; in++; break;
		case 'n': *o++ = '\n'; in++; break;
		case 'r': *o++ = '\r'; in++; break;
		case '\\': *o++ = '\\'; in++; break;
		case 'x':
			in++;
			for (v = 0, n = 0; n < 2 && (d = hexval(*in)) >= 0;
			     n++, in++)
				v = v * 16 + d;
			*o++ = (char)v;
			break;
		case '0': case '1': case '2': case '3':
		case '4': case '5': case '6': case '7':
			for (v = 0, n = 0; n < 3 && *in >= '0' && *in <= '7';
			     n++, in++)
				v = v * 8 + (*in - '0');
			*o++ = (char)v;
			break;
		case '\0':
			break;
		default:
			*o++ = *in++;	/* unknown escape: keep the char */
		}
	}
	*len = (unsigned int)(o - out);
	return out;
}
