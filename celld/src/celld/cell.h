/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * One cell as celld supervises it: its description, its state as celld tells it (D-Bus,
 * journal, the supervisor), and its life in the hypervisor (create, load, start, shutdown
 * request, destroy), driven by the module's CELL_CHANGED events and celld's timers
 * (restart backoff, shutdown timeout, watchdog).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <time.h>
#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "cell-images.h"
#include "cell-op.h"
#include "console-lines.h"
#include "restart.h"
#include "warden-nl.h"

typedef struct Manager Manager;

/* The State property. */
typedef enum CellState {
        CELL_INACTIVE,          /* "inactive": not in the hypervisor */
        CELL_STARTING,          /* "starting": being created, loaded, started */
        CELL_RUNNING,           /* "running" ("running/locked" while it holds the lock) */
        CELL_STOPPING,          /* "stopping": asked to shut down, waiting for its answer */
        CELL_RESTARTING,        /* "restarting": ended, restarted by policy after a delay */
        CELL_FAILED,            /* "failed": ended, not restarted (see Result) */
        _CELL_STATE_MAX,
        _CELL_STATE_INVALID = -EINVAL,
} CellState;

/* The Result property: how the last run ended. */
typedef enum CellResult {
        CELL_RESULT_SUCCESS,            /* "success" */
        CELL_RESULT_FAULT,              /* "fault": the hypervisor stopped it for a fault */
        CELL_RESULT_WATCHDOG,           /* "watchdog": it missed its heartbeat */
        CELL_RESULT_START_LIMIT,        /* "start-limit": restarted too often, celld gave up */
        CELL_RESULT_LOAD_ERROR,         /* "load-error": its images could not be loaded */
        CELL_RESULT_REFUSED,            /* "refused": the module refused to create or start it */
        CELL_RESULT_DESTROYED,          /* "destroyed": destroyed behind celld's back */
        CELL_RESULT_UNAVAILABLE,        /* "unavailable": the module or the hypervisor went away */
        _CELL_RESULT_MAX,
        _CELL_RESULT_INVALID = -EINVAL,
} CellResult;

const char *cell_state_to_string(CellState s) _pure_;
CellState cell_state_from_string(const char *s) _pure_;
const char *cell_result_to_string(CellResult r) _pure_;
CellResult cell_result_from_string(const char *s) _pure_;

/* What a pending D-Bus call waits for. */
typedef enum CellJob {
        CELL_JOB_NONE,
        CELL_JOB_STOP,
        CELL_JOB_RESTART,
} CellJob;

#define CELL_WAITERS_MAX 8

/* D-Bus calls answered once an operation has ended. */
typedef struct CellWaiters {
        sd_bus_message *messages[CELL_WAITERS_MAX];
        size_t n;
} CellWaiters;

/* How the cell ends once the destroy under way has finished (see cell_end()). */
typedef struct CellEnding {
        CellEnd end;
        CellResult result;
        bool allow_restart;
        char why[384];
} CellEnding;

/* The properties announced with PropertiesChanged, to send only what changed. */
typedef struct CellSnapshot {
        CellState state;
        bool locked;
        CellResult result;
        uint32_t id;
        uint32_t restart_count;
        bool needs_restart;
        uint64_t started_usec;
        char last_failure[256];
        char status_text[512];
} CellSnapshot;

typedef struct Cell {
        Manager *manager;
        char *name;
        char *object_path;

        /* The description in effect (copied from the manager's DescSet). */
        char *config_file;
        void *blob;
        size_t blob_size;
        CellBlob desc;                  /* points into blob */
        RestartPolicy policy;
        /* A newer description from a reload, taken at the next start. */
        char *pending_file;
        void *pending_blob;
        size_t pending_size;
        bool needs_restart;
        bool orphaned;                  /* its description is gone: removed once it ends */

        /* Runtime. */
        CellState state;
        CellResult result;
        uint32_t id;                    /* in the hypervisor, 0 when none */
        bool locked;
        uint64_t started_usec;          /* CLOCK_REALTIME of the last start, 0 if none */
        uint32_t restart_count;         /* restarts by policy since the last start by hand */
        char last_failure[256];
        char status_text[512];
        RestartState restart;
        uint64_t restart_at_usec;       /* CLOCK_MONOTONIC of the pending restart */
        uint64_t heartbeat;
        uint64_t console_pos;
        ConsoleLines console;

        CellJob job;
        bool stop_refused;              /* it refused the pending stop's request (and may not: see may-refuse) */
        bool stop_forced;               /* the stop ending now was made without its approval */
        CellWaiters waiters;            /* Stop() and Restart() callers */
        CellWaiters start_waiters;      /* Start() callers, answered when the start has ended */
        bool start_by_hand;             /* the start under way was asked for (not the policy) */
        CellOp *op;                     /* netlink requests under way on a worker thread, or NULL */
        CellEnding ending;              /* valid while a destroy that ends the cell is under way */

        sd_event_source *restart_timer;
        sd_event_source *stop_timer;
        sd_event_source *watchdog_timer;

        sd_bus_slot *slot;
        CellSnapshot announced;
        sd_bus_track *console_writer;   /* the D-Bus client that may write to its UART, or NULL */
} Cell;

