// SPDX-License-Identifier: GPL-2.0-only
/*
 * The GIC probe: does the installed QEMU still behave as Warden's direct
 * interrupt delivery assumes (docs/hypervisor.md, "Direct delivery")?
 *
 * QEMU boots it at EL2 on the reference machine (tests/probe/run). EL2
 * sets the GIC up as direct_on() does for a direct cell's CPU (the kick,
 * SGI 15, in Group 0 at priority 0; EOImode 0; both groups on) and drops
 * to EL1 with HCR_EL2.FMO set and IMO clear. EL1 runs the checks and asks
 * EL2, by HVC, for what only EL2 can do or see; EL2 counts what reaches it
 * (traps, FIQs, waits). Each check prints one line, "ok: ..." or
 * "FAIL: ...", with what was expected and what was seen. The program ends
 * with semihosting's SYS_EXIT: status 0 when every check passed, else the
 * number that failed.
 *
 * Every wait is bounded by EL2's own timer (CNTHP, a Group 0 FIQ at EL2),
 * so that a QEMU that no longer wakes a CPU fails a check instead of
 * hanging. The semihosting argument --break=imo, fmo or grp1 sets EL2 up
 * wrongly on purpose, to show that the checks see it.
 */
#include <inmate.h>
#include <arch/sysreg.h>

/* The GICv3 CPU interface: ICC_* are physical at EL2; ICH_* control EL1's view. */
#define ICC_PMR_EL1		S3_0_C4_C6_0
#define ICC_IAR0_EL1		S3_0_C12_C8_0
#define ICC_EOIR0_EL1		S3_0_C12_C8_1
#define ICC_BPR0_EL1		S3_0_C12_C8_3
#define ICC_AP0R0_EL1		S3_0_C12_C8_4
#define ICC_AP1R0_EL1		S3_0_C12_C9_0
#define ICC_RPR_EL1		S3_0_C12_C11_3
#define ICC_SGI1R_EL1		S3_0_C12_C11_5
#define ICC_ASGI1R_EL1		S3_0_C12_C11_6
#define ICC_SGI0R_EL1		S3_0_C12_C11_7
#define ICC_IAR1_EL1		S3_0_C12_C12_0
#define ICC_EOIR1_EL1		S3_0_C12_C12_1
#define ICC_BPR1_EL1		S3_0_C12_C12_3
#define ICC_CTLR_EL1		S3_0_C12_C12_4
#define ICC_IGRPEN0_EL1		S3_0_C12_C12_6
#define ICC_IGRPEN1_EL1		S3_0_C12_C12_7
#define ICC_SRE_EL2		S3_4_C12_C9_5
#define ICC_SRE_EL2_ALL		0xf	/* SRE, DFB, DIB, and EL1 may use ICC_SRE_EL1 */
#define ICH_HCR_EL2		S3_4_C12_C11_0
#define ICH_VMCR_EL2		S3_4_C12_C11_7
#define ICH_VMCR_VPMR_SHIFT	24
#define INTID_MASK		0xffffff

/* QEMU virt's GICv3 (GICD_BASE, GICR_BASE: <inmate.h>): CPU 0's redistributor. */
#define GICD_CTLR		0x0000
#define GICD_CTLR_GRP0		BIT(0)	/* with DS=1: EnableGrp0, EnableGrp1 */
#define GICD_CTLR_GRP1		BIT(1)
#define GICD_CTLR_DS		BIT(6)
#define GICD_CTLR_RWP		BIT(31)
#define GICD_ISACTIVER		0x0300
#define GICD_ICACTIVER		0x0380
#define GICR_WAKER		0x0014
#define GICR_WAKER_SLEEP	BIT(1)
#define GICR_WAKER_ASLEEP	BIT(2)
#define GICR_SGI		(GICR_BASE + GICR_SGI_OFFSET)
#define GICR_IGROUPR0		0x0080
#define GICR_ISENABLER0		0x0100
#define GICR_ISPENDR0		0x0200
#define GICR_ICPENDR0		0x0280
#define GICR_ISACTIVER0		0x0300
#define GICR_ICACTIVER0		0x0380
#define GICR_IPRIORITYR		0x0400

