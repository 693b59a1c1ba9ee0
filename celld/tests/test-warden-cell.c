/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * warden cell: cell names and ids, descriptions found by name, where images go and whether
 * they fit (no module needed).
 */
#include <fcntl.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warden/config.h>

#include "log.h"
#include "tests.h"
#include "warden-cell.h"
#include "warden-system.h"

#define SYSTEM "cells.d/system.yaml"
#define IMAGES "tests/desc/valid/images.yaml"
#define MINIMAL "tests/desc/valid/minimal.yaml"

static char dir[] = "/tmp/test-warden-cell.XXXXXX";
static char *log_buf;
static size_t log_size;
static FILE *log_stream;

/* The tests run from the repository root (tests/run) or from celld/ (make check). */
static void setup(void) {
        struct stat st;

        if (stat(SYSTEM, &st) < 0)
                ASSERT_OK(chdir(".."));
        ASSERT_OK(stat(SYSTEM, &st));
        if (dir[sizeof(dir) - 2] == 'X')
                ASSERT_NOT_NULL(mkdtemp(dir));
}

static char *tmp_path(const char *name) {
        char *p;

        setup();
        ASSERT_TRUE(asprintf(&p, "%s/%s", dir, name) > 0);
        return p;
}

static void write_file(const char *path, const void *data, size_t size) {
        FILE *f = fopen(path, "wb");

        ASSERT_NOT_NULL(f);
        ASSERT_EQ(fwrite(data, 1, size, f), size);
        ASSERT_EQ(fclose(f), 0);
}

static void copy_file(const char *from, const char *to) {
        _cleanup_free_ char *cmd = NULL;

        ASSERT_TRUE(asprintf(&cmd, "cp '%s' '%s'", from, to) > 0);
        ASSERT_EQ(system(cmd), 0);
}

static void mkdir_p(const char *path) {
        _cleanup_free_ char *cmd = NULL;

        ASSERT_TRUE(asprintf(&cmd, "mkdir -p '%s'", path) > 0);
        ASSERT_EQ(system(cmd), 0);
}

static void capture_begin(void) {
        log_stream = open_memstream(&log_buf, &log_size);
        ASSERT_NOT_NULL(log_stream);
        log_set_output(log_stream);
}

static char *capture_end(void) {
        log_set_output(NULL);
        fclose(log_stream);
        return TAKE_PTR(log_buf);
}

/* The diagnostics go to stderr: captured through a file. */
static int saved_stderr = -1;
static char *diag_file;

static void diags_begin(void) {
        int fd;

        fflush(stderr);
        free(diag_file);
        diag_file = tmp_path("diags.txt");
        fd = open(diag_file, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0644);
        ASSERT_TRUE(fd >= 0);
        saved_stderr = dup(STDERR_FILENO);
        ASSERT_TRUE(saved_stderr >= 0);
        ASSERT_TRUE(dup2(fd, STDERR_FILENO) >= 0);
        close(fd);
}

static char *diags_end(void) {
        char *text = NULL;
        size_t n = 0;
        FILE *f;

        fflush(stderr);
        ASSERT_TRUE(dup2(saved_stderr, STDERR_FILENO) >= 0);
        close(saved_stderr);
        f = fopen(diag_file, "re");
        ASSERT_NOT_NULL(f);
        ASSERT_TRUE(getdelim(&text, &n, '\0', f) >= 0 || feof(f));
        fclose(f);
        unlink(diag_file);
        return text ?: strdup("");
}

#define ASSERT_LOGGED(log, text)                                                        \
        do {                                                                            \
                if (!strstr((log), (text)))                                             \
                        test_fail(__FILE__, __LINE__, "'%s' not in '%s'", (text), (log)); \
        } while (0)

/* A compiled cell description; the diagnostics (warnings) are not looked at. */
static void compile(const char *path, void **blob, size_t *size) {
        _cleanup_free_ char *root = tmp_path("empty-root");
        _cleanup_free_ char *log = NULL;

        mkdir_p(root);
        capture_begin();
        ASSERT_OK(warden_cell_desc_load(path, root, "cell test", false, blob, size, NULL, NULL, NULL));
        log = capture_end();
}

