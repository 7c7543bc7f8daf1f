// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the bilateral swap: per-CPU links, epochs, liveness and
 * the swap API the scheduling and memory offloads call.
 *
 * Each link's half of the window is written only under its raw spinlock,
 * held briefly for each step (offer, one poll, commit or abort), never
 * while waiting and never around the caller's own check, so swaps work
 * with preemption or interrupts disabled, the sleepable variant can sleep
 * between polls, and a caller can check an answer under its own locks.
 * Nothing under a link lock prints: counters and tracepoints record what
 * happened, and rate-limited messages follow once the lock is dropped.
 * Safety never rests on a timeout: budgets and wait bounds only decide when
 * a caller withdraws and decides locally; the answer it withdrew from can
 * never be enforced (S1, S5).
 */
#define pr_fmt(fmt) KBUILD_MODNAME ": " fmt

#include <linux/delay.h>
#include <linux/ktime.h>
#include <linux/log2.h>
#include <linux/minmax.h>
#include <linux/percpu.h>
#include <linux/random.h>
#include <linux/rcupdate.h>
#include <linux/sched/signal.h>
#include <linux/slab.h>

#include "oae_ipu.h"

#define CREATE_TRACE_POINTS
#include "oae_trace.h"

#define OAE_DEFAULT_SWAP_TIMEOUT_NS	(5 * NSEC_PER_MSEC)
#define OAE_DEFAULT_SPIN_BUDGET_NS	(50 * NSEC_PER_USEC)
#define OAE_DEFAULT_HEARTBEAT_MS	10
#define OAE_DEFAULT_DEAD_THRESHOLD	50

/*
 * Warnings from paths the scheduler calls under an rq lock (interrupts
 * off) are left to the heartbeat work: printing there could wake the
 * console's task and take an rq lock again. Elsewhere they print at once.
 */
static const char *const oae_late_warnings[] = {
	[OAE_WARN_BAD_ANSWER]	= "malformed answers (protocol_errors_* in debugfs stats)",
	[OAE_WARN_RING_TAIL]	= "IPU ring tail beyond our head",
};

static __printf(3, 4) void oae_warn_atomic(struct oae_dev *od,
					    enum oae_late_warning bit,
					    const char *fmt, ...)
{
	struct va_format vaf;
	va_list args;

	if (irqs_disabled()) {
		set_bit(bit, &od->late_warnings);
		return;
	}
	va_start(args, fmt);
	vaf.fmt = fmt;
	vaf.va = &args;
	dev_warn_ratelimited(od->dev, "%pV", &vaf);
	va_end(args);
}

static void oae_print_late_warnings(struct oae_dev *od)
{
	int bit;

	for (bit = 0; bit < ARRAY_SIZE(oae_late_warnings); bit++)
		if (test_and_clear_bit(bit, &od->late_warnings))
			dev_warn_ratelimited(od->dev, "%s\n",
					     oae_late_warnings[bit]);
}

static const char *const oae_state_names[] = {
	[OAE_STATE_ATTACHING]	= "attaching",
	[OAE_STATE_REPLAYING]	= "replaying",
	[OAE_STATE_UP]		= "up",
	[OAE_STATE_DEAD]	= "dead",
	[OAE_STATE_ERROR]	= "error",
};

const char *oae_link_state_name(int state)
{
	if (state < 0 || state >= ARRAY_SIZE(oae_state_names))
		return "invalid";
	return oae_state_names[state];
}

static struct kmem_cache *oae_link_cache;

static struct oae_link_host *oae_tx(struct oae_dev *od, u32 i)
{
	return oae_geo_host_link(od->win, &od->geo, i);
}

static const struct oae_link_ipu *oae_rx(struct oae_dev *od, u32 i)
{
	return oae_geo_ipu_link(od->win, &od->geo, i);
}

static bool oae_up(struct oae_dev *od)
{
	return READ_ONCE(od->state) == OAE_STATE_UP;
}

/* Release: whoever sees the new state also sees the epoch it belongs to. */
static void oae_set_state(struct oae_dev *od, int state)
{
	trace_oae_state(od->state, state, od->epoch);
	/* Pairs with the acquire in oae_event_post_in(). */
	smp_store_release(&od->state, state);
}

bool oae_link_valid(struct oae_dev *od, u32 link)
{
	return link < od->geo.nr_links &&
	       link % od->geo.links_per_class < od->nr_links;
}
EXPORT_SYMBOL_IF_KUNIT(oae_link_valid);

