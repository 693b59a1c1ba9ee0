// SPDX-License-Identifier: MIT
/*
 * hostile-gicd: enables SPI 33 (the UART's interrupt, which root owns)
 * through the distributor: GICD_ISENABLER1 (GICD + 0x104), bit 1. The
 * distributor is not mapped in a cell; the hypervisor emulates accesses for
 * the SPIs the cell owns (none here) and fails the cell for any other
 * (WARDEN_FAULT_GIC). The line after the write must never appear.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-gicd";

#define GICD_ISENABLER1	(GICD_BASE + 0x104)
#define SPI		33

int inmate_main(void)
{
	printf("hostile-gicd: cell %u on CPU %u: enabling SPI %u (root's UART) through GICD_ISENABLER1 (0x%llx)\n",
	       comm_cell_id(), cpu_id(), SPI, GICD_ISENABLER1);
	writel((u32)BIT(SPI % 32), GICD_ISENABLER1);
	printf("hostile-gicd: the write was not refused: isolation FAILED\n");
	return 1;
}
