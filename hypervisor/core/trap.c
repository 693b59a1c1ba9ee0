// SPDX-License-Identifier: GPL-2.0-only
/*
 * What a trap costs, decided in one place, and the guest memory the
 * hypervisor reads and writes for its callers. The architecture decodes a
 * trap (arch/<arch>/traps.c) and hands each kind to a handler; every
 * handler returns handled, unhandled or forbidden, and trap_refuse() turns
 * a refusal into a failed cell or into what root would have got from the
 * hardware.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>

/* The caller's buffer [ipa, ipa + size) must be root RAM it may write. */
int copy_to_root(u64 ipa, const void *src, u64 size)
{
	const u8 *s = src;

	while (size) {
		u64 chunk = PAGE_SIZE - (ipa & (PAGE_SIZE - 1));
		unsigned int attrs;
		paddr_t pa;

		if (chunk > size)
			chunk = size;
		if (pt_lookup(&hv.root_pt, ipa, &pa, &attrs) || !(attrs & PT_WRITE) ||
		    attrs & PT_DEVICE)
			return -EFAULT;
		memcpy((void *)pa, s, chunk);
		ipa += chunk;
		s += chunk;
		size -= chunk;
	}
	return 0;
}

/* Copy from guest memory [ipa, ipa + size) that @pt maps readable, normal memory. */
int copy_from_guest(struct pt *pt, u64 ipa, void *dst, u64 size)
{
	u8 *d = dst;

	while (size) {
		u64 chunk = PAGE_SIZE - (ipa & (PAGE_SIZE - 1));
		unsigned int attrs;
		paddr_t pa;

		if (chunk > size)
			chunk = size;
		if (pt_lookup(pt, ipa, &pa, &attrs) || !(attrs & PT_READ) || attrs & PT_DEVICE)
			return -EFAULT;
		/* A cell may write with its caches off: drop stale lines first. */
		if (pt != &hv.root_pt)
			dcache_flush_range((const void *)pa, chunk);
		memcpy(d, (const void *)pa, chunk);
		ipa += chunk;
		d += chunk;
		size -= chunk;
	}
	return 0;
}

int copy_from_root(u64 ipa, void *dst, u64 size)
{
	return copy_from_guest(&hv.root_pt, ipa, dst, size);
}

/* Root's own lines in the log (its aborts) are limited too: 16, then 4 a second. */
bool root_log_ok(void)
{
	static struct ratelimit rl;
	static struct spinlock lock;
	u64 missed = 0;
	bool ok;

	spin_lock(&lock);
	ok = ratelimit_take(&rl, 1, 16, 4);
	if (ok) {
		missed = rl.suppressed;
		rl.suppressed = 0;
	}
	spin_unlock(&lock);
	if (missed)
		hv_log("root: %llu lines suppressed\n", missed);
	return ok;
}

/**
 * mmio_trap() - an access to emulated device memory, a cell's or root's
 * @t:       the trap
 * @address: the guest address it reached for
 * @a:       the access as the architecture decoded it; @a->size 0 when the
 *           hardware could not describe it
 *
 * Return: TRAP_UNHANDLED when no registered range covers @address; else
 * what the range's handler made of it. An access that is undescribed or
 * not naturally aligned is forbidden before any handler sees it.
 */
enum trap_result mmio_trap(struct trap *t, u64 address, struct mmio_access *a)
{
	struct cell *c = this_cpu()->cell;
	const struct mmio_region *r = mmio_find(c ? &c->mmio : &hv.root_mmio, address);

	if (!r)
		return TRAP_UNHANDLED;
	if (!a->size || address & (a->size - 1))
		return trap_forbid(t, r->fault, address);
	a->offset = address - r->base;
	if (r->handler(c, a, r->opaque) != TRAP_HANDLED)
		return trap_forbid(t, r->fault, address);
	return TRAP_HANDLED;
}

/*
 * The one place that decides what a refused trap costs. A cell fails, with
 * the record the handler gave (an unhandled trap is WARDEN_FAULT_UNKNOWN).
 * Root gets what the hardware would have given it without the hypervisor:
 * an external abort for memory it may not reach, an undefined instruction
 * for anything else.
 */
long trap_refuse(struct trap *t, enum trap_result res)
{
	if (res == TRAP_UNHANDLED)
		trap_forbid(t, WARDEN_FAULT_UNKNOWN, 0);
	if (this_cpu()->cell)
		cell_fail(t);
	if (t->fault == WARDEN_FAULT_DATA_ABORT || t->fault == WARDEN_FAULT_INSN_ABORT) {
		if (root_log_ok())
			hv_log("root CPU %u: %s abort at %#llx (address %#llx, syndrome %#llx) outside its memory: external abort injected\n",
			       this_cpu()->cpu, t->fault == WARDEN_FAULT_DATA_ABORT ? "data" : "instruction",
			       arch_trap_pc(t), t->address, t->syndrome);
		arch_root_abort(t);
		return 0;
	}
	if (root_log_ok())
		hv_log("root CPU %u: unexpected trap, syndrome %#llx at %#llx: undefined instruction injected\n",
		       this_cpu()->cpu, t->syndrome, arch_trap_pc(t));
	arch_root_undef(t);
	return 0;
}
