// SPDX-License-Identifier: GPL-2.0-only
/*
 * Interrupts for cells (GICv3), trap and inject.
 *
 * On a cell's CPU, HCR_EL2.IMO/FMO route physical interrupts to EL2 and
 * send the cell's ICC_* accesses to the virtual CPU interface. An
 * interrupt of the cell (its CPUs' PPIs, its SPIs) is acknowledged at EL2,
 * priority-dropped (EOImode 1) and put in a list register with the HW bit,
 * so the cell's own EOI deactivates the physical interrupt. The cell's
 * SGIs, for its own CPUs only, travel as a bit in the target's per-CPU
 * state plus the hypervisor's kick SGI, and are injected as virtual SGIs.
 *
 * The distributor is not mapped into cells: every access traps and is
 * emulated for the SPIs the cell owns; touching any other interrupt fails
 * the cell. The cell's redistributor frames trap too, so that it can
 * neither mask the kick SGI nor the maintenance interrupt, nor put its
 * redistributor to sleep: a cell can always be stopped.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include <arch/sysreg.h>

#define ICC_IAR0_EL1		S3_0_C12_C8_0
#define ICC_EOIR0_EL1		S3_0_C12_C8_1
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_DIR_EL1		S3_0_C12_C11_1
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICH_AP1R0_EL2		S3_4_C12_C9_0
#define ICH_HCR_EL2		S3_4_C12_C11_0
#define ICH_VTR_EL2		S3_4_C12_C11_1
#define ICH_ELRSR_EL2		S3_4_C12_C11_5
#define ICH_VMCR_EL2		S3_4_C12_C11_7

#define ICH_HCR_EN		(1UL << 0)
#define ICH_HCR_UIE		(1UL << 1)
#define ICC_CTLR_EOIMODE	(1UL << 1)

#define LR_STATE_PENDING	(1ULL << 62)
#define LR_STATE_MASK		(3ULL << 62)
#define LR_HW			(1ULL << 61)
#define LR_GROUP1		(1ULL << 60)
#define LR_PRIO_SHIFT		48
#define LR_PINTID_SHIFT		32
#define LR_DEFAULT_PRIO		0xa0ULL



/* Registers of the distributor, per-interrupt arrays */
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_IIDR		0x0008
#define GICD_IGROUPR		0x0080
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_ISPENDR		0x0200
#define GICD_ICPENDR		0x0280
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICD_IPRIORITYR		0x0400
#define GICD_ICFGR		0x0c00
#define GICD_IGRPMODR		0x0d00
#define GICD_IROUTER		0x6000
#define GICD_TYPER2		0x000c
#define GICD_ID_REGS		0xffd0

#define GICR_ISENABLER0		0x0100
#define GICR_ICPENDR0		0x0280
#define GICR_ICACTIVER0		0x0380
#define GICR_IPRIORITYR		0x0400
#define GICR_ICFGR1		0x0c04


static u32 num_lrs(void)
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

static bool cell_owns_spi(const struct cell *c, u32 irq)
{
	u32 i;

	for (i = 0; i < c->cfg->num_irqs; i++)
		if (c->irqs[i] == irq)
			return true;
	return false;
}

/* ---------------------------------------------------------------------- */
/* Injection */

static void pending_set(struct per_cpu *p, u32 intid, bool hw)
{
	p->vgic_pending[intid / 64] |= BIT(intid % 64);
	if (hw)
		p->vgic_hw[intid / 64] |= BIT(intid % 64);
	else
		p->vgic_hw[intid / 64] &= ~BIT(intid % 64);
}

/* Is @intid in a list register already? Then a virtual SGI is made pending there. */
static bool lr_merge(u32 intid, bool hw, u32 lrs)
{
	u32 n;

	for (n = 0; n < lrs; n++) {
		u64 lr = read_lr(n);

		if (!(lr & LR_STATE_MASK) || (u32)lr != intid)
			continue;
		if (!hw)
			write_lr(n, lr | LR_STATE_PENDING);
		return true;
	}
	return false;
}

