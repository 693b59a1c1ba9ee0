/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * libFuzzer target for the compiler and the decoder. The input is a cell or
 * system description (YAML; JSON works too) run through the whole per-file
 * pipeline: parse, schema, compile. Whatever compiles must pass the shared
 * checker, decode, and compile back from its decoded text to identical bytes;
 * whatever fails must have said why with a located diagnostic.
 */
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include "desc-compile.h"
#include "desc-decode.h"
#include "desc-set.h"

#define CHECK(expr)                                                                     \
        do {                                                                            \
                if (!(expr)) {                                                          \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
                        abort();                                                        \
                }                                                                       \
        } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

static DescSet *set;

/* Parse, validate and compile one text; 0 with the blob, or <0 with a diagnostic. */
static int compile(const char *text, size_t size, void **ret, size_t *ret_size) {
        DiagList d = { .max = 64 };
        DescSource *s = NULL;
        int r;

        r = desc_parse("fuzz.yaml", text, size, DESC_FORMAT_YAML, &d, &s);
        if (r >= 0) {
                DescKind k = desc_get(s->root, "system") ? DESC_KIND_SYSTEM : DESC_KIND_CELL;

                r = schema_validate(set->schemas[k], s->root, &d);
                if (r >= 0)
                        r = k == DESC_KIND_SYSTEM ? desc_compile_system(s->root, &d, ret, ret_size)
                                                  : desc_compile_cell(s->root, &d, ret, ret_size);
        }
        if (r == -EINVAL)
                CHECK(d.n_errors > 0);
        desc_source_free(s);
        diag_list_done(&d);
        return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        void *a = NULL, *b = NULL;
        size_t na = 0, nb = 0, ntext = 0;
        char *text = NULL;
        struct warden_config_error e;
        FILE *f;

        if (!set)
                CHECK(desc_set_new(&set) >= 0);
        if (compile((const char *) data, size, &a, &na) < 0)
                return 0;
        f = open_memstream(&text, &ntext);
        CHECK(f);
        CHECK(desc_decode(a, na, f, &e) == 0);
        fclose(f);
        CHECK(compile(text, ntext, &b, &nb) == 0);
        CHECK(na == nb && memcmp(a, b, na) == 0);
        free(text);
        free(a);
        free(b);
        return 0;
}
