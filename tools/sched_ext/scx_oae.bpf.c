// SPDX-License-Identifier: GPL-2.0
/*
 * scx_oae: sched_ext policy whose decisions are made on the IPU.
 *
 * Tasks the IPU can serve are handed to its custody on enqueue
 * (oae_sched_runnable()) and wait in CUSTODY_DSQ. A CPU that needs a task
 * offers a pick early (split phase: when the running task's slice nears its
 * end or it stops), and dispatch completes the swap within a small budget:
 * the IPU's answer is checked at commit time against the task found in
 * CUSTODY_DSQ (oae_sched_pick_commit()) and only then enforced. Whenever
 * the IPU is down, late, or its answer aborts, the CPU decides locally with
 * a vtime policy over the same queue, so no task depends on the IPU to run.
 *
 * Never offered, decided here (LOCAL_DSQ or the CPU's local DSQ): per-CPU
 * kthreads, the kthreads reclaim and compaction depend on, tasks inside
 * migrate_disable(), and whatever the IPU refuses.
 *
 * --mode local runs the same program without ever offering: a local vtime
 * sched_ext policy, the baseline the offload is measured against.
 */
#include <scx/common.bpf.h>
#include <linux/oae_sched.h>
/*
 * link.h picks its integer types by __KERNEL__; in BPF vmlinux.h has the
 * kernel's, so take that branch (only the enums are used here).
 */
#define __KERNEL__
#include <oae/link.h>
#undef __KERNEL__
#include "scx_oae.h"

char _license[] SEC("license") = "GPL";

/* The contract: uapi/linux/oae_sched.h. */
s32 oae_sched_runnable(struct task_struct *p) __ksym;
s32 oae_sched_gone(struct task_struct *p) __ksym;
s32 oae_sched_pick_offer(void) __ksym;
s32 oae_sched_pick_complete(u64 budget_ns, struct oae_sched_pick *pick) __ksym;
s32 oae_sched_pick_commit(struct task_struct *p) __ksym;
s32 oae_sched_pick_abort(u32 reason) __ksym;
s32 oae_sched_pick_enforced(struct task_struct *p, u32 outcome) __ksym;

/* Set by the loader before load. */
const volatile u32 mode = SCX_OAE_MODE_BILATERAL;
const volatile u64 slice_ns = SCX_OAE_SLICE_DFL_NS;
const volatile u64 budget_ns = SCX_OAE_BUDGET_DFL_NS;

/*
 * Offer the next pick once the running task has less than about one tick
 * (HZ=250 on the test kernel) left: the next tick may end its slice.
 */
#define OFFER_AHEAD_NS	4000000ULL
/*
 * A task in the IPU's custody that has waited this long while a CPU the IPU
 * says has nothing to run asks: the IPU forgot it (a bug or a lie). Run it
 * here rather than leave it to the sched_ext watchdog (30 s). Far above
 * what a healthy IPU takes: an answered pick holds its task for at most
 * one slice plus a tick before its CPU commits or aborts.
 */
#define OVERDUE_NS	200000000ULL
/* Custody tasks looked at for an overdue one, from the head. */
#define OVERDUE_SCAN	8
/*
 * An IPU that keeps answering with other tasks can starve one deep in
 * the queue as surely as one that forgets it: each CPU also looks at the
 * whole custody queue for overdue tasks, this often.
 */
#define OVERDUE_SWEEP_NS	(OVERDUE_NS / 4)
/*
 * Tasks a sweep looks at: the verifier walks the loop once per count,
 * so far fewer than the 1024 custody can hold.
 */
#define OVERDUE_SWEEP_MAX	64

/* Answers with absurd slices are clamped (sched_slice_us max is 1 s). */
#define PICK_SLICE_MAX_NS	1000000000ULL

static u64 vtime_now;
UEI_DEFINE(uei);

