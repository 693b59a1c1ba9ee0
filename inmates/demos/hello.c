// SPDX-License-Identifier: MIT
/*
 * hello: greets, then beats the heartbeat once a second with a line on the
 * console, and approves a shutdown request as soon as it comes.
 */
#include <inmate.h>

const char inmate_name[] = "hello";

int inmate_main(void)
{
	u64 next = timer_deadline_us(1000000), beat = 0;

	printf("Hello from cell %u on CPU %u\n", comm_cell_id(), cpu_id());
	printf("hello: counter at %llu Hz; heartbeat every second\n", timer_frequency());

	for (;;) {
		if (comm_shutdown_requested()) {
			long ret;

			printf("hello: shutdown requested after %llu heartbeats: approving, goodbye\n",
			       beat);
			ret = comm_reply(true);
			printf("hello: approval refused: %ld\n", ret);
		}
		if (timer_passed(next)) {
			beat = comm_heartbeat();
			printf("hello: heartbeat %llu\n", beat);
			next += timer_us_to_ticks(1000000);
		}
		udelay(1000);
	}
}
