/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * warden config create: the system description (docs/description-language.md) of the running
 * machine, from its device tree, /proc/iomem, the kernel command line and the CPUs in sysfs.
 * Every value carries a comment that says where it came from.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdlib.h>
#include <string.h>

#include <warden/config.h>

#include "log.h"
#include "macro.h"
#include "warden-hwcheck.h"

#define SPI_WORDS 16    /* bitmaps of INTIDs 0-1023 */

/* 0x4000_0000: hex in groups of four digits joined by '_', as cells.d/system.yaml writes addresses. */
static const char *addr(char buf[static 32], uint64_t v) {
        char hex[20];
        int n = snprintf(hex, sizeof(hex), "%" PRIx64, v), k = 2;

        if (n > 4 && n < 8) {
                int pad = 4 - n % 4;

                memmove(hex + pad, hex, (size_t) n + 1);
                memset(hex, '0', (size_t) pad);
                n += pad;
        }
        buf[0] = '0', buf[1] = 'x';
        for (int i = 0; i < n; i++) {
                if (i > 0 && (n - i) % 4 == 0)
                        buf[k++] = '_';
                buf[k++] = hex[i];
        }
        buf[k] = '\0';
        return buf;
}

/* 1G, 768M, 64K, or hex. */
static const char *size_str(char buf[static 32], uint64_t v) {
        static const struct {
                uint64_t unit;
                char suffix;
        } units[] = { { 1ULL << 40, 'T' }, { 1ULL << 30, 'G' }, { 1ULL << 20, 'M' }, { 1ULL << 10, 'K' } };

        for (size_t i = 0; i < ELEMENTSOF(units); i++)
                if (v % units[i].unit == 0) {
                        snprintf(buf, 32, "%" PRIu64 "%c", v / units[i].unit, units[i].suffix);
                        return buf;
                }
        return addr(buf, v);
}

/* A name of the schema: lower-case letters, digits and '-', at most 31 characters. */
static void schema_name(const char *s, char buf[static 32]) {
        size_t k = 0;

        for (; s && *s && k < 31; s++) {
                char ch = *s >= 'A' && *s <= 'Z' ? (char) (*s - 'A' + 'a') : *s;

                if ((ch >= 'a' && ch <= 'z') || (ch >= '0' && ch <= '9'))
                        buf[k++] = ch;
                else if (k > 0 && buf[k - 1] != '-')
                        buf[k++] = '-';
        }
        while (k > 0 && buf[k - 1] == '-')
                k--;
        buf[k] = '\0';
        if (k == 0)
                strcpy(buf, "this-machine");
}

static bool spi_test(const uint64_t *set, unsigned i) {
        return set[i / 64] & (1ULL << (i % 64));
}

static void spi_set(uint64_t *set, unsigned i) {
        set[i / 64] |= 1ULL << (i % 64);
}

static bool spi_any(const uint64_t *set) {
        for (size_t w = 0; w < SPI_WORDS; w++)
                if (set[w])
                        return true;
        return false;
}

/*
 * The INTIDs of @set as runs: "33, 35-38" for comments, or, with @yaml, the entries of an irqs
 * list: 33, "35-38".
 */
static void print_spis_as(FILE *f, const uint64_t *set, bool yaml) {
        bool first = true;

        for (unsigned i = 32; i <= WARDEN_IRQ_SPI_LAST; i++) {
                unsigned j = i;

                if (!spi_test(set, i))
                        continue;
                while (j + 1 <= WARDEN_IRQ_SPI_LAST && spi_test(set, j + 1))
                        j++;
                if (j > i)
                        fprintf(f, yaml ? "%s\"%u-%u\"" : "%s%u-%u", first ? "" : ", ", i, j);
                else
                        fprintf(f, "%s%u", first ? "" : ", ", i);
                first = false;
                i = j;
        }
}

static void print_spis(FILE *f, const uint64_t *set) {
        print_spis_as(f, set, false);
}

