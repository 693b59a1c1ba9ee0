/* SPDX-License-Identifier: GPL-2.0-only */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "desc-dirs.h"
#include "macro.h"

const char *const desc_dirs[] = { "/etc/cells.d", "/run/cells.d", "/usr/lib/cells.d", NULL };

int desc_dirs_is_description(const char *name) {
        size_t n = strlen(name);

        if (name[0] == '.')
                return 0;
        return (n > 5 && streq(name + n - 5, ".yaml")) || (n > 4 && streq(name + n - 4, ".yml")) ||
               (n > 5 && streq(name + n - 5, ".json"));
}

static int is_masked(const char *path) {
        char target[16];
        ssize_t n = readlink(path, target, sizeof(target) - 1);

        if (n < 0)
                return 0;
        target[n] = '\0';
        return streq(target, "/dev/null");
}

static DescDirEntry *find_entry(DescDirList *l, const char *name) {
        for (size_t i = 0; i < l->n; i++)
                if (streq(l->entries[i].name, name))
                        return &l->entries[i];
        return NULL;
}

/* Records @name from @dir unless a higher directory already had it; masks keep path NULL. */
static int add_entry(DescDirList *l, const char *dir, const char *name) {
        _cleanup_free_ char *path = NULL;
        DescDirEntry *e, *grown;

        if (find_entry(l, name))
                return 0;
        if (asprintf(&path, "%s/%s", dir, name) < 0)
                return -ENOMEM;
        grown = reallocarray(l->entries, l->n + 1, sizeof(*l->entries));
        if (!grown)
                return -ENOMEM;
        l->entries = grown;
        e = &l->entries[l->n];
        e->name = strdup(name);
        if (!e->name)
                return -ENOMEM;
        e->path = is_masked(path) ? NULL : TAKE_PTR(path);
        l->n++;
        return 0;
}

static int scan_dir(DescDirList *l, const char *dir, DiagList *diags) {
        DIR *d = opendir(dir);
        struct dirent *de;
        int r = 0;

        if (!d) {
                if (errno == ENOENT || errno == ENOTDIR)
                        return 0;
                return diag_add(diags, DIAG_ERROR, "io", (DiagLoc) { .file = NULL }, "cannot read %s: %s", dir,
                                strerror(errno));
        }
        while (r >= 0 && (de = readdir(d)))
                if (desc_dirs_is_description(de->d_name))
                        r = add_entry(l, dir, de->d_name);
        closedir(d);
        return r;
}

static int cmp_entry(const void *a, const void *b) {
        return strcmp(((const DescDirEntry *) a)->name, ((const DescDirEntry *) b)->name);
}

/* Drops masked entries: they only existed to hide lower files. */
static void drop_masked(DescDirList *l) {
        size_t k = 0;

        for (size_t i = 0; i < l->n; i++) {
                if (l->entries[i].path)
                        l->entries[k++] = l->entries[i];
                else
                        free(l->entries[i].name);
        }
        l->n = k;
}

int desc_dirs_enumerate(const char *root, DiagList *diags, DescDirList *ret) {
        DescDirList l = {};
        int r = 0;

        if (root && streq(root, "/"))
                root = NULL;
        for (size_t i = 0; desc_dirs[i] && r >= 0; i++) {
                _cleanup_free_ char *dir = NULL;

                if (asprintf(&dir, "%s%s", strempty(root), desc_dirs[i]) < 0)
                        r = -ENOMEM;
                else
                        r = scan_dir(&l, dir, diags);
        }
        if (r < 0) {
                desc_dir_list_done(&l);
                return r;
        }
        drop_masked(&l);
        if (l.n > 0)
                qsort(l.entries, l.n, sizeof(*l.entries), cmp_entry);
        *ret = l;
        return 0;
}

void desc_dir_list_done(DescDirList *l) {
        for (size_t i = 0; i < l->n; i++) {
                free(l->entries[i].name);
                free(l->entries[i].path);
        }
        free(l->entries);
        *l = (DescDirList) {};
}
