/*
 * Hypercall wrappers. The normal path calls the stub for hypercall `nr`
 * in the hypercall page the builder filled (stubs save rcx/r11 around
 * `syscall`). The direct path executes `syscall` inline, as Linux 6.1
 * does, clobbering rcx and r11. Arguments travel in rdi, rsi, rdx, r10,
 * r8; the result comes back in rax. Argument registers are treated as
 * clobbered: Xen debug builds poison them on return.
 */
#ifndef GUEST_HYPERCALL_H
#define GUEST_HYPERCALL_H

#include <stdint.h>
#include <public/xen.h>

extern char hypercall_page[4096];

/* Through the hypercall page; `nr` may be a run-time value. */
static inline long hypercall_page_call(unsigned long nr, unsigned long a1, unsigned long a2,
				       unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	void *entry = hypercall_page + nr * HYPERCALL_STUB_SIZE;
	long ret;

	__asm__ __volatile__("call *%[entry]"
			     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			     : [entry] "r"(entry)
			     : "rcx", "r11", "r9", "memory");
	return ret;
}

/* Inline `syscall`, no hypercall page needed. */
static inline long hypercall_direct(unsigned long nr, unsigned long a1, unsigned long a2,
				    unsigned long a3, unsigned long a4, unsigned long a5)
{
	register unsigned long r10 __asm__("r10") = a4;
	register unsigned long r8 __asm__("r8") = a5;
	long ret;

	__asm__ __volatile__("syscall"
			     : "=a"(ret), "+D"(a1), "+S"(a2), "+d"(a3), "+r"(r10), "+r"(r8)
			     : "0"(nr)
			     : "rcx", "r11", "r9", "memory");
	return ret;
}

#define HCALL(nr, a1, a2, a3, a4, a5) \
	hypercall_page_call((nr), (unsigned long)(a1), (unsigned long)(a2), \
			    (unsigned long)(a3), (unsigned long)(a4), (unsigned long)(a5))

static inline long HYPERVISOR_set_trap_table(const struct trap_info *t)
{ return HCALL(__HYPERVISOR_set_trap_table, t, 0, 0, 0, 0); }
static inline long HYPERVISOR_mmu_update(const struct mmu_update *req, unsigned int count,
					 unsigned int *done, unsigned int dom)
{ return HCALL(__HYPERVISOR_mmu_update, req, count, done, dom, 0); }
static inline long HYPERVISOR_set_gdt(const unsigned long *frames, unsigned int entries)
{ return HCALL(__HYPERVISOR_set_gdt, frames, entries, 0, 0, 0); }
static inline long HYPERVISOR_update_descriptor(uint64_t maddr, uint64_t desc)
{ return HCALL(__HYPERVISOR_update_descriptor, maddr, desc, 0, 0, 0); }
static inline long HYPERVISOR_stack_switch(unsigned long ss, unsigned long sp)
{ return HCALL(__HYPERVISOR_stack_switch, ss, sp, 0, 0, 0); }
static inline long HYPERVISOR_set_callbacks(unsigned long event, unsigned long failsafe,
					    unsigned long syscall)
{ return HCALL(__HYPERVISOR_set_callbacks, event, failsafe, syscall, 0, 0); }
static inline long HYPERVISOR_fpu_taskswitch(int set)
{ return HCALL(__HYPERVISOR_fpu_taskswitch, set, 0, 0, 0, 0); }
static inline long HYPERVISOR_memory_op(unsigned int cmd, void *arg)
{ return HCALL(__HYPERVISOR_memory_op, cmd, arg, 0, 0, 0); }
static inline long HYPERVISOR_multicall(struct multicall_entry *calls, unsigned int nr)
{ return HCALL(__HYPERVISOR_multicall, calls, nr, 0, 0, 0); }
static inline long HYPERVISOR_update_va_mapping(unsigned long va, uint64_t pte, unsigned long flags)
{ return HCALL(__HYPERVISOR_update_va_mapping, va, pte, flags, 0, 0); }
static inline long HYPERVISOR_set_timer_op(uint64_t timeout_abs_ns)
{ return HCALL(__HYPERVISOR_set_timer_op, timeout_abs_ns, 0, 0, 0, 0); }
static inline long HYPERVISOR_xen_version(int cmd, void *arg)
{ return HCALL(__HYPERVISOR_xen_version, cmd, arg, 0, 0, 0); }
static inline long HYPERVISOR_console_io(int cmd, unsigned int count, const void *buf)
{ return HCALL(__HYPERVISOR_console_io, cmd, count, buf, 0, 0); }
static inline long HYPERVISOR_vm_assist(unsigned int cmd, unsigned int type)
{ return HCALL(__HYPERVISOR_vm_assist, cmd, type, 0, 0, 0); }
static inline long HYPERVISOR_vcpu_op(int cmd, unsigned int vcpu, void *arg)
{ return HCALL(__HYPERVISOR_vcpu_op, cmd, vcpu, arg, 0, 0); }
static inline long HYPERVISOR_set_segment_base(unsigned int which, unsigned long base)
{ return HCALL(__HYPERVISOR_set_segment_base, which, base, 0, 0, 0); }
static inline long HYPERVISOR_mmuext_op(struct mmuext_op *op, unsigned int count,
					unsigned int *done, unsigned int dom)
{ return HCALL(__HYPERVISOR_mmuext_op, op, count, done, dom, 0); }
static inline long HYPERVISOR_sched_op(int cmd, void *arg)
{ return HCALL(__HYPERVISOR_sched_op, cmd, arg, 0, 0, 0); }
static inline long HYPERVISOR_callback_op(int cmd, const void *arg)
{ return HCALL(__HYPERVISOR_callback_op, cmd, arg, 0, 0, 0); }
static inline long HYPERVISOR_event_channel_op(int cmd, void *arg)
{ return HCALL(__HYPERVISOR_event_channel_op, cmd, arg, 0, 0, 0); }
static inline long HYPERVISOR_physdev_op(int cmd, void *arg)
{ return HCALL(__HYPERVISOR_physdev_op, cmd, arg, 0, 0, 0); }
static inline long HYPERVISOR_grant_table_op(unsigned int cmd, void *args, unsigned int count)
{ return HCALL(__HYPERVISOR_grant_table_op, cmd, args, count, 0, 0); }
static inline long HYPERVISOR_set_debugreg(unsigned int reg, unsigned long value)
{ return HCALL(__HYPERVISOR_set_debugreg, reg, value, 0, 0, 0); }
static inline long HYPERVISOR_get_debugreg(unsigned int reg)
{ return HCALL(__HYPERVISOR_get_debugreg, reg, 0, 0, 0, 0); }

/* hv's control interface (public/hvctl.h): dom0 only, version-checked. */
struct hv_domctl;
struct hv_sysctl;
static inline long HYPERVISOR_domctl(struct hv_domctl *op)
{ return HCALL(__HYPERVISOR_domctl, op, 0, 0, 0, 0); }
static inline long HYPERVISOR_sysctl(struct hv_sysctl *op)
{ return HCALL(__HYPERVISOR_sysctl, op, 0, 0, 0, 0); }

#endif /* GUEST_HYPERCALL_H */
