/* SPDX-License-Identifier: GPL-2.0-only */
/* How the warden CLI shows the module's state and events, as text and as JSON. */
#include <inttypes.h>

#include <warden/config.h>

#include "json-util.h"
#include "warden-format.h"

static json_t *cpu_exits_to_json(const WardenCpuStats *s) {
        json_auto_t *o = json_pack("{s:I}", "cpu", (json_int_t) s->cpu);
        uint64_t total = 0;

        if (!o)
                return NULL;
        for (int r = 0; r < WARDEN_EXIT_MAX; r++) {
                if (json_object_set_integer(o, warden_exit_reason_to_string(r), (json_int_t) s->exits[r]) < 0)
                        return NULL;
                total += s->exits[r];
        }
        if (json_object_set_integer(o, "total", (json_int_t) total) < 0)
                return NULL;
        return TAKE_PTR(o);
}

/* The figures the module sends while the hypervisor is enabled. */
static int cpu_set_to_json(uint64_t set, json_t *o, const char *key) {
        json_t *cpus = json_array();

        if (!cpus || json_object_set_new(o, key, cpus) < 0)
                return -ENOMEM;
        for (unsigned cpu = 0; cpu < 64; cpu++)
                if ((set & (UINT64_C(1) << cpu)) && json_array_append_new(cpus, json_integer(cpu)) < 0)
                        return -ENOMEM;
        return 0;
}

static int hv_info_to_json(const WardenInfo *info, json_t *o) {
        json_t *exits;

        if (cpu_set_to_json(info->cpus_enabled, o, "cpus_enabled") < 0 ||
            cpu_set_to_json(info->cpus_quarantined, o, "cpus_quarantined") < 0)
                return -ENOMEM;

        if (json_object_set_string(o, "system", info->system_name) < 0 ||
            json_object_set_new(o, "hypervisor_memory",
                                json_pack("{s:I,s:I}",
                                          "base", (json_int_t) info->hv_mem_base,
                                          "size", (json_int_t) info->hv_mem_size)) < 0 ||
            json_object_set_new(o, "pool",
                                json_pack("{s:I,s:I,s:I,s:I}",
                                          "pages", (json_int_t) info->pool_pages,
                                          "used_pages", (json_int_t) info->pool_used,
                                          "bytes", (json_int_t) (info->pool_pages * WARDEN_PAGE_SIZE),
                                          "used_bytes", (json_int_t) (info->pool_used * WARDEN_PAGE_SIZE))) < 0 ||
            json_object_set_integer(o, "cells", info->cells) < 0 ||
            json_object_set_new(o, "root_stage2",
                                json_pack("{s:I,s:I,s:I,s:I,s:I}",
                                          "tables", (json_int_t) info->root_s2_tables,
                                          "pages", (json_int_t) info->root_s2_pages,
                                          "blocks_2m", (json_int_t) info->root_s2_blocks_2m,
                                          "blocks_1g", (json_int_t) info->root_s2_blocks_1g,
                                          "bytes", (json_int_t) info->root_s2_bytes)) < 0 ||
            json_object_set_integer(o, "console_head", (json_int_t) info->console_head) < 0)
                return -ENOMEM;

        exits = json_array();
        if (!exits || json_object_set_new(o, "exits", exits) < 0)
                return -ENOMEM;
        for (size_t i = 0; i < info->n_cpu_stats; i++)
                if (json_array_append_new(exits, cpu_exits_to_json(&info->cpu_stats[i])) < 0)
                        return -ENOMEM;
        return 0;
}

int warden_status_to_json(const WardenInfo *info, json_t **ret) {
        json_auto_t *o = json_object();

        if (!o)
                return -ENOMEM;

        if (json_object_set_string(o, "state", warden_hv_state_name(info->state)) < 0 ||
            json_object_set_string(o, "module_version", info->module_version) < 0 ||
            json_object_set_string(o, "hypervisor_version", info->hv_version) < 0 ||
            json_object_set_integer(o, "hypervisor_abi", info->hv_abi) < 0 ||
            json_object_set_integer(o, "hypervisor_size", (json_int_t) info->hv_size) < 0 ||
            json_object_set_integer(o, "cpus_possible", info->cpus_possible) < 0 ||
            json_object_set_integer(o, "cpus_online", info->cpus_online) < 0)
                return -ENOMEM;
        if (info->has_hv_info && hv_info_to_json(info, o) < 0)
                return -ENOMEM;

        *ret = TAKE_PTR(o);
        return 0;
}

#define FIELD "%-20s"

