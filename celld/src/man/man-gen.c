/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writes a manual page from its source in man/: warden-man-gen SOURCE >PAGE (run at build
 * time). "@VERSION@" becomes the version, and three comment lines are replaced with text
 * written from the schemas compiled into the tools, so that cells.d(5) cannot drift from them:
 *
 *   .\" @schema-values          the value forms the schemas define ($defs that are no objects)
 *   .\" @schema-keys system     every key of a system description
 *   .\" @schema-keys cell       every key of a cell description
 *
 * Each key gets its title and description, its value (type, forms, bounds, enums, patterns),
 * its default and whether it is required. A schema keyword that this program cannot put into
 * words stops the build, rather than being left out of the page.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>

#include "desc.h"
#include "diag.h"
#include "log.h"
#include "macro.h"
#include "schemas.h"
#include "version.h"

typedef struct Schema {
        const char *name;               /* "system", "cell" */
        const char *file;
        const char *json;
        DescSource *src;
} Schema;

static Schema schemas[] = {
        { .name = "system", .file = schema_system_file, .json = schema_system_json },
        { .name = "cell", .file = schema_cell_file, .json = schema_cell_json },
};

/* Set by the first error; the page is not written then. */
static int failed;

_printf_(2, 3) static void fail(const DescNode *n, const char *format, ...) {
        va_list ap;

        fprintf(stderr, "warden-man-gen: %s:%u:%u: ", n ? n->loc.file : "?", n ? n->loc.line : 0,
                n ? n->loc.column : 0);
        va_start(ap, format);
        vfprintf(stderr, format, ap);
        va_end(ap);
        fputc('\n', stderr);
        failed = 1;
}

/* Writes @s as roff text: backslashes, minus signs, control characters at a line's start, and
 * anything beyond ASCII (as \[uXXXX]) escaped. @line_start says whether @s begins a line.
 * With @breakable, a line may break after each '|' (long patterns fit a terminal). */
static void roff_escape_full(FILE *f, const char *s, bool line_start, bool breakable) {
        for (const unsigned char *p = (const unsigned char *) s; *p; p++) {
                if (line_start && IN_SET(*p, '.', '\''))
                        fputs("\\&", f);
                line_start = false;
                if (*p == '\\')
                        fputs("\\e", f);
                else if (*p == '-')
                        fputs("\\-", f);
                else if (*p == '\n')
                        fputc(' ', f);
                else if (*p == '|' && breakable)
                        fputs("|\\:", f);
                else if (*p < 0x80)
                        fputc(*p, f);
                else {
                        /* UTF-8, already validated by the parser. */
                        unsigned cp, extra = *p >= 0xf0 ? 3 : *p >= 0xe0 ? 2 : 1;

                        cp = *p & (0x3f >> extra);
                        for (unsigned i = 0; i < extra && p[1]; i++)
                                cp = (cp << 6) | (*++p & 0x3f);
                        fprintf(f, "\\[u%04X]", cp);
                }
        }
}

static void roff_escape(FILE *f, const char *s, bool line_start) {
        roff_escape_full(f, s, line_start, false);
}

static const char *string_of(const DescNode *n, const char *key) {
        const DescNode *v = desc_get(n, key);

        return v && v->type == DESC_STRING ? v->string.str : NULL;
}

static bool int_of(const DescNode *n, const char *key, int64_t *ret) {
        const DescNode *v = desc_get(n, key);

        if (!v || v->type != DESC_INTEGER)
                return false;
        *ret = v->integer;
        return true;
}

/* The keywords put into words below; any other stops the build. */
static void check_keywords(const DescNode *n) {
        static const char *const known[] = {
                "$schema", "$id", "$defs", "$ref", "title", "description", "type", "default",
                "properties", "required", "additionalProperties", "items", "minItems", "maxItems",
                "uniqueItems", "enum", "const", "pattern", "minimum", "maximum", "maxLength", "anyOf",
                "if", "then", "else",
        };

        if (n->type != DESC_OBJECT)
                return;
        for (size_t i = 0; i < n->object.n; i++) {
                const DescMember *m = &n->object.members[i];
                bool ok = false;

                for (size_t k = 0; k < ELEMENTSOF(known) && !ok; k++)
                        ok = streq(m->key, known[k]);
                if (!ok)
                        fail(m->value, "schema keyword '%s' is not described by warden-man-gen: teach it", m->key);
                if (streq(m->key, "additionalProperties") &&
                    !(m->value->type == DESC_BOOL && !m->value->boolean))
                        fail(m->value, "only \"additionalProperties\": false is described by warden-man-gen");
        }
}

