// SPDX-License-Identifier: GPL-2.0-only
/*
 * Bringing CPUs under the hypervisor and letting them go.
 *
 * WARDEN_HC_INIT arrives on each CPU through the boot vectors (head.S) with
 * the EL2 MMU off. The first call checks the loader's boot info and the
 * system blob and builds the page tables (hv_global_init()); every call
 * then checks its CPU (hv_boot_cpu()), head.S turns the MMU on, and
 * hv_cpu_start() puts the root cell under its stage 2.
 *
 * Code reached with the MMU off runs at the image's physical address: it is
 * PC-relative and must not use absolute addresses (no pointers in static
 * data, no function pointers). Memory is Device there: no unaligned
 * accesses (-mstrict-align), and nothing another CPU reads later through
 * its cache may be written, except by the first CPU before anything is
 * cached (the loader cleaned and invalidated the hypervisor's memory).
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include <version.h>
#include <arch/sysreg.h>

#include <warden/config-check.h>
/* Pin the shared ABI in this build too. */
#include <warden/abi-check.c>

_Static_assert(sizeof(struct regs) == HV_FRAME_SIZE, "struct regs: HV_FRAME_SIZE");
_Static_assert(__builtin_offsetof(struct regs, elr) == HV_FRAME_ELR, "HV_FRAME_ELR");
_Static_assert(__builtin_offsetof(struct regs, spsr) == HV_FRAME_SPSR, "HV_FRAME_SPSR");
_Static_assert(sizeof(struct per_cpu) <= HV_PERCPU_SIZE, "struct per_cpu too big");
_Static_assert(sizeof(struct per_cpu) % 4096 == 0, "struct per_cpu: whole pages");
_Static_assert(__builtin_offsetof(struct hv_mmu, phys_offset) == HV_MMU_PHYS_OFFSET, "HV_MMU");
_Static_assert(__builtin_offsetof(struct hv_mmu, stub) == HV_MMU_STUB, "HV_MMU_STUB");
_Static_assert(HV_MAX_CPUS <= WARDEN_BOOT_MAX_CPUS, "HV_MAX_CPUS");

const char hv_version[] = WARDEN_VERSION;

struct per_cpu per_cpu[HV_MAX_CPUS] __aligned(HV_PERCPU_SIZE);
struct hv_mmu hv_mmu;
struct hv hv;

extern const char __warden_header[], __text_end[], __core_end[];
/* Link-time address of the image: a literal, which PC-relative addressing would not give. */
static u64 hv_link_base(void)
{
	u64 v;

	asm("ldr %0, =__warden_header" : "=r"(v));
	return v;
}

/* TLB maintenance after a live EL2 mapping changed. */
void hv_tlb_flush_el2(struct pt *pt, u64 ia, u64 size)
{
	(void)pt, (void)ia, (void)size;
	dsb(ishst);
	asm volatile("tlbi alle2is" : : : "memory");
	dsb(ish);
	isb();
}

/* ... after root's stage 2 changed; the caller runs root, so VTTBR_EL2 is root's. */
void hv_tlb_flush_s2(struct pt *pt, u64 ia, u64 size)
{
	(void)pt, (void)ia, (void)size;
	dsb(ishst);
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	isb();
}

/* Where @p, a link address in the image, lives physically (MMU on). */
u64 hv_virt_to_phys(const void *p)
{
	return (u64)p + hv_mmu.phys_offset;
}

static u64 dcache_line(void)
{
	return 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
}

/* Clean to the point of coherency, for a CPU that will read with its MMU off. */
void dcache_clean_range(const void *start, u64 size)
{
	u64 line = dcache_line();
	u64 p = (u64)start & ~(line - 1);

	for (; p < (u64)start + size; p += line)
		asm volatile("dc cvac, %0" : : "r"(p) : "memory");
	dsb(ish);
}

/*
 * Clean and invalidate to the point of coherency: memory a cell reads or
 * writes with its MMU (so its caches) off, before the hypervisor reads it
 * or after it wrote it through its own cached mapping.
 */
void dcache_flush_range(const void *start, u64 size)
{
	u64 line = dcache_line();
	u64 p = (u64)start & ~(line - 1);

	for (; p < (u64)start + size; p += line)
		asm volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(ish);
}

