// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * IPU runtime (see ipu_core.h): window formatting, liveness, epochs, and
 * serving links and the event ring with the shared protocol core.
 */
#include "ipu_core.h"

/* Events applied per poll round, so one core never starves its links. */
#define OAE_RING_BATCH	256

static void oae_lock(int *l)
{
	while (__atomic_exchange_n(l, 1, __ATOMIC_ACQUIRE))
		while (__atomic_load_n(l, __ATOMIC_RELAXED))
			;
}

static void oae_unlock(int *l)
{
	__atomic_store_n(l, 0, __ATOMIC_RELEASE);
}

static void oae_zero(void *p, oae_u64 len)
{
	oae_u64 *w = p;
	oae_u64 i;

	/* 64-bit stores only: the window may be mapped as device-like memory. */
	for (i = 0; i < len / 8; i++)
		oae_st64(&w[i], 0);
}

static struct oae_link_host *host_link(struct oae_ipu *ipu, oae_u32 i)
{
	return (void *)(ipu->win + ipu->geo.host_links_offset +
			(oae_u64)i * ipu->geo.link_stride);
}

static struct oae_link_ipu *ipu_link(struct oae_ipu *ipu, oae_u32 i)
{
	return (void *)(ipu->win + ipu->geo.ipu_links_offset +
			(oae_u64)i * ipu->geo.link_stride);
}

enum oae_hdr_error oae_ipu_init(struct oae_ipu *ipu, void *win,
				const struct oae_ipu_config *cfg)
{
	enum oae_hdr_error err;
	unsigned int i;

	ipu->win = win;
	ipu->hdr = win;
	ipu->cfg = *cfg;
	ipu->lock = 0;
	ipu->epoch = 0;
	ipu->epoch_target = 0;
	ipu->nonce_target = 0;
	ipu->bad_epoch_seen = 0;
	ipu->cores_up = 0;
	ipu->cores_up_published = 0;
	ipu->heartbeat = 0;
	for (i = 0; i < OAE_MAX_IPU_CORES; i++)
		ipu->core_epoch[i] = 0;
	ipu->cnt = (struct oae_ipu_counters){ 0 };

	/* Reformatting: withdraw the old header before changing geometry. */
	oae_st64_release(&ipu->hdr->magic, 0);
	oae_zero(&ipu->hdr->ipu_state,
		 sizeof(*ipu->hdr) - __builtin_offsetof(struct oae_ipu_hdr,
							ipu_state));
	err = oae_geometry_format(ipu->hdr, cfg->window_size, cfg->nr_links,
				  cfg->nr_cores, cfg->ring_entries);
	if (err)
		return err;
	err = oae_geometry_read(ipu->hdr, cfg->window_size, &ipu->geo);
	if (err)
		return err;

	ipu->host = (void *)(ipu->win + ipu->geo.host_hdr_offset);
	ipu->status = (void *)(ipu->win + ipu->geo.status_offset);
	/* A boot id of 0 would make every ack invalid: never publish one. */
	oae_st64(&ipu->hdr->ipu_boot_id, cfg->boot_id ? cfg->boot_id : 1);
	oae_zero(ipu->win + ipu->geo.ipu_links_offset,
		 (oae_u64)ipu->geo.nr_links * ipu->geo.link_stride);
	oae_zero(ipu->status, OAE_MAX_IPU_CORES * sizeof(*ipu->status));
	for (i = 0; i < ipu->geo.nr_links; i++) {
		oae_ipu_link_init(&ipu->links[i], host_link(ipu, i),
				  ipu_link(ipu, i), i, 0);
		ipu->noticed_seq[i] = 0;
	}
	oae_st64_release(&ipu->hdr->ipu_state, OAE_IPU_BOOTING);
	return OAE_HDR_OK;
}

void oae_ipu_start(struct oae_ipu *ipu)
{
	oae_st64_release(&ipu->hdr->ipu_state, OAE_IPU_READY);
}

void oae_ipu_halt(struct oae_ipu *ipu)
{
	oae_st64_release(&ipu->hdr->ipu_state, OAE_IPU_HALTED);
}

/*
 * Core 0 owns the header's liveness line: it echoes the host's heartbeat
 * (the alternation the host counts) and notices epoch requests.
 */
