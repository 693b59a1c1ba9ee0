/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's Manager: event loop, bus connection, netlink client and the hypervisor's state. */
#include <signal.h>
#include <spawn.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>
#include <systemd/sd-journal.h>

#include "bus-names.h"
#include "cell-dbus.h"
#include "cell-state-file.h"
#include "cell.h"
#include "celld-conf.h"
#include "log.h"
#include "manager-dbus.h"
#include "manager-config.h"
#include "manager.h"

int manager_new(const CelldArgs *args, Manager **ret) {
        _cleanup_(manager_freep) Manager *m = NULL;
        int r;

        m = calloc(1, sizeof(*m));
        if (!m)
                return -ENOMEM;

        m->modprobe = args->modprobe;
        m->user_bus = args->user_bus;
        m->state_dir = args->state_dir;
        m->config_root = args->root;
        m->enable_hypervisor = true;
        if (args->config_file) {
                CelldConf conf = CELLD_CONF_DEFAULTS;

                r = celld_conf_load(args->config_file, &conf);
                if (r < 0)
                        return r;
                m->enable_hypervisor = conf.enable_hypervisor;
        }
        if (args->enable_hypervisor >= 0)
                m->enable_hypervisor = args->enable_hypervisor;

        r = sd_event_default(&m->event);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(m);
        return 0;
}

Manager *manager_free(Manager *m) {
        if (!m)
                return NULL;

        for (size_t i = 0; i < m->n_cells; i++)
                cell_free(m->cells[i]);
        free(m->cells);
        sd_event_source_disable_unref(m->gc_source);
        desc_set_free(m->config);
        sd_event_source_disable_unref(m->events_source);
        warden_events_free(m->events);
        warden_nl_free(m->nl);
        sd_bus_flush_close_unref(m->bus);
        sd_event_unref(m->event);
        free(m);
        return NULL;
}

const char *manager_hypervisor_state(const Manager *m) {
        if (!m->available)
                return "unavailable";
        return warden_hv_state_name(m->info.state);
}

const char *manager_module_version(const Manager *m) {
        return m->available ? m->info.module_version : "";
}

const char *manager_hypervisor_version(const Manager *m) {
        return m->available ? m->info.hv_version : "";
}

/* CPUs the hypervisor keeps until reset: a destroyed cell's that did not stop ("" for none). */
const char *manager_quarantined_cpus(const Manager *m) {
        return m->quarantined;
}

static void manager_log_state(const Manager *m) {
        if (!m->available) {
                log_info("Hypervisor state: unavailable (warden.ko is not loaded)");
                return;
        }
        log_info("Hypervisor state: %s, module %s, hypervisor %s",
                 manager_hypervisor_state(m), m->info.module_version,
                 isempty(m->info.hv_version) ? "n/a" : m->info.hv_version);
}

static void manager_status_text(const Manager *m, char *buf, size_t size) {
        size_t running = 0;

        for (size_t i = 0; i < m->n_cells; i++)
                running += IN_SET(m->cells[i]->state, CELL_RUNNING, CELL_STOPPING);
        snprintf(buf, size, "Hypervisor %s; %zu of %zu cells running%s%s%s", manager_hypervisor_state(m), running,
                 m->n_cells, isempty(m->quarantined) ? "" : "; CPUs ", m->quarantined,
                 isempty(m->quarantined) ? "" : " quarantined");
}

void manager_notify_status(const Manager *m) {
        char status[256];
        int r;

        if (!m->ready)
                return;
        manager_status_text(m, status, sizeof(status));
        r = sd_notifyf(false, "STATUS=%s", status);
        if (r < 0)
                log_warning_errno(r, "Failed to send status notification, ignoring: %m");
}

Cell *manager_find_cell(const Manager *m, const char *name) {
        for (size_t i = 0; i < m->n_cells; i++)
                if (streq(m->cells[i]->name, name))
                        return m->cells[i];
        return NULL;
}

Cell *manager_find_cell_by_id(const Manager *m, uint32_t id) {
        if (id == 0)
                return NULL;
        for (size_t i = 0; i < m->n_cells; i++)
                if (m->cells[i]->id == id)
                        return m->cells[i];
        return NULL;
}

