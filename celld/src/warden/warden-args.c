/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line of the warden CLI. */
#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <stdlib.h>
#include <string.h>

#include "cli-util.h"
#include "log.h"
#include "version.h"
#include "warden-args.h"

/* cell load CELL IMAGE...: the first argument completes as a cell, the images as files. */
static const Verb warden_cell_verbs[_WARDEN_CELL_VERB_MAX] = {
        [WARDEN_CELL_CREATE] = { "create", 1, 1, VERB_ARG_DESC },
        [WARDEN_CELL_LOAD] = { "load", 1, UINT_MAX, VERB_ARG_CELL },
        [WARDEN_CELL_START] = { "start", 1, 1, VERB_ARG_CELL },
        [WARDEN_CELL_SHUTDOWN] = { "shutdown", 1, 1, VERB_ARG_CELL },
        [WARDEN_CELL_DESTROY] = { "destroy", 1, 1, VERB_ARG_CELL },
        [WARDEN_CELL_RUN] = { "run", 1, 1, VERB_ARG_DESC },
        [WARDEN_CELL_LIST] = { "list", 0, 0 },
        [WARDEN_CELL_STATS] = { "stats", 1, 1, VERB_ARG_CELL },
        [WARDEN_CELL_CONSOLE] = { "console", 1, 1, VERB_ARG_CELL },
};

static const Verb warden_hardware_verbs[] = {
        { .name = "check" },
};

static const Verb warden_config_verbs[] = {
        { .name = "create" },
};

static const Verb warden_verbs[_WARDEN_VERB_MAX] = {
        [WARDEN_VERB_STATUS] = { "status", 0, 0 },
        [WARDEN_VERB_MONITOR] = { "monitor", 0, 0 },
        [WARDEN_VERB_ENABLE] = { "enable", 1, 1, VERB_ARG_FILE },
        [WARDEN_VERB_DISABLE] = { "disable", 0, 0 },
        [WARDEN_VERB_CONSOLE] = { "console", 0, 0 },
        /* The cell command checks the rest. */
        [WARDEN_VERB_CELL] = { "cell", 0, UINT_MAX, VERB_ARG_VERB, warden_cell_verbs, ELEMENTSOF(warden_cell_verbs) },
        [WARDEN_VERB_HARDWARE] = { "hardware", 1, 1, VERB_ARG_VERB, warden_hardware_verbs,
                                   ELEMENTSOF(warden_hardware_verbs) },
        [WARDEN_VERB_CONFIG] = { "config", 1, 1, VERB_ARG_VERB, warden_config_verbs, ELEMENTSOF(warden_config_verbs) },
};

enum { ARG_VERSION = 0x100, ARG_JSON, ARG_ROOT, ARG_TIMEOUT };
static const struct option warden_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, ARG_VERSION },
        { "json", no_argument, NULL, ARG_JSON },
        { "follow", no_argument, NULL, 'f' },
        { "attach", no_argument, NULL, 'i' },
        { "root", required_argument, NULL, ARG_ROOT },
        { "timeout", required_argument, NULL, ARG_TIMEOUT },
        {}
};

static VerbArg warden_option_arg(int val) {
        return val == ARG_ROOT ? VERB_ARG_FILE : VERB_ARG_NONE;
}

const CliTable warden_cli = {
        .program = "warden",
        .verbs = warden_verbs,
        .n_verbs = ELEMENTSOF(warden_verbs),
        .options = warden_options,
        .short_options = "hfi",
        .option_arg = warden_option_arg,
};

