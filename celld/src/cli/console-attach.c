/* SPDX-License-Identifier: GPL-2.0-only */
/* A terminal attached to a cell's console (see console-attach.h). */
#include <errno.h>
#include <poll.h>
#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <termios.h>
#include <time.h>
#include <unistd.h>

#include "console-attach.h"
#include "log.h"
#include "macro.h"

#define INPUT_MAX 4096                  /* typed bytes waiting for the cell's FIFO */
#define MIN(a, b) ((a) < (b) ? (a) : (b))
#define RETRY_MS 10                     /* the FIFO was full: try again after */
#define DRAIN_USEC 2000000ULL           /* at the end of the input, how long to wait for the FIFO */

bool console_escape_feed(ConsoleEscape *e, uint8_t c, uint64_t now_usec) {
        if (c != CONSOLE_ESCAPE_CHAR) {
                e->count = 0;
                return false;
        }
        if (e->count == 0 || now_usec - e->first_usec > CONSOLE_ESCAPE_USEC) {
                e->count = 1;
                e->first_usec = now_usec;
                return false;
        }
        return ++e->count >= CONSOLE_ESCAPE_COUNT;
}

static uint64_t now_usec(void) {
        struct timespec ts;

        (void) clock_gettime(CLOCK_MONOTONIC, &ts);
        return (uint64_t) ts.tv_sec * 1000000ULL + (uint64_t) ts.tv_nsec / 1000;
}

static volatile sig_atomic_t attach_stop;

static void on_signal(int sig) {
        attach_stop = 1;
}

typedef struct Session {
        WardenNl *nl;
        WardenEvents *ev;
        uint32_t id;
        const char *what;
        uint64_t pos;
        WardenConsole *con;
        console_send_t send;
        void *userdata;
        uint8_t input[INPUT_MAX];
        size_t input_len;
        bool input_eof;
        bool fifo_full;
        ConsoleEscape escape;
} Session;

static int ignore_event(const WardenEvent *event, void *userdata) {
        return 0;
}

/* session_step(): the cell no longer exists (it powered off, or was stopped or destroyed). */
#define SESSION_GONE 2

/* Prints what the cell wrote since @s->pos; SESSION_GONE once the cell is gone. */
static int session_output(Session *s) {
        for (;;) {
                int r = warden_nl_cell_console(s->nl, s->id, s->pos, s->con);

                /* The first read found it: it went away while attached, which is not a failure. */
                if (r == -ENOENT && s->pos != UINT64_MAX)
                        return SESSION_GONE;
                if (r < 0)
                        return log_error_errno(r, "Failed to read the console of %s: %s", s->what,
                                               warden_nl_strerror(s->nl, r));
                if (s->con->size > 0 && fwrite(s->con->data, 1, s->con->size, stdout) != s->con->size)
                        return log_error_errno(EIO, "Failed to write the console of %s.", s->what);
                s->pos = s->con->pos + s->con->size;
                if (s->con->size == 0 || s->pos >= s->con->head)
                        break;
        }
        if (fflush(stdout) == EOF)
                return log_error_errno(errno, "Failed to write the console of %s: %m", s->what);
        return 0;
}

/* Reads what was typed; 1: the escape sequence ends the session. */
static int session_read_input(Session *s) {
        ssize_t n = read(STDIN_FILENO, s->input + s->input_len, sizeof(s->input) - s->input_len);

        if (n < 0)
                return IN_SET(errno, EINTR, EAGAIN) ? 0 : log_error_errno(errno, "Failed to read the input: %m");
        if (n == 0) {
                s->input_eof = true;
                return 0;
        }
        for (ssize_t i = 0; i < n; i++)
                if (console_escape_feed(&s->escape, s->input[s->input_len + i], now_usec()))
                        return 1;
        s->input_len += (size_t) n;
        return 0;
}

