// SPDX-License-Identifier: GPL-2.0 OR MIT
/*
 * mem_clock: CLOCK (or FIFO) eviction over the host's fast-tier budget,
 * with a sequential/stride prefetcher. Role mem: answers OAE_OP_MEM_FAULT
 * from the host's custody events (uapi/oae/link.h, "Memory words").
 *
 * Events. PAGE_ADD tier fast inserts a page (referenced: it was just
 * faulted in or prefetched, so it gets one revolution of the hand before
 * it can go) or updates a known one (new version, referenced); PAGE_ADD
 * tier slow and PAGE_FREE remove it; PAGE_FREE with index
 * OAE_MEM_INDEX_REGION removes every page of the region with an older
 * version and forgets the region's stream. PAGE_ACCESS with the page's
 * version (or 0) sets its reference bit and feeds the region's stream.
 * An event whose version is not newer than the page's is stale (counted,
 * ignored); one about a page not tracked (slow, absent, or a committed
 * victim whose PAGE_ADD slow comes later) changes no page.
 *
 * Answer. The fault feeds the region's stream; the prefetcher proposes a
 * count (below); then the budget rule of the ABI,
 *   (tier == fast) + count <= victims + max(0, budget - resident),
 * asks for victims: CLOCK (evict mode clock: a referenced page loses its
 * bit and is passed once; the hand stays where it stopped) or FIFO (evict
 * mode fifo: the same hand, no second chance), never a page another link
 * reserved, nor one this answer prefetches. Fewer victims than needed
 * cut the prefetch count first; with no victim and no room at all the
 * page goes to the slow tier (tier slow needs no room). The answer
 * always satisfies the rule.
 *
 * Prefetcher: per region {last, stride, conf, expect}. A fault (or
 * sample) at `expect`, or on a page between `last` and `expect` in the
 * stride's direction (a prefetched page sampled), continues the stream;
 * any other within OAE_MEM_STRIDE_MAX pages starts a new stride, a
 * farther one none. A stride seen twice in a row (faults a, a+s, a+2s)
 * is trusted: mode sequential prefetches a trusted stride of +1, mode
 * stride any trusted stride; count = min(window, pages left in the
 * region that way, what the budget allows), and the next fault is then
 * expected at index + (count + 1) * stride (prefetched pages fault no
 * more through the policy). A region's first faults prefetch nothing.
 *
 * Declines (OAE_ANSWER_EMPTY, counted in `declined`): the faulting page
 * is in the table as a fast page (the host says it is not: the tables
 * disagree, the host decides locally), or an undo log would overflow
 * (cannot happen with OAE_MEM_UNDO_MAX; then nothing stays staged).
 *
 * Staging (mem_policy.h): victims are reserved, every word changed goes
 * through the link's undo log. commit() removes the still-reserved
 * victims from the table; abort() unreserves them and replays the log.
 * A custody event about a reserved victim supersedes the staging: the
 * page follows the event, the settle leaves it alone (`superseded`).
 */
#include "mem_policy.h"

enum {
	MEM_HASH_MASK	= OAE_MEM_HASH_SLOTS - 1,
	/* Farthest a prefetched page can be from the last fault. */
	MEM_REACH_MAX	= (OAE_MEM_WINDOW_MAX + 1) * OAE_MEM_STRIDE_MAX,
};

/* ---- the ABI checks ----------------------------------------------------- */

static int mem_page_ok(oae_u64 page, int whole_region)
{
	oae_u64 region = OAE_MEM_PAGE_REGION(page);
	oae_u64 index = OAE_MEM_PAGE_INDEX(page);

	return region && region <= OAE_MEM_REGION_MAX &&
	       (index < OAE_MEM_INDEX_REGION ||
		(whole_region && index == OAE_MEM_INDEX_REGION));
}

