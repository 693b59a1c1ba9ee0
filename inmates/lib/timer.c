// SPDX-License-Identifier: MIT
/*
 * Time from the generic timer's virtual counter; delays busy-wait on it.
 * Timer interrupts come from the EL1 physical timer (CNTP_*_EL0, PPI 30),
 * which a program arms here and takes through the GIC module (lib/gic.c).
 */
#include "internal.h"

/* Used only when firmware left CNTFRQ_EL0 at 0: QEMU virt's classic 62.5 MHz. */
#define FALLBACK_FREQ	62500000ULL
#define USEC_PER_SEC	1000000ULL
#define NSEC_PER_SEC	1000000000ULL

/* CNTP_CTL_EL0 */
#define CNT_CTL_ENABLE	BIT(0)
#define CNT_CTL_IMASK	BIT(1)
#define CNT_CTL_ISTATUS	BIT(2)

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

u64 timer_ticks_to_ns(u64 ticks)
{
	u64 f = timer_frequency();

	return ticks / f * NSEC_PER_SEC + ticks % f * NSEC_PER_SEC / f;
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

u64 timer_phys_counter(void)
{
	isb();
	return read_sysreg(cntpct_el0);
}

void timer_irq_arm(u64 cval)
{
	write_sysreg(cval, cntp_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntp_ctl_el0);
	isb();
}

u64 timer_irq_arm_us(u64 us)
{
	u64 cval = timer_phys_counter() + timer_us_to_ticks(us);

	timer_irq_arm(cval);
	return cval;
}

void timer_irq_disarm(void)
{
	write_sysreg(0, cntp_ctl_el0);
	isb();
}

bool timer_irq_fired(void)
{
	return !!(read_sysreg(cntp_ctl_el0) & CNT_CTL_ISTATUS);
}
