/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ECMA-262 regular expressions with the "u" flag, for JSON Schema's "pattern":
 * a recursive-descent parser builds a small tree, the compiler turns it into a
 * program for a backtracking machine with an explicit stack. Loops check that
 * an iteration consumed input (as ECMA-262 requires), and a budget bounds the
 * work, so no pattern can hang or overflow the C stack.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "macro.h"
#include "schema-regex.h"
#include "utf8.h"

#define RE_MAX_CODE 20000u              /* instructions in one program */
#define RE_MAX_COUNT 1000u              /* bounds of {n,m} */
#define RE_MAX_NEST 32u                 /* nesting of groups */
#define RE_MAX_STACK (1u << 22)         /* backtracking entries */
#define RE_INFINITE UINT32_MAX
#define CP_MAX 0x10FFFFu

typedef struct Range {
        uint32_t lo, hi;
} Range;

/* A set of code points: sorted, disjoint, non-adjacent ranges (negation already applied). */
typedef struct Class {
        Range *ranges;
        size_t n;
} Class;

typedef enum RType {
        RN_EMPTY,
        RN_CHAR,
        RN_CLASS,
        RN_SEQ,
        RN_ALT,
        RN_REPEAT,
        RN_BOL,
        RN_EOL,
        RN_WORDB,
        RN_NWORDB,
        RN_LOOK,
} RType;

typedef struct RNode {
        RType type;
        bool greedy, neg;
        uint32_t min, max;
        uint32_t value;         /* RN_CHAR: code point; RN_CLASS: class index */
        int kid, next;          /* first child, next sibling; -1: none */
} RNode;

typedef enum ROp {
        OP_CHAR,
        OP_CLASS,
        OP_SPLIT,               /* try x, then y */
        OP_JMP,
        OP_MARK,                /* register x = position */
        OP_CHECK,               /* fail unless position moved since register x was set */
        OP_BOL,
        OP_EOL,
        OP_WORDB,
        OP_NWORDB,
        OP_LOOK,                /* sub-program follows up to x; y: negative */
        OP_MATCH,
} ROp;

typedef struct RInst {
        uint8_t op;
        uint32_t x, y;
} RInst;

struct Regex {
        RInst *code;
        size_t n_code;
        Class *classes;
        size_t n_classes;
        uint32_t n_regs;
};

typedef struct Parser {
        uint32_t *p;            /* the pattern's code points */
        size_t n, i;
        RNode *nodes;
        size_t n_nodes, allocated;
        Class *classes;
        size_t n_classes, allocated_classes;
        unsigned depth;
        int error;
        char *message;
} Parser;

static const Range digit_ranges[] = { { '0', '9' } };
static const Range word_ranges[] = { { '0', '9' }, { 'A', 'Z' }, { '_', '_' }, { 'a', 'z' } };
static const Range space_ranges[] = {
        { 0x09, 0x0D }, { 0x20, 0x20 }, { 0xA0, 0xA0 }, { 0x1680, 0x1680 }, { 0x2000, 0x200A },
        { 0x2028, 0x2029 }, { 0x202F, 0x202F }, { 0x205F, 0x205F }, { 0x3000, 0x3000 }, { 0xFEFF, 0xFEFF },
};
static const Range line_terminators[] = { { 0x0A, 0x0A }, { 0x0D, 0x0D }, { 0x2028, 0x2029 } };

static int decode_all(const char *s, size_t len, uint32_t **ret, size_t *ret_n) {
        uint32_t *cps = malloc((len + 1) * sizeof(uint32_t));
        size_t n = 0;

        if (!cps)
                return -ENOMEM;
        for (size_t i = 0; i < len; n++)
                i += utf8_decode_lenient(s + i, len - i, &cps[n]);
        *ret = cps;
        *ret_n = n;
        return 0;
}

/* ---- character classes ---- */

static int range_cmp(const void *a, const void *b) {
        const Range *x = a, *y = b;

        return x->lo < y->lo ? -1 : x->lo > y->lo;
}

typedef struct RangeSet {
        Range *r;
        size_t n, allocated;
} RangeSet;

static int set_add(RangeSet *s, uint32_t lo, uint32_t hi) {
        if (s->n == s->allocated) {
                size_t a = s->allocated ? s->allocated * 2 : 8;
                Range *r = realloc(s->r, a * sizeof(Range));

                if (!r)
                        return -ENOMEM;
                s->r = r;
                s->allocated = a;
        }
        s->r[s->n++] = (Range) { lo, hi };
        return 0;
}

