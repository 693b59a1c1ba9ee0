/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * Warden generic netlink ABI: the boundary between warden.ko and user space
 * (celld, cellctl, warden). This header is the single source of truth for the
 * family; it is included by the module and by the user-space netlink library.
 *
 * Family "warden", version WARDEN_GENL_VERSION.
 *
 * Commands and their attribute trees. Every command is validated strictly:
 * an attribute a command does not take is refused. "admin" commands need
 * CAP_NET_ADMIN (EPERM otherwise, before any attribute is looked at).
 *
 * WARDEN_CMD_GET (do; no privilege needed; no request attributes)
 *   reply, always:
 *     WARDEN_A_MODULE_VERSION   NUL-terminated string, e.g. "0.1.0"
 *     WARDEN_A_HV_VERSION       NUL-terminated string from the image header
 *     WARDEN_A_HV_ABI           u32, the image header's ABI revision
 *     WARDEN_A_HV_SIZE          u64, bytes of the hypervisor image file
 *     WARDEN_A_STATE            u32, enum warden_hv_state
 *     WARDEN_A_CPUS_POSSIBLE    u32, CPUs the root cell's kernel knows
 *     WARDEN_A_CPUS_ONLINE      u32, CPUs online in the root cell
 *   reply, only while the state is WARDEN_HV_ENABLED (the hypervisor's own
 *   figures, struct warden_hv_info in include/warden/hypercall.h):
 *     WARDEN_A_SYSTEM_NAME      NUL-terminated string, the enabled system
 *                               blob's name
 *     WARDEN_A_HV_MEM_BASE      u64, physical base of the hypervisor's memory
 *     WARDEN_A_HV_MEM_SIZE      u64, its bytes
 *     WARDEN_A_POOL_PAGES       u64, 4 KiB pages in the hypervisor's page pool
 *     WARDEN_A_POOL_USED        u64, pages of the pool in use
 *     WARDEN_A_CPUS_ENABLED     u64, bit N set: CPU N runs under the hypervisor
 *     WARDEN_A_CELLS            u32, cells, the root cell not counted
 *     WARDEN_A_ROOT_S2_TABLES   u64, translation table pages of root's stage 2
 *     WARDEN_A_ROOT_S2_PAGES    u64, its 4 KiB page entries
 *     WARDEN_A_ROOT_S2_BLOCKS_2M u64, its 2 MiB block entries
 *     WARDEN_A_ROOT_S2_BLOCKS_1G u64, its 1 GiB block entries
 *     WARDEN_A_ROOT_S2_BYTES    u64, bytes root's stage 2 maps
 *     WARDEN_A_CONSOLE_HEAD     u64, bytes written to the hypervisor's log
 *                               since it started
 *     WARDEN_A_CPUS_QUARANTINED u64, only when not 0: bit N set, CPU N is
 *                               quarantined (a destroyed cell's CPU that did
 *                               not stop); root gets it back only by a reset
 *     WARDEN_A_CPU_STATS        nest, one entry per enabled CPU:
 *       WARDEN_A_CPU            nest (enum warden_cpu_attr):
 *         WARDEN_A_CPU_ID       u32, the logical CPU number
 *         WARDEN_A_CPU_EXITS    nest of u64 counts of exits to the hypervisor;
 *                               attribute type WARDEN_A_EXIT(reason) for each
 *                               WARDEN_EXIT_* reason of hypercall.h. Readers
 *                               skip types they do not know.
 *
 * WARDEN_CMD_ENABLE (do; admin)
 *   request:
 *     WARDEN_A_SYSTEM           binary, required: the compiled system blob
 *                               (include/warden/config.h), at most
 *                               WARDEN_CONFIG_MAX_SIZE bytes, and in practice
 *                               WARDEN_GENL_SYSTEM_MAX: an attribute's length
 *                               field has 16 bits
 *   reply: the ack. On success the state becomes WARDEN_HV_ENABLED and
 *   WARDEN_CMD_STATE_CHANGED goes to the "events" group.
 *
 * WARDEN_CMD_DISABLE (do; admin; no request attributes)
 *   reply: the ack. On success the state becomes WARDEN_HV_DISABLED and
 *   WARDEN_CMD_STATE_CHANGED goes to the "events" group.
 *
 * WARDEN_CMD_CONSOLE (do; admin) reads the hypervisor's log, a ring of bytes
 * counted from 0 when the hypervisor started
 *   request:
 *     WARDEN_A_CONSOLE_POS      u64, optional: the reader's position (default 0)
 *   reply:
 *     WARDEN_A_CONSOLE_DATA     binary, at most WARDEN_GENL_CONSOLE_MAX bytes
 *                               of the log (empty when the reader is at the head)
 *     WARDEN_A_CONSOLE_POS      u64, position of DATA's first byte: larger than
 *                               the request's when older bytes were overwritten
 *     WARDEN_A_CONSOLE_HEAD     u64, the log's head (bytes written so far). The
 *                               reader is up to date when POS + length of DATA
 *                               equals HEAD; otherwise it asks again from there.
 *
 * Cells. A cell is named by its id (u32, >= 1, given by the hypervisor at
 * creation and never reused while the hypervisor runs); CELL_GET also finds
 * one by name. While the hypervisor is not enabled there are no cells: every
 * cell command but the CELL_GET dump is refused (the dump is empty).
 *
 * WARDEN_CMD_CELL_CREATE (do; admin)
 *   request:
 *     WARDEN_A_CELL_BLOB        binary, required: the compiled cell blob
 *                               (include/warden/config.h), at most
 *                               WARDEN_GENL_SYSTEM_MAX bytes
 *   reply:
 *     WARDEN_A_CELL_ID          u32, the new cell's id. The cell is
 *                               WARDEN_CELL_CREATED: its CPUs and memory are
 *                               taken from the root cell.
 *
 * WARDEN_CMD_CELL_LOAD (do; admin) writes one piece of an image into a
 * loadable region of a cell that is not running
 *   request, all required:
 *     WARDEN_A_CELL_ID          u32
 *     WARDEN_A_CELL_REGION      u32, index of the region in the cell blob
 *     WARDEN_A_CELL_OFFSET      u64, where in the region
 *     WARDEN_A_CELL_DATA        binary, 1 to WARDEN_GENL_CELL_LOAD_MAX bytes;
 *                               larger images take several requests
 *   reply: the ack
 *
 * WARDEN_CMD_CELL_START, WARDEN_CMD_CELL_DESTROY (do; admin)
 *   request:
 *     WARDEN_A_CELL_ID          u32, required
 *   reply: the ack. START runs the cell from its entry point; DESTROY stops
 *   it if it still runs (a running cooperative cell must be shut down
 *   first) and gives its CPUs and memory back to the root cell.
 *
 * WARDEN_CMD_CELL_SHUTDOWN (do; admin)
 *   request:
 *     WARDEN_A_CELL_ID          u32, required
 *   reply:
 *     WARDEN_A_CELL_ASKED       u32: 0 when the cell stopped (a passive cell,
 *                               or one not running), 1 when a running
 *                               cooperative cell was asked: its answer comes
 *                               as WARDEN_CMD_CELL_CHANGED (stopped, or still
 *                               running with WARDEN_CELL_INFO_REFUSED)
 *
 * WARDEN_CMD_CELL_GET (no privilege needed)
 *   do, request: exactly one of
 *     WARDEN_A_CELL_ID          u32
 *     WARDEN_A_CELL_NAME        NUL-terminated string, at most
 *                               WARDEN_NAME_LEN - 1 characters
 *   do, reply: the cell attributes (below); ENOENT with a message for no
 *   such cell.
 *   dump (NLM_F_DUMP, no request attributes): one message of cell
 *   attributes per cell, in the order of their ids.
 *
 * The cell attributes, in CELL_GET replies and in WARDEN_CMD_CELL_CHANGED
 * (struct warden_cell_info in include/warden/hypercall.h):
 *     WARDEN_A_CELL_ID          u32
 *     WARDEN_A_CELL_NAME        NUL-terminated string
 *     WARDEN_A_CELL_STATE       u32, WARDEN_CELL_* of hypercall.h ("created",
 *                               "running", "shut down", "failed"), or
 *                               WARDEN_GENL_CELL_DESTROYED in the last
 *                               notification of a destroyed cell
 *     WARDEN_A_CELL_FLAGS       u32, WARDEN_CELL_INFO_* (locked, passive,
 *                               shutdown request pending, last one refused)
 *     WARDEN_A_CELL_STOP_REASON u32, WARDEN_STOP_*: why it stopped
 *     WARDEN_A_CELL_CPUS        u64, bit N set: the cell owns CPU N
 *     WARDEN_A_CELL_CPUS_RUNNING u64, the CPUs running the cell now
 *     WARDEN_A_CELL_MEM_BYTES   u64, bytes of memory the cell owns
 *     WARDEN_A_CELL_CONSOLE_HEAD u64, bytes written to its console so far
 *     WARDEN_A_CELL_HEARTBEAT   u64, its communication page's heartbeat
 *     WARDEN_A_CELL_STARTS      u64, times it was started
 *     WARDEN_A_CELL_EXITS       u64, traps from the cell to the hypervisor
 *     WARDEN_A_CELL_FAULT       nest (enum warden_cell_fault_attr), only when
 *                               the hypervisor recorded a fault:
 *       WARDEN_A_FAULT_KIND     u32, WARDEN_FAULT_* of hypercall.h
 *       WARDEN_A_FAULT_CPU      u32, the CPU that faulted
 *       WARDEN_A_FAULT_ESR      u64, the syndrome (ESR_EL2)
 *       WARDEN_A_FAULT_ADDRESS  u64, the address involved
 *       WARDEN_A_FAULT_PC       u64, where the cell was
 *     WARDEN_A_CELL_QUARANTINED u64, only in the last notification of a
 *                               destroyed cell, and only when not 0: its CPUs
 *                               that did not stop and stay quarantined
 *                               (WARDEN_A_CPUS_QUARANTINED); the rest of the
 *                               cell went back to root
 *   Readers skip attributes they do not know.
 *
 * WARDEN_CMD_CELL_CONSOLE (do; admin) reads a cell's console, a ring of
 * bytes counted from 0 when the cell was created
 *   request:
 *     WARDEN_A_CELL_ID          u32, required
 *     WARDEN_A_CONSOLE_POS      u64, optional: the reader's position (default 0)
 *   reply: WARDEN_A_CONSOLE_DATA, WARDEN_A_CONSOLE_POS and
 *   WARDEN_A_CONSOLE_HEAD, as for WARDEN_CMD_CONSOLE.
 *
 * WARDEN_CMD_CELL_CONSOLE_WRITE (do; admin) gives bytes to the receive
 * FIFO of a cell's virtual UART (a cell described with os.uart)
 *   request:
 *     WARDEN_A_CELL_ID          u32, required
 *     WARDEN_A_CONSOLE_DATA     binary, 1 to WARDEN_GENL_CONSOLE_WRITE_MAX bytes
 *   reply:
 *     WARDEN_A_CONSOLE_WRITTEN  u32, the bytes the FIFO took: fewer than
 *                               given (0) when it is full; the writer sends
 *                               the rest again once the cell has read
 *   Refused with ENODEV for a cell without a virtual UART, EPIPE for one
 *   that does not run. The module does not arbitrate between writers:
 *   celld lets one D-Bus client write at a time (ConsoleAttach).
 *
 * Multicast group WARDEN_GENL_MCGRP_EVENTS ("events"):
 *
 * WARDEN_CMD_STATE_CHANGED (notification only; refused as a request)
 *     WARDEN_A_STATE            u32, the new enum warden_hv_state
 *
 * WARDEN_CMD_CELL_CHANGED (notification only; refused as a request)
 *     the cell attributes, after every change of a cell's state or flags:
 *     created, started, asked to shut down, stopped, refused a shutdown,
 *     locked or unlocked, failed (with WARDEN_A_CELL_FAULT), and destroyed
 *     (WARDEN_A_CELL_STATE WARDEN_GENL_CELL_DESTROYED, the last one). A
 *     cell may also be announced when nothing of it changed (every cell is,
 *     after an event from the hypervisor): readers compare with what they
 *     know.
 *
 * Every refusal carries an extack message that names the cause (except the
 * EPERM of an admin command, which the core refuses with no text).
 */