/* Gives the cell what it takes of the typed bytes. */
static int session_send(Session *s) {
        s->fifo_full = false;
        while (s->input_len > 0) {
                size_t n = MIN(s->input_len, (size_t) WARDEN_GENL_CONSOLE_WRITE_MAX), written = 0;
                int r = s->send(s->input, n, &written, s->userdata);

                if (r < 0)
                        return r;
                memmove(s->input, s->input + written, s->input_len - written);
                s->input_len -= written;
                if (written < n) {
                        s->fifo_full = true;
                        break;
                }
        }
        return 0;
}

static int session_step(Session *s, uint64_t *drain_until) {
        struct pollfd p[2] = {
                { .fd = warden_events_get_fd(s->ev), .events = POLLIN },
                { .fd = STDIN_FILENO, .events = POLLIN },
        };
        bool want_input = !s->input_eof && s->input_len < sizeof(s->input);
        int r;

        /* After the end of the input nothing but the FIFO is waited for: never block. */
        if (poll(p, want_input ? 2 : 1, s->fifo_full || s->input_eof ? RETRY_MS : -1) < 0)
                return errno == EINTR ? 0 : log_error_errno(errno, "Failed to wait for the console: %m");
        if (p[0].revents & POLLIN) {
                r = warden_events_receive(s->ev, ignore_event, NULL);
                if (r < 0 && r != -ENOBUFS)
                        return log_error_errno(r, "Failed to receive the module's events: %m");
        }
        r = session_output(s);
        if (r != 0)
                return r;
        if (want_input && p[1].revents & (POLLIN | POLLHUP)) {
                r = session_read_input(s);
                if (r != 0)
                        return r;
        }
        r = session_send(s);
        if (r < 0)
                return r;
        if (s->input_eof && *drain_until == 0)
                *drain_until = now_usec() + DRAIN_USEC;
        /* The end of the input: leave once the cell took it all, or gave up taking it. */
        return s->input_eof && (s->input_len == 0 || now_usec() > *drain_until);
}

int console_attach(WardenNl *nl, uint32_t id, const char *what, console_send_t send, void *userdata) {
        _cleanup_(warden_events_freep) WardenEvents *ev = NULL;
        _cleanup_free_ WardenConsole *con = malloc(sizeof(WardenConsole));
        _cleanup_free_ Session *s = calloc(1, sizeof(Session));
        struct sigaction sa = { .sa_handler = on_signal };
        struct termios saved, raw;
        uint64_t drain_until = 0;
        bool tty;
        int r;

        if (!con || !s)
                return log_oom();
        /* Subscribed before the first read: output written in between still wakes us. */
        r = warden_events_new(nl, &ev);
        if (r < 0)
                return log_error_errno(r, "Failed to subscribe to the module's events: %m");
        warden_events_want_cells(ev, true);
        *s = (Session) { .nl = nl, .ev = ev, .id = id, .what = what, .pos = UINT64_MAX, .con = con,
                         .send = send, .userdata = userdata };
        /* From what the cell writes next on: its past is in the journal. */
        r = session_output(s);
        if (r < 0)
                return r;

        tty = isatty(STDIN_FILENO) && tcgetattr(STDIN_FILENO, &saved) == 0;
        (void) sigaction(SIGINT, &sa, NULL);
        (void) sigaction(SIGTERM, &sa, NULL);
        fprintf(stderr, "Connected to the console of %s. Press ^] three times within 1s to exit session.\n", what);
        if (tty) {
                raw = saved;
                cfmakeraw(&raw);
                (void) tcsetattr(STDIN_FILENO, TCSANOW, &raw);
        }
        attach_stop = 0;
        while (!attach_stop) {
                r = session_step(s, &drain_until);
                if (r != 0)
                        break;
        }
        if (tty)
                (void) tcsetattr(STDIN_FILENO, TCSANOW, &saved);
        if (r == SESSION_GONE)
                fprintf(stderr, "\nConnection to the console of %s terminated: the cell is gone (it powered off, or was stopped or restarted).\n",
                        what);
        else
                fprintf(stderr, "\nConnection to the console of %s terminated.\n", what);
        return r < 0 ? r : 0;
}