/* What the last NOT_QUEUED pick named (shown by scx_oae -v). */
s32 not_queued_pid;
s32 not_queued_exists;	/* 1 the task exists, 0 it does not */
u32 not_queued_flags;	/* its p->scx.flags */
u64 not_queued_dsq;	/* the DSQ it sits on, ~0 none */
s32 not_queued_cpu;

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct scx_oae_stats);
} stats SEC(".maps");

struct task_ctx {
	u64 run_start_ns;	/* last started running: vtime by wall time */
	u64 enqueued_ns;	/* last entered a DSQ: overdue custody */
	bool in_custody;	/* handed to the IPU, not yet taken back */
};

struct {
	__uint(type, BPF_MAP_TYPE_TASK_STORAGE);
	__uint(map_flags, BPF_F_NO_PREALLOC);
	__type(key, int);
	__type(value, struct task_ctx);
} task_ctxs SEC(".maps");

/*
 * Per CPU: a pick is open on this CPU's link (offered, not completed).
 * Only touched on its own CPU under its rq lock.
 */
struct cpu_ctx {
	bool pick_open;
	u64 overdue_sweep_ns;	/* last whole-queue look for overdue tasks */
};

struct {
	__uint(type, BPF_MAP_TYPE_PERCPU_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct cpu_ctx);
} cpu_ctxs SEC(".maps");

static struct cpu_ctx *my_cpu_ctx(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&cpu_ctxs, &zero);
}

/*
 * Hand @p (its storage @tctx, may be NULL) to the IPU's custody; 0 if it
 * took it. Remembered per task so that taking it back costs nothing for
 * the many tasks never handed over: every context switch calls
 * custody_take_back(), and the module's custody table has one lock.
 */
static s32 custody_hand_over(struct task_struct *p, struct task_ctx *tctx)
{
	s32 ret = oae_sched_runnable(p);

	if (!ret && tctx)
		tctx->in_custody = true;
	return ret;
}

static void custody_take_back(struct task_struct *p)
{
	struct task_ctx *tctx = bpf_task_storage_get(&task_ctxs, p, 0, 0);

	if (tctx && !tctx->in_custody)
		return;
	oae_sched_gone(p);	/* -ENOENT if the module dropped it already */
	if (tctx)
		tctx->in_custody = false;
}

struct kick_timer {
	struct bpf_timer timer;
};

struct {
	__uint(type, BPF_MAP_TYPE_ARRAY);
	__uint(max_entries, 1);
	__type(key, u32);
	__type(value, struct kick_timer);
} kick_timers SEC(".maps");

static struct scx_oae_stats *my_stats(void)
{
	u32 zero = 0;

	return bpf_map_lookup_elem(&stats, &zero);
}

static void stat_add(u32 idx, u64 n)
{
	struct scx_oae_stats *s = my_stats();

	if (s && idx < OAE_NR_STATS)
		s->cnt[idx] += n;
}

static void stat_inc(u32 idx)
{
	stat_add(idx, 1);
}

static void stat_abort(u32 reason)
{
	if (reason < OAE_NR_ABORT_SLOTS)
		stat_inc(OAE_STAT_ABORT_BASE + reason);
}

static u32 msb_u64(u64 v)
{
	u32 r = 0;

	if (v >> 32) { v >>= 32; r += 32; }
	if (v >> 16) { v >>= 16; r += 16; }
	if (v >> 8) { v >>= 8; r += 8; }
	if (v >> 4) { v >>= 4; r += 4; }
	if (v >> 2) { v >>= 2; r += 2; }
	if (v >> 1) r += 1;
	return r;
}

/* Log-linear bucket; lat_bucket_low() in scx_oae.h is its inverse. */
static void stat_latency(u64 ns)
{
	struct scx_oae_stats *s = my_stats();
	u32 idx, msb;

	if (!s)
		return;
	if (ns < LAT_SUB) {
		idx = ns;
	} else {
		msb = msb_u64(ns);
		idx = (msb - LAT_SUB_BITS + 1) * LAT_SUB +
		      ((ns >> (msb - LAT_SUB_BITS)) & (LAT_SUB - 1));
	}
	if (idx >= LAT_BUCKETS)
		idx = LAT_BUCKETS - 1;
	s->lat[idx]++;
}

