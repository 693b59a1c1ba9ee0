/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cells that boot an OS: the 'os' section's defaults and checks (desc-guest.c), and the
 * device tree written for them (guest-dt.c), read back with libfdt and with dtc. Every
 * test writes its files (a fake arm64 Image, an initramfs, device tree blobs) and its
 * description into a fresh directory, and checks the cell against the reference system
 * (cells.d/system.yaml) or a system written for the test.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <sys/utsname.h>
#include <unistd.h>

#include <libfdt.h>
#include <warden/config-check.h>

#include "cell-images.h"
#include "desc-decode.h"
#include "desc-guest.h"
#include "desc-set.h"
#include "tests.h"

#define SYSTEM "cells.d/system.yaml"
#define IMAGE_SIZE 0x2010000ULL         /* Debian 6.1's image_size */
#define INITRAMFS_SIZE 300000

static char dir[64];
static char system_path[1024];          /* the system the cell is checked against */

/* The tests run from the repository root (tests/run) or from celld/ (make check). */
static void setup(void) {
        struct stat st;

        if (stat(SYSTEM, &st) < 0)
                ASSERT_OK(chdir(".."));
        ASSERT_OK(realpath(SYSTEM, system_path) ? 0 : -errno);
        snprintf(dir, sizeof(dir), "/tmp/test-guest-dt.XXXXXX");
        ASSERT_NOT_NULL(mkdtemp(dir));
}

/* Removes the test's directory (a failed test leaves it, to look at). */
static void cleanup(void) {
        _cleanup_free_ char *cmd = NULL;

        ASSERT_TRUE(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
        ASSERT_EQ(system(cmd), 0);
}

static void write_file(const char *name, const void *data, size_t size) {
        char path[256];
        FILE *f;

        snprintf(path, sizeof(path), "%s/%s", dir, name);
        f = fopen(path, "we");
        ASSERT_NOT_NULL(f);
        ASSERT_EQ(fwrite(data, 1, size, f), size);
        ASSERT_OK(fclose(f));
}

/* An arm64 Image header (booting.rst) and a little body. */
static void write_image(const char *name, uint64_t text_offset, bool good_magic) {
        uint8_t img[4096] = {};

        for (int i = 0; i < 8; i++) {
                img[8 + i] = (uint8_t) (text_offset >> (8 * i));
                img[16 + i] = (uint8_t) (IMAGE_SIZE >> (8 * i));
        }
        img[24] = 0xa;                  /* 4K pages, anywhere in RAM */
        memcpy(img + 56, good_magic ? "ARMd" : "\0\0\0\0", 4);
        if (!good_magic) {
                img[0] = 0x1f;          /* gzip */
                img[1] = 0x8b;
        }
        write_file(name, img, sizeof(img));
}

/* A small valid tree with a /chosen of its own. */
static void write_dtb(const char *name) {
        char buf[1024];

        ASSERT_OK(fdt_create(buf, sizeof(buf)));
        ASSERT_OK(fdt_finish_reservemap(buf));
        ASSERT_OK(fdt_begin_node(buf, ""));
        ASSERT_OK(fdt_property_string(buf, "model", "from a file"));
        ASSERT_OK(fdt_begin_node(buf, "chosen"));
        ASSERT_OK(fdt_property_string(buf, "bootargs", "old"));
        ASSERT_OK(fdt_end_node(buf));
        ASSERT_OK(fdt_end_node(buf));
        ASSERT_OK(fdt_finish(buf));
        write_file(name, buf, fdt_totalsize(buf));
}

static void write_files(void) {
        static uint8_t initramfs[INITRAMFS_SIZE];

        write_image("Image", 0, true);
        write_image("Image.gz", 0, false);
        write_file("initramfs", initramfs, sizeof(initramfs));
        write_dtb("cell.dtb");
        write_file("bad.dtb", "not a device tree at all, not at all", 36);
        write_file("loader.bin", "\x01\x00\x00\x14 a raw boot loader..", 24);
        write_file("loader.elf", "\177ELF\x02\x01\x01", 7);
        write_file("empty", "", 0);
}

/* Writes linux.yaml: the common head, then @os_fmt (with %1$s the test directory). */
static void write_desc(const char *extra, const char *os_fmt, ...) {
        char path[256];
        va_list ap;
        FILE *f;

        snprintf(path, sizeof(path), "%s/linux.yaml", dir);
        f = fopen(path, "we");
        ASSERT_NOT_NULL(f);
        fprintf(f, "cell: linux\n"
                   "cpus: [2, 3]\n"
                   "memory:\n"
                   "  - name: ram\n"
                   "    host: 0x7800_0000\n"
                   "    size: 128M\n"
                   "    access: [read, write, execute, loadable]\n"
                   "irqs: [96]\n%s", extra);
        va_start(ap, os_fmt);
        vfprintf(f, os_fmt, ap);
        va_end(ap);
        ASSERT_OK(fclose(f));
}

static DescSet *check(int want) {
        DescSet *s = NULL;
        char path[256];

        snprintf(path, sizeof(path), "%s/linux.yaml", dir);
        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, path, NULL));
        ASSERT_OK(desc_set_add(s, system_path, "system.yaml"));
        ASSERT_EQ(desc_set_check(s), want);
        return s;
}

