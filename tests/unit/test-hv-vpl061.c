// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual PL061's register model (hypervisor/core/vpl061.c) on the
 * host, driven the way Linux's gpio-pl061 and gpio-keys drive it: byte
 * accesses, the PrimeCell IDs the AMBA bus matches, GPIODATA through its
 * address mask, a both-edges interrupt on the power button's line acked
 * through GPIOIC; level interrupts, the line's raise and lower, and what a
 * hostile guest's accesses may and may not do.
 */
#include <string.h>

#include <warden/config.h>
#include <vpl061.h>

#include "tests.h"

#define BTN (1U << WARDEN_BUTTON_LINE)

static u64 rd(struct vpl061 *g, u64 off, u32 size)
{
	u64 v = ~0ULL;
	u32 line;

	ASSERT_TRUE(vpl061_access(g, off, size, false, &v, &line));
	ASSERT_EQ(line, VPL061_LINE_KEEP);	/* reads change nothing */
	return v;
}

static u32 wr(struct vpl061 *g, u64 off, u32 size, u64 v)
{
	u32 line;

	ASSERT_TRUE(vpl061_access(g, off, size, true, &v, &line));
	return line;
}

static u32 press(struct vpl061 *g, bool down)
{
	u32 line;

	vpl061_set_input(g, WARDEN_BUTTON_LINE, down, &line);
	return line;
}

/* Linux's gpio_get_value(): readb(base + BIT(offset + 2)). */
static bool get(struct vpl061 *g, u32 n)
{
	return rd(g, 1U << (n + 2), 1) != 0;
}

TEST(vpl061_reset_state)
{
	struct vpl061 g;

	memset(&g, 0xa5, sizeof(g));
	vpl061_reset(&g);
	ASSERT_EQ(rd(&g, GPIO_DIR, 1), 0);
	ASSERT_EQ(rd(&g, GPIO_IE, 1), 0);
	ASSERT_EQ(rd(&g, GPIO_RIS, 4), 0);
	ASSERT_EQ(rd(&g, GPIO_MIS, 4), 0);
	ASSERT_EQ(rd(&g, 0x3fc, 4), 0);		/* every line, all low */
}

/* amba_device's match for gpio-pl061: PeriphID 0x00041061 under mask 0x000fffff, PCellID 0xb105f00d. */
TEST(vpl061_primecell_ids)
{
	struct vpl061 g;
	u32 pid = 0, cid = 0, i;

	vpl061_reset(&g);
	for (i = 0; i < 4; i++) {
		pid |= (u32)rd(&g, GPIO_PERIPHID0 + 4 * i, 4) << (8 * i);
		cid |= (u32)rd(&g, GPIO_PERIPHID0 + 16 + 4 * i, 4) << (8 * i);
	}
	ASSERT_EQ(pid & 0x000fffff, 0x00041061);
	ASSERT_EQ(cid, 0xb105f00d);
}

/* GPIODATA: address bits [9:2] select the lines a read sees and a write changes. */
TEST(vpl061_data_masking)
{
	struct vpl061 g;

	vpl061_reset(&g);
	wr(&g, GPIO_DIR, 1, 0xf0);		/* lines 4-7 outputs */
	wr(&g, 0x3fc, 1, 0xff);			/* all lines: only outputs show it */
	ASSERT_EQ(rd(&g, 0x3fc, 1), 0xf0);
	wr(&g, 0x10 << 2, 1, 0x00);		/* line 4 only */
	ASSERT_EQ(rd(&g, 0x3fc, 1), 0xe0);
	ASSERT_EQ(rd(&g, 0x20 << 2, 1), 0x20);	/* line 5 alone */
	ASSERT_EQ(rd(&g, 0x10 << 2, 1), 0);
	ASSERT_EQ(rd(&g, 0, 4), 0);		/* offset 0 masks every line */
	/* Linux's gpio_set_value(7, 0): writeb(0, base + BIT(9)). */
	wr(&g, 1U << 9, 1, 0);
	ASSERT_EQ(rd(&g, 0x3fc, 1), 0x60);
	/* An input line reads what the outside drives, whatever was latched. */
	ASSERT_EQ(press(&g, true), VPL061_LINE_KEEP);	/* no interrupt enabled */
	ASSERT_TRUE(get(&g, WARDEN_BUTTON_LINE));
	ASSERT_EQ(rd(&g, 0x3fc, 1), 0x60 | BTN);
	/* Made an output, the line shows its latch instead. */
	wr(&g, BTN << 2, 1, 0);
	ASSERT_TRUE(get(&g, WARDEN_BUTTON_LINE));
	wr(&g, GPIO_DIR, 1, 0xf0 | BTN);
	ASSERT_FALSE(get(&g, WARDEN_BUTTON_LINE));
	wr(&g, BTN << 2, 1, 0xff);
	ASSERT_TRUE(get(&g, WARDEN_BUTTON_LINE));
}