#ifndef _UAPI_WARDEN_GENL_H
#define _UAPI_WARDEN_GENL_H

#define WARDEN_GENL_NAME		"warden"
#define WARDEN_GENL_VERSION		1
#define WARDEN_GENL_MCGRP_EVENTS	"events"

enum warden_cmd {
	WARDEN_CMD_UNSPEC,
	WARDEN_CMD_GET,
	WARDEN_CMD_STATE_CHANGED,
	WARDEN_CMD_ENABLE,
	WARDEN_CMD_DISABLE,
	WARDEN_CMD_CONSOLE,
	WARDEN_CMD_CELL_CREATE,
	WARDEN_CMD_CELL_LOAD,
	WARDEN_CMD_CELL_START,
	WARDEN_CMD_CELL_SHUTDOWN,
	WARDEN_CMD_CELL_DESTROY,
	WARDEN_CMD_CELL_GET,
	WARDEN_CMD_CELL_CONSOLE,
	WARDEN_CMD_CELL_CHANGED,
	WARDEN_CMD_CELL_CONSOLE_WRITE,

	__WARDEN_CMD_MAX
};
#define WARDEN_CMD_MAX (__WARDEN_CMD_MAX - 1)

enum warden_attr {
	WARDEN_A_UNSPEC,
	WARDEN_A_MODULE_VERSION,
	WARDEN_A_HV_VERSION,
	WARDEN_A_HV_ABI,
	WARDEN_A_HV_SIZE,
	WARDEN_A_STATE,
	WARDEN_A_CPUS_POSSIBLE,
	WARDEN_A_CPUS_ONLINE,
	WARDEN_A_SYSTEM,
	WARDEN_A_SYSTEM_NAME,
	WARDEN_A_HV_MEM_BASE,
	WARDEN_A_HV_MEM_SIZE,
	WARDEN_A_POOL_PAGES,
	WARDEN_A_POOL_USED,
	WARDEN_A_CPUS_ENABLED,
	WARDEN_A_CELLS,
	WARDEN_A_ROOT_S2_TABLES,
	WARDEN_A_ROOT_S2_PAGES,
	WARDEN_A_ROOT_S2_BLOCKS_2M,
	WARDEN_A_ROOT_S2_BLOCKS_1G,
	WARDEN_A_ROOT_S2_BYTES,
	WARDEN_A_CONSOLE_HEAD,
	WARDEN_A_CPU_STATS,
	WARDEN_A_CONSOLE_POS,
	WARDEN_A_CONSOLE_DATA,
	WARDEN_A_CELL_BLOB,
	WARDEN_A_CELL_ID,
	WARDEN_A_CELL_NAME,
	WARDEN_A_CELL_REGION,
	WARDEN_A_CELL_OFFSET,
	WARDEN_A_CELL_DATA,
	WARDEN_A_CELL_ASKED,
	WARDEN_A_CELL_STATE,
	WARDEN_A_CELL_FLAGS,
	WARDEN_A_CELL_STOP_REASON,
	WARDEN_A_CELL_CPUS,
	WARDEN_A_CELL_CPUS_RUNNING,
	WARDEN_A_CELL_MEM_BYTES,
	WARDEN_A_CELL_CONSOLE_HEAD,
	WARDEN_A_CELL_HEARTBEAT,
	WARDEN_A_CELL_STARTS,
	WARDEN_A_CELL_EXITS,
	WARDEN_A_CELL_FAULT,
	WARDEN_A_CPUS_QUARANTINED,
	WARDEN_A_CELL_QUARANTINED,
	WARDEN_A_CONSOLE_WRITTEN,

