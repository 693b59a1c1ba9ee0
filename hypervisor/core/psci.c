// SPDX-License-Identifier: GPL-2.0-only
/*
 * PSCI and other SMCCC calls from the root cell (trapped by HCR_EL2.TSC).
 *
 * Root keeps CPU hotplug: CPU_OFF is forwarded to the firmware, CPU_ON is
 * forwarded with the hypervisor's own entry point (hv_cpu_on_entry), so the
 * CPU comes up under the hypervisor and only then enters root where it
 * asked, at EL1. Calls for power state and information are forwarded;
 * everything else is answered NOT_SUPPORTED.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>

#define PSCI_VERSION		0x84000000
#define PSCI_CPU_SUSPEND	0x84000001
#define PSCI_CPU_SUSPEND_64	0xc4000001
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON		0x84000003
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_AFFINITY_INFO	0x84000004
#define PSCI_AFFINITY_INFO_64	0xc4000004
#define PSCI_MIGRATE_INFO_TYPE	0x84000006
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define PSCI_FEATURES		0x8400000a
#define SMCCC_VERSION		0x80000000
#define SMCCC_ARCH_FEATURES	0x80000001

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)

#define PSCI_POWER_DOWN		(1UL << 16)	/* CPU_SUSPEND power_state */

extern const char hv_cpu_on_entry[];

static u64 smc(u64 fn, u64 a1, u64 a2, u64 a3, u64 *r1)
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
	if (r1)
		*r1 = x1;
	return x0;
}

int mpidr_to_cpu(u64 mpidr)
{
	u32 cpu;

	for (cpu = 0; cpu < hv.boot->num_cpus && cpu < HV_MAX_CPUS; cpu++)
		if ((hv.boot->mpidr[cpu] & 0xff00ffffffULL) == (mpidr & 0xff00ffffffULL))
			return (int)cpu;
	return -ENOENT;
}

static s64 psci_cpu_on(u64 mpidr, u64 entry, u64 context)
{
	int cpu = mpidr_to_cpu(mpidr);
	struct per_cpu *p;
	s64 ret;

	if (cpu < 0 || !(hv.root->cpu_set & BIT(cpu)))
		return PSCI_INVALID_PARAMS;
	p = &per_cpu[cpu];
	if (READ_ONCE(p->enabled))
		return PSCI_ALREADY_ON;
	p->on_entry = entry;
	p->on_context = context;
	p->on_pending = 1;
	/* The new CPU reads these with its MMU off. */
	dcache_clean_range(p, sizeof(*p));
	ret = (s64)smc(PSCI_CPU_ON_64, mpidr, hv_virt_to_phys(hv_cpu_on_entry), (u64)cpu, NULL);
	if (ret)
		p->on_pending = 0;
	return ret;
}

/* The CPU leaves root and powers down; it comes back through psci_cpu_on(). */
static s64 psci_cpu_off(void)
{
	struct per_cpu *p = this_cpu();

	hv_log("CPU %u off\n", p->cpu);
	p->enabled = 0;
	__atomic_and_fetch(&hv.cpus_enabled, ~BIT(p->cpu), __ATOMIC_RELAXED);
	dcache_clean_range(p, sizeof(*p));
	return (s64)smc(PSCI_CPU_OFF, 0, 0, 0, NULL);	/* returns only on failure */
}

void psci_handle(struct regs *regs)
{
	u32 fn = (u32)regs->x[0];
	u64 *x = regs->x;
	s64 ret;

	switch (fn) {
	case PSCI_CPU_ON:
	case PSCI_CPU_ON_64:
		ret = psci_cpu_on(x[1], x[2], x[3]);
		break;
	case PSCI_CPU_OFF:
		ret = psci_cpu_off();
		break;
	case PSCI_CPU_SUSPEND:
	case PSCI_CPU_SUSPEND_64:
		/* Standby keeps the CPU's state; a power-down would restart it outside the hypervisor. */
		ret = x[1] & PSCI_POWER_DOWN ? PSCI_DENIED : (s64)smc(fn, x[1], x[2], x[3], NULL);
		break;
	case PSCI_VERSION:
	case PSCI_AFFINITY_INFO:
	case PSCI_AFFINITY_INFO_64:
	case PSCI_MIGRATE_INFO_TYPE:
	case PSCI_FEATURES:
	case PSCI_SYSTEM_OFF:
	case PSCI_SYSTEM_RESET:
	case SMCCC_VERSION:
	case SMCCC_ARCH_FEATURES:
		ret = (s64)smc(fn, x[1], x[2], x[3], NULL);
		break;
	default:
		ret = PSCI_NOT_SUPPORTED;
	}
	x[0] = (u64)ret;
}
