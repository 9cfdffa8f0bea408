/* xen_version (#17): every sub-op Linux and Mini-OS use, valid and invalid. */
#include <guest/arch.h>
#include <guest/hypercall.h>
#include <guest/test.h>
#include <public/errno.h>
#include <public/features.h>
#include <public/version.h>

/* A fixed-size string answer must be NUL-terminated inside its buffer. */
static void check_string(const char *what, const char *buf, size_t size)
{
	size_t n = strnlen(buf, size);

	CHECK(n < size, "%s: not NUL-terminated within %lu bytes", what, (unsigned long)size);
	for (size_t i = 0; i < n; i++)
		if ((unsigned char)buf[i] < 0x20 || (unsigned char)buf[i] > 0x7e) {
			test_fail("%s: non-printable byte %#x at %lu", what, (unsigned char)buf[i],
				  (unsigned long)i);
			break;
		}
}

TEST(xen_version, version)
{
	long v = HYPERVISOR_xen_version(XENVER_version, NULL);

	CHECK(v >= (3 << 16), "version %#lx is below 3.0", v);
	CHECK((v >> 16) < 100 && (v & 0xffff) < 100, "implausible version %#lx", v);
	/* The argument is ignored, even a bad one. */
	CHECK_RC("version with a bad pointer", v, HYPERVISOR_xen_version(XENVER_version, BAD_PTR_UNMAPPED));
}

TEST(xen_version, version_is_4_17)
{
	ONLY_ON("xen", "the oracle is Debian's Xen 4.17");
	CHECK_EQ("XENVER_version", 0x00040011, HYPERVISOR_xen_version(XENVER_version, NULL));
}

TEST(xen_version, extraversion)
{
	char buf[XEN_EXTRAVERSION_LEN + 8];

	memset(buf, 0x55, sizeof(buf));
	CHECK_RC("extraversion", 0, HYPERVISOR_xen_version(XENVER_extraversion, buf));
	check_string("extraversion", buf, XEN_EXTRAVERSION_LEN);
	CHECK((unsigned char)buf[XEN_EXTRAVERSION_LEN] == 0x55, "extraversion wrote past 16 bytes");
	CHECK_RC("extraversion to an unmapped buffer", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_extraversion, BAD_PTR_UNMAPPED));
	CHECK_RC("extraversion into the hypervisor", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_extraversion, BAD_PTR_HV));
}

