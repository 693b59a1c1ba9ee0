/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * warden hardware check: each requirement of docs/porting.md ("What the board must have")
 * checked from what Linux shows user space. EL2, VHE and KVM are what warden.ko checks at load
 * (kmod/el2.c); user space cannot read the registers it reads, so the kernel's own boot lines
 * stand in: "CPU: All CPU(s) started at EL2", "CPU features: detected: Virtualization Host
 * Extensions", KVM's "kvm [1]: ..." lines and /dev/kvm.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "json-util.h"
#include "log.h"
#include "macro.h"
#include "warden-hwcheck.h"

static const char *const status_table[] = {
        [HW_OK] = "ok",
        [HW_WARNING] = "warning",
        [HW_MISSING] = "missing",
};

const char *hw_status_to_string(HwStatus s) {
        return s < ELEMENTSOF(status_table) ? status_table[s] : NULL;
}

_printf_(5, 6) static int add(HwChecks *c, const char *id, const char *title, HwStatus s, const char *fmt, ...) {
        HwCheck *p;
        va_list ap;
        char *reason;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&reason, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        p = realloc(c->items, (c->n + 1) * sizeof(*p));
        if (!p) {
                free(reason);
                return -ENOMEM;
        }
        c->items = p;
        c->items[c->n++] = (HwCheck) { id, title, s, reason };
        return 0;
}

static const char *log_unreadable(const HwMachine *m) {
        return m->kernel_log_error == -EPERM ? "the kernel log is not readable (run as root)" :
                                               "the kernel log could not be read";
}

static int check_devicetree(const HwMachine *m, HwChecks *c) {
        if (m->dt)
                return add(c, "devicetree", "Device tree", HW_OK,
                           "the firmware passed a device tree (/sys/firmware/devicetree/base)");
        return add(c, "devicetree", "Device tree", HW_MISSING,
                   "no /sys/firmware/devicetree/base: an ACPI boot? warden.ko and the description need the device tree");
}

static int check_el2(const HwMachine *m, HwChecks *c) {
        const char *id = "el2", *t = "EL2 available";

        if (m->module_warden)
                return add(c, id, t, HW_OK, "warden.ko is loaded, and it loads only where EL2 is free for it");
        if (hw_log_has(m, "CPU: All CPU(s) started at EL2"))
                return add(c, id, t, HW_OK, "kernel log: \"CPU: All CPU(s) started at EL2\"");
        if (hw_log_has(m, "CPU: All CPU(s) started at EL1"))
                return add(c, id, t, HW_MISSING,
                           "kernel log: \"CPU: All CPU(s) started at EL1\": the CPUs have no EL2, or the boot "
                           "loader entered Linux at EL1 (it must enter at EL2)");
        if (hw_log_has(m, "CPU: CPUs started in inconsistent modes"))
                return add(c, id, t, HW_MISSING,
                           "kernel log: \"CPUs started in inconsistent modes\": some CPUs were entered at EL1");
        return add(c, id, t, HW_WARNING, "unknown: %s",
                   m->kernel_log ? "the kernel log no longer holds the boot line \"CPU: All CPU(s) started at EL...\""
                                 : log_unreadable(m));
}

static int check_vhe(const HwMachine *m, HwChecks *c) {
        _cleanup_free_ char *vh = hw_cmdline_value(m, "id_aa64mmfr1.vh");
        const char *id = "vhe", *t = "No VHE";

        if (m->module_warden)
                return add(c, id, t, HW_OK, "warden.ko is loaded, and it refuses to load under a VHE kernel");
        if (vh && streq(vh, "0"))
                return add(c, id, t, HW_OK, "VHE is turned off for Linux (id_aa64mmfr1.vh=0 on the command line)");
        if (hw_log_has(m, "CPU features: detected: Virtualization Host Extensions"))
                return add(c, id, t, HW_MISSING,
                           "kernel log: \"detected: Virtualization Host Extensions\": Linux runs at EL2 itself; boot "
                           "it with id_aa64mmfr1.vh=0 so that EL2 is left to Warden");
        if (hw_log_has(m, "CPU: All CPU(s) started at EL"))
                return add(c, id, t, HW_OK, "the kernel log reports no Virtualization Host Extensions in use");
        return add(c, id, t, HW_WARNING, "unknown: %s",
                   m->kernel_log ? "the kernel log no longer holds the boot lines" : log_unreadable(m));
}

