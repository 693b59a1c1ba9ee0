// SPDX-License-Identifier: MIT
/*
 * A small printf: %d %i %u %x %X %p %s %c %%; the length modifiers hh, h,
 * l, ll and z; a field width (digits or *); the flags 0, - and #; a
 * precision (digits or *) for %s only.
 *
 * printf() formats into a buffer of WARDEN_CONSOLE_WRITE_MAX bytes and
 * writes it with one hypercall when it is full and at the end, so that a
 * line of up to 256 bytes reaches the console in one piece.
 */
#include <inmate.h>

struct out {
	char *buf;
	size_t size;		/* bytes in buf, one kept for a NUL */
	size_t len;		/* bytes in buf now */
	size_t total;		/* bytes produced */
	bool console;		/* flush to the console when full */
};

static void flush(struct out *o)
{
	if (o->console && o->len)
		console_write(o->buf, o->len);
	o->len = 0;
}

static void put(struct out *o, char c)
{
	o->total++;
	if (o->len + 1 >= o->size) {
		if (!o->console)
			return;
		flush(o);
	}
	o->buf[o->len++] = c;
}

static void pad(struct out *o, char c, int n)
{
	for (; n > 0; n--)
		put(o, c);
}

struct spec {
	int width;
	int prec;		/* -1: none */
	int len;		/* -2 hh, -1 h, 0, 1 l, 2 ll (and z) */
	bool zero, left, alt;
};

static void put_num(struct out *o, const struct spec *sp, unsigned long long v,
		    unsigned int base, bool neg, bool upper, const char *prefix)
{
	const char *digits = upper ? "0123456789ABCDEF" : "0123456789abcdef";
	char tmp[24];
	int n = 0, extra = (int)strlen(prefix) + neg;

	do {
		tmp[n++] = digits[v % base];
		v /= base;
	} while (v);

	if (!sp->left && !sp->zero)
		pad(o, ' ', sp->width - n - extra);
	if (neg)
		put(o, '-');
	while (*prefix)
		put(o, *prefix++);
	if (!sp->left && sp->zero)
		pad(o, '0', sp->width - n - extra);
	while (n)
		put(o, tmp[--n]);
	/* left-justified: format() pads after the conversion */
}

static unsigned long long get_unsigned(va_list *ap, int len)
{
	switch (len) {
	case -2:
		return (unsigned char)va_arg(*ap, unsigned int);
	case -1:
		return (unsigned short)va_arg(*ap, unsigned int);
	case 0:
		return va_arg(*ap, unsigned int);
	case 1:
		return va_arg(*ap, unsigned long);
	default:
		return va_arg(*ap, unsigned long long);
	}
}

static long long get_signed(va_list *ap, int len)
{
	switch (len) {
	case -2:
		return (signed char)va_arg(*ap, int);
	case -1:
		return (short)va_arg(*ap, int);
	case 0:
		return va_arg(*ap, int);
	case 1:
		return va_arg(*ap, long);
	default:
		return va_arg(*ap, long long);
	}
}

static void put_str(struct out *o, const struct spec *sp, const char *s)
{
	int n;

	if (!s)
		s = "(null)";
	n = (int)(sp->prec >= 0 ? strnlen(s, (size_t)sp->prec) : strlen(s));
	if (!sp->left)
		pad(o, ' ', sp->width - n);
	for (int i = 0; i < n; i++)
		put(o, s[i]);
	if (sp->left)
		pad(o, ' ', sp->width - n);
}

static void format(struct out *o, const char *fmt, va_list ap)
{
	va_list args;

	va_copy(args, ap);
	for (; *fmt; fmt++) {
		struct spec sp = { .prec = -1 };
		size_t start;
		long long s;

		if (*fmt != '%') {
			put(o, *fmt);
			continue;
		}
		fmt++;
		for (;; fmt++) {
			if (*fmt == '0')
				sp.zero = true;
			else if (*fmt == '-')
				sp.left = true;
			else if (*fmt == '#')
				sp.alt = true;
			else
				break;
		}
		if (*fmt == '*') {
			sp.width = va_arg(args, int);
			if (sp.width < 0) {
				sp.left = true;
				sp.width = -sp.width;
			}
			fmt++;
		}
		for (; *fmt >= '0' && *fmt <= '9'; fmt++)
			sp.width = sp.width * 10 + (*fmt - '0');
		if (*fmt == '.') {
			fmt++;
			sp.prec = 0;
			if (*fmt == '*') {
				sp.prec = va_arg(args, int);
				fmt++;
			}
			for (; *fmt >= '0' && *fmt <= '9'; fmt++)
				sp.prec = sp.prec * 10 + (*fmt - '0');
		}
		for (;; fmt++) {
			if (*fmt == 'l' || *fmt == 'z')	/* size_t is unsigned long */
				sp.len++;
			else if (*fmt == 'h')
				sp.len--;
			else
				break;
		}
		if (sp.left)
			sp.zero = false;

		start = o->total;
		switch (*fmt) {
		case 'd':
		case 'i':
			s = get_signed(&args, sp.len);
			put_num(o, &sp, s < 0 ? -(unsigned long long)s : (unsigned long long)s,
				10, s < 0, false, "");
			break;
		case 'u':
			put_num(o, &sp, get_unsigned(&args, sp.len), 10, false, false, "");
			break;
		case 'x':
		case 'X':
			put_num(o, &sp, get_unsigned(&args, sp.len), 16, false, *fmt == 'X',
				sp.alt ? (*fmt == 'X' ? "0X" : "0x") : "");
			break;
		case 'p':
			put_num(o, &sp, (uintptr_t)va_arg(args, void *), 16, false, false, "0x");
			break;
		case 's':
			put_str(o, &sp, va_arg(args, const char *));
			continue;
		case 'c':
			if (!sp.left)
				pad(o, ' ', sp.width - 1);
			put(o, (char)va_arg(args, int));
			break;
		case '%':
			put(o, '%');
			continue;
		case '\0':
			fmt--;
			continue;
		default:
			put(o, '%');
			put(o, *fmt);
			continue;
		}
		if (sp.left)
			pad(o, ' ', sp.width - (int)(o->total - start));
	}
	va_end(args);
}

int vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	char dummy;
	struct out o = { buf, size, 0, 0, false };

	if (!size) {
		o.buf = &dummy;
		o.size = 1;
	}
	format(&o, fmt, ap);
	o.buf[o.len] = '\0';
	return (int)o.total;
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

int vprintf(const char *fmt, va_list ap)
{
	char buf[WARDEN_CONSOLE_WRITE_MAX + 1];
	struct out o = { buf, sizeof(buf), 0, 0, true };

	format(&o, fmt, ap);
	flush(&o);
	return (int)o.total;
}

int printf(const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = vprintf(fmt, ap);
	va_end(ap);
	return n;
}