static int set_add_ranges(RangeSet *s, const Range *r, size_t n, bool negate) {
        uint32_t next = 0;
        int q;

        for (size_t k = 0; k < n; k++) {
                if (!negate)
                        q = set_add(s, r[k].lo, r[k].hi);
                else
                        q = r[k].lo > next ? set_add(s, next, r[k].lo - 1) : 0;
                if (q < 0)
                        return q;
                next = r[k].hi + 1;
        }
        return negate && next <= CP_MAX ? set_add(s, next, CP_MAX) : 0;
}

/* Sorts and merges; with @negate, replaces the set by its complement. */
static int set_normalize(RangeSet *s, bool negate) {
        _cleanup_free_ Range *old = NULL;
        size_t n = 0;

        if (s->n > 0) {
                qsort(s->r, s->n, sizeof(Range), range_cmp);
                for (size_t k = 1; k < s->n; k++) {
                        if (s->r[k].lo <= s->r[n].hi + 1 && s->r[n].hi != UINT32_MAX) {
                                if (s->r[k].hi > s->r[n].hi)
                                        s->r[n].hi = s->r[k].hi;
                        } else
                                s->r[++n] = s->r[k];
                }
                n++;
        }
        s->n = n;
        if (!negate)
                return 0;
        old = TAKE_PTR(s->r);
        s->n = s->allocated = 0;
        return set_add_ranges(s, old, n, true);
}

static int parser_add_class(Parser *p, RangeSet *s) {
        if (p->n_classes == p->allocated_classes) {
                size_t a = p->allocated_classes ? p->allocated_classes * 2 : 4;
                Class *c = realloc(p->classes, a * sizeof(Class));

                if (!c)
                        return -ENOMEM;
                p->classes = c;
                p->allocated_classes = a;
        }
        p->classes[p->n_classes] = (Class) { .ranges = TAKE_PTR(s->r), .n = s->n };
        s->n = s->allocated = 0;
        return (int) p->n_classes++;
}

static bool class_has(const Class *c, uint32_t cp) {
        size_t lo = 0, hi = c->n;

        while (lo < hi) {
                size_t mid = (lo + hi) / 2;

                if (cp < c->ranges[mid].lo)
                        hi = mid;
                else if (cp > c->ranges[mid].hi)
                        lo = mid + 1;
                else
                        return true;
        }
        return false;
}

/* ---- parser ---- */

_printf_(3, 4)
static int fail(Parser *p, int error, const char *fmt, ...) {
        va_list ap;

        if (p->error == 0) {
                p->error = error;
                va_start(ap, fmt);
                if (vasprintf(&p->message, fmt, ap) < 0) {
                        p->message = NULL;
                        p->error = -ENOMEM;
                }
                va_end(ap);
        }
        return -1;
}

static int oom(Parser *p) {
        if (p->error == 0)
                p->error = -ENOMEM;
        return -1;
}

static int new_node(Parser *p, RType type) {
        if (p->n_nodes >= RE_MAX_CODE)
                return fail(p, -EOPNOTSUPP, "pattern too large");
        if (p->n_nodes == p->allocated) {
                size_t a = p->allocated ? p->allocated * 2 : 16;
                RNode *n = realloc(p->nodes, a * sizeof(RNode));

                if (!n)
                        return oom(p);
                p->nodes = n;
                p->allocated = a;
        }
        p->nodes[p->n_nodes] = (RNode) { .type = type, .kid = -1, .next = -1, .greedy = true };
        return (int) p->n_nodes++;
}

/* A class node for the ranges in @s, which it takes (freed on failure too). */
static int set_node(Parser *p, RangeSet *s) {
        int cls, node;

        cls = parser_add_class(p, s);
        if (cls < 0) {
                free(s->r);
                s->r = NULL;
                return oom(p);
        }
        node = new_node(p, RN_CLASS);
        if (node >= 0)
                p->nodes[node].value = (uint32_t) cls;
        return node;
}

static bool at_end(const Parser *p) {
        return p->i >= p->n;
}

static uint32_t peek(const Parser *p, size_t ahead) {
        return p->i + ahead < p->n ? p->p[p->i + ahead] : UINT32_MAX;
}

static bool is_syntax_char(uint32_t c) {
        return c < 0x80 && strchr("^$\\.*+?()[]{}|/", (int) c) && c != 0;
}

