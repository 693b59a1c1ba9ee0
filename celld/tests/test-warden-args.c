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

TEST(cell) {
        char *load_argv[] = { "warden", "cell", "load", "2", "a.bin", "b.bin@0x100000", NULL };
        WardenArgs args;

        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "create", "/usr/share/warden/cells.d/hello.yaml"), 1);
        ASSERT_EQ(args.verb, WARDEN_VERB_CELL);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_CREATE);
        ASSERT_STREQ(args.cell, "/usr/share/warden/cells.d/hello.yaml");
        ASSERT_EQ(args.n_images, 0);

        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "load", "hello"), 1);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_LOAD);
        ASSERT_STREQ(args.cell, "hello");
        ASSERT_EQ(args.n_images, 0);

        /* args.images points into argv: an array that outlives the parse. */
        ASSERT_EQ(warden_parse_argv(6, load_argv, &args), 1);
        ASSERT_STREQ(args.cell, "2");
        ASSERT_EQ(args.n_images, 2);
        ASSERT_STREQ(args.images[0], "a.bin");
        ASSERT_STREQ(args.images[1], "b.bin@0x100000");

        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "start", "hello"), 1);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_START);
        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "shutdown", "hello"), 1);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_SHUTDOWN);
        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "destroy", "1"), 1);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_DESTROY);
        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "run", "gic-demo"), 1);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_RUN);

        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "list"), 1);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_LIST);
        ASSERT_NULL(args.cell);
        ASSERT_FALSE(args.json);
        ASSERT_EQ(WARDEN_PARSE("warden", "--json", "cell", "list"), 1);
        ASSERT_TRUE(args.json);
        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "stats", "hello", "--json"), 1);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_STATS);
        ASSERT_TRUE(args.json);

        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "console", "hello"), 1);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_CONSOLE);
        ASSERT_FALSE(args.follow);
        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "console", "-f", "hello"), 1);
        ASSERT_TRUE(args.follow);
        ASSERT_STREQ(args.cell, "hello");
}

TEST(cell_usage_errors) {
        WardenArgs args;

        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell"), "missing cell command");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "bogus"), "unknown cell command 'bogus'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "create"), "too few arguments for 'cell create'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "create", "a", "b"), "too many arguments for 'cell create'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "load"), "too few arguments for 'cell load'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "start"), "too few arguments for 'cell start'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "list", "x"), "too many arguments for 'cell list'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "start", ""), "'cell start' needs a non-empty argument");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "start", "x", "--json"),
                           "option '--json' does not apply to 'cell start'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "list", "-f"),
                           "option '--follow' applies to 'console' and 'cell console' only, not to 'cell list'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "cell", "console", "x", "--json"),
                           "option '--json' does not apply to 'cell console'");
}

DEFINE_TEST_MAIN
