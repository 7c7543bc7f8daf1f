// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the memory policy (ipu-fw/policy/mem_clock.c,
 * mem_policy.h), called through the policy interface on private
 * instances, with a small host model that enforces what is committed and
 * posts the custody events the module would:
 *  - events: malformed ones counted and ignored, stale versions, region
 *    FREE, start() empties, a replay rebuilds the same candidates;
 *  - eviction: CLOCK's second chance order, FIFO order, the sweep bound;
 *  - the ABI budget rule on every OK answer, victims distinct, named by
 *    version, never reserved by two links (a property test with random
 *    events, offers, knobs, commits and aborts over four links);
 *  - abort restores the whole state exactly, alone and interleaved with
 *    another link's answer, commit and abort; a custody event about a
 *    reserved victim supersedes the staging;
 *  - the prefetcher: sequential and stride detection, negative stride,
 *    region bounds, a high hit rate on scans;
 *  - hostile offers refused; chosen by name; through the options.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <cmocka.h>

#include "ipu_options.h"
#include "mem_policy.h"

struct inst {
	struct oae_ipu_policy pol;
	struct oae_mem_state st;
	struct oae_mem_tables tab;
	struct oae_lock_stats locks;
	struct oae_policy_env env;
};

/* A copy of everything the policy owns but its counters. */
struct snap {
	struct oae_mem_state st;
	struct oae_mem_tables tab;
};

static struct inst *new_inst(void)
{
	struct inst *in = calloc(1, sizeof(*in));

	assert_non_null(in);
	oae_mem_clock_init(&in->pol, &in->st, &in->tab);
	in->env.locks = &in->locks;
	in->pol.start(in->pol.ctx, &in->env, 8);
	return in;
}

static struct snap *take(const struct inst *in)
{
	struct snap *s = malloc(sizeof(*s));

	assert_non_null(s);
	memcpy(&s->st, &in->st, sizeof(s->st));
	memcpy(&s->tab, &in->tab, sizeof(s->tab));
	return s;
}

static int same(const struct inst *in, struct snap *s)
{
	s->st.stats = in->st.stats;	/* counters are not state */
	s->st.lock = in->st.lock;
	return !memcmp(&s->st, &in->st, sizeof(s->st)) &&
	       !memcmp(&s->tab, &in->tab, sizeof(s->tab));
}

static void ev(struct inst *in, oae_u32 type, oae_u64 a0, oae_u64 a1,
	       oae_u64 a2, oae_u64 a3)
{
	const oae_u64 args[OAE_EVENT_ARGS] = { a0, a1, a2, a3 };

	in->pol.event(in->pol.ctx, &in->env, type, 0, args);
}

#define PG(r, i)	OAE_MEM_PAGE(r, i)

static void add(struct inst *in, oae_u64 page, oae_u64 version, oae_u64 tier)
{
	ev(in, OAE_EV_PAGE_ADD, page, version, tier, 0);
}

static void pfree(struct inst *in, oae_u64 page, oae_u64 version)
{
	ev(in, OAE_EV_PAGE_FREE, page, version, 0, 0);
}

static void access_(struct inst *in, oae_u64 page, oae_u64 version)
{
	ev(in, OAE_EV_PAGE_ACCESS, page, version, 0, 0);
}

/* The slot of @page in the policy's table, or -1. */
static int slot_of(const struct inst *in, oae_u64 page)
{
	unsigned int i;

	for (i = 0; i < OAE_MEM_MAX_PAGES; i++)
		if (in->tab.page[i].page == page)
			return (int)i;
	return -1;
}

static int tracked(const struct inst *in, oae_u64 page)
{
	return slot_of(in, page) >= 0;
}

/* The ring, the hash and the counts agree. */
static void check_table(const struct inst *in)
{
	unsigned int n = 0, live = 0, i, s;

	for (i = 0; i < OAE_MEM_MAX_PAGES; i++)
		live += in->tab.page[i].page != 0;
	assert_int_equal(live, in->st.nr_pages);
	if (!in->st.hand) {
		assert_int_equal(live, 0);
		return;
	}
	s = (unsigned int)in->st.hand - 1;
	do {
		assert_int_not_equal(in->tab.page[s].page, 0);
		assert_int_equal(in->tab.page[in->tab.page[s].next].prev, s);
		s = in->tab.page[s].next;
		assert_true(++n <= live);
	} while (s != in->st.hand - 1);
	assert_int_equal(n, live);
	for (n = 0, i = 0; i < OAE_MEM_HASH_SLOTS; i++)
		n += in->tab.hash[i] != 0;
	assert_int_equal(n, live);
}

struct fault {
	oae_u64 page, flags;
	oae_u64 budget, resident;
	oae_u64 window, evict, prefetch, pages;
};

struct ans {
	enum oae_answer_status status;
	oae_u64 w[OAE_ANSWER_WORDS];
	unsigned int tier, victims, count;
	int stride;
};

static void check_rule(const struct fault *f, const struct ans *a)
{
	oae_u64 room = f->budget > f->resident ? f->budget - f->resident : 0;
	unsigned int i, j;

	if (a->status != OAE_ANSWER_OK) {
		assert_int_equal(a->w[0] | a->w[1] | a->w[2] | a->w[3], 0);
		return;
	}
	assert_true(a->tier <= OAE_MEM_TIER_MAX);
	assert_true(a->victims <= OAE_MEM_VICTIMS_MAX);
	assert_true(a->count <= f->window);
	assert_true((a->tier == OAE_MEM_TIER_FAST) + a->count <=
		    a->victims + room);
	if (a->count) {
		assert_int_not_equal(a->stride, 0);
		assert_true(abs(a->stride) <= OAE_MEM_STRIDE_MAX);
		/* Every prefetched page inside the region. */
		long long last = (long long)OAE_MEM_PAGE_INDEX(f->page) +
				 (long long)a->count * a->stride;
		assert_true(last >= 0 && last < (long long)f->pages);
		if (f->prefetch == OAE_MEM_PREFETCH_SEQ)
			assert_int_equal(a->stride, 1);
	} else {
		assert_int_equal(a->stride, 0);
	}
	assert_true(f->prefetch != OAE_MEM_PREFETCH_OFF || !a->count);
	for (i = 0; i < OAE_MEM_VICTIMS_MAX; i++) {
		if (i >= a->victims) {
			assert_int_equal(a->w[1 + i], 0);
			continue;
		}
		assert_int_not_equal(a->w[1 + i], 0);
		for (j = 0; j < i; j++)
			assert_int_not_equal(a->w[1 + i], a->w[1 + j]);
	}
}

