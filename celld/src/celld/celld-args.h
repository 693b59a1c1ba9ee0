/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line of celld. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

typedef struct CelldArgs {
        bool modprobe;          /* run modprobe warden if the module is not loaded at start */
        bool user_bus;          /* serve on the user bus instead of the system bus (tests) */
        int enable_hypervisor;  /* --enable-hypervisor=BOOL; -1: as the configuration file says */
        const char *config_file;        /* --config=FILE, default CELLD_CONF_PATH */
        const char *state_dir;          /* --state-dir=DIR, default CELLD_STATE_DIR */
        const char *root;               /* --root=DIR: the drop-in directories under DIR */
} CelldArgs;

void celld_help(FILE *f);

/* Like warden_parse_argv(): 1 to run, 0 when done, -EINVAL on a usage error. */
int celld_parse_argv(int argc, char *argv[], CelldArgs *ret);
