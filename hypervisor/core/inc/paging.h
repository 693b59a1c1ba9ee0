/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * Translation tables for the EL2 stage 1 (the hypervisor's own map) and for
 * stage 2 (a cell's guest-physical to physical map). One format: 4 KiB
 * granule, 48-bit input addresses, walks starting at level 0 (four levels),
 * so a root table is one page with 512 entries of 512 GiB. Level-0 entries
 * are table descriptors only; leaves are 1 GiB blocks (level 1), 2 MiB
 * blocks (level 2) or 4 KiB pages (level 3), and pt_map() uses the largest
 * that the alignment of both addresses and the size allow. Output addresses
 * are up to 48 bits as well.
 *
 * The hypervisor programs TCR_EL2.T0SZ = 16 (64 - PT_IA_BITS) for stage 1,
 * and VTCR_EL2 with SL0 = start level 0 and T0SZ from the CPU's physical
 * address range (ID_AA64MMFR0_EL1.PARange) for stage 2. The tables may map
 * inputs up to PT_IA_LIMIT, but with a smaller range guest accesses beyond
 * it fault in hardware (stage 2 translation fault) whatever the tables say.
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

#define PT_IA_BITS	48
#define PT_IA_LIMIT	(1ULL << PT_IA_BITS)

/* Mapping attributes for pt_map() */
#define PT_READ		(1U << 0)
#define PT_WRITE	(1U << 1)
#define PT_EXEC		(1U << 2)
#define PT_DEVICE	(1U << 3)	/* Device-nGnRE instead of normal write-back memory */

enum pt_stage {
	PT_STAGE1_EL2,	/* MAIR_EL2 index 0: normal WBWA, index 1: Device-nGnRE */
	PT_STAGE2,
};

/* MAIR_EL2 the stage-1 attribute indexes above assume. */
#define PT_MAIR_EL2	0x04ffULL

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
	paddr_t root;
	enum pt_stage stage;
	struct pool *pool;
	struct pt_stats stats;
	void (*flush)(struct pt *pt, u64 ia, u64 size);
};

/*
 * Allocate an empty root table; @pt->flush is cleared (set it afterwards).
 * -ENOMEM when the pool is exhausted, -EINVAL for an unknown @stage.
 */
int pt_init(struct pt *pt, enum pt_stage stage, struct pool *pool);
/*
 * Map [ia, ia + size) to [pa, pa + size) with PT_* @attrs. All three page
 * aligned, size not 0, the range below PT_IA_LIMIT, pa + size at most 2^48.
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
 * PT_IA_LIMIT or @pt has no root.
 */
int pt_lookup(const struct pt *pt, u64 ia, paddr_t *pa, unsigned int *attrs);
/* Free every table page, the root included; no flush. */
void pt_destroy(struct pt *pt);

#endif /* __PAGING_H__ */