/* A cell for the description @blob of @file; not yet on the bus. */
int cell_new(Manager *m, const char *name, const char *file, const void *blob, size_t size, Cell **ret);
Cell *cell_free(Cell *c);
DEFINE_TRIVIAL_CLEANUP_FUNC(Cell *, cell_free);

/* "running/locked" for a locked running cell, else the state's name. */
const char *cell_state_text(const Cell *c);
/* Whether the cell is in the hypervisor or about to be (running, stopping, restarting...). */
bool cell_is_active(const Cell *c);

/*
 * Starts the cell: checks its images, then creates it, loads them and starts it on a worker
 * thread (cell-op.h). Returns 0 when it runs already (the caller answers), 1 when the start is
 * under way: @message (if not NULL) is referenced and answered when it has ended, as is a
 * Start() that comes meanwhile. On failure the cell is failed with a result, nothing is left in
 * the hypervisor, and the error names what went wrong (a D-Bus error name and text): in
 * @error for a failure found before the worker began, in the reply to @message after.
 * @by_hand: a request (the restart counters start again), not the policy.
 */
int cell_start(Cell *c, bool by_hand, sd_bus_message *message, sd_bus_error *error);
/*
 * Stops the cell: the shutdown request with the description's timeout, then destroy, each on
 * a worker thread. A stop during a start cancels the start, which takes back what it made. A cell
 * that approves stops. One that refuses keeps running only when its description lets it
 * (may-refuse: true): the stop fails then. Otherwise, and when it does not answer, it is
 * destroyed without its approval once the timeout ends. When the answer must be waited for,
 * @message (if not NULL) is referenced and answered later; returns 1 then, 0 when the cell
 * is already stopped (the caller answers), or an error (the cell refused, is locked...) in
 * @error.
 */
int cell_stop(Cell *c, sd_bus_message *message, sd_bus_error *error);
/* Stop, then start; answered like cell_stop(). */
int cell_restart(Cell *c, sd_bus_message *message, sd_bus_error *error);

/* A CELL_CHANGED event, or a dump entry, of this cell's id. */
void cell_on_info(Cell *c, const WardenCellInfo *info);
/* The cell's id is gone from the hypervisor (destroyed behind our back, or the module went away). */
void cell_on_gone(Cell *c, CellResult result, const char *why);
/*
 * At celld's start: the cell as the hypervisor has it now (@info, NULL when it has none),
 * with what celld remembered of it before its restart.
 */
void cell_adopt(Cell *c, const WardenCellInfo *info);

/*
 * A reload brought this description: the same as the one in effect changes nothing; a
 * cell that is not active takes a new one at once, an active one at its next start
 * (NeedsRestart).
 */
int cell_update_description(Cell *c, const char *file, const void *blob, size_t size);

/* Announces what changed: D-Bus, the state file. */
void cell_changed(Cell *c);
void cell_snapshot(const Cell *c, CellSnapshot *ret);

/* The time of @clock in microseconds. */
uint64_t now_usec(clockid_t clock);

/* Journal: a lifecycle event of this cell. */
void cell_log(Cell *c, int priority, const char *message_id, const char *format, ...) _printf_(4, 5);

/* Message IDs of celld's journal entries about cells (units/warden.catalog explains each). */
#define CELLD_MESSAGE_CELL_STARTED "3b1f6c0e8a2d4f5b9c7e1a0d2f4b6c81"
#define CELLD_MESSAGE_CELL_STOPPED "7d2e9a4c1b3f4e6a8c0d5b7e9f1a3c52"
#define CELLD_MESSAGE_CELL_FAILED "c4a81e6f2d9b4a7c8e3f0b1d6a5c9e23"
#define CELLD_MESSAGE_CELL_RESTARTING "e2b7d4f9a1c34e8b9d6f0a2c5e7b1d94"
#define CELLD_MESSAGE_CELL_GAVE_UP "9f3c6a1e7b2d4c8f8a5e0d3b6c9f2a17"
#define CELLD_MESSAGE_CELL_REFUSED "5a8d2c7f1e4b4d9a9b6c3e0f8a1d5c68"
#define CELLD_MESSAGE_CELL_FORCED "de582bd2f3224ef4ba09245ee93c320f"
#define CELLD_MESSAGE_CPU_QUARANTINED "7c1e5a0b93d44f6a8e2b61c94d0f3a25"
#define CELLD_MESSAGE_CELL_ADOPTED "1c6e9b3a5d8f4a2c8b7e4d1f0a3c6e95"
#define CELLD_MESSAGE_CELL_CONSOLE "8e4a1d7c3f6b4e0a9c2d5f8b1e7a4c36"
#define CELLD_MESSAGE_HYPERVISOR_ENABLED "b5d0e3a8c6f14b7d9e2a4c8f1b6d3e70"
