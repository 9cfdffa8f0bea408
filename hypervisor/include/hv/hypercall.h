/*
 * Hypercall handlers. Each takes its arguments with their real types; the
 * dispatcher (arch/x86/pv/hypercall.c) converts the guest's registers.
 * Pointer arguments stay uint64_t guest addresses: only guest_access.h
 * may turn them into memory accesses.
 */
#ifndef HV_HYPERCALL_H
#define HV_HYPERCALL_H

#include <hv/types.h>

struct cpu_regs;

void pv_hypercall(struct cpu_regs *regs);
/* Run hypercall `nr` with its five arguments (also for multicall entries). */
long hypercall_dispatch(uint64_t nr, const uint64_t args[5]);
/*
 * Stop a long hypercall here and have the guest re-issue it with these
 * arguments (its `syscall` runs again): returns the value to return.
 */
long hypercall_continuation(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			    uint64_t a5);
struct vcpu;
/*
 * Other guest events in the same trace: exceptions (+ vector), irets,
 * user syscalls, failsafe callbacks.
 */
#define TRACE_EXCEPTION 0x1000
#define TRACE_IRET 0x2000
#define TRACE_USER_SYSCALL 0x2001
#define TRACE_FAILSAFE 0x2002
void trace_guest_event(struct vcpu *v, uint64_t what, uint64_t a0, uint64_t a1, uint64_t a2,
		       uint64_t a3);
/* Print v's last hypercalls (number, arguments, result). */
void hypercall_trace_dump(const struct vcpu *v);

long do_set_trap_table(uint64_t traps);
long do_mmu_update(uint64_t reqs, unsigned int count, uint64_t done, unsigned int foreigndom);
long do_stack_switch(uint64_t ss, uint64_t sp);
long do_set_gdt(uint64_t frame_list, unsigned int entries);
long do_domctl(uint64_t arg);
long do_sysctl(uint64_t arg);
long do_update_descriptor(uint64_t maddr, uint64_t desc);
long do_mmuext_op(uint64_t ops, unsigned int count, uint64_t done, unsigned int foreigndom);
long do_set_callbacks(uint64_t event, uint64_t failsafe, uint64_t syscall);
long do_fpu_taskswitch(int set);
long do_memory_op(uint64_t cmd, uint64_t arg);
/* memory_op's changes to a domain's memory (common/reservation.c). */
long memory_reservation_op(unsigned int op, uint64_t start, uint64_t arg);
long memory_exchange(uint64_t arg);
long do_update_va_mapping(uint64_t va, uint64_t val, uint64_t flags);
long do_xen_version(unsigned int cmd, uint64_t arg);
long do_console_io(unsigned int cmd, unsigned int count, uint64_t buf);
long do_vm_assist(unsigned int cmd, unsigned int type);
long do_set_segment_base(unsigned int which, uint64_t base);
long do_sched_op(unsigned int cmd, uint64_t arg);
long do_callback_op(unsigned int cmd, uint64_t arg);
long do_multicall(uint64_t list, unsigned int nr);
long do_physdev_op(unsigned int cmd, uint64_t arg);
long do_event_channel_op(unsigned int cmd, uint64_t arg);
long do_vcpu_op(int cmd, unsigned int vcpuid, uint64_t arg);
long do_set_timer_op(uint64_t timeout);
long do_grant_table_op(unsigned int cmd, uint64_t arg, unsigned int count);
long do_set_debugreg(unsigned int reg, uint64_t value);
long do_get_debugreg(unsigned int reg);

#endif
