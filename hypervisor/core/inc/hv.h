/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's global and per-CPU state.
 *
 * Memory: the hypervisor's memory is mapped 1:1 at EL2, and the image also
 * at its link address HV_BASE. Pointers to the image's own variables are
 * link addresses; pointers into the page pool, the boot info and the system
 * blob are physical addresses (the same thing under the 1:1 map).
 */
#ifndef __HV_H__
#define __HV_H__

#include <types.h>
#include <pool.h>
#include <paging.h>
#include <ratelimit.h>
#include <vpl011.h>
#include <vpl061.h>
#include <arch/layout.h>
#include <arch/arch.h>
#include <warden/hypercall.h>
#include <warden/config.h>

#define __aligned(n)	__attribute__((aligned(n)))
#define __noreturn	__attribute__((noreturn))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1ULL << (n))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((u64)(a) - 1))
#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define __always_inline	inline __attribute__((always_inline))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#define _Static_assert_size(t, n) _Static_assert(sizeof(t) == (n), #t " size")

#define HV_MAX_CELLS	8
#define for_each_cpu(cpu, set) \
	for ((cpu) = 0; (cpu) < HV_MAX_CPUS; (cpu)++) if ((set) & BIT(cpu))

/* A fair (ticket) lock: waiters are served in the order they came. */
struct spinlock {
	u32 next;
	u32 owner;
};

static inline void spin_lock(struct spinlock *l)
{
	u32 ticket = __atomic_fetch_add(&l->next, 1, __ATOMIC_RELAXED);

	while (__atomic_load_n(&l->owner, __ATOMIC_ACQUIRE) != ticket)
		cpu_relax();
}

static inline void spin_unlock(struct spinlock *l)
{
	__atomic_store_n(&l->owner, l->owner + 1, __ATOMIC_RELEASE);
}

/*
 * Who a CPU runs for and where it is on its way (core/cpu.c, and the state
 * machine in docs/hypervisor.md). Every change is made under the CPU's
 * lock; OFF is the only state in which its owner may change.
 */
enum cpu_state {
	CPU_OFF = 0,	/* powered off, or never under the hypervisor */
	CPU_ROOT,	/* runs the root cell */
	CPU_PARKING,	/* root's CPU on its way off (root's PSCI CPU_OFF) */
	CPU_ENTERING,	/* powered on by its owner's CPU_ON, not yet running it */
	CPU_CELL,	/* runs its cell */
	CPU_LEAVING,	/* a cell's CPU on its way off */
};

struct cell;

/**
 * struct per_cpu - one CPU's hypervisor state; the stack comes first
 * @cpu:        logical CPU number (Linux's, as the loader gave it)
 * @enabled:    the CPU runs under the hypervisor
 * @lock:       guards @state, @cell and the @on_* fields
 * @state:      enum cpu_state
 * @cell:       the cell owning the CPU, NULL for root
 * @on_owner:   who powered it on: the cell's id, 0 for root
 * @on_entry:   where the owner asked the CPU to start (EL1, MMU off)
 * @on_context: the context ID the owner passed for it
 * @hwid:       the CPU's hardware identifier (arm64: MPIDR affinity)
 * @exits:      traps counted by WARDEN_EXIT_*
 * @arch:       the architecture's part
 */
struct per_cpu {
	u8 stack[HV_STACK_SIZE];
	u32 cpu;
	u32 enabled;
	struct spinlock lock;
	u32 state;
	u32 on_owner;
	struct cell *cell;	/* NULL: the root cell's */
	u64 hwid;
	u64 on_entry;
	u64 on_context;
	u64 exits[WARDEN_EXIT_MAX];
	struct arch_cpu arch;
} __aligned(4096);

extern struct per_cpu per_cpu[HV_MAX_CPUS];


/*
 * A trap being handled. A handler returns what it made of it; one function
 * (trap.c, trap_refuse()) decides what a refusal costs: a failed cell with
 * @fault and @address as its record, or an abort or undefined instruction
 * injected into root.
 */
enum trap_result {
	TRAP_HANDLED,		/* done: back to EL1 */
	TRAP_UNHANDLED,		/* nobody serves it */
	TRAP_FORBIDDEN,		/* the caller may not: @fault says what */
};

struct trap {
	struct regs *regs;
	u64 syndrome;		/* the architecture's description of the trap (ESR_EL2) */
	u32 fault;		/* WARDEN_FAULT_* of a forbidden trap */
	u64 address;		/* what it reached for */
	bool leave;		/* the CPU leaves the hypervisor (WARDEN_HC_DISABLE) */
};