int manager_add_cell(Manager *m, Cell *c) {
        Cell **a;
        int r;

        a = reallocarray(m->cells, m->n_cells + 1, sizeof(*a));
        if (!a)
                return -ENOMEM;
        m->cells = a;
        r = cell_bus_register(c);
        if (r < 0)
                return r;
        m->cells[m->n_cells++] = c;
        if (m->announce) {
                r = sd_bus_emit_signal(m->bus, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE, "CellNew", "so", c->name,
                                       c->object_path);
                if (r < 0)
                        log_warning_errno(r, "Failed to announce cell %s, ignoring: %m", c->name);
        }
        return 0;
}

void manager_remove_cell(Manager *m, Cell *c) {
        int r;

        for (size_t i = 0; i < m->n_cells; i++)
                if (m->cells[i] == c) {
                        memmove(m->cells + i, m->cells + i + 1, (m->n_cells - i - 1) * sizeof(Cell *));
                        m->n_cells--;
                        break;
                }
        if (m->announce) {
                r = sd_bus_emit_signal(m->bus, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE, "CellRemoved", "so",
                                       c->name, c->object_path);
                if (r < 0)
                        log_warning_errno(r, "Failed to announce the removal of cell %s, ignoring: %m", c->name);
        }
        cell_bus_unregister(c);
        cell_state_remove(c);
        cell_free(c);
}

static int on_gc(sd_event_source *s, void *userdata) {
        Manager *m = userdata;

        for (size_t i = m->n_cells; i > 0; i--) {
                Cell *c = m->cells[i - 1];

                if (c->orphaned && !cell_is_active(c) && !c->op && c->waiters.n == 0 && c->start_waiters.n == 0) {
                        log_info("Cell %s has ended and its description is gone: dropping it.", c->name);
                        manager_remove_cell(m, c);
                }
        }
        return 0;
}

void manager_cell_settled(Manager *m, Cell *c) {
        int r;

        manager_notify_status(m);
        if (!c->orphaned)
                return;
        if (m->gc_source)
                r = sd_event_source_set_enabled(m->gc_source, SD_EVENT_ONESHOT);
        else
                r = sd_event_add_defer(m->event, &m->gc_source, on_gc, m);
        if (r < 0)
                log_warning_errno(r, "Failed to schedule the removal of cell %s, ignoring: %m", c->name);
}

int manager_ensure_enabled(Manager *m, sd_bus_error *error) {
        DescUnit *system;
        int r;

        if (!m->available) {
                warden_nl_forget(m->nl);
                manager_refresh(m);
        }
        if (!m->available)
                return sd_bus_error_setf(error, CELLD_ERROR_UNAVAILABLE,
                                         "warden.ko is not loaded (modprobe warden)");
        if (m->info.state == WARDEN_HV_ENABLED)
                return 0;
        if (m->info.state != WARDEN_HV_DISABLED)
                return sd_bus_error_setf(error, CELLD_ERROR_UNAVAILABLE, "the hypervisor is %s",
                                         manager_hypervisor_state(m));
        if (!m->enable_hypervisor)
                return sd_bus_error_setf(error, CELLD_ERROR_UNAVAILABLE,
                                         "the hypervisor is not enabled, and celld does not enable it "
                                         "(EnableHypervisor=no): run 'warden enable SYSTEM' first");

        system = m->config ? desc_set_system(m->config) : NULL;
        if (!system || !system->blob || !desc_set_unit_valid(m->config, system))
                return sd_bus_error_setf(error, CELLD_ERROR_UNAVAILABLE,
                                         "the hypervisor is not enabled, and there is no valid system.yaml in "
                                         "/etc/cells.d, /run/cells.d or /usr/lib/cells.d to enable it with%s",
                                         system ? " (see 'cellctl validate')" : "");

        log_info("Enabling the hypervisor with %s.", system->path);
        r = warden_nl_enable(m->nl, system->blob, system->blob_size);
        if (r < 0) {
                const char *text = warden_nl_strerror(m->nl, r);

                log_error("Failed to enable the hypervisor with %s: %s", system->path, text);
                return sd_bus_error_setf(error, CELLD_ERROR_UNAVAILABLE,
                                         "enabling the hypervisor with %s failed: %s", system->path, text);
        }
        (void) sd_journal_send("MESSAGE=Enabled the hypervisor with %s.", system->path,
                               "PRIORITY=%i", LOG_INFO,
                               "MESSAGE_ID=" CELLD_MESSAGE_HYPERVISOR_ENABLED,
                               "CONFIG_FILE=%s", system->path,
                               NULL);
        manager_refresh(m);
        return 0;
}