/* The first diagnostic as diag_list_print() writes it, with the test directory as DIR. */
static char *first_diag(DescSet *s) {
        char *buf = NULL, *nl, *p;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        ASSERT_NOT_NULL(f);
        diag_list_print(&s->diags, f, false, desc_set_source_line, s);
        fclose(f);
        nl = strchr(buf, '\n');
        if (nl)
                *nl = '\0';
        while ((p = strstr(buf, dir)))
                memmove(p + 3, p + strlen(dir), strlen(p + strlen(dir)) + 1), memcpy(p, "DIR", 3);
        return buf;
}

static void expect_error(const char *extra, const char *want, const char *os_fmt) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        _cleanup_free_ char *got = NULL;

        write_desc(extra, os_fmt, dir);
        s = check(-EINVAL);
        got = first_diag(s);
        if (!streq(got, want))
                test_fail(__FILE__, __LINE__, "\n  expected: %s\n  got:      %s", want, got);
}

static const uint8_t seed[GUEST_DT_SEED_SIZE] = { 1, 2, 3, 4, 5, 6, 7, 8, [64] = 0xaa, [71] = 0x55 };

static void *build(DescSet *s, size_t *size) {
        void *fdt = NULL;
        char why[256];

        ASSERT_OK(desc_guest_dt(s, &s->units[0], seed, &fdt, size, why, sizeof(why)));
        ASSERT_OK(fdt_check_full(fdt, *size));
        return fdt;
}

static const fdt32_t *prop(const void *fdt, const char *path, const char *name, int want_len) {
        int node = fdt_path_offset(fdt, path), len = -1;
        const fdt32_t *v;

        if (node < 0)
                test_fail(__FILE__, __LINE__, "no node %s", path);
        v = fdt_getprop(fdt, node, name, &len);
        if (!v || (want_len >= 0 && len != want_len))
                test_fail(__FILE__, __LINE__, "%s:%s has length %d, expected %d", path, name, len, want_len);
        return v;
}

static uint64_t cell64(const fdt32_t *v, int i) {
        return (uint64_t) fdt32_to_cpu(v[2 * i]) << 32 | fdt32_to_cpu(v[2 * i + 1]);
}

static const char *const full_os =
        "os:\n"
        "  kernel: %1$s/Image\n"
        "  initramfs: %1$s/initramfs\n"
        "  command-line: console=ttyAMA0 earlycon\n"
        "  uart: {irq: 96}\n";

TEST(defaults_and_blob) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        struct warden_config_layout l;
        struct warden_config_error e;
        const struct warden_image *im;

        setup();
        write_files();
        write_desc("", full_os, dir);
        s = check(0);
        ASSERT_OK(warden_config_check_cell(s->units[0].blob, (uint32_t) s->units[0].blob_size, &l, &e));
        /* The kernel at the start of RAM (text_offset 0), the tree after image_size, the initramfs after it. */
        ASSERT_EQ(((const struct warden_cell *) warden_cfg_at(s->units[0].blob, l.cell))->entry, 0x78000000);
        /* x0 of the first entry: the tree, in its own 2 MiB block after the kernel. */
        ASSERT_TRUE(((const struct warden_cell *) warden_cfg_at(s->units[0].blob, l.cell))->flags &
                    WARDEN_CELL_ENTRY_ARG);
        ASSERT_EQ(((const struct warden_cell *) warden_cfg_at(s->units[0].blob, l.cell))->entry_arg, 0x7a200000);
        ASSERT_EQ(((const struct warden_policy *) warden_cfg_at(s->units[0].blob, l.policy))->num_images, 2);
        im = warden_cfg_at(s->units[0].blob, l.images);
        ASSERT_EQ(im[0].offset, 0);
        ASSERT_EQ(im[1].offset, 0x2400000);
        ASSERT_TRUE(strstr((const char *) warden_cfg_at(s->units[0].blob, l.strings) + im[1].path_offset, "/initramfs"));
        cleanup();
}

