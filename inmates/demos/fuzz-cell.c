// SPDX-License-Identifier: MIT
/*
 * fuzz-cell: throws random operations at the hypervisor from inside a cell,
 * on each of its CPUs, until the cell fails, stops, or has done its share
 * (tests/vm/cases/hv-fuzz.sh restarts it, with a new seed, again and again):
 *
 *   hvc    `hvc #0x5744` with a code from the hypercall range (or anything)
 *          and random x1-x5; `hvc #imm` with other immediates
 *   smc    `smc #imm`, function IDs from PSCI, SMCCC and the other service
 *          ranges (or anything), random arguments: CPU_ON of any MPIDR at
 *          any entry, AFFINITY_INFO, SYSTEM_OFF...
 *   sysreg MRS/MSR of known EL0/EL1/EL2/EL3, GIC CPU interface, timer, PMU
 *          and debug registers and random encodings, SYS instructions (cache,
 *          TLB, address translation); an MSR writes a random value, a
 *          pattern, or the register's own value with one bit flipped
 *   gic    loads and stores of width 1, 2, 4 or 8, aligned or not, at known
 *          and random offsets of the distributor and of any CPU's
 *          redistributor frame, in every addressing form (immediate,
 *          unscaled, register offset, pre/post-index, pairs, FP/SIMD)
 *   mem    the same at addresses the cell does not own (root's RAM, the
 *          hypervisor's, another cell's, devices, the comm page and past it)
 *
 * Instructions are generated into a per-CPU page at run time (D-cache
 * cleaned to the point of unification, I-cache invalidated, as the
 * architecture requires), followed by `ret`, and called with x0-x5 loaded.
 * The cell installs its own EL1 vectors: a synchronous exception raised by
 * the generated instruction (undefined, an alignment fault, an FP trap)
 * skips it; a debug exception masks PSTATE.D; an IRQ, FIQ or SError masks
 * itself. So only what the hypervisor does ends a run: a fault it records
 * (the expected end for many operations), SYSTEM_OFF/RESET, or the cell
 * powering off after `ops` operations.
 *
 * What is left out, because it would only wreck the cell without reaching
 * the hypervisor: writes to SPSel and VBAR_EL1, SCTLR_EL1's M (the MMU) and
 * EE (endianness) bits, and cache or DC ZVA operations and plain stores on
 * the cell's own RAM.
 *
 * Parameters: a line of text that root loads at PARAMS_IPA before the
 * start, `FUZZ seed=HEX ops=N cpus=N verbose=N hazard=P stream=N
 * weights=H,S,R,G,M`; without it the seed comes from the counter. Each
 * CPU's generator is seeded from the seed and the CPU's position in the
 * cell (plus stream), so a run replays from its seed (exactly with cpus=1;
 * cpus=1 stream=1 replays what the second CPU did, alone). The heartbeat in the communication page
 * counts the operations done by all CPUs: after a failure root reads it
 * (`warden cell stats`) to know how far the run went. verbose=1 prints
 * each operation before it is made.
 */
#include <inmate.h>

const char inmate_name[] = "fuzz-cell";

#define PARAMS_IPA	0xff000ULL	/* last page of the cell's 1 MiB */
#define CELL_RAM_SIZE	0x100000ULL
#define DEFAULT_OPS	20000

/* The reference machine */
#define GICD		0x08000000ULL
#define GICR		0x080a0000ULL
#define GICR_FRAME	0x20000ULL
#define OWN_SPI		170		/* cells.d/fuzz-cell.yaml */

#define PSR_D		BIT(9)
#define PSR_A		BIT(8)
#define PSR_I		BIT(7)
#define PSR_F		BIT(6)

#define INSN_RET	0xd65f03c0U

enum op_class { OP_HVC, OP_SMC, OP_SYSREG, OP_GIC, OP_MEM, OP_CLASSES };
static const char *const class_name[OP_CLASSES] = { "hvc", "smc", "sysreg", "gic", "mem" };

struct params {
	u64 seed;
	u64 ops;
	u32 cpus;
	u32 verbose;
	u32 hazard;		/* percent: how often a choice may end the cell */
	u32 stream;		/* first stream: the first CPU draws stream N's numbers */
	u32 weights[OP_CLASSES];
};

/* x0-x5 in, x0-x3 out (fuzz_call) */
struct fuzz_regs {
	u64 x[6];
};

struct cpu_state {
	u64 rng;
	u64 ops;
	u64 by_class[OP_CLASSES];
	u64 el1_sync;		/* exceptions the generated instruction raised at EL1 */
	u64 el1_async;		/* IRQs, FIQs, SErrors taken (and masked) */
	u32 *code;		/* this CPU's page of generated code */
	volatile bool in_op;
	char what[160];		/* the operation, for verbose and for last words */
};

static struct params par;
static struct cpu_state cpus[INMATE_MAX_CPUS];
static u32 code_pages[INMATE_MAX_CPUS][1024] __aligned(4096);
static u64 cell_cpus;
static volatile bool stopping;

extern char fuzz_vectors[];
extern char __inmate_end[];
u64 fuzz_call(struct fuzz_regs *r, const u32 *code);
void fuzz_exception(struct exception_frame *f, unsigned long index);

/*
 * fuzz_call(regs, code): x0-x5 from regs, call code, x0-x3 back into regs.
 * The vectors save a struct exception_frame (36 words) and call
 * fuzz_exception(frame, 4 * group + type), then return to ELR_EL1.
 */
