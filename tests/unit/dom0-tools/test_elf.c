/*
 * The builder's PV kernel image checks (builder/elf.c, pvb_parse_image;
 * hv builds its boot-time domains with them too) against ELF64 files
 * built in memory: images shaped like Linux and guest-pv must parse to
 * exactly the expected layout, and their segments describe the file byte
 * for byte; every malformed or unacceptable one must be refused with its
 * reason; and randomly damaged images must never fault (ASan watches)
 * nor be accepted with an inconsistent layout.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <check.h>
#include <errno.h>
#include <stdbool.h>
#include <stdio.h>

#include <public/elfnote.h>
#include <public/features.h>

#include "pvbuild.h"
#define VB 0xffffffff80000000ULL	/* Linux's and guest-pv's VIRT_BASE */
#define MB16 0x1000000ULL

/* ELF64 structures as the file holds them (little-endian host). */
struct t_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct t_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct t_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

_Static_assert(sizeof(struct t_ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(struct t_phdr) == 56, "ELF64 program header");
_Static_assert(sizeof(struct t_shdr) == 64, "ELF64 section header");

#define T_PT_NULL 0
#define T_PT_LOAD 1
#define T_PT_NOTE 4
#define T_SHT_PROGBITS 1
#define T_SHT_NOTE 7

#define NR_NOTE_TYPES (XEN_ELFNOTE_MAX + 1)
#define MAX_LOADS 24

/* Where the builder puts the notes blob's program header / section. */
enum notes_at { IN_PT_NOTE, IN_SECTION, IN_BOTH };

struct note_spec {
	bool on, str;
	uint32_t size;		/* numeric notes: bytes of `num` emitted */
	uint64_t num;
	const char *s;
};

struct load_spec {
	uint64_t paddr, filesz, memsz;
};

/* An image under construction (spec) and, after build(), the file itself. */
struct elf {
	uint64_t e_entry;
	struct note_spec note[NR_NOTE_TYPES];
	uint8_t extra[1024];		/* raw notes appended after note[] ones */
	size_t extra_len;
	struct load_spec load[MAX_LOADS];
	unsigned int nr_loads, nr_null;	/* PT_LOADs; trailing PT_NULLs */
	enum notes_at at;

	uint8_t *buf;
	size_t size;
	uint64_t notes_off, notes_len, shoff;
	unsigned int note_ph;		/* program header index of the PT_NOTE */
	uint64_t load_off[MAX_LOADS];
};

static struct elf E;
static struct pvb_image img;
static char err[PVB_ERR_LEN];	/* why the last parse refused */

/*
 * Copy every segment: write(va, src, len) and zero(va, len) per piece, as
 * a loader does with what the parser found.
 */
static void load_segments(const struct pvb_image *im,
			  void (*write)(void *ctx, uint64_t va, const void *src, size_t len),
			  void (*zero)(void *ctx, uint64_t va, size_t len), void *ctx)
{
	for (unsigned int i = 0; i < im->nr_segs; i++) {
		const struct pvb_segment *sg = &im->segs[i];

		if (sg->filesz)
			write(ctx, sg->va, im->file + sg->offset, sg->filesz);
		if (sg->memsz > sg->filesz)
			zero(ctx, sg->va + sg->filesz, sg->memsz - sg->filesz);
	}
}

static void set_num(struct elf *e, uint32_t type, uint64_t v, uint32_t size)
{
	e->note[type] = (struct note_spec){ .on = true, .size = size, .num = v };
}

static void set_str(struct elf *e, uint32_t type, const char *s)
{
	e->note[type] = (struct note_spec){ .on = true, .str = true, .s = s };
}

static void drop(struct elf *e, uint32_t type)
{
	e->note[type].on = false;
}

static void put_note(uint8_t *out, size_t *len, uint32_t namesz, const char *name,
		     uint32_t type, const void *desc, uint32_t descsz)
{
	uint8_t *p = out + *len;

	memcpy(p, &namesz, 4);
	memcpy(p + 4, &descsz, 4);
	memcpy(p + 8, &type, 4);
	memset(p + 12, 0, (namesz + 3) & ~3u);
	memcpy(p + 12, name, namesz);
	p += 12 + ((namesz + 3) & ~3u);
	memset(p, 0, (descsz + 3) & ~3u);
	memcpy(p, desc, descsz);
	*len += 12 + ((namesz + 3) & ~3u) + ((descsz + 3) & ~3u);
}

/* A raw note after the table's: any name, any (small) descriptor. */
static void add_raw_note(struct elf *e, uint32_t namesz, const char *name, uint32_t type,
			 const void *desc, uint32_t descsz)
{
	put_note(e->extra, &e->extra_len, namesz, name, type, desc, descsz);
}

static void add_load(struct elf *e, uint64_t paddr, uint64_t filesz, uint64_t memsz)
{
	e->load[e->nr_loads++] = (struct load_spec){ paddr, filesz, memsz };
}

static uint8_t pattern(unsigned int seg, uint64_t k)
{
	return (uint8_t)(((seg + 1) * 37 + k * 13) | 1);	/* never 0 */
}

static struct t_ehdr *EH(struct elf *e)
{
	return (struct t_ehdr *)e->buf;
}

static struct t_phdr *PH(struct elf *e, unsigned int i)
{
	return (struct t_phdr *)(e->buf + EH(e)->phoff) + i;
}

static uint64_t align_up(uint64_t x, uint64_t a)
{
	return (x + a - 1) & ~(a - 1);
}

/*
 * Lay the file out as [ehdr][phdrs][notes][segment data][shdrs], sized
 * exactly so that ASan catches any read past its end. Program headers:
 * the PT_LOADs in order, then the PT_NOTE (unless notes are only in a
 * section), then nr_null PT_NULLs.
 */
static void build(struct elf *e)
{
	uint8_t notes[4096];
	size_t nlen = 0;
	bool pt_note = e->at != IN_SECTION, sect = e->at != IN_PT_NOTE;
	unsigned int nph = e->nr_loads + pt_note + e->nr_null;
	uint64_t off, vdelta = 0;
	struct t_ehdr eh;

	for (uint32_t t = 0; t < NR_NOTE_TYPES; t++) {
		const struct note_spec *n = &e->note[t];

		if (!n->on)
			continue;
		if (n->str)
			put_note(notes, &nlen, 4, "Xen", t, n->s, (uint32_t)strlen(n->s) + 1);
		else
			put_note(notes, &nlen, 4, "Xen", t, &n->num, n->size);
	}
	memcpy(notes + nlen, e->extra, e->extra_len);
	nlen += e->extra_len;
	if (e->note[XEN_ELFNOTE_VIRT_BASE].on)
		vdelta = e->note[XEN_ELFNOTE_VIRT_BASE].num;
	if (e->note[XEN_ELFNOTE_PADDR_OFFSET].on)
		vdelta -= e->note[XEN_ELFNOTE_PADDR_OFFSET].num;

	e->notes_off = align_up(64 + (uint64_t)nph * 56, 8);
	e->notes_len = nlen;
	off = align_up(e->notes_off + nlen, 16);
	for (unsigned int i = 0; i < e->nr_loads; i++) {
		e->load_off[i] = off;
		off = align_up(off + e->load[i].filesz, 16);
	}
	e->shoff = sect ? align_up(off, 8) : 0;
	if (sect)
		off = e->shoff + 3 * 64;

	free(e->buf);
	e->size = off;
	e->buf = calloc(1, e->size);
	ck_assert_ptr_nonnull(e->buf);

	memset(&eh, 0, sizeof(eh));
	memcpy(eh.ident, "\177ELF", 4);
	eh.ident[4] = 2;	/* ELFCLASS64 */
	eh.ident[5] = 1;	/* ELFDATA2LSB */
	eh.ident[6] = 1;	/* EV_CURRENT */
	eh.type = 2;		/* ET_EXEC */
	eh.machine = 62;	/* EM_X86_64 */
	eh.version = 1;
	eh.entry = e->e_entry;
	eh.phoff = 64;
	eh.ehsize = 64;
	eh.phentsize = 56;
	eh.phnum = (uint16_t)nph;
	if (sect) {
		eh.shoff = e->shoff;
		eh.shentsize = 64;
		eh.shnum = 3;
	}
	memcpy(e->buf, &eh, sizeof(eh));

	for (unsigned int i = 0; i < e->nr_loads; i++) {
		const struct load_spec *l = &e->load[i];
		struct t_phdr ph = { T_PT_LOAD, 7, e->load_off[i], l->paddr + vdelta, l->paddr,
				     l->filesz, l->memsz, 0x1000 };

		memcpy(PH(e, i), &ph, sizeof(ph));
		for (uint64_t k = 0; k < l->filesz; k++)
			e->buf[e->load_off[i] + k] = pattern(i, k);
	}
	if (pt_note) {
		struct t_phdr ph = { T_PT_NOTE, 4, e->notes_off, 0, 0, nlen, nlen, 4 };

		e->note_ph = e->nr_loads;
		memcpy(PH(e, e->note_ph), &ph, sizeof(ph));
	}
	memcpy(e->buf + e->notes_off, notes, nlen);
	if (sect) {
		struct t_shdr sh[3] = {
			{ 0 },
			{ .name = 1, .type = T_SHT_PROGBITS, .offset = e->nr_loads ? e->load_off[0] : 0,
			  .size = e->nr_loads ? e->load[0].filesz : 0, .addralign = 16 },
			{ .name = 2, .type = T_SHT_NOTE, .offset = e->notes_off, .size = nlen,
			  .addralign = 4 },
		};

		memcpy(e->buf + e->shoff, sh, sizeof(sh));
	}
}

/*
 * Linux-like: VIRT_BASE 0xffffffff80000000, PADDR_OFFSET 0, text at 16 MiB
 * (VA 0xffffffff81000000) and data+bss at 16 MiB + 16 KiB, with a
 * hypercall page, an out-of-region p2m and MOD_START_PFN.
 */
static void linux_like(struct elf *e)
{
	free(e->buf);
	memset(e, 0, sizeof(*e));
	e->e_entry = VB + MB16;
	set_str(e, XEN_ELFNOTE_GUEST_OS, "linux");
	set_str(e, XEN_ELFNOTE_GUEST_VERSION, "2.6");
	set_str(e, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	set_str(e, XEN_ELFNOTE_LOADER, "generic");
	set_num(e, XEN_ELFNOTE_VIRT_BASE, VB, 8);
	set_num(e, XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
	set_num(e, XEN_ELFNOTE_ENTRY, VB + MB16 + 0x100, 8);
	set_num(e, XEN_ELFNOTE_HYPERCALL_PAGE, VB + MB16 + 0x2000, 8);
	set_str(e, XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb");
	set_num(e, XEN_ELFNOTE_INIT_P2M, 0x8000000000ULL, 8);
	set_num(e, XEN_ELFNOTE_MOD_START_PFN, 1, 4);
	set_num(e, XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << XENFEAT_dom0, 4);
	add_load(e, MB16, 0x3000, 0x3000);
	add_load(e, MB16 + 0x4000, 0x1800, 0x2800);
	e->at = IN_PT_NOTE;
}

static int parse(struct elf *e)
{
	return pvb_parse_image(&img, err, sizeof(err), e->buf, e->size);
}

#define ACCEPTED()                                                                       \
	do {                                                                             \
		int rc_ = parse(&E);                                                     \
		ck_assert_msg(rc_ == 0, "refused (%d): %s", rc_, err);                   \
	} while (0)

#define REFUSED(msg)                                                                     \
	do {                                                                             \
		ck_assert_int_eq(parse(&E), -ENOEXEC);                                   \
		ck_assert_msg(strstr(err, msg), "expected \"%s\" in: %s", msg, err);      \
	} while (0)

/* ---- well-formed images ---- */

START_TEST(test_linux_like)
{
	linux_like(&E);
	build(&E);
	ACCEPTED();
	ck_assert_ptr_eq(img.file, E.buf);
	ck_assert_uint_eq(img.size, E.size);
	ck_assert_uint_eq(img.kstart, 0xffffffff81000000ULL);
	ck_assert_uint_eq(img.kend, 0xffffffff81007000ULL);
	ck_assert_uint_eq(img.entry, 0xffffffff81000100ULL);
	ck_assert_uint_eq(img.virt_base, VB);
	ck_assert_uint_eq(img.paddr_offset, 0);
	ck_assert_uint_eq(img.hypercall_page, 0xffffffff81002000ULL);
	ck_assert_uint_eq(img.init_p2m, 0x8000000000ULL);
	ck_assert(img.mod_start_pfn);
	ck_assert_uint_eq(img.supported_features, 1u << XENFEAT_dom0);
	ck_assert_uint_eq(img.required_features, 1u << XENFEAT_writable_page_tables);
	ck_assert_str_eq(img.guest_os, "linux");
	ck_assert_str_eq(img.guest_version, "2.6");
	ck_assert_str_eq(img.loader, "generic");
	ck_assert_str_eq(img.xen_version, "xen-3.0");
	ck_assert_uint_eq(img.nr_segs, 2);
	ck_assert_uint_eq(img.segs[0].va, 0xffffffff81000000ULL);
	ck_assert_uint_eq(img.segs[0].offset, E.load_off[0]);
	ck_assert_uint_eq(img.segs[0].filesz, 0x3000);
	ck_assert_uint_eq(img.segs[0].memsz, 0x3000);
	ck_assert_uint_eq(img.segs[1].va, 0xffffffff81004000ULL);
	ck_assert_uint_eq(img.segs[1].offset, E.load_off[1]);
	ck_assert_uint_eq(img.segs[1].filesz, 0x1800);
	ck_assert_uint_eq(img.segs[1].memsz, 0x2800);
	ck_assert_uint_eq(img.kstart, 0xffffffff81000000ULL);
}
END_TEST

struct loadbuf {
	uint8_t *mem;
	uint64_t base, len;
	unsigned int writes, zeroes;
};

static void load_write(void *ctx, uint64_t va, const void *src, size_t len)
{
	struct loadbuf *lb = ctx;

	ck_assert_uint_ge(va, lb->base);
	ck_assert_uint_le(va - lb->base + len, lb->len);
	memcpy(lb->mem + (va - lb->base), src, len);
	lb->writes++;
}

static void load_zero(void *ctx, uint64_t va, size_t len)
{
	struct loadbuf *lb = ctx;

	ck_assert_uint_ge(va, lb->base);
	ck_assert_uint_le(va - lb->base + len, lb->len);
	memset(lb->mem + (va - lb->base), 0, len);
	lb->zeroes++;
}

START_TEST(test_linux_like_load)
{
	struct loadbuf lb;
	uint64_t k;

	linux_like(&E);
	build(&E);
	ACCEPTED();
	lb = (struct loadbuf){ .base = img.kstart, .len = img.kend - img.kstart };
	lb.mem = malloc(lb.len);
	memset(lb.mem, 0xaa, lb.len);
	load_segments(&img, load_write, load_zero, &lb);
	ck_assert_uint_eq(lb.writes, 2);
	ck_assert_uint_eq(lb.zeroes, 1);	/* only the second has bss */
	for (k = 0; k < 0x3000; k++)		/* text: filesz == memsz */
		ck_assert_uint_eq(lb.mem[k], pattern(0, k));
	for (; k < 0x4000; k++)			/* the hole stays untouched */
		ck_assert_uint_eq(lb.mem[k], 0xaa);
	for (; k < 0x5800; k++)			/* data */
		ck_assert_uint_eq(lb.mem[k], pattern(1, k - 0x4000));
	for (; k < 0x6800; k++)			/* bss */
		ck_assert_uint_eq(lb.mem[k], 0);
	for (; k < 0x7000; k++)			/* past memsz, inside vend */
		ck_assert_uint_eq(lb.mem[k], 0xaa);
	free(lb.mem);
}
END_TEST

/* guest-pv: one PT_LOAD at paddr 0 linked at VIRT_BASE (guest-pv.lds). */
START_TEST(test_guest_pv_like)
{
	linux_like(&E);
	memset(E.note, 0, sizeof(E.note));
	E.nr_loads = 0;
	E.e_entry = VB;
	set_str(&E, XEN_ELFNOTE_GUEST_OS, "guest-pv");
	set_str(&E, XEN_ELFNOTE_GUEST_VERSION, "0.1");
	set_str(&E, XEN_ELFNOTE_XEN_VERSION, "xen-3.0");
	set_str(&E, XEN_ELFNOTE_LOADER, "generic");
	set_num(&E, XEN_ELFNOTE_VIRT_BASE, VB, 8);
	set_num(&E, XEN_ELFNOTE_PADDR_OFFSET, 0, 8);
	set_num(&E, XEN_ELFNOTE_ENTRY, VB, 8);
	set_num(&E, XEN_ELFNOTE_HYPERCALL_PAGE, VB + 0x1000, 8);
	set_str(&E, XEN_ELFNOTE_FEATURES, "!writable_page_tables");
	set_num(&E, XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << XENFEAT_dom0, 4);
	add_load(&E, 0, 0x3000, 0x5000);
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.kstart, VB);
	ck_assert_uint_eq(img.kend, VB + 0x5000);
	ck_assert_uint_eq(img.entry, VB);
	ck_assert_uint_eq(img.hypercall_page, VB + 0x1000);
	ck_assert_uint_eq(img.init_p2m, 0);
	ck_assert(!img.mod_start_pfn);
	ck_assert_uint_eq(img.nr_segs, 1);
	ck_assert_uint_eq(img.segs[0].va, VB);
	ck_assert_uint_eq(img.segs[0].offset, E.load_off[0]);
	ck_assert_uint_eq(img.segs[0].filesz, 0x3000);
	ck_assert_uint_eq(img.segs[0].memsz, 0x5000);
	ck_assert_uint_eq(img.required_features, 1u << XENFEAT_writable_page_tables);
	ck_assert_uint_eq(img.supported_features, 1u << XENFEAT_dom0);
	ck_assert_str_eq(img.guest_os, "guest-pv");
	ck_assert_str_eq(img.guest_version, "0.1");
}
END_TEST

START_TEST(test_defaults)
{
	/* No ENTRY note: e_entry, unrelocated, as Xen does. */
	linux_like(&E);
	drop(&E, XEN_ELFNOTE_ENTRY);
	E.e_entry = VB + MB16 + 0x40;
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.entry, VB + MB16 + 0x40);

	/* No PADDR_OFFSET note: 0, so VA = paddr + VIRT_BASE; page-rounded. */
	linux_like(&E);
	drop(&E, XEN_ELFNOTE_PADDR_OFFSET);
	E.nr_loads = 0;
	add_load(&E, MB16 + 0x100, 0x80, 0x100);
	add_load(&E, MB16 + 0x2000, 0x10, 0x10);
	drop(&E, XEN_ELFNOTE_HYPERCALL_PAGE);
	set_num(&E, XEN_ELFNOTE_ENTRY, VB + MB16 + 0x100, 8);
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.paddr_offset, 0);
	ck_assert_uint_eq(img.kstart, VB + MB16);
	ck_assert_uint_eq(img.kend, VB + MB16 + 0x3000);
	ck_assert_uint_eq(img.segs[0].va, VB + MB16 + 0x100);
	ck_assert_uint_eq(img.segs[1].va, VB + MB16 + 0x2000);
	ck_assert_uint_eq(img.hypercall_page, 0);

	/* For contrast, a PADDR_OFFSET is subtracted. */
	set_num(&E, XEN_ELFNOTE_PADDR_OFFSET, 0x100000, 8);
	set_num(&E, XEN_ELFNOTE_ENTRY, VB + MB16 - 0x100000 + 0x100, 8);
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.paddr_offset, 0x100000);
	ck_assert_uint_eq(img.kstart, VB + MB16 - 0x100000);
	ck_assert_uint_eq(img.segs[0].va, VB + MB16 - 0x100000 + 0x100);
}
END_TEST

