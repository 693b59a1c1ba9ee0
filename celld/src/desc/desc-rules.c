/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cross-cell rules: what no single file can get wrong on its own. They run
 * on the compiled blobs (exact numbers, defaults applied) and blame the
 * description nodes the numbers came from; a conflict names both sides.
 * One table, desc_rules[]: id, severity, summary, check function.
 */
#include <errno.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <warden/config-check.h>

#include "desc-compile.h"
#include "desc-guest.h"
#include "desc-set.h"

#define SZ_2M (2ULL << 20)

/* A compiled cell and where its parts are. */
typedef struct CellView {
        DescUnit *u;
        const struct warden_cell *c;
        const struct warden_region *r;
        const uint32_t *irqs;
        const struct warden_policy *policy;
        const struct warden_image *images;
        const char *strings;
} CellView;

typedef struct SystemView {
        DescUnit *u;
        const struct warden_system *s;
        const struct warden_region *ram;
        const struct warden_cell *root;
        const struct warden_region *root_r;
        const uint32_t *root_irqs;      /* root-cell.irqs: kept for root's own devices */
} SystemView;

static const void *at(const void *blob, uint32_t off) {
        return (const char *) blob + off;
}

static bool cell_view(DescUnit *u, CellView *v) {
        struct warden_config_layout l;
        struct warden_config_error e;

        if (!u->blob || u->kind != DESC_KIND_CELL ||
            warden_config_check_cell(u->blob, (uint32_t) u->blob_size, &l, &e) < 0)
                return false;
        *v = (CellView) {
                .u = u,
                .c = at(u->blob, l.cell),
                .r = at(u->blob, l.regions),
                .irqs = at(u->blob, l.irqs),
                .policy = at(u->blob, l.policy),
                .images = at(u->blob, l.images),
                .strings = at(u->blob, l.strings),
        };
        return true;
}

static bool system_view(DescSet *set, SystemView *v) {
        struct warden_config_layout l;
        struct warden_config_error e;
        DescUnit *u = desc_set_system(set);

        if (!u || !u->blob || warden_config_check_system(u->blob, (uint32_t) u->blob_size, &l, &e) < 0)
                return false;
        *v = (SystemView) {
                .u = u,
                .s = at(u->blob, sizeof(struct warden_config_header)),
                .ram = at(u->blob, l.ram),
                .root = at(u->blob, l.cell),
                .root_r = at(u->blob, l.regions),
                .root_irqs = at(u->blob, l.irqs),
        };
        return true;
}

static const DescNode *node(const DescUnit *u, const char *key) {
        return desc_get(u->source->root, key) ?: u->source->root;
}

static const DescNode *region_node(const DescUnit *u, const char *list_parent, uint32_t i) {
        const DescNode *parent = list_parent ? desc_get(u->source->root, list_parent) : u->source->root;
        const DescNode *memory = desc_get(parent, "memory");

        if (memory && memory->type == DESC_ARRAY && i < memory->array.n)
                return memory->array.items[i];
        return u->source->root;
}

/* The irqs entry that names @irq (a number or a range string), else the list. */
static const DescNode *irq_node(const DescUnit *u, uint32_t irq) {
        return desc_irqs_entry(desc_get(u->source->root, "irqs"), irq) ?: node(u, "irqs");
}

/* The root-cell.irqs entry that names @irq, else root-cell. */
static const DescNode *root_irq_node(const SystemView *sys, uint32_t irq) {
        const DescNode *rc = node(sys->u, "root-cell");

        return desc_irqs_entry(desc_get(rc, "irqs"), irq) ?: rc;
}

static bool root_keeps(const SystemView *sys, uint32_t irq) {
        for (uint32_t i = 0; i < sys->root->num_irqs; i++)
                if (sys->root_irqs[i] == irq)
                        return true;
        return false;
}

static void report(DescSet *s, const DescRule *rule, const DescNode *blame, const DescNode *other,
                   const char *other_fmt, const char *fmt, ...) _printf_(6, 7);

