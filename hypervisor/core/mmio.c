// SPDX-License-Identifier: GPL-2.0-only
/*
 * Registries of emulated device memory: guest address ranges that a
 * handler emulates instead of a stage-2 mapping. Each cell has one (the
 * distributor and redistributors now, virtual devices next); root has one
 * for device memory it may read but not freely write (GICv2's
 * distributor). The trap code decodes a data abort, checks it and finds
 * the range here (trap.c).
 */
#include <hv.h>
#include <errno.h>

/* Register [base, base + size) in @t; ranges never overlap. */
int mmio_register(struct mmio_table *t, u64 base, u64 size, u32 fault, mmio_handler *handler,
		  void *opaque)
{
	u32 i;

	if (!size || base + size < base)
		return -EINVAL;
	if (t->num == MMIO_MAX)
		return -ENOSPC;
	for (i = 0; i < t->num; i++)
		if (base < t->r[i].base + t->r[i].size && t->r[i].base < base + size)
			return -EBUSY;
	t->r[t->num] = (struct mmio_region){
		.base = base, .size = size, .fault = fault, .handler = handler, .opaque = opaque,
	};
	/* Root's table is read on other CPUs without a lock: the entry first, then the count. */
	__atomic_store_n(&t->num, t->num + 1, __ATOMIC_RELEASE);
	return 0;
}

const struct mmio_region *mmio_find(const struct mmio_table *t, u64 address)
{
	u32 i, n = __atomic_load_n(&t->num, __ATOMIC_ACQUIRE);

	for (i = 0; i < n; i++)
		if (address >= t->r[i].base && address - t->r[i].base < t->r[i].size)
			return &t->r[i];
	return NULL;
}