int oae_link_of(struct oae_dev *od, u32 cls, u32 cpu)
{
	if (cls >= OAE_NR_CLASSES || cpu >= od->nr_links)
		return -EINVAL;
	return oae_link_index(&od->geo, cls, cpu);
}
EXPORT_SYMBOL_IF_KUNIT(oae_link_of);

/* A seed read back from our own half, or 0 if it is beyond @limit. */
static u64 oae_seed(struct oae_dev *od, const oae_le64 *word, u64 limit)
{
	u64 v = oae_ld64(word);

	if (v < limit)
		return v;
	od->restarts++;
	return 0;
}

/*
 * Bind every link and the ring to a new epoch and ask the IPU to adopt it.
 * The epoch is our own previous one plus one (never derived from what the
 * IPU wrote); swap numbers and ring positions continue, so nothing from an
 * old epoch can ever be taken for something new; a fresh nonce makes the
 * ack prove this very request. A swap still open ends here: its ticket is
 * stale from now on and the IPU aborts it. Called with attach_lock held,
 * in process context.
 */
static void oae_attach(struct oae_dev *od)
{
	unsigned long flags;
	u32 cls, cpu;
	u64 base;

	/*
	 * Leave UP first, then wait out every post that saw UP: no event of
	 * the old epoch can land after the new epoch's ring base.
	 */
	oae_set_state(od, OAE_STATE_ATTACHING);
	synchronize_rcu();
	if (od->epoch >= OAE_EPOCH_LIMIT - 1) {
		od->epoch = 0;
		od->restarts++;
	}
	od->epoch++;
	od->nonce = get_random_u64();
	od->attach_ticks = 0;
	for (cls = 0; cls < OAE_NR_CLASSES; cls++) {
		for (cpu = 0; cpu < od->nr_links; cpu++) {
			u32 i = oae_link_index(&od->geo, cls, cpu);
			struct oae_link_ctx *ctx = od->links[i];

			raw_spin_lock_irqsave(&ctx->lock, flags);
			if (ctx->phase != OAE_SWAP_IDLE) {
				ctx->cnt.aborted[OAE_ABORT_WITHDRAWN]++;
				ctx->cnt.fallbacks++;
				trace_oae_abort(i, ctx->hl.seq,
						OAE_ABORT_WITHDRAWN);
				trace_oae_swap(i, ctx->hl.seq, ctx->hl.op,
					       -ENODEV, 0);
				ctx->phase = OAE_SWAP_IDLE;
			}
			oae_host_link_init(&ctx->hl, oae_tx(od, i),
					   oae_rx(od, i), i, od->epoch,
					   ctx->hl.seq);
			raw_spin_unlock_irqrestore(&ctx->lock, flags);
		}
	}
	base = atomic64_read(&od->ring_head);
	if (base >= OAE_RING_POS_LIMIT) {
		/* 2^62 posts: digests cover the epoch, so restarting is safe. */
		base = 0;
		atomic64_set(&od->ring_head, 0);
		od->restarts++;
	}
	od->lv.heartbeat = oae_ld64(&od->host->host_heartbeat);
	od->lv.missed = 0;
	/* Read by the IPU when it adopts the request published below. */
	oae_st64(&od->host->sched_policy, od->sched_policy);
	oae_st64(&od->host->sched_slice_ns, od->sched_slice_ns);
	oae_host_request_epoch(od->host, od->epoch, od->nonce, od->nr_links,
			       base);
	dev_info_ratelimited(od->dev, "attaching, epoch %llu\n", od->epoch);
}

/*
 * Start a new epoch now if the link is up or attaching, so the IPU
 * re-reads the host header (scheduling policy and slice) and gets a
 * custody replay. A dead link picks the header up when it recovers.
 */
void oae_link_renew_locked(struct oae_dev *od)
{
	lockdep_assert_held(&od->attach_lock);
	if (od->state == OAE_STATE_UP || od->state == OAE_STATE_ATTACHING)
		oae_attach(od);
}
EXPORT_SYMBOL_IF_KUNIT(oae_link_renew_locked);

void oae_link_renew(struct oae_dev *od)
{
	mutex_lock(&od->attach_lock);
	oae_link_renew_locked(od);
	mutex_unlock(&od->attach_lock);
}
EXPORT_SYMBOL_IF_KUNIT(oae_link_renew);

void oae_custody_register(struct oae_dev *od, struct oae_custody_user *user)
{
	mutex_lock(&od->attach_lock);
	list_add_tail(&user->node, &od->custody_users);
	mutex_unlock(&od->attach_lock);
}
EXPORT_SYMBOL_IF_KUNIT(oae_custody_register);

