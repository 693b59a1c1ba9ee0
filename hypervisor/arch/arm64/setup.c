// SPDX-License-Identifier: GPL-2.0-only
/*
 * EL2 on arm64: the translation and virtualisation registers, entering root
 * or a cell on a CPU, resetting EL1 between owners, and cache and TLB
 * maintenance. Code reached with the MMU off (arch_pa_bits(),
 * arch_link_base(), arch_setup_registers()) must not use absolute
 * addresses; see core/main.c.
 */
#include <hv.h>
#include <string.h>
#include <arch/sysreg.h>
#include <arch/pte.h>
#include "gic.h"

#define CELL_VMID_FIRST		2	/* root is VMID 1 */
#define SCTLR_EL1_RESET		0x30d00800	/* MMU, caches off; RES1 bits */
#define ICC_SRE_EL2		S3_4_C12_C9_5
#define ZCR_EL2			SYSREG_ENC(3, 4, 1, 2, 0)
#define HCRX_EL2		SYSREG_ENC(3, 4, 1, 2, 2)
#define SMPRIMAP_EL2		SYSREG_ENC(3, 4, 1, 2, 5)
#define SMCR_EL2		SYSREG_ENC(3, 4, 1, 2, 6)
#define SMIDR_EL1		SYSREG_ENC(3, 1, 0, 0, 6)
#define SMIDR_SMPS		(1UL << 15)
#define ICH_HCR_EL2		S3_4_C12_C11_0

#define HCR_TIDCP		(1UL << 20)
#define HCR_TACR		(1UL << 21)
#define HCR_TSW			(1UL << 22)
#define HCR_GUEST		(HCR_RW | HCR_VM | HCR_TSC | HCR_FB | HCR_BSU_IS)
#define HCR_CELL		(HCR_GUEST | HCR_IMO | HCR_FMO | HCR_AMO | HCR_TIDCP | HCR_TACR | \
				 HCR_TSW)

void hv_zero_fpsimd(void);

struct hv_mmu hv_mmu;

/* head.S loads these in pairs (ldp). */
_Static_assert(__builtin_offsetof(struct hv_mmu, tcr) == __builtin_offsetof(struct hv_mmu, ttbr) + 8,
	       "hv_mmu: ttbr, tcr");
_Static_assert(__builtin_offsetof(struct hv_mmu, phys_offset) ==
	       __builtin_offsetof(struct hv_mmu, mair) + 8, "hv_mmu: mair, phys_offset");

/* Link-time address of the image: a literal, which PC-relative addressing would not give. */
u64 arch_link_base(void)
{
	u64 v;

	asm("ldr %0, =__warden_header" : "=r"(v));
	return v;
}

/* TCR/VTCR PS encoding of the CPU's physical address range, at most 48 bits. */
static u64 pa_range(void)
{
	u64 pa = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return pa > 5 ? 5 : pa;
}

unsigned int arch_pa_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48 };

	return bits[pa_range()];
}

