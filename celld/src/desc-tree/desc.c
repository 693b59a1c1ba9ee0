/* SPDX-License-Identifier: GPL-2.0-only */
/* The description tree: sources, nodes, limits, lookups, equality, JSON text and pointers. */
#include <errno.h>
#include <fcntl.h>
#include <inttypes.h>
#include <locale.h>
#include <math.h>     /* isinf(), isnan() */
#include <strings.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desc-internal.h"
#include "utf8.h"
#include "macro.h"

static const char *const desc_type_table[_DESC_TYPE_MAX] = {
        [DESC_NULL] = "null",
        [DESC_BOOL] = "boolean",
        [DESC_INTEGER] = "integer",
        [DESC_NUMBER] = "number",
        [DESC_STRING] = "string",
        [DESC_ARRAY] = "array",
        [DESC_OBJECT] = "object",
};

DEFINE_STRING_TABLE_LOOKUP(desc_type, DescType);

static const char *const desc_format_table[_DESC_FORMAT_MAX] = {
        [DESC_FORMAT_YAML] = "yaml",
        [DESC_FORMAT_JSON] = "json",
};

DEFINE_STRING_TABLE_LOOKUP(desc_format, DescFormat);

char *desc_strndup(const char *s, size_t len) {
        char *p;

        if (len == SIZE_MAX)
                return NULL;
        p = malloc(len + 1);
        if (!p)
                return NULL;
        memcpy(p, s, len);
        p[len] = '\0';
        return p;
}

/* UTF-8 */

size_t desc_utf8_prefix(const char *s, size_t len, size_t max) {
        if (len <= max)
                return len;
        while (max > 0 && ((unsigned char) s[max] & 0xc0) == 0x80)
                max--;
        return max;
}

size_t desc_utf8_encode(uint32_t cp, char buf[static 4]) {
        if (cp < 0x80) {
                buf[0] = (char) cp;
                return 1;
        }
        if (cp < 0x800) {
                buf[0] = (char) (0xc0 | (cp >> 6));
                buf[1] = (char) (0x80 | (cp & 0x3f));
                return 2;
        }
        if (cp < 0x10000) {
                buf[0] = (char) (0xe0 | (cp >> 12));
                buf[1] = (char) (0x80 | ((cp >> 6) & 0x3f));
                buf[2] = (char) (0x80 | (cp & 0x3f));
                return 3;
        }
        buf[0] = (char) (0xf0 | (cp >> 18));
        buf[1] = (char) (0x80 | ((cp >> 12) & 0x3f));
        buf[2] = (char) (0x80 | ((cp >> 6) & 0x3f));
        buf[3] = (char) (0x80 | (cp & 0x3f));
        return 4;
}

/* Sources and locations */

size_t desc_source_bom(const DescSource *s) {
        if (s->size >= 3 && memcmp(s->text, "\xef\xbb\xbf", 3) == 0)
                return 3;
        return 0;
}

/* The length of the line break at byte @i of @s's text, or 0. */
static size_t desc_line_break(const DescSource *s, size_t i) {
        const char *t = s->text + i;
        size_t left = s->size - i;

        if (left == 0)
                return 0;
        if (t[0] == '\n')
                return 1;
        if (t[0] == '\r')
                return left >= 2 && t[1] == '\n' ? 2 : 1;
        if (s->format != DESC_FORMAT_YAML || (unsigned char) t[0] < 0x80)
                return 0;
        /* libyaml reads YAML 1.1, where NEL, LINE SEPARATOR and PARAGRAPH SEPARATOR end lines. */
        if (left >= 2 && memcmp(t, "\xc2\x85", 2) == 0)
                return 2;
        if (left >= 3 && (memcmp(t, "\xe2\x80\xa8", 3) == 0 || memcmp(t, "\xe2\x80\xa9", 3) == 0))
                return 3;
        return 0;
}

