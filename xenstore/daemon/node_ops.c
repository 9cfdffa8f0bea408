/*
 * node_ops.c - READ, WRITE, MKDIR, RM, DIRECTORY(_PART), GET/SET_PERMS.
 *
 * Permission rule for a missing node or a refused access (as C
 * xenstored): the answer is the real error (ENOENT) only if the nearest
 * existing ancestor grants the access asked for; otherwise EACCES, so a
 * domain cannot probe for nodes it may not see.
 *
 * New nodes (and missing parents created on the way) copy their parent's
 * permissions; an unprivileged creator becomes the owner.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "connection.h"
#include "core.h"
#include "domain.h"
#include "handlers.h"
#include "path.h"
#include "perms.h"
#include "quota.h"
#include "store.h"
#include "transaction.h"
#include "watch.h"

static int req_path(struct request *r, const char *in, bool special,
		    char **path)
{
	unsigned int q = conn_quota(r->conn, Q_PATH_MAX);
	bool rel;

	return path_canonical(in, r->conn->domid, special, q, path, &rel);
}

static unsigned int access_of(const struct request *r, const struct node *n)
{
	struct xs_who who;

	conn_who(r->conn, &who);
	return perms_access(n->perms, n->nperms, &who);
}

/* The errno a failed access to `path` may reveal (see the top). */
static int hide_errno(struct request *r, const char *path, int err,
		      unsigned int perm)
{
	const struct node *n = NULL;
	char *p = strdup(path), *up;

	if (r->conn->privileged || err == -ENOMEM) {
		free(p);
		return err;
	}
	while (p && !n) {
		up = path[0] == '/' ? path_parent(p) : strdup("/");
		free(p);
		p = up;
		if (!p)
			break;
		n = tx_get(r->txn, p);
		if (!n && !strcmp(p, "/"))
			break;
	}
	free(p);
	if (n && (access_of(r, n) & perm) == perm)
		return err;
	return -EACCES;
}

static int get_node(struct request *r, const char *path, unsigned int perm,
		    const struct node **out)
{
	const struct node *n = tx_get(r->txn, path);

	*out = NULL;
	if (n && (access_of(r, n) & perm) == perm) {
		*out = n;
		return 0;
	}
	return hide_errno(r, path, n ? -EACCES : -ENOENT, perm);
}

static int check_size(struct request *r, const struct node *n)
{
	unsigned int q = conn_quota(r->conn, Q_NODE_SIZE);

	return quota_exceeds(Q_NODE_SIZE, q, node_size(n)) ? -ENOSPC : 0;
}

/* Put a changed copy, after the node-size quota check. */
static int put_checked(struct request *r, struct node *n)
{
	int rc = check_size(r, n);

	if (rc) {
		node_free(n);
		return rc;
	}
	return tx_put(r->txn, n);
}

/*
 * Create `path` with the given value, plus any missing parents. All new
 * nodes and the changed ancestor are built and checked first, so a quota
 * failure leaves nothing half-made.
 */
static int create_node(struct request *r, const char *path,
		       const void *data, uint32_t len)
{
	struct node **chain = NULL;	/* [0] existing ancestor copy */
	const struct node *anc = NULL;
	char *p = strdup(path), *up;
	unsigned int levels = 0, i, q;
	char **names = NULL;
	int rc = -ENOMEM;

	/* Walk up to the nearest existing ancestor. */
	while (p) {
		char **nn = realloc(names, (levels + 1) * sizeof(*names));

		if (!nn)
			goto out;
		names = nn;
		names[levels++] = p;
		up = path_parent(p);
		if (!up)
			goto out;
		anc = tx_get(r->txn, up);
		if (anc) {
			free(up);
			break;
		}
		p = up;
	}
	if (!anc)
		goto out;

	q = conn_quota(r->conn, Q_NODES);
	if (quota_exceeds(Q_NODES, q, (unsigned long)domain_nodes(r->conn->domid) +
			  tx_nodes_delta(r->txn, r->conn->domid) + levels)) {
		rc = -ENOSPC;
		goto out;
	}

	chain = calloc(levels + 1, sizeof(*chain));
	if (!chain || !(chain[0] = node_dup(anc)))
		goto out;
	for (i = 1; i <= levels; i++) {
		const char *name = names[levels - i];
		struct node *parent = chain[i - 1];

		chain[i] = node_new(name);
		if (!chain[i] ||
		    node_set_perms(chain[i], parent->perms, parent->nperms) ||
		    node_add_child(parent, path_basename(name)))
			goto out;
		if (!r->conn->privileged)
			chain[i]->perms[0].domid = (uint16_t)r->conn->domid;
	}
	if (node_set_data(chain[levels], data, len))
		goto out;
	for (i = 0; i <= levels; i++) {
		rc = check_size(r, chain[i]);
		if (rc)
			goto out;
	}
	/* Children first, then the ancestor that now lists them. */
	for (i = levels + 1; i-- > 0;) {
		rc = tx_put(r->txn, chain[i]);
		chain[i] = NULL;
		if (rc)
			goto out;
	}
	rc = 0;
out:
	if (chain)
		for (i = 0; i <= levels; i++)
			node_free(chain[i]);
	free(chain);
	for (i = 0; i < levels; i++)
		free(names[i]);
	free(names);
	return rc;
}