START_TEST(test_notes_in_section)
{
	linux_like(&E);
	E.at = IN_SECTION;
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.entry, VB + MB16 + 0x100);
	ck_assert_uint_eq(img.hypercall_page, VB + MB16 + 0x2000);
	ck_assert_str_eq(img.xen_version, "xen-3.0");
	ck_assert_uint_eq(img.supported_features, 1u << XENFEAT_dom0);

	/* A malformed section header table is refused, not walked. */
	EH(&E)->shentsize = 40;
	REFUSED("the section header table (");
	EH(&E)->shentsize = 64;
	EH(&E)->shoff = E.size - 3 * 64 + 1;
	REFUSED("the section header table (");
	EH(&E)->shoff = E.shoff;
	((struct t_shdr *)(E.buf + E.shoff))[2].size = E.size;
	REFUSED("note section ");
}
END_TEST

START_TEST(test_pt_note_offset_zero_skipped)
{
	/*
	 * The PT_NOTE claims offset 0 (the ELF header, which is no note
	 * list); it must be skipped and the SHT_NOTE section used instead.
	 */
	linux_like(&E);
	E.at = IN_BOTH;
	build(&E);
	PH(&E, E.note_ph)->offset = 0;
	PH(&E, E.note_ph)->filesz = 64;
	ACCEPTED();
	ck_assert_uint_eq(img.entry, VB + MB16 + 0x100);
	ck_assert_str_eq(img.guest_os, "linux");

	/* And a PT_NOTE past the end of the file is refused. */
	PH(&E, E.note_ph)->offset = E.size - 8;
	PH(&E, E.note_ph)->filesz = 9;
	REFUSED("note segment ");
}
END_TEST

