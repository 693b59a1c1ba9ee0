// SPDX-License-Identifier: GPL-2.0-only
/*
 * GICv3: the CPU interface in system registers (ICC_*_EL1 physical at EL2,
 * ICH_*_EL2 the virtual interface), one redistributor frame pair (RD and
 * SGI) per CPU, routing by affinity (GICD_IROUTER) and SGIs through
 * ICC_SGI1R_EL1, which HCR_EL2.IMO traps for a cell.
 *
 * A cell's redistributor frames trap like its distributor, so that it can
 * neither mask the kick SGI nor the maintenance interrupt, nor put its
 * redistributor to sleep: a cell can always be stopped. While the cell
 * exists, root loses its CPUs' SGI frames and may only read their RD
 * frames.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include <arch/sysreg.h>
#include "gic.h"
#include "gic-inject.h"

#define GICR_STRIDE		0x20000	/* RD frame, then SGI frame */
#define GICR_SGI_BASE		0x10000

#define GICD_TYPER2		0x000c
#define GICD_IROUTER		0x6000
#define GICD_ID_REGS		0xffd0
#define GICD_PIDR2		0xffe8

#define GICR_CTLR		0x0000
#define GICR_CTLR_RWP		(1U << 3)
#define GICR_TYPER		0x0008
#define GICR_TYPER_LAST		(1ULL << 4)
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	(1U << 1)
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ICPENDR0		0x0280
#define GICR_ICACTIVER0		0x0380
#define GICR_IGROUPR0		0x0080
#define GICR_IPRIORITYR		0x0400

#define ICC_IAR0_EL1		S3_0_C12_C8_0
#define ICC_BPR0_EL1		S3_0_C12_C8_3
#define ICC_AP0R0_EL1		S3_0_C12_C8_4
#define ICC_AP1R0_EL1		S3_0_C12_C9_0
#define ICC_AP1R1_EL1		S3_0_C12_C9_1
#define ICC_AP1R2_EL1		S3_0_C12_C9_2
#define ICC_AP1R3_EL1		S3_0_C12_C9_3
#define ICC_SGI0R_EL1		S3_0_C12_C11_7
#define ICC_IGRPEN0_EL1		S3_0_C12_C12_6
#define ICC_EOIR0_EL1		S3_0_C12_C8_1
#define ICC_SGI1R_EL1		S3_0_C12_C11_5
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_DIR_EL1		S3_0_C12_C11_1
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_CTLR_EOIMODE	(1UL << 1)
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_RPR_EL1		S3_0_C12_C11_3
#define ICH_AP1R0_EL2		S3_4_C12_C9_0
#define ICH_HCR_EL2		S3_4_C12_C11_0
#define ICH_VTR_EL2		S3_4_C12_C11_1
#define ICH_ELRSR_EL2		S3_4_C12_C11_5
#define ICH_VMCR_EL2		S3_4_C12_C11_7
#define ICH_HCR_EN		(1UL << 0)
#define ICH_HCR_UIE		(1UL << 1)

#define LR_STATE_PENDING	(1ULL << 62)
#define LR_STATE_MASK		(3ULL << 62)
#define LR_HW			(1ULL << 61)
#define LR_GROUP1		(1ULL << 60)
#define LR_PRIO_SHIFT		48
#define LR_PINTID_SHIFT		32
#define LR_DEFAULT_PRIO		0xa0ULL

#define RWP_WAIT_LOOPS		100000

/* Bytes of the redistributor frames, up to the highest CPU of the system. */
static u64 redists_size(void)
{
	return GICR_STRIDE * (64 - __builtin_clzll(hv.sys->cpu_set));
}

/* The redistributor frame of @cpu, found by affinity, or 0. */
static u64 frame_of(u32 cpu)
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

/* ---------------------------------------------------------------------- */
/* The CPU interface and list registers */

static u32 v3_lr_count(void)
{
	return (read_sysreg(ICH_VTR_EL2) & 0x1f) + 1;
}

