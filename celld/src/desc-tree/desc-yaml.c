/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The YAML front end: libyaml's event parser turned into a DescNode tree. Plain scalars are
 * typed by the YAML 1.2 core schema; anchors, aliases, tags other than the core ones and
 * more than one document are refused. Syntax errors and limits stop parsing; refusals and
 * duplicate keys are reported and parsing goes on, to find more of them.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <yaml.h>

#include "desc-internal.h"
#include "macro.h"

#define YAML_CORE_TAG_PREFIX "tag:yaml.org,2002:"

typedef struct YamlFrame {
        DescNode *node;         /* DESC_ARRAY or DESC_OBJECT */
        char *key;              /* object: the key waiting for its value */
        DiagLoc key_loc;
        bool have_key;          /* object: a key was read (maybe refused); the next node is its value */
        bool drop_value;        /* the key was refused: drop its value */
} YamlFrame;

typedef struct YamlParser {
        DescSource *s;
        DiagList *diags;
        YamlFrame stack[DESC_MAX_DEPTH];
        unsigned depth;
        DescNode *root;
        DiagLoc end;            /* just after the last character */
        bool failed;            /* an error was reported, but parsing went on */
} YamlParser;

static DiagLoc yaml_loc(const YamlParser *y, yaml_mark_t mark) {
        DiagLoc loc = {
                .file = y->s->file,
                .line = (unsigned) mark.line + 1,
                .column = (unsigned) mark.column + 1,
        };

        /* At the end of a text without a final newline, libyaml moves on to a line that is not there. */
        if (loc.line > y->end.line || (loc.line == y->end.line && loc.column > y->end.column))
                return y->end;
        return loc;
}

/* Adds an error; -EINVAL, or -ENOMEM. */
_printf_(4, 5)
static int yaml_error(YamlParser *y, DiagLoc loc, const char *rule, const char *fmt, ...) {
        _cleanup_free_ char *message = NULL;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&message, fmt, ap);
        va_end(ap);
        if (r < 0) {
                message = NULL;
                return -ENOMEM;
        }

        r = diag_add(y->diags, DIAG_ERROR, rule, loc, "%s", message);
        return r < 0 ? r : -EINVAL;
}

/* The same for errors after which parsing goes on: 0, or -ENOMEM. */
#define yaml_report(y, loc, rule, ...)                                          \
        ({                                                                      \
                int _r_ = yaml_error(y, loc, rule, __VA_ARGS__);                \
                (y)->failed = true;                                             \
                _r_ == -EINVAL ? 0 : _r_;                                       \
        })

/* "!!str" for core tags, the tag itself otherwise; long ones cut between characters. */
static const char *yaml_tag_name(const char *tag, char buf[static 64]) {
        bool core = strncmp(tag, YAML_CORE_TAG_PREFIX, strlen(YAML_CORE_TAG_PREFIX)) == 0;
        const char *name = core ? tag + strlen(YAML_CORE_TAG_PREFIX) : tag;
        size_t len = strlen(name), shown = desc_utf8_prefix(name, len, 56);

        snprintf(buf, 64, "%s%.*s%s", core ? "!!" : "", (int) shown, name, shown < len ? "..." : "");
        return buf;
}

static bool yaml_tag_is(const char *tag, const char *core) {
        return strncmp(tag, YAML_CORE_TAG_PREFIX, strlen(YAML_CORE_TAG_PREFIX)) == 0 &&
                streq(tag + strlen(YAML_CORE_TAG_PREFIX), core);
}

static bool text_in(const char *t, size_t n, const char *const *words) {
        for (; *words; words++)
                if (strlen(*words) == n && memcmp(t, *words, n) == 0)
                        return true;
        return false;
}

static bool yaml_is_null(const char *t, size_t n) {
        return n == 0 || text_in(t, n, (const char *const[]) { "~", "null", "Null", "NULL", NULL });
}

static int yaml_is_bool(const char *t, size_t n) {
        if (text_in(t, n, (const char *const[]) { "true", "True", "TRUE", NULL }))
                return 1;
        if (text_in(t, n, (const char *const[]) { "false", "False", "FALSE", NULL }))
                return 0;
        return -1;
}

static int digit_value(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return 99;
}