/* ---- header refusals ---- */

START_TEST(test_too_small_or_bad_magic)
{
	linux_like(&E);
	build(&E);
	ck_assert_int_eq(pvb_parse_image(&img, err, sizeof(err), E.buf, 0), -ENOEXEC);
	ck_assert_str_eq(err, "not an ELF file (0 bytes)");
	ck_assert_int_eq(pvb_parse_image(&img, err, sizeof(err), E.buf, 63), -ENOEXEC);
	ck_assert_str_eq(err, "not an ELF file (63 bytes)");
	ck_assert_int_eq(pvb_parse_image(&img, err, sizeof(err), NULL, 4096), -ENOEXEC);
	E.buf[1] = 'e';
	REFUSED("not an ELF file");
}
END_TEST

START_TEST(test_wrong_class_endianness_machine)
{
	linux_like(&E);
	build(&E);
	EH(&E)->ident[4] = 1;		/* ELFCLASS32 */
	REFUSED("not a little-endian ELF64 file (class 1");
	EH(&E)->ident[4] = 2;
	EH(&E)->ident[5] = 2;		/* ELFDATA2MSB */
	REFUSED("not a little-endian ELF64 file (class 2, data 2)");
	EH(&E)->ident[5] = 1;
	EH(&E)->machine = 3;		/* EM_386 */
	REFUSED("not an x86_64 ELF file (machine 3)");
	EH(&E)->machine = 62;
	ACCEPTED();
}
END_TEST

