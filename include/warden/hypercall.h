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

/*
 * Cells. Root's calls (refused from cells with -EPERM):
 *
 * WARDEN_HC_CELL_CREATE: x1 = address of a cell blob in root's memory
 *   (include/warden/config.h), x2 = its size, x3 = address of a struct
 *   warden_hv_error filled on failure. Every CPU of the cell must be a root
 *   CPU that root has turned off (PSCI CPU_OFF, which parks it in the
 *   hypervisor). Returns the new cell's id (>= 1). The cell is CREATED: its
 *   memory is taken from root's stage 2 where they overlap.
 * WARDEN_HC_CELL_LOAD: x1 = address of a struct warden_cell_load in root's
 *   memory. Copies root's data into a loadable region of a cell that has not
 *   started. Returns 0.
 * WARDEN_HC_CELL_START: x1 = cell id. The cell's first CPU starts at the
 *   cell's entry at EL1, MMU off; its other CPUs wait for PSCI CPU_ON.
 * WARDEN_HC_CELL_SHUTDOWN: x1 = cell id. A passive cell, or one not
 *   running, stops at once (returns 0); a running cooperative cell is asked
 *   through its communication page, and its power button
 *   (WARDEN_CELL_POWER_BUTTON) is pressed and held (returns 1); it answers
 *   with WARDEN_HC_CELL_REPLY, or by powering off (PSCI SYSTEM_OFF); root
 *   learns the outcome from an event. A locked cell: -EPERM.
 * WARDEN_HC_CELL_DESTROY: x1 = cell id. Stops the cell if it still runs
 *   (a running cooperative cell must have been shut down first: -EBUSY),
 *   gives its CPUs back to root (parked: root turns them on with PSCI
 *   CPU_ON) and its memory back to root's stage 2. A CPU that stops
 *   neither for the kick nor once the cell's stage 2 is revoked stays
 *   behind, quarantined (struct warden_hv_info.quarantined_cpus); the rest
 *   of the cell is gone all the same and the call returns 0.
 * WARDEN_HC_CELL_GET: x1 = cell id, x2 = address of a struct
 *   warden_cell_info, x3 = its size. Returns the bytes written; -ENOENT for
 *   no such cell. WARDEN_HC_CELL_NEXT: x1 = id; returns the smallest cell id
 *   above it, or 0.
 * WARDEN_HC_CELL_CONSOLE_READ: x1 = cell id, x2 = buffer, x3 = size, x4 =
 *   position; as WARDEN_HC_CONSOLE_READ for the cell's console.
 * WARDEN_HC_CELL_CONSOLE_WRITE: x1 = cell id, x2 = buffer, x3 = size (at
 *   most WARDEN_CONSOLE_WRITE_MAX): bytes for the receive FIFO of the
 *   cell's virtual UART (WARDEN_CELL_UART). Returns the bytes accepted, 0
 *   when the FIFO is full (the cell has not read it yet: try again later);
 *   -ENOENT for no such cell, -ENODEV for a cell without a virtual UART,
 *   -EPIPE for a cell that does not run.
 *
 * The cells' own calls (refused from root with -EPERM):
 *
 * WARDEN_HC_CONSOLE_WRITE: x1 = address in the cell, x2 = bytes (at most
 *   WARDEN_CONSOLE_WRITE_MAX): appended to the cell's console.
 * WARDEN_HC_CELL_REPLY: x1 = WARDEN_REPLY_APPROVED or _DENIED, answering
 *   the request in the communication page.
 * WARDEN_HC_CELL_LOCK: x1 = 1 locks, 0 unlocks: while locked, root may not
 *   create, shut down or destroy any cell.
 */
#define WARDEN_HC_CELL_CREATE		6
#define WARDEN_HC_CELL_LOAD		7
#define WARDEN_HC_CELL_START		8
#define WARDEN_HC_CELL_SHUTDOWN		9
#define WARDEN_HC_CELL_DESTROY		10
#define WARDEN_HC_CELL_GET		11
#define WARDEN_HC_CELL_NEXT		12
#define WARDEN_HC_CELL_CONSOLE_READ	13
#define WARDEN_HC_CELL_CONSOLE_WRITE	14
#define WARDEN_HC_CONSOLE_WRITE		32
#define WARDEN_HC_CELL_REPLY		33
#define WARDEN_HC_CELL_LOCK		34

#define WARDEN_CONSOLE_WRITE_MAX	256
#define WARDEN_CELL_LOAD_MAX		65536	/* bytes per WARDEN_HC_CELL_LOAD */

/* Cell states (struct warden_cell_info.state) */
#define WARDEN_CELL_CREATED		1	/* "created": loadable, not started */
#define WARDEN_CELL_RUNNING		2	/* "running" ("running/locked" with the flag) */
#define WARDEN_CELL_SHUT_DOWN		3	/* "shut down": stopped, may be destroyed or started again after a load */
#define WARDEN_CELL_FAILED		4	/* "failed": see the fault */

/* struct warden_cell_info.flags */
#define WARDEN_CELL_INFO_LOCKED		(1U << 0)
#define WARDEN_CELL_INFO_PASSIVE	(1U << 1)
#define WARDEN_CELL_INFO_REQUEST	(1U << 2)	/* a shutdown request is pending */
#define WARDEN_CELL_INFO_REFUSED	(1U << 3)	/* the last shutdown request was refused */
#define WARDEN_CELL_INFO_MAY_REFUSE	(1U << 4)	/* its description lets it refuse (WARDEN_CELL_MAY_REFUSE) */

