/* SPDX-License-Identifier: GPL-2.0-only */
/* Host stand-in for hypervisor/lib/inc/string.h: the C library's. */
#include_next <string.h>
