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
 *   oae_rmb()                        earlier loads complete before later ones
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
	oae_u32 nr_links;		/* all classes together */
	oae_u32 nr_cores;
	oae_u32 nr_classes;
	oae_u32 links_per_class;	/* nr_links / nr_classes: host CPUs */
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
	OAE_HDR_BAD_COUNTS	= 5,	/* nr_links / nr_cores / nr_classes */
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
 * Fill @hdr's geometry for a window of @window_size bytes serving
 * @links_per_class links of each of the OAE_NR_CLASSES classes (one per
 * host CPU) from @nr_cores cores (IPU side; leaves ipu_state OFF). Returns
 * OAE_HDR_OK, or the error oae_geometry_read() would report for the result.
 */
enum oae_hdr_error oae_geometry_format(struct oae_ipu_hdr *hdr,
				       oae_u64 window_size,
				       oae_u32 links_per_class,
				       oae_u32 nr_cores, oae_u32 ring_entries);

/* Link @i's halves in the window at @win (i < geo->nr_links). */
static inline struct oae_link_host *oae_geo_host_link(void *win,
						      const struct oae_geometry *geo,
						      oae_u32 i)
{
	return (struct oae_link_host *)((unsigned char *)win +
					geo->host_links_offset +
					(oae_u64)i * geo->link_stride);
}

static inline struct oae_link_ipu *oae_geo_ipu_link(void *win,
						    const struct oae_geometry *geo,
						    oae_u32 i)
{
	return (struct oae_link_ipu *)((unsigned char *)win +
				       geo->ipu_links_offset +
				       (oae_u64)i * geo->link_stride);
}

/* Index of the link of @cls for host CPU @cpu (both already in range). */
static inline oae_u32 oae_link_index(const struct oae_geometry *geo,
				     oae_u32 cls, oae_u32 cpu)
{
	return cls * geo->links_per_class + cpu;
}

/* Human-readable ipu_state, "invalid" for values out of range. */
const char *oae_ipu_state_name(oae_u64 state);

/* ------------------------------------------------------------------ */
/* Host: attach (epochs) and liveness (S6).                            */

/*
 * What the IPU writes to ipu_epoch_ack when it adopts a request: proof
 * that this boot of the IPU (@boot_id) took exactly this attach (@epoch,
 * the host's fresh @nonce), so a stray or corrupted ipu_epoch can never
 * pass for an ack.
 */
oae_u64 oae_epoch_ack_digest(oae_u64 epoch, oae_u64 nonce, oae_u64 boot_id);

/*
 * Ask the IPU to serve a new @epoch (<= OAE_EPOCH_MAX) with a fresh
 * @nonce, its event ring starting at position @ring_base; the caller has
 * reset its halves.
 */
void oae_host_request_epoch(struct oae_host_hdr *h, oae_u64 epoch,
			    oae_u64 nonce, oae_u32 nr_links,
			    oae_u64 ring_base);

/*
 * Has the IPU acknowledged (@epoch, @nonce) and is it serving? On success
 * *@boot_id is the boot that acked: a later change of it is a restart.
 */
int oae_host_epoch_acked(const struct oae_ipu_hdr *ipu, oae_u64 epoch,
			 oae_u64 nonce, oae_u64 *boot_id);

/*
 * Is the IPU still serving the epoch it acked? Any of: another boot id,
 * another epoch, a state other than READY means it restarted or stopped
 * and holds no state for @epoch any more.
 */
int oae_host_epoch_held(const struct oae_ipu_hdr *ipu, oae_u64 epoch,
			oae_u64 boot_id);

/* Publish ATTACHED (after the ack) or DETACHED (unload). */
void oae_host_set_state(struct oae_host_hdr *h, enum oae_host_state state);

struct oae_liveness {
	oae_u64 heartbeat;		/* last host_heartbeat published */
	oae_u32 missed;			/* alternations missed in a row */
};

enum oae_live {
	OAE_LIVE_OK		= 0,	/* the IPU echoed our heartbeat */
	OAE_LIVE_LATE		= 1,	/* not yet, below the threshold */
	OAE_LIVE_DEAD		= 2,	/* @threshold alternations missed */
	OAE_LIVE_STOPPED	= 3,	/* the IPU says it is not serving */
};

