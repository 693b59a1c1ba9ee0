/* SPDX-License-Identifier: GPL-2.0-only */
/* The "os" section of a cell description: its files, where they go, what is checked (desc-guest.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libfdt.h>
#include <warden/config-check.h>

#include "desc-guest.h"
#include "desc-values.h"
#include "macro.h"

#define RULE_KERNEL "os-kernel"
#define RULE_BOOT_LOADER "os-boot-loader"
#define RULE_INITRAMFS "os-initramfs"
#define RULE_DT "os-device-tree"
#define RULE_LAYOUT "os-layout"
#define RULE_UART "os-uart"
#define RULE_BUTTON "os-power-button"

#define SZ_1G (1ULL << 30)
#define SZ_32G (32ULL << 30)

static const char *const file_names[_GUEST_FILE_MAX] = {
        [GUEST_KERNEL] = "kernel",
        [GUEST_BOOT_LOADER] = "boot loader",
        [GUEST_DT] = "device tree",
        [GUEST_INITRAMFS] = "initramfs",
};

static const char *const file_keys[_GUEST_FILE_MAX] = {
        [GUEST_KERNEL] = "kernel",
        [GUEST_BOOT_LOADER] = "boot-loader",
        [GUEST_DT] = "device-tree",
        [GUEST_INITRAMFS] = "initramfs",
};

const char *guest_file_to_string(GuestFile f) {
        return f >= 0 && f < _GUEST_FILE_MAX ? file_names[f] : NULL;
}

const char *guest_file_to_key(GuestFile f) {
        return f >= 0 && f < _GUEST_FILE_MAX ? file_keys[f] : NULL;
}

bool guest_region_is_ram(const struct warden_region *r) {
        const uint32_t rwx = WARDEN_MEM_READ | WARDEN_MEM_WRITE | WARDEN_MEM_EXECUTE;

        return (r->flags & rwx) == rwx && !(r->flags & WARDEN_MEM_IO);
}

static uint64_t align_up(uint64_t v, uint64_t a) {
        return (v + a - 1) & ~(a - 1);
}

static uint64_t align_down(uint64_t v, uint64_t a) {
        return v & ~(a - 1);
}

typedef struct Planner {
        GuestPlan *p;
        DiagList *diags;
        const struct warden_region *regions;
        uint32_t n_regions;
        bool failed;
} Planner;

/* An error at @at; true when it was recorded, so that a hint or a related place can follow. */
static bool fail(Planner *pl, const char *rule, const DescNode *at, const char *fmt, ...) _printf_(4, 5);

static bool fail(Planner *pl, const char *rule, const DescNode *at, const char *fmt, ...) {
        _cleanup_free_ char *msg = NULL;
        va_list ap;
        int r;

        pl->failed = true;
        va_start(ap, fmt);
        r = vasprintf(&msg, fmt, ap);
        va_end(ap);
        return r >= 0 && diag_add(pl->diags, DIAG_ERROR, rule, at->loc, "%s", msg) >= 0;
}

static const char *node_string(const DescNode *n) {
        return n && n->type == DESC_STRING ? n->string.str : NULL;
}

static bool node_u64(Planner *pl, const DescNode *n, const char *what, uint64_t *ret) {
        const char *why = NULL;

        if (n->type == DESC_INTEGER && n->integer >= 0) {
                *ret = (uint64_t) n->integer;
                return true;
        }
        if (n->type == DESC_STRING && value_parse_u64(n->string.str, ret, &why) >= 0)
                return true;
        fail(pl, "value", n, "invalid %s: %s", what, why ?: "not a number in a form Warden reads");
        return false;
}

/* "kernel /boot/Image", "device tree (generated)": how messages name an item. */
static const char *item_title(const GuestPlan *p, GuestFile f, char *buf, size_t size) {
        const GuestItem *it = &p->items[f];

        snprintf(buf, size, "%s %s", file_names[f], it->path ?: "(generated)");
        return buf;
}

/* Where a diagnostic about an item's place goes: its address, else its key. */
static const DescNode *item_blame(const GuestPlan *p, GuestFile f) {
        const GuestItem *it = &p->items[f];

        return it->address_node ?: it->node ?: p->os;
}

