/* SPDX-License-Identifier: GPL-2.0-only */
/* cellctl's verbs about cells, through celld (D-Bus), systemd and the journal. */
#pragma once

#include <stdbool.h>

#include "cellctl-args.h"

/* Whether @s is a cell name as descriptions have them (the unit instance). */
bool cell_name_ok(const char *s);

int verb_list(const CellctlArgs *args);
int verb_cell_status(const CellctlArgs *args);
/* start, stop, restart: systemctl VERB cell@NAME.service. */
int verb_unit(const CellctlArgs *args);
int verb_console(const CellctlArgs *args);
int verb_events(const CellctlArgs *args);
int verb_supervise(const CellctlArgs *args);
