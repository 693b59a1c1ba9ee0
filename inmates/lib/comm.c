// SPDX-License-Identifier: MIT
/*
 * The communication page, shared with the hypervisor at
 * WARDEN_COMM_PAGE_IPA. Every access goes through the volatile comm_page
 * pointer: the hypervisor changes msg_to_cell behind the compiler's back,
 * and root's watchdog reads the heartbeat.
 *
 * Bare metal (INMATE_BARE): comm_page is a static page nobody else writes
 * (cell 0, no shutdown request ever), and there is nobody to answer
 * comm_reply() or comm_lock(): they return -ENOSYS.
 */
#include <inmate.h>

#ifdef INMATE_BARE
#define ENOSYS	38

struct warden_comm_page inmate_bare_comm_page;
#endif

u32 comm_cell_id(void)
{
	return comm_page->cell_id;
}

u64 comm_cpu_set(void)
{
	return comm_page->cpu_set;
}

u64 comm_heartbeat(void)
{
	u64 beat = comm_page->heartbeat + 1;

	comm_page->heartbeat = beat;
	return beat;
}

bool comm_shutdown_requested(void)
{
	return comm_page->msg_to_cell == WARDEN_MSG_SHUTDOWN_REQUEST;
}

long comm_reply(bool approve)
{
#ifdef INMATE_BARE
	(void)approve;
	return -ENOSYS;
#else
	return warden_hypercall(WARDEN_HC_CELL_REPLY,
				approve ? WARDEN_REPLY_APPROVED : WARDEN_REPLY_DENIED, 0, 0);
#endif
}

void comm_poll_shutdown(const char *why)
{
	long ret;

	if (!comm_shutdown_requested())
		return;
	printf("%s: %s\n", inmate_name, why);
	ret = comm_reply(true);
	printf("%s: the hypervisor refused the approval: %ld\n", inmate_name, ret);
}

long comm_lock(bool lock)
{
#ifdef INMATE_BARE
	(void)lock;
	return -ENOSYS;
#else
	return warden_hypercall(WARDEN_HC_CELL_LOCK, lock ? 1 : 0, 0, 0);
#endif
}