static bool startswith_defs(const char *s) {
        return strncmp(s, "#/$defs/", strlen("#/$defs/")) == 0;
}

/* The definition a "$ref" names ("#/$defs/NAME" of the same schema), or NULL. */
static const DescNode *ref_target(const Schema *s, const DescNode *n, const char **ret_name) {
        const char *ref = string_of(n, "$ref");
        const DescNode *t;

        if (!ref)
                return NULL;
        if (!startswith_defs(ref)) {
                fail(desc_get(n, "$ref"), "only references into #/$defs/ are described: '%s'", ref);
                return NULL;
        }
        t = desc_get(desc_get(s->src->root, "$defs"), ref + strlen("#/$defs/"));
        if (!t)
                fail(desc_get(n, "$ref"), "'%s' names no definition", ref);
        if (ret_name)
                *ret_name = ref + strlen("#/$defs/");
        return t;
}

static bool is_object_schema(const DescNode *n) {
        return n && n->type == DESC_OBJECT && desc_get(n, "properties");
}

/* A value in the text: strings as they are, everything else as JSON. */
static void write_value(FILE *f, const DescNode *v) {
        _cleanup_free_ char *json = NULL;

        if (v->type == DESC_STRING) {
                roff_escape(f, v->string.str, false);
                return;
        }
        json = desc_to_json(v);
        if (!json) {
                fail(v, "out of memory");
                return;
        }
        roff_escape(f, json, false);
}

static void write_phrase(FILE *f, const Schema *s, const DescNode *n, bool plural);

static const char *type_of(const DescNode *n) {
        const DescNode *t = desc_get(n, "type");

        if (!t)
                return NULL;
        if (t->type != DESC_STRING) {
                fail(t, "only a single \"type\" is described by warden-man-gen");
                return NULL;
        }
        return t->string.str;
}

static void write_bounds(FILE *f, const DescNode *n) {
        int64_t lo, hi;
        bool has_lo = int_of(n, "minimum", &lo), has_hi = int_of(n, "maximum", &hi);

        if (has_lo && has_hi)
                fprintf(f, " from %" PRIi64 " to %" PRIi64, lo, hi);
        else if (has_lo)
                fprintf(f, " of at least %" PRIi64, lo);
        else if (has_hi)
                fprintf(f, " of at most %" PRIi64, hi);
}

static void write_enum(FILE *f, const DescNode *e, bool plural) {
        bool mixed = false, any_string = false;

        if (e->type != DESC_ARRAY || e->array.n == 0) {
                fail(e, "\"enum\" must be a non-empty array");
                return;
        }
        for (size_t i = 0; i < e->array.n; i++)
                any_string |= e->array.items[i]->type == DESC_STRING;
        for (size_t i = 0; i < e->array.n; i++)
                mixed |= any_string && e->array.items[i]->type != DESC_STRING;
        fputs(plural ? "values among " : e->array.n == 1 ? "exactly " : "one of ", f);
        for (size_t i = 0; i < e->array.n; i++) {
                const DescNode *v = e->array.items[i];

                if (i > 0)
                        fputs(i + 1 < e->array.n ? ", " : plural ? " and " : " or ", f);
                fputs("\\fB", f);
                write_value(f, v);
                fputs("\\fR", f);
                if (mixed && v->type != DESC_STRING)
                        fprintf(f, " (the %s, not a string)", desc_type_to_string(v->type));
        }
}