static void report_va(DescSet *s, const DescRule *rule, DiagSeverity severity, const DescNode *blame,
                      const DescNode *other, const char *other_fmt, const char *fmt, va_list ap) {
        _cleanup_free_ char *msg = NULL;

        if (vasprintf(&msg, fmt, ap) < 0)
                return;
        if (diag_add(&s->diags, severity, rule->id, blame->loc, "%s", msg) < 0)
                return;
        if (other)
                (void) diag_related(&s->diags, other->loc, "%s", other_fmt);
}

static void report(DescSet *s, const DescRule *rule, const DescNode *blame, const DescNode *other,
                   const char *other_fmt, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        report_va(s, rule, rule->severity, blame, other, other_fmt, fmt, ap);
        va_end(ap);
}

/* report() with a severity other than the rule's */
static void report_as(DescSet *s, const DescRule *rule, DiagSeverity severity, const DescNode *blame,
                      const DescNode *other, const char *other_fmt, const char *fmt, ...) _printf_(7, 8);

static void report_as(DescSet *s, const DescRule *rule, DiagSeverity severity, const DescNode *blame,
                      const DescNode *other, const char *other_fmt, const char *fmt, ...) {
        va_list ap;

        va_start(ap, fmt);
        report_va(s, rule, severity, blame, other, other_fmt, fmt, ap);
        va_end(ap);
}

/* The cell's name as compiled (the blob header), for messages about the other side. */
static const char *cell_name(const CellView *v) {
        return ((const struct warden_config_header *) v->u->blob)->name;
}

static int lowest_cpu(uint64_t mask) {
        return mask ? __builtin_ctzll(mask) : -1;
}

#define FOREACH_CELL(s, v)                                                      \
        for (size_t _i = 0; _i < (s)->n; _i++)                                  \
                if (cell_view(&(s)->units[_i], &(v)))

static void check_system_count(DescSet *s, const DescRule *rule) {
        DescUnit *first = NULL;

        for (size_t i = 0; i < s->n; i++) {
                DescUnit *u = &s->units[i];

                if (u->kind != DESC_KIND_SYSTEM)
                        continue;
                if (first)
                        report(s, rule, u->source->root, first->source->root, "the first system description",
                               "a second system description: there must be exactly one (system.yaml)");
                else
                        first = u;
        }
}

static void check_system_missing(DescSet *s, const DescRule *rule) {
        bool cells = false;

        for (size_t i = 0; i < s->n; i++)
                cells |= s->units[i].kind == DESC_KIND_CELL;
        if (cells && !desc_set_system(s))
                (void) diag_add(&s->diags, rule->severity, rule->id, (DiagLoc) { .file = s->units[0].path },
                                "no system description (system.yaml): the cells were not checked against a machine");
}

static void check_names(DescSet *s, const DescRule *rule) {
        for (size_t i = 0; i < s->n; i++) {
                DescUnit *u = &s->units[i];
                const DescNode *name = u->source && u->source->root ? desc_get(u->source->root, "cell") : NULL;
                char want[WARDEN_NAME_LEN + 8];

                if (u->kind != DESC_KIND_CELL || !name || name->type != DESC_STRING)
                        continue;
                for (size_t j = 0; j < i; j++) {
                        const DescNode *other = s->units[j].kind == DESC_KIND_CELL && s->units[j].source
                                                        ? desc_get(s->units[j].source->root, "cell") : NULL;

                        if (other && other->type == DESC_STRING && streq(other->string.str, name->string.str))
                                report(s, rule, name, other, "first described here",
                                       "cell name '%s' is used twice", name->string.str);
                }
                snprintf(want, sizeof(want), "%s.", name->string.str);
                if (strncmp(u->name, want, strlen(want)) != 0)
                        report(s, rule, name, NULL, NULL,
                               "cell '%s' is described in '%s': name the file %s.yaml, so that overrides and cell@%s.service find it",
                               name->string.str, u->name, name->string.str, name->string.str);
        }
}

