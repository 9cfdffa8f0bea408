/* The small C library hv carries: strings, formatting, number parsing. */
#ifndef HV_LIB_H
#define HV_LIB_H

#include <hv/types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
void *memchr(const void *s, int c, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);
int strncmp(const char *a, const char *b, size_t n);
char *strchr(const char *s, int c);
size_t strlcpy(char *dst, const char *src, size_t size);

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
int snprintf(char *buf, size_t size, const char *fmt, ...) __printf(3, 4);

/*
 * Parse an unsigned number in base 10, or 16 with a 0x prefix, from the
 * start of s. Returns the number of characters consumed (0: no number, or
 * it overflowed 64 bits).
 */
size_t parse_u64(const char *s, uint64_t *out);

#endif
