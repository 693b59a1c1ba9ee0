/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The device tree of a cell that boots an OS, written with libfdt: generated
 * from the cell and the machine, or the description's own blob with /chosen
 * completed. And a printer that turns a blob into source, so that
 * 'cellctl show --dts' needs no dtc.
 */
#include <ctype.h>
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>
#include <sys/random.h>

#include <libfdt.h>
#include <warden/config-check.h>

#include "desc-guest.h"
#include "macro.h"

#define PHANDLE_GIC 1
#define PHANDLE_CLOCK 2
#define PHANDLE_GPIO 3

/* DT interrupt specifiers (arm,gic-v3 and arm,gic bindings): type, number, flags. */
#define DT_IRQ_SPI 0
#define DT_IRQ_PPI 1
#define DT_IRQ_LEVEL_HIGH 4

#define UART_CLOCK_HZ 24000000
#define UART_BAUD 115200
#define KEY_POWER 116                   /* linux,code of the power key (Linux's input-event-codes.h) */

uint64_t guest_gicd_size(const GuestMachine *m) {
        return m->gic_version == WARDEN_GIC_V2 ? GUEST_GICD_V2_SIZE : GUEST_GICD_V3_SIZE;
}

/*
 * The GIC frames a cell of @cpu_set sees: the distributor, and its CPUs' redistributors
 * (GICv3: CPU N's frames at gicr_base + N * 128 KiB) or the CPU interface (GICv2).
 */
bool guest_range_hits_gic(const GuestMachine *m, uint64_t cpu_set, uint64_t base, uint64_t size) {
        if (warden_cfg_overlap(base, size, m->gicd_base, guest_gicd_size(m)))
                return true;
        if (m->gic_version == WARDEN_GIC_V2)
                return warden_cfg_overlap(base, size, m->gicc_base, GUEST_GICC_SIZE);
        for (unsigned cpu = 0; cpu < WARDEN_MAX_CPUS; cpu++)
                if (cpu_set & (1ULL << cpu) &&
                    warden_cfg_overlap(base, size, m->gicr_base + cpu * GUEST_GICR_FRAME_SIZE, GUEST_GICR_FRAME_SIZE))
                        return true;
        return false;
}

/* Sequential writing: the first error sticks, later calls do nothing. */
typedef struct Writer {
        void *fdt;
        int err;
} Writer;

static void w_check(Writer *w, int r) {
        if (r < 0 && w->err == 0)
                w->err = r;
}

static void w_begin(Writer *w, const char *fmt, ...) _printf_(2, 3);

static void w_begin(Writer *w, const char *fmt, ...) {
        char name[64];
        va_list ap;

        va_start(ap, fmt);
        vsnprintf(name, sizeof(name), fmt, ap);
        va_end(ap);
        if (!w->err)
                w_check(w, fdt_begin_node(w->fdt, name));
}

static void w_end(Writer *w) {
        if (!w->err)
                w_check(w, fdt_end_node(w->fdt));
}

static void w_prop(Writer *w, const char *name, const void *v, size_t len) {
        if (!w->err)
                w_check(w, fdt_property(w->fdt, name, v, (int) len));
}

static void w_u32(Writer *w, const char *name, uint32_t v) {
        if (!w->err)
                w_check(w, fdt_property_u32(w->fdt, name, v));
}

static void w_u64(Writer *w, const char *name, uint64_t v) {
        if (!w->err)
                w_check(w, fdt_property_u64(w->fdt, name, v));
}

static void w_str(Writer *w, const char *name, const char *v) {
        w_prop(w, name, v, strlen(v) + 1);
}

/* A property of 32-bit cells, big-endian. */
static void w_cells(Writer *w, const char *name, const uint32_t *cells, size_t n) {
        fdt32_t be[64];

        for (size_t i = 0; i < n && i < ELEMENTSOF(be); i++)
                be[i] = cpu_to_fdt32(cells[i]);
        w_prop(w, name, be, (n < ELEMENTSOF(be) ? n : ELEMENTSOF(be)) * sizeof(fdt32_t));
}

/* (address, size) pairs of two cells each, as the root's #address-cells and #size-cells say. */
static void w_reg(Writer *w, const uint64_t *pairs, size_t n_pairs) {
        uint32_t cells[64];
        size_t n = 0;

        for (size_t i = 0; i < n_pairs * 2 && n + 2 <= ELEMENTSOF(cells); i++) {
                cells[n++] = (uint32_t) (pairs[i] >> 32);
                cells[n++] = (uint32_t) pairs[i];
        }
        w_cells(w, "reg", cells, n);
}

