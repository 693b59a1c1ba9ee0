/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Golden diagnostics: every fixture under tests/desc/invalid/ (a file, or a
 * directory of files checked together) must produce exactly the first
 * diagnostic line in its NAME.expect. A single cell file is checked against
 * the reference system, cells.d/system.yaml. Valid fixtures under
 * tests/desc/valid/ must compile, decode and compile again to identical
 * bytes, and NAME.yaml and NAME.json must compile to identical bytes.
 *
 * WARDEN_FIXTURES_UPDATE=1 rewrites the .expect files (review the diff).
 */
#include <dirent.h>
#include <stdio.h>
#include <sys/stat.h>
#include <unistd.h>

#include "desc-compile.h"
#include "desc-decode.h"
#include "desc-dirs.h"
#include "desc-set.h"
#include "diag.h"
#include "tests.h"

#define INVALID "tests/desc/invalid"
#define VALID "tests/desc/valid"
#define SYSTEM "cells.d/system.yaml"

/* The tests run from the repository root (tests/run) or from celld/ (make check). */
static void goto_repo_root(void) {
        struct stat st;

        if (stat(INVALID, &st) < 0)
                ASSERT_OK(chdir(".."));
        ASSERT_OK(stat(INVALID, &st));
}

static bool is_dir(const char *path) {
        struct stat st;

        return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static void add_dir_files(DescSet *s, const char *dir, bool *has_system) {
        struct dirent **names;
        int n = scandir(dir, &names, NULL, alphasort);

        ASSERT_TRUE(n >= 0);
        for (int i = 0; i < n; i++) {
                _cleanup_free_ char *path = NULL;

                if (desc_dirs_is_description(names[i]->d_name)) {
                        ASSERT_TRUE(asprintf(&path, "%s/%s", dir, names[i]->d_name) > 0);
                        ASSERT_OK(desc_set_add(s, path, names[i]->d_name));
                        *has_system |= strncmp(names[i]->d_name, "system", 6) == 0;
                }
                free(names[i]);
        }
        free(names);
}

/* The first line diag_list_print() writes for the fixture, without color. */
static char *first_diagnostic(const char *fixture) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        bool has_system = strstr(fixture, "/system") != NULL;
        char *buf = NULL, *nl;
        size_t size = 0;
        FILE *f;

        ASSERT_OK(desc_set_new(&s));
        if (is_dir(fixture))
                add_dir_files(s, fixture, &has_system);
        else
                ASSERT_OK(desc_set_add(s, fixture, NULL));
        if (!has_system)
                ASSERT_OK(desc_set_add(s, SYSTEM, NULL));
        if (desc_set_check(s) >= 0)
                return strdup("(valid: no error)");
        f = open_memstream(&buf, &size);
        ASSERT_NOT_NULL(f);
        diag_list_print(&s->diags, f, false, desc_set_source_line, s);
        fclose(f);
        nl = strchr(buf, '\n');
        if (nl)
                *nl = '\0';
        return buf;
}

static char *read_line(const char *path) {
        char *line = NULL;
        size_t n = 0;
        FILE *f = fopen(path, "r");

        if (!f)
                return NULL;
        if (getline(&line, &n, f) > 0)
                line[strcspn(line, "\n")] = '\0';
        else
                free(line), line = NULL;        /* empty: no line, not an unterminated buffer */
        fclose(f);
        return line;
}

static bool fixture_name(const char *name) {
        return name[0] != '.' && !strstr(name, ".expect");
}

TEST(invalid_fixtures) {
        struct dirent **names;
        bool update = getenv("WARDEN_FIXTURES_UPDATE");
        unsigned checked = 0, failed = 0;
        int n;

        goto_repo_root();
        n = scandir(INVALID, &names, NULL, alphasort);
        ASSERT_TRUE(n > 0);
        for (int i = 0; i < n; i++) {
                char fixture[1024], expect_path[1100];
                _cleanup_free_ char *got = NULL, *want = NULL;

                if (!fixture_name(names[i]->d_name)) {
                        free(names[i]);
                        continue;
                }
                snprintf(fixture, sizeof(fixture), INVALID "/%s", names[i]->d_name);
                snprintf(expect_path, sizeof(expect_path), "%s.expect", fixture);
                free(names[i]);
                got = first_diagnostic(fixture);
                if (update) {
                        FILE *f = fopen(expect_path, "w");

                        ASSERT_NOT_NULL(f);
                        fprintf(f, "%s\n", got);
                        fclose(f);
                }
                want = read_line(expect_path);
                checked++;
                if (!want || !streq(want, got)) {
                        failed++;
                        fprintf(stderr, "%s:\n  expected: %s\n  got:      %s\n", fixture, strempty(want), got);
                }
        }
        free(names);
        printf("%u invalid fixtures checked, %u failed\n", checked, failed);
        ASSERT_EQ(failed, 0);
        ASSERT_TRUE(checked >= 60);
}

