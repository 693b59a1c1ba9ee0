/* SPDX-License-Identifier: GPL-2.0-only */
/* Diagnostics: collecting, limits, sorting, the text and JSON printers, "did you mean". */
#include "diag.h"
#include "macro.h"
#include "tests.h"

#define LOC(f, l, c) ((DiagLoc) { .file = (f), .line = (l), .column = (c) })

/* A source_line callback over one in-memory file named "c.yaml". */
static const char *source_line(const char *file, unsigned line, size_t *ret_len, void *userdata) {
        const char *text = userdata, *end;

        if (!streq(file, "c.yaml") || line == 0)
                return NULL;
        for (unsigned n = 1; n < line; n++) {
                text = strchr(text, '\n');
                if (!text)
                        return NULL;
                text++;
        }
        end = strchrnul(text, '\n');
        *ret_len = (size_t) (end - text);
        return text;
}

static char *print(const DiagList *l, bool color, void *userdata) {
        char *buf = NULL;
        size_t size;
        FILE *f = open_memstream(&buf, &size);

        ASSERT_NOT_NULL(f);
        diag_list_print(l, f, color, userdata ? source_line : NULL, userdata);
        ASSERT_EQ(fclose(f), 0);
        return buf;
}

static char *print_json(const DiagList *l) {
        char *buf = NULL;
        size_t size;
        FILE *f = open_memstream(&buf, &size);

        ASSERT_NOT_NULL(f);
        ASSERT_OK(diag_list_print_json(l, f));
        ASSERT_EQ(fclose(f), 0);
        return buf;
}

TEST(severity_table) {
        ASSERT_STREQ(diag_severity_to_string(DIAG_ERROR), "error");
        ASSERT_STREQ(diag_severity_to_string(DIAG_WARNING), "warning");
        ASSERT_STREQ(diag_severity_to_string(DIAG_NOTE), "note");
        ASSERT_NULL(diag_severity_to_string(_DIAG_SEVERITY_MAX));
        ASSERT_NULL(diag_severity_to_string(_DIAG_SEVERITY_INVALID));
        ASSERT_EQ(diag_severity_from_string("warning"), DIAG_WARNING);
        ASSERT_EQ(diag_severity_from_string("fatal"), _DIAG_SEVERITY_INVALID);
        ASSERT_EQ(diag_severity_from_string(NULL), _DIAG_SEVERITY_INVALID);
}

TEST(add_hint_related_counts) {
        DiagList l = {};
        char file[] = "a.yaml";

        ASSERT_OK(diag_add(&l, DIAG_ERROR, "schema-type", LOC(file, 3, 7), "expected %s, got %d", "string", 5));
        ASSERT_OK(diag_hint(&l, "did you mean '%s'?", "memory"));
        ASSERT_OK(diag_related(&l, LOC(file, 1, 1), "first %s", "here"));
        ASSERT_OK(diag_related(&l, LOC(file, 2, 2), "second"));     /* replaces */
        ASSERT_OK(diag_add(&l, DIAG_WARNING, "w", LOC(NULL, 0, 0), "w"));
        ASSERT_OK(diag_add(&l, DIAG_NOTE, NULL, LOC("b.yaml", 1, 0), "n"));
        ASSERT_ERROR(diag_add(&l, _DIAG_SEVERITY_MAX, "x", LOC(NULL, 0, 0), "x"), EINVAL);

        ASSERT_EQ(l.n, 3);
        ASSERT_EQ(l.n_errors, 1);
        ASSERT_EQ(l.n_warnings, 1);
        ASSERT_STREQ(l.items[0].rule, "schema-type");
        ASSERT_STREQ(l.items[0].message, "expected string, got 5");
        ASSERT_STREQ(l.items[0].hint, "did you mean 'memory'?");
        ASSERT_STREQ(l.items[0].related_message, "second");
        ASSERT_EQ(l.items[0].related_loc.line, 2);
        ASSERT_STREQ(l.items[2].rule, "");
        ASSERT_NULL(l.items[1].loc.file);

        /* File names are copied and shared: the caller's buffer may go. */
        ASSERT_TRUE(l.items[0].loc.file != file);
        ASSERT_TRUE(l.items[0].loc.file == l.items[0].related_loc.file);
        strcpy(file, "zzzzzz");
        ASSERT_STREQ(l.items[0].loc.file, "a.yaml");
        ASSERT_STREQ(l.items[0].related_loc.file, "a.yaml");
        ASSERT_EQ(l.n_files, 2);

        diag_list_done(&l);
        ASSERT_EQ(l.n, 0);
        ASSERT_NULL(l.items);

        /* Hints with nothing to attach to are ignored. */
        ASSERT_OK(diag_hint(&l, "nothing"));
        ASSERT_OK(diag_related(&l, LOC("x", 1, 1), "nothing"));
        ASSERT_EQ(l.n, 0);
        diag_list_done(&l);
}

