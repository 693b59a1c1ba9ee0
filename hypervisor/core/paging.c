// SPDX-License-Identifier: GPL-2.0-only
/*
 * Translation tables of four levels of 512 entries (4 KiB granule, inputs
 * of up to 48 bits, walks from level 0, or level 1 for a small stage 2) for
 * the hypervisor's own map and for stage 2; see paging.h. The walk is here;
 * what a descriptor looks like is the architecture's (<arch/pte.h>).
 *
 * Every change goes through one recursive walk. At each level an entry
 * wholly inside the range is cleared (for unmap) or, from level 1 on,
 * becomes a leaf when the output address is aligned enough; level 0 holds
 * table descriptors only (no blocks there with this granule), so even a
 * whole 512 GiB entry is mapped through a level-1 table of 1 GiB blocks.
 * Otherwise the walk descends into the entry's table, first making one when
 * there is none: a zeroed table for an invalid entry, or a copy of a block
 * split into the next level. A new table is filled while unreachable and
 * published with one descriptor store, so changes inside it need no TLB
 * maintenance; only the store replacing a valid entry of a reachable table
 * calls @pt->flush. Tables left empty are cleared from their parent and
 * freed, after the flush (level-1 tables as well, but for the pinned ones
 * a level-1 walk starts from: the root and those only remain).
 *
 * Runs at EL2 with the MMU off as well (memory is Device then): descriptors
 * are read and written as single aligned 64-bit accesses, and nothing here
 * keeps an address in static data.
 */
#include <errno.h>
#include <paging.h>
#include <arch/pte.h>

#define ENTRIES		512
#define FIRST_LEVEL	0	/* the root; table descriptors only */
#define BLOCK_LEVEL	1	/* the first level with leaves (1 GiB blocks) */
#define LAST_LEVEL	3
#define OA_LIMIT	(1ULL << 48)
#define PT_ATTRS_ALL	(PT_READ | PT_WRITE | PT_EXEC | PT_DEVICE)

/**
 * struct walk - one pt_map() or pt_unmap() in progress
 * @pt:    the table set
 * @ia:    start of the whole range
 * @pa:    output address of @ia (pt_map)
 * @leaf:  attribute bits of new leaves (pt_map)
 * @unmap: clear instead of map
 */
struct walk {
	struct pt *pt;
	u64 ia;
	paddr_t pa;
	u64 leaf;
	bool unmap;
};

/* log2 of what one entry of @level covers: 512 GiB at level 0 ... 4 KiB at level 3 */
static unsigned int level_shift(unsigned int level)
{
	return PAGE_SHIFT + 9 * (LAST_LEVEL - level);
}

static u64 level_size(unsigned int level)
{
	return 1ULL << level_shift(level);
}

static unsigned int entry_index(u64 ia, unsigned int level)
{
	return (ia >> level_shift(level)) & (ENTRIES - 1);
}

static u64 entry_read(paddr_t table, unsigned int i)
{
	return ((volatile u64 *)(unsigned long)table)[i];
}

static void entry_write(paddr_t table, unsigned int i, u64 desc)
{
	((volatile u64 *)(unsigned long)table)[i] = desc;
}

static bool is_table(u64 desc, unsigned int level)
{
	return level < LAST_LEVEL && (desc & DESC_TYPE_MASK) == (DESC_VALID | DESC_TABLE);
}

static u64 leaf_type(unsigned int level)
{
	return level == LAST_LEVEL ? DESC_VALID | DESC_TABLE : DESC_VALID;
}

/* No leaf at level 0: a block descriptor there is invalid with this granule. */
static bool is_leaf(u64 desc, unsigned int level)
{
	return level >= BLOCK_LEVEL && (desc & DESC_TYPE_MASK) == leaf_type(level);
}

static bool table_empty(paddr_t table)
{
	unsigned int i;

	for (i = 0; i < ENTRIES; i++)
		if (entry_read(table, i) & DESC_VALID)
			return false;
	return true;
}

/* Count one leaf of @level in or (@add false) out of the statistics. */
static void count_leaf(struct pt *pt, unsigned int level, bool add)
{
	u64 *counter = &pt->stats.pages;

	if (level == 1)
		counter = &pt->stats.blocks_1g;
	else if (level == 2)
		counter = &pt->stats.blocks_2m;
	if (add) {
		(*counter)++;
		pt->stats.bytes += level_size(level);
	} else {
		(*counter)--;
		pt->stats.bytes -= level_size(level);
	}
}

