/* The machine-to-physical table every PV guest reads (arch/x86/pv/m2p.c). */
#ifndef HV_M2P_H
#define HV_M2P_H

#include <hv/types.h>

void m2p_init(void);
void m2p_set(mfn_t mfn, uint64_t pfn);
uint64_t m2p_get(mfn_t mfn);
mfn_t m2p_max_mfn(void);

/* Map frames [mfn, mfn + n) at va in every address space, user read-only (paging.c). */
void map_guest_readonly(uintptr_t va, mfn_t mfn, uint64_t n);

#endif
