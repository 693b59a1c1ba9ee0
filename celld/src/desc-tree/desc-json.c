/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A strict RFC 8259 JSON parser that builds DescNodes with their exact line and column:
 * no comments, trailing commas, single quotes, NaN/Infinity, leading zeros or unescaped
 * control characters; duplicate keys are errors; \u escapes pair surrogates. Columns count
 * code points. The first syntax error stops parsing; duplicate keys and the string limit
 * are reported and parsing goes on, to find more of them.
 */
#include <errno.h>
#include <stdarg.h>

#include "desc-internal.h"
#include "utf8.h"
#include "macro.h"

typedef struct JsonParser {
        DescSource *s;
        DiagList *diags;
        const char *p, *end;
        unsigned line, column;
        unsigned depth;
        bool failed;            /* an error was reported, but parsing went on */
} JsonParser;

static DiagLoc json_loc(const JsonParser *j) {
        return (DiagLoc) { .file = j->s->file, .line = j->line, .column = j->column };
}

static bool json_eof(const JsonParser *j) {
        return j->p >= j->end;
}

/* Moves over @n ASCII bytes on the current line. */
static void json_advance(JsonParser *j, size_t n) {
        j->p += n;
        j->column += (unsigned) n;
}

static void json_skip_whitespace(JsonParser *j) {
        while (!json_eof(j))
                switch (*j->p) {
                case ' ':
                case '\t':
                        json_advance(j, 1);
                        break;
                case '\r':
                        if (j->p + 1 < j->end && j->p[1] == '\n')
                                j->p++;
                        __attribute__((__fallthrough__));
                case '\n':
                        j->p++;
                        j->line++;
                        j->column = 1;
                        break;
                default:
                        return;
                }
}

_printf_(4, 5)
static int json_error(JsonParser *j, DiagLoc loc, const char *rule, const char *fmt, ...) {
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

        r = diag_add(j->diags, DIAG_ERROR, rule, loc, "%s", message);
        return r < 0 ? r : -EINVAL;
}

/* What is at the current position, for "unexpected X" messages. */
static const char *json_describe(const JsonParser *j, char buf[static 32]) {
        unsigned char c;
        uint32_t cp;
        size_t k;

        if (json_eof(j))
                return "end of input";

        c = (unsigned char) *j->p;
        if (c >= 0x20 && c < 0x7f)
                snprintf(buf, 32, "'%c'", c);
        else if (c < 0x80)
                snprintf(buf, 32, "character U+%04X", c);
        else if ((k = utf8_decode(j->p, (size_t) (j->end - j->p), &cp)) > 0)
                snprintf(buf, 32, "'%.*s'", (int) k, j->p);
        else
                snprintf(buf, 32, "byte 0x%02x", c);
        return buf;
}

static bool json_is_word_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9') || c == '_' ||
                c == '.' || c == '+' || c == '-';
}

static bool json_is_digit(const JsonParser *j) {
        return !json_eof(j) && *j->p >= '0' && *j->p <= '9';
}

static int json_parse_value(JsonParser *j, DescNode **ret);

/* A bare word where a value belongs: true, false, null, or an error. */
static int json_parse_word(JsonParser *j, DescNode **ret) {
        static const struct {
                const char *word;
                DescType type;
                bool value;
        } literals[] = {
                { "true", DESC_BOOL, true },
                { "false", DESC_BOOL, false },
                { "null", DESC_NULL, false },
        };
        DiagLoc loc = json_loc(j);
        const char *w = j->p;
        size_t len = 0;
        int r;

        while (w + len < j->end && json_is_word_char(w[len]))
                len++;

        for (size_t i = 0; i < ELEMENTSOF(literals); i++)
                if (strlen(literals[i].word) == len && memcmp(w, literals[i].word, len) == 0) {
                        DescNode *n;

                        r = desc_node_new(j->s, literals[i].type, loc, j->diags, &n);
                        if (r < 0)
                                return r;
                        n->boolean = literals[i].value;
                        json_advance(j, len);
                        *ret = n;
                        return 0;
                }

        if ((len == 3 && memcmp(w, "NaN", 3) == 0) || (len == 8 && memcmp(w, "Infinity", 8) == 0) ||
            (len == 9 && memcmp(w, "-Infinity", 9) == 0))
                return json_error(j, loc, "json-syntax", "'%.*s' is not allowed in JSON", (int) len, w);

        r = json_error(j, loc, "json-syntax", "invalid value '%.*s%s'", (int) (len > 32 ? 32 : len), w,
                       len > 32 ? "..." : "");
        if (r == -EINVAL && diag_hint(j->diags, "strings must be in double quotes") < 0)
                return -ENOMEM;
        return r;
}

