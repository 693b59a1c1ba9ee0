/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's Manager: event loop, bus connection, netlink client and the hypervisor's state. */
#include <signal.h>
#include <spawn.h>
#include <stdlib.h>
#include <sys/wait.h>
#include <systemd/sd-daemon.h>

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

        r = sd_event_default(&m->event);
        if (r < 0)
                return r;

        *ret = TAKE_PTR(m);
        return 0;
}

Manager *manager_free(Manager *m) {
        if (!m)
                return NULL;

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

static void manager_log_state(const Manager *m) {
        if (!m->available) {
                log_info("Hypervisor state: unavailable (warden.ko is not loaded)");
                return;
        }
        log_info("Hypervisor state: %s, module %s, hypervisor %s",
                 manager_hypervisor_state(m), m->info.module_version,
                 isempty(m->info.hv_version) ? "n/a" : m->info.hv_version);
}

static void manager_notify_status(const Manager *m) {
        int r;

        r = sd_notifyf(false, "STATUS=Hypervisor %s", manager_hypervisor_state(m));
        if (r < 0)
                log_warning_errno(r, "Failed to send status notification, ignoring: %m");
}

/* The one place the state changes: logs, tells systemd and the bus what changed. */
static void manager_set_state(Manager *m, bool available, const WardenInfo *info) {
        bool first = !m->state_known;
        ManagerBusSnapshot old;

        manager_bus_snapshot(m, &old);
        m->available = available;
        m->info = available ? *info : (WardenInfo) {};
        m->state_known = true;

        if (manager_bus_emit_changes(m, &old) == 0 && !first)
                return;

        manager_log_state(m);
        if (m->ready)
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
}

static int manager_on_warden_event(const WardenEvent *event, void *userdata) {
        Manager *m = userdata;

        switch (event->type) {
        case WARDEN_EVENT_STATE_CHANGED:
                manager_on_state_changed(m, event->state);
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
                break;
        default:
                log_warning("Lost netlink events, reading the hypervisor state again.");
                warden_nl_forget(m->nl);
                manager_refresh(m);
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
        int r;

        r = sd_notifyf(false, "READY=1\nSTATUS=Hypervisor %s", manager_hypervisor_state(m));
        if (r < 0)
                log_warning_errno(r, "Failed to send readiness notification, ignoring: %m");
        m->ready = true;
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

        r = manager_load_config(m);
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
