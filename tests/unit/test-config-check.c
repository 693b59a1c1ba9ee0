// SPDX-License-Identifier: GPL-2.0-only
/*
 * The shared blob checks (include/warden/config-check.h), run on blobs built
 * by hand: a valid system and cell blob pass, and each corruption is refused
 * with its own reason, field offset and element index.
 */
#include <errno.h>
#include <stdlib.h>
#include <string.h>

#include <warden/config-check.h>

#include "tests.h"

#define MiB (1024ULL * 1024)

static void region(struct warden_region *r, const char *name, __u64 phys, __u64 virt, __u64 size,
		   __u32 flags)
{
	memset(r, 0, sizeof(*r));
	r->phys_start = phys;
	r->virt_start = virt;
	r->size = size;
	r->flags = flags;
	strncpy(r->name, name, sizeof(r->name) - 1);
}

static void header(void *blob, __u32 kind, const char *name, __u32 size)
{
	struct warden_config_header *h = blob;

	memcpy(h->magic, WARDEN_CONFIG_MAGIC, WARDEN_CONFIG_MAGIC_LEN);
	h->revision = WARDEN_CONFIG_REVISION;
	h->kind = kind;
	h->total_size = size;
	strncpy(h->name, name, sizeof(h->name) - 1);
}

/* gic-demo-like cell: CPU 3, 1 MiB of RAM at guest 0, one SPI, one image. */
static __u32 make_cell(unsigned char *b)
{
	struct warden_cell *c = (void *)(b + 64);
	struct warden_region *r = (void *)(b + 128);
	__u32 *irq = (void *)(b + 192);
	struct warden_policy *p = (void *)(b + 200);
	struct warden_image *im = (void *)(b + 264);
	char *strings = (char *)(b + 280);
	const char path[] = "/usr/lib/warden/inmates/gic-demo.bin";
	__u32 strings_size = (sizeof(path) + 7) & ~7U;
	__u32 size = 280 + strings_size;

	memset(b, 0, size);
	header(b, WARDEN_CONFIG_CELL, "gic-demo", size);
	c->cpu_set = 1ULL << 3;
	c->entry = 0;
	c->flags = WARDEN_CELL_CONSOLE_VIRTUAL;
	c->num_regions = 1;
	c->num_irqs = 1;
	region(r, "ram", 0x70400000, 0, MiB,
	       WARDEN_MEM_READ | WARDEN_MEM_WRITE | WARDEN_MEM_EXECUTE | WARDEN_MEM_LOADABLE);
	irq[0] = 48;
	p->restart = WARDEN_RESTART_ON_FAILURE;
	p->restart_burst = 5;
	p->num_images = 1;
	p->strings_size = strings_size;
	im->region = 0;
	im->path_offset = 0;
	memcpy(strings, path, sizeof(path));
	return size;
}

/* The QEMU virt system: 4 CPUs, 1 GiB RAM, 16 MiB hypervisor at 0x70000000. */
static __u32 make_system(unsigned char *b)
{
	struct warden_system *s = (void *)(b + 64);
	struct warden_region *ram = (void *)(b + 168);
	struct warden_cell *root = (void *)(b + 232);
	struct warden_region *r = (void *)(b + 296);
	__u32 size = 296 + 2 * 64;

	memset(b, 0, size);
	header(b, WARDEN_CONFIG_SYSTEM, "qemu-virt", size);
	s->cpu_set = 0xf;
	s->gicd_base = 0x08000000;
	s->gicr_base = 0x080a0000;
	s->uart_base = 0x09000000;
	s->hv_mem_base = 0x70000000;
	s->hv_mem_size = 16 * MiB;
	s->gic_version = WARDEN_GIC_V3;
	s->uart_type = WARDEN_UART_PL011;
	s->uart_irq = 33;
	s->num_ram = 1;
	s->event_irq = 160;
	region(ram, "ram", 0x40000000, 0x40000000, 1024 * MiB, WARDEN_MEM_READ | WARDEN_MEM_WRITE);
	root->cpu_set = 0xf;
	root->num_regions = 2;
	region(&r[0], "ram", 0x40000000, 0x40000000, 768 * MiB,
	       WARDEN_MEM_READ | WARDEN_MEM_WRITE | WARDEN_MEM_EXECUTE);
	region(&r[1], "mmio", 0x08000000, 0x08000000, 0x38000000,
	       WARDEN_MEM_READ | WARDEN_MEM_WRITE | WARDEN_MEM_IO);
	return size;
}

