/*
 * test_libhv.c - libhv on the host. A fake hypervisor (hv_backend) checks
 * what reaches it and answers as told; /dev/null stands in for a device
 * that is not privcmd. The test is linked with -Wl,--wrap=ioctl so that a
 * case can make /dev/null answer like privcmd passing on the
 * hypervisor's error.
 */
#include <check.h>
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include <public/hvctl.h>
#include <public/version.h>
#include <public/xen.h>

#include "libhv.h"

/* ---- ioctl, wrapped --------------------------------------------------- */

int __real_ioctl(int fd, unsigned long req, ...);
int __wrap_ioctl(int fd, unsigned long req, ...);

/*
 * With ioctl_errno 0 the real ioctl runs; otherwise the call is recorded
 * and fails with that errno, as privcmd does with the hypervisor's result.
 */
static int ioctl_errno;
static unsigned long ioctl_req;
static uint64_t ioctl_arg[6];		/* privcmd_hypercall: op, arg[5] */

int __wrap_ioctl(int fd, unsigned long req, ...)
{
	va_list ap;
	void *arg;

	va_start(ap, req);
	arg = va_arg(ap, void *);
	va_end(ap);
	if (!ioctl_errno)
		return __real_ioctl(fd, req, arg);
	ioctl_req = req;
	memcpy(ioctl_arg, arg, sizeof(ioctl_arg));
	errno = ioctl_errno;
	return -1;
}

/* ---- the fake hypervisor -------------------------------------------- */

#define MAX_CALLS 16

struct fake {
	struct hv_hypercall calls[MAX_CALLS];
	int ncalls;
	long version;			/* XENVER_version result */
	const char *strings[16];	/* by sub-op: bytes to write */
	size_t lens[16];		/* how many (0: strlen + 1) */
	long fail[16];			/* by sub-op: negative errno to return */
	/* sysctl: the domains to list, what to answer, what was asked. */
	struct hv_domctl_info doms[4];
	unsigned int ndoms;
	long sysctl_rc;
	int sysctl_overreport;		/* claim one entry more than room */
	struct hv_sysctl last_sysctl;
};

static struct fake fk;

static long fake_sysctl(struct fake *f, struct hv_sysctl *op)
{
	struct hv_domctl_info *buf;
	unsigned int n;

	f->last_sysctl = *op;
	if (f->sysctl_rc)
		return f->sysctl_rc;
	if (op->interface_version != HVCTL_INTERFACE_VERSION)
		return -EACCES;
	if (op->cmd != HV_SYSCTL_domain_list)
		return -ENOSYS;
	buf = (struct hv_domctl_info *)(uintptr_t)op->u.list.buffer;
	n = f->ndoms < op->u.list.max ? f->ndoms : op->u.list.max;
	memcpy(buf, f->doms, n * sizeof(*buf));
	op->u.list.count = n + (f->sysctl_overreport ? op->u.list.max : 0);
	return 0;
}

static long fake_hypercall(void *ctx, const struct hv_hypercall *call)
{
	struct fake *f = ctx;
	unsigned int cmd = (unsigned int)call->arg[0];
	char *buf = (char *)(uintptr_t)call->arg[1];

	if (f->ncalls < MAX_CALLS)
		f->calls[f->ncalls++] = *call;
	if (call->op == __HYPERVISOR_sysctl)
		return fake_sysctl(f, (struct hv_sysctl *)(uintptr_t)call->arg[0]);
	if (call->op != __HYPERVISOR_xen_version)
		return -ENOSYS;
	if (cmd < 16 && f->fail[cmd])
		return f->fail[cmd];
	if (cmd == XENVER_version)
		return f->version;
	if (cmd < 16 && f->strings[cmd]) {
		size_t n = f->lens[cmd] ? f->lens[cmd] : strlen(f->strings[cmd]) + 1;

		memcpy(buf, f->strings[cmd], n);
		return 0;
	}
	return -ENOSYS;
}

static struct hv_handle *fake_open(void)
{
	struct hv_backend be = { fake_hypercall, &fk };
	struct hv_handle *h = hv_open_backend(&be);

	ck_assert_ptr_nonnull(h);
	return h;
}