void warden_help(FILE *f) {
        fprintf(f,
                "Usage: warden [OPTIONS] COMMAND\n"
                "\n"
                "Low-level access to warden.ko, the Warden hypervisor's kernel module.\n"
                "\n"
                "Commands:\n"
                "  status         Show the module's and the hypervisor's version, state and figures\n"
                "  monitor        Print hypervisor and cell state changes and module loads as they\n"
                "                 happen\n"
                "  enable SYSTEM  Enable the hypervisor with a system description (YAML or JSON)\n"
                "                 or a blob compiled by 'cellctl compile'\n"
                "  disable        Disable the hypervisor and give the machine back to Linux\n"
                "  console        Print the hypervisor's log\n"
                "\n"
                "Cell commands (CELL is a cell's name or id; DESC a cell description, YAML, JSON\n"
                "or blob, or the name of one in the description directories):\n"
                "  cell create DESC              Create a cell; prints its id\n"
                "  cell load CELL [IMAGE[@ADDRESS]...]\n"
                "                                Load images into a cell that is not running\n"
                "                                (without IMAGE: those its description names)\n"
                "  cell start CELL               Start a cell at its entry point\n"
                "  cell shutdown CELL            Stop a cell, asking it if it is cooperative (and\n"
                "                                waiting for its answer, 10 s or --timeout)\n"
                "  cell destroy CELL             Give a cell's CPUs and memory back to Linux\n"
                "  cell run DESC                 Create, load and start; prints the id\n"
                "  cell list                     List the cells\n"
                "  cell stats CELL               Show a cell's figures\n"
                "  cell console CELL             Print what a cell wrote to its console; with -i\n"
                "                                type to its virtual UART too\n"
                "\n"
                "Machine commands (no module needed):\n"
                "  hardware check   Check whether this machine can run Warden: EL2, no VHE, KVM, the\n"
                "                   GIC, the physical address range, PSCI, a free carve-out, CPUs\n"
                "  config create    Write a system description of this machine (YAML) to stdout\n"
                "\n"
                "Options:\n"
                "  -h --help      Show this help\n"
                "     --version   Show the version\n"
                "     --json      Print JSON (status, cell list, cell stats: one value;\n"
                "                 monitor: one object per line)\n"
                "  -f --follow    console, cell console: keep printing as it grows\n"
                "  -i --attach    cell console: attach the terminal both ways (^] three times\n"
                "                 within 1s leaves)\n"
                "     --root=DIR  hardware check, config create: read /proc, /sys and the kernel\n"
                "                 log (DIR/kernel.log) under DIR instead of this machine's\n"
                "     --timeout=SECONDS\n"
                "                 cell shutdown: how long to wait for a cooperative cell's answer\n"
                "                 (default 10, at most 86400)\n"
                "\n"
                "enable, disable, console and every cell command but list and stats need\n"
                "CAP_NET_ADMIN. Exit status: 0 done, 1 refused or failed (the reason is printed),\n"
                "2 usage error; hardware check: 1 when Warden cannot run on this machine.\n");
}

/* --timeout=SECONDS: a whole number of seconds, 1 to WARDEN_SHUTDOWN_TIMEOUT_MAX_S. */
static int parse_timeout(const char *s, unsigned *ret) {
        unsigned long v;
        char *end;

        errno = 0;
        v = isempty(s) || !strchr("0123456789", s[0]) ? 0 : strtoul(s, &end, 10);
        if (v == 0 || errno != 0 || *end != '\0' || v > WARDEN_SHUTDOWN_TIMEOUT_MAX_S)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "option '--timeout' needs a whole number of seconds from 1 to %d, not '%s'",
                                       WARDEN_SHUTDOWN_TIMEOUT_MAX_S, s);
        *ret = (unsigned) v;
        return 0;
}

static int usage_error(int r) {
        warden_help(stderr);
        return r;
}

