/* SPDX-License-Identifier: GPL-2.0-only */
/* The netlink library: reply, extack and event parsing on built messages, then the live kernel. */
#include <netlink/genl/genl.h>
#include <netlink/netlink.h>

#include "tests.h"
#include "warden-nl-internal.h"

#define FAMILY_ID 0x1f

static struct nl_msg *genl_msg(uint16_t type, uint8_t cmd) {
        /* Room for a GET with more CPUs than there may be. */
        struct nl_msg *msg = nlmsg_alloc_size(64 * 1024);

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

/* GET while enabled: the hypervisor's figures and per-CPU exits, as the module nests them. */
static struct nl_msg *enabled_info_msg(unsigned n_cpus) {
        struct nl_msg *msg = info_msg("0.1.0", true);
        struct nlattr *stats, *cpu, *exits;

        ASSERT_OK(nla_put_string(msg, WARDEN_A_SYSTEM_NAME, "qemu-virt"));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_HV_MEM_BASE, 0x70000000));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_HV_MEM_SIZE, 16 << 20));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_POOL_PAGES, 3800));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_POOL_USED, 12));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CPUS_ENABLED, 0xb));
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELLS, 2));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_ROOT_S2_TABLES, 3));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_ROOT_S2_PAGES, 4));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_ROOT_S2_BLOCKS_2M, 384));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_ROOT_S2_BLOCKS_1G, 1));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_ROOT_S2_BYTES, UINT64_C(0x70000000)));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CONSOLE_HEAD, 1234));

        ASSERT_NOT_NULL(stats = nla_nest_start(msg, WARDEN_A_CPU_STATS));
        for (unsigned i = 0; i < n_cpus; i++) {
                ASSERT_NOT_NULL(cpu = nla_nest_start(msg, WARDEN_A_CPU));
                ASSERT_OK(nla_put_u32(msg, WARDEN_A_CPU_ID, i == 2 ? 3 : i));
                ASSERT_NOT_NULL(exits = nla_nest_start(msg, WARDEN_A_CPU_EXITS));
                for (int r = 0; r < WARDEN_EXIT_MAX; r++)
                        ASSERT_OK(nla_put_u64(msg, WARDEN_A_EXIT(r), 100 * i + r));
                /* A reason from a newer module: skipped. */
                ASSERT_OK(nla_put_u64(msg, WARDEN_A_EXIT(WARDEN_EXIT_MAX), 999));
                nla_nest_end(msg, exits);
                nla_nest_end(msg, cpu);
        }
        nla_nest_end(msg, stats);
        return msg;
}

TEST(parse_info_disabled_has_no_hv_info) {
        struct nl_msg *msg = info_msg("0.1.0", true);
        WardenInfo info;

        ASSERT_OK(warden_nl_parse_info(nlmsg_hdr(msg), &info));
        ASSERT_FALSE(info.has_hv_info);
        ASSERT_EQ(info.n_cpu_stats, 0);
        nlmsg_free(msg);
}

TEST(parse_info_enabled) {
        struct nl_msg *msg = enabled_info_msg(3);
        WardenInfo info;

        ASSERT_OK(warden_nl_parse_info(nlmsg_hdr(msg), &info));
        ASSERT_TRUE(info.has_hv_info);
        ASSERT_STREQ(info.system_name, "qemu-virt");
        ASSERT_EQ(info.hv_mem_base, 0x70000000);
        ASSERT_EQ(info.hv_mem_size, 16 << 20);
        ASSERT_EQ(info.pool_pages, 3800);
        ASSERT_EQ(info.pool_used, 12);
        ASSERT_EQ(info.cpus_enabled, 0xb);
        ASSERT_EQ(info.cells, 2);
        ASSERT_EQ(info.root_s2_tables, 3);
        ASSERT_EQ(info.root_s2_pages, 4);
        ASSERT_EQ(info.root_s2_blocks_2m, 384);
        ASSERT_EQ(info.root_s2_blocks_1g, 1);
        ASSERT_EQ(info.root_s2_bytes, 0x70000000);
        ASSERT_EQ(info.console_head, 1234);
        ASSERT_EQ(info.n_cpu_stats, 3);
        ASSERT_EQ(info.cpu_stats[0].cpu, 0);
        ASSERT_EQ(info.cpu_stats[1].cpu, 1);
        ASSERT_EQ(info.cpu_stats[2].cpu, 3);
        ASSERT_EQ(info.cpu_stats[0].exits[WARDEN_EXIT_HVC], 0);
        ASSERT_EQ(info.cpu_stats[2].exits[WARDEN_EXIT_OTHER], 207);
        ASSERT_EQ(info.cpu_stats[1].exits[WARDEN_EXIT_IRQ], 105);
        nlmsg_free(msg);
}

