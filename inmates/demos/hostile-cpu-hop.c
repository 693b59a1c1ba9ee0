// SPDX-License-Identifier: MIT
/*
 * hostile-cpu-hop: the cell's two CPUs power each other on and off as fast
 * as they can (PSCI CPU_ON of the other, then CPU_OFF of itself), forever,
 * each time at an entry point of the cell's choosing. Root destroying (or
 * shutting down) the cell meanwhile must stop both CPUs for good: none may
 * keep running the cell, and none may come up in the root cell.
 *
 * The entry points are copies of a small position-independent stub in the
 * region 'trap', which the description maps at the same guest address as
 * its host address (guest == host). So the stub's address means the same
 * code to the cell and to root: should a CPU the cell powered on ever
 * start in the root cell, and root's stage 2 map that memory (a system
 * whose root regions cover the cells' memory), the stub runs with root's
 * access. It finds out where it runs by asking the hypervisor for a
 * console write of 0 bytes (0 in a cell, -EPERM in root); in root it
 * writes ROOT_MAGIC and its MPIDR into its CPU's block, where root can read
 * them after the destroy (tests/vm/cases/cell-cpu-hop.sh), then powers the
 * CPU off. In the cell it goes on to hop_cpu_main() on its own stack.
 *
 * A CPU turns itself off only once the other has entered the cell, and
 * asks for the other until then: a CPU that misses its stop keeps starting
 * the other one. Entries rotate over STUB_SLOTS copies at different pages
 * and offsets. Every PROGRESS_EVERY entries a CPU prints a line. The cell
 * is passive: it never polls for shutdown requests.
 */
#include <inmate.h>

const char inmate_name[] = "hostile-cpu-hop";

/* cells.d/hostile-cpu-hop.yaml: region 'trap', guest == host */
#define TRAP_BASE	0x76100000ULL
#define TRAP_SIZE	0x100000ULL
#define STUB_SLOTS	16
#define STUB_STRIDE	0x1040ULL	/* a new page and a new offset in it, each slot */
#define BLOCKS		(TRAP_BASE + 0xf0000)	/* struct hop_cpu[2] */
#define ROOT_MAGIC	0x544f4f52504f4821ULL	/* "!HOPROOT" */
#define PROGRESS_EVERY	2048

/*
 * One per CPU of the cell, in 'trap' (the same address for cell and root).
 * Offsets are used by the stub below: keep them.
 */
struct hop_cpu {
	u64 root_magic;		/*  0: ROOT_MAGIC if the stub ran in root */
	u64 root_mpidr;		/*  8: the MPIDR it ran on there */
	u64 stack_top;		/* 16: cell: the CPU's stack */
	u64 cell_fn;		/* 24: cell: hop_cpu_main() */
	u64 vectors;		/* 32: cell: VBAR_EL1 */
	u64 entries;		/* 40: times the CPU entered the cell through a stub */
	u64 mpidr;		/* 48: its MPIDR */
	u64 index;		/* 56: 0 or 1 */
	u64 odd_results;	/* CPU_ON answers other than SUCCESS, ALREADY_ON, ON_PENDING */
};

extern char hop_stub[], hop_stub_end[], inmate_vectors[];

/*
 * x0: the struct hop_cpu of this CPU. A cell CPU starts with the MMU off
 * (Device memory: aligned accesses only), root's too.
 */
asm(".pushsection .text.hop_stub, \"ax\"\n"
    "	.balign	16\n"
    "	.global	hop_stub\n"
    "hop_stub:\n"
    "	msr	daifset, #0xf\n"
    "	mov	x19, x0\n"
    "	mov	x0, #" __stringify(WARDEN_HC_CONSOLE_WRITE) "\n"
    "	mov	x1, xzr\n"
    "	mov	x2, xzr\n"
    "	mov	x3, xzr\n"
    "	hvc	#" __stringify(WARDEN_HVC_IMM) "\n"
    "	cbnz	x0, 1f\n"
    /* in the cell */
    "	mov	x1, #0x0800\n"
    "	movk	x1, #0x30d0, lsl #16\n"
    "	msr	sctlr_el1, x1\n"
    "	msr	spsel, #1\n"
    "	ldr	x1, [x19, #32]\n"
    "	msr	vbar_el1, x1\n"
    "	isb\n"
    "	ldr	x1, [x19, #16]\n"
    "	mov	sp, x1\n"
    "	mov	x29, xzr\n"
    "	mov	x30, xzr\n"
    "	mov	x0, x19\n"
    "	ldr	x1, [x19, #24]\n"
    "	br	x1\n"
    /* in root: leave the mark, power the CPU off */
    "1:	ldr	x1, 3f\n"
    "	str	x1, [x19]\n"
    "	mrs	x1, mpidr_el1\n"
    "	str	x1, [x19, #8]\n"
    "	dsb	sy\n"
    "	mov	x0, #0x0002\n"
    "	movk	x0, #0x8400, lsl #16\n"
    "	smc	#0\n"
    "2:	wfe\n"
    "	b	2b\n"
    "	.balign	8\n"
    "3:	.quad	" __stringify(ROOT_MAGIC) "\n"
    "	.global	hop_stub_end\n"
    "hop_stub_end:\n"
    ".popsection\n");

