/* SPDX-License-Identifier: GPL-2.0-only */
/* The JSON front end and the tree utilities: typing, locations, strictness, limits, equality. */
#include <math.h>

#include "desc.h"
#include "macro.h"
#include "tests-desc.h"
#include "tests.h"

static DescSource *parse_ok(const char *text) {
        DiagList d = {};
        DescSource *s = NULL;

        if (desc_parse("t.json", text, strlen(text), DESC_FORMAT_JSON, &d, &s) < 0) {
                diag_list_print(&d, stderr, false, NULL, NULL);
                test_fail(__FILE__, __LINE__, "cannot parse: %s", text);
        }
        ASSERT_EQ(d.n, 0);
        diag_list_done(&d);
        return s;
}

/* Parses @size bytes that must fail with exactly one error: checks its rule, place and message. */
static void check_error_n(const char *text, size_t size, const char *rule, unsigned line, unsigned column,
                          const char *message) {
        DiagList d = {};
        DescSource *s = NULL;

        ASSERT_ERROR(desc_parse("t.json", text, size, DESC_FORMAT_JSON, &d, &s), EINVAL);
        ASSERT_NULL(s);
        if (d.n != 1)
                diag_list_print(&d, stderr, false, NULL, NULL);
        ASSERT_EQ(d.n, 1);
        ASSERT_EQ(d.n_errors, 1);
        ASSERT_STREQ(d.items[0].rule, rule);
        ASSERT_STREQ(d.items[0].loc.file, "t.json");
        ASSERT_EQ(d.items[0].loc.line, line);
        ASSERT_EQ(d.items[0].loc.column, column);
        if (message)
                ASSERT_STREQ(d.items[0].message, message);
        diag_list_done(&d);
}

static void check_error(const char *text, const char *rule, unsigned line, unsigned column, const char *message) {
        check_error_n(text, strlen(text), rule, line, column, message);
}

static void check_loc(DiagLoc loc, unsigned line, unsigned column) {
        ASSERT_STREQ(loc.file, "t.json");
        ASSERT_EQ(loc.line, line);
        ASSERT_EQ(loc.column, column);
}

TEST(types) {
        DescSource *s = parse_ok("{\"n\": null, \"t\": true, \"f\": false, \"i\": -42, \"x\": 1.5, \"e\": 1e3,"
                                 " \"one\": 1.0, \"s\": \"hi\", \"a\": [], \"o\": {}}");
        DescNode *r = s->root;

        ASSERT_EQ(r->type, DESC_OBJECT);
        ASSERT_EQ(r->object.n, 10);
        ASSERT_NULL(r->parent);
        ASSERT_EQ(desc_get(r, "n")->type, DESC_NULL);
        ASSERT_EQ(desc_get(r, "t")->type, DESC_BOOL);
        ASSERT_TRUE(desc_get(r, "t")->boolean);
        ASSERT_FALSE(desc_get(r, "f")->boolean);
        ASSERT_EQ(desc_get(r, "i")->type, DESC_INTEGER);
        ASSERT_EQ(desc_get(r, "i")->integer, -42);
        ASSERT_EQ(desc_get(r, "x")->type, DESC_NUMBER);
        ASSERT_TRUE(desc_get(r, "x")->number == 1.5);
        ASSERT_EQ(desc_get(r, "e")->type, DESC_NUMBER);
        ASSERT_TRUE(desc_get(r, "e")->number == 1000.0);
        ASSERT_EQ(desc_get(r, "one")->type, DESC_NUMBER);
        ASSERT_EQ(desc_get(r, "s")->type, DESC_STRING);
        ASSERT_STREQ(desc_get(r, "s")->string.str, "hi");
        ASSERT_EQ(desc_get(r, "s")->string.len, 2);
        ASSERT_EQ(desc_get(r, "a")->type, DESC_ARRAY);
        ASSERT_EQ(desc_get(r, "a")->array.n, 0);
        ASSERT_EQ(desc_get(r, "o")->type, DESC_OBJECT);
        ASSERT_TRUE(desc_get(r, "o")->parent == r);
        ASSERT_NULL(desc_get(r, "missing"));
        ASSERT_NULL(desc_get(desc_get(r, "s"), "s"));
        ASSERT_STREQ(desc_member(r, "x")->key, "x");
        ASSERT_EQ(s->n_nodes, 11);
        desc_source_free(s);

        s = parse_ok("  \"top\"  ");
        ASSERT_EQ(s->root->type, DESC_STRING);
        desc_source_free(s);
}

