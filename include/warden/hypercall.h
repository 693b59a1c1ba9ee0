/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * Warden hypervisor ABI: the boundary between warden.ko and the hypervisor
 * image (warden-arm64.bin). Included by the hypervisor, the module and user
 * space (which decodes the image header for diagnostics).
 *
 * Changing any layout or meaning here: bump WARDEN_IMAGE_ABI and update
 * include/warden/abi-check.c, hypervisor/arch/arm64/head.S and kmod/loader.c.
 */
#ifndef _WARDEN_HYPERCALL_H
#define _WARDEN_HYPERCALL_H

#ifndef __ASSEMBLY__
#ifdef __WARDEN_HYPERVISOR__
#include <types.h>
#else
#include <linux/types.h>
#endif
#endif

/* Eight bytes at offset 0 of the image. */
#define WARDEN_IMAGE_MAGIC	"WARDENHV"
#define WARDEN_IMAGE_MAGIC_LEN	8
/* Revision of struct warden_image_header and of the entry convention. */
#define WARDEN_IMAGE_ABI	1
#define WARDEN_IMAGE_VERSION_LEN 32
/* The EL2 vector table must be aligned to 2 KiB (VBAR_EL2). */
#define WARDEN_VECTORS_ALIGN	0x800

#ifndef __ASSEMBLY__
/**
 * struct warden_image_header - at offset 0 of warden-arm64.bin
 * @magic:       WARDEN_IMAGE_MAGIC, not NUL-terminated. Build time.
 * @abi:         WARDEN_IMAGE_ABI the image was built for. Build time.
 * @header_size: sizeof(struct warden_image_header). Build time.
 * @version:     NUL-terminated version string, e.g. "0.1.0". Build time.
 * @image_size:  bytes of the image file. Build time.
 * @core_size:   bytes the image needs in memory (bss included), a multiple
 *               of 4 KiB. Build time.
 * @entry:       offset of the per-CPU init entry from the image start. Build time.
 * @vectors:     offset of the EL2 vector table, WARDEN_VECTORS_ALIGN aligned.
 *               Build time.
 * @max_cpus:    most CPUs the image supports. Build time.
 * @online_cpus: CPUs the loader will bring into the hypervisor. Loader.
 * @phys_base:   physical address the loader copied the image to. Loader.
 * @reserved:    zero.
 */
struct warden_image_header {
	__u8 magic[WARDEN_IMAGE_MAGIC_LEN];
	__u32 abi;
	__u32 header_size;
	char version[WARDEN_IMAGE_VERSION_LEN];
	__u64 image_size;
	__u64 core_size;
	__u64 entry;
	__u64 vectors;
	__u32 max_cpus;
	__u32 online_cpus;
	__u64 phys_base;
	__u64 reserved[4];
};
#endif /* __ASSEMBLY__ */

/*
 * Hypercalls: `hvc #WARDEN_HVC_IMM` with the function code in x0 and
 * arguments in x1-x3; the result comes back in x0 as a value >= 0 or a
 * negative Linux errno.
 */
#define WARDEN_HVC_IMM		0x5744	/* "WD" */

/* Function codes (macros: the hypervisor's assembly uses them too). */
#define WARDEN_HC_GET_VERSION	0	/* returns WARDEN_IMAGE_ABI */
#define WARDEN_HC_RESTORE_STUB	1	/* x1: physical address of Linux's hyp-stub
					 * vectors; installs them, giving EL2 back */

#endif /* _WARDEN_HYPERCALL_H */
