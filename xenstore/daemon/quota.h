/*
 * quota.h - per-domain limits (users.md section 3.3).
 *
 * Quotas bind unprivileged connections only; 0 disables one. Global
 * values come from the command line and CONTROL "quota set"; each domain
 * starts from them and SET_QUOTA may override a domain's own copy.
 */
#ifndef XS_QUOTA_H
#define XS_QUOTA_H

enum quota_id {
	Q_NODES,		/* nodes owned per domain */
	Q_WATCHES,		/* watches per connection */
	Q_OUTSTANDING,		/* replies queued but not yet taken */
	Q_TRANSACTIONS,		/* open transactions per connection */
	Q_TRANS_NODES,		/* nodes touched by one transaction */
	Q_PERMS,		/* permission entries per node */
	Q_PATH_MAX,		/* path length below the domain home */
	Q_NODE_SIZE,		/* bytes per node: perms + children + value */
	Q_COUNT
};

extern unsigned int quota_global[Q_COUNT];
/* Highest value seen per quota among unprivileged domains. */
extern unsigned int quota_max_seen[Q_COUNT];

const char *quota_name(enum quota_id q);
/* Returns the id or -EINVAL. */
int quota_lookup(const char *name);
/* Record `val` for "quota max" and report whether it exceeds `limit`. */
int quota_exceeds(enum quota_id q, unsigned int limit, unsigned long val);

#endif /* XS_QUOTA_H */
