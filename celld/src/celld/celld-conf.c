/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's configuration file (see celld-conf.h). */
#include <ctype.h>
#include <errno.h>
#include <string.h>
#include <strings.h>

#include "celld-conf.h"
#include "log.h"

int parse_boolean(const char *v) {
        static const char *const yes[] = { "yes", "true", "on", "1", "y", "t" };
        static const char *const no[] = { "no", "false", "off", "0", "n", "f" };

        for (size_t i = 0; i < ELEMENTSOF(yes); i++)
                if (strcasecmp(v, yes[i]) == 0)
                        return 1;
        for (size_t i = 0; i < ELEMENTSOF(no); i++)
                if (strcasecmp(v, no[i]) == 0)
                        return 0;
        return -EINVAL;
}

static char *strip(char *s) {
        char *e;

        while (isspace((unsigned char) *s))
                s++;
        e = s + strlen(s);
        while (e > s && isspace((unsigned char) e[-1]))
                *--e = '\0';
        return s;
}

int celld_conf_parse(FILE *f, const char *path, CelldConf *conf) {
        _cleanup_free_ char *line = NULL;
        char section[64] = "";
        unsigned lineno = 0;
        size_t size = 0;
        int warnings = 0;

        while (getline(&line, &size, f) >= 0) {
                char *l = strip(line), *eq, *key, *value;
                int b;

                lineno++;
                if (IN_SET(l[0], '\0', '#', ';'))
                        continue;
                if (l[0] == '[') {
                        char *end = strchr(l, ']');

                        if (!end || end[1] != '\0') {
                                log_warning("%s:%u: invalid section header '%s', ignoring.", path, lineno, l);
                                warnings++;
                                section[0] = '\0';
                                continue;
                        }
                        *end = '\0';
                        snprintf(section, sizeof(section), "%s", l + 1);
                        if (!streq(section, "Manager")) {
                                log_warning("%s:%u: unknown section [%s], ignoring it.", path, lineno, section);
                                warnings++;
                        }
                        continue;
                }
                eq = strchr(l, '=');
                if (!eq) {
                        log_warning("%s:%u: no '=' in '%s', ignoring.", path, lineno, l);
                        warnings++;
                        continue;
                }
                *eq = '\0';
                key = strip(l);
                value = strip(eq + 1);
                if (!streq(section, "Manager"))
                        continue;       /* warned about at the header */
                if (!streq(key, "EnableHypervisor")) {
                        log_warning("%s:%u: unknown key '%s' in [Manager], ignoring.", path, lineno, key);
                        warnings++;
                        continue;
                }
                b = parse_boolean(value);
                if (b < 0) {
                        log_warning("%s:%u: EnableHypervisor= takes a boolean, not '%s'; ignoring.", path, lineno,
                                    value);
                        warnings++;
                        continue;
                }
                conf->enable_hypervisor = b;
        }
        return warnings;
}

int celld_conf_load(const char *path, CelldConf *conf) {
        _cleanup_fclose_ FILE *f = NULL;

        f = fopen(path, "re");
        if (!f && errno == ENOENT)
                return 0;
        if (!f)
                return log_error_errno(errno, "Failed to open %s: %m", path);
        (void) celld_conf_parse(f, path, conf);
        if (ferror(f))
                return log_error_errno(EIO, "Failed to read %s: %m", path);
        return 0;
}