/* Why a cell stopped (struct warden_cell_info.stop_reason) */
#define WARDEN_STOP_NONE		0
#define WARDEN_STOP_ROOT		1	/* shut down or destroyed by root */
#define WARDEN_STOP_SYSTEM_OFF		2	/* the cell called PSCI SYSTEM_OFF */
#define WARDEN_STOP_SYSTEM_RESET	3	/* the cell asked for a reset: restart it */
#define WARDEN_STOP_APPROVED		4	/* the cell approved a shutdown request */
#define WARDEN_STOP_FAULT		5	/* see the fault */
#define WARDEN_STOP_FORCED		6	/* destroyed by root without its approval: it may not refuse */
#define WARDEN_STOP_CPUS_OFF		7	/* every CPU of the cell powered off (PSCI CPU_OFF) */

/* Fault kinds (struct warden_cell_fault.kind) */
#define WARDEN_FAULT_NONE		0
#define WARDEN_FAULT_DATA_ABORT		1	/* access outside the cell's memory */
#define WARDEN_FAULT_INSN_ABORT		2	/* instruction fetch outside its memory */
#define WARDEN_FAULT_SYSREG		3	/* a trapped system register or instruction */
#define WARDEN_FAULT_PSCI		4	/* a PSCI call on a CPU not the cell's */
#define WARDEN_FAULT_GIC		5	/* a GIC access the cell may not make */
#define WARDEN_FAULT_UNKNOWN		6	/* any other trap */
#define WARDEN_FAULT_DEVICE		7	/* an access an emulated device refuses (the virtual UART, the power button) */

/* The communication page, at WARDEN_COMM_PAGE_IPA in every cell. */
#define WARDEN_COMM_PAGE_IPA		0x80000000ULL
#define WARDEN_MSG_NONE			0
#define WARDEN_MSG_SHUTDOWN_REQUEST	1
#define WARDEN_REPLY_NONE		0
#define WARDEN_REPLY_APPROVED		1
#define WARDEN_REPLY_DENIED		2

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
 * @fatal_cpus:     bit N: CPU N stopped on a fault in the hypervisor itself
 *                  (the hypervisor's log says where); the module then reports
 *                  the state "failed"
 * @quarantined_cpus: bit N: CPU N is quarantined: a destroyed cell's CPU
 *                  that did not stop (it blocked the kick and waits); root
 *                  never gets it back, and the hypervisor cannot be
 *                  disabled, until the machine resets
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
	__u64 fatal_cpus;
	__u64 quarantined_cpus;
	__u64 reserved[3];
	__u64 exits[WARDEN_BOOT_MAX_CPUS][WARDEN_EXIT_MAX];
};

/**
 * struct warden_cell_load - one chunk of an image (WARDEN_HC_CELL_LOAD)
 * @cell:   cell id
 * @region: index of a loadable region of the cell
 * @offset: where in the region
 * @size:   bytes, at most WARDEN_CELL_LOAD_MAX
 * @data:   address of the bytes in root's memory
 */
struct warden_cell_load {
	__u32 cell;
	__u32 region;
	__u64 offset;
	__u64 size;
	__u64 data;
};

/**
 * struct warden_cell_fault - what a failed cell did
 * @kind:    WARDEN_FAULT_*
 * @cpu:     the CPU that faulted
 * @esr:     the syndrome (ESR_EL2)
 * @address: the guest-physical (IPA) or virtual address involved
 * @pc:      where the cell was (ELR_EL2)
 */
struct warden_cell_fault {
	__u32 kind;
	__u32 cpu;
	__u64 esr;
	__u64 address;
	__u64 pc;
};

/**
 * struct warden_cell_info - a cell as the hypervisor sees it (WARDEN_HC_CELL_GET)
 * @id:           cell id
 * @state:        WARDEN_CELL_CREATED ... _FAILED
 * @flags:        WARDEN_CELL_INFO_*
 * @stop_reason:  WARDEN_STOP_*
 * @cpu_set:      the cell's CPUs
 * @cpus_running: those running the cell now
 * @mem_bytes:    bytes of memory the cell owns
 * @console_head: bytes written to its console since it was created
 * @heartbeat:    the communication page's heartbeat counter
 * @starts:       times the cell was started
 * @exits:        traps from the cell, all CPUs
 * @fault:        for a failed cell
 * @name:         the cell's name, NUL-terminated
 * @reserved:     zero
 */
struct warden_cell_info {
	__u32 id;
	__u32 state;
	__u32 flags;
	__u32 stop_reason;
	__u64 cpu_set;
	__u64 cpus_running;
	__u64 mem_bytes;
	__u64 console_head;
	__u64 heartbeat;
	__u64 starts;
	__u64 exits;
	struct warden_cell_fault fault;
	char name[32];
	__u64 reserved[4];
};

/**
 * struct warden_comm_page - shared by the hypervisor and one cell
 * @msg_to_cell:     WARDEN_MSG_* the hypervisor posts
 * @reply_from_cell: WARDEN_REPLY_* (the cell answers by hypercall)
 * @heartbeat:       the cell increments it; root reads it (watchdog)
 * @cell_id:         the cell's id
 * @cpu_set:         the cell's CPUs
 * @reserved:        zero
 */
struct warden_comm_page {
	__u32 msg_to_cell;
	__u32 reply_from_cell;
	__u64 heartbeat;
	__u32 cell_id;
	__u32 reserved0;
	__u64 cpu_set;
	__u64 reserved[4];
};
#endif /* __ASSEMBLY__ */

#endif /* _WARDEN_HYPERCALL_H */
