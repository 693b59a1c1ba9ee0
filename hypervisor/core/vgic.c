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

#define MAINT_PPI		25
#define PROTECTED_PRIVATE	(1U << KICK_SGI | 1U << MAINT_PPI)

#define GICD_SIZE		0x10000
#define GICR_STRIDE		0x20000
#define GICR_SGI_BASE		0x10000

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
#define GICD_PIDR2		0xffe8


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
	const u32 *irqs = (const void *)((const u8 *)c->regions +
					 c->cfg->num_regions * sizeof(struct warden_region));
	u32 i;

	for (i = 0; i < c->cfg->num_irqs; i++)
		if (irqs[i] == irq)
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
void cell_irq(struct regs *regs)
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
			cell_kicked(regs);
			take_vsgis(p);
		}
	} else if (intid < 32 || cell_owns_spi(p->cell, intid)) {
		/* Deactivated by the cell's EOI, through the HW bit. */
		pending_set(p, intid, true);
	} else {
		/* Not the cell's: put it back where it belongs (nothing to do but drop it). */
		write_sysreg(iar, ICC_DIR_EL1);
		hv_log("CPU %u: interrupt %u is not cell %u's; dropped\n", p->cpu, intid,
		       p->cell->id);
	}
	vgic_flush(p);
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

