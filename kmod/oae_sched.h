/* SPDX-License-Identifier: GPL-2.0 */
/*
 * oae_ipu.ko scheduling kfuncs (oae_sched.c): the module's side. The BPF
 * contract is uapi/linux/oae_sched.h.
 */
#ifndef _OAE_SCHED_H
#define _OAE_SCHED_H

#include <linux/types.h>

#include "oae_ipu.h"

struct oae_sched_pick;
struct task_struct;

/* Tasks in custody at once; the IPU policy's OAE_SCHED_MAX_TASKS. */
#define OAE_SCHED_CUSTODY_MAX	1024

/* Per CPU, written only on that CPU with interrupts off; summed on read. */
struct oae_sched_stats {
	u64 runnable;		/* RUNNABLE posted */
	u64 gone;		/* GONE posted */
	u64 gone_unknown;	/* gone() for a task not in custody */
	u64 ring_full;		/* runnable() refused: event ring full */
	u64 post_failed;	/* other failed posts (IPU not up) */
	u64 dropped;		/* tasks that left custody on a failed post */
	u64 offered;
	u64 busy;		/* offer refused: link busy */
	u64 answered;		/* valid answers handed to the caller */
	u64 empty;		/* the IPU had no task for the CPU */
	u64 withdrawn;		/* budget ran out */
	u64 bad_answer;		/* answer failed validation */
	u64 epoch_ended;	/* picks ended by an epoch or device change */
	u64 committed;
	u64 dispatched;
	u64 lost_race;
	u64 stale;		/* dispatched but custody changed: must be 0 */
};

/* The custody table, under its lock. */
struct oae_sched_table_stats {
	u64 size;
	u64 high_water;
	u64 full;		/* runnable() refused: table full */
	u64 replayed;		/* entries reposted in custody replays */
	u64 replay_failed;
	u64 forgotten;		/* GONE reposted for tasks the IPU kept */
};

int oae_sched_init(void);
int oae_sched_bind(struct oae_dev *od);
void oae_sched_unbind(struct oae_dev *od);
bool oae_sched_is_bound(struct oae_dev *od);
void oae_sched_stats_sum(struct oae_sched_stats *sum,
			 struct oae_sched_table_stats *table);

#if IS_ENABLED(CONFIG_KUNIT)
void oae_sched_test_reset(void);
int oae_custody_runnable(struct oae_dev *od, u32 link, pid_t pid, u32 weight,
			 u64 cpus);
int oae_custody_gone(struct oae_dev *od, u32 link, pid_t pid);
s32 oae_sched_runnable(struct task_struct *p);
s32 oae_sched_gone(struct task_struct *p);
s32 oae_sched_pick_offer(void);
s32 oae_sched_pick_complete(u64 budget_ns, struct oae_sched_pick *pick);
s32 oae_sched_pick_commit(struct task_struct *p);
s32 oae_sched_pick_abort(u32 reason);
s32 oae_sched_pick_enforced(struct task_struct *p, u32 outcome);
#endif

#endif /* _OAE_SCHED_H */