static _Alignas(8) unsigned char blob[1024];

#define EXPECT_CELL_REFUSED(mutate, what_part, at_offset)                              \
	do {                                                                           \
		struct warden_config_layout _l;                                        \
		struct warden_config_error _e = { 0 };                                 \
		__u32 size = make_cell(blob);                                          \
		mutate;                                                                \
		ASSERT_EQ(warden_config_check_cell(blob, size, &_l, &_e), -EINVAL);    \
		ASSERT_NOT_NULL(_e.what);                                              \
		ASSERT_NOT_NULL(strstr(_e.what, what_part));                           \
		ASSERT_EQ(_e.offset, at_offset);                                       \
	} while (0)

#define EXPECT_SYSTEM_REFUSED(mutate, what_part, at_offset)                            \
	do {                                                                           \
		struct warden_config_layout _l;                                        \
		struct warden_config_error _e = { 0 };                                 \
		__u32 size = make_system(blob);                                        \
		mutate;                                                                \
		ASSERT_EQ(warden_config_check_system(blob, size, &_l, &_e), -EINVAL);  \
		ASSERT_NOT_NULL(_e.what);                                              \
		ASSERT_NOT_NULL(strstr(_e.what, what_part));                           \
		ASSERT_EQ(_e.offset, at_offset);                                       \
	} while (0)

#define CELL ((struct warden_cell *)(blob + 64))
#define CREG ((struct warden_region *)(blob + 128))
#define CIRQ ((__u32 *)(blob + 192))
#define POLICY ((struct warden_policy *)(blob + 200))
#define IMAGE ((struct warden_image *)(blob + 264))
#define SYS ((struct warden_system *)(blob + 64))
#define ROOT ((struct warden_cell *)(blob + 232))
#define RREG ((struct warden_region *)(blob + 296))

TEST(valid_cell_passes)
{
	struct warden_config_layout l;
	struct warden_config_error e = { 0 };
	__u32 size = make_cell(blob);

	ASSERT_EQ(warden_config_check_cell(blob, size, &l, &e), 0);
	ASSERT_EQ(l.regions, 128);
	ASSERT_EQ(l.irqs, 192);
	ASSERT_EQ(l.policy, 200);
	ASSERT_EQ(l.images, 264);
	ASSERT_EQ(l.strings, 280);
	ASSERT_EQ(l.end, size);
}

TEST(valid_system_passes)
{
	struct warden_config_layout l;
	struct warden_config_error e = { 0 };
	__u32 size = make_system(blob);

	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), 0);
	ASSERT_EQ(l.ram, 168);
	ASSERT_EQ(l.cell, 232);
	ASSERT_EQ(l.regions, 296);
	ASSERT_EQ(l.end, size);
}

/* A cell with the virtual UART (WARDEN_CELL_UART): its page and its interrupt. */
#define WITH_UART(base, irq)                                                           \
	(CELL->flags |= WARDEN_CELL_UART, CELL->uart_base = (base), CELL->uart_irq = (irq))

TEST(cell_uart)
{
	struct warden_config_layout l;
	struct warden_config_error e = { 0 };
	__u32 size = make_cell(blob);

	WITH_UART(0x09000000, 48);
	ASSERT_EQ(warden_config_check_cell(blob, size, &l, &e), 0);
	EXPECT_CELL_REFUSED(WITH_UART(0, 48), "address zero or not 4 KiB aligned", 104);
	EXPECT_CELL_REFUSED(WITH_UART(0x09000800, 48), "not 4 KiB aligned", 104);
	EXPECT_CELL_REFUSED(WITH_UART(0x80000, 48), "overlaps a region", 104);
	EXPECT_CELL_REFUSED(WITH_UART(WARDEN_COMM_PAGE_IPA, 48), "communication page", 104);
	EXPECT_CELL_REFUSED(WITH_UART(0x09000000, 49), "not one of the cell's", 92);
	EXPECT_CELL_REFUSED(WITH_UART(0x09000000, 0), "not one of the cell's", 92);
}

/* A cell with the power button (WARDEN_CELL_POWER_BUTTON): its page and its interrupt. */
#define WITH_BUTTON(base, irq)                                                         \
	(CELL->flags |= WARDEN_CELL_POWER_BUTTON, CELL->button_base = (base), CELL->button_irq = (irq))

