/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warden/config-check.h>

#include "desc-dirs.h"
#include "desc-guest.h"
#include "desc-set.h"
#include "log.h"
#include "warden-system.h"

const char *const warden_desc_dirs[] = {
        "/etc/cells.d", "/run/cells.d", "/usr/lib/cells.d", "/usr/share/warden/cells.d", NULL,
};

/*
 * Reads a blob: 1 with the blob, 0 when the file is a description, or a negative errno. Logs.
 * A file is a blob when it starts with the blob magic or holds a NUL byte (no YAML or JSON
 * text does), so that a damaged blob reaches the module, which says what is wrong with it,
 * instead of the YAML parser, which would only say it is not YAML.
 */
static int read_blob(const char *path, void **ret, size_t *ret_size) {
        _cleanup_fclose_ FILE *f = NULL;
        _cleanup_free_ char *buf = NULL;
        size_t n;

        f = fopen(path, "rbe");
        if (!f)
                return log_error_errno(errno, "Failed to open %s: %m", path);
        /* One byte more than the largest blob, to see a blob that is too large. */
        buf = malloc(WARDEN_CONFIG_MAX_SIZE + 1);
        if (!buf)
                return log_oom();
        n = fread(buf, 1, WARDEN_CONFIG_MAX_SIZE + 1, f);
        if (ferror(f))
                return log_error_errno(errno ?: EIO, "Failed to read %s: %m", path);

        if ((n < WARDEN_CONFIG_MAGIC_LEN || memcmp(buf, WARDEN_CONFIG_MAGIC, WARDEN_CONFIG_MAGIC_LEN) != 0) &&
            !memchr(buf, 0, n))
                return 0;
        if (n > WARDEN_CONFIG_MAX_SIZE)
                return log_error_errno(SYNTHETIC_ERRNO(EFBIG), "%s: a blob has at most %u bytes, this one has more",
                                       path, WARDEN_CONFIG_MAX_SIZE);

        *ret = TAKE_PTR(buf);
        *ret_size = n;
        return 1;
}

static DescUnit *find_unit(DescSet *s, const char *path) {
        for (size_t i = 0; i < s->n; i++)
                if (streq(s->units[i].path, path))
                        return &s->units[i];
        return NULL;
}

/*
 * Compiles the description at @path, of kind @kind, with @system (a system description, or
 * NULL) for the cross-file rules. @verb names the command in messages.
 */
/*
 * The device tree of cell @u when it boots an OS, into *@ret_tree (NULL when it boots none).
 * Logs.
 */
static int cell_tree(DescSet *s, const DescUnit *u, const char *path, void **ret_tree, size_t *ret_tree_size) {
        char why[256];
        int r;

        *ret_tree = NULL;
        *ret_tree_size = 0;
        if (!desc_get(u->source->root, "os"))
                return 0;
        r = desc_guest_dt(s, u, /* seed= */ NULL, ret_tree, ret_tree_size, why, sizeof(why));
        if (r == -ENOMEM)
                return log_oom();
        if (r == -ENOENT)
                return log_error_errno(r, "%s boots an OS: its device tree needs the system description, and "
                                       "none was found in the description directories", path);
        if (r < 0)
                return log_error_errno(r, "%s: cannot write the cell's device tree: %s", path,
                                       why[0] ? why : "the description has problems");
        return 0;
}

static int compile_description(const char *path, const char *system, DescKind kind, const char *verb,
                               bool color, void **ret, size_t *ret_size, void **ret_tree, size_t *ret_tree_size) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        DescUnit *u;
        int r;

        r = desc_set_new(&s);
        if (r < 0)
                return log_error_errno(r, "Failed to load the built-in schemas: %m");
        r = desc_set_add(s, path, NULL);
        if (r >= 0 && system)
                r = desc_set_add(s, system, NULL);
        if (r < 0)
                return log_oom();

        r = desc_set_check(s);
        if (r == -ENOMEM)
                return log_oom();
        u = find_unit(s, path);
        if (!u)
                return log_oom();
        /* Diagnostics of the wrong kind (e.g. a cell against no system) would only distract. */
        if (u->source && u->source->root && u->kind != kind && IN_SET(u->kind, DESC_KIND_SYSTEM, DESC_KIND_CELL))
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s is a %s description: %s takes %s", path,
                                       desc_kind_to_string(u->kind), verb,
                                       kind == DESC_KIND_SYSTEM ? "the system description" : "a cell description");

        diag_list_print(&s->diags, stderr, color, desc_set_source_line, s);
        if (r < 0)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s: %zu error%s in the description; the module was not asked", path,
                                       s->diags.n_errors, s->diags.n_errors == 1 ? "" : "s");
        if (!u->blob)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s did not compile", path);
        if (ret_tree) {
                r = cell_tree(s, u, path, ret_tree, ret_tree_size);
                if (r < 0)
                        return r;
        }

        *ret = TAKE_PTR(u->blob);
        *ret_size = u->blob_size;
        return 0;
}