/* ---------------------------------------------------------------------- */
/* Errors during init: written to the loader's record with the MMU off. */

struct boot_error {
	struct warden_hv_error *rec;
	u32 cpu;
};

static int boot_fail(struct boot_error *e, int err, const char *what, u32 offset, s32 index,
		     u64 value)
{
	struct warden_hv_error *r = e->rec;

	if (r) {
		r->error = err;
		r->offset = offset;
		r->index = index;
		r->cpu = e->cpu;
		r->value = value;
		strlcpy(r->what, what, sizeof(r->what));
	}
	return err;
}

/* The error record must be root memory: not the hypervisor's, 8-byte aligned. */
static struct warden_hv_error *boot_error_record(u64 pa, paddr_t base, u64 size)
{
	if (!pa || pa & 7 || (pa + sizeof(struct warden_hv_error) > base && pa < base + size))
		return NULL;
	return (struct warden_hv_error *)pa;
}

/* ---------------------------------------------------------------------- */
/* Global set-up, first CPU, MMU off. */

static int check_boot_info(struct boot_error *e, paddr_t base)
{
	const struct warden_image_header *h = (const void *)__warden_header;
	const struct warden_boot_info *bi = (const void *)(base + h->core_size);

	if (hv_link_base() != HV_BASE)
		return boot_fail(e, -EINVAL, "image not linked at HV_BASE", 0, -1, hv_link_base());
	if (h->phys_base != base)
		return boot_fail(e, -EINVAL, "header phys_base is not where the image runs", 0, -1,
				 h->phys_base);
	if (bi->reserved0 || bi->num_cpus > WARDEN_BOOT_MAX_CPUS || !bi->num_cpus)
		return boot_fail(e, -EINVAL, "boot info: bad CPU count", 0, -1, bi->num_cpus);
	if (!bi->config_size || bi->config_size > WARDEN_CONFIG_MAX_SIZE)
		return boot_fail(e, -EINVAL, "boot info: bad system blob size", 0, -1,
				 bi->config_size);
	if (h->core_size + WARDEN_BOOT_INFO_SIZE + ALIGN_UP(bi->config_size, 4096) +
	    16 * PAGE_SIZE > bi->mem_size)
		return boot_fail(e, -ENOMEM, "hypervisor memory too small for image, system blob and page pool",
				 0, -1, bi->mem_size);
	hv.boot = bi;
	hv.blob = (const u8 *)bi + WARDEN_BOOT_INFO_SIZE;
	hv.mem_size = bi->mem_size;
	hv.phys_base = base;
	return 0;
}

/* TCR/VTCR PS encoding of the CPU's physical address range, at most 48 bits. */
static u64 pa_range(void)
{
	u64 pa = read_sysreg(id_aa64mmfr0_el1) & 0xf;

	return pa > 5 ? 5 : pa;
}

static unsigned int pa_range_bits(void)
{
	static const u8 bits[] = { 32, 36, 40, 42, 44, 48 };

	return bits[pa_range()];
}

/* "...beyond the CPU's NN-bit physical address range", naming the figure. */
static const char *beyond_pa(char *buf, u64 size, const char *what)
{
	unsigned int bits = pa_range_bits();
	u64 n = strlcpy(buf, what, size);

	if (n + 48 > size)
		return what;
	strlcpy(buf + n, " beyond the CPU's ", size - n);
	n += 18;
	buf[n++] = (char)('0' + bits / 10);
	buf[n++] = (char)('0' + bits % 10);
	strlcpy(buf + n, "-bit physical address range", size - n);
	return buf;
}

