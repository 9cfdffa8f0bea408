/* The freestanding guest's <stddef.h>. */
#ifndef GUEST_STDDEF_H
#define GUEST_STDDEF_H

typedef unsigned long size_t;
typedef long ptrdiff_t;
#define NULL ((void *)0)
#define offsetof(type, member) __builtin_offsetof(type, member)

#endif