TEST(tree_loads_at_entry_arg) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        WardenImageLoad *loads = NULL;
        CellError e = {};
        size_t n = 0, size;
        char why[256];
        void *tree;

        setup();
        write_files();
        write_desc("", full_os, dir);
        s = check(0);
        ASSERT_OK(cell_images_plan(s->units[0].blob, s->units[0].blob_size, NULL, 0, &loads, &n, &e));
        ASSERT_EQ(n, 2u);
        ASSERT_OK(desc_guest_dt(s, &s->units[0], NULL, &tree, &size, why, sizeof(why)));
        ASSERT_OK(cell_images_add_tree(s->units[0].blob, s->units[0].blob_size, tree, size, &loads, &n, &e));
        /* Last, at the entry argument: region 0 starts at 0x7800_0000. */
        ASSERT_EQ(n, 3u);
        ASSERT_EQ(loads[2].region, 0u);
        ASSERT_EQ(loads[2].offset, 0x2200000u);
        ASSERT_EQ(loads[2].data_size, (uint64_t) size);
        ASSERT_EQ(fdt_magic(loads[2].data), FDT_MAGIC);
        ASSERT_OK(cell_images_check(s->units[0].blob, s->units[0].blob_size, loads, n, &e));
        warden_image_loads_free(loads, n);
        cleanup();
}

TEST(generated_tree) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        _cleanup_free_ void *fdt = NULL;
        const fdt32_t *v;
        size_t size;

        setup();
        write_files();
        write_desc("", full_os, dir);
        s = check(0);
        fdt = build(s, &size);

        /* Only the cell's CPUs, by MPIDR, started through PSCI over SMC. */
        ASSERT_EQ(fdt32_to_cpu(*prop(fdt, "/cpus/cpu@2", "reg", 4)), 2);
        ASSERT_EQ(fdt32_to_cpu(*prop(fdt, "/cpus/cpu@3", "reg", 4)), 3);
        ASSERT_TRUE(fdt_path_offset(fdt, "/cpus/cpu@1") < 0);
        ASSERT_STREQ((const char *) prop(fdt, "/cpus/cpu@2", "enable-method", -1), "psci");
        ASSERT_STREQ((const char *) prop(fdt, "/psci", "method", -1), "smc");
        ASSERT_STREQ((const char *) prop(fdt, "/psci", "compatible", -1), "arm,psci-1.0");

        v = prop(fdt, "/memory@78000000", "reg", 16);
        ASSERT_EQ(cell64(v, 0), 0x78000000);
        ASSERT_EQ(cell64(v, 1), 0x8000000);

        /* GICv3: the distributor, and the redistributor frames of CPUs 2 and 3 only. */
        v = prop(fdt, "/interrupt-controller@8000000", "reg", 32);
        ASSERT_EQ(cell64(v, 0), 0x08000000);
        ASSERT_EQ(cell64(v, 1), 0x10000);
        ASSERT_EQ(cell64(v, 2), 0x080a0000 + 2 * 0x20000);
        ASSERT_EQ(cell64(v, 3), 2 * 0x20000);

        v = prop(fdt, "/timer", "interrupts", 48);
        ASSERT_EQ(fdt32_to_cpu(v[0]), 1);       /* PPI */
        ASSERT_EQ(fdt32_to_cpu(v[1]), 13);
        ASSERT_EQ(fdt32_to_cpu(v[7]), 11);      /* the virtual timer, INTID 27 */

        v = prop(fdt, "/serial@9000000", "interrupts", 12);
        ASSERT_EQ(fdt32_to_cpu(v[0]), 0);       /* SPI */
        ASSERT_EQ(fdt32_to_cpu(v[1]), 96 - 32);
        ASSERT_EQ(cell64(prop(fdt, "/serial@9000000", "reg", 16), 0), 0x09000000);

        ASSERT_STREQ((const char *) prop(fdt, "/chosen", "bootargs", -1), "console=ttyAMA0 earlycon");
        ASSERT_STREQ((const char *) prop(fdt, "/chosen", "stdout-path", -1), "/serial@9000000");
        ASSERT_EQ(cell64(prop(fdt, "/chosen", "linux,initrd-start", 8), 0), 0x7a400000);
        ASSERT_EQ(cell64(prop(fdt, "/chosen", "linux,initrd-end", 8), 0), 0x7a400000 + INITRAMFS_SIZE);
        ASSERT_EQ(memcmp(prop(fdt, "/chosen", "rng-seed", 64), seed, 64), 0);
        ASSERT_EQ(memcmp(prop(fdt, "/chosen", "kaslr-seed", 8), seed + 64, 8), 0);
        cleanup();
}

