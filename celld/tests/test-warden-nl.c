/* SPDX-License-Identifier: GPL-2.0-only */
/* The netlink library: reply, extack and event parsing on built messages, then the live kernel. */
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "tests.h"
#include "warden-nl-internal.h"

#define FAMILY_ID 0x1f

static struct nl_msg *genl_msg(uint16_t type, uint8_t cmd) {
        struct nl_msg *msg = nlmsg_alloc();

        ASSERT_NOT_NULL(msg);
        ASSERT_NOT_NULL(genlmsg_put(msg, 0, 1, type, 0, 0, cmd, 1));
        return msg;
}

static struct nl_msg *info_msg(const char *module_version, bool with_state) {
        struct nl_msg *msg = genl_msg(FAMILY_ID, WARDEN_CMD_GET);

        ASSERT_OK(nla_put_string(msg, WARDEN_A_MODULE_VERSION, module_version));
        ASSERT_OK(nla_put_string(msg, WARDEN_A_HV_VERSION, "0.2.0"));
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_HV_ABI, 3));
        /* As the module's nla_put_u64_64bit() may: an empty pad attribute of type UNSPEC first. */
        ASSERT_OK(nla_put(msg, WARDEN_A_UNSPEC, 0, NULL));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_HV_SIZE, UINT64_C(0x123456789)));
        if (with_state)
                ASSERT_OK(nla_put_u32(msg, WARDEN_A_STATE, WARDEN_HV_ENABLED));
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CPUS_POSSIBLE, 8));
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CPUS_ONLINE, 7));
        return msg;
}

TEST(parse_info) {
        struct nl_msg *msg = info_msg("0.1.0", true);
        WardenInfo info;

        ASSERT_OK(warden_nl_parse_info(nlmsg_hdr(msg), &info));
        ASSERT_STREQ(info.module_version, "0.1.0");
        ASSERT_STREQ(info.hv_version, "0.2.0");
        ASSERT_EQ(info.hv_abi, 3);
        ASSERT_EQ(info.hv_size, UINT64_C(0x123456789));
        ASSERT_EQ(info.state, WARDEN_HV_ENABLED);
        ASSERT_EQ(info.cpus_possible, 8);
        ASSERT_EQ(info.cpus_online, 7);
        nlmsg_free(msg);
}

TEST(parse_info_rejects) {
        char too_long[WARDEN_GENL_STRING_MAX + 1];
        struct nl_msg *msg;
        WardenInfo info;

        msg = info_msg("0.1.0", false);
        ASSERT_ERROR(warden_nl_parse_info(nlmsg_hdr(msg), &info), EBADMSG);
        nlmsg_free(msg);

        memset(too_long, 'x', sizeof(too_long) - 1);
        too_long[sizeof(too_long) - 1] = '\0';
        msg = info_msg(too_long, true);
        ASSERT_ERROR(warden_nl_parse_info(nlmsg_hdr(msg), &info), EBADMSG);
        nlmsg_free(msg);
}

/* An NLMSG_ERROR as the kernel sends it: error, echoed request unless capped, then TLVs. */
static struct nl_msg *error_msg(bool capped, const char *text) {
        struct nlmsgerr e = { .error = -EBUSY };
        uint8_t payload[12] = { 1, 2, 3, 4, 5, 6, 7, 8, 9, 10, 11, 12 };
        struct nl_msg *msg = nlmsg_alloc_simple(NLMSG_ERROR, NLM_F_ACK_TLVS | (capped ? NLM_F_CAPPED : 0));

        ASSERT_NOT_NULL(msg);
        e.msg.nlmsg_len = NLMSG_HDRLEN + (capped ? 0 : sizeof(payload));
        ASSERT_OK(nlmsg_append(msg, &e, sizeof(e), NLMSG_ALIGNTO));
        if (!capped)
                ASSERT_OK(nlmsg_append(msg, payload, sizeof(payload), NLMSG_ALIGNTO));
        ASSERT_OK(nla_put_u32(msg, NLMSGERR_ATTR_OFFS, 20));
        if (text)
                ASSERT_OK(nla_put_string(msg, NLMSGERR_ATTR_MSG, text));
        return msg;
}

TEST(parse_extack) {
        char buf[64];

        for (int capped = 0; capped <= 1; capped++) {
                struct nl_msg *msg = error_msg(capped, "cell 'demo' is running");

                ASSERT_OK(nl_parse_extack(nlmsg_hdr(msg), buf, sizeof(buf)));
                ASSERT_STREQ(buf, "cell 'demo' is running");
                nlmsg_free(msg);

                msg = error_msg(capped, NULL);
                ASSERT_ERROR(nl_parse_extack(nlmsg_hdr(msg), buf, sizeof(buf)), ENODATA);
                nlmsg_free(msg);
        }
}

TEST(parse_extack_truncates) {
        struct nl_msg *msg = error_msg(true, "a long message that does not fit");
        char buf[8];

        ASSERT_OK(nl_parse_extack(nlmsg_hdr(msg), buf, sizeof(buf)));
        ASSERT_STREQ(buf, "a long ");
        nlmsg_free(msg);
}

static struct nl_msg *family_msg(uint8_t cmd, const char *name) {
        struct nl_msg *msg = genl_msg(GENL_ID_CTRL, cmd);
        struct nlattr *groups, *g;

