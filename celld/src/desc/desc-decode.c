/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <string.h>

#include "desc-decode.h"
#include "desc-guest.h"
#include "desc-values.h"
#include "macro.h"

static const void *at(const void *blob, uint32_t off) {
        return (const char *) blob + off;
}

/* A YAML double-quoted scalar: any bytes a path may hold come back unchanged. */
static void put_quoted(FILE *f, const char *str) {
        fputc('"', f);
        for (const unsigned char *p = (const unsigned char *) str; *p; p++) {
                if (*p == '"' || *p == '\\')
                        fprintf(f, "\\%c", *p);
                else if (*p < 0x20 || *p == 0x7f)
                        fprintf(f, "\\x%02x", *p);
                else
                        fputc(*p, f);
        }
        fputc('"', f);
}

static void put_duration(FILE *f, const char *indent, const char *key, uint32_t ms) {
        if (ms % 60000 == 0 && ms)
                fprintf(f, "%s%s: %" PRIu32 "min\n", indent, key, ms / 60000);
        else if (ms % 1000 == 0)
                fprintf(f, "%s%s: %" PRIu32 "s\n", indent, key, ms / 1000);
        else
                fprintf(f, "%s%s: %" PRIu32 "ms\n", indent, key, ms);
}

static void put_cpus(FILE *f, const char *indent, uint64_t mask) {
        char buf[256];

        value_format_cpu_list(mask, buf, sizeof(buf));
        fprintf(f, "%scpus: \"%s\"\n", indent, buf);
}

static void put_access(FILE *f, uint32_t flags) {
        static const char *const names[] = { "read", "write", "execute", "loadable", "io" };
        const char *sep = "";

        fputs("    access: [", f);
        for (unsigned i = 0; i < ELEMENTSOF(names); i++)
                if (flags & (1U << i)) {
                        fprintf(f, "%s%s", sep, names[i]);
                        sep = ", ";
                }
        fputs("]\n", f);
}

static void put_region(FILE *f, const struct warden_region *r, bool identity) {
        char size[32];

        value_format_size(r->size, size, sizeof(size));
        fprintf(f, "  - name: %.*s\n", WARDEN_NAME_LEN, r->name);
        if (identity) {
                fprintf(f, "    base: 0x%" PRIx64 "\n", (uint64_t) r->phys_start);
        } else {
                fprintf(f, "    guest: 0x%" PRIx64 "\n", (uint64_t) r->virt_start);
                fprintf(f, "    host: 0x%" PRIx64 "\n", (uint64_t) r->phys_start);
        }
        fprintf(f, "    size: %s\n", size);
        put_access(f, r->flags);
}

/* The sorted list: runs of three or more as "A-B" range strings, the others as numbers. */
static void put_irqs(FILE *f, const char *indent, const uint32_t *irq, uint32_t n) {
        fprintf(f, "%sirqs: [", indent);
        for (uint32_t i = 0, j; i < n; i = j + 1) {
                for (j = i; j + 1 < n && irq[j + 1] == irq[j] + 1;)
                        j++;
                if (j - i >= 2) {
                        fprintf(f, "%s\"%" PRIu32 "-%" PRIu32 "\"", i ? ", " : "", irq[i], irq[j]);
                        continue;
                }
                j = i;
                fprintf(f, "%s%" PRIu32, i ? ", " : "", irq[i]);
        }
        fputs("]\n", f);
}

static void put_images(FILE *f, const void *blob, const struct warden_config_layout *l,
                       const struct warden_policy *p) {
        const struct warden_image *im = at(blob, l->images);
        const struct warden_region *r = at(blob, l->regions);
        const char *strings = at(blob, l->strings);

        if (!p->num_images)
                return;
        fputs("image:\n", f);
        for (uint32_t i = 0; i < p->num_images; i++) {
                fputs("  - file: ", f);
                put_quoted(f, strings + im[i].path_offset);
                fputc('\n', f);
                fprintf(f, "    region: %.*s\n", WARDEN_NAME_LEN, r[im[i].region].name);
                fprintf(f, "    offset: 0x%" PRIx64 "\n", (uint64_t) im[i].offset);
        }
}