/* One alternative of a value, as a noun phrase: "an integer from 32 to 1019". */
static void write_phrase(FILE *f, const Schema *s, const DescNode *n, bool plural) {
        const DescNode *target, *e, *items, *any;
        const char *def = NULL, *type, *pattern;
        int64_t lo, hi;

        if (n->type == DESC_BOOL) {
                fputs(n->boolean ? "anything" : "nothing", f);
                return;
        }
        check_keywords(n);
        target = ref_target(s, n, &def);
        if (target) {
                if (is_object_schema(target))
                        fputs(plural ? "objects with the keys below" : "an object with the keys below", f);
                else {
                        fputs(plural ? "values of the form \\fI" : "\\fI", f);
                        roff_escape(f, string_of(target, "title") ?: def, false);
                        fputs("\\fR (see \\fBVALUES\\fR)", f);
                }
                return;
        }
        if ((e = desc_get(n, "enum"))) {
                write_enum(f, e, plural);
                return;
        }
        if ((e = desc_get(n, "const"))) {
                fputs("exactly \\fB", f);
                write_value(f, e);
                fputs("\\fR", f);
                return;
        }
        if ((any = desc_get(n, "anyOf"))) {
                if (any->type != DESC_ARRAY || any->array.n == 0) {
                        fail(any, "\"anyOf\" must be a non-empty array");
                        return;
                }
                if (any->array.n > 1 && !plural)
                        fputs("either ", f);
                for (size_t i = 0; i < any->array.n; i++) {
                        if (i > 0)
                                fputs(i + 1 < any->array.n ? ", " : plural ? " or " : ", or ", f);
                        write_phrase(f, s, any->array.items[i], plural);
                }
                return;
        }
        type = type_of(n);
        if (!type) {
                fail(n, "a value without \"type\", \"$ref\", \"enum\", \"const\" or \"anyOf\" is not described");
                return;
        }
        if (streq(type, "object"))
                fputs(plural ? "objects with the keys below" : "an object with the keys below", f);
        else if (streq(type, "boolean"))
                fputs("\\fBtrue\\fR or \\fBfalse\\fR", f);
        else if (streq(type, "integer") || streq(type, "number")) {
                if (streq(type, "integer"))
                        fputs(plural ? "integers" : "an integer", f);
                else
                        fputs(plural ? "numbers" : "a number", f);
                write_bounds(f, n);
        } else if (streq(type, "string")) {
                fputs(plural ? "strings" : "a string", f);
                if (int_of(n, "maxLength", &hi))
                        fprintf(f, " of at most %" PRIi64 " characters", hi);
                if ((pattern = string_of(n, "pattern"))) {
                        fputs(" matching \\fI", f);
                        roff_escape_full(f, pattern, false, true);
                        fputs("\\fR", f);
                }
        } else if (streq(type, "array")) {
                bool has_lo = int_of(n, "minItems", &lo), has_hi = int_of(n, "maxItems", &hi), unique;

                fputs(plural ? "lists of " : "a list of ", f);
                items = desc_get(n, "items");
                if (items)
                        write_phrase(f, s, items, true);
                else
                        fputs("values", f);
                if (has_lo && has_hi)
                        fprintf(f, " (%" PRIi64 " to %" PRIi64 " items", lo, hi);
                else if (has_hi)
                        fprintf(f, " (up to %" PRIi64 " items", hi);
                else if (has_lo)
                        fprintf(f, " (at least %" PRIi64 " item%s", lo, lo == 1 ? "" : "s");
                e = desc_get(n, "uniqueItems");
                unique = e && e->type == DESC_BOOL && e->boolean;
                if (unique)
                        fputs(has_lo || has_hi ? ", each at most once" : " (each at most once", f);
                if (has_lo || has_hi || unique)
                        fputc(')', f);
        } else
                fail(desc_get(n, "type"), "type '%s' is not described by warden-man-gen", type);
}

/* "a, b and c" of a "required" array. */
static void write_names(FILE *f, const DescNode *list) {
        for (size_t i = 0; i < list->array.n; i++) {
                if (i > 0)
                        fputs(i + 1 == list->array.n ? " and " : ", ", f);
                fputs("\\fB", f);
                write_value(f, list->array.items[i]);
                fputs("\\fR", f);
        }
}

