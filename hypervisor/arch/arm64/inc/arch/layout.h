/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where things are, shared by the assembly and C (sizes pinned in
 * core/main.c by static asserts).
 *
 * The image is linked at HV_BASE, an EL2 virtual address above every
 * physical address the hypervisor maps 1:1 (its own memory, root's RAM and
 * devices), and runs there once the EL2 MMU is on. Before that it runs at
 * its physical address; that code is position independent. See
 * docs/hypervisor.md for why this split.
 */
#ifndef __ARCH_LAYOUT_H__
#define __ARCH_LAYOUT_H__

#define HV_BASE			0xffff00000000
#define HV_BASE_SIZE		0x40000000	/* 1 GiB: the image lives in it */

#define HV_STACK_SIZE		16384
#define HV_PERCPU_SHIFT		15
#define HV_PERCPU_SIZE		(1 << HV_PERCPU_SHIFT)	/* struct per_cpu, stack first */
#define HV_FRAME_SIZE		272		/* struct regs */
#define HV_FRAME_ELR		248
#define HV_FRAME_SPSR		256

/* struct hv_mmu, read by the assembly */
#define HV_MMU_TTBR		0
#define HV_MMU_TCR		8
#define HV_MMU_MAIR		16
#define HV_MMU_PHYS_OFFSET	24
#define HV_MMU_STUB		32

#endif /* __ARCH_LAYOUT_H__ */
