/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The JSON Schema Test Suite (draft 2020-12) against the schema validator.
 *
 * The suite lives next to the repository (../shared/conformance/json-schema-test-suite
 * from the repository root, found from the current directory upwards) or where
 * WARDEN_CONFORMANCE_DIR says; without it the tests say so and pass.
 *
 * Files of keywords the validator implements: every case must load and every test
 * pass, except the cases listed in expected_refusals[], which must be refused. Files
 * of keywords it refuses: every case that uses them must be refused at load (never
 * silently ignored), and the other cases must pass. Each file prints "passed/total".
 *
 * The files are read with jansson (NUL characters and numbers beyond int64 included:
 * a file with those is read with every number as a double) and turned into DescNodes
 * here, so that the suite tests the validator, not the description parsers' limits.
 */
#include <jansson.h>
#include <limits.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "schema.h"
#include "tests.h"

#define SUITE_FROM_ROOT "../shared/conformance/json-schema-test-suite"

typedef struct SuiteFile {
        const char *name;               /* below tests/draft2020-12 */
        /* NULL: supported. Otherwise what the refusal of a case must mention, '|'-separated. */
        const char *refused;
} SuiteFile;

static const SuiteFile draft_files[] = {
        { "additionalProperties.json", NULL },
        { "allOf.json", NULL },
        { "anchor.json", NULL },
        { "anyOf.json", NULL },
        { "boolean_schema.json", NULL },
        { "const.json", NULL },
        { "contains.json", NULL },
        { "default.json", NULL },
        { "dependentRequired.json", NULL },
        { "dependentSchemas.json", NULL },
        { "enum.json", NULL },
        { "exclusiveMaximum.json", NULL },
        { "exclusiveMinimum.json", NULL },
        { "format.json", NULL },
        { "if-then-else.json", NULL },
        { "infinite-loop-detection.json", NULL },
        { "items.json", NULL },
        { "maxContains.json", NULL },
        { "maxItems.json", NULL },
        { "maxLength.json", NULL },
        { "maxProperties.json", NULL },
        { "maximum.json", NULL },
        { "minContains.json", NULL },
        { "minItems.json", NULL },
        { "minLength.json", NULL },
        { "minProperties.json", NULL },
        { "minimum.json", NULL },
        { "multipleOf.json", NULL },
        { "not.json", NULL },
        { "oneOf.json", NULL },
        { "pattern.json", NULL },
        { "patternProperties.json", NULL },
        { "prefixItems.json", NULL },
        { "properties.json", NULL },
        { "propertyNames.json", NULL },
        { "ref.json", NULL },
        { "required.json", NULL },
        { "type.json", NULL },
        { "uniqueItems.json", NULL },
        /* Refused keywords and features. */
        { "content.json", "'contentEncoding'|'contentMediaType'|'contentSchema'" },
        { "defs.json", "points outside this schema" },
        { "dynamicRef.json", "'$dynamicRef'|'$dynamicAnchor'" },
        { "refRemote.json", "points outside this schema" },
        { "unevaluatedItems.json", "'unevaluatedItems'" },
        { "unevaluatedProperties.json", "'unevaluatedProperties'" },
        { "vocabulary.json", "only JSON Schema draft 2020-12" },
};

static const SuiteFile optional_files[] = {
        { "optional/anchor.json", NULL },
        { "optional/bignum.json", NULL },
        { "optional/ecmascript-regex.json", NULL },
        { "optional/float-overflow.json", NULL },
        { "optional/id.json", NULL },
        { "optional/no-schema.json", NULL },
        { "optional/non-bmp-regex.json", NULL },
        { "optional/cross-draft.json", "points outside this schema" },
        { "optional/dependencies-compatibility.json", "'dependencies'" },
        { "optional/dynamicRef.json", "'$dynamicRef'|'$dynamicAnchor'" },
        { "optional/format-assertion.json", "only JSON Schema draft 2020-12" },
        { "optional/refOfUnknownKeyword.json", "unknown keyword" },
        { "optional/unknownKeyword.json", "unknown keyword" },
};

