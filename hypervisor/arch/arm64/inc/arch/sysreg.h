/* SPDX-License-Identifier: GPL-2.0-only */
/* AArch64 system register fields used at EL2 (Arm ARM D17/D19). */
#ifndef __ARCH_SYSREG_H__
#define __ARCH_SYSREG_H__

#define ESR_EC_OFF		26
#define ESR_EC_LEN		6
#define ESR_ISS_LEN		25
#define ESR_IL			(1 << 25)
#define ESR_EC_UNKNOWN		0x00
#define ESR_EC_WFX		0x01
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17
#define ESR_EC_SYS64		0x18
#define ESR_EC_IABT_LOW		0x20
#define ESR_EC_IABT_CUR		0x21
#define ESR_EC_DABT_LOW		0x24
#define ESR_EC_DABT_CUR		0x25
#define ESR_EC_MAX		0x3f

/* Data/instruction abort ISS */
#define ESR_ISS_WNR		(1 << 6)
#define ESR_FSC_MASK		0x3f
#define ESR_FSC_SEA		0x10	/* synchronous external abort */

/* SCTLR_EL2 */
#define SCTLR_M			(1 << 0)
#define SCTLR_A			(1 << 1)
#define SCTLR_C			(1 << 2)
#define SCTLR_SA		(1 << 3)
#define SCTLR_I			(1 << 12)
#define SCTLR_WXN		(1 << 19)
#define SCTLR_EL2_ON		(SCTLR_M | SCTLR_C | SCTLR_SA | SCTLR_I)
#define SCTLR_EL2_OFF_MASK	(SCTLR_M | SCTLR_C | SCTLR_I)

/* HCR_EL2 */
#define HCR_VM			(1UL << 0)
#define HCR_SWIO		(1UL << 1)
#define HCR_FMO			(1UL << 3)
#define HCR_IMO			(1UL << 4)
#define HCR_AMO			(1UL << 5)
#define HCR_FB			(1UL << 9)
#define HCR_BSU_IS		(1UL << 10)
#define HCR_TWI			(1UL << 13)
#define HCR_TWE			(1UL << 14)
#define HCR_TSC			(1UL << 19)
#define HCR_RW			(1UL << 31)

/* TCR_EL2 (without VHE) and VTCR_EL2 */
#define TCR_T0SZ(bits)		(64 - (bits))
#define TCR_IRGN0_WBWA		(1UL << 8)
#define TCR_ORGN0_WBWA		(1UL << 10)
#define TCR_SH0_INNER		(3UL << 12)
#define TCR_TG0_4K		(0UL << 14)
#define TCR_EL2_PS_SHIFT	16
#define TCR_EL2_RES1		((1UL << 31) | (1UL << 23))
#define VTCR_SL0_L0		(2UL << 6)	/* stage 2 walks start at level 0 */
#define VTCR_SL0_L1		(1UL << 6)	/* ... at level 1 (below 44 bits) */
#define VTCR_PS_SHIFT		16
#define VTCR_RES1		(1UL << 31)

/* SPSR */
#define PSR_MODE_EL0t		0x0
#define PSR_MODE_EL1t		0x4
#define PSR_MODE_EL1h		0x5
#define PSR_MODE_MASK		0xf
#define PSR_DAIF		(0xfUL << 6)

/*
 * Registers of later architecture versions (SVE, SME, FEAT_HCX), which the
 * assembler refuses by name or encoding at -march=armv8-a: MRS and MSR
 * encoded by hand, through x9. The hypervisor only touches them after
 * checking the ID register that says they exist.
 */
#define SYSREG_ENC(op0, op1, crn, crm, op2) \
	(((op0) - 2) << 19 | (op1) << 16 | (crn) << 12 | (crm) << 8 | (op2) << 5)
#define read_sysreg_enc(enc) ({						\
	register u64 __v asm("x9");					\
	asm volatile(".inst %c1 | 9" : "=r"(__v) : "i"(0xd5300000 | (enc)));	\
	__v;								\
})
#define write_sysreg_enc(v, enc) do {					\
	register u64 __v asm("x9") = (v);				\
	asm volatile(".inst %c1 | 9" : : "r"(__v), "i"(0xd5100000 | (enc)) : "memory"); \
} while (0)

/* VTTBR_EL2 */
#define VTTBR_VMID_SHIFT	48

#endif /* __ARCH_SYSREG_H__ */
