/* SPDX-License-Identifier: GPL-2.0-only */
/*
 * The hypervisor's debug console: the system's UART, written to only when
 * the loader asked for it (WARDEN_BOOT_DEBUG_UART). Drivers live in
 * drivers/; console_write() picks one by the description's UART type with
 * a direct call, since it runs with the MMU off too.
 */
#ifndef __CONSOLE_H__
#define __CONSOLE_H__

#include <types.h>

/* Write @n bytes, "\n" as "\r\n", to the system's UART if it is enabled. */
void console_write(const char *s, size_t n);

/* drivers/uart-pl011.c */
void pl011_putc(u64 base, char c);

#endif /* __CONSOLE_H__ */
