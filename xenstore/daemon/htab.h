/*
 * htab.h - string-keyed hash table with chaining.
 *
 * Keys are owned by the caller's values (the table stores the pointer it
 * was given); the table never frees keys or values.
 */
#ifndef XS_HTAB_H
#define XS_HTAB_H

#include <stddef.h>

struct htab;

struct htab *htab_new(void);
void htab_free(struct htab *h);
/* Insert or replace; returns the previous value (or NULL), sets *err. */
void *htab_put(struct htab *h, const char *key, void *val, int *err);
void *htab_get(const struct htab *h, const char *key);
void *htab_del(struct htab *h, const char *key);
size_t htab_count(const struct htab *h);
/* Calls fn for each entry; fn must not modify the table. */
void htab_foreach(const struct htab *h,
		  void (*fn)(const char *key, void *val, void *arg), void *arg);

#endif /* XS_HTAB_H */