/* Free @table of @level and every table below it, counting out their leaves. */
static void free_table(struct pt *pt, paddr_t table, unsigned int level)
{
	unsigned int i;
	u64 desc;

	for (i = 0; i < ENTRIES; i++) {
		desc = entry_read(table, i);
		if (is_table(desc, level))
			free_table(pt, desc & DESC_OA_MASK, level + 1);
		else if (is_leaf(desc, level))
			count_leaf(pt, level, false);
	}
	pool_free(pt->pool, table, 1);
	pt->stats.tables--;
}

/*
 * Replace entry @i of @table (level @level, covering [base, base + size))
 * that holds @old by @desc; flush when a live valid entry changed, and free
 * the table @old pointed to (after the flush) unless @desc still does.
 */
static void replace(struct pt *pt, paddr_t table, unsigned int i, unsigned int level, u64 base,
		    bool live, u64 old, u64 desc)
{
	if (desc == old)
		return;
	if (is_table(desc, level))
		__atomic_thread_fence(__ATOMIC_RELEASE);	/* table contents first */
	entry_write(table, i, desc);
	if (is_leaf(old, level))
		count_leaf(pt, level, false);
	if (is_leaf(desc, level))
		count_leaf(pt, level, true);
	if (live && (old & DESC_VALID) && pt->flush)
		pt->flush(pt, base, level_size(level));
	if (is_table(old, level))
		free_table(pt, old & DESC_OA_MASK, level + 1);
}

/* A new table of @level: empty, or the block @old split into 512 entries. */
static paddr_t new_table(struct pt *pt, u64 old, unsigned int level)
{
	paddr_t table = pool_alloc(pt->pool);
	u64 step = level_size(level);
	u64 desc;
	unsigned int i;

	if (!table)
		return 0;
	pt->stats.tables++;
	if (!is_leaf(old, level - 1))
		return table;
	desc = (old & DESC_OA_MASK) | (old & DESC_ATTR_MASK) | leaf_type(level);
	for (i = 0; i < ENTRIES; i++) {
		entry_write(table, i, desc + i * step);
		count_leaf(pt, level, true);
	}
	return table;
}

static int walk_table(const struct walk *w, paddr_t table, unsigned int level, u64 ia, u64 end,
		      bool live);

/* Is entry @i of a @level table one of the pinned level-1 tables' level-0 entries? */
static bool pinned(const struct pt *pt, unsigned int level, unsigned int i)
{
	return level == FIRST_LEVEL && i < pt->pinned;
}

/*
 * Apply @w to [ia, end), part of entry @i of @table that holds @old, in the
 * table below it: the existing one, or a new one published afterwards (or
 * freed if it stayed empty).
 */
static int descend(const struct walk *w, paddr_t table, unsigned int i, unsigned int level,
		   u64 ia, u64 end, bool live, u64 old)
{
	u64 base = ia & ~(level_size(level) - 1);
	bool existing = is_table(old, level);
	paddr_t child = existing ? old & DESC_OA_MASK : new_table(w->pt, old, level + 1);
	u64 desc;
	int err;

	if (!child)
		return -ENOMEM;
	err = walk_table(w, child, level + 1, ia, end, live && existing);
	desc = table_empty(child) && !pinned(w->pt, level, i) ? 0 : child | DESC_VALID | DESC_TABLE;
	replace(w->pt, table, i, level, base, live, old, desc);
	if (!desc && !existing) {
		pool_free(w->pt->pool, child, 1);
		w->pt->stats.tables--;
	}
	return err;
}

/* Apply @w to [ia, end), inside entry @i of @table. */
static int walk_entry(const struct walk *w, paddr_t table, unsigned int i, unsigned int level,
		      u64 ia, u64 end, bool live)
{
	u64 size = level_size(level);
	u64 old = entry_read(table, i);
	paddr_t pa = w->pa + (ia - w->ia);
	bool whole = !(ia & (size - 1)) && end - ia == size;

	if (w->unmap && !(old & DESC_VALID))
		return 0;
	if (pinned(w->pt, level, i))
		return descend(w, table, i, level, ia, end, live, old);
	if (whole && w->unmap) {
		replace(w->pt, table, i, level, ia, live, old, 0);
		return 0;
	}
	if (whole && level >= BLOCK_LEVEL && !(pa & (size - 1))) {
		replace(w->pt, table, i, level, ia, live, old, pa | w->leaf | leaf_type(level));
		return 0;
	}
	return descend(w, table, i, level, ia, end, live, old);
}

