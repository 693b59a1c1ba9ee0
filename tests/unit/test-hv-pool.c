// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's page pool (hypervisor/core/pool.c) on host memory: pages
 * come out in order and zeroed, aligned runs are aligned, exhaustion returns
 * 0, and frees of pages outside the pool, misaligned or not allocated leave
 * the used count and the bitmap alone.
 */
#include <stdlib.h>
#include <string.h>

#include <pool.h>

#include "tests.h"

struct test_pool {
	struct pool pool;
	void *mem;
	unsigned long *bitmap;
};

/* A pool of @pages pages starting @skip pages after a 64-page aligned address. */
static void tp_init(struct test_pool *tp, unsigned long pages, unsigned long skip)
{
	size_t bytes = (pages + skip + 64 + 63) / 64 * 64 * PAGE_SIZE;
	paddr_t base;

	tp->mem = aligned_alloc(64 * PAGE_SIZE, bytes);
	ASSERT_NOT_NULL(tp->mem);
	memset(tp->mem, 0xa5, bytes);
	tp->bitmap = malloc(pool_bitmap_bytes(pages) + sizeof(long));
	ASSERT_NOT_NULL(tp->bitmap);
	memset(tp->bitmap, 0xff, pool_bitmap_bytes(pages) + sizeof(long));
	base = (paddr_t)(unsigned long)tp->mem + skip * PAGE_SIZE;
	pool_init(&tp->pool, base, pages, tp->bitmap);
}

static void tp_fini(struct test_pool *tp)
{
	free(tp->mem);
	free(tp->bitmap);
}

static bool page_zero(paddr_t pa, unsigned long n)
{
	const unsigned char *p = (const void *)(unsigned long)pa;

	for (unsigned long i = 0; i < n * PAGE_SIZE; i++)
		if (p[i])
			return false;
	return true;
}

static unsigned long bits_set(const struct pool *pool)
{
	unsigned long n = 0;

	for (unsigned long i = 0; i < pool->pages; i++)
		n += (pool->bitmap[i / (8 * sizeof(long))] >> (i % (8 * sizeof(long)))) & 1;
	return n;
}

TEST(bitmap_bytes)
{
	ASSERT_EQ(pool_bitmap_bytes(0), 0);
	ASSERT_EQ(pool_bitmap_bytes(1), sizeof(long));
	ASSERT_EQ(pool_bitmap_bytes(64), 8);
	ASSERT_EQ(pool_bitmap_bytes(65), 16);
	ASSERT_EQ(pool_bitmap_bytes(4096), 512);
}

TEST(init_clears_bitmap)
{
	struct test_pool tp;

	tp_init(&tp, 100, 0);
	ASSERT_EQ(tp.pool.pages, 100);
	ASSERT_EQ(tp.pool.used, 0);
	ASSERT_EQ(bits_set(&tp.pool), 0);
	/* Bits past the bitmap's size are not the pool's to touch. */
	ASSERT_EQ(tp.bitmap[pool_bitmap_bytes(100) / sizeof(long)], ~0UL);
	tp_fini(&tp);
}

TEST(alloc_in_order_until_exhausted)
{
	struct test_pool tp;
	paddr_t base;

	tp_init(&tp, 70, 0);
	base = tp.pool.base;
	for (unsigned long i = 0; i < 70; i++) {
		paddr_t pa = pool_alloc(&tp.pool);

		ASSERT_EQ(pa, base + i * PAGE_SIZE);
		ASSERT_TRUE(page_zero(pa, 1));
		ASSERT_EQ(tp.pool.used, i + 1);
	}
	ASSERT_EQ(pool_alloc(&tp.pool), 0);
	ASSERT_EQ(pool_alloc(&tp.pool), 0);
	ASSERT_EQ(tp.pool.used, 70);
	ASSERT_EQ(bits_set(&tp.pool), 70);
	/* The page after the pool was never written. */
	ASSERT_EQ(*(unsigned char *)(unsigned long)(base + 70 * PAGE_SIZE), 0xa5);
	tp_fini(&tp);
}