void oae_custody_unregister(struct oae_dev *od, struct oae_custody_user *user)
{
	mutex_lock(&od->attach_lock);
	list_del(&user->node);
	mutex_unlock(&od->attach_lock);
}
EXPORT_SYMBOL_IF_KUNIT(oae_custody_unregister);

/* The epoch is acked: users replay custody, then swaps may be offered. */
static void oae_go_up(struct oae_dev *od)
{
	struct oae_custody_user *user;
	int ret;

	oae_host_set_state(od->host, OAE_HOST_ATTACHED);
	oae_set_state(od, OAE_STATE_REPLAYING);
	list_for_each_entry(user, &od->custody_users, node) {
		ret = user->replay(od, user);
		if (ret) {
			/* The IPU's view would be partial: start over. */
			od->replay_failures++;
			dev_warn_ratelimited(od->dev,
					     "custody replay failed (%pe): new epoch\n",
					     ERR_PTR(ret));
			oae_attach(od);
			return;
		}
	}
	oae_set_state(od, OAE_STATE_UP);
	dev_info_ratelimited(od->dev, "up, epoch %llu (IPU boot %#llx)\n",
			     od->epoch, od->ipu_boot_id);
}

static void oae_declare_dead(struct oae_dev *od, const char *why)
{
	od->deaths++;
	od->last_ipu_heartbeat = oae_ld64(&od->hdr->ipu_heartbeat);
	oae_set_state(od, OAE_STATE_DEAD);
	dev_warn_ratelimited(od->dev,
			     "IPU %s (epoch %llu): deciding locally until it recovers\n",
			     why, od->epoch);
}

/* The IPU counts as back once it is READY and its heartbeat moves again. */
static void oae_try_recover(struct oae_dev *od)
{
	u64 hb = oae_ld64(&od->hdr->ipu_heartbeat);
	struct oae_geometry geo;
	enum oae_hdr_error err;

	if (oae_ld64_acquire(&od->hdr->ipu_state) != OAE_IPU_READY ||
	    hb == od->last_ipu_heartbeat) {
		od->last_ipu_heartbeat = hb;
		return;
	}
	err = oae_geometry_read(od->hdr, od->win_size, &geo);
	if (err || memcmp(&geo, &od->geo, sizeof(geo))) {
		oae_set_state(od, OAE_STATE_ERROR);
		dev_err(od->dev, "IPU came back with %s; reload the driver to accept it\n",
			err ? oae_hdr_strerror(err) : "a different geometry");
		return;
	}
	oae_attach(od);
}

/* Attaching: has the IPU proven it took our request? Then go up. */
static bool oae_check_ack(struct oae_dev *od)
{
	if (!oae_host_epoch_acked(od->hdr, od->epoch, od->nonce,
				  &od->ipu_boot_id))
		return false;
	oae_go_up(od);
	return true;
}

/*
 * One liveness tick. Attaching is bounded like any other wait: an epoch
 * not acknowledged within dead_threshold ticks counts as a dead IPU, and
 * the next sign of life re-attaches with a new epoch. Once up, a changed
 * boot id, epoch or state means the IPU restarted between two ticks and
 * lost our epoch's state: a new epoch starts at once.
 */
void oae_link_tick(struct oae_dev *od)
{
	u32 threshold = READ_ONCE(od->dead_threshold);
	enum oae_live live;

	mutex_lock(&od->attach_lock);
	switch (od->state) {
	case OAE_STATE_UP:
		if (!oae_host_epoch_held(od->hdr, od->epoch, od->ipu_boot_id) &&
		    oae_ld64_acquire(&od->hdr->ipu_state) == OAE_IPU_READY) {
			od->ipu_restarts++;
			dev_warn_ratelimited(od->dev,
					     "IPU restarted (epoch %llu lost): re-attaching\n",
					     od->epoch);
			oae_attach(od);
			break;
		}
		fallthrough;
	case OAE_STATE_ATTACHING:
		live = oae_host_heartbeat(od->host, od->hdr, &od->lv, threshold);
		if (live == OAE_LIVE_DEAD) {
			oae_declare_dead(od, "missed its heartbeat");
			break;
		}
		if (live == OAE_LIVE_STOPPED) {
			oae_declare_dead(od, "stopped serving");
			break;
		}
		if (od->state != OAE_STATE_ATTACHING || oae_check_ack(od))
			break;
		if (++od->attach_ticks >= threshold)
			oae_declare_dead(od, "did not acknowledge the epoch");
		break;
	case OAE_STATE_DEAD:
		oae_try_recover(od);
		break;
	default:
		break;
	}
	mutex_unlock(&od->attach_lock);
}
EXPORT_SYMBOL_IF_KUNIT(oae_link_tick);

