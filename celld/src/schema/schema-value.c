/* SPDX-License-Identifier: GPL-2.0-only */
/* JSON values for the schema validator: numbers across int64 and double, equality, hashing, rendering. */
#include <errno.h>
#include <inttypes.h>
#include <math.h>             /* isnan() and friends only: no libm */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema-internal.h"
#include "utf8.h"

#define VALUE_MAX_DEPTH 128

/*
 * The few floating-point helpers needed, without libm. Doubles of magnitude 2^52 and
 * more are integers already.
 */
static double d_abs(double d) {
        return d < 0 ? -d : d;
}

static double d_trunc(double d) {
        return d_abs(d) < 0x1p52 ? (double) (int64_t) d : d;
}

static double d_round(double d) {
        double t = d_trunc(d);

        if (d_abs(d - t) >= 0.5)
                t += d < 0 ? -1 : 1;
        return t;
}

/* Whether @y divides @x exactly: the remainder by long division, each step exact (Sterbenz). */
static bool d_divides(double x, double y) {
        double t;

        x = d_abs(x);
        y = d_abs(y);
        if (!isfinite(x) || !isfinite(y) || y == 0)
                return false;
        for (t = y; t <= x / 2; t *= 2)
                ;
        for (; t >= y; t /= 2)
                if (x >= t)
                        x -= t;
        return x == 0;
}

bool desc_node_num(const DescNode *node, Num *ret) {
        if (node->type == DESC_INTEGER)
                *ret = (Num) { .is_int = true, .i = node->integer, .d = (double) node->integer };
        else if (node->type == DESC_NUMBER)
                *ret = (Num) { .d = node->number };
        else
                return false;
        return true;
}

bool num_is_integral(Num n) {
        return n.is_int || (isfinite(n.d) && n.d == d_trunc(n.d));
}

static int cmp_int_double(int64_t i, double d) {
        double t;
        int64_t ti;

        if (isnan(d))
                return 2;
        if (d >= 9223372036854775808.0)
                return -1;
        if (d < -9223372036854775808.0)
                return 1;
        t = d_trunc(d);
        ti = (int64_t) t;
        if (i != ti)
                return i < ti ? -1 : 1;
        return d > t ? -1 : d < t ? 1 : 0;
}

int num_cmp(Num a, Num b) {
        int r;

        if (a.is_int && b.is_int)
                return a.i < b.i ? -1 : a.i > b.i;
        if (a.is_int)
                return cmp_int_double(a.i, b.d);
        if (b.is_int) {
                r = cmp_int_double(b.i, a.d);
                return r == 2 ? 2 : -r;
        }
        if (isnan(a.d) || isnan(b.d))
                return 2;
        return a.d < b.d ? -1 : a.d > b.d;
}

bool num_multiple_of(Num value, Num divisor) {
        double q;

        if (value.is_int && divisor.is_int)
                return divisor.i == 0 ? false : divisor.i == -1 ? true : value.i % divisor.i == 0;
        if (!isfinite(value.d) || !isfinite(divisor.d) || divisor.d == 0)
                return false;
        if (num_is_integral(divisor))
                /* A multiple of an integer is an integer. */
                return num_is_integral(value) && d_divides(value.d, divisor.d);
        q = value.d / divisor.d;
        if (isinf(q))
                return d_divides(value.d, divisor.d);
        /* The quotient of decimal fractions carries rounding errors of an ulp or two. */
        return d_abs(q - d_round(q)) <= (d_abs(q) * 0x1p-52 > 1e-12 ? d_abs(q) * 0x1p-52 : 1e-12);
}

char *num_to_string(Num n) {
        char *s;

        if (n.is_int)
                return asprintf(&s, "%" PRId64, n.i) < 0 ? NULL : s;
        if (isnan(n.d))
                return strdup("NaN");
        if (isinf(n.d))
                return strdup(n.d > 0 ? "Infinity" : "-Infinity");
        for (int precision = 15; precision <= 17; precision++) {
                if (asprintf(&s, "%.*g", precision, n.d) < 0)
                        return NULL;
                if (precision == 17 || strtod(s, NULL) == n.d)
                        return s;
                free(s);
        }
        return NULL;
}

static bool string_equal(const DescNode *a, const DescNode *b) {
        return a->string.len == b->string.len && memcmp(a->string.str, b->string.str, a->string.len) == 0;
}

static const DescMember *find_member(const DescNode *obj, const char *key) {
        for (size_t k = 0; k < obj->object.n; k++)
                if (streq(obj->object.members[k].key, key))
                        return &obj->object.members[k];
        return NULL;
}

static bool equal_depth(const DescNode *a, const DescNode *b, unsigned depth) {
        Num x, y;

        if (depth > VALUE_MAX_DEPTH)
                return false;
        if (desc_node_num(a, &x) && desc_node_num(b, &y))
                return num_cmp(x, y) == 0;
        if (a->type != b->type)
                return false;
        switch (a->type) {
        case DESC_NULL:
                return true;
        case DESC_BOOL:
                return a->boolean == b->boolean;
        case DESC_STRING:
                return string_equal(a, b);
        case DESC_ARRAY:
                if (a->array.n != b->array.n)
                        return false;
                for (size_t k = 0; k < a->array.n; k++)
                        if (!equal_depth(a->array.items[k], b->array.items[k], depth + 1))
                                return false;
                return true;
        case DESC_OBJECT:
                if (a->object.n != b->object.n)
                        return false;
                for (size_t k = 0; k < a->object.n; k++) {
                        const DescMember *m = find_member(b, a->object.members[k].key);

                        if (!m || !equal_depth(a->object.members[k].value, m->value, depth + 1))
                                return false;
                }
                return true;
        default:
                return false;
        }
}

