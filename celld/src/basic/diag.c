/* SPDX-License-Identifier: GPL-2.0-only */
/* Located diagnostics: collecting, sorting, printing as text and JSON, "did you mean". */
#include <errno.h>
#include <jansson.h>
#include <stdarg.h>
#include <stdint.h>

#include "diag.h"
#include "utf8.h"
#include "json-util.h"
#include "macro.h"

static const char *const diag_severity_table[_DIAG_SEVERITY_MAX] = {
        [DIAG_ERROR] = "error",
        [DIAG_WARNING] = "warning",
        [DIAG_NOTE] = "note",
};

DEFINE_STRING_TABLE_LOOKUP(diag_severity, DiagSeverity);

/* The list's own copy of @file, shared by every diagnostic that names it. */
static int diag_intern_file(DiagList *l, const char *file, const char **ret) {
        char **files, *copy;

        if (!file) {
                *ret = NULL;
                return 0;
        }

        for (size_t i = 0; i < l->n_files; i++)
                if (streq(l->files[i], file)) {
                        *ret = l->files[i];
                        return 0;
                }

        files = reallocarray(l->files, l->n_files + 1, sizeof(char *));
        if (!files)
                return -ENOMEM;
        l->files = files;

        copy = strdup(file);
        if (!copy)
                return -ENOMEM;

        l->files[l->n_files++] = copy;
        *ret = copy;
        return 0;
}

bool diag_full(const DiagList *l) {
        return l->max > 0 && l->n >= l->max;
}

int diag_add(DiagList *l, DiagSeverity sev, const char *rule, DiagLoc loc, const char *fmt, ...) {
        _cleanup_free_ char *message = NULL, *rule_copy = NULL;
        va_list ap;
        int r;

        if (sev < 0 || sev >= _DIAG_SEVERITY_MAX)
                return -EINVAL;

        if (diag_full(l)) {
                l->n_dropped++;
                l->dropped_last = true;
                return 0;
        }

        if (l->n >= l->allocated) {
                size_t allocated = l->allocated > 0 ? l->allocated * 2 : 16;
                Diag *items = reallocarray(l->items, allocated, sizeof(Diag));

                if (!items)
                        return -ENOMEM;
                l->items = items;
                l->allocated = allocated;
        }

        va_start(ap, fmt);
        r = vasprintf(&message, fmt, ap);
        va_end(ap);
        if (r < 0) {
                message = NULL;
                return -ENOMEM;
        }

        rule_copy = strdup(strempty(rule));
        if (!rule_copy)
                return -ENOMEM;

        r = diag_intern_file(l, loc.file, &loc.file);
        if (r < 0)
                return r;

        l->items[l->n++] = (Diag) {
                .severity = sev,
                .rule = TAKE_PTR(rule_copy),
                .loc = loc,
                .message = TAKE_PTR(message),
        };
        l->dropped_last = false;

        if (sev == DIAG_ERROR)
                l->n_errors++;
        else if (sev == DIAG_WARNING)
                l->n_warnings++;
        return 0;
}

int diag_hint(DiagList *l, const char *fmt, ...) {
        char *hint;
        va_list ap;
        int r;

        if (l->n == 0 || l->dropped_last)
                return 0;

        va_start(ap, fmt);
        r = vasprintf(&hint, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;

        free(l->items[l->n - 1].hint);
        l->items[l->n - 1].hint = hint;
        return 0;
}

int diag_related(DiagList *l, DiagLoc loc, const char *fmt, ...) {
        char *message;
        va_list ap;
        Diag *d;
        int r;

        if (l->n == 0 || l->dropped_last)
                return 0;

        r = diag_intern_file(l, loc.file, &loc.file);
        if (r < 0)
                return r;

        va_start(ap, fmt);
        r = vasprintf(&message, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;

        d = &l->items[l->n - 1];
        free(d->related_message);
        d->related_message = message;
        d->related_loc = loc;
        return 0;
}

void diag_list_done(DiagList *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->items[i].rule);
                free(l->items[i].message);
                free(l->items[i].hint);
                free(l->items[i].related_message);
        }
        free(l->items);

        for (size_t i = 0; i < l->n_files; i++)
                free(l->files[i]);
        free(l->files);

        *l = (DiagList) {};
}

static int diag_compare(const Diag *a, const Diag *b) {
        if (a->loc.file != b->loc.file) {
                int c;

                if (!a->loc.file)
                        return -1;
                if (!b->loc.file)
                        return 1;
                c = strcmp(a->loc.file, b->loc.file);
                if (c != 0)
                        return c;
        }
        if (a->loc.line != b->loc.line)
                return a->loc.line < b->loc.line ? -1 : 1;
        if (a->loc.column != b->loc.column)
                return a->loc.column < b->loc.column ? -1 : 1;
        return 0;
}

typedef struct DiagSortItem {
        Diag diag;
        size_t index;
} DiagSortItem;

