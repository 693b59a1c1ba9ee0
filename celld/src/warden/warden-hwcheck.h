/* SPDX-License-Identifier: GPL-2.0-only */
/* warden hardware check: can this machine run Warden? and warden config create. */
#pragma once

#include <stdbool.h>
#include <stdio.h>

#include "warden-hw.h"

typedef enum HwStatus {
        HW_OK,
        HW_WARNING,     /* could not be told, or works with a limitation */
        HW_MISSING,     /* Warden cannot run */
} HwStatus;

typedef struct HwCheck {
        const char *id;         /* "el2", "vhe", ... (the JSON name) */
        const char *title;      /* "EL2 available" */
        HwStatus status;
        char *reason;
} HwCheck;

typedef struct HwChecks {
        HwCheck *items;
        size_t n;
} HwChecks;

const char *hw_status_to_string(HwStatus s);

/* Runs every check on @m. -ENOMEM only. */
int hw_checks_run(const HwMachine *m, HwChecks *ret);
void hw_checks_done(HwChecks *c);
/* true when no check is missing. */
bool hw_checks_ready(const HwChecks *c);
/* One line per check, or one JSON object. */
int hw_checks_print(const HwChecks *c, bool json, FILE *f);

/*
 * Writes the system description of @m as YAML to @f, each value with a comment saying where it
 * came from. Logs what is missing and returns a negative errno when the machine cannot be
 * described (no device tree, no GIC it knows, no free RAM for the hypervisor, ...); nothing is
 * written then.
 */
int hw_config_write(const HwMachine *m, FILE *f);
