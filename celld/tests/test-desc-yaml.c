/* SPDX-License-Identifier: GPL-2.0-only */
/* The YAML front end: core schema typing, locations, refusals, limits, files, YAML == JSON. */
#include <fcntl.h>
#include <math.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desc.h"
#include "macro.h"
#include "tests-desc.h"
#include "tests.h"

static DescSource *parse_ok(const char *text) {
        DiagList d = {};
        DescSource *s = NULL;

        if (desc_parse("t.yaml", text, strlen(text), DESC_FORMAT_YAML, &d, &s) < 0) {
                diag_list_print(&d, stderr, false, NULL, NULL);
                test_fail(__FILE__, __LINE__, "cannot parse: %s", text);
        }
        ASSERT_EQ(d.n, 0);
        diag_list_done(&d);
        return s;
}

/* Parses @text, which must fail: the diagnostics, sorted. */
static DiagList parse_fail(const char *text) {
        DiagList d = {};
        DescSource *s = NULL;

        ASSERT_ERROR(desc_parse("t.yaml", text, strlen(text), DESC_FORMAT_YAML, &d, &s), EINVAL);
        ASSERT_NULL(s);
        ASSERT_TRUE(d.n > 0);
        diag_list_sort(&d);
        return d;
}

static void check_diag(const Diag *d, const char *rule, unsigned line, unsigned column, const char *message) {
        ASSERT_STREQ(d->rule, rule);
        ASSERT_STREQ(d->loc.file, "t.yaml");
        ASSERT_EQ(d->loc.line, line);
        ASSERT_EQ(d->loc.column, column);
        if (message)
                ASSERT_STREQ(d->message, message);
}

/* Exactly one error. */
static void check_error(const char *text, const char *rule, unsigned line, unsigned column, const char *message) {
        DiagList d = parse_fail(text);

        if (d.n != 1)
                diag_list_print(&d, stderr, false, NULL, NULL);
        ASSERT_EQ(d.n, 1);
        check_diag(&d.items[0], rule, line, column, message);
        diag_list_done(&d);
}

static void check_loc(DiagLoc loc, unsigned line, unsigned column) {
        ASSERT_STREQ(loc.file, "t.yaml");
        ASSERT_EQ(loc.line, line);
        ASSERT_EQ(loc.column, column);
}

/* The one value of "v: TEXT". */
static DescSource *parse_value(const char *text, DescNode **ret) {
        _cleanup_free_ char *doc = NULL;
        DescSource *s;

        ASSERT_TRUE(asprintf(&doc, "v: %s\n", text) > 0);
        s = parse_ok(doc);
        *ret = desc_get(s->root, "v");
        ASSERT_NOT_NULL(*ret);
        return s;
}

static void check_type(const char *text, DescType type) {
        DescNode *n;
        DescSource *s = parse_value(text, &n);

        if (n->type != type)
                test_fail(__FILE__, __LINE__, "'%s' is a %s, expected a %s", text, desc_type_to_string(n->type),
                          desc_type_to_string(type));
        desc_source_free(s);
}

static void check_integer(const char *text, int64_t value) {
        DescNode *n;
        DescSource *s = parse_value(text, &n);

        if (n->type != DESC_INTEGER || n->integer != value)
                test_fail(__FILE__, __LINE__, "'%s' is not the integer %" PRId64, text, value);
        desc_source_free(s);
}

static void check_number(const char *text, double value) {
        DescNode *n;
        DescSource *s = parse_value(text, &n);

        if (n->type != DESC_NUMBER || n->number != value)
                test_fail(__FILE__, __LINE__, "'%s' is not the number %g", text, value);
        desc_source_free(s);
}

static void check_string(const char *text, const char *value) {
        DescNode *n;
        DescSource *s = parse_value(text, &n);

        if (n->type != DESC_STRING || !streq(n->string.str, value))
                test_fail(__FILE__, __LINE__, "'%s' is not the string '%s'", text, value);
        ASSERT_EQ(n->string.len, strlen(value));
        desc_source_free(s);
}

