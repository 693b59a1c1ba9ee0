// SPDX-License-Identifier: GPL-2.0-only
/*
 * Enabling and disabling the hypervisor.
 *
 * Enable: check the system blob (the same checker the hypervisor runs
 * again), check that the hypervisor's memory is no RAM Linux uses, copy
 * the image, the boot info and the blob there, clean it to the point of
 * coherency (the hypervisor starts with its MMU off), then on each online
 * CPU, the current one first, install the image's boot vectors through the
 * hyp stub and call WARDEN_HC_INIT. Any failure disables the CPUs already
 * in and leaves the machine as it was.
 *
 * CPU hotplug needs nothing here: the hypervisor traps PSCI CPU_ON and
 * starts the CPU under itself (hypervisor/arch/arm64/psci.c).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <asm/virt.h>
#include <linux/cpu.h>
#include <linux/errno.h>
#include <linux/io.h>
#include <linux/ktime.h>
#include <linux/ioport.h>
#include <linux/mm.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/smp.h>
#include <linux/string.h>
#include "warden.h"
#include "hvc.h"
#include <warden/config-check.h>

static bool debug_uart;
module_param(debug_uart, bool, 0644);
MODULE_PARM_DESC(debug_uart, "echo the hypervisor's log to the system's UART (root's console)");

/*
 * Test hook: WARDEN_HC_INIT on this CPU gets a wrong CPU number, which the
 * hypervisor refuses, so that the rollback of the CPUs already in can be
 * tested for real. Setting it taints the kernel.
 */
static int inject_init_fault = -1;
module_param_unsafe(inject_init_fault, int, 0644);
MODULE_PARM_DESC(inject_init_fault, "test only: make the hypervisor's init fail on this CPU");

struct hv_enable {
	phys_addr_t vectors;
	struct warden_hv_error *errs;	/* one per possible CPU */
	cpumask_t done;
	atomic_t failed;
	int first_failed;
};

static void hv_enable_cpu(void *arg)
{
	struct hv_enable *e = arg;
	unsigned int cpu = smp_processor_id();
	struct warden_hv_error *err = &e->errs[cpu];
	long ret;

	warden_dcache_flush_poc(err, sizeof(*err));
	if (warden_hvc_stub(HVC_SET_VECTORS, e->vectors)) {
		err->error = -EIO;
		err->cpu = cpu;
		err->index = -1;
		strscpy(err->what, "Linux's hyp stub refused HVC_SET_VECTORS", sizeof(err->what));
		ret = -EIO;
	} else {
		unsigned int as = cpu == READ_ONCE(inject_init_fault) ? cpu + 1 : cpu;

		ret = (long)warden_hvc(WARDEN_HC_INIT, as, virt_to_phys(err), 0, 0, NULL);
		/* The hypervisor wrote the record with its MMU off. */
		warden_dcache_flush_poc(err, sizeof(*err));
	}
	if (ret) {
		if (atomic_inc_return(&e->failed) == 1)
			e->first_failed = cpu;
		if (!err->error) {
			err->error = ret;
			err->cpu = cpu;
			err->index = -1;
			strscpy(err->what, "hypervisor init failed", sizeof(err->what));
		}
		return;
	}
	cpumask_set_cpu(cpu, &e->done);
}

struct hv_disable {
	cpumask_t *only;	/* NULL: every CPU */
	atomic_t failed;
	long error;
	atomic_t stub_missing;
};

static void hv_disable_cpu(void *arg)
{
	struct hv_disable *d = arg;
	long ret;

	if (d->only && !cpumask_test_cpu(smp_processor_id(), d->only))
		return;
	ret = (long)warden_hvc(WARDEN_HC_DISABLE, 0, 0, 0, 0, NULL);
	if (ret) {
		atomic_inc(&d->failed);
		d->error = ret;
		return;
	}
	/* EL2 is the stub's again if it answers its no-op. */
	if (warden_hvc_stub(HVC_RESET_VECTORS, 0))
		atomic_inc(&d->stub_missing);
}

