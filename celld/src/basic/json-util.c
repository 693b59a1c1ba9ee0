/* SPDX-License-Identifier: GPL-2.0-only */
/* jansson helpers shared by the CLIs. */
#include <errno.h>
#include <unistd.h>

#include "json-util.h"

static int json_dump_line(const json_t *v, FILE *f, size_t flags) {
        if (json_dumpf(v, f, JSON_PRESERVE_ORDER | flags) < 0 || fputc('\n', f) == EOF)
                return -EIO;
        return 0;
}

int json_print(const json_t *v, FILE *f) {
        return json_dump_line(v, f, isatty(fileno(f)) ? JSON_INDENT(2) : JSON_COMPACT);
}

int json_print_line(const json_t *v, FILE *f) {
        return json_dump_line(v, f, JSON_COMPACT);
}

int json_object_set_string(json_t *obj, const char *key, const char *value) {
        return json_object_set_new(obj, key, json_string(value)) < 0 ? -ENOMEM : 0;
}

int json_object_set_integer(json_t *obj, const char *key, json_int_t value) {
        return json_object_set_new(obj, key, json_integer(value)) < 0 ? -ENOMEM : 0;
}