/*
 * One liveness tick: if the IPU echoed our last heartbeat, publish the
 * next one; otherwise count a miss. Safety never depends on this: it only
 * decides when callers stop waiting and fall back.
 */
enum oae_live oae_host_heartbeat(struct oae_host_hdr *h,
				 const struct oae_ipu_hdr *ipu,
				 struct oae_liveness *lv, oae_u32 threshold);

/* Torn-read detection: a fast 64-bit mix, not a cryptographic hash. */
static inline oae_u64 oae_digest_add(oae_u64 h, oae_u64 word)
{
	h ^= word;
	h *= 0x9e3779b97f4a7c15ULL;
	return h ^ (h >> 29);
}

/* ------------------------------------------------------------------ */
/* Digests: what each side computes over what it publishes or read.    */

oae_u64 oae_offer_digest(oae_u64 epoch, oae_u32 link, oae_u64 seq,
			 oae_u32 op, oae_u32 flags, oae_u64 watermark,
			 const oae_u64 payload[OAE_OFFER_WORDS]);
oae_u64 oae_answer_digest(oae_u64 epoch, oae_u32 link, oae_u64 seq,
			  oae_u32 status, oae_u32 op, oae_u64 reflect,
			  const oae_u64 answer[OAE_ANSWER_WORDS]);
oae_u64 oae_event_digest(oae_u64 epoch, oae_u64 seq, oae_u32 type,
			 oae_u32 link, const oae_u64 args[OAE_EVENT_ARGS]);

static inline oae_u64 oae_outcome_word(oae_u64 seq, int commit,
				       oae_u32 reason)
{
	return seq << OAE_OUTCOME_SEQ_SHIFT |
	       (oae_u64)(reason & OAE_OUTCOME_REASON_MASK) <<
	       OAE_OUTCOME_REASON_SHIFT | (commit ? OAE_OUTCOME_COMMIT : 0);
}

static inline oae_u64 oae_outcome_seq(oae_u64 word)
{
	return word >> OAE_OUTCOME_SEQ_SHIFT;
}

static inline oae_u32 oae_outcome_reason(oae_u64 word)
{
	return (oae_u32)(word >> OAE_OUTCOME_REASON_SHIFT) &
	       OAE_OUTCOME_REASON_MASK;
}

/*
 * A commit carries no reason, an abort one of 1..OAE_ABORT_REASON_MAX.
 * The IPU counts any other outcome word as malformed, yet settles it as
 * its commit bit says: that is what the host enforced, or not (S2).
 */
static inline int oae_outcome_well_formed(oae_u64 word)
{
	oae_u32 reason = oae_outcome_reason(word);

	if (word & OAE_OUTCOME_COMMIT)
		return reason == OAE_ABORT_NONE;
	return reason != OAE_ABORT_NONE && reason <= OAE_ABORT_REASON_MAX;
}

/* ------------------------------------------------------------------ */
/* Host side of a swap (the initiator). Not thread-safe: the caller     */
/* serialises each link with its own local lock.                        */

struct oae_offer {
	oae_u32 op;			/* enum oae_op */
	oae_u32 flags;
	oae_u64 payload[OAE_OFFER_WORDS];
};

struct oae_answer {
	oae_u32 status;			/* enum oae_answer_status */
	oae_u64 word[OAE_ANSWER_WORDS];
};

struct oae_host_link {
	struct oae_link_host *tx;	/* our half, in the window */
	const struct oae_link_ipu *rx;	/* the IPU's half: untrusted */
	oae_u32 index;
	oae_u64 epoch;
	oae_u64 seq;			/* last offer published */
	oae_u64 digest;			/* its digest: the reflection we expect */
	oae_u32 op;
	int open;			/* offer published, outcome not yet */
};

