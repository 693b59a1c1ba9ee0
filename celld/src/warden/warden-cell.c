/* SPDX-License-Identifier: GPL-2.0-only */
/* warden cell COMMAND: cells through warden.ko, named by name or id. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include <warden/config-check.h>

#include "console-attach.h"
#include "log.h"
#include "warden-cell.h"
#include "warden-format.h"
#include "warden-nl.h"
#include "warden-system.h"
#include "warden-util.h"

int warden_cell_ref_parse(const char *s, uint32_t *ret_id) {
        unsigned long long v;
        char *end;

        if (isempty(s) || strspn(s, "0123456789") != strlen(s))
                return 0;
        errno = 0;
        v = strtoull(s, &end, 10);
        if (errno != 0 || *end != '\0' || v == 0 || v > UINT32_MAX)
                return -EINVAL;
        *ret_id = (uint32_t) v;
        return 1;
}

/* Logs a failure of the shared image code: the module's refusal, or our own text. */
static int log_cell_error(WardenNl *nl, int r, const CellError *e, const char *verb) {
        if (e->from_module) {
                warden_log_request_error(nl, r, verb);
                if (e->note[0])
                        log_notice("%s", e->note);
                return r;
        }
        return log_error_errno(r, "%s", e->message);
}

int warden_cell_plan_images(const void *blob, size_t size, char *const *specs, size_t n_specs,
                            WardenImageLoad **ret, size_t *ret_n) {
        CellError e = {};
        int r;

        r = cell_images_plan(blob, size, specs, n_specs, ret, ret_n, &e);
        if (r < 0)
                return log_error_errno(r, "%s", e.message);
        return 0;
}

int warden_cell_add_tree(const void *blob, size_t size, void *tree, size_t tree_size, WardenImageLoad **loads,
                         size_t *n) {
        CellError e = {};
        int r;

        r = cell_images_add_tree(blob, size, tree, tree_size, loads, n, &e);
        if (r < 0)
                return log_error_errno(r, "%s", e.message);
        return 0;
}

int warden_cell_check_images(const void *blob, size_t size, const WardenImageLoad *loads, size_t n) {
        CellError e = {};
        int r;

        r = cell_images_check(blob, size, loads, n, &e);
        if (r < 0)
                return log_error_errno(r, "%s", e.message);
        return 0;
}

/* Writes the images into cell @id, chunk by chunk, as they are read. Logs. */
static int load_images(WardenNl *nl, uint32_t id, const char *verb, const void *blob, size_t size,
                       const WardenImageLoad *loads, size_t n) {
        CellError e = {};
        int r;

        r = cell_images_load(nl, id, blob, size, loads, n, NULL, NULL, &e);
        if (r < 0)
                return log_cell_error(nl, r, &e, verb);
        return 0;
}

/* Finds the cell named by @arg (a name or an id). Logs. */
static int cell_resolve(WardenNl *nl, const char *arg, const char *verb, WardenCellInfo *ret) {
        uint32_t id;
        int r;

        r = warden_cell_ref_parse(arg, &id);
        if (r < 0)
                return log_error_errno(r, "%s: '%s' is no cell id (ids are 1 to %" PRIu32 ")", verb, arg, UINT32_MAX);
        r = r > 0 ? warden_nl_cell_get(nl, id, ret) : warden_nl_cell_get_by_name(nl, arg, ret);
        if (r == -ENOENT && warden_nl_message(nl))
                return log_error_errno(r, "%s: %s", verb, warden_nl_message(nl));
        if (r < 0)
                return warden_log_request_error(nl, r, verb);
        return 0;
}

static bool color(void) {
        return isatty(STDERR_FILENO);
}

