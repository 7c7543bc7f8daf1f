// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * IPU runtime (see ipu_core.h): window formatting, liveness, epochs, the
 * link -> core split, and serving links and the event ring with the shared
 * protocol core and the policies.
 *
 * Every window word the IPU writes is stored from an IPU-local value, and
 * counters only when that value changed: no window word is ever read back
 * to compute the next one (on a real board the IPU's half lives in host
 * memory, where a read is a PCIe round trip and the host may have
 * scribbled on it).
 */
#include "ipu_core.h"

/* Events applied per poll round, so one core never starves its links. */
#define OAE_RING_BATCH	256
/* oae_ipu_core.progress_at of a core whose links core 0 moved away. */
#define OAE_CORE_GONE	(~0ULL)

static void oae_zero(void *p, oae_u64 len)
{
	oae_u64 *w = p;
	oae_u64 i;

	/* 64-bit stores only: the window may be mapped as device-like memory. */
	for (i = 0; i < len / 8; i++)
		oae_st64(&w[i], 0);
}

/* Store @value to window word @w unless @shadow says it is there already. */
static void oae_publish(oae_le64 *w, oae_u64 *shadow, oae_u64 value)
{
	if (*shadow == value)
		return;
	*shadow = value;
	oae_st64(w, value);
}

/* Before reading host-written window bytes (non-coherent boards only). */
static void oae_win_invalidate(struct oae_ipu *ipu, const void *p,
			       oae_u64 len)
{
	if (ipu->cfg.window_invalidate)
		ipu->cfg.window_invalidate(p, len);
}

/* After writing window bytes the host reads (non-coherent boards only). */
static void oae_win_clean(struct oae_ipu *ipu, const void *p, oae_u64 len)
{
	if (ipu->cfg.window_clean)
		ipu->cfg.window_clean(p, len);
}

static struct oae_link_host *host_link(struct oae_ipu *ipu, oae_u32 i)
{
	return oae_geo_host_link(ipu->win, &ipu->geo, i);
}

static struct oae_link_ipu *ipu_link(struct oae_ipu *ipu, oae_u32 i)
{
	return oae_geo_ipu_link(ipu->win, &ipu->geo, i);
}

/* ------------------------------------------------------------------ */
/* The router: the link code's struct oae_policy, over the policies.   */

static void oae_core_env(struct oae_ipu_core *c, struct oae_policy_env *env)
{
	env->core = c->id;
	env->now_ns = c->ipu->cfg.now_ns ? c->ipu->cfg.now_ns() : 0;
	env->locks = &c->cnt.locks;
}

static const struct oae_ipu_policy *oae_role_policy(struct oae_ipu *ipu,
						    int role)
{
	return role >= 0 && role < OAE_NR_ROLES ?
	       __atomic_load_n(&ipu->policy[role], __ATOMIC_RELAXED) :
	       (const void *)0;
}

static void router_event(void *ctx, oae_u32 type, oae_u32 link,
			 const oae_u64 args[OAE_EVENT_ARGS])
{
	struct oae_ipu_core *c = ctx;
	const struct oae_ipu_policy *p =
		oae_role_policy(c->ipu, oae_role_of_event(type));
	struct oae_policy_env env;

	/* Information for a role nobody serves is of no use to anyone. */
	if (!p || !p->event)
		return;
	oae_core_env(c, &env);
	p->event(p->ctx, &env, type, link, args);
}

static enum oae_answer_status router_answer(void *ctx, oae_u32 link,
					    const struct oae_offer *o,
					    oae_u64 answer[OAE_ANSWER_WORDS],
					    oae_u64 stage[OAE_STAGE_WORDS])
{
	struct oae_ipu_core *c = ctx;
	int role = oae_role_of_op(o->op);
	const struct oae_ipu_policy *p = oae_role_policy(c->ipu, role);
	struct oae_policy_env env;

	if (!p)
		return OAE_ANSWER_REFUSED;
	oae_core_env(c, &env);
	/* Which policy staged it: the outcome goes back to the same one. */
	stage[0] = (oae_u64)role;
	return p->answer(p->ctx, &env, link, o, answer);
}

