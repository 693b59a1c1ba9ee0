/* SPDX-License-Identifier: (GPL-2.0-only WITH Linux-syscall-note) OR MIT */
/*
 * Structural checks of configuration blobs (include/warden/config.h), shared
 * by everyone who handles them: celld checks what its compiler produced and
 * what `cellctl show` decodes, warden.ko checks what user space hands it, and
 * the hypervisor checks again because it trusts nobody. One implementation,
 * so the three can never disagree.
 *
 * A failed check fills struct warden_config_error: what is wrong, the byte
 * offset of the offending field in the blob, the index of the array element
 * (or -1) and the offending value, so that a refusal says why and where.
 *
 * The includer provides memcmp().
 */
#ifndef _WARDEN_CONFIG_CHECK_H
#define _WARDEN_CONFIG_CHECK_H

#include <warden/config.h>
#include <warden/hypercall.h>

struct warden_config_error {
	const char *what;
	__u32 offset;
	__s32 index;
	__u64 value;
};

/* Where each part of a blob lives; filled by the layout functions below. */
struct warden_config_layout {
	__u32 cell;		/* struct warden_cell (the root cell in a system blob) */
	__u32 regions;
	__u32 irqs;
	__u32 policy;		/* cell blobs only */
	__u32 images;
	__u32 strings;
	__u32 ram;		/* system blobs only */
	__u32 end;
};

#define WARDEN_CFG_FAIL(err, msg, off, idx, val)				\
	({								\
		(err)->what = (msg);					\
		(err)->offset = (__u32)(off);				\
		(err)->index = (__s32)(idx);				\
		(err)->value = (__u64)(val);				\
		-EINVAL;						\
	})

static inline __u32 warden_cfg_align8(__u32 n)
{
	return (n + 7) & ~7U;
}

static inline const void *warden_cfg_at(const void *blob, __u32 offset)
{
	return (const unsigned char *)blob + offset;
}

static inline int warden_cfg_zero(const void *p, unsigned long n)
{
	const unsigned char *c = (const unsigned char *)p;

	while (n--)
		if (*c++)
			return 0;
	return 1;
}

/* A name: 1-31 of [a-z0-9-], starting with a letter or digit, NUL-padded. */
static inline int warden_cfg_name_ok(const char *name)
{
	unsigned int i = 0;

	if (name[0] == '-' || !name[0])
		return 0;
	for (; i < WARDEN_NAME_LEN && name[i]; i++)
		if (!((name[i] >= 'a' && name[i] <= 'z') || (name[i] >= '0' && name[i] <= '9') ||
		      name[i] == '-'))
			return 0;
	if (i == WARDEN_NAME_LEN)
		return 0;
	return warden_cfg_zero(name + i, WARDEN_NAME_LEN - i);
}

static inline int warden_cfg_check_header(const void *blob, __u32 size, __u32 kind,
					  struct warden_config_error *err)
{
	const struct warden_config_header *h = (const struct warden_config_header *)blob;

	if (size < sizeof(*h))
		return WARDEN_CFG_FAIL(err, "blob shorter than its header", 0, -1, size);
	if (memcmp(h->magic, WARDEN_CONFIG_MAGIC, WARDEN_CONFIG_MAGIC_LEN))
		return WARDEN_CFG_FAIL(err, "bad magic: not a Warden configuration", 0, -1, 0);
	if (h->revision != WARDEN_CONFIG_REVISION)
		return WARDEN_CFG_FAIL(err, "configuration revision not supported", 8, -1, h->revision);
	if (h->kind != kind)
		return WARDEN_CFG_FAIL(err, "wrong kind of configuration", 12, -1, h->kind);
	if (h->total_size != size || size > WARDEN_CONFIG_MAX_SIZE || size % 8)
		return WARDEN_CFG_FAIL(err, "total_size does not match the blob", 16, -1, h->total_size);
	if (h->reserved0 || h->reserved)
		return WARDEN_CFG_FAIL(err, "reserved header field not zero", 20, -1, 0);
	if (!warden_cfg_name_ok(h->name))
		return WARDEN_CFG_FAIL(err, "invalid name", 24, -1, 0);
	return 0;
}

