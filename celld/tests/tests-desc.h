/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers on description trees that only the tests and the fuzzers use. */
#pragma once

#include <stddef.h>

#include "desc.h"

/*
 * A diag_source_line_t for diag_list_print(): @userdata is a NULL-terminated array of
 * DescSource pointers, searched by file name.
 */
const char *desc_sources_line(const char *file, unsigned line, size_t *ret_len, void *userdata);
/* JSON Pointer (RFC 6901) of @node from the root ("/memory/0/size", "" for the root); caller frees. */
char *desc_pointer(const DescNode *node);