static int check_kvm(const HwMachine *m, HwChecks *c) {
        _cleanup_free_ char *mode = hw_cmdline_value(m, "kvm-arm.mode");
        const char *id = "kvm", *t = "KVM not owning EL2";

        if (m->module_warden)
                return add(c, id, t, HW_OK, "warden.ko is loaded, and it refuses to load while KVM owns EL2");
        if (m->dev_kvm)
                return add(c, id, t, HW_MISSING,
                           "/dev/kvm exists: KVM initialised and owns EL2; boot the kernel with kvm-arm.mode=none");
        if (hw_log_has(m, "mode initialized successfully"))
                return add(c, id, t, HW_MISSING,
                           "kernel log: KVM \"mode initialized successfully\": KVM owns EL2; boot the kernel with "
                           "kvm-arm.mode=none");
        if (hw_log_has(m, "KVM disabled from command line"))
                return add(c, id, t, HW_OK, "kernel log: \"KVM disabled from command line\" (kvm-arm.mode=none)");
        if (mode && streq(mode, "none"))
                return add(c, id, t, HW_OK, "kvm-arm.mode=none on the kernel command line");
        if (!m->module_kvm)
                return add(c, id, t, HW_OK, "the kernel has no KVM (no /sys/module/kvm)");
        if (hw_log_has(m, "HYP mode not available"))
                return add(c, id, t, HW_OK, "kernel log: KVM found no EL2 (\"HYP mode not available\")");
        return add(c, id, t, HW_WARNING,
                   "unknown: no /dev/kvm, but no kvm-arm.mode=none on the command line either; boot with it");
}

static int check_gic(const HwMachine *m, HwChecks *c) {
        const char *id = "gic", *t = "GIC version";
        uint64_t b = 0, s;

        if (!m->dt)
                return add(c, id, t, HW_MISSING, "no device tree to find the GIC in");
        if (m->gic_kind != HW_GIC_NONE)
                (void) dt_reg(m->gic, 0, &b, &s);
        switch (m->gic_kind) {
        case HW_GIC_V3:
                return add(c, id, t, HW_OK, "GICv3 (%s, arm,gic-v3, distributor at 0x%" PRIx64 ")", m->gic->path, b);
        case HW_GIC_V2:
                return add(c, id, t, HW_OK,
                           "GICv2 with the virtualization extensions (%s: 4 reg entries, GICD GICC GICH GICV; "
                           "distributor at 0x%" PRIx64 ")", m->gic->path, b);
        case HW_GIC_V2_NO_VIRT:
                return add(c, id, t, HW_MISSING,
                           "GICv2 without the virtualization extensions (%s lists %zu reg entries, not GICD GICC "
                           "GICH GICV)", m->gic->path, dt_reg_count(m->gic));
        case HW_GIC_UNKNOWN:
                return add(c, id, t, HW_MISSING, "the root interrupt controller %s is not a GIC Warden knows (%s)",
                           m->gic->path, strempty(dt_prop_str(m->gic, "compatible")));
        default:
                return add(c, id, t, HW_MISSING, "no GIC node in the device tree");
        }
}

/* The highest address the system description must reach: RAM, the GIC, the devices. */
static uint64_t highest_address(const HwMachine *m, const char **what) {
        uint64_t top = 0;

        *what = "RAM";
        if (m->dt_memory.n)
                top = m->dt_memory.items[m->dt_memory.n - 1].base + m->dt_memory.items[m->dt_memory.n - 1].size;
        for (size_t i = 0; i < m->n_iomem; i++)
                if (m->iomem[i].base + m->iomem[i].size > top) {
                        top = m->iomem[i].base + m->iomem[i].size;
                        *what = m->iomem[i].name;
                }
        return top;
}

