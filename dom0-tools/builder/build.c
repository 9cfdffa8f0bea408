/*
 * build.c - writing a new PV domain through the caller's callbacks
 * (pvbuild.h): its frames, the kernel and initrd, the hypercall page, the
 * p2m and M2P, start_info, shared_info's event masks, the bootstrap page
 * tables, and vCPU 0's state.
 *
 * Each frame is mapped only while it is written, so when the L4 is
 * pinned no page-table frame is still mapped writable by the builder (the
 * hypervisor would refuse to type it). The order is fixed: frames, M2P,
 * contents, tables, pin, vCPU context, start.
 */
#include "private.h"

#define PTE_TABLE   (PVB_PTE_P | PVB_PTE_RW | PVB_PTE_US | PVB_PTE_A)
#define PTE_PAGE_RW (PVB_PTE_P | PVB_PTE_RW | PVB_PTE_US | PVB_PTE_A | PVB_PTE_D)
#define PTE_PAGE_RO (PVB_PTE_P | PVB_PTE_US | PVB_PTE_A)
#define RFLAGS_IF   0x200UL
#define RFLAGS_1    0x002UL     /* always-one bit */

struct writer {
	struct pvb_build *b;
	const struct pvb_params *p;
	const struct pvb_ops *ops;
	void *ctx;
};

/* Map the frame behind PFN pfn, or record why not. */
static uint8_t *map_pfn(struct writer *w, uint64_t pfn, const char *what)
{
	uint64_t mfn = w->p->p2m[pfn];
	uint8_t *page = w->ops->map(w->ctx, mfn);

	if (!page)
		pvb_fail(w->b, -PVB_ENOMEM, "%s: cannot map frame %#lx (PFN %#lx)", what,
			 (unsigned long)mfn, (unsigned long)pfn);
	return page;
}

/* Copy len bytes (src NULL: zeroes) to the region's VA va, page by page. */
static int write_va(struct writer *w, uint64_t va, const uint8_t *src, uint64_t len,
		    const char *what)
{
	const struct pvb_layout *l = &w->b->lay;

	while (len) {
		uint64_t off = va & (PVB_PAGE_SIZE - 1);
		uint64_t n = PVB_MIN(len, PVB_PAGE_SIZE - off);
		uint8_t *page = map_pfn(w, (va - l->v_start) >> PVB_PAGE_SHIFT, what);

		if (!page)
			return -PVB_ENOMEM;
		if (src) {
			memcpy(page + off, src, n);
			src += n;
		} else {
			memset(page + off, 0, n);
		}
		w->ops->unmap(w->ctx, page);
		va += n;
		len -= n;
	}
	return 0;
}

static int populate(struct writer *w)
{
	const struct pvb_params *p = w->p;
	struct pvb_build *b = w->b;
	int rc;

	for (uint64_t pfn = 0; pfn < p->nr_pages; pfn++)
		p->p2m[pfn] = pfn;
	rc = w->ops->populate(w->ctx, p->p2m, p->nr_pages);
	if (rc)
		return pvb_fail(b, rc, "memory: cannot get %lu frames for the domain (error %d)",
				(unsigned long)p->nr_pages, rc);
	for (unsigned int i = 0; i < b->nr_tables; i++)
		b->tables[i].mfn = p->p2m[b->tables[i].pfn];
	b->si_mfn = p->p2m[(b->lay.si_va - b->lay.v_start) >> PVB_PAGE_SHIFT];
	b->store_mfn = b->lay.store_va ? p->p2m[(b->lay.store_va - b->lay.v_start) >> PVB_PAGE_SHIFT] : 0;
	b->console_mfn = b->lay.console_va ?
			 p->p2m[(b->lay.console_va - b->lay.v_start) >> PVB_PAGE_SHIFT] : 0;
	b->l4_mfn = b->tables[0].mfn;
	rc = w->ops->set_m2p(w->ctx, p->p2m, 0, p->nr_pages);
	if (rc)
		return pvb_fail(b, rc, "memory: cannot record the M2P entries (error %d)", rc);
	return 0;
}

