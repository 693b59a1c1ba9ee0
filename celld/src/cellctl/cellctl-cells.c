/* SPDX-License-Identifier: GPL-2.0-only */
/* cellctl's cell verbs: list, status NAME, start|stop|restart NAME, console NAME, events. */
#include <errno.h>
#include <inttypes.h>
#include <signal.h>
#include <stdlib.h>
#include <string.h>
#include <systemd/sd-event.h>
#include <systemd/sd-journal.h>
#include <time.h>
#include <unistd.h>

#include "bus-names.h"
#include "cell-text.h"
#include "cellctl-bus.h"
#include "cellctl-cells.h"
#include "console-attach.h"
#include "json-util.h"
#include "log.h"

/* Cell names as the schema has them: the unit instance must be one. */
bool cell_name_ok(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n >= 32 || s[0] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
                        return false;
        return true;
}

static int check_name(const char *name) {
        if (!cell_name_ok(name))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "'%s' is no cell name (lower-case letters, digits and '-', at most 31)", name);
        return 0;
}

/* ---- list ---------------------------------------------------------------------------- */

typedef struct CellList {
        CellProps *cells;
        size_t n;
} CellList;

static void cell_list_done(CellList *l) {
        for (size_t i = 0; i < l->n; i++)
                cell_props_done(&l->cells[i]);
        free(l->cells);
        *l = (CellList) {};
}

static int cell_list_get(sd_bus *bus, const CellctlArgs *args, CellList *ret) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *reply = NULL;
        _cleanup_(cell_list_done) CellList l = {};
        const char *name, *state, *result, *path;
        uint32_t id;
        int r;

        r = sd_bus_call_method(bus, CELLD_BUS_NAME, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE, "ListCells", &error,
                               &reply, NULL);
        if (r < 0)
                return log_bus_error(args, &error, r, "Failed to list the cells");

        r = sd_bus_message_enter_container(reply, 'a', "(sssuo)");
        if (r < 0)
                return log_error_errno(r, "Failed to parse the cell list: %m");
        while ((r = sd_bus_message_read(reply, "(sssuo)", &name, &state, &result, &id, &path)) > 0) {
                CellProps *a = reallocarray(l.cells, l.n + 1, sizeof(*a));

                if (!a)
                        return log_oom();
                l.cells = a;
                l.cells[l.n++] = (CellProps) {};
                sd_bus_error_free(&error);
                r = cell_props_get(bus, path, &l.cells[l.n - 1], &error);
                if (r < 0)
                        return log_bus_error(args, &error, r, "Failed to read a cell's properties");
        }
        if (r < 0)
                return log_error_errno(r, "Failed to parse the cell list: %m");

        *ret = l;
        l = (CellList) {};
        return 0;
}

int verb_list(const CellctlArgs *args) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(cell_list_done) CellList l = {};
        json_auto_t *a = NULL;
        int r;

        r = bus_open(args, &bus);
        if (r < 0)
                return r;
        r = cell_list_get(bus, args, &l);
        if (r < 0)
                return r;

        if (args->json) {
                a = json_array();
                if (!a)
                        return log_oom();
                for (size_t i = 0; i < l.n; i++) {
                        json_t *o;

                        if (cell_props_to_json(&l.cells[i], &o) < 0 || json_array_append_new(a, o) < 0)
                                return log_oom();
                }
                r = json_print(a, stdout);
                if (r < 0)
                        return log_error_errno(r, "Failed to write JSON: %m");
                return 0;
        }

        if (l.n == 0) {
                printf("No cells.\n");
                return 0;
        }
        printf("%-20s %-15s %-12s %4s %-8s %8s %s\n", "CELL", "STATE", "RESULT", "ID", "CPUS", "RESTARTS",
               "DESCRIPTION");
        for (size_t i = 0; i < l.n; i++) {
                const CellProps *p = &l.cells[i];
                char cpus[WARDEN_CPU_LIST_MAX], id[16];

                snprintf(id, sizeof(id), "%" PRIu32, p->id);
                printf("%-20s %-15s %-12s %4s %-8s %8" PRIu32 " %s%s\n", strempty(p->name), strempty(p->state),
                       strempty(p->result), p->id ? id : "-", warden_format_cpu_list(p->cpus, cpus),
                       p->restart_count, strempty(p->config_file), p->needs_restart ? " (needs restart)" : "");
        }
        return ferror(stdout) ? log_error_errno(SYNTHETIC_ERRNO(EIO), "Failed to write the list") : 0;
}

