/*
 * session_ops.c - per-connection state: WATCH, UNWATCH, transactions,
 * RESET_WATCHES.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "core.h"
#include "handlers.h"
#include "path.h"
#include "quota.h"
#include "transaction.h"
#include "watch.h"

/* WATCH path\0token\0[depth\0] */
int do_watch(struct request *r)
{
	struct xsd_sockmsg hdr = { .type = XS_WATCH_EVENT };
	char buf[XENSTORE_PAYLOAD_MAX];
	const char *vec[3];
	unsigned int n = req_strings(r, vec, 3);
	size_t plen, tlen;
	char *path = NULL, *end;
	bool rel;
	long depth = -1;
	int rc;

	if (n == 3) {
		errno = 0;
		depth = strtol(vec[2], &end, 10);
		if (errno || *end || !*vec[2] || depth < 0 || depth > 65535)
			return -EINVAL;
	} else if (n != 2) {
		return -EINVAL;
	}
	rc = path_canonical(vec[0], r->conn->domid, true,
			    conn_quota(r->conn, Q_PATH_MAX), &path, &rel);
	if (rc)
		return rc;
	rc = watch_add(r->conn, path, vec[1], (int)depth, rel);
	if (rc)
		goto out;
	rc = reply_ok(r);
	if (rc)
		goto out;
	/* Fire once straight away, with the path as given. */
	plen = strlen(vec[0]) + 1;
	tlen = strlen(vec[1]) + 1;
	if (plen + tlen <= sizeof(buf)) {
		memcpy(buf, vec[0], plen);
		memcpy(buf + plen, vec[1], tlen);
		hdr.len = (uint32_t)(plen + tlen);
		conn_queue(r->conn, &hdr, buf, true);
	}
out:
	free(path);
	return rc;
}

int do_unwatch(struct request *r)
{
	const char *vec[2];
	char *path = NULL;
	bool rel;
	int rc;

	if (req_strings(r, vec, 2) != 2)
		return -EINVAL;
	rc = path_canonical(vec[0], r->conn->domid, true, 0, &path, &rel);
	if (!rc)
		rc = watch_remove(r->conn, path, vec[1]);
	if (!rc)
		rc = reply_ok(r);
	free(path);
	return rc;
}

int do_transaction_start(struct request *r)
{
	char buf[16];
	uint32_t id;
	int rc;

	/* Nested transactions do not exist. */
	if (r->txn)
		return -EBUSY;
	rc = txn_start(r->conn, &id);
	if (rc)
		return rc;
	snprintf(buf, sizeof(buf), "%u", id);
	return reply_str(r, buf);
}

int do_transaction_end(struct request *r)
{
	const char *arg = req_onearg(r);
	bool commit;
	int rc;

	if (!arg || (strcmp(arg, "T") && strcmp(arg, "F")))
		return -EINVAL;
	if (!r->txn)
		return -ENOENT;
	commit = arg[0] == 'T';
	rc = txn_end(r->conn, r->txn, commit);
	r->txn = NULL;
	if (rc)
		return rc;
	return reply_ok(r);
}

int do_reset_watches(struct request *r)
{
	watch_free_all(r->conn);
	txn_free_all(r->conn);
	r->txn = NULL;
	return reply_ok(r);
}
