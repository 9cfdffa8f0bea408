/*
 * Compile-time checks of the public ABI layouts: every size and offset
 * docs/pv-abi.md and docs/split-drivers.md give. No code: the object is
 * empty if the build gets this far.
 */
#include <stddef.h>
#include <public/xen.h>
#include <public/errno.h>
#include <public/version.h>
#include <public/features.h>
#include <public/sched.h>
#include <public/memory.h>
#include <public/vcpu.h>
#include <public/callback.h>
#include <public/event_channel.h>
#include <public/physdev.h>
#include <public/grant_table.h>
#include <public/elfnote.h>
#include <public/platform.h>
#include <public/io/ring.h>
#include <public/io/console.h>
#include <public/io/blkif.h>
#include <public/io/netif.h>
#include <public/io/xenbus.h>

#define SIZE(t, n)      _Static_assert(sizeof(t) == (n), "sizeof " #t " != " #n)
#define OFF(t, f, n)    _Static_assert(offsetof(t, f) == (n), "offsetof(" #t ", " #f ") != " #n)

/* §3.1 start_info and the dom0 VGA info */
SIZE(struct start_info, 1168);
OFF(struct start_info, magic, 0);
OFF(struct start_info, nr_pages, 32);
OFF(struct start_info, shared_info, 40);
OFF(struct start_info, flags, 48);
OFF(struct start_info, store_mfn, 56);
OFF(struct start_info, store_evtchn, 64);
OFF(struct start_info, console.domU.mfn, 72);
OFF(struct start_info, console.domU.evtchn, 80);
OFF(struct start_info, console.dom0.info_off, 72);
OFF(struct start_info, console.dom0.info_size, 76);
OFF(struct start_info, pt_base, 88);
OFF(struct start_info, nr_pt_frames, 96);
OFF(struct start_info, mfn_list, 104);
OFF(struct start_info, mod_start, 112);
OFF(struct start_info, mod_len, 120);
OFF(struct start_info, cmd_line, 128);
OFF(struct start_info, first_p2m_pfn, 1152);
OFF(struct start_info, nr_p2m_frames, 1160);
_Static_assert(SIF_PRIVILEGED == 1 && SIF_INITDOMAIN == 2 && SIF_MULTIBOOT_MOD == 4 &&
	       SIF_MOD_START_PFN == 8 && SIF_VIRT_P2M_4TOOLS == 16 && SIF_PM_MASK == 0xff00,
	       "SIF_* values");

SIZE(struct dom0_vga_console_info, 40);
OFF(struct dom0_vga_console_info, video_type, 0);
OFF(struct dom0_vga_console_info, u.text_mode_3.font_height, 4);
OFF(struct dom0_vga_console_info, u.text_mode_3.cursor_x, 6);
OFF(struct dom0_vga_console_info, u.text_mode_3.cursor_y, 8);
OFF(struct dom0_vga_console_info, u.text_mode_3.rows, 10);
OFF(struct dom0_vga_console_info, u.text_mode_3.columns, 12);
OFF(struct dom0_vga_console_info, u.vesa_lfb.width, 4);
OFF(struct dom0_vga_console_info, u.vesa_lfb.height, 6);
OFF(struct dom0_vga_console_info, u.vesa_lfb.bytes_per_line, 8);
OFF(struct dom0_vga_console_info, u.vesa_lfb.bits_per_pixel, 10);
OFF(struct dom0_vga_console_info, u.vesa_lfb.lfb_base, 12);
OFF(struct dom0_vga_console_info, u.vesa_lfb.lfb_size, 16);
OFF(struct dom0_vga_console_info, u.vesa_lfb.red_pos, 20);
OFF(struct dom0_vga_console_info, u.vesa_lfb.rsvd_size, 27);
OFF(struct dom0_vga_console_info, u.vesa_lfb.gbl_caps, 28);
OFF(struct dom0_vga_console_info, u.vesa_lfb.mode_attrs, 32);
OFF(struct dom0_vga_console_info, u.vesa_lfb.ext_lfb_base, 36);

