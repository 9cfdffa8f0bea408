/*
 * hv public ABI: types of the "Xen" ELF notes a PV kernel carries. Each
 * note: namesz, descsz, type (u32 each), name "Xen\0", desc, both padded
 * to 4 bytes. "num" notes hold a 1/2/4/8-byte little-endian value, "str"
 * notes a NUL-terminated string.
 */
#ifndef HV_PUBLIC_ELFNOTE_H
#define HV_PUBLIC_ELFNOTE_H

#define XEN_ELFNOTE_INFO                0   /* ignored */
#define XEN_ELFNOTE_ENTRY               1   /* num: entry VA */
#define XEN_ELFNOTE_HYPERCALL_PAGE      2   /* num: VA to fill with the hypercall page */
#define XEN_ELFNOTE_VIRT_BASE           3   /* num: VA that maps PFN 0 */
#define XEN_ELFNOTE_PADDR_OFFSET        4   /* num: subtracted from VIRT_BASE to relocate p_paddr */
#define XEN_ELFNOTE_XEN_VERSION         5   /* str: must start with "xen-3.0" */
#define XEN_ELFNOTE_GUEST_OS            6   /* str: e.g. "linux" */
#define XEN_ELFNOTE_GUEST_VERSION       7   /* str: informational */
#define XEN_ELFNOTE_LOADER              8   /* str: "generic" */
#define XEN_ELFNOTE_PAE_MODE            9   /* str: 32-bit only */
#define XEN_ELFNOTE_FEATURES            10  /* str: "a|b|!c" XENFEAT names, ! = required */
#define XEN_ELFNOTE_BSD_SYMTAB          11  /* str: "yes" = load the symbol table */
#define XEN_ELFNOTE_HV_START_LOW        12  /* num: 32-bit only */
#define XEN_ELFNOTE_L1_MFN_VALID        13  /* num pairs: tools only */
#define XEN_ELFNOTE_SUSPEND_CANCEL      14  /* num: tools only */
#define XEN_ELFNOTE_INIT_P2M            15  /* num: VA for the p2m outside the initial region */
#define XEN_ELFNOTE_MOD_START_PFN       16  /* num: 1 = accepts an unmapped initrd */
#define XEN_ELFNOTE_SUPPORTED_FEATURES  17  /* num: u32 per submap, OR-ed in */
#define XEN_ELFNOTE_PHYS32_ENTRY        18  /* num: PVH entry (ignored for PV) */
#define XEN_ELFNOTE_MAX                 XEN_ELFNOTE_PHYS32_ENTRY

/* The note owner name. */
#define XEN_ELFNOTE_NAME                "Xen"

#endif /* HV_PUBLIC_ELFNOTE_H */