TEST(locations) {
        DescSource *s = parse_ok("{\n"
                                 "  \"cpus\": [1,\n"
                                 "\t\t2],\n"
                                 "  \"name\" :\"é\", \"x\": {\"y\": null}\n"
                                 "}\n");
        DescNode *r = s->root, *cpus = desc_get(r, "cpus");

        check_loc(r->loc, 1, 1);
        check_loc(desc_member(r, "cpus")->key_loc, 2, 3);
        check_loc(cpus->loc, 2, 11);
        check_loc(cpus->array.items[0]->loc, 2, 12);
        check_loc(cpus->array.items[1]->loc, 3, 3);
        check_loc(desc_member(r, "name")->key_loc, 4, 3);
        check_loc(desc_get(r, "name")->loc, 4, 11);
        /* Columns count characters: "é" is one, though two bytes. */
        check_loc(desc_member(r, "x")->key_loc, 4, 16);
        check_loc(desc_get(desc_get(r, "x"), "y")->loc, 4, 27);
        desc_source_free(s);

        /* CR LF and lone CR end lines too. */
        s = parse_ok("[\r\n1,\r2]");
        check_loc(s->root->array.items[0]->loc, 2, 1);
        check_loc(s->root->array.items[1]->loc, 3, 1);
        desc_source_free(s);
}

TEST(duplicate_keys) {
        DiagList d = {};
        DescSource *s = NULL;
        const char *text = "{\"a\": 1,\n \"b\": {\"c\": 2, \"c\": 3},\n \"a\": 4}";

        ASSERT_ERROR(desc_parse("t.json", text, strlen(text), DESC_FORMAT_JSON, &d, &s), EINVAL);
        ASSERT_NULL(s);
        ASSERT_EQ(d.n, 2);
        diag_list_sort(&d);
        ASSERT_STREQ(d.items[0].rule, "duplicate-key");
        ASSERT_STREQ(d.items[0].message, "duplicate key 'c'");
        check_loc(d.items[0].loc, 2, 16);
        check_loc(d.items[0].related_loc, 2, 8);
        ASSERT_STREQ(d.items[0].related_message, "first defined here");
        ASSERT_STREQ(d.items[1].message, "duplicate key 'a'");
        check_loc(d.items[1].loc, 3, 2);
        check_loc(d.items[1].related_loc, 1, 2);
        diag_list_done(&d);
}

TEST(duplicate_keys_many) {
        /* Big objects take the sorting path: each repeat is reported against the first. */
        char text[4096] = "{";
        DiagList d = {};
        DescSource *s = NULL;

        for (int i = 0; i < 40; i++)
                snprintf(text + strlen(text), sizeof(text) - strlen(text), "%s\"k%d\": %d", i ? ", " : "", i % 20, i);
        strcat(text, "}");

        ASSERT_ERROR(desc_parse("t.json", text, strlen(text), DESC_FORMAT_JSON, &d, &s), EINVAL);
        ASSERT_EQ(d.n, 20);
        for (size_t i = 0; i < d.n; i++) {
                ASSERT_STREQ(d.items[i].rule, "duplicate-key");
                ASSERT_TRUE(d.items[i].loc.column > d.items[i].related_loc.column);
        }
        diag_list_done(&d);
}

TEST(duplicate_long_key_cut) {
        char text[512], key[200];

        /* 63 ASCII bytes, then "é": the cut does not split the character. */
        memset(key, 'k', 63);
        strcpy(key + 63, "é and more");
        snprintf(text, sizeof(text), "{\"%s\": 1, \"%s\": 2}", key, key);
        check_error(text, "duplicate-key", 1, 82,      /* columns count characters: 9 + 73 */
                    "duplicate key 'kkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkkk...'");
}