static void check_cpus(DescSet *s, const DescRule *rule) {
        SystemView sys;
        CellView v, w;

        /* Root keeps CPU 0 (the shared checker insists), so it can never be left without a CPU. */
        if (!system_view(s, &sys))
                return;
        FOREACH_CELL(s, v) {
                uint64_t cpus = v.c->cpu_set;
                const DescNode *n = node(v.u, "cpus");

                if (cpus & ~sys.s->cpu_set)
                        report(s, rule, n, node(sys.u, "platform"), "the platform's CPUs",
                               "CPU %d does not exist on this platform", lowest_cpu(cpus & ~sys.s->cpu_set));
                else if (cpus & 1)
                        report(s, rule, n, NULL, NULL, "CPU 0 cannot be given away: it stays with the root cell (Linux)");
                else if (cpus & ~sys.root->cpu_set)
                        report(s, rule, n, node(sys.u, "root-cell"), "the root cell's CPUs",
                               "CPU %d is not one of the root cell's CPUs, which cells take theirs from",
                               lowest_cpu(cpus & ~sys.root->cpu_set));
                for (size_t j = 0; j < _i; j++) {
                        bool both_boot;

                        if (!cell_view(&s->units[j], &w) || !(w.c->cpu_set & cpus))
                                continue;
                        /*
                         * Cells may share a CPU as long as they never run at the same time (the
                         * hypervisor refuses the second one): an error only when both start at boot.
                         */
                        both_boot = v.policy->flags & w.policy->flags & WARDEN_POLICY_AUTOSTART;
                        report_as(s, rule, both_boot ? DIAG_ERROR : DIAG_WARNING, n, node(w.u, "cpus"),
                                  "also given to this cell",
                                  both_boot ? "CPU %d is also given to cell '%s', and both start at boot" :
                                              "CPU %d is also given to cell '%s': the two cannot run at the same time",
                                  lowest_cpu(w.c->cpu_set & cpus), cell_name(&w));
                }
        }
}

static bool region_is_ram(const struct warden_region *r) {
        return !(r->flags & WARDEN_MEM_IO);
}

/*
 * A 64 KiB distributor; GICv3: two 64 KiB frames per CPU from the first
 * redistributor; GICv2: a CPU interface, virtual interface control and
 * virtual CPU interface of up to 64 KiB each (the hypervisor checks the same).
 */
#define GICD_SIZE 0x10000ULL
#define GICR_SIZE_PER_CPU 0x20000ULL
#define GICV2_FRAME_SIZE 0x10000ULL

static uint64_t gicr_size(const struct warden_system *s) {
        return GICR_SIZE_PER_CPU * (uint64_t) (64 - __builtin_clzll(s->cpu_set));
}

static bool region_covers_gic(const struct warden_region *r, const struct warden_system *s) {
        if (warden_cfg_overlap(r->phys_start, r->size, s->gicd_base, GICD_SIZE))
                return true;
        if (s->gic_version == WARDEN_GIC_V3)
                return warden_cfg_overlap(r->phys_start, r->size, s->gicr_base, gicr_size(s));
        return warden_cfg_overlap(r->phys_start, r->size, s->gicc_base, GICV2_FRAME_SIZE) ||
               warden_cfg_overlap(r->phys_start, r->size, s->gich_base, GICV2_FRAME_SIZE) ||
               warden_cfg_overlap(r->phys_start, r->size, s->gicv_base, GICV2_FRAME_SIZE);
}

