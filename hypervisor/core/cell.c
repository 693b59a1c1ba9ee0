// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cells: partitions with their own CPUs, memory and stage 2, created from a
 * checked cell blob, loaded by root, started at their entry at EL1.
 *
 * Who runs each CPU is core/cpu.c's state machine. Stopping a cell (root's
 * shutdown or destroy, the cell's SYSTEM_OFF, a fault) changes its state
 * under hv.cells_lock, then kicks its CPUs that run it (the interrupt
 * controller's kick, which reaches the hypervisor on a cell's CPU); each powers itself off, and
 * a CPU still on its way in sees the state and powers off too. Root
 * learns of it through the event interrupt.
 *
 * Everything a cell may not do fails that cell alone: the fault (kind,
 * address, syndrome, PC, CPU) is kept for root, the cell's CPUs stop, root
 * and the other cells run on. Nothing a cell does can take a lock root
 * waits for for longer than a bounded copy, and what it can repeat (its
 * console, its log lines, its lock calls, its events) is limited per cell.
 *
 * Locking: hv.root_lock serialises root's calls (hypercall.c);
 * hv.cells_lock every change of a cell's state and hv.locked_by; a cell's
 * own lock its console and limits. Order: root_lock, cells_lock, a CPU's
 * lock; a cell's lock is taken alone.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include <warden/config-check.h>

#define CELL_CONSOLE_SIZE	8192

/* Per-cell limits: burst, then rate a second */
#define CONSOLE_BURST		32768	/* bytes */
#define CONSOLE_RATE		32768
#define LOG_BURST		16	/* lines in the hypervisor's log */
#define LOG_RATE		4
#define LOCK_BURST		8	/* WARDEN_HC_CELL_LOCK calls that lock */
#define LOCK_RATE		4

struct cell *cell_by_id(u32 id)
{
	u32 i;

	for (i = 0; id && i < HV_MAX_CELLS; i++)
		if (hv.cells[i].id == id)
			return &hv.cells[i];
	return NULL;
}

static u64 ranges_overlap(u64 a, u64 asz, u64 b, u64 bsz)
{
	return a < b + bsz && b < a + asz;
}

/* Tell root that something changed: one event until root reads the cell. */
void cell_event(struct cell *c)
{
	if (!__atomic_exchange_n(&c->event_pending, true, __ATOMIC_ACQ_REL))
		notify_root();
}

/* A line in the hypervisor's log on the cell's behalf, within its limit. */
void cell_log(struct cell *c, const char *fmt, ...)
{
	u64 missed = 0;
	bool ok;
	va_list ap;

	spin_lock(&c->lock);
	ok = ratelimit_take(&c->log_rl, 1, LOG_BURST, LOG_RATE);
	if (ok) {
		missed = c->log_rl.suppressed;
		c->log_rl.suppressed = 0;
	}
	spin_unlock(&c->lock);
	if (!ok)
		return;
	if (missed)
		hv_log("cell %u '%s': %llu lines suppressed\n", c->id, c->name, missed);
	va_start(ap, fmt);
	hv_vlog(fmt, ap);
	va_end(ap);
}

/* ---------------------------------------------------------------------- */
/* Errors of root's calls: a record in root's memory, as at init. */

struct call_error {
	struct warden_hv_error rec;
	u64 ipa;
};

static long fail(struct call_error *e, int err, const char *what, u32 offset, s32 index, u64 value)
{
	if (e && e->ipa) {
		memset(&e->rec, 0, sizeof(e->rec));
		e->rec.error = err;
		e->rec.offset = offset;
		e->rec.index = index;
		e->rec.cpu = this_cpu()->cpu;
		e->rec.value = value;
		strlcpy(e->rec.what, what, sizeof(e->rec.what));
		copy_to_root(e->ipa, &e->rec, sizeof(e->rec));
	}
	return err;
}

/* ---------------------------------------------------------------------- */
/* Memory */

/* Is [base, base + size) inside one of the platform's RAM ranges (@whole), or does it touch one? */
static bool platform_ram(u64 base, u64 size, bool whole)
{
	const struct warden_region *ram = (const void *)((const u8 *)hv.sys + sizeof(*hv.sys));
	u32 i;

	for (i = 0; i < hv.sys->num_ram; i++) {
		u64 start = ram[i].phys_start, end = start + ram[i].size;

		if (whole ? base >= start && base + size <= end : ranges_overlap(base, size, start, ram[i].size))
			return true;
	}
	return false;
}

