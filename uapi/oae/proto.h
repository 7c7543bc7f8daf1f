/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * oae-ipu protocol core: the logic both ends of the link run, written once
 * and compiled into oae_ipu.ko, the firmware and ipu-sim.
 *
 * Pure C with no OS dependency. Each build supplies "oae_env.h" on its
 * include path with:
 *   oae_u64, oae_u32                fixed-width CPU-endian integers
 *   oae_ld64(p)  / oae_ld32(p)       plain little-endian loads from the window
 *   oae_st64(p, v) / oae_st32(p, v)  plain little-endian stores to the window
 *   oae_ld64_acquire(p)              load, later loads ordered after it
 *   oae_st64_release(p, v)           store, earlier stores ordered before it
 *   OAE_ARRAY_SIZE(a)                elements in an array
 *   OAE_EXPORT_FOR_TESTS(sym);       make sym visible to the build's tests
 * Everything read from the peer's half is validated here before use.
 */
#ifndef _OAE_PROTO_H
#define _OAE_PROTO_H

#include "oae_env.h"
#include "link.h"

/* Validated, CPU-endian copy of the IPU header's geometry. */
struct oae_geometry {
	oae_u32 abi_version;
	oae_u32 hdr_size;
	oae_u64 window_size;
	oae_u32 nr_links;
	oae_u32 nr_cores;
	oae_u64 host_hdr_offset;
	oae_u64 host_links_offset;
	oae_u64 ipu_links_offset;
	oae_u32 link_stride;
	oae_u32 ring_entries;
	oae_u64 ring_offset;
	oae_u64 fito_offset;
	oae_u64 fito_size;
	oae_u64 status_offset;
};

/* Why a window header was refused; oae_hdr_strerror() gives the text. */
enum oae_hdr_error {
	OAE_HDR_OK		= 0,
	OAE_HDR_NOT_FORMATTED	= 1,	/* magic 0 and state OFF: IPU not up */
	OAE_HDR_BAD_MAGIC	= 2,	/* not an oae window */
	OAE_HDR_BAD_VERSION	= 3,	/* ABI major we do not speak */
	OAE_HDR_BAD_SIZE	= 4,	/* hdr_size / window_size impossible */
	OAE_HDR_BAD_COUNTS	= 5,	/* nr_links / nr_cores out of range */
	OAE_HDR_BAD_RING	= 6,	/* ring geometry impossible */
	OAE_HDR_BAD_REGION	= 7,	/* region out of bounds or overlapping */
	OAE_HDR_BAD_STATE	= 8,	/* ipu_state not a known value */
};

/*
 * Validate the IPU header at @hdr (in the window) against a window of
 * @bar_size bytes. The header is copied once, so every value checked is the
 * value returned in @geo (no re-read after the check). Returns OAE_HDR_OK or
 * the first problem found.
 */
enum oae_hdr_error oae_geometry_read(const struct oae_ipu_hdr *hdr,
				     oae_u64 bar_size,
				     struct oae_geometry *geo);
const char *oae_hdr_strerror(enum oae_hdr_error err);

/*
 * Fill @hdr's geometry for a window of @window_size bytes serving @nr_links
 * links from @nr_cores cores (IPU side; leaves ipu_state OFF). Returns
 * OAE_HDR_OK, or the error oae_geometry_read() would report for the result.
 */
enum oae_hdr_error oae_geometry_format(struct oae_ipu_hdr *hdr,
				       oae_u64 window_size, oae_u32 nr_links,
				       oae_u32 nr_cores, oae_u32 ring_entries);

/* Human-readable ipu_state, "invalid" for values out of range. */
const char *oae_ipu_state_name(oae_u64 state);

/* Torn-read detection: a fast 64-bit mix, not a cryptographic hash. */
static inline oae_u64 oae_digest_add(oae_u64 h, oae_u64 word)
{
	h ^= word;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

#endif /* _OAE_PROTO_H */