TEST(core_schema_null_bool) {
        check_type("", DESC_NULL);
        check_type("~", DESC_NULL);
        check_type("null", DESC_NULL);
        check_type("Null", DESC_NULL);
        check_type("NULL", DESC_NULL);
        check_string("nULL", "nULL");
        check_string("\"null\"", "null");
        check_string("''", "");

        DescNode *n;
        DescSource *s = parse_value("True", &n);
        ASSERT_EQ(n->type, DESC_BOOL);
        ASSERT_TRUE(n->boolean);
        desc_source_free(s);
        s = parse_value("FALSE", &n);
        ASSERT_EQ(n->type, DESC_BOOL);
        ASSERT_FALSE(n->boolean);
        desc_source_free(s);
        check_type("true", DESC_BOOL);
        check_type("false", DESC_BOOL);
        /* YAML 1.1 booleans are strings in 1.2. */
        check_string("yes", "yes");
        check_string("on", "on");
        check_string("tRUE", "tRUE");
        check_string("'true'", "true");
}

TEST(core_schema_integers) {
        check_integer("0", 0);
        check_integer("-0", 0);
        check_integer("42", 42);
        check_integer("+42", 42);
        check_integer("-42", -42);
        check_integer("007", 7);
        check_integer("0x10", 16);
        check_integer("0xFFff", 65535);
        check_integer("0o17", 15);
        check_integer("9223372036854775807", INT64_MAX);
        check_integer("-9223372036854775808", INT64_MIN);
        check_integer("0x7fffffffffffffff", INT64_MAX);
        /* Beyond int64_t: numbers. */
        check_number("9223372036854775808", 9223372036854775808.0);
        check_number("-9223372036854775809", -9223372036854775808.0);
        check_number("0x8000000000000000", 9223372036854775808.0);
        check_number("0xffffffffffffffffffff", 1208925819614629174706176.0);
        check_number("0o7777777777777777777777", 73786976294838206463.0);
        /* Not integers in the core schema: strings. */
        check_string("0x", "0x");
        check_string("0o8", "0o8");
        check_string("0b101", "0b101");
        check_string("-0x10", "-0x10");
        check_string("1_000", "1_000");
        check_string("0x7040_0000", "0x7040_0000");
        check_string("1M", "1M");
        check_string("'42'", "42");
        check_string("\"0x10\"", "0x10");
}

TEST(core_schema_floats) {
        check_number("1.5", 1.5);
        check_number("-1.5", -1.5);
        check_number(".5", 0.5);
        check_number("+.5", 0.5);
        check_number("1.", 1.0);
        check_number("1.0", 1.0);
        check_number("1e3", 1000.0);
        check_number("1E-3", 0.001);
        check_number("2.5e+2", 250.0);
        check_number(".inf", INFINITY);
        check_number("+.Inf", INFINITY);
        check_number("-.INF", -INFINITY);
        check_number("1e400", INFINITY);
        check_string(".", ".");
        check_string("1e", "1e");
        check_string("e3", "e3");
        check_string("1.2.3", "1.2.3");
        check_string(".infinity", ".infinity");
        check_string("inf", "inf");
        check_string("'1.5'", "1.5");

        check_error("v: .nan", "yaml-value", 1, 4, "'.nan' (not a number) is not supported: JSON cannot express it");
        check_error("v: [.NaN]", "yaml-value", 1, 5, NULL);
}

TEST(quoted_and_block_scalars_are_strings) {
        DescSource *s = parse_ok("a: \"1\"\n"
                                 "b: 'true'\n"
                                 "c: |\n"
                                 "  12\n"
                                 "d: >-\n"
                                 "  null\n"
                                 "e: \"tab\\there \\u00e9 \\U0001F600\"\n"
                                 "f: plain with spaces\n"
                                 "g: multi\n"
                                 "  line\n");

        ASSERT_STREQ(desc_get(s->root, "a")->string.str, "1");
        ASSERT_STREQ(desc_get(s->root, "b")->string.str, "true");
        ASSERT_STREQ(desc_get(s->root, "c")->string.str, "12\n");
        ASSERT_STREQ(desc_get(s->root, "d")->string.str, "null");
        ASSERT_STREQ(desc_get(s->root, "e")->string.str, "tab\there é 😀");
        ASSERT_STREQ(desc_get(s->root, "f")->string.str, "plain with spaces");
        ASSERT_STREQ(desc_get(s->root, "g")->string.str, "multi line");
        desc_source_free(s);
}