static u8 stacks[2][INMATE_CPU_STACK_SIZE] __aligned(16);

static struct hop_cpu *block(unsigned int i)
{
	return (struct hop_cpu *)(uintptr_t)(BLOCKS + i * sizeof(struct hop_cpu));
}

static u64 stub_at(u64 n)
{
	return TRAP_BASE + (n % STUB_SLOTS) * STUB_STRIDE;
}

/*
 * Power the other CPU on at a stub of our choosing and keep asking (each
 * CPU_ON answered ALREADY_ON while it is on) until it has entered the cell;
 * then power this one off. A CPU that came up without entering (it found
 * the cell stopped) is powered on again: should this CPU ever miss its own
 * stop, it keeps starting the other one for as long as it runs.
 */
static void __noreturn hop(struct hop_cpu *me)
{
	struct hop_cpu *other = block(!me->index);
	u64 seen = READ_ONCE(other->entries);
	int ret;

	do {
		ret = psci_cpu_on(other->mpidr, stub_at(me->entries + me->index), (uintptr_t)other);
		if (ret != PSCI_SUCCESS && ret != PSCI_ALREADY_ON && ret != PSCI_ON_PENDING)
			me->odd_results++;
		cpu_relax();
	} while (READ_ONCE(other->entries) == seen);
	ret = psci_cpu_off();
	inmate_panic("CPU %u: CPU_OFF returned %d (%s)", cpu_id(), ret, psci_strerror(ret));
}

static void __noreturn hop_cpu_main(struct hop_cpu *me)
{
	WRITE_ONCE(me->entries, me->entries + 1);
	if (me->entries % PROGRESS_EVERY == 0)
		printf("hostile-cpu-hop: CPU %u: %llu entries, %llu odd CPU_ON results\n", cpu_id(),
		       me->entries, me->odd_results);
	hop(me);
}

int inmate_main(void)
{
	u64 set = comm_cpu_set(), self = cpu_mpidr(), size = hop_stub_end - hop_stub;
	unsigned int i, n = 0;

	printf("hostile-cpu-hop: cell %u on CPU %u: CPUs power each other on and off, at %u entry points in 0x%llx-0x%llx\n",
	       comm_cell_id(), cpu_id(), STUB_SLOTS, TRAP_BASE, TRAP_BASE + TRAP_SIZE - 1);
	for (i = 0; i < STUB_SLOTS; i++)
		memcpy((void *)(uintptr_t)stub_at(i), hop_stub, size);
	/* The CPUs: this one first, then the next of the cell (Aff0 = CPU number). */
	block(0)->mpidr = self;
	for (i = 0; i < 64 && n == 0; i++)
		if (set & BIT(i) && i != (self & 0xff))
			n = i;
	if (!n)
		inmate_panic("needs two CPUs, has %#llx", set);
	block(1)->mpidr = (self & ~0xffULL) | n;
	for (i = 0; i < 2; i++) {
		struct hop_cpu *b = block(i);

		b->root_magic = 0;
		b->root_mpidr = 0;
		b->stack_top = (uintptr_t)&stacks[i][INMATE_CPU_STACK_SIZE];
		b->cell_fn = (uintptr_t)hop_cpu_main;
		b->vectors = (uintptr_t)inmate_vectors;
		b->entries = 0;
		b->index = i;
		b->odd_results = 0;
	}
	dsb(sy);
	/* The stubs are fetched with the caches off, as they were written. */
	asm volatile("ic iallu" : : : "memory");
	dsb(sy);
	isb();
	printf("hostile-cpu-hop: hopping between MPIDR 0x%llx and 0x%llx\n", block(0)->mpidr,
	       block(1)->mpidr);
	hop(block(0));
}
