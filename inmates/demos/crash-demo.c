// SPDX-License-Identifier: MIT
/*
 * crash-demo: counts down three seconds, then reads guest address
 * 0x40000000. The cell has only its RAM at guest 0 (and the communication
 * page): the address is root's RAM in physical terms and unmapped in the
 * cell's stage 2, so the read traps to the hypervisor, which fails the cell
 * (WARDEN_FAULT_DATA_ABORT). The line after the read must never appear.
 */
#include <inmate.h>

const char inmate_name[] = "crash-demo";

#define TARGET	0x40000000ULL

int inmate_main(void)
{
	u32 v;

	printf("crash-demo: cell %u on CPU %u: in 3 s I will read 0x%llx, memory this cell does not own\n",
	       comm_cell_id(), cpu_id(), TARGET);
	for (int i = 3; i > 0; i--) {
		u64 deadline = timer_deadline_us(1000000);

		printf("crash-demo: %d...\n", i);
		while (!timer_passed(deadline)) {
			comm_poll_shutdown("shutdown requested before the crash: approving");
			udelay(1000);
		}
	}
	printf("crash-demo: reading 0x%llx now\n", TARGET);
	v = readl(TARGET);
	printf("crash-demo: still alive (the read did not fault!)\n");
	printf("crash-demo: read 0x%08x from 0x%llx\n", v, TARGET);
	return 1;
}