/*
 * Liveness ticks every heartbeat_ms; while attaching, the ack is also
 * looked for every jiffy in between (without counting ticks), so a
 * re-attach costs the IPU's reaction time, not a tick.
 */
static void oae_heartbeat_work(struct work_struct *work)
{
	struct oae_dev *od = container_of(to_delayed_work(work), struct oae_dev,
					  hb_work);
	unsigned long now = jiffies;

	oae_print_late_warnings(od);
	if (time_before(now, od->next_tick)) {
		mutex_lock(&od->attach_lock);
		if (od->state == OAE_STATE_ATTACHING)
			oae_check_ack(od);
		mutex_unlock(&od->attach_lock);
	} else {
		oae_link_tick(od);
		od->next_tick = now +
			max(1UL, msecs_to_jiffies(READ_ONCE(od->heartbeat_ms)));
	}
	schedule_delayed_work(&od->hb_work,
			      READ_ONCE(od->state) == OAE_STATE_ATTACHING ? 1 :
			      od->next_tick - jiffies);
}

/* ------------------------------------------------------------------ */
/* Swaps                                                               */

static void oae_count_rtt(struct oae_link_ctx *ctx, u64 ns)
{
	ctx->cnt.rtt[min_t(u32, ns ? ilog2(ns) + 1 : 0, OAE_RTT_BUCKETS - 1)]++;
}

/* Is @t the swap open on @ctx? Called with the link lock held. */
static bool oae_ticket_current(struct oae_link_ctx *ctx,
			       const struct oae_ticket *t)
{
	if (ctx->phase != OAE_SWAP_IDLE && ctx->hl.epoch == t->epoch &&
	    ctx->hl.seq == t->seq)
		return true;
	ctx->cnt.stale_tickets++;
	return false;
}

/* End the open swap: publish its outcome. Called with the link lock held. */
static void oae_swap_end(struct oae_link_ctx *ctx, bool commit,
			 enum oae_abort_reason why, int result)
{
	oae_host_settle(&ctx->hl, commit, why);
	if (commit) {
		ctx->cnt.committed++;
	} else {
		ctx->cnt.aborted[why]++;
		trace_oae_abort(ctx->hl.index, ctx->hl.seq, why);
	}
	trace_oae_swap(ctx->hl.index, ctx->hl.seq, ctx->hl.op, result,
		       ctx->rtt_ns);
	ctx->phase = OAE_SWAP_IDLE;
}

int oae_swap_start(struct oae_dev *od, u32 link, const struct oae_offer *offer,
		   struct oae_ticket *t)
{
	struct oae_link_ctx *ctx;
	unsigned long flags;
	u64 watermark;
	int ret = 0;

	if (!oae_link_valid(od, link) || offer->op == OAE_OP_NONE ||
	    offer->op > OAE_OP_MAX)
		return -EINVAL;
	ctx = od->links[link];
	raw_spin_lock_irqsave(&ctx->lock, flags);
	if (!oae_up(od) || ctx->hl.seq >= OAE_SEQ_MAX) {
		/* Numbers run out only after 2^55 swaps: the next epoch restarts them. */
		ctx->cnt.fallbacks++;
		trace_oae_fallback(link, READ_ONCE(od->state));
		ret = -ENODEV;
	} else if (ctx->phase != OAE_SWAP_IDLE) {
		ctx->cnt.busy++;
		ret = -EBUSY;
	} else {
		/*
		 * S4: the IPU must apply every event reserved so far. The
		 * count is ours, never read back from the window.
		 */
		watermark = atomic64_read(&od->ring_head);
		oae_host_offer(&ctx->hl, offer, watermark);
		ctx->phase = OAE_SWAP_OFFERED;
		ctx->offer_ns = ktime_get_ns();
		ctx->rtt_ns = 0;
		ctx->cnt.offered++;
		*t = (struct oae_ticket){
			.link = link, .epoch = ctx->hl.epoch, .seq = ctx->hl.seq,
		};
	}
	raw_spin_unlock_irqrestore(&ctx->lock, flags);
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_start);

