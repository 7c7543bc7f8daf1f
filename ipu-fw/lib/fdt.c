// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * Bounds-checked flattened device tree reader (see fdt.h).
 *
 * Every token is decoded by fdt_token(), the one place that checks a
 * structure-block offset, so no caller can step outside the blob whatever
 * the blob contains. Walks always move forward by at least one token, so a
 * corrupt tree ends a walk with an error instead of looping.
 */
#include "lib/fdt.h"

#define FDT_BEGIN_NODE		1
#define FDT_END_NODE		2
#define FDT_PROP		3
#define FDT_NOP			4
#define FDT_END			9

/* Versions 17 (current) back to 16 readers: what dtc and QEMU emit. */
#define FDT_VERSION_MIN		17
#define FDT_LAST_COMP_MAX	17

u32 fdt_be32(const void *p)
{
	const u8 *b = p;

	return (u32)b[0] << 24 | (u32)b[1] << 16 | (u32)b[2] << 8 | b[3];
}

u64 fdt_read_cells(const void *p, unsigned int cells)
{
	const u8 *b = p;
	u64 v = 0;

	while (cells--) {
		v = v << 32 | fdt_be32(b);
		b += 4;
	}
	return v;
}

static bool fdt_streq(const char *a, const char *b)
{
	while (*a && *a == *b) {
		a++;
		b++;
	}
	return *a == *b;
}

/* Byte count of the string at @s, or -1 if there is no NUL within @max. */
static int fdt_strnlen(const char *s, u32 max)
{
	u32 i;

	for (i = 0; i < max; i++)
		if (!s[i])
			return i;
	return -1;
}

int fdt_open(struct fdt *fdt, const void *blob, size_t avail)
{
	const u8 *h = blob;
	u32 totalsize, rsv_off;

	fdt->blob = NULL;
	if (!blob || avail < FDT_HEADER_SIZE)
		return -FDT_ERR_TRUNCATED;
	if (fdt_be32(h) != FDT_MAGIC)
		return -FDT_ERR_BADMAGIC;
	if (fdt_be32(h + 20) < FDT_VERSION_MIN ||
	    fdt_be32(h + 24) > FDT_LAST_COMP_MAX)
		return -FDT_ERR_BADVERSION;

	totalsize = fdt_be32(h + 4);
	if (totalsize > avail)
		return -FDT_ERR_TRUNCATED;
	/* Offsets are handed out as int: keep them all representable. */
	if (totalsize < FDT_HEADER_SIZE || totalsize > 0x7fffffffU)
		return -FDT_ERR_BADLAYOUT;

	fdt->totalsize = totalsize;
	fdt->struct_off = fdt_be32(h + 8);
	fdt->strings_off = fdt_be32(h + 12);
	rsv_off = fdt_be32(h + 16);
	fdt->strings_size = fdt_be32(h + 32);
	fdt->struct_size = fdt_be32(h + 36);

	if (fdt->struct_off < FDT_HEADER_SIZE || fdt->struct_off % 4 ||
	    fdt->struct_off > totalsize ||
	    fdt->struct_size > totalsize - fdt->struct_off ||
	    fdt->struct_size < 4 || fdt->struct_size % 4)
		return -FDT_ERR_BADLAYOUT;
	if (fdt->strings_off < FDT_HEADER_SIZE ||
	    fdt->strings_off > totalsize ||
	    fdt->strings_size > totalsize - fdt->strings_off)
		return -FDT_ERR_BADLAYOUT;
	if (rsv_off < FDT_HEADER_SIZE || rsv_off % 8 || rsv_off >= totalsize)
		return -FDT_ERR_BADLAYOUT;

	fdt->blob = blob;
	return 0;
}

