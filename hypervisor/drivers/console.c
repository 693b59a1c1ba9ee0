// SPDX-License-Identifier: GPL-2.0-only
/* The debug console: the description's UART, by its type. */
#include <hv.h>
#include <console.h>

static void console_putc(char c)
{
	switch (hv.sys->uart_type) {
	case WARDEN_UART_PL011:
		pl011_putc(hv.sys->uart_base, c);
		break;
	default:
		break;
	}
}

void console_write(const char *s, size_t n)
{
	if (!hv.boot || !(hv.boot->flags & WARDEN_BOOT_DEBUG_UART) || !hv.sys ||
	    !hv.sys->uart_base)
		return;
	for (; n; n--, s++) {
		if (*s == '\n')
			console_putc('\r');
		console_putc(*s);
	}
}