/* Cases of supported files that use something the validator refuses, and what the refusal says. */
static const struct {
        const char *file, *description, *because;
} expected_refusals[] = {
        { "ref.json", "remote ref, containing refs itself", "points outside this schema" },
        { "ref.json", "ref creates new scope when adjacent to keywords", "'unevaluatedProperties'" },
        { "dynamicRef.json", "$ref to $dynamicRef finds detached $dynamicAnchor", "points outside this schema" },
        { "not.json", "collect annotations inside a 'not', even if collection is disabled", "'unevaluatedProperties'" },
};

typedef struct Counts {
        size_t passed, failed, refused, total;
} Counts;

/* ---- jansson -> DescNode ---- */

static void tree_free(DescNode *n) {
        if (!n)
                return;
        if (n->type == DESC_STRING)
                free(n->string.str);
        else if (n->type == DESC_ARRAY) {
                for (size_t k = 0; k < n->array.n; k++)
                        tree_free(n->array.items[k]);
                free(n->array.items);
        } else if (n->type == DESC_OBJECT) {
                for (size_t k = 0; k < n->object.n; k++) {
                        free(n->object.members[k].key);
                        tree_free(n->object.members[k].value);
                }
                free(n->object.members);
        }
        free(n);
}

static DescNode *tree_from_json(json_t *j, DescNode *parent, const char *file) {
        DescNode *n = calloc(1, sizeof(DescNode));
        const char *key;
        json_t *v;
        size_t k;

        ASSERT_NOT_NULL(n);
        n->parent = parent;
        n->loc = (DiagLoc) { .file = file };
        switch (json_typeof(j)) {
        case JSON_NULL:
                n->type = DESC_NULL;
                break;
        case JSON_TRUE:
        case JSON_FALSE:
                n->type = DESC_BOOL;
                n->boolean = json_is_true(j);
                break;
        case JSON_INTEGER:
                n->type = DESC_INTEGER;
                n->integer = json_integer_value(j);
                break;
        case JSON_REAL:
                n->type = DESC_NUMBER;
                n->number = json_real_value(j);
                break;
        case JSON_STRING:
                n->type = DESC_STRING;
                n->string.len = json_string_length(j);
                n->string.str = malloc(n->string.len + 1);
                ASSERT_NOT_NULL(n->string.str);
                memcpy(n->string.str, json_string_value(j), n->string.len + 1);
                break;
        case JSON_ARRAY:
                n->type = DESC_ARRAY;
                n->array.n = json_array_size(j);
                n->array.items = calloc(n->array.n + 1, sizeof(DescNode *));
                ASSERT_NOT_NULL(n->array.items);
                json_array_foreach(j, k, v)
                        n->array.items[k] = tree_from_json(v, n, file);
                break;
        case JSON_OBJECT:
                n->type = DESC_OBJECT;
                n->object.members = calloc(json_object_size(j) + 1, sizeof(DescMember));
                ASSERT_NOT_NULL(n->object.members);
                json_object_foreach(j, key, v) {
                        DescMember *m = &n->object.members[n->object.n++];

                        m->key = strdup(key);
                        ASSERT_NOT_NULL(m->key);
                        m->key_loc = n->loc;
                        m->value = tree_from_json(v, n, file);
                }
                break;
        }
        return n;
}

/* ---- finding and reading the suite ---- */

