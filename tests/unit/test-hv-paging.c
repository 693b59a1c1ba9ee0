// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's translation tables (hypervisor/core/paging.c) on host
 * memory, 48-bit input walked from level 0: the figures the hypervisor
 * reports for the reference machine's root cell, mappings high in the input
 * range (PCIe ECAM and 64-bit MMIO as on QEMU's virt board, the last page
 * below 2^48, all of it at once), raw descriptor bits of both stages,
 * lookups at the edges of mappings, block splits that keep the rest of a
 * block, tables freed when emptied or replaced, pool exhaustion, argument
 * checks, exactly which changes call the flush hook, and random maps and
 * unmaps in a few windows of the input range checked page by page against
 * a model.
 */
#include <stdlib.h>
#include <string.h>

#include <paging.h>
#include <arch/pte.h>

#include "tests.h"

#define KiB		1024ULL
#define MiB		(1024 * KiB)
#define GiB		(1024 * MiB)
#define L0_SIZE		(512 * GiB)	/* what one root (level-0) entry covers */
#define OA_MASK		0x0000fffffffff000ULL
#define XN		(1ULL << 54)
#define RWX		(PT_READ | PT_WRITE | PT_EXEC)
#define RW		(PT_READ | PT_WRITE)
#define DEV		(PT_READ | PT_WRITE | PT_DEVICE)

/* The reference machine's root cell. */
#define RAM_BASE	0x40000000ULL
#define RAM_SIZE	0x30000000ULL
#define MMIO_BASE	0x08000000ULL
#define MMIO_SIZE	0x38000000ULL

/* QEMU virt: PCIe ECAM and the 64-bit PCI MMIO window */
#define ECAM_BASE	0x4010000000ULL
#define ECAM_SIZE	(256 * MiB)
#define PCI64_BASE	0x8000000000ULL
#define PCI64_SIZE	(512 * GiB)

struct env {
	struct pool pool;
	struct pt pt;
	void *mem;
	unsigned long *bitmap;
};

#define MAX_FLUSHES (1U << 20)	/* enough for one flush per page of the random range */
static struct {
	unsigned int n;
	u64 ia[MAX_FLUSHES];
	u64 size[MAX_FLUSHES];
} flushes;

static void record_flush(struct pt *pt, u64 ia, u64 size)
{
	(void)pt;
	ASSERT_TRUE(flushes.n < MAX_FLUSHES);
	flushes.ia[flushes.n] = ia;
	flushes.size[flushes.n] = size;
	flushes.n++;
}

static void env_init_bits(struct env *e, enum pt_stage stage, unsigned long pages,
			  unsigned int ia_bits)
{
	e->mem = aligned_alloc(PAGE_SIZE, (pages ? pages : 1) * PAGE_SIZE);
	ASSERT_NOT_NULL(e->mem);
	memset(e->mem, 0xee, (pages ? pages : 1) * PAGE_SIZE);
	e->bitmap = malloc(pool_bitmap_bytes(pages) + sizeof(long));
	ASSERT_NOT_NULL(e->bitmap);
	pool_init(&e->pool, (paddr_t)(unsigned long)e->mem, pages, e->bitmap);
	ASSERT_EQ(e->pool.pages, pages);
	ASSERT_OK(pt_init(&e->pt, stage, &e->pool, ia_bits));
	e->pt.flush = record_flush;
	flushes.n = 0;
}

static void env_init(struct env *e, enum pt_stage stage, unsigned long pages)
{
	env_init_bits(e, stage, pages, PT_IA_BITS);
}

static void env_fini(struct env *e)
{
	pt_destroy(&e->pt);
	ASSERT_EQ(e->pool.used, 0);
	ASSERT_EQ(e->pt.stats.tables, 0);
	ASSERT_EQ(e->pt.stats.bytes, 0);
	free(e->mem);
	free(e->bitmap);
}

static u64 *table_of(u64 pa)
{
	return (u64 *)(unsigned long)pa;
}

/* The raw descriptor of @ia at @level (0-3), following table descriptors. */
static u64 raw(const struct pt *pt, u64 ia, int level)
{
	u64 table = pt->root;

	for (int l = 0; l < level; l++) {
		u64 d = table_of(table)[(ia >> (39 - 9 * l)) & 511];

		ASSERT_EQ(d & 3, 3);
		ASSERT_EQ(d & ~OA_MASK, 3);	/* no attributes in table descriptors */
		table = d & OA_MASK;
	}
	return table_of(table)[(ia >> (39 - 9 * level)) & 511];
}

/*
 * Count tables and leaves by walking the tables; every table but the root is
 * non-empty, and the root holds table descriptors only.
 */
static void count_table(const struct pt *pt, u64 table, int level, struct pt_stats *c)
{
	unsigned int valid = 0;

	ASSERT_EQ(table % PAGE_SIZE, 0);
	ASSERT_TRUE(table >= pt->pool->base &&
		    table < pt->pool->base + pt->pool->pages * PAGE_SIZE);
	c->tables++;
	for (int i = 0; i < 512; i++) {
		u64 d = table_of(table)[i], size = 1ULL << (39 - 9 * level);

		if (!d)
			continue;
		valid++;
		if (level == 0)
			ASSERT_EQ(d & 3, 3);
		if (level < 3 && (d & 3) == 3) {
			ASSERT_EQ(d & ~OA_MASK, 3);
			count_table(pt, d & OA_MASK, level + 1, c);
			continue;
		}
		ASSERT_EQ(d & 3, level == 3 ? 3 : 1);
		ASSERT_EQ((d & OA_MASK) % size, 0);
		ASSERT_TRUE(d & (1ULL << 10));	/* AF */
		if (level == 1)
			c->blocks_1g++;
		else if (level == 2)
			c->blocks_2m++;
		else
			c->pages++;
		c->bytes += size;
	}
	if (table != pt->root)
		ASSERT_TRUE(valid > 0);
}

/* The statistics match @c, counted in the tables, and the pool holds exactly the tables. */
static void expect_counted(const struct env *e, const struct pt_stats *c)
{
	ASSERT_EQ(e->pt.stats.tables, c->tables);
	ASSERT_EQ(e->pt.stats.pages, c->pages);
	ASSERT_EQ(e->pt.stats.blocks_2m, c->blocks_2m);
	ASSERT_EQ(e->pt.stats.blocks_1g, c->blocks_1g);
	ASSERT_EQ(e->pt.stats.bytes, c->bytes);
	ASSERT_EQ(e->pool.used, c->tables);
}

static void check_stats(const struct env *e)
{
	struct pt_stats c = { 0 };

	count_table(&e->pt, e->pt.root, 0, &c);
	expect_counted(e, &c);
}

static void expect_stats(const struct env *e, u64 tables, u64 g1, u64 m2, u64 k4)
{
	check_stats(e);
	ASSERT_EQ(e->pt.stats.tables, tables);
	ASSERT_EQ(e->pt.stats.blocks_1g, g1);
	ASSERT_EQ(e->pt.stats.blocks_2m, m2);
	ASSERT_EQ(e->pt.stats.pages, k4);
	ASSERT_EQ(e->pt.stats.bytes, g1 * GiB + m2 * 2 * MiB + k4 * 4 * KiB);
}

static void expect_map(const struct env *e, u64 ia, paddr_t pa, unsigned int attrs)
{
	paddr_t got_pa = ~0ULL;
	unsigned int got_attrs = ~0U;

	if (pt_lookup(&e->pt, ia, &got_pa, &got_attrs) != 0)
		test_fail(__FILE__, __LINE__, "ia 0x%llx not mapped", (unsigned long long)ia);
	if (got_pa != pa || got_attrs != attrs)
		test_fail(__FILE__, __LINE__, "ia 0x%llx: pa 0x%llx attrs 0x%x, expected 0x%llx 0x%x",
			  (unsigned long long)ia, (unsigned long long)got_pa, got_attrs,
			  (unsigned long long)pa, attrs);
}

static void expect_unmapped(const struct env *e, u64 ia)
{
	ASSERT_ERROR(pt_lookup(&e->pt, ia, NULL, NULL), ENOENT);
}

static void expect_flush(unsigned int i, u64 ia, u64 size)
{
	ASSERT_TRUE(i < flushes.n);
	ASSERT_EQ(flushes.ia[i], ia);
	ASSERT_EQ(flushes.size[i], size);
}

static void map_root_cell(struct env *e)
{
	ASSERT_OK(pt_map(&e->pt, RAM_BASE, RAM_BASE, RAM_SIZE, RWX));
	ASSERT_OK(pt_map(&e->pt, MMIO_BASE, MMIO_BASE, MMIO_SIZE, DEV));
}