TEST(max_and_dropped) {
        DiagList l = { .max = 2 };
        char *out;

        ASSERT_FALSE(diag_full(&l));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "a", LOC("c.yaml", 1, 1), "one"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "b", LOC("c.yaml", 2, 1), "two"));
        ASSERT_TRUE(diag_full(&l));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "c", LOC("c.yaml", 3, 1), "three"));
        /* Belongs to the dropped one: must not land on "two". */
        ASSERT_OK(diag_hint(&l, "hint for three"));
        ASSERT_OK(diag_related(&l, LOC("c.yaml", 1, 1), "related to three"));
        ASSERT_OK(diag_add(&l, DIAG_WARNING, "d", LOC("c.yaml", 4, 1), "four"));

        ASSERT_EQ(l.n, 2);
        ASSERT_EQ(l.n_dropped, 2);
        ASSERT_EQ(l.n_errors, 2);
        ASSERT_EQ(l.n_warnings, 0);
        ASSERT_NULL(l.items[1].hint);
        ASSERT_NULL(l.items[1].related_message);

        out = print(&l, false, NULL);
        ASSERT_STREQ(out, "c.yaml:1:1: error[a]: one\n"
                          "c.yaml:2:1: error[b]: two\n"
                          "2 more diagnostics not shown\n");
        free(out);
        diag_list_done(&l);
}

TEST(sort_stable) {
        DiagList l = {};

        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("b.yaml", 2, 5), "b25-first"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("a.yaml", 9, 1), "a91"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("b.yaml", 2, 5), "b25-second"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("b.yaml", 1, 9), "b19"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("a.yaml", 0, 0), "a00"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC(NULL, 0, 0), "none"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("b.yaml", 2, 5), "b25-third"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("a.yaml", 9, 0), "a90"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("b.yaml", 2, 1), "b21"));

        diag_list_sort(&l);
        const char *expected[] = { "none", "a00", "a90", "a91", "b19", "b21", "b25-first", "b25-second", "b25-third" };
        ASSERT_EQ(l.n, ELEMENTSOF(expected));
        for (size_t i = 0; i < l.n; i++)
                ASSERT_STREQ(l.items[i].message, expected[i]);
        diag_list_done(&l);
}

TEST(sort_many_stable) {
        DiagList l = {};
        char msg[16];

        /* Many equal places keep their order, whatever qsort() does internally. */
        for (int i = 0; i < 500; i++)
                ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("f", (unsigned) (i % 3), 1), "%d", i));
        diag_list_sort(&l);
        for (size_t i = 1; i < l.n; i++) {
                ASSERT_TRUE(l.items[i - 1].loc.line <= l.items[i].loc.line);
                if (l.items[i - 1].loc.line == l.items[i].loc.line)
                        ASSERT_TRUE(atoi(l.items[i - 1].message) < atoi(l.items[i].message));
        }
        snprintf(msg, sizeof(msg), "%d", 0);
        ASSERT_STREQ(l.items[0].message, msg);
        diag_list_done(&l);
}

