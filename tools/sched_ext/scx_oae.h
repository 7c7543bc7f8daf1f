/* SPDX-License-Identifier: GPL-2.0 */
/*
 * scx_oae: what the BPF policy (scx_oae.bpf.c) and its loader (scx_oae.c)
 * share: the stats layout and the constants of the design.
 */
#ifndef __SCX_OAE_H
#define __SCX_OAE_H

/* User DSQs (ids below 2^63 are free for the BPF scheduler). */
#define CUSTODY_DSQ		0	/* the IPU holds custody; vtime order */
#define LOCAL_DSQ		1	/* decided on this host; vtime order */

/* Policy modes (rodata "mode"). */
#define SCX_OAE_MODE_BILATERAL	0	/* every custody task picked by a swap */
#define SCX_OAE_MODE_LOCAL	1	/* never offers: local vtime baseline */

#define SCX_OAE_SLICE_DFL_NS	5000000ULL	/* the IPU policies' default */
#define SCX_OAE_BUDGET_DFL_NS	20000ULL
/* Longest run of CUSTODY_DSQ dispatch scans for the pick's task. */
#define SCX_OAE_SCAN_MAX	512
/* How often the liveness timer looks for idle CPUs to kick. */
#define SCX_OAE_KICK_PERIOD_NS	2000000ULL

/*
 * Per-CPU counters (one BPF per-CPU array element; the loader sums the
 * CPUs). Decisions: every time a CPU got a task from this policy.
 */
enum scx_oae_stat {
	OAE_STAT_IPU_DECISIONS,	/* committed on the IPU and dispatched */
	OAE_STAT_LOCAL_ONLY,	/* tasks never offered: kthreads, refused */
	OAE_STAT_LOCAL_IPU_DOWN,	/* custody task decided here: IPU not up */
	OAE_STAT_LOCAL_WITHDRAWN,	/* ... the answer was late (withdrawn) */
	OAE_STAT_LOCAL_ABORTED,	/* ... the swap aborted (any reason) */
	OAE_STAT_LOCAL_BUSY,	/* ... the link was busy or a kfunc failed */
	OAE_STAT_LOCAL_PREV_KEPT,	/* IPU had nothing: prev keeps the CPU */
	OAE_STAT_LOCAL_MODE,	/* --mode local decisions */
	OAE_STAT_WITHDRAWN,		/* pick_complete -ETIMEDOUT */
	OAE_STAT_FALLBACK,		/* custody tasks dispatched by the local policy */
	OAE_STAT_LOST_RACE,		/* committed, but the task left the DSQ first */
	OAE_STAT_SCAN_LIMIT,	/* pick's task not within SCX_OAE_SCAN_MAX */
	OAE_STAT_OFFERS,		/* picks offered (0 returned) */
	OAE_STAT_OFFER_ERRORS,	/* offers refused other than -EALREADY */
	OAE_STAT_CUSTODY,		/* tasks handed to the IPU's custody */
	OAE_STAT_REFUSED,		/* oae_sched_runnable() != 0 */
	OAE_STAT_KICKS,		/* idle CPUs kicked for waiting custody */
	OAE_STAT_ENFORCE_ERRORS,	/* oae_sched_pick_enforced() != 0 */
	OAE_STAT_LOCAL_EMPTY,	/* IPU had nothing here: a local task ran */
	OAE_STAT_LOCAL_OVERDUE,	/* custody task the IPU left waiting too long */
	OAE_NR_SCALAR_STATS,
	/* aborts by enum oae_abort_reason, OAE_ABORT_NONE unused */
	OAE_STAT_ABORT_BASE = OAE_NR_SCALAR_STATS,
	OAE_NR_ABORT_SLOTS = 16,
	OAE_NR_STATS = OAE_STAT_ABORT_BASE + OAE_NR_ABORT_SLOTS,
};

/*
 * Decision latency (ns spent in oae_sched_pick_complete()), log-linear:
 * values below LAT_SUB are exact, above that every power of two is split
 * in LAT_SUB linear steps (12.5% wide).
 */
#define LAT_SUB_BITS	3
#define LAT_SUB		(1 << LAT_SUB_BITS)
#define LAT_BUCKETS	256

struct scx_oae_stats {
	unsigned long long cnt[OAE_NR_STATS];
	unsigned long long lat[LAT_BUCKETS];
};

/* Smallest value that falls in bucket idx (the inverse of lat_bucket()). */
static inline unsigned long long lat_bucket_low(unsigned int idx)
{
	unsigned int msb;

	if (idx < LAT_SUB)
		return idx;
	msb = idx / LAT_SUB - 1 + LAT_SUB_BITS;
	return (unsigned long long)(LAT_SUB + idx % LAT_SUB) << (msb - LAT_SUB_BITS);
}

#endif /* __SCX_OAE_H */
