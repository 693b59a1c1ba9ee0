/* SPDX-License-Identifier: GPL-2.0-only */
/* warden: the low-level CLI that talks to warden.ko directly over generic netlink. */
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <systemd/sd-event.h>
#include <time.h>
#include <unistd.h>

#include "json-util.h"
#include "log.h"
#include "warden-args.h"
#include "warden-cell.h"
#include "warden-format.h"
#include "warden-hwcheck.h"
#include "warden-nl.h"
#include "warden-system.h"
#include "warden-util.h"

typedef struct Monitor {
        WardenNl *nl;
        WardenEvents *events;
        bool json;
} Monitor;

static int verb_status(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        WardenInfo info;
        json_t *o;
        int r;

        r = warden_nl_new(&nl);
        if (r < 0)
                return log_error_errno(r, "Failed to open a generic netlink socket: %m");

        r = warden_nl_get(nl, &info);
        if (r < 0)
                return log_error_errno(r, "Failed to read the hypervisor status: %s",
                                       warden_nl_strerror(nl, r));

        if (!args->json)
                return warden_status_print(&info, stdout);

        r = warden_status_to_json(&info, &o);
        if (r < 0)
                return log_oom();
        return warden_print_json(o, false);
}

static int verb_enable(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        _cleanup_free_ void *blob = NULL;
        size_t size;
        int r;

        /* The description first: one with errors never reaches the module. */
        r = warden_system_load(args->system, isatty(STDERR_FILENO), &blob, &size);
        if (r < 0)
                return r;

        r = warden_nl_open("enable", &nl);
        if (r < 0)
                return r;
        r = warden_nl_enable(nl, blob, size);
        if (r < 0)
                return warden_log_request_error(nl, r, "enable");
        return 0;
}

static int verb_disable(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        int r;

        r = warden_nl_open("disable", &nl);
        if (r < 0)
                return r;
        r = warden_nl_disable(nl);
        if (r < 0)
                return warden_log_request_error(nl, r, "disable");
        return 0;
}

static int hv_console_read(WardenNl *nl, uint64_t pos, WardenConsole *ret, void *userdata) {
        return warden_nl_console(nl, pos, ret);
}

static int verb_console(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        int r;

        r = warden_nl_open("console", &nl);
        if (r < 0)
                return r;
        return warden_console_print(nl, "console", "the hypervisor's log", args->follow, NULL, hv_console_read, NULL);
}

static int monitor_print(const Monitor *m, const WardenEvent *e) {
        json_t *o;
        int r;

        if (!m->json)
                return warden_event_print(e, stdout);
        r = warden_event_to_json(e, &o);
        return r < 0 ? log_oom() : warden_print_json(o, true);
}

/* The cells there are now, one CELL_CHANGED line each. */
static int monitor_show_cells(Monitor *m) {
        _cleanup_free_ WardenCellInfo *cells = NULL;
        size_t n = 0;
        int r;

        r = warden_nl_cell_list(m->nl, &cells, &n);
        if (r == -ENOENT)
                return 0;       /* unloaded meanwhile: that event follows */
        if (r < 0)
                return log_error_errno(r, "Failed to list the cells: %s", warden_nl_strerror(m->nl, r));
        for (size_t i = 0; i < n && r >= 0; i++) {
                WardenEvent e = { .type = WARDEN_EVENT_CELL_CHANGED, .cell = cells[i] };

                r = monitor_print(m, &e);
        }
        return r;
}

/* At start, after a module load and after lost events: what the state and the cells are now. */
static int monitor_show_state(Monitor *m, bool initial) {
        WardenEvent e = { .type = WARDEN_EVENT_STATE_CHANGED };
        WardenInfo info;
        int r;

        r = warden_nl_get(m->nl, &info);
        if (r == -ENOENT && initial)
                return monitor_print(m, &(const WardenEvent) { .type = WARDEN_EVENT_MODULE_UNLOADED });
        if (r == -ENOENT)
                return 0;       /* unloaded again meanwhile: that event follows */
        if (r < 0)
                return log_error_errno(r, "Failed to read the hypervisor status: %s",
                                       warden_nl_strerror(m->nl, r));

        e.state = info.state;
        r = monitor_print(m, &e);
        if (r < 0 || info.state != WARDEN_HV_ENABLED)
                return r;
        return monitor_show_cells(m);
}

