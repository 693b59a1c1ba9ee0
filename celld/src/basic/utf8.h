/* SPDX-License-Identifier: GPL-2.0-only */
/* UTF-8 decoding, shared by the description parsers and the diagnostics printer. */
#pragma once

#include <stddef.h>
#include <stdint.h>

/*
 * The code point of the valid UTF-8 sequence at @p (at most @n bytes) in *ret_cp and the
 * sequence's length, or 0 when it is not valid UTF-8 (overlong, surrogate, beyond U+10FFFF,
 * truncated).
 */
size_t utf8_decode(const char *p, size_t n, uint32_t *ret_cp);
/* Like utf8_decode(), but an invalid byte decodes as itself, with length 1 (@n > 0). */
size_t utf8_decode_lenient(const char *p, size_t n, uint32_t *ret_cp);
