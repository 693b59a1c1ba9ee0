/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line of the warden CLI. */
#include <getopt.h>

#include "cli-util.h"
#include "log.h"
#include "version.h"
#include "warden-args.h"

static const Verb warden_verbs[_WARDEN_VERB_MAX] = {
        [WARDEN_VERB_STATUS] = { "status", 0, 0 },
        [WARDEN_VERB_MONITOR] = { "monitor", 0, 0 },
        [WARDEN_VERB_ENABLE] = { "enable", 1, 1 },
        [WARDEN_VERB_DISABLE] = { "disable", 0, 0 },
        [WARDEN_VERB_CONSOLE] = { "console", 0, 0 },
};

void warden_help(FILE *f) {
        fprintf(f,
                "Usage: warden [OPTIONS] COMMAND\n"
                "\n"
                "Low-level access to warden.ko, the Warden hypervisor's kernel module.\n"
                "\n"
                "Commands:\n"
                "  status         Show the module's and the hypervisor's version, state and figures\n"
                "  monitor        Print hypervisor state changes and module loads as they happen\n"
                "  enable SYSTEM  Enable the hypervisor with a system description (YAML or JSON)\n"
                "                 or a blob compiled by 'cellctl compile'\n"
                "  disable        Disable the hypervisor and give the machine back to Linux\n"
                "  console        Print the hypervisor's log\n"
                "\n"
                "Options:\n"
                "  -h --help      Show this help\n"
                "     --version   Show the version\n"
                "     --json      Print JSON (status: one object; monitor: one per line)\n"
                "  -f --follow    console: keep printing the log as it grows\n"
                "\n"
                "enable, disable and console need CAP_NET_ADMIN. Exit status: 0 done, 1 refused\n"
                "or failed (the reason is printed), 2 usage error.\n");
}

static int usage_error(int r) {
        warden_help(stderr);
        return r;
}

int warden_parse_argv(int argc, char *argv[], WardenArgs *ret) {
        enum { ARG_VERSION = 0x100, ARG_JSON };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "json", no_argument, NULL, ARG_JSON },
                { "follow", no_argument, NULL, 'f' },
                {}
        };
        WardenArgs args = {};
        const Verb *v;
        int c, r;

        optind = 0;     /* full reinitialisation, so that tests can parse again */
        opterr = 0;
        while ((c = getopt_long(argc, argv, "hf", options, NULL)) >= 0)
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
                default:
                        return usage_error(log_bad_option(argv));
                }

        r = verb_find(warden_verbs, ELEMENTSOF(warden_verbs), argc - optind, argv + optind, &v);
        if (r < 0)
                return usage_error(r);
        args.verb = (WardenVerb) (v - warden_verbs);

        if (args.json && !IN_SET(args.verb, WARDEN_VERB_STATUS, WARDEN_VERB_MONITOR))
                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                   "option '--json' does not apply to '%s'", v->name));
        if (args.follow && args.verb != WARDEN_VERB_CONSOLE)
                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                   "option '--follow' applies to 'console' only, not to '%s'",
                                                   v->name));
        if (args.verb == WARDEN_VERB_ENABLE)
                args.system = argv[optind + 1];

        *ret = args;
        return 1;
}