TEST(init_empty)
{
	struct env e;

	env_init(&e, PT_STAGE2, 4);
	ASSERT_EQ(e.pool.used, 1);
	ASSERT_EQ(e.pt.root, e.pool.base);
	for (int i = 0; i < 512; i++)
		ASSERT_EQ(table_of(e.pt.root)[i], 0);
	expect_stats(&e, 1, 0, 0, 0);
	expect_unmapped(&e, 0);
	expect_unmapped(&e, PCI64_BASE);
	expect_unmapped(&e, PT_IA_LIMIT - 1);
	ASSERT_EQ(PT_IA_BITS, 48);
	ASSERT_EQ(PT_IA_LIMIT, 1ULL << 48);
	env_fini(&e);

	/* No page left for the root; a stage that does not exist */
	env_init(&e, PT_STAGE2, 1);
	pt_destroy(&e.pt);
	ASSERT_EQ(e.pool.used, 0);
	ASSERT_TRUE(pool_alloc(&e.pool) != 0);
	ASSERT_ERROR(pt_init(&e.pt, PT_STAGE2, &e.pool, PT_IA_BITS), ENOMEM);
	ASSERT_EQ(e.pt.root, 0);
	ASSERT_EQ(e.pt.stats.tables, 0);
	ASSERT_ERROR(pt_init(&e.pt, 7, &e.pool, PT_IA_BITS), EINVAL);
	ASSERT_EQ(e.pool.used, 1);
	free(e.mem);
	free(e.bitmap);
}

/*
 * Stage 2 below 44 bits: the walk starts at level 1 in 2^(bits - 39)
 * concatenated level-1 tables (at least one), an aligned run pinned behind
 * the first level-0 entries; VTTBR gets the run. Nothing beyond 2^bits maps.
 */
static void check_level1_start(unsigned int bits, unsigned int n)
{
	struct env e;
	u64 limit = 1ULL << bits;

	env_init_bits(&e, PT_STAGE2, 64, bits);
	ASSERT_EQ(e.pt.ia_bits, bits);
	ASSERT_EQ(e.pt.pinned, n);
	ASSERT_EQ(e.pt.stats.tables, 1 + n);
	ASSERT_TRUE(e.pt.hw_root != e.pt.root);
	ASSERT_EQ(e.pt.hw_root % (n * PAGE_SIZE), 0);
	for (unsigned int i = 0; i < n; i++)
		ASSERT_EQ(table_of(e.pt.root)[i], (e.pt.hw_root + i * PAGE_SIZE) | 3);
	ASSERT_EQ(table_of(e.pt.root)[n], 0);

	/* The whole range in 1 GiB blocks, found in the concatenated run by IPA[bits-1:30]. */
	ASSERT_OK(pt_map(&e.pt, 0, 0, limit, RW));
	ASSERT_EQ(e.pt.stats.tables, 1 + n);
	ASSERT_EQ(e.pt.stats.blocks_1g, limit >> 30);
	ASSERT_EQ(table_of(e.pt.hw_root)[(limit - 1) >> 30] & 0x0000fffffffff000ULL, limit - GiB);
	expect_map(&e, limit - 1, limit - 1, RW);
	ASSERT_ERROR(pt_map(&e.pt, limit, 0, 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, limit - 4 * KiB, 0, 8 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_lookup(&e.pt, limit, NULL, NULL), EINVAL);

	/* Emptied, the pinned tables stay where the hardware walks from. */
	ASSERT_OK(pt_unmap(&e.pt, 0, limit));
	ASSERT_EQ(e.pt.stats.tables, 1 + n);
	ASSERT_EQ(e.pt.stats.bytes, 0);
	ASSERT_EQ(table_of(e.pt.root)[0], e.pt.hw_root | 3);
	ASSERT_OK(pt_map(&e.pt, 0x40000000, 0x40000000, 2 * MiB, RW));
	ASSERT_EQ(e.pt.stats.tables, 1 + n + 1);	/* one level-2 table, under the run */
	ASSERT_TRUE(table_of(e.pt.hw_root)[1] & 1);
	ASSERT_OK(pt_unmap(&e.pt, 0x40000000, 2 * MiB));
	ASSERT_EQ(e.pt.stats.tables, 1 + n);
	env_fini(&e);
}

TEST(stage2_level1_start)
{
	check_level1_start(40, 2);	/* Cortex-A53, A55, A76 */
	check_level1_start(42, 8);
	check_level1_start(36, 1);
	check_level1_start(32, 1);
}

TEST(stage2_level0_from_44_bits)
{
	struct env e;

	env_init_bits(&e, PT_STAGE2, 16, 44);
	ASSERT_EQ(e.pt.pinned, 0);
	ASSERT_EQ(e.pt.hw_root, e.pt.root);
	ASSERT_EQ(e.pt.stats.tables, 1);
	ASSERT_ERROR(pt_map(&e.pt, 1ULL << 44, 0, 4 * KiB, RW), EINVAL);
	ASSERT_OK(pt_map(&e.pt, (1ULL << 44) - GiB, 0, GiB, RW));
	ASSERT_OK(pt_unmap(&e.pt, (1ULL << 44) - GiB, GiB));
	ASSERT_EQ(e.pt.stats.tables, 1);
	env_fini(&e);
}

TEST(init_bad_input_bits)
{
	struct env e;

	env_init(&e, PT_STAGE2, 2);
	pt_destroy(&e.pt);
	ASSERT_ERROR(pt_init(&e.pt, PT_STAGE2, &e.pool, 31), EINVAL);
	ASSERT_ERROR(pt_init(&e.pt, PT_STAGE2, &e.pool, 49), EINVAL);
	ASSERT_ERROR(pt_init(&e.pt, PT_STAGE1_EL2, &e.pool, 40), EINVAL);
	ASSERT_EQ(e.pool.used, 0);
	/* Room for the root but not for two aligned level-1 tables: nothing kept. */
	ASSERT_ERROR(pt_init(&e.pt, PT_STAGE2, &e.pool, 40), ENOMEM);
	ASSERT_EQ(e.pool.used, 0);
	ASSERT_EQ(e.pt.root, 0);
	free(e.mem);
	free(e.bitmap);
}

TEST(ram_768m_identity)
{
	struct env e;

	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, RAM_BASE, RAM_BASE, RAM_SIZE, RWX));
	/* 1 GiB aligned but 768 MiB long: 384 x 2 MiB under one level-2 table, under level 1 */
	expect_stats(&e, 3, 0, 384, 0);
	ASSERT_EQ(e.pt.stats.bytes, 768 * MiB);
	expect_map(&e, RAM_BASE, RAM_BASE, RWX);
	expect_map(&e, RAM_BASE + 0x1234, RAM_BASE + 0x1234, RWX);
	expect_map(&e, 0x4abcdef8, 0x4abcdef8, RWX);
	expect_map(&e, 0x5fffffff, 0x5fffffff, RWX);
	expect_map(&e, RAM_BASE + RAM_SIZE - 1, RAM_BASE + RAM_SIZE - 1, RWX);
	expect_unmapped(&e, RAM_BASE + RAM_SIZE);
	expect_unmapped(&e, RAM_BASE - 1);
	expect_unmapped(&e, 0);
	expect_unmapped(&e, 0x7fffffff);
	expect_unmapped(&e, 0x80000000);
	expect_unmapped(&e, L0_SIZE + RAM_BASE);
	ASSERT_EQ(flushes.n, 0);
	env_fini(&e);
}

TEST(root_cell_figures)
{
	struct env e;

	env_init(&e, PT_STAGE2, 16);
	map_root_cell(&e);
	/*
	 * RAM: 384 x 2 MiB in [1 GiB, 2 GiB); MMIO 0x08000000-0x3fffffff:
	 * 448 x 2 MiB (level-2 entries 64-511) in [0, 1 GiB). Root, one
	 * level-1 table (root entry 0), 2 level-2 tables.
	 */
	expect_stats(&e, 4, 0, 832, 0);
	ASSERT_EQ(e.pt.stats.bytes, RAM_SIZE + MMIO_SIZE);
	ASSERT_EQ(e.pt.stats.bytes, 0x68000000);
	expect_unmapped(&e, 0);
	expect_unmapped(&e, MMIO_BASE - 1);
	expect_map(&e, MMIO_BASE, MMIO_BASE, DEV);
	expect_map(&e, 0x08010000, 0x08010000, DEV);		/* GIC */
	expect_map(&e, 0x09000ff8, 0x09000ff8, DEV);		/* UART */
	expect_map(&e, RAM_BASE - 1, RAM_BASE - 1, DEV);
	expect_map(&e, RAM_BASE, RAM_BASE, RWX);
	expect_map(&e, RAM_BASE + RAM_SIZE - 1, RAM_BASE + RAM_SIZE - 1, RWX);
	expect_unmapped(&e, RAM_BASE + RAM_SIZE);		/* the hypervisor's */
	ASSERT_EQ(flushes.n, 0);
	env_fini(&e);
}

