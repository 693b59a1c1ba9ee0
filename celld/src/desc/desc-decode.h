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

/*
 * desc_decode() for a cell that boots an OS: its "os" section, planned (guest_plan()) from
 * the description the blob was compiled from, replaces the images and entry point it
 * compiled to. @os NULL is desc_decode().
 */
typedef struct GuestPlan GuestPlan;
int desc_decode_os(const void *blob, size_t size, const GuestPlan *os, FILE *out,
                   struct warden_config_error *ret_error);