/* CPUs 1 and 3: two redistributor regions; affinities from platform.mpidr; PSCI over HVC. */
TEST(redistributor_regions_and_mpidr) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        _cleanup_free_ void *fdt = NULL;
        _cleanup_free_ char *cmd = NULL;
        const fdt32_t *v;
        size_t size;

        setup();
        write_files();
        ASSERT_TRUE(asprintf(&cmd, "sed '0,/^  cpus: 0-3$/s//  cpus: 0-3\\n  mpidr: [0x0, 0x1, 0x100, 0x101]/' %s >%s/system.yaml",
                             system_path, dir) > 0);
        ASSERT_EQ(system(cmd), 0);
        snprintf(system_path, sizeof(system_path), "%s/system.yaml", dir);
        write_desc("", "os:\n  kernel: %1$s/Image\n  psci: hvc\n  uart: none\n", dir);
        /* the head says cpus: [2, 3]; make it 1 and 3 */
        free(cmd);
        ASSERT_TRUE(asprintf(&cmd, "sed -i 's/^cpus: \\[2, 3\\]$/cpus: [1, 3]/' %s/linux.yaml", dir) > 0);
        ASSERT_EQ(system(cmd), 0);
        s = check(0);
        fdt = build(s, &size);
        ASSERT_EQ(fdt32_to_cpu(*prop(fdt, "/cpus/cpu@1", "reg", 4)), 1);
        ASSERT_EQ(fdt32_to_cpu(*prop(fdt, "/cpus/cpu@101", "reg", 4)), 0x101);
        ASSERT_STREQ((const char *) prop(fdt, "/psci", "method", -1), "hvc");
        ASSERT_EQ(fdt32_to_cpu(*prop(fdt, "/interrupt-controller@8000000", "#redistributor-regions", 4)), 2);
        v = prop(fdt, "/interrupt-controller@8000000", "reg", 48);
        ASSERT_EQ(cell64(v, 2), 0x080a0000 + 1 * 0x20000);
        ASSERT_EQ(cell64(v, 3), 0x20000);
        ASSERT_EQ(cell64(v, 4), 0x080a0000 + 3 * 0x20000);
        ASSERT_EQ(cell64(v, 5), 0x20000);
        ASSERT_TRUE(fdt_path_offset(fdt, "/serial@9000000") < 0);
        ASSERT_TRUE(fdt_getprop(fdt, fdt_path_offset(fdt, "/chosen"), "stdout-path", NULL) == NULL);
        cleanup();
}

/* The head's irqs: [96] becomes [96, 97], for a UART and a power button. */
static void two_irqs(void) {
        _cleanup_free_ char *cmd = NULL;

        ASSERT_TRUE(asprintf(&cmd, "sed -i 's/^irqs: \\[96\\]$/irqs: [96, 97]/' %s/linux.yaml", dir) > 0);
        ASSERT_EQ(system(cmd), 0);
}

static const char *const button_os =
        "os:\n"
        "  kernel: %1$s/Image\n"
        "  uart: {irq: 96}\n"
        "  power-button: {irq: 97}\n";