TEST(core_tags) {
        DescSource *s = parse_ok("a: !!str 12\n"
                                 "b: !!int \"12\"\n"
                                 "c: !!float 2\n"
                                 "d: !!bool 'true'\n"
                                 "e: !!null ''\n"
                                 "f: !!seq [1]\n"
                                 "g: !!map {x: 1}\n"
                                 "h: ! 12\n"
                                 "i: !!float 1.5\n"
                                 "j: !<tag:yaml.org,2002:int> 0x10\n");
        DescNode *r = s->root;

        ASSERT_EQ(desc_get(r, "a")->type, DESC_STRING);
        ASSERT_STREQ(desc_get(r, "a")->string.str, "12");
        ASSERT_EQ(desc_get(r, "b")->type, DESC_INTEGER);
        ASSERT_EQ(desc_get(r, "b")->integer, 12);
        ASSERT_EQ(desc_get(r, "c")->type, DESC_NUMBER);
        ASSERT_TRUE(desc_get(r, "c")->number == 2.0);
        ASSERT_EQ(desc_get(r, "d")->type, DESC_BOOL);
        ASSERT_EQ(desc_get(r, "e")->type, DESC_NULL);
        ASSERT_EQ(desc_get(r, "f")->type, DESC_ARRAY);
        ASSERT_EQ(desc_get(r, "g")->type, DESC_OBJECT);
        ASSERT_EQ(desc_get(r, "h")->type, DESC_STRING);
        ASSERT_TRUE(desc_get(r, "i")->number == 1.5);
        ASSERT_EQ(desc_get(r, "j")->integer, 16);
        desc_source_free(s);
}

TEST(tags_refused) {
        DiagList d = parse_fail("a: !foo 1\n"
                                "b: !!binary aGk=\n"
                                "c: !!int abc\n"
                                "d: !!set {x}\n"
                                "e: !!map [1]\n"
                                "f: !!bool yes\n"
                                "g: !<tag:example.com,2024:x> 1\n");

        ASSERT_EQ(d.n, 7);
        check_diag(&d.items[0], "yaml-tag", 1, 4, "unsupported tag '!foo' on a scalar");
        check_diag(&d.items[1], "yaml-tag", 2, 4, "unsupported tag '!!binary' on a scalar");
        check_diag(&d.items[2], "yaml-tag", 3, 4, "'abc' is not a valid !!int");
        check_diag(&d.items[3], "yaml-tag", 4, 4, "unsupported tag '!!set' on a mapping");
        check_diag(&d.items[4], "yaml-tag", 5, 4, "unsupported tag '!!map' on a sequence");
        check_diag(&d.items[5], "yaml-tag", 6, 4, "'yes' is not a valid !!bool");
        check_diag(&d.items[6], "yaml-tag", 7, 4, "unsupported tag 'tag:example.com,2024:x' on a scalar");
        diag_list_done(&d);
}

TEST(long_values_cut_in_messages) {
        /* 63 ASCII bytes and a two-byte character: the message does not split it. */
        char text[256] = "v: !!int ";

        memset(text + 9, 'x', 63);
        strcpy(text + 72, "éé\n");
        check_error(text, "yaml-tag", 1, 4,
                    "'xxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxxx...' is not a valid !!int");
}

TEST(anchors_and_aliases_refused) {
        DiagList d = parse_fail("base: &b\n"
                                "  x: 1\n"
                                "copy: *b\n"
                                "list: &l [1]\n"
                                "s: &s v\n"
                                "*s : 2\n");

        ASSERT_EQ(d.n, 5);
        check_diag(&d.items[0], "yaml-alias", 1, 7, "YAML anchors and aliases are not supported");
        check_diag(&d.items[1], "yaml-alias", 3, 7, "YAML anchors and aliases are not supported");
        check_diag(&d.items[2], "yaml-alias", 4, 7, NULL);
        check_diag(&d.items[3], "yaml-alias", 5, 4, NULL);
        check_diag(&d.items[4], "yaml-alias", 6, 1, NULL);
        diag_list_done(&d);
}

