// SPDX-License-Identifier: GPL-2.0-only
/*
 * refuse-demo: a cooperative cell that denies every shutdown request
 * (WARDEN_HC_CELL_REPLY DENIED) and beats the heartbeat once a second. Its
 * description does not grant it may-refuse, so a denial does not keep it
 * running: root stops it without its approval once the shutdown timeout
 * ends (WARDEN_STOP_FORCED). It also tries to lock reconfiguration once,
 * which a cell without the grant is refused; should the lock be granted
 * anyway (a hypervisor bug), it says so and unlocks at once rather than
 * keep root from reconfiguring.
 */
#include <inmate.h>

const char inmate_name[] = "refuse-demo";

int inmate_main(void)
{
	u64 next = timer_deadline_us(1000000), beat = 0, denied = 0;
	long ret;

	printf("refuse-demo: cell %u on CPU %u: denying every shutdown request\n", comm_cell_id(),
	       cpu_id());
	ret = comm_lock(true);
	if (ret) {
		printf("refuse-demo: the lock was refused: %ld\n", ret);
	} else {
		printf("refuse-demo: the lock was granted, which it should not be: unlocking\n");
		ret = comm_lock(false);
		if (ret)
			printf("refuse-demo: unlocking failed: %ld\n", ret);
	}

	for (;;) {
		if (comm_shutdown_requested()) {
			denied++;
			printf("refuse-demo: shutdown requested: denying (%llu)\n", denied);
			ret = comm_reply(false);
			if (ret)
				printf("refuse-demo: the denial was refused: %ld\n", ret);
		}
		if (timer_passed(next)) {
			beat = comm_heartbeat();
			printf("refuse-demo: heartbeat %llu\n", beat);
			next += timer_us_to_ticks(1000000);
		}
		udelay(1000);
	}
}
