/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * What every scheduling policy (role sched) shares: the task words of the
 * ABI (uapi/oae/link.h, OAE_TASK_ARG_*, OAE_PICK_*) checked once, a
 * fixed-capacity task table, per-link staging and the five callbacks.
 * A policy (sched_vtime.c, sched_fifo.c) only says where a task goes in
 * the run queue when it becomes runnable (place) and what a committed
 * pick costs it (charge); the pick is always the queued task with the
 * smallest key allowed on the offer's CPU (ties: lowest slot).
 *
 * A task entry is in one of four states:
 *   FREE    unused slot
 *   QUEUED  runnable, in custody, in the run queue
 *   STAGED  answered on entry.link, taken out of the run queue until the
 *           host's outcome (a reservation)
 *   OUT     not in custody (committed to the host, or GONE); the entry is
 *           kept for the task's history (its key) and reclaimed for a new
 *           task when the table is full
 * RUNNABLE makes a task QUEUED, GONE makes it OUT; both apply only with a
 * version newer than the entry's (else counted stale). A custody event
 * about a STAGED task supersedes the staging: the task follows the event,
 * and the later abort restores nothing (no resurrection, no duplicate)
 * while the later commit removes nothing (the re-queued task stays).
 * abort() of an unsuperseded staging sets the entry back to QUEUED with
 * the same key: the state is then exactly the one before the answer.
 * commit() charges the task (it ran), and a still-STAGED entry goes OUT.
 *
 * Host input is untrusted: malformed events and offers are ignored and
 * counted, every index is checked before use. start() empties the table
 * (the host replays custody in a new epoch); the counters and the slice
 * survive it. The slice is the instance's default (OAE_SCHED_SLICE_NS,
 * or what oae_sched_*_init() was given) unless the runtime sets another
 * for the epoch (set_slice(): the host's sched_slice_ns or the IPU's
 * --sched-slice-us) right before start().
 *
 * Locking: one spinlock (lock) over the table, clock and counters; every
 * callback takes it with oae_spin_lock(&st->lock, env->locks). stage[]
 * is per link, touched only under the lock too (commit and abort must
 * see the table and the record together). Picks and lookups scan the
 * table: O(OAE_SCHED_MAX_TASKS), no structure that abort must rebuild.
 */
#ifndef _OAE_POLICY_SCHED_POLICY_H
#define _OAE_POLICY_SCHED_POLICY_H

#include "policy.h"

enum {
	OAE_SCHED_MAX_TASKS	= 1024,		/* task table capacity */
	OAE_SCHED_SLICE_NS	= 5000000,	/* default slice: 5 ms */
};

enum oae_sched_task_state {
	OAE_TASK_FREE		= 0,
	OAE_TASK_QUEUED		= 1,
	OAE_TASK_STAGED		= 2,
	OAE_TASK_OUT		= 3,
};

struct oae_sched_task {
	oae_u64 pid;			/* 0 only when FREE */
	oae_u64 cpus;			/* allowed host CPUs 0..63 */
	oae_u64 version;		/* last custody version applied */
	oae_u64 key;			/* run queue order: smallest first */
	oae_u32 weight;
	oae_u32 state;			/* enum oae_sched_task_state */
	oae_u32 link;			/* staging link; 0 unless STAGED */
};

/* What link L staged: the slot and the task's identity at answer time. */
struct oae_sched_stage {
	oae_u64 pid;
	oae_u64 version;
	oae_u32 slot;
	oae_u32 staged;
};

/* Counted, never fatal. */
struct oae_sched_stats {
	oae_u64 bad_events;		/* malformed TASK event: ignored */
	oae_u64 bad_offers;		/* malformed PICK offer: REFUSED */
	oae_u64 stale_events;		/* version not newer, or unknown pid */
	oae_u64 full;			/* RUNNABLE refused: table full */
	oae_u64 evicted;		/* OUT entries reclaimed */
	oae_u64 superseded;		/* settles after a custody event */
};

struct oae_sched_state;

/* The policy-specific part. */
struct oae_sched_class {
	/* Key of @t becoming QUEUED; @known: @t->key is its history. */
	oae_u64 (*place)(struct oae_sched_state *st,
			 const struct oae_sched_task *t, int known);
	/* @t ran one slice (a committed pick). */
	void (*charge)(struct oae_sched_state *st, struct oae_sched_task *t);
};

