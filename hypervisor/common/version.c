/*
 * xen_version (#17). hv implements Xen 4.17's guest interface, so that is
 * the version guests see; the extra version and changeset say it is hv.
 */
#include <hv/cmdline.h>
#include <hv/domain.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/version.h>
#include <public/features.h>
#include <public/version.h>

#define XEN_INTERFACE_MAJOR 4
#define XEN_INTERFACE_MINOR 17

extern const char *hv_cmdline;

/* Feature bits of submap 0 a 64-bit PV guest sees (pv-abi.md §12.2). */
static uint32_t pv_features(const struct domain *d)
{
	uint32_t f = (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_highmem_assist) |
		     (1u << XENFEAT_gnttab_map_avail_bits) | (1u << XENFEAT_direct_mapped);

	if (d->initial)
		f |= 1u << XENFEAT_dom0;
	return f;
}

static long copy_string_out(uint64_t arg, const char *s, size_t size)
{
	char buf[XEN_CAPABILITIES_INFO_LEN];

	memset(buf, 0, size);
	strlcpy(buf, s, size);
	return copy_to_guest(arg, buf, size);
}

long do_xen_version(unsigned int cmd, uint64_t arg)
{
	struct domain *d = current->domain;

	switch (cmd) {
	case XENVER_version:
		return (XEN_INTERFACE_MAJOR << 16) | XEN_INTERFACE_MINOR;
	case XENVER_extraversion:
		return copy_string_out(arg, "-hv" HV_VERSION_STRING, XEN_EXTRAVERSION_LEN);
	case XENVER_compile_info: {
		struct xen_compile_info ci;

		memset(&ci, 0, sizeof(ci));
		strlcpy(ci.compiler, "gcc " __VERSION__, sizeof(ci.compiler));
		strlcpy(ci.compile_by, "hv", sizeof(ci.compile_by));
		strlcpy(ci.compile_domain, "hv.invalid", sizeof(ci.compile_domain));
		strlcpy(ci.compile_date, __DATE__ " " __TIME__, sizeof(ci.compile_date));
		return copy_to_guest(arg, &ci, sizeof(ci));
	}
	case XENVER_capabilities:
		return copy_string_out(arg, "xen-3.0-x86_64", XEN_CAPABILITIES_INFO_LEN);
	case XENVER_changeset:
		return copy_string_out(arg, "hv " HV_VERSION_STRING, XEN_CHANGESET_INFO_LEN);
	case XENVER_platform_parameters: {
		struct xen_platform_parameters pp = { .virt_start = HYPERVISOR_VIRT_START };

		return copy_to_guest(arg, &pp, sizeof(pp));
	}
	case XENVER_get_features: {
		struct xen_feature_info fi;

		if (copy_from_guest(&fi, arg, sizeof(fi)))
			return -EFAULT;
		if (fi.submap_idx != 0)
			return -EINVAL;
		fi.submap = pv_features(d);
		return copy_to_guest(arg, &fi, sizeof(fi));
	}
	case XENVER_pagesize:
		return arg ? -EINVAL : (long)PAGE_SIZE;
	case XENVER_guest_handle:
		return copy_to_guest(arg, d->handle, sizeof(d->handle));
	case XENVER_commandline:
		if (!d->privileged)
			return -EPERM;
		return copy_string_out(arg, hv_cmdline, XEN_CAPABILITIES_INFO_LEN);
	case XENVER_build_id:
		/* Xen's default policy keeps it from unprivileged domains. */
		return d->privileged ? -ENODATA : -EPERM;
	default:
		return -ENOSYS;
	}
}
