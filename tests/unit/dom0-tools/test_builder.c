/*
 * test_builder.c - the PV domain builder on the host: domains are built
 * into a plain buffer through fake callbacks, then read back the way the
 * guest will see them — page tables walked from vCPU 0's CR3, start_info
 * and the p2m read through their virtual addresses — and compared with
 * the ELF as the system's <elf.h> reads it. The image checks are
 * test_elf.c's; here one refusal shows how a build reports them, and the
 * layout's and parameters' refusals follow. None may reach a callback.
 */
#include <check.h>
#include <elf.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <public/elfnote.h>
#include <public/features.h>
#include <public/xen.h>

#include "pvbuild.h"

#ifndef GUEST_PV_ELF
#error "GUEST_PV_ELF must name build/guest-pv/guest-pv"
#endif

#define PAGE 4096UL
#define MFN_BASE 0x40000UL
#define LINUX_BASE 0xffffffff80000000UL
#define SHARED_INFO_MFN 0x1234UL    /* not among the domain's frames, as shared_info is not */

/* ---- the fake domain: frames in a buffer -------------------------------- */

struct fake {
	uint64_t nr;                /* frames the buffer holds */
	uint8_t *mem;
	uint64_t *m2p;              /* by frame index; ~0 = unset */
	unsigned int *mapped;       /* open mappings, by frame index */
	uint64_t populated;         /* frames handed out */
	long open_maps, maps, calls;
	uint64_t pinned;
	unsigned int pins;
	struct vcpu_guest_context ctxt;
	int ctxt_sets, starts;
	/* Failure injection. */
	int fail_populate, fail_m2p, fail_pin, fail_ctxt, fail_start;
	long fail_map_after;        /* > 0: the n-th map fails */
	const char *bad;            /* first misuse seen */
};

static struct fake fk;
static struct pvb_build bld;
static struct shared_info shared_page __attribute__((aligned(4096)));
static unsigned int shared_mapped;

/* Frame index of PFN pfn: a permutation, so PFN and MFN orders differ. */
static uint64_t scatter(uint64_t pfn, uint64_t nr)
{
	return (pfn * 7919 + 13) % nr;
}

static void fake_init(uint64_t nr)
{
	free(fk.mem);
	free(fk.m2p);
	free(fk.mapped);
	memset(&fk, 0, sizeof(fk));
	ck_assert_msg(nr % 7919, "the permutation needs nr coprime to 7919");
	fk.nr = nr;
	fk.mem = calloc(nr, PAGE);
	fk.m2p = malloc(nr * sizeof(*fk.m2p));
	fk.mapped = calloc(nr, sizeof(*fk.mapped));
	ck_assert(fk.mem && fk.m2p && fk.mapped);
	memset(fk.m2p, 0xff, nr * sizeof(*fk.m2p));
	memset(&shared_page, 0, sizeof(shared_page));
	shared_mapped = 0;
}

static void misuse(const char *what)
{
	if (!fk.bad)
		fk.bad = what;
}

static uint8_t *frame(uint64_t mfn)
{
	if (mfn < MFN_BASE || mfn >= MFN_BASE + fk.nr)
		return NULL;
	return fk.mem + (mfn - MFN_BASE) * PAGE;
}

static int f_populate(void *ctx, uint64_t *list, uint64_t n)
{
	fk.calls++;
	if (fk.fail_populate)
		return fk.fail_populate;
	for (uint64_t i = 0; i < n; i++) {
		if (list[i] >= fk.nr || fk.populated >= fk.nr) {
			misuse("populate beyond the fake's frames");
			return -ENOMEM;
		}
		list[i] = MFN_BASE + scatter(list[i], fk.nr);
		fk.populated++;
	}
	return 0;
}

static void *f_map(void *ctx, uint64_t mfn)
{
	uint8_t *p = frame(mfn);

	fk.calls++;
	fk.maps++;
	if (fk.fail_map_after && fk.maps >= fk.fail_map_after)
		return NULL;
	if (mfn == SHARED_INFO_MFN) {
		shared_mapped++;
		fk.open_maps++;
		return &shared_page;
	}
	if (!p) {
		misuse("map of a frame the domain does not have");
		return NULL;
	}
	fk.mapped[mfn - MFN_BASE]++;
	fk.open_maps++;
	return p;
}

static void f_unmap(void *ctx, void *page)
{
	uint64_t off = (uint64_t)((uint8_t *)page - fk.mem);

	fk.calls++;
	if (page == (void *)&shared_page && shared_mapped) {
		shared_mapped--;
		fk.open_maps--;
		return;
	}
	if ((uint8_t *)page < fk.mem || off >= fk.nr * PAGE || off % PAGE || !fk.mapped[off / PAGE]) {
		misuse("unmap of something not mapped");
		return;
	}
	fk.mapped[off / PAGE]--;
	fk.open_maps--;
}

static int f_set_m2p(void *ctx, const uint64_t *mfns, uint64_t first_pfn, uint64_t n)
{
	fk.calls++;
	if (fk.fail_m2p)
		return fk.fail_m2p;
	for (uint64_t i = 0; i < n; i++) {
		if (!frame(mfns[i])) {
			misuse("M2P entry for a frame the domain does not have");
			return -EINVAL;
		}
		fk.m2p[mfns[i] - MFN_BASE] = first_pfn + i;
	}
	return 0;
}

static int f_pin_l4(void *ctx, uint64_t mfn)
{
	fk.calls++;
	if (fk.fail_pin)
		return fk.fail_pin;
	/* The hypervisor refuses a table the builder still maps writable. */
	if (fk.open_maps)
		misuse("pin while frames are still mapped");
	fk.pinned = mfn;
	fk.pins++;
	return 0;
}

static int f_set_ctxt(void *ctx, unsigned int vcpu, const struct vcpu_guest_context *c)
{
	fk.calls++;
	if (fk.fail_ctxt)
		return fk.fail_ctxt;
	if (vcpu != 0)
		misuse("context for a vCPU other than 0");
	fk.ctxt = *c;
	fk.ctxt_sets++;
	return 0;
}

static int f_start(void *ctx)
{
	fk.calls++;
	fk.starts++;
	return fk.fail_start;
}