#define KICK_SGI		15	/* Warden's kick (hypervisor/arch/arm64/gic.h) */
#define OWN_SGI			3	/* one of the "cell's" own interrupts */
#define FOREIGN_SPI		40	/* an SPI of another partition */
#define WATCHDOG_PPI		26	/* EL2's physical timer, CNTHP */
#define PRIO_CELL		0xd0	/* the folded default, 0x80 | 0xa0 >> 1 */
#define PRIO_TIMER		0xc0

#define CNT_CTL_ENABLE		BIT(0)
#define CNT_CTL_ISTATUS		BIT(2)
#define ISR_F			BIT(6)	/* ISR_EL1: a FIQ is signalled */
#define ISR_I			BIT(7)	/* ... an IRQ */

#define WAKE_TICKS		1000	/* EL1's timer deadline, from now */
#define WATCHDOG_TICKS		200000	/* the bound on any wait (3.2 ms at 62.5 MHz) */
#define SPIN_BOUND		2000	/* loop turns to wait for what comes at once */
#define LATENCY_WARMUP		3
#define LATENCY_RUNS		10

/* Vector slots (head.S): 4 * (SP0, SPx, lower AArch64, lower AArch32) + type. */
enum vector {
	VEC_CUR_SYNC = 4,
	VEC_CUR_IRQ = 5,
	VEC_LOW_SYNC = 8,
	VEC_LOW_IRQ = 9,
	VEC_LOW_FIQ = 10,
};

/* The interrupted context (head.S); stamp is the counter at an EL1 vector. */
struct frame {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 stamp;
};

/* What EL1 asks of EL2: hvc #0, the service in x0, its argument in x1, x0 back. */
enum service {
	SVC_ROUTE,		/* HCR_EL2 for ROUTE_* */
	SVC_READ,		/* a physical register: REG_* */
	SVC_KICK,		/* the kick to this CPU, ICC_SGI0R_EL1 */
	SVC_SGI1,		/* Group 1 SGI x1 to this CPU, ICC_SGI1R_EL1 */
	SVC_WFI,		/* what a trapped WFI does: WFI_* */
	SVC_WATCHDOG,		/* EL2's timer x1 ticks from now (0: off) */
	SVC_RESET,		/* nothing pending or active, AP registers 0, direct */
	SVC_DONE,		/* the checks are over: summary and exit */
};

#define ROUTE_DIRECT		BIT(0)	/* FMO set, IMO clear; else both clear */
#define ROUTE_TWI		BIT(1)	/* EL1's WFI traps */

enum reg { REG_PMR, REG_VMCR, REG_AP1R0, REG_RPR };

enum wfi_action {
	WFI_INSPECT,		/* record the running priority and signals, return */
	WFI_WAIT,		/* wait at EL2 as direct-strict does, record what woke it */
};

enum mutation { BREAK_NONE, BREAK_IMO, BREAK_FMO, BREAK_GRP1 };
static const char *const mutation_names[] = { "none", "imo", "fmo", "grp1" };

/* What reached EL2. No caches: EL1 reads it in memory. */
struct el2_seen {
	u64 sysreg_traps, sysreg_esr;
	u64 kicks, fiq_intid;		/* FIQs of the kick; the last FIQ's INTID */
	u64 irqs;			/* IRQs from EL1 (none while IMO is clear) */
	u64 wfi_traps;
	u64 wfi_rpr, wfi_isr, wfi_isr_open, wfi_pending;	/* WFI_INSPECT */
	u64 wake_timer, wake_watchdog, wake_isr;		/* WFI_WAIT */
};

static volatile struct el2_seen seen;
static enum mutation mutation;
static enum wfi_action wfi_action;
static unsigned int checks_run, checks_failed;
static volatile u64 el1_timer_irqs, el1_timer_latency;

const char inmate_name[] = "gic-probe";

extern void __attribute__((noreturn)) enter_el1(void (*fn)(void));

/* ---------------------------------------------------------------------- */
/* Semihosting (QEMU -semihosting-config enable=on): arguments and exit */

#define SEMIHOST_GET_CMDLINE	0x15
#define SEMIHOST_EXIT		0x18
#define ADP_STOPPED_APP_EXIT	0x20026

static u64 semihost(u64 op, u64 *block)
{
	register u64 x0 asm("x0") = op;
	register u64 x1 asm("x1") = (uintptr_t)block;

	asm volatile("hlt #0xf000" : "+r"(x0) : "r"(x1) : "memory");
	return x0;
}

