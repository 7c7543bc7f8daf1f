// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * sched_vtime: global weighted vruntime, CFS-like fairness by weight.
 *
 * Every task has a virtual runtime (its key, sched_policy.h). A pick is
 * the task with the smallest vruntime among those allowed on the offer's
 * CPU, over one global run queue: the IPU sees every host CPU's tasks, so
 * it can balance them where the host's per-CPU queues cannot. When the host
 * commits a pick the task is charged slice * 1024 / weight, so over many
 * picks each task gets slices in proportion to its weight (nice 0 = 1024).
 *
 * min_vruntime (the state's clock) follows the smallest vruntime still in
 * custody, and never goes back. Placement when a task becomes runnable:
 * a new task starts at min_vruntime; a known one (a sleeper coming back,
 * or a committed task re-queued) at max(its own, min_vruntime - slice),
 * so a sleeper gets at most one slice of credit and cannot starve the
 * tasks that kept running.
 *
 * Staging, validation and locking are sched_policy.h's: a pick is a
 * reservation (taken off the run queue), abort puts it back with its
 * vruntime; one spinlock over the whole state. The slice is
 * OAE_SCHED_SLICE_NS unless an instance is made with another
 * (oae_sched_vtime_init()), the IPU is started with --sched-slice-us, or
 * the host asks for one with the epoch (sched_slice_ns).
 */
#include "sched_policy.h"

enum {
	VTIME_WEIGHT_UNIT	= OAE_TASK_WEIGHT_NICE0,
};

static oae_u64 vtime_place(struct oae_sched_state *st,
			   const struct oae_sched_task *t, int known)
{
	oae_u64 floor = st->clock > st->slice_ns ? st->clock - st->slice_ns : 0;

	if (!known)
		return st->clock;
	return t->key > floor ? t->key : floor;
}

static void vtime_charge(struct oae_sched_state *st, struct oae_sched_task *t)
{
	oae_u64 min;
	oae_u32 i;

	/* weight >= 1 (checked on RUNNABLE), slice < 2^43: no overflow. */
	t->key += st->slice_ns * VTIME_WEIGHT_UNIT / t->weight;
	/*
	 * min_vruntime: the smallest of the task that just ran and those in
	 * custody, never backwards.
	 */
	min = t->key;
	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++) {
		const struct oae_sched_task *q = &st->task[i];

		if ((q->state == OAE_TASK_QUEUED ||
		     q->state == OAE_TASK_STAGED) && q->key < min)
			min = q->key;
	}
	if (min > st->clock)
		st->clock = min;
}

static const struct oae_sched_class vtime_class = {
	.place = vtime_place,
	.charge = vtime_charge,
};

static struct oae_sched_tables vtime_tables;
static struct oae_sched_state vtime_registered = {
	.lock = OAE_SPINLOCK_INIT,
	.cls = &vtime_class,
	.slice_ns = OAE_SCHED_SLICE_NS,
	.default_slice_ns = OAE_SCHED_SLICE_NS,
	.task = vtime_tables.task,
	.stage = vtime_tables.stage,
};

const struct oae_ipu_policy oae_sched_vtime_policy = {
	.name = "vtime",
	.summary = "global weighted vruntime, fair by weight",
	.abi_id = OAE_SCHED_POLICY_VTIME,
	.ctx = &vtime_registered,
	OAE_SCHED_CALLBACKS,
};

void oae_sched_vtime_init(struct oae_ipu_policy *pol,
			  struct oae_sched_state *st,
			  struct oae_sched_tables *tab, oae_u64 slice_ns)
{
	oae_sched_policy_init(pol, &oae_sched_vtime_policy, st, tab, slice_ns);
}