/* A device node: what root must reach and which SPIs are its. */
typedef struct Device {
        const DtNode *node;
        HwRanges mmio;
        uint64_t spis[SPI_WORDS];
        uint64_t msi_spis[SPI_WORDS];   /* an MSI frame's SPIs (GICv2m) */
} Device;

typedef struct Devices {
        Device *items;
        size_t n;
} Devices;

static bool skip_node(const HwMachine *m, const DtNode *n) {
        static const char *const skipped[] = { "/cpus", "/chosen", "/aliases", "/reserved-memory", "/psci", NULL };
        const char *t = dt_prop_str(n, "device_type");

        for (const char *const *s = skipped; *s; s++)
                if (streq(n->path, *s))
                        return true;
        return !dt_is_enabled(n) || (t && streq(t, "memory"));
}

/* The windows of a PCI host bridge: ranges with 3-cell child addresses. */
static int pci_windows(const DtNode *n, HwRanges *r) {
        const DtProp *p = dt_prop(n, "ranges");
        const char *t = dt_prop_str(n, "device_type");
        uint32_t pa = 2, sc = 2;

        if (!p || !t || !streq(t, "pci"))
                return 0;
        if (n->parent)
                (void) dt_prop_u32(n->parent, "#address-cells", &pa);
        (void) dt_prop_u32(n, "#size-cells", &sc);
        if (pa > 2 || sc > 2 || pa == 0)
                return 0;
        for (size_t off = 0; off + 4 * (3 + pa + sc) <= p->size; off += 4 * (3 + pa + sc)) {
                uint64_t base = 0, size = 0;

                for (uint32_t i = 0; i < pa; i++)
                        base = base << 32 | ((uint64_t) p->data[off + 12 + 4 * i] << 24 | p->data[off + 13 + 4 * i] << 16 |
                                             p->data[off + 14 + 4 * i] << 8 | p->data[off + 15 + 4 * i]);
                for (uint32_t i = 0; i < sc; i++) {
                        size_t o = off + 4 * (3 + pa + i);

                        size = size << 32 | ((uint64_t) p->data[o] << 24 | p->data[o + 1] << 16 | p->data[o + 2] << 8 |
                                             p->data[o + 3]);
                }
                if (hw_ranges_add(r, base, size) < 0)
                        return -ENOMEM;
        }
        return 0;
}

/*
 * A GICv2m frame's SPIs (INTIDs): its arm,msi-base-spi and arm,msi-num-spis, or, when the
 * frame's MSI_TYPER register says (QEMU), the kernel's boot line
 * "GICv2m: range[mem 0x08020000-0x08020fff], SPI[80:143]".
 */
static bool v2m_spis(const HwMachine *m, const DtNode *n, uint32_t *ret_base, uint32_t *ret_num) {
        char needle[64];
        uint64_t b, s;
        unsigned first, last;
        const char *p;

        if (dt_prop_u32(n, "arm,msi-base-spi", ret_base) && dt_prop_u32(n, "arm,msi-num-spis", ret_num))
                return true;
        if (!m->kernel_log || !dt_reg(n, 0, &b, &s))
                return false;
        snprintf(needle, sizeof(needle), "GICv2m: range[mem 0x%08" PRIx64 "-", b);
        p = strstr(m->kernel_log, needle);
        if (!p || !(p = strstr(p, "SPI[")) || sscanf(p, "SPI[%u:%u]", &first, &last) != 2 || last < first)
                return false;
        *ret_base = first;
        *ret_num = last - first + 1;
        return true;
}