TEST(documents) {
        DescSource *s;

        /* Explicit start and end markers around one document are fine. */
        s = parse_ok("%YAML 1.2\n---\na: 1\n...\n");
        ASSERT_EQ(desc_get(s->root, "a")->integer, 1);
        desc_source_free(s);

        check_error("a: 1\n---\nb: 2\n", "yaml-multi-document", 2, 1,
                    "more than one YAML document: a file holds one description");
        check_error("--- 1\n--- 2\n", "yaml-multi-document", 2, 1, NULL);

        /* Empty document: null (the schema complains, not the parser). */
        s = parse_ok("");
        ASSERT_EQ(s->root->type, DESC_NULL);
        check_loc(s->root->loc, 1, 1);
        desc_source_free(s);
        s = parse_ok("# just a comment\n\n");
        ASSERT_EQ(s->root->type, DESC_NULL);
        desc_source_free(s);
        s = parse_ok("---\n");
        ASSERT_EQ(s->root->type, DESC_NULL);
        desc_source_free(s);

        /* A scalar document. */
        s = parse_ok("42\n");
        ASSERT_EQ(s->root->type, DESC_INTEGER);
        desc_source_free(s);
}

TEST(keys) {
        DescSource *s = parse_ok("1: one\n"
                                 "true: yes\n"
                                 "0x10: hex\n"
                                 "\"quoted\": q\n"
                                 "'': empty\n"
                                 "? explicit\n"
                                 ": e\n");

        ASSERT_STREQ(desc_get(s->root, "1")->string.str, "one");
        ASSERT_STREQ(desc_get(s->root, "true")->string.str, "yes");
        ASSERT_STREQ(desc_get(s->root, "0x10")->string.str, "hex");
        ASSERT_STREQ(desc_get(s->root, "quoted")->string.str, "q");
        ASSERT_STREQ(desc_get(s->root, "")->string.str, "empty");
        ASSERT_STREQ(desc_get(s->root, "explicit")->string.str, "e");
        desc_source_free(s);

        DiagList d = parse_fail("? [a, b]\n"
                                ": 1\n"
                                "~: 2\n"
                                "? {x: 1}\n"
                                ": 3\n"
                                "?\n"
                                ": 4\n"
                                "ok: 5\n");
        ASSERT_EQ(d.n, 4);
        check_diag(&d.items[0], "yaml-key", 1, 3, "a key must be a string, not a sequence");
        check_diag(&d.items[1], "yaml-key", 3, 1, "a key must be a string, not null");
        check_diag(&d.items[2], "yaml-key", 4, 3, "a key must be a string, not a mapping");
        check_diag(&d.items[3], "yaml-key", 6, 2, "a key must be a string, not null");
        diag_list_done(&d);
}

TEST(locations) {
        DescSource *s = parse_ok("# comment\n"
                                 "name: demo   # trailing\n"
                                 "cpus: [2, 3]\n"
                                 "memory:\n"
                                 "  - base: 0x1000\n"
                                 "    size: \"1M\"\n"
                                 "  -   {a: 1,  b: [x]}\n"
                                 "é: ü\n"
                                 "   \n"
                                 "last: |\n"
                                 "  text\n");
        DescNode *r = s->root, *mem = desc_get(r, "memory");

        check_loc(r->loc, 2, 1);
        check_loc(desc_member(r, "name")->key_loc, 2, 1);
        check_loc(desc_get(r, "name")->loc, 2, 7);
        check_loc(desc_get(r, "cpus")->loc, 3, 7);
        check_loc(desc_get(r, "cpus")->array.items[1]->loc, 3, 11);
        check_loc(mem->loc, 5, 3);
        check_loc(mem->array.items[0]->loc, 5, 5);
        check_loc(desc_member(mem->array.items[0], "size")->key_loc, 6, 5);
        check_loc(desc_get(mem->array.items[0], "size")->loc, 6, 11);
        check_loc(mem->array.items[1]->loc, 7, 7);
        check_loc(desc_member(mem->array.items[1], "b")->key_loc, 7, 15);
        check_loc(desc_get(mem->array.items[1], "b")->array.items[0]->loc, 7, 19);
        /* Columns count characters. */
        check_loc(desc_member(r, "é")->key_loc, 8, 1);
        check_loc(desc_get(r, "é")->loc, 8, 4);
        check_loc(desc_get(r, "last")->loc, 10, 7);
        ASSERT_TRUE(desc_get(mem->array.items[1], "b")->parent == mem->array.items[1]);
        desc_source_free(s);
}

TEST(locations_at_the_end) {
        /* An empty value at the very end stays within the text, with or without a final newline. */
        DescSource *s = parse_ok("? a");

        check_loc(desc_get(s->root, "a")->loc, 1, 4);
        desc_source_free(s);
        s = parse_ok("? a\n");
        check_loc(desc_get(s->root, "a")->loc, 2, 1);
        ASSERT_NOT_NULL(desc_source_line(s, 2, NULL));
        desc_source_free(s);

        check_error("a: [1", "yaml-syntax", 1, 6, "did not find expected ',' or ']'");
}

