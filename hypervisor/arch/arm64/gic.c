// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GIC's distributor, the part GICv2 and GICv3 share: as the hypervisor
 * drives it, as cells see it, as root writes it where that traps, and the
 * checks at enable. Injection is in gic-inject.h.
 *
 * The distributor is not mapped into cells: every access traps and is
 * emulated for the SPIs the cell owns; setting any other interrupt fails
 * the cell. What differs between the versions (routing, SGIs, the CPU
 * interfaces, the redistributors) is in gic-v3.c and gic-v2.c.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include "gic.h"

#define GICD_CTLR_RWP		(1U << 31)
#define GICD_ITARGETSR		0x0800
#define GICD_CPENDSGIR		0x0f10	/* then SPENDSGIR: this CPU's SGIs */
#define SPI_PRIO_DEFAULT	0xa0
#define RWP_WAIT_LOOPS		100000

/*
 * The distributor's read-modify-writes (a cell's, root's trapped ones, SPIs
 * and CPUs changing hands) one at a time, and which SPIs cells own now:
 * root's trapped writes leave those alone.
 */
struct spinlock gicd_lock;
static u32 cell_spis[GIC_SPURIOUS / 32 + 1];

bool gic_spi_is_cells(u32 irq)
{
	return irq >= WARDEN_IRQ_SPI_FIRST && irq < GIC_SPURIOUS &&
	       READ_ONCE(cell_spis[irq / 32]) & BIT(irq % 32);
}

/* ---------------------------------------------------------------------- */
/* The distributor, as the hypervisor drives it */

/* INTIDs the distributor implements (GICD_TYPER.ITLinesNumber), at most 1020. */
u32 gic_num_irqs(void)
{
	u32 n = ((mmio_read32(hv.sys->gicd_base + GICD_TYPER) & 0x1f) + 1) * 32;

	return n > GIC_SPURIOUS ? GIC_SPURIOUS : n;
}

void gic_raise(u32 irq)
{
	dsb(ish);
	mmio_write32(hv.sys->gicd_base + GICD_ISPENDR + 4 * (irq / 32), 1U << (irq % 32));
}

void gic_lower(u32 irq)
{
	mmio_write32(hv.sys->gicd_base + GICD_ICPENDR + 4 * (irq / 32), 1U << (irq % 32));
}

bool gic_overlaps(u64 a, u64 asz, u64 b, u64 bsz)
{
	return a < b + bsz && b < a + asz;
}

u32 gicd_field(u64 reg, u32 irq, u32 bits)
{
	u32 per = 32 / bits;

	return mmio_read32(hv.sys->gicd_base + reg + irq / per * 4) >> (irq % per * bits) &
	       ((1U << bits) - 1);
}

void gicd_field_set(u64 reg, u32 irq, u32 bits, u32 v)
{
	u64 a = hv.sys->gicd_base + reg + irq / (32 / bits) * 4;
	u32 shift = irq % (32 / bits) * bits, mask = ((1U << bits) - 1) << shift;

	mmio_write32(a, (mmio_read32(a) & ~mask) | (v << shift & mask));
}

/* Disable @irq, drop its pending and active state, and wait until the GIC took it in. */
void gicd_spi_quiesce(u32 irq)
{
	u64 gicd = hv.sys->gicd_base;
	u32 n;

	mmio_write32(gicd + GICD_ICENABLER + irq / 32 * 4, 1U << (irq % 32));
	mmio_write32(gicd + GICD_ICPENDR + irq / 32 * 4, 1U << (irq % 32));
	mmio_write32(gicd + GICD_ICACTIVER + irq / 32 * 4, 1U << (irq % 32));
	for (n = 0; n < RWP_WAIT_LOOPS && mmio_read32(gicd + GICD_CTLR) & GICD_CTLR_RWP; n++)
		;
}

/* GICv3's group modifier (GICv2 has implementation-defined registers there) */
#define GICD_IGRPMODR		0x0d00

