/* SPDX-License-Identifier: GPL-2.0-only */
/* A cell's console as journal lines (see console-lines.h). */
#include <stdbool.h>
#include <string.h>

#include "console-lines.h"
#include "utf8.h"

static const char replacement[] = "\xef\xbf\xbd";        /* U+FFFD */

static void put(ConsoleLines *cl, const char *s, size_t n) {
        memcpy(cl->buf + cl->len, s, n);
        cl->len += n;
        cl->chars++;
}

static void emit_line(ConsoleLines *cl, console_line_t emit, void *userdata) {
        cl->buf[cl->len] = '\0';
        emit(cl->buf, userdata);
        cl->len = 0;
        cl->chars = 0;
}

/* An escape sequence longer than this is not one: the text resumes after it. */
#define ESC_MAX 64

/*
 * Whether the byte or sequence @p belongs to a terminal escape sequence, which is dropped.
 * A newline always ends one, so that a broken sequence cannot swallow lines.
 */
static bool in_escape(ConsoleLines *cl, const uint8_t *p, size_t n) {
        uint8_t b = p[0];

        if (cl->esc == CONSOLE_TEXT) {
                if (n != 1 || b != 0x1b)
                        return false;
                cl->esc = CONSOLE_ESC;
                cl->esc_len = 1;
                return true;
        }
        if ((n == 1 && b == '\n') || ++cl->esc_len > ESC_MAX) {
                cl->esc = CONSOLE_TEXT;
                return false;
        }
        if (n != 1)
                return true;    /* UTF-8 inside a string */
        switch (cl->esc) {
        case CONSOLE_ESC:
                cl->esc = b == '[' ? CONSOLE_CSI : b == ']' ? CONSOLE_OSC :
                          b >= 0x20 && b <= 0x2f ? CONSOLE_ESC : CONSOLE_TEXT;
                break;
        case CONSOLE_CSI:
                if (b >= 0x40 && b <= 0x7e)
                        cl->esc = CONSOLE_TEXT;
                break;
        case CONSOLE_OSC:
                if (b == 0x07)
                        cl->esc = CONSOLE_TEXT;
                else if (b == 0x1b)
                        cl->esc = CONSOLE_OSC_ESC;
                break;
        case CONSOLE_OSC_ESC:
                cl->esc = b == '\\' ? CONSOLE_TEXT : CONSOLE_OSC;
                break;
        default:
                cl->esc = CONSOLE_TEXT;
        }
        return true;
}

/* One complete sequence or byte of the input. */
static void take(ConsoleLines *cl, const uint8_t *p, size_t n, console_line_t emit, void *userdata) {
        if (in_escape(cl, p, n))
                return;
        if (n == 1 && p[0] == '\n') {
                emit_line(cl, emit, userdata);
                return;
        }
        if (n == 1 && p[0] == '\r')
                return;
        if (n == 1 && (p[0] < 0x20 || p[0] == 0x7f) && p[0] != '\t')
                put(cl, replacement, 3);
        else if (n > 1 || p[0] < 0x80)
                put(cl, (const char *) p, n);   /* valid UTF-8 */
        else
                put(cl, replacement, 3);        /* an invalid byte */
        if (cl->chars >= CONSOLE_LINE_MAX)
                emit_line(cl, emit, userdata);
}

void console_lines_feed(ConsoleLines *cl, const void *data, size_t size, console_line_t emit, void *userdata) {
        const uint8_t *p = data;
        size_t i = 0;

        while (i < size) {
                uint8_t seq[4];
                size_t have, n, want;
                uint32_t cp;

                /* An incomplete sequence from the last piece first. */
                have = cl->n_pending;
                memcpy(seq, cl->pending, have);
                want = 4 - have;
                if (want > size - i)
                        want = size - i;
                memcpy(seq + have, p + i, want);

                n = utf8_decode((const char *) seq, have + want, &cp);
                if (n == 0 && seq[0] >= 0xc2 && seq[0] <= 0xf4 && have + want < 4 && i + want == size) {
                        /* Could still complete with the next piece: keep it. */
                        size_t need = seq[0] >= 0xf0 ? 4 : seq[0] >= 0xe0 ? 3 : 2;

                        if (have + want < need) {
                                bool ok = true;

                                for (size_t k = 1; k < have + want; k++)
                                        ok = ok && (seq[k] & 0xc0) == 0x80;
                                if (ok) {
                                        memcpy(cl->pending, seq, have + want);
                                        cl->n_pending = have + want;
                                        return;
                                }
                        }
                }
                if (n == 0)
                        n = 1;          /* an invalid byte: replaced */
                if (n <= have) {
                        /* Only pending bytes were used: drop them, the input is not touched. */
                        take(cl, seq, n, emit, userdata);
                        memmove(cl->pending, cl->pending + n, have - n);
                        cl->n_pending = have - n;
                        continue;
                }
                take(cl, seq, n, emit, userdata);
                cl->n_pending = 0;
                i += n - have;
        }
}

void console_lines_flush(ConsoleLines *cl, console_line_t emit, void *userdata) {
        for (size_t k = 0; k < cl->n_pending; k++)
                put(cl, replacement, 3);
        cl->n_pending = 0;
        cl->esc = CONSOLE_TEXT;         /* an unfinished sequence must not eat the next output */
        if (cl->len > 0)
                emit_line(cl, emit, userdata);
}
