/*
 * test_libhv_control.c - libhv's control-interface calls and the shared
 * builder over libhv, against a fake hypervisor that keeps one domain's
 * frames in a buffer: what reaches it (numbers, versions, batches,
 * foreigndom), what comes back, and the messages when it says no.
 */
#include <check.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/hvctl.h>
#include <public/memory.h>
#include <public/xen.h>

#include "libhv.h"
#include "pvbuild.h"

#ifndef GUEST_PV_ELF
#error "GUEST_PV_ELF must name build/guest-pv/guest-pv"
#endif

#define PAGE 4096UL
#define FRAMES 2100
#define MFN_BASE 0x80000UL
#define SHARED_INFO_MFN 0x7777UL

/* ---- the fake hypervisor ---------------------------------------------- */

struct fake {
	uint32_t last_version;
	domid_t next_id, dom;           /* the one domain it knows (0: none) */
	uint64_t populated;
	uint64_t m2p[FRAMES];
	uint8_t *mem;                   /* FRAMES pages */
	int maps_open;
	uint64_t pinned;
	struct vcpu_guest_context ctxt;
	unsigned int m2p_calls, m2p_max_batch, vcpu_ups, unpauses;
	uint32_t fail_cmd;              /* domctl command that fails */
	long fail_rc;
	long populate_limit;            /* > 0: give at most this many */
	long populate_claim;            /* > 0: report this many, whatever was given */
	long pin_rc;
	unsigned int unknown_domctls;
};

static struct fake fk;
static struct shared_info shared_page;  /* the domain's shared_info frame */

static bool our_mfn(uint64_t mfn)
{
	return mfn >= MFN_BASE && mfn < MFN_BASE + fk.populated;
}

static long fake_domctl(struct hv_domctl *op)
{
	fk.last_version = op->interface_version;
	if (op->interface_version != HVCTL_INTERFACE_VERSION)
		return -EACCES;
	if (op->cmd == fk.fail_cmd)
		return fk.fail_rc;
	if (op->cmd == HV_DOMCTL_create) {
		if (fk.dom)
			return -ENOSPC;
		fk.dom = op->domain ? op->domain : fk.next_id;
		op->domain = fk.dom;
		return 0;
	}
	if (!fk.dom || op->domain != fk.dom)
		return -ESRCH;
	switch (op->cmd) {
	case HV_DOMCTL_destroy:
		fk.dom = 0;
		return 0;
	case HV_DOMCTL_getinfo:
		memset(&op->u.info, 0, sizeof(op->u.info));
		op->u.info.domain = fk.dom;
		op->u.info.state = HV_DOMSTATE_paused;
		op->u.info.tot_pages = fk.populated;
		op->u.info.shared_info_frame = SHARED_INFO_MFN;
		return 0;
	case HV_DOMCTL_unpause:
		fk.unpauses++;
		return 0;
	case HV_DOMCTL_vcpu_up:
		fk.vcpu_ups++;
		return op->u.vcpu.vcpu ? -ENOENT : 0;
	case HV_DOMCTL_set_vcpu_context:
		if (op->u.vcpu_context.vcpu)
			return -ENOENT;
		memcpy(&fk.ctxt, (void *)(uintptr_t)op->u.vcpu_context.ctxt, sizeof(fk.ctxt));
		return 0;
	case HV_DOMCTL_evtchn_alloc:
		op->u.evtchn.port = 5;
		return 0;
	default:
		fk.unknown_domctls++;
		return -ENOSYS;
	}
}

static long fake_sysctl(struct hv_sysctl *op)
{
	fk.last_version = op->interface_version;
	if (op->interface_version != HVCTL_INTERFACE_VERSION)
		return -EACCES;
	switch (op->cmd) {
	case HV_SYSCTL_physinfo:
		memset(&op->u.physinfo, 0, sizeof(op->u.physinfo));
		op->u.physinfo.nr_cpus = 1;
		op->u.physinfo.free_pages = 1000 - fk.populated;
		op->u.physinfo.heap_bytes = 4096;
		op->u.physinfo.active_timers = 2;
		return 0;
	case HV_SYSCTL_domain_list: {
		struct hv_domctl_info *out = (void *)(uintptr_t)op->u.list.buffer;
		unsigned int n = 0;

		for (domid_t id = op->u.list.first_domain; id <= fk.dom && n < op->u.list.max; id++) {
			if (id != 0 && id != fk.dom)
				continue;
			memset(&out[n], 0, sizeof(out[n]));
			out[n++].domain = id;
		}
		op->u.list.count = n;
		return 0;
	}
	default:
		return -ENOSYS;
	}
}