static void __noreturn probe_exit(unsigned int status)
{
	static bool exiting;
	u64 block[2] = { ADP_STOPPED_APP_EXIT, status };

	if (!exiting) {
		exiting = true;
		semihost(SEMIHOST_EXIT, block);
	}
	printf("gic-probe: no semihosting exit (QEMU needs -semihosting-config enable=on)\n");
	for (;;)
		asm volatile("wfe");
}

static void read_arguments(void)
{
	static char cmdline[160];
	u64 block[2] = { (uintptr_t)cmdline, sizeof(cmdline) - 1 };
	static const char key[] = "--break=";
	size_t n, len;
	unsigned int m;

	if (semihost(SEMIHOST_GET_CMDLINE, block) != 0)
		return;
	len = strlen(cmdline);
	for (n = 0; n + sizeof(key) - 1 <= len; n++) {
		if (memcmp(cmdline + n, key, sizeof(key) - 1))
			continue;
		for (m = 1; m < ARRAY_SIZE(mutation_names); m++)
			if (!memcmp(cmdline + n + sizeof(key) - 1, mutation_names[m],
				    strlen(mutation_names[m])))
				mutation = m;
	}
}

/* ---------------------------------------------------------------------- */
/* Reporting */

/* One check's line: "ok: WHAT: DETAIL" or "FAIL: WHAT: DETAIL" (expected, seen). */
static void __printf(3, 4) report(bool ok, const char *what, const char *detail, ...)
{
	char buf[256];
	va_list ap;

	va_start(ap, detail);
	vsnprintf(buf, sizeof(buf), detail, ap);
	va_end(ap);
	checks_run++;
	if (!ok)
		checks_failed++;
	printf("%s: %s: %s\n", ok ? "ok" : "FAIL", what, buf);
}

static void __noreturn finish(void)
{
	printf("gic-probe: %u checks, %u failed\n", checks_run, checks_failed);
	probe_exit(checks_failed);
}

static void __noreturn unexpected(const char *where, u64 vector, u64 esr, u64 elr)
{
	report(false, "no unexpected exception",
	       "expected none, seen one at %s: vector %llu, ESR 0x%llx, ELR 0x%llx",
	       where, vector, esr, elr);
	finish();
}

/* ---------------------------------------------------------------------- */
/* EL2: the set-up, and what EL2 does for EL1 */

static u64 hcr_for(u64 route)
{
	u64 hcr = HCR_RW;

	if (route & ROUTE_DIRECT) {
		hcr |= mutation == BREAK_FMO ? 0 : HCR_FMO;
		hcr |= mutation == BREAK_IMO ? HCR_IMO : 0;
	}
	return hcr | (route & ROUTE_TWI ? HCR_TWI : 0);
}

static void watchdog(u64 ticks)
{
	if (ticks) {
		write_sysreg(read_sysreg(cntpct_el0) + ticks, cnthp_cval_el2);
		write_sysreg(CNT_CTL_ENABLE, cnthp_ctl_el2);
	} else {
		write_sysreg(0, cnthp_ctl_el2);
	}
	isb();
}

/* The distributor and CPU 0's redistributor, as Warden has them for a direct cell's CPU. */
static void gic_setup(void)
{
	u64 sgi = GICR_SGI;
	u32 n;

	writel(readl(GICD_BASE + GICD_CTLR) | GICD_CTLR_GRP0 | GICD_CTLR_GRP1,
	       GICD_BASE + GICD_CTLR);
	while (readl(GICD_BASE + GICD_CTLR) & GICD_CTLR_RWP)
		cpu_relax();
	writel(readl(GICR_BASE + GICR_WAKER) & ~GICR_WAKER_SLEEP, GICR_BASE + GICR_WAKER);
	while (readl(GICR_BASE + GICR_WAKER) & GICR_WAKER_ASLEEP)
		cpu_relax();
	writel(~(u32)(BIT(KICK_SGI) | BIT(WATCHDOG_PPI)), sgi + GICR_IGROUPR0);
	for (n = 0; n < 32; n++)
		writeb(PRIO_CELL, sgi + GICR_IPRIORITYR + n);
	writeb(0, sgi + GICR_IPRIORITYR + KICK_SGI);
	writeb(0, sgi + GICR_IPRIORITYR + WATCHDOG_PPI);
	writeb(PRIO_TIMER, sgi + GICR_IPRIORITYR + TIMER_PPI_PHYS);
	writel(BIT(KICK_SGI) | BIT(WATCHDOG_PPI) | BIT(TIMER_PPI_PHYS) | BIT(OWN_SGI),
	       sgi + GICR_ISENABLER0);
	dsb(sy);

	write_sysreg(ICC_SRE_EL2_ALL, ICC_SRE_EL2);
	isb();
	write_sysreg(0xff, ICC_PMR_EL1);
	write_sysreg(0, ICC_BPR0_EL1);
	write_sysreg(0, ICC_BPR1_EL1);
	write_sysreg(0, ICC_CTLR_EL1);		/* EOImode 0, as direct_on() */
	write_sysreg(1, ICC_IGRPEN0_EL1);
	write_sysreg(mutation == BREAK_GRP1 ? 0 : 1, ICC_IGRPEN1_EL1);
	write_sysreg(0, ICH_HCR_EL2);		/* no virtual interrupts, no ICH traps */
	write_sysreg(0, ICH_VMCR_EL2);
	/* EL1 may use the physical counter and timer (EL1PCTEN, EL1PCEN) */
	write_sysreg(read_sysreg(cnthctl_el2) | 3, cnthctl_el2);
	write_sysreg(0, cntvoff_el2);
	isb();
}