/* QEMU virt's 64-bit PCI MMIO: 512 GiB at 512 GiB, root entry 1 */
TEST(pci64_512g_blocks)
{
	struct env e;

	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, PCI64_BASE, PCI64_BASE, PCI64_SIZE, DEV));
	/* No blocks at level 0: one new level-1 table of 512 x 1 GiB */
	expect_stats(&e, 2, 512, 0, 0);
	ASSERT_EQ(e.pt.stats.bytes, 512 * GiB);
	ASSERT_EQ(table_of(e.pt.root)[0], 0);
	ASSERT_EQ(table_of(e.pt.root)[1] & 3, 3);
	ASSERT_EQ(raw(&e.pt, PCI64_BASE, 1), 0x00400080000004c5ULL);
	ASSERT_EQ(raw(&e.pt, PCI64_BASE + 511 * GiB, 1), 0x004000ffc00004c5ULL);
	expect_unmapped(&e, PCI64_BASE - 1);
	expect_map(&e, PCI64_BASE, PCI64_BASE, DEV);
	expect_map(&e, PCI64_BASE + 0x123456789ULL, PCI64_BASE + 0x123456789ULL, DEV);
	expect_map(&e, PCI64_BASE + PCI64_SIZE - 1, PCI64_BASE + PCI64_SIZE - 1, DEV);
	expect_unmapped(&e, PCI64_BASE + PCI64_SIZE);
	expect_unmapped(&e, 0);

	/* With the root cell: its level-1 table is another one, under root entry 0 */
	map_root_cell(&e);
	expect_stats(&e, 5, 512, 832, 0);
	ASSERT_TRUE((raw(&e.pt, 0, 0) & OA_MASK) != (raw(&e.pt, PCI64_BASE, 0) & OA_MASK));
	expect_map(&e, RAM_BASE, RAM_BASE, RWX);
	expect_map(&e, PCI64_BASE + GiB, PCI64_BASE + GiB, DEV);
	ASSERT_EQ(flushes.n, 0);

	/* The same range elsewhere in the output, only 1 GiB aligned: still 1 GiB blocks */
	ASSERT_OK(pt_map(&e.pt, PCI64_BASE, 3 * GiB, PCI64_SIZE, DEV));
	ASSERT_EQ(flushes.n, 512);
	expect_flush(0, PCI64_BASE, GiB);
	expect_flush(511, PCI64_BASE + 511 * GiB, GiB);
	expect_stats(&e, 5, 512, 832, 0);
	expect_map(&e, PCI64_BASE + PCI64_SIZE - 1, 3 * GiB + PCI64_SIZE - 1, DEV);

	/* A hole in one block splits only that one */
	flushes.n = 0;
	ASSERT_OK(pt_unmap(&e.pt, PCI64_BASE + 7 * GiB + 2 * MiB, 2 * MiB));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, PCI64_BASE + 7 * GiB, GiB);
	expect_stats(&e, 6, 511, 832 + 511, 0);
	expect_unmapped(&e, PCI64_BASE + 7 * GiB + 2 * MiB);
	expect_map(&e, PCI64_BASE + 7 * GiB + 4 * MiB, 10 * GiB + 4 * MiB, DEV);
	env_fini(&e);
}

/* QEMU virt's PCIe ECAM: 256 MiB at 0x40_1000_0000, root entry 0, level-1 entry 256 */
TEST(ecam_256m)
{
	struct env e;

	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, ECAM_BASE, ECAM_BASE, ECAM_SIZE, DEV));
	expect_stats(&e, 3, 0, 128, 0);
	ASSERT_EQ(raw(&e.pt, ECAM_BASE, 2), 0x00400040100004c5ULL);
	ASSERT_EQ(raw(&e.pt, ECAM_BASE - 2 * MiB, 2), 0);
	expect_unmapped(&e, ECAM_BASE - 1);
	expect_map(&e, ECAM_BASE, ECAM_BASE, DEV);
	expect_map(&e, ECAM_BASE + ECAM_SIZE - 1, ECAM_BASE + ECAM_SIZE - 1, DEV);
	expect_unmapped(&e, ECAM_BASE + ECAM_SIZE);
	expect_unmapped(&e, ECAM_BASE + L0_SIZE);	/* same entries below, next root entry */
	expect_unmapped(&e, ECAM_BASE - 256 * GiB);	/* same entries at levels 2-3 */

	/* The whole virt board: root cell, ECAM and 64-bit MMIO */
	map_root_cell(&e);
	expect_stats(&e, 5, 0, 960, 0);
	ASSERT_OK(pt_map(&e.pt, PCI64_BASE, PCI64_BASE, PCI64_SIZE, DEV));
	expect_stats(&e, 6, 512, 960, 0);
	ASSERT_EQ(e.pt.stats.bytes, RAM_SIZE + MMIO_SIZE + ECAM_SIZE + PCI64_SIZE);
	ASSERT_EQ(flushes.n, 0);
	ASSERT_OK(pt_unmap(&e.pt, ECAM_BASE, ECAM_SIZE));
	expect_stats(&e, 5, 512, 832, 0);
	expect_unmapped(&e, ECAM_BASE);
	expect_map(&e, RAM_BASE, RAM_BASE, RWX);
	env_fini(&e);
}

/* The last 4 KiB below 2^48: root entry 511, one table at every level */
TEST(last_page)
{
	struct env e;
	u64 top = PT_IA_LIMIT - 4 * KiB;

	env_init(&e, PT_STAGE1_EL2, 16);
	ASSERT_OK(pt_map(&e.pt, top, (1ULL << 48) - 4 * KiB, 4 * KiB, RW));
	expect_stats(&e, 4, 0, 0, 1);
	ASSERT_EQ(raw(&e.pt, top, 0), table_of(e.pt.root)[511]);
	ASSERT_EQ(raw(&e.pt, top, 3), 0x0040fffffffff703ULL);
	expect_map(&e, top, (1ULL << 48) - 4 * KiB, RW);
	expect_map(&e, PT_IA_LIMIT - 1, (1ULL << 48) - 1, RW);
	expect_unmapped(&e, top - 1);
	expect_unmapped(&e, top - L0_SIZE);	/* same entries one level down, other root entry */
	expect_unmapped(&e, 4 * KiB * 511);
	ASSERT_ERROR(pt_lookup(&e.pt, PT_IA_LIMIT, NULL, NULL), EINVAL);

	/* Unmapping it frees every table but the root, flushing each entry on the way up */
	ASSERT_OK(pt_unmap(&e.pt, top, 4 * KiB));
	ASSERT_EQ(flushes.n, 4);
	expect_flush(0, top, 4 * KiB);
	expect_flush(1, PT_IA_LIMIT - 2 * MiB, 2 * MiB);
	expect_flush(2, PT_IA_LIMIT - GiB, GiB);
	expect_flush(3, PT_IA_LIMIT - L0_SIZE, L0_SIZE);
	expect_stats(&e, 1, 0, 0, 0);
	env_fini(&e);
}

/* Every input address at once: 512 level-1 tables of 1 GiB blocks */
TEST(whole_input_range)
{
	struct env e;

	env_init(&e, PT_STAGE2, 520);
	ASSERT_OK(pt_map(&e.pt, 0, 0, PT_IA_LIMIT, DEV));
	expect_stats(&e, 513, 512 * 512, 0, 0);
	ASSERT_EQ(e.pt.stats.bytes, 1ULL << 48);
	ASSERT_EQ(flushes.n, 0);
	expect_map(&e, 0, 0, DEV);
	expect_map(&e, ECAM_BASE, ECAM_BASE, DEV);
	expect_map(&e, 0x123456789abcULL, 0x123456789abcULL, DEV);
	expect_map(&e, PT_IA_LIMIT - 1, PT_IA_LIMIT - 1, DEV);

	/* Hole in one page: one flush of its block, level-2 and level-3 tables */
	ASSERT_OK(pt_unmap(&e.pt, PCI64_BASE + 5 * GiB + 4 * KiB, 4 * KiB));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, PCI64_BASE + 5 * GiB, GiB);
	expect_stats(&e, 515, 512 * 512 - 1, 511, 511);

	/* Unmapping all of it: one flush per root entry */
	flushes.n = 0;
	ASSERT_OK(pt_unmap(&e.pt, 0, PT_IA_LIMIT));
	ASSERT_EQ(flushes.n, 512);
	for (unsigned int i = 0; i < 512; i++)
		expect_flush(i, i * L0_SIZE, L0_SIZE);
	expect_stats(&e, 1, 0, 0, 0);
	env_fini(&e);
}

