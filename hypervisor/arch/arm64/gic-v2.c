// SPDX-License-Identifier: GPL-2.0-only
/*
 * GICv2 with the virtualization extensions (GIC-400 and the like): every
 * CPU interface is memory-mapped and banked per CPU. The hypervisor takes
 * a cell's interrupts on the physical CPU interface (GICC), injects them
 * through the hypervisor interface's list registers (GICH), and the cell
 * drives the virtual CPU interface (GICV), which its stage 2 maps where
 * the cell expects GICC. Routing is by CPU interface number (a bit in
 * GICD_ITARGETSR), and SGIs go through GICD_SGIR.
 *
 * The distributor traps for cells, as on GICv3. The banked first words of
 * its arrays are the private interrupts of the CPU that accesses them, so
 * a cell's CPU reaches its own SGIs and PPIs there, and the hypervisor
 * resets them on the CPU itself when it enters or leaves the cell.
 *
 * Root keeps its CPU interface and reads the distributor freely; its
 * writes trap (the distributor is read-only in its stage 2) and reach only
 * what is not a cell's, and its SGIs only root's CPUs. The hypervisor and
 * virtual interfaces are not in root's stage 2 at all.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include "gic.h"
#include "gic-inject.h"

#define GICC_SIZE		0x2000
#define GICH_SIZE		0x2000	/* this CPU's, then GIC-400's per-CPU aliases */
#define GICV_SIZE		0x2000

#define GICD_ITARGETSR		0x0800
#define GICD_SGIR		0x0f00
#define GICD_CPENDSGIR		0x0f10
#define GICD_ID_REGS		0x0fd0
#define GICD_SGIR_FILTER_SHIFT	24
#define GICD_SGIR_TARGETS_SHIFT	16

#define GICC_CTLR		0x0000
#define GICC_CTLR_ENABLE	(1U << 0)
#define GICC_CTLR_EOIMODE	(1U << 9)
#define GICC_PMR		0x0004
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_DIR		0x1000

#define GICH_HCR		0x0000
#define GICH_HCR_EN		(1U << 0)
#define GICH_HCR_UIE		(1U << 1)
#define GICH_VTR		0x0004
#define GICH_VMCR		0x0008
#define GICH_ELRSR0		0x0030
#define GICH_ELRSR1		0x0034
#define GICH_APR		0x00f0
#define GICH_LR(n)		(0x0100 + 4 * (n))

#define LR_HW			(1U << 31)
#define LR_STATE_PENDING	(1U << 28)
#define LR_STATE_MASK		(3U << 28)
#define LR_PRIO_SHIFT		23	/* the top five bits of a priority */
#define LR_PINTID_SHIFT		10
#define LR_VINTID		0x3ffU

static u64 gicc(u32 reg)
{
	return hv.sys->gicc_base + reg;
}

static u64 gich(u32 reg)
{
	return hv.sys->gich_base + reg;
}

/* ---------------------------------------------------------------------- */
/* The CPU interface and list registers */

static u32 v2_lr_count(void)
{
	return (mmio_read32(gich(GICH_VTR)) & 0x3f) + 1;
}

static u64 v2_lr_empty(void)
{
	return mmio_read32(gich(GICH_ELRSR0)) | (u64)mmio_read32(gich(GICH_ELRSR1)) << 32;
}

static bool v2_lr_find(u32 n, u32 intid)
{
	u32 lr = mmio_read32(gich(GICH_LR(n)));

	return lr & LR_STATE_MASK && (lr & LR_VINTID) == intid;
}

static void v2_lr_pend(u32 n)
{
	mmio_write32(gich(GICH_LR(n)), mmio_read32(gich(GICH_LR(n))) | LR_STATE_PENDING);
}

/*
 * Virtual Group 0: a GICv2 guest enables only that group in its CPU
 * interface (GICC_CTLR bit 0), and sees it as IRQs.
 */
static void v2_lr_put(u32 n, u32 intid, bool hw)
{
	/* The interrupt's own priority (banked for this CPU's SGIs and PPIs), top five bits. */
	u32 prio = mmio_read8(hv.sys->gicd_base + GICD_IPRIORITYR + intid) >> 3;
	u32 lr = LR_STATE_PENDING | prio << LR_PRIO_SHIFT | intid;

	if (hw)
		lr |= LR_HW | intid << LR_PINTID_SHIFT;
	mmio_write32(gich(GICH_LR(n)), lr);
}

static void v2_lr_clear(u32 n)
{
	u32 lr = mmio_read32(gich(GICH_LR(n)));

	if (lr & LR_HW && lr & LR_STATE_MASK)
		mmio_write32(gicc(GICC_DIR), (lr >> LR_PINTID_SHIFT) & LR_VINTID);
	mmio_write32(gich(GICH_LR(n)), 0);
}

