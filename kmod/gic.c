// SPDX-License-Identifier: GPL-2.0-only
/*
 * The interrupt controller as Linux knows it: its device tree node, for
 * the hypervisor's event interrupt and for checking the system
 * description's GIC against the machine before the hypervisor is loaded.
 * The hypervisor checks the version again from the hardware; a frame at a
 * wrong address it could only find by faulting, so the frames are checked
 * here, against what Linux's own GIC driver uses.
 */
#include <linux/of.h>
#include <linux/of_address.h>
#include "warden.h"

static const struct of_device_id gic_ids[] = {
	{ .compatible = "arm,gic-v3", .data = (void *)WARDEN_GIC_V3 },
	{ .compatible = "arm,gic-400", .data = (void *)WARDEN_GIC_V2 },
	{ .compatible = "arm,cortex-a15-gic", .data = (void *)WARDEN_GIC_V2 },
	{ .compatible = "arm,cortex-a7-gic", .data = (void *)WARDEN_GIC_V2 },
	{ }
};

/* The GIC's node (put it with of_node_put()), or NULL; @version: its GIC version. */
struct device_node *warden_gic_node(u32 *version)
{
	const struct of_device_id *match;
	struct device_node *np;

	np = of_find_matching_node_and_match(NULL, gic_ids, &match);
	if (np && version)
		*version = (u32)(uintptr_t)match->data;
	return np;
}

static const char *const v3_frames[] = { "distributor", "redistributors" };
static const char *const v2_frames[] = {
	"distributor", "cpu-interface", "hypervisor-interface", "virtual-cpu-interface",
};

/* Compare frame @i of the description (@base) with the node's reg entry @i. */
static int check_frame(struct device_node *np, int i, const char *name, u64 base,
		       struct netlink_ext_ack *extack)
{
	struct resource res;

	if (of_address_to_resource(np, i, &res)) {
		warden_err(extack, "system GIC %s at %#llx: the device tree's GIC %pOF has no such frame%s",
			   name, base, np, i >= 2 ? " (no virtualization extensions)" : "");
		return -ENODEV;
	}
	if (res.start != base) {
		warden_err(extack, "system GIC %s at %#llx: the device tree's GIC %pOF has it at %#llx",
			   name, base, np, (u64)res.start);
		return -ENODEV;
	}
	return 0;
}

/* Does @sys's GIC (version and frames) match the device tree's? */
int warden_gic_check(const struct warden_system *sys, struct netlink_ext_ack *extack)
{
	const u64 v3[] = { sys->gicd_base, sys->gicr_base };
	const u64 v2[] = { sys->gicd_base, sys->gicc_base, sys->gich_base, sys->gicv_base };
	struct device_node *np;
	u32 version = 0;
	int i, n, ret = 0;

	np = warden_gic_node(&version);
	if (!np) {
		pr_warn("no GIC in the device tree: the system's GIC frames are not checked\n");
		return 0;
	}
	if (version != sys->gic_version) {
		warden_err(extack, "system GIC is version %u: the device tree's GIC %pOF is version %u",
			   sys->gic_version, np, version);
		ret = -ENODEV;
	}
	n = version == WARDEN_GIC_V3 ? ARRAY_SIZE(v3) : ARRAY_SIZE(v2);
	for (i = 0; !ret && i < n; i++)
		ret = version == WARDEN_GIC_V3 ? check_frame(np, i, v3_frames[i], v3[i], extack) :
						 check_frame(np, i, v2_frames[i], v2[i], extack);
	of_node_put(np);
	return ret;
}