u64 arch_cpu_hwid(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

void arch_cpu_release(void)
{
	write_sysreg(hv.boot->stub_vectors, vbar_el2);
	isb();
}

void arch_tlb_flush_el2(struct pt *pt, u64 ia, u64 size)
{
	(void)pt, (void)ia, (void)size;
	dsb(ishst);
	asm volatile("tlbi alle2is" : : : "memory");
	dsb(ish);
	isb();
}

/* The caller runs root, so VTTBR_EL2 is root's. */
void arch_tlb_flush_s2(struct pt *pt, u64 ia, u64 size)
{
	(void)pt, (void)ia, (void)size;
	dsb(ishst);
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	isb();
}

u64 hv_virt_to_phys(const void *p)
{
	return (u64)p + hv_mmu.phys_offset;
}

bool arch_mmu_on(void)
{
	return read_sysreg(sctlr_el2) & SCTLR_M;
}

static u64 dcache_line(void)
{
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

void dcache_clean_range(const void *start, u64 size)
{
	u64 line = dcache_line();
	u64 p = (u64)start & ~(line - 1);

	for (; p < (u64)start + size; p += line)
		asm volatile("dc cvac, %0" : : "r"(p) : "memory");
	dsb(ish);
}

/*
 * Memory a cell reads or writes with its MMU (so its caches) off, before
 * the hypervisor reads it or after it wrote it through its own cached
 * mapping.
 */
void dcache_flush_range(const void *start, u64 size)
{
	u64 line = dcache_line();
	u64 p = (u64)start & ~(line - 1);

	for (; p < (u64)start + size; p += line)
		asm volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(ish);
}

/* Features whose EL2 controls Linux set up, from the ID registers */
static bool cpu_has_sve(void)
{
	return read_sysreg(id_aa64pfr0_el1) >> 32 & 0xf;
}

static bool cpu_has_sme(void)
{
	return read_sysreg(id_aa64pfr1_el1) >> 24 & 0xf;
}

static bool cpu_has_hcx(void)
{
	return read_sysreg(id_aa64mmfr1_el1) >> 40 & 0xf;
}

/* The link address of @p, a PC-relative (physical) address taken with the MMU off. */
u64 link_addr(const void *p)
{
	return (u64)p - (hv.phys_base - HV_BASE);
}

void arch_setup_registers(void)
{
	u64 ps = pa_range();
	unsigned int bits = arch_pa_bits();

	hv_mmu.ttbr = hv.hv_pt.root;
	hv_mmu.tcr = TCR_EL2_RES1 | ps << TCR_EL2_PS_SHIFT | TCR_TG0_4K | TCR_SH0_INNER |
		     TCR_ORGN0_WBWA | TCR_IRGN0_WBWA | TCR_T0SZ(PT_IA_BITS);
	hv_mmu.mair = PT_MAIR_EL2;
	hv_mmu.phys_offset = hv.phys_base - HV_BASE;
	hv_mmu.stub = hv.boot->stub_vectors;
	/*
	 * Pointers into the image taken now, with the MMU off, are physical:
	 * store their link addresses, which is what the MMU-on code uses (the
	 * 1:1 map of the image is read-only).
	 */
	hv.hv_pt.pool = hv.root_pt.pool = (void *)link_addr(&hv.pool);
	hv.hv_pt.flush = (void *)link_addr(arch_tlb_flush_el2);
	hv.root_pt.flush = (void *)link_addr(arch_tlb_flush_s2);
	hv.irqchip = (void *)link_addr(hv.sys->gic_version == WARDEN_GIC_V3 ? &gicv3_ops :
								     &gicv2_ops);
	hv.arch.vtcr = VTCR_RES1 | ps << VTCR_PS_SHIFT | TCR_TG0_4K | TCR_SH0_INNER |
		       TCR_ORGN0_WBWA | TCR_IRGN0_WBWA | TCR_T0SZ(bits) |
		       (bits < PT_S2_L0_MIN_BITS ? VTCR_SL0_L1 : VTCR_SL0_L0);

	/* What Linux's EL2 set-up left here, for CPUs that start later. */
	hv.arch.el2.hcr = read_sysreg(hcr_el2);
	hv.arch.el2.cnthctl = read_sysreg(cnthctl_el2);
	hv.arch.el2.cptr = read_sysreg(cptr_el2);
	hv.arch.el2.mdcr = read_sysreg(mdcr_el2);
	hv.arch.el2.hstr = read_sysreg(hstr_el2);
	if (cpu_has_sve())
		hv.arch.el2.zcr = read_sysreg_enc(ZCR_EL2);
	if (cpu_has_sme())
		hv.arch.el2.smcr = read_sysreg_enc(SMCR_EL2);
	if (cpu_has_hcx())
		hv.arch.el2.hcrx = read_sysreg_enc(HCRX_EL2);
	hv.arch.el2.icc_sre = hv.sys->gic_version == WARDEN_GIC_V3 ? read_sysreg(ICC_SRE_EL2) : 0;
}

/* A CPU the hypervisor powered on gets the EL2 state Linux gave the first. */
static void setup_el2_for_new_cpu(void)
{
	const struct el2_regs *el2 = &hv.arch.el2;

	write_sysreg(el2->cnthctl, cnthctl_el2);
	write_sysreg(0, cntvoff_el2);
	write_sysreg(el2->cptr, cptr_el2);
	isb();
	/*
	 * The vector lengths Linux's EL2 set-up allowed EL1 on its CPUs: a CPU
	 * that found less would be refused by Linux ("vector length support
	 * mismatch").
	 */
	if (cpu_has_sve())
		write_sysreg_enc(el2->zcr, ZCR_EL2);
	if (cpu_has_sme()) {
		write_sysreg_enc(el2->smcr, SMCR_EL2);
		if (read_sysreg_enc(SMIDR_EL1) & SMIDR_SMPS)
			write_sysreg_enc(0, SMPRIMAP_EL2);
	}
	if (cpu_has_hcx())
		write_sysreg_enc(el2->hcrx, HCRX_EL2);
	write_sysreg(el2->mdcr, mdcr_el2);
	write_sysreg(el2->hstr, hstr_el2);
	if (hv.sys->gic_version == WARDEN_GIC_V3) {
		write_sysreg(el2->icc_sre, ICC_SRE_EL2);
		isb();
		write_sysreg(0, ICH_HCR_EL2);
	}
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(read_sysreg(mpidr_el1), vmpidr_el2);
	/* EL1 as PSCI promises it at CPU_ON: MMU and caches off, little endian. */
	write_sysreg(SCTLR_EL1_RESET, sctlr_el1);
}

void arch_cpu_init(struct per_cpu *p, bool fresh)
{
	write_sysreg(p, tpidr_el2);
	if (fresh)
		setup_el2_for_new_cpu();
	write_sysreg(hv.arch.vtcr, vtcr_el2);
	hv.irqchip->cpu_init(p);
}

/* Start @regs' owner at its entry, as PSCI promises: EL1h, everything masked, x0 the context. */
static void start_at(struct per_cpu *p, struct regs *regs)
{
	memset(regs, 0, sizeof(*regs));
	regs->elr = p->on_entry;
	regs->spsr = PSR_DAIF | PSR_MODE_EL1h;
	regs->x[0] = p->on_context;
}

void arch_enter_root(struct per_cpu *p, struct regs *regs, bool at_entry)
{
	write_sysreg(hv.root_pt.hw_root | 1ULL << VTTBR_VMID_SHIFT, vttbr_el2);
	isb();
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(hv.arch.el2.hcr | HCR_GUEST, hcr_el2);
	isb();
	if (at_entry)
		start_at(p, regs);
	else
		regs->x[0] = 0;
}

static u64 cell_vttbr(struct cell *c)
{
	return c->pt.hw_root | (u64)(c - hv.cells + CELL_VMID_FIRST) << VTTBR_VMID_SHIFT;
}

void arch_cell_tlb_flush(struct cell *c)
{
	u64 vttbr = read_sysreg(vttbr_el2);

	write_sysreg(cell_vttbr(c), vttbr_el2);
	isb();
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(vttbr, vttbr_el2);
	isb();
}

/*
 * Direct delivery: the cell's IRQs go to its EL1, only FIQs (the kick) to
 * EL2; direct-strict: its waits trap too (handle_wfx()).
 */
static u64 cell_hcr(const struct per_cpu *p)
{
	u64 hcr = hv.arch.el2.hcr | HCR_CELL;

	if (p->arch.direct)
		hcr &= ~HCR_IMO;
	if (p->cell->cfg->flags & WARDEN_CELL_WAIT_TRAPPED)
		hcr |= HCR_TWI | HCR_TWE;
	return hcr;
}

void arch_enter_cell(struct per_cpu *p, struct regs *regs)
{
	arch_vcpu_reset();
	hv.irqchip->vcpu_on(p);
	write_sysreg(cell_vttbr(p->cell), vttbr_el2);
	write_sysreg(cell_hcr(p), hcr_el2);
	isb();
	asm volatile("ic iallu" : : : "memory");
	dsb(nsh);
	isb();
	start_at(p, regs);
}

void arch_cpu_disable(void)
{
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(hv.arch.el2.hcr, hcr_el2);
	write_sysreg(0, vttbr_el2);
	isb();
}

/* EL1 as PSCI promises it at CPU_ON, and nothing left of the CPU's last owner. */
void arch_vcpu_reset(void)
{
	write_sysreg(SCTLR_EL1_RESET, sctlr_el1);
	isb();
	write_sysreg(0, ttbr0_el1);
	write_sysreg(0, ttbr1_el1);
	write_sysreg(0, tcr_el1);
	write_sysreg(0, mair_el1);
	write_sysreg(0, amair_el1);
	write_sysreg(0, vbar_el1);
	write_sysreg(0, contextidr_el1);
	write_sysreg(0, tpidr_el1);
	write_sysreg(0, tpidr_el0);
	write_sysreg(0, tpidrro_el0);
	write_sysreg(0, sp_el0);
	write_sysreg(0, sp_el1);
	write_sysreg(0, elr_el1);
	write_sysreg(0, spsr_el1);
	write_sysreg(0, esr_el1);
	write_sysreg(0, far_el1);
	write_sysreg(0, par_el1);
	write_sysreg(0, afsr0_el1);
	write_sysreg(0, afsr1_el1);
	write_sysreg(0, cntkctl_el1);
	write_sysreg(0, cntv_ctl_el0);
	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(0, mdscr_el1);
	write_sysreg(0x300000, cpacr_el1);	/* FP/SIMD usable: it must be, to clear it */
	isb();
	hv_zero_fpsimd();
	write_sysreg(0, cpacr_el1);
	isb();
}

/* head.S: WARDEN_HC_INIT with x1 = CPU number, x2 = the loader's error record; MMU off. */
long hv_boot_cpu(struct regs *regs)
{
	return hv_init_cpu((u32)regs->x[1], regs->x[2]);
}

/* head.S: the same call, or a power-on, once the MMU is on. */
long hv_cpu_start(struct regs *regs)
{
	hv_start_cpu((u32)regs->x[1], regs);
	return 0;
}