/* Check the blob and the hypervisor's memory before anything changes. */
static int hv_check_system(struct warden *w, const void *blob, u32 size,
			   const struct warden_system **sysp, const struct warden_cell **rootp,
			   struct netlink_ext_ack *extack)
{
	struct warden_config_error cerr = {};
	struct warden_config_layout l;
	const struct warden_system *sys;
	const struct warden_cell *root;
	u64 need;
	int cpu;

	if (warden_config_check_system(blob, size, &l, &cerr)) {
		if (cerr.index >= 0)
			warden_err(extack, "system blob refused at offset %u (element %d): %s (value %#llx)",
				   cerr.offset, cerr.index, cerr.what, cerr.value);
		else
			warden_err(extack, "system blob refused at offset %u: %s (value %#llx)",
				   cerr.offset, cerr.what, cerr.value);
		return -EINVAL;
	}
	sys = blob + sizeof(struct warden_config_header);
	root = blob + l.cell;
	need = PAGE_ALIGN(w->header.core_size) + WARDEN_BOOT_INFO_SIZE + PAGE_ALIGN(size) +
	       16 * PAGE_SIZE;
	if (sys->hv_mem_size < need) {
		warden_err(extack, "hypervisor memory %#llx-%#llx is too small: %llu KiB, at least %llu KiB needed",
			   sys->hv_mem_base, sys->hv_mem_base + sys->hv_mem_size - 1,
			   sys->hv_mem_size >> 10, need >> 10);
		return -ENOMEM;
	}
	if (region_intersects(sys->hv_mem_base, sys->hv_mem_size, IORESOURCE_SYSTEM_RAM,
			      IORES_DESC_NONE) != REGION_DISJOINT) {
		warden_err(extack, "hypervisor memory %#llx-%#llx is RAM Linux uses; boot Linux with mem= below it",
			   sys->hv_mem_base, sys->hv_mem_base + sys->hv_mem_size - 1);
		return -EBUSY;
	}
	if (num_possible_cpus() > WARDEN_BOOT_MAX_CPUS ||
	    num_possible_cpus() > w->header.max_cpus) {
		warden_err(extack, "Linux has %u possible CPUs, the hypervisor supports %u",
			   num_possible_cpus(), w->header.max_cpus);
		return -E2BIG;
	}
	for_each_online_cpu(cpu) {
		if (!(root->cpu_set & BIT_ULL(cpu))) {
			warden_err(extack, "CPU %d is online in Linux but not in the root cell of system '%.*s'",
				   cpu, WARDEN_NAME_LEN, ((const struct warden_config_header *)blob)->name);
			return -EINVAL;
		}
	}
	if (warden_gic_check(sys, extack))
		return -ENODEV;
	*sysp = sys;
	*rootp = root;
	return 0;
}

/* Copy image, boot info and blob into the hypervisor's memory. */
static int hv_install(struct warden *w, const struct warden_system *sys, const void *blob,
		      u32 size, struct netlink_ext_ack *extack)
{
	u64 (*logical_map)(unsigned int cpu);
	size_t core = PAGE_ALIGN(w->header.core_size);
	struct warden_image_header *h;
	struct warden_boot_info *bi;
	unsigned long stub;
	unsigned int cpu;
	void *mem;

	stub = warden_ksym_lookup("__hyp_stub_vectors");
	logical_map = (void *)warden_ksym_lookup("cpu_logical_map");
	if (!stub || !logical_map) {
		warden_err(extack, "kernel symbol %s not found",
			   stub ? "cpu_logical_map" : "__hyp_stub_vectors");
		return -ENOENT;
	}
	mem = memremap(sys->hv_mem_base, sys->hv_mem_size, MEMREMAP_WB);
	if (!mem) {
		warden_err(extack, "cannot map the hypervisor memory %#llx-%#llx",
			   sys->hv_mem_base, sys->hv_mem_base + sys->hv_mem_size - 1);
		return -ENOMEM;
	}
	memcpy(mem, w->image, w->image_size);
	memset(mem + w->image_size, 0, core + WARDEN_BOOT_INFO_SIZE - w->image_size);
	h = mem;
	h->phys_base = sys->hv_mem_base;
	h->online_cpus = num_online_cpus();
	bi = mem + core;
	bi->mem_size = sys->hv_mem_size;
	bi->stub_vectors = __pa_symbol(stub);
	bi->config_size = size;
	bi->flags = debug_uart ? WARDEN_BOOT_DEBUG_UART : 0;
	bi->num_cpus = nr_cpu_ids;
	for_each_possible_cpu(cpu)
		bi->mpidr[cpu] = logical_map(cpu);
	memcpy(mem + core + WARDEN_BOOT_INFO_SIZE, blob, size);
	/* The hypervisor reads all of it with its MMU off; no stale lines may stay. */
	warden_dcache_flush_poc(mem, sys->hv_mem_size);
	memunmap(mem);
	return 0;
}

