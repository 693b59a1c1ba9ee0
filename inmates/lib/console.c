// SPDX-License-Identifier: MIT
/*
 * The cell's virtual console: WARDEN_HC_CONSOLE_WRITE appends bytes to the
 * cell's console ring, which celld forwards to the journal. Each call takes
 * at most WARDEN_CONSOLE_WRITE_MAX bytes; longer writes are split.
 *
 * Bare metal (INMATE_BARE): the PL011 of QEMU virt, a byte at a time, each
 * '\n' preceded by '\r'; no initialisation (QEMU's UART transmits as it is).
 */
#include <inmate.h>

#ifdef INMATE_BARE
#define PL011_BASE	0x09000000ULL
#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_TXFF	BIT(5)

static void pl011_putc(char c)
{
	while (readl(PL011_BASE + PL011_FR) & PL011_FR_TXFF)
		cpu_relax();
	writel((u8)c, PL011_BASE + PL011_DR);
}

long console_write(const void *buf, size_t len)
{
	const char *p = buf;

	for (size_t i = 0; i < len; i++) {
		if (p[i] == '\n')
			pl011_putc('\r');
		pl011_putc(p[i]);
	}
	return (long)len;
}
#else
long console_write(const void *buf, size_t len)
{
	const char *p = buf;
	size_t done = 0;

	while (done < len) {
		size_t n = len - done;
		long ret;

		if (n > WARDEN_CONSOLE_WRITE_MAX)
			n = WARDEN_CONSOLE_WRITE_MAX;
		ret = warden_hypercall(WARDEN_HC_CONSOLE_WRITE, (uintptr_t)(p + done), n, 0);
		if (ret < 0)
			return ret;
		done += n;
	}
	return (long)done;
}
#endif

long console_puts(const char *s)
{
	return console_write(s, strlen(s));
}
