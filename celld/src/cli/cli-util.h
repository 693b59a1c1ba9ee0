/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line helpers shared by warden, cellctl and celld. */
#pragma once

#include <getopt.h>
#include <stddef.h>

/* What a verb's arguments are, for shell completion. */
typedef enum VerbArg {
        VERB_ARG_NONE,
        VERB_ARG_CELL,          /* a cell's name */
        VERB_ARG_DESC,          /* a description or blob file, or a cell's name */
        VERB_ARG_FILE,          /* files or directories */
        VERB_ARG_VERB,          /* a command of its own (warden cell COMMAND) */
        VERB_ARG_SCHEMA,        /* system or cell */
        _VERB_ARG_MAX,
} VerbArg;

/*
 * A command ("verb") and how many arguments it takes after its name. A verb whose arg is
 * VERB_ARG_VERB has commands of its own (warden cell start, warden hardware check): its first
 * argument is one of @sub_verbs, whose counts are of the arguments after that command.
 */
typedef struct Verb {
        const char *name;
        unsigned min_args;
        unsigned max_args;
        VerbArg arg;
        const struct Verb *sub_verbs;
        size_t n_sub_verbs;
} Verb;

/*
 * A program's command line as tables: its verbs, and getopt_long()'s options. The parser and
 * the shell completion generator (src/completion/) read the same tables.
 */
typedef struct CliTable {
        const char *program;
        const Verb *verbs;
        size_t n_verbs;
        const struct option *options;   /* terminated by {} */
        const char *short_options;
        /* What the argument of an option (by its getopt val) is: files, or anything. */
        VerbArg (*option_arg)(int val);
} CliTable;

/*
 * Finds the verb named by argv[0] among @verbs and checks its argument count. Logs why and
 * returns -EINVAL when there is no verb, an unknown one, or the wrong number of arguments.
 */
int verb_find(const Verb verbs[], size_t n_verbs, int argc, char *argv[], const Verb **ret);

/* Logs getopt_long()'s complaint for the option it just rejected (run with opterr = 0). */
int log_bad_option(char *argv[]);
