/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <inttypes.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/config-check.h>

#include "desc-compile.h"
#include "desc-guest.h"
#include "desc-values.h"
#include "macro.h"

#define MIN(a, b) ((a) < (b) ? (a) : (b))

#define RULE_VALUE "value"
#define RULE_REFERENCE "reference"
#define RULE_SHUTDOWN "shutdown"

/* One pass over a description collects everything, then the blob is laid out. */
typedef struct Compiled {
        DiagList *diags;
        char name[WARDEN_NAME_LEN];
        struct warden_cell cell;
        struct warden_region regions[WARDEN_MAX_REGIONS];
        uint32_t irqs[WARDEN_MAX_IRQS];
        struct warden_policy policy;
        struct warden_image images[WARDEN_MAX_IMAGES];
        char strings[WARDEN_MAX_STRINGS];
        size_t n_strings;               /* bytes of strings used */
        struct warden_system system;
        struct warden_region ram[WARDEN_MAX_RAM];
        const DescNode *root;
        bool failed;
} Compiled;

static void value_error(Compiled *c, const DescNode *n, const char *what, const char *why) {
        c->failed = true;
        (void) diag_add(c->diags, DIAG_ERROR, RULE_VALUE, n->loc, "invalid %s: %s", what, why);
}

typedef int (*value_parser_t)(const char *s, uint64_t *ret, const char **ret_why);

/* An integer, or a string in the human form @parse reads; @scale multiplies integers. */
static uint64_t node_value(Compiled *c, const DescNode *n, const char *what, value_parser_t parse,
                           uint64_t scale) {
        const char *why = NULL;
        uint64_t v = 0;

        if (!n)
                return 0;
        if (n->type == DESC_INTEGER && n->integer >= 0) {
                if ((uint64_t) n->integer > UINT64_MAX / scale)
                        value_error(c, n, what, "too large");
                return (uint64_t) n->integer * scale;
        }
        if (n->type == DESC_STRING && parse(n->string.str, &v, &why) >= 0)
                return v;
        value_error(c, n, what, why ?: "not a number in a form Warden reads");
        return 0;
}

static uint64_t node_address(Compiled *c, const DescNode *n, const char *what) {
        return node_value(c, n, what, value_parse_u64, 1);
}

static uint64_t node_size(Compiled *c, const DescNode *n, const char *what) {
        return node_value(c, n, what, value_parse_size, 1);
}

static uint32_t node_ms(Compiled *c, const DescNode *n, const char *what, uint32_t dflt) {
        uint64_t v;

        if (!n)
                return dflt;
        v = node_value(c, n, what, value_parse_duration_ms, 1000);
        if (v > UINT32_MAX) {
                value_error(c, n, what, "longer than 49 days");
                return 0;
        }
        return (uint32_t) v;
}

static uint64_t node_cpus(Compiled *c, const DescNode *n) {
        const char *why = NULL;
        uint64_t mask = 0;

        if (!n)
                return 0;
        if (n->type == DESC_INTEGER && n->integer >= 0 && n->integer < 64)
                return 1ULL << n->integer;
        if (n->type == DESC_ARRAY) {
                for (size_t i = 0; i < n->array.n; i++)
                        mask |= node_cpus(c, n->array.items[i]);
                return mask;
        }
        if (n->type == DESC_STRING && value_parse_cpu_list(n->string.str, &mask, &why) >= 0)
                return mask;
        value_error(c, n, "CPU list", why ?: "not a CPU number or list");
        return 0;
}

static const struct {
        const char *name;
        uint32_t flag;
} access_flags[] = {
        { "read", WARDEN_MEM_READ },         { "write", WARDEN_MEM_WRITE }, { "execute", WARDEN_MEM_EXECUTE },
        { "loadable", WARDEN_MEM_LOADABLE }, { "io", WARDEN_MEM_IO },
};

