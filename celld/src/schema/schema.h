/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A JSON Schema (draft 2020-12) validator over description trees (desc.h).
 *
 * schema_new() compiles a schema given as a DescNode tree. Every keyword in
 * the schema must be one the validator implements: unknown keywords and
 * JSON Schema keywords it does not implement are refused with a located
 * diagnostic (rule "schema-unsupported"), malformed keyword values too (rule
 * "schema-invalid"); nothing is silently ignored. "$ref" may point anywhere
 * inside the schema document (JSON pointers, "$anchor"s, embedded "$id"s),
 * never to another document. The Schema borrows the tree: keep the
 * DescSource alive while the Schema is used.
 *
 * schema_validate() checks an instance and reports every problem it finds
 * as a diagnostic at the offending instance node (rules "schema-type",
 * "schema-required", "schema-additional", "schema-enum", "schema-const",
 * "schema-pattern", "schema-range", "schema-length", "schema-items",
 * "schema-properties", "schema-property-name", "schema-false", "schema-not",
 * "schema-anyof", "schema-oneof"), at most one per instance node, with
 * hints such as "did you mean 'memory'?". docs/schema-validator.md lists
 * the keywords and the messages.
 */
#pragma once

#include "desc.h"
#include "diag.h"
#include "macro.h"

typedef struct Schema Schema;

/*
 * Compiles the schema @root. Returns 0 and sets *ret, -EINVAL when the schema is
 * refused (diagnostics added to @diags), or another negative errno (-ENOMEM).
 */
int schema_new(const DescNode *root, DiagList *diags, Schema **ret);
Schema *schema_free(Schema *s);
DEFINE_TRIVIAL_CLEANUP_FUNC(Schema *, schema_free);

/*
 * Validates @instance. Returns 0 when it is valid, -EINVAL when it is not
 * (diagnostics added to @diags), -ELOOP when the schema recurses without end
 * (e.g. a "$ref" cycle), -E2BIG when the work limit against pathological
 * schemas was reached (a diagnostic says so in both cases), or -ENOMEM.
 */
int schema_validate(const Schema *s, const DescNode *instance, DiagList *diags);
