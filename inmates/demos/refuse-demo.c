// SPDX-License-Identifier: MIT
/*
 * refuse-demo: a cooperative cell that denies shutdown requests
 * (WARDEN_HC_CELL_REPLY DENIED) and beats the heartbeat once a second. Its
 * description does not grant it may-refuse, so a denial does not keep it
 * running: root stops it without its approval once the shutdown timeout
 * ends (WARDEN_STOP_FORCED), and its lock call is refused.
 *
 * It denies the first DENIALS requests and approves the next one, so that
 * a copy described with may-refuse: true (which does keep running while it
 * refuses) can still be stopped: a demo must not need a reboot to go away.
 * With the grant its lock call succeeds, and it unlocks at once.
 */
#include <inmate.h>

const char inmate_name[] = "refuse-demo";

#define DENIALS	3

int inmate_main(void)
{
	u64 next = timer_deadline_us(1000000), beat = 0;
	unsigned int denied = 0;
	long ret;

	printf("refuse-demo: cell %u on CPU %u: denying the first %u shutdown requests\n",
	       comm_cell_id(), cpu_id(), DENIALS);
	ret = comm_lock(true);
	if (ret) {
		printf("refuse-demo: the lock was refused: %ld\n", ret);
	} else {
		printf("refuse-demo: the lock was granted: unlocking at once\n");
		ret = comm_lock(false);
		if (ret)
			printf("refuse-demo: unlocking failed: %ld\n", ret);
	}

	for (;;) {
		if (comm_shutdown_requested()) {
			if (denied < DENIALS) {
				denied++;
				printf("refuse-demo: shutdown requested: denying (%u of %u)\n", denied,
				       DENIALS);
				ret = comm_reply(false);
				if (ret)
					printf("refuse-demo: the denial was refused: %ld\n", ret);
			} else {
				printf("refuse-demo: shutdown requested after %u denials: approving, goodbye\n",
				       denied);
				ret = comm_reply(true);
				printf("refuse-demo: approval refused: %ld\n", ret);
			}
		}
		if (timer_passed(next)) {
			beat = comm_heartbeat();
			printf("refuse-demo: heartbeat %llu\n", beat);
			next += timer_us_to_ticks(1000000);
		}
		udelay(1000);
	}
}