/* Every cell in the hypervisor now; *ret NULL when it has none (or is not enabled). */
static int manager_dump(Manager *m, WardenCellInfo **ret, size_t *ret_n) {
        int r;

        *ret = NULL;
        *ret_n = 0;
        if (!m->available || m->info.state != WARDEN_HV_ENABLED)
                return 0;
        r = warden_nl_cell_list(m->nl, ret, ret_n);
        if (r < 0)
                return log_error_errno(r, "Failed to list the cells in the hypervisor: %s",
                                       warden_nl_strerror(m->nl, r));
        return 0;
}

void manager_reconcile(Manager *m) {
        _cleanup_free_ WardenCellInfo *cells = NULL;
        size_t n = 0;

        (void) manager_dump(m, &cells, &n);
        for (size_t i = 0; i < m->n_cells; i++) {
                const WardenCellInfo *info = NULL;

                for (size_t k = 0; k < n && !info; k++)
                        if (streq(cells[k].name, m->cells[i]->name))
                                info = &cells[k];
                cell_adopt(m->cells[i], info);
        }
        for (size_t k = 0; k < n; k++)
                if (!manager_find_cell(m, cells[k].name))
                        log_notice("Cell %s (id %" PRIu32 ") runs in the hypervisor, but no valid description names "
                                   "it: leaving it alone.", cells[k].name, cells[k].id);
}

/* After lost events: what the hypervisor has now decides. */
static void manager_resync(Manager *m) {
        _cleanup_free_ WardenCellInfo *cells = NULL;
        size_t n = 0;

        if (manager_dump(m, &cells, &n) < 0)
                return;
        for (size_t i = 0; i < m->n_cells; i++) {
                Cell *c = m->cells[i];
                const WardenCellInfo *info = NULL;

                /* A request under way reads its cell again when it ends. */
                if (c->id == 0 || c->op)
                        continue;
                for (size_t k = 0; k < n && !info; k++)
                        if (cells[k].id == c->id)
                                info = &cells[k];
                if (info)
                        cell_on_info(c, info);
                else
                        cell_on_gone(c, CELL_RESULT_DESTROYED, "the cell was destroyed outside celld");
        }
}

/* The hypervisor or the module went away: so did every cell. */
static void manager_cells_gone(Manager *m, const char *why) {
        for (size_t i = 0; i < m->n_cells; i++)
                cell_on_gone(m->cells[i], CELL_RESULT_UNAVAILABLE, why);
}

/* The one place the state changes: logs, tells systemd and the bus what changed. */
static void manager_set_state(Manager *m, bool available, const WardenInfo *info) {
        bool first = !m->state_known;
        ManagerBusSnapshot old;

        manager_bus_snapshot(m, &old);
        m->available = available;
        m->info = available ? *info : (WardenInfo) {};
        m->state_known = true;
        if (m->info.cpus_quarantined)
                warden_format_cpu_list(m->info.cpus_quarantined, m->quarantined);
        else
                m->quarantined[0] = '\0';

        if (manager_bus_emit_changes(m, &old) == 0 && !first)
                return;

        manager_log_state(m);
        manager_notify_status(m);
}

void manager_refresh(Manager *m) {
        WardenInfo info = {};
        int r;

        r = warden_nl_get(m->nl, &info);
        if (r < 0 && r != -ENOENT)
                log_warning_errno(r, "Failed to read the hypervisor status, taking it as unavailable: %s",
                                  warden_nl_strerror(m->nl, r));

        manager_set_state(m, r >= 0, &info);
}