static void v2_underflow(bool on)
{
	mmio_write32(gich(GICH_HCR), GICH_HCR_EN | (on ? GICH_HCR_UIE : 0));
}

/* One group as the hypervisor sees it: the non-secure one, or the only one. */
static u32 v2_ack(bool group0)
{
	(void)group0;
	return mmio_read32(gicc(GICC_IAR));
}

static void v2_drop(u32 iar, bool group0)
{
	(void)group0;
	mmio_write32(gicc(GICC_EOIR), iar);
}

static void v2_deactivate(u32 iar)
{
	mmio_write32(gicc(GICC_DIR), iar);
}

static const struct gic_cpuif v2_cpuif = {
	.intid_mask = 0x3ff,
	.lr_count = v2_lr_count,
	.lr_empty = v2_lr_empty,
	.lr_find = v2_lr_find,
	.lr_pend = v2_lr_pend,
	.lr_put = v2_lr_put,
	.lr_clear = v2_lr_clear,
	.underflow = v2_underflow,
	.ack = v2_ack,
	.drop = v2_drop,
	.deactivate = v2_deactivate,
};

static void v2_irq(bool fiq)
{
	gic_handle_irq(&v2_cpuif, fiq);
}

/*
 * This CPU's SGIs and PPIs disabled, not pending and inactive, but the
 * hypervisor's own: done on the CPU itself, since the distributor banks
 * them per CPU. Pending SGIs are cleared per source (GICD_CPENDSGIR).
 */
static void private_reset(void)
{
	u64 gicd = hv.sys->gicd_base;
	u32 n;

	mmio_write32(gicd + GICD_ICENABLER, ~HV_PRIVATE_IRQS);
	mmio_write32(gicd + GICD_ICPENDR, ~0U);
	mmio_write32(gicd + GICD_ICACTIVER, ~0U);
	for (n = 0; n < 16; n += 4)
		mmio_write32(gicd + GICD_CPENDSGIR + n, ~0U);
	dsb(sy);
}

/*
 * The cell's SPIs were taken before their CPU ever ran under the
 * hypervisor, so its interface number was not known: they target the
 * CPU now, as the first of the cell's CPUs comes in.
 */
static void route_late(struct per_cpu *p)
{
	struct cell *c = p->cell;
	u32 i;

	if (!c->arch.route_late || p->cpu != (u32)__builtin_ctzll(c->cpu_set))
		return;
	for (i = 0; i < c->cfg->num_irqs; i++)
		mmio_write8(hv.sys->gicd_base + GICD_ITARGETSR + c->irqs[i], (u8)p->arch.gic_cpu_if);
	c->arch.route_late = false;
}

/* A cell's CPU, just powered on: the CPU interface for trap and inject. */
static void v2_vcpu_on(struct per_cpu *p)
{
	u32 n;

	private_reset();
	route_late(p);
	mmio_write32(gicc(GICC_PMR), 0xff);
	mmio_write32(gicc(GICC_CTLR), GICC_CTLR_ENABLE | GICC_CTLR_EOIMODE);
	for (n = 0; n < v2_lr_count(); n++)
		mmio_write32(gich(GICH_LR(n)), 0);
	mmio_write32(gich(GICH_APR), 0);
	mmio_write32(gich(GICH_VMCR), 0);
	mmio_write32(gich(GICH_HCR), GICH_HCR_EN);
	dsb(sy);
	gic_vcpu_on(p);
}

/* The CPU leaves its cell: nothing of the cell's private interrupts stays for root. */
static void v2_vcpu_off(struct per_cpu *p)
{
	gic_vcpu_off(&v2_cpuif, p);
	mmio_write32(gich(GICH_HCR), 0);
	private_reset();
	mmio_write32(gicc(GICC_CTLR), 0);
	dsb(sy);
}

/* ---------------------------------------------------------------------- */
/* The hypervisor's own interrupts */

/*
 * Learn this CPU's interface number (the banked GICD_ITARGETSR0 reads as
 * it), and allow (cell CPU) or forbid (root CPU) the kick SGI and the
 * maintenance interrupt here, dropping stale ones.
 */
static void v2_cpu_init(struct per_cpu *p)
{
	u64 gicd = hv.sys->gicd_base;

	p->arch.gic_cpu_if = mmio_read8(gicd + GICD_ITARGETSR);
	if (READ_ONCE(p->cell)) {
		mmio_write32(gicd + GICD_ISENABLER, HV_PRIVATE_IRQS);
	} else {
		mmio_write32(gicd + GICD_ICENABLER, HV_PRIVATE_IRQS);
		mmio_write32(gicd + GICD_ICPENDR, HV_PRIVATE_IRQS);
		mmio_write8(gicd + GICD_CPENDSGIR + KICK_SGI, 0xff);
	}
	dsb(sy);
}

