// SPDX-License-Identifier: GPL-2.0-only
/*
 * Traps from the root cell: one decision point, indexed by the exception
 * class of ESR_EL2. Root's interrupts, timer and SErrors are not routed to
 * EL2 (HCR_EL2.IMO/FMO/AMO clear), so in steady state root traps only for
 * hypercalls, PSCI and accesses outside its stage 2.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include <arch/sysreg.h>

typedef enum trap_result trap_handler(struct trap *t);

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

static enum trap_result handle_hvc(struct trap *t)
{
	hcall_dispatch(t, t->esr & 0xffff);
	return TRAP_HANDLED;
}

static enum trap_result handle_smc(struct trap *t)
{
	t->regs->elr += 4;	/* a trapped SMC returns to itself */
	return psci_handle(t);
}

/*
 * Deliver a synchronous exception to root's EL1 as the hardware would: the
 * vector offset depends on where it came from, PSTATE gets EL1h with
 * everything masked.
 */
static void inject_sync(struct regs *regs, u64 esr, u64 far)
{
	u64 mode = regs->spsr & PSR_MODE_MASK;
	u64 offset = mode == PSR_MODE_EL0t ? 0x400 : mode == PSR_MODE_EL1t ? 0x000 : 0x200;

	write_sysreg(regs->elr, elr_el1);
	write_sysreg(regs->spsr, spsr_el1);
	write_sysreg(esr, esr_el1);
	write_sysreg(far, far_el1);
	regs->elr = read_sysreg(vbar_el1) + offset;
	regs->spsr = PSR_DAIF | PSR_MODE_EL1h;
}

/* Root's own lines in the log (its aborts) are limited too: 16, then 4 a second. */
static bool root_log_ok(void)
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

/*
 * A cell's data abort in its emulated device memory: decoded from the
 * syndrome and checked here, emulated by the range's handler. Return
 * TRAP_UNHANDLED when no range covers @ipa.
 */
#define ESR_ISV		(1U << 24)
static enum trap_result mmio_trap(struct trap *t, u64 ipa)
{
	const struct mmio_region *r = mmio_find(this_cpu()->cell, ipa);
	struct regs *regs = t->regs;
	u32 rt = (t->esr >> 16) & 0x1f;
	struct mmio_access a;
	enum trap_result res;

	if (!r)
		return TRAP_UNHANDLED;
	/* An access the hardware could not describe (no ISV), or unaligned: refused. */
	a.size = 1U << ((t->esr >> 22) & 3);
	if (!(t->esr & ESR_ISV) || ipa & (a.size - 1))
		return trap_forbid(t, r->fault, ipa);
	a.offset = ipa - r->base;
	a.write = t->esr & ESR_ISS_WNR;
	a.value = a.write && rt != 31 ? regs->x[rt] : 0;
	if (a.size < 8)
		a.value &= (1ULL << (a.size * 8)) - 1;
	res = r->handler(this_cpu()->cell, &a, r->opaque);
	if (res != TRAP_HANDLED)
		return trap_forbid(t, r->fault, ipa);
	dsb(sy);
	if (!a.write && rt != 31)
		regs->x[rt] = a.value;
	regs->elr += 4;
	return TRAP_HANDLED;
}

static enum trap_result handle_abort(struct trap *t)
{
	u64 far = read_sysreg(far_el2);
	u64 ipa = (read_sysreg(hpfar_el2) >> 4) << 12 | (far & (PAGE_SIZE - 1));
	bool data = (t->esr >> ESR_EC_OFF) == ESR_EC_DABT_LOW;
	enum trap_result res = TRAP_UNHANDLED;

	if (data && this_cpu()->cell)
		res = mmio_trap(t, ipa);
	if (res != TRAP_UNHANDLED)
		return res;
	return trap_forbid(t, data ? WARDEN_FAULT_DATA_ABORT : WARDEN_FAULT_INSN_ABORT, ipa);
}

static enum trap_result handle_sysreg(struct trap *t)
{
	return this_cpu()->cell ? cell_sysreg(t) : TRAP_UNHANDLED;
}

static trap_handler *const handlers[ESR_EC_MAX + 1] = {
	[ESR_EC_SYS64] = handle_sysreg,
	[ESR_EC_HVC64] = handle_hvc,
	[ESR_EC_SMC64] = handle_smc,
	[ESR_EC_DABT_LOW] = handle_abort,
	[ESR_EC_IABT_LOW] = handle_abort,
};

/*
 * Root touched memory its stage 2 does not map (the hypervisor's, a
 * cell's, or nothing at all): it gets a synchronous external abort, which
 * Linux reports (a user process gets SIGBUS), and the hypervisor goes on.
 */
