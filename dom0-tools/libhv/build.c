/*
 * build.c - the shared PV domain builder (dom0-tools/builder) over libhv:
 * its callbacks become populate_physmap, foreign mappings through
 * privcmd, MMU_MACHPHYS_UPDATE, MMUEXT_PIN_L4_TABLE and domctls. Tools
 * that call hv_build_pv link libpvbuild.a as well.
 */
#include <errno.h>
#include <stdio.h>
#include <string.h>

#include <public/hvctl.h>

#include "private.h"
#include "pvbuild.h"

struct build_ctx {
	struct hv_handle *h;
	uint16_t dom;
};

static int b_populate(void *ctx, uint64_t *list, uint64_t n)
{
	struct build_ctx *c = ctx;

	return hv_populate_physmap(c->h, c->dom, list, (size_t)n);
}

static void *b_map(void *ctx, uint64_t mfn)
{
	struct build_ctx *c = ctx;

	return hv_map_foreign(c->h, c->dom, mfn);
}

static void b_unmap(void *ctx, void *page)
{
	struct build_ctx *c = ctx;

	hv_unmap_foreign(c->h, page);
}

static int b_set_m2p(void *ctx, const uint64_t *mfns, uint64_t first_pfn, uint64_t n)
{
	struct build_ctx *c = ctx;

	return hv_set_m2p(c->h, c->dom, mfns, first_pfn, (size_t)n);
}

static int b_pin_l4(void *ctx, uint64_t mfn)
{
	struct build_ctx *c = ctx;

	return hv_pin_l4(c->h, c->dom, mfn);
}

static int b_set_vcpu_context(void *ctx, unsigned int vcpu, const struct vcpu_guest_context *vc)
{
	struct build_ctx *c = ctx;

	return hv_set_vcpu_context(c->h, c->dom, vcpu, vc);
}

static int b_start(void *ctx)
{
	struct build_ctx *c = ctx;
	int rc = hv_vcpu_up(c->h, c->dom, 0);

	return rc ? rc : hv_domain_unpause(c->h, c->dom);
}

int hv_build_pv(struct hv_handle *h, uint16_t dom, struct pvb_params *p, struct pvb_build *b,
		int start)
{
	struct build_ctx c = { h, dom };
	const struct pvb_ops ops = {
		.populate = b_populate, .map = b_map, .unmap = b_unmap, .set_m2p = b_set_m2p,
		.pin_l4 = b_pin_l4, .set_vcpu_context = b_set_vcpu_context,
		.start = start ? b_start : NULL,
	};
	struct hv_domctl_info info;
	char why[sizeof(h->err)];
	int rc;

	b->err[0] = '\0';
	h->err[0] = '\0';      /* from here on, an error is this build's */
	rc = hv_domain_getinfo(h, dom, &info);
	if (rc) {
		snprintf(b->err, sizeof(b->err), "%s", hv_last_error(h));
		return rc;
	}
	p->shared_info_mfn = info.shared_info_frame;
	rc = pvb_build(b, p, &ops, &c);
	if (rc) {
		/* The builder's reason, with the hypervisor's underneath when a call failed. */
		snprintf(why, sizeof(why), "%s", hv_last_error(h));
		hv_set_error(h, rc, "building domain %u: %s%s%s", dom, b->err,
			     h->err[0] ? "; " : "", h->err[0] ? why : "");
	}
	return rc;
}
