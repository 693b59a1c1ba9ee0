// SPDX-License-Identifier: MIT
/*
 * The GIC as an inmate sees it, GICv3 or GICv2, and the IRQ dispatcher.
 *
 * Which one: gic_init() reads the distributor's architecture revision
 * (ArchRev, GICD_PIDR2[7:4]) once. A GICv2 distributor is 4 KiB with
 * PIDR2 at 0xfe8; a GICv3 one is 64 KiB with it at 0xffe8, and its 0xfe8 is
 * reserved (reads as zero, on the hardware and in the hypervisor's
 * emulation). So 0xfe8 is read first: 0xffe8 is past the end of a GICv2
 * distributor. The distributor rather than ID_AA64PFR0_EL1.GIC, which
 * says whether the CPU has a GICv3 system register interface, not which
 * GIC the machine has; both of the hypervisor's emulations pass the ID
 * registers through.
 *
 * GICv3: in a cell, HCR_EL2.IMO/FMO are set: the ICC_*_EL1 accesses below
 * reach the virtual CPU interface (ICV_*_EL1) in hardware, without a
 * trap, and the hypervisor injects the cell's interrupts there. The
 * redistributor frames of the cell's own CPUs are mapped at their physical
 * addresses; the distributor is not: each access traps and is emulated,
 * for the SPIs the cell owns only (anything about another SPI fails the
 * cell). On bare metal at EL1 the same code drives the physical interface.
 *
 * The redistributor frame of CPU n is GICR_BASE + n * GICR_STRIDE (QEMU
 * virt); the frames of other CPUs are not the cell's, so gic_init() does not
 * search for its frame, it checks that the one it computed answers with
 * this CPU's affinity (GICR_TYPER).
 *
 * GICv2: the CPU interface is memory-mapped at GICC_BASE; in a cell the
 * hypervisor maps the virtual CPU interface (GICV) there, so the same
 * accesses work in a cell and on bare metal. There are no redistributors:
 * a CPU's SGIs and PPIs are the banked first words of the distributor's
 * arrays (emulated in a cell, for the accessing CPU). SPIs are routed by
 * CPU interface number (a bit in GICD_ITARGETSR) and SGIs sent through
 * GICD_SGIR, so each CPU learns its number in gic_init() (the banked
 * GICD_ITARGETSR0 reads as it) for gic_send_sgi() on the others.
 *
 * Accesses to the distributor are the narrowest the architecture allows
 * for each register (a byte for a priority or a GICv2 target, a word with
 * only the cell's bit set for enables, the 64-bit GICD_IROUTER<n>), so that
 * none of them says anything about an SPI that is not the cell's.
 */
#include "internal.h"

/* System registers, by encoding (the assembler need not know GICv3 names). */
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_SGI1R_EL1		S3_0_C12_C11_5
#define ICC_RPR_EL1		S3_0_C12_C11_3
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_HPPIR1_EL1		S3_0_C12_C12_2
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_SRE_EL1		S3_0_C12_C12_5
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7

/* read_sysreg()/write_sysreg() stringify their argument: expand it first. */
#define read_sysreg_s(r)	read_sysreg(r)
#define write_sysreg_s(v, r)	write_sysreg(v, r)

#define ICC_SRE_SRE		BIT(0)
#define ICC_SRE_DFB		BIT(1)
#define ICC_SRE_DIB		BIT(2)
#define ICC_CTLR_EOIMODE	BIT(1)
#define ICC_IAR_INTID		0xffffffULL
#define ICC_SGI1R_IRM		BIT(40)

/* Distributor */
#define GICD_CTLR		0x0000
#define GICD_TYPER		0x0004
#define GICD_ISENABLER		0x0100
#define GICD_ICENABLER		0x0180
#define GICD_IPRIORITYR		0x0400
#define GICD_IROUTER		0x6000
#define GICD_PIDR2		0xffe8
#define GICD_PIDR2_ARCHREV(v)	(((v) >> 4) & 0xf)
/*
 * GICD_CTLR: with one security state (QEMU virt without EL3) bit 0 is
 * EnableGrp0 and bit 1 EnableGrp1; in the non-secure view of two, bit 0 is
 * EnableGrp1 and bit 1 EnableGrp1A. Linux sets all three of these.
 */
