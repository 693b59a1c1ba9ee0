/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Loading a schema: every schema object of the document becomes an SNode with
 * one slot per keyword (the keyword table in schema-keywords.c compiles each);
 * "$id"s and "$anchor"s are registered as they are met, and "$ref"s are
 * resolved once the whole document is compiled. Anything not understood is a
 * located diagnostic, and the schema is refused.
 */
#include <errno.h>
#include <math.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema-internal.h"

typedef struct Resource {
        char *uri;              /* absolute (or relative to nothing), without fragment */
        SNode *node;
} Resource;

typedef struct MapEntry {
        const DescNode *key;
        SNode *value;
} MapEntry;

struct Schema {
        SNode *root;
        SNode **nodes;          /* every SNode, owned */
        size_t n_nodes, allocated_nodes;
        char **strings;         /* base URIs, owned */
        size_t n_strings, allocated_strings;
        Resource *resources;    /* "$id"s, and the root */
        size_t n_resources, allocated_resources;
        Resource *anchors;      /* URI#name of each "$anchor" */
        size_t n_anchors, allocated_anchors;
        MapEntry *map;          /* DescNode -> SNode, open addressing */
        size_t map_size, map_used;
};

typedef struct PendingRef {
        SNode *node;
        Slot *slot;
} PendingRef;

struct Loader {
        Schema *schema;
        DiagList *diags;
        bool invalid;
        unsigned depth;
        PendingRef *pending;
        size_t n_pending, allocated_pending;
};

static int array_grow(void *array, size_t *allocated, size_t need, size_t size) {
        void **p = array;
        size_t a;
        void *q;

        if (need <= *allocated)
                return 0;
        a = *allocated ? *allocated * 2 : 8;
        if (a < need)
                a = need;
        q = reallocarray(*p, a, size);
        if (!q)
                return -ENOMEM;
        *p = q;
        *allocated = a;
        return 0;
}

