/* SPDX-License-Identifier: GPL-2.0-only */
/* warden enable's SYSTEM argument: blobs pass as they are, descriptions are compiled or refused. */
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warden/config.h>

#include "log.h"
#include "tests.h"
#include "warden-system.h"

#define SYSTEM "cells.d/system.yaml"
#define CELL "tests/desc/valid/minimal.yaml"

static char dir[] = "/tmp/test-warden-system.XXXXXX";
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

TEST(system_description_compiles) {
        const struct warden_config_header *h;
        void *blob = NULL;
        size_t size = 0;

        setup();
        ASSERT_OK(warden_system_load(SYSTEM, false, &blob, &size));
        h = blob;
        ASSERT_TRUE(size >= sizeof(*h));
        ASSERT_EQ(memcmp(h->magic, WARDEN_CONFIG_MAGIC, WARDEN_CONFIG_MAGIC_LEN), 0);
        ASSERT_EQ(h->kind, WARDEN_CONFIG_SYSTEM);
        ASSERT_EQ(h->total_size, size);
        ASSERT_STREQ(h->name, "qemu-virt");
        free(blob);
}

/* A blob goes to the module untouched, even a broken one: the module's checks decide. */
TEST(blob_passes_as_is) {
        _cleanup_free_ char *path = NULL;
        void *blob = NULL, *again = NULL;
        size_t size = 0, again_size = 0;

        setup();
        ASSERT_OK(warden_system_load(SYSTEM, false, &blob, &size));
        path = tmp_path("truncated.bin");
        write_file(path, blob, 100);
        ASSERT_OK(warden_system_load(path, false, &again, &again_size));
        ASSERT_EQ(again_size, 100);
        ASSERT_EQ(memcmp(again, blob, 100), 0);
        free(blob);
        free(again);
        unlink(path);
}

TEST(blob_too_large) {
        _cleanup_free_ char *path = tmp_path("large.bin");
        _cleanup_free_ char *big = calloc(1, WARDEN_CONFIG_MAX_SIZE + 8);
        _cleanup_free_ char *log = NULL;
        void *blob = NULL;
        size_t size;

        setup();
        ASSERT_NOT_NULL(big);
        memcpy(big, WARDEN_CONFIG_MAGIC, WARDEN_CONFIG_MAGIC_LEN);
        write_file(path, big, WARDEN_CONFIG_MAX_SIZE + 8);
        capture_begin();
        ASSERT_ERROR(warden_system_load(path, false, &blob, &size), EFBIG);
        log = capture_end();
        ASSERT_NOT_NULL(strstr(log, "a blob has at most 65536 bytes"));
        unlink(path);
}

TEST(missing_file) {
        _cleanup_free_ char *log = NULL;
        void *blob = NULL;
        size_t size;

        setup();
        capture_begin();
        ASSERT_ERROR(warden_system_load("/nonexistent/system.yaml", false, &blob, &size), ENOENT);
        log = capture_end();
        ASSERT_NOT_NULL(strstr(log, "Failed to open /nonexistent/system.yaml: No such file or directory"));
}

TEST(schema_error_refused) {
        static const char text[] = "system: bad\nplatform:\n  cpus: 0-3\n  bogus: 1\n";
        _cleanup_free_ char *path = tmp_path("bad.yaml");
        _cleanup_free_ char *log = NULL;
        void *blob = NULL;
        size_t size;

        setup();
        write_file(path, text, sizeof(text) - 1);
        capture_begin();
        ASSERT_ERROR(warden_system_load(path, false, &blob, &size), EINVAL);
        log = capture_end();
        ASSERT_NULL(blob);
        ASSERT_NOT_NULL(strstr(log, "errors in the description; the module was not asked"));
        unlink(path);
}

TEST(cell_description_refused) {
        _cleanup_free_ char *log = NULL;
        void *blob = NULL;
        size_t size;

        setup();
        capture_begin();
        ASSERT_ERROR(warden_system_load(CELL, false, &blob, &size), EINVAL);
        log = capture_end();
        ASSERT_NOT_NULL(strstr(log, CELL " is a cell description: enable takes the system description"));
}

TEST(cleanup) {
        setup();
        ASSERT_OK(rmdir(dir));
}

DEFINE_TEST_MAIN
