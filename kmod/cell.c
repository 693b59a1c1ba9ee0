// SPDX-License-Identifier: GPL-2.0-only
/*
 * Cells, the module's side: the hypervisor does the work (its
 * hypervisor/core/cell.c); the module takes the cell's CPUs out of Linux
 * before the cell is created and gives them back after it is destroyed,
 * moves images in chunks, and turns the hypervisor's event interrupt into
 * netlink notifications (no polling anywhere).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpu.h>
#include <linux/errno.h>
#include <linux/interrupt.h>
#include <linux/irq.h>
#include <linux/irqdomain.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/of.h>
#include <linux/slab.h>
#include <linux/workqueue.h>
#include "warden.h"
#include "hvc.h"
#include <warden/config-check.h>

static int cell_enabled(struct warden *w, struct netlink_ext_ack *extack)
{
	if (w->state == WARDEN_HV_ENABLED)
		return 0;
	warden_err(extack, "the hypervisor is not enabled (warden enable SYSTEM first)");
	return -ENODEV;
}

int warden_cell_get(struct warden *w, u32 id, struct warden_cell_info *info)
{
	struct warden_cell_info *buf;
	long ret;

	if (w->state != WARDEN_HV_ENABLED)
		return -ENOENT;
	buf = kzalloc(sizeof(*buf), GFP_KERNEL);	/* physically contiguous */
	if (!buf)
		return -ENOMEM;
	ret = (long)warden_hvc(WARDEN_HC_CELL_GET, id, virt_to_phys(buf), sizeof(*buf), 0, NULL);
	if (ret >= 0)
		*info = *buf;
	kfree(buf);
	return ret < 0 ? (int)ret : 0;
}

u32 warden_cell_next(struct warden *w, u32 id)
{
	if (w->state != WARDEN_HV_ENABLED)
		return 0;
	return (u32)warden_hvc(WARDEN_HC_CELL_NEXT, id, 0, 0, 0, NULL);
}

/* Tell listeners about a cell, and remember what they were told. */
static void cell_announce(struct warden *w, u32 id)
{
	struct warden_cell_info info;

	if (!warden_cell_get(w, id, &info))
		warden_genl_notify_cell(&info);
}

/* The cell holding the reconfiguration lock, in @holder; false when none does. */
static bool cell_lock_holder(struct warden *w, struct warden_cell_info *holder)
{
	u32 id = 0;

	while ((id = warden_cell_next(w, id)))
		if (!warden_cell_get(w, id, holder) && (holder->flags & WARDEN_CELL_INFO_LOCKED))
			return true;
	return false;
}

/* ", which its description allows (may-refuse: true)" for a cell granted it. */
static const char *cell_grant_text(const struct warden_cell_info *info)
{
	return info->flags & WARDEN_CELL_INFO_MAY_REFUSE ?
	       ", which its description allows (may-refuse: true)" : "";
}

/*
 * The hypervisor refused (-EPERM) to @verb the cell @info: say which rule
 * applied. Another cell's lock stops any reconfiguration; the cell's own
 * lock or its refusal count only because its description lets it refuse.
 */
static void cell_refused(struct warden *w, const struct warden_cell_info *info,
			 const char *verb, struct netlink_ext_ack *extack)
{
	struct warden_cell_info holder;

	if (cell_lock_holder(w, &holder) && holder.id != info->id)
		warden_err(extack, "cell '%.*s' may not be %s: reconfiguration is locked by cell '%.*s' (id %u)",
			   WARDEN_NAME_LEN, info->name, verb, WARDEN_NAME_LEN, holder.name, holder.id);
	else if (info->flags & WARDEN_CELL_INFO_LOCKED)
		warden_err(extack, "cell '%.*s' is locked and may not be %s: it holds the reconfiguration lock%s",
			   WARDEN_NAME_LEN, info->name, verb, cell_grant_text(info));
	else if (info->flags & WARDEN_CELL_INFO_REFUSED)
		warden_err(extack, "cell '%.*s' may not be %s: it refused its shutdown%s",
			   WARDEN_NAME_LEN, info->name, verb, cell_grant_text(info));
	else
		warden_err(extack, "cell '%.*s' may not be %s: the hypervisor refused (error %d)",
			   WARDEN_NAME_LEN, info->name, verb, -EPERM);
}

