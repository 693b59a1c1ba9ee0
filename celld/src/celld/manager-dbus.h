/* SPDX-License-Identifier: GPL-2.0-only */
/* The org.warden.cell1.Manager object on the bus. */
#pragma once

#include "manager.h"

#define MANAGER_BUS_N_PROPERTIES 4

/* The property values before a change, to announce only what changed. */
typedef struct ManagerBusSnapshot {
        char values[MANAGER_BUS_N_PROPERTIES][WARDEN_GENL_STRING_MAX];
} ManagerBusSnapshot;

/* Connects, registers the object and the ObjectManager. */
int manager_connect_bus(Manager *m);
/* Takes the bus name, once every object is registered. */
int manager_request_name(Manager *m);
/* Registers the Manager object and the ObjectManager on m->bus. */
int manager_bus_register(Manager *m);

void manager_bus_snapshot(const Manager *m, ManagerBusSnapshot *ret);
/* Sends PropertiesChanged for the properties that differ from @old; returns how many do. */
int manager_bus_emit_changes(Manager *m, const ManagerBusSnapshot *old);