static long fake_populate(struct xen_memory_reservation *r)
{
	uint64_t *list = (uint64_t *)(uintptr_t)r->extent_start;
	long done = 0;

	if (r->domid != fk.dom || r->extent_order)
		return -EINVAL;
	for (uint64_t i = 0; i < r->nr_extents; i++) {
		if ((fk.populate_limit && done == fk.populate_limit) || fk.populated == FRAMES)
			break;
		list[i] = MFN_BASE + fk.populated++;
		done++;
	}
	return fk.populate_claim ? fk.populate_claim : done;
}

static long fake_mmu_update(const struct mmu_update *u, unsigned int count, uint64_t foreigndom)
{
	if (foreigndom != fk.dom)
		return -ESRCH;
	fk.m2p_calls++;
	if (count > fk.m2p_max_batch)
		fk.m2p_max_batch = count;
	for (unsigned int i = 0; i < count; i++) {
		uint64_t mfn = u[i].ptr >> 12;

		if ((u[i].ptr & 7) != MMU_MACHPHYS_UPDATE || !our_mfn(mfn))
			return -EINVAL;
		fk.m2p[mfn - MFN_BASE] = u[i].val;
	}
	return 0;
}

static long fake_hypercall(void *ctx, const struct hv_hypercall *call)
{
	switch (call->op) {
	case __HYPERVISOR_domctl:
		return fake_domctl((struct hv_domctl *)(uintptr_t)call->arg[0]);
	case __HYPERVISOR_sysctl:
		return fake_sysctl((struct hv_sysctl *)(uintptr_t)call->arg[0]);
	case __HYPERVISOR_memory_op:
		if (call->arg[0] != XENMEM_populate_physmap)
			return -ENOSYS;
		return fake_populate((struct xen_memory_reservation *)(uintptr_t)call->arg[1]);
	case __HYPERVISOR_mmu_update:
		return fake_mmu_update((const struct mmu_update *)(uintptr_t)call->arg[0],
				       (unsigned int)call->arg[1], call->arg[3]);
	case __HYPERVISOR_mmuext_op: {
		const struct mmuext_op *op = (const void *)(uintptr_t)call->arg[0];

		if (call->arg[1] != 1 || call->arg[3] != fk.dom || op->cmd != MMUEXT_PIN_L4_TABLE)
			return -EINVAL;
		if (fk.pin_rc)
			return fk.pin_rc;
		if (!our_mfn(op->arg1.mfn) || fk.maps_open)
			return -EINVAL;
		fk.pinned = op->arg1.mfn;
		return 0;
	}
	default:
		return -ENOSYS;
	}
}

static void *fake_map(void *ctx, domid_t dom, uint64_t mfn)
{
	if (dom == fk.dom && mfn == SHARED_INFO_MFN) {
		fk.maps_open++;
		return &shared_page;
	}
	if (dom != fk.dom || !our_mfn(mfn))
		return NULL;
	fk.maps_open++;
	return fk.mem + (mfn - MFN_BASE) * PAGE;
}

static void fake_unmap(void *ctx, void *page)
{
	fk.maps_open--;
}

static struct hv_handle *open_fake(bool with_maps)
{
	struct hv_backend be = { fake_hypercall, &fk };
	struct hv_handle *h = hv_open_backend(&be);

	ck_assert_ptr_nonnull(h);
	if (with_maps)
		ck_assert_int_eq(hv_backend_foreign(h, fake_map, fake_unmap), 0);
	return h;
}

static void setup(void)
{
	uint8_t *mem = fk.mem;

	memset(&fk, 0, sizeof(fk));
	fk.next_id = 1;
	fk.mem = mem ? mem : malloc(FRAMES * PAGE);
	ck_assert_ptr_nonnull(fk.mem);
	memset(fk.mem, 0, FRAMES * PAGE);
	memset(fk.m2p, 0xff, sizeof(fk.m2p));
	memset(&shared_page, 0, sizeof(shared_page));
}

/* ---- domctl and sysctl --------------------------------------------------- */

