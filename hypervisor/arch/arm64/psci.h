/* SPDX-License-Identifier: GPL-2.0-only */
/* PSCI and SMCCC (Arm DEN 0022, DEN 0028): what arch/arm64 uses of them. */
#ifndef __ARM64_PSCI_H__
#define __ARM64_PSCI_H__

#include <types.h>

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND	0x84000001
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON		0x84000003
#define PSCI_AFFINITY_INFO	0x84000004
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define PSCI_CPU_SUSPEND_64	0xc4000001
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_AFFINITY_INFO_64	0xc4000004
#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)

struct trap;

u64 smc_call(u64 fn, u64 a1, u64 a2, u64 a3);
enum trap_result psci_handle(struct trap *t);

#endif /* __ARM64_PSCI_H__ */
