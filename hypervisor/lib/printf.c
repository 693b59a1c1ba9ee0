// SPDX-License-Identifier: GPL-2.0-only
/*
 * A small vsnprintf for the hypervisor's log: %d %i %u %x %X %p %s %c %%,
 * the l and ll length modifiers, a field width and the 0, - and # flags.
 */
#include <types.h>
#include <stdarg.h>
#include <string.h>

struct out {
	char *buf;
	size_t size;
	size_t len;
};

static void put(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void put_num(struct out *o, unsigned long long v, unsigned int base, bool neg,
		    int width, bool zero, bool left, bool upper)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);
	if (neg)
		width--;
	if (neg && zero)
		put(o, '-');
	for (; !left && width > n; width--)
		put(o, zero ? '0' : ' ');
	if (neg && !zero)
		put(o, '-');
	while (n)
		put(o, tmp[--n]), width--;
	for (; left && width > 0; width--)
		put(o, ' ');
}

static void put_str(struct out *o, const char *s, int width, bool left)
{
	int n = (int)strlen(s);

	for (; !left && width > n; width--)
		put(o, ' ');
	while (*s)
		put(o, *s++);
	for (; left && width > n; width--)
		put(o, ' ');
}

static unsigned long long get_unsigned(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, unsigned long long);
	if (lng == 1)
		return va_arg(*ap, unsigned long);
	return va_arg(*ap, unsigned int);
}

static long long get_signed(va_list *ap, int lng)
{
	if (lng >= 2)
		return va_arg(*ap, long long);
	if (lng == 1)
		return va_arg(*ap, long);
	return va_arg(*ap, int);
}

static void convert(struct out *o, char c, va_list *ap, int lng, int width, bool zero, bool left,
		    bool alt)
{
	long long s;
	const char *str;

	switch (c) {
	case 'd':
	case 'i':
		s = get_signed(ap, lng);
		put_num(o, s < 0 ? -(unsigned long long)s : (unsigned long long)s, 10, s < 0,
			width, zero, left, false);
		break;
	case 'u':
		put_num(o, get_unsigned(ap, lng), 10, false, width, zero, left, false);
		break;
	case 'x':
	case 'X':
		if (alt) {
			put(o, '0');
			put(o, c);
			width -= 2;
		}
		put_num(o, get_unsigned(ap, lng), 16, false, width, zero, left, c == 'X');
		break;
	case 'p':
		put(o, '0');
		put(o, 'x');
		put_num(o, (unsigned long)va_arg(*ap, void *), 16, false, width, zero, left, false);
		break;
	case 's':
		str = va_arg(*ap, const char *);
		put_str(o, str ? str : "(null)", width, left);
		break;
	case 'c':
		put(o, (char)va_arg(*ap, int));
		break;
	default:
		put(o, '%');
		put(o, c);
	}
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { buf, size, 0 };
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		int width = 0, lng = 0;
		bool zero = false, left = false, alt = false;

		if (*fmt != '%') {
			put(&o, *fmt);
			continue;
		}
		if (*++fmt == '%') {
			put(&o, '%');
			continue;
		}
		for (; *fmt == '0' || *fmt == '-' || *fmt == '#'; fmt++) {
			if (*fmt == '0')
				zero = true;
			else if (*fmt == '-')
				left = true;
			else
				alt = true;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			width = width * 10 + (*fmt - '0');
		for (; *fmt == 'l'; fmt++)
			lng++;
		if (!*fmt)
			break;
		convert(&o, *fmt, &args, lng, width, zero && !left, left, alt);
	}
	va_end(args);
	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return (int)o.len;
}

int snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
