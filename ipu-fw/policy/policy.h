/* SPDX-License-Identifier: GPL-2.0 OR MIT */
/*
 * The IPU policy interface (Documentation/policy.rst).
 *
 * A policy owns one role: the test role (OAE_OP_ECHO, OAE_EV_TEST), the
 * scheduling role (OAE_OP_SCHED_PICK, task events) or the memory role
 * (OAE_OP_MEM_FAULT, page events). The runtime routes every offer and
 * every custody event by its type to the policy active in that role, so a
 * scheduling and a memory policy run side by side; each is chosen by name
 * from the registry (registry.c) at run time.
 *
 * Concurrency: callbacks run on whichever core serves the link (answer,
 * commit, abort) or consumes the ring (event), with no runtime lock held.
 * A policy locks its own shared state, with oae_spin_lock(..., env->locks)
 * so the calling core's counters see it, and says in its header how.
 *
 * Staging: the policy owns it. answer() records, in storage of its own of
 * whatever size it needs (an undo log, a reserved object), how to restore
 * its state; commit() forgets that record, abort() replays it. The
 * runtime guarantees at most one staged swap per link, so per-link storage
 * indexed by @link is enough.
 *
 * The interleaving rule (S2 with many links): aborting link L's swap
 * undoes exactly what that swap staged and nothing that another link
 * staged or committed meanwhile. Reservations (taking an object out of
 * shared state until the outcome) satisfy it by construction; an undo log
 * restores a word only if it still holds the value this swap wrote
 * (struct oae_undo_log). The resulting state is the one in which L's
 * swap was never answered.
 */
#ifndef _OAE_POLICY_H
#define _OAE_POLICY_H

#include "proto.h"
#include "oae_lock.h"

enum oae_policy_role {
	OAE_ROLE_TEST	= 0,	/* OAE_OP_ECHO, OAE_EV_TEST */
	OAE_ROLE_SCHED	= 1,	/* OAE_OP_SCHED_PICK, OAE_EV_TASK_* */
	OAE_ROLE_MEM	= 2,	/* OAE_OP_MEM_FAULT, OAE_EV_PAGE_* */
	OAE_NR_ROLES	= 3,
};

/* The role that answers @op; -1 for an op no role answers. */
static inline int oae_role_of_op(oae_u32 op)
{
	switch (op) {
	case OAE_OP_ECHO:
		return OAE_ROLE_TEST;
	case OAE_OP_SCHED_PICK:
		return OAE_ROLE_SCHED;
	case OAE_OP_MEM_FAULT:
		return OAE_ROLE_MEM;
	}
	return -1;
}

/* The role that consumes custody event @type; -1 if none. */
static inline int oae_role_of_event(oae_u32 type)
{
	switch (type) {
	case OAE_EV_TEST:
		return OAE_ROLE_TEST;
	case OAE_EV_TASK_RUNNABLE:
	case OAE_EV_TASK_GONE:
		return OAE_ROLE_SCHED;
	case OAE_EV_PAGE_ADD:
	case OAE_EV_PAGE_FREE:
	case OAE_EV_PAGE_ACCESS:
		return OAE_ROLE_MEM;
	}
	return -1;
}

/* "test", "sched", "mem". */
const char *oae_role_name(enum oae_policy_role role);

/* What every callback learns about the call. */
struct oae_policy_env {
	oae_u32 core;			/* the calling core's id */
	oae_u64 now_ns;			/* IPU clock; 0 when there is none */
	struct oae_lock_stats *locks;	/* the calling core's lock counters */
};

/*
 * What commit() and abort() report. Nonzero reports are counted per core
 * (status line word OAE_CORE_STATUS_SETTLE_REPORTS) and never stop the
 * link: the host already enforced, or not, what it decided.
 */
enum oae_settle_report {
	OAE_SETTLE_OK		= 0,
	OAE_SETTLE_NOT_STAGED	= 1,	/* nothing staged on that link */
	OAE_SETTLE_INCONSISTENT	= 2,	/* policy state failed its own check */
};

struct oae_ipu_policy {
	const char *name;
	const char *summary;		/* one line, for --help */
	enum oae_policy_role role;
	/*
	 * Role sched: the enum oae_sched_policy_id the host asks for it by
	 * (host header sched_policy), and publishes as ipu_sched_policy; 0
	 * for a policy the host cannot name.
	 */
	oae_u32 abi_id;
	oae_u64 tick_ns;		/* tick() period wanted; 0 never */
	void *ctx;

	/* New epoch: forget everything, serve @nr_links links. */
	void (*start)(void *ctx, const struct oae_policy_env *env,
		      oae_u32 nr_links);
	void (*event)(void *ctx, const struct oae_policy_env *env,
		      oae_u32 type, oae_u32 link,
		      const oae_u64 args[OAE_EVENT_ARGS]);
	/* Answer against exactly @o and stage; OAE_ANSWER_OK means staged. */
	enum oae_answer_status (*answer)(void *ctx,
					 const struct oae_policy_env *env,
					 oae_u32 link, const struct oae_offer *o,
					 oae_u64 answer[OAE_ANSWER_WORDS]);
	enum oae_settle_report (*commit)(void *ctx,
					 const struct oae_policy_env *env,
					 oae_u32 link);
	enum oae_settle_report (*abort)(void *ctx,
					const struct oae_policy_env *env,
					oae_u32 link);
	/* Optional: called about every tick_ns by one core. */
	void (*tick)(void *ctx, const struct oae_policy_env *env);
	/*
	 * Optional: the slice to serve in the epoch about to start, in ns
	 * (0: the instance's own default; otherwise the runtime checked it
	 * is within OAE_SCHED_SLICE_MIN_NS..MAX_NS). Called by one core
	 * right before start(), with no swap staged anywhere; returns the
	 * slice now served.
	 */
	oae_u64 (*set_slice)(void *ctx, const struct oae_policy_env *env,
			     oae_u64 slice_ns);
};

/* The registry (registry.c): every policy that can be chosen by name. */
unsigned int oae_policy_count(void);
const struct oae_ipu_policy *oae_policy_at(unsigned int i);
/* The registered policy called @name, or NULL. */
const struct oae_ipu_policy *oae_policy_find(const char *name);
/* The registered policy of @role the host names @abi_id, or NULL. */
const struct oae_ipu_policy *oae_policy_find_abi(enum oae_policy_role role,
						 oae_u32 abi_id);

#endif /* _OAE_POLICY_H */
