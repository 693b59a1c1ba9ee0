/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Image header and EL2 vector table of warden-arm64.bin.
 *
 * The loader (kmod/loader.c) checks the header, copies the image to the
 * hypervisor's memory and installs `vectors` through the Linux hyp-stub
 * (HVC_SET_VECTORS). The stub leaves EL2 with its MMU off and no stack, so
 * everything reachable from here before the MMU is on is position
 * independent and uses x0-x3 only (x0 and x1 carry the call's arguments).
 */
#include <warden/hypercall.h>
#include <arch/sysreg.h>

#define ENOSYS	38

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
	.quad	hv_entry - __warden_header	/* entry */
	.quad	hv_vectors - __warden_header	/* vectors */
	.long	HV_MAX_CPUS			/* max_cpus */
	.long	0				/* online_cpus: loader */
	.quad	0				/* phys_base: loader */
	.fill	4, 8, 0				/* reserved */
__warden_header_end:

/*
 * One vector slot: 32 instructions. Slots not implemented yet spin in wfe;
 * nothing can reach them until the hypervisor takes the CPUs (issue 4 turns
 * them into the full dispatch).
 */
.macro unexpected_slot
	.balign	0x80
1:	wfe
	b	1b
.endm

	.text
	.balign	WARDEN_VECTORS_ALIGN
	.global hv_vectors
hv_vectors:
	/* Current EL with SP_EL0: sync, irq, fiq, serror */
	unexpected_slot
	unexpected_slot
	unexpected_slot
	unexpected_slot
	/* Current EL with SP_ELx */
	unexpected_slot
	unexpected_slot
	unexpected_slot
	unexpected_slot
	/* Lower EL, AArch64: sync is the hypercall path */
	.balign	0x80
	b	hv_lower_sync
	unexpected_slot
	unexpected_slot
	unexpected_slot
	/* Lower EL, AArch32: never used (the root cell is AArch64) */
	unexpected_slot
	unexpected_slot
	unexpected_slot
	unexpected_slot

/*
 * A trap from EL1. Only `hvc #WARDEN_HVC_IMM` is answered so far:
 * WARDEN_HC_GET_VERSION returns the ABI, WARDEN_HC_RESTORE_STUB puts Linux's
 * hyp-stub vectors (x1) back; every other call gets -ENOSYS. ELR_EL2 already
 * points past the hvc.
 */
hv_lower_sync:
	mrs	x2, esr_el2		/* x0 and x1 carry the call: decode in x2, x3 */
	lsr	x3, x2, #ESR_EC_OFF
	cmp	x3, #ESR_EC_HVC64
	b.ne	1f
	and	x2, x2, #0xffff
	mov	x3, #WARDEN_HVC_IMM
	cmp	x2, x3
	b.ne	1f
	cmp	x0, #WARDEN_HC_RESTORE_STUB
	b.eq	2f
	cmp	x0, #WARDEN_HC_GET_VERSION
	b.ne	1f
	mov	x0, #WARDEN_IMAGE_ABI
	eret
1:	mov	x0, #-ENOSYS
	eret
2:	msr	vbar_el2, x1
	isb
	mov	x0, #0
	eret

/*
 * Per-CPU init entry, called by the loader at EL2 with x0 = CPU number.
 * Returns through hv_cpu_init()'s result.
 */
	.global hv_entry
hv_entry:
	b	hv_cpu_init