static int collect_devices(const HwMachine *m, const DtNode *n, Devices *d) {
        Device dev = { .node = n };
        uint32_t base_spi, num_spis;

        if (n != m->dt && skip_node(m, n))
                return 0;
        if (n != m->dt) {
                for (size_t i = 0; i < dt_reg_count(n); i++) {
                        uint64_t b, s;

                        if (dt_reg(n, i, &b, &s) && hw_ranges_add(&dev.mmio, b, s) < 0)
                                return -ENOMEM;
                }
                if (pci_windows(n, &dev.mmio) < 0)
                        return -ENOMEM;
                if (n != m->gic)
                        (void) dt_node_spis(m->dt, m->gic, n, dev.spis);
                /* A GICv2m frame hands its SPIs to MSIs (of PCIe devices Linux owns). */
                if (dt_is_compatible(n, "arm,gic-v2m-frame") && v2m_spis(m, n, &base_spi, &num_spis))
                        for (uint32_t i = base_spi; i < base_spi + num_spis && i <= WARDEN_IRQ_SPI_LAST; i++)
                                spi_set(dev.msi_spis, i);
                if (dev.mmio.n > 0 || dt_node_spis(m->dt, m->gic, n, (uint64_t[SPI_WORDS]) {}) > 0 ||
                    spi_any(dev.msi_spis)) {
                        Device *p = realloc(d->items, (d->n + 1) * sizeof(*p));

                        if (!p) {
                                hw_ranges_done(&dev.mmio);
                                return -ENOMEM;
                        }
                        d->items = p;
                        d->items[d->n++] = dev;
                }
        }
        for (size_t i = 0; i < n->n_children; i++) {
                int r = collect_devices(m, n->children[i], d);

                if (r < 0)
                        return r;
        }
        return 0;
}

static void devices_done(Devices *d) {
        for (size_t i = 0; i < d->n; i++)
                hw_ranges_done(&d->items[i].mmio);
        free(d->items);
}

static bool ram_between(const HwMachine *m, uint64_t a, uint64_t b) {
        for (size_t i = 0; i < m->dt_memory.n; i++)
                if (m->dt_memory.items[i].base < b && m->dt_memory.items[i].base + m->dt_memory.items[i].size > a)
                        return true;
        return false;
}

/*
 * The devices' ranges as root's io regions: page-rounded, then merged wherever no RAM lies
 * between two of them and the gap is under 256 MiB, so that one region covers a bus of devices
 * generously, as the reference machine's single mmio region does.
 */
static int device_regions(const HwMachine *m, const Devices *d, HwRanges *ret) {
        HwRanges r = {};
        size_t k = 0;

        for (size_t i = 0; i < d->n; i++)
                for (size_t j = 0; j < d->items[i].mmio.n; j++) {
                        uint64_t b = d->items[i].mmio.items[j].base & ~0xfffULL;
                        uint64_t e = (d->items[i].mmio.items[j].base + d->items[i].mmio.items[j].size + 0xfff) & ~0xfffULL;

                        if (hw_ranges_add(&r, b, e - b) < 0) {
                                hw_ranges_done(&r);
                                return -ENOMEM;
                        }
                }
        hw_ranges_merge(&r);
        for (size_t i = 0; i < r.n; i++) {
                HwRange *last = k ? &r.items[k - 1] : NULL;
                uint64_t last_end = last ? last->base + last->size : 0;

                if (last && r.items[i].base - last_end < (256ULL << 20) && !ram_between(m, last_end, r.items[i].base))
                        last->size = r.items[i].base + r.items[i].size - last->base;
                else
                        r.items[k++] = r.items[i];
        }
        r.n = k;
        *ret = r;
        return 0;
}

/* The UART Linux's console is on: /chosen/stdout-path, through /aliases. */
static const DtNode *console_uart(const HwMachine *m, const char **ret_how) {
        const char *sp = dt_prop_str(dt_find(m->dt, "/chosen"), "stdout-path");
        _cleanup_free_ char *path = NULL;

        if (!sp)
                return NULL;
        path = strndup(sp, strcspn(sp, ":"));
        if (!path)
                return NULL;
        *ret_how = sp;
        if (path[0] != '/') {
                const char *alias = dt_prop_str(dt_find(m->dt, "/aliases"), path);

                return alias ? dt_find(m->dt, alias) : NULL;
        }
        return dt_find(m->dt, path);
}