static bool vtime_before(u64 a, u64 b)
{
	return (s64)(a - b) < 0;
}

static bool bilateral(void)
{
	return mode == SCX_OAE_MODE_BILATERAL;
}

static __always_inline bool comm_is(const struct task_struct *p,
				    const char *prefix, int len)
{
	int i;

#pragma unroll
	for (i = 0; i < len; i++)
		if (p->comm[i] != prefix[i])
			return false;
	return true;
}

/*
 * Is @p inside migrate_disable()? A BPF program runs migrate_disable()d
 * itself, so when @p is the current task (enqueue of a preempted task)
 * one level is ours, not the task's: counting it sent every preempted
 * task to LOCAL_DSQ and past the IPU.
 */
static bool migration_disabled(const struct task_struct *p)
{
	if (p->pid == (u32)bpf_get_current_pid_tgid())
		return p->migration_disabled > 1;
	return p->migration_disabled;
}

/* Must run on this CPU whatever anyone decides: per-CPU kthreads. */
static bool percpu_kthread(const struct task_struct *p)
{
	return (p->flags & PF_KTHREAD) && p->nr_cpus_allowed == 1;
}

/*
 * Memory reclaim and compaction must progress even when the decider
 * cannot (the user-space schedulers deadlocked on these): never offered.
 */
static bool reclaim_kthread(const struct task_struct *p)
{
	if (!(p->flags & PF_KTHREAD))
		return false;
	return comm_is(p, "kswapd", 6) || comm_is(p, "kcompactd", 9) ||
	       comm_is(p, "khugepaged", 10);
}

/*
 * Decided here, in LOCAL_DSQ: reclaim kthreads, and a task preempted
 * inside migrate_disable(), which only its own CPU may run (consume skips
 * it elsewhere; an IPU pick for another CPU could only abort as PINNED).
 * It must still wait its vtime turn: sending it straight to the local DSQ
 * let a task preempted in sched_setaffinity() over and over run ahead of
 * everyone on its CPU until the watchdog fired.
 */
static bool never_offered(const struct task_struct *p)
{
	return reclaim_kthread(p) || migration_disabled(p);
}

/* Wake an idle CPU so a queued task does not wait for a busy one. */
static void kick_idle_cpu(const struct cpumask *allowed)
{
	s32 cpu = scx_bpf_pick_idle_cpu(allowed, 0);

	if (cpu >= 0) {
		scx_bpf_kick_cpu(cpu, SCX_KICK_IDLE);
		stat_inc(OAE_STAT_KICKS);
	}
}

s32 BPF_STRUCT_OPS(oae_select_cpu, struct task_struct *p, s32 prev_cpu,
		   u64 wake_flags)
{
	bool is_idle = false;

	/*
	 * Only a placement hint: no direct dispatch, so every waking task
	 * goes through enqueue and (in bilateral mode) the IPU's custody.
	 */
	return scx_bpf_select_cpu_dfl(p, prev_cpu, wake_flags, &is_idle);
}

/* kernel/sched/sched.h: the enqueue half of a save/restore cycle. */
#define ENQUEUE_RESTORE	0x02

/*
 * A fresh slice only for a wakeup or a used-up slice. A task re-enqueued
 * with slice left keeps the rest, and the running task put back by a
 * save/restore cycle (its affinity or priority changed under it) keeps
 * exactly what it has, even nothing (0: scx_bpf_dispatch*() keep it):
 * otherwise a task whose attributes change faster than a tick could have
 * its used-up slice refilled before the tick sees it end, and never yield.
 */
static u64 enqueue_slice(const struct task_struct *p, u64 enq_flags)
{
	if ((enq_flags & ENQUEUE_RESTORE) && scx_bpf_task_running(p))
		return 0;
	if (!(enq_flags & SCX_ENQ_WAKEUP) && p->scx.slice)
		return p->scx.slice;
	return slice_ns;
}

