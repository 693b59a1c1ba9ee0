/* SPDX-License-Identifier: GPL-2.0-only */
#include "desc-values.h"
#include "tests.h"

static uint64_t u64_ok(const char *s) {
        uint64_t v = 0;
        const char *why = NULL;

        ASSERT_OK(value_parse_u64(s, &v, &why));
        return v;
}

static const char *u64_err(const char *s, int err) {
        uint64_t v = 42;
        const char *why = NULL;

        ASSERT_ERROR(value_parse_u64(s, &v, &why), err);
        ASSERT_EQ(v, 42); /* untouched on failure */
        ASSERT_NOT_NULL(why);
        return why;
}

TEST(addresses) {
        ASSERT_EQ(u64_ok("0x7040_0000"), 0x70400000);
        ASSERT_EQ(u64_ok("0X7040_0000"), 0x70400000);
        ASSERT_EQ(u64_ok("1234"), 1234);
        ASSERT_EQ(u64_ok("1_000_000"), 1000000);
        ASSERT_EQ(u64_ok("0"), 0);
        ASSERT_EQ(u64_ok("0xffffffffffffffff"), UINT64_MAX);
        ASSERT_STREQ(u64_err("0x1_0000_0000_0000_0000", ERANGE), "number too large for 64 bits");
        ASSERT_STREQ(u64_err("18446744073709551616", ERANGE), "number too large for 64 bits");
        ASSERT_STREQ(u64_err("0x", EINVAL), "expected a number");
        ASSERT_STREQ(u64_err("", EINVAL), "expected a number");
        ASSERT_STREQ(u64_err("_1", EINVAL), "'_' must stand between digits");
        ASSERT_STREQ(u64_err("1__0", EINVAL), "'_' must stand between digits");
        ASSERT_STREQ(u64_err("10_", EINVAL), "'_' must stand between digits");
        ASSERT_STREQ(u64_err("12abc", EINVAL), "unexpected characters after the number");
        ASSERT_STREQ(u64_err("0x12g", EINVAL), "unexpected characters after the number");
}

TEST(sizes) {
        uint64_t v;
        const char *why;

        ASSERT_OK(value_parse_size("1M", &v, &why));
        ASSERT_EQ(v, 1 << 20);
        ASSERT_OK(value_parse_size("4 KiB", &v, &why));
        ASSERT_EQ(v, 4096);
        ASSERT_OK(value_parse_size("2G", &v, &why));
        ASSERT_EQ(v, 2ULL << 30);
        ASSERT_OK(value_parse_size("0x10_0000", &v, &why));
        ASSERT_EQ(v, 1 << 20);
        ASSERT_OK(value_parse_size("16777215T", &v, &why));
        ASSERT_EQ(v, 16777215ULL << 40);
        ASSERT_ERROR(value_parse_size("16777216T", &v, &why), ERANGE);
        ASSERT_ERROR(value_parse_size("1MB", &v, &why), EINVAL);
        ASSERT_STREQ(why, "unknown unit: use K, M, G, T (or KiB, MiB, GiB, TiB)");
        ASSERT_ERROR(value_parse_size("1m", &v, &why), EINVAL);
        ASSERT_ERROR(value_parse_size("M", &v, &why), EINVAL);
}

TEST(durations) {
        uint64_t v;
        const char *why;

        ASSERT_OK(value_parse_duration_ms("500ms", &v, &why));
        ASSERT_EQ(v, 500);
        ASSERT_OK(value_parse_duration_ms("5s", &v, &why));
        ASSERT_EQ(v, 5000);
        ASSERT_OK(value_parse_duration_ms("2 min", &v, &why));
        ASSERT_EQ(v, 120000);
        ASSERT_ERROR(value_parse_duration_ms("5", &v, &why), EINVAL);
        ASSERT_STREQ(why, "missing unit: use ms, s or min");
        ASSERT_ERROR(value_parse_duration_ms("5h", &v, &why), EINVAL);
        ASSERT_STREQ(why, "unknown unit: use ms, s or min");
        ASSERT_ERROR(value_parse_duration_ms("0x5s", &v, &why), EINVAL);
        ASSERT_ERROR(value_parse_duration_ms("99999999999999999999s", &v, &why), ERANGE);
        ASSERT_ERROR(value_parse_duration_ms("999999999999999999min", &v, &why), ERANGE);
}

