/* SPDX-License-Identifier: GPL-2.0-only */
/* A compiled cell blob and its images (see cell-images.h). */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <warden/config-check.h>

#include "cell-images.h"
#include "cell-text.h"

int cell_error_set(CellError *e, int r, const char *format, ...) {
        int saved_errno = errno;
        va_list ap;

        if (!e)
                return -ERRNO_VALUE(r);
        errno = ERRNO_VALUE(r);         /* for %m */
        va_start(ap, format);
        vsnprintf(e->message, sizeof(e->message), format, ap);
        va_end(ap);
        errno = saved_errno;
        e->from_module = false;
        return -ERRNO_VALUE(r);
}

/* The module refused: its text is in the socket. */
static int cell_error_module(CellError *e, WardenNl *nl, int r) {
        if (!e)
                return r;
        snprintf(e->message, sizeof(e->message), "%s", warden_nl_strerror(nl, r));
        e->from_module = true;
        return r;
}

static void closep(int *fd) {
        if (*fd >= 0)
                close(*fd);
}

int cell_blob_parse(const void *blob, size_t size, CellBlob *ret, CellError *e) {
        const struct warden_config_header *h = blob;
        struct warden_config_layout l;
        struct warden_config_error ce = {};

        if (size > WARDEN_CONFIG_MAX_SIZE || warden_config_check_cell(blob, (uint32_t) size, &l, &ce) < 0)
                return cell_error_set(e, SYNTHETIC_ERRNO(EINVAL), "invalid cell blob at offset %" PRIu32 ": %s",
                                      ce.offset, ce.what ?: "too large");

        *ret = (CellBlob) {
                .cell = (const void *) ((const char *) blob + l.cell),
                .regions = (const void *) ((const char *) blob + l.regions),
                .policy = (const void *) ((const char *) blob + l.policy),
                .images = (const void *) ((const char *) blob + l.images),
                .strings = (const char *) blob + l.strings,
        };
        memcpy(ret->name, h->name, WARDEN_NAME_LEN);
        ret->name[WARDEN_NAME_LEN] = '\0';
        return 0;
}

uint64_t cell_blob_memory(const CellBlob *b) {
        uint64_t sum = 0;

        for (uint32_t i = 0; i < b->cell->num_regions; i++)
                sum += b->regions[i].size;
        return sum;
}

/* A region's name, NUL-terminated. */
static const char *region_name(const struct warden_region *r, char buf[static WARDEN_NAME_LEN + 1]) {
        memcpy(buf, r->name, WARDEN_NAME_LEN);
        buf[WARDEN_NAME_LEN] = '\0';
        return buf;
}

void warden_image_loads_free(WardenImageLoad *loads, size_t n) {
        for (size_t i = 0; i < n; i++) {
                free(loads[i].path);
                free(loads[i].data);
        }
        free(loads);
}

/* IMAGE[@ADDRESS]: the address only if what follows the last '@' is a number. */
static int spec_split(const char *spec, char **ret_path, uint64_t *ret_address, bool *ret_has_address) {
        const char *at = strrchr(spec, '@');
        unsigned long long v;
        char *end;

        *ret_has_address = false;
        if (at && at[1] != '\0') {
                errno = 0;
                v = strtoull(at + 1, &end, 0);
                if (errno == 0 && *end == '\0' && at[1] != '-' && at[1] != '+') {
                        *ret_path = strndup(spec, (size_t) (at - spec));
                        *ret_address = v;
                        *ret_has_address = true;
                        return *ret_path ? 0 : -ENOMEM;
                }
        }
        *ret_path = strdup(spec);
        return *ret_path ? 0 : -ENOMEM;
}

static int first_loadable(const CellBlob *b) {
        for (uint32_t i = 0; i < b->cell->num_regions; i++)
                if (b->regions[i].flags & WARDEN_MEM_LOADABLE)
                        return (int) i;
        return -1;
}

/* The region and offset of guest address @address. */
static int place_address(const CellBlob *b, const char *image, uint64_t address, WardenImageLoad *ret,
                         CellError *e) {
        char name[WARDEN_NAME_LEN + 1];

        for (uint32_t i = 0; i < b->cell->num_regions; i++) {
                const struct warden_region *r = &b->regions[i];

                if (address < r->virt_start || address - r->virt_start >= r->size)
                        continue;
                if (!(r->flags & WARDEN_MEM_LOADABLE))
                        return cell_error_set(e, SYNTHETIC_ERRNO(EINVAL),
                                              "%s@0x%" PRIx64 ": the address is in region '%s' of cell '%s', "
                                              "which is not loadable", image, address, region_name(r, name),
                                              b->name);
                ret->region = i;
                ret->offset = address - r->virt_start;
                return 0;
        }
        return cell_error_set(e, SYNTHETIC_ERRNO(EINVAL), "%s@0x%" PRIx64 ": the address is in no memory region of cell '%s'",
                              image, address, b->name);
}