asm(
"	.section .text.fuzz, \"ax\"\n"
"	.global fuzz_call\n"
"fuzz_call:\n"
"	stp	x29, x30, [sp, #-32]!\n"
"	mov	x29, sp\n"
"	str	x0, [sp, #16]\n"
"	mov	x16, x1\n"
"	ldp	x4, x5, [x0, #32]\n"
"	ldp	x2, x3, [x0, #16]\n"
"	ldp	x0, x1, [x0]\n"
"	blr	x16\n"
"	ldr	x16, [sp, #16]\n"
"	stp	x0, x1, [x16]\n"
"	stp	x2, x3, [x16, #16]\n"
"	ldp	x29, x30, [sp], #32\n"
"	ret\n"
"\n"
"	.macro	fuzz_ventry idx\n"
"	.balign	0x80\n"
"	sub	sp, sp, #(36 * 8)\n"
"	stp	x0, x1, [sp]\n"
"	mov	x1, #\\idx\n"
"	b	fuzz_vector_common\n"
"	.endm\n"
"\n"
"	.balign	0x800\n"
"	.global	fuzz_vectors\n"
"fuzz_vectors:\n"
"	fuzz_ventry 0\n	fuzz_ventry 1\n	fuzz_ventry 2\n	fuzz_ventry 3\n"
"	fuzz_ventry 4\n	fuzz_ventry 5\n	fuzz_ventry 6\n	fuzz_ventry 7\n"
"	fuzz_ventry 8\n	fuzz_ventry 9\n	fuzz_ventry 10\n	fuzz_ventry 11\n"
"	fuzz_ventry 12\n	fuzz_ventry 13\n	fuzz_ventry 14\n	fuzz_ventry 15\n"
"\n"
"fuzz_vector_common:\n"
"	stp	x2, x3, [sp, #16 * 1]\n"
"	stp	x4, x5, [sp, #16 * 2]\n"
"	stp	x6, x7, [sp, #16 * 3]\n"
"	stp	x8, x9, [sp, #16 * 4]\n"
"	stp	x10, x11, [sp, #16 * 5]\n"
"	stp	x12, x13, [sp, #16 * 6]\n"
"	stp	x14, x15, [sp, #16 * 7]\n"
"	stp	x16, x17, [sp, #16 * 8]\n"
"	stp	x18, x19, [sp, #16 * 9]\n"
"	stp	x20, x21, [sp, #16 * 10]\n"
"	stp	x22, x23, [sp, #16 * 11]\n"
"	stp	x24, x25, [sp, #16 * 12]\n"
"	stp	x26, x27, [sp, #16 * 13]\n"
"	stp	x28, x29, [sp, #16 * 14]\n"
"	mrs	x2, elr_el1\n"
"	stp	x30, x2, [sp, #16 * 15]\n"
"	mrs	x2, spsr_el1\n"
"	mrs	x3, esr_el1\n"
"	stp	x2, x3, [sp, #16 * 16]\n"
"	mrs	x2, far_el1\n"
"	stp	x2, xzr, [sp, #16 * 17]\n"
"	mov	x0, sp\n"
"	bl	fuzz_exception\n"
"	ldp	x30, x2, [sp, #16 * 15]\n"
"	msr	elr_el1, x2\n"
"	ldr	x2, [sp, #16 * 16]\n"
"	msr	spsr_el1, x2\n"
"	ldp	x2, x3, [sp, #16 * 1]\n"
"	ldp	x4, x5, [sp, #16 * 2]\n"
"	ldp	x6, x7, [sp, #16 * 3]\n"
"	ldp	x8, x9, [sp, #16 * 4]\n"
"	ldp	x10, x11, [sp, #16 * 5]\n"
"	ldp	x12, x13, [sp, #16 * 6]\n"
"	ldp	x14, x15, [sp, #16 * 7]\n"
"	ldp	x16, x17, [sp, #16 * 8]\n"
"	ldp	x18, x19, [sp, #16 * 9]\n"
"	ldp	x20, x21, [sp, #16 * 10]\n"
"	ldp	x22, x23, [sp, #16 * 11]\n"
"	ldp	x24, x25, [sp, #16 * 12]\n"
"	ldp	x26, x27, [sp, #16 * 13]\n"
"	ldp	x28, x29, [sp, #16 * 14]\n"
"	ldp	x0, x1, [sp]\n"
"	add	sp, sp, #(36 * 8)\n"
"	eret\n"
"	.previous\n");

/* ---------------------------------------------------------------------- */
/* Random numbers: xorshift64*, one generator per CPU */

static u64 rnd(struct cpu_state *c)
{
	u64 x = c->rng;

	x ^= x >> 12;
	x ^= x << 25;
	x ^= x >> 27;
	c->rng = x;
	return x * 0x2545f4914f6cdd1dULL;
}

static u64 below(struct cpu_state *c, u64 n)
{
	return n ? rnd(c) % n : 0;
}

static bool chance(struct cpu_state *c, u32 percent)
{
	return below(c, 100) < percent;
}

/*
 * Take a choice that likely ends the cell (a refused access, another's
 * CPU, an ending call)? Always in a broad run (hazard 100); rarely in a
 * deep one, which stays longer in what the hypervisor emulates or answers.
 */
static bool risky(struct cpu_state *c)
{
	return chance(c, par.hazard);
}

static u64 splitmix(u64 x)
{
	x += 0x9e3779b97f4a7c15ULL;
	x = (x ^ (x >> 30)) * 0xbf58476d1ce4e5b9ULL;
	x = (x ^ (x >> 27)) * 0x94d049bb133111ebULL;
	return x ^ (x >> 31);
}

#define PICK(c, table)	((table)[below(c, ARRAY_SIZE(table))])

/* A value that often means something: boundaries, bits, the cell's and others' addresses. */
static u64 interesting(struct cpu_state *c)
{
	static const u64 fixed[] = {
		0, 1, 2, 3, 0xff, 0x100, 0x101, 0xfff, 0x1000, 0xffff, 0x10000,
		0x7fffffff, 0x80000000, 0xffffffff, 0x100000000ULL,
		0x7fffffffffffffffULL, 0x8000000000000000ULL, ~0ULL, ~0ULL - 1,
		WARDEN_CONSOLE_WRITE_MAX, WARDEN_CONSOLE_WRITE_MAX + 1,
		CELL_RAM_SIZE - 1, CELL_RAM_SIZE, CELL_RAM_SIZE - 8,
		WARDEN_COMM_PAGE_IPA, WARDEN_COMM_PAGE_IPA + 0xff8, WARDEN_COMM_PAGE_IPA + 0x1000,
		0x40000000, 0x40080000, 0x70000000, 0x70ffffff, 0x71000000, 0x7e800000,
		GICD, GICR, 0x09000000, 0x8000000000ULL, 0xffff000000000000ULL,
	};

	switch (below(c, 6)) {
	case 0:
		return PICK(c, fixed);
	case 1:
		return below(c, 300);
	case 2:
		return BIT(below(c, 64));
	case 3:
		return below(c, CELL_RAM_SIZE);	/* somewhere in the cell's RAM */
	case 4:
		return PICK(c, fixed) + below(c, 16) - 8;
	default:
		return rnd(c);
	}
}

/* ---------------------------------------------------------------------- */
/* Running generated code */

static void describe(struct cpu_state *c, const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(c->what, sizeof(c->what), fmt, ap);
	va_end(ap);
}

/* Clean the new instructions to the point of unification, drop stale ones from the I-cache. */
static void sync_code(const u32 *code, unsigned int n)
{
	u64 a = (uintptr_t)code & ~63ULL, end = (uintptr_t)(code + n);

	for (; a < end; a += 64)
		asm volatile("dc cvau, %0" : : "r"(a) : "memory");
	dsb(ish);
	for (a = (uintptr_t)code & ~63ULL; a < end; a += 64)
		asm volatile("ic ivau, %0" : : "r"(a) : "memory");
	dsb(ish);
	isb();
}

