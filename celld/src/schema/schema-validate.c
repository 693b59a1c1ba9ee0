/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Validating an instance: evaluation of SNodes through the keyword table,
 * errors with the instance path, the choice of the branch to report when no
 * branch of anyOf/oneOf matches, and the final report (one error per instance
 * node) into a DiagList.
 */
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "schema-internal.h"

/* ---- instances ---- */

const void *inst_id(const Inst *in) {
        return in->kind == INST_KEY ? (const void *) in->member : (const void *) in->node;
}

DiagLoc inst_loc(const Inst *in) {
        return in->kind == INST_KEY ? in->member->key_loc : in->node->loc;
}

static void write_path(FILE *f, const Inst *in) {
        if (!in || in->kind == INST_ROOT)
                return;
        write_path(f, in->up);
        if (in->kind == INST_ITEM)
                fprintf(f, "[%zu]", in->index);
        else if (in->kind == INST_MEMBER)
                fprintf(f, "%s%s", in->up && in->up->kind != INST_ROOT ? "." : "", in->member->key);
}

char *inst_name(const Inst *in) {
        char *buf = NULL, *s;
        size_t size = 0;
        FILE *f;

        if (in->kind == INST_ROOT)
                return strdup("the document");
        if (in->kind == INST_KEY)
                return asprintf(&s, "property name '%s'", in->member->key) < 0 ? NULL : s;
        f = open_memstream(&buf, &size);
        if (!f)
                return NULL;
        fputc('\'', f);
        write_path(f, in);
        fputc('\'', f);
        if (fclose(f) != 0) {
                free(buf);
                return NULL;
        }
        return buf;
}

static const char *const type_phrases[] = {
        [DESC_NULL] = "null",
        [DESC_BOOL] = "a boolean",
        [DESC_INTEGER] = "an integer",
        [DESC_NUMBER] = "a number",
        [DESC_STRING] = "a string",
        [DESC_ARRAY] = "an array",
        [DESC_OBJECT] = "an object",
};

const char *inst_type_phrase(const DescNode *node) {
        if (node->type == DESC_NUMBER && !num_is_integral((Num) { .d = node->number }))
                return "a fractional number";
        if ((unsigned) node->type < ELEMENTSOF(type_phrases))
                return type_phrases[node->type];
        return "an unknown value";
}

/* "a, b or c"; "nothing" for none. */
static int join_words(const char *const *words, size_t n, char **ret) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f;

        f = open_memstream(&buf, &size);
        if (!f)
                return -ENOMEM;
        for (size_t k = 0; k < n; k++)
                fprintf(f, "%s%s", k == 0 ? "" : k + 1 == n ? " or " : ", ", words[k]);
        if (n == 0)
                fputs("nothing", f);
        if (fclose(f) != 0) {
                free(buf);
                return -ENOMEM;
        }
        *ret = buf;
        return 0;
}

/* "an integer, an array or a string" */
int types_phrase(unsigned mask, char **ret) {
        static const unsigned order[] = { DESC_NULL, DESC_BOOL, TYPE_INTEGER_BIT, DESC_NUMBER, DESC_ARRAY, DESC_OBJECT, DESC_STRING };
        const char *words[ELEMENTSOF(order)];
        size_t n = 0;

        if (mask & (1u << DESC_NUMBER))
                mask &= ~(1u << TYPE_INTEGER_BIT);
        for (size_t k = 0; k < ELEMENTSOF(order); k++)
                if (mask & (1u << order[k]))
                        words[n++] = order[k] == TYPE_INTEGER_BIT ? "an integer" : type_phrases[order[k]];
        return join_words(words, n, ret);
}

/* ---- errors ---- */

static void verr_done(VErr *e) {
        free(e->message);
        free(e->hint);
        free(e->related_message);
        free(e->expect);
}

void verr_list_done(VErrList *l) {
        for (size_t k = 0; k < l->n; k++)
                verr_done(&l->v[k]);
        free(l->v);
        *l = (VErrList) {};
}