const char *fdt_strerror(int err)
{
	static const char *const msgs[] = {
		[0]			= "ok",
		[FDT_ERR_NOTFOUND]	= "not found",
		[FDT_ERR_BADMAGIC]	= "bad magic (not a device tree blob)",
		[FDT_ERR_BADVERSION]	= "unsupported device tree version",
		[FDT_ERR_TRUNCATED]	= "blob larger than the readable area",
		[FDT_ERR_BADLAYOUT]	= "header blocks out of range",
		[FDT_ERR_BADSTRUCTURE]	= "corrupt structure block",
		[FDT_ERR_BADOFFSET]	= "bad node offset",
		[FDT_ERR_BADVALUE]	= "malformed property value",
		[FDT_ERR_TOODEEP]	= "tree nested too deeply",
	};

	if (err < 0)
		err = -err;
	if ((unsigned int)err >= ARRAY_SIZE(msgs))
		return "unknown error";
	return msgs[err];
}

static const char *fdt_string(const struct fdt *fdt, u32 nameoff)
{
	const char *s;

	if (nameoff >= fdt->strings_size)
		return NULL;
	s = (const char *)fdt->blob + fdt->strings_off + nameoff;
	if (fdt_strnlen(s, fdt->strings_size - nameoff) < 0)
		return NULL;
	return s;
}

/*
 * Decode the token at structure offset @off: its tag, and the offset of the
 * token after it. Validates everything the token refers to.
 */
static int fdt_token(const struct fdt *fdt, int off, u32 *tag, int *next)
{
	const u8 *s = fdt->blob + fdt->struct_off;
	u32 pos = off, size = fdt->struct_size, len;
	int n;

	if (!fdt->blob || off < 0 || pos % 4 || pos > size - 4)
		return -FDT_ERR_BADSTRUCTURE;
	*tag = fdt_be32(s + pos);
	pos += 4;

	switch (*tag) {
	case FDT_BEGIN_NODE:
		n = fdt_strnlen((const char *)s + pos, size - pos);
		if (n < 0)
			return -FDT_ERR_BADSTRUCTURE;
		pos += n + 1;
		break;
	case FDT_PROP:
		if (size - pos < 8)
			return -FDT_ERR_BADSTRUCTURE;
		len = fdt_be32(s + pos);
		if (!fdt_string(fdt, fdt_be32(s + pos + 4)))
			return -FDT_ERR_BADSTRUCTURE;
		pos += 8;
		if (len > size - pos)
			return -FDT_ERR_BADSTRUCTURE;
		pos += len;
		break;
	case FDT_END_NODE:
	case FDT_NOP:
	case FDT_END:
		break;
	default:
		return -FDT_ERR_BADSTRUCTURE;
	}
	/* size is a multiple of 4, so rounding up cannot pass it. */
	*next = (int)ALIGN_UP(pos, 4U);
	return 0;
}

static int fdt_check_node(const struct fdt *fdt, int node, int *after)
{
	u32 tag;
	int err;

	err = fdt_token(fdt, node, &tag, after);
	if (err)
		return node < 0 ? -FDT_ERR_BADOFFSET : err;
	return tag == FDT_BEGIN_NODE ? 0 : -FDT_ERR_BADOFFSET;
}

int fdt_next_node(const struct fdt *fdt, int node, int *depth)
{
	int off = 0, next, err;
	u32 tag;

	if (node < 0) {
		/* The root: the first BEGIN_NODE, possibly after NOPs. */
		for (;;) {
			err = fdt_token(fdt, off, &tag, &next);
			if (err)
				return err;
			if (tag == FDT_BEGIN_NODE)
				break;
			if (tag != FDT_NOP)
				return -FDT_ERR_BADSTRUCTURE;
			off = next;
		}
		if (depth)
			*depth = 0;
		return off;
	}

	err = fdt_check_node(fdt, node, &off);
	if (err)
		return err;
	for (;;) {
		err = fdt_token(fdt, off, &tag, &next);
		if (err)
			return err;
		switch (tag) {
		case FDT_BEGIN_NODE:
			if (depth)
				(*depth)++;
			return off;
		case FDT_END_NODE:
			if (depth && --(*depth) < 0)
				return -FDT_ERR_NOTFOUND;
			break;
		case FDT_END:
			return -FDT_ERR_NOTFOUND;
		default:
			break;
		}
		off = next;
	}
}