static u64 read_reg(enum reg r)
{
	switch (r) {
	case REG_PMR:
		return read_sysreg(ICC_PMR_EL1);
	case REG_VMCR:
		return read_sysreg(ICH_VMCR_EL2);
	case REG_AP1R0:
		return read_sysreg(ICC_AP1R0_EL1);
	case REG_RPR:
		return read_sysreg(ICC_RPR_EL1);
	}
	return ~0ULL;
}

static void reset_interrupts(void)
{
	writel(BIT(KICK_SGI) | BIT(OWN_SGI), GICR_SGI + GICR_ICPENDR0);
	writel(BIT(OWN_SGI) | BIT(TIMER_PPI_PHYS), GICR_SGI + GICR_ICACTIVER0);
	writel(BIT(FOREIGN_SPI % 32), GICD_BASE + GICD_ICACTIVER + 4 * (FOREIGN_SPI / 32));
	dsb(sy);
	write_sysreg(0, cntp_ctl_el0);
	write_sysreg(0, ICC_AP0R0_EL1);
	write_sysreg(0, ICC_AP1R0_EL1);
	write_sysreg(hcr_for(ROUTE_DIRECT), hcr_el2);
	watchdog(0);
}

static u64 el2_service(u64 service, u64 arg)
{
	switch (service) {
	case SVC_ROUTE:
		write_sysreg(hcr_for(arg), hcr_el2);
		break;
	case SVC_READ:
		return read_reg(arg);
	case SVC_KICK:
		write_sysreg((u64)KICK_SGI << 24 | 1, ICC_SGI0R_EL1);	/* Aff0 0: this CPU */
		break;
	case SVC_SGI1:
		write_sysreg((arg & 0xf) << 24 | 1, ICC_SGI1R_EL1);
		break;
	case SVC_WFI:
		wfi_action = arg;
		break;
	case SVC_WATCHDOG:
		watchdog(arg);
		break;
	case SVC_RESET:
		reset_interrupts();
		break;
	case SVC_DONE:
		finish();
	}
	isb();
	return 0;
}

/*
 * A trapped WFI. WFI_INSPECT records what direct-strict's handler sees
 * (hypervisor/arch/arm64/traps.c): the physical running priority, whether
 * the kick is pending, and whether a FIQ is signalled (ISR_EL1 at EL2 is
 * the physical state: what ends a wait), then the same with the active
 * priority cleared for a moment. WFI_WAIT waits at EL2 as direct-strict
 * does, bounded by the watchdog, and records what ended the wait.
 */
static void el2_wfi(void)
{
	u64 ap;

	seen.wfi_traps++;
	if (wfi_action == WFI_INSPECT) {
		seen.wfi_rpr = read_sysreg(ICC_RPR_EL1) & 0xff;
		seen.wfi_pending = readl(GICR_SGI + GICR_ISPENDR0) & BIT(KICK_SGI);
		seen.wfi_isr = read_sysreg(isr_el1);
		ap = read_sysreg(ICC_AP1R0_EL1);
		write_sysreg(0, ICC_AP1R0_EL1);
		isb();
		seen.wfi_isr_open = read_sysreg(isr_el1);
		write_sysreg(ap, ICC_AP1R0_EL1);
		isb();
		return;
	}
	watchdog(WATCHDOG_TICKS);
	asm volatile("dsb sy\n\twfi" : : : "memory");
	seen.wake_timer = read_sysreg(cntp_ctl_el0) & CNT_CTL_ISTATUS;
	seen.wake_watchdog = read_sysreg(cnthp_ctl_el2) & CNT_CTL_ISTATUS;
	seen.wake_isr = read_sysreg(isr_el1);
	watchdog(0);
}