static struct ans answer_raw(struct inst *in, oae_u32 link,
			     const struct oae_offer *o)
{
	struct ans a;

	memset(&a, 0, sizeof(a));
	memset(a.w, 0xa5, sizeof(a.w));
	a.status = in->pol.answer(in->pol.ctx, &in->env, link, o, a.w);
	a.tier = OAE_MEM_DECISION_TIER(a.w[0]);
	a.victims = OAE_MEM_DECISION_VICTIMS(a.w[0]);
	a.count = OAE_MEM_DECISION_COUNT(a.w[0]);
	a.stride = OAE_MEM_DECISION_STRIDE(a.w[0]);
	return a;
}

static struct oae_offer offer_of(const struct fault *f)
{
	struct oae_offer o = { .op = OAE_OP_MEM_FAULT };

	o.payload[OAE_MEM_OFFER_PAGE] = f->page;
	o.payload[OAE_MEM_OFFER_FLAGS] = f->flags;
	o.payload[OAE_MEM_OFFER_FAST] = OAE_MEM_FAST_WORD(f->budget,
							  f->resident);
	o.payload[OAE_MEM_OFFER_KNOBS] = OAE_MEM_KNOBS_WORD(f->window,
			f->evict, f->prefetch, f->pages);
	return o;
}

static struct ans fault(struct inst *in, oae_u32 link, const struct fault *f)
{
	struct oae_offer o = offer_of(f);
	struct ans a = answer_raw(in, link, &o);

	check_rule(f, &a);
	return a;
}

static enum oae_settle_report commit(struct inst *in, oae_u32 link)
{
	return in->pol.commit(in->pol.ctx, &in->env, link);
}

static enum oae_settle_report abort_(struct inst *in, oae_u32 link)
{
	return in->pol.abort(in->pol.ctx, &in->env, link);
}

/* ---- a host model -------------------------------------------------------- */

#define H_REGIONS	4
#define H_PAGES		4096

enum { H_ABSENT = 0, H_FAST = 1, H_SLOW = 2 };

struct host {
	oae_u64 ver;				/* one counter per device */
	oae_u64 version[H_REGIONS][H_PAGES];
	unsigned char tier[H_REGIONS][H_PAGES];
	unsigned int resident;
	struct fault knobs;			/* budget, window, modes */
	unsigned long hits, faults, prefetched;
};

static struct host *new_host(oae_u64 budget, oae_u64 window, oae_u64 evict,
			     oae_u64 prefetch, oae_u64 pages)
{
	struct host *h = calloc(1, sizeof(*h));

	assert_non_null(h);
	h->knobs = (struct fault){ .budget = budget, .window = window,
				   .evict = evict, .prefetch = prefetch,
				   .pages = pages };
	return h;
}

static void h_set(struct host *h, struct inst *in, unsigned int r,
		  oae_u64 i, unsigned char tier)
{
	if (h->tier[r][i] == H_FAST)
		h->resident--;
	if (tier == H_FAST)
		h->resident++;
	h->tier[r][i] = tier;
	h->version[r][i] = ++h->ver;
	if (tier == H_ABSENT)
		pfree(in, PG(r, i), h->ver);
	else
		add(in, PG(r, i), h->ver, tier == H_FAST ? OAE_MEM_TIER_FAST :
							     OAE_MEM_TIER_SLOW);
}

/* The host's commit-time check: every victim still fast, that version. */
static int h_find_victim(const struct host *h, oae_u64 version,
			 unsigned int *r, oae_u64 *i)
{
	unsigned int rr;
	oae_u64 ii;

	for (rr = 1; rr < H_REGIONS; rr++)
		for (ii = 0; ii < H_PAGES; ii++)
			if (h->tier[rr][ii] == H_FAST &&
			    h->version[rr][ii] == version) {
				*r = rr;
				*i = ii;
				return 1;
			}
	return 0;
}

/* Enforce a committed answer, then post its custody events. */
static void h_enforce(struct host *h, struct inst *in, const struct fault *f,
		      const struct ans *a)
{
	unsigned int r = (unsigned int)OAE_MEM_PAGE_REGION(f->page), vr, k;
	oae_u64 idx = OAE_MEM_PAGE_INDEX(f->page), vi;
	long long p;

	for (k = 0; k < a->victims; k++) {
		assert_true(h_find_victim(h, a->w[1 + k], &vr, &vi));
		h_set(h, in, vr, vi, H_SLOW);
	}
	h_set(h, in, r, idx, a->tier == OAE_MEM_TIER_FAST ? H_FAST : H_SLOW);
	for (k = 1; k <= a->count; k++) {
		p = (long long)idx + (long long)k * a->stride;
		if (h->tier[r][p] != H_FAST) {
			h_set(h, in, r, (oae_u64)p, H_FAST);
			h->prefetched++;
		}
	}
}

/* A touch of a page: a hit if it is fast, else a swap on @link. */
static struct ans h_touch(struct host *h, struct inst *in, oae_u32 link,
			  unsigned int r, oae_u64 i)
{
	struct fault f = h->knobs;
	struct ans a = { .status = OAE_ANSWER_EMPTY };

	if (h->tier[r][i] == H_FAST) {
		h->hits++;
		return a;
	}
	h->faults++;
	f.page = PG(r, i);
	f.flags = h->tier[r][i] == H_SLOW ? OAE_MEM_FAULT_SLOW : 0;
	f.resident = h->resident;
	a = fault(in, link, &f);
	assert_int_equal(a.status, OAE_ANSWER_OK);
	assert_int_equal(commit(in, link), OAE_SETTLE_OK);
	h_enforce(h, in, &f, &a);
	/* Serialised swaps: the rule keeps the host within its budget. */
	assert_true(h->resident <= (f.resident > f.budget ? f.resident :
							      f.budget));
	return a;
}