DiagLoc desc_source_loc(const DescSource *s, size_t offset) {
        DiagLoc loc = { .file = s->file, .line = 1, .column = 1 };
        size_t i;

        if (offset > s->size)
                offset = s->size;

        for (i = desc_source_bom(s); i < offset;) {
                size_t k = desc_line_break(s, i);

                if (k > 0) {
                        loc.line++;
                        loc.column = 1;
                        i += k;
                        continue;
                }
                if (((unsigned char) s->text[i] & 0xc0) != 0x80)
                        loc.column++;
                i++;
        }
        return loc;
}

const char *desc_source_line(const DescSource *s, unsigned line, size_t *ret_len) {
        size_t i, start;
        unsigned n = 1;

        if (!s || !s->text || line == 0)
                return NULL;

        i = start = desc_source_bom(s);
        for (;;) {
                size_t k = desc_line_break(s, i);

                if (k > 0 || i >= s->size) {
                        if (n == line) {
                                if (ret_len)
                                        *ret_len = i - start;
                                return s->text + start;
                        }
                        if (i >= s->size)
                                return NULL;
                        n++;
                        i += k;
                        start = i;
                        continue;
                }
                i++;
        }
}

DescSource *desc_source_free(DescSource *s) {
        if (!s)
                return NULL;
        desc_node_free(s->root);
        free(s->file);
        free(s->text);
        free(s);
        return NULL;
}

static int desc_source_new(const char *file, char *text, size_t size, DescSource **ret) {
        DescSource *s;

        s = calloc(1, sizeof(DescSource));
        if (!s)
                return -ENOMEM;
        s->file = strdup(strempty(file));
        if (!s->file) {
                free(s);
                return -ENOMEM;
        }
        s->text = text;
        s->size = size;
        *ret = s;
        return 0;
}

static int desc_limit_size(const char *file, uintmax_t size, DiagList *diags) {
        int r;

        r = diag_add(diags, DIAG_ERROR, "limit-size", (DiagLoc) { .file = file },
                     "file is %ju bytes, more than the limit of %u bytes", size, DESC_MAX_FILE_SIZE);
        return r < 0 ? r : -EINVAL;
}

static int desc_io_error(const char *path, int error, DiagList *diags) {
        int r;

        r = diag_add(diags, DIAG_ERROR, "io", (DiagLoc) { .file = path }, "cannot read file: %s",
                     strerror(error));
        return r < 0 ? r : -error;
}

int desc_source_read(const char *path, DiagList *diags, DescSource **ret) {
        _cleanup_free_ char *text = NULL;
        size_t size = 0, allocated;
        struct stat st;
        int fd, r;

        fd = open(path, O_RDONLY | O_CLOEXEC | O_NOCTTY);
        if (fd < 0)
                return desc_io_error(path, errno, diags);

        if (fstat(fd, &st) < 0) {
                r = desc_io_error(path, errno, diags);
                goto finish;
        }
        if (S_ISDIR(st.st_mode)) {
                r = desc_io_error(path, EISDIR, diags);
                goto finish;
        }
        if (S_ISREG(st.st_mode) && st.st_size > DESC_MAX_FILE_SIZE) {
                r = desc_limit_size(path, (uintmax_t) st.st_size, diags);
                goto finish;
        }

        /* Read one byte more than allowed, to notice files that grew or are no regular files. */
        allocated = S_ISREG(st.st_mode) ? (size_t) st.st_size + 2 : 4096;
        text = malloc(allocated);
        if (!text) {
                r = -ENOMEM;
                goto finish;
        }
        for (;;) {
                ssize_t k;

                if (size + 1 >= allocated) {
                        size_t n = allocated * 2;
                        char *t;

                        if (n > DESC_MAX_FILE_SIZE + 2)
                                n = DESC_MAX_FILE_SIZE + 2;
                        t = realloc(text, n);
                        if (!t) {
                                r = -ENOMEM;
                                goto finish;
                        }
                        text = t;
                        allocated = n;
                }

                k = read(fd, text + size, allocated - 1 - size);
                if (k < 0) {
                        if (errno == EINTR)
                                continue;
                        r = desc_io_error(path, errno, diags);
                        goto finish;
                }
                if (k == 0)
                        break;
                size += (size_t) k;
                if (size > DESC_MAX_FILE_SIZE) {
                        r = desc_limit_size(path, size, diags);
                        goto finish;
                }
        }
        text[size] = '\0';

        r = desc_source_new(path, text, size, ret);
        if (r >= 0)
                TAKE_PTR(text);
finish:
        close(fd);
        return r;
}