static void el2_sync(struct frame *f)
{
	u64 esr = read_sysreg(esr_el2);

	switch (esr >> ESR_EC_OFF) {
	case ESR_EC_HVC64:
		f->x[0] = el2_service(f->x[0], f->x[1]);
		return;
	case ESR_EC_SYS64:
		seen.sysreg_traps++;
		seen.sysreg_esr = esr;
		f->elr += 4;
		return;
	case ESR_EC_WFX:
		el2_wfi();
		f->elr += 4;
		return;
	}
	unexpected("EL2 from EL1", VEC_LOW_SYNC, esr, f->elr);
}

/* Group 0 at EL2 (FMO): the kick, or the watchdog ending a wait. */
static void el2_fiq(void)
{
	u32 intid = read_sysreg(ICC_IAR0_EL1) & INTID_MASK;

	if (intid >= GIC_MAX_INTID)
		return;
	seen.fiq_intid = intid;
	if (intid == KICK_SGI)
		seen.kicks++;
	if (intid == WATCHDOG_PPI)
		write_sysreg(0, cnthp_ctl_el2);
	write_sysreg(intid, ICC_EOIR0_EL1);
	isb();
}

/* Group 1 at EL2: only when IMO is set (--break=imo). Keep EL1's timer quiet. */
static void el2_irq(void)
{
	u32 intid = read_sysreg(ICC_IAR1_EL1) & INTID_MASK;

	if (intid >= GIC_MAX_INTID)
		return;
	seen.irqs++;
	if (intid == TIMER_PPI_PHYS)
		write_sysreg(0, cntp_ctl_el0);
	write_sysreg(intid, ICC_EOIR1_EL1);
	isb();
}

void probe_el2_trap(struct frame *f, u64 vector)
{
	switch (vector) {
	case VEC_LOW_SYNC:
		el2_sync(f);
		return;
	case VEC_LOW_IRQ:
		el2_irq();
		return;
	case VEC_LOW_FIQ:
		el2_fiq();
		return;
	}
	unexpected("EL2", vector, read_sysreg(esr_el2), f->elr);
}

/* ---------------------------------------------------------------------- */
/* EL1: the checks */

static u64 hv(u64 service, u64 arg)
{
	register u64 x0 asm("x0") = service;
	register u64 x1 asm("x1") = arg;

	asm volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "memory");
	return x0;
}

/* A bound, not a delay: what is awaited comes at once in QEMU. */
static bool await_change(volatile u64 *count, u64 from)
{
	unsigned int n;

	for (n = 0; n < SPIN_BOUND && *count == from; n++)
		cpu_relax();
	return *count != from;
}

static bool kick_pending(void)
{
	return readl(GICR_SGI + GICR_ISPENDR0) & BIT(KICK_SGI);
}

/* FMO makes EL1's PMR virtual: it lands in ICH_VMCR_EL2.VPMR and masks nothing. */
static void check_pmr(void)
{
	u64 before = hv(SVC_READ, REG_PMR), vpmr, pmr;

	write_sysreg(0x40, ICC_PMR_EL1);
	isb();
	vpmr = (hv(SVC_READ, REG_VMCR) >> ICH_VMCR_VPMR_SHIFT) & 0xff;
	pmr = hv(SVC_READ, REG_PMR);
	report(vpmr == 0x40 && pmr == before, "EL1's ICC_PMR_EL1 is virtual (FMO=1)",
	       "EL1 wrote 0x40: expected ICH_VMCR_EL2.VPMR 0x40 and physical PMR still 0x%llx, seen 0x%llx and 0x%llx",
	       before, vpmr, pmr);
	write_sysreg(0xff, ICC_PMR_EL1);
}

static void sgi_write(unsigned int op2, u64 v)
{
	if (op2 == 5)
		write_sysreg(v, ICC_SGI1R_EL1);
	else if (op2 == 6)
		write_sysreg(v, ICC_ASGI1R_EL1);
	else
		write_sysreg(v, ICC_SGI0R_EL1);
	isb();
}

