// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Freestanding snprintf subset (see printf.h). Small on purpose: the
 * firmware prints boot progress and crash reports, nothing else. No
 * floating point (the firmware is built -mgeneral-regs-only).
 */
#include "lib/printf.h"

#define FL_LEFT		0x01
#define FL_ZERO		0x02
#define FL_PLUS		0x04
#define FL_SPACE	0x08
#define FL_ALT		0x10
#define FL_UPPER	0x20

/* Widths and precisions beyond this are nonsense for a console: cap. */
#define FMT_MAX_WIDTH	4096

struct out {
	char *buf;
	size_t size;
	size_t len;	/* characters produced, including any dropped */
};

static void out_char(struct out *o, char c)
{
	if (o->len + 1 < o->size)
		o->buf[o->len] = c;
	o->len++;
}

static void out_pad(struct out *o, char c, int n)
{
	while (n-- > 0)
		out_char(o, c);
}

/*
 * One integer conversion. @neg says @v is the magnitude of a negative
 * number. Precision sets the minimum digit count and, as in C, turns off
 * zero padding.
 */
static void out_number(struct out *o, u64 v, bool neg, unsigned int base,
		       int flags, int width, int prec)
{
	const char *digits = flags & FL_UPPER ? "0123456789ABCDEF" :
						"0123456789abcdef";
	char tmp[24];	/* 22 octal digits cover 64 bits */
	const char *prefix = "";
	int n = 0, zeros, pad, plen;

	if (prec >= 0)
		flags &= ~FL_ZERO;
	while (v) {
		tmp[n++] = digits[v % base];
		v /= base;
	}
	if (prec < 0 && !n)
		tmp[n++] = '0';	/* "%.0d" of 0 prints nothing, as in C */

	if (neg)
		prefix = "-";
	else if (flags & FL_PLUS)
		prefix = "+";
	else if (flags & FL_SPACE)
		prefix = " ";
	else if ((flags & FL_ALT) && base == 16 && n && tmp[n - 1] != '0')
		prefix = flags & FL_UPPER ? "0X" : "0x";
	else if ((flags & FL_ALT) && base == 8 && (!n || tmp[n - 1] != '0'))
		prefix = "0";
	for (plen = 0; prefix[plen]; plen++)
		;

	zeros = prec > n ? prec - n : 0;
	if (base == 8 && plen && zeros) {
		/* '#' with a precision: the leading zeros already show it. */
		plen = 0;
		prefix = "";
	}
	pad = width - n - zeros - plen;
	if ((flags & FL_ZERO) && !(flags & FL_LEFT) && pad > 0) {
		zeros += pad;
		pad = 0;
	}
	if (!(flags & FL_LEFT))
		out_pad(o, ' ', pad);
	while (*prefix)
		out_char(o, *prefix++);
	out_pad(o, '0', zeros);
	while (n)
		out_char(o, tmp[--n]);
	if (flags & FL_LEFT)
		out_pad(o, ' ', pad);
}

static void out_string(struct out *o, const char *s, int flags, int width,
		       int prec)
{
	int n = 0, i;

	if (!s)
		s = "(null)";
	while (s[n] && (prec < 0 || n < prec))
		n++;
	if (!(flags & FL_LEFT))
		out_pad(o, ' ', width - n);
	for (i = 0; i < n; i++)
		out_char(o, s[i]);
	if (flags & FL_LEFT)
		out_pad(o, ' ', width - n);
}

static int parse_int(const char **fmt)
{
	int v = 0;

	while (**fmt >= '0' && **fmt <= '9') {
		v = v * 10 + (**fmt - '0');
		if (v > FMT_MAX_WIDTH)
			v = FMT_MAX_WIDTH;
		(*fmt)++;
	}
	return v;
}