static int json_parse_number(JsonParser *j, DescNode **ret) {
        DiagLoc loc = json_loc(j);
        const char *start = j->p;
        bool integral = true, negative = false;
        DescNode *n;
        size_t len;
        int r;

        if (*j->p == '-') {
                negative = true;
                json_advance(j, 1);
                if (!json_eof(j) && *j->p == 'I') {
                        j->p = start;
                        j->column = loc.column;
                        return json_parse_word(j, ret);
                }
                if (!json_is_digit(j))
                        return json_error(j, json_loc(j), "json-syntax", "expected a digit after '-'");
        }

        if (*j->p == '0') {
                json_advance(j, 1);
                if (json_is_digit(j))
                        return json_error(j, loc, "json-syntax", "leading zeros are not allowed in numbers");
        } else
                while (json_is_digit(j))
                        json_advance(j, 1);

        if (!json_eof(j) && *j->p == '.') {
                integral = false;
                json_advance(j, 1);
                if (!json_is_digit(j))
                        return json_error(j, json_loc(j), "json-syntax", "expected a digit after '.'");
                while (json_is_digit(j))
                        json_advance(j, 1);
        }

        if (!json_eof(j) && (*j->p == 'e' || *j->p == 'E')) {
                integral = false;
                json_advance(j, 1);
                if (!json_eof(j) && (*j->p == '+' || *j->p == '-'))
                        json_advance(j, 1);
                if (!json_is_digit(j))
                        return json_error(j, json_loc(j), "json-syntax", "expected a digit in the exponent");
                while (json_is_digit(j))
                        json_advance(j, 1);
        }

        if (!json_eof(j) && json_is_word_char(*j->p)) {
                char buf[32];

                return json_error(j, json_loc(j), "json-syntax", "unexpected %s after a number",
                                  json_describe(j, buf));
        }

        len = (size_t) (j->p - start);
        r = desc_check_string(start, len, loc, "number", j->diags);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                j->failed = true;

        r = desc_node_new(j->s, DESC_INTEGER, loc, j->diags, &n);
        if (r < 0)
                return r;

        if (integral) {
                /* Accumulate negatively: -2^63 fits, 2^63 does not. */
                int64_t v = 0;
                bool overflow = false;

                for (const char *d = start + negative; d < j->p; d++) {
                        int digit = *d - '0';

                        if (v < (INT64_MIN + digit) / 10) {
                                overflow = true;
                                break;
                        }
                        v = v * 10 - digit;
                }
                if (!overflow && !negative && v == INT64_MIN)
                        overflow = true;
                if (!overflow) {
                        n->integer = negative ? v : -v;
                        *ret = n;
                        return 0;
                }
        }

        n->type = DESC_NUMBER;
        r = desc_parse_double(start, len, &n->number);
        if (r < 0) {
                desc_node_free(n);
                return r == -ENOMEM ? r : json_error(j, loc, "json-syntax", "invalid number");
        }
        *ret = n;
        return 0;
}

typedef struct JsonBuffer {
        char *data;
        size_t len, allocated;
} JsonBuffer;

static int json_buffer_append(JsonBuffer *b, const char *p, size_t n) {
        if (b->len + n + 1 > b->allocated) {
                size_t allocated = b->allocated > 0 ? b->allocated : 64;
                char *d;

                while (b->len + n + 1 > allocated)
                        allocated *= 2;
                d = realloc(b->data, allocated);
                if (!d)
                        return -ENOMEM;
                b->data = d;
                b->allocated = allocated;
        }
        memcpy(b->data + b->len, p, n);
        b->len += n;
        b->data[b->len] = '\0';
        return 0;
}

