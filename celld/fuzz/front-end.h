/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The body of the front-end fuzzers (fuzz-desc-json.c, fuzz-desc-yaml.c), which define
 * FUZZ_FILE and FUZZ_FORMAT and include this: any input either parses or fails with
 * diagnostics, never crashes; a tree that parses is well formed (parents, locations,
 * pointers, unique keys) and survives a trip through its JSON text unchanged.
 */
#pragma once

#include <stdint.h>

#include "desc.h"
#include "macro.h"
#include "tests-desc.h"

#define CHECK(expr)                                                                     \
        do {                                                                            \
                if (!(expr)) {                                                          \
                        fprintf(stderr, "%s:%d: check failed: %s\n", __FILE__, __LINE__, #expr); \
                        abort();                                                        \
                }                                                                       \
        } while (0)

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

typedef struct Input {
        const char *text;
        size_t size;
} Input;

/* Source lines straight from the input, for printing diagnostics of failed parses. */
static const char *input_line(const char *file, unsigned line, size_t *ret_len, void *userdata) {
        const Input *in = userdata;
        size_t i = 0, start = 0;
        unsigned n = 1;

        for (; n < line && i < in->size; i++)
                if (in->text[i] == '\n') {
                        n++;
                        start = i + 1;
                }
        if (n != line)
                return NULL;
        for (i = start; i < in->size && in->text[i] != '\n'; i++)
                ;
        *ret_len = i - start;
        return in->text + start;
}

static size_t checked;

static void check_node(const DescSource *s, const DescNode *n, const DescNode *parent, unsigned depth) {
        size_t len;

        CHECK(n->parent == parent);
        CHECK(depth <= DESC_MAX_DEPTH + 1);
        CHECK(n->loc.file == s->file);
        CHECK(n->loc.line >= 1 && n->loc.column >= 1);
        CHECK(desc_equal(n, n));

        /* desc_source_line() scans the text, desc_pointer() the siblings: check a bounded number. */
        if (checked++ < 500) {
                char *p = desc_pointer(n);

                CHECK(desc_source_line(s, n->loc.line, &len));

                CHECK(p);
                CHECK(parent ? p[0] == '/' : p[0] == '\0');
                free(p);
        }

        switch (n->type) {
        case DESC_STRING:
                CHECK(n->string.str && strlen(n->string.str) == n->string.len);
                CHECK(n->string.len <= DESC_MAX_STRING);
                break;
        case DESC_ARRAY:
                for (size_t i = 0; i < n->array.n; i++)
                        check_node(s, n->array.items[i], n, depth + 1);
                break;
        case DESC_OBJECT:
                for (size_t i = 0; i < n->object.n; i++) {
                        const DescMember *m = &n->object.members[i];

                        CHECK(strlen(m->key) <= DESC_MAX_STRING);
                        CHECK(m->key_loc.line >= 1 && m->key_loc.column >= 1);
                        /* Keys are unique: lookup finds this very member. */
                        if (i < 64)
                                CHECK(desc_member(n, m->key) == m);
                        check_node(s, m->value, n, depth + 1);
                }
                break;
        default:
                break;
        }
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size) {
        Input in = { (const char *) data, size };
        DiagList d = { .max = 64 };
        DescSource *s = NULL, *back = NULL;
        static FILE *null;
        char *json;
        int r;

        if (!null) {
                null = fopen("/dev/null", "we");
                CHECK(null);
        }

        r = desc_parse(FUZZ_FILE, in.text, in.size, FUZZ_FORMAT, &d, &s);
        CHECK(r == 0 || r == -EINVAL || r == -ENOMEM);
        if (r == -EINVAL) {
                CHECK(!s);
                CHECK(d.n_errors > 0);
                for (size_t i = 0; i < d.n; i++) {
                        CHECK(!isempty(d.items[i].rule));
                        CHECK(!isempty(d.items[i].message));
                        CHECK(d.items[i].loc.file && streq(d.items[i].loc.file, FUZZ_FILE));
                }
        }
        diag_list_sort(&d);
        diag_list_print(&d, null, true, input_line, &in);
        CHECK(diag_list_print_json(&d, null) >= 0);
        diag_list_done(&d);

        if (r < 0)
                goto finish;

        CHECK(s->root);
        CHECK(s->n_nodes <= DESC_MAX_NODES);
        checked = 0;
        check_node(s, s->root, NULL, 1);

        /* The JSON text of the tree parses back to an equal tree. */
        json = desc_to_json(s->root);
        CHECK(json);
        d = (DiagList) {};
        r = desc_parse("back.json", json, strlen(json), DESC_FORMAT_JSON, &d, &back);
        if (r < 0) {
                diag_list_print(&d, stderr, false, NULL, NULL);
                fprintf(stderr, "JSON text: %s\n", json);
        }
        CHECK(r == 0 || (r == -EINVAL && strlen(json) > DESC_MAX_FILE_SIZE));
        if (r == 0) {
                CHECK(d.n == 0);
                CHECK(desc_equal(s->root, back->root));
                CHECK(desc_equal(back->root, s->root));
                CHECK(back->n_nodes == s->n_nodes);
        }
        diag_list_done(&d);
        desc_source_free(back);
        free(json);

finish:
        desc_source_free(s);
        return 0;
}
