/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Token buckets: what a cell (or root) may repeat that reaches root, its
 * console bytes, its log lines, its lock calls, is limited by one of these
 * (docs/hypervisor.md, "What a cell can repeat is limited").
 */
#ifndef __RATELIMIT_H__
#define __RATELIMIT_H__

#include <types.h>

/**
 * struct ratelimit - a bucket; zeroed, it is full at its first use
 * @last:       counter value of the last refill
 * @tokens:     tokens in it
 * @suppressed: tokens asked for and refused since the owner last reset it
 */
struct ratelimit {
	u64 last;
	u64 tokens;
	u64 suppressed;
};

/*
 * Take @n tokens from @r if it has them, after adding @rate a second for
 * the time since its last refill (@now and @freq: a counter and its
 * frequency). At most @burst tokens are ever in it; a bucket unused for a
 * minute is full again. The owner serialises calls on one bucket.
 * Returns true when taken; false adds @n to @r->suppressed.
 */
bool ratelimit_take_at(struct ratelimit *r, u64 n, u64 burst, u64 rate, u64 now, u64 freq);

#endif /* __RATELIMIT_H__ */
