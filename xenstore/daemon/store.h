/*
 * store.h - the node store: every committed node, keyed by its path.
 *
 * A node is a value, a permission list and the NUL-separated names of its
 * children (kept in creation order, which DIRECTORY returns). Every
 * change stores a new generation number, which transactions compare to
 * detect conflicts and DIRECTORY_PART returns.
 *
 * Lifecycle: node_new()/node_dup() give a private node; store_put() takes
 * it over (the caller must not touch it again); store_get() lends a node
 * that stays valid until the next store_put()/store_del() of that path.
 */
#ifndef XS_STORE_H
#define XS_STORE_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "perms.h"

struct node {
	char *path;
	char *data;
	uint32_t datalen;
	uint32_t nperms;
	struct xs_perm *perms;
	char *children;		/* name\0name\0... */
	uint32_t childlen;
	uint64_t gen;
};

struct node *node_new(const char *path);
struct node *node_dup(const struct node *n);
void node_free(struct node *n);
int node_set_data(struct node *n, const void *data, uint32_t len);
int node_set_perms(struct node *n, const struct xs_perm *p, uint32_t num);
int node_add_child(struct node *n, const char *name);
/* Returns 0, or -ENOENT if `name` is not a child. */
int node_del_child(struct node *n, const char *name);
/* Bytes charged to the node-size quota: perms + child names + value. */
size_t node_size(const struct node *n);
static inline unsigned int node_owner(const struct node *n)
{
	return n->perms[0].domid;
}

/* Called with (owner, +1/-1) whenever a node enters or leaves the store. */
typedef void (*store_owner_hook)(unsigned int domid, int delta);

/* Creates "/", "/local", "/local/domain", "@introduceDomain" and
 * "@releaseDomain", all owned by dom0 with no access for others. */
int store_init(store_owner_hook hook);
void store_exit(void);
const struct node *store_get(const char *path);
int store_put(struct node *n);
void store_del(const char *path);
size_t store_count(void);
void store_foreach(void (*fn)(const struct node *n, void *arg), void *arg);
/* Check that every child named exists and every node's parent names it;
 * returns the number of problems found. */
unsigned int store_check(void);

#endif /* XS_STORE_H */
