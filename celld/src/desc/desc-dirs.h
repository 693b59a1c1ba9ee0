/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The drop-in directories of descriptions, sysctl.d-style:
 * /etc/cells.d over /run/cells.d over /usr/lib/cells.d. A file name in a
 * higher directory overrides the same name in a lower one; a symlink to
 * /dev/null masks it (and every lower file of that name).
 * Only *.yaml, *.yml and *.json files count; the result is sorted by file
 * name, so that the order in which cells are checked never depends on the
 * directory listing.
 */
#pragma once

#include <stddef.h>

#include "diag.h"

extern const char *const desc_dirs[];   /* NULL-terminated, highest priority first */

typedef struct DescDirEntry {
        char *name;     /* file name, e.g. "gic-demo.yaml" */
        char *path;     /* the winning file, with the root prefix */
} DescDirEntry;

typedef struct DescDirList {
        DescDirEntry *entries;
        size_t n;
} DescDirList;

/*
 * Lists the descriptions under @root (NULL or "/" for the real system). A
 * directory that does not exist is skipped; one that cannot be read adds an
 * "io" diagnostic and is skipped. Returns 0 or -ENOMEM.
 */
int desc_dirs_enumerate(const char *root, DiagList *diags, DescDirList *ret);
void desc_dir_list_done(DescDirList *l);
/* Whether @name has a description file extension. */
int desc_dirs_is_description(const char *name);
