/* SPDX-License-Identifier: GPL-2.0-only */
/* One supervised cell (see cell.h). */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-journal.h>
#include <time.h>

#include "bus-names.h"
#include "cell-dbus.h"
#include "cell-state-file.h"
#include "cell-text.h"
#include "cell.h"
#include "log.h"
#include "manager-config.h"
#include "manager.h"

/* Reads of one console round, at most (each up to WARDEN_GENL_CONSOLE_MAX bytes). */
#define CONSOLE_READS_MAX 64

static const char *const cell_state_table[_CELL_STATE_MAX] = {
        [CELL_INACTIVE] = "inactive",
        [CELL_STARTING] = "starting",
        [CELL_RUNNING] = "running",
        [CELL_STOPPING] = "stopping",
        [CELL_RESTARTING] = "restarting",
        [CELL_FAILED] = "failed",
};
DEFINE_STRING_TABLE_LOOKUP(cell_state, CellState);

static const char *const cell_result_table[_CELL_RESULT_MAX] = {
        [CELL_RESULT_SUCCESS] = "success",
        [CELL_RESULT_FAULT] = "fault",
        [CELL_RESULT_WATCHDOG] = "watchdog",
        [CELL_RESULT_START_LIMIT] = "start-limit",
        [CELL_RESULT_LOAD_ERROR] = "load-error",
        [CELL_RESULT_REFUSED] = "refused",
        [CELL_RESULT_DESTROYED] = "destroyed",
        [CELL_RESULT_UNAVAILABLE] = "unavailable",
};
DEFINE_STRING_TABLE_LOOKUP(cell_result, CellResult);

uint64_t now_usec(clockid_t clock) {
        struct timespec ts;

        clock_gettime(clock, &ts);
        return (uint64_t) ts.tv_sec * USEC_PER_SEC + (uint64_t) ts.tv_nsec / 1000;
}

const char *cell_state_text(const Cell *c) {
        if (c->state == CELL_RUNNING && c->locked)
                return "running/locked";
        return cell_state_to_string(c->state);
}

bool cell_is_active(const Cell *c) {
        return IN_SET(c->state, CELL_STARTING, CELL_RUNNING, CELL_STOPPING, CELL_RESTARTING);
}

static int cell_set_description(Cell *c, const char *file, const void *blob, size_t size) {
        _cleanup_free_ char *f = NULL;
        _cleanup_free_ void *b = NULL;
        CellError e = {};
        CellBlob desc;
        int r;

        f = strdup(file);
        b = malloc(size);
        if (!f || !b)
                return -ENOMEM;
        memcpy(b, blob, size);
        r = cell_blob_parse(b, size, &desc, &e);
        if (r < 0)
                return log_error_errno(r, "%s: %s", file, e.message);

        free(c->config_file);
        free(c->blob);
        c->config_file = TAKE_PTR(f);
        c->blob = TAKE_PTR(b);
        c->blob_size = size;
        c->desc = desc;
        restart_policy_from_blob(desc.policy, &c->policy);
        return 0;
}

static void cell_drop_pending(Cell *c) {
        free(c->pending_file);
        free(c->pending_blob);
        c->pending_file = NULL;
        c->pending_blob = NULL;
        c->pending_size = 0;
}

int cell_new(Manager *m, const char *name, const char *file, const void *blob, size_t size, Cell **ret) {
        _cleanup_(cell_freep) Cell *c = NULL;
        int r;

        c = calloc(1, sizeof(*c));
        if (!c)
                return -ENOMEM;
        c->manager = m;
        c->name = strdup(name);
        if (!c->name)
                return -ENOMEM;
        r = sd_bus_path_encode(CELLD_CELL_PATH_PREFIX, name, &c->object_path);
        if (r < 0)
                return r;
        r = cell_set_description(c, file, blob, size);
        if (r < 0)
                return r;
        c->state = CELL_INACTIVE;
        c->result = CELL_RESULT_SUCCESS;
        cell_snapshot(c, &c->announced);

        *ret = TAKE_PTR(c);
        return 0;
}

/* Answers every caller in @w (with @error, or success) and empties it. */
static void waiters_reply(CellWaiters *w, const sd_bus_error *error, const char *name) {
        CellWaiters taken = *w;

        /* Taken first: an answer never runs code of ours, but the list may be refilled after. */
        *w = (CellWaiters) {};
        for (size_t i = 0; i < taken.n; i++) {
                int r = error ? sd_bus_reply_method_error(taken.messages[i], error)
                              : sd_bus_reply_method_return(taken.messages[i], NULL);

                if (r < 0)
                        log_debug_errno(r, "Failed to answer a request about cell %s, ignoring: %m", name);
                sd_bus_message_unref(taken.messages[i]);
        }
}

static void waiters_drop(CellWaiters *w) {
        for (size_t i = 0; i < w->n; i++)
                sd_bus_message_unref(w->messages[i]);
        *w = (CellWaiters) {};
}

static int waiters_add(Cell *c, CellWaiters *w, sd_bus_message *message, sd_bus_error *error) {
        if (!message)
                return 0;
        if (w->n >= CELL_WAITERS_MAX)
                return sd_bus_error_setf(error, CELLD_ERROR_BUSY, "too many requests wait for cell '%s'", c->name);
        w->messages[w->n++] = sd_bus_message_ref(message);
        return 0;
}

static void cell_reply_waiters(Cell *c, const sd_bus_error *error) {
        waiters_reply(&c->waiters, error, c->name);
}

Cell *cell_free(Cell *c) {
        if (!c)
                return NULL;

        /*
         * celld is exiting: work under way is cancelled and waited for (a start takes back what
         * it made). Unanswered calls: the bus tells the callers that celld went away, and they
         * ask the next celld again.
         */
        c->op = cell_op_free(c->op);
        waiters_drop(&c->waiters);
        waiters_drop(&c->start_waiters);
        sd_event_source_disable_unref(c->restart_timer);
        sd_event_source_disable_unref(c->stop_timer);
        sd_event_source_disable_unref(c->watchdog_timer);
        sd_bus_slot_unref(c->slot);
        sd_bus_track_unref(c->console_writer);
        free(c->name);
        free(c->object_path);
        free(c->config_file);
        free(c->blob);
        free(c->pending_file);
        free(c->pending_blob);
        free(c);
        return NULL;
}