/* Run @n instructions (then `ret`) with @r in x0-x5. */
static void run_code(struct cpu_state *c, const u32 *insns, unsigned int n, struct fuzz_regs *r)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		c->code[i] = insns[i];
	c->code[n] = INSN_RET;
	sync_code(c->code, n + 1);
	if (par.verbose)
		printf("fuzz-cell: CPU %u op %llu: %s\n", cpu_id(), c->ops, c->what);
	c->in_op = true;
	fuzz_call(r, c->code);
	c->in_op = false;
}

static void __noreturn last_words(struct cpu_state *c, const char *why)
{
	stopping = true;
	printf("fuzz-cell: CPU %u: %s after %llu operations (last: %s)\n", cpu_id(), why, c->ops,
	       c->what);
	psci_system_off();
	for (;;)
		wfi();
}

/*
 * An exception at EL1. From the generated instruction: skip it (or, for a
 * debug exception, mask debug and retry it); IRQs, FIQs and SErrors are
 * masked where they were taken. Anything else is the fuzzer's own bug.
 */
void fuzz_exception(struct exception_frame *f, unsigned long index)
{
	struct cpu_state *c = &cpus[cpu_id() % INMATE_MAX_CPUS];
	unsigned int type = index & 3, ec = (f->esr >> 26) & 0x3f;
	u64 code = (uintptr_t)c->code;

	if (type != 0) {
		c->el1_async++;
		f->spsr |= type == 1 ? PSR_I : type == 2 ? PSR_F : PSR_A;
		return;
	}
	if (!c->in_op || index >> 2 != 1 || f->elr < code || f->elr >= code + 4096) {
		printf("fuzz-cell: CPU %u: exception outside an operation: ESR %#llx ELR %#llx FAR %#llx\n",
		       cpu_id(), f->esr, f->elr, f->far);
		last_words(c, "own exception");
	}
	c->el1_sync++;
	switch (ec) {
	case 0x15: case 0x16: case 0x17:	/* SVC/HVC/SMC taken here: ELR is past it */
		break;
	case 0x30: case 0x31: case 0x32: case 0x33: case 0x34: case 0x35:
		f->spsr |= PSR_D;		/* breakpoint, step, watchpoint: retry with debug masked */
		break;
	default:
		f->elr += 4;
	}
}

/* ---------------------------------------------------------------------- */
/* Hypercalls and SMCs */

static const u64 hc_codes[] = {
	WARDEN_HC_GET_VERSION, WARDEN_HC_RESTORE_STUB, WARDEN_HC_INIT, WARDEN_HC_DISABLE,
	WARDEN_HC_GET_INFO, WARDEN_HC_CONSOLE_READ, WARDEN_HC_CELL_CREATE, WARDEN_HC_CELL_LOAD,
	WARDEN_HC_CELL_START, WARDEN_HC_CELL_SHUTDOWN, WARDEN_HC_CELL_DESTROY,
	WARDEN_HC_CELL_GET, WARDEN_HC_CELL_NEXT, WARDEN_HC_CELL_CONSOLE_READ,
	WARDEN_HC_CONSOLE_WRITE, WARDEN_HC_CONSOLE_WRITE, WARDEN_HC_CONSOLE_WRITE,
	WARDEN_HC_CELL_REPLY, WARDEN_HC_CELL_REPLY, WARDEN_HC_CELL_LOCK, WARDEN_HC_CELL_LOCK,
	WARDEN_HC_CELL_LOCK, 14, 31, 35, 63, 64, 0xffffffff, ~0ULL,
};

static void op_hvc(struct cpu_state *c)
{
	struct fuzz_regs r;
	u32 imm = WARDEN_HVC_IMM, insn;
	unsigned int i;

	for (i = 1; i < 6; i++)
		r.x[i] = interesting(c);
	r.x[0] = chance(c, 85) ? PICK(c, hc_codes) : interesting(c);
	if (r.x[0] == WARDEN_HC_CONSOLE_WRITE && chance(c, 50)) {
		r.x[1] = below(c, CELL_RAM_SIZE + 64) - 32;	/* around the cell's RAM */
		r.x[2] = below(c, WARDEN_CONSOLE_WRITE_MAX + 4);
	}
	if (chance(c, 15))
		imm = chance(c, 30) ? 0 : (u32)below(c, 0x10000);
	insn = 0xd4000002U | imm << 5;
	describe(c, "hvc #%#x x0=%#llx x1=%#llx x2=%#llx x3=%#llx x4=%#llx x5=%#llx", imm, r.x[0],
		 r.x[1], r.x[2], r.x[3], r.x[4], r.x[5]);
	run_code(c, &insn, 1, &r);
}

#define PSCI_CPU_SUSPEND_64	0xc4000001ULL
#define PSCI_AFFINITY_INFO_64	0xc4000004ULL
#define PSCI_FEATURES		0x8400000aULL
#define PSCI_CPU_ON_32		0x84000003ULL

static u64 smc_function(struct cpu_state *c)
{
	static const u64 ranges[] = {
		0x80000000, 0x81000000, 0x82000000, 0x83000000, 0x85000000, 0x86000000,
		0xb0000000, 0xb2000000, 0xbf000000, 0xc2000000, 0xc4000000, 0xc6000000,
		0xf2000000, 0x00000000,
	};
	static const u64 psci[] = {
		PSCI_VERSION, PSCI_CPU_SUSPEND_64, 0x84000001, PSCI_CPU_ON_64, PSCI_CPU_ON_32,
		PSCI_AFFINITY_INFO_64, 0x84000004, 0x84000005, 0x84000006, 0xc4000007,
		PSCI_FEATURES, 0x8400000b, 0x8400000c, 0xc400000d, 0xc400000e, 0x8400000f,
		0x84000010, 0xc4000011, 0xc4000012, 0x84000013, 0xc4000014, 0xc4000015,
		SMCCC_VERSION, 0x80000001, 0x80000002, 0x80008000, 0x80007fff, 0x8000ff00,
	};
	/* The calls that end this CPU or the cell: rare, or runs stay short. */
	static const u64 ending[] = {
		PSCI_CPU_OFF, PSCI_SYSTEM_OFF, PSCI_SYSTEM_RESET, 0xc4000012, 0x84000015,
	};

	switch (below(c, 20)) {
	case 0:
		if (risky(c))
			return PICK(c, ending);
		return PICK(c, psci);
	case 1: case 2: case 3: case 4: case 5: case 6: case 7: case 8: case 9: case 10:
		return PICK(c, psci);
	case 11: case 12: case 13: case 14:
		return PICK(c, ranges) | below(c, 0x20);
	case 15: case 16:
		return (u32)rnd(c);
	default:
		return rnd(c);
	}
}

