/* SPDX-License-Identifier: MIT */
/*
 * Inmate start-up and the EL1 exception vectors.
 *
 * The image is linked at guest address 0 and runs there: _start is its
 * first byte (lib/inmate.lds), where the cell's `entry` points. It begins
 * with an arm64 Linux Image header (Linux Documentation/arch/arm64/
 * booting.rst), so that a cell description's `os.kernel` may name it too
 * (a cell with the virtual UART, uart-demo): text_offset 0, image_size
 * the RAM it needs, flags 0xa (little-endian, 4 KiB pages, anywhere). The
 * first
 * CPU arrives at EL1h, MMU and caches off, DAIF masked, x0 = 0. Other CPUs
 * arrive at _secondary_start through PSCI CPU_ON (lib/cpu.c) with x0 = the
 * struct cpu_start_ctx they were given.
 */

#define FRAME_SIZE	(36 * 8)	/* struct exception_frame (lib/inc/inmate.h) */

/*
 * SCTLR_EL1 for MMU and caches off, little-endian, no alignment or stack
 * alignment checking: the RES1 bits of ARMv8.0 (11, 20, 22, 23, 28, 29).
 * The hypervisor resets SCTLR_EL1; writing it again makes the state ours.
 */
#define SCTLR_EL1_INMATE	0x30d00800

.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

/* CPU set-up common to every CPU: masked, known SCTLR, SP_EL1, vectors. */
.macro cpu_setup tmp
	msr	daifset, #0xf
	mov	\tmp, #(SCTLR_EL1_INMATE & 0xffff)
	movk	\tmp, #(SCTLR_EL1_INMATE >> 16), lsl #16
	msr	sctlr_el1, \tmp
	msr	spsel, #1
	adr_l	\tmp, inmate_vectors
	msr	vbar_el1, \tmp
	isb
.endm

	.section .text.head, "ax"
	.global _start
_start:
	b	1f			/* code0 */
	.long	0			/* code1 */
	.quad	0			/* text_offset */
	.quad	__inmate_size		/* image_size */
	.quad	0xa			/* flags */
	.quad	0, 0, 0			/* res2-res4 */
	.ascii	"ARM\x64"		/* magic */
	.long	0			/* res5 */
1:	cpu_setup x1
	adr_l	x1, __stack_top
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr

	/* bss: 16-byte aligned bounds (inmate.lds) */
	adr_l	x1, __bss_start
	adr_l	x2, __bss_end
1:	cmp	x1, x2
	b.hs	2f
	stp	xzr, xzr, [x1], #16
	b	1b
2:
	bl	inmate_lib_init
	bl	inmate_main
	b	inmate_exit		/* x0: inmate_main's result; does not return */

/* Everything here stays in .text.head: the vectors' 2 KiB alignment then costs no gap. */

/* x0: struct cpu_start_ctx *, whose first field is the stack top. */
	.global _secondary_start
_secondary_start:
	cpu_setup x1
	ldr	x1, [x0]
	mov	sp, x1
	mov	x29, xzr
	mov	x30, xzr
	b	inmate_secondary	/* does not return */

/*
 * EL1 vectors: 16 entries of 128 bytes, 2 KiB aligned. Every entry saves a
 * struct exception_frame and calls inmate_exception(frame, index), index =
 * 4 * group (current EL SP0, current EL SPx, lower EL64, lower EL32) +
 * type (sync, IRQ, FIQ, SError). If it returns, the frame is restored and
 * the interrupted code resumes.
 */
.macro ventry index
	.balign	0x80
	sub	sp, sp, #FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\index
	b	exception_common
.endm

	.balign	0x800
	.global inmate_vectors
inmate_vectors:
	ventry	0
	ventry	1
	ventry	2
	ventry	3
	ventry	4
	ventry	5
	ventry	6
	ventry	7
	ventry	8
	ventry	9
	ventry	10
	ventry	11
	ventry	12
	ventry	13
	ventry	14
	ventry	15

exception_common:
	stp	x2, x3, [sp, #16 * 1]
	stp	x4, x5, [sp, #16 * 2]
	stp	x6, x7, [sp, #16 * 3]
	stp	x8, x9, [sp, #16 * 4]
	stp	x10, x11, [sp, #16 * 5]
	stp	x12, x13, [sp, #16 * 6]
	stp	x14, x15, [sp, #16 * 7]
	stp	x16, x17, [sp, #16 * 8]
	stp	x18, x19, [sp, #16 * 9]
	stp	x20, x21, [sp, #16 * 10]
	stp	x22, x23, [sp, #16 * 11]
	stp	x24, x25, [sp, #16 * 12]
	stp	x26, x27, [sp, #16 * 13]
	stp	x28, x29, [sp, #16 * 14]
	mrs	x2, elr_el1
	stp	x30, x2, [sp, #16 * 15]
	mrs	x2, spsr_el1
	mrs	x3, esr_el1
	stp	x2, x3, [sp, #16 * 16]
	mrs	x2, far_el1
	stp	x2, xzr, [sp, #16 * 17]

	mov	x0, sp
	bl	inmate_exception

	ldp	x30, x2, [sp, #16 * 15]
	msr	elr_el1, x2
	ldr	x2, [sp, #16 * 16]
	msr	spsr_el1, x2
	ldp	x2, x3, [sp, #16 * 1]
	ldp	x4, x5, [sp, #16 * 2]
	ldp	x6, x7, [sp, #16 * 3]
	ldp	x8, x9, [sp, #16 * 4]
	ldp	x10, x11, [sp, #16 * 5]
	ldp	x12, x13, [sp, #16 * 6]
	ldp	x14, x15, [sp, #16 * 7]
	ldp	x16, x17, [sp, #16 * 8]
	ldp	x18, x19, [sp, #16 * 9]
	ldp	x20, x21, [sp, #16 * 10]
	ldp	x22, x23, [sp, #16 * 11]
	ldp	x24, x25, [sp, #16 * 12]
	ldp	x26, x27, [sp, #16 * 13]
	ldp	x28, x29, [sp, #16 * 14]
	ldp	x0, x1, [sp]
	add	sp, sp, #FRAME_SIZE
	eret

	.section .note.GNU-stack, "", %progbits