/* What the "then" or "else" of a condition asks for: required keys, keys not allowed. */
static void write_consequence(FILE *f, const DescNode *n) {
        const DescNode *req = desc_get(n, "required"), *props = desc_get(n, "properties");
        bool any = false;

        check_keywords(n);
        if (req && req->type == DESC_ARRAY && req->array.n > 0) {
                fputs(req->array.n > 1 ? "the keys " : "the key ", f);
                write_names(f, req);
                fputs(req->array.n > 1 ? " are required" : " is required", f);
                any = true;
        }
        if (props && props->type == DESC_OBJECT)
                for (size_t i = 0; i < props->object.n; i++) {
                        const DescMember *m = &props->object.members[i];

                        if (m->value->type != DESC_BOOL || m->value->boolean) {
                                fail(m->value, "only \"KEY\": false is described inside \"then\" and \"else\"");
                                continue;
                        }
                        if (i > 0)
                                fputs(i + 1 < props->object.n ? ", " : " and ", f);
                        else if (any)
                                fputs("; ", f);
                        fputs("\\fB", f);
                        roff_escape(f, m->key, false);
                        fputs("\\fR", f);
                        any = true;
                }
        if (props && props->object.n > 0)
                fputs(props->object.n > 1 ? " are not allowed" : " is not allowed", f);
        if (!any)
                fail(n, "an empty \"then\" or \"else\" is not described");
}

/* "if": {"properties": {"KEY": {"const": V}}} and its "then" and "else". */
static void write_condition(FILE *f, const DescNode *n) {
        const DescNode *cond = desc_get(n, "if"), *then = desc_get(n, "then"), *otherwise = desc_get(n, "else");
        const DescNode *props = desc_get(cond, "properties");
        const DescMember *m;

        if (!cond)
                return;
        if (!props || props->type != DESC_OBJECT || props->object.n != 1 || desc_get(cond, "required") ||
            !desc_get(props->object.members[0].value, "const") || !then) {
                fail(cond, "only \"if\": {\"properties\": {KEY: {\"const\": VALUE}}} with \"then\" is described");
                return;
        }
        m = &props->object.members[0];
        fputs(".br\nWhen \\fB", f);
        roff_escape(f, m->key, false);
        fputs("\\fR is \\fB", f);
        write_value(f, desc_get(m->value, "const"));
        fputs("\\fR: ", f);
        write_consequence(f, then);
        if (otherwise) {
                fputs(". Otherwise: ", f);
                write_consequence(f, otherwise);
        }
        fputs(".\n", f);
}

static bool in_list(const DescNode *list, const char *name) {
        if (!list || list->type != DESC_ARRAY)
                return false;
        for (size_t i = 0; i < list->array.n; i++)
                if (list->array.items[i]->type == DESC_STRING && streq(list->array.items[i]->string.str, name))
                        return true;
        return false;
}

/* Title and description of a key, its own or those of the definition it refers to. */
static void write_about(FILE *f, const Schema *s, const DescNode *n) {
        const DescNode *target = ref_target(s, n, NULL);
        const char *title = string_of(n, "title"), *text = string_of(n, "description");

        if (!title && target)
                title = string_of(target, "title");
        if (!text && target)
                text = string_of(target, "description");
        if (!title || !text)
                fail(n, "every key needs a title and a description (here or in its definition)");
        if (title) {
                fputs("\\fI", f);
                roff_escape(f, title, false);
                fputs(".\\fR ", f);
        }
        if (text)
                roff_escape(f, text, !title);
        fputc('\n', f);
}

typedef struct Seen {
        const DescNode *nodes[32];
        size_t n;
} Seen;

static void write_keys(FILE *f, const Schema *s, const DescNode *object, const char *prefix);