TEST(free_and_reuse_zeroed)
{
	struct test_pool tp;
	paddr_t a, b, c;

	tp_init(&tp, 8, 0);
	a = pool_alloc(&tp.pool);
	b = pool_alloc(&tp.pool);
	c = pool_alloc(&tp.pool);
	memset((void *)(unsigned long)b, 0x5a, PAGE_SIZE);
	pool_free(&tp.pool, b, 1);
	ASSERT_EQ(tp.pool.used, 2);
	ASSERT_EQ(pool_alloc(&tp.pool), b);
	ASSERT_TRUE(page_zero(b, 1));
	ASSERT_EQ(pool_alloc(&tp.pool), c + PAGE_SIZE);
	pool_free(&tp.pool, a, 1);
	pool_free(&tp.pool, c, 2);
	ASSERT_EQ(tp.pool.used, 1);
	ASSERT_EQ(bits_set(&tp.pool), 1);
	ASSERT_EQ(pool_alloc(&tp.pool), a);
	tp_fini(&tp);
}

TEST(wraps_around_after_hint)
{
	struct test_pool tp;
	paddr_t pages[4];

	tp_init(&tp, 4, 0);
	for (int i = 0; i < 4; i++)
		pages[i] = pool_alloc(&tp.pool);
	pool_free(&tp.pool, pages[3], 1);
	pool_free(&tp.pool, pages[0], 1);
	ASSERT_EQ(pool_alloc(&tp.pool), pages[0]);
	ASSERT_EQ(pool_alloc(&tp.pool), pages[3]);
	ASSERT_EQ(pool_alloc(&tp.pool), 0);
	tp_fini(&tp);
}

TEST(bad_frees_ignored)
{
	struct test_pool tp;
	paddr_t a, b;

	tp_init(&tp, 16, 0);
	a = pool_alloc(&tp.pool);
	b = pool_alloc(&tp.pool);
	ASSERT_EQ(tp.pool.used, 2);

	pool_free(&tp.pool, a, 1);
	pool_free(&tp.pool, a, 1);		/* double free */
	ASSERT_EQ(tp.pool.used, 1);
	pool_free(&tp.pool, a + PAGE_SIZE * 5, 3);	/* never allocated */
	pool_free(&tp.pool, b + 8, 1);		/* misaligned */
	pool_free(&tp.pool, tp.pool.base - PAGE_SIZE, 1);	/* below */
	pool_free(&tp.pool, tp.pool.base + 16 * PAGE_SIZE, 1);	/* above */
	pool_free(&tp.pool, tp.pool.base + 1000 * PAGE_SIZE, ~0UL);
	pool_free(&tp.pool, 0, 1);
	pool_free(&tp.pool, b, 0);
	ASSERT_EQ(tp.pool.used, 1);
	ASSERT_EQ(bits_set(&tp.pool), 1);

	/* A range reaching in from below frees only its pages inside. */
	pool_free(&tp.pool, tp.pool.base - 2 * PAGE_SIZE, 4);
	ASSERT_EQ(tp.pool.used, 0);
	ASSERT_EQ(bits_set(&tp.pool), 0);
	pool_free(&tp.pool, b, 1);
	ASSERT_EQ(tp.pool.used, 0);

	/* A range running past the end stops at it. */
	for (int i = 0; i < 16; i++)
		ASSERT_TRUE(pool_alloc(&tp.pool) != 0);
	pool_free(&tp.pool, tp.pool.base + 14 * PAGE_SIZE, 100);
	ASSERT_EQ(tp.pool.used, 14);
	ASSERT_EQ(bits_set(&tp.pool), 14);
	tp_fini(&tp);
}