static void v2_kick(u32 cpu)
{
	dsb(ish);
	mmio_write32(hv.sys->gicd_base + GICD_SGIR,
		     per_cpu[cpu].arch.gic_cpu_if << GICD_SGIR_TARGETS_SHIFT | KICK_SGI);
}

static bool v2_covers(u64 base, u64 size)
{
	return gic_overlaps(base, size, hv.sys->gicd_base, GICV2_GICD_SIZE) ||
	       gic_overlaps(base, size, hv.sys->gicc_base, GICC_SIZE) ||
	       gic_overlaps(base, size, hv.sys->gich_base, GICH_SIZE) ||
	       gic_overlaps(base, size, hv.sys->gicv_base, GICV_SIZE);
}

/* ---------------------------------------------------------------------- */
/* Interrupts changing hands */

static u64 v2_route_get(u32 irq)
{
	return mmio_read8(hv.sys->gicd_base + GICD_ITARGETSR + irq);
}

/* Root's saved targets, or (@c given) the cell's first CPU. */
static void v2_route_set(struct cell *c, u32 irq, u64 v)
{
	if (c) {
		v = per_cpu[__builtin_ctzll(c->cpu_set)].arch.gic_cpu_if;
		if (!v)
			c->arch.route_late = true;
	}
	mmio_write8(hv.sys->gicd_base + GICD_ITARGETSR + irq, (u8)v);
}

/*
 * Root's own SPIs that target the cell's CPUs (root set that by hand:
 * Linux moves its interrupts off a CPU it takes offline) lose those
 * targets; one left with none goes to the CPU that creates the cell.
 */
static void root_spis_away(struct cell *c)
{
	u32 cell_ifs = 0, cpu, irq;
	u8 t;

	for_each_cpu(cpu, c->cpu_set)
		cell_ifs |= per_cpu[cpu].arch.gic_cpu_if;
	spin_lock(&gicd_lock);	/* a racing root_targets() is seen here or refused there */
	for (irq = WARDEN_IRQ_SPI_FIRST; irq < gic_num_irqs(); irq++) {
		t = (u8)v2_route_get(irq);
		if (gic_spi_is_cells(irq) || !(t & cell_ifs))
			continue;
		t &= (u8)~cell_ifs;
		mmio_write8(hv.sys->gicd_base + GICD_ITARGETSR + irq,
			    t ? t : (u8)this_cpu()->arch.gic_cpu_if);
	}
	spin_unlock(&gicd_lock);
}

static void v2_cell_take(struct cell *c)
{
	gic_spis_take(c, v2_route_get, v2_route_set);
	root_spis_away(c);
}

static void v2_cell_give_back(struct cell *c)
{
	gic_spis_give_back(c, v2_route_set);
}

/* The CPUs' private interrupts are banked: reset on the CPUs themselves (vcpu_on, vcpu_off). */
static void v2_cell_cpus_reset(struct cell *c)
{
	(void)c;
}

/* ---------------------------------------------------------------------- */
/* The distributor as a cell sees it */

/* The cell's CPUs named by a CPU interface bitmask, or -1 when one is not the cell's. */
static s64 cpus_of_targets(const struct cell *c, u32 targets)
{
	u64 cpus = 0;
	u32 cpu;

	for_each_cpu(cpu, c->cpu_set)
		if (per_cpu[cpu].arch.gic_cpu_if & targets) {
			cpus |= BIT(cpu);
			targets &= ~per_cpu[cpu].arch.gic_cpu_if;
		}
	return targets ? -1 : (s64)cpus;
}

/* GICD_SGIR: SGIs to the cell's own CPUs only, delivered as virtual SGIs. */
static bool cell_sgir(struct cell *c, struct mmio_access *m)
{
	u32 v = (u32)m->value, filter = v >> GICD_SGIR_FILTER_SHIFT & 3;
	u64 self = BIT(this_cpu()->cpu);
	s64 targets;

	if (m->size != 4)
		return false;
	if (filter == 0)
		targets = cpus_of_targets(c, v >> GICD_SGIR_TARGETS_SHIFT & 0xff);
	else if (filter == 1)
		targets = (s64)(c->cpu_set & ~self);
	else if (filter == 2)
		targets = (s64)self;
	else
		return false;
	if (targets < 0)
		return false;
	gic_send_vsgis(&v2_cpuif, c, (u64)targets, v & 0xf);
	return true;
}