void BPF_STRUCT_OPS(oae_enqueue, struct task_struct *p, u64 enq_flags)
{
	u64 slice = enqueue_slice(p, enq_flags);
	u64 vtime = p->scx.dsq_vtime;
	struct task_ctx *tctx;
	u64 dsq = LOCAL_DSQ;
	s32 ret;

	if (percpu_kthread(p)) {
		stat_inc(OAE_STAT_LOCAL_ONLY);
		scx_bpf_dispatch(p, SCX_DSQ_LOCAL, slice, enq_flags);
		return;
	}

	/*
	 * A waking sleeper gets at most one slice of credit. Only a wakeup:
	 * a preempted task keeps its vtime, or the lag its weight earned
	 * (a nice 5 task falls behind a nice 0 one) would be wiped out.
	 */
	if ((enq_flags & SCX_ENQ_WAKEUP) &&
	    vtime_before(vtime, vtime_now - slice_ns))
		vtime = vtime_now - slice_ns;

	tctx = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	if (tctx)
		tctx->enqueued_ns = bpf_ktime_get_ns();

	if (bilateral() && !never_offered(p)) {
		ret = custody_hand_over(p, tctx);
		if (ret == 0) {
			dsq = CUSTODY_DSQ;
			stat_inc(OAE_STAT_CUSTODY);
		} else {
			stat_inc(OAE_STAT_REFUSED);
		}
	}
	scx_bpf_dispatch_vtime(p, dsq, slice, vtime, enq_flags);

	/* A wakeup's target CPU was chosen (and woken) by select_cpu. */
	if (!(enq_flags & SCX_ENQ_WAKEUP))
		kick_idle_cpu(p->cpus_ptr);
}

static bool runnable_on_cpu(const struct task_struct *p)
{
	return p && (p->scx.flags & SCX_TASK_QUEUED);
}

/*
 * Open a pick for this CPU unless one is open already. @cur, the task
 * running here, still runnable, competes in the pick: it is handed to
 * the IPU's custody first, so the IPU weighs it against the queued tasks
 * (otherwise two tasks on one CPU simply alternate, whatever their
 * weights). If the IPU picks it, it keeps the CPU.
 */
static s32 offer_pick(struct task_struct *cur)
{
	struct cpu_ctx *cctx = my_cpu_ctx();
	s32 ret;

	if (cctx && cctx->pick_open)
		return 0;
	if (runnable_on_cpu(cur) && !percpu_kthread(cur) &&
	    !never_offered(cur) &&
	    !custody_hand_over(cur, bpf_task_storage_get(&task_ctxs, cur,
							 0, 0)))
		stat_inc(OAE_STAT_CUSTODY);
	ret = oae_sched_pick_offer();
	if (ret == 0)
		stat_inc(OAE_STAT_OFFERS);
	else if (ret != -EALREADY)
		stat_inc(OAE_STAT_OFFER_ERRORS);
	if (cctx)
		cctx->pick_open = ret == 0 || ret == -EALREADY;
	return ret == -EALREADY ? 0 : ret;
}

static void pick_closed(void)
{
	struct cpu_ctx *cctx = my_cpu_ctx();

	if (cctx)
		cctx->pick_open = false;
}

/* vtime of @p now, counting the run it is in the middle of. */
static u64 vtime_so_far(struct task_struct *p)
{
	struct task_ctx *tctx = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	u64 weight = p->scx.weight ?: 1;

	if (!tctx || !tctx->run_start_ns)
		return p->scx.dsq_vtime;
	return p->scx.dsq_vtime +
	       (bpf_ktime_get_ns() - tctx->run_start_ns) * 100 / weight;
}

/* vtime of the first task in @dsq; false when it is empty. */
static bool dsq_head_vtime(u64 dsq, u64 *vtime)
{
	struct task_struct *p;

	bpf_for_each(scx_dsq, p, dsq, 0) {
		*vtime = p->scx.dsq_vtime;
		return true;
	}
	return false;
}

