/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Manager object over a direct D-Bus connection (a socketpair, no bus daemon): what a
 * client reads, and the PropertiesChanged signal a state change sends.
 */
#include <limits.h>
#include <poll.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include <sys/socket.h>
#include <systemd/sd-bus.h>

#include "bus-names.h"
#include "manager-dbus.h"
#include "tests.h"

#define PROPERTIES_INTERFACE "org.freedesktop.DBus.Properties"

typedef struct Client {
        bool got_reply;
        bool got_signal;
        char state[32];         /* HypervisorState from the last reply or signal */
        unsigned n_changed;     /* properties in the last PropertiesChanged */
} Client;

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

/* Reads a{sv}, keeping HypervisorState and counting entries. */
static void read_dict(sd_bus_message *m, Client *c) {
        const char *name, *value;

        c->n_changed = 0;
        ASSERT_OK(sd_bus_message_enter_container(m, 'a', "{sv}"));
        while (ASSERT_OK(sd_bus_message_enter_container(m, 'e', "sv")) > 0) {
                ASSERT_OK(sd_bus_message_read(m, "s", &name));
                ASSERT_OK(sd_bus_message_read(m, "v", "s", &value));
                if (streq(name, "HypervisorState"))
                        snprintf(c->state, sizeof(c->state), "%s", value);
                c->n_changed++;
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
        ASSERT_STREQ(interface, CELLD_MANAGER_INTERFACE);
        read_dict(m, c);        /* EMITS_CHANGE: the new values travel with the signal */
        c->got_signal = true;
        return 0;
}

TEST(get_all_and_properties_changed) {
        static const WardenInfo info = { .module_version = "0.1.0", .hv_version = "0.1.0" };
        sd_bus *server, *client;
        ManagerBusSnapshot old;
        Manager m = {};
        Client c = {};

        connect_pair(&server, &client);
        m.bus = server;
        ASSERT_OK(manager_bus_register(&m));
        ASSERT_OK(sd_bus_match_signal(client, NULL, NULL, CELLD_OBJECT_PATH, PROPERTIES_INTERFACE,
                                      "PropertiesChanged", on_changed, &c));

        ASSERT_OK(sd_bus_call_method_async(client, NULL, NULL, CELLD_OBJECT_PATH, PROPERTIES_INTERFACE,
                                           "GetAll", on_reply, &c, "s", CELLD_MANAGER_INTERFACE));
        pump(server, client, &c.got_reply);
        ASSERT_STREQ(c.state, "unavailable");
        ASSERT_EQ(c.n_changed, 4);

        /* The module appears, disabled: all three properties it names change. */
        manager_bus_snapshot(&m, &old);
        m.available = true;
        m.info = info;
        ASSERT_EQ(manager_bus_emit_changes(&m, &old), 3);
        pump(server, client, &c.got_signal);
        ASSERT_STREQ(c.state, "disabled");
        ASSERT_EQ(c.n_changed, 3);

        /* Then only the state. */
        c.got_signal = false;
        manager_bus_snapshot(&m, &old);
        m.info.state = WARDEN_HV_ENABLED;
        ASSERT_EQ(manager_bus_emit_changes(&m, &old), 1);
        pump(server, client, &c.got_signal);
        ASSERT_STREQ(c.state, "enabled");
        ASSERT_EQ(c.n_changed, 1);

        /* A destroy leaves CPU 2 quarantined: only that changes. */
        c.got_signal = false;
        manager_bus_snapshot(&m, &old);
        strcpy(m.quarantined, "2");
        ASSERT_EQ(manager_bus_emit_changes(&m, &old), 1);
        pump(server, client, &c.got_signal);
        ASSERT_EQ(c.n_changed, 1);

        sd_bus_flush_close_unref(client);
        sd_bus_flush_close_unref(server);
}

/* Validate(path): the diagnostics of a file or a directory, as structured data. */
typedef struct ValidateReply {
        bool done;
        char error[256];        /* the D-Bus error name, "" on success */
        char rows[8][512];      /* "file:line:col severity rule message" */
        unsigned n;
} ValidateReply;

static int on_validate(sd_bus_message *m, void *userdata, sd_bus_error *error) {
        ValidateReply *v = userdata;
        const char *file, *severity, *rule, *message;
        unsigned line, column;

        v->done = true;
        if (sd_bus_message_is_method_error(m, NULL)) {
                snprintf(v->error, sizeof(v->error), "%s", sd_bus_message_get_error(m)->name);
                return 0;
        }
        ASSERT_OK(sd_bus_message_enter_container(m, 'a', "(suusss)"));
        while (ASSERT_OK(sd_bus_message_read(m, "(suusss)", &file, &line, &column, &severity, &rule, &message)) > 0) {
                ASSERT_TRUE(v->n < ELEMENTSOF(v->rows));
                snprintf(v->rows[v->n++], sizeof(v->rows[0]), "%s:%u:%u %s %s %s", file, line, column, severity,
                         rule, message);
        }
        ASSERT_OK(sd_bus_message_exit_container(m));
        return 0;
}

static void validate(sd_bus *server, sd_bus *client, const char *path, ValidateReply *v) {
        *v = (ValidateReply) {};
        ASSERT_OK(sd_bus_call_method_async(client, NULL, NULL, CELLD_OBJECT_PATH, CELLD_MANAGER_INTERFACE,
                                           "Validate", on_validate, v, "s", path));
        pump(server, client, &v->done);
}

static void write_file(const char *path, const char *text) {
        FILE *f = fopen(path, "we");

        ASSERT_NOT_NULL(f);
        ASSERT_TRUE(fputs(text, f) >= 0);
        ASSERT_OK(fclose(f));
}

TEST(validate) {
        char dir[] = "/tmp/test-manager-dbus-XXXXXX", root[PATH_MAX], path[PATH_MAX], want[PATH_MAX + 128];
        sd_bus *server, *client;
        ValidateReply v;
        Manager m = {};

        ASSERT_NOT_NULL(mkdtemp(dir));
        snprintf(root, sizeof(root), "%s/root", dir);   /* no drop-in directories: no system.yaml */
        m.config_root = root;
        connect_pair(&server, &client);
        m.bus = server;
        ASSERT_OK(manager_bus_register(&m));

        /* A broken file: its errors, located, sorted by place; the hint goes with the message. */
        snprintf(path, sizeof(path), "%s/broken.yaml", dir);
        write_file(path, "cell: broken\ncpus: [2]\nmemroy: 1\n");
        validate(server, client, path, &v);
        ASSERT_STREQ(v.error, "");
        ASSERT_EQ(v.n, 3);
        snprintf(want, sizeof(want), "%s:0:0 warning system-missing no system description", path);
        ASSERT_TRUE(strncmp(v.rows[0], want, strlen(want)) == 0);
        snprintf(want, sizeof(want), "%s:1:1 error schema-required missing required property 'memory' (", path);
        ASSERT_TRUE(strncmp(v.rows[1], want, strlen(want)) == 0);
        snprintf(want, sizeof(want), "%s:3:1 error schema-additional unknown property 'memroy' "
                 "(did you mean 'memory'?)", path);
        ASSERT_STREQ(v.rows[2], want);

        /* A directory: each description in it; a FIFO is not opened (it would block celld). */
        snprintf(path, sizeof(path), "%s/fifo.yaml", dir);
        ASSERT_OK(mkfifo(path, 0600));
        validate(server, client, dir, &v);
        ASSERT_STREQ(v.error, "");
        ASSERT_EQ(v.n, 4);
        snprintf(want, sizeof(want), "%s/fifo.yaml:0:0 error io not a regular file or a directory", dir);
        ASSERT_STREQ(v.rows[3], want);

        /* A missing file is a diagnostic too; one in celld's private /tmp says why. */
        validate(server, client, "/tmp/surely/not/here.yaml", &v);
        ASSERT_EQ(v.n, 1);
        ASSERT_TRUE(strstr(v.rows[0], "error io cannot read file: No such file or directory (celld runs with "
                                      "PrivateTmp=") != NULL);

        /* A relative path is refused: celld's working directory is not the caller's. */
        validate(server, client, "broken.yaml", &v);
        ASSERT_STREQ(v.error, SD_BUS_ERROR_INVALID_ARGS);

        /* A valid file: no diagnostics but the missing system description. */
        snprintf(path, sizeof(path), "%s/fifo.yaml", dir);
        ASSERT_OK(unlink(path));
        snprintf(path, sizeof(path), "%s/broken.yaml", dir);
        write_file(path, "cell: broken\ncpus: [2]\nmemory:\n  - name: ram\n    host: 0x7100_0000\n"
                   "    size: 1M\n    access: [read, write, execute]\nentry: 0x7100_0000\n");
        validate(server, client, path, &v);
        ASSERT_STREQ(v.error, "");
        for (unsigned i = 0; i < v.n; i++)
                ASSERT_TRUE(strstr(v.rows[i], " error ") == NULL);
        ASSERT_OK(unlink(path));
        ASSERT_OK(rmdir(dir));

        sd_bus_flush_close_unref(client);
        sd_bus_flush_close_unref(server);
}

DEFINE_TEST_MAIN