static const struct pvb_ops ops = {
	.populate = f_populate, .map = f_map, .unmap = f_unmap, .set_m2p = f_set_m2p,
	.pin_l4 = f_pin_l4, .set_vcpu_context = f_set_ctxt, .start = f_start,
};

/* ---- reading the built domain back -------------------------------------- */

/* The leaf entry for va, walking from CR3 (0: not mapped). */
static uint64_t walk(uint64_t va, unsigned int *depth)
{
	uint64_t mfn = fk.ctxt.ctrlreg[3] >> 12;

	for (int level = 4; level >= 1; level--) {
		uint8_t *t = frame(mfn);
		uint64_t e;

		ck_assert_msg(t, "a table names frame %#lx, not the domain's", (unsigned long)mfn);
		memcpy(&e, t + ((va >> (12 + 9 * (level - 1))) & 511) * 8, 8);
		if (!(e & 1)) {
			if (depth)
				*depth = (unsigned int)level;
			return 0;
		}
		if (level == 1)
			return e;
		ck_assert_msg(!(e & 0x80), "PSE set in a level-%d entry", level);
		mfn = (e & 0x000ffffffffff000UL) >> 12;
	}
	return 0;
}

/* The byte at va as the guest reads it. */
static uint8_t *at_va(uint64_t va)
{
	uint64_t e = walk(va, NULL);
	uint8_t *f;

	ck_assert_msg(e, "VA %#lx is not mapped", (unsigned long)va);
	f = frame((e & 0x000ffffffffff000UL) >> 12);
	ck_assert(f);
	return f + (va & (PAGE - 1));
}

static void read_va(uint64_t va, void *dst, size_t len)
{
	uint8_t *d = dst;

	while (len) {
		size_t n = PAGE - (va & (PAGE - 1));

		n = n < len ? n : len;
		memcpy(d, at_va(va), n);
		d += n;
		va += n;
		len -= n;
	}
}

static uint8_t *pfn_frame(const uint64_t *p2m, uint64_t pfn)
{
	return frame(p2m[pfn]);
}

/* Every present leaf entry of every L1 the tables reach. */
static uint64_t count_leaves(void)
{
	uint64_t n = 0;
	uint8_t *l4 = frame(fk.ctxt.ctrlreg[3] >> 12);

	for (int i4 = 0; i4 < 512; i4++) {
		uint64_t e4, e3, e2, e1;

		memcpy(&e4, l4 + i4 * 8, 8);
		if (!(e4 & 1))
			continue;
		for (int i3 = 0; i3 < 512; i3++) {
			memcpy(&e3, frame((e4 >> 12) & 0xffffffffffUL) + i3 * 8, 8);
			if (!(e3 & 1))
				continue;
			for (int i2 = 0; i2 < 512; i2++) {
				memcpy(&e2, frame((e3 >> 12) & 0xffffffffffUL) + i2 * 8, 8);
				if (!(e2 & 1))
					continue;
				for (int i1 = 0; i1 < 512; i1++) {
					memcpy(&e1, frame((e2 >> 12) & 0xffffffffffUL) + i1 * 8, 8);
					n += e1 & 1;
				}
			}
		}
	}
	return n;
}

/* ---- images -------------------------------------------------------------- */

static uint8_t *guest_elf;
static size_t guest_size;

static void load_guest_elf(void)
{
	FILE *f = fopen(GUEST_PV_ELF, "rb");

	ck_assert_msg(f, "cannot open %s (build guest-pv first)", GUEST_PV_ELF);
	fseek(f, 0, SEEK_END);
	guest_size = (size_t)ftell(f);
	fseek(f, 0, SEEK_SET);
	guest_elf = malloc(guest_size);
	ck_assert(guest_elf);
	ck_assert_uint_eq(fread(guest_elf, 1, guest_size, f), guest_size);
	fclose(f);
}

/*
 * A crafted, well-formed image: ELF header, program headers, one note
 * segment, segments' data. Malformed ones are test_elf.c's business.
 */
struct cnote {
	uint32_t type;
	uint8_t desc[64];
	uint32_t len;
};

struct cseg {
	uint64_t paddr, vaddr, filesz, memsz;
};

struct craft {
	uint64_t entry;
	struct cseg segs[20];
	unsigned int nsegs;
	struct cnote notes[20];
	unsigned int nnotes;
	bool notes_in_section;      /* SHT_NOTE section instead of PT_NOTE */
};

static void note_num(struct craft *c, uint32_t type, uint64_t v, uint32_t len)
{
	struct cnote *n = &c->notes[c->nnotes++];

	n->type = type;
	memcpy(n->desc, &v, 8);
	n->len = len;
}

static void note_str(struct craft *c, uint32_t type, const char *s)
{
	struct cnote *n = &c->notes[c->nnotes++];

	n->type = type;
	n->len = (uint32_t)strlen(s) + 1;
	memcpy(n->desc, s, n->len);
}

