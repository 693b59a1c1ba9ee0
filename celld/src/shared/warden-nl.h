/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The one client of warden.ko's generic netlink family "warden" (include/warden/genl.h),
 * shared by celld and the warden CLI.
 *
 * Non-logging library code: functions return negative errno values. When a call failed and
 * the kernel (or the library) had more to say than the errno, warden_nl_strerror() returns
 * that text, e.g. the extack message of a refusal.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <warden/genl.h>

#include "macro.h"

#define _WARDEN_HV_STATE_INVALID (-EINVAL)

/* enum warden_hv_state <-> "disabled", "enabled", "failed". */
const char *warden_hv_state_to_string(int s) _pure_;
int warden_hv_state_from_string(const char *s) _pure_;
/* For printing a value the module sent: its name, or "unknown" for one this build does not know. */
const char *warden_hv_state_name(uint32_t state) _pure_;

/* The reply to WARDEN_CMD_GET. Attributes the module did not send are empty or 0. */
typedef struct WardenInfo {
        char module_version[WARDEN_GENL_STRING_MAX];
        char hv_version[WARDEN_GENL_STRING_MAX];
        uint32_t hv_abi;
        uint64_t hv_size;
        uint32_t state;                 /* enum warden_hv_state, as the module sent it */
        uint32_t cpus_possible;
        uint32_t cpus_online;
} WardenInfo;

/* A request socket. The family is resolved on first use and again after a module reload. */
typedef struct WardenNl WardenNl;

int warden_nl_new(WardenNl **ret);
WardenNl *warden_nl_free(WardenNl *nl);
DEFINE_TRIVIAL_CLEANUP_FUNC(WardenNl *, warden_nl_free);

/* -ENOENT: the family is not registered, i.e. warden.ko is not loaded. */
int warden_nl_resolve(WardenNl *nl);
/* Drops the resolved family id (the module went away or came back). */
void warden_nl_forget(WardenNl *nl);
int warden_nl_get(WardenNl *nl, WardenInfo *ret);
/* Why the last call failed with @r: the kernel's extack text, or our own, or strerror. */
const char *warden_nl_strerror(const WardenNl *nl, int r);

typedef enum WardenEventType {
        WARDEN_EVENT_STATE_CHANGED,     /* WARDEN_CMD_STATE_CHANGED from the module */
        WARDEN_EVENT_MODULE_LOADED,     /* nlctrl: family "warden" registered */
        WARDEN_EVENT_MODULE_UNLOADED,   /* nlctrl: family "warden" unregistered */
        WARDEN_EVENT_LOST,              /* receive queue overran: re-read the state */
        _WARDEN_EVENT_TYPE_MAX,
        _WARDEN_EVENT_TYPE_INVALID = -EINVAL,
} WardenEventType;

const char *warden_event_type_to_string(WardenEventType t) _pure_;
WardenEventType warden_event_type_from_string(const char *s) _pure_;

typedef struct WardenEvent {
        WardenEventType type;
        uint32_t state;                 /* STATE_CHANGED: enum warden_hv_state */
        uint16_t family_id;             /* MODULE_LOADED, MODULE_UNLOADED */
        uint32_t events_group;          /* MODULE_LOADED: 0 if the family has no "events" group */
} WardenEvent;

/* Return a negative errno to stop receiving; warden_events_receive() returns it. */
typedef int (*warden_event_handler_t)(const WardenEvent *event, void *userdata);

/*
 * A non-blocking multicast socket subscribed to nlctrl's "notify" group and, while the module
 * is loaded, to the module's "events" group; it follows the module across reloads by itself.
 * Poll its fd for EPOLLIN (e.g. an sd_event io source) and call warden_events_receive().
 */
typedef struct WardenEvents WardenEvents;

int warden_events_new(WardenNl *nl, WardenEvents **ret);
WardenEvents *warden_events_free(WardenEvents *ev);
DEFINE_TRIVIAL_CLEANUP_FUNC(WardenEvents *, warden_events_free);

int warden_events_get_fd(const WardenEvents *ev);
/* Handles every queued message without blocking. Returns 0 or the handler's error. */
int warden_events_receive(WardenEvents *ev, warden_event_handler_t handler, void *userdata);
