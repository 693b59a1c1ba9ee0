/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Interrupts for cells, trap and inject: the part GICv2 and GICv3 share,
 * included by gic-v3.c and gic-v2.c. Each passes its own constant struct
 * gic_cpuif, so that the compiler inlines the list register accessors
 * into one straight path: an interrupt's way from EL2 into a cell is what
 * the latency benchmark measures (gic-demo's timer under -icount: 492
 * instructions through function pointers, 413 inlined).
 *
 * On a cell's CPU, HCR_EL2.IMO/FMO route physical interrupts to EL2 and
 * give the cell the virtual CPU interface. An interrupt of the cell (its
 * CPUs' PPIs, its SPIs) is acknowledged at EL2, priority-dropped (EOImode
 * 1) and put in a list register with the HW bit, so that the cell's own
 * EOI deactivates the physical interrupt. The cell's SGIs, for its own
 * CPUs only, travel as a bit in the target's per-CPU state plus the
 * hypervisor's kick SGI, and are injected as virtual SGIs.
 */
#ifndef __ARM64_GIC_INJECT_H__
#define __ARM64_GIC_INJECT_H__

#include <hv.h>
#include <string.h>
#include "gic.h"

static __always_inline void pending_set(struct per_cpu *p, u32 intid, bool hw)
{
	p->arch.vgic_pending[intid / 64] |= BIT(intid % 64);
	if (hw)
		p->arch.vgic_hw[intid / 64] |= BIT(intid % 64);
	else
		p->arch.vgic_hw[intid / 64] &= ~BIT(intid % 64);
}

/* Is @intid in a list register already? Then a virtual SGI is made pending there. */
static __always_inline bool lr_merge(const struct gic_cpuif *cif, u32 intid, bool hw, u32 lrs)
{
	u32 n;

	for (n = 0; n < lrs; n++) {
		if (!cif->lr_find(n, intid))
			continue;
		if (!hw)
			cif->lr_pend(n);
		return true;
	}
	return false;
}

/* Move what is pending in software into free list registers. */
static __always_inline void gic_flush(const struct gic_cpuif *cif, struct per_cpu *p)
{
	u32 lrs = cif->lr_count(), w;
	u64 empty = cif->lr_empty() & ((1ULL << lrs) - 1);
	bool left = false;

	for (w = 0; w < ARRAY_SIZE(p->arch.vgic_pending); w++) {
		while (p->arch.vgic_pending[w]) {
			u32 bit = __builtin_ctzll(p->arch.vgic_pending[w]), intid = w * 64 + bit, n;
			bool hw = p->arch.vgic_hw[w] & BIT(bit);

			if (!lr_merge(cif, intid, hw, lrs)) {
				if (!empty) {
					left = true;
					goto out;
				}
				n = __builtin_ctzll(empty);
				empty &= ~BIT(n);
				cif->lr_put(n, intid, hw);
			}
			p->arch.vgic_pending[w] &= ~BIT(bit);
		}
	}
out:
	cif->underflow(left);
}

/* SGIs the cell's other CPUs sent this one. */
static __always_inline void take_vsgis(struct per_cpu *p)
{
	u32 sgis = __atomic_exchange_n(&p->arch.vsgi_pending, 0, __ATOMIC_ACQUIRE), n;

	for (n = 0; n < 16; n++)
		if (sgis & BIT(n))
			pending_set(p, n, false);
}

/*
 * A physical interrupt at EL2 on a cell's CPU. @fiq: a Group 0 one, never
 * the cell's (its own are Group 1): acknowledged and dropped, or it would
 * be taken again at once. Physical SGIs are the hypervisor's kick only: a
 * cell's own SGIs travel as virtual ones, and one that root aimed at the
 * CPU is not the cell's business.
 */
static __always_inline void gic_handle_irq(const struct gic_cpuif *cif, bool fiq)
{
	struct per_cpu *p = this_cpu();
	u32 iar = cif->ack(fiq), intid = iar & cif->intid_mask;

	if (intid >= GIC_SPURIOUS)
		return;
	cif->drop(iar, fiq);
	if (fiq) {
		cif->deactivate(iar);
		cell_log(p->cell, "CPU %u: Group 0 interrupt %u on a cell's CPU; dropped\n", p->cpu,
			 intid);
		return;
	}
	if (intid < 16 || intid == MAINT_PPI) {
		cif->deactivate(iar);
		if (intid == KICK_SGI) {
			cell_kicked();
			take_vsgis(p);
		}
	} else if (intid < WARDEN_IRQ_SPI_FIRST || cell_owns_irq(p->cell, intid)) {
		/* Deactivated by the cell's EOI, through the HW bit. */
		pending_set(p, intid, true);
	} else {
		/* Not the cell's: nothing to do but drop it. */
		cif->deactivate(iar);
		cell_log(p->cell, "CPU %u: interrupt %u is not cell %u's; dropped\n", p->cpu, intid,
			 p->cell->id);
	}
	gic_flush(cif, p);
}

/* A cell's CPU, just powered on (its list registers zeroed): nothing queued from before. */
static inline void gic_vcpu_on(struct per_cpu *p)
{
	memset(p->arch.vgic_pending, 0, sizeof(p->arch.vgic_pending));
	memset(p->arch.vgic_hw, 0, sizeof(p->arch.vgic_hw));
	p->arch.vsgi_pending = 0;
}

/*
 * The CPU leaves its cell: physical interrupts the cell still held (in a
 * list register or queued) are deactivated, so that nothing stays active
 * for the next owner.
 */
static inline void gic_vcpu_off(const struct gic_cpuif *cif, struct per_cpu *p)
{
	u32 n, w;

	for (n = 0; n < cif->lr_count(); n++)
		cif->lr_clear(n);
	for (w = 0; w < ARRAY_SIZE(p->arch.vgic_pending); w++)
		while (p->arch.vgic_pending[w] & p->arch.vgic_hw[w]) {
			u32 bit = __builtin_ctzll(p->arch.vgic_pending[w] & p->arch.vgic_hw[w]);

			cif->deactivate(w * 64 + bit);
			p->arch.vgic_pending[w] &= ~BIT(bit);
		}
}

/* SGIs from the cell, already checked to be for its own CPUs. */
static inline void gic_send_vsgis(const struct gic_cpuif *cif, struct cell *c, u64 targets, u32 sgi)
{
	struct per_cpu *self = this_cpu();
	u32 cpu;

	for_each_cpu(cpu, targets) {
		if (cpu == self->cpu) {
			pending_set(self, sgi, false);
			continue;
		}
		if (!(READ_ONCE(c->cpus_running) & BIT(cpu)))
			continue;	/* off: an SGI to it is lost, as on hardware */
		__atomic_or_fetch(&per_cpu[cpu].arch.vsgi_pending, BIT(sgi), __ATOMIC_RELEASE);
		hv.irqchip->kick(cpu);
	}
	gic_flush(cif, self);
}

#endif /* __ARM64_GIC_INJECT_H__ */