/* One IMAGE[@ADDRESS] argument. */
static int plan_spec(const CellBlob *b, const char *spec, WardenImageLoad *l, CellError *e) {
        uint64_t address;
        bool has_address;
        int r;

        r = spec_split(spec, &l->path, &address, &has_address);
        if (r < 0)
                return cell_error_set(e, r, "Out of memory.");
        if (isempty(l->path))
                return cell_error_set(e, SYNTHETIC_ERRNO(EINVAL), "'%s' names no image file", spec);
        if (has_address)
                return place_address(b, l->path, address, l, e);
        r = first_loadable(b);
        if (r < 0)
                return cell_error_set(e, SYNTHETIC_ERRNO(EINVAL), "cell '%s' has no loadable region for %s", b->name,
                                      l->path);
        l->region = (uint32_t) r;
        l->offset = 0;
        return 0;
}

int cell_images_plan(const void *blob, size_t size, char *const *specs, size_t n_specs, WardenImageLoad **ret,
                     size_t *ret_n, CellError *e) {
        WardenImageLoad *loads = NULL;
        size_t n = 0, want;
        CellBlob b;
        int r = 0;

        r = cell_blob_parse(blob, size, &b, e);
        if (r < 0)
                return r;

        want = n_specs > 0 ? n_specs : b.policy->num_images;
        if (want == 0) {
                *ret = NULL;
                *ret_n = 0;
                return 0;
        }
        loads = calloc(want, sizeof(*loads));
        if (!loads)
                return cell_error_set(e, ENOMEM, "Out of memory.");

        for (; n < want && r >= 0; n++) {
                WardenImageLoad *l = &loads[n];

                if (n_specs > 0) {
                        r = plan_spec(&b, specs[n], l, e);
                        continue;
                }
                /* The checker made sure of the region and of the terminated path. */
                l->path = strdup(b.strings + b.images[n].path_offset);
                l->region = b.images[n].region;
                l->offset = b.images[n].offset;
                if (!l->path)
                        r = cell_error_set(e, ENOMEM, "Out of memory.");
        }
        if (r < 0) {
                warden_image_loads_free(loads, n);
                return r;
        }

        *ret = loads;
        *ret_n = n;
        return 0;
}

int cell_images_add_tree(const void *blob, size_t size, void *tree, size_t tree_size, WardenImageLoad **loads,
                         size_t *n, CellError *e) {
        _cleanup_free_ void *t = tree;
        WardenImageLoad l = {}, *grown;
        CellBlob b;
        int r;

        r = cell_blob_parse(blob, size, &b, e);
        if (r < 0)
                return r;
        if (!(b.cell->flags & WARDEN_CELL_ENTRY_ARG))
                return cell_error_set(e, SYNTHETIC_ERRNO(EINVAL), "cell '%s' boots no OS: it takes no device tree",
                                      b.name);
        r = place_address(&b, "the device tree", b.cell->entry_arg, &l, e);
        if (r < 0)
                return r;
        grown = reallocarray(*loads, *n + 1, sizeof(**loads));
        l.path = strdup("the device tree");
        if (!grown || !l.path) {
                free(l.path);
                if (grown)
                        *loads = grown;
                return cell_error_set(e, ENOMEM, "Out of memory.");
        }
        l.data = TAKE_PTR(t);
        l.data_size = tree_size;
        grown[(*n)++] = l;
        *loads = grown;
        return 0;
}

/* An image in memory fits its region. */
static int data_check(const CellBlob *b, const WardenImageLoad *l, CellError *e) {
        const struct warden_region *r = &b->regions[l->region];
        char name[WARDEN_NAME_LEN + 1];

        if (l->offset >= r->size || l->data_size > r->size - l->offset)
                return cell_error_set(e, SYNTHETIC_ERRNO(EFBIG),
                                      "%s (%" PRIu64 " bytes) does not fit region '%s' of cell '%s' at offset 0x%" PRIx64,
                                      l->path, l->data_size, region_name(r, name), b->name, l->offset);
        return 0;
}

