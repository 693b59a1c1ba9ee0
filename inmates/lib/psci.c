// SPDX-License-Identifier: MIT
/* PSCI through SMC (SMCCC); the hypervisor emulates it for the cell's CPUs. */
#include <inmate.h>

/* PSCI returns a signed 32-bit value in W0. */
static int psci_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	return (int)(s32)smc_call(fn, a1, a2, a3);
}

int psci_version(void)
{
	return psci_call(PSCI_VERSION, 0, 0, 0);
}

int psci_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	return psci_call(PSCI_CPU_ON_64, mpidr, entry, context);
}

int psci_cpu_off(void)
{
	return psci_call(PSCI_CPU_OFF, 0, 0, 0);
}

int psci_system_off(void)
{
	return psci_call(PSCI_SYSTEM_OFF, 0, 0, 0);
}

int psci_system_reset(void)
{
	return psci_call(PSCI_SYSTEM_RESET, 0, 0, 0);
}

const char *psci_strerror(int ret)
{
	static const char *const names[] = {
		"SUCCESS", "NOT_SUPPORTED", "INVALID_PARAMETERS", "DENIED", "ALREADY_ON",
		"ON_PENDING", "INTERNAL_FAILURE", "NOT_PRESENT", "DISABLED", "INVALID_ADDRESS",
	};

	if (ret <= 0 && -ret < (int)ARRAY_SIZE(names))
		return names[-ret];
	return "unknown";
}
