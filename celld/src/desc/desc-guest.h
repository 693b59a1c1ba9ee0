/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Cells that boot an operating system: the "os" section of a cell description.
 *
 * guest_plan() reads what the section names (the kernel Image's header, the
 * initramfs's size, a device tree blob) and places each file in the cell's
 * RAM, by the arm64 boot protocol (Linux Documentation/arch/arm64/booting.rst)
 * where the description leaves the address out:
 *
 *   kernel       first 2 MiB boundary of the first loadable RAM region, plus
 *                the Image's text_offset; image_size bytes are kept free
 *   device tree  next 2 MiB boundary after the kernel, a 2 MiB block of its own
 *   initramfs    next 2 MiB boundary after the device tree's block
 *
 * A boot loader (a raw binary such as U-Boot's u-boot.bin, entered at its first
 * byte) comes instead of a kernel; the device tree then goes first, at the start
 * of RAM, where QEMU's virt board leaves it for a bare-metal image and where
 * U-Boot's qemu_arm64 looks for it:
 *
 *   device tree  first 2 MiB boundary of the first loadable RAM region
 *   boot loader  next 2 MiB boundary after the device tree's block
 *   initramfs    next 2 MiB boundary after the boot loader
 *
 * and checks what the protocol asks (magic, alignment, sizes, the 32 GiB
 * window, nothing overlapping, everything inside loadable RAM). Problems go
 * to @diags at the key they come from, naming the file.
 *
 * desc_guest_dt() builds the cell's device tree (guest-dt.c) from a checked
 * description set: the cell's blob and plan, and the system's blob and CPU
 * affinities (platform.mpidr).
 */
#pragma once

#include <stdbool.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>

#include <warden/config.h>

#include "desc-set.h"
#include "desc.h"
#include "diag.h"

#define GUEST_SZ_2M (2ULL << 20)
#define GUEST_DT_MAX_SIZE (2ULL << 20)          /* booting.rst: a DTB is at most 2 MiB */
#define GUEST_DT_ROOM (64ULL << 10)             /* room for a generated tree, or added to a file's */
#define GUEST_UART_BASE_DEFAULT 0x09000000ULL   /* QEMU virt's UART address */
#define GUEST_UART_SIZE 0x1000ULL
#define GUEST_BUTTON_BASE_DEFAULT 0x09030000ULL /* QEMU virt's PL061 GPIO controller */
#define GUEST_BUTTON_SIZE 0x1000ULL
#define GUEST_IMAGE_HEADER_SIZE 64
#define GUEST_IMAGE_MAGIC 0x644d5241U           /* "ARM\x64", little-endian, at offset 56 */

/*
 * The files of an OS. The first CPU starts at the kernel or at the boot loader, whichever
 * the section names (one of them). Default places follow each other in this order with a
 * kernel: kernel, device tree, initramfs; with a boot loader: device tree, boot loader,
 * initramfs.
 */
typedef enum GuestFile {
        GUEST_KERNEL,
        GUEST_BOOT_LOADER,
        GUEST_DT,
        GUEST_INITRAMFS,
        _GUEST_FILE_MAX,
} GuestFile;

/* Longest path of a boot file once its specifiers are expanded, with its NUL. */
#define GUEST_PATH_MAX 4096

typedef struct GuestItem {
        bool present;                   /* GUEST_DT always is; GUEST_INITRAMFS when named */
        const char *path;               /* @expanded, or NULL for a generated tree */
        char expanded[GUEST_PATH_MAX];  /* the description's path, its specifiers expanded */
        const DescNode *node;           /* the key's value, blamed in diagnostics */
        const DescNode *address_node;   /* the explicit address, or NULL for the default */
        uint64_t address;               /* guest address */
        uint64_t size;                  /* bytes of the file (a generated tree: 0) */
        uint64_t span;                  /* bytes it needs from @address */
        uint32_t region;                /* index of the cell region it is in */
} GuestItem;

typedef struct GuestPlan {
        const DescNode *os;             /* NULL: the cell boots no OS */
        GuestItem items[_GUEST_FILE_MAX];
        GuestFile entry;                /* GUEST_KERNEL or GUEST_BOOT_LOADER: where the first CPU starts */
        uint64_t text_offset;           /* from the Image header */
        uint64_t image_size;
        uint64_t image_flags;
        const char *command_line;       /* NULL: none */
        bool psci_hvc;                  /* PSCI conduit: hvc, else smc */
        bool uart;                      /* a virtual UART */
        uint64_t uart_base;
        uint32_t uart_irq;
        const DescNode *uart_node;      /* os.uart, or os when absent */
        bool button;                    /* a power button (a PL061, line WARDEN_BUTTON_LINE) */
        uint64_t button_base;
        uint32_t button_irq;
        const DescNode *button_node;    /* os.power-button, or os when absent */
} GuestPlan;

const char *guest_file_to_string(GuestFile f);  /* "kernel", "boot loader", "device tree", "initramfs" */
const char *guest_file_to_key(GuestFile f);     /* its key in 'os': "kernel", "boot-loader", ... */

/* RAM the OS may use as such: readable, writable, executable, not device memory. */
bool guest_region_is_ram(const struct warden_region *r);

/*
 * Plans the "os" section of cell description @root, whose regions and interrupts are
 * compiled already. Without the section: 0 and plan->os NULL. Otherwise 0 with the plan,
 * -EINVAL when a problem was reported to @diags, or -ENOMEM.
 */
int guest_plan(const DescNode *root, const struct warden_region *regions, uint32_t n_regions,
               const uint32_t *irqs, uint32_t n_irqs, DiagList *diags, GuestPlan *ret);

/* The machine a cell's device tree describes, from the system description. */
typedef struct GuestMachine {
        uint32_t gic_version;           /* WARDEN_GIC_V2 or WARDEN_GIC_V3 */
        uint64_t gicd_base;
        uint64_t gicr_base;             /* GICv3 */
        uint64_t gicc_base;             /* GICv2: where a cell finds its (virtual) CPU interface */
        uint64_t mpidr[WARDEN_MAX_CPUS];
} GuestMachine;

/* The cell a device tree is written for. */
typedef struct GuestCell {
        const char *name;
        uint64_t cpu_set;
        const struct warden_region *regions;
        uint32_t n_regions;
} GuestCell;

#define GUEST_GICD_V3_SIZE 0x10000ULL
#define GUEST_GICD_V2_SIZE 0x1000ULL
#define GUEST_GICC_SIZE 0x2000ULL
#define GUEST_GICR_FRAME_SIZE 0x20000ULL        /* RD and SGI frames of one CPU */

/* The distributor's, and the CPU interface's (GICv2) or CPU @cpu's redistributor's (GICv3), frames. */
uint64_t guest_gicd_size(const GuestMachine *m);
bool guest_range_hits_gic(const GuestMachine *m, uint64_t cpu_set, uint64_t base, uint64_t size);

/* Seeds the tree carries in /chosen: rng-seed (64 bytes), then kaslr-seed (8 bytes). */
#define GUEST_DT_SEED_SIZE 72

/*
 * Writes the device tree of @cell: generated, or the plan's file with /chosen completed.
 * @seed: GUEST_DT_SEED_SIZE bytes, or NULL for fresh ones from getrandom(). Returns 0 with
 * a malloc'ed tree in *ret, -EINVAL with a reason in @why (a file that is not a valid
 * tree, a tree that does not fit), -ENOMEM, or the errno of a file that cannot be read.
 */
int guest_dt_build(const GuestPlan *p, const GuestCell *cell, const GuestMachine *m, const uint8_t *seed,
                   void **ret, size_t *ret_size, char *why, size_t why_size);

/* Prints a flattened tree as device tree source (no dtc needed); -EINVAL when it is not one. */
int guest_dt_print(const void *fdt, FILE *f);

/*
 * The machine of a compiled system blob and its description: the GIC, and each CPU's MPIDR
 * affinity from platform.mpidr (default: CPU N has N). 0, or -EINVAL for a blob the shared
 * checker refuses.
 */
int guest_machine_from_system(const void *blob, size_t size, const DescNode *root, GuestMachine *ret);

/*
 * The device tree of cell @u of the checked set @s, which must hold the system description
 * (-ENOENT otherwise); @seed as for guest_dt_build(). -EINVAL with @why when the cell boots
 * no OS (empty @why: its description has problems, in the set's diagnostics) or the tree
 * cannot be built.
 */
int desc_guest_dt(DescSet *s, const DescUnit *u, const uint8_t *seed, void **ret, size_t *ret_size, char *why,
                  size_t why_size);
