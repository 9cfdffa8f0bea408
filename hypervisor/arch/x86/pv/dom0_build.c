/*
 * Building domain 0 from the first boot module (a PV ELF kernel) and the
 * second (its initrd), exactly as a 64-bit PV kernel expects to find itself
 * (pv-abi.md §5). The bootstrap region starts at VIRT_BASE and maps PFN n
 * at VIRT_BASE + n * 4 KiB; in order it holds:
 *
 *   kernel image | [initrd] | [p2m] | start_info | page tables (RO) | stack
 *
 * padded to a 4 MiB boundary with at least 512 KiB to spare. The initrd is
 * left unmapped when the kernel accepts that (MOD_START_PFN), and the p2m
 * goes to its own address when the kernel asks (INIT_P2M); their PFNs then
 * follow the region's, with the p2m's page tables after the p2m.
 *
 * Everything is checked before the first frame is allocated (the image by
 * pv_image_parse, the sizes here), so a bad module leaves no half-built
 * domain behind: the builder reports why and returns an error.
 */
#include <hv/console.h>
#include <hv/dom0.h>
#include <hv/domain.h>
#include <hv/elf_pv.h>
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
#include <public/xen.h>
#include <asm/page.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define MIB (1UL << 20)
#define PTE_GUEST (_PAGE_PRESENT | _PAGE_USER | _PAGE_ACCESSED)
#define PTE_GUEST_RW (PTE_GUEST | _PAGE_RW | _PAGE_DIRTY)

struct layout {
	uint64_t v_start, v_end;	/* the bootstrap region */
	uint64_t initrd_va, initrd_pfn, initrd_pages;
	uint64_t p2m_va, p2m_pfn, p2m_pages;	/* p2m_pfn: first PFN of the p2m */
	uint64_t si_va, pt_va, stack_va;
	uint64_t nr_pt, boot_pfns;
	uint64_t p2m_tables_pfn;	/* INIT_P2M: first PFN of its page tables */
};

struct builder {
	struct domain *d;
	const struct pvb_image *img;
	struct layout lay;
	uint64_t nr_pages;
	mfn_t *p2m;			/* hv's copy while building */
	uint64_t pool_next, pool_end;	/* PFNs handed out as page tables */
};

static uint64_t pfn_of(const struct layout *l, uint64_t va)
{
	return (va - l->v_start) >> PAGE_SHIFT;
}

static void *pfn_to_virt(const struct builder *b, uint64_t pfn)
{
	return mfn_to_virt(b->p2m[pfn]);
}

/* Page tables needed to map [start, end): one L4 + distinct L3s, L2s, L1s. */
static uint64_t tables_for(uint64_t start, uint64_t end)
{
	uint64_t n = 1;

	for (unsigned int shift = L4_SHIFT; shift >= L2_SHIFT; shift -= 9)
		n += ((end - 1) >> shift) - (start >> shift) + 1;
	return n;
}

static int compute_layout(const struct pvb_image *img, uint64_t initrd_len, uint64_t nr_pages,
			  struct layout *l)
{
	uint64_t va, p2m_bytes = ALIGN_UP(nr_pages * 8, PAGE_SIZE);

	memset(l, 0, sizeof(*l));
	l->v_start = img->virt_base;
	if (img->kstart < l->v_start)
		return -EINVAL;
	va = img->kend;
	l->initrd_pages = ALIGN_UP(initrd_len, PAGE_SIZE) >> PAGE_SHIFT;
	if (initrd_len && !img->mod_start_pfn) {
		l->initrd_va = va;
		va += l->initrd_pages << PAGE_SHIFT;
	}
	l->p2m_pages = p2m_bytes >> PAGE_SHIFT;
	if (!img->init_p2m) {
		l->p2m_va = va;
		va += p2m_bytes;
	}
	l->si_va = va;
	va += PAGE_SIZE;
	l->pt_va = va;
	/* The tables map the region that contains them: grow until they fit. */
	for (l->nr_pt = 1;; l->nr_pt++) {
		l->stack_va = l->pt_va + (l->nr_pt << PAGE_SHIFT);
		l->v_end = ALIGN_UP(l->stack_va + PAGE_SIZE + 512 * 1024, 4 * MIB);
		if (l->v_end < l->v_start)
			return -EINVAL;
		if (tables_for(l->v_start, l->v_end) <= l->nr_pt)
			break;
	}
	l->boot_pfns = (l->v_end - l->v_start) >> PAGE_SHIFT;
	l->initrd_pfn = l->initrd_va ? pfn_of(l, l->initrd_va) : l->boot_pfns;
	if (img->init_p2m) {
		l->p2m_va = img->init_p2m;
		l->p2m_pfn = l->boot_pfns + (l->initrd_va ? 0 : l->initrd_pages);
		l->p2m_tables_pfn = l->p2m_pfn + l->p2m_pages;
	} else {
		l->p2m_pfn = pfn_of(l, l->p2m_va);
	}
	return 0;
}

