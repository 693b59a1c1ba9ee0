/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * celld's configuration file, /etc/warden/celld.conf (systemd style):
 *
 *   [Manager]
 *   EnableHypervisor=yes      # enable the hypervisor from system.yaml when it is not enabled
 *
 * A missing file is no error. Unknown sections and keys and bad values are warned about
 * ("FILE:LINE: ...") and ignored. Command line options win over the file.
 */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#define CELLD_CONF_PATH "/etc/warden/celld.conf"

typedef struct CelldConf {
        bool enable_hypervisor;
} CelldConf;

#define CELLD_CONF_DEFAULTS ((CelldConf) { .enable_hypervisor = true })

/* "yes", "true", "on", "1" -> 1; "no", "false", "off", "0" -> 0; anything else -EINVAL. */
int parse_boolean(const char *v);

/* Reads @f (named @path in messages) into @conf; returns the number of warnings. */
int celld_conf_parse(FILE *f, const char *path, CelldConf *conf);
/* Reads @path if it exists; 0, or a negative errno when it exists but cannot be read (logged). */
int celld_conf_load(const char *path, CelldConf *conf);