TEST(ref_parse) {
        uint32_t id = 0;

        ASSERT_EQ(warden_cell_ref_parse("1", &id), 1);
        ASSERT_EQ(id, 1);
        ASSERT_EQ(warden_cell_ref_parse("4294967295", &id), 1);
        ASSERT_EQ(id, UINT32_MAX);
        ASSERT_EQ(warden_cell_ref_parse("007", &id), 1);
        ASSERT_EQ(id, 7);
        ASSERT_EQ(warden_cell_ref_parse("hello", &id), 0);
        ASSERT_EQ(warden_cell_ref_parse("gic-demo", &id), 0);
        ASSERT_EQ(warden_cell_ref_parse("3d", &id), 0);
        ASSERT_EQ(warden_cell_ref_parse("-1", &id), 0);
        ASSERT_ERROR(warden_cell_ref_parse("0", &id), EINVAL);
        ASSERT_ERROR(warden_cell_ref_parse("4294967296", &id), EINVAL);
        ASSERT_ERROR(warden_cell_ref_parse("99999999999999999999999", &id), EINVAL);
}

TEST(desc_find) {
        _cleanup_free_ char *root = tmp_path("root");
        _cleanup_free_ char *p = NULL, *etc = NULL, *lib = NULL, *share = NULL, *masked = NULL;

        ASSERT_TRUE(asprintf(&etc, "%s/etc/cells.d", root) > 0);
        ASSERT_TRUE(asprintf(&lib, "%s/usr/lib/cells.d", root) > 0);
        ASSERT_TRUE(asprintf(&share, "%s/usr/share/warden/cells.d", root) > 0);
        mkdir_p(etc);
        mkdir_p(lib);
        mkdir_p(share);

        /* Installed only. */
        free(p), p = tmp_path("root/usr/share/warden/cells.d/images.yaml");
        copy_file(IMAGES, p);
        free(p), p = NULL;
        ASSERT_OK(warden_desc_find(root, "images", &p));
        ASSERT_NOT_NULL(strstr(p, "/usr/share/warden/cells.d/images.yaml"));

        /* /etc overrides, whatever the extension. */
        free(p), p = tmp_path("root/etc/cells.d/images.json");
        write_file(p, "{}", 2);
        free(p), p = NULL;
        ASSERT_OK(warden_desc_find(root, "images", &p));
        ASSERT_NOT_NULL(strstr(p, "/etc/cells.d/images.json"));

        /* A mask hides the lower files. */
        free(p), p = tmp_path("root/usr/lib/cells.d/minimal.yaml");
        copy_file(MINIMAL, p);
        masked = tmp_path("root/etc/cells.d/minimal.yaml");
        ASSERT_OK(symlink("/dev/null", masked));
        free(p), p = NULL;
        ASSERT_ERROR(warden_desc_find(root, "minimal", &p), ENOENT);
        ASSERT_ERROR(warden_desc_find(root, "nosuch", &p), ENOENT);
        ASSERT_NULL(p);
}

TEST(desc_load_by_name) {
        _cleanup_free_ char *root = tmp_path("root");
        _cleanup_free_ char *log = NULL, *path = NULL, *p = NULL;
        void *blob = NULL;
        size_t size = 0;

        /* desc_find made root/usr/share/warden/cells.d/images.yaml; drop the /etc override. */
        p = tmp_path("root/etc/cells.d/images.json");
        ASSERT_OK(unlink(p));
        diags_begin();
        ASSERT_OK(warden_cell_desc_load("images", root, "cell create", false, &blob, &size, NULL, NULL, &path));
        log = diags_end();
        ASSERT_NOT_NULL(strstr(path, "/usr/share/warden/cells.d/images.yaml"));
        ASSERT_STREQ(((const struct warden_config_header *) blob)->name, "images");
        ASSERT_EQ(((const struct warden_config_header *) blob)->kind, WARDEN_CONFIG_CELL);
        /* No system description there: the cell was compiled alone, with a warning. */
        ASSERT_LOGGED(log, "images.yaml: warning[system-missing]");
        free(blob);
        free(log);

        capture_begin();
        ASSERT_ERROR(warden_cell_desc_load("nosuch", root, "cell create", false, &blob, &size, NULL, NULL, NULL), ENOENT);
        log = capture_end();
        ASSERT_LOGGED(log, "nosuch: no such file, and no description of cell 'nosuch' in /etc/cells.d, "
                           "/run/cells.d, /usr/lib/cells.d or /usr/share/warden/cells.d");
}

