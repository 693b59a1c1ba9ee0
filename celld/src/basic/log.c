/* SPDX-License-Identifier: GPL-2.0-only */
/* Logging for the daemon and the CLIs: one line per message on stderr. */
#include <errno.h>
#include <stdarg.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "log.h"

static LogTarget log_target = LOG_TARGET_CONSOLE;
static int log_max_level = LOG_INFO;
static FILE *log_output;

void log_set_target(LogTarget target) {
        log_target = target;
}

LogTarget log_get_target(void) {
        return log_target;
}

void log_set_max_level(int level) {
        log_max_level = level;
}

int log_get_max_level(void) {
        return log_max_level;
}

void log_set_output(FILE *f) {
        log_output = f;
}

/* systemd sets $JOURNAL_STREAM to "DEV:INODE" of the stream it connected to stdout/stderr. */
static bool stderr_is_journal(void) {
        const char *e = getenv("JOURNAL_STREAM");
        unsigned long long dev, ino;
        struct stat st;

        if (!e || sscanf(e, "%llu:%llu", &dev, &ino) != 2)
                return false;
        if (fstat(STDERR_FILENO, &st) < 0)
                return false;
        return st.st_dev == dev && st.st_ino == ino;
}

void log_setup(void) {
        const char *e = getenv("WARDEN_LOG_LEVEL");

        log_set_target(stderr_is_journal() ? LOG_TARGET_JOURNAL : LOG_TARGET_CONSOLE);
        if (e && streq(e, "debug"))
                log_set_max_level(LOG_DEBUG);
}

int log_internal(int level, int error, const char *format, ...) {
        FILE *f = log_output ?: stderr;
        int saved_errno = errno;
        va_list ap;

        if (log_target == LOG_TARGET_JOURNAL)
                fprintf(f, "<%d>", level);
        else
                fprintf(f, "%s: ", program_invocation_short_name);

        errno = ERRNO_VALUE(error);     /* for %m */
        va_start(ap, format);
        vfprintf(f, format, ap);
        va_end(ap);
        fputc('\n', f);
        fflush(f);

        errno = saved_errno;
        return -ERRNO_VALUE(error);
}
