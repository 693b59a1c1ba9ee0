/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line of cellctl. */
#include <errno.h>
#include <getopt.h>
#include <stdlib.h>

#include "cellctl-args.h"
#include "cli-util.h"
#include "log.h"
#include "version.h"

static const Verb cellctl_verbs[_CELLCTL_VERB_MAX] = {
        [CELLCTL_VERB_STATUS] = { "status", 0, 1, VERB_ARG_CELL },
        [CELLCTL_VERB_LIST] = { "list", 0, 0 },
        [CELLCTL_VERB_START] = { "start", 1, 1, VERB_ARG_CELL },
        [CELLCTL_VERB_STOP] = { "stop", 1, 1, VERB_ARG_CELL },
        [CELLCTL_VERB_RESTART] = { "restart", 1, 1, VERB_ARG_CELL },
        [CELLCTL_VERB_CONSOLE] = { "console", 1, 1, VERB_ARG_CELL },
        [CELLCTL_VERB_EVENTS] = { "events", 0, 0 },
        [CELLCTL_VERB_SUPERVISE] = { "supervise", 1, 1, VERB_ARG_CELL },
        [CELLCTL_VERB_VALIDATE] = { "validate", 0, 1000, VERB_ARG_FILE },
        [CELLCTL_VERB_COMPILE] = { "compile", 1, 1, VERB_ARG_FILE },
        [CELLCTL_VERB_SHOW] = { "show", 1, 1, VERB_ARG_DESC },     /* FILE|BLOB|NAME */
        [CELLCTL_VERB_SCHEMA] = { "schema", 0, 1, VERB_ARG_SCHEMA },
};

enum { ARG_VERSION = 0x100, ARG_JSON, ARG_USER_BUS, ARG_ROOT, ARG_DTS };
static const struct option cellctl_options[] = {
        { "help", no_argument, NULL, 'h' },
        { "version", no_argument, NULL, ARG_VERSION },
        { "json", no_argument, NULL, ARG_JSON },
        { "user-bus", no_argument, NULL, ARG_USER_BUS },
        { "root", required_argument, NULL, ARG_ROOT },
        { "output", required_argument, NULL, 'o' },
        { "follow", no_argument, NULL, 'f' },
        { "attach", no_argument, NULL, 'i' },
        { "lines", required_argument, NULL, 'n' },
        { "dts", no_argument, NULL, ARG_DTS },
        {}
};

/* --root=DIR and -o FILE name files; -n N does not. */
static VerbArg cellctl_option_arg(int val) {
        return IN_SET(val, ARG_ROOT, 'o') ? VERB_ARG_FILE : VERB_ARG_NONE;
}

const CliTable cellctl_cli = {
        .program = "cellctl",
        .verbs = cellctl_verbs,
        .n_verbs = ELEMENTSOF(cellctl_verbs),
        .options = cellctl_options,
        .short_options = "ho:fin:",
        .option_arg = cellctl_option_arg,
};

void cellctl_help(FILE *f) {
        fprintf(f,
                "Usage: cellctl [OPTIONS] COMMAND\n"
                "\n"
                "Control Warden cells through celld.\n"
                "\n"
                "Commands:\n"
                "  list             List the cells celld knows, with their state\n"
                "  status [NAME]    Show cell NAME: state, result, CPUs, memory, restarts, its\n"
                "                   last journal and console lines; without NAME celld's state\n"
                "  start NAME       Start cell NAME (systemctl start cell@NAME.service)\n"
                "  stop NAME        Stop cell NAME (systemctl stop cell@NAME.service)\n"
                "  restart NAME     Restart cell NAME (systemctl restart cell@NAME.service)\n"
                "  console NAME     Attach to cell NAME's console both ways when run on a terminal\n"
                "                   (^] three times within 1s leaves); else print what it wrote\n"
                "                   (from the journal)\n"
                "  events           Print cell state changes as they happen (Ctrl-C ends)\n"
                "  supervise NAME   Run cell NAME as the main process of cell@NAME.service\n"
                "\n"
                "Offline commands (no daemon, no module needed):\n"
                "  validate [FILE|DIR...]  Check descriptions together (default: the drop-in\n"
                "                   directories /etc/cells.d, /run/cells.d, /usr/lib/cells.d)\n"
                "  compile FILE -o OUT     Compile a description into a binary blob\n"
                "  show FILE|BLOB|NAME  Print a description or blob in canonical form (NAME: a\n"
                "                   cell of the drop-in directories)\n"
                "  schema [system|cell]    Print a JSON schema\n"
                "\n"
                "Options:\n"
                "  -h --help        Show this help\n"
                "     --version     Show the version\n"
                "     --json        Print JSON (list, status, events)\n"
                "  -f --follow      console: keep printing what the cell writes (from the journal)\n"
                "  -i --attach      console: attach both ways, on a terminal or not\n"
                "  -n --lines=N     status: journal lines to show (default 10)\n"
                "     --user-bus    Talk to a celld on the user bus (for tests)\n"
                "     --root=DIR    Read the drop-in directories under DIR\n"
                "  -o --output=FILE Where compile writes the blob\n"
                "     --dts         show: print the device tree of a cell that boots an OS, as source\n"
                "\n"
                "validate and compile exit 0 when valid, 1 when not, 2 on usage errors.\n");
}

