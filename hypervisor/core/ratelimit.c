// SPDX-License-Identifier: GPL-2.0-only
/* Token buckets (ratelimit.h); pure arithmetic, tested on the host. */
#include <ratelimit.h>

#define RATELIMIT_IDLE_SECONDS	60

bool ratelimit_take_at(struct ratelimit *r, u64 n, u64 burst, u64 rate, u64 now, u64 freq)
{
	u64 elapsed = now - r->last, add;

	if (!freq)
		freq = 1;
	if (!r->last || now < r->last || elapsed > RATELIMIT_IDLE_SECONDS * freq) {
		r->tokens = burst;
		r->last = now;
	} else {
		/* elapsed is below a minute's ticks: no overflow for any sane rate */
		add = elapsed * rate / freq;
		if (add) {
			r->tokens = r->tokens + add > burst ? burst : r->tokens + add;
			/* keep the fraction of a token not yet earned */
			r->last += add * freq / rate;
		}
	}
	if (r->tokens < n) {
		r->suppressed += n;
		return false;
	}
	r->tokens -= n;
	return true;
}