int fw_vsnprintf(char *buf, size_t size, const char *fmt, va_list ap)
{
	struct out o = { .buf = buf, .size = size };
	const char *start;

	while (*fmt) {
		int flags = 0, width = 0, prec = -1, lmod = 0;
		unsigned int base = 10;
		bool is_signed = false, neg = false;
		u64 v;

		if (*fmt != '%') {
			out_char(&o, *fmt++);
			continue;
		}
		start = fmt++;

		for (;; fmt++) {
			if (*fmt == '-')
				flags |= FL_LEFT;
			else if (*fmt == '0')
				flags |= FL_ZERO;
			else if (*fmt == '+')
				flags |= FL_PLUS;
			else if (*fmt == ' ')
				flags |= FL_SPACE;
			else if (*fmt == '#')
				flags |= FL_ALT;
			else
				break;
		}
		if (*fmt == '*') {
			width = va_arg(ap, int);
			if (width < 0) {
				/* A negative '*' width means left-justify. */
				flags |= FL_LEFT;
				width = width < -FMT_MAX_WIDTH ? FMT_MAX_WIDTH :
								 -width;
			}
			if (width > FMT_MAX_WIDTH)
				width = FMT_MAX_WIDTH;
			fmt++;
		} else {
			width = parse_int(&fmt);
		}
		if (*fmt == '.') {
			fmt++;
			if (*fmt == '*') {
				prec = va_arg(ap, int);
				if (prec < 0)
					prec = -1;
				if (prec > FMT_MAX_WIDTH)
					prec = FMT_MAX_WIDTH;
				fmt++;
			} else {
				prec = parse_int(&fmt);
			}
		}
		/* lmod: -2 hh, -1 h, 0 int, 1 long, 2 long long / size_t */
		for (;; fmt++) {
			if (*fmt == 'h')
				lmod = lmod > -2 ? lmod - 1 : lmod;
			else if (*fmt == 'l')
				lmod = lmod < 2 ? lmod + 1 : lmod;
			else if (*fmt == 'z' || *fmt == 't')
				lmod = 2;
			else
				break;
		}

		switch (*fmt) {
		case 'c':
			if (!(flags & FL_LEFT))
				out_pad(&o, ' ', width - 1);
			out_char(&o, (char)va_arg(ap, int));
			if (flags & FL_LEFT)
				out_pad(&o, ' ', width - 1);
			fmt++;
			continue;
		case 's':
			out_string(&o, va_arg(ap, const char *), flags, width,
				   prec);
			fmt++;
			continue;
		case '%':
			out_char(&o, '%');
			fmt++;
			continue;
		case 'p':
			v = (uintptr_t)va_arg(ap, void *);
			fmt++;
			if (!v) {
				out_string(&o, "(nil)", flags, width, -1);
				continue;
			}
			out_number(&o, v, false, 16, flags | FL_ALT, width,
				   prec);
			continue;
		case 'd':
		case 'i':
			is_signed = true;
			break;
		case 'u':
			break;
		case 'X':
			flags |= FL_UPPER;
			fallthrough;
		case 'x':
			base = 16;
			break;
		case 'o':
			base = 8;
			break;
		default:
			/* Unknown or truncated conversion: show it as is. */
			while (start < fmt)
				out_char(&o, *start++);
			if (*fmt)
				out_char(&o, *fmt++);
			continue;
		}
		fmt++;

		if (is_signed) {
			s64 sv;

			if (lmod >= 1)
				sv = lmod == 1 ? va_arg(ap, long) :
						 va_arg(ap, long long);
			else
				sv = va_arg(ap, int);
			if (lmod == -1)
				sv = (short)sv;
			else if (lmod == -2)
				sv = (signed char)sv;
			neg = sv < 0;
			/* Negate as unsigned so INT64_MIN does not overflow. */
			v = neg ? -(u64)sv : (u64)sv;
		} else {
			if (lmod >= 1)
				v = lmod == 1 ? va_arg(ap, unsigned long) :
						va_arg(ap, unsigned long long);
			else
				v = va_arg(ap, unsigned int);
			if (lmod == -1)
				v = (unsigned short)v;
			else if (lmod == -2)
				v = (unsigned char)v;
			flags &= ~(FL_PLUS | FL_SPACE);
		}
		out_number(&o, v, neg, base, flags, width, prec);
	}

	if (size)
		buf[o.len < size ? o.len : size - 1] = 0;
	return o.len > 0x7fffffff ? 0x7fffffff : (int)o.len;
}

int fw_snprintf(char *buf, size_t size, const char *fmt, ...)
{
	va_list ap;
	int n;

	va_start(ap, fmt);
	n = fw_vsnprintf(buf, size, fmt, ap);
	va_end(ap);
	return n;
}
