/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line of cellctl. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "cli-util.h"

typedef enum CellctlVerb {
        CELLCTL_VERB_STATUS,
        CELLCTL_VERB_LIST,
        CELLCTL_VERB_START,
        CELLCTL_VERB_STOP,
        CELLCTL_VERB_RESTART,
        CELLCTL_VERB_CONSOLE,
        CELLCTL_VERB_EVENTS,
        CELLCTL_VERB_SUPERVISE,
        CELLCTL_VERB_VALIDATE,
        CELLCTL_VERB_COMPILE,
        CELLCTL_VERB_SHOW,
        CELLCTL_VERB_SCHEMA,
        _CELLCTL_VERB_MAX,
} CellctlVerb;

typedef struct CellctlArgs {
        CellctlVerb verb;
        const char *name;       /* the cell, for verbs that take one; points into argv */
        bool json;
        bool user_bus;
        bool follow;            /* -f: console keeps printing */
        bool attach;            /* -i: console attaches both ways */
        unsigned lines;         /* -n: journal lines of status (default 10) */
        char **files;           /* the verb's arguments; point into argv */
        int n_files;
        const char *root;       /* --root=DIR: drop-in directories under DIR */
        const char *output;     /* -o FILE */
        bool dts;               /* --dts: show prints a cell's device tree */
} CellctlArgs;

/* The verbs and options cellctl_parse_argv() takes. */
extern const CliTable cellctl_cli;

void cellctl_help(FILE *f);

/* Like warden_parse_argv(): 1 to run a verb, 0 when done, -EINVAL on a usage error. */
int cellctl_parse_argv(int argc, char *argv[], CellctlArgs *ret);
