/* SPDX-License-Identifier: GPL-2.0-only */
/* Cells as people read them: CPU lists, sizes, why a cell stopped. Shared by warden, celld, cellctl. */
#include <inttypes.h>

#include <warden/config.h>

#include "cell-text.h"

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

static const char *fault_kind_text(uint32_t kind) {
        switch (kind) {
        case WARDEN_FAULT_DATA_ABORT:
                return "data abort";
        case WARDEN_FAULT_INSN_ABORT:
                return "instruction abort";
        case WARDEN_FAULT_SYSREG:
                return "trapped system register access";
        case WARDEN_FAULT_PSCI:
                return "forbidden PSCI call";
        case WARDEN_FAULT_GIC:
                return "forbidden GIC access";
        case WARDEN_FAULT_DEVICE:
                return "emulated device access refused";
        default:
                return "unknown trap";
        }
}

static const char *stop_reason_text(uint32_t reason) {
        switch (reason) {
        case WARDEN_STOP_ROOT:
                return "shut down by root";
        case WARDEN_STOP_SYSTEM_OFF:
                return "the cell powered off (PSCI SYSTEM_OFF)";
        case WARDEN_STOP_SYSTEM_RESET:
                return "the cell asked for a reset (PSCI SYSTEM_RESET)";
        case WARDEN_STOP_APPROVED:
                return "the cell approved a shutdown request";
        case WARDEN_STOP_FAULT:
                return "a fault";
        case WARDEN_STOP_FORCED:
                return "stopped by root without its approval";
        case WARDEN_STOP_CPUS_OFF:
                return "every CPU of the cell powered off (PSCI CPU_OFF)";
        default:
                return NULL;
        }
}

const char *warden_format_cell_reason(const WardenCellInfo *c, char buf[static WARDEN_REASON_MAX]) {
        const WardenCellFault *f = &c->fault;
        int n;

        /* Of a destroyed cell, only a forced stop is worth telling: the rest was told before. */
        if (c->state == WARDEN_GENL_CELL_DESTROYED && c->stop_reason == WARDEN_STOP_FORCED) {
                snprintf(buf, WARDEN_REASON_MAX, "%s", stop_reason_text(c->stop_reason));
                return buf;
        }
        if (!IN_SET(c->state, WARDEN_CELL_FAILED, WARDEN_CELL_SHUT_DOWN))
                return NULL;
        if (!c->has_fault || f->kind == WARDEN_FAULT_NONE) {
                const char *t = stop_reason_text(c->stop_reason);

                if (!t && c->state == WARDEN_CELL_FAILED)
                        t = "unknown";
                if (t)
                        snprintf(buf, WARDEN_REASON_MAX, "%s", t);
                return t ? buf : NULL;
        }

        n = snprintf(buf, WARDEN_REASON_MAX, "%s", fault_kind_text(f->kind));
        /* Aborts are about an address; other traps name one when the hypervisor recorded it. */
        if (f->address != 0 || IN_SET(f->kind, WARDEN_FAULT_DATA_ABORT, WARDEN_FAULT_INSN_ABORT))
                n += snprintf(buf + n, WARDEN_REASON_MAX - n, " at 0x%" PRIx64, f->address);
        snprintf(buf + n, WARDEN_REASON_MAX - n, " (ESR 0x%" PRIx64 ") on CPU %" PRIu32 ", pc 0x%" PRIx64,
                 f->esr, f->cpu, f->pc);
        return buf;
}