static int mem_event_ok(oae_u32 type, const oae_u64 a[OAE_EVENT_ARGS])
{
	switch (type) {
	case OAE_EV_PAGE_ADD:
		return mem_page_ok(a[OAE_PAGE_ARG_PAGE], 0) &&
		       a[OAE_PAGE_ARG_VERSION] &&
		       a[OAE_PAGE_ARG_TIER] <= OAE_MEM_TIER_MAX && !a[3];
	case OAE_EV_PAGE_FREE:
		return mem_page_ok(a[OAE_PAGE_ARG_PAGE], 1) &&
		       a[OAE_PAGE_ARG_VERSION] && !a[2] && !a[3];
	case OAE_EV_PAGE_ACCESS:
		return mem_page_ok(a[OAE_PAGE_ARG_PAGE], 0) &&
		       !(a[OAE_PAGE_ARG_FLAGS] & ~OAE_MEM_ACCESS_F_KNOWN) &&
		       !a[3];
	}
	return 0;
}

static int mem_offer_ok(const struct oae_offer *o)
{
	oae_u64 page = o->payload[OAE_MEM_OFFER_PAGE];
	oae_u64 fast = o->payload[OAE_MEM_OFFER_FAST];
	oae_u64 knobs = o->payload[OAE_MEM_OFFER_KNOBS];
	oae_u64 budget = OAE_MEM_FAST_BUDGET(fast);

	return o->op == OAE_OP_MEM_FAULT && mem_page_ok(page, 0) &&
	       !(o->payload[OAE_MEM_OFFER_FLAGS] & ~OAE_MEM_FAULT_F_KNOWN) &&
	       budget && budget <= OAE_MEM_BUDGET_MAX &&
	       OAE_MEM_KNOBS_WINDOW(knobs) <= OAE_MEM_WINDOW_MAX &&
	       OAE_MEM_KNOBS_EVICT(knobs) <= OAE_MEM_EVICT_MAX &&
	       OAE_MEM_KNOBS_PREFETCH(knobs) <= OAE_MEM_PREFETCH_MAX &&
	       !OAE_MEM_KNOBS_RESERVED(knobs) &&
	       OAE_MEM_PAGE_INDEX(page) < OAE_MEM_KNOBS_PAGES(knobs);
}

/* ---- the page table: slots, hash index, CLOCK ring --------------------- */

static oae_u32 mem_home(oae_u64 page)
{
	return (oae_u32)((page * 0x9e3779b97f4a7c15ULL) >>
			 (64 - OAE_MEM_HASH_BITS));
}

/* The slot of @page, or OAE_MEM_MAX_PAGES. */
static oae_u32 mem_find(const struct oae_mem_state *st, oae_u64 page)
{
	const struct oae_mem_tables *tab = st->tab;
	oae_u32 i = mem_home(page), s;

	while (tab->hash[i]) {
		s = tab->hash[i] - 1;
		if (s < OAE_MEM_MAX_PAGES && tab->page[s].page == page)
			return s;
		i = (i + 1) & MEM_HASH_MASK;
	}
	return OAE_MEM_MAX_PAGES;
}

static void mem_hash_add(struct oae_mem_state *st, oae_u32 slot)
{
	oae_u32 i = mem_home(st->tab->page[slot].page);

	while (st->tab->hash[i])
		i = (i + 1) & MEM_HASH_MASK;
	st->tab->hash[i] = slot + 1;
}

/* Linear probing's deletion: shift back what probed past the hole. */
static void mem_hash_del(struct oae_mem_state *st, oae_u32 slot)
{
	oae_u32 *hash = st->tab->hash;
	oae_u32 i = mem_home(st->tab->page[slot].page), j, k;

	while (hash[i] != slot + 1)
		i = (i + 1) & MEM_HASH_MASK;
	hash[i] = 0;
	for (j = (i + 1) & MEM_HASH_MASK; hash[j];
	     j = (j + 1) & MEM_HASH_MASK) {
		k = mem_home(st->tab->page[hash[j] - 1].page);
		if (i <= j ? (i < k && k <= j) : (i < k || k <= j))
			continue;	/* still reachable from its home */
		hash[i] = hash[j];
		hash[j] = 0;
		i = j;
	}
}

