// SPDX-License-Identifier: GPL-2.0
/*
 * Unit tests of the IPU runtime's policy interface, its multi-core serving
 * and what it publishes, on an in-memory window with the host side driven
 * through the same protocol functions oae_ipu.ko calls:
 *  - offers and events routed by type to the policy of each role, several
 *    active at once; variable-size, policy-owned staging (undo logs);
 *    commit/abort reports; core id, clock and tick;
 *  - the interleaving rule for an abort after other links staged or
 *    committed (policy/policy.h);
 *  - idle polling takes no shared lock (the contention counters);
 *  - a core that never polls does not block an epoch ack, its links move;
 *  - the IPU never reads back a window word it wrote, and stores its
 *    counters only when they change.
 */
#include <stdarg.h>
#include <stddef.h>
#include <setjmp.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <pthread.h>
#include <sched.h>
#include <cmocka.h>

#include "echo.h"
#include "ipu_core.h"
#include "ipu_options.h"
#include "undo.h"

#define WIN_SIZE	(1 << 20)
#define MAX_TEST_LINKS	8

/* ---- a test policy with per-link undo logs of different sizes -------- */

#define LEDGER_WORDS	16

/*
 * The "ledger": offer payload[0] = how many words to change, payload[1] =
 * first word, payload[2] = value to add to each. Link L's undo log holds
 * 2 + 2 * L entries, so an offer that needs more is declined (EMPTY) and
 * nothing is staged. One lock over words[]; logs are per link.
 */
struct ledger {
	struct oae_spinlock lock;
	oae_u64 words[LEDGER_WORDS];
	struct oae_undo_entry entries[MAX_TEST_LINKS][2 + 2 * MAX_TEST_LINKS];
	struct oae_undo_log log[MAX_TEST_LINKS];
	int staged[MAX_TEST_LINKS];
	/* What the interface told it. */
	oae_u32 last_core;
	oae_u64 last_now;
	unsigned int events, ticks, starts;
	oae_u32 event_types;		/* bitmap of types seen */
	oae_u32 ops;			/* bitmap of ops answered */
	oae_u64 kept;			/* words abort left to later writers */
	int report_inconsistent;	/* make commit report a problem */
};

static void ledger_start(void *ctx, const struct oae_policy_env *env,
			 oae_u32 nr_links)
{
	struct ledger *g = ctx;
	oae_u32 i;

	(void)env;
	for (i = 0; i < nr_links && i < MAX_TEST_LINKS; i++) {
		oae_undo_init(&g->log[i], g->entries[i], 2 + 2 * i);
		g->staged[i] = 0;
	}
	g->starts++;
}

static void ledger_event(void *ctx, const struct oae_policy_env *env,
			 oae_u32 type, oae_u32 link,
			 const oae_u64 args[OAE_EVENT_ARGS])
{
	struct ledger *g = ctx;

	(void)link;
	oae_spin_lock(&g->lock, env->locks);
	g->events++;
	g->event_types |= 1u << type;
	if (args[0] < LEDGER_WORDS)
		g->words[args[0]] += args[1];
	oae_spin_unlock(&g->lock);
}

static enum oae_answer_status ledger_answer(void *ctx,
					    const struct oae_policy_env *env,
					    oae_u32 link,
					    const struct oae_offer *o,
					    oae_u64 answer[OAE_ANSWER_WORDS])
{
	struct ledger *g = ctx;
	struct oae_undo_log *log = &g->log[link];
	oae_u64 n = o->payload[0], first = o->payload[1], i;

	g->last_core = env->core;
	g->last_now = env->now_ns;
	g->ops |= 1u << o->op;
	if (n > log->capacity || first + n > LEDGER_WORDS)
		return OAE_ANSWER_EMPTY;	/* could not undo it: decline */
	oae_spin_lock(&g->lock, env->locks);
	for (i = 0; i < n; i++)
		assert_int_equal(oae_undo_set(log, &g->words[first + i],
					      g->words[first + i] +
					      o->payload[2]), 0);
	answer[0] = g->words[first];
	oae_spin_unlock(&g->lock);
	answer[1] = oae_undo_used(log);
	g->staged[link] = 1;
	return OAE_ANSWER_OK;
}

static enum oae_settle_report ledger_commit(void *ctx,
					    const struct oae_policy_env *env,
					    oae_u32 link)
{
	struct ledger *g = ctx;

	(void)env;
	if (!g->staged[link])
		return OAE_SETTLE_NOT_STAGED;
	g->staged[link] = 0;
	oae_undo_commit(&g->log[link]);
	return g->report_inconsistent ? OAE_SETTLE_INCONSISTENT :
					OAE_SETTLE_OK;
}

