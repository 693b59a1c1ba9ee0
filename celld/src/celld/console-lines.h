/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A cell's console as journal lines: bytes in, whole lines out. "\r\n" and "\n" end a line
 * ("\r" alone is dropped); a line longer than CONSOLE_LINE_MAX is cut into pieces; a
 * terminal's escape sequences (ECMA-48 CSI and OSC, and two-byte ESC sequences: colours, a
 * shell's cursor queries) are dropped, since the journal is no terminal; other control
 * characters and invalid UTF-8 become U+FFFD, so that journalctl never shows a line as
 * "blob data". What is left of a last line goes out with console_lines_flush().
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#define CONSOLE_LINE_MAX 1024

typedef void (*console_line_t)(const char *line, void *userdata);

typedef enum ConsoleEscState {
        CONSOLE_TEXT,
        CONSOLE_ESC,            /* after ESC */
        CONSOLE_CSI,            /* after ESC [: parameters until a final byte 0x40-0x7e */
        CONSOLE_OSC,            /* after ESC ]: a string until BEL or ESC \ */
        CONSOLE_OSC_ESC,        /* ESC inside a string */
} ConsoleEscState;

typedef struct ConsoleLines {
        char buf[CONSOLE_LINE_MAX * 4 + 1];     /* worst case: 4 bytes per character */
        size_t len;                             /* bytes in buf */
        size_t chars;                           /* input bytes the line holds */
        uint8_t pending[4];                     /* an incomplete UTF-8 sequence */
        size_t n_pending;
        ConsoleEscState esc;                    /* where in an escape sequence the input is */
        size_t esc_len;                         /* its bytes so far (a runaway one is given up) */
} ConsoleLines;

void console_lines_feed(ConsoleLines *cl, const void *data, size_t size, console_line_t emit, void *userdata);
void console_lines_flush(ConsoleLines *cl, console_line_t emit, void *userdata);
