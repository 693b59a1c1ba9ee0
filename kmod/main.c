// SPDX-License-Identifier: GPL-2.0-only
/*
 * warden.ko: loads the Warden hypervisor and speaks generic netlink.
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/module.h>
#include "warden.h"

struct warden warden = {
	.lock = __MUTEX_INITIALIZER(warden.lock),
	.state = WARDEN_HV_DISABLED,
};

static int __init warden_init(void)
{
	int ret;

	warden_events_init(&warden);
	ret = warden_ksym_init();
	if (ret)
		return ret;
	ret = warden_el2_check();
	if (ret)
		return ret;

	warden.dev = root_device_register("warden");
	if (IS_ERR(warden.dev))
		return PTR_ERR(warden.dev);
	ret = warden_image_load(&warden);
	if (ret)
		goto err_unregister_dev;
	ret = warden_el2_probe(&warden);
	if (ret)
		goto err_free_image;
	ret = warden_genl_register();
	if (ret) {
		pr_err("cannot register the generic netlink family '%s' (error %d)\n",
		       WARDEN_GENL_NAME, ret);
		goto err_free_image;
	}
	pr_info("version %s loaded, hypervisor %s\n", WARDEN_VERSION, warden.header.version);
	return 0;

err_free_image:
	warden_image_free(&warden);
err_unregister_dev:
	root_device_unregister(warden.dev);
	return ret;
}

static void __exit warden_exit(void)
{
	warden_genl_unregister();
	warden_hv_exit(&warden);
	cancel_work_sync(&warden.event_work);
	warden_image_free(&warden);
	root_device_unregister(warden.dev);
	pr_info("unloaded\n");
}

module_init(warden_init);
module_exit(warden_exit);

MODULE_DESCRIPTION("Warden static partitioning hypervisor loader");
MODULE_AUTHOR("The Warden developers");
MODULE_LICENSE("GPL");
MODULE_VERSION(WARDEN_VERSION);
MODULE_FIRMWARE(WARDEN_FIRMWARE_NAME);
