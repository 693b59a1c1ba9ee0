/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * warden hardware check and warden config create on trees captured from the emulated machine
 * (tests/hw/capture): the reference machine, the same with VHE, without EL2, with KVM owning
 * EL2, and GICv2 on a Cortex-A53; and on changed copies of them (no carve-out, no device tree,
 * too many CPUs, no kernel log).
 */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desc-set.h"
#include "log.h"
#include "tests.h"
#include "warden-hwcheck.h"

#define FIXTURES "tests/hw"

static char dir[] = "/tmp/test-warden-hw.XXXXXX";

static void remove_dir(void) {
        char *cmd;

        if (asprintf(&cmd, "rm -rf '%s'", dir) > 0 && system(cmd) != 0)
                fprintf(stderr, "could not remove %s\n", dir);
        free(cmd);
}

/* The tests run from the repository root (tests/run) or from celld/ (make check). */
static void setup(void) {
        struct stat st;

        if (stat(FIXTURES, &st) < 0)
                ASSERT_OK(chdir(".."));
        ASSERT_OK(stat(FIXTURES, &st));
        if (dir[sizeof(dir) - 2] == 'X') {
                ASSERT_NOT_NULL(mkdtemp(dir));
                atexit(remove_dir);
        }
}

/* Unpacks tests/hw/NAME.tar.gz into a fresh directory; returns its path. */
static char *unpack(const char *name) {
        char *root, *cmd;

        setup();
        ASSERT_TRUE(asprintf(&root, "%s/%s", dir, name) > 0);
        ASSERT_TRUE(asprintf(&cmd, "rm -rf '%s' && mkdir -p '%s' && tar -xzf " FIXTURES "/%s.tar.gz -C '%s'", root,
                             root, name, root) > 0);
        ASSERT_EQ(system(cmd), 0);
        free(cmd);
        return root;
}

static void write_text(const char *root, const char *rel, const char *text) {
        char *p;
        FILE *f;

        ASSERT_TRUE(asprintf(&p, "%s/%s", root, rel) > 0);
        f = fopen(p, "we");
        ASSERT_NOT_NULL(f);
        ASSERT_TRUE(fputs(text, f) >= 0);
        ASSERT_EQ(fclose(f), 0);
        free(p);
}

static void run_shell(const char *fmt, const char *root) {
        char *cmd;

        ASSERT_TRUE(asprintf(&cmd, fmt, root) > 0);
        ASSERT_EQ(system(cmd), 0);
        free(cmd);
}

static HwMachine *load(const char *root) {
        HwMachine *m = NULL;

        ASSERT_OK(hw_machine_load(root, &m));
        return m;
}

static const char *reason_of(const HwChecks *c, const char *id) {
        for (size_t i = 0; i < c->n; i++)
                if (streq(c->items[i].id, id))
                        return c->items[i].reason;
        return "";
}

/* Checks the machine; @missing lists the ids expected missing ("" none), every other is ok. */
static void expect_checks(const char *root, const char *const *missing, const char *const *warning) {
        _cleanup_(hw_machine_freep) HwMachine *m = load(root);
        HwChecks c;

        ASSERT_OK(hw_checks_run(m, &c));
        ASSERT_EQ(c.n, 9);
        for (size_t i = 0; i < c.n; i++) {
                HwStatus want = HW_OK;

                for (const char *const *s = missing; *s; s++)
                        if (streq(*s, c.items[i].id))
                                want = HW_MISSING;
                for (const char *const *s = warning; *s; s++)
                        if (streq(*s, c.items[i].id))
                                want = HW_WARNING;
                if (c.items[i].status != want)
                        test_fail(__FILE__, __LINE__, "%s: check %s is %s (%s), expected %s", root, c.items[i].id,
                                  hw_status_to_string(c.items[i].status), c.items[i].reason,
                                  hw_status_to_string(want));
        }
        ASSERT_EQ(hw_checks_ready(&c), !*missing);
        hw_checks_done(&c);
}

