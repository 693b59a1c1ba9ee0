// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading and checking the hypervisor image (warden-arm64.bin).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/firmware.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "warden.h"
#include <warden/image-check.h>
/* Not used yet (ENABLE arrives with the hypervisor core); compiled so the kernel build checks it. */
#include <warden/config-check.h>

/* Pin the shared ABI in the module's build too. */
#include <warden/abi-check.c>

/**
 * warden_image_load() - fetch the image with request_firmware and check it
 * @w: module state; on success @w->image, @w->image_size and @w->header are set
 *
 * Return: 0 or negative errno; every failure is logged with its cause.
 */
int warden_image_load(struct warden *w)
{
	const struct firmware *fw;
	const char *why;
	int ret;

	ret = request_firmware(&fw, WARDEN_FIRMWARE_NAME, w->dev);
	if (ret) {
		pr_err("cannot load: hypervisor image %s not found in the firmware search path (/lib/firmware) (error %d)\n",
		       WARDEN_FIRMWARE_NAME, ret);
		return ret;
	}
	ret = warden_image_check(fw->data, fw->size, &why);
	if (ret) {
		pr_err("cannot load: %s: %s\n", WARDEN_FIRMWARE_NAME, why);
		goto out_release;
	}
	w->image = vmalloc(fw->size);
	if (!w->image) {
		ret = -ENOMEM;
		goto out_release;
	}
	memcpy(w->image, fw->data, fw->size);
	w->image_size = fw->size;
	memcpy(&w->header, fw->data, sizeof(w->header));
	pr_info("hypervisor image %s version %s (ABI %u, %zu bytes)\n",
		WARDEN_FIRMWARE_NAME, w->header.version, w->header.abi, w->image_size);
out_release:
	release_firmware(fw);
	return ret;
}

void warden_image_free(struct warden *w)
{
	vfree(w->image);
	w->image = NULL;
	w->image_size = 0;
}
