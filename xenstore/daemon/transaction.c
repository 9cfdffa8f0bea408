/*
 * transaction.c - transactions and the node view (see transaction.h).
 *
 * Each transaction keeps one entry per path it touched:
 *   gen    the store generation seen on first touch (0 = absent then);
 *   node   its private copy if written, NULL if only read or deleted;
 *   state  READ, WRITTEN or DELETED.
 * Commit fails with -EAGAIN if any touched path's generation moved. This
 * is conflict detection on the nodes actually used (as C xenstored does),
 * so transactions on disjoint nodes commit concurrently.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "domain.h"
#include "htab.h"
#include "log.h"
#include "quota.h"
#include "transaction.h"
#include "watch.h"

enum tx_state { TX_READ, TX_WRITTEN, TX_DELETED };

/* Watch events to fire at commit, kept on the entry they concern so a
 * transaction rewriting one node a million times queues one event. */
#define FIRE_SUBTREE 0x1
#define FIRE_EXACT   0x2

struct tx_entry {
	struct list_head list;	/* in touch order, for commit */
	char *path;
	uint64_t gen;
	enum tx_state state;
	unsigned int fire;	/* FIRE_* */
	struct node *node;
};

struct owner_delta {
	struct list_head list;
	unsigned int domid;
	int delta;
};

struct txn {
	struct list_head list;	/* on the connection */
	struct connection *conn;
	uint32_t id;
	struct htab *entries;
	struct list_head order;
	unsigned int nr_entries;
	struct list_head deltas;
};

static void owner_adjust(struct txn *t, unsigned int domid, int delta)
{
	struct owner_delta *d;

	list_for_each_entry(d, &t->deltas, list)
		if (d->domid == domid) {
			d->delta += delta;
			return;
		}
	d = malloc(sizeof(*d));
	if (!d)
		return;		/* only quota precision suffers */
	d->domid = domid;
	d->delta = delta;
	list_add_tail(&d->list, &t->deltas);
}

int tx_nodes_delta(const struct txn *t, unsigned int domid)
{
	const struct owner_delta *d;

	if (!t)
		return 0;
	list_for_each_entry(d, &t->deltas, list)
		if (d->domid == domid)
			return d->delta;
	return 0;
}

/* The entry for path, created (recording the store's state) if needed. */
static struct tx_entry *tx_touch(struct txn *t, const char *path, int *err)
{
	struct tx_entry *e = htab_get(t->entries, path);
	const struct node *n;
	unsigned int q;

	*err = 0;
	if (e)
		return e;
	q = conn_quota(t->conn, Q_TRANS_NODES);
	if (quota_exceeds(Q_TRANS_NODES, q, t->nr_entries + 1ul)) {
		*err = -ENOSPC;
		return NULL;
	}
	e = calloc(1, sizeof(*e));
	if (!e || !(e->path = strdup(path)))
		goto nomem;
	n = store_get(path);
	e->gen = n ? n->gen : 0;
	e->state = n ? TX_READ : TX_DELETED;
	htab_put(t->entries, e->path, e, err);
	if (*err)
		goto nomem;
	list_add_tail(&e->list, &t->order);
	t->nr_entries++;
	return e;
nomem:
	if (e)
		free(e->path);
	free(e);
	*err = -ENOMEM;
	return NULL;
}

const struct node *tx_get(struct txn *t, const char *path)
{
	struct tx_entry *e;
	int err;

	if (!t)
		return store_get(path);
	e = tx_touch(t, path, &err);
	if (!e)
		return NULL;
	switch (e->state) {
	case TX_WRITTEN:
		return e->node;
	case TX_DELETED:
		return NULL;
	default:
		return store_get(path);
	}
}

static const struct node *tx_current(struct tx_entry *e)
{
	if (e->state == TX_WRITTEN)
		return e->node;
	if (e->state == TX_DELETED)
		return NULL;
	return store_get(e->path);
}

int tx_put(struct txn *t, struct node *n)
{
	const struct node *old;
	struct tx_entry *e;
	int err;

	if (!t)
		return store_put(n);
	e = tx_touch(t, n->path, &err);
	if (!e) {
		node_free(n);
		return err;
	}
	old = tx_current(e);
	if (old)
		owner_adjust(t, node_owner(old), -1);
	owner_adjust(t, node_owner(n), +1);
	if (e->node != n)
		node_free(e->node);
	e->node = n;
	e->state = TX_WRITTEN;
	return 0;
}

