/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The compiler: a schema-valid system or cell description tree becomes a
 * binary blob (include/warden/config.h). Deterministic: the same tree gives
 * the same bytes, so a YAML file and its JSON equivalent compile alike. What
 * the schema cannot see (a value out of range for 64 bits, an image naming an
 * unknown region, an entry point that cannot be derived) is reported to
 * @diags at the offending node. Every blob is checked by the shared checker
 * (include/warden/config-check.h) before it is returned, so the compiler can
 * never hand out a blob that the module or the hypervisor would refuse.
 */
#pragma once

#include <stddef.h>
#include <stdint.h>

#include "desc.h"
#include "diag.h"

int desc_compile_cell(const DescNode *root, DiagList *diags, void **ret_blob, size_t *ret_size);
int desc_compile_system(const DescNode *root, DiagList *diags, void **ret_blob, size_t *ret_size);

/*
 * The entry of an interrupt list (a cell's irqs, root-cell.irqs) that names @irq, as a number
 * or within an "A-B" range string; NULL when none does. For diagnostics about one interrupt.
 */
const DescNode *desc_irqs_entry(const DescNode *irqs, uint32_t irq);