static enum oae_settle_report ledger_abort(void *ctx,
					   const struct oae_policy_env *env,
					   oae_u32 link)
{
	struct ledger *g = ctx;

	if (!g->staged[link])
		return OAE_SETTLE_NOT_STAGED;
	g->staged[link] = 0;
	oae_spin_lock(&g->lock, env->locks);
	g->kept += oae_undo_abort(&g->log[link]);
	oae_spin_unlock(&g->lock);
	return OAE_SETTLE_OK;
}

static void ledger_tick(void *ctx, const struct oae_policy_env *env)
{
	struct ledger *g = ctx;

	g->ticks++;
	g->last_now = env->now_ns;
}

static void ledger_policy(struct oae_ipu_policy *p, struct ledger *g,
			  const char *name, enum oae_policy_role role)
{
	*p = (struct oae_ipu_policy){
		.name = name, .summary = "test ledger", .role = role,
		.tick_ns = 300000, .ctx = g, .start = ledger_start,
		.event = ledger_event, .answer = ledger_answer,
		.commit = ledger_commit, .abort = ledger_abort,
		.tick = ledger_tick,
	};
	memset(g, 0, sizeof(*g));
}

/* ---- the rig: N cores, echo + a sched and a mem ledger --------------- */

static oae_u64 fake_now;

static oae_u64 fake_clock(void)
{
	return __atomic_load_n(&fake_now, __ATOMIC_RELAXED);
}

struct rig {
	void *win;
	unsigned int links, cores;
	struct oae_ipu ipu;
	struct oae_ipu_policy echo_pol, sched_pol, mem_pol;
	struct oae_echo_state echo;
	struct ledger sched, mem;
	struct oae_geometry geo;
	struct oae_host_hdr *hh;
	struct oae_host_link hl[MAX_TEST_LINKS];
	struct oae_ring_producer ring;
	oae_u64 epoch;
	int parked;			/* core that never polls; 0 none */
};

static struct oae_link_host *rig_host_link(struct rig *r, int i)
{
	return oae_geo_host_link(r->win, &r->geo, i);
}

static struct oae_link_ipu *rig_ipu_link(struct rig *r, int i)
{
	return oae_geo_ipu_link(r->win, &r->geo, i);
}

static struct oae_core_status *rig_status(struct rig *r, int core)
{
	return (void *)((char *)r->win + r->geo.status_offset +
			(oae_u64)core * sizeof(struct oae_core_status));
}

/* One round on every core that is not parked; the clock moves 100 us. */
static void poll_all(struct rig *r)
{
	unsigned int c;

	fake_now += 100000;
	for (c = 0; c < r->cores; c++)
		if (!r->parked || (int)c != r->parked)
			oae_ipu_poll(&r->ipu, c);
}

/* Every request carries a nonce; the ack must prove it. */
#define RIG_NONCE(epoch)	((epoch) ^ 0x6e6f6e6365000000ULL)

static int rig_acked(struct rig *r, oae_u64 epoch)
{
	oae_u64 boot_id;

	return oae_host_epoch_acked(r->ipu.hdr, epoch, RIG_NONCE(epoch),
				    &boot_id);
}

static void rig_request(struct rig *r, oae_u64 epoch)
{
	unsigned int i;

	r->epoch = epoch;
	for (i = 0; i < r->links; i++)
		oae_host_link_init(&r->hl[i], rig_host_link(r, i),
				   rig_ipu_link(r, i), i, epoch, r->hl[i].seq);
	oae_ring_producer_init(&r->ring,
			       (void *)((char *)r->win + r->geo.ring_offset),
			       r->geo.ring_entries, &r->ipu.hdr->ring_consumed,
			       epoch, r->ring.head);
	oae_host_request_epoch(r->hh, epoch, RIG_NONCE(epoch), r->links,
			       r->ring.head);
}

static void rig_attach(struct rig *r, oae_u64 epoch)
{
	int n;

	rig_request(r, epoch);
	for (n = 0; n < 10 && !rig_acked(r, epoch); n++)
		poll_all(r);
	assert_true(rig_acked(r, epoch));
	oae_host_set_state(r->hh, OAE_HOST_ATTACHED);
}

