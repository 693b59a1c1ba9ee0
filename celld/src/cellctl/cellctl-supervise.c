/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * cellctl supervise NAME: the main process of cell@NAME.service (Type=notify).
 *
 * It asks celld to start the cell (StartCell) and sends READY=1 once the cell runs; a
 * refusal ends it with status 1 and the reason on stderr, so that the unit fails with it.
 * Then it follows the cell's PropertiesChanged signals and mirrors StatusText in STATUS=:
 * celld's restarts by policy keep it running, and so does celld's own restart (it waits
 * for the name to come back and reads the cell again). When the cell ends for good it
 * exits: 0 when it was stopped, 1 when it failed (celld gave up or does not restart it).
 * SIGTERM (systemctl stop) makes it ask celld to stop the cell (StopCell) and exit 0 once
 * it has stopped, or 1 when the cell refused.
 */
#include <errno.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-event.h>

#include "bus-names.h"
#include "cellctl-bus.h"
#include "cellctl-cells.h"
#include "log.h"

/* StartCell creates, loads and starts the cell; StopCell waits for the cell's answer. */
#define START_TIMEOUT_USEC (120 * UINT64_C(1000000))
#define STOP_TIMEOUT_USEC (600 * UINT64_C(1000000))

typedef struct Supervisor {
        const CellctlArgs *args;
        const char *name;
        char *path;
        sd_event *event;
        sd_bus *bus;
        sd_bus_slot *call;              /* StartCell or StopCell in flight */
        bool started;                   /* StartCell succeeded: READY=1 sent */
        bool waiting;                   /* for celld's name to come back, to ask (again) */
        bool stopping;                  /* SIGTERM: StopCell asked or to be asked */
        CellProps props;
        char status[600];
} Supervisor;

static void supervisor_exit(Supervisor *s, int status) {
        (void) sd_event_exit(s->event, status);
}

static void notify_status(Supervisor *s, const char *text) {
        if (streq(s->status, text))
                return;
        snprintf(s->status, sizeof(s->status), "%s", text);
        (void) sd_notifyf(false, "STATUS=%s", text);
}

static void supervisor_call(Supervisor *s);

/* Errors that mean "celld went away or is not there (yet)": wait for it and ask again. */
static bool error_is_transient(const sd_bus_error *e) {
        return sd_bus_error_has_names(e, SD_BUS_ERROR_SERVICE_UNKNOWN, SD_BUS_ERROR_NAME_HAS_NO_OWNER,
                                      SD_BUS_ERROR_NO_REPLY, SD_BUS_ERROR_DISCONNECTED, SD_BUS_ERROR_TIMEOUT);
}

static int celld_present(Supervisor *s) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        int r, has;

        r = sd_bus_call_method(s->bus, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
                               "NameHasOwner", &error, &reply, "s", CELLD_BUS_NAME);
        if (r < 0)
                return r;
        r = sd_bus_message_read(reply, "b", &has);
        return r < 0 ? r : has;
}

static void wait_for_celld(Supervisor *s, const char *why) {
        char text[300];

        s->waiting = true;
        snprintf(text, sizeof(text), "Waiting for celld (%s)", why);
        notify_status(s, text);
        log_info("%s.", text);
        /* It may have come back already, before we noticed it had gone. */
        if (celld_present(s) > 0)
                supervisor_call(s);
}

/* The cell's state as celld tells it, after StartCell succeeded. */
static void supervisor_evaluate(Supervisor *s) {
        const CellProps *p = &s->props;
        const char *state = strempty(p->state);

        if (!isempty(p->status_text))
                notify_status(s, p->status_text);
        else if (!isempty(state))
                notify_status(s, state);
        if (!s->started || s->stopping)
                return;

        if (streq(state, "failed")) {
                log_error("Cell %s failed: %s (result %s).", s->name,
                          !isempty(p->last_failure) ? p->last_failure : strempty(p->status_text), strempty(p->result));
                supervisor_exit(s, EXIT_FAILURE);
        } else if (streq(state, "inactive")) {
                log_info("Cell %s stopped: %s.", s->name, !isempty(p->status_text) ? p->status_text : "inactive");
                supervisor_exit(s, EXIT_SUCCESS);
        }
}