#define GICD_CTLR_ENABLE_0	BIT(0)
#define GICD_CTLR_ENABLE_1	BIT(1)
#define GICD_CTLR_ARE		BIT(4)
#define GICD_CTLR_RWP		BIT(31)

/* Redistributor: RD_base */
#define GICR_CTLR		0x0000
#define GICR_TYPER		0x0008
#define GICR_WAKER		0x0014
#define GICR_CTLR_RWP		BIT(3)
#define GICR_WAKER_SLEEP	BIT(1)
#define GICR_WAKER_ASLEEP	BIT(2)
/* SGI_base = RD_base + GICR_SGI_OFFSET */
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ICENABLER0		0x0180
#define GICR_ISPENDR0		0x0200
#define GICR_ISACTIVER0		0x0300
#define GICR_IPRIORITYR		0x0400

/* GICv2: distributor registers only it has (GICD_CTLR bit 0 is its Enable) */
#define GICD_ISPENDR		0x0200
#define GICD_ISACTIVER		0x0300
#define GICD_ITARGETSR		0x0800	/* a byte per INTID; 0-31: this CPU's, read-only */
#define GICD_SGIR		0x0f00
#define GICD_SGIR_TARGETS_SHIFT	16	/* CPUTargetList; TargetListFilter 0: that list */
#define GICD_PIDR2_V2		0x0fe8

/* GICv2: CPU interface, at GICC_BASE (the virtual one in a cell) */
#define GICC_CTLR		0x0000
#define GICC_PMR		0x0004
#define GICC_IAR		0x000c
#define GICC_EOIR		0x0010
#define GICC_RPR		0x0014
#define GICC_HPPIR		0x0018
/*
 * GICC_CTLR bit 0 enables the interrupts of the group this view owns:
 * group 0 without the Security Extensions (QEMU virt) and in the virtual
 * interface, where the hypervisor injects group 0; group 1 in the
 * non-secure view of a GIC with them. EOImode (bit 9) is left 0.
 */
#define GICC_CTLR_ENABLE	BIT(0)
#define GICC_IAR_INTID		0x3ff	/* bits 12:10 name an SGI's source CPU */

#define SPURIOUS_STORM		1000000	/* empty IRQ entries in a row: give up */

struct irq_slot {
	irq_handler_t fn;
	void *data;
};

static struct irq_slot handlers[GIC_MAX_INTID];
static unsigned int spi_limit;		/* first INTID past the SPIs (GICD_TYPER) */
static unsigned int gic_ver;		/* 2 or 3 once gic_version() found out; 0 before */

struct gic_cpu {
	u64 mpidr;			/* GICv2: the CPU gic_init() ran on, and */
	u8 cpu_if;			/* its CPU interface, as a target bit (0: not yet) */
	u64 irqs;
	u64 spurious;
	u64 empty_in_a_row;
	bool reported[GIC_FIRST_SPI];	/* unexpected SGIs/PPIs already reported */
};

static struct gic_cpu gic_cpus[INMATE_MAX_CPUS];

static struct gic_cpu *this_gic_cpu(void)
{
	return &gic_cpus[cpu_id() % INMATE_MAX_CPUS];
}