static inline int warden_cfg_check_region(const struct warden_region *r, __u32 off, int idx,
					  int identity, struct warden_config_error *err)
{
	const __u64 mask = WARDEN_PAGE_SIZE - 1;

	if (!r->size || (r->size & mask))
		return WARDEN_CFG_FAIL(err, "region size zero or not a multiple of 4 KiB", off + 16, idx, r->size);
	if ((r->phys_start & mask) || (r->virt_start & mask))
		return WARDEN_CFG_FAIL(err, "region address not 4 KiB aligned", off, idx, r->phys_start | r->virt_start);
	if (r->phys_start + r->size < r->phys_start || r->virt_start + r->size < r->virt_start)
		return WARDEN_CFG_FAIL(err, "region wraps around the address space", off + 16, idx, r->size);
	if (identity && r->phys_start != r->virt_start)
		return WARDEN_CFG_FAIL(err, "region must be mapped 1:1", off + 8, idx, r->virt_start);
	if ((r->flags & ~__WARDEN_MEM_F_ALL) || !(r->flags & (WARDEN_MEM_READ | WARDEN_MEM_WRITE | WARDEN_MEM_EXECUTE)))
		return WARDEN_CFG_FAIL(err, "region flags invalid or grant no access", off + 24, idx, r->flags);
	if (r->reserved)
		return WARDEN_CFG_FAIL(err, "reserved region field not zero", off + 28, idx, r->reserved);
	if (!warden_cfg_name_ok(r->name))
		return WARDEN_CFG_FAIL(err, "invalid region name", off + 32, idx, 0);
	return 0;
}

static inline int warden_cfg_overlap(__u64 a, __u64 asz, __u64 b, __u64 bsz)
{
	return a < b + bsz && b < a + asz;
}

/* Regions valid one by one, and neither host nor guest ranges overlapping. */
static inline int warden_cfg_check_regions(const void *blob, __u32 off, __u32 n, int identity,
					   struct warden_config_error *err)
{
	const struct warden_region *r = (const struct warden_region *)warden_cfg_at(blob, off);
	__u32 i, j;
	int ret;

	for (i = 0; i < n; i++) {
		ret = warden_cfg_check_region(&r[i], off + i * sizeof(*r), i, identity, err);
		if (ret)
			return ret;
		for (j = 0; j < i; j++) {
			if (warden_cfg_overlap(r[i].phys_start, r[i].size, r[j].phys_start, r[j].size))
				return WARDEN_CFG_FAIL(err, "regions overlap in host memory",
						       off + i * sizeof(*r), i, r[i].phys_start);
			if (warden_cfg_overlap(r[i].virt_start, r[i].size, r[j].virt_start, r[j].size))
				return WARDEN_CFG_FAIL(err, "regions overlap in guest memory",
						       off + i * sizeof(*r) + 8, i, r[i].virt_start);
		}
	}
	return 0;
}

/* Interrupts: SPIs, each once, padding zero. */
static inline int warden_cfg_check_irqs(const void *blob, __u32 off, __u32 n,
					struct warden_config_error *err)
{
	const __u32 *irq = (const __u32 *)warden_cfg_at(blob, off);
	__u32 i, j;

	for (i = 0; i < n; i++) {
		if (irq[i] < WARDEN_IRQ_SPI_FIRST || irq[i] > WARDEN_IRQ_SPI_LAST)
			return WARDEN_CFG_FAIL(err, "interrupt is not a shared peripheral interrupt (32-1019)",
					       off + 4 * i, i, irq[i]);
		for (j = 0; j < i; j++)
			if (irq[i] == irq[j])
				return WARDEN_CFG_FAIL(err, "interrupt listed twice", off + 4 * i, i, irq[i]);
	}
	if (n % 2 && irq[n])
		return WARDEN_CFG_FAIL(err, "interrupt list padding not zero", off + 4 * n, -1, irq[n]);
	return 0;
}

/*
 * An emulated device's page (the virtual UART's, the power button's): its own
 * page in the cell's guest space (no region, not the communication page).
 * @what names the device, @at is the offset of its base field.
 */
