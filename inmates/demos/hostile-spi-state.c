// SPDX-License-Identifier: MIT
/*
 * hostile-spi-state: reconfigures its own SPI (OWN_SPI, 120, free on QEMU
 * virt) every way the distributor allows, and leaves it so: priority 0x40,
 * edge-triggered, routed to its own CPU, enabled, taken once, then pending
 * again with its interrupts masked. When the cell is destroyed the SPI
 * must go back to root exactly as root had it (group, priority, trigger,
 * routing, enable, pending, active): tests/vm/cases/cell-spi-state.sh
 * compares the distributor's registers before and after. On GICv2 the
 * routing is the SPI's GICD_ITARGETSR byte, set to this CPU's interface
 * (the banked byte 0 reads as it). Passive.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-spi-state";

#define OWN_SPI		120
#define GICD_ISENABLER	0x0100
#define GICD_ISPENDR	0x0200
#define GICD_IPRIORITYR	0x0400
#define GICD_ITARGETSR	0x0800
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000
#define D(off)		(GICD_BASE + (off))
#define BIT_REG(base)	D((base) + OWN_SPI / 32 * 4)
#define OWN_BIT		(1U << (OWN_SPI % 32))

static volatile u64 taken;

static void handler(unsigned int intid, void *data)
{
	(void)data;
	taken++;
	printf("hostile-spi-state: SPI %u taken on CPU %u\n", intid, cpu_id());
}

int inmate_main(void)
{
	u32 cfg;
	u64 deadline;

	printf("hostile-spi-state: cell %u on CPU %u: reconfiguring SPI %u\n", comm_cell_id(), cpu_id(),
	       OWN_SPI);
	gic_init();
	gic_set_handler(OWN_SPI, handler, NULL);
	writeb(0x40, D(GICD_IPRIORITYR + OWN_SPI));
	cfg = readl(D(GICD_ICFGR + OWN_SPI / 16 * 4));
	writel(cfg | 2U << (OWN_SPI % 16) * 2, D(GICD_ICFGR + OWN_SPI / 16 * 4));
	if (gic_version() == 2)
		writeb(readb(D(GICD_ITARGETSR)), D(GICD_ITARGETSR + OWN_SPI));
	else
		writeq(cpu_mpidr(), D(GICD_IROUTER + 8ULL * OWN_SPI));
	writel(OWN_BIT, BIT_REG(GICD_ISENABLER));
	local_irq_enable();
	writel(OWN_BIT, BIT_REG(GICD_ISPENDR));
	deadline = timer_deadline_us(1000000);
	while (!taken && !timer_passed(deadline))
		cpu_relax();
	local_irq_disable();
	writel(OWN_BIT, BIT_REG(GICD_ISPENDR));
	printf("hostile-spi-state: priority 0x%x, ICFGR 0x%x, %s 0x%llx, taken %llu time(s), pending again with interrupts masked\n",
	       readb(D(GICD_IPRIORITYR + OWN_SPI)), readl(D(GICD_ICFGR + OWN_SPI / 16 * 4)),
	       gic_version() == 2 ? "ITARGETSR" : "IROUTER",
	       gic_version() == 2 ? readb(D(GICD_ITARGETSR + OWN_SPI)) :
				    readq(D(GICD_IROUTER + 8ULL * OWN_SPI)), taken);
	printf("hostile-spi-state: reconfigured\n");
	for (;;)
		cpu_relax();
}
