/*
 * Hypercall dispatch for 64-bit PV guests (pv-abi.md §1): `syscall` from
 * guest kernel mode with the number in rax and arguments in rdi, rsi, rdx,
 * r10, r8; the result goes back in rax. Unknown numbers get -ENOSYS.
 *
 * The table holds one small adapter per hypercall that narrows the
 * register values to the handler's real parameter types, so handlers are
 * ordinary typed functions and the table has a single function type.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/errno.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <public/xen.h>
#include <asm/traps.h>

typedef long (*hypercall_fn)(const uint64_t a[5]);

#define A1 (a[0])
#define A2 (a[1])
#define A3 (a[2])
#define A4 (a[3])
#define A5 (a[4])

#define ADAPT(name, call) \
	static long hc_##name(const uint64_t a[5]) { return call; }

ADAPT(set_trap_table, do_set_trap_table(A1))
ADAPT(mmu_update, do_mmu_update(A1, (unsigned int)A2, A3, (unsigned int)A4))
ADAPT(set_gdt, do_set_gdt(A1, (unsigned int)A2))
ADAPT(update_descriptor, do_update_descriptor(A1, A2))
ADAPT(mmuext_op, do_mmuext_op(A1, (unsigned int)A2, A3, (unsigned int)A4))
ADAPT(stack_switch, do_stack_switch(A1, A2))
ADAPT(set_callbacks, do_set_callbacks(A1, A2, A3))
ADAPT(fpu_taskswitch, do_fpu_taskswitch((int)A1))
ADAPT(memory_op, do_memory_op(A1, A2))
ADAPT(update_va_mapping, do_update_va_mapping(A1, A2, A3))
ADAPT(xen_version, do_xen_version((unsigned int)A1, A2))
ADAPT(console_io, do_console_io((unsigned int)A1, (unsigned int)A2, A3))
ADAPT(vm_assist, do_vm_assist((unsigned int)A1, (unsigned int)A2))
ADAPT(set_segment_base, do_set_segment_base((unsigned int)A1, A2))
ADAPT(sched_op, do_sched_op((unsigned int)A1, A2))
ADAPT(callback_op, do_callback_op((unsigned int)A1, A2))
ADAPT(multicall, do_multicall(A1, (unsigned int)A2))
ADAPT(physdev_op, do_physdev_op((unsigned int)A1, A2))
ADAPT(event_channel_op, do_event_channel_op((unsigned int)A1, A2))
ADAPT(vcpu_op, do_vcpu_op((int)A1, (unsigned int)A2, A3))
ADAPT(set_timer_op, do_set_timer_op(A1))
ADAPT(grant_table_op, do_grant_table_op((unsigned int)A1, A2, (unsigned int)A3))
ADAPT(set_debugreg, do_set_debugreg((unsigned int)A1, A2))
ADAPT(get_debugreg, do_get_debugreg((unsigned int)A1))
ADAPT(sysctl, do_sysctl(A1))
ADAPT(domctl, do_domctl(A1))

#define ENTRY(name) [__HYPERVISOR_##name] = hc_##name

static const hypercall_fn hypercall_table[64] = {
	ENTRY(set_trap_table),
	ENTRY(mmu_update),
	ENTRY(set_gdt),
	ENTRY(update_descriptor),
	ENTRY(mmuext_op),
	ENTRY(stack_switch),
	ENTRY(set_callbacks),
	ENTRY(fpu_taskswitch),
	ENTRY(memory_op),
	ENTRY(update_va_mapping),
	ENTRY(xen_version),
	ENTRY(console_io),
	ENTRY(vm_assist),
	ENTRY(set_segment_base),
	ENTRY(sched_op),
	ENTRY(callback_op),
	ENTRY(multicall),
	ENTRY(physdev_op),
	ENTRY(event_channel_op),
	ENTRY(vcpu_op),
	ENTRY(set_timer_op),
	ENTRY(grant_table_op),
	ENTRY(set_debugreg),
	ENTRY(get_debugreg),
	ENTRY(sysctl),
	ENTRY(domctl),
};

long hypercall_dispatch(uint64_t nr, const uint64_t args[5])
{
	struct vcpu *v = current;
	struct hypercall_record *r = &v->trace[v->trace_next++ % HYPERCALL_TRACE];

	r->nr = nr;
	memcpy(r->args, args, sizeof(r->args));
	r->rc = -ENOSYS;
	if (nr < ARRAY_SIZE(hypercall_table) && hypercall_table[nr])
		r->rc = hypercall_table[nr](args);
	return r->rc;
}

void trace_guest_event(struct vcpu *v, uint64_t what, uint64_t a0, uint64_t a1, uint64_t a2,
		       uint64_t a3)
{
	struct hypercall_record *r = &v->trace[v->trace_next++ % HYPERCALL_TRACE];

	r->nr = what;
	r->args[0] = a0;
	r->args[1] = a1;
	r->args[2] = a2;
	r->args[3] = a3;
	r->args[4] = 0;
	r->rc = 0;
}

void hypercall_trace_dump(const struct vcpu *v)
{
	unsigned int n = MIN(v->trace_next, HYPERCALL_TRACE);

	pr_err("last %u hypercalls and guest events of d%uv%u, oldest first:\n", n, v->domain->id,
	       v->id);
	for (unsigned int i = v->trace_next - n; i != v->trace_next; i++) {
		const struct hypercall_record *r = &v->trace[i % HYPERCALL_TRACE];
		const uint64_t *a = r->args;

		if (r->nr < TRACE_EXCEPTION)
			pr_err("  #%-2lu (%lx, %lx, %lx, %lx, %lx) = %ld\n", r->nr, a[0], a[1], a[2],
			       a[3], a[4], r->rc);
		else if (r->nr < TRACE_IRET)
			pr_err("  exception %lu at %lx, error %lx, cr2 %lx, %s mode\n",
			       r->nr - TRACE_EXCEPTION, a[0], a[1], a[2], a[3] ? "kernel" : "user");
		else if (r->nr == TRACE_IRET)
			pr_err("  iret to %04lx:%lx rsp %lx\n", a[1], a[0], a[2]);
		else if (r->nr == TRACE_USER_SYSCALL)
			pr_err("  user syscall %lx at %lx\n", a[0], a[1]);
		else
			pr_err("  failsafe callback at %lx: ds %lx es %lx fs %lx gs %lx, %s mode\n",
			       a[0], a[1] & 0xffff, a[1] >> 16, a[2] & 0xffff, a[2] >> 16,
			       a[3] ? "kernel" : "user");
	}
}

long hypercall_continuation(unsigned int nr, uint64_t a1, uint64_t a2, uint64_t a3, uint64_t a4,
			    uint64_t a5)
{
	struct cpu_regs *regs = guest_regs();

	/* Inside a multicall the entry continues: do_multicall writes these back. */
	if (current->in_multicall) {
		const uint64_t args[5] = { a1, a2, a3, a4, a5 };

		memcpy(current->mc_args, args, sizeof(args));
		current->mc_continued = true;
		return 0;
	}

	/* Back to the `syscall` (2 bytes), which runs again with rax = nr. */
	regs->rip -= 2;
	regs->rdi = a1;
	regs->rsi = a2;
	regs->rdx = a3;
	regs->r10 = a4;
	regs->r8 = a5;
	return nr;
}

void pv_hypercall(struct cpu_regs *regs)
{
	const uint64_t args[5] = { regs->rdi, regs->rsi, regs->rdx, regs->r10, regs->r8 };

	current->in_multicall = false;	/* a multicall entry that blocked never returned */

	regs->rax = (uint64_t)hypercall_dispatch(regs->rax, args);
}
