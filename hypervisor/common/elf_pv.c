/*
 * Parsing PV kernel images (ELF64 + Xen notes), with Xen's loader rules:
 * XEN_VERSION must start "xen-3.0"; LOADER must be "generic" unless
 * GUEST_OS starts "linux"; required features must be ones hv offers
 * (writable_page_tables is tolerated, as Xen does, since Linux and XTF
 * declare it without relying on it); dom0 kernels must support XENFEAT_dom0.
 * Every offset and size from the file is checked against the file before
 * use, so a truncated or hostile image gets a message, never a fault.
 */
#include <hv/console.h>
#include <hv/elf_pv.h>
#include <hv/errno.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <public/elfnote.h>
#include <public/features.h>

#define EM_X86_64 62
#define ET_EXEC 2
#define PT_LOAD 1
#define PT_NOTE 4
#define SHT_NOTE 7
#define MAX_PHNUM 64
#define MAX_SHNUM 256

struct elf64_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct elf64_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

struct elf64_shdr {
	uint32_t name, type;
	uint64_t flags, addr, offset, size;
	uint32_t link, info;
	uint64_t addralign, entsize;
};

/* What the notes said, before defaults and checks. */
struct notes {
	bool any, have_entry, have_virt_base, have_paddr_offset;
	uint64_t entry;
	/* The FEATURES string where it lies in the file: no length limit. */
	const char *features;
	size_t features_len;
};

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

/* Features a PV kernel may require of hv. */
#define PV_OFFERED ((1u << XENFEAT_writable_page_tables) | (1u << XENFEAT_pae_pgdir_above_4gb) | \
		    (1u << XENFEAT_mmu_pt_update_preserve_ad) | (1u << XENFEAT_highmem_assist) | \
		    (1u << XENFEAT_gnttab_map_avail_bits) | (1u << XENFEAT_dom0))

static bool range_ok(uint64_t off, uint64_t len, size_t size)
{
	return off <= size && len <= size - off;
}

static int bad(const char *who, const char *why, uint64_t a, uint64_t b)
{
	pr_err("%s: %s (%#lx, %#lx); not loaded\n", who, why, a, b);
	return -ENOEXEC;
}


static bool in_hv_range(uint64_t start, uint64_t end)
{
	return start < DIRECTMAP_END && end > M2P_VIRT_START;
}

static uint64_t note_num(const uint8_t *desc, uint32_t len)
{
	uint64_t v = 0;

	memcpy(&v, desc, len);
	return v;
}

/*
 * A string note ends at its first NUL or at the end of its descriptor:
 * Linux writes FEATURES with .ascii, unterminated, and Xen reads it so.
 */
static int note_string(const char *who, uint32_t type, const uint8_t *desc, uint32_t len,
		       char *out, size_t outlen)
{
	size_t n = strnlen((const char *)desc, len);

	if (!n)
		return bad(who, "a string note is empty", type, len);
	n = MIN(n, outlen - 1);
	memcpy(out, desc, n);
	out[n] = '\0';
	return 0;
}

static int one_note(const char *who, uint32_t type, const uint8_t *desc, uint32_t len,
		    struct pv_image *img, struct notes *n)
{
	bool numeric = type == XEN_ELFNOTE_ENTRY || type == XEN_ELFNOTE_HYPERCALL_PAGE ||
		       type == XEN_ELFNOTE_VIRT_BASE || type == XEN_ELFNOTE_PADDR_OFFSET ||
		       type == XEN_ELFNOTE_INIT_P2M || type == XEN_ELFNOTE_MOD_START_PFN ||
		       type == XEN_ELFNOTE_SUPPORTED_FEATURES;
	uint64_t v = 0;