static bool all_digits(const char *t, size_t n, int base) {
        if (n == 0)
                return false;
        for (size_t i = 0; i < n; i++)
                if (digit_value(t[i]) >= base)
                        return false;
        return true;
}

/*
 * Core schema integers: [-+]?[0-9]+, 0o[0-7]+, 0x[0-9a-fA-F]+. Sets the node to an
 * integer, or to a number when the value does not fit int64_t. False when @t is no integer.
 */
static bool yaml_resolve_integer(const char *t, size_t n, DescNode *node) {
        const char *digits = t;
        size_t len = n;
        bool negative = false;
        int base = 10;
        uint64_t v = 0;
        double d = 0;
        bool overflow = false;

        if (n > 2 && t[0] == '0' && (t[1] == 'x' || t[1] == 'o')) {
                base = t[1] == 'x' ? 16 : 8;
                digits = t + 2;
                len = n - 2;
        } else if (n > 0 && (t[0] == '-' || t[0] == '+')) {
                negative = t[0] == '-';
                digits = t + 1;
                len = n - 1;
        }
        if (!all_digits(digits, len, base))
                return false;

        for (size_t i = 0; i < len; i++) {
                unsigned digit = (unsigned) digit_value(digits[i]);

                d = d * base + digit;
                if (v > (UINT64_MAX - digit) / (unsigned) base)
                        overflow = true;
                else
                        v = v * (unsigned) base + digit;
        }

        if (!overflow && (negative ? v <= (uint64_t) INT64_MAX + 1 : v <= INT64_MAX)) {
                node->type = DESC_INTEGER;
                node->integer = negative ? (int64_t) (0 - v) : (int64_t) v;
                return true;
        }

        node->type = DESC_NUMBER;
        if (base != 10 || desc_parse_double(t, n, &node->number) < 0)
                node->number = negative ? -d : d;
        return true;
}

/* Core schema floats: [-+]?(\.[0-9]+|[0-9]+(\.[0-9]*)?)([eE][-+]?[0-9]+)?, [-+]?\.inf. */
static bool yaml_is_float(const char *t, size_t n) {
        size_t i = 0, digits = 0;

        if (i < n && (t[i] == '-' || t[i] == '+'))
                i++;
        if (text_in(t + i, n - i, (const char *const[]) { ".inf", ".Inf", ".INF", NULL }))
                return true;

        for (; i < n && t[i] >= '0' && t[i] <= '9'; i++)
                digits++;
        if (i < n && t[i] == '.') {
                size_t fraction = 0;

                for (i++; i < n && t[i] >= '0' && t[i] <= '9'; i++)
                        fraction++;
                /* ".5" and "1." are floats, "." is not. */
                if (digits == 0 && fraction == 0)
                        return false;
                digits += fraction;
        }
        if (digits == 0)
                return false;
        if (i < n && (t[i] == 'e' || t[i] == 'E')) {
                size_t exponent = 0;

                i++;
                if (i < n && (t[i] == '-' || t[i] == '+'))
                        i++;
                for (; i < n && t[i] >= '0' && t[i] <= '9'; i++)
                        exponent++;
                if (exponent == 0)
                        return false;
        }
        return i == n;
}

static bool yaml_is_nan(const char *t, size_t n) {
        return text_in(t, n, (const char *const[]) { ".nan", ".NaN", ".NAN", NULL });
}

/* @t matched yaml_is_float(). */
static int yaml_resolve_float(const char *t, size_t n, DescNode *node) {
        size_t sign = n > 0 && (t[0] == '-' || t[0] == '+');
        int r;

        node->type = DESC_NUMBER;
        if (text_in(t + sign, n - sign, (const char *const[]) { ".inf", ".Inf", ".INF", NULL })) {
                node->number = t[0] == '-' ? -INFINITY : INFINITY;
                return 0;
        }
        r = desc_parse_double(t, n, &node->number);
        return r == -ENOMEM ? r : 0;
}

/*
 * Types the scalar of @event: changes the type of @node (a DESC_STRING without text yet)
 * by the core schema for plain scalars without a tag, or by the tag where there is one;
 * quoted scalars stay strings. Errors (bad tag, a value that does not match its tag) are
 * reported, and the node stays a string.
 */