/* "warden cell COMMAND ARGS...": @argv[0] is the cell command. */
static int parse_cell(int argc, char *argv[], WardenArgs *args) {
        const Verb *v = NULL;
        unsigned n_args;

        if (argc <= 0)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "missing cell command");
        for (size_t i = 0; i < ELEMENTSOF(warden_cell_verbs) && !v; i++)
                if (streq(warden_cell_verbs[i].name, argv[0]))
                        v = &warden_cell_verbs[i];
        if (!v)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "unknown cell command '%s'", argv[0]);

        n_args = (unsigned) argc - 1;
        if (n_args < v->min_args)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "too few arguments for 'cell %s'", v->name);
        if (n_args > v->max_args)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "too many arguments for 'cell %s'", v->name);

        args->cell_verb = (WardenCellVerb) (v - warden_cell_verbs);
        if (n_args > 0)
                args->cell = argv[1];
        if (args->cell_verb == WARDEN_CELL_LOAD) {
                args->images = argv + 2;
                args->n_images = n_args - 1;
        }

        if (args->json && !IN_SET(args->cell_verb, WARDEN_CELL_LIST, WARDEN_CELL_STATS))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "option '--json' does not apply to 'cell %s'",
                                       v->name);
        if (args->follow && args->cell_verb != WARDEN_CELL_CONSOLE)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "option '--follow' applies to 'console' and 'cell console' only, not to 'cell %s'",
                                       v->name);
        if (args->attach && args->cell_verb != WARDEN_CELL_CONSOLE)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "option '--attach' applies to 'cell console' only, not to 'cell %s'", v->name);
        if (args->attach && args->follow)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "options '--attach' and '--follow' exclude each other: an attached console follows");
        if (args->timeout_s && args->cell_verb != WARDEN_CELL_SHUTDOWN)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "option '--timeout' applies to 'cell shutdown' only, not to 'cell %s'", v->name);
        if (isempty(args->cell) && args->cell_verb != WARDEN_CELL_LIST)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "'cell %s' needs a non-empty argument", v->name);
        return 0;
}

int warden_parse_argv(int argc, char *argv[], WardenArgs *ret) {
        WardenArgs args = {};
        const Verb *v;
        int c, r;

        optind = 0;     /* full reinitialisation, so that tests can parse again */
        opterr = 0;
        while ((c = getopt_long(argc, argv, warden_cli.short_options, warden_options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        warden_help(stdout);
                        return 0;
                case ARG_VERSION:
                        printf("warden %s\n", WARDEN_VERSION);
                        return 0;
                case ARG_JSON:
                        args.json = true;
                        break;
                case 'f':
                        args.follow = true;
                        break;
                case 'i':
                        args.attach = true;
                        break;
                case ARG_TIMEOUT:
                        r = parse_timeout(optarg, &args.timeout_s);
                        if (r < 0)
                                return usage_error(r);
                        break;
                case ARG_ROOT:
                        if (isempty(optarg))
                                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                                   "option '--root' needs a directory"));
                        args.root = optarg;
                        break;
                default:
                        return usage_error(log_bad_option(argv));
                }

        r = verb_find(warden_verbs, ELEMENTSOF(warden_verbs), argc - optind, argv + optind, &v);
        if (r < 0)
                return usage_error(r);
        args.verb = (WardenVerb) (v - warden_verbs);

        if (args.verb == WARDEN_VERB_CELL) {
                r = parse_cell(argc - optind - 1, argv + optind + 1, &args);
                if (r < 0)
                        return usage_error(r);
                *ret = args;
                return 1;
        }

        /* hardware check, config create: one command each, taking nothing. */
        if (IN_SET(args.verb, WARDEN_VERB_HARDWARE, WARDEN_VERB_CONFIG) && !streq(argv[optind + 1], v->sub_verbs[0].name))
                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL), "unknown %s command '%s' (there is: %s)",
                                                   v->name, argv[optind + 1], v->sub_verbs[0].name));
        if (args.root && !IN_SET(args.verb, WARDEN_VERB_HARDWARE, WARDEN_VERB_CONFIG))
                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                   "option '--root' applies to 'hardware check' and 'config create' only, not to '%s'",
                                                   v->name));
        if (args.json && !IN_SET(args.verb, WARDEN_VERB_STATUS, WARDEN_VERB_MONITOR, WARDEN_VERB_HARDWARE))
                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                   "option '--json' does not apply to '%s'", v->name));
        if (args.timeout_s)
                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                   "option '--timeout' applies to 'cell shutdown' only, not to '%s'",
                                                   v->name));
        if (args.attach)
                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                   "option '--attach' applies to 'cell console' only, not to '%s'",
                                                   v->name));
        if (args.follow && args.verb != WARDEN_VERB_CONSOLE)
                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                   "option '--follow' applies to 'console' only, not to '%s'",
                                                   v->name));
        if (args.verb == WARDEN_VERB_ENABLE)
                args.system = argv[optind + 1];
        if (!args.root)
                args.root = "/";

        *ret = args;
        return 1;
}
