/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's view of the descriptions in the drop-in directories. */
#pragma once

typedef struct Manager Manager;

/* Message IDs of the journal entries celld writes about descriptions. */
#define CELLD_MESSAGE_CONFIG_INVALID "a1d5e2c94b7f4e0c8f3b6d2a9c1e7f40"
#define CELLD_MESSAGE_CONFIG_LOADED "5c0b8e3f7a2d4c61b9e4f0a3d7c2b816"

/*
 * Reads and checks every description in the drop-in directories (under
 * @m->config_root). Each diagnostic goes to the journal with CONFIG_FILE=,
 * CONFIG_LINE=, CONFIG_COLUMN= and, for a cell's file, the cell's unit, so
 * that `journalctl -u cell@NAME` shows why NAME cannot start. Invalid files
 * are left out; the rest stay usable. Returns 0 or -ENOMEM.
 */
int manager_load_config(Manager *m);
