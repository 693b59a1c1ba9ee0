/* SPDX-License-Identifier: MIT */
/* Between the library's own files and head.S; not for programs. */
#ifndef __INMATE_INTERNAL_H__
#define __INMATE_INTERNAL_H__

#include <inmate.h>

struct cpu_start_ctx;

/* head.S calls these */
void inmate_lib_init(void);
void __noreturn inmate_exit(int ret);
void __noreturn inmate_secondary(struct cpu_start_ctx *ctx);
void inmate_exception(struct exception_frame *f, unsigned long index);

void timer_init(void);

#endif /* __INMATE_INTERNAL_H__ */
