/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The manual pages of the build (BUILDDIR/man, next to this test's BUILDDIR/tests) render
 * without a warning from groff or man, name every option each tool's --help lists and every
 * command of the tools' own tables, and cells.d(5) names every key of the schemas.
 */
#include <libgen.h>
#include <limits.h>
#include <stdio.h>
#include <sys/stat.h>
#include <sys/wait.h>
#include <unistd.h>

#include "cellctl-args.h"
#include "desc.h"
#include "macro.h"
#include "schema-props.h"
#include "tests.h"
#include "warden-args.h"

static const char *const pages[] = { "warden.8", "celld.8", "cellctl.1", "celld.conf.5", "cells.d.5" };

/* BUILDDIR: this binary is BUILDDIR/tests/test-man. */
static const char *builddir(void) {
        static char dir[PATH_MAX];
        ssize_t n;

        if (dir[0])
                return dir;
        n = readlink("/proc/self/exe", dir, sizeof(dir) - 1);
        ASSERT_TRUE(n > 0);
        dir[n] = '\0';
        dirname(dirname(dir));  /* both in place: ".../tests/test-man" -> "..." */
        return dir;
}

static char *path_of(const char *fmt, const char *name) {
        char *p = NULL;

        ASSERT_TRUE(asprintf(&p, fmt, builddir(), name) > 0);
        return p;
}

/* Runs @cmd with sh; returns its output (stdout and whatever it redirects there). */
static char *run(const char *cmd, int *ret_status) {
        char *buf = NULL;
        size_t size = 0;
        FILE *out = open_memstream(&buf, &size), *p;
        char chunk[4096];
        size_t n;

        ASSERT_NOT_NULL(out);
        p = popen(cmd, "r");
        ASSERT_NOT_NULL(p);
        while ((n = fread(chunk, 1, sizeof(chunk), p)) > 0)
                fwrite(chunk, 1, n, out);
        *ret_status = pclose(p);
        ASSERT_EQ(fclose(out), 0);
        return buf;
}

static char *read_file(const char *path) {
        _cleanup_fclose_ FILE *f = fopen(path, "re");
        struct stat st;
        char *buf;

        if (!f)
                fprintf(stderr, "cannot open %s: %m (built by make?)\n", path);
        ASSERT_NOT_NULL(f);
        ASSERT_OK(fstat(fileno(f), &st));
        buf = calloc(1, st.st_size + 1);
        ASSERT_NOT_NULL(buf);
        ASSERT_EQ(fread(buf, 1, st.st_size, f), (size_t) st.st_size);
        return buf;
}

static bool have(const char *program) {
        _cleanup_free_ char *cmd = NULL, *out = NULL;
        int status;

        ASSERT_TRUE(asprintf(&cmd, "command -v %s", program) > 0);
        out = run(cmd, &status);
        return status == 0;
}

TEST(render_without_warnings) {
        /* scripts/deps installs both (groff-base, man-db). */
        ASSERT_TRUE(have("groff"));
        ASSERT_TRUE(have("man"));

        for (size_t i = 0; i < ELEMENTSOF(pages); i++) {
                _cleanup_free_ char *page = path_of("%s/man/%s", pages[i]), *cmd = NULL, *out = NULL;
                int status;

                ASSERT_TRUE(access(page, R_OK) == 0);
                /* groff's own check, every warning on. */
                ASSERT_TRUE(asprintf(&cmd, "groff -man -ww -z '%s' 2>&1", page) > 0);
                out = run(cmd, &status);
                if (status != 0 || !isempty(out))
                        fprintf(stderr, "%s: groff -ww: %s\n", page, out);
                ASSERT_EQ(status, 0);
                ASSERT_TRUE(isempty(out));
                free(cmd);
                free(out);
                /* As man shows it on an 80-column terminal (the way lintian checks pages). */
                ASSERT_TRUE(asprintf(&cmd, "LC_ALL=C.UTF-8 MANROFFSEQ= MANWIDTH=80 man --warnings -E UTF-8 "
                                     "-l -Tutf8 -Z '%s' 2>&1 >/dev/null", page) > 0);
                out = run(cmd, &status);
                if (status != 0 || !isempty(out))
                        fprintf(stderr, "%s: man --warnings: %s\n", page, out);
                ASSERT_EQ(status, 0);
                ASSERT_TRUE(isempty(out));
        }
}

/* @word in roff source form: every '-' written as "\-". */
static char *roff_form(const char *word) {
        char *r = malloc(strlen(word) * 2 + 1), *p = r;

        ASSERT_NOT_NULL(r);
        for (const char *s = word; *s; s++) {
                if (*s == '-')
                        *p++ = '\\';
                *p++ = *s;
        }
        *p = '\0';
        return r;
}

static bool is_word_char(char c) {
        return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9');
}

/* The page's source has @option, not as a part of a longer one ("\-f" is not "\-\-follow"). */
static bool page_has_option(const char *source, const char *option) {
        _cleanup_free_ char *form = roff_form(option);
        size_t n = strlen(form);

        for (const char *p = strstr(source, form); p; p = strstr(p + 1, form)) {
                const char *after = p + n;

                if (p >= source + 2 && p[-1] == '-' && p[-2] == '\\')
                        continue;
                if (is_word_char(*after) || (after[0] == '\\' && after[1] == '-'))
                        continue;
                return true;
        }
        return false;
}

/* The options a --help text lists: words starting with '-' or "--" and a letter. */
static unsigned check_help(const char *tool, const char *page) {
        _cleanup_free_ char *bin = path_of("%s/bin/%s", tool), *cmd = NULL, *help = NULL, *source = NULL,
                            *page_path = path_of("%s/man/%s", page);
        unsigned n = 0, missing = 0;
        int status;

        ASSERT_TRUE(asprintf(&cmd, "'%s' --help", bin) > 0);
        help = run(cmd, &status);
        ASSERT_EQ(status, 0);
        source = read_file(page_path);

        for (const char *p = help; *p; p++) {
                _cleanup_free_ char *option = NULL;
                size_t len;

                if (*p != '-' || (p > help && !IN_SET(p[-1], ' ', '\n', '[', '(')))
                        continue;
                len = 1 + (p[1] == '-');
                if (!((p[len] >= 'a' && p[len] <= 'z') || (p[len] >= 'A' && p[len] <= 'Z')))
                        continue;
                while (is_word_char(p[len]) || (p[len] == '-' && is_word_char(p[len + 1])))
                        len++;
                option = strndup(p, len);
                ASSERT_NOT_NULL(option);
                n++;
                if (!page_has_option(source, option)) {
                        fprintf(stderr, "%s: option %s of '%s --help' is not in the page\n", page_path, option, tool);
                        missing++;
                }
                p += len - 1;
        }
        ASSERT_EQ(missing, 0);
        return n;
}

TEST(help_options_in_pages) {
        /* At least -h, --help and --version each, more for the real tools. */
        ASSERT_TRUE(check_help("warden", "warden.8") >= 6);
        ASSERT_TRUE(check_help("cellctl", "cellctl.1") >= 12);
        ASSERT_TRUE(check_help("celld", "celld.8") >= 9);
}

/* A line of the page that starts with a bold macro (.B, .BI, .BR) whose text begins with @text. */
static bool page_has_heading(const char *source, const char *text) {
        _cleanup_free_ char *form = roff_form(text);
        size_t n = strlen(form);

        for (const char *l = source; l; l = strchr(l, '\n'), l = l ? l + 1 : NULL) {
                const char *p = l;

                if (strncmp(p, ".B", 2) != 0)
                        continue;
                p += 2;
                while (*p && *p != ' ' && *p != '\n')
                        p++;
                while (*p == ' ')
                        p++;
                if (*p == '"')
                        p++;
                if (strncmp(p, form, n) == 0 && IN_SET(p[n], ' ', '"', '\n', '\0'))
                        return true;
        }
        return false;
}

static void check_heading(const char *page_path, const char *source, const char *text) {
        if (!page_has_heading(source, text))
                fprintf(stderr, "%s: no heading for command '%s'\n", page_path, text);
        ASSERT_TRUE(page_has_heading(source, text));
}

static void check_table(const CliTable *t, const char *page) {
        _cleanup_free_ char *page_path = path_of("%s/man/%s", page), *source = read_file(page_path);

        for (size_t i = 0; i < t->n_verbs; i++) {
                const Verb *v = &t->verbs[i];

                if (v->arg != VERB_ARG_VERB) {
                        check_heading(page_path, source, v->name);
                        continue;
                }
                /* Its commands are the headings. */
                ASSERT_TRUE(v->n_sub_verbs > 0);
                for (size_t j = 0; j < v->n_sub_verbs; j++) {
                        _cleanup_free_ char *text = NULL;

                        ASSERT_TRUE(asprintf(&text, "%s %s", v->name, v->sub_verbs[j].name) > 0);
                        check_heading(page_path, source, text);
                }
        }
        for (const struct option *o = t->options; o->name; o++) {
                _cleanup_free_ char *word = NULL;

                ASSERT_TRUE(asprintf(&word, "--%s", o->name) > 0);
                ASSERT_TRUE(page_has_option(source, word));
        }
}

TEST(commands_in_pages) {
        check_table(&warden_cli, "warden.8");
        check_table(&cellctl_cli, "cellctl.1");
}

/* ".B KEY", or a nested key's ".B a.b.KEY" or ".B a[].KEY", is a line of cells.d(5). */
static bool key_in_page(const DescMember *m, void *userdata) {
        const char *source = userdata;
        _cleanup_free_ char *form = roff_form(m->key), *top = NULL, *nested = NULL;

        /* A "properties" of "then" or "else" ("KEY": false) only forbids keys. */
        if (m->value->type == DESC_BOOL)
                return true;
        ASSERT_TRUE(asprintf(&top, "\n.B %s\n", form) > 0);
        ASSERT_TRUE(asprintf(&nested, ".%s\n", form) > 0);
        if (strstr(source, top))
                return true;
        for (const char *p = strstr(source, nested); p; p = strstr(p + 1, nested)) {
                const char *l = p;

                while (l > source && l[-1] != '\n')
                        l--;
                if (strncmp(l, ".B ", 3) == 0)
                        return true;
        }
        fprintf(stderr, "cells.d.5: key '%s' is not there\n", m->key);
        return false;
}

TEST(schema_keys_in_cells_d) {
        _cleanup_free_ char *page_path = path_of("%s/man/%s", "cells.d.5"), *source = read_file(page_path);

        ASSERT_EQ(schemas_properties_check(key_in_page, source), 0);
        /* The generated sections are there, and the template's directives are gone. */
        ASSERT_NOT_NULL(strstr(source, "\n.SH VALUES\n"));
        ASSERT_NULL(strstr(source, ".\\\" @"));
        ASSERT_NULL(strstr(source, "@VERSION@"));
}

TEST(celld_conf_keys) {
        _cleanup_free_ char *page_path = path_of("%s/man/%s", "celld.conf.5"), *source = read_file(page_path);

        /* celld-conf.c knows one section and one key. */
        ASSERT_NOT_NULL(strstr(source, ".SH [MANAGER] SECTION\n"));
        ASSERT_NOT_NULL(strstr(source, "\n.BI EnableHypervisor= BOOL\n"));
}

DEFINE_TEST_MAIN