static void root_abort(struct trap *t)
{
	struct regs *regs = t->regs;
	bool data = t->fault == WARDEN_FAULT_DATA_ABORT;
	bool from_el0 = (regs->spsr & PSR_MODE_MASK) == PSR_MODE_EL0t;
	u64 ec;

	if (root_log_ok())
		hv_log("root CPU %u: %s abort at %#llx (address %#llx, ESR %#llx) outside its memory: external abort injected\n",
		       this_cpu()->cpu, data ? "data" : "instruction", regs->elr, t->address, t->esr);
	if (data)
		ec = from_el0 ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	else
		ec = from_el0 ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;
	inject_sync(regs, ec << ESR_EC_OFF | ESR_IL | (data ? t->esr & ESR_ISS_WNR : 0) |
		    ESR_FSC_SEA, read_sysreg(far_el2));
}

/*
 * The one place that decides what a refused trap costs. A cell fails, with
 * the record the handler gave (an unhandled trap is WARDEN_FAULT_UNKNOWN).
 * Root gets what the hardware would have given it without the hypervisor:
 * an external abort for memory it may not reach, an undefined instruction
 * for anything else.
 */
static long trap_refuse(struct trap *t, enum trap_result res)
{
	if (res == TRAP_UNHANDLED)
		trap_forbid(t, WARDEN_FAULT_UNKNOWN, 0);
	if (this_cpu()->cell)
		cell_fail(t->regs, t->fault, t->esr, t->address);
	if (t->fault == WARDEN_FAULT_DATA_ABORT || t->fault == WARDEN_FAULT_INSN_ABORT) {
		root_abort(t);
		return 0;
	}
	if (root_log_ok())
		hv_log("root CPU %u: unexpected trap, ESR %#llx at %#llx: undefined instruction injected\n",
		       this_cpu()->cpu, t->esr, t->regs->elr);
	inject_sync(t->regs, ESR_IL, 0);
	return 0;
}

static unsigned int exit_reason(u64 ec)
{
	switch (ec) {
	case ESR_EC_HVC64:
		return WARDEN_EXIT_HVC;
	case ESR_EC_SMC64:
		return WARDEN_EXIT_SMC;
	case ESR_EC_DABT_LOW:
		return WARDEN_EXIT_DABT;
	case ESR_EC_IABT_LOW:
		return WARDEN_EXIT_IABT;
	case ESR_EC_SYS64:
		return WARDEN_EXIT_SYSREG;
	case ESR_EC_WFX:
		return WARDEN_EXIT_WFX;
	default:
		return WARDEN_EXIT_OTHER;
	}
}

/**
 * hv_trap() - a trap from EL1 (head.S)
 * @regs: the interrupted context
 * @kind: 0 synchronous, 1 IRQ, 2 FIQ, 3 SError (from the vector slot)
 *
 * Return: 0 to return to EL1, 1 when the CPU leaves the hypervisor.
 */
long hv_trap(struct regs *regs, unsigned long kind)
{
	struct per_cpu *p = this_cpu();
	struct trap t = { .regs = regs, .esr = read_sysreg(esr_el2) };
	u64 ec = (t.esr >> ESR_EC_OFF) & ESR_EC_MAX;
	enum trap_result res;

	if (p->cell)
		p->cell->exits++;
	if (kind) {
		p->exits[WARDEN_EXIT_IRQ]++;
		if (p->cell && kind == 1) {
			cell_irq();
			return 0;
		}
		if (p->cell && kind == 2) {
			cell_fiq();
			return 0;
		}
		if (p->cell && kind == 3)
			return trap_refuse(&t, TRAP_UNHANDLED);
		hv_log("CPU %u: unexpected %s from %s\n", p->cpu,
		       kind == 1 ? "IRQ" : kind == 2 ? "FIQ" : "SError", p->cell ? "a cell" : "root");
		return 0;
	}
	p->exits[exit_reason(ec)]++;
	res = handlers[ec] ? handlers[ec](&t) : TRAP_UNHANDLED;
	if (res != TRAP_HANDLED)
		return trap_refuse(&t, res);
	return t.leave;
}

/* The hypervisor faulted itself: log what and where, park the CPU. */
void hv_fatal(struct regs *regs, unsigned long kind)
{
	hv_log("FATAL: CPU %u: hypervisor exception (kind %lu) ESR %#llx ELR %#llx FAR %#llx: CPU parked\n",
	       this_cpu()->cpu, kind, read_sysreg(esr_el2), regs->elr, read_sysreg(far_el2));
	__atomic_or_fetch(&hv.fatal_cpus, BIT(this_cpu()->cpu), __ATOMIC_RELAXED);
	notify_root();
	for (;;)
		asm volatile("wfe");
}
