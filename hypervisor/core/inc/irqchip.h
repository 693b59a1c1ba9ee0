/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The interrupt controller, as the core sees it: one operations table per
 * kind (arm64: GICv3 and GICv2, arch/arm64/gic-v3.c and gic-v2.c), chosen
 * from the system description at enable.
 *
 * The table holds link addresses: it is used only once the EL2 MMU is on.
 * What runs before (checking the description against the hardware, the
 * first page tables) is in arch-hooks.h as direct calls.
 *
 * Who owns what: a cell's interrupts are those its description lists, plus
 * the private ones of its CPUs; the controller's own (the kick that stops a
 * cell's CPU, the virtual interface's maintenance interrupt) belong to no
 * one but the hypervisor, and nothing of the controller's configuration is
 * left to the next owner when a CPU or an interrupt changes hands.
 */
#ifndef __IRQCHIP_H__
#define __IRQCHIP_H__

#include <types.h>

struct cell;
struct per_cpu;

struct irqchip_ops {
	/* This CPU starts under the hypervisor, for root or for its cell. */
	void (*cpu_init)(struct per_cpu *p);
	/* Make @cpu, which runs a cell, enter the hypervisor (to stop, to take SGIs). */
	void (*kick)(u32 cpu);
	/* Make interrupt @irq pending: root's event interrupt, a cell's virtual UART's. */
	void (*raise)(u32 irq);
	/* Take its pending state back (a virtual UART's line went low). */
	void (*lower)(u32 irq);
	/* Interrupt numbers the controller implements: 0 to this, exclusive. */
	u32 (*num_irqs)(void);
	/* Does [base, base + size) touch the controller's frames? */
	bool (*covers)(u64 base, u64 size);
	/* A cell is created: its emulated view of the controller (MMIO, stage 2). */
	int (*cell_init)(struct cell *c);
	/* Its interrupts and its CPUs' private interface leave root: root's state saved. */
	void (*cell_take)(struct cell *c);
	/* ... and come back exactly as root had them. */
	void (*cell_give_back)(struct cell *c);
	/* Its CPUs' private interrupts cleared (create and destroy). */
	void (*cell_cpus_reset)(struct cell *c);
	/* This CPU enters or leaves its cell: the virtual interface on or off. */
	void (*vcpu_on)(struct per_cpu *p);
	void (*vcpu_off)(struct per_cpu *p);
	/* An interrupt reached the hypervisor on a cell's CPU; @fiq: the secure group. */
	void (*irq)(bool fiq);
	/* May this cell's CPU wait here: does nothing it did keep the kick out? */
	bool (*may_wait)(void);
};

#endif /* __IRQCHIP_H__ */
