/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's page pool: fixed-size 4 KiB pages carved from the
 * hypervisor's memory after the image, the boot info and the system blob.
 * Addresses are physical; the hypervisor maps its whole memory 1:1, so a
 * page's physical address is also the pointer to it (before and after the
 * EL2 MMU is on). Host tests use ordinary host memory the same way.
 */
#ifndef __POOL_H__
#define __POOL_H__

#include <types.h>

#define PAGE_SHIFT	12
#define PAGE_SIZE	(1UL << PAGE_SHIFT)

/**
 * struct pool - a bitmap allocator of pages
 * @base:   physical address of the first page (page aligned)
 * @pages:  pages managed
 * @used:   pages allocated
 * @hint:   where the next search starts
 * @bitmap: one bit per page, 1 = allocated; @pages bits, stored by the caller
 */
struct pool {
	paddr_t base;
	unsigned long pages;
	unsigned long used;
	unsigned long hint;
	unsigned long *bitmap;
};

/* Bytes of bitmap needed for @pages pages (a multiple of sizeof(long)). */
unsigned long pool_bitmap_bytes(unsigned long pages);
/*
 * Set up @pool over [base, base + pages * PAGE_SIZE) and zero @bitmap
 * (pool_bitmap_bytes(pages), aligned to unsigned long). A base inside a page
 * starts at the next page, and page 0 is left out (0 means failure), each
 * costing one page.
 */
void pool_init(struct pool *pool, paddr_t base, unsigned long pages, unsigned long *bitmap);
/* One zeroed page, or 0 when the pool is exhausted. */
paddr_t pool_alloc(struct pool *pool);
/* @n contiguous zeroed pages aligned to @n pages (n a power of two), or 0. */
paddr_t pool_alloc_aligned(struct pool *pool, unsigned long n);
/*
 * Give back @n pages from @pa. Pages outside the pool or not allocated are
 * ignored, as is a @pa not page aligned, so @used stays exact.
 */
void pool_free(struct pool *pool, paddr_t pa, unsigned long n);

#endif /* __POOL_H__ */