static void router_settle(struct oae_ipu_core *c, oae_u32 link,
			  const oae_u64 stage[OAE_STAGE_WORDS], int commit)
{
	const struct oae_ipu_policy *p = oae_role_policy(c->ipu, (int)stage[0]);
	struct oae_policy_env env;
	enum oae_settle_report r;

	if (!p) {
		c->cnt.settle_reports++;
		return;
	}
	oae_core_env(c, &env);
	r = commit ? p->commit(p->ctx, &env, link) :
		     p->abort(p->ctx, &env, link);
	if (r != OAE_SETTLE_OK)
		c->cnt.settle_reports++;
}

static void router_commit(void *ctx, oae_u32 link,
			  const oae_u64 stage[OAE_STAGE_WORDS])
{
	router_settle(ctx, link, stage, 1);
}

static void router_abort(void *ctx, oae_u32 link,
			 const oae_u64 stage[OAE_STAGE_WORDS])
{
	router_settle(ctx, link, stage, 0);
}

/* ------------------------------------------------------------------ */

/*
 * The geometry is formatted and validated in IPU-local memory and only
 * then copied out: what the runtime uses is what it computed, whatever
 * the window holds later.
 */
static enum oae_hdr_error oae_ipu_publish_geometry(struct oae_ipu *ipu,
						   const struct oae_ipu_config *cfg)
{
	struct oae_ipu_hdr local;
	const oae_le64 *src = (const void *)&local;
	oae_le64 *dst = (void *)ipu->hdr;
	enum oae_hdr_error err;
	unsigned int i, n;

	oae_zero(&local, sizeof(local));
	err = oae_geometry_format(&local, cfg->window_size, cfg->nr_links,
				  cfg->nr_cores, cfg->ring_entries);
	if (err)
		return err;
	err = oae_geometry_read(&local, cfg->window_size, &ipu->geo);
	if (err)
		return err;
	/* Everything before the liveness line, magic last. */
	n = __builtin_offsetof(struct oae_ipu_hdr, ipu_state) / 8;
	for (i = 1; i < n; i++)
		oae_st64(&dst[i], src[i]);
	oae_st64_release(&ipu->hdr->magic, OAE_MAGIC);
	return OAE_HDR_OK;
}

enum oae_hdr_error oae_ipu_init(struct oae_ipu *ipu, void *win,
				const struct oae_ipu_config *cfg)
{
	enum oae_hdr_error err;
	unsigned int i;

	oae_zero(ipu, sizeof(*ipu));
	ipu->win = win;
	ipu->hdr = win;
	ipu->cfg = *cfg;
	if (!ipu->cfg.core_stall_ns)
		ipu->cfg.core_stall_ns = OAE_CORE_STALL_NS_DEFAULT;
	if (!ipu->cfg.core_stall_rounds)
		ipu->cfg.core_stall_rounds = OAE_CORE_STALL_ROUNDS_DEFAULT;
	for (i = 0; i < OAE_NR_ROLES; i++)
		ipu->policy[i] = cfg->policy[i];
	ipu->sched_target = cfg->policy[OAE_ROLE_SCHED];
	ipu->sched_slice_target = cfg->sched_slice_ns;

	/* Reformatting: withdraw the old header before changing geometry. */
	oae_st64_release(&ipu->hdr->magic, 0);
	oae_zero(&ipu->hdr->ipu_state,
		 sizeof(*ipu->hdr) - __builtin_offsetof(struct oae_ipu_hdr,
							ipu_state));
	err = oae_ipu_publish_geometry(ipu, cfg);
	if (err)
		return err;

	ipu->host = (void *)(ipu->win + ipu->geo.host_hdr_offset);
	ipu->status = (void *)(ipu->win + ipu->geo.status_offset);
	/* A boot id of 0 would make every ack invalid: never publish one. */
	if (!ipu->cfg.boot_id)
		ipu->cfg.boot_id = 1;
	oae_st64(&ipu->hdr->ipu_boot_id, ipu->cfg.boot_id);
	oae_zero(ipu->win + ipu->geo.ipu_links_offset,
		 (oae_u64)ipu->geo.nr_links * ipu->geo.link_stride);
	oae_zero(ipu->status, OAE_MAX_IPU_CORES * sizeof(*ipu->status));
	for (i = 0; i < OAE_MAX_IPU_CORES; i++) {
		struct oae_ipu_core *c = &ipu->core[i];

		c->ipu = ipu;
		c->id = i;
		c->router = (struct oae_policy){
			.name = "router",
			.ctx = c,
			.event = router_event,
			.answer = router_answer,
			.commit = router_commit,
			.abort = router_abort,
		};
	}
	for (i = 0; i < ipu->geo.nr_links; i++) {
		oae_ipu_link_init(&ipu->links[i].link, host_link(ipu, i),
				  ipu_link(ipu, i), i, 0);
		ipu->links[i].owner = oae_link_core(i, ipu->geo.nr_cores);
	}
	oae_win_clean(ipu, ipu->win + ipu->geo.ipu_links_offset,
		      (oae_u64)ipu->geo.nr_links * ipu->geo.link_stride);
	oae_win_clean(ipu, ipu->status,
		      OAE_MAX_IPU_CORES * sizeof(*ipu->status));
	oae_st64_release(&ipu->hdr->ipu_state, OAE_IPU_BOOTING);
	oae_win_clean(ipu, ipu->hdr, sizeof(*ipu->hdr));
	return OAE_HDR_OK;
}

