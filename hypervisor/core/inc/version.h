/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __VERSION_H__
#define __VERSION_H__

#ifndef WARDEN_VERSION
#error "WARDEN_VERSION must be defined by the build"
#endif

#endif /* __VERSION_H__ */
