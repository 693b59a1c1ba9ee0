// SPDX-License-Identifier: GPL-2.0-only
/* Arm PL011 UART (Arm DDI 0183), polled output only. */
#include <hv.h>
#include <console.h>

#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_TXFF	(1U << 5)

void pl011_putc(u64 base, char c)
{
	while (mmio_read32(base + PL011_FR) & PL011_FR_TXFF)
		cpu_relax();
	mmio_write32(base + PL011_DR, (u8)c);
}