/* §3.2 shared_info, §3.3 vcpu_info / vcpu_time_info */
SIZE(struct shared_info, 3136);
OFF(struct shared_info, vcpu_info, 0);
OFF(struct shared_info, evtchn_pending, 2048);
OFF(struct shared_info, evtchn_mask, 2560);
OFF(struct shared_info, wc_version, 3072);
OFF(struct shared_info, wc_sec, 3076);
OFF(struct shared_info, wc_nsec, 3080);
OFF(struct shared_info, wc_sec_hi, 3084);
OFF(struct shared_info, arch, 3088);
OFF(struct shared_info, arch.max_pfn, 3088);
OFF(struct shared_info, arch.pfn_to_mfn_frame_list_list, 3096);
OFF(struct shared_info, arch.nmi_reason, 3104);
OFF(struct shared_info, arch.p2m_cr3, 3112);
OFF(struct shared_info, arch.p2m_vaddr, 3120);
OFF(struct shared_info, arch.p2m_generation, 3128);
SIZE(struct arch_shared_info, 48);

SIZE(struct vcpu_info, 64);
OFF(struct vcpu_info, evtchn_upcall_pending, 0);
OFF(struct vcpu_info, evtchn_upcall_mask, 1);
OFF(struct vcpu_info, evtchn_pending_sel, 8);
OFF(struct vcpu_info, arch.cr2, 16);
OFF(struct vcpu_info, arch._pad, 24);
OFF(struct vcpu_info, time, 32);

SIZE(struct vcpu_time_info, 32);
OFF(struct vcpu_time_info, version, 0);
OFF(struct vcpu_time_info, tsc_timestamp, 8);
OFF(struct vcpu_time_info, system_time, 16);
OFF(struct vcpu_time_info, tsc_to_system_mul, 24);
OFF(struct vcpu_time_info, tsc_shift, 28);
OFF(struct vcpu_time_info, flags, 29);
OFF(struct vcpu_time_info, _pad1, 30);

/* §3.4 hypercall structures */
SIZE(struct trap_info, 16);
OFF(struct trap_info, vector, 0);
OFF(struct trap_info, flags, 1);
OFF(struct trap_info, cs, 2);
OFF(struct trap_info, address, 8);
SIZE(struct mmu_update, 16);
OFF(struct mmu_update, val, 8);
SIZE(struct mmuext_op, 24);
OFF(struct mmuext_op, arg1, 8);
OFF(struct mmuext_op, arg2, 16);
SIZE(struct multicall_entry, 64);
OFF(struct multicall_entry, result, 8);
OFF(struct multicall_entry, args, 16);
SIZE(struct callback_register, 16);
OFF(struct callback_register, flags, 2);
OFF(struct callback_register, address, 8);
SIZE(struct callback_unregister, 4);
SIZE(struct iret_context, 72);
OFF(struct iret_context, rax, 0);
OFF(struct iret_context, r11, 8);
OFF(struct iret_context, rcx, 16);
OFF(struct iret_context, flags, 24);
OFF(struct iret_context, rip, 32);
OFF(struct iret_context, cs, 40);
OFF(struct iret_context, rflags, 48);
OFF(struct iret_context, rsp, 56);
OFF(struct iret_context, ss, 64);
SIZE(struct vcpu_runstate_info, 48);
OFF(struct vcpu_runstate_info, state_entry_time, 8);
OFF(struct vcpu_runstate_info, time, 16);
SIZE(struct vcpu_register_vcpu_info, 16);
OFF(struct vcpu_register_vcpu_info, offset, 8);
OFF(struct vcpu_register_vcpu_info, rsvd, 12);
SIZE(struct vcpu_set_singleshot_timer, 16);
OFF(struct vcpu_set_singleshot_timer, flags, 8);
SIZE(struct vcpu_set_periodic_timer, 8);
SIZE(struct vcpu_register_runstate_memory_area, 8);