/* A new page, just behind the hand (last in the sweep); NULL if full. */
static struct oae_mem_page *mem_insert(struct oae_mem_state *st,
				       oae_u64 page, oae_u64 version)
{
	struct oae_mem_tables *tab = st->tab;
	struct oae_mem_page *p;
	oae_u32 s, h;

	if (st->free) {
		s = st->free - 1;
		st->free = tab->page[s].next;
	} else if (st->top < OAE_MEM_MAX_PAGES) {
		s = st->top++;
	} else {
		return (void *)0;
	}
	p = &tab->page[s];
	*p = (struct oae_mem_page){ .page = page, .version = version,
				    .ref = ++st->stamp << 1 | 1 };
	if (!st->hand) {
		p->next = p->prev = s;
		st->hand = s + 1;
	} else {
		h = (oae_u32)st->hand - 1;
		p->next = h;
		p->prev = tab->page[h].prev;
		tab->page[p->prev].next = s;
		tab->page[h].prev = s;
	}
	mem_hash_add(st, s);
	st->nr_pages++;
	return p;
}

/*
 * Take slot @s out of the table. The hand, if on it, moves to the next
 * page; so does every staged undo entry that would put it back there.
 */
static void mem_remove(struct oae_mem_state *st, oae_u32 s)
{
	struct oae_mem_tables *tab = st->tab;
	struct oae_mem_page *p = &tab->page[s];
	oae_u64 to = p->next == s ? 0 : (oae_u64)p->next + 1;
	oae_u32 l, i;

	if (p->staged)
		st->stats.superseded++;
	tab->page[p->prev].next = p->next;
	tab->page[p->next].prev = p->prev;
	if (st->hand == (oae_u64)s + 1)
		st->hand = to;
	for (l = 0; st->nr_staged && l < OAE_MAX_LINKS; l++) {
		struct oae_undo_log *log = &tab->stage[l].log;

		if (!tab->stage[l].staged)
			continue;
		for (i = 0; i < log->used; i++)
			if (log->entry[i].word == &st->hand &&
			    log->entry[i].old == (oae_u64)s + 1)
				log->entry[i].old = to;
	}
	mem_hash_del(st, s);
	*p = (struct oae_mem_page){ .next = st->free };
	st->free = s + 1;
	st->nr_pages--;
}

/* ---- the prefetcher ---------------------------------------------------- */

static long long mem_signed(oae_u64 w)
{
	return (long long)w;
}

static oae_u64 mem_abs(long long v)
{
	return v < 0 ? -(oae_u64)v : (oae_u64)v;
}

/*
 * Write @value into @word: logged in @log if there is one (an answer),
 * directly otherwise (an event). -1 if the log is full.
 */
static int mem_set(struct oae_undo_log *log, oae_u64 *word, oae_u64 value)
{
	if (*word == value)
		return 0;
	if (!log) {
		*word = value;
		return 0;
	}
	return oae_undo_set(log, word, value);
}

static struct oae_mem_stream *mem_stream_find(struct oae_mem_state *st,
					      oae_u64 region)
{
	oae_u32 i;

	for (i = 0; i < OAE_MEM_STREAMS; i++)
		if (st->tab->stream[i].region == region)
			return &st->tab->stream[i];
	return (void *)0;
}

/*
 * Feed a fault or sample at @index of @region to its stream (a free or
 * the least recently used one for a new region). Returns the stream,
 * or NULL if the log is full.
 */