/* ---- status -------------------------------------------------------------------------- */

static void format_timestamp(uint64_t usec, char *buf, size_t size) {
        time_t t = (time_t) (usec / 1000000);
        struct tm tm;

        if (usec == 0 || !localtime_r(&t, &tm) || strftime(buf, size, "%a %Y-%m-%d %H:%M:%S %Z", &tm) == 0)
                snprintf(buf, size, "n/a");
}

static void format_ago(uint64_t usec, char *buf, size_t size) {
        struct timespec ts;
        uint64_t now, d;

        clock_gettime(CLOCK_REALTIME, &ts);
        now = (uint64_t) ts.tv_sec * 1000000 + (uint64_t) ts.tv_nsec / 1000;
        d = now > usec ? (now - usec) / 1000000 : 0;
        if (d < 60)
                snprintf(buf, size, "%" PRIu64 "s ago", d);
        else if (d < 3600)
                snprintf(buf, size, "%" PRIu64 "min %" PRIu64 "s ago", d / 60, d % 60);
        else
                snprintf(buf, size, "%" PRIu64 "h %" PRIu64 "min ago", d / 3600, d / 60 % 60);
}

/* The last @n journal entries of cell @name in this boot, oldest first. */
static int print_journal(const char *name, unsigned n, FILE *f) {
        _cleanup_free_ char *match = NULL, *boot = NULL;
        sd_journal *j = NULL;
        sd_id128_t id;
        unsigned k = 0;
        int r;

        if (n == 0)
                return 0;
        if (asprintf(&match, "CELL=%s", name) < 0)
                return log_oom();
        r = sd_id128_get_boot(&id);
        if (r < 0)
                return r;
        if (asprintf(&boot, "_BOOT_ID=" SD_ID128_FORMAT_STR, SD_ID128_FORMAT_VAL(id)) < 0)
                return log_oom();

        r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r < 0)
                return r;
        r = sd_journal_add_match(j, match, 0);
        if (r >= 0)
                r = sd_journal_add_match(j, boot, 0);
        if (r >= 0)
                r = sd_journal_seek_tail(j);
        while (r >= 0 && k < n && (r = sd_journal_previous(j)) > 0)
                k++;
        if (r < 0) {
                sd_journal_close(j);
                return r;
        }
        if (k > 0)
                fputc('\n', f);
        for (unsigned i = 0; i < k; i++) {
                const void *data;
                size_t len;
                uint64_t usec;
                char when[64] = "";
                const char *ident = "celld";
                char identbuf[64];
                time_t t;
                struct tm tm;

                if (i > 0 && sd_journal_next(j) <= 0)
                        break;
                if (sd_journal_get_realtime_usec(j, &usec) >= 0) {
                        t = (time_t) (usec / 1000000);
                        if (localtime_r(&t, &tm))
                                strftime(when, sizeof(when), "%b %d %H:%M:%S", &tm);
                }
                if (sd_journal_get_data(j, "SYSLOG_IDENTIFIER", &data, &len) >= 0 && len > 18) {
                        snprintf(identbuf, sizeof(identbuf), "%.*s", (int) (len - 18), (const char *) data + 18);
                        ident = identbuf;
                }
                if (sd_journal_get_data(j, "MESSAGE", &data, &len) < 0)
                        continue;
                fprintf(f, "%s %s: %.*s\n", when, ident, (int) (len - 8), (const char *) data + 8);
        }
        sd_journal_close(j);
        return 0;
}

static int print_cell_status(const CellProps *p, FILE *f) {
        char cpus[WARDEN_CPU_LIST_MAX], mem[WARDEN_BYTES_MAX], when[64], ago[64];
        bool running = p->state && strncmp(p->state, "running", 7) == 0;

        fprintf(f, "%s %s - Warden cell %s\n", running ? "●" : p->state && streq(p->state, "failed") ? "×" : "○",
                strempty(p->name), strempty(p->name));
        if (p->started_usec && (running || (p->state && streq(p->state, "stopping")))) {
                format_timestamp(p->started_usec, when, sizeof(when));
                format_ago(p->started_usec, ago, sizeof(ago));
                fprintf(f, "       State: %s since %s; %s\n", strempty(p->state), when, ago);
        } else
                fprintf(f, "       State: %s\n", strempty(p->state));
        fprintf(f, "      Result: %s\n", strempty(p->result));
        if (p->id)
                fprintf(f, "          Id: %" PRIu32 "\n", p->id);
        fprintf(f, "        CPUs: %s\n", warden_format_cpu_list(p->cpus, cpus));
        fprintf(f, "      Memory: %s\n", warden_format_bytes(p->memory, mem));
        fprintf(f, " Description: %s%s\n", strempty(p->config_file), p->needs_restart ? " (changed: needs restart)" : "");
        fprintf(f, "     Restart: %s (%" PRIu32 " restart%s)\n", strempty(p->restart), p->restart_count,
                p->restart_count == 1 ? "" : "s");
        if (p->watchdog_usec)
                fprintf(f, "    Watchdog: %" PRIu64 " ms\n", p->watchdog_usec / 1000);
        if (!isempty(p->last_failure))
                fprintf(f, "Last failure: %s\n", p->last_failure);
        if (!isempty(p->status_text))
                fprintf(f, "      Status: \"%s\"\n", p->status_text);
        return ferror(f) ? -EIO : 0;
}

