/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The register model of the virtual PL061 (core/vpl061.c): an ARM PrimeCell
 * PL061 GPIO controller r1p1 (PeriphID 0x00041061, PCellID 0xb105f00d, the
 * IDs Linux's gpio-pl061 matches and QEMU's virt board reports) with eight
 * lines. Pure state and arithmetic, no locks, no hardware, so that the host
 * tests drive it the way Linux does. The glue that puts it at a cell's
 * guest address, wires its line WARDEN_BUTTON_LINE to the cell's power
 * button and raises its interrupt is core/button.c.
 *
 * Each line's level is the output latch (GPIODATA) where GPIODIR makes it
 * an output, and what the outside drives (vpl061_set_input()) where it is
 * an input. Interrupt detection follows the TRM: edge-sensitive lines
 * (GPIOIS 0) latch a bit in GPIORIS on a rising or falling edge (GPIOIEV)
 * or on both (GPIOIBE) until GPIOIC clears it; level-sensitive lines
 * (GPIOIS 1) show their level (high or low, GPIOIEV) in GPIORIS for as long
 * as it lasts. The interrupt follows GPIOMIS = GPIORIS & GPIOIE != 0; the
 * model tells the glue when to raise it (new bits in GPIOMIS) and when to
 * lower it (GPIOMIS became 0). GPIOAFSEL is stored and has no effect: there
 * is no hardware control to hand a line to.
 */
#ifndef __VPL061_H__
#define __VPL061_H__

#include <types.h>

#define VPL061_SIZE	0x1000
#define VPL061_LINES	8

/* Registers */
#define GPIO_DATA	0x000		/* 0x000-0x3fc: address bits [9:2] mask the access */
#define GPIO_DATA_END	0x400
#define GPIO_DIR	0x400		/* 1: output */
#define GPIO_IS		0x404		/* 1: level-sensitive */
#define GPIO_IBE	0x408		/* 1: both edges */
#define GPIO_IEV	0x40c		/* 1: rising edge or high level */
#define GPIO_IE		0x410		/* 1: interrupt enabled (the TRM's mask) */
#define GPIO_RIS	0x414
#define GPIO_MIS	0x418
#define GPIO_IC		0x41c		/* write-only: 1 clears an edge */
#define GPIO_AFSEL	0x420
#define GPIO_PERIPHID0	0xfe0		/* PeriphID0-3, then PCellID0-3, one byte a word */

/* What the interrupt line must do after a step of the model. */
enum vpl061_line {
	VPL061_LINE_KEEP,
	VPL061_LINE_RAISE,	/* MIS gained bits: make the interrupt pending (again) */
	VPL061_LINE_LOWER,	/* MIS became 0: take the pending state back */
};

/**
 * struct vpl061 - one virtual GPIO controller, one bit per line
 * @data:  output latch, as written through GPIODATA
 * @input: the levels driven from outside (the power button)
 * @level: each line's level when last looked at (edges are changes of it)
 * @dir, @is, @ibe, @iev, @ie, @ris, @afsel: the registers of the same name
 */
struct vpl061 {
	u8 data;
	u8 input;
	u8 level;
	u8 dir;
	u8 is;
	u8 ibe;
	u8 iev;
	u8 ie;
	u8 ris;
	u8 afsel;
};

/* Out of reset: every line an input, every interrupt off, nothing driven. */
void vpl061_reset(struct vpl061 *g);

/**
 * vpl061_access() - a register access of the cell
 * @g:      the controller
 * @offset: into its page
 * @size:   1, 2, 4 or 8 bytes
 * @write:  a write of *@value, else a read into *@value
 * @value:  the value
 * @line:   filled: enum vpl061_line
 *
 * Return: false for an access the controller refuses (8 bytes, or one that
 * does not start at a register's first byte); the cell then fails. Reserved
 * offsets and writes to read-only registers are ignored, reads of them and
 * of GPIOIC give 0, as on the hardware; bits above a register's 8 are
 * ignored on writes and read as 0.
 */
bool vpl061_access(struct vpl061 *g, u64 offset, u32 size, bool write, u64 *value, u32 *line);

/**
 * vpl061_set_input() - drive input line @n to @high (the power button)
 * @g:    the controller
 * @n:    the line, below VPL061_LINES (others are ignored)
 * @high: its new level
 * @line: filled: enum vpl061_line
 */
void vpl061_set_input(struct vpl061 *g, u32 n, bool high, u32 *line);

#endif /* __VPL061_H__ */