TEST(duplicate_keys) {
        DiagList d = parse_fail("a: 1\n"
                                "b:\n"
                                "  c: 2\n"
                                "  d: {x: 1, x: 2}\n"
                                "  c: 3\n"
                                "\"a\": 4\n"
                                "1: x\n"
                                "'1': y\n");

        ASSERT_EQ(d.n, 4);
        check_diag(&d.items[0], "duplicate-key", 4, 13, "duplicate key 'x'");
        check_loc(d.items[0].related_loc, 4, 7);
        ASSERT_STREQ(d.items[0].related_message, "first defined here");
        check_diag(&d.items[1], "duplicate-key", 5, 3, "duplicate key 'c'");
        check_loc(d.items[1].related_loc, 3, 3);
        check_diag(&d.items[2], "duplicate-key", 6, 1, "duplicate key 'a'");
        check_loc(d.items[2].related_loc, 1, 1);
        check_diag(&d.items[3], "duplicate-key", 8, 1, "duplicate key '1'");
        check_loc(d.items[3].related_loc, 7, 1);
        diag_list_done(&d);
}

TEST(syntax_errors) {
        DiagList d = parse_fail("a: [1, 2\nb: 3\n");

        ASSERT_EQ(d.n, 1);
        check_diag(&d.items[0], "yaml-syntax", 2, 2, "did not find expected ',' or ']'");
        check_loc(d.items[0].related_loc, 1, 4);
        ASSERT_STREQ(d.items[0].related_message, "while parsing a flow sequence");
        diag_list_done(&d);

        check_error("a: b: c\n", "yaml-syntax", 1, 5, "mapping values are not allowed in this context");
        check_error("a:\n\tb: 1\n", "yaml-syntax", 2, 1, "found character that cannot start any token");
        check_error("a: 1\n b: 2\nc\n", "yaml-syntax", 2, 3, NULL);
        check_error("key: \"open\n", "yaml-syntax", 2, 1, "found unexpected end of stream");
        check_error("- a\nb: c\n", "yaml-syntax", 2, 1, "did not find expected '-' indicator");
        check_error("%FOO bar\n--- x\n", "yaml-syntax", 1, 5, "found unknown directive name");

        /* No note when the context is where the problem is. */
        d = parse_fail("a:\n\tb: 1\n");
        ASSERT_NULL(d.items[0].related_message);
        diag_list_done(&d);
}

TEST(encoding) {
        check_error("a: \"\xff\"\n", "encoding", 1, 5, "invalid UTF-8 (byte 0xff)");
        check_error("a: ok\nb: \xc3\x28\n", "encoding", 2, 4, "invalid UTF-8 (byte 0xc3)");
        check_error("a: é\x01\n", "encoding", 1, 5, "control characters are not allowed");

        DiagList d = {};
        DescSource *s = NULL;
        ASSERT_ERROR(desc_parse("t.yaml", "a: 1\nb:\0 2\n", 11, DESC_FORMAT_YAML, &d, &s), EINVAL);
        ASSERT_EQ(d.n, 1);
        check_diag(&d.items[0], "encoding", 2, 3, "NUL byte in the file");
        diag_list_done(&d);

        /* "\0" escapes decode to NUL, which strings may not hold. */
        check_error("a: \"x\\0y\"\n", "encoding", 1, 4, "NUL character in a string");

        /* A byte order mark is fine. */
        s = parse_ok("\xef\xbb\xbf" "a: 1\n");
        check_loc(desc_member(s->root, "a")->key_loc, 1, 1);
        desc_source_free(s);
}

TEST(yaml_line_breaks) {
        /* libyaml ends lines at U+2028 (YAML 1.1) too; the source lines agree, so carets do. */
        const char *text = "a: \"x\xe2\x80\xa8y\"\nb: [1,\n 2]\nc: 3\n", *l;
        DescSource *s = parse_ok(text);
        DiagList d = {};
        size_t len;

        check_loc(desc_member(s->root, "c")->key_loc, 5, 1);
        l = desc_source_line(s, 5, &len);
        ASSERT_NOT_NULL(l);
        ASSERT_EQ(len, 4);
        ASSERT_TRUE(strncmp(l, "c: 3", 4) == 0);
        l = desc_source_line(s, 2, &len);
        ASSERT_TRUE(strncmp(l, "y\"", len) == 0);
        desc_source_free(s);

        /* In JSON, U+2028 is an ordinary character. */
        text = "{\"a\": \"x\xe2\x80\xa8y\",\n\"c\": 3}";
        ASSERT_OK(desc_parse("t.json", text, strlen(text), DESC_FORMAT_JSON, &d, &s));
        ASSERT_EQ(desc_member(s->root, "c")->key_loc.line, 2);
        l = desc_source_line(s, 2, &len);
        ASSERT_TRUE(strncmp(l, "\"c\": 3}", len) == 0);
        desc_source_free(s);
}