static uint32_t node_access(const DescNode *n, uint32_t dflt) {
        uint32_t flags = 0;

        if (!n || n->type != DESC_ARRAY)
                return dflt;
        for (size_t i = 0; i < n->array.n; i++)
                for (size_t k = 0; k < ELEMENTSOF(access_flags); k++)
                        if (n->array.items[i]->type == DESC_STRING &&
                            streq(n->array.items[i]->string.str, access_flags[k].name))
                                flags |= access_flags[k].flag;
        return flags;
}

static void copy_name(char dst[WARDEN_NAME_LEN], const DescNode *n) {
        memset(dst, 0, WARDEN_NAME_LEN);
        if (n && n->type == DESC_STRING)
                strncpy(dst, n->string.str, WARDEN_NAME_LEN - 1);
}

static const char *node_str(const DescNode *n, const char *dflt) {
        return n && n->type == DESC_STRING ? n->string.str : dflt;
}

/* Addresses and sizes of regions are whole 4 KiB pages; blame the exact node. */
static void check_page_aligned(Compiled *c, const DescNode *n, uint64_t v, const char *what) {
        if (!n || v % WARDEN_PAGE_SIZE == 0)
                return;
        c->failed = true;
        (void) diag_add(c->diags, DIAG_ERROR, "align", n->loc, "%s 0x%" PRIx64 " is not a multiple of 4 KiB", what, v);
        (void) diag_hint(c->diags, "use 0x%" PRIx64 " or 0x%" PRIx64, (uint64_t) (v & ~(WARDEN_PAGE_SIZE - 1)),
                         (uint64_t) ((v | (WARDEN_PAGE_SIZE - 1)) + 1));
}

/* Cell regions: guest defaults to host, access to read+write. */
static void compile_cell_regions(Compiled *c, const DescNode *memory, uint64_t guest_default_identity) {
        size_t n = memory && memory->type == DESC_ARRAY ? memory->array.n : 0;

        for (size_t i = 0; i < n && i < WARDEN_MAX_REGIONS; i++) {
                const DescNode *m = memory->array.items[i];
                struct warden_region *r = &c->regions[i];

                copy_name(r->name, desc_get(m, "name"));
                r->phys_start = node_address(c, desc_get(m, "host") ?: desc_get(m, "base"), "host address");
                r->virt_start = desc_get(m, "guest") && !guest_default_identity
                                        ? node_address(c, desc_get(m, "guest"), "guest address")
                                        : r->phys_start;
                r->size = node_size(c, desc_get(m, "size"), "region size");
                r->flags = node_access(desc_get(m, "access"), WARDEN_MEM_READ | WARDEN_MEM_WRITE);
                check_page_aligned(c, desc_get(m, "host") ?: desc_get(m, "base"), r->phys_start, "address");
                check_page_aligned(c, desc_get(m, "guest"), r->virt_start, "guest address");
                check_page_aligned(c, desc_get(m, "size"), r->size, "size");
        }
        c->cell.num_regions = (uint32_t) MIN(n, (size_t) WARDEN_MAX_REGIONS);
}

static int cmp_u32(const void *a, const void *b) {
        uint32_t x = *(const uint32_t *) a, y = *(const uint32_t *) b;

        return x < y ? -1 : x > y;
}

/* Interrupts: numbers and "A-B" ranges, sorted, so that order in the file does not matter. */
static void compile_irqs(Compiled *c, const DescNode *irqs) {
        size_t n = 0;

        for (size_t i = 0; irqs && irqs->type == DESC_ARRAY && i < irqs->array.n; i++) {
                const DescNode *it = irqs->array.items[i];
                const char *why = NULL;
                uint64_t a = 0, b = 0;

                if (it->type == DESC_INTEGER)
                        a = b = (uint64_t) it->integer;
                else if (it->type == DESC_STRING && value_parse_range(it->string.str, &a, &b, &why) < 0) {
                        value_error(c, it, "interrupt range", why);
                        continue;
                }
                if (a < WARDEN_IRQ_SPI_FIRST || b > WARDEN_IRQ_SPI_LAST) {
                        value_error(c, it, "interrupt", "not a shared peripheral interrupt range (32-1019)");
                        continue;
                }
                for (uint64_t q = a; q <= b; q++) {
                        if (n == WARDEN_MAX_IRQS) {
                                value_error(c, it, "interrupt", "more than 64 interrupts");
                                return;
                        }
                        c->irqs[n++] = (uint32_t) q;
                }
        }
        qsort(c->irqs, n, sizeof(c->irqs[0]), cmp_u32);
        c->cell.num_irqs = (uint32_t) n;
}

