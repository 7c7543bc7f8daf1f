// SPDX-License-Identifier: GPL-2.0
/*
 * The host side of the bilateral swap: per-CPU links, epochs, liveness and
 * the swap API the scheduling and memory offloads call.
 *
 * Each link's half of the window is written only under its raw spinlock,
 * held briefly for each step (offer, one poll, settle), never while
 * waiting, so swaps work with preemption or interrupts disabled and the
 * sleepable variant can sleep between polls. Safety never rests on a
 * timeout: the wait bound only decides when a caller withdraws and decides
 * locally; the answer it withdrew from can never be enforced (S1, S5).
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
#define OAE_DEFAULT_HEARTBEAT_MS	10
#define OAE_DEFAULT_DEAD_THRESHOLD	50

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

static struct oae_link_host *oae_tx(struct oae_dev *od, u32 i)
{
	return od->win + od->geo.host_links_offset + (u64)i * od->geo.link_stride;
}

static const struct oae_link_ipu *oae_rx(struct oae_dev *od, u32 i)
{
	return od->win + od->geo.ipu_links_offset + (u64)i * od->geo.link_stride;
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

/*
 * Bind every link and the ring to a new epoch and ask the IPU to adopt it.
 * Called with attach_lock held, in process context. The epoch, swap
 * numbers and ring positions come from the host's own memory, never from
 * a word the IPU wrote; the nonce makes the ack prove this very request.
 */
static void oae_attach(struct oae_dev *od)
{
	unsigned long flags;
	u32 cls, cpu;

	/*
	 * Leave UP first, then wait out every post that saw UP: no event of
	 * the old epoch can land after the new epoch's ring base.
	 */
	oae_set_state(od, OAE_STATE_ATTACHING);
	synchronize_rcu();
	od->epoch = od->epoch >= OAE_EPOCH_MAX ? 1 : od->epoch + 1;
	od->nonce = get_random_u64();
	/* Attaching is a wait like any other: bounded like a dead IPU. */
	od->attach_deadline = jiffies +
		msecs_to_jiffies(min_t(u64, UINT_MAX,
				       (u64)READ_ONCE(od->heartbeat_ms) *
				       READ_ONCE(od->dead_threshold)));
	for (cls = 0; cls < OAE_NR_CLASSES; cls++) {
		for (cpu = 0; cpu < od->nr_links; cpu++) {
			u32 i = oae_link_index(&od->geo, cls, cpu);
			struct oae_link_ctx *ctx = &od->links[i];

			raw_spin_lock_irqsave(&ctx->lock, flags);
			oae_host_link_init(&ctx->hl, oae_tx(od, i),
					   oae_rx(od, i), i, od->epoch,
					   ctx->hl.seq);
			raw_spin_unlock_irqrestore(&ctx->lock, flags);
		}
	}
	od->lv.heartbeat = oae_ld64(&od->host->host_heartbeat);
	od->lv.missed = 0;
	oae_host_request_epoch(od->host, od->epoch, od->nonce, od->nr_links,
			       atomic64_read(&od->ring_head));
	dev_info(od->dev, "attaching, epoch %llu\n", od->epoch);
}

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
			dev_warn(od->dev, "custody replay failed (%pe): new epoch\n",
				 ERR_PTR(ret));
			oae_attach(od);
			return;
		}
	}
	oae_set_state(od, OAE_STATE_UP);
	dev_info(od->dev, "up, epoch %llu (IPU boot %#llx)\n", od->epoch,
		 od->ipu_boot_id);
}

