/* Event channels (common/event_channel.c) and their delivery. */
#ifndef HV_EVENT_H
#define HV_EVENT_H

#include <hv/types.h>

struct domain;
struct vcpu;

int evtchn_domain_init(struct domain *d, unsigned int max_ports);
/* Close every port of a dying domain (peers go back to waiting). */
void evtchn_domain_release(struct domain *d);
/* Ports of d not free (HV_SYSCTL_physinfo, for leak checks). */
unsigned int evtchn_open_count(const struct domain *d);
/* An unbound port of d that `remote` may bind (HV_DOMCTL_evtchn_alloc). */
long evtchn_alloc_unbound_for(struct domain *d, domid_t remote, uint32_t *port);
/* Raise the port a vCPU bound to `virq` (nothing if unbound). */
void send_virq(struct vcpu *v, unsigned int virq);
void send_global_virq(struct domain *d, unsigned int virq);
/* Wake a vCPU that has an upcall to take (common/vcpu.c). */
void vcpu_kick(struct vcpu *v);
/* Sleep until the vCPU has an upcall to take (SCHEDOP_block). */
void vcpu_block(struct vcpu *v);
/* vCPU time and runstate (common/vcpu.c). */
void vcpu_init_time(struct vcpu *v);
void vcpu_start_periodic(struct vcpu *v);
/*
 * The periodic timer ticks only while its vCPU runs (Xen's semantics: a
 * blocked vCPU is not woken by it). A tick that falls due while the vCPU
 * is off the CPU waits: switching the vCPU in raises it and arms the next.
 */
void vcpu_periodic_switch_in(struct vcpu *v);
void vcpu_runstate_change(struct vcpu *v, int state);
/* Make an initialised vCPU run (VCPUOP_up, HV_DOMCTL_vcpu_up). */
long vcpu_bring_up(struct vcpu *v);
void vcpu_take_down(struct vcpu *v);

#endif
