// SPDX-License-Identifier: MIT
/*
 * stress-cell: every CPU of the cell does random things that change the
 * hypervisor's view of the cell's CPUs and of the cell itself, as fast as
 * it can, while root creates, shuts down and destroys the cell and
 * hotplugs its own CPUs (tests/vm/cases/hv-stress.sh):
 *
 *   - console lines (WARDEN_HC_CONSOLE_WRITE);
 *   - the reconfiguration lock (WARDEN_HC_CELL_LOCK), taken and released,
 *     sometimes by one CPU and released by another; a refusal is fine;
 *   - PSCI CPU_ON of the cell's other CPUs, CPU_OFF of this one;
 *   - answers to root's shutdown requests: mostly approving, sometimes
 *     denying (a refusal of the denial is fine);
 *   - now and then the end of the cell: PSCI SYSTEM_OFF or SYSTEM_RESET,
 *     right after a CPU_ON of another CPU or not, or a deliberate fault
 *     (reading root's memory, an SGI to CPU 0, CPU_ON of CPU 0).
 *
 * Each CPU works in a mode it draws every few hundred steps:
 *
 *   mixed    all of the above, at random
 *   lock     the lock taken and released back to back: a stop from root or
 *            from another CPU lands while a lock call is in the hypervisor
 *   flip     CPU_ON of the other CPUs as fast as they go off; a CPU that
 *            comes up during a flip goes off again at once: a stop lands
 *            while a CPU is on its way in or out
 *   console  lines back to back
 *
 * Each CPU draws from its own xorshift generator, seeded from the virtual
 * counter and its number when it comes up, and prints its seed first. The
 * first CPU also draws how eagerly this run ends itself: never (half the
 * runs), or one step in 2000 or in 10000 (seconds under TCG). The MMU is
 * off, so there are no atomics: the CPUs share only plain flags, each
 * written by one CPU, and races among them are part of the point.
 *
 * The cell must own at least two CPUs for CPU_ON and CPU_OFF to happen;
 * it runs with one as well.
 */
#include <inmate.h>

const char inmate_name[] = "stress-cell";

/* A mixed step's choice, out of 1000 */
#define P_CONSOLE	200
#define P_LOCK		80
#define P_UNLOCK	80
#define P_CPU_ON	200
#define P_CPU_OFF	120
#define P_DELAY		80

enum mode { MODE_MIXED, MODE_LOCK, MODE_FLIP, MODE_CONSOLE, MODES };
static const char *const mode_name[MODES] = { "mixed", "lock", "flip", "console" };

/* The ways a run ends itself, once it decides to */
enum end_kind { END_SYSTEM_OFF, END_SYSTEM_RESET, END_ON_THEN_OFF, END_LOCK_THEN_OFF,
		END_READ_ROOT, END_SGI_CPU0, END_CPU_ON_CPU0, END_KINDS };

static u64 cell_cpus;			/* the cell's CPUs (comm page) */
static u32 end_one_in;			/* chance of ending per step: 1 in this; 0: never */
/* Each written by its CPU only */
static volatile u8 alive[INMATE_MAX_CPUS];
static volatile u8 flipping[INMATE_MAX_CPUS];
static volatile u64 steps[INMATE_MAX_CPUS];
/* The CPU that goes off by choice now (-1: none): the others wait their turn. */
static volatile int going_off = -1;