/*
 * The cell takes its SPIs: root's configuration of each is saved, and the
 * cell finds it disabled, inactive, not pending, at a middle priority and
 * routed to its first CPU. The trigger mode stays (it is the wiring's).
 * GICv3: Non-secure Group 1. GICv2: the group stays root's, the one the
 * CPU interface signals (gic-v2.c enables one group, as root's Linux
 * does): from the non-secure side of a GIC with the Security Extensions
 * the groups cannot be changed anyway, and on one without them (QEMU's)
 * a Group 1 SPI would never be signalled to the cell's CPU.
 */
void gic_spis_take(struct cell *c, u64 (*route_get)(u32 irq),
		   void (*route_set)(struct cell *c, u32 irq, u64 v))
{
	bool v3 = hv.sys->gic_version == WARDEN_GIC_V3;
	u64 gicd = hv.sys->gicd_base;
	u32 i;

	spin_lock(&gicd_lock);
	for (i = 0; i < c->cfg->num_irqs; i++) {
		struct spi_saved *s = &c->arch.spi_saved[i];
		u32 irq = c->irqs[i];

		WRITE_ONCE(cell_spis[irq / 32], cell_spis[irq / 32] | BIT(irq % 32));
		s->irq = irq;
		s->enabled = (u8)gicd_field(GICD_ISENABLER, irq, 1);
		gicd_spi_quiesce(irq);
		s->group = (u8)gicd_field(GICD_IGROUPR, irq, 1);
		s->modifier = v3 ? (u8)gicd_field(GICD_IGRPMODR, irq, 1) : 0;
		s->config = (u8)gicd_field(GICD_ICFGR, irq, 2);
		s->priority = mmio_read8(gicd + GICD_IPRIORITYR + irq);
		s->route = route_get(irq);
		if (v3) {
			gicd_field_set(GICD_IGROUPR, irq, 1, 1);
			gicd_field_set(GICD_IGRPMODR, irq, 1, 0);
		}
		mmio_write8(gicd + GICD_IPRIORITYR + irq,
			    cell_direct(c) ? prio_to_hw(SPI_PRIO_DEFAULT) : SPI_PRIO_DEFAULT);
		route_set(c, irq, 0);
	}
	c->arch.spis_taken = true;
	dsb(sy);
	spin_unlock(&gicd_lock);
}

/* The cell is gone: each SPI back to exactly what root had set, enabled if it was. */
void gic_spis_give_back(struct cell *c, void (*route_set)(struct cell *c, u32 irq, u64 v))
{
	u64 gicd = hv.sys->gicd_base;
	u32 i;

	if (!c->arch.spis_taken)
		return;
	spin_lock(&gicd_lock);
	for (i = 0; i < c->cfg->num_irqs; i++) {
		const struct spi_saved *s = &c->arch.spi_saved[i];

		gicd_spi_quiesce(s->irq);
		gicd_field_set(GICD_IGROUPR, s->irq, 1, s->group);
		if (hv.sys->gic_version == WARDEN_GIC_V3)
			gicd_field_set(GICD_IGRPMODR, s->irq, 1, s->modifier);
		gicd_field_set(GICD_ICFGR, s->irq, 2, s->config);
		mmio_write8(gicd + GICD_IPRIORITYR + s->irq, s->priority);
		route_set(NULL, s->irq, s->route);
		if (s->enabled)
			mmio_write32(gicd + GICD_ISENABLER + s->irq / 32 * 4, 1U << (s->irq % 32));
		dsb(sy);
		WRITE_ONCE(cell_spis[s->irq / 32], cell_spis[s->irq / 32] & ~BIT(s->irq % 32));
	}
	c->arch.spis_taken = false;
	spin_unlock(&gicd_lock);
}

