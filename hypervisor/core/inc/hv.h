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
#include <arch/layout.h>
#include <warden/hypercall.h>
#include <warden/config.h>

#define __aligned(n)	__attribute__((aligned(n)))
#define __noreturn	__attribute__((noreturn))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1ULL << (n))
#define ALIGN_UP(x, a)	(((x) + (a) - 1) & ~((u64)(a) - 1))
#define READ_ONCE(x)	(*(const volatile typeof(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile typeof(x) *)&(x) = (v))
#define _Static_assert_size(t, n) _Static_assert(sizeof(t) == (n), #t " size")

/* The interrupted context, at the top of the CPU's stack (head.S). */
struct regs {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 pad;
};

#define HV_MAX_CELLS	8
#define MPIDR_AFF_MASK	0xff00ffffffULL	/* Aff3, Aff2, Aff1, Aff0 */
#define KICK_SGI	15	/* the hypervisor's own SGI, to stop a cell's CPU */
#define MAINT_PPI	25	/* the virtual CPU interface's maintenance interrupt */
#define HV_PRIVATE_IRQS	(1U << KICK_SGI | 1U << MAINT_PPI)	/* no cell may touch them */

/* GICv3 layout: the distributor, and one RD + SGI frame pair per CPU */
#define GICD_SIZE	0x10000
#define GICR_STRIDE	0x20000
#define GICR_SGI_BASE	0x10000

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
		asm volatile("yield" : : : "memory");
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
 * @exits:      traps counted by WARDEN_EXIT_*
 */
struct per_cpu {
	u8 stack[HV_STACK_SIZE];
	u32 cpu;
	u32 enabled;
	struct spinlock lock;
	u32 state;
	u32 on_owner;
	struct cell *cell;	/* NULL: the root cell's */
	u32 vsgi_pending;	/* SGIs the cell's other CPUs sent this one */
	u64 vgic_pending[16];	/* interrupts to inject, one bit per INTID */
	u64 vgic_hw[16];	/* ... of which physical ones (list register HW bit) */
	u64 mpidr;
	u64 on_entry;
	u64 on_context;
	u64 exits[WARDEN_EXIT_MAX];
} __aligned(4096);

extern struct per_cpu per_cpu[HV_MAX_CPUS];

/* Read by head.S: offsets in arch/layout.h. */
struct hv_mmu {
	u64 ttbr;
	u64 tcr;
	u64 mair;
	u64 phys_offset;	/* physical minus link address of the image */
	u64 stub;		/* Linux's hyp-stub vectors, physical */
};
extern struct hv_mmu hv_mmu;

/* EL2 registers Linux set up on the first CPU, given to CPUs started later. */
struct el2_regs {
	u64 hcr;		/* Linux's HCR_EL2 (RW, and API/APK where pointer auth exists) */
	u64 cnthctl;
	u64 cptr;
	u64 mdcr;
	u64 hstr;
	u64 icc_sre;
};

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
	u64 esr;
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
 * Emulated device memory of a cell (core/mmio.c): a data abort inside a
 * registered range reaches its handler as a decoded, naturally aligned
 * access of 1, 2, 4 or 8 bytes at @offset into the range; a refused one
 * fails the cell with the range's @fault kind.
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

#define CELL_MMIO_MAX	8

/* What root had set for an SPI before a cell took it (restored at destroy). */
struct spi_saved {
	u64 route;
	u32 irq;
	u8 enabled, group, modifier, priority, config;
};

struct cell {
	u32 id;			/* 0: free slot */
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
	bool gicr_taken;	/* its CPUs' redistributors left root's stage 2 */
	bool spis_taken;	/* its SPIs were set up for it (root's state saved) */
	bool console_event;	/* root was told of console output it has not read */
	bool event_pending;	/* root was told of a change it has not read */
	struct spi_saved spi_saved[WARDEN_MAX_IRQS];
	struct mmio_region mmio[CELL_MMIO_MAX];
	u32 num_mmio;
	struct warden_cell_fault fault;
	char name[WARDEN_NAME_LEN];
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
 * @vtcr:        VTCR_EL2 for every cell
 * @ipa_bits:    stage 2's input (and every physical) address range, in bits
 * @el2:         see struct el2_regs
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
	u64 vtcr;
	u32 ipa_bits;		/* stage 2's input range: the CPU's physical address range */
	struct el2_regs el2;
	u64 cpus_enabled;
	u64 fatal_cpus;		/* CPUs parked by hv_fatal() */
	u32 num_cells;
	u32 locked_by;		/* id of the cell that locked reconfiguration, or 0 */
	struct spinlock cells_lock;	/* cells' states, hv.locked_by */
	struct spinlock root_lock;	/* root's cell calls, one at a time */
	u32 next_id;
	struct cell cells[HV_MAX_CELLS];
};
extern struct hv hv;