const DescNode *desc_irqs_entry(const DescNode *irqs, uint32_t irq) {
        for (size_t i = 0; irqs && irqs->type == DESC_ARRAY && i < irqs->array.n; i++) {
                const DescNode *it = irqs->array.items[i];
                uint64_t a, b;

                if (it->type == DESC_INTEGER && it->integer == irq)
                        return it;
                if (it->type == DESC_STRING && value_parse_range(it->string.str, &a, &b, NULL) >= 0 &&
                    irq >= a && irq <= b)
                        return it;
        }
        return NULL;
}

static int find_region(const Compiled *c, const char *name) {
        for (uint32_t i = 0; i < c->cell.num_regions; i++)
                if (strncmp(c->regions[i].name, name, WARDEN_NAME_LEN) == 0)
                        return (int) i;
        return -1;
}

static int first_loadable(const Compiled *c) {
        for (uint32_t i = 0; i < c->cell.num_regions; i++)
                if (c->regions[i].flags & WARDEN_MEM_LOADABLE)
                        return (int) i;
        return -1;
}

/* Appends an image to the blob's list, its path to the string table. */
static void add_image(Compiled *c, const DescNode *blame, const char *file, uint32_t region, uint64_t offset) {
        struct warden_image *im = &c->images[c->policy.num_images];
        size_t len = strlen(file) + 1;

        if (c->policy.num_images == WARDEN_MAX_IMAGES) {
                value_error(c, blame, "image", "more than 8 images");
                return;
        }
        if (c->n_strings + len > WARDEN_MAX_STRINGS - 8) {
                value_error(c, blame, "image path", "paths longer than 4 KiB in all");
                return;
        }
        im->region = region;
        im->offset = offset;
        im->path_offset = (uint32_t) c->n_strings;
        memcpy(c->strings + c->n_strings, file, len);
        c->n_strings += len;
        c->policy.num_images++;
        c->policy.strings_size = (uint32_t) ((c->n_strings + 7) & ~(size_t) 7);
}

static void compile_image(Compiled *c, const DescNode *it) {
        const DescNode *region = it->type == DESC_OBJECT ? desc_get(it, "region") : NULL;
        const char *file = it->type == DESC_OBJECT ? node_str(desc_get(it, "file"), "") : node_str(it, "");
        int idx;

        idx = region ? find_region(c, node_str(region, "")) : first_loadable(c);
        if (idx < 0 || !(c->regions[idx].flags & WARDEN_MEM_LOADABLE)) {
                c->failed = true;
                (void) diag_add(c->diags, DIAG_ERROR, RULE_REFERENCE, (region ?: it)->loc,
                                region ? "image region '%s' is not a loadable region of this cell"
                                       : "%sno region of this cell is loadable (access: [..., loadable])",
                                region ? node_str(region, "") : "");
                return;
        }
        add_image(c, it, file, (uint32_t) idx,
                  it->type == DESC_OBJECT ? node_address(c, desc_get(it, "offset"), "image offset") : 0);
}

static void compile_images(Compiled *c, const DescNode *image) {
        if (image && image->type == DESC_ARRAY) {
                for (size_t i = 0; i < image->array.n && i < WARDEN_MAX_IMAGES; i++)
                        compile_image(c, image->array.items[i]);
        } else if (image) {
                compile_image(c, image);
        }
}

