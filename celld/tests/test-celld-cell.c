/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * celld's cells without a module: object paths, the configuration file, the state file,
 * what PropertiesChanged announces, and a cell object over a direct D-Bus connection.
 */
#include <poll.h>
#include <sys/socket.h>
#include <sys/stat.h>
#include <systemd/sd-bus.h>
#include <unistd.h>

#include "bus-names.h"
#include "cell-dbus.h"
#include "cell-state-file.h"
#include "cell.h"
#include "celld-conf.h"
#include "desc-set.h"
#include "log.h"
#include "manager.h"
#include "tests.h"

#define HELLO "cells.d/hello.yaml"

/* The tests run from the repository root (tests/run) or from celld/ (make check). */
static void setup(void) {
        struct stat st;

        if (stat(HELLO, &st) < 0)
                ASSERT_OK(chdir(".."));
        ASSERT_OK(stat(HELLO, &st));
}

TEST(object_paths) {
        _cleanup_free_ char *p = NULL, *q = NULL, *name = NULL;

        ASSERT_OK(sd_bus_path_encode(CELLD_CELL_PATH_PREFIX, "hello", &p));
        ASSERT_STREQ(p, "/org/warden/cell1/cell/hello");
        ASSERT_OK(sd_bus_path_encode(CELLD_CELL_PATH_PREFIX, "gic-demo", &q));
        ASSERT_STREQ(q, "/org/warden/cell1/cell/gic_2ddemo");
        ASSERT_OK(sd_bus_path_decode(q, CELLD_CELL_PATH_PREFIX, &name));
        ASSERT_STREQ(name, "gic-demo");
        free(name);
        name = NULL;
        /* A leading digit is escaped too (object path elements may start with one, sd-bus escapes it). */
        free(p);
        ASSERT_OK(sd_bus_path_encode(CELLD_CELL_PATH_PREFIX, "0cell", &p));
        ASSERT_OK(sd_bus_path_decode(p, CELLD_CELL_PATH_PREFIX, &name));
        ASSERT_STREQ(name, "0cell");
}

TEST(state_and_result_names) {
        ASSERT_STREQ(cell_state_to_string(CELL_RESTARTING), "restarting");
        ASSERT_EQ(cell_state_from_string("failed"), CELL_FAILED);
        ASSERT_EQ(cell_state_from_string("bogus"), _CELL_STATE_INVALID);
        ASSERT_STREQ(cell_result_to_string(CELL_RESULT_START_LIMIT), "start-limit");
        ASSERT_EQ(cell_result_from_string("watchdog"), CELL_RESULT_WATCHDOG);
        for (int i = 0; i < _CELL_STATE_MAX; i++)
                ASSERT_NOT_NULL(cell_state_to_string(i));
        for (int i = 0; i < _CELL_RESULT_MAX; i++)
                ASSERT_NOT_NULL(cell_result_to_string(i));
}

static int parse_conf(const char *text, CelldConf *conf) {
        FILE *f = fmemopen((void *) text, strlen(text), "r");
        int r;

        ASSERT_NOT_NULL(f);
        r = celld_conf_parse(f, "test.conf", conf);
        fclose(f);
        return r;
}

TEST(configuration_file) {
        CelldConf conf = CELLD_CONF_DEFAULTS;
        char *buf = NULL;
        size_t size = 0;
        FILE *log = open_memstream(&buf, &size);

        ASSERT_TRUE(conf.enable_hypervisor);
        ASSERT_EQ(parse_conf("# comment\n[Manager]\n  EnableHypervisor = no  \n", &conf), 0);
        ASSERT_FALSE(conf.enable_hypervisor);
        ASSERT_EQ(parse_conf("[Manager]\nEnableHypervisor=yes\n", &conf), 0);
        ASSERT_TRUE(conf.enable_hypervisor);

        log_set_output(log);
        ASSERT_EQ(parse_conf("[Manager]\nEnableHypervisor=maybe\nBogus=1\n[Other]\nX=1\nno equals\n", &conf), 4);
        log_set_output(NULL);
        fclose(log);
        ASSERT_TRUE(conf.enable_hypervisor);
        ASSERT_NOT_NULL(strstr(buf, "test.conf:2: EnableHypervisor= takes a boolean, not 'maybe'"));
        ASSERT_NOT_NULL(strstr(buf, "test.conf:3: unknown key 'Bogus'"));
        ASSERT_NOT_NULL(strstr(buf, "test.conf:4: unknown section [Other]"));
        ASSERT_NOT_NULL(strstr(buf, "test.conf:6: no '='"));
        free(buf);

        ASSERT_EQ(parse_boolean("TRUE"), 1);
        ASSERT_EQ(parse_boolean("off"), 0);
        ASSERT_ERROR(parse_boolean(""), EINVAL);
        ASSERT_OK(celld_conf_load("/nonexistent/celld.conf", &conf));
}