/* One cell region against the machine: RAM, the hypervisor, root's RAM, the GIC. */
static void check_region_against_system(DescSet *s, const DescRule *rule, const SystemView *sys,
                                        const CellView *v, uint32_t i) {
        const struct warden_region *r = &v->r[i];
        const DescNode *n = region_node(v->u, NULL, i);

        if (warden_cfg_overlap(r->phys_start, r->size, sys->s->hv_mem_base, sys->s->hv_mem_size)) {
                report(s, rule, n, node(sys->u, "hypervisor"), "the hypervisor's memory",
                       "region '%s' overlaps the hypervisor's memory", r->name);
                return;
        }
        if (region_is_ram(r) && !warden_cfg_in_ram(sys->ram, sys->s->num_ram, r->phys_start, r->size)) {
                report(s, rule, n, node(sys->u, "platform"), "the platform's RAM",
                       "region '%s' (0x%" PRIx64 "-0x%" PRIx64 ") is not inside the platform's RAM", r->name,
                       (uint64_t) r->phys_start, (uint64_t) (r->phys_start + r->size - 1));
                return;
        }
        for (uint32_t k = 0; k < sys->root->num_regions; k++) {
                const struct warden_region *q = &sys->root_r[k];

                if (region_is_ram(r) && region_is_ram(q) &&
                    warden_cfg_overlap(r->phys_start, r->size, q->phys_start, q->size))
                        report(s, rule, n, region_node(sys->u, "root-cell", k), "the root cell's region",
                               "region '%s' overlaps root cell memory '%s', which Linux uses", r->name, q->name);
        }
        if (region_covers_gic(r, sys->s))
                report(s, rule, n, node(sys->u, "platform"), "the interrupt controller",
                       "region '%s' maps the GIC, which the hypervisor emulates for cells", r->name);
}

static void check_memory(DescSet *s, const DescRule *rule) {
        SystemView sys;
        CellView v, w;
        bool have_sys = system_view(s, &sys);

        FOREACH_CELL(s, v) {
                for (uint32_t i = 0; i < v.c->num_regions; i++) {
                        if (have_sys)
                                check_region_against_system(s, rule, &sys, &v, i);
                        for (size_t j = 0; j < _i; j++) {
                                if (!cell_view(&s->units[j], &w))
                                        continue;
                                for (uint32_t k = 0; k < w.c->num_regions; k++)
                                        if (warden_cfg_overlap(v.r[i].phys_start, v.r[i].size, w.r[k].phys_start,
                                                               w.r[k].size))
                                                report(s, rule, region_node(v.u, NULL, i), region_node(w.u, NULL, k),
                                                       "the other cell's region",
                                                       "region '%s' overlaps region '%s' of cell '%s'", v.r[i].name,
                                                       w.r[k].name, cell_name(&w));
                        }
                }
        }
}

static void check_blocks(DescSet *s, const DescRule *rule) {
        CellView v;

        FOREACH_CELL(s, v) {
                for (uint32_t i = 0; i < v.c->num_regions; i++) {
                        const struct warden_region *r = &v.r[i];

                        if (r->size >= SZ_2M && r->phys_start % SZ_2M == r->virt_start % SZ_2M &&
                            (r->phys_start % SZ_2M || r->size % SZ_2M))
                                report(s, rule, region_node(v.u, NULL, i), NULL, NULL,
                                       "region '%s' is mapped with 4 KiB pages: align its host and guest addresses and its size to 2 MiB to map it with blocks",
                                       r->name);
                }
        }
}

/* hypervisor.event-irq in the system description, else the hypervisor section. */
static const DescNode *event_irq_node(const SystemView *sys) {
        const DescNode *hv = node(sys->u, "hypervisor");

        return desc_get(hv, "event-irq") ?: hv;
}

/*
 * A cell's interrupts: not the root UART's, not the event interrupt, not one root keeps for
 * its own devices (root-cell.irqs), one owner each. (The system's own event interrupt against
 * the UART's and against root's list is refused when it compiles; the UART's may be in root's
 * list, and a cell taking it hears about the UART only.)
 */