void cell_log(Cell *c, int priority, const char *message_id, const char *format, ...) {
        _cleanup_free_ char *message = NULL;
        char unit[WARDEN_NAME_LEN + 32];
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&message, format, ap);
        va_end(ap);
        if (r < 0) {
                log_oom();
                return;
        }

        snprintf(unit, sizeof(unit), "cell@%s.service", c->name);
        (void) sd_journal_send("MESSAGE=%s", message,
                               "PRIORITY=%i", priority,
                               "MESSAGE_ID=%s", message_id,
                               "OBJECT_SYSTEMD_UNIT=%s", unit,
                               "CELL=%s", c->name,
                               "CELL_STATE=%s", cell_state_text(c),
                               "CELL_RESULT=%s", cell_result_to_string(c->result),
                               "CELL_ID=%" PRIu32, c->id,
                               NULL);
        /* Under systemd the journal has it already; on a terminal, show it. */
        if (log_get_target() == LOG_TARGET_CONSOLE)
                log_full(priority, "%s", message);
}

/* ---- console ------------------------------------------------------------------------- */

static void console_emit(const char *line, void *userdata) {
        Cell *c = userdata;
        char unit[WARDEN_NAME_LEN + 32];

        snprintf(unit, sizeof(unit), "cell@%s.service", c->name);
        (void) sd_journal_send("MESSAGE=%s", line,
                               "PRIORITY=%i", LOG_INFO,
                               "MESSAGE_ID=" CELLD_MESSAGE_CELL_CONSOLE,
                               "OBJECT_SYSTEMD_UNIT=%s", unit,
                               "CELL=%s", c->name,
                               "CELL_ID=%" PRIu32, c->id,
                               "CELL_CONSOLE=1",
                               "SYSLOG_IDENTIFIER=%s", c->name,
                               NULL);
        if (log_get_target() == LOG_TARGET_CONSOLE)
                log_info("%s: %s", c->name, line);
}

static bool cell_has_console(const Cell *c) {
        return c->desc.cell->flags & (WARDEN_CELL_CONSOLE_VIRTUAL | WARDEN_CELL_UART);
}

/*
 * Forwards what the cell wrote since the last read to the journal; @final: its last words.
 * Called at every event of the cell: the hypervisor raises one when a cell writes to its
 * console (once until root reads it again, which this does), and the module then announces
 * every cell, so that no timer is needed.
 */
static void cell_read_console(Cell *c, bool final) {
        WardenNl *nl = c->manager->nl;
        uint64_t before = c->console_pos;

        if (c->id == 0 || !cell_has_console(c))
                return;

        for (unsigned i = 0; i < CONSOLE_READS_MAX; i++) {
                WardenConsole con;
                int r;

                r = warden_nl_cell_console(nl, c->id, c->console_pos, &con);
                if (r < 0) {
                        log_debug("Failed to read the console of cell %s (id %" PRIu32 "): %s", c->name, c->id,
                                  warden_nl_strerror(nl, r));
                        break;
                }
                if (con.pos > c->console_pos)
                        cell_log(c, LOG_WARNING, CELLD_MESSAGE_CELL_CONSOLE,
                                 "%" PRIu64 " bytes of the console of cell %s were overwritten before celld read them.",
                                 con.pos - c->console_pos, c->name);
                console_lines_feed(&c->console, con.data, con.size, console_emit, c);
                c->console_pos = con.pos + con.size;
                if (con.size == 0 || c->console_pos >= con.head)
                        break;
        }
        if (final)
                console_lines_flush(&c->console, console_emit, c);
        if (c->console_pos != before)
                cell_state_save(c);
}

/* ---- timers -------------------------------------------------------------------------- */

static int cell_arm(Cell *c, sd_event_source **s, uint64_t usec, uint64_t accuracy, sd_event_time_handler_t cb,
                    const char *what) {
        int r;

        if (*s) {
                r = sd_event_source_set_time_relative(*s, usec);
                if (r >= 0)
                        r = sd_event_source_set_enabled(*s, SD_EVENT_ONESHOT);
        } else
                r = sd_event_add_time_relative(c->manager->event, s, CLOCK_MONOTONIC, usec, accuracy, cb, c);
        if (r < 0)
                return log_error_errno(r, "Failed to arm the %s timer of cell %s: %m", what, c->name);
        return 0;
}

static void cell_disarm(sd_event_source *s) {
        if (s)
                (void) sd_event_source_set_enabled(s, SD_EVENT_OFF);
}

static void cell_disarm_running(Cell *c) {
        cell_disarm(c->watchdog_timer);
        cell_disarm(c->stop_timer);
}

static void cell_watchdog_expired(Cell *c);

static int on_watchdog_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        Cell *c = userdata;
        WardenCellInfo info;
        int r;

        if (c->id == 0 || !IN_SET(c->state, CELL_RUNNING, CELL_STOPPING))
                return 0;
        /* A request under way (its shutdown, a destroy) reads the cell again when it ends. */
        if (c->op)
                goto rearm;
        r = warden_nl_cell_get(c->manager->nl, c->id, &info);
        if (r == -ENOENT) {
                cell_on_gone(c, CELL_RESULT_DESTROYED, "the cell was destroyed outside celld");
                return 0;
        }
        if (r < 0) {
                log_warning("Failed to read the heartbeat of cell %s, trying again: %s", c->name,
                            warden_nl_strerror(c->manager->nl, r));
        } else if (info.state != WARDEN_CELL_RUNNING) {
                cell_on_info(c, &info);
                return 0;
        } else if (info.heartbeat == c->heartbeat) {
                cell_watchdog_expired(c);
                return 0;
        } else
                c->heartbeat = info.heartbeat;

rearm:
        (void) cell_arm(c, &c->watchdog_timer, c->desc.policy->watchdog_ms * USEC_PER_MSEC, 10 * USEC_PER_MSEC,
                        on_watchdog_timer, "watchdog");
        return 0;
}

static void cell_arm_running(Cell *c) {
        if (c->desc.policy->watchdog_ms > 0)
                (void) cell_arm(c, &c->watchdog_timer, c->desc.policy->watchdog_ms * USEC_PER_MSEC,
                                10 * USEC_PER_MSEC, on_watchdog_timer, "watchdog");
}

/* ---- status -------------------------------------------------------------------------- */

static void format_seconds(uint64_t usec, char *buf, size_t size) {
        if (usec % USEC_PER_SEC == 0)
                snprintf(buf, size, "%" PRIu64 " s", usec / USEC_PER_SEC);
        else if (usec < USEC_PER_SEC)
                snprintf(buf, size, "%" PRIu64 " ms", usec / USEC_PER_MSEC);
        else
                snprintf(buf, size, "%.1f s", (double) usec / (double) USEC_PER_SEC);
}

