// SPDX-License-Identifier: MIT
/*
 * locked-demo: locks reconfiguration (WARDEN_HC_CELL_LOCK) as soon as it
 * starts: while it holds the lock, root may not create, shut down or
 * destroy any cell, this one included. After LOCK_SECONDS it unlocks. A
 * shutdown request that reaches it while locked (one posted before the
 * lock) is refused with WARDEN_HC_CELL_REPLY DENIED; once unlocked, it
 * approves. It beats the heartbeat once a second throughout.
 */
#include <inmate.h>

const char inmate_name[] = "locked-demo";

#define LOCK_SECONDS	10

int inmate_main(void)
{
	u64 next_beat = timer_deadline_us(1000000);
	u64 unlock_at = timer_deadline_us(LOCK_SECONDS * 1000000ULL);
	bool locked;
	long ret;

	printf("locked-demo: cell %u on CPU %u: locking reconfiguration for %u s\n",
	       comm_cell_id(), cpu_id(), LOCK_SECONDS);
	ret = comm_lock(true);
	locked = ret == 0;
	if (locked)
		printf("locked-demo: locked\n");
	else
		printf("locked-demo: the lock was refused: %ld; running unlocked\n", ret);

	for (;;) {
		if (locked && timer_passed(unlock_at)) {
			ret = comm_lock(false);
			if (ret)
				printf("locked-demo: unlocking failed: %ld\n", ret);
			else
				printf("locked-demo: unlocked\n");
			locked = false;
		}
		if (comm_shutdown_requested()) {
			if (locked) {
				printf("locked-demo: shutdown requested while locked: denying\n");
				ret = comm_reply(false);
				if (ret)
					printf("locked-demo: the denial was refused: %ld\n", ret);
			} else {
				printf("locked-demo: shutdown requested: approving, goodbye\n");
				ret = comm_reply(true);
				printf("locked-demo: approval refused: %ld\n", ret);
			}
		}
		if (timer_passed(next_beat)) {
			u64 beat = comm_heartbeat();

			if (locked) {
				s64 left = (s64)(unlock_at - timer_counter());

				printf("locked-demo: heartbeat %llu (locked, unlocking in %llu s)\n", beat,
				       left > 0 ? (timer_ticks_to_us((u64)left) + 999999) / 1000000 : 0);
			} else {
				printf("locked-demo: heartbeat %llu\n", beat);
			}
			next_beat += timer_us_to_ticks(1000000);
		}
		udelay(1000);
	}
}