/* The SPIs of root's devices as irqs entries, wired devices first, at most WARDEN_MAX_IRQS. */
static void print_root_irqs(FILE *f, const uint64_t *wired, const uint64_t *msi, uint64_t *ret_dropped) {
        uint64_t kept[SPI_WORDS] = {};
        unsigned n = 0;

        for (int pass = 0; pass < 2; pass++) {
                const uint64_t *set = pass == 0 ? wired : msi;

                for (unsigned i = 32; i <= WARDEN_IRQ_SPI_LAST; i++)
                        if (spi_test(set, i) && !spi_test(kept, i)) {
                                if (n < WARDEN_MAX_IRQS) {
                                        spi_set(kept, i);
                                        n++;
                                } else
                                        spi_set(ret_dropped, i);
                        }
        }
        fputs("  irqs: [", f);
        print_spis_as(f, kept, true);
        fputs("]\n", f);
}

/*
 * The event interrupt: an SPI no device of the device tree uses. User space cannot read
 * GICD_TYPER, which says how many SPIs the GIC implements; but a GIC implements SPIs in blocks
 * of 32, so the block of the highest SPI a device uses exists. The highest free INTID of that
 * block (or of a lower one) is taken: it exists, and is far from the devices' numbers.
 */
static unsigned choose_event_irq(const uint64_t *used, unsigned *ret_limit) {
        unsigned top = 0, limit;

        for (unsigned i = 32; i <= WARDEN_IRQ_SPI_LAST; i++)
                if (spi_test(used, i))
                        top = i;
        limit = top ? (top / 32) * 32 + 31 : 63;
        limit = MIN(limit, (unsigned) WARDEN_IRQ_SPI_LAST);
        *ret_limit = limit;
        for (unsigned i = limit; i >= 32; i--)
                if (!spi_test(used, i))
                        return i;
        return 0;
}

