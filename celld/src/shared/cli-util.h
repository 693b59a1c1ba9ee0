/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line helpers shared by warden, cellctl and celld. */
#pragma once

#include <stddef.h>

/* A command ("verb") and how many arguments it takes after its name. */
typedef struct Verb {
        const char *name;
        unsigned min_args;
        unsigned max_args;
} Verb;

/*
 * Finds the verb named by argv[0] among @verbs and checks its argument count. Logs why and
 * returns -EINVAL when there is no verb, an unknown one, or the wrong number of arguments.
 */
int verb_find(const Verb verbs[], size_t n_verbs, int argc, char *argv[], const Verb **ret);

/* Logs getopt_long()'s complaint for the option it just rejected (run with opterr = 0). */
int log_bad_option(char *argv[]);
