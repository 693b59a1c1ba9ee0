/* SPDX-License-Identifier: MIT */
/*
 * The inmate library: everything a bare-metal program in a Warden cell
 * needs, in one header. See docs/inmates.md.
 *
 * Built with -DINMATE_BARE (inmates/Makefile, build/inmates/bare/) the same
 * library runs on bare metal, QEMU virt without EL2: linked at 0x40000000
 * (lib/inmate-bare.lds), console on the PL011, a comm page nobody else
 * sees, PSCI through HVC. Used to measure the hypervisor's cost
 * (tests/bench/).
 *
 * The cell's first CPU enters at _start (lib/head.S) at EL1h with the MMU
 * and caches off and every exception masked. _start sets up the stack, the
 * exception vectors and bss, then calls the program's inmate_main(); when it
 * returns, the cell powers itself off (PSCI SYSTEM_OFF).
 *
 * With the MMU off every data access is Device-nGnRnE: no unaligned
 * accesses (the library is built with -mstrict-align), no exclusives or
 * atomics, and no FP/SIMD (-mgeneral-regs-only).
 *
 * Modules:
 *   console    the cell's virtual console (WARDEN_HC_CONSOLE_WRITE), printf
 *   timer      the generic timer's virtual counter: delays and deadlines
 *   comm       the communication page: id, heartbeat, shutdown requests
 *   psci       PSCI through SMC: CPU_ON/OFF, SYSTEM_OFF/RESET
 *   exceptions the EL1 vector table; IRQs go to inmate_irq()
 *   gic        the GICv3 or GICv2 as a cell sees it: CPU interface
 *              (ICC_*_EL1 or the memory-mapped GICC, the virtual interface
 *              in a cell), this CPU's redistributor (GICv3), the (emulated)
 *              distributor for the cell's SPIs; defines inmate_irq():
 *              acknowledge, dispatch, end
 */
#ifndef __INMATE_H__
#define __INMATE_H__

#include <types.h>
#include <stdarg.h>
#include <warden/hypercall.h>

/* Compiler */
#define __noreturn	__attribute__((noreturn))
#define __weak		__attribute__((weak))
#define __aligned(n)	__attribute__((aligned(n)))
#define __printf(a, b)	__attribute__((format(printf, a, b)))
#define __used		__attribute__((used))
#define ARRAY_SIZE(a)	(sizeof(a) / sizeof((a)[0]))
#define BIT(n)		(1ULL << (n))
#define READ_ONCE(x)	(*(const volatile __typeof__(x) *)&(x))
#define WRITE_ONCE(x, v) (*(volatile __typeof__(x) *)&(x) = (v))
#define __stringify_1(x) #x
#define __stringify(x)	__stringify_1(x)

/*
 * The program's name, used as the prefix of the library's own messages.
 * A program defines it (`const char inmate_name[] = "hello";`); the
 * library's weak default is "inmate".
 */
extern const char inmate_name[];

/* The program: called on the first CPU; its return ends the cell. */
int inmate_main(void);

/* Architecture */
#define read_sysreg(r) ({ u64 __v; asm volatile("mrs %0, " #r : "=r"(__v)); __v; })
#define write_sysreg(v, r) asm volatile("msr " #r ", %0" : : "r"((u64)(v)) : "memory")
#define isb()		asm volatile("isb" : : : "memory")
#define dsb(opt)	asm volatile("dsb " #opt : : : "memory")
#define dmb(opt)	asm volatile("dmb " #opt : : : "memory")
#define cpu_relax()	asm volatile("yield" : : : "memory")

#define MPIDR_AFF_MASK	0xff00ffffffULL

/* This CPU's affinity (MPIDR_EL1 without the flag bits), as PSCI names CPUs. */
static inline u64 cpu_mpidr(void)
{
	return read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
}

/* This CPU's number: Aff0 of MPIDR_EL1 (the reference machine's CPU number). */
static inline unsigned int cpu_id(void)
{
	return read_sysreg(mpidr_el1) & 0xff;
}

/*
 * Memory-mapped I/O (and deliberate accesses to addresses not the cell's).
 * Each is one load or store with a plain base register, never a pair, an
 * offset form with writeback or post-increment, which is what the compiler
 * makes of a volatile pointer in a loop: for those the hardware gives the
 * hypervisor no syndrome (ESR_EL2.ISV is 0), so it cannot emulate the
 * access (the distributor, the redistributors) and fails the cell.
 */
