// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sched_fifo: FIFO / round robin with a tunable slice.
 *
 * A pick is the task that became runnable first among those allowed on
 * the offer's CPU. Every RUNNABLE that puts a task in the run queue gives
 * it the next ticket (its key, sched_policy.h; the state's clock is the
 * ticket counter), so a task that ran its slice and comes back with a new
 * RUNNABLE goes to the tail: round robin among runnable tasks, with no
 * notion of weight. A RUNNABLE that only changes a queued task's weight
 * or CPUs keeps its place.
 *
 * Why: the simplest policy that is work conserving and starvation free,
 * a baseline to measure sched_vtime against, and a cheap one for
 * workloads of equal tasks.
 *
 * Staging, validation and locking are sched_policy.h's: a pick is a
 * reservation (taken off the run queue), abort puts it back with its
 * ticket, so it is again at the head; one spinlock over the whole state.
 * The slice is OAE_SCHED_SLICE_NS unless an instance is made with
 * another (oae_sched_fifo_init()), the IPU is started with
 * --sched-slice-us, or the host asks for one with the epoch
 * (sched_slice_ns).
 */
#include "sched_policy.h"

static oae_u64 fifo_place(struct oae_sched_state *st,
			  const struct oae_sched_task *t, int known)
{
	(void)t;
	(void)known;
	return st->clock++;	/* 2^64 RUNNABLEs: never wraps */
}

static void fifo_charge(struct oae_sched_state *st, struct oae_sched_task *t)
{
	(void)st;
	(void)t;		/* the next RUNNABLE sends it to the tail */
}

static const struct oae_sched_class fifo_class = {
	.place = fifo_place,
	.charge = fifo_charge,
};

static struct oae_sched_tables fifo_tables;
static struct oae_sched_state fifo_registered = {
	.lock = OAE_SPINLOCK_INIT,
	.cls = &fifo_class,
	.slice_ns = OAE_SCHED_SLICE_NS,
	.default_slice_ns = OAE_SCHED_SLICE_NS,
	.task = fifo_tables.task,
	.stage = fifo_tables.stage,
};

const struct oae_ipu_policy oae_sched_fifo_policy = {
	.name = "fifo",
	.summary = "FIFO / round robin, oldest runnable first",
	.abi_id = OAE_SCHED_POLICY_FIFO,
	.ctx = &fifo_registered,
	OAE_SCHED_CALLBACKS,
};

void oae_sched_fifo_init(struct oae_ipu_policy *pol,
			  struct oae_sched_state *st,
			  struct oae_sched_tables *tab, oae_u64 slice_ns)
{
	oae_sched_policy_init(pol, &oae_sched_fifo_policy, st, tab, slice_ns);
}
