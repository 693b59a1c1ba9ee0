// SPDX-License-Identifier: GPL-2.0-only
/*
 * The cell's virtual console: WARDEN_HC_CONSOLE_WRITE appends bytes to the
 * cell's console ring, which celld forwards to the journal. Each call takes
 * at most WARDEN_CONSOLE_WRITE_MAX bytes; longer writes are split.
 */
#include <inmate.h>

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

long console_puts(const char *s)
{
	return console_write(s, strlen(s));
}