static void setup(void)
{
	ioctl_errno = 0;
	memset(&fk, 0, sizeof(fk));
	fk.version = (4 << 16) | 17;
	fk.strings[XENVER_extraversion] = ".7";
	fk.strings[XENVER_changeset] = "abc123";
	fk.strings[XENVER_capabilities] = "xen-3.0-x86_64 ";
}

/* ---- xen_version ---------------------------------------------------- */

START_TEST(version_ok)
{
	struct hv_handle *h = fake_open();
	struct hv_version v;
	char s[32];

	ck_assert_int_eq(hv_xen_version(h, &v), 0);
	ck_assert_uint_eq(v.major, 4);
	ck_assert_uint_eq(v.minor, 17);
	ck_assert_str_eq(v.extra, ".7");
	ck_assert_str_eq(v.changeset, "abc123");
	ck_assert_str_eq(v.capabilities, "xen-3.0-x86_64 ");
	ck_assert_int_eq(hv_version_string(&v, s, sizeof(s)), 6);
	ck_assert_str_eq(s, "4.17.7");
	hv_close(h);
}
END_TEST

/* Hypercall 17 each time; sub-ops in order; a buffer only for strings. */
START_TEST(version_calls)
{
	static const unsigned int cmds[] = {
		XENVER_version, XENVER_extraversion, XENVER_changeset,
		XENVER_capabilities,
	};
	struct hv_handle *h = fake_open();
	struct hv_version v;
	int i;

	ck_assert_int_eq(hv_xen_version(h, &v), 0);
	ck_assert_int_eq(fk.ncalls, 4);
	for (i = 0; i < 4; i++) {
		ck_assert_uint_eq(fk.calls[i].op, __HYPERVISOR_xen_version);
		ck_assert_uint_eq(fk.calls[i].arg[0], cmds[i]);
		if (i == 0)
			ck_assert_uint_eq(fk.calls[i].arg[1], 0);
		else
			ck_assert_uint_ne(fk.calls[i].arg[1], 0);
	}
	hv_close(h);
}
END_TEST

/* A field the hypervisor filled to the brim has no NUL: stop at its size. */
START_TEST(version_unterminated_field)
{
	struct hv_handle *h = fake_open();
	struct hv_version v;

	fk.strings[XENVER_extraversion] = "ABCDEFGHIJKLMNOPQRSTUVWXYZ";
	fk.lens[XENVER_extraversion] = XEN_EXTRAVERSION_LEN;
	ck_assert_int_eq(hv_xen_version(h, &v), 0);
	ck_assert_str_eq(v.extra, "ABCDEFGHIJKLMNOP");
	hv_close(h);
}
END_TEST

START_TEST(version_unprintable_bytes)
{
	struct hv_handle *h = fake_open();
	struct hv_version v;

	fk.strings[XENVER_changeset] = "a\x01\x1b[2Jb\x7f\xff";
	ck_assert_int_eq(hv_xen_version(h, &v), 0);
	ck_assert_str_eq(v.changeset, "a??[2Jb??");
	hv_close(h);
}
END_TEST

START_TEST(version_refused)
{
	struct hv_handle *h = fake_open();
	struct hv_version v;

	fk.fail[XENVER_version] = -EPERM;
	ck_assert_int_eq(hv_xen_version(h, &v), -EPERM);
	ck_assert_int_eq(fk.ncalls, 1);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "xen_version(version)"));
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), strerror(EPERM)));
	hv_close(h);
}
END_TEST

START_TEST(version_sub_op_missing)
{
	struct hv_handle *h = fake_open();
	struct hv_version v;

	fk.fail[XENVER_changeset] = -ENOSYS;
	ck_assert_int_eq(hv_xen_version(h, &v), -ENOSYS);
	ck_assert_int_eq(fk.ncalls, 3);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "xen_version(changeset)"));
	hv_close(h);
}
END_TEST

START_TEST(version_string_truncates)
{
	struct hv_version v = { .major = 4, .minor = 17 };
	char s[4];

	strcpy(v.extra, "-hv0.1");
	ck_assert_int_eq(hv_version_string(&v, s, sizeof(s)), 10);
	ck_assert_str_eq(s, "4.1");
}
END_TEST

/* ---- handles and the device ------------------------------------------ */

START_TEST(open_missing_device)
{
	errno = 0;
	ck_assert_ptr_null(hv_open("/nonexistent/privcmd"));
	ck_assert_int_eq(errno, ENOENT);
	ck_assert_ptr_nonnull(strstr(hv_open_error(), "/nonexistent/privcmd"));
	ck_assert_ptr_nonnull(strstr(hv_open_error(), "xen-privcmd"));
}
END_TEST