START_TEST(domctl_version_and_results)
{
	struct hv_handle *h = open_fake(false);
	struct hv_domctl_create c = { .max_vcpus = 1, .max_pages = 64 };
	struct hv_domctl_info info;
	domid_t dom = 0;
	uint32_t port = 0;

	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	ck_assert_uint_eq(fk.last_version, HVCTL_INTERFACE_VERSION);
	ck_assert_uint_eq(dom, 1);
	ck_assert_int_eq(hv_domain_getinfo(h, dom, &info), 0);
	ck_assert_uint_eq(info.domain, 1);
	ck_assert_uint_eq(info.shared_info_frame, SHARED_INFO_MFN);
	ck_assert_int_eq(hv_evtchn_alloc(h, dom, 0, &port), 0);
	ck_assert_uint_eq(port, 5);
	ck_assert_int_eq(hv_domain_destroy(h, dom), 0);
	ck_assert_int_eq(fk.dom, 0);
	hv_close(h);
}
END_TEST

START_TEST(domctl_errors_named)
{
	struct hv_handle *h = open_fake(false);
	struct hv_domctl op = { .cmd = 99, .domain = 0 };
	struct hv_domctl_create c = { .max_vcpus = 1 };
	domid_t dom = 0;

	ck_assert_int_eq(hv_domain_destroy(h, 9), -ESRCH);
	ck_assert_str_eq(hv_last_error(h), "domctl(destroy, domain 9): hypercall 36: No such process");
	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	op.domain = dom;
	ck_assert_int_eq(hv_domctl(h, &op), -ENOSYS);
	ck_assert_str_eq(hv_last_error(h), "domctl(99, domain 1): hypercall 36: Function not implemented");
	fk.fail_cmd = HV_DOMCTL_unpause;
	fk.fail_rc = -EPERM;
	ck_assert_int_eq(hv_domain_unpause(h, dom), -EPERM);
	ck_assert_str_eq(hv_last_error(h), "domctl(unpause, domain 1): hypercall 36: Operation not permitted");
	/* Another hypervisor (or version) refuses the interface: said in plain words. */
	fk.fail_rc = -EACCES;
	ck_assert_int_eq(hv_domain_unpause(h, dom), -EACCES);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "domctl(unpause, domain 1): the hypervisor refuses"));
	fk.fail_rc = -EPERM;
	/* A failed call leaves the caller's structure as it was. */
	op.cmd = HV_DOMCTL_getinfo;
	op.u.info.tot_pages = 1234;
	fk.fail_cmd = HV_DOMCTL_getinfo;
	ck_assert_int_eq(hv_domctl(h, &op), -EPERM);
	ck_assert_uint_eq(op.u.info.tot_pages, 1234);
	hv_close(h);
}
END_TEST

START_TEST(sysctl_calls)
{
	struct hv_handle *h = open_fake(false);
	struct hv_sysctl_physinfo p;
	struct hv_domctl_info list[4];
	struct hv_domctl_create c = { .max_vcpus = 1 };
	struct hv_sysctl op = { .cmd = 77 };
	unsigned int count = 99;
	domid_t dom = 0;

	ck_assert_int_eq(hv_physinfo(h, &p), 0);
	ck_assert_uint_eq(fk.last_version, HVCTL_INTERFACE_VERSION);
	ck_assert_uint_eq(p.free_pages, 1000);
	ck_assert_uint_eq(p.active_timers, 2);
	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	ck_assert_int_eq(hv_domain_list(h, list, 4, &count), 0);
	ck_assert_uint_eq(count, 2);
	ck_assert_uint_eq(list[0].domain, 0);
	ck_assert_uint_eq(list[1].domain, dom);
	ck_assert_int_eq(hv_sysctl(h, &op), -ENOSYS);
	ck_assert_str_eq(hv_last_error(h), "sysctl(77): hypercall 35: Function not implemented");
	hv_close(h);
}
END_TEST

/* ---- memory and MMU ---------------------------------------------------- */