TEST(state_file_round_trip) {
        CellStateFile s = {
                .state = CELL_RESTARTING,
                .result = CELL_RESULT_WATCHDOG,
                .id = 7,
                .started_usec = UINT64_C(1700000000000000),
                .restart_count = 2,
                .restart = { .window_begin_usec = 123456789, .in_window = 2 },
                .restart_at_usec = 987654321,
                .console_pos = 4242,
                .last_failure = "watchdog: no heartbeat\nwithin 5000 ms",
                .status_text = "Restart 2/5 in 200 ms after watchdog",
        }, back;
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        ASSERT_OK(cell_state_file_write(&s, f));
        fclose(f);
        ASSERT_NOT_NULL(strstr(buf, "state=restarting\n"));
        f = fmemopen(buf, size, "r");
        ASSERT_OK(cell_state_file_read(f, &back));
        fclose(f);
        free(buf);
        ASSERT_EQ(back.state, CELL_RESTARTING);
        ASSERT_EQ(back.result, CELL_RESULT_WATCHDOG);
        ASSERT_EQ(back.id, 7);
        ASSERT_EQ(back.started_usec, s.started_usec);
        ASSERT_EQ(back.restart_count, 2);
        ASSERT_EQ(back.restart.window_begin_usec, 123456789);
        ASSERT_EQ(back.restart.in_window, 2);
        ASSERT_EQ(back.restart_at_usec, 987654321);
        ASSERT_EQ(back.console_pos, 4242);
        ASSERT_STREQ(back.last_failure, "watchdog: no heartbeat within 5000 ms");   /* one line */
        ASSERT_STREQ(back.status_text, s.status_text);

        /* Garbage and unknown keys are skipped. */
        f = fmemopen((void *) "state=bogus\nnoise\nfuture-key=1\nid=3\n", 36, "r");
        ASSERT_OK(cell_state_file_read(f, &back));
        fclose(f);
        ASSERT_EQ(back.state, CELL_INACTIVE);
        ASSERT_EQ(back.id, 3);
}

TEST(snapshot_diff) {
        CellSnapshot a = { .state = CELL_RUNNING }, b = a;
        const char *changed[16];

        ASSERT_EQ(cell_snapshot_diff(&a, &b, changed), 0);
        ASSERT_NULL(changed[0]);
        b.locked = true;        /* "running/locked" is a State */
        ASSERT_EQ(cell_snapshot_diff(&a, &b, changed), 1);
        ASSERT_STREQ(changed[0], "State");
        b.restart_count = 1;
        snprintf(b.status_text, sizeof(b.status_text), "Restart 1/5");
        ASSERT_EQ(cell_snapshot_diff(&a, &b, changed), 3);
        ASSERT_STREQ(changed[1], "RestartCount");
        ASSERT_STREQ(changed[2], "StatusText");
        ASSERT_NULL(changed[3]);
}

/* hello.yaml compiled, as celld has it from its DescSet. */
static void compile_hello(void **ret, size_t *ret_size) {
        DescSet *s = NULL;

        setup();
        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, HELLO, NULL));
        ASSERT_OK(desc_set_check(s));
        ASSERT_NOT_NULL(s->units[0].blob);
        *ret = TAKE_PTR(s->units[0].blob);
        *ret_size = s->units[0].blob_size;
        desc_set_free(s);
}

/* Runs both ends, single-threaded, until *done or a second without progress. */
static void pump(sd_bus *a, sd_bus *b, const bool *done) {
        while (!*done) {
                int ra = ASSERT_OK(sd_bus_process(a, NULL));
                int rb = ASSERT_OK(sd_bus_process(b, NULL));
                struct pollfd p[2] = {
                        { .fd = sd_bus_get_fd(a), .events = (short) sd_bus_get_events(a) },
                        { .fd = sd_bus_get_fd(b), .events = (short) sd_bus_get_events(b) },
                };

                if (ra > 0 || rb > 0 || *done)
                        continue;
                ASSERT_TRUE(poll(p, 2, 1000) > 0);
        }
}

static void connect_pair(sd_bus **ret_server, sd_bus **ret_client) {
        sd_bus *server, *client;
        sd_id128_t id;
        int fds[2];

        ASSERT_OK(socketpair(AF_UNIX, SOCK_STREAM | SOCK_CLOEXEC | SOCK_NONBLOCK, 0, fds));
        ASSERT_OK(sd_id128_randomize(&id));
        ASSERT_OK(sd_bus_new(&server));
        ASSERT_OK(sd_bus_set_fd(server, fds[0], fds[0]));
        ASSERT_OK(sd_bus_set_server(server, 1, id));
        ASSERT_OK(sd_bus_start(server));
        ASSERT_OK(sd_bus_new(&client));
        ASSERT_OK(sd_bus_set_fd(client, fds[1], fds[1]));
        ASSERT_OK(sd_bus_start(client));
        *ret_server = server;
        *ret_client = client;
}

