/*
 * private.h - the builder's internals, shared by its source files.
 *
 * The builder runs freestanding inside guest-pv as well as on Linux, so
 * it includes no C library header: it declares the few functions it uses
 * itself, with the C library's signatures (guest-pv provides the same).
 */
#ifndef PVBUILD_PRIVATE_H
#define PVBUILD_PRIVATE_H

#include <stdarg.h>

#include "pvbuild.h"

void *memcpy(void *dst, const void *src, size_t n);
void *memset(void *s, int c, size_t n);
int memcmp(const void *a, const void *b, size_t n);
int strncmp(const char *a, const char *b, size_t n);
size_t strnlen(const char *s, size_t max);
size_t strlen(const char *s);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* Errno values the builder returns (Xen's, which Linux shares). */
#define PVB_EINVAL   22
#define PVB_ENOEXEC  8
#define PVB_ENOMEM   12
#define PVB_E2BIG    7

#define PVB_PAGE_SIZE   4096UL
#define PVB_PAGE_SHIFT  12
#define PVB_MIB         (1UL << 20)

#define PVB_ALIGN_UP(x, a)      (((x) + (a) - 1) & ~((uint64_t)(a) - 1))
#define PVB_ALIGN_DOWN(x, a)    ((x) & ~((uint64_t)(a) - 1))
#define PVB_MIN(a, b)           ((a) < (b) ? (a) : (b))
#define PVB_MAX(a, b)           ((a) > (b) ? (a) : (b))
#define PVB_ARRAY_SIZE(a)       (sizeof(a) / sizeof((a)[0]))

/* Page-table entry bits the builder writes. */
#define PVB_PTE_P   0x001UL
#define PVB_PTE_RW  0x002UL
#define PVB_PTE_US  0x004UL
#define PVB_PTE_A   0x020UL
#define PVB_PTE_D   0x040UL

/* Bits of a VA each level's index starts at: level 1 = 12 ... level 4 = 39. */
static inline unsigned int pvb_level_shift(unsigned int level)
{
	return PVB_PAGE_SHIFT + 9 * (level - 1);
}

/* va with bits 63..48 copied from bit 47, as the CPU requires of an address. */
static inline uint64_t pvb_sign_extend(uint64_t va)
{
	return (va & (1UL << 47)) ? va | 0xffff000000000000UL : va & 0x0000ffffffffffffUL;
}

static inline bool pvb_canonical(uint64_t va)
{
	return pvb_sign_extend(va) == va;
}

/* The hypervisor's own range every PV address space reserves (pv-abi.md §5.4). */
static inline bool pvb_in_hv_hole(uint64_t start, uint64_t end)
{
	return start < HYPERVISOR_VIRT_END && end > HYPERVISOR_VIRT_START;
}

/* Record why the call failed (printf style) and return rc. */
int pvb_fail(struct pvb_build *b, int rc, const char *fmt, ...)
	__attribute__((format(printf, 3, 4)));

/* Plan the page tables for the layout in b->lay (layout.c). */
int pvb_plan_tables(struct pvb_build *b);
/* The planned table of `level` whose range starts at `base`, or NULL (layout.c). */
const struct pvb_table *pvb_find_table(const struct pvb_build *b, unsigned int level,
				       uint64_t base);

#endif /* PVBUILD_PRIVATE_H */
