/*
 * connection.c - connections, framing and output queues (see
 * connection.h).
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "core.h"
#include "domain.h"
#include "log.h"
#include "transaction.h"
#include "watch.h"

struct list_head connections = LIST_HEAD_INIT(connections);
static unsigned int next_conn_id = 1;

/*
 * Events queued for one unprivileged connection that does not read them
 * would otherwise grow without bound; beyond this many, new events are
 * dropped (clients must tolerate missing spurious events anyway, and
 * re-read state on reconnect).
 */
#define MAX_QUEUED_EVENTS 1024

struct connection *conn_new(const struct transport_ops *ops, void *tp,
			    unsigned int domid, bool privileged)
{
	struct connection *c = calloc(1, sizeof(*c));

	if (!c)
		return NULL;
	c->id = next_conn_id++;
	c->ops = ops;
	c->tp = tp;
	list_init(&c->out);
	list_init(&c->watches);
	list_init(&c->txns);
	c->next_txid = 1;
	conn_set_domid(c, domid);
	c->privileged = privileged;
	list_add_tail(&c->list, &connections);
	log_debug("conn %u: new %s connection for domain %u", c->id,
		  ops->name, domid);
	return c;
}

void conn_set_domid(struct connection *c, unsigned int domid)
{
	c->domid = domid;
	c->privileged = domid == 0;
	c->domain = c->privileged ? NULL : domain_get(domid);
	if (!c->privileged && !c->domain) {
		/* No memory for a record: refuse to run it unprivileged. */
		conn_close(c, "no memory for domain record");
	}
}

void conn_who(const struct connection *c, struct xs_who *who)
{
	who->domid = c->domid;
	who->privileged = c->privileged;
	who->target = c->domain ? c->domain->target : XS_DOMID_INVALID;
}

unsigned int conn_quota(const struct connection *c, int q)
{
	if (c->privileged)
		return 0;
	return c->domain ? c->domain->quota[q] : quota_global[q];
}

void conn_close(struct connection *c, const char *why)
{
	if (c->dead)
		return;
	xs_log(strcmp(why, "end of file") ? XS_LOG_INFO : XS_LOG_DEBUG,
	       "conn %u (domain %u): closing: %s", c->id, c->domid, why);
	c->dead = true;
}

static void conn_free(struct connection *c)
{
	struct out_msg *m, *tmp;

	list_del(&c->list);
	watch_free_all(c);
	txn_free_all(c);
	list_for_each_entry_safe(m, tmp, &c->out, list) {
		list_del(&m->list);
		free(m);
	}
	if (c->domain && c->domain->conn == c)
		c->domain->conn = NULL;
	if (c->ops->destroy)
		c->ops->destroy(c);
	free(c);
}

void conn_reap(void)
{
	struct connection *c, *tmp;

	list_for_each_entry_safe(c, tmp, &connections, list)
		if (c->dead)
			conn_free(c);
}

void conn_close_all(void)
{
	struct connection *c;

	list_for_each_entry(c, &connections, list)
		c->dead = true;
	conn_reap();
}

bool conn_wants_input(const struct connection *c)
{
	unsigned int q = conn_quota(c, Q_OUTSTANDING);

	if (c->dead)
		return false;
	/* Outstanding quota: stop reading until the client takes replies. */
	if (q && c->out_count >= q) {
		quota_exceeds(Q_OUTSTANDING, q, c->out_count + 1);
		return false;
	}
	return true;
}

bool conn_wants_output(const struct connection *c)
{
	return !c->dead && !list_empty(&c->out);
}

/* Read the 16-byte header, then the payload, one step per call. */
static int conn_read_step(struct connection *c)
{
	char *dst;
	uint32_t want;
	int n;

	if (!c->in_body) {
		dst = (char *)&c->in_hdr + c->in_used;
		want = sizeof(c->in_hdr) - c->in_used;
	} else {
		dst = c->in_buf + c->in_used;
		want = c->in_hdr.len - c->in_used;
	}
	if (want == 0)
		return 1;
	n = c->ops->read(c, dst, want);
	if (n < 0) {
		conn_close(c, n == -EPIPE ? "end of file" : "read error");
		return n;
	}
	c->in_used += (uint32_t)n;
	return n;
}

void conn_handle_input(struct connection *c)
{
	int n;

	while (conn_wants_input(c)) {
		n = conn_read_step(c);
		if (n <= 0)
			return;
		if (!c->in_body) {
			if (c->in_used < sizeof(c->in_hdr))
				continue;
			if (c->in_hdr.len > XENSTORE_PAYLOAD_MAX) {
				log_warn("conn %u: payload %u > %u", c->id,
					 c->in_hdr.len, XENSTORE_PAYLOAD_MAX);
				conn_close(c, "oversize message");
				return;
			}
			c->in_body = true;
			c->in_used = 0;
		}
		if (c->in_used < c->in_hdr.len)
			continue;
		c->in_body = false;
		c->in_used = 0;
		core_process(c, &c->in_hdr, c->in_buf);
		if (c->dead)
			return;
	}
}

void conn_handle_output(struct connection *c)
{
	struct out_msg *m;
	int n;

	while (!c->dead && !list_empty(&c->out)) {
		uint32_t total, off;
		const char *src;

		m = list_entry(c->out.next, struct out_msg, list);
		total = (uint32_t)sizeof(m->hdr) + m->hdr.len;
		off = m->sent;
		if (off < sizeof(m->hdr))
			src = (const char *)&m->hdr + off;
		else
			src = m->body + (off - sizeof(m->hdr));
		n = c->ops->write(c, src, off < sizeof(m->hdr) ?
				  sizeof(m->hdr) - off : total - off);
		if (n < 0) {
			conn_close(c, "write error");
			return;
		}
		if (n == 0)
			return;
		m->sent += (uint32_t)n;
		if (m->sent < total)
			continue;
		list_del(&m->list);
		if (m->is_event)
			c->out_events--;
		else
			c->out_count--;
		free(m);
	}
}

/* True if an identical event is already waiting, untouched, in c's queue. */
static bool event_pending(const struct connection *c,
			  const struct xsd_sockmsg *hdr, const void *body)
{
	const struct out_msg *m;

	list_for_each_entry(m, &c->out, list)
		if (m->is_event && !m->sent && m->hdr.len == hdr->len &&
		    !memcmp(m->body, body, hdr->len))
			return true;
	return false;
}

int conn_queue(struct connection *c, const struct xsd_sockmsg *hdr,
	       const void *body, bool is_event)
{
	struct out_msg *m;

	if (c->dead)
		return -EPIPE;
	if (is_event && ((const char *)body)[0] != '@' &&
	    event_pending(c, hdr, body))
		return 0;
	if (is_event && !c->privileged &&
	    c->out_events >= MAX_QUEUED_EVENTS) {
		log_warn("conn %u: dropping watch event, queue full", c->id);
		return -ENOSPC;
	}
	m = malloc(sizeof(*m) + hdr->len);
	if (!m)
		return -ENOMEM;
	m->hdr = *hdr;
	m->sent = 0;
	m->is_event = is_event;
	if (hdr->len)
		memcpy(m->body, body, hdr->len);
	list_add_tail(&m->list, &c->out);
	if (is_event)
		c->out_events++;
	else
		c->out_count++;
	log_trace_msg(c->id, "OUT", hdr->type, hdr->req_id, hdr->tx_id,
		      body, hdr->len);
	return 0;
}
