// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual PL011's register model (hypervisor/core/vpl011.c) on the
 * host, driven the way its users drive it: Linux's earlycon (byte writes
 * to DR, FR polled for TXFF and BUSY), amba-pl011 (16-bit accesses, the
 * PrimeCell IDs, IMSC/MIS/ICR, RX until RXFE), the SBSA driver (32-bit),
 * U-Boot's pl01x (32-bit FR and DR); what the interrupt line does; and the
 * accesses it refuses.
 */
#include <string.h>

#include <vpl011.h>

#include "tests.h"

static u64 rd(struct vpl011 *u, u64 off, u32 size, struct vpl011_step *s)
{
	u64 v = 0;

	ASSERT_TRUE(vpl011_access(u, off, size, false, &v, s));
	return v;
}

static void wr(struct vpl011 *u, u64 off, u32 size, u64 v, struct vpl011_step *s)
{
	ASSERT_TRUE(vpl011_access(u, off, size, true, &v, s));
}

TEST(vpl011_reset_state)
{
	struct vpl011 u;
	struct vpl011_step s;

	vpl011_reset(&u);
	ASSERT_EQ(rd(&u, UART_FR, 4, &s), UART_FR_TXFE | UART_FR_RXFE);
	ASSERT_EQ(rd(&u, UART_CR, 2, &s), UART_CR_RESET);
	ASSERT_EQ(rd(&u, UART_IFLS, 4, &s), UART_IFLS_RESET);
	ASSERT_EQ(rd(&u, UART_RIS, 4, &s), 0);
	ASSERT_EQ(rd(&u, UART_IMSC, 4, &s), 0);
	ASSERT_EQ(s.line, VPL011_LINE_KEEP);
}

/* amba_device's match: PeriphID 0x00041011 under mask 0x000fffff, PCellID 0xb105f00d. */
TEST(vpl011_primecell_ids)
{
	struct vpl011 u;
	struct vpl011_step s;
	u32 pid = 0, cid = 0, i;

	vpl011_reset(&u);
	for (i = 0; i < 4; i++) {
		pid |= (u32)(rd(&u, UART_PERIPHID0 + 4 * i, 4, &s) & 0xff) << (8 * i);
		cid |= (u32)(rd(&u, UART_PERIPHID0 + 16 + 4 * i, 4, &s) & 0xff) << (8 * i);
	}
	ASSERT_EQ(pid & 0x000fffff, 0x00041011);
	ASSERT_EQ(pid, 0x00141011);
	ASSERT_EQ(cid, 0xb105f00d);
}

/* earlycon: wait for !TXFF, a byte to DR, wait for !BUSY; nothing ever waits. */
TEST(vpl011_earlycon_tx)
{
	struct vpl011 u;
	struct vpl011_step s;
	const char *msg = "ok\n";

	vpl011_reset(&u);
	for (; *msg; msg++) {
		ASSERT_EQ(rd(&u, UART_FR, 4, &s) & UART_FR_TXFF, 0);
		wr(&u, UART_DR, 1, (u8)*msg, &s);
		ASSERT_TRUE(s.tx);
		ASSERT_EQ(s.tx_byte, (u8)*msg);
		ASSERT_EQ(s.line, VPL011_LINE_KEEP);	/* masked */
		ASSERT_EQ(rd(&u, UART_FR, 4, &s) & UART_FR_BUSY, 0);
	}
	/* A 16-bit or 32-bit write sends its low byte. */
	wr(&u, UART_DR, 2, 0x0141, &s);
	ASSERT_EQ(s.tx_byte, 0x41);
	ASSERT_EQ(rd(&u, UART_RIS, 4, &s), UART_INT_TX);
}

/* Stored registers keep what they were given, within their widths. */
TEST(vpl011_stored_registers)
{
	struct vpl011 u;
	struct vpl011_step s;

	vpl011_reset(&u);
	wr(&u, UART_IBRD, 2, 13, &s);
	wr(&u, UART_FBRD, 2, 0xff, &s);
	wr(&u, UART_LCR_H, 2, 0x70, &s);
	wr(&u, UART_CR, 2, 0x301, &s);
	wr(&u, UART_DMACR, 4, 7, &s);
	wr(&u, UART_FR, 4, 0, &s);
	ASSERT_EQ(rd(&u, UART_IBRD, 2, &s), 13);
	ASSERT_EQ(rd(&u, UART_FBRD, 2, &s), 0x3f);
	ASSERT_EQ(rd(&u, UART_LCR_H, 2, &s), 0x70);
	ASSERT_EQ(rd(&u, UART_CR, 2, &s), 0x301);
	ASSERT_EQ(rd(&u, UART_DMACR, 4, &s), 0);
	ASSERT_EQ(rd(&u, UART_FR, 4, &s), UART_FR_TXFE | UART_FR_RXFE);
	ASSERT_EQ(rd(&u, 0x100, 4, &s), 0);	/* reserved */
	ASSERT_EQ(rd(&u, UART_RSR, 4, &s), 0);
}