static void oae_declare_dead(struct oae_dev *od, const char *why)
{
	od->deaths++;
	od->last_ipu_heartbeat = oae_ld64(&od->hdr->ipu_heartbeat);
	oae_set_state(od, OAE_STATE_DEAD);
	dev_warn(od->dev, "IPU %s (epoch %llu): deciding locally until it recovers\n",
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

static void oae_heartbeat_work(struct work_struct *work)
{
	struct oae_dev *od = container_of(to_delayed_work(work), struct oae_dev,
					  hb_work);
	unsigned long next = msecs_to_jiffies(READ_ONCE(od->heartbeat_ms));
	enum oae_live live;

	mutex_lock(&od->attach_lock);
	switch (od->state) {
	case OAE_STATE_ATTACHING:
		/*
		 * The ack is looked for every jiffy, so a re-attach costs the
		 * IPU's reaction time, not a liveness tick; the wait is still
		 * bounded, by dead_threshold ticks.
		 */
		if (oae_ld64_acquire(&od->hdr->ipu_state) != OAE_IPU_READY) {
			oae_declare_dead(od, "stopped serving");
		} else if (oae_host_epoch_acked(od->hdr, od->epoch, od->nonce,
						&od->ipu_boot_id)) {
			oae_go_up(od);
		} else if (time_after(jiffies, od->attach_deadline)) {
			oae_declare_dead(od, "did not acknowledge the attach");
		} else {
			next = 1;
		}
		break;
	case OAE_STATE_UP:
		/*
		 * A restart between two ticks leaves the IPU READY and beating
		 * but without our epoch's state: another boot id, epoch or
		 * state says so. Move to a new epoch at once.
		 */
		if (!oae_host_epoch_held(od->hdr, od->epoch, od->ipu_boot_id) &&
		    oae_ld64_acquire(&od->hdr->ipu_state) == OAE_IPU_READY) {
			od->restarts++;
			dev_warn(od->dev, "IPU restarted (epoch %llu lost): re-attaching\n",
				 od->epoch);
			oae_attach(od);
			next = 1;
			break;
		}
		live = oae_host_heartbeat(od->host, od->hdr, &od->lv,
					  READ_ONCE(od->dead_threshold));
		if (live == OAE_LIVE_DEAD)
			oae_declare_dead(od, "missed its heartbeat");
		else if (live == OAE_LIVE_STOPPED)
			oae_declare_dead(od, "stopped serving");
		break;
	case OAE_STATE_DEAD:
		oae_try_recover(od);
		if (od->state == OAE_STATE_ATTACHING)
			next = 1;
		break;
	default:
		break;
	}
	mutex_unlock(&od->attach_lock);
	schedule_delayed_work(&od->hb_work, next);
}

/* ------------------------------------------------------------------ */
/* Swaps                                                               */

static void oae_count_rtt(struct oae_link_ctx *ctx, u64 ns)
{
	ctx->cnt.rtt[min_t(u32, ns ? ilog2(ns) + 1 : 0, OAE_RTT_BUCKETS - 1)]++;
}

static void oae_abort_swap(struct oae_link_ctx *ctx, struct oae_swap_req *req,
			   enum oae_abort_reason why)
{
	req->reason = why;
	oae_host_settle(&ctx->hl, 0, why);
	ctx->cnt.aborted[why]++;
	trace_oae_abort(ctx->hl.index, ctx->hl.seq, why);
}

/* Step 1 under the link lock: offer, or say why not. */
static int oae_swap_begin(struct oae_dev *od, u32 link,
			  struct oae_swap_req *req)
{
	struct oae_link_ctx *ctx;
	unsigned long flags;
	int ret = 0;

	if (!oae_link_valid(od, link) || req->offer.op == OAE_OP_NONE ||
	    req->offer.op > OAE_OP_MAX)
		return -EINVAL;
	ctx = &od->links[link];
	raw_spin_lock_irqsave(&ctx->lock, flags);
	if (!oae_up(od)) {
		ctx->cnt.fallbacks++;
		trace_oae_fallback(link, READ_ONCE(od->state));
		ret = -ENODEV;
	} else if (ctx->busy) {
		ctx->cnt.busy++;
		ret = -EBUSY;
	} else {
		ctx->busy = true;
		/* S4: the IPU must apply every event reserved so far. */
		oae_host_offer(&ctx->hl, &req->offer,
			       atomic64_read(&od->ring_head));
		ctx->offer_epoch = ctx->hl.epoch;
		ctx->offer_ns = ktime_get_ns();
		ctx->cnt.offered++;
	}
	raw_spin_unlock_irqrestore(&ctx->lock, flags);
	return ret;
}

/*
 * Steps 2-3 under the link lock: one poll. Returns true when the swap is
 * over (*ret says how); @give_up withdraws a still-pending swap with
 * @give_up_err.
 */
static bool oae_swap_step(struct oae_dev *od, struct oae_link_ctx *ctx,
			  struct oae_swap_req *req, bool give_up,
			  int give_up_err, int *ret)
{
	enum oae_poll p;

	if (ctx->offer_epoch != ctx->hl.epoch) {
		/* Re-bound to a new epoch: the swap ended with the old one. */
		ctx->cnt.fallbacks++;
		req->reason = OAE_ABORT_WITHDRAWN;
		*ret = -ENODEV;
		goto done;
	}
	p = oae_host_poll(&ctx->hl, &req->answer);
	switch (p) {
	case OAE_POLL_PENDING:
		if (!oae_up(od)) {
			oae_abort_swap(ctx, req, OAE_ABORT_WITHDRAWN);
			ctx->cnt.fallbacks++;
			trace_oae_fallback(ctx->hl.index, READ_ONCE(od->state));
			*ret = -ENODEV;
			goto done;
		}
		if (!give_up)
			return false;
		oae_abort_swap(ctx, req, OAE_ABORT_WITHDRAWN);
		*ret = give_up_err;
		goto done;
	case OAE_POLL_ANSWERED:
		req->rtt_ns = ktime_get_ns() - ctx->offer_ns;
		oae_count_rtt(ctx, req->rtt_ns);
		if (req->answer.status != OAE_ANSWER_OK) {
			oae_abort_swap(ctx, req, OAE_ABORT_DECLINED);
			*ret = -ENOENT;
		} else if (req->check && !req->check(req->arg, &req->answer)) {
			oae_abort_swap(ctx, req, OAE_ABORT_STALE_OBJECT);
			*ret = -ECANCELED;
		} else {
			oae_host_settle(&ctx->hl, 1, OAE_ABORT_NONE);
			req->reason = OAE_ABORT_NONE;
			ctx->cnt.committed++;
			*ret = 0;
		}
		goto done;
	default:
		ctx->cnt.proto_err[p]++;
		oae_abort_swap(ctx, req, p == OAE_POLL_BAD_REFLECT ?
			       OAE_ABORT_BAD_REFLECT : OAE_ABORT_BAD_ANSWER);
		dev_warn_ratelimited(od->dev, "link %u swap %llu: %s answer\n",
				     ctx->hl.index, ctx->hl.seq, oae_poll_name(p));
		*ret = -EPROTO;
		goto done;
	}
done:
	trace_oae_swap(ctx->hl.index, ctx->hl.seq, req->offer.op, *ret,
		       req->rtt_ns);
	ctx->busy = false;
	return true;
}

static int oae_swap_wait(struct oae_dev *od, u32 link, struct oae_swap_req *req,
			 bool sleepable)
{
	struct oae_link_ctx *ctx = &od->links[link];
	u64 timeout = READ_ONCE(od->swap_timeout_ns);
	unsigned long flags;
	unsigned int spins = 0;
	bool over;
	int ret;

	for (;;) {
		bool give_up = ktime_get_ns() - ctx->offer_ns > timeout;
		int err = -ETIMEDOUT;

		if (sleepable && signal_pending(current)) {
			give_up = true;
			err = -EINTR;
		}
		raw_spin_lock_irqsave(&ctx->lock, flags);
		over = oae_swap_step(od, ctx, req, give_up, err, &ret);
		raw_spin_unlock_irqrestore(&ctx->lock, flags);
		if (over)
			return ret;
		if (sleepable && ++spins > 64)
			usleep_range(5, 20);
		else
			cpu_relax();
	}
}

int oae_swap_start(struct oae_dev *od, u32 link, struct oae_swap_req *req)
{
	req->rtt_ns = 0;
	return oae_swap_begin(od, link, req);
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_start);

int oae_swap_complete(struct oae_dev *od, u32 link, struct oae_swap_req *req)
{
	if (!oae_link_valid(od, link) || !READ_ONCE(od->links[link].busy))
		return -EINVAL;
	return oae_swap_wait(od, link, req, false);
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_complete);

int oae_swap(struct oae_dev *od, u32 link, struct oae_swap_req *req)
{
	int ret = oae_swap_start(od, link, req);

	return ret ? ret : oae_swap_wait(od, link, req, false);
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap);

int oae_swap_sleepable(struct oae_dev *od, u32 link, struct oae_swap_req *req)
{
	int ret;

	might_sleep();
	ret = oae_swap_start(od, link, req);
	return ret ? ret : oae_swap_wait(od, link, req, true);
}
EXPORT_SYMBOL_IF_KUNIT(oae_swap_sleepable);

void oae_count_stale(struct oae_dev *od, u32 link)
{
	unsigned long flags;

	raw_spin_lock_irqsave(&od->links[link].lock, flags);
	od->links[link].cnt.stale++;
	raw_spin_unlock_irqrestore(&od->links[link].lock, flags);
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
		dev_warn_ratelimited(od->dev, "IPU ring tail is beyond our head\n");
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
		struct oae_link_ctx *ctx = &od->links[i];
		const u64 *src = (const u64 *)&ctx->cnt;
		u64 *dst = (u64 *)sum;

		raw_spin_lock_irqsave(&ctx->lock, flags);
		for (j = 0; j < sizeof(*sum) / sizeof(u64); j++)
			dst[j] += src[j];
		raw_spin_unlock_irqrestore(&ctx->lock, flags);
	}
}

int oae_link_init(struct oae_dev *od)
{
	u64 epoch, head;
	u32 i;

	od->nr_links = min_t(u32, nr_cpu_ids, od->geo.links_per_class);
	if (od->nr_links < nr_cpu_ids)
		dev_notice(&od->pdev->dev,
			   "IPU offers %u links per class for %u CPUs: CPUs %u+ decide locally\n",
			   od->geo.links_per_class, nr_cpu_ids, od->nr_links);
	od->links = devm_kcalloc(&od->pdev->dev, od->geo.nr_links,
				 sizeof(*od->links), GFP_KERNEL);
	if (!od->links)
		return -ENOMEM;
	od->post_stats = devm_alloc_percpu(&od->pdev->dev,
					   struct oae_post_stats);
	if (!od->post_stats)
		return -ENOMEM;
	od->host = od->win + od->geo.host_hdr_offset;
	od->ring = od->win + od->geo.ring_offset;
	for (i = 0; i < od->geo.nr_links; i++) {
		raw_spin_lock_init(&od->links[i].lock);
		/* Continue the numbering our own half carries (bounded there). */
		od->links[i].hl.seq = oae_ld64(&oae_tx(od, i)->offer_seq);
	}
	/*
	 * Ring positions must never be reused: an old slot whose seq word
	 * matched a new position would be consumed (as a bad entry) in its
	 * place. The last load of the driver may have posted past the
	 * ring_base it published, so continue after the highest position
	 * in the ring itself; both are our own writes. Out-of-range values
	 * are ignored.
	 */
	head = oae_ld64(&od->host->ring_base);
	if (head > OAE_SEQ_MAX)
		head = 0;
	for (i = 0; i < od->geo.ring_entries; i++) {
		u64 seq = oae_ld64(&od->ring[i].seq);

		if (seq > head && seq <= OAE_SEQ_MAX)
			head = seq;
	}
	atomic64_set(&od->ring_head, head);
	epoch = oae_ld64(&od->host->host_epoch);
	od->epoch = epoch >= OAE_EPOCH_MAX ? 0 : epoch;
	INIT_LIST_HEAD(&od->custody_users);
	mutex_init(&od->attach_lock);
	od->swap_timeout_ns = OAE_DEFAULT_SWAP_TIMEOUT_NS;
	od->heartbeat_ms = OAE_DEFAULT_HEARTBEAT_MS;
	od->dead_threshold = OAE_DEFAULT_DEAD_THRESHOLD;
	od->state = OAE_STATE_DEAD;
	INIT_DELAYED_WORK(&od->hb_work, oae_heartbeat_work);
	return 0;
}

/* Attach (or wait for the IPU) once oaeN exists: it logs through it. */
void oae_link_start(struct oae_dev *od)
{
	mutex_lock(&od->attach_lock);
	if (oae_ld64_acquire(&od->hdr->ipu_state) == OAE_IPU_READY)
		oae_attach(od);
	else
		od->last_ipu_heartbeat = oae_ld64(&od->hdr->ipu_heartbeat);
	mutex_unlock(&od->attach_lock);
	schedule_delayed_work(&od->hb_work, 0);
}

void oae_link_exit(struct oae_dev *od)
{
	cancel_delayed_work_sync(&od->hb_work);
	mutex_lock(&od->attach_lock);
	oae_set_state(od, OAE_STATE_DEAD);
	oae_host_set_state(od->host, OAE_HOST_DETACHED);
	mutex_unlock(&od->attach_lock);
}
