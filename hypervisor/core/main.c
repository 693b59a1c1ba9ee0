// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypervisor core entry points.
 */
#include <types.h>
#include <errno.h>
#include <version.h>

/* Pin the shared ABI in this build too. */
#include <warden/abi-check.c>

const char hv_version[] = WARDEN_VERSION;

/**
 * hv_cpu_init() - bring one CPU under the hypervisor
 * @cpu: logical CPU number given by the loader
 *
 * Taking EL2 on a CPU (page tables, stage-2 for the root cell) arrives with
 * the hypervisor core. Until then the image refuses, so that a loader that
 * calls it learns the hypervisor cannot be enabled yet.
 *
 * Return: 0 on success, negative errno.
 */
long hv_cpu_init(unsigned long cpu)
{
	(void)cpu;
	return -EOPNOTSUPP;
}
