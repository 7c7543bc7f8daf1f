/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * Build flattened device tree blobs in unit tests, without dtc: nodes and
 * properties are appended in document order, fdtb_finish() lays out the
 * header, an empty reservation map, the structure and strings blocks.
 */
#ifndef _FW_TESTS_FDT_BUILDER_H
#define _FW_TESTS_FDT_BUILDER_H

#include <stddef.h>
#include <stdint.h>

struct fdtb {
	uint8_t *st;		/* structure block */
	size_t st_len, st_cap;
	char *str;		/* strings block */
	size_t str_len, str_cap;
};

void fdtb_init(struct fdtb *b);
void fdtb_begin_node(struct fdtb *b, const char *name);
void fdtb_end_node(struct fdtb *b);
void fdtb_prop(struct fdtb *b, const char *name, const void *val, size_t len);
void fdtb_prop_empty(struct fdtb *b, const char *name);
void fdtb_prop_str(struct fdtb *b, const char *name, const char *s);
/* @n big-endian cells from the varargs (each a uint32_t). */
void fdtb_prop_cells(struct fdtb *b, const char *name, int n, ...);
void fdtb_prop_u32(struct fdtb *b, const char *name, uint32_t v);
/* Append a raw structure-block token (for corrupt-tree tests). */
void fdtb_raw_u32(struct fdtb *b, uint32_t v);

/*
 * Finish the blob (version 17, last compatible 16, as dtc writes): returns
 * a malloc()ed buffer of *size bytes and frees @b's buffers.
 */
uint8_t *fdtb_finish(struct fdtb *b, size_t *size);

/* Header field accessors for tests that corrupt a finished blob. */
uint32_t fdtb_get_hdr(const uint8_t *blob, unsigned int field_off);
void fdtb_set_hdr(uint8_t *blob, unsigned int field_off, uint32_t v);

#define FDTB_HDR_MAGIC		0
#define FDTB_HDR_TOTALSIZE	4
#define FDTB_HDR_OFF_STRUCT	8
#define FDTB_HDR_OFF_STRINGS	12
#define FDTB_HDR_OFF_RSVMAP	16
#define FDTB_HDR_VERSION	20
#define FDTB_HDR_LAST_COMP	24
#define FDTB_HDR_SIZE_STRINGS	32
#define FDTB_HDR_SIZE_STRUCT	36

#endif /* _FW_TESTS_FDT_BUILDER_H */