/* Every page the policy tracks is fast at the host, with that version. */
static void h_agree(const struct host *h, const struct inst *in)
{
	unsigned int i, n = 0;

	check_table(in);
	for (i = 0; i < OAE_MEM_MAX_PAGES; i++) {
		const struct oae_mem_page *p = &in->tab.page[i];
		unsigned int r = (unsigned int)OAE_MEM_PAGE_REGION(p->page);

		if (!p->page)
			continue;
		n++;
		assert_int_equal(h->tier[r][OAE_MEM_PAGE_INDEX(p->page)],
				 H_FAST);
		assert_int_equal(h->version[r][OAE_MEM_PAGE_INDEX(p->page)],
				 p->version);
	}
	assert_int_equal(n, h->resident);
}

/* ---- events ------------------------------------------------------------- */

static void test_events_validated(void **state)
{
	struct inst *in = new_inst();
	struct snap *before;

	(void)state;
	add(in, PG(1, 0), 5, OAE_MEM_TIER_FAST);
	add(in, PG(2, 7), 6, OAE_MEM_TIER_FAST);
	before = take(in);
	add(in, PG(0, 1), 9, OAE_MEM_TIER_FAST);		/* region 0 */
	add(in, PG(65536, 1), 9, OAE_MEM_TIER_FAST);		/* region */
	add(in, ~0ULL, 9, OAE_MEM_TIER_FAST);
	add(in, PG(1, OAE_MEM_INDEX_REGION), 9, OAE_MEM_TIER_FAST);
	add(in, PG(1, 1), 0, OAE_MEM_TIER_FAST);		/* version */
	add(in, PG(1, 1), 9, OAE_MEM_TIER_MAX + 1);		/* tier */
	ev(in, OAE_EV_PAGE_ADD, PG(1, 1), 9, 0, 1);		/* reserved */
	pfree(in, PG(1, 0), 0);
	pfree(in, PG(0, OAE_MEM_INDEX_REGION), 9);
	ev(in, OAE_EV_PAGE_FREE, PG(1, 0), 9, 1, 0);
	ev(in, OAE_EV_PAGE_FREE, PG(1, 0), 9, 0, 1);
	ev(in, OAE_EV_PAGE_ACCESS, PG(1, 0), 5, 2, 0);		/* flags */
	ev(in, OAE_EV_PAGE_ACCESS, PG(1, 0), 5, 0, 1);
	ev(in, OAE_EV_PAGE_ACCESS, PG(1, OAE_MEM_INDEX_REGION), 0, 0, 0);
	ev(in, OAE_EV_TASK_RUNNABLE, PG(1, 0), 9, 0, 0);	/* type */
	ev(in, 0xffffffffu, PG(1, 0), 9, 0, 0);
	assert_int_equal(in->st.stats.bad_events, 16);
	/* Stale: not newer than the page's, or not its version. */
	add(in, PG(1, 0), 5, OAE_MEM_TIER_FAST);
	add(in, PG(1, 0), 4, OAE_MEM_TIER_SLOW);
	pfree(in, PG(2, 7), 6);
	access_(in, PG(2, 7), 5);
	access_(in, PG(2, 7), 7);
	assert_int_equal(in->st.stats.stale_events, 5);
	assert_true(same(in, before));
	/* Not tracked: slow pages and frees of unknown pages change nothing. */
	add(in, PG(3, 3), 10, OAE_MEM_TIER_SLOW);
	pfree(in, PG(3, 4), 11);
	assert_true(same(in, before));
	/* Newer: applied. */
	add(in, PG(1, 0), 12, OAE_MEM_TIER_FAST);
	assert_int_equal(in->tab.page[slot_of(in, PG(1, 0))].version, 12);
	add(in, PG(1, 0), 13, OAE_MEM_TIER_SLOW);
	assert_false(tracked(in, PG(1, 0)));
	pfree(in, PG(2, 7), 14);
	assert_false(tracked(in, PG(2, 7)));
	assert_int_equal(in->st.nr_pages, 0);
	check_table(in);
	free(before);
	free(in);
}

static void test_region_free(void **state)
{
	struct inst *in = new_inst();
	unsigned int i;

	(void)state;
	for (i = 0; i < 100; i++) {
		add(in, PG(4, i), 10 + i, OAE_MEM_TIER_FAST);
		add(in, PG(5, i), 200 + i, OAE_MEM_TIER_FAST);
	}
	access_(in, PG(4, 1), 0);
	access_(in, PG(4, 2), 0);
	assert_non_null(in->tab.stream[0].region);
	/* Only pages older than the event go. */
	pfree(in, PG(4, OAE_MEM_INDEX_REGION), 60);
	for (i = 0; i < 100; i++) {
		assert_int_equal(tracked(in, PG(4, i)), 10 + i >= 60);
		assert_true(tracked(in, PG(5, i)));
	}
	for (i = 0; i < OAE_MEM_STREAMS; i++)
		assert_int_not_equal(in->tab.stream[i].region, 4);
	pfree(in, PG(4, OAE_MEM_INDEX_REGION), 1000);
	assert_int_equal(in->st.nr_pages, 100);
	check_table(in);
	free(in);
}

/* The table holds OAE_MEM_MAX_PAGES; lookups stay right at full load. */
static void test_capacity(void **state)
{
	struct inst *in = new_inst();
	unsigned int i;

	(void)state;
	for (i = 0; i < OAE_MEM_MAX_PAGES; i++)
		add(in, PG(1 + i % 7, i * 13), 1 + i, OAE_MEM_TIER_FAST);
	add(in, PG(9, 9), 99999, OAE_MEM_TIER_FAST);
	assert_int_equal(in->st.stats.full, 1);
	check_table(in);
	for (i = 0; i < OAE_MEM_MAX_PAGES; i += 2)
		pfree(in, PG(1 + i % 7, i * 13), 100000 + i);
	check_table(in);
	for (i = 0; i < OAE_MEM_MAX_PAGES; i++)
		assert_int_equal(tracked(in, PG(1 + i % 7, i * 13)), i & 1);
	add(in, PG(9, 9), 200000, OAE_MEM_TIER_FAST);
	assert_true(tracked(in, PG(9, 9)));
	check_table(in);
	free(in);
}