/* warden config create's text for @root, or NULL when it refused. */
static char *config_text(const char *root) {
        _cleanup_(hw_machine_freep) HwMachine *m = load(root);
        char *text = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&text, &size);
        int r;

        ASSERT_NOT_NULL(f);
        r = hw_config_write(m, f);
        ASSERT_EQ(fclose(f), 0);
        if (r < 0) {
                ASSERT_EQ(size, 0);
                free(text);
                return NULL;
        }
        return text;
}

/* The generated description compiles, checked together with hello (cells.d/hello.yaml). */
static void expect_valid(const char *root, const char *text) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        char *path;

        ASSERT_TRUE(asprintf(&path, "%s/system.yaml", root) > 0);
        write_text("/", path, text);
        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, path, NULL));
        ASSERT_OK(desc_set_add(s, "cells.d/hello.yaml", NULL));
        if (desc_set_check(s) < 0 || s->diags.n_errors > 0) {
                diag_list_print(&s->diags, stderr, false, desc_set_source_line, s);
                test_fail(__FILE__, __LINE__, "%s does not compile", path);
        }
        for (size_t i = 0; i < s->n; i++)
                ASSERT_NOT_NULL(s->units[i].blob);
        free(path);
}

static void expect_has(const char *text, const char *needle) {
        if (!strstr(text, needle))
                test_fail(__FILE__, __LINE__, "\"%s\" not in:\n%s", needle, text);
}

TEST(reference_machine_checks_ok) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv3");
        _cleanup_(hw_machine_freep) HwMachine *m = load(root);
        HwChecks c;

        expect_checks(root, (const char *[]) { NULL }, (const char *[]) { NULL });
        ASSERT_OK(hw_checks_run(m, &c));
        ASSERT_NOT_NULL(strstr(reason_of(&c, "gic"), "GICv3 (/intc@8000000"));
        ASSERT_NOT_NULL(strstr(reason_of(&c, "pa-range"), "44 bits (Cortex-A57)"));
        ASSERT_NOT_NULL(strstr(reason_of(&c, "carve-out"), "256 MiB at 0x70000000-0x7fffffff"));
        ASSERT_NOT_NULL(strstr(reason_of(&c, "carve-out"), "mem=768M"));
        ASSERT_NOT_NULL(strstr(reason_of(&c, "cpus"), "4 CPUs"));
        hw_checks_done(&c);
}

TEST(checks_json) {
        _cleanup_free_ char *root = unpack("qemu-virt-vhe"), *out = NULL;
        _cleanup_(hw_machine_freep) HwMachine *m = load(root);
        size_t size = 0;
        FILE *f = open_memstream(&out, &size);
        HwChecks c;

        ASSERT_OK(hw_checks_run(m, &c));
        ASSERT_OK(hw_checks_print(&c, true, f));
        ASSERT_EQ(fclose(f), 0);
        expect_has(out, "\"ready\":false");
        expect_has(out, "{\"name\":\"vhe\",\"title\":\"No VHE\",\"status\":\"missing\"");
        hw_checks_done(&c);
}

TEST(vhe_is_missing) {
        _cleanup_free_ char *root = unpack("qemu-virt-vhe");

        /* QEMU's max CPU is in no table of physical address ranges. */
        expect_checks(root, (const char *[]) { "vhe", NULL }, (const char *[]) { "pa-range", NULL });
        /* id_aa64mmfr1.vh=0 turns it off for Linux. */
        write_text(root, "proc/cmdline", "console=ttyAMA0 kvm-arm.mode=none id_aa64mmfr1.vh=0 mem=768M\n");
        expect_checks(root, (const char *[]) { NULL }, (const char *[]) { "pa-range", NULL });
}

TEST(no_el2_is_missing) {
        _cleanup_free_ char *root = unpack("qemu-virt-no-el2");

        /* Without EL2 QEMU's firmware-less PSCI is by HVC. */
        expect_checks(root, (const char *[]) { "el2", "psci", NULL }, (const char *[]) { NULL });
}