/* Move what is pending in software into free list registers. */
void vgic_flush(struct per_cpu *p)
{
	u32 lrs = num_lrs(), w;
	u64 empty = read_sysreg(ICH_ELRSR_EL2);
	bool left = false;

	for (w = 0; w < ARRAY_SIZE(p->vgic_pending); w++) {
		while (p->vgic_pending[w]) {
			u32 bit = __builtin_ctzll(p->vgic_pending[w]), intid = w * 64 + bit, n;
			bool hw = p->vgic_hw[w] & BIT(bit);
			u64 lr;

			if (!lr_merge(intid, hw, lrs)) {
				if (!(empty & ((1ULL << lrs) - 1))) {
					left = true;
					goto out;
				}
				n = __builtin_ctzll(empty);
				empty &= ~BIT(n);
				lr = LR_STATE_PENDING | LR_GROUP1 | LR_DEFAULT_PRIO << LR_PRIO_SHIFT | intid;
				if (hw)
					lr |= LR_HW | (u64)intid << LR_PINTID_SHIFT;
				write_lr(n, lr);
			}
			p->vgic_pending[w] &= ~BIT(bit);
		}
	}
out:
	/* Underflow: a maintenance interrupt once list registers free up. */
	write_sysreg(ICH_HCR_EN | (left ? ICH_HCR_UIE : 0), ICH_HCR_EL2);
}

/* SGIs the cell's other CPUs sent this one. */
static void take_vsgis(struct per_cpu *p)
{
	u32 sgis = __atomic_exchange_n(&p->vsgi_pending, 0, __ATOMIC_ACQUIRE), n;

	for (n = 0; n < 16; n++)
		if (sgis & BIT(n))
			pending_set(p, n, false);
}

/* A physical interrupt at EL2 on a cell's CPU. */
void cell_irq(void)
{
	struct per_cpu *p = this_cpu();
	u64 iar = read_sysreg(ICC_IAR1_EL1);
	u32 intid = iar & 0xffffff;

	if (intid >= 1020)
		return;		/* spurious */
	write_sysreg(iar, ICC_EOIR1_EL1);	/* priority drop (EOImode 1) */
	if (intid == KICK_SGI || intid == MAINT_PPI) {
		write_sysreg(iar, ICC_DIR_EL1);
		isb();
		if (intid == KICK_SGI) {
			cell_kicked();
			take_vsgis(p);
		}
	} else if (intid < 32 || cell_owns_spi(p->cell, intid)) {
		/* Deactivated by the cell's EOI, through the HW bit. */
		pending_set(p, intid, true);
	} else {
		/* Not the cell's: put it back where it belongs (nothing to do but drop it). */
		write_sysreg(iar, ICC_DIR_EL1);
		cell_log(p->cell, "CPU %u: interrupt %u is not cell %u's; dropped\n", p->cpu, intid,
			 p->cell->id);
	}
	vgic_flush(p);
}

/*
 * A Group 0 interrupt at EL2 on a cell's CPU: never the cell's (its own are
 * Group 1). Acknowledged and dropped, or it would be taken again at once.
 */
void cell_fiq(void)
{
	struct per_cpu *p = this_cpu();
	u64 iar = read_sysreg(ICC_IAR0_EL1);
	u32 intid = iar & 0xffffff;

	if (intid >= 1020)
		return;
	write_sysreg(iar, ICC_EOIR0_EL1);
	write_sysreg(iar, ICC_DIR_EL1);
	isb();
	cell_log(p->cell, "CPU %u: Group 0 interrupt %u on a cell's CPU; dropped\n", p->cpu, intid);
}

/* ---------------------------------------------------------------------- */
/* CPU set-up and tear-down */

