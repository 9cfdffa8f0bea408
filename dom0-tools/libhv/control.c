/*
 * control.c - hv's control interface (public/hvctl.h) through libhv:
 * the domctl and sysctl hypercalls and what tools build on them.
 *
 * Xen rejects hv's interface version with -EACCES (its own structures
 * differ), so that result gets a message saying which hypervisor speaks
 * what instead of a bare "Permission denied".
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <public/hvctl.h>
#include <public/xen.h>

#include "private.h"

/* op is domctl or sysctl; `what` names the command in messages. */
static int control_call(struct hv_handle *h, unsigned int op, void *arg,
			const char *what)
{
	struct hv_hypercall call = {
		.op = op,
		.arg = { (uint64_t)(uintptr_t)arg },
	};
	char why[sizeof(h->err)];
	long rc = hv_hypercall(h, &call);

	if (rc >= 0)
		return 0;
	if (rc == -EACCES)
		return hv_set_error(h, (int)rc, "%s: the hypervisor refuses hv's "
				    "control interface %#x (not hv, or another "
				    "version of it)", what, HVCTL_INTERFACE_VERSION);
	snprintf(why, sizeof(why), "%s", hv_last_error(h));
	return hv_set_error(h, (int)rc, "%s: %s", what, why);
}

int hv_domain_list(struct hv_handle *h, struct hv_domctl_info *out,
		   unsigned int max, unsigned int *count)
{
	struct hv_sysctl *op;
	struct hv_domctl_info *buf;
	size_t size = (size_t)max * sizeof(*buf);
	int rc;

	*count = 0;
	if (max == 0)
		return hv_set_error(h, -EINVAL, "domain list: room for 0 domains");
	op = hv_buffer_alloc(h, sizeof(*op));
	if (!op)
		return -ENOMEM;
	buf = hv_buffer_alloc(h, size);
	if (!buf) {
		hv_buffer_free(h, op, sizeof(*op));
		return -ENOMEM;
	}
	op->cmd = HV_SYSCTL_domain_list;
	op->interface_version = HVCTL_INTERFACE_VERSION;
	op->u.list.first_domain = 0;
	op->u.list.max = max;
	op->u.list.buffer = (uint64_t)(uintptr_t)buf;
	rc = control_call(h, __HYPERVISOR_sysctl, op, "sysctl(domain_list)");
	if (rc == 0 && op->u.list.count > max)
		rc = hv_set_error(h, -EIO, "sysctl(domain_list): %u entries "
				  "reported for room of %u", op->u.list.count, max);
	if (rc == 0) {
		memcpy(out, buf, (size_t)op->u.list.count * sizeof(*buf));
		*count = op->u.list.count;
	}
	hv_buffer_free(h, buf, size);
	hv_buffer_free(h, op, sizeof(*op));
	return rc;
}

int hv_physinfo(struct hv_handle *h, struct hv_sysctl_physinfo *out)
{
	struct hv_sysctl *op = hv_buffer_alloc(h, sizeof(*op));
	int rc;

	if (!op)
		return -ENOMEM;
	op->cmd = HV_SYSCTL_physinfo;
	op->interface_version = HVCTL_INTERFACE_VERSION;
	rc = control_call(h, __HYPERVISOR_sysctl, op, "sysctl(physinfo)");
	if (rc == 0)
		*out = op->u.physinfo;
	hv_buffer_free(h, op, sizeof(*op));
	return rc;
}

char hv_domain_state_letter(const struct hv_domctl_info *info)
{
	static const char letters[] = {
		[HV_DOMSTATE_running] = 'r',
		[HV_DOMSTATE_paused] = 'p',
		[HV_DOMSTATE_shutdown] = 's',
		[HV_DOMSTATE_crashed] = 'c',
		[HV_DOMSTATE_dying] = 'd',
		[HV_DOMSTATE_blocked] = 'b',
	};

	return info->state < sizeof(letters) ? letters[info->state] : '?';
}