static int yaml_resolve_scalar(YamlParser *y, const yaml_event_t *event, DiagLoc loc, DescNode *node) {
        const char *t = (const char *) event->data.scalar.value;
        size_t n = event->data.scalar.length;
        const char *tag = (const char *) event->data.scalar.tag;
        bool plain = event->data.scalar.style == YAML_PLAIN_SCALAR_STYLE;
        char buf[64];
        int b;

        if (!tag || streq(tag, "!")) {
                if (!plain || tag)
                        return 0;       /* quoted, or "!": a string */

                if (yaml_is_null(t, n)) {
                        node->type = DESC_NULL;
                        return 0;
                }
                b = yaml_is_bool(t, n);
                if (b >= 0) {
                        node->type = DESC_BOOL;
                        node->boolean = b;
                        return 0;
                }
                if (yaml_resolve_integer(t, n, node))
                        return 0;
                if (yaml_is_nan(t, n))
                        return yaml_report(y, loc, "yaml-value",
                                           "'%.*s' (not a number) is not supported: JSON cannot express it",
                                           (int) n, t);
                if (yaml_is_float(t, n))
                        return yaml_resolve_float(t, n, node);
                return 0;
        }

        if (yaml_tag_is(tag, "str"))
                return 0;
        if (yaml_tag_is(tag, "null")) {
                if (yaml_is_null(t, n)) {
                        node->type = DESC_NULL;
                        return 0;
                }
        } else if (yaml_tag_is(tag, "bool")) {
                b = yaml_is_bool(t, n);
                if (b >= 0) {
                        node->type = DESC_BOOL;
                        node->boolean = b;
                        return 0;
                }
        } else if (yaml_tag_is(tag, "int")) {
                if (yaml_resolve_integer(t, n, node))
                        return 0;
        } else if (yaml_tag_is(tag, "float")) {
                if (yaml_resolve_integer(t, n, node)) {
                        if (node->type == DESC_INTEGER)
                                node->number = (double) node->integer;
                        node->type = DESC_NUMBER;
                        return 0;
                }
                if (yaml_is_float(t, n))
                        return yaml_resolve_float(t, n, node);
        } else
                return yaml_report(y, loc, "yaml-tag", "unsupported tag '%s' on a scalar", yaml_tag_name(tag, buf));

        return yaml_report(y, loc, "yaml-tag", "'%.*s%s' is not a valid %s", (int) desc_utf8_prefix(t, n, 64), t,
                           n > 64 ? "..." : "", yaml_tag_name(tag, buf));
}

/*
 * Fills @n (a DESC_STRING without text, at the scalar's place) from the scalar of @event.
 * Returns 0, 1 when the scalar was refused (reported: drop it), or -ENOMEM.
 */
static int yaml_scalar(YamlParser *y, const yaml_event_t *event, bool key, DescNode *n) {
        const char *t = (const char *) event->data.scalar.value;
        size_t len = event->data.scalar.length;
        char *str;
        int r;

        if (event->data.scalar.anchor) {
                r = yaml_report(y, n->loc, "yaml-alias", "YAML anchors and aliases are not supported");
                if (r < 0)
                        return r;
        }

        r = desc_check_string(t, len, n->loc, key ? "key" : "string", y->diags);
        if (r == -ENOMEM)
                return r;
        if (r < 0) {
                y->failed = true;
                return 1;
        }

        r = yaml_resolve_scalar(y, event, n->loc, n);
        if (r < 0)
                return r;

        /* Strings, and keys of every type but null, keep their text. */
        if (n->type == DESC_STRING || (key && n->type != DESC_NULL)) {
                str = desc_strndup(t, len);
                if (!str)
                        return -ENOMEM;
                desc_node_set_string(n, str, len);
        }
        return 0;
}

