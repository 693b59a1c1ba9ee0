/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * How fast descriptions are validated and compiled: parse, schema, compile
 * of one cell description in a loop on one core; reports descriptions per
 * second and the peak memory. Reports figures, asserts nothing.
 *
 *   bench-desc FILE [SECONDS]
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/resource.h>
#include <time.h>

#include "desc-compile.h"
#include "desc-set.h"

static double now(void) {
        struct timespec ts;

        clock_gettime(CLOCK_MONOTONIC, &ts);
        return ts.tv_sec + ts.tv_nsec / 1e9;
}

static char *slurp(const char *path, size_t *ret_size) {
        FILE *f = fopen(path, "rb");
        char *buf;
        long n;

        if (!f)
                return NULL;
        fseek(f, 0, SEEK_END);
        n = ftell(f);
        rewind(f);
        buf = malloc(n + 1);
        if (buf && fread(buf, 1, n, f) != (size_t) n) {
                free(buf);
                buf = NULL;
        }
        fclose(f);
        *ret_size = (size_t) n;
        return buf;
}

/* One description through the per-file pipeline; 0 when it compiled. */
static int one(DescSet *set, const char *path, const char *text, size_t size) {
        DiagList diags = {};
        DescSource *s = NULL;
        void *blob = NULL;
        size_t blob_size;
        int r;

        r = desc_parse(path, text, size, desc_format_from_path(path), &diags, &s);
        if (r >= 0)
                r = schema_validate(set->schemas[DESC_KIND_CELL], s->root, &diags);
        if (r >= 0)
                r = desc_compile_cell(s->root, &diags, &blob, &blob_size);
        free(blob);
        desc_source_free(s);
        diag_list_done(&diags);
        return r;
}

int main(int argc, char *argv[]) {
        double seconds = argc > 2 ? atof(argv[2]) : 2.0, t0, t;
        _cleanup_(desc_set_freep) DescSet *set = NULL;
        _cleanup_free_ char *text = NULL;
        struct rusage ru;
        unsigned long n = 0;
        size_t size;

        if (argc < 2) {
                fprintf(stderr, "usage: bench-desc FILE [SECONDS]\n");
                return 2;
        }
        text = slurp(argv[1], &size);
        if (!text || desc_set_new(&set) < 0 || one(set, argv[1], text, size) < 0) {
                fprintf(stderr, "bench-desc: %s does not compile\n", argv[1]);
                return 1;
        }
        t0 = now();
        do {
                for (int i = 0; i < 100; i++)
                        (void) one(set, argv[1], text, size);
                n += 100;
                t = now() - t0;
        } while (t < seconds);
        getrusage(RUSAGE_SELF, &ru);
        printf("%.0f descriptions/s (%lu in %.2f s, %zu bytes each), peak RSS %ld KiB\n", n / t, n, t, size,
               ru.ru_maxrss);
        return 0;
}
