/* SPDX-License-Identifier: GPL-2.0-only */
#include <dirent.h>
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "desc-compile.h"
#include "desc-dirs.h"
#include "desc-set.h"
#include "schemas.h"

static const char *const kind_names[] = {
        [DESC_KIND_SYSTEM] = "system",
        [DESC_KIND_CELL] = "cell",
};

const char *desc_kind_to_string(DescKind k) {
        return k >= 0 && k < _DESC_KIND_MAX ? kind_names[k] : NULL;
}

static int load_schema(DescSet *s, DescKind k, const char *file, const char *text) {
        int r;

        r = desc_parse(file, text, strlen(text), DESC_FORMAT_JSON, &s->diags, &s->schema_sources[k]);
        if (r < 0)
                return r;
        return schema_new(s->schema_sources[k]->root, &s->diags, &s->schemas[k]);
}

int desc_set_new(DescSet **ret) {
        _cleanup_(desc_set_freep) DescSet *s = calloc(1, sizeof(DescSet));
        int r;

        if (!s)
                return -ENOMEM;
        r = load_schema(s, DESC_KIND_SYSTEM, schema_system_file, schema_system_json);
        if (r >= 0)
                r = load_schema(s, DESC_KIND_CELL, schema_cell_file, schema_cell_json);
        if (r < 0)
                return r;
        *ret = TAKE_PTR(s);
        return 0;
}

DescSet *desc_set_free(DescSet *s) {
        if (!s)
                return NULL;
        for (size_t i = 0; i < s->n; i++) {
                free(s->units[i].path);
                free(s->units[i].name);
                desc_source_free(s->units[i].source);
                free(s->units[i].blob);
        }
        free(s->units);
        for (size_t k = 0; k < _DESC_KIND_MAX; k++) {
                schema_free(s->schemas[k]);
                desc_source_free(s->schema_sources[k]);
        }
        diag_list_done(&s->diags);
        free(s);
        return NULL;
}

int desc_set_add(DescSet *s, const char *path, const char *name) {
        DescUnit *grown, *u;
        const char *slash = strrchr(path, '/');

        grown = reallocarray(s->units, s->n + 1, sizeof(*s->units));
        if (!grown)
                return -ENOMEM;
        s->units = grown;
        u = &s->units[s->n];
        *u = (DescUnit) { .kind = _DESC_KIND_INVALID };
        u->path = strdup(path);
        u->name = strdup(name ?: (slash ? slash + 1 : path));
        if (!u->path || !u->name) {
                free(u->path);
                free(u->name);
                return -ENOMEM;
        }
        s->n++;
        return 0;
}

int desc_set_add_dirs(DescSet *s, const char *root) {
        DescDirList l;
        int r;

        r = desc_dirs_enumerate(root, &s->diags, &l);
        if (r < 0)
                return r;
        for (size_t i = 0; i < l.n && r >= 0; i++)
                r = desc_set_add(s, l.entries[i].path, l.entries[i].name);
        desc_dir_list_done(&l);
        return r;
}

/* Whether @path may be opened: with DESC_ADD_REGULAR_ONLY, anything but a regular file gets an "io" error. */
static int check_type(DescSet *s, const char *path, DescAddFlags flags, bool *ret_ok) {
        struct stat st;
        int r;

        *ret_ok = true;
        if (!(flags & DESC_ADD_REGULAR_ONLY))
                return 0;
        if (stat(path, &st) < 0)
                r = diag_add(&s->diags, DIAG_ERROR, "io", (DiagLoc) { .file = path }, "cannot read file: %s",
                             strerror(errno));
        else if (!S_ISREG(st.st_mode))
                r = diag_add(&s->diags, DIAG_ERROR, "io", (DiagLoc) { .file = path },
                             "not a regular file or a directory");
        else
                return 0;
        *ret_ok = false;
        return r;
}

/* A directory: its descriptions (by file name), sorted by name, not recursively. */
static int add_dir(DescSet *s, const char *dir, DescAddFlags flags) {
        struct dirent **names = NULL;
        int n, r = 0;

        n = scandir(dir, &names, NULL, alphasort);
        if (n < 0) {
                r = diag_add(&s->diags, DIAG_ERROR, "io", (DiagLoc) { .file = dir }, "cannot read directory: %s",
                             strerror(errno));
                return r < 0 ? r : 0;
        }
        for (int i = 0; i < n; i++) {
                char *path = NULL;
                bool ok;

                if (r >= 0 && desc_dirs_is_description(names[i]->d_name)) {
                        if (asprintf(&path, "%s%s%s", dir, dir[strlen(dir) - 1] == '/' ? "" : "/",
                                     names[i]->d_name) < 0)
                                r = -ENOMEM;
                        else
                                r = check_type(s, path, flags, &ok);
                        if (r >= 0 && ok)
                                r = desc_set_add(s, path, names[i]->d_name);
                        free(path);
                }
                free(names[i]);
        }
        free(names);
        return r;
}

