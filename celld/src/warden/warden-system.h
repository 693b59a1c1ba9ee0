/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Descriptions for the warden CLI: the SYSTEM argument of 'warden enable' and the DESC
 * argument of 'warden cell create|run', each a compiled blob or a description to compile.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Returns in @ret (malloc'ed) the system blob to hand the module. A file that starts with
 * WARDEN_CONFIG_MAGIC is taken as it is: the module checks it. Anything else is a YAML or
 * JSON description that goes through the description pipeline (parse, schema, compile);
 * its diagnostics are printed to stderr, located, with colour if @color. Every failure is
 * logged. -EINVAL when the description has errors or is not a system description.
 */
int warden_system_load(const char *path, bool color, void **ret, size_t *ret_size);

/*
 * Where 'warden cell' looks for descriptions by name, highest priority first: celld's
 * drop-in directories (desc-dirs.h), then the descriptions installed with Warden.
 */
extern const char *const warden_desc_dirs[];

/*
 * Finds the description of @name (a cell name, or "system") as NAME.yaml, NAME.yml or
 * NAME.json in warden_desc_dirs under @root (NULL: the real root). A symlink to /dev/null
 * masks the name in lower directories. Returns 0 with the path in @ret_path (malloc'ed),
 * -ENOENT when there is none, or -ENOMEM. Does not log.
 */
int warden_desc_find(const char *root, const char *name, char **ret_path);

/* The same for a cell, logging "no description of cell 'NAME' in DIRS" when there is none. */
int warden_cell_desc_find(const char *root, const char *name, char **ret_path);

/*
 * The DESC argument of 'warden cell create|run' and the description 'warden cell load'
 * finds: a file, or when no such file exists and @arg is a cell name, the description of
 * that name in warden_desc_dirs (under @root). A blob (as for warden_system_load()) is
 * returned as it is; a description is compiled together with the system description of
 * warden_desc_dirs, if there is one, as 'cellctl validate DESC' does, and refused with
 * located diagnostics on stderr when anything has an error. @verb names the command in
 * messages. With @ret_tree, a cell that boots an OS also gets its device tree (fresh seeds
 * each time), NULL for one that boots none; a blob of such a cell is refused then, as it has
 * no tree. The path read goes to @ret_path if not NULL. Every failure is logged.
 */
int warden_cell_desc_load(const char *arg, const char *root, const char *verb, bool color, void **ret,
                          size_t *ret_size, void **ret_tree, size_t *ret_tree_size, char **ret_path);
