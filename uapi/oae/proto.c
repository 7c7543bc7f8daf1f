// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * oae-ipu protocol core (see proto.h). Compiled unchanged into the module,
 * the firmware and ipu-sim.
 */
#include "proto.h"

#define OAE_PAGE	4096ULL

static const char *const oae_hdr_errors[] = {
	[OAE_HDR_OK]		= "ok",
	[OAE_HDR_NOT_FORMATTED]	= "window not formatted (IPU not up)",
	[OAE_HDR_BAD_MAGIC]	= "bad magic (not an oae window)",
	[OAE_HDR_BAD_VERSION]	= "unsupported ABI major version",
	[OAE_HDR_BAD_SIZE]	= "impossible header or window size",
	[OAE_HDR_BAD_COUNTS]	= "link or core count out of range",
	[OAE_HDR_BAD_RING]	= "impossible event ring geometry",
	[OAE_HDR_BAD_REGION]	= "region outside the window or overlapping",
	[OAE_HDR_BAD_STATE]	= "unknown IPU state",
};

const char *oae_hdr_strerror(enum oae_hdr_error err)
{
	if ((unsigned int)err >= OAE_ARRAY_SIZE(oae_hdr_errors))
		return "unknown error";
	return oae_hdr_errors[err];
}

OAE_EXPORT_FOR_TESTS(oae_hdr_strerror);

static const char *const oae_ipu_states[] = {
	[OAE_IPU_OFF]		= "off",
	[OAE_IPU_BOOTING]	= "booting",
	[OAE_IPU_READY]		= "ready",
	[OAE_IPU_HALTED]	= "halted",
	[OAE_IPU_FAILED]	= "failed",
};

const char *oae_ipu_state_name(oae_u64 state)
{
	if (state > OAE_IPU_STATE_MAX)
		return "invalid";
	return oae_ipu_states[state];
}

OAE_EXPORT_FOR_TESTS(oae_ipu_state_name);

static int oae_is_pow2(oae_u64 v)
{
	return v && !(v & (v - 1));
}

struct oae_region {
	oae_u64 start;
	oae_u64 len;
};

/* A region must be cache-line aligned and lie inside [min, end). */
static int oae_region_ok(const struct oae_region *r, oae_u64 min, oae_u64 end)
{
	if (r->start % OAE_CACHELINE || r->len % OAE_CACHELINE)
		return 0;
	if (r->start < min || r->start > end)
		return 0;
	return r->len <= end - r->start;
}

static int oae_regions_overlap(const struct oae_region *a,
			       const struct oae_region *b)
{
	if (!a->len || !b->len)
		return 0;
	return a->start < b->start + b->len && b->start < a->start + a->len;
}

enum oae_hdr_error oae_geometry_read(const struct oae_ipu_hdr *hdr,
				     oae_u64 bar_size,
				     struct oae_geometry *geo)
{
	struct oae_region r[6];
	oae_u64 magic, state, links_len;
	unsigned int i, j, n = 0;

	magic = oae_ld64(&hdr->magic);
	state = oae_ld64(&hdr->ipu_state);
	if (!magic && state == OAE_IPU_OFF)
		return OAE_HDR_NOT_FORMATTED;
	if (magic != OAE_MAGIC)
		return OAE_HDR_BAD_MAGIC;
	geo->abi_version = oae_ld32(&hdr->abi_version);
	if (OAE_ABI_MAJOR_OF(geo->abi_version) != OAE_ABI_MAJOR)
		return OAE_HDR_BAD_VERSION;
	if (state > OAE_IPU_STATE_MAX)
		return OAE_HDR_BAD_STATE;

	geo->hdr_size = oae_ld32(&hdr->hdr_size);
	geo->window_size = oae_ld64(&hdr->window_size);
	geo->nr_links = oae_ld32(&hdr->nr_links);
	geo->nr_cores = oae_ld32(&hdr->nr_cores);
	geo->nr_classes = oae_ld32(&hdr->nr_classes);
	geo->host_hdr_offset = oae_ld64(&hdr->host_hdr_offset);
	geo->host_links_offset = oae_ld64(&hdr->host_links_offset);
	geo->ipu_links_offset = oae_ld64(&hdr->ipu_links_offset);
	geo->link_stride = oae_ld32(&hdr->link_stride);
	geo->ring_entries = oae_ld32(&hdr->ring_entries);
	geo->ring_offset = oae_ld64(&hdr->ring_offset);
	geo->fito_offset = oae_ld64(&hdr->fito_offset);
	geo->fito_size = oae_ld64(&hdr->fito_size);
	geo->status_offset = oae_ld64(&hdr->status_offset);

