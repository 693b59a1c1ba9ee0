/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Writes the bash completion script of warden or cellctl from the tables their parsers use,
 * so that the two cannot drift: warden-completion-gen PROGRAM >FILE (run at build time).
 */
#include <errno.h>
#include <stdlib.h>

#include "cellctl-args.h"
#include "cli-completion.h"
#include "log.h"
#include "warden-args.h"

int main(int argc, char *argv[]) {
        static const CliTable *const tables[] = { &warden_cli, &cellctl_cli };
        int r;

        if (argc != 2) {
                log_error("usage: warden-completion-gen warden|cellctl");
                return 2;
        }
        for (size_t i = 0; i < ELEMENTSOF(tables); i++) {
                if (!streq(tables[i]->program, argv[1]))
                        continue;
                r = cli_completion_write_bash(tables[i], stdout);
                if (r >= 0 && fflush(stdout) != 0)
                        r = -errno;
                if (r < 0) {
                        log_error_errno(r, "Failed to write the completion of %s: %m", argv[1]);
                        return EXIT_FAILURE;
                }
                return EXIT_SUCCESS;
        }
        log_error("no completion for '%s': warden or cellctl", argv[1]);
        return 2;
}