static void check_irqs(DescSet *s, const DescRule *rule) {
        SystemView sys;
        CellView v, w;
        bool have_sys = system_view(s, &sys);

        FOREACH_CELL(s, v) {
                for (uint32_t i = 0; i < v.c->num_irqs; i++) {
                        uint32_t irq = v.irqs[i];

                        if (have_sys && sys.s->uart_irq == irq)
                                report(s, rule, irq_node(v.u, irq), node(sys.u, "platform"), "the root cell's UART",
                                       "interrupt %u belongs to the root cell's UART", irq);
                        else if (have_sys && root_keeps(&sys, irq))
                                report(s, rule, irq_node(v.u, irq), root_irq_node(&sys, irq),
                                       "kept by the root cell here",
                                       "interrupt %u is one the root cell keeps for its own devices (root-cell.irqs)",
                                       irq);
                        if (have_sys && sys.s->event_irq == irq)
                                report(s, rule, irq_node(v.u, irq), event_irq_node(&sys), "the event interrupt",
                                       "interrupt %u is the hypervisor's event interrupt, which it raises for the root cell",
                                       irq);
                        for (size_t j = 0; j < _i; j++) {
                                if (!cell_view(&s->units[j], &w))
                                        continue;
                                for (uint32_t k = 0; k < w.c->num_irqs; k++)
                                        if (w.irqs[k] == irq)
                                                report(s, rule, irq_node(v.u, irq), irq_node(w.u, irq),
                                                       "also owned here", "interrupt %u is also owned by cell '%s'",
                                                       irq, cell_name(&w));
                        }
                }
        }
}

static void check_images(DescSet *s, const DescRule *rule) {
        CellView v;

        FOREACH_CELL(s, v) {
                for (uint32_t i = 0; i < v.policy->num_images; i++) {
                        const struct warden_image *im = &v.images[i];
                        const struct warden_region *r = &v.r[im->region];
                        const char *path = v.strings + im->path_offset;
                        struct stat st;

                        if (stat(path, &st) < 0)
                                continue; /* checked again when the cell is loaded */
                        if ((uint64_t) st.st_size > r->size - im->offset)
                                report(s, rule, node(v.u, "image"), region_node(v.u, NULL, im->region),
                                       "the region it is loaded into",
                                       "image %s (%lld bytes) does not fit region '%s' (%" PRIu64 " bytes from offset 0x%" PRIx64 ")",
                                       path, (long long) st.st_size, r->name, (uint64_t) (r->size - im->offset),
                                       (uint64_t) im->offset);
                }
        }
}

/* platform.gic.version in the system description, else the nearest section there is. */
static const DescNode *gic_version_node(const SystemView *sys) {
        const DescNode *platform = node(sys->u, "platform"), *gic = desc_get(platform, "gic");

        return desc_get(gic, "version") ?: gic ?: platform;
}

/*
 * Direct interrupt delivery needs the GICv3 CPU interface: the cell's Group 1 interrupts reach
 * its EL1 with no exit and the hypervisor's kick is a Group 0 SGI. A GICv2 has neither the
 * system registers nor the split, so the hypervisor refuses to create such a cell, never quietly
 * running it trapped. Here a warning, located: an error would make every other description of
 * the directory unusable on a GICv2 machine (gic-demo ships direct).
 */
static void check_interrupts(DescSet *s, const DescRule *rule) {
        SystemView sys;
        CellView v;

        if (!system_view(s, &sys) || sys.s->gic_version != WARDEN_GIC_V2)
                return;
        FOREACH_CELL(s, v) {
                size_t n = s->diags.n;

                if (!(v.c->flags & WARDEN_CELL_IRQ_DIRECT))
                        continue;
                report(s, rule, node(v.u, "interrupts"), gic_version_node(&sys), "the system's GIC version",
                       "direct interrupt delivery needs GICv3; the system's GIC is version 2");
                if (s->diags.n > n)
                        (void) diag_hint(&s->diags,
                                         "describe the cell with 'interrupts: trapped' on this machine");
        }
}

/* Where a diagnostic about a cell's OS goes: os.KEY, else os. */
static const DescNode *os_node(const DescUnit *u, const char *key) {
        const DescNode *os = node(u, "os");

        return desc_get(os, key) ?: os;
}

