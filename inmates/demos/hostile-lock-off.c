// SPDX-License-Identifier: MIT
/*
 * hostile-lock-off: one CPU takes the reconfiguration lock
 * (WARDEN_HC_CELL_LOCK) over and over, never unlocking, while the other
 * ends itself. Whatever the interleaving, the lock must die with the cell:
 * root's create, destroy and disable work afterwards. A cell whose
 * description does not grant may-refuse must have every lock call refused.
 *
 * The mode is the word root loads at MODE_ADDR before the start (0 when
 * it loads none):
 *   0, 1  the first CPU calls PSCI SYSTEM_OFF while the other locks
 *   2     the first CPU calls PSCI CPU_OFF while the other locks; the
 *         other turns itself off after LOCK_CALLS more calls: the cell is
 *         left with no CPU running, holding the lock if it got it
 *   3     the other CPU locks and unlocks in turn, forever, and the first
 *         waits: root destroys the cell meanwhile (when it is unlocked,
 *         if it may lock)
 * The first CPU prints what the first lock call returned before it acts.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-lock-off";

#define MODE_ADDR	0xf0000ULL
#define LOCK_CALLS	20000

static volatile long first_ret = 1;	/* 1: no call yet */
static volatile u64 calls, refused;
static u64 mode;

static void locker(void *arg)
{
	long ret;

	(void)arg;
	for (;;) {
		ret = comm_lock(mode != 3 || !(calls & 1));
		if (calls == 0)
			first_ret = ret;
		if (ret)
			refused++;
		calls++;
		if (mode == 2 && calls >= LOCK_CALLS)
			return;		/* cpu_start(): CPU_OFF */
	}
}

int inmate_main(void)
{
	u64 set = comm_cpu_set();
	unsigned int other = 0, i;
	int ret;

	mode = readq(MODE_ADDR);
	for (i = 0; i < 64 && !other; i++)
		if (set & BIT(i) && i != cpu_id())
			other = i;
	printf("hostile-lock-off: cell %u on CPU %u, mode %llu: CPU %u %s in a loop while this one %s\n",
	       comm_cell_id(), cpu_id(), mode, other, mode == 3 ? "locks and unlocks" : "locks",
	       mode == 2 ? "calls CPU_OFF" : mode == 3 ? "waits" : "calls SYSTEM_OFF");
	if (!other)
		inmate_panic("needs two CPUs, has %#llx", set);
	ret = cpu_start((cpu_mpidr() & ~0xffULL) | other, locker, NULL);
	if (ret)
		inmate_panic("CPU_ON of CPU %u returned %d (%s)", other, ret, psci_strerror(ret));
	while (first_ret == 1)
		cpu_relax();
	printf("hostile-lock-off: the first lock call returned %ld (%s)\n", first_ret,
	       first_ret ? "refused" : "locked");
	if (mode == 3) {
		for (;;)
			cpu_relax();
	}
	/* Let the other CPU go on locking a little, then end this one. */
	udelay(200 + comm_cell_id() * 37 % 500);
	if (mode == 2) {
		printf("hostile-lock-off: CPU_OFF after %llu lock calls (%llu refused)\n", calls, refused);
		ret = psci_cpu_off();
		inmate_panic("CPU_OFF returned %d (%s)", ret, psci_strerror(ret));
	}
	printf("hostile-lock-off: SYSTEM_OFF after %llu lock calls (%llu refused)\n", calls, refused);
	ret = psci_system_off();
	inmate_panic("SYSTEM_OFF returned %d (%s)", ret, psci_strerror(ret));
}