static int check_pa_range(const HwMachine *m, HwChecks *c) {
        const char *id = "pa-range", *t = "Physical address range", *name = NULL, *what;
        uint64_t top = highest_address(m, &what);
        unsigned bits = 0;

        /* The smallest range of the CPUs whose MIDR sysfs shows (present ones). */
        for (size_t i = 0; i < m->n_cpus; i++) {
                unsigned b;

                if (!m->cpus[i].midr)
                        continue;
                b = hw_midr_pa_bits(m->cpus[i].midr, &name);
                if (!b) {
                        bits = 0;
                        break;
                }
                bits = bits ? MIN(bits, b) : b;
        }
        if (!bits)
                return add(c, id, t, HW_WARNING,
                           "unknown: Linux does not show ID_AA64MMFR0_EL1.PARange and the CPU (MIDR 0x%" PRIx64 ") is "
                           "not in warden's table; the hypervisor reads it at enable and refuses what lies beyond",
                           m->n_cpus ? m->cpus[0].midr : 0);
        bits = MIN(bits, 48u);  /* the hypervisor uses at most 48 bits */
        if (top > (1ULL << bits))
                return add(c, id, t, HW_MISSING,
                           "%u bits (%s), but %s ends at 0x%" PRIx64 ", beyond 2^%u", bits, name, what, top, bits);
        return add(c, id, t, HW_OK, "%u bits (%s); RAM and devices end at or below 0x%" PRIx64, bits, name, top);
}

static int check_psci(const HwMachine *m, HwChecks *c) {
        const char *id = "psci", *t = "PSCI conduit";
        const DtNode *psci = dt_find(m->dt, "/psci"), *cpus = dt_find(m->dt, "/cpus");
        const char *method = dt_prop_str(psci, "method");

        if (!psci)
                return add(c, id, t, HW_MISSING, "no /psci node in the device tree: CPUs cannot be handed to cells");
        if (!method || !streq(method, "smc"))
                return add(c, id, t, HW_MISSING,
                           "/psci/method is \"%s\": Warden traps root's PSCI calls as SMCs and makes its own through "
                           "SMC, so it needs \"smc\" (hvc means EL2 already belongs to someone else)",
                           strempty(method));
        if (!dt_is_compatible(psci, "arm,psci-0.2") && !dt_is_compatible(psci, "arm,psci-1.0"))
                return add(c, id, t, HW_MISSING,
                           "/psci is PSCI 0.1 (compatible \"%s\"): the hypervisor knows the standard function "
                           "numbers of PSCI 0.2 and later only", strempty(dt_prop_str(psci, "compatible")));
        for (size_t i = 0; cpus && i < cpus->n_children; i++) {
                const char *type = dt_prop_str(cpus->children[i], "device_type");
                const char *em = dt_prop_str(cpus->children[i], "enable-method");

                if (type && streq(type, "cpu") && (!em || !streq(em, "psci")))
                        return add(c, id, t, HW_MISSING,
                                   "%s starts by enable-method \"%s\", not \"psci\": Linux cannot take it offline "
                                   "for a cell", cpus->children[i]->path, strempty(em));
        }
        return add(c, id, t, HW_OK, "/psci/method is \"smc\", standard PSCI function numbers, every CPU by PSCI");
}