/* gpio-keys: IRQ_TYPE_EDGE_BOTH on the button's line (pl061_irq_type: IS 0, IBE 1), unmasked. */
static void linux_probe(struct vpl061 *g)
{
	vpl061_reset(g);
	wr(g, GPIO_IE, 1, 0);
	ASSERT_EQ(rd(g, GPIO_DIR, 1) & BTN, 0);	/* pl061_direction_input */
	wr(g, GPIO_IS, 1, rd(g, GPIO_IS, 1) & ~BTN);
	wr(g, GPIO_IBE, 1, rd(g, GPIO_IBE, 1) | BTN);
	ASSERT_EQ(wr(g, GPIO_IE, 1, rd(g, GPIO_IE, 1) | BTN), VPL061_LINE_KEEP);
}

TEST(vpl061_power_button_both_edges)
{
	struct vpl061 g;

	linux_probe(&g);
	ASSERT_EQ(press(&g, true), VPL061_LINE_RAISE);
	ASSERT_EQ(rd(&g, GPIO_MIS, 1), BTN);
	ASSERT_EQ(rd(&g, GPIO_RIS, 1), BTN);
	/* A press already held: no new edge, the line stays as it is. */
	ASSERT_EQ(press(&g, true), VPL061_LINE_KEEP);
	/* The handler acks through GPIOIC; the debounce work then reads the level, still pressed. */
	ASSERT_EQ(wr(&g, GPIO_IC, 1, BTN), VPL061_LINE_LOWER);
	ASSERT_EQ(rd(&g, GPIO_MIS, 1), 0);
	ASSERT_TRUE(get(&g, WARDEN_BUTTON_LINE));
	/* The release is an edge too. */
	ASSERT_EQ(press(&g, false), VPL061_LINE_RAISE);
	ASSERT_FALSE(get(&g, WARDEN_BUTTON_LINE));
	ASSERT_EQ(wr(&g, GPIO_IC, 1, 0xff), VPL061_LINE_LOWER);
}

TEST(vpl061_single_edges)
{
	struct vpl061 g;

	vpl061_reset(&g);
	wr(&g, GPIO_IEV, 1, BTN);		/* rising only */
	wr(&g, GPIO_IE, 1, BTN);
	ASSERT_EQ(press(&g, true), VPL061_LINE_RAISE);
	wr(&g, GPIO_IC, 1, BTN);
	ASSERT_EQ(press(&g, false), VPL061_LINE_KEEP);
	ASSERT_EQ(rd(&g, GPIO_RIS, 1), 0);
	wr(&g, GPIO_IEV, 1, 0);			/* falling only */
	ASSERT_EQ(press(&g, true), VPL061_LINE_KEEP);
	ASSERT_EQ(press(&g, false), VPL061_LINE_RAISE);
	/* An edge latched while masked shows in RIS and raises the line when unmasked. */
	wr(&g, GPIO_IC, 1, 0xff);
	wr(&g, GPIO_IE, 1, 0);
	press(&g, true);
	ASSERT_EQ(press(&g, false), VPL061_LINE_KEEP);
	ASSERT_EQ(rd(&g, GPIO_RIS, 1), BTN);
	ASSERT_EQ(rd(&g, GPIO_MIS, 1), 0);
	ASSERT_EQ(wr(&g, GPIO_IE, 1, BTN), VPL061_LINE_RAISE);
}