static char *repeat(const char *open, size_t n, const char *middle, const char *close) {
        size_t lo = strlen(open), lc = strlen(close), lm = strlen(middle);
        char *t = malloc(n * (lo + lc) + lm + 1), *p = t;

        ASSERT_NOT_NULL(t);
        for (size_t i = 0; i < n; i++)
                p = mempcpy(p, open, lo);
        p = mempcpy(p, middle, lm);
        for (size_t i = 0; i < n; i++)
                p = mempcpy(p, close, lc);
        *p = '\0';
        return t;
}

TEST(limit_depth) {
        char *t = repeat("[", DESC_MAX_DEPTH, "1", "]");
        DescSource *s = parse_ok(t);

        desc_source_free(s);
        free(t);

        t = repeat("{a: ", DESC_MAX_DEPTH + 1, "1", "}");
        check_error(t, "limit-depth", 1, 1 + 4 * DESC_MAX_DEPTH, "nesting deeper than 64 levels");
        free(t);

        /* Block style: one level per line. */
        t = malloc(DESC_MAX_DEPTH * (2 * DESC_MAX_DEPTH + 8));
        ASSERT_NOT_NULL(t);
        t[0] = '\0';
        for (int i = 0; i <= DESC_MAX_DEPTH; i++)
                sprintf(t + strlen(t), "%*sk:\n", 2 * i, "");
        check_error(t, "limit-depth", DESC_MAX_DEPTH + 1, 2 * DESC_MAX_DEPTH + 1, NULL);
        free(t);

        t = repeat("[", 300000, "", "");
        check_error(t, "limit-depth", 1, DESC_MAX_DEPTH + 1, NULL);
        free(t);
}

TEST(limit_nodes) {
        size_t n = DESC_MAX_NODES;
        char *t = malloc(2 * n + 4), *p = t;
        DescSource *s;

        ASSERT_NOT_NULL(t);
        *p++ = '[';
        for (size_t i = 0; i < n - 1; i++) {
                *p++ = '0';
                *p++ = ',';
        }
        p[-1] = ']';
        *p = '\0';
        s = parse_ok(t);
        ASSERT_EQ(s->n_nodes, DESC_MAX_NODES);
        desc_source_free(s);

        p[-1] = ',';
        strcpy(p, "7]");
        check_error(t, "limit-nodes", 1, 2 * (unsigned) n, "more than 100000 values in one file");
        free(t);
}

TEST(limit_string) {
        char *t = malloc(DESC_MAX_STRING + 64);
        DescSource *s;

        ASSERT_NOT_NULL(t);
        strcpy(t, "v: ");
        memset(t + 3, 'x', DESC_MAX_STRING);
        strcpy(t + 3 + DESC_MAX_STRING, "\n");
        s = parse_ok(t);
        ASSERT_EQ(desc_get(s->root, "v")->string.len, DESC_MAX_STRING);
        desc_source_free(s);

        strcpy(t + 3 + DESC_MAX_STRING, "x\n");
        check_error(t, "limit-string", 1, 4, "string of 4097 bytes, more than the limit of 4096 bytes");

        /* A long key (explicit: simple keys are short) and a long quoted value. */
        strcpy(t, "? ");
        memset(t + 2, 'k', DESC_MAX_STRING + 1);
        strcpy(t + 3 + DESC_MAX_STRING, "\n: 1\n");
        check_error(t, "limit-string", 1, 3, "key of 4097 bytes, more than the limit of 4096 bytes");
        free(t);
}

