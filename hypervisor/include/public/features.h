/*
 * hv public ABI: feature bits reported by XENVER_get_features (submap 0)
 * and named in the FEATURES / SUPPORTED_FEATURES ELF notes.
 */
#ifndef HV_PUBLIC_FEATURES_H
#define HV_PUBLIC_FEATURES_H

#define XENFEAT_writable_page_tables        0   /* never for hv: PV MMU always validates */
#define XENFEAT_writable_descriptor_tables  1
#define XENFEAT_auto_translated_physmap     2   /* HVM/PVH; never for PV */
#define XENFEAT_supervisor_mode_kernel      3   /* obsolete; a guest requiring it is refused */
#define XENFEAT_pae_pgdir_above_4gb         4
#define XENFEAT_mmu_pt_update_preserve_ad   5   /* MMU_PT_UPDATE_PRESERVE_AD works */
#define XENFEAT_highmem_assist              6
#define XENFEAT_gnttab_map_avail_bits       7   /* GNTMAP_guest_avail bits honoured */
#define XENFEAT_hvm_callback_vector         8
#define XENFEAT_hvm_safe_pvclock            9
#define XENFEAT_hvm_pirqs                   10
#define XENFEAT_dom0                        11  /* caller is the initial domain */
#define XENFEAT_grant_map_identity          12
#define XENFEAT_memory_op_vnode_supported   13
#define XENFEAT_ARM_SMCCC_supported         14
#define XENFEAT_linux_rsdp_unrestricted     15
#define XENFEAT_not_direct_mapped           16
#define XENFEAT_direct_mapped               17

#define XENFEAT_NR_SUBMAPS                  1

#endif /* HV_PUBLIC_FEATURES_H */
