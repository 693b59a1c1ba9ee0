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
