/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * VMSAv8-64 descriptors (Arm ARM D8, 4 KiB granule) for core/paging.c:
 * the EL2 stage 1 (one VA range, MAIR_EL2 indexes) and stage 2 (MemAttr,
 * S2AP). The walker needs the type bits, the output address and the
 * translation between PT_* attributes and a leaf's bits.
 */
#ifndef __ARCH_PTE_H__
#define __ARCH_PTE_H__

#include <types.h>
#include <paging.h>

/* MAIR_EL2 the stage-1 attribute indexes assume: 0 normal WBWA, 1 Device-nGnRE. */
#define PT_MAIR_EL2	0x04ffULL

#define DESC_VALID	(1ULL << 0)
#define DESC_TABLE	(1ULL << 1)	/* table at levels 0-2, page at level 3 */
#define DESC_TYPE_MASK	(DESC_VALID | DESC_TABLE)
#define DESC_OA_MASK	0x0000fffffffff000ULL
#define DESC_ATTR_MASK	(~(DESC_OA_MASK | DESC_TYPE_MASK))
#define DESC_SH_INNER	(3ULL << 8)
#define DESC_AF		(1ULL << 10)
#define DESC_XN		(1ULL << 54)

/* Stage 1 (EL2, one VA range): AttrIndx into PT_MAIR_EL2, AP[2] = read-only */
#define S1_ATTRIDX_MASK	(7ULL << 2)
#define S1_ATTRIDX_DEV	(1ULL << 2)
#define S1_AP_RO	(1ULL << 7)

/* Stage 2: MemAttr, S2AP */
#define S2_MEMATTR_MASK	(0xfULL << 2)
#define S2_MEMATTR_WB	(0xfULL << 2)	/* normal, outer and inner write-back */
#define S2_MEMATTR_DEV	(0x1ULL << 2)	/* Device-nGnRE */
#define S2AP_READ	(1ULL << 6)
#define S2AP_WRITE	(1ULL << 7)

static inline u64 s1_leaf_attrs(unsigned int attrs)
{
	u64 desc = DESC_AF;

	if (attrs & PT_DEVICE)
		desc |= S1_ATTRIDX_DEV | DESC_XN;
	else
		desc |= DESC_SH_INNER;
	if (!(attrs & PT_WRITE))
		desc |= S1_AP_RO;
	if (!(attrs & PT_EXEC))
		desc |= DESC_XN;
	return desc;
}

static inline u64 s2_leaf_attrs(unsigned int attrs)
{
	u64 desc = DESC_AF;

	if (attrs & PT_DEVICE)
		desc |= S2_MEMATTR_DEV;
	else
		desc |= S2_MEMATTR_WB | DESC_SH_INNER;
	if (attrs & PT_READ)
		desc |= S2AP_READ;
	if (attrs & PT_WRITE)
		desc |= S2AP_WRITE;
	if (!(attrs & PT_EXEC))
		desc |= DESC_XN;
	return desc;
}

/* PT_* attributes of a leaf descriptor. */
static inline unsigned int leaf_attrs(enum pt_stage stage, u64 desc)
{
	unsigned int attrs = desc & DESC_XN ? 0 : PT_EXEC;

	if (stage == PT_STAGE2) {
		if (desc & S2AP_READ)
			attrs |= PT_READ;
		if (desc & S2AP_WRITE)
			attrs |= PT_WRITE;
		if ((desc & S2_MEMATTR_MASK) == S2_MEMATTR_DEV)
			attrs |= PT_DEVICE;
		return attrs;
	}
	attrs |= PT_READ;
	if (!(desc & S1_AP_RO))
		attrs |= PT_WRITE;
	if ((desc & S1_ATTRIDX_MASK) == S1_ATTRIDX_DEV)
		attrs |= PT_DEVICE;
	return attrs;
}

#endif /* __ARCH_PTE_H__ */