static void gen_chosen(Writer *w, const GuestPlan *p, const uint8_t *seed) {
        const GuestItem *initramfs = &p->items[GUEST_INITRAMFS];

        w_begin(w, "chosen");
        if (p->command_line)
                w_str(w, "bootargs", p->command_line);
        if (p->uart) {
                char path[64];

                snprintf(path, sizeof(path), "/serial@%" PRIx64, p->uart_base);
                w_str(w, "stdout-path", path);
        }
        if (initramfs->present) {
                w_u64(w, "linux,initrd-start", initramfs->address);
                w_u64(w, "linux,initrd-end", initramfs->address + initramfs->size);
        }
        w_prop(w, "rng-seed", seed, 64);
        w_prop(w, "kaslr-seed", seed + 64, 8);
        w_end(w);
}

/* The cell's CPUs by their real MPIDRs; secondaries come up through PSCI CPU_ON. */
static void gen_cpus(Writer *w, const GuestCell *c, const GuestMachine *m) {
        bool wide = false;

        for (unsigned cpu = 0; cpu < WARDEN_MAX_CPUS; cpu++)
                if (c->cpu_set & (1ULL << cpu) && m->mpidr[cpu] >> 32)
                        wide = true;    /* Aff3 needs a second cell */
        w_begin(w, "cpus");
        w_u32(w, "#address-cells", wide ? 2 : 1);
        w_u32(w, "#size-cells", 0);
        for (unsigned cpu = 0; cpu < WARDEN_MAX_CPUS; cpu++) {
                uint64_t id = m->mpidr[cpu];

                if (!(c->cpu_set & (1ULL << cpu)))
                        continue;
                w_begin(w, "cpu@%" PRIx64, id);
                w_str(w, "device_type", "cpu");
                w_str(w, "compatible", "arm,armv8");
                if (wide)
                        w_u64(w, "reg", id);
                else
                        w_u32(w, "reg", (uint32_t) id);
                w_str(w, "enable-method", "psci");
                w_end(w);
        }
        w_end(w);
}

static void gen_psci(Writer *w, const GuestPlan *p) {
        static const char compatible[] = "arm,psci-1.0\0arm,psci-0.2";

        w_begin(w, "psci");
        w_prop(w, "compatible", compatible, sizeof(compatible));
        w_str(w, "method", p->psci_hvc ? "hvc" : "smc");
        w_end(w);
}

/* RAM the OS may use: the cell's read-write-execute regions. */
static void gen_memory(Writer *w, const GuestCell *c) {
        for (uint32_t i = 0; i < c->n_regions; i++) {
                const struct warden_region *r = &c->regions[i];
                uint64_t reg[2] = { r->virt_start, r->size };

                if (!guest_region_is_ram(r))
                        continue;
                w_begin(w, "memory@%" PRIx64, (uint64_t) r->virt_start);
                w_str(w, "device_type", "memory");
                w_reg(w, reg, 1);
                w_end(w);
        }
}

static uint32_t ppi_flags(const GuestCell *c, const GuestMachine *m) {
        unsigned n = (unsigned) __builtin_popcountll(c->cpu_set);

        /* GICv2: the CPU interfaces the PPI reaches, bits 15:8 */
        if (m->gic_version == WARDEN_GIC_V2)
                return DT_IRQ_LEVEL_HIGH | ((n >= 8 ? 0xffU : (1U << n) - 1) << 8);
        return DT_IRQ_LEVEL_HIGH;
}

/* The architected timer's PPIs: secure and non-secure physical, virtual, hypervisor (INTID - 16). */
static void gen_timer(Writer *w, const GuestCell *c, const GuestMachine *m) {
        static const uint32_t ppis[] = { 13, 14, 11, 10 };
        uint32_t cells[12];

        for (size_t i = 0; i < ELEMENTSOF(ppis); i++) {
                cells[3 * i] = DT_IRQ_PPI;
                cells[3 * i + 1] = ppis[i];
                cells[3 * i + 2] = ppi_flags(c, m);
        }
        w_begin(w, "timer");
        w_str(w, "compatible", "arm,armv8-timer");
        w_cells(w, "interrupts", cells, ELEMENTSOF(cells));
        w_end(w);
}

/*
 * The GIC as the cell sees it. GICv3: the distributor, then one redistributor region per run
 * of consecutive cell CPUs, holding only their frames. GICv2: the distributor and the CPU
 * interface, where the hypervisor maps the virtual CPU interface for cells.
 */