static bool is_dir(const char *path) {
        struct stat st;

        return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

/* The suite's tests/draft2020-12 directory, or NULL (with the reason printed). */
static char *suite_dir(void) {
        const char *env = getenv("WARDEN_CONFORMANCE_DIR");
        char *dir = NULL, up[PATH_MAX] = ".";

        if (env) {
                ASSERT_TRUE(asprintf(&dir, "%s/tests/draft2020-12", env) >= 0);
                if (is_dir(dir))
                        return dir;
                printf("WARDEN_CONFORMANCE_DIR=%s has no tests/draft2020-12: skipped\n", env);
                free(dir);
                return NULL;
        }
        /* The repository root is the directory with celld/tests/tests.h, here or above. */
        for (int level = 0; level < 4; level++) {
                char probe[PATH_MAX + 64];

                snprintf(probe, sizeof(probe), "%s/celld/tests", up);
                if (is_dir(probe)) {
                        ASSERT_TRUE(asprintf(&dir, "%s/" SUITE_FROM_ROOT "/tests/draft2020-12", up) >= 0);
                        if (is_dir(dir))
                                return dir;
                        free(dir);
                        break;
                }
                strncat(up, "/..", sizeof(up) - strlen(up) - 1);
        }
        printf("JSON Schema Test Suite not found (" SUITE_FROM_ROOT " from the repository root, "
               "or set WARDEN_CONFORMANCE_DIR): skipped\n");
        return NULL;
}

static json_t *load_json(const char *path) {
        json_error_t error;
        json_t *j;

        j = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL, &error);
        if (!j)
                /* Integers beyond int64: read every number as a double. */
                j = json_load_file(path, JSON_DECODE_ANY | JSON_ALLOW_NUL | JSON_DECODE_INT_AS_REAL, &error);
        if (!j)
                printf("%s: %s (line %d)\n", path, error.text, error.line);
        return j;
}

/* ---- running ---- */

static const char *expected_refusal(const char *file, const char *description) {
        for (size_t k = 0; k < ELEMENTSOF(expected_refusals); k++)
                if (streq(expected_refusals[k].file, file) && streq(expected_refusals[k].description, description))
                        return expected_refusals[k].because;
        return NULL;
}

/* Whether a diagnostic of rule "schema-unsupported" mentions one of the '|'-separated @markers. */
static bool refusal_mentions(const DiagList *d, const char *markers) {
        for (size_t k = 0; k < d->n; k++) {
                const char *m = markers;

                if (!streq(d->items[k].rule, "schema-unsupported"))
                        continue;
                while (*m) {
                        size_t len = strcspn(m, "|");
                        char word[256];

                        snprintf(word, sizeof(word), "%.*s", (int) len, m);
                        if (strstr(d->items[k].message, word))
                                return true;
                        m += len + (m[len] == '|');
                }
        }
        return false;
}

static void print_diags(const DiagList *d) {
        for (size_t k = 0; k < d->n; k++)
                printf("        [%s] %s%s%s\n", d->items[k].rule, d->items[k].message,
                       d->items[k].hint ? " / hint: " : "", strempty(d->items[k].hint));
}

static void run_tests(const SuiteFile *f, const char *description, const Schema *s, json_t *tests, Counts *c) {
        json_t *t;
        size_t k;

        json_array_foreach(tests, k, t) {
                DescNode *data = tree_from_json(json_object_get(t, "data"), NULL, f->name);
                bool want = json_is_true(json_object_get(t, "valid"));
                DiagList d = {};
                int r;

                r = schema_validate(s, data, &d);
                c->total++;
                if ((r == 0 || r == -EINVAL) && (r == 0) == want && (r == 0 || d.n_errors > 0))
                        c->passed++;
                else {
                        c->failed++;
                        printf("    FAIL %s / %s / %s: expected %s, got %d\n", f->name, description,
                               json_string_value(json_object_get(t, "description")), want ? "valid" : "invalid", r);
                        print_diags(&d);
                }
                diag_list_done(&d);
                tree_free(data);
        }
}