void oae_ipu_start(struct oae_ipu *ipu)
{
	oae_st64_release(&ipu->hdr->ipu_state, OAE_IPU_READY);
	oae_win_clean(ipu, &ipu->hdr->ipu_state, 8);
}

void oae_ipu_halt(struct oae_ipu *ipu)
{
	oae_st64_release(&ipu->hdr->ipu_state, OAE_IPU_HALTED);
	oae_win_clean(ipu, &ipu->hdr->ipu_state, 8);
}

/*
 * The scheduling policy and slice an epoch request asks for (untrusted:
 * each word out of range, or naming a policy this IPU does not have, is
 * counted in err_bad_epoch and replaced by the IPU's own choice). 0 asks
 * for the IPU's own choice: its start-up policy and slice.
 */
static void oae_ipu_check_sched_request(struct oae_ipu *ipu)
{
	const struct oae_ipu_policy *own = ipu->cfg.policy[OAE_ROLE_SCHED];
	const struct oae_ipu_policy *p = own;
	oae_u64 id = oae_ld64(&ipu->host->sched_policy);
	oae_u64 slice = oae_ld64(&ipu->host->sched_slice_ns);
	oae_u64 bad = 0;

	if (id && id <= OAE_SCHED_POLICY_MAX) {
		/* The start-up instance if it is the one named (its slice). */
		if (!own || own->abi_id != id)
			p = oae_policy_find_abi(OAE_ROLE_SCHED, (oae_u32)id);
		if (!p) {
			p = own;
			bad++;
		}
	} else if (id) {
		bad++;
	}
	if (slice && (slice < OAE_SCHED_SLICE_MIN_NS ||
		      slice > OAE_SCHED_SLICE_MAX_NS)) {
		slice = 0;
		bad++;
	}
	ipu->sched_target = p;
	ipu->sched_slice_target = slice ? slice : ipu->cfg.sched_slice_ns;
	if (bad) {
		ipu->bad_epochs += bad;
		oae_st64(&ipu->hdr->err_bad_epoch, ipu->bad_epochs);
	}
}

/*
 * Core 0 owns the header's liveness line: it echoes the host's heartbeat
 * (the alternation the host counts) and notices epoch requests.
 */
