// SPDX-License-Identifier: MIT
/*
 * hostile-sysreg: sends SGI 0 to CPU 0, a root CPU.
 *
 * GICv3: writes ICC_SGI1R_EL1 (Aff3.Aff2.Aff1 = 0.0.0, target list bit 0).
 * With interrupts routed to the hypervisor (HCR_EL2.IMO/FMO) the write
 * traps to EL2, which refuses an SGI for a CPU not the cell's: the cell
 * fails (WARDEN_FAULT_GIC). Should the system register interface be
 * disabled at EL1 instead, the write is an undefined instruction: the
 * library's vector reports it and the cell powers off.
 *
 * GICv2 has no such register (the write would be undefined): the same SGI
 * goes through the distributor's GICD_SGIR, target list CPU interface 0,
 * which the hypervisor refuses in the same way.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-sysreg";

#define SGI_INTID	0ULL
/* INTID in bits 27:24, Aff1/2/3 0, IRM 0, target list (bits 15:0): CPU with Aff0 0 */
#define SGI1R_VALUE	((SGI_INTID << 24) | BIT(0))
/* GICD_SGIR: filter 0 (the list), CPU target list (bits 23:16): interface 0 */
#define GICD_SGIR	0x0f00
#define SGIR_VALUE	((u32)(BIT(16) | SGI_INTID))

int inmate_main(void)
{
	if (gic_version() == 2) {
		printf("hostile-sysreg: cell %u on CPU %u: writing GICD_SGIR = 0x%x (SGI %llu to CPU interface 0, root's)\n",
		       comm_cell_id(), cpu_id(), SGIR_VALUE, SGI_INTID);
		writel(SGIR_VALUE, GICD_BASE + GICD_SGIR);
		dsb(sy);
	} else {
		printf("hostile-sysreg: cell %u on CPU %u: writing ICC_SGI1R_EL1 = 0x%llx (SGI %llu to CPU 0, root's)\n",
		       comm_cell_id(), cpu_id(), SGI1R_VALUE, SGI_INTID);
		asm volatile("msr S3_0_C12_C11_5, %0\n\tisb" : : "r"(SGI1R_VALUE) : "memory");
	}
	printf("hostile-sysreg: still alive: the write was not refused\n");
	return 1;
}