int desc_set_add_path(DescSet *s, const char *path, DescAddFlags flags) {
        struct stat st;
        bool ok;
        int r;

        if (stat(path, &st) == 0 && S_ISDIR(st.st_mode))
                return add_dir(s, path, flags);
        r = check_type(s, path, flags, &ok);
        if (r < 0 || !ok)
                return r;
        return desc_set_add(s, path, NULL);
}

int desc_set_add_system_from_dirs(DescSet *s, const char *root) {
        DescDirList l;
        DiagList ignored = {};
        int r;

        for (size_t i = 0; i < s->n; i++)
                if (strncmp(s->units[i].name, "system.", 7) == 0)
                        return 0;
        r = desc_dirs_enumerate(root, &ignored, &l);
        diag_list_done(&ignored);
        if (r < 0)
                return r;
        for (size_t i = 0; i < l.n && r >= 0; i++)
                if (strncmp(l.entries[i].name, "system.", 7) == 0)
                        r = desc_set_add(s, l.entries[i].path, l.entries[i].name);
        desc_dir_list_done(&l);
        return r;
}

/* A description says what it is by its first key: "system:" or "cell:". */
static int unit_kind(DescSet *s, DescUnit *u) {
        const DescNode *root = u->source->root;

        if (desc_get(root, "system") && !desc_get(root, "cell"))
                return u->kind = DESC_KIND_SYSTEM;
        if (desc_get(root, "cell") && !desc_get(root, "system"))
                return u->kind = DESC_KIND_CELL;
        if (desc_get(root, "cell")) {
                (void) diag_add(&s->diags, DIAG_ERROR, "kind", desc_member(root, "system")->key_loc,
                                "both 'cell:' and 'system:': a file describes either one cell or the system");
                return -EINVAL;
        }
        (void) diag_add(&s->diags, DIAG_ERROR, "kind", root->loc,
                        "not a Warden description: expected a 'cell:' or a 'system:' key at the top");
        return -EINVAL;
}

static int unit_check(DescSet *s, DescUnit *u) {
        int r;

        /* Read and parse in two steps: the source stays for showing the lines of syntax errors. */
        r = desc_source_read(u->path, &s->diags, &u->source);
        if (r < 0)
                return r;
        r = desc_source_parse(u->source, desc_format_from_path(u->path), &s->diags);
        if (r < 0)
                return r;
        r = unit_kind(s, u);
        if (r < 0)
                return r;
        r = schema_validate(s->schemas[u->kind], u->source->root, &s->diags);
        if (r < 0)
                return r;
        if (u->kind == DESC_KIND_SYSTEM)
                return desc_compile_system(u->source->root, &s->diags, &u->blob, &u->blob_size);
        return desc_compile_cell(u->source->root, &s->diags, &u->blob, &u->blob_size);
}

int desc_set_check(DescSet *s) {
        for (size_t i = 0; i < s->n; i++)
                if (unit_check(s, &s->units[i]) == -ENOMEM)
                        return -ENOMEM;
        desc_rules_run(s);
        diag_list_sort(&s->diags);
        return s->diags.n_errors > 0 ? -EINVAL : 0;
}

DescUnit *desc_set_system(DescSet *s) {
        for (size_t i = 0; i < s->n; i++)
                if (s->units[i].kind == DESC_KIND_SYSTEM)
                        return &s->units[i];
        return NULL;
}

const char *desc_set_source_line(const char *file, unsigned line, size_t *ret_len, void *userdata) {
        DescSet *s = userdata;

        for (size_t i = 0; i < s->n; i++)
                if (s->units[i].source && file && streq(s->units[i].source->file, file))
                        return desc_source_line(s->units[i].source, line, ret_len);
        return NULL;
}

bool desc_set_unit_valid(const DescSet *s, const DescUnit *u) {
        if (!u->blob)
                return false;
        for (size_t i = 0; i < s->diags.n; i++)
                if (s->diags.items[i].severity == DIAG_ERROR && s->diags.items[i].loc.file &&
                    streq(s->diags.items[i].loc.file, u->path))
                        return false;
        return true;
}