static void hv_report_failure(struct hv_enable *e, struct netlink_ext_ack *extack)
{
	struct warden_hv_error *err = &e->errs[e->first_failed];

	err->what[sizeof(err->what) - 1] = 0;
	if (err->offset || err->index >= 0)
		warden_err(extack, "hypervisor refused on CPU %d: %s (offset %u, element %d, value %#llx)",
			   e->first_failed, err->what, err->offset, err->index, err->value);
	else
		warden_err(extack, "hypervisor refused on CPU %d: %s (value %#llx)", e->first_failed,
			   err->what, err->value);
}

/* Run the hypervisor's init on every online CPU; roll back on failure. */
static int hv_take_cpus(struct warden *w, const struct warden_system *sys,
			struct netlink_ext_ack *extack)
{
	struct hv_enable e = { .failed = ATOMIC_INIT(0) };
	struct hv_disable d = { .only = &e.done, .failed = ATOMIC_INIT(0) };
	unsigned int first, cpu;
	int ret = 0;

	e.vectors = sys->hv_mem_base + w->header.vectors;
	e.errs = kcalloc(nr_cpu_ids, sizeof(*e.errs), GFP_KERNEL);
	if (!e.errs)
		return -ENOMEM;
	cpumask_clear(&e.done);

	cpus_read_lock();
	/* The first CPU does the global set-up; the others follow one by one. */
	first = get_cpu();
	smp_call_function_single(first, hv_enable_cpu, &e, 1);
	put_cpu();
	for_each_online_cpu(cpu) {
		if (atomic_read(&e.failed))
			break;
		if (cpu != first)
			smp_call_function_single(cpu, hv_enable_cpu, &e, 1);
	}
	if (atomic_read(&e.failed)) {
		hv_report_failure(&e, extack);
		ret = e.errs[e.first_failed].error ?: -EIO;
		on_each_cpu(hv_disable_cpu, &d, 1);
		if (atomic_read(&d.failed) || atomic_read(&d.stub_missing))
			pr_crit("rollback after a failed enable did not give EL2 back on every CPU\n");
	}
	cpus_read_unlock();
	kfree(e.errs);
	return ret;
}

int warden_hv_enable(struct warden *w, const void *blob, u32 size, struct netlink_ext_ack *extack)
{
	const struct warden_system *sys;
	const struct warden_cell *root;
	ktime_t start = ktime_get();
	int ret;

	if (w->state != WARDEN_HV_DISABLED) {
		warden_err(extack, "the hypervisor is already enabled (system '%s')", w->system_name);
		return -EBUSY;
	}
	ret = hv_check_system(w, blob, size, &sys, &root, extack);
	if (ret)
		return ret;
	if (!request_mem_region(sys->hv_mem_base, sys->hv_mem_size, "Warden hypervisor")) {
		warden_err(extack, "hypervisor memory %#llx-%#llx is claimed by another driver",
			   sys->hv_mem_base, sys->hv_mem_base + sys->hv_mem_size - 1);
		return -EBUSY;
	}
	ret = warden_events_start(w, sys->event_irq, extack);
	ret = ret ?: hv_install(w, sys, blob, size, extack);
	ret = ret ?: hv_take_cpus(w, sys, extack);
	if (ret) {
		warden_events_stop(w);
		release_mem_region(sys->hv_mem_base, sys->hv_mem_size);
		return ret;
	}
	w->hv_mem_base = sys->hv_mem_base;
	w->hv_mem_size = sys->hv_mem_size;
	strscpy(w->system_name, ((const struct warden_config_header *)blob)->name,
		sizeof(w->system_name));
	w->state = WARDEN_HV_ENABLED;
	/* Unloading the module under a running hypervisor would pull the loader away. */
	__module_get(THIS_MODULE);
	pr_info("hypervisor enabled on %u CPUs, system '%s', memory %#llx-%#llx, in %lld us\n",
		num_online_cpus(), w->system_name, w->hv_mem_base,
		w->hv_mem_base + w->hv_mem_size - 1, ktime_us_delta(ktime_get(), start));
	return 0;
}