/* A small generic kernel: VIRT_BASE 0xffffffff80000000, one segment at paddr 0. */
static void craft_generic(struct craft *c)
{
	memset(c, 0, sizeof(*c));
	c->entry = LINUX_BASE + 0x40;
	c->segs[c->nsegs++] = (struct cseg){ .paddr = 0, .vaddr = LINUX_BASE, .filesz = 3 * PAGE + 100,
					     .memsz = 6 * PAGE };
	note_str(c, XEN_ELFNOTE_GUEST_OS, "crafted");
	note_str(c, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_str(c, XEN_ELFNOTE_LOADER, "generic");
	note_num(c, XEN_ELFNOTE_VIRT_BASE, LINUX_BASE, 8);
	note_num(c, XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
	note_num(c, XEN_ELFNOTE_HYPERCALL_PAGE, LINUX_BASE + PAGE, 8);
}

/* Like Linux 6.1: kernel at paddr 16 MiB, INIT_P2M, MOD_START_PFN, no LOADER. */
static void craft_linux(struct craft *c)
{
	memset(c, 0, sizeof(*c));
	c->entry = LINUX_BASE + 0x1000000 + 0x2000;
	c->segs[c->nsegs++] = (struct cseg){ .paddr = 0x1000000, .vaddr = LINUX_BASE + 0x1000000,
					     .filesz = 5 * PAGE, .memsz = 5 * PAGE };
	c->segs[c->nsegs++] = (struct cseg){ .paddr = 0x1400000, .vaddr = LINUX_BASE + 0x1400000,
					     .filesz = 2 * PAGE + 8, .memsz = 40 * PAGE };
	note_str(c, XEN_ELFNOTE_GUEST_OS, "linux");
	note_str(c, XEN_ELFNOTE_GUEST_VERSION, "2.6");
	note_str(c, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_num(c, XEN_ELFNOTE_VIRT_BASE, LINUX_BASE, 8);
	note_num(c, XEN_ELFNOTE_ENTRY, c->entry, 8);
	note_num(c, XEN_ELFNOTE_INIT_P2M, 0x8000000000UL, 8);
	note_num(c, XEN_ELFNOTE_MOD_START_PFN, 1, 4);
	note_str(c, XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
	note_num(c, XEN_ELFNOTE_SUPPORTED_FEATURES, (1 << 0) | (1 << 11) | (1 << 15), 4);
	note_num(c, XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
}

/* Segment data byte at file offset off: recognisable, never all zero. */
static uint8_t pattern(uint64_t off)
{
	return (uint8_t)(off * 13 + 7) | 1;
}

static uint8_t crafted[1 << 20];

static size_t craft_build(const struct craft *c)
{
	Elf64_Ehdr *eh = (Elf64_Ehdr *)crafted;
	unsigned int nph = c->nsegs + (c->notes_in_section ? 0 : 1);
	uint64_t off = sizeof(*eh) + (uint64_t)nph * sizeof(Elf64_Phdr);
	uint64_t notes_off, notes_len, end;

	memset(crafted, 0, sizeof(crafted));
	memcpy(eh->e_ident, ELFMAG, SELFMAG);
	eh->e_ident[EI_CLASS] = ELFCLASS64;
	eh->e_ident[EI_DATA] = ELFDATA2LSB;
	eh->e_ident[EI_VERSION] = EV_CURRENT;
	eh->e_type = ET_EXEC;
	eh->e_machine = EM_X86_64;
	eh->e_version = EV_CURRENT;
	eh->e_entry = c->entry;
	eh->e_phoff = sizeof(*eh);
	eh->e_ehsize = sizeof(*eh);
	eh->e_phentsize = sizeof(Elf64_Phdr);
	eh->e_phnum = (uint16_t)nph;

	/* The notes. */
	notes_off = off;
	for (unsigned int i = 0; i < c->nnotes; i++) {
		const struct cnote *n = &c->notes[i];
		uint32_t hdr[3] = { 4, n->len, n->type };     /* name "Xen\0" */

		memcpy(crafted + off, hdr, sizeof(hdr));
		off += 12;
		memcpy(crafted + off, "Xen", 4);
		off += 4;
		memcpy(crafted + off, n->desc, n->len);
		off += (n->len + 3) & ~3U;
	}
	notes_len = off - notes_off;
	off = (off + PAGE - 1) & ~(PAGE - 1);

	for (unsigned int i = 0; i < c->nsegs; i++) {
		const struct cseg *s = &c->segs[i];
		Elf64_Phdr *ph = (Elf64_Phdr *)(crafted + sizeof(*eh)) + i;

		ph->p_type = PT_LOAD;
		ph->p_flags = PF_R | PF_W | PF_X;
		ph->p_offset = off;
		ph->p_vaddr = s->vaddr;
		ph->p_paddr = s->paddr;
		ph->p_filesz = s->filesz;
		ph->p_memsz = s->memsz;
		ph->p_align = PAGE;
		ck_assert(off + s->filesz <= sizeof(crafted));
		for (uint64_t j = 0; j < s->filesz; j++)
			crafted[off + j] = pattern(off + j);
		off = (off + s->filesz + PAGE - 1) & ~(PAGE - 1);
	}
	end = off;
	if (c->notes_in_section) {
		Elf64_Shdr *sh = (Elf64_Shdr *)(crafted + end);

		memset(sh, 0, 2 * sizeof(*sh));
		sh[1].sh_type = SHT_NOTE;
		sh[1].sh_offset = notes_off;
		sh[1].sh_size = notes_len;
		eh->e_shoff = end;
		eh->e_shnum = 2;
		eh->e_shentsize = sizeof(*sh);
		end += 2 * sizeof(*sh);
	} else {
		Elf64_Phdr *ph = (Elf64_Phdr *)(crafted + sizeof(*eh)) + c->nsegs;

		ph->p_type = PT_NOTE;
		ph->p_offset = notes_off;
		ph->p_filesz = notes_len;
		ph->p_memsz = ph->p_filesz;
		ph->p_align = 4;
	}
	return end;
}

/* ---- building -------------------------------------------------------- */

#define MAX_PAGES 16384
static uint64_t p2m[MAX_PAGES];

static struct pvb_params params(const void *kernel, size_t size, uint64_t nr_pages)
{
	struct pvb_params p = {
		.kernel = kernel, .kernel_size = size, .nr_pages = nr_pages,
		.shared_info_mfn = SHARED_INFO_MFN, .p2m = p2m, .cmdline = "mode=peer port=5",
	};

	ck_assert(nr_pages <= MAX_PAGES);
	return p;
}

static void build_ok(const struct pvb_params *p)
{
	int rc;

	fake_init(p->nr_pages);
	rc = pvb_build(&bld, p, &ops, NULL);
	ck_assert_msg(rc == 0, "build failed (%d): %s", rc, bld.err);
	ck_assert_msg(!fk.bad, "the builder misused a callback: %s", fk.bad);
	ck_assert_int_eq(fk.open_maps, 0);
	ck_assert_uint_eq(fk.pins, 1);
	ck_assert_int_eq(fk.ctxt_sets, 1);
	ck_assert_int_eq(fk.starts, 1);
}

/*
 * What every built domain must show: the region mapped 1:1 from
 * VIRT_BASE (tables read-only, the rest writable), nothing else mapped
 * but the INIT_P2M range, p2m and M2P agreeing, start_info and vCPU 0 as
 * pv-abi.md §5 says.
 */
static void check_common(const struct pvb_params *p, uint64_t extra_leaves)
{
	const struct pvb_layout *l = &bld.lay;
	uint64_t pt_first = (l->pt_va - l->v_start) / PAGE;
	const struct vcpu_guest_context *c = &fk.ctxt;
	struct start_info si;
	uint64_t stack_top = l->stack_va + PAGE;

	/* vCPU 0. */
	ck_assert_uint_eq(c->ctrlreg[3] >> 12, fk.pinned);
	ck_assert_uint_eq(c->ctrlreg[3] & 0xfff, 0);
	ck_assert_uint_eq(c->user_regs.rip, bld.img.entry);
	ck_assert_uint_eq(c->user_regs.rsp, stack_top);
	ck_assert_uint_eq(c->user_regs.rsi, l->si_va);
	ck_assert_uint_eq(c->user_regs.cs, FLAT_KERNEL_CS);
	ck_assert_uint_eq(c->user_regs.ss, FLAT_KERNEL_SS);
	ck_assert_uint_eq(c->user_regs.ds | c->user_regs.es | c->user_regs.fs | c->user_regs.gs, 0);
	ck_assert_uint_eq(c->user_regs.rflags, 0x202);
	ck_assert_uint_eq(c->user_regs.rax | c->user_regs.rbx | c->user_regs.rdi, 0);
	ck_assert(c->flags & VGCF_in_kernel);
	ck_assert_uint_eq(c->kernel_ss, FLAT_KERNEL_SS);
	ck_assert_uint_eq(c->kernel_sp, stack_top);
	ck_assert_uint_eq(c->ctrlreg[1], 0);
	ck_assert_uint_eq(c->event_callback_eip | c->failsafe_callback_eip | c->gdt_ents, 0);

	/* Layout order and padding. */
	ck_assert_uint_eq(l->v_start, bld.img.virt_base);
	ck_assert(l->si_va >= bld.img.kend);
	ck_assert_uint_eq(l->stack_va, l->pt_va + l->nr_pt * PAGE);
	ck_assert_uint_eq(l->v_end % (4 << 20), 0);
	ck_assert(l->v_end - stack_top >= 512 * 1024);
	ck_assert(l->v_end - stack_top < 512 * 1024 + (4 << 20));
	ck_assert_uint_eq(l->boot_pfns, (l->v_end - l->v_start) / PAGE);
	ck_assert(l->pfns_used <= p->nr_pages);

	/* Every page of the region maps its PFN; tables read-only. */
	for (uint64_t pfn = 0; pfn < l->boot_pfns; pfn++) {
		uint64_t e = walk(l->v_start + pfn * PAGE, NULL);
		bool table = pfn >= pt_first && pfn < pt_first + l->nr_pt;

		ck_assert_msg((e >> 12) == p->p2m[pfn], "PFN %#lx maps frame %#lx, not %#lx",
			      (unsigned long)pfn, (unsigned long)(e >> 12), (unsigned long)p->p2m[pfn]);
		ck_assert_uint_eq(e & 0xfff, table ? 0x025 : 0x067);
	}
	ck_assert_uint_eq(walk(l->v_end, NULL), 0);
	if (l->v_start)
		ck_assert_uint_eq(walk(l->v_start - PAGE, NULL), 0);
	ck_assert_uint_eq(count_leaves(), l->boot_pfns + extra_leaves);
	/* The L4 is the first table frame, where pt_base says. */
	ck_assert_uint_eq(fk.pinned, p->p2m[pt_first]);
	ck_assert_uint_eq(bld.nr_tables, l->nr_pt + l->nr_p2m_pt);

	/* M2P and p2m agree for every frame. */
	for (uint64_t pfn = 0; pfn < p->nr_pages; pfn++)
		ck_assert_uint_eq(fk.m2p[p->p2m[pfn] - MFN_BASE], pfn);
	ck_assert_uint_eq(fk.populated, p->nr_pages);
	for (uint64_t i = 0; i < l->p2m_pages * 512; i++) {
		uint64_t v;

		read_va(l->p2m_va + i * 8, &v, 8);
		ck_assert_uint_eq(v, i < p->nr_pages ? p->p2m[i] : ~0UL);
	}

	/* start_info, read where rsi points. */
	read_va(l->si_va, &si, sizeof(si));
	ck_assert_str_eq(si.magic, "xen-3.0-x86_64");
	ck_assert_uint_eq(si.nr_pages, p->nr_pages);
	ck_assert_uint_eq(si.shared_info, p->shared_info_mfn << 12);
	ck_assert_uint_eq(si.pt_base, l->pt_va);
	ck_assert_uint_eq(si.nr_pt_frames, l->nr_pt);
	ck_assert_uint_eq(si.mfn_list, l->p2m_va);
	ck_assert_str_eq(si.cmd_line, p->cmdline ? p->cmdline : "");
	ck_assert_uint_eq(si.mod_len, p->initrd_size);

	/* Every vCPU's upcalls masked, as Xen's toolstack leaves them (Xen does not). */
	for (unsigned int i = 0; i < XEN_LEGACY_MAX_VCPUS; i++)
		ck_assert_uint_eq(shared_page.vcpu_info[i].evtchn_upcall_mask, 1);
}

/*
 * The image's PT_LOAD segments, as <elf.h> reads them, are at their VAs;
 * bss is zero. Compared a page-bounded run at a time: one walk and one
 * assertion per run (Check's assertions are too slow to take per byte).
 */
static void check_segments(const uint8_t *elf, uint64_t delta, uint64_t hypercall_page)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)elf;
	static const uint8_t zero[PAGE];

	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(elf + eh->e_phoff) + i;
		uint64_t j, run;

		if (ph->p_type != PT_LOAD)
			continue;
		for (j = 0; j < ph->p_memsz; j += run) {
			uint64_t va = ph->p_paddr + delta + j;
			const uint8_t *want;

			/* Up to the page's end, the file data's end, the segment's end. */
			run = PAGE - (va & (PAGE - 1));
			if (j < ph->p_filesz && run > ph->p_filesz - j)
				run = ph->p_filesz - j;
			if (run > ph->p_memsz - j)
				run = ph->p_memsz - j;
			want = j < ph->p_filesz ? elf + ph->p_offset + j : zero;
			if (hypercall_page && va >= hypercall_page && va < hypercall_page + PAGE)
				continue;
			ck_assert_msg(!memcmp(at_va(va), want, run), "bytes at %#lx..+%#lx differ",
				      (unsigned long)va, (unsigned long)run);
		}
	}
}

static void check_hypercall_page(uint64_t va)
{
	static const uint8_t xen_version[] = { 0x51, 0x41, 0x53, 0xb8, 17, 0, 0, 0, 0x0f, 0x05,
					       0x41, 0x5b, 0x59, 0xc3 };
	static const uint8_t iret[] = { 0x51, 0x41, 0x53, 0x50, 0xb8, 23, 0, 0, 0, 0x0f, 0x05 };
	uint8_t page[PAGE];

	read_va(va, page, PAGE);
	ck_assert(!memcmp(page + 17 * 32, xen_version, sizeof(xen_version)));
	ck_assert(!memcmp(page + 23 * 32, iret, sizeof(iret)));
	ck_assert_uint_eq(page[23 * 32 + sizeof(iret)], 0xcc);
	ck_assert_uint_eq(page[127 * 32 + 4], 127);
	ck_assert_uint_eq(page[17 * 32 + 14], 0xcc);
	ck_assert_uint_eq(page[PAGE - 1], 0xcc);
}

/* ---- guest-pv's own image ------------------------------------------------ */

START_TEST(guest_pv_layout)
{
	struct pvb_params p = params(guest_elf, guest_size, 2048);
	const struct pvb_layout *l = &bld.lay;
	struct start_info si;

	build_ok(&p);
	check_common(&p, 0);
	/* guest-pv: VIRT_BASE = entry = image start; no INIT_P2M, no MOD_START_PFN. */
	ck_assert_uint_eq(bld.img.virt_base, LINUX_BASE);
	ck_assert_uint_eq(bld.img.kstart, LINUX_BASE);
	ck_assert_uint_eq(bld.img.entry, LINUX_BASE);
	ck_assert_str_eq(bld.img.guest_os, "guest-pv");
	ck_assert(bld.img.supported_features & (1u << XENFEAT_dom0));
	ck_assert(bld.img.required_features & (1u << XENFEAT_writable_page_tables));
	ck_assert_uint_eq(l->p2m_va, bld.img.kend);
	ck_assert_uint_eq(l->p2m_pages, 4);
	ck_assert_uint_eq(l->si_va, l->p2m_va + 4 * PAGE);
	ck_assert_uint_eq(l->pt_va, l->si_va + PAGE);
	/* 4 MiB region: L4, L3, L2, two L1s. */
	ck_assert_uint_eq(l->v_end, LINUX_BASE + (4 << 20));
	ck_assert_uint_eq(l->nr_pt, 5);
	ck_assert_uint_eq(l->nr_p2m_pt, 0);
	check_segments(guest_elf, LINUX_BASE, bld.img.hypercall_page);
	check_hypercall_page(bld.img.hypercall_page);
	read_va(l->si_va, &si, sizeof(si));
	ck_assert_uint_eq(si.flags, 0);
	ck_assert_uint_eq(si.mod_start, 0);
	ck_assert_uint_eq(si.store_mfn | si.store_evtchn | si.console.domU.mfn, 0);
	ck_assert_uint_eq(si.first_p2m_pfn | si.nr_p2m_frames, 0);
	/* Everything after the region is RAM no mapping reaches: still zero. */
	for (uint64_t pfn = l->boot_pfns; pfn < p.nr_pages; pfn++)
		ck_assert_uint_eq(pfn_frame(p.p2m, pfn)[pfn % PAGE], 0);
}
END_TEST

/* guest-pv has no MOD_START_PFN: the initrd is mapped right after the kernel. */
START_TEST(guest_pv_mapped_initrd)
{
	struct pvb_params p = params(guest_elf, guest_size, 3000);
	const struct pvb_layout *l = &bld.lay;
	static uint8_t initrd[10000];
	struct start_info si;
	uint8_t tail[PAGE];

	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i * 7 + 3);
	p.initrd = initrd;
	p.initrd_size = sizeof(initrd);
	build_ok(&p);
	check_common(&p, 0);
	ck_assert_uint_eq(l->initrd_va, bld.img.kend);
	ck_assert_uint_eq(l->initrd_pages, 3);
	ck_assert_uint_eq(l->p2m_va, l->initrd_va + 3 * PAGE);
	ck_assert_uint_eq(l->p2m_pages, 6);    /* 3000 entries: 5.9 pages */
	read_va(l->si_va, &si, sizeof(si));
	ck_assert_uint_eq(si.mod_start, l->initrd_va);
	ck_assert_uint_eq(si.mod_len, sizeof(initrd));
	ck_assert_uint_eq(si.flags & SIF_MOD_START_PFN, 0);
	for (size_t i = 0; i < sizeof(initrd); i++)
		ck_assert_uint_eq(*at_va(l->initrd_va + i), initrd[i]);
	read_va(l->initrd_va + sizeof(initrd), tail, 3 * PAGE - sizeof(initrd));
	for (size_t i = 0; i < 3 * PAGE - sizeof(initrd); i++)
		ck_assert_uint_eq(tail[i], 0);
}
END_TEST

/* A xenstore and a console ring page after start_info, named in it. */
START_TEST(store_and_console_pages)
{
	struct pvb_params p = params(guest_elf, guest_size, 2048);
	const struct pvb_layout *l = &bld.lay;
	struct start_info si;

	p.store_evtchn = 3;
	p.console_evtchn = 4;
	build_ok(&p);
	check_common(&p, 0);
	ck_assert_uint_eq(l->store_va, l->si_va + PAGE);
	ck_assert_uint_eq(l->console_va, l->si_va + 2 * PAGE);
	ck_assert_uint_eq(l->pt_va, l->si_va + 3 * PAGE);
	read_va(l->si_va, &si, sizeof(si));
	ck_assert_uint_eq(si.store_mfn, p.p2m[(l->store_va - l->v_start) / PAGE]);
	ck_assert_uint_eq(si.store_evtchn, 3);
	ck_assert_uint_eq(si.console.domU.mfn, p.p2m[(l->console_va - l->v_start) / PAGE]);
	ck_assert_uint_eq(si.console.domU.evtchn, 4);
	ck_assert_uint_eq(bld.store_mfn, si.store_mfn);
	ck_assert_uint_eq(bld.console_mfn, si.console.domU.mfn);
}
END_TEST

/* ---- a Linux-shaped image ------------------------------------------------- */

START_TEST(linux_init_p2m_unmapped_initrd)
{
	struct craft c;
	size_t size;
	struct pvb_params p;
	const struct pvb_layout *l = &bld.lay;
	static uint8_t initrd[100000];
	struct start_info si;
	uint64_t first_p2m;

	craft_linux(&c);
	size = craft_build(&c);
	p = params(crafted, size, 9000);
	for (size_t i = 0; i < sizeof(initrd); i++)
		initrd[i] = (uint8_t)(i ^ (i >> 8));
	p.initrd = initrd;
	p.initrd_size = sizeof(initrd);
	p.cmdline = "root=/dev/xvda1 console=hvc0";
	build_ok(&p);
	ck_assert(bld.img.mod_start_pfn);
	ck_assert_uint_eq(bld.img.init_p2m, 0x8000000000UL);
	/* The kernel's PFNs start at 16 MiB: 0x1000, with the pages below it mapped too. */
	ck_assert_uint_eq(bld.img.kstart, LINUX_BASE + 0x1000000);
	ck_assert_uint_eq(l->initrd_va, 0);
	ck_assert_uint_eq(l->initrd_pages, 25);
	ck_assert_uint_eq(l->si_va, bld.img.kend);      /* no initrd, no p2m in the region */
	ck_assert_uint_eq(l->p2m_pages, 18);            /* 9000 entries */
	ck_assert_uint_eq(l->initrd_pfn, l->boot_pfns);
	first_p2m = l->boot_pfns + 25;
	ck_assert_uint_eq(l->p2m_pfn, first_p2m);
	ck_assert_uint_eq(l->p2m_pt_pfn, first_p2m + 18);
	/* slot 1 of the L4: a new L3, L2 and one L1 for 18 pages. */
	ck_assert_uint_eq(l->nr_p2m_pt, 3);
	check_common(&p, l->p2m_pages);
	check_segments(crafted, LINUX_BASE, 0);

	read_va(l->si_va, &si, sizeof(si));
	ck_assert_uint_eq(si.flags, SIF_MOD_START_PFN);
	ck_assert_uint_eq(si.mod_start, l->boot_pfns);
	ck_assert_uint_eq(si.first_p2m_pfn, first_p2m);
	ck_assert_uint_eq(si.nr_p2m_frames, 18 + 3);
	ck_assert_uint_eq(si.mfn_list, 0x8000000000UL);
	/* The initrd sits in its PFNs, unmapped. */
	for (size_t i = 0; i < sizeof(initrd); i++)
		ck_assert_uint_eq(pfn_frame(p.p2m, l->initrd_pfn + i / PAGE)[i % PAGE], initrd[i]);
	/* The p2m mapping: its pages RW at INIT_P2M, its tables are the PFNs after it. */
	for (uint64_t i = 0; i < 18; i++) {
		uint64_t e = walk(0x8000000000UL + i * PAGE, NULL);

		ck_assert_uint_eq(e >> 12, p.p2m[first_p2m + i]);
		ck_assert_uint_eq(e & 0xfff, 0x067);
	}
	ck_assert_uint_eq(walk(0x8000000000UL + 18 * PAGE, NULL), 0);
	for (unsigned int t = l->nr_pt; t < bld.nr_tables; t++)
		ck_assert(bld.tables[t].pfn >= first_p2m + 18 && bld.tables[t].pfn < first_p2m + 21);
	/* The region holds the whole low 16 MiB + kernel, well under 1 GiB. */
	ck_assert(l->v_end - l->v_start < (1UL << 30));
	ck_assert_uint_eq(*at_va(LINUX_BASE), 0);
}
END_TEST

/* ---- an XTF-shaped image: VIRT_BASE 0, linked at 1 MiB ---------------------- */

START_TEST(low_kernel_no_virt_base)
{
	struct craft c;
	struct pvb_params p;
	size_t size;

	memset(&c, 0, sizeof(c));
	c.entry = 0x100000;
	c.segs[c.nsegs++] = (struct cseg){ .paddr = 0x100000, .vaddr = 0x100000, .filesz = 2 * PAGE,
					   .memsz = 3 * PAGE };
	note_str(&c, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	note_str(&c, XEN_ELFNOTE_LOADER, "generic");
	note_num(&c, XEN_ELFNOTE_HYPERCALL_PAGE, 0x101000, 8);
	size = craft_build(&c);
	p = params(crafted, size, 1500);
	p.cmdline = NULL;
	build_ok(&p);
	ck_assert_uint_eq(bld.lay.v_start, 0);
	ck_assert_uint_eq(bld.img.kstart, 0x100000);
	check_common(&p, 0);
	check_segments(crafted, 0, 0x101000);
	check_hypercall_page(0x101000);
}
END_TEST

/* Notes in an SHT_NOTE section only (no PT_NOTE) are found too. */
START_TEST(notes_in_section)
{
	struct craft c;
	struct pvb_params p;

	craft_generic(&c);
	c.notes_in_section = true;
	p = params(crafted, craft_build(&c), 1100);
	build_ok(&p);
	ck_assert_str_eq(bld.img.guest_os, "crafted");
	ck_assert_uint_eq(bld.img.hypercall_page, LINUX_BASE + PAGE);
	check_common(&p, 0);
}
END_TEST

/* Several segments with a gap: each lands at its VA, the gap stays zero. */
START_TEST(segments_with_gap)
{
	struct craft c;
	struct pvb_params p;

	craft_generic(&c);
	c.segs[c.nsegs++] = (struct cseg){ .paddr = 0x10000, .vaddr = LINUX_BASE + 0x10000,
					   .filesz = 700, .memsz = 2 * PAGE + 5 };
	p = params(crafted, craft_build(&c), 1100);
	build_ok(&p);
	ck_assert_uint_eq(bld.img.nr_segs, 2);
	ck_assert_uint_eq(bld.img.kend, LINUX_BASE + 0x13000);
	check_common(&p, 0);
	check_segments(crafted, LINUX_BASE, bld.img.hypercall_page);
	ck_assert_uint_eq(*at_va(LINUX_BASE + 0x8000), 0);
}
END_TEST

START_TEST(hypercall_page_bytes)
{
	uint8_t page[PAGE];

	pvb_hypercall_page(page);
	for (unsigned int nr = 0; nr < 128; nr++) {
		const uint8_t *s = page + nr * 32;

		if (nr == 23)
			continue;
		ck_assert_uint_eq(s[3], 0xb8);
		ck_assert_uint_eq(s[4], nr);
		ck_assert_uint_eq(s[8], 0x0f);
		ck_assert_uint_eq(s[9], 0x05);
		ck_assert_uint_eq(s[13], 0xc3);
		for (unsigned int i = 14; i < 32; i++)
			ck_assert_uint_eq(s[i], 0xcc);
	}
}
END_TEST

/* ---- refusals ---------------------------------------------------------------- */

/* Nothing may reach a callback when the image or the parameters are bad. */
static void refused(const struct pvb_params *p, int rc_want, const char *msg)
{
	int rc;

	fake_init(p->nr_pages ? p->nr_pages : 1);
	rc = pvb_build(&bld, p, &ops, NULL);
	ck_assert_msg(rc == rc_want, "rc %d, expected %d (%s)", rc, rc_want, bld.err);
	ck_assert_msg(strstr(bld.err, msg), "message '%s' lacks '%s'", bld.err, msg);
	ck_assert_msg(fk.calls == 0, "a refused build made %ld callback calls", fk.calls);
}

static void refused_craft_rc(const struct craft *c, int rc, const char *msg)
{
	struct pvb_params p = params(crafted, craft_build(c), 2048);

	refused(&p, rc, msg);
}

static void refused_craft(const struct craft *c, const char *msg)
{
	refused_craft_rc(c, -ENOEXEC, msg);
}

/*
 * The image checks are the parser's (test_elf.c tries each one): a build
 * reports its message under "kernel: " and calls nothing.
 */
START_TEST(refuse_bad_image)
{
	static const char text[] = "#!/bin/sh\necho not a kernel\n";
	struct pvb_params p = params(text, sizeof(text), 2048);
	struct pvb_image img;
	char why[PVB_ERR_LEN], want[PVB_ERR_LEN + 8];
	struct craft c;

	ck_assert_int_eq(pvb_parse_image(&img, why, sizeof(why), text, sizeof(text)), -ENOEXEC);
	snprintf(want, sizeof(want), "kernel: %s", why);
	refused(&p, -ENOEXEC, want);
	ck_assert_str_eq(bld.err, want);
	/* A well-formed ELF the rules refuse: the same. */
	craft_generic(&c);
	note_str(&c, XEN_ELFNOTE_LOADER, "elf");
	refused_craft(&c, "kernel: LOADER note 'elf' is not 'generic'");
	p = params(NULL, 0, 2048);
	refused(&p, -EINVAL, "kernel: no image given");
}
END_TEST

/* What Xen accepts: a "required" writable_page_tables, unknown optional names, linux without LOADER. */
START_TEST(accept_loader_rules)
{
	struct craft c;
	struct pvb_params p;

	craft_generic(&c);
	note_str(&c, XEN_ELFNOTE_FEATURES, "!writable_page_tables|something_new|!dom0");
	p = params(crafted, craft_build(&c), 1100);
	build_ok(&p);
	ck_assert_uint_eq(bld.img.required_features,
			  (1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_dom0));
	craft_generic(&c);
	c.nnotes = 0;
	note_str(&c, XEN_ELFNOTE_GUEST_OS, "linux-ish");
	note_str(&c, XEN_ELFNOTE_XEN_VERSION, "xen-3.0-extra");
	note_num(&c, XEN_ELFNOTE_VIRT_BASE, LINUX_BASE, 8);
	p = params(crafted, craft_build(&c), 1100);
	build_ok(&p);
}
END_TEST

/* Images the parser takes whose boot region the layout cannot place. */
START_TEST(refuse_bad_region)
{
	struct craft c;

	craft_generic(&c);
	note_num(&c, XEN_ELFNOTE_INIT_P2M, LINUX_BASE + 0x100000, 8);
	refused_craft_rc(&c, -EINVAL, "would overlap the boot region");
	/* A region that would run off the top of the address space. */
	craft_generic(&c);
	note_num(&c, XEN_ELFNOTE_VIRT_BASE, 0xfffffffffff00000UL, 8);
	c.entry = 0xfffffffffff00040UL;
	note_num(&c, XEN_ELFNOTE_HYPERCALL_PAGE, 0xfffffffffff01000UL, 8);
	refused_craft_rc(&c, -EINVAL, "the boot region from 0xfffffffffff00000 would not fit");
}
END_TEST

START_TEST(refuse_bad_params)
{
	struct pvb_params p = params(guest_elf, guest_size, 900);
	static char longline[MAX_GUEST_CMDLINE + 1];
	static uint8_t big[2 << 20];

	refused(&p, -ENOMEM, "memory: the kernel needs 1024 pages (4096 KiB) to boot but the domain has 900");
	p = params(guest_elf, guest_size, 1023);
	refused(&p, -ENOMEM, "needs 1024 pages");
	p = params(guest_elf, guest_size, 0);
	refused(&p, -EINVAL, "memory: 0 pages is not a size the builder takes");
	p = params(guest_elf, guest_size, 2048);
	p.p2m = NULL;
	refused(&p, -EINVAL, "no room given for the p2m");
	p = params(guest_elf, guest_size, 2048);
	memset(longline, 'x', MAX_GUEST_CMDLINE);
	p.cmdline = longline;
	refused(&p, -E2BIG, "the command line is longer than 1023 bytes");
	longline[MAX_GUEST_CMDLINE - 1] = '\0';
	fake_init(2048);
	ck_assert_int_eq(pvb_build(&bld, &p, &ops, NULL), 0);
	p = params(guest_elf, guest_size, 2048);
	p.initrd_size = 10;
	refused(&p, -EINVAL, "initrd: 10 bytes but no data");
	/* An initrd mapped after the kernel pushes the region past the memory. */
	p = params(guest_elf, guest_size, 1030);
	p.initrd = big;
	p.initrd_size = sizeof(big);
	refused(&p, -ENOMEM, "needs 2048 pages");
	p.initrd_size = 1031 * PAGE;
	p.initrd = guest_elf;   /* only its size matters: refused before a byte is read */
	refused(&p, -E2BIG, "initrd: 4222976 bytes do not fit in 4120 KiB of memory");
}
END_TEST

/* pvb_layout alone: the same refusals, and a good layout without any callback. */
START_TEST(layout_only)
{
	struct pvb_params p = params(guest_elf, guest_size, 2048);

	ck_assert_int_eq(pvb_layout(&bld, &p), 0);
	ck_assert_uint_eq(bld.lay.pfns_used, 1024);
	ck_assert_uint_eq(bld.nr_tables, 5);
	p.nr_pages = 1000;
	ck_assert_int_eq(pvb_layout(&bld, &p), -ENOMEM);
}
END_TEST

/* ---- callback failures --------------------------------------------------------- */

static void callback_fails(int *knob, int err, const char *msg)
{
	struct pvb_params p = params(guest_elf, guest_size, 2048);
	int rc;

	fake_init(2048);
	*knob = err;
	rc = pvb_build(&bld, &p, &ops, NULL);
	ck_assert_int_eq(rc, err);
	ck_assert_msg(strstr(bld.err, msg), "message '%s' lacks '%s'", bld.err, msg);
	ck_assert_msg(!fk.bad, "misuse: %s", fk.bad);
	ck_assert_int_eq(fk.open_maps, 0);
}

START_TEST(callbacks_failing)
{
	struct pvb_params p = params(guest_elf, guest_size, 2048);
	struct pvb_ops no_start = ops;

	callback_fails(&fk.fail_populate, -ENOMEM, "memory: cannot get 2048 frames for the domain (error -12)");
	ck_assert_int_eq(fk.pins, 0);
	callback_fails(&fk.fail_m2p, -EPERM, "cannot record the M2P entries (error -1)");
	callback_fails(&fk.fail_pin, -EINVAL, "the hypervisor refused the page tables: pinning L4");
	ck_assert_int_eq(fk.ctxt_sets, 0);
	callback_fails(&fk.fail_ctxt, -EFAULT, "refused vCPU 0's context (error -14)");
	ck_assert_int_eq(fk.starts, 0);
	callback_fails(&fk.fail_start, -ESRCH, "could not be started (error -3)");

	fake_init(2048);
	fk.fail_map_after = 10;
	ck_assert_int_eq(pvb_build(&bld, &p, &ops, NULL), -ENOMEM);
	ck_assert_msg(strstr(bld.err, "kernel: cannot map frame"), "%s", bld.err);
	ck_assert_int_eq(fk.open_maps, 0);
	ck_assert_int_eq(fk.pins, 0);

	/* No start callback: the build stops after the context. */
	no_start.start = NULL;
	fake_init(2048);
	ck_assert_int_eq(pvb_build(&bld, &p, &no_start, NULL), 0);
	ck_assert_int_eq(fk.starts, 0);
	ck_assert_int_eq(fk.ctxt_sets, 1);
	no_start.pin_l4 = NULL;
	ck_assert_int_eq(pvb_build(&bld, &p, &no_start, NULL), -EINVAL);
	ck_assert_msg(strstr(bld.err, "callback is missing"), "%s", bld.err);
}
END_TEST

/* ---- hostile images ------------------------------------------------------------ */

static uint64_t rng_state = 0x243f6a8885a308d3UL;

static uint64_t rng(void)
{
	rng_state ^= rng_state << 13;
	rng_state ^= rng_state >> 7;
	rng_state ^= rng_state << 17;
	return rng_state;
}

/*
 * Random damage to the headers and notes of guest-pv's image: every
 * outcome is a build or a refusal with a reason, never a fault (the test
 * runs under AddressSanitizer and UBSan).
 */
START_TEST(mutated_images)
{
	const Elf64_Ehdr *eh = (const Elf64_Ehdr *)guest_elf;
	uint8_t *img = malloc(guest_size);
	unsigned int built = 0, refusedn = 0;
	size_t notes = 0, notes_len = 0;

	ck_assert(img);
	for (unsigned int i = 0; i < eh->e_phnum; i++) {
		const Elf64_Phdr *ph = (const Elf64_Phdr *)(guest_elf + eh->e_phoff) + i;

		if (ph->p_type == PT_NOTE) {
			notes = ph->p_offset;
			notes_len = ph->p_filesz;
		}
	}
	ck_assert(notes_len);
	for (unsigned int round = 0; round < 3000; round++) {
		struct pvb_params p;
		size_t len = guest_size;
		int rc;

		memcpy(img, guest_elf, guest_size);
		for (unsigned int k = 0, n = 1 + (unsigned int)(rng() % 6); k < n; k++) {
			/* The headers, the notes, or anywhere. */
			switch (rng() % 3) {
			case 0:
				img[rng() % 256] = (uint8_t)rng();
				break;
			case 1:
				img[notes + rng() % notes_len] = (uint8_t)rng();
				break;
			default:
				img[rng() % guest_size] = (uint8_t)rng();
				break;
			}
		}
		if (rng() % 4 == 0)
			len = rng() % guest_size;      /* cut short, too */
		p = params(img, len, 2048);
		rc = pvb_layout(&bld, &p);
		if (rc) {
			ck_assert_msg(rc < 0 && bld.err[0], "refusal without a reason (rc %d)", rc);
			refusedn++;
		} else {
			built++;
		}
	}
	free(img);
	ck_assert(refusedn > 0 && built > 0);
	printf("  (mutated images: %u laid out, %u refused)\n", built, refusedn);
}
END_TEST

static Suite *builder_suite(void)
{
	Suite *s = suite_create("builder");
	TCase *t = tcase_create("build");

	tcase_set_timeout(t, 60);
	tcase_add_unchecked_fixture(t, load_guest_elf, NULL);
	tcase_add_test(t, guest_pv_layout);
	tcase_add_test(t, guest_pv_mapped_initrd);
	tcase_add_test(t, store_and_console_pages);
	tcase_add_test(t, linux_init_p2m_unmapped_initrd);
	tcase_add_test(t, low_kernel_no_virt_base);
	tcase_add_test(t, notes_in_section);
	tcase_add_test(t, segments_with_gap);
	tcase_add_test(t, hypercall_page_bytes);
	tcase_add_test(t, refuse_bad_image);
	tcase_add_test(t, accept_loader_rules);
	tcase_add_test(t, refuse_bad_region);
	tcase_add_test(t, refuse_bad_params);
	tcase_add_test(t, layout_only);
	tcase_add_test(t, callbacks_failing);
	tcase_add_test(t, mutated_images);
	suite_add_tcase(s, t);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(builder_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