/* The next page-table frame from the pool, zeroed (typed when the L4 is validated). */
static pte_t *new_table(struct builder *b, mfn_t *mfn)
{
	pte_t *t;

	BUG_ON(b->pool_next >= b->pool_end);
	*mfn = b->p2m[b->pool_next++];
	t = mfn_to_virt(*mfn);
	memset(t, 0, PAGE_SIZE);
	return t;
}

/* Map va → PFN in the guest's tables, making tables from the pool. */
static void map_pfn(struct builder *b, mfn_t l4, uint64_t va, uint64_t pfn, pte_t flags)
{
	static const unsigned int shift[] = { L4_SHIFT, L3_SHIFT, L2_SHIFT };
	pte_t *table = mfn_to_virt(l4);

	for (unsigned int i = 0; i < 3; i++) {
		pte_t *e = &table[pt_index(va, shift[i])];
		mfn_t mfn;

		if (!(*e & _PAGE_PRESENT)) {
			new_table(b, &mfn);
			*e = (mfn << PAGE_SHIFT) | PTE_GUEST | _PAGE_RW;
		}
		table = mfn_to_virt((*e & PTE_ADDR_MASK) >> PAGE_SHIFT);
	}
	table[pt_index(va, L1_SHIFT)] = (b->p2m[pfn] << PAGE_SHIFT) | flags;
}

static mfn_t build_page_tables(struct builder *b)
{
	const struct layout *l = &b->lay;
	uint64_t pt_first = pfn_of(l, l->pt_va);
	pte_t *l4;
	mfn_t l4_mfn;

	b->pool_next = pt_first;
	b->pool_end = pt_first + l->nr_pt;
	l4 = new_table(b, &l4_mfn);
	fill_hv_l4_slots(l4, b->d);
	for (uint64_t pfn = 0; pfn < l->boot_pfns; pfn++) {
		bool pt = pfn >= pt_first && pfn < pt_first + l->nr_pt;

		map_pfn(b, l4_mfn, l->v_start + (pfn << PAGE_SHIFT), pfn,
			pt ? PTE_GUEST : PTE_GUEST_RW);
	}
	if (b->img->init_p2m) {
		b->pool_next = l->p2m_tables_pfn;
		b->pool_end = b->nr_pages;
		for (uint64_t i = 0; i < l->p2m_pages; i++)
			map_pfn(b, l4_mfn, l->p2m_va + (i << PAGE_SHIFT), l->p2m_pfn + i, PTE_GUEST_RW);
	}
	return l4_mfn;
}

static void guest_write(void *ctx, uint64_t va, const void *src, size_t len)
{
	struct builder *b = ctx;

	while (len) {
		uint64_t off = va & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);

		memcpy((char *)pfn_to_virt(b, pfn_of(&b->lay, va)) + off, src, n);
		va += n;
		src = (const char *)src + n;
		len -= n;
	}
}

static void guest_zero(void *ctx, uint64_t va, size_t len)
{
	struct builder *b = ctx;

	while (len) {
		uint64_t off = va & (PAGE_SIZE - 1);
		size_t n = MIN(len, PAGE_SIZE - off);

		memset((char *)pfn_to_virt(b, pfn_of(&b->lay, va)) + off, 0, n);
		va += n;
		len -= n;
	}
}

/* Xen's hypercall page: 128 stubs of 32 bytes; #23 (iret) is jumped to. */
static void fill_hypercall_page(uint8_t *p)
{
	memset(p, 0xcc, PAGE_SIZE);
	for (unsigned int i = 0; i < 128; i++) {
		uint8_t *s = p + i * 32;

		if (i == __HYPERVISOR_iret) {
			static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0, 0x0f, 0x05 };

			memcpy(s, iret, sizeof(iret));
			continue;
		}
		/* push %rcx; push %r11; mov $i, %eax; syscall; pop %r11; pop %rcx; ret */
		s[0] = 0x51; s[1] = 0x41; s[2] = 0x53; s[3] = 0xb8;
		s[4] = (uint8_t)i; s[5] = 0; s[6] = 0; s[7] = 0;
		s[8] = 0x0f; s[9] = 0x05; s[10] = 0x41; s[11] = 0x5b; s[12] = 0x59; s[13] = 0xc3;
	}
}

/* GRUB's module command line starts with the module's name: skip it (Xen does). */
static const char *kernel_cmdline(const char *s)
{
	while (*s && *s != ' ')
		s++;
	while (*s == ' ')
		s++;
	return s;
}