START_TEST(populate_and_m2p)
{
	struct hv_handle *h = open_fake(false);
	struct hv_domctl_create c = { .max_vcpus = 1 };
	static uint64_t list[600];
	domid_t dom = 0;

	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	for (unsigned int i = 0; i < 600; i++)
		list[i] = i;
	ck_assert_int_eq(hv_populate_physmap(h, dom, list, 600), 0);
	ck_assert_uint_eq(list[0], MFN_BASE);
	ck_assert_uint_eq(list[599], MFN_BASE + 599);
	ck_assert_int_eq(hv_set_m2p(h, dom, list, 1000, 600), 0);
	ck_assert_uint_eq(fk.m2p_calls, 3);     /* 256 + 256 + 88 */
	ck_assert_uint_eq(fk.m2p_max_batch, 256);
	ck_assert_uint_eq(fk.m2p[0], 1000);
	ck_assert_uint_eq(fk.m2p[599], 1599);
	ck_assert_int_eq(hv_set_m2p(h, dom, list, 0, 0), 0);
	/* A frame the domain does not have. */
	list[3] = 0x10;
	ck_assert_int_eq(hv_set_m2p(h, dom, list, 0, 4), -EINVAL);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "mmu_update M2P (domain 1, PFN 0)"));
	/* Partial populate: the count given is an error. */
	fk.populate_limit = 2;
	ck_assert_int_eq(hv_populate_physmap(h, dom, list, 4), -ENOMEM);
	ck_assert_str_eq(hv_last_error(h), "populate_physmap (domain 1): 2 of 4 pages given");
	ck_assert_int_eq(hv_populate_physmap(h, 3, list, 4), -EINVAL);
	ck_assert_str_eq(hv_last_error(h), "populate_physmap (domain 3, 4 pages): hypercall 12: "
			 "Invalid argument");
	hv_close(h);
}
END_TEST

/* A hypervisor claiming more pages than asked for is not believed: nothing is copied back. */
START_TEST(populate_overreport_refused)
{
	struct hv_handle *h = open_fake(false);
	struct hv_domctl_create c = { .max_vcpus = 1 };
	struct {
		uint64_t list[4];
		uint64_t beyond[4];
	} room;
	domid_t dom = 0;

	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	memset(&room, 0xaa, sizeof(room));
	fk.populate_claim = 8;
	ck_assert_int_eq(hv_populate_physmap(h, dom, room.list, 4), -EIO);
	ck_assert_str_eq(hv_last_error(h), "populate_physmap (domain 1): 8 pages reported for 4 asked");
	for (unsigned int i = 0; i < 4; i++)
		ck_assert_uint_eq(room.beyond[i], 0xaaaaaaaaaaaaaaaaUL);
	hv_close(h);
}
END_TEST

START_TEST(foreign_maps)
{
	struct hv_handle *h = open_fake(false);
	struct hv_handle *dev;
	struct hv_domctl_create c = { .max_vcpus = 1 };
	uint64_t pfn = 0;
	domid_t dom = 0;
	uint8_t *p;

	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	ck_assert_int_eq(hv_populate_physmap(h, dom, &pfn, 1), 0);
	ck_assert_ptr_null(hv_map_foreign(h, dom, pfn));
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "the backend cannot map"));
	ck_assert_int_eq(hv_backend_foreign(h, fake_map, fake_unmap), 0);
	p = hv_map_foreign(h, dom, pfn);
	ck_assert_ptr_eq(p, fk.mem);
	hv_unmap_foreign(h, p);
	ck_assert_int_eq(fk.maps_open, 0);
	ck_assert_ptr_null(hv_map_foreign(h, dom, pfn + 1));
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "refused"));
	hv_close(h);
	/* Backend hooks on a device handle make no sense. */
	dev = hv_open("/dev/null");
	ck_assert_ptr_nonnull(dev);
	ck_assert_int_eq(hv_backend_foreign(dev, fake_map, fake_unmap), -EINVAL);
	hv_close(dev);
}
END_TEST

/* ---- the builder over libhv ------------------------------------------------- */

static uint8_t *guest_elf;
static size_t guest_size;
static struct pvb_build bld;
static uint64_t p2m[FRAMES];

static void load_guest_elf(void)
{
	FILE *f = fopen(GUEST_PV_ELF, "rb");

	ck_assert_msg(f, "cannot open %s (build guest-pv first)", GUEST_PV_ELF);
	fseek(f, 0, SEEK_END);
	guest_size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	guest_elf = malloc(guest_size);
	ck_assert(guest_elf);
	ck_assert_uint_eq(fread(guest_elf, 1, guest_size, f), guest_size);
	fclose(f);
}

static struct pvb_params build_params(void)
{
	struct pvb_params p = {
		.kernel = guest_elf, .kernel_size = guest_size, .nr_pages = 2048,
		.cmdline = "mode=idle", .p2m = p2m,
	};

	return p;
}

