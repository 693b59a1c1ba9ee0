// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's log: a ring of bytes that root reads through
 * WARDEN_HC_CONSOLE_READ (`warden console`), optionally echoed to the
 * system's PL011 (boot flag WARDEN_BOOT_DEBUG_UART) for debugging.
 *
 * Positions count bytes since the hypervisor started, so that a reader
 * knows what it missed when the ring wrapped. Only the first CPU logs
 * before its MMU is on (hv_global_init()); every other writer has the MMU
 * on, so the ring is only ever accessed through the cache.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>

#define LOG_SIZE	16384
#define LOG_LINE	256

static char log_buf[LOG_SIZE];
static u64 log_head;
static u32 log_lock;

static void lock(u32 *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (READ_ONCE(*l))
			;
}

static void unlock(u32 *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static bool mmu_on(void)
{
	return read_sysreg(sctlr_el2) & 1;
}

#define PL011_DR	0x00
#define PL011_FR	0x18
#define PL011_FR_TXFF	(1 << 5)

static void uart_putc(char c)
{
	volatile u32 *base = (volatile u32 *)hv.sys->uart_base;

	while (base[PL011_FR / 4] & PL011_FR_TXFF)
		;
	base[PL011_DR / 4] = (u8)c;
}

static void uart_write(const char *s, size_t n)
{
	if (!hv.boot || !(hv.boot->flags & WARDEN_BOOT_DEBUG_UART) || !hv.sys ||
	    hv.sys->uart_type != WARDEN_UART_PL011)
		return;
	for (; n; n--, s++) {
		if (*s == '\n')
			uart_putc('\r');
		uart_putc(*s);
	}
}

static void ring_write(const char *s, size_t n)
{
	for (; n; n--)
		log_buf[log_head++ % LOG_SIZE] = *s++;
}

void hv_log(const char *fmt, ...)
{
	char line[LOG_LINE];
	va_list ap;
	int n;
	bool locked = mmu_on();

	n = snprintf(line, sizeof(line), "warden: ");
	va_start(ap, fmt);
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	va_end(ap);
	if (n >= LOG_LINE - 1) {
		n = LOG_LINE - 1;
		line[n - 1] = '\n';
	}
	if (locked)
		lock(&log_lock);
	ring_write(line, n);
	uart_write(line, n);
	if (locked)
		unlock(&log_lock);
}

u64 hv_console_head(void)
{
	return READ_ONCE(log_head);
}

/*
 * WARDEN_HC_CONSOLE_READ: x1 = buffer (root address), x2 = size, x3 = the
 * reader's position. x0 = bytes copied, x1 = position of the first one.
 */
long hv_console_read(struct regs *regs)
{
	u64 ipa = regs->x[1], size = regs->x[2], pos = regs->x[3];
	u64 start, n, off, first;
	int ret;

	lock(&log_lock);
	start = log_head > LOG_SIZE ? log_head - LOG_SIZE : 0;
	if (pos > start)
		start = pos < log_head ? pos : log_head;
	n = log_head - start;
	if (n > size)
		n = size;
	off = start % LOG_SIZE;
	first = n < LOG_SIZE - off ? n : LOG_SIZE - off;
	ret = copy_to_root(ipa, log_buf + off, first);
	if (!ret && n > first)
		ret = copy_to_root(ipa + first, log_buf, n - first);
	unlock(&log_lock);
	if (ret)
		return ret;
	regs->x[1] = start;
	return (long)n;
}
