/* SPDX-License-Identifier: GPL-2.0-only */
/* Shared by the description tree (desc.c) and its two front ends (desc-yaml.c, desc-json.c). */
#pragma once

#include <stdint.h>

#include "desc.h"

/* Front ends: build s->root from s->text; 0, -EINVAL (diagnostics added) or -ENOMEM. */
int desc_yaml_parse(DescSource *s, DiagList *diags);
int desc_json_parse(DescSource *s, DiagList *diags);

/*
 * A new node of @type at @loc, counted in s->n_nodes. Adds a "limit-nodes" diagnostic and
 * returns -EINVAL when the source already holds DESC_MAX_NODES nodes.
 */
int desc_node_new(DescSource *s, DescType type, DiagLoc loc, DiagList *diags, DescNode **ret);
void desc_node_free(DescNode *n);
static inline void desc_node_freep(DescNode **n) {
        desc_node_free(*n);
}

/* Make @n a string node owning @str (@len bytes, NUL-terminated). */
void desc_node_set_string(DescNode *n, char *str, size_t len);

/* Append to an array or object; the container takes @item (and @key) over on success only. */
int desc_array_append(DescNode *array, DescNode *item);
int desc_object_append(DescNode *object, char *key, DiagLoc key_loc, DescNode *value);

/*
 * Reports every key of @object that repeats an earlier one ("duplicate-key", related to the
 * first). Returns -EINVAL when there was one, -ENOMEM, or 0.
 */
int desc_object_check_duplicates(const DescNode *object, DiagList *diags);

/*
 * Checks a decoded scalar or key: "limit-string" beyond DESC_MAX_STRING bytes, "encoding"
 * for a NUL character. -EINVAL (diagnostic added), -ENOMEM or 0.
 */
int desc_check_string(const char *str, size_t len, DiagLoc loc, const char *what, DiagList *diags);

/*
 * The length (1-4) of the well-formed UTF-8 sequence at @p (at most @n bytes) and its code
 * point, or 0 when it is ill-formed (overlong, surrogate, beyond U+10FFFF, truncated).
 */
/* How many of the first @len bytes of @s to show in a message: at most @max, whole characters. */
size_t desc_utf8_prefix(const char *s, size_t len, size_t max);
/* Encodes @cp (a Unicode scalar value) into @buf, returns the length. */
size_t desc_utf8_encode(uint32_t cp, char buf[static 4]);

/* Byte length of a leading UTF-8 byte order mark in @s's text (0 or 3). */
size_t desc_source_bom(const DescSource *s);
/* The line and column (counting code points) of byte @offset in @s's text. */
DiagLoc desc_source_loc(const DescSource *s, size_t offset);

/* strtod() of @len bytes of @text in the C locale; 0 or -EINVAL when not all of it is a number. */
int desc_parse_double(const char *text, size_t len, double *ret);

/* strndup() that refuses to overflow. */
char *desc_strndup(const char *s, size_t len);
