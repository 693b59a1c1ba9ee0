// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-spin: says hello once, then spins forever without a single trap
 * to the hypervisor (no console, no PSCI, no interrupts, never polls): only
 * the hypervisor's kick can stop it. The quiet neighbour of the flooding
 * cells in tests/bench/hostile.sh, and the cell root tries to wedge in
 * tests/vm/cases/cell-root-gicr.sh by masking the kick in its CPU's
 * redistributor.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-spin";

int inmate_main(void)
{
	printf("hostile-spin: cell %u on CPU %u: spinning, no traps from now on\n", comm_cell_id(),
	       cpu_id());
	for (;;)
		cpu_relax();
}