static struct oae_mem_stream *mem_stream_feed(struct oae_mem_state *st,
					      struct oae_undo_log *log,
					      oae_u64 region, oae_u64 index)
{
	struct oae_mem_stream *sm = mem_stream_find(st, region), v;
	long long delta, stride, reach;
	oae_u32 i;

	if (sm) {
		v = *sm;
		delta = (long long)index - (long long)sm->last;
		stride = mem_signed(sm->stride);
		reach = mem_signed(sm->expect - sm->last);
		if (!delta)
			return sm;	/* the same page again */
		if (stride && (delta < 0) == (stride < 0) &&
		    mem_abs(delta) <= mem_abs(reach) &&
		    mem_abs(delta) <= MEM_REACH_MAX &&
		    !((oae_u32)mem_abs(delta) % (oae_u32)mem_abs(stride))) {
			if (v.conf < OAE_MEM_CONF_MAX)
				v.conf++;
			if (delta == reach)
				v.expect = index + (oae_u64)stride;
		} else if (mem_abs(delta) <= OAE_MEM_STRIDE_MAX) {
			v.stride = (oae_u64)delta;
			v.conf = 0;
			v.expect = index + (oae_u64)delta;
		} else {
			v.stride = v.conf = 0;
			v.expect = index;
		}
		v.last = index;
	} else {
		sm = &st->tab->stream[0];
		for (i = 1; i < OAE_MEM_STREAMS && sm->region; i++)
			if (!st->tab->stream[i].region ||
			    st->tab->stream[i].used < sm->used)
				sm = &st->tab->stream[i];
		v = (struct oae_mem_stream){ .region = region, .last = index,
					     .expect = index };
	}
	v.used = st->stream_clock + 1;
	if (mem_set(log, &st->stream_clock, v.used) ||
	    mem_set(log, &sm->region, v.region) ||
	    mem_set(log, &sm->last, v.last) ||
	    mem_set(log, &sm->stride, v.stride) ||
	    mem_set(log, &sm->conf, v.conf) ||
	    mem_set(log, &sm->expect, v.expect) ||
	    mem_set(log, &sm->used, v.used))
		return (void *)0;
	return sm;
}

/* What the stream proposes for a fault at @index (before the budget). */
static oae_u32 mem_prefetch_count(const struct oae_mem_stream *sm,
				  oae_u64 index, oae_u64 knobs)
{
	long long stride = mem_signed(sm->stride);
	oae_u32 mode = (oae_u32)OAE_MEM_KNOBS_PREFETCH(knobs);
	oae_u32 window = (oae_u32)OAE_MEM_KNOBS_WINDOW(knobs);
	oae_u32 pages = (oae_u32)OAE_MEM_KNOBS_PAGES(knobs), left;

	if (mode == OAE_MEM_PREFETCH_OFF || sm->conf < OAE_MEM_CONF_TRUST ||
	    !stride || mem_abs(stride) > OAE_MEM_STRIDE_MAX ||
	    (mode == OAE_MEM_PREFETCH_SEQ && stride != 1))
		return 0;
	/* index < pages (offer checked): both fit 32 bits. */
	if (stride > 0)
		left = (pages - 1 - (oae_u32)index) / (oae_u32)stride;
	else
		left = (oae_u32)index / (oae_u32)-stride;
	return left < window ? left : window;
}

/* ---- the sweep ---------------------------------------------------------- */

/* What one answer brings in: a page of it is no victim. */
struct mem_fault {
	oae_u64 page;
	long long stride;
	oae_u32 count;
};

static int mem_prefetches(const struct mem_fault *f, oae_u64 page)
{
	long long d;

	if (!f->count ||
	    OAE_MEM_PAGE_REGION(page) != OAE_MEM_PAGE_REGION(f->page))
		return 0;
	d = (long long)OAE_MEM_PAGE_INDEX(page) -
	    (long long)OAE_MEM_PAGE_INDEX(f->page);
	return d && (d < 0) == (f->stride < 0) &&
	       mem_abs(d) <= (oae_u64)f->count * mem_abs(f->stride) &&
	       !((oae_u32)mem_abs(d) % (oae_u32)mem_abs(f->stride));
}

