/* SPDX-License-Identifier: GPL-2.0-only */
/* warden status and monitor output, as JSON and as text, from filled structs. */
#include "tests.h"
#include "warden-format.h"

static const WardenInfo info = {
        .module_version = "0.1.0",
        .hv_version = "0.1.0-rc1",
        .hv_abi = 1,
        .hv_size = 65536,
        .state = WARDEN_HV_ENABLED,
        .cpus_possible = 4,
        .cpus_online = 3,
};

static char *dump(json_t *o) {
        char *s = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);

        json_decref(o);
        ASSERT_NOT_NULL(s);
        return s;
}

static int print_status(const void *p, FILE *f) {
        return warden_status_print(p, f);
}

static int print_event(const void *p, FILE *f) {
        return warden_event_print(p, f);
}

static char *print_to_string(int (*print)(const void *, FILE *), const void *arg) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        ASSERT_NOT_NULL(f);
        ASSERT_OK(print(arg, f));
        ASSERT_EQ(fclose(f), 0);
        return buf;
}

TEST(status_json) {
        json_t *o;
        char *s;

        ASSERT_OK(warden_status_to_json(&info, &o));
        s = dump(o);
        ASSERT_STREQ(s, "{\"state\":\"enabled\",\"module_version\":\"0.1.0\","
                        "\"hypervisor_version\":\"0.1.0-rc1\",\"hypervisor_abi\":1,"
                        "\"hypervisor_size\":65536,\"cpus_possible\":4,\"cpus_online\":3}");
        free(s);
}

TEST(status_json_unknown_state) {
        WardenInfo i = info;
        json_t *o;

        i.state = 42;
        ASSERT_OK(warden_status_to_json(&i, &o));
        ASSERT_STREQ(json_string_value(json_object_get(o, "state")), "unknown");
        json_decref(o);
}

TEST(status_text) {
        char *s = print_to_string(print_status, &info);

        ASSERT_STREQ(s,
                     "Module version:     0.1.0\n"
                     "Hypervisor version: 0.1.0-rc1\n"
                     "Hypervisor ABI:     1\n"
                     "Hypervisor size:    65536 bytes\n"
                     "State:              enabled\n"
                     "CPUs:               3 online, 4 possible\n");
        free(s);
}

TEST(status_text_no_hypervisor_version) {
        WardenInfo i = info;
        char *s;

        i.hv_version[0] = '\0';
        s = print_to_string(print_status, &i);
        ASSERT_NOT_NULL(strstr(s, "Hypervisor version: n/a\n"));
        free(s);
}

TEST(event_json) {
        WardenEvent e = { .type = WARDEN_EVENT_STATE_CHANGED, .state = WARDEN_HV_FAILED };
        json_t *o;
        char *s;

        ASSERT_OK(warden_event_to_json(&e, &o));
        s = dump(o);
        ASSERT_STREQ(s, "{\"event\":\"state-changed\",\"state\":\"failed\"}");
        free(s);

        e = (WardenEvent) { .type = WARDEN_EVENT_MODULE_UNLOADED };
        ASSERT_OK(warden_event_to_json(&e, &o));
        s = dump(o);
        ASSERT_STREQ(s, "{\"event\":\"module-unloaded\"}");
        free(s);
}

TEST(event_text) {
        WardenEvent e = { .type = WARDEN_EVENT_STATE_CHANGED, .state = WARDEN_HV_DISABLED };
        char *s = print_to_string(print_event, &e);

        ASSERT_STREQ(s, "Hypervisor state: disabled\n");
        free(s);
}

DEFINE_TEST_MAIN
