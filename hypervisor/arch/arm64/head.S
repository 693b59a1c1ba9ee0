/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Image header, EL2 vector tables and the paths between EL1 and EL2.
 *
 * Two vector tables:
 *
 * - hv_boot_vectors, installed by the loader through Linux's hyp stub
 *   (HVC_SET_VECTORS). The EL2 MMU is off and there is no stack; the code
 *   runs at its physical address and is position independent. It answers
 *   WARDEN_HC_GET_VERSION and WARDEN_HC_RESTORE_STUB (the module's probe)
 *   and WARDEN_HC_INIT, which brings the CPU under the hypervisor.
 * - hv_vectors, installed by hv_mmu_on once the MMU is on; every trap from
 *   the root cell saves a struct regs frame at the top of the CPU's stack and
 *   goes to hv_trap() (core/trap.c).
 *
 * A CPU started by PSCI CPU_ON while the hypervisor is enabled enters at
 * hv_cpu_on_entry (the header's `entry`), also with the MMU off.
 */
#include <warden/hypercall.h>
#include <arch/sysreg.h>
#include <arch/layout.h>
#include <generated/asm-offsets.h>

#define EINVAL	22
#define ENOSYS	38

/* PC-relative address: physical before the MMU is on, virtual after. */
.macro adr_l reg, sym
	adrp	\reg, \sym
	add	\reg, \reg, :lo12:\sym
.endm

	.section .header, "a"
	.global __warden_header
__warden_header:
	.ascii	WARDEN_IMAGE_MAGIC
	.long	WARDEN_IMAGE_ABI
	.long	__warden_header_end - __warden_header
1:	.asciz	WARDEN_VERSION_STRING
	.org	1b + WARDEN_IMAGE_VERSION_LEN, 0
	.quad	__image_size			/* image_size */
	.quad	__core_size			/* core_size */
	.quad	hv_cpu_on_entry - __warden_header /* entry */
	.quad	hv_boot_vectors - __warden_header /* vectors */
	.long	HV_MAX_CPUS			/* max_cpus */
	.long	0				/* online_cpus: loader */
	.quad	0				/* phys_base: loader */
	.fill	4, 8, 0				/* reserved */
__warden_header_end:

/* Save the interrupted context as a struct regs at sp (x0, x1 already saved). */
.macro save_rest
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
	mrs	x2, elr_el2
	mrs	x3, spsr_el2
	stp	x30, x2, [sp, #16 * 15]
	str	x3, [sp, #HV_FRAME_SPSR]
.endm

.macro save_frame
	sub	sp, sp, #HV_FRAME_SIZE
	stp	x0, x1, [sp]
	save_rest
.endm

/* Restore x3-x30, ELR and SPSR from the frame at sp (x0-x2 left alone). */
.macro restore_from_x3
	ldr	x3, [sp, #HV_FRAME_SPSR]
	ldp	x30, x4, [sp, #16 * 15]
	msr	elr_el2, x4
	msr	spsr_el2, x3
	ldr	x3, [sp, #8 * 3]
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
.endm

.macro unexpected_slot
	.balign	0x80
1:	wfe
	b	1b
.endm

	.text
/* ---------------------------------------------------------------------- */
/* Boot vectors: MMU off, physical addresses, no stack. */

	.balign	WARDEN_VECTORS_ALIGN
	.global hv_boot_vectors
hv_boot_vectors:
	.rept	8
	unexpected_slot
	.endr
	.balign	0x80
	b	hv_boot_sync		/* lower EL, AArch64, synchronous */
	.rept	7
	unexpected_slot
	.endr

/*
 * An hvc from the loader. x0 is the function, x1 and x2 its arguments: only
 * x3 may be used until the call is known (ELR_EL2 already points past it).
 */
hv_boot_sync:
	mrs	x3, esr_el2
	lsr	x3, x3, #ESR_EC_OFF
	cmp	x3, #ESR_EC_HVC64
	b.ne	.Lboot_nosys
	mrs	x3, esr_el2
	and	x3, x3, #0xffff
	sub	x3, x3, #(WARDEN_HVC_IMM & 0xf000)
	cmp	x3, #(WARDEN_HVC_IMM & 0xfff)
	b.ne	.Lboot_nosys
	cmp	x0, #WARDEN_HC_INIT
	b.eq	hv_boot_init
	cmp	x0, #WARDEN_HC_RESTORE_STUB
	b.eq	.Lboot_restore
	cmp	x0, #WARDEN_HC_GET_VERSION
	b.ne	.Lboot_nosys
	mov	x0, #WARDEN_IMAGE_ABI
	eret
.Lboot_nosys:
	mov	x0, #-ENOSYS
	eret
.Lboot_restore:
	msr	vbar_el2, x1
	isb
	mov	x0, #0
	eret

/* Point sp at the top of CPU \cpu's stack (physical); \cpu < HV_MAX_CPUS. */
.macro boot_stack cpu, tmp
	adr_l	\tmp, per_cpu
	add	\tmp, \tmp, \cpu, lsl #HV_PERCPU_SHIFT
	add	\tmp, \tmp, #HV_STACK_SIZE
	mov	sp, \tmp
.endm

/* WARDEN_HC_INIT: x1 = CPU, x2 = physical address of the error record. */
hv_boot_init:
	cmp	x1, #HV_MAX_CPUS
	b.hs	.Lboot_einval
	boot_stack x1, x3
	save_frame
	mov	x0, sp
	bl	hv_boot_cpu		/* MMU off; 0 or -errno */
	cbz	x0, hv_mmu_on
	str	x0, [sp]		/* hv_boot_cpu gave EL2 back to the stub */
	restore_from_x3
	ldp	x0, x1, [sp]
	ldr	x2, [sp, #16]
	add	sp, sp, #HV_FRAME_SIZE
	eret
.Lboot_einval:
	mov	x0, #-EINVAL
	eret

/*
 * A CPU started through PSCI CPU_ON on the hypervisor's behalf (see
 * psci_cpu_on() in core/psci.c): EL2, MMU off, x0 = the CPU's number.
 */
	.global hv_cpu_on_entry
hv_cpu_on_entry:
	cmp	x0, #HV_MAX_CPUS
	b.hs	hv_park
	boot_stack x0, x3
	save_frame
	str	x0, [sp, #8]		/* frame x1 = CPU, as for WARDEN_HC_INIT */
	str	xzr, [sp, #16]		/* frame x2: no error record */
	mov	x0, sp
	bl	hv_boot_cpu
	cbz	x0, hv_mmu_on
hv_park:
	wfe
	b	hv_park

/*
 * Turn the EL2 MMU on with the tables hv_global_init() built, move to the
 * link address, install the runtime vectors and finish in hv_cpu_start().
 * sp: the frame, at its physical address.
 */
hv_mmu_on:
	adr_l	x0, hv_mmu
	ldp	x1, x2, [x0, #HV_MMU_TTBR]
	ldp	x3, x4, [x0, #HV_MMU_MAIR]
	msr	mair_el2, x3
	msr	tcr_el2, x2
	msr	ttbr0_el2, x1
	isb
	tlbi	alle2
	dsb	ish
	isb
	mrs	x1, sctlr_el2
	orr	x1, x1, #SCTLR_M
	orr	x1, x1, #SCTLR_C
	orr	x1, x1, #SCTLR_SA
	orr	x1, x1, #SCTLR_I
	bic	x1, x1, #SCTLR_A
	bic	x1, x1, #SCTLR_WXN
	msr	sctlr_el2, x1
	isb
	/* Still at the physical address, mapped 1:1; now go to the link address. */
	sub	sp, sp, x4
	ldr	x0, =1f
	br	x0
1:	ldr	x0, =hv_vectors
	msr	vbar_el2, x0
	isb
	mov	x0, sp
	bl	hv_cpu_start
	b	hv_exit

/* ---------------------------------------------------------------------- */
/* Runtime vectors: MMU on, link addresses, sp_el2 = top of the CPU's stack. */

.macro trap_slot kind
	.balign	0x80
	sub	sp, sp, #HV_FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	hv_trap_entry
.endm

.macro fatal_slot kind
	.balign	0x80
	sub	sp, sp, #HV_FRAME_SIZE
	stp	x0, x1, [sp]
	mov	x1, #\kind
	b	hv_fatal_entry
.endm

	.balign	WARDEN_VECTORS_ALIGN
	.global hv_vectors
hv_vectors:
	/* Current EL with SP_EL0 and with SP_ELx: the hypervisor's own faults */
	fatal_slot 0
	fatal_slot 1
	fatal_slot 2
	fatal_slot 3
	fatal_slot 0
	fatal_slot 1
	fatal_slot 2
	fatal_slot 3
	/* Lower EL, AArch64: sync, irq, fiq, serror */
	trap_slot 0
	trap_slot 1
	trap_slot 2
	trap_slot 3
	/* Lower EL, AArch32: refused (cells and root are AArch64) */
	fatal_slot 0
	fatal_slot 1
	fatal_slot 2
	fatal_slot 3

hv_trap_entry:
	save_rest
	mov	x0, sp
	bl	hv_trap			/* 0: return to EL1; 1: leave the hypervisor */
	cbnz	x0, hv_disable_exit
	.global hv_exit
hv_exit:
	restore_from_x3
	ldp	x0, x1, [sp]
	ldr	x2, [sp, #16]
	add	sp, sp, #HV_FRAME_SIZE
	eret

hv_fatal_entry:
	save_rest
	mov	x0, sp
	bl	hv_fatal		/* does not return */
	b	hv_park

/*
 * Leave the hypervisor on this CPU (WARDEN_HC_DISABLE): hv_trap() already
 * turned stage 2 off. Restore root's registers, switch the MMU off from the
 * 1:1 mapping, hand VBAR_EL2 back to Linux's stub and return 0 in x0.
 */
hv_disable_exit:
	adr_l	x0, hv_mmu
	ldr	x1, [x0, #HV_MMU_PHYS_OFFSET]
	ldr	x2, [x0, #HV_MMU_STUB]
	restore_from_x3
	add	sp, sp, #HV_FRAME_SIZE
	adr	x0, 2f
	add	x0, x0, x1
	br	x0
2:	mrs	x0, sctlr_el2
	bic	x0, x0, #SCTLR_M
	bic	x0, x0, #SCTLR_C
	bic	x0, x0, #SCTLR_I
	msr	sctlr_el2, x0
	isb
	tlbi	alle2
	dsb	ish
	isb
	msr	vbar_el2, x2
	isb
	mov	x0, #0
	mov	x1, #0
	mov	x2, #0
	eret
	.ltorg

/* Zero the FP/SIMD registers (CPACR_EL1 and CPTR_EL2 must let EL2 use them). */
	.global hv_zero_fpsimd
hv_zero_fpsimd:
	.irp	n, 0,1,2,3,4,5,6,7,8,9,10,11,12,13,14,15,16,17,18,19,20,21,22,23,24,25,26,27,28,29,30,31
	movi	v\n\().16b, #0
	.endr
	msr	fpcr, xzr
	msr	fpsr, xzr
	ret