START_TEST(build_guest_pv)
{
	struct hv_handle *h = open_fake(true);
	struct hv_domctl_create c = { .max_vcpus = 1, .max_pages = 2048 };
	struct pvb_params p = build_params();
	const struct start_info *si;
	domid_t dom = 0;
	uint64_t si_pfn;

	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	ck_assert_msg(hv_build_pv(h, dom, &p, &bld, 1) == 0, "%s", hv_last_error(h));
	ck_assert_uint_eq(p.shared_info_mfn, SHARED_INFO_MFN);
	ck_assert_uint_eq(fk.populated, 2048);
	ck_assert_int_eq(fk.maps_open, 0);
	ck_assert_uint_eq(fk.pinned, bld.l4_mfn);
	ck_assert_uint_eq(fk.ctxt.ctrlreg[3] >> 12, fk.pinned);
	ck_assert_uint_eq(fk.ctxt.user_regs.rip, 0xffffffff80000000UL);
	ck_assert_uint_eq(fk.vcpu_ups, 1);
	ck_assert_uint_eq(fk.unpauses, 1);
	ck_assert_uint_eq(fk.m2p_calls, 8);     /* 2048 entries in batches of 256 */
	for (uint64_t pfn = 0; pfn < 2048; pfn++)
		ck_assert_uint_eq(fk.m2p[p2m[pfn] - MFN_BASE], pfn);
	si_pfn = (fk.ctxt.user_regs.rsi - 0xffffffff80000000UL) / PAGE;
	si = (const struct start_info *)(fk.mem + (p2m[si_pfn] - MFN_BASE) * PAGE);
	ck_assert_str_eq(si->magic, "xen-3.0-x86_64");
	ck_assert_uint_eq(si->shared_info, SHARED_INFO_MFN << 12);
	ck_assert_str_eq(si->cmd_line, "mode=idle");
	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		ck_assert_uint_eq(shared_page.vcpu_info[i].evtchn_upcall_mask, 1);
	hv_close(h);
}
END_TEST

START_TEST(build_not_started)
{
	struct hv_handle *h = open_fake(true);
	struct hv_domctl_create c = { .max_vcpus = 1 };
	struct pvb_params p = build_params();
	domid_t dom = 0;

	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	ck_assert_int_eq(hv_build_pv(h, dom, &p, &bld, 0), 0);
	ck_assert_uint_eq(fk.vcpu_ups, 0);
	ck_assert_uint_eq(fk.unpauses, 0);
	hv_close(h);
}
END_TEST

/* The builder's reason first, the hypervisor's underneath. */
START_TEST(build_failures_explained)
{
	struct hv_handle *h = open_fake(true);
	struct hv_domctl_create c = { .max_vcpus = 1 };
	struct pvb_params p = build_params();
	domid_t dom = 0;

	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	fk.pin_rc = -EINVAL;
	ck_assert_int_eq(hv_build_pv(h, dom, &p, &bld, 1), -EINVAL);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "building domain 1: the hypervisor refused "
				     "the page tables"));
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "; pin L4 0x"));
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "Invalid argument"));
	hv_close(h);

	/* A bad image: refused before anything reaches the hypervisor but getinfo. */
	setup();
	h = open_fake(true);
	ck_assert_int_eq(hv_domain_create(h, &c, &dom), 0);
	p.kernel_size = 300;
	ck_assert_int_eq(hv_build_pv(h, dom, &p, &bld, 1), -ENOEXEC);
	ck_assert_ptr_nonnull(strstr(hv_last_error(h), "building domain 1: kernel: segment 0"));
	ck_assert_uint_eq(fk.populated, 0);
	hv_close(h);

	/* No such domain. */
	setup();
	h = open_fake(true);
	p.kernel_size = guest_size;
	ck_assert_int_eq(hv_build_pv(h, 4, &p, &bld, 1), -ESRCH);
	ck_assert_str_eq(bld.err, "domctl(getinfo, domain 4): hypercall 36: No such process");
	hv_close(h);
}
END_TEST

static Suite *suite(void)
{
	Suite *s = suite_create("libhv-control");
	TCase *t = tcase_create("control");

	tcase_add_checked_fixture(t, setup, NULL);
	tcase_add_unchecked_fixture(t, load_guest_elf, NULL);
	tcase_add_test(t, domctl_version_and_results);
	tcase_add_test(t, domctl_errors_named);
	tcase_add_test(t, sysctl_calls);
	tcase_add_test(t, populate_and_m2p);
	tcase_add_test(t, populate_overreport_refused);
	tcase_add_test(t, foreign_maps);
	tcase_add_test(t, build_guest_pv);
	tcase_add_test(t, build_not_started);
	tcase_add_test(t, build_failures_explained);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
