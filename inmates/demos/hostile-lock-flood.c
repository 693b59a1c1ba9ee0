// SPDX-License-Identifier: MIT
/*
 * hostile-lock-flood: calls the lock hypercall (WARDEN_HC_CELL_LOCK) in a
 * loop, lock and unlock in turn, as fast as it can. Its description does
 * not grant may-refuse, so every call should be refused; either way root
 * must stay responsive and its event interrupt must not storm
 * (tests/vm/cases/cell-starve.sh, tests/bench/hostile.sh). Between calls
 * it approves a shutdown request, should one come.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-lock-flood";

int inmate_main(void)
{
	long first, ret;
	u64 i;

	printf("hostile-lock-flood: cell %u on CPU %u: lock, unlock, lock... as fast as it goes\n",
	       comm_cell_id(), cpu_id());
	first = comm_lock(true);
	printf("hostile-lock-flood: the first lock call returned %ld\n", first);
	for (i = 0;; i++) {
		ret = comm_lock(i & 1);
		(void)ret;
		comm_poll_shutdown("shutdown requested: approving");
	}
	return 0;
}