TEST(structure_errors) {
        check_error("[1, 2,]", "json-syntax", 1, 6, "unexpected ',' after the last element");
        check_error("{\"a\": 1,\n}", "json-syntax", 1, 8, "unexpected ',' after the last member");
        check_error("{\"a\" 1}", "json-syntax", 1, 6, "expected ':' after object key, got '1'");
        check_error("{\"a\": 1 \"b\": 2}", "json-syntax", 1, 9, "expected ',' or '}' after an object member, got '\"'");
        check_error("[1 2]", "json-syntax", 1, 4, "expected ',' or ']' after an array element, got '2'");
        check_error("[,1]", "json-syntax", 1, 2, "expected a value before ','");
        check_error("[1,,2]", "json-syntax", 1, 4, "expected a value before ','");
        check_error("{a: 1}", "json-syntax", 1, 2, "expected a key in double quotes, got 'a'");
        check_error("{'a': 1}", "json-syntax", 1, 2, "expected a key in double quotes, got '''");
        check_error("['a']", "json-syntax", 1, 2, "strings must be in double quotes");
        check_error("[1] x", "json-syntax", 1, 5, "unexpected 'x' after the JSON value");
        check_error("{} {}", "json-syntax", 1, 4, "unexpected '{' after the JSON value");
        check_error("", "json-syntax", 1, 1, "empty document: expected a JSON value");
        check_error(" \n\t", "json-syntax", 2, 2, "empty document: expected a JSON value");
        check_error("{\"a\":", "json-syntax", 1, 6, "expected a value, got end of input");
        check_error("[\n  [1, 2]", "json-syntax", 2, 9, "expected ',' or ']', got end of input");
        check_error("{\"a\": 1", "json-syntax", 1, 8, "expected ',' or '}', got end of input");
        check_error("[tru]", "json-syntax", 1, 2, "invalid value 'tru'");
        check_error("[True]", "json-syntax", 1, 2, "invalid value 'True'");
        check_error("[nullx]", "json-syntax", 1, 2, "invalid value 'nullx'");
        check_error("[}", "json-syntax", 1, 2, "expected a value, got '}'");
        check_error("[\x01]", "json-syntax", 1, 2, "expected a value, got character U+0001");
}

TEST(unclosed_has_related_start) {
        DiagList d = {};
        DescSource *s = NULL;

        ASSERT_ERROR(desc_parse("t.json", "{\"x\": [1,\n2", 11, DESC_FORMAT_JSON, &d, &s), EINVAL);
        ASSERT_EQ(d.n, 1);
        check_loc(d.items[0].loc, 2, 2);
        check_loc(d.items[0].related_loc, 1, 7);
        ASSERT_STREQ(d.items[0].related_message, "the array starts here");
        diag_list_done(&d);
}

TEST(comments_and_extensions_refused) {
        check_error("// c\n{}", "json-syntax", 1, 1, "comments are not allowed in JSON");
        check_error("{\"a\": /* c */ 1}", "json-syntax", 1, 7, "comments are not allowed in JSON");
        check_error("# c\n1", "json-syntax", 1, 1, "comments are not allowed in JSON");
        check_error("[NaN]", "json-syntax", 1, 2, "'NaN' is not allowed in JSON");
        check_error("[Infinity]", "json-syntax", 1, 2, "'Infinity' is not allowed in JSON");
        check_error("[-Infinity]", "json-syntax", 1, 2, "'-Infinity' is not allowed in JSON");
}

TEST(number_errors) {
        check_error("[01]", "json-syntax", 1, 2, "leading zeros are not allowed in numbers");
        check_error("-00", "json-syntax", 1, 1, "leading zeros are not allowed in numbers");
        check_error("[1.]", "json-syntax", 1, 4, "expected a digit after '.'");
        check_error("[1.e5]", "json-syntax", 1, 4, "expected a digit after '.'");
        check_error("[1e]", "json-syntax", 1, 4, "expected a digit in the exponent");
        check_error("[1e+]", "json-syntax", 1, 5, "expected a digit in the exponent");
        check_error("[-]", "json-syntax", 1, 3, "expected a digit after '-'");
        check_error("[+1]", "json-syntax", 1, 2, "'+' is not allowed before a number");
        check_error("[.5]", "json-syntax", 1, 2, "numbers must start with a digit");
        check_error("[1x]", "json-syntax", 1, 3, "unexpected 'x' after a number");
        check_error("[0x10]", "json-syntax", 1, 3, "unexpected 'x' after a number");
        check_error("[1.2.3]", "json-syntax", 1, 5, "unexpected '.' after a number");
}

