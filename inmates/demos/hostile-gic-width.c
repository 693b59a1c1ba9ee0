// SPDX-License-Identifier: MIT
/*
 * hostile-gic-width: distributor accesses of odd widths and alignments
 * about the cell's own SPI (OWN_SPI, 40), in registers it shares with
 * root's interrupts: root keeps SPIs 33-39 (QEMU virt's UART, RTC, PCIe
 * and GPIO; root-cell.irqs), which sit in the same group, enable and
 * configuration words, and next to its priority byte. The hypervisor must
 * either emulate each access correctly (the cell's own bits as a 32-bit
 * access would see or set them, nothing else touched) or fail the cell;
 * it must never fault itself nor change root's interrupts (the test reads
 * them from root).
 *
 * One access pattern per run, chosen by the word root loads at MODE_ADDR
 * before the start (MODE_* below). The cell prints "result: ok" or
 * "result: WRONG ..." and powers itself off; if the hypervisor refuses the
 * access, the cell fails before it prints. The unaligned modes turn the
 * MMU on with the GIC's page mapped as Normal memory, where an unaligned
 * load or store is allowed at stage 1 and reaches the hypervisor with a
 * syndrome (Device memory, MMU off, would fault in the cell itself).
 */
#include <inmate.h>

const char inmate_name[] = "hostile-gic-width";

#define MODE_ADDR	0xf0000ULL
#define OWN_SPI		40

#define GICD_IGROUPR	0x0080
#define GICD_ISENABLER	0x0100
#define GICD_ICENABLER	0x0180
#define GICD_ICACTIVER	0x0380
#define GICD_ISPENDR	0x0200
#define GICD_IPRIORITYR	0x0400
#define GICD_ICFGR	0x0c00
#define GICD_IROUTER	0x6000

#define D(off)		(GICD_BASE + (off))
#define OWN_WORD(reg, bits) D((reg) + OWN_SPI / (32 / (bits)) * 4)

enum {
	MODE_PRIO_BYTE = 1,	/* strb/ldrb its own priority */
	MODE_PRIO_HALF,		/* strh/ldrh over its own and the next priority */
	MODE_GROUP_BYTE,	/* ldrb/strb of its IGROUPR byte (root's 33-39 in the word) */
	MODE_CFG_BYTE,		/* ldrb/strb of its ICFGR byte (root's 33-39 in the word) */
	MODE_UNALIGNED_READ,	/* 4-byte load at IPRIORITYR + 38: root's 38, 39 */
	MODE_UNALIGNED_WRITE,	/* 4-byte store at IPRIORITYR + 38 */
	MODE_PRIO_DWORD,	/* 8-byte load and store over priorities 40-47 */
	MODE_CLEAR_BYTE,	/* strb 0xff to its ICENABLER byte (SPIs 40-47) */
	MODE_SET_BYTE,		/* strb of its own bit to the ISENABLER byte */
	MODE_GROUP0,		/* its SPI in group 0 (an FIQ), enabled and pending */
	MODE_CLEAR_WORDS,	/* 0xffffffff to ICENABLER1 and ICACTIVER1: root's 33-39 too */
	MODE_MAX
};

static const char *const mode_names[MODE_MAX] = {
	[MODE_PRIO_BYTE] = "priority byte",
	[MODE_PRIO_HALF] = "priority halfword",
	[MODE_GROUP_BYTE] = "group byte",
	[MODE_CFG_BYTE] = "configuration byte",
	[MODE_UNALIGNED_READ] = "unaligned 4-byte read",
	[MODE_UNALIGNED_WRITE] = "unaligned 4-byte write",
	[MODE_PRIO_DWORD] = "priority doubleword",
	[MODE_CLEAR_BYTE] = "clear-enable byte",
	[MODE_SET_BYTE] = "set-enable byte",
	[MODE_GROUP0] = "group 0 (FIQ)",
	[MODE_CLEAR_WORDS] = "clear-enable and clear-active words",
};