	__WARDEN_A_MAX
};
#define WARDEN_A_MAX (__WARDEN_A_MAX - 1)

/* Entries of WARDEN_A_CPU_STATS: every one is a WARDEN_A_CPU nest. */
enum warden_cpu_stats_attr {
	WARDEN_A_CPU_STATS_UNSPEC,
	WARDEN_A_CPU,

	__WARDEN_A_CPU_STATS_MAX
};
#define WARDEN_A_CPU_STATS_MAX (__WARDEN_A_CPU_STATS_MAX - 1)

/* Attributes of one WARDEN_A_CPU nest. */
enum warden_cpu_attr {
	WARDEN_A_CPU_UNSPEC,
	WARDEN_A_CPU_ID,
	WARDEN_A_CPU_EXITS,

	__WARDEN_A_CPU_MAX
};
#define WARDEN_A_CPU_MAX (__WARDEN_A_CPU_MAX - 1)

/* Attributes of a WARDEN_A_CELL_FAULT nest (struct warden_cell_fault). */
enum warden_cell_fault_attr {
	WARDEN_A_FAULT_UNSPEC,
	WARDEN_A_FAULT_KIND,
	WARDEN_A_FAULT_CPU,
	WARDEN_A_FAULT_ESR,
	WARDEN_A_FAULT_ADDRESS,
	WARDEN_A_FAULT_PC,