static void test_start_and_replay(void **state)
{
	struct inst *in = new_inst();
	struct fault f = { .budget = 8, .resident = 8, .window = 0,
			   .pages = 100 };
	struct snap *fresh, *built;
	struct ans a;
	unsigned int i;

	(void)state;
	fresh = take(in);
	for (i = 0; i < 8; i++)
		add(in, PG(1, i), 1 + i, OAE_MEM_TIER_FAST);
	built = take(in);
	f.page = PG(1, 50);
	a = fault(in, 2, &f);
	assert_int_equal(a.victims, 1);
	in->pol.start(in->pol.ctx, &in->env, 8);
	assert_true(same(in, fresh));
	assert_int_equal(commit(in, 2), OAE_SETTLE_NOT_STAGED);
	assert_int_equal(abort_(in, 2), OAE_SETTLE_NOT_STAGED);
	/* The replay (same order, same versions) rebuilds the same table. */
	for (i = 0; i < 8; i++)
		add(in, PG(1, i), 1 + i, OAE_MEM_TIER_FAST);
	assert_true(same(in, built));
	a = fault(in, 2, &f);
	assert_int_equal(a.w[1], 1);	/* the same first candidate */
	assert_int_equal(abort_(in, 2), OAE_SETTLE_OK);
	assert_true(same(in, built));
	free(fresh);
	free(built);
	free(in);
}

/* ---- eviction order ----------------------------------------------------- */

/* One victim per fault, committed, the victim's ADD slow posted. */
static oae_u64 evict_one(struct inst *in, oae_u64 evict, oae_u64 *ver,
			 oae_u64 faulting)
{
	struct fault f = { .page = faulting, .budget = 4, .resident = 4,
			   .evict = evict, .pages = 1000 };
	struct ans a = fault(in, 0, &f);
	int s;

	assert_int_equal(a.status, OAE_ANSWER_OK);
	assert_int_equal(a.tier, OAE_MEM_TIER_FAST);
	assert_int_equal(a.victims, 1);
	for (s = 0; s < OAE_MEM_MAX_PAGES; s++)
		if (in->tab.page[s].page && in->tab.page[s].version == a.w[1])
			break;
	assert_true(s < OAE_MEM_MAX_PAGES);
	faulting = in->tab.page[s].page;
	assert_int_equal(commit(in, 0), OAE_SETTLE_OK);
	assert_false(tracked(in, faulting));
	add(in, faulting, ++*ver, OAE_MEM_TIER_SLOW);	/* ignored */
	add(in, f.page, ++*ver, OAE_MEM_TIER_FAST);
	check_table(in);
	return OAE_MEM_PAGE_INDEX(faulting);
}

static void test_clock_second_chance(void **state)
{
	struct inst *in = new_inst();
	oae_u64 ver = 0, i;

	(void)state;
	for (i = 0; i < 4; i++)			/* A B C D, all referenced */
		add(in, PG(1, i), ++ver, OAE_MEM_TIER_FAST);
	/* All referenced: a revolution clears them, the oldest goes. */
	assert_int_equal(evict_one(in, OAE_MEM_EVICT_CLOCK, &ver, PG(1, 10)), 0);
	/* B is touched again: it is passed, C goes. */
	access_(in, PG(1, 1), 0);
	assert_int_equal(evict_one(in, OAE_MEM_EVICT_CLOCK, &ver, PG(1, 11)), 2);
	/* D is unreferenced now; then E (10) and F (11) came in referenced. */
	assert_int_equal(evict_one(in, OAE_MEM_EVICT_CLOCK, &ver, PG(1, 12)), 3);
	/* Ring B E F G from the hand: B lost its bit when passed. */
	assert_int_equal(evict_one(in, OAE_MEM_EVICT_CLOCK, &ver, PG(1, 13)), 1);
	access_(in, PG(1, 10), ver);		/* wrong version: stale */
	assert_int_equal(in->st.stats.stale_events, 1);
	/* E F G H all referenced: the oldest, E. */
	assert_int_equal(evict_one(in, OAE_MEM_EVICT_CLOCK, &ver, PG(1, 14)), 10);
	free(in);
}

static void test_fifo_order(void **state)
{
	struct inst *in = new_inst();
	oae_u64 ver = 0, i;

	(void)state;
	for (i = 0; i < 4; i++)
		add(in, PG(1, i), ++ver, OAE_MEM_TIER_FAST);
	access_(in, PG(1, 0), 0);
	access_(in, PG(1, 1), 0);
	/* References do not matter: arrival order. */
	for (i = 0; i < 4; i++)
		assert_int_equal(evict_one(in, OAE_MEM_EVICT_FIFO, &ver,
					   PG(1, 100 + i)), i);
	for (i = 0; i < 4; i++)
		assert_int_equal(evict_one(in, OAE_MEM_EVICT_FIFO, &ver,
					   PG(1, 200 + i)), 100 + i);
	/* No bit was cleared by FIFO. */
	assert_int_equal(in->st.stats.forced, 0);
	free(in);
}

/* More referenced pages than one answer may clear: the oldest go. */
static void test_sweep_bound(void **state)
{
	struct inst *in = new_inst();
	struct fault f = { .budget = 200, .resident = 200, .pages = 1000 };
	oae_u64 ver = 0, i;
	struct snap *before;
	struct ans a;

	(void)state;
	for (i = 0; i < 200; i++)
		add(in, PG(1, i), ++ver, OAE_MEM_TIER_FAST);
	before = take(in);
	f.page = PG(2, 0);
	a = fault(in, 0, &f);
	assert_int_equal(a.victims, 1);
	assert_int_equal(a.w[1], 1);		/* the oldest, as CLOCK */
	assert_int_equal(in->st.stats.forced, 1);
	assert_true(in->tab.stage[0].log.used > OAE_MEM_SWEEP_MAX &&
		    in->tab.stage[0].log.used <= OAE_MEM_UNDO_MAX);
	assert_int_equal(abort_(in, 0), OAE_SETTLE_OK);
	assert_true(same(in, before));
	a = fault(in, 0, &f);
	assert_int_equal(commit(in, 0), OAE_SETTLE_OK);
	/* The next ones: the pages it cleared, in order. */
	for (i = 2; i < 6; i++) {
		f.page = PG(2, 10 * i);
		a = fault(in, 1, &f);
		assert_int_equal(a.w[1], i);
		assert_int_equal(commit(in, 1), OAE_SETTLE_OK);
	}
	free(before);
	free(in);
}