/*
 * A boot file's path with its specifiers expanded, as systemd's unit files have them: %v
 * is the release of the kernel that runs where the description is compiled (uname -r;
 * celld's, or the CLI's), so that a cell can name the kernel root runs and files made for
 * it ("/boot/vmlinuz-%v"); %% is a '%'. Any other '%' is an error.
 */
static bool expand_path(Planner *pl, GuestItem *it, const DescNode *at, const char *path) {
        struct utsname u;
        size_t n = 0;

        for (const char *s = path; *s; s++) {
                const char *add = s;
                size_t len = 1;

                if (*s == '%') {
                        if (s[1] == '%')
                                s++;
                        else if (s[1] == 'v' && uname(&u) >= 0) {
                                add = u.release;
                                len = strlen(u.release);
                                s++;
                        } else {
                                if (fail(pl, "os-path", at, "unknown specifier '%%%.1s' in path %s", s + 1, path))
                                        (void) diag_hint(pl->diags, "%%v is the running kernel's release (uname -r), %%%% a '%%'");
                                return false;
                        }
                }
                if (n + len >= sizeof(it->expanded)) {
                        fail(pl, "os-path", at, "path %s is longer than %d bytes once expanded", path, GUEST_PATH_MAX - 1);
                        return false;
                }
                memcpy(it->expanded + n, add, len);
                n += len;
        }
        it->expanded[n] = '\0';
        it->path = it->expanded;
        return true;
}

/* A boot file: a path, or an object with file and address. */
static void parse_item(Planner *pl, GuestItem *it, const DescNode *n) {
        const DescNode *file = n;

        it->node = n;
        it->present = n != NULL;
        if (!n)
                return;
        if (n->type != DESC_STRING) {
                file = desc_get(n, "file");
                it->address_node = desc_get(n, "address");
        }
        if (node_string(file))
                (void) expand_path(pl, it, file, node_string(file));
}

static uint64_t le64(const uint8_t *b) {
        uint64_t v = 0;

        for (int i = 7; i >= 0; i--)
                v = v << 8 | b[i];
        return v;
}

/* What a file that is not an Image is, for the hint. */
static const char *not_image_hint(const uint8_t *h, size_t n) {
        if (n >= 2 && h[0] == 0x1f && h[1] == 0x8b)
                return "it is gzip-compressed: give the kernel uncompressed (zcat FILE >Image)";
        if (n >= 4 && memcmp(h, "\177ELF", 4) == 0)
                return "it is an ELF file (vmlinux): give the Image, arch/arm64/boot/Image of a kernel build";
        return "an arm64 Image has \"ARM\\x64\" at offset 56 (Debian's /boot/vmlinuz-*-arm64 is one)";
}

/*
 * The first bytes of a file to boot, which must be a regular file: how many were read (0 for
 * an empty file), or -1 once the failure is reported as RULE's, naming the file as WHAT.
 */
static ssize_t read_head(Planner *pl, GuestItem *it, const char *rule, const char *what,
                         uint8_t h[static GUEST_IMAGE_HEADER_SIZE], struct stat *st) {
        ssize_t n;
        int fd, err;

        fd = open(it->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0 || fstat(fd, st) < 0) {
                fail(pl, rule, it->node, "cannot read %s %s: %s", what, it->path, strerror(errno));
                if (fd >= 0)
                        close(fd);
                return -1;
        }
        n = S_ISREG(st->st_mode) ? pread(fd, h, GUEST_IMAGE_HEADER_SIZE, 0) : -1;
        err = errno;    /* pread's, before close() */
        close(fd);
        if (!S_ISREG(st->st_mode)) {
                fail(pl, rule, it->node, "%s %s is not a regular file", what, it->path);
                return -1;
        }
        if (n < 0)
                fail(pl, rule, it->node, "cannot read %s %s: %s", what, it->path, strerror(err));
        return n;
}

static bool is_image(const uint8_t *h, ssize_t n) {
        return n == GUEST_IMAGE_HEADER_SIZE && le64(h + 56) % (1ULL << 32) == GUEST_IMAGE_MAGIC;
}

