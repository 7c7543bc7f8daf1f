/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The IPU runtime: what every IPU core runs, independent of the board and of
 * whether it is bare-metal firmware or ipu-sim. The board code maps the
 * window and calls oae_ipu_init() once, then oae_ipu_poll() in a loop on
 * every core. Nothing here blocks: a poll round does what is ready and
 * returns, so a silent or restarting host never stalls a core.
 *
 * Cores run in parallel (Documentation/firmware.rst, "Cores"):
 *  - each link is served by exactly one core, its owner, and the link's
 *    state is touched by no other core; an idle round reads its links'
 *    publish words and takes no shared lock;
 *  - the event ring is consumed by whichever core sees a published event
 *    and wins a try-lock; offers wait for the consumed tail to pass their
 *    watermark (S4), whoever consumed it;
 *  - policies lock their own shared state (policy/policy.h);
 *  - core 0 coordinates: it owns the header's liveness line, epochs, the
 *    published totals, policy ticks, and takes the links of a core that
 *    stops polling (or never starts) away from it, so such a core never
 *    blocks an epoch ack.
 */
#ifndef _OAE_IPU_CORE_H
#define _OAE_IPU_CORE_H

#include "proto.h"
#include "oae_lock.h"
#include "policy.h"

/* How long a core may go without a poll round before core 0 moves its
 * links to live cores (liveness only: the handover is safe either way). */
#define OAE_CORE_STALL_NS_DEFAULT	1000000000ULL
/* The same without a clock, in core 0 poll rounds. */
#define OAE_CORE_STALL_ROUNDS_DEFAULT	1000000ULL

/*
 * Words of struct oae_core_status.reserved[] the runtime publishes (the
 * window layout is unchanged; tools read these by index).
 */
enum oae_core_status_word {
	OAE_CORE_STATUS_LOCKS_TAKEN	= 0,	/* shared locks acquired */
	OAE_CORE_STATUS_LOCKS_WAITED	= 1,	/* ...found held by another core */
	OAE_CORE_STATUS_SETTLE_REPORTS	= 2,	/* commit/abort reported a problem */
	OAE_CORE_STATUS_LINKS_TAKEN_OVER = 3,	/* links moved here from lost cores */
};

struct oae_ipu_config {
	oae_u64 window_size;	/* bytes of the window to format */
	oae_u32 nr_links;	/* links per class to offer (host CPUs) */
	oae_u32 nr_cores;	/* cores that will call oae_ipu_poll() */
	oae_u32 ring_entries;	/* custody event ring size, power of two */
	/*
	 * The policy active in each role at start-up; NULL refuses that
	 * role's offers. The host may ask for another scheduling policy
	 * with an epoch (host header sched_policy): see oae_ipu.policy.
	 */
	const struct oae_ipu_policy *policy[OAE_NR_ROLES];
	/*
	 * The scheduling policy's slice, in ns, when the host does not ask
	 * for one (sched_slice_ns 0): 0 is the policy's own default, else
	 * within OAE_SCHED_SLICE_MIN_NS..OAE_SCHED_SLICE_MAX_NS.
	 */
	oae_u64 sched_slice_ns;
	/* Nonzero and new on every boot (the board's counter, a pid...):
	 * the host tells a restarted IPU from the one that acked it. */
	oae_u64 boot_id;
	/* Optional PCIe model: each offer is answered no earlier than
	 * 2 x latency_ns after the IPU first saw it (both crossings). */
	oae_u64 latency_ns;
	oae_u64 (*now_ns)(void);	/* IPU clock; NULL if none */
	/*
	 * Cache maintenance for a window mapped cached but not coherent with
	 * the host (board.h); NULL where the window is coherent or uncached.
	 */
	void (*window_clean)(const void *start, oae_u64 len);
	void (*window_invalidate)(const void *start, oae_u64 len);
	/* 0: the defaults above. */
	oae_u64 core_stall_ns;
	oae_u64 core_stall_rounds;
	/* Tests only: answer every offer malformed this way (enum oae_fault). */
	oae_u32 fault;
	/* Tests only: after this many answers go silent (no answers, no
	 * heartbeat) as a hung IPU would; 0 never. */
	oae_u64 fail_after;
};

/* What one core counts; written only by that core, read by core 0. */
struct oae_ipu_core_counters {
	struct oae_ipu_link_stats link;
	struct oae_lock_stats locks;
	oae_u64 bad_events;
	oae_u64 settle_reports;
	oae_u64 links_taken_over;
	oae_u64 links_served;		/* links it polled last round */
	oae_u64 rounds;
};

/* The status-line words a core last published, so it stores on change. */
struct oae_core_status_shadow {
	oae_u64 links_served;
	oae_u64 swaps_answered;
	oae_u64 errors;
	oae_u64 reserved[4];
};

struct oae_ipu;

/* One core's runtime state, a cache line apart from every other core's. */
struct oae_ipu_core {
	struct oae_ipu *ipu;
	oae_u32 id;
	struct oae_policy router;	/* the link code's view of the policies */
	struct oae_ipu_core_counters cnt;
	struct oae_core_status_shadow published;
	oae_u64 epoch;			/* epoch whose links this core bound */
	int in_round;			/* handshake with eviction (seq_cst) */
	int evicted;			/* set by core 0: serve nothing more */
	/* Core 0's bookkeeping about this core. */
	oae_u64 seen_rounds;
	oae_u64 progress_at;		/* ns, or core 0 rounds without a clock */
} __attribute__((aligned(OAE_CACHELINE)));