static void fill_start_info(struct builder *b, const struct boot_module *kmod, uint64_t initrd_len,
			    mfn_t l4)
{
	const struct layout *l = &b->lay;
	struct start_info *si = pfn_to_virt(b, pfn_of(l, l->si_va));

	memset(si, 0, PAGE_SIZE);
	strlcpy(si->magic, "xen-3.0-x86_64", sizeof(si->magic));
	si->nr_pages = b->nr_pages;
	si->shared_info = b->d->shared_info_mfn << PAGE_SHIFT;
	si->flags = b->d->initial ? SIF_PRIVILEGED | SIF_INITDOMAIN : 0;
	si->pt_base = l->pt_va;
	si->nr_pt_frames = l->nr_pt;
	si->mfn_list = l->p2m_va;
	if (initrd_len) {
		si->mod_len = initrd_len;
		if (l->initrd_va) {
			si->mod_start = l->initrd_va;
		} else {
			si->mod_start = l->initrd_pfn;
			si->flags |= SIF_MOD_START_PFN;
		}
	}
	if (b->img->init_p2m) {
		si->first_p2m_pfn = l->p2m_pfn;
		si->nr_p2m_frames = b->pool_next - l->p2m_pfn;
	}
	strlcpy(si->cmd_line, kernel_cmdline(kmod->cmdline), sizeof(si->cmd_line));
	(void)l4;
}

static void fill_p2m_and_m2p(struct builder *b)
{
	uint64_t *p2m = NULL;

	for (uint64_t pfn = 0; pfn < b->nr_pages; pfn++)
		m2p_set(b->p2m[pfn], pfn);
	/* The guest's p2m array, padded with INVALID to its last page's end. */
	for (uint64_t i = 0; i < b->lay.p2m_pages * 512; i++) {
		if (i % 512 == 0)
			p2m = pfn_to_virt(b, b->lay.p2m_pfn + i / 512);
		p2m[i % 512] = i < b->nr_pages ? b->p2m[i] : ~0UL;
	}
}

static void init_vcpu0(struct builder *b, mfn_t l4)
{
	struct vcpu *v = b->d->vcpus[0];
	const struct layout *l = &b->lay;

	memset(&v->regs, 0, sizeof(v->regs));
	v->regs.rip = b->img->entry;
	v->regs.rsp = l->stack_va + PAGE_SIZE;
	v->regs.rsi = l->si_va;
	v->regs.cs = FLAT_KERNEL_CS;
	v->regs.ss = FLAT_KERNEL_SS;
	v->regs.rflags = 0x202;
	v->kernel_l4 = l4;
	v->kernel_mode = true;
	v->initialised = true;
}

static void print_layout(const struct builder *b, uint64_t initrd_len)
{
	const struct layout *l = &b->lay;

	pr_info(" Loaded kernel: %016lx->%016lx\n", b->img->kstart, b->img->kend);
	if (initrd_len)
		pr_info(" Init. ramdisk: %s at %s %#lx, %lu bytes\n", l->initrd_va ? "mapped" : "unmapped",
			l->initrd_va ? "VA" : "PFN", l->initrd_va ? l->initrd_va : l->initrd_pfn,
			initrd_len);
	pr_info(" Phys-Mach map: %016lx (%lu pages%s)\n", l->p2m_va, l->p2m_pages,
		b->img->init_p2m ? ", own page tables" : "");
	pr_info(" Start info:    %016lx\n", l->si_va);
	pr_info(" Page tables:   %016lx (%lu frames)\n", l->pt_va, l->nr_pt);
	pr_info(" Boot stack:    %016lx\n", l->stack_va);
	pr_info(" TOTAL:         %016lx->%016lx\n", l->v_start, l->v_end);
	if (b->img->hypercall_page)
		pr_info(" Hypercall page: %016lx\n", b->img->hypercall_page);
}

/* What to build: the same builder makes dom0 and boot-time domUs. */
struct build_args {
	const char *who;		/* "dom0 kernel", "domain 1 kernel" */
	domid_t id;
	bool privileged;
	const struct boot_module *kernel, *initrd;
	uint64_t nr_pages, max_pages;
	unsigned int weight, cap;
};

static struct domain *build_pv_domain(const struct build_args *a)
{
	uint64_t initrd_len = a->initrd ? a->initrd->end - a->initrd->start : 0;
	static struct pvb_image img;
	struct builder b = { .img = &img, .nr_pages = a->nr_pages };
	uint64_t needed;
	mfn_t l4;