static void compile_file(const char *path, void **ret, size_t *ret_size) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        DescUnit *u = NULL;

        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, path, NULL));
        if (!strstr(path, "system"))
                ASSERT_OK(desc_set_add(s, SYSTEM, NULL));
        if (desc_set_check(s) < 0) {
                diag_list_print(&s->diags, stderr, false, desc_set_source_line, s);
                ASSERT_TRUE(false);
        }
        for (size_t i = 0; i < s->n; i++)
                if (streq(s->units[i].path, path))
                        u = &s->units[i];
        ASSERT_NOT_NULL(u);
        *ret = TAKE_PTR(u->blob);
        *ret_size = u->blob_size;
}

/* Compile, decode to canonical YAML, compile that: the same bytes. */
static void round_trip(const char *path) {
        _cleanup_free_ void *a = NULL, *b = NULL;
        _cleanup_free_ char *text = NULL;
        char dir[] = "/tmp/test-desc-roundtrip-XXXXXX", tmp[600];
        struct warden_config_error e;
        size_t na, nb, ntext = 0;
        FILE *f;

        compile_file(path, &a, &na);
        f = open_memstream(&text, &ntext);
        ASSERT_NOT_NULL(f);
        ASSERT_OK(desc_decode(a, na, f, &e));
        fclose(f);
        /* Same file name: the name rule wants the cell's name in it. */
        ASSERT_NOT_NULL(mkdtemp(dir));
        snprintf(tmp, sizeof(tmp), "%s/%s", dir, strrchr(path, '/') + 1);
        f = fopen(tmp, "w");
        ASSERT_NOT_NULL(f);
        fwrite(text, 1, ntext, f);
        fclose(f);
        compile_file(tmp, &b, &nb);
        unlink(tmp);
        rmdir(dir);
        ASSERT_EQ(na, nb);
        ASSERT_TRUE(memcmp(a, b, na) == 0);
}

TEST(valid_fixtures_round_trip) {
        const char *files[] = { SYSTEM, VALID "/full.yaml", VALID "/minimal.yaml", VALID "/images.yaml",
                                VALID "/passive.yaml", VALID "/restart-false.yaml", VALID "/restart-no.yaml" };

        goto_repo_root();
        for (size_t i = 0; i < ELEMENTSOF(files); i++)
                round_trip(files[i]);
}

/* The cell flags a description compiles to, and the 'may-refuse' line its decoding has. */
static uint32_t cell_flags(const char *path, char **ret_text) {
        _cleanup_free_ void *blob = NULL;
        struct warden_config_layout l;
        struct warden_config_error e;
        const struct warden_cell *c;
        size_t size, ntext = 0;
        FILE *f;

        compile_file(path, &blob, &size);
        ASSERT_OK(warden_config_check_cell(blob, (uint32_t) size, &l, &e));
        c = (const struct warden_cell *) ((const char *) blob + l.cell);
        f = open_memstream(ret_text, &ntext);
        ASSERT_NOT_NULL(f);
        ASSERT_OK(desc_decode(blob, size, f, &e));
        fclose(f);
        return c->flags;
}

/* cell_flags() without the decoding. */
static uint32_t flags_of(const char *path) {
        _cleanup_free_ char *text = NULL;

        return cell_flags(path, &text);
}

/* Whether @path compiles with @flag set, and a line (or lines) its decoding has. */
static void expect_flag(const char *path, uint32_t flag, bool set, const char *decoded) {
        _cleanup_free_ char *text = NULL;

        ASSERT_EQ(!!(cell_flags(path, &text) & flag), set);
        ASSERT_NOT_NULL(strstr(text, decoded));
}

/* A new set of descriptions @a and @b, checked together: desc_set_check()'s result in *ret. */
static DescSet *check_pair(const char *a, const char *b, int *ret) {
        DescSet *s = NULL;

        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, a, NULL));
        ASSERT_OK(desc_set_add(s, b, NULL));
        *ret = desc_set_check(s);
        return s;
}

/*
 * "restart: false" (a YAML 1.1 tool's no) and an unquoted "restart: no" (a string: celld reads
 * YAML 1.2) compile to the restart policy no, as a description without restart does.
 */
