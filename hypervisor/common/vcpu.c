/*
 * vCPU operations (vcpu_op #24, set_timer_op #15): liveness, runstate
 * accounting, the per-vCPU one-shot and periodic timers that raise
 * VIRQ_TIMER, and moving vcpu_info into guest memory.
 */
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/layout.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/page_types.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <public/vcpu.h>
#include <asm/traps.h>

#define MILLISECS(ms) ((uint64_t)(ms) * 1000000UL)
#define DEFAULT_PERIOD MILLISECS(10)	/* every new PV vCPU ticks at 100 Hz */
/* Xen's largest time delta (STIME_DELTA_MAX): no longer period is accepted. */
#define MAX_PERIOD ((1UL << 62) - 1)
/* set_timer_op deadlines this far ahead are taken for wrapped ones, as on Xen. */
#define HUGE_TIMEOUT (1UL << 50)

static void singleshot_fired(void *data)
{
	send_virq(data, VIRQ_TIMER);
}

/* Raise the tick if one period has gone by since the last; arm the next. */
static void periodic_work(struct vcpu *v)
{
	uint64_t now = system_time_ns(), next;

	if (!v->periodic_period_ns)
		return;
	next = v->periodic_last_ns + v->periodic_period_ns;
	if (now >= next) {
		send_virq(v, VIRQ_TIMER);
		v->periodic_last_ns = now;
		next = now + v->periodic_period_ns;
	}
	timer_set(&v->periodic_timer, next);
}

/*
 * Xen stops the timer when the vCPU is switched out and restarts it when
 * switched in; leaving it armed and parking a tick that finds the vCPU
 * off the CPU is the same to the guest, and a switch then costs nothing.
 */
static void periodic_fired(void *data)
{
	struct vcpu *v = data;

	if (sched_vcpu_running(v))
		periodic_work(v);
	else
		v->periodic_missed = true;
}

void vcpu_periodic_switch_in(struct vcpu *v)
{
	if (!v->periodic_missed)
		return;
	v->periodic_missed = false;
	periodic_work(v);
}

void vcpu_init_time(struct vcpu *v)
{
	timer_init(&v->singleshot_timer, singleshot_fired, v);
	timer_init(&v->periodic_timer, periodic_fired, v);
	v->runstate.state = RUNSTATE_offline;
	v->runstate.state_entry_time = system_time_ns();
}

/* Every new PV vCPU ticks; the first tick comes once it is switched in. */
void vcpu_start_periodic(struct vcpu *v)
{
	v->periodic_period_ns = DEFAULT_PERIOD;
	v->periodic_last_ns = system_time_ns();
	v->periodic_missed = false;
	timer_set(&v->periodic_timer, v->periodic_last_ns + DEFAULT_PERIOD);
}

/* Account the time in the old state, enter the new one, tell the guest. */
void vcpu_runstate_change(struct vcpu *v, int state)
{
	uint64_t now = system_time_ns();

	v->runstate.time[v->runstate.state] += now - v->runstate.state_entry_time;
	v->runstate.state = state;
	v->runstate.state_entry_time = now;
	if (v->runstate_guest && v == current)
		(void)copy_to_guest(v->runstate_guest, &v->runstate, sizeof(v->runstate));
}

/* An upcall is due: a blocked vCPU becomes runnable. */
void vcpu_kick(struct vcpu *v)
{
	/* An offline vCPU (never up, or down) waits for VCPUOP_up, not for events. */
	if (v->blocked && v->domain->state == DOMAIN_RUNNING && !v->down &&
	    v->runstate.state != RUNSTATE_offline)
		sched_add(v);
}

/*
 * SCHEDOP_block: unmask events; with nothing pending, stop running until
 * an upcall is due. schedule() does not return, so the hypercall's result
 * (0) goes into the guest frame now.
 */
void vcpu_block(struct vcpu *v)
{
	v->vcpu_info->evtchn_upcall_mask = 0;
	if (__atomic_load_n(&v->vcpu_info->evtchn_upcall_pending, __ATOMIC_SEQ_CST))
		return;
	guest_regs()->rax = 0;
	v->blocked = true;
	schedule();
}

static long register_vcpu_info(struct vcpu *v, uint64_t arg)
{
	struct vcpu_register_vcpu_info r;
	struct vcpu_info *new;

	if (copy_from_guest(&r, arg, sizeof(r)))
		return -EFAULT;
	/* Xen: a misplaced area is -ENXIO, a second registration -EINVAL. */
	if (r.offset > PAGE_SIZE - sizeof(struct vcpu_info) || (r.offset & 63))
		return -ENXIO;
	if (v->vcpu_info_registered)
		return -EINVAL;
	/* hv writes the area from now on: the frame stays writable data for good. */
	if (frame_get_and_type(r.mfn, v->domain, FT_WRITABLE))
		return -EINVAL;
	new = (struct vcpu_info *)((char *)mfn_to_virt(r.mfn) + r.offset);
	memcpy(new, v->vcpu_info, sizeof(*new));
	v->vcpu_info = new;
	v->vcpu_info_registered = true;
	v->vcpu_info_mfn = r.mfn;
	/* Make the guest rescan: anything pending may be on either side. */
	new->evtchn_pending_sel = ~0UL;
	new->evtchn_upcall_pending = 1;
	time_fill_vcpu(&new->time);
	return 0;
}