	if (numeric) {
		if (len != 1 && len != 2 && len != 4 && len != 8)
			return bad(who, "a numeric note has a bad size", type, len);
		v = note_num(desc, len);
	}
	n->any = true;
	switch (type) {
	case XEN_ELFNOTE_ENTRY:
		n->have_entry = true;
		n->entry = v;
		break;
	case XEN_ELFNOTE_HYPERCALL_PAGE:
		img->hypercall_page = v;
		break;
	case XEN_ELFNOTE_VIRT_BASE:
		n->have_virt_base = true;
		img->virt_base = v;
		break;
	case XEN_ELFNOTE_PADDR_OFFSET:
		n->have_paddr_offset = true;
		img->paddr_offset = v;
		break;
	case XEN_ELFNOTE_INIT_P2M:
		img->init_p2m = v;
		break;
	case XEN_ELFNOTE_MOD_START_PFN:
		img->mod_start_pfn = v != 0;
		break;
	case XEN_ELFNOTE_SUPPORTED_FEATURES:
		img->supported_features |= (uint32_t)v;
		break;
	case XEN_ELFNOTE_XEN_VERSION:
		return note_string(who, type, desc, len, img->xen_version, sizeof(img->xen_version));
	case XEN_ELFNOTE_GUEST_OS:
		return note_string(who, type, desc, len, img->guest_os, sizeof(img->guest_os));
	case XEN_ELFNOTE_GUEST_VERSION:
		return note_string(who, type, desc, len, img->guest_version, sizeof(img->guest_version));
	case XEN_ELFNOTE_LOADER:
		return note_string(who, type, desc, len, img->loader, sizeof(img->loader));
	case XEN_ELFNOTE_FEATURES:
		n->features = (const char *)desc;
		n->features_len = strnlen(n->features, len);
		return 0;
	default:
		break;		/* informational or 32-bit only */
	}
	return 0;
}

/* Walk the notes in file[off, off+len); only those named "Xen" count. */
static int parse_notes(const char *who, const uint8_t *file, uint64_t off, uint64_t len,
		       struct pv_image *img, struct notes *n)
{
	const uint8_t *p = file + off, *end = file + off + len;

	while (end - p >= 12) {
		uint32_t namesz, descsz, type;
		uint64_t nlen, dlen;
		int rc;

		memcpy(&namesz, p, 4);
		memcpy(&descsz, p + 4, 4);
		memcpy(&type, p + 8, 4);
		nlen = ALIGN_UP((uint64_t)namesz, 4);
		dlen = ALIGN_UP((uint64_t)descsz, 4);
		if (nlen > (uint64_t)(end - p - 12) || dlen > (uint64_t)(end - p - 12) - nlen)
			return bad(who, "an ELF note runs past its segment", off, len);
		if (namesz == 4 && !memcmp(p + 12, "Xen", 4)) {
			rc = one_note(who, type, p + 12 + nlen, descsz, img, n);
			if (rc)
				return rc;
		}
		p += 12 + nlen + dlen;
	}
	return 0;
}

static int parse_program_headers(const char *who, const uint8_t *file, size_t size,
				 const struct elf64_ehdr *eh, struct pv_image *img,
				 struct notes *n, uint64_t *pstart, uint64_t *pend)
{
	*pstart = UINT64_MAX;
	*pend = 0;
	for (unsigned int i = 0; i < eh->phnum; i++) {
		struct elf64_phdr ph;
		int rc;

		memcpy(&ph, file + eh->phoff + i * sizeof(ph), sizeof(ph));
		if (ph.type == PT_NOTE && ph.offset) {
			if (!range_ok(ph.offset, ph.filesz, size))
				return bad(who, "a note segment lies outside the file", ph.offset, ph.filesz);
			rc = parse_notes(who, file, ph.offset, ph.filesz, img, n);
			if (rc)
				return rc;
		}
		if (ph.type != PT_LOAD || !ph.memsz)
			continue;
		if (ph.filesz > ph.memsz)
			return bad(who, "a segment's file size exceeds its memory size", ph.filesz, ph.memsz);
		if (!range_ok(ph.offset, ph.filesz, size))
			return bad(who, "a segment lies outside the file", ph.offset, ph.filesz);
		if (ph.paddr + ph.memsz < ph.paddr)
			return bad(who, "a segment wraps around", ph.paddr, ph.memsz);
		if (img->nr_segs == PV_MAX_SEGMENTS)
			return bad(who, "too many loadable segments", img->nr_segs, PV_MAX_SEGMENTS);
		for (unsigned int j = 0; j < img->nr_segs; j++) {
			uint64_t s = img->segs[j].va, e = s + img->segs[j].memsz;

			/* Compared as paddr for now: relocation adds the same constant. */
			if (ph.paddr < e && s < ph.paddr + ph.memsz)
				return bad(who, "two segments overlap", ph.paddr, s);
		}
		img->segs[img->nr_segs++] = (struct pv_segment){ ph.paddr, ph.offset, ph.filesz, ph.memsz };
		*pstart = MIN(*pstart, ph.paddr);
		*pend = MAX(*pend, ph.paddr + ph.memsz);
	}
	if (!img->nr_segs)
		return bad(who, "no loadable segment", 0, 0);
	return 0;
}