/* Hands a finished node (or NULL: refused) to its parent, or makes it the root. */
static int yaml_deliver(YamlParser *y, DescNode *node) {
        YamlFrame *f;
        int r;

        if (y->depth == 0) {
                desc_node_free(y->root);
                y->root = node;
                return 0;
        }

        f = &y->stack[y->depth - 1];
        if (f->node->type == DESC_ARRAY) {
                if (!node)
                        return 0;
                r = desc_array_append(f->node, node);
                if (r < 0)
                        desc_node_free(node);
                return r;
        }

        if (!f->have_key) {
                /* Scalar keys are taken by yaml_key(); this is a collection (or refused) key. */
                f->have_key = true;
                f->drop_value = true;
                if (!node)
                        return 0;
                r = yaml_report(y, node->loc, "yaml-key", "a key must be a string, not a %s",
                                node->type == DESC_ARRAY ? "sequence" : "mapping");
                desc_node_free(node);
                return r;
        }

        f->have_key = false;
        if (f->drop_value || !node) {
                f->drop_value = false;
                free(f->key);
                f->key = NULL;
                desc_node_free(node);
                return 0;
        }

        r = desc_object_append(f->node, f->key, f->key_loc, node);
        if (r < 0) {
                desc_node_free(node);
                return r;
        }
        f->key = NULL;
        return 0;
}

static bool yaml_expecting_key(const YamlParser *y) {
        const YamlFrame *f;

        if (y->depth == 0)
                return false;
        f = &y->stack[y->depth - 1];
        return f->node->type == DESC_OBJECT && !f->have_key;
}

/* A scalar key: not a node of the tree (and not counted as one), just the member's key. */
static int yaml_key(YamlParser *y, const yaml_event_t *event) {
        YamlFrame *f = &y->stack[y->depth - 1];
        DescNode k = { .type = DESC_STRING, .loc = yaml_loc(y, event->start_mark) };
        int r;

        f->have_key = true;
        f->drop_value = true;

        r = yaml_scalar(y, event, true, &k);
        if (r != 0)
                return r < 0 ? r : 0;
        if (k.type != DESC_STRING)
                return yaml_report(y, k.loc, "yaml-key", "a key must be a string, not null");

        f->key = k.string.str;
        f->key_loc = k.loc;
        f->drop_value = false;
        return 0;
}

static int yaml_value(YamlParser *y, const yaml_event_t *event) {
        DescNode *n;
        int r;

        r = desc_node_new(y->s, DESC_STRING, yaml_loc(y, event->start_mark), y->diags, &n);
        if (r < 0)
                return r;

        r = yaml_scalar(y, event, false, n);
        if (r != 0) {
                desc_node_free(n);
                return r < 0 ? r : yaml_deliver(y, NULL);
        }
        return yaml_deliver(y, n);
}

static int yaml_collection_start(YamlParser *y, const yaml_event_t *event) {
        bool mapping = event->type == YAML_MAPPING_START_EVENT;
        const char *anchor = (const char *) (mapping ? event->data.mapping_start.anchor
                                                      : event->data.sequence_start.anchor);
        const char *tag = (const char *) (mapping ? event->data.mapping_start.tag : event->data.sequence_start.tag);
        DiagLoc loc = yaml_loc(y, event->start_mark);
        DescNode *n;
        char buf[64];
        int r;

        if (y->depth >= DESC_MAX_DEPTH)
                return yaml_error(y, loc, "limit-depth", "nesting deeper than %u levels", DESC_MAX_DEPTH);

        r = desc_node_new(y->s, mapping ? DESC_OBJECT : DESC_ARRAY, loc, y->diags, &n);
        if (r < 0)
                return r;
        y->stack[y->depth++] = (YamlFrame) { .node = n };

        if (anchor) {
                r = yaml_report(y, loc, "yaml-alias", "YAML anchors and aliases are not supported");
                if (r < 0)
                        return r;
        }
        if (tag && !streq(tag, "!") && !yaml_tag_is(tag, mapping ? "map" : "seq"))
                return yaml_report(y, loc, "yaml-tag", "unsupported tag '%s' on a %s", yaml_tag_name(tag, buf),
                                   mapping ? "mapping" : "sequence");
        return 0;
}

static int yaml_collection_end(YamlParser *y) {
        YamlFrame *f = &y->stack[--y->depth];
        DescNode *n = f->node;
        int r;

        free(f->key);
        *f = (YamlFrame) {};

        if (n->type == DESC_OBJECT) {
                r = desc_object_check_duplicates(n, y->diags);
                if (r == -ENOMEM) {
                        desc_node_free(n);
                        return r;
                }
                if (r < 0)
                        y->failed = true;
        }
        return yaml_deliver(y, n);
}

