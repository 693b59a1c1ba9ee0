/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * docs/description-language.md keeps in step with the schemas: every property any schema
 * defines is documented there (as `name` or `parent.name`).
 */
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desc.h"
#include "macro.h"
#include "schemas.h"
#include "tests.h"

#define DOC "docs/description-language.md"

static char *read_doc(void) {
        struct stat st;
        char *buf;
        FILE *f;

        if (stat(DOC, &st) < 0)
                ASSERT_OK(chdir(".."));
        f = fopen(DOC, "r");
        ASSERT_NOT_NULL(f);
        ASSERT_OK(fstat(fileno(f), &st));
        buf = calloc(1, st.st_size + 1);
        ASSERT_NOT_NULL(buf);
        ASSERT_EQ(fread(buf, 1, st.st_size, f), (size_t) st.st_size);
        fclose(f);
        return buf;
}

static unsigned check_node(const DescNode *n, const char *doc) {
        unsigned missing = 0;

        if (n->type == DESC_ARRAY)
                for (size_t i = 0; i < n->array.n; i++)
                        missing += check_node(n->array.items[i], doc);
        if (n->type != DESC_OBJECT)
                return missing;
        for (size_t i = 0; i < n->object.n; i++) {
                const DescMember *m = &n->object.members[i];

                if (streq(m->key, "properties") && m->value->type == DESC_OBJECT)
                        for (size_t k = 0; k < m->value->object.n; k++) {
                                const char *name = m->value->object.members[k].key;
                                char a[128], b[128];

                                snprintf(a, sizeof(a), "`%s`", name);
                                snprintf(b, sizeof(b), ".%s`", name);
                                if (streq(name, "$schema") || strstr(doc, a) || strstr(doc, b))
                                        continue;
                                fprintf(stderr, "%s: property '%s' (%u:%u) is not documented\n", DOC, name,
                                        m->value->object.members[k].key_loc.line,
                                        m->value->object.members[k].key_loc.column);
                                missing++;
                        }
                missing += check_node(m->value, doc);
        }
        return missing;
}

static void check_schema(const char *file, const char *text, const char *doc) {
        DiagList diags = {};
        DescSource *s = NULL;

        ASSERT_OK(desc_parse(file, text, strlen(text), DESC_FORMAT_JSON, &diags, &s));
        ASSERT_EQ(check_node(s->root, doc), 0);
        desc_source_free(s);
        diag_list_done(&diags);
}

TEST(every_property_documented) {
        _cleanup_free_ char *doc = read_doc();

        check_schema(schema_cell_file, schema_cell_json, doc);
        check_schema(schema_system_file, schema_system_json, doc);
}

DEFINE_TEST_MAIN
