// SPDX-License-Identifier: MIT
/*
 * hostile-write-root: writes guest address 0x40000000, where root's RAM is
 * in physical terms; the cell's stage 2 does not map it. Expected: the cell
 * fails with a data abort (a write) at that address, and root's memory is
 * untouched.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-write-root";

#define TARGET	0x40000000ULL
#define VALUE	0xdeadbeefU

int inmate_main(void)
{
	printf("hostile-write-root: cell %u on CPU %u: writing 0x%08x to 0x%llx (root's RAM)\n",
	       comm_cell_id(), cpu_id(), VALUE, TARGET);
	writel(VALUE, TARGET);
	printf("hostile-write-root: the write did not fault: isolation FAILED\n");
	printf("hostile-write-root: 0x%llx reads back 0x%08x\n", TARGET, readl(TARGET));
	return 1;
}