/* VCPUOP_initialise: a guest sets up one of its own vCPUs (Linux's APs). */
static long vcpu_initialise(struct vcpu *v, uint64_t arg)
{
	struct vcpu_guest_context *c;
	long rc;

	if (v->initialised)
		return -EEXIST;
	c = xmalloc(sizeof(*c));
	if (!c)
		return -ENOMEM;
	rc = copy_from_guest(c, arg, sizeof(*c)) ? -EFAULT : arch_set_vcpu_context(v, c);
	xfree(c);
	if (!rc)
		v->initialised = true;
	return rc;
}

long vcpu_bring_up(struct vcpu *v)
{
	if (v->runstate.state != RUNSTATE_offline)
		return 0;
	vcpu_runstate_change(v, RUNSTATE_runnable);
	vcpu_start_periodic(v);
	sched_add(v);
	return 0;
}

/* VCPUOP_down: off the CPU until brought up again; the current one stops here. */
void vcpu_take_down(struct vcpu *v)
{
	if (v->runstate.state == RUNSTATE_offline)
		return;
	timer_stop(&v->singleshot_timer);
	timer_stop(&v->periodic_timer);
	sched_remove(v);
	if (v != current) {
		vcpu_runstate_change(v, RUNSTATE_offline);
		return;
	}
	guest_regs()->rax = 0;
	v->down = true;
	schedule();
}

long do_vcpu_op(int cmd, unsigned int vcpuid, uint64_t arg)
{
	struct domain *d = current->domain;
	struct vcpu *v = vcpuid < MAX_VIRT_CPUS ? d->vcpus[vcpuid] : NULL;

	if (!v)
		return -ENOENT;
	switch (cmd) {
	case VCPUOP_is_up:
		return v->runstate.state != RUNSTATE_offline;
	case VCPUOP_initialise:
		return vcpu_initialise(v, arg);
	case VCPUOP_up:
		return v->initialised ? vcpu_bring_up(v) : -EINVAL;
	case VCPUOP_down:
		vcpu_take_down(v);
		return 0;
	case VCPUOP_get_runstate_info: {
		struct vcpu_runstate_info info = v->runstate;

		info.time[info.state] += system_time_ns() - info.state_entry_time;
		return copy_to_guest(arg, &info, sizeof(info));
	}
	case VCPUOP_register_runstate_memory_area: {
		struct vcpu_register_runstate_memory_area a;

		if (copy_from_guest(&a, arg, sizeof(a)))
			return -EFAULT;
		if (v != current || copy_to_guest(a.addr, &v->runstate, sizeof(v->runstate)))
			return -EFAULT;
		v->runstate_guest = a.addr;
		return 0;
	}
	case VCPUOP_set_periodic_timer: {
		struct vcpu_set_periodic_timer p;

		if (copy_from_guest(&p, arg, sizeof(p)))
			return -EFAULT;
		/* A period near 2^64 would wrap the next deadline into the past. */
		if (p.period_ns < MILLISECS(1) || p.period_ns > MAX_PERIOD)
			return -EINVAL;
		timer_stop(&v->periodic_timer);
		v->periodic_period_ns = p.period_ns;
		v->periodic_missed = false;
		periodic_work(v);	/* a tick now if the new period has already gone by */
		return 0;
	}
	case VCPUOP_stop_periodic_timer:
		v->periodic_period_ns = 0;
		timer_stop(&v->periodic_timer);
		return 0;
	case VCPUOP_set_singleshot_timer: {
		struct vcpu_set_singleshot_timer t;

		if (v != current)
			return -EINVAL;
		if (copy_from_guest(&t, arg, sizeof(t)))
			return -EFAULT;
		/* A time already past fires at once (Xen ignores the "future" flag). */
		timer_set(&v->singleshot_timer, t.timeout_abs_ns);
		return 0;
	}
	case VCPUOP_stop_singleshot_timer:
		if (v != current)
			return -EINVAL;
		timer_stop(&v->singleshot_timer);
		return 0;
	case VCPUOP_register_vcpu_info:
		return register_vcpu_info(v, arg);
	default:
		return -ENOSYS;
	}
}

/*
 * set_timer_op (#15): the one-shot timer of VCPUOP_set_singleshot_timer;
 * 0 stops it. Like Xen, a deadline that is negative as a signed value or
 * 2^50 ns (about 13 days) or more ahead is taken for a guest's wrapped
 * jiffies and fires in 100 ms instead (Linux has work pending then).
 */
long do_set_timer_op(uint64_t timeout)
{
	struct vcpu *v = current;
	uint64_t now;

	if (!timeout) {
		timer_stop(&v->singleshot_timer);
		return 0;
	}
	now = system_time_ns();
	if ((int64_t)timeout < 0 || (timeout > now && timeout - now >= HUGE_TIMEOUT))
		timeout = now + MILLISECS(100);
	timer_set(&v->singleshot_timer, timeout);
	return 0;
}