int oae_swap_poll(struct oae_dev *od, const struct oae_ticket *t,
		  struct oae_answer *a, u64 *rtt_ns)
{
	enum oae_poll p = OAE_POLL_PENDING;
	struct oae_link_ctx *ctx;
	struct oae_answer ans;
	unsigned long flags;
	u64 seq = t->seq;
	int ret;

	if (!oae_link_valid(od, t->link))
		return -ESTALE;
	ctx = od->links[t->link];
	raw_spin_lock_irqsave(&ctx->lock, flags);
	if (!oae_ticket_current(ctx, t)) {
		ret = -ESTALE;
		goto unlock;
	}
	if (ctx->phase == OAE_SWAP_ANSWERED) {
		ret = 0;
		goto answered;
	}
	p = oae_host_poll(&ctx->hl, &ans);
	switch (p) {
	case OAE_POLL_PENDING:
		if (oae_up(od)) {
			ret = -EAGAIN;
			break;
		}
		ctx->cnt.fallbacks++;
		trace_oae_fallback(t->link, READ_ONCE(od->state));
		ret = -ENODEV;
		oae_swap_end(ctx, false, OAE_ABORT_WITHDRAWN, ret);
		break;
	case OAE_POLL_ANSWERED:
		ctx->rtt_ns = ktime_get_ns() - ctx->offer_ns;
		oae_count_rtt(ctx, ctx->rtt_ns);
		if (ans.status != OAE_ANSWER_OK) {
			ret = -ENOENT;
			oae_swap_end(ctx, false, OAE_ABORT_DECLINED, ret);
			break;
		}
		ctx->answer = ans;
		ctx->phase = OAE_SWAP_ANSWERED;
		ret = 0;
		goto answered;
	default:
		ctx->cnt.proto_err[p]++;
		ret = -EPROTO;
		oae_swap_end(ctx, false, p == OAE_POLL_BAD_REFLECT ?
			     OAE_ABORT_BAD_REFLECT : OAE_ABORT_BAD_ANSWER, ret);
		break;
	}
	goto unlock;
answered:
	*a = ctx->answer;
	if (rtt_ns)
		*rtt_ns = ctx->rtt_ns;
unlock:
	raw_spin_unlock_irqrestore(&ctx->lock, flags);
	if (ret == -EPROTO)
		oae_warn_atomic(od, OAE_WARN_BAD_ANSWER,
				"link %u swap %llu: %s answer\n", t->link, seq,
				oae_poll_name(p));
	return ret;
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_poll);

/*
 * Step 3 for ticket @t: publish COMMIT (@commit, only once answered) or
 * ABORT with @reason; @result is what the holder reports (traced).
 */
static int oae_swap_finish(struct oae_dev *od, const struct oae_ticket *t,
			   bool commit, enum oae_abort_reason reason, int result)
{
	struct oae_link_ctx *ctx;
	unsigned long flags;
	int ret = 0;

	if (!oae_link_valid(od, t->link))
		return -ESTALE;
	ctx = od->links[t->link];
	raw_spin_lock_irqsave(&ctx->lock, flags);
	if (!oae_ticket_current(ctx, t))
		ret = -ESTALE;
	else if (commit && ctx->phase != OAE_SWAP_ANSWERED)
		ret = -EINVAL;
	else
		oae_swap_end(ctx, commit, commit ? OAE_ABORT_NONE : reason,
			     result);
	raw_spin_unlock_irqrestore(&ctx->lock, flags);
	return ret;
}

int oae_swap_commit(struct oae_dev *od, const struct oae_ticket *t)
{
	return oae_swap_finish(od, t, true, OAE_ABORT_NONE, 0);
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_commit);

int oae_swap_abort(struct oae_dev *od, const struct oae_ticket *t,
		   enum oae_abort_reason reason)
{
	if (reason == OAE_ABORT_NONE || reason > OAE_ABORT_REASON_MAX)
		return -EINVAL;
	return oae_swap_finish(od, t, false, reason, -ECANCELED);
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_abort);

/* Withdraw @t for a waiter giving up with @err; -ESTALE if it ended. */
static int oae_swap_withdraw(struct oae_dev *od, const struct oae_ticket *t,
			     int err)
{
	int ret = oae_swap_finish(od, t, false, OAE_ABORT_WITHDRAWN, err);

	return ret ? ret : err;
}

int oae_swap_wait(struct oae_dev *od, const struct oae_ticket *t,
		  struct oae_answer *a, u64 budget_ns, u64 *rtt_ns)
{
	u64 start;
	int ret;