static inline enum trap_result trap_forbid(struct trap *t, u32 fault, u64 address)
{
	t->fault = fault;
	t->address = address;
	return TRAP_FORBIDDEN;
}

/*
 * Emulated device memory (core/mmio.c): a data abort inside a registered
 * range reaches its handler as a decoded, naturally aligned access of 1, 2,
 * 4 or 8 bytes at @offset into the range; a refused one fails the cell
 * with the range's @fault kind. Cells have a table each; root has one too,
 * for device memory it may read but whose writes the hypervisor checks.
 * A handler gets the cell, or NULL for root.
 */
struct mmio_access {
	u64 offset;
	u32 size;
	bool write;
	u64 value;		/* written, or to be read */
};

typedef enum trap_result mmio_handler(struct cell *c, struct mmio_access *a, void *opaque);

struct mmio_region {
	u64 base;
	u64 size;
	u32 fault;
	mmio_handler *handler;
	void *opaque;
};

#define MMIO_MAX	8

struct mmio_table {
	struct mmio_region r[MMIO_MAX];
	u32 num;
};

/*
 * The state of a slot that a destroyed cell left to CPUs that never
 * stopped (cell_quarantine()): never a WARDEN_CELL_* state root sees.
 */
#define CELL_QUARANTINED	0x100

struct cell {
	u32 id;			/* 0: free slot, unless CELL_QUARANTINED */
	u32 state;		/* WARDEN_CELL_*, changed under hv.cells_lock */
	u32 info_flags;		/* WARDEN_CELL_INFO_* */
	u32 stop_reason;
	u64 cpu_set;
	u64 cpus_running;	/* CPUs in CPU_CELL, changed under their lock */
	const void *blob;
	u64 blob_pages;
	const struct warden_cell *cfg;
	const struct warden_region *regions;
	const u32 *irqs;
	struct pt pt;
	paddr_t comm;		/* struct warden_comm_page */
	struct spinlock lock;	/* the console and the limits below; never hv.cells_lock inside */
	char *console;		/* ring of CELL_CONSOLE_SIZE bytes */
	u64 console_head;
	struct ratelimit console_rl;	/* bytes */
	struct ratelimit log_rl;	/* lines in the hypervisor's log */
	struct ratelimit lock_rl;	/* WARDEN_HC_CELL_LOCK calls */
	u64 mem_bytes;
	u64 starts;
	u64 exits;
	bool mapped;		/* cell_map() ran: undo it when freeing */
	bool irqs_taken;	/* the interrupt controller took its part from root */
	bool console_event;	/* root was told of console output it has not read */
	bool event_pending;	/* root was told of a change it has not read */
	struct mmio_table mmio;
	struct vpl011 uart;	/* WARDEN_CELL_UART (uart.c), under @lock */
	struct vpl061 button;	/* WARDEN_CELL_POWER_BUTTON (button.c), under @lock */
	struct warden_cell_fault fault;
	char name[WARDEN_NAME_LEN];
	struct arch_cell arch;
};

/**
 * struct hv - the hypervisor's global state, set up once by the first CPU
 * @ready:       global set-up done
 * @phys_base:   physical address of the image (and of the hypervisor's memory)
 * @mem_size:    bytes of the hypervisor's memory
 * @boot:        the loader's boot info
 * @blob:        the checked system blob
 * @sys:         its struct warden_system
 * @root:        its root cell
 * @root_regions: the root cell's regions
 * @layout:      where the parts of the blob are
 * @pool:        pages for translation tables (and, later, cells)
 * @hv_pt:       the EL2 stage-1 tables
 * @root_pt:     root's stage-2 tables
 * @ipa_bits:    stage 2's input (and every physical) address range, in bits
 * @cpus_enabled: bit N: CPU N runs under the hypervisor
 * @num_cells:   cells besides root
 */
struct hv {
	u64 ready;
	paddr_t phys_base;
	u64 mem_size;
	const struct warden_boot_info *boot;
	const void *blob;
	const struct warden_system *sys;
	const struct warden_cell *root;
	const struct warden_region *root_regions;
	struct warden_config_layout_hv {
		u32 cell, regions, irqs, ram;
	} layout;
	struct pool pool;
	struct pt hv_pt;
	struct pt root_pt;
	u32 ipa_bits;		/* stage 2's input range: the CPU's physical address range */
	u64 cpus_enabled;
	u64 fatal_cpus;		/* CPUs parked by hv_fatal() */
	u64 quarantined;	/* CPUs a destroyed cell kept: never root's again */
	u32 num_cells;
	u32 locked_by;		/* id of the cell that locked reconfiguration, or 0 */
	struct spinlock cells_lock;	/* cells' states, hv.locked_by */
	struct spinlock root_lock;	/* root's cell calls, one at a time */
	u32 next_id;
	struct cell cells[HV_MAX_CELLS];
	const struct irqchip_ops *irqchip;	/* link address: call only with the MMU on */
	struct mmio_table root_mmio;	/* root's trapped device memory */
	struct arch_hv arch;
};
extern struct hv hv;