/* The power button: in the blob, and in the tree as QEMU virt's PL061 and gpio-keys. */
TEST(power_button) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        _cleanup_free_ void *fdt = NULL;
        struct warden_config_layout l;
        struct warden_config_error e;
        const struct warden_cell *c;
        const fdt32_t *v;
        int gpio, key;
        size_t size;

        setup();
        write_files();
        write_desc("", button_os, dir);
        two_irqs();
        s = check(0);
        ASSERT_OK(warden_config_check_cell(s->units[0].blob, (uint32_t) s->units[0].blob_size, &l, &e));
        c = warden_cfg_at(s->units[0].blob, l.cell);
        ASSERT_TRUE(c->flags & WARDEN_CELL_POWER_BUTTON);
        ASSERT_EQ(c->button_base, 0x09030000);
        ASSERT_EQ(c->button_irq, 97);
        fdt = build(s, &size);

        ASSERT_STREQ((const char *) prop(fdt, "/gpio@9030000", "compatible", 24), "arm,pl061");
        ASSERT_EQ(memcmp(prop(fdt, "/gpio@9030000", "compatible", 24), "arm,pl061\0arm,primecell", 24), 0);
        v = prop(fdt, "/gpio@9030000", "reg", 16);
        ASSERT_EQ(cell64(v, 0), 0x09030000);
        ASSERT_EQ(cell64(v, 1), 0x1000);
        v = prop(fdt, "/gpio@9030000", "interrupts", 12);
        ASSERT_EQ(fdt32_to_cpu(v[0]), 0);       /* SPI */
        ASSERT_EQ(fdt32_to_cpu(v[1]), 97 - 32);
        ASSERT_EQ(fdt32_to_cpu(v[2]), 4);       /* level, high */
        prop(fdt, "/gpio@9030000", "gpio-controller", 0);
        ASSERT_EQ(fdt32_to_cpu(*prop(fdt, "/gpio@9030000", "#gpio-cells", 4)), 2);
        ASSERT_STREQ((const char *) prop(fdt, "/gpio@9030000", "clock-names", -1), "apb_pclk");
        ASSERT_EQ(fdt32_to_cpu(*prop(fdt, "/gpio@9030000", "clocks", 4)),
                  fdt32_to_cpu(*prop(fdt, "/apb-pclk", "phandle", 4)));

        ASSERT_STREQ((const char *) prop(fdt, "/gpio-keys", "compatible", -1), "gpio-keys");
        ASSERT_EQ(fdt32_to_cpu(*prop(fdt, "/gpio-keys/poweroff", "linux,code", 4)), 116);      /* KEY_POWER */
        v = prop(fdt, "/gpio-keys/poweroff", "gpios", 12);
        gpio = fdt_path_offset(fdt, "/gpio@9030000");
        key = fdt_node_offset_by_phandle(fdt, fdt32_to_cpu(v[0]));
        ASSERT_EQ(key, gpio);
        ASSERT_EQ(fdt32_to_cpu(v[1]), WARDEN_BUTTON_LINE);
        ASSERT_EQ(fdt32_to_cpu(v[2]), 0);       /* active high */
        cleanup();
}

/* A button and no UART: the clock is there all the same; none and absent are no button. */
TEST(power_button_alone_or_none) {
        setup();
        write_files();
        {
                _cleanup_(desc_set_freep) DescSet *s = NULL;
                _cleanup_free_ void *fdt = NULL;
                size_t size;

                write_desc("", "os:\n  kernel: %1$s/Image\n  uart: none\n  power-button: {base: 0x0a00_0000, irq: 96}\n",
                           dir);
                s = check(0);
                fdt = build(s, &size);
                ASSERT_TRUE(fdt_path_offset(fdt, "/serial@9000000") < 0);
                ASSERT_EQ(cell64(prop(fdt, "/gpio@a000000", "reg", 16), 0), 0x0a000000);
                prop(fdt, "/apb-pclk", "clock-frequency", 4);
        }
        for (int i = 0; i < 2; i++) {
                _cleanup_(desc_set_freep) DescSet *s = NULL;
                _cleanup_free_ void *fdt = NULL;
                struct warden_config_layout l;
                struct warden_config_error e;
                size_t size;

                write_desc("", i ? "os:\n  kernel: %1$s/Image\n  uart: none\n  power-button: none\n"
                                 : "os:\n  kernel: %1$s/Image\n  uart: none\n", dir);
                s = check(0);
                ASSERT_OK(warden_config_check_cell(s->units[0].blob, (uint32_t) s->units[0].blob_size, &l, &e));
                ASSERT_FALSE(((const struct warden_cell *) warden_cfg_at(s->units[0].blob, l.cell))->flags &
                             WARDEN_CELL_POWER_BUTTON);
                fdt = build(s, &size);
                ASSERT_TRUE(fdt_path_offset(fdt, "/gpio-keys") < 0);
                ASSERT_TRUE(fdt_path_offset(fdt, "/apb-pclk") < 0);
        }
        cleanup();
}

/* Each problem of the button at its key. */
static void expect_button_error(const char *want, const char *button) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        _cleanup_free_ char *got = NULL;

        write_desc("", "os:\n  kernel: %1$s/Image\n  uart: {irq: 96}\n  power-button: %2$s\n", dir, button);
        two_irqs();
        s = check(-EINVAL);
        got = first_diag(s);
        if (!streq(got, want))
                test_fail(__FILE__, __LINE__, "\n  expected: %s\n  got:      %s", want, got);
}

