/* SPDX-License-Identifier: GPL-2.0-only */
/* Fixed-size types for the freestanding hypervisor, named as Linux's uapi names them. */
#ifndef __TYPES_H__
#define __TYPES_H__

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed int __s32;
typedef signed long long __s64;

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s32 s32;
typedef __s64 s64;

typedef u64 paddr_t;
typedef u64 vaddr_t;
typedef unsigned long size_t;

#define bool _Bool
#define true 1
#define false 0
#define NULL ((void *)0)

#endif /* __TYPES_H__ */
