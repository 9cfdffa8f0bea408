/*
 * core.c - request dispatch and replies (see core.h).
 *
 * The wire table maps each message type to its handler and flags, in the
 * manner of C xenstored's wire_funcs: PRIV types are refused (EACCES) to
 * unprivileged connections, NOTID types ignore the header's tx_id. Every
 * other type with a non-zero tx_id must name an open transaction of the
 * connection (else ENOENT). Unknown types get ENOSYS; none of this ever
 * closes the connection.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#define XS_WIRE_WANT_ERRORS
#include <public/io/xs_wire.h>

#include "connection.h"
#include "core.h"
#include "handlers.h"
#include "log.h"
#include "transaction.h"

#define FLAG_PRIV  (1u << 0)	/* privileged connections only */
#define FLAG_NOTID (1u << 1)	/* tx_id is ignored */

struct wire_func {
	const char *name;
	int (*fn)(struct request *r);
	unsigned int flags;
};

static const struct wire_func wire_funcs[XS_TYPE_COUNT] = {
	[XS_CONTROL]           = { "CONTROL", do_control, FLAG_PRIV },
	[XS_DIRECTORY]         = { "DIRECTORY", do_directory, 0 },
	[XS_READ]              = { "READ", do_read, 0 },
	[XS_GET_PERMS]         = { "GET_PERMS", do_get_perms, 0 },
	[XS_WATCH]             = { "WATCH", do_watch, FLAG_NOTID },
	[XS_UNWATCH]           = { "UNWATCH", do_unwatch, FLAG_NOTID },
	[XS_TRANSACTION_START] = { "TRANSACTION_START",
				   do_transaction_start, 0 },
	[XS_TRANSACTION_END]   = { "TRANSACTION_END", do_transaction_end, 0 },
	[XS_INTRODUCE]         = { "INTRODUCE", do_introduce, FLAG_PRIV },
	[XS_RELEASE]           = { "RELEASE", do_release, FLAG_PRIV },
	[XS_GET_DOMAIN_PATH]   = { "GET_DOMAIN_PATH", do_get_domain_path, 0 },
	[XS_WRITE]             = { "WRITE", do_write, 0 },
	[XS_MKDIR]             = { "MKDIR", do_mkdir, 0 },
	[XS_RM]                = { "RM", do_rm, 0 },
	[XS_SET_PERMS]         = { "SET_PERMS", do_set_perms, 0 },
	[XS_WATCH_EVENT]       = { "WATCH_EVENT", NULL, 0 },
	[XS_ERROR]             = { "ERROR", NULL, 0 },
	[XS_IS_DOMAIN_INTRODUCED] = { "IS_DOMAIN_INTRODUCED",
				      do_is_domain_introduced, FLAG_PRIV },
	[XS_RESUME]            = { "RESUME", do_resume, FLAG_PRIV },
	[XS_SET_TARGET]        = { "SET_TARGET", do_set_target, FLAG_PRIV },
	[XS_RESET_WATCHES]     = { "RESET_WATCHES", do_reset_watches, 0 },
	[XS_DIRECTORY_PART]    = { "DIRECTORY_PART", do_directory_part, 0 },
	[XS_GET_FEATURE]       = { "GET_FEATURE", do_get_feature, 0 },
	[XS_SET_FEATURE]       = { "SET_FEATURE", do_set_feature, FLAG_PRIV },
	[XS_GET_QUOTA]         = { "GET_QUOTA", do_get_quota, FLAG_PRIV },
	[XS_SET_QUOTA]         = { "SET_QUOTA", do_set_quota, FLAG_PRIV },
};

uint64_t core_requests;

const char *errno_wire_name(int err)
{
	unsigned int i;

	if (err < 0)
		err = -err;
	for (i = 0; i < XSD_ERRORS_COUNT; i++)
		if (xsd_errors[i].errnum == err)
			return xsd_errors[i].errstring;
	return xsd_errors[0].errstring;		/* EINVAL */
}

static void send_msg(struct request *r, uint32_t type, const void *data,
		     uint32_t len)
{
	struct xsd_sockmsg hdr = {
		.type = type,
		.req_id = r->hdr.req_id,
		.tx_id = r->hdr.tx_id,
		.len = len,
	};

	if (conn_queue(r->conn, &hdr, data, false))
		conn_close(r->conn, "cannot queue reply");
}

void reply_error(struct request *r, int err)
{
	const char *name = errno_wire_name(err);

	log_debug("conn %u: req %u -> %s", r->conn->id, r->hdr.req_id, name);
	send_msg(r, XS_ERROR, name, (uint32_t)strlen(name) + 1);
}

int reply(struct request *r, const void *data, uint32_t len)
{
	if (len > XENSTORE_PAYLOAD_MAX)
		return -E2BIG;
	send_msg(r, r->hdr.type, data, len);
	return 0;
}

int reply_str(struct request *r, const char *s)
{
	return reply(r, s, (uint32_t)strlen(s) + 1);
}

int reply_ok(struct request *r)
{
	return reply_str(r, "OK");
}

unsigned int req_strings(const struct request *r, const char **vec,
			 unsigned int max)
{
	uint32_t off = 0;
	unsigned int n = 0;
	const char *nul;

	while (off < r->len &&
	       (nul = memchr(r->payload + off, '\0', r->len - off))) {
		if (n < max)
			vec[n] = r->payload + off;
		n++;
		off = (uint32_t)(nul - r->payload) + 1;
	}
	return n;
}

const char *req_onearg(const struct request *r)
{
	if (!r->len || memchr(r->payload, '\0', r->len) !=
		       r->payload + r->len - 1)
		return NULL;
	return r->payload;
}

int parse_domid(const char *s, unsigned int *domid)
{
	unsigned long v;
	char *end;

	if (!s || *s < '0' || *s > '9')
		return -EINVAL;
	errno = 0;
	v = strtoul(s, &end, 10);
	if (errno || *end || v > 65535)
		return -EINVAL;
	*domid = (unsigned int)v;
	return 0;
}

static const char *type_name(uint32_t type)
{
	if (type < XS_TYPE_COUNT && wire_funcs[type].name)
		return wire_funcs[type].name;
	return "UNKNOWN";
}

void core_process(struct connection *c, const struct xsd_sockmsg *hdr,
		  const char *payload)
{
	struct request r = {
		.conn = c,
		.hdr = *hdr,
		.payload = payload,
		.len = hdr->len,
	};
	const struct wire_func *wf = NULL;
	int rc;

	core_requests++;
	log_trace_msg(c->id, "IN", hdr->type, hdr->req_id, hdr->tx_id,
		      payload, hdr->len);
	log_debug("conn %u dom %u: %s req %u tx %u len %u", c->id, c->domid,
		  type_name(hdr->type), hdr->req_id, hdr->tx_id, hdr->len);

	if (hdr->type < XS_TYPE_COUNT)
		wf = &wire_funcs[hdr->type];
	if (!wf || !wf->fn) {
		rc = -ENOSYS;
		goto out;
	}
	if ((wf->flags & FLAG_PRIV) && !c->privileged) {
		rc = -EACCES;
		goto out;
	}
	if (!(wf->flags & FLAG_NOTID) && hdr->tx_id) {
		r.txn = txn_lookup(c, hdr->tx_id);
		if (!r.txn) {
			rc = -ENOENT;
			goto out;
		}
	}
	rc = wf->fn(&r);
out:
	if (rc)
		reply_error(&r, rc);
}