/* ---- staging ------------------------------------------------------------ */

/* A history: pages, some references, a stream, a moved hand. */
static void history(struct inst *in, oae_u64 *ver)
{
	struct fault f = { .budget = 40, .resident = 40, .window = 4,
			   .prefetch = OAE_MEM_PREFETCH_STRIDE, .pages = 4000 };
	unsigned int i;

	for (i = 0; i < 40; i++)
		add(in, PG(1 + i % 3, i), ++*ver, OAE_MEM_TIER_FAST);
	for (i = 0; i < 3; i++) {
		f.page = PG(7, 100 + 2 * i);
		fault(in, 0, &f);
		commit(in, 0);
	}
	for (i = 0; i < 40; i += 3)
		access_(in, PG(1 + i % 3, i), 0);
}

static void test_abort_exact(void **state)
{
	struct inst *in = new_inst();
	struct fault f = { .budget = 40, .resident = 40, .window = 4,
			   .prefetch = OAE_MEM_PREFETCH_STRIDE, .pages = 4000 };
	oae_u64 ver = 0, first[4];
	struct snap *before;
	struct ans a;
	unsigned int i;

	(void)state;
	history(in, &ver);
	before = take(in);
	/* The stream's next fault: prefetch, three victims, bits cleared. */
	f.page = PG(7, 106);
	a = fault(in, 3, &f);
	assert_int_equal(a.count, 2);
	assert_int_equal(a.stride, 2);
	assert_int_equal(a.victims, 3);
	memcpy(first, a.w, sizeof(first));
	assert_false(same(in, before));
	assert_int_equal(abort_(in, 3), OAE_SETTLE_OK);
	assert_true(same(in, before));
	/* The same answer again: it is all back. */
	a = fault(in, 3, &f);
	assert_memory_equal(a.w, first, sizeof(first));
	assert_int_equal(abort_(in, 3), OAE_SETTLE_OK);
	assert_true(same(in, before));
	/* Every mode, every room. */
	for (i = 0; i < 60; i++) {
		f.evict = i % 2;
		f.prefetch = i % 3;
		f.resident = 30 + i % 15;
		f.window = i % 17;
		f.page = PG(7, 106 + (i % 5));
		a = fault(in, i % 8, &f);
		assert_int_equal(a.status, OAE_ANSWER_OK);
		assert_int_equal(abort_(in, i % 8), OAE_SETTLE_OK);
		assert_true(same(in, before));
	}
	assert_int_equal(in->st.stats.kept, 0);
	free(before);
	free(in);
}

static unsigned int staged_victims(const struct inst *in)
{
	unsigned int i, n = 0;

	for (i = 0; i < OAE_MEM_MAX_PAGES; i++)
		n += in->tab.page[i].staged != 0;
	return n;
}

static void test_two_links(void **state)
{
	struct inst *in = new_inst();
	struct fault f = { .budget = 40, .resident = 40, .window = 4,
			   .prefetch = OAE_MEM_PREFETCH_STRIDE, .pages = 4000 };
	struct fault g = f;
	oae_u64 ver = 0;
	struct snap *before;
	struct ans a, b;
	unsigned int i, j, order, n0;

	(void)state;
	history(in, &ver);
	before = take(in);
	n0 = in->st.nr_pages;
	f.page = PG(7, 106);
	g.page = PG(7, 108);		/* the same stream, next page */
	for (order = 0; order < 2; order++) {
		a = fault(in, 1, &f);
		b = fault(in, 2, &g);
		assert_int_equal(a.victims + b.victims, staged_victims(in));
		for (i = 0; i < a.victims; i++)
			for (j = 0; j < b.victims; j++)
				assert_int_not_equal(a.w[1 + i], b.w[1 + j]);
		assert_int_equal(abort_(in, order ? 2 : 1), OAE_SETTLE_OK);
		assert_int_equal(abort_(in, order ? 1 : 2), OAE_SETTLE_OK);
		assert_true(same(in, before));
	}
	/* Abort the first, commit the second: only its victims go. */
	a = fault(in, 1, &f);
	b = fault(in, 2, &g);
	assert_int_equal(abort_(in, 1), OAE_SETTLE_OK);
	assert_int_equal(staged_victims(in), b.victims);
	assert_int_equal(commit(in, 2), OAE_SETTLE_OK);
	assert_int_equal(staged_victims(in), 0);
	assert_int_equal(in->st.nr_pages, n0 - b.victims);
	for (i = 0; i < a.victims; i++) {
		for (j = 0; j < OAE_MEM_MAX_PAGES; j++)
			if (in->tab.page[j].page &&
			    in->tab.page[j].version == a.w[1 + i])
				break;
		assert_true(j < OAE_MEM_MAX_PAGES);	/* still a candidate */
	}
	check_table(in);
	/* Commit the first, abort the second. */
	j = in->st.nr_pages;
	a = fault(in, 1, &f);
	b = fault(in, 2, &g);
	assert_int_equal(commit(in, 1), OAE_SETTLE_OK);
	assert_int_equal(abort_(in, 2), OAE_SETTLE_OK);
	assert_int_equal(in->st.nr_pages, j - a.victims);
	assert_int_equal(staged_victims(in), 0);
	check_table(in);
	assert_int_equal(in->st.stats.superseded, 0);
	free(before);
	free(in);
}

static void test_superseded(void **state)
{
	struct inst *in = new_inst();
	struct fault f = { .budget = 4, .resident = 4, .pages = 100 };
	oae_u64 ver = 0, i;
	struct ans a;
	int s;

	(void)state;
	for (i = 0; i < 4; i++)
		add(in, PG(1, i), ++ver, OAE_MEM_TIER_FAST);
	/* The victim is freed before the abort: no resurrection. */
	f.page = PG(1, 50);
	a = fault(in, 0, &f);
	assert_int_equal(a.w[1], 1);
	pfree(in, PG(1, 0), ++ver);
	assert_int_equal(abort_(in, 0), OAE_SETTLE_OK);
	assert_false(tracked(in, PG(1, 0)));
	assert_int_equal(in->st.stats.superseded, 2);
	check_table(in);
	/* A newer ADD fast for the victim: the commit keeps the page. */
	a = fault(in, 0, &f);
	s = slot_of(in, PG(1, 1));
	assert_int_equal(a.w[1], in->tab.page[s].version);
	add(in, PG(1, 1), ++ver, OAE_MEM_TIER_FAST);
	assert_int_equal(in->tab.page[s].staged, 0);
	assert_int_equal(commit(in, 0), OAE_SETTLE_OK);
	assert_true(tracked(in, PG(1, 1)));
	assert_int_equal(in->st.stats.superseded, 4);
	/* A sample on a victim changes nothing of the staging. */
	a = fault(in, 0, &f);
	assert_int_equal(a.victims, 1);
	access_(in, PG(1, 2), 0);
	assert_int_equal(commit(in, 0), OAE_SETTLE_OK);
	assert_int_equal(in->st.stats.superseded, 4);
	assert_int_equal(in->st.nr_pages, 2);
	check_table(in);
	free(in);
}