TEST(cell_power_button)
{
	struct warden_config_layout l;
	struct warden_config_error e = { 0 };
	__u32 size = make_cell(blob);

	WITH_BUTTON(0x09030000, 48);
	ASSERT_EQ(warden_config_check_cell(blob, size, &l, &e), 0);
	EXPECT_CELL_REFUSED(WITH_BUTTON(0, 48), "address zero or not 4 KiB aligned", 112);
	EXPECT_CELL_REFUSED(WITH_BUTTON(0x09030004, 48), "not 4 KiB aligned", 112);
	EXPECT_CELL_REFUSED(WITH_BUTTON(~0ULL << 12, 48), "not 4 KiB aligned", 112);
	EXPECT_CELL_REFUSED(WITH_BUTTON(0xff000, 48), "overlaps a region", 112);
	EXPECT_CELL_REFUSED(WITH_BUTTON(WARDEN_COMM_PAGE_IPA, 48), "communication page", 112);
	EXPECT_CELL_REFUSED(WITH_BUTTON(0x09030000, 49), "not one of the cell's", 120);
	EXPECT_CELL_REFUSED(WITH_BUTTON(0x09030000, 0), "not one of the cell's", 120);
	/* Next to the UART: another page, another interrupt. */
	EXPECT_CELL_REFUSED(WITH_UART(0x09000000, 48); WITH_BUTTON(0x09000000, 48), "the virtual UART's page", 112);
	EXPECT_CELL_REFUSED(WITH_UART(0x09000000, 48); WITH_BUTTON(0x09030000, 48), "interrupt is the virtual UART's",
			    120);
	/* The root cell has no flags, so no button. */
	EXPECT_SYSTEM_REFUSED(ROOT->button_base = 0x09030000, "without WARDEN_CELL_POWER_BUTTON", 280);
}

TEST(cell_header_corruptions)
{
	EXPECT_CELL_REFUSED(blob[0] ^= 1, "bad magic", 0);
	EXPECT_CELL_REFUSED(((struct warden_config_header *)blob)->revision = 99, "revision", 8);
	EXPECT_CELL_REFUSED(((struct warden_config_header *)blob)->kind = WARDEN_CONFIG_SYSTEM, "wrong kind", 12);
	EXPECT_CELL_REFUSED(((struct warden_config_header *)blob)->total_size += 8, "total_size", 16);
	EXPECT_CELL_REFUSED(((struct warden_config_header *)blob)->reserved = 1, "reserved header", 20);
	EXPECT_CELL_REFUSED(((struct warden_config_header *)blob)->name[0] = 'X', "invalid name", 24);
	EXPECT_CELL_REFUSED(((struct warden_config_header *)blob)->name[20] = 'x', "invalid name", 24);
	EXPECT_CELL_REFUSED(size = 32, "shorter than its header", 0);
}