/* Result of polling for an answer. */
enum oae_poll {
	OAE_POLL_PENDING	= 0,	/* no answer to our offer yet */
	OAE_POLL_ANSWERED	= 1,	/* *answer is valid and reflects it */
	OAE_POLL_BAD_SEQ	= 2,	/* answer to an offer never made */
	OAE_POLL_BAD_DIGEST	= 3,	/* torn or forged answer line */
	OAE_POLL_BAD_REFLECT	= 4,	/* reflection is not our offer */
	OAE_POLL_BAD_FIELD	= 5,	/* status or op out of range */
	OAE_POLL_MAX		= OAE_POLL_BAD_FIELD,
};

const char *oae_poll_name(enum oae_poll p);

/*
 * Bind a link to its two halves for @epoch. Swap numbers continue from
 * @last_seq so no number is reused across epochs. Clears our half.
 */
void oae_host_link_init(struct oae_host_link *l, struct oae_link_host *tx,
			const struct oae_link_ipu *rx, oae_u32 index,
			oae_u64 epoch, oae_u64 last_seq);

/* Step 1, OFFER: publish @o with event watermark @watermark; returns n. */
oae_u64 oae_host_offer(struct oae_host_link *l, const struct oae_offer *o,
		       oae_u64 watermark);

/* Step 2 as seen by the host: has the IPU reflected offer n? */
enum oae_poll oae_host_poll(struct oae_host_link *l, struct oae_answer *a);

/*
 * Step 3, COMMIT or ABORT (@reason) the open swap. Also how the host
 * withdraws: oae_host_settle(l, 0, OAE_ABORT_WITHDRAWN) before an answer.
 */
void oae_host_settle(struct oae_host_link *l, int commit,
		     enum oae_abort_reason reason);

/* ------------------------------------------------------------------ */
/* IPU side of a swap (the responder).                                 */

/*
 * What the link code calls on the IPU side. answer() computes against the
 * offer exactly and stages its change (@stage is the link code's to keep
 * for the outcome); commit() makes the staged change permanent, abort()
 * restores the state from before the offer. event() applies one custody
 * event. In the IPU runtime this is a router (ipu-fw/core/ipu_core.c)
 * over the policies of ipu-fw/policy/policy.h, which route by type, own
 * their staging and report from commit and abort; the shape here stays
 * as the module's KUnit suite drives the link code with it.
 */
#define OAE_STAGE_WORDS		4

struct oae_policy {
	const char *name;
	void *ctx;
	void (*reset)(void *ctx);
	void (*event)(void *ctx, oae_u32 type, oae_u32 link,
		      const oae_u64 args[OAE_EVENT_ARGS]);
	enum oae_answer_status (*answer)(void *ctx, oae_u32 link,
					 const struct oae_offer *o,
					 oae_u64 answer[OAE_ANSWER_WORDS],
					 oae_u64 stage[OAE_STAGE_WORDS]);
	void (*commit)(void *ctx, oae_u32 link,
		       const oae_u64 stage[OAE_STAGE_WORDS]);
	void (*abort)(void *ctx, oae_u32 link,
		      const oae_u64 stage[OAE_STAGE_WORDS]);
};

/*
 * Fault injection for tests (ipu-sim --garbage): publish answers that are
 * malformed in one specific way, so the host's validators can be exercised
 * deterministically. OAE_FAULT_NONE in normal operation.
 */
enum oae_fault {
	OAE_FAULT_NONE		= 0,
	OAE_FAULT_WRONG_ECHO	= 1,	/* reflect is not the offer's digest */
	OAE_FAULT_WRONG_EPOCH	= 2,	/* digest made with another epoch */
	OAE_FAULT_BAD_STATUS	= 3,	/* status out of range */
	OAE_FAULT_TORN		= 4,	/* a word changes after the digest */
	OAE_FAULT_BAD_SEQ	= 5,	/* answers an offer never made */
	OAE_FAULT_MAX		= OAE_FAULT_BAD_SEQ,
};

struct oae_ipu_link {
	const struct oae_link_host *rx;	/* the host's half: untrusted */
	struct oae_link_ipu *tx;	/* our half */
	oae_u32 index;
	oae_u32 fault;			/* enum oae_fault */
	oae_u64 epoch;
	oae_u64 seen;			/* highest offer taken */
	oae_u64 staged_seq;		/* answered, awaiting outcome; 0 none */
	oae_u64 stage[OAE_STAGE_WORDS];
};

