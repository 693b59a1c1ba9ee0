/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's Manager: event loop, bus connection, netlink client and the hypervisor's state. */
#pragma once

#include <systemd/sd-bus.h>
#include <systemd/sd-event.h>

#include "celld-args.h"
#include "desc-set.h"
#include "warden-nl.h"

#define MODPROBE_PATH "/sbin/modprobe"

typedef struct Manager {
        sd_event *event;
        sd_bus *bus;
        WardenNl *nl;                   /* requests to warden.ko */
        WardenEvents *events;           /* nlctrl and warden.ko multicast */
        sd_event_source *events_source;

        bool modprobe;
        bool user_bus;

        bool state_known;               /* read at least once */
        bool ready;                     /* READY=1 sent */
        bool available;                 /* warden.ko loaded and answering */
        WardenInfo info;                /* valid while available */

        const char *config_root;        /* drop-in directories under this (NULL: /) */
        DescSet *config;                /* the descriptions as last loaded */
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
const char *manager_hypervisor_version(const Manager *m);