static struct rig *rig_new(unsigned int links, unsigned int cores,
			   int parked, oae_u64 stall_rounds)
{
	struct rig *r = aligned_alloc(64, sizeof(*r));
	struct oae_ipu_config cfg = {
		.window_size = WIN_SIZE, .nr_links = links, .nr_cores = cores,
		.ring_entries = 64, .now_ns = fake_clock,
		.core_stall_ns = 1000000, .core_stall_rounds = stall_rounds,
	};

	assert_non_null(r);
	memset(r, 0, sizeof(*r));
	r->links = links;
	r->cores = cores;
	r->parked = parked;
	r->win = aligned_alloc(4096, WIN_SIZE);
	assert_non_null(r->win);
	memset(r->win, 0, WIN_SIZE);
	fake_now = 1;
	oae_echo_policy_init(&r->echo_pol, &r->echo);
	ledger_policy(&r->sched_pol, &r->sched, "sched-ledger", OAE_ROLE_SCHED);
	ledger_policy(&r->mem_pol, &r->mem, "mem-ledger", OAE_ROLE_MEM);
	cfg.policy[OAE_ROLE_TEST] = &r->echo_pol;
	cfg.policy[OAE_ROLE_SCHED] = &r->sched_pol;
	cfg.policy[OAE_ROLE_MEM] = &r->mem_pol;
	assert_int_equal(oae_ipu_init(&r->ipu, r->win, &cfg), OAE_HDR_OK);
	oae_ipu_start(&r->ipu);
	assert_int_equal(oae_geometry_read(r->win, WIN_SIZE, &r->geo), OAE_HDR_OK);
	r->hh = (void *)((char *)r->win + r->geo.host_hdr_offset);
	return r;
}

static void rig_free(struct rig *r)
{
	free(r->win);
	free(r);
}

static void post(struct rig *r, oae_u32 type, oae_u64 a0, oae_u64 a1)
{
	oae_u64 args[OAE_EVENT_ARGS] = { a0, a1 };

	assert_int_equal(oae_ring_post(&r->ring, type, 0, args), 0);
}

static oae_u64 offer(struct rig *r, int link, oae_u32 op, oae_u64 p0,
		     oae_u64 p1, oae_u64 p2)
{
	struct oae_offer o = { .op = op, .payload = { p0, p1, p2 } };

	return oae_host_offer(&r->hl[link], &o, r->ring.head);
}

/* Offer, poll every core, return the answer (which must be there). */
static struct oae_answer swap(struct rig *r, int link, oae_u32 op,
			      oae_u64 p0, oae_u64 p1, oae_u64 p2)
{
	struct oae_answer a;

	offer(r, link, op, p0, p1, p2);
	poll_all(r);
	assert_int_equal(oae_host_poll(&r->hl[link], &a), OAE_POLL_ANSWERED);
	return a;
}

static void settle(struct rig *r, int link, int commit)
{
	oae_host_settle(&r->hl[link], commit,
			commit ? OAE_ABORT_NONE : OAE_ABORT_STALE_OBJECT);
	poll_all(r);
}

/* ---- point 10: the policy interface ---------------------------------- */

/* Offers and events reach the policy of their type's role, and only it. */
static void test_routed_by_type(void **state)
{
	struct rig *r = rig_new(4, 2, 0, 0);
	struct oae_answer a;

	(void)state;
	rig_attach(r, 1);
	post(r, OAE_EV_TASK_RUNNABLE, 1, 5);
	post(r, OAE_EV_PAGE_ADD, 2, 7);
	post(r, OAE_EV_TEST, 3, 4);
	post(r, OAE_EV_TASK_GONE, 1, 1);
	post(r, OAE_EV_PAGE_ACCESS, 2, 1);
	a = swap(r, 0, OAE_OP_SCHED_PICK, 1, 1, 0);
	assert_int_equal(a.status, OAE_ANSWER_OK);
	assert_int_equal(a.word[0], 6);		/* S4: both task events in */
	settle(r, 0, 1);
	a = swap(r, 1, OAE_OP_MEM_FAULT, 1, 2, 0);
	assert_int_equal(a.word[0], 8);
	settle(r, 1, 1);
	a = swap(r, 2, OAE_OP_ECHO, 9, 0, 4);
	assert_int_equal(a.word[0], 9 ^ OAE_ECHO_XOR);
	assert_int_equal(a.word[2], 3);
	assert_int_equal(a.word[3], 4);
	settle(r, 2, 1);

	assert_int_equal(r->sched.events, 2);
	assert_int_equal(r->sched.event_types,
			 1u << OAE_EV_TASK_RUNNABLE | 1u << OAE_EV_TASK_GONE);
	assert_int_equal(r->mem.events, 2);
	assert_int_equal(r->mem.event_types,
			 1u << OAE_EV_PAGE_ADD | 1u << OAE_EV_PAGE_ACCESS);
	assert_int_equal(r->sched.ops, 1u << OAE_OP_SCHED_PICK);
	assert_int_equal(r->mem.ops, 1u << OAE_OP_MEM_FAULT);
	assert_int_equal(r->echo.sum, 3);
	assert_int_equal(r->sched.starts, 1);
	assert_int_equal(r->mem.starts, 1);
	rig_free(r);
}

