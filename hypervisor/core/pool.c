// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's page pool: a bitmap allocator of 4 KiB pages over one
 * physical range (see pool.h). One bit per page, 1 = allocated. Single
 * pages are searched from a hint (the lowest page that may be free), runs
 * of n pages aligned to n pages from the start. Pages are zeroed when
 * handed out. Freeing pages outside the pool or not allocated is ignored,
 * so @used always equals the number of set bits.
 *
 * Runs before the EL2 MMU is on (memory is Device then): only naturally
 * aligned accesses, no addresses kept in static data.
 */
#include <pool.h>
#include <string.h>

#define BITS_PER_LONG	(8 * sizeof(unsigned long))

static bool page_busy(const struct pool *pool, unsigned long i)
{
	return (pool->bitmap[i / BITS_PER_LONG] >> (i % BITS_PER_LONG)) & 1;
}

static void page_mark(struct pool *pool, unsigned long i, bool busy)
{
	unsigned long bit = 1UL << (i % BITS_PER_LONG);

	if (busy)
		pool->bitmap[i / BITS_PER_LONG] |= bit;
	else
		pool->bitmap[i / BITS_PER_LONG] &= ~bit;
}

unsigned long pool_bitmap_bytes(unsigned long pages)
{
	return (pages + BITS_PER_LONG - 1) / BITS_PER_LONG * sizeof(unsigned long);
}

void pool_init(struct pool *pool, paddr_t base, unsigned long pages, unsigned long *bitmap)
{
	/* Only whole pages, and never page 0: a zero address means failure. */
	if (base & (PAGE_SIZE - 1)) {
		base = (base | (PAGE_SIZE - 1)) + 1;
		pages = pages ? pages - 1 : 0;
	}
	if (!base && pages) {
		base = PAGE_SIZE;
		pages--;
	}
	pool->base = base;
	pool->pages = pages;
	pool->used = 0;
	pool->hint = 0;
	pool->bitmap = bitmap;
	if (pages)
		memset(bitmap, 0, pool_bitmap_bytes(pages));
}

/* First free page at or after @i, or @pool->pages. */
static unsigned long next_free(const struct pool *pool, unsigned long i)
{
	unsigned long word;

	while (i < pool->pages) {
		word = ~pool->bitmap[i / BITS_PER_LONG] & (~0UL << (i % BITS_PER_LONG));
		if (word) {
			i = i / BITS_PER_LONG * BITS_PER_LONG + __builtin_ctzl(word);
			return i < pool->pages ? i : pool->pages;
		}
		i = (i / BITS_PER_LONG + 1) * BITS_PER_LONG;
	}
	return pool->pages;
}

/* First allocated page in [i, i + n), or i + n when all are free. */
static unsigned long first_busy(const struct pool *pool, unsigned long i, unsigned long n)
{
	unsigned long end = i + n;

	for (; i < end; i++)
		if (page_busy(pool, i))
			return i;
	return end;
}

/* Smallest index >= @i whose physical address is aligned to @n pages. */
static unsigned long align_index(const struct pool *pool, unsigned long i, unsigned long n)
{
	unsigned long pfn = pool->base >> PAGE_SHIFT;

	return ((pfn + i + n - 1) & ~(n - 1)) - pfn;
}

/* First run of @n free pages aligned to @n pages, from @i on, or @pool->pages. */
static unsigned long find_run(const struct pool *pool, unsigned long i, unsigned long n)
{
	unsigned long busy;

	for (;;) {
		i = align_index(pool, next_free(pool, i), n);
		if (i >= pool->pages || pool->pages - i < n)
			return pool->pages;
		busy = first_busy(pool, i, n);
		if (busy == i + n)
			return i;
		i = busy + 1;
	}
}

paddr_t pool_alloc_aligned(struct pool *pool, unsigned long n)
{
	unsigned long i, k;
	paddr_t pa;

	if (!n || (n & (n - 1)) || n > pool->pages)
		return 0;
	i = find_run(pool, n == 1 ? pool->hint : 0, n);
	if (i == pool->pages && n == 1 && pool->hint)
		i = find_run(pool, 0, n);
	if (i == pool->pages)
		return 0;
	for (k = 0; k < n; k++)
		page_mark(pool, i + k, true);
	pool->used += n;
	if (n == 1)
		pool->hint = i + 1;
	pa = pool->base + ((paddr_t)i << PAGE_SHIFT);
	memset((void *)(unsigned long)pa, 0, n * PAGE_SIZE);
	return pa;
}

paddr_t pool_alloc(struct pool *pool)
{
	return pool_alloc_aligned(pool, 1);
}

void pool_free(struct pool *pool, paddr_t pa, unsigned long n)
{
	unsigned long first, skip, i;

	if (!n || (pa & (PAGE_SIZE - 1)))
		return;
	/* Only the part of [pa, pa + n pages) inside the pool counts. */
	if (pa < pool->base) {
		skip = (pool->base - pa) >> PAGE_SHIFT;
		if (skip >= n)
			return;
		n -= skip;
		pa = pool->base;
	}
	first = (pa - pool->base) >> PAGE_SHIFT;
	if (first >= pool->pages)
		return;
	if (n > pool->pages - first)
		n = pool->pages - first;
	for (i = first; i < first + n; i++) {
		if (!page_busy(pool, i))
			continue;
		page_mark(pool, i, false);
		pool->used--;
	}
	if (first < pool->hint)
		pool->hint = first;
}