/* ---------------------------------------------------------------------- */
/* CPUs */

static int cell_cpus_check(const struct warden_cell *cell, struct netlink_ext_ack *extack)
{
	unsigned int cpu;

	for (cpu = 0; cpu < WARDEN_MAX_CPUS; cpu++) {
		if (!(cell->cpu_set & BIT_ULL(cpu)))
			continue;
		if (cpu == 0) {
			warden_err(extack, "CPU 0 cannot go to a cell: the root cell keeps it");
			return -EINVAL;
		}
		if (cpu >= nr_cpu_ids || !cpu_possible(cpu)) {
			warden_err(extack, "CPU %u does not exist", cpu);
			return -EINVAL;
		}
	}
	return 0;
}

/* Give back to Linux the CPUs in @set that are offline. */
static void cell_cpus_online(u64 set)
{
	unsigned int cpu;
	int ret;

	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (!(set & BIT_ULL(cpu)) || cpu_online(cpu))
			continue;
		ret = add_cpu(cpu);
		if (ret)
			pr_err("CPU %u did not come back online (error %d)\n", cpu, ret);
	}
}

/* Take the cell's CPUs out of Linux; on failure the ones taken come back. */
static int cell_cpus_offline(u64 set, u64 *taken, struct netlink_ext_ack *extack)
{
	unsigned int cpu;
	int ret;

	*taken = 0;
	for (cpu = 0; cpu < nr_cpu_ids; cpu++) {
		if (!(set & BIT_ULL(cpu)) || !cpu_online(cpu))
			continue;
		ret = remove_cpu(cpu);
		if (ret) {
			warden_err(extack, "CPU %u cannot be taken offline in Linux (error %d)", cpu, ret);
			cell_cpus_online(*taken);
			return ret;
		}
		*taken |= BIT_ULL(cpu);
	}
	return 0;
}

/*
 * No cell region may be memory Linux uses (cell RAM lies above mem=, or is
 * reserved; devices are never System RAM): the hypervisor takes a cell's
 * regions from root's stage 2, and Linux would fault on its own pages.
 * Only the module knows what Linux uses.
 */
static int cell_memory_check(const void *blob, const struct warden_config_layout *l,
			     struct netlink_ext_ack *extack)
{
	const struct warden_cell *cell = blob + l->cell;
	const struct warden_region *r = blob + l->regions;
	u32 i;

	for (i = 0; i < cell->num_regions; i++, r++) {
		if (region_intersects(r->phys_start, r->size, IORESOURCE_SYSTEM_RAM,
				      IORES_DESC_NONE) != REGION_DISJOINT) {
			warden_err(extack, "cell memory region '%.*s' (%#llx-%#llx) is RAM Linux uses",
				   WARDEN_NAME_LEN, r->name, r->phys_start,
				   r->phys_start + r->size - 1);
			return -EBUSY;
		}
	}
	return 0;
}

/* ---------------------------------------------------------------------- */

static void cell_report(struct warden_hv_error *rec, int ret, struct netlink_ext_ack *extack)
{
	rec->what[sizeof(rec->what) - 1] = 0;
	if (!rec->error) {
		warden_err(extack, "the hypervisor refused the cell (error %d)", ret);
		return;
	}
	if (rec->index >= 0)
		warden_err(extack, "the hypervisor refused the cell: %s (offset %u, element %d, value %#llx)",
			   rec->what, rec->offset, rec->index, rec->value);
	else
		warden_err(extack, "the hypervisor refused the cell: %s (value %#llx)", rec->what,
			   rec->value);
}