/* Reads every property again (after StartCell, or when celld came back). */
static void supervisor_reread(Supervisor *s) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        int r;

        r = cell_props_get(s->bus, s->path, &s->props, &error);
        if (r < 0 && error_is_transient(&error)) {
                wait_for_celld(s, "it is not running");
                return;
        }
        if (r < 0) {
                log_error("Failed to read the state of cell %s from celld: %s", s->name, bus_error_text(&error, r));
                if (sd_bus_error_has_names(&error, SD_BUS_ERROR_UNKNOWN_OBJECT, SD_BUS_ERROR_UNKNOWN_INTERFACE))
                        log_error("celld no longer knows cell %s (its description is gone?).", s->name);
                supervisor_exit(s, EXIT_FAILURE);
                return;
        }
        supervisor_evaluate(s);
}

static int on_start_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Supervisor *s = userdata;
        int code;
        const sd_bus_error *e = sd_bus_message_get_error(m);

        s->call = sd_bus_slot_unref(s->call);
        if (s->stopping)
                return 0;
        if (e && error_is_transient(e)) {
                wait_for_celld(s, e->message ?: e->name);
                return 0;
        }
        if (e) {
                char text[600];

                snprintf(text, sizeof(text), "Failed to start: %s", strempty(e->message));
                notify_status(s, text);
                log_error("Failed to start cell %s: %s", s->name, strempty(e->message));
                supervisor_exit(s, EXIT_FAILURE);
                return 0;
        }

        /* It ran: ready, even if it has ended already (then the exit follows at once). */
        s->started = true;
        (void) sd_notify(false, "READY=1");
        supervisor_reread(s);
        if (sd_event_get_exit_code(s->event, &code) < 0)
                log_info("Cell %s runs: %s.", s->name, s->status);
        return 0;
}

static int on_stop_reply(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Supervisor *s = userdata;
        const sd_bus_error *e = sd_bus_message_get_error(m);

        s->call = sd_bus_slot_unref(s->call);
        if (e && error_is_transient(e)) {
                wait_for_celld(s, e->message ?: e->name);
                return 0;
        }
        if (e && sd_bus_error_has_name(e, CELLD_ERROR_NO_SUCH_CELL)) {
                log_info("Cell %s is unknown to celld: nothing to stop.", s->name);
                supervisor_exit(s, EXIT_SUCCESS);
                return 0;
        }
        if (e) {
                log_error("Failed to stop cell %s: %s", s->name, strempty(e->message));
                supervisor_exit(s, EXIT_FAILURE);
                return 0;
        }
        log_info("Cell %s stopped.", s->name);
        supervisor_exit(s, EXIT_SUCCESS);
        return 0;
}

/* Asks celld for what we want now: the start, or after SIGTERM the stop. */
static void supervisor_call(Supervisor *s) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL;
        const char *method = s->stopping ? "StopCell" : "StartCell";
        int r;

        s->waiting = false;
        s->call = sd_bus_slot_unref(s->call);
        r = sd_bus_message_new_method_call(s->bus, &m, CELLD_BUS_NAME, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE,
                                           method);
        if (r >= 0)
                r = sd_bus_message_append(m, "s", s->name);
        if (r >= 0)
                r = sd_bus_call_async(s->bus, &s->call, m, s->stopping ? on_stop_reply : on_start_reply, s,
                                      s->stopping ? STOP_TIMEOUT_USEC : START_TIMEOUT_USEC);
        if (r < 0) {
                log_error_errno(r, "Failed to ask celld to %s cell %s: %m", s->stopping ? "stop" : "start", s->name);
                supervisor_exit(s, EXIT_FAILURE);
        }
}