static void mem_reserve(struct oae_mem_state *st, oae_u32 link, oae_u32 s,
			oae_u32 *out, oae_u32 *got)
{
	st->tab->page[s].staged = link + 1;
	out[(*got)++] = s;
}

/*
 * Find up to @need victims from the hand on, reserve them for @link,
 * logging the hand and every bit cleared. Returns how many, or -1 if the
 * log is full (the caller declines and undoes it all).
 */
static int mem_sweep(struct oae_mem_state *st, struct oae_undo_log *log,
		     oae_u32 link, oae_u32 need, int clock,
		     const struct mem_fault *f, oae_u32 out[OAE_MEM_VICTIMS_MAX])
{
	struct oae_mem_tables *tab = st->tab;
	oae_u32 cleared[OAE_MEM_SWEEP_MAX], nclr = 0, taken = 0, got = 0;
	oae_u32 visits = 0, limit = 2 * st->nr_pages + 1, h;
	struct oae_mem_page *p;

	if (!need || !st->hand)
		return 0;
	h = (oae_u32)st->hand - 1;
	while (got < need && visits++ < limit) {
		p = &tab->page[h];
		if (p->staged || mem_prefetches(f, p->page)) {
			h = p->next;
		} else if (clock && (p->ref & 1) && nclr < OAE_MEM_SWEEP_MAX) {
			if (oae_undo_set(log, &p->ref, p->ref & ~1ULL))
				return -1;
			cleared[nclr++] = h;
			h = p->next;
		} else if (clock && (p->ref & 1)) {
			/* Bits to clear ran out: what a revolution takes. */
			for (; got < need && taken < nclr; taken++)
				if (!tab->page[cleared[taken]].staged)
					mem_reserve(st, link, cleared[taken],
						    out, &got);
			if (got)
				h = tab->page[out[got - 1]].next;
			st->stats.forced++;
			break;
		} else {
			mem_reserve(st, link, h, out, &got);
			h = p->next;
		}
	}
	if (mem_set(log, &st->hand, (oae_u64)h + 1))
		return -1;
	return (int)got;
}

/* ---- the callbacks ------------------------------------------------------ */

static void mem_reset(struct oae_mem_state *st)
{
	struct oae_mem_tables *tab = st->tab;
	oae_u32 i, j;

	for (i = 0; i < OAE_MEM_MAX_PAGES; i++)
		tab->page[i] = (struct oae_mem_page){ 0 };
	for (i = 0; i < OAE_MEM_HASH_SLOTS; i++)
		tab->hash[i] = 0;
	for (i = 0; i < OAE_MEM_STREAMS; i++)
		tab->stream[i] = (struct oae_mem_stream){ 0 };
	for (i = 0; i < OAE_MAX_LINKS; i++) {
		tab->stage[i] = (struct oae_mem_stage){ 0 };
		oae_undo_init(&tab->stage[i].log, tab->undo[i],
			      OAE_MEM_UNDO_MAX);
		for (j = 0; j < OAE_MEM_UNDO_MAX; j++)
			tab->undo[i][j] = (struct oae_undo_entry){ 0 };
	}
	st->nr_pages = st->top = st->free = st->nr_staged = 0;
	st->hand = st->stamp = st->stream_clock = 0;
}

static void mem_start(void *ctx, const struct oae_policy_env *env,
		      oae_u32 nr_links)
{
	struct oae_mem_state *st = ctx;

	(void)nr_links;
	oae_spin_lock(&st->lock, env->locks);
	mem_reset(st);
	oae_spin_unlock(&st->lock);
}