static int check_carveout(const HwMachine *m, HwChecks *c) {
        _cleanup_free_ char *mem = hw_cmdline_value(m, "mem");
        const char *id = "carve-out", *t = "Free carve-out";
        HwRange r;

        if (!m->iomem_read)
                return add(c, id, t, HW_WARNING, "unknown: /proc/iomem could not be read");
        if (!m->dt || m->dt_memory.n == 0)
                return add(c, id, t, HW_MISSING, "no /memory node in the device tree to compare Linux's RAM with");
        if (!hw_carveout(m, &r) || r.size < HW_HV_MEMORY_MIN)
                return add(c, id, t, HW_MISSING,
                           "all RAM of the device tree's /memory nodes is Linux's (System RAM in /proc/iomem) or "
                           "firmware's; boot Linux with mem= below the end of RAM, or add a reserved-memory node with "
                           "no-map");
        if (r.size < HW_HV_MEMORY + (2ULL << 20))
                return add(c, id, t, HW_WARNING,
                           "only %" PRIu64 " KiB free at 0x%" PRIx64 ": enough for the hypervisor, little or "
                           "nothing for cells", r.size >> 10, r.base);
        return add(c, id, t, HW_OK,
                   "%" PRIu64 " MiB at 0x%" PRIx64 "-0x%" PRIx64 " are RAM Linux does not use%s%s%s",
                   r.size >> 20, r.base, r.base + r.size - 1, mem ? " (mem=" : "", strempty(mem), mem ? ")" : "");
}

static int check_cpus(const HwMachine *m, HwChecks *c) {
        const char *id = "cpus", *t = "CPU count";
        size_t n = m->n_cpus ?: m->n_dt_cpus;

        if (n == 0)
                return add(c, id, t, HW_WARNING, "unknown: no /sys/devices/system/cpu/possible and no CPU nodes");
        if (n > HW_MAX_CPUS)
                return add(c, id, t, HW_MISSING, "%zu CPUs: the hypervisor is built for at most %d (MAX_CPUS)", n,
                           HW_MAX_CPUS);
        if (n == 1)
                return add(c, id, t, HW_WARNING, "1 CPU: Linux keeps CPU 0, so no cell can run");
        return add(c, id, t, HW_OK, "%zu CPUs, at most %d supported", n, HW_MAX_CPUS);
}

int hw_checks_run(const HwMachine *m, HwChecks *ret) {
        static int (*const checks[])(const HwMachine *m, HwChecks *c) = {
                check_devicetree, check_el2, check_vhe, check_kvm, check_gic,
                check_pa_range, check_psci, check_carveout, check_cpus,
        };
        HwChecks c = {};

        for (size_t i = 0; i < ELEMENTSOF(checks); i++)
                if (checks[i](m, &c) < 0) {
                        hw_checks_done(&c);
                        return -ENOMEM;
                }
        *ret = c;
        return 0;
}

void hw_checks_done(HwChecks *c) {
        for (size_t i = 0; i < c->n; i++)
                free(c->items[i].reason);
        free(c->items);
        *c = (HwChecks) {};
}

bool hw_checks_ready(const HwChecks *c) {
        for (size_t i = 0; i < c->n; i++)
                if (c->items[i].status == HW_MISSING)
                        return false;
        return true;
}

int hw_checks_print(const HwChecks *c, bool json, FILE *f) {
        json_t *o, *a;
        int r;

        if (!json) {
                for (size_t i = 0; i < c->n; i++)
                        fprintf(f, "%-8s %-23s %s\n", hw_status_to_string(c->items[i].status), c->items[i].title,
                                c->items[i].reason);
                fprintf(f, "%s\n", hw_checks_ready(c) ? "Warden can run on this machine." :
                                                         "Warden cannot run on this machine: see the missing lines.");
                return ferror(f) ? -EIO : 0;
        }

        o = json_object();
        a = json_array();
        if (!o || !a || json_object_set_new(o, "ready", json_boolean(hw_checks_ready(c))) < 0 ||
            json_object_set_new(o, "checks", a) < 0) {
                json_decref(o);
                return -ENOMEM;
        }
        for (size_t i = 0; i < c->n; i++) {
                json_t *e = json_object();

                if (!e || json_array_append_new(a, e) < 0 || json_object_set_string(e, "name", c->items[i].id) < 0 ||
                    json_object_set_string(e, "title", c->items[i].title) < 0 ||
                    json_object_set_string(e, "status", hw_status_to_string(c->items[i].status)) < 0 ||
                    json_object_set_string(e, "reason", c->items[i].reason) < 0) {
                        json_decref(o);
                        return -ENOMEM;
                }
        }
        r = json_print(o, f);
        json_decref(o);
        return r;
}