TEST(leaf_sizes_follow_alignment)
{
	struct env e;

	/* 1 GiB + 2 MiB + 4 KiB, all aligned: one of each */
	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB + 2 * MiB + 4 * KiB, RW));
	expect_stats(&e, 4, 1, 1, 1);
	expect_map(&e, 2 * GiB + 2 * MiB, 2 * GiB + 2 * MiB, RW);
	expect_unmapped(&e, 2 * GiB + 2 * MiB + 4 * KiB);
	env_fini(&e);

	/* Input 1 GiB aligned, output only 2 MiB aligned: 512 x 2 MiB */
	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, 2 * GiB, 0x40200000, GiB, RW));
	expect_stats(&e, 3, 0, 512, 0);
	expect_map(&e, 3 * GiB - 1, 0x40200000 + GiB - 1, RW);
	env_fini(&e);

	/* Output only 4 KiB aligned: pages, 2 level-3 tables */
	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, 3 * GiB, 0x1000, 4 * MiB, RW));
	expect_stats(&e, 5, 0, 0, 1024);
	expect_map(&e, 3 * GiB + 2 * MiB, 0x201000, RW);
	env_fini(&e);

	/* Input off 2 MiB alignment by one page: 512 pages over two 2 MiB entries */
	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, 0x40001000, 0x40001000, 2 * MiB, RW));
	expect_stats(&e, 5, 0, 0, 512);
	expect_unmapped(&e, 0x40000fff);
	expect_map(&e, 0x40001000, 0x40001000, RW);
	expect_map(&e, 0x40200fff, 0x40200fff, RW);
	expect_unmapped(&e, 0x40201000);
	env_fini(&e);

	/* Top of the input range, top of the output range */
	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, PT_IA_LIMIT - GiB, (1ULL << 48) - GiB, GiB, RW));
	ASSERT_OK(pt_map(&e.pt, PT_IA_LIMIT - 2 * GiB - 4 * KiB, (1ULL << 48) - 4 * KiB,
			 4 * KiB, RW));
	expect_stats(&e, 4, 1, 0, 1);
	ASSERT_EQ(table_of(e.pt.root)[511] & 3, 3);
	expect_map(&e, PT_IA_LIMIT - 1, (1ULL << 48) - 1, RW);
	expect_map(&e, PT_IA_LIMIT - 2 * GiB - 1, (1ULL << 48) - 1, RW);
	expect_unmapped(&e, PT_IA_LIMIT - 2 * GiB);
	expect_unmapped(&e, PT_IA_LIMIT - GiB - 1);
	env_fini(&e);
}

TEST(stage2_descriptors)
{
	struct env e;

	env_init(&e, PT_STAGE2, 16);
	/* Normal RWX 1 GiB block: MemAttr 1111, S2AP 11, SH 11, AF, block */
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, RWX));
	ASSERT_EQ(raw(&e.pt, GiB, 1), 0x400007fdULL);
	/* Device RW 2 MiB block: MemAttr 0001, S2AP 11, SH 00, AF, XN */
	ASSERT_OK(pt_map(&e.pt, MMIO_BASE, MMIO_BASE, 2 * MiB, DEV));
	ASSERT_EQ(raw(&e.pt, MMIO_BASE, 2), 0x00400000080004c5ULL);
	/* Normal read-only executable page at another address */
	ASSERT_OK(pt_map(&e.pt, 0x10000000, 0x12345000, 4 * KiB, PT_READ | PT_EXEC));
	ASSERT_EQ(raw(&e.pt, 0x10000000, 3), 0x000000001234577fULL);
	/* Write-only, not executable */
	ASSERT_OK(pt_map(&e.pt, 0x10001000, 0x10001000, 4 * KiB, PT_WRITE));
	ASSERT_EQ(raw(&e.pt, 0x10001000, 3), 0x00400000100017bfULL);
	/* Mapped but no access at all */
	ASSERT_OK(pt_map(&e.pt, 0x10002000, 0xfffffffff000ULL, 4 * KiB, 0));
	ASSERT_EQ(raw(&e.pt, 0x10002000, 3), 0x0040fffffffff73fULL);
	/* Device, executable: stage 2 lets the guest have it */
	ASSERT_OK(pt_map(&e.pt, 0x10003000, 0x10003000, 4 * KiB, DEV | PT_EXEC));
	ASSERT_EQ(raw(&e.pt, 0x10003000, 3), 0x00000000100034c7ULL);

	expect_map(&e, GiB + 5, GiB + 5, RWX);
	expect_map(&e, MMIO_BASE + 2 * MiB - 1, MMIO_BASE + 2 * MiB - 1, DEV);
	expect_map(&e, 0x10000fff, 0x12345fff, PT_READ | PT_EXEC);
	expect_map(&e, 0x10001000, 0x10001000, PT_WRITE);
	expect_map(&e, 0x10002abc, 0xfffffffffabcULL, 0);
	expect_map(&e, 0x10003000, 0x10003000, DEV | PT_EXEC);
	expect_unmapped(&e, 0x10004000);
	expect_stats(&e, 4, 1, 1, 4);
	/* Table descriptors at levels 0-2 carry no attributes (raw() checks) */
	ASSERT_EQ(raw(&e.pt, 0x10000000, 0) & 3, 3);
	ASSERT_EQ(flushes.n, 0);
	env_fini(&e);
}

TEST(stage1_descriptors)
{
	struct env e;

	ASSERT_EQ(PT_MAIR_EL2, 0x04ff);
	env_init(&e, PT_STAGE1_EL2, 16);
	/* Hypervisor data: normal RW, XN, inner shareable, AttrIndx 0, AP[2] 0 */
	ASSERT_OK(pt_map(&e.pt, 0x70000000, 0x70000000, 2 * MiB, RW));
	ASSERT_EQ(raw(&e.pt, 0x70000000, 2), 0x0040000070000701ULL);
	/* Hypervisor text: read-only (AP[2]), executable */
	ASSERT_OK(pt_map(&e.pt, 0x70200000, 0x70200000, 4 * KiB, PT_READ | PT_EXEC));
	ASSERT_EQ(raw(&e.pt, 0x70200000, 3), 0x0000000070200783ULL);
	/* UART: AttrIndx 1 (Device-nGnRE), SH 00, XN */
	ASSERT_OK(pt_map(&e.pt, 0x09000000, 0x09000000, 4 * KiB, DEV));
	ASSERT_EQ(raw(&e.pt, 0x09000000, 3), 0x0040000009000407ULL);
	/* Device is never executable at EL2 */
	ASSERT_OK(pt_map(&e.pt, 0x09001000, 0x09001000, 4 * KiB, DEV | PT_EXEC));
	ASSERT_EQ(raw(&e.pt, 0x09001000, 3), 0x0040000009001407ULL);
	/* Read-only 1 GiB block at the top of the output range */
	ASSERT_OK(pt_map(&e.pt, 256 * GiB, 0xffffc0000000ULL, GiB, PT_READ));
	ASSERT_EQ(raw(&e.pt, 256 * GiB, 1), 0x0040ffffc0000781ULL);

	expect_map(&e, 0x701fffff, 0x701fffff, RW);
	expect_map(&e, 0x70200010, 0x70200010, PT_READ | PT_EXEC);
	expect_unmapped(&e, 0x70201000);
	expect_map(&e, 0x09000000, 0x09000000, DEV);
	expect_map(&e, 0x09001fff, 0x09001fff, DEV);
	expect_map(&e, 257 * GiB - 1, 0xffffffffffffULL, PT_READ);
	/* Stage 1 cannot say "no read": a write-only map reads back readable */
	ASSERT_OK(pt_map(&e.pt, 0x1000, 0x1000, 4 * KiB, PT_WRITE));
	expect_map(&e, 0x1000, 0x1000, RW);
	ASSERT_EQ(raw(&e.pt, 0x1000, 3), 0x0040000000001703ULL);
	check_stats(&e);
	env_fini(&e);
}

