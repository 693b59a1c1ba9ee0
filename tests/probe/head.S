/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The GIC probe's start-up, its way down to EL1 and its two vector tables.
 *
 * QEMU enters _start at EL2 (virtualization=on), MMU and caches off. Every
 * vector saves a struct frame (gic-probe.c) and calls probe_el2_trap() or
 * probe_el1_trap() with the slot's index: 4 * (current EL SP0, current EL
 * SPx, lower EL AArch64, lower EL AArch32) + (sync, IRQ, FIQ, SError).
 * EL1's vectors read the counter first thing, so that the frame says when
 * an interrupt reached the vector (the latency figures).
 */

#define FRAME_SIZE	(34 * 8)	/* x0-x30, elr, spsr, stamp */
#define FRAME_ELR	(31 * 8)
#define FRAME_STAMP	(33 * 8)

/* SCTLR_EL1: MMU and caches off, little-endian, the RES1 bits of ARMv8.0. */
#define SCTLR_EL1_PROBE	0x30d00800
/* SPSR_EL2 for the drop: EL1h, DAIF all masked. */
#define SPSR_EL1H_MASKED 0x3c5

.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

	.section .text.head, "ax"
	.global _start
_start:
	msr	daifset, #0xf
	adr_l	x1, __stack_el2
	mov	sp, x1
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:	mrs	x1, CurrentEL
	cmp	x1, #(2 << 2)
	b.ne	3f
	adr_l	x1, el2_vectors
	msr	vbar_el2, x1
	isb
3:	bl	probe_main		/* checks the EL itself; does not return */
	b	.

/* enter_el1(fn): run fn at EL1h on its own stack, DAIF masked; no return. */
	.global enter_el1
enter_el1:
	msr	elr_el2, x0
	mov	x1, #SPSR_EL1H_MASKED
	msr	spsr_el2, x1
	adr_l	x1, __stack_el1
	msr	sp_el1, x1
	adr_l	x1, el1_vectors
	msr	vbar_el1, x1
	mov	x1, #(SCTLR_EL1_PROBE & 0xffff)
	movk	x1, #(SCTLR_EL1_PROBE >> 16), lsl #16
	msr	sctlr_el1, x1
	isb
	eret

/* One vector slot: the frame, x0 and x1 in it, x1 = the slot's index. */
.macro vector el, index
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	.ifc	\el, el1
	mrs	x0, cntpct_el0
	str	x0, [sp, #FRAME_STAMP]
	.endif
	mov	x1, #\index
	b	trap_\el
.endm

.macro vector_table el
	.balign	0x800
\el\()_vectors:
	.irp	index, 0, 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12, 13, 14, 15
	vector	\el, \index
	.endr
.endm

/* The rest of the frame, the C handler, and back. */
.macro trap_common el
trap_\el:
	stp	x2, x3, [sp, #(2 * 8)]
	stp	x4, x5, [sp, #(4 * 8)]
	stp	x6, x7, [sp, #(6 * 8)]
	stp	x8, x9, [sp, #(8 * 8)]
	stp	x10, x11, [sp, #(10 * 8)]
	stp	x12, x13, [sp, #(12 * 8)]
	stp	x14, x15, [sp, #(14 * 8)]
	stp	x16, x17, [sp, #(16 * 8)]
	stp	x18, x19, [sp, #(18 * 8)]
	stp	x20, x21, [sp, #(20 * 8)]
	stp	x22, x23, [sp, #(22 * 8)]
	stp	x24, x25, [sp, #(24 * 8)]
	stp	x26, x27, [sp, #(26 * 8)]
	stp	x28, x29, [sp, #(28 * 8)]
	mrs	x2, elr_\el
	stp	x30, x2, [sp, #(30 * 8)]
	mrs	x2, spsr_\el
	str	x2, [sp, #(32 * 8)]
	mov	x0, sp
	bl	probe_\el\()_trap
	ldp	x2, x3, [sp, #FRAME_ELR]
	msr	elr_\el, x2
	msr	spsr_\el, x3
	ldr	x30, [sp, #(30 * 8)]
	ldp	x0, x1, [sp, #(0 * 8)]
	ldp	x2, x3, [sp, #(2 * 8)]
	ldp	x4, x5, [sp, #(4 * 8)]
	ldp	x6, x7, [sp, #(6 * 8)]
	ldp	x8, x9, [sp, #(8 * 8)]
	ldp	x10, x11, [sp, #(10 * 8)]
	ldp	x12, x13, [sp, #(12 * 8)]
	ldp	x14, x15, [sp, #(14 * 8)]
	ldp	x16, x17, [sp, #(16 * 8)]
	ldp	x18, x19, [sp, #(18 * 8)]
	ldp	x20, x21, [sp, #(20 * 8)]
	ldp	x22, x23, [sp, #(22 * 8)]
	ldp	x24, x25, [sp, #(24 * 8)]
	ldp	x26, x27, [sp, #(26 * 8)]
	ldp	x28, x29, [sp, #(28 * 8)]
	add	sp, sp, #FRAME_SIZE
	eret
.endm

	trap_common el2
	trap_common el1

	vector_table el2
	vector_table el1

	.section .note.GNU-stack, "", %progbits
