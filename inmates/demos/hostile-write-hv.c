// SPDX-License-Identifier: MIT
/*
 * hostile-write-hv: writes guest address 0x70000000, where the hypervisor's
 * memory is in physical terms; the cell's stage 2 does not map it.
 * Expected: the cell fails with a data abort (a write) at that address.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-write-hv";

#define TARGET	0x70000000ULL
#define VALUE	0xdeadbeefU

int inmate_main(void)
{
	printf("hostile-write-hv: cell %u on CPU %u: writing 0x%08x to 0x%llx (the hypervisor's memory)\n",
	       comm_cell_id(), cpu_id(), VALUE, TARGET);
	writel(VALUE, TARGET);
	printf("hostile-write-hv: the write did not fault: isolation FAILED\n");
	printf("hostile-write-hv: 0x%llx reads back 0x%08x\n", TARGET, readl(TARGET));
	return 1;
}