TEST(split_1g_block)
{
	struct env e;
	u64 block, attr;

	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, RW));
	block = raw(&e.pt, GiB, 1);
	attr = block & ~OA_MASK & ~3ULL;
	expect_stats(&e, 2, 1, 0, 0);

	/* 4 KiB out of the middle: 511 x 2 MiB + 511 x 4 KiB, one flush of the block */
	ASSERT_OK(pt_unmap(&e.pt, 0x40205000, 4 * KiB));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, GiB, GiB);
	expect_stats(&e, 4, 0, 511, 511);
	ASSERT_EQ(e.pt.stats.bytes, GiB - 4 * KiB);
	expect_unmapped(&e, 0x40205000);
	expect_unmapped(&e, 0x40205fff);
	expect_map(&e, 0x40204fff, 0x40204fff, RW);
	expect_map(&e, 0x40206000, 0x40206000, RW);
	expect_map(&e, 0x40200000, 0x40200000, RW);
	expect_map(&e, 0x403fffff, 0x403fffff, RW);
	expect_map(&e, 0x401fffff, 0x401fffff, RW);
	expect_map(&e, 0x40400000, 0x40400000, RW);
	expect_map(&e, GiB, GiB, RW);
	expect_map(&e, 2 * GiB - 1, 2 * GiB - 1, RW);
	expect_unmapped(&e, 2 * GiB);
	/* The pieces keep the block's attribute bits exactly */
	ASSERT_EQ(raw(&e.pt, 0x40204000, 3), 0x40204000 | attr | 3);
	ASSERT_EQ(raw(&e.pt, 0x40206000, 3), 0x40206000 | attr | 3);
	ASSERT_EQ(raw(&e.pt, 0x40000000, 2), 0x40000000 | attr | 1);
	ASSERT_EQ(raw(&e.pt, 0x7fe00000, 2), 0x7fe00000 | attr | 1);
	ASSERT_EQ(raw(&e.pt, 0x40205000, 3), 0);

	/* Filling the hole needs no flush and no table */
	flushes.n = 0;
	ASSERT_OK(pt_map(&e.pt, 0x40205000, 0x40205000, 4 * KiB, RW));
	ASSERT_EQ(flushes.n, 0);
	expect_stats(&e, 4, 0, 511, 512);

	/* A 2 MiB block over the level-3 table frees it */
	ASSERT_OK(pt_map(&e.pt, 0x40200000, 0x40200000, 2 * MiB, RW));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, 0x40200000, 2 * MiB);
	expect_stats(&e, 3, 0, 512, 0);

	/* A 1 GiB block over the level-2 table frees it */
	flushes.n = 0;
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, RW));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, GiB, GiB);
	expect_stats(&e, 2, 1, 0, 0);
	ASSERT_EQ(raw(&e.pt, GiB, 1), block);

	/* The same again changes nothing, so no flush */
	flushes.n = 0;
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, RW));
	ASSERT_EQ(flushes.n, 0);
	/* New attributes for the block: one flush */
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, PT_READ));
	ASSERT_EQ(flushes.n, 1);
	expect_map(&e, GiB + 77, GiB + 77, PT_READ);
	expect_stats(&e, 2, 1, 0, 0);
	env_fini(&e);
}

TEST(split_by_map)
{
	struct env e;

	env_init(&e, PT_STAGE2, 16);
	ASSERT_OK(pt_map(&e.pt, 0, 0, GiB, DEV));
	/* Remap one page inside as RAM elsewhere: the rest stays device */
	ASSERT_OK(pt_map(&e.pt, 0x09000000, 0x50000000, 4 * KiB, RWX));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, 0, GiB);
	expect_stats(&e, 4, 0, 511, 512);
	expect_map(&e, 0x08fff000, 0x08fff000, DEV);
	expect_map(&e, 0x09000000, 0x50000000, RWX);
	expect_map(&e, 0x09000fff, 0x50000fff, RWX);
	expect_map(&e, 0x09001000, 0x09001000, DEV);
	expect_map(&e, 0x3fffffff, 0x3fffffff, DEV);
	env_fini(&e);
}

TEST(unmap_everything)
{
	struct env e;

	env_init(&e, PT_STAGE2, 32);
	map_root_cell(&e);
	ASSERT_OK(pt_map(&e.pt, 0x80000000, 0x80000000, 4 * KiB, RW));
	ASSERT_OK(pt_map(&e.pt, 100 * GiB, 0x200000, 3 * GiB, RW));
	ASSERT_OK(pt_unmap(&e.pt, 0x40100000, 2 * MiB));
	ASSERT_OK(pt_map(&e.pt, ECAM_BASE, ECAM_BASE, ECAM_SIZE, DEV));
	ASSERT_OK(pt_map(&e.pt, PCI64_BASE + GiB, PCI64_BASE, 2 * GiB, DEV));
	ASSERT_OK(pt_map(&e.pt, PT_IA_LIMIT - 4 * KiB, 0x1000, 4 * KiB, RW));
	check_stats(&e);

	flushes.n = 0;
	ASSERT_OK(pt_unmap(&e.pt, 0, PT_IA_LIMIT));
	/* One flush per valid root entry: 0, 1 and 511, each of 512 GiB */
	ASSERT_EQ(flushes.n, 3);
	expect_flush(0, 0, L0_SIZE);
	expect_flush(1, L0_SIZE, L0_SIZE);
	expect_flush(2, 511 * L0_SIZE, L0_SIZE);
	expect_stats(&e, 1, 0, 0, 0);
	ASSERT_EQ(e.pool.used, 1);
	for (int i = 0; i < 512; i++)
		ASSERT_EQ(table_of(e.pt.root)[i], 0);

	/* Not starting at a root entry's boundary: the level-1 entries, then the root entries */
	ASSERT_OK(pt_map(&e.pt, 0x1000, 0x1000, 4 * KiB, RW));
	ASSERT_OK(pt_map(&e.pt, PCI64_BASE, PCI64_BASE, PCI64_SIZE, DEV));
	expect_stats(&e, 5, 512, 0, 1);
	flushes.n = 0;
	ASSERT_OK(pt_unmap(&e.pt, 0x1000, PT_IA_LIMIT - 0x1000));
	ASSERT_EQ(flushes.n, 5);
	expect_flush(0, 0x1000, 4 * KiB);
	expect_flush(1, 0, 2 * MiB);
	expect_flush(2, 0, GiB);
	expect_flush(3, 0, L0_SIZE);
	expect_flush(4, L0_SIZE, L0_SIZE);
	expect_stats(&e, 1, 0, 0, 0);

	/* Unmapping nothing flushes nothing */
	flushes.n = 0;
	ASSERT_OK(pt_unmap(&e.pt, 0, PT_IA_LIMIT));
	ASSERT_OK(pt_unmap(&e.pt, 0x1000, 0x1000));
	ASSERT_EQ(flushes.n, 0);

	/* Piece by piece, in other pieces than were mapped */
	map_root_cell(&e);
	ASSERT_OK(pt_unmap(&e.pt, 0x30001000, 0x10000000));
	check_stats(&e);
	expect_map(&e, 0x30000fff, 0x30000fff, DEV);
	expect_unmapped(&e, 0x30001000);
	expect_unmapped(&e, 0x40000fff);
	expect_map(&e, 0x40001000, 0x40001000, RWX);
	ASSERT_OK(pt_unmap(&e.pt, MMIO_BASE, 0x28001000));
	ASSERT_OK(pt_unmap(&e.pt, 0x40001000, RAM_SIZE - 0x1000));
	expect_stats(&e, 1, 0, 0, 0);
	env_fini(&e);
}

TEST(flush_exactly_for_valid_entries)
{
	struct env e;

	env_init(&e, PT_STAGE2, 32);
	ASSERT_OK(pt_map(&e.pt, 0x1000, 0x1000, 4 * MiB, RW));
	ASSERT_OK(pt_map(&e.pt, 0x1000, 0x1000, 4 * MiB, RW));
	ASSERT_EQ(flushes.n, 0);

	/* New attributes on two pages: one flush each */
	ASSERT_OK(pt_map(&e.pt, 0x1000, 0x1000, 8 * KiB, PT_READ));
	ASSERT_EQ(flushes.n, 2);
	expect_flush(0, 0x1000, 4 * KiB);
	expect_flush(1, 0x2000, 4 * KiB);

	/* Mapping over a hole and beyond: only the page that was valid */
	ASSERT_OK(pt_unmap(&e.pt, 0x3000, 4 * KiB));
	expect_flush(2, 0x3000, 4 * KiB);
	flushes.n = 0;
	ASSERT_OK(pt_map(&e.pt, 0x3000, 0x3000, 8 * KiB, PT_READ));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, 0x4000, 4 * KiB);

	/* Nothing mapped, nothing flushed */
	flushes.n = 0;
	ASSERT_OK(pt_unmap(&e.pt, GiB, GiB));
	ASSERT_OK(pt_unmap(&e.pt, 0x800000, 0x800000));
	ASSERT_EQ(flushes.n, 0);

	/* Emptying tables: the pages, then the level-3 and level-2 table entries */
	ASSERT_OK(pt_map(&e.pt, 0x40000000, 0x40000000, 8 * KiB, RW));
	ASSERT_EQ(flushes.n, 0);
	ASSERT_OK(pt_unmap(&e.pt, 0x40000000, 8 * KiB));
	ASSERT_EQ(flushes.n, 4);
	expect_flush(0, 0x40000000, 4 * KiB);
	expect_flush(1, 0x40001000, 4 * KiB);
	expect_flush(2, 0x40000000, 2 * MiB);
	expect_flush(3, 0x40000000, GiB);
	expect_unmapped(&e, 0x40000000);
	check_stats(&e);

	/* Splitting a block: one flush for the block */
	flushes.n = 0;
	ASSERT_OK(pt_map(&e.pt, 2 * GiB, 2 * GiB, GiB, RW));
	ASSERT_OK(pt_map(&e.pt, 2 * GiB + 2 * MiB, 0, 2 * MiB, PT_READ));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, 2 * GiB, GiB);

	/* A block over a table of tables: one flush, the tables freed */
	flushes.n = 0;
	ASSERT_OK(pt_map(&e.pt, 0, 0, GiB, RW));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, 0, GiB);
	expect_stats(&e, 3, 1, 512, 0);

	/* Emptying a level-1 table: the block, then the root entry (512 GiB) */
	flushes.n = 0;
	ASSERT_OK(pt_map(&e.pt, PCI64_BASE + 3 * GiB, 0, GiB, DEV));
	expect_stats(&e, 4, 2, 512, 0);
	ASSERT_EQ(flushes.n, 0);
	ASSERT_OK(pt_unmap(&e.pt, PCI64_BASE, 4 * GiB));
	ASSERT_EQ(flushes.n, 2);
	expect_flush(0, PCI64_BASE + 3 * GiB, GiB);
	expect_flush(1, PCI64_BASE, L0_SIZE);
	ASSERT_EQ(table_of(e.pt.root)[1], 0);
	expect_stats(&e, 3, 1, 512, 0);

	/* Unmapping a whole root entry: one flush for it, its tables freed */
	flushes.n = 0;
	ASSERT_OK(pt_unmap(&e.pt, 0, L0_SIZE));
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, 0, L0_SIZE);
	expect_stats(&e, 1, 0, 0, 0);
	env_fini(&e);
}