TEST(restart_yaml11_no) {
        const char *files[] = { VALID "/restart-false.yaml", VALID "/restart-no.yaml", VALID "/minimal.yaml" };
        _cleanup_(desc_source_freep) DescSource *src = NULL;
        DiagList diags = {};
        char *text = NULL;

        goto_repo_root();
        for (size_t i = 0; i < ELEMENTSOF(files); i++) {
                (void) cell_flags(files[i], &text);
                ASSERT_NOT_NULL(strstr(text, "\nrestart: \"no\"\n"));
                free(text);
        }
        (void) cell_flags(VALID "/full.yaml", &text);
        ASSERT_NOT_NULL(strstr(text, "\nrestart: \"always\"\n"));
        free(text);

        /* What the parser makes of each. */
        ASSERT_OK(desc_parse_file(VALID "/restart-false.yaml", &diags, &src));
        ASSERT_EQ(desc_get(src->root, "restart")->type, DESC_BOOL);
        ASSERT_FALSE(desc_get(src->root, "restart")->boolean);
        src = desc_source_free(src);
        ASSERT_OK(desc_parse_file(VALID "/restart-no.yaml", &diags, &src));
        ASSERT_EQ(desc_get(src->root, "restart")->type, DESC_STRING);
        ASSERT_STREQ(desc_get(src->root, "restart")->string.str, "no");
        diag_list_done(&diags);
}

TEST(may_refuse) {
        char *text = NULL;
        uint32_t flags;

        goto_repo_root();
        /* Granted: a cooperative cell with may-refuse: true. */
        flags = cell_flags(VALID "/full.yaml", &text);
        ASSERT_TRUE(flags & WARDEN_CELL_MAY_REFUSE);
        ASSERT_FALSE(flags & WARDEN_CELL_PASSIVE);
        ASSERT_NOT_NULL(strstr(text, "\nshutdown: cooperative\nmay-refuse: true\n"));
        free(text);

        /* The default: it may not refuse. */
        expect_flag(VALID "/minimal.yaml", WARDEN_CELL_MAY_REFUSE, false, "\nmay-refuse: false\n");

        flags = cell_flags(VALID "/passive.yaml", &text);
        ASSERT_TRUE(flags & WARDEN_CELL_PASSIVE);
        ASSERT_FALSE(flags & WARDEN_CELL_MAY_REFUSE);
        ASSERT_NOT_NULL(strstr(text, "\nshutdown: passive\nmay-refuse: false\n"));
        free(text);

        /* The demo that refuses while it holds the lock has the grant; the others do not need it. */
        ASSERT_TRUE(flags_of("cells.d/locked-demo.yaml") & WARDEN_CELL_MAY_REFUSE);
        ASSERT_FALSE(flags_of("cells.d/refuse-demo.yaml") & (WARDEN_CELL_MAY_REFUSE | WARDEN_CELL_PASSIVE));
        ASSERT_FALSE(flags_of("cells.d/hello.yaml") & WARDEN_CELL_MAY_REFUSE);
}

/* A passive cell with the grant: located on 'may-refuse', with the 'shutdown' that makes it passive. */
TEST(may_refuse_on_a_passive_cell) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        const char *path = INVALID "/shutdown-passive-may-refuse.yaml";
        const Diag *d;

        goto_repo_root();
        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, path, NULL));
        ASSERT_OK(desc_set_add(s, SYSTEM, NULL));
        ASSERT_TRUE(desc_set_check(s) < 0);
        ASSERT_EQ(s->diags.n_errors, 1);
        d = &s->diags.items[0];
        ASSERT_STREQ(d->rule, "shutdown");
        ASSERT_STREQ(d->loc.file, path);
        ASSERT_EQ(d->loc.line, 11);
        ASSERT_EQ(d->loc.column, 13);
        ASSERT_NOT_NULL(strstr(d->hint, "cooperative"));
        ASSERT_STREQ(d->related_loc.file, path);
        ASSERT_EQ(d->related_loc.line, 10);
}

/* interrupts: direct sets the flag and decodes back; without the key a cell is trapped. */
TEST(interrupts_direct) {
        goto_repo_root();
        expect_flag(VALID "/full.yaml", WARDEN_CELL_IRQ_DIRECT, true,
                    "\nirqs: [84, \"86-88\"]\ninterrupts: direct\n");
        expect_flag(VALID "/minimal.yaml", WARDEN_CELL_IRQ_DIRECT, false, "\ninterrupts: trapped\n");

        /* gic-demo ships with direct delivery. */
        ASSERT_TRUE(flags_of("cells.d/gic-demo.yaml") & WARDEN_CELL_IRQ_DIRECT);
}

