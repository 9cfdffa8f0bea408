/*
 * domain.h - domains known to the store.
 *
 * A domain record exists once a domid is introduced, impersonated (see
 * CONTROL "as-domain") or given a quota. Records are never freed while
 * the daemon runs, so connections may keep a pointer; RELEASE resets a
 * record to "not introduced". Node ownership counts are kept for every
 * domid, introduced or not.
 */
#ifndef XS_DOMAIN_H
#define XS_DOMAIN_H

#include <stdbool.h>
#include <stdint.h>

#include "quota.h"

struct connection;

struct domain {
	unsigned int domid;
	bool introduced;
	bool shutdown;		/* @releaseDomain already sent for it */
	unsigned int target;	/* SET_TARGET, XS_DOMID_INVALID if none */
	uint32_t features;	/* server_features for its ring */
	unsigned int quota[Q_COUNT];
	struct connection *conn; /* its ring connection, if any */
};

/* Features this server offers on rings and to GET_FEATURE. */
#define XS_SERVER_FEATURES (XENSTORE_SERVER_FEATURE_ERROR | \
			    XENSTORE_SERVER_FEATURE_WATCHDEPTH | \
			    XENSTORE_SERVER_FEATURE_DOMID_ANY)

struct domain *domain_find(unsigned int domid);
struct domain *domain_get(unsigned int domid);	/* find or create */
void domain_exit(void);

/* Owner accounting hook for the store, and the current count. */
void domain_nodes_hook(unsigned int domid, int delta);
unsigned int domain_nodes(unsigned int domid);

/* Set up the ring of a newly introduced domain, or rebind its port. */
int domain_introduce(unsigned int domid, uint64_t gfn, uint32_t port);
/* Forget a domain: drop its connection, delete the nodes it owns (unless
 * keep_orphans), fire @releaseDomain. */
int domain_release(unsigned int domid);
void domain_fire_special(const char *name, unsigned int domid);

extern bool domain_keep_orphans;
/* When false, INTRODUCE records a domain without mapping a ring. */
extern bool domain_rings_enabled;

#endif /* XS_DOMAIN_H */