TEST(no_flush_hook)
{
	struct env e;

	env_init(&e, PT_STAGE2, 16);
	e.pt.flush = NULL;
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, RW));
	ASSERT_OK(pt_unmap(&e.pt, GiB + 4 * KiB, 4 * KiB));
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, RW));
	ASSERT_OK(pt_unmap(&e.pt, GiB, GiB));
	expect_stats(&e, 1, 0, 0, 0);
	env_fini(&e);
}

TEST(cycles_do_not_grow)
{
	struct env e;
	unsigned long peak = 0;

	env_init(&e, PT_STAGE2, 64);
	for (int cycle = 0; cycle < 20; cycle++) {
		flushes.n = 0;
		map_root_cell(&e);
		ASSERT_OK(pt_map(&e.pt, 0x70000000 + cycle * 4 * KiB, 0x1000, 4 * KiB, RW));
		ASSERT_OK(pt_map(&e.pt, 3 * GiB - 4 * KiB, 0x2000, 8 * KiB, RW));
		ASSERT_OK(pt_unmap(&e.pt, 0x40205000, 4 * KiB));
		ASSERT_OK(pt_unmap(&e.pt, 0x09000000, 4 * KiB));
		check_stats(&e);
		if (cycle == 0)
			peak = e.pool.used;
		ASSERT_EQ(e.pool.used, peak);
		ASSERT_EQ(e.pt.stats.bytes, RAM_SIZE + MMIO_SIZE + 3 * 4 * KiB - 2 * 4 * KiB);

		if (cycle % 2) {
			ASSERT_OK(pt_unmap(&e.pt, 0, 4 * GiB));
		} else {
			ASSERT_OK(pt_unmap(&e.pt, RAM_BASE, RAM_SIZE));
			ASSERT_OK(pt_unmap(&e.pt, MMIO_BASE, MMIO_SIZE));
			ASSERT_OK(pt_unmap(&e.pt, 0x70000000, 2 * MiB));
			ASSERT_OK(pt_unmap(&e.pt, 3 * GiB - 4 * KiB, 8 * KiB));
		}
		expect_stats(&e, 1, 0, 0, 0);
		ASSERT_EQ(e.pool.used, 1);
	}
	/*
	 * Root, level 1, 2 level-2 for the cell, 1 level-3 for the hypervisor
	 * page, 2 + 2 for the pages around 3 GiB, 2 level-3 for the split blocks
	 */
	ASSERT_EQ(peak, 11);
	env_fini(&e);
}

TEST(pool_exhaustion)
{
	struct env e;

	/* Root only: even a 1 GiB block needs a level-1 table; nothing is left behind */
	env_init(&e, PT_STAGE2, 1);
	ASSERT_ERROR(pt_map(&e.pt, GiB, GiB, GiB, RW), ENOMEM);
	ASSERT_ERROR(pt_map(&e.pt, PCI64_BASE, PCI64_BASE, PCI64_SIZE, DEV), ENOMEM);
	ASSERT_EQ(flushes.n, 0);
	expect_stats(&e, 1, 0, 0, 0);
	expect_unmapped(&e, GiB);
	env_fini(&e);

	/* Root + 1: a 1 GiB block needs no more, a 2 MiB block does */
	env_init(&e, PT_STAGE2, 2);
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, RW));
	ASSERT_ERROR(pt_map(&e.pt, 0, 0, 2 * MiB, RW), ENOMEM);
	/* Another root entry needs another level-1 table */
	ASSERT_ERROR(pt_map(&e.pt, PCI64_BASE, PCI64_BASE, GiB, DEV), ENOMEM);
	/* Splitting the block fails before changing anything */
	ASSERT_ERROR(pt_unmap(&e.pt, GiB + 4 * KiB, 4 * KiB), ENOMEM);
	ASSERT_ERROR(pt_map(&e.pt, GiB, 0, 2 * MiB, RW), ENOMEM);
	ASSERT_EQ(flushes.n, 0);
	expect_stats(&e, 2, 1, 0, 0);
	expect_map(&e, GiB + 4 * KiB, GiB + 4 * KiB, RW);
	expect_unmapped(&e, 0);
	expect_unmapped(&e, PCI64_BASE);
	env_fini(&e);

	/* Root + 2: a page needs level-1, level-2 and level-3 tables; nothing is left behind */
	env_init(&e, PT_STAGE2, 3);
	ASSERT_ERROR(pt_map(&e.pt, 0, 0, 4 * KiB, RW), ENOMEM);
	expect_stats(&e, 1, 0, 0, 0);
	expect_unmapped(&e, 0);
	/* A 2 MiB block fits */
	ASSERT_OK(pt_map(&e.pt, 0, 0, 2 * MiB, RW));
	expect_stats(&e, 3, 0, 1, 0);
	env_fini(&e);

	/* Root + 2: splitting 1 GiB gets the level-2 table, not the level-3 one */
	env_init(&e, PT_STAGE2, 3);
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, RW));
	ASSERT_ERROR(pt_unmap(&e.pt, GiB + 4 * KiB, 4 * KiB), ENOMEM);
	/* Same translation, now as 512 x 2 MiB; the block was replaced, so flushed */
	expect_stats(&e, 3, 0, 512, 0);
	ASSERT_EQ(flushes.n, 1);
	expect_flush(0, GiB, GiB);
	for (u64 ia = GiB; ia < 2 * GiB; ia += 2 * MiB)
		expect_map(&e, ia + 0x1fff, ia + 0x1fff, RW);
	expect_map(&e, GiB + 4 * KiB, GiB + 4 * KiB, RW);
	env_fini(&e);

	/* Root + 3: the first of two pages in different 2 MiB ranges is mapped */
	env_init(&e, PT_STAGE2, 4);
	ASSERT_ERROR(pt_map(&e.pt, 0x1ff000, 0x1ff000, 8 * KiB, RW), ENOMEM);
	expect_stats(&e, 4, 0, 0, 1);
	expect_map(&e, 0x1ff000, 0x1ff000, RW);
	expect_unmapped(&e, 0x200000);
	ASSERT_EQ(pool_alloc(&e.pool), 0);
	/* Unmapping gives the tables back */
	ASSERT_OK(pt_unmap(&e.pt, 0, PT_IA_LIMIT));
	expect_stats(&e, 1, 0, 0, 0);
	/* And then it fits in two goes */
	ASSERT_OK(pt_map(&e.pt, 0x1ff000, 0x1ff000, 4 * KiB, RW));
	ASSERT_ERROR(pt_map(&e.pt, 0x200000, 0x200000, 4 * KiB, RW), ENOMEM);
	ASSERT_OK(pt_unmap(&e.pt, 0x1ff000, 4 * KiB));
	ASSERT_OK(pt_map(&e.pt, 0x200000, 0x200000, 4 * KiB, RW));
	expect_stats(&e, 4, 0, 0, 1);
	env_fini(&e);

	/* Root + 1: across a root boundary the first root entry's part is mapped */
	env_init(&e, PT_STAGE2, 2);
	ASSERT_ERROR(pt_map(&e.pt, PCI64_BASE - GiB, 0, 2 * GiB, RW), ENOMEM);
	ASSERT_ERROR(pt_map(&e.pt, PCI64_BASE - 2 * MiB, 0, 4 * MiB, RW), ENOMEM);
	expect_stats(&e, 2, 1, 0, 0);
	expect_map(&e, PCI64_BASE - 1, GiB - 1, RW);
	expect_unmapped(&e, PCI64_BASE);
	env_fini(&e);
}

