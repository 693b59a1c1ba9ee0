/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * warden.ko: state shared by the module's parts.
 */
#ifndef _WARDEN_KMOD_H
#define _WARDEN_KMOD_H

#include <linux/device.h>
#include <linux/mutex.h>
#include <linux/types.h>
#include <linux/workqueue.h>
#include <warden/genl.h>
#include <warden/hypercall.h>
#include <warden/config.h>

#define WARDEN_FIRMWARE_NAME "warden-arm64.bin"

/**
 * struct warden - the one instance of the module's state
 * @lock:  serialises state changes and netlink commands that mutate
 * @dev:   root device /sys/devices/warden, for firmware loading and sysfs
 * @image: copy of the checked hypervisor image (vmalloc)
 * @image_size: bytes in @image
 * @header: the image's header, as checked
 * @state: enum warden_hv_state
 * @hv_mem_base: the hypervisor's memory while enabled (from the system blob)
 * @hv_mem_size: its size
 * @system_name: the enabled system blob's name
 * @event_virq: Linux's number for the hypervisor's event SPI while enabled, or 0
 * @event_work: turns an event interrupt into netlink notifications
 */
struct warden {
	struct mutex lock;
	struct device *dev;
	void *image;
	size_t image_size;
	struct warden_image_header header;
	u32 state;
	u64 hv_mem_base;
	u64 hv_mem_size;
	char system_name[WARDEN_NAME_LEN];
	int event_virq;
	struct work_struct event_work;
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

/* hv.c: enabling and disabling the hypervisor; all called with warden.lock held */
struct netlink_ext_ack;
int warden_hv_enable(struct warden *w, const void *blob, u32 size, struct netlink_ext_ack *extack);
int warden_hv_disable(struct warden *w, struct netlink_ext_ack *extack);
int warden_hv_get_info(struct warden *w, struct warden_hv_info *info);
u64 warden_hv_quarantined(struct warden *w, u64 unknown);
ssize_t warden_hv_console_read(struct warden *w, void *buf, size_t size, u64 *pos);
void warden_hv_exit(struct warden *w);	/* module unload: disable if enabled */

/*
 * cell.c: cells; all called with warden.lock held. Cells are named by id
 * here (user space resolves names through warden_cell_get()). Failures set
 * an extack message through warden_err().
 */
int warden_cell_create(struct warden *w, const void *blob, u32 size, struct netlink_ext_ack *extack);
int warden_cell_load(struct warden *w, u32 id, u32 region, u64 offset, const void *data, u32 size,
		     struct netlink_ext_ack *extack);
int warden_cell_start(struct warden *w, u32 id, struct netlink_ext_ack *extack);
/* 0: stopped; 1: a cooperative cell was asked (the answer comes as an event) */
int warden_cell_shutdown(struct warden *w, u32 id, struct netlink_ext_ack *extack);
int warden_cell_destroy(struct warden *w, u32 id, struct netlink_ext_ack *extack);
/* -ENOENT when there is no cell @id */
int warden_cell_get(struct warden *w, u32 id, struct warden_cell_info *info);
/* The smallest cell id above @id, 0 when none: for dumps. */
u32 warden_cell_next(struct warden *w, u32 id);
ssize_t warden_cell_console_read(struct warden *w, u32 id, void *buf, size_t size, u64 *pos);
ssize_t warden_cell_console_write(struct warden *w, u32 id, const void *data, size_t size);
/* gic.c */
struct device_node *warden_gic_node(u32 *version);
int warden_gic_check(const struct warden_system *sys, struct netlink_ext_ack *extack);

void warden_events_init(struct warden *w);
int warden_events_start(struct warden *w, u32 spi, struct netlink_ext_ack *extack);
void warden_events_stop(struct warden *w);

/* genl.c */
/* Multicast a cell's state (WARDEN_CMD_CELL_CHANGED on the events group); any context that may sleep. */
void warden_genl_notify_cell(const struct warden_cell_info *info);
void warden_genl_notify_destroyed(const struct warden_cell_info *info, u64 quarantined);
/*
 * warden_err() - refuse a request: the message goes to the extack (so the
 * user sees it) and to the kernel log. Formatted into a module buffer, which
 * is safe because the family's doit handlers run under genl_lock.
 */
__printf(2, 3) void warden_err(struct netlink_ext_ack *extack, const char *fmt, ...);
int warden_genl_register(void);
void warden_genl_unregister(void);
void warden_genl_notify_state(u32 state);

#endif /* _WARDEN_KMOD_H */