/* The SGI registers (S3_0_C12_C11_5/6/7) trap with FMO or IMO set: EC 0x18. */
static void check_sgi_traps(void)
{
	static const char *const names[] = { "ICC_SGI1R_EL1", "ICC_ASGI1R_EL1", "ICC_SGI0R_EL1" };
	const u64 iss_rt = 0x1fULL << 5, iss_mask = (1ULL << ESR_ISS_LEN) - 1;
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(names); i++) {
		u64 op2 = 5 + i, traps = seen.sysreg_traps, esr, want, ec;
		char what[64];

		/* Op0 3, Op2, Op1 0, CRn 12, CRm 11, a write (the Rt field aside) */
		want = 3ULL << 20 | op2 << 17 | 12ULL << 10 | 11ULL << 1;
		sgi_write(op2, 1ULL << 24 | 1);		/* SGI 1 to this CPU */
		esr = seen.sysreg_esr;
		ec = esr >> ESR_EC_OFF;
		snprintf(what, sizeof(what), "EL1 writing %s traps to EL2", names[i]);
		report(seen.sysreg_traps == traps + 1 && ec == ESR_EC_SYS64 &&
		       (esr & iss_mask & ~iss_rt) == want, what,
		       "expected 1 trap, EC 0x18, ISS 0x%llx (Rt aside); seen %llu, EC 0x%llx, ISS 0x%llx",
		       want, seen.sysreg_traps - traps, ec, esr & iss_mask & ~iss_rt);
	}
}

/* The kick is a FIQ at EL2: EL1's DAIF and (virtual) PMR do not mask it. */
static void check_kick(u64 pmr, const char *what)
{
	u64 kicks = seen.kicks;
	bool taken;

	asm volatile("msr daifset, #0xf" : : : "memory");	/* D, A, I and F */
	write_sysreg(pmr, ICC_PMR_EL1);
	isb();
	hv(SVC_KICK, 0);
	taken = await_change(&seen.kicks, kicks);
	report(taken && seen.fiq_intid == KICK_SGI, what,
	       "expected a FIQ at EL2 with INTID 15, seen %llu (last INTID %llu)%s",
	       seen.kicks - kicks, seen.fiq_intid,
	       kick_pending() ? ", the kick still pending" : "");
	write_sysreg(0xff, ICC_PMR_EL1);
	isb();
}

static void check_kick_masked(void)
{
	check_kick(0xff, "the kick is taken at EL2 as a FIQ while EL1 masks DAIF");
	check_kick(0, "the kick is taken at EL2 while EL1 masks DAIF and writes PMR 0");
}

/* IMO clear: AP1R0 is physical; bit 0 raises the running priority to 0x00, the kick's. */
static void check_ap1r0(void)
{
	u64 kicks = seen.kicks, ap, rpr;
	bool taken, pending;

	write_sysreg(1, ICC_AP1R0_EL1);
	isb();
	ap = hv(SVC_READ, REG_AP1R0);
	rpr = hv(SVC_READ, REG_RPR) & 0xff;
	hv(SVC_KICK, 0);
	taken = await_change(&seen.kicks, kicks);
	pending = kick_pending();
	report(ap == 1 && rpr == 0 && !taken && pending,
	       "EL1 writing ICC_AP1R0_EL1 = 1 blocks the kick",
	       "expected physical AP1R0 0x1, RPR 0x00, no FIQ, the kick pending; seen AP1R0 0x%llx, RPR 0x%02llx, %llu FIQ, %s",
	       ap, rpr, seen.kicks - kicks, pending ? "pending" : "not pending");

	write_sysreg(0, ICC_AP1R0_EL1);
	isb();
	taken = await_change(&seen.kicks, kicks);
	report(taken, "EL1 clearing ICC_AP1R0_EL1 lets the blocked kick in",
	       "expected a FIQ at EL2, seen %llu", seen.kicks - kicks);
}

/*
 * With the kick blocked, a wait could never end: a WFI wakes only for a
 * signalled interrupt, and ISR_EL1.F says none is. So the wait itself is
 * not tried (it would hang); direct-strict traps it (TWI) and must see
 * RPR 0x00 then, which is what this checks.
 */
