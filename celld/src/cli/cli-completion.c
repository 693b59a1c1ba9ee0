/* SPDX-License-Identifier: GPL-2.0-only */
/* Bash completion scripts written from a program's own command line tables. */
#include <ctype.h>
#include <errno.h>

#include "cli-completion.h"
#include "macro.h"

static const char *const verb_arg_kinds[_VERB_ARG_MAX] = {
        [VERB_ARG_NONE] = "none",
        [VERB_ARG_CELL] = "cell",
        [VERB_ARG_DESC] = "desc",
        [VERB_ARG_FILE] = "file",
        [VERB_ARG_VERB] = "verb",
        [VERB_ARG_SCHEMA] = "schema",
};

static bool option_short(const struct option *o) {
        return o->val > 0 && o->val < 0x80 && isalnum(o->val);
}

static VerbArg option_arg(const CliTable *t, const struct option *o) {
        if (o->has_arg == no_argument)
                return VERB_ARG_NONE;
        return t->option_arg ? t->option_arg(o->val) : VERB_ARG_NONE;
}

/* The options taking an argument of kind @arg (any with _VERB_ARG_MAX), as a case pattern. */
static void write_option_pattern(const CliTable *t, VerbArg arg, FILE *f) {
        bool first = true;

        for (const struct option *o = t->options; o->name; o++) {
                if (o->has_arg == no_argument || (arg != _VERB_ARG_MAX && option_arg(t, o) != arg))
                        continue;
                fprintf(f, "%s--%s", first ? "" : "|", o->name);
                if (option_short(o))
                        fprintf(f, "|-%c", o->val);
                first = false;
        }
        /* A pattern that matches no word when there is no such option. */
        if (first)
                fputs("--/", f);
}

static void write_verb_cases(const Verb *verbs, size_t n, const char *indent, FILE *f) {
        for (size_t i = 0; i < n; i++) {
                if (verbs[i].arg == VERB_ARG_NONE || verbs[i].max_args == 0)
                        continue;
                fprintf(f, "%s%s) kind=%s max=%u ;;\n", indent, verbs[i].name, verb_arg_kinds[verbs[i].arg],
                        verbs[i].max_args);
        }
}

static void write_words(const Verb *verbs, size_t n, FILE *f) {
        for (size_t i = 0; i < n; i++)
                fprintf(f, "%s%s", i > 0 ? " " : "", verbs[i].name);
}

static bool has_sub_verbs(const Verb *v) {
        return v->arg == VERB_ARG_VERB && v->n_sub_verbs > 0;
}

/* The verbs that have commands of their own, as a case pattern; false when there is none. */
static bool write_parent_pattern(const CliTable *t, FILE *f) {
        bool first = true;

        for (size_t i = 0; i < t->n_verbs; i++) {
                if (!has_sub_verbs(&t->verbs[i]))
                        continue;
                fprintf(f, "%s%s", first ? "" : "|", t->verbs[i].name);
                first = false;
        }
        return !first;
}

/* The commands of each such verb: a case on $verb, then one on $verb/$sub. */
static void write_sub_verbs(const CliTable *t, FILE *f) {
        fputs("\tif [[ $kind == verb ]]; then\n"
              "\t\tif [[ -z $sub ]]; then\n"
              "\t\t\tcase $verb in\n", f);
        for (size_t i = 0; i < t->n_verbs; i++) {
                const Verb *v = &t->verbs[i];

                if (!has_sub_verbs(v))
                        continue;
                fprintf(f, "\t\t\t%s) COMPREPLY=($(compgen -W '", v->name);
                write_words(v->sub_verbs, v->n_sub_verbs, f);
                fputs("' -- \"$cur\")) ;;\n", f);
        }
        fputs("\t\t\tesac\n"
              "\t\t\treturn\n"
              "\t\tfi\n"
              "\t\tkind=none max=0\n"
              "\t\tcase $verb/$sub in\n", f);
        for (size_t i = 0; i < t->n_verbs; i++) {
                const Verb *v = &t->verbs[i];

                if (!has_sub_verbs(v))
                        continue;
                for (size_t j = 0; j < v->n_sub_verbs; j++) {
                        const Verb *s = &v->sub_verbs[j];

                        if (s->arg == VERB_ARG_NONE || s->max_args == 0)
                                continue;
                        fprintf(f, "\t\t%s/%s) kind=%s max=%u ;;\n", v->name, s->name, verb_arg_kinds[s->arg],
                                s->max_args);
                }
        }
        fputs("\t\tesac\n"
              "\tfi\n", f);
}

