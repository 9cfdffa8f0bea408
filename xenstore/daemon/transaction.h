/*
 * transaction.h - transactions and the node view every request uses.
 *
 * A transaction sees the store through a private overlay: nodes it read
 * are remembered with the generation seen, nodes it wrote or deleted live
 * in the overlay. TRANSACTION_END "T" checks that no remembered node
 * changed since (else -EAGAIN), then applies the overlay and fires the
 * watches queued meanwhile. Requests outside a transaction use the same
 * calls with t == NULL and go straight to the store.
 */
#ifndef XS_TRANSACTION_H
#define XS_TRANSACTION_H

#include <stdbool.h>
#include <stdint.h>

#include "list.h"
#include "store.h"

struct connection;
struct txn;

/* Node view: in t's snapshot if t != NULL, else the store. */
const struct node *tx_get(struct txn *t, const char *path);
/* Store n (taken over, also on error). Returns 0, -ENOMEM or -ENOSPC
 * (transaction-nodes quota). */
int tx_put(struct txn *t, struct node *n);
int tx_del(struct txn *t, const char *path);
/* Nodes gained (+) or lost (-) by `domid` inside t. */
int tx_nodes_delta(const struct txn *t, unsigned int domid);
/* Remember a watch to fire at commit. */
int tx_queue_watch(struct txn *t, const char *path, bool exact);

struct txn *txn_lookup(struct connection *c, uint32_t id);
int txn_start(struct connection *c, uint32_t *id);
/* Commit (commit=true) or abort; frees t. -EAGAIN on conflict. */
int txn_end(struct connection *c, struct txn *t, bool commit);
void txn_free_all(struct connection *c);

#endif /* XS_TRANSACTION_H */
