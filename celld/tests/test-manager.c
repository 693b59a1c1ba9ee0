/* SPDX-License-Identifier: GPL-2.0-only */
/* celld's Manager without a bus or a module: property values and change detection. */
#include "manager-dbus.h"
#include "manager.h"
#include "tests.h"

static const WardenInfo info = {
        .module_version = "0.1.0",
        .hv_version = "0.1.0",
        .state = WARDEN_HV_DISABLED,
};

TEST(properties_unavailable) {
        Manager m = {};

        ASSERT_STREQ(manager_hypervisor_state(&m), "unavailable");
        ASSERT_STREQ(manager_module_version(&m), "");
        ASSERT_STREQ(manager_hypervisor_version(&m), "");
}

TEST(properties_available) {
        Manager m = { .available = true, .info = info };

        ASSERT_STREQ(manager_hypervisor_state(&m), "disabled");
        ASSERT_STREQ(manager_module_version(&m), "0.1.0");
        m.info.state = WARDEN_HV_ENABLED;
        ASSERT_STREQ(manager_hypervisor_state(&m), "enabled");
        m.info.state = 7;
        ASSERT_STREQ(manager_hypervisor_state(&m), "unknown");
}

TEST(changes_counted) {
        Manager m = {};
        ManagerBusSnapshot old;

        manager_bus_snapshot(&m, &old);
        ASSERT_EQ(manager_bus_emit_changes(&m, &old), 0);

        /* Module appears: state and both versions change. */
        m.available = true;
        m.info = info;
        ASSERT_EQ(manager_bus_emit_changes(&m, &old), 3);

        /* Only the state changes. */
        manager_bus_snapshot(&m, &old);
        m.info.state = WARDEN_HV_FAILED;
        ASSERT_EQ(manager_bus_emit_changes(&m, &old), 1);
}

DEFINE_TEST_MAIN