TEST(kvm_is_missing) {
        _cleanup_free_ char *root = unpack("qemu-virt-kvm");

        expect_checks(root, (const char *[]) { "kvm", NULL }, (const char *[]) { NULL });
}

TEST(gicv2_checks_ok) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv2");
        _cleanup_(hw_machine_freep) HwMachine *m = load(root);
        HwChecks c;

        expect_checks(root, (const char *[]) { NULL }, (const char *[]) { NULL });
        ASSERT_OK(hw_checks_run(m, &c));
        ASSERT_NOT_NULL(strstr(reason_of(&c, "gic"), "GICv2 with the virtualization extensions"));
        ASSERT_NOT_NULL(strstr(reason_of(&c, "pa-range"), "40 bits (Cortex-A53)"));
        hw_checks_done(&c);
}

TEST(gicv2_without_virtualization_is_missing) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv2");
        _cleanup_free_ char *text = NULL;

        /* Keep the first two reg entries only: GICD and GICC. */
        run_shell("head -c 32 %1$s/sys/firmware/devicetree/base/intc@8000000/reg > %1$s/reg && "
                  "mv %1$s/reg %1$s/sys/firmware/devicetree/base/intc@8000000/reg", root);
        expect_checks(root, (const char *[]) { "gic", NULL }, (const char *[]) { NULL });
        text = config_text(root);
        ASSERT_NULL(text);
}

TEST(no_carveout_is_missing) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv3");
        _cleanup_free_ char *text = NULL;

        /* Linux booted without mem=: all of RAM is System RAM. */
        write_text(root, "proc/cmdline", "console=ttyAMA0 kvm-arm.mode=none\n");
        write_text(root, "proc/iomem", "08000000-0800ffff : GICD\n40000000-7fffffff : System RAM\n"
                                       "  40210000-4185ffff : Kernel code\n");
        expect_checks(root, (const char *[]) { "carve-out", NULL }, (const char *[]) { NULL });
        text = config_text(root);
        ASSERT_NULL(text);
}

TEST(small_carveout_warns) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv3");

        write_text(root, "proc/iomem", "40000000-7f7fffff : System RAM\n");
        expect_checks(root, (const char *[]) { NULL }, (const char *[]) { "carve-out", NULL });
}

TEST(reserved_memory_no_map_is_a_carveout) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv3");
        _cleanup_free_ char *text = NULL;

        /* Without mem=: a warden@78000000 reserved-memory node (no-map) keeps 128 MiB from Linux. */
        write_text(root, "proc/cmdline", "console=ttyAMA0 kvm-arm.mode=none\n");
        write_text(root, "proc/iomem", "40000000-77ffffff : System RAM\n78000000-7fffffff : reserved\n");
        run_shell("d=%s/sys/firmware/devicetree/base/reserved-memory; mkdir -p $d/warden@78000000 $d/optee@70000000 && "
                  "printf '\\0\\0\\0\\2' > $d/'#address-cells' && printf '\\0\\0\\0\\2' > $d/'#size-cells' && "
                  ": > $d/ranges && "
                  "printf '\\0\\0\\0\\0\\x78\\0\\0\\0\\0\\0\\0\\0\\x08\\0\\0\\0' > $d/warden@78000000/reg && "
                  ": > $d/warden@78000000/no-map", root);
        expect_checks(root, (const char *[]) { NULL }, (const char *[]) { NULL });
        text = config_text(root);
        ASSERT_NOT_NULL(text);
        expect_has(text, "  memory:\n    base: 0x7800_0000\n    size: 16M\n");
        expect_has(text, "    - name: ram\n      base: 0x4000_0000\n      size: 896M\n");
}

TEST(too_many_cpus_is_missing) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv3");

        write_text(root, "sys/devices/system/cpu/possible", "0-8\n");
        expect_checks(root, (const char *[]) { "cpus", NULL }, (const char *[]) { NULL });
}

