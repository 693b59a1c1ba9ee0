/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's view of the descriptions in the drop-in directories. */
#pragma once

#include <stdbool.h>
#include <systemd/sd-bus.h>

#include "desc-set.h"
#include "diag.h"

typedef struct Manager Manager;

/* Message IDs of the journal entries celld writes about descriptions. */
#define CELLD_MESSAGE_CONFIG_INVALID "a1d5e2c94b7f4e0c8f3b6d2a9c1e7f40"
#define CELLD_MESSAGE_CONFIG_LOADED "5c0b8e3f7a2d4c61b9e4f0a3d7c2b816"

/*
 * Reads and checks every description in the drop-in directories (under
 * @m->config_root). Each diagnostic goes to the journal with CONFIG_FILE=,
 * CONFIG_LINE=, CONFIG_COLUMN= and, for a cell's file, the cell's unit, so
 * that `journalctl -u cell@NAME` shows why NAME cannot start.
 *
 * At start (@atomic false) invalid files are left out; the rest become cells. On reload
 * (@atomic true) any error fails the whole reload and nothing changes (@error carries the
 * diagnostics); otherwise new descriptions become cells, cells whose description changed
 * take it at their next start (running ones get NeedsRestart), and cells whose
 * description is gone are dropped once they have ended.
 */
int manager_load_config(Manager *m, bool atomic, sd_bus_error *error);

/*
 * Checks the description file, or the descriptions of the directory, at the absolute
 * @path, as `cellctl validate PATH` would (with the system description of the drop-in
 * directories added when @path has none), without changing anything. Only regular files
 * are opened. *ret holds every diagnostic, sorted by place. Returns 0, or a negative errno
 * with @error set (a relative path: InvalidArgs).
 */
int manager_validate(const Manager *m, const char *path, DescSet **ret, sd_bus_error *error);

/* The first error of the description of cell @name (by file name), or NULL. */
const Diag *manager_config_error(const Manager *m, const char *name);

/*
 * The device tree of cell @name, which boots an OS, from the configuration its blob @blob was
 * compiled from (fresh seeds each time): 0 with a malloc'ed tree, or a negative errno with a
 * reason in @why (-ESTALE: the configuration no longer holds that blob).
 */
int manager_cell_tree(Manager *m, const char *name, const void *blob, size_t size, void **ret, size_t *ret_size,
                      char *why, size_t why_size);