START_TEST(test_not_exec)
{
	linux_like(&E);
	build(&E);
	EH(&E)->type = 3;		/* ET_DYN */
	REFUSED("not an executable ELF file");
	EH(&E)->type = 1;		/* ET_REL */
	REFUSED("not an executable ELF file");
}
END_TEST

START_TEST(test_phentsize)
{
	linux_like(&E);
	build(&E);
	EH(&E)->phentsize = 32;		/* Elf32_Phdr */
	REFUSED("the program header table (");
	EH(&E)->phentsize = 64;
	REFUSED("the program header table (");
}
END_TEST

START_TEST(test_phnum)
{
	linux_like(&E);
	build(&E);
	EH(&E)->phnum = 0;
	REFUSED("the program header table (");

	/* 64 program headers are fine, 65 are not (all inside the file). */
	linux_like(&E);
	E.nr_null = 62;
	build(&E);
	ck_assert_uint_eq(EH(&E)->phnum, 65);
	REFUSED("the program header table (");
	EH(&E)->phnum = 64;
	ACCEPTED();
	ck_assert_uint_eq(img.nr_segs, 2);
}
END_TEST

START_TEST(test_phdrs_past_eof)
{
	linux_like(&E);
	build(&E);
	EH(&E)->phoff = E.size - 3 * 56 + 1;	/* the last one sticks out by a byte */
	REFUSED("the program header table (");
	EH(&E)->phoff = 0xffffffffffffff00ULL;	/* would wrap */
	REFUSED("the program header table (");
	EH(&E)->phoff = E.size;
	REFUSED("the program header table (");
}
END_TEST

/* ---- segment refusals ---- */

START_TEST(test_filesz_over_memsz)
{
	linux_like(&E);
	build(&E);
	PH(&E, 1)->memsz = 0x17ff;
	REFUSED("more bytes in the file");
}
END_TEST

START_TEST(test_segment_past_eof)
{
	linux_like(&E);
	build(&E);
	PH(&E, 1)->offset = E.size - 0x1800 + 1;
	REFUSED("lies outside the file (");
	PH(&E, 1)->offset = 0xfffffffffffff000ULL;
	REFUSED("lies outside the file (");
	PH(&E, 1)->offset = E.load_off[1];
	PH(&E, 1)->filesz = PH(&E, 1)->memsz = 0xfffffffffffffff0ULL;
	REFUSED("lies outside the file (");
	/* Exactly at the end is fine. */
	PH(&E, 1)->filesz = 0x1800;
	PH(&E, 1)->memsz = 0x2800;
	PH(&E, 1)->offset = E.size - 0x1800;
	ACCEPTED();
}
END_TEST