static void fuzz_secondary(void *arg);

/*
 * CPU_ON's target and entry in x1-x3. Returns true for a sensible start:
 * one of the cell's CPUs, to fuzz as well (the caller uses cpu_start()).
 */
static bool cpu_on_args(struct cpu_state *c, struct fuzz_regs *r)
{
	static const u64 mpidrs[] = { 0, 1, 2, 3, 4, 0x100, 0x80000001, 0xff00ffffffULL };

	if (chance(c, 50) || !risky(c)) {
		u64 other = below(c, 64);
		unsigned int k;

		for (k = 0; k < 64 && !(cell_cpus & BIT(other)); k++)
			other = (other + 1) % 64;
		r->x[1] = other;
		if ((chance(c, 85) || !risky(c)) && other < INMATE_MAX_CPUS)
			return true;
	} else {
		r->x[1] = chance(c, 70) ? PICK(c, mpidrs) : interesting(c);
	}
	r->x[2] = interesting(c);
	r->x[3] = interesting(c);
	return false;
}

static void op_smc(struct cpu_state *c)
{
	struct fuzz_regs r;
	u32 imm = 0, insn;
	unsigned int i;

	for (i = 1; i < 6; i++)
		r.x[i] = interesting(c);
	r.x[0] = smc_function(c);
	if ((u32)r.x[0] == PSCI_CPU_ON_64 || (u32)r.x[0] == PSCI_CPU_ON_32) {
		if (cpu_on_args(c, &r)) {
			describe(c, "CPU_ON of MPIDR %#llx to fuzz there", r.x[1]);
			if (par.verbose)
				printf("fuzz-cell: CPU %u op %llu: %s\n", cpu_id(), c->ops, c->what);
			cpu_start(r.x[1], fuzz_secondary, NULL);
			return;
		}
	}
	if ((u32)r.x[0] == PSCI_FEATURES && chance(c, 70))
		r.x[1] = smc_function(c);
	if ((u32)r.x[0] == PSCI_AFFINITY_INFO_64 && chance(c, 70))
		r.x[1] = below(c, 5);
	if (chance(c, 10))
		imm = (u32)below(c, 0x10000);
	insn = 0xd4000003U | imm << 5;
	describe(c, "smc #%#x x0=%#llx x1=%#llx x2=%#llx x3=%#llx x4=%#llx x5=%#llx", imm, r.x[0],
		 r.x[1], r.x[2], r.x[3], r.x[4], r.x[5]);
	run_code(c, &insn, 1, &r);
}

/* ---------------------------------------------------------------------- */
/* System registers and instructions */

#define SR(op0, op1, crn, crm, op2) \
	((u32)(op0) << 19 | (u32)(op1) << 16 | (u32)(crn) << 12 | (u32)(crm) << 8 | (u32)(op2) << 5)
#define SR_MASK		SR(3, 7, 15, 15, 7)

#define SR_SCTLR_EL1	SR(3, 0, 1, 0, 0)
#define SR_VBAR_EL1	SR(3, 0, 12, 0, 0)
#define SR_SPSEL	SR(3, 0, 4, 2, 0)
#define SR_DC_ZVA	SR(1, 3, 7, 4, 1)

static const u32 sysregs[] = {
	/* identification */
	SR(3, 0, 0, 0, 0), SR(3, 0, 0, 0, 5), SR(3, 0, 0, 0, 6), SR(3, 0, 0, 4, 0),
	SR(3, 0, 0, 4, 1), SR(3, 0, 0, 5, 0), SR(3, 0, 0, 6, 0), SR(3, 0, 0, 7, 0),
	SR(3, 0, 0, 7, 1), SR(3, 0, 0, 1, 0), SR(3, 1, 0, 0, 0), SR(3, 1, 0, 0, 1),
	SR(3, 2, 0, 0, 0), SR(3, 3, 0, 0, 1), SR(3, 3, 0, 0, 7),
	/* EL1 system control and translation (the MMU stays off) */
	SR_SCTLR_EL1, SR(3, 0, 1, 0, 1), SR(3, 0, 1, 0, 2), SR(3, 0, 2, 0, 0),
	SR(3, 0, 2, 0, 1), SR(3, 0, 2, 0, 2), SR(3, 0, 5, 1, 0), SR(3, 0, 5, 1, 1),
	SR(3, 0, 5, 2, 0), SR(3, 0, 6, 0, 0), SR(3, 0, 7, 4, 0), SR(3, 0, 10, 2, 0),
	SR(3, 0, 10, 3, 0), SR_VBAR_EL1, SR(3, 0, 12, 1, 0), SR(3, 0, 13, 0, 1),
	SR(3, 0, 13, 0, 4), SR(3, 0, 14, 1, 0),
	/* special purpose */
	SR(3, 0, 4, 0, 0), SR(3, 0, 4, 0, 1), SR(3, 0, 4, 1, 0), SR_SPSEL, SR(3, 0, 4, 2, 2),
	SR(3, 3, 4, 2, 0), SR(3, 3, 4, 2, 1), SR(3, 3, 4, 4, 0), SR(3, 3, 4, 4, 1),
	SR(3, 3, 13, 0, 2), SR(3, 3, 13, 0, 3),
	/* GIC CPU interface (the virtual one in a cell; SGI registers trap) */
	SR(3, 0, 4, 6, 0), SR(3, 0, 12, 8, 0), SR(3, 0, 12, 8, 1), SR(3, 0, 12, 8, 2),
	SR(3, 0, 12, 8, 3), SR(3, 0, 12, 8, 4), SR(3, 0, 12, 9, 0), SR(3, 0, 12, 11, 1),
	SR(3, 0, 12, 11, 3), SR(3, 0, 12, 11, 5), SR(3, 0, 12, 11, 5), SR(3, 0, 12, 11, 5),
	SR(3, 0, 12, 11, 6), SR(3, 0, 12, 11, 7), SR(3, 0, 12, 12, 0), SR(3, 0, 12, 12, 1),
	SR(3, 0, 12, 12, 2), SR(3, 0, 12, 12, 3), SR(3, 0, 12, 12, 4), SR(3, 0, 12, 12, 5),
	SR(3, 0, 12, 12, 6), SR(3, 0, 12, 12, 7),
	/* generic timer */
	SR(3, 3, 14, 0, 0), SR(3, 3, 14, 0, 1), SR(3, 3, 14, 0, 2), SR(3, 3, 14, 2, 0),
	SR(3, 3, 14, 2, 1), SR(3, 3, 14, 2, 2), SR(3, 3, 14, 3, 0), SR(3, 3, 14, 3, 1),
	SR(3, 3, 14, 3, 2),
	/* PMU */
	SR(3, 0, 9, 14, 1), SR(3, 0, 9, 14, 2), SR(3, 3, 9, 12, 0), SR(3, 3, 9, 12, 1),
	SR(3, 3, 9, 12, 2), SR(3, 3, 9, 12, 3), SR(3, 3, 9, 12, 4), SR(3, 3, 9, 12, 5),
	SR(3, 3, 9, 12, 6), SR(3, 3, 9, 13, 0), SR(3, 3, 9, 13, 1), SR(3, 3, 9, 13, 2),
	SR(3, 3, 9, 14, 0), SR(3, 3, 9, 14, 3), SR(3, 3, 14, 15, 7), SR(3, 3, 14, 8, 0),
	SR(3, 3, 14, 12, 0),
	/* debug */
	SR(2, 0, 0, 2, 2), SR(2, 0, 0, 2, 0), SR(2, 0, 1, 0, 4), SR(2, 0, 1, 1, 4),
	SR(2, 0, 1, 3, 4), SR(2, 0, 0, 0, 4), SR(2, 0, 0, 0, 5), SR(2, 0, 0, 0, 6),
	SR(2, 0, 0, 0, 7), SR(2, 0, 1, 0, 0), SR(2, 0, 7, 8, 6), SR(2, 0, 7, 9, 6),
	SR(2, 0, 7, 14, 6), SR(2, 3, 0, 1, 0), SR(2, 3, 0, 4, 0), SR(2, 3, 0, 5, 0),
	SR(2, 4, 0, 7, 0),
	/* implementation defined (HCR_EL2.TIDCP traps them) */
	SR(3, 0, 15, 0, 0), SR(3, 1, 15, 2, 0), SR(3, 1, 15, 2, 1), SR(3, 1, 11, 0, 2),
	/* EL2 and EL3: undefined at EL1 */
	SR(3, 4, 1, 1, 0), SR(3, 4, 2, 1, 0), SR(3, 4, 12, 0, 0), SR(3, 4, 12, 11, 0),
	SR(3, 4, 12, 12, 0), SR(3, 4, 14, 1, 0), SR(3, 4, 14, 0, 3), SR(3, 4, 1, 0, 0),
	SR(3, 4, 4, 0, 1), SR(3, 4, 4, 0, 0), SR(3, 4, 4, 1, 0), SR(3, 6, 1, 1, 0),
	SR(3, 6, 1, 0, 0),
};

