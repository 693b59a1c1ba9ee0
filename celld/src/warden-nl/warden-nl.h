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

#include <warden/config.h>
#include <warden/genl.h>
#include <warden/hypercall.h>

#include "macro.h"

#define _WARDEN_HV_STATE_INVALID (-EINVAL)

/* enum warden_hv_state <-> "disabled", "enabled", "failed". */
const char *warden_hv_state_to_string(int s) _pure_;
int warden_hv_state_from_string(const char *s) _pure_;
/* For printing a value the module sent: its name, or "unknown" for one this build does not know. */
const char *warden_hv_state_name(uint32_t state) _pure_;

/* WARDEN_EXIT_* <-> "hvc", "smc", "dabt", "iabt", "sysreg", "irq", "wfx", "other". */
const char *warden_exit_reason_to_string(int r) _pure_;
int warden_exit_reason_from_string(const char *s) _pure_;

/* One CPU's exits to the hypervisor, indexed by WARDEN_EXIT_*. */
typedef struct WardenCpuStats {
        uint32_t cpu;
        uint64_t exits[WARDEN_EXIT_MAX];
} WardenCpuStats;

/* The reply to WARDEN_CMD_GET. Attributes the module did not send are empty or 0. */
typedef struct WardenInfo {
        char module_version[WARDEN_GENL_STRING_MAX];
        char hv_version[WARDEN_GENL_STRING_MAX];
        uint32_t hv_abi;
        uint64_t hv_size;
        uint32_t state;                 /* enum warden_hv_state, as the module sent it */
        uint32_t cpus_possible;
        uint32_t cpus_online;

        /* The hypervisor's own figures, sent while it is enabled: then has_hv_info is set. */
        bool has_hv_info;
        char system_name[WARDEN_GENL_STRING_MAX];
        uint64_t hv_mem_base;
        uint64_t hv_mem_size;
        uint64_t pool_pages;            /* 4 KiB pages */
        uint64_t pool_used;
        uint64_t cpus_enabled;          /* bit N: CPU N */
        uint32_t cells;
        uint64_t root_s2_tables;
        uint64_t root_s2_pages;
        uint64_t root_s2_blocks_2m;
        uint64_t root_s2_blocks_1g;
        uint64_t root_s2_bytes;
        uint64_t console_head;
        uint64_t cpus_quarantined;      /* bit N: CPU N kept by the hypervisor until reset */
        size_t n_cpu_stats;
        WardenCpuStats cpu_stats[WARDEN_BOOT_MAX_CPUS];
} WardenInfo;

/* The reply to WARDEN_CMD_CONSOLE: a piece of the hypervisor's log. */
typedef struct WardenConsole {
        uint64_t pos;                   /* position of data[0] in the log */
        uint64_t head;                  /* bytes written to the log so far */
        size_t size;                    /* bytes in data */
        uint8_t data[WARDEN_GENL_CONSOLE_MAX];
} WardenConsole;

/*
 * Cell states (WARDEN_CELL_* of hypercall.h, and WARDEN_GENL_CELL_DESTROYED) as users read
 * them: "created", "running", "running/locked" (running with WARDEN_CELL_INFO_LOCKED),
 * "shut down", "failed", "destroyed"; "unknown" for a value this build does not know.
 */
const char *warden_cell_state_name(uint32_t state, uint32_t flags) _pure_;
/* WARDEN_STOP_* <-> "none", "root", "system-off", "system-reset", "approved", "fault", "forced", "cpus-off". */
const char *warden_stop_reason_to_string(int r) _pure_;
int warden_stop_reason_from_string(const char *s) _pure_;
/* WARDEN_FAULT_* <-> "none", "data-abort", "instruction-abort", "sysreg", "psci", "gic", "unknown". */
const char *warden_fault_kind_to_string(int k) _pure_;
int warden_fault_kind_from_string(const char *s) _pure_;

/* What a failed cell did (the WARDEN_A_CELL_FAULT nest). */
typedef struct WardenCellFault {
        uint32_t kind;                  /* WARDEN_FAULT_* */
        uint32_t cpu;
        uint64_t esr;
        uint64_t address;
        uint64_t pc;
} WardenCellFault;

/* A cell: the reply to WARDEN_CMD_CELL_GET, one entry of its dump, or a CELL_CHANGED event. */
typedef struct WardenCellInfo {
        uint32_t id;
        char name[WARDEN_NAME_LEN];
        uint32_t state;                 /* WARDEN_CELL_*, or WARDEN_GENL_CELL_DESTROYED */
        uint32_t flags;                 /* WARDEN_CELL_INFO_* */
        uint32_t stop_reason;           /* WARDEN_STOP_* */
        uint64_t cpus;                  /* bit N: CPU N */
        uint64_t cpus_running;
        uint64_t mem_bytes;
        uint64_t console_head;
        uint64_t heartbeat;
        uint64_t starts;
        uint64_t exits;
        bool has_fault;
        WardenCellFault fault;
        uint64_t quarantined;           /* a destroyed cell's CPUs that did not stop */
} WardenCellInfo;

/* A request socket. The family is resolved on first use and again after a module reload. */
typedef struct WardenNl WardenNl;

int warden_nl_new(WardenNl **ret);
WardenNl *warden_nl_free(WardenNl *nl);
DEFINE_TRIVIAL_CLEANUP_FUNC(WardenNl *, warden_nl_free);

