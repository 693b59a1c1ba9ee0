/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A set of descriptions checked together: the pipeline every user of
 * descriptions runs (cellctl validate/compile, celld at start and reload).
 *
 *   parse (YAML/JSON, located) -> kind (system or cell) -> schema ->
 *   compile (per file) -> cross-cell rules (desc-rules.c, over all files)
 *
 * Every problem lands in set->diags with its location. A file that fails a
 * stage is left out of the later stages (its blob stays NULL); the others
 * still get checked, so one run shows every independent problem.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>

#include "desc.h"
#include "diag.h"
#include "schema.h"

typedef enum DescKind {
        DESC_KIND_SYSTEM,
        DESC_KIND_CELL,
        _DESC_KIND_MAX,
        _DESC_KIND_INVALID = -22,
} DescKind;

typedef struct DescUnit {
        char *path;             /* as read (with any --root prefix) */
        char *name;             /* the file name */
        DescSource *source;     /* NULL when the file could not be read */
        DescKind kind;
        void *blob;             /* compiled; NULL when a stage failed */
        size_t blob_size;
} DescUnit;

typedef struct DescSet {
        DescUnit *units;
        size_t n;
        DiagList diags;
        DescSource *schema_sources[_DESC_KIND_MAX];
        Schema *schemas[_DESC_KIND_MAX];
} DescSet;

int desc_set_new(DescSet **ret);
DescSet *desc_set_free(DescSet *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(DescSet *, desc_set_free);

/* Adds a file (not yet checked); @name defaults to the path's last component. */
int desc_set_add(DescSet *s, const char *path, const char *name);
/* Adds every description in the drop-in directories under @root. */
int desc_set_add_dirs(DescSet *s, const char *root);

typedef enum DescAddFlags {
        /* Open regular files only (never block on a FIFO or a device): anything else, and a
         * path that cannot be stat()ed, is an "io" error in s->diags and is not added. */
        DESC_ADD_REGULAR_ONLY = 1 << 0,
} DescAddFlags;

/*
 * Adds a file, or the descriptions (*.yaml, *.yml, *.json) of a directory, sorted by name.
 * A directory that cannot be read is an "io" error in s->diags. Returns 0 or -ENOMEM.
 */
int desc_set_add_path(DescSet *s, const char *path, DescAddFlags flags);
/*
 * Adds the system description of the drop-in directories under @root when the set has
 * none (no file named system.*), so that cells are checked against the machine.
 */
int desc_set_add_system_from_dirs(DescSet *s, const char *root);
/* Runs the pipeline on every file; 0 when no error was found, -EINVAL otherwise, or -ENOMEM. */
int desc_set_check(DescSet *s);

/* Whether @u compiled and no error blames it (a cross-cell rule may blame a compiled file). */
bool desc_set_unit_valid(const DescSet *s, const DescUnit *u);
/* The unit of kind system, or NULL. */
DescUnit *desc_set_system(DescSet *s);
/* For diag_list_print(): source lines of the set's files. */
const char *desc_set_source_line(const char *file, unsigned line, size_t *ret_len, void *userdata);

const char *desc_kind_to_string(DescKind k);

/* Cross-cell rules (desc-rules.c), run by desc_set_check() on the units that compiled. */
typedef struct DescRule {
        const char *id;
        DiagSeverity severity;
        const char *summary;
        void (*check)(DescSet *s, const struct DescRule *rule);
} DescRule;

extern const DescRule desc_rules[];
extern const size_t desc_rules_count;
void desc_rules_run(DescSet *s);
