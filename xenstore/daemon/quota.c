/*
 * quota.c - quota names and defaults (the C xenstored's, see quota.h).
 */
#include <errno.h>
#include <string.h>

#include <public/io/xs_wire.h>

#include "quota.h"

unsigned int quota_global[Q_COUNT] = {
	[Q_NODES]        = 1000,
	[Q_WATCHES]      = 128,
	[Q_OUTSTANDING]  = 20,
	[Q_TRANSACTIONS] = 10,
	[Q_TRANS_NODES]  = 1024,
	[Q_PERMS]        = 5,
	[Q_PATH_MAX]     = XENSTORE_REL_PATH_MAX,
	[Q_NODE_SIZE]    = 2048,
};

unsigned int quota_max_seen[Q_COUNT];

static const char *const names[Q_COUNT] = {
	[Q_NODES]        = "nodes",
	[Q_WATCHES]      = "watches",
	[Q_OUTSTANDING]  = "outstanding",
	[Q_TRANSACTIONS] = "transactions",
	[Q_TRANS_NODES]  = "transaction-nodes",
	[Q_PERMS]        = "node-permissions",
	[Q_PATH_MAX]     = "path-max",
	[Q_NODE_SIZE]    = "node-size",
};

const char *quota_name(enum quota_id q)
{
	return names[q];
}

int quota_lookup(const char *name)
{
	int q;

	for (q = 0; q < Q_COUNT; q++)
		if (!strcmp(names[q], name))
			return q;
	/* The C xenstored's --quota also accepts "path-length". */
	if (!strcmp(name, "path-length"))
		return Q_PATH_MAX;
	return -EINVAL;
}

int quota_exceeds(enum quota_id q, unsigned int limit, unsigned long val)
{
	if (!limit)
		return 0;
	if (val > quota_max_seen[q])
		quota_max_seen[q] = val > 0xffffffffu ? 0xffffffffu :
				    (unsigned int)val;
	return val > limit;
}
