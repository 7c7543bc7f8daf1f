/* SPDX-License-Identifier: GPL-2.0 WITH Linux-syscall-note */
/*
 * oae_ipu.ko scheduling kfuncs: the contract between the module and a
 * sched_ext BPF policy (tools/sched_ext/scx_oae.bpf.c). The BPF side
 * declares the kfuncs itself (extern ... __ksym); this header gives the
 * types and codes both sides share. Full contract:
 * Documentation/scx_oae.rst.
 *
 * The kfuncs act on the first bound IPU (oae0), for the CPU they are
 * called on, and only from sched_ext operations that run under the rq
 * lock with interrupts off (enqueue, dispatch, running, stopping,
 * quiescent, tick): anywhere else they return -EPERM and change nothing.
 * They never sleep, wake tasks or print. Every argument is checked: BPF is
 * an untrusted caller too.
 *
 *   s32 oae_sched_runnable(struct task_struct *p)
 *	p became runnable and waits for a CPU: hand it to the IPU's custody
 *	(pid, weight from p->scx.weight, allowed CPUs 0..63, a new custody
 *	version). 0: in custody, the IPU decides when it runs. Otherwise
 *	the caller runs it locally: -ENODEV the IPU is not up (or this CPU
 *	has no link to it); -ENOSPC the
 *	custody table or the event ring is full; -ERANGE the IPU cannot
 *	place p (pid too large, or no allowed CPU among 0..63).
 *   s32 oae_sched_gone(struct task_struct *p)
 *	p left custody (it runs, or left the run queue). 0 posted; -ENOENT
 *	it was not in custody (nothing to do); -ENODEV the IPU is not up
 *	or the event could not be posted (custody is dropped all the same).
 *   s32 oae_sched_pick_offer(void)
 *	Split phase, first half: ask the IPU which task this CPU runs next.
 *	Call it as early as it is useful (slice nearly used, CPU about to
 *	go idle). 0 offered; -EALREADY a pick is already open on this CPU
 *	(a committed pick stays open until oae_sched_pick_enforced());
 *	-ENODEV the IPU is not up (decide locally); -EBUSY the CPU's link
 *	is busy.
 *   s32 oae_sched_pick_complete(u64 budget_ns, struct oae_sched_pick *pick)
 *	Second half, from dispatch: wait at most budget_ns (0: only look;
 *	at most OAE_SCHED_BUDGET_MAX_NS) for the answer. 0: *pick names the
 *	task; commit or abort next. -ETIMEDOUT withdrawn (counted as
 *	withdrawn, never stale): decide locally. -ENOENT the IPU has no
 *	task for this CPU (swap over). -ENODEV the IPU is not up or the
 *	epoch changed (withdrawn): decide locally. -EPROTO malformed
 *	answer (aborted, counted). -EINVAL no pick open, or bad budget.
 *   s32 oae_sched_pick_commit(struct task_struct *p)
 *	Commit-time check (S1) of the answered pick against p, the task
 *	the caller found under its DSQ lock: p must be the answer's pid,
 *	still in custody with the answer's version, allowed on this CPU
 *	and not migration-disabled on another CPU. 0: committed, enforce
 *	now (dispatch p to this CPU). Otherwise the swap is aborted with
 *	the reason in parentheses and nothing may be enforced: -ESTALE
 *	(STALE_OBJECT), -EACCES (AFFINITY), -EXDEV (PINNED), -ENODEV the
 *	epoch changed, -EINVAL no answered pick open.
 *   s32 oae_sched_pick_abort(u32 reason)
 *	Abort the answered pick with an enum oae_abort_reason the caller
 *	found (OAE_ABORT_NOT_QUEUED: the answer's task is in custody but
 *	not in the DSQ). Before the answer only OAE_ABORT_WITHDRAWN is
 *	accepted. 0 (also when an epoch change already ended the pick), or
 *	-EINVAL.
 *   s32 oae_sched_pick_enforced(struct task_struct *p, u32 outcome)
 *	Report what became of a committed pick (enum oae_sched_outcome).
 *	The module re-checks p's custody: a dispatched task whose custody
 *	changed since the commit counts as stale (must stay 0), except
 *	that p leaving custody on this CPU after the commit
 *	(oae_sched_gone(p) once it runs) is expected. 0, or -EINVAL (no
 *	committed pick, or a bad outcome).
 */
#ifndef _UAPI_LINUX_OAE_SCHED_H
#define _UAPI_LINUX_OAE_SCHED_H

#ifndef __VMLINUX_H__
#include <linux/types.h>
#endif

/* Largest dispatch budget a caller may ask for: dispatch holds the rq lock. */
#define OAE_SCHED_BUDGET_MAX_NS		100000ULL	/* 100 us */

/* What oae_sched_pick_complete() returns in *pick. */
struct oae_sched_pick {
	__s32 pid;		/* the task to run */
	__u32 reserved;		/* zero */
	__u64 version;		/* its custody version */
	__u64 slice_ns;		/* how long it may run */
	__u64 rtt_ns;		/* offer to answer seen */
};

/* oae_sched_pick_enforced() outcome. */
enum oae_sched_outcome {
	OAE_SCHED_DISPATCHED	= 0,	/* p was moved to this CPU */
	OAE_SCHED_LOST_RACE	= 1,	/* p left the DSQ first: nothing done */
	OAE_SCHED_OUTCOME_MAX	= OAE_SCHED_LOST_RACE,
};

#endif /* _UAPI_LINUX_OAE_SCHED_H */