static int verb_create(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        _cleanup_free_ void *blob = NULL;
        size_t size;
        uint32_t id;
        int r;

        /* The description first: one with errors never reaches the module. */
        r = warden_cell_desc_load(args->cell, NULL, "cell create", color(), &blob, &size, NULL, NULL, NULL);
        if (r < 0)
                return r;
        r = warden_nl_open("cell create", &nl);
        if (r < 0)
                return r;
        r = warden_nl_cell_create(nl, blob, size, &id);
        if (r < 0)
                return warden_log_request_error(nl, r, "cell create");
        printf("%" PRIu32 "\n", id);
        return 0;
}

/* After a failed step of 'cell run': no half-made cell stays. */
static void destroy_again(WardenNl *nl, uint32_t id) {
        int r = warden_nl_cell_destroy(nl, id);

        if (r < 0)
                log_warning("Cell %" PRIu32 " could not be destroyed again: %s", id, warden_nl_strerror(nl, r));
        else
                log_notice("Cell %" PRIu32 " was destroyed again.", id);
}

static int verb_run(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        _cleanup_free_ void *blob = NULL;
        WardenImageLoad *loads = NULL;
        size_t size, n = 0, tree_size;
        void *tree;
        uint32_t id;
        int r;

        r = warden_cell_desc_load(args->cell, NULL, "cell run", color(), &blob, &size, &tree, &tree_size, NULL);
        if (r < 0)
                return r;
        /* Every image is readable and fits before the cell exists. */
        r = warden_cell_plan_images(blob, size, NULL, 0, &loads, &n);
        if (r >= 0 && tree)
                r = warden_cell_add_tree(blob, size, tree, tree_size, &loads, &n);
        else
                free(tree);
        if (r >= 0)
                r = warden_cell_check_images(blob, size, loads, n);
        if (r >= 0)
                r = warden_nl_open("cell run", &nl);
        if (r < 0)
                goto out;

        r = warden_nl_cell_create(nl, blob, size, &id);
        if (r < 0) {
                r = warden_log_request_error(nl, r, "cell run");
                goto out;
        }
        r = load_images(nl, id, "cell run", blob, size, loads, n);
        if (r >= 0) {
                r = warden_nl_cell_start(nl, id);
                if (r < 0)
                        r = warden_log_request_error(nl, r, "cell run");
        }
        if (r < 0) {
                destroy_again(nl, id);
                goto out;
        }
        printf("%" PRIu32 "\n", id);
out:
        warden_image_loads_free(loads, n);
        return r;
}

static int verb_load(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        _cleanup_free_ char *path = NULL;
        _cleanup_free_ void *blob = NULL, *tree = NULL;
        char want[WARDEN_CPU_LIST_MAX], have[WARDEN_CPU_LIST_MAX];
        WardenImageLoad *loads = NULL;
        WardenCellInfo info;
        size_t size, n = 0, tree_size = 0;
        CellError e = {};
        CellBlob b;
        int r;

        r = warden_nl_open("cell load", &nl);
        if (r < 0)
                return r;
        r = cell_resolve(nl, args->cell, "cell load", &info);
        if (r < 0)
                return r;

        /* The hypervisor keeps no blob: the regions come from the cell's description. */
        r = warden_cell_desc_find(NULL, info.name, &path);
        if (r < 0)
                return r;
        /* Without IMAGE arguments, the description's images, and its OS's device tree. */
        r = warden_cell_desc_load(path, NULL, "cell load", color(), &blob, &size,
                                  args->n_images == 0 ? &tree : NULL, &tree_size, NULL);
        if (r < 0)
                return r;
        r = cell_blob_parse(blob, size, &b, &e);
        if (r < 0)
                return log_error_errno(r, "%s", e.message);
        if (b.cell->cpu_set != info.cpus)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s gives cell '%s' CPUs %s, but the cell has CPUs %s: "
                                       "it was created from another description", path, info.name,
                                       warden_format_cpu_list(b.cell->cpu_set, want),
                                       warden_format_cpu_list(info.cpus, have));

        r = warden_cell_plan_images(blob, size, args->images, args->n_images, &loads, &n);
        if (r < 0)
                return r;
        if (tree) {
                r = warden_cell_add_tree(blob, size, TAKE_PTR(tree), tree_size, &loads, &n);
                if (r < 0) {
                        warden_image_loads_free(loads, n);
                        return r;
                }
        }
        if (n == 0)
                r = log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s names no image for cell '%s': give IMAGE arguments",
                                    path, info.name);
        if (r >= 0)
                r = warden_cell_check_images(blob, size, loads, n);
        if (r >= 0)
                r = load_images(nl, info.id, "cell load", blob, size, loads, n);
        warden_image_loads_free(loads, n);
        return r;
}

