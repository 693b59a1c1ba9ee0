// SPDX-License-Identifier: GPL-2.0-only
/*
 * The virtual PL011's registers (vpl011.h): what the cell reads and
 * writes, and what root's bytes do to them. No locks here: the glue
 * (uart.c) holds the cell's lock around every step.
 *
 * The transmitter has nothing to wait for, so each byte written to DR
 * leaves at once: the FIFO passes through its trigger level on the way
 * back to empty, which sets TXRIS (PL011 TRM, "UARTTXINTR"; QEMU does the
 * same). The receiver's timeout is not timed: RTRIS is set as soon as the
 * FIFO holds a byte, so that a driver that waits for the timeout (Linux
 * enables RXIM and RTIM) sees input at once; RXRIS follows the trigger
 * level of IFLS. Both clear when DR reads take the FIFO below their
 * level, or on ICR.
 */
#include <vpl011.h>

/* PeriphID0-3 (part 0x011, designer ARM, revision 1) and PCellID0-3. */
static const u8 vpl011_id[8] = { 0x11, 0x10, 0x14, 0x00, 0x0d, 0xf0, 0x05, 0xb1 };

void vpl011_reset(struct vpl011 *u)
{
	*u = (struct vpl011){ .cr = UART_CR_RESET, .ifls = UART_IFLS_RESET };
}

/* RXIFLSEL (IFLS[5:3]): 1/8, 1/4, 1/2, 3/4 or 7/8 of the FIFO; reserved values as 1/2. */
static u32 rx_trigger(const struct vpl011 *u)
{
	static const u8 eighths[] = { 1, 2, 4, 6, 7 };
	u32 sel = (u->ifls >> 3) & 7;

	return VPL011_FIFO * (sel < sizeof(eighths) ? eighths[sel] : 4) / 8;
}

static u32 mis(const struct vpl011 *u)
{
	return u->ris & u->imsc;
}

/* The interrupt follows MIS != 0: raised for every new bit, lowered when none is left. */
static void line_step(const struct vpl011 *u, u32 before, struct vpl011_step *s)
{
	u32 now = mis(u);

	if (now & ~before)
		s->line = VPL011_LINE_RAISE;
	else if (!now && before)
		s->line = VPL011_LINE_LOWER;
	else
		s->line = VPL011_LINE_KEEP;
}

static u8 rx_pop(struct vpl011 *u)
{
	u8 b;

	if (!u->rx_count)
		return 0;
	b = u->rx[u->rx_head];
	u->rx_head = (u->rx_head + 1) % VPL011_FIFO;
	u->rx_count--;
	if (u->rx_count < rx_trigger(u))
		u->ris &= ~UART_INT_RX;
	if (!u->rx_count)
		u->ris &= ~UART_INT_RT;
	return b;
}

static u32 flags(const struct vpl011 *u)
{
	u32 fr = UART_FR_TXFE;

	if (!u->rx_count)
		fr |= UART_FR_RXFE;
	if (u->rx_count == VPL011_FIFO)
		fr |= UART_FR_RXFF;
	return fr;
}

static u32 reg_read(struct vpl011 *u, u64 off)
{
	switch (off) {
	case UART_DR:
		return rx_pop(u);	/* no error bits: nothing is ever lost on the way */
	case UART_FR:
		return flags(u);
	case UART_IBRD:
		return u->ibrd;
	case UART_FBRD:
		return u->fbrd;
	case UART_LCR_H:
		return u->lcr_h;
	case UART_CR:
		return u->cr;
	case UART_IFLS:
		return u->ifls;
	case UART_IMSC:
		return u->imsc;
	case UART_RIS:
		return u->ris;
	case UART_MIS:
		return mis(u);
	}
	if (off >= UART_PERIPHID0)
		return vpl011_id[(off - UART_PERIPHID0) / 4];
	return 0;	/* RSR (no errors), ILPR, ICR, DMACR (no DMA), reserved */
}

static void reg_write(struct vpl011 *u, u64 off, u32 v, struct vpl011_step *s)
{
	switch (off) {
	case UART_DR:
		s->tx = true;
		s->tx_byte = (u8)v;
		u->ris |= UART_INT_TX;
		break;
	case UART_IBRD:
		u->ibrd = v & 0xffff;
		break;
	case UART_FBRD:
		u->fbrd = v & 0x3f;
		break;
	case UART_LCR_H:
		u->lcr_h = v & 0xff;
		break;
	case UART_CR:
		u->cr = v & 0xffff;
		break;
	case UART_IFLS:
		u->ifls = v & 0x3f;
		break;
	case UART_IMSC:
		u->imsc = v & UART_INT_ALL;
		break;
	case UART_ICR:
		u->ris &= ~v;
		break;
	default:
		break;	/* ECR (no errors to clear), ILPR, DMACR, read-only, reserved */
	}
}

bool vpl011_access(struct vpl011 *u, u64 offset, u32 size, bool write, u64 *value,
		   struct vpl011_step *s)
{
	u32 before = mis(u);

	*s = (struct vpl011_step){ .line = VPL011_LINE_KEEP };
	if (size > 4 || offset % 4 || offset >= VPL011_SIZE)
		return false;
	if (write)
		reg_write(u, offset, (u32)*value, s);
	else
		*value = reg_read(u, offset) & (u32)((1ULL << (size * 8)) - 1);
	line_step(u, before, s);
	return true;
}

u32 vpl011_receive(struct vpl011 *u, const u8 *buf, u32 n, struct vpl011_step *s)
{
	u32 before = mis(u), i;

	*s = (struct vpl011_step){ .line = VPL011_LINE_KEEP };
	for (i = 0; i < n && u->rx_count < VPL011_FIFO; i++) {
		u->rx[(u->rx_head + u->rx_count) % VPL011_FIFO] = buf[i];
		u->rx_count++;
	}
	if (u->rx_count)
		u->ris |= UART_INT_RT;
	if (u->rx_count >= rx_trigger(u))
		u->ris |= UART_INT_RX;
	line_step(u, before, s);
	return i;
}
