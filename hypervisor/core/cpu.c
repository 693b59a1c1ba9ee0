// SPDX-License-Identifier: GPL-2.0-only
/*
 * Who owns each CPU, and the only ways it changes hands.
 *
 * Each CPU has one state (enum cpu_state) and one owner (root, or a cell),
 * both changed only under the CPU's own lock. docs/hypervisor.md draws the
 * machine; its invariants, which every function here keeps:
 *
 *  1. The owner changes only while the CPU is OFF: a cell is given CPUs
 *     that root powered off, and gets nothing back but OFF CPUs.
 *  2. A CPU is powered on only from OFF, by its owner, which records
 *     itself in @on_owner. The CPU comes up in the hypervisor and enters
 *     its owner only if that is still the owner that powered it on (and,
 *     for a cell, the cell still runs); else it powers itself off again. So
 *     no CPU ever enters root at an address a cell chose.
 *  3. A stop is never lost: a cell's state changes under hv.cells_lock
 *     before its CPUs are looked at under their locks. A CPU in CPU_CELL is
 *     kicked; one still ENTERING reads the new state when it arrives.
 *  4. Only a CPU's own code takes it out of ROOT or CELL (PARKING,
 *     LEAVING); whoever waits for it finds it OFF once the firmware says so.
 *  5. A cell that no CPU runs or enters any more has ended: the last CPU
 *     to leave stops it (cell.c), and its lock on reconfiguration with it.
 *
 * Lock order: hv.cells_lock, then a CPU's lock; never two CPU locks.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>

/* How long a CPU on its way off may take before a waiter gives up */
#define OFF_WAIT_MS		5000

/* A CPU on its way off is OFF once the firmware says so. Lock held. */
static u32 cpu_settle(struct per_cpu *p)
{
	if ((p->state == CPU_PARKING || p->state == CPU_LEAVING) && arch_cpu_is_off(p->cpu))
		p->state = CPU_OFF;
	return p->state;
}

/**
 * cpu_power_on() - power an OFF CPU on into its owner's context
 * @cpu:     the CPU
 * @owner:   the caller's cell (NULL: root); it must own @cpu
 * @entry:   where the owner starts it (EL1, MMU off)
 * @context: the owner's context ID, in x0 at @entry
 *
 * Return: 0, -EALREADY (it is on), -EINPROGRESS (on its way in), -EINVAL
 * (not the owner's), -EPERM (the owning cell is stopping) or the
 * firmware's refusal.
 */
int cpu_power_on(u32 cpu, struct cell *owner, u64 entry, u64 context)
{
	struct per_cpu *p = &per_cpu[cpu];
	int ret = 0;

	spin_lock(&p->lock);
	if (p->cell != owner)
		ret = -EINVAL;
	else if (owner && READ_ONCE(owner->state) != WARDEN_CELL_RUNNING)
		ret = -EPERM;
	else if (cpu_settle(p) == CPU_ENTERING)
		ret = -EINPROGRESS;
	else if (p->state != CPU_OFF)
		ret = -EALREADY;
	if (ret) {
		spin_unlock(&p->lock);
		return ret;
	}
	p->state = CPU_ENTERING;
	p->on_owner = owner ? owner->id : 0;
	p->on_entry = entry;
	p->on_context = context;
	/* The new CPU reads these with its MMU off. */
	dcache_clean_range(p, sizeof(*p));
	spin_unlock(&p->lock);

	ret = arch_cpu_power_on(cpu);
	if (ret) {
		spin_lock(&p->lock);
		if (p->state == CPU_ENTERING)
			p->state = CPU_OFF;
		spin_unlock(&p->lock);
	}
	return ret;
}

/**
 * cpu_arrive() - a CPU came up in the hypervisor: where does it go?
 * @p: this CPU
 *
 * Return: CPU_ROOT (enter root where root asked), CPU_CELL (enter the cell
 * where it asked), CPU_OFF for a CPU that joins at enable, on root's own
 * call, or CPU_LEAVING when the one that powered it on no longer owns it or
 * no longer runs: the caller powers the CPU off.
 */
u32 cpu_arrive(struct per_cpu *p)
{
	struct cell *c;
	u32 to;

	spin_lock(&p->lock);
	c = p->cell;
	if (p->state == CPU_OFF && !c) {
		to = CPU_OFF;			/* WARDEN_HC_INIT at enable */
		p->state = CPU_ROOT;
	} else if (p->state != CPU_ENTERING) {
		/* Nobody powered it on: invariant 2 broken. Never enter anything. */
		hv_log("CPU %u arrived in state %u, not powered on by its owner: off again\n", p->cpu,
		       p->state);
		to = CPU_LEAVING;
		p->state = CPU_LEAVING;
	} else if (!c && !p->on_owner) {
		to = p->state = CPU_ROOT;
	} else if (c && c->id == p->on_owner && READ_ONCE(c->state) == WARDEN_CELL_RUNNING) {
		to = p->state = CPU_CELL;
		__atomic_or_fetch(&c->cpus_running, BIT(p->cpu), __ATOMIC_RELAXED);
	} else {
		to = p->state = CPU_LEAVING;	/* stopped, or handed over, meanwhile */
	}
	spin_unlock(&p->lock);
	return to;
}

