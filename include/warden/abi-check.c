// SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT
/*
 * Pins every size and field offset of the binary ABI shared by the hypervisor,
 * the module and user space. Compiled into all three builds (included by a
 * translation unit of each), so a layout change breaks the build everywhere
 * at once instead of corrupting data at run time.
 */
#include <warden/hypercall.h>

#ifndef offsetof
#define offsetof(t, m) __builtin_offsetof(t, m)
#endif

#define WARDEN_ABI_ASSERT(expr) _Static_assert(expr, #expr)

WARDEN_ABI_ASSERT(sizeof(struct warden_image_header) == 128);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, magic) == 0);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, abi) == 8);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, header_size) == 12);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, version) == 16);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, image_size) == 48);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, core_size) == 56);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, entry) == 64);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, vectors) == 72);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, max_cpus) == 80);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, online_cpus) == 84);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, phys_base) == 88);
WARDEN_ABI_ASSERT(offsetof(struct warden_image_header, reserved) == 96);
