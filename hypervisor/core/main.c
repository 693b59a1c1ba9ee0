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

#include <warden/config-check.h>
/* Pin the shared ABI in this build too. */
#include <warden/abi-check.c>

_Static_assert(sizeof(struct per_cpu) <= HV_PERCPU_SIZE, "struct per_cpu too big");
_Static_assert(sizeof(struct per_cpu) % 4096 == 0, "struct per_cpu: whole pages");
_Static_assert(HV_MAX_CPUS <= WARDEN_BOOT_MAX_CPUS, "HV_MAX_CPUS");

const char hv_version[] = WARDEN_VERSION;

struct per_cpu per_cpu[HV_MAX_CPUS] __aligned(HV_PERCPU_SIZE);
struct hv hv;

extern const char __warden_header[], __text_end[], __core_end[];

/* ---------------------------------------------------------------------- */
/* Errors during init: written to the loader's record with the MMU off. */

int boot_fail(struct boot_error *e, int err, const char *what, u32 offset, s32 index,
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

	if (arch_link_base() != HV_BASE)
		return boot_fail(e, -EINVAL, "image not linked at HV_BASE", 0, -1, arch_link_base());
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

/* "...beyond the CPU's NN-bit physical address range", naming the figure. */
const char *beyond_pa(char *buf, u64 size, const char *what)
{
	unsigned int bits = arch_pa_bits();
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
	u64 limit = 1ULL << arch_pa_bits(), irqchip_end;
	char buf[WARDEN_HV_ERROR_WHAT_LEN];
	u32 i;

	for (i = 0; i < hv.sys->num_ram; i++)
		if (ram[i].phys_start + ram[i].size > limit)
			return boot_fail(e, -ERANGE, beyond_pa(buf, sizeof(buf), "platform RAM ends"),
					 l->ram + i * sizeof(*ram), i, ram[i].phys_start + ram[i].size);
	irqchip_end = arch_irqchip_end();
	if (irqchip_end > limit)
		return boot_fail(e, -ERANGE, beyond_pa(buf, sizeof(buf), "the GIC ends"), 0, -1,
				 irqchip_end);
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
	ret = check_pa_range(e, &l) ?: arch_irqchip_probe(e);
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
 * Root's stage 2: each of its regions 1:1, in the largest blocks that fit;
 * then the interrupt controller adjusts its part (arch_irqchip_map()).
 */
static int build_root_map(struct boot_error *e)
{
	int ret;
	u32 i;

	ret = pt_init(&hv.root_pt, PT_STAGE2, &hv.pool, arch_pa_bits());
	if (ret)
		return boot_fail(e, ret, "cannot allocate root's stage 2", 0, -1, 0);
	for (i = 0; i < hv.root->num_regions; i++) {
		const struct warden_region *r = &hv.root_regions[i];

		ret = pt_map(&hv.root_pt, r->phys_start, r->phys_start, r->size,
			     region_attrs(r->flags));
		if (ret)
			return boot_fail(e, ret, "cannot map a root region in stage 2",
					 hv.layout.regions + i * sizeof(*r), i, r->phys_start);
	}
	return 0;
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
	ret = ret ?: arch_irqchip_map(e);
	if (ret)
		return ret;
	hv.ipa_bits = arch_pa_bits();
	arch_setup_registers();
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
 * hv_init_cpu() - first part of bringing a CPU in, MMU off
 * @cpu:    the CPU number the loader gave it
 * @record: physical address of the loader's error record
 *
 * Return: 0, after which head.S turns the MMU on, or a negative errno with
 * EL2 given back to Linux's stub.
 */
int hv_init_cpu(u32 cpu, u64 record)
{
	struct boot_error e = { .cpu = cpu };
	const struct warden_image_header *h = (const void *)__warden_header;
	const struct warden_boot_info *bi = (const void *)((u64)__warden_header + h->core_size);
	u64 hwid = arch_cpu_hwid();
	int ret = 0;

	e.rec = boot_error_record(record, (u64)__warden_header, bi->mem_size);
	if (!READ_ONCE(hv.ready))
		ret = hv_global_init(&e);
	/* A CPU powered on by the hypervisor was checked by whoever asked (cpu.c). */
	if (!ret && READ_ONCE(per_cpu[cpu].state) != CPU_ENTERING && !root_owns(cpu))
		ret = boot_fail(&e, -EINVAL, "CPU is not the root cell's", 0, cpu, cpu);
	if (!ret && (cpu >= bi->num_cpus || (bi->mpidr[cpu] & CPU_HWID_MASK) != hwid))
		ret = boot_fail(&e, -EINVAL, "CPU number does not match this CPU's MPIDR", 0, cpu,
				hwid);
	if (!ret && READ_ONCE(per_cpu[cpu].enabled))
		ret = boot_fail(&e, -EBUSY, "CPU already runs under the hypervisor", 0, cpu, cpu);
	if (ret)
		arch_cpu_release();
	return ret;
}

/**
 * hv_start_cpu() - second part, MMU on, at the link address
 * @cpu:  the CPU number
 * @regs: the frame of the call (or of the power-on) to return through to EL1
 */
void hv_start_cpu(u32 cpu, struct regs *regs)
{
	u32 to;
	struct per_cpu *p = &per_cpu[cpu];

	p->cpu = cpu;
	p->hwid = arch_cpu_hwid();
	/* A cell's CPU can be kicked from the moment it runs the cell (cpu_arrive()). */
	arch_cpu_init(p, READ_ONCE(p->state) == CPU_ENTERING);
	to = cpu_arrive(p);
	if (to == CPU_LEAVING) {
		/* Its owner stopped, or it is no longer the one that powered it on. */
		arch_vcpu_reset();
		cpu_off_this();
	}
	p->enabled = 1;
	__atomic_or_fetch(&hv.cpus_enabled, BIT(cpu), __ATOMIC_RELAXED);
	if (to == CPU_CELL) {
		cell_enter(p, regs);
		return;
	}

	arch_enter_root(p, regs, to == CPU_ROOT);
	if (to == CPU_ROOT)
		hv_log("CPU %u online (MPIDR %#llx), entering root at %#llx\n", cpu, p->hwid,
		       p->on_entry);
	else
		hv_log("CPU %u enabled (MPIDR %#llx)\n", cpu, p->hwid);
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

	/* A quarantined CPU still runs under these tables and vectors. */
	if (hv.num_cells || hv.quarantined)
		return -EBUSY;
	arch_cpu_disable();
	p->enabled = 0;
	__atomic_and_fetch(&hv.cpus_enabled, ~BIT(p->cpu), __ATOMIC_RELAXED);
	cpu_disabled(p);
	hv_log("CPU %u disabled\n", p->cpu);
	return 0;
}

/* Raise the event interrupt in root (its own interrupt, no polling). */
void notify_root(void)
{
	if (hv.sys->event_irq)
		hv.irqchip->raise(hv.sys->event_irq);
}
