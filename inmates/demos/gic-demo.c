// SPDX-License-Identifier: MIT
/*
 * gic-demo: interrupts in a cell. The EL1 physical timer (PPI 30) fires at
 * 10 Hz; each interrupt measures its latency, the counter at entry minus
 * the deadline it was programmed for, and prints it in ns and in counter
 * ticks with the minimum and maximum so far. Between interrupts the CPU
 * waits in WFI; each wake-up checks for a shutdown request (approved) and
 * beats the heartbeat once a second.
 *
 * Before that it checks an SGI to itself (through ICC_SGI1R_EL1, which the
 * hypervisor delivers for the cell's own CPUs), measures what one costs
 * (the sender's write, with IRQs masked, and the time from the send to the
 * handler once they are unmasked: SGI_COST_RUNS lines that make bench
 * reads), and that priorities order
 * interrupts: two SGIs made pending with IRQs masked, the less urgent
 * first, must be taken the more urgent first. Should no timer interrupt
 * arrive within a second, it prints the GIC's state and goes on polling,
 * still beating and answering shutdown requests.
 */
#include <inmate.h>

const char inmate_name[] = "gic-demo";

#define TICK_HZ			10
#define SELF_SGI		1
#define SGI_WAIT_US		100000
#define LOW_SGI			2	/* priority 0xc0 */
#define HIGH_SGI		3	/* priority 0x40: taken first */
#define FIRST_TICK_WAIT_US	1000000
#define SGI_COST_RUNS		8

static u64 period;		/* counter ticks between interrupts */
static u64 deadline;		/* what CNTP_CVAL_EL0 holds */
static u64 ticks, missed, early, sgis;
static volatile u64 sgi_taken_at;	/* counter at the SGI handler's entry */
static u64 lat_min = ~0ULL, lat_max, lat_sum;

static unsigned int order[2];
static volatile u64 ordered;

static void order_handler(unsigned int intid, void *data)
{
	(void)data;
	if (ordered < 2)
		order[ordered] = intid;
	ordered++;
}

/* Two SGIs pending at once, the less urgent sent first: the more urgent must be taken first. */
static void check_priorities(void)
{
	u64 end;

	gic_set_handler(LOW_SGI, order_handler, NULL);
	gic_set_handler(HIGH_SGI, order_handler, NULL);
	gic_enable_irq(LOW_SGI);
	gic_enable_irq(HIGH_SGI);
	gic_set_priority(LOW_SGI, 0xc0);
	gic_set_priority(HIGH_SGI, 0x40);
	local_irq_disable();
	gic_send_sgi(cpu_mpidr(), LOW_SGI);
	gic_send_sgi(cpu_mpidr(), HIGH_SGI);
	end = timer_deadline_us(10000);
	while (!timer_passed(end))
		cpu_relax();
	local_irq_enable();
	for (end = timer_deadline_us(SGI_WAIT_US); ordered < 2 && !timer_passed(end);)
		cpu_relax();
	printf("gic-demo: SGIs %u (priority 0x40) and %u (0xc0) taken in the order %u %u: %s\n",
	       HIGH_SGI, LOW_SGI, order[0], order[1],
	       ordered == 2 && order[0] == HIGH_SGI && order[1] == LOW_SGI ? "by priority" : "WRONG");
}

static void sgi_handler(unsigned int intid, void *data)
{
	sgi_taken_at = timer_phys_counter();
	(void)data;
	if (sgis++)
		return;
	printf("gic-demo: SGI %u received on CPU %u\n", intid, cpu_id());
}

/* The cost of an SGI to itself: the sender's part, then the rest to the handler. */
static void measure_sgis(void)
{
	u64 t0, t1, end;
	int i;

	for (i = 0; i < SGI_COST_RUNS; i++) {
		sgi_taken_at = 0;
		local_irq_disable();
		t0 = timer_phys_counter();
		gic_send_sgi(cpu_mpidr(), SELF_SGI);
		t1 = timer_phys_counter();
		local_irq_enable();
		for (end = timer_deadline_us(SGI_WAIT_US); !sgi_taken_at && !timer_passed(end);)
			cpu_relax();
		if (!sgi_taken_at) {
			printf("gic-demo: SGI %u not received within %u ms\n", SELF_SGI, SGI_WAIT_US / 1000);
			return;
		}
		printf("gic-demo: SGI cost: sent in %llu ticks, handler %llu ticks after the send\n",
		       t1 - t0, sgi_taken_at - t0);
	}
}