static int diag_sort_item_compare(const void *a, const void *b) {
        const DiagSortItem *x = a, *y = b;
        int c = diag_compare(&x->diag, &y->diag);

        if (c != 0)
                return c;
        return x->index < y->index ? -1 : x->index > y->index;
}

void diag_list_sort(DiagList *l) {
        DiagSortItem *items;

        if (l->n < 2)
                return;

        items = malloc(l->n * sizeof(DiagSortItem));
        if (!items) {
                /* Insertion sort needs no memory, and is stable too. */
                for (size_t i = 1; i < l->n; i++) {
                        Diag d = l->items[i];
                        size_t j = i;

                        for (; j > 0 && diag_compare(&l->items[j - 1], &d) > 0; j--)
                                l->items[j] = l->items[j - 1];
                        l->items[j] = d;
                }
                return;
        }

        for (size_t i = 0; i < l->n; i++)
                items[i] = (DiagSortItem) { l->items[i], i };
        qsort(items, l->n, sizeof(DiagSortItem), diag_sort_item_compare);
        for (size_t i = 0; i < l->n; i++)
                l->items[i] = items[i].diag;
        free(items);
}

#define ANSI_BOLD_RED     "\033[1;31m"
#define ANSI_BOLD_MAGENTA "\033[1;35m"
#define ANSI_BOLD_CYAN    "\033[1;36m"
#define ANSI_NORMAL       "\033[0m"

static const char *diag_severity_color(DiagSeverity s) {
        switch (s) {
        case DIAG_ERROR:
                return ANSI_BOLD_RED;
        case DIAG_WARNING:
                return ANSI_BOLD_MAGENTA;
        default:
                return ANSI_BOLD_CYAN;
        }
}

/* "file:line:col: ", as much of it as is known. */
static void diag_print_loc(FILE *f, DiagLoc loc) {
        if (!loc.file)
                return;
        fputs(loc.file, f);
        if (loc.line > 0) {
                fprintf(f, ":%u", loc.line);
                if (loc.column > 0)
                        fprintf(f, ":%u", loc.column);
        }
        fputs(": ", f);
}

static void diag_print_severity(FILE *f, bool color, DiagSeverity s) {
        const char *name = diag_severity_to_string(s) ?: "error";

        if (color)
                fprintf(f, "%s%s%s", diag_severity_color(s), name, ANSI_NORMAL);
        else
                fputs(name, f);
}

/* The source line with its number, and a caret under @column that copies the line's tabs. */
static void diag_print_source(FILE *f, DiagLoc loc, diag_source_line_t source_line, void *userdata) {
        const char *text;
        size_t len = 0;
        unsigned column = 1;

        if (!source_line || !loc.file || loc.line == 0)
                return;

        text = source_line(loc.file, loc.line, &len, userdata);
        if (!text)
                return;

        fprintf(f, "%5u | %.*s\n", loc.line, (int) len, text);
        if (loc.column == 0)
                return;

        fprintf(f, "%5s | ", "");
        /* Columns count characters: UTF-8 continuation bytes do not move the caret. */
        for (size_t i = 0; i < len && column < loc.column; i++) {
                unsigned char c = (unsigned char) text[i];

                if ((c & 0xc0) == 0x80)
                        continue;
                fputc(c == '\t' ? '\t' : ' ', f);
                column++;
        }
        for (; column < loc.column; column++)
                fputc(' ', f);
        fputs("^\n", f);
}

void diag_list_print(const DiagList *l, FILE *f, bool color, diag_source_line_t source_line, void *userdata) {
        for (size_t i = 0; i < l->n; i++) {
                const Diag *d = &l->items[i];

                diag_print_loc(f, d->loc);
                diag_print_severity(f, color, d->severity);
                if (!isempty(d->rule))
                        fprintf(f, "[%s]", d->rule);
                fprintf(f, ": %s\n", strempty(d->message));

                diag_print_source(f, d->loc, source_line, userdata);

                if (d->related_message) {
                        diag_print_loc(f, d->related_loc);
                        diag_print_severity(f, color, DIAG_NOTE);
                        fprintf(f, ": %s\n", d->related_message);
                }

                if (d->hint)
                        fprintf(f, "hint: %s\n", d->hint);
        }

        if (l->n_dropped > 0)
                fprintf(f, "%zu more diagnostic%s not shown\n", l->n_dropped, l->n_dropped == 1 ? "" : "s");
}

/* The length of the valid UTF-8 sequence at @s (NUL-terminated), or 0. */
static size_t utf8_valid_length(const unsigned char *s) {
        uint32_t cp;

        return utf8_decode((const char *) s, strnlen((const char *) s, 4), &cp);
}

