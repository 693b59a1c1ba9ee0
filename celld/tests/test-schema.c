/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The schema validator's diagnostics: where they point, what they say, which branch of
 * anyOf/oneOf they report, and what loading refuses. The regular expressions too.
 */
#include "desc.h"
#include "schema-internal.h"
#include "schema-regex.h"
#include "schema.h"
#include "schemas.h"
#include "tests.h"

typedef struct Run {
        DescSource *schema_src, *doc_src;
        Schema *schema;
        DiagList diags;
} Run;

static void run_done(Run *x) {
        schema_free(x->schema);
        desc_source_free(x->schema_src);
        desc_source_free(x->doc_src);
        diag_list_done(&x->diags);
        *x = (Run) {};
}

/* schema_new() on JSON text: its result. */
static int load(Run *x, const char *schema_json) {
        ASSERT_OK(desc_parse("schema.json", schema_json, strlen(schema_json), DESC_FORMAT_JSON, &x->diags,
                             &x->schema_src));
        return schema_new(x->schema_src->root, &x->diags, &x->schema);
}

/* Loads the schema (which must load) and validates the document (YAML, or JSON if it starts with '{'). */
static int check(Run *x, const char *schema_json, const char *doc) {
        DescFormat format = doc[0] == '{' || doc[0] == '[' ? DESC_FORMAT_JSON : DESC_FORMAT_YAML;

        ASSERT_OK(load(x, schema_json));
        ASSERT_OK(desc_parse(format == DESC_FORMAT_JSON ? "doc.json" : "doc.yaml", doc, strlen(doc), format,
                             &x->diags, &x->doc_src));
        return schema_validate(x->schema, x->doc_src->root, &x->diags);
}

static const Diag *diag_n(const Run *x, size_t n) {
        if (n >= x->diags.n) {
                for (size_t k = 0; k < x->diags.n; k++)
                        fprintf(stderr, "diag %zu: [%s] %s\n", k, x->diags.items[k].rule, x->diags.items[k].message);
                test_fail(__FILE__, __LINE__, "no diagnostic #%zu (have %zu)", n, x->diags.n);
        }
        return &x->diags.items[n];
}

#define ASSERT_DIAG(x, n, rule_, line_, column_, message_)                             \
        do {                                                                            \
                const Diag *_d_ = diag_n((x), (n));                                     \
                ASSERT_STREQ(_d_->rule, (rule_));                                       \
                ASSERT_STREQ(_d_->message, (message_));                                 \
                ASSERT_EQ(_d_->loc.line, (line_));                                      \
                ASSERT_EQ(_d_->loc.column, (column_));                                  \
        } while (0)

static const char cell_like[] =
        "{\"type\": \"object\", \"additionalProperties\": false, \"required\": [\"name\", \"memory\"],"
        " \"properties\": {"
        "  \"name\": {\"type\": \"string\", \"pattern\": \"^[a-z][a-z0-9-]*$\","
        "            \"description\": \"Lower-case letters, digits and '-'.\"},"
        "  \"memory\": {\"type\": \"array\", \"minItems\": 1, \"items\": {\"$ref\": \"#/$defs/region\"}},"
        "  \"restart\": {\"enum\": [\"no\", \"on-failure\", \"always\"]},"
        "  \"cpus\": {\"anyOf\": [{\"type\": \"array\"}, {\"type\": \"string\"}]},"
        "  \"burst\": {\"type\": \"integer\", \"minimum\": 1, \"maximum\": 1000}"
        " },"
        " \"$defs\": {\"region\": {\"type\": \"object\", \"additionalProperties\": false,"
        "   \"required\": [\"host\", \"size\"],"
        "   \"properties\": {\"host\": {\"type\": \"integer\", \"title\": \"Host address\","
        "                              \"description\": \"Physical address of the region.\"},"
        "                  \"size\": {\"type\": \"integer\", \"multipleOf\": 4096}}}}}";

TEST(valid_document) {
        Run x = {};

        ASSERT_EQ(check(&x, cell_like, "name: demo\nmemory:\n  - host: 0x1000\n    size: 4096\n"), 0);
        ASSERT_EQ(x.diags.n, 0);
        run_done(&x);
}