/* SYS instructions: cache and TLB maintenance, address translation (Xt an address). */
static const u32 sysops[] = {
	SR(1, 0, 7, 1, 0), SR(1, 0, 7, 5, 0), SR(1, 3, 7, 5, 1), SR(1, 0, 7, 6, 1),
	SR(1, 0, 7, 6, 2), SR(1, 0, 7, 10, 2), SR(1, 0, 7, 14, 2), SR_DC_ZVA,
	SR(1, 3, 7, 10, 1), SR(1, 3, 7, 11, 1), SR(1, 3, 7, 14, 1), SR(1, 0, 7, 8, 0),
	SR(1, 0, 7, 8, 1), SR(1, 0, 7, 8, 2), SR(1, 0, 7, 8, 3), SR(1, 4, 7, 8, 4),
	SR(1, 4, 7, 8, 0), SR(1, 0, 8, 3, 0), SR(1, 0, 8, 3, 1), SR(1, 0, 8, 3, 2),
	SR(1, 0, 8, 3, 3), SR(1, 0, 8, 7, 0), SR(1, 0, 8, 7, 1), SR(1, 4, 8, 7, 0),
	SR(1, 4, 8, 3, 6), SR(1, 4, 8, 3, 4),
};

/* Registers that fail the cell however they are used (trapped, not emulated). */
static bool sysreg_fails(u32 enc)
{
	u32 op0 = enc >> 19 & 3, op1 = enc >> 16 & 7, crn = enc >> 12 & 15, crm = enc >> 8 & 15;
	u32 op2 = enc >> 5 & 7;

	if (op0 == 3 && (crn == 11 || crn == 15))		/* implementation defined */
		return true;
	if (op0 == 3 && op1 == 0 && crn == 1 && crm == 0 && op2 == 1)	/* ACTLR_EL1 */
		return true;
	return op0 == 3 && op1 == 0 && crn == 12 && crm == 11 && (op2 == 5 || op2 == 6 || op2 == 7);
}

#define SR_ICC_SGI1R	SR(3, 0, 12, 11, 5)

/* An SGI for the cell's own CPUs (ICC_SGI1R_EL1: Aff1 0, a target list). */
static u64 own_sgi(struct cpu_state *c)
{
	return below(c, 16) << 24 | (cell_cpus & 0xffff);
}

static u8 scratch[4096] __aligned(4096);

/* An address that is not in the cell's own RAM (cache operations, stores). */
static u64 foreign_address(struct cpu_state *c)
{
	u64 a;

	do
		a = interesting(c);
	while (a < CELL_RAM_SIZE);
	return a;
}

