// SPDX-License-Identifier: MIT
/*
 * hostile-console-flood: every CPU of the cell writes to the cell's
 * console as fast as it can, 256-byte lines (WARDEN_CONSOLE_WRITE_MAX)
 * with one hypercall each, forever. Root must stay responsive next to it:
 * its cell list, stats and destroy, and its event interrupt must not storm
 * (tests/vm/cases/cell-starve.sh, tests/bench/hostile.sh). Passive.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-console-flood";

static void flood(void *arg)
{
	char line[WARDEN_CONSOLE_WRITE_MAX];
	unsigned int cpu = cpu_id(), n;
	u64 i;

	(void)arg;
	memset(line, '.', sizeof(line));
	line[sizeof(line) - 1] = '\n';
	for (i = 0;; i++) {
		n = (unsigned int)snprintf(line, sizeof(line), "hostile-console-flood: CPU %u line %llu ",
					   cpu, i);
		line[n] = '.';
		console_write(line, sizeof(line));
	}
}

int inmate_main(void)
{
	u64 set = comm_cpu_set();
	unsigned int i;
	int ret;

	printf("hostile-console-flood: cell %u on CPU %u: flooding the console from CPUs %#llx\n",
	       comm_cell_id(), cpu_id(), set);
	for (i = 0; i < INMATE_MAX_CPUS; i++) {
		if (!(set & BIT(i)) || i == cpu_id())
			continue;
		ret = cpu_start((cpu_mpidr() & ~0xffULL) | i, flood, NULL);
		if (ret)
			printf("hostile-console-flood: CPU_ON of CPU %u returned %d (%s)\n", i, ret,
			       psci_strerror(ret));
	}
	flood(NULL);
	return 0;
}