TEST(parse_info_rejects_too_many_cpus) {
        struct nl_msg *msg = enabled_info_msg(WARDEN_BOOT_MAX_CPUS + 1);
        WardenInfo info = { .state = 42 };

        ASSERT_ERROR(warden_nl_parse_info(nlmsg_hdr(msg), &info), EBADMSG);
        ASSERT_EQ(info.state, 42);     /* untouched */
        nlmsg_free(msg);
}

TEST(parse_info_rejects_cpu_without_id) {
        struct nl_msg *msg = info_msg("0.1.0", true);
        struct nlattr *stats, *cpu;
        WardenInfo info;

        ASSERT_NOT_NULL(stats = nla_nest_start(msg, WARDEN_A_CPU_STATS));
        ASSERT_NOT_NULL(cpu = nla_nest_start(msg, WARDEN_A_CPU));
        ASSERT_NOT_NULL(nla_nest_start(msg, WARDEN_A_CPU_EXITS));
        nla_nest_end(msg, cpu);
        nla_nest_end(msg, stats);
        ASSERT_ERROR(warden_nl_parse_info(nlmsg_hdr(msg), &info), EBADMSG);
        nlmsg_free(msg);
}

static struct nl_msg *console_msg(size_t size, bool with_head) {
        struct nl_msg *msg = genl_msg(FAMILY_ID, WARDEN_CMD_CONSOLE);
        char *data = malloc(size + 1);

        ASSERT_NOT_NULL(data);
        memset(data, 'a', size);
        ASSERT_OK(nla_put(msg, WARDEN_A_CONSOLE_DATA, (int) size, data));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CONSOLE_POS, 4096));
        if (with_head)
                ASSERT_OK(nla_put_u64(msg, WARDEN_A_CONSOLE_HEAD, 4096 + size + 10));
        free(data);
        return msg;
}

TEST(parse_console) {
        struct nl_msg *msg = console_msg(WARDEN_GENL_CONSOLE_MAX, true);
        WardenConsole *c = malloc(sizeof(*c));

        ASSERT_NOT_NULL(c);
        ASSERT_OK(warden_nl_parse_console(nlmsg_hdr(msg), c));
        ASSERT_EQ(c->pos, 4096);
        ASSERT_EQ(c->head, 4096 + WARDEN_GENL_CONSOLE_MAX + 10);
        ASSERT_EQ(c->size, WARDEN_GENL_CONSOLE_MAX);
        ASSERT_EQ(c->data[WARDEN_GENL_CONSOLE_MAX - 1], 'a');
        nlmsg_free(msg);

        msg = console_msg(0, true);
        ASSERT_OK(warden_nl_parse_console(nlmsg_hdr(msg), c));
        ASSERT_EQ(c->size, 0);
        nlmsg_free(msg);

        /* More data than a reply may carry, or no head: refused. */
        msg = console_msg(WARDEN_GENL_CONSOLE_MAX + 1, true);
        ASSERT_ERROR(warden_nl_parse_console(nlmsg_hdr(msg), c), EBADMSG);
        nlmsg_free(msg);
        msg = console_msg(10, false);
        ASSERT_ERROR(warden_nl_parse_console(nlmsg_hdr(msg), c), EBADMSG);
        nlmsg_free(msg);
        free(c);
}

