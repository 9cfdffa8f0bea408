/*
 * version.c - `hvctl version`: who is the hypervisor, through xen_version.
 */
#include <stdio.h>

#include "hvctl.h"
#include "libhv.h"

int cmd_version(const struct hvctl_opts *o, int argc, char **argv)
{
	struct hv_handle *h;
	struct hv_version v;
	char ver[64];
	int rc;

	if (argc != 1) {
		fprintf(stderr, "hvctl: version takes no arguments\n");
		return HVCTL_USAGE;
	}
	h = hv_open(o->device);
	if (!h) {
		fprintf(stderr, "hvctl: %s\n", hv_open_error());
		return HVCTL_FAILED;
	}
	rc = hv_xen_version(h, &v);
	if (rc < 0) {
		fprintf(stderr, "hvctl: %s\n", hv_last_error(h));
		hv_close(h);
		return HVCTL_FAILED;
	}
	hv_version_string(&v, ver, sizeof(ver));
	printf("version: %s\n", ver);
	printf("changeset: %s\n", v.changeset);
	printf("capabilities: %s\n", v.capabilities);
	hv_close(h);
	return HVCTL_OK;
}