static int monitor_on_event(const WardenEvent *event, void *userdata) {
        Monitor *m = userdata;
        int r;

        r = monitor_print(m, event);
        if (r < 0)
                return r;

        if (IN_SET(event->type, WARDEN_EVENT_MODULE_LOADED, WARDEN_EVENT_MODULE_UNLOADED, WARDEN_EVENT_LOST))
                warden_nl_forget(m->nl);
        if (IN_SET(event->type, WARDEN_EVENT_MODULE_LOADED, WARDEN_EVENT_LOST))
                r = monitor_show_state(m, false);
        fflush(stdout);
        return r;
}

static int monitor_on_io(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Monitor *m = userdata;
        int r;

        r = warden_events_receive(m->events, monitor_on_event, m);
        if (r < 0)
                return sd_event_exit(sd_event_source_get_event(s), r);
        return 0;
}

static int monitor_on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int monitor_loop(Monitor *m) {
        _cleanup_(sd_event_unrefp) sd_event *e = NULL;
        sigset_t mask;
        int r;

        r = sd_event_default(&e);
        if (r < 0)
                return log_error_errno(r, "Failed to allocate an event loop: %m");

        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigprocmask(SIG_BLOCK, &mask, NULL);

        if ((r = sd_event_add_signal(e, NULL, SIGINT, monitor_on_signal, NULL)) < 0 ||
            (r = sd_event_add_signal(e, NULL, SIGTERM, monitor_on_signal, NULL)) < 0 ||
            (r = sd_event_add_io(e, NULL, warden_events_get_fd(m->events), EPOLLIN, monitor_on_io, m)) < 0)
                return log_error_errno(r, "Failed to set up the event loop: %m");

        return sd_event_loop(e);
}

static int verb_monitor(const WardenArgs *args) {
        _cleanup_(warden_events_freep) WardenEvents *events = NULL;
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        Monitor m = { .json = args->json };
        int r;

        r = warden_nl_new(&nl);
        if (r < 0)
                return log_error_errno(r, "Failed to open a generic netlink socket: %m");
        /* The monitor reports loads and unloads: watching must not load the module. */
        warden_nl_set_autoload(nl, false);

        r = warden_events_new(nl, &events);
        if (r < 0)
                return log_error_errno(r, "Failed to subscribe to warden.ko's events: %s",
                                       warden_nl_strerror(nl, r));

        warden_events_want_cells(events, true);
        m.nl = nl;
        m.events = events;
        r = monitor_show_state(&m, true);
        if (r < 0)
                return r;
        fflush(stdout);

        return monitor_loop(&m);
}

static int load_machine(const WardenArgs *args, HwMachine **ret) {
        int r = hw_machine_load(args->root, ret);

        return r < 0 ? log_oom() : 0;
}

/* 0 when Warden can run here, -ENODEV (after printing why) when it cannot. */
static int verb_hardware(const WardenArgs *args) {
        _cleanup_(hw_machine_freep) HwMachine *m = NULL;
        HwChecks c;
        bool ready;
        int r;

        r = load_machine(args, &m);
        if (r < 0)
                return r;
        if (hw_checks_run(m, &c) < 0)
                return log_oom();
        ready = hw_checks_ready(&c);
        r = hw_checks_print(&c, args->json, stdout);
        hw_checks_done(&c);
        if (r < 0)
                return log_error_errno(r, "Failed to print the checks: %m");
        return ready ? 0 : -ENODEV;
}

static int verb_config(const WardenArgs *args) {
        _cleanup_(hw_machine_freep) HwMachine *m = NULL;
        int r;

        r = load_machine(args, &m);
        if (r < 0)
                return r;
        return hw_config_write(m, stdout);
}

static int (*const verbs[_WARDEN_VERB_MAX])(const WardenArgs *args) = {
        [WARDEN_VERB_STATUS] = verb_status,
        [WARDEN_VERB_MONITOR] = verb_monitor,
        [WARDEN_VERB_ENABLE] = verb_enable,
        [WARDEN_VERB_DISABLE] = verb_disable,
        [WARDEN_VERB_CONSOLE] = verb_console,
        [WARDEN_VERB_CELL] = warden_cell_main,
        [WARDEN_VERB_HARDWARE] = verb_hardware,
        [WARDEN_VERB_CONFIG] = verb_config,
};

int main(int argc, char *argv[]) {
        WardenArgs args;
        int r;

        log_setup();

        r = warden_parse_argv(argc, argv, &args);
        if (r < 0)
                return EXIT_USAGE;
        if (r == 0)
                return EXIT_SUCCESS;

        r = verbs[args.verb](&args);
        return r < 0 ? EXIT_FAILURE : EXIT_SUCCESS;
}