	if (budget_ns > OAE_SPIN_BUDGET_MAX_NS)
		return -EINVAL;
	if (!budget_ns)
		budget_ns = READ_ONCE(od->spin_budget_ns);
	start = ktime_get_ns();
	for (;;) {
		ret = oae_swap_poll(od, t, a, rtt_ns);
		if (ret != -EAGAIN)
			return ret;
		if (ktime_get_ns() - start >= budget_ns)
			return oae_swap_withdraw(od, t, -ETIMEDOUT);
		cpu_relax();
	}
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_wait);

/* Polls spun before a sleepable wait starts sleeping between polls. */
#define OAE_SLEEPABLE_SPINS	64

int oae_swap_wait_sleepable(struct oae_dev *od, const struct oae_ticket *t,
			    struct oae_answer *a, u64 *rtt_ns)
{
	u64 timeout = READ_ONCE(od->swap_timeout_ns);
	u64 start = ktime_get_ns();
	unsigned int spins = 0;
	int ret;

	might_sleep();
	for (;;) {
		ret = oae_swap_poll(od, t, a, rtt_ns);
		if (ret != -EAGAIN)
			return ret;
		if (fatal_signal_pending(current))
			return oae_swap_withdraw(od, t, -EINTR);
		if (ktime_get_ns() - start > timeout)
			return oae_swap_withdraw(od, t, -ETIMEDOUT);
		if (++spins > OAE_SLEEPABLE_SPINS)
			usleep_range(5, 20);
		else
			cpu_relax();
	}
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_wait_sleepable);

/*
 * The callback form's step 3: @ret is the wait's result. A ticket that
 * went stale ended with its epoch: the caller falls back.
 */
static int oae_swap_decide(struct oae_dev *od, struct oae_swap_req *req,
			   int ret)
{
	if (!ret && req->check && !req->check(req->arg, &req->answer))
		ret = oae_swap_finish(od, &req->ticket, false,
				      OAE_ABORT_STALE_OBJECT, -ECANCELED) ?:
		      -ECANCELED;
	else if (!ret)
		ret = oae_swap_commit(od, &req->ticket);
	return ret == -ESTALE ? -ENODEV : ret;
}

int oae_swap(struct oae_dev *od, u32 link, struct oae_swap_req *req)
{
	int ret;

	if (req->budget_ns > OAE_SPIN_BUDGET_MAX_NS)
		return -EINVAL;
	req->rtt_ns = 0;
	ret = oae_swap_start(od, link, &req->offer, &req->ticket);
	if (ret)
		return ret;
	ret = oae_swap_wait(od, &req->ticket, &req->answer, req->budget_ns,
			    &req->rtt_ns);
	return oae_swap_decide(od, req, ret);
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap);

int oae_swap_sleepable(struct oae_dev *od, u32 link, struct oae_swap_req *req)
{
	int ret;

	might_sleep();
	req->rtt_ns = 0;
	ret = oae_swap_start(od, link, &req->offer, &req->ticket);
	if (ret)
		return ret;
	ret = oae_swap_wait_sleepable(od, &req->ticket, &req->answer,
				      &req->rtt_ns);
	return oae_swap_decide(od, req, ret);
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_sleepable);

void oae_count_stale(struct oae_dev *od, u32 link)
{
	struct oae_link_ctx *ctx;
	unsigned long flags;

	if (!oae_link_valid(od, link))
		return;
	ctx = od->links[link];
	raw_spin_lock_irqsave(&ctx->lock, flags);
	ctx->cnt.stale++;
	raw_spin_unlock_irqrestore(&ctx->lock, flags);
}

/*
 * Many producers, no lock: reserve a position with a host-local atomic
 * (the IPU's tail only bounds it), then write and publish the slot alone.
 * The RCU read side lets an attach wait out every post of the old epoch.
 */