static inline int warden_cfg_check_dev_page(const void *blob, const struct warden_config_layout *l,
					    __u64 base, __u32 at, const char *const what[3],
					    struct warden_config_error *err)
{
	const struct warden_cell *c = (const struct warden_cell *)warden_cfg_at(blob, l->cell);
	const struct warden_region *r = (const struct warden_region *)warden_cfg_at(blob, l->regions);
	__u32 i;

	if (!base || base & (WARDEN_PAGE_SIZE - 1) || base + WARDEN_PAGE_SIZE < base)
		return WARDEN_CFG_FAIL(err, what[0], at, -1, base);
	if (base == WARDEN_COMM_PAGE_IPA)
		return WARDEN_CFG_FAIL(err, what[1], at, -1, base);
	for (i = 0; i < c->num_regions; i++)
		if (warden_cfg_overlap(base, WARDEN_PAGE_SIZE, r[i].virt_start, r[i].size))
			return WARDEN_CFG_FAIL(err, what[2], at, i, base);
	return 0;
}

/* @irq is one of the cell's interrupts. */
static inline int warden_cfg_cell_owns(const void *blob, const struct warden_config_layout *l, __u32 irq)
{
	const struct warden_cell *c = (const struct warden_cell *)warden_cfg_at(blob, l->cell);
	const __u32 *irqs = (const __u32 *)warden_cfg_at(blob, l->irqs);
	__u32 i;

	for (i = 0; i < c->num_irqs; i++)
		if (irqs[i] == irq)
			return 1;
	return 0;
}

/* The virtual UART: a page of its own and an interrupt the cell owns. */
static inline int warden_cfg_check_uart(const void *blob, const struct warden_config_layout *l,
					struct warden_config_error *err)
{
	static const char *const what[3] = {
		"virtual UART address zero or not 4 KiB aligned",
		"virtual UART at the communication page",
		"virtual UART overlaps a region of the cell",
	};
	const struct warden_cell *c = (const struct warden_cell *)warden_cfg_at(blob, l->cell);
	int ret;

	ret = warden_cfg_check_dev_page(blob, l, c->uart_base, l->cell + 40, what, err);
	if (ret)
		return ret;
	if (!warden_cfg_cell_owns(blob, l, c->uart_irq))
		return WARDEN_CFG_FAIL(err, "virtual UART interrupt is not one of the cell's", l->cell + 28, -1,
				       c->uart_irq);
	return 0;
}

/*
 * The power button: its GPIO controller's page of its own (not the UART's)
 * and an interrupt the cell owns that is not the UART's.
 */
static inline int warden_cfg_check_button(const void *blob, const struct warden_config_layout *l,
					  struct warden_config_error *err)
{
	static const char *const what[3] = {
		"power button address zero or not 4 KiB aligned",
		"power button at the communication page",
		"power button overlaps a region of the cell",
	};
	const struct warden_cell *c = (const struct warden_cell *)warden_cfg_at(blob, l->cell);
	int uart = c->flags & WARDEN_CELL_UART;
	int ret;

	ret = warden_cfg_check_dev_page(blob, l, c->button_base, l->cell + 48, what, err);
	if (ret)
		return ret;
	if (uart && c->button_base == c->uart_base)
		return WARDEN_CFG_FAIL(err, "power button at the virtual UART's page", l->cell + 48, -1,
				       c->button_base);
	if (!warden_cfg_cell_owns(blob, l, c->button_irq))
		return WARDEN_CFG_FAIL(err, "power button interrupt is not one of the cell's", l->cell + 56, -1,
				       c->button_irq);
	if (uart && c->button_irq == c->uart_irq)
		return WARDEN_CFG_FAIL(err, "power button interrupt is the virtual UART's", l->cell + 56, -1,
				       c->button_irq);
	return 0;
}

/* The struct warden_cell at @off and its regions and interrupts; sets l->regions..l->end. */
static inline int warden_cfg_check_cell_part(const void *blob, __u32 size, __u32 off, int identity,
					     struct warden_config_layout *l,
					     struct warden_config_error *err)
{
	const struct warden_cell *c = (const struct warden_cell *)warden_cfg_at(blob, off);
	int ret;

