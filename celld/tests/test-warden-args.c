/* SPDX-License-Identifier: GPL-2.0-only */
/* warden's enable, disable and console command lines (status and monitor: test-args.c). */
#include "log.h"
#include "tests.h"
#include "warden-args.h"

#define ARGV(...) ((char *[]) { __VA_ARGS__, NULL })
#define ARGC(...) ((int) (sizeof((char *[]) { __VA_ARGS__ }) / sizeof(char *)))
#define WARDEN_PARSE(...) warden_parse_argv(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &args)

static char *log_buf;
static size_t log_size;

/* Runs @call with logs captured and checks it failed with -EINVAL, saying @message. */
#define ASSERT_USAGE_ERROR(call, message)                                       \
        do {                                                                    \
                FILE *_f_ = open_memstream(&log_buf, &log_size);                \
                ASSERT_NOT_NULL(_f_);                                           \
                log_set_output(_f_);                                            \
                ASSERT_ERROR(call, EINVAL);                                     \
                log_set_output(NULL);                                           \
                fclose(_f_);                                                    \
                if (!strstr(log_buf, message))                                  \
                        test_fail(__FILE__, __LINE__, "'%s' not in '%s'", message, log_buf); \
                free(log_buf);                                                  \
                log_buf = NULL;                                                 \
        } while (0)

TEST(enable) {
        WardenArgs args;

        ASSERT_EQ(WARDEN_PARSE("warden", "enable", "/etc/cells.d/system.yaml"), 1);
        ASSERT_EQ(args.verb, WARDEN_VERB_ENABLE);
        ASSERT_STREQ(args.system, "/etc/cells.d/system.yaml");
        ASSERT_FALSE(args.json);
        ASSERT_FALSE(args.follow);
}

TEST(disable_console) {
        WardenArgs args;

        ASSERT_EQ(WARDEN_PARSE("warden", "disable"), 1);
        ASSERT_EQ(args.verb, WARDEN_VERB_DISABLE);
        ASSERT_NULL(args.system);

        ASSERT_EQ(WARDEN_PARSE("warden", "console"), 1);
        ASSERT_EQ(args.verb, WARDEN_VERB_CONSOLE);
        ASSERT_FALSE(args.follow);

        ASSERT_EQ(WARDEN_PARSE("warden", "console", "-f"), 1);
        ASSERT_TRUE(args.follow);
        ASSERT_EQ(WARDEN_PARSE("warden", "--follow", "console"), 1);
        ASSERT_TRUE(args.follow);
}

TEST(usage_errors) {
        WardenArgs args;

        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "enable"), "too few arguments for 'enable'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "enable", "a.yaml", "b.yaml"), "too many arguments for 'enable'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "disable", "now"), "too many arguments for 'disable'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "console", "0"), "too many arguments for 'console'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "status", "-f"), "option '--follow' applies to 'console' only");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "enable", "x", "--json"),
                           "option '--json' does not apply to 'enable'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "console", "--json"), "option '--json' does not apply to 'console'");
}

DEFINE_TEST_MAIN