TEST(limit_size) {
        size_t size = DESC_MAX_FILE_SIZE + 1;
        char *t = malloc(size);
        DiagList d = {};
        DescSource *s = NULL;

        ASSERT_NOT_NULL(t);
        memset(t, '\n', size);
        t[0] = '1';
        ASSERT_ERROR(desc_parse("t.yaml", t, size, DESC_FORMAT_YAML, &d, &s), EINVAL);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(d.items[0].rule, "limit-size");
        ASSERT_EQ(d.items[0].loc.line, 0);
        diag_list_done(&d);

        ASSERT_OK(desc_parse("t.yaml", t, size - 1, DESC_FORMAT_YAML, &d, &s));
        ASSERT_EQ(s->root->integer, 1);
        desc_source_free(s);
        free(t);
}

static const char yaml_doc[] =
        "# A cell\n"
        "cell: demo\n"
        "cpus: [2, 3]\n"
        "enabled: true\n"
        "ratio: 0.25\n"
        "big: 1e3\n"
        "nothing: ~\n"
        "memory:\n"
        "  - name: ram\n"
        "    base: 0x7040_0000\n"
        "    size: 16M\n"
        "    flags: [read, write, \"exec\"]\n"
        "  - {name: io, size: 0x1000, access: []}\n"
        "text: |\n"
        "  two\n"
        "  lines\n"
        "nested: {a: {b: {c: [null, -1, 'x y']}}}\n";

static const char json_doc[] =
        "{\"memory\": [{\"size\": \"16M\", \"name\": \"ram\", \"base\": \"0x7040_0000\","
        "              \"flags\": [\"read\", \"write\", \"exec\"]},\n"
        "             {\"name\": \"io\", \"size\": 4096, \"access\": []}],\n"
        " \"cell\": \"demo\", \"cpus\": [2, 3.0], \"enabled\": true, \"ratio\": 0.25, \"big\": 1000,\n"
        " \"nothing\": null, \"text\": \"two\\nlines\\n\",\n"
        " \"nested\": {\"a\": {\"b\": {\"c\": [null, -1, \"x y\"]}}}}\n";

TEST(yaml_equals_json) {
        DiagList d = {};
        DescSource *y = parse_ok(yaml_doc), *j = NULL, *back = NULL;
        char *text;

        ASSERT_OK(desc_parse("t.json", json_doc, strlen(json_doc), DESC_FORMAT_JSON, &d, &j));
        ASSERT_TRUE(desc_equal(y->root, j->root));
        ASSERT_TRUE(desc_equal(j->root, y->root));

        /* The JSON text of the YAML tree parses back to the same tree. */
        text = desc_to_json(y->root);
        ASSERT_NOT_NULL(text);
        ASSERT_OK(desc_parse("back.json", text, strlen(text), DESC_FORMAT_JSON, &d, &back));
        ASSERT_TRUE(desc_equal(y->root, back->root));
        ASSERT_EQ(d.n, 0);

        /* One difference is enough. */
        desc_get(j->root, "enabled")->boolean = false;
        ASSERT_FALSE(desc_equal(y->root, j->root));

        free(text);
        desc_source_free(y);
        desc_source_free(j);
        desc_source_free(back);
}

TEST(to_json_and_pointer) {
        DescSource *s = parse_ok("a: [1, 1.0, .inf, x, ~]\nb/c: {d~e: [0, [true]]}\n");
        char *j = desc_to_json(s->root), *p;

        ASSERT_STREQ(j, "{\"a\":[1,1.0,1e999,\"x\",null],\"b/c\":{\"d~e\":[0,[true]]}}");
        free(j);

        p = desc_pointer(desc_get(desc_get(s->root, "b/c"), "d~e")->array.items[1]->array.items[0]);
        ASSERT_STREQ(p, "/b~1c/d~0e/1/0");
        free(p);
        desc_source_free(s);
}

static char tmpdir[] = "/tmp/test-desc-yaml.XXXXXX";

static char *write_file(const char *name, const char *text) {
        char *path;
        FILE *f;

        ASSERT_TRUE(asprintf(&path, "%s/%s", tmpdir, name) > 0);
        f = fopen(path, "we");
        ASSERT_NOT_NULL(f);
        ASSERT_EQ(fwrite(text, 1, strlen(text), f), strlen(text));
        ASSERT_EQ(fclose(f), 0);
        return path;
}