	if (size < off + sizeof(*c))
		return WARDEN_CFG_FAIL(err, "blob ends inside the cell description", off, -1, size);
	if (!c->cpu_set)
		return WARDEN_CFG_FAIL(err, "cell has no CPU", off, -1, 0);
	if (c->flags & ~__WARDEN_CELL_F_ALL)
		return WARDEN_CFG_FAIL(err, "unknown cell flags", off + 16, -1, c->flags);
	if ((c->flags & WARDEN_CELL_WAIT_TRAPPED) && !(c->flags & WARDEN_CELL_IRQ_DIRECT))
		return WARDEN_CFG_FAIL(err, "trapped waits are for direct interrupt delivery only",
				       off + 16, -1, c->flags);
	if ((c->flags & WARDEN_CELL_PASSIVE) && (c->flags & WARDEN_CELL_MAY_REFUSE))
		return WARDEN_CFG_FAIL(err, "a passive cell is never asked, so it cannot be allowed to refuse",
				       off + 16, -1, c->flags);
	if (!c->num_regions || c->num_regions > WARDEN_MAX_REGIONS)
		return WARDEN_CFG_FAIL(err, "number of regions out of range", off + 20, -1, c->num_regions);
	if (c->num_irqs > WARDEN_MAX_IRQS)
		return WARDEN_CFG_FAIL(err, "too many interrupts", off + 24, -1, c->num_irqs);
	if (c->entry_arg && !(c->flags & WARDEN_CELL_ENTRY_ARG))
		return WARDEN_CFG_FAIL(err, "entry argument without WARDEN_CELL_ENTRY_ARG", off + 32, -1,
				       c->entry_arg);
	if (!(c->flags & WARDEN_CELL_UART) && (c->uart_irq || c->uart_base))
		return WARDEN_CFG_FAIL(err, "virtual UART fields set without WARDEN_CELL_UART", off + 28, -1,
				       c->uart_base | c->uart_irq);
	if (!(c->flags & WARDEN_CELL_POWER_BUTTON) && (c->button_irq || c->button_base))
		return WARDEN_CFG_FAIL(err, "power button fields set without WARDEN_CELL_POWER_BUTTON", off + 48,
				       -1, c->button_base | c->button_irq);
	if (c->reserved)
		return WARDEN_CFG_FAIL(err, "reserved cell field not zero", off + 60, -1, c->reserved);
	l->cell = off;
	l->regions = off + sizeof(*c);
	l->irqs = l->regions + c->num_regions * sizeof(struct warden_region);
	l->end = l->irqs + warden_cfg_align8(c->num_irqs * 4);
	if (size < l->end)
		return WARDEN_CFG_FAIL(err, "blob ends inside the regions or interrupts", l->regions, -1, size);
	ret = warden_cfg_check_regions(blob, l->regions, c->num_regions, identity, err);
	if (!ret)
		ret = warden_cfg_check_irqs(blob, l->irqs, c->num_irqs, err);
	if (!ret && (c->flags & WARDEN_CELL_UART))
		ret = warden_cfg_check_uart(blob, l, err);
	if (!ret && (c->flags & WARDEN_CELL_POWER_BUTTON))
		ret = warden_cfg_check_button(blob, l, err);
	return ret;
}

/* The entry point lies in an executable region of the cell. */
static inline int warden_cfg_check_entry(const void *blob, const struct warden_config_layout *l,
					 struct warden_config_error *err)
{
	const struct warden_cell *c = (const struct warden_cell *)warden_cfg_at(blob, l->cell);
	const struct warden_region *r = (const struct warden_region *)warden_cfg_at(blob, l->regions);
	__u32 i;

	for (i = 0; i < c->num_regions; i++)
		if ((r[i].flags & WARDEN_MEM_EXECUTE) && c->entry >= r[i].virt_start &&
		    c->entry - r[i].virt_start < r[i].size)
			return c->entry % 4 ? WARDEN_CFG_FAIL(err, "entry point not 4-byte aligned",
							      l->cell + 8, -1, c->entry) : 0;
	return WARDEN_CFG_FAIL(err, "entry point outside the cell's executable regions", l->cell + 8, -1,
			       c->entry);
}