static void oae_ipu_poll_header(struct oae_ipu *ipu)
{
	oae_u64 host_state, host_epoch, host_nonce, cores_up, hb_echo;

	oae_win_invalidate(ipu, ipu->host, sizeof(*ipu->host));
	oae_st64(&ipu->hdr->ipu_heartbeat, ++ipu->heartbeat);
	/* Before any epoch, so the host sees who is up. */
	cores_up = __atomic_load_n(&ipu->cores_up, __ATOMIC_RELAXED);
	oae_publish(&ipu->hdr->cores_up, &ipu->published.cores_up, cores_up);
	hb_echo = oae_ld64_acquire(&ipu->host->host_heartbeat);
	if (hb_echo != ipu->published.hb_echo) {
		ipu->published.hb_echo = hb_echo;
		oae_st64_release(&ipu->hdr->ipu_hb_echo, hb_echo);
	}

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
			oae_st64(&ipu->hdr->err_bad_epoch, ++ipu->bad_epochs);
		}
		return;
	}
	ipu->nonce_target = host_nonce;
	oae_ipu_check_sched_request(ipu);
	__atomic_store_n(&ipu->epoch_target, host_epoch, __ATOMIC_RELEASE);
}

/*
 * Every core rebinds the links it owns that are not bound to @target yet,
 * settling what they staged before (links a lost core left behind too).
 */
static void oae_ipu_adopt_epoch(struct oae_ipu *ipu, struct oae_ipu_core *c,
				oae_u64 target)
{
	oae_u32 i;

	for (i = 0; i < ipu->geo.nr_links; i++) {
		struct oae_ipu_link_slot *s = &ipu->links[i];

		if (oae_ipu_link_owner(ipu, i) != c->id ||
		    __atomic_load_n(&s->bound_epoch, __ATOMIC_RELAXED) == target)
			continue;
		oae_win_invalidate(ipu, host_link(ipu, i), ipu->geo.link_stride);
		oae_ipu_link_drop(&s->link, &c->router);
		oae_ipu_link_init(&s->link, host_link(ipu, i), ipu_link(ipu, i),
				  i, target);
		oae_win_clean(ipu, ipu_link(ipu, i), ipu->geo.link_stride);
		s->link.fault = ipu->cfg.fault;
		s->noticed_seq = 0;
		__atomic_store_n(&s->bound_epoch, target, __ATOMIC_RELEASE);
	}
	__atomic_store_n(&c->epoch, target, __ATOMIC_RELEASE);
}

/*
 * Core 0 only: @c was lost and is quiescent, its links moved. A core that
 * is being evicted but still mid-round is not gone: it may be serving the
 * old epoch, so acks wait for it.
 */
static int oae_core_gone(const struct oae_ipu_core *c)
{
	return c->progress_at == OAE_CORE_GONE;
}

/*
 * Core 0, acking: serve the scheduling policy and slice the request asked
 * for. No core serves now and every link's staged swap was settled with
 * the policy that staged it, so the old policy is idle: it is emptied
 * too (its next epoch starts from a replay like any other). The choice is
 * published before the ack, which proves it belongs to this epoch.
 */
static void oae_ipu_switch_sched(struct oae_ipu *ipu,
				 const struct oae_policy_env *env)
{
	const struct oae_ipu_policy *old = ipu->policy[OAE_ROLE_SCHED];
	const struct oae_ipu_policy *p = ipu->sched_target;
	oae_u64 slice = 0;

	if (old && old != p && old->start)
		old->start(old->ctx, env, ipu->geo.nr_links);
	__atomic_store_n(&ipu->policy[OAE_ROLE_SCHED], p, __ATOMIC_RELAXED);
	if (p && p->set_slice)
		slice = p->set_slice(p->ctx, env, ipu->sched_slice_target);
	ipu->sched_policy_served = p ? p->abi_id : 0;
	ipu->sched_slice_served = p ? slice : 0;
	oae_st64(&ipu->hdr->ipu_sched_policy, ipu->sched_policy_served);
	oae_st64(&ipu->hdr->ipu_sched_slice_ns, ipu->sched_slice_served);
}

/*
 * Core 0, once every live core has adopted and every link is rebound
 * (a lost core's links by their new owners): reset shared state, then ack.
 */
