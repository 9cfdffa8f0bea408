/*
 * control.c - hv's control interface (public/hvctl.h) through libhv:
 * the domctl and sysctl hypercalls and what tools build on them.
 *
 * Xen rejects hv's interface version with -EACCES (its own structures
 * differ), so that result gets a message saying which hypervisor speaks
 * what instead of a bare "Permission denied".
 *
 * A domain builder's calls on another domain's behalf live here too:
 * populate_physmap, MMU_MACHPHYS_UPDATE and MMUEXT_PIN_L4_TABLE naming
 * it. Whatever the hypervisor reads or writes goes through locked memory
 * from hv_buffer_alloc(); the caller's structures are copied in and, on
 * success, back out.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <public/hvctl.h>
#include <public/memory.h>
#include <public/xen.h>

#include "private.h"

int hv_domain_list(struct hv_handle *h, struct hv_domctl_info *out,
		   unsigned int max, unsigned int *count)
{
	struct hv_sysctl op = { .cmd = HV_SYSCTL_domain_list };
	struct hv_domctl_info *buf;
	size_t size = (size_t)max * sizeof(*buf);
	int rc;

	*count = 0;
	if (max == 0)
		return hv_set_error(h, -EINVAL, "domain list: room for 0 domains");
	buf = hv_buffer_alloc(h, size);
	if (!buf)
		return -ENOMEM;
	op.u.list.first_domain = 0;
	op.u.list.max = max;
	op.u.list.buffer = (uint64_t)(uintptr_t)buf;
	rc = hv_sysctl(h, &op);
	if (rc == 0 && op.u.list.count > max)
		rc = hv_set_error(h, -EIO, "sysctl(domain_list): %u entries "
				  "reported for room of %u", op.u.list.count, max);
	if (rc == 0) {
		memcpy(out, buf, (size_t)op.u.list.count * sizeof(*buf));
		*count = op.u.list.count;
	}
	hv_buffer_free(h, buf, size);
	return rc;
}

int hv_physinfo(struct hv_handle *h, struct hv_sysctl_physinfo *out)
{
	struct hv_sysctl op = { .cmd = HV_SYSCTL_physinfo };
	int rc = hv_sysctl(h, &op);

	if (rc == 0)
		*out = op.u.physinfo;
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

/* ---- domctl, and what a domain builder does ---------------------------- */

#define M2P_BATCH 256

static const char *const domctl_names[] = {
	[HV_DOMCTL_create] = "create",
	[HV_DOMCTL_destroy] = "destroy",
	[HV_DOMCTL_pause] = "pause",
	[HV_DOMCTL_unpause] = "unpause",
	[HV_DOMCTL_shutdown] = "shutdown",
	[HV_DOMCTL_getinfo] = "getinfo",
	[HV_DOMCTL_max_mem] = "max_mem",
	[HV_DOMCTL_sched_get] = "sched_get",
	[HV_DOMCTL_sched_set] = "sched_set",
	[HV_DOMCTL_set_vcpu_context] = "set_vcpu_context",
	[HV_DOMCTL_vcpu_up] = "vcpu_up",
	[HV_DOMCTL_ioport_permission] = "ioport_permission",
	[HV_DOMCTL_iomem_permission] = "iomem_permission",
	[HV_DOMCTL_irq_permission] = "irq_permission",
	[HV_DOMCTL_evtchn_alloc] = "evtchn_alloc",
	[HV_DOMCTL_set_memory_map] = "set_memory_map",
};

static const char *const sysctl_names[] = {
	[HV_SYSCTL_domain_list] = "domain_list",
	[HV_SYSCTL_physinfo] = "physinfo",
	[HV_SYSCTL_readconsole] = "readconsole",
};

/*
 * One domctl or sysctl (hypercall `nr`): the caller's structure `op` of
 * `size` bytes goes through locked memory and comes back on success.
 */