static u64 read_lr(u32 n)
{
	switch (n) {
	case 0: return read_sysreg(S3_4_C12_C12_0);
	case 1: return read_sysreg(S3_4_C12_C12_1);
	case 2: return read_sysreg(S3_4_C12_C12_2);
	case 3: return read_sysreg(S3_4_C12_C12_3);
	case 4: return read_sysreg(S3_4_C12_C12_4);
	case 5: return read_sysreg(S3_4_C12_C12_5);
	case 6: return read_sysreg(S3_4_C12_C12_6);
	default: return read_sysreg(S3_4_C12_C12_7);
	}
}

static void write_lr(u32 n, u64 v)
{
	switch (n) {
	case 0: write_sysreg(v, S3_4_C12_C12_0); break;
	case 1: write_sysreg(v, S3_4_C12_C12_1); break;
	case 2: write_sysreg(v, S3_4_C12_C12_2); break;
	case 3: write_sysreg(v, S3_4_C12_C12_3); break;
	case 4: write_sysreg(v, S3_4_C12_C12_4); break;
	case 5: write_sysreg(v, S3_4_C12_C12_5); break;
	case 6: write_sysreg(v, S3_4_C12_C12_6); break;
	default: write_sysreg(v, S3_4_C12_C12_7); break;
	}
}

static u64 v3_lr_empty(void)
{
	return read_sysreg(ICH_ELRSR_EL2);
}

static bool v3_lr_find(u32 n, u32 intid)
{
	u64 lr = read_lr(n);

	return lr & LR_STATE_MASK && (u32)lr == intid;
}

static void v3_lr_pend(u32 n)
{
	write_lr(n, read_lr(n) | LR_STATE_PENDING);
}

/*
 * The interrupt's own priority, as the cell set it (its CPU's SGI frame or
 * the distributor): the virtual interface orders and preempts by it as the
 * physical one would.
 */
static u64 prio_of(u32 intid)
{
	u64 sgi = this_cpu()->arch.gicr_sgi;

	if (intid < WARDEN_IRQ_SPI_FIRST)
		return sgi ? mmio_read8(sgi + GICR_IPRIORITYR + intid) : LR_DEFAULT_PRIO;
	return mmio_read8(hv.sys->gicd_base + GICD_IPRIORITYR + intid);
}

static void v3_lr_put(u32 n, u32 intid, bool hw)
{
	u64 lr = LR_STATE_PENDING | LR_GROUP1 | prio_of(intid) << LR_PRIO_SHIFT | intid;

	if (hw)
		lr |= LR_HW | (u64)intid << LR_PINTID_SHIFT;
	write_lr(n, lr);
}

static void v3_lr_clear(u32 n)
{
	u64 lr = read_lr(n);

	if (lr & LR_HW && lr & LR_STATE_MASK)
		write_sysreg((lr >> LR_PINTID_SHIFT) & 0x1fff, ICC_DIR_EL1);
	write_lr(n, 0);
}

static void v3_underflow(bool on)
{
	write_sysreg(ICH_HCR_EN | (on ? ICH_HCR_UIE : 0), ICH_HCR_EL2);
}

static u32 v3_ack(bool group0)
{
	return (u32)(group0 ? read_sysreg(ICC_IAR0_EL1) : read_sysreg(ICC_IAR1_EL1)) & 0xffffff;
}

static void v3_drop(u32 intid, bool group0)
{
	if (group0)
		write_sysreg(intid, ICC_EOIR0_EL1);
	else
		write_sysreg(intid, ICC_EOIR1_EL1);
}

static void v3_deactivate(u32 intid)
{
	write_sysreg(intid, ICC_DIR_EL1);
	isb();
}

static const struct gic_cpuif v3_cpuif = {
	.intid_mask = 0xffffff,
	.lr_count = v3_lr_count,
	.lr_empty = v3_lr_empty,
	.lr_find = v3_lr_find,
	.lr_pend = v3_lr_pend,
	.lr_put = v3_lr_put,
	.lr_clear = v3_lr_clear,
	.underflow = v3_underflow,
	.ack = v3_ack,
	.drop = v3_drop,
	.deactivate = v3_deactivate,
};