static inline u8 readb(u64 addr)
{
	u32 v;

	asm volatile("ldrb %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return (u8)v;
}

static inline void writeb(u8 v, u64 addr)
{
	asm volatile("strb %w0, [%1]" : : "rZ"((u32)v), "r"(addr) : "memory");
}

static inline u32 readl(u64 addr)
{
	u32 v;

	asm volatile("ldr %w0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void writel(u32 v, u64 addr)
{
	asm volatile("str %w0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

static inline u64 readq(u64 addr)
{
	u64 v;

	asm volatile("ldr %0, [%1]" : "=r"(v) : "r"(addr) : "memory");
	return v;
}

static inline void writeq(u64 v, u64 addr)
{
	asm volatile("str %x0, [%1]" : : "rZ"(v), "r"(addr) : "memory");
}

/*
 * Hypercalls: `hvc #WARDEN_HVC_IMM`, code in x0, arguments in x1-x3, result
 * in x0 (>= 0, or a negative errno). The hypervisor preserves every other
 * register.
 */
static inline long warden_hypercall(u64 code, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = code;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile("hvc #" __stringify(WARDEN_HVC_IMM)
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : : "memory");
	return (long)x0;
}

/* console.c: the virtual console; lines end up in the journal via celld */
long console_write(const void *buf, size_t len);
long console_puts(const char *s);

/* printf.c: %d %i %u %x %X %p %s %c %%, l/ll/z/h, width (or *), flags 0 - #, .prec for %s */
__printf(1, 2) int printf(const char *fmt, ...);
int vprintf(const char *fmt, va_list ap);
__printf(3, 4) int snprintf(char *buf, size_t size, const char *fmt, ...);
int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap);

/* string.c */
void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
void *memmove(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strnlen(const char *s, size_t max);
int strcmp(const char *a, const char *b);

/*
 * timer.c: the virtual counter CNTVCT_EL0 at CNTFRQ_EL0 Hz. Delays
 * busy-wait. Conversions do not overflow for any 64-bit input.
 */
u64 timer_counter(void);
u64 timer_frequency(void);
u64 timer_ticks_to_us(u64 ticks);
u64 timer_ticks_to_ns(u64 ticks);
u64 timer_us_to_ticks(u64 us);
u64 uptime_us(void);			/* since _start */
void udelay(u64 us);
void mdelay(u64 ms);

/* A counter value @us from now; timer_passed() tells when it is reached. */
static inline u64 timer_deadline_us(u64 us)
{
	return timer_counter() + timer_us_to_ticks(us);
}

static inline bool timer_passed(u64 deadline)
{
	return (s64)(timer_counter() - deadline) >= 0;
}

/*
 * Timer interrupts: the EL1 physical timer (CNTP_*_EL0), which compares
 * CNTP_CVAL_EL0 with the physical counter CNTPCT_EL0 and raises PPI 30
 * (TIMER_PPI_PHYS) while the counter is at or past it; the line stays up
 * until the timer is re-armed later or disarmed. Enable the PPI with
 * gic_enable_irq() and unmask IRQs (local_irq_enable()). The virtual timer
 * (CNTV_*, PPI 27) works the same way on CNTVCT_EL0.
 */
#define TIMER_PPI_VIRT		27
#define TIMER_PPI_PHYS		30

u64 timer_phys_counter(void);		/* CNTPCT_EL0 (after an isb) */
void timer_irq_arm(u64 cval);		/* fire when CNTPCT_EL0 >= @cval */
u64 timer_irq_arm_us(u64 us);		/* @us from now; returns the CVAL */
void timer_irq_disarm(void);
bool timer_irq_fired(void);		/* CNTP_CTL_EL0.ISTATUS */

/*
 * comm.c: the communication page at WARDEN_COMM_PAGE_IPA. The hypervisor
 * posts shutdown requests in it without an interrupt, so a program polls
 * comm_shutdown_requested() in its main loop.
 */
#ifndef INMATE_BARE
#define comm_page	((volatile struct warden_comm_page *)(uintptr_t)WARDEN_COMM_PAGE_IPA)
#else
/* Bare metal: nobody writes to it; comm_reply() and comm_lock() return -ENOSYS. */
extern struct warden_comm_page inmate_bare_comm_page;
#define comm_page	((volatile struct warden_comm_page *)&inmate_bare_comm_page)
#endif

u32 comm_cell_id(void);
u64 comm_cpu_set(void);
u64 comm_heartbeat(void);		/* increments the heartbeat, returns it */
bool comm_shutdown_requested(void);
/*
 * Answer the pending request. Approving stops the cell: the call returns
 * only if the hypervisor refused the answer (the error). Denying returns 0.
 */
long comm_reply(bool approve);
/* If a shutdown request is pending: print "<name>: <why>" and approve it. */
void comm_poll_shutdown(const char *why);
/* Lock (true) or unlock root's reconfiguration: no cell create/shutdown/destroy. */
long comm_lock(bool lock);

/*
 * psci.c: PSCI through `smc #0` (SMCCC). The hypervisor emulates it for the
 * cell's own CPUs. Results are PSCI_* (an int: the call's W0).
 */
#define PSCI_VERSION		0x84000000
#define PSCI_CPU_OFF		0x84000002
#define PSCI_CPU_ON_64		0xc4000003
#define PSCI_SYSTEM_OFF		0x84000008
#define PSCI_SYSTEM_RESET	0x84000009
#define SMCCC_VERSION		0x80000000

#define PSCI_SUCCESS		0
#define PSCI_NOT_SUPPORTED	(-1)
#define PSCI_INVALID_PARAMS	(-2)
#define PSCI_DENIED		(-3)
#define PSCI_ALREADY_ON		(-4)
#define PSCI_ON_PENDING		(-5)
#define PSCI_INTERNAL_FAILURE	(-6)
#define PSCI_NOT_PRESENT	(-7)
#define PSCI_DISABLED		(-8)
#define PSCI_INVALID_ADDRESS	(-9)

/*
 * An SMCCC call: function id in x0, arguments x1-x3; x0 back (x4-x17 may be
 * lost). Bare metal (INMATE_BARE) uses `hvc #0`: QEMU virt without EL2
 * and EL3 implements PSCI on HVC, and SMC is undefined there.
 */
#ifndef INMATE_BARE
#define SMCCC_CONDUIT	"smc #0"
#else
#define SMCCC_CONDUIT	"hvc #0"
#endif

static inline u64 smc_call(u64 fn, u64 a1, u64 a2, u64 a3)
{
	register u64 x0 asm("x0") = fn;
	register u64 x1 asm("x1") = a1;
	register u64 x2 asm("x2") = a2;
	register u64 x3 asm("x3") = a3;

	asm volatile(SMCCC_CONDUIT
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3) : :
		     "x4", "x5", "x6", "x7", "x8", "x9", "x10", "x11", "x12",
		     "x13", "x14", "x15", "x16", "x17", "memory");
	return x0;
}

int psci_version(void);
int psci_cpu_on(u64 mpidr, u64 entry, u64 context);
int psci_cpu_off(void);
int psci_system_off(void);
int psci_system_reset(void);
const char *psci_strerror(int ret);

/*
 * cpu.c: start another of the cell's CPUs (PSCI CPU_ON): @fn(@arg) runs on
 * it with its own stack (INMATE_MAX_CPUS, indexed by Aff0); when @fn
 * returns, the CPU turns itself off. Returns the PSCI result.
 */
#define INMATE_MAX_CPUS		8
#define INMATE_CPU_STACK_SIZE	4096
int cpu_start(u64 mpidr, void (*fn)(void *arg), void *arg);

/*
 * exception.c: the EL1 vector table (lib/head.S) saves this frame and calls
 * inmate_exception(). Synchronous exceptions and SErrors are reported on
 * the console ("last words") and end the cell. IRQs go to inmate_irq(),
 * whose default reports and ends the cell too; when it returns, the
 * interrupted code resumes. This is where the GIC module plugs in.
 */
struct exception_frame {
	u64 x[31];
	u64 elr;
	u64 spsr;
	u64 esr;
	u64 far;
	u64 pad;
};

void inmate_irq(struct exception_frame *f);	/* weak in the library; gic.c defines it */
/* Report a fatal condition and end the cell (SYSTEM_OFF; then park). */
__printf(1, 2) void __noreturn inmate_panic(const char *fmt, ...);
/* End the cell: SYSTEM_OFF; should that return, park, approving shutdown requests. */
void __noreturn inmate_halt(void);

/* IRQ masking at EL1 (PSTATE.I); FIQs, SErrors and debug stay masked. */
static inline void local_irq_enable(void)
{
	asm volatile("msr daifclr, #2" : : : "memory");
}

static inline void local_irq_disable(void)
{
	asm volatile("msr daifset, #2" : : : "memory");
}

/* Wait for an interrupt; wakes on a pending one even with IRQs masked. */
static inline void wfi(void)
{
	asm volatile("dsb sy\n\twfi" : : : "memory");
}

/*
 * gic.c: GICv3 or GICv2, which gic_init() finds out from the distributor's
 * architecture revision (GICD_PIDR2[7:4], at 0xfe8 on GICv2, 0xffe8 on
 * GICv3). Linking gic.o (any call below) replaces the weak inmate_irq()
 * with the dispatcher.
 *
 * GICv3 (QEMU virt: distributor 0x08000000, redistributors from
 * 0x080a0000, one 128 KiB frame per CPU, CPU n's at GICR_BASE + n *
 * GICR_STRIDE). In a cell the ICC_*_EL1 registers reach the virtual CPU
 * interface, the cell's own CPUs' redistributor frames are mapped, and the
 * distributor is emulated for the SPIs the cell owns (its description's
 * `irqs`): touching anything else fails the cell.
 *
 * GICv2 (QEMU virt,gic-version=2: distributor 0x08000000, 4 KiB; CPU
 * interface 0x08010000, 8 KiB). In a cell the hypervisor maps the virtual
 * CPU interface (GICV) at GICC_BASE, so the same accesses reach it; the
 * distributor is emulated for the cell's SPIs and for the banked
 * registers of the accessing CPU's SGIs and PPIs (the first words of
 * ISENABLER, ICENABLER, ISPENDR, ..., IPRIORITYR 0-31, ICFGR1). SPIs are
 * routed by CPU interface number (GICD_ITARGETSR, a byte per interrupt)
 * and SGIs are sent with GICD_SGIR; both fail the cell when they name a
 * CPU that is not its own.
 *
 * Each CPU that takes interrupts calls gic_init() once, then enables its
 * interrupts and unmasks IRQs. Handlers run with IRQs masked, one at a
 * time per CPU; the interrupt is ended (ICC_EOIR1_EL1 or GICC_EOIR, EOImode
 * 0: priority drop and deactivation) when the handler returns, so a
 * level-sensitive source must be quietened first (re-arm or disarm a
 * timer).
 */
#define GICD_BASE		0x08000000ULL	/* distributor, both versions */
#define GICR_BASE		0x080a0000ULL	/* GICv3: CPU 0's redistributor frame */
#define GICR_STRIDE		0x20000ULL	/* GICv3: RD_base and SGI_base, 64 KiB each */
#define GICR_SGI_OFFSET		0x10000ULL	/* GICv3: SGI_base: SGI/PPI registers */
#define GICC_BASE		0x08010000ULL	/* GICv2: CPU interface (GICV in a cell) */
#define GICC_SIZE		0x2000ULL	/* GICv2: GICC_DIR is at 0x1000 */

#define GIC_MAX_INTID		1020		/* 1020-1023 are special */
#define GIC_FIRST_SPI		32
#define GIC_PRIO_DEFAULT	0xa0		/* what Linux uses */

typedef void (*irq_handler_t)(unsigned int intid, void *data);

/*
 * This CPU, on the first call also finding the GIC's version (panics on
 * neither 2 nor 3) and turning on the distributor if nobody did it (bare
 * metal). GICv3: system register interface (ICC_SRE_EL1.SRE), priority
 * mask 0xff, EOImode 0, group 1 on; its redistributor awake, SGIs and PPIs
 * in group 1 at GIC_PRIO_DEFAULT; affinity routing and group 1 on in the
 * distributor. Panics if the redistributor frame found does not belong to
 * this CPU. GICv2: records this CPU's interface number (the banked
 * GICD_ITARGETSR0) for gic_send_sgi(), SGIs and PPIs at GIC_PRIO_DEFAULT
 * (their group left alone), GICC_PMR 0xff, GICC_CTLR enabled with EOImode
 * 0; the distributor's Enable. Returns 0.
 */
int gic_init(void);
/*
 * 3 or 2: the GIC's version, found out on the first call (here or in
 * gic_init()) from the distributor's two reads of GICD_PIDR2, which change
 * nothing. Panics on any other.
 */
unsigned int gic_version(void);
/* Call @fn(intid, @data) for @intid (on any CPU); NULL removes it. 0, or -1 for a bad INTID. */
int gic_set_handler(unsigned int intid, irq_handler_t fn, void *data);
/*
 * Enable @intid: an SGI or PPI in this CPU's redistributor (GICv3: group
 * 1) or banked distributor registers (GICv2), at the default priority; an
 * SPI in the distributor (priority, routed to this CPU: GICD_IROUTER or
 * GICD_ITARGETSR, enabled; it must be the cell's). 0, or -1 for a bad
 * INTID.
 */
int gic_enable_irq(unsigned int intid);
int gic_disable_irq(unsigned int intid);
/* Set @intid's priority (after gic_enable_irq(), which sets the default); lower is more urgent. */
int gic_set_priority(unsigned int intid, u8 prio);
/*
 * SGI @sgi (0-15) to the CPU with affinity @mpidr: the cell's own CPUs
 * only. GICv3: ICC_SGI1R_EL1. GICv2: GICD_SGIR with the target's CPU
 * interface, which the target recorded in its gic_init(): -1 when it has
 * not called it yet (or @sgi is out of range), 0 otherwise.
 */
int gic_send_sgi(u64 mpidr, unsigned int sgi);
/* GICv3: this CPU's redistributor frame (RD_base), as gic_init() found it; GICv2: 0. */
u64 gic_redist_base(void);
/* Interrupts handled and spurious acknowledges on this CPU since _start. */
u64 gic_irq_count(void);
u64 gic_spurious_count(void);
/* Print this CPU's CPU interface and SGI/PPI state (when interrupts do not come). */
void gic_print_state(void);

#endif /* __INMATE_H__ */