static void cell_running_status(Cell *c) {
        char cpus[WARDEN_CPU_LIST_MAX];

        snprintf(c->status_text, sizeof(c->status_text), "Running as cell %" PRIu32 " on CPU%s %s%s", c->id,
                 __builtin_popcountll(c->desc.cell->cpu_set) > 1 ? "s" : "",
                 warden_format_cpu_list(c->desc.cell->cpu_set, cpus), c->locked ? ", locked" : "");
}

/* ---- the hypervisor side ------------------------------------------------------------- */

static void cell_log_destroy_failed(Cell *c, uint32_t id, const char *why) {
        cell_log(c, LOG_ERR, CELLD_MESSAGE_CELL_FAILED,
                 "Failed to destroy cell %s (id %" PRIu32 "), it stays in the hypervisor: %s", c->name, id, why);
}

/* The cell is out of the hypervisor (or about to be): nothing of its run is left here. */
static void cell_forget_run(Cell *c) {
        c->id = 0;
        c->locked = false;
        c->console = (ConsoleLines) {};
        cell_disarm_running(c);
}

/*
 * Gives the cell's CPUs and memory back to Linux, after its last console lines, here and now:
 * only where nothing waits for celld yet (at its start, before READY) or no worker can be had.
 */
static void cell_destroy(Cell *c) {
        WardenNl *nl = c->manager->nl;
        int r;

        if (c->id == 0)
                return;
        cell_read_console(c, true);
        r = warden_nl_cell_destroy(nl, c->id);
        if (r < 0 && r != -ENOENT)
                cell_log_destroy_failed(c, c->id, warden_nl_strerror(nl, r));
        cell_forget_run(c);
}

/* Hands @op to a worker; without one (no eventfd), runs it here and finishes it at once. */
static void cell_run_op(Cell *c, CellOp *op, cell_op_done_t done) {
        int r;

        c->op = op;
        r = cell_op_launch(op, c->manager->event, done, c);
        if (r >= 0)
                return;
        log_warning_errno(r, "Failed to hand the %s of cell %s to a worker thread, doing it now: %m",
                          cell_op_kind_to_string(op->kind), c->name);
        op->work(op);
        done(op, c);
}

/* A request came back: @op is no longer under way. Whether the cell is still where @op left it. */
static bool cell_op_ended(Cell *c, CellOp *op, CellState state) {
        c->op = NULL;
        if (c->state == state && c->id == op->id)
                return true;
        /* It ended meanwhile (the module went away...): what @op did changes nothing. */
        if (!cell_is_active(c))
                manager_cell_settled(c->manager, c);
        return false;
}

/* Events that came while a request was under way were left for this: read the cell now. */
static void cell_catch_up(Cell *c) {
        WardenCellInfo info;
        int r;

        if (c->id == 0)
                return;
        r = warden_nl_cell_get(c->manager->nl, c->id, &info);
        if (r == -ENOENT)
                cell_on_gone(c, CELL_RESULT_DESTROYED, "the cell was destroyed outside celld");
        else if (r >= 0)
                cell_on_info(c, &info);
}

static void cell_end(Cell *c, CellEnd end, CellResult result, const char *why, bool allow_restart);

static void on_destroyed(CellOp *op, void *userdata) {
        Cell *c = userdata;
        CellEnding e = c->ending;

        c->op = NULL;
        if (op->r < 0)
                cell_log_destroy_failed(c, op->id, op->error);
        cell_op_free(op);
        cell_end(c, e.end, e.result, e.why, e.allow_restart);
}

/*
 * The cell has ended (or is to end): its last console lines, then the destroy on a worker, then
 * cell_end(). Meanwhile the cell keeps its state, with no id: its events are no longer its own.
 */
static void cell_destroy_and_end(Cell *c, CellEnd end, CellResult result, const char *why, bool allow_restart) {
        CellOp *op = NULL;
        uint32_t id = c->id;

        if (id == 0 || cell_op_new(CELL_OP_DESTROY, &op) < 0) {
                cell_destroy(c);
                cell_end(c, end, result, why, allow_restart);
                return;
        }
        c->ending = (CellEnding) { .end = end, .result = result, .allow_restart = allow_restart };
        snprintf(c->ending.why, sizeof(c->ending.why), "%s", why);
        cell_read_console(c, true);
        cell_forget_run(c);
        op->id = id;
        cell_run_op(c, op, on_destroyed);
}

typedef struct StartFailure {
        CellResult result;
        const char *error_name;
        char message[768];
} StartFailure;

static int start_failed(StartFailure *f, CellResult result, const char *error_name, const char *format, ...)
        _printf_(4, 5);

static int start_failed(StartFailure *f, CellResult result, const char *error_name, const char *format, ...) {
        va_list ap;

        f->result = result;
        f->error_name = error_name;
        va_start(ap, format);
        vsnprintf(f->message, sizeof(f->message), format, ap);
        va_end(ap);
        return -EIO;
}

/* Takes the description a reload brought, now that the cell is not in the hypervisor. */
static void cell_take_pending(Cell *c) {
        int r;

        if (!c->pending_blob)
                return;
        cell_bus_unregister(c);
        r = cell_set_description(c, c->pending_file, c->pending_blob, c->pending_size);
        if (r < 0)
                log_error_errno(r, "Failed to take the new description of cell %s, keeping the old one: %m", c->name);
        cell_drop_pending(c);
        c->needs_restart = false;
        (void) cell_bus_register(c);
}

/* What a start that failed on the worker says, in the words celld always used. */
static void start_failure_text(const Cell *c, const CellOp *op, StartFailure *f) {
        const CellError *e = &op->load_error;

        switch (op->step) {
        case CELL_OP_STEP_CREATE:
                start_failed(f, CELL_RESULT_REFUSED, CELLD_ERROR_REFUSED,
                             "the module refused to create cell '%s' (%s): %s", c->name, c->config_file, op->error);
                break;
        case CELL_OP_STEP_LOAD:
                start_failed(f, CELL_RESULT_LOAD_ERROR, CELLD_ERROR_LOAD_FAILED,
                             "loading the images of cell '%s' failed: %s%s%s", c->name,
                             e->from_module ? "the module refused: " : "", e->message, e->note[0] ? "; " : "");
                if (e->note[0])
                        strncat(f->message, e->note, sizeof(f->message) - strlen(f->message) - 1);
                break;
        default:
                start_failed(f, CELL_RESULT_REFUSED, CELLD_ERROR_REFUSED, "the module refused to start cell '%s': %s",
                             c->name, op->error);
        }
}