/*
 * A cell that boots an OS (desc-guest.c): its kernel or boot loader, initramfs and device tree
 * file become images at the places planned, and it starts at the kernel or boot loader with
 * x0 = the device tree's address. The tree itself (generated, or the file with /chosen completed) is written when
 * the cell starts (desc_guest_dt(), loaded by cell_images_add_tree()), over the file's image.
 */
static void compile_os(Compiled *c, const DescNode *root) {
        static const GuestFile order[] = { GUEST_KERNEL, GUEST_BOOT_LOADER, GUEST_INITRAMFS, GUEST_DT };
        GuestPlan p;

        if (guest_plan(root, c->regions, c->cell.num_regions, c->irqs, c->cell.num_irqs, c->diags, &p) < 0) {
                c->failed = true;
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(order); i++) {
                const GuestItem *it = &p.items[order[i]];

                if (it->present && it->path)
                        add_image(c, it->node, it->path, it->region,
                                  it->address - c->regions[it->region].virt_start);
        }
        c->cell.entry = p.items[p.entry].address;
        c->cell.entry_arg = p.items[GUEST_DT].address;
        c->cell.flags |= WARDEN_CELL_ENTRY_ARG;
        if (p.uart) {
                /* The hypervisor emulates the UART the generated tree describes. */
                c->cell.flags |= WARDEN_CELL_UART;
                c->cell.uart_base = p.uart_base;
                c->cell.uart_irq = p.uart_irq;
        }
        if (p.button) {
                /* And the power button a shutdown request presses. */
                c->cell.flags |= WARDEN_CELL_POWER_BUTTON;
                c->cell.button_base = p.button_base;
                c->cell.button_irq = p.button_irq;
        }
}

/* The entry point: given, or where the first image is loaded. */
static void compile_entry(Compiled *c, const DescNode *root) {
        const DescNode *entry = desc_get(root, "entry");

        if (entry) {
                c->cell.entry = node_address(c, entry, "entry point");
                return;
        }
        if (c->policy.num_images > 0) {
                c->cell.entry = c->regions[c->images[0].region].virt_start + c->images[0].offset;
                return;
        }
        c->failed = true;
        (void) diag_add(c->diags, DIAG_ERROR, RULE_REFERENCE, root->loc,
                        "no entry point: give 'entry', or an 'image' to start at");
}

/*
 * How the cell stops. may-refuse is the system owner's grant to a cooperative cell: a passive
 * cell is never asked, so a grant to refuse would only let it lock reconfiguration, which
 * stops a cell that was described as stoppable without asking. Refused, naming both keys.
 */
static void compile_shutdown(Compiled *c, const DescNode *root) {
        const DescNode *shutdown = desc_get(root, "shutdown"), *may_refuse = desc_get(root, "may-refuse");
        bool passive = streq(node_str(shutdown, "cooperative"), "passive");

        if (passive)
                c->cell.flags |= WARDEN_CELL_PASSIVE;
        if (!may_refuse || may_refuse->type != DESC_BOOL || !may_refuse->boolean)
                return;
        if (passive) {
                c->failed = true;
                if (diag_add(c->diags, DIAG_ERROR, RULE_SHUTDOWN, may_refuse->loc,
                             "a passive cell cannot be allowed to refuse: it is stopped without being asked") >= 0) {
                        (void) diag_hint(c->diags, "make it 'shutdown: cooperative', or drop 'may-refuse'");
                        (void) diag_related(c->diags, shutdown->loc, "the cell is passive here");
                }
                return;
        }
        c->cell.flags |= WARDEN_CELL_MAY_REFUSE;
}

static const char *const restart_names[] = {
        [WARDEN_RESTART_NO] = "no",
        [WARDEN_RESTART_ON_FAILURE] = "on-failure",
        [WARDEN_RESTART_ALWAYS] = "always",
};