TEST(power_button_errors) {
        setup();
        write_files();
        expect_button_error("DIR/linux.yaml:12:23: error[os-power-button]: interrupt 98 is not one of the cell's: the power button's interrupt must be in its irqs",
                            "{irq: 98}");
        expect_button_error("DIR/linux.yaml:12:23: error[os-power-button]: interrupt 96 is the UART's: the power button needs one of its own",
                            "{irq: 96}");
        expect_button_error("DIR/linux.yaml:12:24: error[os-power-button]: the power button at 0x9000000 is on the UART's page",
                            "{base: 0x0900_0000, irq: 97}");
        expect_button_error("DIR/linux.yaml:12:24: error[os-power-button]: power button address 0x9030800 is not a multiple of 4 KiB",
                            "{base: 0x0903_0800, irq: 97}");
        expect_button_error("DIR/linux.yaml:12:24: error[os-power-button]: the power button (0x78000000-0x78000fff) overlaps region 'ram' (0x78000000-0x7fffffff)",
                            "{base: 0x7800_0000, irq: 97}");
        expect_button_error("DIR/linux.yaml:12:17: error[os]: the power button at 0x8000000 overlaps the GIC as the cell sees it",
                            "{base: 0x0800_0000, irq: 97}");
        cleanup();
}

/* A tree from a file: kept, /chosen completed; it is loaded as an image. */
TEST(file_tree) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        _cleanup_free_ void *fdt = NULL;
        size_t size;

        setup();
        write_files();
        write_desc("", "os:\n  kernel: %1$s/Image\n  initramfs: %1$s/initramfs\n  command-line: new\n"
                       "  device-tree: %1$s/cell.dtb\n  uart: none\n", dir);
        s = check(0);
        fdt = build(s, &size);
        ASSERT_STREQ((const char *) prop(fdt, "/", "model", -1), "from a file");
        ASSERT_STREQ((const char *) prop(fdt, "/chosen", "bootargs", -1), "new");
        ASSERT_EQ(cell64(prop(fdt, "/chosen", "linux,initrd-start", 8), 0), 0x7a400000);
        ASSERT_TRUE(fdt_path_offset(fdt, "/cpus") < 0);
        cleanup();
}

/* The source the printer writes reads back through dtc to the same tree. */
TEST(dts_printer_against_dtc) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        _cleanup_free_ void *fdt = NULL;
        _cleanup_free_ char *cmd = NULL;
        char path[256];
        size_t size;
        FILE *f;

        setup();
        if (system("dtc --version >/dev/null 2>&1") != 0) {
                printf("dtc not installed: skipped\n");
                cleanup();
                return;
        }
        write_files();
        write_desc("", full_os, dir);
        s = check(0);
        fdt = build(s, &size);
        write_file("built.dtb", fdt, size);
        snprintf(path, sizeof(path), "%s/printed.dts", dir);
        f = fopen(path, "we");
        ASSERT_NOT_NULL(f);
        ASSERT_OK(guest_dt_print(fdt, f));
        ASSERT_OK(fclose(f));
        ASSERT_TRUE(asprintf(&cmd, "cd %s && dtc -q -I dts -O dtb -o printed.dtb printed.dts && "
                                   "dtc -q -I dtb -O dts built.dtb >a.dts && dtc -q -I dtb -O dts printed.dtb >b.dts && "
                                   "cmp a.dts b.dts && grep -q 'compatible = \"arm,gic-v3\"' a.dts", dir) > 0);
        ASSERT_EQ(system(cmd), 0);
        cleanup();
}

TEST(errors_are_located) {
        setup();
        write_files();
        expect_error("", "DIR/linux.yaml:10:11: error[os-kernel]: kernel DIR/Image.gz is not an arm64 Linux Image: no \"ARM\\x64\" magic at offset 56",
                     "os:\n  kernel: %1$s/Image.gz\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:10:11: error[os-kernel]: cannot read kernel DIR/missing: No such file or directory",
                     "os:\n  kernel: %1$s/missing\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:12:16: error[os-device-tree]: device tree DIR/bad.dtb is not a valid device tree blob: FDT_ERR_TRUNCATED",
                     "os:\n  kernel: %1$s/Image\n  uart: none\n  device-tree: %1$s/bad.dtb\n");
        expect_error("", "DIR/linux.yaml:11:67: error[os-layout]: initramfs DIR/initramfs (0x79000000-0x790493df) overlaps the kernel DIR/Image (0x78000000-0x7a00ffff)",
                     "os:\n  kernel: %1$s/Image\n  initramfs: {file: %1$s/initramfs, address: 0x7900_0000}\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:12:14: error[os-kernel]: kernel DIR/Image at 0x78100000: an Image is loaded text_offset (0x0) past a 2 MiB boundary",
                     "os:\n  kernel:\n    file: %1$s/Image\n    address: 0x7810_0000\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:13:14: error[os-layout]: kernel DIR/Image: address 0x90000000 is in no memory region of the cell",
                     "os:\n  uart: none\n  kernel:\n    file: %1$s/Image\n    address: 0x9000_0000\n");
        expect_error("", "DIR/linux.yaml:11:26: error[os-device-tree]: device tree at 0x7a200004 is not 8-byte aligned",
                     "os:\n  kernel: %1$s/Image\n  device-tree: {address: 0x7a20_0004}\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:11:15: error[os-uart]: interrupt 97 is not one of the cell's: the UART's interrupt must be in its irqs",
                     "os:\n  kernel: %1$s/Image\n  uart: {irq: 97}\n");
        expect_error("", "DIR/linux.yaml:10:3: error[os-uart]: the virtual UART needs an interrupt the cell owns",
                     "os:\n  kernel: %1$s/Image\n");
        expect_error("", "DIR/linux.yaml:11:9: error[os]: the UART at 0x8000000 overlaps the GIC as the cell sees it",
                     "os:\n  kernel: %1$s/Image\n  uart: {base: 0x0800_0000, irq: 96}\n");
        expect_error("entry: 0x7800_0000\n", "DIR/linux.yaml:9:8: error[reference]: a cell that boots an OS ('os') has no 'entry': it starts at its kernel or boot loader",
                     "os:\n  kernel: %1$s/Image\n  uart: none\n");
        cleanup();
}