static void oae_ipu_poll_header(struct oae_ipu *ipu)
{
	oae_u64 host_state, host_epoch, host_nonce, cores_up;

	oae_st64(&ipu->hdr->ipu_heartbeat, ++ipu->heartbeat);
	/*
	 * Before any epoch, so the host sees who is up; only on change, as
	 * every store here is a PCIe write on the real part.
	 */
	cores_up = __atomic_load_n(&ipu->cores_up, __ATOMIC_RELAXED);
	if (cores_up != ipu->cores_up_published) {
		ipu->cores_up_published = cores_up;
		oae_st64(&ipu->hdr->cores_up, cores_up);
	}
	oae_st64_release(&ipu->hdr->ipu_hb_echo,
			 oae_ld64_acquire(&ipu->host->host_heartbeat));

	/*
	 * Only a request adopts an epoch: a host still ATTACHED to an epoch
	 * this boot never took (we restarted) must notice and ask anew, as
	 * we hold no state for it.
	 */
	host_state = oae_ld64_acquire(&ipu->host->host_state);
	if (host_state != OAE_HOST_ATTACHING)
		return;
	host_epoch = oae_ld64(&ipu->host->host_epoch);
	host_nonce = oae_ld64(&ipu->host->host_nonce);
	if (!host_epoch || host_epoch == ipu->epoch_target)
		return;
	if (host_epoch < ipu->epoch_target) {
		/* Epochs only grow: an older one could revive old swaps. */
		if (host_epoch != ipu->bad_epoch_seen) {
			ipu->bad_epoch_seen = host_epoch;
			oae_st64(&ipu->hdr->err_bad_epoch, ++ipu->cnt.bad_epochs);
		}
		return;
	}
	ipu->nonce_target = host_nonce;
	__atomic_store_n(&ipu->epoch_target, host_epoch, __ATOMIC_RELEASE);
}

/* Every core drops the swaps it staged in the old epoch and rebinds. */
static void oae_ipu_adopt_epoch(struct oae_ipu *ipu, unsigned int core,
				oae_u64 target)
{
	const struct oae_policy *pol = ipu->cfg.policy;
	oae_u32 i;

	oae_lock(&ipu->lock);
	for (i = 0; i < ipu->geo.nr_links; i++) {
		if (oae_link_core(i, ipu->geo.nr_cores) != core)
			continue;
		oae_ipu_link_drop(&ipu->links[i], pol);
		oae_ipu_link_init(&ipu->links[i], host_link(ipu, i),
				  ipu_link(ipu, i), i, target);
		ipu->links[i].fault = ipu->cfg.fault;
		ipu->noticed_seq[i] = 0;
	}
	oae_unlock(&ipu->lock);
	__atomic_store_n(&ipu->core_epoch[core], target, __ATOMIC_RELEASE);
}

/* Core 0, once every core has adopted: reset shared state, then ack. */
static void oae_ipu_ack_epoch(struct oae_ipu *ipu, oae_u64 target)
{
	const struct oae_policy *pol = ipu->cfg.policy;
	oae_u32 c;

	for (c = 0; c < ipu->geo.nr_cores; c++)
		if (__atomic_load_n(&ipu->core_epoch[c], __ATOMIC_ACQUIRE) !=
		    target)
			return;
	oae_lock(&ipu->lock);
	if (pol)
		pol->reset(pol->ctx);
	/* The host posts no events until it sees the ack: start at its base. */
	oae_ring_consumer_init(&ipu->ring,
			       (const void *)(ipu->win + ipu->geo.ring_offset),
			       ipu->geo.ring_entries, ipu->geo.links_per_class,
			       &ipu->hdr->ring_consumed, target,
			       oae_ld64(&ipu->host->ring_base));
	ipu->cnt.epochs++;
	oae_unlock(&ipu->lock);
	__atomic_store_n(&ipu->epoch, target, __ATOMIC_RELEASE);
	oae_st64(&ipu->hdr->ipu_epoch, target);
	/* Last: the proof that this boot took exactly this request. */
	oae_st64_release(&ipu->hdr->ipu_epoch_ack,
			 oae_epoch_ack_digest(target, ipu->nonce_target,
					      oae_ld64(&ipu->hdr->ipu_boot_id)));
}