/* The big part, apart so that it stays in .bss in the firmware. */
struct oae_sched_tables {
	struct oae_sched_task task[OAE_SCHED_MAX_TASKS];
	struct oae_sched_stage stage[OAE_MAX_LINKS];
};

struct oae_sched_state {
	struct oae_spinlock lock;
	const struct oae_sched_class *cls;
	oae_u64 slice_ns;		/* served in this epoch */
	oae_u64 default_slice_ns;	/* the instance's own: set_slice(0) */
	oae_u64 clock;			/* vtime: min_vruntime; fifo: ticket */
	struct oae_sched_task *task;	/* tables->task */
	struct oae_sched_stage *stage;	/* tables->stage */
	struct oae_sched_stats stats;
};

/* The ABI checks (uapi/oae/link.h). */
static inline int oae_sched_runnable_ok(const oae_u64 a[OAE_EVENT_ARGS])
{
	return a[OAE_TASK_ARG_PID] && a[OAE_TASK_ARG_PID] <= OAE_TASK_PID_MAX &&
	       a[OAE_TASK_ARG_WEIGHT] &&
	       a[OAE_TASK_ARG_WEIGHT] <= OAE_TASK_WEIGHT_MAX &&
	       a[OAE_TASK_ARG_CPUS] && a[OAE_TASK_ARG_VERSION];
}

static inline int oae_sched_gone_ok(const oae_u64 a[OAE_EVENT_ARGS])
{
	return a[OAE_TASK_ARG_PID] && a[OAE_TASK_ARG_PID] <= OAE_TASK_PID_MAX &&
	       a[OAE_TASK_GONE_ARG_VERSION] && !a[2] && !a[3];
}

static inline int oae_sched_offer_ok(const struct oae_offer *o)
{
	return o->op == OAE_OP_SCHED_PICK &&
	       o->payload[OAE_PICK_OFFER_CPU] < OAE_TASK_CPUS &&
	       !(o->payload[OAE_PICK_OFFER_FLAGS] &
		 ~(oae_u64)OAE_PICK_F_KNOWN) &&
	       !o->payload[2] && !o->payload[3];
}

/*
 * The shared implementation. It lives here, static inline, so both
 * policies use one copy of the source; each policy file instantiates it.
 */

/* The entry of @pid, or NULL. Lock held. */
static inline struct oae_sched_task *oae_sched_find(struct oae_sched_state *st,
						    oae_u64 pid)
{
	oae_u32 i;

	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++)
		if (st->task[i].state != OAE_TASK_FREE &&
		    st->task[i].pid == pid)
			return &st->task[i];
	return (void *)0;
}

/* A FREE slot, else an OUT one reclaimed; NULL if all are in custody. */
static inline struct oae_sched_task *oae_sched_alloc(struct oae_sched_state *st)
{
	struct oae_sched_task *out = (void *)0;
	oae_u32 i;

	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++) {
		if (st->task[i].state == OAE_TASK_FREE)
			return &st->task[i];
		if (!out && st->task[i].state == OAE_TASK_OUT)
			out = &st->task[i];
	}
	if (out)
		st->stats.evicted++;
	return out;
}

static inline void oae_sched_start(void *ctx, const struct oae_policy_env *env,
				   oae_u32 nr_links)
{
	struct oae_sched_state *st = ctx;
	oae_u32 i;

	(void)nr_links;
	oae_spin_lock(&st->lock, env->locks);
	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++)
		st->task[i] = (struct oae_sched_task){ 0 };
	for (i = 0; i < OAE_MAX_LINKS; i++)
		st->stage[i] = (struct oae_sched_stage){ 0 };
	st->clock = 0;
	oae_spin_unlock(&st->lock);
}

/*
 * The slice of the epoch about to start (runtime, before start()): 0 is
 * the instance's own default. Out of range is the caller's bug, but the
 * host chose it: keep the default rather than trust it.
 */
static inline oae_u64 oae_sched_set_slice(void *ctx,
					  const struct oae_policy_env *env,
					  oae_u64 slice_ns)
{
	struct oae_sched_state *st = ctx;
	oae_u64 ret;

	oae_spin_lock(&st->lock, env->locks);
	if (slice_ns < OAE_SCHED_SLICE_MIN_NS ||
	    slice_ns > OAE_SCHED_SLICE_MAX_NS)
		slice_ns = st->default_slice_ns;
	st->slice_ns = slice_ns;
	ret = slice_ns;
	oae_spin_unlock(&st->lock);
	return ret;
}