TEST(exit_reason_names) {
        ASSERT_STREQ(warden_exit_reason_to_string(WARDEN_EXIT_HVC), "hvc");
        ASSERT_STREQ(warden_exit_reason_to_string(WARDEN_EXIT_OTHER), "other");
        ASSERT_NULL(warden_exit_reason_to_string(WARDEN_EXIT_MAX));
        for (int r = 0; r < WARDEN_EXIT_MAX; r++)
                ASSERT_EQ(warden_exit_reason_from_string(warden_exit_reason_to_string(r)), r);
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

static struct nl_msg *cell_msg(uint8_t cmd, bool with_fault) {
        struct nl_msg *msg = genl_msg(FAMILY_ID, cmd);
        struct nlattr *fault;

        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_ID, 2));
        ASSERT_OK(nla_put_string(msg, WARDEN_A_CELL_NAME, "crash-demo"));
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_STATE, with_fault ? WARDEN_CELL_FAILED : WARDEN_CELL_RUNNING));
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_FLAGS, WARDEN_CELL_INFO_PASSIVE));
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_STOP_REASON, with_fault ? WARDEN_STOP_FAULT : WARDEN_STOP_NONE));
        ASSERT_OK(nla_put(msg, WARDEN_A_UNSPEC, 0, NULL));     /* a pad */
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CELL_CPUS, 0x4));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CELL_CPUS_RUNNING, with_fault ? 0 : 0x4));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CELL_MEM_BYTES, 1 << 20));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CELL_CONSOLE_HEAD, 77));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CELL_HEARTBEAT, 5));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CELL_STARTS, 1));
        ASSERT_OK(nla_put_u64(msg, WARDEN_A_CELL_EXITS, UINT64_C(0x100000000)));
        /* From a newer module: skipped. */
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_MAX + 1, 7));
        if (with_fault) {
                ASSERT_NOT_NULL(fault = nla_nest_start(msg, WARDEN_A_CELL_FAULT));
                ASSERT_OK(nla_put_u32(msg, WARDEN_A_FAULT_KIND, WARDEN_FAULT_DATA_ABORT));
                ASSERT_OK(nla_put_u32(msg, WARDEN_A_FAULT_CPU, 2));
                ASSERT_OK(nla_put_u64(msg, WARDEN_A_FAULT_ESR, 0x92000006));
                ASSERT_OK(nla_put_u64(msg, WARDEN_A_FAULT_ADDRESS, 0x40000000));
                ASSERT_OK(nla_put_u64(msg, WARDEN_A_FAULT_PC, 0x1234));
                nla_nest_end(msg, fault);
        }
        return msg;
}

TEST(parse_cell) {
        struct nl_msg *msg = cell_msg(WARDEN_CMD_CELL_GET, true);
        WardenCellInfo c;

        ASSERT_OK(warden_nl_parse_cell(nlmsg_hdr(msg), &c));
        ASSERT_EQ(c.id, 2);
        ASSERT_STREQ(c.name, "crash-demo");
        ASSERT_EQ(c.state, WARDEN_CELL_FAILED);
        ASSERT_EQ(c.flags, WARDEN_CELL_INFO_PASSIVE);
        ASSERT_EQ(c.stop_reason, WARDEN_STOP_FAULT);
        ASSERT_EQ(c.cpus, 0x4);
        ASSERT_EQ(c.cpus_running, 0);
        ASSERT_EQ(c.mem_bytes, 1 << 20);
        ASSERT_EQ(c.console_head, 77);
        ASSERT_EQ(c.heartbeat, 5);
        ASSERT_EQ(c.starts, 1);
        ASSERT_EQ(c.exits, UINT64_C(0x100000000));
        ASSERT_TRUE(c.has_fault);
        ASSERT_EQ(c.fault.kind, WARDEN_FAULT_DATA_ABORT);
        ASSERT_EQ(c.fault.cpu, 2);
        ASSERT_EQ(c.fault.esr, 0x92000006);
        ASSERT_EQ(c.fault.address, 0x40000000);
        ASSERT_EQ(c.fault.pc, 0x1234);
        nlmsg_free(msg);

        msg = cell_msg(WARDEN_CMD_CELL_GET, false);
        ASSERT_OK(warden_nl_parse_cell(nlmsg_hdr(msg), &c));
        ASSERT_FALSE(c.has_fault);
        ASSERT_EQ(c.cpus_running, 0x4);
        nlmsg_free(msg);
}

