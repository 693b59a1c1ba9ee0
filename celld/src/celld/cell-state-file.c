/* SPDX-License-Identifier: GPL-2.0-only */
/* What celld remembers of a cell across its own restarts (see cell-state-file.h). */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cell-state-file.h"
#include "log.h"
#include "manager.h"

/* Newlines would end the value early. */
static void put_text(FILE *f, const char *key, const char *v) {
        fprintf(f, "%s=", key);
        for (; *v; v++)
                fputc(*v == '\n' || *v == '\r' ? ' ' : *v, f);
        fputc('\n', f);
}

int cell_state_file_write(const CellStateFile *s, FILE *f) {
        fprintf(f, "state=%s\n", cell_state_to_string(s->state));
        fprintf(f, "result=%s\n", cell_result_to_string(s->result));
        fprintf(f, "id=%" PRIu32 "\n", s->id);
        fprintf(f, "started=%" PRIu64 "\n", s->started_usec);
        fprintf(f, "restart-count=%" PRIu32 "\n", s->restart_count);
        fprintf(f, "restart-window=%" PRIu64 "\n", s->restart.window_begin_usec);
        fprintf(f, "restart-in-window=%" PRIu32 "\n", s->restart.in_window);
        fprintf(f, "restart-at=%" PRIu64 "\n", s->restart_at_usec);
        fprintf(f, "console-pos=%" PRIu64 "\n", s->console_pos);
        put_text(f, "last-failure", s->last_failure);
        put_text(f, "status", s->status_text);
        return ferror(f) ? -EIO : 0;
}

int cell_state_file_read(FILE *f, CellStateFile *ret) {
        _cleanup_free_ char *line = NULL;
        CellStateFile s = { .state = CELL_INACTIVE, .result = CELL_RESULT_SUCCESS };
        size_t size = 0;
        ssize_t n;

        while ((n = getline(&line, &size, f)) >= 0) {
                char *eq = strchr(line, '='), *v;

                if (n > 0 && line[n - 1] == '\n')
                        line[n - 1] = '\0';
                if (!eq)
                        continue;
                *eq = '\0';
                v = eq + 1;
                if (streq(line, "state"))
                        s.state = cell_state_from_string(v) >= 0 ? cell_state_from_string(v) : CELL_INACTIVE;
                else if (streq(line, "result"))
                        s.result = cell_result_from_string(v) >= 0 ? cell_result_from_string(v) : CELL_RESULT_SUCCESS;
                else if (streq(line, "id"))
                        s.id = (uint32_t) strtoul(v, NULL, 10);
                else if (streq(line, "started"))
                        s.started_usec = strtoull(v, NULL, 10);
                else if (streq(line, "restart-count"))
                        s.restart_count = (uint32_t) strtoul(v, NULL, 10);
                else if (streq(line, "restart-window"))
                        s.restart.window_begin_usec = strtoull(v, NULL, 10);
                else if (streq(line, "restart-in-window"))
                        s.restart.in_window = (uint32_t) strtoul(v, NULL, 10);
                else if (streq(line, "restart-at"))
                        s.restart_at_usec = strtoull(v, NULL, 10);
                else if (streq(line, "console-pos"))
                        s.console_pos = strtoull(v, NULL, 10);
                else if (streq(line, "last-failure"))
                        snprintf(s.last_failure, sizeof(s.last_failure), "%s", v);
                else if (streq(line, "status"))
                        snprintf(s.status_text, sizeof(s.status_text), "%s", v);
        }
        if (ferror(f))
                return -EIO;
        *ret = s;
        return 0;
}

static char *state_path(const Cell *c, const char *suffix) {
        char *p;

        if (isempty(c->manager->state_dir))
                return NULL;
        if (asprintf(&p, "%s/%s%s", c->manager->state_dir, c->name, suffix) < 0)
                return NULL;
        return p;
}

void cell_state_save(Cell *c) {
        _cleanup_free_ char *path = state_path(c, ""), *tmp = state_path(c, ".tmp");
        CellStateFile s = {
                .state = c->state,
                .result = c->result,
                .id = c->id,
                .started_usec = c->started_usec,
                .restart_count = c->restart_count,
                .restart = c->restart,
                .restart_at_usec = c->restart_at_usec,
                .console_pos = c->console_pos,
        };
        FILE *f;
        int r;

        if (!path || !tmp)
                return;
        snprintf(s.last_failure, sizeof(s.last_failure), "%s", c->last_failure);
        snprintf(s.status_text, sizeof(s.status_text), "%s", c->status_text);

        (void) mkdir(c->manager->state_dir, 0755);
        f = fopen(tmp, "we");
        if (!f) {
                if (!c->manager->state_warned)
                        log_warning_errno(errno, "Failed to write %s, celld will not remember cell %s across its "
                                          "restarts: %m", tmp, c->name);
                c->manager->state_warned = true;
                return;
        }
        r = cell_state_file_write(&s, f);
        if (fclose(f) != 0 && r >= 0)
                r = -errno;
        if (r >= 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0) {
                log_warning_errno(r, "Failed to write %s: %m", path);
                (void) unlink(tmp);
        }
}

int cell_state_load(Cell *c, CellStateFile *ret) {
        _cleanup_free_ char *path = state_path(c, "");
        _cleanup_fclose_ FILE *f = NULL;
        int r;

        if (!path)
                return -ENOENT;
        f = fopen(path, "re");
        if (!f)
                return -errno;
        r = cell_state_file_read(f, ret);
        if (r < 0)
                return log_warning_errno(r, "Failed to read %s, ignoring it: %m", path);
        return 0;
}

void cell_state_remove(Cell *c) {
        _cleanup_free_ char *path = state_path(c, "");

        if (path)
                (void) unlink(path);
}
