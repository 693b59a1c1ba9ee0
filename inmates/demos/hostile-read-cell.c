// SPDX-License-Identifier: MIT
/*
 * hostile-read-cell: reads 0x71000000, where another cell (hello) has its
 * RAM. A cell names only guest addresses, and its stage 2 maps nothing but
 * its own 1 MiB at guest 0 (cells.d/hostile-read-cell.yaml), so another
 * cell's memory cannot even be named. Expected: the cell fails with a data
 * abort at that address, and hello runs on.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-read-cell";

/* hello's RAM (cells.d/hello.yaml, host 0x71000000): another cell's memory */
#define TARGET		0x71000000ULL

int inmate_main(void)
{
	u32 v;

	printf("hostile-read-cell: cell %u on CPU %u: reading 0x%llx, where hello's RAM is\n",
	       comm_cell_id(), cpu_id(), TARGET);
	v = readl(TARGET);
	printf("hostile-read-cell: read 0x%08x: isolation FAILED\n", v);
	return 1;
}