/* Refuses NUL bytes and ill-formed UTF-8 anywhere, so that the front ends need not care. */
static int desc_check_encoding(const DescSource *s, DiagList *diags) {
        const char *p = s->text, *end = s->text + s->size;
        int r;

        while (p < end) {
                uint32_t cp;
                size_t k;

                if (*p == '\0') {
                        r = diag_add(diags, DIAG_ERROR, "encoding", desc_source_loc(s, (size_t) (p - s->text)),
                                     "NUL byte in the file");
                        return r < 0 ? r : -EINVAL;
                }
                if ((unsigned char) *p < 0x80) {
                        p++;
                        continue;
                }
                k = utf8_decode(p, (size_t) (end - p), &cp);
                if (k == 0) {
                        r = diag_add(diags, DIAG_ERROR, "encoding", desc_source_loc(s, (size_t) (p - s->text)),
                                     "invalid UTF-8 (byte 0x%02x)", (unsigned char) *p);
                        return r < 0 ? r : -EINVAL;
                }
                p += k;
        }
        return 0;
}

int desc_source_parse(DescSource *s, DescFormat format, DiagList *diags) {
        int r;

        if (!s || !diags)
                return -EINVAL;
        if (format < 0 || format >= _DESC_FORMAT_MAX)
                return -EINVAL;
        if (s->root)
                return -EBUSY;
        s->format = format;
        if (s->size > DESC_MAX_FILE_SIZE)
                return desc_limit_size(s->file, s->size, diags);

        r = desc_check_encoding(s, diags);
        if (r < 0)
                return r;

        s->n_nodes = 0;
        switch (format) {
        case DESC_FORMAT_YAML:
                return desc_yaml_parse(s, diags);
        case DESC_FORMAT_JSON:
                return desc_json_parse(s, diags);
        default:
                return -EINVAL;
        }
}