/* A role with no policy refuses its offers at once; its events are dropped. */
static void test_role_without_policy_refuses(void **state)
{
	struct rig *r = rig_new(2, 1, 0, 0);
	struct oae_answer a;

	(void)state;
	/* As if started without one: configured and active alike. */
	r->ipu.cfg.policy[OAE_ROLE_MEM] = NULL;
	r->ipu.policy[OAE_ROLE_MEM] = NULL;
	rig_attach(r, 1);
	post(r, OAE_EV_PAGE_ADD, 1, 1);
	a = swap(r, 0, OAE_OP_MEM_FAULT, 1, 1, 0);
	assert_int_equal(a.status, OAE_ANSWER_REFUSED);
	assert_int_equal(r->mem.events, 0);
	settle(r, 0, 0);
	assert_int_equal(r->ipu.total.settle_reports, 0);
	rig_free(r);
}

/*
 * Staging is the policy's, of the size it needs: link 1's log holds 4
 * words, link 0's only 2. Abort restores every word exactly.
 */
static void test_variable_size_undo(void **state)
{
	struct rig *r = rig_new(2, 1, 0, 0);
	struct oae_answer a;
	oae_u64 before[LEDGER_WORDS];

	(void)state;
	rig_attach(r, 1);
	post(r, OAE_EV_TASK_RUNNABLE, 0, 100);
	post(r, OAE_EV_TASK_RUNNABLE, 3, 300);
	poll_all(r);
	memcpy(before, r->sched.words, sizeof(before));

	a = swap(r, 1, OAE_OP_SCHED_PICK, 4, 0, 5);
	assert_int_equal(a.status, OAE_ANSWER_OK);
	assert_int_equal(a.word[1], 4);		/* four entries logged */
	assert_int_equal(r->sched.words[3], 305);
	settle(r, 1, 0);
	assert_memory_equal(r->sched.words, before, sizeof(before));

	/* Too big for link 0's log: declined, nothing staged or changed. */
	a = swap(r, 0, OAE_OP_SCHED_PICK, 4, 0, 5);
	assert_int_equal(a.status, OAE_ANSWER_EMPTY);
	assert_memory_equal(r->sched.words, before, sizeof(before));
	settle(r, 0, 0);
	a = swap(r, 0, OAE_OP_SCHED_PICK, 2, 0, 5);
	assert_int_equal(a.status, OAE_ANSWER_OK);
	settle(r, 0, 1);
	assert_int_equal(r->sched.words[0], 105);
	assert_int_equal(r->sched.words[1], 5);
	assert_int_equal(r->ipu.total.settle_reports, 0);
	rig_free(r);
}

/*
 * The interleaving rule: link 0 stages words 0-1; link 1 then stages
 * words 1-2 and commits; link 2 stages word 5 and stays open; then link 0
 * aborts. Word 0 (only link 0's) is restored exactly, word 1 keeps link
 * 1's committed value, words 2 and 5 are untouched by the abort. The
 * same with a reservation (echo's pool): exact whatever came between.
 */
static void test_abort_after_interleaving(void **state)
{
	struct rig *r = rig_new(4, 2, 0, 0);
	struct oae_answer a;

	(void)state;
	rig_attach(r, 1);
	swap(r, 0, OAE_OP_SCHED_PICK, 2, 0, 10);	/* w0 10, w1 10 */
	swap(r, 1, OAE_OP_SCHED_PICK, 2, 1, 100);	/* w1 110, w2 100 */
	settle(r, 1, 1);
	swap(r, 2, OAE_OP_SCHED_PICK, 1, 5, 7);		/* w5 7, open */
	settle(r, 0, 0);
	assert_int_equal(r->sched.words[0], 0);
	assert_int_equal(r->sched.words[1], 110);
	assert_int_equal(r->sched.words[2], 100);
	assert_int_equal(r->sched.words[5], 7);
	assert_int_equal(r->sched.kept, 1);	/* w1: later writer won */
	settle(r, 2, 0);
	assert_int_equal(r->sched.words[5], 0);

	/* Reservation: link 0 holds 3, link 1 takes 2 and commits, events
	 * add 5, link 2 takes 4 and stays open; link 0's abort gives back
	 * exactly its 3. */
	post(r, OAE_EV_TEST, 0, 10);
	a = swap(r, 0, OAE_OP_ECHO, 0, 0, 3);
	assert_int_equal(a.word[3], 3);
	swap(r, 1, OAE_OP_ECHO, 0, 0, 2);
	settle(r, 1, 1);
	post(r, OAE_EV_TEST, 0, 5);
	a = swap(r, 2, OAE_OP_ECHO, 0, 0, 4);
	assert_int_equal(a.word[3], 4);
	assert_int_equal(r->echo.pool, 6);
	settle(r, 0, 0);
	assert_int_equal(r->echo.pool, 9);
	settle(r, 2, 1);
	assert_int_equal(r->echo.pool, 9);
	rig_free(r);
}