static int control(struct hv_handle *h, unsigned int nr, void *op, size_t size,
		   const char *what)
{
	void *buf = hv_buffer_alloc(h, size);
	long rc;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, op, size);
	rc = hv_call(h, what, nr, (uint64_t)(uintptr_t)buf, 0, 0, 0, 0);
	if (rc == -EACCES)
		hv_set_error(h, (int)rc, "%s: the hypervisor refuses hv's control interface %#x "
			     "(not hv, or another version of it)", what, HVCTL_INTERFACE_VERSION);
	if (rc >= 0)
		memcpy(op, buf, size);
	hv_buffer_free(h, buf, size);
	return rc < 0 ? (int)rc : 0;
}

int hv_domctl(struct hv_handle *h, struct hv_domctl *op)
{
	char what[64];

	if (op->cmd < sizeof(domctl_names) / sizeof(domctl_names[0]) && domctl_names[op->cmd])
		snprintf(what, sizeof(what), "domctl(%s, domain %u)", domctl_names[op->cmd],
			 op->domain);
	else
		snprintf(what, sizeof(what), "domctl(%u, domain %u)", op->cmd, op->domain);
	op->interface_version = HVCTL_INTERFACE_VERSION;
	return control(h, __HYPERVISOR_domctl, op, sizeof(*op), what);
}

int hv_sysctl(struct hv_handle *h, struct hv_sysctl *op)
{
	char what[48];

	if (op->cmd < sizeof(sysctl_names) / sizeof(sysctl_names[0]) && sysctl_names[op->cmd])
		snprintf(what, sizeof(what), "sysctl(%s)", sysctl_names[op->cmd]);
	else
		snprintf(what, sizeof(what), "sysctl(%u)", op->cmd);
	op->interface_version = HVCTL_INTERFACE_VERSION;
	return control(h, __HYPERVISOR_sysctl, op, sizeof(*op), what);
}

static int simple(struct hv_handle *h, uint16_t dom, uint32_t cmd)
{
	struct hv_domctl op = { .cmd = cmd, .domain = dom };

	return hv_domctl(h, &op);
}

int hv_domain_create(struct hv_handle *h, const struct hv_domctl_create *c, uint16_t *dom)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_create, .domain = *dom };
	int rc;

	op.u.create = *c;
	rc = hv_domctl(h, &op);
	if (!rc)
		*dom = op.domain;
	return rc;
}

int hv_domain_destroy(struct hv_handle *h, uint16_t dom)
{
	return simple(h, dom, HV_DOMCTL_destroy);
}

int hv_domain_pause(struct hv_handle *h, uint16_t dom)
{
	return simple(h, dom, HV_DOMCTL_pause);
}

int hv_domain_unpause(struct hv_handle *h, uint16_t dom)
{
	return simple(h, dom, HV_DOMCTL_unpause);
}

int hv_domain_getinfo(struct hv_handle *h, uint16_t dom, struct hv_domctl_info *info)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_getinfo, .domain = dom };
	int rc = hv_domctl(h, &op);

	if (!rc)
		*info = op.u.info;
	return rc;
}

int hv_evtchn_alloc(struct hv_handle *h, uint16_t dom, uint16_t remote, uint32_t *port)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_evtchn_alloc, .domain = dom };
	int rc;

	op.u.evtchn.remote_dom = remote;
	rc = hv_domctl(h, &op);
	if (!rc)
		*port = op.u.evtchn.port;
	return rc;
}

int hv_vcpu_up(struct hv_handle *h, uint16_t dom, unsigned int vcpu)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_vcpu_up, .domain = dom };

	op.u.vcpu.vcpu = vcpu;
	return hv_domctl(h, &op);
}