static void mem_add(struct oae_mem_state *st, const oae_u64 a[OAE_EVENT_ARGS])
{
	oae_u32 s = mem_find(st, a[OAE_PAGE_ARG_PAGE]);
	struct oae_mem_page *p;

	if (s == OAE_MEM_MAX_PAGES) {
		if (a[OAE_PAGE_ARG_TIER] == OAE_MEM_TIER_FAST &&
		    !mem_insert(st, a[OAE_PAGE_ARG_PAGE],
				a[OAE_PAGE_ARG_VERSION]))
			st->stats.full++;	/* the host still has it */
		return;
	}
	p = &st->tab->page[s];
	if (a[OAE_PAGE_ARG_VERSION] <= p->version) {
		st->stats.stale_events++;
	} else if (a[OAE_PAGE_ARG_TIER] == OAE_MEM_TIER_FAST) {
		if (p->staged)
			st->stats.superseded++;
		p->version = a[OAE_PAGE_ARG_VERSION];
		p->ref = ++st->stamp << 1 | 1;
		p->staged = 0;
	} else {
		mem_remove(st, s);
	}
}

static void mem_free(struct oae_mem_state *st, const oae_u64 a[OAE_EVENT_ARGS])
{
	oae_u64 page = a[OAE_PAGE_ARG_PAGE], version = a[OAE_PAGE_ARG_VERSION];
	oae_u64 region = OAE_MEM_PAGE_REGION(page);
	struct oae_mem_stream *sm;
	oae_u32 s;

	if (OAE_MEM_PAGE_INDEX(page) != OAE_MEM_INDEX_REGION) {
		s = mem_find(st, page);
		if (s == OAE_MEM_MAX_PAGES)
			return;
		if (version <= st->tab->page[s].version)
			st->stats.stale_events++;
		else
			mem_remove(st, s);
		return;
	}
	for (s = 0; s < st->top; s++)
		if (st->tab->page[s].page &&
		    OAE_MEM_PAGE_REGION(st->tab->page[s].page) == region &&
		    st->tab->page[s].version < version)
			mem_remove(st, s);
	sm = mem_stream_find(st, region);
	if (sm)
		sm->region = 0;		/* the id may be reused */
}

static void mem_access(struct oae_mem_state *st,
		       const oae_u64 a[OAE_EVENT_ARGS])
{
	oae_u64 page = a[OAE_PAGE_ARG_PAGE], version = a[OAE_PAGE_ARG_VERSION];
	oae_u32 s = mem_find(st, page);

	if (s != OAE_MEM_MAX_PAGES) {
		if (version && version != st->tab->page[s].version) {
			st->stats.stale_events++;
			return;
		}
		st->tab->page[s].ref |= 1;
	}
	mem_stream_feed(st, (void *)0, OAE_MEM_PAGE_REGION(page),
			OAE_MEM_PAGE_INDEX(page));
}

static void mem_event(void *ctx, const struct oae_policy_env *env,
		      oae_u32 type, oae_u32 link,
		      const oae_u64 args[OAE_EVENT_ARGS])
{
	struct oae_mem_state *st = ctx;

	(void)link;
	oae_spin_lock(&st->lock, env->locks);
	if (!mem_event_ok(type, args))
		st->stats.bad_events++;
	else if (type == OAE_EV_PAGE_ADD)
		mem_add(st, args);
	else if (type == OAE_EV_PAGE_FREE)
		mem_free(st, args);
	else
		mem_access(st, args);
	oae_spin_unlock(&st->lock);
}

/* Forget a settled link's staging; its log's scratch goes back to zero. */
static void mem_unstage(struct oae_mem_state *st, oae_u32 link, oae_u32 used)
{
	struct oae_mem_stage *sg = &st->tab->stage[link];
	struct oae_undo_log log = sg->log;
	oae_u32 i;

	for (i = 0; i < used; i++)
		st->tab->undo[link][i] = (struct oae_undo_entry){ 0 };
	*sg = (struct oae_mem_stage){ .log = log };
	st->nr_staged--;
}

