/* SPDX-License-Identifier: GPL-2.0-only */
/* The project's schemas, embedded at build time (celld/gen-schemas.sh). */
#pragma once

extern const char schema_system_json[];
extern const char schema_system_file[];
extern const char schema_cell_json[];
extern const char schema_cell_file[];
