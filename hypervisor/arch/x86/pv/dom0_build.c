/*
 * The domains hv starts at boot: dom0 from the first boot module (a PV
 * ELF kernel, or a bzImage unpacked by kernel_image.c) and its initrd
 * from the second, and the domUs named by domu=. The toolstack's PV
 * domain builder (dom0-tools/builder, pvbuild.h) lays each one out as a
 * 64-bit PV kernel expects (pv-abi.md §5) and writes it; hv is the
 * builder's backend, handing out and mapping frames directly, pinning the
 * L4 through its PV MMU and setting vCPU 0's context as a domctl would.
 *
 * The image and the layout are checked before the domain exists, so a
 * bad module leaves no half-built domain behind: the builder says why.
 */
#include <hv/console.h>
#include <hv/dom0.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/event.h>
#include <hv/kernel_image.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/m2p.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <hv/cmdline.h>
#include <hv/multiboot2.h>
#include <hv/panic.h>
#include <hv/sched.h>
#include <public/features.h>
#include <public/xen.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/traps.h>

#include "pvbuild.h"

#define MIB (1UL << 20)

/* ---- the builder's callbacks: hv gives and maps frames directly ------- */

static int hv_populate(void *ctx, uint64_t *list, uint64_t n)
{
	struct domain *d = ctx;

	for (uint64_t i = 0; i < n; i++) {
		list[i] = domain_alloc_frame(d);
		if (list[i] == INVALID_MFN)
			return -ENOMEM;
	}
	return 0;
}

static void *hv_map(void *ctx, uint64_t mfn)
{
	return mfn_to_virt(mfn);
}

static void hv_unmap(void *ctx, void *page)
{
}

static int hv_set_m2p(void *ctx, const uint64_t *mfns, uint64_t first_pfn, uint64_t n)
{
	for (uint64_t i = 0; i < n; i++)
		m2p_set(mfns[i], first_pfn + i);
	return 0;
}

/* Pinned, as Linux expects of its first L4 (it unpins it later). */
static int hv_pin_l4(void *ctx, uint64_t mfn)
{
	return frame_pin(mfn, ctx, FT_L4);
}

static int hv_set_vcpu_context(void *ctx, unsigned int vcpu, const struct vcpu_guest_context *c)
{
	struct domain *d = ctx;
	long rc = arch_set_vcpu_context(d->vcpus[vcpu], c);

	if (!rc)
		d->vcpus[vcpu]->initialised = true;
	return (int)rc;
}

static const struct pvb_ops hv_build_ops = {
	.populate = hv_populate, .map = hv_map, .unmap = hv_unmap, .set_m2p = hv_set_m2p,
	.pin_l4 = hv_pin_l4, .set_vcpu_context = hv_set_vcpu_context,
	/* .hypercall_page NULL: the builder writes the stubs, as hv would. */
};