static void manager_on_state_changed(Manager *m, uint32_t state) {
        WardenInfo info;

        /* A state change before we knew the module: read everything. */
        if (!m->available) {
                manager_refresh(m);
                return;
        }

        info = m->info;
        info.state = state;
        manager_set_state(m, true, &info);
        if (state != WARDEN_HV_ENABLED)
                manager_cells_gone(m, state == WARDEN_HV_FAILED ? "the hypervisor failed" : "the hypervisor was disabled");
        else
                manager_refresh(m);     /* its figures */
}

/*
 * A destroyed cell left CPUs behind that did not stop: the hypervisor keeps them from root
 * until the machine resets. Said loudly, in the cell's journal when celld knows the cell, and
 * the figures (QuarantinedCPUs, the status line) read again.
 */
static void manager_on_quarantined(Manager *m, const WardenCellInfo *info) {
        char cpus[WARDEN_CPU_LIST_MAX];
        Cell *c = manager_find_cell(m, info->name);

        warden_format_cpu_list(info->quarantined, cpus);
        if (c)
                cell_log(c, LOG_CRIT, CELLD_MESSAGE_CPU_QUARANTINED,
                         "Cell %s is destroyed, but its CPUs %s did not stop: they stay quarantined until the "
                         "machine resets.", info->name, cpus);
        else
                log_full(LOG_CRIT, "Cell %s is destroyed, but its CPUs %s did not stop: they stay quarantined until the "
                         "machine resets.", info->name, cpus);
        manager_refresh(m);
}

static int manager_on_warden_event(const WardenEvent *event, void *userdata) {
        Manager *m = userdata;

        Cell *c;

        switch (event->type) {
        case WARDEN_EVENT_STATE_CHANGED:
                manager_on_state_changed(m, event->state);
                break;
        case WARDEN_EVENT_CELL_CHANGED:
                if (event->cell.state == WARDEN_GENL_CELL_DESTROYED && event->cell.quarantined)
                        manager_on_quarantined(m, &event->cell);
                c = manager_find_cell_by_id(m, event->cell.id);
                if (c)
                        cell_on_info(c, &event->cell);
                break;
        case WARDEN_EVENT_MODULE_LOADED:
                log_info("warden.ko loaded.");
                warden_nl_forget(m->nl);
                manager_refresh(m);
                break;
        case WARDEN_EVENT_MODULE_UNLOADED:
                log_info("warden.ko unloaded.");
                warden_nl_forget(m->nl);
                manager_set_state(m, false, NULL);
                manager_cells_gone(m, "warden.ko was unloaded");
                break;
        default:
                log_warning("Lost netlink events, reading the hypervisor state and the cells again.");
                warden_nl_forget(m->nl);
                manager_refresh(m);
                manager_resync(m);
                break;
        }
        return 0;
}

static int manager_on_netlink(sd_event_source *s, int fd, uint32_t revents, void *userdata) {
        Manager *m = userdata;
        int r;

        r = warden_events_receive(m->events, manager_on_warden_event, m);
        if (r < 0)
                log_warning_errno(r, "Failed to receive netlink events, ignoring: %m");
        return 0;
}

/* Subscribes before the first read, so that no change between the two can be missed. */
static int manager_connect_netlink(Manager *m) {
        int r;

        r = warden_nl_new(&m->nl);
        if (r < 0)
                return log_error_errno(r, "Failed to open a generic netlink socket: %m");

        r = warden_events_new(m->nl, &m->events);
        if (r < 0)
                return log_error_errno(r, "Failed to subscribe to generic netlink events: %s",
                                       warden_nl_strerror(m->nl, r));

        warden_events_want_cells(m->events, true);
        r = sd_event_add_io(m->event, &m->events_source, warden_events_get_fd(m->events), EPOLLIN,
                            manager_on_netlink, m);
        if (r < 0)
                return log_error_errno(r, "Failed to watch the netlink socket: %m");
        return 0;
}

static int manager_on_signal(sd_event_source *s, const struct signalfd_siginfo *si, void *userdata) {
        log_info("Received SIG%s, exiting.", sigabbrev_np((int) si->ssi_signo) ?: "?");
        return sd_event_exit(sd_event_source_get_event(s), 0);
}

