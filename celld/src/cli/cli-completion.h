/* SPDX-License-Identifier: GPL-2.0-only */
/* Bash completion scripts written from a program's own command line tables. */
#pragma once

#include <stdio.h>

#include "cli-util.h"

/*
 * Writes the bash completion script of @t: its options, its verbs (and the commands of a
 * VERB_ARG_VERB verb), and for each verb what its arguments complete to. Cells complete from
 * the description file names in /etc/cells.d, /run/cells.d and /usr/lib/cells.d.
 */
int cli_completion_write_bash(const CliTable *t, FILE *f);
