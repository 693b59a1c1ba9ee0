// SPDX-License-Identifier: MIT
/*
 * hostile-refuse: a cooperative cell that denies every shutdown request
 * (WARDEN_HC_CELL_REPLY DENIED), without ever taking the reconfiguration
 * lock. Whether that keeps it running is its description's call: without
 * may-refuse a destroy stops it all the same; with it, root's destroy is
 * refused and says why.
 *
 * The word root loads at MODE_ADDR before the start (0 when it loads none)
 * is how many seconds it refuses: 0 is forever. Once they are over it
 * approves the next request, so that a test can end it.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-refuse";

#define MODE_ADDR	0xf0000ULL

int inmate_main(void)
{
	u64 seconds = readq(MODE_ADDR), refused = 0;
	u64 until = timer_deadline_us(seconds * 1000000);
	u64 next = timer_deadline_us(1000000);
	long ret;

	if (seconds)
		printf("hostile-refuse: cell %u on CPU %u: refusing every shutdown request for %llu s\n",
		       comm_cell_id(), cpu_id(), seconds);
	else
		printf("hostile-refuse: cell %u on CPU %u: refusing every shutdown request, forever\n",
		       comm_cell_id(), cpu_id());
	for (;;) {
		if (comm_shutdown_requested()) {
			if (!seconds || !timer_passed(until)) {
				ret = comm_reply(false);
				printf("hostile-refuse: shutdown request %llu: denied (%ld)\n", ++refused, ret);
			} else {
				printf("hostile-refuse: shutdown request after %llu denied: approving\n",
				       refused);
				ret = comm_reply(true);
				printf("hostile-refuse: the approval was refused: %ld\n", ret);
			}
		}
		if (timer_passed(next)) {
			comm_heartbeat();
			next += timer_us_to_ticks(1000000);
		}
		udelay(1000);
	}
}