/*
 * A direct cell on a GICv2 system: a warning on the cell's 'interrupts', with a note on the
 * system's gic version (the hypervisor refuses to create it; a warning keeps the other cells
 * of the directory usable); the same cell trapped draws none.
 */
TEST(interrupts_direct_on_gicv2) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        const char *cell = "tests/desc/rules/interrupts-direct-gicv2/rt.yaml";
        const char *system = "tests/desc/rules/interrupts-direct-gicv2/system.yaml";
        const DescNode *gic, *version;
        const Diag *d;
        int r;

        goto_repo_root();
        s = check_pair(cell, system, &r);
        ASSERT_OK(r);
        ASSERT_EQ(s->diags.n_errors, 0);
        ASSERT_EQ(s->diags.n, 1);
        d = &s->diags.items[0];
        ASSERT_EQ(d->severity, DIAG_WARNING);
        ASSERT_STREQ(d->rule, "interrupts");
        ASSERT_STREQ(d->message, "direct interrupt delivery needs GICv3; the system's GIC is version 2");
        ASSERT_STREQ(d->loc.file, cell);
        ASSERT_EQ(d->loc.line, 12);
        ASSERT_EQ(d->loc.column, 13);
        ASSERT_NOT_NULL(strstr(d->hint, "interrupts: trapped"));
        gic = desc_get(desc_get(desc_set_system(s)->source->root, "platform"), "gic");
        version = desc_get(gic, "version");
        ASSERT_NOT_NULL(version);
        ASSERT_STREQ(d->related_loc.file, system);
        ASSERT_EQ(d->related_loc.line, version->loc.line);
        ASSERT_EQ(d->related_loc.column, version->loc.column);

        /* Trapped (the default) is what a GICv2 machine does: accepted. */
        desc_set_free(s);
        s = check_pair(VALID "/minimal.yaml", system, &r);
        ASSERT_OK(r);

        /* And direct is accepted on the GICv3 reference machine (full.json: yaml_and_json_compile_alike). */
        desc_set_free(s);
        s = check_pair(VALID "/full.yaml", SYSTEM, &r);
        ASSERT_OK(r);
}

/* The root-cell.irqs entry of the set's system description that names @irq. */
static const DescNode *root_irqs_entry(DescSet *s, uint32_t irq) {
        DescUnit *sys = desc_set_system(s);

        ASSERT_NOT_NULL(sys);
        return desc_irqs_entry(desc_get(desc_get(sys->source->root, "root-cell"), "irqs"), irq);
}

/* The reference machine's device SPIs compile into the root cell and decode back as written. */
TEST(root_irqs_compile_and_decode) {
        static const uint32_t want[] = { 33, 34, 35, 36, 37, 38, 39, 48, 63, 79 };
        _cleanup_free_ void *blob = NULL;
        _cleanup_free_ char *text = NULL;
        struct warden_config_layout l;
        struct warden_config_error e;
        const struct warden_cell *root;
        const uint32_t *irqs;
        size_t size, ntext = 0;
        FILE *f;

        goto_repo_root();
        compile_file(SYSTEM, &blob, &size);
        ASSERT_OK(warden_config_check_system(blob, (uint32_t) size, &l, &e));
        root = (const struct warden_cell *) ((const char *) blob + l.cell);
        irqs = (const uint32_t *) ((const char *) blob + l.irqs);
        ASSERT_EQ(root->num_irqs, 7 + 32);
        for (size_t i = 0; i < ELEMENTSOF(want); i++) {
                bool found = false;

                for (uint32_t k = 0; k < root->num_irqs; k++)
                        found |= irqs[k] == want[i];
                ASSERT_TRUE(found);
        }
        for (uint32_t k = 0; k < root->num_irqs; k++) {
                ASSERT_TRUE(irqs[k] != 40 && irqs[k] != 47 && irqs[k] != 80);
                /* Kept free for cells (and for the event interrupt). */
                ASSERT_TRUE(irqs[k] < 100 || irqs[k] > 160);
        }

        f = open_memstream(&text, &ntext);
        ASSERT_NOT_NULL(f);
        ASSERT_OK(desc_decode(blob, size, f, &e));
        fclose(f);
        ASSERT_NOT_NULL(strstr(text, "\n  irqs: [\"33-39\", \"48-79\"]\n"));
}