/* ---- the budget rule, as a property -------------------------------------- */

static unsigned int rnd(unsigned long long *s, unsigned int n)
{
	*s = *s * 6364136223846793005ULL + 1442695040888963407ULL;
	return (unsigned int)(*s >> 33) % n;
}

static void test_budget_rule_property(void **state)
{
	struct inst *in = new_inst();
	struct host *h = new_host(16, 4, 0, 2, 256);
	struct fault pend_f[4];
	struct ans pend_a[4];
	int pending[4] = { 0 };
	unsigned long long seed = 42;
	unsigned int step, l, r, k, j, m, ok = 0;
	oae_u64 idx, cursor[H_REGIONS] = { 0 };

	(void)state;
	for (step = 0; step < 100000; step++) {
		l = rnd(&seed, 4);
		r = 1 + rnd(&seed, 3);
		switch (rnd(&seed, 10)) {
		case 0:
		case 1:
		case 2:	/* settle a pending swap: commit if still valid */
			if (!pending[l])
				break;
			pending[l] = 0;
			for (k = 0; k < pend_a[l].victims; k++) {
				unsigned int vr;
				oae_u64 vi;

				if (!h_find_victim(h, pend_a[l].w[1 + k], &vr,
						   &vi))
					break;
			}
			if (k < pend_a[l].victims || rnd(&seed, 3) == 0 ||
			    h->tier[OAE_MEM_PAGE_REGION(pend_f[l].page)]
				   [OAE_MEM_PAGE_INDEX(pend_f[l].page)] ==
			    H_FAST) {
				assert_int_equal(abort_(in, l), OAE_SETTLE_OK);
			} else {
				assert_int_equal(commit(in, l), OAE_SETTLE_OK);
				h_enforce(h, in, &pend_f[l], &pend_a[l]);
			}
			break;
		case 3:	/* a sample */
			idx = rnd(&seed, 256);
			access_(in, PG(r, idx), rnd(&seed, 2) ?
				h->version[r][idx] : 0);
			break;
		case 4:	/* a page goes away, now and then a region */
			if (rnd(&seed, 50) == 0) {
				for (idx = 0; idx < 256; idx++)
					if (h->tier[r][idx] == H_FAST)
						h->resident--;
				memset(h->tier[r], 0, sizeof(h->tier[r]));
				pfree(in, PG(r, OAE_MEM_INDEX_REGION), ++h->ver);
			} else {
				idx = rnd(&seed, 256);
				if (h->tier[r][idx])
					h_set(h, in, r, idx, H_ABSENT);
			}
			break;
		default: /* a fault: random knobs, a scan or a random page */
			if (pending[l])
				break;
			h->knobs.budget = 1 + rnd(&seed, 24);
			h->knobs.window = rnd(&seed, 17);
			h->knobs.evict = rnd(&seed, 2);
			h->knobs.prefetch = rnd(&seed, 3);
			h->knobs.pages = 256;
			idx = rnd(&seed, 2) ? rnd(&seed, 256) :
			      (cursor[r] = (cursor[r] + 1 + (r == 3 ? 2 : 0)) % 256);
			if (h->tier[r][idx] == H_FAST)
				break;
			pend_f[l] = h->knobs;
			pend_f[l].page = PG(r, idx);
			pend_f[l].flags = h->tier[r][idx] == H_SLOW ?
					  OAE_MEM_FAULT_SLOW : 0;
			pend_f[l].resident = h->resident;
			pend_a[l] = fault(in, l, &pend_f[l]);
			if (pend_a[l].status != OAE_ANSWER_OK)
				break;
			ok++;
			pending[l] = 1;
			/* Victims: fast at the host with that version, and
			 * never named by another pending swap. */
			for (k = 0; k < pend_a[l].victims; k++) {
				unsigned int vr;
				oae_u64 vi;

				assert_true(h_find_victim(h, pend_a[l].w[1 + k],
							  &vr, &vi));
				for (j = 0; j < 4; j++)
					for (m = 0; j != l && pending[j] &&
					     m < pend_a[j].victims; m++)
						assert_int_not_equal(
							pend_a[l].w[1 + k],
							pend_a[j].w[1 + m]);
			}
		}
	}
	for (l = 0; l < 4; l++)
		if (pending[l])
			abort_(in, l);
	h_agree(h, in);
	assert_int_equal(staged_victims(in), 0);
	assert_int_equal(in->st.nr_staged, 0);
	print_message("# property: %u answers, %llu prefetched, %llu slow\n", ok,
		      (unsigned long long)in->st.stats.prefetched,
		      (unsigned long long)in->st.stats.slow);
	assert_true(ok > 10000 && in->st.stats.prefetched > 0);
	assert_int_equal(in->st.stats.bad_events + in->st.stats.bad_offers, 0);
	free(h);
	free(in);
}

/* ---- the prefetcher ------------------------------------------------------ */

static void scan(struct inst *in, struct host *h, unsigned int r,
		 long long from, long long step, unsigned int n)
{
	unsigned int i;

	for (i = 0; i < n; i++)
		h_touch(h, in, i % 3, r, (oae_u64)(from + step * i));
}