START_TEST(test_paddr_wrap)
{
	linux_like(&E);
	build(&E);
	PH(&E, 1)->paddr = 0xfffffffffffff000ULL;
	PH(&E, 1)->memsz = 0x2000;
	REFUSED("wraps around or is too large");
	PH(&E, 1)->paddr = 0xffffffffffffe800ULL;	/* ends exactly at 2^64 */
	PH(&E, 1)->memsz = 0x1800;
	REFUSED("wraps around or is too large");
}
END_TEST

START_TEST(test_overlap)
{
	linux_like(&E);
	E.load[1].paddr = MB16 + 0x2fff;	/* one byte into the first */
	build(&E);
	REFUSED("overlaps an earlier one");

	/* Overlapping the first from below. */
	E.load[1].paddr = MB16 - 0x2800 + 1;
	E.load[1].filesz = 0x1800;
	build(&E);
	REFUSED("overlaps an earlier one");

	/* Contained in the first. */
	E.load[1] = (struct load_spec){ MB16 + 0x1000, 0x10, 0x10 };
	build(&E);
	REFUSED("overlaps an earlier one");

	/* Adjacent is fine, even within one page. */
	E.load[0] = (struct load_spec){ MB16, 0x2800, 0x2800 };
	E.load[1] = (struct load_spec){ MB16 + 0x2800, 0x1800, 0x2800 };
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.segs[1].va, VB + MB16 + 0x2800);
	ck_assert_uint_eq(img.kend, VB + MB16 + 0x5000);
}
END_TEST

START_TEST(test_too_many_loads)
{
	linux_like(&E);
	E.nr_loads = 0;
	for (unsigned int i = 0; i < PVB_MAX_SEGMENTS; i++)
		add_load(&E, MB16 + i * 0x1000, 0x100, 0x1000);
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.nr_segs, PVB_MAX_SEGMENTS);
	ck_assert_uint_eq(img.kend, VB + MB16 + PVB_MAX_SEGMENTS * 0x1000);

	add_load(&E, MB16 + PVB_MAX_SEGMENTS * 0x1000, 0x100, 0x1000);
	build(&E);
	REFUSED("more than 16 loadable segments");
}
END_TEST

START_TEST(test_no_load)
{
	linux_like(&E);
	build(&E);
	PH(&E, 0)->type = T_PT_NULL;
	PH(&E, 1)->type = 6;			/* PT_PHDR */
	REFUSED("no loadable segment");

	/* Empty PT_LOADs do not count either. */
	PH(&E, 0)->type = PH(&E, 1)->type = T_PT_LOAD;
	PH(&E, 0)->filesz = PH(&E, 0)->memsz = 0;
	PH(&E, 1)->filesz = PH(&E, 1)->memsz = 0;
	REFUSED("no loadable segment");
}
END_TEST

/* ---- note refusals ---- */

START_TEST(test_note_past_segment)
{
	/* The PT_NOTE ends 4 bytes into the last note's descriptor. */
	linux_like(&E);
	build(&E);
	PH(&E, E.note_ph)->filesz -= 4;
	REFUSED("runs past the end of its notes");

	/* A descriptor size that would wrap 32-bit arithmetic. */
	linux_like(&E);
	add_raw_note(&E, 4, "Xen", XEN_ELFNOTE_GUEST_VERSION, "x", 1);
	build(&E);
	{
		uint32_t huge = 0xfffffffd;

		/* the raw note is the last 20 bytes: namesz, descsz, type, "Xen\0", "x\0\0\0" */
		memcpy(E.buf + E.notes_off + E.notes_len - 20 + 4, &huge, 4);
	}
	REFUSED("runs past the end of its notes");

	/* A tail too short for a note header is not a note: ignored. */
	linux_like(&E);
	build(&E);
	PH(&E, E.note_ph)->filesz += 8;
	ACCEPTED();

	/* And a name size running past the end. */
	linux_like(&E);
	add_raw_note(&E, 4, "Xen", XEN_ELFNOTE_GUEST_VERSION, "x", 1);
	build(&E);
	{
		uint32_t huge = 0xffffffff;

		memcpy(E.buf + E.notes_off + E.notes_len - 20, &huge, 4);
	}
	REFUSED("runs past the end of its notes");
}
END_TEST

START_TEST(test_numeric_note_sizes)
{
	linux_like(&E);
	set_num(&E, XEN_ELFNOTE_VIRT_BASE, VB, 3);
	build(&E);
	REFUSED("(1, 2, 4 or 8 expected)");

	linux_like(&E);
	set_num(&E, XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << XENFEAT_dom0, 0);
	build(&E);
	REFUSED("(1, 2, 4 or 8 expected)");

	/* 1, 2, 4 and 8 bytes are all fine. */
	linux_like(&E);
	set_num(&E, XEN_ELFNOTE_MOD_START_PFN, 1, 1);
	set_num(&E, XEN_ELFNOTE_PADDR_OFFSET, 0, 2);
	set_num(&E, XEN_ELFNOTE_SUPPORTED_FEATURES, 1u << XENFEAT_dom0, 8);
	build(&E);
	ACCEPTED();
	ck_assert(img.mod_start_pfn);
	ck_assert_uint_eq(img.supported_features, 1u << XENFEAT_dom0);
	ck_assert_uint_eq(img.kstart, VB + MB16);
}
END_TEST

START_TEST(test_string_not_terminated)
{
	/* Linux's FEATURES is .ascii: the descriptor's length ends the string. */
	linux_like(&E);
	drop(&E, XEN_ELFNOTE_FEATURES);
	add_raw_note(&E, 4, "Xen", XEN_ELFNOTE_FEATURES, "!writable_page_tables|pae_pgdir_above_4gb", 41);
	drop(&E, XEN_ELFNOTE_GUEST_OS);
	add_raw_note(&E, 4, "Xen", XEN_ELFNOTE_GUEST_OS, "linux", 5);
	build(&E);
	ACCEPTED();
	ck_assert_str_eq(img.guest_os, "linux");
	ck_assert_uint_eq(img.required_features, 1u << XENFEAT_writable_page_tables);

	/* Padding after the descriptor is not part of the string. */
	linux_like(&E);
	drop(&E, XEN_ELFNOTE_FEATURES);
	add_raw_note(&E, 4, "Xen", XEN_ELFNOTE_FEATURES, "!nonsense_feature_x", 18);
	build(&E);
	REFUSED("requires feature 'nonsense_feature_'");

	/* An empty string is no string. */
	linux_like(&E);
	drop(&E, XEN_ELFNOTE_XEN_VERSION);
	add_raw_note(&E, 4, "Xen", XEN_ELFNOTE_XEN_VERSION, "\0", 1);
	build(&E);
	REFUSED("is an empty string");
}
END_TEST

