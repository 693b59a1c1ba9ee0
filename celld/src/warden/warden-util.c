/* SPDX-License-Identifier: GPL-2.0-only */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <poll.h>
#include <signal.h>
#include <stdlib.h>
#include <time.h>

#include "json-util.h"
#include "log.h"
#include "warden-util.h"

/* How often 'console -f' asks for more of the hypervisor's log, which raises no event. */
#define CONSOLE_FOLLOW_INTERVAL_NS (200 * 1000 * 1000L)

int warden_nl_open(const char *verb, WardenNl **ret) {
        _cleanup_(warden_nl_freep) WardenNl *nl = NULL;
        int r;

        r = warden_nl_new(&nl);
        if (r < 0)
                return log_error_errno(r, "Failed to open a generic netlink socket: %m");
        r = warden_nl_resolve(nl);
        if (r < 0)
                return log_error_errno(r, "%s: %s", verb, warden_nl_strerror(nl, r));

        *ret = TAKE_PTR(nl);
        return 0;
}

int warden_log_request_error(WardenNl *nl, int r, const char *verb) {
        const char *message = warden_nl_message(nl);

        if (message)
                return log_error_errno(r, "%s refused: %s", verb, message);
        if (ERRNO_VALUE(r) == EPERM)
                return log_error_errno(r, "%s: permission denied (needs CAP_NET_ADMIN)", verb);
        return log_error_errno(r, "%s failed: %m", verb);
}

int warden_print_json(json_t *v, bool line) {
        json_auto_t *o = v;
        int r;

        r = line ? json_print_line(o, stdout) : json_print(o, stdout);
        if (r < 0)
                return log_error_errno(r, "Failed to write JSON: %m");
        return 0;
}

static volatile sig_atomic_t console_stop;

static void console_on_signal(int sig) {
        console_stop = 1;
}

static int console_write(const WardenConsole *c, const char *what) {
        if (c->size > 0 && fwrite(c->data, 1, c->size, stdout) != c->size)
                return log_error_errno(errno ?: EIO, "Failed to write %s: %m", what);
        return 0;
}

static int console_event_ignore(const WardenEvent *event, void *userdata) {
        return 0;
}

/* Sleeps until @wake has events (any: the next read tells what changed), or a signal. */
static int console_wait(WardenEvents *wake) {
        struct pollfd p = { .fd = warden_events_get_fd(wake), .events = POLLIN };
        int r;

        if (poll(&p, 1, -1) < 0)
                return errno == EINTR ? 0 : -errno;
        r = warden_events_receive(wake, console_event_ignore, NULL);
        return r == -ENOBUFS ? 0 : r;   /* lost events: the next read catches up anyway */
}

int warden_console_print(WardenNl *nl, const char *verb, const char *what, bool follow,
                         WardenEvents *wake, warden_console_read_t read, void *userdata) {
        _cleanup_free_ WardenConsole *c = NULL;
        struct sigaction sa = { .sa_handler = console_on_signal };
        uint64_t pos = 0;
        int r;

        c = malloc(sizeof(*c));
        if (!c)
                return log_oom();

        /* Ctrl-C ends -f with status 0; the sleep below returns early. */
        if (follow) {
                (void) sigaction(SIGINT, &sa, NULL);
                (void) sigaction(SIGTERM, &sa, NULL);
        }

        while (!console_stop) {
                r = read(nl, pos, c, userdata);
                if (r < 0)
                        return warden_log_request_error(nl, r, verb);

                if (c->head < pos) {
                        /* A new ring since the last read (e.g. the hypervisor disabled and enabled again). */
                        log_notice("%c%s restarted.", toupper((unsigned char) what[0]), what + 1);
                        pos = 0;
                        continue;
                }
                if (c->pos > pos)
                        log_warning("%" PRIu64 " bytes of %s were overwritten before they could be read.",
                                    c->pos - pos, what);
                r = console_write(c, what);
                if (r < 0)
                        return r;
                pos = c->pos + c->size;
                if (c->size > 0 && pos < c->head)
                        continue;       /* more right now */

                if (!follow)
                        break;
                if (fflush(stdout) == EOF)
                        return log_error_errno(errno, "Failed to write %s: %m", what);
                if (!wake) {
                        (void) nanosleep(&(struct timespec) { .tv_nsec = CONSOLE_FOLLOW_INTERVAL_NS }, NULL);
                        continue;
                }
                r = console_wait(wake);
                if (r < 0)
                        return log_error_errno(r, "Failed to wait for %s: %m", what);
        }

        if (fflush(stdout) == EOF)
                return log_error_errno(errno, "Failed to write %s: %m", what);
        return 0;
}