/* commit and abort report; the runtime counts and publishes the reports. */
static void test_settle_reports(void **state)
{
	struct rig *r = rig_new(2, 1, 0, 0);

	(void)state;
	rig_attach(r, 1);
	r->sched.report_inconsistent = 1;
	swap(r, 0, OAE_OP_SCHED_PICK, 1, 0, 1);
	settle(r, 0, 1);
	assert_int_equal(r->ipu.total.settle_reports, 1);
	assert_int_equal(oae_ld64(&rig_status(r, 0)->reserved[OAE_CORE_STATUS_SETTLE_REPORTS]),
			 1);
	/* A committed swap is still committed on both sides. */
	assert_int_equal(r->ipu.total.link.committed, 1);
	rig_free(r);
}

/* A policy learns the calling core, the clock, and gets its tick. */
static void test_core_clock_tick(void **state)
{
	struct rig *r = rig_new(4, 4, 0, 0);
	int i;

	(void)state;
	rig_attach(r, 1);
	fake_now = 5000;
	swap(r, 3, OAE_OP_SCHED_PICK, 1, 0, 1);
	assert_int_equal(r->sched.last_core, 3);
	assert_int_equal(r->sched.last_now, 5000 + 100000);
	settle(r, 3, 1);
	swap(r, 2, OAE_OP_MEM_FAULT, 1, 0, 1);
	assert_int_equal(r->mem.last_core, 2);
	settle(r, 2, 1);

	r->sched.ticks = 0;
	r->mem.ticks = 0;
	/* poll_all() moves the clock 100 us a round; tick_ns is 300 us. */
	for (i = 0; i < 50; i++)
		poll_all(r);
	assert_in_range(r->sched.ticks, 16, 17);
	assert_in_range(r->mem.ticks, 16, 17);
	rig_free(r);
}

/* The options choose policies by name from the registry. */
static void test_options_choose_policies(void **state)
{
	struct oae_ipu_options o;
	char err[160];
	unsigned int i;

	(void)state;
	oae_ipu_options_init(&o);
	assert_ptr_equal(o.policy[OAE_ROLE_TEST], &oae_echo_policy);
	assert_null(o.policy[OAE_ROLE_SCHED]);
	assert_null(o.policy[OAE_ROLE_MEM]);
	assert_int_equal(oae_ipu_options_parse(&o, "--test-policy none", err,
					       sizeof(err)), 0);
	assert_null(o.policy[OAE_ROLE_TEST]);
	assert_int_equal(oae_ipu_options_parse(&o, "--test-policy=echo", err,
					       sizeof(err)), 0);
	assert_ptr_equal(o.policy[OAE_ROLE_TEST], &oae_echo_policy);
	assert_int_equal(oae_ipu_options_parse(&o, "--sched-policy bogus",
					       err, sizeof(err)), -1);
	assert_non_null(strstr(err, "--sched-policy: unknown policy 'bogus'"));
	/* A policy of another role is refused by name. */
	assert_int_equal(oae_ipu_options_parse(&o, "--mem-policy echo", err,
					       sizeof(err)), -1);
	assert_non_null(strstr(err, "'echo' is a test policy"));
	/* Every registered policy is found under its own name and role. */
	for (i = 0; i < oae_policy_count(); i++) {
		const struct oae_ipu_policy *p = oae_policy_at(i);

		assert_ptr_equal(oae_policy_find(p->name), p);
		assert_true(p->role < OAE_NR_ROLES);
		assert_non_null(p->summary);
	}
	assert_null(oae_policy_find("bogus"));
	assert_int_equal(oae_ipu_options_parse(&o, "--park-core 0", err,
					       sizeof(err)), -1);
	assert_int_equal(oae_ipu_options_parse(&o, "--park-core 3", err,
					       sizeof(err)), 0);
	assert_int_equal(o.park_core, 3);
}

/* ---- point 11: cores in parallel -------------------------------------- */

static oae_u64 status_word(struct rig *r, int core, int word)
{
	return oae_ld64(&rig_status(r, core)->reserved[word]);
}

