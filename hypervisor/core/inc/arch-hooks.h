/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * What an architecture provides to the core, out of line (arch/<arch>/).
 * Inline primitives (this_cpu(), mmio_*(), barriers, the counter, struct
 * regs and the arch_* parts of the core's structures) come from
 * <arch/arch.h>.
 */
#ifndef __ARCH_HOOKS_H__
#define __ARCH_HOOKS_H__

#include <types.h>

struct boot_error;
struct cell;
struct per_cpu;
struct pt;
struct regs;
struct trap;

/* --- Set-up, first CPU, MMU off: direct calls only --------------------- */

/* The CPU's physical address range, in bits (what stage 2 can translate). */
unsigned int arch_pa_bits(void);
/* The link address the image was built for. */
u64 arch_link_base(void);
/* Check the interrupt controller against the description. */
int arch_irqchip_probe(struct boot_error *e);
/* Highest address of the controller's frames, for the range check. */
u64 arch_irqchip_end(void);
/* Map the controller's frames for the hypervisor, and set root's view of them. */
int arch_irqchip_map(struct boot_error *e);
/* EL2 translation and virtualisation registers, from the tables just built; hv.irqchip. */
void arch_setup_registers(void);
/* This CPU's hardware identifier, compared with the loader's boot info. */
u64 arch_cpu_hwid(void);
/* Give the CPU back to the loader's EL2 vectors after a failed start. */
void arch_cpu_release(void);

/* --- CPUs ----------------------------------------------------------------- */

/* Per-CPU EL2 state; @fresh: a CPU the hypervisor powered on, not one that joined. */
void arch_cpu_init(struct per_cpu *p, bool fresh);
/* Enter root on this CPU through @regs: @at_entry from a power-on, else the call returns. */
void arch_enter_root(struct per_cpu *p, struct regs *regs, bool at_entry);
/* Enter @p's cell at p->on_entry through @regs. */
void arch_enter_cell(struct per_cpu *p, struct regs *regs);
/* The guest state of this CPU as firmware leaves it: nothing of its last owner. */
void arch_vcpu_reset(void);
/* Stage 2 off on this CPU, before it leaves the hypervisor. */
void arch_cpu_disable(void);
/* Ask the firmware to power @cpu on at the hypervisor's entry; negative errno. */
int arch_cpu_power_on(u32 cpu);
/* Does the firmware report @cpu off? */
bool arch_cpu_is_off(u32 cpu);
/* Power this CPU off through the firmware; returns only if the firmware refused. */
void arch_cpu_power_off(void);

/* --- Memory ---------------------------------------------------------------- */

/* TLB maintenance after a live entry of the EL2 tables, or of root's stage 2, changed. */
void arch_tlb_flush_el2(struct pt *pt, u64 ia, u64 size);
void arch_tlb_flush_s2(struct pt *pt, u64 ia, u64 size);
/* Drop TLB entries left under @c's address space tag by an earlier cell. */
void arch_cell_tlb_flush(struct cell *c);
/* Clean (for a reader with its MMU off), or clean and invalidate (for a writer with it off). */
void dcache_clean_range(const void *start, u64 size);
void dcache_flush_range(const void *start, u64 size);
/* Where @p, a link address in the image, lives physically (MMU on). */
u64 hv_virt_to_phys(const void *p);
/* Is this CPU's EL2 MMU on? */
bool arch_mmu_on(void);

/* --- Traps ----------------------------------------------------------------- */

/* Root gets what the hardware would have given it without the hypervisor. */
void arch_root_abort(struct trap *t);
void arch_root_undef(struct trap *t);
/* Where the trapped context was. */
u64 arch_trap_pc(const struct trap *t);

#endif /* __ARCH_HOOKS_H__ */
