/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * Warden binary configuration ABI: what celld's compiler produces from a
 * system or cell description, what warden.ko passes on, and what the
 * hypervisor checks again before it trusts anything.
 *
 * A blob is a sequence of fixed structs, all naturally aligned, all sizes
 * multiples of 8, every reserved field zero (checked):
 *
 *   system blob                          cell blob
 *   struct warden_config_header          struct warden_config_header
 *   struct warden_system                 struct warden_cell
 *   struct warden_region   ram[]         struct warden_region   regions[]
 *   struct warden_cell     root          __u32                  irqs[] (padded to 8)
 *   struct warden_region   regions[]     struct warden_policy   policy
 *   __u32                  irqs[] (pad)  struct warden_image    images[]
 *                                        char                   strings[] (padded to 8)
 *
 * Changing any layout or meaning: bump WARDEN_CONFIG_REVISION and update
 * include/warden/abi-check.c, include/warden/config-check.h and celld's
 * compiler and decoder.
 */
#ifndef _WARDEN_CONFIG_H
#define _WARDEN_CONFIG_H

#ifdef __WARDEN_HYPERVISOR__
#include <types.h>
#else
#include <linux/types.h>
#endif

#define WARDEN_CONFIG_MAGIC	"WARDNCFG"
#define WARDEN_CONFIG_MAGIC_LEN	8
/*
 * 2: warden_system.event_irq; 3: GICv2 frames; 4: WARDEN_CELL_WAIT_TRAPPED;
 * 5: warden_cell.entry_arg; 6: the virtual UART (WARDEN_CELL_UART,
 * warden_cell.uart_base and uart_irq); 7: the power button
 * (WARDEN_CELL_POWER_BUTTON, warden_cell.button_base and button_irq)
 */
#define WARDEN_CONFIG_REVISION	7

#define WARDEN_NAME_LEN		32	/* names, NUL-terminated and NUL-padded */
#define WARDEN_MAX_CPUS		64	/* CPU sets are one __u64 */
#define WARDEN_MAX_REGIONS	32	/* memory regions of one cell */
#define WARDEN_MAX_RAM		16	/* RAM ranges of the platform */
#define WARDEN_MAX_IRQS		64	/* interrupts owned by one cell */
#define WARDEN_MAX_IMAGES	8
#define WARDEN_MAX_STRINGS	4096	/* bytes of a cell blob's string table */
#define WARDEN_CONFIG_MAX_SIZE	65536	/* largest blob accepted by anyone */

#define WARDEN_PAGE_SIZE	4096ULL
#define WARDEN_IRQ_SPI_FIRST	32
#define WARDEN_IRQ_SPI_LAST	1019

enum warden_config_kind {
	WARDEN_CONFIG_SYSTEM = 1,
	WARDEN_CONFIG_CELL = 2,
};

/**
 * struct warden_config_header - first bytes of every blob
 * @magic:      WARDEN_CONFIG_MAGIC, not NUL-terminated
 * @revision:   WARDEN_CONFIG_REVISION
 * @kind:       enum warden_config_kind
 * @total_size: bytes of the whole blob, this header included
 * @reserved0:  zero
 * @name:       the system's or the cell's name
 * @reserved:   zero
 */
struct warden_config_header {
	__u8 magic[WARDEN_CONFIG_MAGIC_LEN];
	__u32 revision;
	__u32 kind;
	__u32 total_size;
	__u32 reserved0;
	char name[WARDEN_NAME_LEN];
	__u64 reserved;
};

/* Region flags */
#define WARDEN_MEM_READ		(1U << 0)
#define WARDEN_MEM_WRITE	(1U << 1)
#define WARDEN_MEM_EXECUTE	(1U << 2)
#define WARDEN_MEM_LOADABLE	(1U << 3)	/* root may write it before the cell starts */
#define WARDEN_MEM_IO		(1U << 4)	/* device memory: mapped uncached */
#define __WARDEN_MEM_F_ALL	((1U << 5) - 1)

/**
 * struct warden_region - a range of physical memory mapped into a cell
 * @phys_start: host physical address, page aligned
 * @virt_start: guest (intermediate physical) address, page aligned; equal
 *              to @phys_start for the root cell and for RAM ranges
 * @size:       bytes, a non-zero multiple of the page size
 * @flags:      WARDEN_MEM_*
 * @reserved:   zero
 * @name:       the region's name in the description (for diagnostics)
 */
