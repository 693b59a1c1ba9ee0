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
        const char *file;       /* borrowed: owned by the DescSource that was parsed */
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
} DiagList;

/* Appends a diagnostic; returns -ENOMEM, or 0. The message is printf-formatted. */
int diag_add(DiagList *l, DiagSeverity sev, const char *rule, DiagLoc loc, const char *fmt, ...)
        __attribute__((__format__(printf, 5, 6)));
/* Adds a hint or the related location to the last diagnostic added. */
int diag_hint(DiagList *l, const char *fmt, ...) __attribute__((__format__(printf, 2, 3)));
int diag_related(DiagList *l, DiagLoc loc, const char *fmt, ...) __attribute__((__format__(printf, 3, 4)));
bool diag_full(const DiagList *l);
void diag_list_done(DiagList *l);

const char *diag_severity_to_string(DiagSeverity s);
DiagSeverity diag_severity_from_string(const char *s);

/* Sorts by file, line, column (stable), so output does not depend on the checking order. */
void diag_list_sort(DiagList *l);

/*
 * Prints every diagnostic with the source line and a caret. @source_line
 * returns the start of line @line of @file and its length without the
 * newline in *ret_len, or NULL; the description loader provides one that
 * reads the sources it parsed.
 */
typedef const char *(*diag_source_line_t)(const char *file, unsigned line, size_t *ret_len, void *userdata);
void diag_list_print(const DiagList *l, FILE *f, bool color, diag_source_line_t source_line, void *userdata);
/* The same as a JSON array (jansson), one object per diagnostic. */
int diag_list_print_json(const DiagList *l, FILE *f);

/* Edit distance for "did you mean": the best of @candidates within a small distance, or NULL. */
const char *diag_closest(const char *word, const char *const *candidates, size_t n);
