/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line of the warden CLI. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

typedef enum WardenVerb {
        WARDEN_VERB_STATUS,
        WARDEN_VERB_MONITOR,
        WARDEN_VERB_ENABLE,
        WARDEN_VERB_DISABLE,
        WARDEN_VERB_CONSOLE,
        _WARDEN_VERB_MAX,
} WardenVerb;

typedef struct WardenArgs {
        WardenVerb verb;
        bool json;              /* status, monitor */
        bool follow;            /* console -f */
        const char *system;     /* enable SYSTEM: borrowed from argv */
} WardenArgs;

void warden_help(FILE *f);

/*
 * Returns 1 with @ret filled when a verb is to run, 0 when --help or --version was handled,
 * -EINVAL on a usage error (logged, with the help text on stderr).
 */
int warden_parse_argv(int argc, char *argv[], WardenArgs *ret);
