/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The regular expressions of JSON Schema's "pattern" and "patternProperties":
 * a backtracking matcher for the ECMA-262 syntax with the "u" flag (code
 * points, strict escapes). Supported: literals, ".", character classes with
 * ranges and negation, \d \D \w \W \s \S, \t \n \v \f \r \0 \cX \xHH \uHHHH
 * \u{H...}, identity escapes of syntax characters, ^ $ \b \B (no multiline),
 * groups (capturing, named, non-capturing), alternation, greedy and lazy
 * quantifiers * + ? {n} {n,} {n,m} (counts up to 1000), lookahead (?= ) (?! ).
 * Refused when compiling: backreferences, lookbehind, Unicode property
 * escapes \p{} \P{}, and programs larger than a fixed limit.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

typedef struct Regex Regex;

/*
 * Compiles @len bytes of UTF-8 @pattern. Returns 0 and sets *ret; -EINVAL for a
 * syntax error, -EOPNOTSUPP for a construct this matcher does not implement
 * (both set *ret_error to an allocated explanation), or -ENOMEM.
 */
int regex_compile(const char *pattern, size_t len, Regex **ret, char **ret_error);
Regex *regex_free(Regex *re);

/*
 * Whether @re matches anywhere in @len bytes of UTF-8 @s (search, not full
 * match): 1 or 0. Each step of the matcher takes one from *budget; when it runs
 * out, -E2BIG. -ENOMEM when memory runs out.
 */
int regex_search(const Regex *re, const char *s, size_t len, uint64_t *budget);

