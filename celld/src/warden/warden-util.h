/* SPDX-License-Identifier: GPL-2.0-only */
/* What the warden CLI's commands share: the socket, refusal messages, JSON, the console loop. */
#pragma once

#include <jansson.h>
#include <stdbool.h>
#include <stdint.h>

#include "warden-nl.h"

/* A socket with the module's family resolved: "VERB: warden.ko is not loaded" is said here. */
int warden_nl_open(const char *verb, WardenNl **ret);

/*
 * Logs why a request failed: "VERB refused: " and the module's extack text, a permission
 * error for a bare EPERM, or "VERB failed: " and the errno text. Returns @r.
 */
int warden_log_request_error(WardenNl *nl, int r, const char *verb);

/* Prints and frees @v: indented on a terminal, one line otherwise; always one line with @line. */
int warden_print_json(json_t *v, bool line);

/* Reads a piece of a console from @pos (the hypervisor's log, or a cell's console). */
typedef int (*warden_console_read_t)(WardenNl *nl, uint64_t pos, WardenConsole *ret, void *userdata);

/*
 * Prints a console from position 0 to stdout, then with @follow what is written to it until
 * SIGINT or SIGTERM (status 0) or a failed read. @verb names the command in messages, @what
 * the console ("the hypervisor's log"). With @wake, following waits for its events (a cell's
 * console output raises one) instead of asking again every 200 ms.
 */
int warden_console_print(WardenNl *nl, const char *verb, const char *what, bool follow,
                         WardenEvents *wake, warden_console_read_t read, void *userdata);
