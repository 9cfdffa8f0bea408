/*
 * ops.c - libhvxs operations: each builds a payload and calls
 * hvxs_request().
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "private.h"

/* Concatenate NUL-terminated strings into buf; -1/E2BIG if too long. */
static int build(char *buf, unsigned int *len, const char *const *s,
		 unsigned int n)
{
	unsigned int i, off = 0;

	for (i = 0; i < n; i++) {
		size_t l = strlen(s[i]) + 1;

		if (off + l > XENSTORE_PAYLOAD_MAX) {
			errno = E2BIG;
			return -1;
		}
		memcpy(buf + off, s[i], l);
		off += (unsigned int)l;
	}
	*len = off;
	return 0;
}

static int simple(struct hvxs *h, uint32_t type, hvxs_tx_t t,
		  const char *const *s, unsigned int n)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	unsigned int len;

	if (build(buf, &len, s, n))
		return -1;
	return hvxs_request(h, type, t, buf, len, NULL, NULL);
}

/* A request whose reply is text; returns it (malloc'd). */
static char *text(struct hvxs *h, uint32_t type, hvxs_tx_t t,
		  const char *const *s, unsigned int n)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	unsigned int len;
	void *reply;

	if (build(buf, &len, s, n) ||
	    hvxs_request(h, type, t, buf, len, &reply, NULL))
		return NULL;
	return reply;
}

void *hvxs_read(struct hvxs *h, hvxs_tx_t t, const char *path,
		unsigned int *len)
{
	unsigned int plen = (unsigned int)strlen(path) + 1;
	void *reply;

	if (hvxs_request(h, XS_READ, t, path, plen, &reply, len))
		return NULL;
	return reply;
}

int hvxs_write(struct hvxs *h, hvxs_tx_t t, const char *path,
	       const void *data, unsigned int len)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t plen = strlen(path) + 1;

	if (plen + len > XENSTORE_PAYLOAD_MAX) {
		errno = E2BIG;
		return -1;
	}
	memcpy(buf, path, plen);
	if (len)
		memcpy(buf + plen, data, len);
	return hvxs_request(h, XS_WRITE, t, buf, (unsigned int)plen + len,
			    NULL, NULL);
}

int hvxs_mkdir(struct hvxs *h, hvxs_tx_t t, const char *path)
{
	return simple(h, XS_MKDIR, t, &path, 1);
}

int hvxs_rm(struct hvxs *h, hvxs_tx_t t, const char *path)
{
	return simple(h, XS_RM, t, &path, 1);
}

/* Turn name\0name\0... into a vector in one allocation. */
static char **split(const char *data, unsigned int len, unsigned int *num)
{
	unsigned int n = 0, i, off;
	char **vec, *copy;

	for (i = 0; i < len; i++)
		if (!data[i])
			n++;
	vec = malloc((n + 1) * sizeof(char *) + len + 1);
	if (!vec)
		return NULL;
	copy = (char *)(vec + n + 1);
	memcpy(copy, data, len);
	copy[len] = '\0';
	for (i = 0, off = 0; i < n; i++) {
		vec[i] = copy + off;
		off += (unsigned int)strlen(copy + off) + 1;
	}
	vec[n] = NULL;
	*num = n;
	return vec;
}

char **hvxs_directory(struct hvxs *h, hvxs_tx_t t, const char *path,
		      unsigned int *num)
{
	unsigned int len;
	char **vec;
	void *reply;

	if (hvxs_request(h, XS_DIRECTORY, t, path,
			 (unsigned int)strlen(path) + 1, &reply, &len))
		return NULL;
	vec = split(reply, len, num);
	free(reply);
	return vec;
}

int hvxs_perm_from_string(const char *s, struct hvxs_perm *p)
{
	static const char letters[] = "nrwb";
	const char *l = s[0] ? strchr(letters, s[0]) : NULL;
	unsigned long id;
	char *end;

	if (!l || s[1] < '0' || s[1] > '9') {
		errno = EINVAL;
		return -1;
	}
	errno = 0;
	id = strtoul(s + 1, &end, 10);
	if (errno || *end || id > 65535) {
		errno = EINVAL;
		return -1;
	}
	p->domid = (uint32_t)id;
	p->perms = (uint32_t)(l - letters);
	return 0;
}

int hvxs_perm_to_string(const struct hvxs_perm *p, char *buf,
			unsigned int size)
{
	static const char letters[] = "nrwb";

	if (p->perms > 3 || (unsigned int)snprintf(buf, size, "%c%u",
				letters[p->perms], p->domid) >= size) {
		errno = EINVAL;
		return -1;
	}
	return 0;
}

struct hvxs_perm *hvxs_get_perms(struct hvxs *h, hvxs_tx_t t,
				 const char *path, unsigned int *num)
{
	struct hvxs_perm *perms = NULL;
	unsigned int len, n, i;
	char **vec = NULL;
	void *reply;

	if (hvxs_request(h, XS_GET_PERMS, t, path,
			 (unsigned int)strlen(path) + 1, &reply, &len))
		return NULL;
	vec = split(reply, len, &n);
	free(reply);
	if (!vec)
		return NULL;
	perms = calloc(n ? n : 1, sizeof(*perms));
	if (!perms)
		goto out;
	for (i = 0; i < n; i++)
		if (hvxs_perm_from_string(vec[i], &perms[i])) {
			free(perms);
			perms = NULL;
			errno = EBADMSG;
			goto out;
		}
	*num = n;
out:
	free(vec);
	return perms;
}

