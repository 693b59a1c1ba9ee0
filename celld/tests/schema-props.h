/* SPDX-License-Identifier: GPL-2.0-only */
/* For tests that hold a document against the schemas: every property any schema defines. */
#pragma once

#include "desc.h"
#include "macro.h"
#include "schemas.h"
#include "tests.h"

/* Whether the document has @property (a member of a schema's "properties"). */
typedef bool (*schema_property_fn)(const DescMember *property, void *userdata);

/* Calls @fn for every member of every "properties" object in @n's tree; returns its refusals. */
static inline unsigned schema_properties_check(const DescNode *n, schema_property_fn fn, void *userdata) {
        unsigned missing = 0;

        if (n->type == DESC_ARRAY)
                for (size_t i = 0; i < n->array.n; i++)
                        missing += schema_properties_check(n->array.items[i], fn, userdata);
        if (n->type != DESC_OBJECT)
                return missing;
        for (size_t i = 0; i < n->object.n; i++) {
                const DescMember *m = &n->object.members[i];

                if (streq(m->key, "properties") && m->value->type == DESC_OBJECT)
                        for (size_t k = 0; k < m->value->object.n; k++)
                                missing += !fn(&m->value->object.members[k], userdata);
                missing += schema_properties_check(m->value, fn, userdata);
        }
        return missing;
}

/* schema_properties_check() over both schemas compiled into the tools. */
static inline unsigned schemas_properties_check(schema_property_fn fn, void *userdata) {
        const struct {
                const char *file, *json;
        } schemas[] = { { schema_system_file, schema_system_json }, { schema_cell_file, schema_cell_json } };
        unsigned missing = 0;

        for (size_t i = 0; i < ELEMENTSOF(schemas); i++) {
                DiagList diags = {};
                DescSource *s = NULL;

                ASSERT_OK(desc_parse(schemas[i].file, schemas[i].json, strlen(schemas[i].json), DESC_FORMAT_JSON,
                                     &diags, &s));
                missing += schema_properties_check(s->root, fn, userdata);
                desc_source_free(s);
                diag_list_done(&diags);
        }
        return missing;
}
