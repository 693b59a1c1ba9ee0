/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <string.h>
#include <syslog.h>
#include <systemd/sd-journal.h>

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
        (void) sd_journal_send("MESSAGE=%s:%u:%u: %s[%s]: %s%s%s", file, d->loc.line, d->loc.column,
                               diag_severity_to_string(d->severity), d->rule, d->message,
                               d->hint ? " (" : "", d->hint ? d->hint : "",
                               "PRIORITY=%i", diag_priority(d->severity),
                               "MESSAGE_ID=" CELLD_MESSAGE_CONFIG_INVALID,
                               "CONFIG_FILE=%s", file,
                               "CONFIG_LINE=%u", d->loc.line,
                               "CONFIG_COLUMN=%u", d->loc.column,
                               "CONFIG_RULE=%s", d->rule,
                               unit[0] ? "OBJECT_SYSTEMD_UNIT=%s" : NULL, unit,
                               NULL);
}

int manager_load_config(Manager *m) {
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
        (void) sd_journal_send("MESSAGE=Descriptions: %zu of %zu valid, %zu errors, %zu warnings.", valid, set->n,
                               set->diags.n_errors, set->diags.n_warnings,
                               "PRIORITY=%i", set->diags.n_errors ? LOG_WARNING : LOG_INFO,
                               "MESSAGE_ID=" CELLD_MESSAGE_CONFIG_LOADED, NULL);
        desc_set_free(m->config);
        m->config = TAKE_PTR(set);
        return 0;
}
