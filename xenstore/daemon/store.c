/*
 * store.c - the node store (see store.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "htab.h"
#include "log.h"
#include "path.h"
#include "store.h"

static struct htab *nodes;
static uint64_t next_gen;
static store_owner_hook owner_hook;

struct node *node_new(const char *path)
{
	struct node *n = calloc(1, sizeof(*n));

	if (!n)
		return NULL;
	n->path = strdup(path);
	if (!n->path) {
		free(n);
		return NULL;
	}
	return n;
}

void node_free(struct node *n)
{
	if (!n)
		return;
	free(n->path);
	free(n->data);
	free(n->perms);
	free(n->children);
	free(n);
}

static void *memdup(const void *p, size_t len)
{
	void *q;

	if (!len)
		return NULL;
	q = malloc(len);
	if (q)
		memcpy(q, p, len);
	return q;
}

struct node *node_dup(const struct node *n)
{
	struct node *d = node_new(n->path);

	if (!d)
		return NULL;
	d->gen = n->gen;
	if (node_set_data(d, n->data, n->datalen) ||
	    node_set_perms(d, n->perms, n->nperms))
		goto fail;
	if (n->childlen) {
		d->children = memdup(n->children, n->childlen);
		if (!d->children)
			goto fail;
		d->childlen = n->childlen;
	}
	return d;
fail:
	node_free(d);
	return NULL;
}

int node_set_data(struct node *n, const void *data, uint32_t len)
{
	char *d = NULL;

	if (len) {
		d = memdup(data, len);
		if (!d)
			return -ENOMEM;
	}
	free(n->data);
	n->data = d;
	n->datalen = len;
	return 0;
}

int node_set_perms(struct node *n, const struct xs_perm *p, uint32_t num)
{
	struct xs_perm *q = memdup(p, num * sizeof(*p));

	if (num && !q)
		return -ENOMEM;
	free(n->perms);
	n->perms = q;
	n->nperms = num;
	return 0;
}

int node_add_child(struct node *n, const char *name)
{
	size_t len = strlen(name) + 1;
	char *c = realloc(n->children, n->childlen + len);

	if (!c)
		return -ENOMEM;
	memcpy(c + n->childlen, name, len);
	n->children = c;
	n->childlen += (uint32_t)len;
	return 0;
}

int node_del_child(struct node *n, const char *name)
{
	uint32_t off = 0;

	while (off < n->childlen) {
		size_t len = strlen(n->children + off) + 1;

		if (!strcmp(n->children + off, name)) {
			memmove(n->children + off, n->children + off + len,
				n->childlen - off - len);
			n->childlen -= (uint32_t)len;
			return 0;
		}
		off += (uint32_t)len;
	}
	return -ENOENT;
}

size_t node_size(const struct node *n)
{
	return n->nperms * sizeof(struct xs_perm) + n->childlen + n->datalen;
}

static int store_seed(const char *path, const char *child)
{
	static const struct xs_perm dom0_only = { 0, XS_PERM_NONE };
	struct node *n = node_new(path);
	int rc = -ENOMEM;

	if (!n || node_set_perms(n, &dom0_only, 1))
		goto fail;
	if (child && node_add_child(n, child))
		goto fail;
	return store_put(n);
fail:
	node_free(n);
	return rc;
}

int store_init(store_owner_hook hook)
{
	int rc;

	owner_hook = hook;
	nodes = htab_new();
	if (!nodes)
		return -ENOMEM;
	rc = store_seed("/", "local");
	if (!rc)
		rc = store_seed("/local", "domain");
	if (!rc)
		rc = store_seed("/local/domain", NULL);
	if (!rc)
		rc = store_seed("@introduceDomain", NULL);
	if (!rc)
		rc = store_seed("@releaseDomain", NULL);
	return rc;
}

static void free_one(const char *key, void *val, void *arg)
{
	node_free(val);
}

void store_exit(void)
{
	if (!nodes)
		return;
	htab_foreach(nodes, free_one, NULL);
	htab_free(nodes);
	nodes = NULL;
}

const struct node *store_get(const char *path)
{
	return htab_get(nodes, path);
}

int store_put(struct node *n)
{
	struct node *old;
	int err;

	n->gen = ++next_gen;
	old = htab_put(nodes, n->path, n, &err);
	if (err) {
		node_free(n);
		return err;
	}
	if (owner_hook) {
		if (old)
			owner_hook(node_owner(old), -1);
		owner_hook(node_owner(n), +1);
	}
	node_free(old);
	return 0;
}

void store_del(const char *path)
{
	struct node *old = htab_del(nodes, path);

	if (old && owner_hook)
		owner_hook(node_owner(old), -1);
	node_free(old);
}

size_t store_count(void)
{
	return htab_count(nodes);
}

struct foreach_arg {
	void (*fn)(const struct node *n, void *arg);
	void *arg;
};

static void foreach_one(const char *key, void *val, void *arg)
{
	struct foreach_arg *a = arg;

	a->fn(val, a->arg);
}

void store_foreach(void (*fn)(const struct node *n, void *arg), void *arg)
{
	struct foreach_arg a = { fn, arg };

	htab_foreach(nodes, foreach_one, &a);
}

static void check_one(const struct node *n, void *arg)
{
	unsigned int *bad = arg;
	const struct node *p;
	char *parent, *child;
	uint32_t off;

	if (n->nperms == 0) {
		log_err("check: %s has no permissions", n->path);
		(*bad)++;
	}
	for (off = 0; off < n->childlen;
	     off += (uint32_t)strlen(n->children + off) + 1) {
		child = path_join(n->path, n->children + off);
		if (child && !store_get(child)) {
			log_err("check: %s lists missing child %s", n->path,
				n->children + off);
			(*bad)++;
		}
		free(child);
	}
	if (n->path[0] != '/' || !strcmp(n->path, "/"))
		return;
	parent = path_parent(n->path);
	p = parent ? store_get(parent) : NULL;
	if (!p) {
		log_err("check: %s has no parent", n->path);
		(*bad)++;
	} else {
		struct node tmp = *p;

		/* node_del_child on a copy would allocate; scan instead. */
		const char *base = path_basename(n->path);
		bool found = false;

		for (off = 0; off < tmp.childlen;
		     off += (uint32_t)strlen(tmp.children + off) + 1)
			if (!strcmp(tmp.children + off, base))
				found = true;
		if (!found) {
			log_err("check: %s not listed by its parent",
				n->path);
			(*bad)++;
		}
	}
	free(parent);
}

unsigned int store_check(void)
{
	unsigned int bad = 0;

	store_foreach(check_one, &bad);
	return bad;
}
