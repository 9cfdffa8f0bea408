/*
 * watch.c - watches and watch events (see watch.h).
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "log.h"
#include "path.h"
#include "quota.h"
#include "store.h"
#include "transaction.h"
#include "watch.h"

struct watch {
	struct list_head list;
	int depth;		/* -1: any depth */
	size_t prefix_len;	/* home prefix stripped for relative watches */
	char *token;
	char path[];
};

int watch_add(struct connection *c, const char *path, const char *token,
	      int depth, bool relative)
{
	unsigned int q = conn_quota(c, Q_WATCHES);
	char home[PATH_HOME_MAX];
	struct watch *w;
	size_t plen = strlen(path) + 1;

	list_for_each_entry(w, &c->watches, list)
		if (!strcmp(w->path, path) && !strcmp(w->token, token))
			return -EEXIST;
	if (quota_exceeds(Q_WATCHES, q, c->nr_watches + 1ul))
		return -ENOSPC;
	w = malloc(sizeof(*w) + plen);
	if (!w)
		return -ENOMEM;
	w->token = strdup(token);
	if (!w->token) {
		free(w);
		return -ENOMEM;
	}
	memcpy(w->path, path, plen);
	w->depth = depth;
	path_home(c->domid, home);
	w->prefix_len = relative ? strlen(home) + 1 : 0;
	list_add_tail(&w->list, &c->watches);
	c->nr_watches++;
	return 0;
}

static void watch_free(struct connection *c, struct watch *w)
{
	list_del(&w->list);
	c->nr_watches--;
	free(w->token);
	free(w);
}

int watch_remove(struct connection *c, const char *path, const char *token)
{
	struct watch *w;

	list_for_each_entry(w, &c->watches, list)
		if (!strcmp(w->path, path) && !strcmp(w->token, token)) {
			watch_free(c, w);
			return 0;
		}
	return -ENOENT;
}

void watch_free_all(struct connection *c)
{
	struct watch *w, *tmp;

	list_for_each_entry_safe(w, tmp, &c->watches, list)
		watch_free(c, w);
}

static void send_event(struct connection *c, const struct watch *w,
		       const char *path)
{
	const char *epath = path;
	char buf[XENSTORE_PAYLOAD_MAX];
	struct xsd_sockmsg hdr = { .type = XS_WATCH_EVENT };
	size_t plen, tlen;

	/* A relative watch sees relative paths. */
	if (w->prefix_len && strlen(path) >= w->prefix_len)
		epath = path + w->prefix_len;
	plen = strlen(epath) + 1;
	tlen = strlen(w->token) + 1;
	if (plen + tlen > sizeof(buf))
		return;		/* never send an oversize event (XSA-324) */
	memcpy(buf, epath, plen);
	memcpy(buf + plen, w->token, tlen);
	hdr.len = (uint32_t)(plen + tlen);
	conn_queue(c, &hdr, buf, true);
}

/*
 * May c learn about a change to path? Yes if it can read the node (now or
 * with its old permissions) or the nearest existing ancestor; the latter
 * covers nodes that were just deleted.
 */
static bool watch_permitted(const struct connection *c, const char *path,
			    const struct node *node, const struct xs_perm *old,
			    unsigned int nold)
{
	struct xs_who who;
	const struct node *n = node;
	char *p, *up;
	bool ok = false;

	if (c->privileged)
		return true;
	conn_who(c, &who);
	if (old && (perms_access(old, nold, &who) & XS_PERM_READ))
		return true;
	if (!n)
		n = store_get(path);
	if (n && (perms_access(n->perms, n->nperms, &who) & XS_PERM_READ))
		return true;
	if (path[0] != '/')
		return false;
	p = strdup(path);
	while (p && !ok) {
		up = path_parent(p);
		free(p);
		p = up;
		if (!p)
			break;
		n = store_get(p);
		if (n) {
			ok = perms_access(n->perms, n->nperms, &who) &
			     XS_PERM_READ;
			break;
		}
	}
	free(p);
	return ok;
}

static bool watch_matches(const struct watch *w, const char *path,
			  enum watch_match match)
{
	if (match == MATCH_EXACT)
		return !strcmp(path, w->path);
	return path_is_child(path, w->path, w->depth);
}

void watch_fire(struct txn *t, const char *path, const struct node *node,
		enum watch_match match, const struct xs_perm *old,
		unsigned int nold)
{
	struct connection *c;
	struct watch *w;

	if (t) {
		if (tx_queue_watch(t, path, match == MATCH_EXACT))
			log_warn("lost watch event for %s", path);
		return;
	}
	list_for_each_entry(c, &connections, list) {
		bool checked = false, allowed = false;

		if (c->dead)
			continue;
		list_for_each_entry(w, &c->watches, list) {
			if (!watch_matches(w, path, match))
				continue;
			if (!checked) {
				allowed = watch_permitted(c, path, node, old,
							  nold);
				checked = true;
			}
			if (allowed)
				send_event(c, w, path);
		}
	}
}

void watch_fire_special(const char *name, unsigned int domid)
{
	const struct node *n = store_get(name);
	char with_dom[40];
	struct connection *c;
	struct watch *w;

	snprintf(with_dom, sizeof(with_dom), "%s/%u", name, domid);
	list_for_each_entry(c, &connections, list) {
		struct xs_who who;

		if (c->dead)
			continue;
		conn_who(c, &who);
		if (!n || !(perms_access(n->perms, n->nperms, &who) &
			    XS_PERM_READ))
			continue;
		list_for_each_entry(w, &c->watches, list) {
			if (!strcmp(w->path, name) && w->depth < 0)
				send_event(c, w, name);
			else if (!strcmp(w->path, with_dom) ||
				 (!strcmp(w->path, name) && w->depth > 0))
				send_event(c, w, with_dom);
		}
	}
}
