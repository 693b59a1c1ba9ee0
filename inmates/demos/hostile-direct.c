// SPDX-License-Identifier: MIT
/*
 * hostile-direct: attacks on the hypervisor's hold on a cell with direct
 * interrupt delivery (interrupts: direct, GICv3). Such a cell drives the
 * physical CPU interface for its own Group 1 interrupts; the hypervisor
 * stops it with a Group 0 SGI at the highest priority, a FIQ to EL2. Each
 * mode tries to keep that kick out, or to reach what is not the cell's,
 * then spins with every exception masked; the test then destroys the cell
 * and checks its CPU comes back to root.
 *
 * One mode a run, from the word root loads at MODE_ADDR (MODE_* below):
 *
 *   hold      acknowledge its own timer interrupt and never end it
 *   pmr       ICC_PMR_EL1 0, ICC_IGRPEN0_EL1 0, ICC_CTLR_EL1 0 (all of
 *             them virtual for a direct cell: nothing is masked)
 *   bpr       ICC_BPR1_EL1 7 and an own SGI at priority 0 held active: the
 *             hypervisor folds the priority to 0x80, below the kick's
 *   ap1r      ICC_AP1R0_EL1 1: the running priority becomes 0x00 and the
 *             kick cannot preempt; the hypervisor revokes the stage 2
 *   sgi0r     ICC_SGI0R_EL1 (a Group 0 SGI, the kick's group): refused
 *   asgi1r    ICC_ASGI1R_EL1: refused
 *   kick      ICC_SGI1R_EL1 with the kick's INTID to itself: refused
 *   group0    its own SPI moved to Group 0 through GICD_IGROUPR: ignored,
 *             the SPI still arrives as the cell's IRQ
 *   eoi       ICC_EOIR1_EL1 of an interrupt that is not its own (root's
 *             UART, 33), then spins: root keeps its interrupts
 *   ap1r-wfi  as ap1r, then waits in WFI for ever: nothing can wake the
 *             CPU; the hypervisor quarantines it (interrupts: direct) or
 *             stops it at its next wait (interrupts: direct-strict)
 *   ap1r-wfe  as ap1r-wfi, with WFE and the timer's event stream off
 */
#include <inmate.h>

const char inmate_name[] = "hostile-direct";

#define MODE_ADDR	0xf0000ULL
#define OWN_SPI		41
#define OWN_SGI		2
#define ROOT_SPI	33

#define ICC_PMR_EL1	S3_0_C4_C6_0
#define ICC_AP1R0_EL1	S3_0_C12_C9_0
#define ICC_ASGI1R_EL1	S3_0_C12_C11_6
#define ICC_SGI0R_EL1	S3_0_C12_C11_7
#define ICC_SGI1R_EL1	S3_0_C12_C11_5
#define ICC_IAR1_EL1	S3_0_C12_C12_0
#define ICC_EOIR1_EL1	S3_0_C12_C12_1
#define ICC_BPR1_EL1	S3_0_C12_C12_3
#define ICC_CTLR_EL1	S3_0_C12_C12_4
#define ICC_IGRPEN0_EL1	S3_0_C12_C12_6
#define CNTKCTL_EL1	S3_0_C14_C1_0
#define GICD_IGROUPR	0x0080
#define GICD_ISPENDR	0x0200
#define GICR_IPRIORITYR	0x0400

#define msr(reg, v)	asm volatile("msr " #reg ", %0\n\tisb" : : "r"((u64)(v)) : "memory")
#define mrs(reg)	({ u64 __v; asm volatile("mrs %0, " #reg : "=r"(__v)); __v; })

enum { MODE_HOLD, MODE_PMR, MODE_BPR, MODE_AP1R, MODE_SGI0R, MODE_ASGI1R, MODE_KICK,
	MODE_GROUP0, MODE_EOI, MODE_AP1R_WFI, MODE_AP1R_WFE, MODE_MAX };

static const char *const mode_names[MODE_MAX] = {
	"hold", "pmr", "bpr", "ap1r", "sgi0r", "asgi1r", "kick", "group0", "eoi", "ap1r-wfi",
	"ap1r-wfe",
};

static volatile u64 spi_irqs;

/* Everything masked, for ever: only the hypervisor gets this CPU back. */
static void __attribute__((noreturn)) spin(void)
{
	printf("hostile-direct: spinning with DAIF masked\n");
	asm volatile("msr daifset, #0xf" : : : "memory");
	for (;;)
		cpu_relax();
}

static void own_spi(unsigned int intid, void *data)
{
	(void)intid, (void)data;
	spi_irqs++;
}

/* Acknowledge the next interrupt by hand (IRQs masked) and keep it active. */
static u64 take_and_hold(void)
{
	u64 iar;

	while (((iar = mrs(ICC_IAR1_EL1)) & 0xffffff) >= 1020)
		cpu_relax();
	printf("hostile-direct: holding INTID %llu active\n", iar & 0xffffff);
	return iar;
}