	if (geo->hdr_size < sizeof(struct oae_ipu_hdr) ||
	    geo->hdr_size > OAE_PAGE || geo->hdr_size % OAE_CACHELINE)
		return OAE_HDR_BAD_SIZE;
	if (geo->window_size < OAE_WINDOW_MIN ||
	    geo->window_size > OAE_WINDOW_MAX ||
	    geo->window_size > bar_size || geo->window_size % OAE_PAGE)
		return OAE_HDR_BAD_SIZE;
	if (!geo->nr_links || geo->nr_links > OAE_MAX_LINKS ||
	    !geo->nr_cores || geo->nr_cores > OAE_MAX_IPU_CORES ||
	    geo->nr_classes != OAE_NR_CLASSES ||
	    geo->nr_links % geo->nr_classes)
		return OAE_HDR_BAD_COUNTS;
	geo->links_per_class = geo->nr_links / geo->nr_classes;
	if (!oae_is_pow2(geo->ring_entries) ||
	    geo->ring_entries < OAE_RING_MIN_ENTRIES ||
	    geo->ring_entries > OAE_RING_MAX_ENTRIES)
		return OAE_HDR_BAD_RING;
	if (geo->link_stride < sizeof(struct oae_link_host) ||
	    geo->link_stride < sizeof(struct oae_link_ipu) ||
	    geo->link_stride > OAE_PAGE || geo->link_stride % OAE_CACHELINE)
		return OAE_HDR_BAD_REGION;

	/* Counts are bounded above, so these products cannot overflow. */
	links_len = (oae_u64)geo->nr_links * geo->link_stride;
	r[n++] = (struct oae_region){ geo->host_hdr_offset,
				      sizeof(struct oae_host_hdr) };
	r[n++] = (struct oae_region){ geo->host_links_offset, links_len };
	r[n++] = (struct oae_region){ geo->ipu_links_offset, links_len };
	r[n++] = (struct oae_region){ geo->ring_offset,
				      (oae_u64)geo->ring_entries *
				      sizeof(struct oae_event) };
	r[n++] = (struct oae_region){ geo->status_offset,
				      OAE_MAX_IPU_CORES *
				      sizeof(struct oae_core_status) };
	r[n++] = (struct oae_region){ geo->fito_offset, geo->fito_size };

	for (i = 0; i < n; i++) {
		if (!r[i].len && i == n - 1)
			continue;	/* the FITO area is optional */
		if (!oae_region_ok(&r[i], geo->hdr_size, geo->window_size))
			return OAE_HDR_BAD_REGION;
		for (j = 0; j < i; j++)
			if (oae_regions_overlap(&r[i], &r[j]))
				return OAE_HDR_BAD_REGION;
	}
	return OAE_HDR_OK;
}

OAE_EXPORT_FOR_TESTS(oae_geometry_read);

enum oae_hdr_error oae_geometry_format(struct oae_ipu_hdr *hdr,
				       oae_u64 window_size,
				       oae_u32 links_per_class,
				       oae_u32 nr_cores, oae_u32 ring_entries)
{
	struct oae_geometry geo;
	oae_u64 off = OAE_PAGE, links_len;
	oae_u32 stride = sizeof(struct oae_link_host);
	/* Bounded before multiplying, so the product cannot wrap. */
	oae_u32 nr_links = links_per_class > OAE_MAX_LINKS ? 0 :
			   links_per_class * OAE_NR_CLASSES;

	links_len = (oae_u64)nr_links * stride;
	oae_st64(&hdr->ipu_state, OAE_IPU_OFF);
	oae_st32(&hdr->abi_version, OAE_ABI_VERSION);
	oae_st32(&hdr->hdr_size, sizeof(struct oae_ipu_hdr));
	oae_st64(&hdr->window_size, window_size);
	oae_st32(&hdr->nr_links, nr_links);
	oae_st32(&hdr->nr_cores, nr_cores);
	oae_st32(&hdr->nr_classes, OAE_NR_CLASSES);
	oae_st32(&hdr->link_stride, stride);
	oae_st32(&hdr->ring_entries, ring_entries);

	/* Host-written regions first, then IPU-written, each page aligned. */
	oae_st64(&hdr->host_hdr_offset, off);
	off += OAE_PAGE;
	oae_st64(&hdr->host_links_offset, off);
	off += (links_len + OAE_PAGE - 1) & ~(OAE_PAGE - 1);
	oae_st64(&hdr->ring_offset, off);
	off += ((oae_u64)ring_entries * sizeof(struct oae_event) +
		OAE_PAGE - 1) & ~(OAE_PAGE - 1);
	oae_st64(&hdr->ipu_links_offset, off);
	off += (links_len + OAE_PAGE - 1) & ~(OAE_PAGE - 1);
	oae_st64(&hdr->status_offset, off);
	off += OAE_MAX_IPU_CORES * sizeof(struct oae_core_status);
	/* Whatever is left belongs to the FITO transaction area. */
	oae_st64(&hdr->fito_offset, off);
	oae_st64(&hdr->fito_size, window_size > off ? window_size - off : 0);
	oae_st64_release(&hdr->magic, OAE_MAGIC);

	return oae_geometry_read(hdr, window_size, &geo);
}

