// SPDX-License-Identifier: GPL-2.0
/*
 * Scheduling kfuncs (uapi/linux/oae_sched.h): what a sched_ext BPF policy
 * calls to hand tasks to the IPU's custody and to have each CPU's next
 * task decided there by a split-phase swap on the CPU's scheduling link.
 *
 * They run under the rq lock with interrupts off, called by BPF, an
 * untrusted caller: every argument is checked, nothing sleeps, prints or
 * wakes anything, and a dead IPU answers at once with "decide locally".
 *
 * The custody table here is the host's truth for the commit-time check
 * (S1): a pick is committed only if the task it names is still in the
 * table with the version the IPU answered with. Its raw spinlock nests
 * inside rq locks (never the other way round) and outside the link locks.
 * Each custody event is posted under that lock, so events of one pid
 * reach the ring in version order.
 *
 * The first bound IPU is the scheduling device. Kfuncs find it through an
 * RCU pointer (their interrupts-off sections are RCU readers); remove()
 * clears it and waits for them before the window goes away.
 */
#include <linux/bitmap.h>
#include <linux/btf.h>
#include <linux/btf_ids.h>
#include <linux/cpumask.h>
#include <linux/hashtable.h>
#include <linux/irqflags.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/rcupdate.h>
#include <linux/sched.h>
#include <linux/seq_file.h>

#include "../uapi/linux/oae_sched.h"

#include "oae_ipu.h"
#include "oae_sched.h"

/* Matches the IPU policy's OAE_SCHED_MAX_TASKS (ipu-fw/policy/sched_policy.h). */
#define OAE_CUSTODY_BITS	10

struct oae_custody {
	struct hlist_node node;		/* in the hash, or on the free list */
	pid_t pid;
	u32 link;			/* the link that last posted it */
	u32 weight;
	u64 cpus;
	u64 version;
};

static DEFINE_RAW_SPINLOCK(oae_custody_lock);
static DEFINE_HASHTABLE(oae_custody_hash, OAE_CUSTODY_BITS);
static struct oae_custody oae_custody_pool[OAE_SCHED_CUSTODY_MAX];
static HLIST_HEAD(oae_custody_free);
static u64 oae_custody_version;		/* last version handed out */
static struct oae_sched_table_stats oae_custody_stats;

/* Where this CPU's pick is. */
enum oae_pick_phase {
	OAE_PICK_IDLE,
	OAE_PICK_OFFERED,		/* offer published */
	OAE_PICK_ANSWERED,		/* valid answer held: commit or abort */
	OAE_PICK_COMMITTED,		/* committed: enforced() reports next */
};

/* Touched only on its own CPU, with interrupts off. */
struct oae_sched_cpu {
	enum oae_pick_phase phase;
	u64 gen;			/* scheduling device of the ticket */
	struct oae_ticket ticket;
	struct oae_sched_pick pick;
	bool gone_after_commit;		/* this CPU took the pick out of custody */
	struct oae_sched_stats st;
};

static DEFINE_PER_CPU(struct oae_sched_cpu, oae_sched_pcpu);

static struct oae_dev __rcu *oae_sched_dev;
static u64 oae_sched_gen;		/* bumped per scheduling device */
static DEFINE_MUTEX(oae_sched_bind_lock);

static int oae_sched_replay(struct oae_dev *od, struct oae_custody_user *user);

static struct oae_custody_user oae_sched_custody = {
	.replay = oae_sched_replay,
};

/* ------------------------------------------------------------------ */
/* Custody table                                                       */

static void oae_custody_init(void)
{
	int i;

	hash_init(oae_custody_hash);
	INIT_HLIST_HEAD(&oae_custody_free);
	for (i = 0; i < OAE_SCHED_CUSTODY_MAX; i++)
		hlist_add_head(&oae_custody_pool[i].node, &oae_custody_free);
	oae_custody_stats.size = 0;
}

/* Called with oae_custody_lock held. */
static struct oae_custody *oae_custody_find(pid_t pid)
{
	struct oae_custody *c;