/* The Image header: magic, text_offset, image_size, flags (booting.rst, "Call the kernel image"). */
static void read_kernel(Planner *pl) {
        GuestPlan *p = pl->p;
        GuestItem *it = &p->items[GUEST_KERNEL];
        uint8_t h[GUEST_IMAGE_HEADER_SIZE] = {};
        struct stat st;
        ssize_t n;

        n = read_head(pl, it, RULE_KERNEL, "kernel", h, &st);
        if (n < 0)
                return;
        if (!is_image(h, n)) {
                if (fail(pl, RULE_KERNEL, it->node, "kernel %s is not an arm64 Linux Image: no \"ARM\\x64\" magic at offset 56",
                         it->path))
                        (void) diag_hint(pl->diags, "%s", not_image_hint(h, (size_t) n));
                return;
        }
        p->text_offset = le64(h + 8);
        p->image_size = le64(h + 16);
        p->image_flags = le64(h + 24);
        it->size = (uint64_t) st.st_size;
        /* image_size 0: a kernel older than 3.17, which needs at least its file's bytes */
        it->span = p->image_size > it->size ? p->image_size : it->size;
}

/*
 * A boot loader: any raw binary the CPU can start at its first byte. What is certainly not
 * one is refused with what to give instead.
 */
static void read_boot_loader(Planner *pl) {
        GuestItem *it = &pl->p->items[GUEST_BOOT_LOADER];
        uint8_t h[GUEST_IMAGE_HEADER_SIZE] = {};
        struct stat st;
        ssize_t n;

        n = read_head(pl, it, RULE_BOOT_LOADER, "boot loader", h, &st);
        if (n < 0)
                return;
        if (n == 0)
                fail(pl, RULE_BOOT_LOADER, it->node, "boot loader %s is empty", it->path);
        else if (n >= 4 && memcmp(h, "\177ELF", 4) == 0) {
                if (fail(pl, RULE_BOOT_LOADER, it->node, "boot loader %s is an ELF file, not a raw binary", it->path))
                        (void) diag_hint(pl->diags, "give the binary the CPU starts at its first byte (U-Boot's u-boot.bin, not u-boot or uboot.elf)");
        } else if (is_image(h, n)) {
                if (fail(pl, RULE_BOOT_LOADER, it->node, "boot loader %s is an arm64 Linux Image", it->path))
                        (void) diag_hint(pl->diags, "give it as 'kernel', which places it by its header");
        } else
                it->size = it->span = (uint64_t) st.st_size;
}

static void read_initramfs(Planner *pl) {
        GuestItem *it = &pl->p->items[GUEST_INITRAMFS];
        struct stat st;

        if (stat(it->path, &st) < 0)
                fail(pl, RULE_INITRAMFS, it->node, "cannot read initramfs %s: %s", it->path, strerror(errno));
        else if (!S_ISREG(st.st_mode))
                fail(pl, RULE_INITRAMFS, it->node, "initramfs %s is not a regular file", it->path);
        else if (st.st_size == 0)
                fail(pl, RULE_INITRAMFS, it->node, "initramfs %s is empty", it->path);
        else
                it->size = it->span = (uint64_t) st.st_size;
}

/* A device tree file: at most 2 MiB, and a tree libfdt accepts from end to end. */
static void read_dt(Planner *pl) {
        GuestItem *it = &pl->p->items[GUEST_DT];
        _cleanup_free_ void *buf = NULL;
        _cleanup_fclose_ FILE *f = NULL;
        size_t n;
        int r;

        it->span = GUEST_DT_ROOM;
        if (!it->path)
                return;
        f = fopen(it->path, "rbe");
        buf = malloc(GUEST_DT_MAX_SIZE + 1);
        if (!f || !buf) {
                fail(pl, RULE_DT, it->node, "cannot read device tree %s: %s", it->path, strerror(f ? ENOMEM : errno));
                return;
        }
        n = fread(buf, 1, GUEST_DT_MAX_SIZE + 1, f);
        if (ferror(f)) {
                fail(pl, RULE_DT, it->node, "cannot read device tree %s: %s", it->path, strerror(EIO));
                return;
        }
        if (n > GUEST_DT_MAX_SIZE) {
                fail(pl, RULE_DT, it->node, "device tree %s is larger than 2 MiB, the most the arm64 boot protocol allows",
                     it->path);
                return;
        }
        r = fdt_check_full(buf, n);
        if (r < 0) {
                if (fail(pl, RULE_DT, it->node, "device tree %s is not a valid device tree blob: %s", it->path,
                         fdt_strerror(r)))
                        (void) diag_hint(pl->diags, "give a compiled tree (dtc -I dts -O dtb), or 'device-tree: generated'");
                return;
        }
        it->size = n;
        it->span = n + GUEST_DT_ROOM > GUEST_DT_MAX_SIZE ? GUEST_DT_MAX_SIZE : n + GUEST_DT_ROOM;
}

