/*
 * The scheduler (see <hv/sched.h> for the policy) and sched_op (#29).
 *
 * Run queue: one FIFO of runnable vCPUs, `current` not on it. A vCPU is
 * UNDER while it has credit and OVER when it has run it out; the next vCPU
 * is the first UNDER one in the queue, else the first OVER one; a domain
 * at its cap is parked until the next period. Credit is charged at every
 * switch and tick, and refilled every SCHED_PERIOD in proportion to weight.
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/guest_access.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/sched.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <public/sched.h>
#include <public/vcpu.h>
#include <asm/processor.h>
#include <asm/traps.h>

#define SCHED_TICK_NS 10000000UL		/* slice and accounting tick: 10 ms */
#define SCHED_PERIOD_TICKS 3			/* credit refill every 30 ms */
#define SCHED_PERIOD_NS (SCHED_TICK_NS * SCHED_PERIOD_TICKS)

static struct list_head runq = LIST_HEAD_INIT(runq);
static struct timer sched_tick_timer;
static unsigned int tick_count;
static uint64_t last_charge;		/* when `current` was last charged */
static bool need_resched;
static uint64_t slice_end;		/* the next tick: current's slice ends */
static bool idle;			/* the pCPU runs no vCPU */

static bool parked(const struct vcpu *v)
{
	const struct domain *d = v->domain;

	return d->pause_count || (d->cap && v->period_used >= SCHED_PERIOD_NS * d->cap / 100);
}

static void charge_current(void)
{
	uint64_t now = system_time_ns();

	if (current && !idle) {
		current->credit -= (int64_t)(now - last_charge);
		current->period_used += now - last_charge;
	}
	last_charge = now;
}

/* Split one period of CPU among domains with runnable or running vCPUs, by weight. */
static void refill_credit(void)
{
	struct list_head *p;
	uint64_t total_weight = 0;
	struct vcpu *all[64];
	unsigned int n = 0;

	if (current && !idle)
		all[n++] = current;
	list_for_each(p, &runq)
		if (n < ARRAY_SIZE(all))
			all[n++] = list_entry(p, struct vcpu, runq_link);
	for (unsigned int i = 0; i < n; i++)
		total_weight += all[i]->domain->weight;
	for (unsigned int i = 0; i < n; i++) {
		struct vcpu *v = all[i];
		int64_t share = (int64_t)(SCHED_PERIOD_NS * v->domain->weight / total_weight);
		uint64_t allowed = SCHED_PERIOD_NS * v->domain->cap / 100;

		/* Unused credit does not pile up beyond one period's share. */
		v->credit = MIN(v->credit + share, share);
		/*
		 * A capped vCPU notices it is over its cap only at a tick, so it may
		 * overrun; the excess is debt it pays off in the next periods.
		 */
		v->period_used = v->period_used > allowed ? v->period_used - allowed : 0;
	}
}

static void sched_tick(void *data)
{
	charge_current();
	if (++tick_count % SCHED_PERIOD_TICKS == 0)
		refill_credit();
	if (!list_empty(&runq))
		need_resched = true;
	slice_end = system_time_ns() + SCHED_TICK_NS;
	timer_set(&sched_tick_timer, slice_end);
	(void)data;
}

void sched_init(void)
{
	timer_init(&sched_tick_timer, sched_tick, NULL);
}

void sched_poke(void)
{
	need_resched = true;
}

/*
 * Should a long hypercall stop and continue later? Interrupts are off in
 * hv, so neither the tick nor a timer can say it: check the clock. A
 * timer that expired (a sleeping domain's wake-up, the tick that ends a
 * slice) means the interrupts must get their turn.
 */
bool hypercall_preempt_check(void)
{
	uint64_t now;

	if (!current)
		return false;
	now = system_time_ns();
	return now >= slice_end || timer_due(now);
}

void sched_add(struct vcpu *v)
{
	if (v->on_runq || (v == current && !idle))
		return;
	v->blocked = false;
	list_add_tail(&v->runq_link, &runq);
	v->on_runq = true;
	need_resched = true;
}

void sched_remove(struct vcpu *v)
{
	if (v->on_runq) {
		list_del(&v->runq_link);
		v->on_runq = false;
	}
	v->blocked = true;
}

static struct vcpu *pick_next(void)
{
	struct vcpu *over = NULL;
	struct list_head *p;

	list_for_each(p, &runq) {
		struct vcpu *v = list_entry(p, struct vcpu, runq_link);

		if (parked(v))
			continue;
		if (v->credit > 0)
			return v;
		if (!over)
			over = v;
	}
	return over;
}

