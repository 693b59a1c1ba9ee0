// SPDX-License-Identifier: GPL-2.0-only
/*
 * Hypercalls: one table says, for each code of include/warden/hypercall.h,
 * which handler serves it and who may call it (root, a cell, both). A
 * handler gets the call's arguments and may give a second result, never
 * the register frame (the architecture's trap code unpacks and packs it). Root's calls that change cells run one at
 * a time under hv.root_lock: the module serialises them too, but the
 * hypervisor relies on nobody.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>

#define HC_ROOT		(1U << 0)	/* root may call it */
#define HC_CELL		(1U << 1)	/* a cell may call it */
#define HC_SERIAL	(1U << 2)	/* under hv.root_lock */

static long hc_get_version(struct hcall *hc)
{
	(void)hc;
	return WARDEN_IMAGE_ABI;
}

/* WARDEN_HC_INIT once enabled: this CPU is in already. */
static long hc_init_again(struct hcall *hc)
{
	(void)hc;
	return -EBUSY;
}

/* WARDEN_HC_RESTORE_STUB: only the boot vectors answer it, before enable. */
static long hc_restore_stub(struct hcall *hc)
{
	(void)hc;
	return -EPERM;
}

static long hc_disable(struct hcall *hc)
{
	int ret = hv_cpu_disable();

	hc->leave = !ret;
	return ret;
}

/* WARDEN_HC_GET_INFO: x1 = root's buffer, x2 = its size. */
static long hc_get_info(struct hcall *hc)
{
	static struct warden_hv_info info;	/* 4 KiB: not on the stack */
	static struct spinlock info_lock;
	u64 size = hc->arg[1];
	u32 cpu, r;
	int ret;

	if (size > sizeof(info))
		size = sizeof(info);
	spin_lock(&info_lock);
	memset(&info, 0, sizeof(info));
	info.abi = WARDEN_IMAGE_ABI;
	info.max_cpus = HV_MAX_CPUS;
	info.cpus_enabled = READ_ONCE(hv.cpus_enabled);
	info.pool_pages = hv.pool.pages;
	info.pool_used = hv.pool.used;
	info.mem_size = hv.mem_size;
	info.num_cells = hv.num_cells;
	info.console_head = hv_console_head();
	info.root_s2_tables = hv.root_pt.stats.tables;
	info.root_s2_pages = hv.root_pt.stats.pages;
	info.root_s2_blocks_2m = hv.root_pt.stats.blocks_2m;
	info.root_s2_blocks_1g = hv.root_pt.stats.blocks_1g;
	info.root_s2_bytes = hv.root_pt.stats.bytes;
	info.fatal_cpus = READ_ONCE(hv.fatal_cpus);
	info.quarantined_cpus = READ_ONCE(hv.quarantined);
	for (cpu = 0; cpu < HV_MAX_CPUS; cpu++)
		for (r = 0; r < WARDEN_EXIT_MAX; r++)
			info.exits[cpu][r] = READ_ONCE(per_cpu[cpu].exits[r]);
	ret = copy_to_root(hc->arg[0], &info, size);
	spin_unlock(&info_lock);
	return ret ? ret : (long)size;
}

static const struct {
	hcall_fn *fn;
	u32 flags;
} hcalls[] = {
	[WARDEN_HC_GET_VERSION]		= { hc_get_version, HC_ROOT | HC_CELL },
	[WARDEN_HC_RESTORE_STUB]	= { hc_restore_stub, HC_ROOT },
	[WARDEN_HC_INIT]		= { hc_init_again, HC_ROOT },
	[WARDEN_HC_DISABLE]		= { hc_disable, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_GET_INFO]		= { hc_get_info, HC_ROOT },
	[WARDEN_HC_CONSOLE_READ]	= { hv_console_read, HC_ROOT },
	[WARDEN_HC_CELL_CREATE]		= { cell_create, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_CELL_LOAD]		= { cell_load, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_CELL_START]		= { cell_start, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_CELL_SHUTDOWN]	= { cell_shutdown, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_CELL_DESTROY]	= { cell_destroy, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_CELL_GET]		= { cell_get, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_CELL_NEXT]		= { cell_next, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_CELL_CONSOLE_READ]	= { cell_console_read, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_CELL_CONSOLE_WRITE]	= { cell_console_input, HC_ROOT | HC_SERIAL },
	[WARDEN_HC_CONSOLE_WRITE]	= { cell_console_write, HC_CELL },
	[WARDEN_HC_CELL_REPLY]		= { cell_reply, HC_CELL },
	[WARDEN_HC_CELL_LOCK]		= { cell_lock, HC_CELL },
};

/**
 * hcall_dispatch() - a hypercall from root or a cell
 * @code: the WARDEN_HC_* code
 * @hc:   its arguments; its second result and @hc->leave on return
 *
 * Return: the result: what the handler returned, -ENOSYS for an unknown
 * code, -EPERM for one the caller may not make.
 */
long hcall_dispatch(u64 code, struct hcall *hc)
{
	u32 caller = this_cpu()->cell ? HC_CELL : HC_ROOT;
	long ret;

	if (code >= ARRAY_SIZE(hcalls) || !hcalls[code].fn)
		return -ENOSYS;
	if (!(hcalls[code].flags & caller))
		return -EPERM;
	if (hcalls[code].flags & HC_SERIAL)
		spin_lock(&hv.root_lock);
	ret = hcalls[code].fn(hc);
	if (hcalls[code].flags & HC_SERIAL)
		spin_unlock(&hv.root_lock);
	return ret;
}
