/* SPDX-License-Identifier: GPL-2.0-only */
/* Error numbers: identical to Linux's, so they pass through the module unchanged. */
#ifndef __ERRNO_H__
#define __ERRNO_H__

#define EPERM		1
#define ENOENT		2
#define EIO		5
#define EAGAIN		11
#define E2BIG		7
#define ENOMEM		12
#define EBUSY		16
#define EEXIST		17
#define ENODEV		19
#define EINVAL		22
#define ENOSPC		28
#define EFAULT		14
#define EPIPE		32
#define ERANGE		34
#define ENOSYS		38
#define EOPNOTSUPP	95
#define EALREADY	114
#define EINPROGRESS	115

#endif /* __ERRNO_H__ */