/* One link's runtime state: owned by one core at a time. */
struct oae_ipu_link_slot {
	struct oae_ipu_link link;
	oae_u64 bound_epoch;		/* atomic: epoch the owner bound it to */
	oae_u32 owner;			/* atomic: written by core 0 only */
	oae_u64 noticed_seq;		/* latency model */
	oae_u64 noticed_ns;
} __attribute__((aligned(OAE_CACHELINE)));

/* Totals core 0 last published in the header (stores only on change). */
struct oae_ipu_hdr_shadow {
	oae_u64 bad_offer, bad_event, bad_outcome;
	oae_u64 answered, committed, aborted;
	oae_u64 hb_echo;
	oae_u64 cores_up;
};

struct oae_ipu {
	unsigned char *win;
	struct oae_ipu_hdr *hdr;
	struct oae_host_hdr *host;
	struct oae_core_status *status;
	struct oae_geometry geo;	/* IPU-local: never re-read */
	struct oae_ipu_config cfg;

	oae_u64 epoch;			/* acknowledged to the host */
	oae_u64 epoch_target;		/* requested by the host, being adopted */
	oae_u64 nonce_target;		/* the request's host nonce */
	oae_u64 bad_epoch_seen;		/* last refused request, counted once */
	oae_u64 cores_up;		/* bitmap of cores that polled */
	oae_u64 heartbeat;
	oae_u64 epochs;
	oae_u64 bad_epochs;		/* epoch requests that went backwards,
					 * or asked for a policy or slice
					 * out of range (each word counted) */
	oae_u64 cores_lost;		/* cores whose links were moved */
	oae_u64 last_tick_ns[OAE_NR_ROLES];
	struct oae_ipu_hdr_shadow published;

	/*
	 * The policy serving each role in the acked epoch: cfg.policy[],
	 * except the scheduling role, which the host may choose per epoch.
	 * Written by core 0 only while no core serves (between adopting an
	 * epoch and acking it), read by the cores after they acquire epoch.
	 */
	const struct oae_ipu_policy *policy[OAE_NR_ROLES];
	/* The request being adopted, checked: what the ack will serve. */
	const struct oae_ipu_policy *sched_target;
	oae_u64 sched_slice_target;	/* 0: the policy's own default */
	/* What the last ack served (the header's ipu_sched_* words). */
	oae_u64 sched_policy_served;	/* enum oae_sched_policy_id; 0 none */
	oae_u64 sched_slice_served;	/* ns; 0 none */

	/* The event ring: one consumer at a time, any core. */
	struct oae_spinlock ring_lock;
	struct oae_ring_consumer ring;
	oae_u64 ring_tail;		/* atomic copy of ring.tail */

	struct oae_ipu_core core[OAE_MAX_IPU_CORES];
	struct oae_ipu_link_slot links[OAE_MAX_LINKS];
	struct oae_ipu_core_counters total;	/* core 0: sum over cores */
	int silent;			/* cfg.fail_after reached */
};

/* True once the runtime went silent (oae_ipu_config.fail_after). */
static inline int oae_ipu_silent(const struct oae_ipu *ipu)
{
	return __atomic_load_n(&ipu->silent, __ATOMIC_RELAXED);
}

/* Which core serves @link at start: links are dealt round-robin. */
static inline oae_u32 oae_link_core(oae_u32 link, oae_u32 nr_cores)
{
	return link % nr_cores;
}

/* Which core serves @link now (after any cores were lost). */
static inline oae_u32 oae_ipu_link_owner(const struct oae_ipu *ipu,
					 oae_u32 link)
{
	return __atomic_load_n(&ipu->links[link].owner, __ATOMIC_ACQUIRE);
}

/* Has core 0 taken @core's links away? */
static inline int oae_ipu_core_lost(const struct oae_ipu *ipu,
				    unsigned int core)
{
	return __atomic_load_n(&ipu->core[core].evicted, __ATOMIC_ACQUIRE);
}

/*
 * Format the IPU side of @win (never the host-written regions) and publish
 * the header in state BOOTING. Returns OAE_HDR_OK or why the requested
 * geometry is impossible.
 */
enum oae_hdr_error oae_ipu_init(struct oae_ipu *ipu, void *win,
				const struct oae_ipu_config *cfg);

/* Start serving: publish READY. */
void oae_ipu_start(struct oae_ipu *ipu);

/* Stop on purpose: publish HALTED so the host falls back at once. */
void oae_ipu_halt(struct oae_ipu *ipu);

/* One poll round on @core (0 <= core < nr_cores). */
void oae_ipu_poll(struct oae_ipu *ipu, unsigned int core);

/*
 * @core stopped for good (it faulted and parked): core 0 moves its links
 * without waiting for the stall timeout. Call from that core only, or on
 * its behalf once it can no longer run.
 */
void oae_ipu_core_failed(struct oae_ipu *ipu, unsigned int core);

/* Sum of every core's counters, as core 0 last published them. */
void oae_ipu_totals(const struct oae_ipu *ipu,
		    struct oae_ipu_core_counters *sum);

#endif /* _OAE_IPU_CORE_H */