static int json_parse_hex4(JsonParser *j, uint32_t *ret) {
        uint32_t v = 0;

        if (j->end - j->p < 4)
                return -EINVAL;
        for (int i = 0; i < 4; i++) {
                char c = j->p[i];

                v <<= 4;
                if (c >= '0' && c <= '9')
                        v |= (uint32_t) (c - '0');
                else if (c >= 'a' && c <= 'f')
                        v |= (uint32_t) (c - 'a' + 10);
                else if (c >= 'A' && c <= 'F')
                        v |= (uint32_t) (c - 'A' + 10);
                else
                        return -EINVAL;
        }
        json_advance(j, 4);
        *ret = v;
        return 0;
}

/* After the backslash and 'u' of a \u escape that starts at @loc. */
static int json_parse_unicode_escape(JsonParser *j, DiagLoc loc, JsonBuffer *b) {
        char utf8[4];
        uint32_t cp, low;
        int r;

        if (json_parse_hex4(j, &cp) < 0)
                return json_error(j, loc, "json-syntax", "expected 4 hex digits after '\\u'");

        if (cp >= 0xdc00 && cp <= 0xdfff)
                return json_error(j, loc, "json-syntax", "unpaired low surrogate '\\u%04X'", cp);

        if (cp >= 0xd800 && cp <= 0xdbff) {
                if (j->end - j->p < 2 || j->p[0] != '\\' || j->p[1] != 'u')
                        return json_error(j, loc, "json-syntax",
                                          "high surrogate '\\u%04X' not followed by a low surrogate", cp);
                json_advance(j, 2);
                if (json_parse_hex4(j, &low) < 0)
                        return json_error(j, loc, "json-syntax", "expected 4 hex digits after '\\u'");
                if (low < 0xdc00 || low > 0xdfff)
                        return json_error(j, loc, "json-syntax",
                                          "high surrogate '\\u%04X' not followed by a low surrogate", cp);
                cp = 0x10000 + ((cp - 0xd800) << 10) + (low - 0xdc00);
        }

        if (cp == 0) {
                r = json_error(j, loc, "encoding", "NUL character (\\u0000) in a string");
                if (r == -ENOMEM)
                        return r;
                j->failed = true;
                return 0;
        }

        return json_buffer_append(b, utf8, desc_utf8_encode(cp, utf8));
}

/* A string at '"': its decoded text (NUL-terminated) and length. */
static int json_parse_string(JsonParser *j, const char *what, char **ret, size_t *ret_len) {
        _cleanup_free_ char *data = NULL;
        DiagLoc loc = json_loc(j);
        JsonBuffer b = {};
        int r;

        json_advance(j, 1);
        for (;;) {
                unsigned char c;

                if (json_eof(j)) {
                        free(b.data);
                        return json_error(j, loc, "json-syntax", "unterminated string");
                }

                c = (unsigned char) *j->p;
                if (c == '"') {
                        json_advance(j, 1);
                        break;
                } else if (c == '\\') {
                        DiagLoc escape = json_loc(j);
                        static const char simple[] = "\"\"\\\\//b\bf\fn\nr\rt\t";
                        const char *e;

                        json_advance(j, 1);
                        if (json_eof(j))
                                continue;
                        if (*j->p == 'u') {
                                json_advance(j, 1);
                                r = json_parse_unicode_escape(j, escape, &b);
                        } else if (*j->p != '\0' && (e = strchr(simple, *j->p)) && (e - simple) % 2 == 0) {
                                json_advance(j, 1);
                                r = json_buffer_append(&b, e + 1, 1);
                        } else {
                                char buf[32];

                                r = json_error(j, escape, "json-syntax", "invalid escape '\\' followed by %s",
                                               json_describe(j, buf));
                        }
                } else if (c < 0x20) {
                        r = json_error(j, json_loc(j), "json-syntax",
                                       "unescaped control character U+%04X in a string", c);
                } else if (c < 0x80) {
                        r = json_buffer_append(&b, j->p, 1);
                        json_advance(j, 1);
                } else {
                        uint32_t cp;
                        size_t k = utf8_decode(j->p, (size_t) (j->end - j->p), &cp);

                        if (k == 0)
                                r = json_error(j, json_loc(j), "encoding", "invalid UTF-8 (byte 0x%02x)", c);
                        else {
                                r = json_buffer_append(&b, j->p, k);
                                j->p += k;
                                j->column++;
                        }
                }
                if (r < 0) {
                        free(b.data);
                        return r;
                }
        }

        if (!b.data && json_buffer_append(&b, "", 0) < 0)
                return -ENOMEM;
        data = b.data;

        r = desc_check_string(data, b.len, loc, what, j->diags);
        if (r == -ENOMEM)
                return r;
        if (r < 0)
                j->failed = true;

        *ret = TAKE_PTR(data);
        *ret_len = b.len;
        return 0;
}