/* Level-sensitive: RIS follows the level; GPIOIC does not clear it. */
TEST(vpl061_level)
{
	struct vpl061 g;

	vpl061_reset(&g);
	wr(&g, GPIO_IS, 1, BTN);
	wr(&g, GPIO_IEV, 1, BTN);		/* high level */
	wr(&g, GPIO_IE, 1, BTN);
	ASSERT_EQ(rd(&g, GPIO_RIS, 1), 0);
	ASSERT_EQ(press(&g, true), VPL061_LINE_RAISE);
	ASSERT_EQ(wr(&g, GPIO_IC, 1, 0xff), VPL061_LINE_KEEP);
	ASSERT_EQ(rd(&g, GPIO_MIS, 1), BTN);
	ASSERT_EQ(press(&g, false), VPL061_LINE_LOWER);
	/* Low level: the other lines, all low, are active at once. */
	ASSERT_EQ(wr(&g, GPIO_IEV, 1, 0), VPL061_LINE_RAISE);
	ASSERT_EQ(rd(&g, GPIO_RIS, 1), BTN);
	ASSERT_EQ(press(&g, true), VPL061_LINE_LOWER);
}

/* An output line's own writes are edges too (the TRM detects on the pin). */
TEST(vpl061_output_edges)
{
	struct vpl061 g;

	vpl061_reset(&g);
	wr(&g, GPIO_DIR, 1, 0x01);
	wr(&g, GPIO_IBE, 1, 0x01);
	wr(&g, GPIO_IE, 1, 0x01);
	ASSERT_EQ(wr(&g, 0x01 << 2, 1, 1), VPL061_LINE_RAISE);
	ASSERT_EQ(rd(&g, GPIO_MIS, 1), 0x01);
}

/* Widths, reserved space, write-only and read-only registers, refused accesses. */
TEST(vpl061_hostile_accesses)
{
	struct vpl061 g;
	u64 v = ~0ULL, off;
	u32 line, size;

	vpl061_reset(&g);
	/* All-ones everywhere, every width: nothing but registers' own 8 bits change. */
	for (off = 0; off < VPL061_SIZE; off += 4)
		for (size = 1; size <= 4; size *= 2) {
			v = ~0ULL;
			ASSERT_TRUE(vpl061_access(&g, off, size, true, &v, &line));
			v = 0;
			ASSERT_TRUE(vpl061_access(&g, off, size, false, &v, &line));
			ASSERT_TRUE(v <= 0xff);
		}
	ASSERT_EQ(rd(&g, GPIO_DIR, 4), 0xff);
	ASSERT_EQ(rd(&g, GPIO_IC, 4), 0);	/* write-only */
	ASSERT_EQ(rd(&g, 0x800, 4), 0);		/* reserved */
	ASSERT_EQ(rd(&g, GPIO_PERIPHID0, 4), 0x61);	/* read-only */
	ASSERT_EQ(rd(&g, 0x3fc, 1), 0xff);
	/* Refused: 8 bytes, a register's second byte, outside the page. */
	ASSERT_FALSE(vpl061_access(&g, GPIO_DIR, 8, false, &v, &line));
	ASSERT_FALSE(vpl061_access(&g, GPIO_DIR, 8, true, &v, &line));
	ASSERT_FALSE(vpl061_access(&g, GPIO_DIR + 1, 1, false, &v, &line));
	ASSERT_FALSE(vpl061_access(&g, GPIO_DIR + 2, 2, true, &v, &line));
	ASSERT_FALSE(vpl061_access(&g, VPL061_SIZE, 4, false, &v, &line));
	ASSERT_FALSE(vpl061_access(&g, ~0ULL & ~3ULL, 4, false, &v, &line));
	ASSERT_EQ(line, VPL061_LINE_KEEP);
	/* Lines beyond the eight are ignored. */
	vpl061_set_input(&g, VPL061_LINES, true, &line);
	ASSERT_EQ(line, VPL061_LINE_KEEP);
	vpl061_set_input(&g, ~0U, true, &line);
	ASSERT_EQ(line, VPL061_LINE_KEEP);
}

DEFINE_TEST_MAIN