/* This CPU leaves root or its cell for the firmware's off (the caller powers it off). */
void cpu_depart(struct per_cpu *p)
{
	spin_lock(&p->lock);
	if (p->cell)
		__atomic_and_fetch(&p->cell->cpus_running, ~BIT(p->cpu), __ATOMIC_RELAXED);
	p->state = p->state == CPU_ROOT ? CPU_PARKING : CPU_LEAVING;
	spin_unlock(&p->lock);
}

/* Kick @cpu if it runs its cell (after the cell's state changed). */
void cpu_kick(u32 cpu)
{
	struct per_cpu *p = &per_cpu[cpu];

	spin_lock(&p->lock);
	if (p->state == CPU_CELL && p != this_cpu())
		hv.irqchip->kick(cpu);
	spin_unlock(&p->lock);
}

/*
 * Is @cpu OFF, after waiting up to OFF_WAIT_MS (by the generic timer, not a
 * loop count: an emulated or loaded machine runs the stopping CPU slowly)?
 */
bool cpu_wait_off(u32 cpu)
{
	struct per_cpu *p = &per_cpu[cpu];
	u64 start = timer_now();
	u64 limit = timer_freq() / 1000 * OFF_WAIT_MS;
	u32 st;

	do {
		spin_lock(&p->lock);
		st = cpu_settle(p);
		spin_unlock(&p->lock);
		if (st == CPU_OFF)
			return true;
		if (st == CPU_ROOT)
			return false;
	} while (timer_now() - start < limit);
	return false;
}

/*
 * Does no CPU of @c run it or come up for it any more? Each departing CPU
 * changes its own state before it looks at the others', so of two CPUs
 * leaving together at least one sees the other gone.
 */
bool cpu_cell_idle(struct cell *c)
{
	u32 cpu, st;

	for_each_cpu(cpu, c->cpu_set) {
		spin_lock(&per_cpu[cpu].lock);
		st = per_cpu[cpu].state;
		spin_unlock(&per_cpu[cpu].lock);
		if (st == CPU_CELL || st == CPU_ENTERING)
			return false;
	}
	return true;
}

/**
 * cpu_set_owner() - hand an OFF CPU from one owner to another
 * @cpu:  the CPU
 * @from: its owner now (NULL: root)
 * @to:   its next owner
 *
 * Return: 0, or -EBUSY when the CPU is not OFF or not @from's.
 */
int cpu_set_owner(u32 cpu, struct cell *from, struct cell *to)
{
	struct per_cpu *p = &per_cpu[cpu];
	int ret = -EBUSY;

	spin_lock(&p->lock);
	if (p->cell == from && cpu_settle(p) == CPU_OFF) {
		p->cell = to;
		dcache_clean_range(p, sizeof(*p));
		ret = 0;
	}
	spin_unlock(&p->lock);
	return ret;
}

/* Leave the hypervisor on this CPU (WARDEN_HC_DISABLE). */
void cpu_disabled(struct per_cpu *p)
{
	spin_lock(&p->lock);
	p->state = CPU_OFF;
	spin_unlock(&p->lock);
}

/* The calling CPU leaves whatever it ran and powers off. */
void cpu_off_this(void)
{
	struct per_cpu *p = this_cpu();

	p->enabled = 0;
	__atomic_and_fetch(&hv.cpus_enabled, ~BIT(p->cpu), __ATOMIC_RELAXED);
	dcache_clean_range(p, sizeof(*p));
	arch_cpu_power_off();
	/* The firmware refused: nothing sensible is left but to stay here. */
	hv_log("CPU %u: firmware refused to power it off; CPU parked\n", p->cpu);
	cpu_park();
}

/* The CPU of hardware identifier @hwid, or -ENOENT. */
int cpu_by_hwid(u64 hwid)
{
	u32 cpu;

	for (cpu = 0; cpu < hv.boot->num_cpus && cpu < HV_MAX_CPUS; cpu++)
		if ((hv.boot->mpidr[cpu] & CPU_HWID_MASK) == (hwid & CPU_HWID_MASK))
			return (int)cpu;
	return -ENOENT;
}

/* Is @cpu owned by the context (root or cell) the calling CPU runs? */
bool cpu_owned_by_caller(u32 cpu)
{
	struct cell *c = this_cpu()->cell;

	if (c)
		return c->cpu_set & BIT(cpu);
	return !READ_ONCE(per_cpu[cpu].cell) && hv.root->cpu_set & BIT(cpu);
}