/* Idle rounds take no shared lock; work takes them on the core doing it. */
static void test_idle_takes_no_lock(void **state)
{
	struct rig *r = rig_new(8, 4, 0, 0);
	oae_u64 taken[4], hb[4];
	unsigned int c;
	int i;

	(void)state;
	rig_attach(r, 1);
	post(r, OAE_EV_TEST, 1, 1);
	swap(r, 1, OAE_OP_ECHO, 0, 0, 1);
	settle(r, 1, 1);
	poll_all(r);
	for (c = 0; c < 4; c++) {
		taken[c] = status_word(r, c, OAE_CORE_STATUS_LOCKS_TAKEN);
		hb[c] = oae_ld64(&rig_status(r, c)->heartbeat);
	}
	for (i = 0; i < 1000; i++)
		poll_all(r);
	for (c = 0; c < 4; c++) {
		assert_int_equal(status_word(r, c, OAE_CORE_STATUS_LOCKS_TAKEN),
				 taken[c]);
		assert_int_equal(r->ipu.core[c].cnt.locks.taken, taken[c]);
		assert_int_equal(oae_ld64(&rig_status(r, c)->heartbeat),
				 hb[c] + 1000);
	}
	/* A swap on link 5 (core 1) locks echo's state on core 1 only. */
	swap(r, 5, OAE_OP_ECHO, 0, 0, 0);
	for (c = 0; c < 4; c++)
		assert_true(status_word(r, c, OAE_CORE_STATUS_LOCKS_TAKEN) ==
			    taken[c] + (c == 1));
	rig_free(r);
}

/* Many cores, many links, real threads: every answer checks out, S3. */
struct stress {
	struct rig *r;
	int stop;
};

struct core_thread {
	struct stress *s;
	unsigned int core;
};

static void *core_loop(void *arg)
{
	struct core_thread *t = arg;

	/* Yield: five spinning threads share the build machine's CPUs. */
	while (!__atomic_load_n(&t->s->stop, __ATOMIC_RELAXED)) {
		oae_ipu_poll(&t->s->r->ipu, t->core);
		sched_yield();
	}
	return NULL;
}

static void test_parallel_cores(void **state)
{
	struct rig *r = rig_new(4, 4, 0, 0);
	struct stress s = { .r = r };
	struct core_thread th[4];
	pthread_t t[4];
	oae_u64 granted = 0, deposited = 0, sum = 0;
	struct oae_answer a;
	enum oae_poll p;
	unsigned int c;
	int i;

	(void)state;
	rig_attach(r, 1);
	for (c = 0; c < 4; c++) {
		th[c] = (struct core_thread){ .s = &s, .core = c };
		assert_int_equal(pthread_create(&t[c], NULL, core_loop, &th[c]), 0);
	}
	for (i = 0; i < 5000; i++) {
		int link = i & 3, commit;

		if (!oae_ring_post(&r->ring, OAE_EV_TEST, 0,
				   (oae_u64[OAE_EVENT_ARGS]){ i, i % 3 })) {
			sum += i;
			deposited += i % 3;
		}
		offer(r, link, OAE_OP_ECHO, i, i, 2);
		while ((p = oae_host_poll(&r->hl[link], &a)) == OAE_POLL_PENDING)
			sched_yield();
		assert_int_equal(p, OAE_POLL_ANSWERED);
		assert_int_equal(a.word[0], (oae_u64)i ^ OAE_ECHO_XOR);
		assert_int_equal(a.word[2], sum);	/* S4, any consumer */
		commit = i % 5 != 0;
		if (commit)
			granted += a.word[3];
		oae_host_settle(&r->hl[link], commit,
				commit ? OAE_ABORT_NONE : OAE_ABORT_STALE_OBJECT);
	}
	for (;;) {
		offer(r, 0, OAE_OP_ECHO, 0, 0, ~0ULL);
		while ((p = oae_host_poll(&r->hl[0], &a)) == OAE_POLL_PENDING)
			sched_yield();
		oae_host_settle(&r->hl[0], 1, OAE_ABORT_NONE);
		granted += a.word[3];
		if (!a.word[3])
			break;
	}
	__atomic_store_n(&s.stop, 1, __ATOMIC_RELAXED);
	for (c = 0; c < 4; c++)
		pthread_join(t[c], NULL);
	assert_int_equal(granted, deposited);
	assert_int_equal(r->ipu.total.link.bad_offer, 0);
	rig_free(r);
}

/* ---- point 12: the IPU trusts only itself ---------------------------- */

/*
 * A core that never polls does not block the epoch ack: after the stall
 * limit core 0 moves its links to live cores, which then serve them.
 */
