/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * warden-cell-generator: a systemd generator (systemd.generator(7)) that starts at boot
 * every cell whose description says "autostart: true". For each such description in the
 * drop-in directories (/etc/cells.d over /run/cells.d over /usr/lib/cells.d) it links
 * NORMAL_DIR/cells.target.wants/cell@NAME.service to cell@.service, and pulls cells.target
 * into multi-user.target when there is at least one.
 *
 * Only the "cell" and "autostart" keys are looked at: a description with other errors still
 * gets its unit, whose start then fails with celld's diagnostic (journalctl -u cell@NAME).
 *
 *   warden-cell-generator NORMAL_DIR [EARLY_DIR LATE_DIR]
 *   SYSTEMD_CELL_GENERATOR_ROOT=DIR: read the drop-in directories under DIR (tests)
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desc-dirs.h"
#include "desc.h"
#include "diag.h"
#include "log.h"

#define UNIT_DIR "/usr/lib/systemd/system"

static bool cell_name_ok(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n >= 32 || s[0] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
                        return false;
        return true;
}

static int mkdir_p(const char *path) {
        if (mkdir(path, 0755) < 0 && errno != EEXIST)
                return -errno;
        return 0;
}

/* DIR/WANTS/UNIT -> UNIT_DIR/TARGET. */
static int link_unit(const char *dir, const char *wants, const char *unit, const char *target) {
        _cleanup_free_ char *d = NULL, *link = NULL, *to = NULL;
        int r;

        if (asprintf(&d, "%s/%s", dir, wants) < 0 || asprintf(&link, "%s/%s", d, unit) < 0 ||
            asprintf(&to, UNIT_DIR "/%s", target) < 0)
                return log_oom();
        r = mkdir_p(d);
        if (r < 0)
                return log_error_errno(r, "Failed to create %s: %m", d);
        if (symlink(to, link) < 0 && errno != EEXIST)
                return log_error_errno(errno, "Failed to link %s to %s: %m", link, to);
        return 0;
}

/* 1 with the cell's name in @ret when @path asks to start at boot, 0 when not. */
static int autostart_name(const char *path, char **ret) {
        DescSource *s = NULL;
        DiagList diags = {};
        const DescNode *cell, *autostart;
        int r;

        r = desc_parse_file(path, &diags, &s);
        diag_list_done(&diags);
        if (r < 0)
                return 0;       /* celld reports it */
        autostart = desc_get(s->root, "autostart");
        cell = desc_get(s->root, "cell");
        r = 0;
        if (autostart && autostart->type == DESC_BOOL && autostart->boolean && cell && cell->type == DESC_STRING) {
                if (!cell_name_ok(cell->string.str))
                        log_warning("%s: '%s' is no cell name, not starting it at boot.", path, cell->string.str);
                else {
                        *ret = strdup(cell->string.str);
                        r = *ret ? 1 : log_oom();
                }
        }
        desc_source_free(s);
        return r;
}

int main(int argc, char *argv[]) {
        DescDirList list = {};
        DiagList diags = {};
        const char *dir;
        size_t n = 0;
        int r, ret = EXIT_SUCCESS;

        log_setup();
        if (argc != 2 && argc != 4) {
                log_error("usage: %s NORMAL_DIR [EARLY_DIR LATE_DIR]", program_invocation_short_name);
                return EXIT_USAGE;
        }
        dir = argv[1];

        r = desc_dirs_enumerate(getenv("SYSTEMD_CELL_GENERATOR_ROOT"), &diags, &list);
        diag_list_done(&diags);
        if (r < 0) {
                log_oom();
                return EXIT_FAILURE;
        }
        for (size_t i = 0; i < list.n; i++) {
                _cleanup_free_ char *name = NULL, *unit = NULL;

                r = autostart_name(list.entries[i].path, &name);
                if (r < 0)
                        ret = EXIT_FAILURE;
                if (r <= 0)
                        continue;
                if (asprintf(&unit, "cell@%s.service", name) < 0) {
                        log_oom();
                        ret = EXIT_FAILURE;
                        continue;
                }
                if (link_unit(dir, "cells.target.wants", unit, "cell@.service") < 0)
                        ret = EXIT_FAILURE;
                else
                        n++;
        }
        if (n > 0 && link_unit(dir, "multi-user.target.wants", "cells.target", "cells.target") < 0)
                ret = EXIT_FAILURE;
        desc_dir_list_done(&list);
        return ret;
}