/*
 * Local vtime: does the runnable @prev come before @dsq's head? prev is
 * in no DSQ while dispatch runs, so it is compared by hand.
 */
static bool prev_due_first(struct task_struct *prev, u64 dsq)
{
	u64 head;

	if (!runnable_on_cpu(prev))
		return false;
	if (!dsq_head_vtime(dsq, &head))
		return false;	/* nothing queued: prev goes on anyway */
	return !vtime_before(head, vtime_so_far(prev));
}

/* The local vtime policy over the IPU's queue; cause: OAE_STAT_LOCAL_*. */
static bool decide_locally(u32 cause, struct task_struct *prev)
{
	if (prev_due_first(prev, CUSTODY_DSQ) || !scx_bpf_consume(CUSTODY_DSQ))
		return false;
	stat_inc(cause);
	stat_inc(OAE_STAT_FALLBACK);
	return true;
}

/*
 * IPU and local policy both have nothing: let a runnable prev go on. Its
 * slice is refilled here rather than left to SCX_OPS_ENQ_LAST semantics,
 * which changed across kernels.
 */
static bool keep_prev(struct task_struct *prev)
{
	if (!runnable_on_cpu(prev))
		return false;
	/* It may have entered custody to compete in a pick: it runs now. */
	if (bilateral())
		custody_take_back(prev);
	prev->scx.slice = slice_ns;
	stat_inc(OAE_STAT_LOCAL_PREV_KEPT);
	return true;
}

static u32 commit_error_to_reason(s32 ret)
{
	switch (ret) {
	case -ESTALE:
		return OAE_ABORT_STALE_OBJECT;
	case -EACCES:
		return OAE_ABORT_AFFINITY;
	case -EXDEV:
		return OAE_ABORT_PINNED;
	default:
		return OAE_ABORT_NONE;
	}
}

static void note_not_queued(s32 pid)
{
	struct task_struct *p = bpf_task_from_pid(pid);

	not_queued_pid = pid;
	not_queued_exists = !!p;
	if (!p)
		return;
	not_queued_flags = p->scx.flags;
	not_queued_dsq = p->scx.dsq ? p->scx.dsq->id : ~0ULL;
	not_queued_cpu = scx_bpf_task_cpu(p);
	bpf_task_release(p);
}

enum enforce_result {
	ENFORCED,	/* the IPU's task is now this CPU's */
	NOT_ENFORCED,	/* aborted, lost, or not found: decide locally */
	EPOCH_GONE,	/* the IPU went away under us: decide locally */
};

/*
 * Find the answered task in CUSTODY_DSQ and enforce it if the commit-time
 * check passes. The DSQ iterator gives the task under the DSQ's own
 * protection, so what commit checks is what gets moved.
 */
static enum enforce_result enforce_pick(const struct oae_sched_pick *pick,
					struct task_struct *prev)
{
	struct task_struct *p;
	u64 slice = pick->slice_ns;
	bool found = false;
	u32 scanned = 0;
	s32 ret = 0;

	if (!slice)
		slice = slice_ns;
	if (slice > PICK_SLICE_MAX_NS)
		slice = PICK_SLICE_MAX_NS;

	/* The IPU chose the task running here: it keeps the CPU. */
	if (runnable_on_cpu(prev) && prev->pid == pick->pid) {
		ret = oae_sched_pick_commit(prev);
		if (ret == -ENODEV)
			return EPOCH_GONE;
		if (ret) {
			stat_abort(commit_error_to_reason(ret));
			return NOT_ENFORCED;
		}
		prev->scx.slice = slice;
		if (oae_sched_pick_enforced(prev, OAE_SCHED_DISPATCHED))
			stat_inc(OAE_STAT_ENFORCE_ERRORS);
		custody_take_back(prev);	/* it runs on: out of custody */
		stat_inc(OAE_STAT_IPU_DECISIONS);
		return ENFORCED;
	}