/**
 * warden_hv_quarantined() - the CPUs the hypervisor keeps from Linux for good
 * @w:       the module
 * @unknown: what to answer when the hypervisor's figures cannot be read
 */
u64 warden_hv_quarantined(struct warden *w, u64 unknown)
{
	struct warden_hv_info *hvi = kzalloc(sizeof(*hvi), GFP_KERNEL);
	u64 set = unknown;

	if (hvi && !warden_hv_get_info(w, hvi))
		set = hvi->quarantined_cpus;
	kfree(hvi);
	return set;
}

int warden_hv_disable(struct warden *w, struct netlink_ext_ack *extack)
{
	struct hv_disable d = { .failed = ATOMIC_INIT(0), .stub_missing = ATOMIC_INIT(0) };
	u64 quarantined;

	if (w->state == WARDEN_HV_FAILED) {
		warden_err(extack, "the hypervisor failed (warden console shows where); only a reboot gives the machine back");
		return -EIO;
	}
	if (w->state != WARDEN_HV_ENABLED) {
		warden_err(extack, "the hypervisor is not enabled");
		return -ENODEV;
	}
	if (warden_cell_next(w, 0)) {
		warden_err(extack, "cells exist: destroy them before disabling the hypervisor");
		return -EBUSY;
	}
	/* Unknown: the hypervisor refuses by itself if it has any. */
	quarantined = warden_hv_quarantined(w, 0);
	if (quarantined) {
		warden_err(extack, "CPUs %#llx are quarantined (a destroyed cell's CPUs that did not stop): the hypervisor stays until the machine resets",
			   quarantined);
		return -EBUSY;
	}
	cpus_read_lock();
	on_each_cpu(hv_disable_cpu, &d, 1);
	cpus_read_unlock();
	if (atomic_read(&d.failed)) {
		warden_err(extack, "the hypervisor refused to disable on %d CPUs (error %ld)",
			   atomic_read(&d.failed), d.error);
		return (int)d.error;
	}
	warden_events_stop(w);
	if (atomic_read(&d.stub_missing))
		pr_crit("EL2 did not go back to Linux's hyp stub on %d CPUs\n",
			atomic_read(&d.stub_missing));
	release_mem_region(w->hv_mem_base, w->hv_mem_size);
	w->state = WARDEN_HV_DISABLED;
	module_put(THIS_MODULE);
	pr_info("hypervisor disabled\n");
	return 0;
}

int warden_hv_get_info(struct warden *w, struct warden_hv_info *info)
{
	long ret;

	if (w->state == WARDEN_HV_DISABLED)
		return -ENODEV;
	/* @info is kmalloc'ed, so physically contiguous. */
	ret = (long)warden_hvc(WARDEN_HC_GET_INFO, virt_to_phys(info), sizeof(*info), 0, 0, NULL);
	return ret < 0 ? (int)ret : 0;
}

ssize_t warden_hv_console_read(struct warden *w, void *buf, size_t size, u64 *pos)
{
	unsigned long first;
	void *bounce;
	long ret;

	if (w->state == WARDEN_HV_DISABLED)
		return -ENODEV;
	size = min_t(size_t, size, PAGE_SIZE);
	bounce = kmalloc(size, GFP_KERNEL);	/* physically contiguous, unlike a stack */
	if (!bounce)
		return -ENOMEM;
	ret = (long)warden_hvc(WARDEN_HC_CONSOLE_READ, virt_to_phys(bounce), size, *pos, 0, &first);
	if (ret > 0)
		memcpy(buf, bounce, ret);
	if (ret >= 0)
		*pos = first;
	kfree(bounce);
	return ret;
}

void warden_hv_exit(struct warden *w)
{
	/* The module cannot be unloaded while enabled (it holds a reference). */
	WARN_ON(w->state == WARDEN_HV_ENABLED);
}