/* No PT_NOTE with Xen notes: look at SHT_NOTE sections instead. */
static int parse_note_sections(const char *who, const uint8_t *file, size_t size,
			       const struct elf64_ehdr *eh, struct pv_image *img, struct notes *n)
{
	if (!eh->shoff || !eh->shnum)
		return 0;
	if (eh->shentsize != sizeof(struct elf64_shdr) || eh->shnum > MAX_SHNUM ||
	    !range_ok(eh->shoff, (uint64_t)eh->shnum * sizeof(struct elf64_shdr), size))
		return bad(who, "the section header table is malformed", eh->shoff, eh->shnum);
	for (unsigned int i = 0; i < eh->shnum; i++) {
		struct elf64_shdr sh;
		int rc;

		memcpy(&sh, file + eh->shoff + i * sizeof(sh), sizeof(sh));
		if (sh.type != SHT_NOTE)
			continue;
		if (!range_ok(sh.offset, sh.size, size))
			return bad(who, "a note section lies outside the file", sh.offset, sh.size);
		rc = parse_notes(who, file, sh.offset, sh.size, img, n);
		if (rc)
			return rc;
	}
	return 0;
}

static int parse_features(const char *who, const char *s, size_t total, struct pv_image *img)
{
	const char *end = s + total;

	while (s < end) {
		const char *bar = memchr(s, '|', (size_t)(end - s));
		size_t len = bar ? (size_t)(bar - s) : (size_t)(end - s);
		bool required = *s == '!';
		unsigned int f;

		if (required) {
			s++;
			len--;
		}
		for (f = 0; f < ARRAY_SIZE(feature_names); f++)
			if (feature_names[f] && strlen(feature_names[f]) == len &&
			    !strncmp(s, feature_names[f], len))
				break;
		if (required) {
			if (f == ARRAY_SIZE(feature_names) || !(PV_OFFERED & (1u << f))) {
				pr_err("%s: requires feature '%.*s', which hv does not offer; not loaded\n",
				       who, (int)len, s);
				return -ENOEXEC;
			}
			img->required_features |= 1u << f;
		}
		s += len;
		if (s < end && *s == '|')
			s++;
	}
	return 0;
}

static int check_header(const char *who, const uint8_t *file, size_t size,
			const struct elf64_ehdr *eh)
{
	if (size < sizeof(*eh) || memcmp(file, "\177ELF", 4))
		return bad(who, "not an ELF file", size, 0);
	if (eh->ident[4] != 2 || eh->ident[5] != 1 || eh->machine != EM_X86_64)
		return bad(who, "not a little-endian x86_64 ELF64 file", eh->ident[4], eh->machine);
	if (eh->type != ET_EXEC)
		return bad(who, "not an executable ELF file", eh->type, 0);
	if (eh->phentsize != sizeof(struct elf64_phdr) || !eh->phnum || eh->phnum > MAX_PHNUM ||
	    !range_ok(eh->phoff, (uint64_t)eh->phnum * sizeof(struct elf64_phdr), size))
		return bad(who, "the program header table is malformed or truncated", eh->phoff,
			   eh->phnum);
	return 0;
}