static void op_sysreg(struct cpu_state *c)
{
	struct fuzz_regs r = { { 0 } };
	u32 insns[3], enc, rt = 0;
	unsigned int n = 1;
	bool read, flip = false;

	if (chance(c, 20)) {
		/* SYS/SYSL, known or anywhere in the space */
		enc = chance(c, 70) ? PICK(c, sysops) : SR(1, below(c, 8), below(c, 16), below(c, 16),
							       below(c, 8));
		read = chance(c, 10);	/* SYSL */
		/* By VA: elsewhere is a stage-2 fault; the scratch page is the cell's own. */
		r.x[0] = risky(c) ? foreign_address(c) : (uintptr_t)scratch + below(c, 4096);
	} else {
		do
			enc = chance(c, 75) ? PICK(c, sysregs) :
			      SR(2 + below(c, 2), below(c, 8), below(c, 16), below(c, 16), below(c, 8));
		while (sysreg_fails(enc) && (enc & SR_MASK) != SR_ICC_SGI1R && !risky(c));
		read = chance(c, 50);
		if ((enc & SR_MASK) == SR_ICC_SGI1R && !risky(c)) {
			read = false;
			r.x[0] = own_sgi(c);
		} else if (!read) {
			if ((enc & SR_MASK) == SR_SPSEL || (enc & SR_MASK) == SR_VBAR_EL1)
				read = true;	/* would only lose the cell's stack or vectors */
			else if ((enc & SR_MASK) == SR_SCTLR_EL1)
				r.x[0] = (read_sysreg(sctlr_el1) ^ BIT(below(c, 32))) &
					 ~(BIT(0) | BIT(25));	/* no MMU, no big-endian */
			else if (chance(c, 30))
				flip = true;
			else
				r.x[0] = interesting(c);
		}
		if (chance(c, 5) && !flip && (enc & SR_MASK) != SR_SCTLR_EL1 &&
		    (enc & SR_MASK) != SR_ICC_SGI1R)
			rt = 31;	/* xzr */
	}
	if (flip) {
		/* mrs x0, REG; eor x0, x0, x1; msr REG, x0 */
		r.x[1] = BIT(below(c, 64));
		insns[0] = 0xd5200000U | enc;
		insns[1] = 0xca010000U;
		insns[2] = 0xd5000000U | enc;
		n = 3;
		describe(c, "sysreg %#x: flip bit %#llx", 0xd5000000U | enc, r.x[1]);
	} else {
		insns[0] = 0xd5000000U | (read ? 1U << 21 : 0) | enc | rt;
		describe(c, "%s %#x (insn %#x) x0=%#llx", read ? "mrs" : "msr", enc, insns[0], r.x[0]);
	}
	run_code(c, insns, n, &r);
}

/* ---------------------------------------------------------------------- */
/* Loads and stores: the GIC, and addresses that are not the cell's */

struct access {
	u64 address;
	u32 size;		/* 1, 2, 4, 8 */
	bool write;
	u64 value;
};

/* A load/store of @a in a random addressing form: x0 data, x1 base, x2 offset or pair. */
static void run_access(struct cpu_state *c, const struct access *a)
{
	static const u32 size_log[9] = { 0, 0, 1, 0, 2, 0, 0, 0, 3 };
	struct fuzz_regs r = { { 0 } };
	u32 sz = size_log[a->size], opc = a->write ? 0 : 1, rt = 0, insn;
	u32 form = (u32)below(c, 100);
	const char *name;
	s64 imm;

	r.x[0] = a->value;
	if (a->write && chance(c, 5))
		rt = 31;			/* wzr/xzr */
	if (!a->write && chance(c, 10) && sz < 3)
		opc = 2 + (u32)below(c, 2);	/* sign-extending loads */
	if (form >= 88 && !risky(c))
		form = (u32)below(c, 88);	/* the forms with a syndrome */
	if (form < 45) {			/* [x1] */
		r.x[1] = a->address;
		insn = sz << 30 | 0x39000000U | opc << 22 | 1 << 5 | rt;
		name = "imm0";
	} else if (form < 60) {			/* [x1, #imm12 * size] */
		imm = (s64)below(c, 4096);
		r.x[1] = a->address - ((u64)imm << sz);
		insn = sz << 30 | 0x39000000U | opc << 22 | (u32)imm << 10 | 1 << 5 | rt;
		name = "imm12";
	} else if (form < 72) {			/* ldur/stur [x1, #imm9] */
		imm = (s64)below(c, 512) - 256;
		r.x[1] = a->address - (u64)imm;
		insn = sz << 30 | 0x38000000U | opc << 22 | ((u32)imm & 0x1ff) << 12 | 1 << 5 | rt;
		name = "unscaled";
	} else if (form < 88) {			/* [x1, x2] */
		r.x[2] = interesting(c);
		r.x[1] = a->address - r.x[2];
		insn = sz << 30 | 0x38206800U | opc << 22 | 2 << 16 | 1 << 5 | rt;
		name = "register";
	} else if (form < 94) {			/* pre- or post-index: no syndrome */
		bool pre = chance(c, 50);

		imm = (s64)below(c, 512) - 256;
		r.x[1] = pre ? a->address - (u64)imm : a->address;
		insn = sz << 30 | 0x38000000U | opc << 22 | ((u32)imm & 0x1ff) << 12 |
		       (pre ? 3U : 1U) << 10 | 1 << 5 | rt;
		name = pre ? "pre-index" : "post-index";
	} else if (form < 97) {			/* ldp/stp of w or x registers: no syndrome */
		bool x = chance(c, 50);

		imm = (s64)below(c, 128) - 64;
		r.x[1] = a->address - (u64)(imm * (x ? 8 : 4));
		r.x[2] = rnd(c);
		insn = (x ? 0xa9000000U : 0x29000000U) | (a->write ? 0 : 1U << 22) |
		       ((u32)imm & 0x7f) << 15 | 2 << 10 | 1 << 5 | rt;
		name = "pair";
	} else {				/* FP/SIMD register b/h/s/d/q0 */
		u32 q = chance(c, 20);

		r.x[1] = a->address;
		insn = (q ? 0 : sz << 30) | 0x3d000000U | (a->write ? 0 : 1U << 22) |
		       (q ? 1U << 23 : 0) | 1 << 5;
		name = "fp/simd";
	}
	describe(c, "%s %u bytes at %#llx (%s, insn %#x) value %#llx", a->write ? "write" : "read",
		 a->size, a->address, name, insn, a->value);
	run_code(c, &insn, 1, &r);
}

static u32 access_size(struct cpu_state *c)
{
	static const u32 sizes[] = { 1, 2, 4, 4, 4, 4, 8, 8 };

	return PICK(c, sizes);
}

/* A value to store: random, a pattern, or a bit that names an interrupt. */
static u64 store_value(struct cpu_state *c)
{
	switch (below(c, 5)) {
	case 0:
		return BIT(OWN_SPI % 32);
	case 1:
		return BIT(below(c, 32));
	case 2:
		return chance(c, 50) ? 0 : ~0ULL;
	case 3:
		return cpu_mpidr();
	default:
		return rnd(c);
	}
}

