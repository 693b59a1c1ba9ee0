/* SPDX-License-Identifier: GPL-2.0-only */
/* The SYSTEM argument of 'warden enable': a compiled blob, or a description to compile. */
#pragma once

#include <stdbool.h>
#include <stddef.h>

/*
 * Returns in @ret (malloc'ed) the system blob to hand the module. A file that starts with
 * WARDEN_CONFIG_MAGIC is taken as it is: the module checks it. Anything else is a YAML or
 * JSON description that goes through the description pipeline (parse, schema, compile);
 * its diagnostics are printed to stderr, located, with colour if @color. Every failure is
 * logged. -EINVAL when the description has errors or is not a system description.
 */
int warden_system_load(const char *path, bool color, void **ret, size_t *ret_size);