int hv_set_vcpu_context(struct hv_handle *h, uint16_t dom, unsigned int vcpu,
			const struct vcpu_guest_context *c)
{
	struct hv_domctl op = { .cmd = HV_DOMCTL_set_vcpu_context, .domain = dom };
	struct vcpu_guest_context *buf = hv_buffer_alloc(h, sizeof(*buf));
	int rc;

	if (!buf)
		return -ENOMEM;
	memcpy(buf, c, sizeof(*buf));
	op.u.vcpu_context.vcpu = vcpu;
	op.u.vcpu_context.ctxt = (uint64_t)(uintptr_t)buf;
	rc = hv_domctl(h, &op);
	hv_buffer_free(h, buf, sizeof(*buf));
	return rc;
}

/* ---- memory and MMU on another domain's behalf ------------------------- */

int hv_populate_physmap(struct hv_handle *h, uint16_t dom, uint64_t *list, size_t n)
{
	struct xen_memory_reservation *r;
	uint64_t *extents;
	size_t size = sizeof(*r) + n * sizeof(*list);
	char what[64];
	long rc;

	if (!n)
		return 0;
	r = hv_buffer_alloc(h, size);
	if (!r)
		return -ENOMEM;
	extents = (uint64_t *)(r + 1);
	memcpy(extents, list, n * sizeof(*list));
	r->extent_start = (uint64_t)(uintptr_t)extents;
	r->nr_extents = n;
	r->domid = dom;
	snprintf(what, sizeof(what), "populate_physmap (domain %u, %zu pages)", dom, n);
	rc = hv_call(h, what, __HYPERVISOR_memory_op, XENMEM_populate_physmap,
		     (uint64_t)(uintptr_t)r, 0, 0, 0);
	/* The count is the hypervisor's word: more than asked is not believed. */
	if (rc >= 0 && (size_t)rc > n)
		rc = hv_set_error(h, -EIO, "populate_physmap (domain %u): %ld pages reported "
				  "for %zu asked", dom, rc, n);
	if (rc >= 0)
		memcpy(list, extents, (size_t)rc * sizeof(*list));
	hv_buffer_free(h, r, size);
	if (rc >= 0 && (size_t)rc < n)
		return hv_set_error(h, -ENOMEM, "populate_physmap (domain %u): %ld of %zu pages given",
				    dom, rc, n);
	return rc < 0 ? (int)rc : 0;
}

int hv_set_m2p(struct hv_handle *h, uint16_t dom, const uint64_t *mfns, uint64_t first_pfn,
	       size_t n)
{
	struct mmu_update *u = hv_buffer_alloc(h, M2P_BATCH * sizeof(*u));
	char what[64];
	long rc = 0;

	if (!u)
		return -ENOMEM;
	for (size_t i = 0; i < n && rc >= 0; ) {
		size_t k;

		for (k = 0; k < M2P_BATCH && i < n; k++, i++) {
			u[k].ptr = (mfns[i] << 12) | MMU_MACHPHYS_UPDATE;
			u[k].val = first_pfn + i;
		}
		snprintf(what, sizeof(what), "mmu_update M2P (domain %u, PFN %#lx)", dom,
			 (unsigned long)(first_pfn + i - k));
		rc = hv_call(h, what, __HYPERVISOR_mmu_update, (uint64_t)(uintptr_t)u, k, 0, dom, 0);
	}
	hv_buffer_free(h, u, M2P_BATCH * sizeof(*u));
	return rc < 0 ? (int)rc : 0;
}

int hv_pin_l4(struct hv_handle *h, uint16_t dom, uint64_t mfn)
{
	struct mmuext_op *op = hv_buffer_alloc(h, sizeof(*op));
	char what[64];
	long rc;

	if (!op)
		return -ENOMEM;
	op->cmd = MMUEXT_PIN_L4_TABLE;
	op->arg1.mfn = mfn;
	snprintf(what, sizeof(what), "pin L4 %#lx (domain %u)", (unsigned long)mfn, dom);
	rc = hv_call(h, what, __HYPERVISOR_mmuext_op, (uint64_t)(uintptr_t)op, 1, 0, dom, 0);
	hv_buffer_free(h, op, sizeof(*op));
	return rc < 0 ? (int)rc : 0;
}
