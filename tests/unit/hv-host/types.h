/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Host stand-in for hypervisor/lib/inc/types.h: the same names from the C
 * library's headers, so hypervisor code (hypervisor/core) builds in host
 * unit tests next to libc.
 */
#ifndef __TYPES_H__
#define __TYPES_H__

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>

typedef uint8_t u8;
typedef uint16_t u16;
typedef uint32_t u32;
typedef uint64_t u64;
typedef int32_t s32;
typedef int64_t s64;

typedef u64 paddr_t;
typedef u64 vaddr_t;

#endif /* __TYPES_H__ */