static int cell_request_shutdown(Cell *c, CellJob job);

/* The start is done: the cell runs as @id. */
static void cell_started(Cell *c, uint32_t id, bool by_hand) {
        char cpus[WARDEN_CPU_LIST_MAX];
        WardenCellInfo info;
        bool have;

        c->id = id;
        c->console_pos = 0;
        c->console = (ConsoleLines) {};
        c->state = CELL_RUNNING;
        c->result = CELL_RESULT_SUCCESS;
        c->started_usec = now_usec(CLOCK_REALTIME);
        c->heartbeat = 0;
        c->locked = false;
        have = warden_nl_cell_get(c->manager->nl, id, &info) >= 0;
        if (have)
                c->heartbeat = info.heartbeat;
        cell_running_status(c);
        cell_arm_running(c);
        cell_log(c, LOG_INFO, CELLD_MESSAGE_CELL_STARTED, "Started cell %s (id %" PRIu32 ") on CPU%s %s%s.", c->name,
                 c->id, __builtin_popcountll(c->desc.cell->cpu_set) > 1 ? "s" : "",
                 warden_format_cpu_list(c->desc.cell->cpu_set, cpus),
                 by_hand ? "" : " (restarted by policy)");
        cell_changed(c);
        waiters_reply(&c->start_waiters, NULL, c->name);
        manager_notify_status(c->manager);

        /* A stop that came too late to cancel the start: stop it now, for its callers. */
        if (c->job == CELL_JOB_STOP) {
                _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;

                c->job = CELL_JOB_NONE;
                if (cell_request_shutdown(c, CELL_JOB_STOP) < 0) {
                        (void) sd_bus_error_set_errnof(&error, ENOMEM, "cell '%s' could not be stopped", c->name);
                        cell_reply_waiters(c, &error);
                }
                return;
        }
        /* What it did between the worker's start and now (its events were not its own yet). */
        if (have)
                cell_on_info(c, &info);
}

static void on_started(CellOp *op_, void *userdata) {
        _cleanup_(cell_op_freep) CellOp *op = op_;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        Cell *c = userdata;
        StartFailure f = {};

        c->op = NULL;
        if (op->leftover_r < 0)
                cell_log_destroy_failed(c, op->id, op->leftover_error);
        if (op->undo_r < 0)
                cell_log_destroy_failed(c, op->undo_id, op->undo_error);

        if (op->r >= 0) {
                cell_started(c, op->new_id, c->start_by_hand);
                return;
        }
        if (op->r == -ECANCELED) {
                /* A stop came: nothing of the start is left. The stop's callers are answered by the end. */
                (void) sd_bus_error_setf(&error, CELLD_ERROR_CANCELLED,
                                         "the start of cell '%s' was cancelled: it was asked to stop", c->name);
                waiters_reply(&c->start_waiters, &error, c->name);
                c->job = CELL_JOB_STOP;
                cell_end(c, CELL_END_CLEAN, CELL_RESULT_SUCCESS, "its start was cancelled on request", false);
                return;
        }
        start_failure_text(c, op, &f);
        cell_end(c, CELL_END_FAILURE, f.result, f.message, !c->start_by_hand);
        (void) sd_bus_error_set(&error, f.error_name, f.message);
        waiters_reply(&c->start_waiters, &error, c->name);
}

/* A cell that boots an OS gets its device tree, written for this start, after its images. */
static int cell_start_tree(Cell *c, CellOp *op, CellError *e) {
        const struct warden_cell *wc = (const void *) ((const char *) c->blob + sizeof(struct warden_config_header));
        char why[256] = "";
        size_t size;
        void *tree;
        int r;

        if (!(wc->flags & WARDEN_CELL_ENTRY_ARG))
                return 0;
        r = manager_cell_tree(c->manager, c->name, c->blob, c->blob_size, &tree, &size, why, sizeof(why));
        if (r < 0)
                return cell_error_set(e, r, "cannot write its device tree: %s", why);
        return cell_images_add_tree(c->blob, c->blob_size, tree, size, &op->loads, &op->n_loads, e);
}

/* Everything a start needs on the worker: the description, where the images go, checked here. */
static int cell_start_op(Cell *c, uint32_t leftover, CellOp **ret, StartFailure *f) {
        _cleanup_(cell_op_freep) CellOp *op = NULL;
        CellError e = {};
        int r;

        r = cell_op_new(CELL_OP_START, &op);
        if (r >= 0) {
                op->blob = malloc(c->blob_size);
                r = op->blob ? 0 : -ENOMEM;
        }
        if (r < 0)
                return start_failed(f, CELL_RESULT_LOAD_ERROR, CELLD_ERROR_FAILED, "cell '%s': %s", c->name,
                                    strerror(ENOMEM));
        memcpy(op->blob, c->blob, c->blob_size);
        op->blob_size = c->blob_size;
        op->id = leftover;

        r = cell_images_plan(c->blob, c->blob_size, NULL, 0, &op->loads, &op->n_loads, &e);
        if (r >= 0)
                r = cell_start_tree(c, op, &e);
        if (r >= 0)
                r = cell_images_check(c->blob, c->blob_size, op->loads, op->n_loads, &e);
        if (r < 0)
                return start_failed(f, CELL_RESULT_LOAD_ERROR, CELLD_ERROR_LOAD_FAILED, "cell '%s': %s", c->name,
                                    e.message);
        *ret = TAKE_PTR(op);
        return 0;
}

/*
 * A cell of this name in the hypervisor that celld does not know of (started by hand): a running
 * one is adopted (1), another is destroyed by the start (its id in *ret_leftover).
 */
static int cell_find_leftover(Cell *c, uint32_t *ret_leftover) {
        WardenCellInfo info;

        *ret_leftover = 0;
        if (warden_nl_cell_get_by_name(c->manager->nl, c->name, &info) < 0)
                return 0;
        if (info.state == WARDEN_CELL_RUNNING) {
                cell_adopt(c, &info);
                return 1;
        }
        cell_log(c, LOG_NOTICE, CELLD_MESSAGE_CELL_STOPPED,
                 "Destroying cell %s (id %" PRIu32 "), which is in the hypervisor but not running, before "
                 "starting it.", c->name, info.id);
        *ret_leftover = info.id;
        return 0;
}

