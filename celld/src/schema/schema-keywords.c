/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The keyword table: for each keyword of JSON Schema 2020-12 the validator
 * implements, how its value is compiled and how an instance is checked, and
 * the keywords it refuses, with the reason.
 */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema-internal.h"

#define QUIET(c) (!(c)->errs)
#define MAX_LISTED 20           /* enum values or property names shown in one message */

static const char *str_of(const Slot *slot) {
        return slot->member->value->string.str;
}

static int expect_type(Loader *l, const Slot *slot, DescType type, const char *what) {
        if (slot->member->value->type == type)
                return 0;
        return schema_invalid(l, "schema-invalid", slot->member->value->loc, NULL, "'%s' must be %s",
                              slot->member->key, what);
}

/* " in 'memory[0]'", or "" at the top. */
static int where(const Inst *in, char **ret) {
        _cleanup_free_ char *name = NULL;

        if (in->kind == INST_ROOT)
                return (*ret = strdup("")) ? 0 : -ENOMEM;
        name = inst_name(in);
        if (!name || asprintf(ret, " in %s", name) < 0)
                return -ENOMEM;
        return 0;
}

/* ---- core: $schema, $id, $anchor, $defs, $ref ---- */

static int load_schema(Loader *l, SNode *n, Slot *slot) {
        const char *s;
        int r;

        r = expect_type(l, slot, DESC_STRING, "a string");
        if (r < 0)
                return r;
        s = str_of(slot);
        if (streq(s, SCHEMA_DIALECT) || (strncmp(s, SCHEMA_DIALECT, strlen(SCHEMA_DIALECT)) == 0 &&
                                         streq(s + strlen(SCHEMA_DIALECT), "#")))
                return 0;
        return schema_invalid(l, "schema-unsupported", slot->member->value->loc, "use \"" SCHEMA_DIALECT "\"",
                              "only JSON Schema draft 2020-12 is supported, not '%s'", s);
}

static bool anchor_name_valid(const char *s) {
        if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || *s == '_'))
                return false;
        for (s++; *s; s++)
                if (!((*s >= 'A' && *s <= 'Z') || (*s >= 'a' && *s <= 'z') || (*s >= '0' && *s <= '9') ||
                      strchr("-._", *s)))
                        return false;
        return true;
}

static int load_anchor(Loader *l, SNode *n, Slot *slot) {
        int r = expect_type(l, slot, DESC_STRING, "a string");

        if (r < 0)
                return r;
        if (!anchor_name_valid(str_of(slot)))
                return schema_invalid(l, "schema-invalid", slot->member->value->loc, NULL,
                                      "'$anchor' must be a name: a letter or '_', then letters, digits, '-', '_', '.'");
        return schema_add_anchor(l, n, str_of(slot), slot->member->value->loc);
}

static int load_defs(Loader *l, SNode *n, Slot *slot) {
        return schema_load_map(l, n, slot, true, &slot->named.v, &slot->named.n);
}

static int validate_ref(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        return schema_eval(c, slot->ref.target, in);
}

/* ---- annotations ---- */

static int load_string(Loader *l, SNode *n, Slot *slot) {
        return expect_type(l, slot, DESC_STRING, "a string");
}

static int load_title(Loader *l, SNode *n, Slot *slot) {
        int r = load_string(l, n, slot);

        if (r >= 0)
                n->title = str_of(slot);
        return r;
}

static int load_description(Loader *l, SNode *n, Slot *slot) {
        int r = load_string(l, n, slot);

        if (r >= 0)
                n->description = str_of(slot);
        return r;
}

static int load_any(Loader *l, SNode *n, Slot *slot) {
        return 0;
}

static int load_examples(Loader *l, SNode *n, Slot *slot) {
        return expect_type(l, slot, DESC_ARRAY, "an array");
}

static int load_boolean(Loader *l, SNode *n, Slot *slot) {
        int r = expect_type(l, slot, DESC_BOOL, "true or false");

        if (r >= 0)
                slot->flag = slot->member->value->boolean;
        return r;
}

/* ---- type, const, enum ---- */

static int type_bit(const char *name) {
        static const struct {
                const char *name;
                int bit;
        } types[] = {
                { "null", DESC_NULL },
                { "boolean", DESC_BOOL },
                { "integer", TYPE_INTEGER_BIT },
                { "number", DESC_NUMBER },
                { "string", DESC_STRING },
                { "array", DESC_ARRAY },
                { "object", DESC_OBJECT },
        };

        for (size_t k = 0; k < ELEMENTSOF(types); k++)
                if (streq(name, types[k].name))
                        return types[k].bit;
        return -1;
}