	hash_for_each_possible(oae_custody_hash, c, node, pid)
		if (c->pid == pid)
			return c;
	return NULL;
}

static void oae_custody_drop(struct oae_custody *c)
{
	hash_del(&c->node);
	hlist_add_head(&c->node, &oae_custody_free);
	oae_custody_stats.size--;
}

static void oae_custody_args(const struct oae_custody *c,
			     u64 args[OAE_EVENT_ARGS])
{
	args[OAE_TASK_ARG_PID] = c->pid;
	args[OAE_TASK_ARG_WEIGHT] = c->weight;
	args[OAE_TASK_ARG_CPUS] = c->cpus;
	args[OAE_TASK_ARG_VERSION] = c->version;
}

/*
 * Post a GONE. While the engine replays custody after an epoch change,
 * ordinary posts are refused; a task that leaves custody after our replay
 * but before the epoch is up must still reach the IPU, or it would keep a
 * task the host no longer has. The state may move on between the tries.
 */
static int oae_custody_post_gone(struct oae_dev *od, u32 link,
				 const u64 args[OAE_EVENT_ARGS])
{
	int ret = oae_event_post(od, OAE_EV_TASK_GONE, link, args);

	if (ret == -ENODEV && READ_ONCE(od->state) == OAE_STATE_REPLAYING)
		ret = oae_event_replay(od, OAE_EV_TASK_GONE, link, args);
	if (ret == -ENODEV && READ_ONCE(od->state) == OAE_STATE_UP)
		ret = oae_event_post(od, OAE_EV_TASK_GONE, link, args);
	return ret;
}

/*
 * The IPU named @pid, which the host does not hold: a GONE it never got
 * (ring full, or the IPU was down when it was posted). Tell it again, with
 * a new version so it is not ignored as old, or the IPU keeps offering a
 * task every commit-time check refuses. Called with oae_custody_lock held.
 */
static void oae_custody_forget(struct oae_dev *od, u32 link, pid_t pid)
{
	u64 args[OAE_EVENT_ARGS] = {
		[OAE_TASK_ARG_PID] = pid,
		[OAE_TASK_GONE_ARG_VERSION] = ++oae_custody_version,
	};

	if (!oae_custody_post_gone(od, link, args))
		oae_custody_stats.forgotten++;
}

/*
 * Insert or update @pid and post RUNNABLE, in one critical section. A
 * failed post leaves the task out of custody (the caller runs it
 * locally); if it was in custody before, the IPU may still hold the older
 * version, whose picks then fail the commit-time check.
 */