START_TEST(test_no_xen_notes)
{
	linux_like(&E);
	memset(E.note, 0, sizeof(E.note));
	add_raw_note(&E, 4, "GNU", 3, "\x01\x02\x03\x04", 4);	/* NT_GNU_BUILD_ID */
	build(&E);
	REFUSED("no Xen ELF notes (not a PV kernel)");

	/* No notes at all, not even a PT_NOTE. */
	linux_like(&E);
	build(&E);
	PH(&E, E.note_ph)->type = T_PT_NULL;
	REFUSED("no Xen ELF notes (not a PV kernel)");
}
END_TEST

START_TEST(test_xen_version)
{
	linux_like(&E);
	set_str(&E, XEN_ELFNOTE_XEN_VERSION, "xen-2.0");
	build(&E);
	REFUSED("XEN_VERSION note 'xen-2.0' is not 'xen-3.0'");

	linux_like(&E);
	drop(&E, XEN_ELFNOTE_XEN_VERSION);
	build(&E);
	REFUSED("XEN_VERSION note '' is not 'xen-3.0'");

	linux_like(&E);
	set_str(&E, XEN_ELFNOTE_XEN_VERSION, "xen-3.0-unstable");
	build(&E);
	ACCEPTED();
	ck_assert_str_eq(img.xen_version, "xen-3.0-unstable");
}
END_TEST

START_TEST(test_loader_rules)
{
	linux_like(&E);
	set_str(&E, XEN_ELFNOTE_LOADER, "other");
	set_str(&E, XEN_ELFNOTE_GUEST_OS, "minios");
	build(&E);
	REFUSED("LOADER note 'other' is not 'generic'");

	/* Linux may name any loader. */
	set_str(&E, XEN_ELFNOTE_GUEST_OS, "linux");
	build(&E);
	ACCEPTED();
	ck_assert_str_eq(img.loader, "other");

	/* No LOADER at all is only fine for Linux. */
	drop(&E, XEN_ELFNOTE_LOADER);
	build(&E);
	ACCEPTED();
	set_str(&E, XEN_ELFNOTE_GUEST_OS, "minios");
	build(&E);
	REFUSED("LOADER note '' is not 'generic'");
}
END_TEST

START_TEST(test_required_unknown_feature)
{
	linux_like(&E);
	set_str(&E, XEN_ELFNOTE_FEATURES, "pae_pgdir_above_4gb|!frobnicate");
	build(&E);
	REFUSED("requires feature 'frobnicate', which a PV domain cannot have");

	/* Merely mentioning an unknown feature is fine. */
	linux_like(&E);
	set_str(&E, XEN_ELFNOTE_FEATURES, "frobnicate|!pae_pgdir_above_4gb|!dom0");
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.required_features,
			  (1u << XENFEAT_pae_pgdir_above_4gb) | (1u << XENFEAT_dom0));
}
END_TEST

START_TEST(test_required_supervisor_mode_kernel)
{
	linux_like(&E);
	set_str(&E, XEN_ELFNOTE_FEATURES, "!writable_page_tables|!supervisor_mode_kernel");
	build(&E);
	REFUSED("requires feature 'supervisor_mode_kernel', which a PV domain cannot have");

	/* Optional, it is ignored. */
	set_str(&E, XEN_ELFNOTE_FEATURES, "!writable_page_tables|supervisor_mode_kernel");
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.required_features, 1u << XENFEAT_writable_page_tables);
}
END_TEST

/*
 * FEATURES has no length limit (Xen walks the whole string), so a
 * required feature late in a long one still counts. 13 optional names
 * of 20 bytes each put the required one past byte 255.
 */
START_TEST(test_long_features_string)
{
	static char feat[512];

	feat[0] = '\0';
	for (int i = 0; i < 13; i++)
		strcat(feat, "pae_pgdir_above_4gb|");
	strcat(feat, "!supervisor_mode_kernel");
	linux_like(&E);
	set_str(&E, XEN_ELFNOTE_FEATURES, feat);
	build(&E);
	ck_assert_int_eq(parse(&E), -ENOEXEC);
	ck_assert_msg(err[0], "refused silently");

	strcpy(feat + 13 * 20, "!writable_page_tables");
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.required_features, 1u << XENFEAT_writable_page_tables);
}
END_TEST

/*
 * SUPPORTED_FEATURES is reported as the kernel wrote it: whether that
 * allows dom0 is the loader's call (hv's: scenario
 * hv_dom0_without_dom0_feature).
 */
START_TEST(test_supported_features)
{
	linux_like(&E);
	drop(&E, XEN_ELFNOTE_SUPPORTED_FEATURES);
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.supported_features, 0);
	set_num(&E, XEN_ELFNOTE_SUPPORTED_FEATURES, ~(1u << XENFEAT_dom0), 4);
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.supported_features, ~(1u << XENFEAT_dom0));
}
END_TEST

/* ---- address refusals ---- */

START_TEST(test_entry_outside)
{
	linux_like(&E);
	set_num(&E, XEN_ELFNOTE_ENTRY, VB + MB16 + 0x7000, 8);	/* == vend */
	build(&E);
	REFUSED("lies outside the image");
	set_num(&E, XEN_ELFNOTE_ENTRY, VB + MB16 - 1, 8);
	build(&E);
	REFUSED("lies outside the image");
	/* e_entry is a physical-looking address: not relocated, so outside. */
	drop(&E, XEN_ELFNOTE_ENTRY);
	E.e_entry = MB16;
	build(&E);
	REFUSED("lies outside the image");
	/* The last byte before vend is inside. */
	set_num(&E, XEN_ELFNOTE_ENTRY, VB + MB16 + 0x6fff, 8);
	build(&E);
	ACCEPTED();
}
END_TEST

