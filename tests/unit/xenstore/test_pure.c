/*
 * test_pure.c - the daemon's pure logic, linked straight from its
 * objects: path rules, permission parsing and checks, the ring buffer
 * on an in-memory page, the hash table.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>

#include "htab.h"
#include "path.h"
#include "perms.h"
#include "ring.h"

static char *canon(const char *in, unsigned int domid, bool special,
		   size_t max, int *rc, bool *rel)
{
	char *out = NULL;

	*rc = path_canonical(in, domid, special, max, &out, rel);
	return out;
}

START_TEST(test_path_canonical)
{
	bool rel;
	int rc;
	char *p;
	char longp[4000];

	p = canon("/a/b", 3, false, 0, &rc, &rel);
	ck_assert_int_eq(rc, 0);
	ck_assert_str_eq(p, "/a/b");
	ck_assert(!rel);
	free(p);
	p = canon("device/vbd", 3, false, 0, &rc, &rel);
	ck_assert_str_eq(p, "/local/domain/3/device/vbd");
	ck_assert(rel);
	free(p);
	p = canon("/", 0, false, 0, &rc, &rel);
	ck_assert_str_eq(p, "/");
	free(p);
	p = canon("@releaseDomain", 0, true, 0, &rc, &rel);
	ck_assert_str_eq(p, "@releaseDomain");
	free(p);
	ck_assert_ptr_null(canon("@releaseDomain", 0, false, 0, &rc, &rel));
	ck_assert_int_eq(rc, -EINVAL);
	ck_assert_ptr_null(canon("", 0, false, 0, &rc, &rel));
	ck_assert_ptr_null(canon(NULL, 0, false, 0, &rc, &rel));
	ck_assert_ptr_null(canon("/a//b", 0, false, 0, &rc, &rel));
	ck_assert_ptr_null(canon("/a/", 0, false, 0, &rc, &rel));
	ck_assert_ptr_null(canon("/a b", 0, false, 0, &rc, &rel));
	ck_assert_ptr_null(canon("/a.b", 0, false, 0, &rc, &rel));
	ck_assert_ptr_null(canon("a/", 3, false, 0, &rc, &rel));
	ck_assert_int_eq(rc, -EINVAL);
	/* Absolute limit, and the path-max quota below the home. */
	memset(longp, 'a', sizeof(longp));
	longp[0] = '/';
	longp[3073] = '\0';
	ck_assert_ptr_null(canon(longp, 0, false, 0, &rc, &rel));
	longp[3072] = '\0';
	p = canon(longp, 0, false, 0, &rc, &rel);
	ck_assert_ptr_nonnull(p);
	free(p);
	p = canon("/local/domain/7/0123456789", 7, false, 10, &rc, &rel);
	ck_assert_ptr_nonnull(p);
	free(p);
	ck_assert_ptr_null(canon("/local/domain/7/0123456789a", 7, false, 10,
				 &rc, &rel));
	ck_assert_ptr_null(canon("/elsewhere/0123456", 7, false, 10, &rc,
				 &rel));
}
END_TEST

START_TEST(test_path_helpers)
{
	char *p;

	ck_assert(path_is_child("/a/b", "/a", -1));
	ck_assert(path_is_child("/a", "/a", 0));
	ck_assert(!path_is_child("/ab", "/a", -1));
	ck_assert(path_is_child("/x/y", "/", -1));
	ck_assert(path_is_child("/x", "/", 1));
	ck_assert(!path_is_child("/x/y", "/", 1));
	ck_assert(path_is_child("/a/b", "/a", 1));
	ck_assert(!path_is_child("/a/b/c", "/a", 1));
	ck_assert(path_is_child("/a/b/c", "/a", 2));
	ck_assert(!path_is_child("/a/b", "/a", 0));
	ck_assert(path_is_child("@releaseDomain/3", "@releaseDomain", 1));
	p = path_parent("/a/b");
	ck_assert_str_eq(p, "/a");
	free(p);
	p = path_parent("/a");
	ck_assert_str_eq(p, "/");
	free(p);
	ck_assert_ptr_null(path_parent("/"));
	ck_assert_str_eq(path_basename("/a/b"), "b");
	p = path_join("/", "x");
	ck_assert_str_eq(p, "/x");
	free(p);
	p = path_join("/a", "x");
	ck_assert_str_eq(p, "/a/x");
	free(p);
}
END_TEST

