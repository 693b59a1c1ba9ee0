/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

#include "bus-names.h"
#include "cell.h"
#include "desc-guest.h"
#include "desc-set.h"
#include "log.h"
#include "manager-config.h"
#include "manager.h"

static int diag_priority(DiagSeverity s) {
        return s == DIAG_ERROR ? LOG_ERR : s == DIAG_WARNING ? LOG_WARNING : LOG_NOTICE;
}

/* The cell a description file belongs to, from its file name ("gic-demo.yaml"). */
static void unit_of(const char *file, char *buf, size_t size) {
        const char *base = strrchr(file, '/'), *dot;

        base = base ? base + 1 : file;
        dot = strchr(base, '.');
        buf[0] = '\0';
        if (strncmp(base, "system.", 7) != 0 && dot && (size_t) (dot - base) < size - 20)
                snprintf(buf, size, "cell@%.*s.service", (int) (dot - base), base);
}

static void journal_diag(const Diag *d) {
        char unit[300] = "";
        const char *file = d->loc.file;

        if (file)
                unit_of(file, unit, sizeof(unit));
        else
                file = "?";
        (void) sd_journal_send("MESSAGE=%s:%u:%u: %s[%s]: %s%s%s%s", file, d->loc.line, d->loc.column,
                               diag_severity_to_string(d->severity), d->rule, d->message,
                               d->hint ? " (" : "", d->hint ? d->hint : "", d->hint ? ")" : "",
                               "PRIORITY=%i", diag_priority(d->severity),
                               "MESSAGE_ID=" CELLD_MESSAGE_CONFIG_INVALID,
                               "CONFIG_FILE=%s", file,
                               "CONFIG_LINE=%u", d->loc.line,
                               "CONFIG_COLUMN=%u", d->loc.column,
                               "CONFIG_RULE=%s", d->rule,
                               unit[0] ? "OBJECT_SYSTEMD_UNIT=%s" : NULL, unit,
                               NULL);
}

/* The cell name of a description file: "gic-demo" for ".../gic-demo.yaml". */
static bool unit_is_named(const DescUnit *u, const char *name) {
        const char *dot = strrchr(u->name, '.');
        size_t n = strlen(name);

        return dot && (size_t) (dot - u->name) == n && strncmp(u->name, name, n) == 0;
}

const Diag *manager_config_error(const Manager *m, const char *name) {
        const DescSet *set = m->config;

        if (!set)
                return NULL;
        for (size_t i = 0; i < set->n; i++) {
                const DescUnit *u = &set->units[i];

                if (!unit_is_named(u, name) || desc_set_unit_valid(set, u))
                        continue;
                for (size_t k = 0; k < set->diags.n; k++) {
                        const Diag *d = &set->diags.items[k];

                        if (d->severity == DIAG_ERROR && d->loc.file && streq(d->loc.file, u->path))
                                return d;
                }
        }
        return NULL;
}

/* The valid cell unit named @name in @set, or NULL. */
static const DescUnit *find_cell_unit(DescSet *set, const char *name) {
        for (size_t i = 0; i < set->n; i++) {
                const DescUnit *u = &set->units[i];

                if (u->kind == DESC_KIND_CELL && u->blob && desc_set_unit_valid(set, u) &&
                    strncmp(((const struct warden_config_header *) u->blob)->name, name, WARDEN_NAME_LEN) == 0)
                        return u;
        }
        return NULL;
}

int manager_cell_tree(Manager *m, const char *name, const void *blob, size_t size, void **ret, size_t *ret_size,
                      char *why, size_t why_size) {
        const DescUnit *u = m->config ? find_cell_unit(m->config, name) : NULL;
        int r;

        if (!u || u->blob_size != size || memcmp(u->blob, blob, size) != 0) {
                snprintf(why, why_size, "its description changed since it was read; reload celld");
                return -ESTALE;
        }
        r = desc_guest_dt(m->config, u, /* seed= */ NULL, ret, ret_size, why, why_size);
        if (r < 0 && !why[0])
                snprintf(why, why_size, "%s", r == -ENOENT ? "there is no system description" :
                                              "the description has problems");
        return r;
}

/* Makes the cells follow @set. */
static int manager_apply_config(Manager *m, DescSet *set) {
        int r;

        for (size_t i = 0; i < set->n; i++) {
                const DescUnit *u = &set->units[i];
                char name[WARDEN_NAME_LEN + 1];
                Cell *c;

                if (u->kind != DESC_KIND_CELL || !u->blob || !desc_set_unit_valid(set, u))
                        continue;
                memcpy(name, ((const struct warden_config_header *) u->blob)->name, WARDEN_NAME_LEN);
                name[WARDEN_NAME_LEN] = '\0';

                c = manager_find_cell(m, name);
                if (c) {
                        c->orphaned = false;
                        r = cell_update_description(c, u->path, u->blob, u->blob_size);
                        if (r < 0)
                                return log_error_errno(r, "Failed to update cell %s: %m", name);
                        continue;
                }
                r = cell_new(m, name, u->path, u->blob, u->blob_size, &c);
                if (r < 0)
                        return log_error_errno(r, "Failed to add cell %s from %s: %m", name, u->path);
                r = manager_add_cell(m, c);
                if (r < 0) {
                        cell_free(c);
                        return log_error_errno(r, "Failed to add cell %s: %m", name);
                }
        }

        for (size_t i = m->n_cells; i > 0; i--) {
                Cell *c = m->cells[i - 1];

                if (find_cell_unit(set, c->name))
                        continue;
                if (!cell_is_active(c)) {
                        log_info("The description of cell %s is gone: dropping the cell.", c->name);
                        manager_remove_cell(m, c);
                        continue;
                }
                log_notice("The description of cell %s is gone: the cell is dropped once it ends.", c->name);
                c->orphaned = true;
                c->needs_restart = true;
                cell_changed(c);
        }
        return 0;
}

