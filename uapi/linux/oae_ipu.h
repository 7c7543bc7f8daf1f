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

#define OAE_IOC_MAGIC		0xAE
#define OAE_IOC_SWAP_TEST	_IOWR(OAE_IOC_MAGIC, 1, struct oae_swap_test)

#endif /* _UAPI_LINUX_OAE_IPU_H */
