/* SPDX-License-Identifier: GPL-2.0-only */
/* Every enum <-> string table round-trips, and rejects what it does not know. */
#include "tests.h"
#include "warden-nl.h"

TEST(hv_state_round_trip) {
        for (int s = 0; s <= WARDEN_HV_STATE_MAX; s++) {
                const char *name = warden_hv_state_to_string(s);

                ASSERT_NOT_NULL(name);
                ASSERT_EQ(warden_hv_state_from_string(name), s);
        }
}

TEST(hv_state_names) {
        /* The names are ABI: D-Bus HypervisorState and JSON carry them. */
        ASSERT_STREQ(warden_hv_state_to_string(WARDEN_HV_DISABLED), "disabled");
        ASSERT_STREQ(warden_hv_state_to_string(WARDEN_HV_ENABLED), "enabled");
        ASSERT_STREQ(warden_hv_state_to_string(WARDEN_HV_FAILED), "failed");
}

TEST(hv_state_invalid) {
        ASSERT_NULL(warden_hv_state_to_string(-1));
        ASSERT_NULL(warden_hv_state_to_string(__WARDEN_HV_STATE_MAX));
        ASSERT_ERROR(warden_hv_state_from_string("unavailable"), EINVAL);
        ASSERT_ERROR(warden_hv_state_from_string("Enabled"), EINVAL);
        ASSERT_ERROR(warden_hv_state_from_string(""), EINVAL);
        ASSERT_ERROR(warden_hv_state_from_string(NULL), EINVAL);
}

TEST(hv_state_name) {
        ASSERT_STREQ(warden_hv_state_name(WARDEN_HV_FAILED), "failed");
        ASSERT_STREQ(warden_hv_state_name(__WARDEN_HV_STATE_MAX), "unknown");
        ASSERT_STREQ(warden_hv_state_name(UINT32_MAX), "unknown");
}

TEST(event_type_round_trip) {
        for (int t = 0; t < _WARDEN_EVENT_TYPE_MAX; t++) {
                const char *name = warden_event_type_to_string(t);

                ASSERT_NOT_NULL(name);
                ASSERT_EQ(warden_event_type_from_string(name), t);
        }
        ASSERT_NULL(warden_event_type_to_string(_WARDEN_EVENT_TYPE_MAX));
        ASSERT_ERROR(warden_event_type_from_string("state_changed"), EINVAL);
}

DEFINE_TEST_MAIN