START_TEST(test_hypercall_page)
{
	linux_like(&E);
	set_num(&E, XEN_ELFNOTE_HYPERCALL_PAGE, VB + MB16 + 0x2010, 8);
	build(&E);
	REFUSED("is not a page inside the image");
	set_num(&E, XEN_ELFNOTE_HYPERCALL_PAGE, VB + MB16 + 0x7000, 8);	/* == vend */
	build(&E);
	REFUSED("is not a page inside the image");
	set_num(&E, XEN_ELFNOTE_HYPERCALL_PAGE, VB + MB16 - 0x1000, 8);
	build(&E);
	REFUSED("is not a page inside the image");
	set_num(&E, XEN_ELFNOTE_HYPERCALL_PAGE, VB + MB16 + 0x6000, 8);	/* last page */
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.hypercall_page, VB + MB16 + 0x6000);
}
END_TEST

/* Relocate the Linux-like image so that it starts at `vstart`. */
static void linux_at(uint64_t vstart)
{
	linux_like(&E);
	set_num(&E, XEN_ELFNOTE_VIRT_BASE, vstart - MB16, 8);
	set_num(&E, XEN_ELFNOTE_ENTRY, vstart + 0x100, 8);
	set_num(&E, XEN_ELFNOTE_HYPERCALL_PAGE, vstart + 0x2000, 8);
	build(&E);
}

/*
 * The domain maps PFN n at VIRT_BASE + n * 4 KiB: a VIRT_BASE inside a
 * page has no PFN 0 to start from.
 */
START_TEST(test_virt_base_unaligned)
{
	linux_like(&E);
	set_num(&E, XEN_ELFNOTE_VIRT_BASE, VB + 0x800, 8);
	build(&E);
	REFUSED("VIRT_BASE 0xffffffff80000800 is not page aligned");
	set_num(&E, XEN_ELFNOTE_VIRT_BASE, VB + 0xfff, 8);
	build(&E);
	REFUSED("is not page aligned");
	/* Any page will do, not only a 2 MiB one. */
	linux_at(VB + MB16 + 0x1000);
	ACCEPTED();
	ck_assert_uint_eq(img.virt_base, VB + 0x1000);
}
END_TEST

/* A PADDR_OFFSET beyond the lowest segment puts the image below VIRT_BASE. */
START_TEST(test_image_below_virt_base)
{
	linux_like(&E);
	set_num(&E, XEN_ELFNOTE_PADDR_OFFSET, MB16 + 0x200000, 8);
	build(&E);
	REFUSED("the image starts at 0xffffffff7fe00000, below VIRT_BASE 0xffffffff80000000");
}
END_TEST

START_TEST(test_image_in_hv_range)
{
	linux_at(0xffff800000000000ULL);
	REFUSED("does not fit a guest's address space");
	linux_at(0xffff82d040000000ULL);
	REFUSED("does not fit a guest's address space");
	linux_at(0xffff880000000000ULL - 0x1000);	/* last page of the direct map */
	REFUSED("does not fit a guest's address space");
	/* Just past hv's slots is the guest's again. */
	linux_at(0xffff880000000000ULL);
	ACCEPTED();
	ck_assert_uint_eq(img.kstart, 0xffff880000000000ULL);
	ck_assert_uint_eq(img.segs[1].va, 0xffff880000004000ULL);
}
END_TEST

START_TEST(test_non_canonical)
{
	linux_at(0x0000800000000000ULL);
	REFUSED("does not fit a guest's address space");
	linux_at(0x8000000000000000ULL);
	REFUSED("does not fit a guest's address space");
	/* Straddling the top of the lower half. */
	linux_at(0x0000800000000000ULL - 0x4000);
	REFUSED("does not fit a guest's address space");
	/* Wrapping around the top of the address space. */
	linux_at(0xfffffffffffff000ULL);
	REFUSED("does not fit a guest's address space");
	/* Ending exactly at the top of the lower half is fine. */
	linux_at(0x0000800000000000ULL - 0x7000);
	ACCEPTED();
	ck_assert_uint_eq(img.kend, 0x0000800000000000ULL);
	/* Ending at 2^64 leaves no representable vend; a page lower is fine. */
	linux_at(0xffffffffffff9000ULL);
	REFUSED("does not fit a guest's address space");
	linux_at(0xffffffffffff8000ULL);
	ACCEPTED();
	ck_assert_uint_eq(img.kend, 0xfffffffffffff000ULL);
}
END_TEST

START_TEST(test_init_p2m)
{
	linux_like(&E);
	set_num(&E, XEN_ELFNOTE_INIT_P2M, 0x8000000010ULL, 8);
	build(&E);
	REFUSED("is unusable");
	set_num(&E, XEN_ELFNOTE_INIT_P2M, 0xffff800000000000ULL, 8);
	build(&E);
	REFUSED("is unusable");
	set_num(&E, XEN_ELFNOTE_INIT_P2M, 0xffff87fffffff000ULL, 8);
	build(&E);
	REFUSED("is unusable");
	set_num(&E, XEN_ELFNOTE_INIT_P2M, 0x0000800000000000ULL, 8);	/* non-canonical */
	build(&E);
	REFUSED("is unusable");
	set_num(&E, XEN_ELFNOTE_INIT_P2M, 0xffff880000000000ULL, 8);
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.init_p2m, 0xffff880000000000ULL);
}
END_TEST

START_TEST(test_other_notes_ignored)
{
	/*
	 * After the real notes come ones that would break the image if they
	 * counted: namesz 3 ("Xen" unterminated), namesz 5, a different
	 * name, and a GNU note of a Xen note's type with a bad numeric size.
	 */
	linux_like(&E);
	add_raw_note(&E, 3, "Xen", XEN_ELFNOTE_XEN_VERSION, "xen-2.0", 8);
	add_raw_note(&E, 5, "Xen\0\0", XEN_ELFNOTE_LOADER, "other", 6);
	add_raw_note(&E, 4, "Xan", XEN_ELFNOTE_ENTRY, "\0\0\0\0\0\0\0\0", 8);
	add_raw_note(&E, 4, "GNU", XEN_ELFNOTE_VIRT_BASE, "abc", 3);
	add_raw_note(&E, 0, "", XEN_ELFNOTE_FEATURES, "!frobnicate", 12);
	build(&E);
	ACCEPTED();
	ck_assert_str_eq(img.xen_version, "xen-3.0");
	ck_assert_str_eq(img.loader, "generic");
	ck_assert_uint_eq(img.entry, VB + MB16 + 0x100);
	ck_assert_uint_eq(img.virt_base, VB);

	/* Informational and 32-bit-only Xen notes are ignored too. */
	linux_like(&E);
	set_str(&E, XEN_ELFNOTE_PAE_MODE, "yes");
	set_num(&E, XEN_ELFNOTE_HV_START_LOW, 0xf5800000, 4);
	set_str(&E, XEN_ELFNOTE_BSD_SYMTAB, "yes");
	set_num(&E, XEN_ELFNOTE_PHYS32_ENTRY, 0x1000000, 4);
	build(&E);
	ACCEPTED();
	ck_assert_uint_eq(img.entry, VB + MB16 + 0x100);
}
END_TEST

