/* SPDX-License-Identifier: GPL-2.0-only */
#include "utf8.h"

size_t utf8_decode(const char *p, size_t n, uint32_t *ret_cp) {
        const unsigned char *s = (const unsigned char *) p;
        uint32_t cp, min;
        size_t len;

        if (n == 0)
                return 0;

        if (s[0] < 0x80) {
                *ret_cp = s[0];
                return 1;
        } else if ((s[0] & 0xe0) == 0xc0) {
                len = 2;
                cp = s[0] & 0x1f;
                min = 0x80;
        } else if ((s[0] & 0xf0) == 0xe0) {
                len = 3;
                cp = s[0] & 0x0f;
                min = 0x800;
        } else if ((s[0] & 0xf8) == 0xf0) {
                len = 4;
                cp = s[0] & 0x07;
                min = 0x10000;
        } else
                return 0;

        if (n < len)
                return 0;
        for (size_t i = 1; i < len; i++) {
                if ((s[i] & 0xc0) != 0x80)
                        return 0;
                cp = (cp << 6) | (s[i] & 0x3f);
        }

        if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
                return 0;

        *ret_cp = cp;
        return len;
}

size_t utf8_decode_lenient(const char *p, size_t n, uint32_t *ret_cp) {
        size_t k = utf8_decode(p, n, ret_cp);

        if (k > 0)
                return k;
        *ret_cp = (unsigned char) p[0];
        return 1;
}