/* The objects a key's value may be (directly, through "$ref", "anyOf" or "items"), each once. */
static void write_children(FILE *f, const Schema *s, const DescNode *n, const char *path, Seen *seen) {
        const DescNode *target, *any, *items;
        _cleanup_free_ char *sub = NULL;

        if (n->type != DESC_OBJECT)
                return;
        target = ref_target(s, n, NULL);
        if (target) {
                write_children(f, s, target, path, seen);
                return;
        }
        if (is_object_schema(n)) {
                for (size_t i = 0; i < seen->n; i++)
                        if (seen->nodes[i] == n)
                                return;
                if (seen->n >= ELEMENTSOF(seen->nodes)) {
                        fail(n, "too many alternatives");
                        return;
                }
                seen->nodes[seen->n++] = n;
                if (asprintf(&sub, "%s.", path) < 0) {
                        fail(n, "out of memory");
                        return;
                }
                write_keys(f, s, n, sub);
                return;
        }
        if ((any = desc_get(n, "anyOf")) && any->type == DESC_ARRAY)
                for (size_t i = 0; i < any->array.n; i++)
                        write_children(f, s, any->array.items[i], path, seen);
        if ((items = desc_get(n, "items"))) {
                if (asprintf(&sub, "%s[]", path) < 0) {
                        fail(n, "out of memory");
                        return;
                }
                write_children(f, s, items, sub, seen);
        }
}

static void write_keys(FILE *f, const Schema *s, const DescNode *object, const char *prefix) {
        const DescNode *props = desc_get(object, "properties"), *required = desc_get(object, "required");

        check_keywords(object);
        if (!props || props->type != DESC_OBJECT) {
                fail(object, "an object schema without \"properties\"");
                return;
        }
        for (size_t i = 0; i < props->object.n; i++) {
                const DescMember *m = &props->object.members[i];
                const DescNode *def;
                _cleanup_free_ char *path = NULL;
                Seen seen = {};

                if (asprintf(&path, "%s%s", prefix, m->key) < 0) {
                        fail(m->value, "out of memory");
                        return;
                }
                if (m->value->type != DESC_OBJECT) {
                        fail(m->value, "key '%s' must have an object schema", path);
                        continue;
                }
                fputs(".TP\n.B ", f);
                roff_escape(f, path, false);
                fputc('\n', f);
                write_about(f, s, m->value);
                fputs(".br\nValue: ", f);
                write_phrase(f, s, m->value, false);
                fputs(".\n", f);
                if ((def = desc_get(m->value, "default"))) {
                        fputs(".br\nDefault: \\fB", f);
                        write_value(f, def);
                        fputs("\\fR.\n", f);
                }
                if (in_list(required, m->key))
                        fputs(".br\nRequired.\n", f);
                write_condition(f, m->value);
                write_children(f, s, m->value, path, &seen);
        }
}

/* Every definition that is a value (not an object), once: both schemas share most. */
static void write_values(FILE *f) {
        for (size_t k = 0; k < ELEMENTSOF(schemas); k++) {
                const DescNode *defs = desc_get(schemas[k].src->root, "$defs");

                if (!defs || defs->type != DESC_OBJECT)
                        continue;
                for (size_t i = 0; i < defs->object.n; i++) {
                        const DescMember *m = &defs->object.members[i];
                        bool done = false;

                        if (is_object_schema(m->value))
                                continue;
                        /* Written already from an earlier schema with the same content? */
                        for (size_t j = 0; j < k && !done; j++) {
                                const DescNode *other = desc_get(desc_get(schemas[j].src->root, "$defs"), m->key);

                                if (other && desc_equal(other, m->value))
                                        done = true;
                                else if (other) {
                                        fail(m->value, "definition '%s' differs between %s and %s: give one another name",
                                             m->key, schemas[j].file, schemas[k].file);
                                        done = true;
                                }
                        }
                        if (done)
                                continue;
                        check_keywords(m->value);
                        fputs(".TP\n.B ", f);
                        roff_escape(f, string_of(m->value, "title") ?: m->key, false);
                        fputc('\n', f);
                        roff_escape(f, strempty(string_of(m->value, "description")), true);
                        fputs("\n.br\nForm: ", f);
                        write_phrase(f, &schemas[k], m->value, false);
                        fputs(".\n", f);
                }
        }
}

