/* SPDX-License-Identifier: GPL-2.0-only */
/* The restart policy of a cell (see restart.h). */
#include "restart.h"

void restart_policy_from_blob(const struct warden_policy *p, RestartPolicy *ret) {
        *ret = (RestartPolicy) {
                .mode = p->restart,
                .burst = p->restart_burst ?: 1,
                .interval_usec = p->restart_interval_ms * USEC_PER_MSEC,
                .delay_initial_usec = p->delay_initial_ms * USEC_PER_MSEC,
                .delay_max_usec = p->delay_max_ms * USEC_PER_MSEC,
        };
}

uint64_t restart_delay(const RestartPolicy *p, uint32_t attempt) {
        uint64_t d = p->delay_initial_usec;

        for (uint32_t i = 1; i < attempt && d < p->delay_max_usec; i++)
                d = d > UINT64_MAX / 2 ? UINT64_MAX : d * 2;
        return d < p->delay_max_usec ? d : p->delay_max_usec;
}

bool restart_wanted(const RestartPolicy *p, CellEnd end) {
        switch (end) {
        case CELL_END_RESET:
                return true;
        case CELL_END_FAILURE:
                return p->mode == WARDEN_RESTART_ON_FAILURE || p->mode == WARDEN_RESTART_ALWAYS;
        case CELL_END_CLEAN:
                return p->mode == WARDEN_RESTART_ALWAYS;
        default:
                return false;
        }
}

RestartDecision restart_decide(const RestartPolicy *p, RestartState *s, CellEnd end, uint64_t now) {
        if (!restart_wanted(p, end))
                return (RestartDecision) { .action = RESTART_NONE };
        if (end == CELL_END_RESET)
                return (RestartDecision) { .action = RESTART_SCHEDULE };

        /* The window opens with its first restart and closes interval later. */
        if (s->in_window == 0 || now < s->window_begin_usec || now - s->window_begin_usec >= p->interval_usec) {
                s->window_begin_usec = now;
                s->in_window = 0;
        }
        if (s->in_window >= p->burst)
                return (RestartDecision) { .action = RESTART_GIVE_UP, .attempt = s->in_window };

        s->in_window++;
        return (RestartDecision) {
                .action = RESTART_SCHEDULE,
                .delay_usec = restart_delay(p, s->in_window),
                .attempt = s->in_window,
        };
}

void restart_state_reset(RestartState *s) {
        *s = (RestartState) {};
}

const char *restart_mode_to_string(uint32_t mode) {
        switch (mode) {
        case WARDEN_RESTART_NO:
                return "no";
        case WARDEN_RESTART_ON_FAILURE:
                return "on-failure";
        case WARDEN_RESTART_ALWAYS:
                return "always";
        default:
                return "unknown";
        }
}