TEST(no_kernel_log_warns) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv3");

        run_shell("rm %s/kernel.log", root);
        /* The command line still says kvm-arm.mode=none. */
        expect_checks(root, (const char *[]) { NULL }, (const char *[]) { "el2", "vhe", NULL });
}

TEST(warden_loaded_answers_for_el2) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv3");

        run_shell("rm %1$s/kernel.log && mkdir %1$s/sys/module/warden", root);
        expect_checks(root, (const char *[]) { NULL }, (const char *[]) { NULL });
}

TEST(no_device_tree) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv3");
        _cleanup_free_ char *text = NULL;
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        run_shell("rm -r %s/sys/firmware/devicetree", root);
        expect_checks(root, (const char *[]) { "devicetree", "gic", "psci", "carve-out", NULL },
                      (const char *[]) { NULL });
        /* config create says what is missing, and writes nothing. */
        f = open_memstream(&buf, &size);
        ASSERT_NOT_NULL(f);
        log_set_output(f);
        text = config_text(root);
        log_set_output(NULL);
        ASSERT_EQ(fclose(f), 0);
        ASSERT_NULL(text);
        expect_has(buf, "sys/firmware/devicetree/base: no device tree");
        free(buf);
}

TEST(config_reference_machine) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv3");
        _cleanup_free_ char *text = config_text(root);

        ASSERT_NOT_NULL(text);
        expect_valid(root, text);
        /* What cells.d/system.yaml says of the same machine. */
        expect_has(text, "  cpus: 0-3\n");
        expect_has(text, "    - base: 0x4000_0000\n      size: 1G\n");
        expect_has(text, "    version: 3\n    distributor: 0x0800_0000 ");
        expect_has(text, "    redistributors: 0x080a_0000 ");
        expect_has(text, "    type: pl011\n    base: 0x0900_0000 ");
        expect_has(text, "    irq: 33 ");
        expect_has(text, "  memory:\n    base: 0x7000_0000\n    size: 16M\n");
        expect_has(text, "    - name: ram\n      base: 0x4000_0000\n      size: 768M\n");
        expect_has(text, "      base: 0x40_1000_0000\n      size: 256M\n");
        expect_has(text, "      base: 0x80_0000_0000\n      size: 512G\n");
        expect_has(text, "  irqs: [\"33-39\", \"48-79\"]\n");
        /* Where the values came from. */
        expect_has(text, "CPU 3: /cpus/cpu@3, MPIDR 0x3 (reg), MIDR 0x411fd070 (Cortex-A57");
        expect_has(text, "(mem=768M on the kernel command line)");
        expect_has(text, "/pcie@10000000 (pci-host-ecam-generic)");
        expect_has(text, "\"GICv3: 224 SPIs implemented\"");
        /* The highest free INTID of the block of the devices' highest SPI, 79. */
        expect_has(text, "  event-irq: 95\n");
}

TEST(config_gicv2) {
        _cleanup_free_ char *root = unpack("qemu-virt-gicv2");
        _cleanup_free_ char *text = config_text(root);

        ASSERT_NOT_NULL(text);
        expect_valid(root, text);
        expect_has(text, "    version: 2 ");
        expect_has(text, "    distributor: 0x0800_0000 ");
        expect_has(text, "    cpu-interface: 0x0801_0000 ");
        expect_has(text, "    hypervisor-interface: 0x0803_0000 ");
        expect_has(text, "    virtual-cpu-interface: 0x0804_0000 ");
        expect_has(text, "Cortex-A53, 40-bit");
        /* GICv2m's 64 MSI SPIs (80-143, from the kernel log) fill root's list up to 64 entries. */
        expect_has(text, "MSIs on INTID 80-143");
        expect_has(text, "  irqs: [\"33-39\", \"48-104\"]\n");
        expect_has(text, "# Left out for the limit, although devices use them: 105-143\n");
        expect_has(text, "  event-irq: 159\n");
}

DEFINE_TEST_MAIN