/* Linux: RXIM|RTIM enabled; input raises the line; RX until RXFE lowers it. */
TEST(vpl011_rx_interrupt)
{
	struct vpl011 u;
	struct vpl011_step s;
	const u8 in[] = "abc";
	char got[4] = { 0 };
	u32 i = 0;

	vpl011_reset(&u);
	wr(&u, UART_IMSC, 2, UART_INT_RX | UART_INT_RT, &s);
	ASSERT_EQ(s.line, VPL011_LINE_KEEP);
	ASSERT_EQ(vpl011_receive(&u, in, 3, &s), 3);
	ASSERT_EQ(s.line, VPL011_LINE_RAISE);
	ASSERT_EQ(rd(&u, UART_MIS, 2, &s), UART_INT_RT);	/* 3 bytes: below the 1/2 trigger */
	/* More input while still pending: no new bit, no new edge. */
	ASSERT_EQ(vpl011_receive(&u, in, 0, &s), 0);
	ASSERT_EQ(s.line, VPL011_LINE_KEEP);
	while (!(rd(&u, UART_FR, 2, &s) & UART_FR_RXFE)) {
		got[i++] = (char)rd(&u, UART_DR, 2, &s);
		ASSERT_EQ(s.line, i == 3 ? VPL011_LINE_LOWER : VPL011_LINE_KEEP);
	}
	ASSERT_EQ(strcmp(got, "abc"), 0);
	ASSERT_EQ(rd(&u, UART_MIS, 2, &s), 0);
	/* An empty FIFO reads 0 and changes nothing. */
	ASSERT_EQ(rd(&u, UART_DR, 4, &s), 0);
	ASSERT_EQ(s.line, VPL011_LINE_KEEP);
}

/* The FIFO takes VPL011_FIFO bytes, then sets RXFF and takes no more; RXIS at the trigger. */
TEST(vpl011_rx_fifo_full)
{
	struct vpl011 u;
	struct vpl011_step s;
	u8 in[VPL011_FIFO + 8];
	u32 i;

	for (i = 0; i < sizeof(in); i++)
		in[i] = (u8)i;
	vpl011_reset(&u);
	ASSERT_EQ(vpl011_receive(&u, in, 15, &s), 15);
	ASSERT_EQ(rd(&u, UART_RIS, 4, &s), UART_INT_RT);
	ASSERT_EQ(vpl011_receive(&u, in + 15, 1, &s), 1);
	ASSERT_EQ(rd(&u, UART_RIS, 4, &s), UART_INT_RT | UART_INT_RX);
	ASSERT_EQ(vpl011_receive(&u, in + 16, sizeof(in) - 16, &s), VPL011_FIFO - 16);
	ASSERT_EQ(rd(&u, UART_FR, 4, &s), UART_FR_TXFE | UART_FR_RXFF);
	ASSERT_EQ(vpl011_receive(&u, in, 1, &s), 0);
	for (i = 0; i < VPL011_FIFO; i++)
		ASSERT_EQ(rd(&u, UART_DR, 4, &s), i);
	ASSERT_EQ(rd(&u, UART_RIS, 4, &s), 0);
	/* IFLS 1/8: RXIS from 4 bytes. */
	wr(&u, UART_IFLS, 4, 0, &s);
	ASSERT_EQ(vpl011_receive(&u, in, 4, &s), 4);
	ASSERT_EQ(rd(&u, UART_RIS, 4, &s), UART_INT_RT | UART_INT_RX);
}

/* Enabling a set bit raises; ICR of the last one lowers; TX raises with TXIM. */
TEST(vpl011_line_follows_mis)
{
	struct vpl011 u;
	struct vpl011_step s;

	vpl011_reset(&u);
	ASSERT_EQ(vpl011_receive(&u, (const u8 *)"x", 1, &s), 1);
	ASSERT_EQ(s.line, VPL011_LINE_KEEP);	/* masked */
	wr(&u, UART_IMSC, 4, UART_INT_RT | UART_INT_TX, &s);
	ASSERT_EQ(s.line, VPL011_LINE_RAISE);
	wr(&u, UART_DR, 4, 'y', &s);
	ASSERT_EQ(s.line, VPL011_LINE_RAISE);	/* TXIS is a new bit */
	wr(&u, UART_ICR, 4, UART_INT_TX, &s);
	ASSERT_EQ(s.line, VPL011_LINE_KEEP);
	wr(&u, UART_ICR, 4, UART_INT_ALL, &s);
	ASSERT_EQ(s.line, VPL011_LINE_LOWER);
	wr(&u, UART_IMSC, 4, 0, &s);
	ASSERT_EQ(s.line, VPL011_LINE_KEEP);
}

/* 8-byte accesses and accesses into the middle of a register are refused. */
TEST(vpl011_refused)
{
	struct vpl011 u;
	struct vpl011_step s;
	u64 v = 0;

	vpl011_reset(&u);
	ASSERT_FALSE(vpl011_access(&u, UART_DR, 8, false, &v, &s));
	ASSERT_FALSE(vpl011_access(&u, UART_FR + 1, 1, false, &v, &s));
	ASSERT_FALSE(vpl011_access(&u, UART_CR + 2, 2, true, &v, &s));
	ASSERT_FALSE(vpl011_access(&u, VPL011_SIZE, 4, false, &v, &s));
	ASSERT_FALSE(s.tx);
}

DEFINE_TEST_MAIN
