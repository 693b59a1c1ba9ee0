// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic netlink family "warden" (ABI: include/warden/genl.h).
 *
 * The family has no parallel_ops: every doit runs under genl_lock, so the
 * commands are serialised against each other. They also take warden.lock,
 * which serialises them against the module's other paths (load, unload,
 * CPU hotplug).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/bits.h>
#include <linux/build_bug.h>
#include <linux/cpumask.h>
#include <linux/err.h>
#include <linux/minmax.h>
#include <linux/module.h>
#include <linux/slab.h>
#include <linux/spinlock.h>
#include <linux/string.h>
#include <net/genetlink.h>
#include "warden.h"

enum warden_mcgrp {
	WARDEN_MCGRP_EVENTS,
};

static const struct genl_multicast_group warden_mcgrps[] = {
	[WARDEN_MCGRP_EVENTS] = { .name = WARDEN_GENL_MCGRP_EVENTS },
};

/*
 * Strict per-command policies (every command is below resv_start_op's
 * bound, so the core validates strictly): an attribute a command does not
 * list is refused with "Unsupported attribute".
 */

/* GET and DISABLE take no attributes. */
static const struct nla_policy warden_no_attrs_policy[WARDEN_A_MAX + 1] = {};

/* nla_policy.len is a u16: the blob limit that one attribute can carry. */
static const struct nla_policy warden_enable_policy[WARDEN_A_MAX + 1] = {
	[WARDEN_A_SYSTEM] = { .type = NLA_BINARY, .len = WARDEN_GENL_SYSTEM_MAX },
};

static const struct nla_policy warden_console_policy[WARDEN_A_MAX + 1] = {
	[WARDEN_A_CONSOLE_POS] = { .type = NLA_U64 },
};

/* Cells are named by id, >= 1. */
#define WARDEN_CELL_ID_POLICY	NLA_POLICY_MIN(NLA_U32, 1)

static const struct nla_policy warden_cell_create_policy[WARDEN_A_MAX + 1] = {
	[WARDEN_A_CELL_BLOB] = { .type = NLA_BINARY, .len = WARDEN_GENL_SYSTEM_MAX },
};

static const struct nla_policy warden_cell_load_policy[WARDEN_A_MAX + 1] = {
	[WARDEN_A_CELL_ID] = WARDEN_CELL_ID_POLICY,
	[WARDEN_A_CELL_REGION] = { .type = NLA_U32 },
	[WARDEN_A_CELL_OFFSET] = { .type = NLA_U64 },
	[WARDEN_A_CELL_DATA] = { .type = NLA_BINARY, .len = WARDEN_GENL_CELL_LOAD_MAX },
};

/* START, SHUTDOWN and DESTROY: the id only. */
static const struct nla_policy warden_cell_id_policy[WARDEN_A_MAX + 1] = {
	[WARDEN_A_CELL_ID] = WARDEN_CELL_ID_POLICY,
};

/* NLA_NUL_STRING's len does not count the NUL: names have at most 31 characters. */
static const struct nla_policy warden_cell_get_policy[WARDEN_A_MAX + 1] = {
	[WARDEN_A_CELL_ID] = WARDEN_CELL_ID_POLICY,
	[WARDEN_A_CELL_NAME] = { .type = NLA_NUL_STRING, .len = WARDEN_NAME_LEN - 1 },
};

static const struct nla_policy warden_cell_console_policy[WARDEN_A_MAX + 1] = {
	[WARDEN_A_CELL_ID] = WARDEN_CELL_ID_POLICY,
	[WARDEN_A_CONSOLE_POS] = { .type = NLA_U64 },
};

static const struct nla_policy warden_cell_console_write_policy[WARDEN_A_MAX + 1] = {
	[WARDEN_A_CELL_ID] = WARDEN_CELL_ID_POLICY,
	[WARDEN_A_CONSOLE_DATA] = NLA_POLICY_RANGE(NLA_BINARY, 1, WARDEN_GENL_CONSOLE_WRITE_MAX),
};

static struct genl_family warden_family;

static int warden_put_u64(struct sk_buff *skb, int type, u64 value)
{
	/* Type 0 is "unspecified" in every attribute space: the pad, if any. */
	return nla_put_u64_64bit(skb, type, value, 0);
}

/* The largest GET reply: the enabled attributes and WARDEN_BOOT_MAX_CPUS CPUs. */
static size_t warden_get_reply_size(void)
{
	size_t cpu = nla_total_size(0) +			/* WARDEN_A_CPU */
		     nla_total_size(sizeof(u32)) +		/* WARDEN_A_CPU_ID */
		     nla_total_size(0) +			/* WARDEN_A_CPU_EXITS */
		     WARDEN_EXIT_MAX * nla_total_size_64bit(sizeof(u64));

	return 2 * nla_total_size(WARDEN_GENL_STRING_MAX) +	/* versions */
	       4 * nla_total_size(sizeof(u32)) +		/* ABI, state, CPUs */
	       nla_total_size_64bit(sizeof(u64)) +		/* image size */
	       nla_total_size(WARDEN_NAME_LEN + 1) +		/* system name */
	       nla_total_size(sizeof(u32)) +			/* cells */
	       11 * nla_total_size_64bit(sizeof(u64)) +		/* memory, pool, CPUs, stage 2, log */
	       nla_total_size(0) +				/* WARDEN_A_CPU_STATS */
	       WARDEN_BOOT_MAX_CPUS * cpu;
}