static inline int warden_cfg_check_policy(const struct warden_policy *p, __u32 off,
					  struct warden_config_error *err)
{
	if (p->restart > WARDEN_RESTART_ALWAYS)
		return WARDEN_CFG_FAIL(err, "unknown restart policy", off, -1, p->restart);
	if (p->flags & ~__WARDEN_POLICY_F_ALL)
		return WARDEN_CFG_FAIL(err, "unknown policy flags", off + 28, -1, p->flags);
	if (p->num_images > WARDEN_MAX_IMAGES)
		return WARDEN_CFG_FAIL(err, "too many images", off + 32, -1, p->num_images);
	if (p->strings_size % 8 || p->strings_size > WARDEN_MAX_STRINGS)
		return WARDEN_CFG_FAIL(err, "string table size invalid", off + 36, -1, p->strings_size);
	if (p->reserved0 || p->reserved1 || !warden_cfg_zero(p->reserved, sizeof(p->reserved)))
		return WARDEN_CFG_FAIL(err, "reserved policy field not zero", off + 40, -1, 0);
	return 0;
}

/* Images name a loadable region, an offset inside it and a terminated path. */
static inline int warden_cfg_check_images(const void *blob, const struct warden_config_layout *l,
					  __u32 n, __u32 strings_size, struct warden_config_error *err)
{
	const struct warden_cell *c = (const struct warden_cell *)warden_cfg_at(blob, l->cell);
	const struct warden_region *r = (const struct warden_region *)warden_cfg_at(blob, l->regions);
	const struct warden_image *im = (const struct warden_image *)warden_cfg_at(blob, l->images);
	const char *s = (const char *)warden_cfg_at(blob, l->strings);
	__u32 i, k;

	for (i = 0; i < n; i++) {
		__u32 off = l->images + i * sizeof(*im);

		if (im[i].region >= c->num_regions || !(r[im[i].region].flags & WARDEN_MEM_LOADABLE))
			return WARDEN_CFG_FAIL(err, "image region missing or not loadable", off, i, im[i].region);
		if (im[i].offset >= r[im[i].region].size)
			return WARDEN_CFG_FAIL(err, "image offset beyond its region", off + 8, i, im[i].offset);
		if (im[i].path_offset >= strings_size)
			return WARDEN_CFG_FAIL(err, "image path outside the string table", off + 4, i, im[i].path_offset);
		for (k = im[i].path_offset; k < strings_size && s[k]; k++)
			;
		if (k == strings_size || k == im[i].path_offset)
			return WARDEN_CFG_FAIL(err, "image path empty or not terminated", off + 4, i, im[i].path_offset);
	}
	return 0;
}

/**
 * warden_config_check_cell() - check a cell blob on its own
 * @blob: the blob, 8-byte aligned
 * @size: its bytes
 * @l:    filled with where the parts are, on success
 * @err:  filled on failure
 *
 * Return: 0 or -EINVAL.
 */
static inline int warden_config_check_cell(const void *blob, __u32 size, struct warden_config_layout *l,
					   struct warden_config_error *err)
{
	const struct warden_policy *p;
	int ret;

	ret = warden_cfg_check_header(blob, size, WARDEN_CONFIG_CELL, err);
	if (!ret)
		ret = warden_cfg_check_cell_part(blob, size, sizeof(struct warden_config_header), 0, l, err);
	if (!ret)
		ret = warden_cfg_check_entry(blob, l, err);
	if (ret)
		return ret;
	l->policy = l->end;
	if (size < l->policy + sizeof(*p))
		return WARDEN_CFG_FAIL(err, "blob ends before the policy", l->policy, -1, size);
	p = (const struct warden_policy *)warden_cfg_at(blob, l->policy);
	ret = warden_cfg_check_policy(p, l->policy, err);
	if (ret)
		return ret;
	l->images = l->policy + sizeof(*p);
	l->strings = l->images + p->num_images * sizeof(struct warden_image);
	l->end = l->strings + p->strings_size;
	l->ram = 0;
	if (l->end != size)
		return WARDEN_CFG_FAIL(err, "total_size does not match the contents", 16, -1, l->end);
	if (p->strings_size && ((const char *)blob)[size - 1])
		return WARDEN_CFG_FAIL(err, "string table not terminated", size - 1, -1, 0);
	return warden_cfg_check_images(blob, l, p->num_images, p->strings_size, err);
}