/* The kick kept out, then a wait that nothing ends. */
static void __attribute__((noreturn)) block_and_wait(bool wfe)
{
	asm volatile("msr daifset, #0xf" : : : "memory");
	msr(CNTKCTL_EL1, 0);		/* no event stream to end a WFE */
	msr(ICC_AP1R0_EL1, 1);
	printf("hostile-direct: ICC_AP1R0_EL1 0x%llx, waiting in %s\n", mrs(ICC_AP1R0_EL1),
	       wfe ? "WFE" : "WFI");
	for (;;) {
		if (wfe)
			asm volatile("wfe" : : : "memory");
		else
			asm volatile("wfi" : : : "memory");
	}
}

static void run(u64 mode)
{
	u64 mpidr = cpu_mpidr();
	u64 self_sgi1r = ((mpidr >> 8) & 0xff) << 16 | BIT(mpidr & 0xf);

	switch (mode) {
	case MODE_HOLD:
		gic_enable_irq(TIMER_PPI_PHYS);
		timer_irq_arm(timer_phys_counter() + 1000);
		take_and_hold();
		spin();
	case MODE_PMR:
		asm volatile("msr daifset, #0xf" : : : "memory");
		msr(ICC_PMR_EL1, 0);
		msr(ICC_IGRPEN0_EL1, 0);
		msr(ICC_CTLR_EL1, 0);
		printf("hostile-direct: PMR 0x%llx IGRPEN0 0x%llx CTLR 0x%llx as the cell sees them\n",
		       mrs(ICC_PMR_EL1), mrs(ICC_IGRPEN0_EL1), mrs(ICC_CTLR_EL1));
		spin();
	case MODE_BPR:
		msr(ICC_BPR1_EL1, 7);
		writeb(0, gic_redist_base() + 0x10000 + GICR_IPRIORITYR + OWN_SGI);
		printf("hostile-direct: SGI %u priority reads 0x%x\n", OWN_SGI,
		       readb(gic_redist_base() + 0x10000 + GICR_IPRIORITYR + OWN_SGI));
		gic_enable_irq(OWN_SGI);
		/* The priority write above came first: enable wrote the default again. */
		writeb(0, gic_redist_base() + 0x10000 + GICR_IPRIORITYR + OWN_SGI);
		gic_send_sgi(mpidr, OWN_SGI);
		take_and_hold();
		spin();
	case MODE_AP1R:
		asm volatile("msr daifset, #0xf" : : : "memory");
		msr(ICC_AP1R0_EL1, 1);
		printf("hostile-direct: ICC_AP1R0_EL1 0x%llx\n", mrs(ICC_AP1R0_EL1));
		spin();
	case MODE_SGI0R:
		printf("hostile-direct: ICC_SGI0R_EL1 to itself\n");
		msr(ICC_SGI0R_EL1, self_sgi1r | 15ULL << 24);
		break;
	case MODE_ASGI1R:
		printf("hostile-direct: ICC_ASGI1R_EL1 to itself\n");
		msr(ICC_ASGI1R_EL1, self_sgi1r | 1ULL << 24);
		break;
	case MODE_KICK:
		printf("hostile-direct: ICC_SGI1R_EL1 with INTID 15 to itself\n");
		msr(ICC_SGI1R_EL1, self_sgi1r | 15ULL << 24);
		break;
	case MODE_GROUP0:
		gic_set_handler(OWN_SPI, own_spi, NULL);
		gic_enable_irq(OWN_SPI);
		writel(0, GICD_BASE + GICD_IGROUPR + 4 * (OWN_SPI / 32));
		printf("hostile-direct: SPI %u group after writing 0: %u\n", OWN_SPI,
		       readl(GICD_BASE + GICD_IGROUPR + 4 * (OWN_SPI / 32)) >> (OWN_SPI % 32) & 1);
		local_irq_enable();
		writel(BIT(OWN_SPI % 32), GICD_BASE + GICD_ISPENDR + 4 * (OWN_SPI / 32));
		for (u64 end = timer_deadline_us(100000); !spi_irqs && !timer_passed(end);)
			cpu_relax();
		printf("hostile-direct: SPI %u taken as an IRQ %llu times\n", OWN_SPI, spi_irqs);
		spin();
	case MODE_EOI:
		printf("hostile-direct: ICC_EOIR1_EL1 = %u (root's UART)\n", ROOT_SPI);
		msr(ICC_EOIR1_EL1, ROOT_SPI);
		spin();
	case MODE_AP1R_WFI:
	case MODE_AP1R_WFE:
		block_and_wait(mode == MODE_AP1R_WFE);
	default:
		printf("hostile-direct: unknown mode %llu\n", mode);
		return;
	}
	printf("hostile-direct: still alive: the write was not refused\n");
}

int inmate_main(void)
{
	u64 mode = readq(MODE_ADDR);

	printf("hostile-direct: cell %u on CPU %u: mode %llu (%s)\n", comm_cell_id(), cpu_id(), mode,
	       mode < MODE_MAX ? mode_names[mode] : "?");
	if (gic_version() != 3) {
		printf("hostile-direct: needs GICv3\n");
		return 1;
	}
	gic_init();
	run(mode);
	return 1;
}