/* 1 when added, 0 when dropped because the list is full, or -ENOMEM. */
static int verr_push(VErrList *l, VErr *e) {
        if (l->n >= SCHEMA_MAX_ERRORS) {
                verr_done(e);
                return 0;
        }
        if (l->n == l->allocated) {
                size_t a = l->allocated ? l->allocated * 2 : 8;
                VErr *v = reallocarray(l->v, a, sizeof(VErr));

                if (!v) {
                        verr_done(e);
                        return -ENOMEM;
                }
                l->v = v;
                l->allocated = a;
        }
        l->v[l->n++] = *e;
        return 1;
}

int verr_add(VCtx *c, const Inst *in, const char *rule, VErrKind kind, const char *fmt, ...) {
        VErr e = {
                .rule = rule,
                .kind = kind,
                .loc = inst_loc(in),
                .id = inst_id(in),
                .depth = in->depth,
        };
        const char *hint;
        va_list ap;
        int r;

        c->last = NULL;
        if (!c->errs)
                return 0;
        va_start(ap, fmt);
        r = vasprintf(&e.message, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        hint = c->hint ? c->hint->description ?: c->hint->title : NULL;
        if (hint) {
                e.hint = strdup(hint);
                if (!e.hint) {
                        verr_done(&e);
                        return -ENOMEM;
                }
        }
        r = verr_push(c->errs, &e);
        if (r > 0)
                c->last = &c->errs->v[c->errs->n - 1];
        return r < 0 ? r : 0;
}

int verr_set_hint(VErr *e, const char *fmt, ...) {
        char *hint;
        va_list ap;
        int r;

        va_start(ap, fmt);
        r = vasprintf(&hint, fmt, ap);
        va_end(ap);
        if (r < 0)
                return -ENOMEM;
        free(e->hint);
        e->hint = hint;
        return 0;
}

/* ---- evaluation ---- */

static int eval_false(VCtx *c, const Inst *in) {
        _cleanup_free_ char *name = NULL;
        int r;

        if (!c->errs)
                return 0;
        if (in->kind == INST_MEMBER) {
                r = verr_add(c, in, "schema-false", VERR_FALSE, "property '%s' is not allowed", in->member->key);
                if (c->last)
                        c->last->loc = in->member->key_loc;
                return r;
        }
        name = inst_name(in);
        return verr_add(c, in, "schema-false", VERR_FALSE, "%s is not allowed here", strempty(name));
}

int schema_eval(VCtx *c, const SNode *s, const Inst *in) {
        const SNode *saved_hint = c->hint;
        bool valid = true;
        int r = 0;

        if (c->budget == 0)
                return -E2BIG;
        c->budget--;
        if (c->depth >= SCHEMA_MAX_EVAL_DEPTH)
                return -ELOOP;
        if (s->is_bool)
                return s->value ? 1 : eval_false(c, in);
        c->depth++;
        if (s->description || s->title)
                c->hint = s;
        for (size_t k = 0; k < s->n_slots; k++) {
                const Keyword *kw = &schema_keywords[s->slots[k].id];

                if (!kw->validate)
                        continue;
                r = kw->validate(c, s, &s->slots[k], in);
                if (r < 0)
                        break;
                if (r == 0) {
                        valid = false;
                        if (!c->errs)
                                break;
                }
        }
        c->hint = saved_hint;
        c->depth--;
        return r < 0 ? r : valid;
}

int schema_eval_quiet(VCtx *c, const SNode *s, const Inst *in) {
        VErrList *saved = c->errs;
        int r;

        c->errs = NULL;
        r = schema_eval(c, s, in);
        c->errs = saved;
        return r;
}

int schema_eval_member(VCtx *c, const SNode *s, const Inst *in, const DescMember *m) {
        Inst child = {
                .node = m->value,
                .up = in,
                .member = m,
                .kind = INST_MEMBER,
                .depth = in->depth + 1,
        };

        return schema_eval(c, s, &child);
}

int schema_eval_item(VCtx *c, const SNode *s, const Inst *in, size_t index) {
        Inst child = {
                .node = in->node->array.items[index],
                .up = in,
                .index = index,
                .kind = INST_ITEM,
                .depth = in->depth + 1,
        };

        return schema_eval(c, s, &child);
}

/* ---- anyOf/oneOf: which failure to show ---- */

/* The first error that says the instance itself has the wrong shape (type, value, false schema). */
static const VErr *node_mismatch(const VErrList *l, const void *id) {
        for (size_t k = 0; k < l->n; k++)
                if (l->v[k].id == id && l->v[k].kind != VERR_OTHER)
                        return &l->v[k];
        return NULL;
}

/* The branch that got furthest: no mismatch at the node itself, deepest errors, then fewest. */
static ssize_t pick_branch(const VErrList *lists, size_t n, const void *id) {
        ssize_t best = -1;
        unsigned best_depth = 0;

        for (size_t b = 0; b < n; b++) {
                unsigned depth = 0;

                if (lists[b].n == 0 || node_mismatch(&lists[b], id))
                        continue;
                for (size_t k = 0; k < lists[b].n; k++)
                        if (lists[b].v[k].depth > depth)
                                depth = lists[b].v[k].depth;
                if (best < 0 || depth > best_depth || (depth == best_depth && lists[b].n < lists[best].n)) {
                        best = (ssize_t) b;
                        best_depth = depth;
                }
        }
        return best;
}

static int move_errors(VErrList *to, VErrList *from) {
        int r = 0;

        for (size_t k = 0; k < from->n; k++) {
                if (r >= 0)
                        r = verr_push(to, &from->v[k]);
                else
                        verr_done(&from->v[k]);
        }
        from->n = 0;
        return r;
}

/*
 * When every branch failed on the node's own type or value: the allowed types
 * (returns 1, *ret_types set), or "an integer or 'auto'" (returns 2); 0 otherwise.
 */
static int merged_expectation(const VErrList *lists, size_t n, const void *id, unsigned *ret_types, char **ret) {
        _cleanup_free_ char **pieces = NULL;
        unsigned types = 0;
        bool only_types = true;
        size_t n_pieces = 0;
        int r = 0;

        for (size_t b = 0; b < n; b++) {
                const VErr *e = node_mismatch(&lists[b], id);

                if (!e || (e->kind == VERR_TYPE ? e->types == 0 : e->kind != VERR_VALUE || !e->expect))
                        return 0;
                if (e->kind == VERR_TYPE)
                        types |= e->types;
                else
                        only_types = false;
        }
        if (only_types) {
                *ret_types = types;
                r = types_phrase(types, ret);
                return r < 0 ? r : 1;
        }
        pieces = calloc(n, sizeof(char *));
        if (!pieces)
                return -ENOMEM;
        for (size_t b = 0; b < n && r >= 0; b++) {
                const VErr *e = node_mismatch(&lists[b], id);

                if (e->kind == VERR_TYPE)
                        r = types_phrase(e->types, &pieces[n_pieces]);
                else
                        r = (pieces[n_pieces] = strdup(e->expect)) ? 0 : -ENOMEM;
                if (r >= 0)
                        n_pieces++;
        }
        if (r >= 0)
                r = join_words((const char *const *) pieces, n_pieces, ret);
        for (size_t k = 0; k < n_pieces; k++)
                free(pieces[k]);
        return r < 0 ? r : 2;
}

static int labels_phrase(const Slot *slot, char **ret) {
        _cleanup_free_ const char **words = NULL;

        for (size_t b = 0; b < slot->list.n; b++)
                if (!snode_label(slot->list.v[b]))
                        return 0;
        words = calloc(slot->list.n, sizeof(char *));
        if (!words)
                return -ENOMEM;
        for (size_t b = 0; b < slot->list.n; b++)
                words[b] = snode_label(slot->list.v[b]);
        return join_words(words, slot->list.n, ret) < 0 ? -ENOMEM : 1;
}

static int report_none(VCtx *c, const Slot *slot, const VErrList *lists, const Inst *in, const char *rule) {
        _cleanup_free_ char *name = inst_name(in), *expect = NULL, *labels = NULL;
        unsigned types = 0;
        int r;

        r = merged_expectation(lists, slot->list.n, inst_id(in), &types, &expect);
        if (r < 0)
                return r;
        if (r == 1) {
                r = verr_add(c, in, "schema-type", VERR_TYPE, "%s must be %s, not %s", strempty(name), expect,
                             inst_type_phrase(in->node));
                if (c->last)
                        c->last->types = types;
                return r;
        }
        if (r == 2) {
                r = verr_add(c, in, rule, VERR_VALUE, "%s must be %s", strempty(name), expect);
                if (c->last)
                        c->last->expect = TAKE_PTR(expect);
                return r;
        }
        r = labels_phrase(slot, &labels);
        if (r < 0)
                return r;
        return verr_add(c, in, rule, VERR_VALUE, "%s matches none of the %zu allowed forms%s%s", strempty(name),
                        slot->list.n, labels ? ": " : "", strempty(labels));
}

int schema_report_branches(VCtx *c, const Slot *slot, const Inst *in, const char *rule) {
        VErrList *saved = c->errs, *lists;
        ssize_t best;
        int r = 0;

        lists = calloc(slot->list.n, sizeof(VErrList));
        if (!lists)
                return -ENOMEM;
        for (size_t b = 0; b < slot->list.n && r >= 0; b++) {
                c->errs = &lists[b];
                r = schema_eval(c, slot->list.v[b], in);
        }
        c->errs = saved;
        if (r >= 0) {
                best = pick_branch(lists, slot->list.n, inst_id(in));
                r = best >= 0 ? move_errors(c->errs, &lists[best]) : report_none(c, slot, lists, in, rule);
        }
        for (size_t b = 0; b < slot->list.n; b++)
                verr_list_done(&lists[b]);
        free(lists);
        return r < 0 ? r : 0;
}

/* ---- the API ---- */

static bool seen_before(const VErrList *l, size_t k) {
        for (size_t j = 0; j < k; j++)
                if (l->v[j].id == l->v[k].id)
                        return true;
        return false;
}

static int report(const VErrList *l, DiagList *diags) {
        int r = 0;

        for (size_t k = 0; k < l->n && r >= 0; k++) {
                const VErr *e = &l->v[k];

                if (seen_before(l, k))
                        continue;
                if (diag_full(diags))
                        break;
                r = diag_add(diags, DIAG_ERROR, e->rule, e->loc, "%s", e->message);
                if (r >= 0 && e->hint)
                        r = diag_hint(diags, "%s", e->hint);
                if (r >= 0 && e->related_message)
                        r = diag_related(diags, e->related_loc, "%s", e->related_message);
        }
        return r;
}

int schema_validate(const Schema *s, const DescNode *instance, DiagList *diags) {
        VErrList errs = {};
        VCtx c = {
                .schema = s,
                .errs = &errs,
                .budget = SCHEMA_BUDGET,
        };
        Inst in = {
                .node = instance,
                .kind = INST_ROOT,
        };
        int r, q = 0;

        if (!s || !instance)
                return -EINVAL;
        r = schema_eval(&c, schema_root(s), &in);
        if (r == 0 && errs.n == 0)
                q = verr_add(&c, &in, "schema-invalid", VERR_OTHER, "the document does not match the schema");
        if (r >= 0 && q >= 0 && diags)
                q = report(&errs, diags);
        verr_list_done(&errs);
        if (r == -ELOOP && diags)
                q = diag_add(diags, DIAG_ERROR, "schema-loop", instance->loc,
                             "the schema recurses without end (nested deeper than %u evaluations)",
                             SCHEMA_MAX_EVAL_DEPTH);
        else if (r == -E2BIG && diags)
                q = diag_add(diags, DIAG_ERROR, "schema-limit", instance->loc,
                             "validation stopped: the schema needs too much work for this document");
        if (r < 0)
                return r;
        if (q < 0)
                return q;
        return r ? 0 : -EINVAL;
}