TEST(parse_cell_rejects) {
        char long_name[WARDEN_NAME_LEN + 1];
        struct nl_msg *msg;
        WardenCellInfo c = { .id = 42 };

        /* No id, name or state. */
        msg = genl_msg(FAMILY_ID, WARDEN_CMD_CELL_GET);
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_ID, 1));
        ASSERT_OK(nla_put_string(msg, WARDEN_A_CELL_NAME, "x"));
        ASSERT_ERROR(warden_nl_parse_cell(nlmsg_hdr(msg), &c), EBADMSG);
        ASSERT_EQ(c.id, 42);    /* untouched */
        nlmsg_free(msg);

        /* A name longer than a cell name. */
        memset(long_name, 'a', sizeof(long_name) - 1);
        long_name[sizeof(long_name) - 1] = '\0';
        msg = genl_msg(FAMILY_ID, WARDEN_CMD_CELL_GET);
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_ID, 1));
        ASSERT_OK(nla_put_string(msg, WARDEN_A_CELL_NAME, long_name));
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_STATE, WARDEN_CELL_CREATED));
        ASSERT_ERROR(warden_nl_parse_cell(nlmsg_hdr(msg), &c), EBADMSG);
        nlmsg_free(msg);

        /* A fault without its kind. */
        msg = genl_msg(FAMILY_ID, WARDEN_CMD_CELL_GET);
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_ID, 1));
        ASSERT_OK(nla_put_string(msg, WARDEN_A_CELL_NAME, "x"));
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_STATE, WARDEN_CELL_FAILED));
        ASSERT_NOT_NULL(nla_nest_start(msg, WARDEN_A_CELL_FAULT));
        ASSERT_ERROR(warden_nl_parse_cell(nlmsg_hdr(msg), &c), EBADMSG);
        nlmsg_free(msg);
}

TEST(parse_shutdown) {
        struct nl_msg *msg = genl_msg(FAMILY_ID, WARDEN_CMD_CELL_SHUTDOWN);
        bool asked = false;

        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_ASKED, 1));
        ASSERT_OK(warden_nl_parse_shutdown(nlmsg_hdr(msg), &asked));
        ASSERT_TRUE(asked);
        nlmsg_free(msg);

        msg = genl_msg(FAMILY_ID, WARDEN_CMD_CELL_SHUTDOWN);
        ASSERT_OK(nla_put_u32(msg, WARDEN_A_CELL_ASKED, 0));
        ASSERT_OK(warden_nl_parse_shutdown(nlmsg_hdr(msg), &asked));
        ASSERT_FALSE(asked);
        nlmsg_free(msg);

        msg = genl_msg(FAMILY_ID, WARDEN_CMD_CELL_SHUTDOWN);
        ASSERT_ERROR(warden_nl_parse_shutdown(nlmsg_hdr(msg), &asked), EBADMSG);
        nlmsg_free(msg);
}

TEST(event_cell_changed) {
        struct nl_msg *msg = cell_msg(WARDEN_CMD_CELL_CHANGED, true);
        WardenEvent e;

        ASSERT_EQ(warden_event_parse(nlmsg_hdr(msg), FAMILY_ID, &e), 1);
        ASSERT_EQ(e.type, WARDEN_EVENT_CELL_CHANGED);
        ASSERT_EQ(e.cell.id, 2);
        ASSERT_STREQ(e.cell.name, "crash-demo");
        ASSERT_EQ(e.cell.fault.address, 0x40000000);
        ASSERT_EQ(warden_event_parse(nlmsg_hdr(msg), FAMILY_ID + 1, &e), 0);
        nlmsg_free(msg);

        msg = genl_msg(FAMILY_ID, WARDEN_CMD_CELL_CHANGED);
        ASSERT_ERROR(warden_event_parse(nlmsg_hdr(msg), FAMILY_ID, &e), EBADMSG);
        nlmsg_free(msg);
}

TEST(cell_tables) {
        ASSERT_STREQ(warden_stop_reason_to_string(WARDEN_STOP_SYSTEM_OFF), "system-off");
        ASSERT_STREQ(warden_stop_reason_to_string(WARDEN_STOP_FAULT), "fault");
        ASSERT_STREQ(warden_stop_reason_to_string(WARDEN_STOP_FORCED), "forced");
        ASSERT_STREQ(warden_stop_reason_to_string(WARDEN_STOP_CPUS_OFF), "cpus-off");
        ASSERT_NULL(warden_stop_reason_to_string(WARDEN_STOP_CPUS_OFF + 1));
        ASSERT_STREQ(warden_fault_kind_to_string(WARDEN_FAULT_INSN_ABORT), "instruction-abort");
        ASSERT_STREQ(warden_fault_kind_to_string(WARDEN_FAULT_DEVICE), "device");
        ASSERT_NULL(warden_fault_kind_to_string(WARDEN_FAULT_DEVICE + 1));
        for (int i = WARDEN_STOP_NONE; i <= WARDEN_STOP_CPUS_OFF; i++)
                ASSERT_EQ(warden_stop_reason_from_string(warden_stop_reason_to_string(i)), i);
        for (int i = WARDEN_FAULT_NONE; i <= WARDEN_FAULT_DEVICE; i++)
                ASSERT_EQ(warden_fault_kind_from_string(warden_fault_kind_to_string(i)), i);
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
                             WARDEN_NL_NOT_LOADABLE);
        }
        warden_nl_free(nl);
}