int tx_del(struct txn *t, const char *path)
{
	const struct node *old;
	struct tx_entry *e;
	int err;

	if (!t) {
		store_del(path);
		return 0;
	}
	e = tx_touch(t, path, &err);
	if (!e)
		return err;
	old = tx_current(e);
	if (old)
		owner_adjust(t, node_owner(old), -1);
	node_free(e->node);
	e->node = NULL;
	e->state = TX_DELETED;
	return 0;
}

int tx_queue_watch(struct txn *t, const char *path, bool exact)
{
	struct tx_entry *e;
	int err;

	e = tx_touch(t, path, &err);
	if (!e)
		return err;
	e->fire |= exact ? FIRE_EXACT : FIRE_SUBTREE;
	return 0;
}

struct txn *txn_lookup(struct connection *c, uint32_t id)
{
	struct txn *t;

	list_for_each_entry(t, &c->txns, list)
		if (t->id == id)
			return t;
	return NULL;
}

int txn_start(struct connection *c, uint32_t *id)
{
	unsigned int q = conn_quota(c, Q_TRANSACTIONS);
	struct txn *t;

	if (quota_exceeds(Q_TRANSACTIONS, q, c->nr_txns + 1ul))
		return -ENOSPC;
	t = calloc(1, sizeof(*t));
	if (!t)
		return -ENOMEM;
	t->entries = htab_new();
	if (!t->entries) {
		free(t);
		return -ENOMEM;
	}
	list_init(&t->order);
	list_init(&t->deltas);
	t->conn = c;
	/* Ids are per connection, never 0, never one in use. */
	do {
		t->id = c->next_txid++;
	} while (t->id == 0 || txn_lookup(c, t->id));
	list_add_tail(&t->list, &c->txns);
	c->nr_txns++;
	*id = t->id;
	return 0;
}

static void txn_free(struct txn *t)
{
	struct tx_entry *e, *te;
	struct owner_delta *d, *td;

	list_for_each_entry_safe(e, te, &t->order, list) {
		node_free(e->node);
		free(e->path);
		free(e);
	}
	list_for_each_entry_safe(d, td, &t->deltas, list)
		free(d);
	htab_free(t->entries);
	list_del(&t->list);
	t->conn->nr_txns--;
	free(t);
}

static bool txn_conflicts(struct txn *t)
{
	struct tx_entry *e;
	const struct node *n;

	list_for_each_entry(e, &t->order, list) {
		n = store_get(e->path);
		if ((n ? n->gen : 0) != e->gen) {
			log_debug("txn %u: conflict on %s", t->id, e->path);
			return true;
		}
	}
	return false;
}

/* Apply the overlay. Deletions first, so a path deleted and re-created
 * in the same transaction ends up present. */
static int txn_apply(struct txn *t)
{
	struct tx_entry *e;
	int rc;

	list_for_each_entry(e, &t->order, list)
		if (e->state == TX_DELETED && e->gen)
			store_del(e->path);
	list_for_each_entry(e, &t->order, list) {
		if (e->state != TX_WRITTEN)
			continue;
		rc = store_put(e->node);
		e->node = NULL;
		if (rc)
			return rc;	/* out of memory mid-commit */
	}
	return 0;
}

int txn_end(struct connection *c, struct txn *t, bool commit)
{
	struct tx_entry *e;
	int rc = 0;

	if (!commit)
		goto out;
	if (txn_conflicts(t)) {
		rc = -EAGAIN;
		goto out;
	}
	rc = txn_apply(t);
	if (rc) {
		log_err("txn %u: commit failed half-way (%d)", t->id, rc);
		goto out;
	}
	list_for_each_entry(e, &t->order, list) {
		if (e->fire & FIRE_SUBTREE)
			watch_fire(NULL, e->path, NULL, MATCH_SUBTREE, NULL, 0);
		if (e->fire & FIRE_EXACT)
			watch_fire(NULL, e->path, NULL, MATCH_EXACT, NULL, 0);
	}
out:
	txn_free(t);
	return rc;
}

void txn_free_all(struct connection *c)
{
	struct txn *t, *tmp;

	list_for_each_entry_safe(t, tmp, &c->txns, list)
		txn_free(t);
}
