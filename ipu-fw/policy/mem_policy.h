/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The memory policy (role mem): OAE_OP_MEM_FAULT offers and OAE_EV_PAGE_*
 * events (uapi/oae/link.h, "Memory words"), implemented by mem_clock.c.
 * Documentation/policy.rst, "Memory policy", says what it decides; this
 * header is its state, shared by ipu-sim, the firmware and the kernel
 * module (which builds mem_clock.c for its local fallback and makes a
 * private instance with oae_mem_clock_init()).
 *
 * What it tracks: the host's fast-tier pages only, at most
 * OAE_MEM_MAX_PAGES, in a table of slots. A live slot is in
 *   - the hash index (open addressing, linear probing, keyed by the page
 *     word): every event and offer finds its page in O(1) on average;
 *   - the CLOCK ring (next/prev), in the order the pages arrived: a new
 *     page goes just behind the hand, so FIFO order is the ring order.
 * Only the host's custody events change the table's shape (insert,
 * remove); a commit removes the victims it committed. answer() changes
 * no shape: it reserves victims (page.staged = link + 1: taken out of
 * CLOCK candidacy until the outcome) and changes words through the
 * link's undo log (undo.h): the hand, reference bits it clears, the
 * prefetcher's stream words.
 *
 * A page's reference word `ref` is stamp << 1 | referenced, the stamp
 * new with every custody change of the slot, so an undo entry for it
 * can never restore a bit onto another page or another custody state of
 * the same page. When a page leaves the ring while swaps are staged, an
 * undo entry that would put the hand back onto it is moved on the way
 * the hand itself would have moved (to the page after it): abort never
 * leaves the hand on a free slot.
 *
 * Locking: one spinlock (lock) over the whole state and tables, taken
 * by every callback with oae_spin_lock(&st->lock, env->locks).
 */
#ifndef _OAE_POLICY_MEM_POLICY_H
#define _OAE_POLICY_MEM_POLICY_H

#include "policy.h"
#include "undo.h"

enum {
	OAE_MEM_MAX_PAGES	= OAE_MEM_BUDGET_MAX,	/* fast pages tracked */
	OAE_MEM_HASH_BITS	= 13,
	OAE_MEM_HASH_SLOTS	= 1 << OAE_MEM_HASH_BITS, /* load <= 1/2 */
	OAE_MEM_STREAMS		= 32,	/* prefetcher streams (regions) */
	/*
	 * Reference bits one answer may clear. Past it the sweep takes the
	 * pages it cleared, oldest first: what CLOCK would take after a
	 * whole revolution of referenced pages. Bounds the work and the
	 * undo log of an answer.
	 */
	OAE_MEM_SWEEP_MAX	= 32,
	/*
	 * Words of a stream (struct oae_mem_stream) an answer may change,
	 * each logged once, and the state's stream_clock.
	 */
	OAE_MEM_STREAM_WORDS	= 6 + 1,
	/* An answer's undo log: the hand, the bits, the stream. */
	OAE_MEM_UNDO_MAX	= 1 + OAE_MEM_SWEEP_MAX + OAE_MEM_STREAM_WORDS,
	/* A stride is trusted once seen this many times in a row (2). */
	OAE_MEM_CONF_TRUST	= 1,
	OAE_MEM_CONF_MAX	= 15,
};

/* One fast-tier page. */
struct oae_mem_page {
	oae_u64 page;			/* OAE_MEM_PAGE(); 0 when free */
	oae_u64 version;		/* last custody version applied */
	oae_u64 ref;			/* stamp << 1 | referenced; 0 free */
	oae_u32 next, prev;		/* CLOCK ring; free: next free + 1 */
	oae_u32 staged;			/* link + 1 that reserved it; 0 */
	oae_u32 reserved;
};

/*
 * The prefetcher's view of one region: all words, so answers can log
 * them. stride is signed (two's complement), 0 while none is known.
 */
struct oae_mem_stream {
	oae_u64 region;			/* 0: free */
	oae_u64 last;			/* last index seen */
	oae_u64 stride;
	oae_u64 conf;			/* stride seen again, in a row */
	oae_u64 expect;			/* next index expected to fault */
	oae_u64 used;			/* LRU stamp, for reuse */
};

/* What link L staged: the victims it reserved, by slot and identity. */
struct oae_mem_stage {
	oae_u64 version[OAE_MEM_VICTIMS_MAX];
	oae_u64 stamp[OAE_MEM_VICTIMS_MAX];	/* page.ref >> 1 then */
	oae_u32 slot[OAE_MEM_VICTIMS_MAX];
	oae_u32 victims;
	oae_u32 staged;
	oae_u32 reserved;
	struct oae_undo_log log;	/* over tables->undo[L] */
};

/* Counted, never fatal. */
struct oae_mem_stats {
	oae_u64 bad_events;		/* malformed PAGE event: ignored */
	oae_u64 bad_offers;		/* malformed MEM_FAULT offer: REFUSED */
	oae_u64 stale_events;		/* version not newer (or not its own) */
	oae_u64 full;			/* ADD fast not tracked: table full */
	oae_u64 superseded;		/* settles after a custody event */
	oae_u64 declined;		/* answered EMPTY (see mem_clock.c) */
	oae_u64 answered;		/* answered OK */
	oae_u64 victims;		/* victims named in OK answers */
	oae_u64 prefetched;		/* sum of prefetch counts answered */
	oae_u64 slow;			/* tier slow answered: no room */
	oae_u64 forced;			/* sweeps that took cleared pages */
	oae_u64 kept;			/* undo words left to a later writer */
};

/* The big part, apart so that it stays in .bss in the firmware. */
struct oae_mem_tables {
	struct oae_mem_page page[OAE_MEM_MAX_PAGES];
	oae_u32 hash[OAE_MEM_HASH_SLOTS];	/* slot + 1; 0 empty */
	struct oae_mem_stream stream[OAE_MEM_STREAMS];
	struct oae_mem_stage stage[OAE_MAX_LINKS];
	struct oae_undo_entry undo[OAE_MAX_LINKS][OAE_MEM_UNDO_MAX];
};

/*
 * Slots are numbered from 1 in the words below (0: none), so that a
 * zeroed state is an empty one.
 */
struct oae_mem_state {
	struct oae_spinlock lock;
	oae_u32 nr_pages;		/* live slots */
	oae_u32 top;			/* slots ever used: 0..top-1 */
	oae_u32 free;			/* a freed slot + 1, its next the rest */
	oae_u32 nr_staged;		/* links with a staged answer */
	oae_u64 hand;			/* CLOCK hand: slot + 1, 0 if none */
	oae_u64 stamp;			/* custody changes seen: ref stamps */
	oae_u64 stream_clock;		/* stream LRU stamps */
	struct oae_mem_tables *tab;
	struct oae_mem_stats stats;
};

/* The registered instance, and a private one over fresh storage. */
extern const struct oae_ipu_policy oae_mem_clock_policy;
void oae_mem_clock_init(struct oae_ipu_policy *pol, struct oae_mem_state *st,
			struct oae_mem_tables *tab);

#endif /* _OAE_POLICY_MEM_POLICY_H */