OAE_EXPORT_FOR_TESTS(oae_geometry_format);

oae_u64 oae_epoch_ack_digest(oae_u64 epoch, oae_u64 nonce, oae_u64 boot_id)
{
	oae_u64 h = oae_digest_add(0x65706f63680a0004ULL, epoch);

	h = oae_digest_add(h, nonce);
	return oae_digest_add(h, boot_id);
}

OAE_EXPORT_FOR_TESTS(oae_epoch_ack_digest);

void oae_host_request_epoch(struct oae_host_hdr *h, oae_u64 epoch,
			    oae_u64 nonce, oae_u32 nr_links,
			    oae_u64 ring_base)
{
	/* Leave ATTACHED first: the IPU adopts only a request it sees whole. */
	oae_st64_release(&h->host_state, OAE_HOST_DETACHED);
	oae_st64(&h->host_nr_links, nr_links);
	oae_st64(&h->ring_base, ring_base);
	oae_st64(&h->host_epoch, epoch);
	oae_st64(&h->host_nonce, nonce);
	oae_st64_release(&h->host_state, OAE_HOST_ATTACHING);
}

OAE_EXPORT_FOR_TESTS(oae_host_request_epoch);

int oae_host_epoch_acked(const struct oae_ipu_hdr *ipu, oae_u64 epoch,
			 oae_u64 nonce, oae_u64 *boot_id)
{
	oae_u64 ack, boot;

	/* The ack is published last; the words it covers are read after it. */
	ack = oae_ld64_acquire(&ipu->ipu_epoch_ack);
	boot = oae_ld64(&ipu->ipu_boot_id);
	if (!boot || oae_ld64(&ipu->ipu_epoch) != epoch ||
	    ack != oae_epoch_ack_digest(epoch, nonce, boot) ||
	    oae_ld64(&ipu->ipu_state) != OAE_IPU_READY)
		return 0;
	*boot_id = boot;
	return 1;
}

OAE_EXPORT_FOR_TESTS(oae_host_epoch_acked);

int oae_host_epoch_held(const struct oae_ipu_hdr *ipu, oae_u64 epoch,
			oae_u64 boot_id)
{
	return oae_ld64_acquire(&ipu->ipu_state) == OAE_IPU_READY &&
	       oae_ld64(&ipu->ipu_boot_id) == boot_id &&
	       oae_ld64(&ipu->ipu_epoch) == epoch;
}

OAE_EXPORT_FOR_TESTS(oae_host_epoch_held);

void oae_host_set_state(struct oae_host_hdr *h, enum oae_host_state state)
{
	oae_st64_release(&h->host_state, state);
}

OAE_EXPORT_FOR_TESTS(oae_host_set_state);

enum oae_live oae_host_heartbeat(struct oae_host_hdr *h,
				 const struct oae_ipu_hdr *ipu,
				 struct oae_liveness *lv, oae_u32 threshold)
{
	if (oae_ld64_acquire(&ipu->ipu_state) != OAE_IPU_READY)
		return OAE_LIVE_STOPPED;
	if (oae_ld64_acquire(&ipu->ipu_hb_echo) == lv->heartbeat) {
		lv->missed = 0;
		oae_st64_release(&h->host_heartbeat, ++lv->heartbeat);
		return OAE_LIVE_OK;
	}
	if (++lv->missed >= threshold)
		return OAE_LIVE_DEAD;
	return OAE_LIVE_LATE;
}

OAE_EXPORT_FOR_TESTS(oae_host_heartbeat);