TEST(desc_load_refusals) {
        static const char cpu9[] =
                "cell: cpu9\n"
                "cpus: [9]\n"
                "memory:\n"
                "  - name: ram\n"
                "    host: 0x7120_0000\n"
                "    size: 64K\n"
                "    access: [read, write, execute]\n"
                "entry: 0x7120_0000\n";
        static const char bad[] = "cell: bad\ncpus: [2]\nbogus: 1\n";
        _cleanup_free_ char *root = tmp_path("sysroot"), *etc = NULL, *sys = NULL;
        _cleanup_free_ char *cpu9_path = tmp_path("cpu9.yaml"), *bad_path = tmp_path("bad.yaml");
        char *log;
        void *blob = NULL;
        size_t size;

        ASSERT_TRUE(asprintf(&etc, "%s/etc/cells.d", root) > 0);
        mkdir_p(etc);
        ASSERT_TRUE(asprintf(&sys, "%s/system.yaml", etc) > 0);
        copy_file(SYSTEM, sys);
        write_file(cpu9_path, cpu9, sizeof(cpu9) - 1);
        write_file(bad_path, bad, sizeof(bad) - 1);

        /* Fine on its own; against the machine's description, CPU 9 does not exist. */
        compile(cpu9_path, &blob, &size);
        free(blob);
        blob = NULL;
        diags_begin();
        capture_begin();
        ASSERT_ERROR(warden_cell_desc_load(cpu9_path, root, "cell create", false, &blob, &size, NULL, NULL, NULL), EINVAL);
        log = capture_end();
        ASSERT_LOGGED(log, "cpu9.yaml: 1 error in the description; the module was not asked");
        free(log);
        log = diags_end();
        ASSERT_LOGGED(log, "cpu9.yaml:2:7: error[cpu]: CPU 9 does not exist on this platform");
        ASSERT_NULL(blob);
        free(log);

        /* A schema error, located. */
        diags_begin();
        capture_begin();
        ASSERT_ERROR(warden_cell_desc_load(bad_path, root, "cell create", false, &blob, &size, NULL, NULL, NULL), EINVAL);
        log = capture_end();
        ASSERT_LOGGED(log, "the module was not asked");
        free(log);
        log = diags_end();
        ASSERT_LOGGED(log, "bad.yaml:3:1: error[schema-additional]");
        free(log);

        /* A system description is not a cell's. */
        capture_begin();
        ASSERT_ERROR(warden_cell_desc_load(SYSTEM, root, "cell create", false, &blob, &size, NULL, NULL, NULL), EINVAL);
        log = capture_end();
        ASSERT_LOGGED(log, SYSTEM " is a system description: cell create takes a cell description");
        free(log);
        unlink(cpu9_path);
        unlink(bad_path);
}

TEST(plan_images_from_blob) {
        WardenImageLoad *l = NULL;
        void *blob = NULL;
        size_t size, n = 0;

        setup();
        compile(IMAGES, &blob, &size);
        ASSERT_OK(warden_cell_plan_images(blob, size, NULL, 0, &l, &n));
        ASSERT_EQ(n, 3);
        ASSERT_STREQ(l[0].path, "/usr/lib/warden/inmates/code.bin");
        ASSERT_EQ(l[0].region, 0);
        ASSERT_EQ(l[0].offset, 0);
        ASSERT_STREQ(l[1].path, "/usr/lib/warden/inmates/data.bin");
        ASSERT_EQ(l[1].region, 1);
        ASSERT_EQ(l[1].offset, 0);
        ASSERT_STREQ(l[2].path, "/opt/a \"quoted\", \\back\\slashed path.bin");
        ASSERT_EQ(l[2].region, 1);
        ASSERT_EQ(l[2].offset, 0x80000);
        warden_image_loads_free(l, n);
        free(blob);

        /* A description without images: nothing to do. */
        compile(MINIMAL, &blob, &size);
        ASSERT_OK(warden_cell_plan_images(blob, size, NULL, 0, &l, &n));
        ASSERT_EQ(n, 0);
        ASSERT_NULL(l);
        free(blob);
}

