/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * The check of a hypervisor image header against the file it heads, shared
 * by warden.ko (before it uses an image) and the host tests (which run it on
 * the image the build produced and on corrupted copies of it).
 *
 * The includer provides memcmp() and memchr() (<linux/string.h> in the
 * kernel, <string.h> in user space).
 */
#ifndef _WARDEN_IMAGE_CHECK_H
#define _WARDEN_IMAGE_CHECK_H

#include <warden/hypercall.h>

static inline int warden_image_zero(const void *p, unsigned long n)
{
	const unsigned char *c = (const unsigned char *)p;

	while (n--)
		if (*c++)
			return 0;
	return 1;
}

/**
 * warden_image_check() - check an image header against the file it heads
 * @data: the image file
 * @size: bytes in @data
 * @why:  set to a description of the first problem found
 *
 * Return: 0 when the image is usable; -EINVAL (-EPROTO for an image built
 * for another ABI revision) with @why set otherwise.
 */
static inline int warden_image_check(const void *data, unsigned long size, const char **why)
{
	const struct warden_image_header *h = (const struct warden_image_header *)data;

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
	if (h->core_size < h->image_size || h->core_size % 4096)
		return *why = "core_size smaller than the image or not a multiple of 4 KiB", -EINVAL;
	if (h->entry < sizeof(*h) || h->entry >= h->image_size || h->entry % 4)
		return *why = "entry outside the image or misaligned", -EINVAL;
	if (h->vectors < sizeof(*h) || h->vectors >= h->image_size ||
	    h->vectors % WARDEN_VECTORS_ALIGN)
		return *why = "vectors outside the image or not 2 KiB aligned", -EINVAL;
	if (!h->max_cpus)
		return *why = "max_cpus is zero", -EINVAL;
	if (h->online_cpus || h->phys_base || !warden_image_zero(h->reserved, sizeof(h->reserved)))
		return *why = "loader or reserved fields not zero", -EINVAL;
	return 0;
}

#endif /* _WARDEN_IMAGE_CHECK_H */
