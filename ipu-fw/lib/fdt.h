/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * A small, read-only flattened device tree (DTB) reader.
 *
 * The blob comes from whatever booted us and is treated as untrusted: every
 * offset, length and string is bounds-checked against the header, which is
 * itself checked against the number of bytes the caller says are readable.
 * A malformed blob yields a negative FDT_ERR_* code, never an access outside
 * the blob. Byte loads only, so it works with the MMU (and alignment
 * checking for normal memory) still off.
 *
 * Node handles are byte offsets of a node's BEGIN_NODE token inside the
 * structure block; they are only meaningful for the struct fdt they came
 * from and are revalidated on every use.
 */
#ifndef _FW_LIB_FDT_H
#define _FW_LIB_FDT_H

#include "lib/types.h"

#define FDT_MAGIC		0xd00dfeedU
#define FDT_HEADER_SIZE		40
/* Deepest nesting fdt_parent_offset() follows; real trees use < 8. */
#define FDT_MAX_DEPTH		32

enum fdt_error {
	FDT_ERR_NOTFOUND = 1,	/* no such node or property */
	FDT_ERR_BADMAGIC,	/* not a DTB */
	FDT_ERR_BADVERSION,	/* format version we cannot read */
	FDT_ERR_TRUNCATED,	/* blob larger than the readable area */
	FDT_ERR_BADLAYOUT,	/* header blocks out of range or misaligned */
	FDT_ERR_BADSTRUCTURE,	/* corrupt token stream or string */
	FDT_ERR_BADOFFSET,	/* node handle not a BEGIN_NODE token */
	FDT_ERR_BADVALUE,	/* property has an impossible length or value */
	FDT_ERR_TOODEEP,	/* nesting deeper than FDT_MAX_DEPTH */
};

struct fdt {
	const u8 *blob;
	u32 totalsize;
	u32 struct_off;
	u32 struct_size;
	u32 strings_off;
	u32 strings_size;
};

/* Validate the header of @blob, of which @avail bytes may be read. */
int fdt_open(struct fdt *fdt, const void *blob, size_t avail);
const char *fdt_strerror(int err);

/* Big-endian cell readers; @p need not be aligned. */
u32 fdt_be32(const void *p);
u64 fdt_read_cells(const void *p, unsigned int cells);

/*
 * Next node in document order after @node (or the root if @node < 0).
 * @depth, if given, is adjusted by the nesting change (+1 into a child);
 * the walk ends with -FDT_ERR_NOTFOUND when *depth would drop below zero or
 * at the end of the tree.
 */
int fdt_next_node(const struct fdt *fdt, int node, int *depth);
int fdt_first_subnode(const struct fdt *fdt, int parent);
int fdt_next_subnode(const struct fdt *fdt, int node);
int fdt_parent_offset(const struct fdt *fdt, int node);
/*
 * Node by absolute path ("/cpus/cpu@0") or by an alias naming a whole
 * path; a component without '@' matches a node name up to its unit
 * address.
 */
int fdt_path_offset(const struct fdt *fdt, const char *path);
/* Next node after @start (or from the root if < 0) with @compat listed. */
int fdt_find_compatible(const struct fdt *fdt, int start, const char *compat);

const char *fdt_get_name(const struct fdt *fdt, int node);
/* Property value, or NULL with *lenp = -FDT_ERR_*; *lenp = value length. */
const void *fdt_getprop(const struct fdt *fdt, int node, const char *name,
			int *lenp);
/* True if the property is a string list containing @str. */
bool fdt_prop_has_string(const struct fdt *fdt, int node, const char *name,
			 const char *str);
bool fdt_node_is_compatible(const struct fdt *fdt, int node,
			    const char *compat);
/* "status" absent, "okay" or "ok". */
bool fdt_node_is_enabled(const struct fdt *fdt, int node);
/* A u32 property; -FDT_ERR_BADVALUE unless it is exactly one cell. */
int fdt_getprop_u32(const struct fdt *fdt, int node, const char *name,
		    u32 *val);

/*
 * #address-cells / #size-cells that @node declares for its children, with
 * the spec's defaults (2 and 1). Values outside 1..3 / 0..2 are refused.
 */
int fdt_address_cells(const struct fdt *fdt, int node);
int fdt_size_cells(const struct fdt *fdt, int node);

/*
 * Entry @index of @node's "reg", decoded with its parent's cell counts
 * (which must fit 64 bits). Returns 0, -FDT_ERR_NOTFOUND past the last
 * entry, or another error for a malformed property or an address range
 * that wraps.
 */
int fdt_read_reg(const struct fdt *fdt, int node, unsigned int index,
		 u64 *addr, u64 *size);

#endif /* _FW_LIB_FDT_H */