static int region_at(const Planner *pl, uint64_t a) {
        for (uint32_t i = 0; i < pl->n_regions; i++)
                if (a >= pl->regions[i].virt_start && a - pl->regions[i].virt_start < pl->regions[i].size)
                        return (int) i;
        return -1;
}

/* The region holding an explicit address: loadable RAM of the cell. */
static int explicit_region(Planner *pl, GuestFile f, uint64_t a) {
        const DescNode *at = pl->p->items[f].address_node;
        char t[256];
        int i = region_at(pl, a);

        item_title(pl->p, f, t, sizeof(t));
        if (i < 0)
                fail(pl, RULE_LAYOUT, at, "%s: address 0x%" PRIx64 " is in no memory region of the cell", t, a);
        else if (!(pl->regions[i].flags & WARDEN_MEM_LOADABLE))
                fail(pl, RULE_LAYOUT, at, "%s: address 0x%" PRIx64 " is in region '%.*s', which is not loadable", t, a,
                     WARDEN_NAME_LEN, pl->regions[i].name);
        else if (!guest_region_is_ram(&pl->regions[i]))
                fail(pl, RULE_LAYOUT, at,
                     "%s: address 0x%" PRIx64 " is in region '%.*s', which is not RAM for the OS (read, write, execute; not io)",
                     t, a, WARDEN_NAME_LEN, pl->regions[i].name);
        else
                return i;
        return -1;
}

/* The first loadable RAM region: where the kernel goes by default. */
static int boot_region(const Planner *pl) {
        for (uint32_t i = 0; i < pl->n_regions; i++)
                if ((pl->regions[i].flags & WARDEN_MEM_LOADABLE) && guest_region_is_ram(&pl->regions[i]))
                        return (int) i;
        return -1;
}

/*
 * Places item @f: at its explicit address, or after the item before it (@next: where that
 * one ends, @region: where it is). Checks that it fits its region.
 */
static bool place(Planner *pl, GuestFile f, uint64_t *next, int *region) {
        GuestItem *it = &pl->p->items[f];
        const struct warden_region *r;
        char t[256];
        uint64_t a;
        int i;

        if (!it->present)
                return true;
        if (it->address_node) {
                if (!node_u64(pl, it->address_node, "address", &a) || (i = explicit_region(pl, f, a)) < 0)
                        return false;
        } else {
                /* The first item: the start of RAM (a kernel: text_offset past it); the others, the next 2 MiB. */
                i = *region;
                a = align_up(*next ?: pl->regions[i].virt_start, GUEST_SZ_2M);
                if (f == GUEST_KERNEL)
                        a += pl->p->text_offset;
        }
        r = &pl->regions[i];
        it->address = a;
        it->region = (uint32_t) i;
        if (a < r->virt_start || a - r->virt_start > r->size || it->span > r->size - (a - r->virt_start)) {
                if (fail(pl, RULE_LAYOUT, item_blame(pl->p, f),
                         "%s does not fit region '%.*s': it needs 0x%" PRIx64 "-0x%" PRIx64 ", the region ends at 0x%" PRIx64,
                         item_title(pl->p, f, t, sizeof(t)), WARDEN_NAME_LEN, r->name, a, a + it->span - 1,
                         (uint64_t) (r->virt_start + r->size - 1)))
                        (void) diag_hint(pl->diags, "give the cell more RAM, or place the %s with '%s.address'",
                                         file_names[f], file_keys[f]);
                return false;
        }
        *next = a + it->span;
        *region = i;
        return true;
}

