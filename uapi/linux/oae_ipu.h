/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * oae_ipu.ko user-space interface: the root-only control device
 * /dev/oaeN, used by selftests, benchmarks and oaectl.
 */
#ifndef _UAPI_LINUX_OAE_IPU_H
#define _UAPI_LINUX_OAE_IPU_H

#include <linux/ioctl.h>
#include <linux/types.h>

/* oae_swap_test.flags */
#define OAE_TEST_SPLIT		(1U << 0)	/* ticket: start, poll, commit */
#define OAE_TEST_SLEEP		(1U << 1)	/* sleepable wait (fatal signals) */
#define OAE_TEST_ABORT_EVERY	(1U << 2)	/* abort every abort_every-th */
#define OAE_TEST_FLAGS		(OAE_TEST_SPLIT | OAE_TEST_SLEEP | \
				 OAE_TEST_ABORT_EVERY)

/* Upper bounds the kernel enforces (-EINVAL beyond them). */
#define OAE_TEST_MAX_COUNT	10000000U
#define OAE_TEST_MAX_BUDGET_NS	1000000U

/*
 * Run @count echo swaps on link @link (a host CPU; the calling thread is
 * moved there for the duration) and report what happened. Before each swap
 * one custody event carrying @tokens_per_swap tokens is posted, so the run
 * also checks freshness (every answer accounts for every event posted
 * before its offer) and conservation (tokens granted on commit plus those
 * still in the IPU's pool equal those posted).
 *
 * Synchronous and split-phase swaps spin for at most @budget_ns each
 * (0: the device's spin_budget_ns); sleepable ones wait up to its
 * swap_timeout_ns. Returns 0, -EINVAL for bad arguments, -EINTR on a
 * signal between swaps, -EOVERFLOW if the IPU's pool never runs dry,
 * -ENODEV once the device is removed (results up to then are filled in).
 */
struct oae_swap_test {
	__u32 link;
	__u32 count;
	__u32 flags;
	__u32 abort_every;		/* with OAE_TEST_ABORT_EVERY */
	__u64 tokens_per_swap;
	__u64 tokens_wanted;		/* per offer */
	__u64 budget_ns;		/* at most OAE_TEST_MAX_BUDGET_NS */

	/* Results, filled in by the kernel. */
	__u64 committed;
	__u64 aborted;			/* by the host's commit-time check */
	__u64 withdrawn;		/* wait bound reached */
	__u64 fallbacks;		/* IPU not up: decided locally */
	__u64 protocol_errors;		/* malformed answers (aborted) */
	__u64 declined;			/* IPU answered EMPTY/REFUSED */
	__u64 stale;			/* enforced answers that proved wrong */
	__u64 tokens_posted;
	__u64 tokens_granted;		/* in committed swaps */
	__u64 tokens_found;		/* in the IPU's pool when the run began */
	__u64 elapsed_ns;
	__u64 rtt_median_ns;
	__u64 rtt_p99_ns;
	__u64 ticket_errors;		/* a spent ticket accepted (split) */
};

/* Upper bound of oae_custody_test.duration_ms (-EINVAL beyond it). */
#define OAE_CUSTODY_MAX_MS	600000U

/*
 * Custody across IPU restarts: for @duration_ms, post custody events
 * (@tokens_per_post tokens each, from link @cpu) and run echo swaps on
 * @cpu's scheduling link that take tokens, while the kernel registers a
 * custody user that replays the host's view of the IPU's echo state
 * (event sum, tokens in the pool) on every new epoch. Every committed
 * answer is compared with the host's view (a mismatch counts as stale);
 * at the end the pool is drained and compared.
 */
struct oae_custody_test {
	__u32 cpu;
	__u32 duration_ms;
	__u64 tokens_per_post;

	/* Results, filled in by the kernel. */
	__u64 swaps;
	__u64 committed;
	__u64 aborted;			/* declined, withdrawn, malformed */
	__u64 fallbacks;		/* IPU not up: decided locally */
	__u64 stale;			/* committed answers unlike the view */
	__u64 posts_refused;		/* not up, or ring full */
	__u64 replays;			/* replays done by this run */
	__u64 epoch_first;
	__u64 epoch_last;
	__u64 tokens_posted;
	__u64 tokens_granted;		/* incl. the final drain */
	__u64 pool_left;		/* host's view after the drain: 0 */
	__u64 drain_mismatch;		/* drain granted != the host's view */
};

/* oae_post_bench.flags */
#define OAE_POST_GLOBAL_LOCK	(1U << 0)	/* the old design, for comparison */
#define OAE_POST_FLAGS		OAE_POST_GLOBAL_LOCK
#define OAE_POST_MAX_COUNT	100000000U

/*
 * Posting cost: post @count custody events (value 0, no tokens) from the
 * calling thread as fast as the ring allows, retrying while it is full.
 * With OAE_POST_GLOBAL_LOCK every post also takes one driver-wide lock,
 * as the engine did before posting became lock-free, so both designs are
 * measured side by side (tools/bench/bench_post.c).
 */
struct oae_post_bench {
	__u32 count;
	__u32 flags;
	/* Results, filled in by the kernel. */
	__u64 posted;
	__u64 full_retries;		/* ring full: the IPU had to catch up */
	__u64 elapsed_ns;
};

#define OAE_IOC_MAGIC		0xAE
#define OAE_IOC_SWAP_TEST	_IOWR(OAE_IOC_MAGIC, 1, struct oae_swap_test)
#define OAE_IOC_CUSTODY_TEST	_IOWR(OAE_IOC_MAGIC, 2, struct oae_custody_test)
#define OAE_IOC_POST_BENCH	_IOWR(OAE_IOC_MAGIC, 3, struct oae_post_bench)

#endif /* _UAPI_LINUX_OAE_IPU_H */