/* GRUB's module command line starts with the module's name: skip it (Xen does). */
static const char *kernel_cmdline(const char *s)
{
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

static void print_layout(const struct pvb_build *b, uint64_t initrd_len)
{
	const struct pvb_layout *l = &b->lay;

	pr_info(" Loaded kernel: %016lx->%016lx\n", b->img.kstart, b->img.kend);
	if (initrd_len)
		pr_info(" Init. ramdisk: %s at %s %#lx, %lu bytes\n", l->initrd_va ? "mapped" : "unmapped",
			l->initrd_va ? "VA" : "PFN", l->initrd_va ? l->initrd_va : l->initrd_pfn,
			initrd_len);
	pr_info(" Phys-Mach map: %016lx (%lu pages%s)\n", l->p2m_va, l->p2m_pages,
		b->img.init_p2m ? ", own page tables" : "");
	pr_info(" Start info:    %016lx\n", l->si_va);
	pr_info(" Page tables:   %016lx (%lu frames)\n", l->pt_va, l->nr_pt);
	pr_info(" Boot stack:    %016lx\n", l->stack_va);
	pr_info(" TOTAL:         %016lx->%016lx\n", l->v_start, l->v_end);
	if (b->img.hypercall_page)
		pr_info(" Hypercall page: %016lx\n", b->img.hypercall_page);
}

/* What to build: the same builder makes dom0 and boot-time domUs. */
struct build_args {
	const char *who;		/* "dom0 kernel", "domain 1 kernel" (the module) */
	const char *name;		/* "dom0", "domain 1" (the builder's messages) */
	domid_t id;
	bool privileged;
	const struct boot_module *kernel, *initrd;
	uint64_t nr_pages, max_pages;
	unsigned int max_vcpus, weight, cap;
};

/* Frames hv could hand out: the heap's small-object pages never come back, so count them in. */
static uint64_t frames_available(void)
{
	return frames_free_count() + heap_class_pages();
}

/* A boot domU that failed half way gives every frame back; say so, for the tests. */
static void destroy_half_built(struct domain *d, uint64_t free_before)
{
	domid_t id = d->id;

	domain_destroy(d);
	pr_info("domain %u: destroyed half built; %lu frames free before it, %lu after%s\n", id,
		free_before, frames_available(), domain_by_id(id) ? " (not yet reaped)" : "");
}

static struct domain *build_one(const struct build_args *a, struct pvb_build *b,
				struct pvb_params *p)
{
	uint64_t free_before;
	struct domain *d;

	/* No frame is taken until the image and the layout are known good. */
	if (pvb_layout(b, p)) {
		pr_err("%s: %s; not loaded\n", a->name, b->err);
		return NULL;
	}
	if (a->privileged && !(b->img.supported_features & (1u << XENFEAT_dom0))) {
		pr_err("%s: kernel: it does not declare support for running as dom0; not loaded\n",
		       a->name);
		return NULL;
	}
	free_before = frames_available();
	d = domain_create(a->id, &(struct domain_config){
		.privileged = a->privileged, .max_vcpus = a->max_vcpus,
		.max_pages = a->max_pages });
	if (!d) {
		pr_err("%s: out of memory for the domain\n", a->who);
		return NULL;
	}
	d->weight = a->weight;
	d->cap = a->cap;
	p->shared_info_mfn = d->shared_info_mfn;
	if (pvb_build(b, p, &hv_build_ops, d)) {
		pr_err("%s: %s\n", a->name, b->err);
		if (!a->privileged)
			destroy_half_built(d, free_before);	/* dom0's failure ends the boot */
		return NULL;
	}
	d->p2m_size = p->nr_pages;
	pr_info("domain %u: %s %s kernel, entry %#lx, %lu pages (%lu MiB), weight %u%s\n",
		d->id, b->img.guest_os, b->img.guest_version, b->img.entry, p->nr_pages,
		(p->nr_pages << PAGE_SHIFT) / MIB, d->weight, a->privileged ? ", privileged" : "");
	print_layout(b, p->initrd_size);
	return d;
}

static struct domain *build_pv_domain(const struct build_args *a)
{
	static char cmdline[MAX_GUEST_CMDLINE];
	struct pvb_params p = {
		.kernel = maddr_to_virt(a->kernel->start),
		.kernel_size = a->kernel->end - a->kernel->start,
		.initrd = a->initrd ? maddr_to_virt(a->initrd->start) : NULL,
		.initrd_size = a->initrd ? a->initrd->end - a->initrd->start : 0,
		.cmdline = cmdline,
		.nr_pages = a->nr_pages,
		.si_flags = a->privileged ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0,
	};
	struct pvb_build *b = xmalloc(sizeof(*b));	/* 40 KiB, only while building */
	struct domain *d = NULL;

	/* Longer than start_info holds: cut, as Xen does. */
	strlcpy(cmdline, kernel_cmdline(a->kernel->cmdline), sizeof(cmdline));
	p.p2m = xmalloc(p.nr_pages * sizeof(uint64_t));
	if (b && p.p2m)
		d = build_one(a, b, &p);
	else
		pr_err("%s: out of memory for the domain\n", a->who);
	xfree(p.p2m);
	xfree(b);
	return d;
}

/*
 * domu=<module>[:mem=<size>][:weight=<n>][:cap=<percent>][:vcpus=<n>]
 * (hv's own, repeatable): boot module <module> becomes an unprivileged PV
 * domain started with dom0 (like Xen's dom0less), e.g. to test
 * interdomain channels before a toolstack exists. Defaults: 32 MiB,
 * weight 256, one vCPU. vCPU 0 starts; the others wait, as on Xen, for
 * the guest's VCPUOP_initialise and VCPUOP_up.
 */
#define MAX_BOOT_DOMUS 8

struct domu_spec {
	unsigned int module;
	uint64_t mem;
	unsigned int weight, cap, vcpus;
};

static struct domu_spec domu_specs[MAX_BOOT_DOMUS];
static unsigned int nr_domu_specs;

static int parse_domu(const char *s)
{
	struct domu_spec d = { .mem = 32 * MIB, .weight = 256, .vcpus = 1 };
	uint64_t v;
	size_t n = parse_u64(s, &v);

	if (!n || v == 0 || v >= MB2_MAX_MODULES || nr_domu_specs == MAX_BOOT_DOMUS)
		return -EINVAL;
	d.module = (unsigned int)v;
	for (s += n; *s == ':'; ) {
		const char *val = strchr(s, '=');

		if (!val)
			return -EINVAL;
		val++;
		if (!strncmp(s, ":mem=", 5)) {
			if (parse_size(val, &s, &d.mem) || d.mem < MIB)
				return -EINVAL;
			continue;
		}
		n = parse_u64(val, &v);
		if (!n || v > 65535)
			return -EINVAL;
		if (!strncmp(s, ":weight=", 8) && v > 0)
			d.weight = (unsigned int)v;
		else if (!strncmp(s, ":cap=", 5) && v <= 100)
			d.cap = (unsigned int)v;
		else if (!strncmp(s, ":vcpus=", 7) && v > 0 && v <= MAX_VIRT_CPUS)
			d.vcpus = (unsigned int)v;
		else
			return -EINVAL;
		s = val + n;
	}
	if (*s)
		return -EINVAL;
	domu_specs[nr_domu_specs++] = d;
	return 0;
}
HV_PARAM_CUSTOM("domu", parse_domu);

static bool is_domu_module(unsigned int m)
{
	for (unsigned int i = 0; i < nr_domu_specs; i++)
		if (domu_specs[i].module == m)
			return true;
	return false;
}

struct domain *dom0_build(const struct boot_info *bi)
{
	struct kernel_image k;
	struct domain *d;
	uint64_t free;
	struct build_args a = {
		.who = "dom0 kernel",
		.name = "dom0",
		.id = 0,
		.privileged = true,
		.kernel = &k.module,
		.max_vcpus = 1,
		.initrd = bi->nr_modules > 1 && !is_domu_module(1) ? &bi->modules[1] : NULL,
		.weight = 256,
	};

	/* A bzImage is unpacked before dom0 is sized, which leaves room for it. */
	if (kernel_image_get(a.who, &bi->modules[0], &k))
		return NULL;
	free = frames_free_count() << PAGE_SHIFT;
	/* Leave room for the boot-time domUs before sizing dom0. */
	for (unsigned int i = 0; i < nr_domu_specs; i++)
		free -= MIN(free / 2, domu_specs[i].mem + 4 * MIB);
	a.nr_pages = dom0_mem_size(free) >> PAGE_SHIFT;
	a.max_pages = dom0_mem_has_max() ? dom0_mem_max(free) >> PAGE_SHIFT : 0xffffffffUL;
	d = build_pv_domain(&a);
	kernel_image_put(&k);
	return d;
}

void domus_build(const struct boot_info *bi)
{
	for (unsigned int i = 0; i < nr_domu_specs; i++) {
		const struct domu_spec *s = &domu_specs[i];
		struct kernel_image k;
		char who[32], name[16];
		struct build_args a = {
			.who = who,
			.name = name,
			.id = (domid_t)(i + 1),
			.kernel = &k.module,
			.nr_pages = s->mem >> PAGE_SHIFT,
			.max_pages = s->mem >> PAGE_SHIFT,
			.max_vcpus = s->vcpus,
			.weight = s->weight,
			.cap = s->cap,
		};

		snprintf(who, sizeof(who), "domain %u kernel", a.id);
		snprintf(name, sizeof(name), "domain %u", a.id);
		if (s->module >= bi->nr_modules) {
			pr_err("domu=%u: there is no boot module %u; no domain %u\n", s->module,
			       s->module, a.id);
			continue;
		}
		if (kernel_image_get(who, &bi->modules[s->module], &k) || !build_pv_domain(&a))
			pr_err("domain %u: not started\n", a.id);
		kernel_image_put(&k);
	}
}

/* Every boot domain's first vCPU becomes runnable; the scheduler takes over. */
void __noreturn domains_start(void)
{
	wrmsr(MSR_FS_BASE, 0);
	wrmsr(MSR_GS_BASE, 0);
	wrmsr(MSR_KERNEL_GS_BASE, 0);
	for (domid_t id = 0; id <= MAX_BOOT_DOMUS; id++) {
		struct domain *d = domain_by_id(id);

		if (!d)
			continue;
		vcpu_start_periodic(d->vcpus[0]);
		d->vcpus[0]->blocked = true;	/* not yet on a queue */
		sched_add(d->vcpus[0]);
		pr_info("domain %u: starting at %#lx\n", id, d->vcpus[0]->regs.rip);
	}
	sched_start();
}