/* ---- random damage ---- */

static uint64_t rng_state = 0x9e3779b97f4a7c15ULL;

static uint64_t rnd(void)
{
	/* xorshift64*: fixed seed, identical on every host */
	rng_state ^= rng_state >> 12;
	rng_state ^= rng_state << 25;
	rng_state ^= rng_state >> 27;
	return rng_state * 0x2545f4914f6cdd1dULL;
}

struct fuzzload {
	uint64_t vstart, vend, sum;
};

static void fuzz_write(void *ctx, uint64_t va, const void *src, size_t len)
{
	struct fuzzload *f = ctx;
	const uint8_t *s = src;

	ck_assert(va >= f->vstart && len <= f->vend - va);
	for (size_t i = 0; i < len; i++)	/* ASan checks every byte read */
		f->sum += s[i];
}

static void fuzz_zero(void *ctx, uint64_t va, size_t len)
{
	struct fuzzload *f = ctx;

	ck_assert(va >= f->vstart && len <= f->vend - va);
}

START_TEST(test_random_damage)
{
	uint64_t hot;
	unsigned int accepted = 0;

	linux_like(&E);
	build(&E);
	ACCEPTED();
	/* The headers and notes: where damage changes the parse. */
	hot = E.notes_off + E.notes_len;

	for (unsigned int round = 0; round < 5000; round++) {
		size_t size = E.size;
		unsigned int flips = 1 + (unsigned int)(rnd() % 8);
		uint8_t *buf;
		int rc;

		if (rnd() % 4 == 0)
			size = (size_t)(rnd() % (E.size + 1));
		buf = malloc(size ? size : 1);
		memcpy(buf, E.buf, size);
		for (unsigned int i = 0; i < flips && size; i++) {
			uint64_t r = rnd();
			size_t at = (size_t)(r % (r & 0x100 || hot > size ? size : hot));
			static const uint8_t vals[] = { 0x00, 0xff, 0x01, 0x80, 0x7f, 0x10 };

			buf[at] = (r & 0x200) ? vals[(r >> 10) % sizeof(vals)] : (uint8_t)(r >> 16);
		}
		err[0] = '\0';
		rc = pvb_parse_image(&img, err, sizeof(err), buf, size);
		if (rc == 0) {
			struct fuzzload f = { img.kstart, img.kend, 0 };

			accepted++;
			ck_assert_uint_lt(img.kstart, img.kend);
			ck_assert(img.entry >= img.kstart && img.entry < img.kend);
			ck_assert_uint_ge(img.nr_segs, 1);
			ck_assert_uint_le(img.nr_segs, PVB_MAX_SEGMENTS);
			for (unsigned int i = 0; i < img.nr_segs; i++) {
				const struct pvb_segment *s = &img.segs[i];

				ck_assert_uint_ge(s->va, img.kstart);
				ck_assert_uint_lt(s->va, img.kend);
				ck_assert_uint_le(s->memsz, img.kend - s->va);
				ck_assert_uint_le(s->filesz, s->memsz);
				ck_assert_uint_le(s->offset, size);
				ck_assert_uint_le(s->filesz, size - s->offset);
			}
			load_segments(&img, fuzz_write, fuzz_zero, &f);
		} else {
			ck_assert_int_eq(rc, -ENOEXEC);
			ck_assert_msg(err[0], "silent refusal");
		}
		free(buf);
	}
	/* The run went past the headers often enough to mean something. */
	ck_assert_uint_gt(accepted, 250);
}
END_TEST

static Suite *elf_suite(void)
{
	Suite *s = suite_create("pv image checks");
	TCase *tc = tcase_create("parse");

	tcase_add_test(tc, test_linux_like);
	tcase_add_test(tc, test_linux_like_load);
	tcase_add_test(tc, test_guest_pv_like);
	tcase_add_test(tc, test_defaults);
	tcase_add_test(tc, test_notes_in_section);
	tcase_add_test(tc, test_pt_note_offset_zero_skipped);
	tcase_add_test(tc, test_too_small_or_bad_magic);
	tcase_add_test(tc, test_wrong_class_endianness_machine);
	tcase_add_test(tc, test_not_exec);
	tcase_add_test(tc, test_phentsize);
	tcase_add_test(tc, test_phnum);
	tcase_add_test(tc, test_phdrs_past_eof);
	tcase_add_test(tc, test_filesz_over_memsz);
	tcase_add_test(tc, test_segment_past_eof);
	tcase_add_test(tc, test_paddr_wrap);
	tcase_add_test(tc, test_overlap);
	tcase_add_test(tc, test_too_many_loads);
	tcase_add_test(tc, test_no_load);
	tcase_add_test(tc, test_note_past_segment);
	tcase_add_test(tc, test_numeric_note_sizes);
	tcase_add_test(tc, test_string_not_terminated);
	tcase_add_test(tc, test_no_xen_notes);
	tcase_add_test(tc, test_xen_version);
	tcase_add_test(tc, test_loader_rules);
	tcase_add_test(tc, test_required_unknown_feature);
	tcase_add_test(tc, test_required_supervisor_mode_kernel);
	tcase_add_test(tc, test_long_features_string);
	tcase_add_test(tc, test_supported_features);
	tcase_add_test(tc, test_entry_outside);
	tcase_add_test(tc, test_hypercall_page);
	tcase_add_test(tc, test_virt_base_unaligned);
	tcase_add_test(tc, test_image_below_virt_base);
	tcase_add_test(tc, test_image_in_hv_range);
	tcase_add_test(tc, test_non_canonical);
	tcase_add_test(tc, test_init_p2m);
	tcase_add_test(tc, test_other_notes_ignored);
	tcase_add_test(tc, test_random_damage);
	suite_add_tcase(s, tc);
	return s;
}

int main(void)
{
	SRunner *r = srunner_create(elf_suite());
	int failed;

	srunner_run_all(r, CK_NORMAL);
	failed = srunner_ntests_failed(r);
	srunner_free(r);
	return failed ? EXIT_FAILURE : EXIT_SUCCESS;
}
