/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The restart policy of a cell (restart, restart-limit, restart-delay in its description),
 * as pure arithmetic so that it can be tested without a clock or a cell.
 *
 * - restart: no restarts nothing, on-failure restarts after a failure (a fault, a missed
 *   watchdog, a start that failed), always also after a clean end (PSCI SYSTEM_OFF, a
 *   shutdown someone else asked for).
 * - A reset (PSCI SYSTEM_RESET) is a reboot: restarted at once whatever the policy, and
 *   counted neither against the limit nor for the backoff.
 * - restart-limit: at most burst restarts in a window of interval, which opens with the
 *   first restart; the restart past the limit is not made: celld gives up (start-limit).
 * - restart-delay: initial before the first restart of a window, doubled for each further
 *   one, at most max. A new window starts the doubling again.
 */
#pragma once

#include <stdbool.h>
#include <stdint.h>

#include <warden/config.h>

#define USEC_PER_MSEC UINT64_C(1000)
#define USEC_PER_SEC UINT64_C(1000000)

typedef struct RestartPolicy {
        uint32_t mode;                  /* WARDEN_RESTART_* */
        uint32_t burst;                 /* >= 1 */
        uint64_t interval_usec;
        uint64_t delay_initial_usec;
        uint64_t delay_max_usec;
} RestartPolicy;

/* How a cell ended. */
typedef enum CellEnd {
        CELL_END_CLEAN,                 /* powered off, or stopped by someone else */
        CELL_END_FAILURE,               /* fault, watchdog, failed start */
        CELL_END_RESET,                 /* PSCI SYSTEM_RESET: reboot */
        _CELL_END_MAX,
} CellEnd;

/* What celld remembers between ends (kept across its own restarts). */
typedef struct RestartState {
        uint64_t window_begin_usec;     /* CLOCK_MONOTONIC of the window's first restart */
        uint32_t in_window;             /* restarts made in the window */
} RestartState;

typedef enum RestartAction {
        RESTART_NONE,                   /* the policy does not restart this end */
        RESTART_SCHEDULE,               /* restart after delay_usec */
        RESTART_GIVE_UP,                /* the limit is reached */
} RestartAction;

typedef struct RestartDecision {
        RestartAction action;
        uint64_t delay_usec;
        uint32_t attempt;               /* "restart attempt/burst"; 0 for a reboot */
} RestartDecision;

/* The policy of a compiled cell blob (milliseconds there). */
void restart_policy_from_blob(const struct warden_policy *p, RestartPolicy *ret);

/* The delay before restart number @attempt (1-based) of a window. */
uint64_t restart_delay(const RestartPolicy *p, uint32_t attempt);

/* Whether @p restarts after @end at all (the limit aside). */
bool restart_wanted(const RestartPolicy *p, CellEnd end);

/* Decides what to do after @end at time @now, and counts the restart in @s if one is made. */
RestartDecision restart_decide(const RestartPolicy *p, RestartState *s, CellEnd end, uint64_t now);

/* A start by hand: a fresh window. */
void restart_state_reset(RestartState *s);

const char *restart_mode_to_string(uint32_t mode);