TEST(cpu_lists) {
        uint64_t m;
        const char *why;
        char buf[64];

        ASSERT_OK(value_parse_cpu_list("1-3,5", &m, &why));
        ASSERT_EQ(m, 0x2e);
        ASSERT_OK(value_parse_cpu_list("0", &m, &why));
        ASSERT_EQ(m, 1);
        ASSERT_OK(value_parse_cpu_list("63", &m, &why));
        ASSERT_EQ(m, 1ULL << 63);
        ASSERT_OK(value_parse_cpu_list("0-63", &m, &why));
        ASSERT_EQ(m, UINT64_MAX);
        ASSERT_ERROR(value_parse_cpu_list("64", &m, &why), ERANGE);
        ASSERT_STREQ(why, "CPU number out of range (0-63)");
        ASSERT_ERROR(value_parse_cpu_list("3-1", &m, &why), EINVAL);
        ASSERT_STREQ(why, "range ends before it starts");
        ASSERT_ERROR(value_parse_cpu_list("1,1", &m, &why), EINVAL);
        ASSERT_STREQ(why, "CPU listed twice");
        ASSERT_ERROR(value_parse_cpu_list("1-3,2", &m, &why), EINVAL);
        ASSERT_ERROR(value_parse_cpu_list("1,", &m, &why), EINVAL);
        ASSERT_STREQ(why, "expected a CPU number");
        ASSERT_ERROR(value_parse_cpu_list("1;2", &m, &why), EINVAL);
        ASSERT_STREQ(why, "expected ',' or '-' between CPU numbers");
        ASSERT_ERROR(value_parse_cpu_list("", &m, &why), EINVAL);

        value_format_cpu_list(0x2e, buf, sizeof(buf));
        ASSERT_STREQ(buf, "1-3,5");
        value_format_cpu_list(UINT64_MAX, buf, sizeof(buf));
        ASSERT_STREQ(buf, "0-63");
        value_format_cpu_list(0x5, buf, sizeof(buf));
        ASSERT_STREQ(buf, "0,2");
        value_format_cpu_list(0, buf, sizeof(buf));
        ASSERT_STREQ(buf, "");
}

TEST(ranges) {
        uint64_t a, b;
        const char *why;

        ASSERT_OK(value_parse_range("48", &a, &b, &why));
        ASSERT_EQ(a, 48);
        ASSERT_EQ(b, 48);
        ASSERT_OK(value_parse_range("50-52", &a, &b, &why));
        ASSERT_EQ(a, 50);
        ASSERT_EQ(b, 52);
        ASSERT_ERROR(value_parse_range("52-50", &a, &b, &why), EINVAL);
        ASSERT_STREQ(why, "range ends before it starts");
        ASSERT_ERROR(value_parse_range("50-", &a, &b, &why), EINVAL);
        ASSERT_ERROR(value_parse_range("50,51", &a, &b, &why), EINVAL);
        ASSERT_STREQ(why, "expected a number or a range A-B");
        ASSERT_ERROR(value_parse_range("99999999999999999999", &a, &b, &why), ERANGE);
}

TEST(size_format) {
        char buf[32];

        value_format_size(1 << 20, buf, sizeof(buf));
        ASSERT_STREQ(buf, "1M");
        value_format_size(768ULL << 20, buf, sizeof(buf));
        ASSERT_STREQ(buf, "768M");
        value_format_size(0x38000000, buf, sizeof(buf));
        ASSERT_STREQ(buf, "896M");
        value_format_size(4097, buf, sizeof(buf));
        ASSERT_STREQ(buf, "4097");
        value_format_size(2ULL << 40, buf, sizeof(buf));
        ASSERT_STREQ(buf, "2T");
}

DEFINE_TEST_MAIN