/* ioctl on a device that is not privcmd: ENOTTY, said in plain words. */
START_TEST(open_not_privcmd)
{
	struct hv_handle *h = hv_open("/dev/null");
	struct hv_version v;

	ck_assert_ptr_nonnull(h);
	ck_assert_int_eq(hv_xen_version(h, &v), -ENOTTY);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "/dev/null is not a privcmd device"));
	hv_close(h);
}
END_TEST

/*
 * privcmd returns the hypervisor's -EINVAL as the ioctl's own EINVAL; hv
 * says EINVAL often. That is the hypercall's answer, not a wrong device.
 */
START_TEST(device_passes_hypervisor_einval)
{
	struct hv_handle *h = hv_open("/dev/null");
	struct hv_version v;

	ck_assert_ptr_nonnull(h);
	ioctl_errno = EINVAL;
	ck_assert_int_eq(hv_vcpu_up(h, 3, 0), -EINVAL);
	ck_assert_uint_eq(ioctl_req, 0x305000);	/* IOCTL_PRIVCMD_HYPERCALL */
	ck_assert_uint_eq(ioctl_arg[0], __HYPERVISOR_domctl);
	ck_assert_str_eq(hv_last_error(h),
			 "domctl(vcpu_up, domain 3): hypercall 36: Invalid argument");
	ck_assert_int_eq(hv_xen_version(h, &v), -EINVAL);
	ck_assert_uint_eq(ioctl_arg[0], __HYPERVISOR_xen_version);
	ck_assert_str_eq(hv_last_error(h), "xen_version(version): hypercall 17: Invalid argument");
	hv_close(h);
}
END_TEST

START_TEST(open_backend_refuses_null)
{
	struct hv_backend be = { NULL, NULL };

	errno = 0;
	ck_assert_ptr_null(hv_open_backend(NULL));
	ck_assert_int_eq(errno, EINVAL);
	ck_assert_ptr_null(hv_open_backend(&be));
	hv_close(NULL);		/* harmless */
}
END_TEST

/* Any other hypercall result passes through untouched. */
START_TEST(hypercall_passes_results)
{
	struct hv_handle *h = fake_open();
	struct hv_hypercall call = { .op = 99, .arg = { 1, 2, 3, 4, 5 } };

	ck_assert_int_eq(hv_hypercall(h, &call), -ENOSYS);
	ck_assert_int_eq(fk.ncalls, 1);
	ck_assert_mem_eq(fk.calls[0].arg, call.arg, sizeof(call.arg));
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "hypercall 99"));
	hv_close(h);
}
END_TEST

START_TEST(buffers)
{
	struct hv_handle *h = fake_open();
	unsigned char *p;
	size_t i;

	ck_assert_ptr_null(hv_buffer_alloc(h, 0));
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "0 bytes"));
	p = hv_buffer_alloc(h, 8192);
	ck_assert_ptr_nonnull(p);
	for (i = 0; i < 8192; i++)
		ck_assert_uint_eq(p[i], 0);
	hv_buffer_free(h, p, 8192);
	hv_buffer_free(h, NULL, 0);
	hv_close(h);
}
END_TEST

/* ---- the control interface ----------------------------------------- */

static void two_domains(void)
{
	fk.doms[0] = (struct hv_domctl_info){ .domain = 0, .state = HV_DOMSTATE_running,
					      .nr_vcpus = 1, .tot_pages = 131072 };
	fk.doms[1] = (struct hv_domctl_info){ .domain = 7, .state = HV_DOMSTATE_blocked,
					      .nr_vcpus = 2, .tot_pages = 4096 };
	fk.ndoms = 2;
}

