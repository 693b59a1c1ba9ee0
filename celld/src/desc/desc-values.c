/* SPDX-License-Identifier: GPL-2.0-only */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdio.h>
#include <string.h>

#include "desc-values.h"
#include "macro.h"

static int fail(const char **ret_why, const char *why, int r) {
        if (ret_why)
                *ret_why = why;
        return r;
}

static int digit_value(char c, unsigned base) {
        int v;

        if (c >= '0' && c <= '9')
                v = c - '0';
        else if (base == 16 && c >= 'a' && c <= 'f')
                v = c - 'a' + 10;
        else if (base == 16 && c >= 'A' && c <= 'F')
                v = c - 'A' + 10;
        else
                return -1;
        return v < (int) base ? v : -1;
}

/* Parses digits with '_' separators at *p; advances *p past them. */
static int parse_digits(const char **p, unsigned base, uint64_t *ret, const char **ret_why) {
        const char *s = *p;
        uint64_t v = 0;
        bool any = false, prev_sep = false;

        for (;; s++) {
                int d;

                if (*s == '_') {
                        if (!any || prev_sep)
                                return fail(ret_why, "'_' must stand between digits", -EINVAL);
                        prev_sep = true;
                        continue;
                }
                d = digit_value(*s, base);
                if (d < 0)
                        break;
                if (v > (UINT64_MAX - (uint64_t) d) / base)
                        return fail(ret_why, "number too large for 64 bits", -ERANGE);
                v = v * base + (uint64_t) d;
                any = true;
                prev_sep = false;
        }
        if (!any)
                return fail(ret_why, "expected a number", -EINVAL);
        if (prev_sep)
                return fail(ret_why, "'_' must stand between digits", -EINVAL);
        *p = s;
        *ret = v;
        return 0;
}

static int parse_number(const char **p, uint64_t *ret, const char **ret_why) {
        if ((*p)[0] == '0' && ((*p)[1] == 'x' || (*p)[1] == 'X')) {
                *p += 2;
                return parse_digits(p, 16, ret, ret_why);
        }
        return parse_digits(p, 10, ret, ret_why);
}

int value_parse_u64(const char *s, uint64_t *ret, const char **ret_why) {
        uint64_t v;
        int r;

        r = parse_number(&s, &v, ret_why);
        if (r < 0)
                return r;
        if (*s)
                return fail(ret_why, "unexpected characters after the number", -EINVAL);
        *ret = v;
        return 0;
}

static const struct {
        const char *suffix;
        unsigned shift;
} size_units[] = {
        { "K", 10 }, { "KiB", 10 }, { "M", 20 }, { "MiB", 20 },
        { "G", 30 }, { "GiB", 30 }, { "T", 40 }, { "TiB", 40 },
};

int value_parse_size(const char *s, uint64_t *ret, const char **ret_why) {
        uint64_t v;
        int r;

        r = parse_number(&s, &v, ret_why);
        if (r < 0)
                return r;
        while (*s == ' ')
                s++;
        if (!*s) {
                *ret = v;
                return 0;
        }
        for (size_t i = 0; i < ELEMENTSOF(size_units); i++) {
                if (!streq(s, size_units[i].suffix))
                        continue;
                if (v > (UINT64_MAX >> size_units[i].shift))
                        return fail(ret_why, "size too large for 64 bits", -ERANGE);
                *ret = v << size_units[i].shift;
                return 0;
        }
        return fail(ret_why, "unknown unit: use K, M, G, T (or KiB, MiB, GiB, TiB)", -EINVAL);
}

int value_parse_duration_ms(const char *s, uint64_t *ret_ms, const char **ret_why) {
        static const struct {
                const char *unit;
                uint64_t ms;
        } units[] = { { "ms", 1 }, { "s", 1000 }, { "min", 60000 } };
        uint64_t v;
        int r;

        r = parse_digits(&s, 10, &v, ret_why);
        if (r < 0)
                return r;
        while (*s == ' ')
                s++;
        for (size_t i = 0; i < ELEMENTSOF(units); i++) {
                if (!streq(s, units[i].unit))
                        continue;
                if (v > UINT64_MAX / units[i].ms)
                        return fail(ret_why, "duration too long", -ERANGE);
                *ret_ms = v * units[i].ms;
                return 0;
        }
        return fail(ret_why, *s ? "unknown unit: use ms, s or min" : "missing unit: use ms, s or min", -EINVAL);
}

static int parse_cpu(const char **p, uint64_t *ret, const char **ret_why) {
        int r;

        if (!isdigit((unsigned char) **p))
                return fail(ret_why, "expected a CPU number", -EINVAL);
        r = parse_digits(p, 10, ret, ret_why);
        if (r < 0)
                return r;
        if (*ret > 63)
                return fail(ret_why, "CPU number out of range (0-63)", -ERANGE);
        return 0;
}

int value_parse_cpu_list(const char *s, uint64_t *ret_mask, const char **ret_why) {
        uint64_t mask = 0;

        for (;;) {
                uint64_t a, b;
                int r;

                r = parse_cpu(&s, &a, ret_why);
                if (r < 0)
                        return r;
                b = a;
                if (*s == '-') {
                        s++;
                        r = parse_cpu(&s, &b, ret_why);
                        if (r < 0)
                                return r;
                        if (b < a)
                                return fail(ret_why, "range ends before it starts", -EINVAL);
                }
                for (uint64_t c = a; c <= b; c++) {
                        if (mask & (1ULL << c))
                                return fail(ret_why, "CPU listed twice", -EINVAL);
                        mask |= 1ULL << c;
                }
                if (!*s)
                        break;
                if (*s != ',')
                        return fail(ret_why, "expected ',' or '-' between CPU numbers", -EINVAL);
                s++;
        }
        *ret_mask = mask;
        return 0;
}

int value_parse_range(const char *s, uint64_t *ret_first, uint64_t *ret_last, const char **ret_why) {
        uint64_t a, b;
        int r;

        r = parse_digits(&s, 10, &a, ret_why);
        if (r < 0)
                return r;
        b = a;
        if (*s == '-') {
                s++;
                r = parse_digits(&s, 10, &b, ret_why);
                if (r < 0)
                        return r;
        }
        if (*s)
                return fail(ret_why, "expected a number or a range A-B", -EINVAL);
        if (b < a)
                return fail(ret_why, "range ends before it starts", -EINVAL);
        *ret_first = a;
        *ret_last = b;
        return 0;
}

void value_format_cpu_list(uint64_t mask, char *buf, size_t size) {
        size_t n = 0;

        if (size == 0)
                return;
        buf[0] = '\0';
        for (unsigned c = 0; c < 64; c++) {
                unsigned e = c;
                int k;

                if (!(mask & (1ULL << c)))
                        continue;
                while (e + 1 < 64 && (mask & (1ULL << (e + 1))))
                        e++;
                k = e == c ? snprintf(buf + n, size - n, "%s%u", n ? "," : "", c)
                           : snprintf(buf + n, size - n, "%s%u-%u", n ? "," : "", c, e);
                if (k < 0 || (size_t) k >= size - n)
                        return;
                n += (size_t) k;
                c = e;
        }
}

void value_format_size(uint64_t bytes, char *buf, size_t size) {
        static const char units[] = "TGMK";

        for (unsigned i = 0; i < 4; i++) {
                unsigned shift = 40 - 10 * i;

                if (bytes && (bytes & ((1ULL << shift) - 1)) == 0) {
                        snprintf(buf, size, "%" PRIu64 "%c", bytes >> shift, units[i]);
                        return;
                }
        }
        snprintf(buf, size, "%" PRIu64, bytes);
}