TEST(files) {
        _cleanup_free_ char *yaml = NULL, *json = NULL, *bad = NULL, *missing = NULL, *big = NULL;
        DiagList d = {};
        DescSource *a = NULL, *b = NULL;
        FILE *f;

        ASSERT_NOT_NULL(mkdtemp(tmpdir));
        yaml = write_file("cell.yaml", yaml_doc);
        json = write_file("cell.json", json_doc);
        bad = write_file("bad.json", "{\"a\": 1,}");

        ASSERT_OK(desc_parse_file(yaml, &d, &a));
        ASSERT_STREQ(a->file, yaml);
        ASSERT_STREQ(desc_get(a->root, "cell")->loc.file, yaml);
        ASSERT_OK(desc_parse_file(json, &d, &b));
        ASSERT_TRUE(desc_equal(a->root, b->root));
        desc_source_free(b);
        b = NULL;
        ASSERT_EQ(d.n, 0);

        /* The extension picks the format: the same text is valid YAML. */
        ASSERT_ERROR(desc_parse_file(bad, &d, &b), EINVAL);
        ASSERT_NULL(b);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(d.items[0].rule, "json-syntax");
        ASSERT_STREQ(d.items[0].loc.file, bad);
        diag_list_done(&d);

        ASSERT_TRUE(asprintf(&missing, "%s/missing.yaml", tmpdir) > 0);
        ASSERT_ERROR(desc_parse_file(missing, &d, &b), ENOENT);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(d.items[0].rule, "io");
        ASSERT_STREQ(d.items[0].loc.file, missing);
        ASSERT_EQ(d.items[0].loc.line, 0);
        ASSERT_STREQ(d.items[0].message, "cannot read file: No such file or directory");
        diag_list_done(&d);

        ASSERT_ERROR(desc_parse_file(tmpdir, &d, &b), EISDIR);
        ASSERT_STREQ(d.items[0].rule, "io");
        ASSERT_STREQ(d.items[0].message, "cannot read file: Is a directory");
        diag_list_done(&d);

        ASSERT_TRUE(asprintf(&big, "%s/big.yaml", tmpdir) > 0);
        f = fopen(big, "we");
        ASSERT_NOT_NULL(f);
        ASSERT_EQ(ftruncate(fileno(f), DESC_MAX_FILE_SIZE + 1), 0);
        fclose(f);
        ASSERT_ERROR(desc_parse_file(big, &d, &b), EINVAL);
        ASSERT_STREQ(d.items[0].rule, "limit-size");
        diag_list_done(&d);

        /* Not a regular file: read until the limit. */
        ASSERT_OK(desc_parse_file("/dev/null", &d, &b));
        ASSERT_EQ(b->root->type, DESC_NULL);
        desc_source_free(b);

        desc_source_free(a);
        unlink(yaml);
        unlink(json);
        unlink(bad);
        unlink(big);
        rmdir(tmpdir);
}

TEST(read_then_parse_keeps_source_for_carets) {
        _cleanup_free_ char *path = NULL, *out = NULL, *expected = NULL;
        DiagList d = {};
        DescSource *s = NULL;
        size_t size;
        FILE *f;

        strcpy(tmpdir, "/tmp/test-desc-yaml.XXXXXX");
        ASSERT_NOT_NULL(mkdtemp(tmpdir));
        path = write_file("c.yaml", "cell: x\ncpus: [1,\n\t2 }\n");

        ASSERT_OK(desc_source_read(path, &d, &s));
        ASSERT_NULL(s->root);
        ASSERT_ERROR(desc_source_parse(s, DESC_FORMAT_YAML, &d), EINVAL);
        ASSERT_NULL(s->root);

        f = open_memstream(&out, &size);
        ASSERT_NOT_NULL(f);
        diag_list_print(&d, f, false, desc_sources_line, (DescSource *[]) { s, NULL });
        fclose(f);
        ASSERT_TRUE(asprintf(&expected,
                             "%1$s:3:4: error[yaml-syntax]: did not find expected ',' or ']'\n"
                             "    3 | \t2 }\n"
                             "      | \t  ^\n"
                             "%1$s:2:7: note: while parsing a flow sequence\n", path) > 0);
        ASSERT_STREQ(out, expected);

        /* The list outlives the source: it keeps its own file names. */
        desc_source_free(s);
        ASSERT_STREQ(d.items[0].loc.file, path);
        diag_list_done(&d);

        s = NULL;
        ASSERT_OK(desc_source_read(path, &d, &s));
        desc_source_free(s);
        unlink(path);
        rmdir(tmpdir);
}

DEFINE_TEST_MAIN
