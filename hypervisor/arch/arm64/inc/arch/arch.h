/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What arm64 adds to the core's structures, and the small inline
 * primitives every file uses: the trap frame, this CPU, device memory
 * accessors, barriers and the counter. Included by core/inc/hv.h; the
 * functions an architecture provides out of line are declared in
 * core/inc/arch-hooks.h.
 */
#ifndef __ARCH_ARCH_H__
#define __ARCH_ARCH_H__

#include <types.h>
#include <warden/config.h>

/* The interrupted context, at the top of the CPU's stack (head.S). */
struct regs {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};

#define MPIDR_AFF_MASK	0xff00ffffffULL	/* Aff3, Aff2, Aff1, Aff0 */
#define CPU_HWID_MASK	MPIDR_AFF_MASK	/* the bits of a CPU's hardware identifier */

/* One CPU's interrupt controller state while it runs a cell (arch/arm64/gic*.c). */
struct arch_cpu {
	u32 vsgi_pending;	/* SGIs the cell's other CPUs sent this one */
	u32 gic_cpu_if;		/* GICv2: the CPU interface number (ITARGETSR bit) */
	bool direct;		/* runs a cell with direct interrupt delivery (GICv3) */
	u64 gicr_sgi;		/* GICv3: its redistributor's SGI frame, or 0 */
	u64 vgic_pending[16];	/* interrupts to inject, one bit per INTID */
	u64 vgic_hw[16];	/* ... of which physical ones (list register HW bit) */
};

/* What root had set for an SPI before a cell took it (restored at destroy). */
struct spi_saved {
	u64 route;		/* GICv3 IROUTER, GICv2 ITARGETSR byte */
	u32 irq;
	u8 enabled, group, modifier, priority, config;
};

struct arch_cell {
	bool gicr_taken;	/* its CPUs' redistributors left root's stage 2 */
	bool spis_taken;	/* its SPIs were set up for it (root's state saved) */
	bool route_late;	/* GICv2: its SPIs wait for its first CPU's interface number */
	struct spi_saved spi_saved[WARDEN_MAX_IRQS];
};

/* EL2 registers Linux set up on the first CPU, given to CPUs started later. */
struct el2_regs {
	u64 hcr;		/* Linux's HCR_EL2 (RW, and API/APK where pointer auth exists) */
	u64 cnthctl;
	u64 cptr;
	u64 mdcr;
	u64 hstr;
	u64 icc_sre;
	u64 zcr;		/* SVE: the vector length EL1 may use */
	u64 smcr;		/* SME: its streaming vector length and FA64 */
	u64 hcrx;		/* FEAT_HCX: the extended controls (SME priority mapping) */
};

/* The EL2 MMU's registers, read by head.S (offsets in the generated asm-offsets.h). */
struct hv_mmu {
	u64 ttbr;
	u64 tcr;
	u64 mair;
	u64 phys_offset;	/* physical minus link address of the image */
	u64 stub;		/* Linux's hyp-stub vectors, physical */
};
extern struct hv_mmu hv_mmu;

struct arch_hv {
	u64 vtcr;		/* VTCR_EL2 for root and every cell */
	struct el2_regs el2;
};

struct per_cpu;

static inline struct per_cpu *this_cpu(void)
{
	struct per_cpu *p;

	asm volatile("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) asm volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb() asm volatile("isb" : : : "memory")
#define dsb(opt) asm volatile("dsb " #opt : : : "memory")

static inline void cpu_relax(void)
{
	asm volatile("yield" : : : "memory");
}

/* Wait for an event, forever: a CPU with nothing left to do. */
static inline void __attribute__((noreturn)) cpu_park(void)
{
	for (;;)
		asm volatile("wfe");
}

static inline u8 mmio_read8(u64 addr) { return *(volatile u8 *)addr; }
static inline void mmio_write8(u64 addr, u8 v) { *(volatile u8 *)addr = v; }
static inline u32 mmio_read32(u64 addr) { return *(volatile u32 *)addr; }
static inline void mmio_write32(u64 addr, u32 v) { *(volatile u32 *)addr = v; }
static inline u64 mmio_read64(u64 addr) { return *(volatile u64 *)addr; }
static inline void mmio_write64(u64 addr, u64 v) { *(volatile u64 *)addr = v; }

/* Device writes done before what follows (an interrupt raised, a CPU woken). */
static inline void io_barrier(void)
{
	dsb(sy);
}

/* The generic timer's counter, and its frequency in Hz. */
static inline u64 timer_now(void)
{
	return read_sysreg(cntpct_el0);
}

static inline u64 timer_freq(void)
{
	return read_sysreg(cntfrq_el0);
}

#endif /* __ARCH_ARCH_H__ */
