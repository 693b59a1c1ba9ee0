/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target for the schema validator. The input is a schema (JSON), then a line
 * "---", then an instance (YAML, so JSON works too); without the separator the whole
 * input is both. Any schema either loads or is refused with diagnostics; validation
 * ends with a verdict, or with -ELOOP/-E2BIG and a diagnostic, never a crash or a hang.
 */
#include <stdint.h>

#include "desc.h"
#include "macro.h"
#include "schema.h"

#define SEPARATOR "\n---\n"

#define CHECK(expr)                                                                     \
        do {                                                                            \
                if (!(expr)) {                                                          \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
                        abort();                                                        \
                }                                                                       \
        } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static FILE *null;

static void check_diags(const DiagList *d) {
        for (size_t i = 0; i < d->n; i++) {
                CHECK(!isempty(d->items[i].rule));
                CHECK(!isempty(d->items[i].message));
                CHECK(d->items[i].loc.file);
        }
        diag_list_print(d, null, false, NULL, NULL);
}

static void validate(const Schema *s, const DescNode *instance) {
        DiagList d = { .max = 64 };
        int r;

        r = schema_validate(s, instance, &d);
        CHECK(r == 0 || r == -EINVAL || r == -ELOOP || r == -E2BIG || r == -ENOMEM);
        if (r == 0)
                CHECK(d.n == 0);
        else if (r != -ENOMEM)
                CHECK(d.n_errors > 0 || d.n_dropped > 0);
        check_diags(&d);
        diag_list_done(&d);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        const char *text = (const char *) data, *sep;
        size_t schema_size = size;
        DescSource *schema_src = NULL, *instance_src = NULL;
        DiagList d = { .max = 64 };
        Schema *s = NULL;
        int r;

        if (!null) {
                null = fopen("/dev/null", "we");
                CHECK(null);
        }
        sep = memmem(text, size, SEPARATOR, strlen(SEPARATOR));
        if (sep)
                schema_size = (size_t) (sep - text);

        if (desc_parse("schema.json", text, schema_size, DESC_FORMAT_JSON, &d, &schema_src) < 0)
                goto finish;
        r = schema_new(schema_src->root, &d, &s);
        CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
        CHECK(r == 0 ? !!s : !s);
        if (r == -EINVAL)
                CHECK(d.n_errors > 0 || d.n_dropped > 0);
        check_diags(&d);
        if (r < 0)
                goto finish;
        /* The schema document as an instance of itself, then the instance part. */
        validate(s, schema_src->root);
        if (sep) {
                const char *inst = sep + strlen(SEPARATOR);

                diag_list_done(&d);
                d = (DiagList) { .max = 64 };
                if (desc_parse("instance.yaml", inst, size - (size_t) (inst - text), DESC_FORMAT_YAML, &d,
                               &instance_src) >= 0)
                        validate(s, instance_src->root);
        }

finish:
        diag_list_done(&d);
        schema_free(s);
        desc_source_free(instance_src);
        desc_source_free(schema_src);
        return 0;
}