/* A cell's CPU, just powered on: the CPU interface for trap and inject. */
void vgic_cpu_on(struct per_cpu *p)
{
	u32 n;

	write_sysreg(0xff, ICC_PMR_EL1);
	write_sysreg(ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
	write_sysreg(1, ICC_IGRPEN1_EL1);
	for (n = 0; n < num_lrs(); n++)
		write_lr(n, 0);
	write_sysreg(0, ICH_AP1R0_EL2);
	write_sysreg(0, ICH_VMCR_EL2);
	write_sysreg(ICH_HCR_EN, ICH_HCR_EL2);
	isb();
	memset(p->vgic_pending, 0, sizeof(p->vgic_pending));
	memset(p->vgic_hw, 0, sizeof(p->vgic_hw));
	p->vsgi_pending = 0;
}

/*
 * The CPU leaves its cell: physical interrupts the cell still held (in a
 * list register or queued) are deactivated, so that nothing stays active
 * for the next owner.
 */
void vgic_cpu_off(struct per_cpu *p)
{
	u32 n, w;

	for (n = 0; n < num_lrs(); n++) {
		u64 lr = read_lr(n);

		if (lr & LR_HW && lr & LR_STATE_MASK)
			write_sysreg((lr >> LR_PINTID_SHIFT) & 0x1fff, ICC_DIR_EL1);
		write_lr(n, 0);
	}
	for (w = 0; w < ARRAY_SIZE(p->vgic_pending); w++)
		while (p->vgic_pending[w] & p->vgic_hw[w]) {
			u32 bit = __builtin_ctzll(p->vgic_pending[w] & p->vgic_hw[w]);

			write_sysreg(w * 64 + bit, ICC_DIR_EL1);
			p->vgic_pending[w] &= ~BIT(bit);
		}
	write_sysreg(0, ICH_HCR_EL2);
	write_sysreg(0, ICC_CTLR_EL1);
	isb();
}

/* ---------------------------------------------------------------------- */
/* SPIs changing hands: the cell gets them clean, root gets back what it had */

#define GICD_CTLR_RWP		(1U << 31)
#define SPI_PRIO_DEFAULT	0xa0
#define RWP_WAIT_LOOPS		100000

static u32 gicd_field(u64 reg, u32 irq, u32 bits)
{
	u32 per = 32 / bits;

	return mmio_read32(hv.sys->gicd_base + reg + irq / per * 4) >> (irq % per * bits) &
	       ((1U << bits) - 1);
}

static void gicd_field_set(u64 reg, u32 irq, u32 bits, u32 v)
{
	u64 a = hv.sys->gicd_base + reg + irq / (32 / bits) * 4;
	u32 shift = irq % (32 / bits) * bits, mask = ((1U << bits) - 1) << shift;

	mmio_write32(a, (mmio_read32(a) & ~mask) | (v << shift & mask));
}

/* Disable @irq, drop its pending and active state, and wait until the GIC took it in. */
static void gicd_spi_quiesce(u32 irq)
{
	u64 gicd = hv.sys->gicd_base;
	u32 n;

	mmio_write32(gicd + GICD_ICENABLER + irq / 32 * 4, 1U << (irq % 32));
	mmio_write32(gicd + GICD_ICPENDR + irq / 32 * 4, 1U << (irq % 32));
	mmio_write32(gicd + GICD_ICACTIVER + irq / 32 * 4, 1U << (irq % 32));
	for (n = 0; n < RWP_WAIT_LOOPS && mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP; n++)
		;
}

/*
 * The cell takes its SPIs: root's configuration of each is saved, and the
 * cell finds it disabled, inactive, not pending, Group 1, at a middle
 * priority and routed to its first CPU. The trigger mode stays (it is the
 * wiring's).
 */
void vgic_spis_take(struct cell *c)
{
	u64 gicd = hv.sys->gicd_base, mpidr = hv.boot->mpidr[__builtin_ctzll(c->cpu_set)];
	u32 i;

	for (i = 0; i < c->cfg->num_irqs; i++) {
		struct spi_saved *s = &c->spi_saved[i];
		u32 irq = c->irqs[i];

		s->irq = irq;
		s->enabled = (u8)gicd_field(GICD_ISENABLER, irq, 1);
		gicd_spi_quiesce(irq);
		s->group = (u8)gicd_field(GICD_IGROUPR, irq, 1);
		s->modifier = (u8)gicd_field(GICD_IGRPMODR, irq, 1);
		s->config = (u8)gicd_field(GICD_ICFGR, irq, 2);
		s->priority = *(volatile u8 *)(gicd + GICD_IPRIORITYR + irq);
		s->route = mmio_read64(gicd + GICD_IROUTER + 8 * irq);
		gicd_field_set(GICD_IGROUPR, irq, 1, 1);
		gicd_field_set(GICD_IGRPMODR, irq, 1, 0);
		*(volatile u8 *)(gicd + GICD_IPRIORITYR + irq) = SPI_PRIO_DEFAULT;
		mmio_write64(gicd + GICD_IROUTER + 8 * irq, mpidr & MPIDR_AFF_MASK);
	}
	dsb(sy);
}

/*
 * A cell's CPUs change hands (create, destroy): their SGIs and PPIs
 * disabled, not pending and inactive in their redistributors, so that
 * nothing of one owner's private interrupts reaches the next. Linux
 * configures a CPU's private interrupts again when it brings the CPU up,
 * but never clears what is pending: a cell's SGI 2 left pending would stop
 * the CPU in Linux for good (it is Linux's IPI_CPU_STOP).
 */
#define GICR_CTLR		0x0000
#define GICR_CTLR_RWP		(1U << 3)
void vgic_cpus_reset(struct cell *c)
{
	u32 cpu, n;

	for_each_cpu(cpu, c->cpu_set) {
		u64 frame = gic_frame_of(cpu);

		if (!frame)
			continue;
		mmio_write32(frame + GICR_SGI_BASE + GICR_ISENABLER0 + 0x80, ~0U);	/* ICENABLER0 */
		mmio_write32(frame + GICR_SGI_BASE + GICR_ICPENDR0, ~0U);
		mmio_write32(frame + GICR_SGI_BASE + GICR_ICACTIVER0, ~0U);
		for (n = 0; n < RWP_WAIT_LOOPS && mmio_read32(frame + GICR_CTLR) & GICR_CTLR_RWP; n++)
			;
	}
	dsb(sy);
}

/* The cell is gone: each SPI back to exactly what root had set, enabled if it was. */
void vgic_spis_give_back(struct cell *c)
{
	u64 gicd = hv.sys->gicd_base;
	u32 i;

	for (i = 0; i < c->cfg->num_irqs; i++) {
		const struct spi_saved *s = &c->spi_saved[i];

		gicd_spi_quiesce(s->irq);
		gicd_field_set(GICD_IGROUPR, s->irq, 1, s->group);
		gicd_field_set(GICD_IGRPMODR, s->irq, 1, s->modifier);
		gicd_field_set(GICD_ICFGR, s->irq, 2, s->config);
		*(volatile u8 *)(gicd + GICD_IPRIORITYR + s->irq) = s->priority;
		mmio_write64(gicd + GICD_IROUTER + 8 * s->irq, s->route);
		if (s->enabled)
			mmio_write32(gicd + GICD_ISENABLER + s->irq / 32 * 4, 1U << (s->irq % 32));
	}
	dsb(sy);
}

/* ---------------------------------------------------------------------- */
/* SGIs from the cell (a trapped ICC_SGI1R_EL1 write) */

void vgic_send_sgis(struct cell *c, u64 targets, u32 sgi)
{
	struct per_cpu *self = this_cpu();
	u32 cpu;

	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++) {
		if (!(targets & BIT(cpu)))
			continue;
		if (cpu == self->cpu) {
			pending_set(self, sgi, false);
			continue;
		}
		if (!(READ_ONCE(c->cpus_running) & BIT(cpu)))
			continue;	/* off: an SGI to it is lost, as on hardware */
		__atomic_or_fetch(&per_cpu[cpu].vsgi_pending, BIT(sgi), __ATOMIC_RELEASE);
		gic_send_sgi(cpu, KICK_SGI);
	}
	vgic_flush(self);
}