static int type_name_bit(Loader *l, const DescNode *v) {
        static const char *const names[] = { "null", "boolean", "object", "array", "number", "string", "integer" };
        const char *close;
        int bit;

        if (v->type == DESC_STRING && (bit = type_bit(v->string.str)) >= 0)
                return bit;
        close = v->type == DESC_STRING ? diag_closest(v->string.str, names, ELEMENTSOF(names)) : NULL;
        if (close) {
                _cleanup_free_ char *hint = NULL;

                if (asprintf(&hint, "did you mean '%s'?", close) < 0)
                        return -ENOMEM;
                return schema_invalid(l, "schema-invalid", v->loc, hint, "unknown type '%s'", v->string.str);
        }
        return schema_invalid(l, "schema-invalid", v->loc, NULL,
                              "a type must be one of: null, boolean, object, array, number, string, integer");
}

static int load_type(Loader *l, SNode *n, Slot *slot) {
        const DescNode *v = slot->member->value;
        int bit;

        if (v->type != DESC_ARRAY) {
                bit = type_name_bit(l, v);
                if (bit < 0)
                        return bit;
                slot->mask = 1u << bit;
                return 0;
        }
        for (size_t k = 0; k < v->array.n; k++) {
                bit = type_name_bit(l, v->array.items[k]);
                if (bit < 0)
                        return bit;
                if (slot->mask & (1u << bit))
                        return schema_invalid(l, "schema-invalid", v->array.items[k]->loc, NULL,
                                              "duplicate type '%s'", v->array.items[k]->string.str);
                slot->mask |= 1u << bit;
        }
        return 0;
}

static bool type_matches(unsigned mask, const DescNode *v) {
        switch (v->type) {
        case DESC_INTEGER:
                return mask & ((1u << DESC_NUMBER) | (1u << TYPE_INTEGER_BIT));
        case DESC_NUMBER:
                return (mask & (1u << DESC_NUMBER)) ||
                       ((mask & (1u << TYPE_INTEGER_BIT)) && num_is_integral((Num) { .d = v->number }));
        default:
                return (unsigned) v->type < 32 && (mask & (1u << v->type));
        }
}

static int validate_type(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL, *expected = NULL;
        int r;

        if (type_matches(slot->mask, in->node))
                return 1;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        r = types_phrase(slot->mask, &expected);
        if (r < 0)
                return r;
        r = verr_add(c, in, "schema-type", VERR_TYPE, "%s must be %s, not %s", strempty(name), expected,
                     inst_type_phrase(in->node));
        if (c->last)
                c->last->types = slot->mask;
        return r;
}

static int validate_const(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL, *value = NULL;
        int r;

        if (value_equal(in->node, slot->member->value))
                return 1;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        value = value_render(slot->member->value, 80, false);
        if (!value)
                return -ENOMEM;
        r = verr_add(c, in, "schema-const", VERR_VALUE, "%s must be %s", strempty(name), value);
        if (c->last)
                c->last->expect = TAKE_PTR(value);
        return r;
}

static int load_enum(Loader *l, SNode *n, Slot *slot) {
        return expect_type(l, slot, DESC_ARRAY, "an array");
}

static bool all_strings(const DescNode *array) {
        for (size_t k = 0; k < array->array.n; k++)
                if (array->array.items[k]->type != DESC_STRING)
                        return false;
        return true;
}