/* Sets @key to @value, with U+FFFD in place of bytes that are not UTF-8 (JSON needs UTF-8). */
static int json_object_set_text(json_t *o, const char *key, const char *value) {
        _cleanup_free_ char *fixed = NULL;
        const unsigned char *s = (const unsigned char *) value;
        size_t n = 0;
        char *p;

        for (const unsigned char *q = s; *q;) {
                size_t k = utf8_valid_length(q);

                if (k == 0)
                        break;
                q += k;
                n += k;
        }
        if (value[n] == '\0')
                return json_object_set_string(o, key, value);

        p = fixed = malloc(strlen(value) * 3 + 1);
        if (!fixed)
                return -ENOMEM;
        while (*s) {
                size_t k = utf8_valid_length(s);

                if (k == 0) {
                        p = mempcpy(p, "\xef\xbf\xbd", 3);
                        s++;
                } else {
                        p = mempcpy(p, s, k);
                        s += k;
                }
        }
        *p = '\0';
        return json_object_set_string(o, key, fixed);
}

static int json_object_set_loc(json_t *o, DiagLoc loc) {
        int r;

        if (loc.file) {
                r = json_object_set_text(o, "file", loc.file);
                if (r < 0)
                        return r;
        }
        if (loc.line > 0) {
                r = json_object_set_integer(o, "line", loc.line);
                if (r < 0)
                        return r;
        }
        if (loc.column > 0) {
                r = json_object_set_integer(o, "column", loc.column);
                if (r < 0)
                        return r;
        }
        return 0;
}

static int diag_to_json(const Diag *d, json_t **ret) {
        json_auto_t *o = json_object();
        int r;

        if (!o)
                return -ENOMEM;

        r = json_object_set_string(o, "severity", diag_severity_to_string(d->severity) ?: "error");
        if (r >= 0 && !isempty(d->rule))
                r = json_object_set_text(o, "rule", d->rule);
        if (r >= 0)
                r = json_object_set_loc(o, d->loc);
        if (r >= 0)
                r = json_object_set_text(o, "message", strempty(d->message));
        if (r >= 0 && d->hint)
                r = json_object_set_text(o, "hint", d->hint);
        if (r < 0)
                return r;

        if (d->related_message) {
                json_t *related = json_object();

                if (!related)
                        return -ENOMEM;
                if (json_object_set_new(o, "related", related) < 0)
                        return -ENOMEM;
                r = json_object_set_loc(related, d->related_loc);
                if (r >= 0)
                        r = json_object_set_text(related, "message", d->related_message);
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(o);
        return 0;
}

int diag_list_print_json(const DiagList *l, FILE *f) {
        json_auto_t *a = json_array();
        int r;

        if (!a)
                return -ENOMEM;

        for (size_t i = 0; i < l->n; i++) {
                json_t *o;

                r = diag_to_json(&l->items[i], &o);
                if (r < 0)
                        return r;
                if (json_array_append_new(a, o) < 0)
                        return -ENOMEM;
        }

        return json_print(a, f);
}

/* Optimal string alignment distance, or SIZE_MAX once it is certainly above @limit. */
static size_t diag_distance(const char *a, const char *b, size_t limit) {
        size_t la = strlen(a), lb = strlen(b), d = SIZE_MAX;
        size_t *rows, *prev2, *prev, *cur;

        if ((la > lb ? la - lb : lb - la) > limit)
                return SIZE_MAX;

        rows = calloc(3 * (lb + 1), sizeof(size_t));
        if (!rows)
                return SIZE_MAX;
        prev2 = rows;
        prev = rows + lb + 1;
        cur = rows + 2 * (lb + 1);

        for (size_t j = 0; j <= lb; j++)
                prev[j] = j;

        for (size_t i = 1; i <= la; i++) {
                size_t row_min;

                cur[0] = row_min = i;
                for (size_t j = 1; j <= lb; j++) {
                        size_t cost = a[i - 1] == b[j - 1] ? 0 : 1;
                        size_t v = prev[j - 1] + cost;

                        if (prev[j] + 1 < v)
                                v = prev[j] + 1;
                        if (cur[j - 1] + 1 < v)
                                v = cur[j - 1] + 1;
                        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1] &&
                            prev2[j - 2] + 1 < v)
                                v = prev2[j - 2] + 1;
                        cur[j] = v;
                        if (v < row_min)
                                row_min = v;
                }
                if (row_min > limit)
                        goto finish;

                size_t *t = prev2;
                prev2 = prev;
                prev = cur;
                cur = t;
        }
        d = prev[lb];

finish:
        free(rows);
        return d;
}

const char *diag_closest(const char *word, const char *const *candidates, size_t n) {
        const char *best = NULL;
        size_t limit, best_d = SIZE_MAX;

        if (!word || !candidates)
                return NULL;

        limit = strlen(word) / 3;
        if (limit < 1)
                limit = 1;

        for (size_t i = 0; i < n; i++) {
                size_t d;

                if (!candidates[i])
                        continue;
                d = diag_distance(word, candidates[i], limit);
                if (d <= limit && d < best_d) {
                        best = candidates[i];
                        best_d = d;
                }
        }
        return best;
}