static int load_kernel(struct writer *w)
{
	const struct pvb_image *img = &w->b->img;
	uint8_t *page;
	int rc;

	for (unsigned int i = 0; i < img->nr_segs; i++) {
		const struct pvb_segment *s = &img->segs[i];

		rc = write_va(w, s->va, img->file + s->offset, s->filesz, "kernel");
		if (!rc)
			rc = write_va(w, s->va + s->filesz, NULL, s->memsz - s->filesz, "kernel");
		if (rc)
			return rc;
	}
	if (!img->hypercall_page)
		return 0;
	if (w->ops->hypercall_page) {
		uint64_t pfn = (img->hypercall_page - w->b->lay.v_start) >> PVB_PAGE_SHIFT;

		rc = w->ops->hypercall_page(w->ctx, w->p->p2m[pfn]);
		if (rc)
			return pvb_fail(w->b, rc, "the hypervisor did not fill the hypercall page "
					"(PFN %#lx, error %d)", (unsigned long)pfn, rc);
		return 0;
	}
	page = map_pfn(w, (img->hypercall_page - w->b->lay.v_start) >> PVB_PAGE_SHIFT, "hypercall page");
	if (!page)
		return -PVB_ENOMEM;
	pvb_hypercall_page(page);
	w->ops->unmap(w->ctx, page);
	return 0;
}

/* The initrd goes into its PFNs whether or not the region maps them. */
static int load_initrd(struct writer *w)
{
	const struct pvb_layout *l = &w->b->lay;
	const uint8_t *src = w->p->initrd;
	uint64_t left = w->p->initrd_size;

	for (uint64_t i = 0; i < l->initrd_pages; i++) {
		uint64_t n = PVB_MIN(left, PVB_PAGE_SIZE);
		uint8_t *page = map_pfn(w, l->initrd_pfn + i, "initrd");

		if (!page)
			return -PVB_ENOMEM;
		memcpy(page, src, n);
		memset(page + n, 0, PVB_PAGE_SIZE - n);
		w->ops->unmap(w->ctx, page);
		src += n;
		left -= n;
	}
	return 0;
}

/* The guest's p2m array, INVALID from nr_pages to its last page's end (Linux writes there). */
static int write_p2m(struct writer *w)
{
	const struct pvb_layout *l = &w->b->lay;

	for (uint64_t i = 0; i < l->p2m_pages; i++) {
		uint64_t *page = (uint64_t *)map_pfn(w, l->p2m_pfn + i, "p2m");

		if (!page)
			return -PVB_ENOMEM;
		for (uint64_t j = 0; j < 512; j++) {
			uint64_t pfn = i * 512 + j;

			page[j] = pfn < w->p->nr_pages ? w->p->p2m[pfn] : ~0UL;
		}
		w->ops->unmap(w->ctx, page);
	}
	return 0;
}