static int oae_event_post_in(struct oae_dev *od, int allowed, u32 type,
			     u32 link, const u64 args[OAE_EVENT_ARGS])
{
	struct oae_post_stats *ps;
	u64 head, tail;
	int room, ret = 0;

	if (type == OAE_EV_NONE || type > OAE_EV_MAX || link >= od->nr_links)
		return -EINVAL;
	rcu_read_lock();
	/* Pairs with oae_set_state(): the epoch below matches the state. */
	if (smp_load_acquire(&od->state) != allowed) {
		rcu_read_unlock();
		return -ENODEV;
	}
	/* Acquire: the IPU has finished reading every slot below its tail. */
	tail = oae_ld64_acquire(&od->hdr->ring_consumed);
	head = atomic64_read(&od->ring_head);
	do {
		room = oae_ring_room(head, tail, od->geo.ring_entries);
		if (room <= 0)
			break;
	} while (!atomic64_try_cmpxchg(&od->ring_head, &head, head + 1));
	if (room > 0)
		oae_ring_write(od->ring, od->geo.ring_entries, od->epoch,
			       head + 1, type, link, args);
	rcu_read_unlock();

	ps = get_cpu_ptr(od->post_stats);
	if (room > 0) {
		ps->posted++;
	} else if (room == 0) {
		ps->full++;
		ret = -ENOSPC;
	} else {
		ps->errors++;
		ret = -EPROTO;
	}
	put_cpu_ptr(od->post_stats);
	if (room < 0)
		oae_warn_atomic(od, OAE_WARN_RING_TAIL,
				"IPU ring tail is beyond our head\n");
	return ret;
}

int oae_event_post(struct oae_dev *od, u32 type, u32 link,
		   const u64 args[OAE_EVENT_ARGS])
{
	return oae_event_post_in(od, OAE_STATE_UP, type, link, args);
}
EXPORT_SYMBOL_IF_KUNIT(oae_event_post);

int oae_event_replay(struct oae_dev *od, u32 type, u32 link,
		     const u64 args[OAE_EVENT_ARGS])
{
	return oae_event_post_in(od, OAE_STATE_REPLAYING, type, link, args);
}
EXPORT_SYMBOL_IF_KUNIT(oae_event_replay);

void oae_post_stats_sum(struct oae_dev *od, struct oae_post_stats *sum)
{
	int cpu;

	memset(sum, 0, sizeof(*sum));
	for_each_possible_cpu(cpu) {
		const struct oae_post_stats *ps = per_cpu_ptr(od->post_stats,
							      cpu);

		sum->posted += READ_ONCE(ps->posted);
		sum->full += READ_ONCE(ps->full);
		sum->errors += READ_ONCE(ps->errors);
	}
}
EXPORT_SYMBOL_IF_KUNIT(oae_post_stats_sum);

void oae_link_counters_sum(struct oae_dev *od, struct oae_link_counters *sum)
{
	unsigned long flags;
	u32 i, j;

	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < od->geo.nr_links; i++) {
		struct oae_link_ctx *ctx = od->links[i];
		const u64 *src = (const u64 *)&ctx->cnt;
		u64 *dst = (u64 *)sum;

		raw_spin_lock_irqsave(&ctx->lock, flags);
		for (j = 0; j < sizeof(*sum) / sizeof(u64); j++)
			dst[j] += src[j];
		raw_spin_unlock_irqrestore(&ctx->lock, flags);
	}
}

/* The same for one class's links (the scheduler's, the faults'). */
void oae_link_class_counters_sum(struct oae_dev *od, u32 cls,
				 struct oae_link_counters *sum)
{
	unsigned long flags;
	u32 cpu, j;

	memset(sum, 0, sizeof(*sum));
	if (cls >= OAE_NR_CLASSES)
		return;
	for (cpu = 0; cpu < od->nr_links; cpu++) {
		struct oae_link_ctx *ctx =
			od->links[oae_link_index(&od->geo, cls, cpu)];
		const u64 *src = (const u64 *)&ctx->cnt;
		u64 *dst = (u64 *)sum;

		raw_spin_lock_irqsave(&ctx->lock, flags);
		for (j = 0; j < sizeof(*sum) / sizeof(u64); j++)
			dst[j] += src[j];
		raw_spin_unlock_irqrestore(&ctx->lock, flags);
	}
}

/* Link contexts come one per cache line: links never share one. */
int oae_link_cache_init(void)
{
	oae_link_cache = KMEM_CACHE(oae_link_ctx, SLAB_HWCACHE_ALIGN);
	return oae_link_cache ? 0 : -ENOMEM;
}

void oae_link_cache_exit(void)
{
	kmem_cache_destroy(oae_link_cache);
}

/*
 * The ring position to continue from. Positions must never be reused: an
 * old slot whose seq word matched a new position would be consumed (as a
 * bad entry) in its place. The last load of the driver may have posted
 * past the ring_base it published, so continue after the highest position
 * in the ring itself; both are our own writes. Out-of-range values are
 * ignored (and counted).
 */