/* Everything the system places must lie in the CPU's physical address range. */
static int check_pa_range(struct boot_error *e, const struct warden_config_layout *l)
{
	const struct warden_region *ram = (const void *)((const u8 *)hv.blob + l->ram);
	u64 limit = 1ULL << pa_range_bits(), gicr_end;
	char buf[WARDEN_HV_ERROR_WHAT_LEN];
	u32 i;

	for (i = 0; i < hv.sys->num_ram; i++)
		if (ram[i].phys_start + ram[i].size > limit)
			return boot_fail(e, -ERANGE, beyond_pa(buf, sizeof(buf), "platform RAM ends"),
					 l->ram + i * sizeof(*ram), i, ram[i].phys_start + ram[i].size);
	gicr_end = hv.sys->gicr_base + gic_redists_size();
	if (hv.sys->gicd_base + GICD_SIZE > limit || gicr_end > limit)
		return boot_fail(e, -ERANGE, beyond_pa(buf, sizeof(buf), "the GIC ends"), 0, -1,
				 gicr_end > hv.sys->gicd_base ? gicr_end : hv.sys->gicd_base);
	if (hv.sys->uart_base + 0x1000 > limit)
		return boot_fail(e, -ERANGE, beyond_pa(buf, sizeof(buf), "the UART lies"), 0, -1,
				 hv.sys->uart_base);
	for (i = 0; i < hv.root->num_regions; i++) {
		const struct warden_region *r = &hv.root_regions[i];

		if (r->phys_start + r->size > limit)
			return boot_fail(e, -ERANGE, beyond_pa(buf, sizeof(buf), "root region ends"),
					 l->regions + i * sizeof(*r), i, r->phys_start + r->size);
	}
	return 0;
}

static int check_system(struct boot_error *e)
{
	struct warden_config_error cerr = { 0 };
	struct warden_config_layout l;
	const struct warden_system *sys;
	u64 bad;
	u32 i;
	int ret;

	if (warden_config_check_system(hv.blob, hv.boot->config_size, &l, &cerr))
		return boot_fail(e, -EINVAL, cerr.what, cerr.offset, cerr.index, cerr.value);
	sys = (const void *)((const u8 *)hv.blob + sizeof(struct warden_config_header));
	if (sys->hv_mem_base != hv.phys_base || sys->hv_mem_size != hv.mem_size)
		return boot_fail(e, -EINVAL, "system hypervisor memory is not where the image was loaded",
				 sizeof(struct warden_config_header) +
				 __builtin_offsetof(struct warden_system, hv_mem_base), -1,
				 sys->hv_mem_base);
	bad = sys->cpu_set & ~((1ULL << HV_MAX_CPUS) - 1);
	if (bad)
		return boot_fail(e, -E2BIG, "system has more CPUs than this hypervisor build supports",
				 sizeof(struct warden_config_header), __builtin_ctzll(bad),
				 HV_MAX_CPUS);
	hv.sys = sys;
	hv.root = (const void *)((const u8 *)hv.blob + l.cell);
	hv.root_regions = (const void *)((const u8 *)hv.blob + l.regions);
	hv.layout.cell = l.cell;
	hv.layout.regions = l.regions;
	hv.layout.irqs = l.irqs;
	hv.layout.ram = l.ram;
	ret = check_pa_range(e, &l);
	if (ret)
		return ret;
	for (i = 0; i < hv.root->num_regions; i++) {
		const struct warden_region *r = &hv.root_regions[i];
		u32 off = l.regions + i * sizeof(*r);

		if (!(r->flags & WARDEN_MEM_IO) && r->phys_start + r->size > HV_BASE)
			return boot_fail(e, -ERANGE, "root RAM region beyond the hypervisor's 1:1 map (HV_BASE)",
					 off, i, r->phys_start);
	}
	return 0;
}

static void setup_pool(void)
{
	paddr_t start = ALIGN_UP((u64)hv.blob + hv.boot->config_size, PAGE_SIZE);
	u64 pages = (hv.phys_base + hv.mem_size - start) / PAGE_SIZE;
	u64 bitmap = ALIGN_UP(pool_bitmap_bytes(pages), PAGE_SIZE);

	pages -= bitmap / PAGE_SIZE;
	memset((void *)start, 0, bitmap);
	pool_init(&hv.pool, start + bitmap, pages, (unsigned long *)start);
}

/* PT_* attributes of a description region's WARDEN_MEM_* flags. */
unsigned int region_attrs(u32 flags)
{
	unsigned int a = 0;

	if (flags & WARDEN_MEM_READ)
		a |= PT_READ;
	if (flags & WARDEN_MEM_WRITE)
		a |= PT_WRITE;
	if (flags & WARDEN_MEM_EXECUTE)
		a |= PT_EXEC;
	if (flags & WARDEN_MEM_IO)
		a |= PT_DEVICE;
	return a;
}