/* Victim @i of @link's staging if no custody event superseded it. */
static struct oae_mem_page *mem_victim(struct oae_mem_state *st, oae_u32 link,
				       oae_u32 i)
{
	const struct oae_mem_stage *sg = &st->tab->stage[link];
	struct oae_mem_page *p;

	if (sg->slot[i] < OAE_MEM_MAX_PAGES) {
		p = &st->tab->page[sg->slot[i]];
		if (p->page && p->staged == link + 1 &&
		    p->version == sg->version[i] && p->ref >> 1 == sg->stamp[i])
			return p;
	}
	st->stats.superseded++;
	return (void *)0;
}

static enum oae_answer_status
mem_answer(void *ctx, const struct oae_policy_env *env, oae_u32 link,
	   const struct oae_offer *o, oae_u64 answer[OAE_ANSWER_WORDS])
{
	struct oae_mem_state *st = ctx;
	oae_u64 page = o->payload[OAE_MEM_OFFER_PAGE];
	oae_u64 fast = o->payload[OAE_MEM_OFFER_FAST];
	oae_u64 knobs = o->payload[OAE_MEM_OFFER_KNOBS];
	oae_u64 budget = OAE_MEM_FAST_BUDGET(fast);
	oae_u64 resident = OAE_MEM_FAST_RESIDENT(fast);
	oae_u32 room, need, got = 0, victim[OAE_MEM_VICTIMS_MAX], i;
	oae_u32 tier = OAE_MEM_TIER_FAST;
	enum oae_answer_status ret = OAE_ANSWER_REFUSED;
	struct mem_fault f = { .page = page };
	struct oae_mem_stream *sm;
	struct oae_mem_stage *sg;
	int n;

	for (i = 0; i < OAE_ANSWER_WORDS; i++)
		answer[i] = 0;
	oae_spin_lock(&st->lock, env->locks);
	if (link >= OAE_MAX_LINKS || st->tab->stage[link].staged ||
	    !mem_offer_ok(o)) {
		st->stats.bad_offers++;
		goto out;
	}
	ret = OAE_ANSWER_EMPTY;
	sg = &st->tab->stage[link];
	if (mem_find(st, page) != OAE_MEM_MAX_PAGES)
		goto declined;		/* the host says it is not fast */
	sm = mem_stream_feed(st, &sg->log, OAE_MEM_PAGE_REGION(page),
			     OAE_MEM_PAGE_INDEX(page));
	if (!sm)
		goto undo;
	f.stride = mem_signed(sm->stride);
	f.count = mem_prefetch_count(sm, OAE_MEM_PAGE_INDEX(page), knobs);

	/* The budget rule: 1 + count <= victims + room. */
	room = budget > resident ? (oae_u32)(budget - resident) : 0;
	if (f.count > room + OAE_MEM_VICTIMS_MAX - 1)
		f.count = room + OAE_MEM_VICTIMS_MAX - 1;
	need = 1 + f.count > room ? 1 + f.count - room : 0;
	n = mem_sweep(st, &sg->log, link, need,
		      OAE_MEM_KNOBS_EVICT(knobs) == OAE_MEM_EVICT_CLOCK, &f,
		      victim);
	if (n < 0)
		goto undo;
	got = (oae_u32)n;
	if (got < need && f.count >= need - got) {
		f.count -= need - got;		/* fewer prefetched */
	} else if (got < need) {
		tier = OAE_MEM_TIER_SLOW;	/* no room, no victim */
		f.count = 0;
	}
	if (f.stride && mem_set(&sg->log, &sm->expect,
				OAE_MEM_PAGE_INDEX(page) +
				(oae_u64)(f.count + 1) * (oae_u64)f.stride))
		goto undo;

	sg->victims = got;
	for (i = 0; i < got; i++) {
		sg->slot[i] = victim[i];
		sg->version[i] = st->tab->page[victim[i]].version;
		sg->stamp[i] = st->tab->page[victim[i]].ref >> 1;
		answer[OAE_MEM_ANSWER_VICTIM0 + i] = sg->version[i];
	}
	sg->staged = 1;
	st->nr_staged++;
	answer[OAE_MEM_ANSWER_DECISION] =
		OAE_MEM_DECISION(tier, got, f.count,
				 f.count ? f.stride : 0);
	st->stats.answered++;
	st->stats.victims += got;
	st->stats.prefetched += f.count;
	st->stats.slow += tier == OAE_MEM_TIER_SLOW;
	ret = OAE_ANSWER_OK;
	goto out;
undo:
	/* Cannot happen with OAE_MEM_UNDO_MAX entries: stage nothing. */
	for (i = 0; i < OAE_MEM_MAX_PAGES; i++)
		if (st->tab->page[i].staged == link + 1)
			st->tab->page[i].staged = 0;
	n = (int)sg->log.used;
	oae_undo_abort(&sg->log);
	for (i = 0; i < (oae_u32)n; i++)
		st->tab->undo[link][i] = (struct oae_undo_entry){ 0 };
declined:
	st->stats.declined++;
out:
	oae_spin_unlock(&st->lock);
	return ret;
}