static int warden_fill_cpu_stats(struct sk_buff *skb, const struct warden_hv_info *hvi)
{
	u32 n = min_t(u32, hvi->max_cpus, WARDEN_BOOT_MAX_CPUS);
	struct nlattr *stats, *cpu, *exits;
	u32 i, r;

	stats = nla_nest_start(skb, WARDEN_A_CPU_STATS);
	if (!stats)
		return -EMSGSIZE;
	for (i = 0; i < n; i++) {
		if (!(hvi->cpus_enabled & BIT_ULL(i)))
			continue;
		cpu = nla_nest_start(skb, WARDEN_A_CPU);
		if (!cpu || nla_put_u32(skb, WARDEN_A_CPU_ID, i))
			return -EMSGSIZE;
		exits = nla_nest_start(skb, WARDEN_A_CPU_EXITS);
		if (!exits)
			return -EMSGSIZE;
		for (r = 0; r < WARDEN_EXIT_MAX; r++)
			if (warden_put_u64(skb, WARDEN_A_EXIT(r), hvi->exits[i][r]))
				return -EMSGSIZE;
		nla_nest_end(skb, exits);
		nla_nest_end(skb, cpu);
	}
	nla_nest_end(skb, stats);
	return 0;
}

/* The attributes GET adds while enabled, from the hypervisor's own figures. */
static int warden_fill_hv_info(struct sk_buff *skb, const struct warden_hv_info *hvi)
{
	char name[WARDEN_NAME_LEN + 1];

	/* The checked blob's name is NUL-padded, but do not rely on it here. */
	memcpy(name, warden.system_name, WARDEN_NAME_LEN);
	name[WARDEN_NAME_LEN] = '\0';

	if (nla_put_string(skb, WARDEN_A_SYSTEM_NAME, name) ||
	    warden_put_u64(skb, WARDEN_A_HV_MEM_BASE, warden.hv_mem_base) ||
	    warden_put_u64(skb, WARDEN_A_HV_MEM_SIZE, warden.hv_mem_size) ||
	    warden_put_u64(skb, WARDEN_A_POOL_PAGES, hvi->pool_pages) ||
	    warden_put_u64(skb, WARDEN_A_POOL_USED, hvi->pool_used) ||
	    warden_put_u64(skb, WARDEN_A_CPUS_ENABLED, hvi->cpus_enabled) ||
	    nla_put_u32(skb, WARDEN_A_CELLS, hvi->num_cells) ||
	    warden_put_u64(skb, WARDEN_A_ROOT_S2_TABLES, hvi->root_s2_tables) ||
	    warden_put_u64(skb, WARDEN_A_ROOT_S2_PAGES, hvi->root_s2_pages) ||
	    warden_put_u64(skb, WARDEN_A_ROOT_S2_BLOCKS_2M, hvi->root_s2_blocks_2m) ||
	    warden_put_u64(skb, WARDEN_A_ROOT_S2_BLOCKS_1G, hvi->root_s2_blocks_1g) ||
	    warden_put_u64(skb, WARDEN_A_ROOT_S2_BYTES, hvi->root_s2_bytes) ||
	    warden_put_u64(skb, WARDEN_A_CONSOLE_HEAD, hvi->console_head))
		return -EMSGSIZE;
	if (hvi->quarantined_cpus &&
	    warden_put_u64(skb, WARDEN_A_CPUS_QUARANTINED, hvi->quarantined_cpus))
		return -EMSGSIZE;
	return warden_fill_cpu_stats(skb, hvi);
}

static int warden_fill_info(struct sk_buff *skb)
{
	const struct warden_image_header *h = &warden.header;

	if (nla_put_string(skb, WARDEN_A_MODULE_VERSION, WARDEN_VERSION) ||
	    nla_put_string(skb, WARDEN_A_HV_VERSION, h->version) ||
	    nla_put_u32(skb, WARDEN_A_HV_ABI, h->abi) ||
	    warden_put_u64(skb, WARDEN_A_HV_SIZE, warden.image_size) ||
	    nla_put_u32(skb, WARDEN_A_STATE, warden.state) ||
	    nla_put_u32(skb, WARDEN_A_CPUS_POSSIBLE, num_possible_cpus()) ||
	    nla_put_u32(skb, WARDEN_A_CPUS_ONLINE, num_online_cpus()))
		return -EMSGSIZE;
	return 0;
}

/*
 * A refusal whose cause hv.c did not name gets a message here, so that no
 * refusal reaches user space as a bare errno.
 */
static int warden_refused(struct netlink_ext_ack *extack, int ret, const char *what, u32 state)
{
	if (extack->_msg)
		return ret;
	if (ret == -ENODEV && state != WARDEN_HV_ENABLED)
		warden_err(extack, "%s: the hypervisor is not enabled", what);
	else
		warden_err(extack, "%s failed: %pe", what, ERR_PTR(ret));
	return ret;
}

