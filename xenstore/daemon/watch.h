/*
 * watch.h - watches and watch events.
 *
 * A change to a path fires every watch on it or on an ancestor (within
 * the watch's depth), provided the watcher may read the node or its
 * parent (XSA-115). Special names (@introduceDomain, @releaseDomain)
 * match only their own events.
 */
#ifndef XS_WATCH_H
#define XS_WATCH_H

#include <stdbool.h>

#include "perms.h"

struct connection;
struct node;
struct txn;

enum watch_match {
	MATCH_SUBTREE,	/* watches on path or any ancestor */
	MATCH_EXACT,	/* watches on path itself (removed descendants) */
};

int watch_add(struct connection *c, const char *path, const char *token,
	      int depth, bool relative);
int watch_remove(struct connection *c, const char *path, const char *token);
void watch_free_all(struct connection *c);

/*
 * A change to `path`: fire now, or at commit when inside transaction t.
 * `node` (may be NULL) and `old` (previous perms, may be NULL) decide who
 * may see it.
 */
void watch_fire(struct txn *t, const char *path, const struct node *node,
		enum watch_match match, const struct xs_perm *old,
		unsigned int nold);
/* Special events: "@name" to plain watches, "@name/<domid>" to depth
 * watches and to watches on "@name/<domid>". */
void watch_fire_special(const char *name, unsigned int domid);

#endif /* XS_WATCH_H */