static int verb_start(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        WardenCellInfo info;
        int r;

        r = warden_nl_open("cell start", &nl);
        if (r >= 0)
                r = cell_resolve(nl, args->cell, "cell start", &info);
        if (r < 0)
                return r;
        r = warden_nl_cell_start(nl, info.id);
        if (r < 0)
                return warden_log_request_error(nl, r, "cell start");
        return 0;
}

static int verb_destroy(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        WardenCellInfo info;
        int r;

        r = warden_nl_open("cell destroy", &nl);
        if (r >= 0)
                r = cell_resolve(nl, args->cell, "cell destroy", &info);
        if (r < 0)
                return r;
        /* Refused: the module says which rule applied (the cell may refuse and did, or a lock). */
        r = warden_nl_cell_destroy(nl, info.id);
        if (r < 0)
                return warden_log_request_error(nl, r, "cell destroy");
        if (warden_nl_message(nl))
                log_warning("%s.", warden_nl_message(nl));
        /* A running cooperative cell that had not approved was stopped all the same. */
        if (info.state == WARDEN_CELL_RUNNING && !(info.flags & WARDEN_CELL_INFO_PASSIVE))
                log_notice("Cell '%s' was stopped without its approval: %s.", info.name,
                           info.flags & WARDEN_CELL_INFO_MAY_REFUSE
                                   ? "it had not refused a shutdown request (its description lets it refuse, "
                                     "but only a refusal or the lock keeps it running)"
                                   : "its description does not let it refuse (may-refuse: false)");
        return 0;
}

/* What became of a shutdown request: 1 stopped, 0 not answered yet, < 0 refused or failed (logged). */
static int shutdown_outcome(const WardenCellInfo *c) {
        char reason[WARDEN_REASON_MAX];

        switch (c->state) {
        case WARDEN_GENL_CELL_DESTROYED:
        case WARDEN_CELL_SHUT_DOWN:
        case WARDEN_CELL_CREATED:
                return 1;
        case WARDEN_CELL_FAILED:
                return log_error_errno(SYNTHETIC_ERRNO(EIO), "cell shutdown: cell '%s' failed: %s", c->name,
                                       warden_format_cell_reason(c, reason) ?: "unknown");
        default:
                if (!(c->flags & WARDEN_CELL_INFO_REFUSED) || (c->flags & WARDEN_CELL_INFO_REQUEST))
                        return 0;
                if (c->flags & WARDEN_CELL_INFO_MAY_REFUSE)
                        return log_error_errno(SYNTHETIC_ERRNO(EPERM),
                                               "cell shutdown refused: cell '%s' refused the shutdown request, which "
                                               "its description allows (may-refuse: true); it keeps running",
                                               c->name);
                return log_error_errno(SYNTHETIC_ERRNO(EPERM),
                                       "cell shutdown: cell '%s' refused the shutdown request, but its description "
                                       "does not let it refuse (may-refuse: false): 'warden cell destroy %s' stops it "
                                       "without its approval",
                                       c->name, c->name);
        }
}

typedef struct ShutdownWait {
        WardenNl *nl;
        uint32_t id;
        bool ignore;            /* draining what was queued before the request */
        int outcome;
} ShutdownWait;

