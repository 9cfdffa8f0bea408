/*
 * elf.c - checking a PV kernel image (pv-abi.md §4) before anything is
 * built from it.
 *
 * The image must be an x86_64 ELF64 executable whose PT_LOAD segments
 * lie inside the file, do not overlap and do not wrap; its Xen notes (in
 * PT_NOTE segments, else SHT_NOTE sections) must be well formed. Then
 * Xen's loader rules: XEN_VERSION starts "xen-3.0"; LOADER is "generic"
 * unless GUEST_OS starts "linux"; every feature FEATURES marks required
 * ("!name") is one a PV guest can have. The "required"
 * writable_page_tables that Linux and XTF declare is accepted, as Xen
 * does. Every offset and size from the file is checked against the file
 * before it is used, so a hostile image gets a message, never a fault.
 *
 * hv compiles this file too (its boot-time dom0 builder), so it needs
 * nothing beyond the few string functions private.h declares.
 */
#include <public/elfnote.h>
#include <public/features.h>

#include "private.h"

#define ELF_CLASS64     2
#define ELF_DATA_LSB    1
#define ELF_ET_EXEC     2
#define ELF_EM_X86_64   62
#define ELF_PT_LOAD     1
#define ELF_PT_NOTE     4
#define ELF_SHT_NOTE    7
#define MAX_PHNUM       64
#define MAX_SHNUM       512
/* A kernel image spans less than this (Linux's region must fit 1 GiB). */
#define MAX_IMAGE_SPAN  (1UL << 40)

struct elf_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

_Static_assert(sizeof(struct elf_ehdr) == 64, "ELF64 header");
_Static_assert(sizeof(struct elf_phdr) == 56, "ELF64 program header");
_Static_assert(sizeof(struct elf_shdr) == 64, "ELF64 section header");

/* What the notes said, before defaults apply. */
struct notes {
	unsigned int count;             /* Xen notes seen */
	bool have_entry, have_virt_base, have_paddr_offset;
	uint64_t entry;
	const char *features;           /* in the file: not copied, any length */
	size_t features_len;
};

/* One parse: the image being filled and where the reason for a refusal goes. */
struct parser {
	struct pvb_image *img;
	char *err;
	size_t errlen;
};

/* Record why the image is refused (printf style); -ENOEXEC. */
static int __attribute__((format(printf, 2, 3))) refuse(struct parser *ps, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	if (ps->errlen)
		vsnprintf(ps->err, ps->errlen, fmt, ap);
	va_end(ap);
	return -PVB_ENOEXEC;
}

/* The XENFEAT_ names FEATURES may use, by bit. */
static const char *const feature_names[] = {
	[XENFEAT_writable_page_tables] = "writable_page_tables",
	[XENFEAT_writable_descriptor_tables] = "writable_descriptor_tables",
	[XENFEAT_auto_translated_physmap] = "auto_translated_physmap",
	[XENFEAT_supervisor_mode_kernel] = "supervisor_mode_kernel",
	[XENFEAT_pae_pgdir_above_4gb] = "pae_pgdir_above_4gb",
	[XENFEAT_mmu_pt_update_preserve_ad] = "mmu_pt_update_preserve_ad",
	[XENFEAT_highmem_assist] = "highmem_assist",
	[XENFEAT_gnttab_map_avail_bits] = "gnttab_map_avail_bits",
	[XENFEAT_hvm_callback_vector] = "hvm_callback_vector",
	[XENFEAT_hvm_safe_pvclock] = "hvm_safe_pvclock",
	[XENFEAT_hvm_pirqs] = "hvm_pirqs",
	[XENFEAT_dom0] = "dom0",
};

/* Features a 64-bit PV kernel may require (the others are HVM's or not offered). */
#define PV_REQUIRABLE ((1u << XENFEAT_writable_page_tables) | \
		       (1u << XENFEAT_pae_pgdir_above_4gb) | \
		       (1u << XENFEAT_mmu_pt_update_preserve_ad) | \
		       (1u << XENFEAT_highmem_assist) | \
		       (1u << XENFEAT_gnttab_map_avail_bits) | \
		       (1u << XENFEAT_dom0))