/* Target bytes of SPIs: its own read and set only to its own CPUs; another's reads as zero. */
static bool cell_targets(struct cell *c, struct mmio_access *m)
{
	u64 base = hv.sys->gicd_base + GICD_ITARGETSR;
	u32 first = (u32)(m->offset - GICD_ITARGETSR), i;
	u64 v = 0;

	if (first < WARDEN_IRQ_SPI_FIRST) {	/* the CPU's own number, read-only */
		if (!m->write)
			acc_read(m, mmio_read32(base + (first & ~3U)));
		return true;
	}
	for (i = 0; i < m->size; i++) {
		u32 irq = first + i;
		u8 t = (u8)(m->value >> (i * 8));

		if (!cell_owns_irq(c, irq))
			continue;
		if (!m->write)
			v |= (u64)mmio_read8(base + irq) << (i * 8);
		else if (cpus_of_targets(c, t) < 0)
			return false;
		else
			mmio_write8(base + irq, t);
	}
	m->value = m->write ? m->value : v;
	return true;
}

/* Is @off in the first (banked, per-CPU) word of a distributor array? */
static bool banked(u64 off)
{
	return (in(off, GICD_ISENABLER, GICD_IPRIORITYR - GICD_ISENABLER) && off % 0x80 < 4) ||
	       in(off, GICD_IPRIORITYR, WARDEN_IRQ_SPI_FIRST) ||
	       in(off, GICD_ICFGR, 8);
}

static bool v2_dist_reg(struct cell *c, struct mmio_access *m, bool *ok)
{
	u64 gicd = hv.sys->gicd_base, off = m->offset;

	if (m->size == 8) {
		*ok = false;
		return true;
	}
	if (off < GICD_IGROUPR || in(off, GICD_ID_REGS, GICV2_GICD_SIZE - GICD_ID_REGS)) {
		if (!m->write)	/* CTLR, TYPER, IIDR, ID registers */
			acc_read(m, mmio_read32(gicd + (off & ~3ULL)));
		return true;	/* writes ignored: the distributor is root's */
	}
	if (in(off, GICD_IGROUPR, 0x80) || in(off, GICD_CPENDSGIR, 0x20)) {
		m->value = 0;	/* no groups for cells; SGIs go through GICD_SGIR */
		return true;
	}
	if (banked(off))
		*ok = gic_private_emulate(gicd, m, false);
	else if (in(off, GICD_ITARGETSR, GIC_SPURIOUS))
		*ok = cell_targets(c, m);
	else if (off == GICD_SGIR)
		*ok = m->write ? cell_sgir(c, m) : (m->value = 0, true);
	else
		return false;
	return true;
}

static enum trap_result gicd_access(struct cell *c, struct mmio_access *m, void *opaque)
{
	(void)opaque;
	return gicd_emulate(c, m, v2_dist_reg);
}

static int v2_cell_init(struct cell *c)
{
	if (cell_direct(c))
		return -EOPNOTSUPP;	/* GICv2 cannot keep a direct cell stoppable */
	return mmio_register(&c->mmio, hv.sys->gicd_base, GICV2_GICD_SIZE, WARDEN_FAULT_GIC,
			     gicd_access, NULL) ?:
	       pt_map(&c->pt, hv.sys->gicc_base, hv.sys->gicv_base, GICV_SIZE,
		      PT_READ | PT_WRITE | PT_DEVICE);
}

/* ---------------------------------------------------------------------- */
/* The distributor as root writes it */

/* The interface numbers of the CPUs cells own. */
static u32 cells_cpu_ifs(void)
{
	u32 cells = 0, cpu;

	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		if (READ_ONCE(per_cpu[cpu].cell))
			cells |= per_cpu[cpu].arch.gic_cpu_if;
	return cells;
}

/*
 * Root's SGIs reach root's CPUs only, never one a cell owns. CPUs not
 * under the hypervisor yet (during enable, or offline) are root's: their
 * interface numbers are not known, so the check is by exclusion.
 */
static void root_sgir(u32 v)
{
	u32 filter = v >> GICD_SGIR_FILTER_SHIFT & 3, cells = cells_cpu_ifs(), self, targets;

	self = this_cpu()->arch.gic_cpu_if;
	if (filter == 1 && !cells) {
		targets = 0;	/* as it is: the hardware knows "all but self" */
	} else if (filter == 1) {
		v &= ~(3U << GICD_SGIR_FILTER_SHIFT);
		targets = 0xff & ~self & ~cells;
		if (!targets)
			return;
	} else if (filter == 0) {
		targets = v >> GICD_SGIR_TARGETS_SHIFT & 0xff & ~cells;
		if (!targets)
			return;
	} else if (filter == 2) {
		targets = 0;
	} else {
		return;
	}
	v &= ~(0xffU << GICD_SGIR_TARGETS_SHIFT);
	mmio_write32(hv.sys->gicd_base + GICD_SGIR, v | targets << GICD_SGIR_TARGETS_SHIFT);
}

