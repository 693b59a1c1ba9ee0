// SPDX-License-Identifier: GPL-2.0-only
/*
 * The generic netlink family "warden" (ABI: include/warden/genl.h).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/cpumask.h>
#include <net/genetlink.h>
#include "warden.h"

enum warden_mcgrp {
	WARDEN_MCGRP_EVENTS,
};

static const struct genl_multicast_group warden_mcgrps[] = {
	[WARDEN_MCGRP_EVENTS] = { .name = WARDEN_GENL_MCGRP_EVENTS },
};

/* GET takes no attributes: with strict validation, any attribute is refused. */
static const struct nla_policy warden_get_policy[WARDEN_A_MAX + 1] = {};

static struct genl_family warden_family;

static int warden_fill_info(struct sk_buff *skb)
{
	const struct warden_image_header *h = &warden.header;

	if (nla_put_string(skb, WARDEN_A_MODULE_VERSION, WARDEN_VERSION) ||
	    nla_put_string(skb, WARDEN_A_HV_VERSION, h->version) ||
	    nla_put_u32(skb, WARDEN_A_HV_ABI, h->abi) ||
	    nla_put_u64_64bit(skb, WARDEN_A_HV_SIZE, warden.image_size, WARDEN_A_UNSPEC) ||
	    nla_put_u32(skb, WARDEN_A_STATE, warden.state) ||
	    nla_put_u32(skb, WARDEN_A_CPUS_POSSIBLE, num_possible_cpus()) ||
	    nla_put_u32(skb, WARDEN_A_CPUS_ONLINE, num_online_cpus()))
		return -EMSGSIZE;
	return 0;
}

static int warden_cmd_get(struct sk_buff *skb, struct genl_info *info)
{
	struct sk_buff *msg;
	void *hdr;
	int ret;

	msg = genlmsg_new(NLMSG_GOODSIZE, GFP_KERNEL);
	if (!msg)
		return -ENOMEM;
	hdr = genlmsg_put_reply(msg, info, &warden_family, 0, WARDEN_CMD_GET);
	if (!hdr) {
		ret = -EMSGSIZE;
		goto err_free;
	}
	mutex_lock(&warden.lock);
	ret = warden_fill_info(msg);
	mutex_unlock(&warden.lock);
	if (ret) {
		NL_SET_ERR_MSG(info->extack, "reply does not fit one message");
		goto err_free;
	}
	genlmsg_end(msg, hdr);
	return genlmsg_reply(msg, info);

err_free:
	nlmsg_free(msg);
	return ret;
}

static const struct genl_ops warden_ops[] = {
	{
		.cmd = WARDEN_CMD_GET,
		.doit = warden_cmd_get,
		.policy = warden_get_policy,
		.maxattr = WARDEN_A_MAX,
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

int warden_genl_register(void)
{
	return genl_register_family(&warden_family);
}

void warden_genl_unregister(void)
{
	genl_unregister_family(&warden_family);
}