TEST(xen_version, compile_info)
{
	struct xen_compile_info ci;

	memset(&ci, 0x55, sizeof(ci));
	CHECK_RC("compile_info", 0, HYPERVISOR_xen_version(XENVER_compile_info, &ci));
	check_string("compiler", ci.compiler, sizeof(ci.compiler));
	check_string("compile_by", ci.compile_by, sizeof(ci.compile_by));
	check_string("compile_domain", ci.compile_domain, sizeof(ci.compile_domain));
	check_string("compile_date", ci.compile_date, sizeof(ci.compile_date));
	CHECK_RC("compile_info to a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_compile_info, BAD_PTR_UNMAPPED));
}

TEST(xen_version, capabilities)
{
	static char caps[XEN_CAPABILITIES_INFO_LEN];

	CHECK_RC("capabilities", 0, HYPERVISOR_xen_version(XENVER_capabilities, caps));
	check_string("capabilities", caps, sizeof(caps));
	CHECK(strstr(caps, "xen-3.0-x86_64") != NULL, "capabilities \"%s\" lack xen-3.0-x86_64", caps);
	CHECK_RC("capabilities to a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_capabilities, BAD_PTR_HV));
}

TEST(xen_version, changeset)
{
	char cs[XEN_CHANGESET_INFO_LEN];

	CHECK_RC("changeset", 0, HYPERVISOR_xen_version(XENVER_changeset, cs));
	check_string("changeset", cs, sizeof(cs));
	CHECK_RC("changeset to a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_changeset, BAD_PTR_UNMAPPED));
}

TEST(xen_version, platform_parameters)
{
	struct xen_platform_parameters pp = { 0 };

	CHECK_RC("platform_parameters", 0, HYPERVISOR_xen_version(XENVER_platform_parameters, &pp));
	CHECK_EQ("virt_start", HYPERVISOR_VIRT_START, pp.virt_start);
	CHECK_RC("platform_parameters to a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_platform_parameters, BAD_PTR_UNMAPPED));
}

TEST(xen_version, get_features)
{
	struct xen_feature_info fi = { .submap_idx = 0, .submap = 0 };
	const uint32_t must = (1U << XENFEAT_mmu_pt_update_preserve_ad) |
			      (1U << XENFEAT_gnttab_map_avail_bits);
	const uint32_t never = (1U << XENFEAT_writable_page_tables) |
			       (1U << XENFEAT_auto_translated_physmap) |
			       (1U << XENFEAT_supervisor_mode_kernel) |
			       (1U << XENFEAT_hvm_callback_vector);

	CHECK_RC("get_features(0)", 0, HYPERVISOR_xen_version(XENVER_get_features, &fi));
	CHECK_EQ("submap_idx left alone", 0, fi.submap_idx);
	CHECK((fi.submap & must) == must, "submap %#x lacks bits 5 and 7 (Linux panics)", fi.submap);
	CHECK(!(fi.submap & never), "submap %#x has a bit a PV guest must never see", fi.submap);
	if (is_initial_domain())
		CHECK(fi.submap & (1U << XENFEAT_dom0), "dom0 submap %#x lacks XENFEAT_dom0", fi.submap);
	else
		CHECK(!(fi.submap & (1U << XENFEAT_dom0)), "domU submap %#x has XENFEAT_dom0", fi.submap);
	printf("  (get_features submap 0 = %#x)\n", fi.submap);
}

TEST(xen_version, get_features_bad_submap)
{
	struct xen_feature_info fi = { .submap_idx = 1 };

	CHECK_RC("get_features(1)", -XEN_EINVAL, HYPERVISOR_xen_version(XENVER_get_features, &fi));
	fi.submap_idx = 0xffffffff;
	CHECK_RC("get_features(~0)", -XEN_EINVAL, HYPERVISOR_xen_version(XENVER_get_features, &fi));
	CHECK_RC("get_features from a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_get_features, BAD_PTR_UNMAPPED));
	CHECK_RC("get_features from a non-canonical pointer", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_get_features, BAD_PTR_NONCANON));
}

TEST(xen_version, pagesize)
{
	char dummy[8];

	CHECK_RC("pagesize(NULL)", 4096, HYPERVISOR_xen_version(XENVER_pagesize, NULL));
	/* Xen insists on a NULL argument. */
	CHECK_RC("pagesize(buffer)", -XEN_EINVAL, HYPERVISOR_xen_version(XENVER_pagesize, dummy));
}

TEST(xen_version, guest_handle)
{
	uint8_t h[sizeof(xen_domain_handle_t) + 4];

	memset(h, 0x55, sizeof(h));
	CHECK_RC("guest_handle", 0, HYPERVISOR_xen_version(XENVER_guest_handle, h));
	CHECK(h[16] == 0x55, "guest_handle wrote past 16 bytes");
	if (is_initial_domain()) {
		/* dom0's UUID is all zeroes on Xen. */
		for (unsigned int i = 0; i < 16; i++)
			CHECK(h[i] == 0, "dom0 handle byte %u is %#x, expected 0", i, h[i]);
	}
	CHECK_RC("guest_handle to a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_guest_handle, BAD_PTR_UNMAPPED));
}

TEST(xen_version, commandline)
{
	static char line[1024];

	if (!is_initial_domain())
		SKIP("the hypervisor command line is for the initial domain");
	memset(line, 0x55, sizeof(line));
	CHECK_RC("commandline", 0, HYPERVISOR_xen_version(XENVER_commandline, line));
	check_string("commandline", line, sizeof(line));
	CHECK(strstr(line, "console=") != NULL, "commandline \"%s\" lacks console=", line);
	CHECK_RC("commandline to a bad pointer", -XEN_EFAULT,
		 HYPERVISOR_xen_version(XENVER_commandline, BAD_PTR_UNMAPPED));
}

TEST(xen_version, build_id)
{
	long n = HYPERVISOR_xen_version(XENVER_build_id, NULL);

	/* Xen's default policy: privileged domains only. */
	if (!is_initial_domain()) {
		CHECK_RC("build_id(NULL) in a domU", -XEN_EPERM, n);
		return;
	}
	/* The size, or "no build id"; both are fine for dom0. */
	CHECK(n > 0 || n == -XEN_ENODATA || n == -XEN_ENOSYS, "build_id(NULL) returned %s", rc_str(n));
}

TEST(xen_version, unknown_subop)
{
	char buf[64];

	CHECK_RC("sub-op 63", -XEN_ENOSYS, HYPERVISOR_xen_version(63, buf));
	CHECK_RC("sub-op -1", -XEN_ENOSYS, HYPERVISOR_xen_version(-1, buf));
	CHECK_RC("sub-op 0x10000", -XEN_ENOSYS, HYPERVISOR_xen_version(0x10000, buf));
}