SIZE(struct cpu_user_regs, 200);
OFF(struct cpu_user_regs, r15, 0);
OFF(struct cpu_user_regs, r14, 8);
OFF(struct cpu_user_regs, r13, 16);
OFF(struct cpu_user_regs, r12, 24);
OFF(struct cpu_user_regs, rbp, 32);
OFF(struct cpu_user_regs, rbx, 40);
OFF(struct cpu_user_regs, r11, 48);
OFF(struct cpu_user_regs, r10, 56);
OFF(struct cpu_user_regs, r9, 64);
OFF(struct cpu_user_regs, r8, 72);
OFF(struct cpu_user_regs, rax, 80);
OFF(struct cpu_user_regs, rcx, 88);
OFF(struct cpu_user_regs, rdx, 96);
OFF(struct cpu_user_regs, rsi, 104);
OFF(struct cpu_user_regs, rdi, 112);
OFF(struct cpu_user_regs, error_code, 120);
OFF(struct cpu_user_regs, entry_vector, 124);
OFF(struct cpu_user_regs, rip, 128);
OFF(struct cpu_user_regs, cs, 136);
OFF(struct cpu_user_regs, saved_upcall_mask, 140);
OFF(struct cpu_user_regs, rflags, 144);
OFF(struct cpu_user_regs, rsp, 152);
OFF(struct cpu_user_regs, ss, 160);
OFF(struct cpu_user_regs, es, 168);
OFF(struct cpu_user_regs, ds, 176);
OFF(struct cpu_user_regs, fs, 184);
OFF(struct cpu_user_regs, gs, 192);

SIZE(struct vcpu_guest_context, 5168);
OFF(struct vcpu_guest_context, fpu_ctxt, 0);
OFF(struct vcpu_guest_context, flags, 512);
OFF(struct vcpu_guest_context, user_regs, 520);
OFF(struct vcpu_guest_context, trap_ctxt, 720);
OFF(struct vcpu_guest_context, ldt_base, 4816);
OFF(struct vcpu_guest_context, ldt_ents, 4824);
OFF(struct vcpu_guest_context, gdt_frames, 4832);
OFF(struct vcpu_guest_context, gdt_ents, 4960);
OFF(struct vcpu_guest_context, kernel_ss, 4968);
OFF(struct vcpu_guest_context, kernel_sp, 4976);
OFF(struct vcpu_guest_context, ctrlreg, 4984);
OFF(struct vcpu_guest_context, debugreg, 5048);
OFF(struct vcpu_guest_context, event_callback_eip, 5112);
OFF(struct vcpu_guest_context, failsafe_callback_eip, 5120);
OFF(struct vcpu_guest_context, syscall_callback_eip, 5128);
OFF(struct vcpu_guest_context, vm_assist, 5136);
OFF(struct vcpu_guest_context, fs_base, 5144);
OFF(struct vcpu_guest_context, gs_base_kernel, 5152);
OFF(struct vcpu_guest_context, gs_base_user, 5160);
_Static_assert(VGCF_i387_valid == 1 && VGCF_in_kernel == 4 && VGCF_failsafe_disables_events == 8 &&
	       VGCF_syscall_disables_events == 16 && VGCF_online == 32 && VGCF_in_syscall == 256,
	       "VGCF_* values");

/* §5 layout constants */
_Static_assert(HYPERVISOR_VIRT_START == 0xffff800000000000ULL, "hole start");
_Static_assert(HYPERVISOR_VIRT_END == 0xffff880000000000ULL, "hole end");
_Static_assert(MACH2PHYS_VIRT_END - MACH2PHYS_VIRT_START == (256ULL << 30), "M2P is 256 GiB");
_Static_assert(FIRST_RESERVED_GDT_ENTRY == 7168 && FIRST_RESERVED_GDT_BYTE == 0xe000, "GDT split");
_Static_assert(FLAT_KERNEL_CS == 0xe033 && FLAT_KERNEL_SS == 0xe02b && FLAT_RING3_CS32 == 0xe023 &&
	       FLAT_KERNEL_DS == 0, "flat selectors");