TEST(plan_images_from_arguments) {
        char *specs[] = { "a.bin", "b.bin@0x100010", "/x/c@d.bin", "e.bin@0x0" };
        char *log;
        WardenImageLoad *l = NULL;
        void *blob = NULL;
        size_t size, n = 0;

        setup();
        compile(IMAGES, &blob, &size);
        ASSERT_OK(warden_cell_plan_images(blob, size, specs, ELEMENTSOF(specs), &l, &n));
        ASSERT_EQ(n, 4);
        ASSERT_STREQ(l[0].path, "a.bin");
        ASSERT_EQ(l[0].region, 0);
        ASSERT_EQ(l[0].offset, 0);
        ASSERT_STREQ(l[1].path, "b.bin");
        ASSERT_EQ(l[1].region, 1);
        ASSERT_EQ(l[1].offset, 0x10);
        ASSERT_STREQ(l[2].path, "/x/c@d.bin");        /* no address after the '@' */
        ASSERT_EQ(l[2].region, 0);
        ASSERT_STREQ(l[3].path, "e.bin");
        ASSERT_EQ(l[3].region, 0);
        ASSERT_EQ(l[3].offset, 0);
        warden_image_loads_free(l, n);

        capture_begin();
        ASSERT_ERROR(warden_cell_plan_images(blob, size, (char *[]) { "a.bin", "z.bin@0x300000" }, 2, &l, &n),
                     EINVAL);
        log = capture_end();
        ASSERT_LOGGED(log, "z.bin@0x300000: the address is in no memory region of cell 'images'");
        free(log);
        capture_begin();
        ASSERT_ERROR(warden_cell_plan_images(blob, size, (char *[]) { "@0x10" }, 1, &l, &n), EINVAL);
        log = capture_end();
        ASSERT_LOGGED(log, "'@0x10' names no image file");
        free(log);
        free(blob);

        /* minimal.yaml's only region is not loadable. */
        compile(MINIMAL, &blob, &size);
        capture_begin();
        ASSERT_ERROR(warden_cell_plan_images(blob, size, (char *[]) { "a.bin@0x71200100" }, 1, &l, &n), EINVAL);
        log = capture_end();
        ASSERT_LOGGED(log, "a.bin@0x71200100: the address is in region 'ram' of cell 'minimal', which is not loadable");
        free(log);
        capture_begin();
        ASSERT_ERROR(warden_cell_plan_images(blob, size, (char *[]) { "a.bin" }, 1, &l, &n), EINVAL);
        log = capture_end();
        ASSERT_LOGGED(log, "cell 'minimal' has no loadable region for a.bin");
        free(log);
        free(blob);
}

TEST(plan_images_broken_blob) {
        char *log;
        WardenImageLoad *l = NULL;
        void *blob = NULL;
        size_t size, n;

        setup();
        compile(IMAGES, &blob, &size);
        capture_begin();
        ASSERT_ERROR(warden_cell_plan_images(blob, size - 8, NULL, 0, &l, &n), EINVAL);
        log = capture_end();
        ASSERT_LOGGED(log, "invalid cell blob at offset");
        free(log);
        free(blob);
}

TEST(check_images) {
        _cleanup_free_ char *fits = tmp_path("fits.bin"), *big = tmp_path("big.bin"), *empty = tmp_path("empty.bin");
        _cleanup_free_ char *half = tmp_path("half.bin");
        char *data = calloc(1, (1 << 20) + 1), *log;
        void *blob = NULL;
        size_t size;

        ASSERT_NOT_NULL(data);
        write_file(fits, data, 1 << 20);
        write_file(big, data, (1 << 20) + 1);
        write_file(empty, data, 0);
        write_file(half, data, (1 << 19) + 1);
        compile(IMAGES, &blob, &size);

        ASSERT_OK(warden_cell_check_images(blob, size, &(WardenImageLoad) { .path = fits, .region = 0 }, 1));
        /* At 0x80000 of a 1 MiB region, half a MiB fits and one byte more does not. */
        capture_begin();
        ASSERT_ERROR(warden_cell_check_images(blob, size,
                                              &(WardenImageLoad) { .path = half, .region = 1, .offset = 0x80000 }, 1),
                     EFBIG);
        log = capture_end();
        ASSERT_LOGGED(log, "half.bin (524289 bytes) does not fit region 'data' of cell 'images' at offset 0x80000 "
                           "(the region has 1 MiB)");
        free(log);

        capture_begin();
        ASSERT_ERROR(warden_cell_check_images(blob, size, &(WardenImageLoad) { .path = big, .region = 0 }, 1), EFBIG);
        free(capture_end());
        capture_begin();
        ASSERT_ERROR(warden_cell_check_images(blob, size, &(WardenImageLoad) { .path = empty, .region = 0 }, 1),
                     EINVAL);
        log = capture_end();
        ASSERT_LOGGED(log, "empty.bin is empty");
        free(log);
        capture_begin();
        ASSERT_ERROR(warden_cell_check_images(blob, size,
                                              &(WardenImageLoad) { .path = (char *) "/nonexistent.bin" }, 1),
                     ENOENT);
        log = capture_end();
        ASSERT_LOGGED(log, "Failed to open /nonexistent.bin: No such file or directory");
        free(log);

        unlink(fits);
        unlink(big);
        unlink(empty);
        unlink(half);
        free(data);
        free(blob);
}

TEST(cleanup) {
        _cleanup_free_ char *cmd = NULL;

        setup();
        free(diag_file);
        ASSERT_TRUE(asprintf(&cmd, "rm -rf '%s'", dir) > 0);
        ASSERT_EQ(system(cmd), 0);
}

DEFINE_TEST_MAIN