static void gen_gic(Writer *w, const GuestCell *c, const GuestMachine *m) {
        uint64_t reg[2 * (WARDEN_MAX_CPUS + 1)];
        size_t n = 1;

        reg[0] = m->gicd_base;
        reg[1] = guest_gicd_size(m);
        if (m->gic_version == WARDEN_GIC_V2) {
                reg[2] = m->gicc_base;
                reg[3] = GUEST_GICC_SIZE;
                n = 2;
        } else {
                for (unsigned cpu = 0; cpu < WARDEN_MAX_CPUS; cpu++) {
                        bool mine = c->cpu_set & (1ULL << cpu), prev = cpu > 0 && c->cpu_set & (1ULL << (cpu - 1));

                        if (mine && !prev) {
                                reg[2 * n] = m->gicr_base + cpu * GUEST_GICR_FRAME_SIZE;
                                reg[2 * n + 1] = 0;
                                n++;
                        }
                        if (mine)
                                reg[2 * n - 1] += GUEST_GICR_FRAME_SIZE;
                }
        }
        w_begin(w, "interrupt-controller@%" PRIx64, m->gicd_base);
        w_str(w, "compatible", m->gic_version == WARDEN_GIC_V2 ? "arm,cortex-a15-gic" : "arm,gic-v3");
        w_u32(w, "#interrupt-cells", 3);
        w_u32(w, "#address-cells", 0);  /* no interrupt-map refers to it */
        w_prop(w, "interrupt-controller", NULL, 0);
        if (n > 2 && m->gic_version == WARDEN_GIC_V3)
                w_u32(w, "#redistributor-regions", (uint32_t) (n - 1));
        w_reg(w, reg, n);
        w_u32(w, "phandle", PHANDLE_GIC);
        w_end(w);
}

/* The APB clock the PrimeCell devices (the UART, the power button's PL061) name; fixed. */
static void gen_clock(Writer *w) {
        w_begin(w, "apb-pclk");
        w_str(w, "compatible", "fixed-clock");
        w_u32(w, "#clock-cells", 0);
        w_u32(w, "clock-frequency", UART_CLOCK_HZ);
        w_u32(w, "phandle", PHANDLE_CLOCK);
        w_end(w);
}

/*
 * The virtual UART: a PL011 that also claims the SBSA subset, so that Linux binds its
 * platform driver (sbsa-uart, which needs only current-speed) and firmware that knows
 * only the PL011 finds it too. Without "arm,primecell" no AMBA probing reads ID registers.
 */
static void gen_uart(Writer *w, const GuestPlan *p) {
        static const char compatible[] = "arm,pl011\0arm,sbsa-uart";
        static const char clock_names[] = "uartclk\0apb_pclk";
        const uint32_t irq[] = { DT_IRQ_SPI, p->uart_irq - WARDEN_IRQ_SPI_FIRST, DT_IRQ_LEVEL_HIGH };
        const uint32_t clocks[] = { PHANDLE_CLOCK, PHANDLE_CLOCK };
        const uint64_t reg[] = { p->uart_base, GUEST_UART_SIZE };

        w_begin(w, "serial@%" PRIx64, p->uart_base);
        w_prop(w, "compatible", compatible, sizeof(compatible));
        w_reg(w, reg, 1);
        w_cells(w, "interrupts", irq, ELEMENTSOF(irq));
        w_cells(w, "clocks", clocks, ELEMENTSOF(clocks));
        w_prop(w, "clock-names", clock_names, sizeof(clock_names));
        w_u32(w, "current-speed", UART_BAUD);
        w_end(w);
}

/*
 * The power button, as QEMU's virt board describes its own: a PL061 GPIO controller (an
 * AMBA PrimeCell: Linux's gpio-pl061 matches it by its ID registers) and a gpio-keys key
 * with KEY_POWER on its line WARDEN_BUTTON_LINE, active high. Linux's gpio-keys asks the
 * PL061 for an interrupt on both edges of the line; the PL061's own is the cell's SPI.
 */