int desc_parse(const char *file, const char *text, size_t size, DescFormat format, DiagList *diags,
               DescSource **ret) {
        DescSource *s = NULL;
        char *copy;
        int r;

        if (!diags || !ret || (!text && size > 0) || format < 0 || format >= _DESC_FORMAT_MAX)
                return -EINVAL;
        if (size > DESC_MAX_FILE_SIZE)
                return desc_limit_size(file, size, diags);

        copy = desc_strndup(text ?: "", size);
        if (!copy)
                return -ENOMEM;
        r = desc_source_new(file, copy, size, &s);
        if (r < 0) {
                free(copy);
                return r;
        }

        r = desc_source_parse(s, format, diags);
        if (r < 0) {
                desc_source_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

DescFormat desc_format_from_path(const char *path) {
        const char *dot = path ? strrchr(path, '.') : NULL;

        if (dot && !strchr(dot, '/') && strcasecmp(dot, ".json") == 0)
                return DESC_FORMAT_JSON;
        return DESC_FORMAT_YAML;
}

int desc_parse_file(const char *path, DiagList *diags, DescSource **ret) {
        DescSource *s = NULL;
        int r;

        if (!path || !diags || !ret)
                return -EINVAL;

        r = desc_source_read(path, diags, &s);
        if (r < 0)
                return r;

        r = desc_source_parse(s, desc_format_from_path(path), diags);
        if (r < 0) {
                desc_source_free(s);
                return r;
        }
        *ret = s;
        return 0;
}

/* Nodes */

int desc_node_new(DescSource *s, DescType type, DiagLoc loc, DiagList *diags, DescNode **ret) {
        DescNode *n;
        int r;

        if (s->n_nodes >= DESC_MAX_NODES) {
                r = diag_add(diags, DIAG_ERROR, "limit-nodes", loc,
                             "more than %u values in one file", DESC_MAX_NODES);
                return r < 0 ? r : -EINVAL;
        }

        n = calloc(1, sizeof(DescNode));
        if (!n)
                return -ENOMEM;
        n->type = type;
        n->loc = loc;
        s->n_nodes++;
        *ret = n;
        return 0;
}

void desc_node_free(DescNode *n) {
        if (!n)
                return;

        switch (n->type) {
        case DESC_STRING:
                free(n->string.str);
                break;
        case DESC_ARRAY:
                for (size_t i = 0; i < n->array.n; i++)
                        desc_node_free(n->array.items[i]);
                free(n->array.items);
                break;
        case DESC_OBJECT:
                for (size_t i = 0; i < n->object.n; i++) {
                        free(n->object.members[i].key);
                        desc_node_free(n->object.members[i].value);
                }
                free(n->object.members);
                break;
        default:
                break;
        }
        free(n);
}

void desc_node_set_string(DescNode *n, char *str, size_t len) {
        n->type = DESC_STRING;
        n->string.str = str;
        n->string.len = len;
}

/* Arrays grow to the next power of two (at least 4), so that the capacity follows from n. */
static int desc_grow(void **items, size_t n, size_t size) {
        void *p;

        if (n != 0 && (n < 4 || (n & (n - 1)) != 0))
                return 0;
        p = reallocarray(*items, n == 0 ? 4 : n * 2, size);
        if (!p)
                return -ENOMEM;
        *items = p;
        return 0;
}

int desc_array_append(DescNode *array, DescNode *item) {
        int r;

        if (array->type != DESC_ARRAY)
                return -EINVAL;
        r = desc_grow((void **) &array->array.items, array->array.n, sizeof(DescNode *));
        if (r < 0)
                return r;
        array->array.items[array->array.n++] = item;
        item->parent = array;
        return 0;
}

int desc_object_append(DescNode *object, char *key, DiagLoc key_loc, DescNode *value) {
        int r;

        if (object->type != DESC_OBJECT)
                return -EINVAL;
        r = desc_grow((void **) &object->object.members, object->object.n, sizeof(DescMember));
        if (r < 0)
                return r;
        object->object.members[object->object.n++] = (DescMember) {
                .key = key,
                .key_loc = key_loc,
                .value = value,
        };
        value->parent = object;
        return 0;
}

static int desc_report_duplicate(const DescMember *dup, const DescMember *first, DiagList *diags) {
        size_t len = strlen(dup->key), shown = desc_utf8_prefix(dup->key, len, 64);
        int r;

        /* Long keys are cut (between characters) to keep the message readable. */
        r = diag_add(diags, DIAG_ERROR, "duplicate-key", dup->key_loc, "duplicate key '%.*s%s'", (int) shown,
                     dup->key, shown < len ? "..." : "");
        if (r < 0)
                return r;
        return diag_related(diags, first->key_loc, "first defined here");
}

static int desc_member_index_compare(const void *a, const void *b, void *userdata) {
        const DescMember *m = userdata;
        size_t i = *(const size_t *) a, j = *(const size_t *) b;
        int c = strcmp(m[i].key, m[j].key);

        if (c != 0)
                return c;
        return i < j ? -1 : i > j;
}

int desc_object_check_duplicates(const DescNode *object, DiagList *diags) {
        const DescMember *m = object->object.members;
        size_t n = object->object.n;
        bool found = false;
        int r;

        if (object->type != DESC_OBJECT || n < 2)
                return 0;

        if (n <= 16) {
                for (size_t i = 1; i < n; i++)
                        for (size_t j = 0; j < i; j++)
                                if (streq(m[i].key, m[j].key)) {
                                        r = desc_report_duplicate(&m[i], &m[j], diags);
                                        if (r < 0)
                                                return r;
                                        found = true;
                                        break;
                                }
                return found ? -EINVAL : 0;
        }

        /* Sorted by key, then by position: each run of equal keys starts with the first. */
        _cleanup_free_ size_t *order = reallocarray(NULL, n, sizeof(size_t));
        if (!order)
                return -ENOMEM;
        for (size_t i = 0; i < n; i++)
                order[i] = i;
        qsort_r(order, n, sizeof(size_t), desc_member_index_compare, (void *) m);

        for (size_t i = 1, first = 0; i < n; i++) {
                if (!streq(m[order[i]].key, m[order[first]].key)) {
                        first = i;
                        continue;
                }
                r = desc_report_duplicate(&m[order[i]], &m[order[first]], diags);
                if (r < 0)
                        return r;
                found = true;
        }
        return found ? -EINVAL : 0;
}

int desc_check_string(const char *str, size_t len, DiagLoc loc, const char *what, DiagList *diags) {
        int r;

        if (len > DESC_MAX_STRING) {
                r = diag_add(diags, DIAG_ERROR, "limit-string", loc, "%s of %zu bytes, more than the limit of %u bytes",
                             what, len, DESC_MAX_STRING);
                return r < 0 ? r : -EINVAL;
        }
        if (memchr(str, '\0', len)) {
                r = diag_add(diags, DIAG_ERROR, "encoding", loc, "NUL character in a %s", what);
                return r < 0 ? r : -EINVAL;
        }
        return 0;
}

/* Numbers in the C locale, whatever the program's locale */

static locale_t desc_c_locale(void) {
        static locale_t cached = (locale_t) 0;
        locale_t l = __atomic_load_n(&cached, __ATOMIC_ACQUIRE), expected = (locale_t) 0;

        if (l)
                return l;
        l = newlocale(LC_ALL_MASK, "C", (locale_t) 0);
        if (!l)
                return (locale_t) 0;
        if (!__atomic_compare_exchange_n(&cached, &expected, l, false, __ATOMIC_ACQ_REL, __ATOMIC_ACQUIRE)) {
                freelocale(l);
                return expected;
        }
        return l;
}

int desc_parse_double(const char *text, size_t len, double *ret) {
        _cleanup_free_ char *copy = NULL;
        locale_t c = desc_c_locale();
        char *end;
        double d;

        if (len == 0 || !c)
                return -EINVAL;
        copy = desc_strndup(text, len);
        if (!copy)
                return -ENOMEM;

        errno = 0;
        d = strtod_l(copy, &end, c);
        if (end != copy + len)
                return -EINVAL;
        /* Overflow gives ±HUGE_VAL, underflow the nearest representable value: both are fine. */
        *ret = d;
        return 0;
}

/* The shortest text that reads back as @d, always recognisable as a non-integer. */
static void desc_format_double(double d, char buf[static 40]) {
        locale_t c = desc_c_locale(), old = (locale_t) 0;

        if (isnan(d)) {
                strcpy(buf, "null");
                return;
        }
        if (isinf(d)) {
                strcpy(buf, d < 0 ? "-1e999" : "1e999");
                return;
        }

        if (c)
                old = uselocale(c);
        for (int precision = 15; precision <= 17; precision++) {
                snprintf(buf, 40, "%.*g", precision, d);
                if (strtod(buf, NULL) == d)
                        break;
        }
        if (c)
                uselocale(old);

        if (!strpbrk(buf, ".eE"))
                strcat(buf, ".0");
}

/* Lookups, equality */

const DescMember *desc_member(const DescNode *node, const char *key) {
        if (!node || !key || node->type != DESC_OBJECT)
                return NULL;
        for (size_t i = 0; i < node->object.n; i++)
                if (streq(node->object.members[i].key, key))
                        return &node->object.members[i];
        return NULL;
}

DescNode *desc_get(const DescNode *node, const char *key) {
        const DescMember *m = desc_member(node, key);

        return m ? m->value : NULL;
}

static bool desc_integer_equals_number(int64_t i, double d) {
        int64_t v;

        /* Exact: no rounding of large integers to the nearest double. */
        if (!(d >= -9223372036854775808.0 && d < 9223372036854775808.0))
                return false;
        v = (int64_t) d;
        return (double) v == d && v == i;
}

bool desc_equal(const DescNode *a, const DescNode *b) {
        if (!a || !b)
                return a == b;

        if (a->type == DESC_INTEGER && b->type == DESC_NUMBER)
                return desc_integer_equals_number(a->integer, b->number);
        if (a->type == DESC_NUMBER && b->type == DESC_INTEGER)
                return desc_integer_equals_number(b->integer, a->number);
        if (a->type != b->type)
                return false;

        switch (a->type) {
        case DESC_NULL:
                return true;
        case DESC_BOOL:
                return a->boolean == b->boolean;
        case DESC_INTEGER:
                return a->integer == b->integer;
        case DESC_NUMBER:
                return a->number == b->number;
        case DESC_STRING:
                return a->string.len == b->string.len &&
                        memcmp(a->string.str, b->string.str, a->string.len) == 0;
        case DESC_ARRAY:
                if (a->array.n != b->array.n)
                        return false;
                for (size_t i = 0; i < a->array.n; i++)
                        if (!desc_equal(a->array.items[i], b->array.items[i]))
                                return false;
                return true;
        case DESC_OBJECT:
                if (a->object.n != b->object.n)
                        return false;
                /* Keys are unique in a parsed tree, so same count and every key found is enough. */
                for (size_t i = 0; i < a->object.n; i++) {
                        const DescMember *m = &a->object.members[i];
                        const DescNode *other;

                        /* The common case: the same order. */
                        if (streq(m->key, b->object.members[i].key))
                                other = b->object.members[i].value;
                        else
                                other = desc_get(b, m->key);
                        if (!other || !desc_equal(m->value, other))
                                return false;
                }
                return true;
        default:
                return false;
        }
}

/* JSON text */

static void desc_write_json_string(FILE *f, const char *s, size_t len) {
        fputc('"', f);
        for (size_t i = 0; i < len; i++) {
                unsigned char c = (unsigned char) s[i];

                switch (c) {
                case '"':
                        fputs("\\\"", f);
                        break;
                case '\\':
                        fputs("\\\\", f);
                        break;
                case '\b':
                        fputs("\\b", f);
                        break;
                case '\f':
                        fputs("\\f", f);
                        break;
                case '\n':
                        fputs("\\n", f);
                        break;
                case '\r':
                        fputs("\\r", f);
                        break;
                case '\t':
                        fputs("\\t", f);
                        break;
                default:
                        if (c < 0x20)
                                fprintf(f, "\\u%04x", c);
                        else
                                fputc(c, f);
                }
        }
        fputc('"', f);
}

static void desc_write_json(FILE *f, const DescNode *n) {
        char buf[40];

        switch (n->type) {
        case DESC_NULL:
                fputs("null", f);
                break;
        case DESC_BOOL:
                fputs(n->boolean ? "true" : "false", f);
                break;
        case DESC_INTEGER:
                fprintf(f, "%" PRId64, n->integer);
                break;
        case DESC_NUMBER:
                desc_format_double(n->number, buf);
                fputs(buf, f);
                break;
        case DESC_STRING:
                desc_write_json_string(f, n->string.str, n->string.len);
                break;
        case DESC_ARRAY:
                fputc('[', f);
                for (size_t i = 0; i < n->array.n; i++) {
                        if (i > 0)
                                fputc(',', f);
                        desc_write_json(f, n->array.items[i]);
                }
                fputc(']', f);
                break;
        case DESC_OBJECT:
                fputc('{', f);
                for (size_t i = 0; i < n->object.n; i++) {
                        const DescMember *m = &n->object.members[i];

                        if (i > 0)
                                fputc(',', f);
                        desc_write_json_string(f, m->key, strlen(m->key));
                        fputc(':', f);
                        desc_write_json(f, m->value);
                }
                fputc('}', f);
                break;
        default:
                fputs("null", f);
        }
}

/* Closes the memory stream: its text, or NULL when writing failed (-ENOMEM). */
static char *desc_memstream_finish(FILE *f, char **buf) {
        bool failed = ferror(f);

        /* *buf is only valid after fclose(). */
        if (fclose(f) != 0 || failed) {
                free(*buf);
                return NULL;
        }
        return *buf;
}

char *desc_to_json(const DescNode *node) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        if (!node)
                return NULL;

        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        desc_write_json(f, node);
        return desc_memstream_finish(f, &buf);
}