/* The errors as one line for a D-Bus error: the first few, located. */
static void errors_text(const DescSet *set, char *buf, size_t size) {
        size_t n = 0, shown = 0;

        n += (size_t) snprintf(buf, size, "%zu error%s in the descriptions, nothing was changed:", set->diags.n_errors,
                               set->diags.n_errors == 1 ? "" : "s");
        for (size_t i = 0; i < set->diags.n && n < size; i++) {
                const Diag *d = &set->diags.items[i];

                if (d->severity != DIAG_ERROR)
                        continue;
                if (shown++ == 5) {
                        n += (size_t) snprintf(buf + n, size - n, " ...");
                        break;
                }
                n += (size_t) snprintf(buf + n, size - n, "%s %s:%u:%u: %s", shown > 1 ? ";" : "",
                                       d->loc.file ?: "?", d->loc.line, d->loc.column, d->message);
        }
}

int manager_load_config(Manager *m, bool atomic, sd_bus_error *error) {
        _cleanup_(desc_set_freep) DescSet *set = NULL;
        size_t valid = 0;
        int r;

        r = desc_set_new(&set);
        if (r >= 0)
                r = desc_set_add_dirs(set, m->config_root);
        if (r >= 0)
                r = desc_set_check(set);
        if (r == -ENOMEM)
                return log_oom();
        for (size_t i = 0; i < set->diags.n; i++)
                journal_diag(&set->diags.items[i]);
        for (size_t i = 0; i < set->n; i++)
                valid += desc_set_unit_valid(set, &set->units[i]);
        (void) sd_journal_send("MESSAGE=Descriptions: %zu of %zu valid, %zu errors, %zu warnings.%s", valid, set->n,
                               set->diags.n_errors, set->diags.n_warnings,
                               atomic && set->diags.n_errors ? " Nothing was changed." : "",
                               "PRIORITY=%i", set->diags.n_errors ? LOG_WARNING : LOG_INFO,
                               "MESSAGE_ID=" CELLD_MESSAGE_CONFIG_LOADED, NULL);

        if (atomic && set->diags.n_errors > 0) {
                char text[2048];

                errors_text(set, text, sizeof(text));
                log_error("Reload refused: %s", text);
                return sd_bus_error_set(error, CELLD_ERROR_INVALID_DESCRIPTION, text);
        }

        r = manager_apply_config(m, set);
        desc_set_free(m->config);
        m->config = TAKE_PTR(set);
        manager_notify_status(m);
        return r;
}

static bool hidden_by_sandbox(const char *path) {
        static const char *const hidden[] = { "/tmp/", "/var/tmp/", "/home/", "/root/", "/run/user/" };

        for (size_t i = 0; i < ELEMENTSOF(hidden); i++)
                if (strncmp(path, hidden[i], strlen(hidden[i])) == 0)
                        return true;
        return false;
}

int manager_validate(const Manager *m, const char *path, DescSet **ret, sd_bus_error *error) {
        _cleanup_(desc_set_freep) DescSet *set = NULL;
        int r;

        if (!path || path[0] != '/')
                return sd_bus_error_setf(error, SD_BUS_ERROR_INVALID_ARGS,
                                         "not an absolute path: '%s' (celld has its own working directory)",
                                         strempty(path));
        r = desc_set_new(&set);
        if (r < 0)
                return r;
        r = desc_set_add_path(set, path, DESC_ADD_REGULAR_ONLY);
        if (r >= 0)
                r = desc_set_add_system_from_dirs(set, m->config_root);
        if (r >= 0)
                r = desc_set_check(set);
        if (r == -ENOMEM)
                return -ENOMEM;
        /* What celld's sandbox hides (celld.service): say so rather than just "not found". */
        for (size_t i = 0; i < set->diags.n; i++) {
                Diag *d = &set->diags.items[i];

                if (!streq(d->rule, "io") || d->hint || !d->loc.file || !hidden_by_sandbox(d->loc.file) ||
                    (!strstr(d->message, strerror(ENOENT)) && !strstr(d->message, strerror(EACCES))))
                        continue;
                d->hint = strdup("celld runs with PrivateTmp= and ProtectHome=: it sees neither the caller's "
                                 "/tmp and /var/tmp nor /home, /root and /run/user");
                if (!d->hint)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(set);
        return 0;
}