/*
 * A direct cell's CPU takes only the kick at EL2, as a Group 0 FIQ. The
 * CPU interface runs EOImode 0 there (the cell's EOI must deactivate, and
 * its DIR is virtual), so the EOI both drops and deactivates.
 */
static void direct_fiq(void)
{
	struct per_cpu *p = this_cpu();
	u32 intid = (u32)read_sysreg(ICC_IAR0_EL1) & 0xffffff;

	if (intid >= GIC_SPURIOUS)
		return;
	write_sysreg(intid, ICC_EOIR0_EL1);
	isb();
	if (intid == KICK_SGI)
		cell_kicked();
	else
		cell_log(p->cell, "CPU %u: Group 0 interrupt %u on a direct cell's CPU; dropped\n",
			 p->cpu, intid);
}

static void v3_irq(bool fiq)
{
	if (this_cpu()->arch.direct) {
		if (fiq)
			direct_fiq();
		return;		/* IMO clear: no IRQ comes here */
	}
	gic_handle_irq(&v3_cpuif, fiq);
}

/*
 * A direct cell's CPU may wait in the hypervisor unless its running
 * priority (which it raises by writing AP1R<n>) is as high as the kick's,
 * which is 0: then nothing could wake it.
 */
static bool v3_may_wait(void)
{
	return !this_cpu()->arch.direct || (read_sysreg(ICC_RPR_EL1) & 0xff) != 0;
}

/* The physical active priorities, which a direct cell writes itself (AP1R<n>). */
static void clear_active_priorities(void)
{
	u32 pribits = (read_sysreg(ICC_CTLR_EL1) >> 8) & 7;	/* priority bits - 1 */

	write_sysreg(0, ICC_AP0R0_EL1);
	write_sysreg(0, ICC_AP1R0_EL1);
	if (pribits >= 5)		/* 6 bits: AP1R1 too; 7 bits: AP1R2 and AP1R3 */
		write_sysreg(0, ICC_AP1R1_EL1);
	if (pribits >= 6) {
		write_sysreg(0, ICC_AP1R2_EL1);
		write_sysreg(0, ICC_AP1R3_EL1);
	}
	isb();
}

/*
 * A direct cell's CPU: its Group 1 interrupts go to EL1 through the
 * physical CPU interface (HCR_EL2.IMO clear), the kick is a Group 0 SGI at
 * the highest priority that reaches EL2 as a FIQ (FMO set), whatever the
 * cell masks. The cell's private interrupts get the folded default
 * priority; its Group 1 enable starts off, as on a CPU out of reset.
 */
static void direct_on(struct per_cpu *p)
{
	u64 sgi = frame_of(p->cpu) + GICR_SGI_BASE;
	u32 n;

	write_sysreg(0, ICH_HCR_EL2);
	write_sysreg(0, ICH_VMCR_EL2);
	write_sysreg(0xff, ICC_PMR_EL1);
	write_sysreg(0, ICC_BPR0_EL1);
	write_sysreg(0, ICC_CTLR_EL1);		/* EOImode 0: the cell's EOI deactivates */
	write_sysreg(0, ICC_IGRPEN1_EL1);
	clear_active_priorities();
	if (sgi != GICR_SGI_BASE) {
		mmio_write32(sgi + GICR_IGROUPR0, ~BIT(KICK_SGI) & 0xffffffff);
		for (n = 0; n < 32; n++)
			mmio_write8(sgi + GICR_IPRIORITYR + n, n == KICK_SGI ? 0 : prio_to_hw(0xa0));
		dsb(sy);
	}
	write_sysreg(1, ICC_IGRPEN0_EL1);
	isb();
	p->arch.direct = true;
}

