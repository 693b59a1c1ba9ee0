/* SPDX-License-Identifier: GPL-2.0-only */
/* cellctl's offline verbs: validate, compile, show, schema. No daemon, no module. */
#pragma once

#include "cellctl-args.h"

int verb_validate(const CellctlArgs *args);
int verb_compile(const CellctlArgs *args);
int verb_show(const CellctlArgs *args);
int verb_schema(const CellctlArgs *args);