static void test_sequential(void **state)
{
	struct inst *in = new_inst();
	struct host *h = new_host(4096, 8, OAE_MEM_EVICT_CLOCK,
				  OAE_MEM_PREFETCH_SEQ, 4000);

	(void)state;
	/* Room under the budget: 8 of every 9 pages come prefetched. */
	scan(in, h, 1, 0, 1, 2000);
	assert_true(h->hits * 100 >= 85 * 2000);
	assert_true(h->faults <= 2000 / 9 + 4);
	/*
	 * A full fast tier: each fault may bring in at most
	 * OAE_MEM_VICTIMS_MAX pages (the ABI's rule), so 2 prefetched.
	 */
	h->knobs.budget = 64;
	h->hits = h->faults = 0;
	scan(in, h, 1, 2000, 1, 1800);
	assert_true(h->hits * 100 >= 65 * 1800);
	h_agree(h, in);
	/* Sequential does not follow a stride of 2, nor a descent. */
	h->hits = h->faults = 0;
	scan(in, h, 2, 0, 2, 500);
	scan(in, h, 3, 999, -1, 500);
	assert_int_equal(h->hits, 0);
	/* Off: nothing. */
	h->knobs.prefetch = OAE_MEM_PREFETCH_OFF;
	scan(in, h, 2, 1000, 1, 500);
	assert_int_equal(h->hits, 0);
	h_agree(h, in);
	free(h);
	free(in);
}

static void test_stride(void **state)
{
	struct inst *in = new_inst();
	struct host *h = new_host(4096, 16, OAE_MEM_EVICT_CLOCK,
				  OAE_MEM_PREFETCH_STRIDE, 4000);

	(void)state;
	scan(in, h, 1, 0, 3, 1300);
	assert_true(h->hits * 100 >= 90 * 1300);
	/* Negative stride from the top, in a full fast tier. */
	h->knobs.budget = h->resident;
	h->hits = h->faults = 0;
	scan(in, h, 2, 3999, -7, 570);
	assert_true(h->hits * 100 >= 65 * 570);
	/* Larger than OAE_MEM_STRIDE_MAX: no stream. */
	h->hits = h->faults = 0;
	scan(in, h, 3, 0, OAE_MEM_STRIDE_MAX + 1, 60);
	assert_int_equal(h->hits, 0);
	h_agree(h, in);
	free(h);
	free(in);
}

/* Prefetch stays inside the region, either way. */
static void test_region_bounds(void **state)
{
	struct inst *in = new_inst();
	struct fault f = { .budget = 100, .resident = 0, .window = 16,
			   .prefetch = OAE_MEM_PREFETCH_STRIDE, .pages = 50 };
	struct ans a;
	oae_u64 ver = 0;

	(void)state;
	f.page = PG(1, 30);
	fault(in, 0, &f);
	commit(in, 0);
	add(in, f.page, ++ver, OAE_MEM_TIER_FAST);
	f.page = PG(1, 35);
	fault(in, 0, &f);
	commit(in, 0);
	add(in, f.page, ++ver, OAE_MEM_TIER_FAST);
	f.page = PG(1, 40);			/* trusted: 45 is the last */
	a = fault(in, 0, &f);
	assert_int_equal(a.count, 1);
	assert_int_equal(a.stride, 5);
	commit(in, 0);
	/* Downwards: 9, 6, 3 -> only 0 is left. */
	f.page = PG(2, 9);
	fault(in, 0, &f);
	commit(in, 0);
	f.page = PG(2, 6);
	fault(in, 0, &f);
	commit(in, 0);
	f.page = PG(2, 3);
	a = fault(in, 0, &f);
	assert_int_equal(a.count, 1);
	assert_int_equal(a.stride, -3);
	commit(in, 0);
	/* At the region's last page: nothing left to prefetch. */
	f.pages = 4;
	f.page = PG(3, 1);
	fault(in, 0, &f);
	commit(in, 0);
	f.page = PG(3, 2);
	fault(in, 0, &f);
	commit(in, 0);
	f.page = PG(3, 3);
	a = fault(in, 0, &f);
	assert_int_equal(a.count, 0);
	assert_int_equal(a.stride, 0);
	commit(in, 0);
	free(in);
}

/* No room and no victim: the slow tier; little room: a shorter prefetch. */
static void test_no_room(void **state)
{
	struct inst *in = new_inst();
	struct fault f = { .budget = 2, .resident = 2, .window = 8,
			   .prefetch = OAE_MEM_PREFETCH_SEQ, .pages = 100 };
	struct ans a;
	unsigned int i;

	(void)state;
	/* The host has 2 fast pages the IPU does not know (table empty). */
	f.page = PG(1, 0);
	a = fault(in, 0, &f);
	assert_int_equal(a.tier, OAE_MEM_TIER_SLOW);
	assert_int_equal(a.count + a.victims, 0);
	commit(in, 0);
	/* Budget lowered under resident: still no room. */
	f.budget = 1;
	f.resident = 3;
	f.page = PG(1, 1);
	a = fault(in, 0, &f);
	assert_int_equal(a.tier, OAE_MEM_TIER_SLOW);
	commit(in, 0);
	/* Room for 3: the stream is trusted, prefetch is cut to 2. */
	f.budget = 10;
	f.resident = 7;
	f.page = PG(1, 2);
	a = fault(in, 0, &f);
	assert_int_equal(a.tier, OAE_MEM_TIER_FAST);
	assert_int_equal(a.count, 2);
	commit(in, 0);
	/* Two tracked pages, no room: two victims + 1 page. */
	add(in, PG(5, 1), 100, OAE_MEM_TIER_FAST);
	add(in, PG(5, 2), 101, OAE_MEM_TIER_FAST);
	f.budget = f.resident = 10;
	f.page = PG(1, 5);
	a = fault(in, 0, &f);
	assert_int_equal(a.tier, OAE_MEM_TIER_FAST);
	assert_int_equal(a.victims, 2);
	assert_int_equal(a.count, 1);
	assert_int_equal(abort_(in, 0), OAE_SETTLE_OK);
	for (i = 0; i < 2; i++)
		assert_true(tracked(in, PG(5, 1 + i)));
	free(in);
}

/* ---- hostile input -------------------------------------------------------- */

