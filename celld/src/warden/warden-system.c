/* SPDX-License-Identifier: GPL-2.0-only */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <warden/config.h>

#include "desc-set.h"
#include "log.h"
#include "warden-system.h"

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

static int compile_description(const char *path, bool color, void **ret, size_t *ret_size) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        DescUnit *u;
        int r;

        r = desc_set_new(&s);
        if (r < 0)
                return log_error_errno(r, "Failed to load the built-in schemas: %m");
        r = desc_set_add(s, path, NULL);
        if (r < 0)
                return log_oom();

        r = desc_set_check(s);
        if (r == -ENOMEM)
                return log_oom();
        u = &s->units[0];
        /* A cell's diagnostics (e.g. against no system) would only distract from this. */
        if (u->kind == DESC_KIND_CELL)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s is a cell description: enable takes the system description", path);

        diag_list_print(&s->diags, stderr, color, desc_set_source_line, s);
        if (r < 0)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL),
                                       "%s: %zu error%s in the description; the module was not asked", path,
                                       s->diags.n_errors, s->diags.n_errors == 1 ? "" : "s");
        if (!u->blob)
                return log_error_errno(SYNTHETIC_ERRNO(EINVAL), "%s did not compile", path);

        *ret = TAKE_PTR(u->blob);
        *ret_size = u->blob_size;
        return 0;
}

int warden_system_load(const char *path, bool color, void **ret, size_t *ret_size) {
        int r;

        r = read_blob(path, ret, ret_size);
        if (r != 0)
                return r < 0 ? r : 0;
        return compile_description(path, color, ret, ret_size);
}