int warden_cell_create(struct warden *w, const void *blob, u32 size, struct netlink_ext_ack *extack)
{
	struct warden_config_error cerr = {};
	struct warden_cell_info holder;
	struct warden_config_layout l;
	const struct warden_cell *cell;
	struct warden_hv_error *rec;
	void *copy;
	u64 taken;
	long ret;

	ret = cell_enabled(w, extack);
	if (ret)
		return ret;
	if (warden_config_check_cell(blob, size, &l, &cerr)) {
		if (cerr.index >= 0)
			warden_err(extack, "cell blob refused at offset %u (element %d): %s (value %#llx)",
				   cerr.offset, cerr.index, cerr.what, cerr.value);
		else
			warden_err(extack, "cell blob refused at offset %u: %s (value %#llx)",
				   cerr.offset, cerr.what, cerr.value);
		return -EINVAL;
	}
	if (!w->event_virq) {
		warden_err(extack, "the system description names no hypervisor event-irq: cells need it to report to Linux");
		return -EOPNOTSUPP;
	}
	cell = blob + l.cell;
	ret = cell_cpus_check(cell, extack) ?: cell_memory_check(blob, &l, extack);
	if (ret)
		return ret;
	copy = kmemdup(blob, size, GFP_KERNEL);
	rec = kzalloc(sizeof(*rec), GFP_KERNEL);
	if (!copy || !rec) {
		ret = -ENOMEM;
		goto out;
	}
	ret = cell_cpus_offline(cell->cpu_set, &taken, extack);
	if (ret)
		goto out;
	ret = (long)warden_hvc(WARDEN_HC_CELL_CREATE, virt_to_phys(copy), size, virt_to_phys(rec), 0, NULL);
	if (ret < 0) {
		if (ret == -EPERM && cell_lock_holder(w, &holder))
			warden_err(extack, "the hypervisor refused the cell: reconfiguration is locked by cell '%.*s' (id %u)",
				   WARDEN_NAME_LEN, holder.name, holder.id);
		else
			cell_report(rec, (int)ret, extack);
		cell_cpus_online(taken);
		goto out;
	}
	pr_info("cell %ld '%.*s' created\n", ret, WARDEN_NAME_LEN,
		((const struct warden_config_header *)blob)->name);
	cell_announce(w, (u32)ret);
out:
	kfree(copy);
	kfree(rec);
	return (int)ret;
}

int warden_cell_load(struct warden *w, u32 id, u32 region, u64 offset, const void *data, u32 size,
		     struct netlink_ext_ack *extack)
{
	struct warden_cell_load *ld;
	void *chunk;
	long ret;

	ret = cell_enabled(w, extack);
	if (ret)
		return ret;
	if (size > WARDEN_CELL_LOAD_MAX) {
		warden_err(extack, "a load chunk has at most %u bytes", WARDEN_CELL_LOAD_MAX);
		return -E2BIG;
	}
	ld = kzalloc(sizeof(*ld), GFP_KERNEL);
	chunk = kmemdup(data, size, GFP_KERNEL);
	if (!ld || !chunk) {
		ret = -ENOMEM;
		goto out;
	}
	ld->cell = id;
	ld->region = region;
	ld->offset = offset;
	ld->size = size;
	ld->data = virt_to_phys(chunk);
	ret = (long)warden_hvc(WARDEN_HC_CELL_LOAD, virt_to_phys(ld), 0, 0, 0, NULL);
	switch (ret) {
	case 0:
		break;
	case -ENOENT:
		warden_err(extack, "no cell %u", id);
		break;
	case -EBUSY:
		warden_err(extack, "cell %u is running: shut it down before loading", id);
		break;
	case -EPERM:
		warden_err(extack, "region %u of cell %u is not loadable", region, id);
		break;
	case -ERANGE:
		warden_err(extack, "%u bytes at offset %#llx do not fit region %u of cell %u", size, offset,
			   region, id);
		break;
	case -EINVAL:
		warden_err(extack, "cell %u has no region %u", id, region);
		break;
	default:
		warden_err(extack, "the hypervisor refused the load (error %ld)", ret);
	}
out:
	kfree(chunk);
	kfree(ld);
	return (int)ret;
}

int warden_cell_start(struct warden *w, u32 id, struct netlink_ext_ack *extack)
{
	long ret = cell_enabled(w, extack);

	if (ret)
		return ret;
	ret = (long)warden_hvc(WARDEN_HC_CELL_START, id, 0, 0, 0, NULL);
	if (ret == -ENOENT)
		warden_err(extack, "no cell %u", id);
	else if (ret == -EBUSY)
		warden_err(extack, "cell %u is running, or its CPUs are still stopping", id);
	else if (ret)
		warden_err(extack, "cell %u did not start: its first CPU did not come up (error %ld)", id, ret);
	if (!ret)
		cell_announce(w, id);
	return (int)ret;
}

