/* SPDX-License-Identifier: GPL-2.0-only */
/* Command lines of warden, cellctl and celld: what runs, what is a usage error, and why. */
#include "celld-args.h"
#include "cellctl-args.h"
#include "log.h"
#include "tests.h"
#include "warden-args.h"

#define ARGV(...) ((char *[]) { __VA_ARGS__, NULL })
#define ARGC(...) ((int) (sizeof((char *[]) { __VA_ARGS__ }) / sizeof(char *)))

static char *log_buf;
static size_t log_size;
static FILE *log_stream;

/* Captures log messages; usage text still goes to stderr (into the test's log). */
static void capture_begin(void) {
        log_stream = open_memstream(&log_buf, &log_size);
        ASSERT_NOT_NULL(log_stream);
        log_set_output(log_stream);
}

static const char *capture_end(void) {
        log_set_output(NULL);
        fclose(log_stream);
        return log_buf;
}

static void capture_free(void) {
        free(log_buf);
        log_buf = NULL;
}

#define WARDEN_PARSE(...) warden_parse_argv(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &args)
#define CELLCTL_PARSE(...) cellctl_parse_argv(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &args)
#define CELLD_PARSE(...) celld_parse_argv(ARGC(__VA_ARGS__), ARGV(__VA_ARGS__), &args)

/* Runs @call with logs captured and checks it failed with -EINVAL, saying @message. */
#define ASSERT_USAGE_ERROR(call, message)                                       \
        do {                                                                    \
                capture_begin();                                                \
                ASSERT_ERROR(call, EINVAL);                                     \
                ASSERT_NOT_NULL(strstr(capture_end(), message));                \
                capture_free();                                                 \
        } while (0)

TEST(warden_status) {
        WardenArgs args;

        ASSERT_EQ(WARDEN_PARSE("warden", "status"), 1);
        ASSERT_EQ(args.verb, WARDEN_VERB_STATUS);
        ASSERT_FALSE(args.json);

        ASSERT_EQ(WARDEN_PARSE("warden", "status", "--json"), 1);
        ASSERT_TRUE(args.json);

        ASSERT_EQ(WARDEN_PARSE("warden", "--json", "monitor"), 1);
        ASSERT_EQ(args.verb, WARDEN_VERB_MONITOR);
        ASSERT_TRUE(args.json);
}

TEST(warden_help_version) {
        WardenArgs args;

        ASSERT_EQ(WARDEN_PARSE("warden", "--help"), 0);
        ASSERT_EQ(WARDEN_PARSE("warden", "-h", "status"), 0);
        ASSERT_EQ(WARDEN_PARSE("warden", "--version"), 0);
}

TEST(warden_usage_errors) {
        WardenArgs args;

        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden"), "missing command");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "bogus"), "unknown command 'bogus'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "status", "extra"), "too many arguments for 'status'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "--bogus", "status"), "unrecognized option '--bogus'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "-x", "status"), "invalid option '-x'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "--json=yes", "status"), "does not take an argument");
}

/* cell shutdown --timeout=SECONDS: a whole number of seconds in range, and only there. */
TEST(warden_shutdown_timeout) {
        WardenArgs args;

        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "shutdown", "linux"), 1);
        ASSERT_EQ(args.timeout_s, 0u);
        ASSERT_EQ(WARDEN_PARSE("warden", "--timeout=30", "cell", "shutdown", "linux"), 1);
        ASSERT_EQ(args.cell_verb, WARDEN_CELL_SHUTDOWN);
        ASSERT_EQ(args.timeout_s, 30u);
        ASSERT_EQ(WARDEN_PARSE("warden", "cell", "shutdown", "--timeout", "86400", "linux"), 1);
        ASSERT_EQ(args.timeout_s, 86400u);
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "--timeout=0", "cell", "shutdown", "linux"),
                           "needs a whole number of seconds from 1 to 86400, not '0'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "--timeout=86401", "cell", "shutdown", "linux"), "not '86401'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "--timeout=-5", "cell", "shutdown", "linux"), "not '-5'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "--timeout=5s", "cell", "shutdown", "linux"), "not '5s'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "--timeout=", "cell", "shutdown", "linux"), "not ''");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "--timeout=5", "cell", "destroy", "linux"),
                           "option '--timeout' applies to 'cell shutdown' only, not to 'cell destroy'");
        ASSERT_USAGE_ERROR(WARDEN_PARSE("warden", "--timeout=5", "status"),
                           "option '--timeout' applies to 'cell shutdown' only, not to 'status'");
}

TEST(cellctl_verbs) {
        CellctlArgs args;

        ASSERT_EQ(CELLCTL_PARSE("cellctl", "status", "--json", "--user-bus"), 1);
        ASSERT_EQ(args.verb, CELLCTL_VERB_STATUS);
        ASSERT_TRUE(args.json);
        ASSERT_TRUE(args.user_bus);
        ASSERT_NULL(args.name);

        ASSERT_EQ(CELLCTL_PARSE("cellctl", "supervise", "demo"), 1);
        ASSERT_EQ(args.verb, CELLCTL_VERB_SUPERVISE);
        ASSERT_STREQ(args.name, "demo");

        ASSERT_EQ(CELLCTL_PARSE("cellctl", "--version"), 0);
}

TEST(cellctl_usage_errors) {
        CellctlArgs args;

        ASSERT_USAGE_ERROR(CELLCTL_PARSE("cellctl"), "missing command");
        ASSERT_USAGE_ERROR(CELLCTL_PARSE("cellctl", "start"), "too few arguments for 'start'");
        ASSERT_USAGE_ERROR(CELLCTL_PARSE("cellctl", "bogus"), "unknown command 'bogus'");
        ASSERT_USAGE_ERROR(CELLCTL_PARSE("cellctl", "status", "-f"), "-f/--follow is for console only");
        ASSERT_USAGE_ERROR(CELLCTL_PARSE("cellctl", "start", "x", "--json"), "--json is not for 'start'");
        ASSERT_USAGE_ERROR(CELLCTL_PARSE("cellctl", "supervise"), "too few arguments for 'supervise'");
        ASSERT_USAGE_ERROR(CELLCTL_PARSE("cellctl", "supervise", "a", "b"), "too many arguments");
        ASSERT_USAGE_ERROR(CELLCTL_PARSE("cellctl", "status", "--jsn"), "unrecognized option '--jsn'");
}

TEST(celld_options) {
        CelldArgs args;

        ASSERT_EQ(CELLD_PARSE("celld"), 1);
        ASSERT_TRUE(args.modprobe);
        ASSERT_FALSE(args.user_bus);

        ASSERT_EQ(CELLD_PARSE("celld", "--no-modprobe", "--user-bus"), 1);
        ASSERT_FALSE(args.modprobe);
        ASSERT_TRUE(args.user_bus);

        ASSERT_EQ(CELLD_PARSE("celld", "--help"), 0);
        ASSERT_USAGE_ERROR(CELLD_PARSE("celld", "status"), "unexpected argument 'status'");
        ASSERT_USAGE_ERROR(CELLD_PARSE("celld", "--modprobe"), "unrecognized option '--modprobe'");
}

DEFINE_TEST_MAIN
