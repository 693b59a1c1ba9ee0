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

/* Enabled on CPUs 0, 1 and 3 of 4; with exits on two of them. */
static WardenInfo *enabled_info(void) {
        WardenInfo *i = malloc(sizeof(*i));

        ASSERT_NOT_NULL(i);
        *i = info;
        i->has_hv_info = true;
        strcpy(i->system_name, "qemu-virt");
        i->hv_mem_base = 0x70000000;
        i->hv_mem_size = 16 << 20;
        i->pool_pages = 3800;
        i->pool_used = 12;
        i->cpus_enabled = 0xb;
        i->cells = 0;
        i->root_s2_tables = 3;
        i->root_s2_pages = 0;
        i->root_s2_blocks_2m = 384;
        i->root_s2_blocks_1g = 0;
        i->root_s2_bytes = 768 << 20;
        i->console_head = 321;
        i->n_cpu_stats = 2;
        i->cpu_stats[0] = (WardenCpuStats) { .cpu = 0, .exits = { [WARDEN_EXIT_HVC] = 5, [WARDEN_EXIT_SMC] = 2 } };
        i->cpu_stats[1] = (WardenCpuStats) { .cpu = 3, .exits = { [WARDEN_EXIT_OTHER] = 1234567 } };
        return i;
}

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

TEST(status_json_enabled) {
        WardenInfo *i = enabled_info();
        json_t *o;
        char *s;

        ASSERT_OK(warden_status_to_json(i, &o));
        s = dump(o);
        ASSERT_STREQ(s, "{\"state\":\"enabled\",\"module_version\":\"0.1.0\","
                        "\"hypervisor_version\":\"0.1.0-rc1\",\"hypervisor_abi\":1,"
                        "\"hypervisor_size\":65536,\"cpus_possible\":4,\"cpus_online\":3,"
                        "\"cpus_enabled\":[0,1,3],\"cpus_quarantined\":[],\"system\":\"qemu-virt\","
                        "\"hypervisor_memory\":{\"base\":1879048192,\"size\":16777216},"
                        "\"pool\":{\"pages\":3800,\"used_pages\":12,\"bytes\":15564800,\"used_bytes\":49152},"
                        "\"cells\":0,"
                        "\"root_stage2\":{\"tables\":3,\"pages\":0,\"blocks_2m\":384,\"blocks_1g\":0,"
                        "\"bytes\":805306368},"
                        "\"console_head\":321,"
                        "\"exits\":[{\"cpu\":0,\"hvc\":5,\"smc\":2,\"dabt\":0,\"iabt\":0,\"sysreg\":0,"
                        "\"irq\":0,\"wfx\":0,\"other\":0,\"total\":7},"
                        "{\"cpu\":3,\"hvc\":0,\"smc\":0,\"dabt\":0,\"iabt\":0,\"sysreg\":0,"
                        "\"irq\":0,\"wfx\":0,\"other\":1234567,\"total\":1234567}]}");
        free(s);
        free(i);
}

TEST(status_text_enabled) {
        WardenInfo *i = enabled_info();
        char *s = print_to_string(print_status, i);

        ASSERT_STREQ(s,
                     "Module version:     0.1.0\n"
                     "Hypervisor version: 0.1.0-rc1\n"
                     "Hypervisor ABI:     1\n"
                     "Hypervisor size:    65536 bytes\n"
                     "State:              enabled\n"
                     "CPUs:               3 online, 4 possible\n"
                     "System:             qemu-virt\n"
                     "Hypervisor memory:  0x70000000-0x70ffffff (16 MiB)\n"
                     "Page pool:          12 of 3800 pages used (48 KiB of 14.8 MiB)\n"
                     "Enabled CPUs:       0-1,3\n"
                     "Cells:              0\n"
                     "Root stage 2:       768 MiB mapped: 0 1G blocks, 384 2M blocks, 0 pages, 3 tables\n"
                     "Hypervisor log:     321 bytes written\n"
                     "Exits:\n"
                     "  CPU       hvc       smc      dabt      iabt    sysreg       irq       wfx     other\n"
                     "    0         5         2         0         0         0         0         0         0\n"
                     "    3         0         0         0         0         0         0         0   1234567\n");
        free(s);
        free(i);
}