static void put_policy(FILE *f, const struct warden_policy *p) {
        static const char *const restart[] = { "no", "on-failure", "always" };

        put_duration(f, "", "shutdown-timeout", p->shutdown_timeout_ms);
        fprintf(f, "restart: \"%s\"\n", restart[p->restart]);
        fprintf(f, "restart-limit:\n  burst: %" PRIu32 "\n", p->restart_burst);
        put_duration(f, "  ", "interval", p->restart_interval_ms);
        fputs("restart-delay:\n", f);
        put_duration(f, "  ", "initial", p->delay_initial_ms);
        put_duration(f, "  ", "max", p->delay_max_ms);
        put_duration(f, "", "watchdog", p->watchdog_ms);
        fprintf(f, "autostart: %s\n", p->flags & WARDEN_POLICY_AUTOSTART ? "true" : "false");
}

/* A boot file of an OS, its address written out. */
static void put_boot_file(FILE *f, const char *key, const GuestItem *it) {
        fprintf(f, "  %s:\n", key);
        if (it->path) {
                fputs("    file: ", f);
                put_quoted(f, it->path);
                fputc('\n', f);
        }
        fprintf(f, "    address: 0x%" PRIx64 "\n", it->address);
}

/* The OS of a cell, every place and default written out (its files are the blob's images). */
static void put_os(FILE *f, const GuestPlan *p) {
        fputs("os:\n", f);
        put_boot_file(f, guest_file_to_key(p->entry), &p->items[p->entry]);
        if (p->items[GUEST_INITRAMFS].present)
                put_boot_file(f, "initramfs", &p->items[GUEST_INITRAMFS]);
        if (p->command_line) {
                fputs("  command-line: ", f);
                put_quoted(f, p->command_line);
                fputc('\n', f);
        }
        put_boot_file(f, "device-tree", &p->items[GUEST_DT]);
        fprintf(f, "  psci: %s\n", p->psci_hvc ? "hvc" : "smc");
        if (p->uart)
                fprintf(f, "  uart:\n    base: 0x%" PRIx64 "\n    irq: %" PRIu32 "\n", p->uart_base, p->uart_irq);
        else
                fputs("  uart: none\n", f);
        if (p->button)
                fprintf(f, "  power-button:\n    base: 0x%" PRIx64 "\n    irq: %" PRIu32 "\n", p->button_base,
                        p->button_irq);
}

/*
 * A blob alone does not hold an OS cell's os section (its command line and device tree are
 * written into the cell at load, from the description), so YAML decoded from it would not
 * compile back to it: says so, with what the blob does hold, as comments.
 */
static void put_os_from_blob(FILE *f, const struct warden_cell *c) {
        if (!(c->flags & (WARDEN_CELL_ENTRY_ARG | WARDEN_CELL_UART | WARDEN_CELL_POWER_BUTTON)))
                return;
        fputs("# This cell boots an OS: the blob has its images and entry but not its description's\n"
              "# 'os' section (command line, device tree), so this YAML does not compile back to the\n"
              "# blob. 'cellctl show' of the description gives it whole. From the blob:\n", f);
        if (c->flags & WARDEN_CELL_ENTRY_ARG)
                fprintf(f, "#   x0 at entry (the device tree): 0x%" PRIx64 "\n", (uint64_t) c->entry_arg);
        if (c->flags & WARDEN_CELL_UART)
                fprintf(f, "#   virtual UART: 0x%" PRIx64 ", interrupt %" PRIu32 "\n", (uint64_t) c->uart_base,
                        c->uart_irq);
        if (c->flags & WARDEN_CELL_POWER_BUTTON)
                fprintf(f, "#   power button: 0x%" PRIx64 ", interrupt %" PRIu32 "\n", (uint64_t) c->button_base,
                        c->button_irq);
}

static void decode_cell(const void *blob, const struct warden_config_layout *l, const GuestPlan *os, FILE *f) {
        const struct warden_config_header *h = blob;
        const struct warden_cell *c = at(blob, l->cell);
        const struct warden_region *r = at(blob, l->regions);
        const struct warden_policy *p = at(blob, l->policy);

        fprintf(f, "cell: %.*s\n", WARDEN_NAME_LEN, h->name);
        put_cpus(f, "", c->cpu_set);
        fputs("memory:\n", f);
        for (uint32_t i = 0; i < c->num_regions; i++)
                put_region(f, &r[i], false);
        put_irqs(f, "", at(blob, l->irqs), c->num_irqs);
        fprintf(f, "interrupts: %s\n",
                c->flags & WARDEN_CELL_WAIT_TRAPPED ? "direct-strict" :
                c->flags & WARDEN_CELL_IRQ_DIRECT ? "direct" : "trapped");
        if (os) {
                put_os(f, os);
        } else {
                put_os_from_blob(f, c);
                put_images(f, blob, l, p);
                fprintf(f, "entry: 0x%" PRIx64 "\n", (uint64_t) c->entry);
        }
        fprintf(f, "console: %s\n", c->flags & WARDEN_CELL_CONSOLE_VIRTUAL ? "virtual" : "none");
        fprintf(f, "shutdown: %s\n", c->flags & WARDEN_CELL_PASSIVE ? "passive" : "cooperative");
        fprintf(f, "may-refuse: %s\n", c->flags & WARDEN_CELL_MAY_REFUSE ? "true" : "false");
        put_policy(f, p);
}