START_TEST(test_perm_parse_format)
{
	struct xs_perm p, l[3];
	char buf[16];

	ck_assert_int_eq(perm_parse("r5", &p), 0);
	ck_assert_uint_eq(p.domid, 5);
	ck_assert_uint_eq(p.access, XS_PERM_READ);
	ck_assert_int_eq(perm_parse("b65535", &p), 0);
	ck_assert_uint_eq(p.access, XS_PERM_READ | XS_PERM_WRITE);
	ck_assert_int_eq(perm_parse("n0", &p), 0);
	ck_assert_int_eq(perm_parse("w12", &p), 0);
	ck_assert_uint_eq(p.access, XS_PERM_WRITE);
	ck_assert_int_eq(perm_parse("x5", &p), -EINVAL);
	ck_assert_int_eq(perm_parse("r", &p), -EINVAL);
	ck_assert_int_eq(perm_parse("r-1", &p), -EINVAL);
	ck_assert_int_eq(perm_parse("r65536", &p), -EINVAL);
	ck_assert_int_eq(perm_parse("r5x", &p), -EINVAL);
	ck_assert_int_eq(perm_parse("", &p), -EINVAL);
	ck_assert_int_eq(perms_parse_list("n0\0r5\0b7\0", 9, 3, l), 0);
	ck_assert_uint_eq(l[2].domid, 7);
	ck_assert_int_eq(perms_parse_list("n0\0r5", 5, 2, l), -EINVAL);
	ck_assert_int_eq(perms_parse_list("n0\0", 3, 2, l), -EINVAL);
	perm_format(&l[1], buf, sizeof(buf));
	ck_assert_str_eq(buf, "r5");
}
END_TEST

START_TEST(test_perm_access)
{
	const struct xs_perm p[] = { { 3, XS_PERM_NONE }, { 5, XS_PERM_READ },
				     { 6, XS_PERM_WRITE } };
	const struct xs_perm any[] = { { 0, XS_PERM_NONE },
				       { XS_DOMID_ANY, XS_PERM_READ } };
	const unsigned int all = XS_PERM_READ | XS_PERM_WRITE | XS_PERM_OWNER;
	struct xs_who w = { 0, XS_DOMID_INVALID, true };

	ck_assert_uint_eq(perms_access(p, 3, &w), all);	/* dom0 */
	w.privileged = false;
	w.domid = 3;
	ck_assert_uint_eq(perms_access(p, 3, &w), all);	/* owner */
	w.domid = 5;
	ck_assert_uint_eq(perms_access(p, 3, &w), XS_PERM_READ);
	w.domid = 6;
	ck_assert_uint_eq(perms_access(p, 3, &w), XS_PERM_WRITE);
	w.domid = 9;
	ck_assert_uint_eq(perms_access(p, 3, &w), XS_PERM_NONE);
	/* Target: 9 acts for 3 (the owner), or for 5. */
	w.target = 3;
	ck_assert_uint_eq(perms_access(p, 3, &w), all);
	w.target = 5;
	ck_assert_uint_eq(perms_access(p, 3, &w), XS_PERM_READ);
	w.target = XS_DOMID_INVALID;
	ck_assert_uint_eq(perms_access(any, 2, &w), XS_PERM_READ);
}
END_TEST

static struct xenstore_domain_interface page;

