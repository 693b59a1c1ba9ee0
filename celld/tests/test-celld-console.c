/* SPDX-License-Identifier: GPL-2.0-only */
/* A cell's console as journal lines: splitting, cutting, cleaning. */
#include "console-lines.h"
#include "tests.h"

typedef struct Lines {
        char text[16][CONSOLE_LINE_MAX * 4 + 1];
        size_t n;
} Lines;

static void collect(const char *line, void *userdata) {
        Lines *l = userdata;

        ASSERT_TRUE(l->n < 16);
        snprintf(l->text[l->n++], sizeof(l->text[0]), "%s", line);
}

static void feed(ConsoleLines *cl, Lines *l, const char *s) {
        console_lines_feed(cl, s, strlen(s), collect, l);
}

TEST(lines) {
        ConsoleLines cl = {};
        Lines l = {};

        feed(&cl, &l, "Hello from cell 1\nhello: heart");
        ASSERT_EQ(l.n, 1);
        ASSERT_STREQ(l.text[0], "Hello from cell 1");
        feed(&cl, &l, "beat 1\r\n\n");
        ASSERT_EQ(l.n, 3);
        ASSERT_STREQ(l.text[1], "hello: heartbeat 1");
        ASSERT_STREQ(l.text[2], "");
        feed(&cl, &l, "last words");
        ASSERT_EQ(l.n, 3);
        console_lines_flush(&cl, collect, &l);
        ASSERT_EQ(l.n, 4);
        ASSERT_STREQ(l.text[3], "last words");
        console_lines_flush(&cl, collect, &l);
        ASSERT_EQ(l.n, 4);
}

TEST(control_characters_and_invalid_utf8) {
        ConsoleLines cl = {};
        Lines l = {};

        feed(&cl, &l, "a\tb\x01" "c\x7f\xff\xc3\xa9\n");
        ASSERT_EQ(l.n, 1);
        ASSERT_STREQ(l.text[0], "a\tb\xef\xbf\xbd" "c\xef\xbf\xbd\xef\xbf\xbd\xc3\xa9");
        /* A NUL byte does not end the line. */
        console_lines_feed(&cl, "x\0y\n", 4, collect, &l);
        ASSERT_STREQ(l.text[1], "x\xef\xbf\xbdy");
}

/* A terminal's escape sequences are dropped, whole, even split between reads. */
TEST(escape_sequences) {
        ConsoleLines cl = {};
        Lines l = {};

        /* colours, ash's cursor position query at its prompt, a cursor move */
        feed(&cl, &l, "\x1b[1;31mred\x1b[0m plain\n/ # \x1b[6njobs\x1b[2K\x1b[10;1H!\n");
        ASSERT_EQ(l.n, 2);
        ASSERT_STREQ(l.text[0], "red plain");
        ASSERT_STREQ(l.text[1], "/ # jobs!");
        /* split between reads, an OSC title ended by BEL and one ended by ESC \, a charset ESC ( B */
        feed(&cl, &l, "a\x1b");
        feed(&cl, &l, "[3");
        feed(&cl, &l, "8;5;12mb\x1b]0;t\xc3\xa9tle\x07" "c\x1b]2;x\x1b\\d\x1b(Be\x1b");
        feed(&cl, &l, "=f\n");
        ASSERT_EQ(l.n, 3);
        ASSERT_STREQ(l.text[2], "abcdef");
        /* a broken sequence ends at the newline; a runaway one gives the text back after 64 bytes */
        feed(&cl, &l, "g\x1b[12\nh\n");
        ASSERT_EQ(l.n, 5);
        ASSERT_STREQ(l.text[3], "g");
        ASSERT_STREQ(l.text[4], "h");
        feed(&cl, &l, "\x1b]");
        for (int i = 0; i < 70; i++)
                feed(&cl, &l, "z");
        feed(&cl, &l, "\n");
        ASSERT_EQ(l.n, 6);
        ASSERT_STREQ(l.text[5], "zzzzzzzz");     /* 2 + 62 bytes swallowed, then text */
        /* a flush ends an unfinished sequence: what follows is text */
        feed(&cl, &l, "i\x1b[1");
        console_lines_flush(&cl, collect, &l);
        feed(&cl, &l, "j\n");
        ASSERT_EQ(l.n, 8);
        ASSERT_STREQ(l.text[6], "i");
        ASSERT_STREQ(l.text[7], "j");
}

TEST(utf8_split_between_reads) {
        ConsoleLines cl = {};
        Lines l = {};

        feed(&cl, &l, "caf\xc3");
        feed(&cl, &l, "\xa9 \xe2\x82");
        feed(&cl, &l, "\xac\n");
        ASSERT_EQ(l.n, 1);
        ASSERT_STREQ(l.text[0], "caf\xc3\xa9 \xe2\x82\xac");
        /* An incomplete sequence that never completes. */
        feed(&cl, &l, "x\xe2\x82");
        feed(&cl, &l, "y\n");
        ASSERT_STREQ(l.text[1], "x\xef\xbf\xbd\xef\xbf\xbdy");
        feed(&cl, &l, "z\xf0\x9f");
        console_lines_flush(&cl, collect, &l);
        ASSERT_STREQ(l.text[2], "z\xef\xbf\xbd\xef\xbf\xbd");
}

TEST(long_line_is_cut) {
        char big[CONSOLE_LINE_MAX * 2 + 10];
        ConsoleLines cl = {};
        Lines l = {};

        memset(big, 'x', sizeof(big) - 1);
        big[sizeof(big) - 1] = '\0';
        feed(&cl, &l, big);
        ASSERT_EQ(l.n, 2);
        ASSERT_EQ(strlen(l.text[0]), CONSOLE_LINE_MAX);
        ASSERT_EQ(strlen(l.text[1]), CONSOLE_LINE_MAX);
        console_lines_flush(&cl, collect, &l);
        ASSERT_EQ(strlen(l.text[2]), 9);

        /* Replacement characters count as one: a line of them fits. */
        for (size_t i = 0; i < CONSOLE_LINE_MAX; i++)
                console_lines_feed(&cl, "\x01", 1, collect, &l);
        ASSERT_EQ(l.n, 4);
        ASSERT_EQ(strlen(l.text[3]), CONSOLE_LINE_MAX * 3);
}

DEFINE_TEST_MAIN