	bpf_for_each(scx_dsq, p, CUSTODY_DSQ, 0) {
		if (++scanned > SCX_OAE_SCAN_MAX) {
			stat_inc(OAE_STAT_SCAN_LIMIT);
			break;
		}
		if (p->pid != pick->pid)
			continue;
		found = true;
		ret = oae_sched_pick_commit(p);
		if (ret)
			break;
		scx_bpf_dispatch_from_dsq_set_slice(BPF_FOR_EACH_ITER, slice);
		if (scx_bpf_dispatch_from_dsq(BPF_FOR_EACH_ITER, p,
					      SCX_DSQ_LOCAL, 0)) {
			if (oae_sched_pick_enforced(p, OAE_SCHED_DISPATCHED))
				stat_inc(OAE_STAT_ENFORCE_ERRORS);
			stat_inc(OAE_STAT_IPU_DECISIONS);
			return ENFORCED;
		}
		if (oae_sched_pick_enforced(p, OAE_SCHED_LOST_RACE))
			stat_inc(OAE_STAT_ENFORCE_ERRORS);
		stat_inc(OAE_STAT_LOST_RACE);
		return NOT_ENFORCED;
	}

	if (!found) {
		note_not_queued(pick->pid);
		oae_sched_pick_abort(OAE_ABORT_NOT_QUEUED);
		stat_abort(OAE_ABORT_NOT_QUEUED);
		return NOT_ENFORCED;
	}
	if (ret == -ENODEV)
		return EPOCH_GONE;
	/* -EINVAL (no answered pick open) has no abort reason: not counted */
	stat_abort(commit_error_to_reason(ret));
	return NOT_ENFORCED;
}

/*
 * Local tasks go first only when they are due: a queue that is never empty
 * (kworkers, yielding or migration-disabled tasks) must not starve the
 * IPU's custody, so the heads' vtimes decide, as if one queue.
 */
static bool local_due_first(void)
{
	u64 local_vtime, custody_vtime;

	if (!dsq_head_vtime(LOCAL_DSQ, &local_vtime))
		return false;
	if (!dsq_head_vtime(CUSTODY_DSQ, &custody_vtime))
		return true;
	return !vtime_before(custody_vtime, local_vtime);
}

/*
 * If a custody task this CPU may run has waited past OVERDUE_NS, run it
 * here: the IPU forgot it or keeps passing it over. Looks at the first
 * @scan tasks of the queue. Only a task allowed here and not
 * migration-disabled, so the move is legal.
 */
static bool rescue_overdue(s32 cpu, u32 scan)
{
	u64 now = bpf_ktime_get_ns();
	struct task_struct *p;
	struct task_ctx *tctx;
	u32 scanned = 0;

	bpf_for_each(scx_dsq, p, CUSTODY_DSQ, 0) {
		if (++scanned > scan)
			break;
		tctx = bpf_task_storage_get(&task_ctxs, p, 0, 0);
		if (!tctx || now - tctx->enqueued_ns < OVERDUE_NS)
			continue;
		if (migration_disabled(p) ||
		    !bpf_cpumask_test_cpu(cpu, p->cpus_ptr))
			continue;
		if (scx_bpf_dispatch_from_dsq(BPF_FOR_EACH_ITER, p,
					      SCX_DSQ_LOCAL, 0)) {
			stat_inc(OAE_STAT_LOCAL_OVERDUE);
			stat_inc(OAE_STAT_FALLBACK);
			return true;
		}
	}
	return false;
}

/* OVERDUE_SWEEP_MAX tasks deep, at most every OVERDUE_SWEEP_NS per CPU. */
static bool sweep_overdue(s32 cpu)
{
	struct cpu_ctx *cctx = my_cpu_ctx();
	u64 now = bpf_ktime_get_ns();

	if (!cctx || now - cctx->overdue_sweep_ns < OVERDUE_SWEEP_NS)
		return false;
	cctx->overdue_sweep_ns = now;
	return rescue_overdue(cpu, OVERDUE_SWEEP_MAX);
}

