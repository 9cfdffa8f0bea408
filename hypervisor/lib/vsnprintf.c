/*
 * A small vsnprintf: %d %i %u %x %X %p %s %c %%, with flags '-', '0', '#', width,
 * precision (for %s), and the length modifiers l, ll, z, h, hh. Always
 * NUL-terminates; returns the length the full output would have had.
 */
#include <hv/lib.h>

struct out {
	char *buf;
	size_t size, len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_padded(struct out *o, const char *s, size_t n, int width,
		       bool left, char pad)
{
	int fill = width > (int)n ? width - (int)n : 0;

	if (!left)
		while (fill-- > 0)
			put(o, pad);
	while (n--)
		put(o, *s++);
	if (left)
		while (fill-- > 0)
			put(o, ' ');
}

static void put_number(struct out *o, uint64_t v, bool neg, unsigned int base,
		       bool upper, bool alt, int width, bool left, char pad)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[sizeof(tmp) - 1 - n++] = digits[v % base];
		v /= base;
	} while (v);
	if (alt && base == 16) {
		if (pad == '0') {
			put(o, '0');
			put(o, upper ? 'X' : 'x');
			width -= 2;
		} else {
			tmp[sizeof(tmp) - 1 - n++] = upper ? 'X' : 'x';
			tmp[sizeof(tmp) - 1 - n++] = '0';
		}
	}
	if (neg) {
		if (pad == '0') {
			put(o, '-');
			width--;
		} else {
			tmp[sizeof(tmp) - 1 - n++] = '-';
		}
	}
	put_padded(o, tmp + sizeof(tmp) - n, n, width, left, pad);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };

	for (; *fmt; fmt++) {
		bool left = false, is_signed = false, alt = false;
		char pad = ' ';
		int width = 0, prec = -1, lng = 0;
		unsigned int base = 10;
		uint64_t v;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '-')
				left = true;
			else if (*fmt == '0')
				pad = '0';
			else if (*fmt == '#')
				alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			fmt++;
		}
		while (*fmt >= '0' && *fmt <= '9')
			width = width * 10 + (*fmt++ - '0');
		if (*fmt == '.') {
			prec = 0;
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				fmt++;
			}
			while (*fmt >= '0' && *fmt <= '9')
				prec = prec * 10 + (*fmt++ - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l' || *fmt == 'z')
				lng = 2;
			else if (*fmt == 'h')
				lng = lng > 0 ? lng : lng - 1;
			else
				break;
		}
		switch (*fmt) {
		case 'c':
			put_padded(&o, &(char){ (char)va_arg(ap, int) }, 1, width, left, ' ');
			continue;
		case 's': {
			const char *s = va_arg(ap, const char *);

			if (!s)
				s = "(null)";
			put_padded(&o, s, prec >= 0 ? strnlen(s, prec) : strlen(s), width, left, ' ');
			continue;
		}
		case 'p':
			put(&o, '0');
			put(&o, 'x');
			put_number(&o, (uintptr_t)va_arg(ap, void *), false, 16, false,
				   false, width ? width : 16, left, '0');
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'x':
		case 'X':
			base = 16;
			break;
		case '%':
			put(&o, '%');
			continue;
		case '\0':
			fmt--;
			continue;
		default:
			put(&o, '%');
			put(&o, *fmt);
			continue;
		}
		if (lng == 2)
			v = is_signed ? (uint64_t)va_arg(ap, long) : va_arg(ap, unsigned long);
		else
			v = is_signed ? (uint64_t)(long)va_arg(ap, int) : va_arg(ap, unsigned int);
		if (lng == -1)
			v = is_signed ? (uint64_t)(long)(short)v : (unsigned short)v;
		else if (lng < -1)
			v = is_signed ? (uint64_t)(long)(signed char)v : (unsigned char)v;
		if (is_signed && (int64_t)v < 0)
			put_number(&o, -v, true, base, *fmt == 'X', alt, width, left, pad);
		else
			put_number(&o, v, false, base, *fmt == 'X', alt, width, left, pad);
	}
	if (size)
		buf[o.len < size ? o.len : size - 1] = '\0';
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