static void timer_handler(unsigned int intid, void *data)
{
	u64 now = timer_phys_counter();
	u64 lat = now - deadline;

	(void)intid;
	(void)data;
	if ((s64)lat < 0) {
		/* Not due yet: a stale injection. The timer stays armed. */
		early++;
		printf("gic-demo: timer interrupt %llu ticks before its deadline (ISTATUS %d)\n",
		       -lat, timer_irq_fired());
		return;
	}
	ticks++;
	lat_sum += lat;
	if (lat < lat_min)
		lat_min = lat;
	if (lat > lat_max)
		lat_max = lat;

	/* Next deadline: a fixed 10 Hz grid, skipping ticks we are past. */
	deadline += period;
	while ((s64)(now - deadline) >= 0) {
		deadline += period;
		missed++;
	}
	timer_irq_arm(deadline);

	printf("gic-demo: timer latency %llu ns (min %llu, max %llu), %llu ticks (min %llu, max %llu)\n",
	       timer_ticks_to_ns(lat), timer_ticks_to_ns(lat_min), timer_ticks_to_ns(lat_max),
	       lat, lat_min, lat_max);
}

static void wait_for(volatile u64 *count, u64 us)
{
	u64 end = timer_deadline_us(us);

	while (!*count && !timer_passed(end)) {
		comm_poll_shutdown("shutdown requested: approving");
		cpu_relax();
	}
}

int inmate_main(void)
{
	u64 freq = timer_frequency(), next_beat, beat;
	bool sleep = true;

	printf("gic-demo: cell %u on CPU %u: %u Hz timer interrupt (EL1 physical timer, PPI %u), counter at %llu Hz\n",
	       comm_cell_id(), cpu_id(), TICK_HZ, TIMER_PPI_PHYS, freq);

	gic_init();
	gic_set_handler(SELF_SGI, sgi_handler, NULL);
	gic_set_handler(TIMER_PPI_PHYS, timer_handler, NULL);
	gic_enable_irq(SELF_SGI);
	gic_enable_irq(TIMER_PPI_PHYS);
	local_irq_enable();

	printf("gic-demo: sending SGI %u to myself\n", SELF_SGI);
	gic_send_sgi(cpu_mpidr(), SELF_SGI);
	wait_for(&sgis, SGI_WAIT_US);
	if (!sgis)
		printf("gic-demo: SGI %u not received within %u ms\n", SELF_SGI, SGI_WAIT_US / 1000);
	else
		measure_sgis();
	check_priorities();

	period = freq / TICK_HZ;
	deadline = timer_phys_counter() + period;
	timer_irq_arm(deadline);
	wait_for(&ticks, FIRST_TICK_WAIT_US);
	if (!ticks) {
		printf("gic-demo: no timer interrupt within %u ms (CNTP_CTL_EL0 0x%llx, ISTATUS %d): polling instead of sleeping\n",
		       FIRST_TICK_WAIT_US / 1000, read_sysreg(cntp_ctl_el0), timer_irq_fired());
		gic_print_state();
		sleep = false;
	}

	next_beat = timer_deadline_us(1000000);
	for (;;) {
		/* Masked while checking, so that no wake-up is lost before the WFI. */
		local_irq_disable();
		if (comm_shutdown_requested()) {
			long ret;

			timer_irq_disarm();
			printf("gic-demo: shutdown requested after %llu timer interrupts (%llu missed ticks): approving\n",
			       ticks, missed);
			ret = comm_reply(true);
			printf("gic-demo: approval refused: %ld\n", ret);
			timer_irq_arm(deadline);
		}
		if (timer_passed(next_beat)) {
			beat = comm_heartbeat();
			printf("gic-demo: heartbeat %llu: %llu timer interrupts, average latency %llu ns, %llu missed, %llu early, %llu spurious\n",
			       beat, ticks, ticks ? timer_ticks_to_ns(lat_sum / ticks) : 0, missed,
			       early, gic_spurious_count());
			next_beat += timer_us_to_ticks(1000000);
		}
		if (sleep)
			wfi();		/* wakes on the pending interrupt; taken below */
		local_irq_enable();
		if (!sleep)
			udelay(1000);
	}
}