static inline void oae_sched_runnable(struct oae_sched_state *st,
				      const oae_u64 a[OAE_EVENT_ARGS])
{
	struct oae_sched_task *t = oae_sched_find(st, a[OAE_TASK_ARG_PID]);
	int known = t != (void *)0;

	if (t && a[OAE_TASK_ARG_VERSION] <= t->version) {
		st->stats.stale_events++;
		return;
	}
	if (!t) {
		t = oae_sched_alloc(st);	/* a reclaimed key is no history */
		if (!t) {
			st->stats.full++;	/* the host keeps it local */
			return;
		}
		t->pid = a[OAE_TASK_ARG_PID];
		t->state = OAE_TASK_OUT;
	}
	t->weight = (oae_u32)a[OAE_TASK_ARG_WEIGHT];
	t->cpus = a[OAE_TASK_ARG_CPUS];
	t->version = a[OAE_TASK_ARG_VERSION];
	if (t->state == OAE_TASK_QUEUED)
		return;			/* attributes changed, place kept */
	if (t->state == OAE_TASK_STAGED)
		st->stats.superseded++;
	t->key = st->cls->place(st, t, known);
	t->state = OAE_TASK_QUEUED;
	t->link = 0;
}

static inline void oae_sched_gone(struct oae_sched_state *st,
				  const oae_u64 a[OAE_EVENT_ARGS])
{
	struct oae_sched_task *t = oae_sched_find(st, a[OAE_TASK_ARG_PID]);

	if (!t || a[OAE_TASK_GONE_ARG_VERSION] <= t->version) {
		st->stats.stale_events++;
		return;
	}
	t->version = a[OAE_TASK_GONE_ARG_VERSION];
	if (t->state == OAE_TASK_STAGED)
		st->stats.superseded++;
	t->state = OAE_TASK_OUT;
	t->link = 0;
}

static inline void oae_sched_event(void *ctx, const struct oae_policy_env *env,
				   oae_u32 type, oae_u32 link,
				   const oae_u64 args[OAE_EVENT_ARGS])
{
	struct oae_sched_state *st = ctx;

	(void)link;
	oae_spin_lock(&st->lock, env->locks);
	if (type == OAE_EV_TASK_RUNNABLE && oae_sched_runnable_ok(args))
		oae_sched_runnable(st, args);
	else if (type == OAE_EV_TASK_GONE && oae_sched_gone_ok(args))
		oae_sched_gone(st, args);
	else
		st->stats.bad_events++;
	oae_spin_unlock(&st->lock);
}

static inline enum oae_answer_status
oae_sched_answer(void *ctx, const struct oae_policy_env *env, oae_u32 link,
		 const struct oae_offer *o, oae_u64 answer[OAE_ANSWER_WORDS])
{
	struct oae_sched_state *st = ctx;
	struct oae_sched_task *best = (void *)0, *t;
	enum oae_answer_status ret = OAE_ANSWER_EMPTY;
	oae_u64 cpu = o->payload[OAE_PICK_OFFER_CPU];
	oae_u32 i;

	for (i = 0; i < OAE_ANSWER_WORDS; i++)
		answer[i] = 0;
	oae_spin_lock(&st->lock, env->locks);
	if (link >= OAE_MAX_LINKS || st->stage[link].staged ||
	    !oae_sched_offer_ok(o)) {
		st->stats.bad_offers++;
		ret = OAE_ANSWER_REFUSED;
		goto out;
	}
	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++) {
		t = &st->task[i];
		if (t->state == OAE_TASK_QUEUED && (t->cpus >> cpu & 1) &&
		    (!best || t->key < best->key))
			best = t;
	}
	if (!best)
		goto out;
	best->state = OAE_TASK_STAGED;
	best->link = link;
	st->stage[link] = (struct oae_sched_stage){
		.pid = best->pid, .version = best->version,
		.slot = (oae_u32)(best - st->task), .staged = 1 };
	answer[OAE_PICK_ANSWER_PID] = best->pid;
	answer[OAE_PICK_ANSWER_VERSION] = best->version;
	answer[OAE_PICK_ANSWER_SLICE_NS] = st->slice_ns;
	ret = OAE_ANSWER_OK;
