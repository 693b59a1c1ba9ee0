/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The bash completion scripts come from the tools' own tables: every option, verb and cell
 * command of warden and cellctl is in its script, and bash completes with it as expected.
 */
#include <stdio.h>
#include <stdlib.h>
#include <sys/stat.h>
#include <unistd.h>

#include "cellctl-args.h"
#include "macro.h"
#include "cli-completion.h"
#include "tests.h"
#include "warden-args.h"

static char *script(const CliTable *t) {
        char *buf = NULL;
        size_t size = 0;
        FILE *f = open_memstream(&buf, &size);

        ASSERT_NOT_NULL(f);
        ASSERT_OK(cli_completion_write_bash(t, f));
        ASSERT_EQ(fclose(f), 0);
        return buf;
}

/* The script's line that starts with @prefix, as a string of its own. */
static char *line_of(const char *text, const char *prefix) {
        const char *p = strstr(text, prefix), *end;

        ASSERT_NOT_NULL(p);
        end = strchr(p, '\n');
        return strndup(p, end ? (size_t) (end - p) : strlen(p));
}

/* @word is one of the space-separated words inside the quotes of @line. */
static bool has_word(const char *line, const char *word) {
        _cleanup_free_ char *quoted = NULL;

        ASSERT_TRUE(asprintf(&quoted, "%s", strchr(line, '\'') + 1) > 0);
        *strrchr(quoted, '\'') = '\0';
        for (char *w = strtok(quoted, " "); w; w = strtok(NULL, " "))
                if (streq(w, word))
                        return true;
        return false;
}

static void check_table(const CliTable *t) {
        _cleanup_free_ char *text = script(t), *opts = line_of(text, "\tlocal opts='"),
                            *verbs = line_of(text, "\tlocal verbs='");
        _cleanup_free_ char *complete = NULL;
        unsigned n_opts = 0;

        for (const struct option *o = t->options; o->name; o++) {
                _cleanup_free_ char *word = NULL;

                ASSERT_TRUE(asprintf(&word, "--%s", o->name) > 0);
                ASSERT_TRUE(has_word(opts, word));
                n_opts++;
        }
        ASSERT_TRUE(n_opts >= 4);
        /* Every short option getopt takes. */
        for (const char *s = t->short_options; *s; s++)
                if (*s != ':') {
                        char word[3] = { '-', *s, '\0' };

                        ASSERT_TRUE(has_word(opts, word));
                }
        for (size_t i = 0; i < t->n_verbs; i++)
                ASSERT_TRUE(has_word(verbs, t->verbs[i].name));
        /* The commands of a verb that has some: offered after that verb. */
        for (size_t i = 0; i < t->n_verbs; i++) {
                const Verb *v = &t->verbs[i];
                _cleanup_free_ char *prefix = NULL, *sub = NULL;

                if (v->arg != VERB_ARG_VERB)
                        continue;
                ASSERT_TRUE(v->n_sub_verbs > 0);
                ASSERT_TRUE(asprintf(&prefix, "\t%s) COMPREPLY=($(compgen -W '", v->name) > 0);
                sub = line_of(text, prefix);
                for (size_t j = 0; j < v->n_sub_verbs; j++)
                        ASSERT_TRUE(has_word(sub, v->sub_verbs[j].name));
        }
        ASSERT_TRUE(asprintf(&complete, "\ncomplete -F _%s %s\n", t->program, t->program) > 0);
        ASSERT_NOT_NULL(strstr(text, complete));
}

TEST(warden_table_complete) {
        check_table(&warden_cli);
}

TEST(cellctl_table_complete) {
        check_table(&cellctl_cli);
}

/* What bash completes for the words @line (the last one being completed), one per line. */
static char *complete(const char *path, const char *program, const char *line) {
        _cleanup_free_ char *cmd = NULL;
        char *out = NULL;
        size_t size = 0, n;
        char buf[4096];
        FILE *p;

        ASSERT_TRUE(asprintf(&cmd,
                             "bash -c 'source %s; COMP_WORDS=(%s); COMP_CWORD=$((${#COMP_WORDS[@]} - 1)); "
                             "_%s; printf \"%%s\\n\" \"${COMPREPLY[@]}\" | sort' 2>&1",
                             path, line, program) > 0);
        p = popen(cmd, "r");
        ASSERT_NOT_NULL(p);
        FILE *f = open_memstream(&out, &size);
        ASSERT_NOT_NULL(f);
        while ((n = fread(buf, 1, sizeof(buf), p)) > 0)
                fwrite(buf, 1, n, f);
        ASSERT_EQ(pclose(p), 0);
        ASSERT_EQ(fclose(f), 0);
        return out;
}