TEST(numbers) {
        DescSource *s = parse_ok("[0, -0, 9223372036854775807, -9223372036854775808, 9223372036854775808,"
                                 " -9223372036854775809, 100000000000000000000000, 1e400, -1e400, 1e-400,"
                                 " 0.5, 2.5E-3, 1E2, 1.0]");
        DescNode **it = s->root->array.items;

        ASSERT_EQ(it[0]->type, DESC_INTEGER);
        ASSERT_EQ(it[1]->type, DESC_INTEGER);
        ASSERT_EQ(it[1]->integer, 0);
        ASSERT_EQ(it[2]->type, DESC_INTEGER);
        ASSERT_TRUE(it[2]->integer == INT64_MAX);
        ASSERT_EQ(it[3]->type, DESC_INTEGER);
        ASSERT_TRUE(it[3]->integer == INT64_MIN);
        /* Integer literals beyond int64_t are numbers, as JSON Schema sees them. */
        ASSERT_EQ(it[4]->type, DESC_NUMBER);
        ASSERT_TRUE(it[4]->number == 9223372036854775808.0);
        ASSERT_EQ(it[5]->type, DESC_NUMBER);
        ASSERT_TRUE(it[5]->number == -9223372036854775808.0);
        ASSERT_EQ(it[6]->type, DESC_NUMBER);
        ASSERT_TRUE(it[6]->number == 1e23);
        ASSERT_EQ(it[7]->type, DESC_NUMBER);
        ASSERT_TRUE(isinf(it[7]->number) && it[7]->number > 0);
        ASSERT_TRUE(isinf(it[8]->number) && it[8]->number < 0);
        ASSERT_TRUE(it[9]->number == 0.0);
        ASSERT_TRUE(it[10]->number == 0.5);
        ASSERT_TRUE(it[11]->number == 2.5e-3);
        ASSERT_TRUE(it[12]->number == 100.0);
        ASSERT_EQ(it[13]->type, DESC_NUMBER);

        /* -9223372036854775808.0 as a number is not the same as INT64_MIN + 1, but is INT64_MIN. */
        ASSERT_TRUE(desc_equal(it[3], it[5]));
        ASSERT_FALSE(desc_equal(it[2], it[4]));
        desc_source_free(s);
}

TEST(strings_and_escapes) {
        DescSource *s = parse_ok("[\"\\\"\\\\\\/\\b\\f\\n\\r\\t\", \"\\u00e9\\u20AC\", \"\\ud83d\\ude00\", \"\", \"é€😀\x7f\"]");
        DescNode **it = s->root->array.items;

        ASSERT_STREQ(it[0]->string.str, "\"\\/\b\f\n\r\t");
        ASSERT_EQ(it[0]->string.len, 8);
        ASSERT_STREQ(it[1]->string.str, "é€");
        ASSERT_STREQ(it[2]->string.str, "😀");
        ASSERT_EQ(it[2]->string.len, 4);
        ASSERT_STREQ(it[3]->string.str, "");
        ASSERT_EQ(it[3]->string.len, 0);
        ASSERT_STREQ(it[4]->string.str, "é€😀\x7f");
        desc_source_free(s);
}