struct warden_region {
	__u64 phys_start;
	__u64 virt_start;
	__u64 size;
	__u32 flags;
	__u32 reserved;
	char name[WARDEN_NAME_LEN];
};

/* Cell flags */
#define WARDEN_CELL_PASSIVE		(1U << 0)	/* stop without asking */
#define WARDEN_CELL_CONSOLE_VIRTUAL	(1U << 1)	/* hypercall console */
/*
 * The system owner lets this cooperative cell refuse a shutdown request
 * and lock reconfiguration (WARDEN_HC_CELL_LOCK). Without it, the cell may
 * still answer, but a destroy stops it all the same (WARDEN_STOP_FORCED)
 * and its lock calls are refused.
 */
#define WARDEN_CELL_MAY_REFUSE		(1U << 2)
/*
 * Direct interrupt delivery (GICv3 only): the cell's interrupts reach its
 * EL1 through the physical CPU interface with no exit; without it they are
 * trapped and injected (docs/hypervisor.md, "Direct delivery").
 */
#define WARDEN_CELL_IRQ_DIRECT		(1U << 3)
/*
 * With WARDEN_CELL_IRQ_DIRECT only: the cell's WFI and WFE trap to the
 * hypervisor, so that a cell that blocks the kick is still stopped when it
 * waits (interrupts: direct-strict). Costs one exit per wait.
 */
#define WARDEN_CELL_WAIT_TRAPPED	(1U << 4)
/*
 * The cell's first CPU starts with x0 = @entry_arg (the arm64 boot
 * protocol's device tree address); without it x0 is zero, and so must
 * @entry_arg be.
 */
#define WARDEN_CELL_ENTRY_ARG		(1U << 5)
/*
 * The hypervisor emulates a PL011 (SBSA-compatible) UART for the cell at
 * warden_cell.uart_base, with interrupt uart_irq (docs/hypervisor.md,
 * "The virtual UART"): what the cell transmits goes to its console ring,
 * what root writes with WARDEN_HC_CELL_CONSOLE_WRITE is received.
 */
#define WARDEN_CELL_UART		(1U << 6)
/*
 * The hypervisor emulates a PL061 GPIO controller for the cell at
 * warden_cell.button_base, with interrupt button_irq, whose input line
 * WARDEN_BUTTON_LINE is a power button (docs/hypervisor.md, "The power
 * button"): a shutdown request (WARDEN_HC_CELL_SHUTDOWN) presses it, so
 * that an OS without a Warden driver is asked the way a machine is.
 */
#define WARDEN_CELL_POWER_BUTTON	(1U << 7)
#define __WARDEN_CELL_F_ALL		((1U << 8) - 1)

/* The power button's GPIO line (QEMU's virt board wires its power key to line 3 too). */
#define WARDEN_BUTTON_LINE		3

/**
 * struct warden_cell - the hypervisor's view of a cell (and of the root cell)
 * @cpu_set:     bit N set: the cell owns CPU N
 * @entry:       guest address where the cell's first CPU starts (0 for root)
 * @flags:       WARDEN_CELL_*
 * @num_regions: struct warden_region entries that follow
 * @num_irqs:    __u32 interrupt numbers (SPIs) after the regions
 * @uart_irq:    with WARDEN_CELL_UART: the virtual UART's interrupt, one of
 *               the cell's SPIs; else zero
 * @entry_arg:   x0 of the first CPU's first entry, with WARDEN_CELL_ENTRY_ARG;
 *               else zero. A cell that boots an OS (the description's "os",
 *               celld's desc-guest.c) starts at @entry, the kernel's load
 *               address, with x0 = the guest address of its device tree
 *               (arm64 booting.rst; x1-x3 zero, EL1h, DAIF masked, MMU off).
 * @uart_base:   with WARDEN_CELL_UART: guest address of the virtual UART's
 *               4 KiB of registers, page aligned, outside the cell's
 *               regions; else zero
 * @button_base: with WARDEN_CELL_POWER_BUTTON: guest address of the
 *               power button's GPIO controller (4 KiB of registers), page
 *               aligned, outside the cell's regions, not the UART's page;
 *               else zero
 * @button_irq:  with WARDEN_CELL_POWER_BUTTON: the GPIO controller's
 *               interrupt, one of the cell's SPIs, not the UART's; else zero
 * @reserved:    zero
 */
