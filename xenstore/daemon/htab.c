/*
 * htab.c - string-keyed hash table (see htab.h). FNV-1a, power-of-two
 * bucket count, doubled when the load factor passes 1.
 */
#include <errno.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"

struct hent {
	struct hent *next;
	const char *key;
	uint32_t hash;
	void *val;
};

struct htab {
	struct hent **b;
	size_t nb;
	size_t count;
};

static uint32_t hash_str(const char *s)
{
	uint32_t h = 2166136261u;

	while (*s)
		h = (h ^ (unsigned char)*s++) * 16777619u;
	return h;
}

struct htab *htab_new(void)
{
	struct htab *h = calloc(1, sizeof(*h));

	if (!h)
		return NULL;
	h->nb = 64;
	h->b = calloc(h->nb, sizeof(*h->b));
	if (!h->b) {
		free(h);
		return NULL;
	}
	return h;
}

void htab_free(struct htab *h)
{
	size_t i;

	if (!h)
		return;
	for (i = 0; i < h->nb; i++) {
		struct hent *e = h->b[i], *n;

		for (; e; e = n) {
			n = e->next;
			free(e);
		}
	}
	free(h->b);
	free(h);
}

static void htab_grow(struct htab *h)
{
	size_t nb = h->nb * 2, i;
	struct hent **b = calloc(nb, sizeof(*b));

	if (!b)
		return;		/* stay slower but correct */
	for (i = 0; i < h->nb; i++) {
		struct hent *e = h->b[i], *n;

		for (; e; e = n) {
			n = e->next;
			e->next = b[e->hash & (nb - 1)];
			b[e->hash & (nb - 1)] = e;
		}
	}
	free(h->b);
	h->b = b;
	h->nb = nb;
}

static struct hent **htab_slot(const struct htab *h, const char *key,
			       uint32_t hash)
{
	struct hent **p = &h->b[hash & (h->nb - 1)];

	for (; *p; p = &(*p)->next)
		if ((*p)->hash == hash && !strcmp((*p)->key, key))
			break;
	return p;
}

void *htab_put(struct htab *h, const char *key, void *val, int *err)
{
	uint32_t hash = hash_str(key);
	struct hent **p = htab_slot(h, key, hash);
	struct hent *e;
	void *old;

	*err = 0;
	if (*p) {
		old = (*p)->val;
		(*p)->val = val;
		(*p)->key = key;
		return old;
	}
	e = malloc(sizeof(*e));
	if (!e) {
		*err = -ENOMEM;
		return NULL;
	}
	e->key = key;
	e->hash = hash;
	e->val = val;
	e->next = NULL;
	*p = e;
	if (++h->count > h->nb)
		htab_grow(h);
	return NULL;
}

void *htab_get(const struct htab *h, const char *key)
{
	struct hent **p = htab_slot(h, key, hash_str(key));

	return *p ? (*p)->val : NULL;
}

void *htab_del(struct htab *h, const char *key)
{
	struct hent **p = htab_slot(h, key, hash_str(key));
	struct hent *e = *p;
	void *val;

	if (!e)
		return NULL;
	*p = e->next;
	val = e->val;
	free(e);
	h->count--;
	return val;
}

size_t htab_count(const struct htab *h)
{
	return h->count;
}

void htab_foreach(const struct htab *h,
		  void (*fn)(const char *key, void *val, void *arg), void *arg)
{
	size_t i;
	struct hent *e;

	for (i = 0; i < h->nb; i++)
		for (e = h->b[i]; e; e = e->next)
			fn(e->key, e->val, arg);
}
