/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's Manager: event loop, bus connection, netlink client, the hypervisor's state and the cells. */
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "cell-text.h"
#include "celld-args.h"
#include "desc-set.h"
#include "warden-nl.h"

#define MODPROBE_PATH "/sbin/modprobe"

typedef struct Cell Cell;

typedef struct Manager {
        sd_event *event;
        sd_bus *bus;
        WardenNl *nl;                   /* requests to warden.ko */
        WardenEvents *events;           /* nlctrl and warden.ko multicast */
        sd_event_source *events_source;

        bool modprobe;
        bool user_bus;
        bool enable_hypervisor;         /* enable from system.yaml when not enabled */
        const char *state_dir;          /* what celld remembers of its cells; NULL: nothing */
        bool state_warned;

        bool state_known;               /* read at least once */
        bool ready;                     /* READY=1 sent */
        bool announce;                  /* the bus name is ours: announce objects and signals */
        bool available;                 /* warden.ko loaded and answering */
        WardenInfo info;                /* valid while available */
        char quarantined[WARDEN_CPU_LIST_MAX]; /* info.cpus_quarantined as a list, "" for none */

        const char *config_root;        /* drop-in directories under this (NULL: /) */
        DescSet *config;                /* the descriptions as last loaded */

        Cell **cells;                   /* one per valid cell description (and ended orphans) */
        size_t n_cells;
        sd_event_source *gc_source;     /* removes orphaned cells once they have ended */
} Manager;

int manager_new(const CelldArgs *args, Manager **ret);
Manager *manager_free(Manager *m);
DEFINE_TRIVIAL_CLEANUP_FUNC(Manager *, manager_free);

int manager_startup(Manager *m);
int manager_run(Manager *m);

/* Reads the module's state again and announces what changed. */
void manager_refresh(Manager *m);

/* The values of the Manager's D-Bus properties. */
const char *manager_hypervisor_state(const Manager *m);
const char *manager_module_version(const Manager *m);
const char *manager_quarantined_cpus(const Manager *m);
const char *manager_hypervisor_version(const Manager *m);

Cell *manager_find_cell(const Manager *m, const char *name);
Cell *manager_find_cell_by_id(const Manager *m, uint32_t id);
int manager_add_cell(Manager *m, Cell *c);
/* Drops @c: off the bus (CellRemoved), out of the array, freed. */
void manager_remove_cell(Manager *m, Cell *c);

/*
 * Makes sure the hypervisor is enabled before a cell starts: enables it from system.yaml
 * when it is disabled and the configuration allows it. Errors name the reason in @error.
 */
int manager_ensure_enabled(Manager *m, sd_bus_error *error);
/* A cell has reached a state it stays in: an orphaned one goes (later, from the event loop). */
void manager_cell_settled(Manager *m, Cell *c);
/* Matches the cells in the hypervisor with the described ones, by name. */
void manager_reconcile(Manager *m);
/* Tells systemd the state (STATUS=). */
void manager_notify_status(const Manager *m);
