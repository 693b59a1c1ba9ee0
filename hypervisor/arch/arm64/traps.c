// SPDX-License-Identifier: GPL-2.0-only
/*
 * Traps from EL1, decoded by the exception class of ESR_EL2 and handed to
 * one handler each. Root's interrupts, timer and SErrors are not routed to
 * EL2 (HCR_EL2.IMO/FMO/AMO clear), so in steady state root traps only for
 * hypercalls, PSCI and accesses outside its stage 2. What a refusal costs
 * is decided in core/trap.c, trap_refuse().
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include <arch/sysreg.h>
#include "gic.h"
#include "psci.h"

#define HVC_STUB_ERR	0xbadca11	/* Linux's hyp-stub "call refused" */
#define ESR_ISV		(1U << 24)

typedef enum trap_result trap_handler(struct trap *t);

u64 arch_trap_pc(const struct trap *t)
{
	return t->regs->elr;
}

/* x0 the code, x1-x5 the arguments; x0 and x1 the results. */
static enum trap_result handle_hvc(struct trap *t)
{
	struct regs *regs = t->regs;
	struct hcall hc = { .out = regs->x[1] };
	u64 imm = t->syndrome & 0xffff;

	if (imm == 0 && !this_cpu()->cell) {
		/* Linux's hyp-stub calls (HVC_SET_VECTORS...): EL2 is not the stub's now. */
		regs->x[0] = HVC_STUB_ERR;
		return TRAP_HANDLED;
	}
	if (imm != WARDEN_HVC_IMM) {
		regs->x[0] = (u64)-ENOSYS;
		return TRAP_HANDLED;
	}
	memcpy(hc.arg, &regs->x[1], sizeof(hc.arg));
	regs->x[0] = (u64)hcall_dispatch(regs->x[0], &hc);
	regs->x[1] = hc.out;
	t->leave = hc.leave;
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

/*
 * Root touched memory its stage 2 does not map (the hypervisor's, a
 * cell's, or nothing at all): it gets a synchronous external abort, which
 * Linux reports (a user process gets SIGBUS), and the hypervisor goes on.
 */
void arch_root_abort(struct trap *t)
{
	bool data = t->fault == WARDEN_FAULT_DATA_ABORT;
	bool from_el0 = (t->regs->spsr & PSR_MODE_MASK) == PSR_MODE_EL0t;
	u64 ec;

	if (data)
		ec = from_el0 ? ESR_EC_DABT_LOW : ESR_EC_DABT_CUR;
	else
		ec = from_el0 ? ESR_EC_IABT_LOW : ESR_EC_IABT_CUR;
	inject_sync(t->regs, ec << ESR_EC_OFF | ESR_IL | (data ? t->syndrome & ESR_ISS_WNR : 0) |
		    ESR_FSC_SEA, read_sysreg(far_el2));
}

void arch_root_undef(struct trap *t)
{
	inject_sync(t->regs, ESR_IL, 0);
}

/* A data abort's access, from the syndrome: size 0 when it has no valid ISS. */
static void decode_access(const struct trap *t, struct mmio_access *a, u32 *rt)
{
	struct regs *regs = t->regs;

	*rt = (t->syndrome >> 16) & 0x1f;
	a->size = t->syndrome & ESR_ISV ? 1U << ((t->syndrome >> 22) & 3) : 0;
	a->write = t->syndrome & ESR_ISS_WNR;
	a->value = a->write && *rt != 31 ? regs->x[*rt] : 0;
	if (a->size && a->size < 8)
		a->value &= (1ULL << (a->size * 8)) - 1;
}

static enum trap_result handle_abort(struct trap *t)
{
	u64 far = read_sysreg(far_el2);
	u64 ipa = (read_sysreg(hpfar_el2) >> 4) << 12 | (far & (PAGE_SIZE - 1));
	bool data = (t->syndrome >> ESR_EC_OFF) == ESR_EC_DABT_LOW;
	enum trap_result res = TRAP_UNHANDLED;
	struct mmio_access a;
	u32 rt;