/* "one of: no, on-failure, always", or the single value. */
static int enum_phrase(const DescNode *array, char **ret) {
        bool bare = all_strings(array);
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        if (array->array.n == 1) {
                *ret = value_render(array->array.items[0], 80, false);
                return *ret ? 0 : -ENOMEM;
        }
        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        fputs(array->array.n == 0 ? "nothing (the list of allowed values is empty)" : "one of: ", f);
        for (size_t k = 0; k < array->array.n && k < MAX_LISTED; k++) {
                _cleanup_free_ char *v = value_render(array->array.items[k], 60, bare);

                fprintf(f, "%s%s", k > 0 ? ", " : "", strempty(v));
        }
        if (array->array.n > MAX_LISTED)
                fputs(", ...", f);
        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

/*
 * A string close to one of the enum's strings: did you mean it? A boolean where the enum
 * has words: YAML 1.1 tools (PyYAML, many editors) write yes, no, on and off unquoted, and
 * read them as booleans.
 */
static int enum_hint(VCtx *c, const DescNode *array, const Inst *in) {
        const DescNode *v = in->node;
        _cleanup_free_ const char **names = NULL;
        size_t n = 0;
        const char *close;

        if (!c->last || !IN_SET(v->type, DESC_STRING, DESC_BOOL))
                return 0;
        names = calloc(array->array.n ?: 1, sizeof(char *));
        if (!names)
                return -ENOMEM;
        for (size_t k = 0; k < array->array.n; k++)
                if (array->array.items[k]->type == DESC_STRING)
                        names[n++] = array->array.items[k]->string.str;
        if (n == 0)
                return 0;
        if (v->type == DESC_BOOL && in->kind == INST_MEMBER)
                return verr_set_hint(c->last,
                                     "%s is a boolean (YAML 1.1 tools write yes, no, on and off unquoted "
                                     "and read them as booleans): quote the word meant, e.g. %s: \"%s\"",
                                     v->boolean ? "true" : "false", in->member->key, names[0]);
        if (v->type == DESC_BOOL)
                return verr_set_hint(c->last,
                                     "%s is a boolean (YAML 1.1 tools write yes, no, on and off unquoted "
                                     "and read them as booleans): quote the word meant, e.g. \"%s\"",
                                     v->boolean ? "true" : "false", names[0]);
        close = diag_closest(v->string.str, names, n);
        return close ? verr_set_hint(c->last, "did you mean '%s'?", close) : 0;
}

static int validate_enum(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        const DescNode *array = slot->member->value;
        _cleanup_free_ char *name = NULL, *expect = NULL;
        int r;

        for (size_t k = 0; k < array->array.n; k++)
                if (value_equal(in->node, array->array.items[k]))
                        return 1;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        r = enum_phrase(array, &expect);
        if (r < 0)
                return r;
        r = verr_add(c, in, "schema-enum", VERR_VALUE, "%s must be %s", strempty(name), expect);
        if (r < 0)
                return r;
        if (c->last)
                c->last->expect = TAKE_PTR(expect);
        return enum_hint(c, array, in);
}

/* ---- numbers ---- */

static int load_num(Loader *l, SNode *n, Slot *slot) {
        return schema_load_num(l, slot, &slot->num);
}

static int load_multiple_of(Loader *l, SNode *n, Slot *slot) {
        int r = schema_load_num(l, slot, &slot->num);

        if (r >= 0 && num_cmp(slot->num, (Num) { .is_int = true }) != 1)
                return schema_invalid(l, "schema-invalid", slot->member->value->loc, NULL,
                                      "'multipleOf' must be greater than 0");
        return r;
}

static int validate_range(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL, *limit = NULL, *value = NULL;
        const char *what;
        Num v;
        int cmp;
        bool ok;

        if (!desc_node_num(in->node, &v))
                return 1;
        cmp = num_cmp(v, slot->num);
        switch (slot->id) {
        case KW_MINIMUM:
                ok = cmp == 0 || cmp == 1, what = "at least";
                break;
        case KW_EXCLUSIVE_MINIMUM:
                ok = cmp == 1, what = "greater than";
                break;
        case KW_MAXIMUM:
                ok = cmp == 0 || cmp == -1, what = "at most";
                break;
        case KW_EXCLUSIVE_MAXIMUM:
                ok = cmp == -1, what = "less than";
                break;
        default:
                ok = num_multiple_of(v, slot->num), what = "a multiple of";
        }
        if (ok)
                return 1;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        limit = num_to_string(slot->num);
        value = num_to_string(v);
        if (!limit || !value)
                return -ENOMEM;
        return verr_add(c, in, "schema-range", VERR_OTHER, "%s must be %s %s, not %s", strempty(name), what, limit,
                        value);
}

/* ---- strings ---- */

static int load_count(Loader *l, SNode *n, Slot *slot) {
        return schema_load_count(l, slot, &slot->count);
}

static int validate_length(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL;
        size_t len;
        bool min = slot->id == KW_MIN_LENGTH;

        if (in->node->type != DESC_STRING)
                return 1;
        len = utf8_length(in->node->string.str, in->node->string.len);
        if (min ? len >= slot->count : len <= slot->count)
                return 1;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        return verr_add(c, in, "schema-length", VERR_OTHER, "%s must be at %s %llu character%s long, not %zu",
                        strempty(name), min ? "least" : "most", (unsigned long long) slot->count,
                        slot->count == 1 ? "" : "s", len);
}

static int load_pattern(Loader *l, SNode *n, Slot *slot) {
        int r = expect_type(l, slot, DESC_STRING, "a string");

        if (r < 0)
                return r;
        return schema_load_regex(l, slot->member->value, "pattern", &slot->re);
}

static int validate_pattern(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL;
        int r;

        if (in->node->type != DESC_STRING)
                return 1;
        r = regex_search(slot->re, in->node->string.str, in->node->string.len, &c->budget);
        if (r != 0)
                return r;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        return verr_add(c, in, "schema-pattern", VERR_OTHER, "%s does not match the pattern '%s'", strempty(name),
                        str_of(slot));
}

/* ---- objects ---- */

static const DescMember *member_of(const DescNode *obj, const char *key) {
        for (size_t k = 0; k < obj->object.n; k++)
                if (streq(obj->object.members[k].key, key))
                        return &obj->object.members[k];
        return NULL;
}

static int load_required(Loader *l, SNode *n, Slot *slot) {
        return schema_load_string_array(l, slot->member->value, "required");
}

/* The schema "properties" gives @key, if any. */
static const SNode *property_schema(const SNode *n, const char *key) {
        const Slot *props = snode_slot(n, KW_PROPERTIES);

        for (size_t k = 0; props && k < props->named.n; k++)
                if (streq(props->named.v[k].member->key, key))
                        return props->named.v[k].schema;
        return NULL;
}

static int validate_required(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        const DescNode *names = slot->member->value;
        _cleanup_free_ char *missing = NULL, *at = NULL;
        const char *first = NULL;
        size_t n_missing = 0, size = 0;
        const SNode *prop;
        FILE *f;
        int r;

        if (in->node->type != DESC_OBJECT)
                return 1;
        for (size_t k = 0; k < names->array.n; k++)
                if (!member_of(in->node, names->array.items[k]->string.str)) {
                        first = first ?: names->array.items[k]->string.str;
                        n_missing++;
                }
        if (n_missing == 0)
                return 1;
        if (QUIET(c))
                return 0;
        f = open_memstream(&missing, &size);
        if (!f)
                return -ENOMEM;
        for (size_t k = 0, j = 0; k < names->array.n; k++)
                if (!member_of(in->node, names->array.items[k]->string.str))
                        fprintf(f, "%s'%s'", j++ == 0 ? "" : j == n_missing ? " and " : ", ",
                                names->array.items[k]->string.str);
        if (fclose(f) != 0)
                return -ENOMEM;
        r = where(in, &at);
        if (r < 0)
                return r;
        r = verr_add(c, in, "schema-required", VERR_OTHER, "missing required propert%s %s%s",
                     n_missing == 1 ? "y" : "ies", missing, at);
        prop = property_schema(n, first);
        if (r >= 0 && c->last && prop && (prop->description || snode_label(prop))) {
                const char *label = snode_label(prop);

                if (label && prop->description)
                        r = verr_set_hint(c->last, "'%s' (%s): %s", first, label, prop->description);
                else
                        r = verr_set_hint(c->last, "'%s': %s", first, prop->description ?: label);
        }
        return r;
}

static int load_dependent_required(Loader *l, SNode *n, Slot *slot) {
        return schema_load_map(l, n, slot, false, &slot->named.v, &slot->named.n);
}

static int validate_dependent_required(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        bool valid = true;
        int r;

        if (in->node->type != DESC_OBJECT)
                return 1;
        for (size_t k = 0; k < slot->named.n; k++) {
                const DescMember *dep = member_of(in->node, slot->named.v[k].member->key);
                const DescNode *names = slot->named.v[k].member->value;

                if (!dep)
                        continue;
                for (size_t j = 0; j < names->array.n; j++) {
                        _cleanup_free_ char *at = NULL;

                        if (member_of(in->node, names->array.items[j]->string.str))
                                continue;
                        valid = false;
                        if (QUIET(c))
                                return 0;
                        r = where(in, &at);
                        if (r >= 0)
                                r = verr_add(c, in, "schema-required", VERR_OTHER,
                                             "property '%s' requires property '%s'%s", dep->key,
                                             names->array.items[j]->string.str, at);
                        if (r < 0)
                                return r;
                        if (c->last)
                                c->last->loc = dep->key_loc;
                }
        }
        return valid;
}

static int validate_property_count(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL;
        bool min = slot->id == KW_MIN_PROPERTIES;
        size_t count;

        if (in->node->type != DESC_OBJECT)
                return 1;
        count = in->node->object.n;
        if (min ? count >= slot->count : count <= slot->count)
                return 1;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        return verr_add(c, in, "schema-properties", VERR_OTHER, "%s must have at %s %llu propert%s, not %zu",
                        strempty(name), min ? "least" : "most", (unsigned long long) slot->count,
                        slot->count == 1 ? "y" : "ies", count);
}

static int load_sub(Loader *l, SNode *n, Slot *slot) {
        return schema_load_sub(l, n, slot, &slot->sub);
}

static int validate_property_names(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        bool valid = true;

        if (in->node->type != DESC_OBJECT)
                return 1;
        for (size_t k = 0; k < in->node->object.n; k++) {
                const DescMember *m = &in->node->object.members[k];
                DescNode key = {
                        .type = DESC_STRING,
                        .loc = m->key_loc,
                        .parent = (DescNode *) in->node,
                        .string = { .str = m->key, .len = strlen(m->key) },
                };
                Inst child = {
                        .node = &key,
                        .up = in,
                        .member = m,
                        .kind = INST_KEY,
                        .depth = in->depth + 1,
                };
                int r = schema_eval(c, slot->sub, &child);

                if (r <= 0) {
                        if (r < 0 || QUIET(c))
                                return r;
                        valid = false;
                }
        }
        return valid;
}

static int load_properties(Loader *l, SNode *n, Slot *slot) {
        return schema_load_map(l, n, slot, true, &slot->named.v, &slot->named.n);
}

static int validate_properties(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        bool valid = true;

        if (in->node->type != DESC_OBJECT)
                return 1;
        for (size_t k = 0; k < in->node->object.n; k++) {
                const DescMember *m = &in->node->object.members[k];
                const SNode *s = property_schema(n, m->key);
                int r;

                if (!s)
                        continue;
                r = schema_eval_member(c, s, in, m);
                if (r <= 0) {
                        if (r < 0 || QUIET(c))
                                return r;
                        valid = false;
                }
        }
        return valid;
}

static int load_pattern_properties(Loader *l, SNode *n, Slot *slot) {
        int r = schema_load_map(l, n, slot, true, &slot->named.v, &slot->named.n);

        for (size_t k = 0; r >= 0 && k < slot->named.n; k++) {
                const DescMember *m = slot->named.v[k].member;
                DescNode key = {
                        .type = DESC_STRING,
                        .loc = m->key_loc,
                        .string = { .str = m->key, .len = strlen(m->key) },
                };

                r = schema_load_regex(l, &key, "patternProperties", &slot->named.v[k].re);
                if (r == -EINVAL)
                        r = 0;
        }
        return r;
}

static int key_matches(VCtx *c, const SNamed *p, const char *key) {
        return regex_search(p->re, key, strlen(key), &c->budget);
}

static int validate_pattern_properties(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        bool valid = true;

        if (in->node->type != DESC_OBJECT)
                return 1;
        for (size_t k = 0; k < in->node->object.n; k++)
                for (size_t p = 0; p < slot->named.n; p++) {
                        const DescMember *m = &in->node->object.members[k];
                        int r = key_matches(c, &slot->named.v[p], m->key);

                        if (r > 0)
                                r = schema_eval_member(c, slot->named.v[p].schema, in, m);
                        else if (r == 0)
                                continue;
                        if (r <= 0) {
                                if (r < 0 || QUIET(c))
                                        return r;
                                valid = false;
                        }
                }
        return valid;
}

/* Whether "properties" or "patternProperties" next to "additionalProperties" cover @key. */
static int key_covered(VCtx *c, const SNode *n, const char *key) {
        const Slot *patterns = snode_slot(n, KW_PATTERN_PROPERTIES);

        if (property_schema(n, key))
                return 1;
        for (size_t p = 0; patterns && p < patterns->named.n; p++) {
                int r = key_matches(c, &patterns->named.v[p], key);

                if (r != 0)
                        return r;
        }
        return 0;
}

static int unknown_property_hint(VCtx *c, const SNode *n, const char *key) {
        const Slot *props = snode_slot(n, KW_PROPERTIES);
        _cleanup_free_ const char **names = NULL;
        _cleanup_free_ char *list = NULL;
        const char *close;
        size_t size = 0;
        FILE *f;

        if (!c->last)
                return 0;
        if (!props || props->named.n == 0)
                return verr_set_hint(c->last, "no properties are allowed here");
        names = calloc(props->named.n, sizeof(char *));
        if (!names)
                return -ENOMEM;
        for (size_t k = 0; k < props->named.n; k++)
                names[k] = props->named.v[k].member->key;
        close = diag_closest(key, names, props->named.n);
        if (close)
                return verr_set_hint(c->last, "did you mean '%s'?", close);
        f = open_memstream(&list, &size);
        if (!f)
                return -ENOMEM;
        for (size_t k = 0; k < props->named.n && k < MAX_LISTED; k++)
                fprintf(f, "%s%s", k > 0 ? ", " : "", names[k]);
        if (props->named.n > MAX_LISTED)
                fputs(", ...", f);
        if (fclose(f) != 0)
                return -ENOMEM;
        return verr_set_hint(c->last, "allowed properties: %s", list);
}

static int unknown_property(VCtx *c, const SNode *n, const Inst *in, const DescMember *m) {
        _cleanup_free_ char *at = NULL;
        Inst child = {
                .node = m->value,
                .up = in,
                .member = m,
                .kind = INST_MEMBER,
                .depth = in->depth + 1,
        };
        int r;

        if (QUIET(c))
                return 0;
        r = where(in, &at);
        if (r >= 0)
                r = verr_add(c, &child, "schema-additional", VERR_OTHER, "unknown property '%s'%s", m->key, at);
        if (r < 0)
                return r;
        if (c->last)
                c->last->loc = m->key_loc;
        return unknown_property_hint(c, n, m->key);
}

static int validate_additional_properties(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        bool valid = true;

        if (in->node->type != DESC_OBJECT)
                return 1;
        for (size_t k = 0; k < in->node->object.n; k++) {
                const DescMember *m = &in->node->object.members[k];
                int r = key_covered(c, n, m->key);

                if (r != 0) {
                        if (r < 0)
                                return r;
                        continue;
                }
                if (slot->sub->is_bool && !slot->sub->value)
                        r = unknown_property(c, n, in, m);
                else
                        r = schema_eval_member(c, slot->sub, in, m);
                if (r <= 0) {
                        if (r < 0 || QUIET(c))
                                return r;
                        valid = false;
                }
        }
        return valid;
}

static int load_dependent_schemas(Loader *l, SNode *n, Slot *slot) {
        return schema_load_map(l, n, slot, true, &slot->named.v, &slot->named.n);
}

static int validate_dependent_schemas(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        bool valid = true;

        if (in->node->type != DESC_OBJECT)
                return 1;
        for (size_t k = 0; k < slot->named.n; k++) {
                int r;

                if (!member_of(in->node, slot->named.v[k].member->key))
                        continue;
                r = schema_eval(c, slot->named.v[k].schema, in);
                if (r <= 0) {
                        if (r < 0 || QUIET(c))
                                return r;
                        valid = false;
                }
        }
        return valid;
}

/* ---- arrays ---- */

static int validate_item_count(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL;
        bool min = slot->id == KW_MIN_ITEMS;
        size_t count;

        if (in->node->type != DESC_ARRAY)
                return 1;
        count = in->node->array.n;
        if (min ? count >= slot->count : count <= slot->count)
                return 1;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        return verr_add(c, in, "schema-items", VERR_OTHER, "%s must have at %s %llu item%s, not %zu", strempty(name),
                        min ? "least" : "most", (unsigned long long) slot->count, slot->count == 1 ? "" : "s", count);
}

typedef struct HashedItem {
        uint64_t hash;
        size_t index;
} HashedItem;

static int hashed_cmp(const void *a, const void *b) {
        const HashedItem *x = a, *y = b;

        if (x->hash != y->hash)
                return x->hash < y->hash ? -1 : 1;
        return x->index < y->index ? -1 : x->index > y->index;
}

/* The first item (in array order) equal to an earlier one: 1 with both indexes, 0 if all differ. */
static int find_duplicate(VCtx *c, const DescNode *array, size_t *ret_first, size_t *ret_dup) {
        _cleanup_free_ HashedItem *h = NULL;
        size_t n = array->array.n, best = SIZE_MAX, first = 0;

        if (c->budget < n)
                return -E2BIG;
        c->budget -= n;
        h = calloc(n ?: 1, sizeof(HashedItem));
        if (!h)
                return -ENOMEM;
        for (size_t k = 0; k < n; k++)
                h[k] = (HashedItem) { value_hash(array->array.items[k]), k };
        qsort(h, n, sizeof(HashedItem), hashed_cmp);
        for (size_t k = 0; k < n; k++)
                for (size_t j = k + 1; j < n && h[j].hash == h[k].hash; j++) {
                        if (c->budget == 0)
                                return -E2BIG;
                        c->budget--;
                        if (h[j].index < best && value_equal(array->array.items[h[k].index],
                                                             array->array.items[h[j].index])) {
                                best = h[j].index;
                                first = h[k].index;
                        }
                }
        if (best == SIZE_MAX)
                return 0;
        *ret_first = first;
        *ret_dup = best;
        return 1;
}

static int validate_unique_items(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL, *value = NULL;
        size_t first, dup;
        int r;

        if (!slot->flag || in->node->type != DESC_ARRAY)
                return 1;
        r = find_duplicate(c, in->node, &first, &dup);
        if (r <= 0)
                return r < 0 ? r : 1;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        value = value_render(in->node->array.items[dup], 60, false);
        r = verr_add(c, in, "schema-items", VERR_OTHER, "%s must not contain duplicates: %s appears twice",
                     strempty(name), strempty(value));
        if (r < 0 || !c->last)
                return r;
        c->last->loc = in->node->array.items[dup]->loc;
        c->last->related_loc = in->node->array.items[first]->loc;
        c->last->related_message = strdup("first occurrence");
        return c->last->related_message ? 0 : -ENOMEM;
}

static int load_list(Loader *l, SNode *n, Slot *slot) {
        return schema_load_list(l, n, slot, &slot->list.v, &slot->list.n);
}

static int validate_prefix_items(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        bool valid = true;

        if (in->node->type != DESC_ARRAY)
                return 1;
        for (size_t k = 0; k < slot->list.n && k < in->node->array.n; k++) {
                int r = schema_eval_item(c, slot->list.v[k], in, k);

                if (r <= 0) {
                        if (r < 0 || QUIET(c))
                                return r;
                        valid = false;
                }
        }
        return valid;
}

static int validate_items(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        const Slot *prefix = snode_slot(n, KW_PREFIX_ITEMS);
        size_t start = prefix ? prefix->list.n : 0;
        _cleanup_free_ char *name = NULL;
        bool valid = true;
        int r;

        if (in->node->type != DESC_ARRAY || in->node->array.n <= start)
                return 1;
        if (slot->sub->is_bool && !slot->sub->value) {
                if (QUIET(c))
                        return 0;
                name = inst_name(in);
                r = verr_add(c, in, "schema-items", VERR_OTHER, "%s must have at most %zu item%s, not %zu",
                             strempty(name), start, start == 1 ? "" : "s", in->node->array.n);
                if (c->last)
                        c->last->loc = in->node->array.items[start]->loc;
                return r;
        }
        for (size_t k = start; k < in->node->array.n; k++) {
                r = schema_eval_item(c, slot->sub, in, k);
                if (r <= 0) {
                        if (r < 0 || QUIET(c))
                                return r;
                        valid = false;
                }
        }
        return valid;
}

static int contains_error(VCtx *c, const Slot *slot, const Inst *in, bool too_few, uint64_t limit, size_t count) {
        _cleanup_free_ char *name = NULL, *what = NULL;
        const char *label = snode_label(slot->sub);

        if (QUIET(c))
                return 0;
        name = inst_name(in);
        what = label ? strdup(label) : value_render(slot->member->value, 80, false);
        if (!what)
                return -ENOMEM;
        if (too_few && limit == 1 && count == 0)
                return verr_add(c, in, "schema-items", VERR_OTHER, "%s must contain an item matching %s",
                                strempty(name), what);
        return verr_add(c, in, "schema-items", VERR_OTHER, "%s must contain at %s %llu item%s matching %s, not %zu",
                        strempty(name), too_few ? "least" : "most", (unsigned long long) limit,
                        limit == 1 ? "" : "s", what, count);
}

static int validate_contains(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        const Slot *min_slot = snode_slot(n, KW_MIN_CONTAINS), *max_slot = snode_slot(n, KW_MAX_CONTAINS);
        uint64_t min = min_slot ? min_slot->count : 1;
        size_t count = 0;

        if (in->node->type != DESC_ARRAY)
                return 1;
        for (size_t k = 0; k < in->node->array.n; k++) {
                Inst child = {
                        .node = in->node->array.items[k],
                        .up = in,
                        .index = k,
                        .kind = INST_ITEM,
                        .depth = in->depth + 1,
                };
                int r = schema_eval_quiet(c, slot->sub, &child);

                if (r < 0)
                        return r;
                count += r;
                if (!max_slot && count >= min)
                        return 1;
        }
        if (count < min)
                return contains_error(c, slot, in, true, min, count);
        if (max_slot && count > max_slot->count)
                return contains_error(c, slot, in, false, max_slot->count, count);
        return 1;
}

/* ---- applicators ---- */

static int validate_all_of(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        bool valid = true;

        for (size_t k = 0; k < slot->list.n; k++) {
                int r = schema_eval(c, slot->list.v[k], in);

                if (r <= 0) {
                        if (r < 0 || QUIET(c))
                                return r;
                        valid = false;
                }
        }
        return valid;
}

static int validate_any_of(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        for (size_t k = 0; k < slot->list.n; k++) {
                int r = schema_eval_quiet(c, slot->list.v[k], in);

                if (r != 0)
                        return r;
        }
        if (QUIET(c))
                return 0;
        return schema_report_branches(c, slot, in, "schema-anyof");
}

static int form_name(const Slot *slot, size_t k, char **ret) {
        const char *label = snode_label(slot->list.v[k]);

        if (label)
                return asprintf(ret, "'%s'", label) < 0 ? -ENOMEM : 0;
        return asprintf(ret, "#%zu", k + 1) < 0 ? -ENOMEM : 0;
}

static int validate_one_of(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL, *a = NULL, *b = NULL;
        size_t matched[2], n_matched = 0;

        for (size_t k = 0; k < slot->list.n && n_matched < 2; k++) {
                int r = schema_eval_quiet(c, slot->list.v[k], in);

                if (r < 0)
                        return r;
                if (r > 0)
                        matched[n_matched++] = k;
        }
        if (n_matched == 1)
                return 1;
        if (QUIET(c))
                return 0;
        if (n_matched == 0)
                return schema_report_branches(c, slot, in, "schema-oneof");
        name = inst_name(in);
        if (form_name(slot, matched[0], &a) < 0 || form_name(slot, matched[1], &b) < 0)
                return -ENOMEM;
        return verr_add(c, in, "schema-oneof", VERR_OTHER,
                        "%s matches more than one of the allowed forms (%s and %s); it must match exactly one",
                        strempty(name), a, b);
}

static int validate_not(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        _cleanup_free_ char *name = NULL, *what = NULL;
        const char *label;
        int r;

        r = schema_eval_quiet(c, slot->sub, in);
        if (r <= 0)
                return r < 0 ? r : 1;
        if (QUIET(c))
                return 0;
        name = inst_name(in);
        label = snode_label(slot->sub);
        what = label ? strdup(label) : value_render(slot->member->value, 80, false);
        if (!what)
                return -ENOMEM;
        return verr_add(c, in, "schema-not", VERR_OTHER, "%s must not match %s", strempty(name), what);
}

static int validate_if(VCtx *c, const SNode *n, const Slot *slot, const Inst *in) {
        const Slot *then = snode_slot(n, KW_THEN), *otherwise = snode_slot(n, KW_ELSE);
        int r;

        r = schema_eval_quiet(c, slot->sub, in);
        if (r < 0)
                return r;
        if (r > 0)
                return then ? schema_eval(c, then->sub, in) : 1;
        return otherwise ? schema_eval(c, otherwise->sub, in) : 1;
}

const Keyword schema_keywords[_KW_MAX] = {
        [KW_SCHEMA] = { "$schema", load_schema, NULL },
        [KW_ID] = { "$id", schema_load_id, NULL },
        [KW_ANCHOR] = { "$anchor", load_anchor, NULL },
        [KW_DEFS] = { "$defs", load_defs, NULL },
        [KW_COMMENT] = { "$comment", load_string, NULL },
        [KW_TITLE] = { "title", load_title, NULL },
        [KW_DESCRIPTION] = { "description", load_description, NULL },
        [KW_DEFAULT] = { "default", load_any, NULL },
        [KW_EXAMPLES] = { "examples", load_examples, NULL },
        [KW_DEPRECATED] = { "deprecated", load_boolean, NULL },
        [KW_READ_ONLY] = { "readOnly", load_boolean, NULL },
        [KW_WRITE_ONLY] = { "writeOnly", load_boolean, NULL },
        [KW_FORMAT] = { "format", load_string, NULL },
        [KW_TYPE] = { "type", load_type, validate_type },
        [KW_CONST] = { "const", load_any, validate_const },
        [KW_ENUM] = { "enum", load_enum, validate_enum },
        [KW_MULTIPLE_OF] = { "multipleOf", load_multiple_of, validate_range },
        [KW_MINIMUM] = { "minimum", load_num, validate_range },
        [KW_EXCLUSIVE_MINIMUM] = { "exclusiveMinimum", load_num, validate_range },
        [KW_MAXIMUM] = { "maximum", load_num, validate_range },
        [KW_EXCLUSIVE_MAXIMUM] = { "exclusiveMaximum", load_num, validate_range },
        [KW_MIN_LENGTH] = { "minLength", load_count, validate_length },
        [KW_MAX_LENGTH] = { "maxLength", load_count, validate_length },
        [KW_PATTERN] = { "pattern", load_pattern, validate_pattern },
        [KW_REQUIRED] = { "required", load_required, validate_required },
        [KW_DEPENDENT_REQUIRED] = { "dependentRequired", load_dependent_required, validate_dependent_required },
        [KW_MIN_PROPERTIES] = { "minProperties", load_count, validate_property_count },
        [KW_MAX_PROPERTIES] = { "maxProperties", load_count, validate_property_count },
        [KW_PROPERTY_NAMES] = { "propertyNames", load_sub, validate_property_names },
        [KW_PROPERTIES] = { "properties", load_properties, validate_properties },
        [KW_PATTERN_PROPERTIES] = { "patternProperties", load_pattern_properties, validate_pattern_properties },
        [KW_ADDITIONAL_PROPERTIES] = { "additionalProperties", load_sub, validate_additional_properties },
        [KW_DEPENDENT_SCHEMAS] = { "dependentSchemas", load_dependent_schemas, validate_dependent_schemas },
        [KW_MIN_ITEMS] = { "minItems", load_count, validate_item_count },
        [KW_MAX_ITEMS] = { "maxItems", load_count, validate_item_count },
        [KW_UNIQUE_ITEMS] = { "uniqueItems", load_boolean, validate_unique_items },
        [KW_PREFIX_ITEMS] = { "prefixItems", load_list, validate_prefix_items },
        [KW_ITEMS] = { "items", load_sub, validate_items },
        [KW_CONTAINS] = { "contains", load_sub, validate_contains },
        [KW_MIN_CONTAINS] = { "minContains", load_count, NULL },
        [KW_MAX_CONTAINS] = { "maxContains", load_count, NULL },
        [KW_REF] = { "$ref", schema_add_ref, validate_ref },
        [KW_ALL_OF] = { "allOf", load_list, validate_all_of },
        [KW_ANY_OF] = { "anyOf", load_list, validate_any_of },
        [KW_ONE_OF] = { "oneOf", load_list, validate_one_of },
        [KW_NOT] = { "not", load_sub, validate_not },
        [KW_IF] = { "if", load_sub, validate_if },
        [KW_THEN] = { "then", load_sub, NULL },
        [KW_ELSE] = { "else", load_sub, NULL },
};

const UnsupportedKeyword schema_unsupported_keywords[] = {
        { "$dynamicRef", "dynamic references are not implemented; use '$ref'" },
        { "$dynamicAnchor", "dynamic references are not implemented; use '$anchor'" },
        { "$vocabulary", "custom meta-schemas are not supported" },
        { "unevaluatedProperties", "not implemented; list the properties and use \"additionalProperties\": false" },
        { "unevaluatedItems", "not implemented; use \"items\" next to \"prefixItems\"" },
        { "contentEncoding", "content keywords are annotations that Warden would not check; use \"pattern\"" },
        { "contentMediaType", "content keywords are annotations that Warden would not check; use \"pattern\"" },
        { "contentSchema", "content keywords are annotations that Warden would not check" },
        { "$recursiveRef", "a draft 2019-09 keyword; draft 2020-12 has '$dynamicRef', which is not implemented either" },
        { "$recursiveAnchor", "a draft 2019-09 keyword; draft 2020-12 has '$dynamicAnchor', which is not implemented either" },
        { "definitions", "a keyword of older drafts; use '$defs'" },
        { "dependencies", "a keyword of older drafts; use 'dependentRequired' or 'dependentSchemas'" },
        { "additionalItems", "a keyword of older drafts; use 'items' next to 'prefixItems'" },
        { "id", "a keyword of older drafts; use '$id'" },
        {}
};