struct warden_cell {
	__u64 cpu_set;
	__u64 entry;
	__u32 flags;
	__u32 num_regions;
	__u32 num_irqs;
	__u32 uart_irq;
	__u64 entry_arg;
	__u64 uart_base;
	__u64 button_base;
	__u32 button_irq;
	__u32 reserved;
};

#define WARDEN_GIC_V2		2
#define WARDEN_GIC_V3		3
#define WARDEN_UART_NONE	0
#define WARDEN_UART_PL011	1

/**
 * struct warden_system - the platform and the hypervisor's own memory
 * @cpu_set:      every CPU of the machine
 * @gicd_base:    GIC distributor
 * @gicr_base:    GICv3: first redistributor; GICv2: zero
 * @uart_base:    root's console UART (0: none)
 * @hv_mem_base:  memory reserved for the hypervisor, page aligned
 * @hv_mem_size:  its size
 * @gic_version:  WARDEN_GIC_V2 or WARDEN_GIC_V3
 * @uart_type:    WARDEN_UART_*
 * @uart_irq:     the UART's INTID (0: none)
 * @num_ram:      struct warden_region RAM ranges that follow
 * @event_irq:    SPI (INTID) the hypervisor raises to tell the root cell
 *                about cell events (a cell failed, stopped, answered a
 *                shutdown request); no device may use it, no cell and not
 *                the root cell may own it. 0: none, root learns of events
 *                only when it asks
 * @reserved0:    zero
 * @reserved:     zero
 * @gicc_base:    GICv2: the CPU interface (GICC, 8 KiB); GICv3: zero
 * @gich_base:    GICv2: the virtual interface control (GICH); GICv3: zero
 * @gicv_base:    GICv2: the virtual CPU interface (GICV, 8 KiB); GICv3: zero
 */
struct warden_system {
	__u64 cpu_set;
	__u64 gicd_base;
	__u64 gicr_base;
	__u64 uart_base;
	__u64 hv_mem_base;
	__u64 hv_mem_size;
	__u32 gic_version;
	__u32 uart_type;
	__u32 uart_irq;
	__u32 num_ram;
	__u32 event_irq;
	__u32 reserved0;
	__u64 reserved;
	__u64 gicc_base;
	__u64 gich_base;
	__u64 gicv_base;
};

/**
 * struct warden_image - an image celld loads into a cell before it starts
 * (the hypervisor ignores images; they are in the blob so that a blob
 * describes the cell completely and decodes back to its description)
 * @region:      index of the loadable region
 * @path_offset: offset of the NUL-terminated path in the string table
 * @offset:      offset into the region
 */
struct warden_image {
	__u32 region;
	__u32 path_offset;
	__u64 offset;
};

#define WARDEN_RESTART_NO		0
#define WARDEN_RESTART_ON_FAILURE	1
#define WARDEN_RESTART_ALWAYS		2

/* Policy flags */
#define WARDEN_POLICY_AUTOSTART		(1U << 0)
#define __WARDEN_POLICY_F_ALL		((1U << 1) - 1)

/**
 * struct warden_policy - how celld supervises the cell (the hypervisor
 * ignores it; checked all the same). Durations in milliseconds.
 * @restart:             WARDEN_RESTART_*
 * @restart_burst:       restarts allowed within @restart_interval_ms
 * @restart_interval_ms: window for counting restarts
 * @delay_initial_ms:    delay before the first restart
 * @delay_max_ms:        longest delay (doubling backoff)
 * @shutdown_timeout_ms: time a cooperative cell has to approve a shutdown
 * @watchdog_ms:         heartbeat timeout, 0: none
 * @flags:               WARDEN_POLICY_*
 * @num_images:          struct warden_image entries after the policy
 * @strings_size:        bytes of the string table after the images (multiple of 8)
 * @reserved0:           zero
 * @reserved:            zero
 */
struct warden_policy {
	__u32 restart;
	__u32 restart_burst;
	__u32 restart_interval_ms;
	__u32 delay_initial_ms;
	__u32 delay_max_ms;
	__u32 shutdown_timeout_ms;
	__u32 watchdog_ms;
	__u32 flags;
	__u32 num_images;
	__u32 strings_size;
	__u32 reserved0;
	__u32 reserved1;
	__u64 reserved[2];
};

#endif /* _WARDEN_CONFIG_H */