static int json_enter(JsonParser *j, DiagLoc loc) {
        if (j->depth >= DESC_MAX_DEPTH)
                return json_error(j, loc, "limit-depth", "nesting deeper than %u levels", DESC_MAX_DEPTH);
        j->depth++;
        return 0;
}

static int json_unterminated(JsonParser *j, DiagLoc start, const char *what, char close) {
        int r;

        r = json_error(j, json_loc(j), "json-syntax", "expected ',' or '%c', got end of input", close);
        if (r == -EINVAL && diag_related(j->diags, start, "the %s starts here", what) < 0)
                return -ENOMEM;
        return r;
}

static int json_parse_array(JsonParser *j, DescNode **ret) {
        _cleanup_(desc_node_freep) DescNode *a = NULL;
        DiagLoc loc = json_loc(j), comma = {};
        char buf[32];
        int r;

        r = json_enter(j, loc);
        if (r < 0)
                return r;
        r = desc_node_new(j->s, DESC_ARRAY, loc, j->diags, &a);
        if (r < 0)
                return r;

        json_advance(j, 1);
        json_skip_whitespace(j);
        if (!json_eof(j) && *j->p == ']') {
                json_advance(j, 1);
                goto done;
        }

        for (;;) {
                DescNode *item;

                json_skip_whitespace(j);
                if (!json_eof(j) && *j->p == ']' && comma.line > 0)
                        return json_error(j, comma, "json-syntax", "unexpected ',' after the last element");
                if (!json_eof(j) && *j->p == ',')
                        return json_error(j, json_loc(j), "json-syntax", "expected a value before ','");

                r = json_parse_value(j, &item);
                if (r < 0)
                        return r;
                r = desc_array_append(a, item);
                if (r < 0) {
                        desc_node_free(item);
                        return r;
                }

                json_skip_whitespace(j);
                if (json_eof(j))
                        return json_unterminated(j, loc, "array", ']');
                if (*j->p == ']') {
                        json_advance(j, 1);
                        break;
                }
                if (*j->p != ',')
                        return json_error(j, json_loc(j), "json-syntax",
                                          "expected ',' or ']' after an array element, got %s",
                                          json_describe(j, buf));
                comma = json_loc(j);
                json_advance(j, 1);
        }

done:
        j->depth--;
        *ret = TAKE_PTR(a);
        return 0;
}