static void check_wfi_blocked(void)
{
	u64 traps = seen.wfi_traps, kicks = seen.kicks;

	hv(SVC_ROUTE, ROUTE_DIRECT | ROUTE_TWI);
	hv(SVC_WFI, WFI_INSPECT);
	write_sysreg(1, ICC_AP1R0_EL1);
	isb();
	hv(SVC_KICK, 0);
	asm volatile("dsb sy\n\twfi" : : : "memory");
	report(seen.wfi_traps == traps + 1 && seen.wfi_rpr == 0 && seen.wfi_pending &&
	       !(seen.wfi_isr & ISR_F) && (seen.wfi_isr_open & ISR_F),
	       "a WFI at EL1 with the kick blocked traps with RPR 0x00 and no FIQ signalled",
	       "expected 1 WFI trap, physical RPR 0x00, the kick pending, ISR_EL1.F 0 (1 while EL2 clears AP1R0); seen %llu, RPR 0x%02llx, %s, F %u (%u)",
	       seen.wfi_traps - traps, seen.wfi_rpr, seen.wfi_pending ? "pending" : "not pending",
	       !!(seen.wfi_isr & ISR_F), !!(seen.wfi_isr_open & ISR_F));
	write_sysreg(0, ICC_AP1R0_EL1);
	isb();
	await_change(&seen.kicks, kicks);
}

/* direct-strict's handler waits at EL2 for the cell's interrupts, which target EL1. */
static void check_wfi_el2_wakes(void)
{
	u64 traps = seen.wfi_traps;

	hv(SVC_ROUTE, ROUTE_DIRECT | ROUTE_TWI);
	hv(SVC_WFI, WFI_WAIT);
	write_sysreg(read_sysreg(cntpct_el0) + WAKE_TICKS, cntp_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntp_ctl_el0);
	isb();
	asm volatile("dsb sy\n\twfi" : : : "memory");
	write_sysreg(0, cntp_ctl_el0);
	isb();
	report(seen.wfi_traps == traps + 1 && seen.wake_timer && !seen.wake_watchdog &&
	       (seen.wake_isr & ISR_I),
	       "a WFI at EL2 wakes for a Group 1 interrupt routed to EL1 (IMO=0)",
	       "expected 1 WFI trap, EL2's wait ended by EL1's timer (ISR_EL1.I 1) before EL2's watchdog; seen %llu, timer %s, I %u, watchdog %s",
	       seen.wfi_traps - traps, seen.wake_timer ? "fired" : "not fired",
	       !!(seen.wake_isr & ISR_I), seen.wake_watchdog ? "fired" : "not fired");
}

/* EOImode 0, IMO clear: EL1's EOIR1 is physical and deactivates what it names. */
static void check_eoi_foreign(void)
{
	u64 isactiver = GICD_BASE + GICD_ISACTIVER + 4 * (FOREIGN_SPI / 32);
	u32 spi = BIT(FOREIGN_SPI % 32), iar;
	bool spi_active, own_active;

	writel(spi, isactiver);
	dsb(sy);
	hv(SVC_SGI1, OWN_SGI);
	iar = read_sysreg(ICC_IAR1_EL1) & INTID_MASK;	/* IRQs masked: acknowledged by hand */
	write_sysreg(FOREIGN_SPI, ICC_EOIR1_EL1);
	isb();
	spi_active = readl(isactiver) & spi;
	own_active = readl(GICR_SGI + GICR_ISACTIVER0) & BIT(OWN_SGI);
	report(iar == OWN_SGI && !spi_active,
	       "EL1's ICC_EOIR1_EL1 (EOImode 0) deactivates another partition's active SPI",
	       "EL1 acknowledged SGI 3 and wrote EOIR1 40: expected IAR1 3, SPI 40 inactive; seen IAR1 %u, SPI 40 %s (SGI 3 %s)",
	       iar, spi_active ? "active" : "inactive", own_active ? "active" : "inactive");
}

void probe_el1_trap(struct frame *f, u64 vector)
{
	u32 intid;

	if (vector != VEC_CUR_IRQ)
		unexpected("EL1", vector, read_sysreg(esr_el1), f->elr);
	intid = read_sysreg(ICC_IAR1_EL1) & INTID_MASK;
	if (intid >= GIC_MAX_INTID)
		return;
	if (intid == TIMER_PPI_PHYS) {
		el1_timer_latency = f->stamp - read_sysreg(cntp_cval_el0);
		el1_timer_irqs++;
		write_sysreg(0, cntp_ctl_el0);
	}
	write_sysreg(intid, ICC_EOIR1_EL1);
	isb();
}