TEST(cell_body_corruptions)
{
	EXPECT_CELL_REFUSED(CELL->cpu_set = 0, "no CPU", 64);
	EXPECT_CELL_REFUSED(CELL->flags = 1U << 8, "unknown cell flags", 80);
	EXPECT_CELL_REFUSED(CELL->flags = WARDEN_CELL_PASSIVE | WARDEN_CELL_MAY_REFUSE, "cannot be allowed to refuse", 80);
	EXPECT_CELL_REFUSED(CELL->num_regions = 0, "number of regions", 84);
	EXPECT_CELL_REFUSED(CELL->num_irqs = 65, "too many interrupts", 88);
	EXPECT_CELL_REFUSED(CELL->entry_arg = 0x40000000, "without WARDEN_CELL_ENTRY_ARG", 96);
	EXPECT_CELL_REFUSED(CELL->uart_irq = 48, "without WARDEN_CELL_UART", 92);
	EXPECT_CELL_REFUSED(CELL->uart_base = 0x09000000, "without WARDEN_CELL_UART", 92);
	EXPECT_CELL_REFUSED(CELL->button_irq = 48, "without WARDEN_CELL_POWER_BUTTON", 112);
	EXPECT_CELL_REFUSED(CELL->button_base = 0x09030000, "without WARDEN_CELL_POWER_BUTTON", 112);
	EXPECT_CELL_REFUSED(CELL->reserved = 1, "reserved cell field", 124);
	EXPECT_CELL_REFUSED(CREG->size = 100, "multiple of 4 KiB", 144);
	EXPECT_CELL_REFUSED(CREG->phys_start += 0x800, "not 4 KiB aligned", 128);
	EXPECT_CELL_REFUSED(CREG->flags = WARDEN_MEM_LOADABLE, "grant no access", 152);
	EXPECT_CELL_REFUSED(CREG->phys_start = ~0ULL << 12, "wraps", 144);
	EXPECT_CELL_REFUSED(CIRQ[0] = 16, "shared peripheral", 192);
	EXPECT_CELL_REFUSED(CIRQ[1] = 7, "padding", 196);
	EXPECT_CELL_REFUSED(CELL->entry = 0x100000, "entry point outside", 72);
	EXPECT_CELL_REFUSED(CELL->entry = 2, "4-byte aligned", 72);
	EXPECT_CELL_REFUSED(POLICY->restart = 3, "restart policy", 200);
	EXPECT_CELL_REFUSED(POLICY->reserved[0] = 1, "reserved policy", 240);
	EXPECT_CELL_REFUSED(POLICY->strings_size -= 8, "total_size does not match", 16);
	EXPECT_CELL_REFUSED(IMAGE->region = 1, "not loadable", 264);
	EXPECT_CELL_REFUSED(CREG->flags &= ~WARDEN_MEM_LOADABLE, "not loadable", 264);
	EXPECT_CELL_REFUSED(IMAGE->offset = 2 * MiB, "offset beyond", 272);
	EXPECT_CELL_REFUSED(IMAGE->path_offset = 4000, "outside the string table", 268);
	EXPECT_CELL_REFUSED(blob[size - 1] = 'x', "not terminated", size - 1);
}

TEST(cell_region_overlaps)
{
	struct warden_config_layout l;
	struct warden_config_error e = { 0 };
	unsigned char two[1024];
	__u32 size = make_cell(blob), nsize = size + 64;
	struct warden_region *r = (void *)(two + 128);

	/* Insert a second region after the first; everything after moves by 64. */
	memcpy(two, blob, 192);
	memcpy(two + 256, blob + 192, size - 192);
	((struct warden_config_header *)two)->total_size = nsize;
	((struct warden_cell *)(two + 64))->num_regions = 2;
	region(&r[1], "shm", 0x70480000, 0x200000, MiB, WARDEN_MEM_READ);
	ASSERT_EQ(warden_config_check_cell(two, nsize, &l, &e), -EINVAL);
	ASSERT_STREQ(e.what, "regions overlap in host memory");
	ASSERT_EQ(e.index, 1);

	region(&r[1], "shm", 0x70600000, 0x80000, MiB, WARDEN_MEM_READ);
	ASSERT_EQ(warden_config_check_cell(two, nsize, &l, &e), -EINVAL);
	ASSERT_STREQ(e.what, "regions overlap in guest memory");

	region(&r[1], "shm", 0x70600000, 0x200000, MiB, WARDEN_MEM_READ);
	ASSERT_EQ(warden_config_check_cell(two, nsize, &l, &e), 0);
}

TEST(system_corruptions)
{
	EXPECT_SYSTEM_REFUSED(SYS->cpu_set = 0, "platform has no CPU", 64);
	EXPECT_SYSTEM_REFUSED(SYS->gic_version = 4, "GIC version", 112);
	EXPECT_SYSTEM_REFUSED(SYS->gicr_base = 0, "without redistributors", 80);
	EXPECT_SYSTEM_REFUSED(SYS->gicd_base = 0x08000100, "not 4 KiB aligned", 72);
	EXPECT_SYSTEM_REFUSED(SYS->gicc_base = 0x08010000, "GICv2 CPU interface frames", 144);
	EXPECT_SYSTEM_REFUSED(SYS->uart_type = 9, "UART type", 116);
	EXPECT_SYSTEM_REFUSED(SYS->num_ram = 0, "RAM ranges", 124);
	EXPECT_SYSTEM_REFUSED(SYS->hv_mem_size = 0x1800, "hypervisor memory", 96);
	EXPECT_SYSTEM_REFUSED(SYS->hv_mem_base = 0x90000000, "outside the platform's RAM", 96);
	EXPECT_SYSTEM_REFUSED(SYS->reserved0 = 1, "reserved system", 132);
	EXPECT_SYSTEM_REFUSED(SYS->reserved = 1, "reserved system", 136);
	EXPECT_SYSTEM_REFUSED(RREG[0].virt_start = 0, "mapped 1:1", 304);
	EXPECT_SYSTEM_REFUSED(RREG[0].size = 800 * MiB, "overlaps the hypervisor", 296);
	EXPECT_SYSTEM_REFUSED(ROOT->cpu_set = 0x1f, "not in the platform", 232);
	EXPECT_SYSTEM_REFUSED(ROOT->cpu_set = 0xe, "CPU 0", 232);
	EXPECT_SYSTEM_REFUSED(ROOT->entry = 0x40000000, "entry point or flags", 240);
}