/* Xen's acceptance rules, then relocation of every address to VAs. */
static int apply_rules(const char *who, const struct elf64_ehdr *eh, bool dom0,
		       struct pv_image *img, struct notes *n, uint64_t pstart, uint64_t pend)
{
	uint64_t delta;
	int rc;

	if (!n->any)
		return bad(who, "no Xen ELF notes: not a PV kernel", 0, 0);
	if (strncmp(img->xen_version, "xen-3.0", 7)) {
		pr_err("%s: XEN_VERSION note '%s' is not 'xen-3.0'; not loaded\n", who, img->xen_version);
		return -ENOEXEC;
	}
	if (strcmp(img->loader, "generic") && strncmp(img->guest_os, "linux", 5)) {
		pr_err("%s: LOADER '%s' is not 'generic'; not loaded\n", who, img->loader);
		return -ENOEXEC;
	}
	rc = n->features ? parse_features(who, n->features, n->features_len, img) : 0;
	if (rc)
		return rc;
	if (dom0 && !(img->supported_features & (1u << XENFEAT_dom0))) {
		pr_err("%s: the kernel does not declare support for running as dom0; not loaded\n", who);
		return -ENOEXEC;
	}
	if (!n->have_paddr_offset)
		img->paddr_offset = 0;
	delta = img->virt_base - img->paddr_offset;
	img->vstart = ALIGN_DOWN(pstart + delta, PAGE_SIZE);
	img->vend = ALIGN_UP(pend + delta, PAGE_SIZE);
	if (img->vend <= img->vstart || !is_canonical(img->vstart) || !is_canonical(img->vend - 1) ||
	    (img->vstart >> 47) != ((img->vend - 1) >> 47) || in_hv_range(img->vstart, img->vend))
		return bad(who, "the image does not fit in the guest's virtual address space",
			   img->vstart, img->vend);
	for (unsigned int i = 0; i < img->nr_segs; i++)
		img->segs[i].va += delta;
	img->entry = n->have_entry ? n->entry : eh->entry;
	if (img->entry < img->vstart || img->entry >= img->vend)
		return bad(who, "the entry point lies outside the image", img->entry, img->vstart);
	if (img->hypercall_page && (!IS_ALIGNED(img->hypercall_page, PAGE_SIZE) ||
				    img->hypercall_page < img->vstart ||
				    img->hypercall_page >= img->vend))
		return bad(who, "the hypercall page is not a page inside the image",
			   img->hypercall_page, img->vstart);
	if (img->init_p2m && (!IS_ALIGNED(img->init_p2m, PAGE_SIZE) || !is_canonical(img->init_p2m) ||
			      in_hv_range(img->init_p2m, img->init_p2m + 1)))
		return bad(who, "the INIT_P2M address is unusable", img->init_p2m, 0);
	return 0;
}

int pv_image_parse(const char *who, const void *file, size_t size, bool dom0,
		   struct pv_image *img)
{
	struct elf64_ehdr eh;
	struct notes n;
	uint64_t pstart, pend;
	int rc;

	memset(img, 0, sizeof(*img));
	memset(&n, 0, sizeof(n));
	img->file = file;
	img->size = size;
	if (size >= sizeof(eh))
		memcpy(&eh, file, sizeof(eh));
	rc = check_header(who, file, size, &eh);
	if (!rc)
		rc = parse_program_headers(who, file, size, &eh, img, &n, &pstart, &pend);
	if (!rc && !n.any)
		rc = parse_note_sections(who, file, size, &eh, img, &n);
	if (!rc)
		rc = apply_rules(who, &eh, dom0, img, &n, pstart, pend);
	return rc;
}

void pv_image_load(const struct pv_image *img,
		   void (*write)(void *ctx, uint64_t va, const void *src, size_t len),
		   void (*zero)(void *ctx, uint64_t va, size_t len), void *ctx)
{
	for (unsigned int i = 0; i < img->nr_segs; i++) {
		const struct pv_segment *s = &img->segs[i];

		if (s->filesz)
			write(ctx, s->va, img->file + s->offset, s->filesz);
		if (s->memsz > s->filesz)
			zero(ctx, s->va + s->filesz, s->memsz - s->filesz);
	}
}