	__WARDEN_A_FAULT_MAX
};
#define WARDEN_A_FAULT_MAX (__WARDEN_A_FAULT_MAX - 1)

/*
 * Attribute type of the count of exit reason WARDEN_EXIT_* (hypercall.h)
 * in a WARDEN_A_CPU_EXITS nest; type 0 is never a count.
 */
#define WARDEN_A_EXIT(reason)		((reason) + 1)

/* Most bytes of WARDEN_A_CONSOLE_DATA in one reply. */
#define WARDEN_GENL_CONSOLE_MAX		3072
/* Most bytes of WARDEN_A_CONSOLE_DATA in a console write (one hypercall's). */
#define WARDEN_GENL_CONSOLE_WRITE_MAX	256

/*
 * Largest WARDEN_A_SYSTEM payload one attribute can carry: 0xffff minus the
 * 4-byte attribute header, rounded down to the blob's 8-byte granularity.
 */
#define WARDEN_GENL_SYSTEM_MAX		65528

/*
 * Most bytes of WARDEN_A_CELL_DATA in one CELL_LOAD request: what one
 * attribute carries with room to spare, and below the hypervisor's
 * WARDEN_CELL_LOAD_MAX per call.
 */
#define WARDEN_GENL_CELL_LOAD_MAX	60000

/*
 * WARDEN_A_CELL_STATE of the last WARDEN_CMD_CELL_CHANGED of a cell that
 * was destroyed; never a WARDEN_CELL_* state of a cell that exists.
 */
#define WARDEN_GENL_CELL_DESTROYED	0

/* Longest string attribute, terminating NUL included. */
#define WARDEN_GENL_STRING_MAX		64

/*
 * State of the hypervisor as the module sees it. User space prints these
 * with the names in the comments (also the values of D-Bus HypervisorState).
 */
enum warden_hv_state {
	WARDEN_HV_DISABLED,	/* "disabled": image loaded, EL2 not taken */
	WARDEN_HV_ENABLED,	/* "enabled":  running under Warden */
	WARDEN_HV_FAILED,	/* "failed":   hypervisor stopped itself */

	__WARDEN_HV_STATE_MAX
};
#define WARDEN_HV_STATE_MAX (__WARDEN_HV_STATE_MAX - 1)

#endif /* _UAPI_WARDEN_GENL_H */
