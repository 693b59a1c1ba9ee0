/* SPDX-License-Identifier: GPL-2.0-only */
/* Command line helpers shared by warden, cellctl and celld. */
#include <getopt.h>

#include "cli-util.h"
#include "log.h"

int verb_find(const Verb verbs[], size_t n_verbs, int argc, char *argv[], const Verb **ret) {
        const Verb *v = NULL;
        unsigned n_args;

        if (argc <= 0)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "missing command");

        for (size_t i = 0; i < n_verbs && !v; i++)
                if (streq(verbs[i].name, argv[0]))
                        v = &verbs[i];
        if (!v)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "unknown command '%s'", argv[0]);

        n_args = (unsigned) argc - 1;
        if (n_args < v->min_args)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "too few arguments for '%s'", v->name);
        if (n_args > v->max_args)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "too many arguments for '%s'", v->name);

        *ret = v;
        return 0;
}

int log_bad_option(char *argv[]) {
        /* optopt is the unknown short option; 0 for an unknown long one, which argv still holds. */
        if (optopt > 0 && optopt < 0x100)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "invalid option '-%c'", optopt);
        if (optopt != 0)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "option '%s' does not take an argument",
                                       argv[optind - 1]);
        return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "unrecognized option '%s'", argv[optind - 1]);
}