/* What the boot protocol asks of each place. */
static void check_protocol(Planner *pl) {
        GuestPlan *p = pl->p;
        const GuestItem *k = &p->items[GUEST_KERNEL], *d = &p->items[GUEST_DT], *i = &p->items[GUEST_INITRAMFS];
        const GuestItem *b = &p->items[GUEST_BOOT_LOADER];
        const struct warden_region *dr = &pl->regions[d->region];
        uint64_t lo, hi;

        /* A boot loader is entered at its first byte: an instruction, 4-byte aligned. */
        if (b->present && b->address % 4 != 0 &&
            fail(pl, RULE_BOOT_LOADER, item_blame(p, GUEST_BOOT_LOADER),
                 "boot loader %s at 0x%" PRIx64 ": the CPU starts at its first byte, which must be 4-byte aligned",
                 b->path, b->address))
                (void) diag_hint(pl->diags, "use 0x%" PRIx64, align_up(b->address, GUEST_SZ_2M));
        if (k->present && (k->address - p->text_offset) % GUEST_SZ_2M != 0 &&
            fail(pl, RULE_KERNEL, item_blame(p, GUEST_KERNEL),
                 "kernel %s at 0x%" PRIx64 ": an Image is loaded text_offset (0x%" PRIx64 ") past a 2 MiB boundary",
                 k->path, k->address, p->text_offset))
                (void) diag_hint(pl->diags, "use 0x%" PRIx64,
                                 align_up(k->address - p->text_offset, GUEST_SZ_2M) + p->text_offset);
        if (d->address % 8 != 0)
                fail(pl, RULE_DT, item_blame(p, GUEST_DT), "device tree at 0x%" PRIx64 " is not 8-byte aligned", d->address);
        /* The kernel maps the tree with the rest of its 2 MiB blocks, cacheable. */
        lo = align_down(d->address, GUEST_SZ_2M);
        hi = align_up(d->address + d->span, GUEST_SZ_2M);
        if (lo < dr->virt_start || hi > dr->virt_start + dr->size)
                fail(pl, RULE_DT, item_blame(p, GUEST_DT),
                     "device tree at 0x%" PRIx64 ": the kernel maps all of its 2 MiB blocks (0x%" PRIx64 "-0x%" PRIx64
                     "), which must be RAM of region '%.*s'", d->address, lo, hi - 1, WARDEN_NAME_LEN, dr->name);
        if (!i->present || !k->present)
                return;
        lo = align_down(k->address < i->address ? k->address : i->address, SZ_1G);
        hi = k->address + k->span > i->address + i->span ? k->address + k->span : i->address + i->span;
        if (hi - lo > SZ_32G)
                fail(pl, RULE_INITRAMFS, item_blame(p, GUEST_INITRAMFS),
                     "initramfs %s at 0x%" PRIx64 " is not in the 1 GiB-aligned 32 GiB window that holds the kernel",
                     i->path, i->address);
}

static void check_overlaps(Planner *pl) {
        GuestPlan *p = pl->p;
        char a[256], b[256];

        for (GuestFile f = 0; f < _GUEST_FILE_MAX; f++)
                for (GuestFile g = 0; g < f; g++) {
                        /* Blamed: the one placed by an explicit address, when only one was. */
                        bool swap = !p->items[f].address_node && p->items[g].address_node;
                        GuestFile m = swap ? g : f, o = swap ? f : g;
                        const GuestItem *x = &p->items[m], *y = &p->items[o];

                        if (!x->present || !y->present || !warden_cfg_overlap(x->address, x->span, y->address, y->span))
                                continue;
                        if (fail(pl, RULE_LAYOUT, item_blame(p, m),
                                 "%s (0x%" PRIx64 "-0x%" PRIx64 ") overlaps the %s (0x%" PRIx64 "-0x%" PRIx64 ")",
                                 item_title(p, m, a, sizeof(a)), x->address, x->address + x->span - 1,
                                 item_title(p, o, b, sizeof(b)), y->address, y->address + y->span - 1))
                                (void) diag_related(pl->diags, item_blame(p, o)->loc, "the %s", file_names[o]);
                }
}