typedef struct Client {
        bool got_reply;
        bool got_signal;
        char state[32];
        char name[32];
        char config[256];
        uint64_t memory;
        int may_refuse;         /* -1 until read */
        unsigned n;
} Client;

static void read_dict(sd_bus_message *m, Client *c) {
        const char *name, *contents, *v;

        c->n = 0;
        ASSERT_OK(sd_bus_message_enter_container(m, 'a', "{sv}"));
        while (ASSERT_OK(sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                ASSERT_OK(sd_bus_message_read(m, "s", &name));
                ASSERT_OK(sd_bus_message_peek_type(m, NULL, &contents));
                if (streq(name, "State") || streq(name, "Name") || streq(name, "ConfigFile")) {
                        ASSERT_OK(sd_bus_message_read(m, "v", "s", &v));
                        snprintf(streq(name, "State") ? c->state : streq(name, "Name") ? c->name : c->config,
                                 streq(name, "ConfigFile") ? sizeof(c->config) : sizeof(c->state), "%s", v);
                } else if (streq(name, "MemoryBytes"))
                        ASSERT_OK(sd_bus_message_read(m, "v", "t", &c->memory));
                else if (streq(name, "MayRefuse"))
                        ASSERT_OK(sd_bus_message_read(m, "v", "b", &c->may_refuse));
                else
                        ASSERT_OK(sd_bus_message_skip(m, "v"));
                c->n++;
                ASSERT_OK(sd_bus_message_exit_container(m));
        }
        ASSERT_OK(sd_bus_message_exit_container(m));
}

static int on_reply(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        Client *c = userdata;

        ASSERT_FALSE(sd_bus_message_is_method_error(m, NULL));
        read_dict(m, c);
        c->got_reply = true;
        return 0;
}

static int on_changed(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        const char *interface;
        Client *c = userdata;

        ASSERT_OK(sd_bus_message_read(m, "s", &interface));
        ASSERT_STREQ(interface, CELLD_CELL_INTERFACE);
        read_dict(m, c);
        c->got_signal = true;
        return 0;
}

TEST(cell_object) {
        _cleanup_free_ void *blob = NULL;
        sd_bus *server, *client;
        Manager m = {};
        Client c = { .may_refuse = -1 };
        Cell *cell;
        size_t size;

        compile_hello(&blob, &size);
        connect_pair(&server, &client);
        m.bus = server;
        ASSERT_OK(cell_new(&m, "hello", HELLO, blob, size, &cell));
        ASSERT_STREQ(cell->object_path, "/org/warden/cell1/cell/hello");
        ASSERT_EQ(cell->policy.mode, WARDEN_RESTART_ON_FAILURE);
        ASSERT_EQ(cell->desc.policy->watchdog_ms, 5000);
        ASSERT_OK(cell_bus_register(cell));
        ASSERT_OK(sd_bus_match_signal(client, NULL, NULL, cell->object_path, "org.freedesktop.DBus.Properties",
                                      "PropertiesChanged", on_changed, &c));

        ASSERT_OK(sd_bus_call_method_async(client, NULL, NULL, cell->object_path, "org.freedesktop.DBus.Properties",
                                           "GetAll", on_reply, &c, "s", CELLD_CELL_INTERFACE));
        pump(server, client, &c.got_reply);
        ASSERT_STREQ(c.state, "inactive");
        ASSERT_STREQ(c.name, "hello");
        ASSERT_STREQ(c.config, HELLO);
        ASSERT_EQ(c.memory, 1024 * 1024);
        ASSERT_EQ(c.may_refuse, 0);
        ASSERT_EQ(c.n, 16);

        /* A change announces what changed, with the new values. */
        cell->state = CELL_RUNNING;
        cell->id = 1;
        cell->locked = true;
        ASSERT_EQ(cell_bus_emit_changes(cell), 2);
        pump(server, client, &c.got_signal);
        ASSERT_STREQ(c.state, "running/locked");
        ASSERT_EQ(c.n, 2);
        ASSERT_EQ(cell_bus_emit_changes(cell), 0);

        cell_bus_unregister(cell);
        cell_free(cell);
        sd_bus_flush_close_unref(client);
        sd_bus_flush_close_unref(server);
}

/* A cooperative cell without a console (nothing to read from a module), granted may-refuse. */
static void compile_refuser(void **ret, size_t *ret_size) {
        char dir[] = "/tmp/test-celld-refuser-XXXXXX", path[64];
        DescSet *s = NULL;
        FILE *f;

        setup();
        ASSERT_NOT_NULL(mkdtemp(dir));
        snprintf(path, sizeof(path), "%s/refuser.yaml", dir);
        f = fopen(path, "w");
        ASSERT_NOT_NULL(f);
        fputs("cell: refuser\ncpus: [2]\nmemory:\n  - name: ram\n    guest: 0x0\n    host: 0x7200_0000\n"
              "    size: 1M\n    access: [read, write, execute]\nentry: 0x0\nconsole: none\n"
              "shutdown-timeout: 2s\nmay-refuse: true\n", f);
        fclose(f);
        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, path, NULL));
        ASSERT_OK(desc_set_check(s));
        *ret = TAKE_PTR(s->units[0].blob);
        *ret_size = s->units[0].blob_size;
        desc_set_free(s);
        unlink(path);
        rmdir(dir);
}