/* A 32-bit load, with the whole register it lands in: its upper half must be zero. */
static u64 ldr32_raw(u64 addr)
{
	u64 v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

/* Affinity as GICR_TYPER[63:32] spells it: Aff3.Aff2.Aff1.Aff0. */
static u64 typer_affinity(u64 mpidr)
{
	return (mpidr & 0xffffff) | ((mpidr >> 32) & 0xff) << 24;
}

u64 gic_redist_base(void)
{
	if (gic_ver == 2)
		return 0;
	return GICR_BASE + cpu_id() * GICR_STRIDE;
}


static u64 sgi_base(void)
{
	return gic_redist_base() + GICR_SGI_OFFSET;
}

static bool wait_clear(u64 addr, u32 mask)
{
	u64 deadline = timer_deadline_us(100000);

	while (readl(addr) & mask) {
		if (timer_passed(deadline))
			return false;
		cpu_relax();
	}
	return true;
}

/* See the top of the file: GICv2's PIDR2 first, then GICv3's. */
static unsigned int gic_detect(void)
{
	u32 pidr2 = readl(GICD_BASE + GICD_PIDR2_V2), pidr2_v3;

	if (GICD_PIDR2_ARCHREV(pidr2) == 2)
		return 2;
	pidr2_v3 = readl(GICD_BASE + GICD_PIDR2);
	if (GICD_PIDR2_ARCHREV(pidr2_v3) == 3 || GICD_PIDR2_ARCHREV(pidr2_v3) == 4)
		return 3;
	inmate_panic("gic: CPU %u: no GICv2 or GICv3 distributor at 0x%llx (PIDR2 0x%x at 0xfe8, 0x%x at 0xffe8)",
		     cpu_id(), GICD_BASE, pidr2, pidr2_v3);
}

unsigned int gic_version(void)
{
	if (!gic_ver)
		gic_ver = gic_detect();
	return gic_ver;
}

static void distributor_init(void)
{
	u32 ctlr = readl(GICD_BASE + GICD_CTLR);
	u32 lines = readl(GICD_BASE + GICD_TYPER) & 0x1f;

	spi_limit = 32 * (lines + 1);
	if (spi_limit > GIC_MAX_INTID)
		spi_limit = GIC_MAX_INTID;
	/*
	 * Root has long set these in a cell (and the hypervisor ignores the
	 * write); on bare metal, nobody has. GICv2 has no affinity routing:
	 * bit 0 is its Enable (EnableGrp0 without the Security Extensions).
	 */
	if (gic_ver == 2) {
		if (!(ctlr & GICD_CTLR_ENABLE_0))
			writel(ctlr | GICD_CTLR_ENABLE_0 | GICD_CTLR_ENABLE_1, GICD_BASE + GICD_CTLR);
		return;
	}
	if ((ctlr & (GICD_CTLR_ARE | GICD_CTLR_ENABLE_1)) != (GICD_CTLR_ARE | GICD_CTLR_ENABLE_1)) {
		writel(ctlr | GICD_CTLR_ARE | GICD_CTLR_ENABLE_1 | GICD_CTLR_ENABLE_0,
		       GICD_BASE + GICD_CTLR);
		wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
	}
}

static void v3_init(void)
{
	u64 rd = gic_redist_base(), sgi = rd + GICR_SGI_OFFSET;
	u64 aff = typer_affinity(cpu_mpidr()), typer;
	u32 waker;

	/* The CPU interface: system registers, all priorities unmasked, EOImode 0, group 1 on. */
	write_sysreg_s(read_sysreg_s(ICC_SRE_EL1) | ICC_SRE_SRE | ICC_SRE_DFB | ICC_SRE_DIB,
		       ICC_SRE_EL1);
	isb();
	if (!(read_sysreg_s(ICC_SRE_EL1) & ICC_SRE_SRE))
		inmate_panic("gic: CPU %u: no GICv3 system register interface (ICC_SRE_EL1 0x%llx)",
			     cpu_id(), read_sysreg_s(ICC_SRE_EL1));
	write_sysreg_s(0xff, ICC_PMR_EL1);
	write_sysreg_s(read_sysreg_s(ICC_CTLR_EL1) & ~ICC_CTLR_EOIMODE, ICC_CTLR_EL1);
	write_sysreg_s(1, ICC_IGRPEN1_EL1);
	isb();

	if (!spi_limit)
		distributor_init();

	/* This CPU's redistributor. */
	typer = readq(rd + GICR_TYPER);
	if ((typer >> 32) != aff)
		inmate_panic("gic: CPU %u: the redistributor at 0x%llx is CPU 0x%llx's (GICR_TYPER 0x%llx)",
			     cpu_id(), rd, typer >> 32, typer);
	/* An OS may read it as two words: each the half, zero-extended, as the hardware gives it. */
	if (ldr32_raw(rd + GICR_TYPER) != (u32)typer || ldr32_raw(rd + GICR_TYPER + 4) != typer >> 32)
		inmate_panic("gic: CPU %u: GICR_TYPER 0x%llx reads as words 0x%llx, 0x%llx", cpu_id(), typer,
			     ldr32_raw(rd + GICR_TYPER), ldr32_raw(rd + GICR_TYPER + 4));
	waker = readl(rd + GICR_WAKER);
	if (waker & GICR_WAKER_SLEEP) {
		writel(waker & ~GICR_WAKER_SLEEP, rd + GICR_WAKER);
		if (!wait_clear(rd + GICR_WAKER, GICR_WAKER_ASLEEP))
			inmate_panic("gic: CPU %u: the redistributor does not wake up (GICR_WAKER 0x%x)",
				     cpu_id(), readl(rd + GICR_WAKER));
	}
	/* SGIs and PPIs in group 1 at the default priority, as Linux had them. */
	writel(0xffffffff, sgi + GICR_IGROUPR0);
	for (unsigned int i = 0; i < GIC_FIRST_SPI; i += 4)
		writel(GIC_PRIO_DEFAULT * 0x01010101U, sgi + GICR_IPRIORITYR + i);
}

static void v2_init(void)
{
	struct gic_cpu *gc = this_gic_cpu();
	u8 cpu_if = readb(GICD_BASE + GICD_ITARGETSR);

	/*
	 * This CPU's interface number, as gic_send_sgi() on another CPU will
	 * need it: the banked first bytes of GICD_ITARGETSR read as the
	 * reading CPU's bit. With a single CPU interface they read as zero
	 * (QEMU with one CPU); that one is bit 0.
	 */
	gc->mpidr = cpu_mpidr();
	WRITE_ONCE(gc->cpu_if, cpu_if ? cpu_if : 1);

	if (!spi_limit)
		distributor_init();

	/*
	 * SGIs and PPIs at the default priority: the banked words are this
	 * CPU's alone (the hypervisor keeps its own interrupts' bytes). Their
	 * group stays as it is: 0 without the Security Extensions, and in a
	 * cell what the hypervisor injects.
	 */
	for (unsigned int i = 0; i < GIC_FIRST_SPI; i += 4)
		writel(GIC_PRIO_DEFAULT * 0x01010101U, GICD_BASE + GICD_IPRIORITYR + i);

	/* The CPU interface: all priorities unmasked, EOImode 0, on. */
	writel(0xff, GICC_BASE + GICC_PMR);
	writel(GICC_CTLR_ENABLE, GICC_BASE + GICC_CTLR);
}

int gic_init(void)
{
	if (gic_version() == 2)
		v2_init();
	else
		v3_init();
	dsb(sy);
	return 0;
}

int gic_set_handler(unsigned int intid, irq_handler_t fn, void *data)
{
	if (intid >= GIC_MAX_INTID)
		return -1;
	/* IRQs masked: a handler never sees a half-written slot on this CPU. */
	handlers[intid].data = data;
	dmb(sy);
	handlers[intid].fn = fn;
	dsb(sy);
	return 0;
}

static bool valid_intid(unsigned int intid)
{
	return intid < GIC_FIRST_SPI || (intid < spi_limit && intid < GIC_MAX_INTID);
}

static void v3_enable_irq(unsigned int intid)
{
	if (intid < GIC_FIRST_SPI) {
		u64 sgi = sgi_base();

		writel(readl(sgi + GICR_IGROUPR0) | (u32)BIT(intid), sgi + GICR_IGROUPR0);
		writeb(GIC_PRIO_DEFAULT, sgi + GICR_IPRIORITYR + intid);
		writel((u32)BIT(intid), sgi + GICR_ISENABLER0);
	} else {
		/* SPIs are group 1: Linux set them all so at boot. */
		writeb(GIC_PRIO_DEFAULT, GICD_BASE + GICD_IPRIORITYR + intid);
		writeq(cpu_mpidr(), GICD_BASE + GICD_IROUTER + 8ULL * intid);
		writel((u32)BIT(intid % 32), GICD_BASE + GICD_ISENABLER + 4 * (intid / 32));
	}
}

/* SGIs and PPIs in the banked first registers, SPIs targeted at this CPU's interface. */
static void v2_enable_irq(unsigned int intid)
{
	writeb(GIC_PRIO_DEFAULT, GICD_BASE + GICD_IPRIORITYR + intid);
	if (intid >= GIC_FIRST_SPI)
		writeb(this_gic_cpu()->cpu_if, GICD_BASE + GICD_ITARGETSR + intid);
	writel((u32)BIT(intid % 32), GICD_BASE + GICD_ISENABLER + 4 * (intid / 32));
}

int gic_enable_irq(unsigned int intid)
{
	if (!valid_intid(intid))
		return -1;
	if (gic_ver == 2)
		v2_enable_irq(intid);
	else
		v3_enable_irq(intid);
	dsb(sy);
	return 0;
}

int gic_set_priority(unsigned int intid, u8 prio)
{
	if (!valid_intid(intid))
		return -1;
	if (gic_ver == 3 && intid < GIC_FIRST_SPI)
		writeb(prio, sgi_base() + GICR_IPRIORITYR + intid);
	else
		writeb(prio, GICD_BASE + GICD_IPRIORITYR + intid);
	dsb(sy);
	return 0;
}

int gic_disable_irq(unsigned int intid)
{
	if (!valid_intid(intid))
		return -1;
	if (gic_ver == 2) {
		/* No RWP: the write has taken effect once it completes. */
		writel((u32)BIT(intid % 32), GICD_BASE + GICD_ICENABLER + 4 * (intid / 32));
		dsb(sy);
	} else if (intid < GIC_FIRST_SPI) {
		writel((u32)BIT(intid), sgi_base() + GICR_ICENABLER0);
		wait_clear(gic_redist_base() + GICR_CTLR, GICR_CTLR_RWP);
	} else {
		writel((u32)BIT(intid % 32), GICD_BASE + GICD_ICENABLER + 4 * (intid / 32));
		wait_clear(GICD_BASE + GICD_CTLR, GICD_CTLR_RWP);
	}
	return 0;
}

static void v3_send_sgi(u64 mpidr, unsigned int sgi)
{
	u64 v;

	v = ((mpidr >> 32) & 0xff) << 48 |		/* Aff3 */
	    ((mpidr >> 16) & 0xff) << 32 |		/* Aff2 */
	    (u64)sgi << 24 |
	    ((mpidr >> 8) & 0xff) << 16 |		/* Aff1 */
	    ((mpidr >> 4) & 0xf) << 44 |		/* RS: Aff0 / 16 */
	    BIT(mpidr & 0xf);				/* target list */
	dsb(ish);		/* memory the target will read first */
	write_sysreg_s(v, ICC_SGI1R_EL1);
	isb();
}

/* The target's CPU interface is the one it recorded in its gic_init(). */
static int v2_send_sgi(u64 mpidr, unsigned int sgi)
{
	const struct gic_cpu *gc = &gic_cpus[(mpidr & 0xff) % INMATE_MAX_CPUS];
	u8 cpu_if = READ_ONCE(gc->cpu_if);

	if (!cpu_if || READ_ONCE(gc->mpidr) != (mpidr & MPIDR_AFF_MASK))
		return -1;
	dsb(ish);		/* memory the target will read first */
	writel((u32)cpu_if << GICD_SGIR_TARGETS_SHIFT | sgi, GICD_BASE + GICD_SGIR);
	dsb(sy);
	return 0;
}

int gic_send_sgi(u64 mpidr, unsigned int sgi)
{
	if (sgi >= 16)
		return -1;
	if (gic_ver == 2)
		return v2_send_sgi(mpidr, sgi);
	v3_send_sgi(mpidr, sgi);
	return 0;
}

u64 gic_irq_count(void)
{
	return this_gic_cpu()->irqs;
}

u64 gic_spurious_count(void)
{
	return this_gic_cpu()->spurious;
}

static void v3_print_state(void)
{
	u64 sgi = sgi_base();

	printf("%s: gic CPU %u: ICC_CTLR 0x%llx PMR 0x%llx IGRPEN1 0x%llx RPR 0x%llx HPPIR1 0x%llx\n",
	       inmate_name, cpu_id(), read_sysreg_s(ICC_CTLR_EL1), read_sysreg_s(ICC_PMR_EL1),
	       read_sysreg_s(ICC_IGRPEN1_EL1), read_sysreg_s(ICC_RPR_EL1),
	       read_sysreg_s(ICC_HPPIR1_EL1));
	printf("%s: gic CPU %u: GICR_WAKER 0x%x IGROUPR0 0x%08x ISENABLER0 0x%08x ISPENDR0 0x%08x ISACTIVER0 0x%08x\n",
	       inmate_name, cpu_id(), readl(gic_redist_base() + GICR_WAKER),
	       readl(sgi + GICR_IGROUPR0), readl(sgi + GICR_ISENABLER0),
	       readl(sgi + GICR_ISPENDR0), readl(sgi + GICR_ISACTIVER0));
}

static void v2_print_state(void)
{
	printf("%s: gic CPU %u: GICv2 GICC_CTLR 0x%x PMR 0x%x RPR 0x%x HPPIR 0x%x, CPU interface 0x%x\n",
	       inmate_name, cpu_id(), readl(GICC_BASE + GICC_CTLR), readl(GICC_BASE + GICC_PMR),
	       readl(GICC_BASE + GICC_RPR), readl(GICC_BASE + GICC_HPPIR), this_gic_cpu()->cpu_if);
	printf("%s: gic CPU %u: GICD_ISENABLER0 0x%08x ISPENDR0 0x%08x ISACTIVER0 0x%08x\n",
	       inmate_name, cpu_id(), readl(GICD_BASE + GICD_ISENABLER),
	       readl(GICD_BASE + GICD_ISPENDR), readl(GICD_BASE + GICD_ISACTIVER));
}

void gic_print_state(void)
{
	if (gic_ver == 2)
		v2_print_state();
	else
		v3_print_state();
	printf("%s: gic CPU %u: DAIF 0x%llx, %llu interrupts, %llu spurious\n", inmate_name,
	       cpu_id(), read_sysreg(daif), this_gic_cpu()->irqs, this_gic_cpu()->spurious);
}

static void unexpected(struct gic_cpu *gc, unsigned int intid)
{
	/* Disable it so that a level-sensitive source does not come back for ever. */
	if (intid >= GIC_FIRST_SPI || !gc->reported[intid])
		printf("%s: unexpected interrupt %u on CPU %u (no handler): disabling it\n",
		       inmate_name, intid, cpu_id());
	if (intid < GIC_FIRST_SPI)
		gc->reported[intid] = true;
	gic_disable_irq(intid);
}

/*
 * Acknowledge, dispatch, end, until no interrupt is pending; whether there
 * was any. GICv3: ICC_IAR1_EL1 and ICC_EOIR1_EL1; GICv2: GICC_IAR and
 * GICC_EOIR, which takes the whole IAR value back (an SGI's source CPU in
 * bits 12:10). Inlined once per version, so that neither pays for the
 * other's test in its loop (tests/bench measures this path).
 */
static inline __attribute__((always_inline)) bool handle_pending(struct gic_cpu *gc, bool v2)
{
	bool any = false;

	for (;;) {
		u64 iar = v2 ? readl(GICC_BASE + GICC_IAR) : read_sysreg_s(ICC_IAR1_EL1);
		unsigned int intid = iar & (v2 ? GICC_IAR_INTID : ICC_IAR_INTID);
		irq_handler_t fn;

		if (intid >= GIC_MAX_INTID)	/* 1023: nothing (more) pending */
			break;
		dsb(sy);
		any = true;
		gc->irqs++;
		fn = READ_ONCE(handlers[intid].fn);
		if (fn)
			fn(intid, handlers[intid].data);
		else
			unexpected(gc, intid);
		if (v2)
			writel((u32)iar, GICC_BASE + GICC_EOIR);
		else
			write_sysreg_s(iar, ICC_EOIR1_EL1);
		isb();
	}
	return any;
}

/* The IRQ exception: lib/exception.c calls it with IRQs masked. */
void inmate_irq(struct exception_frame *f)
{
	struct gic_cpu *gc = this_gic_cpu();
	bool any;

	(void)f;
	if (gic_ver == 2)
		any = handle_pending(gc, true);
	else
		any = handle_pending(gc, false);
	if (any) {
		gc->empty_in_a_row = 0;
		return;
	}
	gc->spurious++;
	if (++gc->empty_in_a_row >= SPURIOUS_STORM) {
		gic_print_state();
		inmate_panic("IRQ storm on CPU %u: %u IRQ exceptions in a row with nothing to acknowledge",
			     cpu_id(), SPURIOUS_STORM);
	}
}