/* What one oae_ipu_link_poll() did, for counters. */
struct oae_ipu_link_stats {
	oae_u64 answered;
	oae_u64 committed;
	oae_u64 aborted;
	oae_u64 skipped;		/* withdrawn before we answered */
	oae_u64 bad_offer;		/* malformed offer: refused */
	/* outcome for a swap never answered, or with a malformed reason */
	oae_u64 bad_outcome;
	oae_u64 waiting_events;		/* offer waits for events <= watermark */
};

void oae_ipu_link_init(struct oae_ipu_link *l, const struct oae_link_host *rx,
		       struct oae_link_ipu *tx, oae_u32 index, oae_u64 epoch);

/*
 * One poll of a link: settle the staged swap if the host decided it, then
 * answer a new offer if there is one and the events up to its watermark
 * have been applied (@consumed: our ring tail). A watermark beyond
 * @watermark_max (our tail plus the ring size: the host cannot have
 * reserved more) is refused as malformed.
 * Never blocks. If the policy must undo a staged swap because the link is
 * being reset, use oae_ipu_link_drop().
 */
void oae_ipu_link_poll(struct oae_ipu_link *l, const struct oae_policy *pol,
		       oae_u64 consumed, oae_u64 watermark_max,
		       struct oae_ipu_link_stats *st);

/* Abort a staged swap locally (epoch change: the host is gone). */
void oae_ipu_link_drop(struct oae_ipu_link *l, const struct oae_policy *pol);

/* ------------------------------------------------------------------ */
/* Custody event ring: host produces, IPU consumes.                    */

/*
 * Many producers: each reserves a position (the host engine does it with a
 * host-local atomic on its own counter, never a window word), then writes
 * and publishes that slot alone. oae_ring_room() says whether position
 * @head + 1 may be reserved given the IPU's tail @tail (untrusted): 1 yes,
 * 0 the ring is full, -1 the tail is impossible (beyond @head).
 */
int oae_ring_room(oae_u64 head, oae_u64 tail, oae_u32 entries);

/* Write and publish the event at reserved position @seq (1-based). */
void oae_ring_write(struct oae_event *ring, oae_u32 entries, oae_u64 epoch,
		    oae_u64 seq, oae_u32 type, oae_u32 link,
		    const oae_u64 args[OAE_EVENT_ARGS]);

/* A single producer (tests, tools): reservation without atomics. */
struct oae_ring_producer {
	struct oae_event *ring;
	oae_u32 entries;
	const oae_le64 *consumed;	/* IPU header: its tail, untrusted */
	oae_u64 head;			/* positions reserved so far */
	oae_u64 epoch;
};

void oae_ring_producer_init(struct oae_ring_producer *p, struct oae_event *ring,
			    oae_u32 entries, const oae_le64 *consumed,
			    oae_u64 epoch, oae_u64 head);

/* Returns 0, 1 if the ring is full, -1 if the IPU's tail is impossible. */
int oae_ring_post(struct oae_ring_producer *p, oae_u32 type, oae_u32 link,
		  const oae_u64 args[OAE_EVENT_ARGS]);

struct oae_ring_consumer {
	const struct oae_event *ring;
	oae_u32 entries;
	oae_u32 nr_links;
	oae_le64 *consumed;		/* IPU header: our tail */
	oae_u64 tail;
	oae_u64 epoch;
};

void oae_ring_consumer_init(struct oae_ring_consumer *c,
			    const struct oae_event *ring, oae_u32 entries,
			    oae_u32 nr_links, oae_le64 *consumed,
			    oae_u64 epoch, oae_u64 tail);

/*
 * Apply published events in position order, at most @max of them, to
 * @pol, stopping at the first slot not yet published. Malformed entries
 * are skipped and counted in *@bad. Returns the tail.
 */
oae_u64 oae_ring_consume(struct oae_ring_consumer *c,
			 oae_u32 max, const struct oae_policy *pol,
			 oae_u64 *bad);

#endif /* _OAE_PROTO_H */