int verb_cell_status(const CellctlArgs *args) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(cell_props_done) CellProps p = {};
        _cleanup_free_ char *path = NULL;
        json_auto_t *o = NULL;
        int r;

        r = check_name(args->name);
        if (r < 0)
                return r;
        r = bus_open(args, &bus);
        if (r < 0)
                return r;
        r = cell_path_get(bus, args->name, &path, &error);
        if (r >= 0)
                r = cell_props_get(bus, path, &p, &error);
        if (r < 0)
                return log_bus_error(args, &error, r, "Failed to read cell status");

        if (args->json) {
                if (cell_props_to_json(&p, &o) < 0)
                        return log_oom();
                r = json_print(o, stdout);
                return r < 0 ? log_error_errno(r, "Failed to write JSON: %m") : 0;
        }
        r = print_cell_status(&p, stdout);
        if (r < 0)
                return log_error_errno(r, "Failed to write the status: %m");
        r = print_journal(args->name, args->lines, stdout);
        if (r < 0)
                log_notice("(The journal of cell %s cannot be read: %s. Root or the adm group can read it.)",
                           args->name, strerror(ERRNO_VALUE(r)));
        return 0;
}

/* ---- start, stop, restart: through the units ----------------------------------------- */

int verb_unit(const CellctlArgs *args) {
        static const char *const verbs[_CELLCTL_VERB_MAX] = {
                [CELLCTL_VERB_START] = "start",
                [CELLCTL_VERB_STOP] = "stop",
                [CELLCTL_VERB_RESTART] = "restart",
        };
        char unit[64];
        int r;

        r = check_name(args->name);
        if (r < 0)
                return r;
        snprintf(unit, sizeof(unit), "cell@%s.service", args->name);
        fflush(stdout);
        execlp("systemctl", "systemctl", verbs[args->verb], unit, (char *) NULL);
        return log_error_errno(errno, "Failed to run systemctl %s %s: %m", verbs[args->verb], unit);
}

/* ---- console: the cell's lines in the journal ---------------------------------------- */

static volatile sig_atomic_t console_stop;

static void on_signal(int sig) {
        console_stop = 1;
}

/*
 * ---- console NAME on a terminal, or -i: attached both ways --------------------------------
 *
 * What the cell writes is read from the module (many may read); what is typed goes through
 * celld (ConsoleWrite), which lets one client write at a time: ConsoleAttach first, so that a
 * second writer is refused before it types anything.
 */

typedef struct Attach {
        sd_bus *bus;
        const char *path;
        const char *name;
        const CellctlArgs *args;
} Attach;

static int attach_send(const void *data, size_t size, size_t *ret_written, void *userdata) {
        _cleanup_(sd_bus_message_unrefp) sd_bus_message *m = NULL, *reply = NULL;
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        Attach *a = userdata;
        uint32_t written;
        int r;

        r = sd_bus_message_new_method_call(a->bus, &m, CELLD_BUS_NAME, a->path, CELLD_CELL_INTERFACE,
                                           "ConsoleWrite");
        if (r >= 0)
                r = sd_bus_message_append_array(m, 'y', data, size);
        if (r >= 0)
                r = sd_bus_call(a->bus, m, 0, &error, &reply);
        if (r >= 0)
                r = sd_bus_message_read(reply, "u", &written);
        if (r < 0)
                return log_bus_error(a->args, &error, r, "Failed to write to the console");
        *ret_written = written;
        return 0;
}