/*
 * EL2 stage 1: the hypervisor's memory 1:1 (the image executable, for the
 * MMU on/off paths), the image at its link address (header and text
 * executable and read-only, data and bss writable and not executable), root's RAM 1:1 and not executable (hypercall buffers), and the
 * UART when the log is echoed there.
 */
static int build_hv_map(struct boot_error *e)
{
	u64 core = (u64)(__core_end - __warden_header);
	u64 text_end = (u64)(__text_end - __warden_header);
	struct pt *pt = &hv.hv_pt;
	int ret;
	u32 i;

	ret = pt_init(pt, PT_STAGE1_EL2, &hv.pool, PT_IA_BITS);
	ret = ret ?: pt_map(pt, hv.phys_base, hv.phys_base, core, PT_READ | PT_EXEC);
	ret = ret ?: pt_map(pt, hv.phys_base + core, hv.phys_base + core, hv.mem_size - core,
			    PT_READ | PT_WRITE);
	/* The header shares the first page with the vectors: read-only, executable. */
	ret = ret ?: pt_map(pt, HV_BASE, hv.phys_base, text_end, PT_READ | PT_EXEC);
	ret = ret ?: pt_map(pt, HV_BASE + text_end, hv.phys_base + text_end, core - text_end,
			    PT_READ | PT_WRITE);
	for (i = 0; !ret && i < hv.root->num_regions; i++) {
		const struct warden_region *r = &hv.root_regions[i];

		if (!(r->flags & WARDEN_MEM_IO))
			ret = pt_map(pt, r->phys_start, r->phys_start, r->size, PT_READ | PT_WRITE);
	}
	/* The GIC: the hypervisor raises root's event SPI and kicks cells' CPUs. */
	if (!ret)
		ret = pt_map(pt, hv.sys->gicd_base, hv.sys->gicd_base, GICD_SIZE,
			     PT_READ | PT_WRITE | PT_DEVICE);
	if (!ret)
		ret = pt_map(pt, hv.sys->gicr_base, hv.sys->gicr_base,
			     gic_redists_size(),
			     PT_READ | PT_WRITE | PT_DEVICE);
	if (!ret && hv.boot->flags & WARDEN_BOOT_DEBUG_UART && hv.sys->uart_base)
		ret = pt_map(pt, hv.sys->uart_base & ~(PAGE_SIZE - 1),
			     hv.sys->uart_base & ~(PAGE_SIZE - 1), PAGE_SIZE,
			     PT_READ | PT_WRITE | PT_DEVICE);
	if (ret)
		return boot_fail(e, ret, "cannot build the hypervisor's page tables", 0, -1,
				 hv.pool.used);
	return 0;
}

/*
 * Root's stage 2: each of its regions 1:1, in the largest blocks that fit,
 * except over the redistributors, which stay in pages: a cell takes its
 * CPUs' frames from root (cell.c) without splitting a block then.
 */
static int build_root_map(struct boot_error *e)
{
	u64 gicr_end = hv.sys->gicr_base + gic_redists_size();
	int ret;
	u32 i;

	ret = pt_init(&hv.root_pt, PT_STAGE2, &hv.pool, pa_range_bits());
	if (ret)
		return boot_fail(e, ret, "cannot allocate root's stage 2", 0, -1, 0);
	for (i = 0; !ret && i < hv.root->num_regions; i++) {
		const struct warden_region *r = &hv.root_regions[i];
		u64 a = r->phys_start, end = r->phys_start + r->size, b;

		for (; !ret && a < end; a = b) {
			b = end;
			if (a < hv.sys->gicr_base && b > hv.sys->gicr_base)
				b = hv.sys->gicr_base;
			else if (a < gicr_end && b > gicr_end)
				b = gicr_end;
			ret = pt_map(&hv.root_pt, a, a, b - a, region_attrs(r->flags));
		}
		if (ret)
			return boot_fail(e, ret, "cannot map a root region in stage 2",
					 hv.layout.regions + i * sizeof(*r), i, r->phys_start);
	}
	return 0;
}

