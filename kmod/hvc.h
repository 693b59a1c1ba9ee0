/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * warden.ko's calls into EL2, one place for the three parts that make them
 * (el2.c's probe, hv.c's enable/disable, cell.c's cells): Linux's hyp-stub
 * calls, Warden's hypercalls (include/warden/hypercall.h: x0 is the
 * function, x1-x4 its arguments, x0 and x1 come back), and cleaning memory
 * to the point of coherency for an EL2 that runs with its MMU off.
 */
#ifndef _WARDEN_HVC_H
#define _WARDEN_HVC_H

#include <asm/barrier.h>
#include <asm/sysreg.h>
#include <warden/hypercall.h>

static inline unsigned long warden_hvc(unsigned long fn, unsigned long a1, unsigned long a2,
				       unsigned long a3, unsigned long a4, unsigned long *r1)
{
	register unsigned long x0 asm("x0") = fn;
	register unsigned long x1 asm("x1") = a1;
	register unsigned long x2 asm("x2") = a2;
	register unsigned long x3 asm("x3") = a3;
	register unsigned long x4 asm("x4") = a4;

	asm volatile("hvc %[imm]"
		     : "+r"(x0), "+r"(x1), "+r"(x2), "+r"(x3), "+r"(x4)
		     : [imm] "i"(WARDEN_HVC_IMM)
		     : "memory");
	if (r1)
		*r1 = x1;
	return x0;
}

/* Linux's hyp stub: HVC_SET_VECTORS, HVC_RESET_VECTORS (asm/virt.h). */
static inline unsigned long warden_hvc_stub(unsigned long fn, unsigned long a1)
{
	register unsigned long x0 asm("x0") = fn;
	register unsigned long x1 asm("x1") = a1;

	asm volatile("hvc #0" : "+r"(x0), "+r"(x1) : : "x2", "x3", "memory");
	return x0;
}

/* Clean and invalidate [start, start + size) to the point of coherency. */
static inline void warden_dcache_flush_poc(const void *start, size_t size)
{
	unsigned long line = 4UL << ((read_sysreg(ctr_el0) >> 16) & 0xf);
	unsigned long p = (unsigned long)start & ~(line - 1);

	for (; p < (unsigned long)start + size; p += line)
		asm volatile("dc civac, %0" : : "r"(p) : "memory");
	dsb(sy);
}

#endif /* _WARDEN_HVC_H */