TEST(string_errors) {
        check_error("[\"\\ud83d\"]", "json-syntax", 1, 3, "high surrogate '\\uD83D' not followed by a low surrogate");
        check_error("[\"\\ud83d\\u0041\"]", "json-syntax", 1, 3,
                    "high surrogate '\\uD83D' not followed by a low surrogate");
        check_error("[\"\\ude00\"]", "json-syntax", 1, 3, "unpaired low surrogate '\\uDE00'");
        check_error("[\"\\u12\"]", "json-syntax", 1, 3, "expected 4 hex digits after '\\u'");
        check_error("[\"\\ud83d\\uzzzz\"]", "json-syntax", 1, 3, "expected 4 hex digits after '\\u'");
        check_error("[\"\\x41\"]", "json-syntax", 1, 3, "invalid escape '\\' followed by 'x'");
        check_error("[\"a\tb\"]", "json-syntax", 1, 4, "unescaped control character U+0009 in a string");
        check_error("[\"a\nb\"]", "json-syntax", 1, 4, "unescaped control character U+000A in a string");
        check_error("[\"abc", "json-syntax", 1, 2, "unterminated string");
        check_error("[\"abc\\", "json-syntax", 1, 2, "unterminated string");
        check_error("{\"k\\u0000\": 1}", "encoding", 1, 4, "NUL character (\\u0000) in a string");
}

TEST(encoding) {
        check_error("[\"a\xff\"]", "encoding", 1, 4, "invalid UTF-8 (byte 0xff)");
        /* Overlong, surrogate, beyond U+10FFFF, truncated. */
        check_error("[\"\xc0\xaf\"]", "encoding", 1, 3, "invalid UTF-8 (byte 0xc0)");
        check_error("[\"\xed\xa0\x80\"]", "encoding", 1, 3, "invalid UTF-8 (byte 0xed)");
        check_error("[\"\xf4\x90\x80\x80\"]", "encoding", 1, 3, "invalid UTF-8 (byte 0xf4)");
        check_error("\"é\xe2\x82", "encoding", 1, 3, "invalid UTF-8 (byte 0xe2)");
        check_error_n("[1,\n 2\0]", 8, "encoding", 2, 3, "NUL byte in the file");
        /* A byte order mark is skipped; columns start after it. */
        DescSource *s = parse_ok("\xef\xbb\xbf{\"é\": 1}");
        check_loc(s->root->loc, 1, 1);
        check_loc(desc_member(s->root, "é")->key_loc, 1, 2);
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

        t = repeat("{\"a\":", DESC_MAX_DEPTH + 1, "1", "}");
        check_error(t, "limit-depth", 1, 1 + 5 * DESC_MAX_DEPTH, "nesting deeper than 64 levels");
        free(t);

        /* Hostile depth fails early, without recursing through it all. */
        t = repeat("[", 500000, "", "");
        check_error(t, "limit-depth", 1, DESC_MAX_DEPTH + 1, NULL);
        free(t);
}

TEST(limit_nodes) {
        /* An array of DESC_MAX_NODES - 1 items is DESC_MAX_NODES nodes; one more is too many. */
        size_t n = DESC_MAX_NODES;
        char *t = malloc(2 * n + 2), *p = t;
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
        char *t = malloc(DESC_MAX_STRING + 16);
        DescSource *s;
        DiagList d = {};

        ASSERT_NOT_NULL(t);
        t[0] = '"';
        memset(t + 1, 'x', DESC_MAX_STRING);
        strcpy(t + 1 + DESC_MAX_STRING, "\"");
        s = parse_ok(t);
        ASSERT_EQ(s->root->string.len, DESC_MAX_STRING);
        desc_source_free(s);

        strcpy(t + 1 + DESC_MAX_STRING, "x\"");
        check_error(t, "limit-string", 1, 1, "string of 4097 bytes, more than the limit of 4096 bytes");

        free(t);

        /* Keys too, and parsing goes on to report the rest. */
        t = malloc(DESC_MAX_STRING + 64);
        ASSERT_NOT_NULL(t);
        strcpy(t, "{\"a\": 1, \"");
        memset(t + 10, 'k', DESC_MAX_STRING + 1);
        strcpy(t + 10 + DESC_MAX_STRING + 1, "\": 1, \"a\": 2}");
        ASSERT_ERROR(desc_parse("t.json", t, strlen(t), DESC_FORMAT_JSON, &d, &s), EINVAL);
        ASSERT_EQ(d.n, 2);
        ASSERT_STREQ(d.items[0].rule, "limit-string");
        ASSERT_STREQ(d.items[0].message, "key of 4097 bytes, more than the limit of 4096 bytes");
        check_loc(d.items[0].loc, 1, 10);
        ASSERT_STREQ(d.items[1].rule, "duplicate-key");
        diag_list_done(&d);
        free(t);
}