/* The link address of @p, a PC-relative (physical) address taken with the MMU off. */
static u64 link_addr(const void *p)
{
	return (u64)p - hv_mmu.phys_offset;
}

static void setup_registers(void)
{
	u64 ps = pa_range();

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
	hv.hv_pt.flush = (void *)link_addr(hv_tlb_flush_el2);
	hv.root_pt.flush = (void *)link_addr(hv_tlb_flush_s2);
	hv.vtcr = VTCR_RES1 | ps << VTCR_PS_SHIFT | TCR_TG0_4K | TCR_SH0_INNER |
		  TCR_ORGN0_WBWA | TCR_IRGN0_WBWA | TCR_T0SZ(pa_range_bits()) |
		  (pa_range_bits() < PT_S2_L0_MIN_BITS ? VTCR_SL0_L1 : VTCR_SL0_L0);
	hv.ipa_bits = pa_range_bits();

	/* What Linux's EL2 set-up left here, for CPUs that start later. */
	hv.el2.hcr = read_sysreg(hcr_el2);
	hv.el2.cnthctl = read_sysreg(cnthctl_el2);
	hv.el2.cptr = read_sysreg(cptr_el2);
	hv.el2.mdcr = read_sysreg(mdcr_el2);
	hv.el2.hstr = read_sysreg(hstr_el2);
	hv.el2.icc_sre = read_sysreg(S3_4_C12_C9_5);	/* ICC_SRE_EL2 */
}

static int hv_global_init(struct boot_error *e)
{
	paddr_t base = (paddr_t)__warden_header;
	int ret;

	ret = check_boot_info(e, base);
	ret = ret ?: check_system(e);
	if (ret)
		return ret;
	setup_pool();
	ret = build_hv_map(e);
	ret = ret ?: build_root_map(e);
	if (ret)
		return ret;
	setup_registers();
	hv_log("Warden %s: %llu KiB at %#llx, pool %lu pages, root stage 2: %llu x 1G, %llu x 2M, %llu x 4K\n",
	       hv_version, hv.mem_size >> 10, hv.phys_base, hv.pool.pages,
	       hv.root_pt.stats.blocks_1g, hv.root_pt.stats.blocks_2m, hv.root_pt.stats.pages);
	hv.ready = 1;
	return 0;
}

/* ---------------------------------------------------------------------- */

static bool root_owns(u32 cpu)
{
	return cpu < WARDEN_MAX_CPUS && (hv.root->cpu_set & BIT(cpu));
}


/**
 * hv_boot_cpu() - first part of bringing a CPU in, MMU off (head.S)
 * @regs: the frame; x1 = CPU number, x2 = physical address of the error record
 *
 * Return: 0, after which head.S turns the MMU on, or a negative errno with
 * EL2 given back to Linux's stub.
 */
long hv_boot_cpu(struct regs *regs)
{
	u32 cpu = (u32)regs->x[1];
	struct boot_error e = { .cpu = cpu };
	const struct warden_image_header *h = (const void *)__warden_header;
	const struct warden_boot_info *bi = (const void *)((u64)__warden_header + h->core_size);
	u64 mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	int ret = 0;

	e.rec = boot_error_record(regs->x[2], (u64)__warden_header, bi->mem_size);
	if (!READ_ONCE(hv.ready))
		ret = hv_global_init(&e);
	/* A CPU powered on by the hypervisor was checked by whoever asked (cpu.c). */
	if (!ret && READ_ONCE(per_cpu[cpu].state) != CPU_ENTERING && !root_owns(cpu))
		ret = boot_fail(&e, -EINVAL, "CPU is not the root cell's", 0, cpu, cpu);
	if (!ret && (cpu >= bi->num_cpus || (bi->mpidr[cpu] & MPIDR_AFF_MASK) != mpidr))
		ret = boot_fail(&e, -EINVAL, "CPU number does not match this CPU's MPIDR", 0, cpu,
				mpidr);
	if (!ret && READ_ONCE(per_cpu[cpu].enabled))
		ret = boot_fail(&e, -EBUSY, "CPU already runs under the hypervisor", 0, cpu, cpu);
	if (ret) {
		write_sysreg(bi->stub_vectors, vbar_el2);
		isb();
		return ret;
	}
	return 0;
}