static void exits_print(const WardenInfo *info, FILE *f) {
        fprintf(f, "Exits:\n  %3s", "CPU");
        for (int r = 0; r < WARDEN_EXIT_MAX; r++)
                fprintf(f, " %9s", warden_exit_reason_to_string(r));
        fputc('\n', f);
        for (size_t i = 0; i < info->n_cpu_stats; i++) {
                const WardenCpuStats *s = &info->cpu_stats[i];

                fprintf(f, "  %3" PRIu32, s->cpu);
                for (int r = 0; r < WARDEN_EXIT_MAX; r++)
                        fprintf(f, " %9" PRIu64, s->exits[r]);
                fputc('\n', f);
        }
}

static void hv_info_print(const WardenInfo *info, FILE *f) {
        char cpus[WARDEN_CPU_LIST_MAX], b1[WARDEN_BYTES_MAX], b2[WARDEN_BYTES_MAX];

        fprintf(f, FIELD "%s\n", "System:", isempty(info->system_name) ? "n/a" : info->system_name);
        if (info->hv_mem_size > 0)
                fprintf(f, FIELD "0x%" PRIx64 "-0x%" PRIx64 " (%s)\n", "Hypervisor memory:", info->hv_mem_base,
                        info->hv_mem_base + info->hv_mem_size - 1, warden_format_bytes(info->hv_mem_size, b1));
        fprintf(f, FIELD "%" PRIu64 " of %" PRIu64 " pages used (%s of %s)\n", "Page pool:", info->pool_used,
                info->pool_pages, warden_format_bytes(info->pool_used * WARDEN_PAGE_SIZE, b1),
                warden_format_bytes(info->pool_pages * WARDEN_PAGE_SIZE, b2));
        fprintf(f, FIELD "%s\n", "Enabled CPUs:", warden_format_cpu_list(info->cpus_enabled, cpus));
        if (info->cpus_quarantined)
                fprintf(f, FIELD "%s (a destroyed cell's CPUs that did not stop; back only after a reset)\n",
                        "Quarantined CPUs:", warden_format_cpu_list(info->cpus_quarantined, cpus));
        fprintf(f, FIELD "%" PRIu32 "\n", "Cells:", info->cells);
        fprintf(f, FIELD "%s mapped: %" PRIu64 " 1G blocks, %" PRIu64 " 2M blocks, %" PRIu64 " pages, %" PRIu64
                " tables\n", "Root stage 2:", warden_format_bytes(info->root_s2_bytes, b1), info->root_s2_blocks_1g,
                info->root_s2_blocks_2m, info->root_s2_pages, info->root_s2_tables);
        fprintf(f, FIELD "%" PRIu64 " bytes written\n", "Hypervisor log:", info->console_head);
        if (info->n_cpu_stats > 0)
                exits_print(info, f);
}

int warden_status_print(const WardenInfo *info, FILE *f) {
        fprintf(f, FIELD "%s\n", "Module version:", info->module_version);
        fprintf(f, FIELD "%s\n", "Hypervisor version:",
                isempty(info->hv_version) ? "n/a" : info->hv_version);
        fprintf(f, FIELD "%" PRIu32 "\n", "Hypervisor ABI:", info->hv_abi);
        fprintf(f, FIELD "%" PRIu64 " bytes\n", "Hypervisor size:", info->hv_size);
        fprintf(f, FIELD "%s\n", "State:", warden_hv_state_name(info->state));
        fprintf(f, FIELD "%" PRIu32 " online, %" PRIu32 " possible\n", "CPUs:",
                info->cpus_online, info->cpus_possible);
        if (info->has_hv_info)
                hv_info_print(info, f);

        return ferror(f) ? -EIO : 0;
}

#define MAX(a, b) ((a) > (b) ? (a) : (b))

/* The JSON name of a fault kind; "unknown" for one this build does not know. */
static const char *fault_kind_name(uint32_t kind) {
        return warden_fault_kind_to_string(kind <= WARDEN_FAULT_DEVICE ? (int) kind : -1) ?: "unknown";
}

static json_t *cpu_array(uint64_t mask) {
        json_auto_t *a = json_array();

        if (!a)
                return NULL;
        for (unsigned cpu = 0; cpu < 64; cpu++)
                if ((mask & (UINT64_C(1) << cpu)) && json_array_append_new(a, json_integer(cpu)) < 0)
                        return NULL;
        return TAKE_PTR(a);
}

