/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Inside the schema validator: the compiled schema (SNodes with one slot per
 * keyword present), the keyword table, the validation context and the helpers
 * the keyword handlers share. Not for users of schema.h.
 */
#pragma once

#include <stdarg.h>
#include <stdint.h>

#include "schema-regex.h"
#include "schema.h"

#define SCHEMA_DIALECT "https://json-schema.org/draft/2020-12/schema"
#define SCHEMA_MAX_LOAD_DEPTH 256       /* nesting of schemas in one document */
#define SCHEMA_MAX_EVAL_DEPTH 1000      /* nested evaluations ($ref chains, applicators) */
#define SCHEMA_BUDGET 20000000ULL       /* evaluation steps and regex steps of one validation */
#define SCHEMA_MAX_ERRORS 10000         /* errors kept by one evaluation */

/* Keywords in validation order: "type" first, so a type mismatch is the first error at a node. */
typedef enum KeywordId {
        KW_SCHEMA,
        KW_ID,
        KW_ANCHOR,
        KW_DEFS,
        KW_COMMENT,
        KW_TITLE,
        KW_DESCRIPTION,
        KW_DEFAULT,
        KW_EXAMPLES,
        KW_DEPRECATED,
        KW_READ_ONLY,
        KW_WRITE_ONLY,
        KW_FORMAT,
        KW_TYPE,
        KW_CONST,
        KW_ENUM,
        KW_MULTIPLE_OF,
        KW_MINIMUM,
        KW_EXCLUSIVE_MINIMUM,
        KW_MAXIMUM,
        KW_EXCLUSIVE_MAXIMUM,
        KW_MIN_LENGTH,
        KW_MAX_LENGTH,
        KW_PATTERN,
        KW_REQUIRED,
        KW_DEPENDENT_REQUIRED,
        KW_MIN_PROPERTIES,
        KW_MAX_PROPERTIES,
        KW_PROPERTY_NAMES,
        KW_PROPERTIES,
        KW_PATTERN_PROPERTIES,
        KW_ADDITIONAL_PROPERTIES,
        KW_DEPENDENT_SCHEMAS,
        KW_MIN_ITEMS,
        KW_MAX_ITEMS,
        KW_UNIQUE_ITEMS,
        KW_PREFIX_ITEMS,
        KW_ITEMS,
        KW_CONTAINS,
        KW_MIN_CONTAINS,
        KW_MAX_CONTAINS,
        KW_REF,
        KW_ALL_OF,
        KW_ANY_OF,
        KW_ONE_OF,
        KW_NOT,
        KW_IF,
        KW_THEN,
        KW_ELSE,
        _KW_MAX,
} KeywordId;

typedef struct SNode SNode;

/* A JSON number: int64 when the tree has an integer, double otherwise. */
typedef struct Num {
        bool is_int;
        int64_t i;
        double d;
} Num;

/* One member of a keyword's object value (properties, patternProperties, dependent*, $defs). */
typedef struct SNamed {
        const DescMember *member;
        Regex *re;              /* patternProperties */
        SNode *schema;          /* NULL for dependentRequired */
} SNamed;

typedef struct Slot {
        KeywordId id;
        const DescMember *member;       /* the keyword in the schema tree */
        union {
                unsigned mask;          /* type: bits (1 << DescType), bit 7: "integer" */
                Num num;
                uint64_t count;
                bool flag;
                SNode *sub;
                struct {
                        SNode **v;
                        size_t n;
                } list;
                struct {
                        SNamed *v;
                        size_t n;
                } named;
                Regex *re;
                struct {
                        char *uri;
                        SNode *target;
                } ref;
        };
} Slot;

struct SNode {
        const DescNode *node;
        bool is_bool, value;
        const char *title, *description;
        const char *base;               /* base URI, owned by the Schema */
        uint8_t index[_KW_MAX];         /* 1 + slot of each keyword present, 0 when absent */
        Slot *slots;                    /* in keyword order */
        size_t n_slots;
};

#define TYPE_INTEGER_BIT 7u

typedef struct Loader Loader;

/* Error kinds that decide how anyOf/oneOf pick the branch to report. */
typedef enum VErrKind {
        VERR_OTHER,
        VERR_TYPE,              /* the instance has the wrong type */
        VERR_VALUE,             /* const/enum: the wrong value */
        VERR_FALSE,             /* a false schema */
} VErrKind;

typedef struct VErr {
        const char *rule;
        VErrKind kind;
        DiagLoc loc;
        char *message;
        char *hint;
        DiagLoc related_loc;
        char *related_message;
        const void *id;         /* the instance node (or member, for keys) */
        unsigned depth;
        unsigned types;         /* VERR_TYPE: the types allowed */
        char *expect;           /* VERR_VALUE: "'auto'", "one of: a, b" */
} VErr;

typedef struct VErrList {
        VErr *v;
        size_t n, allocated;
} VErrList;