static void test_parked_core_loses_links(void **state)
{
	struct rig *r = rig_new(8, 4, 2, 50);
	struct oae_answer a;
	unsigned int l;
	int n;

	(void)state;
	/* The stall limit is 1 ms, 10 rounds of poll_all(). */
	rig_request(r, 1);
	for (n = 0; n < 200 && !rig_acked(r, 1); n++)
		poll_all(r);
	assert_true(rig_acked(r, 1));
	assert_true(n >= 10);		/* it did wait for the stall limit */
	oae_host_set_state(r->hh, OAE_HOST_ATTACHED);
	assert_true(oae_ipu_core_lost(&r->ipu, 2));
	assert_int_equal(r->ipu.cores_lost, 1);
	for (l = 0; l < 8; l++)
		assert_int_not_equal(oae_ipu_link_owner(&r->ipu, l), 2);
	/*
	 * Links 2, 6, 10 and 14 (8 per class, 2 classes) were core 2's:
	 * answered by their new owners.
	 */
	a = swap(r, 2, OAE_OP_ECHO, 2, 0, 0);
	assert_int_equal(a.word[0], 2 ^ OAE_ECHO_XOR);
	settle(r, 2, 1);
	a = swap(r, 6, OAE_OP_ECHO, 6, 0, 0);
	settle(r, 6, 1);
	assert_int_equal(status_word(r, 0, OAE_CORE_STATUS_LINKS_TAKEN_OVER) +
			 status_word(r, 1, OAE_CORE_STATUS_LINKS_TAKEN_OVER) +
			 status_word(r, 3, OAE_CORE_STATUS_LINKS_TAKEN_OVER), 4);
	/* The next epoch does not wait for it at all. */
	rig_attach(r, 2);
	rig_free(r);
}

/*
 * A core that stalls with a swap staged: its link moves with the staged
 * swap, the new owner settles it as the host decided, and if the old core
 * comes back it serves nothing (no two cores ever serve one link).
 */
static void test_stalled_core_handover(void **state)
{
	struct rig *r = rig_new(4, 2, 0, 20);
	int n;

	(void)state;
	rig_attach(r, 1);
	post(r, OAE_EV_TEST, 0, 10);
	swap(r, 1, OAE_OP_ECHO, 0, 0, 4);	/* core 1 stages it */
	assert_int_equal(r->echo.pool, 6);
	r->parked = 1;				/* core 1 stops */
	oae_host_settle(&r->hl[1], 0, OAE_ABORT_STALE_OBJECT);
	for (n = 0; n < 100 && !oae_ipu_core_lost(&r->ipu, 1); n++)
		poll_all(r);
	poll_all(r);
	assert_int_equal(oae_ipu_link_owner(&r->ipu, 1), 0);
	assert_int_equal(r->echo.pool, 10);	/* core 0 settled the abort */
	/* Core 1 wakes up: it does nothing, not even its heartbeat. */
	r->parked = 0;
	oae_ipu_poll(&r->ipu, 1);
	assert_int_equal(r->ipu.core[1].cnt.rounds, r->ipu.core[1].seen_rounds);
	swap(r, 1, OAE_OP_ECHO, 0, 0, 1);
	settle(r, 1, 1);
	assert_int_equal(r->echo.pool, 9);
	rig_free(r);
}

/*
 * Status words are stored from IPU-local counters, never read back and
 * incremented (the host may scribble on them; on a real board reading
 * them is a PCIe round trip). Fails on a runtime that does
 * st = ld(st) + 1.
 */
static void test_status_never_read_back(void **state)
{
	struct rig *r = rig_new(2, 1, 0, 0);
	struct oae_core_status *st = rig_status(r, 0);
	oae_u64 rounds;

	(void)state;
	rig_attach(r, 1);
	swap(r, 0, OAE_OP_ECHO, 0, 0, 0);
	settle(r, 0, 1);
	oae_st64(&st->heartbeat, 1000000);
	oae_st64(&st->swaps_answered, 1000000);
	swap(r, 1, OAE_OP_ECHO, 0, 0, 0);
	settle(r, 1, 1);
	rounds = r->ipu.core[0].cnt.rounds;
	assert_int_equal(oae_ld64(&st->heartbeat), rounds);
	assert_int_equal(oae_ld64(&st->swaps_answered), 2);
	assert_int_equal(oae_ld64(&r->ipu.hdr->swaps_answered), 2);
	rig_free(r);
}

/*
 * Counters are stored only when they change: a word the IPU published is
 * left alone by idle rounds. Fails on a runtime that stores them every
 * round. (The heartbeats are the only words an idle round writes.)
 */
