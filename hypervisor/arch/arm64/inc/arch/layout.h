/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Where things are, shared by the assembly and C (sizes pinned in
 * core/main.c by static asserts; struct offsets come from the generated
 * <generated/asm-offsets.h>, arch/arm64/asm-offsets.c).
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

#endif /* __ARCH_LAYOUT_H__ */
