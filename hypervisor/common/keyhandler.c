/*
 * Console input: hv polls the serial line every few milliseconds, hands
 * what it reads to dom0 (a ring drained by console_io read, announced with
 * VIRQ_CONSOLE) — unless the user typed Ctrl-A three times, which switches
 * input to hv's debug keys until the next three Ctrl-A:
 *
 *   h  help             d  domains and their vCPUs
 *   r  run queue        m  memory
 */
#include <hv/console.h>
#include <hv/domain.h>
#include <hv/event.h>
#include <hv/hypercall.h>
#include <hv/lib.h>
#include <hv/mm.h>
#include <hv/sched.h>
#include <hv/serial.h>
#include <hv/time.h>
#include <hv/timer.h>

#define POLL_NS 5000000UL		/* 5 ms: typing and paste keep up */
#define INPUT_RING 1024
#define SWITCH_CHAR 0x01		/* Ctrl-A */

static char ring[INPUT_RING];
static unsigned int prod, cons;		/* free-running */
static struct timer poll_timer;
static unsigned int switch_count;
static bool keys_to_hv;

int console_input_get(void)
{
	if (cons == prod)
		return -1;
	return (unsigned char)ring[cons++ % INPUT_RING];
}

static void dump_domains(void)
{
	for (domid_t id = 0; id < 64; id++) {
		struct domain *d = domain_by_id(id);
		static const char *const states[] = { "running", "shut down", "crashed" };

		if (!d)
			continue;
		printk("domain %u: %s, %lu/%lu pages, weight %u cap %u%%, %u event channels max\n",
		       d->id, states[d->state], d->tot_pages, d->max_pages, d->weight, d->cap,
		       d->max_evtchns);
		for (unsigned int i = 0; i < d->max_vcpus; i++) {
			struct vcpu *v = d->vcpus[i];

			/* The running vCPU's registers are in the live entry frame. */
			const struct cpu_regs *r = v == current ? guest_regs() : v ? &v->regs : NULL;

			if (v)
				printk("  vcpu %u: %s mode, rip %016lx rsp %016lx, upcall pending %u mask %u, "
				       "%lu entries to user mode%s\n",
				       i, v->kernel_mode ? "kernel" : "user", r->rip, r->rsp,
				       v->vcpu_info->evtchn_upcall_pending,
				       v->vcpu_info->evtchn_upcall_mask, v->nr_user_entries,
				       v == current ? " (current)" : "");
		}
	}
}

static void debug_key(char c)
{
	switch (c) {
	case 'd':
		dump_domains();
		break;
	case 'r':
		sched_report();
		break;
	case 't':
		for (domid_t id = 0; id < 64; id++)
			for (unsigned int i = 0; domain_by_id(id) && i < domain_by_id(id)->max_vcpus; i++)
				if (domain_by_id(id)->vcpus[i])
					hypercall_trace_dump(domain_by_id(id)->vcpus[i]);
		break;
	case 'm':
		printk("memory: %lu of %lu frames free (%lu MiB), %u timers active\n",
		       frames_free_count(), frames_total_count(),
		       (frames_free_count() << PAGE_SHIFT) >> 20, timers_active());
		break;
	default:
		printk("debug keys: d domains, r run queue, m memory, t last hypercalls, h help; "
		       "Ctrl-A three times gives input back to dom0\n");
		break;
	}
}

static void input_char(char c)
{
	if (c == SWITCH_CHAR) {
		if (++switch_count == 3) {
			switch_count = 0;
			keys_to_hv = !keys_to_hv;
			printk("*** serial input to %s (Ctrl-A three times to switch)\n",
			       keys_to_hv ? "hv: press h for help" : "dom0");
		}
		return;
	}
	/* Ctrl-A once or twice then something else: those Ctrl-As were dom0's. */
	for (; switch_count; switch_count--)
		if (!keys_to_hv && prod - cons < INPUT_RING)
			ring[prod++ % INPUT_RING] = SWITCH_CHAR;
	if (keys_to_hv)
		debug_key(c);
	else if (prod - cons < INPUT_RING)
		ring[prod++ % INPUT_RING] = c;
}

static void poll_input(void *data)
{
	unsigned int before = prod;
	int c;

	while ((c = serial_getc()) >= 0)
		input_char((char)c);
	if (prod != before && domain_by_id(0))
		send_global_virq(domain_by_id(0), VIRQ_CONSOLE);
	timer_set(&poll_timer, system_time_ns() + POLL_NS);
	(void)data;
}

void console_input_init(void)
{
	timer_init(&poll_timer, poll_input, NULL);
	timer_set(&poll_timer, system_time_ns() + POLL_NS);
}