/* ---------------------------------------------------------------------- */
/*
 * MMIO emulation: the distributor and the cell's redistributors.
 *
 * Every access is decoded from the syndrome and checked (trap.c: naturally
 * aligned; here: a size the register allows) before anything touches the
 * hardware, and the hardware is only ever accessed at its own width: whole
 * aligned words, bytes where the architecture makes a register
 * byte-accessible (priorities), double words for routing. A cell's write
 * reaches only the fields of its own interrupts.
 */

/* The bits of @m's 32-bit word its access covers, and their shift. */
static u32 acc_shift(const struct mmio_access *m)
{
	return (u32)(m->offset & 3) * 8;
}

static u32 acc_mask(const struct mmio_access *m)
{
	return (u32)(((1ULL << (m->size * 8)) - 1) << acc_shift(m));
}

/* A word read through @view: only the bits of @m's access. */
static void acc_read(struct mmio_access *m, u32 view)
{
	m->value = (view & acc_mask(m)) >> acc_shift(m);
}

/* The write as bits of its word. */
static u32 acc_bits(const struct mmio_access *m)
{
	return (u32)(m->value << acc_shift(m)) & acc_mask(m);
}

/* The fields (@bits wide, INTID 0 at offset 0) of the word at @word that are @c's SPIs. */
static u32 owned_mask(const struct cell *c, u64 word, u32 bits)
{
	u32 first = (u32)(word * 8 / bits), i, mask = 0;

	for (i = 0; i < 32 / bits; i++)
		if (first + i >= 32 && cell_owns_spi(c, first + i))
			mask |= ((1U << bits) - 1) << (i * bits);
	return mask;
}

