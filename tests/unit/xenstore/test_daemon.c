/*
 * test_daemon.c - the real xenstored over its UNIX socket: every message
 * type, the permission rules, transactions, watches, quotas and bad input.
 *
 * Speaking as a domain: a privileged socket connection sends CONTROL
 * "as-domain <N>" and is treated exactly as domain N from then on.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/socket.h>
#include <unistd.h>

#include <check.h>

#include "harness.h"

#define OK(e)     ck_assert_int_eq((e), 0)
#define ERR(e, n) ck_assert_int_eq((e), -(n))

static char buf[XENSTORE_PAYLOAD_MAX * 2];
static char ev_path[XENSTORE_PAYLOAD_MAX], ev_tok[XENSTORE_PAYLOAD_MAX];

static int W(int fd, const char *p, const char *v)
{
	return xs_req(fd, XS_WRITE, 0, NULL, 2, p, v);
}

static int R(int fd, const char *p)
{
	return xs_req(fd, XS_READ, 0, buf, 1, p);
}

static int MK(int fd, const char *p)
{
	return xs_req(fd, XS_MKDIR, 0, NULL, 1, p);
}

static int RM(int fd, const char *p)
{
	return xs_req(fd, XS_RM, 0, NULL, 1, p);
}

static int WATCH(int fd, const char *p, const char *t)
{
	return xs_req(fd, XS_WATCH, 0, NULL, 2, p, t);
}

/* SET_PERMS with a space-separated list, e.g. "n0 r5". */
static int SETP(int fd, uint32_t tx, const char *path, const char *list)
{
	char payload[512], reply[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t len, rlen;
	char *p;
	int t;

	len = (uint32_t)strlen(path) + 1;
	memcpy(payload, path, len);
	memcpy(payload + len, list, strlen(list) + 1);
	for (p = payload + len; *p; p++)
		if (*p == ' ')
			*p = '\0';
	len += (uint32_t)strlen(list) + 1;
	t = raw_call(fd, XS_SET_PERMS, tx, payload, len, reply, &rlen);
	if (t == XS_ERROR) {
		if (!strcmp(reply, "EACCES"))
			return -EACCES;
		if (!strcmp(reply, "EPERM"))
			return -EPERM;
		if (!strcmp(reply, "ENOSPC"))
			return -ENOSPC;
		if (!strcmp(reply, "ENOENT"))
			return -ENOENT;
		return -EINVAL;
	}
	ck_assert_int_eq(t, XS_SET_PERMS);
	return 0;
}

/* GET_PERMS as "n0 r5". */
static const char *GETP(int fd, const char *path)
{
	static char out[512];
	static char raw[XENSTORE_PAYLOAD_MAX + 1];
	uint32_t rlen, i;
	int t = raw_call(fd, XS_GET_PERMS, 0, path, (uint32_t)strlen(path) + 1,
			 raw, &rlen);

	if (t != XS_GET_PERMS)
		return raw;	/* error name, for the failure message */
	for (i = 0; i + 1 < rlen; i++)
		out[i] = raw[i] ? raw[i] : ' ';
	out[rlen ? rlen - 1 : 0] = '\0';
	return out;
}

static void intro(int fd, unsigned int domid)
{
	char d[16];

	snprintf(d, sizeof(d), "%u", domid);
	OK(xs_req(fd, XS_INTRODUCE, 0, NULL, 3, d, "1234", "7"));
}

static void setup(void)
{
	daemon_start(NULL);
}

static void teardown(void)
{
	int fd = raw_open();

	/* The store must still be consistent after every test. */
	OK(xs_req(fd, XS_CONTROL, 0, NULL, 1, "check"));
	raw_close(fd);
	daemon_stop();
}

/* ---------------------------------------------------------------- */
/* Basic node operations                                             */

START_TEST(test_read_write)
{
	int fd = raw_open();
	uint32_t len;

	OK(W(fd, "/a/b/c", "value"));
	OK(R(fd, "/a/b/c"));
	ck_assert_str_eq(buf, "value");
	/* Parents are created with empty values. */
	OK(R(fd, "/a/b"));
	ck_assert_str_eq(buf, "");
	/* Overwrite, and an empty value. */
	OK(W(fd, "/a/b/c", ""));
	OK(R(fd, "/a/b/c"));
	ck_assert_str_eq(buf, "");
	ERR(R(fd, "/nope"), ENOENT);
	/* Binary values with NULs survive. */
	ck_assert_int_eq(raw_call(fd, XS_WRITE, 0, "/bin\0a\0b", 8, buf, &len),
			 XS_WRITE);
	ck_assert_int_eq(raw_call(fd, XS_READ, 0, "/bin", 5, buf, &len),
			 XS_READ);
	ck_assert_int_eq(len, 3);
	ck_assert(!memcmp(buf, "a\0b", 3));
	raw_close(fd);
}
END_TEST

START_TEST(test_mkdir_rm)
{
	int fd = raw_open();

	OK(MK(fd, "/m/n/o"));
	OK(R(fd, "/m/n/o"));
	OK(W(fd, "/m/n", "keep"));
	OK(MK(fd, "/m/n"));		/* existing: value untouched */
	OK(R(fd, "/m/n"));
	ck_assert_str_eq(buf, "keep");
	OK(RM(fd, "/m/n"));
	ERR(R(fd, "/m/n/o"), ENOENT);
	ERR(R(fd, "/m/n"), ENOENT);
	OK(RM(fd, "/m/n"));		/* absent, parent present: fine */
	ERR(RM(fd, "/m/x/y"), ENOENT);	/* parent absent too */
	ERR(RM(fd, "/"), EINVAL);
	OK(xs_req(fd, XS_DIRECTORY, 0, buf, 1, "/m"));
	ck_assert_str_eq(buf, "");
	raw_close(fd);
}
END_TEST

START_TEST(test_directory)
{
	int fd = raw_open();
	uint32_t len;

	OK(W(fd, "/d/x", "1"));
	OK(W(fd, "/d/y", "2"));
	OK(MK(fd, "/d/z"));
	ck_assert_int_eq(raw_call(fd, XS_DIRECTORY, 0, "/d", 3, buf, &len),
			 XS_DIRECTORY);
	ck_assert_int_eq(len, 6);
	ck_assert(!memcmp(buf, "x\0y\0z\0", 6));
	ERR(xs_req(fd, XS_DIRECTORY, 0, buf, 1, "/none"), ENOENT);
	OK(xs_req(fd, XS_DIRECTORY, 0, buf, 1, "/"));
	raw_close(fd);
}
END_TEST

/* A directory too big for one reply: E2BIG, but DIRECTORY_PART pages. */
START_TEST(test_directory_part)
{
	int fd = raw_open();
	char name[64], req[128], got[XENSTORE_PAYLOAD_MAX + 1];
	char all[16384];
	size_t all_len = 0, expect_len = 0;
	unsigned long off = 0;
	uint32_t len, rlen, gl;
	char gen0[32] = "";
	int i, t;

	for (i = 0; i < 300; i++) {
		snprintf(name, sizeof(name), "/big/child-with-a-long-name-%03d",
			 i);
		OK(MK(fd, name));
		expect_len += strlen(name) - 5 + 1;
	}
	ERR(xs_req(fd, XS_DIRECTORY, 0, buf, 1, "/big"), E2BIG);
	for (;;) {
		len = (uint32_t)snprintf(req, sizeof(req), "/big%c%lu", 0, off)
		      + 1;
		t = raw_call(fd, XS_DIRECTORY_PART, 0, req, len, got, &rlen);
		ck_assert_int_eq(t, XS_DIRECTORY_PART);
		gl = (uint32_t)strlen(got) + 1;
		if (!gen0[0])
			strcpy(gen0, got);
		ck_assert_str_eq(got, gen0);	/* unchanged node */
		memcpy(all + all_len, got + gl, rlen - gl);
		all_len += rlen - gl;
		off += rlen - gl;
		/* The list ends with an empty name (double NUL). */
		if (rlen - gl == 1 || (rlen >= 2 && got[rlen - 2] == '\0' &&
				       rlen - gl >= 1 && all_len > expect_len))
			break;
		if (all_len >= expect_len + 1)
			break;
	}
	ck_assert_int_eq(all_len, expect_len + 1);
	ck_assert(!memcmp(all, "child-with-a-long-name-000", 27));
	/* Bad offsets and arguments. */
	ERR(xs_req(fd, XS_DIRECTORY_PART, 0, buf, 1, "/big"), EINVAL);
	ERR(xs_req(fd, XS_DIRECTORY_PART, 0, buf, 2, "/big", "x"), EINVAL);
	raw_close(fd);
}
END_TEST

START_TEST(test_get_set_perms)
{
	int fd = raw_open();

	OK(W(fd, "/p", "v"));
	ck_assert_str_eq(GETP(fd, "/p"), "n0");
	OK(SETP(fd, 0, "/p", "r1 w2 b3 n4"));
	ck_assert_str_eq(GETP(fd, "/p"), "r1 w2 b3 n4");
	ERR(SETP(fd, 0, "/p", "x1"), EINVAL);
	ERR(SETP(fd, 0, "/p", "r"), EINVAL);
	ERR(SETP(fd, 0, "/p", "r70000"), EINVAL);
	ERR(SETP(fd, 0, "/p", "r1x"), EINVAL);
	ERR(xs_req(fd, XS_SET_PERMS, 0, NULL, 1, "/p"), EINVAL);
	ERR(SETP(fd, 0, "/missing", "n0"), ENOENT);
	/* Special nodes carry permissions too. */
	ck_assert_str_eq(GETP(fd, "@releaseDomain"), "n0");
	OK(SETP(fd, 0, "@releaseDomain", "n0 r5"));
	ck_assert_str_eq(GETP(fd, "@releaseDomain"), "n0 r5");
	raw_close(fd);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Permissions                                                       */

START_TEST(test_perm_read_write_letters)
{
	int d0 = raw_open(), d5;

	OK(W(d0, "/n", "x"));
	OK(W(d0, "/r", "x"));
	OK(W(d0, "/w", "x"));
	OK(W(d0, "/b", "x"));
	OK(SETP(d0, 0, "/r", "n0 r5"));
	OK(SETP(d0, 0, "/w", "n0 w5"));
	OK(SETP(d0, 0, "/b", "n0 b5"));
	d5 = raw_open_as(5);
	ERR(R(d5, "/n"), EACCES);
	ERR(W(d5, "/n", "y"), EACCES);
	OK(R(d5, "/r"));
	ERR(W(d5, "/r", "y"), EACCES);
	ERR(R(d5, "/w"), EACCES);
	OK(W(d5, "/w", "y"));
	OK(R(d5, "/b"));
	OK(W(d5, "/b", "y"));
	/* Default letter (entry 0) applies to unlisted domains. */
	OK(SETP(d0, 0, "/n", "r0"));
	OK(R(d5, "/n"));
	/* A later entry overrides the default for the domain it names. */
	OK(SETP(d0, 0, "/n", "r0 n5"));
	ERR(R(d5, "/n"), EACCES);
	raw_close(d5);
	raw_close(d0);
}
END_TEST

START_TEST(test_perm_owner_and_errno_hiding)
{
	int d0 = raw_open(), d5;

	OK(MK(d0, "/own"));
	OK(SETP(d0, 0, "/own", "n5"));	/* owner 5, letter n */
	d5 = raw_open_as(5);
	/* The owner has full access whatever the letter says. */
	OK(W(d5, "/own/x", "1"));
	OK(R(d5, "/own/x"));
	/* Missing node under a readable parent: ENOENT. */
	ERR(R(d5, "/own/missing"), ENOENT);
	/* Missing node under an unreadable parent: EACCES (no probing). */
	ERR(R(d5, "/local/domain/0/secret"), EACCES);
	ERR(R(d5, "/zzz"), EACCES);
	raw_close(d5);
	raw_close(d0);
}
END_TEST

START_TEST(test_perm_inheritance)
{
	int d0 = raw_open(), d5;

	OK(MK(d0, "/inh"));
	OK(SETP(d0, 0, "/inh", "n0 b5 r7"));
	/* dom0 creates: the parent's list is copied unchanged. */
	OK(W(d0, "/inh/by0/deep", "x"));
	ck_assert_str_eq(GETP(d0, "/inh/by0"), "n0 b5 r7");
	ck_assert_str_eq(GETP(d0, "/inh/by0/deep"), "n0 b5 r7");
	/* A domain creates: it becomes the owner, the rest is copied. */
	d5 = raw_open_as(5);
	OK(W(d5, "/inh/by5/deep", "x"));
	ck_assert_str_eq(GETP(d0, "/inh/by5"), "n5 b5 r7");
	ck_assert_str_eq(GETP(d0, "/inh/by5/deep"), "n5 b5 r7");
	OK(MK(d5, "/inh/mk5"));
	ck_assert_str_eq(GETP(d0, "/inh/mk5"), "n5 b5 r7");
	raw_close(d5);
	raw_close(d0);
}
END_TEST

START_TEST(test_perm_owner_change)
{
	int d0 = raw_open(), d5, d6;

	OK(MK(d0, "/oc"));
	OK(SETP(d0, 0, "/oc", "n5 b6"));
	d5 = raw_open_as(5);
	d6 = raw_open_as(6);
	/* The owner may change the rest of the list... */
	OK(SETP(d5, 0, "/oc", "n5 r6"));
	/* ...but only dom0 may change the owner. */
	ERR(SETP(d5, 0, "/oc", "n6"), EPERM);
	/* A non-owner with write access may not set perms at all. */
	OK(SETP(d0, 0, "/oc", "n5 b6"));
	ERR(SETP(d6, 0, "/oc", "n5 b6 r7"), EACCES);
	OK(SETP(d0, 0, "/oc", "b6"));
	ck_assert_str_eq(GETP(d0, "/oc"), "b6");
	raw_close(d6);
	raw_close(d5);
	raw_close(d0);
}
END_TEST

START_TEST(test_perm_target)
{
	int d0 = raw_open(), d6;

	intro(d0, 5);
	intro(d0, 6);
	OK(W(d0, "/t/owned5", "x"));
	OK(SETP(d0, 0, "/t/owned5", "n5"));
	OK(W(d0, "/t/read5", "x"));
	OK(SETP(d0, 0, "/t/read5", "n0 r5"));
	d6 = raw_open_as(6);
	ERR(R(d6, "/t/owned5"), EACCES);
	OK(xs_req(d0, XS_SET_TARGET, 0, NULL, 2, "6", "5"));
	/* 6 now acts for 5: full access to 5's nodes... */
	OK(R(d6, "/t/owned5"));
	OK(W(d6, "/t/owned5", "y"));
	OK(SETP(d6, 0, "/t/owned5", "n5 r6"));
	/* ...and 5's grants elsewhere. */
	OK(R(d6, "/t/read5"));
	ERR(W(d6, "/t/read5", "y"), EACCES);
	/* Both domains must be introduced. */
	ERR(xs_req(d0, XS_SET_TARGET, 0, NULL, 2, "6", "9"), ENOENT);
	ERR(xs_req(d0, XS_SET_TARGET, 0, NULL, 2, "6", "x"), EINVAL);
	raw_close(d6);
	raw_close(d0);
}
END_TEST

START_TEST(test_perm_privileged_ops)
{
	int d0 = raw_open(), d5 = raw_open_as(5);

	ERR(xs_req(d5, XS_INTRODUCE, 0, NULL, 3, "7", "1", "2"), EACCES);
	ERR(xs_req(d5, XS_RELEASE, 0, NULL, 1, "7"), EACCES);
	ERR(xs_req(d5, XS_RESUME, 0, NULL, 1, "7"), EACCES);
	ERR(xs_req(d5, XS_SET_TARGET, 0, NULL, 2, "5", "7"), EACCES);
	ERR(xs_req(d5, XS_CONTROL, 0, NULL, 2, "as-domain", "0"), EACCES);
	ERR(xs_req(d5, XS_IS_DOMAIN_INTRODUCED, 0, NULL, 1, "5"), EACCES);
	ERR(xs_req(d5, XS_SET_QUOTA, 0, NULL, 2, "nodes", "9"), EACCES);
	ERR(xs_req(d5, XS_GET_QUOTA, 0, NULL, 0), EACCES);
	ERR(xs_req(d5, XS_SET_FEATURE, 0, NULL, 2, "5", "0"), EACCES);
	ERR(xs_req(d5, XS_GET_FEATURE, 0, NULL, 1, "5"), EACCES);
	OK(xs_req(d5, XS_GET_FEATURE, 0, buf, 0));
	OK(xs_req(d5, XS_GET_DOMAIN_PATH, 0, buf, 1, "5"));
	ck_assert_str_eq(buf, "/local/domain/5");
	raw_close(d5);
	raw_close(d0);
}
END_TEST

START_TEST(test_relative_paths)
{
	int d0 = raw_open(), d5;

	OK(MK(d0, "/local/domain/5"));
	OK(SETP(d0, 0, "/local/domain/5", "n0 r5"));
	OK(MK(d0, "/local/domain/5/data"));
	OK(SETP(d0, 0, "/local/domain/5/data", "n5"));
	d5 = raw_open_as(5);
	OK(W(d5, "data/x", "rel"));
	OK(R(d0, "/local/domain/5/data/x"));
	ck_assert_str_eq(buf, "rel");
	OK(R(d5, "data/x"));
	ERR(W(d5, "name", "evil"), EACCES);
	/* dom0's relative paths start at /local/domain/0. */
	OK(W(d0, "mine", "0"));
	OK(R(d0, "/local/domain/0/mine"));
	raw_close(d5);
	raw_close(d0);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Transactions                                                      */

static uint32_t tstart(int fd)
{
	OK(xs_req(fd, XS_TRANSACTION_START, 0, buf, 1, ""));
	return (uint32_t)strtoul(buf, NULL, 10);
}

static int tend(int fd, uint32_t t, const char *how)
{
	return xs_req(fd, XS_TRANSACTION_END, t, NULL, 1, how);
}

START_TEST(test_txn_isolation_commit_abort)
{
	int a = raw_open(), b = raw_open();
	uint32_t t = tstart(a);

	ck_assert_uint_ne(t, 0);
	OK(xs_req(a, XS_WRITE, t, NULL, 2, "/tx/x", "1"));
	OK(xs_req(a, XS_READ, t, buf, 1, "/tx/x"));
	ck_assert_str_eq(buf, "1");
	ERR(R(b, "/tx/x"), ENOENT);	/* invisible until commit */
	OK(tend(a, t, "T"));
	OK(R(b, "/tx/x"));
	t = tstart(a);
	OK(xs_req(a, XS_RM, t, NULL, 1, "/tx"));
	ERR(xs_req(a, XS_READ, t, buf, 1, "/tx/x"), ENOENT);
	OK(R(b, "/tx/x"));
	OK(tend(a, t, "F"));		/* abort */
	OK(R(b, "/tx/x"));
	raw_close(b);
	raw_close(a);
}
END_TEST

START_TEST(test_txn_conflict)
{
	int a = raw_open(), b = raw_open();
	uint32_t t;

	OK(W(a, "/c/x", "0"));
	t = tstart(a);
	OK(xs_req(a, XS_READ, t, buf, 1, "/c/x"));
	OK(xs_req(a, XS_WRITE, t, NULL, 2, "/c/y", "1"));
	OK(W(b, "/c/x", "changed"));	/* touches what t read */
	ERR(tend(a, t, "T"), EAGAIN);
	ERR(R(b, "/c/y"), ENOENT);	/* nothing applied */
	/* The id is gone after END. */
	ERR(tend(a, t, "T"), ENOENT);
	/* Retry succeeds. */
	t = tstart(a);
	OK(xs_req(a, XS_READ, t, buf, 1, "/c/x"));
	OK(xs_req(a, XS_WRITE, t, NULL, 2, "/c/y", "1"));
	OK(tend(a, t, "T"));
	OK(R(b, "/c/y"));
	raw_close(b);
	raw_close(a);
}
END_TEST

START_TEST(test_txn_no_conflict)
{
	int a = raw_open(), b = raw_open();
	uint32_t ta, tb;

	OK(W(a, "/n/x", "0"));
	OK(W(a, "/n/y", "0"));
	ta = tstart(a);
	tb = tstart(b);
	OK(xs_req(a, XS_WRITE, ta, NULL, 2, "/n/x", "a"));
	OK(xs_req(b, XS_WRITE, tb, NULL, 2, "/n/y", "b"));
	OK(W(a, "/elsewhere", "z"));	/* unrelated change */
	OK(tend(a, ta, "T"));
	OK(tend(b, tb, "T"));
	OK(R(a, "/n/x"));
	ck_assert_str_eq(buf, "a");
	OK(R(a, "/n/y"));
	ck_assert_str_eq(buf, "b");
	raw_close(b);
	raw_close(a);
}
END_TEST

START_TEST(test_txn_errors)
{
	int a = raw_open();
	uint32_t t;

	ERR(xs_req(a, XS_READ, 999, buf, 1, "/"), ENOENT);
	ERR(tend(a, 0, "T"), ENOENT);
	t = tstart(a);
	ERR(tend(a, t, "X"), EINVAL);
	ERR(xs_req(a, XS_TRANSACTION_START, t, buf, 1, ""), EBUSY);
	OK(tend(a, t, "F"));
	/* Ids belong to their connection. */
	t = tstart(a);
	{
		int b = raw_open();

		ERR(tend(b, t, "T"), ENOENT);
		raw_close(b);
	}
	OK(tend(a, t, "T"));
	raw_close(a);
}
END_TEST

START_TEST(test_txn_watch_at_commit)
{
	int a = raw_open(), w = raw_open();
	uint32_t t;

	OK(WATCH(w, "/tw", "tok"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));	/* initial */
	t = tstart(a);
	OK(xs_req(a, XS_WRITE, t, NULL, 2, "/tw/x", "1"));
	ck_assert(!raw_event(w, ev_path, ev_tok, 200));
	OK(tend(a, t, "T"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "/tw/x");
	raw_close(w);
	raw_close(a);
}
END_TEST

START_TEST(test_lib_txn_retry)
{
	struct hvxs *h = lib_open(), *h2 = lib_open();
	hvxs_tx_t t;
	int tries = 0;
	char *v;

	OK(hvxs_write(h, 0, "/lt/x", "0", 1));
	do {
		t = hvxs_transaction_start(h);
		ck_assert_uint_ne(t, 0);
		v = hvxs_read(h, t, "/lt/x", NULL);
		free(v);
		if (tries++ == 0)
			OK(hvxs_write(h2, 0, "/lt/x", "other", 5));
		OK(hvxs_write(h, t, "/lt/x", "mine", 4));
	} while (hvxs_transaction_end(h, t, false) && errno == EAGAIN);
	ck_assert_int_eq(tries, 2);
	v = hvxs_read(h, 0, "/lt/x", NULL);
	ck_assert_str_eq(v, "mine");
	free(v);
	hvxs_close(h2);
	hvxs_close(h);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Watches                                                           */

START_TEST(test_watch_basic)
{
	int a = raw_open(), w = raw_open();

	OK(WATCH(w, "/wb", "t1"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "/wb");
	ck_assert_str_eq(ev_tok, "t1");
	OK(W(a, "/wb/child/grand", "x"));	/* below: fires */
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "/wb/child/grand");
	OK(W(a, "/wbx", "x"));			/* sibling prefix: no */
	OK(MK(a, "/other"));
	ck_assert(!raw_event(w, ev_path, ev_tok, 200));
	OK(SETP(a, 0, "/wb", "n0 r1"));		/* perms change fires */
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "/wb");
	ERR(WATCH(w, "/wb", "t1"), EEXIST);
	OK(WATCH(w, "/wb", "t2"));		/* other token: fine */
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	OK(xs_req(w, XS_UNWATCH, 0, NULL, 2, "/wb", "t1"));
	ERR(xs_req(w, XS_UNWATCH, 0, NULL, 2, "/wb", "t1"), ENOENT);
	OK(W(a, "/wb", "v"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_tok, "t2");
	ck_assert(!raw_event(w, ev_path, ev_tok, 200));
	raw_close(w);
	raw_close(a);
}
END_TEST

START_TEST(test_watch_rm_parent)
{
	int a = raw_open(), w = raw_open();

	OK(W(a, "/rp/sub/leaf", "x"));
	OK(WATCH(w, "/rp/sub/leaf", "t"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	OK(RM(a, "/rp"));
	/* Removing a parent reports the watched path itself. */
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "/rp/sub/leaf");
	/* A watch on a non-existent path is legal and fires once. */
	OK(WATCH(w, "/not/yet", "n"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	OK(MK(a, "/not/yet"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "/not/yet");
	raw_close(w);
	raw_close(a);
}
END_TEST

START_TEST(test_watch_depth_and_relative)
{
	int d0 = raw_open(), d5;

	OK(xs_req(d0, XS_WATCH, 0, NULL, 3, "/dp", "d0", "0"));
	ck_assert(raw_event(d0, ev_path, ev_tok, 1000));
	OK(xs_req(d0, XS_WATCH, 0, NULL, 3, "/dp", "d1", "1"));
	ck_assert(raw_event(d0, ev_path, ev_tok, 1000));
	OK(W(d0, "/dp/a/b", "x"));	/* two levels: neither */
	OK(W(d0, "/dp/c", "x"));	/* one level: d1 only */
	ck_assert(raw_event(d0, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "/dp/c");
	ck_assert_str_eq(ev_tok, "d1");
	OK(W(d0, "/dp", "x"));		/* the node: both */
	ck_assert(raw_event(d0, ev_path, ev_tok, 1000));
	ck_assert(raw_event(d0, ev_path, ev_tok, 1000));
	ck_assert(!raw_event(d0, ev_path, ev_tok, 200));
	ERR(xs_req(d0, XS_WATCH, 0, NULL, 3, "/dp", "bad", "-1"), EINVAL);

	/* Relative watches get relative paths. */
	OK(MK(d0, "/local/domain/5/device"));
	OK(SETP(d0, 0, "/local/domain/5", "n5"));
	OK(SETP(d0, 0, "/local/domain/5/device", "n5"));
	d5 = raw_open_as(5);
	OK(WATCH(d5, "device", "rel"));
	ck_assert(raw_event(d5, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "device");
	OK(W(d0, "/local/domain/5/device/vbd", "1"));
	ck_assert(raw_event(d5, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "device/vbd");
	raw_close(d5);
	raw_close(d0);
}
END_TEST

START_TEST(test_watch_permission_filter)
{
	int d0 = raw_open(), d5;

	OK(MK(d0, "/wp/secret"));
	OK(MK(d0, "/wp/open"));
	OK(SETP(d0, 0, "/wp", "n0 r5"));
	OK(SETP(d0, 0, "/wp/open", "n0 r5"));
	OK(SETP(d0, 0, "/wp/secret", "n0"));
	d5 = raw_open_as(5);
	OK(WATCH(d5, "/wp", "t"));
	ck_assert(raw_event(d5, ev_path, ev_tok, 1000));
	OK(W(d0, "/wp/secret/inner", "x"));	/* unreadable, parent too */
	ck_assert(!raw_event(d5, ev_path, ev_tok, 200));
	OK(W(d0, "/wp/open", "x"));
	ck_assert(raw_event(d5, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "/wp/open");
	raw_close(d5);
	raw_close(d0);
}
END_TEST

START_TEST(test_watch_special)
{
	int d0 = raw_open(), w = raw_open(), d5;

	OK(WATCH(w, "@introduceDomain", "i"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	OK(WATCH(w, "@releaseDomain", "r"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	OK(xs_req(w, XS_WATCH, 0, NULL, 3, "@releaseDomain", "rd", "1"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	d5 = raw_open_as(5);
	OK(WATCH(d5, "@releaseDomain", "r5"));	/* legal, but no rights */
	ck_assert(raw_event(d5, ev_path, ev_tok, 1000));

	intro(d0, 3);
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "@introduceDomain");
	ck_assert_str_eq(ev_tok, "i");
	/* Writes never match special watches. */
	OK(W(d0, "/x", "1"));
	ck_assert(!raw_event(w, ev_path, ev_tok, 200));

	OK(xs_req(d0, XS_RELEASE, 0, NULL, 1, "3"));
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "@releaseDomain");
	ck_assert(raw_event(w, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "@releaseDomain/3");
	ck_assert_str_eq(ev_tok, "rd");
	ck_assert(!raw_event(d5, ev_path, ev_tok, 200));

	/* Granting read on the special node lets domain 5 see them. */
	OK(SETP(d0, 0, "@releaseDomain", "n0 r5"));
	intro(d0, 4);
	OK(xs_req(d0, XS_RELEASE, 0, NULL, 1, "4"));
	ck_assert(raw_event(d5, ev_path, ev_tok, 1000));
	ck_assert_str_eq(ev_path, "@releaseDomain");
	raw_close(d5);
	raw_close(w);
	raw_close(d0);
}
END_TEST

START_TEST(test_lib_watch_fd)
{
	struct hvxs *h = lib_open(), *h2 = lib_open();
	char **vec;
	int fd = hvxs_fileno(h);
	char byte;

	ck_assert_int_ge(fd, 0);
	OK(hvxs_watch(h, "/lw", "tok"));
	vec = hvxs_read_watch(h, NULL);
	ck_assert_str_eq(vec[HVXS_WATCH_PATH], "/lw");
	ck_assert_str_eq(vec[HVXS_WATCH_TOKEN], "tok");
	free(vec);
	OK(hvxs_write(h2, 0, "/lw/a", "1", 1));
	/* The fd becomes readable and the event is there. */
	ck_assert_int_eq(read(fd, &byte, 0), 0);
	vec = hvxs_read_watch(h, NULL);
	ck_assert_str_eq(vec[HVXS_WATCH_PATH], "/lw/a");
	free(vec);
	/* Requests still work while the reader thread runs. */
	vec = (char **)hvxs_read(h, 0, "/lw/a", NULL);
	ck_assert_str_eq((char *)vec, "1");
	free(vec);
	ck_assert_ptr_null(hvxs_check_watch(h));
	ck_assert_int_eq(errno, EAGAIN);
	hvxs_close(h2);
	hvxs_close(h);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Domains                                                           */

START_TEST(test_domain_lifecycle)
{
	int d0 = raw_open(), d5;

	OK(xs_req(d0, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "5"));
	ck_assert_str_eq(buf, "F");
	intro(d0, 5);
	OK(xs_req(d0, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "5"));
	ck_assert_str_eq(buf, "T");
	intro(d0, 5);			/* again: rebinding, fine */
	OK(xs_req(d0, XS_GET_DOMAIN_PATH, 0, buf, 1, "5"));
	ck_assert_str_eq(buf, "/local/domain/5");

	/* Nodes owned by 5 go with it; its entries leave other lists. */
	OK(MK(d0, "/local/domain/5"));
	OK(SETP(d0, 0, "/local/domain/5", "n0 r5"));
	OK(MK(d0, "/local/domain/5/device"));
	OK(SETP(d0, 0, "/local/domain/5/device", "n5"));
	d5 = raw_open_as(5);
	OK(W(d5, "device/vbd/768/state", "1"));
	OK(W(d0, "/shared", "x"));
	OK(SETP(d0, 0, "/shared", "n0 r5 r6"));
	OK(xs_req(d0, XS_RESUME, 0, NULL, 1, "5"));
	OK(xs_req(d0, XS_RELEASE, 0, NULL, 1, "5"));
	ERR(R(d0, "/local/domain/5/device"), ENOENT);
	OK(R(d0, "/local/domain/5"));
	ck_assert_str_eq(GETP(d0, "/local/domain/5"), "n0");
	ck_assert_str_eq(GETP(d0, "/shared"), "n0 r6");
	OK(xs_req(d0, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "5"));
	ck_assert_str_eq(buf, "F");
	ERR(xs_req(d0, XS_RELEASE, 0, NULL, 1, "5"), ENOENT);
	ERR(xs_req(d0, XS_RESUME, 0, NULL, 1, "5"), ENOENT);
	ERR(xs_req(d0, XS_RELEASE, 0, NULL, 1, "0"), EINVAL);
	raw_close(d5);
	raw_close(d0);
}
END_TEST

START_TEST(test_domain_bad_args)
{
	int d0 = raw_open();

	ERR(xs_req(d0, XS_INTRODUCE, 0, NULL, 3, "0", "1", "2"), EINVAL);
	ERR(xs_req(d0, XS_INTRODUCE, 0, NULL, 3, "32752", "1", "2"), EINVAL);
	ERR(xs_req(d0, XS_INTRODUCE, 0, NULL, 3, "x", "1", "2"), EINVAL);
	ERR(xs_req(d0, XS_INTRODUCE, 0, NULL, 3, "5", "1", "0"), EINVAL);
	ERR(xs_req(d0, XS_INTRODUCE, 0, NULL, 2, "5", "1"), EINVAL);
	ERR(xs_req(d0, XS_INTRODUCE, 0, NULL, 3, "70000", "1", "2"), EINVAL);
	ERR(xs_req(d0, XS_GET_DOMAIN_PATH, 0, buf, 1, "-1"), EINVAL);
	ERR(xs_req(d0, XS_GET_DOMAIN_PATH, 0, buf, 0), EINVAL);
	ERR(xs_req(d0, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, ""), EINVAL);
	OK(xs_req(d0, XS_IS_DOMAIN_INTRODUCED, 0, buf, 1, "32752"));
	ck_assert_str_eq(buf, "T");	/* DOMID_SELF */
	raw_close(d0);
}
END_TEST

START_TEST(test_reset_watches)
{
	int d0 = raw_open(), a = raw_open();
	uint32_t t;

	OK(WATCH(a, "/rw", "t"));
	ck_assert(raw_event(a, ev_path, ev_tok, 1000));
	t = tstart(a);
	OK(xs_req(a, XS_RESET_WATCHES, 0, NULL, 1, ""));
	OK(W(d0, "/rw", "x"));
	ck_assert(!raw_event(a, ev_path, ev_tok, 200));
	ERR(tend(a, t, "T"), ENOENT);	/* transactions went too */
	raw_close(a);
	raw_close(d0);
}
END_TEST

START_TEST(test_features_quota_msgs)
{
	int d0 = raw_open();

	OK(xs_req(d0, XS_GET_FEATURE, 0, buf, 0));
	ck_assert_str_eq(buf, "14");	/* error, depth, DOMID_ANY */
	ERR(xs_req(d0, XS_GET_FEATURE, 0, buf, 1, "8"), ENOENT);
	OK(xs_req(d0, XS_SET_FEATURE, 0, NULL, 2, "8", "4"));
	OK(xs_req(d0, XS_GET_FEATURE, 0, buf, 1, "8"));
	ck_assert_str_eq(buf, "4");
	ERR(xs_req(d0, XS_SET_FEATURE, 0, NULL, 2, "8", "1"), EINVAL);
	intro(d0, 8);
	ERR(xs_req(d0, XS_SET_FEATURE, 0, NULL, 2, "8", "4"), EBUSY);

	OK(xs_req(d0, XS_GET_QUOTA, 0, buf, 0));
	ck_assert(strstr(buf, "nodes") && strstr(buf, "node-size"));
	OK(xs_req(d0, XS_GET_QUOTA, 0, buf, 1, "nodes"));
	ck_assert_str_eq(buf, "1000");
	OK(xs_req(d0, XS_SET_QUOTA, 0, NULL, 3, "8", "nodes", "7"));
	OK(xs_req(d0, XS_GET_QUOTA, 0, buf, 2, "8", "nodes"));
	ck_assert_str_eq(buf, "7");
	ERR(xs_req(d0, XS_GET_QUOTA, 0, buf, 1, "bogus"), EINVAL);
	ERR(xs_req(d0, XS_SET_QUOTA, 0, NULL, 2, "nodes", "x"), EINVAL);
	raw_close(d0);
}
END_TEST

START_TEST(test_control)
{
	int d0 = raw_open();
	char tracefile[300];

	OK(xs_req(d0, XS_CONTROL, 0, buf, 1, "help"));
	ck_assert(strstr(buf, "as-domain"));
	OK(xs_req(d0, XS_CONTROL, 0, buf, 1, "log"));
	ck_assert_str_eq(buf, "error");
	OK(xs_req(d0, XS_CONTROL, 0, NULL, 2, "log", "warning"));
	OK(xs_req(d0, XS_CONTROL, 0, buf, 1, "log"));
	ck_assert_str_eq(buf, "warning");
	ERR(xs_req(d0, XS_CONTROL, 0, NULL, 2, "log", "loud"), EINVAL);
	OK(xs_req(d0, XS_CONTROL, 0, buf, 1, "quota"));
	ck_assert(strstr(buf, "transaction-nodes"));
	OK(xs_req(d0, XS_CONTROL, 0, NULL, 4, "quota", "set", "nodes", "50"));
	OK(xs_req(d0, XS_GET_QUOTA, 0, buf, 1, "nodes"));
	ck_assert_str_eq(buf, "50");
	OK(xs_req(d0, XS_CONTROL, 0, buf, 2, "quota", "max"));
	ERR(xs_req(d0, XS_CONTROL, 0, buf, 2, "quota", "77"), ENOENT);
	OK(xs_req(d0, XS_CONTROL, 0, buf, 1, "memreport"));
	ck_assert(strstr(buf, "nodes"));
	OK(xs_req(d0, XS_CONTROL, 0, NULL, 2, "print", "hello"));
	ERR(xs_req(d0, XS_CONTROL, 0, NULL, 1, "frobnicate"), EINVAL);
	ERR(xs_req(d0, XS_CONTROL, 0, NULL, 0), EINVAL);
	/* Start a trace at run time and see a request in it. */
	snprintf(tracefile, sizeof(tracefile), "%s/trace", daemon_dir);
	OK(xs_req(d0, XS_CONTROL, 0, NULL, 2, "trace", tracefile));
	OK(W(d0, "/traced", "x"));
	OK(xs_req(d0, XS_CONTROL, 0, NULL, 2, "trace", "off"));
	{
		FILE *fp = fopen(tracefile, "r");
		char line[512];
		bool seen = false;

		ck_assert_ptr_nonnull(fp);
		while (fgets(line, sizeof(line), fp))
			if (strstr(line, "IN") && strstr(line, "/traced"))
				seen = true;
		fclose(fp);
		ck_assert(seen);
	}
	raw_close(d0);
}
END_TEST

/* ---------------------------------------------------------------- */
/* Quotas (each daemon started with a small limit)                    */

static int dom5_home(void)
{
	int d0 = raw_open();

	OK(MK(d0, "/local/domain/5"));
	OK(SETP(d0, 0, "/local/domain/5", "n5"));
	raw_close(d0);
	return raw_open_as(5);
}

START_TEST(test_quota_nodes)
{
	const char *args[] = { "-E", "4", NULL };
	int d5, d0;

	daemon_start(args);
	d5 = dom5_home();		/* owns its home: 1 node */
	OK(W(d5, "a", "1"));
	OK(W(d5, "b", "1"));
	OK(W(d5, "c", "1"));
	ERR(W(d5, "d", "1"), ENOSPC);
	ERR(W(d5, "x/y", "1"), ENOSPC);
	OK(W(d5, "a", "rewrite is fine"));
	OK(RM(d5, "a"));
	OK(W(d5, "d", "1"));		/* freed a slot */
	d0 = raw_open();
	OK(W(d0, "/local/domain/5/byzero/x", "1"));	/* dom0: no quota */
	raw_close(d0);
	raw_close(d5);
	teardown();
}
END_TEST

START_TEST(test_quota_node_size)
{
	const char *args[] = { "-S", "100", NULL };
	char big[200];
	int d5;

	daemon_start(args);
	d5 = dom5_home();
	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	big[60] = '\0';
	OK(W(d5, "v", big));
	big[60] = 'x';
	ERR(W(d5, "v", big), ENOSPC);
	OK(R(d5, "v"));
	ck_assert_int_eq(strlen(buf), 60);
	raw_close(d5);
	teardown();
}
END_TEST

START_TEST(test_quota_watches)
{
	const char *args[] = { "-W", "2", NULL };
	int d5, d0;

	daemon_start(args);
	d5 = raw_open_as(5);
	OK(WATCH(d5, "/a", "1"));
	OK(WATCH(d5, "/b", "1"));
	ERR(WATCH(d5, "/c", "1"), ENOSPC);
	OK(xs_req(d5, XS_UNWATCH, 0, NULL, 2, "/a", "1"));
	OK(WATCH(d5, "/c", "1"));
	d0 = raw_open();
	OK(WATCH(d0, "/a", "1"));
	OK(WATCH(d0, "/b", "1"));
	OK(WATCH(d0, "/c", "1"));	/* dom0 unlimited */
	raw_close(d0);
	raw_close(d5);
	teardown();
}
END_TEST

START_TEST(test_quota_transactions)
{
	const char *args[] = { "-t", "2", NULL };
	int d5;
	uint32_t t1, t2;

	daemon_start(args);
	d5 = raw_open_as(5);
	t1 = tstart(d5);
	t2 = tstart(d5);
	ERR(xs_req(d5, XS_TRANSACTION_START, 0, buf, 1, ""), ENOSPC);
	OK(tend(d5, t1, "F"));
	t1 = tstart(d5);
	OK(tend(d5, t1, "F"));
	OK(tend(d5, t2, "F"));
	raw_close(d5);
	teardown();
}
END_TEST

START_TEST(test_quota_perms_and_path)
{
	const char *args[] = { "-A", "2", "-M", "20", NULL };
	int d5;

	daemon_start(args);
	d5 = dom5_home();
	OK(W(d5, "p", "1"));
	OK(SETP(d5, 0, "/local/domain/5/p", "n5 r6"));
	ERR(SETP(d5, 0, "/local/domain/5/p", "n5 r6 r7"), ENOSPC);
	/* path-max counts below /local/domain/5/. */
	OK(W(d5, "0123456789/01234567", "1"));		/* 19 */
	ERR(W(d5, "0123456789/0123456789", "1"), EINVAL);	/* 21 */
	raw_close(d5);
	teardown();
}
END_TEST

START_TEST(test_quota_transaction_nodes)
{
	const char *args[] = { "-Q", "transaction-nodes=5", NULL };
	char p[32];
	uint32_t t;
	int d5, i, rc = 0;

	daemon_start(args);
	d5 = dom5_home();
	t = tstart(d5);
	for (i = 0; i < 10 && !rc; i++) {
		snprintf(p, sizeof(p), "n%d", i);
		rc = xs_req(d5, XS_WRITE, t, NULL, 2, p, "1");
	}
	ck_assert_int_eq(rc, -ENOSPC);
	OK(tend(d5, t, "F"));
	raw_close(d5);
	teardown();
}
END_TEST

/* Outstanding: a pipelining domain is throttled, not failed; others
 * keep being served meanwhile. */
START_TEST(test_quota_outstanding)
{
	const char *args[] = { "-Q", "outstanding=2", NULL };
	struct xsd_sockmsg h;
	int d5, d0, i;

	daemon_start(args);
	d5 = raw_open_as(5);
	for (i = 0; i < 200; i++)
		ck_assert_int_eq(raw_send(d5, XS_GET_DOMAIN_PATH, 1000 + i, 0,
					  "5", 2), 0);
	d0 = raw_open();
	OK(W(d0, "/alive", "1"));
	for (i = 0; i < 200; i++) {
		ck_assert_int_eq(raw_recv(d5, &h, buf, 5000),
				 XS_GET_DOMAIN_PATH);
		ck_assert_uint_eq(h.req_id, 1000 + i);	/* in order */
	}
	raw_close(d0);
	raw_close(d5);
	teardown();
}
END_TEST

/* ---------------------------------------------------------------- */
/* Bad input: every case leaves the daemon serving other clients.      */

static void still_serving(void)
{
	int fd = raw_open();

	OK(W(fd, "/still", "ok"));
	OK(R(fd, "/still"));
	raw_close(fd);
	ck_assert(daemon_alive());
}

START_TEST(test_bad_types)
{
	static const uint32_t bad[] = { XS_WATCH_EVENT, XS_ERROR, 20, 27,
					99, XS_INVALID, 0xffffffffu };
	int fd = raw_open();
	uint32_t len;
	unsigned int i;

	for (i = 0; i < sizeof(bad) / sizeof(bad[0]); i++) {
		ck_assert_int_eq(raw_call(fd, bad[i], 0, "/\0", 2, buf, &len),
				 XS_ERROR);
		ck_assert_str_eq(buf, "ENOSYS");
	}
	OK(R(fd, "/"));			/* same connection still fine */
	raw_close(fd);
	still_serving();
}
END_TEST

START_TEST(test_bad_oversize)
{
	int fd = raw_open();
	struct xsd_sockmsg h = { XS_WRITE, 1, 0, 4097 };
	struct xsd_sockmsg rh;

	ck_assert_int_eq(send(fd, &h, sizeof(h), 0), (ssize_t)sizeof(h));
	/* The connection is dropped without a reply. */
	ck_assert_int_eq(raw_recv(fd, &rh, buf, 2000), -1);
	raw_close(fd);
	still_serving();
	/* A maximal legal payload is fine; a too-long path is EINVAL. */
	fd = raw_open();
	memset(buf, 'a', 4096);
	buf[0] = '/';
	buf[4095] = '\0';
	ck_assert_int_eq(raw_call(fd, XS_READ, 0, buf, 4096, buf, NULL),
			 XS_ERROR);
	ck_assert_str_eq(buf, "EINVAL");
	raw_close(fd);
}
END_TEST

START_TEST(test_bad_payloads)
{
	static const char *const bad_paths[] = {
		"", "//", "/a//b", "/a/", "/a b", "/a\x01", "/ä", "@x",
		"/a\\b", "/a.b",
	};
	int fd = raw_open();
	uint32_t len;
	unsigned int i;
	int t;

	OK(W(fd, "/ok", "1"));
	for (i = 0; i < sizeof(bad_paths) / sizeof(bad_paths[0]); i++) {
		ERR(R(fd, bad_paths[i]), EINVAL);
		ERR(W(fd, bad_paths[i], "x"), EINVAL);
		ERR(MK(fd, bad_paths[i]), EINVAL);
		ERR(RM(fd, bad_paths[i]), EINVAL);
	}
	/* Missing NUL terminator, extra strings, empty payloads. */
	for (t = 0; t < XS_TYPE_COUNT + 2; t++) {
		ck_assert_int_ge(raw_call(fd, (uint32_t)t, 0, "/ok", 3, buf,
					  &len), 0);
		ck_assert_int_ge(raw_call(fd, (uint32_t)t, 0, "", 0, buf,
					  &len), 0);
		ck_assert_int_ge(raw_call(fd, (uint32_t)t, 0, "/ok\0x\0y", 8,
					  buf, &len), 0);
	}
	ck_assert_int_eq(raw_call(fd, XS_READ, 0, "/ok", 3, buf, &len),
			 XS_ERROR);
	ck_assert_str_eq(buf, "EINVAL");
	ck_assert_int_eq(raw_call(fd, XS_READ, 0, "/ok\0/ok\0", 8, buf, &len),
			 XS_ERROR);
	ck_assert_int_eq(raw_call(fd, XS_WRITE, 0, "/nonul", 6, buf, &len),
			 XS_ERROR);
	ck_assert_str_eq(buf, "EINVAL");
	raw_close(fd);
	still_serving();
}
END_TEST

START_TEST(test_bad_garbage_and_truncation)
{
	unsigned int seed = 12345, i, j;
	char junk[8192];
	int fd;

	/* Random bytes: the daemon answers or drops, never dies. */
	for (i = 0; i < 20; i++) {
		fd = raw_open();
		for (j = 0; j < sizeof(junk); j++)
			junk[j] = (char)rand_r(&seed);
		if (send(fd, junk, 16 + rand_r(&seed) % 8000,
			 MSG_NOSIGNAL) < 0) {
			/* dropped early: fine */
		}
		raw_close(fd);
	}
	/* Half a header, half a payload, then hang up. */
	fd = raw_open();
	ck_assert_int_eq(send(fd, "\x02\0\0\0\1\0", 6, 0), 6);
	raw_close(fd);
	fd = raw_open();
	{
		struct xsd_sockmsg h = { XS_WRITE, 1, 0, 100 };

		ck_assert_int_eq(send(fd, &h, sizeof(h), 0), (ssize_t)sizeof(h));
		ck_assert_int_eq(send(fd, "/half", 5, 0), 5);
	}
	raw_close(fd);
	still_serving();
}
END_TEST

START_TEST(test_bad_domain_client)
{
	int d5 = raw_open_as(5), fd;
	struct xsd_sockmsg h = { XS_READ, 1, 0, 5000 };
	struct xsd_sockmsg rh;

	/* A domain sending oversize is cut off, others carry on. */
	ck_assert_int_eq(send(d5, &h, sizeof(h), 0), (ssize_t)sizeof(h));
	ck_assert_int_eq(raw_recv(d5, &rh, buf, 2000), -1);
	raw_close(d5);
	fd = raw_open_as(5);
	ERR(R(fd, "/"), EACCES);
	raw_close(fd);
	still_serving();
}
END_TEST

static Suite *daemon_suite(void)
{
	Suite *s = suite_create("xenstored");
	TCase *tc = tcase_create("protocol");
	TCase *tq = tcase_create("quotas");

	tcase_add_checked_fixture(tc, setup, teardown);
	tcase_set_timeout(tc, 20);
	tcase_add_test(tc, test_read_write);
	tcase_add_test(tc, test_mkdir_rm);
	tcase_add_test(tc, test_directory);
	tcase_add_test(tc, test_directory_part);
	tcase_add_test(tc, test_get_set_perms);
	tcase_add_test(tc, test_perm_read_write_letters);
	tcase_add_test(tc, test_perm_owner_and_errno_hiding);
	tcase_add_test(tc, test_perm_inheritance);
	tcase_add_test(tc, test_perm_owner_change);
	tcase_add_test(tc, test_perm_target);
	tcase_add_test(tc, test_perm_privileged_ops);
	tcase_add_test(tc, test_relative_paths);
	tcase_add_test(tc, test_txn_isolation_commit_abort);
	tcase_add_test(tc, test_txn_conflict);
	tcase_add_test(tc, test_txn_no_conflict);
	tcase_add_test(tc, test_txn_errors);
	tcase_add_test(tc, test_txn_watch_at_commit);
	tcase_add_test(tc, test_lib_txn_retry);
	tcase_add_test(tc, test_watch_basic);
	tcase_add_test(tc, test_watch_rm_parent);
	tcase_add_test(tc, test_watch_depth_and_relative);
	tcase_add_test(tc, test_watch_permission_filter);
	tcase_add_test(tc, test_watch_special);
	tcase_add_test(tc, test_lib_watch_fd);
	tcase_add_test(tc, test_domain_lifecycle);
	tcase_add_test(tc, test_domain_bad_args);
	tcase_add_test(tc, test_reset_watches);
	tcase_add_test(tc, test_features_quota_msgs);
	tcase_add_test(tc, test_control);
	tcase_add_test(tc, test_bad_types);
	tcase_add_test(tc, test_bad_oversize);
	tcase_add_test(tc, test_bad_payloads);
	tcase_add_test(tc, test_bad_garbage_and_truncation);
	tcase_add_test(tc, test_bad_domain_client);
	suite_add_tcase(s, tc);

	tcase_set_timeout(tq, 20);
	tcase_add_test(tq, test_quota_nodes);
	tcase_add_test(tq, test_quota_node_size);
	tcase_add_test(tq, test_quota_watches);
	tcase_add_test(tq, test_quota_transactions);
	tcase_add_test(tq, test_quota_perms_and_path);
	tcase_add_test(tq, test_quota_transaction_nodes);
	tcase_add_test(tq, test_quota_outstanding);
	suite_add_tcase(s, tq);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(daemon_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