VISIBLE_IF_KUNIT int oae_custody_runnable(struct oae_dev *od, u32 link,
					  pid_t pid, u32 weight, u64 cpus)
{
	struct oae_sched_stats *st = this_cpu_ptr(&oae_sched_pcpu.st);
	u64 args[OAE_EVENT_ARGS];
	struct oae_custody *c;
	bool fresh = false;
	int ret;

	raw_spin_lock(&oae_custody_lock);
	c = oae_custody_find(pid);
	if (!c) {
		c = hlist_entry_safe(oae_custody_free.first, struct oae_custody,
				     node);
		if (!c) {
			oae_custody_stats.full++;
			raw_spin_unlock(&oae_custody_lock);
			return -ENOSPC;
		}
		hlist_del(&c->node);
		c->pid = pid;
		hash_add(oae_custody_hash, &c->node, pid);
		oae_custody_stats.size++;
		oae_custody_stats.high_water = max(oae_custody_stats.high_water,
						   oae_custody_stats.size);
		fresh = true;
	}
	c->link = link;
	c->weight = weight;
	c->cpus = cpus;
	c->version = ++oae_custody_version;
	oae_custody_args(c, args);
	ret = oae_event_post(od, OAE_EV_TASK_RUNNABLE, link, args);
	if (ret)
		oae_custody_drop(c);
	raw_spin_unlock(&oae_custody_lock);
	if (!ret)
		st->runnable++;
	else if (ret == -ENOSPC)
		st->ring_full++;
	else
		st->post_failed++;
	if (ret == -EPROTO || ret == -EINVAL)
		ret = -ENODEV;	/* the IPU is unusable: decide locally */
	if (ret && !fresh)
		st->dropped++;
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(oae_custody_runnable);

/* Remove @pid (whatever the IPU's state) and post GONE if it was there. */
VISIBLE_IF_KUNIT int oae_custody_gone(struct oae_dev *od, u32 link, pid_t pid)
{
	struct oae_sched_cpu *pc = this_cpu_ptr(&oae_sched_pcpu);
	u64 args[OAE_EVENT_ARGS] = { [OAE_TASK_ARG_PID] = pid };
	struct oae_custody *c;
	int ret = 0;

	raw_spin_lock(&oae_custody_lock);
	c = oae_custody_find(pid);
	if (!c) {
		raw_spin_unlock(&oae_custody_lock);
		pc->st.gone_unknown++;
		return -ENOENT;
	}
	/* The committed task runs here and leaves custody: not stale. */
	if (pc->phase == OAE_PICK_COMMITTED && pc->pick.pid == pid &&
	    pc->pick.version == c->version)
		pc->gone_after_commit = true;
	/*
	 * Leaving custody is a custody change too: a new version, or the IPU
	 * would ignore the GONE as no newer than the RUNNABLE it has.
	 */
	args[OAE_TASK_GONE_ARG_VERSION] = ++oae_custody_version;
	oae_custody_drop(c);
	if (od)
		ret = oae_custody_post_gone(od, link, args);
	raw_spin_unlock(&oae_custody_lock);
	if (!od)
		return -ENODEV;
	if (ret) {
		/* Out of custody all the same; the IPU may keep a ghost. */
		pc->st.post_failed++;
		return -ENODEV;
	}
	pc->st.gone++;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(oae_custody_gone);

/* Is @pid in custody with @version? */
static bool oae_custody_holds(pid_t pid, u64 version)
{
	struct oae_custody *c = oae_custody_find(pid);

	return c && c->version == version;
}

/*
 * Every task in custody, for the IPU's new epoch (process context). The
 * lock keeps posts of the old epoch out and their tasks in the table.
 */
static int oae_sched_replay(struct oae_dev *od, struct oae_custody_user *user)
{
	u64 args[OAE_EVENT_ARGS];
	struct oae_custody *c;
	unsigned long flags;
	int bkt, ret = 0;

	raw_spin_lock_irqsave(&oae_custody_lock, flags);
	hash_for_each(oae_custody_hash, bkt, c, node) {
		oae_custody_args(c, args);
		ret = oae_event_replay(od, OAE_EV_TASK_RUNNABLE,
				       c->link < od->nr_links ? c->link : 0,
				       args);
		if (ret)
			break;
		oae_custody_stats.replayed++;
	}
	if (ret)
		oae_custody_stats.replay_failed++;
	raw_spin_unlock_irqrestore(&oae_custody_lock, flags);
	return ret;
}

/* ------------------------------------------------------------------ */
/* The scheduling device                                               */

int oae_sched_bind(struct oae_dev *od)
{
	bool held;
	int ret = 0;

	mutex_lock(&oae_sched_bind_lock);
	if (rcu_access_pointer(oae_sched_dev)) {
		ret = -EBUSY;
		goto unlock;
	}
	oae_custody_register(od, &oae_sched_custody);
	oae_sched_gen++;
	rcu_assign_pointer(oae_sched_dev, od);
	raw_spin_lock_irq(&oae_custody_lock);
	held = oae_custody_stats.size;
	raw_spin_unlock_irq(&oae_custody_lock);
	/* An epoch that went up before we registered lacks these tasks. */
	if (held)
		oae_link_renew(od);
unlock:
	mutex_unlock(&oae_sched_bind_lock);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_bind);

void oae_sched_unbind(struct oae_dev *od)
{
	mutex_lock(&oae_sched_bind_lock);
	if (rcu_access_pointer(oae_sched_dev) == od) {
		RCU_INIT_POINTER(oae_sched_dev, NULL);
		/* No kfunc uses the window after this. */
		synchronize_rcu();
		oae_custody_unregister(od, &oae_sched_custody);
	}
	mutex_unlock(&oae_sched_bind_lock);
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_unbind);

bool oae_sched_is_bound(struct oae_dev *od)
{
	return rcu_access_pointer(oae_sched_dev) == od;
}

/* Kfunc entry: the device, or NULL; only with interrupts off. */
static struct oae_dev *oae_sched_get(void)
{
	return rcu_dereference_sched(oae_sched_dev);
}

/* This CPU's scheduling link, or -ENODEV (no link, or beyond the word). */
static int oae_sched_link(struct oae_dev *od, int cpu)
{
	int link;

	if (cpu >= OAE_TASK_CPUS)
		return -ENODEV;
	link = oae_link_of(od, OAE_CLASS_SCHED, cpu);
	return link < 0 ? -ENODEV : link;
}

static void oae_pick_clear(struct oae_sched_cpu *pc)
{
	pc->phase = OAE_PICK_IDLE;
	pc->gone_after_commit = false;
}

/*
 * 0 if this CPU's pick is open on the current device and epoch (a
 * committed one only awaits its report, whatever the epoch); -EINVAL if
 * none is open; -ENODEV if it ended with its device or epoch: forgotten.
 */
static int oae_pick_live(struct oae_dev *od, struct oae_sched_cpu *pc)
{
	if (pc->phase == OAE_PICK_IDLE)
		return -EINVAL;
	if (od && pc->gen == oae_sched_gen &&
	    (pc->phase == OAE_PICK_COMMITTED ||
	     pc->ticket.epoch == READ_ONCE(od->epoch)))
		return 0;
	pc->st.epoch_ended++;
	oae_pick_clear(pc);
	return -ENODEV;
}

/* ------------------------------------------------------------------ */
/* Kfuncs                                                              */

static u32 oae_task_weight(struct task_struct *p)
{
#if IS_ENABLED(CONFIG_SCHED_CLASS_EXT)
	/* sched_ext weights are 1..10000 with 100 at nice 0. */
	u64 w = div_u64((u64)READ_ONCE(p->scx.weight) * OAE_TASK_WEIGHT_NICE0,
			100);

	return clamp_t(u64, w, 1, OAE_TASK_WEIGHT_MAX);
#else
	return OAE_TASK_WEIGHT_NICE0;
#endif
}

static u64 oae_task_cpus(struct task_struct *p)
{
	u64 word = 0;

	bitmap_to_arr64(&word, cpumask_bits(p->cpus_ptr),
			min_t(unsigned int, nr_cpu_ids, OAE_TASK_CPUS));
	return word;
}

static bool oae_task_pinned_elsewhere(struct task_struct *p, int cpu)
{
#ifdef CONFIG_SMP
	return p->migration_disabled && task_cpu(p) != cpu;
#else
	return false;
#endif
}

__bpf_kfunc_start_defs();

__bpf_kfunc s32 oae_sched_runnable(struct task_struct *p)
{
	struct oae_dev *od;
	int link;
	u64 cpus;

	if (!irqs_disabled())
		return -EPERM;
	if (!p)
		return -EINVAL;
	od = oae_sched_get();
	if (!od)
		return -ENODEV;
	if (p->pid <= 0 || p->pid > OAE_TASK_PID_MAX)
		return -ERANGE;
	cpus = oae_task_cpus(p);
	if (!cpus)
		return -ERANGE;
	link = oae_sched_link(od, smp_processor_id());
	if (link < 0)
		return link;
	return oae_custody_runnable(od, link, p->pid, oae_task_weight(p), cpus);
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_runnable);

__bpf_kfunc s32 oae_sched_gone(struct task_struct *p)
{
	struct oae_dev *od;
	int link;

	if (!irqs_disabled())
		return -EPERM;
	if (!p)
		return -EINVAL;
	od = oae_sched_get();
	link = od ? oae_sched_link(od, smp_processor_id()) : -ENODEV;
	/* A CPU without a link posts as the first one: custody is global. */
	return oae_custody_gone(od, link < 0 ? 0 : link, p->pid);
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_gone);

__bpf_kfunc s32 oae_sched_pick_offer(void)
{
	struct oae_sched_cpu *pc;
	struct oae_offer offer = { .op = OAE_OP_SCHED_PICK };
	struct oae_dev *od;
	int cpu, link, ret;

	if (!irqs_disabled())
		return -EPERM;
	pc = this_cpu_ptr(&oae_sched_pcpu);
	od = oae_sched_get();
	if (!oae_pick_live(od, pc))
		return -EALREADY;
	if (!od)
		return -ENODEV;
	cpu = smp_processor_id();
	link = oae_sched_link(od, cpu);
	if (link < 0)
		return link;
	offer.payload[OAE_PICK_OFFER_CPU] = cpu;
	offer.payload[OAE_PICK_OFFER_FLAGS] = 0;
	ret = oae_swap_start(od, link, &offer, &pc->ticket);
	if (ret == -EBUSY) {
		pc->st.busy++;
		return -EBUSY;
	}
	if (ret)
		return -ENODEV;
	pc->phase = OAE_PICK_OFFERED;
	pc->gen = oae_sched_gen;
	pc->st.offered++;
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_pick_offer);

static bool oae_pick_valid(const struct oae_answer *a)
{
	u64 pid = a->word[OAE_PICK_ANSWER_PID];
	u64 slice = a->word[OAE_PICK_ANSWER_SLICE_NS];

	return pid >= 1 && pid <= OAE_TASK_PID_MAX &&
	       a->word[OAE_PICK_ANSWER_VERSION] &&
	       slice >= OAE_SCHED_SLICE_MIN_NS &&
	       slice <= OAE_SCHED_SLICE_MAX_NS;
}

__bpf_kfunc s32 oae_sched_pick_complete(u64 budget_ns,
					struct oae_sched_pick *pick)
{
	struct oae_sched_cpu *pc;
	struct oae_answer a;
	struct oae_dev *od;
	u64 rtt = 0;
	int ret;

	if (!irqs_disabled())
		return -EPERM;
	pc = this_cpu_ptr(&oae_sched_pcpu);
	od = oae_sched_get();
	ret = oae_pick_live(od, pc);
	if (ret)
		return od ? ret : -ENODEV;
	if (!pick || budget_ns > OAE_SCHED_BUDGET_MAX_NS ||
	    pc->phase == OAE_PICK_COMMITTED)
		return -EINVAL;
	if (pc->phase == OAE_PICK_ANSWERED) {
		*pick = pc->pick;
		return 0;
	}
	if (budget_ns) {
		ret = oae_swap_wait(od, &pc->ticket, &a, budget_ns, &rtt);
	} else {
		ret = oae_swap_poll(od, &pc->ticket, &a, &rtt);
		if (ret == -EAGAIN)
			ret = oae_swap_abort(od, &pc->ticket,
					     OAE_ABORT_WITHDRAWN) ?: -ETIMEDOUT;
	}
	if (!ret && !oae_pick_valid(&a))
		ret = oae_swap_abort(od, &pc->ticket, OAE_ABORT_BAD_ANSWER) ?:
		      -EPROTO;
	switch (ret) {
	case 0:
		pc->phase = OAE_PICK_ANSWERED;
		pc->pick = (struct oae_sched_pick){
			.pid = a.word[OAE_PICK_ANSWER_PID],
			.version = a.word[OAE_PICK_ANSWER_VERSION],
			.slice_ns = a.word[OAE_PICK_ANSWER_SLICE_NS],
			.rtt_ns = rtt,
		};
		*pick = pc->pick;
		pc->st.answered++;
		return 0;
	case -ETIMEDOUT:
		pc->st.withdrawn++;
		break;
	case -ENOENT:
		pc->st.empty++;
		break;
	case -EPROTO:
		pc->st.bad_answer++;
		break;
	default:
		/* -ENODEV (IPU down, withdrawn) or -ESTALE (epoch changed). */
		pc->st.epoch_ended++;
		ret = -ENODEV;
		break;
	}
	oae_pick_clear(pc);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_pick_complete);

__bpf_kfunc s32 oae_sched_pick_commit(struct task_struct *p)
{
	enum oae_abort_reason why = OAE_ABORT_NONE;
	struct oae_sched_cpu *pc;
	struct oae_dev *od;
	int cpu, ret;

	if (!irqs_disabled())
		return -EPERM;
	cpu = smp_processor_id();
	pc = this_cpu_ptr(&oae_sched_pcpu);
	od = oae_sched_get();
	ret = oae_pick_live(od, pc);
	if (ret)
		return od ? ret : -ENODEV;
	if (!p || pc->phase != OAE_PICK_ANSWERED)
		return -EINVAL;
	/* The table lock keeps p's custody as checked until COMMIT is out. */
	raw_spin_lock(&oae_custody_lock);
	if (p->pid != pc->pick.pid ||
	    !oae_custody_holds(pc->pick.pid, pc->pick.version))
		why = OAE_ABORT_STALE_OBJECT;
	else if (!cpumask_test_cpu(cpu, p->cpus_ptr))
		why = OAE_ABORT_AFFINITY;
	else if (oae_task_pinned_elsewhere(p, cpu))
		why = OAE_ABORT_PINNED;
	if (why == OAE_ABORT_NONE)
		ret = oae_swap_commit(od, &pc->ticket);
	else
		ret = oae_swap_abort(od, &pc->ticket, why);
	if (!ret && why == OAE_ABORT_STALE_OBJECT &&
	    !oae_custody_find(pc->pick.pid))
		oae_custody_forget(od, pc->ticket.link, pc->pick.pid);
	raw_spin_unlock(&oae_custody_lock);
	if (ret) {
		/* The ticket ended with its epoch: the IPU reverts. */
		pc->st.epoch_ended++;
		oae_pick_clear(pc);
		return -ENODEV;
	}
	switch (why) {
	case OAE_ABORT_NONE:
		pc->phase = OAE_PICK_COMMITTED;
		pc->gone_after_commit = false;
		pc->st.committed++;
		return 0;
	case OAE_ABORT_STALE_OBJECT:
		ret = -ESTALE;
		break;
	case OAE_ABORT_AFFINITY:
		ret = -EACCES;
		break;
	default:
		ret = -EXDEV;
		break;
	}
	oae_pick_clear(pc);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_pick_commit);

__bpf_kfunc s32 oae_sched_pick_abort(u32 reason)
{
	struct oae_sched_cpu *pc;
	struct oae_dev *od;

	if (!irqs_disabled())
		return -EPERM;
	if (reason == OAE_ABORT_NONE || reason > OAE_ABORT_REASON_MAX)
		return -EINVAL;
	pc = this_cpu_ptr(&oae_sched_pcpu);
	od = oae_sched_get();
	switch (oae_pick_live(od, pc)) {
	case 0:
		break;
	case -ENODEV:
		return 0;	/* the pick ended with its epoch: over */
	default:
		return -EINVAL;
	}
	/* Before an answer only a withdrawal makes sense. */
	if (pc->phase == OAE_PICK_COMMITTED ||
	    (pc->phase == OAE_PICK_OFFERED && reason != OAE_ABORT_WITHDRAWN))
		return -EINVAL;
	/* -ESTALE: the epoch ended the swap already; it is over either way. */
	oae_swap_abort(od, &pc->ticket, reason);
	oae_pick_clear(pc);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_pick_abort);

__bpf_kfunc s32 oae_sched_pick_enforced(struct task_struct *p, u32 outcome)
{
	struct oae_sched_cpu *pc;
	struct oae_dev *od;
	bool stale;
	int link;

	if (!irqs_disabled())
		return -EPERM;
	pc = this_cpu_ptr(&oae_sched_pcpu);
	if (!p || outcome > OAE_SCHED_OUTCOME_MAX ||
	    pc->phase != OAE_PICK_COMMITTED)
		return -EINVAL;
	if (outcome == OAE_SCHED_LOST_RACE) {
		pc->st.lost_race++;
		oae_pick_clear(pc);
		return 0;
	}
	raw_spin_lock(&oae_custody_lock);
	stale = p->pid != pc->pick.pid ||
		(!pc->gone_after_commit &&
		 !oae_custody_holds(pc->pick.pid, pc->pick.version));
	raw_spin_unlock(&oae_custody_lock);
	pc->st.dispatched++;
	if (stale) {
		pc->st.stale++;
		od = oae_sched_get();
		link = od ? oae_sched_link(od, smp_processor_id()) : -ENODEV;
		if (link >= 0 && pc->gen == oae_sched_gen)
			oae_count_stale(od, link);
	}
	oae_pick_clear(pc);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_pick_enforced);

__bpf_kfunc_end_defs();

BTF_KFUNCS_START(oae_sched_kfunc_ids)
BTF_ID_FLAGS(func, oae_sched_runnable, KF_RCU)
BTF_ID_FLAGS(func, oae_sched_gone, KF_RCU)
BTF_ID_FLAGS(func, oae_sched_pick_offer)
BTF_ID_FLAGS(func, oae_sched_pick_complete)
BTF_ID_FLAGS(func, oae_sched_pick_commit, KF_RCU)
BTF_ID_FLAGS(func, oae_sched_pick_abort)
BTF_ID_FLAGS(func, oae_sched_pick_enforced, KF_RCU)
BTF_KFUNCS_END(oae_sched_kfunc_ids)

static const struct btf_kfunc_id_set oae_sched_kfunc_set = {
	.owner = THIS_MODULE,
	.set = &oae_sched_kfunc_ids,
};

int oae_sched_init(void)
{
	int ret;

	oae_custody_init();
	ret = register_btf_kfunc_id_set(BPF_PROG_TYPE_STRUCT_OPS,
					&oae_sched_kfunc_set);
	if (ret)
		pr_err("oae_ipu: cannot register the scheduling kfuncs: %pe\n",
		       ERR_PTR(ret));
	return ret;
}

/* ------------------------------------------------------------------ */
/* Stats and tests                                                     */

void oae_sched_stats_sum(struct oae_sched_stats *sum,
			 struct oae_sched_table_stats *table)
{
	unsigned long flags;
	int cpu;
	u32 j;

	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const u64 *src = (const u64 *)&per_cpu(oae_sched_pcpu, cpu).st;
		u64 *dst = (u64 *)sum;

		for (j = 0; j < sizeof(*sum) / sizeof(u64); j++)
			dst[j] += READ_ONCE(src[j]);
	}
	raw_spin_lock_irqsave(&oae_custody_lock, flags);
	*table = oae_custody_stats;
	raw_spin_unlock_irqrestore(&oae_custody_lock, flags);
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_stats_sum);

#if IS_ENABLED(CONFIG_KUNIT)
/* Empty custody, every CPU's pick and every counter (no device bound). */
void oae_sched_test_reset(void)
{
	unsigned long flags;
	int cpu;

	raw_spin_lock_irqsave(&oae_custody_lock, flags);
	oae_custody_init();
	memset(&oae_custody_stats, 0, sizeof(oae_custody_stats));
	raw_spin_unlock_irqrestore(&oae_custody_lock, flags);
	for_each_possible_cpu(cpu)
		memset(per_cpu_ptr(&oae_sched_pcpu, cpu), 0,
		       sizeof(struct oae_sched_cpu));
}
EXPORT_SYMBOL_IF_KUNIT(oae_sched_test_reset);
#endif
