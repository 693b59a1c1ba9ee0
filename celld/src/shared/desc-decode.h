/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The reverse of the compiler: a blob becomes a readable YAML description
 * again, in canonical form (every default written out), which compiles back
 * to the same bytes. The blob is checked with the shared checker first; a
 * blob it refuses is not decoded, and *ret_why says why.
 */
#pragma once

#include <errno.h>
#include <stddef.h>
#include <stdio.h>
#include <string.h>

#include <warden/config-check.h>

int desc_decode(const void *blob, size_t size, FILE *out, struct warden_config_error *ret_error);
