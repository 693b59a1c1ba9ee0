/* SPDX-License-Identifier: MIT */
/*
 * Fixed-size types for freestanding inmates, named as Linux's uapi names them
 * (include/warden/hypercall.h includes <types.h> under __WARDEN_HYPERVISOR__).
 */
#ifndef __INMATE_TYPES_H__
#define __INMATE_TYPES_H__

typedef unsigned char __u8;
typedef unsigned short __u16;
typedef unsigned int __u32;
typedef unsigned long long __u64;
typedef signed char __s8;
typedef signed short __s16;
typedef signed int __s32;
typedef signed long long __s64;

typedef __u8 u8;
typedef __u16 u16;
typedef __u32 u32;
typedef __u64 u64;
typedef __s8 s8;
typedef __s16 s16;
typedef __s32 s32;
typedef __s64 s64;

typedef unsigned long size_t;
typedef long ssize_t;
typedef unsigned long uintptr_t;

#define bool _Bool
#define true 1
#define false 0
#define NULL ((void *)0)

#endif /* __INMATE_TYPES_H__ */
