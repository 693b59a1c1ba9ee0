/* SPDX-License-Identifier: GPL-2.0-only */
/* cellctl status output, as JSON and as text, from a filled ManagerStatus. */
#include "cellctl-format.h"
#include "tests.h"

static void fill(ManagerStatus *s, const char *state, const char *module, const char *hv) {
        manager_status_set(s, manager_status_field("HypervisorState"), state ? strdup(state) : NULL);
        manager_status_set(s, manager_status_field("ModuleVersion"), module ? strdup(module) : NULL);
        manager_status_set(s, manager_status_field("HypervisorVersion"), hv ? strdup(hv) : NULL);
}

TEST(fields) {
        ASSERT_NOT_NULL(manager_status_field("HypervisorState"));
        ASSERT_NOT_NULL(manager_status_field("ModuleVersion"));
        ASSERT_NOT_NULL(manager_status_field("HypervisorVersion"));
        ASSERT_NULL(manager_status_field("Bogus"));
}

TEST(json) {
        ManagerStatus s = {};
        json_t *o;
        char *j;

        fill(&s, "enabled", "0.1.0", "0.1.0");
        ASSERT_OK(manager_status_to_json(&s, &o));
        j = json_dumps(o, JSON_COMPACT | JSON_PRESERVE_ORDER);
        ASSERT_STREQ(j, "{\"hypervisor_state\":\"enabled\",\"module_version\":\"0.1.0\","
                        "\"hypervisor_version\":\"0.1.0\"}");
        free(j);
        json_decref(o);
        manager_status_done(&s);
        ASSERT_NULL(s.hypervisor_state);
}

TEST(json_missing_is_null) {
        ManagerStatus s = {};
        json_t *o;

        fill(&s, "unavailable", NULL, NULL);
        ASSERT_OK(manager_status_to_json(&s, &o));
        ASSERT_TRUE(json_is_null(json_object_get(o, "module_version")));
        json_decref(o);
        manager_status_done(&s);
}

TEST(text) {
        ManagerStatus s = {};
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        fill(&s, "unavailable", "", NULL);
        ASSERT_OK(manager_status_print(&s, f));
        fclose(f);
        ASSERT_STREQ(buf,
                     "Hypervisor state:   unavailable\n"
                     "Module version:     n/a\n"
                     "Hypervisor version: n/a\n");
        free(buf);
        manager_status_done(&s);
}

DEFINE_TEST_MAIN