/* ---------------------------------------------------------------------- */
/*
 * The distributor, as a cell sees it.
 *
 * Every access is decoded from the syndrome and checked (core/trap.c:
 * naturally aligned; here: a size the register allows) before anything
 * touches the hardware, and the hardware is only ever accessed at its own
 * width: whole aligned words, bytes where the architecture makes a
 * register byte-accessible (priorities, GICv2's targets), double words for
 * GICv3's routing. A cell's write reaches only the fields of its own
 * interrupts.
 */

/* The bits of @m's 32-bit word its access covers, and their shift. */
static u32 acc_shift(const struct mmio_access *m)
{
	return (u32)(m->offset & 3) * 8;
}

u32 acc_mask(const struct mmio_access *m)
{
	return (u32)(((1ULL << (m->size * 8)) - 1) << acc_shift(m));
}

/* A word read through @view: only the bits of @m's access. */
void acc_read(struct mmio_access *m, u32 view)
{
	m->value = (view & acc_mask(m)) >> acc_shift(m);
}

/* The write as bits of its word. */
u32 acc_bits(const struct mmio_access *m)
{
	return (u32)(m->value << acc_shift(m)) & acc_mask(m);
}

/* The fields (@bits wide, INTID 0 at offset 0) of the word at @word that are @c's SPIs. */
static u32 owned_mask(const struct cell *c, u64 word, u32 bits)
{
	u32 first = (u32)(word * 8 / bits), i, mask = 0;

	for (i = 0; i < 32 / bits; i++)
		if (first + i >= WARDEN_IRQ_SPI_FIRST && cell_owns_irq(c, first + i))
			mask |= ((1U << bits) - 1) << (i * bits);
	return mask;
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

/* Priorities, byte per interrupt: another's read as zero; a direct cell's folded. */
static bool gicd_bytes(struct cell *c, struct mmio_access *m, u64 reg_base)
{
	u64 base = hv.sys->gicd_base + reg_base;
	u32 first = (u32)(m->offset - reg_base), i;
	bool fold = cell_direct(c);
	u64 v = 0;

	for (i = 0; i < m->size; i++) {
		u32 irq = first + i;
		u8 b = (u8)(m->value >> (i * 8));

		if (irq < WARDEN_IRQ_SPI_FIRST || !cell_owns_irq(c, irq))
			continue;	/* another's: reads as zero, writes ignored */
		if (m->write)
			mmio_write8(base + irq, fold ? prio_to_hw(b) : b);
		else
			v |= (u64)(fold ? prio_from_hw(mmio_read8(base + irq)) :
					  mmio_read8(base + irq)) << (i * 8);
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

/*
 * A cell's distributor access. @version_reg gets it first: it handles the
 * registers only its version has (setting *@ok false for one the cell may
 * not make) and returns whether it did.
 */
enum trap_result gicd_emulate(struct cell *c, struct mmio_access *m,
			      bool (*version_reg)(struct cell *c, struct mmio_access *m, bool *ok))
{
	u64 off = m->offset, word = off & ~3ULL;
	bool ok = true;

	spin_lock(&gicd_lock);
	if (version_reg(c, m, &ok))
		;
	else if (m->size == 8)
		ok = false;
	else if (in(off, GICD_IGROUPR, 0x80)) {
		if (!m->write)		/* its interrupts are Group 1, and stay so */
			acc_read(m, owned_mask(c, word - GICD_IGROUPR, 1));
	} else if (in(off, GICD_ISENABLER, GICD_IPRIORITYR - GICD_ISENABLER))
		ok = gicd_set_clear(c, m, word);
	else if (in(off, GICD_IPRIORITYR, GIC_SPURIOUS))
		ok = gicd_bytes(c, m, GICD_IPRIORITYR);
	else if (in(off, GICD_ICFGR, 0x100))
		ok = gicd_config(c, m, word);
	else
		m->value = 0;	/* the rest (group modifiers...): zero, writes ignored */
	spin_unlock(&gicd_lock);
	return ok ? TRAP_HANDLED : TRAP_FORBIDDEN;
}

/*
 * The private interrupts of the CPU a cell runs on, in the register block
 * at @base (GICv3: its redistributor's SGI frame; GICv2: the distributor's
 * banked first words, accessed on that CPU): anything of its SGIs and PPIs
 * but the hypervisor's own. @m->offset is into the block; reads show the
 * hardware.
 */
bool gic_private_emulate(u64 base, struct mmio_access *m, bool fold)
{
	u64 off = m->offset, word = off & ~3ULL;
	u32 cur, keep, i;

	if (m->size == 8)
		return false;
	if (!m->write && fold && in(off, GICD_IPRIORITYR, 32)) {
		for (i = 0, m->value = 0; i < m->size; i++)
			m->value |= (u64)prio_from_hw(mmio_read8(base + off + i)) << (i * 8);
		return true;
	}
	if (!m->write) {
		acc_read(m, mmio_read32(base + word));
		return true;
	}
	if (word >= GICD_ISENABLER && word <= GICD_ICACTIVER && word % 0x80 == 0) {
		cur = acc_bits(m) & ~HV_PRIVATE_IRQS;
		if (cur)
			mmio_write32(base + word, cur);
	} else if (in(off, GICD_IPRIORITYR, 32)) {
		for (i = 0; i < m->size; i++) {
			u32 irq = (u32)(off - GICD_IPRIORITYR) + i;
			u8 b = (u8)(m->value >> (i * 8));

			if (!(HV_PRIVATE_IRQS & BIT(irq)))
				mmio_write8(base + GICD_IPRIORITYR + irq, fold ? prio_to_hw(b) : b);
		}
	} else if (word == GICD_ICFGR + 4) {
		keep = 3U << (MAINT_PPI - 16) * 2 | ~acc_mask(m);
		cur = mmio_read32(base + word);
		mmio_write32(base + word, (cur & keep) | (acc_bits(m) & ~keep));
	}
	return true;	/* group, modifier, SGI configuration, others: ignored */
}

/* ---------------------------------------------------------------------- */
/*
 * The distributor, as root writes it (it is read-only in root's stage 2):
 * root's own interrupts as the hardware would have it, nothing of a cell's.
 * Root's view of its CPU's banked registers (the first word of each array)
 * is its own; the distributor's enable stays on for the cells.
 */

/*
 * Root's write of @bits (the bits @mask of its access) to the word at
 * @word of an array starting at @array, @per bits per interrupt: the
 * fields of cells' SPIs are left as they are. @rmw: a plain register
 * (read, merge, write); else one where zeros change nothing (set/clear).
 */
static void root_word(u64 word, u64 array, u32 per, u32 bits, u32 mask, bool rmw)
{
	u64 reg = hv.sys->gicd_base + word;
	u32 first = (u32)((word - array) * 8 / per), i, keep = ~mask;

	for (i = 0; i < 32 / per; i++)
		if (gic_spi_is_cells(first + i))
			keep |= ((1U << per) - 1) << (i * per);
	if (rmw)
		mmio_write32(reg, (mmio_read32(reg) & keep) | (bits & ~keep));
	else if (bits & ~keep)
		mmio_write32(reg, bits & ~keep);
}

void gicd_root_write(struct mmio_access *m)
{
	u64 off = m->offset, word = off & ~3ULL, gicd = hv.sys->gicd_base;
	u32 i;

	if (m->size == 8 || !m->write || off < GICD_IGROUPR)
		return;		/* CTLR, TYPER...: the distributor stays as it is */
	spin_lock(&gicd_lock);
	if (in(off, GICD_IGROUPR, 0x80))
		root_word(word, GICD_IGROUPR, 1, acc_bits(m), acc_mask(m), true);
	else if (in(off, GICD_ISENABLER, GICD_IPRIORITYR - GICD_ISENABLER))
		root_word(word, word & ~0x7fULL, 1, acc_bits(m), acc_mask(m), false);
	else if (in(off, GICD_IPRIORITYR, GIC_SPURIOUS))
		for (i = 0; i < m->size; i++) {
			u32 irq = (u32)(off + i - GICD_IPRIORITYR);

			if (!gic_spi_is_cells(irq))
				mmio_write8(gicd + off + i, (u8)(m->value >> (i * 8)));
		}
	else if (in(off, GICD_ICFGR, 0x100))
		root_word(word, GICD_ICFGR, 2, acc_bits(m), acc_mask(m), true);
	else if (in(off, GICD_IGRPMODR, 0x80) && hv.sys->gic_version == WARDEN_GIC_V3)
		root_word(word, GICD_IGRPMODR, 1, acc_bits(m), acc_mask(m), true);
	else if (in(off, GICD_CPENDSGIR, 0x20) && m->size == 4)
		mmio_write32(gicd + off, (u32)m->value);	/* its own CPU's SGIs */
	dsb(sy);
	spin_unlock(&gicd_lock);
}

/* ---------------------------------------------------------------------- */
/* Set-up: direct calls, with the MMU off */

#define ID_AA64PFR0_GIC_SHIFT	24
#define ICC_SRE_EL2		S3_4_C12_C9_5
#define ICC_SRE_SRE		(1UL << 0)

/*
 * Is the GIC the one the system describes? GICv3 is there when the CPU has
 * its system register interface (ID_AA64PFR0_EL1.GIC) and Linux turned it
 * on (ICC_SRE_EL2.SRE); the distributor's GICD_PIDR2 confirms the version.
 * A wrong frame address cannot be seen here: warden.ko checks the frames
 * against Linux's device tree before loading the hypervisor.
 */
static int gic_probe_version(struct boot_error *e, bool sysreg_if)
{
	u32 off = sizeof(struct warden_config_header) +
		  __builtin_offsetof(struct warden_system, gic_version);
	u32 version = hv.sys->gic_version, arch_rev;
	u64 pfr0 = read_sysreg(id_aa64pfr0_el1);

	if (version == WARDEN_GIC_V3 && !sysreg_if)
		return boot_fail(e, -ENODEV, "the system says GICv3, the CPU has no GICv3 interface on (a GICv2?); value: ID_AA64PFR0_EL1",
				 off, -1, pfr0);
	if (version == WARDEN_GIC_V2 && sysreg_if)
		return boot_fail(e, -ENODEV, "the system says GICv2, the CPU runs a GICv3 interface; value: ICC_SRE_EL2",
				 off, -1, read_sysreg(ICC_SRE_EL2));
	arch_rev = mmio_read32(hv.sys->gicd_base +
			       (version == WARDEN_GIC_V3 ? GICD_PIDR2_V3 : GICD_PIDR2_V2)) >> 4 & 0xf;
	if (arch_rev != version)
		return boot_fail(e, -ENODEV, version == WARDEN_GIC_V3 ?
				 "the system says GICv3, the distributor reports another version; value: its GICD_PIDR2.ArchRev" :
				 "the system says GICv2, the distributor reports another version; value: its GICD_PIDR2.ArchRev",
				 off, -1, arch_rev);
	return 0;
}

static bool cpu_has_gicv3(void)
{
	return (read_sysreg(id_aa64pfr0_el1) >> ID_AA64PFR0_GIC_SHIFT & 0xf) &&
	       read_sysreg(ICC_SRE_EL2) & ICC_SRE_SRE;
}

int arch_irqchip_probe(struct boot_error *e)
{
	return gic_probe_version(e, cpu_has_gicv3());
}

u64 arch_irqchip_end(void)
{
	return hv.sys->gic_version == WARDEN_GIC_V3 ? gicv3_end() : gicv2_end();
}

int arch_irqchip_map(struct boot_error *e)
{
	return hv.sys->gic_version == WARDEN_GIC_V3 ? gicv3_map(e) : gicv2_map(e);
}