static int manager_setup_signals(Manager *m) {
        sigset_t mask;
        int r;

        sigemptyset(&mask);
        sigaddset(&mask, SIGTERM);
        sigaddset(&mask, SIGINT);
        if (sigprocmask(SIG_BLOCK, &mask, NULL) < 0)
                return log_error_errno(errno, "Failed to block signals: %m");

        if ((r = sd_event_add_signal(m->event, NULL, SIGTERM, manager_on_signal, m)) < 0 ||
            (r = sd_event_add_signal(m->event, NULL, SIGINT, manager_on_signal, m)) < 0)
                return log_error_errno(r, "Failed to watch signals: %m");
        return 0;
}

static int spawn_wait(char *const argv[]) {
        posix_spawnattr_t attr;
        sigset_t none, dfl;
        int r, status;
        pid_t pid;

        /* The child must not inherit our blocked SIGTERM/SIGINT. */
        sigemptyset(&none);
        sigemptyset(&dfl);
        sigaddset(&dfl, SIGTERM);
        sigaddset(&dfl, SIGINT);
        posix_spawnattr_init(&attr);
        posix_spawnattr_setflags(&attr, POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF);
        posix_spawnattr_setsigmask(&attr, &none);
        posix_spawnattr_setsigdefault(&attr, &dfl);
        r = posix_spawn(&pid, argv[0], NULL, &attr, argv, environ);
        posix_spawnattr_destroy(&attr);
        if (r != 0)
                return -r;

        while (waitpid(pid, &status, 0) < 0)
                if (errno != EINTR)
                        return -errno;
        return WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
}

/* Best effort: the unit loads the module in ExecStartPre=, this covers celld started by hand. */
static void manager_modprobe(void) {
        char *const argv[] = { (char *) MODPROBE_PATH, (char *) "warden", NULL };
        int r;

        log_info("warden.ko is not loaded, running %s warden.", MODPROBE_PATH);
        r = spawn_wait(argv);
        if (r < 0)
                log_warning_errno(r, "Failed to run %s, ignoring: %m", MODPROBE_PATH);
        else if (r > 0)
                log_warning("%s warden failed with status %d, ignoring.", MODPROBE_PATH, r);
}

static void manager_load_state(Manager *m) {
        if (m->modprobe && warden_nl_resolve(m->nl) == -ENOENT)
                manager_modprobe();
        manager_refresh(m);
}

static void manager_notify_ready(Manager *m) {
        char status[256];
        int r;

        manager_status_text(m, status, sizeof(status));
        r = sd_notifyf(false, "READY=1\nSTATUS=%s", status);
        if (r < 0)
                log_warning_errno(r, "Failed to send readiness notification, ignoring: %m");
        m->ready = true;
}

/* At start: enable the hypervisor if it is not, as configured; failures are logged only. */
static void manager_enable_at_start(Manager *m) {
        _cleanup_(sd_bus_error_free) sd_bus_error error = SD_BUS_ERROR_NULL;

        if (!m->enable_hypervisor) {
                log_info("Not enabling the hypervisor (EnableHypervisor=no).");
                return;
        }
        if (!m->available || m->info.state != WARDEN_HV_DISABLED)
                return;
        if (manager_ensure_enabled(m, &error) < 0)
                log_warning("The hypervisor stays %s: %s", manager_hypervisor_state(m), error.message);
}

int manager_startup(Manager *m) {
        int r;

        r = manager_setup_signals(m);
        if (r < 0)
                return r;

        r = manager_connect_netlink(m);
        if (r < 0)
                return r;

        r = manager_connect_bus(m);
        if (r < 0)
                return r;

        manager_load_state(m);

        r = manager_load_config(m, false, NULL);
        if (r < 0)
                return r;

        /* The cells as they are, before anyone can ask for anything. */
        manager_enable_at_start(m);
        manager_reconcile(m);

        r = manager_request_name(m);
        if (r < 0)
                return r;

        r = sd_event_set_watchdog(m->event, true);
        if (r < 0)
                return log_error_errno(r, "Failed to enable the watchdog: %m");
        if (r > 0)
                log_debug("Watchdog enabled.");

        manager_notify_ready(m);
        return 0;
}

int manager_run(Manager *m) {
        int r;

        r = sd_event_loop(m->event);
        (void) sd_notify(false, "STOPPING=1");
        if (r < 0)
                return log_error_errno(r, "Event loop failed: %m");
        return r;
}