int do_read(struct request *r)
{
	const struct node *n;
	char *path;
	int rc = req_path(r, req_onearg(r), false, &path);

	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_READ, &n);
	if (!rc)
		rc = reply(r, n->data, n->datalen);
	free(path);
	return rc;
}

int do_write(struct request *r)
{
	const char *vec[1];
	const struct node *n;
	struct node *copy;
	char *path = NULL;
	uint32_t off;
	int rc;

	if (req_strings(r, vec, 1) < 1)
		return -EINVAL;
	off = (uint32_t)strlen(vec[0]) + 1;
	rc = req_path(r, vec[0], false, &path);
	if (rc)
		goto out;
	rc = get_node(r, path, XS_PERM_WRITE, &n);
	if (rc == -ENOENT) {
		rc = create_node(r, path, r->payload + off, r->len - off);
	} else if (!rc) {
		copy = node_dup(n);
		rc = -ENOMEM;
		if (copy && !node_set_data(copy, r->payload + off,
					   r->len - off))
			rc = put_checked(r, copy);
		else
			node_free(copy);
	}
	if (rc)
		goto out;
	watch_fire(r->txn, path, NULL, MATCH_SUBTREE, NULL, 0);
	rc = reply_ok(r);
out:
	free(path);
	return rc;
}

int do_mkdir(struct request *r)
{
	const struct node *n;
	char *path;
	int rc = req_path(r, req_onearg(r), false, &path);

	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_WRITE, &n);
	if (rc == -ENOENT) {
		rc = create_node(r, path, NULL, 0);
		if (!rc)
			watch_fire(r->txn, path, NULL, MATCH_SUBTREE, NULL, 0);
	}
	if (!rc)
		rc = reply_ok(r);
	free(path);
	return rc;
}

struct pathlist {
	char **p;
	size_t n, cap;
};

static int pathlist_add(struct pathlist *l, char *path)
{
	if (!path)
		return -ENOMEM;
	if (l->n == l->cap) {
		size_t cap = l->cap ? l->cap * 2 : 16;
		char **np = realloc(l->p, cap * sizeof(*np));

		if (!np) {
			free(path);
			return -ENOMEM;
		}
		l->p = np;
		l->cap = cap;
	}
	l->p[l->n++] = path;
	return 0;
}

int node_rm_tree(struct txn *t, const char *path)
{
	struct pathlist l = { 0 };
	const struct node *n;
	struct node *parent = NULL;
	char *pname = path_parent(path);
	size_t i;
	uint32_t off;
	int rc = -ENOMEM;

	if (!pname || pathlist_add(&l, strdup(path)))
		goto out;
	/* Breadth-first list of the subtree, in the view of t. */
	for (i = 0; i < l.n; i++) {
		n = tx_get(t, l.p[i]);
		if (!n)
			continue;
		for (off = 0; off < n->childlen;
		     off += (uint32_t)strlen(n->children + off) + 1)
			if (pathlist_add(&l, path_join(n->path,
						       n->children + off)))
				goto out;
	}
	n = tx_get(t, pname);
	if (!n || !(parent = node_dup(n)))
		goto out;
	node_del_child(parent, path_basename(path));

	/* Fire while the nodes (and their permissions) still exist. */
	for (i = 0; i < l.n; i++)
		watch_fire(t, l.p[i], t ? NULL : store_get(l.p[i]),
			   i ? MATCH_EXACT : MATCH_SUBTREE, NULL, 0);
	for (i = l.n; i-- > 0;) {
		rc = tx_del(t, l.p[i]);
		if (rc)
			goto out;
	}
	rc = tx_put(t, parent);
	parent = NULL;
out:
	node_free(parent);
	for (i = 0; i < l.n; i++)
		free(l.p[i]);
	free(l.p);
	free(pname);
	return rc;
}

