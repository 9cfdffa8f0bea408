/* String and memory functions (the compiler may also emit calls to these). */
#include <hv/lib.h>

/*
 * rep stos/movs: fast on every x86 since ERMS. Bulk by quadwords, then the
 * tail by bytes: under TCG each repetition is one emulated step, so a page
 * costs 512 of them instead of 4096 (grant copies, frame scrubbing).
 */
void *memset(void *s, int c, size_t n)
{
	uint64_t fill = (uint8_t)c * 0x0101010101010101UL;
	size_t quads = n >> 3, bytes = n & 7;
	void *d = s;

	asm volatile("rep stosq" : "+D"(d), "+c"(quads) : "a"(fill) : "memory");
	asm volatile("rep stosb" : "+D"(d), "+c"(bytes) : "a"(fill) : "memory");
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	size_t quads = n >> 3, bytes = n & 7;
	void *d = dst;

	asm volatile("rep movsq" : "+D"(d), "+S"(src), "+c"(quads) : : "memory");
	asm volatile("rep movsb" : "+D"(d), "+S"(src), "+c"(bytes) : : "memory");
	return dst;
}

/*
 * A forward copy is right whenever the destination starts at or before the
 * source, overlapping or not (each element is read before it can be
 * overwritten); only a destination inside the source, after its start,
 * needs the backward loop.
 */
void *memmove(void *dst, const void *src, size_t n)
{
	unsigned char *d = dst;
	const unsigned char *s = src;

	if (d <= s || d >= s + n)
		return memcpy(dst, src, n);
	while (n--)
		d[n] = s[n];
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const unsigned char *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x - *y;
	return 0;
}

void *memchr(const void *s, int c, size_t n)
{
	const unsigned char *p = s;

	for (; n; n--, p++)
		if (*p == (unsigned char)c)
			return (void *)p;
	return NULL;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strnlen(const char *s, size_t max)
{
	size_t n = 0;

	while (n < max && s[n])
		n++;
	return n;
}

int strcmp(const char *a, const char *b)
{
	while (*a && *a == *b)
		a++, b++;
	return (unsigned char)*a - (unsigned char)*b;
}

int strncmp(const char *a, const char *b, size_t n)
{
	for (; n; n--, a++, b++) {
		if (*a != *b)
			return (unsigned char)*a - (unsigned char)*b;
		if (!*a)
			break;
	}
	return 0;
}

char *strchr(const char *s, int c)
{
	for (;; s++) {
		if (*s == (char)c)
			return (char *)s;
		if (!*s)
			return NULL;
	}
}

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