int fdt_first_subnode(const struct fdt *fdt, int parent)
{
	int depth = 0;
	int off = fdt_next_node(fdt, parent, &depth);

	if (off < 0)
		return off;
	return depth == 1 ? off : -FDT_ERR_NOTFOUND;
}

int fdt_next_subnode(const struct fdt *fdt, int node)
{
	int depth = 1;
	int off = node;

	do {
		off = fdt_next_node(fdt, off, &depth);
		if (off < 0)
			return off;
	} while (depth > 1);
	return depth == 1 ? off : -FDT_ERR_NOTFOUND;
}

int fdt_parent_offset(const struct fdt *fdt, int node)
{
	int stack[FDT_MAX_DEPTH];
	int depth = 0, off;

	off = fdt_next_node(fdt, -1, &depth);
	while (off >= 0) {
		if (depth >= FDT_MAX_DEPTH)
			return -FDT_ERR_TOODEEP;
		stack[depth] = off;
		if (off == node)
			return depth ? stack[depth - 1] : -FDT_ERR_NOTFOUND;
		off = fdt_next_node(fdt, off, &depth);
	}
	return off == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADOFFSET : off;
}

const char *fdt_get_name(const struct fdt *fdt, int node)
{
	int after;

	if (fdt_check_node(fdt, node, &after))
		return NULL;
	/* fdt_token() proved the name is NUL-terminated in the block. */
	return (const char *)fdt->blob + fdt->struct_off + node + 4;
}

const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			int *lenp)
{
	const u8 *s;
	int off, next, err;
	u32 tag;

	err = fdt_check_node(fdt, node, &off);
	if (err)
		goto fail;
	s = fdt->blob + fdt->struct_off;
	/* Properties precede subnodes; stop at the first node token. */
	for (;;) {
		err = fdt_token(fdt, off, &tag, &next);
		if (err)
			goto fail;
		if (tag == FDT_PROP) {
			const char *pname = fdt_string(fdt, fdt_be32(s + off + 8));

			if (fdt_streq(pname, name)) {
				if (lenp)
					*lenp = (int)fdt_be32(s + off + 4);
				return s + off + 12;
			}
		} else if (tag != FDT_NOP) {
			break;
		}
		off = next;
	}
	err = -FDT_ERR_NOTFOUND;
fail:
	if (lenp)
		*lenp = err;
	return NULL;
}

bool fdt_prop_has_string(const struct fdt *fdt, int node, const char *name,
			 const char *str)
{
	const char *val;
	int len, n;

	val = fdt_getprop(fdt, node, name, &len);
	while (val && len > 0) {
		n = fdt_strnlen(val, len);
		if (n < 0)
			return false;	/* unterminated list: malformed */
		if (fdt_streq(val, str))
			return true;
		val += n + 1;
		len -= n + 1;
	}
	return false;
}

bool fdt_node_is_compatible(const struct fdt *fdt, int node,
			    const char *compat)
{
	return fdt_prop_has_string(fdt, node, "compatible", compat);
}

bool fdt_node_is_enabled(const struct fdt *fdt, int node)
{
	int len;

	if (!fdt_getprop(fdt, node, "status", &len))
		return len == -FDT_ERR_NOTFOUND;
	return fdt_prop_has_string(fdt, node, "status", "okay") ||
	       fdt_prop_has_string(fdt, node, "status", "ok");
}

int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
		    u32 *val)
{
	const void *p;
	int len;

	p = fdt_getprop(fdt, node, name, &len);
	if (!p)
		return len;
	if (len != 4)
		return -FDT_ERR_BADVALUE;
	*val = fdt_be32(p);
	return 0;
}

int fdt_find_compatible(const struct fdt *fdt, int start, const char *compat)
{
	int off = start;

	for (;;) {
		off = fdt_next_node(fdt, off, NULL);
		if (off < 0)
			return off;
		if (fdt_node_is_compatible(fdt, off, compat))
			return off;
	}
}

