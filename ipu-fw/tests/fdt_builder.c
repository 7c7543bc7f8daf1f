// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Device tree blob builder for the unit tests (see fdt_builder.h).
 */
#include <stdarg.h>
#include <stdlib.h>
#include <string.h>

#include "fdt_builder.h"

#define TOK_BEGIN_NODE	1
#define TOK_END_NODE	2
#define TOK_PROP	3
#define TOK_END		9

static void *grow(void *p, size_t *cap, size_t need)
{
	if (need <= *cap)
		return p;
	while (*cap < need)
		*cap = *cap ? *cap * 2 : 256;
	p = realloc(p, *cap);
	if (!p)
		abort();
	return p;
}

static void put_be32(uint8_t *p, uint32_t v)
{
	p[0] = v >> 24;
	p[1] = v >> 16;
	p[2] = v >> 8;
	p[3] = v;
}

static void st_append(struct fdtb *b, const void *data, size_t len)
{
	size_t padded = (len + 3) & ~(size_t)3;

	b->st = grow(b->st, &b->st_cap, b->st_len + padded);
	memcpy(b->st + b->st_len, data, len);
	memset(b->st + b->st_len + len, 0, padded - len);
	b->st_len += padded;
}

void fdtb_raw_u32(struct fdtb *b, uint32_t v)
{
	uint8_t be[4];

	put_be32(be, v);
	st_append(b, be, 4);
}

static uint32_t string_offset(struct fdtb *b, const char *name)
{
	size_t off = 0, len = strlen(name) + 1;

	while (off < b->str_len) {
		if (!strcmp(b->str + off, name))
			return off;
		off += strlen(b->str + off) + 1;
	}
	b->str = grow(b->str, &b->str_cap, b->str_len + len);
	memcpy(b->str + b->str_len, name, len);
	b->str_len += len;
	return off;
}

void fdtb_init(struct fdtb *b)
{
	memset(b, 0, sizeof(*b));
}

void fdtb_begin_node(struct fdtb *b, const char *name)
{
	fdtb_raw_u32(b, TOK_BEGIN_NODE);
	st_append(b, name, strlen(name) + 1);
}

void fdtb_end_node(struct fdtb *b)
{
	fdtb_raw_u32(b, TOK_END_NODE);
}

void fdtb_prop(struct fdtb *b, const char *name, const void *val, size_t len)
{
	fdtb_raw_u32(b, TOK_PROP);
	fdtb_raw_u32(b, len);
	fdtb_raw_u32(b, string_offset(b, name));
	if (len)
		st_append(b, val, len);
}

void fdtb_prop_empty(struct fdtb *b, const char *name)
{
	fdtb_prop(b, name, NULL, 0);
}

void fdtb_prop_str(struct fdtb *b, const char *name, const char *s)
{
	fdtb_prop(b, name, s, strlen(s) + 1);
}

void fdtb_prop_cells(struct fdtb *b, const char *name, int n, ...)
{
	uint8_t buf[256];
	va_list ap;
	int i;

	if (n * 4 > (int)sizeof(buf))
		abort();
	va_start(ap, n);
	for (i = 0; i < n; i++)
		put_be32(buf + 4 * i, va_arg(ap, uint32_t));
	va_end(ap);
	fdtb_prop(b, name, buf, n * 4);
}

void fdtb_prop_u32(struct fdtb *b, const char *name, uint32_t v)
{
	fdtb_prop_cells(b, name, 1, v);
}

uint8_t *fdtb_finish(struct fdtb *b, size_t *size)
{
	const size_t hdr = 40, rsv = 16;
	size_t off_struct, off_strings, total;
	uint8_t *blob;

	fdtb_raw_u32(b, TOK_END);
	off_struct = hdr + rsv;
	off_strings = off_struct + b->st_len;
	total = off_strings + b->str_len;
	blob = calloc(1, total);
	if (!blob)
		abort();
	put_be32(blob + FDTB_HDR_MAGIC, 0xd00dfeed);
	put_be32(blob + FDTB_HDR_TOTALSIZE, total);
	put_be32(blob + FDTB_HDR_OFF_STRUCT, off_struct);
	put_be32(blob + FDTB_HDR_OFF_STRINGS, off_strings);
	put_be32(blob + FDTB_HDR_OFF_RSVMAP, hdr);
	put_be32(blob + FDTB_HDR_VERSION, 17);
	put_be32(blob + FDTB_HDR_LAST_COMP, 16);
	put_be32(blob + FDTB_HDR_SIZE_STRINGS, b->str_len);
	put_be32(blob + FDTB_HDR_SIZE_STRUCT, b->st_len);
	/* The reservation map is one terminating all-zero entry. */
	memcpy(blob + off_struct, b->st, b->st_len);
	if (b->str_len)
		memcpy(blob + off_strings, b->str, b->str_len);
	free(b->st);
	free(b->str);
	fdtb_init(b);
	*size = total;
	return blob;
}

uint32_t fdtb_get_hdr(const uint8_t *blob, unsigned int field_off)
{
	const uint8_t *p = blob + field_off;

	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | p[3];
}

void fdtb_set_hdr(uint8_t *blob, unsigned int field_off, uint32_t v)
{
	put_be32(blob + field_off, v);
}
