/* Sizing domain 0 from dom0_mem= and dom0_max_vcpus=. */
#ifndef HV_DOM0_H
#define HV_DOM0_H

#include <hv/types.h>

/* dom0's initial memory in bytes, given what the host has free. */
uint64_t dom0_mem_size(uint64_t host_free);
/* dom0's maximum memory (balloon limit) in bytes. */
uint64_t dom0_mem_max(uint64_t host_free);
/* Was max: given? Without it dom0 may grow, as on Xen (max_pages 2^32 - 1). */
bool dom0_mem_has_max(void);
unsigned int dom0_vcpus(unsigned int host_cpus);
/* Print what the options resolve to on this host. */
void dom0_report_sizing(uint64_t host_free, unsigned int host_cpus);

struct boot_info;
struct domain;
/* Build dom0 from boot modules 0 (kernel) and 1 (initrd); NULL after a message. */
struct domain *dom0_build(const struct boot_info *bi);
/* Build the domUs named by domu= options (boot modules). */
void domus_build(const struct boot_info *bi);
/* Make every boot domain runnable and start scheduling. */
void __noreturn domains_start(void);

#endif