/* Bytes of the redistributor frames, up to the highest CPU of the system. */
static inline u64 gic_redists_size(void)
{
	return GICR_STRIDE * (64 - __builtin_clzll(hv.sys->cpu_set));
}

static inline struct per_cpu *this_cpu(void)
{
	struct per_cpu *p;

	asm volatile("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

static inline u32 mmio_read32(u64 addr) { return *(volatile u32 *)addr; }
static inline void mmio_write32(u64 addr, u32 v) { *(volatile u32 *)addr = v; }
static inline u64 mmio_read64(u64 addr) { return *(volatile u64 *)addr; }
static inline void mmio_write64(u64 addr, u64 v) { *(volatile u64 *)addr = v; }

#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) asm volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb() asm volatile("isb" : : : "memory")
#define dsb(opt) asm volatile("dsb " #opt : : : "memory")


/* A hypercall's arguments (x1-x5) and second result (x1): not the frame. */
struct hcall {
	u64 arg[5];
	u64 out;
	bool leave;	/* WARDEN_HC_DISABLE: the CPU leaves the hypervisor */
};
typedef long hcall_fn(struct hcall *hc);

/* hypercall.c */
void hcall_dispatch(struct trap *t, u64 imm);

/* mmio.c */
int mmio_register(struct cell *c, u64 base, u64 size, u32 fault, mmio_handler *handler,
		  void *opaque);
const struct mmio_region *mmio_find(const struct cell *c, u64 address);

/* cell.c: root's calls, then the cells' own */
hcall_fn cell_create, cell_load, cell_start, cell_shutdown, cell_destroy, cell_get, cell_next,
	 cell_console_read;
hcall_fn cell_console_write, cell_reply, cell_lock;
enum trap_result cell_sysreg(struct trap *t);
__printf(2, 3) void cell_log(struct cell *c, const char *fmt, ...);
void __noreturn cell_fail(struct regs *regs, u32 kind, u64 esr, u64 address);
void __noreturn cell_stop_this_cpu(void);
void cell_enter(struct per_cpu *p, struct regs *regs);
void cell_kicked(void);
void __noreturn cell_psci(struct regs *regs);
void reset_el1(void);
void hv_zero_fpsimd(void);

/* cpu.c: the per-CPU ownership state machine */
s64 cpu_power_on(u32 cpu, struct cell *owner, u64 entry, u64 context);
u32 cpu_arrive(struct per_cpu *p);
void cpu_depart(struct per_cpu *p);
void cpu_kick(u32 cpu);
bool cpu_wait_off(u32 cpu);
bool cpu_cell_idle(struct cell *c);
int cpu_set_owner(u32 cpu, struct cell *from, struct cell *to);
void cpu_disabled(struct per_cpu *p);

/* gic.c */
void gic_kick_enable(u32 cpu, bool on);
void gic_send_sgi(u32 cpu, u32 sgi);
u64 gic_frame_of(u32 cpu);
u32 gic_num_irqs(void);
void notify_root(void);

/* vgic.c */
void cell_irq(void);
void cell_fiq(void);
void vgic_flush(struct per_cpu *p);
void vgic_cpu_on(struct per_cpu *p);
void vgic_cpu_off(struct per_cpu *p);
void vgic_spis_take(struct cell *c);
void vgic_spis_give_back(struct cell *c);
void vgic_cpus_reset(struct cell *c);
void vgic_send_sgis(struct cell *c, u64 targets, u32 sgi);
int vgic_cell_init(struct cell *c);

/* main.c */
u64 hv_virt_to_phys(const void *p);
void hv_tlb_flush_el2(struct pt *pt, u64 ia, u64 size);
void hv_tlb_flush_s2(struct pt *pt, u64 ia, u64 size);
void dcache_clean_range(const void *start, u64 size);
void dcache_flush_range(const void *start, u64 size);
unsigned int region_attrs(u32 flags);
int hv_cpu_disable(void);

/* trap.c */
long hv_trap(struct regs *regs, unsigned long kind);
void __noreturn hv_fatal(struct regs *regs, unsigned long kind);
int copy_to_root(u64 ipa, const void *src, u64 size);
int copy_from_root(u64 ipa, void *dst, u64 size);
int copy_from_guest(struct pt *pt, u64 ipa, void *dst, u64 size);

/* psci.c */
enum trap_result psci_handle(struct trap *t);
int mpidr_to_cpu(u64 mpidr);
u64 smc_call(u64 fn, u64 a1, u64 a2, u64 a3);
void __noreturn psci_off_this_cpu(void);

#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_AFFINITY_INFO_64	0xc4000004
#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)

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

#endif /* __HV_H__ */
