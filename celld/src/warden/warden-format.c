/* SPDX-License-Identifier: GPL-2.0-only */
/* How the warden CLI shows the module's state and events, as text and as JSON. */
#include <inttypes.h>

#include <warden/config.h>

#include "json-util.h"
#include "warden-format.h"

const char *warden_format_cpu_list(uint64_t mask, char buf[static WARDEN_CPU_LIST_MAX]) {
        size_t n = 0;

        buf[0] = '\0';
        for (unsigned cpu = 0; cpu < 64; cpu++) {
                unsigned last = cpu;

                if (!(mask & (UINT64_C(1) << cpu)))
                        continue;
                while (last + 1 < 64 && (mask & (UINT64_C(1) << (last + 1))))
                        last++;
                /* At most 32 runs of "NN," or "NN-NN,": always fits. */
                if (last == cpu)
                        n += (size_t) snprintf(buf + n, WARDEN_CPU_LIST_MAX - n, "%s%u", n ? "," : "", cpu);
                else
                        n += (size_t) snprintf(buf + n, WARDEN_CPU_LIST_MAX - n, "%s%u-%u", n ? "," : "", cpu, last);
                cpu = last;
        }
        return n ? buf : "none";
}

const char *warden_format_bytes(uint64_t bytes, char buf[static WARDEN_BYTES_MAX]) {
        static const char *const units[] = { "KiB", "MiB", "GiB", "TiB" };
        uint64_t unit = 1024;
        size_t i = 0;

        if (bytes < 1024) {
                snprintf(buf, WARDEN_BYTES_MAX, "%" PRIu64 " bytes", bytes);
                return buf;
        }
        while (i + 1 < ELEMENTSOF(units) && bytes >= unit * 1024) {
                unit *= 1024;
                i++;
        }
        if (bytes % unit == 0)
                snprintf(buf, WARDEN_BYTES_MAX, "%" PRIu64 " %s", bytes / unit, units[i]);
        else
                snprintf(buf, WARDEN_BYTES_MAX, "%.1f %s", (double) bytes / (double) unit, units[i]);
        return buf;
}

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
static int hv_info_to_json(const WardenInfo *info, json_t *o) {
        json_t *cpus, *exits;

        cpus = json_array();
        if (!cpus || json_object_set_new(o, "cpus_enabled", cpus) < 0)
                return -ENOMEM;
        for (unsigned cpu = 0; cpu < 64; cpu++)
                if ((info->cpus_enabled & (UINT64_C(1) << cpu)) &&
                    json_array_append_new(cpus, json_integer(cpu)) < 0)
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

int warden_event_to_json(const WardenEvent *event, json_t **ret) {
        json_auto_t *o = json_object();
        int r;

        if (!o)
                return -ENOMEM;

        r = json_object_set_string(o, "event", warden_event_type_to_string(event->type));
        if (r >= 0 && event->type == WARDEN_EVENT_STATE_CHANGED)
                r = json_object_set_string(o, "state", warden_hv_state_name(event->state));
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
        default:
                fprintf(f, "Events lost\n");
                break;
        }
        return ferror(f) ? -EIO : 0;
}
