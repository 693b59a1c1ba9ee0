// SPDX-License-Identifier: MIT
/*
 * hostile-ppi-pending: leaves its CPU's private interrupts pending. It
 * writes all ones to GICR_ISPENDR0 of its own redistributor, which the
 * hypervisor emulates for the cell (all but the kick SGI and the
 * maintenance PPI): SGIs 0-14 and PPIs 16-31 pending, with nobody to take
 * them. Then it powers off. When the cell is destroyed the CPU goes back
 * to Linux, whose IPIs are SGIs 0-7 (SGI 2 stops the CPU for good): the
 * CPU must come back as Linux left it, nothing of the cell's pending
 * state with it (issue 10, class 5, from a cell to root). Found by
 * fuzz-cell (tests/vm/cases/hv-fuzz.sh); tests/vm/cases/cell-ppi-pending.sh.
 * On GICv2 the same word is the distributor's GICD_ISPENDR0, banked per
 * CPU (where SGIs cannot be set pending: PPIs only). Passive.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-ppi-pending";

#define GICR_ISPENDR0	0x0200
#define GICD_ISPENDR0	0x0200

int inmate_main(void)
{
	u64 sgi_base = GICR_BASE + cpu_id() * GICR_STRIDE + GICR_SGI_OFFSET;
	u64 reg = sgi_base + GICR_ISPENDR0;
	const char *where = "its redistributor";

	if (gic_version() == 2) {
		reg = GICD_BASE + GICD_ISPENDR0;
		where = "the distributor's banked word";
	}
	printf("hostile-ppi-pending: cell %u on CPU %u: every SGI and PPI pending in %s (%#llx)\n",
	       comm_cell_id(), cpu_id(), where, reg);
	writel(0xffffffff, reg);
	printf("hostile-ppi-pending: done, powering off\n");
	return 0;
}