static u64 oae_seed_ring(struct oae_dev *od)
{
	u64 head = oae_seed(od, &od->host->ring_base, OAE_RING_POS_LIMIT);
	u32 i;

	for (i = 0; i < od->geo.ring_entries; i++) {
		u64 seq = oae_ld64(&od->ring[i].seq);

		if (seq > head && seq < OAE_RING_POS_LIMIT)
			head = seq;
	}
	return head;
}

/*
 * Allocate the links (every class's) and seed every number from our own
 * half of the window, each bounded (OAE_*_LIMIT) so no later step can
 * wrap. The link stays dead until oae_link_start() or a tick sees the IPU
 * ready.
 */
int oae_link_init(struct oae_dev *od)
{
	u32 i;

	od->nr_links = min_t(u32, nr_cpu_ids, od->geo.links_per_class);
	od->links = kcalloc(od->geo.nr_links, sizeof(*od->links), GFP_KERNEL);
	if (!od->links)
		return -ENOMEM;
	od->post_stats = alloc_percpu(struct oae_post_stats);
	if (!od->post_stats) {
		oae_link_free(od);
		return -ENOMEM;
	}
	od->host = od->win + od->geo.host_hdr_offset;
	od->ring = od->win + od->geo.ring_offset;
	for (i = 0; i < od->geo.nr_links; i++) {
		struct oae_link_ctx *ctx;

		ctx = kmem_cache_alloc_node(oae_link_cache,
					    GFP_KERNEL | __GFP_ZERO,
					    cpu_to_node(i % od->geo.links_per_class %
							nr_cpu_ids));
		if (!ctx) {
			oae_link_free(od);
			return -ENOMEM;
		}
		od->links[i] = ctx;
		raw_spin_lock_init(&ctx->lock);
		/* Continue the numbering our half already carries. */
		ctx->hl.seq = oae_seed(od, &oae_tx(od, i)->offer_seq,
				       OAE_SEQ_LIMIT);
	}
	atomic64_set(&od->ring_head, oae_seed_ring(od));
	od->epoch = oae_seed(od, &od->host->host_epoch, OAE_EPOCH_LIMIT);
	INIT_LIST_HEAD(&od->custody_users);
	mutex_init(&od->attach_lock);
	od->swap_timeout_ns = OAE_DEFAULT_SWAP_TIMEOUT_NS;
	od->spin_budget_ns = OAE_DEFAULT_SPIN_BUDGET_NS;
	od->heartbeat_ms = OAE_DEFAULT_HEARTBEAT_MS;
	od->dead_threshold = OAE_DEFAULT_DEAD_THRESHOLD;
	od->state = OAE_STATE_DEAD;
	od->last_ipu_heartbeat = oae_ld64(&od->hdr->ipu_heartbeat);
	INIT_DELAYED_WORK(&od->hb_work, oae_heartbeat_work);
	return 0;
}
EXPORT_SYMBOL_IF_KUNIT(oae_link_init);

void oae_link_free(struct oae_dev *od)
{
	u32 i;

	free_percpu(od->post_stats);
	od->post_stats = NULL;
	if (!od->links)
		return;
	for (i = 0; i < od->geo.nr_links; i++)
		if (od->links[i])	/* NULL past a failed allocation */
			kmem_cache_free(oae_link_cache, od->links[i]);
	kfree(od->links);
	od->links = NULL;
}
EXPORT_SYMBOL_IF_KUNIT(oae_link_free);

/* Attach (or wait for the IPU) once oaeN exists: it logs through it. */
void oae_link_start(struct oae_dev *od)
{
	if (od->nr_links < nr_cpu_ids)
		dev_notice(od->dev,
			   "IPU offers %u links per class for %u CPUs: CPUs %u+ decide locally\n",
			   od->geo.links_per_class, nr_cpu_ids, od->nr_links);
	if (od->restarts)
		dev_warn(od->dev,
			 "our half of the window carried numbers beyond their bounds: numbering restarted\n");
	mutex_lock(&od->attach_lock);
	if (oae_ld64_acquire(&od->hdr->ipu_state) == OAE_IPU_READY)
		oae_attach(od);
	mutex_unlock(&od->attach_lock);
	schedule_delayed_work(&od->hb_work, 0);
}

/* No tick runs after this; swaps still waiting see the link down. */
void oae_link_stop(struct oae_dev *od)
{
	cancel_delayed_work_sync(&od->hb_work);
	mutex_lock(&od->attach_lock);
	oae_set_state(od, OAE_STATE_DEAD);
	oae_host_set_state(od->host, OAE_HOST_DETACHED);
	mutex_unlock(&od->attach_lock);
}
