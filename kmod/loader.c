// SPDX-License-Identifier: GPL-2.0-only
/*
 * Loading and checking the hypervisor image (warden-arm64.bin).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/firmware.h>
#include <linux/sizes.h>
#include <linux/string.h>
#include <linux/vmalloc.h>
#include "warden.h"

/* Pin the shared ABI in the module's build too. */
#include <warden/abi-check.c>

static bool all_zero(const void *p, size_t n)
{
	return !memchr_inv(p, 0, n);
}

/**
 * warden_image_check() - check an image header against the file it heads
 * @data: the image file
 * @size: bytes in @data
 * @why:  set to a description of the first problem found
 *
 * Return: 0 when the image is usable, -EINVAL (or -EPROTO for an image built
 * for another ABI revision) with @why set otherwise.
 */
int warden_image_check(const void *data, size_t size, const char **why)
{
	const struct warden_image_header *h = data;

	if (size < sizeof(*h))
		return *why = "file shorter than the image header", -EINVAL;
	if (memcmp(h->magic, WARDEN_IMAGE_MAGIC, WARDEN_IMAGE_MAGIC_LEN))
		return *why = "bad magic: not a Warden hypervisor image", -EINVAL;
	if (h->abi != WARDEN_IMAGE_ABI)
		return *why = "image built for another ABI revision", -EPROTO;
	if (h->header_size != sizeof(*h))
		return *why = "header_size does not match the ABI", -EINVAL;
	if (!memchr(h->version, 0, sizeof(h->version)))
		return *why = "version string not terminated", -EINVAL;
	if (h->image_size != size)
		return *why = "image_size does not match the file size", -EINVAL;
	if (h->core_size < h->image_size || !IS_ALIGNED(h->core_size, SZ_4K))
		return *why = "core_size smaller than the image or not page aligned", -EINVAL;
	if (h->entry < sizeof(*h) || h->entry >= h->image_size || h->entry % 4)
		return *why = "entry outside the image or misaligned", -EINVAL;
	if (h->vectors >= h->image_size || h->vectors % WARDEN_VECTORS_ALIGN)
		return *why = "vectors outside the image or not 2 KiB aligned", -EINVAL;
	if (!h->max_cpus)
		return *why = "max_cpus is zero", -EINVAL;
	if (h->online_cpus || h->phys_base || !all_zero(h->reserved, sizeof(h->reserved)))
		return *why = "loader or reserved fields not zero", -EINVAL;
	return 0;
}

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
