/* SPDX-License-Identifier: GPL-2.0-only */
/* A cell's object on the bus: org.warden.cell1.Cell at /org/warden/cell1/cell/<escaped name>. */
#pragma once

#include "cell.h"

/* Adds the object (and announces it with InterfacesAdded once celld owns its name). */
int cell_bus_register(Cell *c);
/* Announces InterfacesRemoved and drops the object. */
void cell_bus_unregister(Cell *c);
/* PropertiesChanged for what differs from what was announced last; returns how many. */
int cell_bus_emit_changes(Cell *c);
/* The names of the properties that differ between @a and @b, NULL-terminated, in @ret. */
size_t cell_snapshot_diff(const CellSnapshot *a, const CellSnapshot *b, const char *ret[static 16]);

/* The Cell methods, also reached through the Manager's StartCell, StopCell, RestartCell. */
int cell_bus_start(sd_bus_message *message, Cell *c, sd_bus_error *error);
int cell_bus_stop(sd_bus_message *message, Cell *c, sd_bus_error *error);
int cell_bus_restart(sd_bus_message *message, Cell *c, sd_bus_error *error);