static int shutdown_on_event(const WardenEvent *e, void *userdata) {
        ShutdownWait *w = userdata;
        WardenCellInfo c;
        int r;

        if (w->ignore || w->outcome != 0)
                return 0;
        switch (e->type) {
        case WARDEN_EVENT_CELL_CHANGED:
                if (e->cell.id == w->id)
                        w->outcome = shutdown_outcome(&e->cell);
                return 0;
        case WARDEN_EVENT_LOST:
                r = warden_nl_cell_get(w->nl, w->id, &c);
                if (r == -ENOENT)
                        w->outcome = 1;         /* destroyed meanwhile */
                else if (r < 0)
                        w->outcome = warden_log_request_error(w->nl, r, "cell shutdown");
                else
                        w->outcome = shutdown_outcome(&c);
                return 0;
        case WARDEN_EVENT_MODULE_UNLOADED:
                w->outcome = log_error_errno(SYNTHETIC_ERRNO(ENODEV), "cell shutdown: warden.ko was unloaded");
                return 0;
        default:
                return 0;
        }
}

static int64_t now_ms(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return (int64_t) ts.tv_sec * 1000 + ts.tv_nsec / 1000000;
}

/* A cooperative cell was asked: waits for its answer, which comes as a CELL_CHANGED event. */
static int shutdown_wait(WardenNl *nl, WardenEvents *ev, const WardenCellInfo *info, unsigned timeout_s) {
        ShutdownWait w = { .nl = nl, .id = info->id, .ignore = true };
        int64_t deadline = now_ms() + (int64_t) timeout_s * 1000;
        WardenCellInfo c;
        int r;

        /*
         * Events queued up to now may predate the request; the state after it decides. The
         * hypervisor clears REFUSED when it posts a request, so a REFUSED seen from here on
         * answers this one.
         */
        r = warden_events_receive(ev, shutdown_on_event, &w);
        if (r < 0)
                return log_error_errno(r, "cell shutdown: failed to read events: %m");
        w.ignore = false;
        r = warden_nl_cell_get(nl, info->id, &c);
        if (r == -ENOENT)
                return 0;
        if (r < 0)
                return warden_log_request_error(nl, r, "cell shutdown");
        w.outcome = shutdown_outcome(&c);

        while (w.outcome == 0) {
                struct pollfd p = { .fd = warden_events_get_fd(ev), .events = POLLIN };
                int64_t left = deadline - now_ms();

                if (left <= 0)
                        return log_error_errno(SYNTHETIC_ERRNO(ETIMEDOUT),
                                               "cell shutdown: cell '%s' has not answered the shutdown request "
                                               "within %u s; it still runs ('warden cell destroy %s' stops it "
                                               "without its approval)", info->name, timeout_s, info->name);
                r = poll(&p, 1, (int) left);
                if (r < 0 && errno != EINTR)
                        return log_error_errno(errno, "cell shutdown: failed to wait for events: %m");
                if (r <= 0)
                        continue;
                r = warden_events_receive(ev, shutdown_on_event, &w);
                if (r < 0)
                        return log_error_errno(r, "cell shutdown: failed to read events: %m");
        }
        return w.outcome < 0 ? w.outcome : 0;
}

static int verb_shutdown(const WardenArgs *args) {
        _cleanup_(warden_events_freep) WardenEvents *ev = NULL;
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        WardenCellInfo info;
        bool asked;
        int r;

        r = warden_nl_open("cell shutdown", &nl);
        if (r >= 0)
                r = cell_resolve(nl, args->cell, "cell shutdown", &info);
        if (r < 0)
                return r;

        /* Subscribed before asking, so that the answer cannot be missed. */
        r = warden_events_new(nl, &ev);
        if (r < 0)
                return log_error_errno(r, "cell shutdown: failed to subscribe to warden.ko's events: %s",
                                       warden_nl_strerror(nl, r));
        warden_events_want_cells(ev, true);

        r = warden_nl_cell_shutdown(nl, info.id, &asked);
        if (r < 0)
                return warden_log_request_error(nl, r, "cell shutdown");
        if (!asked)
                return 0;
        return shutdown_wait(nl, ev, &info, args->timeout_s ?: WARDEN_SHUTDOWN_TIMEOUT_S);
}