static bool in(u64 off, u64 base, u64 size)
{
	return off >= base && off < base + size;
}

static bool gicd_irouter(struct cell *c, struct mmio_access *m)
{
	u64 gicd = hv.sys->gicd_base, off = m->offset - GICD_IROUTER;
	u64 reg = gicd + GICD_IROUTER + (off & ~7ULL), cur, v, mask;
	u32 irq = (u32)(off / 8), shift = (u32)(off & 7) * 8;
	int target;

	if (!cell_owns_spi(c, irq)) {
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
	target = mpidr_to_cpu(v & MPIDR_AFF_MASK);
	/* Only to one of its own CPUs: never "any CPU" (IRM), never root's. */
	if (v & BIT(31) || target < 0 || !(c->cpu_set & BIT(target)))
		return false;
	mmio_write64(reg, v);
	return true;
}

/* Bit-per-interrupt set and clear registers: a set for another's interrupt fails the cell. */
static bool gicd_set_clear(struct cell *c, struct mmio_access *m, u64 word)
{
	u64 reg = hv.sys->gicd_base + word;
	u32 owned = owned_mask(c, word % 0x80, 1), bits;
	bool set = (word / 0x80) % 2 == 0;	/* ISENABLER 0x100, ICENABLER 0x180, ... */

	if (!m->write) {
		acc_read(m, mmio_read32(reg) & owned);
		return true;
	}
	bits = acc_bits(m);
	if (set && bits & ~owned)
		return false;
	if (bits & owned)
		mmio_write32(reg, bits & owned);
	return true;
}

static bool gicd_priority(struct cell *c, struct mmio_access *m)
{
	u64 base = hv.sys->gicd_base + GICD_IPRIORITYR;
	u32 first = (u32)(m->offset - GICD_IPRIORITYR), i;
	u64 v = 0;

	for (i = 0; i < m->size; i++) {
		u32 irq = first + i;

		if (irq < 32 || !cell_owns_spi(c, irq))
			continue;	/* another's: reads as zero, writes ignored */
		if (m->write)
			*(volatile u8 *)(base + irq) = (u8)(m->value >> (i * 8));
		else
			v |= (u64)*(volatile u8 *)(base + irq) << (i * 8);
	}
	m->value = m->write ? m->value : v;
	return true;
}

static bool gicd_config(struct cell *c, struct mmio_access *m, u64 word)
{
	u64 reg = hv.sys->gicd_base + word;
	u32 owned = owned_mask(c, word - GICD_ICFGR, 2) & acc_mask(m), cur;

	if (!m->write) {
		acc_read(m, mmio_read32(reg) & owned);
		return true;
	}
	if (owned) {
		cur = mmio_read32(reg);
		mmio_write32(reg, (cur & ~owned) | (acc_bits(m) & owned));
	}
	return true;
}

/* Returns false when the access is one the cell may not make. */
static bool gicd_emulate(struct cell *c, struct mmio_access *m)
{
	u64 off = m->offset, word = off & ~3ULL;

	if (in(off, GICD_IROUTER, 8 * 1020))
		return gicd_irouter(c, m);
	if (m->size == 8)
		return false;
	if (word <= GICD_TYPER2 || in(off, GICD_ID_REGS, GICD_SIZE - GICD_ID_REGS)) {
		if (!m->write)		/* CTLR, TYPER, IIDR, TYPER2, ID registers */
			acc_read(m, mmio_read32(hv.sys->gicd_base + word));
		return true;		/* writes ignored: the distributor is root's */
	}
	if (in(off, GICD_IGROUPR, 0x80)) {
		if (!m->write)		/* its interrupts are Group 1, and stay so */
			acc_read(m, owned_mask(c, word - GICD_IGROUPR, 1));
		return true;
	}
	if (in(off, GICD_ISENABLER, GICD_IPRIORITYR - GICD_ISENABLER))
		return gicd_set_clear(c, m, word);
	if (in(off, GICD_IPRIORITYR, 1020))
		return gicd_priority(c, m);
	if (in(off, GICD_ICFGR, 0x100))
		return gicd_config(c, m, word);
	m->value = 0;			/* the rest (group modifiers...): zero, writes ignored */
	return true;
}

/* The SGI frame of one of the cell's CPUs: its SGIs and PPIs, never the hypervisor's. */
static bool gicr_sgi_emulate(u64 frame, struct mmio_access *m)
{
	u64 base = frame + GICR_SGI_BASE, off = m->offset, word = off & ~3ULL;
	u32 cur, keep, i;

	if (m->size == 8)
		return false;
	if (!m->write) {
		acc_read(m, mmio_read32(base + word));
		return true;
	}
	if (word >= GICR_ISENABLER0 && word <= GICR_ICACTIVER0 && word % 0x80 == 0) {
		cur = acc_bits(m) & ~HV_PRIVATE_IRQS;
		if (cur)
			mmio_write32(base + word, cur);
	} else if (in(off, GICR_IPRIORITYR, 32)) {
		for (i = 0; i < m->size; i++) {
			u32 irq = (u32)(off - GICR_IPRIORITYR) + i;

			if (!(HV_PRIVATE_IRQS & BIT(irq)))
				*(volatile u8 *)(base + GICR_IPRIORITYR + irq) =
					(u8)(m->value >> (i * 8));
		}
	} else if (word == GICR_ICFGR1) {
		keep = 3U << (MAINT_PPI - 16) * 2 | ~acc_mask(m);
		cur = mmio_read32(base + word);
		mmio_write32(base + word, (cur & keep) | (acc_bits(m) & ~keep));
	}
	return true;	/* group, modifier, SGI configuration, NSACR, others: ignored */
}

static enum trap_result gicr_access(struct cell *c, struct mmio_access *m, void *opaque)
{
	u32 index = (u32)(m->offset / GICR_STRIDE), cpu;
	u64 frame = hv.sys->gicr_base + (u64)index * GICR_STRIDE;
	bool ok;

	(void)opaque;
	/* The frame must be one of the cell's CPUs'. */
	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if (c->cpu_set & BIT(cpu) && gic_frame_of(cpu) == frame)
			break;
	if (cpu == HV_MAX_CPUS)
		return TRAP_FORBIDDEN;
	m->offset %= GICR_STRIDE;
	if (m->offset >= GICR_SGI_BASE) {
		m->offset -= GICR_SGI_BASE;
		ok = gicr_sgi_emulate(frame, m);
		return ok ? TRAP_HANDLED : TRAP_FORBIDDEN;
	}
	if (!m->write) {
		if (m->size == 8)
			m->value = mmio_read64(frame + m->offset);
		else
			acc_read(m, mmio_read32(frame + (m->offset & ~3ULL)));
	}
	return TRAP_HANDLED;	/* CTLR, WAKER, PROPBASER...: writes ignored */
}

static enum trap_result gicd_access(struct cell *c, struct mmio_access *m, void *opaque)
{
	(void)opaque;
	return gicd_emulate(c, m) ? TRAP_HANDLED : TRAP_FORBIDDEN;
}

/* The cell's view of the GIC: the distributor and its CPUs' redistributors, emulated. */
int vgic_cell_init(struct cell *c)
{
	return mmio_register(c, hv.sys->gicd_base, GICD_SIZE, WARDEN_FAULT_GIC, gicd_access, NULL) ?:
	       mmio_register(c, hv.sys->gicr_base, gic_redists_size(), WARDEN_FAULT_GIC, gicr_access,
			     NULL);
}