static enum oae_settle_report mem_settle(void *ctx,
					 const struct oae_policy_env *env,
					 oae_u32 link, int commit)
{
	struct oae_mem_state *st = ctx;
	struct oae_mem_stage *sg;
	struct oae_mem_page *p;
	oae_u32 i, used;

	if (link >= OAE_MAX_LINKS)
		return OAE_SETTLE_NOT_STAGED;
	oae_spin_lock(&st->lock, env->locks);
	sg = &st->tab->stage[link];
	if (!sg->staged || sg->victims > OAE_MEM_VICTIMS_MAX) {
		oae_spin_unlock(&st->lock);
		return OAE_SETTLE_NOT_STAGED;
	}
	used = sg->log.used;
	if (commit) {
		oae_undo_commit(&sg->log);	/* nothing left to patch */
	} else {
		for (i = 0; st->nr_staged > 1 && i < OAE_MAX_LINKS; i++)
			if (i != link && st->tab->stage[i].staged)
				oae_undo_pass_back(&sg->log,
						   &st->tab->stage[i].log);
		st->stats.kept += oae_undo_abort(&sg->log);
	}
	for (i = 0; i < sg->victims; i++) {
		p = mem_victim(st, link, i);
		if (!p)
			continue;
		p->staged = 0;
		if (commit)
			mem_remove(st, sg->slot[i]);
	}
	mem_unstage(st, link, used);
	oae_spin_unlock(&st->lock);
	return OAE_SETTLE_OK;
}

static enum oae_settle_report mem_commit(void *ctx,
					 const struct oae_policy_env *env,
					 oae_u32 link)
{
	return mem_settle(ctx, env, link, 1);
}

static enum oae_settle_report mem_abort(void *ctx,
					const struct oae_policy_env *env,
					oae_u32 link)
{
	return mem_settle(ctx, env, link, 0);
}

/* A zeroed state and tables are empty ones: the firmware's are in .bss. */
static struct oae_mem_tables clock_tables;
static struct oae_mem_state clock_registered = {
	.lock = OAE_SPINLOCK_INIT,
	.tab = &clock_tables,
};

const struct oae_ipu_policy oae_mem_clock_policy = {
	.name = "clock",
	.summary = "CLOCK/FIFO eviction over the fast-tier budget, stride prefetch",
	.role = OAE_ROLE_MEM,
	.ctx = &clock_registered,
	.start = mem_start,
	.event = mem_event,
	.answer = mem_answer,
	.commit = mem_commit,
	.abort = mem_abort,
};

void oae_mem_clock_init(struct oae_ipu_policy *pol, struct oae_mem_state *st,
			struct oae_mem_tables *tab)
{
	*pol = oae_mem_clock_policy;
	pol->ctx = st;
	*st = (struct oae_mem_state){ .lock = OAE_SPINLOCK_INIT, .tab = tab };
	mem_reset(st);
}