static int usage_error(int r) {
        cellctl_help(stderr);
        return r;
}

int cellctl_parse_argv(int argc, char *argv[], CellctlArgs *ret) {
        unsigned long n;
        char *end;
        CellctlArgs args = { .lines = 10 };
        const Verb *v;
        int c, r;

        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, cellctl_cli.short_options, cellctl_options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        cellctl_help(stdout);
                        return 0;
                case ARG_VERSION:
                        printf("cellctl %s\n", WARDEN_VERSION);
                        return 0;
                case ARG_JSON:
                        args.json = true;
                        break;
                case ARG_USER_BUS:
                        args.user_bus = true;
                        break;
                case ARG_ROOT:
                        args.root = optarg;
                        break;
                case 'o':
                        args.output = optarg;
                        break;
                case ARG_DTS:
                        args.dts = true;
                        break;
                case 'f':
                        args.follow = true;
                        break;
                case 'i':
                        args.attach = true;
                        break;
                case 'n':
                        errno = 0;
                        n = strtoul(optarg, &end, 10);
                        if (errno != 0 || *end != '\0' || optarg[0] == '-' || n > 10000) {
                                log_error("--lines= takes a number of lines (0 to 10000), not '%s'", optarg);
                                return usage_error(-EINVAL);
                        }
                        args.lines = (unsigned) n;
                        break;
                default:
                        return usage_error(log_bad_option(argv));
                }

        r = verb_find(cellctl_verbs, ELEMENTSOF(cellctl_verbs), argc - optind, argv + optind, &v);
        if (r < 0)
                return usage_error(r);

        args.verb = (CellctlVerb) (v - cellctl_verbs);
        if (v->max_args > 0 && argc - optind > 1)
                args.name = argv[optind + 1];
        args.files = argv + optind + 1;
        args.n_files = argc - optind - 1;
        if (args.follow && args.verb != CELLCTL_VERB_CONSOLE) {
                log_error("-f/--follow is for console only");
                return usage_error(-EINVAL);
        }
        if (args.attach && (args.verb != CELLCTL_VERB_CONSOLE || args.follow)) {
                log_error("-i/--attach is for console only, without -f");
                return usage_error(-EINVAL);
        }
        if (args.json && IN_SET(args.verb, CELLCTL_VERB_START, CELLCTL_VERB_STOP, CELLCTL_VERB_RESTART,
                                CELLCTL_VERB_SUPERVISE, CELLCTL_VERB_CONSOLE)) {
                log_error("--json is not for '%s': it prints no data", v->name);
                return usage_error(-EINVAL);
        }
        if (args.dts && args.verb != CELLCTL_VERB_SHOW) {
                log_error("--dts is for show only");
                return usage_error(-EINVAL);
        }
        if (args.verb == CELLCTL_VERB_COMPILE && !args.output) {
                log_error("compile needs -o OUT, the file to write the blob to");
                return usage_error(-EINVAL);
        }
        *ret = args;
        return 1;
}
