/* SPDX-License-Identifier: MIT */
#ifndef __INMATE_STDARG_H__
#define __INMATE_STDARG_H__

typedef __builtin_va_list va_list;
#define va_start(ap, last)	__builtin_va_start(ap, last)
#define va_arg(ap, type)	__builtin_va_arg(ap, type)
#define va_end(ap)		__builtin_va_end(ap)
#define va_copy(d, s)		__builtin_va_copy(d, s)

#endif /* __INMATE_STDARG_H__ */