TEST(print_exact) {
        const char *src = "memory: 1\n"
                          "\tcpus: [1, 1]\n"
                          "é: x\n";
        DiagList l = {};
        char *out;

        ASSERT_OK(diag_add(&l, DIAG_ERROR, "cpu-conflict", LOC("c.yaml", 2, 12), "CPU 1 listed twice"));
        ASSERT_OK(diag_related(&l, LOC("c.yaml", 2, 9), "the other side"));
        ASSERT_OK(diag_hint(&l, "did you mean 'memory'?"));
        ASSERT_OK(diag_add(&l, DIAG_WARNING, "w", LOC("c.yaml", 3, 4), "after a two-byte character"));
        ASSERT_OK(diag_add(&l, DIAG_NOTE, "n", LOC("c.yaml", 1, 0), "no column: no caret"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "io", LOC("c.yaml", 0, 0), "cannot read file: x"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "x", LOC("other.yaml", 5, 2), "no source line"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "", LOC(NULL, 0, 0), "no place, no rule"));
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "past", LOC("c.yaml", 1, 15), "column past the end"));

        out = print(&l, false, (void *) src);
        ASSERT_STREQ(out,
                     "c.yaml:2:12: error[cpu-conflict]: CPU 1 listed twice\n"
                     "    2 | \tcpus: [1, 1]\n"
                     "      | \t          ^\n"
                     "c.yaml:2:9: note: the other side\n"
                     "hint: did you mean 'memory'?\n"
                     "c.yaml:3:4: warning[w]: after a two-byte character\n"
                     "    3 | é: x\n"
                     "      |    ^\n"
                     "c.yaml:1: note[n]: no column: no caret\n"
                     "    1 | memory: 1\n"
                     "c.yaml: error[io]: cannot read file: x\n"
                     "other.yaml:5:2: error[x]: no source line\n"
                     "error: no place, no rule\n"
                     "c.yaml:1:15: error[past]: column past the end\n"
                     "    1 | memory: 1\n"
                     "      |               ^\n");
        free(out);

        /* Without a callback: no source lines. */
        out = print(&l, false, NULL);
        ASSERT_TRUE(strncmp(out, "c.yaml:2:12: error[cpu-conflict]: CPU 1 listed twice\nc.yaml:2:9: note:", 70) == 0);
        free(out);
        diag_list_done(&l);
}

TEST(print_color) {
        DiagList l = {};
        char *out;

        ASSERT_OK(diag_add(&l, DIAG_ERROR, "e", LOC("f", 1, 1), "m"));
        ASSERT_OK(diag_related(&l, LOC("f", 2, 1), "r"));
        ASSERT_OK(diag_add(&l, DIAG_WARNING, "w", LOC("f", 1, 1), "m"));
        ASSERT_OK(diag_add(&l, DIAG_NOTE, "n", LOC("f", 1, 1), "m"));

        out = print(&l, true, NULL);
        ASSERT_STREQ(out, "f:1:1: \033[1;31merror\033[0m[e]: m\n"
                          "f:2:1: \033[1;36mnote\033[0m: r\n"
                          "f:1:1: \033[1;35mwarning\033[0m[w]: m\n"
                          "f:1:1: \033[1;36mnote\033[0m[n]: m\n");
        free(out);

        out = print(&l, false, NULL);
        ASSERT_NULL(strchr(out, '\033'));
        free(out);
        diag_list_done(&l);
}

