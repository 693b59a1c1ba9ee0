/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Located diagnostics: what went wrong, where (file:line:col), under which
 * rule id, with an optional hint and an optional second location (the other
 * side of a conflict). Every stage of the description pipeline (YAML/JSON
 * front ends, schema validator, cross-cell rules, compiler) reports into one
 * DiagList; the printers render it as
 *
 *   file:line:col: error[RULE-ID]: message
 *      12 |   cpus: [1, 1]
 *         |             ^
 *   file:line:col: note: the other side
 *   hint: did you mean 'memory'?
 *
 * or as JSON. Library code never prints; callers decide.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

typedef enum DiagSeverity {
        DIAG_ERROR,
        DIAG_WARNING,
        DIAG_NOTE,
        _DIAG_SEVERITY_MAX,
        _DIAG_SEVERITY_INVALID = -22, /* -EINVAL */
} DiagSeverity;

/* A place in a source file. Lines and columns count from 1; 0 means unknown. */
typedef struct DiagLoc {
        const char *file;       /* borrowed; diag_add() and diag_related() keep their own copy */
        unsigned line;
        unsigned column;
} DiagLoc;

typedef struct Diag {
        DiagSeverity severity;
        char *rule;             /* e.g. "yaml-syntax", "duplicate-key", "schema-type", "cpu-conflict" */
        DiagLoc loc;
        char *message;
        char *hint;             /* optional: "did you mean 'memory'?" */
        DiagLoc related_loc;    /* optional (file == NULL when unset): the other side */
        char *related_message;
} Diag;

typedef struct DiagList {
        Diag *items;
        size_t n, allocated;
        size_t n_errors, n_warnings;
        size_t max;             /* stop collecting after this many (0: unlimited); see diag_full() */
        size_t n_dropped;       /* diagnostics not kept because the list was full */
        /* private: the file names the items point to, and whether the last diag_add() was dropped */
        char **files;
        size_t n_files;
        bool dropped_last;
} DiagList;

/*
 * Appends a diagnostic; returns -ENOMEM, or 0. The message is printf-formatted. The list
 * keeps a copy of loc.file, so it may outlive the DescSource the location came from. When
 * the list is full (diag_full()), the diagnostic is only counted in n_dropped (and
 * n_errors/n_warnings are left alone), and the diag_hint()/diag_related() that follow are
 * ignored.
 */
int diag_add(DiagList *l, DiagSeverity sev, const char *rule, DiagLoc loc, const char *fmt, ...)
        __attribute__((__format__(printf, 5, 6)));
/* Adds a hint or the related location to the last diagnostic added (replacing an earlier one). */
int diag_hint(DiagList *l, const char *fmt, ...) __attribute__((__format__(printf, 2, 3)));
int diag_related(DiagList *l, DiagLoc loc, const char *fmt, ...) __attribute__((__format__(printf, 3, 4)));
bool diag_full(const DiagList *l);
void diag_list_done(DiagList *l);

const char *diag_severity_to_string(DiagSeverity s);
DiagSeverity diag_severity_from_string(const char *s);

/*
 * Sorts by file, line, column (stable: equal places keep their insertion order), so output
 * does not depend on the checking order. Unknown files, lines and columns sort first.
 */
void diag_list_sort(DiagList *l);

/*
 * Prints every diagnostic with the source line and a caret. @source_line
 * returns the start of line @line of @file and its length without the
 * newline in *ret_len, or NULL; the description loader provides one that
 * reads the sources it parsed (desc_set_source_line() in desc-set.h). @source_line
 * may be NULL. Parts of a location that are unknown are left out
 * ("file: error[io]: ..."); the caret line copies the tabs of the source
 * line so that the caret lines up. Columns count characters (code points).
 * With @color, the severity is bold red (error), magenta (warning) or cyan
 * (note). When diagnostics were dropped, a last line says how many.
 */
typedef const char *(*diag_source_line_t)(const char *file, unsigned line, size_t *ret_len, void *userdata);
void diag_list_print(const DiagList *l, FILE *f, bool color, diag_source_line_t source_line, void *userdata);
/*
 * The same as a JSON array (jansson), one object per diagnostic with the keys severity,
 * rule, file, line, column, message, hint and related {file, line, column, message}; keys
 * whose value is unknown or absent are left out. -EIO or -ENOMEM on failure.
 */
int diag_list_print_json(const DiagList *l, FILE *f);

/*
 * Edit distance for "did you mean": the candidate nearest to @word (optimal string
 * alignment distance: insertions, deletions, substitutions, transpositions of adjacent
 * bytes) if it is within max(1, strlen(word) / 3), or NULL. Ties go to the first.
 */
const char *diag_closest(const char *word, const char *const *candidates, size_t n);
