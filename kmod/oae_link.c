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

static void oae_set_state(struct oae_dev *od, int state)
{
	trace_oae_state(od->state, state, od->epoch);
	WRITE_ONCE(od->state, state);
}

/*
 * Bind every link and the ring to a new epoch and ask the IPU to adopt it.
 * Swap numbers and ring positions continue, so nothing from an old epoch
 * can ever be taken for something new. Called with attach_lock held.
 */
static void oae_attach(struct oae_dev *od)
{
	unsigned long flags;
	u32 i;

	od->epoch = max(od->epoch, oae_ld64(&od->hdr->ipu_epoch)) + 1;
	oae_set_state(od, OAE_STATE_ATTACHING);
	for (i = 0; i < od->nr_links; i++) {
		struct oae_link_ctx *ctx = &od->links[i];

		raw_spin_lock_irqsave(&ctx->lock, flags);
		oae_host_link_init(&ctx->hl, oae_tx(od, i), oae_rx(od, i), i,
				   od->epoch, ctx->hl.seq);
		raw_spin_unlock_irqrestore(&ctx->lock, flags);
	}
	raw_spin_lock_irqsave(&od->ring_lock, flags);
	oae_ring_producer_init(&od->ring, od->win + od->geo.ring_offset,
			       od->geo.ring_entries, &od->host->ring_produced,
			       &od->hdr->ring_consumed, od->epoch, od->ring.head);
	raw_spin_unlock_irqrestore(&od->ring_lock, flags);
	od->lv.heartbeat = oae_ld64(&od->host->host_heartbeat);
	od->lv.missed = 0;
	oae_host_request_epoch(od->host, od->epoch, od->nr_links);
	dev_info(od->dev, "attaching, epoch %llu\n", od->epoch);
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
	enum oae_live live;

	mutex_lock(&od->attach_lock);
	switch (od->state) {
	case OAE_STATE_ATTACHING:
	case OAE_STATE_UP:
		live = oae_host_heartbeat(od->host, od->hdr, &od->lv,
					  READ_ONCE(od->dead_threshold));
		if (live == OAE_LIVE_DEAD) {
			oae_declare_dead(od, "missed its heartbeat");
			break;
		}
		if (live == OAE_LIVE_STOPPED) {
			oae_declare_dead(od, "stopped serving");
			break;
		}
		if (od->state == OAE_STATE_ATTACHING &&
		    oae_host_epoch_acked(od->hdr, od->epoch)) {
			oae_host_set_state(od->host, OAE_HOST_ATTACHED);
			oae_set_state(od, OAE_STATE_UP);
			dev_info(od->dev, "up, epoch %llu\n", od->epoch);
		}
		break;
	case OAE_STATE_DEAD:
		oae_try_recover(od);
		break;
	default:
		break;
	}
	mutex_unlock(&od->attach_lock);
	schedule_delayed_work(&od->hb_work,
			      msecs_to_jiffies(READ_ONCE(od->heartbeat_ms)));
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

	if (link >= od->nr_links || req->offer.op == OAE_OP_NONE ||
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
		/* S4: the IPU must apply every event published so far. */
		oae_host_offer(&ctx->hl, &req->offer,
			       oae_ld64_acquire(&od->host->ring_produced));
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
	if (link >= od->nr_links || !READ_ONCE(od->links[link].busy))
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

int oae_event_post(struct oae_dev *od, u32 type, u32 link,
		   const u64 args[OAE_EVENT_ARGS])
{
	unsigned long flags;
	int ret;

	if (!oae_up(od))
		return -ENODEV;
	raw_spin_lock_irqsave(&od->ring_lock, flags);
	ret = oae_ring_post(&od->ring, type, link, args);
	if (ret > 0)
		od->ring_full++;
	else if (ret < 0)
		od->ring_errors++;
	raw_spin_unlock_irqrestore(&od->ring_lock, flags);
	if (ret < 0)
		dev_warn_ratelimited(od->dev, "IPU ring tail is beyond our head\n");
	return ret > 0 ? -ENOSPC : ret < 0 ? -EPROTO : 0;
}
EXPORT_SYMBOL_IF_KUNIT(oae_event_post);

void oae_link_counters_sum(struct oae_dev *od, struct oae_link_counters *sum)
{
	unsigned long flags;
	u32 i, j;

	BUILD_BUG_ON(sizeof(*sum) % sizeof(u64));
	memset(sum, 0, sizeof(*sum));
	for (i = 0; i < od->nr_links; i++) {
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
	u32 i;

	od->nr_links = min_t(u32, nr_cpu_ids, od->geo.nr_links);
	if (od->nr_links < nr_cpu_ids)
		dev_notice(&od->pdev->dev,
			   "IPU offers %u links for %u CPUs: CPUs %u+ decide locally\n",
			   od->geo.nr_links, nr_cpu_ids, od->nr_links);
	od->links = devm_kcalloc(&od->pdev->dev, od->nr_links,
				 sizeof(*od->links), GFP_KERNEL);
	if (!od->links)
		return -ENOMEM;
	od->host = od->win + od->geo.host_hdr_offset;
	for (i = 0; i < od->nr_links; i++) {
		raw_spin_lock_init(&od->links[i].lock);
		/* Continue the numbering our half already carries. */
		od->links[i].hl.seq = oae_ld64(&oae_tx(od, i)->offer_seq);
	}
	raw_spin_lock_init(&od->ring_lock);
	od->ring.head = oae_ld64(&od->host->ring_produced);
	mutex_init(&od->attach_lock);
	od->swap_timeout_ns = OAE_DEFAULT_SWAP_TIMEOUT_NS;
	od->heartbeat_ms = OAE_DEFAULT_HEARTBEAT_MS;
	od->dead_threshold = OAE_DEFAULT_DEAD_THRESHOLD;
	od->state = OAE_STATE_DEAD;
	od->epoch = oae_ld64(&od->host->host_epoch);
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
