/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Attaching a terminal to a cell's console, both ways, the way `machinectl login` does: what
 * the cell writes (its console ring, read through the module) is printed as it comes, what is
 * typed goes to the cell's virtual UART through @send (celld's D-Bus method for cellctl, the
 * module directly for warden). A terminal is put in raw mode; Ctrl-] three times within a
 * second leaves, as does the end of the input.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "warden-nl.h"

#define CONSOLE_ESCAPE_CHAR 0x1d        /* Ctrl-] */
#define CONSOLE_ESCAPE_COUNT 3
#define CONSOLE_ESCAPE_USEC 1000000ULL

typedef struct ConsoleEscape {
        unsigned count;
        uint64_t first_usec;
} ConsoleEscape;

/* Feeds a typed byte at @now_usec; true when it completes the escape sequence. */
bool console_escape_feed(ConsoleEscape *e, uint8_t c, uint64_t now_usec);

/*
 * Sends up to @size bytes to the cell; *@ret_written: how many it took (0: its FIFO is full,
 * try again later). A negative errno ends the session (the callee has logged it).
 */
typedef int (*console_send_t)(const void *data, size_t size, size_t *ret_written, void *userdata);

/*
 * Runs the session on stdin/stdout until the escape, the end of the input, SIGINT or SIGTERM
 * (outside raw mode), or a failure. @what names the console in messages ("cell hello").
 * Logs its failures; returns 0 or a negative errno.
 */
int console_attach(WardenNl *nl, uint32_t id, const char *what, console_send_t send, void *userdata);