START_TEST(test_ring_wrap)
{
	char in[3000], out[3000];
	unsigned int i, got = 0, put = 0;
	int n;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (char)(i * 7);
	memset(&page, 0xAA, sizeof(page));	/* garbage everywhere */
	/* Indices near the u32 wrap, and not zero. */
	page.req_cons = page.req_prod = 0xfffffe00u;
	while (got < sizeof(in)) {
		n = ring_guest_write(&page, in + put, sizeof(in) - put);
		ck_assert_int_ge(n, 0);
		put += (unsigned int)n;
		ck_assert_int_le(page.req_prod - page.req_cons,
				 XENSTORE_RING_SIZE);
		/* Read in odd-sized pieces. */
		n = ring_server_read(&page, out + got, 333);
		ck_assert_int_ge(n, 0);
		got += (unsigned int)n;
	}
	ck_assert(!memcmp(in, out, sizeof(in)));
	ck_assert_int_eq(ring_server_read(&page, out, 10), 0);	/* empty */
}
END_TEST

START_TEST(test_ring_full_and_corrupt)
{
	char data[2048] = { 0 };

	memset(&page, 0, sizeof(page));
	ck_assert_int_eq(ring_server_write(&page, data, 2000), 1024);
	ck_assert_int_eq(ring_server_write(&page, data, 10), 0);  /* full */
	ck_assert_int_eq(ring_guest_read(&page, data, 24), 24);
	ck_assert_int_eq(ring_server_write(&page, data, 100), 24);
	/* A producer index too far ahead is refused both ways. */
	page.req_cons = 0;
	page.req_prod = 5000;
	ck_assert_int_eq(ring_server_read(&page, data, 10), -EIO);
	page.rsp_cons = 100;
	page.rsp_prod = 50;
	ck_assert_int_eq(ring_server_write(&page, data, 10), -EIO);
	ck_assert_int_eq(ring_avail(0, 1025), -EIO);
	ck_assert_int_eq(ring_space(0, 1024), 0);
}
END_TEST

START_TEST(test_ring_message)
{
	struct xsd_sockmsg h = { XS_READ, 9, 0, 6 }, h2;
	char body[8];

	memset(&page, 0, sizeof(page));
	page.req_prod = page.req_cons = 1020;	/* header spans the wrap */
	ck_assert_int_eq(ring_guest_write(&page, &h, sizeof(h)), 16);
	ck_assert_int_eq(ring_guest_write(&page, "/a/b\0", 6), 6);
	ck_assert_int_eq(ring_server_read(&page, &h2, sizeof(h2)), 16);
	ck_assert(!memcmp(&h, &h2, sizeof(h)));
	ck_assert_int_eq(ring_server_read(&page, body, h2.len), 6);
	ck_assert_str_eq(body, "/a/b");
}
END_TEST

START_TEST(test_htab)
{
	struct htab *h = htab_new();
	char keys[2000][8];
	int i, err;

	for (i = 0; i < 2000; i++) {
		snprintf(keys[i], sizeof(keys[i]), "k%d", i);
		ck_assert_ptr_null(htab_put(h, keys[i], keys[i], &err));
		ck_assert_int_eq(err, 0);
	}
	ck_assert_uint_eq(htab_count(h), 2000);
	for (i = 0; i < 2000; i++)
		ck_assert_ptr_eq(htab_get(h, keys[i]), keys[i]);
	ck_assert_ptr_eq(htab_del(h, "k5"), keys[5]);
	ck_assert_ptr_null(htab_get(h, "k5"));
	ck_assert_ptr_null(htab_del(h, "k5"));
	ck_assert_uint_eq(htab_count(h), 1999);
	htab_free(h);
}
END_TEST

int main(void)
{
	Suite *s = suite_create("xenstore-pure");
	TCase *tc = tcase_create("pure");
	SRunner *sr;
	int failed;

	tcase_add_test(tc, test_path_canonical);
	tcase_add_test(tc, test_path_helpers);
	tcase_add_test(tc, test_perm_parse_format);
	tcase_add_test(tc, test_perm_access);
	tcase_add_test(tc, test_ring_wrap);
	tcase_add_test(tc, test_ring_full_and_corrupt);
	tcase_add_test(tc, test_ring_message);
	tcase_add_test(tc, test_htab);
	suite_add_tcase(s, tc);
	sr = srunner_create(s);
	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? 1 : 0;
}
