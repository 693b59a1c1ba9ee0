/* SPDX-License-Identifier: GPL-2.0-only */
/* cellctl's side of celld's bus API: the connection, errors, a cell's properties. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <systemd/sd-bus.h>

#include "cellctl-args.h"

const char *bus_kind(const CellctlArgs *args);
int bus_open(const CellctlArgs *args, sd_bus **ret);
const char *bus_error_text(const sd_bus_error *error, int r);
/* Whether @error says that nobody owns celld's name (celld is not running). */
bool bus_error_is_no_celld(const sd_bus_error *error);
/* Logs a failed call to celld: "celld is not running ..." or "@what: the error's text". */
int log_bus_error(const CellctlArgs *args, const sd_bus_error *error, int r, const char *what);

/* Properties of org.warden.cell1.Cell; strings are NULL when celld did not send them. */
typedef struct CellProps {
        char *name;
        char *state;
        char *result;
        char *config_file;
        char *restart;
        char *last_failure;
        char *status_text;
        uint64_t cpus;                  /* bit N: CPU N */
        uint64_t memory;
        uint64_t watchdog_usec;
        uint64_t started_usec;
        uint32_t id;
        uint32_t restart_count;
        bool autostart;
        bool needs_restart;
} CellProps;

void cell_props_done(CellProps *p);
/* Reads the a{sv} of GetAll or of PropertiesChanged into @p, changing only what it holds. */
int cell_props_read(sd_bus_message *m, CellProps *p);
/* GetAll on the cell object at @path. */
int cell_props_get(sd_bus *bus, const char *path, CellProps *p, sd_bus_error *error);

/* The object path of cell @name: GetCell. */
int cell_path_get(sd_bus *bus, const char *name, char **ret, sd_bus_error *error);

int cell_props_to_json(const CellProps *p, json_t **ret);