int schema_invalid(Loader *l, const char *rule, DiagLoc loc, const char *hint, const char *fmt, ...) {
        _cleanup_free_ char *message = NULL;
        va_list ap;
        int r;

        l->invalid = true;
        if (!l->diags || diag_full(l->diags))
                return -EINVAL;
        va_start(ap, fmt);
        r = vasprintf(&message, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        r = diag_add(l->diags, DIAG_ERROR, rule, loc, "%s", message);
        if (r >= 0 && hint)
                r = diag_hint(l->diags, "%s", hint);
        return r < 0 ? r : -EINVAL;
}

/* ---- the DescNode -> SNode map ---- */

static size_t map_slot(const Schema *s, const DescNode *key) {
        uint64_t h = (uint64_t) (uintptr_t) key * 0x9E3779B97F4A7C15ULL;

        return (size_t) (h >> 17) & (s->map_size - 1);
}

static SNode *map_get(const Schema *s, const DescNode *key) {
        if (s->map_size == 0)
                return NULL;
        for (size_t k = map_slot(s, key);; k = (k + 1) & (s->map_size - 1)) {
                if (!s->map[k].key)
                        return NULL;
                if (s->map[k].key == key)
                        return s->map[k].value;
        }
}

static int map_put(Schema *s, const DescNode *key, SNode *value) {
        if ((s->map_used + 1) * 2 > s->map_size) {
                MapEntry *old = s->map;
                size_t old_size = s->map_size;

                s->map_size = old_size ? old_size * 2 : 64;
                s->map = calloc(s->map_size, sizeof(MapEntry));
                if (!s->map) {
                        s->map = old;
                        s->map_size = old_size;
                        return -ENOMEM;
                }
                s->map_used = 0;
                for (size_t k = 0; k < old_size; k++)
                        if (old[k].key)
                                (void) map_put(s, old[k].key, old[k].value);
                free(old);
        }
        for (size_t k = map_slot(s, key);; k = (k + 1) & (s->map_size - 1))
                if (!s->map[k].key) {
                        s->map[k] = (MapEntry) { key, value };
                        s->map_used++;
                        return 0;
                }
}

/* ---- resources, anchors, strings ---- */

static int own_string(Schema *s, char *str, const char **ret) {
        if (array_grow(&s->strings, &s->allocated_strings, s->n_strings + 1, sizeof(char *)) < 0) {
                free(str);
                return -ENOMEM;
        }
        s->strings[s->n_strings++] = str;
        *ret = str;
        return 0;
}

static Resource *find_uri(Resource *v, size_t n, const char *uri) {
        for (size_t k = 0; k < n; k++)
                if (streq(v[k].uri, uri))
                        return &v[k];
        return NULL;
}

static int add_uri(Resource **v, size_t *n, size_t *allocated, const char *uri, SNode *node) {
        char *copy;

        if (array_grow(v, allocated, *n + 1, sizeof(Resource)) < 0)
                return -ENOMEM;
        copy = strdup(uri);
        if (!copy)
                return -ENOMEM;
        (*v)[(*n)++] = (Resource) { copy, node };
        return 0;
}

int schema_add_anchor(Loader *l, SNode *n, const char *name, DiagLoc loc) {
        _cleanup_free_ char *uri = NULL;
        Schema *s = l->schema;

        if (asprintf(&uri, "%s#%s", n->base, name) < 0)
                return -ENOMEM;
        if (find_uri(s->anchors, s->n_anchors, uri))
                return schema_invalid(l, "schema-invalid", loc, NULL, "duplicate '$anchor' '%s'", name);
        return add_uri(&s->anchors, &s->n_anchors, &s->allocated_anchors, uri, n);
}

/* "$id": the node starts a new resource; its base URI changes for everything inside. */
int schema_load_id(Loader *l, SNode *n, Slot *slot) {
        const DescNode *v = slot->member->value;
        Schema *s = l->schema;
        char *uri, *hash;
        int r;

        if (v->type != DESC_STRING)
                return schema_invalid(l, "schema-invalid", v->loc, NULL, "'$id' must be a string");
        r = uri_resolve(n->base, v->string.str, &uri);
        if (r < 0)
                return r;
        hash = strchr(uri, '#');
        if (hash && hash[1] != '\0') {
                free(uri);
                return schema_invalid(l, "schema-invalid", v->loc, "use '$anchor' for plain-name fragments",
                                      "'$id' must not contain a fragment");
        }
        if (hash)
                *hash = '\0';
        r = own_string(s, uri, &n->base);
        if (r < 0)
                return r;
        if (find_uri(s->resources, s->n_resources, n->base))
                return schema_invalid(l, "schema-invalid", v->loc, NULL, "duplicate '$id' '%s'", n->base);
        return add_uri(&s->resources, &s->n_resources, &s->allocated_resources, n->base, n);
}

int schema_add_ref(Loader *l, SNode *n, Slot *slot) {
        const DescNode *v = slot->member->value;
        int r;

        if (v->type != DESC_STRING)
                return schema_invalid(l, "schema-invalid", v->loc, NULL, "'$ref' must be a string");
        r = uri_resolve(n->base, v->string.str, &slot->ref.uri);
        if (r < 0)
                return r;
        if (array_grow(&l->pending, &l->allocated_pending, l->n_pending + 1, sizeof(PendingRef)) < 0)
                return -ENOMEM;
        l->pending[l->n_pending++] = (PendingRef) { n, slot };
        return 0;
}

/* ---- compiling one schema ---- */

static int keyword_lookup(const char *name) {
        for (int k = 0; k < _KW_MAX; k++)
                if (streq(schema_keywords[k].name, name))
                        return k;
        return -1;
}

static int refuse_keyword(Loader *l, const DescMember *m) {
        const char *names[_KW_MAX];

        for (const UnsupportedKeyword *u = schema_unsupported_keywords; u->name; u++)
                if (streq(u->name, m->key))
                        return schema_invalid(l, "schema-unsupported", m->key_loc, u->why,
                                              "keyword '%s' is not supported by Warden's schema validator", m->key);
        for (size_t k = 0; k < _KW_MAX; k++)
                names[k] = schema_keywords[k].name;
        {
                const char *close = diag_closest(m->key, names, _KW_MAX);
                _cleanup_free_ char *hint = NULL;

                if (close && asprintf(&hint, "did you mean '%s'?", close) < 0)
                        return -ENOMEM;
                return schema_invalid(l, "schema-unsupported", m->key_loc, hint, "unknown keyword '%s'", m->key);
        }
}

static int snode_new(Loader *l, const DescNode *node, const char *base, SNode **ret) {
        Schema *s = l->schema;
        SNode *n;

        if (array_grow(&s->nodes, &s->allocated_nodes, s->n_nodes + 1, sizeof(SNode *)) < 0)
                return -ENOMEM;
        n = calloc(1, sizeof(SNode));
        if (!n)
                return -ENOMEM;
        s->nodes[s->n_nodes++] = n;
        n->node = node;
        n->base = base;
        if (map_put(s, node, n) < 0)
                return -ENOMEM;
        *ret = n;
        return 0;
}

/* Finds the keywords of @node's members (refusing unknown ones) and counts them. */
static int classify_members(Loader *l, const DescNode *node, const DescMember *by_kw[], size_t *ret_n) {
        size_t n = 0;
        int r;

        for (size_t k = 0; k < node->object.n; k++) {
                const DescMember *m = &node->object.members[k];
                int kw = keyword_lookup(m->key);

                if (kw < 0) {
                        r = refuse_keyword(l, m);
                        if (r != -EINVAL)
                                return r;
                        continue;
                }
                if (!by_kw[kw])
                        n++;
                by_kw[kw] = m;
        }
        *ret_n = n;
        return 0;
}

int schema_compile(Loader *l, const DescNode *node, const char *base, SNode **ret) {
        const DescMember *by_kw[_KW_MAX] = {};
        size_t n_kw = 0;
        SNode *n;
        int r;

        if (node->type != DESC_BOOL && node->type != DESC_OBJECT)
                return schema_invalid(l, "schema-invalid", node->loc, NULL,
                                      "a schema must be an object or a boolean, not %s", inst_type_phrase(node));
        if (l->depth >= SCHEMA_MAX_LOAD_DEPTH)
                return schema_invalid(l, "schema-invalid", node->loc, NULL, "schemas nested too deeply");
        r = snode_new(l, node, base, &n);
        if (r < 0)
                return r;
        *ret = n;
        if (node->type == DESC_BOOL) {
                n->is_bool = true;
                n->value = node->boolean;
                return 0;
        }
        r = classify_members(l, node, by_kw, &n_kw);
        if (r < 0)
                return r;
        n->slots = calloc(n_kw ?: 1, sizeof(Slot));
        if (!n->slots)
                return -ENOMEM;
        l->depth++;
        for (int kw = 0; kw < _KW_MAX; kw++) {
                Slot *slot;

                if (!by_kw[kw])
                        continue;
                slot = &n->slots[n->n_slots++];
                slot->id = (KeywordId) kw;
                slot->member = by_kw[kw];
                n->index[kw] = (uint8_t) n->n_slots;
                r = schema_keywords[kw].load(l, n, slot);
                if (r < 0 && r != -EINVAL)
                        break;
        }
        l->depth--;
        return r < 0 && r != -EINVAL ? r : 0;
}

/* ---- helpers for the keyword loaders ---- */

const Slot *snode_slot(const SNode *n, KeywordId id) {
        return n->index[id] ? &n->slots[n->index[id] - 1] : NULL;
}

const char *snode_label(const SNode *n) {
        for (unsigned k = 0; n && k < 8; k++) {
                const Slot *ref;

                if (n->title)
                        return n->title;
                ref = snode_slot(n, KW_REF);
                n = ref ? ref->ref.target : NULL;
        }
        return NULL;
}

int schema_load_count(Loader *l, const Slot *slot, uint64_t *ret) {
        const DescNode *v = slot->member->value;
        Num n;

        if (desc_node_num(v, &n) && num_is_integral(n) && (n.is_int ? n.i >= 0 : n.d >= 0)) {
                *ret = n.is_int ? (uint64_t) n.i : n.d >= 1.8e19 ? UINT64_MAX : (uint64_t) n.d;
                return 0;
        }
        return schema_invalid(l, "schema-invalid", v->loc, NULL, "'%s' must be a non-negative integer",
                              slot->member->key);
}

int schema_load_num(Loader *l, const Slot *slot, Num *ret) {
        const DescNode *v = slot->member->value;

        if (desc_node_num(v, ret) && (ret->is_int || isfinite(ret->d)))
                return 0;
        return schema_invalid(l, "schema-invalid", v->loc, NULL, "'%s' must be a number", slot->member->key);
}

int schema_load_sub(Loader *l, SNode *n, const Slot *slot, SNode **ret) {
        return schema_compile(l, slot->member->value, n->base, ret);
}

int schema_load_list(Loader *l, SNode *n, const Slot *slot, SNode ***ret, size_t *ret_n) {
        const DescNode *v = slot->member->value;
        SNode **list;
        int r = 0;

        if (v->type != DESC_ARRAY || v->array.n == 0)
                return schema_invalid(l, "schema-invalid", v->loc, NULL, "'%s' must be a non-empty array of schemas",
                                      slot->member->key);
        list = calloc(v->array.n, sizeof(SNode *));
        if (!list)
                return -ENOMEM;
        *ret = list;
        *ret_n = v->array.n;
        for (size_t k = 0; k < v->array.n; k++) {
                r = schema_compile(l, v->array.items[k], n->base, &list[k]);
                if (r < 0 && r != -EINVAL)
                        return r;
        }
        return 0;
}

int schema_load_string_array(Loader *l, const DescNode *v, const char *what) {
        if (v->type != DESC_ARRAY)
                return schema_invalid(l, "schema-invalid", v->loc, NULL, "'%s' must be an array of strings", what);
        for (size_t k = 0; k < v->array.n; k++) {
                const DescNode *item = v->array.items[k];

                if (item->type != DESC_STRING)
                        return schema_invalid(l, "schema-invalid", item->loc, NULL, "'%s' must be an array of strings",
                                              what);
                for (size_t j = 0; j < k; j++)
                        if (value_equal(v->array.items[j], item))
                                return schema_invalid(l, "schema-invalid", item->loc, NULL,
                                                      "duplicate entry '%s' in '%s'", item->string.str, what);
        }
        return 0;
}

int schema_load_map(Loader *l, SNode *n, const Slot *slot, bool schemas, SNamed **ret, size_t *ret_n) {
        const DescNode *v = slot->member->value;
        SNamed *named;
        int r = 0;

        if (v->type != DESC_OBJECT)
                return schema_invalid(l, "schema-invalid", v->loc, NULL, "'%s' must be an object", slot->member->key);
        named = calloc(v->object.n ?: 1, sizeof(SNamed));
        if (!named)
                return -ENOMEM;
        *ret = named;
        *ret_n = v->object.n;
        for (size_t k = 0; k < v->object.n; k++) {
                const DescMember *m = &v->object.members[k];

                named[k].member = m;
                if (schemas)
                        r = schema_compile(l, m->value, n->base, &named[k].schema);
                else
                        r = schema_load_string_array(l, m->value, slot->member->key);
                if (r < 0 && r != -EINVAL)
                        return r;
        }
        return 0;
}

int schema_load_regex(Loader *l, const DescNode *value, const char *what, Regex **ret) {
        _cleanup_free_ char *error = NULL;
        int r;

        r = regex_compile(value->string.str, value->string.len, ret, &error);
        if (r == -EINVAL)
                return schema_invalid(l, "schema-invalid", value->loc, NULL, "invalid regular expression in '%s': %s",
                                      what, strempty(error));
        if (r == -EOPNOTSUPP)
                return schema_invalid(l, "schema-unsupported", value->loc,
                                      "docs/schema-validator.md lists the regular expression syntax Warden supports",
                                      "unsupported regular expression in '%s': %s", what, strempty(error));
        return r;
}

/* ---- "$ref" resolution ---- */

/* Walks the decoded JSON pointer @ptr ("/a/0/b~1c") from @node; NULL when it leads nowhere. */
static const DescNode *pointer_walk(const DescNode *node, const char *ptr) {
        while (node && *ptr == '/') {
                const char *end = strchrnul(ptr + 1, '/');
                _cleanup_free_ char *token = malloc(end - ptr);
                const DescNode *next = NULL;
                char *t = token;

                if (!token)
                        return NULL;
                for (const char *p = ptr + 1; p < end; p++) {
                        if (*p == '~' && (p[1] == '0' || p[1] == '1'))
                                *t++ = *++p == '0' ? '~' : '/';
                        else if (*p == '~')
                                return NULL;
                        else
                                *t++ = *p;
                }
                *t = '\0';
                if (node->type == DESC_OBJECT) {
                        for (size_t k = 0; k < node->object.n && !next; k++)
                                if (streq(node->object.members[k].key, token))
                                        next = node->object.members[k].value;
                } else if (node->type == DESC_ARRAY && token[0] >= '0' && token[0] <= '9' &&
                           (token[0] != '0' || token[1] == '\0') && strspn(token, "0123456789") == strlen(token) &&
                           strlen(token) < 10) {
                        size_t index = strtoul(token, NULL, 10);

                        if (index < node->array.n)
                                next = node->array.items[index];
                }
                node = next;
                ptr = end;
        }
        return *ptr == '\0' ? node : NULL;
}

static int resolve_pointer(Loader *l, const Resource *res, const char *fragment, SNode **ret) {
        const DescNode *target = pointer_walk(res->node->node, fragment);
        SNode *t;

        if (!target)
                return -ENOENT;
        t = map_get(l->schema, target);
        if (t) {
                *ret = t;
                return 0;
        }
        /* A location that was not compiled as a schema (e.g. "#/$defs"): compile it now. */
        return schema_compile(l, target, res->node->base, ret);
}

static int resolve_ref(Loader *l, SNode *n, Slot *slot) {
        const DescNode *v = slot->member->value;
        Schema *s = l->schema;
        const char *hash = strchr(slot->ref.uri, '#');
        _cleanup_free_ char *doc = strndup(slot->ref.uri, hash ? (size_t) (hash - slot->ref.uri) : strlen(slot->ref.uri));
        _cleanup_free_ char *fragment = NULL;
        const Resource *res, *anchor;
        int r;

        if (!doc)
                return -ENOMEM;
        res = find_uri(s->resources, s->n_resources, doc);
        if (!res)
                return schema_invalid(l, "schema-unsupported", v->loc,
                                      "only references within the same schema document are supported",
                                      "'$ref' '%s' points outside this schema", v->string.str);
        if (!hash || hash[1] == '\0') {
                slot->ref.target = res->node;
                return 0;
        }
        if (uri_unescape(hash + 1, strlen(hash + 1), &fragment) < 0)
                return schema_invalid(l, "schema-invalid", v->loc, NULL, "bad %%-escape in '$ref' '%s'", v->string.str);
        if (fragment[0] == '/') {
                r = resolve_pointer(l, res, fragment, &slot->ref.target);
                if (r == -ENOENT)
                        return schema_invalid(l, "schema-invalid", v->loc, NULL, "'$ref' '%s' points to nothing",
                                              v->string.str);
                return r;
        }
        anchor = find_uri(s->anchors, s->n_anchors, slot->ref.uri);
        if (!anchor)
                return schema_invalid(l, "schema-invalid", v->loc, NULL, "'$ref' '%s': no '$anchor' named '%s'",
                                      v->string.str, fragment);
        slot->ref.target = anchor->node;
        return 0;
}

static int resolve_refs(Loader *l) {
        /* Resolving may compile more schemas, with more references: the list grows meanwhile. */
        for (size_t k = 0; k < l->n_pending; k++) {
                int r = resolve_ref(l, l->pending[k].node, l->pending[k].slot);

                if (r < 0 && r != -EINVAL)
                        return r;
        }
        return 0;
}

/* ---- the API ---- */

static void slot_done(Slot *slot) {
        switch (slot->id) {
        case KW_PATTERN:
                regex_free(slot->re);
                break;
        case KW_REF:
                free(slot->ref.uri);
                break;
        case KW_ALL_OF:
        case KW_ANY_OF:
        case KW_ONE_OF:
        case KW_PREFIX_ITEMS:
                free(slot->list.v);
                break;
        case KW_PROPERTIES:
        case KW_PATTERN_PROPERTIES:
        case KW_DEPENDENT_SCHEMAS:
        case KW_DEPENDENT_REQUIRED:
        case KW_DEFS:
                for (size_t k = 0; slot->named.v && k < slot->named.n; k++)
                        regex_free(slot->named.v[k].re);
                free(slot->named.v);
                break;
        default:
                break;
        }
}

Schema *schema_free(Schema *s) {
        if (!s)
                return NULL;
        for (size_t k = 0; k < s->n_nodes; k++) {
                SNode *n = s->nodes[k];

                for (size_t j = 0; j < n->n_slots; j++)
                        slot_done(&n->slots[j]);
                free(n->slots);
                free(n);
        }
        free(s->nodes);
        for (size_t k = 0; k < s->n_strings; k++)
                free(s->strings[k]);
        free(s->strings);
        for (size_t k = 0; k < s->n_resources; k++)
                free(s->resources[k].uri);
        free(s->resources);
        for (size_t k = 0; k < s->n_anchors; k++)
                free(s->anchors[k].uri);
        free(s->anchors);
        free(s->map);
        free(s);
        return NULL;
}

int schema_new(const DescNode *root, DiagList *diags, Schema **ret) {
        _cleanup_(schema_freep) Schema *s = NULL;
        Loader l = { .diags = diags };
        int r;

        if (!root || !ret)
                return -EINVAL;
        s = calloc(1, sizeof(Schema));
        if (!s)
                return -ENOMEM;
        l.schema = s;
        r = schema_compile(&l, root, "", &s->root);
        if (r >= 0 && s->root && !find_uri(s->resources, s->n_resources, ""))
                r = add_uri(&s->resources, &s->n_resources, &s->allocated_resources, "", s->root);
        if (r >= 0)
                r = resolve_refs(&l);
        free(l.pending);
        if (r < 0 && r != -EINVAL)
                return r;
        if (l.invalid || !s->root)
                return -EINVAL;
        *ret = TAKE_PTR(s);
        return 0;
}

const SNode *schema_root(const Schema *s) {
        return s->root;
}
