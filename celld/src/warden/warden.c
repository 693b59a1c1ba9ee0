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
#include "warden-format.h"
#include "warden-nl.h"
#include "warden-system.h"

/* How often 'console -f' asks for more: there is no log event yet. */
#define CONSOLE_FOLLOW_INTERVAL_NS (200 * 1000 * 1000L)

typedef struct Monitor {
        WardenNl *nl;
        WardenEvents *events;
        bool json;
} Monitor;

/* Prints and frees @v; monitor output is one object per line even on a terminal. */
static int print_json(json_t *v, bool line) {
        json_auto_t *o = v;
        int r;

        r = line ? json_print_line(o, stdout) : json_print(o, stdout);
        if (r < 0)
                return log_error_errno(r, "Failed to write JSON: %m");
        return 0;
}

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
        return print_json(o, false);
}

/* A socket with the module's family resolved: "warden.ko is not loaded" is said here. */
static int nl_open(const char *verb, WardenNl **ret) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        int r;

        r = warden_nl_new(&nl);
        if (r < 0)
                return log_error_errno(r, "Failed to open a generic netlink socket: %m");
        r = warden_nl_resolve(nl);
        if (r < 0)
                return log_error_errno(r, "%s: %s", verb, warden_nl_strerror(nl, r));

        *ret = TAKE_PTR(nl);
        return 0;
}

/*
 * Why an administrative request failed: the module's extack text ("refused"), or for a
 * bare errno what it means here.
 */
static int log_request_error(WardenNl *nl, int r, const char *verb) {
        const char *message = warden_nl_message(nl);

        if (message)
                return log_error_errno(r, "%s refused: %s", verb, message);
        if (ERRNO_VALUE(r) == EPERM)
                return log_error_errno(r, "%s: permission denied (needs CAP_NET_ADMIN)", verb);
        return log_error_errno(r, "%s failed: %m", verb);
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

        r = nl_open("enable", &nl);
        if (r < 0)
                return r;
        r = warden_nl_enable(nl, blob, size);
        if (r < 0)
                return log_request_error(nl, r, "enable");
        return 0;
}

static int verb_disable(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        int r;

        r = nl_open("disable", &nl);
        if (r < 0)
                return r;
        r = warden_nl_disable(nl);
        if (r < 0)
                return log_request_error(nl, r, "disable");
        return 0;
}

static volatile sig_atomic_t console_stop;

static void console_on_signal(int sig) {
        console_stop = 1;
}

static int console_write(const WardenConsole *c) {
        if (c->size > 0 && fwrite(c->data, 1, c->size, stdout) != c->size)
                return log_error_errno(errno ?: EIO, "Failed to write the log: %m");
        return 0;
}

static int verb_console(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        _cleanup_free_ WardenConsole *c = NULL;
        struct sigaction sa = { .sa_handler = console_on_signal };
        uint64_t pos = 0;
        int r;

        c = malloc(sizeof(*c));
        if (!c)
                return log_oom();
        r = nl_open("console", &nl);
        if (r < 0)
                return r;

        /* Ctrl-C ends -f with status 0; the sleep below returns early. */
        if (args->follow) {
                (void) sigaction(SIGINT, &sa, NULL);
                (void) sigaction(SIGTERM, &sa, NULL);
        }

        while (!console_stop) {
                r = warden_nl_console(nl, pos, c);
                if (r < 0)
                        return log_request_error(nl, r, "console");

                if (c->head < pos) {
                        /* A new hypervisor since the last read (disabled and enabled again). */
                        log_notice("The hypervisor's log restarted.");
                        pos = 0;
                        continue;
                }
                if (c->pos > pos)
                        log_warning("%" PRIu64 " bytes of the log were overwritten before they could be read.",
                                    c->pos - pos);
                r = console_write(c);
                if (r < 0)
                        return r;
                pos = c->pos + c->size;
                if (c->size > 0 && pos < c->head)
                        continue;       /* more right now */

                if (!args->follow)
                        break;
                if (fflush(stdout) == EOF)
                        return log_error_errno(errno, "Failed to write the log: %m");
                (void) nanosleep(&(struct timespec) { .tv_nsec = CONSOLE_FOLLOW_INTERVAL_NS }, NULL);
        }

        if (fflush(stdout) == EOF)
                return log_error_errno(errno, "Failed to write the log: %m");
        return 0;
}

static int monitor_print(const Monitor *m, const WardenEvent *e) {
        json_t *o;
        int r;

        if (!m->json)
                return warden_event_print(e, stdout);
        r = warden_event_to_json(e, &o);
        return r < 0 ? log_oom() : print_json(o, true);
}

/* At start, after a module load and after lost events: what the state is now. */
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
        return monitor_print(m, &e);
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

        r = warden_events_new(nl, &events);
        if (r < 0)
                return log_error_errno(r, "Failed to subscribe to warden.ko's events: %s",
                                       warden_nl_strerror(nl, r));

        m.nl = nl;
        m.events = events;
        r = monitor_show_state(&m, true);
        if (r < 0)
                return r;
        fflush(stdout);

        return monitor_loop(&m);
}

static int (*const verbs[_WARDEN_VERB_MAX])(const WardenArgs *args) = {
        [WARDEN_VERB_STATUS] = verb_status,
        [WARDEN_VERB_MONITOR] = verb_monitor,
        [WARDEN_VERB_ENABLE] = verb_enable,
        [WARDEN_VERB_DISABLE] = verb_disable,
        [WARDEN_VERB_CONSOLE] = verb_console,
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