static u64 rnd(u64 *s)
{
	u64 x = *s;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	*s = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static u64 seed_for(unsigned int cpu)
{
	u64 s = timer_counter() ^ ((u64)cpu << 56) ^ 0x9e3779b97f4a7c15ULL;

	return s ? s : 1;
}

/* Another CPU of the cell that looks alive: this one may go off. */
static bool other_alive(unsigned int self)
{
	unsigned int i;

	for (i = 0; i < INMATE_MAX_CPUS; i++)
		if (i != self && cell_cpus & BIT(i) && alive[i])
			return true;
	return false;
}

/* Is another CPU of the cell flipping CPUs on? Then a CPU coming up goes off again. */
static bool other_flipping(unsigned int self)
{
	unsigned int i;

	for (i = 0; i < INMATE_MAX_CPUS; i++)
		if (i != self && flipping[i] && alive[i])
			return true;
	return false;
}

/* A random CPU of the cell other than @self, or -1 if it has none. */
static int other_cpu(unsigned int self, u64 *s)
{
	u64 others = cell_cpus & ~BIT(self) & (BIT(INMATE_MAX_CPUS) - 1), left;
	unsigned int n = 0, k;

	for (left = others; left; left &= left - 1)
		n++;
	if (!n)
		return -1;
	for (k = (unsigned int)(rnd(s) % n); k; k--)
		others &= others - 1;
	return __builtin_ctzll(others);
}

static void worker(void *arg);

/* CPU_OFF of this CPU; @quiet: no line first (the flips make many). */
static void cpu_off(unsigned int cpu, bool quiet)
{
	long ret;

	if (!quiet)
		printf("stress-cell: CPU %u: CPU_OFF\n", cpu);
	alive[cpu] = 0;
	flipping[cpu] = 0;
	ret = psci_cpu_off();
	alive[cpu] = 1;
	printf("stress-cell: CPU %u: CPU_OFF returned %ld\n", cpu, ret);
}

static void __noreturn end_run(unsigned int cpu, u64 *s)
{
	enum end_kind kind = (enum end_kind)(rnd(s) % END_KINDS);
	int ret, other;

	switch (kind) {
	case END_SYSTEM_OFF:
		printf("stress-cell: CPU %u: SYSTEM_OFF\n", cpu);
		ret = psci_system_off();
		break;
	case END_SYSTEM_RESET:
		printf("stress-cell: CPU %u: SYSTEM_RESET\n", cpu);
		ret = psci_system_reset();
		break;
	case END_ON_THEN_OFF:
		other = other_cpu(cpu, s);
		printf("stress-cell: CPU %u: CPU_ON of CPU %d, then SYSTEM_OFF at once\n", cpu, other);
		if (other >= 0)
			cpu_start((u64)other, worker, NULL);
		ret = psci_system_off();
		break;
	case END_LOCK_THEN_OFF:
		printf("stress-cell: CPU %u: lock, then SYSTEM_OFF\n", cpu);
		comm_lock(true);
		ret = psci_system_off();
		break;
	case END_READ_ROOT:
		printf("stress-cell: CPU %u: fault: reading root's memory at 0x40000000\n", cpu);
		ret = (int)readl(0x40000000);
		printf("stress-cell: CPU %u: the read of root's memory returned %#x: isolation FAILED\n",
		       cpu, ret);
		break;
	case END_SGI_CPU0:
		printf("stress-cell: CPU %u: fault: SGI 0 to CPU 0\n", cpu);
		write_sysreg(1, S3_0_C12_C11_5);	/* ICC_SGI1R_EL1: target list CPU 0 */
		isb();
		ret = 0;
		printf("stress-cell: CPU %u: the SGI to CPU 0 was not refused: isolation FAILED\n", cpu);
		break;
	default:
		printf("stress-cell: CPU %u: fault: CPU_ON of CPU 0\n", cpu);
		ret = cpu_start(0, worker, NULL);
		break;
	}
	/* Still here: the call was refused (or the cell is on its way out). */
	printf("stress-cell: CPU %u: end kind %d returned %d; powering off\n", cpu, kind, ret);
	inmate_halt();
}

static void answer_request(unsigned int cpu, u64 *s)
{
	long ret;

	if (rnd(s) % 8) {
		printf("stress-cell: CPU %u: shutdown requested: approving\n", cpu);
		ret = comm_reply(true);
		/* Another CPU answered first, or the request is gone: fine. */
		printf("stress-cell: CPU %u: approval returned %ld\n", cpu, ret);
	} else {
		ret = comm_reply(false);
		printf("stress-cell: CPU %u: shutdown requested: denied (%ld)\n", cpu, ret);
	}
}

static void mixed_step(unsigned int cpu, u64 *s)
{
	u32 r = (u32)(rnd(s) % 1000);
	int other;
	long ret;

	if (r < P_CONSOLE) {
		printf("stress-cell: CPU %u step %llu\n", cpu, steps[cpu]);
		return;
	}
	r -= P_CONSOLE;
	if (r < P_LOCK) {
		ret = comm_lock(true);
		if (ret && rnd(s) % 64 == 0)
			printf("stress-cell: CPU %u: lock refused: %ld\n", cpu, ret);
		return;
	}
	r -= P_LOCK;
	if (r < P_UNLOCK) {
		comm_lock(false);
		return;
	}
	r -= P_UNLOCK;
	if (r < P_CPU_ON) {
		other = other_cpu(cpu, s);
		if (other >= 0)
			cpu_start((u64)other, worker, NULL);
		return;
	}
	r -= P_CPU_ON;
	if (r < P_CPU_OFF) {
		/*
		 * One CPU at a time, or both would often go off together and
		 * the cell would end itself (stop reason cpus-off) before root
		 * gets to race it; one time in eight the turn is not waited for.
		 */
		if ((going_off >= 0 && rnd(s) % 8) || !other_alive(cpu))
			return;
		going_off = (int)cpu;
		udelay(5);
		if (going_off == (int)cpu && other_alive(cpu))
			cpu_off(cpu, false);
		if (going_off == (int)cpu)
			going_off = -1;
		return;
	}
	r -= P_CPU_OFF;
	if (r < P_DELAY)
		udelay(rnd(s) % 500);
	/* The rest: a step that only counts (and polls). */
}

static void __noreturn cpu_loop(unsigned int cpu, u64 *s)
{
	enum mode mode = MODE_MIXED;
	u64 mode_left = 0;
	int other;

	for (;;) {
		steps[cpu]++;
		if (cpu == (unsigned int)__builtin_ctzll(cell_cpus))
			comm_heartbeat();
		if (comm_shutdown_requested())
			answer_request(cpu, s);
		if (end_one_in && rnd(s) % end_one_in == 0)
			end_run(cpu, s);
		if (!mode_left--) {
			/* Mixed half the time; storms are short. */
			mode = rnd(s) % 2 ? MODE_MIXED : (enum mode)(1 + rnd(s) % (MODES - 1));
			mode_left = mode == MODE_MIXED ? 100 + rnd(s) % 400 : 20 + rnd(s) % 200;
			flipping[cpu] = mode == MODE_FLIP;
			if (mode != MODE_MIXED)
				printf("stress-cell: CPU %u: %s for %llu steps\n", cpu, mode_name[mode],
				       mode_left);
		}
		switch (mode) {
		case MODE_LOCK:
			comm_lock(steps[cpu] & 1);
			break;
		case MODE_FLIP:
			other = other_cpu(cpu, s);
			if (other >= 0)
				cpu_start((u64)other, worker, NULL);
			break;
		case MODE_CONSOLE:
			printf("stress-cell: CPU %u console step %llu\n", cpu, steps[cpu]);
			break;
		default:
			mixed_step(cpu, s);
		}
	}
}

/* Every CPU but the first comes here through cpu_start() (PSCI CPU_ON). */
static void worker(void *arg)
{
	unsigned int cpu = cpu_id();
	u64 s = seed_for(cpu);

	(void)arg;
	alive[cpu] = 1;
	if (going_off == (int)cpu)
		going_off = -1;
	/* Another CPU flips: off again at once (the stop may land just now). */
	if (other_flipping(cpu) && rnd(&s) % 4)
		cpu_off(cpu, true);
	printf("stress-cell: CPU %u up, seed %#llx\n", cpu, s);
	cpu_loop(cpu, &s);
}

int inmate_main(void)
{
	unsigned int cpu = cpu_id();
	u64 s = seed_for(cpu);
	static const u32 end_choices[] = { 0, 0, 2000, 10000 };

	cell_cpus = comm_cpu_set();
	end_one_in = end_choices[rnd(&s) % ARRAY_SIZE(end_choices)];
	alive[cpu] = 1;
	printf("stress-cell: cell %u, CPUs %#llx, first CPU %u, seed %#llx, ends itself 1 step in %u (0: never)\n",
	       comm_cell_id(), cell_cpus, cpu, s, end_one_in);
	cpu_loop(cpu, &s);
}