static void setup_el2_for_new_cpu(void)
{
	write_sysreg(hv.el2.cnthctl, cnthctl_el2);
	write_sysreg(0, cntvoff_el2);
	write_sysreg(hv.el2.cptr, cptr_el2);
	write_sysreg(hv.el2.mdcr, mdcr_el2);
	write_sysreg(hv.el2.hstr, hstr_el2);
	write_sysreg(hv.el2.icc_sre, S3_4_C12_C9_5);	/* ICC_SRE_EL2 */
	isb();
	write_sysreg(0, S3_4_C12_C11_0);		/* ICH_HCR_EL2 */
	write_sysreg(read_sysreg(midr_el1), vpidr_el2);
	write_sysreg(read_sysreg(mpidr_el1), vmpidr_el2);
	/* EL1 as PSCI promises it at CPU_ON: MMU and caches off, little endian. */
	write_sysreg(0x30d00800, sctlr_el1);
}

/**
 * hv_cpu_start() - second part, MMU on, at the link address (head.S)
 * @regs: the frame of the call (or of the CPU_ON start) to return through
 *
 * Return: nothing useful; head.S returns to EL1 through @regs.
 */
long hv_cpu_start(struct regs *regs)
{
	u32 cpu = (u32)regs->x[1], to;
	struct per_cpu *p = &per_cpu[cpu];

	write_sysreg(p, tpidr_el2);
	p->cpu = cpu;
	p->mpidr = read_sysreg(mpidr_el1) & MPIDR_AFF_MASK;
	if (READ_ONCE(p->state) == CPU_ENTERING)
		setup_el2_for_new_cpu();
	write_sysreg(hv.vtcr, vtcr_el2);
	/* A cell's CPU can be kicked from the moment it runs the cell (cpu_arrive()). */
	gic_kick_enable(cpu, READ_ONCE(p->cell) != NULL);
	to = cpu_arrive(p);
	if (to == CPU_LEAVING) {
		/* Its owner stopped, or it is no longer the one that powered it on. */
		reset_el1();
		psci_off_this_cpu();
	}
	p->enabled = 1;
	__atomic_or_fetch(&hv.cpus_enabled, BIT(cpu), __ATOMIC_RELAXED);
	if (to == CPU_CELL) {
		cell_enter(p, regs);
		return 0;
	}

	write_sysreg(hv.root_pt.hw_root | 1ULL << VTTBR_VMID_SHIFT, vttbr_el2);
	isb();
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(hv.el2.hcr | HCR_RW | HCR_VM | HCR_TSC | HCR_FB | HCR_BSU_IS, hcr_el2);
	isb();

	if (to == CPU_ROOT) {
		hv_log("CPU %u online (MPIDR %#llx), entering root at %#llx\n", cpu, p->mpidr,
		       p->on_entry);
		memset(regs, 0, sizeof(*regs));
		regs->elr = p->on_entry;
		regs->spsr = PSR_DAIF | PSR_MODE_EL1h;
		regs->x[0] = p->on_context;
	} else {
		hv_log("CPU %u enabled (MPIDR %#llx)\n", cpu, p->mpidr);
		regs->x[0] = 0;
	}
	return 0;
}

/**
 * hv_cpu_disable() - WARDEN_HC_DISABLE on this CPU: stage 2 off
 *
 * Return: 0 when the CPU may leave (head.S then turns the MMU off and gives
 * EL2 to the stub), or a negative errno to return to the caller.
 */
int hv_cpu_disable(void)
{
	struct per_cpu *p = this_cpu();

	if (hv.num_cells)
		return -EBUSY;
	asm volatile("tlbi vmalls12e1is" : : : "memory");
	dsb(ish);
	write_sysreg(hv.el2.hcr, hcr_el2);
	write_sysreg(0, vttbr_el2);
	isb();
	p->enabled = 0;
	__atomic_and_fetch(&hv.cpus_enabled, ~BIT(p->cpu), __ATOMIC_RELAXED);
	cpu_disabled(p);
	hv_log("CPU %u disabled\n", p->cpu);
	return 0;
}