	if (pv_image_parse(a->who, maddr_to_virt(a->kernel->start),
			   a->kernel->end - a->kernel->start, a->privileged, &img))
		return NULL;
	if (compute_layout(&img, initrd_len, b.nr_pages, &b.lay)) {
		pr_err("%s: its addresses leave no room for the boot region; not loaded\n", a->who);
		return NULL;
	}
	/* Page tables for an INIT_P2M mapping: at most the ones for its span. */
	needed = b.lay.boot_pfns + (b.lay.initrd_va ? 0 : b.lay.initrd_pages) +
		 (img.init_p2m ? b.lay.p2m_pages + tables_for(img.init_p2m, img.init_p2m +
							      (b.lay.p2m_pages << PAGE_SHIFT)) : 0);
	if (needed > b.nr_pages) {
		pr_err("%s: needs %lu MiB to boot but the domain gets %lu MiB; not loaded\n", a->who,
		       (needed << PAGE_SHIFT) / MIB + 1, (b.nr_pages << PAGE_SHIFT) / MIB);
		return NULL;
	}

	b.d = domain_create(a->id, &(struct domain_config){
		.privileged = a->privileged, .max_vcpus = 1, .max_pages = a->max_pages });
	b.p2m = xmalloc(b.nr_pages * sizeof(mfn_t));
	if (!b.d || !b.p2m) {
		pr_err("%s: out of memory for the domain\n", a->who);
		return NULL;
	}
	b.d->weight = a->weight;
	b.d->cap = a->cap;
	for (uint64_t pfn = 0; pfn < b.nr_pages; pfn++) {
		b.p2m[pfn] = domain_alloc_frame(b.d);
		if (b.p2m[pfn] == INVALID_MFN) {
			pr_err("%s: only %lu of %lu pages could be allocated\n", a->who, pfn, b.nr_pages);
			return NULL;
		}
	}

	l4 = build_page_tables(&b);
	fill_p2m_and_m2p(&b);
	pv_image_load(&img, guest_write, guest_zero, &b);
	if (initrd_len) {
		const uint8_t *src = maddr_to_virt(a->initrd->start);

		for (uint64_t i = 0; i < b.lay.initrd_pages; i++)
			memcpy(pfn_to_virt(&b, b.lay.initrd_pfn + i), src + (i << PAGE_SHIFT),
			       MIN(PAGE_SIZE, initrd_len - (i << PAGE_SHIFT)));
	}
	if (img.hypercall_page)
		fill_hypercall_page(pfn_to_virt(&b, pfn_of(&b.lay, img.hypercall_page)));
	fill_start_info(&b, a->kernel, initrd_len, l4);
	/*
	 * The tables become the PV MMU's: validating the L4 types every table
	 * below it and takes every entry's references. It starts pinned (Linux
	 * unpins it) and in CR3, each holding its own reference.
	 */
	if (frame_pin(l4, b.d, FT_L4) || frame_get_and_type(l4, b.d, FT_L4))
		panic("%s: hv built page tables its own PV MMU refuses", a->who);
	l4_m2p_slot(mfn_to_virt(l4), true);	/* a kernel base pointer sees the M2P */
	init_vcpu0(&b, l4);
	b.d->p2m_size = b.nr_pages;
	pr_info("domain %u: %s %s kernel, entry %#lx, %lu pages (%lu MiB), weight %u%s\n",
		b.d->id, img.guest_os, img.guest_version, img.entry, b.nr_pages,
		(b.nr_pages << PAGE_SHIFT) / MIB, b.d->weight, a->privileged ? ", privileged" : "");
	print_layout(&b, initrd_len);
	xfree(b.p2m);
	return b.d;
}

/*
 * domu=<module>[:mem=<size>][:weight=<n>][:cap=<percent>] (hv's own,
 * repeatable): boot module <module> becomes an unprivileged PV domain
 * started with dom0 (like Xen's dom0less), e.g. to test interdomain
 * channels before a toolstack exists. Defaults: 32 MiB, weight 256.
 */
#define MAX_BOOT_DOMUS 8

struct domu_spec {
	unsigned int module;
	uint64_t mem;
	unsigned int weight, cap;
};

static struct domu_spec domu_specs[MAX_BOOT_DOMUS];
static unsigned int nr_domu_specs;

static int parse_domu(const char *s)
{
	struct domu_spec d = { .mem = 32 * MIB, .weight = 256 };
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
		.id = 0,
		.privileged = true,
		.kernel = &k.module,
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
		char who[32];
		struct build_args a = {
			.who = who,
			.id = (domid_t)(i + 1),
			.kernel = &k.module,
			.nr_pages = s->mem >> PAGE_SHIFT,
			.max_pages = s->mem >> PAGE_SHIFT,
			.weight = s->weight,
			.cap = s->cap,
		};

		snprintf(who, sizeof(who), "domain %u kernel", a.id);
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