/* No pick from the IPU: its custody decided locally, else a local task. */
static void decide_all_locally(u32 cause, struct task_struct *prev)
{
	if (decide_locally(cause, prev))
		return;
	if (scx_bpf_consume(LOCAL_DSQ)) {
		stat_inc(OAE_STAT_LOCAL_ONLY);
		return;
	}
	keep_prev(prev);
}

void BPF_STRUCT_OPS(oae_dispatch, s32 cpu, struct task_struct *prev)
{
	struct oae_sched_pick pick = {};
	u64 started;
	s32 ret;

	if (!bilateral()) {
		if (prev_due_first(prev, LOCAL_DSQ)) {
			keep_prev(prev);
			return;
		}
		if (scx_bpf_consume(LOCAL_DSQ) || scx_bpf_consume(CUSTODY_DSQ))
			stat_inc(OAE_STAT_LOCAL_MODE);
		return;
	}

	if (local_due_first() && scx_bpf_consume(LOCAL_DSQ)) {
		stat_inc(OAE_STAT_LOCAL_ONLY);
		return;
	}
	if (sweep_overdue(cpu))
		return;

	ret = offer_pick(prev);
	if (ret) {
		decide_all_locally(ret == -ENODEV ? OAE_STAT_LOCAL_IPU_DOWN :
						    OAE_STAT_LOCAL_BUSY, prev);
		return;
	}

	started = bpf_ktime_get_ns();
	ret = oae_sched_pick_complete(budget_ns, &pick);
	stat_latency(bpf_ktime_get_ns() - started);
	pick_closed();	/* answered: committed or aborted below */

	switch (ret) {
	case 0:
		switch (enforce_pick(&pick, prev)) {
		case ENFORCED:
			return;
		case EPOCH_GONE:
			decide_all_locally(OAE_STAT_LOCAL_IPU_DOWN, prev);
			return;
		default:
			decide_all_locally(OAE_STAT_LOCAL_ABORTED, prev);
			return;
		}
	case -ENOENT:
		/*
		 * The IPU is authoritative over its custody: nothing from
		 * there, unless it forgot a task. A local task may run, else
		 * prev goes on.
		 */
		if (rescue_overdue(cpu, OVERDUE_SCAN))
			return;
		if (scx_bpf_consume(LOCAL_DSQ)) {
			stat_inc(OAE_STAT_LOCAL_EMPTY);
			return;
		}
		keep_prev(prev);
		return;
	case -ETIMEDOUT:
		stat_inc(OAE_STAT_WITHDRAWN);
		decide_all_locally(OAE_STAT_LOCAL_WITHDRAWN, prev);
		return;
	case -ENODEV:
		decide_all_locally(OAE_STAT_LOCAL_IPU_DOWN, prev);
		return;
	case -EPROTO:
		stat_abort(OAE_ABORT_BAD_ANSWER);
		decide_all_locally(OAE_STAT_LOCAL_ABORTED, prev);
		return;
	default:
		decide_all_locally(OAE_STAT_LOCAL_BUSY, prev);
		return;
	}
}

void BPF_STRUCT_OPS(oae_tick, struct task_struct *p)
{
	/* Split phase: ask before the slice ends, complete in dispatch. */
	if (bilateral() && p->scx.slice < OFFER_AHEAD_NS)
		offer_pick(p);
}

void BPF_STRUCT_OPS(oae_running, struct task_struct *p)
{
	struct task_ctx *tctx;

	if (bilateral())
		custody_take_back(p);

	/* Races between CPUs only blur vtime_now briefly (as scx_simple). */
	if (vtime_before(vtime_now, p->scx.dsq_vtime))
		vtime_now = p->scx.dsq_vtime;

	tctx = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	if (tctx)
		tctx->run_start_ns = bpf_ktime_get_ns();
}