static void oae_ipu_ack_epoch(struct oae_ipu *ipu, oae_u64 target)
{
	struct oae_ipu_core *c0 = &ipu->core[0];
	struct oae_policy_env env;
	oae_u32 i;

	for (i = 0; i < ipu->geo.nr_cores; i++)
		if (!oae_core_gone(&ipu->core[i]) &&
		    __atomic_load_n(&ipu->core[i].epoch, __ATOMIC_ACQUIRE) !=
		    target)
			return;
	for (i = 0; i < ipu->geo.nr_links; i++)
		if (__atomic_load_n(&ipu->links[i].bound_epoch,
				    __ATOMIC_ACQUIRE) != target)
			return;
	oae_core_env(c0, &env);
	oae_ipu_switch_sched(ipu, &env);
	for (i = 0; i < OAE_NR_ROLES; i++) {
		const struct oae_ipu_policy *p = ipu->policy[i];

		if (p && p->start)
			p->start(p->ctx, &env, ipu->geo.nr_links);
		ipu->last_tick_ns[i] = env.now_ns;
	}
	/* The host posts no events until it sees the ack: start at its base. */
	oae_spin_lock(&ipu->ring_lock, &c0->cnt.locks);
	oae_ring_consumer_init(&ipu->ring,
			       (const void *)(ipu->win + ipu->geo.ring_offset),
			       ipu->geo.ring_entries, ipu->geo.links_per_class,
			       &ipu->hdr->ring_consumed, target,
			       oae_ld64(&ipu->host->ring_base));
	__atomic_store_n(&ipu->ring_tail, ipu->ring.tail, __ATOMIC_RELEASE);
	oae_spin_unlock(&ipu->ring_lock);
	ipu->epochs++;
	__atomic_store_n(&ipu->epoch, target, __ATOMIC_RELEASE);
	oae_st64(&ipu->hdr->ipu_epoch, target);
	/* Last: the proof that this boot took exactly this request. */
	oae_st64_release(&ipu->hdr->ipu_epoch_ack,
			 oae_epoch_ack_digest(target, ipu->nonce_target,
					      ipu->cfg.boot_id));
}

/* The PCIe model: has offer n on @link been visible for 2 x latency? */
static int oae_ipu_offer_arrived(struct oae_ipu *ipu,
				 struct oae_ipu_link_slot *s)
{
	oae_u64 seq, now;

	if (!ipu->cfg.latency_ns || !ipu->cfg.now_ns)
		return 1;
	seq = oae_ld64_acquire(&s->link.rx->offer_seq);
	if (seq <= s->link.seen)
		return 1;	/* nothing new: settle outcomes at once */
	now = ipu->cfg.now_ns();
	if (s->noticed_seq != seq) {
		s->noticed_seq = seq;
		s->noticed_ns = now;
	}
	return now - s->noticed_ns >= 2 * ipu->cfg.latency_ns;
}

/*
 * Apply published events, if there are any and no other core is at it.
 * The check before the try-lock reads only the ring slot's publish word,
 * so an idle round takes no lock here.
 */
static void oae_ipu_consume_ring(struct oae_ipu *ipu, struct oae_ipu_core *c)
{
	oae_u64 tail = __atomic_load_n(&ipu->ring_tail, __ATOMIC_ACQUIRE);
	const struct oae_event *ring =
		(const void *)(ipu->win + ipu->geo.ring_offset);
	oae_u64 slot = tail & (ipu->geo.ring_entries - 1);
	oae_u64 want = ipu->geo.ring_entries < OAE_RING_BATCH ?
		       ipu->geo.ring_entries : OAE_RING_BATCH;
	oae_u64 n = ipu->geo.ring_entries - slot;

	/* The slots this round may read: up to the ring's end, then on
	 * from its start. */
	if (ipu->cfg.window_invalidate) {
		n = n < want ? n : want;
		oae_win_invalidate(ipu, &ring[slot], n * sizeof(*ring));
		if (n < want)
			oae_win_invalidate(ipu, ring, (want - n) * sizeof(*ring));
	}
	if (oae_ld64_acquire(&ring[tail & (ipu->geo.ring_entries - 1)].seq) !=
	    tail + 1)
		return;
	if (!oae_spin_trylock(&ipu->ring_lock, &c->cnt.locks))
		return;	/* another core is applying them */
	/* Each slot's seq word says whether it is published: no head needed. */
	tail = oae_ring_consume(&ipu->ring, OAE_RING_BATCH, &c->router,
				&c->cnt.bad_events);
	__atomic_store_n(&ipu->ring_tail, tail, __ATOMIC_RELEASE);
	oae_spin_unlock(&ipu->ring_lock);
	oae_win_clean(ipu, &ipu->hdr->ring_consumed, 8);
}