static int yaml_event(YamlParser *y, const yaml_event_t *event, bool *seen_document) {
        DiagLoc loc = yaml_loc(y, event->start_mark);
        int r;

        switch (event->type) {
        case YAML_DOCUMENT_START_EVENT:
                if (*seen_document)
                        return yaml_error(y, loc, "yaml-multi-document",
                                          "more than one YAML document: a file holds one description");
                *seen_document = true;
                return 0;

        case YAML_ALIAS_EVENT:
                r = yaml_report(y, loc, "yaml-alias", "YAML anchors and aliases are not supported");
                if (r < 0)
                        return r;
                if (yaml_expecting_key(y)) {
                        y->stack[y->depth - 1].have_key = true;
                        y->stack[y->depth - 1].drop_value = true;
                        return 0;
                }
                return yaml_deliver(y, NULL);

        case YAML_SCALAR_EVENT:
                if (yaml_expecting_key(y))
                        return yaml_key(y, event);
                return yaml_value(y, event);

        case YAML_SEQUENCE_START_EVENT:
        case YAML_MAPPING_START_EVENT:
                return yaml_collection_start(y, event);

        case YAML_SEQUENCE_END_EVENT:
        case YAML_MAPPING_END_EVENT:
                if (y->depth == 0)      /* libyaml balances them; just in case */
                        return yaml_error(y, loc, "yaml-syntax", "end of a collection that was not started");
                return yaml_collection_end(y);

        default:
                return 0;
        }
}

static int yaml_syntax_error(YamlParser *y, const yaml_parser_t *parser) {
        DiagLoc loc;
        int r;

        switch (parser->error) {
        case YAML_MEMORY_ERROR:
                return -ENOMEM;

        case YAML_READER_ERROR:
                /* The reader knows a byte offset only. */
                return yaml_error(y, desc_source_loc(y->s, parser->problem_offset), "encoding", "%s",
                                  strempty(parser->problem));

        default:
                loc = yaml_loc(y, parser->problem_mark);
                if (!parser->problem)
                        loc = yaml_loc(y, parser->context_mark);
                r = yaml_error(y, loc, "yaml-syntax", "%s", parser->problem ?: parser->context ?: "invalid YAML");
                /* The context ("while parsing a flow sequence") where it started, if elsewhere. */
                if (r == -EINVAL && parser->problem && parser->context &&
                    (parser->context_mark.line != parser->problem_mark.line ||
                     parser->context_mark.column != parser->problem_mark.column) &&
                    diag_related(y->diags, yaml_loc(y, parser->context_mark), "%s", parser->context) < 0)
                        return -ENOMEM;
                return r;
        }
}

static void yaml_parser_done(YamlParser *y) {
        while (y->depth > 0) {
                YamlFrame *f = &y->stack[--y->depth];

                free(f->key);
                desc_node_free(f->node);
        }
        desc_node_free(y->root);
        y->root = NULL;
}

int desc_yaml_parse(DescSource *s, DiagList *diags) {
        YamlParser y = {
                .s = s,
                .diags = diags,
                .end = desc_source_loc(s, s->size),
        };
        yaml_parser_t parser;
        bool seen_document = false, done = false;
        int r = 0;

        if (!yaml_parser_initialize(&parser))
                return -ENOMEM;
        yaml_parser_set_input_string(&parser, (const unsigned char *) s->text, s->size);

        while (!done) {
                yaml_event_t event;

                if (!yaml_parser_parse(&parser, &event)) {
                        r = yaml_syntax_error(&y, &parser);
                        break;
                }
                done = event.type == YAML_STREAM_END_EVENT;
                r = yaml_event(&y, &event, &seen_document);
                yaml_event_delete(&event);
                if (r < 0)
                        break;
        }
        yaml_parser_delete(&parser);

        if (r >= 0 && !y.root && !y.failed) {
                /* No document at all (an empty file, or only comments): null. */
                r = desc_node_new(s, DESC_NULL, desc_source_loc(s, 0), diags, &y.root);
        }
        if (r >= 0 && y.failed)
                r = -EINVAL;
        if (r < 0) {
                yaml_parser_done(&y);
                return r;
        }

        s->root = y.root;
        return 0;
}
