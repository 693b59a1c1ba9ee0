// SPDX-License-Identifier: GPL-2.0-only
/*
 * The few string functions the hypervisor needs. Byte loops on purpose:
 * parts of the hypervisor run with the MMU off, where memory is Device and
 * unaligned accesses fault (the build uses -mstrict-align as well).
 */
#include <string.h>

void *memset(void *s, int c, size_t n)
{
	u8 *p = s;

	if (!((unsigned long)p & 7) && !(n & 7)) {
		u64 v = (u8)c * 0x0101010101010101ULL;
		u64 *q = s;

		for (n /= 8; n; n--)
			*q++ = v;
		return s;
	}
	while (n--)
		*p++ = (u8)c;
	return s;
}

void *memcpy(void *dst, const void *src, size_t n)
{
	u8 *d = dst;
	const u8 *s = src;

	while (n--)
		*d++ = *s++;
	return dst;
}

int memcmp(const void *a, const void *b, size_t n)
{
	const u8 *x = a, *y = b;

	for (; n; n--, x++, y++)
		if (*x != *y)
			return *x < *y ? -1 : 1;
	return 0;
}

size_t strlen(const char *s)
{
	size_t n = 0;

	while (s[n])
		n++;
	return n;
}

size_t strlcpy(char *dst, const char *src, size_t size)
{
	size_t len = strlen(src);

	if (size) {
		size_t n = len < size - 1 ? len : size - 1;

		memcpy(dst, src, n);
		dst[n] = 0;
	}
	return len;
}