static void oae_ipu_serve(struct oae_ipu *ipu, struct oae_ipu_core *c)
{
	oae_u64 served = 0, tail;
	oae_u32 i;

	oae_ipu_consume_ring(ipu, c);
	/* Acquire: the policy state these events built is visible to us. */
	tail = __atomic_load_n(&ipu->ring_tail, __ATOMIC_ACQUIRE);
	for (i = 0; i < ipu->geo.nr_links; i++) {
		struct oae_ipu_link_slot *s = &ipu->links[i];

		if (oae_ipu_link_owner(ipu, i) != c->id)
			continue;
		served++;
		oae_win_invalidate(ipu, host_link(ipu, i), ipu->geo.link_stride);
		if (!oae_ipu_offer_arrived(ipu, s))
			continue;
		oae_ipu_link_poll(&s->link, &c->router, tail,
				  tail + ipu->geo.ring_entries, &c->cnt.link);
		oae_win_clean(ipu, ipu_link(ipu, i), ipu->geo.link_stride);
	}
	c->cnt.links_served = served;
}

/* This core's status line, from its own counters, stored on change. */
static void oae_ipu_publish_core(struct oae_ipu *ipu, struct oae_ipu_core *c)
{
	struct oae_core_status *st = &ipu->status[c->id];
	struct oae_core_status_shadow *sh = &c->published;
	const struct oae_ipu_core_counters *n = &c->cnt;

	oae_st64(&st->heartbeat, n->rounds);
	oae_publish(&st->links_served, &sh->links_served, n->links_served);
	oae_publish(&st->swaps_answered, &sh->swaps_answered, n->link.answered);
	oae_publish(&st->errors, &sh->errors, n->link.bad_offer +
		    n->link.bad_outcome + n->bad_events);
	oae_publish(&st->reserved[OAE_CORE_STATUS_LOCKS_TAKEN],
		    &sh->reserved[OAE_CORE_STATUS_LOCKS_TAKEN], n->locks.taken);
	oae_publish(&st->reserved[OAE_CORE_STATUS_LOCKS_WAITED],
		    &sh->reserved[OAE_CORE_STATUS_LOCKS_WAITED], n->locks.waited);
	oae_publish(&st->reserved[OAE_CORE_STATUS_SETTLE_REPORTS],
		    &sh->reserved[OAE_CORE_STATUS_SETTLE_REPORTS],
		    n->settle_reports);
	oae_publish(&st->reserved[OAE_CORE_STATUS_LINKS_TAKEN_OVER],
		    &sh->reserved[OAE_CORE_STATUS_LINKS_TAKEN_OVER],
		    n->links_taken_over);
}

static oae_u64 oae_ld_counter(const oae_u64 *p)
{
	return __atomic_load_n(p, __ATOMIC_RELAXED);
}

void oae_ipu_totals(const struct oae_ipu *ipu,
		    struct oae_ipu_core_counters *sum)
{
	*sum = ipu->total;
}