/* %v is the running kernel's release, %% a '%'; any other specifier is refused where it is. */
TEST(path_specifiers) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        char name[128];
        struct utsname u;

        setup();
        write_files();
        ASSERT_OK(uname(&u));
        snprintf(name, sizeof(name), "Image-%s", u.release);
        write_image(name, 0, true);
        write_image("50%", 0, true);
        write_desc("", "os:\n  kernel: %1$s/Image-%%v\n  uart: none\n", dir);
        s = check(0);
        desc_set_free(s);
        write_desc("", "os:\n  kernel: {file: '%1$s/50%%%%'}\n  uart: none\n", dir);
        s = check(0);
        expect_error("", "DIR/linux.yaml:10:11: error[os-path]: unknown specifier '%r' in path DIR/Image-%r",
                     "os:\n  kernel: %1$s/Image-%%r\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:11:14: error[os-initramfs]: cannot read initramfs DIR/none-%v: No such file or directory",
                     "os:\n  kernel: %1$s/Image\n  initramfs: %1$s/none-%%%%v\n  uart: none\n");
        cleanup();
}

/*
 * A boot loader instead of a kernel: the tree at the start of RAM, the loader at the next
 * 2 MiB boundary, where the cell starts with x0 = the tree; the loader is the blob's image.
 */
TEST(boot_loader) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        struct warden_config_layout l;
        struct warden_config_error e;
        const struct warden_cell *c;
        const struct warden_image *im;
        _cleanup_free_ char *out = NULL;
        size_t size = 0, dt_size;
        _cleanup_free_ void *fdt = NULL;
        DiagList diags = {};
        GuestPlan p;
        FILE *f;

        setup();
        write_files();
        write_desc("", "os:\n  boot-loader: %1$s/loader.bin\n  uart: {irq: 96}\n", dir);
        s = check(0);
        ASSERT_OK(warden_config_check_cell(s->units[0].blob, (uint32_t) s->units[0].blob_size, &l, &e));
        c = warden_cfg_at(s->units[0].blob, l.cell);
        ASSERT_EQ(c->entry, 0x78200000);
        ASSERT_TRUE(c->flags & WARDEN_CELL_ENTRY_ARG);
        ASSERT_TRUE(c->flags & WARDEN_CELL_UART);
        ASSERT_EQ(c->entry_arg, 0x78000000);
        ASSERT_EQ(((const struct warden_policy *) warden_cfg_at(s->units[0].blob, l.policy))->num_images, 1);
        im = warden_cfg_at(s->units[0].blob, l.images);
        ASSERT_EQ(im[0].offset, 0x200000);
        ASSERT_TRUE(strstr((const char *) warden_cfg_at(s->units[0].blob, l.strings) + im[0].path_offset, "/loader.bin"));
        fdt = build(s, &dt_size);
        ASSERT_STREQ((const char *) prop(fdt, "/chosen", "stdout-path", -1), "/serial@9000000");
        /* cellctl show writes the boot loader, not a kernel. */
        f = open_memstream(&out, &size);
        ASSERT_NOT_NULL(f);
        ASSERT_OK(guest_plan(s->units[0].source->root, warden_cfg_at(s->units[0].blob, l.regions), c->num_regions,
                             warden_cfg_at(s->units[0].blob, l.irqs), c->num_irqs, &diags, &p));
        ASSERT_EQ(p.entry, GUEST_BOOT_LOADER);
        ASSERT_OK(desc_decode_os(s->units[0].blob, s->units[0].blob_size, &p, f, &e));
        ASSERT_OK(fclose(f));
        ASSERT_TRUE(strstr(out, "os:\n  boot-loader:\n    file: ") != NULL);
        ASSERT_TRUE(strstr(out, "    address: 0x78200000\n  device-tree:\n    address: 0x78000000\n") != NULL);
        ASSERT_TRUE(strstr(out, "kernel") == NULL);
        /* The blob alone: what it cannot give back is said, with what it holds. */
        free(out);
        out = NULL;
        f = open_memstream(&out, &size);
        ASSERT_NOT_NULL(f);
        ASSERT_OK(desc_decode(s->units[0].blob, s->units[0].blob_size, f, &e));
        ASSERT_OK(fclose(f));
        ASSERT_TRUE(strstr(out, "# This cell boots an OS: the blob has its images and entry") != NULL);
        ASSERT_TRUE(strstr(out, "#   x0 at entry (the device tree): 0x78000000\n") != NULL);
        ASSERT_TRUE(strstr(out, "#   virtual UART: 0x9000000, interrupt 96\n") != NULL);
        ASSERT_TRUE(strstr(out, "entry: 0x78200000\n") != NULL);
        diag_list_done(&diags);
        cleanup();
}