static int fdt_cells(const struct fdt *fdt, int node, const char *name,
		     u32 dflt, u32 min, u32 max)
{
	u32 v = 0;
	int err;

	err = fdt_getprop_u32(fdt, node, name, &v);
	if (err == -FDT_ERR_NOTFOUND)
		return dflt;
	if (err)
		return err;
	if (v < min || v > max)
		return -FDT_ERR_BADVALUE;
	return v;
}

int fdt_address_cells(const struct fdt *fdt, int node)
{
	return fdt_cells(fdt, node, "#address-cells", 2, 1, 3);
}

int fdt_size_cells(const struct fdt *fdt, int node)
{
	return fdt_cells(fdt, node, "#size-cells", 1, 0, 2);
}

int fdt_read_reg(const struct fdt *fdt, int node, unsigned int index,
		 u64 *addr, u64 *size)
{
	const u8 *reg;
	int parent, ac, sc, len;
	u32 entry;

	parent = fdt_parent_offset(fdt, node);
	if (parent < 0)
		return parent == -FDT_ERR_NOTFOUND ? -FDT_ERR_BADOFFSET : parent;
	ac = fdt_address_cells(fdt, parent);
	if (ac < 0)
		return ac;
	sc = fdt_size_cells(fdt, parent);
	if (sc < 0)
		return sc;
	if (ac > 2)
		return -FDT_ERR_BADVALUE;	/* not a CPU physical address */

	reg = fdt_getprop(fdt, node, "reg", &len);
	if (!reg)
		return len;
	entry = (ac + sc) * 4;
	if (len % entry)
		return -FDT_ERR_BADVALUE;
	if (index >= len / entry)
		return -FDT_ERR_NOTFOUND;
	reg += index * entry;
	*addr = fdt_read_cells(reg, ac);
	*size = fdt_read_cells(reg + ac * 4, sc);
	if (*size && *addr + (*size - 1) < *addr)
		return -FDT_ERR_BADVALUE;
	return 0;
}

static bool fdt_name_matches(const char *name, const char *comp, int len)
{
	bool has_unit = false;
	int i;

	for (i = 0; i < len; i++) {
		if (name[i] != comp[i])
			return false;
		if (comp[i] == '@')
			has_unit = true;
	}
	return !name[len] || (!has_unit && name[len] == '@');
}

static int fdt_resolve_alias(const struct fdt *fdt, const char *alias,
			     int len, const char **path)
{
	char name[32];
	int aliases, plen, i;

	if (len <= 0 || len >= (int)sizeof(name))
		return -FDT_ERR_NOTFOUND;
	for (i = 0; i < len; i++)
		name[i] = alias[i];
	name[len] = 0;
	aliases = fdt_path_offset(fdt, "/aliases");
	if (aliases < 0)
		return aliases;
	*path = fdt_getprop(fdt, aliases, name, &plen);
	if (!*path)
		return plen;
	if (plen < 2 || fdt_strnlen(*path, plen) < 0 || (*path)[0] != '/')
		return -FDT_ERR_BADVALUE;
	return 0;
}

int fdt_path_offset(const struct fdt *fdt, const char *path)
{
	int node, child, len, err;

	if (path[0] != '/') {
		/* An alias names a whole path; no components after it. */
		for (len = 0; path[len] && path[len] != '/'; len++)
			;
		if (path[len])
			return -FDT_ERR_NOTFOUND;
		err = fdt_resolve_alias(fdt, path, len, &path);
		if (err)
			return err;
	}

	node = fdt_next_node(fdt, -1, NULL);
	while (node >= 0) {
		while (*path == '/')
			path++;
		if (!*path)
			return node;
		for (len = 0; path[len] && path[len] != '/'; len++)
			;
		for (child = fdt_first_subnode(fdt, node); child >= 0;
		     child = fdt_next_subnode(fdt, child))
			if (fdt_name_matches(fdt_get_name(fdt, child), path, len))
				break;
		node = child;
		path += len;
	}
	return node;
}