/* The cell is gone: its SPIs disabled and inactive, for root to take back. */
void vgic_cell_reset(struct cell *c)
{
	const u32 *irqs = (const void *)((const u8 *)c->regions +
					 c->cfg->num_regions * sizeof(struct warden_region));
	u64 gicd = hv.sys->gicd_base;
	u32 i;

	for (i = 0; i < c->cfg->num_irqs; i++) {
		mmio_write32(gicd + GICD_ICENABLER + irqs[i] / 32 * 4, 1U << (irqs[i] % 32));
		mmio_write32(gicd + GICD_ICACTIVER + irqs[i] / 32 * 4, 1U << (irqs[i] % 32));
		mmio_write32(gicd + GICD_ICPENDR + irqs[i] / 32 * 4, 1U << (irqs[i] % 32));
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
/* MMIO emulation: the distributor and the cell's redistributors */

struct mmio {
	u64 offset;
	u32 size;	/* bytes: 1, 2, 4 or 8 */
	bool write;
	u64 value;
};

/* Bit-per-interrupt registers: the part of @m's bits that are the cell's SPIs. */
static u64 owned_mask(const struct cell *c, u32 first_irq, u32 bits_per_irq, u32 bits)
{
	u64 mask = 0;
	u32 i;

	for (i = 0; i < bits / bits_per_irq; i++) {
		u32 irq = first_irq + i;

		if (irq >= 32 && cell_owns_spi(c, irq))
			mask |= ((1ULL << bits_per_irq) - 1) << (i * bits_per_irq);
	}
	return mask;
}

static bool gicd_set_clear(u64 reg)
{
	return (reg >= GICD_ISENABLER && reg < GICD_ICACTIVER + 0x80);
}

/* Returns false when the access touches what is not the cell's. */
static bool gicd_emulate(struct cell *c, struct mmio *m)
{
	u64 gicd = hv.sys->gicd_base, off = m->offset;
	u32 per_bit, first, bits = m->size * 8;
	u64 mask, cur;

	if (off == GICD_CTLR || off == GICD_TYPER || off == GICD_IIDR || off == GICD_PIDR2) {
		if (!m->write)
			m->value = mmio_read32(gicd + off);
		return true;		/* writes ignored: the distributor is root's */
	}
	if (off >= GICD_IROUTER && off < GICD_IROUTER + 8 * 1020) {
		u32 irq = (u32)((off - GICD_IROUTER) / 8);
		int target;

		if (!cell_owns_spi(c, irq) || m->size != 8)
			return false;
		if (!m->write) {
			m->value = mmio_read64(gicd + off);
			return true;
		}
		target = mpidr_to_cpu(m->value & 0xff00ffffffULL);
		if (m->value & BIT(31) || target < 0 || !(c->cpu_set & BIT(target)))
			return false;
		mmio_write64(gicd + off, m->value);
		return true;
	}
	if (off >= GICD_IGROUPR && off < GICD_IPRIORITYR)
		per_bit = 1, first = (u32)((off - GICD_IGROUPR) % 0x80) * 8;
	else if (off >= GICD_IPRIORITYR && off < GICD_IPRIORITYR + 1020)
		per_bit = 8, first = (u32)(off - GICD_IPRIORITYR);
	else if (off >= GICD_ICFGR && off < GICD_ICFGR + 0x100)
		per_bit = 2, first = (u32)(off - GICD_ICFGR) * 4;
	else {
		if (!m->write)
			m->value = 0;
		return true;	/* unimplemented: reads as zero, writes ignored */
	}
	mask = owned_mask(c, first, per_bit, bits);
	if (!m->write) {
		m->value = (m->size == 4 ? mmio_read32(gicd + (off & ~3ULL)) >> (off & 3) * 8 :
			    *(volatile u8 *)(gicd + off)) & mask;
		return true;
	}
	if (off < GICD_ISENABLER || off >= GICD_IPRIORITYR) {
		/* Value registers (group, priority, config): the cell's part only. */
		if (m->size == 1) {
			if (!mask)
				return false;
			*(volatile u8 *)(gicd + off) = (u8)m->value;
			return true;
		}
		if (m->size != 4)
			return false;
		cur = mmio_read32(gicd + off);
		mmio_write32(gicd + off, (u32)((cur & ~mask) | (m->value & mask)));
		return true;
	}
	/* Set/clear registers: bits for anything not the cell's are refused. */
	if (!gicd_set_clear(off) || m->size != 4 || m->value & ~mask)
		return false;
	mmio_write32(gicd + off, (u32)m->value);
	return true;
}

/* Redistributor registers (SGI frame offsets) the cell may change, minus our bits. */
static bool gicr_sgi_emulate(u64 frame, struct mmio *m)
{
	u64 off = m->offset, a = frame + GICR_SGI_BASE + off;
	u32 cur;

	if (!m->write) {
		m->value = m->size == 1 ? *(volatile u8 *)a : mmio_read32(a & ~3ULL);
		return true;
	}
	switch (off) {
	case 0x100: case 0x180: case 0x200: case 0x280: case 0x300: case 0x380:
		if (m->size != 4)
			return false;
		mmio_write32(a, (u32)m->value & ~PROTECTED_PRIVATE);
		return true;
	case 0xc04:	/* ICFGR1: PPIs' trigger mode */
		if (m->size != 4)
			return false;
		cur = mmio_read32(a);
		mmio_write32(a, ((u32)m->value & ~(3U << (MAINT_PPI - 16) * 2)) |
			(cur & 3U << (MAINT_PPI - 16) * 2));
		return true;
	default:
		if (off >= 0x400 && off < 0x420) {	/* IPRIORITYR: not ours */
			u32 irq = (u32)(off - 0x400);

			if (m->size == 1 && irq != KICK_SGI && irq != MAINT_PPI) {
				*(volatile u8 *)a = (u8)m->value;
				return true;
			}
			if (m->size == 4) {
				u32 keep = 0, i;

				for (i = 0; i < 4; i++)
					if (irq + i == KICK_SGI || irq + i == MAINT_PPI)
						keep |= 0xffU << i * 8;
				cur = mmio_read32(a);
				mmio_write32(a, ((u32)m->value & ~keep) | (cur & keep));
				return true;
			}
			return false;
		}
		return true;	/* group, modifier, NSACR, others: ignored */
	}
}

static bool gicr_emulate(struct cell *c, u64 ipa, struct mmio *m)
{
	u64 rel = ipa - hv.sys->gicr_base;
	u32 index = (u32)(rel / GICR_STRIDE), cpu;
	u64 frame = hv.sys->gicr_base + (u64)index * GICR_STRIDE;

	/* The frame must be one of the cell's CPUs'. */
	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if (c->cpu_set & BIT(cpu) && gic_frame_of(cpu) == frame)
			break;
	if (cpu == HV_MAX_CPUS)
		return false;
	m->offset = rel % GICR_STRIDE;
	if (m->offset >= GICR_SGI_BASE) {
		m->offset -= GICR_SGI_BASE;
		return gicr_sgi_emulate(frame, m);
	}
	if (!m->write)
		m->value = m->size == 8 ? mmio_read64(frame + m->offset) : mmio_read32(frame + (m->offset & ~3ULL));
	return true;	/* CTLR, WAKER, PROPBASER...: writes ignored */
}

/*
 * A cell's data abort in the GIC's range. Returns true when emulated (the
 * caller returns to the cell), false when it is not a GIC access.
 */
bool vgic_mmio(struct regs *regs, u64 esr, u64 ipa)
{
	struct cell *c = this_cpu()->cell;
	u64 gicr_end = hv.sys->gicr_base +
		       GICR_STRIDE * (64 - __builtin_clzll(hv.sys->cpu_set));
	struct mmio m;
	u32 rt = (esr >> 16) & 0x1f;
	bool ok;

	if (!(ipa >= hv.sys->gicd_base && ipa < hv.sys->gicd_base + GICD_SIZE) &&
	    !(ipa >= hv.sys->gicr_base && ipa < gicr_end))
		return false;
	/* A GIC access the hardware could not describe (no ISV): refused. */
	if (!(esr & (1U << 24)))
		cell_fail(regs, WARDEN_FAULT_GIC, esr, ipa);
	m.size = 1U << ((esr >> 22) & 3);
	m.write = esr & ESR_ISS_WNR;
	m.value = m.write && rt != 31 ? regs->x[rt] : 0;
	if (m.size < 8 && m.write)
		m.value &= (1ULL << (m.size * 8)) - 1;
	if (ipa < hv.sys->gicd_base + GICD_SIZE && ipa >= hv.sys->gicd_base) {
		m.offset = ipa - hv.sys->gicd_base;
		ok = gicd_emulate(c, &m);
	} else {
		ok = gicr_emulate(c, ipa, &m);
	}
	if (!ok)
		cell_fail(regs, WARDEN_FAULT_GIC, esr, ipa);
	dsb(sy);
	if (!m.write && rt != 31)
		regs->x[rt] = m.value;
	regs->elr += 4;
	return true;
}
