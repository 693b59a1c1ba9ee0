// SPDX-License-Identifier: GPL-2.0-only
/*
 * The hypervisor's log: a ring of bytes that root reads through
 * WARDEN_HC_CONSOLE_READ (`warden console`), optionally echoed to the
 * system's UART (boot flag WARDEN_BOOT_DEBUG_UART, drivers/) for debugging.
 *
 * Positions count bytes since the hypervisor started, so that a reader
 * knows what it missed when the ring wrapped. Only the first CPU logs
 * before its MMU is on (hv_global_init()); every other writer has the MMU
 * on, so the ring is only ever accessed through the cache.
 */
#include <hv.h>
#include <errno.h>
#include <string.h>
#include <console.h>

#define LOG_SIZE	16384
#define LOG_LINE	256

static char log_buf[LOG_SIZE];
static u64 log_head;
static struct spinlock log_lock;

static void ring_write(const char *s, size_t n)
{
	for (; n; n--)
		log_buf[log_head++ % LOG_SIZE] = *s++;
}

void hv_vlog(const char *fmt, va_list ap)
{
	char line[LOG_LINE];
	bool locked = arch_mmu_on();
	int n;

	n = snprintf(line, sizeof(line), "warden: ");
	n += vsnprintf(line + n, sizeof(line) - n, fmt, ap);
	if (n >= LOG_LINE - 1) {
		n = LOG_LINE - 1;
		line[n - 1] = '\n';
	}
	if (locked)
		spin_lock(&log_lock);
	ring_write(line, n);
	console_write(line, n);
	if (locked)
		spin_unlock(&log_lock);
}

void hv_log(const char *fmt, ...)
{
	va_list ap;

	va_start(ap, fmt);
	hv_vlog(fmt, ap);
	va_end(ap);
}

/* ratelimit_take_at() by the timer's counter. */
bool ratelimit_take(struct ratelimit *r, u64 n, u64 burst, u64 rate)
{
	return ratelimit_take_at(r, n, burst, rate, timer_now(), timer_freq());
}

u64 hv_console_head(void)
{
	return READ_ONCE(log_head);
}

/**
 * ring_read() - copy from a byte ring into root's memory
 * @ring:  the ring, @size bytes
 * @head:  bytes written to it since it started
 * @hc:    the call: its second result is the position of the first byte copied
 * @ipa:   root's buffer
 * @len:   its size
 * @pos:   the reader's position; older bytes that were overwritten are skipped
 *
 * Return: bytes copied, or -EFAULT.
 */
long ring_read(const char *ring, u64 size, u64 head, struct hcall *hc, u64 ipa, u64 len, u64 pos)
{
	u64 start = head > size ? head - size : 0, n, off, first;
	int ret;

	if (pos > start)
		start = pos < head ? pos : head;
	n = head - start < len ? head - start : len;
	off = start % size;
	first = n < size - off ? n : size - off;
	ret = copy_to_root(ipa, ring + off, first);
	if (!ret && n > first)
		ret = copy_to_root(ipa + first, ring, n - first);
	if (ret)
		return ret;
	hc->out = start;
	return (long)n;
}

/*
 * WARDEN_HC_CONSOLE_READ: x1 = buffer (root address), x2 = size, x3 = the
 * reader's position. x0 = bytes copied, x1 = position of the first one.
 */
long hv_console_read(struct hcall *hc)
{
	long ret;

	spin_lock(&log_lock);
	ret = ring_read(log_buf, LOG_SIZE, log_head, hc, hc->arg[0], hc->arg[1], hc->arg[2]);
	spin_unlock(&log_lock);
	return ret;
}