static int write_start_info(struct writer *w)
{
	const struct pvb_build *b = w->b;
	const struct pvb_layout *l = &b->lay;
	const struct pvb_params *p = w->p;
	struct start_info *si;
	static const char magic[] = "xen-3.0-x86_64";

	si = (struct start_info *)map_pfn(w, (l->si_va - l->v_start) >> PVB_PAGE_SHIFT, "start_info");
	if (!si)
		return -PVB_ENOMEM;
	memset(si, 0, PVB_PAGE_SIZE);
	memcpy(si->magic, magic, sizeof(magic));
	si->nr_pages = p->nr_pages;
	si->shared_info = p->shared_info_mfn << PVB_PAGE_SHIFT;
	si->flags = p->si_flags;
	si->store_mfn = b->store_mfn;
	si->store_evtchn = b->store_mfn ? p->store_evtchn : 0;
	si->console.domU.mfn = b->console_mfn;
	si->console.domU.evtchn = b->console_mfn ? p->console_evtchn : 0;
	si->pt_base = l->pt_va;
	si->nr_pt_frames = l->nr_pt;
	si->mfn_list = l->p2m_va;
	if (p->initrd_size) {
		si->mod_len = p->initrd_size;
		if (l->initrd_va) {
			si->mod_start = l->initrd_va;
		} else {
			si->mod_start = l->initrd_pfn;
			si->flags |= SIF_MOD_START_PFN;
		}
	}
	if (b->img.init_p2m) {
		si->first_p2m_pfn = l->p2m_pfn;
		si->nr_p2m_frames = l->p2m_pages + l->nr_p2m_pt;
	}
	if (p->cmdline)
		memcpy(si->cmd_line, p->cmdline, strnlen(p->cmdline, MAX_GUEST_CMDLINE - 1));
	w->ops->unmap(w->ctx, si);
	return 0;
}

/*
 * Every vCPU starts with event upcalls masked: the kernel unmasks them
 * once its callbacks are registered. A new domain's shared_info is all
 * zeroes on Xen, which leaves this to the toolstack (an upcall with no
 * callback would send the kernel to address 0); hv masks them itself
 * when it creates the domain, so on hv this changes nothing.
 */
static int init_shared_info(struct writer *w)
{
	struct shared_info *s = w->ops->map(w->ctx, w->p->shared_info_mfn);

	if (!s)
		return pvb_fail(w->b, -PVB_ENOMEM, "shared_info: cannot map frame %#lx",
				(unsigned long)w->p->shared_info_mfn);
	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		s->vcpu_info[i].evtchn_upcall_mask = 1;
	w->ops->unmap(w->ctx, s);
	return 0;
}

/* What a level-1 entry for va holds: the region's or the p2m's page, else nothing. */
static uint64_t leaf_entry(const struct writer *w, uint64_t va)
{
	const struct pvb_layout *l = &w->b->lay;
	uint64_t pt_first = (l->pt_va - l->v_start) >> PVB_PAGE_SHIFT;

	if (va >= l->v_start && va < l->v_end) {
		uint64_t pfn = (va - l->v_start) >> PVB_PAGE_SHIFT;
		bool table = pfn >= pt_first && pfn < pt_first + l->nr_pt;

		return (w->p->p2m[pfn] << PVB_PAGE_SHIFT) | (table ? PTE_PAGE_RO : PTE_PAGE_RW);
	}
	if (w->b->img.init_p2m && va >= l->p2m_va && va < l->p2m_va + (l->p2m_pages << PVB_PAGE_SHIFT)) {
		uint64_t pfn = l->p2m_pfn + ((va - l->p2m_va) >> PVB_PAGE_SHIFT);

		return (w->p->p2m[pfn] << PVB_PAGE_SHIFT) | PTE_PAGE_RW;
	}
	return 0;
}

/* Fill every planned table; each maps its children or its pages. */
static int write_tables(struct writer *w)
{
	const struct pvb_build *b = w->b;

	for (unsigned int t = 0; t < b->nr_tables; t++) {
		const struct pvb_table *tab = &b->tables[t];
		unsigned int shift = pvb_level_shift(tab->level);
		uint64_t *page = (uint64_t *)map_pfn(w, tab->pfn, "page tables");

		if (!page)
			return -PVB_ENOMEM;
		for (uint64_t i = 0; i < 512; i++) {
			uint64_t va = pvb_sign_extend(tab->base + (i << shift));
			const struct pvb_table *child;

			if (tab->level == 1) {
				page[i] = leaf_entry(w, va);
				continue;
			}
			child = pvb_find_table(b, tab->level - 1, va);
			page[i] = child ? (child->mfn << PVB_PAGE_SHIFT) | PTE_TABLE : 0;
		}
		w->ops->unmap(w->ctx, page);
	}
	return 0;
}