int warden_cell_to_json(const WardenCellInfo *c, json_t **ret) {
        json_auto_t *o = json_object();
        char reason[WARDEN_REASON_MAX];
        const char *stop;

        if (!o)
                return -ENOMEM;

        stop = warden_stop_reason_to_string(c->stop_reason);
        if (json_object_set_integer(o, "id", c->id) < 0 ||
            json_object_set_string(o, "name", c->name) < 0 ||
            json_object_set_string(o, "state", warden_cell_state_name(c->state, c->flags)) < 0 ||
            json_object_set_new(o, "cpus", cpu_array(c->cpus)) < 0 ||
            json_object_set_new(o, "cpus_running", cpu_array(c->cpus_running)) < 0 ||
            json_object_set_integer(o, "memory", (json_int_t) c->mem_bytes) < 0 ||
            json_object_set_new(o, "passive", json_boolean(c->flags & WARDEN_CELL_INFO_PASSIVE)) < 0 ||
            json_object_set_new(o, "may_refuse", json_boolean(c->flags & WARDEN_CELL_INFO_MAY_REFUSE)) < 0 ||
            json_object_set_new(o, "locked", json_boolean(c->flags & WARDEN_CELL_INFO_LOCKED)) < 0 ||
            json_object_set_new(o, "shutdown_requested", json_boolean(c->flags & WARDEN_CELL_INFO_REQUEST)) < 0 ||
            json_object_set_new(o, "shutdown_refused", json_boolean(c->flags & WARDEN_CELL_INFO_REFUSED)) < 0 ||
            json_object_set_string(o, "stop_reason", stop ?: "unknown") < 0 ||
            json_object_set_integer(o, "console_head", (json_int_t) c->console_head) < 0 ||
            json_object_set_integer(o, "heartbeat", (json_int_t) c->heartbeat) < 0 ||
            json_object_set_integer(o, "starts", (json_int_t) c->starts) < 0 ||
            json_object_set_integer(o, "exits", (json_int_t) c->exits) < 0)
                return -ENOMEM;
        if (warden_format_cell_reason(c, reason) && json_object_set_string(o, "reason", reason) < 0)
                return -ENOMEM;
        if (c->has_fault) {
                if (json_object_set_new(o, "fault",
                                        json_pack("{s:s,s:I,s:I,s:I,s:I}",
                                                  "kind", fault_kind_name(c->fault.kind),
                                                  "cpu", (json_int_t) c->fault.cpu,
                                                  "esr", (json_int_t) c->fault.esr,
                                                  "address", (json_int_t) c->fault.address,
                                                  "pc", (json_int_t) c->fault.pc)) < 0)
                        return -ENOMEM;
        }

        *ret = TAKE_PTR(o);
        return 0;
}

int warden_cell_list_to_json(const WardenCellInfo *cells, size_t n, json_t **ret) {
        json_auto_t *a = json_array();

        if (!a)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++) {
                json_t *o;

                if (warden_cell_to_json(&cells[i], &o) < 0 || json_array_append_new(a, o) < 0)
                        return -ENOMEM;
        }
        *ret = TAKE_PTR(a);
        return 0;
}

/* How the cell stops, as its description says: "passive", "cooperative" or "may-refuse". */
static const char *cell_shutdown_name(uint32_t flags) {
        if (flags & WARDEN_CELL_INFO_PASSIVE)
                return "passive";
        return flags & WARDEN_CELL_INFO_MAY_REFUSE ? "may-refuse" : "cooperative";
}

int warden_cell_list_print(const WardenCellInfo *cells, size_t n, FILE *f) {
        int name_width = 4, state_width = 5, cpus_width = 4, shutdown_width = 8;
        char cpus[WARDEN_CPU_LIST_MAX], reason[WARDEN_REASON_MAX];

        if (n == 0) {
                fputs("No cells.\n", f);
                return ferror(f) ? -EIO : 0;
        }
        for (size_t i = 0; i < n; i++) {
                name_width = MAX(name_width, (int) strlen(cells[i].name));
                state_width = MAX(state_width, (int) strlen(warden_cell_state_name(cells[i].state, cells[i].flags)));
                cpus_width = MAX(cpus_width, (int) strlen(warden_format_cpu_list(cells[i].cpus, cpus)));
                shutdown_width = MAX(shutdown_width, (int) strlen(cell_shutdown_name(cells[i].flags)));
        }

        fprintf(f, "%4s  %-*s  %-*s  %-*s  %-*s  %s\n", "ID", name_width, "NAME", state_width, "STATE", cpus_width,
                "CPUS", shutdown_width, "SHUTDOWN", "REASON");
        for (size_t i = 0; i < n; i++) {
                const WardenCellInfo *c = &cells[i];
                const char *why = warden_format_cell_reason(c, reason);

                fprintf(f, "%4" PRIu32 "  %-*s  %-*s  %-*s  ", c->id, name_width, c->name, state_width,
                        warden_cell_state_name(c->state, c->flags), cpus_width, warden_format_cpu_list(c->cpus, cpus));
                if (why)
                        fprintf(f, "%-*s  %s\n", shutdown_width, cell_shutdown_name(c->flags), why);
                else
                        fprintf(f, "%s\n", cell_shutdown_name(c->flags));
        }
        return ferror(f) ? -EIO : 0;
}