static int check_region(struct cell *c, u32 i, struct call_error *e, u32 off)
{
	const struct warden_region *r = &c->regions[i];
	u32 j, k;

	if (ranges_overlap(r->phys_start, r->size, hv.phys_base, hv.mem_size))
		return fail(e, -EBUSY, "cell region overlaps the hypervisor's memory", off, i,
			    r->phys_start);
	if (ranges_overlap(r->virt_start, r->size, WARDEN_COMM_PAGE_IPA, PAGE_SIZE))
		return fail(e, -EINVAL, "cell region covers the communication page's address 0x80000000",
			    off, i, r->virt_start);
	if (hv.irqchip->covers(r->phys_start, r->size))
		return fail(e, -EINVAL, "cell region covers the GIC, which the hypervisor emulates", off,
			    i, r->phys_start);
	if (hv.sys->uart_base && ranges_overlap(r->phys_start, r->size, hv.sys->uart_base, PAGE_SIZE))
		return fail(e, -EBUSY, "cell region covers root's console UART", off, i,
			    r->phys_start);
	if (r->virt_start + r->size > 1ULL << hv.ipa_bits)
		return fail(e, -ERANGE, "cell region's guest addresses beyond the CPU's physical address range",
			    off, i, r->virt_start + r->size);
	if (r->phys_start + r->size > 1ULL << hv.ipa_bits || r->phys_start + r->size > HV_BASE)
		return fail(e, -ERANGE, "cell region beyond the CPU's physical address range", off, i,
			    r->phys_start + r->size);
	if (!(r->flags & WARDEN_MEM_IO) && !platform_ram(r->phys_start, r->size, true))
		return fail(e, -EINVAL, "cell memory region is not the platform's RAM", off, i,
			    r->phys_start);
	if (r->flags & WARDEN_MEM_IO && platform_ram(r->phys_start, r->size, false))
		return fail(e, -EINVAL, "cell device region covers the platform's RAM", off, i,
			    r->phys_start);
	for (j = 0; j < HV_MAX_CELLS; j++) {
		struct cell *o = &hv.cells[j];

		if (!o->id || o == c)
			continue;
		for (k = 0; k < o->cfg->num_regions; k++)
			if (ranges_overlap(r->phys_start, r->size, o->regions[k].phys_start,
					   o->regions[k].size))
				return fail(e, -EBUSY, "cell region overlaps another cell's memory", off,
					    i, r->phys_start);
	}
	return 0;
}

/*
 * Map in root's stage 2 the parts of root's regions in [base, base + size),
 * with at most the access @allow (PT_*). Returns the first error.
 */
int root_map_part(u64 base, u64 size, unsigned int allow)
{
	int ret = 0;
	u32 i;

	for (i = 0; i < hv.root->num_regions; i++) {
		const struct warden_region *r = &hv.root_regions[i];
		u64 s = base > r->phys_start ? base : r->phys_start;
		u64 end = base + size < r->phys_start + r->size ? base + size : r->phys_start + r->size;

		if (s >= end)
			continue;
		ret = ret ?: pt_map(&hv.root_pt, s, s, end - s,
				    region_attrs(r->flags) & (allow | PT_DEVICE));
		if (!(r->flags & WARDEN_MEM_IO) && allow == PT_ALL)
			ret = ret ?: pt_map(&hv.hv_pt, s, s, end - s, PT_READ | PT_WRITE);
	}
	return ret;
}

/* Give root back what a cell took from it. */
void root_remap(u64 base, u64 size)
{
	root_map_part(base, size, PT_ALL);
}

/* Zero the cell's RAM: the next user of the memory, root or a cell, sees nothing of it. */
static void cell_scrub(struct cell *c)
{
	u32 i;

	for (i = 0; i < c->cfg->num_regions; i++) {
		const struct warden_region *r = &c->regions[i];

		if (!(r->flags & WARDEN_MEM_IO)) {
			memset((void *)r->phys_start, 0, r->size);
			dcache_flush_range((void *)r->phys_start, r->size);
		}
	}
}

static void cell_unmap_all(struct cell *c)
{
	u32 i;

	for (i = 0; c->mapped && i < c->cfg->num_regions; i++) {
		const struct warden_region *r = &c->regions[i];

		if (!(r->flags & WARDEN_MEM_IO))
			pt_unmap(&hv.hv_pt, r->phys_start, r->size);
		root_remap(r->phys_start, r->size);
	}
	c->mapped = false;
}

/* Map the cell's regions (and take them from root), zero its RAM. */
static int cell_map(struct cell *c, struct call_error *e)
{
	int ret;
	u32 i;

	c->mapped = true;
	ret = pt_init(&c->pt, PT_STAGE2, &hv.pool, hv.ipa_bits);
	ret = ret ?: pt_map(&c->pt, WARDEN_COMM_PAGE_IPA, c->comm, PAGE_SIZE, PT_READ | PT_WRITE);
	if (ret)
		return fail(e, ret, "out of hypervisor memory for the cell's page tables", 0, -1,
			    hv.pool.used);
	for (i = 0; i < c->cfg->num_regions; i++) {
		const struct warden_region *r = &c->regions[i];

		ret = pt_map(&c->pt, r->virt_start, r->phys_start, r->size, region_attrs(r->flags));
		ret = ret ?: pt_unmap(&hv.root_pt, r->phys_start, r->size);
		if (!ret && !(r->flags & WARDEN_MEM_IO))
			ret = pt_map(&hv.hv_pt, r->phys_start, r->phys_start, r->size,
				     PT_READ | PT_WRITE);
		if (ret)
			return fail(e, ret, "out of hypervisor memory for the cell's page tables", 0, i,
				    hv.pool.used);
		c->mem_bytes += r->size;
	}
	cell_scrub(c);
	return 0;
}