/* Core 0: sum every core's counters; publish the header's on change. */
static void oae_ipu_publish_totals(struct oae_ipu *ipu)
{
	struct oae_ipu_core_counters t = { 0 };
	struct oae_ipu_hdr_shadow *sh = &ipu->published;
	struct oae_ipu_hdr *h = ipu->hdr;
	oae_u32 i;

	for (i = 0; i < ipu->geo.nr_cores; i++) {
		const struct oae_ipu_core_counters *n = &ipu->core[i].cnt;

		t.link.answered += oae_ld_counter(&n->link.answered);
		t.link.committed += oae_ld_counter(&n->link.committed);
		t.link.aborted += oae_ld_counter(&n->link.aborted);
		t.link.skipped += oae_ld_counter(&n->link.skipped);
		t.link.bad_offer += oae_ld_counter(&n->link.bad_offer);
		t.link.bad_outcome += oae_ld_counter(&n->link.bad_outcome);
		t.link.waiting_events += oae_ld_counter(&n->link.waiting_events);
		t.locks.taken += oae_ld_counter(&n->locks.taken);
		t.locks.waited += oae_ld_counter(&n->locks.waited);
		t.bad_events += oae_ld_counter(&n->bad_events);
		t.settle_reports += oae_ld_counter(&n->settle_reports);
		t.links_taken_over += oae_ld_counter(&n->links_taken_over);
		t.rounds += oae_ld_counter(&n->rounds);
	}
	ipu->total = t;
	oae_publish(&h->err_bad_offer, &sh->bad_offer, t.link.bad_offer);
	oae_publish(&h->err_bad_event, &sh->bad_event, t.bad_events);
	oae_publish(&h->err_bad_outcome, &sh->bad_outcome, t.link.bad_outcome);
	oae_publish(&h->swaps_answered, &sh->answered, t.link.answered);
	oae_publish(&h->swaps_committed, &sh->committed, t.link.committed);
	oae_publish(&h->swaps_aborted, &sh->aborted, t.link.aborted);
	if (ipu->cfg.fail_after && t.link.answered >= ipu->cfg.fail_after)
		__atomic_store_n(&ipu->silent, 1, __ATOMIC_RELAXED);
}

/*
 * Core 0: give every link of lost core @lost to the live core serving the
 * fewest. @lost is quiescent (see oae_ipu_try_evict), so its link state is
 * complete and visible; the release store of the owner hands it over.
 */
static void oae_ipu_move_links(struct oae_ipu *ipu, oae_u32 lost)
{
	oae_u32 load[OAE_MAX_IPU_CORES] = { 0 };
	oae_u32 i, c, best;

	for (i = 0; i < ipu->geo.nr_links; i++)
		load[oae_ipu_link_owner(ipu, i)]++;
	for (i = 0; i < ipu->geo.nr_links; i++) {
		if (oae_ipu_link_owner(ipu, i) != lost)
			continue;
		best = 0;
		for (c = 1; c < ipu->geo.nr_cores; c++)
			if (!oae_ipu_core_lost(ipu, c) && load[c] < load[best])
				best = c;
		load[best]++;
		load[lost]--;
		__atomic_store_n(&ipu->links[i].owner, best, __ATOMIC_RELEASE);
		/* Counted by the taker's line only through core 0's sum. */
		__atomic_fetch_add(&ipu->core[best].cnt.links_taken_over, 1,
				   __ATOMIC_RELAXED);
	}
	ipu->cores_lost++;
}

/*
 * Evicting a core is a handshake, so a slow core that is not dead cannot
 * serve a link at the same time as its new owner: the core sets in_round
 * then reads evicted; core 0 sets evicted then reads in_round (both
 * sequentially consistent). Whichever way they interleave, either the core
 * sees evicted and serves nothing, or core 0 sees it mid-round and waits.
 */
static void oae_ipu_try_evict(struct oae_ipu *ipu, struct oae_ipu_core *c)
{
	__atomic_store_n(&c->evicted, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&c->in_round, __ATOMIC_SEQ_CST))
		return;	/* mid-round: look again next round */
	if (c->progress_at != OAE_CORE_GONE) {
		c->progress_at = OAE_CORE_GONE;	/* links moved: done with it */
		oae_ipu_move_links(ipu, c->id);
	}
}

