/* SPDX-License-Identifier: GPL-2.0-only */
/* How the warden CLI shows the module's state and events, as text and as JSON. */
#pragma once

#include <jansson.h>
#include <stdio.h>

#include "warden-nl.h"

int warden_status_to_json(const WardenInfo *info, json_t **ret);
int warden_status_print(const WardenInfo *info, FILE *f);

int warden_event_to_json(const WardenEvent *event, json_t **ret);
int warden_event_print(const WardenEvent *event, FILE *f);
