/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's restart policy: which ends restart, the limit in its window, the doubling backoff. */
#include "restart.h"
#include "tests.h"

#define MS USEC_PER_MSEC
#define S USEC_PER_SEC

static const RestartPolicy on_failure = {
        .mode = WARDEN_RESTART_ON_FAILURE,
        .burst = 3,
        .interval_usec = 60 * S,
        .delay_initial_usec = 100 * MS,
        .delay_max_usec = 1 * S,
};

TEST(from_blob) {
        struct warden_policy p = {
                .restart = WARDEN_RESTART_ALWAYS,
                .restart_burst = 5,
                .restart_interval_ms = 60000,
                .delay_initial_ms = 100,
                .delay_max_ms = 30000,
        };
        RestartPolicy r;

        restart_policy_from_blob(&p, &r);
        ASSERT_EQ(r.mode, WARDEN_RESTART_ALWAYS);
        ASSERT_EQ(r.burst, 5);
        ASSERT_EQ(r.interval_usec, 60 * S);
        ASSERT_EQ(r.delay_initial_usec, 100 * MS);
        ASSERT_EQ(r.delay_max_usec, 30 * S);

        p.restart_burst = 0;    /* the checker refuses it; never divide the world by it */
        restart_policy_from_blob(&p, &r);
        ASSERT_EQ(r.burst, 1);
        ASSERT_STREQ(restart_mode_to_string(WARDEN_RESTART_ON_FAILURE), "on-failure");
        ASSERT_STREQ(restart_mode_to_string(7), "unknown");
}

TEST(wanted) {
        RestartPolicy no = on_failure, always = on_failure;

        no.mode = WARDEN_RESTART_NO;
        always.mode = WARDEN_RESTART_ALWAYS;
        ASSERT_FALSE(restart_wanted(&no, CELL_END_FAILURE));
        ASSERT_FALSE(restart_wanted(&no, CELL_END_CLEAN));
        ASSERT_TRUE(restart_wanted(&no, CELL_END_RESET));       /* a reboot, whatever the policy */
        ASSERT_TRUE(restart_wanted(&on_failure, CELL_END_FAILURE));
        ASSERT_FALSE(restart_wanted(&on_failure, CELL_END_CLEAN));
        ASSERT_TRUE(restart_wanted(&always, CELL_END_CLEAN));
        ASSERT_TRUE(restart_wanted(&always, CELL_END_FAILURE));
}

TEST(delay_doubles_up_to_max) {
        ASSERT_EQ(restart_delay(&on_failure, 1), 100 * MS);
        ASSERT_EQ(restart_delay(&on_failure, 2), 200 * MS);
        ASSERT_EQ(restart_delay(&on_failure, 3), 400 * MS);
        ASSERT_EQ(restart_delay(&on_failure, 4), 800 * MS);
        ASSERT_EQ(restart_delay(&on_failure, 5), 1 * S);
        ASSERT_EQ(restart_delay(&on_failure, 1000), 1 * S);
        ASSERT_EQ(restart_delay(&on_failure, UINT32_MAX), 1 * S);
}

TEST(delay_without_overflow) {
        RestartPolicy p = on_failure;

        p.delay_initial_usec = UINT64_MAX / 3;
        p.delay_max_usec = UINT64_MAX;
        ASSERT_EQ(restart_delay(&p, 1), UINT64_MAX / 3);
        ASSERT_EQ(restart_delay(&p, 2), UINT64_MAX / 3 * 2);
        ASSERT_EQ(restart_delay(&p, 3), UINT64_MAX);
        ASSERT_EQ(restart_delay(&p, 60), UINT64_MAX);
}

TEST(burst_then_give_up) {
        RestartState s = {};
        RestartDecision d;
        uint64_t t = 1000 * S;

        d = restart_decide(&on_failure, &s, CELL_END_FAILURE, t);
        ASSERT_EQ(d.action, RESTART_SCHEDULE);
        ASSERT_EQ(d.attempt, 1);
        ASSERT_EQ(d.delay_usec, 100 * MS);
        d = restart_decide(&on_failure, &s, CELL_END_FAILURE, t + 4 * S);
        ASSERT_EQ(d.action, RESTART_SCHEDULE);
        ASSERT_EQ(d.attempt, 2);
        ASSERT_EQ(d.delay_usec, 200 * MS);
        d = restart_decide(&on_failure, &s, CELL_END_FAILURE, t + 8 * S);
        ASSERT_EQ(d.attempt, 3);
        ASSERT_EQ(d.delay_usec, 400 * MS);
        d = restart_decide(&on_failure, &s, CELL_END_FAILURE, t + 12 * S);
        ASSERT_EQ(d.action, RESTART_GIVE_UP);
        ASSERT_EQ(d.attempt, 3);
        /* Still given up while the window lasts. */
        d = restart_decide(&on_failure, &s, CELL_END_FAILURE, t + 59 * S);
        ASSERT_EQ(d.action, RESTART_GIVE_UP);
}

TEST(new_window_starts_again) {
        RestartState s = {};
        RestartDecision d;
        uint64_t t = 5 * S;

        (void) restart_decide(&on_failure, &s, CELL_END_FAILURE, t);
        (void) restart_decide(&on_failure, &s, CELL_END_FAILURE, t + 1 * S);
        /* interval after the window opened: a new window, the delay is the initial one again. */
        d = restart_decide(&on_failure, &s, CELL_END_FAILURE, t + 60 * S);
        ASSERT_EQ(d.action, RESTART_SCHEDULE);
        ASSERT_EQ(d.attempt, 1);
        ASSERT_EQ(d.delay_usec, 100 * MS);
        ASSERT_EQ(s.window_begin_usec, t + 60 * S);
        /* A clock that went backwards (never for CLOCK_MONOTONIC, but a state file could lie). */
        d = restart_decide(&on_failure, &s, CELL_END_FAILURE, 1 * S);
        ASSERT_EQ(d.attempt, 1);
}

TEST(reset_is_a_reboot) {
        RestartPolicy no = on_failure;
        RestartState s = { .window_begin_usec = 1, .in_window = 3 };
        RestartDecision d;

        no.mode = WARDEN_RESTART_NO;
        /* At the limit, with restart: no: a reset still reboots, at once, and counts nothing. */
        d = restart_decide(&no, &s, CELL_END_RESET, 2 * S);
        ASSERT_EQ(d.action, RESTART_SCHEDULE);
        ASSERT_EQ(d.delay_usec, 0);
        ASSERT_EQ(d.attempt, 0);
        ASSERT_EQ(s.in_window, 3);
}

TEST(clean_end) {
        RestartPolicy always = on_failure;
        RestartState s = {};
        RestartDecision d;

        d = restart_decide(&on_failure, &s, CELL_END_CLEAN, S);
        ASSERT_EQ(d.action, RESTART_NONE);
        ASSERT_EQ(s.in_window, 0);
        always.mode = WARDEN_RESTART_ALWAYS;
        d = restart_decide(&always, &s, CELL_END_CLEAN, S);
        ASSERT_EQ(d.action, RESTART_SCHEDULE);
        ASSERT_EQ(d.attempt, 1);
        restart_state_reset(&s);
        ASSERT_EQ(s.in_window, 0);
}

TEST(no_interval_means_no_limit) {
        RestartPolicy p = on_failure;
        RestartState s = {};

        p.interval_usec = 0;
        for (int i = 0; i < 10; i++)
                ASSERT_EQ(restart_decide(&p, &s, CELL_END_FAILURE, (uint64_t) i).action, RESTART_SCHEDULE);
}

DEFINE_TEST_MAIN
