/* SPDX-License-Identifier: GPL-2.0-only */
/* AArch64 system register fields used at EL2 (Arm ARM D17/D19). */
#ifndef __ARCH_SYSREG_H__
#define __ARCH_SYSREG_H__

#define ESR_EC_OFF		26
#define ESR_EC_LEN		6
#define ESR_ISS_LEN		25
#define ESR_EC_HVC64		0x16
#define ESR_EC_SMC64		0x17

#endif /* __ARCH_SYSREG_H__ */