void BPF_STRUCT_OPS(oae_stopping, struct task_struct *p, bool runnable)
{
	struct task_ctx *tctx;
	u64 weight = p->scx.weight ?: 1;

	/* Charge wall time used (yields and IPU-chosen slices included). */
	tctx = bpf_task_storage_get(&task_ctxs, p, 0, 0);
	if (tctx && tctx->run_start_ns) {
		p->scx.dsq_vtime += (bpf_ktime_get_ns() - tctx->run_start_ns) *
				    100 / weight;
		tctx->run_start_ns = 0;
	}

	/* p sleeps or leaves: this CPU needs a task, ask now. */
	if (bilateral() && !runnable)
		offer_pick(NULL);
}

void BPF_STRUCT_OPS(oae_quiescent, struct task_struct *p, u64 deq_flags)
{
	if (bilateral())
		custody_take_back(p);
}

void BPF_STRUCT_OPS(oae_enable, struct task_struct *p)
{
	p->scx.dsq_vtime = vtime_now;
}

void BPF_STRUCT_OPS(oae_disable, struct task_struct *p)
{
	/* Normally done by quiescent already; idempotent (-ENOENT). */
	if (bilateral())
		custody_take_back(p);
}

s32 BPF_STRUCT_OPS_SLEEPABLE(oae_init_task, struct task_struct *p,
			     struct scx_init_task_args *args)
{
	if (!bpf_task_storage_get(&task_ctxs, p, 0,
				  BPF_LOCAL_STORAGE_GET_F_CREATE))
		return -ENOMEM;
	return 0;
}

/*
 * Liveness: a CPU the IPU told "nothing for you" idles until something
 * wakes it, and idle CPUs get no ticks. While tasks wait, wake idle CPUs
 * so they ask again (or, with the IPU silent, decide locally) long before
 * the sched_ext watchdog would notice.
 */
static int kick_timerfn(void *map, int *key, struct bpf_timer *timer)
{
	s32 waiting = scx_bpf_dsq_nr_queued(CUSTODY_DSQ) +
		      scx_bpf_dsq_nr_queued(LOCAL_DSQ);
	const struct cpumask *idle;
	int i;

	if (waiting > 0) {
		idle = scx_bpf_get_idle_cpumask();
		for (i = 0; i < 4 && i < waiting; i++)
			kick_idle_cpu(idle);
		scx_bpf_put_idle_cpumask(idle);
	}
	bpf_timer_start(timer, SCX_OAE_KICK_PERIOD_NS, 0);
	return 0;
}

s32 BPF_STRUCT_OPS_SLEEPABLE(oae_init)
{
	struct bpf_timer *timer;
	u32 zero = 0;
	s32 ret;

	ret = scx_bpf_create_dsq(CUSTODY_DSQ, -1);
	if (ret)
		return ret;
	ret = scx_bpf_create_dsq(LOCAL_DSQ, -1);
	if (ret)
		return ret;

	timer = bpf_map_lookup_elem(&kick_timers, &zero);
	if (!timer)
		return -ESRCH;
	bpf_timer_init(timer, &kick_timers, CLOCK_MONOTONIC);
	bpf_timer_set_callback(timer, kick_timerfn);
	return bpf_timer_start(timer, SCX_OAE_KICK_PERIOD_NS, 0);
}

void BPF_STRUCT_OPS(oae_exit, struct scx_exit_info *ei)
{
	UEI_RECORD(uei, ei);
}

SCX_OPS_DEFINE(oae_ops,
	       .select_cpu		= (void *)oae_select_cpu,
	       .enqueue			= (void *)oae_enqueue,
	       .dispatch		= (void *)oae_dispatch,
	       .tick			= (void *)oae_tick,
	       .running			= (void *)oae_running,
	       .stopping		= (void *)oae_stopping,
	       .quiescent		= (void *)oae_quiescent,
	       .enable			= (void *)oae_enable,
	       .disable			= (void *)oae_disable,
	       .init_task		= (void *)oae_init_task,
	       .init			= (void *)oae_init,
	       .exit			= (void *)oae_exit,
	       .name			= "oae");