static u64 gicd_offset(struct cpu_state *c)
{
	static const u64 single[] = { 0x0, 0x4, 0x8, 0x10, 0x40, 0x48, 0x50, 0x58, 0xf00, 0xf10,
				      0xf20, 0xffe8, 0xffd0, 0xfff0 };
	static const u64 arrays[] = { 0x80, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0xd00, 0xe00 };
	static const u32 irqs[] = { OWN_SPI, OWN_SPI, OWN_SPI, 33, 160, 32, 1019, 1020, 0, 15, 25, 27,
				    30 };
	u32 irq = chance(c, 50) || !risky(c) ? OWN_SPI :
		  chance(c, 60) ? PICK(c, irqs) : (u32)below(c, 1024);

	switch (below(c, 8)) {
	case 0:
		return PICK(c, single);
	case 1: case 2:
		return PICK(c, arrays) + irq / 32 * 4;		/* one bit per interrupt */
	case 3:
		return 0x400 + irq;				/* IPRIORITYR, a byte each */
	case 4:
		return 0x800 + irq;				/* ITARGETSR */
	case 5:
		return 0xc00 + irq / 16 * 4;			/* ICFGR, two bits each */
	case 6:
		return 0x6000 + (u64)irq * 8;			/* IROUTER */
	default:
		return below(c, 0x10000);
	}
}

static u64 gicr_offset(struct cpu_state *c)
{
	static const u64 rd[] = { 0x0, 0x4, 0x8, 0xc, 0x10, 0x14, 0x40, 0x48, 0x70, 0x78, 0xa0,
				  0xb0, 0xffe8 };
	static const u64 sgi[] = { 0x80, 0x100, 0x180, 0x200, 0x280, 0x300, 0x380, 0x400, 0x404,
				   0x408, 0x40c, 0x410, 0x418, 0x41c, 0xc00, 0xc04, 0xd00, 0xe00 };

	switch (below(c, 4)) {
	case 0:
		return PICK(c, rd);
	case 1: case 2:
		return 0x10000 + PICK(c, sgi);
	default:
		return below(c, GICR_FRAME);
	}
}

/*
 * Make a GIC access one the emulation takes: naturally aligned, the cell's
 * own SPI's bits and bytes, the widths each register allows, IROUTER to
 * the cell's own CPU. (Unaligned accesses are for the broad runs.)
 */
static void tame_access(struct cpu_state *c, struct access *a)
{
	u64 off;

	if (a->address >= GICD && a->address < GICD + 0x10000) {
		off = a->address - GICD;
		if (off >= 0x6000 && off < 0x8000) {
			a->address = GICD + 0x6000 + OWN_SPI * 8;
			a->size = 8;
			if (chance(c, 90))
				a->value = cpu_mpidr();
		} else if (!a->write) {
			;	/* any register reads, aligned */
		} else if (off >= 0x80 && off < 0x400) {
			u32 first = (u32)(off % 0x80 / 4) * 32;

			a->size = 4;
			a->value &= OWN_SPI >= first && OWN_SPI < first + 32 ? BIT(OWN_SPI % 32) : 0;
		} else if (off >= 0x400 && off < 0x800 && a->size == 1) {
			a->address = GICD + 0x400 + OWN_SPI;
		} else if (off >= 0xc00 && off < 0xd00 && a->size == 1) {
			a->address = GICD + 0xc00 + OWN_SPI / 4;
		} else if (a->size != 1) {
			a->size = 4;
		}
	} else if (a->write) {
		off = (a->address - GICR) % GICR_FRAME;
		if (off >= 0x10100 && off < 0x10400)
			a->size = 4;
		else if (off >= 0x10c00 && off < 0x10c08)
			a->size = 4;
		else if (off >= 0x10400 && off < 0x10420 && a->size != 1)
			a->size = 4;
	}
	/* Widths the registers have: bytes for priorities, doublewords for 64-bit ones. */
	if (a->address >= GICD && a->address < GICD + 0x10000) {
		off = a->address - GICD;
		if (!(off >= 0x400 && off < 0xc00) && a->size == 1)
			a->size = 4;
		if (!(off >= 0x6000 && off < 0x8000) && a->size == 8)
			a->size = 4;
	} else {
		off = (a->address - GICR) % GICR_FRAME;
		if (!(off >= 0x10400 && off < 0x10420) && a->size == 1)
			a->size = 4;
		if (off != 0x8 && off != 0x70 && off != 0x78 && a->size == 8)
			a->size = 4;
	}
	if (a->size == 2)
		a->size = 4;
	a->address &= ~(u64)(a->size - 1);
}

static void op_gic(struct cpu_state *c)
{
	struct access a;

	if (chance(c, 40)) {
		a.address = GICD + gicd_offset(c);
	} else {
		/* A frame of the cell's own CPUs mostly, sometimes anyone's or past the last. */
		u64 frame = chance(c, 90) || !risky(c) ? cpu_id() : below(c, 6);

		if (chance(c, 30)) {
			u64 other = below(c, 64);
			unsigned int k;

			for (k = 0; k < 64 && !(cell_cpus & BIT(other)); k++)
				other = (other + 1) % 64;
			frame = other;
		}
		a.address = GICR + frame * GICR_FRAME + gicr_offset(c);
	}
	a.size = access_size(c);
	if (chance(c, 80))
		a.address &= ~(u64)(a.size - 1);
	else if (!(a.address & (a.size - 1)))
		a.address += 1 + below(c, a.size > 1 ? a.size - 1 : 1);
	a.write = chance(c, 40);
	a.value = a.write ? store_value(c) : 0;
	if (!risky(c))
		tame_access(c, &a);
	run_access(c, &a);
}

static void op_mem(struct cpu_state *c)
{
	struct access a;

	a.size = access_size(c);
	if (chance(c, 60) || !risky(c))
		a.address = WARDEN_COMM_PAGE_IPA + below(c, 0x1000 - 8);
	else
		a.address = foreign_address(c);
	if (chance(c, 85))
		a.address &= ~(u64)(a.size - 1);
	a.write = chance(c, 40);
	a.value = a.write ? store_value(c) : 0;
	run_access(c, &a);
}

/* ---------------------------------------------------------------------- */

static void (*const ops[OP_CLASSES])(struct cpu_state *c) = {
	op_hvc, op_smc, op_sysreg, op_gic, op_mem,
};

static u64 total_ops(void)
{
	u64 n = 0;
	unsigned int i;

	for (i = 0; i < INMATE_MAX_CPUS; i++)
		n += cpus[i].ops;
	return n;
}

static void fuzz_setup_cpu(struct cpu_state *c, unsigned int cpu, unsigned int index)
{
	write_sysreg((uintptr_t)fuzz_vectors, vbar_el1);
	isb();
	c->code = code_pages[cpu];
	c->rng = splitmix(par.seed + index + par.stream) | 1;
	c->in_op = false;
}