int cell_start(Cell *c, bool by_hand, sd_bus_message *message, sd_bus_error *error) {
        StartFailure f = {};
        uint32_t leftover;
        CellOp *op = NULL;
        int r;

        switch (c->state) {
        case CELL_STARTING:
                /* Answered with the start under way. */
                r = waiters_add(c, &c->start_waiters, message, error);
                return r < 0 ? r : 1;
        case CELL_STOPPING:
                return sd_bus_error_setf(error, CELLD_ERROR_BUSY,
                                         "cell '%s' is stopping; start it again once it has stopped", c->name);
        default:
                break;
        }
        if (c->op)
                return sd_bus_error_setf(error, CELLD_ERROR_BUSY,
                                         "cell '%s' has ended and is being destroyed; start it again once it has "
                                         "stopped", c->name);
        if (c->state == CELL_RUNNING)
                return 0;
        if (c->orphaned)
                return sd_bus_error_setf(error, CELLD_ERROR_NO_SUCH_CELL,
                                         "the description of cell '%s' was removed", c->name);

        cell_disarm(c->restart_timer);
        c->restart_at_usec = 0;
        if (by_hand) {
                restart_state_reset(&c->restart);
                c->restart_count = 0;
        }
        cell_take_pending(c);

        r = manager_ensure_enabled(c->manager, error);
        if (r < 0) {
                if (!by_hand)
                        cell_end(c, CELL_END_FAILURE, CELL_RESULT_UNAVAILABLE, error->message, true);
                return r;
        }
        if (cell_find_leftover(c, &leftover) > 0)
                return 0;

        c->state = CELL_STARTING;
        snprintf(c->status_text, sizeof(c->status_text), "Starting");
        cell_changed(c);

        r = cell_start_op(c, leftover, &op, &f);
        if (r < 0) {
                cell_end(c, CELL_END_FAILURE, f.result, f.message, !by_hand);
                return sd_bus_error_set(error, f.error_name, f.message);
        }
        c->start_by_hand = by_hand;
        /* Cannot fail: no start was under way, so the list is empty. */
        (void) waiters_add(c, &c->start_waiters, message, error);
        cell_run_op(c, op, on_started);
        return 1;
}

static int on_restart_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        Cell *c = userdata;

        if (c->state != CELL_RESTARTING)
                return 0;
        (void) cell_start(c, false, NULL, &error);
        return 0;
}

/* A restart's stop is done: its callers wait for the start now. */
static void cell_restart_after_stop(Cell *c, CellResult result, const char *why) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        c->start_waiters = c->waiters;
        c->waiters = (CellWaiters) {};
        c->state = CELL_INACTIVE;
        c->result = result;
        cell_log(c, LOG_INFO, CELLD_MESSAGE_CELL_STOPPED, "Stopped cell %s for a restart: %s.", c->name, why);
        r = cell_start(c, true, NULL, &error);
        if (r <= 0)
                waiters_reply(&c->start_waiters, r < 0 ? &error : NULL, c->name);
}

/* The cell has left the hypervisor (or never entered it): decide what comes next. */
static void cell_end(Cell *c, CellEnd end, CellResult result, const char *why, bool allow_restart) {
        CellJob job = c->job;
        bool forced = c->stop_forced;
        RestartDecision d;
        char delay[32];

        c->job = CELL_JOB_NONE;
        c->stop_forced = c->stop_refused = false;
        cell_disarm_running(c);
        c->locked = false;
        if (end == CELL_END_FAILURE)
                snprintf(c->last_failure, sizeof(c->last_failure), "%s: %s", cell_result_to_string(result), why);

        if (job == CELL_JOB_RESTART) {
                cell_restart_after_stop(c, result, why);
                return;
        }
        if (job == CELL_JOB_STOP || !allow_restart)
                d = (RestartDecision) { .action = end == CELL_END_RESET && allow_restart ? RESTART_SCHEDULE : RESTART_NONE };
        else
                d = restart_decide(&c->policy, &c->restart, end, now_usec(CLOCK_MONOTONIC));
        if (job == CELL_JOB_STOP)
                d.action = RESTART_NONE;

        c->result = result;
        switch (d.action) {
        case RESTART_SCHEDULE:
                c->state = CELL_RESTARTING;
                c->restart_count++;
                c->restart_at_usec = now_usec(CLOCK_MONOTONIC) + d.delay_usec;
                format_seconds(d.delay_usec, delay, sizeof(delay));
                if (end == CELL_END_RESET) {
                        snprintf(c->status_text, sizeof(c->status_text), "Rebooting (the cell asked for a reset)");
                        cell_log(c, LOG_NOTICE, CELLD_MESSAGE_CELL_RESTARTING,
                                 "Cell %s asked for a reset (PSCI SYSTEM_RESET): rebooting it.", c->name);
                } else {
                        snprintf(c->status_text, sizeof(c->status_text), "Restart %" PRIu32 "/%" PRIu32 " in %s after %s",
                                 d.attempt, c->policy.burst, delay,
                                 end == CELL_END_FAILURE ? c->last_failure : why);
                        cell_log(c, LOG_NOTICE, CELLD_MESSAGE_CELL_RESTARTING,
                                 "Cell %s ended (%s: %s); restart %" PRIu32 " of %" PRIu32 " in %s (restart: %s).",
                                 c->name, cell_result_to_string(result), why, d.attempt, c->policy.burst, delay,
                                 restart_mode_to_string(c->policy.mode));
                }
                (void) cell_arm(c, &c->restart_timer, d.delay_usec, USEC_PER_MSEC, on_restart_timer, "restart");
                break;
        case RESTART_GIVE_UP:
                c->state = CELL_FAILED;
                c->result = CELL_RESULT_START_LIMIT;
                snprintf(c->status_text, sizeof(c->status_text), "Failed: start-limit after %" PRIu32 " restarts; last: %s",
                         d.attempt, c->last_failure);
                cell_log(c, LOG_ERR, CELLD_MESSAGE_CELL_GAVE_UP,
                         "Cell %s ended again (%s: %s) after %" PRIu32 " restarts within %" PRIu64
                         " s: giving up (start-limit).", c->name, cell_result_to_string(result), why, d.attempt,
                         c->policy.interval_usec / USEC_PER_SEC);
                break;
        default:
                if (end == CELL_END_FAILURE) {
                        c->state = CELL_FAILED;
                        snprintf(c->status_text, sizeof(c->status_text), "Failed: %s", c->last_failure);
                        cell_log(c, LOG_ERR, CELLD_MESSAGE_CELL_FAILED, "Cell %s failed: %s: %s.", c->name,
                                 cell_result_to_string(result), why);
                } else if (forced) {
                        /* "Stopped without its approval after ...: the rule" */
                        c->state = CELL_INACTIVE;
                        snprintf(c->status_text, sizeof(c->status_text), "%c%s", toupper((unsigned char) why[0]),
                                 why + 1);
                        cell_log(c, LOG_NOTICE, CELLD_MESSAGE_CELL_FORCED, "Cell %s was %s.", c->name, why);
                } else {
                        c->state = CELL_INACTIVE;
                        snprintf(c->status_text, sizeof(c->status_text), "Stopped: %s", why);
                        cell_log(c, LOG_INFO, CELLD_MESSAGE_CELL_STOPPED, "Stopped cell %s: %s.", c->name, why);
                }
                break;
        }
        cell_changed(c);
        cell_reply_waiters(c, NULL);
        manager_cell_settled(c->manager, c);
}