TEST(cpu_list) {
        char buf[WARDEN_CPU_LIST_MAX];

        ASSERT_STREQ(warden_format_cpu_list(0, buf), "none");
        ASSERT_STREQ(warden_format_cpu_list(0x1, buf), "0");
        ASSERT_STREQ(warden_format_cpu_list(0xf, buf), "0-3");
        ASSERT_STREQ(warden_format_cpu_list(0x34d, buf), "0,2-3,6,8-9");
        ASSERT_STREQ(warden_format_cpu_list(UINT64_MAX, buf), "0-63");
        ASSERT_STREQ(warden_format_cpu_list(UINT64_C(1) << 63, buf), "63");
        /* The longest list there is. */
        ASSERT_STREQ(warden_format_cpu_list(UINT64_C(0xaaaaaaaaaaaaaaaa), buf),
                     "1,3,5,7,9,11,13,15,17,19,21,23,25,27,29,31,33,35,37,39,41,43,45,47,49,51,53,55,57,59,61,63");
}

TEST(bytes) {
        char buf[WARDEN_BYTES_MAX];

        ASSERT_STREQ(warden_format_bytes(0, buf), "0 bytes");
        ASSERT_STREQ(warden_format_bytes(1023, buf), "1023 bytes");
        ASSERT_STREQ(warden_format_bytes(1024, buf), "1 KiB");
        ASSERT_STREQ(warden_format_bytes(1536, buf), "1.5 KiB");
        ASSERT_STREQ(warden_format_bytes(16 << 20, buf), "16 MiB");
        ASSERT_STREQ(warden_format_bytes(UINT64_C(3) << 30, buf), "3 GiB");
        ASSERT_STREQ(warden_format_bytes(UINT64_C(5) << 40, buf), "5 TiB");
        ASSERT_STREQ(warden_format_bytes(UINT64_MAX, buf), "16777216.0 TiB");
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

/* crash-demo after its read of root's RAM, and hello running. */
static const WardenCellInfo failed_cell = {
        .id = 2,
        .name = "crash-demo",
        .state = WARDEN_CELL_FAILED,
        .flags = WARDEN_CELL_INFO_PASSIVE,
        .stop_reason = WARDEN_STOP_FAULT,
        .cpus = 0x4,
        .mem_bytes = 1 << 20,
        .console_head = 120,
        .heartbeat = 0,
        .starts = 1,
        .exits = 17,
        .has_fault = true,
        .fault = { .kind = WARDEN_FAULT_DATA_ABORT, .cpu = 2, .esr = 0x92000006, .address = 0x40000000, .pc = 0x1234 },
};

static const WardenCellInfo running_cell = {
        .id = 1,
        .name = "hello",
        .state = WARDEN_CELL_RUNNING,
        .cpus = 0x8,
        .cpus_running = 0x8,
        .mem_bytes = 1 << 20,
        .console_head = 400,
        .heartbeat = 3,
        .starts = 1,
        .exits = 99,
};

TEST(cell_state_names) {
        ASSERT_STREQ(warden_cell_state_name(WARDEN_CELL_CREATED, 0), "created");
        ASSERT_STREQ(warden_cell_state_name(WARDEN_CELL_RUNNING, 0), "running");
        ASSERT_STREQ(warden_cell_state_name(WARDEN_CELL_RUNNING, WARDEN_CELL_INFO_LOCKED), "running/locked");
        ASSERT_STREQ(warden_cell_state_name(WARDEN_CELL_SHUT_DOWN, 0), "shut down");
        ASSERT_STREQ(warden_cell_state_name(WARDEN_CELL_FAILED, 0), "failed");
        ASSERT_STREQ(warden_cell_state_name(WARDEN_GENL_CELL_DESTROYED, 0), "destroyed");
        ASSERT_STREQ(warden_cell_state_name(99, 0), "unknown");
}

TEST(cell_reason) {
        char buf[WARDEN_REASON_MAX];
        WardenCellInfo c = failed_cell;

        ASSERT_STREQ(warden_format_cell_reason(&c, buf),
                     "data abort at 0x40000000 (ESR 0x92000006) on CPU 2, pc 0x1234");
        c.fault = (WardenCellFault) { .kind = WARDEN_FAULT_SYSREG, .cpu = 1, .esr = 0x62000000, .pc = 0x80 };
        ASSERT_STREQ(warden_format_cell_reason(&c, buf),
                     "trapped system register access (ESR 0x62000000) on CPU 1, pc 0x80");
        c.fault.kind = 77;
        ASSERT_STREQ(warden_format_cell_reason(&c, buf), "unknown trap (ESR 0x62000000) on CPU 1, pc 0x80");
        c.has_fault = false;
        ASSERT_STREQ(warden_format_cell_reason(&c, buf), "a fault");
        c.stop_reason = 42;
        ASSERT_STREQ(warden_format_cell_reason(&c, buf), "unknown");

        c = (WardenCellInfo) { .state = WARDEN_CELL_SHUT_DOWN, .stop_reason = WARDEN_STOP_APPROVED };
        ASSERT_STREQ(warden_format_cell_reason(&c, buf), "the cell approved a shutdown request");
        c.stop_reason = WARDEN_STOP_FORCED;
        ASSERT_STREQ(warden_format_cell_reason(&c, buf), "stopped by root without its approval");
        c.stop_reason = WARDEN_STOP_NONE;
        ASSERT_NULL(warden_format_cell_reason(&c, buf));
        ASSERT_NULL(warden_format_cell_reason(&running_cell, buf));

        /* A destroyed cell: only a forced stop is told again. */
        c = (WardenCellInfo) { .state = WARDEN_GENL_CELL_DESTROYED, .stop_reason = WARDEN_STOP_FORCED };
        ASSERT_STREQ(warden_format_cell_reason(&c, buf), "stopped by root without its approval");
        c.stop_reason = WARDEN_STOP_APPROVED;
        ASSERT_NULL(warden_format_cell_reason(&c, buf));
}

TEST(cell_json) {
        json_t *o;
        char *s;

        ASSERT_OK(warden_cell_to_json(&failed_cell, &o));
        s = dump(o);
        ASSERT_STREQ(s, "{\"id\":2,\"name\":\"crash-demo\",\"state\":\"failed\",\"cpus\":[2],\"cpus_running\":[],"
                        "\"memory\":1048576,\"passive\":true,\"may_refuse\":false,\"locked\":false,\"shutdown_requested\":false,"
                        "\"shutdown_refused\":false,\"stop_reason\":\"fault\",\"console_head\":120,"
                        "\"heartbeat\":0,\"starts\":1,\"exits\":17,"
                        "\"reason\":\"data abort at 0x40000000 (ESR 0x92000006) on CPU 2, pc 0x1234\","
                        "\"fault\":{\"kind\":\"data-abort\",\"cpu\":2,\"esr\":2449473542,\"address\":1073741824,"
                        "\"pc\":4660}}");
        free(s);
}

TEST(cell_list_json) {
        WardenCellInfo cells[2] = { running_cell, failed_cell };
        json_t *o;
        char *s;

        ASSERT_OK(warden_cell_list_to_json(NULL, 0, &o));
        s = dump(o);
        ASSERT_STREQ(s, "[]");
        free(s);

        cells[0].flags |= WARDEN_CELL_INFO_LOCKED;
        ASSERT_OK(warden_cell_list_to_json(cells, 2, &o));
        ASSERT_EQ(json_array_size(o), 2);
        ASSERT_STREQ(json_string_value(json_object_get(json_array_get(o, 0), "state")), "running/locked");
        ASSERT_NULL(json_object_get(json_array_get(o, 0), "reason"));
        ASSERT_NULL(json_object_get(json_array_get(o, 0), "fault"));
        ASSERT_STREQ(json_string_value(json_object_get(json_array_get(o, 1), "name")), "crash-demo");
        ASSERT_TRUE(json_is_false(json_object_get(json_array_get(o, 0), "may_refuse")));
        json_decref(o);

        /* A granted cell, and the stop reason of a forced stop. */
        cells[0].flags = WARDEN_CELL_INFO_MAY_REFUSE | WARDEN_CELL_INFO_REFUSED;
        cells[1] = (WardenCellInfo) { .id = 4, .name = "refuse-demo", .state = WARDEN_CELL_SHUT_DOWN,
                                      .stop_reason = WARDEN_STOP_FORCED, .cpus = 0x4 };
        ASSERT_OK(warden_cell_list_to_json(cells, 2, &o));
        ASSERT_TRUE(json_is_true(json_object_get(json_array_get(o, 0), "may_refuse")));
        ASSERT_TRUE(json_is_true(json_object_get(json_array_get(o, 0), "shutdown_refused")));
        ASSERT_TRUE(json_is_false(json_object_get(json_array_get(o, 1), "may_refuse")));
        ASSERT_STREQ(json_string_value(json_object_get(json_array_get(o, 1), "stop_reason")), "forced");
        ASSERT_STREQ(json_string_value(json_object_get(json_array_get(o, 1), "reason")),
                     "stopped by root without its approval");
        json_decref(o);
}

typedef struct CellList {
        const WardenCellInfo *cells;
        size_t n;
} CellList;

static int print_list(const void *p, FILE *f) {
        const CellList *l = p;

        return warden_cell_list_print(l->cells, l->n, f);
}

static int print_stats(const void *p, FILE *f) {
        return warden_cell_stats_print(p, f);
}

TEST(cell_list_text) {
        WardenCellInfo cells[2] = { running_cell, failed_cell };
        CellList l = { cells, 2 };
        char *s;

        s = print_to_string(print_list, &(CellList) { NULL, 0 });
        ASSERT_STREQ(s, "No cells.\n");
        free(s);

        s = print_to_string(print_list, &l);
        ASSERT_STREQ(s,
                     "  ID  NAME        STATE    CPUS  SHUTDOWN     REASON\n"
                     "   1  hello       running  3     cooperative\n"
                     "   2  crash-demo  failed   2     passive      data abort at 0x40000000 (ESR 0x92000006) on CPU 2, pc 0x1234\n");
        free(s);

        cells[0] = (WardenCellInfo) { .id = 3, .name = "locked-demo", .state = WARDEN_CELL_RUNNING,
                                      .flags = WARDEN_CELL_INFO_MAY_REFUSE | WARDEN_CELL_INFO_LOCKED, .cpus = 0x2 };
        cells[1] = (WardenCellInfo) { .id = 4, .name = "refuse-demo", .state = WARDEN_CELL_SHUT_DOWN,
                                      .stop_reason = WARDEN_STOP_FORCED, .cpus = 0x4 };
        s = print_to_string(print_list, &l);
        ASSERT_STREQ(s,
                     "  ID  NAME         STATE           CPUS  SHUTDOWN     REASON\n"
                     "   3  locked-demo  running/locked  1     may-refuse\n"
                     "   4  refuse-demo  shut down       2     cooperative  stopped by root without its approval\n");
        free(s);
}

TEST(cell_stats_text) {
        char *s = print_to_string(print_stats, &failed_cell);

        ASSERT_STREQ(s,
                     "Cell:               crash-demo\n"
                     "ID:                 2\n"
                     "State:              failed\n"
                     "Reason:             data abort at 0x40000000 (ESR 0x92000006) on CPU 2, pc 0x1234\n"
                     "Shutdown:           passive\n"
                     "May refuse:         no\n"
                     "CPUs:               2\n"
                     "Running CPUs:       none\n"
                     "Memory:             1 MiB\n"
                     "Console:            120 bytes written\n"
                     "Heartbeat:          0\n"
                     "Starts:             1\n"
                     "Exits:              17\n"
                     "Fault:              data-abort on CPU 2\n"
                     "  ESR:              0x92000006\n"
                     "  Address:          0x40000000\n"
                     "  PC:               0x1234\n");
        free(s);

        s = print_to_string(print_stats, &(WardenCellInfo) { .id = 3, .name = "locked-demo",
                                                            .state = WARDEN_CELL_RUNNING,
                                                            .flags = WARDEN_CELL_INFO_LOCKED | WARDEN_CELL_INFO_REFUSED |
                                                                     WARDEN_CELL_INFO_MAY_REFUSE,
                                                            .cpus = 0x4, .cpus_running = 0x4 });
        ASSERT_NOT_NULL(strstr(s, "State:              running/locked\n"));
        ASSERT_NOT_NULL(strstr(s, "Shutdown:           cooperative\nMay refuse:         yes\n"
                                  "Shutdown request:   refused\n"));
        ASSERT_NULL(strstr(s, "Reason:"));
        free(s);
}

TEST(cell_event) {
        WardenEvent e = { .type = WARDEN_EVENT_CELL_CHANGED, .cell = failed_cell };
        json_t *o;
        char *s;

        s = print_to_string(print_event, &e);
        ASSERT_STREQ(s, "Cell crash-demo (2): failed: data abort at 0x40000000 (ESR 0x92000006) on CPU 2, pc 0x1234\n");
        free(s);

        e.cell = running_cell;
        e.cell.flags = WARDEN_CELL_INFO_REQUEST;
        s = print_to_string(print_event, &e);
        ASSERT_STREQ(s, "Cell hello (1): running, shutdown requested\n");
        free(s);
        e.cell.flags = WARDEN_CELL_INFO_REFUSED | WARDEN_CELL_INFO_LOCKED;
        s = print_to_string(print_event, &e);
        ASSERT_STREQ(s, "Cell hello (1): running/locked, shutdown refused\n");
        free(s);

        e.cell.flags = 0;
        e.cell.state = WARDEN_GENL_CELL_DESTROYED;
        s = print_to_string(print_event, &e);
        ASSERT_STREQ(s, "Cell hello (1): destroyed\n");
        free(s);
        e.cell.stop_reason = WARDEN_STOP_FORCED;
        s = print_to_string(print_event, &e);
        ASSERT_STREQ(s, "Cell hello (1): destroyed: stopped by root without its approval\n");
        free(s);
        e.cell.stop_reason = WARDEN_STOP_NONE;

        ASSERT_OK(warden_event_to_json(&e, &o));
        s = dump(o);
        ASSERT_NOT_NULL(strstr(s, "{\"event\":\"cell-changed\",\"cell\":{\"id\":1,\"name\":\"hello\",\"state\":\"destroyed\","));
        free(s);
}

DEFINE_TEST_MAIN