static void compile_policy(Compiled *c, const DescNode *root) {
        const DescNode *limit = desc_get(root, "restart-limit"), *delay = desc_get(root, "restart-delay");
        const DescNode *restart = desc_get(root, "restart"), *autostart = desc_get(root, "autostart");
        const DescNode *burst = desc_get(limit, "burst");
        struct warden_policy *p = &c->policy;

        /* The schema lets "restart: false" through (YAML 1.1's no): WARDEN_RESTART_NO, as absent. */
        for (uint32_t i = 0; restart && i < ELEMENTSOF(restart_names); i++)
                if (streq(node_str(restart, ""), restart_names[i]))
                        p->restart = i;
        p->restart_burst = burst && burst->type == DESC_INTEGER ? (uint32_t) burst->integer : 5;
        p->restart_interval_ms = node_ms(c, desc_get(limit, "interval"), "restart interval", 60000);
        p->delay_initial_ms = node_ms(c, desc_get(delay, "initial"), "restart delay", 100);
        p->delay_max_ms = node_ms(c, desc_get(delay, "max"), "restart delay", 30000);
        p->shutdown_timeout_ms = node_ms(c, desc_get(root, "shutdown-timeout"), "shutdown timeout", 5000);
        p->watchdog_ms = node_ms(c, desc_get(root, "watchdog"), "watchdog", 0);
        if (autostart && autostart->type == DESC_BOOL && autostart->boolean)
                p->flags |= WARDEN_POLICY_AUTOSTART;
}

static void put_header(void *blob, uint32_t kind, const char *name, size_t size) {
        struct warden_config_header *h = blob;

        memcpy(h->magic, WARDEN_CONFIG_MAGIC, WARDEN_CONFIG_MAGIC_LEN);
        h->revision = WARDEN_CONFIG_REVISION;
        h->kind = kind;
        h->total_size = (uint32_t) size;
        memcpy(h->name, name, WARDEN_NAME_LEN);
}

static void *put(void *p, const void *src, size_t n) {
        memcpy(p, src, n);
        return (char *) p + n;
}

/*
 * The shared checker refused what the compiler built: the cross-cell rules should have
 * caught it first, but the blob is not handed out either way. Blame the region or the
 * interrupt list when the refusal names one.
 */
static const DescNode *item(const DescNode *list, int32_t index) {
        if (list && list->type == DESC_ARRAY && index >= 0 && (size_t) index < list->array.n)
                return list->array.items[index];
        return list;
}

/* The description node a refused field came from, found by its offset in the blob. */
static const DescNode *blame_cell(const Compiled *c, const struct warden_config_error *e, uint32_t cell_off) {
        uint32_t regions = cell_off + sizeof(struct warden_cell);
        uint32_t irqs = regions + c->cell.num_regions * sizeof(struct warden_region);
        const DescNode *root = c->system.num_ram ? desc_get(c->root, "root-cell") : c->root;

        if (e->offset == cell_off)
                return desc_get(root, "cpus");
        if (e->offset == cell_off + 8)
                return desc_get(root, "entry") ?: desc_get(root, "image");
        if (e->offset >= regions && e->offset < irqs)
                return item(desc_get(root, "memory"), e->index);
        if (e->offset >= irqs && e->offset < irqs + c->cell.num_irqs * 4)
                return desc_irqs_entry(desc_get(root, "irqs"), (uint32_t) e->value) ?: desc_get(root, "irqs");
        return root;
}

static const DescNode *blame_system(const Compiled *c, const struct warden_config_error *e) {
        const uint32_t sys = sizeof(struct warden_config_header), ram = sys + sizeof(struct warden_system);
        const uint32_t cell = ram + c->system.num_ram * sizeof(struct warden_region);
        const DescNode *platform = desc_get(c->root, "platform");

        if (e->offset >= sys + 32 && e->offset < sys + 48)
                return desc_get(desc_get(c->root, "hypervisor"), "memory");
        if (e->offset == sys + 64)
                return desc_get(desc_get(c->root, "hypervisor"), "event-irq");
        if (e->offset >= sys && e->offset < ram)
                return platform;
        if (e->offset >= ram && e->offset < cell)
                return item(desc_get(platform, "ram"), e->index);
        if (e->offset >= cell)
                return blame_cell(c, e, cell);
        return NULL;
}

