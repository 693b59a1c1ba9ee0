/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GIC inside arch/arm64: what gic.c (the parts GICv2 and GICv3 share:
 * the distributor, injection, SPIs changing hands) and the two versions'
 * files (gic-v3.c, gic-v2.c) give each other. The core sees only the
 * struct irqchip_ops each version exports.
 */
#ifndef __ARM64_GIC_H__
#define __ARM64_GIC_H__

#include <types.h>
#include <irqchip.h>
#include <hv.h>

#define KICK_SGI	15	/* the hypervisor's own SGI, to stop a cell's CPU */
#define MAINT_PPI	25	/* the virtual CPU interface's maintenance interrupt */
#define HV_PRIVATE_IRQS	(1U << KICK_SGI | 1U << MAINT_PPI)	/* no cell may touch them */
#define GIC_SPURIOUS	1020	/* INTIDs from here on are special */

#define GICD_SIZE	0x10000		/* GICv3; GICv2's distributor is 4 KiB */
#define GICV2_GICD_SIZE	0x1000

/* Distributor registers both versions share; per-interrupt arrays from these offsets */
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
#define GICD_PIDR2_V2		0x0fe8	/* ArchRev in [7:4] */
#define GICD_PIDR2_V3		0xffe8

struct cell;
struct mmio_access;
struct per_cpu;
struct trap;

/*
 * The virtual CPU interface of one version: list registers and the
 * physical interface the hypervisor acknowledges interrupts on.
 */
/*
 * A direct cell's priorities, folded into the lower half as a GIC with two
 * security states folds the non-secure ones: the hypervisor's kick (0x00)
 * always preempts whatever the cell runs. 16 levels remain (5 bits).
 */
static inline u8 prio_to_hw(u8 v)
{
	return (u8)(0x80 | v >> 1);
}

static inline u8 prio_from_hw(u8 p)
{
	return (u8)(p << 1);
}

/* Is @off in [base, base + size)? */
static inline bool in(u64 off, u64 base, u64 size)
{
	return off >= base && off < base + size;
}

static inline bool cell_direct(const struct cell *c)
{
	return c->cfg->flags & WARDEN_CELL_IRQ_DIRECT;
}

struct gic_cpuif {
	u32 (*lr_count)(void);
	u64 (*lr_empty)(void);			/* bit n: list register n is free */
	bool (*lr_find)(u32 n, u32 intid);	/* does live list register n hold @intid? */
	void (*lr_pend)(u32 n);			/* make list register n's interrupt pending again */
	void (*lr_put)(u32 n, u32 intid, bool hw);
	void (*lr_clear)(u32 n);		/* deactivating a physical interrupt it held */
	void (*underflow)(bool on);		/* maintenance once list registers free up */
	u32 (*ack)(bool group0);		/* the physical IAR, as read */
	void (*drop)(u32 iar, bool group0);	/* priority drop (EOImode 1) */
	void (*deactivate)(u32 iar);
	u32 intid_mask;				/* the INTID in an IAR value */
};

/* gic.c (injection: gic-inject.h) */
extern struct spinlock gicd_lock;
u32 gic_num_irqs(void);
void gic_raise(u32 irq);
void gic_lower(u32 irq);
bool gic_overlaps(u64 a, u64 asz, u64 b, u64 bsz);
u32 gicd_field(u64 reg, u32 irq, u32 bits);
void gicd_field_set(u64 reg, u32 irq, u32 bits, u32 v);
void gicd_spi_quiesce(u32 irq);
void gic_spis_take(struct cell *c, u64 (*route_get)(u32 irq), void (*route_set)(struct cell *c, u32 irq, u64 v));
void gic_spis_give_back(struct cell *c, void (*route_set)(struct cell *c, u32 irq, u64 v));
enum trap_result gicd_emulate(struct cell *c, struct mmio_access *m,
			      bool (*version_reg)(struct cell *c, struct mmio_access *m, bool *ok));
bool gic_private_emulate(u64 base, struct mmio_access *m, bool fold);
bool gic_spi_is_cells(u32 irq);
void gicd_root_write(struct mmio_access *m);
void acc_read(struct mmio_access *m, u32 view);
u32 acc_mask(const struct mmio_access *m);
u32 acc_bits(const struct mmio_access *m);

/* setup.c: the link address of @p, taken with the MMU off */
u64 link_addr(const void *p);

/* gic-v3.c, gic-v2.c */
extern const struct irqchip_ops gicv3_ops, gicv2_ops;
enum trap_result gicv3_sysreg(struct trap *t);
u64 gicv3_end(void);
int gicv3_map(struct boot_error *e);
u64 gicv2_end(void);
int gicv2_map(struct boot_error *e);

#endif /* __ARM64_GIC_H__ */
