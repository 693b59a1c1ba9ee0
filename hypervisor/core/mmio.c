// SPDX-License-Identifier: GPL-2.0-only
/*
 * Each cell's registry of emulated device memory: the ranges of its guest
 * addresses that no stage-2 mapping backs and a handler emulates (the
 * distributor and redistributors now, virtual devices next). The trap code
 * decodes a data abort, checks it and finds the range here (trap.c).
 */
#include <hv.h>
#include <errno.h>

/* Register [base, base + size) of @c's guest addresses; ranges never overlap. */
int mmio_register(struct cell *c, u64 base, u64 size, u32 fault, mmio_handler *handler,
		  void *opaque)
{
	u32 i;

	if (!size || base + size < base)
		return -EINVAL;
	if (c->num_mmio == CELL_MMIO_MAX)
		return -ENOSPC;
	for (i = 0; i < c->num_mmio; i++)
		if (base < c->mmio[i].base + c->mmio[i].size && c->mmio[i].base < base + size)
			return -EBUSY;
	c->mmio[c->num_mmio++] = (struct mmio_region){
		.base = base, .size = size, .fault = fault, .handler = handler, .opaque = opaque,
	};
	return 0;
}

const struct mmio_region *mmio_find(const struct cell *c, u64 address)
{
	u32 i;

	for (i = 0; i < c->num_mmio; i++)
		if (address >= c->mmio[i].base && address - c->mmio[i].base < c->mmio[i].size)
			return &c->mmio[i];
	return NULL;
}
