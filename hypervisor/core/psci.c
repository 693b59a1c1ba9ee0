// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI and other SMCCC calls (trapped by HCR_EL2.TSC), for root and cells.
 *
 * A CPU is either running (in root or in a cell) or powered off by the
 * firmware; nothing waits in the hypervisor. CPU_OFF powers the calling CPU
 * off. CPU_ON, for a CPU of the caller's own cell, is forwarded with the
 * hypervisor's entry point (hv_cpu_on_entry): the CPU comes up under the
 * hypervisor, which then enters the owner's context where it asked, at
 * EL1. So root keeps CPU hotplug, a cell starts its secondary CPUs, and no
 * CPU ever runs outside a stage 2.
 *
 * Root's other calls for power state and information are forwarded; a
 * cell's are emulated (SYSTEM_OFF and SYSTEM_RESET end the cell, not the
 * machine). Anything else is answered NOT_SUPPORTED.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND	0x84000001
#define PSCI_CPU_SUSPEND_64	0xc4000001
#define PSCI_CPU_ON		0x84000003
#define PSCI_AFFINITY_INFO	0x84000004
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001

#define PSCI_VERSION_1_0	0x10000
#define PSCI_TOS_NOT_PRESENT	2	/* MIGRATE_INFO_TYPE: no trusted OS to migrate */
#define PSCI_POWER_DOWN		(1UL << 16)	/* CPU_SUSPEND power_state */
#define PSCI_AFF_ON		0
#define PSCI_AFF_OFF		1

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

int mpidr_to_cpu(u64 mpidr)
{
	u32 cpu;

	for (cpu = 0; cpu < hv.boot->num_cpus && cpu < HV_MAX_CPUS; cpu++)
		if ((hv.boot->mpidr[cpu] & MPIDR_AFF_MASK) == (mpidr & MPIDR_AFF_MASK))
			return (int)cpu;
	return -ENOENT;
}

/* The calling CPU leaves whatever it ran and powers off. */
void psci_off_this_cpu(void)
{
	struct per_cpu *p = this_cpu();

	p->enabled = 0;
	__atomic_and_fetch(&hv.cpus_enabled, ~BIT(p->cpu), __ATOMIC_RELAXED);
	dcache_clean_range(p, sizeof(*p));
	smc_call(PSCI_CPU_OFF, 0, 0, 0);
	/* The firmware refused: nothing sensible is left but to stay here. */
	hv_log("CPU %u: firmware refused CPU_OFF; CPU parked\n", p->cpu);
	for (;;)
		asm volatile("wfe");
}

/* Is @cpu owned by the context (root or cell) the calling CPU runs? */
static int own_cpu(u64 mpidr)
{
	int cpu = mpidr_to_cpu(mpidr);
	struct cell *c = this_cpu()->cell;

	if (cpu < 0)
		return -1;
	if (c ? !(c->cpu_set & BIT(cpu)) : per_cpu[cpu].cell || !(hv.root->cpu_set & BIT(cpu)))
		return -1;
	return cpu;
}

static s64 psci_cpu_on(struct regs *regs)
{
	int cpu = own_cpu(regs->x[1]);

	if (cpu < 0)
		return PSCI_INVALID_PARAMS;
	return cpu_power_on((u32)cpu, this_cpu()->cell, regs->x[2], regs->x[3]);
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
		psci_off_this_cpu();
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
		cell_psci(regs);
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