static int json_parse_object(JsonParser *j, DescNode **ret) {
        _cleanup_(desc_node_freep) DescNode *o = NULL;
        DiagLoc loc = json_loc(j), comma = {};
        char buf[32];
        int r;

        r = json_enter(j, loc);
        if (r < 0)
                return r;
        r = desc_node_new(j->s, DESC_OBJECT, loc, j->diags, &o);
        if (r < 0)
                return r;

        json_advance(j, 1);
        json_skip_whitespace(j);
        if (!json_eof(j) && *j->p == '}') {
                json_advance(j, 1);
                goto done;
        }

        for (;;) {
                _cleanup_free_ char *key = NULL;
                DiagLoc key_loc;
                DescNode *value;
                size_t key_len;

                json_skip_whitespace(j);
                if (json_eof(j))
                        return json_unterminated(j, loc, "object", '}');
                if (*j->p == '}' && comma.line > 0)
                        return json_error(j, comma, "json-syntax", "unexpected ',' after the last member");
                if (*j->p != '"') {
                        r = json_error(j, json_loc(j), "json-syntax",
                                       "expected a key in double quotes, got %s", json_describe(j, buf));
                        if (r == -EINVAL && (*j->p == '\'' || json_is_word_char(*j->p)) &&
                            diag_hint(j->diags, "keys must be in double quotes") < 0)
                                return -ENOMEM;
                        return r;
                }

                key_loc = json_loc(j);
                r = json_parse_string(j, "key", &key, &key_len);
                if (r < 0)
                        return r;

                json_skip_whitespace(j);
                if (json_eof(j) || *j->p != ':')
                        return json_error(j, json_loc(j), "json-syntax", "expected ':' after object key, got %s",
                                          json_describe(j, buf));
                json_advance(j, 1);

                r = json_parse_value(j, &value);
                if (r < 0)
                        return r;
                r = desc_object_append(o, key, key_loc, value);
                if (r < 0) {
                        desc_node_free(value);
                        return r;
                }
                TAKE_PTR(key);

                json_skip_whitespace(j);
                if (json_eof(j))
                        return json_unterminated(j, loc, "object", '}');
                if (*j->p == '}') {
                        json_advance(j, 1);
                        break;
                }
                if (*j->p != ',')
                        return json_error(j, json_loc(j), "json-syntax",
                                          "expected ',' or '}' after an object member, got %s",
                                          json_describe(j, buf));
                comma = json_loc(j);
                json_advance(j, 1);
        }

        r = desc_object_check_duplicates(o, j->diags);
        if (r == -EINVAL)
                j->failed = true;
        else if (r < 0)
                return r;

done:
        j->depth--;
        *ret = TAKE_PTR(o);
        return 0;
}

static int json_parse_value(JsonParser *j, DescNode **ret) {
        DiagLoc loc;
        char buf[32];
        int r;

        json_skip_whitespace(j);
        loc = json_loc(j);
        if (json_eof(j))
                return json_error(j, loc, "json-syntax", "expected a value, got end of input");

        switch (*j->p) {
        case '{':
                return json_parse_object(j, ret);
        case '[':
                return json_parse_array(j, ret);
        case '"': {
                DescNode *n;
                char *str;
                size_t len;

                r = json_parse_string(j, "string", &str, &len);
                if (r < 0)
                        return r;
                r = desc_node_new(j->s, DESC_STRING, loc, j->diags, &n);
                if (r < 0) {
                        free(str);
                        return r;
                }
                desc_node_set_string(n, str, len);
                *ret = n;
                return 0;
        }
        case '-':
        case '0' ... '9':
                return json_parse_number(j, ret);
        case 'a' ... 'z':
        case 'A' ... 'Z':
        case '_':
                return json_parse_word(j, ret);
        case '\'':
                return json_error(j, loc, "json-syntax", "strings must be in double quotes");
        case '/':
        case '#':
                return json_error(j, loc, "json-syntax", "comments are not allowed in JSON");
        case '+':
                return json_error(j, loc, "json-syntax", "'+' is not allowed before a number");
        case '.':
                return json_error(j, loc, "json-syntax", "numbers must start with a digit");
        default:
                return json_error(j, loc, "json-syntax", "expected a value, got %s", json_describe(j, buf));
        }
}

int desc_json_parse(DescSource *s, DiagList *diags) {
        _cleanup_(desc_node_freep) DescNode *root = NULL;
        JsonParser j = {
                .s = s,
                .diags = diags,
                .p = s->text + desc_source_bom(s),
                .end = s->text + s->size,
                .line = 1,
                .column = 1,
        };
        char buf[32];
        int r;

        json_skip_whitespace(&j);
        if (json_eof(&j))
                return json_error(&j, json_loc(&j), "json-syntax", "empty document: expected a JSON value");

        r = json_parse_value(&j, &root);
        if (r < 0)
                return r;

        json_skip_whitespace(&j);
        if (!json_eof(&j))
                return json_error(&j, json_loc(&j), "json-syntax", "unexpected %s after the JSON value",
                                  json_describe(&j, buf));
        if (j.failed)
                return -EINVAL;

        s->root = TAKE_PTR(root);
        return 0;
}
