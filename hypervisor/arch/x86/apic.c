/*
 * The local APIC, used for one thing so far: hv's timer interrupt. In
 * TSC-deadline mode (where the CPU has it) the deadline is a TSC value;
 * otherwise one-shot mode with a count calibrated against the TSC.
 */
#include <hv/apic.h>
#include <hv/console.h>
#include <hv/time.h>
#include <hv/timer.h>
#include <asm/page.h>
#include <asm/processor.h>

#define MSR_APIC_BASE 0x1b
#define MSR_TSC_DEADLINE 0x6e0
#define APIC_EOI 0xb0
#define APIC_SVR 0xf0
#define APIC_LVT_TIMER 0x320
#define APIC_TMICT 0x380
#define APIC_TMCCT 0x390
#define APIC_TDCR 0x3e0
#define LVT_MASKED (1u << 16)
#define LVT_TSC_DEADLINE (2u << 17)

static volatile uint32_t *apic;
static bool tsc_deadline;
static uint64_t apic_ticks_per_ms;	/* one-shot mode */

static uint32_t apic_read(unsigned int reg)
{
	return apic[reg / 4];
}

static void apic_write(unsigned int reg, uint32_t v)
{
	apic[reg / 4] = v;
}

static void calibrate_one_shot(void)
{
	uint64_t start, wait = tsc_khz() * 10;		/* 10 ms of TSC */

	apic_write(APIC_TDCR, 0xb);			/* divide by 1 */
	apic_write(APIC_LVT_TIMER, LVT_MASKED | TIMER_VECTOR);
	apic_write(APIC_TMICT, 0xffffffff);
	start = rdtsc();
	while (rdtsc() - start < wait)
		;
	apic_ticks_per_ms = (0xffffffffu - apic_read(APIC_TMCCT)) / 10;
	apic_write(APIC_TMICT, 0);
	if (!apic_ticks_per_ms)
		apic_ticks_per_ms = 1000;
}

void apic_init(void)
{
	uint64_t base = rdmsr(MSR_APIC_BASE);
	uint32_t a, b, c, d;

	wrmsr(MSR_APIC_BASE, base | (1u << 11));	/* global enable */
	apic = ioremap(base & ~0xfffUL, PAGE_SIZE);
	apic_write(APIC_SVR, 0x100 | SPURIOUS_VECTOR);
	cpuid(1, 0, &a, &b, &c, &d);
	tsc_deadline = c & (1u << 24);
	if (tsc_deadline) {
		apic_write(APIC_LVT_TIMER, LVT_TSC_DEADLINE | TIMER_VECTOR);
		pr_info("apic: timer in TSC-deadline mode, vector %#x\n", TIMER_VECTOR);
	} else {
		calibrate_one_shot();
		apic_write(APIC_LVT_TIMER, TIMER_VECTOR);
		pr_info("apic: timer in one-shot mode, %lu ticks/ms, vector %#x\n",
			apic_ticks_per_ms, TIMER_VECTOR);
	}
}

/* Far deadlines are cut to this; the timer code re-arms when it fires early. */
#define MAX_DELTA_NS 1000000000UL

void apic_timer_program(uint64_t deadline_ns)
{
	uint64_t now = system_time_ns();
	uint64_t delta = deadline_ns > now ? deadline_ns - now : 1000;

	if (delta > MAX_DELTA_NS)
		delta = MAX_DELTA_NS;
	if (tsc_deadline) {
		/* ns → TSC ticks: ticks = ns * kHz / 1e6 (no overflow below MAX_DELTA_NS). */
		uint64_t ticks = delta * tsc_khz() / 1000000;

		wrmsr(MSR_TSC_DEADLINE, rdtsc() + (ticks ? ticks : 1));
	} else {
		uint64_t ticks = delta * apic_ticks_per_ms / 1000000;

		apic_write(APIC_TMICT, (uint32_t)(ticks > 0xffffffffu ? 0xffffffffu : ticks ? ticks : 1));
	}
}

void apic_timer_stop(void)
{
	if (tsc_deadline)
		wrmsr(MSR_TSC_DEADLINE, 0);
	else
		apic_write(APIC_TMICT, 0);
}

void apic_eoi(void)
{
	apic_write(APIC_EOI, 0);
}

void do_irq(unsigned int vector)
{
	static bool warned;

	switch (vector) {
	case TIMER_VECTOR:
		apic_eoi();
		timer_interrupt();
		break;
	case SPURIOUS_VECTOR:
		break;				/* no EOI for spurious interrupts */
	default:
		apic_eoi();
		if (!warned) {
			warned = true;
			pr_warn("irq: unexpected interrupt on vector %u; ignored\n", vector);
		}
		break;
	}
}
