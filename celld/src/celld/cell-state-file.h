/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What celld remembers of a cell across its own restarts, in STATE_DIR/NAME (a tmpfs under
 * /run: it lasts as long as the boot, as the cells do). One "key=value" per line. Without
 * it a restarted celld still re-adopts every running cell by name; the file adds the
 * restart counters, the start time, the console position (no line twice in the journal)
 * and a pending restart.
 */
#pragma once

#include <stdint.h>
#include <stdio.h>

#include "cell.h"

#define CELLD_STATE_DIR "/run/celld"

typedef struct CellStateFile {
        CellState state;
        CellResult result;
        uint32_t id;
        uint64_t started_usec;
        uint32_t restart_count;
        RestartState restart;
        uint64_t restart_at_usec;
        uint64_t console_pos;
        char last_failure[256];
        char status_text[512];
} CellStateFile;

/* Writes @s to @f / parses it back (unknown keys are skipped). */
int cell_state_file_write(const CellStateFile *s, FILE *f);
int cell_state_file_read(FILE *f, CellStateFile *ret);

/* The state file of @c in its manager's state directory; failures are logged, not fatal. */
void cell_state_save(Cell *c);
int cell_state_load(Cell *c, CellStateFile *ret);
void cell_state_remove(Cell *c);
