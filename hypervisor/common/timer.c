/* Software timers (see <hv/timer.h>). */
#include <hv/apic.h>
#include <hv/time.h>
#include <hv/timer.h>

static struct list_head timers = LIST_HEAD_INIT(timers);
static unsigned int nr_active;

void timer_init(struct timer *t, void (*fn)(void *data), void *data)
{
	t->fn = fn;
	t->data = data;
	t->active = false;
	t->link.next = t->link.prev = NULL;
}

static void program_earliest(void)
{
	if (list_empty(&timers))
		apic_timer_stop();
	else
		apic_timer_program(list_first_entry(&timers, struct timer, link)->expires);
}

void timer_stop(struct timer *t)
{
	if (!t->active)
		return;
	list_del(&t->link);
	t->active = false;
	nr_active--;
	program_earliest();
}

void timer_set(struct timer *t, uint64_t expires)
{
	struct list_head *pos;

	timer_stop(t);
	if (expires <= system_time_ns()) {
		t->fn(t->data);
		return;
	}
	t->expires = expires;
	list_for_each(pos, &timers)
		if (list_entry(pos, struct timer, link)->expires > expires)
			break;
	list_insert(&t->link, pos->prev, pos);
	t->active = true;
	nr_active++;
	program_earliest();
}

void timer_interrupt(void)
{
	uint64_t now = system_time_ns();

	while (!list_empty(&timers)) {
		struct timer *t = list_first_entry(&timers, struct timer, link);

		if (t->expires > now)
			break;
		list_del(&t->link);
		t->active = false;
		nr_active--;
		t->fn(t->data);		/* may re-arm itself */
	}
	program_earliest();
}

unsigned int timers_active(void)
{
	return nr_active;
}

bool timer_due(uint64_t now)
{
	return !list_empty(&timers) && list_first_entry(&timers, struct timer, link)->expires <= now;
}