struct latency {
	u64 min, max;
	unsigned int missed;
};

/* One timer interrupt waited for at EL1: its latency, or false after the watchdog. */
static bool timer_irq_once(u64 *latency)
{
	u64 irqs = el1_timer_irqs, give_up = read_sysreg(cntpct_el0) + WATCHDOG_TICKS / 2;

	hv(SVC_WATCHDOG, WATCHDOG_TICKS);
	write_sysreg(read_sysreg(cntpct_el0) + WAKE_TICKS, cntp_cval_el0);
	write_sysreg(CNT_CTL_ENABLE, cntp_ctl_el0);
	isb();
	local_irq_enable();
	while (el1_timer_irqs == irqs && (s64)(read_sysreg(cntpct_el0) - give_up) < 0)
		asm volatile("wfi");
	local_irq_disable();
	hv(SVC_WATCHDOG, 0);
	write_sysreg(0, cntp_ctl_el0);
	isb();
	*latency = el1_timer_latency;
	return el1_timer_irqs != irqs;
}

static void timer_latency(u64 route, struct latency *l)
{
	unsigned int i;
	u64 t;

	hv(SVC_ROUTE, route);
	l->min = ~0ULL;
	l->max = 0;
	l->missed = 0;
	for (i = 0; i < LATENCY_WARMUP + LATENCY_RUNS; i++) {
		if (!timer_irq_once(&t)) {
			l->missed++;
			continue;
		}
		if (i < LATENCY_WARMUP)
			continue;
		l->min = t < l->min ? t : l->min;
		l->max = t > l->max ? t : l->max;
	}
	if (l->min > l->max)
		l->min = 0;		/* no figure */
}

/*
 * Counter ticks from the timer's deadline to EL1's vector; under -icount
 * shift=4 with the 62.5 MHz counter, a tick is an instruction. IMO=FMO=0
 * is EL1 as without a hypervisor's routing (root's CPUs run so).
 */
static void check_latency(void)
{
	struct latency direct, plain;

	timer_latency(ROUTE_DIRECT, &direct);
	timer_latency(0, &plain);
	report(!direct.missed && !plain.missed && direct.max <= plain.max,
	       "EL1's timer interrupt is as fast direct (FMO=1, IMO=0) as with IMO=FMO=0",
	       "expected every interrupt and direct no slower; counter ticks at the vector (%u runs): direct min %llu max %llu (%u missed), IMO=FMO=0 min %llu max %llu (%u missed)",
	       LATENCY_RUNS, direct.min, direct.max, direct.missed, plain.min, plain.max,
	       plain.missed);
}

static void (*const checks[])(void) = {
	check_pmr,
	check_sgi_traps,
	check_kick_masked,
	check_ap1r0,
	check_wfi_blocked,
	check_wfi_el2_wakes,
	check_eoi_foreign,
	check_latency,
};

static void el1_main(void)
{
	unsigned int i;

	for (i = 0; i < ARRAY_SIZE(checks); i++) {
		checks[i]();
		write_sysreg(0xff, ICC_PMR_EL1);
		hv(SVC_RESET, 0);
	}
	hv(SVC_DONE, 0);
}

/* ---------------------------------------------------------------------- */

void __noreturn probe_main(void)
{
	u64 el = (read_sysreg(CurrentEL) >> 2) & 3;
	u32 ctlr;

	printf("gic-probe: QEMU's GICv3 as direct delivery has it\n");
	report(el == 2, "QEMU enters the probe at EL2",
	       "expected EL2 (-M virt,virtualization=on), seen EL%llu", el);
	if (el != 2)
		finish();
	read_arguments();
	if (mutation != BREAK_NONE)
		printf("gic-probe: --break=%s: EL2 set up wrongly on purpose, checks must fail\n",
		       mutation_names[mutation]);
	gic_setup();
	ctlr = readl(GICD_BASE + GICD_CTLR);
	report(ctlr & GICD_CTLR_DS, "the GIC has one security state (GICD_CTLR.DS, no EL3)",
	       "expected DS 1, seen GICD_CTLR 0x%x", ctlr);
	write_sysreg(hcr_for(ROUTE_DIRECT), hcr_el2);
	isb();
	enter_el1(el1_main);
}