static void plan_layout(Planner *pl) {
        static const GuestFile kernel_order[] = { GUEST_KERNEL, GUEST_DT, GUEST_INITRAMFS };
        static const GuestFile boot_loader_order[] = { GUEST_DT, GUEST_BOOT_LOADER, GUEST_INITRAMFS };
        const GuestFile *order = pl->p->entry == GUEST_KERNEL ? kernel_order : boot_loader_order;
        uint64_t next = 0;
        int region = boot_region(pl);

        if (region < 0 && !pl->p->items[order[0]].address_node) {
                if (fail(pl, RULE_LAYOUT, pl->p->os, "no region to boot the %s from", file_names[pl->p->entry]))
                        (void) diag_hint(pl->diags, "give the cell a region with access: [read, write, execute, loadable]");
                return;
        }
        for (size_t i = 0; i < ELEMENTSOF(kernel_order); i++)
                if (!place(pl, order[i], &next, &region))
                        return;
        check_protocol(pl);
        check_overlaps(pl);
}

static bool cell_owns(const uint32_t *irqs, uint32_t n, uint32_t irq) {
        for (uint32_t i = 0; i < n; i++)
                if (irqs[i] == irq)
                        return true;
        return false;
}

/*
 * An emulated device's page and interrupt (@what: "UART", "power button"): a page of its own
 * clear of the cell's regions, an interrupt the cell owns. @u is its object in 'os'.
 */
static bool plan_device(Planner *pl, const char *rule, const char *what, const DescNode *u, uint64_t default_base,
                        const uint32_t *irqs, uint32_t n_irqs, uint64_t *ret_base, uint32_t *ret_irq) {
        const DescNode *base = desc_get(u, "base"), *irq = desc_get(u, "irq");
        char address[64];
        bool ok = true;

        snprintf(address, sizeof(address), "%s address", what);
        *ret_base = default_base;
        *ret_irq = irq && irq->type == DESC_INTEGER ? (uint32_t) irq->integer : 0;
        if (base && !node_u64(pl, base, address, ret_base))
                return false;
        if (*ret_base % WARDEN_PAGE_SIZE != 0) {
                fail(pl, rule, base, "%s 0x%" PRIx64 " is not a multiple of 4 KiB", address, *ret_base);
                ok = false;
        }
        if (!cell_owns(irqs, n_irqs, *ret_irq)) {
                ok = false;
                if (fail(pl, rule, irq, "interrupt %" PRIu32 " is not one of the cell's: the %s's interrupt must be in its irqs",
                         *ret_irq, what))
                        (void) diag_hint(pl->diags, "add %" PRIu32 " to 'irqs' (an interrupt no device raises)", *ret_irq);
        }
        for (uint32_t i = 0; i < pl->n_regions; i++) {
                const struct warden_region *r = &pl->regions[i];

                if (warden_cfg_overlap(*ret_base, WARDEN_PAGE_SIZE, r->virt_start, r->size)) {
                        ok = false;
                        fail(pl, rule, base ?: u, "the %s (0x%" PRIx64 "-0x%" PRIx64 ") overlaps region '%.*s' (0x%" PRIx64
                             "-0x%" PRIx64 ")", what, *ret_base, (uint64_t) (*ret_base + WARDEN_PAGE_SIZE - 1),
                             WARDEN_NAME_LEN, r->name, (uint64_t) r->virt_start, (uint64_t) (r->virt_start + r->size - 1));
                }
        }
        return ok;
}

static void plan_uart(Planner *pl, const uint32_t *irqs, uint32_t n_irqs) {
        GuestPlan *p = pl->p;
        const DescNode *u = desc_get(p->os, "uart");

        p->uart_node = u ?: p->os;
        if (u && u->type == DESC_STRING)
                return; /* none */
        if (!desc_get(u, "irq")) {
                if (fail(pl, RULE_UART, p->uart_node, "the virtual UART needs an interrupt the cell owns"))
                        (void) diag_hint(pl->diags, "add 'uart: {irq: N}' to 'os' with an interrupt N from the cell's irqs that no device raises, or 'uart: none'");
                return;
        }
        p->uart = true;
        (void) plan_device(pl, RULE_UART, "UART", u, GUEST_UART_BASE_DEFAULT, irqs, n_irqs, &p->uart_base, &p->uart_irq);
}