	if (data) {
		decode_access(t, &a, &rt);
		res = mmio_trap(t, ipa, &a);
	}
	if (res == TRAP_HANDLED) {
		dsb(sy);
		if (!a.write && rt != 31)
			t->regs->x[rt] = a.value;
		t->regs->elr += 4;
	}
	if (res != TRAP_UNHANDLED)
		return res;
	return trap_forbid(t, data ? WARDEN_FAULT_DATA_ABORT : WARDEN_FAULT_INSN_ABORT, ipa);
}

/*
 * A cell's trapped system register access: DC ISW/CSW/CISW (HCR_EL2.TSW)
 * would act by set/way on caches root and other cells share. Cells use
 * them at start, with their caches off, where they have nothing to do:
 * they are ignored. The GIC's own (an SGI) go to its code.
 */
static enum trap_result handle_sysreg(struct trap *t)
{
	u64 esr = t->syndrome;
	u32 op0 = (esr >> 20) & 3, op2 = (esr >> 17) & 7, op1 = (esr >> 14) & 7;
	u32 crn = (esr >> 10) & 0xf, crm = (esr >> 1) & 0xf;

	if (!this_cpu()->cell)
		return TRAP_UNHANDLED;
	if (op0 == 1 && op1 == 0 && crn == 7 && (crm == 6 || crm == 10 || crm == 14) && op2 == 2) {
		t->regs->elr += 4;
		return TRAP_HANDLED;
	}
	return gicv3_sysreg(t);
}

/*
 * A wait of a direct-strict cell (HCR_EL2.TWI and TWE): hv_trap() has
 * already stopped the CPU if its cell no longer runs, which is what this
 * trap is for. A WFI waits here, where any pending interrupt wakes the CPU
 * (the cell's own, which it then takes at EL1, and the kick), unless the
 * cell keeps the kick out: then, like a WFE (or WFIT, WFET), it ends at
 * once, as the architecture lets any wait end.
 */
#define ESR_WFX_TI		3	/* 0: WFI */
static enum trap_result handle_wfx(struct trap *t)
{
	t->regs->elr += 4;
	if (!(t->syndrome & ESR_WFX_TI) && hv.irqchip->may_wait && hv.irqchip->may_wait())
		asm volatile("dsb sy\n\twfi" : : : "memory");
	return TRAP_HANDLED;
}

static trap_handler *const handlers[ESR_EC_MAX + 1] = {
	[ESR_EC_WFX] = handle_wfx,
	[ESR_EC_SYS64] = handle_sysreg,
	[ESR_EC_HVC64] = handle_hvc,
	[ESR_EC_SMC64] = handle_smc,
	[ESR_EC_DABT_LOW] = handle_abort,
	[ESR_EC_IABT_LOW] = handle_abort,
};

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
	struct trap t = { .regs = regs, .syndrome = read_sysreg(esr_el2) };
	u64 ec = (t.syndrome >> ESR_EC_OFF) & ESR_EC_MAX;
	enum trap_result res;

	if (p->cell) {
		/* A quarantined CPU woke: nothing of its cell is left to serve it. */
		if (READ_ONCE(p->cell->state) == CELL_QUARANTINED)
			cell_stop_this_cpu();
		p->cell->exits++;
	}
	if (kind) {
		p->exits[WARDEN_EXIT_IRQ]++;
		if (p->cell && (kind == 1 || kind == 2)) {
			hv.irqchip->irq(kind == 2);
			return 0;
		}
		if (p->cell && kind == 3)
			return trap_refuse(&t, TRAP_UNHANDLED);
		hv_log("CPU %u: unexpected %s from %s\n", p->cpu,
		       kind == 1 ? "IRQ" : kind == 2 ? "FIQ" : "SError", p->cell ? "a cell" : "root");
		return 0;
	}
	p->exits[exit_reason(ec)]++;
	/*
	 * A cell that no longer runs gets nothing served: its CPU stops here.
	 * Its stage 2 may be going away under it (a blocked kick revokes it),
	 * and a hypercall would walk those tables.
	 */
	if (p->cell)
		cell_kicked();
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
	cpu_park();
}
