/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * Warden generic netlink ABI: the boundary between warden.ko and user space
 * (celld, cellctl, warden). This header is the single source of truth for the
 * family; it is included by the module and by the user-space netlink library.
 *
 * Family "warden", version WARDEN_GENL_VERSION.
 *
 * Commands and their attribute trees:
 *
 * WARDEN_CMD_GET (do; no privilege needed; no request attributes)
 *   reply:
 *     WARDEN_A_MODULE_VERSION   NUL-terminated string, e.g. "0.1.0"
 *     WARDEN_A_HV_VERSION       NUL-terminated string from the image header
 *     WARDEN_A_HV_ABI           u32, the image header's ABI revision
 *     WARDEN_A_HV_SIZE          u64, bytes of the hypervisor image file
 *     WARDEN_A_STATE            u32, enum warden_hv_state
 *     WARDEN_A_CPUS_POSSIBLE    u32, CPUs the root cell's kernel knows
 *     WARDEN_A_CPUS_ONLINE      u32, CPUs online in the root cell
 *
 * Multicast group WARDEN_GENL_MCGRP_EVENTS ("events"):
 *
 * WARDEN_CMD_STATE_CHANGED (notification only; refused as a request)
 *     WARDEN_A_STATE            u32, the new enum warden_hv_state
 *
 * Every refusal carries an extack message that names the cause.
 */
#ifndef _UAPI_WARDEN_GENL_H
#define _UAPI_WARDEN_GENL_H

#define WARDEN_GENL_NAME		"warden"
#define WARDEN_GENL_VERSION		1
#define WARDEN_GENL_MCGRP_EVENTS	"events"

enum warden_cmd {
	WARDEN_CMD_UNSPEC,
	WARDEN_CMD_GET,
	WARDEN_CMD_STATE_CHANGED,

	__WARDEN_CMD_MAX
};
#define WARDEN_CMD_MAX (__WARDEN_CMD_MAX - 1)

enum warden_attr {
	WARDEN_A_UNSPEC,
	WARDEN_A_MODULE_VERSION,
	WARDEN_A_HV_VERSION,
	WARDEN_A_HV_ABI,
	WARDEN_A_HV_SIZE,
	WARDEN_A_STATE,
	WARDEN_A_CPUS_POSSIBLE,
	WARDEN_A_CPUS_ONLINE,

	__WARDEN_A_MAX
};
#define WARDEN_A_MAX (__WARDEN_A_MAX - 1)

/* Longest string attribute, terminating NUL included. */
#define WARDEN_GENL_STRING_MAX		64

/*
 * State of the hypervisor as the module sees it. User space prints these
 * with the names in the comments (also the values of D-Bus HypervisorState).
 */
enum warden_hv_state {
	WARDEN_HV_DISABLED,	/* "disabled": image loaded, EL2 not taken */
	WARDEN_HV_ENABLED,	/* "enabled":  running under Warden */
	WARDEN_HV_FAILED,	/* "failed":   hypervisor stopped itself */

	__WARDEN_HV_STATE_MAX
};
#define WARDEN_HV_STATE_MAX (__WARDEN_HV_STATE_MAX - 1)

#endif /* _UAPI_WARDEN_GENL_H */