static void decode_system(const void *blob, const struct warden_config_layout *l, FILE *f) {
        const struct warden_config_header *h = blob;
        const struct warden_system *s = at(blob, sizeof(*h));
        const struct warden_region *ram = at(blob, l->ram), *r = at(blob, l->regions);
        const struct warden_cell *c = at(blob, l->cell);
        char size[32];

        fprintf(f, "system: %.*s\nplatform:\n", WARDEN_NAME_LEN, h->name);
        put_cpus(f, "  ", s->cpu_set);
        fputs("  ram:\n", f);
        for (uint32_t i = 0; i < s->num_ram; i++) {
                value_format_size(ram[i].size, size, sizeof(size));
                fprintf(f, "    - base: 0x%" PRIx64 "\n      size: %s\n", (uint64_t) ram[i].phys_start, size);
        }
        fprintf(f, "  gic:\n    version: %" PRIu32 "\n    distributor: 0x%" PRIx64 "\n", s->gic_version,
                (uint64_t) s->gicd_base);
        if (s->gic_version == WARDEN_GIC_V3)
                fprintf(f, "    redistributors: 0x%" PRIx64 "\n", (uint64_t) s->gicr_base);
        else
                fprintf(f,
                        "    cpu-interface: 0x%" PRIx64 "\n    hypervisor-interface: 0x%" PRIx64
                        "\n    virtual-cpu-interface: 0x%" PRIx64 "\n",
                        (uint64_t) s->gicc_base, (uint64_t) s->gich_base, (uint64_t) s->gicv_base);
        if (s->uart_type == WARDEN_UART_PL011) {
                fprintf(f, "  uart:\n    type: pl011\n    base: 0x%" PRIx64 "\n", (uint64_t) s->uart_base);
                if (s->uart_irq)
                        fprintf(f, "    irq: %" PRIu32 "\n", s->uart_irq);
        }
        value_format_size(s->hv_mem_size, size, sizeof(size));
        fprintf(f, "hypervisor:\n  memory:\n    base: 0x%" PRIx64 "\n    size: %s\n", (uint64_t) s->hv_mem_base, size);
        if (s->event_irq)
                fprintf(f, "  event-irq: %" PRIu32 "\n", s->event_irq);
        fputs("root-cell:\n", f);
        put_cpus(f, "  ", c->cpu_set);
        fputs("  memory:\n", f);
        for (uint32_t i = 0; i < c->num_regions; i++) {
                value_format_size(r[i].size, size, sizeof(size));
                fprintf(f, "    - name: %.*s\n      base: 0x%" PRIx64 "\n      size: %s\n", WARDEN_NAME_LEN,
                        r[i].name, (uint64_t) r[i].phys_start, size);
                fputs("  ", f);
                put_access(f, r[i].flags);
        }
        if (c->num_irqs)
                put_irqs(f, "  ", at(blob, l->irqs), c->num_irqs);
}

int desc_decode(const void *blob, size_t size, FILE *out, struct warden_config_error *ret_error) {
        return desc_decode_os(blob, size, NULL, out, ret_error);
}

int desc_decode_os(const void *blob, size_t size, const GuestPlan *os, FILE *out,
                   struct warden_config_error *ret_error) {
        const struct warden_config_header *h = blob;
        struct warden_config_layout l;
        int r;

        if (size < sizeof(*h) || size > WARDEN_CONFIG_MAX_SIZE) {
                ret_error->what = "not a configuration blob (size)";
                ret_error->offset = 0;
                ret_error->index = -1;
                ret_error->value = size;
                return -EINVAL;
        }
        if (h->kind == WARDEN_CONFIG_SYSTEM) {
                r = warden_config_check_system(blob, (uint32_t) size, &l, ret_error);
                if (r < 0)
                        return r;
                decode_system(blob, &l, out);
                return 0;
        }
        r = warden_config_check_cell(blob, (uint32_t) size, &l, ret_error);
        if (r < 0)
                return r;
        decode_cell(blob, &l, os, out);
        return 0;
}
