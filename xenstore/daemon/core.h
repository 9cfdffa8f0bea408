/*
 * core.h - request dispatch and replies.
 *
 * core_process() handles one complete message from a connection: it
 * checks the type against the wire table (privilege, transaction), runs
 * the handler and sends either its reply or an error. Handlers return 0
 * once they have replied, or a negative errno that becomes XS_ERROR with
 * the errno's wire name.
 */
#ifndef XS_CORE_H
#define XS_CORE_H

#include <stdbool.h>
#include <stdint.h>

#include <public/io/xs_wire.h>

struct connection;
struct txn;

struct request {
	struct connection *conn;
	struct xsd_sockmsg hdr;
	const char *payload;
	uint32_t len;
	struct txn *txn;
};

void core_process(struct connection *c, const struct xsd_sockmsg *hdr,
		  const char *payload);

/* Replies to req (len > XENSTORE_PAYLOAD_MAX turns into E2BIG). */
int reply(struct request *req, const void *data, uint32_t len);
int reply_str(struct request *req, const char *s);	/* with its NUL */
int reply_ok(struct request *req);
void reply_error(struct request *req, int err);
const char *errno_wire_name(int err);

/* Payload parsing: the number of NUL-terminated strings, filling up to
 * max of them in vec; and the single-argument form (exactly one string
 * ending at the payload's end, or NULL). */
unsigned int req_strings(const struct request *req, const char **vec,
			 unsigned int max);
const char *req_onearg(const struct request *req);
/* Parse a decimal domid 0..65535; -EINVAL otherwise. */
int parse_domid(const char *s, unsigned int *domid);

/* Global daemon options the handlers consult. */
extern uint64_t core_requests;

#endif /* XS_CORE_H */
