/*
 * The scheduler (common/schedule.c): a credit scheduler in the manner of
 * Xen's credit1, for one pCPU. Every period each domain's vCPUs get credit
 * in proportion to the domain's weight; runnable vCPUs with credit left
 * run before those without, round robin within each class, in slices of
 * 10 ms; a cap parks a domain's vCPUs once they used their share of the
 * period; a paused domain's vCPUs wait on the queue. With nothing runnable
 * the pCPU halts until an interrupt.
 *
 * hv keeps no per-vCPU hypervisor stack: switching away saves the guest
 * frame at the top of the guest entry stack and never returns, so any
 * hypercall that blocks writes its result into the frame first.
 */
#ifndef HV_SCHED_H
#define HV_SCHED_H

#include <hv/types.h>

struct vcpu;
struct domain;

void sched_init(void);
/* Make a vCPU runnable (new, or woken). */
void sched_add(struct vcpu *v);
/* Take a vCPU off the CPU for good (its domain stopped). */
void sched_remove(struct vcpu *v);
/* Run the best runnable vCPU (or idle); never returns. */
void __noreturn schedule(void);
/* At a safe point on the way back to a guest: switch if asked to. */
void sched_maybe_preempt(void);
/* Something changed who may run (a domain unpaused): reschedule soon. */
void sched_poke(void);
/* Has the current vCPU used its slice while others wait (long hypercalls)? */
bool hypercall_preempt_check(void);
/* Start the first vCPU. */
void __noreturn sched_start(void);
/* Print each domain's CPU time (at power-off, for tests and users). */
void sched_report(void);
/* v is on the CPU now: current, not blocked, hv not idling for it. */
bool sched_vcpu_running(const struct vcpu *v);

/*
 * Context switch of the vCPU state (arch/x86/pv/context.c), called with
 * `current` already next. It may change next->regs (the failsafe
 * callback), or crash next's domain and schedule again.
 */
void arch_switch_to(struct vcpu *prev, struct vcpu *next);
/* Drop what a dying vCPU's arch state holds (page tables, descriptor tables). */
void arch_vcpu_release(struct vcpu *v);
struct vcpu_guest_context;
/* Set a (not running) vCPU's whole state; 0 or -errno, nothing changed on error. */
long arch_set_vcpu_context(struct vcpu *v, const struct vcpu_guest_context *c);

#endif