static void test_counters_only_on_change(void **state)
{
	struct rig *r = rig_new(2, 2, 0, 0);
	struct oae_ipu_hdr *h = r->ipu.hdr;
	const oae_u64 mark = 0x5a5a5a5a;
	unsigned int c;
	int i;

	(void)state;
	rig_attach(r, 1);
	swap(r, 0, OAE_OP_ECHO, 0, 0, 0);
	settle(r, 0, 1);
	poll_all(r);
	oae_st64(&h->swaps_answered, mark);
	oae_st64(&h->swaps_committed, mark);
	oae_st64(&h->err_bad_offer, mark);
	oae_st64(&h->cores_up, mark);
	oae_st64(&h->ipu_hb_echo, mark);
	for (c = 0; c < 2; c++) {
		oae_st64(&rig_status(r, c)->swaps_answered, mark);
		oae_st64(&rig_status(r, c)->links_served, mark);
		oae_st64(&rig_status(r, c)->reserved[OAE_CORE_STATUS_LOCKS_TAKEN],
			 mark);
	}
	for (i = 0; i < 10; i++)
		poll_all(r);
	assert_int_equal(oae_ld64(&h->swaps_answered), mark);
	assert_int_equal(oae_ld64(&h->swaps_committed), mark);
	assert_int_equal(oae_ld64(&h->err_bad_offer), mark);
	assert_int_equal(oae_ld64(&h->cores_up), mark);
	assert_int_equal(oae_ld64(&h->ipu_hb_echo), mark);
	for (c = 0; c < 2; c++) {
		assert_int_equal(oae_ld64(&rig_status(r, c)->swaps_answered), mark);
		assert_int_equal(oae_ld64(&rig_status(r, c)->links_served), mark);
	}
	/* A change is published. */
	swap(r, 0, OAE_OP_ECHO, 0, 0, 0);
	assert_int_equal(oae_ld64(&h->swaps_answered), 2);
	rig_free(r);
}

/*
 * The geometry the runtime uses is its own: a host that rewrites the
 * header's geometry cannot move where the IPU reads or writes.
 */
static void test_geometry_stays_local(void **state)
{
	struct rig *r = rig_new(2, 1, 0, 0);
	struct oae_ipu_hdr *h = r->ipu.hdr;
	struct oae_answer a;

	(void)state;
	rig_attach(r, 1);
	oae_st64(&h->ipu_links_offset, r->geo.host_links_offset);
	oae_st64(&h->status_offset, 0);
	oae_st32(&h->nr_links, 1);
	oae_st64(&h->ring_offset, 0);
	post(r, OAE_EV_TEST, 4, 0);
	a = swap(r, 1, OAE_OP_ECHO, 1, 0, 0);
	assert_int_equal(a.word[2], 4);
	assert_int_equal(r->ipu.geo.nr_links, 2 * OAE_NR_CLASSES);
	assert_int_equal(r->ipu.geo.ipu_links_offset, r->geo.ipu_links_offset);
	rig_free(r);
}

/* ---- point 13: cache maintenance hooks for a non-coherent window ----- */

static const void *watch_lo, *watch_hi;
static unsigned int cleaned, invalidated;

static int covers(const void *start, oae_u64 len)
{
	return (const char *)start <= (const char *)watch_lo &&
	       (const char *)start + len >= (const char *)watch_hi;
}

static void count_clean(const void *start, oae_u64 len)
{
	cleaned += covers(start, len);
}

static void count_invalidate(const void *start, oae_u64 len)
{
	invalidated += covers(start, len);
}

/*
 * With the hooks set, the runtime invalidates a host link's lines before
 * reading them and cleans its own link's lines after writing them.
 */
static void test_window_maintenance(void **state)
{
	struct rig *r = rig_new(2, 1, 0, 0);

	(void)state;
	r->ipu.cfg.window_clean = count_clean;
	r->ipu.cfg.window_invalidate = count_invalidate;
	rig_attach(r, 1);
	watch_lo = rig_host_link(r, 1);
	watch_hi = (const char *)watch_lo + r->geo.link_stride;
	invalidated = 0;
	offer(r, 1, OAE_OP_ECHO, 0, 0, 0);
	poll_all(r);
	assert_true(invalidated >= 1);
	watch_lo = rig_ipu_link(r, 1);
	watch_hi = (const char *)watch_lo + r->geo.link_stride;
	cleaned = 0;
	settle(r, 1, 1);
	assert_true(cleaned >= 1);
	assert_int_equal(oae_ld64(&rig_ipu_link(r, 1)->settled_word),
			 oae_outcome_word(r->hl[1].seq, 1, 0));
	rig_free(r);
}

int main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_routed_by_type),
		cmocka_unit_test(test_role_without_policy_refuses),
		cmocka_unit_test(test_variable_size_undo),
		cmocka_unit_test(test_abort_after_interleaving),
		cmocka_unit_test(test_settle_reports),
		cmocka_unit_test(test_core_clock_tick),
		cmocka_unit_test(test_options_choose_policies),
		cmocka_unit_test(test_idle_takes_no_lock),
		cmocka_unit_test(test_parallel_cores),
		cmocka_unit_test(test_parked_core_loses_links),
		cmocka_unit_test(test_stalled_core_handover),
		cmocka_unit_test(test_status_never_read_back),
		cmocka_unit_test(test_counters_only_on_change),
		cmocka_unit_test(test_geometry_stays_local),
		cmocka_unit_test(test_window_maintenance),
	};

	return cmocka_run_group_tests_name("oae_runtime", tests, NULL, NULL);
}