int cli_completion_write_bash(const CliTable *t, FILE *f) {
        const char *p = t->program;
        bool first = true, parents = false;

        for (size_t i = 0; i < t->n_verbs; i++)
                parents = parents || has_sub_verbs(&t->verbs[i]);

        fprintf(f,
                "# bash completion for %1$s: written at build time from %1$s's own command and\n"
                "# option tables (celld/src/cli/cli-completion.c). Do not edit.\n"
                "\n"
                "# Cells: the description files in the drop-in directories, by name.\n"
                "_%1$s_cells() {\n"
                "\tlocal d f\n"
                "\tfor d in /etc/cells.d /run/cells.d /usr/lib/cells.d; do\n"
                "\t\tfor f in \"$d\"/*.yaml \"$d\"/*.json; do\n"
                "\t\t\t[ -e \"$f\" ] || continue\n"
                "\t\t\tf=${f##*/}\n"
                "\t\t\tf=${f%%.*}\n"
                "\t\t\t[ \"$f\" = system ] || echo \"$f\"\n"
                "\t\tdone\n"
                "\tdone\n"
                "}\n"
                "\n"
                "_%1$s() {\n"
                "\tlocal cur=${COMP_WORDS[COMP_CWORD]} prev= opt= w i verb= sub= nargs=0 kind=none max=0\n",
                p);

        fputs("\tlocal opts='", f);
        for (const struct option *o = t->options; o->name; o++) {
                fprintf(f, "%s--%s", first ? "" : " ", o->name);
                first = false;
        }
        for (const struct option *o = t->options; o->name; o++)
                if (option_short(o))
                        fprintf(f, " -%c", o->val);
        fputs("'\n\tlocal verbs='", f);
        write_words(t->verbs, t->n_verbs, f);
        fputs("'\n", f);

        /* The argument of an option: --opt VALUE, --opt=VALUE (bash splits at '='). */
        fputs("\n"
              "\tCOMPREPLY=()\n"
              "\t(( COMP_CWORD > 0 )) && prev=${COMP_WORDS[COMP_CWORD-1]}\n"
              "\tif [[ $cur == = ]]; then\n"
              "\t\topt=$prev cur=\n"
              "\telif [[ $prev == = ]] && (( COMP_CWORD > 1 )); then\n"
              "\t\topt=${COMP_WORDS[COMP_CWORD-2]}\n"
              "\telse\n"
              "\t\topt=$prev\n"
              "\tfi\n"
              "\tcase $opt in\n\t", f);
        write_option_pattern(t, VERB_ARG_FILE, f);
        fputs(")\n"
              "\t\tcompopt -o filenames 2>/dev/null\n"
              "\t\tCOMPREPLY=($(compgen -f -- \"$cur\"))\n"
              "\t\treturn ;;\n\t", f);
        write_option_pattern(t, _VERB_ARG_MAX, f);
        fputs(")\n"
              "\t\treturn ;;\n"
              "\tesac\n"
              "\n"
              "\t# The verb, its command, and how many arguments come before the word.\n"
              "\tfor ((i = 1; i < COMP_CWORD; i++)); do\n"
              "\t\tw=${COMP_WORDS[i]}\n"
              "\t\tcase $w in\n"
              "\t\t=)\n"
              "\t\t\t((i++))\n"
              "\t\t\tcontinue ;;\n\t\t", f);
        write_option_pattern(t, _VERB_ARG_MAX, f);
        fputs(")\n"
              "\t\t\t[[ ${COMP_WORDS[i+1]} == = ]] || ((i++))\n"
              "\t\t\tcontinue ;;\n"
              "\t\t-*)\n"
              "\t\t\tcontinue ;;\n"
              "\t\tesac\n"
              "\t\tif [[ -z $verb ]]; then\n"
              "\t\t\tverb=$w\n", f);
        if (parents) {
                fputs("\t\telif [[ -z $sub && $verb == @(", f);
                write_parent_pattern(t, f);
                fputs(") ]]; then\n"
                      "\t\t\tsub=$w\n", f);
        }
        fputs("\t\telse\n"
              "\t\t\t((nargs++))\n"
              "\t\tfi\n"
              "\tdone\n"
              "\n"
              "\tif [[ $cur == -* ]]; then\n"
              "\t\tCOMPREPLY=($(compgen -W \"$opts\" -- \"$cur\"))\n"
              "\t\treturn\n"
              "\tfi\n"
              "\tif [[ -z $verb ]]; then\n"
              "\t\tCOMPREPLY=($(compgen -W \"$verbs\" -- \"$cur\"))\n"
              "\t\treturn\n"
              "\tfi\n"
              "\tcase $verb in\n", f);
        write_verb_cases(t->verbs, t->n_verbs, "\t", f);
        fputs("\tesac\n", f);
        if (parents)
                write_sub_verbs(t, f);
        fprintf(f,
                "\t(( nargs < max )) || return\n"
                "\t# A cell, then files (warden cell load CELL IMAGE...).\n"
                "\t[[ $kind == cell ]] && (( nargs > 0 )) && kind=file\n"
                "\tcase $kind in\n"
                "\tcell)\n"
                "\t\tCOMPREPLY=($(compgen -W \"$(_%1$s_cells)\" -- \"$cur\")) ;;\n"
                "\tdesc)\n"
                "\t\tcompopt -o filenames 2>/dev/null\n"
                "\t\tCOMPREPLY=($(compgen -W \"$(_%1$s_cells)\" -- \"$cur\") $(compgen -f -- \"$cur\")) ;;\n"
                "\tfile)\n"
                "\t\tcompopt -o filenames 2>/dev/null\n"
                "\t\tCOMPREPLY=($(compgen -f -- \"$cur\")) ;;\n"
                "\tschema)\n"
                "\t\tCOMPREPLY=($(compgen -W 'system cell' -- \"$cur\")) ;;\n"
                "\tesac\n"
                "}\n"
                "\n"
                "complete -F _%1$s %1$s\n",
                p);

        return ferror(f) ? -EIO : 0;
}
