// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's token buckets (hypervisor/core/ratelimit.c) on the host:
 * a fresh bucket gives its burst, then only what the rate adds over time
 * (fractions are kept, not lost), never more than the burst, refusals are
 * counted, an idle or rewound counter refills it, and a request larger than
 * the burst is always refused.
 */
#include <string.h>

#include <ratelimit.h>

#include "tests.h"

#define FREQ	62500000ULL	/* QEMU virt's counter */

TEST(ratelimit_burst_then_rate)
{
	struct ratelimit r;
	u64 t = 1000;
	int i;

	memset(&r, 0, sizeof(r));
	for (i = 0; i < 16; i++)
		ASSERT_TRUE(ratelimit_take_at(&r, 1, 16, 4, t, FREQ));
	ASSERT_FALSE(ratelimit_take_at(&r, 1, 16, 4, t, FREQ));
	ASSERT_EQ(r.suppressed, 1);
	/* A quarter of a second adds one token at 4 a second. */
	ASSERT_FALSE(ratelimit_take_at(&r, 1, 16, 4, t + FREQ / 8, FREQ));
	ASSERT_TRUE(ratelimit_take_at(&r, 1, 16, 4, t + FREQ / 4, FREQ));
	ASSERT_FALSE(ratelimit_take_at(&r, 1, 16, 4, t + FREQ / 4, FREQ));
	ASSERT_EQ(r.suppressed, 3);
}

TEST(ratelimit_fractions_accumulate)
{
	struct ratelimit r;
	u64 t = 5, step = FREQ / 10;	/* a tenth of a second, 0.4 tokens */
	int i, taken = 0;

	memset(&r, 0, sizeof(r));
	ASSERT_TRUE(ratelimit_take_at(&r, 16, 16, 4, t, FREQ));
	for (i = 1; i <= 50; i++)
		taken += ratelimit_take_at(&r, 1, 16, 4, t + i * step, FREQ);
	ASSERT_EQ(taken, 20);	/* five seconds at 4 a second */
}

TEST(ratelimit_capped_and_idle_refill)
{
	struct ratelimit r;
	u64 t = 77;

	memset(&r, 0, sizeof(r));
	ASSERT_TRUE(ratelimit_take_at(&r, 8, 8, 1000, t, FREQ));
	/* Ten seconds at 1000 a second would be 10000: the burst caps it. */
	ASSERT_TRUE(ratelimit_take_at(&r, 8, 8, 1000, t + 10 * FREQ, FREQ));
	ASSERT_FALSE(ratelimit_take_at(&r, 1, 8, 1000, t + 10 * FREQ, FREQ));
	/* Idle for over a minute, or a counter that went backwards: full again. */
	ASSERT_TRUE(ratelimit_take_at(&r, 8, 8, 0, t + 100 * FREQ, FREQ));
	ASSERT_TRUE(ratelimit_take_at(&r, 8, 8, 0, 3, FREQ));
}

TEST(ratelimit_larger_than_burst)
{
	struct ratelimit r;

	memset(&r, 0, sizeof(r));
	ASSERT_FALSE(ratelimit_take_at(&r, 33, 32, 32, 1, FREQ));
	ASSERT_EQ(r.suppressed, 33);
	ASSERT_TRUE(ratelimit_take_at(&r, 32, 32, 32, 1, FREQ));
	ASSERT_FALSE(ratelimit_take_at(&r, 1, 32, 0, 1, 0));	/* no frequency: no division by it */
}

DEFINE_TEST_MAIN
