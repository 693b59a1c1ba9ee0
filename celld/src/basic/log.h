/* SPDX-License-Identifier: GPL-2.0-only */
/* Logging for the daemon and the CLIs: one line per message on stderr. */
#pragma once

#include <stdio.h>
#include <syslog.h>

#include "macro.h"

typedef enum LogTarget {
        LOG_TARGET_CONSOLE,     /* "prog: message", for the CLIs and a daemon on a terminal */
        LOG_TARGET_JOURNAL,     /* "<N>message": stderr is connected to journald */
} LogTarget;

/* Picks the target: the journal when $JOURNAL_STREAM names our stderr, else the console. */
void log_setup(void);

void log_set_target(LogTarget target);
LogTarget log_get_target(void);
void log_set_max_level(int level);
int log_get_max_level(void);
/* Where messages go (stderr when NULL); tests point this at a memory stream. */
void log_set_output(FILE *f);

/*
 * Logs at @level. @error is 0 or an errno value (either sign, maybe SYNTHETIC_ERRNO()); %m in
 * @format prints its text. Returns -ERRNO_VALUE(error), so that callers can write
 * "return log_error_errno(r, ...);".
 */
int log_internal(int level, int error, const char *format, ...)
        _printf_(3, 4) __attribute__((__nonnull__(3)));

#define log_full_errno(level, error, ...)                                               \
        ({                                                                              \
                int _level_ = (level), _e_ = (error);                                   \
                log_get_max_level() >= _level_                                          \
                        ? log_internal(_level_, _e_, __VA_ARGS__)                       \
                        : -ERRNO_VALUE(_e_);                                            \
        })

#define log_full(level, ...) ((void) log_full_errno(level, 0, __VA_ARGS__))

#define log_debug(...) log_full(LOG_DEBUG, __VA_ARGS__)
#define log_info(...) log_full(LOG_INFO, __VA_ARGS__)
#define log_notice(...) log_full(LOG_NOTICE, __VA_ARGS__)
#define log_warning(...) log_full(LOG_WARNING, __VA_ARGS__)
#define log_error(...) log_full(LOG_ERR, __VA_ARGS__)

#define log_debug_errno(error, ...) log_full_errno(LOG_DEBUG, error, __VA_ARGS__)
#define log_info_errno(error, ...) log_full_errno(LOG_INFO, error, __VA_ARGS__)
#define log_notice_errno(error, ...) log_full_errno(LOG_NOTICE, error, __VA_ARGS__)
#define log_warning_errno(error, ...) log_full_errno(LOG_WARNING, error, __VA_ARGS__)
#define log_error_errno(error, ...) log_full_errno(LOG_ERR, error, __VA_ARGS__)

#define log_oom() log_error_errno(SYNTHETIC_ERRNO(ENOMEM), "Out of memory.")