static int console_attach_bus(const CellctlArgs *args) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        _cleanup_(cell_props_done) CellProps p = {};
        _cleanup_free_ char *path = NULL, *what = NULL;
        Attach a = { .name = args->name, .args = args };
        int r;

        r = bus_open(args, &bus);
        if (r < 0)
                return r;
        r = cell_path_get(bus, args->name, &path, &error);
        if (r >= 0)
                r = cell_props_get(bus, path, &p, &error);
        if (r >= 0)
                r = sd_bus_call_method(bus, CELLD_BUS_NAME, path, CELLD_CELL_INTERFACE, "ConsoleAttach", &error,
                                       NULL, NULL);
        if (r < 0)
                return log_bus_error(args, &error, r, "Failed to attach to the console");
        if (p.id == 0)
                return log_error_errno(SYNTHETIC_ERRNO(EPIPE), "Cell %s does not run.", args->name);
        r = warden_nl_new(&nl);
        if (r < 0)
                return log_error_errno(r, "Failed to open a generic netlink socket: %m");
        if (asprintf(&what, "cell %s", args->name) < 0)
                return log_oom();
        a.bus = bus;
        a.path = path;
        r = console_attach(nl, p.id, what, attach_send, &a);
        (void) sd_bus_call_method(bus, CELLD_BUS_NAME, path, CELLD_CELL_INTERFACE, "ConsoleDetach", NULL, NULL,
                                  NULL);
        return r;
}

int verb_console(const CellctlArgs *args) {
        _cleanup_free_ char *match = NULL, *boot = NULL;
        struct sigaction sa = { .sa_handler = on_signal };
        sd_journal *j = NULL;
        sd_id128_t id;
        int r;

        r = check_name(args->name);
        if (r < 0)
                return r;
        if (args->attach || (!args->follow && isatty(STDIN_FILENO) && isatty(STDOUT_FILENO)))
                return console_attach_bus(args);
        if (asprintf(&match, "CELL=%s", args->name) < 0)
                return log_oom();
        r = sd_id128_get_boot(&id);
        if (r < 0)
                return log_error_errno(r, "Failed to read the boot id: %m");
        if (asprintf(&boot, "_BOOT_ID=" SD_ID128_FORMAT_STR, SD_ID128_FORMAT_VAL(id)) < 0)
                return log_oom();

        r = sd_journal_open(&j, SD_JOURNAL_LOCAL_ONLY);
        if (r < 0)
                return log_error_errno(r, "Failed to open the journal: %m");
        r = sd_journal_add_match(j, match, 0);
        if (r >= 0)
                r = sd_journal_add_match(j, "CELL_CONSOLE=1", 0);
        if (r >= 0)
                r = sd_journal_add_match(j, boot, 0);
        if (r >= 0)
                r = sd_journal_seek_head(j);
        if (r < 0) {
                sd_journal_close(j);
                return log_error_errno(r, "Failed to read the journal: %m");
        }

        sigaction(SIGINT, &sa, NULL);
        sigaction(SIGTERM, &sa, NULL);
        while (!console_stop) {
                const void *data;
                size_t len;

                r = sd_journal_next(j);
                if (r < 0)
                        break;
                if (r == 0) {
                        if (!args->follow)
                                break;
                        fflush(stdout);
                        r = sd_journal_wait(j, UINT64_MAX);
                        if (r < 0 && r != -EINTR)
                                break;
                        r = 0;
                        continue;
                }
                if (sd_journal_get_data(j, "MESSAGE", &data, &len) >= 0)
                        printf("%.*s\n", (int) (len - 8), (const char *) data + 8);
        }
        sd_journal_close(j);
        fflush(stdout);
        if (r < 0)
                return log_error_errno(r, "Failed to read the journal: %m");
        return 0;
}

/* ---- events -------------------------------------------------------------------------- */

typedef struct Events {
        const CellctlArgs *args;
        sd_bus *bus;
} Events;

static int print_event(const Events *e, const char *event, const CellProps *p) {
        json_auto_t *o = NULL;
        json_t *cell;
        int r;

        if (!e->args->json) {
                if (streq(event, "cell-changed"))
                        printf("Cell %s: %s (%s)%s%s\n", strempty(p->name), strempty(p->state), strempty(p->result),
                               isempty(p->status_text) ? "" : ": ", strempty(p->status_text));
                else
                        printf("Cell %s: %s\n", strempty(p->name), streq(event, "cell-new") ? "new" : "removed");
                fflush(stdout);
                return 0;
        }
        o = json_object();
        if (!o || json_object_set_new(o, "event", json_string(event)) < 0 || cell_props_to_json(p, &cell) < 0 ||
            json_object_set_new(o, "cell", cell) < 0)
                return log_oom();
        r = json_print_line(o, stdout);
        fflush(stdout);
        return r;
}