/* Apply @w to [ia, end) within @table of @level; @live: reachable from the root. */
static int walk_table(const struct walk *w, paddr_t table, unsigned int level, u64 ia, u64 end,
		      bool live)
{
	u64 next;
	int err;

	while (ia < end) {
		next = (ia | (level_size(level) - 1)) + 1;
		if (next > end)
			next = end;
		err = walk_entry(w, table, entry_index(ia, level), level, ia, next, live);
		if (err)
			return err;
		ia = next;
	}
	return 0;
}

static bool range_valid(const struct pt *pt, u64 ia, u64 size)
{
	u64 limit = 1ULL << pt->ia_bits;

	return pt && pt->root && size && !((ia | size) & (PAGE_SIZE - 1)) &&
	       ia < limit && size <= limit - ia;
}

int pt_init(struct pt *pt, enum pt_stage stage, struct pool *pool, unsigned int ia_bits)
{
	unsigned int n = 0, i;
	paddr_t run = 0;

	if (stage != PT_STAGE1_EL2 && stage != PT_STAGE2)
		return -EINVAL;
	if (ia_bits > PT_IA_BITS || ia_bits < 32 || (stage == PT_STAGE1_EL2 && ia_bits != PT_IA_BITS))
		return -EINVAL;
	pt->stage = stage;
	pt->pool = pool;
	pt->flush = NULL;
	pt->stats = (struct pt_stats){ 0 };
	pt->ia_bits = ia_bits;
	pt->pinned = 0;
	pt->root = pool_alloc(pool);
	if (!pt->root)
		return -ENOMEM;
	pt->hw_root = pt->root;
	pt->stats.tables = 1;
	if (stage == PT_STAGE2 && ia_bits < PT_S2_L0_MIN_BITS) {
		n = ia_bits > level_shift(FIRST_LEVEL) ? 1U << (ia_bits - level_shift(FIRST_LEVEL)) : 1;
		run = pool_alloc_aligned(pool, n);
		if (!run) {
			pool_free(pool, pt->root, 1);
			pt->root = 0;
			return -ENOMEM;
		}
		for (i = 0; i < n; i++)
			entry_write(pt->root, i, (run + i * PAGE_SIZE) | DESC_VALID | DESC_TABLE);
		pt->stats.tables += n;
		pt->pinned = n;
		pt->hw_root = run;
	}
	return 0;
}

int pt_map(struct pt *pt, u64 ia, paddr_t pa, u64 size, unsigned int attrs)
{
	struct walk w = { .pt = pt, .ia = ia, .pa = pa };

	if (!range_valid(pt, ia, size) || (pa & (PAGE_SIZE - 1)) || pa >= OA_LIMIT ||
	    size > OA_LIMIT - pa || (attrs & ~PT_ATTRS_ALL))
		return -EINVAL;
	if (pt->stage == PT_STAGE2)
		w.leaf = s2_leaf_attrs(attrs);
	else
		w.leaf = s1_leaf_attrs(attrs);
	return walk_table(&w, pt->root, FIRST_LEVEL, ia, ia + size, true);
}

int pt_unmap(struct pt *pt, u64 ia, u64 size)
{
	struct walk w = { .pt = pt, .ia = ia, .unmap = true };

	if (!range_valid(pt, ia, size))
		return -EINVAL;
	return walk_table(&w, pt->root, FIRST_LEVEL, ia, ia + size, true);
}

int pt_lookup(const struct pt *pt, u64 ia, paddr_t *pa, unsigned int *attrs)
{
	paddr_t table = pt->root;
	unsigned int level;
	u64 desc;

	if (!table || ia >= 1ULL << pt->ia_bits)
		return -EINVAL;
	for (level = FIRST_LEVEL; level <= LAST_LEVEL; level++) {
		desc = entry_read(table, entry_index(ia, level));
		if (is_leaf(desc, level)) {
			if (pa)
				*pa = (desc & DESC_OA_MASK) + (ia & (level_size(level) - 1));
			if (attrs)
				*attrs = leaf_attrs(pt->stage, desc);
			return 0;
		}
		if (!is_table(desc, level))
			break;
		table = desc & DESC_OA_MASK;
	}
	return -ENOENT;
}

void pt_destroy(struct pt *pt)
{
	if (pt->root)
		free_table(pt, pt->root, FIRST_LEVEL);
	pt->root = pt->hw_root = 0;
	pt->pinned = 0;
}
