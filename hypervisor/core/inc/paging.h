/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Translation tables for the EL2 stage 1 (the hypervisor's own map) and for
 * stage 2 (a cell's guest-physical to physical map). One format: 4 KiB
 * granule, four levels kept in software from a level-0 root table of 512
 * entries of 512 GiB. Level-0 entries are table descriptors only; leaves are
 * 1 GiB blocks (level 1), 2 MiB blocks (level 2) or 4 KiB pages (level 3),
 * and pt_map() uses the largest that the alignment of both addresses and
 * the size allow. Output addresses are up to 48 bits.
 *
 * Input addresses are up to @ia_bits: 48 for the EL2 stage 1 (TCR_EL2.T0SZ
 * = 16), the CPU's physical address range for stage 2 (VTCR_EL2.T0SZ = 64 -
 * @ia_bits). With the 4 KiB granule a stage-2 walk may start at level 0
 * only for 44 bits and more (Arm ARM, VTCR_EL2.SL0 and "concatenated
 * translation tables for the initial stage 2 lookup"): below that the
 * hardware starts at level 1, in 2^(@ia_bits - 39) level-1 tables
 * concatenated (one below 40 bits). pt_init() then allocates them as one
 * aligned run behind the first level-0 entries and pins them (they are
 * never freed while @pt lives), and @hw_root, what VTTBR_EL2 gets, is that
 * run instead of the level-0 table.
 *
 * Table memory comes from a struct pool and is addressed physically; see
 * pool.h for why a physical address is also a pointer here. The code does
 * no TLB maintenance itself: it calls @pt->flush (when set) after changing
 * or removing a live entry, with the range affected.
 */
#ifndef __PAGING_H__
#define __PAGING_H__

#include <types.h>
#include <pool.h>

#define PT_IA_BITS	48	/* the most input bits; always stage 1's */
#define PT_IA_LIMIT	(1ULL << PT_IA_BITS)
#define PT_S2_L0_MIN_BITS 44	/* stage-2 walks start at level 0 from this size on */

/* Mapping attributes for pt_map() */
#define PT_READ		(1U << 0)
#define PT_WRITE	(1U << 1)
#define PT_EXEC		(1U << 2)
#define PT_DEVICE	(1U << 3)	/* Device-nGnRE instead of normal write-back memory */
#define PT_ALL		(PT_READ | PT_WRITE | PT_EXEC)

enum pt_stage {
	PT_STAGE1_EL2,	/* the hypervisor's own map */
	PT_STAGE2,
};

/**
 * struct pt_stats - what a table set maps, counted as entries change
 * @tables:    table pages, the root included
 * @pages:     4 KiB page entries
 * @blocks_2m: 2 MiB block entries
 * @blocks_1g: 1 GiB block entries
 * @bytes:     bytes mapped
 */
struct pt_stats {
	u64 tables;
	u64 pages;
	u64 blocks_2m;
	u64 blocks_1g;
	u64 bytes;
};

struct pt {
	paddr_t root;		/* the level-0 table */
	paddr_t hw_root;	/* the table base register's: @root, or the pinned level-1 run */
	unsigned int ia_bits;
	unsigned int pinned;	/* level-1 tables behind the first level-0 entries, kept */
	enum pt_stage stage;
	struct pool *pool;
	struct pt_stats stats;
	void (*flush)(struct pt *pt, u64 ia, u64 size);
};

/*
 * Allocate an empty root table for inputs of @ia_bits (48 at stage 1, 32
 * to 48 at stage 2), and the pinned level-1 run where stage 2 starts at
 * level 1; @pt->flush is cleared (set it afterwards). -ENOMEM when the pool
 * is exhausted, -EINVAL for an unknown @stage or a bad @ia_bits.
 */
int pt_init(struct pt *pt, enum pt_stage stage, struct pool *pool, unsigned int ia_bits);
/*
 * Map [ia, ia + size) to [pa, pa + size) with PT_* @attrs. All three page
 * aligned, size not 0, the range below 2^@ia_bits, pa + size at most 2^48.
 * Whatever was mapped there before is replaced (blocks in the way are split,
 * tables a block replaces are freed). -EINVAL for bad arguments, -ENOMEM
 * when the pool runs out (the part already mapped stays mapped, and the
 * tables stay consistent). At stage 1 every mapping is readable and device
 * memory never executable.
 *
 * @pt->flush is called once for each valid entry of a live table that was
 * changed or cleared, with the range that entry covers (a block split into
 * a table counts as one change of the block), after the new descriptor is
 * stored and before any table it pointed to is freed. That range is 4 KiB,
 * 2 MiB, 1 GiB or, for a root entry (its level-1 table emptied or unmapped
 * whole), 512 GiB. Entries that were invalid, or are rewritten with the
 * same value, cause no call: after mapping into holes the caller still
 * needs a DSB before relying on them. Entries are replaced in place,
 * without break-before-make.
 */
int pt_map(struct pt *pt, u64 ia, paddr_t pa, u64 size, unsigned int attrs);
/*
 * Unmap [ia, ia + size), splitting blocks that are partly inside and freeing
 * tables left empty. Same arguments rules, flushes and errors as pt_map().
 */
int pt_unmap(struct pt *pt, u64 ia, u64 size);
/*
 * Translate @ia. Returns 0 and fills @pa and @attrs (PT_*; either may be
 * NULL), -ENOENT when nothing is mapped there, -EINVAL when @ia is not below
 * 2^@ia_bits or @pt has no root.
 */
int pt_lookup(const struct pt *pt, u64 ia, paddr_t *pa, unsigned int *attrs);
/* Free every table page, the root included; no flush. */
void pt_destroy(struct pt *pt);

#endif /* __PAGING_H__ */