int warden_cell_shutdown(struct warden *w, u32 id, struct netlink_ext_ack *extack)
{
	struct warden_cell_info info;
	long ret = cell_enabled(w, extack);

	if (ret)
		return ret;
	ret = (long)warden_hvc(WARDEN_HC_CELL_SHUTDOWN, id, 0, 0, 0, NULL);
	if (ret == -ENOENT)
		warden_err(extack, "no cell %u", id);
	else if (ret == -EPERM && !warden_cell_get(w, id, &info))
		cell_refused(w, &info, "shut down", extack);
	else if (ret == -EPERM)
		warden_err(extack, "cell %u is locked: it refuses to be shut down until it unlocks", id);
	else if (ret < 0)
		warden_err(extack, "cell %u did not stop (error %ld)", id, ret);
	if (ret >= 0)
		cell_announce(w, id);
	return (int)ret;
}

/*
 * The CPUs of the cell @info that the hypervisor kept after its destroy:
 * they did not stop (a direct cell blocked the kick and waits), so Linux
 * must never bring them up. The destroy succeeded all the same; the caller
 * sees why its CPUs did not come back.
 */
static u64 cell_quarantined(struct warden *w, const struct warden_cell_info *info,
			    struct netlink_ext_ack *extack)
{
	/* Without the figures, keep every CPU of the cell: never online a running one. */
	u64 set = info->cpu_set & warden_hv_quarantined(w, ~0ULL);

	if (set) {
		pr_crit("cell %u '%s': CPUs %#llx did not stop and stay quarantined until the machine resets\n",
			info->id, info->name, set);
		warden_err(extack, "cell '%s' destroyed, but CPUs %#llx did not stop: they stay quarantined until the machine resets",
			   info->name, set);
	}
	return set;
}

int warden_cell_destroy(struct warden *w, u32 id, struct netlink_ext_ack *extack)
{
	struct warden_cell_info info;
	long ret = cell_enabled(w, extack);
	u64 quarantined;

	if (ret)
		return ret;
	ret = warden_cell_get(w, id, &info);
	if (ret) {
		warden_err(extack, "no cell %u", id);
		return (int)ret;
	}
	ret = (long)warden_hvc(WARDEN_HC_CELL_DESTROY, id, 0, 0, 0, NULL);
	if (ret == -EPERM)
		cell_refused(w, &info, "destroyed", extack);
	else if (ret)
		warden_err(extack, "cell '%s' could not be destroyed (error %ld)", info.name, ret);
	if (ret)
		return (int)ret;
	/*
	 * A running cell was stopped by the destroy: a passive one as root
	 * stops it, a cooperative one without its approval (the hypervisor's
	 * WARDEN_STOP_ROOT and WARDEN_STOP_FORCED). The cell is gone, so the
	 * announcement says it from what it was.
	 */
	if (info.state == WARDEN_CELL_RUNNING) {
		info.stop_reason = info.flags & WARDEN_CELL_INFO_PASSIVE ? WARDEN_STOP_ROOT :
				   WARDEN_STOP_FORCED;
		if (info.stop_reason == WARDEN_STOP_FORCED)
			pr_info("cell %u '%s' stopped without its approval: %s\n", id, info.name,
				info.flags & WARDEN_CELL_INFO_MAY_REFUSE ?
				"it had not refused its shutdown" :
				"its description does not let it refuse");
	}
	quarantined = cell_quarantined(w, &info, extack);
	pr_info("cell %u '%s' destroyed\n", id, info.name);
	info.state = 0;		/* gone */
	warden_genl_notify_destroyed(&info, quarantined);
	cell_cpus_online(info.cpu_set & ~quarantined);
	return 0;
}