static void test_hostile_offers(void **state)
{
	struct inst *in = new_inst();
	const struct fault good = { .page = PG(1, 5), .budget = 10,
				    .resident = 3, .window = 4,
				    .pages = 100 };
	struct snap *before;
	struct oae_offer o;
	struct ans a;
	unsigned int i, n = 0;

	(void)state;
	add(in, PG(1, 1), 1, OAE_MEM_TIER_FAST);
	add(in, PG(2, 1), 2, OAE_MEM_TIER_FAST);
	before = take(in);
	for (i = 0; i < 19; i++) {
		struct fault f = good;

		o = offer_of(&f);
		switch (i) {
		case 0: o.op = OAE_OP_SCHED_PICK; break;
		case 1: o.payload[0] = PG(0, 5); break;
		case 2: o.payload[0] = PG(65536, 5); break;
		case 3: o.payload[0] = PG(1, OAE_MEM_INDEX_REGION); break;
		case 4: o.payload[0] = PG(1, 100); break;	/* >= pages */
		case 5: o.payload[1] = 4; break;
		case 6: o.payload[1] = ~0ULL; break;
		case 7: o.payload[2] = OAE_MEM_FAST_WORD(0, 0); break;
		case 8: o.payload[2] = OAE_MEM_FAST_WORD(4097, 0); break;
		case 9: o.payload[2] = ~0ULL; break;
		case 10: f.window = 17; o = offer_of(&f); break;
		case 11: f.evict = 2; o = offer_of(&f); break;
		case 12: f.prefetch = 3; o = offer_of(&f); break;
		case 13: o.payload[3] |= 1ULL << 24; break;
		case 14: o.payload[3] |= 0x80ULL << 24; break;
		case 15: f.pages = 0; o = offer_of(&f); break;
		case 16: o.payload[3] = ~0ULL; break;
		case 17: o.payload[0] = ~0ULL; break;
		case 18: break;		/* good, on a bad link */
		}
		a = answer_raw(in, i == 18 ? OAE_MAX_LINKS : 0, &o);
		assert_int_equal(a.status, OAE_ANSWER_REFUSED);
		assert_int_equal(a.w[0] | a.w[1] | a.w[2] | a.w[3], 0);
		n++;
	}
	/* A second offer on a link with one staged. */
	a = fault(in, 0, &good);
	assert_int_equal(a.status, OAE_ANSWER_OK);
	o = offer_of(&good);
	a = answer_raw(in, 0, &o);
	assert_int_equal(a.status, OAE_ANSWER_REFUSED);
	n++;
	assert_int_equal(abort_(in, 0), OAE_SETTLE_OK);
	assert_int_equal(in->st.stats.bad_offers, n);
	/* A fault on a page the IPU holds as fast: declined. */
	o = offer_of(&good);
	o.payload[0] = PG(2, 1);
	a = answer_raw(in, 0, &o);
	assert_int_equal(a.status, OAE_ANSWER_EMPTY);
	assert_int_equal(a.w[0] | a.w[1] | a.w[2] | a.w[3], 0);
	assert_int_equal(in->st.stats.declined, 1);
	/* Settles of nothing. */
	assert_int_equal(commit(in, 0), OAE_SETTLE_NOT_STAGED);
	assert_int_equal(abort_(in, 5), OAE_SETTLE_NOT_STAGED);
	assert_int_equal(commit(in, OAE_MAX_LINKS), OAE_SETTLE_NOT_STAGED);
	assert_int_equal(abort_(in, 0xffffffffu), OAE_SETTLE_NOT_STAGED);
	/* The good answer's stream stays: compare past it. */
	memcpy(before->tab.stream, in->tab.stream, sizeof(in->tab.stream));
	before->st.stream_clock = in->st.stream_clock;
	assert_true(same(in, before));
	free(before);
	free(in);
}

static void test_registry(void **state)
{
	struct oae_ipu_options o;
	struct oae_lock_stats locks = { 0 };
	struct oae_policy_env env = { .locks = &locks };
	const struct fault f = { .page = PG(1, 5), .budget = 1, .resident = 1,
				 .pages = 10 };
	struct oae_offer off = offer_of(&f);
	oae_u64 args[OAE_EVENT_ARGS] = { PG(1, 1), 7, OAE_MEM_TIER_FAST, 0 };
	oae_u64 a[OAE_ANSWER_WORDS];
	const struct oae_ipu_policy *p;
	char err[160];

	(void)state;
	p = oae_policy_find("clock");
	assert_ptr_equal(p, &oae_mem_clock_policy);
	assert_int_equal(p->role, OAE_ROLE_MEM);
	oae_ipu_options_init(&o);
	assert_null(o.policy[OAE_ROLE_MEM]);		/* default none */
	assert_int_equal(oae_ipu_options_parse(&o, "--mem-policy clock", err,
					       sizeof(err)), 0);
	assert_ptr_equal(o.policy[OAE_ROLE_MEM], p);
	assert_int_equal(oae_ipu_options_parse(&o, "--sched-policy clock",
					       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "'clock' is a mem policy"));
	assert_int_equal(oae_ipu_options_parse(&o, "--mem-policy lru", err,
					       sizeof(err)), -1);
	assert_non_null(strstr(err, "mem policy: clock)"));
	/* The registered instance works. */
	p->start(p->ctx, &env, 4);
	p->event(p->ctx, &env, OAE_EV_PAGE_ADD, 0, args);
	assert_int_equal(p->answer(p->ctx, &env, 3, &off, a), OAE_ANSWER_OK);
	assert_int_equal(a[1], 7);
	assert_int_equal(p->commit(p->ctx, &env, 3), OAE_SETTLE_OK);
	p->start(p->ctx, &env, 4);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_events_validated),
		cmocka_unit_test(test_region_free),
		cmocka_unit_test(test_capacity),
		cmocka_unit_test(test_start_and_replay),
		cmocka_unit_test(test_clock_second_chance),
		cmocka_unit_test(test_fifo_order),
		cmocka_unit_test(test_sweep_bound),
		cmocka_unit_test(test_abort_exact),
		cmocka_unit_test(test_two_links),
		cmocka_unit_test(test_superseded),
		cmocka_unit_test(test_budget_rule_property),
		cmocka_unit_test(test_sequential),
		cmocka_unit_test(test_stride),
		cmocka_unit_test(test_region_bounds),
		cmocka_unit_test(test_no_room),
		cmocka_unit_test(test_hostile_offers),
		cmocka_unit_test(test_registry),
	};

	return cmocka_run_group_tests(tests, NULL, NULL);
}
