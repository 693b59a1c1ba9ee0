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
#include "schema-props.h"
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

static bool documented(const DescMember *m, void *userdata) {
        const char *doc = userdata;
        char a[128], b[128];

        snprintf(a, sizeof(a), "`%s`", m->key);
        snprintf(b, sizeof(b), ".%s`", m->key);
        if (streq(m->key, "$schema") || strstr(doc, a) || strstr(doc, b))
                return true;
        fprintf(stderr, "%s: property '%s' (%u:%u) is not documented\n", DOC, m->key, m->key_loc.line,
                m->key_loc.column);
        return false;
}

TEST(every_property_documented) {
        _cleanup_free_ char *doc = read_doc();

        ASSERT_EQ(schemas_properties_check(documented, doc), 0);
}

DEFINE_TEST_MAIN