/* The power button: absent or none, no button; otherwise its own page and interrupt, not the UART's. */
static void plan_button(Planner *pl, const uint32_t *irqs, uint32_t n_irqs) {
        GuestPlan *p = pl->p;
        const DescNode *u = desc_get(p->os, "power-button");

        p->button_node = u ?: p->os;
        if (!u || u->type == DESC_STRING)
                return; /* none */
        if (!desc_get(u, "irq")) {
                if (fail(pl, RULE_BUTTON, u, "the power button needs an interrupt the cell owns"))
                        (void) diag_hint(pl->diags, "write 'power-button: {irq: N}' with an interrupt N from the cell's irqs that no device raises, or 'power-button: none'");
                return;
        }
        p->button = true;
        if (!plan_device(pl, RULE_BUTTON, "power button", u, GUEST_BUTTON_BASE_DEFAULT, irqs, n_irqs, &p->button_base,
                         &p->button_irq) || !p->uart)
                return;
        if (p->button_base == p->uart_base &&
            fail(pl, RULE_BUTTON, desc_get(u, "base") ?: u, "the power button at 0x%" PRIx64 " is on the UART's page",
                 p->button_base))
                (void) diag_related(pl->diags, p->uart_node->loc, "the UART");
        if (p->button_irq == p->uart_irq &&
            fail(pl, RULE_BUTTON, desc_get(u, "irq"), "interrupt %" PRIu32 " is the UART's: the power button needs one of its own",
                 p->button_irq))
                (void) diag_related(pl->diags, p->uart_node->loc, "the UART");
}

/* 'os' replaces 'image' and 'entry': the kernel or boot loader is the image and its entry. */
static void check_exclusive(Planner *pl, const DescNode *root) {
        static const char *const keys[] = { "image", "entry" };

        for (size_t i = 0; i < ELEMENTSOF(keys); i++) {
                const DescNode *n = desc_get(root, keys[i]);

                if (n && fail(pl, "reference", n,
                              "a cell that boots an OS ('os') has no '%s': it starts at its kernel or boot loader", keys[i]))
                        (void) diag_related(pl->diags, pl->p->os->loc, "the OS it boots");
        }
}

/* Exactly one of kernel and boot-loader: what the first CPU starts at. */
static bool check_entry(Planner *pl) {
        GuestPlan *p = pl->p;
        const GuestItem *k = &p->items[GUEST_KERNEL], *b = &p->items[GUEST_BOOT_LOADER];

        if (k->present && b->present) {
                if (fail(pl, RULE_BOOT_LOADER, b->node, "an OS starts at its kernel or at its boot loader, not both"))
                        (void) diag_related(pl->diags, k->node->loc, "the kernel");
                return false;
        }
        if (!k->present && !b->present) {
                if (fail(pl, RULE_KERNEL, p->os, "an OS needs a kernel or a boot loader to start at"))
                        (void) diag_hint(pl->diags, "add 'kernel: /boot/vmlinuz-...' (an arm64 Image) or 'boot-loader: FILE' (a raw binary)");
                return false;
        }
        p->entry = k->present ? GUEST_KERNEL : GUEST_BOOT_LOADER;
        return true;
}