/* vCPU 0 as a 64-bit PV kernel starts (pv-abi.md §5.3). */
static void fill_context(struct pvb_build *b)
{
	struct vcpu_guest_context *c = &b->ctxt;
	uint64_t stack_top = b->lay.stack_va + PVB_PAGE_SIZE;

	memset(c, 0, sizeof(*c));
	c->flags = VGCF_in_kernel | VGCF_online;
	c->user_regs.rip = b->img.entry;
	c->user_regs.rsp = stack_top;
	c->user_regs.rsi = b->lay.si_va;
	c->user_regs.cs = FLAT_KERNEL_CS;
	c->user_regs.ss = FLAT_KERNEL_SS;
	c->user_regs.ds = c->user_regs.es = FLAT_KERNEL_DS;
	c->user_regs.fs = c->user_regs.gs = FLAT_KERNEL_DS;
	c->user_regs.rflags = RFLAGS_IF | RFLAGS_1;
	c->kernel_ss = FLAT_KERNEL_SS;
	c->kernel_sp = stack_top;
	c->ctrlreg[3] = b->l4_mfn << PVB_PAGE_SHIFT;
}

int pvb_build(struct pvb_build *b, const struct pvb_params *p, const struct pvb_ops *ops, void *ctx)
{
	struct writer w = { b, p, ops, ctx };
	int rc;

	if (!ops || !ops->populate || !ops->map || !ops->unmap || !ops->set_m2p || !ops->pin_l4 ||
	    !ops->set_vcpu_context)
		return pvb_fail(b, -PVB_EINVAL, "internal error: a builder callback is missing");
	rc = pvb_layout(b, p);
	if (!rc)
		rc = populate(&w);
	if (!rc)
		rc = load_kernel(&w);
	if (!rc)
		rc = load_initrd(&w);
	if (!rc)
		rc = write_p2m(&w);
	if (!rc)
		rc = write_start_info(&w);
	if (!rc)
		rc = init_shared_info(&w);
	if (!rc)
		rc = write_tables(&w);
	if (rc)
		return rc;
	rc = ops->pin_l4(ctx, b->l4_mfn);
	if (rc)
		return pvb_fail(b, rc, "the hypervisor refused the page tables: pinning L4 %#lx failed (error %d)",
				(unsigned long)b->l4_mfn, rc);
	fill_context(b);
	rc = ops->set_vcpu_context(ctx, 0, &b->ctxt);
	if (rc)
		return pvb_fail(b, rc, "the hypervisor refused vCPU 0's context (error %d)", rc);
	if (ops->start && (rc = ops->start(ctx)))
		return pvb_fail(b, rc, "the domain could not be started (error %d)", rc);
	return 0;
}

void pvb_hypercall_page(uint8_t *page)
{
	/* push %rcx; push %r11; mov $nr, %eax; syscall; pop %r11; pop %rcx; ret */
	static const uint8_t call[] = { 0x51, 0x41, 0x53, 0xb8, 0, 0, 0, 0, 0x0f, 0x05,
					0x41, 0x5b, 0x59, 0xc3 };
	/* iret is jumped to and never returns: push %rcx; push %r11; push %rax; mov $23, %eax; syscall */
	static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, __HYPERVISOR_iret, 0, 0, 0,
					0x0f, 0x05 };

	memset(page, 0xcc, PVB_PAGE_SIZE);
	for (unsigned int nr = 0; nr < HYPERCALL_NR_STUBS; nr++) {
		uint8_t *stub = page + nr * HYPERCALL_STUB_SIZE;

		if (nr == __HYPERVISOR_iret) {
			memcpy(stub, iret, sizeof(iret));
			continue;
		}
		memcpy(stub, call, sizeof(call));
		stub[4] = (uint8_t)nr;
	}
}

int pvb_fail(struct pvb_build *b, int rc, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(b->err, sizeof(b->err), fmt, ap);
	va_end(ap);
	return rc;
}