/* A hypercall's arguments and second result: never the register frame. */
struct hcall {
	u64 arg[5];
	u64 out;
	bool leave;	/* WARDEN_HC_DISABLE: the CPU leaves the hypervisor */
};
typedef long hcall_fn(struct hcall *hc);

/* Errors of root's calls and of set-up: a record in root's memory. */
struct boot_error {
	struct warden_hv_error *rec;
	u32 cpu;
};

/* hypercall.c */
long hcall_dispatch(u64 code, struct hcall *hc);

/* mmio.c */
int mmio_register(struct mmio_table *t, u64 base, u64 size, u32 fault, mmio_handler *handler,
		  void *opaque);
const struct mmio_region *mmio_find(const struct mmio_table *t, u64 address);

/* trap.c: what a trap costs, and guest memory */
enum trap_result mmio_trap(struct trap *t, u64 address, struct mmio_access *a);
long trap_refuse(struct trap *t, enum trap_result res);
bool root_log_ok(void);
int copy_to_root(u64 ipa, const void *src, u64 size);
int copy_from_root(u64 ipa, void *dst, u64 size);
int copy_from_guest(struct pt *pt, u64 ipa, void *dst, u64 size);

/* cell.c: root's calls, then the cells' own */
hcall_fn cell_create, cell_load, cell_start, cell_shutdown, cell_destroy, cell_get, cell_next,
	 cell_console_read;
hcall_fn cell_console_write, cell_reply, cell_lock;
__printf(2, 3) void cell_log(struct cell *c, const char *fmt, ...);
struct cell *cell_by_id(u32 id);
int cell_console_append(struct cell *c, const char *s, u64 n, bool *notify);
void __noreturn cell_fail(struct trap *t);
void __noreturn cell_stop_this_cpu(void);
void __noreturn cell_system_off(bool reset);
void cell_enter(struct per_cpu *p, struct regs *regs);
void cell_kicked(void);
void cell_event(struct cell *c);
bool cell_owns_irq(const struct cell *c, u32 irq);
int root_map_part(u64 base, u64 size, unsigned int allow);
void root_remap(u64 base, u64 size);

/* uart.c: a cell's virtual UART */
int cell_uart_init(struct cell *c);
void cell_uart_reset(struct cell *c);

/* button.c: a cell's power button */
int cell_button_init(struct cell *c);
void cell_button_reset(struct cell *c);
void cell_button_press(struct cell *c);
hcall_fn cell_console_input;

/* cpu.c: the per-CPU ownership state machine */
int cpu_power_on(u32 cpu, struct cell *owner, u64 entry, u64 context);
u32 cpu_arrive(struct per_cpu *p);
void cpu_depart(struct per_cpu *p);
void cpu_kick(u32 cpu);
bool cpu_wait_off(u32 cpu);
bool cpu_cell_idle(struct cell *c);
int cpu_set_owner(u32 cpu, struct cell *from, struct cell *to);
void cpu_disabled(struct per_cpu *p);
void __noreturn cpu_off_this(void);
int cpu_by_hwid(u64 hwid);
bool cpu_owned_by_caller(u32 cpu);

/* main.c */
int boot_fail(struct boot_error *e, int err, const char *what, u32 offset, s32 index, u64 value);
const char *beyond_pa(char *buf, u64 size, const char *what);
unsigned int region_attrs(u32 flags);
int hv_cpu_disable(void);
void notify_root(void);
int hv_init_cpu(u32 cpu, u64 record);
void hv_start_cpu(u32 cpu, struct regs *regs);

/*
 * log.c: the hypervisor's log, a ring root reads with WARDEN_HC_CONSOLE_READ,
 * and ring_read(), which serves the cells' console rings as well.
 */
#include <stdarg.h>
long ring_read(const char *ring, u64 size, u64 head, struct hcall *hc, u64 ipa, u64 len, u64 pos);
__printf(1, 2) void hv_log(const char *fmt, ...);
__printf(1, 0) void hv_vlog(const char *fmt, va_list ap);
bool ratelimit_take(struct ratelimit *r, u64 n, u64 burst, u64 rate);
long hv_console_read(struct hcall *hc);
u64 hv_console_head(void);

/* lib/printf.c */
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);

#include <irqchip.h>
#include <arch-hooks.h>

#endif /* __HV_H__ */