TEST(bash_completes) {
        char path[] = "/tmp/test-cli-completion-XXXXXX";
        _cleanup_free_ char *w = script(&warden_cli), *c = script(&cellctl_cli);
        char *out;
        int fd;

        if (system("bash -c true >/dev/null 2>&1") != 0) {
                printf("  skipped: no bash\n");
                return;
        }
        fd = mkstemp(path);
        ASSERT_TRUE(fd >= 0);
        ASSERT_EQ(write(fd, w, strlen(w)), (ssize_t) strlen(w));
        ASSERT_EQ(write(fd, c, strlen(c)), (ssize_t) strlen(c));
        close(fd);

        out = complete(path, "warden", "warden st");
        ASSERT_STREQ(out, "status\n");
        free(out);
        out = complete(path, "warden", "warden --json cell s");
        ASSERT_STREQ(out, "shutdown\nstart\nstats\n");
        free(out);
        out = complete(path, "warden", "warden --f");
        ASSERT_STREQ(out, "--follow\n");
        free(out);
        out = complete(path, "warden", "warden status \"\"");
        ASSERT_STREQ(out, "\n");        /* status takes no argument */
        free(out);
        out = complete(path, "warden", "warden h");
        ASSERT_STREQ(out, "hardware\n");
        free(out);
        out = complete(path, "warden", "warden hardware \"\"");
        ASSERT_STREQ(out, "check\n");
        free(out);
        out = complete(path, "warden", "warden --json hardware c");
        ASSERT_STREQ(out, "check\n");
        free(out);
        out = complete(path, "warden", "warden hardware check \"\"");
        ASSERT_STREQ(out, "\n");        /* check takes no argument */
        free(out);
        out = complete(path, "warden", "warden hardware check --j");
        ASSERT_STREQ(out, "--json\n");
        free(out);
        out = complete(path, "warden", "warden co");
        ASSERT_STREQ(out, "config\nconsole\n");
        free(out);
        out = complete(path, "warden", "warden --root / config \"\"");
        ASSERT_STREQ(out, "create\n");
        free(out);
        out = complete(path, "warden", "warden config create --r");
        ASSERT_STREQ(out, "--root\n");
        free(out);
        out = complete(path, "warden", "warden config create --root = /tmp/test-cli-completion-");
        ASSERT_NOT_NULL(strstr(out, path));
        free(out);
        out = complete(path, "warden", "warden config create \"\"");
        ASSERT_STREQ(out, "\n");
        free(out);
        out = complete(path, "warden", "warden cell load x /tmp/test-cli-completion-");
        ASSERT_NOT_NULL(strstr(out, path));
        free(out);
        out = complete(path, "cellctl", "cellctl -");
        ASSERT_STREQ(out, "--attach\n--dts\n--follow\n--help\n--json\n--lines\n--output\n--root\n--user-bus\n"
                          "--version\n-f\n-h\n-i\n-n\n-o\n");
        free(out);
        out = complete(path, "cellctl", "cellctl --root = /tmp/test-cli-completion-");
        ASSERT_NOT_NULL(strstr(out, path));
        free(out);
        out = complete(path, "cellctl", "cellctl -n 5 schema \"\"");
        ASSERT_STREQ(out, "cell\nsystem\n");
        free(out);
        out = complete(path, "cellctl", "cellctl show /tmp/test-cli-completion-");     /* FILE|BLOB|NAME */
        ASSERT_NOT_NULL(strstr(out, path));
        free(out);
        out = complete(path, "cellctl", "cellctl --lines \"\"");
        ASSERT_STREQ(out, "\n");        /* a number: nothing to offer */
        free(out);
        unlink(path);
}

DEFINE_TEST_MAIN