/* A cell's CPU, just powered on: the CPU interface for trap and inject, or direct. */
static void v3_vcpu_on(struct per_cpu *p)
{
	u32 n;

	gic_vcpu_on(p);
	if (p->cell->cfg->flags & WARDEN_CELL_IRQ_DIRECT) {
		direct_on(p);
		return;
	}
	write_sysreg(0xff, ICC_PMR_EL1);
	write_sysreg(ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
	write_sysreg(1, ICC_IGRPEN1_EL1);
	for (n = 0; n < v3_lr_count(); n++)
		write_lr(n, 0);
	write_sysreg(0, ICH_AP1R0_EL2);
	write_sysreg(0, ICH_VMCR_EL2);
	write_sysreg(ICH_HCR_EN, ICH_HCR_EL2);
	isb();
}

/*
 * The CPU leaves its cell. A direct cell may leave active priorities,
 * group enables and a Group 0 kick behind: all cleared, the kick back in
 * Group 1 where root's CPUs keep it disabled. Active and pending state of
 * its interrupts is cleared with its CPUs' (cell_cpus_reset) and SPIs'
 * (cell_give_back) configuration.
 */
static void v3_vcpu_off(struct per_cpu *p)
{
	u64 sgi = frame_of(p->cpu) + GICR_SGI_BASE;

	if (p->arch.direct) {
		write_sysreg(0, ICC_IGRPEN0_EL1);
		write_sysreg(0, ICC_IGRPEN1_EL1);
		clear_active_priorities();
		if (sgi != GICR_SGI_BASE)
			mmio_write32(sgi + GICR_IGROUPR0, ~0U);
		p->arch.direct = false;
	} else {
		gic_vcpu_off(&v3_cpuif, p);
	}
	write_sysreg(0, ICH_HCR_EL2);
	write_sysreg(0, ICC_CTLR_EL1);
	isb();
}

/* ---------------------------------------------------------------------- */
/* The hypervisor's own interrupts */

/*
 * Allow (cell CPU) or forbid (root CPU) the kick SGI and the virtual
 * interface's maintenance interrupt on this CPU, dropping stale ones.
 */
static void v3_cpu_init(struct per_cpu *p)
{
	u64 frame = frame_of(p->cpu);
	bool on = READ_ONCE(p->cell) != NULL;

	p->arch.gicr_sgi = frame ? frame + GICR_SGI_BASE : 0;
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

/* The kick: Group 0 to a direct cell's CPU (a FIQ at EL2), else Group 1 (an IRQ at EL2). */
static void v3_kick(u32 cpu)
{
	u64 mpidr = hv.boot->mpidr[cpu];
	u64 v = ((mpidr >> 32) & 0xff) << 48 | ((mpidr >> 16) & 0xff) << 32 |
		(u64)KICK_SGI << 24 | ((mpidr >> 8) & 0xff) << 16 | BIT(mpidr & 0xf);

	dsb(ish);
	if (READ_ONCE(per_cpu[cpu].arch.direct))
		write_sysreg(v, ICC_SGI0R_EL1);
	else
		write_sysreg(v, ICC_SGI1R_EL1);
	isb();
}

static bool v3_covers(u64 base, u64 size)
{
	return gic_overlaps(base, size, hv.sys->gicd_base, GICD_SIZE) ||
	       gic_overlaps(base, size, hv.sys->gicr_base, redists_size());
}

/* ---------------------------------------------------------------------- */
/* Interrupts changing hands */

static u64 v3_route_get(u32 irq)
{
	return mmio_read64(hv.sys->gicd_base + GICD_IROUTER + 8 * irq);
}

/* Root's saved route, or (@c given) the cell's first CPU. */
static void v3_route_set(struct cell *c, u32 irq, u64 v)
{
	if (c)
		v = hv.boot->mpidr[__builtin_ctzll(c->cpu_set)] & MPIDR_AFF_MASK;
	mmio_write64(hv.sys->gicd_base + GICD_IROUTER + 8 * irq, v);
}

/*
 * Root's own SPIs that the cell's CPUs would now receive (a route root
 * left there by hand, or "any CPU"): routed to the CPU that creates the
 * cell, one of root's. Linux moves its interrupts off a CPU it takes
 * offline, so this normally finds nothing; root cannot route to the
 * cell's CPUs afterwards (root_irouter()). Under gicd_lock, after the cell
 * took its CPUs: a write of root's racing with the create is either seen
 * here or refused there.
 */
static void root_spis_away(struct cell *c)
{
	u64 self = hv.boot->mpidr[this_cpu()->cpu] & MPIDR_AFF_MASK, v;
	u32 irq;
	int target;

	spin_lock(&gicd_lock);
	for (irq = WARDEN_IRQ_SPI_FIRST; irq < gic_num_irqs(); irq++) {
		if (gic_spi_is_cells(irq))
			continue;
		v = v3_route_get(irq);
		target = cpu_by_hwid(v & MPIDR_AFF_MASK);
		if (v & BIT(31) || (target >= 0 && c->cpu_set & BIT(target)))
			mmio_write64(hv.sys->gicd_base + GICD_IROUTER + 8 * irq, self);
	}
	spin_unlock(&gicd_lock);
}

static void v3_cell_take(struct cell *c)
{
	gic_spis_take(c, v3_route_get, v3_route_set);
	root_spis_away(c);
}

/*
 * A cell's CPUs change hands (create, destroy): their SGIs and PPIs
 * disabled, not pending and inactive in their redistributors, so that
 * nothing of one owner's private interrupts reaches the next. Linux
 * configures a CPU's private interrupts again when it brings the CPU up,
 * but never clears what is pending: a cell's SGI 2 left pending would stop
 * the CPU in Linux for good (it is Linux's IPI_CPU_STOP).
 */
static void v3_cell_cpus_reset(struct cell *c)
{
	u32 cpu, n;

	for_each_cpu(cpu, c->cpu_set) {
		u64 frame = frame_of(cpu);

		if (!frame)
			continue;
		mmio_write32(frame + GICR_SGI_BASE + GICR_ICENABLER0, ~0U);
		mmio_write32(frame + GICR_SGI_BASE + GICR_ICPENDR0, ~0U);
		mmio_write32(frame + GICR_SGI_BASE + GICR_ICACTIVER0, ~0U);
		for (n = 0; n < RWP_WAIT_LOOPS && mmio_read32(frame + GICR_CTLR) & GICR_CTLR_RWP; n++)
			;
	}
	dsb(sy);
}

/*
 * Root keeps out of what controls the cell's CPUs while the cell exists:
 * their redistributors' SGI frames (where one write would mask the kick
 * SGI) leave root's stage 2, and their RD frames (where one write would put
 * the redistributor to sleep) become read-only: Linux reads every frame's
 * GICR_TYPER when one of its CPUs comes up, looking for its own. Root's
 * map of the redistributors is in pages from the start (gicv3_map()), so
 * this needs no memory.
 */
static int root_redists_take(struct cell *c)
{
	u32 cpu;
	int ret;

	for_each_cpu(cpu, c->cfg->cpu_set) {
		u64 frame = frame_of(cpu);

		if (!frame)
			continue;
		root_map_part(frame, GICR_SGI_BASE, PT_READ);
		ret = pt_unmap(&hv.root_pt, frame + GICR_SGI_BASE, GICR_STRIDE - GICR_SGI_BASE);
		if (ret)
			return ret;
	}
	return 0;
}

static void v3_cell_give_back(struct cell *c)
{
	u32 cpu;

	gic_spis_give_back(c, v3_route_set);
	for_each_cpu(cpu, c->cfg->cpu_set & ~hv.quarantined) {
		u64 frame = frame_of(cpu);

		if (frame)
			root_remap(frame, GICR_STRIDE);
	}
}

/* ---------------------------------------------------------------------- */
/* What a cell sees: the distributor and its CPUs' redistributors, emulated */

static bool v3_dist_reg(struct cell *c, struct mmio_access *m, bool *ok)
{
	u64 gicd = hv.sys->gicd_base, off = m->offset, word = off & ~3ULL;
	u64 reg, cur, v, mask;
	u32 irq, shift;
	int target;

	if (word <= GICD_TYPER2 || (off >= GICD_ID_REGS && off < GICD_SIZE)) {
		if (m->size == 8)
			*ok = false;
		else if (!m->write)	/* CTLR, TYPER, IIDR, TYPER2, ID registers */
			acc_read(m, mmio_read32(gicd + word));
		return true;		/* writes ignored: the distributor is root's */
	}
	if (off < GICD_IROUTER || off >= GICD_IROUTER + 8 * GIC_SPURIOUS)
		return false;
	irq = (u32)((off - GICD_IROUTER) / 8);
	shift = (u32)(off & 7) * 8;
	reg = gicd + GICD_IROUTER + 8ULL * irq;
	if (!cell_owns_irq(c, irq)) {
		m->value = 0;		/* another's: reads as zero, writes ignored */
		return true;
	}
	mask = (m->size == 8 ? ~0ULL : (1ULL << (m->size * 8)) - 1) << shift;
	cur = mmio_read64(reg);
	if (!m->write) {
		m->value = (cur & mask) >> shift;
		return true;
	}
	v = (cur & ~mask) | (m->value << shift & mask);
	target = cpu_by_hwid(v & MPIDR_AFF_MASK);
	/* Only to one of its own CPUs: never "any CPU" (IRM), never root's. */
	if (v & BIT(31) || target < 0 || !(c->cpu_set & BIT(target)))
		*ok = false;
	else
		mmio_write64(reg, v);
	return true;
}

static enum trap_result gicd_access(struct cell *c, struct mmio_access *m, void *opaque)
{
	(void)opaque;
	return gicd_emulate(c, m, v3_dist_reg);
}

/* Is @frame the redistributor of one of @c's CPUs? */
static bool cell_frame(const struct cell *c, u64 frame)
{
	u32 cpu;

	for_each_cpu(cpu, c->cpu_set)
		if (frame_of(cpu) == frame)
			return true;
	return false;
}

/*
 * GICR_TYPER as the cell sees it: Last on each frame whose successor is
 * not the cell's. Its device tree gives one redistributor region per run
 * of its CPUs' frames, and an OS walks a region frame by frame until Last
 * (Linux's gic_iterate_rdists()): so the walk ends at the run's end and
 * never reaches another's frame.
 */
static u64 cell_gicr_typer(const struct cell *c, u64 frame)
{
	u64 typer = mmio_read64(frame + GICR_TYPER);

	if (!cell_frame(c, frame + GICR_STRIDE))
		typer |= GICR_TYPER_LAST;
	return typer;
}

static enum trap_result gicr_access(struct cell *c, struct mmio_access *m, void *opaque)
{
	u32 index = (u32)(m->offset / GICR_STRIDE);
	u64 frame = hv.sys->gicr_base + (u64)index * GICR_STRIDE;

	(void)opaque;
	if (!cell_frame(c, frame))	/* the frame must be one of the cell's CPUs' */
		return TRAP_FORBIDDEN;
	m->offset %= GICR_STRIDE;
	if (m->offset >= GICR_SGI_BASE) {
		m->offset -= GICR_SGI_BASE;
		return gic_private_emulate(frame + GICR_SGI_BASE, m, cell_direct(c)) ? TRAP_HANDLED :
									       TRAP_FORBIDDEN;
	}
	if (m->write)
		return TRAP_HANDLED;	/* CTLR, WAKER, PROPBASER...: writes ignored */
	if ((m->offset & ~7ULL) == GICR_TYPER) {
		u64 typer = cell_gicr_typer(c, frame);

		if (m->size == 8)
			m->value = typer;
		else
			acc_read(m, (u32)(typer >> (m->offset & 4) * 8));
	} else if (m->size == 8) {
		m->value = mmio_read64(frame + m->offset);
	} else {
		acc_read(m, mmio_read32(frame + (m->offset & ~3ULL)));
	}
	return TRAP_HANDLED;
}

static int v3_cell_init(struct cell *c)
{
	return mmio_register(&c->mmio, hv.sys->gicd_base, GICD_SIZE, WARDEN_FAULT_GIC, gicd_access,
			     NULL) ?:
	       mmio_register(&c->mmio, hv.sys->gicr_base, redists_size(), WARDEN_FAULT_GIC,
			     gicr_access, NULL) ?:
	       root_redists_take(c);
}

/*
 * A trapped ICC_SGI1R_EL1 write (HCR_EL2.IMO or FMO traps it): an SGI for
 * the cell's own CPUs is delivered as a virtual SGI, or for a direct cell
 * sent on physically (never the kick's INTID); one for any other CPU, any
 * other trapped register (ICC_SGI0R_EL1, ICC_ASGI1R_EL1), fails the cell.
 */
#define ESR_SYS_DIR_READ	1
enum trap_result gicv3_sysreg(struct trap *t)
{
	struct regs *regs = t->regs;
	struct cell *c = this_cpu()->cell;
	u64 esr = t->syndrome;
	u32 op0 = (esr >> 20) & 3, op2 = (esr >> 17) & 7, op1 = (esr >> 14) & 7;
	u32 crn = (esr >> 10) & 0xf, rt = (esr >> 5) & 0x1f, crm = (esr >> 1) & 0xf;
	u64 v = rt == 31 ? 0 : regs->x[rt];
	u64 aff, list, targets = 0;
	u32 cpu;

	if (hv.sys->gic_version != WARDEN_GIC_V3 ||
	    !(op0 == 3 && op1 == 0 && crn == 12 && crm == 11 && op2 >= 5) ||
	    (esr & ESR_SYS_DIR_READ))
		return trap_forbid(t, WARDEN_FAULT_SYSREG, 0);
	if (op2 != 5)		/* ICC_ASGI1R_EL1, ICC_SGI0R_EL1 (the kick's group) */
		return trap_forbid(t, WARDEN_FAULT_GIC, v);
	if (v & BIT(40))	/* IRM: every CPU but this one */
		return trap_forbid(t, WARDEN_FAULT_GIC, v);
	aff = (v >> 16 & 0xff) << 8 | (v >> 32 & 0xff) << 16 | (v >> 48 & 0xffULL) << 32;
	list = v & 0xffff;
	for (cpu = 0; cpu < 16; cpu++) {
		int target;

		if (!(list & BIT(cpu)))
			continue;
		target = cpu_by_hwid(aff | cpu);
		if (target < 0 || !(c->cpu_set & BIT(target)))
			return trap_forbid(t, WARDEN_FAULT_GIC, v);
		targets |= BIT(target);
	}
	if (this_cpu()->arch.direct && ((v >> 24) & 0xf) == KICK_SGI)
		return trap_forbid(t, WARDEN_FAULT_GIC, v);
	regs->elr += 4;
	if (this_cpu()->arch.direct) {
		/* Checked: sent as it is, Group 1, straight to the targets' EL1. */
		dsb(ish);
		write_sysreg(v, ICC_SGI1R_EL1);
		isb();
		return TRAP_HANDLED;
	}
	gic_send_vsgis(&v3_cpuif, c, targets, (v >> 24) & 0xf);
	return TRAP_HANDLED;
}

/*
 * Root's routing writes: never for a cell's SPI, never to a CPU a cell
 * owns, never "any CPU" (IRM) while a cell owns one. Linux moves its
 * interrupts off a CPU before it goes offline, so it never asks for that.
 */
static void root_irouter(struct mmio_access *m)
{
	u64 off = m->offset - GICD_IROUTER, reg, v, mask, cells = 0;
	u32 irq = (u32)(off / 8), shift = (u32)(off & 7) * 8, cpu;
	int target;

	spin_lock(&gicd_lock);	/* against a cell taking this SPI, or CPUs (root_spis_away()) */
	if (gic_spi_is_cells(irq))
		goto out;
	reg = hv.sys->gicd_base + GICD_IROUTER + 8ULL * irq;
	mask = (m->size == 8 ? ~0ULL : (1ULL << (m->size * 8)) - 1) << shift;
	v = (mmio_read64(reg) & ~mask) | (m->value << shift & mask);
	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if (READ_ONCE(per_cpu[cpu].cell))
			cells |= BIT(cpu);
	target = cpu_by_hwid(v & MPIDR_AFF_MASK);
	/* "Any CPU" (IRM) while cells own CPUs, or one of theirs: refused */
	if (v & BIT(31) ? !cells : target < 0 || !(cells & BIT(target)))
		mmio_write64(reg, v);
out:
	spin_unlock(&gicd_lock);
}

static enum trap_result root_gicd_access(struct cell *c, struct mmio_access *m, void *opaque)
{
	(void)c, (void)opaque;
	if (!m->write) {	/* reads do not trap, but an aliasing map might */
		if (m->size == 8)
			m->value = mmio_read64(hv.sys->gicd_base + m->offset);
		else
			acc_read(m, mmio_read32(hv.sys->gicd_base + (m->offset & ~3ULL)));
	} else if (m->offset >= GICD_IROUTER && m->offset < GICD_IROUTER + 8 * GIC_SPURIOUS) {
		root_irouter(m);
	} else {
		gicd_root_write(m);
	}
	return TRAP_HANDLED;
}

const struct irqchip_ops gicv3_ops = {
	.cpu_init = v3_cpu_init,
	.kick = v3_kick,
	.raise = gic_raise,
	.lower = gic_lower,
	.num_irqs = gic_num_irqs,
	.covers = v3_covers,
	.cell_init = v3_cell_init,
	.cell_take = v3_cell_take,
	.cell_give_back = v3_cell_give_back,
	.cell_cpus_reset = v3_cell_cpus_reset,
	.vcpu_on = v3_vcpu_on,
	.vcpu_off = v3_vcpu_off,
	.irq = v3_irq,
	.may_wait = v3_may_wait,
};

/* ---------------------------------------------------------------------- */
/* Set-up, MMU off */

u64 gicv3_end(void)
{
	u64 gicr_end = hv.sys->gicr_base + redists_size(), gicd_end = hv.sys->gicd_base + GICD_SIZE;

	return gicr_end > gicd_end ? gicr_end : gicd_end;
}

/*
 * The hypervisor maps the distributor (to raise root's event SPI) and the
 * redistributors (to kick cells' CPUs). Root's distributor becomes
 * read-only, its writes trapped and checked (root's MMIO table). Root's map
 * of the redistributors is remade frame by frame, each smaller than a
 * block, so it is in pages from the start and a cell takes its CPUs'
 * frames without splitting one.
 */
int gicv3_map(struct boot_error *e)
{
	u64 frame, end = hv.sys->gicr_base + redists_size();
	int ret;

	ret = pt_map(&hv.hv_pt, hv.sys->gicd_base, hv.sys->gicd_base, GICD_SIZE,
		     PT_READ | PT_WRITE | PT_DEVICE);
	ret = ret ?: pt_map(&hv.hv_pt, hv.sys->gicr_base, hv.sys->gicr_base, redists_size(),
			    PT_READ | PT_WRITE | PT_DEVICE);
	for (frame = hv.sys->gicr_base; !ret && frame < end; frame += GICR_SGI_BASE)
		ret = root_map_part(frame, GICR_SGI_BASE, PT_ALL);
	ret = ret ?: root_map_part(hv.sys->gicd_base, GICD_SIZE, PT_READ);
	ret = ret ?: mmio_register(&hv.root_mmio, hv.sys->gicd_base, GICD_SIZE, WARDEN_FAULT_GIC,
				   (mmio_handler *)link_addr(root_gicd_access), NULL);
	if (ret)
		return boot_fail(e, ret, "cannot map the GIC's redistributors", 0, -1,
				 hv.pool.used);
	return 0;
}
