/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-in for hypervisor/core/inc/errno.h: the C library's, whose
 * values are Linux's too. hypervisor/core/inc comes after the system
 * directories on the host include path, so this only makes that explicit.
 */
#include_next <errno.h>