int warden_system_load(const char *path, bool color, void **ret, size_t *ret_size) {
        int r;

        r = read_blob(path, ret, ret_size);
        if (r != 0)
                return r < 0 ? r : 0;
        return compile_description(path, NULL, DESC_KIND_SYSTEM, "enable", color, ret, ret_size, NULL, NULL);
}

static int is_masked(const char *path) {
        char target[16];
        ssize_t n = readlink(path, target, sizeof(target) - 1);

        if (n < 0)
                return 0;
        target[n] = '\0';
        return streq(target, "/dev/null");
}

int warden_desc_find(const char *root, const char *name, char **ret_path) {
        static const char *const exts[] = { "yaml", "yml", "json" };

        if (root && streq(root, "/"))
                root = NULL;
        for (size_t i = 0; warden_desc_dirs[i]; i++)
                for (size_t k = 0; k < ELEMENTSOF(exts); k++) {
                        _cleanup_free_ char *path = NULL;
                        struct stat st;

                        if (asprintf(&path, "%s%s/%s.%s", strempty(root), warden_desc_dirs[i], name, exts[k]) < 0)
                                return -ENOMEM;
                        if (lstat(path, &st) < 0)
                                continue;
                        if (is_masked(path))
                                return -ENOENT;
                        *ret_path = TAKE_PTR(path);
                        return 0;
                }
        return -ENOENT;
}

/* Whether @s could be a cell's name (the schema's pattern): then it may be looked up. */
static bool is_cell_name(const char *s) {
        size_t n = strlen(s);

        if (n == 0 || n >= WARDEN_NAME_LEN || s[0] == '-')
                return false;
        for (size_t i = 0; i < n; i++)
                if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
                        return false;
        return true;
}

/* Not found by name; @no_file: nor as a file of that name. */
static int log_not_found(const char *name, bool no_file) {
        _cleanup_free_ char *dirs = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&dirs, &size);

        if (!f)
                return log_oom();
        for (size_t i = 0; warden_desc_dirs[i]; i++)
                fprintf(f, "%s%s", i == 0 ? "" : warden_desc_dirs[i + 1] ? ", " : " or ", warden_desc_dirs[i]);
        if (fclose(f) != 0)
                return log_oom();
        if (no_file)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "%s: no such file, and no description of cell '%s' in %s",
                                       name, name, dirs);
        return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "no description of cell '%s' in %s", name, dirs);
}

/* The description of cell @name in warden_desc_dirs, for 'warden cell load'. Logs. */
int warden_cell_desc_find(const char *root, const char *name, char **ret_path) {
        int r = warden_desc_find(root, name, ret_path);

        if (r == -ENOMEM)
                return log_oom();
        if (r < 0)
                return log_not_found(name, false);
        return 0;
}

int warden_cell_desc_load(const char *arg, const char *root, const char *verb, bool color, void **ret,
                          size_t *ret_size, void **ret_tree, size_t *ret_tree_size, char **ret_path) {
        _cleanup_free_ char *path = NULL, *system = NULL;
        int r;

        /* A name that is no file here is looked up in the directories. */
        if (!strchr(arg, '/') && access(arg, F_OK) < 0 && is_cell_name(arg)) {
                r = warden_desc_find(root, arg, &path);
                if (r == -ENOMEM)
                        return log_oom();
                if (r < 0)
                        return log_not_found(arg, true);
        } else {
                path = strdup(arg);
                if (!path)
                        return log_oom();
        }

        r = read_blob(path, ret, ret_size);
        if (r == 0) {
                /* Checked against the machine, as 'cellctl validate' checks a cell. */
                r = warden_desc_find(root, "system", &system);
                if (r == -ENOMEM)
                        return log_oom();
                r = compile_description(path, system, DESC_KIND_CELL, verb, color, ret, ret_size, ret_tree,
                                        ret_tree_size);
        } else if (r > 0 && ret_tree) {
                const struct warden_cell *c = warden_cfg_at(*ret, sizeof(struct warden_config_header));

                *ret_tree = NULL;
                *ret_tree_size = 0;
                /* The checker has not seen the blob yet: look only at a cell of the size to hold it. */
                if (*ret_size >= sizeof(struct warden_config_header) + sizeof(*c) &&
                    c->flags & WARDEN_CELL_ENTRY_ARG) {
                        free(TAKE_PTR(*ret));
                        return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                               "%s is a compiled cell that boots an OS: a blob carries no device tree; "
                                               "give the cell's description instead", path);
                }
        }
        if (r < 0)
                return r;
        if (ret_path)
                *ret_path = TAKE_PTR(path);
        return 0;
}