TEST(aligned_runs)
{
	struct test_pool tp;
	paddr_t a, b, c;

	/* Base one page past a 64-page boundary: alignment is by address. */
	tp_init(&tp, 40, 1);
	ASSERT_TRUE(pool_alloc(&tp.pool) != 0);		/* page 0 = address 1 mod 64 */
	a = pool_alloc_aligned(&tp.pool, 4);
	ASSERT_TRUE(a != 0);
	ASSERT_EQ(a % (4 * PAGE_SIZE), 0);
	ASSERT_EQ(a, tp.pool.base + 3 * PAGE_SIZE);
	ASSERT_TRUE(page_zero(a, 4));
	ASSERT_EQ(tp.pool.used, 5);

	b = pool_alloc_aligned(&tp.pool, 16);
	ASSERT_EQ(b % (16 * PAGE_SIZE), 0);
	ASSERT_EQ(b, tp.pool.base + 15 * PAGE_SIZE);
	ASSERT_TRUE(page_zero(b, 16));
	ASSERT_EQ(tp.pool.used, 21);

	/* Pages skipped for alignment are still there for single pages. */
	ASSERT_EQ(pool_alloc(&tp.pool), tp.pool.base + PAGE_SIZE);
	/* No 32-page aligned run is left in 40 pages. */
	ASSERT_EQ(pool_alloc_aligned(&tp.pool, 32), 0);
	ASSERT_EQ(tp.pool.used, 22);

	/* Not a power of two, zero, or more than the pool: refused. */
	ASSERT_EQ(pool_alloc_aligned(&tp.pool, 3), 0);
	ASSERT_EQ(pool_alloc_aligned(&tp.pool, 0), 0);
	ASSERT_EQ(pool_alloc_aligned(&tp.pool, 64), 0);
	ASSERT_EQ(tp.pool.used, 22);

	/* An allocated page in the way moves the run on. */
	pool_free(&tp.pool, b, 16);
	ASSERT_EQ(tp.pool.used, 6);
	c = pool_alloc(&tp.pool);	/* lowest free: page 2 */
	ASSERT_EQ(c, tp.pool.base + 2 * PAGE_SIZE);
	pool_free(&tp.pool, a, 4);
	ASSERT_EQ(pool_alloc_aligned(&tp.pool, 2), tp.pool.base + 3 * PAGE_SIZE);
	ASSERT_EQ(pool_alloc_aligned(&tp.pool, 8), tp.pool.base + 7 * PAGE_SIZE);
	ASSERT_EQ(tp.pool.used, 3 + 2 + 8);
	ASSERT_EQ(bits_set(&tp.pool), tp.pool.used);
	tp_fini(&tp);
}

TEST(aligned_exhaustion)
{
	struct test_pool tp;

	tp_init(&tp, 8, 0);
	ASSERT_EQ(pool_alloc_aligned(&tp.pool, 8), tp.pool.base);
	ASSERT_EQ(pool_alloc_aligned(&tp.pool, 1), 0);
	ASSERT_EQ(pool_alloc(&tp.pool), 0);
	pool_free(&tp.pool, tp.pool.base + 4 * PAGE_SIZE, 1);
	ASSERT_EQ(pool_alloc_aligned(&tp.pool, 2), 0);
	ASSERT_EQ(pool_alloc(&tp.pool), tp.pool.base + 4 * PAGE_SIZE);
	ASSERT_EQ(tp.pool.used, 8);
	tp_fini(&tp);
}

TEST(misaligned_base_and_page_zero)
{
	struct pool pool;
	unsigned long bitmap[1];

	/* A base inside a page starts at the next page, one page fewer. */
	pool_init(&pool, 0x40000010, 10, bitmap);
	ASSERT_EQ(pool.base, 0x40001000);
	ASSERT_EQ(pool.pages, 9);
	/* Page 0 is never handed out: 0 means failure. */
	pool_init(&pool, 0, 10, bitmap);
	ASSERT_EQ(pool.base, PAGE_SIZE);
	ASSERT_EQ(pool.pages, 9);
	pool_init(&pool, 0x1000, 0, bitmap);
	ASSERT_EQ(pool.pages, 0);
	ASSERT_EQ(pool_alloc(&pool), 0);
	ASSERT_EQ(pool.used, 0);
}

TEST(random_against_model)
{
	enum { PAGES = 300 };
	struct test_pool tp;
	bool model[PAGES] = { false };
	unsigned long used = 0;

	srand(1);
	tp_init(&tp, PAGES, 5);
	for (int step = 0; step < 20000; step++) {
		unsigned long i = rand() % PAGES, n = 1UL << (rand() % 4);
		paddr_t pa;

		if (rand() % 2) {
			pa = pool_alloc_aligned(&tp.pool, n);
			if (!pa)
				continue;
			ASSERT_EQ(pa % (n * PAGE_SIZE), 0);
			i = (pa - tp.pool.base) / PAGE_SIZE;
			ASSERT_TRUE(i + n <= PAGES);
			for (unsigned long k = i; k < i + n; k++) {
				ASSERT_FALSE(model[k]);
				model[k] = true;
			}
			used += n;
			ASSERT_TRUE(page_zero(pa, n));
			memset((void *)(unsigned long)pa, 0x77, n * PAGE_SIZE);
		} else {
			pool_free(&tp.pool, tp.pool.base + i * PAGE_SIZE, n);
			for (unsigned long k = i; k < i + n && k < PAGES; k++) {
				used -= model[k];
				model[k] = false;
			}
		}
		ASSERT_EQ(tp.pool.used, used);
	}
	ASSERT_EQ(bits_set(&tp.pool), used);
	tp_fini(&tp);
}

DEFINE_TEST_MAIN
