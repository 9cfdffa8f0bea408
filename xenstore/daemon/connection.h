/*
 * connection.h - one client of the daemon, whatever carries its bytes.
 *
 * A connection is a UNIX-socket client (dom0 tools), a domain's shared
 * ring, or dom0's kernel ring. The transport behind it is a small table
 * of operations; everything above (framing, dispatch, watches) is the
 * same for all. Input is assembled into one message at a time; replies
 * and watch events queue on `out` until the transport takes them.
 *
 * Lifecycle: conn_new() -> input/output driven by the main loop ->
 * conn_close() marks it dead (safe from inside a handler) -> the main loop
 * calls conn_reap(), which frees watches, transactions and queued output.
 */
#ifndef XS_CONNECTION_H
#define XS_CONNECTION_H

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <public/io/xs_wire.h>

#include "list.h"
#include "perms.h"

struct connection;

struct transport_ops {
	const char *name;
	/* Move bytes: >0 done, 0 would block, <0 broken (conn is closed). */
	int (*read)(struct connection *c, void *buf, size_t len);
	int (*write)(struct connection *c, const void *buf, size_t len);
	/* Descriptor to poll, or -1 if the event-channel fd drives it. */
	int (*fd)(const struct connection *c);
	/* Called after a round of progress (e.g. to kick an event channel). */
	void (*kick)(struct connection *c);
	/* Release transport resources. */
	void (*destroy)(struct connection *c);
};

struct out_msg {
	struct list_head list;
	struct xsd_sockmsg hdr;
	uint32_t sent;		/* bytes of hdr + body already written */
	bool is_event;
	char body[];
};

struct connection {
	struct list_head list;
	unsigned int id;		/* for logs and the trace */
	unsigned int domid;
	bool privileged;
	bool dead;
	struct domain *domain;		/* NULL: privileged socket client */
	const struct transport_ops *ops;
	void *tp;			/* transport private data */

	/* Input being assembled. */
	struct xsd_sockmsg in_hdr;
	uint32_t in_used;
	bool in_body;
	char in_buf[XENSTORE_PAYLOAD_MAX];

	/* Output queue. */
	struct list_head out;
	unsigned int out_count;		/* replies queued (not events) */
	unsigned int out_events;

	struct list_head watches;
	unsigned int nr_watches;
	struct list_head txns;
	unsigned int nr_txns;
	uint32_t next_txid;
};

struct connection *conn_new(const struct transport_ops *ops, void *tp,
			    unsigned int domid, bool privileged);
void conn_close(struct connection *c, const char *why);
/* Free every dead connection. */
void conn_reap(void);
void conn_close_all(void);

/* Make `c` speak as `domid` from now on (privilege follows domid 0). */
void conn_set_domid(struct connection *c, unsigned int domid);
void conn_who(const struct connection *c, struct xs_who *who);
/* The quota value that binds `c` (0 when unlimited). */
unsigned int conn_quota(const struct connection *c, int q);

/* Called by the main loop. */
void conn_handle_input(struct connection *c);
void conn_handle_output(struct connection *c);
bool conn_wants_input(const struct connection *c);
bool conn_wants_output(const struct connection *c);

/* Queue messages. */
int conn_queue(struct connection *c, const struct xsd_sockmsg *hdr,
	       const void *body, bool is_event);

extern struct list_head connections;

#endif /* XS_CONNECTION_H */
