/*
 * domain_ops.c - INTRODUCE, RELEASE, RESUME, GET_DOMAIN_PATH,
 * IS_DOMAIN_INTRODUCED, SET_TARGET, GET/SET_FEATURE, GET/SET_QUOTA.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/io/xs_wire.h>

#include "connection.h"
#include "core.h"
#include "domain.h"
#include "handlers.h"
#include "path.h"
#include "perms.h"
#include "quota.h"

/* First of Xen's reserved domids (DOMID_SELF). */
#define DOMID_FIRST_RESERVED 0x7FF0u

static int parse_u64(const char *s, uint64_t *out)
{
	unsigned long long v;
	char *end;

	if (!*s)
		return -EINVAL;
	errno = 0;
	v = strtoull(s, &end, 10);
	if (errno || *end)
		return -EINVAL;
	*out = v;
	return 0;
}

/* INTRODUCE domid\0gfn\0evtchn\0 */
int do_introduce(struct request *r)
{
	const char *vec[3];
	unsigned int domid;
	uint64_t gfn, port;
	int rc;

	if (req_strings(r, vec, 3) < 3)
		return -EINVAL;
	rc = parse_domid(vec[0], &domid);
	if (rc)
		return rc;
	/* The gfn is signed decimal on the wire; we only pass it along. */
	if (vec[1][0] == '-')
		rc = parse_u64(vec[1] + 1, &gfn);
	else
		rc = parse_u64(vec[1], &gfn);
	if (rc || parse_u64(vec[2], &port) || port == 0 || port > 0xffffffffu)
		return -EINVAL;
	if (domid == 0 || domid >= DOMID_FIRST_RESERVED)
		return -EINVAL;
	rc = domain_introduce(domid, gfn, (uint32_t)port);
	if (rc)
		return rc;
	return reply_ok(r);
}

/* A domid argument naming an introduced domain other than dom0. */
static int onearg_domain(struct request *r, struct domain **out)
{
	unsigned int domid;
	int rc = parse_domid(req_onearg(r), &domid);

	if (rc)
		return rc;
	if (domid == 0)
		return -EINVAL;
	*out = domain_find(domid);
	if (!*out || !(*out)->introduced)
		return -ENOENT;
	return 0;
}

int do_release(struct request *r)
{
	struct domain *d;
	int rc = onearg_domain(r, &d);

	if (!rc)
		rc = domain_release(d->domid);
	if (!rc)
		rc = reply_ok(r);
	return rc;
}

int do_resume(struct request *r)
{
	struct domain *d;
	int rc = onearg_domain(r, &d);

	if (rc)
		return rc;
	d->shutdown = false;
	return reply_ok(r);
}

int do_get_domain_path(struct request *r)
{
	char home[PATH_HOME_MAX];
	unsigned int domid;
	int rc = parse_domid(req_onearg(r), &domid);

	if (rc)
		return rc;
	path_home(domid, home);
	return reply_str(r, home);
}

int do_is_domain_introduced(struct request *r)
{
	struct domain *d;
	unsigned int domid;
	int rc = parse_domid(req_onearg(r), &domid);

	if (rc)
		return rc;
	d = domain_find(domid);
	/* DOMID_SELF is always "introduced", as C xenstored says. */
	return reply_str(r, domid == DOMID_FIRST_RESERVED ||
			 (d && d->introduced) ? "T" : "F");
}

/* SET_TARGET domid\0tdomid\0: domid may act for tdomid. */
int do_set_target(struct request *r)
{
	const char *vec[2];
	unsigned int domid, tdomid;
	struct domain *d, *td;
	int rc;

	if (req_strings(r, vec, 2) < 2)
		return -EINVAL;
	rc = parse_domid(vec[0], &domid);
	if (!rc)
		rc = parse_domid(vec[1], &tdomid);
	if (rc)
		return rc;
	d = domain_find(domid);
	td = domain_find(tdomid);
	if (!d || !d->introduced || !td || !td->introduced)
		return -ENOENT;
	d->target = tdomid;
	return reply_ok(r);
}

/* GET_FEATURE [domid\0] */
int do_get_feature(struct request *r)
{
	const char *vec[1];
	unsigned int n = req_strings(r, vec, 1), domid;
	uint32_t features;
	struct domain *d;
	char buf[16];
	int rc;

	if (n == 0) {
		features = r->conn->domain ? r->conn->domain->features :
					     XS_SERVER_FEATURES;
	} else {
		if (!r->conn->privileged)
			return -EACCES;
		if (n > 1)
			return -EINVAL;
		rc = parse_domid(vec[0], &domid);
		if (rc)
			return rc;
		d = domain_find(domid);
		if (!d)
			return -ENOENT;
		features = d->features;
	}
	snprintf(buf, sizeof(buf), "%u", features);
	return reply_str(r, buf);
}

/* SET_FEATURE domid\0value\0, only before INTRODUCE. */
int do_set_feature(struct request *r)
{
	const char *vec[2];
	unsigned int domid;
	uint64_t val;
	struct domain *d;
	int rc;

	if (req_strings(r, vec, 2) != 2)
		return -EINVAL;
	rc = parse_domid(vec[0], &domid);
	if (rc || parse_u64(vec[1], &val))
		return -EINVAL;
	if (val & ~(uint64_t)XS_SERVER_FEATURES)
		return -EINVAL;
	d = domain_get(domid);
	if (!d)
		return -ENOMEM;
	if (d->introduced)
		return -EBUSY;
	d->features = (uint32_t)val;
	return reply_ok(r);
}

/* GET_QUOTA [[domid\0]name\0] */
int do_get_quota(struct request *r)
{
	char buf[256];
	const char *vec[2];
	unsigned int n = req_strings(r, vec, 2), domid;
	const unsigned int *vals = quota_global;
	struct domain *d;
	int q, rc;
	size_t len = 0;

	if (n > 2)
		return -EINVAL;
	if (n == 0) {
		buf[0] = '\0';
		for (q = 0; q < Q_COUNT; q++)
			len += (size_t)snprintf(buf + len, sizeof(buf) - len,
						"%s%s", q ? " " : "",
						quota_name(q));
		return reply_str(r, buf);
	}
	if (n == 2) {
		rc = parse_domid(vec[0], &domid);
		if (rc)
			return rc;
		d = domain_find(domid);
		if (!d)
			return -ENOENT;
		vals = d->quota;
	}
	q = quota_lookup(vec[n - 1]);
	if (q < 0)
		return q;
	snprintf(buf, sizeof(buf), "%u", vals[q]);
	return reply_str(r, buf);
}

/* SET_QUOTA [domid\0]name\0value\0 */
int do_set_quota(struct request *r)
{
	const char *vec[3];
	unsigned int n = req_strings(r, vec, 3), domid;
	unsigned int *vals = quota_global;
	struct domain *d;
	uint64_t val;
	int q, rc;

	if (n < 2 || n > 3)
		return -EINVAL;
	if (n == 3) {
		rc = parse_domid(vec[0], &domid);
		if (rc)
			return rc;
		d = domain_get(domid);
		if (!d)
			return -ENOMEM;
		vals = d->quota;
	}
	q = quota_lookup(vec[n - 2]);
	if (q < 0)
		return q;
	if (parse_u64(vec[n - 1], &val) || val > 0xffffffffu)
		return -EINVAL;
	vals[q] = (unsigned int)val;
	return reply_ok(r);
}
