/*
 * The spinner domain (spinner.h): its kernel image is written here, an
 * ELF64 executable of one page holding its own headers, Xen notes and
 * two instructions, and the shared builder (dom0-tools/builder) turns it
 * into a domain through whichever control interface target= selects.
 */
#include <guest/arch.h>
#include <guest/control.h>
#include <guest/lib.h>
#include <guest/test.h>
#include <public/elfnote.h>

#include "spinner.h"

#define SPIN_VIRT_BASE  0xffffffff80000000UL
#define SPIN_NOTES      0x100           /* offsets in the image */
#define SPIN_CODE       0x400
#define SPIN_PAGES      1024            /* the builder's least: a 4 MiB region */

struct spin_ehdr {
	uint8_t ident[16];
	uint16_t type, machine;
	uint32_t version;
	uint64_t entry, phoff, shoff;
	uint32_t flags;
	uint16_t ehsize, phentsize, phnum, shentsize, shnum, shstrndx;
};

struct spin_phdr {
	uint32_t type, flags;
	uint64_t offset, vaddr, paddr, filesz, memsz, align;
};

static uint8_t image[PAGE_SIZE] __aligned(8);
static struct pvb_build spin_builder;

/* One note named "Xen" at image + off: the offset after it. */
static size_t note(size_t off, uint32_t type, const void *desc, uint32_t len)
{
	const uint32_t hdr[3] = { sizeof(XEN_ELFNOTE_NAME), len, type };

	memcpy(image + off, hdr, sizeof(hdr));
	memcpy(image + off + sizeof(hdr), XEN_ELFNOTE_NAME, sizeof(XEN_ELFNOTE_NAME));
	off += sizeof(hdr) + ((sizeof(XEN_ELFNOTE_NAME) + 3) & ~3UL);
	memcpy(image + off, desc, len);
	return off + ((len + 3) & ~3UL);
}

static size_t write_image(void)
{
	static const uint8_t spin[] = { 0xf3, 0x90, 0xeb, 0xfc };	/* 1: pause; jmp 1b */
	const uint64_t base = SPIN_VIRT_BASE, offset = 0, entry = SPIN_VIRT_BASE + SPIN_CODE;
	struct spin_ehdr eh = {
		.ident = { 0x7f, 'E', 'L', 'F', 2 /* 64-bit */, 1 /* LSB */, 1 /* version */ },
		.type = 2 /* executable */, .machine = 62 /* x86_64 */, .version = 1,
		.entry = entry, .phoff = sizeof(eh), .ehsize = sizeof(eh),
		.phentsize = sizeof(struct spin_phdr), .phnum = 2,
	};
	struct spin_phdr ph[2] = {
		{ .type = 1 /* PT_LOAD */, .flags = 5 /* R+X */, .offset = 0,
		  .vaddr = SPIN_VIRT_BASE, .paddr = 0, .filesz = PAGE_SIZE, .memsz = PAGE_SIZE,
		  .align = PAGE_SIZE },
		{ .type = 4 /* PT_NOTE */, .flags = 4, .offset = SPIN_NOTES, .align = 4 },
	};
	size_t end;

	memset(image, 0, sizeof(image));
	end = note(SPIN_NOTES, XEN_ELFNOTE_XEN_VERSION, "xen-3.0", 8);
	end = note(end, XEN_ELFNOTE_GUEST_OS, "spinner", 8);
	end = note(end, XEN_ELFNOTE_LOADER, "generic", 8);
	end = note(end, XEN_ELFNOTE_VIRT_BASE, &base, 8);
	end = note(end, XEN_ELFNOTE_PADDR_OFFSET, &offset, 8);
	end = note(end, XEN_ELFNOTE_ENTRY, &entry, 8);
	ph[1].filesz = ph[1].memsz = end - SPIN_NOTES;
	memcpy(image, &eh, sizeof(eh));
	memcpy(image + sizeof(eh), ph, sizeof(ph));
	memcpy(image + SPIN_CODE, spin, sizeof(spin));
	return sizeof(image);
}

domid_t spinner_build(char *why, size_t whylen)
{
	struct build_args a = { .cmdline = "", .nr_pages = SPIN_PAGES };
	domid_t dom = 0;
	long rc;
	int brc;

	ctl_select();
	a.elf = image;
	a.elf_size = write_image();
	rc = ctl->create(&dom, SPIN_PAGES, 1);
	if (rc) {
		snprintf(why, whylen, "%s: create: %s", ctl->name, rc_str(rc));
		return 0;
	}
	a.dom = dom;
	brc = build_domain(&spin_builder, &a);
	if (brc) {
		snprintf(why, whylen, "%s: building domain %u: %s", ctl->name, dom, spin_builder.err);
		ctl->destroy(dom);
		return 0;
	}
	return dom;
}

long spinner_start(domid_t dom)
{
	long rc = ctl->vcpu_up ? ctl->vcpu_up(dom, 0) : 0;

	return rc ? rc : ctl->unpause(dom);
}

long spinner_destroy(domid_t dom)
{
	return ctl->destroy(dom);
}