TEST(boot_loader_errors) {
        setup();
        write_files();
        expect_error("", "DIR/linux.yaml:10:16: error[os-boot-loader]: boot loader DIR/loader.elf is an ELF file, not a raw binary",
                     "os:\n  boot-loader: %1$s/loader.elf\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:10:16: error[os-boot-loader]: boot loader DIR/Image is an arm64 Linux Image",
                     "os:\n  boot-loader: %1$s/Image\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:10:16: error[os-boot-loader]: cannot read boot loader DIR/missing: No such file or directory",
                     "os:\n  boot-loader: %1$s/missing\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:10:16: error[os-boot-loader]: boot loader DIR/empty is empty",
                     "os:\n  boot-loader: %1$s/empty\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:12:14: error[os-boot-loader]: boot loader DIR/loader.bin at 0x78200002: the CPU starts at its first byte, which must be 4-byte aligned",
                     "os:\n  boot-loader:\n    file: %1$s/loader.bin\n    address: 0x7820_0002\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:12:14: error[os-layout]: boot loader DIR/loader.bin (0x78000000-0x78000017) overlaps the device tree (generated) (0x78000000-0x7800ffff)",
                     "os:\n  boot-loader:\n    file: %1$s/loader.bin\n    address: 0x7800_0000\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:12:14: error[os-layout]: boot loader DIR/loader.bin does not fit region 'ram': it needs 0x7ffffff0-0x80000007, the region ends at 0x7fffffff",
                     "os:\n  boot-loader:\n    file: %1$s/loader.bin\n    address: 0x7fff_fff0\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:11:16: error[os-boot-loader]: an OS starts at its kernel or at its boot loader, not both",
                     "os:\n  kernel: %1$s/Image\n  boot-loader: %1$s/loader.bin\n  uart: none\n");
        expect_error("", "DIR/linux.yaml:10:3: error[os-kernel]: an OS needs a kernel or a boot loader to start at",
                     "os:\n  uart: none\n");
        cleanup();
}

/* Too little RAM for the kernel's image_size, and an initramfs that does not fit. */
TEST(does_not_fit) {
        _cleanup_free_ char *cmd = NULL;

        setup();
        write_files();
        expect_error("", "DIR/linux.yaml:11:67: error[os-layout]: initramfs DIR/initramfs does not fit region 'ram': it needs 0x7ffc0000-0x800093df, the region ends at 0x7fffffff",
                     "os:\n  kernel: %1$s/Image\n  initramfs: {file: %1$s/initramfs, address: 0x7ffc_0000}\n  uart: none\n");
        write_desc("", "os:\n  kernel: %1$s/Image\n  uart: none\n", dir);
        ASSERT_TRUE(asprintf(&cmd, "sed -i 's/size: 128M/size: 16M/' %s/linux.yaml", dir) > 0);
        ASSERT_EQ(system(cmd), 0);
        {
                _cleanup_(desc_set_freep) DescSet *s = check(-EINVAL);
                _cleanup_free_ char *got = first_diag(s);

                ASSERT_STREQ(got, "DIR/linux.yaml:10:11: error[os-layout]: kernel DIR/Image does not fit region 'ram': it needs 0x78000000-0x7a00ffff, the region ends at 0x78ffffff");
        }
        cleanup();
}

DEFINE_TEST_MAIN