TEST(live_module_not_loaded_no_autoload) {
        WardenNl *nl = live_open();
        WardenInfo info;
        NlFamily f;
        int r;

        if (!nl)
                return;
        warden_nl_set_autoload(nl, false);
        r = warden_nl_get(nl, &info);
        if (r >= 0)
                printf("  skipped: warden.ko is loaded on this host\n");
        else {
                ASSERT_ERROR(r, ENOENT);
                ASSERT_STREQ(warden_nl_strerror(nl, r), WARDEN_NL_NOT_LOADED);
        }

        /* The dump finds a family that is there, with its group, and misses one that is not. */
        ASSERT_OK(nl_ctrl_find_family(nl, NL_CTRL_NAME, NL_CTRL_GROUP_NOTIFY, &f));
        ASSERT_EQ(f.id, GENL_ID_CTRL);
        ASSERT_STREQ(f.name, NL_CTRL_NAME);
        ASSERT_TRUE(f.group_id > 0);
        ASSERT_ERROR(nl_ctrl_find_family(nl, "no-such-family", NL_CTRL_GROUP_NOTIFY, &f), ENOENT);
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

TEST(live_requests_module_not_loaded) {
        WardenNl *nl = live_open();
        WardenConsole *c = malloc(sizeof(*c));
        char blob[64] = "WARDNCFG";
        int r;

        ASSERT_NOT_NULL(c);
        if (!nl) {
                free(c);
                return;
        }
        r = warden_nl_enable(nl, blob, sizeof(blob));
        if (r != -ENOENT)
                printf("  skipped: warden.ko is loaded on this host\n");
        else {
                ASSERT_STREQ(warden_nl_message(nl),
                             WARDEN_NL_NOT_LOADABLE);
                ASSERT_ERROR(warden_nl_disable(nl), ENOENT);
                ASSERT_ERROR(warden_nl_console(nl, 0, c), ENOENT);
        }
        free(c);
        warden_nl_free(nl);
}

TEST(live_cell_requests_module_not_loaded) {
        WardenNl *nl = live_open();
        _cleanup_free_ WardenCellInfo *cells = NULL;
        WardenCellInfo c;
        size_t n;
        int r;

        if (!nl)
                return;
        r = warden_nl_cell_list(nl, &cells, &n);
        if (r != -ENOENT)
                printf("  skipped: warden.ko is loaded on this host\n");
        else {
                ASSERT_ERROR(warden_nl_cell_get_by_name(nl, "hello", &c), ENOENT);
                ASSERT_STREQ(warden_nl_message(nl),
                             WARDEN_NL_NOT_LOADABLE);
                ASSERT_ERROR(warden_nl_cell_start(nl, 1), ENOENT);
                ASSERT_ERROR(warden_nl_cell_load(nl, 1, 0, 0, "x", 1, NULL), ENOENT);
        }
        /* Refused before anything is sent, module or not. */
        ASSERT_ERROR(warden_nl_cell_get_by_name(nl, "a-name-longer-than-thirty-one-chars", &c), ENOENT);
        ASSERT_STREQ(warden_nl_message(nl),
                     "no cell 'a-name-longer-than-thirty-one-chars' (cell names have at most 31 characters)");
        warden_nl_free(nl);
}

TEST(live_enable_blob_too_large) {
        WardenNl *nl = live_open();
        char *blob = calloc(1, WARDEN_GENL_SYSTEM_MAX + 8);

        ASSERT_NOT_NULL(blob);
        if (nl) {
                /* Refused before anything is sent, module or not. */
                ASSERT_ERROR(warden_nl_enable(nl, blob, WARDEN_GENL_SYSTEM_MAX + 8), EMSGSIZE);
                ASSERT_STREQ(warden_nl_message(nl),
                             "the system blob has 65536 bytes, more than one request carries (65528)");
                warden_nl_free(nl);
        }
        free(blob);
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