int guest_plan(const DescNode *root, const struct warden_region *regions, uint32_t n_regions, const uint32_t *irqs,
               uint32_t n_irqs, DiagList *diags, GuestPlan *ret) {
        Planner pl = { .p = ret, .diags = diags, .regions = regions, .n_regions = n_regions };
        const DescNode *os = desc_get(root, "os"), *dt;
        GuestPlan *p = ret;

        *p = (GuestPlan) {};
        if (!os)
                return 0;
        p->os = os;
        check_exclusive(&pl, root);
        parse_item(&pl, &p->items[GUEST_KERNEL], desc_get(os, "kernel"));
        parse_item(&pl, &p->items[GUEST_BOOT_LOADER], desc_get(os, "boot-loader"));
        if (!check_entry(&pl))
                return -EINVAL;
        parse_item(&pl, &p->items[GUEST_INITRAMFS], desc_get(os, "initramfs"));
        dt = desc_get(os, "device-tree");
        parse_item(&pl, &p->items[GUEST_DT], dt);
        p->items[GUEST_DT].present = true;
        if (dt && dt->type == DESC_STRING && streq(dt->string.str, "generated"))
                p->items[GUEST_DT].path = NULL;
        p->command_line = node_string(desc_get(os, "command-line"));
        p->psci_hvc = streq(node_string(desc_get(os, "psci")) ?: "smc", "hvc");

        if (p->items[GUEST_KERNEL].path)
                read_kernel(&pl);
        if (p->items[GUEST_BOOT_LOADER].path)
                read_boot_loader(&pl);
        if (p->items[GUEST_INITRAMFS].path)
                read_initramfs(&pl);
        read_dt(&pl);
        if (!pl.failed)
                plan_layout(&pl);
        plan_uart(&pl, irqs, n_irqs);
        plan_button(&pl, irqs, n_irqs);
        return pl.failed ? -EINVAL : 0;
}

int guest_machine_from_system(const void *blob, size_t size, const DescNode *root, GuestMachine *ret) {
        const DescNode *mpidr = desc_get(desc_get(root, "platform"), "mpidr");
        const struct warden_system *sys;
        struct warden_config_layout l;
        struct warden_config_error e;

        if (warden_config_check_system(blob, (uint32_t) size, &l, &e) < 0)
                return -EINVAL;
        sys = warden_cfg_at(blob, sizeof(struct warden_config_header));
        *ret = (GuestMachine) {
                .gic_version = sys->gic_version,
                .gicd_base = sys->gicd_base,
                .gicr_base = sys->gicr_base,
                .gicc_base = sys->gicc_base,
        };
        for (unsigned cpu = 0; cpu < WARDEN_MAX_CPUS; cpu++) {
                const DescNode *n = mpidr && mpidr->type == DESC_ARRAY && cpu < mpidr->array.n
                                            ? mpidr->array.items[cpu] : NULL;
                uint64_t v = cpu;

                if (n && n->type == DESC_INTEGER)
                        v = (uint64_t) n->integer;
                else if (n && n->type == DESC_STRING)
                        (void) value_parse_u64(n->string.str, &v, NULL);
                ret->mpidr[cpu] = v;
        }
        return 0;
}

int desc_guest_dt(DescSet *s, const DescUnit *u, const uint8_t *seed, void **ret, size_t *ret_size, char *why,
                  size_t why_size) {
        DescUnit *sys = desc_set_system(s);
        const struct warden_cell *c;
        struct warden_config_layout l;
        struct warden_config_error e;
        DiagList scratch = {};
        GuestMachine m;
        GuestPlan p;
        GuestCell cell;
        int r;

        why[0] = '\0';
        if (!sys || !sys->blob)
                return -ENOENT;
        if (!u->blob || u->kind != DESC_KIND_CELL ||
            warden_config_check_cell(u->blob, (uint32_t) u->blob_size, &l, &e) < 0 ||
            guest_machine_from_system(sys->blob, sys->blob_size, sys->source->root, &m) < 0)
                return -EINVAL;
        c = warden_cfg_at(u->blob, l.cell);
        r = guest_plan(u->source->root, warden_cfg_at(u->blob, l.regions), c->num_regions,
                       warden_cfg_at(u->blob, l.irqs), c->num_irqs, &scratch, &p);
        diag_list_done(&scratch);
        if (r < 0)
                return r;
        if (!p.os) {
                snprintf(why, why_size, "cell '%s' boots no OS (no 'os' in its description)",
                         ((const struct warden_config_header *) u->blob)->name);
                return -EINVAL;
        }
        cell = (GuestCell) {
                .name = ((const struct warden_config_header *) u->blob)->name,
                .cpu_set = c->cpu_set,
                .regions = warden_cfg_at(u->blob, l.regions),
                .n_regions = c->num_regions,
        };
        return guest_dt_build(&p, &cell, &m, seed, ret, ret_size, why, why_size);
}