/* Whether @key is a member name anywhere in @j. */
static bool json_has_key(json_t *j, const char *key) {
        const char *k;
        json_t *v;
        size_t i;

        if (json_is_object(j))
                json_object_foreach(j, k, v)
                        if (streq(k, key) || json_has_key(v, key))
                                return true;
        if (json_is_array(j))
                json_array_foreach(j, i, v)
                        if (json_has_key(v, key))
                                return true;
        return false;
}

/* Whether a schema that loaded uses one of the keywords the file is about ('$x'|'y' markers). */
static const char *uses_refused_keyword(const SuiteFile *f, json_t *schema) {
        static char word[256];

        for (const char *m = f->refused; m && *m;) {
                size_t len = strcspn(m, "|");

                if (m[0] == '\'' && len > 2) {
                        snprintf(word, sizeof(word), "%.*s", (int) len - 2, m + 1);
                        if (json_has_key(schema, word))
                                return word;
                }
                m += len + (m[len] == '|');
        }
        return NULL;
}

static void run_case(const SuiteFile *f, json_t *tcase, Counts *c) {
        const char *description = json_string_value(json_object_get(tcase, "description"));
        const char *because = expected_refusal(f->name, description) ?: f->refused;
        json_t *tests = json_object_get(tcase, "tests");
        DescNode *schema = tree_from_json(json_object_get(tcase, "schema"), NULL, f->name);
        Schema *s = NULL;
        DiagList d = {};
        int r;

        r = schema_new(schema, &d, &s);
        ASSERT_TRUE(r == 0 || r == -EINVAL);
        if (r == 0) {
                const char *ignored = uses_refused_keyword(f, json_object_get(tcase, "schema"));

                if (ignored) {
                        printf("    FAIL %s / %s: loaded although it uses '%s'\n", f->name, description, ignored);
                        c->failed += json_array_size(tests);
                        c->total += json_array_size(tests);
                } else if (because && expected_refusal(f->name, description)) {
                        printf("    FAIL %s / %s: loaded, but expected to be refused (%s)\n", f->name, description,
                               because);
                        c->failed += json_array_size(tests);
                        c->total += json_array_size(tests);
                } else
                        run_tests(f, description, s, tests, c);
        } else if (because && refusal_mentions(&d, because)) {
                c->refused += json_array_size(tests);
                c->total += json_array_size(tests);
        } else {
                printf("    FAIL %s / %s: schema refused%s\n", f->name, description,
                       because ? ", but not for the expected reason" : "");
                print_diags(&d);
                c->failed += json_array_size(tests);
                c->total += json_array_size(tests);
        }
        schema_free(s);
        diag_list_done(&d);
        tree_free(schema);
}

static size_t run_files(const SuiteFile *files, size_t n) {
        _cleanup_free_ char *dir = suite_dir();
        size_t failed = 0;

        if (!dir)
                return 0;
        for (size_t k = 0; k < n; k++) {
                _cleanup_free_ char *path = NULL;
                Counts c = {};
                json_t *cases, *tcase;
                size_t i;

                ASSERT_TRUE(asprintf(&path, "%s/%s", dir, files[k].name) >= 0);
                cases = load_json(path);
                ASSERT_NOT_NULL(cases);
                json_array_foreach(cases, i, tcase)
                        run_case(&files[k], tcase, &c);
                json_decref(cases);
                printf("  %-40s %3zu/%-3zu passed", files[k].name, c.passed, c.total);
                if (c.refused > 0)
                        printf(", %zu refused at load%s", c.refused, files[k].refused ? " (unsupported)" : "");
                if (c.failed > 0)
                        printf(", %zu FAILED", c.failed);
                putchar('\n');
                fflush(stdout);
                failed += c.failed;
        }
        return failed;
}

TEST(draft2020_12) {
        ASSERT_EQ(run_files(draft_files, ELEMENTSOF(draft_files)), 0);
}

TEST(draft2020_12_optional) {
        ASSERT_EQ(run_files(optional_files, ELEMENTSOF(optional_files)), 0);
}

DEFINE_TEST_MAIN
