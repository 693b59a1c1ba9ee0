/* SPDX-License-Identifier: GPL-2.0-only */
/* The logging helpers: return values, %m, prefixes, levels. */
#include "log.h"
#include "tests.h"

static char *buf;
static size_t size;

static FILE *capture(void) {
        FILE *f = open_memstream(&buf, &size);

        ASSERT_NOT_NULL(f);
        log_set_output(f);
        return f;
}

static void release(FILE *f) {
        log_set_output(NULL);
        fclose(f);
}

TEST(errno_return_and_text) {
        FILE *f = capture();

        errno = 0;
        ASSERT_EQ(log_error_errno(-ENOENT, "Failed to open '%s': %m", "x"), -ENOENT);
        ASSERT_EQ(log_error_errno(EPERM, "positive works too: %m"), -EPERM);
        ASSERT_EQ(errno, 0);    /* preserved */
        release(f);

        ASSERT_NOT_NULL(strstr(buf, ": Failed to open 'x': No such file or directory\n"));
        ASSERT_NOT_NULL(strstr(buf, "positive works too: Operation not permitted\n"));
        free(buf);
}

TEST(synthetic) {
        FILE *f = capture();

        ASSERT_EQ(log_warning_errno(SYNTHETIC_ERRNO(EINVAL), "bad: %m"), -EINVAL);
        ASSERT_TRUE(ERRNO_IS_SYNTHETIC(SYNTHETIC_ERRNO(EINVAL)));
        ASSERT_FALSE(ERRNO_IS_SYNTHETIC(-EINVAL));
        ASSERT_EQ(ERRNO_VALUE(-SYNTHETIC_ERRNO(EIO)), EIO);
        release(f);

        ASSERT_NOT_NULL(strstr(buf, "bad: Invalid argument\n"));
        free(buf);
}

TEST(level_filter_and_journal_prefix) {
        FILE *f = capture();

        log_set_max_level(LOG_INFO);
        log_debug("hidden");
        ASSERT_EQ(log_debug_errno(-EIO, "hidden too"), -EIO);

        log_set_target(LOG_TARGET_JOURNAL);
        log_error("to the journal");
        log_set_target(LOG_TARGET_CONSOLE);
        release(f);

        ASSERT_STREQ(buf, "<3>to the journal\n");
        free(buf);
}

DEFINE_TEST_MAIN
