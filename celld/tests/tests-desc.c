/* SPDX-License-Identifier: GPL-2.0-only */
/* Helpers on description trees that only the tests and the fuzzers use. */
#include <stdio.h>
#include <stdlib.h>

#include "macro.h"
#include "tests-desc.h"

const char *desc_sources_line(const char *file, unsigned line, size_t *ret_len, void *userdata) {
        for (DescSource *const *s = userdata; s && *s; s++)
                if ((*s)->file && file && streq((*s)->file, file))
                        return desc_source_line(*s, line, ret_len);
        return NULL;
}

static void write_pointer(FILE *f, const DescNode *n) {
        const DescNode *p = n->parent;

        if (!p)
                return;
        write_pointer(f, p);

        fputc('/', f);
        if (p->type == DESC_ARRAY) {
                for (size_t i = 0; i < p->array.n; i++)
                        if (p->array.items[i] == n) {
                                fprintf(f, "%zu", i);
                                return;
                        }
        } else if (p->type == DESC_OBJECT) {
                for (size_t i = 0; i < p->object.n; i++)
                        if (p->object.members[i].value == n) {
                                for (const char *k = p->object.members[i].key; *k; k++)
                                        if (*k == '~')
                                                fputs("~0", f);
                                        else if (*k == '/')
                                                fputs("~1", f);
                                        else
                                                fputc(*k, f);
                                return;
                        }
        }
}

char *desc_pointer(const DescNode *node) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        if (!node)
                return NULL;

        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        write_pointer(f, node);
        /* buf is only valid after fclose(). */
        if (fclose(f) != 0 || !buf) {
                free(buf);
                return NULL;
        }
        return buf;
}
