/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The description tree: YAML and JSON parse into the same tree of DescNodes,
 * each of which remembers where it came from (file, line, column). The
 * schema validator, the cross-cell rules and the compiler work on this tree
 * only, so a YAML file and its JSON equivalent are indistinguishable after
 * parsing (apart from locations).
 *
 * Scalars follow the YAML 1.2 core schema for plain (unquoted) YAML scalars:
 * null (null, Null, NULL, ~, empty), booleans (true/false in three casings),
 * integers (decimal with optional sign, 0x hex, 0o octal), floats (including
 * .inf; .nan is refused with rule "yaml-value", as JSON cannot express it);
 * everything else, and every quoted scalar, is a string. The core tags
 * (!!str, !!int, !!float, !!bool, !!null, !!seq, !!map, and "!") are
 * honoured. JSON values map directly (an integral JSON number without
 * fraction or exponent is an integer). Integer literals that do not fit
 * int64_t become DESC_NUMBER in both formats. "0x7040_0000" and "1M" are
 * strings in both formats: the schema accepts the human forms as strings,
 * and the compiler converts them. Keys are strings: a YAML key that is a
 * plain scalar keeps its text (1: becomes "1"); null keys and collection
 * keys are refused (rule "yaml-key").
 *
 * Limits against hostile input (DESC_MAX_*) are errors with a location, never
 * crashes. Duplicate keys are errors in both formats. YAML anchors/aliases
 * are refused with a diagnostic (rule "yaml-alias"); tags other than the core
 * ones are refused (rule "yaml-tag"). Multi-document YAML streams are refused
 * (one description per file).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

#include "diag.h"

#define DESC_MAX_FILE_SIZE   (1024 * 1024)   /* bytes of one description file */
#define DESC_MAX_DEPTH       64              /* nesting of arrays and objects */
#define DESC_MAX_NODES       100000          /* nodes in one file */
#define DESC_MAX_STRING      4096            /* bytes of one scalar or key */

typedef enum DescType {
        DESC_NULL,
        DESC_BOOL,
        DESC_INTEGER,
        DESC_NUMBER,            /* non-integral */
        DESC_STRING,
        DESC_ARRAY,
        DESC_OBJECT,
        _DESC_TYPE_MAX,
        _DESC_TYPE_INVALID = -22,
} DescType;

typedef struct DescNode DescNode;

/* One member of an object, in source order. */
typedef struct DescMember {
        char *key;
        DiagLoc key_loc;
        DescNode *value;
} DescMember;

struct DescNode {
        DescType type;
        DiagLoc loc;            /* where the value starts (a block collection: its first entry) */
        DescNode *parent;       /* NULL for the root */
        union {
                bool boolean;
                int64_t integer;
                double number;
                struct {
                        char *str;              /* NUL-terminated; may not contain NUL (refused) */
                        size_t len;
                } string;
                struct {
                        DescNode **items;
                        size_t n;
                } array;
                struct {
                        DescMember *members;
                        size_t n;
                } object;
        };
};

typedef enum DescFormat {
        DESC_FORMAT_YAML,
        DESC_FORMAT_JSON,
        _DESC_FORMAT_MAX,
        _DESC_FORMAT_INVALID = -22,
} DescFormat;

/* A parsed file: owns the tree, the file name every DiagLoc points to, and the source text. */
typedef struct DescSource {
        char *file;             /* as given (for messages) */
        char *text;             /* the whole source, NUL-terminated */
        size_t size;
        DescNode *root;
        /* private: allocation bookkeeping, and the format that decides what ends a line */
        size_t n_nodes;
        DescFormat format;
} DescSource;

/*
 * Parses @size bytes of @text (need not be NUL-terminated) named @file.
 * Errors go to @diags with their location; returns 0 when a tree was built
 * (*ret set), -EINVAL when the input is invalid (diagnostics added), or
 * another negative errno (-ENOMEM). On failure *ret is untouched.
 */
int desc_parse(const char *file, const char *text, size_t size, DescFormat format, DiagList *diags,
               DescSource **ret);
/*
 * Reads and parses @path; the format comes from the extension (.json is JSON, anything
 * else, .yaml/.yml in particular, is YAML). A file that cannot be read adds an "io"
 * diagnostic (the file name, no line) and returns its negative errno.
 */
int desc_parse_file(const char *path, DiagList *diags, DescSource **ret);
DescSource *desc_source_free(DescSource *s);
static inline void desc_source_freep(DescSource **s) {
        desc_source_free(*s);
}
#define _cleanup_desc_source_ __attribute__((__cleanup__(desc_source_freep)))

/*
 * The two halves of desc_parse_file(), for callers that want to show the source lines of
 * syntax errors too: desc_source_read() reads @path into a new source without a tree
 * ("io" and "limit-size" diagnostics, errors as desc_parse_file()); desc_source_parse()
 * builds s->root (0, -EINVAL with diagnostics, -ENOMEM; -EBUSY when s->root is set). The
 * source stays the caller's either way.
 */
int desc_source_read(const char *path, DiagList *diags, DescSource **ret);
int desc_source_parse(DescSource *s, DescFormat format, DiagList *diags);
DescFormat desc_format_from_path(const char *path);

const char *desc_type_to_string(DescType t);     /* "null", "boolean", "integer", "number", "string", "array", "object" */
DescType desc_type_from_string(const char *s);
const char *desc_format_to_string(DescFormat f);
DescFormat desc_format_from_string(const char *s);

/* Object member lookup; NULL when absent or @node is not an object. */
DescNode *desc_get(const DescNode *node, const char *key);
const DescMember *desc_member(const DescNode *node, const char *key);
/* Deep equality as JSON Schema defines it (1 == 1.0; member order irrelevant). */
bool desc_equal(const DescNode *a, const DescNode *b);
/*
 * JSON text of a subtree on one line (for messages and the JSON printer); caller frees;
 * NULL on -ENOMEM. Members stay in source order; non-integral numbers always show a
 * fraction or an exponent (1.0), infinities are written as 1e999 and -1e999.
 */
char *desc_to_json(const DescNode *node);
/*
 * Start of line @line of @s's text and its length without the newline, or NULL. Lines end
 * at "\n", "\r\n" or "\r", and in YAML also at U+0085, U+2028 and U+2029 (as libyaml
 * counts them); a leading byte order mark is not part of line 1.
 */
const char *desc_source_line(const DescSource *s, unsigned line, size_t *ret_len);