typedef enum InstKind {
        INST_ROOT,
        INST_MEMBER,            /* an object member's value */
        INST_ITEM,              /* an array item */
        INST_KEY,               /* an object member's key (propertyNames) */
} InstKind;

/* The instance being validated, with the path that led to it. */
typedef struct Inst {
        const DescNode *node;
        const struct Inst *up;
        const DescMember *member;
        size_t index;
        InstKind kind;
        unsigned depth;
} Inst;

typedef struct VCtx {
        const Schema *schema;
        VErrList *errs;         /* NULL: quiet, only the verdict matters */
        const SNode *hint;      /* innermost schema being evaluated that has a description or title */
        VErr *last;             /* the error verr_add() just added, NULL if none (quiet, or list full) */
        unsigned depth;
        uint64_t budget;
} VCtx;

typedef struct Keyword {
        const char *name;
        /* Compiles slot->member->value; diagnostics via schema_invalid(). */
        int (*load)(Loader *l, SNode *n, Slot *slot);
        /* 1 valid, 0 invalid (an error was added unless quiet), negative errno. */
        int (*validate)(VCtx *c, const SNode *n, const Slot *slot, const Inst *in);
} Keyword;

extern const Keyword schema_keywords[_KW_MAX];

/* Keywords of JSON Schema (this draft or others) that are refused, with why; NULL-terminated. */
typedef struct UnsupportedKeyword {
        const char *name;
        const char *why;
} UnsupportedKeyword;
extern const UnsupportedKeyword schema_unsupported_keywords[];

/* schema.c: loading */
int schema_compile(Loader *l, const DescNode *node, const char *base, SNode **ret);
int schema_invalid(Loader *l, const char *rule, DiagLoc loc, const char *hint, const char *fmt, ...)
        _printf_(5, 6);
int schema_add_ref(Loader *l, SNode *n, Slot *slot);
int schema_load_id(Loader *l, SNode *n, Slot *slot);
const SNode *schema_root(const Schema *s);
int schema_add_anchor(Loader *l, SNode *n, const char *name, DiagLoc loc);
int schema_load_count(Loader *l, const Slot *slot, uint64_t *ret);
int schema_load_num(Loader *l, const Slot *slot, Num *ret);
int schema_load_sub(Loader *l, SNode *n, const Slot *slot, SNode **ret);
int schema_load_list(Loader *l, SNode *n, const Slot *slot, SNode ***ret, size_t *ret_n);
int schema_load_map(Loader *l, SNode *n, const Slot *slot, bool schemas, SNamed **ret, size_t *ret_n);
int schema_load_regex(Loader *l, const DescNode *value, const char *what, Regex **ret);
int schema_load_string_array(Loader *l, const DescNode *value, const char *what);
const Slot *snode_slot(const SNode *n, KeywordId id);
/* The title of @n, or of the schema its lone "$ref" points to. */
const char *snode_label(const SNode *n);

/* schema-validate.c: evaluation and errors */
int schema_eval(VCtx *c, const SNode *s, const Inst *in);
int schema_eval_quiet(VCtx *c, const SNode *s, const Inst *in);
int schema_eval_member(VCtx *c, const SNode *s, const Inst *in, const DescMember *m);
int schema_eval_item(VCtx *c, const SNode *s, const Inst *in, size_t index);
int verr_add(VCtx *c, const Inst *in, const char *rule, VErrKind kind, const char *fmt, ...) _printf_(5, 6);
int verr_set_hint(VErr *e, const char *fmt, ...) _printf_(2, 3);
char *inst_name(const Inst *in);
const void *inst_id(const Inst *in);
DiagLoc inst_loc(const Inst *in);
int schema_report_branches(VCtx *c, const Slot *slot, const Inst *in, const char *rule);
void verr_list_done(VErrList *l);
int types_phrase(unsigned mask, char **ret);
const char *inst_type_phrase(const DescNode *node);

/* schema-value.c: JSON values */
bool desc_node_num(const DescNode *node, Num *ret);
int num_cmp(Num a, Num b);              /* -1, 0, 1; 2 when unordered (NaN) */
bool num_is_integral(Num n);
bool num_multiple_of(Num value, Num divisor);
char *num_to_string(Num n);
bool value_equal(const DescNode *a, const DescNode *b);
uint64_t value_hash(const DescNode *v);
size_t utf8_length(const char *s, size_t len);
/* JSON text of @v, shortened to about @max bytes; strings bare when @bare_strings. */
char *value_render(const DescNode *v, size_t max, bool bare_strings);

/* schema-uri.c: RFC 3986 references */
/* Resolves @ref against @base (RFC 3986 section 5.2; @base may be relative or empty). */
int uri_resolve(const char *base, const char *ref, char **ret);
/* Percent-decodes @len bytes of @s; -EINVAL for a bad escape or a decoded NUL. */
int uri_unescape(const char *s, size_t len, char **ret);