/* The PCIe model: has offer n on @link been visible for 2 x latency? */
static int oae_ipu_offer_arrived(struct oae_ipu *ipu, oae_u32 link)
{
	oae_u64 seq, now;

	if (!ipu->cfg.latency_ns || !ipu->cfg.now_ns)
		return 1;
	seq = oae_ld64_acquire(&ipu->links[link].rx->offer_seq);
	if (seq <= ipu->links[link].seen)
		return 1;	/* nothing new: settle outcomes at once */
	now = ipu->cfg.now_ns();
	if (ipu->noticed_seq[link] != seq) {
		ipu->noticed_seq[link] = seq;
		ipu->noticed_ns[link] = now;
	}
	return now - ipu->noticed_ns[link] >= 2 * ipu->cfg.latency_ns;
}

static void oae_ipu_publish_counters(struct oae_ipu *ipu)
{
	struct oae_ipu_hdr *h = ipu->hdr;

	oae_st64(&h->err_bad_offer, ipu->cnt.link.bad_offer);
	oae_st64(&h->err_bad_event, ipu->cnt.bad_events);
	oae_st64(&h->err_bad_outcome, ipu->cnt.link.bad_outcome);
	oae_st64(&h->swaps_answered, ipu->cnt.link.answered);
	oae_st64(&h->swaps_committed, ipu->cnt.link.committed);
	oae_st64(&h->swaps_aborted, ipu->cnt.link.aborted);
}

static void oae_ipu_serve(struct oae_ipu *ipu, unsigned int core)
{
	const struct oae_policy *pol = ipu->cfg.policy;
	struct oae_core_status *st = &ipu->status[core];
	oae_u64 answered, tail, served = 0;
	oae_u32 i;

	oae_lock(&ipu->lock);
	answered = ipu->cnt.link.answered;
	tail = oae_ring_consume(&ipu->ring, OAE_RING_BATCH, pol,
				&ipu->cnt.bad_events);
	for (i = 0; i < ipu->geo.nr_links; i++) {
		if (oae_link_core(i, ipu->geo.nr_cores) != core)
			continue;
		served++;
		if (!oae_ipu_offer_arrived(ipu, i))
			continue;
		oae_ipu_link_poll(&ipu->links[i], pol, tail,
				  tail + ipu->geo.ring_entries, &ipu->cnt.link);
	}
	if (core == 0)
		oae_ipu_publish_counters(ipu);
	oae_st64(&st->swaps_answered, oae_ld64(&st->swaps_answered) +
		 ipu->cnt.link.answered - answered);
	oae_unlock(&ipu->lock);
	oae_st64(&st->links_served, served);
}

void oae_ipu_poll(struct oae_ipu *ipu, unsigned int core)
{
	struct oae_core_status *st;
	oae_u64 target;

	if (core >= ipu->geo.nr_cores)
		return;
	if (ipu->cfg.fail_after &&
	    __atomic_load_n(&ipu->cnt.link.answered, __ATOMIC_RELAXED) >=
	    ipu->cfg.fail_after) {
		__atomic_store_n(&ipu->silent, 1, __ATOMIC_RELAXED);
		return;
	}
	st = &ipu->status[core];
	if (!(__atomic_load_n(&ipu->cores_up, __ATOMIC_RELAXED) &
	      (1ULL << core)))
		__atomic_fetch_or(&ipu->cores_up, 1ULL << core,
				  __ATOMIC_RELAXED);
	if (core == 0)
		oae_ipu_poll_header(ipu);

	target = __atomic_load_n(&ipu->epoch_target, __ATOMIC_ACQUIRE);
	if (ipu->core_epoch[core] != target)
		oae_ipu_adopt_epoch(ipu, core, target);
	if (core == 0 && ipu->epoch != target)
		oae_ipu_ack_epoch(ipu, target);

	if (ipu->cfg.policy && target &&
	    __atomic_load_n(&ipu->epoch, __ATOMIC_ACQUIRE) == target)
		oae_ipu_serve(ipu, core);
	oae_st64(&st->heartbeat, oae_ld64(&st->heartbeat) + 1);
}
