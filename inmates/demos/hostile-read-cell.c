// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-read-cell: reads a guest address beyond the cell's own RAM (its
 * end + 16 MiB). The cell's RAM is the 1 MiB at guest 0 that
 * cells.d/hostile-read-cell.yaml gives it. Expected: the cell fails with a
 * data abort at that address.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-read-cell";

#define CELL_RAM_SIZE	0x100000ULL	/* cells.d/hostile-read-cell.yaml */
#define TARGET		(CELL_RAM_SIZE + 0x1000000ULL)

int inmate_main(void)
{
	u32 v;

	printf("hostile-read-cell: cell %u on CPU %u: reading 0x%llx, 16 MiB past this cell's RAM\n",
	       comm_cell_id(), cpu_id(), TARGET);
	v = readl(TARGET);
	printf("hostile-read-cell: read 0x%08x: isolation FAILED\n", v);
	return 1;
}
