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

/**
 * struct per_cpu - one CPU's hypervisor state; the stack comes first
 * @cpu:        logical CPU number (Linux's, as the loader gave it)
 * @enabled:    the CPU runs under the hypervisor
 * @mpidr:      its MPIDR_EL1 affinity
 * @on_pending: started by a trapped PSCI CPU_ON: return to @on_entry
 * @on_entry:   where root asked the CPU to start (EL1, MMU off)
 * @on_context: the context ID root passed for it
 * @exits:      traps counted by WARDEN_EXIT_*
 */
struct per_cpu {
	u8 stack[HV_STACK_SIZE];
	u32 cpu;
	u32 enabled;
	u64 mpidr;
	u64 on_pending;
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
	struct el2_regs el2;
	u64 cpus_enabled;
	u32 num_cells;
};
extern struct hv hv;

static inline struct per_cpu *this_cpu(void)
{
	struct per_cpu *p;

	asm volatile("mrs %0, tpidr_el2" : "=r"(p));
	return p;
}

#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) asm volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb() asm volatile("isb" : : : "memory")
#define dsb(opt) asm volatile("dsb " #opt : : : "memory")

/* main.c */
u64 hv_virt_to_phys(const void *p);
void dcache_clean_range(const void *start, u64 size);
int hv_cpu_disable(struct regs *regs);

/* trap.c */
long hv_trap(struct regs *regs, unsigned long kind);
void __noreturn hv_fatal(struct regs *regs, unsigned long kind);
int copy_to_root(u64 ipa, const void *src, u64 size);

/* psci.c */
void psci_handle(struct regs *regs);
int mpidr_to_cpu(u64 mpidr);

/* log.c: the hypervisor's log, a ring root reads with WARDEN_HC_CONSOLE_READ */
__printf(1, 2) void hv_log(const char *fmt, ...);
long hv_console_read(struct regs *regs);
u64 hv_console_head(void);

/* lib/printf.c */
#include <stdarg.h>
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);

#endif /* __HV_H__ */