/* Give back and free all of @c but its stage 2 and its slot. */
static void cell_release(struct cell *c)
{
	if (c->irqs_taken)
		hv.irqchip->cell_give_back(c);
	if (c->id)
		cell_scrub(c);	/* it ran: nothing of it is left to the next user */
	cell_unmap_all(c);
	if (c->comm)
		pool_free(&hv.pool, c->comm, 1);
	if (c->console)
		pool_free(&hv.pool, (paddr_t)c->console, CELL_CONSOLE_SIZE / PAGE_SIZE);
	if (c->blob)
		pool_free(&hv.pool, (paddr_t)c->blob, c->blob_pages);
	c->comm = 0;
	c->console = NULL;
	c->blob = NULL;
	c->cfg = NULL;
}

static void cell_free(struct cell *c)
{
	cell_release(c);
	if (c->pt.root)
		pt_destroy(&c->pt);
	memset(c, 0, sizeof(*c));
}

/* ---------------------------------------------------------------------- */
/* Create */

static int check_cpus(struct cell *c, struct call_error *e, u32 off)
{
	u64 set = c->cfg->cpu_set;
	u32 cpu;

	if (!set)
		return fail(e, -EINVAL, "cell has no CPU", off, -1, 0);
	for (cpu = 0; cpu < 64; cpu++) {
		struct per_cpu *p;

		if (!(set & BIT(cpu)))
			continue;
		if (cpu >= HV_MAX_CPUS || !(hv.sys->cpu_set & BIT(cpu)) ||
		    !(hv.root->cpu_set & BIT(cpu)))
			return fail(e, -EINVAL, "CPU is not the platform's", off, cpu, cpu);
		p = &per_cpu[cpu];
		if (hv.quarantined & BIT(cpu))
			return fail(e, -EBUSY, "CPU is quarantined (a destroyed cell kept it): only a reset gives it back",
				    off, cpu, cpu);
		if (READ_ONCE(p->cell))
			return fail(e, -EBUSY, "CPU belongs to another cell", off, cpu, p->cell->id);
		if (!cpu_wait_off(cpu))
			return fail(e, -EBUSY, "CPU is online in root: take it offline first", off, cpu,
				    cpu);
	}
	return 0;
}

/*
 * Interrupts: SPIs the GIC has, that neither the hypervisor (its event
 * SPI), root (its console UART's, and those its description keeps) nor
 * another cell owns.
 */
static bool irq_listed(const u32 *irqs, u32 n, u32 irq)
{
	u32 i;

	for (i = 0; i < n; i++)
		if (irqs[i] == irq)
			return true;
	return false;
}

static int check_irqs(struct cell *c, struct call_error *e, u32 off)
{
	const u32 *root_irqs = (const void *)((const u8 *)hv.blob + hv.layout.irqs);
	u32 i, j, irq;

	for (i = 0; i < c->cfg->num_irqs; i++) {
		irq = c->irqs[i];
		if (irq < WARDEN_IRQ_SPI_FIRST || irq >= hv.irqchip->num_irqs())
			return fail(e, -EINVAL, "interrupt is not one of the GIC's SPIs", off + 4 * i,
				    i, irq);
		if (irq == hv.sys->event_irq)
			return fail(e, -EBUSY, "interrupt is the hypervisor's event interrupt",
				    off + 4 * i, i, irq);
		if (irq == hv.sys->uart_irq)
			return fail(e, -EBUSY, "interrupt is root's console UART's", off + 4 * i, i,
				    irq);
		if (irq_listed(root_irqs, hv.root->num_irqs, irq))
			return fail(e, -EBUSY, "interrupt is one the root cell keeps", off + 4 * i, i,
				    irq);
		for (j = 0; j < HV_MAX_CELLS; j++) {
			const struct cell *o = &hv.cells[j];

			if (o->id && o != c && irq_listed(o->irqs, o->cfg->num_irqs, irq))
				return fail(e, -EBUSY, "interrupt belongs to another cell", off + 4 * i,
					    i, irq);
		}
	}
	return 0;
}

static int cell_parse(struct cell *c, u64 ipa, u64 size, struct call_error *e)
{
	struct warden_config_error cerr = { 0 };
	struct warden_config_layout l;
	u64 pages = 1;
	u32 i;
	int ret;

	if (size < sizeof(struct warden_config_header) || size > WARDEN_CONFIG_MAX_SIZE)
		return fail(e, -EINVAL, "cell blob size out of range", 0, -1, size);
	while (pages * PAGE_SIZE < size)
		pages <<= 1;
	c->blob = (const void *)pool_alloc_aligned(&hv.pool, pages);
	if (!c->blob)
		return fail(e, -ENOMEM, "out of hypervisor memory for the cell blob", 0, -1, size);
	c->blob_pages = pages;
	if (copy_from_root(ipa, (void *)c->blob, size))
		return fail(e, -EFAULT, "cell blob is not readable root memory", 0, -1, ipa);
	if (warden_config_check_cell(c->blob, (u32)size, &l, &cerr))
		return fail(e, -EINVAL, cerr.what, cerr.offset, cerr.index, cerr.value);
	c->cfg = (const void *)((const u8 *)c->blob + l.cell);
	c->regions = (const void *)((const u8 *)c->blob + l.regions);
	c->irqs = (const void *)((const u8 *)c->blob + l.irqs);
	memcpy(c->name, ((const struct warden_config_header *)c->blob)->name, WARDEN_NAME_LEN);
	c->name[WARDEN_NAME_LEN - 1] = 0;
	for (i = 0; i < HV_MAX_CELLS; i++)
		if (hv.cells[i].id && !memcmp(hv.cells[i].name, c->name, WARDEN_NAME_LEN))
			return fail(e, -EEXIST, "a cell of this name exists", 32, -1,
				    hv.cells[i].id);
	for (i = 0; i < c->cfg->num_regions; i++) {
		ret = check_region(c, i, e, l.regions + i * sizeof(struct warden_region));
		if (ret)
			return ret;
	}
	return check_irqs(c, e, l.irqs) ?: check_cpus(c, e, l.cell);
}

