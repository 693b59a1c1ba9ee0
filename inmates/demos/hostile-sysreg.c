// SPDX-License-Identifier: GPL-2.0-only
/*
 * hostile-sysreg: writes ICC_SGI1R_EL1 to send SGI 0 to CPU 0 (Aff3.Aff2.Aff1
 * = 0.0.0, target list bit 0), a root CPU. With interrupts routed to the
 * hypervisor (HCR_EL2.IMO/FMO) the write traps to EL2, which refuses an SGI
 * for a CPU not the cell's: the cell fails (WARDEN_FAULT_GIC). Should the
 * system register interface be disabled at EL1 instead, the write is an
 * undefined instruction: the library's vector reports it and the cell
 * powers off.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-sysreg";

#define SGI_INTID	0ULL
/* INTID in bits 27:24, Aff1/2/3 0, IRM 0, target list (bits 15:0): CPU with Aff0 0 */
#define SGI1R_VALUE	((SGI_INTID << 24) | BIT(0))

int inmate_main(void)
{
	printf("hostile-sysreg: cell %u on CPU %u: writing ICC_SGI1R_EL1 = 0x%llx (SGI %llu to CPU 0, root's)\n",
	       comm_cell_id(), cpu_id(), SGI1R_VALUE, SGI_INTID);
	asm volatile("msr S3_0_C12_C11_5, %0\n\tisb" : : "r"(SGI1R_VALUE) : "memory");
	printf("hostile-sysreg: still alive: the write was not refused\n");
	return 1;
}