/* GICv3: distributor and redistributors; GICv2: distributor and its three CPU-side frames. */
static inline int warden_cfg_check_gic(const struct warden_system *s, __u32 off,
				       struct warden_config_error *err)
{
	__u64 pages = s->gicd_base | s->gicr_base | s->gicc_base | s->gich_base | s->gicv_base;

	if (s->gic_version != WARDEN_GIC_V2 && s->gic_version != WARDEN_GIC_V3)
		return WARDEN_CFG_FAIL(err, "unsupported GIC version", off + 48, -1, s->gic_version);
	if (!s->gicd_base || pages & (WARDEN_PAGE_SIZE - 1))
		return WARDEN_CFG_FAIL(err, "GIC frame missing or not 4 KiB aligned", off + 8, -1,
				       s->gicd_base);
	if (s->gic_version == WARDEN_GIC_V3) {
		if (!s->gicr_base)
			return WARDEN_CFG_FAIL(err, "GICv3 without redistributors", off + 16, -1, 0);
		if (s->gicc_base || s->gich_base || s->gicv_base)
			return WARDEN_CFG_FAIL(err, "GICv3 with GICv2 CPU interface frames", off + 80,
					       -1, s->gicc_base | s->gich_base | s->gicv_base);
		return 0;
	}
	if (s->gicr_base)
		return WARDEN_CFG_FAIL(err, "GICv2 with redistributors", off + 16, -1, s->gicr_base);
	if (!s->gicc_base)
		return WARDEN_CFG_FAIL(err, "GICv2 without its CPU interface", off + 80, -1, 0);
	if (!s->gich_base)
		return WARDEN_CFG_FAIL(err, "GICv2 without its virtual interface control", off + 88, -1,
				       0);
	if (!s->gicv_base)
		return WARDEN_CFG_FAIL(err, "GICv2 without its virtual CPU interface", off + 96, -1, 0);
	return 0;
}

static inline int warden_cfg_check_system_part(const struct warden_system *s, __u32 off,
					       struct warden_config_error *err)
{
	int ret;

	if (!s->cpu_set)
		return WARDEN_CFG_FAIL(err, "platform has no CPU", off, -1, 0);
	ret = warden_cfg_check_gic(s, off, err);
	if (ret)
		return ret;
	if (s->uart_type > WARDEN_UART_PL011)
		return WARDEN_CFG_FAIL(err, "unknown UART type", off + 52, -1, s->uart_type);
	if (!s->num_ram || s->num_ram > WARDEN_MAX_RAM)
		return WARDEN_CFG_FAIL(err, "number of RAM ranges out of range", off + 60, -1, s->num_ram);
	if (!s->hv_mem_size || ((s->hv_mem_base | s->hv_mem_size) & (WARDEN_PAGE_SIZE - 1)) ||
	    s->hv_mem_base + s->hv_mem_size < s->hv_mem_base)
		return WARDEN_CFG_FAIL(err, "hypervisor memory empty or not 4 KiB aligned", off + 32, -1,
				       s->hv_mem_base);
	if (s->event_irq && (s->event_irq < WARDEN_IRQ_SPI_FIRST || s->event_irq > WARDEN_IRQ_SPI_LAST))
		return WARDEN_CFG_FAIL(err, "event interrupt is not a shared peripheral interrupt (32-1019)",
				       off + 64, -1, s->event_irq);
	if (s->event_irq && s->event_irq == s->uart_irq)
		return WARDEN_CFG_FAIL(err, "event interrupt is the UART's interrupt", off + 64, -1, s->event_irq);
	if (s->reserved0)
		return WARDEN_CFG_FAIL(err, "reserved system field not zero", off + 68, -1, s->reserved0);
	if (s->reserved)
		return WARDEN_CFG_FAIL(err, "reserved system field not zero", off + 72, -1, s->reserved);
	return 0;
}

/* @base..+@size lies inside one of @n RAM ranges at @ram. */
static inline int warden_cfg_in_ram(const struct warden_region *ram, __u32 n, __u64 base, __u64 size)
{
	__u32 i;

	for (i = 0; i < n; i++)
		if (base >= ram[i].phys_start && base - ram[i].phys_start <= ram[i].size &&
		    size <= ram[i].size - (base - ram[i].phys_start))
			return 1;
	return 0;
}

