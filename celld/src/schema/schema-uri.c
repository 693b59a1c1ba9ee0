/* SPDX-License-Identifier: GPL-2.0-only */
/* URI references for "$id" and "$ref": resolution against a base (RFC 3986 section 5). */
#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema-internal.h"

/* Pieces of a URI reference; each points into the parsed string. */
typedef struct UriParts {
        const char *scheme, *authority, *path, *query, *fragment;
        size_t scheme_len, authority_len, path_len, query_len, fragment_len;
        /* scheme and path are present when scheme/path != NULL; the others may be empty but present. */
} UriParts;

static bool is_scheme_char(char c, bool first) {
        if ((c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'))
                return true;
        return !first && ((c >= '0' && c <= '9') || c == '+' || c == '-' || c == '.');
}

static void uri_split(const char *s, UriParts *ret) {
        UriParts u = {};
        size_t i = 0, n;

        while (s[i] && is_scheme_char(s[i], i == 0))
                i++;
        if (i > 0 && s[i] == ':') {
                u.scheme = s;
                u.scheme_len = i;
                s += i + 1;
        }
        if (s[0] == '/' && s[1] == '/') {
                s += 2;
                n = strcspn(s, "/?#");
                u.authority = s;
                u.authority_len = n;
                s += n;
        }
        n = strcspn(s, "?#");
        u.path = s;
        u.path_len = n;
        s += n;
        if (*s == '?') {
                s++;
                n = strcspn(s, "#");
                u.query = s;
                u.query_len = n;
                s += n;
        }
        if (*s == '#') {
                u.fragment = s + 1;
                u.fragment_len = strlen(s + 1);
        }
        *ret = u;
}

/* RFC 3986 5.2.4, in place on a NUL-terminated path. */
static void remove_dot_segments(char *path) {
        char *in = path, *out = path;

        while (*in) {
                if (strncmp(in, "../", 3) == 0)
                        in += 3;
                else if (strncmp(in, "./", 2) == 0)
                        in += 2;
                else if (strncmp(in, "/./", 3) == 0)
                        in += 2;
                else if (streq(in, "/."))
                        in[1] = '\0';
                else if (strncmp(in, "/../", 4) == 0 || streq(in, "/..")) {
                        if (in[3] == '/')
                                in += 3;
                        else {
                                in += 2;
                                *in = '/';
                        }
                        /* Drop the last segment of the output. */
                        while (out > path && *--out != '/')
                                ;
                } else if (streq(in, ".") || streq(in, ".."))
                        in += strlen(in);
                else {
                        do
                                *out++ = *in++;
                        while (*in && *in != '/');
                }
        }
        *out = '\0';
}

static int merge_paths(const UriParts *b, const UriParts *r, char **ret) {
        size_t keep = 0;
        char *p;

        if (b->authority && b->path_len == 0)
                return asprintf(ret, "/%.*s", (int) r->path_len, r->path) < 0 ? -ENOMEM : 0;
        for (size_t k = 0; k < b->path_len; k++)
                if (b->path[k] == '/')
                        keep = k + 1;
        if (asprintf(&p, "%.*s%.*s", (int) keep, b->path, (int) r->path_len, r->path) < 0)
                return -ENOMEM;
        *ret = p;
        return 0;
}

static int join(const char *scheme, size_t scheme_len, const char *authority, size_t authority_len,
                const char *path, const char *query, size_t query_len, const UriParts *r, char **ret) {
        char *s;

        if (asprintf(&s, "%.*s%s%s%.*s%s%s%.*s%s%.*s",
                     (int) scheme_len, strempty(scheme), scheme ? ":" : "",
                     authority ? "//" : "", (int) authority_len, strempty(authority),
                     path,
                     query ? "?" : "", (int) query_len, strempty(query),
                     r->fragment ? "#" : "", (int) r->fragment_len, strempty(r->fragment)) < 0)
                return -ENOMEM;
        *ret = s;
        return 0;
}

int uri_resolve(const char *base, const char *ref, char **ret) {
        _cleanup_free_ char *path = NULL;
        UriParts b, r;
        const UriParts *t;      /* where authority and query come from */
        const char *query;
        size_t query_len;

        uri_split(base, &b);
        uri_split(ref, &r);
        if (r.scheme || r.authority) {
                path = strndup(r.path, r.path_len);
                if (!path)
                        return -ENOMEM;
                remove_dot_segments(path);
                return join(r.scheme ?: b.scheme, r.scheme ? r.scheme_len : b.scheme_len,
                            r.authority, r.authority_len, path, r.query, r.query_len, &r, ret);
        }
        t = &b;
        query = r.query, query_len = r.query_len;
        if (r.path_len == 0) {
                path = strndup(b.path, b.path_len);
                if (!r.query)
                        query = b.query, query_len = b.query_len;
        } else if (r.path[0] == '/')
                path = strndup(r.path, r.path_len);
        else if (merge_paths(&b, &r, &path) < 0)
                return -ENOMEM;
        if (!path)
                return -ENOMEM;
        if (r.path_len > 0)
                remove_dot_segments(path);
        return join(b.scheme, b.scheme_len, t->authority, t->authority_len, path, query, query_len, &r, ret);
}

static int hexval(char c) {
        if (c >= '0' && c <= '9')
                return c - '0';
        if ((c | 0x20) >= 'a' && (c | 0x20) <= 'f')
                return (c | 0x20) - 'a' + 10;
        return -1;
}

int uri_unescape(const char *s, size_t len, char **ret) {
        char *out = malloc(len + 1), *o = out;

        if (!out)
                return -ENOMEM;
        for (size_t k = 0; k < len; k++) {
                int hi, lo;

                if (s[k] != '%') {
                        *o++ = s[k];
                        continue;
                }
                hi = k + 2 < len ? hexval(s[k + 1]) : -1;
                lo = hi >= 0 ? hexval(s[k + 2]) : -1;
                if (lo < 0 || (hi == 0 && lo == 0)) {
                        free(out);
                        return -EINVAL;
                }
                *o++ = (char) (hi * 16 + lo);
                k += 2;
        }
        *o = '\0';
        *ret = out;
        return 0;
}