TEST(print_json) {
        DiagList l = {};
        char *out;

        ASSERT_OK(diag_add(&l, DIAG_ERROR, "duplicate-key", LOC("c.yaml", 4, 3), "duplicate key '%s'", "cpus"));
        ASSERT_OK(diag_related(&l, LOC("c.yaml", 2, 3), "first defined here"));
        ASSERT_OK(diag_add(&l, DIAG_WARNING, "schema-unknown", LOC("c.yaml", 5, 0), "unknown \"memroy\""));
        ASSERT_OK(diag_hint(&l, "did you mean 'memory'?"));
        ASSERT_OK(diag_add(&l, DIAG_NOTE, "", LOC(NULL, 0, 0), "bare"));

        out = print_json(&l);
        ASSERT_STREQ(out,
                     "[{\"severity\":\"error\",\"rule\":\"duplicate-key\",\"file\":\"c.yaml\",\"line\":4,\"column\":3,"
                     "\"message\":\"duplicate key 'cpus'\",\"related\":{\"file\":\"c.yaml\",\"line\":2,\"column\":3,"
                     "\"message\":\"first defined here\"}},"
                     "{\"severity\":\"warning\",\"rule\":\"schema-unknown\",\"file\":\"c.yaml\",\"line\":5,"
                     "\"message\":\"unknown \\\"memroy\\\"\",\"hint\":\"did you mean 'memory'?\"},"
                     "{\"severity\":\"note\",\"message\":\"bare\"}]\n");
        free(out);
        diag_list_done(&l);

        out = print_json(&l);
        ASSERT_STREQ(out, "[]\n");
        free(out);
}

TEST(print_json_invalid_utf8) {
        DiagList l = {};
        char *out;

        /* Callers may pass any bytes; JSON gets U+FFFD for those that are not UTF-8. */
        ASSERT_OK(diag_add(&l, DIAG_ERROR, "r", LOC("f\xff", 1, 1), "cut \xc3 here \xe2\x82"));
        ASSERT_OK(diag_hint(&l, "fine é"));
        out = print_json(&l);
        ASSERT_STREQ(out, "[{\"severity\":\"error\",\"rule\":\"r\",\"file\":\"f\xef\xbf\xbd\",\"line\":1,\"column\":1,"
                          "\"message\":\"cut \xef\xbf\xbd here \xef\xbf\xbd\xef\xbf\xbd\",\"hint\":\"fine é\"}]\n");
        free(out);
        diag_list_done(&l);
}

TEST(closest) {
        const char *const keys[] = { "memory", "cpus", "name", "description", "irqchips", "pci-devices", NULL };
        size_t n = ELEMENTSOF(keys) - 1;

        ASSERT_STREQ(diag_closest("memroy", keys, n), "memory");        /* transposition: 1 */
        ASSERT_STREQ(diag_closest("memory", keys, n), "memory");
        ASSERT_STREQ(diag_closest("memor", keys, n), "memory");
        ASSERT_STREQ(diag_closest("cpu", keys, n), "cpus");
        ASSERT_STREQ(diag_closest("nmae", keys, n), "name");
        ASSERT_STREQ(diag_closest("descripton", keys, n), "description");
        ASSERT_STREQ(diag_closest("dsecriptoin", keys, n), "description");     /* 2 <= 11/3 */
        ASSERT_STREQ(diag_closest("pci_devices", keys, n), "pci-devices");
        ASSERT_NULL(diag_closest("mem", keys, n));                      /* 3 > 1 */
        ASSERT_NULL(diag_closest("xyz", keys, n));
        ASSERT_NULL(diag_closest("irqs", keys, n));
        ASSERT_NULL(diag_closest("", keys, n));
        ASSERT_NULL(diag_closest("memory", keys, 0));
        ASSERT_NULL(diag_closest(NULL, keys, n));
        ASSERT_STREQ(diag_closest("c", (const char *const[]) { "a", "b" }, 2), "a");   /* tie: the first */
        ASSERT_STREQ(diag_closest("ab", (const char *const[]) { "xb", "ab" }, 2), "ab");        /* the best */
        ASSERT_STREQ(diag_closest("a", (const char *const[]) { NULL, "b" }, 2), "b");
}

DEFINE_TEST_MAIN