static void cell_watchdog_expired(Cell *c) {
        char why[128];

        snprintf(why, sizeof(why), "no heartbeat within %" PRIu32 " ms (stuck at %" PRIu64 ")",
                 c->desc.policy->watchdog_ms, c->heartbeat);
        cell_destroy_and_end(c, CELL_END_FAILURE, CELL_RESULT_WATCHDOG, why, true);
}

void cell_on_gone(Cell *c, CellResult result, const char *why) {
        if (c->id == 0)
                return;
        c->id = 0;
        c->console = (ConsoleLines) {};
        if (result == CELL_RESULT_DESTROYED && c->job == CELL_JOB_NONE)
                cell_end(c, CELL_END_CLEAN, result, why, false);
        else
                cell_end(c, CELL_END_FAILURE, result, why, true);
}

static void cell_refusal_overruled(Cell *c);

/* Its description lets it refuse a shutdown request and lock reconfiguration. */
static bool cell_may_refuse(const Cell *c) {
        return c->desc.cell->flags & WARDEN_CELL_MAY_REFUSE;
}

/*
 * "Cell X was not stopped: @why", in the journal and in @error. The module's reasons name the
 * cell ("cell 'X' is locked and may not be shut down: ..."): said once, as "it is locked ...".
 */
static int cell_not_stopped(Cell *c, const char *why, sd_bus_error *error) {
        size_t n = strlen(c->name);
        char text[512];

        if (strncmp(why, "cell '", 6) == 0 && strncmp(why + 6, c->name, n) == 0 && strncmp(why + 6 + n, "' ", 2) == 0) {
                snprintf(text, sizeof(text), "it %s", why + 6 + n + 2);
                why = text;
        }
        cell_log(c, LOG_WARNING, CELLD_MESSAGE_CELL_REFUSED, "Cell %s was not stopped: %s.", c->name, why);
        return sd_bus_error_setf(error, CELLD_ERROR_REFUSED, "cell '%s' was not stopped: %s", c->name, why);
}

static void cell_stop_refused(Cell *c, const char *why) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;

        cell_disarm(c->stop_timer);
        c->state = CELL_RUNNING;
        c->job = CELL_JOB_NONE;
        cell_running_status(c);
        (void) cell_not_stopped(c, why, &error);
        cell_changed(c);
        cell_reply_waiters(c, &error);
}

/*
 * How a cell that was asked to stop did: it approved through its communication page, or an
 * OS heard its power button and powered off (the answer the hypervisor's request allows it).
 */
static const char *stopped_on_request(const WardenCellInfo *info) {
        return info->stop_reason == WARDEN_STOP_SYSTEM_OFF ? "it powered off on request (PSCI SYSTEM_OFF)"
                                                           : "stopped on request";
}

void cell_on_info(Cell *c, const WardenCellInfo *info) {
        char reason[WARDEN_REASON_MAX];
        const char *why;

        /* While a request is under way, its end reads the cell again (cell_catch_up()). */
        if (c->id == 0 || info->id != c->id || c->op)
                return;

        switch (info->state) {
        case WARDEN_GENL_CELL_DESTROYED:
                cell_on_gone(c, CELL_RESULT_DESTROYED,
                             info->stop_reason == WARDEN_STOP_FORCED
                                     ? "the cell was destroyed outside celld, without its approval"
                                     : "the cell was destroyed outside celld");
                return;
        case WARDEN_CELL_CREATED:
                return;         /* an old event from before the start */
        case WARDEN_CELL_RUNNING:
                cell_read_console(c, false);
                if (c->state == CELL_STOPPING && (info->flags & WARDEN_CELL_INFO_REFUSED) &&
                    !(info->flags & WARDEN_CELL_INFO_REQUEST)) {
                        if (cell_may_refuse(c)) {
                                cell_stop_refused(c, "it refused the shutdown request, which its description allows "
                                                     "(may-refuse: true); it keeps running");
                                return;
                        }
                        cell_refusal_overruled(c);
                }
                if (c->locked != !!(info->flags & WARDEN_CELL_INFO_LOCKED)) {
                        c->locked = !!(info->flags & WARDEN_CELL_INFO_LOCKED);
                        if (c->state == CELL_RUNNING)
                                cell_running_status(c);
                        cell_log(c, LOG_INFO, CELLD_MESSAGE_CELL_STARTED, "Cell %s %s the reconfiguration lock.",
                                 c->name, c->locked ? "took" : "released");
                        cell_changed(c);
                }
                return;
        case WARDEN_CELL_SHUT_DOWN:
                why = warden_format_cell_reason(info, reason) ?: "it stopped";
                if (c->job != CELL_JOB_NONE)
                        cell_destroy_and_end(c, CELL_END_CLEAN, CELL_RESULT_SUCCESS, stopped_on_request(info), true);
                else if (info->stop_reason == WARDEN_STOP_SYSTEM_RESET)
                        cell_destroy_and_end(c, CELL_END_RESET, CELL_RESULT_SUCCESS, why, true);
                else
                        cell_destroy_and_end(c, CELL_END_CLEAN, CELL_RESULT_SUCCESS, why, true);
                return;
        case WARDEN_CELL_FAILED:
                why = warden_format_cell_reason(info, reason) ?: "unknown";
                cell_destroy_and_end(c, CELL_END_FAILURE, CELL_RESULT_FAULT, why, true);
                return;
        default:
                log_debug("Cell %s is in state %" PRIu32 ", which celld does not know; ignoring.", c->name,
                          info->state);
        }
}

/* ---- stop ---------------------------------------------------------------------------- */

static void format_shutdown_timeout(const Cell *c, char *buf, size_t size) {
        format_seconds(c->desc.policy->shutdown_timeout_ms * USEC_PER_MSEC, buf, size);
}