/*
 * The shared checker refused what the compiler built: the cross-cell rules should have
 * caught it first, but the blob is not handed out either way. Blame the node the refused
 * field came from.
 */
static int emit_refused(Compiled *c, const struct warden_config_error *e) {
        const DescNode *at;

        at = c->system.num_ram ? blame_system(c, e) : blame_cell(c, e, sizeof(struct warden_config_header));
        (void) diag_add(c->diags, DIAG_ERROR, "config-check", (at ?: c->root)->loc, "%s", e->what);
        return -EINVAL;
}

/* The compiled parts, in blob order; the checker has the last word. */
static int emit_cell(Compiled *c, void **ret_blob, size_t *ret_size) {
        size_t size = sizeof(struct warden_config_header) + sizeof(c->cell) +
                      c->cell.num_regions * sizeof(struct warden_region) + warden_cfg_align8(c->cell.num_irqs * 4) +
                      sizeof(c->policy) + c->policy.num_images * sizeof(struct warden_image) + c->policy.strings_size;
        struct warden_config_layout l;
        struct warden_config_error e;
        char *blob, *p;

        blob = calloc(1, size);
        if (!blob)
                return -ENOMEM;
        put_header(blob, WARDEN_CONFIG_CELL, c->name, size);
        p = blob + sizeof(struct warden_config_header);
        p = put(p, &c->cell, sizeof(c->cell));
        p = put(p, c->regions, c->cell.num_regions * sizeof(struct warden_region));
        p = put(p, c->irqs, c->cell.num_irqs * 4) + ((c->cell.num_irqs * 4) & 4);
        p = put(p, &c->policy, sizeof(c->policy));
        p = put(p, c->images, c->policy.num_images * sizeof(struct warden_image));
        memcpy(p, c->strings, c->policy.strings_size);
        if (warden_config_check_cell(blob, (uint32_t) size, &l, &e) < 0) {
                free(blob);
                return emit_refused(c, &e);
        }
        *ret_blob = blob;
        *ret_size = size;
        return 0;
}

int desc_compile_cell(const DescNode *root, DiagList *diags, void **ret_blob, size_t *ret_size) {
        _cleanup_free_ Compiled *c = calloc(1, sizeof(Compiled));
        const char *irqs;

        if (!c)
                return -ENOMEM;
        c->diags = diags;
        c->root = root;
        copy_name(c->name, desc_get(root, "cell"));
        c->cell.cpu_set = node_cpus(c, desc_get(root, "cpus"));
        compile_cell_regions(c, desc_get(root, "memory"), false);
        compile_irqs(c, desc_get(root, "irqs"));
        /* Whether the system's GIC can deliver directly is a rule across files (desc-rules.c). */
        irqs = node_str(desc_get(root, "interrupts"), "trapped");
        if (streq(irqs, "direct") || streq(irqs, "direct-strict"))
                c->cell.flags |= WARDEN_CELL_IRQ_DIRECT;
        if (streq(irqs, "direct-strict"))
                c->cell.flags |= WARDEN_CELL_WAIT_TRAPPED;
        if (!streq(node_str(desc_get(root, "console"), "virtual"), "none"))
                c->cell.flags |= WARDEN_CELL_CONSOLE_VIRTUAL;
        compile_shutdown(c, root);
        compile_policy(c, root);
        if (desc_get(root, "os")) {
                compile_os(c, root);
        } else {
                compile_images(c, desc_get(root, "image"));
                if (!c->failed)
                        compile_entry(c, root);
        }
        if (c->failed)
                return -EINVAL;
        return emit_cell(c, ret_blob, ret_size);
}

/*
 * The event interrupt: absent is 0 (none). It must not be the UART's; the shared
 * checker refuses that too, but here the diagnostic can name both nodes.
 */
