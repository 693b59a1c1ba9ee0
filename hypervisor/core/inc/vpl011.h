/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register model of the virtual PL011 (core/vpl011.c): pure state and
 * arithmetic, no locks, no hardware, so that the host tests drive it the
 * way Linux, U-Boot and bare-metal programs do. The glue that puts it at a
 * cell's guest address, sends its output to the cell's console and raises
 * its interrupt is core/uart.c.
 *
 * What it is: an ARM PL011 r1p5 (PeriphID 0x00141011, PCellID 0xb105f00d,
 * the IDs QEMU's virt UART reports) whose transmitter never holds a byte
 * (FR.TXFE always, TXFF and BUSY never: each byte written to DR leaves at
 * once) and whose receive FIFO holds VPL011_FIFO bytes root wrote. Its
 * interrupt follows (RIS & IMSC) != 0; the model tells the glue when to
 * raise it (new bits in MIS) and when to lower it (MIS became 0).
 */
#ifndef __VPL011_H__
#define __VPL011_H__

#include <types.h>

#define VPL011_SIZE	0x1000
#define VPL011_FIFO	32		/* receive FIFO bytes (PL011 r1p5: 32) */

/* Registers */
#define UART_DR		0x000
#define UART_RSR	0x004		/* read: RSR; write: ECR */
#define UART_FR		0x018
#define UART_ILPR	0x020
#define UART_IBRD	0x024
#define UART_FBRD	0x028
#define UART_LCR_H	0x02c
#define UART_CR		0x030
#define UART_IFLS	0x034
#define UART_IMSC	0x038
#define UART_RIS	0x03c
#define UART_MIS	0x040
#define UART_ICR	0x044
#define UART_DMACR	0x048
#define UART_PERIPHID0	0xfe0		/* PeriphID0-3, then PCellID0-3, one byte a word */

/* FR */
#define UART_FR_BUSY	(1U << 3)
#define UART_FR_RXFE	(1U << 4)
#define UART_FR_TXFF	(1U << 5)
#define UART_FR_RXFF	(1U << 6)
#define UART_FR_TXFE	(1U << 7)

/* RIS, MIS, IMSC, ICR */
#define UART_INT_RX	(1U << 4)
#define UART_INT_TX	(1U << 5)
#define UART_INT_RT	(1U << 6)
#define UART_INT_ALL	0x7ffU

#define UART_CR_RESET	0x0300		/* TXE | RXE */
#define UART_IFLS_RESET	0x12		/* both FIFOs at half */

/* What the interrupt line must do after a step of the model. */
enum vpl011_line {
	VPL011_LINE_KEEP,
	VPL011_LINE_RAISE,	/* MIS gained bits: make the interrupt pending (again) */
	VPL011_LINE_LOWER,	/* MIS became 0: take the pending state back */
};

/**
 * struct vpl011 - one virtual UART
 * @rx:     receive FIFO, @rx_count bytes from @rx_head
 * @ris:    raw interrupt status
 * @imsc:   interrupt mask set/clear (1: enabled)
 * @cr, @lcr_h, @ibrd, @fbrd, @ifls: stored as written, no effect
 */
struct vpl011 {
	u8 rx[VPL011_FIFO];
	u32 rx_head;
	u32 rx_count;
	u32 ris;
	u32 imsc;
	u32 cr;
	u32 lcr_h;
	u32 ibrd;
	u32 fbrd;
	u32 ifls;
};

/**
 * struct vpl011_step - what a step of the model asks of its glue
 * @tx:   a byte was transmitted (@tx_byte)
 * @line: enum vpl011_line
 */
struct vpl011_step {
	bool tx;
	u8 tx_byte;
	u32 line;
};

/* Out of reset: FIFO empty, interrupts masked, CR and IFLS at their reset values. */
void vpl011_reset(struct vpl011 *u);

/**
 * vpl011_access() - a register access of the cell
 * @u:      the UART
 * @offset: into its page, naturally aligned for @size
 * @size:   1, 2 or 4 bytes
 * @write:  a write of *@value, else a read into *@value
 * @value:  the value
 * @s:      filled: a transmitted byte, the line's change
 *
 * Return: false for an access the UART refuses (8 bytes, or one that does
 * not start at a register's first byte); the cell then fails. Reserved
 * offsets and writes to read-only registers are ignored, reads of them
 * give 0, as on the hardware.
 */
bool vpl011_access(struct vpl011 *u, u64 offset, u32 size, bool write, u64 *value,
		   struct vpl011_step *s);

/**
 * vpl011_receive() - root's bytes for the receive FIFO
 * @u:   the UART
 * @buf: the bytes
 * @n:   how many
 * @s:   filled: the line's change
 *
 * Return: the bytes taken, fewer than @n (0) when the FIFO fills up.
 */
u32 vpl011_receive(struct vpl011 *u, const u8 *buf, u32 n, struct vpl011_step *s);

#endif /* __VPL011_H__ */