int do_rm(struct request *r)
{
	const struct node *n;
	char *path, *parent;
	int rc = req_path(r, req_onearg(r), false, &path);

	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_WRITE, &n);
	if (rc == -ENOENT) {
		/* Absent is fine, as long as the parent exists. */
		parent = path_parent(path);
		if (parent && tx_get(r->txn, parent))
			rc = reply_ok(r);
		free(parent);
		goto out;
	}
	if (rc)
		goto out;
	if (!strcmp(path, "/")) {
		rc = -EINVAL;
		goto out;
	}
	rc = node_rm_tree(r->txn, path);
	if (!rc)
		rc = reply_ok(r);
out:
	free(path);
	return rc;
}

int do_directory(struct request *r)
{
	const struct node *n;
	char *path;
	int rc = req_path(r, req_onearg(r), false, &path);

	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_READ, &n);
	if (!rc)
		rc = reply(r, n->children, n->childlen);
	free(path);
	return rc;
}

/*
 * DIRECTORY_PART path\0offset\0 -> gen\0 then as many whole child names
 * from byte `offset` of the child list as fit; a final extra NUL marks
 * the end of the list.
 */
int do_directory_part(struct request *r)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	const char *vec[2];
	const struct node *n;
	unsigned long off;
	uint32_t len = 0, genlen;
	char *path = NULL, *end;
	int rc;

	if (req_strings(r, vec, 2) != 2)
		return -EINVAL;
	errno = 0;
	off = strtoul(vec[1], &end, 10);
	if (errno || *end || !*vec[1])
		return -EINVAL;
	rc = req_path(r, vec[0], false, &path);
	if (rc)
		goto out;
	rc = get_node(r, path, XS_PERM_READ, &n);
	if (rc)
		goto out;
	genlen = (uint32_t)snprintf(buf, sizeof(buf), "%" PRIu64, n->gen) + 1;
	if (off < n->childlen) {
		const char *child = n->children + off;
		uint32_t max = XENSTORE_PAYLOAD_MAX - genlen - 1;

		while (off + len < n->childlen) {
			uint32_t cl = (uint32_t)strlen(child) + 1;

			if (len + cl > max)
				break;
			len += cl;
			child += cl;
		}
		if (len)
			memcpy(buf + genlen, n->children + off, len);
	}
	if (off + len >= n->childlen)
		buf[genlen + len++] = '\0';
	rc = reply(r, buf, genlen + len);
out:
	free(path);
	return rc;
}

int do_get_perms(struct request *r)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	const struct node *n;
	uint32_t len = 0, i;
	char *path;
	int rc = req_path(r, req_onearg(r), true, &path);

	if (rc)
		return rc;
	rc = get_node(r, path, XS_PERM_READ, &n);
	if (rc)
		goto out;
	for (i = 0; i < n->nperms; i++) {
		int l = perm_format(&n->perms[i], buf + len, sizeof(buf) - len);

		if (l < 0 || (uint32_t)l + 1 > sizeof(buf) - len) {
			rc = -E2BIG;
			goto out;
		}
		len += (uint32_t)l + 1;
	}
	rc = reply(r, buf, len);
out:
	free(path);
	return rc;
}

int do_set_perms(struct request *r)
{
	const char *vec[1];
	struct xs_perm *perms = NULL, *old = NULL;
	unsigned int num = req_strings(r, vec, 1), oldnum = 0;
	const struct node *n;
	struct node *copy;
	char *path = NULL;
	uint32_t off;
	int rc;

	if (num < 2)
		return -EINVAL;
	num--;
	if (quota_exceeds(Q_PERMS, conn_quota(r->conn, Q_PERMS), num))
		return -ENOSPC;
	perms = calloc(num, sizeof(*perms));
	if (!perms)
		return -ENOMEM;
	off = (uint32_t)strlen(vec[0]) + 1;
	rc = perms_parse_list(r->payload + off, r->len - off, num, perms);
	if (rc)
		goto out;
	rc = req_path(r, vec[0], true, &path);
	if (rc)
		goto out;
	rc = get_node(r, path, XS_PERM_WRITE | XS_PERM_OWNER, &n);
	if (rc)
		goto out;
	/* Only the privileged may give a node away. */
	if (!r->conn->privileged && perms[0].domid != node_owner(n)) {
		rc = -EPERM;
		goto out;
	}
	oldnum = n->nperms;
	old = calloc(oldnum, sizeof(*old));
	copy = node_dup(n);
	if (!old || !copy || node_set_perms(copy, perms, num)) {
		node_free(copy);
		rc = -ENOMEM;
		goto out;
	}
	memcpy(old, n->perms, oldnum * sizeof(*old));
	rc = put_checked(r, copy);
	if (rc)
		goto out;
	watch_fire(r->txn, path, NULL, MATCH_SUBTREE, old, oldnum);
	rc = reply_ok(r);
out:
	free(old);
	free(perms);
	free(path);
	return rc;
}