static void gen_button(Writer *w, const GuestPlan *p) {
        static const char compatible[] = "arm,pl061\0arm,primecell";
        const uint32_t irq[] = { DT_IRQ_SPI, p->button_irq - WARDEN_IRQ_SPI_FIRST, DT_IRQ_LEVEL_HIGH };
        const uint32_t gpios[] = { PHANDLE_GPIO, WARDEN_BUTTON_LINE, 0 /* GPIO_ACTIVE_HIGH */ };
        const uint64_t reg[] = { p->button_base, GUEST_BUTTON_SIZE };

        w_begin(w, "gpio@%" PRIx64, p->button_base);
        w_prop(w, "compatible", compatible, sizeof(compatible));
        w_reg(w, reg, 1);
        w_cells(w, "interrupts", irq, ELEMENTSOF(irq));
        w_u32(w, "clocks", PHANDLE_CLOCK);
        w_str(w, "clock-names", "apb_pclk");
        w_prop(w, "gpio-controller", NULL, 0);
        w_u32(w, "#gpio-cells", 2);
        w_u32(w, "phandle", PHANDLE_GPIO);
        w_end(w);

        w_begin(w, "gpio-keys");
        w_str(w, "compatible", "gpio-keys");
        w_begin(w, "poweroff");
        w_str(w, "label", "GPIO Key Poweroff");
        w_u32(w, "linux,code", KEY_POWER);
        w_cells(w, "gpios", gpios, ELEMENTSOF(gpios));
        w_end(w);
        w_end(w);
}

static int generate(const GuestPlan *p, const GuestCell *c, const GuestMachine *m, const uint8_t *seed, void *buf,
                    size_t size) {
        Writer w = { .fdt = buf };
        char model[64];

        w_check(&w, fdt_create(buf, (int) size));
        if (!w.err)
                w_check(&w, fdt_finish_reservemap(buf));
        w_begin(&w, "%s", "");
        snprintf(model, sizeof(model), "Warden cell %s", c->name);
        w_str(&w, "model", model);
        w_str(&w, "compatible", "warden,cell");
        w_u32(&w, "#address-cells", 2);
        w_u32(&w, "#size-cells", 2);
        w_u32(&w, "interrupt-parent", PHANDLE_GIC);
        gen_chosen(&w, p, seed);
        gen_cpus(&w, c, m);
        gen_psci(&w, p);
        gen_memory(&w, c);
        gen_timer(&w, c, m);
        gen_gic(&w, c, m);
        if (p->uart || p->button)
                gen_clock(&w);
        if (p->uart)
                gen_uart(&w, p);
        if (p->button)
                gen_button(&w, p);
        /* Devices passed through to the cell will be described here, after the GIC they use. */
        w_end(&w);
        if (!w.err)
                w_check(&w, fdt_finish(buf));
        return w.err;
}

/* The description's own tree (checked again), with /chosen given the command line, the initramfs and fresh seeds. */
static int complete_file(const GuestPlan *p, const void *file, size_t n, const uint8_t *seed, void *buf,
                         size_t size) {
        const GuestItem *initramfs = &p->items[GUEST_INITRAMFS];
        int chosen, r;

        r = fdt_check_full(file, n);
        if (r >= 0)
                r = fdt_open_into(file, buf, (int) size);
        chosen = r >= 0 ? fdt_path_offset(buf, "/chosen") : r;
        if (chosen == -FDT_ERR_NOTFOUND)
                chosen = fdt_add_subnode(buf, 0, "chosen");
        r = chosen;
        if (r >= 0 && p->command_line)
                r = fdt_setprop_string(buf, chosen, "bootargs", p->command_line);
        if (r >= 0 && initramfs->present)
                r = fdt_setprop_u64(buf, chosen, "linux,initrd-start", initramfs->address);
        if (r >= 0 && initramfs->present)
                r = fdt_setprop_u64(buf, chosen, "linux,initrd-end", initramfs->address + initramfs->size);
        if (r >= 0)
                r = fdt_setprop(buf, chosen, "rng-seed", seed, 64);
        if (r >= 0)
                r = fdt_setprop(buf, chosen, "kaslr-seed", seed + 64, 8);
        if (r >= 0)
                r = fdt_pack(buf);
        return r;
}

/* At most 2 MiB of @path. */
static int read_tree_file(const char *path, void **ret, size_t *ret_size) {
        _cleanup_fclose_ FILE *f = fopen(path, "rbe");
        _cleanup_free_ void *buf = NULL;

        if (!f)
                return -errno;
        buf = malloc(GUEST_DT_MAX_SIZE);
        if (!buf)
                return -ENOMEM;
        *ret_size = fread(buf, 1, GUEST_DT_MAX_SIZE, f);
        if (ferror(f))
                return -EIO;
        *ret = TAKE_PTR(buf);
        return 0;
}