/* [off, off + len) lies inside a file of `size` bytes. */
static bool in_file(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static uint64_t read_num(const uint8_t *p, uint32_t len)
{
	uint64_t v = 0;

	memcpy(&v, p, len);     /* little endian: the low bytes first */
	return v;
}

static bool is_numeric(uint32_t type)
{
	switch (type) {
	case XEN_ELFNOTE_ENTRY:
	case XEN_ELFNOTE_HYPERCALL_PAGE:
	case XEN_ELFNOTE_VIRT_BASE:
	case XEN_ELFNOTE_PADDR_OFFSET:
	case XEN_ELFNOTE_INIT_P2M:
	case XEN_ELFNOTE_MOD_START_PFN:
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		return true;
	default:
		return false;
	}
}

/* A string note: up to its first NUL or the end of its descriptor (Linux leaves FEATURES unterminated). */
static int note_string(struct parser *ps, uint32_t type, const uint8_t *desc, uint32_t len,
		       char *out, size_t room)
{
	size_t n = strnlen((const char *)desc, len);

	if (!n)
		return refuse(ps, "Xen note %u is an empty string", type);
	n = PVB_MIN(n, room - 1);
	memcpy(out, desc, n);
	out[n] = '\0';
	return 0;
}

static int one_note(struct parser *ps, struct notes *n, uint32_t type, const uint8_t *desc,
		    uint32_t len)
{
	struct pvb_image *img = ps->img;
	uint64_t v = 0;

	if (is_numeric(type)) {
		if (len != 1 && len != 2 && len != 4 && len != 8)
			return refuse(ps,
					"numeric Xen note %u has %u bytes (1, 2, 4 or 8 expected)",
					type, len);
		v = read_num(desc, len);
	}
	n->count++;
	switch (type) {
	case XEN_ELFNOTE_ENTRY:
		n->have_entry = true;
		n->entry = v;
		return 0;
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		img->hypercall_page = v;
		return 0;
	case XEN_ELFNOTE_VIRT_BASE:
		n->have_virt_base = true;
		img->virt_base = v;
		return 0;
	case XEN_ELFNOTE_PADDR_OFFSET:
		n->have_paddr_offset = true;
		img->paddr_offset = v;
		return 0;
	case XEN_ELFNOTE_INIT_P2M:
		img->init_p2m = v;
		return 0;
	case XEN_ELFNOTE_MOD_START_PFN:
		img->mod_start_pfn = v != 0;
		return 0;
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		img->supported_features |= (uint32_t)v;
		return 0;
	case XEN_ELFNOTE_XEN_VERSION:
		return note_string(ps, type, desc, len, img->xen_version, sizeof(img->xen_version));
	case XEN_ELFNOTE_GUEST_OS:
		return note_string(ps, type, desc, len, img->guest_os, sizeof(img->guest_os));
	case XEN_ELFNOTE_GUEST_VERSION:
		return note_string(ps, type, desc, len, img->guest_version, sizeof(img->guest_version));
	case XEN_ELFNOTE_LOADER:
		return note_string(ps, type, desc, len, img->loader, sizeof(img->loader));
	case XEN_ELFNOTE_FEATURES:
		n->features = (const char *)desc;
		n->features_len = strnlen(n->features, len);
		return 0;
	default:
		return 0;       /* informational, 32-bit only or tools only */
	}
}

/* The notes in file[off, off + len); only those named "Xen" count. */
static int parse_notes(struct parser *ps, struct notes *n, uint64_t off, uint64_t len)
{
	const uint8_t *p = ps->img->file + off;
	uint64_t left = len;

	while (left >= 12) {
		uint32_t namesz, descsz, type;
		uint64_t name_room, desc_room;
		int rc;

		memcpy(&namesz, p, 4);
		memcpy(&descsz, p + 4, 4);
		memcpy(&type, p + 8, 4);
		name_room = PVB_ALIGN_UP((uint64_t)namesz, 4);
		desc_room = PVB_ALIGN_UP((uint64_t)descsz, 4);
		if (name_room > left - 12 || desc_room > left - 12 - name_room)
			return refuse(ps,
					"an ELF note at offset %#lx runs past the end of its notes",
					(unsigned long)(p - ps->img->file));
		if (namesz == sizeof(XEN_ELFNOTE_NAME) && !memcmp(p + 12, XEN_ELFNOTE_NAME, namesz)) {
			rc = one_note(ps, n, type, p + 12 + name_room, descsz);
			if (rc)
				return rc;
		}
		p += 12 + name_room + desc_room;
		left -= 12 + name_room + desc_room;
	}
	return 0;
}

static int check_header(struct parser *ps, const struct elf_ehdr *eh, size_t size)
{
	if (size < sizeof(*eh) || memcmp(eh->ident, "\177ELF", 4))
		return refuse(ps, "not an ELF file (%lu bytes)",
				(unsigned long)size);
	if (eh->ident[4] != ELF_CLASS64 || eh->ident[5] != ELF_DATA_LSB)
		return refuse(ps, "not a little-endian ELF64 file (class %u, data %u)",
				eh->ident[4], eh->ident[5]);
	if (eh->machine != ELF_EM_X86_64)
		return refuse(ps, "not an x86_64 ELF file (machine %u)",
				eh->machine);
	if (eh->type != ELF_ET_EXEC)
		return refuse(ps, "not an executable ELF file (type %u)", eh->type);
	if (eh->phentsize != sizeof(struct elf_phdr) || !eh->phnum || eh->phnum > MAX_PHNUM ||
	    !in_file(eh->phoff, (uint64_t)eh->phnum * sizeof(struct elf_phdr), size))
		return refuse(ps,
				"the program header table (offset %#lx, %u entries) is malformed or truncated",
				(unsigned long)eh->phoff, eh->phnum);
	return 0;
}

/* A loadable segment, checked against the file and the ones before it (as p_paddr). */
static int add_segment(struct parser *ps, const struct elf_phdr *ph, unsigned int index)
{
	struct pvb_image *img = ps->img;

	if (ph->filesz > ph->memsz)
		return refuse(ps,
				"segment %u has more bytes in the file (%#lx) than in memory (%#lx)",
				index, (unsigned long)ph->filesz, (unsigned long)ph->memsz);
	if (!in_file(ph->offset, ph->filesz, img->size))
		return refuse(ps,
				"segment %u (offset %#lx, %#lx bytes) lies outside the file (%#lx bytes)",
				index, (unsigned long)ph->offset, (unsigned long)ph->filesz,
				(unsigned long)img->size);
	if (ph->memsz > MAX_IMAGE_SPAN || ph->paddr + ph->memsz < ph->paddr)
		return refuse(ps, "segment %u (%#lx, %#lx bytes) wraps around or is too large",
				index, (unsigned long)ph->paddr, (unsigned long)ph->memsz);
	if (img->nr_segs == PVB_MAX_SEGMENTS)
		return refuse(ps, "more than %u loadable segments",
				PVB_MAX_SEGMENTS);
	for (unsigned int i = 0; i < img->nr_segs; i++) {
		const struct pvb_segment *s = &img->segs[i];

		if (ph->paddr < s->va + s->memsz && s->va < ph->paddr + ph->memsz)
			return refuse(ps,
					"segment %u (%#lx) overlaps an earlier one (%#lx)", index,
					(unsigned long)ph->paddr, (unsigned long)s->va);
	}
	/* va holds p_paddr until the notes say how to relocate. */
	img->segs[img->nr_segs++] = (struct pvb_segment){ ph->paddr, ph->offset, ph->filesz, ph->memsz };
	return 0;
}

static int parse_program_headers(struct parser *ps, const struct elf_ehdr *eh, struct notes *n)
{
	const struct pvb_image *img = ps->img;

	for (unsigned int i = 0; i < eh->phnum; i++) {
		struct elf_phdr ph;
		int rc = 0;

		memcpy(&ph, img->file + eh->phoff + (uint64_t)i * sizeof(ph), sizeof(ph));
		if (ph.type == ELF_PT_NOTE && ph.offset) {
			if (!in_file(ph.offset, ph.filesz, img->size))
				return refuse(ps,
						"note segment %u (offset %#lx, %#lx bytes) lies outside the file",
						i, (unsigned long)ph.offset, (unsigned long)ph.filesz);
			rc = parse_notes(ps, n, ph.offset, ph.filesz);
		} else if (ph.type == ELF_PT_LOAD && ph.memsz) {
			rc = add_segment(ps, &ph, i);
		}
		if (rc)
			return rc;
	}
	if (!img->nr_segs)
		return refuse(ps, "no loadable segment");
	return 0;
}

/* No Xen note in a PT_NOTE segment: look in SHT_NOTE sections. */
static int parse_note_sections(struct parser *ps, const struct elf_ehdr *eh, struct notes *n)
{
	const struct pvb_image *img = ps->img;

	if (!eh->shoff || !eh->shnum)
		return 0;
	if (eh->shentsize != sizeof(struct elf_shdr) || eh->shnum > MAX_SHNUM ||
	    !in_file(eh->shoff, (uint64_t)eh->shnum * sizeof(struct elf_shdr), img->size))
		return refuse(ps,
				"the section header table (offset %#lx, %u entries) is malformed or truncated",
				(unsigned long)eh->shoff, eh->shnum);
	for (unsigned int i = 0; i < eh->shnum; i++) {
		struct elf_shdr sh;
		int rc;

		memcpy(&sh, img->file + eh->shoff + (uint64_t)i * sizeof(sh), sizeof(sh));
		if (sh.type != ELF_SHT_NOTE)
			continue;
		if (!in_file(sh.offset, sh.size, img->size))
			return refuse(ps,
					"note section %u (offset %#lx, %#lx bytes) lies outside the file",
					i, (unsigned long)sh.offset, (unsigned long)sh.size);
		rc = parse_notes(ps, n, sh.offset, sh.size);
		if (rc)
			return rc;
	}
	return 0;
}

/* FEATURES: "a|b|!c"; every required name must be one a PV kernel may require. */
static int parse_features(struct parser *ps, const char *s, size_t total)
{
	const char *end = s + total;

	while (s < end) {
		const char *bar = s;
		bool required = *s == '!';
		unsigned int f;
		size_t len;

		while (bar < end && *bar != '|')
			bar++;
		if (required)
			s++;
		len = (size_t)(bar - s);
		for (f = 0; f < PVB_ARRAY_SIZE(feature_names); f++)
			if (feature_names[f] && strlen(feature_names[f]) == len &&
			    !strncmp(feature_names[f], s, len))
				break;
		if (required) {
			char name[48];

			if (f < PVB_ARRAY_SIZE(feature_names) && (PV_REQUIRABLE & (1u << f))) {
				ps->img->required_features |= 1u << f;
			} else {
				len = PVB_MIN(len, sizeof(name) - 1);
				memcpy(name, s, len);
				name[len] = '\0';
				return refuse(ps,
						"requires feature '%s', which a PV domain cannot have",
						name);
			}
		}
		s = bar < end ? bar + 1 : end;
	}
	return 0;
}

/* Xen's acceptance rules, then every address relocated to a VA. */
static int apply_rules(struct parser *ps, const struct elf_ehdr *eh, const struct notes *n)
{
	struct pvb_image *img = ps->img;
	uint64_t pstart = UINT64_MAX, pend = 0, delta;
	int rc;

	if (!n->count)
		return refuse(ps, "no Xen ELF notes (not a PV kernel)");
	if (strncmp(img->xen_version, "xen-3.0", 7))
		return refuse(ps, "XEN_VERSION note '%s' is not 'xen-3.0'",
				img->xen_version);
	if (strncmp(img->loader, "generic", sizeof(img->loader)) && strncmp(img->guest_os, "linux", 5))
		return refuse(ps, "LOADER note '%s' is not 'generic'",
				img->loader);
	if (n->features) {
		rc = parse_features(ps, n->features, n->features_len);
		if (rc)
			return rc;
	}
	/* The layout maps PFN n at VIRT_BASE + n pages: VIRT_BASE is PFN 0's. */
	if (img->virt_base & (PVB_PAGE_SIZE - 1))
		return refuse(ps, "VIRT_BASE %#lx is not page aligned",
				(unsigned long)img->virt_base);
	for (unsigned int i = 0; i < img->nr_segs; i++) {
		pstart = PVB_MIN(pstart, img->segs[i].va);
		pend = PVB_MAX(pend, img->segs[i].va + img->segs[i].memsz);
	}
	delta = img->virt_base - img->paddr_offset;
	img->kstart = PVB_ALIGN_DOWN(pstart + delta, PVB_PAGE_SIZE);
	img->kend = PVB_ALIGN_UP(pend + delta, PVB_PAGE_SIZE);
	if (pend - pstart > MAX_IMAGE_SPAN || img->kend <= img->kstart ||
	    !pvb_canonical(img->kstart) || !pvb_canonical(img->kend - 1) ||
	    (img->kstart >> 47) != ((img->kend - 1) >> 47) ||
	    pvb_in_hv_hole(img->kstart, img->kend))
		return refuse(ps,
				"the image (%#lx-%#lx) does not fit a guest's address space",
				(unsigned long)(pstart + delta), (unsigned long)(pend + delta));
	if (img->kstart < img->virt_base)
		return refuse(ps, "the image starts at %#lx, below VIRT_BASE %#lx",
				(unsigned long)img->kstart, (unsigned long)img->virt_base);
	for (unsigned int i = 0; i < img->nr_segs; i++)
		img->segs[i].va += delta;
	img->entry = n->have_entry ? n->entry : eh->entry;
	if (img->entry < img->kstart || img->entry >= img->kend)
		return refuse(ps, "the entry point %#lx lies outside the image (%#lx-%#lx)",
				(unsigned long)img->entry, (unsigned long)img->kstart,
				(unsigned long)img->kend);
	if (img->hypercall_page &&
	    ((img->hypercall_page & (PVB_PAGE_SIZE - 1)) || img->hypercall_page < img->kstart ||
	     img->hypercall_page >= img->kend))
		return refuse(ps,
				"the hypercall page %#lx is not a page inside the image",
				(unsigned long)img->hypercall_page);
	if (img->init_p2m &&
	    ((img->init_p2m & (PVB_PAGE_SIZE - 1)) || !pvb_canonical(img->init_p2m) ||
	     pvb_in_hv_hole(img->init_p2m, img->init_p2m + 1)))
		return refuse(ps, "the INIT_P2M address %#lx is unusable",
				(unsigned long)img->init_p2m);
	return 0;
}

int pvb_parse_image(struct pvb_image *img, char *err, size_t errlen, const void *file,
		    size_t size)
{
	struct parser ps = { .img = img, .err = err, .errlen = errlen };
	struct elf_ehdr eh;
	struct notes n;
	int rc;

	memset(img, 0, sizeof(*img));
	memset(&n, 0, sizeof(n));
	memset(&eh, 0, sizeof(eh));
	if (errlen)
		err[0] = '\0';
	img->file = file;
	img->size = size;
	if (file && size >= sizeof(eh))
		memcpy(&eh, file, sizeof(eh));
	rc = check_header(&ps, &eh, size);
	if (!rc)
		rc = parse_program_headers(&ps, &eh, &n);
	if (!rc && !n.count)
		rc = parse_note_sections(&ps, &eh, &n);
	if (!rc)
		rc = apply_rules(&ps, &eh, &n);
	return rc;
}