static void write_schema(FILE *f, const char *name, const DescNode *where) {
        for (size_t k = 0; k < ELEMENTSOF(schemas); k++) {
                const DescNode *root = schemas[k].src->root;

                if (!streq(schemas[k].name, name))
                        continue;
                fputs(".PP\n\\fI", f);
                roff_escape(f, strempty(string_of(root, "title")), false);
                fputs(".\\fR ", f);
                roff_escape(f, strempty(string_of(root, "description")), false);
                fputs("\nThe schema is \\fI/usr/share/warden/schemas/", f);
                roff_escape(f, name, false);
                fputs(".schema.json\\fR; \\fBcellctl schema ", f);
                roff_escape(f, name, false);
                fputs("\\fR prints it.\n", f);
                write_keys(f, &schemas[k], root, "");
                return;
        }
        fail(where, "no schema '%s': system or cell", name);
}

static int process(FILE *in, const char *path, FILE *out) {
        _cleanup_free_ char *line = NULL;
        size_t size = 0;
        unsigned lineno = 0;

        while (getline(&line, &size, in) >= 0) {
                DescNode here = { .loc = { .file = path, .line = ++lineno, .column = 1 } };
                const char *arg;
                char *p, *v;

                if ((arg = strstr(line, ".\\\" @schema-keys ")) == line) {
                        arg += strlen(".\\\" @schema-keys ");
                        line[strcspn(line, "\n")] = '\0';
                        fputs(".ad l\n", out);
                        write_schema(out, arg, &here);
                        fputs(".ad b\n", out);
                        continue;
                }
                if (strncmp(line, ".\\\" @schema-values", strlen(".\\\" @schema-values")) == 0) {
                        /* Ragged right: the patterns are long words that would stretch lines. */
                        fputs(".ad l\n", out);
                        write_values(out);
                        fputs(".ad b\n", out);
                        continue;
                }
                for (p = line; (v = strstr(p, "@VERSION@")); p = v + strlen("@VERSION@")) {
                        fwrite(p, 1, v - p, out);
                        fputs(WARDEN_VERSION, out);
                }
                fputs(p, out);
                if (strstr(line, ".\\\" @"))
                        fail(&here, "unknown directive: %s", line);
        }
        return ferror(in) ? -EIO : 0;
}

int main(int argc, char *argv[]) {
        _cleanup_fclose_ FILE *in = NULL;
        char *buf = NULL;
        size_t size = 0;
        FILE *out;
        int r;

        if (argc != 2) {
                log_error("usage: warden-man-gen SOURCE >PAGE");
                return EXIT_USAGE;
        }
        for (size_t k = 0; k < ELEMENTSOF(schemas); k++) {
                DiagList diags = {};

                r = desc_parse(schemas[k].file, schemas[k].json, strlen(schemas[k].json), DESC_FORMAT_JSON, &diags,
                               &schemas[k].src);
                diag_list_done(&diags);
                if (r < 0) {
                        log_error_errno(r, "Failed to parse %s: %m", schemas[k].file);
                        return EXIT_FAILURE;
                }
        }
        in = fopen(argv[1], "re");
        if (!in) {
                log_error_errno(errno, "Failed to open %s: %m", argv[1]);
                return EXIT_FAILURE;
        }
        /* Written to memory first: a failure leaves no half page behind on stdout. */
        out = open_memstream(&buf, &size);
        if (!out)
                return log_oom(), EXIT_FAILURE;
        r = process(in, argv[1], out);
        if (fclose(out) != 0)
                r = -ENOMEM;
        if (r < 0 || failed) {
                free(buf);
                if (r < 0)
                        log_error_errno(r, "Failed to read %s: %m", argv[1]);
                return EXIT_FAILURE;
        }
        r = fwrite(buf, 1, size, stdout) == size && fflush(stdout) == 0 ? 0 : -errno;
        free(buf);
        if (r < 0) {
                log_error_errno(r, "Failed to write the page: %m");
                return EXIT_FAILURE;
        }
        for (size_t k = 0; k < ELEMENTSOF(schemas); k++)
                desc_source_free(schemas[k].src);
        return EXIT_SUCCESS;
}
