/* SPDX-License-Identifier: GPL-2.0-only */
/* How the warden CLI shows the module's state and events, as text and as JSON. */
#pragma once

#include <jansson.h>
#include <stdint.h>
#include <stdio.h>

#include "warden-nl.h"

/* "0-3,6,8-9" for a CPU bit mask; "none" for 0. Longest: "0,2,4,...,62", under 128 bytes. */
#define WARDEN_CPU_LIST_MAX 128
const char *warden_format_cpu_list(uint64_t mask, char buf[static WARDEN_CPU_LIST_MAX]);
/* "512 bytes", "48 KiB", "14.8 MiB", "1 GiB": one decimal unless exact. */
#define WARDEN_BYTES_MAX 32
const char *warden_format_bytes(uint64_t bytes, char buf[static WARDEN_BYTES_MAX]);

int warden_status_to_json(const WardenInfo *info, json_t **ret);
int warden_status_print(const WardenInfo *info, FILE *f);

int warden_event_to_json(const WardenEvent *event, json_t **ret);
int warden_event_print(const WardenEvent *event, FILE *f);

/*
 * Why a cell stopped, for a failed or shut-down cell: "data abort at 0x40000000 (ESR
 * 0x92000006) on CPU 2, pc 0x1234", "shut down by root", ...; NULL when it did not stop.
 */
#define WARDEN_REASON_MAX 160
const char *warden_format_cell_reason(const WardenCellInfo *c, char buf[static WARDEN_REASON_MAX]);

/* One cell as a JSON object (the objects of 'cell list --json' and 'cell stats --json'). */
int warden_cell_to_json(const WardenCellInfo *c, json_t **ret);
int warden_cell_list_to_json(const WardenCellInfo *cells, size_t n, json_t **ret);
/* The table of 'cell list'; "No cells." for none. */
int warden_cell_list_print(const WardenCellInfo *cells, size_t n, FILE *f);
/* Every figure of one cell ('cell stats'). */
int warden_cell_stats_print(const WardenCellInfo *c, FILE *f);