TEST(unknown_property_did_you_mean) {
        Run x = {};

        ASSERT_ERROR(check(&x, cell_like, "name: demo\nmemroy: []\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-required", 1, 1, "missing required property 'memory'");
        /* At the key, with the closest allowed property as the hint. */
        ASSERT_DIAG(&x, 1, "schema-additional", 2, 1, "unknown property 'memroy'");
        ASSERT_STREQ(x.diags.items[1].hint, "did you mean 'memory'?");
        run_done(&x);
}

TEST(unknown_property_nested_lists_allowed) {
        Run x = {};

        ASSERT_ERROR(check(&x, cell_like, "name: demo\nmemory:\n  - host: 1\n    size: 4096\n    cache: yes\n"),
                     EINVAL);
        ASSERT_DIAG(&x, 0, "schema-additional", 5, 5, "unknown property 'cache' in 'memory[0]'");
        ASSERT_STREQ(x.diags.items[0].hint, "allowed properties: host, size");
        run_done(&x);
}

TEST(missing_required) {
        Run x = {};

        ASSERT_ERROR(check(&x, cell_like, "name: demo\n"), EINVAL);
        /* At the object (a block mapping starts at its first entry). */
        ASSERT_DIAG(&x, 0, "schema-required", 1, 1, "missing required property 'memory'");
        run_done(&x);

        ASSERT_ERROR(check(&x, cell_like, "{\"name\": \"demo\", \"memory\": [{}]}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-required", 1, 29, "missing required properties 'host' and 'size' in 'memory[0]'");
        /* The hint describes the first missing property. */
        ASSERT_STREQ(x.diags.items[0].hint, "'host' (Host address): Physical address of the region.");
        run_done(&x);
}

TEST(type_message) {
        Run x = {};

        ASSERT_ERROR(check(&x, cell_like, "name: demo\nmemory: [{host: 1, size: 4096}]\ncpus: 3\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-type", 3, 7, "'cpus' must be an array or a string, not an integer");
        run_done(&x);

        ASSERT_ERROR(check(&x, cell_like, "name: demo\nmemory: [{host: 1, size: 4096}]\nburst: 2.5\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-type", 3, 8, "'burst' must be an integer, not a fractional number");
        run_done(&x);

        ASSERT_ERROR(check(&x, cell_like, "[1, 2]"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-type", 1, 1, "the document must be an object, not an array");
        run_done(&x);
}

TEST(enum_message_and_hint) {
        Run x = {};

        ASSERT_ERROR(check(&x, cell_like, "name: demo\nmemory: [{host: 1, size: 4096}]\nrestart: sometimes\n"),
                     EINVAL);
        ASSERT_DIAG(&x, 0, "schema-enum", 3, 10, "'restart' must be one of: no, on-failure, always");
        ASSERT_NULL(x.diags.items[0].hint);
        run_done(&x);

        ASSERT_ERROR(check(&x, cell_like, "name: demo\nmemory: [{host: 1, size: 4096}]\nrestart: on-failur\n"),
                     EINVAL);
        ASSERT_STREQ(x.diags.items[0].hint, "did you mean 'on-failure'?");
        run_done(&x);
}

/* YAML 1.1's yes, no, on and off are booleans to many tools: a boolean where words are expected says so. */
TEST(enum_boolean_hint) {
        Run x = {};

        ASSERT_ERROR(check(&x, cell_like, "name: demo\nmemory: [{host: 1, size: 4096}]\nrestart: false\n"),
                     EINVAL);
        ASSERT_DIAG(&x, 0, "schema-enum", 3, 10, "'restart' must be one of: no, on-failure, always");
        ASSERT_STREQ(x.diags.items[0].hint,
                     "false is a boolean (YAML 1.1 tools write yes, no, on and off unquoted and read them as "
                     "booleans): quote the word meant, e.g. restart: \"no\"");
        run_done(&x);

        /* Not an object member: no key to show. */
        ASSERT_ERROR(check(&x, "{\"items\": {\"enum\": [\"on\", \"off\"]}}", "[true]\n"), EINVAL);
        ASSERT_STREQ(x.diags.items[0].hint,
                     "true is a boolean (YAML 1.1 tools write yes, no, on and off unquoted and read them as "
                     "booleans): quote the word meant, e.g. \"on\"");
        run_done(&x);
}

TEST(const_message) {
        Run x = {};

        ASSERT_ERROR(check(&x, "{\"properties\": {\"version\": {\"const\": 3}, \"kind\": {\"const\": \"cell\"}}}",
                           "version: 2\nkind: system\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-const", 1, 10, "'version' must be 3");
        ASSERT_DIAG(&x, 1, "schema-const", 2, 7, "'kind' must be \"cell\"");
        run_done(&x);

        /* 3.0 is 3. */
        ASSERT_EQ(check(&x, "{\"const\": 3}", "3.0"), 0);
        run_done(&x);
}

TEST(pattern_message_and_description_hint) {
        Run x = {};

        ASSERT_ERROR(check(&x, cell_like, "name: Bad_Name\nmemory: [{host: 1, size: 4096}]\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-pattern", 1, 7, "'name' does not match the pattern '^[a-z][a-z0-9-]*$'");
        ASSERT_STREQ(x.diags.items[0].hint, "Lower-case letters, digits and '-'.");
        run_done(&x);
}

TEST(range_messages) {
        static const char schema[] =
                "{\"properties\": {\"a\": {\"minimum\": 1}, \"b\": {\"maximum\": 10}, \"c\": {\"exclusiveMinimum\": 0},"
                " \"d\": {\"exclusiveMaximum\": 1.5}, \"e\": {\"multipleOf\": 4096}, \"f\": {\"multipleOf\": 0.1}}}";
        Run x = {};

        ASSERT_ERROR(check(&x, schema, "a: 0\nb: 11\nc: 0\nd: 1.5\ne: 4097\nf: 0.3\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-range", 1, 4, "'a' must be at least 1, not 0");
        ASSERT_DIAG(&x, 1, "schema-range", 2, 4, "'b' must be at most 10, not 11");
        ASSERT_DIAG(&x, 2, "schema-range", 3, 4, "'c' must be greater than 0, not 0");
        ASSERT_DIAG(&x, 3, "schema-range", 4, 4, "'d' must be less than 1.5, not 1.5");
        ASSERT_DIAG(&x, 4, "schema-range", 5, 4, "'e' must be a multiple of 4096, not 4097");
        ASSERT_EQ(x.diags.n, 5);        /* 0.3 is a multiple of 0.1, despite binary fractions */
        run_done(&x);
}

TEST(length_counts_characters) {
        Run x = {};

        ASSERT_EQ(check(&x, "{\"maxLength\": 2}", "\"\xc3\xa9\xc3\xa9\""), 0);
        run_done(&x);
        ASSERT_ERROR(check(&x, "{\"properties\": {\"d\": {\"minLength\": 3}}}", "d: \"\xf0\x9f\x90\xb2\xf0\x9f\x90\xb2\"\n"),
                     EINVAL);
        ASSERT_DIAG(&x, 0, "schema-length", 1, 4, "'d' must be at least 3 characters long, not 2");
        run_done(&x);
}

TEST(items_messages) {
        Run x = {};

        ASSERT_ERROR(check(&x, "{\"properties\": {\"cpus\": {\"uniqueItems\": true}}}", "cpus: [1, 2, 1.0]\n"), EINVAL);
        /* At the repeated item; the related note points at the first. */
        ASSERT_DIAG(&x, 0, "schema-items", 1, 14, "'cpus' must not contain duplicates: 1 appears twice");
        ASSERT_EQ(x.diags.items[0].related_loc.column, 8);
        ASSERT_STREQ(x.diags.items[0].related_message, "first occurrence");
        run_done(&x);

        ASSERT_ERROR(check(&x, "{\"properties\": {\"m\": {\"minItems\": 1}, \"n\": {\"prefixItems\": [true], \"items\": false}}}",
                           "m: []\nn: [1, 2, 3]\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-items", 1, 4, "'m' must have at least 1 item, not 0");
        ASSERT_DIAG(&x, 1, "schema-items", 2, 8, "'n' must have at most 1 item, not 3");
        run_done(&x);

        ASSERT_ERROR(check(&x, "{\"contains\": {\"type\": \"string\", \"title\": \"a name\"}, \"maxContains\": 1}",
                           "[1, 2]"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-items", 1, 1, "the document must contain an item matching a name");
        run_done(&x);
        ASSERT_ERROR(check(&x, "{\"contains\": {\"type\": \"string\"}, \"maxContains\": 1}", "[\"a\", \"b\"]"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-items", 1, 1,
                    "the document must contain at most 1 item matching {\"type\": \"string\"}, not 2");
        run_done(&x);
}

TEST(anyof_reports_branch_that_matched_type) {
        static const char schema[] =
                "{\"properties\": {\"image\": {\"anyOf\": ["
                "  {\"type\": \"string\", \"pattern\": \"^/\"},"
                "  {\"type\": \"object\", \"additionalProperties\": false,"
                "   \"properties\": {\"file\": {\"type\": \"string\"}, \"region\": {\"type\": \"string\"}}}]}}}";
        Run x = {};

        /* The object branch matched the type: its error, not "matches none". */
        ASSERT_ERROR(check(&x, schema, "image:\n  file: /x\n  regoin: ram\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-additional", 3, 3, "unknown property 'regoin' in 'image'");
        ASSERT_STREQ(x.diags.items[0].hint, "did you mean 'region'?");
        ASSERT_EQ(x.diags.n, 1);
        run_done(&x);

        /* The string branch matched the type. */
        ASSERT_ERROR(check(&x, schema, "image: relative/path\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-pattern", 1, 8, "'image' does not match the pattern '^/'");
        run_done(&x);

        /* Neither did: the types together. */
        ASSERT_ERROR(check(&x, schema, "image: 5\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-type", 1, 8, "'image' must be an object or a string, not an integer");
        run_done(&x);
}

TEST(anyof_nested_through_refs) {
        static const char schema[] =
                "{\"$defs\": {\"cpus\": {\"description\": \"A CPU number or list.\", \"anyOf\": ["
                "  {\"type\": \"integer\", \"minimum\": 0, \"maximum\": 63},"
                "  {\"type\": \"array\", \"items\": {\"type\": \"integer\", \"maximum\": 63}}]}},"
                " \"properties\": {\"cpus\": {\"$ref\": \"#/$defs/cpus\"},"
                "                \"more\": {\"anyOf\": [{\"$ref\": \"#/$defs/cpus\"}, {\"type\": \"null\"}]}}}";
        Run x = {};

        ASSERT_ERROR(check(&x, schema, "cpus: [1, 64]\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-range", 1, 11, "'cpus[1]' must be at most 63, not 64");
        ASSERT_STREQ(x.diags.items[0].hint, "A CPU number or list.");
        run_done(&x);

        ASSERT_ERROR(check(&x, schema, "more: \"x\"\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-type", 1, 7, "'more' must be null, an integer or an array, not a string");
        run_done(&x);
}

TEST(anyof_none_with_titles) {
        static const char schema[] =
                "{\"anyOf\": [{\"title\": \"the word auto\", \"const\": \"auto\"},"
                "            {\"title\": \"a short name\", \"type\": \"string\", \"maxLength\": 3}]}";
        Run x = {};

        /* One branch failed on the value, the other matched the type: that one is reported. */
        ASSERT_ERROR(check(&x, schema, "\"toolong\""), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-length", 1, 1, "the document must be at most 3 characters long, not 7");
        run_done(&x);

        ASSERT_ERROR(check(&x, "{\"anyOf\": [{\"const\": \"auto\"}, {\"enum\": [1, 2]}]}", "\"manual\""), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-anyof", 1, 1, "the document must be \"auto\" or one of: 1, 2");
        run_done(&x);

        ASSERT_ERROR(check(&x, "{\"oneOf\": [{\"title\": \"Nothing\", \"allOf\": [false]}, {\"title\": \"Never\", \"allOf\": [false]}]}",
                           "1"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-oneof", 1, 1, "the document matches none of the 2 allowed forms: Nothing or Never");
        run_done(&x);
}

TEST(oneof_more_than_one) {
        Run x = {};

        ASSERT_ERROR(check(&x, "{\"oneOf\": [{\"type\": \"integer\", \"title\": \"count\"}, {\"minimum\": 0}]}", "5"),
                     EINVAL);
        ASSERT_DIAG(&x, 0, "schema-oneof", 1, 1,
                    "the document matches more than one of the allowed forms ('count' and #2); it must match exactly one");
        run_done(&x);
}

TEST(all_independent_errors_one_per_node) {
        Run x = {};

        /* Three problems in three places: all reported. Two problems at one node: the first. */
        ASSERT_ERROR(check(&x, cell_like,
                           "name: 9lives\nmemory:\n  - host: x\n    size: 4097\nrestart: sometimes\n"), EINVAL);
        ASSERT_EQ(x.diags.n, 4);
        ASSERT_DIAG(&x, 0, "schema-pattern", 1, 7, "'name' does not match the pattern '^[a-z][a-z0-9-]*$'");
        ASSERT_DIAG(&x, 1, "schema-type", 3, 11, "'memory[0].host' must be an integer, not a string");
        ASSERT_DIAG(&x, 2, "schema-range", 4, 11, "'memory[0].size' must be a multiple of 4096, not 4097");
        ASSERT_DIAG(&x, 3, "schema-enum", 5, 10, "'restart' must be one of: no, on-failure, always");
        run_done(&x);

        ASSERT_ERROR(check(&x, "{\"allOf\": [{\"minimum\": 5}, {\"maximum\": 1}]}", "3"), EINVAL);
        ASSERT_EQ(x.diags.n, 1);
        run_done(&x);
}

TEST(property_names_false_and_dependencies) {
        Run x = {};

        ASSERT_ERROR(check(&x, "{\"propertyNames\": {\"pattern\": \"^[a-z]+$\"}}", "good: 1\nBad: 2\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-pattern", 2, 1, "property name 'Bad' does not match the pattern '^[a-z]+$'");
        run_done(&x);

        ASSERT_ERROR(check(&x, "{\"properties\": {\"legacy\": false}}", "a: 1\nlegacy: 2\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-false", 2, 1, "property 'legacy' is not allowed");
        run_done(&x);

        ASSERT_ERROR(check(&x, "{\"dependentRequired\": {\"guest\": [\"host\"]}}", "size: 1\nguest: 2\n"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-required", 2, 1, "property 'guest' requires property 'host'");
        run_done(&x);
}

TEST(refuses_unsupported_keywords) {
        Run x = {};

        ASSERT_ERROR(load(&x, "{\"type\": \"object\",\n \"unevaluatedProperties\": false}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-unsupported", 2, 2,
                    "keyword 'unevaluatedProperties' is not supported by Warden's schema validator");
        ASSERT_NULL(x.schema);
        run_done(&x);

        ASSERT_ERROR(load(&x, "{\"properties\": {\"a\": {\"$dynamicRef\": \"#x\"}}}"), EINVAL);
        ASSERT_STREQ(diag_n(&x, 0)->rule, "schema-unsupported");
        run_done(&x);

        ASSERT_ERROR(load(&x, "{\"$schema\": \"http://json-schema.org/draft-07/schema#\"}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-unsupported", 1, 13,
                    "only JSON Schema draft 2020-12 is supported, not 'http://json-schema.org/draft-07/schema#'");
        run_done(&x);

        ASSERT_ERROR(load(&x, "{\"definitions\": {}}"), EINVAL);
        ASSERT_STREQ(diag_n(&x, 0)->hint, "a keyword of older drafts; use '$defs'");
        run_done(&x);
}

TEST(refuses_unknown_keywords_but_not_in_annotations) {
        Run x = {};

        ASSERT_ERROR(load(&x, "{\"properties\": {\"a\": {\"typ\": \"string\", \"minLenght\": 1}}}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-unsupported", 1, 23, "unknown keyword 'typ'");
        ASSERT_STREQ(x.diags.items[0].hint, "did you mean 'type'?");
        ASSERT_DIAG(&x, 1, "schema-unsupported", 1, 40, "unknown keyword 'minLenght'");
        ASSERT_STREQ(x.diags.items[1].hint, "did you mean 'minLength'?");
        run_done(&x);

        /* Values of annotations and of const/enum are data, not schemas. */
        ASSERT_OK(load(&x, "{\"default\": {\"whatever\": 1}, \"examples\": [{\"foo\": [1]}], \"$comment\": \"x\","
                           " \"const\": {\"typ\": 1}, \"enum\": [{\"bar\": 2}], \"format\": \"my-format\","
                           " \"deprecated\": true, \"readOnly\": false, \"writeOnly\": false}"));
        run_done(&x);
}

TEST(refuses_bad_keyword_values_and_refs) {
        Run x = {};

        ASSERT_ERROR(load(&x, "{\"minimum\": \"3\", \"type\": \"strng\", \"minItems\": -1, \"multipleOf\": 0,"
                              " \"required\": [\"a\", \"a\"], \"allOf\": []}"), EINVAL);
        ASSERT_EQ(x.diags.n, 6);
        for (size_t k = 0; k < x.diags.n; k++)
                ASSERT_STREQ(x.diags.items[k].rule, "schema-invalid");
        ASSERT_STREQ(x.diags.items[0].message, "unknown type 'strng'");
        ASSERT_STREQ(x.diags.items[0].hint, "did you mean 'string'?");
        run_done(&x);

        ASSERT_ERROR(load(&x, "{\"$ref\": \"other.json#/$defs/a\"}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-unsupported", 1, 10, "'$ref' 'other.json#/$defs/a' points outside this schema");
        run_done(&x);

        ASSERT_ERROR(load(&x, "{\"$ref\": \"#/$defs/missing\", \"$defs\": {}}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-invalid", 1, 10, "'$ref' '#/$defs/missing' points to nothing");
        run_done(&x);

        ASSERT_ERROR(load(&x, "{\"properties\": {\"a\": 5}}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-invalid", 1, 22, "a schema must be an object or a boolean, not an integer");
        run_done(&x);
}

TEST(refuses_regexes_it_cannot_run) {
        Run x = {};

        /* Valid ECMA-262 that PCRE2 cannot run: a lookbehind of unbounded length. */
        ASSERT_ERROR(load(&x, "{\"pattern\": \"(?<=a+)b\"}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-unsupported", 1, 13,
                    "unsupported regular expression in 'pattern': lookbehind assertion is not fixed length, "
                    "at character 1");
        ASSERT_NOT_NULL(diag_n(&x, 0)->hint);
        run_done(&x);

        /* Invalid: the message says what and where in the pattern, the location where the pattern is. */
        ASSERT_ERROR(load(&x, "{\"patternProperties\": {\"[z-a]\": true}}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-invalid", 1, 24,
                    "invalid regular expression in 'patternProperties': range out of order in character class, "
                    "at character 4");
        run_done(&x);

        ASSERT_ERROR(load(&x, "{\"properties\": {\"a\": {\"pattern\": \"x(\"}}}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-invalid", 1, 34,
                    "invalid regular expression in 'pattern': missing closing parenthesis, at the end of the pattern");
        run_done(&x);

        /* Refused by the lexical pass before PCRE2, which would give it a meaning of its own. */
        ASSERT_ERROR(load(&x, "{\"pattern\": \"^\\\\a\"}"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-invalid", 1, 13,
                    "invalid regular expression in 'pattern': '\\a' is not an escape ECMA-262 knows, at character 2");
        run_done(&x);
}

TEST(refs_anchors_ids) {
        static const char schema[] =
                "{\"$id\": \"https://example.org/root.json\","
                " \"properties\": {\"a\": {\"$ref\": \"#pos\"}, \"b\": {\"$ref\": \"inner.json\"},"
                "                \"c\": {\"$ref\": \"#/$defs/tilde~0slash~1\"}},"
                " \"$defs\": {\"pos\": {\"$anchor\": \"pos\", \"minimum\": 0},"
                "           \"inner\": {\"$id\": \"inner.json\", \"type\": \"string\"},"
                "           \"tilde~slash/\": {\"type\": \"boolean\"}}}";
        Run x = {};

        ASSERT_EQ(check(&x, schema, "a: 1\nb: x\nc: true\n"), 0);
        run_done(&x);
        ASSERT_ERROR(check(&x, schema, "a: -1\nb: 1\nc: 1\n"), EINVAL);
        ASSERT_EQ(x.diags.n, 3);
        run_done(&x);
}

TEST(recursion_and_work_limits) {
        Run x = {};

        /* A reference cycle that never reaches the instance's leaves. */
        ASSERT_ERROR(check(&x, "{\"$defs\": {\"a\": {\"$ref\": \"#/$defs/b\"}, \"b\": {\"$ref\": \"#/$defs/a\"}},"
                               " \"$ref\": \"#/$defs/a\"}", "1"), ELOOP);
        ASSERT_DIAG(&x, 0, "schema-loop", 1, 1, "the schema recurses without end (nested deeper than 1000 evaluations)");
        run_done(&x);

        /* Recursion that follows the instance is fine. */
        ASSERT_EQ(check(&x, "{\"type\": \"array\", \"items\": {\"$ref\": \"#\"}}", "[[[], [[]]], []]"), 0);
        run_done(&x);

        /* Catastrophic backtracking stops at the work limit. */
        ASSERT_ERROR(check(&x, "{\"pattern\": \"^(a|a)*$\"}", "\"aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab\""), E2BIG);
        ASSERT_STREQ(diag_n(&x, 0)->rule, "schema-limit");
        run_done(&x);
}

TEST(boolean_and_empty_schemas) {
        Run x = {};

        ASSERT_EQ(check(&x, "true", "anything: [1]\n"), 0);
        run_done(&x);
        ASSERT_EQ(check(&x, "{}", "1"), 0);
        run_done(&x);
        ASSERT_ERROR(check(&x, "false", "1"), EINVAL);
        ASSERT_DIAG(&x, 0, "schema-false", 1, 1, "the document is not allowed here");
        run_done(&x);
}

TEST(numbers_int_and_double) {
        Run x = {};

        ASSERT_EQ(check(&x, "{\"type\": \"integer\", \"enum\": [1, 2]}", "2.0"), 0);
        run_done(&x);
        ASSERT_EQ(check(&x, "{\"maximum\": 9223372036854775807, \"minimum\": -1e300}", "9223372036854775807"), 0);
        run_done(&x);
        ASSERT_ERROR(check(&x, "{\"maximum\": 9007199254740992}", "9007199254740993"), EINVAL);
        run_done(&x);
        ASSERT_EQ(check(&x, "{\"multipleOf\": 0.5, \"type\": \"integer\"}", "1e308"), 0);
        run_done(&x);
}

TEST(project_schemas) {
        static const char cell[] =
                "cell: demo\ncpus: [1, 2]\nmemory:\n  - name: ram\n    host: 0x7100_0000\n    size: 1M\n"
                "    access: [read, write, loadable]\nimage: /usr/lib/warden/demo.bin\nrestart: on-failure\n";
        _cleanup_free_ char *text = NULL;
        Run x = {};

        ASSERT_OK(desc_parse(schema_cell_file, schema_cell_json, strlen(schema_cell_json), DESC_FORMAT_JSON, &x.diags,
                             &x.schema_src));
        ASSERT_OK(schema_new(x.schema_src->root, &x.diags, &x.schema));
        ASSERT_NOT_NULL(schema_root(x.schema)->title);
        ASSERT_OK(desc_parse("demo.yaml", cell, strlen(cell), DESC_FORMAT_YAML, &x.diags, &x.doc_src));
        ASSERT_EQ(schema_validate(x.schema, x.doc_src->root, &x.diags), 0);
        run_done(&x);

        /*
         * The cell schema takes "restart: false", what YAML 1.1 tools write for no, and the word
         * unquoted; "restart: true" is refused, at its place, with a hint that says why.
         */
        for (size_t i = 0; i < 3; i++) {
                static const char *const values[] = { "false", "no", "true" };
                _cleanup_free_ char *doc = NULL;

                ASSERT_TRUE(asprintf(&doc, "cell: demo\ncpus: [1]\nmemory:\n  - name: ram\n    host: 0x7100_0000\n"
                                     "    size: 1M\n    access: [read, write, loadable]\nentry: 0x0\nrestart: %s\n",
                                     values[i]) > 0);
                ASSERT_OK(desc_parse(schema_cell_file, schema_cell_json, strlen(schema_cell_json), DESC_FORMAT_JSON,
                                     &x.diags, &x.schema_src));
                ASSERT_OK(schema_new(x.schema_src->root, &x.diags, &x.schema));
                ASSERT_OK(desc_parse("demo.yaml", doc, strlen(doc), DESC_FORMAT_YAML, &x.diags, &x.doc_src));
                if (i < 2)
                        ASSERT_EQ(schema_validate(x.schema, x.doc_src->root, &x.diags), 0);
                else {
                        ASSERT_ERROR(schema_validate(x.schema, x.doc_src->root, &x.diags), EINVAL);
                        ASSERT_DIAG(&x, 0, "schema-enum", 9, 10,
                                    "'restart' must be one of: \"no\", \"on-failure\", \"always\", false");
                        ASSERT_NOT_NULL(strstr(x.diags.items[0].hint, "quote the word meant, e.g. restart: \"no\""));
                }
                run_done(&x);
        }

        ASSERT_OK(desc_parse(schema_system_file, schema_system_json, strlen(schema_system_json), DESC_FORMAT_JSON,
                             &x.diags, &x.schema_src));
        ASSERT_OK(schema_new(x.schema_src->root, &x.diags, &x.schema));
        run_done(&x);
}

static int search(const char *pattern, const char *s) {
        _cleanup_free_ char *error = NULL;
        uint64_t budget = 1000000;
        Regex *re = NULL;
        int r;

        r = regex_compile(pattern, strlen(pattern), &re, &error);
        if (r < 0)
                return r;
        r = regex_search(re, s, strlen(s), &budget);
        regex_free(re);
        return r;
}

static char *compile_error(const char *pattern) {
        char *error = NULL;
        Regex *re = NULL;

        ASSERT_TRUE(regex_compile(pattern, strlen(pattern), &re, &error) < 0);
        ASSERT_NULL(re);
        return error;
}

TEST(regex_semantics) {
        ASSERT_EQ(search("a+", "xxaxx"), 1);                   /* search, not full match */
        ASSERT_EQ(search("^a+$", "xxaxx"), 0);
        ASSERT_EQ(search("^abc$", "abc\n"), 0);                 /* $ is the end, not before a newline */
        ASSERT_EQ(search("^\\d+$", "123"), 1);
        ASSERT_EQ(search("^\\d$", "\xd9\xa0"), 0);              /* ASCII digits only */
        ASSERT_EQ(search("^\\w$", "\xc3\xa9"), 0);
        ASSERT_EQ(search("\\bfoo\\b", "\xc3\xa9" "foo"), 1);        /* \b: ASCII word characters */
        ASSERT_EQ(search("^\\s$", "\xe2\x80\xa8"), 1);          /* U+2028 is white space */
        ASSERT_EQ(search("^\\s$", "\xef\xbb\xbf"), 1);          /* and U+FEFF */
        ASSERT_EQ(search("^\\s$", "\xc2\x85"), 0);              /* U+0085 is not */
        ASSERT_EQ(search("^\\S$", "\xc2\x85"), 1);
        ASSERT_EQ(search("^[\\S]$", "\xe3\x80\x80"), 0);        /* U+3000, in a class */
        ASSERT_EQ(search("^[\\S]$", "\xf0\x9f\x90\xb2"), 1);
        ASSERT_EQ(search("^[^\\s]$", " "), 0);
        ASSERT_EQ(search("^\\v$", "\v"), 1);                     /* \v is U+000B only */
        ASSERT_EQ(search("^\\v$", "\n"), 0);
        ASSERT_EQ(search("^.$", "\xf0\x9f\x90\xb2"), 1);        /* one code point */
        ASSERT_EQ(search("^.$", "\r"), 0);                     /* not a line terminator */
        ASSERT_EQ(search("^.$", "\xe2\x80\xa9"), 0);
        ASSERT_EQ(search("^.$", "\xc2\x85"), 1);
        ASSERT_EQ(search("^[.]$", "x"), 0);                     /* "." in a class is a dot */
        ASSERT_EQ(search("^[^a-c]x$", "dx"), 1);
        ASSERT_EQ(search("^[\\w-]+$", "a-b_c"), 1);
        ASSERT_EQ(search("^[[:a]+$", "[:a"), 1);               /* no POSIX classes */
        ASSERT_EQ(search("^[]$", ""), 0);                       /* the empty class matches nothing */
        ASSERT_EQ(search("^[^]$", "\n"), 1);                    /* and its negation anything */
        ASSERT_EQ(search("^(?:ab|a)c$", "ac"), 1);
        ASSERT_EQ(search("^a{2,3}$", "aaaa"), 0);
        ASSERT_EQ(search("^a{2,}?b", "aaab"), 1);
        ASSERT_EQ(search("^(?=.*x)(?!.*y)", "axb"), 1);
        ASSERT_EQ(search("^(?=.*x)(?!.*y)", "axy"), 0);
        ASSERT_EQ(search("\\bfoo\\b", "a foo."), 1);
        ASSERT_EQ(search("\\bfoo\\b", "afoo"), 0);
        ASSERT_EQ(search("^\\u00e9\\x41\\cJ\\u{1F432}$", "\xc3\xa9" "A\n\xf0\x9f\x90\xb2"), 1);
        ASSERT_EQ(search("^\\ud83d\\udc32$", "\xf0\x9f\x90\xb2"), 1);  /* a surrogate pair is one code point */
        ASSERT_EQ(search("^\\0$", ""), 0);
        ASSERT_EQ(search("^(?<name>a)*$", "aaa"), 1);
        ASSERT_EQ(search("(a*)*b", "aaaaaaaaaaaaaaaaaaaaaaab"), 1);  /* empty iterations do not loop */
        /* What PCRE2 adds: backreferences, lookbehind, Unicode properties. */
        ASSERT_EQ(search("^(a)b\\1$", "aba"), 1);
        ASSERT_EQ(search("^\\1(a)$", "a"), 1);                  /* an unset group matches empty */
        ASSERT_EQ(search("^(?<x>a)\\k<x>$", "aa"), 1);
        ASSERT_EQ(search("(?<=a)b", "ab"), 1);
        ASSERT_EQ(search("(?<!a)b", "ab"), 0);
        ASSERT_EQ(search("^\\p{L}+$", "\xc3\xa9t\xc3\xa9"), 1);
        ASSERT_EQ(search("^\\p{Letter}$", "1"), 0);
        ASSERT_EQ(search("^\\P{Nd}$", "a"), 1);
        ASSERT_EQ(search("^\\p{Script=Greek}$", "\xce\xb1"), 1);
        ASSERT_EQ(search("^a{1001}$", "a"), 0);
        /* Refused: what the "u" flag forbids, and PCRE2's own syntax. */
        ASSERT_EQ(search("\\a", "a"), -EINVAL);
        ASSERT_EQ(search("\\z", "a"), -EINVAL);
        ASSERT_EQ(search("\\Qa\\E", "a"), -EINVAL);
        ASSERT_EQ(search("\\-", "-"), -EINVAL);
        ASSERT_EQ(search("[\\-]", "-"), 1);
        ASSERT_EQ(search("\\x4", "x4"), -EINVAL);
        ASSERT_EQ(search("\\u12", "u12"), -EINVAL);
        ASSERT_EQ(search("\\u{110000}", "x"), -EINVAL);
        ASSERT_EQ(search("\\c1", "x"), -EINVAL);
        ASSERT_EQ(search("\\01", "\001"), -EINVAL);
        ASSERT_EQ(search("\\pL", "a"), -EINVAL);
        ASSERT_EQ(search("(a)\\12", "a\n"), -EINVAL);          /* a backreference, never octal */
        ASSERT_EQ(search("(?i)a", "A"), -EINVAL);
        ASSERT_EQ(search("(?>a)", "a"), -EINVAL);
        ASSERT_EQ(search("(*UCP)\\d", "1"), -EINVAL);
        ASSERT_EQ(search("a**", "a"), -EINVAL);
        ASSERT_EQ(search("(a", "a"), -EINVAL);
        ASSERT_EQ(search("\\", "a"), -EINVAL);
        ASSERT_EQ(search("\\p{NoSuchProperty}", "a"), -EOPNOTSUPP);
        ASSERT_EQ(search("a{65536}", "a"), -EOPNOTSUPP);
        ASSERT_EQ(search("(?<=a*)b", "ab"), -EOPNOTSUPP);
}

TEST(regex_errors_say_where) {
        _cleanup_free_ char *e1 = compile_error("ab\\q"), *e2 = compile_error("\xc3\xa9(?#c)"),
                            *e3 = compile_error("[b-a"), *e4 = compile_error("\\s)");

        ASSERT_STREQ(e1, "'\\q' is not an escape ECMA-262 knows, at character 3");
        ASSERT_STREQ(e2, "'(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>', at character 2");
        ASSERT_STREQ(e3, "range out of order in character class, at character 4");
        /* Offsets after a rewritten escape still point into the pattern as written. */
        ASSERT_STREQ(e4, "unmatched closing parenthesis, at character 3");
}

TEST(regex_budget) {
        uint64_t budget = 1000;
        char *error = NULL;
        Regex *re = NULL;

        ASSERT_OK(regex_compile("^[a-z]+$", 8, &re, &error));
        ASSERT_EQ(regex_search(re, "abc", 3, &budget), 1);
        ASSERT_TRUE(budget < 1000u);                               /* each step is counted */
        ASSERT_TRUE(budget > 900u);
        budget = 3;
        ASSERT_ERROR(regex_search(re, "abcdefgh", 8, &budget), E2BIG);
        ASSERT_EQ(budget, 0u);
        regex_free(re);

        ASSERT_OK(regex_compile("^(a|a)*$", 8, &re, &error));
        budget = 1000000;
        ASSERT_ERROR(regex_search(re, "aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaab", 32, &budget), E2BIG);
        regex_free(re);
}

DEFINE_TEST_MAIN
