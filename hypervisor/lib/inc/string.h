/* SPDX-License-Identifier: GPL-2.0-only */
#ifndef __STRING_H__
#define __STRING_H__

#include <types.h>

void *memset(void *s, int c, size_t n);
void *memcpy(void *dst, const void *src, size_t n);
int memcmp(const void *a, const void *b, size_t n);
size_t strlen(const char *s);
size_t strlcpy(char *dst, const char *src, size_t size);

#endif /* __STRING_H__ */
