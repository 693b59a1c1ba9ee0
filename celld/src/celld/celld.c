/* SPDX-License-Identifier: GPL-2.0-only */
/* celld: the Warden cell manager daemon. */
#include <stdlib.h>

#include "celld-args.h"
#include "log.h"
#include "manager.h"
#include "version.h"

static int run(const CelldArgs *args) {
        _cleanup_(manager_freep) Manager *m = NULL;
        int r;

        log_info("celld %s starting", WARDEN_VERSION);

        r = manager_new(args, &m);
        if (r < 0)
                return log_error_errno(r, "Failed to allocate the manager: %m");

        r = manager_startup(m);
        if (r < 0)
                return r;

        return manager_run(m);
}

int main(int argc, char *argv[]) {
        CelldArgs args;
        int r;

        log_setup();

        r = celld_parse_argv(argc, argv, &args);
        if (r < 0)
                return EXIT_USAGE;
        if (r == 0)
                return EXIT_SUCCESS;

        r = run(&args);
        return r < 0 ? EXIT_FAILURE : r;
}
