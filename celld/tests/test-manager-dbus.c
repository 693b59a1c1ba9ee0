/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The Manager object over a direct D-Bus connection (a socketpair, no bus daemon): what a
 * client reads, and the PropertiesChanged signal a state change sends.
 */
#include <poll.h>
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
        ASSERT_EQ(c.n_changed, 3);

        /* The module appears, disabled: all three properties change. */
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

        sd_bus_flush_close_unref(client);
        sd_bus_flush_close_unref(server);
}

DEFINE_TEST_MAIN