static int warden_cmd_get(struct sk_buff *skb, struct genl_info *info)
{
	struct warden_hv_info *hvi = NULL;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	hvi = kmalloc(sizeof(*hvi), GFP_KERNEL);
	msg = genlmsg_new(warden_get_reply_size(), GFP_KERNEL);
	if (!hvi || !msg) {
		ret = -ENOMEM;
		goto out;
	}
	hdr = genlmsg_put_reply(msg, info, &warden_family, 0, WARDEN_CMD_GET);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto out;
	}

	mutex_lock(&warden.lock);
	ret = warden_fill_info(msg);
	if (!ret && warden.state == WARDEN_HV_ENABLED) {
		ret = warden_hv_get_info(&warden, hvi);
		if (ret < 0) {
			warden_refused(info->extack, ret, "reading the hypervisor's figures",
				       warden.state);
			mutex_unlock(&warden.lock);
			goto out;
		}
		ret = warden_fill_hv_info(msg, hvi);
	}
	mutex_unlock(&warden.lock);
	if (ret) {
		NL_SET_ERR_MSG(info->extack, "the status reply does not fit one message");
		goto out;
	}

	kfree(hvi);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out:
	kfree(hvi);
	nlmsg_free(msg);
	return ret;
}

static int warden_cmd_enable(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *blob = info->attrs[WARDEN_A_SYSTEM];
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, WARDEN_A_SYSTEM)) {
		NL_SET_ERR_MSG(info->extack, "enable needs the system blob (WARDEN_A_SYSTEM)");
		return -EINVAL;
	}

	mutex_lock(&warden.lock);
	ret = warden_hv_enable(&warden, nla_data(blob), nla_len(blob), info->extack);
	if (ret < 0)
		warden_refused(info->extack, ret, "enable", warden.state);
	else
		/* Under the lock: notifications go out in the order of the changes. */
		warden_genl_notify_state(warden.state);
	mutex_unlock(&warden.lock);
	return ret < 0 ? ret : 0;
}

static int warden_cmd_disable(struct sk_buff *skb, struct genl_info *info)
{
	int ret;

	mutex_lock(&warden.lock);
	ret = warden_hv_disable(&warden, info->extack);
	if (ret < 0)
		warden_refused(info->extack, ret, "disable", warden.state);
	else
		warden_genl_notify_state(warden.state);
	mutex_unlock(&warden.lock);
	return ret < 0 ? ret : 0;
}

/*
 * The reply of CONSOLE and CELL_CONSOLE: @n bytes of @buf read from @pos,
 * and the ring's head after the read (never behind the bytes just read).
 */
