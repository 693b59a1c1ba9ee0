// SPDX-License-Identifier: MIT
/*
 * smc-probe: SMC calls the hypervisor does not forward. 0x82000000 is the
 * first SiP service call (SMC32 fast call, owner 2): not PSCI, so the
 * hypervisor must answer NOT_SUPPORTED (-1) without fault or forwarding.
 * It also reports what PSCI_VERSION and SMCCC_VERSION answer, then powers off.
 */
#include <inmate.h>

const char inmate_name[] = "smc-probe";

#define SIP_CALL	0x82000000ULL

static void probe(const char *what, u64 fn)
{
	u64 raw;

	printf("smc-probe: SMC 0x%08llx (%s)\n", fn, what);
	raw = smc_call(fn, 0, 0, 0);
	printf("smc-probe:   returned 0x%llx (%d)\n", raw, (int)(s32)raw);
}

int inmate_main(void)
{
	int ret;

	printf("smc-probe: cell %u on CPU %u\n", comm_cell_id(), cpu_id());
	probe("PSCI_VERSION", PSCI_VERSION);
	probe("SMCCC_VERSION", SMCCC_VERSION);
	printf("smc-probe: SMC 0x%08llx (SiP service call, not PSCI): expecting -1 NOT_SUPPORTED\n",
	       SIP_CALL);
	ret = (s32)smc_call(SIP_CALL, 0, 0, 0);
	printf("smc-probe:   returned %d (%s)\n", ret,
	       ret == PSCI_NOT_SUPPORTED ? "NOT_SUPPORTED, as expected" : "UNEXPECTED");
	return ret == PSCI_NOT_SUPPORTED ? 0 : 1;
}
