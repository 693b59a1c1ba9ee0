// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI and other SMCCC calls (trapped by HCR_EL2.TSC, and a cell's HVC #0:
 * traps.c), for root and cells, and the firmware calls the core's CPU
 * state machine makes.
 *
 * A CPU is either running (in root or in a cell) or powered off by the
 * firmware; nothing waits in the hypervisor. CPU_OFF powers the calling CPU
 * off. CPU_ON, for a CPU of the caller's own cell, goes through the core's
 * state machine (cpu_power_on()), which asks the firmware to start the CPU
 * at the hypervisor's entry: the CPU comes up under the hypervisor, which
 * then enters the owner's context where it asked, at EL1. So root keeps CPU
 * hotplug, a cell starts its secondary CPUs, and no CPU ever runs outside a
 * stage 2.
 *
 * Root's other calls for power state and information are forwarded; a
 * cell's are emulated (SYSTEM_OFF and SYSTEM_RESET end the cell, not the
 * machine). Anything else (SMCCC_VERSION and ARCH_FEATURES from a cell,
 * TRNG, SiP and vendor calls...) is answered NOT_SUPPORTED and costs the
 * caller nothing: an OS probes for them at boot.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include "psci.h"

#define PSCI_VERSION_1_0	0x10000
#define PSCI_TOS_NOT_PRESENT	2	/* MIGRATE_INFO_TYPE: no trusted OS to migrate */
#define PSCI_POWER_DOWN		(1UL << 16)	/* CPU_SUSPEND power_state */
#define PSCI_AFF_OFF		1

extern const char hv_cpu_on_entry[];

u64 smc_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("smc #0"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3)
		     :
		     : "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12", "x13", "x14",
		       "x15", "x16", "x17", "memory");
	return x0;
}

/* A PSCI status as a negative errno, and back. */
static int psci_to_errno(s64 ret)
{
	switch (ret) {
	case PSCI_SUCCESS:
		return 0;
	case PSCI_INVALID_PARAMS:
		return -EINVAL;
	case PSCI_DENIED:
		return -EPERM;
	case PSCI_ALREADY_ON:
		return -EALREADY;
	case PSCI_ON_PENDING:
		return -EINPROGRESS;
	default:
		return -EIO;
	}
}

static s64 errno_to_psci(int err)
{
	switch (err) {
	case 0:
		return PSCI_SUCCESS;
	case -EINVAL:
		return PSCI_INVALID_PARAMS;
	case -EPERM:
		return PSCI_DENIED;
	case -EALREADY:
		return PSCI_ALREADY_ON;
	case -EINPROGRESS:
		return PSCI_ON_PENDING;
	default:
		return PSCI_DENIED;
	}
}

int arch_cpu_power_on(u32 cpu)
{
	return psci_to_errno((s64)smc_call(PSCI_CPU_ON_64, hv.boot->mpidr[cpu],
					   hv_virt_to_phys(hv_cpu_on_entry), cpu));
}

bool arch_cpu_is_off(u32 cpu)
{
	return smc_call(PSCI_AFFINITY_INFO_64, hv.boot->mpidr[cpu], 0, 0) == PSCI_AFF_OFF;
}

void arch_cpu_power_off(void)
{
	smc_call(PSCI_CPU_OFF, 0, 0, 0);
}

/* The caller's own CPU of this MPIDR, or -1. */
static int own_cpu(u64 mpidr)
{
	int cpu = cpu_by_hwid(mpidr);

	return cpu >= 0 && cpu_owned_by_caller((u32)cpu) ? cpu : -1;
}

static s64 psci_cpu_on(struct regs *regs)
{
	int cpu = own_cpu(regs->x[1]);

	if (cpu < 0)
		return PSCI_INVALID_PARAMS;
	return errno_to_psci(cpu_power_on((u32)cpu, this_cpu()->cell, regs->x[2], regs->x[3]));
}

static s64 psci_affinity_info(struct regs *regs)
{
	int cpu = own_cpu(regs->x[1]);

	if (cpu < 0)
		return PSCI_INVALID_PARAMS;
	return (s64)smc_call(PSCI_AFFINITY_INFO_64, regs->x[1], regs->x[2], 0);
}

static s64 psci_root(struct regs *regs, u32 fn)
{
	u64 *x = regs->x;

	switch (fn) {
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_64:
		return psci_cpu_on(regs);
	case PSCI_CPU_OFF:
		hv_log("CPU %u off\n", this_cpu()->cpu);
		cpu_depart(this_cpu());
		cpu_off_this();
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_64:
		return psci_affinity_info(regs);
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND_64:
		/* Standby keeps the CPU's state; a power-down would restart it outside the hypervisor. */
		return x[1] & PSCI_POWER_DOWN ? PSCI_DENIED : (s64)smc_call(fn, x[1], x[2], x[3]);
	case PSCI_VERSION:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_FEATURES:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
		return (s64)smc_call(fn, x[1], x[2], x[3]);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

static s64 psci_features(u32 fn)
{
	switch (fn) {
	case PSCI_VERSION:
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_64:
	case PSCI_CPU_OFF:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case PSCI_FEATURES:
		return PSCI_SUCCESS;
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

/* A cell's PSCI call; those that end the cell or its CPU do not return. */
static s64 psci_cell(struct trap *t, u32 fn)
{
	struct regs *regs = t->regs;

	switch (fn) {
	case PSCI_VERSION:
		return PSCI_VERSION_1_0;
	case PSCI_FEATURES:
		return psci_features((u32)regs->x[1]);
	case PSCI_MIGRATE_INFO_TYPE:
		return PSCI_TOS_NOT_PRESENT;
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_64:
		return psci_cpu_on(regs);
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_64:
		return psci_affinity_info(regs);
	case PSCI_CPU_OFF:
		cell_stop_this_cpu();
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
		cell_system_off(fn == PSCI_SYSTEM_RESET);
	default:
		return PSCI_NOT_SUPPORTED;
	}
}

enum trap_result psci_handle(struct trap *t)
{
	struct regs *regs = t->regs;
	u32 fn = (u32)regs->x[0];

	if (!this_cpu()->cell) {
		regs->x[0] = (u64)psci_root(regs, fn);
		return TRAP_HANDLED;
	}
	/* Reaching for another's CPU is a fault, not a mistake to answer. */
	if ((fn == PSCI_CPU_ON || fn == PSCI_CPU_ON_64) && own_cpu(regs->x[1]) < 0)
		return trap_forbid(t, WARDEN_FAULT_PSCI, regs->x[1]);
	regs->x[0] = (u64)psci_cell(t, fn);
	return TRAP_HANDLED;
}