static int hex_value(uint32_t c) {
        if (c >= '0' && c <= '9')
                return (int) (c - '0');
        if (c >= 'a' && c <= 'f')
                return (int) (c - 'a' + 10);
        if (c >= 'A' && c <= 'F')
                return (int) (c - 'A' + 10);
        return -1;
}

/* Reads exactly @digits hex digits; -1 if they are not there. */
static int64_t read_hex(Parser *p, unsigned digits) {
        int64_t v = 0;

        for (unsigned k = 0; k < digits; k++) {
                int h = hex_value(peek(p, k));

                if (h < 0)
                        return -1;
                v = v * 16 + h;
        }
        p->i += digits;
        return v;
}

/* \u{...} or \uHHHH (joining a surrogate pair written as two escapes); after "\u". */
static int parse_unicode_escape(Parser *p, uint32_t *ret) {
        int64_t v = 0, lo;

        if (peek(p, 0) == '{') {
                size_t k = 1;

                for (; hex_value(peek(p, k)) >= 0; k++) {
                        v = v * 16 + hex_value(peek(p, k));
                        if (v > CP_MAX)
                                return fail(p, -EINVAL, "\\u{...} beyond U+10FFFF");
                }
                if (k == 1 || peek(p, k) != '}')
                        return fail(p, -EINVAL, "invalid \\u{...} escape");
                p->i += k + 1;
                *ret = (uint32_t) v;
                return 0;
        }
        v = read_hex(p, 4);
        if (v < 0)
                return fail(p, -EINVAL, "invalid \\u escape");
        if (v >= 0xD800 && v <= 0xDBFF && peek(p, 0) == '\\' && peek(p, 1) == 'u') {
                size_t save = p->i;

                p->i += 2;
                lo = read_hex(p, 4);
                if (lo >= 0xDC00 && lo <= 0xDFFF)
                        v = 0x10000 + ((v - 0xD800) << 10) + (lo - 0xDC00);
                else
                        p->i = save;
        }
        *ret = (uint32_t) v;
        return 0;
}

