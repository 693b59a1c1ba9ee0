// SPDX-License-Identifier: MIT
/*
 * hostile-read-root: reads guest address 0x40000000, where root's RAM is in
 * physical terms; the cell's stage 2 does not map it. Expected: the cell
 * fails with a data abort at that address and the second line never shows.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-read-root";

#define TARGET	0x40000000ULL

int inmate_main(void)
{
	u32 v;

	printf("hostile-read-root: cell %u on CPU %u: reading 0x%llx (root's RAM)\n",
	       comm_cell_id(), cpu_id(), TARGET);
	v = readl(TARGET);
	printf("hostile-read-root: read 0x%08x: isolation FAILED\n", v);
	return 1;
}
