/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A compiled cell blob and the images its cell runs: where they go, whether they fit, and
 * writing them into a created cell through warden.ko. Shared by 'warden cell load|run' and
 * celld's start. Non-logging: a failure's text goes to a CellError, which the CLI logs and
 * celld sends back over D-Bus.
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include <warden/config.h>

#include "macro.h"
#include "warden-nl.h"

/* Why a call failed, in words. */
typedef struct CellError {
        char message[512];
        /*
         * The module refused a request: message is its extack text ("" when it gave none) and
         * warden_nl_message() of the socket still holds it.
         */
        bool from_module;
        char note[256];         /* more to say after the message, e.g. what was left half-done */
} CellError;

/* Sets @e's message (%m prints @r's errno text) and returns @r (negative). @e may be NULL. */
int cell_error_set(CellError *e, int r, const char *format, ...) _printf_(3, 4);

/* A cell blob, checked by the shared checker, and where its parts are. */
typedef struct CellBlob {
        char name[WARDEN_NAME_LEN + 1];
        const struct warden_cell *cell;
        const struct warden_region *regions;
        const struct warden_policy *policy;
        const struct warden_image *images;
        const char *strings;
} CellBlob;

int cell_blob_parse(const void *blob, size_t size, CellBlob *ret, CellError *e);
/* Bytes of memory the cell's regions give it. */
uint64_t cell_blob_memory(const CellBlob *b);

/* One image to write into a cell: a file, or bytes in memory. */
typedef struct WardenImageLoad {
        char *path;                     /* the file; for @data, what it is, in messages */
        uint32_t region;                /* index of a loadable region of the cell blob */
        uint64_t offset;                /* into the region */
        void *data;                     /* owned; NULL: read @path */
        uint64_t data_size;
} WardenImageLoad;

void warden_image_loads_free(WardenImageLoad *loads, size_t n);

/*
 * Where images go in the cell of @blob. Each of @specs is IMAGE[@ADDRESS]: ADDRESS is a guest
 * address inside a loadable region; without it the image goes to offset 0 of the first
 * loadable region. Without specs, the images the blob names.
 */
int cell_images_plan(const void *blob, size_t size, char *const *specs, size_t n_specs, WardenImageLoad **ret,
                     size_t *ret_n, CellError *e);

/*
 * A cell that boots an OS (WARDEN_CELL_ENTRY_ARG) gets its device tree (desc_guest_dt()) at
 * its entry argument: appends that load to *@loads, taking @tree (malloc'ed) in any case.
 */
int cell_images_add_tree(const void *blob, size_t size, void *tree, size_t tree_size, WardenImageLoad **loads,
                         size_t *n, CellError *e);

/* Every image can be read, is not empty and fits its region. */
int cell_images_check(const void *blob, size_t size, const WardenImageLoad *loads, size_t n, CellError *e);

/* Asked before each chunk: true stops the load with -ECANCELED. */
typedef bool (*cell_images_cancelled_t)(void *userdata);

/*
 * Writes the images into cell @id, chunk by chunk, as they are read. @cancelled (may be NULL)
 * lets another thread stop a long load between two chunks.
 */
int cell_images_load(WardenNl *nl, uint32_t id, const void *blob, size_t size, const WardenImageLoad *loads,
                     size_t n, cell_images_cancelled_t cancelled, void *userdata, CellError *e);
