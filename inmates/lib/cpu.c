// SPDX-License-Identifier: MIT
/*
 * Starting the cell's other CPUs. PSCI CPU_ON sends the CPU to
 * _secondary_start (lib/head.S) with x0 = its struct cpu_start_ctx; the
 * stack top comes first there (head.S reads it).
 */
#include "internal.h"

struct cpu_start_ctx {
	u64 stack_top;
	void (*fn)(void *arg);
	void *arg;
};

extern char _secondary_start[];

static struct cpu_start_ctx start_ctx[INMATE_MAX_CPUS];
static u8 cpu_stacks[INMATE_MAX_CPUS][INMATE_CPU_STACK_SIZE] __aligned(16);

int cpu_start(u64 mpidr, void (*fn)(void *arg), void *arg)
{
	unsigned int i = mpidr & 0xff;
	struct cpu_start_ctx *ctx;

	if (i >= INMATE_MAX_CPUS)
		return PSCI_INVALID_PARAMS;
	ctx = &start_ctx[i];
	ctx->stack_top = (uintptr_t)&cpu_stacks[i][INMATE_CPU_STACK_SIZE];
	ctx->fn = fn;
	ctx->arg = arg;
	dsb(sy);		/* the context is in memory before the CPU starts */
	return psci_cpu_on(mpidr & MPIDR_AFF_MASK, (uintptr_t)_secondary_start, (uintptr_t)ctx);
}

void __noreturn inmate_secondary(struct cpu_start_ctx *ctx)
{
	int ret;

	ctx->fn(ctx->arg);
	ret = psci_cpu_off();
	inmate_panic("CPU %u: CPU_OFF returned %d (%s)", cpu_id(), ret, psci_strerror(ret));
}