out:
	oae_spin_unlock(&st->lock);
	return ret;
}

/*
 * The entry link @link staged, if no custody event superseded it: then
 * *@same says whether the task is still in the table at all (for charge).
 */
static inline struct oae_sched_task *
oae_sched_staged(struct oae_sched_state *st, oae_u32 link, int *same)
{
	struct oae_sched_stage *s = &st->stage[link];
	struct oae_sched_task *t = &st->task[s->slot];

	*same = t->state != OAE_TASK_FREE && t->pid == s->pid;
	if (*same && t->state == OAE_TASK_STAGED && t->link == link &&
	    t->version == s->version)
		return t;
	st->stats.superseded++;
	return (void *)0;
}

static inline enum oae_settle_report
oae_sched_settle(struct oae_sched_state *st, const struct oae_policy_env *env,
		 oae_u32 link, int commit)
{
	struct oae_sched_task *t;
	int same;

	if (link >= OAE_MAX_LINKS)
		return OAE_SETTLE_NOT_STAGED;
	oae_spin_lock(&st->lock, env->locks);
	if (!st->stage[link].staged ||
	    st->stage[link].slot >= OAE_SCHED_MAX_TASKS) {
		oae_spin_unlock(&st->lock);
		return OAE_SETTLE_NOT_STAGED;
	}
	t = oae_sched_staged(st, link, &same);
	if (t) {
		t->state = commit ? OAE_TASK_OUT : OAE_TASK_QUEUED;
		t->link = 0;
	}
	if (commit && same)		/* it ran, whatever came since */
		st->cls->charge(st, &st->task[st->stage[link].slot]);
	st->stage[link] = (struct oae_sched_stage){ 0 };
	oae_spin_unlock(&st->lock);
	return OAE_SETTLE_OK;
}

static inline enum oae_settle_report
oae_sched_commit(void *ctx, const struct oae_policy_env *env, oae_u32 link)
{
	return oae_sched_settle(ctx, env, link, 1);
}

static inline enum oae_settle_report
oae_sched_abort(void *ctx, const struct oae_policy_env *env, oae_u32 link)
{
	return oae_sched_settle(ctx, env, link, 0);
}

/* Make @pol a copy of @tmpl over fresh @st, @tab (slice 0: the default). */
static inline void oae_sched_policy_init(struct oae_ipu_policy *pol,
					 const struct oae_ipu_policy *tmpl,
					 struct oae_sched_state *st,
					 struct oae_sched_tables *tab,
					 oae_u64 slice_ns)
{
	const struct oae_sched_state *reg = tmpl->ctx;
	oae_u32 i;

	*pol = *tmpl;
	pol->ctx = st;
	*st = (struct oae_sched_state){
		.lock = OAE_SPINLOCK_INIT, .cls = reg->cls,
		.slice_ns = slice_ns ? slice_ns : OAE_SCHED_SLICE_NS,
		.default_slice_ns = slice_ns ? slice_ns : OAE_SCHED_SLICE_NS,
		.task = tab->task, .stage = tab->stage };
	for (i = 0; i < OAE_SCHED_MAX_TASKS; i++)
		st->task[i] = (struct oae_sched_task){ 0 };
	for (i = 0; i < OAE_MAX_LINKS; i++)
		st->stage[i] = (struct oae_sched_stage){ 0 };
}

/* The callbacks of every scheduling policy; .name etc. are its own. */
#define OAE_SCHED_CALLBACKS				\
	.role = OAE_ROLE_SCHED,				\
	.start = oae_sched_start,			\
	.event = oae_sched_event,			\
	.answer = oae_sched_answer,			\
	.commit = oae_sched_commit,			\
	.abort = oae_sched_abort,			\
	.set_slice = oae_sched_set_slice

/* The registered instances, and private ones for tests (slice 0: default). */
extern const struct oae_ipu_policy oae_sched_vtime_policy;
extern const struct oae_ipu_policy oae_sched_fifo_policy;
void oae_sched_vtime_init(struct oae_ipu_policy *pol,
			  struct oae_sched_state *st,
			  struct oae_sched_tables *tab, oae_u64 slice_ns);
void oae_sched_fifo_init(struct oae_ipu_policy *pol,
			 struct oae_sched_state *st,
			 struct oae_sched_tables *tab, oae_u64 slice_ns);

#endif /* _OAE_POLICY_SCHED_POLICY_H */
