/*
 * version.c - xen_version (hypercall 17) through libhv.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <public/version.h>
#include <public/xen.h>

#include "private.h"

_Static_assert(sizeof(((struct hv_version *)0)->extra) == XEN_EXTRAVERSION_LEN + 1, "extra");
_Static_assert(sizeof(((struct hv_version *)0)->changeset) == XEN_CHANGESET_INFO_LEN + 1, "changeset");
_Static_assert(sizeof(((struct hv_version *)0)->capabilities) == XEN_CAPABILITIES_INFO_LEN + 1,
	       "capabilities");

void hv_copy_field(char *dst, const char *field, size_t size)
{
	size_t i;

	for (i = 0; i < size && field[i]; i++) {
		unsigned char c = (unsigned char)field[i];

		dst[i] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	dst[i] = '\0';
}

/* On failure the error names the sub-op: "xen_version(changeset): ...". */
static long xen_version(struct hv_handle *h, unsigned int cmd, const char *what,
			void *buf)
{
	char name[48];

	snprintf(name, sizeof(name), "xen_version(%s)", what);
	return hv_call(h, name, __HYPERVISOR_xen_version, cmd, (uint64_t)(uintptr_t)buf, 0, 0, 0);
}

/* One string sub-op into a locked buffer, then into `dst`. */
static int version_string(struct hv_handle *h, unsigned int cmd,
			  const char *what, char *dst, size_t size)
{
	char *buf = hv_buffer_alloc(h, size);
	long rc;

	if (!buf)
		return -ENOMEM;
	rc = xen_version(h, cmd, what, buf);
	if (rc >= 0) {
		hv_copy_field(dst, buf, size);
		rc = 0;
	}
	hv_buffer_free(h, buf, size);
	return (int)rc;
}

int hv_xen_version(struct hv_handle *h, struct hv_version *v)
{
	long ver;
	int rc;

	memset(v, 0, sizeof(*v));
	ver = xen_version(h, XENVER_version, "version", NULL);
	if (ver < 0)
		return (int)ver;
	v->major = (unsigned int)((unsigned long)ver >> 16);
	v->minor = (unsigned int)(ver & 0xffff);
	rc = version_string(h, XENVER_extraversion, "extraversion", v->extra,
			    XEN_EXTRAVERSION_LEN);
	if (rc)
		return rc;
	rc = version_string(h, XENVER_changeset, "changeset", v->changeset,
			    XEN_CHANGESET_INFO_LEN);
	if (rc)
		return rc;
	return version_string(h, XENVER_capabilities, "capabilities",
			      v->capabilities, XEN_CAPABILITIES_INFO_LEN);
}

int hv_version_string(const struct hv_version *v, char *buf, size_t len)
{
	return snprintf(buf, len, "%u.%u%s", v->major, v->minor, v->extra);
}
