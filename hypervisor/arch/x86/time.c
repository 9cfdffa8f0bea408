/*
 * Time. System time is nanoseconds since hv booted, derived from the TSC
 * (calibrated against the PIT at boot); guests get it through
 * vcpu_time_info (tsc_timestamp, system_time, mul, shift) and the wall
 * clock through shared_info, both under Xen's odd/even version protocol
 * (pv-abi.md §11). The wall clock comes from the CMOS RTC.
 */
#include <hv/console.h>
#include <hv/lib.h>
#include <hv/time.h>
#include <asm/processor.h>

#define PIT_HZ 1193182UL
#define CALIBRATE_MS 10

static uint64_t boot_tsc, tsc_hz;
static uint32_t tsc_mul;		/* ns = ((tsc << shift) * mul) >> 32 */
static int8_t tsc_shift;
static uint64_t boot_wallclock;	/* seconds since 1970 when system time was 0 */

/* Count TSC ticks over CALIBRATE_MS of PIT channel 2 (gate via port 0x61). */
static uint64_t calibrate_tsc(void)
{
	uint32_t count = (uint32_t)(PIT_HZ * CALIBRATE_MS / 1000);
	uint64_t start, end;
	unsigned int spins = 0;

	outb(0x61, (uint8_t)((inb(0x61) & ~0x02) | 0x01));	/* gate on, speaker off */
	outb(0x43, 0xb0);				/* ch2, lo/hi, mode 0 */
	outb(0x42, count & 0xff);
	outb(0x42, (uint8_t)(count >> 8));
	start = rdtsc();
	while (!(inb(0x61) & 0x20) && ++spins < 100000000)
		;
	end = rdtsc();
	return (end - start) * (1000 / CALIBRATE_MS);
}

/* Xen's scale: normalise the frequency into (1e9, 2e9] by doubling/halving. */
static void set_time_scale(uint64_t hz)
{
	uint64_t f = hz;
	int shift = 0;

	while (f > 2000000000UL) {
		f >>= 1;
		shift--;
	}
	while (f <= 1000000000UL) {
		f <<= 1;
		shift++;
	}
	tsc_shift = (int8_t)shift;
	tsc_mul = (uint32_t)((1000000000UL << 32) / f);
}

uint64_t scale_tsc(uint64_t delta)
{
	if (tsc_shift >= 0)
		delta <<= tsc_shift;
	else
		delta >>= -tsc_shift;
	return (uint64_t)(((unsigned __int128)delta * tsc_mul) >> 32);
}

uint64_t system_time_ns(void)
{
	return scale_tsc(rdtsc() - boot_tsc);
}

static unsigned int cmos_read(unsigned int reg)
{
	outb(0x70, (uint8_t)reg);
	return inb(0x71);
}

static unsigned int bcd(unsigned int v, bool binary)
{
	return binary ? v : (v & 15) + (v >> 4) * 10;
}

/* Days from 1970-01-01 to y-m-d (proleptic Gregorian). */
static uint64_t days_since_epoch(unsigned int y, unsigned int m, unsigned int d)
{
	if (m <= 2) {
		y--;
		m += 12;
	}
	return 365UL * y + y / 4 - y / 100 + y / 400 + (153 * (m - 3) + 2) / 5 + d - 719469;
}

static uint64_t read_rtc(void)
{
	unsigned int sec, min, hour, day, mon, year, regb;

	for (unsigned int i = 0; i < 100000 && (cmos_read(0x0a) & 0x80); i++)
		;				/* wait out an update in progress */
	sec = cmos_read(0x00);
	min = cmos_read(0x02);
	hour = cmos_read(0x04);
	day = cmos_read(0x07);
	mon = cmos_read(0x08);
	year = cmos_read(0x09);
	regb = cmos_read(0x0b);
	sec = bcd(sec, regb & 4);
	min = bcd(min, regb & 4);
	hour = bcd(hour & 0x7f, regb & 4) % 24;
	day = bcd(day, regb & 4);
	mon = bcd(mon, regb & 4);
	year = bcd(year, regb & 4) + 2000;
	if (!mon || mon > 12 || !day || day > 31)
		return 0;
	return days_since_epoch(year, mon, day) * 86400 + hour * 3600 + min * 60 + sec;
}

void time_init(void)
{
	boot_tsc = rdtsc();
	tsc_hz = calibrate_tsc();
	if (tsc_hz < 1000000)
		tsc_hz = 1000000000;		/* no PIT answer: assume 1 GHz rather than divide by 0 */
	set_time_scale(tsc_hz);
	boot_wallclock = read_rtc();
	pr_info("time: TSC %lu.%03lu MHz, scale mul %#x shift %d, RTC %lu\n", tsc_hz / 1000000,
		(tsc_hz / 1000) % 1000, tsc_mul, tsc_shift, boot_wallclock);
}

void time_fill_vcpu(struct vcpu_time_info *t)
{
	t->version++;				/* odd: being written */
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->tsc_timestamp = rdtsc();
	t->system_time = scale_tsc(t->tsc_timestamp - boot_tsc);
	t->tsc_to_system_mul = tsc_mul;
	t->tsc_shift = tsc_shift;
	t->flags = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	t->version++;				/* even: consistent */
}

void time_fill_wallclock(struct shared_info *s)
{
	s->wc_version++;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s->wc_sec = (uint32_t)boot_wallclock;
	s->wc_sec_hi = (uint32_t)(boot_wallclock >> 32);
	s->wc_nsec = 0;
	__atomic_thread_fence(__ATOMIC_SEQ_CST);
	s->wc_version++;
}

uint64_t tsc_khz(void)
{
	return tsc_hz / 1000;
}
