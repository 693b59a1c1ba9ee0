/* SPDX-License-Identifier: GPL-2.0-only */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warden/config.h>

#include "cellctl-desc.h"
#include "desc-decode.h"
#include "desc-dirs.h"
#include "desc-guest.h"
#include "desc-set.h"
#include "log.h"
#include "schemas.h"

static int load_set(const CellctlArgs *args, char **files, int n_files, DescSet **ret) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        int r;

        r = desc_set_new(&s);
        if (r < 0)
                return log_error_errno(r, "Failed to load the built-in schemas: %m");
        if (n_files == 0)
                r = desc_set_add_dirs(s, args->root);
        for (int i = 0; i < n_files && r >= 0; i++)
                r = desc_set_add_path(s, files[i], 0);
        /* Cells given on the command line are checked against the machine. */
        if (r >= 0 && n_files > 0)
                r = desc_set_add_system_from_dirs(s, args->root);
        if (r < 0)
                return log_error_errno(r, "Failed to collect the descriptions: %m");
        *ret = TAKE_PTR(s);
        return 0;
}

static void print_diags(const CellctlArgs *args, DescSet *s) {
        if (args->json) {
                (void) diag_list_print_json(&s->diags, stdout);
                return;
        }
        diag_list_print(&s->diags, stderr, isatty(STDERR_FILENO), desc_set_source_line, s);
}

static int summarize(DescSet *s, int r) {
        if (r == -ENOMEM)
                return log_oom();
        if (s->n == 0) {
                log_error("no descriptions found");
                return -ENOENT;
        }
        if (r < 0) {
                fprintf(stderr, "%zu error%s, %zu warning%s in %zu description%s\n", s->diags.n_errors,
                        s->diags.n_errors == 1 ? "" : "s", s->diags.n_warnings, s->diags.n_warnings == 1 ? "" : "s",
                        s->n, s->n == 1 ? "" : "s");
                return -EINVAL;
        }
        return 0;
}

int verb_validate(const CellctlArgs *args) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        int r;

        r = load_set(args, args->files, args->n_files, &s);
        if (r < 0)
                return r;
        r = desc_set_check(s);
        print_diags(args, s);
        r = summarize(s, r);
        if (r >= 0 && !args->json)
                fprintf(stderr, "%zu description%s valid\n", s->n, s->n == 1 ? "" : "s");
        return r;
}

/* Writes @size bytes to @path through a temporary file and rename(): never half-written. */
static int write_atomic(const char *path, const void *data, size_t size) {
        _cleanup_free_ char *tmp = NULL;
        int fd, r = 0;

        if (asprintf(&tmp, "%s.XXXXXX", path) < 0)
                return -ENOMEM;
        fd = mkstemp(tmp);
        if (fd < 0)
                return -errno;
        errno = 0;
        if (write(fd, data, size) != (ssize_t) size || fsync(fd) < 0)
                r = errno ? -errno : -EIO;      /* a short write leaves errno 0 */
        if (close(fd) < 0 && r >= 0)
                r = -errno;
        if (r >= 0 && fchmodat(AT_FDCWD, tmp, 0644, 0) < 0)
                r = -errno;
        if (r >= 0 && rename(tmp, path) < 0)
                r = -errno;
        if (r < 0)
                (void) unlink(tmp);
        return r;
}

static DescUnit *find_unit(DescSet *s, const char *path) {
        for (size_t i = 0; i < s->n; i++)
                if (streq(s->units[i].path, path))
                        return &s->units[i];
        return NULL;
}

int verb_compile(const CellctlArgs *args) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        DescUnit *u;
        int r;

        r = load_set(args, args->files, 1, &s);
        if (r < 0)
                return r;
        r = desc_set_check(s);
        print_diags(args, s);
        r = summarize(s, r);
        if (r < 0)
                return r;
        u = find_unit(s, args->files[0]);
        if (!u || !u->blob)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s did not compile", args->files[0]);
        r = write_atomic(args->output, u->blob, u->blob_size);
        if (r < 0)
                return log_error_errno(r, "Failed to write %s: %m", args->output);
        return 0;
}

/* A file that starts with the blob magic is a blob; anything else a description. */
static int read_blob(const char *path, void **ret, size_t *ret_size) {
        _cleanup_fclose_ FILE *f = fopen(path, "rb");
        _cleanup_free_ char *buf = NULL;
        size_t n;

        if (!f)
                return -errno;
        buf = malloc(WARDEN_CONFIG_MAX_SIZE + 1);
        if (!buf)
                return -ENOMEM;
        n = fread(buf, 1, WARDEN_CONFIG_MAX_SIZE + 1, f);
        if (n < WARDEN_CONFIG_MAGIC_LEN || memcmp(buf, WARDEN_CONFIG_MAGIC, WARDEN_CONFIG_MAGIC_LEN) != 0)
                return 0;
        *ret = TAKE_PTR(buf);
        *ret_size = n;
        return 1;
}