ssize_t warden_cell_console_read(struct warden *w, u32 id, void *buf, size_t size, u64 *pos)
{
	unsigned long first;
	void *bounce;
	long ret;

	if (w->state != WARDEN_HV_ENABLED)
		return -ENOENT;
	size = min_t(size_t, size, PAGE_SIZE);
	bounce = kmalloc(size, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	ret = (long)warden_hvc(WARDEN_HC_CELL_CONSOLE_READ, id, virt_to_phys(bounce), size, *pos, &first);
	if (ret > 0)
		memcpy(buf, bounce, ret);
	if (ret >= 0)
		*pos = first;
	kfree(bounce);
	return ret;
}

/* @size bytes (at most WARDEN_CONSOLE_WRITE_MAX) for cell @id's UART; returns the bytes taken. */
ssize_t warden_cell_console_write(struct warden *w, u32 id, const void *data, size_t size)
{
	void *bounce;
	long ret;

	if (w->state != WARDEN_HV_ENABLED)
		return -ENOENT;
	if (size > WARDEN_CONSOLE_WRITE_MAX)
		return -EINVAL;
	bounce = kmemdup(data, size, GFP_KERNEL);
	if (!bounce)
		return -ENOMEM;
	ret = (long)warden_hvc(WARDEN_HC_CELL_CONSOLE_WRITE, id, virt_to_phys(bounce), size, 0, NULL);
	kfree(bounce);
	return ret;
}

/* ---------------------------------------------------------------------- */
/* Events: the hypervisor's SPI -> a work item -> netlink notifications */

static void warden_event_work(struct work_struct *work)
{
	struct warden *w = container_of(work, struct warden, event_work);
	u32 id = 0;

	struct warden_hv_info *info;

	mutex_lock(&w->lock);
	/* Disabled meanwhile: nothing to tell (warden_cell_next() answers 0). */
	while ((id = warden_cell_next(w, id)))
		cell_announce(w, id);
	/* Did the hypervisor stop a CPU on a fault of its own? */
	info = kzalloc(sizeof(*info), GFP_KERNEL);
	if (info && !warden_hv_get_info(w, info) && info->fatal_cpus &&
	    w->state == WARDEN_HV_ENABLED) {
		pr_crit("the hypervisor stopped CPUs %#llx on a fault of its own (warden console shows where)\n",
			info->fatal_cpus);
		w->state = WARDEN_HV_FAILED;
		warden_genl_notify_state(w->state);
	}
	kfree(info);
	mutex_unlock(&w->lock);
}

static irqreturn_t warden_event_irq(int irq, void *data)
{
	struct warden *w = data;

	schedule_work(&w->event_work);
	return IRQ_HANDLED;
}

/* Request the system's event SPI (@spi, 0: none) as a Linux interrupt. */
int warden_events_start(struct warden *w, u32 spi, struct netlink_ext_ack *extack)
{
	struct irq_fwspec fwspec = { .param_count = 3 };
	struct device_node *gic;
	int virq, ret;

	w->event_virq = 0;
	if (!spi)
		return 0;
	gic = warden_gic_node(NULL);
	if (!gic) {
		warden_err(extack, "no GIC node in the device tree for the event interrupt");
		return -ENODEV;
	}
	fwspec.fwnode = of_node_to_fwnode(gic);
	fwspec.param[0] = 0;			/* GIC_SPI */
	fwspec.param[1] = spi - 32;
	fwspec.param[2] = IRQ_TYPE_EDGE_RISING;
	virq = irq_create_fwspec_mapping(&fwspec);
	of_node_put(gic);
	if (virq <= 0) {
		warden_err(extack, "cannot map the event interrupt %u", spi);
		return -EINVAL;
	}
	ret = request_irq(virq, warden_event_irq, 0, "warden-events", w);
	if (ret) {
		warden_err(extack, "the event interrupt %u is in use (error %d)", spi, ret);
		irq_dispose_mapping(virq);
		return ret;
	}
	w->event_virq = virq;
	return 0;
}

void warden_events_stop(struct warden *w)
{
	if (!w->event_virq)
		return;
	free_irq(w->event_virq, w);
	irq_dispose_mapping(w->event_virq);
	w->event_virq = 0;
	/* A work item still queued finds the hypervisor disabled; module exit flushes it. */
}

void warden_events_init(struct warden *w)
{
	INIT_WORK(&w->event_work, warden_event_work);
}