bool value_equal(const DescNode *a, const DescNode *b) {
        return equal_depth(a, b, 0);
}

static uint64_t mix(uint64_t h, uint64_t v) {
        h ^= v + 0x9E3779B97F4A7C15ULL + (h << 6) + (h >> 2);
        return h * 0xFF51AFD7ED558CCDULL;
}

static uint64_t hash_bytes(const char *s, size_t n) {
        uint64_t h = 1469598103934665603ULL;

        for (size_t k = 0; k < n; k++)
                h = (h ^ (unsigned char) s[k]) * 1099511628211ULL;
        return h;
}

/* Consistent with value_equal(): 1 and 1.0 hash alike, member order does not matter. */
static uint64_t hash_depth(const DescNode *v, unsigned depth) {
        uint64_t h = (uint64_t) v->type, sum = 0;
        Num n;

        if (depth > VALUE_MAX_DEPTH)
                return 0;
        if (desc_node_num(v, &n)) {
                if (num_is_integral(n) && (n.is_int || d_abs(n.d) < 9.2e18))
                        return mix(3, n.is_int ? (uint64_t) n.i : (uint64_t) (int64_t) n.d);
                return mix(4, isnan(n.d) ? 0 : (uint64_t) hash_bytes((const char *) &n.d, sizeof(n.d)));
        }
        switch (v->type) {
        case DESC_BOOL:
                return mix(h, v->boolean);
        case DESC_STRING:
                return mix(h, hash_bytes(v->string.str, v->string.len));
        case DESC_ARRAY:
                for (size_t k = 0; k < v->array.n; k++)
                        h = mix(h, hash_depth(v->array.items[k], depth + 1));
                return h;
        case DESC_OBJECT:
                for (size_t k = 0; k < v->object.n; k++) {
                        const DescMember *m = &v->object.members[k];

                        sum += mix(hash_bytes(m->key, strlen(m->key)), hash_depth(m->value, depth + 1));
                }
                return mix(h, sum);
        default:
                return h;
        }
}

uint64_t value_hash(const DescNode *v) {
        return hash_depth(v, 0);
}

size_t utf8_length(const char *s, size_t len) {
        size_t n = 0;
        uint32_t cp;

        for (size_t i = 0; i < len; n++)
                i += utf8_decode_lenient(s + i, len - i, &cp);
        return n;
}

static void render_string(FILE *f, const char *s, size_t len) {
        fputc('"', f);
        for (size_t k = 0; k < len; k++) {
                unsigned char c = (unsigned char) s[k];

                if (c == '"' || c == '\\')
                        fprintf(f, "\\%c", c);
                else if (c == '\n')
                        fputs("\\n", f);
                else if (c == '\t')
                        fputs("\\t", f);
                else if (c < 0x20 || c == 0x7F)
                        fprintf(f, "\\u%04x", c);
                else
                        fputc(c, f);
        }
        fputc('"', f);
}

static void render(FILE *f, const DescNode *v, bool bare, unsigned depth) {
        _cleanup_free_ char *num = NULL;
        Num n;

        if (depth > 8) {
                fputs("...", f);
                return;
        }
        if (desc_node_num(v, &n)) {
                num = num_to_string(n);
                fputs(strempty(num), f);
                return;
        }
        switch (v->type) {
        case DESC_NULL:
                fputs("null", f);
                break;
        case DESC_BOOL:
                fputs(v->boolean ? "true" : "false", f);
                break;
        case DESC_STRING:
                if (bare && v->string.len == strlen(v->string.str) && v->string.len > 0)
                        fputs(v->string.str, f);
                else
                        render_string(f, v->string.str, v->string.len);
                break;
        case DESC_ARRAY:
                fputc('[', f);
                for (size_t k = 0; k < v->array.n && k < 16; k++) {
                        fputs(k > 0 ? ", " : "", f);
                        render(f, v->array.items[k], false, depth + 1);
                }
                fputs(v->array.n > 16 ? ", ...]" : "]", f);
                break;
        case DESC_OBJECT:
                fputc('{', f);
                for (size_t k = 0; k < v->object.n && k < 16; k++) {
                        const DescMember *m = &v->object.members[k];

                        fputs(k > 0 ? ", " : "", f);
                        render_string(f, m->key, strlen(m->key));
                        fputs(": ", f);
                        render(f, m->value, false, depth + 1);
                }
                fputs(v->object.n > 16 ? ", ...}" : "}", f);
                break;
        default:
                fputs("?", f);
        }
}

char *value_render(const DescNode *v, size_t max, bool bare_strings) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        render(f, v, bare_strings, 0);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        if (size > max && max >= 8) {
                /* Cut at a character boundary. */
                size_t cut = max - 3;

                while (cut > 0 && ((unsigned char) buf[cut] & 0xC0) == 0x80)
                        cut--;
                memcpy(buf + cut, "...", 4);
        }
        return buf;
}