/* A cell's list decodes with runs as range strings, lone interrupts as numbers. */
TEST(cell_irqs_decode) {
        _cleanup_free_ void *blob = NULL;
        _cleanup_free_ char *text = NULL;
        struct warden_config_error e;
        size_t size, ntext = 0;
        FILE *f;

        goto_repo_root();
        compile_file(VALID "/full.yaml", &blob, &size);
        f = open_memstream(&text, &ntext);
        ASSERT_NOT_NULL(f);
        ASSERT_OK(desc_decode(blob, size, f, &e));
        fclose(f);
        ASSERT_NOT_NULL(strstr(text, "\nirqs: [84, \"86-88\"]\n"));
}

/*
 * A cell that takes an interrupt root keeps: located on the cell's irqs entry that names it,
 * with a note on the root-cell.irqs entry that keeps it.
 */
TEST(cell_takes_a_root_interrupt) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        const char *path = INVALID "/irq-root.yaml";
        const DescNode *kept;
        const Diag *d;

        goto_repo_root();
        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, path, NULL));
        ASSERT_OK(desc_set_add(s, SYSTEM, NULL));
        ASSERT_TRUE(desc_set_check(s) < 0);
        ASSERT_EQ(s->diags.n_errors, 2); /* 36 and 37; 84 is free */
        d = &s->diags.items[0];
        ASSERT_STREQ(d->rule, "irq");
        ASSERT_STREQ(d->loc.file, path);
        ASSERT_EQ(d->loc.line, 10);
        ASSERT_EQ(d->loc.column, 12);
        ASSERT_NOT_NULL(strstr(d->message, "interrupt 36 "));
        ASSERT_NOT_NULL(strstr(d->message, "root cell keeps"));
        kept = root_irqs_entry(s, 36);
        ASSERT_NOT_NULL(kept);
        ASSERT_STREQ(d->related_loc.file, SYSTEM);
        ASSERT_EQ(d->related_loc.line, kept->loc.line);
        ASSERT_EQ(d->related_loc.column, kept->loc.column);
        ASSERT_NOT_NULL(strstr(s->diags.items[1].message, "interrupt 37 "));

        /* The UART's interrupt is root's too, but the UART is named, once. */
        desc_set_free(TAKE_PTR(s));
        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, INVALID "/irq-uart.yaml", NULL));
        ASSERT_OK(desc_set_add(s, SYSTEM, NULL));
        ASSERT_TRUE(desc_set_check(s) < 0);
        ASSERT_EQ(s->diags.n_errors, 1);
        ASSERT_NOT_NULL(strstr(s->diags.items[0].message, "UART"));
}

/* The event interrupt in root's list: located on the entry, with a note on hypervisor.event-irq. */
TEST(event_irq_in_root_list) {
        _cleanup_(desc_set_freep) DescSet *s = NULL;
        const char *path = INVALID "/system-event-irq-root.yaml";
        const DescNode *entry, *event;
        const Diag *d;

        goto_repo_root();
        ASSERT_OK(desc_set_new(&s));
        ASSERT_OK(desc_set_add(s, path, NULL));
        ASSERT_TRUE(desc_set_check(s) < 0);
        ASSERT_EQ(s->diags.n_errors, 1);
        d = &s->diags.items[0];
        ASSERT_STREQ(d->rule, "irq");
        ASSERT_NOT_NULL(strstr(d->message, "interrupt 160 is the hypervisor's event interrupt"));
        entry = root_irqs_entry(s, 160);
        event = desc_get(desc_get(desc_set_system(s)->source->root, "hypervisor"), "event-irq");
        ASSERT_NOT_NULL(entry);
        ASSERT_NOT_NULL(event);
        ASSERT_STREQ(d->loc.file, path);
        ASSERT_EQ(d->loc.line, entry->loc.line);
        ASSERT_EQ(d->loc.column, entry->loc.column);
        ASSERT_STREQ(d->related_loc.file, path);
        ASSERT_EQ(d->related_loc.line, event->loc.line);
        ASSERT_EQ(d->related_loc.column, event->loc.column);
        ASSERT_NOT_NULL(d->hint);
        /* Nothing compiled: the blob would be refused by the module and the hypervisor too. */
        ASSERT_NULL(s->units[0].blob);
}

TEST(yaml_and_json_compile_alike) {
        _cleanup_free_ void *a = NULL, *b = NULL;
        size_t na, nb;

        goto_repo_root();
        compile_file(VALID "/full.yaml", &a, &na);
        compile_file(VALID "/full.json", &b, &nb);
        ASSERT_EQ(na, nb);
        ASSERT_TRUE(memcmp(a, b, na) == 0);
}

DEFINE_TEST_MAIN