/* Core 0: lose the cores that stopped polling (or never started). */
static void oae_ipu_watch_cores(struct oae_ipu *ipu)
{
	oae_u64 now = ipu->cfg.now_ns ? ipu->cfg.now_ns() :
					ipu->core[0].cnt.rounds;
	oae_u64 limit = ipu->cfg.now_ns ? ipu->cfg.core_stall_ns :
					  ipu->cfg.core_stall_rounds;
	oae_u32 i;

	for (i = 1; i < ipu->geo.nr_cores; i++) {
		struct oae_ipu_core *c = &ipu->core[i];
		oae_u64 rounds;

		if (c->progress_at == OAE_CORE_GONE)
			continue;	/* already lost */
		if (__atomic_load_n(&c->evicted, __ATOMIC_RELAXED)) {
			oae_ipu_try_evict(ipu, c);
			continue;
		}
		rounds = __atomic_load_n(&c->cnt.rounds, __ATOMIC_RELAXED);
		if (!c->progress_at || rounds != c->seen_rounds) {
			c->seen_rounds = rounds;
			c->progress_at = now ? now : 1;
		} else if (now - c->progress_at >= limit) {
			oae_ipu_try_evict(ipu, c);
		}
	}
}

void oae_ipu_core_failed(struct oae_ipu *ipu, unsigned int core)
{
	if (!core || core >= ipu->geo.nr_cores)
		return;	/* core 0's loss is the IPU's: the host sees it */
	__atomic_store_n(&ipu->core[core].evicted, 1, __ATOMIC_SEQ_CST);
	__atomic_store_n(&ipu->core[core].in_round, 0, __ATOMIC_SEQ_CST);
}

/* Core 0: policies that asked for a tick get one about every tick_ns. */
static void oae_ipu_tick(struct oae_ipu *ipu)
{
	struct oae_policy_env env;
	oae_u32 i;

	if (!ipu->cfg.now_ns)
		return;
	oae_core_env(&ipu->core[0], &env);
	for (i = 0; i < OAE_NR_ROLES; i++) {
		const struct oae_ipu_policy *p = ipu->policy[i];

		if (!p || !p->tick || !p->tick_ns ||
		    env.now_ns - ipu->last_tick_ns[i] < p->tick_ns)
			continue;
		ipu->last_tick_ns[i] = env.now_ns;
		p->tick(p->ctx, &env);
	}
}

void oae_ipu_poll(struct oae_ipu *ipu, unsigned int core)
{
	struct oae_ipu_core *c;
	oae_u64 target, acked;

	if (core >= ipu->geo.nr_cores || oae_ipu_silent(ipu))
		return;
	c = &ipu->core[core];
	__atomic_store_n(&c->in_round, 1, __ATOMIC_SEQ_CST);
	if (__atomic_load_n(&c->evicted, __ATOMIC_SEQ_CST)) {
		/* Lost: its links belong to others now. */
		__atomic_store_n(&c->in_round, 0, __ATOMIC_RELEASE);
		return;
	}
	if (!(__atomic_load_n(&ipu->cores_up, __ATOMIC_RELAXED) &
	      (1ULL << core)))
		__atomic_fetch_or(&ipu->cores_up, 1ULL << core,
				  __ATOMIC_RELAXED);
	if (core == 0) {
		oae_ipu_poll_header(ipu);
		oae_ipu_watch_cores(ipu);
	}

	/* Also rebinds links a lost core left behind in an older epoch. */
	target = __atomic_load_n(&ipu->epoch_target, __ATOMIC_ACQUIRE);
	oae_ipu_adopt_epoch(ipu, c, target);
	if (core == 0 && ipu->epoch != target)
		oae_ipu_ack_epoch(ipu, target);

	acked = __atomic_load_n(&ipu->epoch, __ATOMIC_ACQUIRE);
	if (target && acked == target) {
		oae_ipu_serve(ipu, c);
		if (core == 0)
			oae_ipu_tick(ipu);
	}
	__atomic_store_n(&c->cnt.rounds, c->cnt.rounds + 1, __ATOMIC_RELAXED);
	if (core == 0) {
		oae_ipu_publish_totals(ipu);
		oae_win_clean(ipu, ipu->hdr, sizeof(*ipu->hdr));
	}
	oae_ipu_publish_core(ipu, c);
	oae_win_clean(ipu, &ipu->status[core], sizeof(ipu->status[core]));
	__atomic_store_n(&c->in_round, 0, __ATOMIC_RELEASE);
}
