// SPDX-License-Identifier: MIT
/*
 * hostile-spin: says hello once, then spins on every CPU of its cell
 * forever without a single trap to the hypervisor (no console, no PSCI, no
 * interrupts, never polls, not even a yield): only the hypervisor's kick
 * can stop it. The quiet neighbour against which tests/bench/hostile.sh
 * sets the flooding cells, and the cell root tries to wedge in
 * tests/vm/cases/cell-root-gicr.sh by masking the kick in its CPU's
 * redistributor.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-spin";

static void __noreturn spin(void *arg)
{
	(void)arg;
	/* Not even a yield: under single-threaded TCG that would hand root the host CPU. */
	for (;;)
		asm volatile("" : : : "memory");
}

int inmate_main(void)
{
	u64 set = comm_cpu_set();
	unsigned int i;
	int ret;

	printf("hostile-spin: cell %u on CPU %u: spinning on CPUs %#llx, no traps from now on\n",
	       comm_cell_id(), cpu_id(), set);
	for (i = 0; i < INMATE_MAX_CPUS; i++) {
		if (!(set & BIT(i)) || i == cpu_id())
			continue;
		ret = cpu_start((cpu_mpidr() & ~0xffULL) | i, spin, NULL);
		if (ret)
			printf("hostile-spin: CPU_ON of CPU %u returned %d (%s)\n", i, ret,
			       psci_strerror(ret));
	}
	spin(NULL);
}