/*
 * A cell that may not refuse refused: its answer does not count. It keeps running until its
 * shutdown timeout ends (the time it was given), then it is stopped all the same. Said once
 * per stop, as the module may announce the cell again.
 */
static void cell_refusal_overruled(Cell *c) {
        char timeout[32];

        if (c->stop_refused)
                return;
        c->stop_refused = true;
        format_shutdown_timeout(c, timeout, sizeof(timeout));
        snprintf(c->status_text, sizeof(c->status_text),
                 "Stopping: the cell refused, which its description does not allow; it is stopped when its %s "
                 "shutdown timeout ends", timeout);
        cell_log(c, LOG_NOTICE, CELLD_MESSAGE_CELL_FORCED,
                 "Cell %s refused the shutdown request, but its description does not let it refuse "
                 "(may-refuse: false): it is stopped without its approval when its shutdown timeout of %s ends.",
                 c->name, timeout);
        cell_changed(c);
}

static void on_forced_destroy(CellOp *op_, void *userdata) {
        _cleanup_(cell_op_freep) CellOp *op = op_;
        Cell *c = userdata;
        char timeout[32], why[384];

        if (!cell_op_ended(c, op, CELL_STOPPING))
                return;
        format_shutdown_timeout(c, timeout, sizeof(timeout));
        if (op->r < 0) {
                char text[640];

                /* The hypervisor keeps it: the module's reason names the rule (its refusal or a lock). */
                snprintf(text, sizeof(text), "%s (after its shutdown timeout of %s)", op->error, timeout);
                cell_stop_refused(c, text);
                cell_catch_up(c);
                return;
        }
        cell_forget_run(c);
        c->stop_forced = true;
        snprintf(why, sizeof(why),
                 "stopped without its approval after its shutdown timeout of %s: it %s the shutdown request, "
                 "and its description %s", timeout, c->stop_refused ? "refused" : "did not answer",
                 cell_may_refuse(c) ? "lets it keep running only by refusing (may-refuse: true)"
                                    : "does not let it refuse (may-refuse: false)");
        cell_end(c, CELL_END_CLEAN, CELL_RESULT_SUCCESS, why, true);
}

static int on_stop_timer(sd_event_source *s, uint64_t usec, void *userdata) {
        Cell *c = userdata;
        CellOp *op;

        if (c->state != CELL_STOPPING || c->id == 0 || c->op)
                return 0;
        if (cell_op_new(CELL_OP_DESTROY, &op) < 0) {
                log_oom();
                (void) cell_arm(c, &c->stop_timer, USEC_PER_SEC, 10 * USEC_PER_MSEC, on_stop_timer, "shutdown");
                return 0;
        }
        cell_read_console(c, true);
        /* The cell keeps its id: the hypervisor may refuse (a lock), and then it runs on. */
        op->id = c->id;
        cell_run_op(c, op, on_forced_destroy);
        return 0;
}

static void on_shutdown_answered(CellOp *op_, void *userdata) {
        _cleanup_(cell_op_freep) CellOp *op = op_;
        Cell *c = userdata;
        char timeout[32];

        if (!cell_op_ended(c, op, CELL_STOPPING))
                return;
        if (op->r == -ENOENT) {
                /* Gone before it was asked: a stop that found nothing to do, as before a request. */
                c->job = CELL_JOB_NONE;
                cell_on_gone(c, CELL_RESULT_DESTROYED, "the cell was destroyed outside celld");
                return;
        }
        if (op->r == -EBUSY) {
                /* Stopped, but a CPU did not take the kick: the destroy revokes what it can reach. */
                cell_log(c, LOG_WARNING, CELLD_MESSAGE_CELL_STOPPED,
                         "Cell %s was stopped but its CPUs did not stop for the hypervisor's kick: destroying it.",
                         c->name);
                cell_destroy_and_end(c, CELL_END_CLEAN, CELL_RESULT_SUCCESS, "stopped on request", true);
                return;
        }
        if (op->r < 0) {
                cell_stop_refused(c, op->error);
                return;
        }
        if (!op->asked) {
                cell_destroy_and_end(c, CELL_END_CLEAN, CELL_RESULT_SUCCESS, "stopped on request", true);
                return;
        }
        format_shutdown_timeout(c, timeout, sizeof(timeout));
        snprintf(c->status_text, sizeof(c->status_text), "Stopping: the cell has %s to answer the shutdown request",
                 timeout);
        (void) cell_arm(c, &c->stop_timer, c->desc.policy->shutdown_timeout_ms * USEC_PER_MSEC, 10 * USEC_PER_MSEC,
                        on_stop_timer, "shutdown");
        cell_changed(c);
        cell_catch_up(c);       /* its answer may have come already */
}

/* The shutdown request, on a worker: the cell is stopping from now on. */
static int cell_request_shutdown(Cell *c, CellJob job) {
        CellOp *op;
        int r;

        r = cell_op_new(CELL_OP_SHUTDOWN, &op);
        if (r < 0)
                return log_oom();
        op->id = c->id;
        c->stop_refused = false;
        c->job = job;
        c->state = CELL_STOPPING;
        snprintf(c->status_text, sizeof(c->status_text), "Stopping: asking the cell to shut down");
        cell_changed(c);
        cell_run_op(c, op, on_shutdown_answered);
        return 0;
}

/* cell_stop() for @job: a stop, or the stop of a restart. */
static int cell_stop_for(Cell *c, CellJob job, sd_bus_message *message, sd_bus_error *error) {
        int r;

        switch (c->state) {
        case CELL_INACTIVE:
        case CELL_FAILED:
                return 0;
        case CELL_RESTARTING:
                cell_disarm(c->restart_timer);
                c->restart_at_usec = 0;
                c->state = CELL_INACTIVE;
                snprintf(c->status_text, sizeof(c->status_text), "Stopped: the pending restart was cancelled");
                cell_log(c, LOG_INFO, CELLD_MESSAGE_CELL_STOPPED, "Stopped cell %s: its pending restart was cancelled.",
                         c->name);
                cell_changed(c);
                manager_cell_settled(c->manager, c);
                return 0;
        case CELL_STARTING:
                /* The start stops at its next step and takes back what it made; then it has stopped. */
                r = waiters_add(c, &c->waiters, message, error);
                if (r < 0)
                        return r;
                c->job = CELL_JOB_STOP;
                if (c->op)
                        cell_op_cancel(c->op);
                snprintf(c->status_text, sizeof(c->status_text), "Starting: cancelling the start (asked to stop)");
                cell_changed(c);
                return 1;
        default:
                break;
        }

        r = waiters_add(c, &c->waiters, message, error);
        if (r < 0)
                return r;
        /* Stopping already, or ended and being destroyed: answered when that is done. */
        if (c->state == CELL_STOPPING || c->op) {
                c->job = job;
                return 1;
        }
        r = cell_request_shutdown(c, job);
        if (r < 0) {
                if (message)
                        sd_bus_message_unref(c->waiters.messages[--c->waiters.n]);
                return sd_bus_error_set_errnof(error, r, "Failed to ask cell '%s' to shut down: %m", c->name);
        }
        return 1;
}

