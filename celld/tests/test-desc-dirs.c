/* SPDX-License-Identifier: GPL-2.0-only */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desc-dirs.h"
#include "tests.h"

static char root[] = "/tmp/test-desc-dirs.XXXXXX";

static void touch(const char *rel, const char *text) {
        char path[512], dir[512];
        FILE *f;

        snprintf(path, sizeof(path), "%s%s", root, rel);
        snprintf(dir, sizeof(dir), "%s", path);
        *strrchr(dir, '/') = '\0';
        for (char *p = dir + strlen(root) + 1; (p = strchr(p, '/')); p++) {
                *p = '\0';
                (void) mkdir(dir, 0755);
                *p = '/';
        }
        (void) mkdir(dir, 0755);
        f = fopen(path, "w");
        ASSERT_NOT_NULL(f);
        fputs(text, f);
        fclose(f);
}

static void mask(const char *rel) {
        char path[512];

        snprintf(path, sizeof(path), "%s%s", root, rel);
        ASSERT_OK(symlink("/dev/null", path));
}

TEST(override_mask_and_order) {
        DiagList diags = {};
        DescDirList l;
        char want[512];

        ASSERT_NOT_NULL(mkdtemp(root));
        touch("/usr/lib/cells.d/hello.yaml", "vendor");
        touch("/usr/lib/cells.d/gic-demo.yaml", "vendor");
        touch("/usr/lib/cells.d/crash-demo.yaml", "vendor");
        touch("/usr/lib/cells.d/README", "not a description");
        touch("/run/cells.d/gic-demo.yaml", "runtime");
        touch("/etc/cells.d/hello.yaml", "admin");
        touch("/etc/cells.d/.hidden.yaml", "editor swap");
        touch("/etc/cells.d/extra.json", "admin json");
        mask("/etc/cells.d/crash-demo.yaml");

        ASSERT_OK(desc_dirs_enumerate(root, &diags, &l));
        ASSERT_EQ(diags.n, 0);
        ASSERT_EQ(l.n, 3);
        ASSERT_STREQ(l.entries[0].name, "extra.json");
        ASSERT_STREQ(l.entries[1].name, "gic-demo.yaml");
        snprintf(want, sizeof(want), "%s/run/cells.d/gic-demo.yaml", root);
        ASSERT_STREQ(l.entries[1].path, want);
        ASSERT_STREQ(l.entries[2].name, "hello.yaml");
        snprintf(want, sizeof(want), "%s/etc/cells.d/hello.yaml", root);
        ASSERT_STREQ(l.entries[2].path, want);
        desc_dir_list_done(&l);
        diag_list_done(&diags);
}

TEST(missing_directories_are_empty) {
        DiagList diags = {};
        DescDirList l;

        ASSERT_OK(desc_dirs_enumerate("/nonexistent-root-for-test", &diags, &l));
        ASSERT_EQ(l.n, 0);
        ASSERT_EQ(diags.n, 0);
        desc_dir_list_done(&l);
}

TEST(extensions) {
        ASSERT_TRUE(desc_dirs_is_description("a.yaml"));
        ASSERT_TRUE(desc_dirs_is_description("a.yml"));
        ASSERT_TRUE(desc_dirs_is_description("a.json"));
        ASSERT_FALSE(desc_dirs_is_description(".yaml"));
        ASSERT_FALSE(desc_dirs_is_description("a.yaml~"));
        ASSERT_FALSE(desc_dirs_is_description("a.conf"));
}

DEFINE_TEST_MAIN