/* A CharacterEscape after the backslash (consumed): one code point. */
static int parse_char_escape(Parser *p, bool in_class, uint32_t *ret) {
        uint32_t c = peek(p, 0);
        int64_t v;

        if (at_end(p))
                return fail(p, -EINVAL, "pattern ends with a backslash");
        p->i++;
        switch (c) {
        case 't': *ret = 9; return 0;
        case 'n': *ret = 10; return 0;
        case 'v': *ret = 11; return 0;
        case 'f': *ret = 12; return 0;
        case 'r': *ret = 13; return 0;
        case 'c':
                c = peek(p, 0);
                if (!((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z')))
                        return fail(p, -EINVAL, "\\c must be followed by a letter");
                p->i++;
                *ret = c % 32;
                return 0;
        case '0':
                if (peek(p, 0) >= '0' && peek(p, 0) <= '9')
                        return fail(p, -EINVAL, "invalid escape \\0 followed by a digit");
                *ret = 0;
                return 0;
        case 'x':
                v = read_hex(p, 2);
                if (v < 0)
                        return fail(p, -EINVAL, "invalid \\x escape");
                *ret = (uint32_t) v;
                return 0;
        case 'u':
                return parse_unicode_escape(p, ret);
        case '-':
                if (!in_class)
                        break;
                *ret = c;
                return 0;
        default:
                if (is_syntax_char(c)) {
                        *ret = c;
                        return 0;
                }
        }
        if (c >= '1' && c <= '9')
                return fail(p, -EOPNOTSUPP, "backreferences are not supported");
        if (c == 'k')
                return fail(p, -EOPNOTSUPP, "named backreferences are not supported");
        if (c == 'p' || c == 'P')
                return fail(p, -EOPNOTSUPP, "Unicode property escapes (\\p{...}) are not supported");
        if (c < 0x80 && c >= 0x20)
                return fail(p, -EINVAL, "invalid escape \\%c", (char) c);
        return fail(p, -EINVAL, "invalid escape");
}

/* \d \D \w \W \s \S into @s; returns 1 if the escape was one of those, 0 otherwise. */
static int class_escape(Parser *p, RangeSet *s) {
        uint32_t c = peek(p, 0);
        const Range *r;
        size_t n;

        switch (c | 0x20) {
        case 'd': r = digit_ranges, n = ELEMENTSOF(digit_ranges); break;
        case 'w': r = word_ranges, n = ELEMENTSOF(word_ranges); break;
        case 's': r = space_ranges, n = ELEMENTSOF(space_ranges); break;
        default: return 0;
        }
        if (c > 'z')
                return 0;
        p->i++;
        if (set_add_ranges(s, r, n, c < 'a') < 0)
                return oom(p);
        return 1;
}

/* One ClassAtom: a code point (*ret_cp) or a class escape added to @s (returns 1). */
static int parse_class_atom(Parser *p, RangeSet *s, uint32_t *ret_cp) {
        uint32_t c = peek(p, 0);
        int r;

        if (at_end(p))
                return fail(p, -EINVAL, "unterminated character class");
        p->i++;
        if (c != '\\') {
                *ret_cp = c;
                return 0;
        }
        if (peek(p, 0) == 'b') {
                p->i++;
                *ret_cp = 8;
                return 0;
        }
        r = class_escape(p, s);
        if (r != 0)
                return r;
        return parse_char_escape(p, true, ret_cp);
}

static int parse_class(Parser *p) {
        RangeSet s = {};
        bool negate = false;

        if (peek(p, 0) == '^') {
                negate = true;
                p->i++;
        }
        while (peek(p, 0) != ']') {
                uint32_t lo, hi;
                int a, b;

                a = parse_class_atom(p, &s, &lo);
                if (a < 0)
                        goto fail;
                if (peek(p, 0) != '-' || peek(p, 1) == ']' || peek(p, 1) == UINT32_MAX) {
                        if (a == 0 && set_add(&s, lo, lo) < 0)
                                goto nomem;
                        continue;
                }
                p->i++;
                b = parse_class_atom(p, &s, &hi);
                if (b < 0)
                        goto fail;
                if (a || b) {
                        fail(p, -EINVAL, "character class escape used as a range bound");
                        goto fail;
                }
                if (lo > hi) {
                        fail(p, -EINVAL, "range out of order in character class");
                        goto fail;
                }
                if (set_add(&s, lo, hi) < 0)
                        goto nomem;
        }
        p->i++;
        if (set_normalize(&s, negate) < 0)
                goto nomem;
        return set_node(p, &s);
nomem:
        oom(p);
fail:
        free(s.r);
        return -1;
}

static int class_node(Parser *p, const Range *r, size_t n, bool negate) {
        RangeSet s = {};

        if (set_add_ranges(&s, r, n, negate) < 0) {
                free(s.r);
                return oom(p);
        }
        return set_node(p, &s);
}

static int char_node(Parser *p, uint32_t c) {
        int node = new_node(p, RN_CHAR);

        if (node >= 0)
                p->nodes[node].value = c;
        return node;
}

static int parse_disjunction(Parser *p);

/* After "(": the group's kind, its contents and ")". */
static int parse_group(Parser *p, bool *ret_assertion) {
        int kind = 0, inner, node;

        *ret_assertion = false;
        if (peek(p, 0) == '?') {
                uint32_t c = peek(p, 1);

                if (c == ':' || c == '=' || c == '!')
                        kind = (int) c, p->i += 2;
                else if (c == '<' && (peek(p, 2) == '=' || peek(p, 2) == '!'))
                        return fail(p, -EOPNOTSUPP, "lookbehind assertions are not supported");
                else if (c == '<') {
                        size_t k = 2;

                        while (peek(p, k) < 0x80 && (peek(p, k) == '_' || peek(p, k) == '$' ||
                                                     (peek(p, k) | 0x20) - 'a' < 26 ||
                                                     (k > 2 && peek(p, k) - '0' < 10)))
                                k++;
                        if (k == 2 || peek(p, k) != '>')
                                return fail(p, -EINVAL, "invalid group name");
                        p->i += k + 1;
                } else
                        return fail(p, -EINVAL, "invalid group");
        }
        if (++p->depth > RE_MAX_NEST)
                return fail(p, -EOPNOTSUPP, "groups nested too deeply");
        inner = parse_disjunction(p);
        p->depth--;
        if (inner < 0)
                return -1;
        if (peek(p, 0) != ')')
                return fail(p, -EINVAL, "missing ')'");
        p->i++;
        if (kind != '=' && kind != '!')
                return inner;
        *ret_assertion = true;
        node = new_node(p, RN_LOOK);
        if (node < 0)
                return -1;
        p->nodes[node].kid = inner;
        p->nodes[node].neg = kind == '!';
        return node;
}

/* An atom or assertion; *ret_assertion tells whether a quantifier is forbidden after it. */
static int parse_atom(Parser *p, bool *ret_assertion) {
        uint32_t c = peek(p, 0);
        int r;

        *ret_assertion = false;
        p->i++;
        switch (c) {
        case '^':
                *ret_assertion = true;
                return new_node(p, RN_BOL);
        case '$':
                *ret_assertion = true;
                return new_node(p, RN_EOL);
        case '.':
                return class_node(p, line_terminators, ELEMENTSOF(line_terminators), true);
        case '[':
                return parse_class(p);
        case '(':
                return parse_group(p, ret_assertion);
        case '*': case '+': case '?': case '{':
                return fail(p, -EINVAL, "nothing to repeat before '%c'", (char) c);
        case ')': case ']': case '}':
                return fail(p, -EINVAL, "unmatched '%c'", (char) c);
        case '\\':
                break;
        default:
                return char_node(p, c);
        }
        if (peek(p, 0) == 'b' || peek(p, 0) == 'B') {
                *ret_assertion = true;
                return new_node(p, p->p[p->i++] == 'b' ? RN_WORDB : RN_NWORDB);
        }
        {
                RangeSet s = {};

                r = class_escape(p, &s);
                if (r < 0) {
                        free(s.r);
                        return -1;
                }
                if (r > 0)
                        return set_node(p, &s);
        }
        if (parse_char_escape(p, false, &c) < 0)
                return -1;
        return char_node(p, c);
}

static bool read_count(Parser *p, uint32_t *ret) {
        uint64_t v = 0;
        size_t k = 0;

        for (; peek(p, 0) >= '0' && peek(p, 0) <= '9'; k++, p->i++)
                if (v <= UINT32_MAX)
                        v = v * 10 + (p->p[p->i] - '0');
        *ret = v > UINT32_MAX ? UINT32_MAX - 1 : (uint32_t) v;
        return k > 0;
}

/* A quantifier at the current position, if any: 1 with bounds set, 0 when none, -1 on errors. */
static int parse_quantifier(Parser *p, uint32_t *ret_min, uint32_t *ret_max, bool *ret_greedy) {
        uint32_t c = peek(p, 0), min, max;

        if (c == '*' || c == '+' || c == '?') {
                p->i++;
                min = c == '+';
                max = c == '?' ? 1 : RE_INFINITE;
        } else if (c == '{') {
                p->i++;
                if (!read_count(p, &min))
                        return fail(p, -EINVAL, "invalid quantifier '{'");
                max = min;
                if (peek(p, 0) == ',') {
                        p->i++;
                        if (!read_count(p, &max))
                                max = RE_INFINITE;
                }
                if (peek(p, 0) != '}')
                        return fail(p, -EINVAL, "invalid quantifier '{'");
                p->i++;
                if (max < min)
                        return fail(p, -EINVAL, "numbers out of order in {} quantifier");
                if (min > RE_MAX_COUNT || (max != RE_INFINITE && max > RE_MAX_COUNT))
                        return fail(p, -EOPNOTSUPP, "repetition counts above %u are not supported", RE_MAX_COUNT);
        } else
                return 0;
        *ret_greedy = peek(p, 0) != '?';
        if (!*ret_greedy)
                p->i++;
        *ret_min = min;
        *ret_max = max;
        return 1;
}

static int parse_term(Parser *p) {
        uint32_t min = 0, max = 0;
        bool assertion, greedy = true;
        int atom, q, node;

        atom = parse_atom(p, &assertion);
        if (atom < 0)
                return -1;
        q = parse_quantifier(p, &min, &max, &greedy);
        if (q <= 0)
                return q < 0 ? -1 : atom;
        if (assertion)
                return fail(p, -EINVAL, "nothing to repeat: quantifier after an assertion");
        node = new_node(p, RN_REPEAT);
        if (node < 0)
                return -1;
        p->nodes[node].kid = atom;
        p->nodes[node].min = min;
        p->nodes[node].max = max;
        p->nodes[node].greedy = greedy;
        return node;
}

static int parse_alternative(Parser *p) {
        int seq = new_node(p, RN_SEQ), last = -1;

        if (seq < 0)
                return -1;
        while (!at_end(p) && peek(p, 0) != '|' && peek(p, 0) != ')') {
                int t = parse_term(p);

                if (t < 0)
                        return -1;
                if (last < 0)
                        p->nodes[seq].kid = t;
                else
                        p->nodes[last].next = t;
                last = t;
        }
        return seq;
}

static int parse_disjunction(Parser *p) {
        int alt, first, last;

        first = last = parse_alternative(p);
        if (first < 0)
                return -1;
        if (peek(p, 0) != '|')
                return first;
        alt = new_node(p, RN_ALT);
        if (alt < 0)
                return -1;
        p->nodes[alt].kid = first;
        while (peek(p, 0) == '|') {
                int a;

                p->i++;
                a = parse_alternative(p);
                if (a < 0)
                        return -1;
                p->nodes[last].next = a;
                last = a;
        }
        return alt;
}

/* ---- compiler ---- */

typedef struct Compiler {
        const Parser *p;
        RInst *code;
        size_t n, allocated;
        uint32_t n_regs;
        size_t work;            /* nodes visited: bounds copies of empty sub-patterns too */
} Compiler;

static int emit(Compiler *c, ROp op, uint32_t x, uint32_t y) {
        if (c->n >= RE_MAX_CODE)
                return -EOPNOTSUPP;
        if (c->n == c->allocated) {
                size_t a = c->allocated ? c->allocated * 2 : 32;
                RInst *code = realloc(c->code, a * sizeof(RInst));

                if (!code)
                        return -ENOMEM;
                c->code = code;
                c->allocated = a;
        }
        c->code[c->n] = (RInst) { .op = op, .x = x, .y = y };
        return (int) c->n++;
}

static int compile_node(Compiler *c, int idx);

static int compile_alt(Compiler *c, const RNode *node) {
        uint32_t jumps = 0;     /* chain of the JMPs to patch, through their x; 0 ends it */
        int r;

        for (int a = node->kid; a >= 0; a = c->p->nodes[a].next) {
                int split = -1;

                if (c->p->nodes[a].next >= 0) {
                        split = emit(c, OP_SPLIT, 0, 0);
                        if (split < 0)
                                return split;
                        c->code[split].x = (uint32_t) c->n;
                }
                r = compile_node(c, a);
                if (r < 0)
                        return r;
                if (split < 0)
                        break;
                r = emit(c, OP_JMP, jumps, 0);
                if (r < 0)
                        return r;
                jumps = (uint32_t) r + 1;
                c->code[split].y = (uint32_t) c->n;
        }
        while (jumps > 0) {
                uint32_t pc = jumps - 1;

                jumps = c->code[pc].x;
                c->code[pc].x = (uint32_t) c->n;
        }
        return 0;
}

static int compile_star(Compiler *c, const RNode *node) {
        uint32_t reg = c->n_regs++;
        int split, r;

        split = emit(c, OP_SPLIT, 0, 0);
        if (split < 0)
                return split;
        r = emit(c, OP_MARK, reg, 0);
        if (r < 0)
                return r;
        r = compile_node(c, node->kid);
        if (r < 0)
                return r;
        r = emit(c, OP_CHECK, reg, 0);
        if (r < 0)
                return r;
        r = emit(c, OP_JMP, (uint32_t) split, 0);
        if (r < 0)
                return r;
        c->code[split].x = node->greedy ? (uint32_t) split + 1 : (uint32_t) c->n;
        c->code[split].y = node->greedy ? (uint32_t) c->n : (uint32_t) split + 1;
        return 0;
}

static int compile_repeat(Compiler *c, const RNode *node) {
        _cleanup_free_ uint32_t *splits = NULL;
        uint32_t k, n_splits = 0;
        int r;

        for (k = 0; k < node->min; k++) {
                r = compile_node(c, node->kid);
                if (r < 0)
                        return r;
        }
        if (node->max == RE_INFINITE)
                return compile_star(c, node);
        if (node->max == node->min)
                return 0;
        /* Optional copies: each SPLIT's exit goes to the end, patched below. */
        splits = calloc(node->max - node->min, sizeof(uint32_t));
        if (!splits)
                return -ENOMEM;
        for (; k < node->max; k++) {
                int split = emit(c, OP_SPLIT, 0, 0);

                if (split < 0)
                        return split;
                splits[n_splits++] = (uint32_t) split;
                r = compile_node(c, node->kid);
                if (r < 0)
                        return r;
        }
        for (uint32_t s = 0; s < n_splits; s++) {
                RInst *i = &c->code[splits[s]];

                i->x = node->greedy ? splits[s] + 1 : (uint32_t) c->n;
                i->y = node->greedy ? (uint32_t) c->n : splits[s] + 1;
        }
        return 0;
}

static int compile_look(Compiler *c, const RNode *node) {
        int look, r;

        look = emit(c, OP_LOOK, 0, node->neg);
        if (look < 0)
                return look;
        r = compile_node(c, node->kid);
        if (r < 0)
                return r;
        r = emit(c, OP_MATCH, 0, 0);
        if (r < 0)
                return r;
        c->code[look].x = (uint32_t) c->n;
        return 0;
}

static int compile_node(Compiler *c, int idx) {
        const RNode *node = &c->p->nodes[idx];
        int r;

        if (++c->work > 16 * RE_MAX_CODE)
                return -EOPNOTSUPP;
        switch (node->type) {
        case RN_EMPTY:
                return 0;
        case RN_CHAR:
                return emit(c, OP_CHAR, node->value, 0);
        case RN_CLASS:
                return emit(c, OP_CLASS, node->value, 0);
        case RN_SEQ:
                for (int k = node->kid; k >= 0; k = c->p->nodes[k].next) {
                        r = compile_node(c, k);
                        if (r < 0)
                                return r;
                }
                return 0;
        case RN_ALT:
                return compile_alt(c, node);
        case RN_REPEAT:
                return compile_repeat(c, node);
        case RN_BOL:
                return emit(c, OP_BOL, 0, 0);
        case RN_EOL:
                return emit(c, OP_EOL, 0, 0);
        case RN_WORDB:
                return emit(c, OP_WORDB, 0, 0);
        case RN_NWORDB:
                return emit(c, OP_NWORDB, 0, 0);
        case RN_LOOK:
                return compile_look(c, node);
        }
        return -EINVAL;
}

Regex *regex_free(Regex *re) {
        if (!re)
                return NULL;
        for (size_t k = 0; k < re->n_classes; k++)
                free(re->classes[k].ranges);
        free(re->classes);
        free(re->code);
        free(re);
        return NULL;
}

static void parser_done(Parser *p) {
        for (size_t k = 0; k < p->n_classes; k++)
                free(p->classes[k].ranges);
        free(p->classes);
        free(p->nodes);
        free(p->p);
        free(p->message);
}

static int compile_program(Parser *p, int root, Regex **ret) {
        Compiler c = { .p = p };
        Regex *re;
        int r;

        r = compile_node(&c, root);
        if (r >= 0)
                r = emit(&c, OP_MATCH, 0, 0);
        if (r < 0) {
                free(c.code);
                return r;
        }
        re = calloc(1, sizeof(Regex));
        if (!re) {
                free(c.code);
                return -ENOMEM;
        }
        *re = (Regex) {
                .code = c.code,
                .n_code = c.n,
                .classes = TAKE_PTR(p->classes),
                .n_classes = p->n_classes,
                .n_regs = c.n_regs,
        };
        p->n_classes = 0;
        *ret = re;
        return 0;
}

int regex_compile(const char *pattern, size_t len, Regex **ret, char **ret_error) {
        Parser p = {};
        int root, r;

        r = decode_all(pattern, len, &p.p, &p.n);
        if (r < 0)
                return r;
        root = parse_disjunction(&p);
        if (root >= 0 && !at_end(&p))
                root = fail(&p, -EINVAL, "unmatched ')'");
        if (root < 0) {
                r = p.error;
                if (ret_error && p.message)
                        *ret_error = TAKE_PTR(p.message);
                parser_done(&p);
                return r;
        }
        r = compile_program(&p, root, ret);
        if (r == -EOPNOTSUPP && ret_error)
                *ret_error = strdup("pattern too large");
        parser_done(&p);
        return r;
}

/* ---- matcher ---- */

typedef struct Bt {
        int64_t pc;             /* -1: restore register @reg to @pos */
        uint32_t reg;
        size_t pos;
} Bt;

typedef struct Matcher {
        const Regex *re;
        const uint32_t *in;
        size_t n;
        size_t *regs;
        Bt *stack;
        size_t n_stack, allocated;
        uint64_t *budget;
} Matcher;

static int push(Matcher *m, int64_t pc, uint32_t reg, size_t pos) {
        if (m->n_stack == m->allocated) {
                size_t a = m->allocated ? m->allocated * 2 : 64;
                Bt *s;

                if (a > RE_MAX_STACK)
                        return -E2BIG;
                s = realloc(m->stack, a * sizeof(Bt));
                if (!s)
                        return -ENOMEM;
                m->stack = s;
                m->allocated = a;
        }
        m->stack[m->n_stack++] = (Bt) { pc, reg, pos };
        return 0;
}

static bool is_word(uint32_t c) {
        return c < 0x80 && (c == '_' || (c >= '0' && c <= '9') || ((c | 0x20) >= 'a' && (c | 0x20) <= 'z'));
}

static bool at_word_boundary(const Matcher *m, size_t pos) {
        bool a = pos > 0 && is_word(m->in[pos - 1]), b = pos < m->n && is_word(m->in[pos]);

        return a != b;
}

static int run(Matcher *m, size_t pc, size_t pos);

/*
 * Executes one instruction: returns 1 when the thread goes on (pc, pos updated),
 * 0 when it fails, 2 on a match, or a negative errno.
 */
static int step(Matcher *m, size_t *pc, size_t *pos) {
        const RInst *i = &m->re->code[*pc];
        int r;

        switch (i->op) {
        case OP_CHAR:
                if (*pos >= m->n || m->in[*pos] != i->x)
                        return 0;
                (*pos)++;
                break;
        case OP_CLASS:
                if (*pos >= m->n || !class_has(&m->re->classes[i->x], m->in[*pos]))
                        return 0;
                (*pos)++;
                break;
        case OP_SPLIT:
                r = push(m, i->y, 0, *pos);
                if (r < 0)
                        return r;
                *pc = i->x;
                return 1;
        case OP_JMP:
                *pc = i->x;
                return 1;
        case OP_MARK:
                r = push(m, -1, i->x, m->regs[i->x]);
                if (r < 0)
                        return r;
                m->regs[i->x] = *pos;
                break;
        case OP_CHECK:
                if (m->regs[i->x] == *pos)
                        return 0;
                break;
        case OP_BOL:
                if (*pos != 0)
                        return 0;
                break;
        case OP_EOL:
                if (*pos != m->n)
                        return 0;
                break;
        case OP_WORDB:
        case OP_NWORDB:
                if (at_word_boundary(m, *pos) != (i->op == OP_WORDB))
                        return 0;
                break;
        case OP_LOOK:
                r = run(m, *pc + 1, *pos);
                if (r < 0)
                        return r;
                if (r == (int) i->y)
                        return 0;
                *pc = i->x;
                return 1;
        case OP_MATCH:
                return 2;
        }
        (*pc)++;
        return 1;
}

/* Runs the program from @pc at @pos until OP_MATCH: 1 matched, 0 not, or a negative errno. */
static int run(Matcher *m, size_t pc, size_t pos) {
        size_t base = m->n_stack;
        int r;

        r = push(m, (int64_t) pc, 0, pos);
        if (r < 0)
                return r;
        while (m->n_stack > base) {
                Bt bt = m->stack[--m->n_stack];

                if (bt.pc < 0) {
                        m->regs[bt.reg] = bt.pos;
                        continue;
                }
                pc = (size_t) bt.pc;
                pos = bt.pos;
                for (;;) {
                        if (*m->budget == 0)
                                return -E2BIG;
                        (*m->budget)--;
                        r = step(m, &pc, &pos);
                        if (r < 0)
                                return r;
                        if (r == 2) {
                                m->n_stack = base;
                                return 1;
                        }
                        if (r == 0)
                                break;
                }
        }
        return 0;
}

int regex_search(const Regex *re, const char *s, size_t len, uint64_t *budget) {
        _cleanup_free_ uint32_t *in = NULL;
        _cleanup_free_ size_t *regs = NULL;
        Matcher m = { .re = re, .budget = budget };
        bool anchored = re->n_code > 0 && re->code[0].op == OP_BOL;
        int r = 0;

        r = decode_all(s, len, &in, &m.n);
        if (r < 0)
                return r;
        regs = calloc(re->n_regs + 1, sizeof(size_t));
        if (!regs)
                return -ENOMEM;
        m.in = in;
        m.regs = regs;
        for (size_t start = 0; start <= m.n; start++) {
                r = run(&m, 0, start);
                if (r != 0 || anchored)
                        break;
        }
        free(m.stack);
        return r;
}