/* Root's SPI targets: never a cell's SPI, never to a CPU a cell owns. */
static void root_targets(struct mmio_access *m)
{
	u64 base = hv.sys->gicd_base + GICD_ITARGETSR;
	u32 first = (u32)(m->offset - GICD_ITARGETSR), cells, i;

	spin_lock(&gicd_lock);	/* against a cell taking this SPI, or CPUs (root_spis_away()) */
	cells = cells_cpu_ifs();
	for (i = 0; i < m->size && m->size <= 4; i++) {
		u32 irq = first + i;
		u8 t = (u8)(m->value >> (i * 8));

		if (irq >= WARDEN_IRQ_SPI_FIRST && !gic_spi_is_cells(irq) && !(t & cells))
			mmio_write8(base + irq, t);
	}
	spin_unlock(&gicd_lock);
}

static enum trap_result root_gicd_access(struct cell *c, struct mmio_access *m, void *opaque)
{
	(void)c, (void)opaque;
	if (m->write && m->offset == GICD_SGIR && m->size == 4)
		root_sgir((u32)m->value);
	else if (m->write && in(m->offset, GICD_ITARGETSR, GIC_SPURIOUS))
		root_targets(m);
	else if (m->write)
		gicd_root_write(m);
	else if (m->size <= 4)	/* reads do not trap, but an aliasing map might */
		acc_read(m, mmio_read32(hv.sys->gicd_base + (m->offset & ~3ULL)));
	return TRAP_HANDLED;
}

/* ---------------------------------------------------------------------- */

const struct irqchip_ops gicv2_ops = {
	.cpu_init = v2_cpu_init,
	.kick = v2_kick,
	.raise = gic_raise,
	.lower = gic_lower,
	.num_irqs = gic_num_irqs,
	.covers = v2_covers,
	.cell_init = v2_cell_init,
	.cell_take = v2_cell_take,
	.cell_give_back = v2_cell_give_back,
	.cell_cpus_reset = v2_cell_cpus_reset,
	.vcpu_on = v2_vcpu_on,
	.vcpu_off = v2_vcpu_off,
	.irq = v2_irq,
};

/* ---------------------------------------------------------------------- */
/* Set-up, MMU off */

u64 gicv2_end(void)
{
	u64 end = hv.sys->gicd_base + GICV2_GICD_SIZE, e;

	e = hv.sys->gicc_base + GICC_SIZE;
	end = e > end ? e : end;
	e = hv.sys->gich_base + GICH_SIZE;
	end = e > end ? e : end;
	e = hv.sys->gicv_base + GICV_SIZE;
	return e > end ? e : end;
}

/*
 * The hypervisor maps the distributor, the physical CPU interface and the
 * hypervisor interface. Root's distributor becomes read-only, its writes
 * trapped (root's MMIO table); the hypervisor and virtual interfaces leave
 * root's stage 2. Root keeps its CPU interface.
 */
int gicv2_map(struct boot_error *e)
{
	const struct warden_system *s = hv.sys;
	unsigned int dev = PT_READ | PT_WRITE | PT_DEVICE;
	int ret;

	ret = pt_map(&hv.hv_pt, s->gicd_base, s->gicd_base, GICV2_GICD_SIZE, dev);
	ret = ret ?: pt_map(&hv.hv_pt, s->gicc_base, s->gicc_base, GICC_SIZE, dev);
	ret = ret ?: pt_map(&hv.hv_pt, s->gich_base, s->gich_base, GICH_SIZE, dev);
	ret = ret ?: root_map_part(s->gicd_base, GICV2_GICD_SIZE, PT_READ);
	ret = ret ?: pt_unmap(&hv.root_pt, s->gich_base, GICH_SIZE);
	ret = ret ?: pt_unmap(&hv.root_pt, s->gicv_base, GICV_SIZE);
	ret = ret ?: mmio_register(&hv.root_mmio, s->gicd_base, GICV2_GICD_SIZE, WARDEN_FAULT_GIC,
				   (mmio_handler *)link_addr(root_gicd_access), NULL);
	if (ret)
		return boot_fail(e, ret, "cannot map the GIC's frames", 0, -1, hv.pool.used);
	return 0;
}