/* §9, §10, §12 argument structures */
SIZE(struct evtchn_alloc_unbound, 8);
OFF(struct evtchn_alloc_unbound, remote_dom, 2);
OFF(struct evtchn_alloc_unbound, port, 4);
SIZE(struct evtchn_bind_interdomain, 12);
OFF(struct evtchn_bind_interdomain, remote_port, 4);
OFF(struct evtchn_bind_interdomain, local_port, 8);
SIZE(struct evtchn_bind_virq, 12);
OFF(struct evtchn_bind_virq, port, 8);
SIZE(struct evtchn_bind_pirq, 12);
SIZE(struct evtchn_bind_ipi, 8);
SIZE(struct evtchn_close, 4);
SIZE(struct evtchn_send, 4);
SIZE(struct evtchn_status, 24);
OFF(struct evtchn_status, port, 4);
OFF(struct evtchn_status, status, 8);
OFF(struct evtchn_status, vcpu, 12);
OFF(struct evtchn_status, u, 16);
OFF(struct evtchn_status, u.interdomain.port, 20);
SIZE(struct evtchn_bind_vcpu, 8);
SIZE(struct evtchn_unmask, 4);
SIZE(struct evtchn_init_control, 24);
OFF(struct evtchn_init_control, link_bits, 16);

SIZE(struct grant_entry_v1, 8);
OFF(struct grant_entry_v1, domid, 2);
OFF(struct grant_entry_v1, frame, 4);
SIZE(struct gnttab_map_grant_ref, 32);
OFF(struct gnttab_map_grant_ref, flags, 8);
OFF(struct gnttab_map_grant_ref, ref, 12);
OFF(struct gnttab_map_grant_ref, dom, 16);
OFF(struct gnttab_map_grant_ref, status, 18);
OFF(struct gnttab_map_grant_ref, handle, 20);
OFF(struct gnttab_map_grant_ref, dev_bus_addr, 24);
SIZE(struct gnttab_unmap_grant_ref, 24);
OFF(struct gnttab_unmap_grant_ref, dev_bus_addr, 8);
OFF(struct gnttab_unmap_grant_ref, handle, 16);
OFF(struct gnttab_unmap_grant_ref, status, 20);
SIZE(struct gnttab_setup_table, 24);
OFF(struct gnttab_setup_table, nr_frames, 4);
OFF(struct gnttab_setup_table, status, 8);
OFF(struct gnttab_setup_table, frame_list, 16);
SIZE(struct gnttab_copy, 40);
OFF(struct gnttab_copy, source.domid, 8);
OFF(struct gnttab_copy, source.offset, 10);
OFF(struct gnttab_copy, dest, 16);
OFF(struct gnttab_copy, len, 32);
OFF(struct gnttab_copy, flags, 34);
OFF(struct gnttab_copy, status, 36);
SIZE(struct gnttab_query_size, 16);
OFF(struct gnttab_query_size, nr_frames, 4);
OFF(struct gnttab_query_size, max_nr_frames, 8);
OFF(struct gnttab_query_size, status, 12);
SIZE(struct gnttab_transfer, 24);
SIZE(struct gnttab_set_version, 4);

SIZE(struct xen_memory_reservation, 32);
OFF(struct xen_memory_reservation, nr_extents, 8);
OFF(struct xen_memory_reservation, extent_order, 16);
OFF(struct xen_memory_reservation, mem_flags, 20);
OFF(struct xen_memory_reservation, domid, 24);
SIZE(struct xen_memory_exchange, 72);
SIZE(struct xen_machphys_mapping, 24);
SIZE(struct xen_memory_map, 16);
OFF(struct xen_memory_map, buffer, 8);
SIZE(struct xen_e820_entry, 20);
SIZE(struct xen_add_to_physmap, 24);
SIZE(struct xen_machphys_mfn_list, 24);

SIZE(struct xen_feature_info, 8);
SIZE(struct xen_platform_parameters, 8);
SIZE(struct xen_compile_info, 144);
SIZE(xen_extraversion_t, 16);
SIZE(xen_capabilities_info_t, 1024);
SIZE(xen_changeset_info_t, 64);
SIZE(xen_domain_handle_t, 16);

SIZE(struct sched_shutdown, 4);
SIZE(struct sched_poll, 24);
OFF(struct sched_poll, nr_ports, 8);
OFF(struct sched_poll, timeout, 16);
SIZE(struct sched_remote_shutdown, 8);

SIZE(struct physdev_set_iopl, 4);
SIZE(struct physdev_set_iobitmap, 16);
SIZE(struct physdev_map_pirq, 40);
OFF(struct physdev_map_pirq, table_base, 32);
SIZE(struct xen_platform_op, 136);