/* Opens an image and checks that it fits; the size in @ret_size. Returns the fd. */
static int image_open(const CellBlob *b, const WardenImageLoad *l, uint64_t *ret_size, CellError *e) {
        const struct warden_region *r = &b->regions[l->region];
        char name[WARDEN_NAME_LEN + 1], size_text[WARDEN_BYTES_MAX];
        _cleanup_(closep) int fd = -1;
        struct stat st;
        int ret;

        fd = open(l->path, O_RDONLY | O_CLOEXEC);
        if (fd < 0)
                return cell_error_set(e, errno, "Failed to open %s: %m", l->path);
        if (fstat(fd, &st) < 0)
                return cell_error_set(e, errno, "Failed to read %s: %m", l->path);
        if (!S_ISREG(st.st_mode))
                return cell_error_set(e, SYNTHETIC_ERRNO(EINVAL), "%s is not a regular file", l->path);
        if (st.st_size == 0)
                return cell_error_set(e, SYNTHETIC_ERRNO(EINVAL), "%s is empty", l->path);
        if (l->offset >= r->size || (uint64_t) st.st_size > r->size - l->offset)
                return cell_error_set(e, SYNTHETIC_ERRNO(EFBIG),
                                      "%s (%jd bytes) does not fit region '%s' of cell '%s' at offset 0x%" PRIx64
                                      " (the region has %s)", l->path, (intmax_t) st.st_size,
                                      region_name(r, name), b->name, l->offset,
                                      warden_format_bytes(r->size, size_text));
        *ret_size = (uint64_t) st.st_size;
        ret = fd;
        fd = -1;
        return ret;
}

int cell_images_check(const void *blob, size_t size, const WardenImageLoad *loads, size_t n, CellError *e) {
        CellBlob b;
        int r;

        r = cell_blob_parse(blob, size, &b, e);
        if (r < 0)
                return r;
        for (size_t i = 0; i < n; i++) {
                uint64_t image_size;
                int fd;

                if (loads[i].data) {
                        r = data_check(&b, &loads[i], e);
                        if (r < 0)
                                return r;
                        continue;
                }
                fd = image_open(&b, &loads[i], &image_size, e);
                if (fd < 0)
                        return fd;
                close(fd);
        }
        return 0;
}

/* An image in memory, chunk by chunk. */
static int load_bytes(WardenNl *nl, uint32_t id, const WardenImageLoad *l, CellError *e) {
        for (uint64_t done = 0; done < l->data_size;) {
                size_t want = l->data_size - done < WARDEN_CELL_LOAD_CHUNK ? l->data_size - done
                                                                           : WARDEN_CELL_LOAD_CHUNK;
                int r = warden_nl_cell_load(nl, id, l->region, l->offset + done, (const uint8_t *) l->data + done,
                                            want, NULL);

                if (r < 0)
                        return cell_error_module(e, nl, r);
                done += want;
        }
        return 0;
}

int cell_images_load(WardenNl *nl, uint32_t id, const void *blob, size_t size, const WardenImageLoad *loads,
                     size_t n, cell_images_cancelled_t cancelled, void *userdata, CellError *e) {
        _cleanup_free_ uint8_t *buf = NULL;
        CellBlob b;
        int r;

        if (e)
                e->note[0] = '\0';
        r = cell_blob_parse(blob, size, &b, e);
        if (r < 0)
                return r;
        buf = malloc(WARDEN_CELL_LOAD_CHUNK);
        if (!buf)
                return cell_error_set(e, ENOMEM, "Out of memory.");

        for (size_t i = 0; i < n; i++) {
                _cleanup_(closep) int fd = -1;
                uint64_t image_size, done = 0;

                if (loads[i].data) {
                        r = data_check(&b, &loads[i], e);
                        if (r >= 0)
                                r = load_bytes(nl, id, &loads[i], e);
                        if (r < 0)
                                return r;
                        continue;
                }
                fd = image_open(&b, &loads[i], &image_size, e);
                if (fd < 0)
                        return fd;
                while (done < image_size) {
                        size_t want = image_size - done < WARDEN_CELL_LOAD_CHUNK ? image_size - done
                                                                                  : WARDEN_CELL_LOAD_CHUNK;
                        ssize_t k;

                        if (cancelled && cancelled(userdata))
                                return cell_error_set(e, SYNTHETIC_ERRNO(ECANCELED),
                                                      "the load was cancelled after %" PRIu64 " of %" PRIu64
                                                      " bytes of %s", done, image_size, loads[i].path);
                        k = read(fd, buf, want);
                        if (k < 0 && errno == EINTR)
                                continue;
                        if (k < 0)
                                return cell_error_set(e, errno, "Failed to read %s: %m", loads[i].path);
                        if (k == 0)
                                return cell_error_set(e, SYNTHETIC_ERRNO(EIO), "%s shrank while it was read",
                                                      loads[i].path);
                        r = warden_nl_cell_load(nl, id, loads[i].region, loads[i].offset + done, buf, (size_t) k,
                                                NULL);
                        if (r < 0) {
                                cell_error_module(e, nl, r);
                                if (e && (done > 0 || i > 0))
                                        snprintf(e->note, sizeof(e->note),
                                                 "%s was not loaded completely: %" PRIu64 " of %" PRIu64
                                                 " bytes written.", loads[i].path, done, image_size);
                                return r;
                        }
                        done += (uint64_t) k;
                }
        }
        return 0;
}
