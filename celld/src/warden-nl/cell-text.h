/* SPDX-License-Identifier: GPL-2.0-only */
/* Cells as people read them: CPU lists, sizes, why a cell stopped. Shared by warden, celld, cellctl. */
#pragma once

#include <stdint.h>

#include "warden-nl.h"

/* "0-3,6,8-9" for a CPU bit mask; "none" for 0. Longest: "0,2,4,...,62", under 128 bytes. */
#define WARDEN_CPU_LIST_MAX 128
const char *warden_format_cpu_list(uint64_t mask, char buf[static WARDEN_CPU_LIST_MAX]);
/* "512 bytes", "48 KiB", "14.8 MiB", "1 GiB": one decimal unless exact. */
#define WARDEN_BYTES_MAX 32
const char *warden_format_bytes(uint64_t bytes, char buf[static WARDEN_BYTES_MAX]);

/*
 * Why a cell stopped, for a failed or shut-down cell: "data abort at 0x40000000 (ESR
 * 0x92000006) on CPU 2, pc 0x1234", "shut down by root", "stopped by root without its
 * approval", ...; for a destroyed cell only the last (a forced stop); NULL otherwise.
 */
#define WARDEN_REASON_MAX 160
const char *warden_format_cell_reason(const WardenCellInfo *c, char buf[static WARDEN_REASON_MAX]);