/* Why warden_nl_resolve() found no family: without autoload, and after the kernel's attempt. */
#define WARDEN_NL_NOT_LOADED \
        "warden.ko is not loaded (generic netlink family '" WARDEN_GENL_NAME "' not found)"
#define WARDEN_NL_NOT_LOADABLE                                                                   \
        "warden.ko is not loaded, and loading it on demand failed (generic netlink family '"    \
        WARDEN_GENL_NAME "' not found; 'modprobe warden' and the kernel log say why)"

/*
 * Looking the family up makes the kernel load warden.ko on demand (its alias
 * "net-pf-16-proto-16-family-warden"), unless @autoload is false: a listener that reports
 * whether the module is loaded must not load it.
 */
void warden_nl_set_autoload(WardenNl *nl, bool autoload);
/* -ENOENT: the family is not registered: warden.ko is not loaded (and could not be). */
int warden_nl_resolve(WardenNl *nl);
/* Drops the resolved family id (the module went away or came back). */
void warden_nl_forget(WardenNl *nl);
int warden_nl_get(WardenNl *nl, WardenInfo *ret);
/*
 * Administrative requests (CAP_NET_ADMIN; -EPERM without it, with no text from the kernel).
 * A refusal's reason is in warden_nl_strerror().
 */
/* Hands the module a compiled system blob; -EMSGSIZE if it is over WARDEN_GENL_SYSTEM_MAX. */
int warden_nl_enable(WardenNl *nl, const void *blob, size_t size);
int warden_nl_disable(WardenNl *nl);
/* Reads the hypervisor's log from position @pos (see WARDEN_CMD_CONSOLE in genl.h). */
int warden_nl_console(WardenNl *nl, uint64_t pos, WardenConsole *ret);

/*
 * Cells (include/warden/genl.h). The administrative ones need CAP_NET_ADMIN; reading needs
 * nothing. A cell is named by its id; warden_nl_cell_get_by_name() finds the id of a name.
 */
/* Hands the module a compiled cell blob; the new cell's id in @ret_id. */
int warden_nl_cell_create(WardenNl *nl, const void *blob, size_t size, uint32_t *ret_id);
/*
 * Writes @size bytes at @offset into loadable region @region of cell @id, in requests of at
 * most WARDEN_CELL_LOAD_CHUNK bytes. On failure *ret_done (if not NULL) says how many bytes
 * were written before.
 */
#define WARDEN_CELL_LOAD_CHUNK (14 * 4096)
int warden_nl_cell_load(WardenNl *nl, uint32_t id, uint32_t region, uint64_t offset, const void *data,
                        size_t size, size_t *ret_done);
int warden_nl_cell_start(WardenNl *nl, uint32_t id);
/* *ret_asked: false when the cell stopped, true when a cooperative cell was asked. */
int warden_nl_cell_shutdown(WardenNl *nl, uint32_t id, bool *ret_asked);
int warden_nl_cell_destroy(WardenNl *nl, uint32_t id);
/* -ENOENT, with the module's message, when there is no such cell. */
int warden_nl_cell_get(WardenNl *nl, uint32_t id, WardenCellInfo *ret);
int warden_nl_cell_get_by_name(WardenNl *nl, const char *name, WardenCellInfo *ret);
/* Every cell, in the order of their ids (a dump); *ret is malloc'ed, NULL for none. */
int warden_nl_cell_list(WardenNl *nl, WardenCellInfo **ret, size_t *ret_n);
/* Reads cell @id's console from position @pos (see WARDEN_CMD_CELL_CONSOLE in genl.h). */
int warden_nl_cell_console(WardenNl *nl, uint32_t id, uint64_t pos, WardenConsole *ret);
/*
 * Gives 1 to WARDEN_GENL_CONSOLE_WRITE_MAX bytes to cell @id's virtual UART (see
 * WARDEN_CMD_CELL_CONSOLE_WRITE in genl.h); *@ret_written: how many it took (0: its FIFO is full).
 */
int warden_nl_cell_console_write(WardenNl *nl, uint32_t id, const void *data, size_t size, size_t *ret_written);

/* Why the last call failed with @r: the kernel's extack text, or our own, or strerror. */
const char *warden_nl_strerror(const WardenNl *nl, int r);
/*
 * The last call's failure text (the kernel's extack message, or our own), or the warning that
 * came with its success; NULL if none.
 */
const char *warden_nl_message(const WardenNl *nl);

typedef enum WardenEventType {
        WARDEN_EVENT_STATE_CHANGED,     /* WARDEN_CMD_STATE_CHANGED from the module */
        WARDEN_EVENT_MODULE_LOADED,     /* nlctrl: family "warden" registered */
        WARDEN_EVENT_MODULE_UNLOADED,   /* nlctrl: family "warden" unregistered */
        WARDEN_EVENT_LOST,              /* receive queue overran: re-read the state */
        WARDEN_EVENT_CELL_CHANGED,      /* WARDEN_CMD_CELL_CHANGED; only with warden_events_want_cells() */
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
        WardenCellInfo cell;            /* CELL_CHANGED */
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
/*
 * Whether the handler gets WARDEN_EVENT_CELL_CHANGED too (default: no, so that a consumer
 * written before cells never sees an event type it does not know).
 */
void warden_events_want_cells(WardenEvents *ev, bool want);
/* Handles every queued message without blocking. Returns 0 or the handler's error. */
int warden_events_receive(WardenEvents *ev, warden_event_handler_t handler, void *userdata);