/* Halt until a vCPU becomes runnable; interrupts run their handlers meanwhile. */
static struct vcpu *idle_until_runnable(void)
{
	struct vcpu *next;

	idle = true;
	while (!(next = pick_next()))
		asm volatile("sti; hlt; cli" : : : "memory");
	idle = false;
	last_charge = system_time_ns();
	return next;
}

void schedule(void)
{
	struct vcpu *prev = current, *next;
	struct cpu_regs *frame = guest_regs();

	bool prev_stays;

	charge_current();
	need_resched = false;
	/* A running vCPU that stays runnable goes to the back of the queue. */
	prev_stays = prev && !prev->blocked && prev->domain->state == DOMAIN_RUNNING && !idle;
	if (prev_stays) {
		list_add_tail(&prev->runq_link, &runq);
		prev->on_runq = true;
	}
	next = pick_next();
	if (!next)
		next = idle_until_runnable();
	list_del(&next->runq_link);
	next->on_runq = false;
	if (next != prev || !prev_stays)
		vcpu_periodic_switch_in(next);
	if (next != prev) {
		if (prev && prev->domain->state == DOMAIN_RUNNING) {
			prev->regs = *frame;
			vcpu_runstate_change(prev, prev->down ? RUNSTATE_offline :
						   prev->blocked ? RUNSTATE_blocked : RUNSTATE_runnable);
			prev->down = false;
		}
		current = next;
		arch_switch_to(prev, next);
		*frame = next->regs;
		vcpu_runstate_change(next, RUNSTATE_running);
	}
	pv_check_events(frame);
	enter_guest(frame);
}

bool sched_vcpu_running(const struct vcpu *v)
{
	return v == current && !idle && !v->blocked;
}

void sched_maybe_preempt(void)
{
	if (need_resched && !list_empty(&runq))
		schedule();
}

void sched_start(void)
{
	last_charge = system_time_ns();
	refill_credit();
	timer_set(&sched_tick_timer, system_time_ns() + SCHED_TICK_NS);
	current = NULL;
	schedule();
}

void sched_report(void)
{
	for (domid_t id = 0; id < 64; id++) {
		struct domain *d = domain_by_id(id);
		uint64_t ns = 0;

		if (!d)
			continue;
		for (unsigned int i = 0; i < d->max_vcpus; i++) {
			struct vcpu *v = d->vcpus[i];

			if (!v)
				continue;
			ns += v->runstate.time[RUNSTATE_running];
			if (v->runstate.state == RUNSTATE_running)
				ns += system_time_ns() - v->runstate.state_entry_time;
		}
		pr_info("sched: domain %u ran %lu.%03lu s (weight %u, cap %u%%)\n", d->id,
			ns / 1000000000UL, (ns / 1000000UL) % 1000, d->weight, d->cap);
	}
}

/*
 * sched_op (#29). Block and yield switch away through schedule(), which
 * does not return: the hypercall's result goes into the guest frame first.
 * Shutdown records the reason and stops the domain (for dom0: the whole
 * machine, as on Xen).
 */
long do_sched_op(unsigned int cmd, uint64_t arg)
{
	struct domain *d = current->domain;

	switch (cmd) {
	case SCHEDOP_yield:
		guest_regs()->rax = 0;
		if (!list_empty(&runq))
			schedule();
		return 0;
	case SCHEDOP_block:
		vcpu_block(current);
		return 0;
	case SCHEDOP_shutdown: {
		struct sched_shutdown s;

		if (copy_from_guest(&s, arg, sizeof(s)))
			return -EFAULT;
		if (s.reason > SHUTDOWN_MAX)
			return -EINVAL;
		domain_shutdown(d, s.reason);
	}
	case SCHEDOP_shutdown_code: {
		struct sched_shutdown s;

		if (copy_from_guest(&s, arg, sizeof(s)))
			return -EFAULT;
		if (s.reason > SHUTDOWN_MAX)
			return -EINVAL;
		d->shutdown_code = s.reason;
		return 0;
	}
	case SCHEDOP_poll: {
		struct sched_poll p;

		if (copy_from_guest(&p, arg, sizeof(p)))
			return -EFAULT;
		return -ENOSYS;		/* SCHEDOP_block covers our guests so far */
	}
	case SCHEDOP_remote_shutdown:
	case SCHEDOP_watchdog:
	case SCHEDOP_pin_override:
		return d->privileged ? -ENOSYS : -EPERM;
	default:
		return -ENOSYS;
	}
}