int guest_dt_build(const GuestPlan *p, const GuestCell *cell, const GuestMachine *m, const uint8_t *seed, void **ret,
                   size_t *ret_size, char *why, size_t why_size) {
        const GuestItem *it = &p->items[GUEST_DT];
        _cleanup_free_ void *buf = NULL, *file = NULL;
        uint8_t fresh[GUEST_DT_SEED_SIZE];
        size_t size = it->span, n = 0;
        int r;

        if (it->path) {
                r = read_tree_file(it->path, &file, &n);
                if (r < 0)
                        return r;
        }
        if (!seed) {
                if (getrandom(fresh, sizeof(fresh), 0) != (ssize_t) sizeof(fresh))
                        return -errno;
                seed = fresh;
        }
        buf = calloc(1, size);
        if (!buf)
                return -ENOMEM;
        /* Both return libfdt's error codes, never errno values. */
        r = file ? complete_file(p, file, n, seed, buf, size) : generate(p, cell, m, seed, buf, size);
        explicit_bzero(fresh, sizeof(fresh));
        if (r == -FDT_ERR_NOSPACE) {
                snprintf(why, why_size, "the %s device tree does not fit the %zu bytes kept for it",
                         file ? "completed" : "generated", size);
                return -EINVAL;
        }
        if (r < 0) {
                snprintf(why, why_size, "%s", fdt_strerror(r));
                return -EINVAL;
        }
        *ret_size = fdt_totalsize(buf);
        *ret = TAKE_PTR(buf);
        return 0;
}

/* A property value the way dtc writes it: strings, cells, or bytes. */
static bool is_string_list(const char *v, int len) {
        if (len == 0 || v[len - 1] != '\0')
                return false;
        for (int i = 0; i < len; i++) {
                if (v[i] == '\0' && (i == 0 || v[i - 1] == '\0'))
                        return false;   /* an empty string */
                if (v[i] != '\0' && (!isprint((unsigned char) v[i]) || v[i] == '"' || v[i] == '\\'))
                        return false;
        }
        return true;
}

static void print_value(FILE *f, const uint8_t *v, int len) {
        if (is_string_list((const char *) v, len)) {
                for (int i = 0; i < len; i += (int) strlen((const char *) v + i) + 1)
                        fprintf(f, "%s\"%s\"", i ? ", " : "", (const char *) v + i);
        } else if (len % 4 == 0) {
                fputc('<', f);
                for (int i = 0; i < len; i += 4)
                        fprintf(f, "%s0x%" PRIx32, i ? " " : "", fdt32_ld((const fdt32_t *) (v + i)));
                fputc('>', f);
        } else {
                fputc('[', f);
                for (int i = 0; i < len; i++)
                        fprintf(f, "%s%02x", i ? " " : "", v[i]);
                fputc(']', f);
        }
}

static void indent(FILE *f, int depth) {
        for (int i = 0; i < depth; i++)
                fputc('\t', f);
}

static void print_node(const void *fdt, int node, int depth, FILE *f) {
        const char *name = fdt_get_name(fdt, node, NULL);
        int prop, child;

        indent(f, depth);
        fprintf(f, "%s {\n", depth == 0 ? "/" : name);
        fdt_for_each_property_offset(prop, fdt, node) {
                const char *pname;
                int len;
                const void *v = fdt_getprop_by_offset(fdt, prop, &pname, &len);

                indent(f, depth + 1);
                fputs(pname, f);
                if (len > 0) {
                        fputs(" = ", f);
                        print_value(f, v, len);
                }
                fputs(";\n", f);
        }
        fdt_for_each_subnode(child, fdt, node) {
                fputc('\n', f);
                print_node(fdt, child, depth + 1, f);
        }
        indent(f, depth);
        fputs("};\n", f);
}

int guest_dt_print(const void *fdt, FILE *f) {
        int n;

        if (fdt_check_header(fdt) < 0)
                return -EINVAL;
        fputs("/dts-v1/;\n\n", f);
        n = fdt_num_mem_rsv(fdt);
        for (int i = 0; i < n; i++) {
                uint64_t a, s;

                if (fdt_get_mem_rsv(fdt, i, &a, &s) == 0)
                        fprintf(f, "/memreserve/ 0x%" PRIx64 " 0x%" PRIx64 ";\n", a, s);
        }
        if (n > 0)
                fputc('\n', f);
        print_node(fdt, 0, 0, f);
        return 0;
}