/*
 * The root cell: CPUs of the platform, no access to the hypervisor's memory, and
 * not the owner of the event interrupt (the hypervisor raises it; @soff: where
 * the struct warden_system is).
 */
static inline int warden_cfg_check_root(const void *blob, const struct warden_system *s, __u32 soff,
					const struct warden_config_layout *l,
					struct warden_config_error *err)
{
	const struct warden_cell *c = (const struct warden_cell *)warden_cfg_at(blob, l->cell);
	const struct warden_region *r = (const struct warden_region *)warden_cfg_at(blob, l->regions);
	const __u32 *irq = (const __u32 *)warden_cfg_at(blob, l->irqs);
	__u32 i;

	if (c->cpu_set & ~s->cpu_set)
		return WARDEN_CFG_FAIL(err, "root cell CPU not in the platform", l->cell, -1, c->cpu_set & ~s->cpu_set);
	if (!(c->cpu_set & 1))
		return WARDEN_CFG_FAIL(err, "root cell must own CPU 0", l->cell, -1, c->cpu_set);
	if (c->entry || c->flags)
		return WARDEN_CFG_FAIL(err, "root cell has an entry point or flags", l->cell + 8, -1, c->entry);
	for (i = 0; i < c->num_regions; i++)
		if (warden_cfg_overlap(r[i].phys_start, r[i].size, s->hv_mem_base, s->hv_mem_size))
			return WARDEN_CFG_FAIL(err, "root cell region overlaps the hypervisor's memory",
					       l->regions + i * sizeof(*r), i, r[i].phys_start);
	for (i = 0; s->event_irq && i < c->num_irqs; i++)
		if (irq[i] == s->event_irq)
			return WARDEN_CFG_FAIL(err, "event interrupt is owned by the root cell", soff + 64, -1,
					       s->event_irq);
	return 0;
}

/**
 * warden_config_check_system() - check a system blob
 * @blob: the blob, 8-byte aligned
 * @size: its bytes
 * @l:    filled with where the parts are (l->cell: the root cell), on success
 * @err:  filled on failure
 *
 * Return: 0 or -EINVAL.
 */
static inline int warden_config_check_system(const void *blob, __u32 size, struct warden_config_layout *l,
					     struct warden_config_error *err)
{
	const __u32 soff = sizeof(struct warden_config_header);
	const struct warden_system *s = (const struct warden_system *)warden_cfg_at(blob, soff);
	const struct warden_region *ram;
	int ret;

	ret = warden_cfg_check_header(blob, size, WARDEN_CONFIG_SYSTEM, err);
	if (ret)
		return ret;
	if (size < soff + sizeof(*s))
		return WARDEN_CFG_FAIL(err, "blob ends inside the system description", soff, -1, size);
	ret = warden_cfg_check_system_part(s, soff, err);
	if (ret)
		return ret;
	l->ram = soff + sizeof(*s);
	l->cell = l->ram + s->num_ram * sizeof(struct warden_region);
	if (size < l->cell)
		return WARDEN_CFG_FAIL(err, "blob ends inside the RAM ranges", l->ram, -1, size);
	ret = warden_cfg_check_regions(blob, l->ram, s->num_ram, 1, err);
	if (ret)
		return ret;
	ram = (const struct warden_region *)warden_cfg_at(blob, l->ram);
	if (!warden_cfg_in_ram(ram, s->num_ram, s->hv_mem_base, s->hv_mem_size))
		return WARDEN_CFG_FAIL(err, "hypervisor memory outside the platform's RAM", soff + 32, -1,
				       s->hv_mem_base);
	ret = warden_cfg_check_cell_part(blob, size, l->cell, 1, l, err);
	if (ret)
		return ret;
	l->policy = l->images = l->strings = 0;
	if (l->end != size)
		return WARDEN_CFG_FAIL(err, "total_size does not match the contents", 16, -1, l->end);
	return warden_cfg_check_root(blob, s, soff, l, err);
}

#endif /* _WARDEN_CONFIG_CHECK_H */
