/* System time (ns since boot) and what guests see of it (arch/x86/time.c). */
#ifndef HV_TIME_H
#define HV_TIME_H

#include <hv/types.h>
#include <public/xen.h>

void time_init(void);
uint64_t system_time_ns(void);
uint64_t scale_tsc(uint64_t delta);
uint64_t tsc_khz(void);
/* Publish the current time to a vCPU / the wall clock (version protocol). */
void time_fill_vcpu(struct vcpu_time_info *t);
void time_fill_wallclock(struct shared_info *s);

#endif