        ASSERT_OK(nla_put_u16(msg, CTRL_ATTR_FAMILY_ID, FAMILY_ID));
        ASSERT_OK(nla_put_string(msg, CTRL_ATTR_FAMILY_NAME, name));
        ASSERT_NOT_NULL(groups = nla_nest_start(msg, CTRL_ATTR_MCAST_GROUPS));
        ASSERT_NOT_NULL(g = nla_nest_start(msg, 1));
        ASSERT_OK(nla_put_string(msg, CTRL_ATTR_MCAST_GRP_NAME, "other"));
        ASSERT_OK(nla_put_u32(msg, CTRL_ATTR_MCAST_GRP_ID, 5));
        nla_nest_end(msg, g);
        ASSERT_NOT_NULL(g = nla_nest_start(msg, 2));
        ASSERT_OK(nla_put_string(msg, CTRL_ATTR_MCAST_GRP_NAME, WARDEN_GENL_MCGRP_EVENTS));
        ASSERT_OK(nla_put_u32(msg, CTRL_ATTR_MCAST_GRP_ID, 9));
        nla_nest_end(msg, g);
        nla_nest_end(msg, groups);
        return msg;
}

TEST(event_module_loaded_unloaded) {
        struct nl_msg *msg = family_msg(CTRL_CMD_NEWFAMILY, WARDEN_GENL_NAME);
        WardenEvent e;

        ASSERT_EQ(warden_event_parse(nlmsg_hdr(msg), 0, &e), 1);
        ASSERT_EQ(e.type, WARDEN_EVENT_MODULE_LOADED);
        ASSERT_EQ(e.family_id, FAMILY_ID);
        ASSERT_EQ(e.events_group, 9);
        nlmsg_free(msg);

        msg = family_msg(CTRL_CMD_DELFAMILY, WARDEN_GENL_NAME);
        ASSERT_EQ(warden_event_parse(nlmsg_hdr(msg), FAMILY_ID, &e), 1);
        ASSERT_EQ(e.type, WARDEN_EVENT_MODULE_UNLOADED);
        nlmsg_free(msg);
}

TEST(event_other_families_ignored) {
        struct nl_msg *msg = family_msg(CTRL_CMD_NEWFAMILY, "wireguard");
        WardenEvent e;

        ASSERT_EQ(warden_event_parse(nlmsg_hdr(msg), 0, &e), 0);
        nlmsg_free(msg);

        msg = family_msg(CTRL_CMD_NEWMCAST_GRP, WARDEN_GENL_NAME);
        ASSERT_EQ(warden_event_parse(nlmsg_hdr(msg), 0, &e), 0);
        nlmsg_free(msg);
}

TEST(event_state_changed) {
        struct nl_msg *msg = genl_msg(FAMILY_ID, WARDEN_CMD_STATE_CHANGED);
        WardenEvent e;

        ASSERT_OK(nla_put_u32(msg, WARDEN_A_STATE, WARDEN_HV_FAILED));
        ASSERT_EQ(warden_event_parse(nlmsg_hdr(msg), FAMILY_ID, &e), 1);
        ASSERT_EQ(e.type, WARDEN_EVENT_STATE_CHANGED);
        ASSERT_EQ(e.state, WARDEN_HV_FAILED);
        /* Not our family (unknown, or another one with a reused id). */
        ASSERT_EQ(warden_event_parse(nlmsg_hdr(msg), 0, &e), 0);
        ASSERT_EQ(warden_event_parse(nlmsg_hdr(msg), FAMILY_ID + 1, &e), 0);
        nlmsg_free(msg);

        msg = genl_msg(FAMILY_ID, WARDEN_CMD_STATE_CHANGED);
        ASSERT_ERROR(warden_event_parse(nlmsg_hdr(msg), FAMILY_ID, &e), EBADMSG);
        nlmsg_free(msg);
}

/* The live tests need generic netlink, which every Linux has, and no warden.ko on the host. */
static WardenNl *live_open(void) {
        WardenNl *nl = NULL;
        int r = warden_nl_new(&nl);

        if (r < 0)
                printf("  skipped: no generic netlink here: %s\n", strerror(-r));
        return nl;
}

TEST(live_module_not_loaded) {
        WardenNl *nl = live_open();
        WardenInfo info;
        int r;

        if (!nl)
                return;
        r = warden_nl_get(nl, &info);
        if (r >= 0)
                printf("  skipped: warden.ko is loaded on this host\n");
        else {
                ASSERT_ERROR(r, ENOENT);
                ASSERT_STREQ(warden_nl_strerror(nl, r),
                             "warden.ko is not loaded (generic netlink family 'warden' not found)");
        }
        warden_nl_free(nl);
}

TEST(live_extack_reaches_caller) {
        WardenNl *nl = live_open();
        NlFamily f;
        int r;

        if (!nl)
                return;
        /* Longer than GENL_NAMSIZ: the kernel's policy check refuses it with an extack text. */
        r = nl_ctrl_get_family(nl, "a-family-name-longer-than-genl-namsiz", "x", &f);
        ASSERT_TRUE(r < 0);
        printf("  kernel said: %s (%s)\n", warden_nl_strerror(nl, r), strerror(-r));
        ASSERT_TRUE(strcmp(warden_nl_strerror(nl, r), strerror(-r)) != 0);

        /* And the next request starts clean. */
        ASSERT_OK(nl_ctrl_get_family(nl, NL_CTRL_NAME, NL_CTRL_GROUP_NOTIFY, &f));
        ASSERT_EQ(f.id, GENL_ID_CTRL);
        ASSERT_TRUE(f.group_id > 0);
        warden_nl_free(nl);
}

TEST(live_events_subscribe) {
        WardenNl *nl = live_open();
        WardenEvents *ev = NULL;

        if (!nl)
                return;
        ASSERT_OK(warden_events_new(nl, &ev));
        ASSERT_TRUE(warden_events_get_fd(ev) >= 0);
        warden_events_free(ev);
        warden_nl_free(nl);
}

DEFINE_TEST_MAIN