static void compile_event_irq(Compiled *c, const DescNode *hv, const DescNode *uart) {
        const DescNode *n = desc_get(hv, "event-irq"), *uart_irq = desc_get(uart, "irq");
        struct warden_system *s = &c->system;

        if (!n)
                return;
        if (n->type != DESC_INTEGER || n->integer < WARDEN_IRQ_SPI_FIRST || n->integer > WARDEN_IRQ_SPI_LAST) {
                value_error(c, n, "event interrupt", "not a shared peripheral interrupt (32-1019)");
                return;
        }
        s->event_irq = (uint32_t) n->integer;
        if (uart_irq && s->event_irq == s->uart_irq) {
                c->failed = true;
                if (diag_add(c->diags, DIAG_ERROR, "irq", n->loc,
                             "event interrupt %" PRIu32 " belongs to the root cell's UART", s->event_irq) >= 0)
                        (void) diag_related(c->diags, uart_irq->loc, "the UART's interrupt");
        }
}

/*
 * platform.mpidr: one affinity per CPU of the platform, each a valid MPIDR affinity
 * (Aff3..Aff0). The system blob does not carry them: they are for cells' device trees.
 */
static void compile_mpidr(Compiled *c, const DescNode *mpidr) {
        unsigned want = c->system.cpu_set ? 64 - (unsigned) __builtin_clzll(c->system.cpu_set) : 0;

        if (!mpidr || mpidr->type != DESC_ARRAY)
                return;
        for (size_t i = 0; i < mpidr->array.n; i++)
                if (node_address(c, mpidr->array.items[i], "MPIDR") & ~0xff00ffffffULL)
                        value_error(c, mpidr->array.items[i], "MPIDR", "bits outside Aff3-Aff0 (0xff00ffffff)");
        if (mpidr->array.n != want) {
                c->failed = true;
                (void) diag_add(c->diags, DIAG_ERROR, "value", mpidr->loc,
                                "platform.mpidr lists %zu CPUs, the platform has %u (CPU 0 to %u)", mpidr->array.n,
                                want, want - 1);
        }
}

static void compile_platform(Compiled *c, const DescNode *platform, const DescNode *hv) {
        const DescNode *gic = desc_get(platform, "gic"), *uart = desc_get(platform, "uart");
        const DescNode *ram = desc_get(platform, "ram"), *mem = desc_get(hv, "memory");
        struct warden_system *s = &c->system;

        s->cpu_set = node_cpus(c, desc_get(platform, "cpus"));
        compile_mpidr(c, desc_get(platform, "mpidr"));
        s->gic_version = desc_get(gic, "version")->integer == 2 ? WARDEN_GIC_V2 : WARDEN_GIC_V3;
        s->gicd_base = node_address(c, desc_get(gic, "distributor"), "distributor address");
        if (s->gic_version == WARDEN_GIC_V3)
                s->gicr_base = node_address(c, desc_get(gic, "redistributors"), "redistributor address");
        else {
                s->gicc_base = node_address(c, desc_get(gic, "cpu-interface"), "CPU interface address");
                s->gich_base = node_address(c, desc_get(gic, "hypervisor-interface"),
                                            "virtual interface control address");
                s->gicv_base = node_address(c, desc_get(gic, "virtual-cpu-interface"),
                                            "virtual CPU interface address");
        }
        if (uart) {
                s->uart_type = WARDEN_UART_PL011;
                s->uart_base = node_address(c, desc_get(uart, "base"), "UART address");
                if (desc_get(uart, "irq"))
                        s->uart_irq = (uint32_t) desc_get(uart, "irq")->integer;
        }
        compile_event_irq(c, hv, uart);
        s->hv_mem_base = node_address(c, desc_get(mem, "base"), "hypervisor memory base");
        s->hv_mem_size = node_size(c, desc_get(mem, "size"), "hypervisor memory size");
        for (size_t i = 0; ram && ram->type == DESC_ARRAY && i < ram->array.n && i < WARDEN_MAX_RAM; i++) {
                struct warden_region *r = &c->ram[i];

                snprintf(r->name, sizeof(r->name), "ram%zu", i);
                r->phys_start = r->virt_start = node_address(c, desc_get(ram->array.items[i], "base"), "RAM base");
                r->size = node_size(c, desc_get(ram->array.items[i], "size"), "RAM size");
                r->flags = WARDEN_MEM_READ | WARDEN_MEM_WRITE | WARDEN_MEM_EXECUTE;
                s->num_ram++;
        }
}

