/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line of the warden CLI. */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdio.h>

#include "cli-util.h"

typedef enum WardenVerb {
        WARDEN_VERB_STATUS,
        WARDEN_VERB_MONITOR,
        WARDEN_VERB_ENABLE,
        WARDEN_VERB_DISABLE,
        WARDEN_VERB_CONSOLE,
        WARDEN_VERB_CELL,
        WARDEN_VERB_HARDWARE,   /* hardware check */
        WARDEN_VERB_CONFIG,     /* config create */
        _WARDEN_VERB_MAX,
} WardenVerb;

/* warden cell COMMAND */
typedef enum WardenCellVerb {
        WARDEN_CELL_CREATE,
        WARDEN_CELL_LOAD,
        WARDEN_CELL_START,
        WARDEN_CELL_SHUTDOWN,
        WARDEN_CELL_DESTROY,
        WARDEN_CELL_RUN,
        WARDEN_CELL_LIST,
        WARDEN_CELL_STATS,
        WARDEN_CELL_CONSOLE,
        _WARDEN_CELL_VERB_MAX,
} WardenCellVerb;

typedef struct WardenArgs {
        WardenVerb verb;
        WardenCellVerb cell_verb;       /* verb WARDEN_VERB_CELL */
        bool json;              /* status, monitor, cell list, cell stats */
        bool follow;            /* console -f, cell console -f */
        bool attach;            /* cell console -i */
        const char *system;     /* enable SYSTEM: borrowed from argv */
        const char *cell;       /* cell create/run DESC, or the NAME|ID of the others: borrowed */
        char **images;          /* cell load IMAGE[@ADDRESS]...: borrowed from argv */
        size_t n_images;
        const char *root;       /* hardware check, config create: --root=DIR, default "/" */
        unsigned timeout_s;     /* cell shutdown --timeout=SECONDS: how long to wait for an answer */
} WardenArgs;

/* The verbs and options warden_parse_argv() takes. */
extern const CliTable warden_cli;

void warden_help(FILE *f);

/*
 * Returns 1 with @ret filled when a verb is to run, 0 when --help or --version was handled,
 * -EINVAL on a usage error (logged, with the help text on stderr).
 */
int warden_parse_argv(int argc, char *argv[], WardenArgs *ret);

/* 'cell shutdown' waits this long for a cooperative cell's answer, unless --timeout says otherwise. */
#define WARDEN_SHUTDOWN_TIMEOUT_S 10
#define WARDEN_SHUTDOWN_TIMEOUT_MAX_S 86400
