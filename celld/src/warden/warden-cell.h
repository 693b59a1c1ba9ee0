/* SPDX-License-Identifier: GPL-2.0-only */
/* warden cell COMMAND: cells through warden.ko, named by name or id. */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "cell-images.h"
#include "warden-args.h"

/*
 * The CELL argument: 1 with the id in @ret_id when @s is decimal digits, 0 when it is a
 * name, -EINVAL for the id 0 or one past 32 bits.
 */
int warden_cell_ref_parse(const char *s, uint32_t *ret_id);

/*
 * Where images go in the cell of @blob (checked with the shared blob checker first). Each of
 * @specs is IMAGE[@ADDRESS]: ADDRESS is a guest address inside a loadable region; without it
 * the image goes to offset 0 of the first loadable region. Without specs, the images the
 * blob names. Logs every refusal.
 */
int warden_cell_plan_images(const void *blob, size_t size, char *const *specs, size_t n_specs,
                            WardenImageLoad **ret, size_t *ret_n);

/* Every image can be read, is not empty and fits its region. Logs. */
/* Appends the device tree of a cell that boots an OS to @loads (cell_images_add_tree()). Logs. */
int warden_cell_add_tree(const void *blob, size_t size, void *tree, size_t tree_size, WardenImageLoad **loads,
                         size_t *n);
int warden_cell_check_images(const void *blob, size_t size, const WardenImageLoad *loads, size_t n);

/* Runs args->cell_verb. */
int warden_cell_main(const WardenArgs *args);
