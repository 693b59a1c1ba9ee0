// SPDX-License-Identifier: GPL-2.0-only
/*
 * Time from the generic timer's virtual counter. Cells have no interrupts
 * yet, so delays busy-wait on the counter; a timer-interrupt module (with
 * the GIC, for gic-demo) will add sleeping on CNTV_CVAL_EL0.
 */
#include "internal.h"

/* Used only when firmware left CNTFRQ_EL0 at 0: QEMU virt's classic 62.5 MHz. */
#define FALLBACK_FREQ	62500000ULL
#define USEC_PER_SEC	1000000ULL

static u64 start_count;

u64 timer_counter(void)
{
	isb();			/* no reading the counter ahead of earlier instructions */
	return read_sysreg(cntvct_el0);
}

u64 timer_frequency(void)
{
	u64 f = read_sysreg(cntfrq_el0) & 0xffffffff;

	return f ? f : FALLBACK_FREQ;
}

u64 timer_ticks_to_us(u64 ticks)
{
	u64 f = timer_frequency();

	return ticks / f * USEC_PER_SEC + ticks % f * USEC_PER_SEC / f;
}

u64 timer_us_to_ticks(u64 us)
{
	u64 f = timer_frequency();

	return us / USEC_PER_SEC * f + us % USEC_PER_SEC * f / USEC_PER_SEC;
}

void timer_init(void)
{
	start_count = timer_counter();
}

u64 uptime_us(void)
{
	return timer_ticks_to_us(timer_counter() - start_count);
}

void udelay(u64 us)
{
	u64 deadline = timer_deadline_us(us);

	while (!timer_passed(deadline))
		cpu_relax();
}

void mdelay(u64 ms)
{
	udelay(ms * 1000);
}