TEST(invalid_arguments)
{
	struct env e;
	struct pt none = { 0 };

	env_init(&e, PT_STAGE2, 8);
	ASSERT_OK(pt_map(&e.pt, GiB, GiB, GiB, RW));
	flushes.n = 0;

	ASSERT_ERROR(pt_map(&e.pt, 0x800, 0, 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 0, 0x800, 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 0, 0, 0x800, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 0, 0, 0, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 4 * KiB, 0, ~0xfffULL, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 0, 1ULL << 48, 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 0, (1ULL << 48) - 4 * KiB, 8 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 0, ~0xfffULL, 8 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 0, 0, 4 * KiB, RW | 0x10), EINVAL);
	ASSERT_ERROR(pt_map(&none, 0, 0, 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_unmap(&e.pt, GiB + 0x800, 4 * KiB), EINVAL);
	ASSERT_ERROR(pt_unmap(&e.pt, GiB, 0x1800), EINVAL);
	ASSERT_ERROR(pt_unmap(&e.pt, GiB, 0), EINVAL);
	ASSERT_ERROR(pt_unmap(&e.pt, GiB, PT_IA_LIMIT), EINVAL);
	ASSERT_ERROR(pt_unmap(&none, 0, 4 * KiB), EINVAL);
	ASSERT_ERROR(pt_lookup(&none, 0, NULL, NULL), EINVAL);

	/*
	 * Input addresses at or above 2^48, or ranges reaching past it: never
	 * taken modulo 2^48 (which would land on the mapping at 1 GiB).
	 */
	ASSERT_ERROR(pt_map(&e.pt, PT_IA_LIMIT, 0, 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, PT_IA_LIMIT + GiB, GiB, GiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 1ULL << 63, 0, 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 0xffff000000000000ULL, 0, 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, ~0xfffULL, 0, 8 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, ~0xfffULL, 0, 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, PT_IA_LIMIT - 4 * KiB, 0, 8 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, PT_IA_LIMIT - GiB, 0, 2 * GiB, RW), EINVAL);
	ASSERT_ERROR(pt_map(&e.pt, 0, 0, PT_IA_LIMIT + 4 * KiB, RW), EINVAL);
	ASSERT_ERROR(pt_unmap(&e.pt, PT_IA_LIMIT, 4 * KiB), EINVAL);
	ASSERT_ERROR(pt_unmap(&e.pt, PT_IA_LIMIT + GiB, GiB), EINVAL);
	ASSERT_ERROR(pt_unmap(&e.pt, PT_IA_LIMIT - 4 * KiB, 8 * KiB), EINVAL);
	ASSERT_ERROR(pt_unmap(&e.pt, 0, PT_IA_LIMIT + 4 * KiB), EINVAL);
	ASSERT_ERROR(pt_lookup(&e.pt, PT_IA_LIMIT, NULL, NULL), EINVAL);
	ASSERT_ERROR(pt_lookup(&e.pt, PT_IA_LIMIT + GiB, NULL, NULL), EINVAL);
	ASSERT_ERROR(pt_lookup(&e.pt, ~0ULL, NULL, NULL), EINVAL);

	/* Nothing happened */
	ASSERT_EQ(flushes.n, 0);
	expect_stats(&e, 2, 1, 0, 0);
	expect_map(&e, GiB, GiB, RW);
	/* The limits themselves are fine */
	ASSERT_OK(pt_map(&e.pt, PT_IA_LIMIT - 4 * KiB, (1ULL << 48) - 4 * KiB, 4 * KiB, RW));
	expect_map(&e, PT_IA_LIMIT - 1, (1ULL << 48) - 1, RW);
	ASSERT_OK(pt_unmap(&e.pt, PT_IA_LIMIT - 4 * KiB, 4 * KiB));
	expect_stats(&e, 2, 1, 0, 0);
	env_fini(&e);
}

/*
 * Random maps and unmaps in three 2 GiB windows of the input range (at 0,
 * across the boundary between root entries 0 and 1 at 512 GiB, and at the
 * top below 2^48) checked against a model that keeps each 4 KiB page's
 * output address and attributes: after every operation the tables translate
 * every page as the model says and map nothing outside the windows, the
 * statistics match, and the flushes cover every page whose valid translation
 * changed, each of them on an entry that was valid before. With a small
 * pool, an operation that fails with -ENOMEM leaves each page of its range
 * either as it was or as asked, and everything else as it was.
 */
#define R_WINDOWS	3
#define R_WSIZE		(2 * GiB)
#define R_WPAGES	(R_WSIZE / (4 * KiB))
#define R_PAGES		(R_WINDOWS * R_WPAGES)
#define R_MAPPED	0x80

static u64 window_base(unsigned int w)
{
	return w == 0 ? 0 : w == 1 ? L0_SIZE - GiB : PT_IA_LIMIT - R_WSIZE;
}

/* Model index of the page at @ia, -1 outside the windows. */
static long page_index(u64 ia)
{
	for (unsigned int w = 0; w < R_WINDOWS; w++)
		if (ia >= window_base(w) && ia - window_base(w) < R_WSIZE)
			return w * R_WPAGES + (ia - window_base(w)) / (4 * KiB);
	return -1;
}

static u64 page_ia(u64 p)
{
	return window_base(p / R_WPAGES) + p % R_WPAGES * 4 * KiB;
}

/* Model pages [*first, *end) of what [ia, ia + size) has in window @w; false for none. */
static bool window_pages(unsigned int w, u64 ia, u64 size, u64 *first, u64 *end)
{
	u64 lo = window_base(w), hi = lo + R_WSIZE;

	if (ia >= hi || ia + size <= lo)
		return false;
	if (ia > lo)
		lo = ia;
	if (ia + size < hi)
		hi = ia + size;
	*first = page_index(lo);
	*end = *first + (hi - lo) / (4 * KiB);
	return true;
}

static unsigned int expected_attrs(enum pt_stage stage, unsigned int attrs)
{
	if (stage == PT_STAGE2)
		return attrs;
	attrs |= PT_READ;
	if (attrs & PT_DEVICE)
		attrs &= ~PT_EXEC;
	return attrs;
}

/*
 * The model: every page's translation now, as output minus input address
 * (so that a block's pages all have the same) and attributes; for the pages
 * of the operation's range, their translation before it and whether a flush
 * covered them. @mapped and @seen count pages mapped in the model and found
 * in the tables' leaves.
 */
struct model {
	u64 delta[R_PAGES];
	u8 attrs[R_PAGES];
	u64 mapped;
	u64 seen;
	u64 before_delta[R_WPAGES];
	u8 before_attrs[R_WPAGES];
	u8 flushed[R_WPAGES];
};

static void model_set(struct model *m, u64 p, u64 pa, u8 attrs)
{
	m->mapped -= !!(m->attrs[p] & R_MAPPED);
	m->mapped += !!(attrs & R_MAPPED);
	m->delta[p] = attrs & R_MAPPED ? pa - page_ia(p) : 0;
	m->attrs[p] = attrs;
}

/*
 * Whether the @n model pages from @p all translate by @delta with @attrs;
 * 1 GiB blocks are compared in bulk, 512 pages at a time.
 */
static bool model_run(const struct model *m, u64 p, u64 n, u64 delta, u8 attrs)
{
	static u64 deltas[512];
	static u8 attrs_run[512];

	if (n <= 512) {
		for (u64 k = p; k < p + n; k++)
			if (m->delta[k] != delta || m->attrs[k] != attrs)
				return false;
		return true;
	}
	for (u64 k = 0; k < 512; k++) {
		deltas[k] = delta;
		attrs_run[k] = attrs;
	}
	for (u64 k = p; k < p + n; k += 512)
		if (memcmp(m->delta + k, deltas, sizeof(deltas)) ||
		    memcmp(m->attrs + k, attrs_run, sizeof(attrs_run)))
			return false;
	return true;
}

/* Descriptor attribute bits for (normalised) PT_* @attrs, written out once more. */
static u64 desc_attrs(enum pt_stage stage, unsigned int attrs)
{
	u64 d = 1ULL << 10;

	if (!(attrs & PT_EXEC))
		d |= XN;
	if (stage == PT_STAGE2) {
		d |= attrs & PT_DEVICE ? 0x1 << 2 : 0xf << 2 | 0x300;
		d |= attrs & PT_READ ? 0x40 : 0;
		return d | (attrs & PT_WRITE ? 0x80 : 0);
	}
	d |= attrs & PT_DEVICE ? 0x1 << 2 : 0x300;
	return d | (attrs & PT_WRITE ? 0 : 0x80);
}

/*
 * Compare the tables with the model, counting tables and leaves into @c as
 * count_table() does, with the same checks. The windows are whole GiBs, so
 * a leaf, or a table of level 2 or 3, is wholly inside one of them or
 * wholly outside.
 */
static void compare_leaves(struct model *m, const struct pt *pt, u64 table, int level, u64 ia,
			   struct pt_stats *c)
{
	u64 size = 1ULL << (39 - 9 * level), n = size / (4 * KiB);
	long p0 = level >= 2 ? page_index(ia) : -1;
	unsigned int valid = 0;
	u8 attrs = 0;
	u64 bits = 0;

	ASSERT_EQ(table % PAGE_SIZE, 0);
	ASSERT_TRUE(table >= pt->pool->base &&
		    table < pt->pool->base + pt->pool->pages * PAGE_SIZE);
	if (level >= 2)
		ASSERT_TRUE(p0 >= 0);
	c->tables++;
	for (int i = 0; i < 512; i++) {
		u64 d = table_of(table)[i], base = ia + i * size, first, end;
		bool inside = false;
		long p;

		if (!d)
			continue;
		valid++;
		if (level < 3 && (d & 3) == 3) {
			ASSERT_EQ(d & ~OA_MASK, 3);
			for (unsigned int w = 0; w < R_WINDOWS; w++)
				inside |= window_pages(w, base, size, &first, &end);
			ASSERT_TRUE(inside);
			compare_leaves(m, pt, d & OA_MASK, level + 1, base, c);
			continue;
		}
		ASSERT_TRUE(level > 0);
		ASSERT_EQ(d & 3, level == 3 ? 3 : 1);
		p = level >= 2 ? p0 + i * (long)n : page_index(base);
		ASSERT_TRUE(p >= 0);
		ASSERT_TRUE(m->attrs[p] & R_MAPPED);
		if (m->attrs[p] != attrs) {
			attrs = m->attrs[p];
			bits = desc_attrs(pt->stage, attrs & ~R_MAPPED);	/* AF included */
		}
		ASSERT_EQ(d & ~OA_MASK & ~3ULL, bits);
		if (!model_run(m, p, n, (d & OA_MASK) - base, attrs))
			test_fail(__FILE__, __LINE__, "leaf at 0x%llx (level %d) not as in the model",
				  (unsigned long long)base, level);
		/* (pages are distinct, so all of the model's pages are seen when the counts match) */
		m->seen += n;
		if (level == 1)
			c->blocks_1g++;
		else if (level == 2)
			c->blocks_2m++;
		else
			c->pages++;
		c->bytes += size;
	}
	if (table != pt->root)
		ASSERT_TRUE(valid > 0);
}

static u64 rand_u64(void)
{
	return ((u64)rand() << 31) ^ (u64)rand();
}

/*
 * After -ENOMEM, each page of the range has its old translation or its new
 * one (unmapped, for pt_unmap): take what the tables say into the model.
 */
static void settle_partial(struct model *m, const struct env *e, u64 ia, u64 size, bool unmap,
			   u64 pa, unsigned int attrs)
{
	for (u64 at = ia, p = page_index(ia); at < ia + size; at += 4 * KiB, p++) {
		paddr_t got_pa;
		unsigned int got;
		bool old, new;

		if (pt_lookup(&e->pt, at, &got_pa, &got) < 0) {
			ASSERT_TRUE(unmap || !(m->attrs[p] & R_MAPPED));
			model_set(m, p, 0, 0);
			continue;
		}
		old = (m->attrs[p] & R_MAPPED) && at + m->delta[p] == got_pa &&
		      (m->attrs[p] & ~R_MAPPED) == got;
		new = !unmap && got_pa == pa + (at - ia) && got == attrs;
		ASSERT_TRUE(old || new);
		model_set(m, p, got_pa, R_MAPPED | got);
	}
}

static void random_ops(enum pt_stage stage, unsigned int seed, int ops, unsigned long pool_pages)
{
	int failures = 0;

	static const u64 grains[] = { 4 * KiB, 2 * MiB, GiB };
	/* 1 GiB aligned, room for 5 GiB above */
	static const u64 pa_bases[] = { 0, L0_SIZE - GiB, (1ULL << 48) - 8 * GiB };
	struct model *m = calloc(1, sizeof(*m));
	struct pt_stats counted;
	struct env e;

	ASSERT_NOT_NULL(m);
	srand(seed);
	env_init(&e, stage, pool_pages);
	for (int op = 0; op < ops; op++) {
		unsigned int w = rand() % R_WINDOWS;
		u64 g = grains[rand() % 10 < 5 ? 0 : rand() % 10 < 7 ? 1 : 2];
		u64 off = rand_u64() % (R_WSIZE / g) * g, size = (1 + rand_u64() % 600) * g;
		u64 pg = grains[rand() % 3], pa = pa_bases[rand() % 3] + off + rand_u64() % 4 * pg;
		unsigned int attrs = rand() % 16;
		bool unmap = rand() % 10 < 3;
		u64 ia, first, n;
		int ret;

		if (rand() % 4 == 0 && g > 4 * KiB)
			off += 4 * KiB * (1 + rand() % 511);	/* off alignment */
		if (size > R_WSIZE - off)
			size = R_WSIZE - off;
		ia = window_base(w) + off;
		first = page_index(ia);
		n = size / (4 * KiB);
		memcpy(m->before_delta, m->delta + first, n * sizeof(m->delta[0]));
		memcpy(m->before_attrs, m->attrs + first, n);
		flushes.n = 0;
		ret = unmap ? pt_unmap(&e.pt, ia, size) : pt_map(&e.pt, ia, pa, size, attrs);
		if (ret) {
			ASSERT_ERROR(ret, ENOMEM);
			settle_partial(m, &e, ia, size, unmap, pa, expected_attrs(stage, attrs));
			failures++;
		}
		for (u64 k = 0; !ret && k < n; k++) {
			if (unmap)
				model_set(m, first + k, 0, 0);
			else
				model_set(m, first + k, pa + k * 4 * KiB,
					  R_MAPPED | expected_attrs(stage, attrs));
		}

		/* The tables say what the model says, page by page; the statistics match */
		m->seen = 0;
		counted = (struct pt_stats){ 0 };
		compare_leaves(m, &e.pt, e.pt.root, 0, 0, &counted);
		ASSERT_EQ(m->seen, m->mapped);
		expect_counted(&e, &counted);
		for (int k = 0; k < 8; k++) {
			u64 p = rand_u64() % R_PAGES, at = page_ia(p) + rand() % 4096;

			if (m->attrs[p] & R_MAPPED)
				expect_map(&e, at, at + m->delta[p], m->attrs[p] & ~R_MAPPED);
			else
				expect_unmapped(&e, at);
		}

		/*
		 * Flushes: each on an aligned entry that mapped something before
		 * (outside [ia, ia + size) the model did not change, so what it
		 * says now is what it said before)
		 */
		memset(m->flushed, 0, n);
		for (unsigned int f = 0; f < flushes.n; f++) {
			u64 fi = flushes.ia[f], fs = flushes.size[f], lo, hi, p, pe;
			bool before = false;

			ASSERT_TRUE(fs == 4 * KiB || fs == 2 * MiB || fs == GiB || fs == L0_SIZE);
			ASSERT_EQ(fi % fs, 0);
			ASSERT_TRUE(fi < PT_IA_LIMIT && fs <= PT_IA_LIMIT - fi);
			lo = fi > ia ? fi : ia;
			hi = fi + fs < ia + size ? fi + fs : ia + size;
			if (lo < hi)
				memset(m->flushed + (lo - ia) / (4 * KiB), 1, (hi - lo) / (4 * KiB));
			for (unsigned int fw = 0; fw < R_WINDOWS && !before; fw++) {
				if (!window_pages(fw, fi, fs, &p, &pe))
					continue;
				for (; p < pe && !before; p++)
					before = (p >= first && p < first + n ? m->before_attrs[p - first] :
						  m->attrs[p]) & R_MAPPED;
			}
			ASSERT_TRUE(before);
		}
		/* Every page whose valid translation changed is flushed */
		for (u64 k = 0; k < n; k++) {
			if (!(m->before_attrs[k] & R_MAPPED))
				continue;
			if (m->before_attrs[k] == m->attrs[first + k] &&
			    m->before_delta[k] == m->delta[first + k])
				continue;
			ASSERT_TRUE(m->flushed[k]);
		}
	}
	/* A big pool never runs out here; a small one often does */
	ASSERT_TRUE(pool_pages > 1000 ? failures == 0 : failures > ops / 10);
	for (unsigned int w = 0; w < R_WINDOWS; w++)
		ASSERT_OK(pt_unmap(&e.pt, window_base(w), R_WSIZE));
	expect_stats(&e, 1, 0, 0, 0);
	env_fini(&e);
	free(m);
}

TEST(random_stage2)
{
	random_ops(PT_STAGE2, 1, 200, 3100);
}

TEST(random_stage1)
{
	random_ops(PT_STAGE1_EL2, 2, 200, 3100);
}

TEST(random_small_pool)
{
	random_ops(PT_STAGE2, 3, 300, 12);
}

DEFINE_TEST_MAIN