static void print_summary(void)
{
	unsigned int i, k;

	printf("fuzz-cell: done: %llu operations\n", total_ops());
	for (i = 0; i < INMATE_MAX_CPUS; i++) {
		if (!cpus[i].ops)
			continue;
		printf("fuzz-cell: CPU %u: %llu operations (", i, cpus[i].ops);
		for (k = 0; k < OP_CLASSES; k++)
			printf("%s%s %llu", k ? ", " : "", class_name[k], cpus[i].by_class[k]);
		printf("), %llu EL1 exceptions, %llu interrupts\n", cpus[i].el1_sync,
		       cpus[i].el1_async);
	}
}

/* Every CPU: operations until the run's budget is spent, then the cell powers off. */
static void __noreturn fuzz_loop(struct cpu_state *c)
{
	u32 sum = 0, i, pick;

	for (i = 0; i < OP_CLASSES; i++)
		sum += par.weights[i];
	for (;;) {
		if (stopping)
			for (;;)
				wfi();
		if (total_ops() >= par.ops) {
			stopping = true;
			print_summary();
			psci_system_off();
			last_words(c, "SYSTEM_OFF returned");
		}
		pick = (u32)below(c, sum);
		for (i = 0; pick >= par.weights[i]; i++)
			pick -= par.weights[i];
		c->by_class[i]++;
		ops[i](c);
		c->ops++;
		comm_page->heartbeat = total_ops();
		if (c->ops % 1000 == 0)
			printf("fuzz-cell: CPU %u: %llu operations (%llu EL1 exceptions, %llu interrupts)\n",
			       cpu_id(), c->ops, c->el1_sync, c->el1_async);
	}
}

/* Position of @cpu among the cell's CPUs: seeds the CPU's generator. */
static unsigned int cpu_index(unsigned int cpu)
{
	u64 below_cpu = cell_cpus & (BIT(cpu) - 1);
	unsigned int n = 0;

	for (; below_cpu; below_cpu &= below_cpu - 1)
		n++;
	return n;
}

static void fuzz_secondary(void *arg)
{
	unsigned int cpu = cpu_id() % INMATE_MAX_CPUS;
	struct cpu_state *c = &cpus[cpu];

	(void)arg;
	/* A CPU started again keeps its counts but draws a new stream. */
	fuzz_setup_cpu(c, cpu, cpu_index(cpu) + (unsigned int)c->ops * 64);
	printf("fuzz-cell: CPU %u fuzzing\n", cpu);
	fuzz_loop(c);
}

/* ---------------------------------------------------------------------- */
/* Parameters: "FUZZ seed=HEX ops=N cpus=N verbose=N weights=H,S,R,G,M" */

static const char *skip_to(const char *p, const char *end, const char *key)
{
	size_t n = strlen(key);

	for (; p + n <= end; p++)
		if (!memcmp(p, key, n))
			return p + n;
	return NULL;
}

static u64 parse_num(const char **pp, const char *end, unsigned int base)
{
	const char *p = *pp;
	u64 v = 0;

	if (base == 16 && p + 2 <= end && p[0] == '0' && (p[1] == 'x' || p[1] == 'X'))
		p += 2;
	for (; p < end; p++) {
		char ch = *p;
		unsigned int d;

		if (ch >= '0' && ch <= '9')
			d = (unsigned int)(ch - '0');
		else if (base == 16 && ch >= 'a' && ch <= 'f')
			d = (unsigned int)(ch - 'a' + 10);
		else if (base == 16 && ch >= 'A' && ch <= 'F')
			d = (unsigned int)(ch - 'A' + 10);
		else
			break;
		v = v * base + d;
	}
	*pp = p;
	return v;
}

static bool read_params(void)
{
	static const u32 default_weights[OP_CLASSES] = { 30, 15, 30, 22, 3 };
	const char *start = (const char *)(uintptr_t)PARAMS_IPA, *end, *p;
	unsigned int i;

	par.seed = timer_counter();
	par.ops = DEFAULT_OPS;
	par.cpus = 2;
	par.hazard = ~0U;
	memcpy(par.weights, default_weights, sizeof(par.weights));
	if (memcmp(start, "FUZZ ", 5))
		return false;
	for (end = start; end < start + 256 && *end && *end != '\n'; end++)
		;
	p = skip_to(start, end, "seed=");
	if (p)
		par.seed = parse_num(&p, end, 16);
	p = skip_to(start, end, "ops=");
	if (p)
		par.ops = parse_num(&p, end, 10);
	p = skip_to(start, end, "cpus=");
	if (p)
		par.cpus = (u32)parse_num(&p, end, 10);
	p = skip_to(start, end, "stream=");
	if (p)
		par.stream = (u32)parse_num(&p, end, 10);
	p = skip_to(start, end, "hazard=");
	if (p)
		par.hazard = (u32)parse_num(&p, end, 10);
	p = skip_to(start, end, "verbose=");
	if (p)
		par.verbose = (u32)parse_num(&p, end, 10);
	p = skip_to(start, end, "weights=");
	for (i = 0; p && i < OP_CLASSES; i++) {
		par.weights[i] = (u32)parse_num(&p, end, 10);
		if (p < end && *p == ',')
			p++;
	}
	return true;
}

int inmate_main(void)
{
	unsigned int cpu = cpu_id() % INMATE_MAX_CPUS, i, started = 1;
	struct cpu_state *c = &cpus[cpu];
	bool given;
	u32 sum = 0;

	if ((uintptr_t)__inmate_end > PARAMS_IPA)
		inmate_panic("the image reaches the parameter page");
	given = read_params();
	if (par.hazard > 100)	/* not given: a third of the runs broad, the others deep */
		par.hazard = splitmix(par.seed) % 3 ? 2 : 100;
	for (i = 0; i < OP_CLASSES; i++)
		sum += par.weights[i];
	if (!sum)
		par.weights[OP_HVC] = 1;
	cell_cpus = comm_cpu_set();
	comm_page->heartbeat = 0;
	printf("fuzz-cell: cell %u, CPUs %#llx, seed %#llx (%s), %llu operations, %u CPUs, hazard %u%%, weights hvc %u smc %u sysreg %u gic %u mem %u\n",
	       comm_cell_id(), cell_cpus, par.seed, given ? "given" : "from the counter", par.ops,
	       par.cpus, par.hazard, par.weights[OP_HVC], par.weights[OP_SMC], par.weights[OP_SYSREG],
	       par.weights[OP_GIC], par.weights[OP_MEM]);
	fuzz_setup_cpu(c, cpu, cpu_index(cpu));
	for (i = 0; i < INMATE_MAX_CPUS && started < par.cpus; i++) {
		if (i == cpu || !(cell_cpus & BIT(i)))
			continue;
		if (cpu_start(i, fuzz_secondary, NULL) == PSCI_SUCCESS)
			started++;
	}

	fuzz_loop(c);
}