/* GICv2: distributor plus CPU interface, virtual interface control and virtual CPU interface. */
static void make_gicv2(void)
{
	SYS->gic_version = WARDEN_GIC_V2;
	SYS->gicr_base = 0;
	SYS->gicc_base = 0x08010000;
	SYS->gich_base = 0x08030000;
	SYS->gicv_base = 0x08040000;
}

TEST(system_gicv2)
{
	struct warden_config_layout l;
	struct warden_config_error e = { 0 };
	__u32 size = make_system(blob);

	make_gicv2();
	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), 0);
	EXPECT_SYSTEM_REFUSED(make_gicv2(); SYS->gicr_base = 0x080a0000, "GICv2 with redistributors", 80);
	EXPECT_SYSTEM_REFUSED(make_gicv2(); SYS->gicc_base = 0, "without its CPU interface", 144);
	EXPECT_SYSTEM_REFUSED(make_gicv2(); SYS->gich_base = 0, "virtual interface control", 152);
	EXPECT_SYSTEM_REFUSED(make_gicv2(); SYS->gicv_base = 0, "virtual CPU interface", 160);
	EXPECT_SYSTEM_REFUSED(make_gicv2(); SYS->gicv_base = 0x08040800, "not 4 KiB aligned", 72);
}

/* Root cell with one interrupt (@irq): the blob grows by 8 bytes of interrupt list. */
static __u32 make_system_root_irq(unsigned char *b, __u32 irq)
{
	__u32 size = make_system(b) + 8;

	((struct warden_config_header *)b)->total_size = size;
	ROOT->num_irqs = 1;
	*(__u32 *)(b + size - 8) = irq;
	return size;
}

TEST(system_event_irq)
{
	struct warden_config_layout l;
	struct warden_config_error e = { 0 };
	__u32 size;

	/* 0 is none; the SPI range ends are fine. */
	size = make_system(blob);
	SYS->event_irq = 0;
	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), 0);
	SYS->event_irq = WARDEN_IRQ_SPI_FIRST;
	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), 0);
	SYS->event_irq = WARDEN_IRQ_SPI_LAST;
	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), 0);
	/* No UART interrupt: nothing to collide with. */
	SYS->uart_irq = 0;
	SYS->event_irq = 33;
	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), 0);

	EXPECT_SYSTEM_REFUSED(SYS->event_irq = 31, "event interrupt is not a shared peripheral", 128);
	EXPECT_SYSTEM_REFUSED(SYS->event_irq = 1020, "event interrupt is not a shared peripheral", 128);
	EXPECT_SYSTEM_REFUSED(SYS->event_irq = 0xffffffff, "event interrupt is not a shared peripheral", 128);
	EXPECT_SYSTEM_REFUSED(SYS->event_irq = 33, "the UART's interrupt", 128);
	EXPECT_SYSTEM_REFUSED(SYS->event_irq = 160; SYS->reserved = 1, "reserved system", 136);

	/* The reason carries the offending value and no element. */
	size = make_system(blob);
	SYS->event_irq = 2000;
	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), -EINVAL);
	ASSERT_EQ(e.value, 2000);
	ASSERT_EQ(e.index, -1);

	/* The root cell may own other interrupts, not the event interrupt. */
	size = make_system_root_irq(blob, 48);
	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), 0);
	ASSERT_EQ(l.irqs, 424);
	size = make_system_root_irq(blob, 160);
	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), -EINVAL);
	ASSERT_STREQ(e.what, "event interrupt is owned by the root cell");
	ASSERT_EQ(e.offset, 128);
	ASSERT_EQ(e.index, -1);
	ASSERT_EQ(e.value, 160);
	/* Without an event interrupt, a root interrupt is nothing special. */
	SYS->event_irq = 0;
	ASSERT_EQ(warden_config_check_system(blob, size, &l, &e), 0);
}

DEFINE_TEST_MAIN