/* Everything is checked: take the cell's CPUs from root. */
static int cell_take_cpus(struct cell *c, struct call_error *e)
{
	u32 cpu, back;

	for_each_cpu(cpu, c->cfg->cpu_set) {
		if (cpu_set_owner(cpu, NULL, c)) {
			for_each_cpu(back, c->cfg->cpu_set) {
				if (back == cpu)
					break;
				cpu_set_owner(back, c, NULL);
			}
			return fail(e, -EBUSY, "CPU came back online in root meanwhile", 0, cpu, cpu);
		}
	}
	c->cpu_set = c->cfg->cpu_set;
	return 0;
}

long cell_create(struct hcall *hc)
{
	struct call_error e = { .ipa = hc->arg[2] };
	struct warden_comm_page *comm;
	struct cell *c = NULL;
	long ret;
	u32 i;

	if (READ_ONCE(hv.locked_by))
		return fail(&e, -EPERM, "reconfiguration is locked by a running cell", 0, -1,
			    hv.locked_by);
	for (i = 0; i < HV_MAX_CELLS && !c; i++)
		if (!hv.cells[i].id && !hv.cells[i].blob && hv.cells[i].state != CELL_QUARANTINED)
			c = &hv.cells[i];
	if (!c)
		return fail(&e, -ENOSPC, "too many cells", 0, -1, HV_MAX_CELLS);
	ret = cell_parse(c, hc->arg[0], hc->arg[1], &e);
	if (!ret) {
		c->comm = pool_alloc(&hv.pool);
		c->console = (char *)pool_alloc_aligned(&hv.pool, CELL_CONSOLE_SIZE / PAGE_SIZE);
		if (!c->comm || !c->console)
			ret = fail(&e, -ENOMEM, "out of hypervisor memory for the cell", 0, -1, 0);
	}
	ret = ret ?: cell_map(c, &e);
	if (!ret) {
		c->irqs_taken = true;
		ret = hv.irqchip->cell_init(c);
		if (ret == -ENOSPC)
			ret = fail(&e, ret, "no room for the cell's emulated devices", 0, -1, 0);
		else if (ret == -EOPNOTSUPP)
			ret = fail(&e, ret, "direct interrupt delivery needs GICv3: this GIC cannot keep the cell stoppable",
				   (u32)((const u8 *)&c->cfg->flags - (const u8 *)c->blob), -1,
				   c->cfg->flags);
		else if (ret)
			ret = fail(&e, ret, "out of hypervisor memory for the cell's GIC", 0, -1,
				   hv.pool.used);
	}
	if (!ret && cell_uart_init(c))
		ret = fail(&e, -EBUSY, "the virtual UART overlaps the GIC's frames",
			   (u32)((const u8 *)&c->cfg->uart_base - (const u8 *)c->blob), -1,
			   c->cfg->uart_base);
	if (!ret && cell_button_init(c))
		ret = fail(&e, -EBUSY, "the power button overlaps the GIC's frames or the virtual UART",
			   (u32)((const u8 *)&c->cfg->button_base - (const u8 *)c->blob), -1,
			   c->cfg->button_base);
	ret = ret ?: cell_take_cpus(c, &e);
	if (ret) {
		cell_free(c);
		return ret;
	}
	/* Nothing can fail from here on. Nothing of root's private interrupts reaches the cell. */
	hv.irqchip->cell_cpus_reset(c);
	hv.irqchip->cell_take(c);
	spin_lock(&hv.cells_lock);
	c->id = ++hv.next_id;
	c->state = WARDEN_CELL_CREATED;
	if (c->cfg->flags & WARDEN_CELL_PASSIVE)
		c->info_flags |= WARDEN_CELL_INFO_PASSIVE;
	if (c->cfg->flags & WARDEN_CELL_MAY_REFUSE)
		c->info_flags |= WARDEN_CELL_INFO_MAY_REFUSE;
	spin_unlock(&hv.cells_lock);
	comm = (void *)c->comm;
	comm->cell_id = c->id;
	comm->cpu_set = c->cpu_set;
	dcache_flush_range(comm, sizeof(*comm));
	arch_cell_tlb_flush(c);
	hv.num_cells++;
	hv_log("cell %u '%s' created: CPUs %#llx, %llu KiB\n", c->id, c->name, c->cpu_set,
	       c->mem_bytes >> 10);
	return c->id;
}

/* ---------------------------------------------------------------------- */
/* Load, start */

static bool cell_cpus_off(struct cell *c)
{
	u32 cpu;

	for_each_cpu(cpu, c->cpu_set)
		if (!cpu_wait_off(cpu))
			return false;
	return true;
}