/* split-drivers.md: rings, blkif, netif, console */
SIZE(struct xencons_interface, 3092);
OFF(struct xencons_interface, out, 1024);
OFF(struct xencons_interface, in_cons, 3072);
OFF(struct xencons_interface, in_prod, 3076);
OFF(struct xencons_interface, out_cons, 3080);
OFF(struct xencons_interface, out_prod, 3084);
OFF(struct xencons_interface, connection, 3088);

OFF(struct blkif_sring, req_event, 4);
OFF(struct blkif_sring, rsp_prod, 8);
OFF(struct blkif_sring, rsp_event, 12);
OFF(struct blkif_sring, pvt, 16);
OFF(struct blkif_sring, ring, 64);
SIZE(struct blkif_request, 112);
OFF(struct blkif_request, nr_segments, 1);
OFF(struct blkif_request, handle, 2);
OFF(struct blkif_request, id, 8);
OFF(struct blkif_request, sector_number, 16);
OFF(struct blkif_request, seg, 24);
SIZE(struct blkif_request_segment, 8);
OFF(struct blkif_request_segment, first_sect, 4);
OFF(struct blkif_request_segment, last_sect, 5);
SIZE(struct blkif_response, 16);
OFF(struct blkif_response, operation, 8);
OFF(struct blkif_response, status, 10);
SIZE(struct blkif_request_discard, 32);
OFF(struct blkif_request_discard, nr_sectors, 24);
SIZE(struct blkif_request_indirect, 64);
OFF(struct blkif_request_indirect, handle, 24);
OFF(struct blkif_request_indirect, indirect_grefs, 28);
_Static_assert(__CONST_RING_SIZE(blkif, 4096) == 32, "blkif ring has 32 slots");

SIZE(struct netif_tx_request, 12);
OFF(struct netif_tx_request, offset, 4);
OFF(struct netif_tx_request, flags, 6);
OFF(struct netif_tx_request, id, 8);
OFF(struct netif_tx_request, size, 10);
SIZE(struct netif_tx_response, 4);
SIZE(struct netif_rx_request, 8);
OFF(struct netif_rx_request, gref, 4);
SIZE(struct netif_rx_response, 8);
OFF(struct netif_rx_response, offset, 2);
OFF(struct netif_rx_response, flags, 4);
OFF(struct netif_rx_response, status, 6);
SIZE(struct netif_extra_info, 8);
OFF(struct netif_extra_info, u.gso.size, 2);
OFF(struct netif_extra_info, u.gso.type, 4);
OFF(struct netif_extra_info, u.gso.features, 6);
_Static_assert(__CONST_RING_SIZE(netif_tx, 4096) == 256, "netif tx ring has 256 slots");
_Static_assert(__CONST_RING_SIZE(netif_rx, 4096) == 256, "netif rx ring has 256 slots");

/* Numbers a test or a reader might mistype. */
_Static_assert(XEN_EFAULT == 14 && XEN_EINVAL == 22 && XEN_ENOSYS == 38 && XEN_EPERM == 1 &&
	       XEN_ENOENT == 2 && XEN_ESRCH == 3 && XEN_EBUSY == 16 && XEN_EEXIST == 17 &&
	       XEN_ENOSPC == 28 && XEN_ENODATA == 61 && XEN_EOPNOTSUPP == 95, "errno values");
_Static_assert(__HYPERVISOR_xen_version == 17 && __HYPERVISOR_iret == 23 && __HYPERVISOR_sched_op == 29 &&
	       __HYPERVISOR_callback_op == 30 && __HYPERVISOR_event_channel_op == 32 &&
	       __HYPERVISOR_mca == 48, "hypercall numbers");
_Static_assert(XENFEAT_dom0 == 11 && XENFEAT_gnttab_map_avail_bits == 7 &&
	       XENFEAT_mmu_pt_update_preserve_ad == 5, "feature bits");
_Static_assert(XEN_ELFNOTE_SUPPORTED_FEATURES == 17 && XEN_ELFNOTE_INIT_P2M == 15, "ELF note types");