TEST(limit_size) {
        size_t size = DESC_MAX_FILE_SIZE + 1;
        char *t = malloc(size);
        DiagList d = {};
        DescSource *s = NULL;

        ASSERT_NOT_NULL(t);
        memset(t, ' ', size);
        t[0] = '1';
        ASSERT_ERROR(desc_parse("t.json", t, size, DESC_FORMAT_JSON, &d, &s), EINVAL);
        ASSERT_EQ(d.n, 1);
        ASSERT_STREQ(d.items[0].rule, "limit-size");
        ASSERT_STREQ(d.items[0].loc.file, "t.json");
        ASSERT_EQ(d.items[0].loc.line, 0);
        ASSERT_STREQ(d.items[0].message, "file is 1048577 bytes, more than the limit of 1048576 bytes");
        diag_list_done(&d);

        /* Exactly the limit is fine. */
        ASSERT_OK(desc_parse("t.json", t, size - 1, DESC_FORMAT_JSON, &d, &s));
        ASSERT_EQ(s->root->integer, 1);
        desc_source_free(s);
        free(t);
}

TEST(equal) {
        DescSource *a = parse_ok("{\"x\": [1, 2.0, \"s\", null, true, {\"p\": 1, \"q\": [2]}], \"y\": 1.5}");
        DescSource *b = parse_ok("{\"y\": 1.5, \"x\": [1.0, 2, \"s\", null, true, {\"q\": [2.0], \"p\": 1}]}");
        DescSource *c = parse_ok("{\"y\": 1.5, \"x\": [1.0, 2, \"s\", null, false, {\"q\": [2.0], \"p\": 1}]}");
        DescSource *e = parse_ok("[1, \"1\", true, null, [], {}, 1.5, \"1.5\"]");

        ASSERT_TRUE(desc_equal(a->root, b->root));
        ASSERT_TRUE(desc_equal(b->root, a->root));
        ASSERT_FALSE(desc_equal(a->root, c->root));
        ASSERT_TRUE(desc_equal(a->root, a->root));
        ASSERT_FALSE(desc_equal(a->root, NULL));
        ASSERT_TRUE(desc_equal(NULL, NULL));

        /* Values of different types differ: 1 != "1" != true, null != [] != {}. */
        for (size_t i = 0; i < e->root->array.n; i++)
                for (size_t j = 0; j < e->root->array.n; j++)
                        ASSERT_EQ(desc_equal(e->root->array.items[i], e->root->array.items[j]), i == j);

        /* Member count matters both ways. */
        DescSource *f = parse_ok("{\"p\": 1}"), *g = parse_ok("{\"p\": 1, \"q\": 2}");
        ASSERT_FALSE(desc_equal(f->root, g->root));
        ASSERT_FALSE(desc_equal(g->root, f->root));

        desc_source_free(a);
        desc_source_free(b);
        desc_source_free(c);
        desc_source_free(e);
        desc_source_free(f);
        desc_source_free(g);
}

TEST(to_json) {
        const char *text = "{\"a\":[1,-2,1.5,1.0,1e999,-1e999,0.1,1e+300],\"b\":\"q\\\"\\\\\\n\\u0001é\",\"c\":{},\"d\":[],"
                           "\"e\":null,\"f\":true,\"g\":false}";
        DescSource *s = parse_ok(text), *t;
        char *j = desc_to_json(s->root), *k;

        ASSERT_STREQ(j, "{\"a\":[1,-2,1.5,1.0,1e999,-1e999,0.1,1e+300],\"b\":\"q\\\"\\\\\\n\\u0001é\",\"c\":{},\"d\":[],"
                        "\"e\":null,\"f\":true,\"g\":false}");
        /* What it writes parses back to an equal tree. */
        t = parse_ok(j);
        ASSERT_TRUE(desc_equal(s->root, t->root));
        k = desc_to_json(desc_get(s->root, "b"));
        ASSERT_STREQ(k, "\"q\\\"\\\\\\n\\u0001é\"");
        free(k);
        k = desc_to_json(desc_get(s->root, "a")->array.items[3]);
        ASSERT_STREQ(k, "1.0");
        free(k);
        free(j);
        desc_source_free(s);
        desc_source_free(t);
}

