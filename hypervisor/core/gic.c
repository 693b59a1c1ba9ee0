// SPDX-License-Identifier: GPL-2.0-only
/*
 * The little of the GICv3 the hypervisor drives itself: its kick SGI (to
 * stop a cell's CPU), the event SPI it raises in root, and acknowledging
 * interrupts that reach EL2 on a cell's CPU (HCR_EL2.IMO is set there).
 */
#include <hv.h>
#include <arch/sysreg.h>

#define GICD_TYPER		0x0004
#define GICD_ISPENDR		0x0200
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1ULL << 4)
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ICPENDR0		0x0280

#define ICC_SGI1R_EL1		S3_0_C12_C11_5
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_DIR_EL1		S3_0_C12_C11_1
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_CTLR_EOIMODE	(1UL << 1)
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)

/* The redistributor frame of @cpu, found by affinity, or 0. */
u64 gic_frame_of(u32 cpu)
{
	u64 mpidr = hv.boot->mpidr[cpu];
	u64 aff = (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
	u64 frame = hv.sys->gicr_base;
	u32 n;

	for (n = 0; n < WARDEN_MAX_CPUS; n++, frame += GICR_STRIDE) {
		u64 typer = mmio_read64(frame + GICR_TYPER);

		if ((typer >> 32) == aff)
			return frame;
		if (typer & GICR_TYPER_LAST)
			break;
	}
	return 0;
}

/*
 * Allow (cell CPU) or forbid (root CPU) the kick SGI and the virtual
 * interface's maintenance interrupt on @cpu, dropping stale ones.
 */
void gic_kick_enable(u32 cpu, bool on)
{
	u64 frame = gic_frame_of(cpu);

	if (!frame)
		return;
	if (on)
		mmio_write32(frame + GICR_WAKER, mmio_read32(frame + GICR_WAKER) & ~GICR_WAKER_SLEEP);
	frame += GICR_SGI_BASE;
	if (on) {
		mmio_write32(frame + GICR_ISENABLER0, HV_PRIVATE_IRQS);
	} else {
		mmio_write32(frame + GICR_ICENABLER0, HV_PRIVATE_IRQS);
		mmio_write32(frame + GICR_ICPENDR0, HV_PRIVATE_IRQS);
	}
	dsb(sy);
}

void gic_send_sgi(u32 cpu, u32 sgi)
{
	u64 mpidr = hv.boot->mpidr[cpu];
	u64 v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
		(u64)sgi << 24 | ((mpidr >> 8) & 0xff) << 16 | BIT(mpidr & 0xf);

	dsb(ish);
	write_sysreg(v, ICC_SGI1R_EL1);
	isb();
}

/* INTIDs the distributor implements (GICD_TYPER.ITLinesNumber), at most 1020. */
u32 gic_num_irqs(void)
{
	u32 n = ((mmio_read32(hv.sys->gicd_base + GICD_TYPER) & 0x1f) + 1) * 32;

	return n > 1020 ? 1020 : n;
}

/* Raise the event SPI in root (its own interrupt, no polling). */
void notify_root(void)
{
	u32 irq = hv.sys->event_irq;

	if (!irq)
		return;
	dsb(ish);
	mmio_write32(hv.sys->gicd_base + GICD_ISPENDR + 4 * (irq / 32), 1U << (irq % 32));
}