static int show_blob(const char *path, const void *blob, size_t size) {
        struct warden_config_error e = {};
        int r;

        r = desc_decode(blob, size, stdout, &e);
        if (r < 0)
                return log_error_errno(r, "%s: invalid blob at offset %u%s: %s", path, e.offset,
                                       e.index >= 0 ? " (element)" : "", e.what);
        return 0;
}

/* The unit of the cell named @name (its 'cell:'), or NULL. */
static DescUnit *find_cell(DescSet *s, const char *name) {
        for (size_t i = 0; i < s->n; i++) {
                DescUnit *u = &s->units[i];
                const DescNode *n = u->kind == DESC_KIND_CELL && u->source ? desc_get(u->source->root, "cell") : NULL;

                if (n && n->type == DESC_STRING && streq(n->string.str, name))
                        return u;
        }
        return NULL;
}

/* A cell's device tree as source: generated, or its file completed, with fresh seeds. */
static int show_dts(DescSet *s, const DescUnit *u) {
        _cleanup_free_ void *fdt = NULL;
        char why[256];
        size_t size;
        int r;

        r = desc_guest_dt(s, u, NULL, &fdt, &size, why, sizeof(why));
        if (r == -ENOENT)
                return log_error_errno(r, "%s: no system description to write a device tree for", u->path);
        if (r == -EINVAL && why[0])
                return log_error_errno(r, "%s: %s", u->path, why);
        if (r < 0)
                return log_error_errno(r, "%s: cannot write the device tree: %m", u->path);
        return guest_dt_print(fdt, stdout);
}

/* The description of a cell that boots an OS shows its 'os' section, not the images it compiles to. */
static int show_unit(const DescUnit *u) {
        struct warden_config_error e = {};
        const struct warden_cell *c;
        struct warden_config_layout l;
        DiagList scratch = {};
        GuestPlan p = {};
        int r;

        if (u->kind == DESC_KIND_CELL && warden_config_check_cell(u->blob, (uint32_t) u->blob_size, &l, &e) >= 0) {
                c = warden_cfg_at(u->blob, l.cell);
                r = guest_plan(u->source->root, warden_cfg_at(u->blob, l.regions), c->num_regions,
                               warden_cfg_at(u->blob, l.irqs), c->num_irqs, &scratch, &p);
                diag_list_done(&scratch);
                if (r < 0)
                        return log_error_errno(r, "%s: the OS did not compile", u->path);
        }
        r = desc_decode_os(u->blob, u->blob_size, p.os ? &p : NULL, stdout, &e);
        if (r < 0)
                return log_error_errno(r, "%s: invalid blob at offset %u: %s", u->path, e.offset, e.what);
        return 0;
}

/* A name with no '/' that is not a file names a cell of the drop-in directories. */
static bool is_cell_name(const char *arg) {
        return !strchr(arg, '/') && access(arg, F_OK) < 0;
}

int verb_show(const CellctlArgs *args) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        _cleanup_free_ void *blob = NULL;
        const char *arg = args->files[0];
        bool by_name = is_cell_name(arg);
        size_t size = 0;
        DescUnit *u;
        int r;

        r = by_name ? 0 : read_blob(arg, &blob, &size);
        if (r < 0)
                return log_error_errno(r, "Failed to read %s: %m", arg);
        if (r > 0 && args->dts)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s: --dts needs the description, not a blob", arg);
        if (r > 0)
                return show_blob(arg, blob, size);

        r = load_set(args, by_name ? NULL : args->files, by_name ? 0 : 1, &s);
        if (r < 0)
                return r;
        r = desc_set_check(s);
        print_diags(args, s);
        u = by_name ? find_cell(s, arg) : find_unit(s, arg);
        if (by_name && !u)
                return log_error_errno(SYNTHETIC_ERRNO(ENOENT), "no cell '%s' in the drop-in directories", arg);
        if (r == -ENOMEM || (u && !desc_set_unit_valid(s, u)) || (!by_name && r < 0))
                return summarize(s, r < 0 ? r : -EINVAL);
        if (!u || !u->blob)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s did not compile", arg);
        return args->dts ? show_dts(s, u) : show_unit(u);
}

int verb_schema(const CellctlArgs *args) {
        const char *which = args->n_files > 0 ? args->files[0] : "cell";

        if (streq(which, "cell"))
                fputs(schema_cell_json, stdout);
        else if (streq(which, "system"))
                fputs(schema_system_json, stdout);
        else
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "unknown schema '%s': use 'system' or 'cell'", which);
        return 0;
}
