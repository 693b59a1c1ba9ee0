/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line of celld. */
#include <getopt.h>

#include "celld-args.h"
#include "celld-conf.h"
#include "cli-util.h"
#include "cell-state-file.h"
#include "log.h"
#include "version.h"

void celld_help(FILE *f) {
        fprintf(f,
                "Usage: celld [OPTIONS]\n"
                "\n"
                "The Warden cell manager daemon: serves org.warden.cell1 on the system bus.\n"
                "\n"
                "Options:\n"
                "  -h --help          Show this help\n"
                "     --version       Show the version\n"
                "     --no-modprobe   Do not try 'modprobe warden' when the module is missing\n"
                "     --enable-hypervisor=BOOL\n"
                "                     Enable the hypervisor from system.yaml at start when it is\n"
                "                     not enabled (default: yes, or EnableHypervisor= in the file)\n"
                "     --config=FILE   Configuration file (default " CELLD_CONF_PATH ")\n"
                "     --state-dir=DIR Where celld keeps what it knows of its cells across its own\n"
                "                     restarts (default " CELLD_STATE_DIR ")\n"
                "     --user-bus      Serve on the user bus instead (for tests)\n"
                "     --root=DIR      Read the drop-in directories under DIR (for tests)\n");
}

static int usage_error(int r) {
        celld_help(stderr);
        return r;
}

int celld_parse_argv(int argc, char *argv[], CelldArgs *ret) {
        enum { ARG_VERSION = 0x100, ARG_NO_MODPROBE, ARG_USER_BUS, ARG_ENABLE_HYPERVISOR, ARG_CONFIG, ARG_STATE_DIR, ARG_ROOT };
        static const struct option options[] = {
                { "help", no_argument, NULL, 'h' },
                { "version", no_argument, NULL, ARG_VERSION },
                { "no-modprobe", no_argument, NULL, ARG_NO_MODPROBE },
                { "user-bus", no_argument, NULL, ARG_USER_BUS },
                { "enable-hypervisor", required_argument, NULL, ARG_ENABLE_HYPERVISOR },
                { "config", required_argument, NULL, ARG_CONFIG },
                { "state-dir", required_argument, NULL, ARG_STATE_DIR },
                { "root", required_argument, NULL, ARG_ROOT },
                {}
        };
        CelldArgs args = {
                .modprobe = true,
                .enable_hypervisor = -1,
                .config_file = CELLD_CONF_PATH,
                .state_dir = CELLD_STATE_DIR,
        };
        int c;

        optind = 0;
        opterr = 0;
        while ((c = getopt_long(argc, argv, "h", options, NULL)) >= 0)
                switch (c) {
                case 'h':
                        celld_help(stdout);
                        return 0;
                case ARG_VERSION:
                        printf("celld %s\n", WARDEN_VERSION);
                        return 0;
                case ARG_NO_MODPROBE:
                        args.modprobe = false;
                        break;
                case ARG_USER_BUS:
                        args.user_bus = true;
                        break;
                case ARG_ENABLE_HYPERVISOR:
                        args.enable_hypervisor = parse_boolean(optarg);
                        if (args.enable_hypervisor < 0)
                                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                                   "--enable-hypervisor= takes a boolean, not '%s'",
                                                                   optarg));
                        break;
                case ARG_CONFIG:
                        args.config_file = optarg;
                        break;
                case ARG_STATE_DIR:
                        args.state_dir = optarg;
                        break;
                case ARG_ROOT:
                        args.root = optarg;
                        break;
                default:
                        return usage_error(log_bad_option(argv));
                }

        if (optind < argc)
                return usage_error(log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                                   "unexpected argument '%s'", argv[optind]));

        *ret = args;
        return 1;
}
