/*
 * domain.c - domains known to the store (see domain.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <public/io/xs_wire.h>

#include "connection.h"
#include "domain.h"
#include "handlers.h"
#include "log.h"
#include "path.h"
#include "perms.h"
#include "store.h"
#include "transport_ring.h"
#include "watch.h"

bool domain_keep_orphans;
bool domain_rings_enabled = true;

/* Indexed by domid; records are created on demand and kept. */
static struct domain *domains[XS_DOMID_MAX + 1];
static unsigned int nodes_owned[XS_DOMID_MAX + 1];

struct domain *domain_find(unsigned int domid)
{
	return domid <= XS_DOMID_MAX ? domains[domid] : NULL;
}

static void domain_reset(struct domain *d)
{
	d->introduced = false;
	d->shutdown = false;
	d->target = XS_DOMID_INVALID;
	d->features = XS_SERVER_FEATURES;
	memcpy(d->quota, quota_global, sizeof(d->quota));
}

struct domain *domain_get(unsigned int domid)
{
	struct domain *d;

	if (domid > XS_DOMID_MAX)
		return NULL;
	if (domains[domid])
		return domains[domid];
	d = calloc(1, sizeof(*d));
	if (!d)
		return NULL;
	d->domid = domid;
	domain_reset(d);
	domains[domid] = d;
	return d;
}

void domain_exit(void)
{
	unsigned int i;

	for (i = 0; i <= XS_DOMID_MAX; i++) {
		if (!domains[i])
			continue;
		free(domains[i]);
		domains[i] = NULL;
	}
	memset(nodes_owned, 0, sizeof(nodes_owned));
}

void domain_nodes_hook(unsigned int domid, int delta)
{
	if (domid <= XS_DOMID_MAX)
		nodes_owned[domid] += (unsigned int)delta;
}

unsigned int domain_nodes(unsigned int domid)
{
	return domid <= XS_DOMID_MAX ? nodes_owned[domid] : 0;
}

int domain_introduce(unsigned int domid, uint64_t gfn, uint32_t port)
{
	struct domain *d = domain_get(domid);
	struct connection *c = NULL;
	int rc;

	if (!d)
		return -ENOMEM;
	if (d->introduced) {
		/* Introducing again re-binds the event channel (resume). */
		if (d->conn)
			return ring_conn_rebind(d->conn, port);
		return 0;
	}
	if (domain_rings_enabled) {
		rc = ring_conn_open(domid, gfn, port, d->features, &c);
		if (rc)
			return rc;
	}
	d->introduced = true;
	d->shutdown = false;
	d->conn = c;
	log_info("domain %u introduced (port %u)", domid, port);
	watch_fire_special("@introduceDomain", domid);
	return 0;
}

/*
 * Collect, then delete, the top-most nodes owned by `domid`; strip its
 * entries from the permission lists of the nodes that survive.
 */
struct orphan_scan {
	unsigned int domid;
	char **paths;
	size_t n, cap;
};

static void orphan_collect(const struct node *n, void *arg)
{
	struct orphan_scan *s = arg;
	unsigned int i;
	bool named = node_owner(n) == s->domid;

	for (i = 1; i < n->nperms && !named; i++)
		named = n->perms[i].domid == s->domid;
	if (!named)
		return;
	if (s->n == s->cap) {
		size_t cap = s->cap ? s->cap * 2 : 16;
		char **p = realloc(s->paths, cap * sizeof(*p));

		if (!p)
			return;
		s->paths = p;
		s->cap = cap;
	}
	s->paths[s->n] = strdup(n->path);
	if (s->paths[s->n])
		s->n++;
}

static void strip_domain(const char *path, unsigned int domid)
{
	const struct node *n = store_get(path);
	struct node *copy;
	unsigned int i, j;

	if (!n)
		return;		/* went with an owned ancestor */
	if (node_owner(n) == domid && !domain_keep_orphans &&
	    path[0] == '/' && strcmp(path, "/")) {
		if (node_rm_tree(NULL, path))
			log_err("release: cannot remove %s", path);
		return;
	}
	copy = node_dup(n);
	if (!copy)
		return;
	if (node_owner(copy) == domid)
		copy->perms[0].domid = 0;	/* kept orphan: dom0 adopts */
	for (i = j = 1; i < copy->nperms; i++)
		if (copy->perms[i].domid != domid)
			copy->perms[j++] = copy->perms[i];
	copy->nperms = j;
	store_put(copy);
}

static int cmp_path_len(const void *a, const void *b)
{
	size_t la = strlen(*(char *const *)a), lb = strlen(*(char *const *)b);

	return la < lb ? -1 : la > lb;
}

int domain_release(unsigned int domid)
{
	struct domain *d = domain_find(domid);
	struct orphan_scan s = { .domid = domid };
	struct connection *c;
	size_t i;

	if (!d || !d->introduced)
		return -ENOENT;
	/* Its own watches must not see its nodes vanish. */
	if (d->conn) {
		watch_free_all(d->conn);
		conn_close(d->conn, "domain released");
		d->conn = NULL;
	}
	/* Nobody may hold the domain as a target any more. */
	for (i = 0; i <= XS_DOMID_MAX; i++)
		if (domains[i] && domains[i]->target == domid)
			domains[i]->target = XS_DOMID_INVALID;

	store_foreach(orphan_collect, &s);
	/* Shortest paths first: ancestors go before their children. */
	if (s.n)
		qsort(s.paths, s.n, sizeof(*s.paths), cmp_path_len);
	for (i = 0; i < s.n; i++) {
		strip_domain(s.paths[i], domid);
		free(s.paths[i]);
	}
	free(s.paths);

	domain_reset(d);
	list_for_each_entry(c, &connections, list)
		if (c->domain == d)
			log_debug("conn %u still speaks as released %u",
				  c->id, domid);
	log_info("domain %u released", domid);
	watch_fire_special("@releaseDomain", domid);
	return 0;
}