TEST(pointer) {
        DescSource *s = parse_ok("{\"memory\": [{\"size\": 1}, {\"a/b\": {\"m~n\": [0, 1]}}], \"\": 2}");
        DescNode *r = s->root, *n;
        char *p;

        p = desc_pointer(r);
        ASSERT_STREQ(p, "");
        free(p);

        p = desc_pointer(desc_get(desc_get(r, "memory")->array.items[0], "size"));
        ASSERT_STREQ(p, "/memory/0/size");
        free(p);

        n = desc_get(desc_get(desc_get(r, "memory")->array.items[1], "a/b"), "m~n")->array.items[1];
        p = desc_pointer(n);
        ASSERT_STREQ(p, "/memory/1/a~1b/m~0n/1");
        free(p);

        p = desc_pointer(desc_get(r, ""));
        ASSERT_STREQ(p, "/");
        free(p);
        desc_source_free(s);
}

TEST(tables) {
        ASSERT_STREQ(desc_type_to_string(DESC_NULL), "null");
        ASSERT_STREQ(desc_type_to_string(DESC_BOOL), "boolean");
        ASSERT_STREQ(desc_type_to_string(DESC_INTEGER), "integer");
        ASSERT_STREQ(desc_type_to_string(DESC_NUMBER), "number");
        ASSERT_STREQ(desc_type_to_string(DESC_STRING), "string");
        ASSERT_STREQ(desc_type_to_string(DESC_ARRAY), "array");
        ASSERT_STREQ(desc_type_to_string(DESC_OBJECT), "object");
        ASSERT_NULL(desc_type_to_string(_DESC_TYPE_MAX));
        ASSERT_EQ(desc_type_from_string("object"), DESC_OBJECT);
        ASSERT_EQ(desc_type_from_string("boolean"), DESC_BOOL);
        ASSERT_EQ(desc_type_from_string("bool"), _DESC_TYPE_INVALID);
        ASSERT_STREQ(desc_format_to_string(DESC_FORMAT_JSON), "json");
        ASSERT_EQ(desc_format_from_string("yaml"), DESC_FORMAT_YAML);
        ASSERT_EQ(desc_format_from_path("a/b.json"), DESC_FORMAT_JSON);
        ASSERT_EQ(desc_format_from_path("a/b.JSON"), DESC_FORMAT_JSON);
        ASSERT_EQ(desc_format_from_path("a/b.yaml"), DESC_FORMAT_YAML);
        ASSERT_EQ(desc_format_from_path("a/b.yml"), DESC_FORMAT_YAML);
        ASSERT_EQ(desc_format_from_path("a.json/b"), DESC_FORMAT_YAML);
}

TEST(source_line) {
        DescSource *s = parse_ok("\xef\xbb\xbf[1,\r\n 2,\r\n\n 3]");
        const char *l;
        size_t len;

        l = desc_source_line(s, 1, &len);
        ASSERT_EQ(len, 3);
        ASSERT_TRUE(strncmp(l, "[1,", 3) == 0);
        l = desc_source_line(s, 2, &len);
        ASSERT_EQ(len, 3);
        ASSERT_TRUE(strncmp(l, " 2,", 3) == 0);
        l = desc_source_line(s, 3, &len);
        ASSERT_EQ(len, 0);
        l = desc_source_line(s, 4, &len);
        ASSERT_EQ(len, 3);
        ASSERT_TRUE(strncmp(l, " 3]", 3) == 0);
        ASSERT_NULL(desc_source_line(s, 5, &len));
        ASSERT_NULL(desc_source_line(s, 0, &len));

        DescSource *v[] = { s, NULL };
        ASSERT_NOT_NULL(desc_sources_line("t.json", 2, &len, v));
        ASSERT_NULL(desc_sources_line("other.json", 2, &len, v));
        desc_source_free(s);
}

DEFINE_TEST_MAIN