long cell_load(struct hcall *hc)
{
	struct warden_cell_load ld;
	const struct warden_region *r;
	struct cell *c;

	if (copy_from_root(hc->arg[0], &ld, sizeof(ld)))
		return -EFAULT;
	c = cell_by_id(ld.cell);
	if (!c)
		return -ENOENT;
	if (READ_ONCE(c->state) == WARDEN_CELL_RUNNING || !cell_cpus_off(c))
		return -EBUSY;
	if (ld.region >= c->cfg->num_regions || ld.size > WARDEN_CELL_LOAD_MAX)
		return -EINVAL;
	r = &c->regions[ld.region];
	if (!(r->flags & WARDEN_MEM_LOADABLE) || r->flags & WARDEN_MEM_IO)
		return -EPERM;
	if (ld.offset > r->size || ld.size > r->size - ld.offset)
		return -ERANGE;
	if (copy_from_root(ld.data, (void *)(r->phys_start + ld.offset), ld.size))
		return -EFAULT;
	/* The cell starts with its MMU and caches off. */
	dcache_flush_range((void *)(r->phys_start + ld.offset), ld.size);
	return 0;
}

long cell_start(struct hcall *hc)
{
	struct cell *c = cell_by_id((u32)hc->arg[0]);
	struct warden_comm_page *comm;
	u32 cpu;
	int ret;

	if (!c)
		return -ENOENT;
	if (READ_ONCE(c->state) == WARDEN_CELL_RUNNING || !cell_cpus_off(c))
		return -EBUSY;
	cpu = (u32)__builtin_ctzll(c->cpu_set);
	comm = (void *)c->comm;
	comm->msg_to_cell = WARDEN_MSG_NONE;
	comm->reply_from_cell = WARDEN_REPLY_NONE;
	dcache_flush_range(comm, sizeof(*comm));
	cell_uart_reset(c);
	cell_button_reset(c);
	spin_lock(&hv.cells_lock);
	c->state = WARDEN_CELL_RUNNING;
	c->stop_reason = WARDEN_STOP_NONE;
	c->info_flags &= ~(WARDEN_CELL_INFO_REQUEST | WARDEN_CELL_INFO_REFUSED);
	memset(&c->fault, 0, sizeof(c->fault));
	c->starts++;
	spin_unlock(&hv.cells_lock);
	/* x0 of the first entry: the OS's device tree (arm64 boot protocol), or 0. */
	ret = cpu_power_on(cpu, c, c->cfg->entry, c->cfg->entry_arg);
	if (ret) {
		spin_lock(&hv.cells_lock);
		if (c->state == WARDEN_CELL_RUNNING)
			c->state = WARDEN_CELL_SHUT_DOWN;
		spin_unlock(&hv.cells_lock);
		hv_log("cell %u '%s': CPU %u did not start (error %d)\n", c->id, c->name, cpu, ret);
		return -EIO;
	}
	hv_log("cell %u '%s' started on CPU %u at %#llx\n", c->id, c->name, cpu, c->cfg->entry);
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Stopping */

/*
 * Mark @c stopped and kick its CPUs that run it; hv.cells_lock held. Its
 * lock on reconfiguration dies with it. A CPU still on its way in sees the
 * state when it arrives (core/cpu.c).
 */
static void cell_mark_stopped(struct cell *c, u32 state, u32 reason)
{
	u32 cpu;

	WRITE_ONCE(c->state, state);
	c->stop_reason = reason;
	c->info_flags &= ~WARDEN_CELL_INFO_REQUEST;
	if (hv.locked_by == c->id)
		WRITE_ONCE(hv.locked_by, 0);
	for_each_cpu(cpu, c->cpu_set)
		cpu_kick(cpu);
}

/* Mark @c stopped if it runs; reports whether this call did it. */
static bool cell_stop_if_running(struct cell *c, u32 state, u32 reason)
{
	bool stopped = false;

	spin_lock(&hv.cells_lock);
	if (c->state == WARDEN_CELL_RUNNING) {
		cell_mark_stopped(c, state, reason);
		stopped = true;
	}
	spin_unlock(&hv.cells_lock);
	if (stopped)
		cell_event(c);
	return stopped;
}

void cell_stop_this_cpu(void)
{
	struct per_cpu *p = this_cpu();
	struct cell *c = p->cell;

	cpu_depart(p);
	/* The last CPU off ends the cell: nothing could ever power one on again. */
	if (cpu_cell_idle(c) &&
	    cell_stop_if_running(c, WARDEN_CELL_SHUT_DOWN, WARDEN_STOP_CPUS_OFF))
		hv_log("cell %u '%s': every CPU powered off\n", c->id, c->name);
	hv.irqchip->vcpu_off(p);
	arch_vcpu_reset();
	cpu_off_this();
}

/* The kick, or any trap, on a cell's CPU: stop it if its cell no longer runs. */
void cell_kicked(void)
{
	if (READ_ONCE(this_cpu()->cell->state) != WARDEN_CELL_RUNNING)
		cell_stop_this_cpu();
}

/* The cell did what it may not (@t's record): it stops, root is told. */
void cell_fail(struct trap *t)
{
	struct per_cpu *p = this_cpu();
	struct cell *c = p->cell;
	bool first = false;

	spin_lock(&hv.cells_lock);
	if (c->state == WARDEN_CELL_RUNNING) {
		c->fault.kind = t->fault;
		c->fault.cpu = p->cpu;
		c->fault.esr = t->syndrome;
		c->fault.address = t->address;
		c->fault.pc = arch_trap_pc(t);
		cell_mark_stopped(c, WARDEN_CELL_FAILED, WARDEN_STOP_FAULT);
		first = true;
	}
	spin_unlock(&hv.cells_lock);
	if (first) {
		/* Once per run of the cell: never limited, so no flood hides it. */
		hv_log("cell %u '%s' FAILED: fault kind %u at %#llx, ESR %#llx, PC %#llx, CPU %u\n",
		       c->id, c->name, c->fault.kind, c->fault.address, c->fault.esr, c->fault.pc,
		       p->cpu);
		cell_event(c);
	}
	cell_stop_this_cpu();
}

/* The cell powers itself off (SYSTEM_OFF) or asks to be reset (SYSTEM_RESET). */
void cell_system_off(bool reset)
{
	struct cell *c = this_cpu()->cell;

	if (cell_stop_if_running(c, WARDEN_CELL_SHUT_DOWN,
				 reset ? WARDEN_STOP_SYSTEM_RESET : WARDEN_STOP_SYSTEM_OFF))
		hv_log("cell %u '%s': %s\n", c->id, c->name, reset ? "SYSTEM_RESET" : "SYSTEM_OFF");
	cell_stop_this_cpu();
}

/*
 * May root stop @c without its consent? Passive cells, cells that approved,
 * and cells whose description does not let them refuse, yes. A cell allowed
 * to refuse keeps running while it refuses or holds the lock.
 */
static bool cell_refuses(struct cell *c)
{
	if (c->state != WARDEN_CELL_RUNNING || c->info_flags & WARDEN_CELL_INFO_PASSIVE ||
	    !(c->info_flags & WARDEN_CELL_INFO_MAY_REFUSE))
		return false;
	return c->info_flags & WARDEN_CELL_INFO_REFUSED || hv.locked_by == c->id;
}

/*
 * How a running cooperative cell is asked to shut down, the one place that
 * decides it: the message in its communication page, for an inmate that
 * answers with WARDEN_HC_CELL_REPLY, and a press of its power button if it
 * has one, for an OS that answers by powering off (PSCI SYSTEM_OFF). Both,
 * so that a cell may run either kind of guest. hv.cells_lock held.
 */
static void cell_ask_shutdown(struct cell *c)
{
	struct warden_comm_page *comm = (void *)c->comm;

	c->info_flags |= WARDEN_CELL_INFO_REQUEST;
	c->info_flags &= ~WARDEN_CELL_INFO_REFUSED;
	WRITE_ONCE(comm->reply_from_cell, WARDEN_REPLY_NONE);
	WRITE_ONCE(comm->msg_to_cell, WARDEN_MSG_SHUTDOWN_REQUEST);
	dcache_flush_range(comm, sizeof(*comm));
}

long cell_shutdown(struct hcall *hc)
{
	struct cell *c = cell_by_id((u32)hc->arg[0]);
	long ret = 1;

	if (!c)
		return -ENOENT;
	if (READ_ONCE(hv.locked_by) == c->id)
		return -EPERM;
	if (c->info_flags & WARDEN_CELL_INFO_PASSIVE) {
		cell_stop_if_running(c, WARDEN_CELL_SHUT_DOWN, WARDEN_STOP_ROOT);
		return cell_cpus_off(c) ? 0 : -EBUSY;
	}
	spin_lock(&hv.cells_lock);
	if (c->state == WARDEN_CELL_RUNNING)
		cell_ask_shutdown(c);
	else
		ret = 0;
	spin_unlock(&hv.cells_lock);
	/*
	 * Outside hv.cells_lock (the button takes the cell's lock). A cell that
	 * stopped in between has its button reset by its next start.
	 */
	if (ret)
		cell_button_press(c);
	return ret;
}

static void cell_pt_flush(struct pt *pt, u64 ia, u64 size)
{
	(void)ia, (void)size;
	arch_cell_tlb_flush((struct cell *)((u8 *)pt - __builtin_offsetof(struct cell, pt)));
}

/*
 * A CPU of @c does not stop for the kick (a direct cell can raise its
 * running priority above it): the cell's whole stage 2 goes, each table
 * freed only after the TLBs forgot it. Its next instruction fetch or
 * access traps and the hypervisor stops it; one that never runs again (in
 * WFI) can no longer reach anything.
 */
static void cell_revoke(struct cell *c)
{
	c->pt.flush = cell_pt_flush;
	pt_unmap(&c->pt, 0, 1ULL << c->pt.ia_bits);
	arch_cell_tlb_flush(c);
	c->pt.flush = NULL;
}

/* Wait for @c's CPUs to stop, revoking its stage 2 if one does not; the CPUs still running. */
static u64 cell_wait_stopped(struct cell *c)
{
	bool revoked = false;
	u64 stuck = 0;
	u32 cpu;

	for_each_cpu(cpu, c->cpu_set) {
		if (cpu_wait_off(cpu))
			continue;
		if (!revoked) {
			hv_log("cell %u '%s': CPU %u does not stop for the kick: stage 2 revoked\n",
			       c->id, c->name, cpu);
			cell_revoke(c);
			revoked = true;
		}
		if (!cpu_wait_off(cpu))
			stuck |= BIT(cpu);
	}
	return stuck;
}

/*
 * @stuck CPUs of @c neither took the kick nor touched the revoked stage 2:
 * a direct cell raised its running priority above the kick and waits in
 * WFI. Nothing can reach them, and they reach nothing: the cell's memory,
 * interrupts and the rest of its CPUs go back to root as for any destroy,
 * but the slot stays taken with its empty stage 2 (the stuck CPUs' VTTBR
 * still names its root table and its VMID), and the CPUs stay out of
 * root's hands (hv.quarantined) until the machine resets. Should one ever
 * trap, it powers itself off (hv_trap()) and stays quarantined.
 */
static void cell_quarantine(struct cell *c, u64 stuck)
{
	hv_log("cell %u '%s': CPUs %#llx do not stop: quarantined until reset; its memory goes back to root\n",
	       c->id, c->name, stuck);
	__atomic_or_fetch(&hv.quarantined, stuck, __ATOMIC_RELAXED);
	/*
	 * The state first: a stuck CPU that traps after all stops in hv_trap()
	 * before it could reach the console or anything else released below.
	 */
	spin_lock(&hv.cells_lock);
	WRITE_ONCE(c->state, CELL_QUARANTINED);
	spin_unlock(&hv.cells_lock);
	cell_release(c);	/* the id still says it ran: its memory is wiped */
	spin_lock(&hv.cells_lock);
	c->cpu_set = stuck;
	c->id = 0;
	spin_unlock(&hv.cells_lock);
}

long cell_destroy(struct hcall *hc)
{
	struct cell *c = cell_by_id((u32)hc->arg[0]);
	u32 cpu, reason;
	bool refused;
	u64 stuck, kicked = 0;

	if (!c)
		return -ENOENT;
	spin_lock(&hv.cells_lock);
	refused = cell_refuses(c);
	if (!refused && hv.locked_by && hv.locked_by != c->id)
		refused = true;		/* another cell locked reconfiguration */
	if (!refused && c->state == WARDEN_CELL_RUNNING) {
		reason = c->info_flags & WARDEN_CELL_INFO_PASSIVE ? WARDEN_STOP_ROOT :
			 WARDEN_STOP_FORCED;
		kicked = timer_now();
		cell_mark_stopped(c, WARDEN_CELL_SHUT_DOWN, reason);
		hv_log("cell %u '%s' stopped by root%s\n", c->id, c->name,
		       reason == WARDEN_STOP_FORCED ? " without its approval (it may not refuse)" : "");
	}
	spin_unlock(&hv.cells_lock);
	if (refused)
		return -EPERM;
	stuck = cell_wait_stopped(c);
	/* What a stop costs (make bench): from the kick to the last CPU off. */
	if (kicked && !stuck)
		hv_log("cell %u '%s': CPUs off %llu us after the kick\n", c->id, c->name,
		       (timer_now() - kicked) * 1000000 / timer_freq());
	hv.irqchip->cell_cpus_reset(c);
	for_each_cpu(cpu, c->cpu_set & ~stuck)
		cpu_set_owner(cpu, c, NULL);
	hv_log("cell %u '%s' destroyed\n", c->id, c->name);
	if (stuck)
		cell_quarantine(c, stuck);
	else
		cell_free(c);
	hv.num_cells--;
	return 0;
}

/* ---------------------------------------------------------------------- */
/* Information */

long cell_get(struct hcall *hc)
{
	struct cell *c = cell_by_id((u32)hc->arg[0]);
	struct warden_cell_info info;
	u64 size = hc->arg[2];

	if (!c)
		return -ENOENT;
	/* Root reads the cell now: the next change raises an event again. */
	__atomic_store_n(&c->event_pending, false, __ATOMIC_RELEASE);
	memset(&info, 0, sizeof(info));
	spin_lock(&hv.cells_lock);
	info.id = c->id;
	info.state = c->state;
	info.flags = c->info_flags | (hv.locked_by == c->id ? WARDEN_CELL_INFO_LOCKED : 0);
	info.stop_reason = c->stop_reason;
	info.cpu_set = c->cpu_set;
	info.cpus_running = READ_ONCE(c->cpus_running);
	info.mem_bytes = c->mem_bytes;
	info.console_head = READ_ONCE(c->console_head);
	dcache_flush_range((void *)c->comm, sizeof(struct warden_comm_page));
	info.heartbeat = READ_ONCE(((struct warden_comm_page *)c->comm)->heartbeat);
	info.starts = c->starts;
	info.exits = c->exits;
	info.fault = c->fault;
	memcpy(info.name, c->name, sizeof(info.name));
	spin_unlock(&hv.cells_lock);
	if (size > sizeof(info))
		size = sizeof(info);
	return copy_to_root(hc->arg[1], &info, size) ?: (long)size;
}

long cell_next(struct hcall *hc)
{
	u32 after = (u32)hc->arg[0], best = 0, i;

	for (i = 0; i < HV_MAX_CELLS; i++)
		if (hv.cells[i].id > after && (!best || hv.cells[i].id < best))
			best = hv.cells[i].id;
	return best;
}

long cell_console_read(struct hcall *hc)
{
	struct cell *c = cell_by_id((u32)hc->arg[0]);
	long ret;

	if (!c)
		return -ENOENT;
	spin_lock(&c->lock);
	c->console_event = false;
	ret = ring_read(c->console, CELL_CONSOLE_SIZE, c->console_head, hc, hc->arg[1], hc->arg[2],
			hc->arg[3]);
	spin_unlock(&c->lock);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* The cell's own calls */

static void console_put(struct cell *c, const char *s, u64 n)
{
	for (; n; n--)
		c->console[c->console_head++ % CELL_CONSOLE_SIZE] = *s++;
}

/*
 * @n bytes for @c's console, with c->lock held: the hypercall's and the
 * virtual UART's. -EAGAIN beyond the cell's limit. *@notify: root must be
 * told (one event until root reads the console again: followers wake,
 * nothing storms).
 */
int cell_console_append(struct cell *c, const char *s, u64 n, bool *notify)
{
	char note[64];
	int len;

	*notify = false;
	if (!ratelimit_take(&c->console_rl, n, CONSOLE_BURST, CONSOLE_RATE))
		return -EAGAIN;
	if (c->console_rl.suppressed) {
		len = snprintf(note, sizeof(note), "\n[warden: %llu bytes dropped]\n",
			       c->console_rl.suppressed);
		c->console_rl.suppressed = 0;
		console_put(c, note, (u64)len);
	}
	console_put(c, s, n);
	*notify = n && !c->console_event;
	c->console_event = c->console_event || *notify;
	return 0;
}

long cell_console_write(struct hcall *hc)
{
	struct cell *c = this_cpu()->cell;
	u64 size = hc->arg[1];
	char buf[WARDEN_CONSOLE_WRITE_MAX];
	bool notify;
	int ret;

	if (size > sizeof(buf))
		return -EINVAL;
	if (copy_from_guest(&c->pt, hc->arg[0], buf, size))
		return -EFAULT;
	spin_lock(&c->lock);
	ret = cell_console_append(c, buf, size, &notify);
	spin_unlock(&c->lock);
	if (notify)
		notify_root();
	return ret;
}

long cell_reply(struct hcall *hc)
{
	struct cell *c = this_cpu()->cell;
	struct warden_comm_page *comm = (void *)c->comm;
	u64 reply = hc->arg[0];
	bool approved = false;
	long ret = 0;

	if (reply != WARDEN_REPLY_APPROVED && reply != WARDEN_REPLY_DENIED)
		return -EINVAL;
	spin_lock(&hv.cells_lock);
	if (c->state != WARDEN_CELL_RUNNING || !(c->info_flags & WARDEN_CELL_INFO_REQUEST)) {
		ret = -EINVAL;
	} else if (reply == WARDEN_REPLY_APPROVED) {
		comm->reply_from_cell = WARDEN_REPLY_APPROVED;
		cell_mark_stopped(c, WARDEN_CELL_SHUT_DOWN, WARDEN_STOP_APPROVED);
		approved = true;
	} else {
		comm->reply_from_cell = WARDEN_REPLY_DENIED;
		comm->msg_to_cell = WARDEN_MSG_NONE;
		c->info_flags &= ~WARDEN_CELL_INFO_REQUEST;
		c->info_flags |= WARDEN_CELL_INFO_REFUSED;
	}
	dcache_flush_range(comm, sizeof(*comm));
	spin_unlock(&hv.cells_lock);
	if (ret)
		return ret;
	cell_log(c, "cell %u '%s' %s its shutdown\n", c->id, c->name,
		 approved ? "approved" : "refused");
	cell_event(c);
	if (approved)
		cell_stop_this_cpu();
	return 0;
}

/*
 * WARDEN_HC_CELL_LOCK: x1 != 0 locks reconfiguration, 0 unlocks. Only a
 * running cell whose description lets it refuse may lock; locking is
 * limited per cell, unlocking never is.
 */
long cell_lock(struct hcall *hc)
{
	struct cell *c = this_cpu()->cell;
	bool lock = hc->arg[0], changed = false, ok;
	long ret = 0;

	if (!(c->info_flags & WARDEN_CELL_INFO_MAY_REFUSE))
		return -EPERM;
	if (lock) {
		spin_lock(&c->lock);
		ok = ratelimit_take(&c->lock_rl, 1, LOCK_BURST, LOCK_RATE);
		spin_unlock(&c->lock);
		if (!ok)
			return -EAGAIN;
	}
	spin_lock(&hv.cells_lock);
	if (c->state != WARDEN_CELL_RUNNING) {
		ret = -EPERM;
	} else if (lock) {
		if (hv.locked_by && hv.locked_by != c->id)
			ret = -EBUSY;
		else if (!hv.locked_by)
			changed = true, WRITE_ONCE(hv.locked_by, c->id);
	} else if (hv.locked_by == c->id) {
		changed = true, WRITE_ONCE(hv.locked_by, 0);
	}
	spin_unlock(&hv.cells_lock);
	if (changed)
		cell_event(c);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Entering a cell on a CPU that just came up (hv_cpu_start()) */

void cell_enter(struct per_cpu *p, struct regs *regs)
{
	struct cell *c = p->cell;

	arch_enter_cell(p, regs);
	cell_log(c, "cell %u '%s': CPU %u enters at %#llx\n", c->id, c->name, p->cpu, p->on_entry);
}

/* Is @irq one of the interrupts @c's description lists? */
bool cell_owns_irq(const struct cell *c, u32 irq)
{
	return irq_listed(c->irqs, c->cfg->num_irqs, irq);
}
