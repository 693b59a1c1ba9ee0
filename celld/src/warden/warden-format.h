/* SPDX-License-Identifier: GPL-2.0-only */
/* How the warden CLI shows the module's state and events, as text and as JSON. */
#pragma once

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "cell-text.h"
#include "warden-nl.h"

int warden_status_to_json(const WardenInfo *info, json_t **ret);
int warden_status_print(const WardenInfo *info, FILE *f);

int warden_event_to_json(const WardenEvent *event, json_t **ret);
int warden_event_print(const WardenEvent *event, FILE *f);

/* One cell as a JSON object (the objects of 'cell list --json' and 'cell stats --json'). */
int warden_cell_to_json(const WardenCellInfo *c, json_t **ret);
int warden_cell_list_to_json(const WardenCellInfo *cells, size_t n, json_t **ret);
/* The table of 'cell list'; "No cells." for none. */
int warden_cell_list_print(const WardenCellInfo *cells, size_t n, FILE *f);
/* Every figure of one cell ('cell stats'). */
int warden_cell_stats_print(const WardenCellInfo *c, FILE *f);