/* MayRefuse says the grant of the description in effect. */
TEST(may_refuse_property) {
        _cleanup_free_ void *blob = NULL;
        sd_bus *server, *client;
        Manager m = {};
        Client c = { .may_refuse = -1 };
        Cell *cell;
        size_t size;

        compile_refuser(&blob, &size);
        connect_pair(&server, &client);
        m.bus = server;
        ASSERT_OK(cell_new(&m, "refuser", "/etc/cells.d/refuser.yaml", blob, size, &cell));
        ASSERT_OK(cell_bus_register(cell));
        ASSERT_OK(sd_bus_call_method_async(client, NULL, NULL, cell->object_path, "org.freedesktop.DBus.Properties",
                                           "GetAll", on_reply, &c, "s", CELLD_CELL_INTERFACE));
        pump(server, client, &c.got_reply);
        ASSERT_STREQ(c.name, "refuser");
        ASSERT_EQ(c.may_refuse, 1);

        cell_bus_unregister(cell);
        cell_free(cell);
        sd_bus_flush_close_unref(client);
        sd_bus_flush_close_unref(server);
}

/* The answer to a stop's shutdown request arrives: a refusal (the request is no longer pending). */
static void refuse(Cell *cell) {
        WardenCellInfo info = {
                .id = cell->id,
                .state = WARDEN_CELL_RUNNING,
                .flags = WARDEN_CELL_INFO_REFUSED,
        };

        cell_on_info(cell, &info);
}

TEST(stop_refused_only_with_may_refuse) {
        _cleanup_free_ void *blob = NULL;
        char *buf = NULL;
        size_t size, n = 0;
        Manager m = {};
        Cell *cell;
        FILE *log;

        compile_refuser(&blob, &size);
        ASSERT_OK(cell_new(&m, "refuser", "/etc/cells.d/refuser.yaml", blob, size, &cell));
        ASSERT_TRUE(cell->desc.cell->flags & WARDEN_CELL_MAY_REFUSE);
        log = open_memstream(&buf, &n);
        ASSERT_NOT_NULL(log);
        log_set_output(log);

        /* Granted: the refusal stands, the stop fails, the cell runs on. */
        cell->id = 3;
        cell->state = CELL_STOPPING;
        cell->job = CELL_JOB_STOP;
        refuse(cell);
        ASSERT_EQ(cell->state, CELL_RUNNING);
        ASSERT_EQ(cell->job, CELL_JOB_NONE);
        ASSERT_EQ(cell->id, 3);

        /* Not granted: the refusal does not count; the cell waits for its timeout, said once. */
        ((struct warden_cell *) cell->desc.cell)->flags &= ~WARDEN_CELL_MAY_REFUSE;
        cell->state = CELL_STOPPING;
        cell->job = CELL_JOB_STOP;
        refuse(cell);
        refuse(cell);
        ASSERT_EQ(cell->state, CELL_STOPPING);
        ASSERT_EQ(cell->job, CELL_JOB_STOP);
        ASSERT_TRUE(cell->stop_refused);
        ASSERT_NOT_NULL(strstr(cell->status_text, "does not allow"));
        ASSERT_NOT_NULL(strstr(cell->status_text, "2 s"));

        log_set_output(NULL);
        fclose(log);
        fputs(buf, stderr);
        ASSERT_NOT_NULL(strstr(buf, "Cell refuser was not stopped: it refused the shutdown request, which its "
                                    "description allows (may-refuse: true); it keeps running."));
        ASSERT_NOT_NULL(strstr(buf, "Cell refuser refused the shutdown request, but its description does not let it "
                                    "refuse (may-refuse: false): it is stopped without its approval when its "
                                    "shutdown timeout of 2 s ends."));
        /* Once. */
        ASSERT_NULL(strstr(strstr(buf, "but its description does not let it refuse") + 1,
                           "but its description does not let it refuse"));
        free(buf);
        cell->id = 0;
        cell_free(cell);
}

DEFINE_TEST_MAIN