int warden_cell_stats_print(const WardenCellInfo *c, FILE *f) {
        char cpus[WARDEN_CPU_LIST_MAX], bytes[WARDEN_BYTES_MAX], reason[WARDEN_REASON_MAX];
        const char *why = warden_format_cell_reason(c, reason);

        fprintf(f, FIELD "%s\n", "Cell:", c->name);
        fprintf(f, FIELD "%" PRIu32 "\n", "ID:", c->id);
        fprintf(f, FIELD "%s\n", "State:", warden_cell_state_name(c->state, c->flags));
        if (why)
                fprintf(f, FIELD "%s\n", "Reason:", why);
        fprintf(f, FIELD "%s\n", "Shutdown:", c->flags & WARDEN_CELL_INFO_PASSIVE ? "passive" : "cooperative");
        fprintf(f, FIELD "%s\n", "May refuse:", c->flags & WARDEN_CELL_INFO_MAY_REFUSE ? "yes" : "no");
        if (c->flags & (WARDEN_CELL_INFO_REQUEST | WARDEN_CELL_INFO_REFUSED))
                fprintf(f, FIELD "%s\n", "Shutdown request:",
                        c->flags & WARDEN_CELL_INFO_REQUEST ? "pending" : "refused");
        fprintf(f, FIELD "%s\n", "CPUs:", warden_format_cpu_list(c->cpus, cpus));
        fprintf(f, FIELD "%s\n", "Running CPUs:", warden_format_cpu_list(c->cpus_running, cpus));
        fprintf(f, FIELD "%s\n", "Memory:", warden_format_bytes(c->mem_bytes, bytes));
        fprintf(f, FIELD "%" PRIu64 " bytes written\n", "Console:", c->console_head);
        fprintf(f, FIELD "%" PRIu64 "\n", "Heartbeat:", c->heartbeat);
        fprintf(f, FIELD "%" PRIu64 "\n", "Starts:", c->starts);
        fprintf(f, FIELD "%" PRIu64 "\n", "Exits:", c->exits);
        if (c->has_fault && c->fault.kind != WARDEN_FAULT_NONE) {
                fprintf(f, FIELD "%s on CPU %" PRIu32 "\n", "Fault:", fault_kind_name(c->fault.kind), c->fault.cpu);
                fprintf(f, FIELD "0x%" PRIx64 "\n", "  ESR:", c->fault.esr);
                fprintf(f, FIELD "0x%" PRIx64 "\n", "  Address:", c->fault.address);
                fprintf(f, FIELD "0x%" PRIx64 "\n", "  PC:", c->fault.pc);
        }
        return ferror(f) ? -EIO : 0;
}

int warden_event_to_json(const WardenEvent *event, json_t **ret) {
        json_auto_t *o = json_object();
        json_t *cell;
        int r;

        if (!o)
                return -ENOMEM;

        r = json_object_set_string(o, "event", warden_event_type_to_string(event->type));
        if (r >= 0 && event->type == WARDEN_EVENT_STATE_CHANGED)
                r = json_object_set_string(o, "state", warden_hv_state_name(event->state));
        if (r >= 0 && event->type == WARDEN_EVENT_CELL_CHANGED) {
                r = warden_cell_to_json(&event->cell, &cell);
                if (r >= 0)
                        r = json_object_set_new(o, "cell", cell) < 0 ? -ENOMEM : 0;
        }
        if (r < 0)
                return r;

        *ret = TAKE_PTR(o);
        return 0;
}

int warden_event_print(const WardenEvent *event, FILE *f) {
        switch (event->type) {
        case WARDEN_EVENT_STATE_CHANGED:
                fprintf(f, "Hypervisor state: %s\n", warden_hv_state_name(event->state));
                break;
        case WARDEN_EVENT_MODULE_LOADED:
                fprintf(f, "Module loaded\n");
                break;
        case WARDEN_EVENT_MODULE_UNLOADED:
                fprintf(f, "Module not loaded\n");
                break;
        case WARDEN_EVENT_CELL_CHANGED: {
                char reason[WARDEN_REASON_MAX];
                const char *why = warden_format_cell_reason(&event->cell, reason);

                const WardenCellInfo *c = &event->cell;
                const char *request = c->state != WARDEN_CELL_RUNNING ? ""
                                      : c->flags & WARDEN_CELL_INFO_REQUEST ? ", shutdown requested"
                                      : c->flags & WARDEN_CELL_INFO_REFUSED ? ", shutdown refused" : "";

                fprintf(f, "Cell %s (%" PRIu32 "): %s%s%s%s\n", c->name, c->id, warden_cell_state_name(c->state, c->flags),
                        request, why ? ": " : "", strempty(why));
                break;
        }
        default:
                fprintf(f, "Events lost\n");
                break;
        }
        return ferror(f) ? -EIO : 0;
}
