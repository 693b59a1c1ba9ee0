/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The regular expressions of JSON Schema's "pattern" and "patternProperties":
 * ECMA-262 syntax with the "u" flag (code points, strict escapes), run by PCRE2
 * with the options closest to ECMA-262. A short lexical pass before PCRE2
 * refuses what ECMA-262 forbids and PCRE2 would read differently, and spells
 * the few escapes whose PCRE2 meaning differs (\s \S \v ".", surrogate pairs,
 * \NN) in PCRE2's terms. docs/schema-validator.md lists what still differs.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct Regex Regex;

/*
 * Compiles @len bytes of UTF-8 @pattern. Returns 0 and sets *ret; -EINVAL for a
 * syntax error, -EOPNOTSUPP for a pattern ECMA-262 accepts but PCRE2 cannot run
 * (a lookbehind of unbounded length, a count above 65535, ...). Both set
 * *ret_error to an allocated explanation that says where in the pattern.
 * -ENOMEM when memory runs out.
 */
int regex_compile(const char *pattern, size_t len, Regex **ret, char **ret_error);
Regex *regex_free(Regex *re);

/*
 * Whether @re matches anywhere in @len bytes of UTF-8 @s (search, not full
 * match): 1 or 0. Each step of the matcher (each pattern item PCRE2 tries,
 * backtracking included) takes one from *budget; when it runs out, -E2BIG.
 * -ENOMEM when memory runs out.
 */
int regex_search(const Regex *re, const char *s, size_t len, uint64_t *budget);