static int on_properties_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;
        _cleanup_(cell_props_done) CellProps p = {};
        Events *e = userdata;
        const char *interface;
        int r;

        r = sd_bus_message_read(m, "s", &interface);
        if (r < 0 || !streq(interface, CELLD_CELL_INTERFACE))
                return 0;
        /* The signal carries what changed; the rest (the name...) comes from the object. */
        r = cell_props_get(e->bus, sd_bus_message_get_path(m), &p, &error);
        if (r < 0)
                return 0;
        r = cell_props_read(m, &p);
        if (r < 0)
                return 0;
        (void) print_event(e, "cell-changed", &p);
        return 0;
}

static int on_cell_new_or_removed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        Events *e = userdata;
        CellProps p = {};
        const char *name, *path;

        if (sd_bus_message_read(m, "so", &name, &path) < 0)
                return 0;
        p.name = (char *) name;
        (void) print_event(e, streq(sd_bus_message_get_member(m), "CellNew") ? "cell-new" : "cell-removed", &p);
        return 0;
}

static int on_name_owner_changed(sd_bus_message *m, void *userdata, sd_bus_error *ret_error) {
        const char *name, *old, *new;

        if (sd_bus_message_read(m, "sss", &name, &old, &new) < 0 || !streq(name, CELLD_BUS_NAME))
                return 0;
        printf("celld %s\n", isempty(new) ? "stopped" : "started");
        fflush(stdout);
        return 0;
}

int verb_events(const CellctlArgs *args) {
        _cleanup_(sd_bus_flush_close_unrefp) sd_bus *bus = NULL;
        _cleanup_(cell_list_done) CellList l = {};
        sd_event *event = NULL;
        Events e = { .args = args };
        sigset_t mask;
        int r;

        r = bus_open(args, &bus);
        if (r < 0)
                return r;
        e.bus = bus;

        /* Subscribed before the first read, so that no change between the two is missed. */
        r = sd_bus_add_match(bus, NULL,
                             "type='signal',sender='" CELLD_BUS_NAME "',interface='org.freedesktop.DBus.Properties',"
                             "member='PropertiesChanged',path_namespace='" CELLD_CELL_PATH_PREFIX "'",
                             on_properties_changed, &e);
        if (r >= 0)
                r = sd_bus_match_signal(bus, NULL, CELLD_BUS_NAME, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE,
                                        "CellNew", on_cell_new_or_removed, &e);
        if (r >= 0)
                r = sd_bus_match_signal(bus, NULL, CELLD_BUS_NAME, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE,
                                        "CellRemoved", on_cell_new_or_removed, &e);
        if (r >= 0 && !args->json)
                r = sd_bus_match_signal(bus, NULL, "org.freedesktop.DBus", "/org/freedesktop/DBus",
                                        "org.freedesktop.DBus", "NameOwnerChanged", on_name_owner_changed, &e);
        if (r < 0)
                return log_error_errno(r, "Failed to subscribe to celld's signals: %m");

        r = cell_list_get(bus, args, &l);
        if (r < 0)
                return r;
        for (size_t i = 0; i < l.n; i++)
                (void) print_event(&e, "cell-changed", &l.cells[i]);

        r = sd_event_default(&event);
        if (r < 0)
                return log_error_errno(r, "Failed to allocate the event loop: %m");
        sigemptyset(&mask);
        sigaddset(&mask, SIGINT);
        sigaddset(&mask, SIGTERM);
        sigprocmask(SIG_BLOCK, &mask, NULL);
        if ((r = sd_event_add_signal(event, NULL, SIGINT, NULL, NULL)) < 0 ||
            (r = sd_event_add_signal(event, NULL, SIGTERM, NULL, NULL)) < 0 ||
            (r = sd_bus_attach_event(bus, event, SD_EVENT_PRIORITY_NORMAL)) < 0) {
                sd_event_unref(event);
                return log_error_errno(r, "Failed to set up the event loop: %m");
        }
        r = sd_event_loop(event);
        sd_bus_detach_event(bus);
        sd_event_unref(event);
        if (r < 0)
                return log_error_errno(r, "Event loop failed: %m");
        return 0;
}