/*
 * One cell's OS on this machine: the UART and the power button clear of the GIC it sees, a
 * device tree that builds.
 */
static void check_os_cell(DescSet *s, const DescRule *rule, const SystemView *sys, const GuestMachine *m,
                          const CellView *v) {
        static const uint8_t seed[GUEST_DT_SEED_SIZE];
        _cleanup_free_ void *fdt = NULL;
        DiagList scratch = {};
        char why[256];
        size_t size;
        GuestPlan p;
        int r;

        /* Problems of the description alone were reported when it compiled. */
        r = guest_plan(v->u->source->root, v->r, v->c->num_regions, v->irqs, v->c->num_irqs, &scratch, &p);
        diag_list_done(&scratch);
        if (r < 0 || !p.os)
                return;
        if (p.uart && guest_range_hits_gic(m, v->c->cpu_set, p.uart_base, GUEST_UART_SIZE))
                report(s, rule, os_node(v->u, "uart"), desc_get(node(sys->u, "platform"), "gic"), "the GIC",
                       "the UART at 0x%" PRIx64 " overlaps the GIC as the cell sees it", p.uart_base);
        if (p.button && guest_range_hits_gic(m, v->c->cpu_set, p.button_base, GUEST_BUTTON_SIZE))
                report(s, rule, os_node(v->u, "power-button"), desc_get(node(sys->u, "platform"), "gic"), "the GIC",
                       "the power button at 0x%" PRIx64 " overlaps the GIC as the cell sees it", p.button_base);
        r = desc_guest_dt(s, v->u, seed, &fdt, &size, why, sizeof(why));
        if (r == -EINVAL && why[0])
                report(s, rule, os_node(v->u, "device-tree"), NULL, NULL, "cannot write the device tree of cell '%s': %s",
                       cell_name(v), why);
        else if (r < 0 && r != -EINVAL)
                report(s, rule, os_node(v->u, "device-tree"), NULL, NULL, "cannot write the device tree of cell '%s': %s",
                       cell_name(v), strerror(-r));
}

static void check_os(DescSet *s, const DescRule *rule) {
        SystemView sys;
        GuestMachine m;
        CellView v;

        if (!system_view(s, &sys) || guest_machine_from_system(sys.u->blob, sys.u->blob_size, sys.u->source->root, &m) < 0)
                return;
        FOREACH_CELL(s, v)
                check_os_cell(s, rule, &sys, &m, &v);
}

const DescRule desc_rules[] = {
        { "system-count", DIAG_ERROR, "at most one system description", check_system_count },
        { "system-missing", DIAG_WARNING, "cells are checked against a system description", check_system_missing },
        { "cell-name", DIAG_ERROR, "cell names are unique and match their file names", check_names },
        { "cpu", DIAG_ERROR, "cell CPUs exist, belong to root, are not CPU 0 (so root keeps one), and are not shared by cells that both start at boot (a warning otherwise)", check_cpus },
        { "memory", DIAG_ERROR, "cell memory is in RAM, not the hypervisor's, Linux's, the GIC's or another cell's", check_memory },
        { "memory-blocks", DIAG_WARNING, "regions that could be mapped with 2 MiB blocks are aligned for it", check_blocks },
        { "irq", DIAG_ERROR, "an interrupt has one owner and is neither the root UART's, the event interrupt nor one the root cell keeps", check_irqs },
        { "image-size", DIAG_ERROR, "images fit their regions", check_images },
        { "interrupts", DIAG_WARNING, "direct interrupt delivery is asked for only on a GICv3 system", check_interrupts },
        { "os", DIAG_ERROR, "a cell's OS fits the machine: its UART and power button are clear of the GIC, its device tree can be written", check_os },
};
const size_t desc_rules_count = ELEMENTSOF(desc_rules);

void desc_rules_run(DescSet *s) {
        for (size_t i = 0; i < desc_rules_count; i++)
                desc_rules[i].check(s, &desc_rules[i]);
}
