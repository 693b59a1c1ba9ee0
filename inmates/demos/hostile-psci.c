// SPDX-License-Identifier: MIT
/*
 * hostile-psci: PSCI CPU_ON of MPIDR 0x0, CPU 0, which stays with the root
 * cell. Expected: refused, either as a fault (WARDEN_FAULT_PSCI: the cell
 * fails) or with an error (DENIED, INVALID_PARAMETERS), which it prints
 * before powering off. Should CPU 0 ever run the cell's code, it says so.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-psci";

#define TARGET_MPIDR	0x0ULL

static void on_stolen_cpu(void *arg)
{
	(void)arg;
	printf("hostile-psci: running on CPU %u (MPIDR 0x%llx): isolation FAILED\n",
	       cpu_id(), cpu_mpidr());
}

int inmate_main(void)
{
	int ret;

	printf("hostile-psci: cell %u on CPU %u: PSCI CPU_ON of MPIDR 0x%llx (CPU 0, the root cell's)\n",
	       comm_cell_id(), cpu_id(), TARGET_MPIDR);
	ret = cpu_start(TARGET_MPIDR, on_stolen_cpu, NULL);
	printf("hostile-psci: CPU_ON returned %d (%s)\n", ret, psci_strerror(ret));
	if (ret == PSCI_SUCCESS)
		mdelay(100);	/* let the stolen CPU speak */
	printf("hostile-psci: SYSTEM_OFF\n");
	ret = psci_system_off();
	printf("hostile-psci: SYSTEM_OFF returned %d (%s)\n", ret, psci_strerror(ret));
	return 1;
}
