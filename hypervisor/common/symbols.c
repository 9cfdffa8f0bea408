/*
 * Address → function name. scripts/gensyms.sh emits, from a first link,
 * the sorted addresses of hv's text symbols and their names into
 * .hv_symtab; the final link places it after .text so no text address
 * moves (the Makefile checks that).
 */
#include <hv/symbols.h>

extern const uint64_t hv_symtab_count;
extern const uint64_t hv_symtab_addrs[];
extern const uint32_t hv_symtab_name_offs[];
extern const char hv_symtab_names[];
extern char _etext[];

const char *symbol_lookup(uintptr_t addr, uintptr_t *offset, uintptr_t *size)
{
	uint64_t lo = 0, hi = hv_symtab_count;

	if (!hi || addr < hv_symtab_addrs[0] || addr >= (uintptr_t)_etext)
		return NULL;
	/* The last symbol whose address is <= addr. */
	while (hi - lo > 1) {
		uint64_t mid = lo + (hi - lo) / 2;

		if (hv_symtab_addrs[mid] <= addr)
			lo = mid;
		else
			hi = mid;
	}
	*offset = addr - hv_symtab_addrs[lo];
	*size = (lo + 1 < hv_symtab_count ? hv_symtab_addrs[lo + 1] : (uintptr_t)_etext) -
		hv_symtab_addrs[lo];
	return hv_symtab_names + hv_symtab_name_offs[lo];
}
