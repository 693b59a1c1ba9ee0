/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * warden.ko: state shared by the module's parts.
 */
#ifndef _WARDEN_KMOD_H
#define _WARDEN_KMOD_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <warden/genl.h>
#include <warden/hypercall.h>

#define WARDEN_FIRMWARE_NAME "warden-arm64.bin"

/**
 * struct warden - the one instance of the module's state
 * @lock:  serialises state changes and netlink commands that mutate
 * @dev:   root device /sys/devices/warden, for firmware loading and sysfs
 * @image: copy of the checked hypervisor image (vmalloc)
 * @image_size: bytes in @image
 * @header: the image's header, as checked
 * @state: enum warden_hv_state
 */
struct warden {
	struct mutex lock;
	struct device *dev;
	void *image;
	size_t image_size;
	struct warden_image_header header;
	u32 state;
};

extern struct warden warden;

/* ksym.c: symbols the kernel does not export, looked up by name */
int warden_ksym_init(void);
unsigned long warden_ksym_lookup(const char *name);

/* el2.c */
int warden_el2_check(void);
int warden_el2_probe(struct warden *w);

/* loader.c */
int warden_image_load(struct warden *w);
void warden_image_free(struct warden *w);

/* genl.c */
int warden_genl_register(void);
void warden_genl_unregister(void);
void warden_genl_notify_state(u32 state);

#endif /* _WARDEN_KMOD_H */