static int warden_console_reply(struct genl_info *info, u8 cmd, const void *buf, ssize_t n,
				u64 pos, u64 head)
{
	struct sk_buff *msg;
	void *hdr;

	if (WARN_ON_ONCE(n > WARDEN_GENL_CONSOLE_MAX))
		n = WARDEN_GENL_CONSOLE_MAX;
	msg = genlmsg_new(nla_total_size(WARDEN_GENL_CONSOLE_MAX) +
			  2 * nla_total_size_64bit(sizeof(u64)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &warden_family, 0, cmd);
	if (!hdr || nla_put(msg, WARDEN_A_CONSOLE_DATA, n, buf) ||
	    warden_put_u64(msg, WARDEN_A_CONSOLE_POS, pos) ||
	    warden_put_u64(msg, WARDEN_A_CONSOLE_HEAD, max_t(u64, head, pos + n))) {
		NL_SET_ERR_MSG(info->extack, "the console reply does not fit one message");
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int warden_cmd_console(struct sk_buff *skb, struct genl_info *info)
{
	struct warden_hv_info *hvi;
	u64 pos = 0;
	ssize_t n;
	void *buf;
	int ret;

	if (info->attrs[WARDEN_A_CONSOLE_POS])
		pos = nla_get_u64(info->attrs[WARDEN_A_CONSOLE_POS]);

	buf = kmalloc(WARDEN_GENL_CONSOLE_MAX, GFP_KERNEL);
	hvi = kmalloc(sizeof(*hvi), GFP_KERNEL);
	if (!buf || !hvi) {
		ret = -ENOMEM;
		goto out;
	}

	mutex_lock(&warden.lock);
	n = warden_hv_console_read(&warden, buf, WARDEN_GENL_CONSOLE_MAX, &pos);
	ret = n < 0 ? (int)n : warden_hv_get_info(&warden, hvi);
	if (ret < 0)
		warden_refused(info->extack, ret, "reading the hypervisor's log", warden.state);
	mutex_unlock(&warden.lock);
	if (!ret)
		ret = warden_console_reply(info, WARDEN_CMD_CONSOLE, buf, n, pos, hvi->console_head);
out:
	kfree(hvi);
	kfree(buf);
	return ret;
}

/*
 * Cells
 */

/* The cell attributes (include/warden/genl.h) of @ci. */
static size_t warden_cell_msg_size(void)
{
	return nla_total_size(sizeof(u32)) +			/* id */
	       nla_total_size(WARDEN_NAME_LEN + 1) +		/* name */
	       3 * nla_total_size(sizeof(u32)) +		/* state, flags, stop reason */
	       7 * nla_total_size_64bit(sizeof(u64)) +		/* CPUs ... exits */
	       nla_total_size(0) +				/* fault */
	       2 * nla_total_size(sizeof(u32)) +		/* kind, CPU */
	       3 * nla_total_size_64bit(sizeof(u64)) +		/* ESR, address, PC */
	       nla_total_size_64bit(sizeof(u64));		/* quarantined CPUs */
}

static int warden_fill_cell(struct sk_buff *skb, const struct warden_cell_info *ci,
			    u64 quarantined)
{
	const struct warden_cell_fault *f = &ci->fault;
	char name[WARDEN_NAME_LEN + 1];
	struct nlattr *nest;

	/* The hypervisor terminates it; a module copy never trusts that. */
	memcpy(name, ci->name, WARDEN_NAME_LEN);
	name[WARDEN_NAME_LEN] = '\0';

	if (nla_put_u32(skb, WARDEN_A_CELL_ID, ci->id) ||
	    nla_put_string(skb, WARDEN_A_CELL_NAME, name) ||
	    nla_put_u32(skb, WARDEN_A_CELL_STATE, ci->state) ||
	    nla_put_u32(skb, WARDEN_A_CELL_FLAGS, ci->flags) ||
	    nla_put_u32(skb, WARDEN_A_CELL_STOP_REASON, ci->stop_reason) ||
	    warden_put_u64(skb, WARDEN_A_CELL_CPUS, ci->cpu_set) ||
	    warden_put_u64(skb, WARDEN_A_CELL_CPUS_RUNNING, ci->cpus_running) ||
	    warden_put_u64(skb, WARDEN_A_CELL_MEM_BYTES, ci->mem_bytes) ||
	    warden_put_u64(skb, WARDEN_A_CELL_CONSOLE_HEAD, ci->console_head) ||
	    warden_put_u64(skb, WARDEN_A_CELL_HEARTBEAT, ci->heartbeat) ||
	    warden_put_u64(skb, WARDEN_A_CELL_STARTS, ci->starts) ||
	    warden_put_u64(skb, WARDEN_A_CELL_EXITS, ci->exits) ||
	    (quarantined && warden_put_u64(skb, WARDEN_A_CELL_QUARANTINED, quarantined)))
		return -EMSGSIZE;
	if (f->kind == WARDEN_FAULT_NONE)
		return 0;

	nest = nla_nest_start(skb, WARDEN_A_CELL_FAULT);
	if (!nest ||
	    nla_put_u32(skb, WARDEN_A_FAULT_KIND, f->kind) ||
	    nla_put_u32(skb, WARDEN_A_FAULT_CPU, f->cpu) ||
	    warden_put_u64(skb, WARDEN_A_FAULT_ESR, f->esr) ||
	    warden_put_u64(skb, WARDEN_A_FAULT_ADDRESS, f->address) ||
	    warden_put_u64(skb, WARDEN_A_FAULT_PC, f->pc))
		return -EMSGSIZE;
	nla_nest_end(skb, nest);
	return 0;
}

/*
 * Every cell command but the dump needs the hypervisor: refused here with
 * one message, before cell.c is asked. Called with warden.lock held.
 */
static int warden_cell_check_enabled(struct netlink_ext_ack *extack)
{
	if (warden.state == WARDEN_HV_ENABLED)
		return 0;
	if (warden.state == WARDEN_HV_FAILED)
		warden_err(extack, "the hypervisor has failed: there are no cells");
	else
		warden_err(extack, "the hypervisor is not enabled (warden enable SYSTEM first)");
	return -ENODEV;
}

/* A refusal whose cause cell.c did not name (see warden_refused()). */
static int warden_cell_refused(struct netlink_ext_ack *extack, int ret, const char *what, u32 id)
{
	if (extack->_msg)
		return ret;
	if (ret == -ENOENT)
		warden_err(extack, "no cell with id %u", id);
	else
		warden_err(extack, "%s cell %u failed: %pe", what, id, ERR_PTR(ret));
	return ret;
}

/* The id of a request that must name a cell (the policy already checked its type). */
static int warden_cell_id(struct genl_info *info, u32 *id)
{
	if (GENL_REQ_ATTR_CHECK(info, WARDEN_A_CELL_ID)) {
		NL_SET_ERR_MSG(info->extack, "the request needs the cell's id (WARDEN_A_CELL_ID)");
		return -EINVAL;
	}
	*id = nla_get_u32(info->attrs[WARDEN_A_CELL_ID]);
	return 0;
}

static int warden_cmd_cell_create(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *blob = info->attrs[WARDEN_A_CELL_BLOB];
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (GENL_REQ_ATTR_CHECK(info, WARDEN_A_CELL_BLOB)) {
		NL_SET_ERR_MSG(info->extack, "create needs the cell blob (WARDEN_A_CELL_BLOB)");
		return -EINVAL;
	}
	msg = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;

	mutex_lock(&warden.lock);
	ret = warden_cell_check_enabled(info->extack);
	if (!ret) {
		ret = warden_cell_create(&warden, nla_data(blob), nla_len(blob), info->extack);
		if (ret == 0)
			ret = -EPROTO;	/* ids start at 1 */
		if (ret < 0 && !info->extack->_msg)
			warden_err(info->extack, "creating the cell failed: %pe", ERR_PTR(ret));
	}
	mutex_unlock(&warden.lock);
	if (ret < 0)
		goto out;

	hdr = genlmsg_put_reply(msg, info, &warden_family, 0, WARDEN_CMD_CELL_CREATE);
	if (!hdr || nla_put_u32(msg, WARDEN_A_CELL_ID, ret)) {
		/* The cell exists: the caller finds it with CELL_GET. */
		NL_SET_ERR_MSG(info->extack, "the cell was created, but the reply does not fit");
		ret = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out:
	nlmsg_free(msg);
	return ret;
}

static int warden_cmd_cell_load(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *data = info->attrs[WARDEN_A_CELL_DATA];
	u32 id;
	int ret;

	ret = warden_cell_id(info, &id);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, WARDEN_A_CELL_REGION) ||
	    GENL_REQ_ATTR_CHECK(info, WARDEN_A_CELL_OFFSET) ||
	    GENL_REQ_ATTR_CHECK(info, WARDEN_A_CELL_DATA)) {
		NL_SET_ERR_MSG(info->extack, "load needs the region, the offset and the data");
		return -EINVAL;
	}
	if (!nla_len(data)) {
		NL_SET_ERR_MSG_ATTR(info->extack, data, "load needs at least one byte of data");
		return -EINVAL;
	}

	mutex_lock(&warden.lock);
	ret = warden_cell_check_enabled(info->extack);
	if (!ret)
		ret = warden_cell_load(&warden, id, nla_get_u32(info->attrs[WARDEN_A_CELL_REGION]),
				       nla_get_u64(info->attrs[WARDEN_A_CELL_OFFSET]),
				       nla_data(data), nla_len(data), info->extack);
	if (ret < 0)
		warden_cell_refused(info->extack, ret, "loading", id);
	mutex_unlock(&warden.lock);
	return ret < 0 ? ret : 0;
}

/* Run @op on the cell the request names, under the lock; refusals say @verb. */
static int warden_cell_op(struct genl_info *info,
			  int (*op)(struct warden *w, u32 id, struct netlink_ext_ack *extack),
			  const char *verb)
{
	u32 id;
	int ret;

	ret = warden_cell_id(info, &id);
	if (ret)
		return ret;
	mutex_lock(&warden.lock);
	ret = warden_cell_check_enabled(info->extack);
	if (!ret)
		ret = op(&warden, id, info->extack);
	if (ret < 0)
		warden_cell_refused(info->extack, ret, verb, id);
	mutex_unlock(&warden.lock);
	return ret;
}

static int warden_cmd_cell_start(struct sk_buff *skb, struct genl_info *info)
{
	int ret = warden_cell_op(info, warden_cell_start, "starting");

	return ret < 0 ? ret : 0;
}

static int warden_cmd_cell_shutdown(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	ret = warden_cell_op(info, warden_cell_shutdown, "shutting down");
	if (ret < 0)
		goto out;

	hdr = genlmsg_put_reply(msg, info, &warden_family, 0, WARDEN_CMD_CELL_SHUTDOWN);
	if (!hdr || nla_put_u32(msg, WARDEN_A_CELL_ASKED, ret > 0)) {
		NL_SET_ERR_MSG(info->extack, "the shutdown reply does not fit");
		ret = -EMSGSIZE;
		goto out;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out:
	nlmsg_free(msg);
	return ret;
}

static int warden_cmd_cell_destroy(struct sk_buff *skb, struct genl_info *info)
{
	/* cell.c announces the destroyed cell (WARDEN_GENL_CELL_DESTROYED). */
	int ret = warden_cell_op(info, warden_cell_destroy, "destroying");

	return ret < 0 ? ret : 0;
}

/* The cell named @name, found by walking the ids. Called with warden.lock held. */
static int warden_cell_find(const char *name, struct warden_cell_info *ci)
{
	u32 id = 0;

	while ((id = warden_cell_next(&warden, id))) {
		if (warden_cell_get(&warden, id, ci))
			continue;
		/* @name has at most WARDEN_NAME_LEN - 1 characters and its NUL. */
		if (!strncmp(ci->name, name, WARDEN_NAME_LEN))
			return 0;
	}
	return -ENOENT;
}

static int warden_cmd_cell_get(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *name = info->attrs[WARDEN_A_CELL_NAME];
	const struct nlattr *id = info->attrs[WARDEN_A_CELL_ID];
	struct warden_cell_info *ci;
	struct sk_buff *msg;
	void *hdr;
	int ret;

	if (!id == !name) {
		NL_SET_ERR_MSG(info->extack, "name the cell by its id or by its name (one of them)");
		return -EINVAL;
	}
	ci = kzalloc(sizeof(*ci), GFP_KERNEL);
	msg = genlmsg_new(warden_cell_msg_size(), GFP_KERNEL);
	if (!ci || !msg) {
		ret = -ENOMEM;
		goto out;
	}

	mutex_lock(&warden.lock);
	if (warden.state != WARDEN_HV_ENABLED) {
		/* No cells: said so that the unknown name is clearly the reason. */
		if (name)
			warden_err(info->extack, "no cell '%s' (the hypervisor is not enabled)",
				   (const char *)nla_data(name));
		else
			warden_err(info->extack, "no cell with id %u (the hypervisor is not enabled)",
				   nla_get_u32(id));
		ret = -ENOENT;
	} else if (name) {
		ret = warden_cell_find(nla_data(name), ci);
		if (ret == -ENOENT)
			warden_err(info->extack, "no cell '%s'", (const char *)nla_data(name));
	} else {
		ret = warden_cell_get(&warden, nla_get_u32(id), ci);
		if (ret < 0)
			warden_cell_refused(info->extack, ret, "reading", nla_get_u32(id));
	}
	mutex_unlock(&warden.lock);
	if (ret < 0)
		goto out;

	hdr = genlmsg_put_reply(msg, info, &warden_family, 0, WARDEN_CMD_CELL_GET);
	if (!hdr || warden_fill_cell(msg, ci, 0)) {
		NL_SET_ERR_MSG(info->extack, "the cell reply does not fit one message");
		ret = -EMSGSIZE;
		goto out;
	}
	kfree(ci);
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

out:
	kfree(ci);
	nlmsg_free(msg);
	return ret;
}

/*
 * The dump: one message per cell, from the id after cb->args[0] (the last
 * one sent). Cells are only read here, under warden.lock, one id at a time:
 * a cell created or destroyed between two parts of a dump is seen or not,
 * never half.
 */
static int warden_cell_dumpit(struct sk_buff *skb, struct netlink_callback *cb)
{
	struct warden_cell_info *ci;
	u32 id = cb->args[0];
	int ret = 0;
	void *hdr;

	ci = kzalloc(sizeof(*ci), GFP_KERNEL);
	if (!ci)
		return -ENOMEM;

	mutex_lock(&warden.lock);
	while (warden.state == WARDEN_HV_ENABLED && (id = warden_cell_next(&warden, id))) {
		if (warden_cell_get(&warden, id, ci))
			continue;	/* gone meanwhile */
		hdr = genlmsg_put(skb, NETLINK_CB(cb->skb).portid, cb->nlh->nlmsg_seq,
				  &warden_family, NLM_F_MULTI, WARDEN_CMD_CELL_GET);
		if (!hdr) {
			ret = -EMSGSIZE;
			break;
		}
		if (warden_fill_cell(skb, ci, 0)) {
			genlmsg_cancel(skb, hdr);
			ret = -EMSGSIZE;
			break;
		}
		genlmsg_end(skb, hdr);
		cb->args[0] = id;
	}
	mutex_unlock(&warden.lock);
	kfree(ci);

	/* A full skb: the core calls again for the rest (an empty one cannot happen). */
	if (ret == -EMSGSIZE && skb->len)
		return skb->len;
	return ret ?: skb->len;
}

static int warden_cmd_cell_console(struct sk_buff *skb, struct genl_info *info)
{
	struct warden_cell_info *ci;
	u64 pos = 0;
	ssize_t n = 0;
	void *buf;
	u32 id;
	int ret;

	ret = warden_cell_id(info, &id);
	if (ret)
		return ret;
	if (info->attrs[WARDEN_A_CONSOLE_POS])
		pos = nla_get_u64(info->attrs[WARDEN_A_CONSOLE_POS]);

	buf = kmalloc(WARDEN_GENL_CONSOLE_MAX, GFP_KERNEL);
	ci = kzalloc(sizeof(*ci), GFP_KERNEL);
	if (!buf || !ci) {
		ret = -ENOMEM;
		goto out;
	}

	mutex_lock(&warden.lock);
	ret = warden_cell_check_enabled(info->extack);
	if (!ret) {
		n = warden_cell_console_read(&warden, id, buf, WARDEN_GENL_CONSOLE_MAX, &pos);
		ret = n < 0 ? (int)n : warden_cell_get(&warden, id, ci);
	}
	if (ret < 0)
		warden_cell_refused(info->extack, ret, "reading the console of", id);
	mutex_unlock(&warden.lock);
	if (!ret)
		ret = warden_console_reply(info, WARDEN_CMD_CELL_CONSOLE, buf, n, pos, ci->console_head);
out:
	kfree(ci);
	kfree(buf);
	return ret;
}

static int warden_console_written(struct genl_info *info, u32 written)
{
	struct sk_buff *msg = genlmsg_new(nla_total_size(sizeof(u32)), GFP_KERNEL);
	void *hdr;

	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &warden_family, 0, WARDEN_CMD_CELL_CONSOLE_WRITE);
	if (!hdr || nla_put_u32(msg, WARDEN_A_CONSOLE_WRITTEN, written)) {
		nlmsg_free(msg);
		return -EMSGSIZE;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);
}

static int warden_cmd_cell_console_write(struct sk_buff *skb, struct genl_info *info)
{
	const struct nlattr *data = info->attrs[WARDEN_A_CONSOLE_DATA];
	ssize_t n;
	u32 id;
	int ret;

	ret = warden_cell_id(info, &id);
	if (ret)
		return ret;
	if (GENL_REQ_ATTR_CHECK(info, WARDEN_A_CONSOLE_DATA)) {
		NL_SET_ERR_MSG(info->extack, "a console write needs its bytes (WARDEN_A_CONSOLE_DATA)");
		return -EINVAL;
	}
	mutex_lock(&warden.lock);
	ret = warden_cell_check_enabled(info->extack);
	n = ret ?: warden_cell_console_write(&warden, id, nla_data(data), nla_len(data));
	/* Not enabled: warden_cell_check_enabled() said so (its -ENODEV is not the UART's). */
	if (!ret && n == -ENODEV)
		warden_err(info->extack, "cell %u has no virtual UART (its description has no os.uart)", id);
	else if (!ret && n == -EPIPE)
		warden_err(info->extack, "cell %u does not run: nothing reads its UART", id);
	else if (n < 0)
		warden_cell_refused(info->extack, (int)n, "writing to the console of", id);
	mutex_unlock(&warden.lock);
	if (n < 0)
		return (int)n;
	return warden_console_written(info, (u32)n);
}

static const struct genl_ops warden_ops[] = {
	{
		.cmd = WARDEN_CMD_GET,
		.doit = warden_cmd_get,
		.policy = warden_no_attrs_policy,
		.maxattr = WARDEN_A_MAX,
	},
	{
		.cmd = WARDEN_CMD_ENABLE,
		.doit = warden_cmd_enable,
		.policy = warden_enable_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = WARDEN_CMD_DISABLE,
		.doit = warden_cmd_disable,
		.policy = warden_no_attrs_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = WARDEN_CMD_CONSOLE,
		.doit = warden_cmd_console,
		.policy = warden_console_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = WARDEN_CMD_CELL_CREATE,
		.doit = warden_cmd_cell_create,
		.policy = warden_cell_create_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = WARDEN_CMD_CELL_LOAD,
		.doit = warden_cmd_cell_load,
		.policy = warden_cell_load_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = WARDEN_CMD_CELL_START,
		.doit = warden_cmd_cell_start,
		.policy = warden_cell_id_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = WARDEN_CMD_CELL_SHUTDOWN,
		.doit = warden_cmd_cell_shutdown,
		.policy = warden_cell_id_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = WARDEN_CMD_CELL_DESTROY,
		.doit = warden_cmd_cell_destroy,
		.policy = warden_cell_id_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = WARDEN_CMD_CELL_GET,
		.doit = warden_cmd_cell_get,
		.dumpit = warden_cell_dumpit,
		.policy = warden_cell_get_policy,
		.maxattr = WARDEN_A_MAX,
	},
	{
		.cmd = WARDEN_CMD_CELL_CONSOLE,
		.doit = warden_cmd_cell_console,
		.policy = warden_cell_console_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
	{
		.cmd = WARDEN_CMD_CELL_CONSOLE_WRITE,
		.doit = warden_cmd_cell_console_write,
		.policy = warden_cell_console_write_policy,
		.maxattr = WARDEN_A_MAX,
		.flags = GENL_ADMIN_PERM,
	},
};

static struct genl_family warden_family __ro_after_init = {
	.name = WARDEN_GENL_NAME,
	.version = WARDEN_GENL_VERSION,
	.module = THIS_MODULE,
	.ops = warden_ops,
	.n_ops = ARRAY_SIZE(warden_ops),
	.resv_start_op = __WARDEN_CMD_MAX,
	.mcgrps = warden_mcgrps,
	.n_mcgrps = ARRAY_SIZE(warden_mcgrps),
};

/*
 * "net-pf-16-proto-16-family-warden": a CTRL_CMD_GETFAMILY for the name
 * that finds no family makes genetlink request this alias, so the tools'
 * lookup loads the module when it is installed (depmod has run).
 */
MODULE_ALIAS_GENL_FAMILY(WARDEN_GENL_NAME);

/**
 * warden_genl_notify_state() - announce a hypervisor state change
 * @state: the new enum warden_hv_state
 */
void warden_genl_notify_state(u32 state)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &warden_family, 0, WARDEN_CMD_STATE_CHANGED);
	if (!hdr || nla_put_u32(msg, WARDEN_A_STATE, state)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&warden_family, msg, 0, WARDEN_MCGRP_EVENTS, GFP_KERNEL);
}

/**
 * warden_genl_notify_cell() - announce a change of a cell
 * @ci: the cell as it is now (WARDEN_GENL_CELL_DESTROYED in @ci->state for
 *      a cell that was just destroyed)
 *
 * Sends WARDEN_CMD_CELL_CHANGED with the cell attributes to the "events"
 * group. May sleep. Callers that hold warden.lock keep the notifications in
 * the order of the changes.
 */
void warden_genl_notify_cell(const struct warden_cell_info *ci)
{
	warden_genl_notify_destroyed(ci, 0);
}

/**
 * warden_genl_notify_destroyed() - announce a cell, with CPUs it left behind
 * @ci:          as for warden_genl_notify_cell()
 * @quarantined: CPUs of a destroyed cell that did not stop (0: none)
 */
void warden_genl_notify_destroyed(const struct warden_cell_info *ci, u64 quarantined)
{
	struct sk_buff *msg;
	void *hdr;

	msg = genlmsg_new(warden_cell_msg_size(), GFP_KERNEL);
	if (!msg)
		return;
	hdr = genlmsg_put(msg, 0, 0, &warden_family, 0, WARDEN_CMD_CELL_CHANGED);
	if (!hdr || warden_fill_cell(msg, ci, quarantined)) {
		nlmsg_free(msg);
		return;
	}
	genlmsg_end(msg, hdr);
	genlmsg_multicast(&warden_family, msg, 0, WARDEN_MCGRP_EVENTS, GFP_KERNEL);
}

/*
 * Refusal messages
 *
 * Linux 6.1 has no NL_SET_ERR_MSG_FMT, and NL_SET_ERR_MSG() takes a string
 * literal only: a formatted message must be stored by the module, and
 * extack->_msg must still point to it when the ack is built. That happens
 * later than the family's locking suggests. The 6.1 headers say only that
 * doit gets the extack (struct genl_info) and that the family serialises
 * its doits unless parallel_ops is set (struct genl_family); where the ack
 * is built is in the sources, which we read (net/netlink/genetlink.c and
 * net/netlink/af_netlink.c of 6.1, not shipped with the Debian headers):
 *
 *   genl_rcv()      down_read(&cb_lock); netlink_rcv_skb(); up_read(&cb_lock);
 *   netlink_rcv_skb()  err = genl_rcv_msg(...); then netlink_ack(..., &extack)
 *   genl_rcv_msg()  genl_lock(); genl_family_rcv_msg() -> our doit; genl_unlock();
 *
 * So netlink_ack(), which measures the message with strlen() and then copies
 * it, runs after genl_unlock(): a single static buffer could be rewritten by
 * another request's doit while this request's ack reads it (a wrong text, or
 * netlink_ack()'s WARN_ON when the text grew in between). What does cover
 * the ack is cb_lock, held for reading by every sender, and
 * genl_unregister_family() takes it for writing.
 *
 * Hence: every distinct text is kept, never changed, until the family is
 * unregistered (after which no ack can point to it). The same cause gives
 * the same text, so the list stays short; past WARDEN_ERR_KEEP_MAX texts the
 * extack gets a fixed message pointing to the kernel log, which always has
 * the full text.
 */
#define WARDEN_ERR_LEN		256
#define WARDEN_ERR_KEEP_MAX	256

struct warden_err_text {
	struct warden_err_text *next;
	char text[];
};

static DEFINE_SPINLOCK(warden_err_lock);
static struct warden_err_text *warden_err_texts;
static unsigned int warden_err_count;

/* A copy of @text that stays unchanged until unregistration, or NULL. */
static const char *warden_err_keep(const char *text)
{
	size_t len = strlen(text) + 1;
	struct warden_err_text *t;
	unsigned long flags;

	spin_lock_irqsave(&warden_err_lock, flags);
	for (t = warden_err_texts; t; t = t->next)
		if (!strcmp(t->text, text))
			goto out;
	if (warden_err_count < WARDEN_ERR_KEEP_MAX) {
		/* Atomic: callers may hold spinlocks or run with preemption off. */
		t = kmalloc(sizeof(*t) + len, GFP_ATOMIC);
		if (t) {
			memcpy(t->text, text, len);
			t->next = warden_err_texts;
			warden_err_texts = t;
			warden_err_count++;
		}
	}
out:
	spin_unlock_irqrestore(&warden_err_lock, flags);
	return t ? t->text : NULL;
}

static void warden_err_forget(void)
{
	struct warden_err_text *t, *next;

	for (t = warden_err_texts; t; t = next) {
		next = t->next;
		kfree(t);
	}
	warden_err_texts = NULL;
	warden_err_count = 0;
}

/**
 * warden_err() - refuse a request, saying why
 * @extack: the request's extack, or NULL (then only the kernel log has it)
 * @fmt: printf format of the message, which names the cause
 *
 * The message goes to the kernel log at notice level and, with @extack, to
 * user space in the request's ack. Callable in process and atomic context.
 */
void warden_err(struct netlink_ext_ack *extack, const char *fmt, ...)
{
	char buf[WARDEN_ERR_LEN];
	const char *kept;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	pr_notice("%s\n", buf);
	if (!extack)
		return;

	kept = warden_err_keep(buf);
	if (!kept) {
		NL_SET_ERR_MSG(extack, "refused; the reason is in the kernel log");
		return;
	}
	/* What NL_SET_ERR_MSG() does, for a string that is not a literal. */
	do_trace_netlink_extack(kept);
	extack->_msg = kept;
}

int warden_genl_register(void)
{
	BUILD_BUG_ON(WARDEN_GENL_SYSTEM_MAX > WARDEN_CONFIG_MAX_SIZE);
	BUILD_BUG_ON(WARDEN_GENL_SYSTEM_MAX > U16_MAX - NLA_HDRLEN);
	BUILD_BUG_ON(WARDEN_GENL_CELL_LOAD_MAX > WARDEN_CELL_LOAD_MAX);
	BUILD_BUG_ON(WARDEN_GENL_CELL_LOAD_MAX > U16_MAX - NLA_HDRLEN);
	BUILD_BUG_ON(WARDEN_GENL_CELL_DESTROYED == WARDEN_CELL_CREATED);
	return genl_register_family(&warden_family);
}

void warden_genl_unregister(void)
{
	/* Waits, through cb_lock, for every ack being built: then no one points to a text. */
	genl_unregister_family(&warden_family);
	warden_err_forget();
}