int cell_stop(Cell *c, sd_bus_message *message, sd_bus_error *error) {
        return cell_stop_for(c, CELL_JOB_STOP, message, error);
}

int cell_restart(Cell *c, sd_bus_message *message, sd_bus_error *error) {
        if (IN_SET(c->state, CELL_RUNNING, CELL_STOPPING))
                return cell_stop_for(c, CELL_JOB_RESTART, message, error);
        return cell_start(c, true, message, error);
}

/* ---- reload and adoption ------------------------------------------------------------- */

int cell_update_description(Cell *c, const char *file, const void *blob, size_t size) {
        _cleanup_free_ char *f = NULL;
        _cleanup_free_ void *b = NULL;

        if (streq(file, c->config_file) && size == c->blob_size && memcmp(blob, c->blob, size) == 0) {
                /* Back to the description in effect. */
                cell_drop_pending(c);
                c->needs_restart = false;
                cell_changed(c);
                return 0;
        }
        if (!cell_is_active(c)) {
                bool registered = c->slot;
                int r;

                if (registered)
                        cell_bus_unregister(c);
                r = cell_set_description(c, file, blob, size);
                cell_drop_pending(c);
                c->needs_restart = false;
                if (registered)
                        (void) cell_bus_register(c);
                return r;
        }
        f = strdup(file);
        b = malloc(size);
        if (!f || !b)
                return -ENOMEM;
        memcpy(b, blob, size);
        cell_drop_pending(c);
        c->pending_file = TAKE_PTR(f);
        c->pending_blob = TAKE_PTR(b);
        c->pending_size = size;
        if (!c->needs_restart)
                cell_log(c, LOG_NOTICE, CELLD_MESSAGE_CELL_STARTED,
                         "The description of cell %s changed (%s); it takes effect when the cell restarts.", c->name,
                         file);
        c->needs_restart = true;
        cell_changed(c);
        return 0;
}

void cell_adopt(Cell *c, const WardenCellInfo *info) {
        CellStateFile saved = {};
        bool have;

        have = cell_state_load(c, &saved) >= 0;
        if (have) {
                c->restart = saved.restart;
                c->restart_count = saved.restart_count;
                c->started_usec = saved.started_usec;
                c->result = saved.result;
                snprintf(c->last_failure, sizeof(c->last_failure), "%s", saved.last_failure);
        }

        if (!info) {
                if (have && saved.state == CELL_RESTARTING) {
                        uint64_t now = now_usec(CLOCK_MONOTONIC);
                        uint64_t delay = saved.restart_at_usec > now ? saved.restart_at_usec - now : 0;

                        c->state = CELL_RESTARTING;
                        c->restart_at_usec = saved.restart_at_usec;
                        snprintf(c->status_text, sizeof(c->status_text), "%s", saved.status_text);
                        (void) cell_arm(c, &c->restart_timer, delay, USEC_PER_MSEC, on_restart_timer, "restart");
                } else if (have && saved.state == CELL_FAILED) {
                        c->state = CELL_FAILED;
                        snprintf(c->status_text, sizeof(c->status_text), "%s", saved.status_text);
                } else if (have && IN_SET(saved.state, CELL_RUNNING, CELL_STOPPING)) {
                        c->state = CELL_INACTIVE;
                        c->result = CELL_RESULT_DESTROYED;
                        snprintf(c->status_text, sizeof(c->status_text), "Stopped: gone while celld was not running");
                        cell_log(c, LOG_NOTICE, CELLD_MESSAGE_CELL_STOPPED,
                                 "Cell %s (id %" PRIu32 ") is gone from the hypervisor: it ended while celld was not running.",
                                 c->name, saved.id);
                }
                cell_changed(c);
                return;
        }

        c->id = info->id;
        c->console_pos = have && saved.id == info->id ? saved.console_pos : 0;
        c->console = (ConsoleLines) {};
        if (!have || saved.id != info->id)
                c->started_usec = now_usec(CLOCK_REALTIME);

        switch (info->state) {
        case WARDEN_CELL_CREATED:
                cell_log(c, LOG_NOTICE, CELLD_MESSAGE_CELL_STOPPED,
                         "Destroying cell %s (id %" PRIu32 "), which an interrupted start left behind.", c->name, c->id);
                cell_destroy(c);
                c->state = CELL_INACTIVE;
                snprintf(c->status_text, sizeof(c->status_text), "Stopped: an interrupted start was undone");
                break;
        case WARDEN_CELL_RUNNING:
                c->state = CELL_RUNNING;
                c->locked = info->flags & WARDEN_CELL_INFO_LOCKED;
                c->heartbeat = info->heartbeat;
                cell_running_status(c);
                cell_log(c, LOG_INFO, CELLD_MESSAGE_CELL_ADOPTED, "Adopted running cell %s (id %" PRIu32 ").", c->name,
                         c->id);
                cell_read_console(c, false);
                cell_arm_running(c);
                break;
        default:
                /* It ended while celld was away: handle the end now, as if it had just come. */
                c->state = have && saved.state == CELL_STOPPING ? CELL_STOPPING : CELL_RUNNING;
                if (c->state == CELL_STOPPING)
                        c->job = CELL_JOB_STOP;
                cell_on_info(c, info);
                return;
        }
        cell_changed(c);
}

/* ---- announcing ---------------------------------------------------------------------- */

void cell_snapshot(const Cell *c, CellSnapshot *ret) {
        *ret = (CellSnapshot) {
                .state = c->state,
                .locked = c->locked,
                .result = c->result,
                .id = c->id,
                .restart_count = c->restart_count,
                .needs_restart = c->needs_restart,
                .started_usec = c->started_usec,
        };
        snprintf(ret->last_failure, sizeof(ret->last_failure), "%s", c->last_failure);
        snprintf(ret->status_text, sizeof(ret->status_text), "%s", c->status_text);
}

void cell_changed(Cell *c) {
        cell_bus_emit_changes(c);
        cell_state_save(c);
}