static int on_properties_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Supervisor *s = userdata;
        const char *interface;
        int r;

        r = sd_bus_message_read(m, "s", &interface);
        if (r < 0 || !streq(interface, CELLD_CELL_INTERFACE))
                return 0;
        r = cell_props_read(m, &s->props);
        if (r < 0) {
                log_warning_errno(r, "Failed to parse a state change of cell %s, ignoring: %m", s->name);
                return 0;
        }
        supervisor_evaluate(s);
        return 0;
}

static int on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Supervisor *s = userdata;
        const char *name, *old, *new;

        if (sd_bus_message_read(m, "sss", &name, &old, &new) < 0 || !streq(name, CELLD_BUS_NAME))
                return 0;
        if (isempty(new)) {
                char text[300];

                snprintf(text, sizeof(text), "celld is not running; cell %s %s", s->name,
                         s->started ? "keeps running" : "waits for it");
                notify_status(s, text);
                log_notice("celld went away; waiting for it to come back.");
                return 0;
        }
        log_info("celld is back.");
        if (s->waiting || (!s->started && !s->call))
                supervisor_call(s);
        else if (s->started && !s->stopping)
                supervisor_reread(s);
        return 0;
}

static int on_sigterm(sd_event_source *es, const struct signalfd_siginfo *si, void *userdata) {
        Supervisor *s = userdata;

        if (s->stopping)
                return 0;
        s->stopping = true;
        (void) sd_notify(false, "STOPPING=1\nSTATUS=Stopping");
        log_info("Stopping cell %s.", s->name);
        /* A start in flight is answered first: celld handles requests in order. */
        s->call = sd_bus_slot_unref(s->call);
        supervisor_call(s);
        return 0;
}

int verb_supervise(const CellctlArgs *args) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        Supervisor s = { .args = args, .name = args->name };
        sigset_t mask;
        int r;

        if (!cell_name_ok(args->name))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "'%s' is no cell name", args->name);

        r = sd_bus_path_encode(CELLD_CELL_PATH_PREFIX, args->name, &s.path);
        if (r < 0)
                return log_oom();
        r = bus_open(args, &bus);
        if (r < 0)
                goto out;
        s.bus = bus;

        r = sd_event_default(&s.event);
        if (r < 0) {
                log_error_errno(r, "Failed to allocate the event loop: %m");
                goto out;
        }
        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        if ((r = sd_event_add_signal(s.event, NULL, SIGTERM, on_sigterm, &s)) < 0 ||
            (r = sd_event_add_signal(s.event, NULL, SIGINT, on_sigterm, &s)) < 0 ||
            (r = sd_bus_attach_event(bus, s.event, SD_EVENT_PRIORITY_NORMAL)) < 0) {
                log_error_errno(r, "Failed to set up the event loop: %m");
                goto out;
        }

        /* Subscribed before asking, so that no change is missed. */
        r = sd_bus_match_signal(bus, NULL, CELLD_BUS_NAME, s.path, "org.freedesktop.DBus.Properties",
                                "PropertiesChanged", on_properties_changed, &s);
        if (r >= 0)
                r = sd_bus_match_signal(bus, NULL, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                        "org.freedesktop.DBus", "NameOwnerChanged", on_name_owner_changed, &s);
        if (r < 0) {
                log_error_errno(r, "Failed to subscribe to the signals of cell %s: %m", s.name);
                goto out;
        }

        notify_status(&s, "Starting");
        supervisor_call(&s);
        r = sd_event_loop(s.event);
        if (r < 0)
                log_error_errno(r, "Event loop failed: %m");
        else if (r != EXIT_SUCCESS)
                r = -EIO;
out:
        s.call = sd_bus_slot_unref(s.call);
        if (s.event) {
                sd_bus_detach_event(bus);
                sd_event_unref(s.event);
        }
        cell_props_done(&s.props);
        free(s.path);
        return r < 0 ? r : 0;
}