int hw_config_write(const HwMachine *m, FILE *out) {
        _cleanup_free_ char *text = NULL, *mem = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        Devices devs = {};
        HwRanges mmio = {};
        uint64_t wired[SPI_WORDS] = {}, msi[SPI_WORDS] = {}, used[SPI_WORDS] = {}, dropped[SPI_WORDS] = {};
        const DtNode *uart = NULL;
        const char *model, *uart_how = NULL, *log_spis;
        char name[32], b1[32], b2[32];
        uint64_t gicd, gicr, gicc, gich, gicv, s, uart_base = 0, hv_base, hv_size;
        unsigned uart_irq = 0, event_irq, limit;
        HwRange carve;
        size_t text_size = 0;
        int r;

        /* What is needed before anything is written. */
        if (!m->dt)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT),
                                       "%s%ssys/firmware/devicetree/base: no device tree (an ACPI boot?): this machine "
                                       "cannot be described", m->root, streq(m->root, "/") ? "" : "/");
        if (!IN_SET(m->gic_kind, HW_GIC_V3, HW_GIC_V2) || !hw_gic_frame(m, 0, &gicd, &s))
                return log_error_errno(SYNTHETIC_ERRNO(ENODEV), "device tree: %s",
                                       m->gic_kind == HW_GIC_V2_NO_VIRT ?
                                               "the GIC is a GICv2 without the virtualization extensions (no GICH and GICV reg entries)" :
                                       m->gic_kind == HW_GIC_UNKNOWN ? "the interrupt controller is not a GIC Warden knows" :
                                                                       "no GIC node (arm,gic-v3, or a GICv2 such as arm,gic-400)");
        if (m->gic_kind == HW_GIC_V3 && !hw_gic_frame(m, 1, &gicr, &s))
                return log_error_errno(SYNTHETIC_ERRNO(ENODEV), "device tree: %s has no redistributor reg entry",
                                       m->gic->path);
        if (m->gic_kind == HW_GIC_V2 &&
            (!hw_gic_frame(m, 1, &gicc, &s) || !hw_gic_frame(m, 2, &gich, &s) || !hw_gic_frame(m, 3, &gicv, &s)))
                return log_error_errno(SYNTHETIC_ERRNO(ENODEV), "device tree: cannot read the GICv2 frames of %s",
                                       m->gic->path);
        if (m->dt_memory.n == 0)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "device tree: no /memory node with RAM");
        if (!m->iomem_read || m->system_ram.n == 0)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "%s/proc/iomem: no System RAM lines (not root?)",
                                       streq(m->root, "/") ? "" : m->root);
        if (m->n_cpus == 0)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "sys/devices/system/cpu/possible could not be read");
        if (!hw_carveout(m, &carve) || carve.size < HW_HV_MEMORY_MIN)
                return log_error_errno(SYNTHETIC_ERRNO(ENOSPC),
                                       "no RAM Linux does not use (at least %llu MiB): boot Linux with mem= below the end "
                                       "of RAM, or give the device tree a reserved-memory node with no-map",
                                       HW_HV_MEMORY_MIN >> 20);

        r = collect_devices(m, m->dt, &devs);
        if (r >= 0)
                r = device_regions(m, &devs, &mmio);
        if (r < 0) {
                devices_done(&devs);
                return log_oom();
        }
        for (size_t i = 0; i < devs.n; i++)
                for (size_t w = 0; w < SPI_WORDS; w++) {
                        wired[w] |= devs.items[i].spis[w];
                        msi[w] |= devs.items[i].msi_spis[w];
                }

        uart = console_uart(m, &uart_how);
        if (uart && dt_is_compatible(uart, "arm,pl011") && dt_reg(uart, 0, &uart_base, &s)) {
                uint64_t set[SPI_WORDS] = {};

                if (dt_node_spis(m->dt, m->gic, uart, set) > 0)
                        for (unsigned i = 32; i <= WARDEN_IRQ_SPI_LAST && !uart_irq; i++)
                                if (spi_test(set, i))
                                        uart_irq = i;
        }
        for (size_t w = 0; w < SPI_WORDS; w++)
                used[w] = wired[w] | msi[w];
        event_irq = choose_event_irq(used, &limit);

        /* The hypervisor takes the start of the carve-out, 2 MiB aligned when that leaves room. */
        hv_base = (carve.base + (2ULL << 20) - 1) & ~((2ULL << 20) - 1);
        if (hv_base + HW_HV_MEMORY > carve.base + carve.size)
                hv_base = carve.base;
        hv_size = MIN(HW_HV_MEMORY, carve.base + carve.size - hv_base) & ~0xfffffULL;
        mem = hw_cmdline_value(m, "mem");
        model = dt_prop_str(m->dt, "model") ?: dt_prop_str(m->dt, "compatible");
        schema_name(model, name);

        /* Written to memory first: a failure leaves @out untouched. */
        f = open_memstream(&text, &text_size);
        if (!f) {
                devices_done(&devs);
                hw_ranges_done(&mmio);
                return log_oom();
        }

        fputs("# yaml-language-server: $schema=/usr/share/warden/schemas/system.schema.json\n"
              "# Written by `warden config create` from the running machine: its device tree\n"
              "# (/sys/firmware/devicetree/base), /proc/iomem, the kernel command line and the\n"
              "# CPUs in /sys/devices/system/cpu. Each value says where it came from. Nothing was\n"
              "# read from the hardware itself: check it (docs/porting.md) before enabling.\n", f);
        fprintf(f, "system: %s   # the device tree's /model \"%s\"\n", name, strempty(model));
        fprintf(f, "description: \"%s, %zu CPUs, GICv%d\"\n\n", strempty(model), m->n_cpus,
                m->gic_kind == HW_GIC_V3 ? 3 : 2);

        fputs("platform:\n", f);
        fprintf(f, "  # %zu CPU nodes under /cpus; Linux's numbers from each CPU's of_node in sysfs:\n",
                m->n_dt_cpus);
        for (size_t i = 0; i < m->n_cpus; i++) {
                const char *pn = NULL;
                unsigned bits = hw_midr_pa_bits(m->cpus[i].midr, &pn);

                fprintf(f, "  #   CPU %u: %s, MPIDR 0x%" PRIx64 " (reg), MIDR 0x%" PRIx64, m->cpus[i].number,
                        m->cpus[i].node ? m->cpus[i].node->path : "(no of_node)", m->cpus[i].mpidr, m->cpus[i].midr);
                if (bits)
                        fprintf(f, " (%s, %u-bit physical addresses)", pn, bits);
                fputc('\n', f);
        }
        fprintf(f, "  cpus: 0-%zu\n", MAX(m->n_dt_cpus, m->n_cpus) - 1);
        fputs("  ram:   # the reg of the device tree's memory nodes\n", f);
        for (size_t i = 0; i < m->dt_memory.n; i++)
                fprintf(f, "    - base: %s\n      size: %s\n", addr(b1, m->dt_memory.items[i].base),
                        size_str(b2, m->dt_memory.items[i].size));
        fprintf(f, "  gic:   # %s, compatible \"%s\"\n", m->gic->path, strempty(dt_prop_str(m->gic, "compatible")));
        if (m->gic_kind == HW_GIC_V3) {
                fprintf(f, "    version: 3\n    distributor: %s      # reg entry 1 (GICD)\n", addr(b1, gicd));
                fprintf(f, "    redistributors: %s   # reg entry 2 (GICR, one 128 KiB frame pair per CPU)\n",
                        addr(b1, gicr));
        } else {
                fprintf(f, "    version: 2   # four reg entries: the virtualization extensions are there\n");
                fprintf(f, "    distributor: %s            # reg entry 1 (GICD)\n", addr(b1, gicd));
                fprintf(f, "    cpu-interface: %s          # reg entry 2 (GICC)\n", addr(b1, gicc));
                fprintf(f, "    hypervisor-interface: %s   # reg entry 3 (GICH)\n", addr(b1, gich));
                fprintf(f, "    virtual-cpu-interface: %s  # reg entry 4 (GICV)\n", addr(b1, gicv));
        }
        if (uart_base) {
                fprintf(f, "  uart:   # Linux's console: /chosen/stdout-path \"%s\" is %s, an arm,pl011\n", uart_how,
                        uart->path);
                fprintf(f, "    type: pl011\n    base: %s   # its reg\n", addr(b1, uart_base));
                if (uart_irq)
                        fprintf(f, "    irq: %u   # its interrupts: SPI %u, INTID = SPI + 32\n", uart_irq, uart_irq - 32);
        } else if (uart)
                fprintf(f, "  # No uart: the console %s (\"%s\") is not a PL011, the only type Warden drives;\n"
                           "  # its region stays in root's memory and its interrupt in root-cell.irqs.\n",
                        uart->path, strempty(dt_prop_str(uart, "compatible")));
        else
                fputs("  # No uart: /chosen/stdout-path names no console UART.\n", f);

        fputs("\nhypervisor:\n", f);
        fprintf(f, "  # RAM Linux does not use: 0x%" PRIx64 "-0x%" PRIx64 " (%" PRIu64 " MiB) is in a memory node\n"
                   "  # but not System RAM in /proc/iomem%s%s%s.\n"
                   "  # The hypervisor takes its first %" PRIu64 " MiB; cells get the rest, 0x%" PRIx64 "-0x%" PRIx64 ".\n",
                carve.base, carve.base + carve.size - 1, carve.size >> 20, mem ? "\n  # (mem=" : "", strempty(mem),
                mem ? " on the kernel command line)" : "", hv_size >> 20, hv_base + hv_size,
                carve.base + carve.size - 1);
        fprintf(f, "  memory:\n    base: %s\n    size: %s\n", addr(b1, hv_base), size_str(b2, hv_size));
        log_spis = m->kernel_log ? strstr(m->kernel_log, "SPIs implemented") : NULL;
        if (event_irq) {
                fprintf(f, "  # The SPI the hypervisor raises to tell Linux about cell events: one no device\n"
                           "  # tree node uses. User space cannot read GICD_TYPER for the GIC's last SPI, but a\n"
                           "  # GIC implements SPIs in blocks of 32 and the devices' highest SPI is in the block\n"
                           "  # that ends at INTID %u: the highest free INTID up to there.", limit);
                if (log_spis) {
                        const char *line = log_spis;

                        while (line > m->kernel_log && line[-1] != '\n' && line[-1] != ']')
                                line--;
                        line += strspn(line, " ");
                        fprintf(f, " (Kernel log:\n  # \"%.*s\".)", (int) (log_spis - line + strlen("SPIs implemented")),
                                line);
                }
                fprintf(f, "\n  event-irq: %u\n", event_irq);
        } else
                fprintf(f, "  # No event-irq: every SPI up to INTID %u is a device's; choose a free SPI below the\n"
                           "  # GIC's limit by hand (warden.ko refuses to create cells without one).\n", limit);

        fputs("\nroot-cell:\n", f);
        fprintf(f, "  cpus: ");
        {
                bool first = true;

                for (size_t i = 0; i < m->n_cpus; i++) {
                        size_t j = i;

                        while (j + 1 < m->n_cpus && m->cpus[j + 1].number == m->cpus[j].number + 1)
                                j++;
                        fprintf(f, "%s%u", first ? "\"" : ",", m->cpus[i].number);
                        if (j > i)
                                fprintf(f, "-%u", m->cpus[j].number);
                        first = false;
                        i = j;
                }
                fputs("\"   # Linux's possible CPUs (/sys/devices/system/cpu/possible)\n", f);
        }
        fputs("  memory:\n", f);
        for (size_t i = 0; i < m->system_ram.n; i++) {
                if (i == 0)
                        fputs("    # Linux's RAM: the System RAM lines of /proc/iomem.\n", f);
                fprintf(f, "    - name: ram%s%.0zu\n      base: %s\n      size: %s\n", i ? "-" : "", i,
                        addr(b1, m->system_ram.items[i].base), size_str(b2, m->system_ram.items[i].size));
        }
        fputs("    # The devices: each node's reg (translated through its buses' ranges) and the\n"
              "    # windows of PCIe host bridges, merged where no RAM lies between. The platform's\n"
              "    # devices, with their SPIs (INTID = SPI + 32; the device tree's interrupts,\n"
              "    # interrupts-extended and interrupt-map entries that go to the GIC):\n", f);
        for (size_t i = 0; i < devs.n; i++) {
                const Device *d = &devs.items[i];
                fprintf(f, "    #   %s", d->node->path);
                if (dt_prop_str(d->node, "compatible"))
                        fprintf(f, " (%s)", dt_prop_str(d->node, "compatible"));
                for (size_t j = 0; j < d->mmio.n; j++)
                        fprintf(f, "%s0x%" PRIx64 "-0x%" PRIx64, j ? ", " : ": ", d->mmio.items[j].base,
                                d->mmio.items[j].base + d->mmio.items[j].size - 1);
                if (spi_any(d->spis)) {
                        fputs("; INTID ", f);
                        print_spis(f, d->spis);
                }
                if (spi_any(d->msi_spis)) {
                        fputs("; MSIs on INTID ", f);
                        print_spis(f, d->msi_spis);
                }
                fputc('\n', f);
        }
        for (size_t i = 0; i < mmio.n; i++) {
                if (mmio.n == 1)
                        fputs("    - name: mmio\n", f);
                else
                        fprintf(f, "    - name: mmio-%" PRIx64 "\n", mmio.items[i].base);
                fprintf(f, "      base: %s\n      size: %s\n      access: [read, write, io]\n",
                        addr(b1, mmio.items[i].base), size_str(b2, mmio.items[i].size));
        }
        fputs("  # The SPIs of those devices: no cell may take them. Wired interrupts first, then\n"
              "  # MSI frames' SPIs, at most 64 (WARDEN_MAX_IRQS).\n", f);
        print_root_irqs(f, wired, msi, dropped);
        if (spi_any(dropped)) {
                fputs("  # Left out for the limit, although devices use them: ", f);
                print_spis(f, dropped);
                fputc('\n', f);
        }

        devices_done(&devs);
        hw_ranges_done(&mmio);
        if (fflush(f) != 0 || ferror(f))
                return log_oom();
        if (fwrite(text, 1, text_size, out) != text_size || fflush(out) != 0)
                return log_error_errno(errno ?: EIO, "Failed to write the description: %m");
        return 0;
}
