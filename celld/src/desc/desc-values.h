/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The human forms of values in descriptions: addresses ("0x7040_0000"),
 * sizes ("1M", "4 KiB"), durations ("500ms", "5s", "2min") and CPU lists
 * ("1-3,5"). Pure functions: 0 and the value, or -EINVAL (not that form) /
 * -ERANGE (too large) with *ret_why saying what is wrong, for diagnostics.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

/* Decimal or 0x hex, '_' allowed between digits. */
int value_parse_u64(const char *s, uint64_t *ret, const char **ret_why);
/* A number as above, then an optional binary unit: K M G T or KiB MiB GiB TiB (1K = 1024). */
int value_parse_size(const char *s, uint64_t *ret, const char **ret_why);
/* Digits and a unit: ms, s or min; in milliseconds. */
int value_parse_duration_ms(const char *s, uint64_t *ret_ms, const char **ret_why);
/* "N", "N-M", comma-separated; CPUs 0..63; a CPU listed twice is an error. */
int value_parse_cpu_list(const char *s, uint64_t *ret_mask, const char **ret_why);
/* "N" or "A-B" (A <= B), decimal; the interrupt ranges of a cell. */
int value_parse_range(const char *s, uint64_t *ret_first, uint64_t *ret_last, const char **ret_why);
/* The canonical list string of a mask ("1-3,5"); writes at most @size bytes. */
void value_format_cpu_list(uint64_t mask, char *buf, size_t size);
/* The largest binary unit that divides @bytes exactly ("1M", "16K", "4097"). */
void value_format_size(uint64_t bytes, char *buf, size_t size);