static int verb_list(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        _cleanup_free_ WardenCellInfo *cells = NULL;
        size_t n = 0;
        json_t *o;
        int r;

        r = warden_nl_open("cell list", &nl);
        if (r < 0)
                return r;
        r = warden_nl_cell_list(nl, &cells, &n);
        if (r < 0)
                return warden_log_request_error(nl, r, "cell list");

        if (!args->json)
                return warden_cell_list_print(cells, n, stdout);
        r = warden_cell_list_to_json(cells, n, &o);
        if (r < 0)
                return log_oom();
        return warden_print_json(o, false);
}

static int verb_stats(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        WardenCellInfo info;
        json_t *o;
        int r;

        r = warden_nl_open("cell stats", &nl);
        if (r >= 0)
                r = cell_resolve(nl, args->cell, "cell stats", &info);
        if (r < 0)
                return r;

        if (!args->json)
                return warden_cell_stats_print(&info, stdout);
        r = warden_cell_to_json(&info, &o);
        if (r < 0)
                return log_oom();
        return warden_print_json(o, false);
}

static int cell_console_read(WardenNl *nl, uint64_t pos, WardenConsole *ret, void *userdata) {
        return warden_nl_cell_console(nl, *(const uint32_t *) userdata, pos, ret);
}

/* warden cell console -i: the module directly; it arbitrates nothing between writers. */
typedef struct ConsoleTarget {
        WardenNl *nl;
        uint32_t id;
} ConsoleTarget;

static int cell_console_send(const void *data, size_t size, size_t *ret_written, void *userdata) {
        ConsoleTarget *t = userdata;
        int r = warden_nl_cell_console_write(t->nl, t->id, data, size, ret_written);

        if (r < 0)
                return warden_log_request_error(t->nl, r, "cell console");
        return 0;
}

static int verb_console(const WardenArgs *args) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        _cleanup_(warden_events_freep) WardenEvents *ev = NULL;
        _cleanup_free_ char *what = NULL;
        WardenCellInfo info;
        int r;

        r = warden_nl_open("cell console", &nl);
        if (r >= 0)
                r = cell_resolve(nl, args->cell, "cell console", &info);
        if (r < 0)
                return r;
        if (args->attach) {
                ConsoleTarget t = { .nl = nl, .id = info.id };

                if (asprintf(&what, "cell '%s'", info.name) < 0)
                        return log_oom();
                return console_attach(nl, info.id, what, cell_console_send, &t);
        }
        if (asprintf(&what, "the console of cell '%s'", info.name) < 0)
                return log_oom();
        if (args->follow) {
                /* Subscribed before the first read: output written in between still wakes us. */
                r = warden_events_new(nl, &ev);
                if (r < 0)
                        return log_error_errno(r, "Failed to subscribe to the module's events: %m");
                warden_events_want_cells(ev, true);
        }
        return warden_console_print(nl, "cell console", what, args->follow, ev, cell_console_read, &info.id);
}

static int (*const cell_verbs[_WARDEN_CELL_VERB_MAX])(const WardenArgs *args) = {
        [WARDEN_CELL_CREATE] = verb_create,
        [WARDEN_CELL_LOAD] = verb_load,
        [WARDEN_CELL_START] = verb_start,
        [WARDEN_CELL_SHUTDOWN] = verb_shutdown,
        [WARDEN_CELL_DESTROY] = verb_destroy,
        [WARDEN_CELL_RUN] = verb_run,
        [WARDEN_CELL_LIST] = verb_list,
        [WARDEN_CELL_STATS] = verb_stats,
        [WARDEN_CELL_CONSOLE] = verb_console,
};

int warden_cell_main(const WardenArgs *args) {
        return cell_verbs[args->cell_verb](args);
}
