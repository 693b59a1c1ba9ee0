/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * A tiny test registry: TEST(name) { ... } registers a function in the "warden_tests" ELF
 * section; DEFINE_TEST_MAIN runs them all (or those named on the command line). A failed
 * assertion prints where and what, then aborts, so the binary exits non-zero.
 */
#pragma once

#include <errno.h>
#include <inttypes.h>
#include <stdbool.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

typedef struct TestEntry {
        const char *name;
        void (*func)(void);
        int line;
} TestEntry;

#define TEST(n)                                                                         \
        static void test_##n(void);                                                     \
        static const TestEntry test_entry_##n                                           \
                __attribute__((__used__, __section__("warden_tests"),                   \
                               __aligned__(__alignof__(TestEntry)))) = { #n, test_##n, __LINE__ }; \
        static void test_##n(void)

extern const TestEntry __start_warden_tests[];
extern const TestEntry __stop_warden_tests[];

#define test_fail(file, line, ...)                                                      \
        do {                                                                            \
                fprintf(stderr, "%s:%d: assertion failed: ", file, line);               \
                fprintf(stderr, __VA_ARGS__);                                           \
                fputc('\n', stderr);                                                    \
                abort();                                                                \
        } while (0)

#define ASSERT_TRUE(expr)                                                               \
        do {                                                                            \
                if (!(expr))                                                            \
                        test_fail(__FILE__, __LINE__, "%s", #expr);                     \
        } while (0)

#define ASSERT_FALSE(expr) ASSERT_TRUE(!(expr))

#define ASSERT_EQ(a, b)                                                                 \
        do {                                                                            \
                intmax_t _a_ = (intmax_t) (a), _b_ = (intmax_t) (b);                    \
                if (_a_ != _b_)                                                         \
                        test_fail(__FILE__, __LINE__, "%s == %s (%jd != %jd)",          \
                                  #a, #b, _a_, _b_);                                    \
        } while (0)

#define ASSERT_OK(expr)                                                                 \
        ({                                                                              \
                intmax_t _r_ = (intmax_t) (expr);                                       \
                if (_r_ < 0)                                                            \
                        test_fail(__FILE__, __LINE__, "%s failed: %s", #expr,           \
                                  strerror((int) -_r_));                                \
                _r_;                                                                    \
        })

#define ASSERT_ERROR(expr, err)                                                         \
        do {                                                                            \
                intmax_t _r_ = (intmax_t) (expr);                                       \
                if (_r_ != -(intmax_t) (err))                                           \
                        test_fail(__FILE__, __LINE__, "%s returned %jd, expected -%s",  \
                                  #expr, _r_, #err);                                    \
        } while (0)

#define ASSERT_STREQ(a, b)                                                              \
        do {                                                                            \
                const char *_a_ = (a), *_b_ = (b);                                      \
                if (!_a_ || !_b_ || strcmp(_a_, _b_) != 0)                              \
                        test_fail(__FILE__, __LINE__, "%s == %s (\"%s\" != \"%s\")",    \
                                  #a, #b, _a_ ?: "(null)", _b_ ?: "(null)");            \
        } while (0)

#define ASSERT_NULL(expr) ASSERT_TRUE((expr) == NULL)
#define ASSERT_NOT_NULL(expr) ASSERT_TRUE((expr) != NULL)

static inline int tests_compare(const void *a, const void *b) {
        return ((const TestEntry *) a)->line - ((const TestEntry *) b)->line;
}

/* Runs the tests in the order of the source, whatever order the linker chose. */
static inline int tests_run(int argc, char *argv[]) {
        size_t n_tests = (size_t) (__stop_warden_tests - __start_warden_tests);
        TestEntry *tests = malloc(n_tests * sizeof(TestEntry));
        unsigned n = 0;

        if (!tests)
                return EXIT_FAILURE;
        memcpy(tests, __start_warden_tests, n_tests * sizeof(TestEntry));
        qsort(tests, n_tests, sizeof(TestEntry), tests_compare);

        for (const TestEntry *t = tests; t < tests + n_tests; t++) {
                bool selected = argc <= 1;

                for (int i = 1; i < argc && !selected; i++)
                        selected = strcmp(argv[i], t->name) == 0;
                if (!selected)
                        continue;

                printf("%s: %s\n", program_invocation_short_name, t->name);
                fflush(stdout);
                t->func();
                n++;
        }

        free(tests);
        printf("%u tests passed\n", n);
        return n > 0 ? EXIT_SUCCESS : EXIT_FAILURE;
}

#define DEFINE_TEST_MAIN                                        \
        int main(int argc, char *argv[]) {                      \
                return tests_run(argc, argv);                   \
        }
