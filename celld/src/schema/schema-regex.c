/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * ECMA-262 regular expressions with the "u" flag, for JSON Schema's "pattern",
 * run by PCRE2 (libpcre2-8).
 *
 * PCRE2's options (see COMPILE_OPTIONS) give most of ECMA-262. What no option
 * of PCRE2 10.42 (Debian 12) gives, one lexical pass over the pattern does
 * before pcre2_compile(). It knows only escapes, classes and group openers:
 *  - it refuses the escapes and group forms that ECMA-262 forbids with the "u"
 *    flag but PCRE2 gives a meaning of its own: \a \e \z \A \Q \K \h \R \o \g
 *    ..., (?i) (?> (?| (?# (?P<, (*VERB);
 *  - it spells in PCRE2's terms what PCRE2 reads differently:
 *      \s \S   ECMA-262 white space and line terminators, Unicode included
 *              (PCRE2 without PCRE2_UCP knows ASCII only, and PCRE2_UCP would
 *              make \d \w \b Unicode as well, which ECMA-262 keeps ASCII);
 *      \v      U+000B only, not PCRE2's vertical white space class;
 *      .       anything but \n \r U+2028 U+2029, whatever the newline option;
 *      \uD83D\uDC32  a surrogate pair is one code point;
 *      \1 \12  always a backreference (\g{N}), never an octal escape;
 *      \0      NUL, and \0 followed by a digit is refused;
 *      [ in a class  a member, not the start of a POSIX class [:alpha:];
 *      \p{Letter} \p{gc=Lu}  General_Category by the short names PCRE2 knows.
 * Every byte it writes remembers the pattern offset it came from, so PCRE2's
 * error offsets point into what the schema says.
 *
 * The validation's work budget is spent by automatic callouts: PCRE2 calls
 * count_step() before each pattern item it tries, backtracking included.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define PCRE2_CODE_UNIT_WIDTH 8
#include <pcre2.h>

#include "macro.h"
#include "schema-regex.h"
#include "utf8.h"

/*
 * pcre2_compile() options, each for a rule of ECMA-262:
 *   PCRE2_UTF                  the "u" flag: pattern and subject are code points, in UTF-8.
 *   PCRE2_MATCH_INVALID_UTF    a subject with a byte that is not UTF-8 is still searched; the bad
 *                              bytes match nothing (rather than the search failing with an error).
 *   PCRE2_DOLLAR_ENDONLY       "$" is the end of the string, not also before a final "\n".
 *   PCRE2_ALLOW_EMPTY_CLASS    "[]" matches nothing and "[^]" any code point; by default PCRE2 takes
 *                              the "]" for a member and reads on.
 *   PCRE2_MATCH_UNSET_BACKREF  a backreference to a group that did not take part matches the empty
 *                              string, as in ECMA-262; by default PCRE2 fails there.
 *   PCRE2_ALT_BSUX             \uHHHH is a code point and \xHH needs exactly two digits (the extra
 *                              option PCRE2_EXTRA_ALT_BSUX below implies it; named for the reader).
 *   PCRE2_NEVER_UCP            a leading (*UCP) cannot turn \d \w \b into Unicode classes (the
 *                              lexical pass refuses "(*" anyway).
 *   PCRE2_NEVER_BACKSLASH_C    \C, one code unit, could match half a character (also refused above).
 *   PCRE2_AUTO_CALLOUT         not for ECMA-262: a callout before each item counts the work budget.
 * Left out on purpose: PCRE2_UCP (see above), PCRE2_MULTILINE and PCRE2_DOTALL (JSON Schema has no
 * flags), PCRE2_CASELESS, PCRE2_EXTENDED, and the newline options: "." is spelled out by the
 * lexical pass and "^" "$" never look at newlines without PCRE2_MULTILINE.
 */
#define COMPILE_OPTIONS                                                                                 \
        (PCRE2_UTF | PCRE2_MATCH_INVALID_UTF | PCRE2_DOLLAR_ENDONLY | PCRE2_ALLOW_EMPTY_CLASS |         \
         PCRE2_MATCH_UNSET_BACKREF | PCRE2_ALT_BSUX | PCRE2_NEVER_UCP | PCRE2_NEVER_BACKSLASH_C |       \
         PCRE2_AUTO_CALLOUT)
/*
 * PCRE2_EXTRA_ALT_BSUX: \u{H...} (ECMAScript 6) as well as \uHHHH. Left out:
 * PCRE2_EXTRA_BAD_ESCAPE_IS_LITERAL (ECMA-262 with "u" refuses unknown escapes).
 */
#define COMPILE_EXTRA_OPTIONS PCRE2_EXTRA_ALT_BSUX

#define REGEX_HEAP_KIB 16384u           /* PCRE2's backtracking memory for one search */

/* ECMA-262 WhiteSpace and LineTerminator (Unicode 15: Zs, TAB, VT, FF, ZWNBSP, LF, CR, LS, PS). */
#define WHITE_SPACE "\\x09-\\x0d\\x20\\xa0\\u1680\\u2000-\\u200a\\u2028\\u2029\\u202f\\u205f\\u3000\\ufeff"
/* Everything else, for \S inside a class, where PCRE2 cannot nest a negated set. */
#define NOT_WHITE_SPACE                                                                                 \
        "\\x00-\\x08\\x0e-\\x1f\\x21-\\x9f\\xa1-\\u167f\\u1681-\\u1fff\\u200b-\\u2027\\u202a-\\u202e"   \
        "\\u2030-\\u205e\\u2060-\\u2fff\\u3001-\\ufefe\\uff00-\\u{10ffff}"
#define DOT "[^\\n\\r\\u2028\\u2029]"
/* What an identity escape may name with the "u" flag: the syntax characters and "/". */
#define SYNTAX_CHARACTERS "^$\\.*+?()[]{}|/"

struct Regex {
        pcre2_code *code;
};

DEFINE_TRIVIAL_CLEANUP_FUNC(pcre2_compile_context *, pcre2_compile_context_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(pcre2_match_context *, pcre2_match_context_free);
DEFINE_TRIVIAL_CLEANUP_FUNC(pcre2_match_data *, pcre2_match_data_free);

/* The pattern in PCRE2's terms; from[k] is the offset in the ECMA-262 pattern that out[k] came from. */
typedef struct Lexer {
        const char *p;
        size_t len, i;
        bool in_class;
        char *out;
        size_t *from;
        size_t n, allocated;
        char *error;
} Lexer;

static int emit(Lexer *x, const char *s, size_t n, size_t from) {
        if (x->n + n > x->allocated) {
                size_t a = 2 * (x->n + n) + 64;
                char *out = realloc(x->out, a);
                size_t *f;

                if (!out)
                        return -ENOMEM;
                x->out = out;
                f = realloc(x->from, a * sizeof(size_t));
                if (!f)
                        return -ENOMEM;
                x->from = f;
                x->allocated = a;
        }
        memcpy(x->out + x->n, s, n);
        for (size_t k = 0; k < n; k++)
                x->from[x->n + k] = from;
        x->n += n;
        return 0;
}

/* Copies @n bytes of the pattern as they are. */
static int copy(Lexer *x, size_t n) {
        int r = emit(x, x->p + x->i, n, x->i);

        x->i += n;
        return r;
}

/* Where @at is, in words: "at character 3" (counting code points from 1) or "at the end". */
static char *where(const char *p, size_t len, size_t at) {
        size_t chars = 1;
        char *s;

        if (at >= len)
                return strdup("at the end of the pattern");
        for (size_t k = 0; k < at; chars++) {
                uint32_t cp;

                k += utf8_decode_lenient(p + k, len - k, &cp);
        }
        if (asprintf(&s, "at character %zu", chars) < 0)
                return NULL;
        return s;
}

static char *explain(const char *p, size_t len, size_t at, const char *what) {
        _cleanup_free_ char *w = where(p, len, at);
        char *s;

        if (!w || asprintf(&s, "%s, %s", what, w) < 0)
                return NULL;
        return s;
}

_printf_(3, 4)
static int refuse(Lexer *x, size_t at, const char *format, ...) {
        _cleanup_free_ char *what = NULL;
        va_list ap;
        int r;

        va_start(ap, format);
        r = vasprintf(&what, format, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        x->error = explain(x->p, x->len, at, what);
        return x->error ? -EINVAL : -ENOMEM;
}

static int hex_digit(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if (c >= 'a' && c <= 'f')
                return c - 'a' + 10;
        if (c >= 'A' && c <= 'F')
                return c - 'A' + 10;
        return -1;
}

/* Exactly four hexadecimal digits at @k: their value, or -1. */
static int32_t hex4(const Lexer *x, size_t k) {
        int32_t v = 0;

        if (k + 4 > x->len)
                return -1;
        for (size_t j = k; j < k + 4; j++) {
                int d = hex_digit(x->p[j]);

                if (d < 0)
                        return -1;
                v = v * 16 + d;
        }
        return v;
}

/* \u: \uHHHH, \u{H...}, and \uHHHH\uHHHH for a surrogate pair, which is one code point. */
static int lex_unicode_escape(Lexer *x) {
        size_t at = x->i;
        int32_t hi, lo;

        if (at + 2 < x->len && x->p[at + 2] == '{') {
                size_t end = at + 3;
                uint32_t v = 0;

                for (; end < x->len && hex_digit(x->p[end]) >= 0 && v <= 0x10FFFF; end++)
                        v = v * 16 + hex_digit(x->p[end]);
                if (end == at + 3 || end >= x->len || x->p[end] != '}' || v > 0x10FFFF)
                        return refuse(x, at, "'\\u{' must be followed by a code point in hexadecimal and '}'");
                return copy(x, end + 1 - at);
        }
        hi = hex4(x, at + 2);
        if (hi < 0)
                return refuse(x, at, "'\\u' must be followed by four hexadecimal digits or '{'");
        lo = at + 7 < x->len && x->p[at + 6] == '\\' && x->p[at + 7] == 'u' ? hex4(x, at + 8) : -1;
        if (hi >= 0xD800 && hi <= 0xDBFF && lo >= 0xDC00 && lo <= 0xDFFF) {
                char s[16];
                int n = snprintf(s, sizeof(s), "\\u{%x}", 0x10000 + ((hi - 0xD800) << 10) + (lo - 0xDC00));

                x->i += 12;
                return emit(x, s, n, at);
        }
        return copy(x, 6);
}

/*
 * ECMA-262's names of General_Category values (Unicode's PropertyValueAliases.txt), which
 * PCRE2 10.42 knows only by their short names.
 */
static const struct {
        const char *name, *pcre2;
} general_categories[] = {
        { "Other", "C" }, { "Control", "Cc" }, { "cntrl", "Cc" }, { "Format", "Cf" },
        { "Unassigned", "Cn" }, { "Private_Use", "Co" }, { "Surrogate", "Cs" },
        { "Letter", "L" }, { "Cased_Letter", "L&" }, { "LC", "L&" }, { "Lowercase_Letter", "Ll" },
        { "Modifier_Letter", "Lm" }, { "Other_Letter", "Lo" }, { "Titlecase_Letter", "Lt" },
        { "Uppercase_Letter", "Lu" }, { "Mark", "M" }, { "Combining_Mark", "M" }, { "Spacing_Mark", "Mc" },
        { "Enclosing_Mark", "Me" }, { "Nonspacing_Mark", "Mn" }, { "Number", "N" },
        { "Decimal_Number", "Nd" }, { "digit", "Nd" }, { "Letter_Number", "Nl" }, { "Other_Number", "No" },
        { "Punctuation", "P" }, { "punct", "P" }, { "Connector_Punctuation", "Pc" },
        { "Dash_Punctuation", "Pd" }, { "Close_Punctuation", "Pe" }, { "Final_Punctuation", "Pf" },
        { "Initial_Punctuation", "Pi" }, { "Other_Punctuation", "Po" }, { "Open_Punctuation", "Ps" },
        { "Symbol", "S" }, { "Currency_Symbol", "Sc" }, { "Modifier_Symbol", "Sk" }, { "Math_Symbol", "Sm" },
        { "Other_Symbol", "So" }, { "Separator", "Z" }, { "Line_Separator", "Zl" },
        { "Paragraph_Separator", "Zp" }, { "Space_Separator", "Zs" },
};

/* \p{...} or \P{...}, x->i at the backslash, @end at the "}": General_Category names made short. */
static int lex_property(Lexer *x, size_t end) {
        const char *name = x->p + x->i + 3;
        size_t n = end - x->i - 3, at = x->i;
        char s[64];
        int r;

        if (n > 17 && strncmp(name, "General_Category=", 17) == 0)
                name += 17, n -= 17;
        else if (n > 3 && strncmp(name, "gc=", 3) == 0)
                name += 3, n -= 3;
        for (size_t k = 0; k < ELEMENTSOF(general_categories); k++)
                if (strlen(general_categories[k].name) == n && strncmp(general_categories[k].name, name, n) == 0) {
                        r = snprintf(s, sizeof(s), "\\%c{%s}", x->p[at + 1], general_categories[k].pcre2);
                        x->i = end + 1;
                        return emit(x, s, r, at);
                }
        return copy(x, end + 1 - at);
}

/* One escape, x->i at the backslash. */
static int lex_escape(Lexer *x) {
        size_t at = x->i, end;
        char e;

        if (at + 1 >= x->len)
                return refuse(x, at, "'\\' at the end of the pattern");
        e = x->p[at + 1];
        switch (e) {
        case 'd': case 'D': case 'w': case 'W': case 'b': case 'B':
        case 'f': case 'n': case 'r': case 't':
                return copy(x, 2);
        case 's':
                x->i += 2;
                return x->in_class ? emit(x, WHITE_SPACE, strlen(WHITE_SPACE), at) :
                                     emit(x, "[" WHITE_SPACE "]", strlen("[" WHITE_SPACE "]"), at);
        case 'S':
                x->i += 2;
                return x->in_class ? emit(x, NOT_WHITE_SPACE, strlen(NOT_WHITE_SPACE), at) :
                                     emit(x, "[^" WHITE_SPACE "]", strlen("[^" WHITE_SPACE "]"), at);
        case 'v':
                x->i += 2;
                return emit(x, "\\x0b", 4, at);
        case 'c':
                if (at + 2 >= x->len || !((x->p[at + 2] >= 'a' && x->p[at + 2] <= 'z') ||
                                          (x->p[at + 2] >= 'A' && x->p[at + 2] <= 'Z')))
                        return refuse(x, at, "'\\c' must be followed by a letter");
                return copy(x, 3);
        case 'x':
                if (at + 3 >= x->len || hex_digit(x->p[at + 2]) < 0 || hex_digit(x->p[at + 3]) < 0)
                        return refuse(x, at, "'\\x' must be followed by two hexadecimal digits");
                return copy(x, 4);
        case 'u':
                return lex_unicode_escape(x);
        case 'p': case 'P':
                end = at + 2;
                if (end < x->len && x->p[end] == '{')
                        while (end < x->len && x->p[end] != '}')
                                end++;
                if (end >= x->len || x->p[at + 2] != '{')
                        return refuse(x, at, "'\\%c' must be followed by a property in braces, e.g. \\%c{Letter}", e, e);
                return lex_property(x, end);
        case 'k':
                if (x->in_class || at + 2 >= x->len || x->p[at + 2] != '<')
                        return refuse(x, at, "'\\k' must be followed by a group name in <>, outside classes");
                return copy(x, 2);
        case '0':
                if (at + 2 < x->len && x->p[at + 2] >= '0' && x->p[at + 2] <= '9')
                        return refuse(x, at, "'\\0' must not be followed by a digit");
                x->i += 2;
                return emit(x, "\\x00", 4, at);
        case '1' ... '9': {
                char s[32];
                int n;

                if (x->in_class)
                        return refuse(x, at, "a backreference cannot be part of a class");
                for (end = at + 1; end < x->len && x->p[end] >= '0' && x->p[end] <= '9' && end - at < 8; end++)
                        ;
                n = snprintf(s, sizeof(s), "\\g{%.*s}", (int) (end - at - 1), x->p + at + 1);
                x->i = end;
                return emit(x, s, n, at);
        }
        default:
                if ((e != '\0' && strchr(SYNTAX_CHARACTERS, e)) || (x->in_class && e == '-'))
                        return copy(x, 2);
                uint32_t cp;
                size_t n = utf8_decode_lenient(x->p + at + 1, x->len - at - 1, &cp);

                return refuse(x, at, "'\\%.*s' is not an escape ECMA-262 knows", (int) n, x->p + at + 1);
        }
}

/* The pattern in PCRE2's terms (see the top of the file), or -EINVAL with x->error set. */
static int lex(Lexer *x) {
        int r = 0;

        while (r >= 0 && x->i < x->len) {
                char c = x->p[x->i];

                if (c == '\\')
                        r = lex_escape(x);
                else if (x->in_class) {
                        if (c == ']')
                                x->in_class = false;
                        if (c == '[') {
                                r = emit(x, "\\[", 2, x->i);
                                x->i++;
                        } else
                                r = copy(x, 1);
                } else if (c == '[') {
                        size_t n = 1;

                        /* "[]" and "[^]": the first "]" ends the class (PCRE2_ALLOW_EMPTY_CLASS agrees). */
                        if (x->i + n < x->len && x->p[x->i + n] == '^')
                                n++;
                        if (x->i + n < x->len && x->p[x->i + n] == ']')
                                n++;
                        else
                                x->in_class = true;
                        r = copy(x, n);
                } else if (c == '.') {
                        r = emit(x, DOT, strlen(DOT), x->i);
                        x->i++;
                } else if (c == '(' && x->i + 1 < x->len && x->p[x->i + 1] == '*')
                        r = refuse(x, x->i + 1, "'*' has nothing to repeat");
                else if (c == '(' && x->i + 1 < x->len && x->p[x->i + 1] == '?' &&
                         (x->i + 2 >= x->len || !x->p[x->i + 2] || !strchr(":=!<", x->p[x->i + 2])))
                        r = refuse(x, x->i, "'(?' must be followed by ':', '=', '!', '<=', '<!' or '<name>'");
                else
                        r = copy(x, 1);
        }
        return r;
}

/* PCRE2's limits, not ECMA-262's rules: the pattern is valid, but cannot run here. */
static bool error_is_limit(int code) {
        return IN_SET(code, PCRE2_ERROR_QUANTIFIER_TOO_BIG, PCRE2_ERROR_PARENTHESES_NEST_TOO_DEEP,
                      PCRE2_ERROR_PATTERN_TOO_LARGE, PCRE2_ERROR_LOOKBEHIND_NOT_FIXED_LENGTH,
                      PCRE2_ERROR_LOOKBEHIND_TOO_COMPLICATED, PCRE2_ERROR_LOOKBEHIND_TOO_LONG,
                      PCRE2_ERROR_PATTERN_TOO_COMPLICATED, PCRE2_ERROR_TOO_MANY_CAPTURES,
                      PCRE2_ERROR_TOO_MANY_NAMED_SUBPATTERNS, PCRE2_ERROR_UNKNOWN_UNICODE_PROPERTY);
}

int regex_compile(const char *pattern, size_t len, Regex **ret, char **ret_error) {
        _cleanup_(pcre2_compile_context_freep) pcre2_compile_context *cctx = NULL;
        _cleanup_free_ size_t *from = NULL;
        _cleanup_free_ char *out = NULL;
        _cleanup_free_ Regex *re = NULL;
        Lexer x = { .p = pattern, .len = len };
        PCRE2_UCHAR message[256];
        PCRE2_SIZE offset;
        int r, code;

        r = lex(&x);
        out = x.out;
        from = x.from;
        if (r < 0) {
                *ret_error = x.error;
                return r;
        }
        re = calloc(1, sizeof(Regex));
        cctx = pcre2_compile_context_create(NULL);
        if (!re || !cctx)
                return -ENOMEM;
        if (pcre2_set_compile_extra_options(cctx, COMPILE_EXTRA_OPTIONS) < 0)
                return -EINVAL;
        re->code = pcre2_compile((PCRE2_SPTR) strempty(out), x.n, COMPILE_OPTIONS, &code, &offset, cctx);
        if (!re->code) {
                if (code == PCRE2_ERROR_HEAP_FAILED)
                        return -ENOMEM;
                if (pcre2_get_error_message(code, message, sizeof(message)) < 0)
                        snprintf((char *) message, sizeof(message), "PCRE2 error %d", code);
                *ret_error = explain(pattern, len, offset < x.n ? from[offset] : len, (const char *) message);
                if (!*ret_error)
                        return -ENOMEM;
                return error_is_limit(code) ? -EOPNOTSUPP : -EINVAL;
        }
        *ret = TAKE_PTR(re);
        return 0;
}

Regex *regex_free(Regex *re) {
        if (re) {
                pcre2_code_free(re->code);
                free(re);
        }
        return NULL;
}

/* Called by PCRE2 before each pattern item it tries (PCRE2_AUTO_CALLOUT). */
static int count_step(pcre2_callout_block *block, void *userdata) {
        uint64_t *budget = userdata;

        if (*budget == 0)
                return PCRE2_ERROR_CALLOUT;
        (*budget)--;
        return 0;
}

int regex_search(const Regex *re, const char *s, size_t len, uint64_t *budget) {
        _cleanup_(pcre2_match_context_freep) pcre2_match_context *mctx = NULL;
        _cleanup_(pcre2_match_data_freep) pcre2_match_data *md = NULL;
        int r;

        mctx = pcre2_match_context_create(NULL);
        md = pcre2_match_data_create(1, NULL);
        if (!mctx || !md)
                return -ENOMEM;
        pcre2_set_callout(mctx, count_step, budget);
        /* A second bound, should an optimisation skip callouts: PCRE2's own count of backtracks. */
        pcre2_set_match_limit(mctx, *budget < UINT32_MAX ? (uint32_t) *budget : UINT32_MAX);
        pcre2_set_heap_limit(mctx, REGEX_HEAP_KIB);

        r = pcre2_match(re->code, (PCRE2_SPTR) (s ?: ""), len, 0, 0, md, mctx);
        if (r >= 0)
                return 1;
        switch (r) {
        case PCRE2_ERROR_NOMATCH:
                return 0;
        case PCRE2_ERROR_CALLOUT:
        case PCRE2_ERROR_MATCHLIMIT:
        case PCRE2_ERROR_DEPTHLIMIT:
        case PCRE2_ERROR_HEAPLIMIT:
                *budget = 0;
                return -E2BIG;
        case PCRE2_ERROR_NOMEMORY:
                return -ENOMEM;
        default:
                return -EIO;
        }
}