/*
 * The interrupts root keeps for its own devices (root-cell.irqs), compiled as a cell's. The
 * event interrupt is one no device may use: the shared checker refuses it in root's list
 * too, but here the diagnostic can name the entry and the event interrupt. The UART's may
 * be listed: it is root's anyway.
 */
static void compile_root_irqs(Compiled *c, const DescNode *rc, const DescNode *hv) {
        const DescNode *irqs = desc_get(rc, "irqs"), *event = desc_get(hv, "event-irq"), *at;
        uint32_t ev = c->system.event_irq;

        compile_irqs(c, irqs);
        if (!ev || !bsearch(&ev, c->irqs, c->cell.num_irqs, sizeof(c->irqs[0]), cmp_u32))
                return;
        c->failed = true;
        at = desc_irqs_entry(irqs, ev) ?: irqs;
        if (diag_add(c->diags, DIAG_ERROR, "irq", at->loc,
                     "interrupt %" PRIu32 " is the hypervisor's event interrupt: the root cell cannot keep it for a device",
                     ev) < 0)
                return;
        (void) diag_hint(c->diags, "give hypervisor.event-irq an interrupt no device uses, or drop %" PRIu32
                         " from root-cell.irqs", ev);
        if (event)
                (void) diag_related(c->diags, event->loc, "the event interrupt");
}

static int emit_system(Compiled *c, void **ret_blob, size_t *ret_size) {
        size_t size = sizeof(struct warden_config_header) + sizeof(c->system) +
                      c->system.num_ram * sizeof(struct warden_region) + sizeof(c->cell) +
                      c->cell.num_regions * sizeof(struct warden_region) + warden_cfg_align8(c->cell.num_irqs * 4);
        struct warden_config_layout l;
        struct warden_config_error e;
        char *blob, *p;

        blob = calloc(1, size);
        if (!blob)
                return -ENOMEM;
        put_header(blob, WARDEN_CONFIG_SYSTEM, c->name, size);
        p = blob + sizeof(struct warden_config_header);
        p = put(p, &c->system, sizeof(c->system));
        p = put(p, c->ram, c->system.num_ram * sizeof(struct warden_region));
        p = put(p, &c->cell, sizeof(c->cell));
        p = put(p, c->regions, c->cell.num_regions * sizeof(struct warden_region));
        put(p, c->irqs, c->cell.num_irqs * 4);
        if (warden_config_check_system(blob, (uint32_t) size, &l, &e) < 0) {
                free(blob);
                return emit_refused(c, &e);
        }
        *ret_blob = blob;
        *ret_size = size;
        return 0;
}

int desc_compile_system(const DescNode *root, DiagList *diags, void **ret_blob, size_t *ret_size) {
        _cleanup_free_ Compiled *c = calloc(1, sizeof(Compiled));
        const DescNode *rc = desc_get(root, "root-cell");

        if (!c)
                return -ENOMEM;
        c->diags = diags;
        c->root = root;
        copy_name(c->name, desc_get(root, "system"));
        compile_platform(c, desc_get(root, "platform"), desc_get(root, "hypervisor"));
        c->cell.cpu_set = node_cpus(c, desc_get(rc, "cpus"));
        compile_cell_regions(c, desc_get(rc, "memory"), true);
        for (uint32_t i = 0; i < c->cell.num_regions; i++)
                if (!desc_get(desc_get(rc, "memory")->array.items[i], "access"))
                        c->regions[i].flags = WARDEN_MEM_READ | WARDEN_MEM_WRITE | WARDEN_MEM_EXECUTE;
        compile_root_irqs(c, rc, desc_get(root, "hypervisor"));
        if (c->failed)
                return -EINVAL;
        return emit_system(c, ret_blob, ret_size);
}
