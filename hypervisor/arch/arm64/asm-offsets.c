// SPDX-License-Identifier: GPL-2.0-only
/*
 * Struct offsets for head.S. Compiled to assembly only: each DEFINE leaves
 * a "->NAME value" marker that the Makefile turns into
 * <generated/asm-offsets.h>, so the assembly never spells an offset by hand.
 */
#include <hv.h>

#define DEFINE(sym, val) asm volatile("\n.ascii \"->" #sym " %0\"" : : "i"(val))
#define OFFSET(sym, str, mem) DEFINE(sym, __builtin_offsetof(struct str, mem))

void asm_offsets(void);
void asm_offsets(void)
{
	DEFINE(HV_FRAME_SIZE, sizeof(struct regs));
	OFFSET(HV_FRAME_ELR, regs, elr);
	OFFSET(HV_FRAME_SPSR, regs, spsr);
	OFFSET(HV_MMU_TTBR, hv_mmu, ttbr);
	OFFSET(HV_MMU_TCR, hv_mmu, tcr);
	OFFSET(HV_MMU_MAIR, hv_mmu, mair);
	OFFSET(HV_MMU_PHYS_OFFSET, hv_mmu, phys_offset);
	OFFSET(HV_MMU_STUB, hv_mmu, stub);
}