static u16 readw(u64 addr)
{
	u32 v;

	asm volatile("ldrh %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (u16)v;
}

static void writew(u16 v, u64 addr)
{
	asm volatile("strh %w0, [%1]" : : "rZ"((u32)v), "r"(addr) : "memory");
}

/* Stage 1 with 4 KiB pages, 32-bit addresses, level 1 blocks of 1 GiB. */
#define MAIR_NORMAL_DEVICE	0x00ffULL	/* attr 0: Normal write-back; 1: Device-nGnRnE */
#define TCR_T0SZ_32		32ULL
#define TCR_IRGN0_WB		(1ULL << 8)
#define TCR_ORGN0_WB		(1ULL << 10)
#define TCR_SH0_INNER		(3ULL << 12)
#define TCR_EPD1		(1ULL << 23)
#define PTE_BLOCK		1ULL
#define PTE_ATTR(n)		((u64)(n) << 2)
#define PTE_SH_INNER		(3ULL << 8)
#define PTE_AF			(1ULL << 10)
#define SCTLR_M			(1ULL << 0)
#define SCTLR_C			(1ULL << 2)
#define SCTLR_I			(1ULL << 12)

static u64 l1_table[512] __aligned(4096);

/* The first GiB (RAM, the GIC) as Normal memory; the communication page's GiB as Device. */
static void mmu_on(void)
{
	l1_table[0] = 0x0 | PTE_BLOCK | PTE_ATTR(0) | PTE_SH_INNER | PTE_AF;
	l1_table[2] = 0x80000000ULL | PTE_BLOCK | PTE_ATTR(1) | PTE_AF;
	dsb(sy);
	write_sysreg(MAIR_NORMAL_DEVICE, mair_el1);
	write_sysreg(TCR_T0SZ_32 | TCR_IRGN0_WB | TCR_ORGN0_WB | TCR_SH0_INNER | TCR_EPD1, tcr_el1);
	write_sysreg((uintptr_t)l1_table, ttbr0_el1);
	isb();
	asm volatile("tlbi vmalle1\n\tdsb nsh\n\tisb" : : : "memory");
	write_sysreg(read_sysreg(sctlr_el1) | SCTLR_M | SCTLR_C | SCTLR_I, sctlr_el1);
	isb();
	printf("hostile-gic-width: MMU on, the GIC mapped as Normal memory\n");
}

static u32 unaligned_read32(u64 addr)
{
	u32 v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static void unaligned_write32(u32 v, u64 addr)
{
	asm volatile("str %w0, [%1]" : : "r"(v), "r"(addr) : "memory");
}

static int wrong;

static void expect(const char *what, u64 got, u64 want)
{
	if (got == want) {
		printf("hostile-gic-width:   %s: 0x%llx\n", what, got);
		return;
	}
	printf("hostile-gic-width:   WRONG %s: 0x%llx, expected 0x%llx\n", what, got, want);
	wrong = 1;
}

static u32 own_prio(void)
{
	return readb(D(GICD_IPRIORITYR + OWN_SPI));
}

static void run(u64 mode)
{
	u32 bit = OWN_SPI % 32, g, c, b, f;
	u64 q;

	switch (mode) {
	case MODE_PRIO_BYTE:
		writeb(0x50, D(GICD_IPRIORITYR + OWN_SPI));
		expect("own priority after strb 0x50", own_prio(), 0x50);
		break;
	case MODE_PRIO_HALF:
		writeb(0x40, D(GICD_IPRIORITYR + OWN_SPI));
		/* its own in the low byte, SPI 41 (nobody's) in the high byte */
		writew(0x5858, D(GICD_IPRIORITYR + OWN_SPI));
		expect("own priority after strh 0x5858", own_prio(), 0x58);
		expect("own byte of ldrh", readw(D(GICD_IPRIORITYR + OWN_SPI)) & 0xff, 0x58);
		break;
	case MODE_GROUP_BYTE:
		g = readl(OWN_WORD(GICD_IGROUPR, 1));
		b = readb(D(GICD_IGROUPR + OWN_SPI / 8));
		expect("own group bit of ldrb, as ldr sees it", b >> (OWN_SPI % 8) & 1, g >> bit & 1);
		writeb(0x00, D(GICD_IGROUPR + OWN_SPI / 8));
		g = readl(OWN_WORD(GICD_IGROUPR, 1));
		b = readb(D(GICD_IGROUPR + OWN_SPI / 8));
		expect("own group bit of ldrb after strb 0, as ldr sees it", b >> (OWN_SPI % 8) & 1,
		       g >> bit & 1);
		break;
	case MODE_CFG_BYTE:
		c = readl(OWN_WORD(GICD_ICFGR, 2));
		f = (OWN_SPI % 16) * 2;
		b = readb(D(GICD_ICFGR + OWN_SPI / 4));
		expect("own trigger field of ldrb, as ldr sees it", b >> (OWN_SPI % 4) * 2 & 3, c >> f & 3);
		writeb(0xff, D(GICD_ICFGR + OWN_SPI / 4));
		c = readl(OWN_WORD(GICD_ICFGR, 2));
		expect("own edge bit after strb 0xff", c >> (f + 1) & 1, 1);
		b = readb(D(GICD_ICFGR + OWN_SPI / 4));
		expect("own trigger field of ldrb, as ldr sees it", b >> (OWN_SPI % 4) * 2 & 3, c >> f & 3);
		break;
	case MODE_UNALIGNED_READ:
		writeb(0x48, D(GICD_IPRIORITYR + OWN_SPI));
		mmu_on();
		/* bytes: SPIs 38, 39 (root's), 40 (own), 41 */
		expect("own byte of the unaligned load",
		       unaligned_read32(D(GICD_IPRIORITYR + OWN_SPI - 2)) >> 16 & 0xff, 0x48);
		break;
	case MODE_UNALIGNED_WRITE:
		mmu_on();
		unaligned_write32(0x5a5a5a5a, D(GICD_IPRIORITYR + OWN_SPI - 2));
		expect("own priority after the unaligned store", own_prio(), 0x5a);
		break;
	case MODE_PRIO_DWORD:
		writeb(0x44, D(GICD_IPRIORITYR + OWN_SPI));
		q = readq(D(GICD_IPRIORITYR + (OWN_SPI & ~7)));
		expect("own byte of the 8-byte load", q >> (OWN_SPI % 8) * 8 & 0xff, 0x44);
		writeq(0x6060606060606060ULL, D(GICD_IPRIORITYR + (OWN_SPI & ~7)));
		expect("own priority after the 8-byte store", own_prio(), 0x60);
		break;
	case MODE_CLEAR_BYTE:
		writel(1U << bit, OWN_WORD(GICD_ISENABLER, 1));
		writeb(0xff, D(GICD_ICENABLER + OWN_SPI / 8));
		expect("own enable bit after strb 0xff to ICENABLER",
		       readl(OWN_WORD(GICD_ISENABLER, 1)) >> bit & 1, 0);
		break;
	case MODE_SET_BYTE:
		writel(1U << bit, OWN_WORD(GICD_ICENABLER, 1));
		writeb(1U << (OWN_SPI % 8), D(GICD_ISENABLER + OWN_SPI / 8));
		expect("own enable bit after strb to ISENABLER",
		       readl(OWN_WORD(GICD_ISENABLER, 1)) >> bit & 1, 1);
		writel(1U << bit, OWN_WORD(GICD_ICENABLER, 1));
		break;
	case MODE_GROUP0:
		writeb(0x80, D(GICD_IPRIORITYR + OWN_SPI));
		writeq(cpu_mpidr(), D(GICD_IROUTER + OWN_SPI * 8));
		g = readl(OWN_WORD(GICD_IGROUPR, 1));
		writel(g & ~(1U << bit), OWN_WORD(GICD_IGROUPR, 1));
		printf("hostile-gic-width:   group now 0x%x (own bit %u)\n",
		       readl(OWN_WORD(GICD_IGROUPR, 1)), readl(OWN_WORD(GICD_IGROUPR, 1)) >> bit & 1);
		writel(1U << bit, OWN_WORD(GICD_ISENABLER, 1));
		writel(1U << bit, OWN_WORD(GICD_ISPENDR, 1));
		/* Whatever the hypervisor made of it, the cell goes on and ends. */
		mdelay(500);
		printf("hostile-gic-width:   still running 500 ms later\n");
		writel(1U << bit, OWN_WORD(GICD_ICENABLER, 1));
		break;
	case MODE_CLEAR_WORDS:
		writel(1U << bit, OWN_WORD(GICD_ISENABLER, 1));
		writel(0xffffffff, OWN_WORD(GICD_ICENABLER, 1));
		writel(0xffffffff, OWN_WORD(GICD_ICACTIVER, 1));
		expect("own enable bit after 0xffffffff to ICENABLER",
		       readl(OWN_WORD(GICD_ISENABLER, 1)) >> bit & 1, 0);
		break;
	default:
		printf("hostile-gic-width: unknown mode %llu\n", mode);
		wrong = 1;
	}
}

int inmate_main(void)
{
	u64 mode = readq(MODE_ADDR);

	printf("hostile-gic-width: cell %u on CPU %u, SPI %u: mode %llu (%s)\n", comm_cell_id(),
	       cpu_id(), OWN_SPI, mode, mode < MODE_MAX && mode_names[mode] ? mode_names[mode] : "?");
	run(mode);
	printf("hostile-gic-width: result: %s\n", wrong ? "WRONG (see above)" : "ok");
	return wrong;
}