/* The sysctl carries hv's interface version, the room, a buffer. */
START_TEST(list_ok)
{
	struct hv_handle *h = fake_open();
	struct hv_domctl_info out[8];
	unsigned int count = 99;

	two_domains();
	ck_assert_int_eq(hv_domain_list(h, out, 8, &count), 0);
	ck_assert_uint_eq(count, 2);
	ck_assert_uint_eq(fk.last_sysctl.cmd, HV_SYSCTL_domain_list);
	ck_assert_uint_eq(fk.last_sysctl.interface_version, HVCTL_INTERFACE_VERSION);
	ck_assert_uint_eq(fk.last_sysctl.u.list.max, 8);
	ck_assert_uint_eq(fk.last_sysctl.u.list.first_domain, 0);
	ck_assert_uint_eq(out[0].domain, 0);
	ck_assert_uint_eq(out[0].tot_pages, 131072);
	ck_assert_uint_eq(out[1].domain, 7);
	ck_assert_int_eq(hv_domain_state_letter(&out[0]), 'r');
	ck_assert_int_eq(hv_domain_state_letter(&out[1]), 'b');
	hv_close(h);
}
END_TEST

/* Room for one: one entry, never more. */
START_TEST(list_truncates_to_room)
{
	struct hv_handle *h = fake_open();
	struct hv_domctl_info out[2] = { { .domain = 0xdead }, { .domain = 0xbeef } };
	unsigned int count;

	two_domains();
	ck_assert_int_eq(hv_domain_list(h, out, 1, &count), 0);
	ck_assert_uint_eq(count, 1);
	ck_assert_uint_eq(out[1].domain, 0xbeef);
	hv_close(h);
}
END_TEST

/* A hypervisor claiming more entries than fit is not believed. */
START_TEST(list_overreport_refused)
{
	struct hv_handle *h = fake_open();
	struct hv_domctl_info out[2];
	unsigned int count = 5;

	two_domains();
	fk.sysctl_overreport = 1;
	ck_assert_int_eq(hv_domain_list(h, out, 2, &count), -EIO);
	ck_assert_uint_eq(count, 0);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "4 entries reported for room of 2"));
	hv_close(h);
}
END_TEST

/* Xen answers hv's interface version with -EACCES: say what it means. */
START_TEST(list_other_hypervisor)
{
	struct hv_handle *h = fake_open();
	struct hv_domctl_info out[2];
	unsigned int count;

	fk.sysctl_rc = -EACCES;
	ck_assert_int_eq(hv_domain_list(h, out, 2, &count), -EACCES);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h),
				     "sysctl(domain_list): the hypervisor refuses hv's control interface"));
	fk.sysctl_rc = -EPERM;
	ck_assert_int_eq(hv_domain_list(h, out, 2, &count), -EPERM);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "sysctl(domain_list): "));
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), strerror(EPERM)));
	ck_assert_int_eq(hv_domain_list(h, out, 0, &count), -EINVAL);
	hv_close(h);
}
END_TEST

START_TEST(state_letters)
{
	struct hv_domctl_info i = { 0 };
	const char *want = "rpscdb";

	for (uint16_t s = 0; s < 6; s++) {
		i.state = s;
		ck_assert_int_eq(hv_domain_state_letter(&i), want[s]);
	}
	i.state = 6;
	ck_assert_int_eq(hv_domain_state_letter(&i), '?');
	i.state = 0xffff;
	ck_assert_int_eq(hv_domain_state_letter(&i), '?');
}
END_TEST

static Suite *libhv_suite(void)
{
	Suite *s = suite_create("libhv");
	TCase *tc = tcase_create("core");

	tcase_add_checked_fixture(tc, setup, NULL);
	tcase_add_test(tc, version_ok);
	tcase_add_test(tc, version_calls);
	tcase_add_test(tc, version_unterminated_field);
	tcase_add_test(tc, version_unprintable_bytes);
	tcase_add_test(tc, version_refused);
	tcase_add_test(tc, version_sub_op_missing);
	tcase_add_test(tc, version_string_truncates);
	tcase_add_test(tc, open_missing_device);
	tcase_add_test(tc, open_not_privcmd);
	tcase_add_test(tc, device_passes_hypervisor_einval);
	tcase_add_test(tc, open_backend_refuses_null);
	tcase_add_test(tc, hypercall_passes_results);
	tcase_add_test(tc, buffers);
	tcase_add_test(tc, list_ok);
	tcase_add_test(tc, list_truncates_to_room);
	tcase_add_test(tc, list_overreport_refused);
	tcase_add_test(tc, list_other_hypervisor);
	tcase_add_test(tc, state_letters);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *sr = srunner_create(libhv_suite());
	int failed;

	srunner_run_all(sr, CK_NORMAL);
	failed = srunner_ntests_failed(sr);
	srunner_free(sr);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
