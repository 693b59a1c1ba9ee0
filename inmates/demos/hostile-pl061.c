// SPDX-License-Identifier: MIT
/*
 * hostile-pl061: hammers the cell's power button, the virtual PL061 at
 * 0x0903_0000 (os.power-button in cells.d/hostile-pl061.yaml, SPI 97).
 * Every word offset of its page at every width the hypervisor emulates
 * (byte, halfword, word), written with all ones and read back: no read may
 * show more than a register's 8 bits, and the ID registers must still read
 * as a PL061's. Then GPIODATA's address masking with seven outputs around
 * the button's input line. It says "hostile-pl061: hammer: ok" or
 * "... WRONG ..." on its console.
 *
 * Then it arms the button as Linux's gpio-keys does (both edges of line 3,
 * unmasked) and waits. A shutdown request presses the button: the
 * interrupt comes on the cell's own SPI, and it reports the press, what
 * the communication page says, and reads GPIODIR with a 64-bit access,
 * which the PL061 refuses: the cell fails with a device fault at
 * 0x9030400, alone (tests/vm/cases/cell-pl061-hostile.sh).
 */
#include <inmate.h>
#include <warden/config.h>

const char inmate_name[] = "hostile-pl061";

#define GPIO		0x09030000ULL
#define GPIO_SPI	97
#define BTN		(1U << WARDEN_BUTTON_LINE)
#define DATA(mask)	(GPIO + ((u64)(mask) << 2))
#define DIR		0x400
#define IS		0x404
#define IBE		0x408
#define IEV		0x40c
#define IE		0x410
#define RIS		0x414
#define MIS		0x418
#define IC		0x41c
#define PERIPHID0	0xfe0

static const u8 ids[8] = { 0x61, 0x10, 0x04, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };
static u32 wrong;
static volatile u32 presses, irqs, last_mis;

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

static void check(bool ok, const char *what, u64 off, u64 got)
{
	if (ok)
		return;
	if (wrong++ < 8)
		printf("hostile-pl061: WRONG: %s at +%#llx: %#llx\n", what, off, got);
}

/* All ones at every offset and width; every read within 8 bits. */
static void hammer(void)
{
	u64 off, v;

	for (off = 0; off < 0x1000; off += 4) {
		writeb(0xff, GPIO + off);
		(void)readb(GPIO + off);
		writew(0xffff, GPIO + off);
		v = readw(GPIO + off);
		check(v <= 0xff, "halfword read above 8 bits", off, v);
		writel(0xffffffff, GPIO + off);
		v = readl(GPIO + off);
		check(v <= 0xff, "word read above 8 bits", off, v);
	}
	for (off = 0; off < 8; off++) {
		v = readl(GPIO + PERIPHID0 + 4 * off);
		check(v == ids[off], "ID register after all-ones writes", PERIPHID0 + 4 * off, v);
	}
	check(readl(GPIO + DIR) == 0xff, "GPIODIR after all ones", DIR, readl(GPIO + DIR));
	check(readl(GPIO + IC) == 0, "GPIOIC is write-only", IC, readl(GPIO + IC));
}

/* Seven outputs around the button's input: the address selects the lines. */
static void masking(void)
{
	u32 v;

	writeb(0, GPIO + IE);
	writeb(0xff, GPIO + IC);
	writeb((u8)~BTN, GPIO + DIR);
	writeb(0xff, DATA(0xff));
	v = readb(DATA(0xff));
	check(v == (u8)~BTN, "all lines (the button's is up)", 0x3fc, v);
	writeb(0, DATA(0x10));
	v = readl(DATA(0xff));
	check(v == ((u8)~BTN & ~0x10U), "line 4 cleared alone", 0x3fc, v);
	v = readw(DATA(0x20));
	check(v == 0x20, "line 5 alone", 0x20 << 2, v);
	v = readb(DATA(0));
	check(v == 0, "no line", 0, v);
	writeb(0xff, DATA(0));
	check(readb(DATA(0xff)) == ((u8)~BTN & ~0x10U), "a write through no line changes nothing", 0, 0);
	/* Back to reset: all inputs, all quiet. */
	writeb(0, GPIO + DIR);
	writeb(0, DATA(0xff));
	writeb(0, GPIO + IS);
	writeb(0, GPIO + IEV);
	writeb(0, GPIO + IBE);
	writeb(0xff, GPIO + IC);
	check(readb(GPIO + RIS) == 0, "RIS after clearing", RIS, readb(GPIO + RIS));
}

static void gpio_irq(unsigned int intid, void *data)
{
	u8 mis = readb(GPIO + MIS);

	(void)intid;
	(void)data;
	irqs++;
	last_mis = mis;
	writeb(mis, GPIO + IC);
	if ((mis & BTN) && readb(DATA(BTN)))
		presses++;
}

int inmate_main(void)
{
	printf("hostile-pl061: cell %u on CPU %u, PL061 at %#llx, SPI %u\n", comm_cell_id(), cpu_id(),
	       GPIO, GPIO_SPI);
	hammer();
	masking();
	printf("hostile-pl061: hammer: %s (%u wrong)\n", wrong ? "WRONG" : "ok", wrong);

	gic_init();
	gic_set_handler(GPIO_SPI, gpio_irq, NULL);
	gic_enable_irq(GPIO_SPI);
	writeb(BTN, GPIO + IBE);
	writeb(BTN, GPIO + IE);
	local_irq_enable();
	printf("hostile-pl061: waiting for the power button\n");
	while (!presses)
		asm volatile("wfi");
	printf("hostile-pl061: power button pressed (MIS %#x, %u interrupt(s)), shutdown %s in the communication page\n",
	       last_mis, irqs, comm_shutdown_requested() ? "requested" : "not requested");
	printf("hostile-pl061: a 64-bit read of GPIODIR now\n");
	(void)readq(GPIO + DIR);
	printf("hostile-pl061: still here, which must not be\n");
	inmate_halt();
}
