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
#define WARDEN_IMAGE_ABI	2
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
 *
 * Memory layout the loader sets up in the hypervisor's memory (the system
 * description's hypervisor range, @phys_base is its start):
 *
 *   phys_base                         the image, then zeroed bss up to core_size
 *   phys_base + core_size             struct warden_boot_info (one page)
 *   phys_base + core_size + 4 KiB     the system blob (boot_info.config_size bytes)
 *   after the blob, page aligned      the page pool, up to boot_info.mem_size
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

/*
 * WARDEN_HC_INIT: x1 = logical CPU number, x2 = physical address of a
 * struct warden_hv_error in the caller's memory, filled on failure. Called
 * on each CPU right after the stub's HVC_SET_VECTORS installed the image's
 * vectors; the first call does the global set-up (checks the system blob,
 * builds the page tables). On failure the CPU is given back to the stub.
 */
#define WARDEN_HC_INIT		2
/* WARDEN_HC_DISABLE: x1 = physical address of Linux's hyp-stub vectors; the
 * calling CPU leaves the hypervisor and EL2 goes back to the stub. */
#define WARDEN_HC_DISABLE	3
/* WARDEN_HC_GET_INFO: x1 = address of a struct warden_hv_info in root's
 * memory, x2 = its size; returns the bytes written. */
#define WARDEN_HC_GET_INFO	4
/*
 * WARDEN_HC_CONSOLE_READ: x1 = address of a buffer in root's memory, x2 =
 * its size, x3 = the reader's position in the hypervisor's log (bytes since
 * it started). Returns the bytes copied in x0 and, in x1, the position of the
 * first byte copied: larger than x3 when older bytes were overwritten.
 */
#define WARDEN_HC_CONSOLE_READ	5

#define WARDEN_BOOT_INFO_SIZE	4096
#define WARDEN_BOOT_MAX_CPUS	64

/* boot_info.flags */
#define WARDEN_BOOT_DEBUG_UART	(1U << 0)	/* echo the log to the system's UART */

/* Exit reasons counted per CPU (struct warden_hv_info.exits). */
#define WARDEN_EXIT_HVC		0	/* hypercalls and stub calls */
#define WARDEN_EXIT_SMC		1	/* secure monitor calls (PSCI) */
#define WARDEN_EXIT_DABT	2	/* stage-2 data aborts */
#define WARDEN_EXIT_IABT	3	/* stage-2 instruction aborts */
#define WARDEN_EXIT_SYSREG	4	/* trapped system register accesses */
#define WARDEN_EXIT_IRQ		5	/* physical interrupts taken at EL2 */
#define WARDEN_EXIT_WFX		6	/* trapped WFI/WFE */
#define WARDEN_EXIT_OTHER	7
#define WARDEN_EXIT_MAX		8

#define WARDEN_HV_ERROR_WHAT_LEN 104

#ifndef __ASSEMBLY__
/**
 * struct warden_boot_info - what the loader tells the hypervisor
 * @mem_size:     bytes of the hypervisor's memory (the system's hv memory size)
 * @stub_vectors: physical address of Linux's hyp-stub vectors, to give EL2
 *                back when an init fails
 * @config_size:  bytes of the system blob at phys_base + core_size + 4 KiB
 * @flags:        WARDEN_BOOT_*
 * @num_cpus:     entries in @mpidr (Linux's possible CPUs)
 * @reserved0:    zero
 * @mpidr:        MPIDR_EL1 affinity of each logical CPU
 */
struct warden_boot_info {
	__u64 mem_size;
	__u64 stub_vectors;
	__u32 config_size;
	__u32 flags;
	__u32 num_cpus;
	__u32 reserved0;
	__u64 mpidr[WARDEN_BOOT_MAX_CPUS];
};

/**
 * struct warden_hv_error - why a hypercall failed, and where
 * @error:  the negative errno the call returned
 * @offset: byte offset in the blob of the offending field, or 0
 * @index:  index of the offending array element (region, CPU...), or -1
 * @cpu:    the CPU that failed
 * @value:  the offending value (an address, a size, a CPU number)
 * @what:   NUL-terminated message, e.g. "root region overlaps the hypervisor"
 */
struct warden_hv_error {
	__s32 error;
	__u32 offset;
	__s32 index;
	__u32 cpu;
	__u64 value;
	char what[WARDEN_HV_ERROR_WHAT_LEN];
};

/**
 * struct warden_hv_info - the hypervisor's figures (WARDEN_HC_GET_INFO)
 * @abi:            WARDEN_IMAGE_ABI
 * @max_cpus:       entries of @exits that are meaningful
 * @cpus_enabled:   bit N: CPU N runs under the hypervisor
 * @pool_pages:     pages in the hypervisor's page pool
 * @pool_used:      pages of it in use
 * @mem_size:       bytes of the hypervisor's memory
 * @num_cells:      cells, the root cell not counted
 * @reserved0:      zero
 * @console_head:   bytes written to the hypervisor's log since it started
 * @root_s2_tables: translation table pages of root's stage 2
 * @root_s2_pages:  4 KiB page entries of root's stage 2
 * @root_s2_blocks_2m: 2 MiB block entries
 * @root_s2_blocks_1g: 1 GiB block entries
 * @root_s2_bytes:  bytes root's stage 2 maps
 * @reserved:       zero
 * @exits:          per CPU, exits to the hypervisor counted by WARDEN_EXIT_*
 */
struct warden_hv_info {
	__u32 abi;
	__u32 max_cpus;
	__u64 cpus_enabled;
	__u64 pool_pages;
	__u64 pool_used;
	__u64 mem_size;
	__u32 num_cells;
	__u32 reserved0;
	__u64 console_head;
	__u64 root_s2_tables;
	__u64 root_s2_pages;
	__u64 root_s2_blocks_2m;
	__u64 root_s2_blocks_1g;
	__u64 root_s2_bytes;
	__u64 reserved[5];
	__u64 exits[WARDEN_BOOT_MAX_CPUS][WARDEN_EXIT_MAX];
};
#endif /* __ASSEMBLY__ */

#endif /* _WARDEN_HYPERCALL_H */