int hvxs_set_perms(struct hvxs *h, hvxs_tx_t t, const char *path,
		   const struct hvxs_perm *perms, unsigned int num)
{
	char buf[XENSTORE_PAYLOAD_MAX];
	size_t off = strlen(path) + 1;
	unsigned int i;

	if (off > sizeof(buf)) {
		errno = E2BIG;
		return -1;
	}
	memcpy(buf, path, off);
	for (i = 0; i < num; i++) {
		char one[16];

		if (hvxs_perm_to_string(&perms[i], one, sizeof(one)))
			return -1;
		if (off + strlen(one) + 1 > sizeof(buf)) {
			errno = E2BIG;
			return -1;
		}
		memcpy(buf + off, one, strlen(one) + 1);
		off += strlen(one) + 1;
	}
	return hvxs_request(h, XS_SET_PERMS, t, buf, (unsigned int)off,
			    NULL, NULL);
}

int hvxs_watch_depth(struct hvxs *h, const char *path, const char *token,
		     int depth)
{
	char d[16];
	const char *s[3] = { path, token, d };

	/* Events must be collected from now on, even between calls. */
	pthread_mutex_lock(&h->req_lock);
	if (hvxs_start_reader(h)) {
		pthread_mutex_unlock(&h->req_lock);
		return -1;
	}
	pthread_mutex_unlock(&h->req_lock);
	snprintf(d, sizeof(d), "%d", depth);
	return simple(h, XS_WATCH, HVXS_TX_NONE, s, depth < 0 ? 2 : 3);
}

int hvxs_watch(struct hvxs *h, const char *path, const char *token)
{
	return hvxs_watch_depth(h, path, token, -1);
}

int hvxs_unwatch(struct hvxs *h, const char *path, const char *token)
{
	const char *s[2] = { path, token };

	return simple(h, XS_UNWATCH, HVXS_TX_NONE, s, 2);
}

hvxs_tx_t hvxs_transaction_start(struct hvxs *h)
{
	const char *empty = "";
	char *reply = text(h, XS_TRANSACTION_START, HVXS_TX_NONE, &empty, 1);
	unsigned long id;

	if (!reply)
		return HVXS_TX_NONE;
	id = strtoul(reply, NULL, 10);
	free(reply);
	if (id == 0 || id > 0xffffffffu) {
		errno = EBADMSG;
		return HVXS_TX_NONE;
	}
	return (hvxs_tx_t)id;
}

int hvxs_transaction_end(struct hvxs *h, hvxs_tx_t t, bool abort)
{
	const char *arg = abort ? "F" : "T";

	return simple(h, XS_TRANSACTION_END, t, &arg, 1);
}

static int domid_op(struct hvxs *h, uint32_t type, unsigned int domid)
{
	char d[16];
	const char *s = d;

	snprintf(d, sizeof(d), "%u", domid);
	return simple(h, type, HVXS_TX_NONE, &s, 1);
}

int hvxs_introduce(struct hvxs *h, unsigned int domid, uint64_t gfn,
		   uint32_t port)
{
	char d[16], g[24], p[16];
	const char *s[3] = { d, g, p };

	snprintf(d, sizeof(d), "%u", domid);
	snprintf(g, sizeof(g), "%llu", (unsigned long long)gfn);
	snprintf(p, sizeof(p), "%u", port);
	return simple(h, XS_INTRODUCE, HVXS_TX_NONE, s, 3);
}

int hvxs_release(struct hvxs *h, unsigned int domid)
{
	return domid_op(h, XS_RELEASE, domid);
}

int hvxs_resume(struct hvxs *h, unsigned int domid)
{
	return domid_op(h, XS_RESUME, domid);
}

int hvxs_set_target(struct hvxs *h, unsigned int domid, unsigned int target)
{
	char d[16], t[16];
	const char *s[2] = { d, t };

	snprintf(d, sizeof(d), "%u", domid);
	snprintf(t, sizeof(t), "%u", target);
	return simple(h, XS_SET_TARGET, HVXS_TX_NONE, s, 2);
}

int hvxs_is_domain_introduced(struct hvxs *h, unsigned int domid)
{
	char d[16];
	const char *s = d;
	char *reply;
	int rc;

	snprintf(d, sizeof(d), "%u", domid);
	reply = text(h, XS_IS_DOMAIN_INTRODUCED, HVXS_TX_NONE, &s, 1);
	if (!reply)
		return -1;
	rc = reply[0] == 'T';
	free(reply);
	return rc;
}

char *hvxs_get_domain_path(struct hvxs *h, unsigned int domid)
{
	char d[16];
	const char *s = d;

	snprintf(d, sizeof(d), "%u", domid);
	return text(h, XS_GET_DOMAIN_PATH, HVXS_TX_NONE, &s, 1);
}

char *hvxs_control(struct hvxs *h, const char *const *argv,
		   unsigned int argc)
{
	return text(h, XS_CONTROL, HVXS_TX_NONE, argv, argc);
}
