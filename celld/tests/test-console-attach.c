/* SPDX-License-Identifier: GPL-2.0-only */
/* The escape sequence of an attached console: Ctrl-] three times within a second. */
#include "console-attach.h"
#include "tests.h"

TEST(escape_three_within_a_second) {
        ConsoleEscape e = {};

        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 1000));
        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 200000));
        ASSERT_TRUE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 900000));
}

TEST(escape_too_slow_starts_again) {
        ConsoleEscape e = {};

        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 0));
        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 600000));
        /* 1.2 s after the first: this one counts as a new first. */
        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 1200000));
        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 1300000));
        ASSERT_TRUE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 1400000));
}

TEST(escape_broken_by_another_byte) {
        ConsoleEscape e = {};

        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 0));
        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 10));
        ASSERT_FALSE(console_escape_feed(&e, 'x', 20));
        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 30));
        ASSERT_FALSE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 40));
        ASSERT_TRUE(console_escape_feed(&e, CONSOLE_ESCAPE_CHAR, 50));
}

DEFINE_TEST_MAIN
